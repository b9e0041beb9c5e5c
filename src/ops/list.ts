// Rows for TorchScript's containers: lists (JS arrays), dicts (JS Maps) and strings. Mutating rows
// (`(a!)` in the schema) change the container in place, as PyTorch's list ops do.
import { OpError } from '../sdk/errors.js';
import type { OpDef, Tag } from './table.js';

const L: readonly Tag[] = ['list'];
type List = unknown[];
type Dict = Map<unknown, unknown>;

/** Python's index rules: negative counts from the end; out of range is IndexError. */
function wrapIndex(op: string, i: number, n: number): number {
  const j = i < 0 ? i + n : i;
  if (j < 0 || j >= n) throw new OpError(op, 'IndexError: list index out of range');
  return j;
}

/** Python slice bounds: None means the end, negatives count from the end, then clamp. */
function sliceOf<T extends { length: number; slice(a: number, b: number): T }>(l: T, start: number | null, end: number | null, step: number, pick: (xs: T, idx: number[]) => T): T {
  if (step === 0) throw new OpError('aten::slice', 'ValueError: slice step cannot be zero');
  const n = l.length;
  const norm = (v: number | null, dflt: number) => {
    if (v === null) return dflt;
    if (v < 0) return Math.max(v + n, step < 0 ? -1 : 0);
    return Math.min(v, step < 0 ? n - 1 : n);
  };
  const lo = norm(start, step > 0 ? 0 : n - 1), hi = norm(end, step > 0 ? n : -1);
  if (step === 1) return l.slice(lo, Math.max(lo, hi));
  const idx: number[] = [];
  for (let i = lo; step > 0 ? i < hi : i > hi; i += step) idx.push(i);
  return pick(l, idx);
}
const pickList = (xs: List, idx: number[]) => idx.map((i) => xs[i]);
const pickStr = (s: string, idx: number[]) => idx.map((i) => s[i]).join('');

function getItem(l: List, i: number): unknown {
  return l[wrapIndex('aten::__getitem__', i, l.length)];
}

function dictGet(d: Dict, k: unknown): unknown {
  if (!d.has(k)) throw new OpError('aten::__getitem__', `KeyError: ${String(k)}`);
  return d.get(k);
}

function indexOf(l: List, x: unknown): number {
  const i = l.indexOf(x);
  if (i < 0) throw new OpError('aten::index', `ValueError: '${String(x)}' is not in list`);
  return i;
}

const listEq = (a: List, b: List) => a.length === b.length && a.every((x, i) => x === b[i]);

function pop(l: List, i: number): unknown {
  if (l.length === 0) throw new OpError('aten::pop', 'IndexError: pop from empty list');
  return l.splice(wrapIndex('aten::pop', i, l.length), 1)[0];
}

function minMax(op: string, l: number[], pickMax: boolean): number {
  if (l.length === 0) throw new OpError(op, `ValueError: ${pickMax ? 'max' : 'min'}() arg is an empty sequence`);
  return pickMax ? Math.max(...l) : Math.min(...l);
}

// One Dict overload per key type, same JS for all (Map keys compare by identity/value).
const DICT_KEYS = ['str', 'int', 'float', 'bool', 'Tensor'] as const;
type DictKey = typeof DICT_KEYS[number];
const DICT_ROWS: Record<DictKey, OpDef[]> = {
  str: [
    { schema: 'aten::__getitem__.Dict_str(Dict(str, t) self, str key) -> t(*)', tags: L, impl: dictGet },
    { schema: 'aten::_set_item.str(Dict(str, t)(a!) l, str(b -> *) idx, t(c -> *) v) -> ()', tags: L, impl: (d: Dict, k: unknown, v: unknown) => void d.set(k, v) },
    { schema: 'aten::__contains__.str(Dict(str, t) dict, str key) -> bool', tags: L, impl: (d: Dict, k: unknown) => d.has(k) },
    { schema: 'aten::len.Dict_str(Dict(str, t) self) -> int', tags: L, impl: (d: Dict) => d.size },
    { schema: 'aten::keys.str(Dict(str, t) self) -> str[](*)', tags: L, impl: (d: Dict) => [...d.keys()] },
    { schema: 'aten::values.str(Dict(str, t) self) -> t[](*)', tags: L, impl: (d: Dict) => [...d.values()] },
    { schema: 'aten::items.str(Dict(str, t) self) -> ((str, t)[])', tags: L, impl: (d: Dict) => [...d.entries()] },
    { schema: 'aten::get.str(Dict(str, t) self, str key) -> t(*)?', tags: L, impl: (d: Dict, k: unknown) => d.get(k) ?? null },
    { schema: 'aten::get.default_str(Dict(str, t) self, str key, t default_value) -> t(*)', tags: L, impl: (d: Dict, k: unknown, v: unknown) => (d.has(k) ? d.get(k) : v) },
    { schema: 'aten::pop.Dict_str(Dict(str, t)(a!) self, str key) -> t(*)', tags: L, impl: (d: Dict, k: unknown) => { const v = dictGet(d, k); d.delete(k); return v; } },
    { schema: 'aten::Delete.Dict_str(Dict(str, t)(a!) self, str key) -> ()', tags: L, impl: (d: Dict, k: unknown) => void (dictGet(d, k), d.delete(k)) },
    { schema: 'aten::copy.Dict_str(Dict(str, t)(a) self) -> Dict(str, t)', tags: L, impl: (d: Dict) => new Map(d) },
    { schema: 'aten::update.str(Dict(str, t)(a!) self, Dict(str, t)(a!) to_add) -> ()', tags: L, impl: (d: Dict, o: Dict) => o.forEach((v, k) => d.set(k, v)) },
    { schema: 'aten::setdefault.str(Dict(str, t)(a!) self, str(b -> *) key, t(c -> *) default_value) -> t(*)', tags: L, impl: setdefault },
    { schema: 'aten::clear.str(Dict(str, t)(a!) self) -> ()', tags: L, impl: (d: Dict) => d.clear() },
  ],
  int: [
    { schema: 'aten::__getitem__.Dict_int(Dict(int, t) self, int key) -> t(*)', tags: L, impl: dictGet },
    { schema: 'aten::_set_item.int(Dict(int, t)(a!) l, int(b -> *) idx, t(c -> *) v) -> ()', tags: L, impl: (d: Dict, k: unknown, v: unknown) => void d.set(k, v) },
    { schema: 'aten::__contains__.int(Dict(int, t) dict, int key) -> bool', tags: L, impl: (d: Dict, k: unknown) => d.has(k) },
    { schema: 'aten::len.Dict_int(Dict(int, t) self) -> int', tags: L, impl: (d: Dict) => d.size },
    { schema: 'aten::keys.int(Dict(int, t) self) -> int[](*)', tags: L, impl: (d: Dict) => [...d.keys()] },
    { schema: 'aten::values.int(Dict(int, t) self) -> t[](*)', tags: L, impl: (d: Dict) => [...d.values()] },
    { schema: 'aten::items.int(Dict(int, t) self) -> ((int, t)[])', tags: L, impl: (d: Dict) => [...d.entries()] },
    { schema: 'aten::get.int(Dict(int, t) self, int key) -> t(*)?', tags: L, impl: (d: Dict, k: unknown) => d.get(k) ?? null },
    { schema: 'aten::get.default_int(Dict(int, t) self, int key, t default_value) -> t(*)', tags: L, impl: (d: Dict, k: unknown, v: unknown) => (d.has(k) ? d.get(k) : v) },
    { schema: 'aten::pop.Dict_int(Dict(int, t)(a!) self, int key) -> t(*)', tags: L, impl: (d: Dict, k: unknown) => { const v = dictGet(d, k); d.delete(k); return v; } },
    { schema: 'aten::copy.Dict_int(Dict(int, t)(a) self) -> Dict(int, t)', tags: L, impl: (d: Dict) => new Map(d) },
    { schema: 'aten::setdefault.int(Dict(int, t)(a!) self, int(b -> *) key, t(c -> *) default_value) -> t(*)', tags: L, impl: setdefault },
  ],
  float: [
    { schema: 'aten::__getitem__.Dict_float(Dict(float, t) self, float key) -> t(*)', tags: L, impl: dictGet },
    { schema: 'aten::__contains__.float(Dict(float, t) dict, float key) -> bool', tags: L, impl: (d: Dict, k: unknown) => d.has(k) },
    { schema: 'aten::len.Dict_float(Dict(float, t) self) -> int', tags: L, impl: (d: Dict) => d.size },
  ],
  bool: [
    { schema: 'aten::__getitem__.Dict_bool(Dict(bool, t) self, bool key) -> t(*)', tags: L, impl: dictGet },
    { schema: 'aten::len.Dict_bool(Dict(bool, t) self) -> int', tags: L, impl: (d: Dict) => d.size },
  ],
  Tensor: [
    { schema: 'aten::__getitem__.Dict_Tensor(Dict(Tensor, t) self, Tensor key) -> t(*)', tags: L, impl: dictGet },
    { schema: 'aten::_set_item.Tensor(Dict(Tensor, t)(a!) l, Tensor(b -> *) idx, t(c -> *) v) -> ()', tags: L, impl: (d: Dict, k: unknown, v: unknown) => void d.set(k, v) },
    { schema: 'aten::__contains__.Tensor(Dict(Tensor, t) dict, Tensor key) -> bool', tags: L, impl: (d: Dict, k: unknown) => d.has(k) },
    { schema: 'aten::len.Dict_Tensor(Dict(Tensor, t) self) -> int', tags: L, impl: (d: Dict) => d.size },
  ],
};

function setdefault(d: Dict, k: unknown, v: unknown): unknown {
  if (!d.has(k)) d.set(k, v);
  return d.get(k);
}

export const LIST_OPS: OpDef[] = [
  { schema: 'aten::len.t(t[] a) -> int', tags: L, impl: (l: List) => l.length },
  { schema: 'aten::len.str(str s) -> int', tags: L, impl: (s: string) => [...s].length },
  { schema: 'aten::__getitem__.t(t[](a) list, int idx) -> t(*)', tags: L, impl: getItem },
  { schema: 'aten::__getitem__.str(str s, int index) -> str', tags: L, impl: (s: string, i: number) => s[wrapIndex('aten::__getitem__', i, s.length)] },
  { schema: 'aten::_set_item.t(t[](a!) l, int idx, t(b -> *) el) -> t[](a!)', tags: L, impl: (l: List, i: number, v: unknown) => { l[wrapIndex('aten::_set_item', i, l.length)] = v; return l; } },
  { schema: 'aten::append.t(t[](a!) self, t(c -> *) el) -> t[](a!)', tags: L, impl: (l: List, v: unknown) => { l.push(v); return l; } },
  { schema: 'aten::insert.t(t[](a!) self, int idx, t(b -> *) el) -> ()', tags: L, impl: (l: List, i: number, v: unknown) => void l.splice(i < 0 ? Math.max(0, i + l.length) : Math.min(i, l.length), 0, v) },
  { schema: 'aten::extend.t(t[](a!) self, t[] other) -> ()', tags: L, impl: (l: List, o: List) => void l.push(...o) },
  { schema: 'aten::pop.t(t[](a!) self, int idx=-1) -> t(*)', tags: L, impl: pop },
  { schema: 'aten::clear.t(t[](a!) self) -> ()', tags: L, impl: (l: List) => void (l.length = 0) },
  { schema: 'aten::reverse.t(t[](a!) self) -> ()', tags: L, impl: (l: List) => void l.reverse() },
  { schema: 'aten::Delete.t(t[](a!) self, int idx) -> ()', tags: L, impl: (l: List, i: number) => void l.splice(wrapIndex('aten::Delete', i, l.length), 1) },
  { schema: 'aten::copy.t(t[](a) self) -> t[]', tags: L, impl: (l: List) => [...l] },
  { schema: 'aten::list.t(t[] l) -> t[]', tags: L, impl: (l: List) => [...l] },
  { schema: 'aten::add.t(t[] a, t[] b) -> t[]', tags: L, impl: (a: List, b: List) => [...a, ...b] },
  { schema: 'aten::mul.left_t(t[] l, int n) -> t[]', tags: L, impl: (l: List, n: number) => Array.from({ length: Math.max(0, n) }, () => l).flat() },
  { schema: 'aten::slice.t(t[] l, int? start=None, int? end=None, int step=1) -> t[]', tags: L, impl: (l: List, a: number | null, b: number | null, s: number) => sliceOf(l, a, b, s, pickList) },
  { schema: 'aten::slice.str(str string, int? start=None, int? end=None, int step=1) -> str', tags: L, impl: (l: string, a: number | null, b: number | null, s: number) => sliceOf(l, a, b, s, pickStr) },
  { schema: 'aten::__contains__.int_list(int[] l, int item) -> bool', tags: L, impl: (l: List, x: unknown) => l.includes(x) },
  { schema: 'aten::__contains__.float_list(float[] l, float item) -> bool', tags: L, impl: (l: List, x: unknown) => l.includes(x) },
  { schema: 'aten::__contains__.str_list(str[] l, str item) -> bool', tags: L, impl: (l: List, x: unknown) => l.includes(x) },
  { schema: 'aten::index.list_int(int[] self, int el) -> int', tags: L, impl: indexOf },
  { schema: 'aten::index.list_float(float[] self, float el) -> int', tags: L, impl: indexOf },
  { schema: 'aten::index.list_str(str[] self, str el) -> int', tags: L, impl: indexOf },
  { schema: 'aten::eq.int_list(int[] a, int[] b) -> bool', tags: L, impl: listEq },
  { schema: 'aten::eq.float_list(float[] a, float[] b) -> bool', tags: L, impl: listEq },
  { schema: 'aten::eq.str_list(str[] a, str[] b) -> bool', tags: L, impl: listEq },
  { schema: 'aten::eq.bool_list(bool[] a, bool[] b) -> bool', tags: L, impl: listEq },
  { schema: 'aten::ne.int_list(int[] a, int[] b) -> bool', tags: L, impl: (a: List, b: List) => !listEq(a, b) },
  { schema: 'prim::min.self_int(int[] self) -> int', tags: L, impl: (l: number[]) => minMax('prim::min', l, false) },
  { schema: 'prim::max.self_int(int[] self) -> int', tags: L, impl: (l: number[]) => minMax('prim::max', l, true) },
  { schema: 'aten::sum.int(int[] self) -> int', tags: L, impl: (l: number[]) => l.reduce((a, b) => a + b, 0) },
  { schema: 'aten::sum.float(float[] self) -> float', tags: L, impl: (l: number[]) => l.reduce((a, b) => a + b, 0) },
  { schema: 'aten::all.bool(bool[] self) -> bool', tags: L, impl: (l: boolean[]) => l.every(Boolean) },
  { schema: 'aten::all.int(int[] self) -> bool', tags: L, impl: (l: number[]) => l.every(Boolean) },
  { schema: 'aten::any.bool(bool[] self) -> bool', tags: L, impl: (l: boolean[]) => l.some(Boolean) },
  { schema: 'aten::any.int(int[] self) -> bool', tags: L, impl: (l: number[]) => l.some(Boolean) },
  { schema: 'aten::join(str self, str[] values) -> str', tags: L, impl: (sep: string, l: string[]) => l.join(sep) },
  { schema: 'aten::lower(str self) -> str', tags: L, impl: (s: string) => s.toLowerCase() },
  { schema: 'aten::startswith(str self, str substr, int start=0, int end=-1) -> bool', tags: L, impl: (s: string, p: string, a: number, e: number) => (e === -1 ? s.slice(a) : s.slice(a, e)).startsWith(p) },
  { schema: 'aten::dict.str((str, tVal)[] inputs) -> Dict(str, tVal)', tags: L, impl: (kv: [unknown, unknown][]) => new Map(kv) },
  { schema: 'aten::dict.int((int, tVal)[] inputs) -> Dict(int, tVal)', tags: L, impl: (kv: [unknown, unknown][]) => new Map(kv) },
  { schema: 'aten::dict.Dict_str(Dict(str, t)(a) self) -> Dict(str, t)', tags: L, impl: (d: Dict) => new Map(d) },
  ...DICT_KEYS.flatMap((k) => DICT_ROWS[k]),
];

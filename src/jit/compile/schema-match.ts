// Overload resolution by static types, after PyTorch's schema_matching.cpp: each overload is tried
// in table order, first without implicit conversions and then with them (Tensor -> int/float/
// Scalar, int -> float); a match fills defaults, expands `int[2]` from one int and turns tuples
// into lists. Matching only plans; `materialize` inserts the conversion nodes.
import type { OpRow } from '../../ops/table.js';
import type { SType } from '../../ops/schema.js';
import type { Graph, Value } from '../ir.js';
import {
  AnyT, BoolT, DeviceT, FloatT, IntT, NoneT, ScalarT, StrT, TensorT, dictType, isSubtypeOf, listType, optionalType,
  tupleType, unify, type JitType,
} from '../types.js';

const PRIM_TYPES: Record<string, JitType> = {
  Tensor: TensorT, int: IntT, SymInt: IntT, float: FloatT, bool: BoolT, str: StrT, Scalar: ScalarT, number: ScalarT,
  ScalarType: IntT, Layout: IntT, MemoryFormat: IntT, QScheme: IntT, Device: DeviceT, Any: AnyT, Dimname: StrT,
  AnyClassType: AnyT, AnyEnumType: AnyT, Generator: { kind: 'Generator' }, Storage: { kind: 'Storage' },
  Stream: { kind: 'Stream' }, complex: { kind: 'complex' },
};
const isTypeVar = (name: string) => !Object.hasOwn(PRIM_TYPES, name);

type Binds = Map<string, JitType>;

/** A schema type as a JIT type, with type variables replaced by what they matched. */
export function schemaTypeToJit(t: SType, binds: Binds = new Map()): JitType {
  switch (t.kind) {
    case 'prim': return isTypeVar(t.name) ? binds.get(t.name) ?? AnyT : PRIM_TYPES[t.name];
    case 'List': return listType(schemaTypeToJit(t.elem, binds));
    case 'Optional': return optionalType(schemaTypeToJit(t.elem, binds));
    case 'Tuple': return tupleType(t.elems.map((e) => schemaTypeToJit(e, binds)));
    case 'Dict': return dictType(schemaTypeToJit(t.key, binds), schemaTypeToJit(t.value, binds));
    case 'Future': return AnyT;
  }
}

/** How one schema argument gets its value. */
type Step =
  | { kind: 'value'; v: Value }
  | { kind: 'implicit'; op: string; v: Value; type: JitType }
  | { kind: 'repeat'; v: Value; n: number; type: JitType }
  | { kind: 'tuple2list'; v: Value; type: JitType }
  | { kind: 'const'; value: unknown; type: JitType }
  | { kind: 'varargs'; vs: Value[] };

export interface Match { row: OpRow; steps: Step[]; returns: JitType[] }

function convertible(v: Value, t: SType, binds: Binds, conv: boolean): Step | null {
  const vt = v.type;
  if (t.kind === 'Optional') {
    if (vt.kind === 'NoneType') return { kind: 'value', v };
    if (vt.kind === 'Optional') return typeFits(vt.elem, t.elem, binds) ? { kind: 'value', v } : null;
    return convertible(v, t.elem, binds, conv);
  }
  if (typeFits(vt, t, binds)) return { kind: 'value', v };
  if (t.kind === 'List') {
    if (vt.kind === 'Tuple' && vt.elems.every((e) => typeFits(e, t.elem, binds))) return { kind: 'tuple2list', v, type: schemaTypeToJit(t, binds) };
    if (t.size !== undefined && typeFits(vt, t.elem, binds)) return { kind: 'repeat', v, n: t.size, type: schemaTypeToJit(t, binds) };
    return null;
  }
  if (!conv || t.kind !== 'prim') return null;
  if (vt.kind === 'Tensor') {
    if (t.name === 'int' || t.name === 'SymInt') return { kind: 'implicit', op: 'aten::IntImplicit', v, type: IntT };
    if (t.name === 'float') return { kind: 'implicit', op: 'aten::FloatImplicit', v, type: FloatT };
    if (t.name === 'Scalar') return { kind: 'implicit', op: 'aten::ScalarImplicit', v, type: ScalarT };
  }
  if (vt.kind === 'int' && t.name === 'float') return { kind: 'value', v };
  if (vt.kind === 'str' && t.name === 'Device') return { kind: 'value', v };
  return null;
}

/** Whether a value of type `vt` can be passed as `t` as is (binding type variables). */
function typeFits(vt: JitType, t: SType, binds: Binds): boolean {
  switch (t.kind) {
    case 'prim': {
      if (isTypeVar(t.name)) {
        const bound = binds.get(t.name);
        if (!bound) { binds.set(t.name, vt); return true; }
        const u = unify(bound, vt);
        if (!u) return false;
        binds.set(t.name, u);
        return true;
      }
      const want = PRIM_TYPES[t.name];
      if (want.kind === 'Any') return true;
      if (t.name === 'Scalar' || t.name === 'number') return vt.kind === 'int' || vt.kind === 'float' || vt.kind === 'Scalar' || vt.kind === 'bool';
      return isSubtypeOf(vt, want);
    }
    case 'Optional':
      if (vt.kind === 'NoneType') return true;
      return typeFits(vt.kind === 'Optional' ? vt.elem : vt, t.elem, binds);
    case 'List': return vt.kind === 'List' && typeFits(vt.elem, t.elem, binds);
    case 'Tuple': return vt.kind === 'Tuple' && vt.elems.length === t.elems.length && vt.elems.every((e, i) => typeFits(e, t.elems[i], binds));
    case 'Dict': return vt.kind === 'Dict' && typeFits(vt.key, t.key, binds) && typeFits(vt.value, t.value, binds);
    case 'Future': return false;
  }
}

function defaultStep(t: SType, value: unknown, binds: Binds): Step {
  return { kind: 'const', value, type: value === null ? schemaTypeToJit(t, binds) : schemaTypeToJit(t.kind === 'Optional' ? t.elem : t, binds) };
}

/** Plans a call of `row` with positional `args` and keyword `kwargs`, or null if it does not fit. */
export function matchSchema(row: OpRow, args: readonly Value[], kwargs: ReadonlyMap<string, Value>, conv: boolean): Match | null {
  const s = row.parsed;
  const binds: Binds = new Map();
  const steps: Step[] = [];
  const used = new Set<string>();
  let ai = 0;
  for (const p of s.args) {
    let v: Value | undefined;
    if (!p.kwargOnly && ai < args.length) v = args[ai++];
    else if (kwargs.has(p.name)) { v = kwargs.get(p.name); used.add(p.name); }
    if (v === undefined) {
      if (p.hasDefault) steps.push(defaultStep(p.type, p.default, binds));
      else if (p.type.kind === 'Optional') steps.push({ kind: 'const', value: null, type: NoneT });
      else return null;
      continue;
    }
    const step = convertible(v, p.type, binds, conv);
    if (!step) return null;
    steps.push(step);
  }
  if (s.varArgs) steps.push({ kind: 'varargs', vs: args.slice(ai) });
  else if (ai < args.length) return null;
  for (const k of kwargs.keys()) if (!used.has(k)) return null;
  return { row, steps, returns: s.returns.map((r) => schemaTypeToJit(r.type, binds)) };
}

/** The first overload that fits, trying all without conversions before any with them. */
export function findOverload(rows: readonly OpRow[], args: readonly Value[], kwargs: ReadonlyMap<string, Value>): Match | null {
  for (const conv of [false, true]) {
    for (const row of rows) {
      const ov = row.parsed.overload;
      if (ov === 'out' || ov.endsWith('_out')) continue;
      const m = matchSchema(row, args, kwargs, conv);
      if (m) return m;
    }
  }
  return null;
}

/** Inserts the conversion and default nodes of a match; returns the node inputs in schema order. */
export function materialize(g: Graph, m: Match): Value[] {
  const out: Value[] = [];
  for (const st of m.steps) {
    switch (st.kind) {
      case 'value': out.push(st.v); break;
      case 'varargs': out.push(...st.vs); break;
      case 'implicit': {
        const n = g.insertNode(g.createNode(st.op, [st.v]));
        out.push(n.output().setType(st.type));
        break;
      }
      case 'repeat': {
        const n = g.insertNode(g.createNode('prim::ListConstruct', new Array(st.n).fill(st.v)));
        out.push(n.output().setType(st.type));
        break;
      }
      case 'tuple2list': {
        const t = st.v.type as { kind: 'Tuple'; elems: JitType[] };
        const un = g.insertNode(g.createNode('prim::TupleUnpack', [st.v], t.elems.length));
        un.outputs.forEach((o, i) => o.setType(t.elems[i]));
        out.push(g.insertNode(g.createNode('prim::ListConstruct', un.outputs)).output().setType(st.type));
        break;
      }
      case 'const': out.push(insertDefault(g, st.value, st.type)); break;
    }
  }
  return out;
}

/** A schema default as a constant of the argument's type (`float eps=1e-05`, `int[] dims=[]`). */
export function insertDefault(g: Graph, value: unknown, type: JitType): Value {
  if (value === null || value === undefined) return g.insertConstant(null, { type: type.kind === 'Optional' ? type : NoneT });
  if (typeof value === 'number' && type.kind === 'Scalar') return g.insertConstant(value, { type: Number.isInteger(value) ? IntT : FloatT });
  if (typeof value === 'number' && (type.kind === 'float' || type.kind === 'int')) return g.insertConstant(value, { type });
  if (Array.isArray(value) && type.kind === 'List') return g.insertConstant(value as number[], { type });
  if (typeof value === 'string' && type.kind === 'int') {
    // Named enum defaults the schema parser left as text: keep them as ints PyTorch would use.
    return g.insertConstant(0, { type: IntT });
  }
  return g.insertConstant(value as string | number | boolean, { type: type.kind === 'Any' ? undefined : type });
}

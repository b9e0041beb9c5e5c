// Overload resolution by static types (PyTorch's schema_matching.cpp, reduced): the first op-table
// row whose schema takes the argument types wins, trying exact matches before int -> float
// conversions. Type variables (`t`, `t[]`) bind to the argument's type and give the return type.
import { OP_TABLE } from '../../ops/index.js';
import type { OpRow } from '../../ops/table.js';
import type { SArg, SType } from '../../ops/schema.js';
import { isDType, SCALAR_TYPE_OF } from '../../sdk/dtype.js';
import { constantValue, Value, type Graph } from '../ir.js';
import {
  AnyT, BoolT, DeviceT, FloatT, IntT, NoneT, ScalarT, StrT, TensorT, dictType, listType, optionalType, tupleType,
  type JitType,
} from '../types.js';

export type TypeEnv = Map<string, JitType>;

/** A resolved call: the row, its inputs (every schema argument, defaults as constants) and output types. */
export interface MatchedCall { row: OpRow; inputs: Value[]; outputTypes: JitType[] }

const isTypeVar = (name: string) => /^t\d?$/.test(name) || name === 'Any';

/** The JIT type a schema type denotes, with type variables looked up in `env`. */
export function schemaTypeToJit(s: SType, env: TypeEnv = new Map()): JitType {
  switch (s.kind) {
    case 'Optional': return optionalType(schemaTypeToJit(s.elem, env));
    case 'List': return listType(schemaTypeToJit(s.elem, env));
    case 'Tuple': return tupleType(s.elems.map((e) => schemaTypeToJit(e, env)));
    case 'Dict': return dictType(schemaTypeToJit(s.key, env), schemaTypeToJit(s.value, env));
    case 'Future': return AnyT;
  }
  switch (s.name) {
    case 'Tensor': return TensorT;
    case 'int': case 'SymInt': case 'ScalarType': case 'Layout': case 'MemoryFormat': return IntT;
    case 'float': return FloatT;
    case 'bool': return BoolT;
    case 'str': return StrT;
    case 'Scalar': case 'number': return ScalarT;
    case 'Device': return DeviceT;
    case 'None': return NoneT;
    default: return isTypeVar(s.name) ? env.get(s.name) ?? AnyT : AnyT;
  }
}

/** Whether a value of type `t` may be passed as `s` (binding type variables in `env`). */
function accepts(t: JitType, s: SType, env: TypeEnv, convert: boolean, v?: Value): boolean {
  if (s.kind === 'Optional') return t.kind === 'NoneType' || (t.kind === 'Optional' && accepts(t.elem, s.elem, env, convert)) || accepts(t, s.elem, env, convert, v);
  if (s.kind === 'List') {
    if (t.kind === 'List') return accepts(t.elem, s.elem, env, convert) || isEmptyList(v);
    return s.size !== undefined && t.kind === 'int' && s.elem.kind === 'prim' && s.elem.name === 'int';
  }
  if (s.kind === 'Tuple') return t.kind === 'Tuple' && t.elems.length === s.elems.length && t.elems.every((e, i) => accepts(e, s.elems[i], env, convert));
  if (s.kind !== 'prim') return false;
  switch (s.name) {
    case 'Tensor': return t.kind === 'Tensor';
    case 'int': case 'SymInt': return t.kind === 'int';
    case 'float': return t.kind === 'float' || (convert && t.kind === 'int');
    case 'bool': return t.kind === 'bool';
    case 'str': return t.kind === 'str';
    case 'Scalar': case 'number': return t.kind === 'int' || t.kind === 'float' || t.kind === 'bool' || t.kind === 'Scalar';
    case 'ScalarType': return t.kind === 'int' || (t.kind === 'str' && v !== undefined && isDType(constantValue(v)));
    case 'Layout': case 'MemoryFormat': return t.kind === 'int';
    case 'Device': return t.kind === 'Device' || t.kind === 'str';
    default:
      if (!isTypeVar(s.name)) return false;
      if (s.name === 'Any') return true;
      const bound = env.get(s.name);
      if (bound) return bound.kind === t.kind;
      env.set(s.name, t);
      return true;
  }
}

function isEmptyList(v?: Value): boolean {
  return !!v && v.node().kind === 'prim::ListConstruct' && v.node().inputs.length === 0;
}

/** Converts `v` to what `s` wants: dtype names to ScalarType codes, an int to int[N]. */
function coerce(g: Graph, v: Value, s: SType): Value {
  const inner = s.kind === 'Optional' ? s.elem : s;
  if (v.type.kind === 'NoneType') return v;
  if (inner.kind === 'prim' && inner.name === 'ScalarType' && v.type.kind === 'str') {
    return g.insertConstant(SCALAR_TYPE_OF[constantValue(v) as keyof typeof SCALAR_TYPE_OF], { type: IntT });
  }
  if (inner.kind === 'List' && inner.size !== undefined && v.type.kind === 'int') {
    const n = g.createNode('prim::ListConstruct', new Array(inner.size).fill(v), 1);
    n.output().setType(listType(IntT));
    return g.insertNode(n).output();
  }
  if (inner.kind === 'List' && isEmptyList(v)) v.setType(schemaTypeToJit(inner));
  return v;
}

/** A constant holding an argument's schema default. */
function defaultValue(g: Graph, p: SArg): Value {
  const t = schemaTypeToJit(p.type.kind === 'Optional' ? p.type.elem : p.type);
  const d = p.default as any;
  if (d === null || d === undefined) return g.insertConstant(null);
  if (Array.isArray(d)) return g.insertConstant(d, { type: listType(t.kind === 'List' ? t.elem : t) });
  return g.insertConstant(d, { type: t.kind === 'Scalar' ? (Number.isInteger(d) ? IntT : FloatT) : t.kind === 'Any' ? undefined : t });
}

function bindArgs(row: OpRow, args: Value[], kwargs: Map<string, Value>, convert: boolean): { picked: (Value | SArg)[]; env: TypeEnv } | null {
  const params = row.parsed.args;
  if (row.parsed.varArgs) return null;
  if (args.length > params.filter((p) => !p.kwargOnly).length) return null;
  const env: TypeEnv = new Map();
  const picked: (Value | SArg)[] = [];
  let used = 0;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const v = i < args.length ? args[i] : kwargs.get(p.name);
    if (v !== undefined && i >= args.length) used++;
    if (v === undefined) {
      if (!p.hasDefault && p.type.kind !== 'Optional') return null;
      picked.push(p);
    } else if (!accepts(v.type, p.type, env, convert, v)) return null;
    else picked.push(v);
  }
  return used === kwargs.size ? { picked, env } : null;
}

/** The rows a script may call: no `out=` variants. */
function callableRows(name: string): OpRow[] {
  return (OP_TABLE.get(name) ?? []).filter((r) => r.parsed.overload !== 'out' && !r.parsed.overload.endsWith('_out'));
}

/**
 * Resolves `name(args, **kwargs)` by types and inserts the constants and conversions it needs at
 * the graph's insert point. Returns null when no row takes these types.
 */
export function matchCall(g: Graph, name: string, args: Value[], kwargs: Map<string, Value>): MatchedCall | null {
  for (const convert of [false, true]) {
    for (const row of callableRows(name)) {
      const b = bindArgs(row, args, kwargs, convert);
      if (!b) continue;
      const inputs = b.picked.map((x, i) => (x instanceof Value ? coerce(g, x, row.parsed.args[i].type) : defaultValue(g, x)));
      const outputTypes = row.parsed.returns.map((r) => schemaTypeToJit(r.type, b.env));
      return { row, inputs, outputTypes };
    }
  }
  return null;
}

/** Whether the table has rows named `name`. */
export function hasOp(name: string): boolean {
  return callableRows(name).length > 0;
}

/** The candidate schemas for an error message. */
export function candidates(name: string): string {
  return callableRows(name).map((r) => `  ${r.schema}`).join('\n');
}

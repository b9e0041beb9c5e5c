// Run-time values read with their static types. ints and floats are both JS numbers, so a float
// that holds an integral value (`float(3)`) looks like an int; the few ops whose result depends
// on that (printing, and making a tensor from a number) are given the type the emitter inferred.
import { Tensor } from '../../sdk/tensor.js';
import { fromValues } from '../../ops/exec.js';
import type { OpRow } from '../../ops/table.js';
import type { Node } from '../ir.js';
import type { JitType } from '../types.js';

/** Python's repr of a float: `1.0`, `0.1`, `1e-05`, `1e+16`, `inf`, `nan`. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // Both use the shortest round-trip digits; Python switches to exponents outside [1e-4, 1e16).
  const [mant, e] = x.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const s = String(x);
  return s.includes('.') ? s : `${s}.0`;
}

/** Python's str() of a value of static type `t` (repr inside containers, as Python does). */
export function pyStr(v: unknown, t: JitType): string {
  if (typeof v === 'string') return v;
  return pyRepr(v, t);
}

function pyRepr(v: unknown, t: JitType): string {
  const inner = t.kind === 'Optional' ? t.elem : t;
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number') {
    const isFloat = inner.kind === 'float' || (inner.kind !== 'int' && !Number.isInteger(v));
    return isFloat ? pyFloatRepr(v) : String(v);
  }
  if (typeof v === 'bigint') return String(v);
  if (v instanceof Tensor) return v.toString();
  if (Array.isArray(v)) {
    const elem = (i: number): JitType => (inner.kind === 'List' ? inner.elem : inner.kind === 'Tuple' ? inner.elems[i] ?? ANY : ANY);
    const items = v.map((x, i) => pyRepr(x, elem(i)));
    if (inner.kind === 'Tuple') return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    return `[${items.join(', ')}]`;
  }
  if (v instanceof Map) {
    const [k, x] = inner.kind === 'Dict' ? [inner.key, inner.value] : [ANY, ANY];
    return `{${[...v].map(([a, b]) => `${pyRepr(a, k)}: ${pyRepr(b, x)}`).join(', ')}}`;
  }
  return String(v);
}

const ANY: JitType = { kind: 'Any' };

const floatElements = (t: JitType): boolean => (t.kind === 'List' ? floatElements(t.elem) : t.kind === 'float');

/**
 * The arguments of an op node with the static types applied where a row cannot see them:
 * str() and format() of floats print as floats, `torch.tensor` of float lists is a float tensor.
 */
export function applyStaticTypes(n: Node, row: OpRow, args: unknown[]): unknown[] {
  switch (n.kind) {
    case 'aten::str': case 'aten::format':
      return args.map((a, i) => (i === 0 && n.kind === 'aten::format' ? a : pyStr(a, n.inputs[i].type)));
    case 'aten::tensor':
      if (row.parsed.overload === '' && args[1] === null && floatElements(n.input(0).type)) return [args[0], 'float32', ...args.slice(2)];
      return args;
  }
  return args;
}

/** `prim::NumToTensor` of a float-typed number: a float64 tensor even when the value is integral. */
export function floatToTensor(n: Node): ((args: unknown[]) => Tensor) | null {
  if (n.kind !== 'prim::NumToTensor' || n.input(0).type.kind !== 'float') return null;
  return ([v]) => fromValues([], 'float64', [v as number]);
}

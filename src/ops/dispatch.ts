// Eager calls through the op table: overload resolution by argument values, defaults from the
// schema, keyword arguments by name (an options object in JS).
import { Tensor, tidy } from '../sdk/tensor.js';
import { isDType, SCALAR_TYPE, type DType } from '../sdk/dtype.js';
import { ArgumentError, UnknownOpError } from '../sdk/errors.js';
import type { SType, SArg } from './schema.js';
import { typeText } from './schema.js';
import type { OpRow } from './table.js';
import { needsRecording, recordOp, bumpVersions } from '../autograd/record.js';
import { withGradMode } from '../autograd/mode.js';
import { OP_TABLE } from './index.js';
import { full } from './creation.js';

export const NO_MATCH = Symbol('no match');

/** A value of `type`, normalised (int[2] from an int, dtype from a ScalarType code), or NO_MATCH. */
export function coerce(v: any, type: SType, lenient: boolean, scalarToTensor: (v: number | boolean) => Tensor): any {
  if (type.kind === 'Optional') return v === null || v === undefined ? null : coerce(v, type.elem, lenient, scalarToTensor);
  if (v === undefined) return NO_MATCH;
  if (type.kind === 'List') {
    if (!Array.isArray(v)) {
      // `int[2] stride=1` accepts a single int, as PyTorch's Python binding does.
      if (type.size !== undefined && type.elem.kind === 'prim' && typeof v === 'number') return new Array(type.size).fill(coerce(v, type.elem, lenient, scalarToTensor));
      return NO_MATCH;
    }
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) if ((out[i] = coerce(v[i], type.elem, lenient, scalarToTensor)) === NO_MATCH) return NO_MATCH;
    return out;
  }
  if (type.kind !== 'prim') return v; // tuples, dicts: passed through (TorchScript values)
  switch (type.name) {
    case 'Tensor':
      if (v instanceof Tensor) return v;
      return lenient && (typeof v === 'number' || typeof v === 'boolean') ? scalarToTensor(v) : NO_MATCH;
    case 'int':
    case 'SymInt':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'bigint') return Number(v);
      if (lenient && typeof v === 'boolean') return v ? 1 : 0;
      return lenient && v instanceof Tensor && v.dim === 0 && v.dtype !== 'float32' ? Number(v.item()) : NO_MATCH;
    case 'float':
      if (typeof v === 'number') return v;
      return lenient && v instanceof Tensor && v.dim === 0 ? Number(v.item()) : NO_MATCH;
    case 'bool':
      if (typeof v === 'boolean') return v;
      return lenient && (v === 0 || v === 1) ? v === 1 : NO_MATCH;
    case 'Scalar':
    case 'number':
      if (typeof v === 'number' || typeof v === 'boolean') return v;
      return lenient && v instanceof Tensor && v.dim === 0 ? v.item() : NO_MATCH;
    case 'str':
      return typeof v === 'string' ? v : NO_MATCH;
    case 'ScalarType':
      if (isDType(v)) return v;
      return typeof v === 'number' && SCALAR_TYPE[v] ? (SCALAR_TYPE[v] as DType) : NO_MATCH;
    case 'Layout':
    case 'Device':
    case 'MemoryFormat':
    case 'Generator':
    case 't':
    case 'Any':
      return v;
    default:
      return NO_MATCH; // Dimname, complex, Storage, ...: not supported
  }
}

/** Binds positional and keyword arguments to a schema; NO_MATCH when they don't fit. */
export function bind(row: OpRow, args: readonly any[], kwargs: Record<string, any> | undefined, lenient: boolean, scalarToTensor: (v: number | boolean) => Tensor): any[] | typeof NO_MATCH {
  const params = row.parsed.args;
  const positional = params.filter((p) => !p.kwargOnly).length;
  if (args.length > positional) return NO_MATCH;
  const used = new Set<string>();
  const out = new Array(params.length);
  for (let i = 0; i < params.length; i++) {
    const p: SArg = params[i];
    let v: any;
    if (i < args.length && !p.kwargOnly) v = args[i];
    else if (kwargs && p.name in kwargs) {
      v = kwargs[p.name];
      used.add(p.name);
    } else if (p.hasDefault) {
      out[i] = p.default;
      continue;
    } else if (p.type.kind === 'Optional') {
      out[i] = null;
      continue;
    } else return NO_MATCH;
    if ((out[i] = coerce(v, p.type, lenient, scalarToTensor)) === NO_MATCH) return NO_MATCH;
  }
  if (kwargs) for (const k of Object.keys(kwargs)) if (!used.has(k) && kwargs[k] !== undefined) return NO_MATCH;
  return out;
}

export function rowsOf(name: string): OpRow[] {
  const rows = OP_TABLE.get(name);
  if (!rows) throw new UnknownOpError(name);
  return rows;
}

/** Calls op `name` (e.g. 'aten::add') with JS values; the first overload that binds wins. */
export function callOp(name: string, args: readonly any[], kwargs?: Record<string, any>): any {
  const rows = rowsOf(name);
  // The tracer sees only the outermost call: ops that an op's impl calls are its implementation.
  const recorder = tracer;
  tracer = null;
  try {
    for (const lenient of [false, true]) {
      for (const row of rows) {
        if (row.parsed.overload === 'out' || row.parsed.overload.endsWith('_out')) continue;
        // tidy: temporaries an op makes (wrapped scalars, casts) are freed even when it throws.
        const result = tidy(() => {
          const bound = bind(row, args, kwargs, lenient, scalarTensor);
          if (bound === NO_MATCH) return NO_MATCH;
          const out = runRow(row, bound);
          recorder?.record(row, bound, out);
          return out;
        });
        if (result !== NO_MATCH) return result;
      }
    }
  } finally {
    tracer = recorder;
  }
  throw new ArgumentError(name, `arguments (${describe(args, kwargs)}) match no overload; candidates:\n  ${rows.map((r) => r.schema).join('\n  ')}`);
}

/**
 * Runs a row's impl; when an input requires grad, the call is recorded for autograd (with grad
 * mode off inside, so the ops an impl calls are its implementation, not graph nodes).
 */
export function runRow(row: OpRow, bound: any[]): any {
  const record = needsRecording(row, bound);
  // In-place ops overwrite `self`: the rule must see the value from before the call.
  const saved = record && row.parsed.mutates ? bound.map((a, i) => (i === 0 && a instanceof Tensor ? withGradMode(false, () => callOp('aten::clone', [a])) : a)) : bound;
  const out = record ? withGradMode(false, () => row.impl(...bound)) : row.impl(...bound);
  if (row.parsed.mutates) bumpVersions(row, bound);
  if (record) recordOp(row, saved, out);
  return out;
}

/** What torch.jit.trace installs to see op calls: the row, its bound arguments and its result. */
export interface OpTracer {
  record(row: OpRow, args: readonly any[], result: any): void;
}
let tracer: OpTracer | null = null;
/** Installs (or with null removes) the tracer; returns the previous one. */
export function setTracer(t: OpTracer | null): OpTracer | null {
  const prev = tracer;
  tracer = t;
  return prev;
}
/** The tracer that would record a call made now (null inside an op's own implementation). */
export function currentTracer(): OpTracer | null {
  return tracer;
}

/** A Python scalar passed where a Tensor is expected becomes a 0-dim tensor, as in PyTorch. */
const scalarTensor = (v: number | boolean): Tensor => full([], v, typeof v === 'boolean' ? 'bool' : Number.isInteger(v) ? 'int64' : 'float32');

function describe(args: readonly any[], kwargs?: Record<string, any>): string {
  const d = (v: any): string =>
    v instanceof Tensor ? `Tensor(${v.dtype}[${v.shape.join(', ')}])` : Array.isArray(v) ? `[${v.map(d).join(', ')}]` : v === null ? 'None' : typeof v === 'string' ? JSON.stringify(v) : String(v);
  return [...args.map(d), ...Object.entries(kwargs ?? {}).map(([k, v]) => `${k}=${d(v)}`)].join(', ');
}

export { typeText };

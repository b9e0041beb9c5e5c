// The `torch` namespace: one function per op-table name (torch.add -> aten::add), Tensor methods
// for rows whose first argument is `self`, and the creation helpers that take JS data.
import { callOp, setScalarTensor } from '../ops/dispatch.js';
import { OP_TABLE } from '../ops/index.js';
import { full } from '../ops/creation.js';
import { Tensor } from './tensor.js';

const isOptions = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** Calls `aten::name`; a trailing plain object holds keyword arguments. */
export function call(name: string, args: any[]): any {
  const last = args[args.length - 1];
  return isOptions(last) ? callOp(name, args.slice(0, -1), last) : callOp(name, args);
}

export const ops: Record<string, (...args: any[]) => any> = {};
for (const [qualified, rows] of OP_TABLE) {
  const [ns, base] = qualified.split('::');
  if (ns !== 'aten') continue;
  ops[base] = (...args: any[]) => call(qualified, args);
  if (rows.some((r) => r.parsed.args[0]?.name === 'self' && r.parsed.args[0].type.kind === 'prim' && r.parsed.args[0].type.name === 'Tensor') && !(base in Tensor.prototype)) {
    Object.defineProperty(Tensor.prototype, base, {
      value: function (this: Tensor, ...args: any[]) {
        return call(qualified, [this, ...args]);
      },
      writable: true,
      configurable: true,
    });
  }
}

setScalarTensor((v) => full([], v, typeof v === 'boolean' ? 'bool' : Number.isInteger(v) ? 'int64' : 'float32'));

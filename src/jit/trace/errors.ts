// What tracing reports: a typed error for what cannot be traced, and PyTorch's TracerWarning text
// (with "JavaScript" for "Python") for values that leave the recorded data flow.
import { Tensor } from '../../sdk/tensor.js';

export class TracingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TracingError';
  }
}

export const TRACER_WARNING = 'TracerWarning: Converting a tensor to a JavaScript number might cause the trace to be '
  + "incorrect. We can't record the data flow of JavaScript values, so this value will be treated as a "
  + 'constant in the future. This means that the trace might not generalize to other inputs!';

/** A short description of a JS value for error messages (`number 3`, `string "a"`, `Tensor`). */
export function describeValue(v: unknown): string {
  if (v instanceof Tensor) return `Tensor(${v.dtype}[${v.shape.join(', ')}])`;
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `array [${v.map(describeValue).join(', ')}]`;
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (typeof v === 'object') return `object of class ${v.constructor?.name ?? 'Object'}`;
  return `${typeof v} ${String(v)}`;
}

// Python-style calls in JS: positional arguments, then a trailing options object of keyword
// arguments (`F.interpolate(x, {size: [3, 3], mode: 'bilinear'})`).
import { ArgumentError } from './errors.js';

/** A plain `{...}` object: the keyword arguments of a call. */
export const isOptions = (v: unknown): v is Record<string, any> =>
  v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** Splits a trailing options object (the keyword arguments) off `args`. */
export function splitOptions(args: readonly any[]): [positional: any[], kwargs: Record<string, any> | undefined] {
  const last = args[args.length - 1];
  return isOptions(last) ? [args.slice(0, -1), last] : [[...args], undefined];
}

/** Marks a parameter without a default. */
export const REQUIRED = Symbol('required');

/** A parameter: its name alone (required) or [name, default]. */
export type Param = string | [name: string, default_: unknown];

/**
 * Wraps `body` as the Python function `name(params...)`: binds positional and keyword
 * arguments as Python does (with its TypeError wording), fills defaults, and passes them by name.
 */
export function pyfn(name: string, params: readonly Param[], body: (a: Record<string, any>) => any): (...args: any[]) => any {
  const names = params.map((p) => (typeof p === 'string' ? p : p[0]));
  // A bare name is a torch.nn.functional entry.
  const qualname = name.includes('.') ? name : `torch.nn.functional.${name}`;
  const fname = qualname.split('.').pop()!;
  return (...args: any[]) => {
    const [positional, kwargs = {}] = splitOptions(args);
    if (positional.length > names.length) throw new ArgumentError(qualname, `${fname}() takes ${names.length} positional arguments but ${positional.length} were given`);
    for (const k of Object.keys(kwargs)) {
      if (!names.includes(k)) throw new ArgumentError(qualname, `${fname}() got an unexpected keyword argument '${k}'`);
      if (names.indexOf(k) < positional.length) throw new ArgumentError(qualname, `${fname}() got multiple values for argument '${k}'`);
    }
    const a: Record<string, any> = {};
    params.forEach((p, i) => {
      const v = i < positional.length ? positional[i] : kwargs[names[i]];
      if (v !== undefined) a[names[i]] = v;
      else if (typeof p === 'string' || p[1] === REQUIRED) throw new ArgumentError(qualname, `${fname}() missing required argument '${names[i]}' (pos ${i + 1})`);
      else a[names[i]] = p[1];
    });
    return body(a);
  };
}

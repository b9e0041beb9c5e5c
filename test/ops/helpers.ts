// Shared helpers for the op tests: tensors from nested arrays, element-wise closeness, typed errors.
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import type { Tensor } from '../../src/sdk/tensor.js';
import { numelOf } from '../../src/sdk/tensor.js';

export const range = (n: number) => Array.from({ length: n }, (_, i) => i);
export const f32 = (v: any) => torch.tensor(v, 'float32') as Tensor;
export const i64 = (v: any) => torch.tensor(v, 'int64') as Tensor;

/** torch.arange(prod(shape)).reshape(shape): int64 values 0, 1, 2, ... */
export const arange = (...shape: number[]): Tensor => torch.arange(numelOf(shape)).reshape(shape);

/** arange(prod(shape)) as nested JS arrays: the reference every shape op is checked against. */
export function nested(shape: readonly number[], base = 0): any {
  if (shape.length === 0) return base;
  const inner = numelOf(shape.slice(1));
  return range(shape[0]).map((i) => nested(shape.slice(1), base + i * inner));
}

/** Asserts |got - want| <= tol * (1 + |want|) element-wise (NaN matches NaN), lengths equal. */
export function close(got: readonly number[], want: readonly number[], tol = 1e-5, msg = ''): void {
  assert.is(got.length, want.length, `${msg} length`);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= tol * (1 + Math.abs(want[i])) || (Number.isNaN(g) && Number.isNaN(want[i])), `${msg} [${i}]: ${g} vs ${want[i]}`));
}

/** Asserts `fn` throws a `cls` whose message contains `expected` (a string) or matches it (a RegExp). */
export function throwsLike(fn: () => unknown, cls: abstract new (...args: never[]) => Error, expected: string | RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, cls);
    const msg = (e as Error).message;
    assert.ok(typeof expected === 'string' ? msg.includes(expected) : expected.test(msg), `"${msg}" should match ${expected}`);
    return;
  }
  assert.unreachable(`expected ${cls.name}: ${expected}`);
}

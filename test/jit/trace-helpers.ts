// Shared by the trace and script-js tests: fixtures of ../shared/fixtures/torchscript and the
// talk's functions in examples/talk.js (plain JavaScript, loaded from the repository root).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import * as assert from 'uvu/assert';
import { tensorFromNpy } from '../../src/sdk/npy.js';
import type { Tensor } from '../../src/sdk/tensor.js';

const DIR = '../shared/fixtures/torchscript/';

/** A fixture tensor (`NAME.inputK.npy`); copied out of Node's Buffer pool first. */
export function fixture(name: string): Tensor {
  return tensorFromNpy(new Uint8Array(readFileSync(DIR + name)));
}

export function manifestCase(name: string): { graph?: string } {
  const m = JSON.parse(readFileSync(`${DIR}manifest.json`, 'utf8'));
  return m.cases.find((c: { name: string }) => c.name === name);
}

/** examples/talk.js (JavaScript on purpose: scripting reads the functions' source). */
export async function talk(): Promise<any> {
  return import(pathToFileURL(resolve('examples/talk.js')).href);
}

/** |a - b| <= atol + rtol * |b| elementwise (PyTorch's pointwise float32 tolerances by default). */
export function assertClose(a: Tensor, b: Tensor, rtol = 1.3e-6, atol = 1e-5): void {
  assert.equal([...a.shape], [...b.shape], 'shape');
  const x = a.dataSync(), y = b.dataSync();
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(Number(x[i]) - Number(y[i]));
    if (!(d <= atol + rtol * Math.abs(Number(y[i])))) assert.unreachable(`element ${i}: ${x[i]} vs ${y[i]}`);
  }
}

/** Calls `fn` while collecting console.warn messages. */
export function captureWarnings<T>(fn: () => T): { result: T; warnings: string[] } {
  const warnings: string[] = [];
  const orig = console.warn;
  console.warn = (...args: unknown[]) => { warnings.push(args.join(' ')); };
  try {
    return { result: fn(), warnings };
  } finally {
    console.warn = orig;
  }
}

// The two engine builds: the probe that picks torchwick.relaxed.wasm agrees with what the host
// validates, and a Node with relaxed SIMD on (a child process: Node 20 needs the flag) loads the
// relaxed build and computes the same convolutions as this process's build (fused multiply-adds
// round once, so equal within the conv tolerance, not bit for bit).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { engine, preferredVariant } from '../../src/engine/engine.js';

const ENGINE = new URL('../../src/engine/engine.js', import.meta.url).href;
const CONV = new URL('../../src/ops/conv-fast.js', import.meta.url).href;
const TENSOR = new URL('../../src/sdk/tensor.js', import.meta.url).href;

// Prints the build's name and the outputs of a 3x3 (Winograd), a 1x1 and a 9x9 conv (implicit GEMM),
// and of two fused MobileNetV2 blocks (an inverted residual with its skip; the stem-fed first block).
const SCRIPT = `
const { engine } = await import('${ENGINE}');
const { conv2dFast, invertedResidualFast } = await import('${CONV}');
const { Tensor } = await import('${TENSOR}');
let seed = 7;
const t = (shape) => {
  const x = Tensor.empty(shape, 'float32'), a = engine().array('float32', x.ptr, x.numel);
  for (let i = 0; i < a.length; i++) a[i] = ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5;
  return x;
};
const out = [];
for (const [cin, cout, k, p] of [[16, 12, 3, 1], [24, 20, 1, 0], [8, 3, 9, 4]]) {
  const y = conv2dFast(t([1, cin, 23, 29]), t([cout, cin, k, k]), t([cout]), [1, 1], [p, p], [1, 1], 1);
  out.push(...engine().array('float32', y.ptr, y.numel));
}
const c = (shape, lo, hi, stride) => ({ weight: t(shape), bias: t([shape[0]]), lo, hi, stride });
for (const [x, e, s, res] of [[t([1, 24, 15, 13]), c([144, 24, 1, 1], 0, 6, 1), 1, true], [t([1, 3, 31, 29]), c([32, 3, 3, 3], 0, 6, 2), 1, false]]) {
  const cin = e.weight.shape[0], y = invertedResidualFast(x, e, c([cin, 1, 3, 3], 0, 6), s, c([res ? 24 : 16, cin, 1, 1], -Infinity, Infinity), res);
  out.push(...engine().array('float32', y.ptr, y.numel));
}
console.log(JSON.stringify({ variant: engine().variant, out }));
`;

function runChild(flags: string[], env: Record<string, string>): { variant: string; out: number[] } {
  const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', SCRIPT], { encoding: 'utf8', env: { ...process.env, ...env } });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

test('the relaxed-SIMD probe agrees with validating the relaxed build; the loaded build says which it is', () => {
  const relaxedBytes = readFileSync(new URL('../../../torchwick.relaxed.wasm', import.meta.url));
  if (!process.env.TORCHWICK_WASM) assert.is(preferredVariant() === 'relaxed-simd', WebAssembly.validate(relaxedBytes));
  assert.is(engine().variant, preferredVariant());
});

test('relaxed build (child with --experimental-wasm-relaxed-simd) matches the SIMD build: convolutions and fused blocks', () => {
  const simd = runChild([], { TORCHWICK_WASM: 'simd' });
  const relaxed = runChild(['--experimental-wasm-relaxed-simd'], { TORCHWICK_WASM: '' });
  assert.is(simd.variant, 'simd');
  assert.is(relaxed.variant, 'relaxed-simd');
  assert.is(relaxed.out.length, simd.out.length);
  const scale = Math.max(...simd.out.map(Math.abs));
  for (let i = 0; i < simd.out.length; i++) assert.ok(Math.abs(relaxed.out[i] - simd.out[i]) <= 1e-4 * scale, `[${i}] ${relaxed.out[i]} != ${simd.out[i]}`);
});

test.run();

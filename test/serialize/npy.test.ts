import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { readNpy, readNpz, writeNpy, NpyDType } from '../../src/serialize/npy.js';
import { NpyError } from '../../src/serialize/errors.js';
import { LOCAL_DIR, TORCHSCRIPT_DIR, TRAINING_DIR, isError, readBytes } from './helpers.js';

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const elements = (data: ArrayBufferView) => [...(data as unknown as Iterable<number | bigint>)];

test('reads every .npy fixture PyTorch wrote', () => {
  const files = readdirSync(TORCHSCRIPT_DIR).filter((f) => f.endsWith('.npy'));
  assert.ok(files.length > 30);
  for (const f of files) {
    const a = readNpy(readBytes(TORCHSCRIPT_DIR + f));
    assert.ok(['<f4', '<i8', '|b1', '|u1'].includes(a.dtype), `${f}: ${a.dtype}`);
    assert.is((a.data as unknown as { length: number }).length, numel(a.shape), f);
    assert.is(a.fortranOrder, false);
  }
  const input = readNpy(readBytes(TORCHSCRIPT_DIR + 'iou_traced.input0.npy'));
  assert.equal(input.shape, [100, 1000]);
  assert.instance(input.data, Float32Array);
  const labels = readNpy(readBytes(TORCHSCRIPT_DIR + 'maskrcnn_tiny_scripted.labels.npy'));
  assert.is(labels.dtype, '<i8');
  assert.instance(labels.data, BigInt64Array);
});

test('reads the training npz files, keyed by parameter name', () => {
  for (const f of ['train_small.final_params.npz', 'train_small.grads_step0.npz']) {
    const m = readNpz(readBytes(TRAINING_DIR + f));
    assert.ok(m.size > 10, f);
    const w = m.get('conv1.conv2d.weight')!;
    assert.equal(w.shape, [8, 3, 9, 9]);
    assert.is((w.data as Float32Array).length, 8 * 3 * 9 * 9);
  }
});

test('versions 2.0 and 3.0 and Fortran order read the same as C order', () => {
  const c = readNpy(readBytes(LOCAL_DIR + 'c_order.npy'));
  for (const f of ['v2.npy', 'v3.npy', 'fortran_order.npy']) {
    const a = readNpy(readBytes(LOCAL_DIR + f));
    assert.equal(a.shape, c.shape, f);
    assert.equal(a.data, c.data, f);
  }
  assert.is(readNpy(readBytes(LOCAL_DIR + 'fortran_order.npy')).fortranOrder, true);
});

test('reads a compressed npz of mixed dtypes as numpy does', () => {
  const m = readNpz(readBytes(LOCAL_DIR + 'mixed.npz'));
  const expected = JSON.parse(readFileSync(LOCAL_DIR + 'mixed.json', 'utf8')) as
    Record<string, { descr: NpyDType; shape: number[]; values: string[] }>;
  for (const [key, e] of Object.entries(expected)) {
    const a = m.get(key)!;
    assert.is(a.dtype, e.descr, key);
    assert.equal(a.shape, e.shape, key);
    const want = e.values.map((v) => (a.dtype === '<i8' ? BigInt(v) : a.dtype === '|b1' ? Number(v === 'True') : Number(v)));
    assert.equal(elements(a.data), want, key);
  }
});

test('write then read round trip for every dtype', () => {
  const arrays: { dtype: NpyDType; shape: number[]; data: ArrayBufferView }[] = [
    { dtype: '<f4', shape: [2, 3], data: Float32Array.of(1, 2.5, -3, 4, 5, 6) },
    { dtype: '<f8', shape: [], data: Float64Array.of(Math.PI) },
    { dtype: '<i8', shape: [2], data: BigInt64Array.of(-(2n ** 62n), 2n ** 62n) },
    { dtype: '<i4', shape: [1, 1, 3], data: Int32Array.of(-1, 0, 2 ** 31 - 1) },
    { dtype: '<i2', shape: [0, 4], data: new Int16Array(0) },
    { dtype: '|i1', shape: [3], data: Int8Array.of(-128, 0, 127) },
    { dtype: '|u1', shape: [3], data: Uint8Array.of(0, 1, 255) },
    { dtype: '|b1', shape: [2], data: Uint8Array.of(1, 0) },
  ];
  for (const a of arrays) {
    const bytes = writeNpy(a);
    const headerEnd = 10 + (bytes[8] | (bytes[9] << 8));
    assert.is(headerEnd % 64, 0, `${a.dtype} header is 64-byte aligned`);
    const back = readNpy(bytes);
    assert.equal({ dtype: back.dtype, shape: back.shape, data: back.data }, a, a.dtype);
  }
  const fixture = readBytes(TORCHSCRIPT_DIR + 'loop_traced.input0.npy');
  assert.equal(writeNpy(readNpy(fixture)), fixture, 'rewriting a numpy file gives the same bytes');
});

test('bad input throws NpyError', () => {
  const good = writeNpy({ dtype: '<f4', shape: [4], data: new Float32Array(4) });
  const header = (h: string) => {
    const b = good.slice();
    new TextEncoder().encodeInto(h.padEnd(good.length - 10 - 16 - 1), b.subarray(10));
    return b;
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ['no magic', new Uint8Array(20), /magic/],
    ['truncated data', good.subarray(0, good.length - 1), /needs 16 data bytes/],
    ['big endian', header("{'descr': '>f4', 'fortran_order': False, 'shape': (4,), }"), /unsupported dtype '>f4'/],
    ['object dtype', header("{'descr': '|O', 'fortran_order': False, 'shape': (4,), }"), /unsupported dtype/],
    ['no shape', header("{'descr': '<f4', 'fortran_order': False, }"), /malformed header/],
    ['version 9', Uint8Array.from([...good.subarray(0, 6), 9, 0, ...good.subarray(8)]), /version 9/],
  ];
  for (const [name, data, re] of cases) assert.throws(() => readNpy(data), isError(NpyError, re), name);
  assert.throws(() => writeNpy({ dtype: '<f4', shape: [3], data: new Float32Array(4) }), isError(NpyError, /needs 12/));
});

test.run();

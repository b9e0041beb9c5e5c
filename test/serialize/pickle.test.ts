import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readZip } from '../../src/serialize/zip.js';
import { pickle, unpickle } from '../../src/serialize/pickle.js';
import { PyFloat, PyObject, PyTuple, TensorRef, isTensorRef, tuple } from '../../src/serialize/pickle-values.js';
import { DTYPE_ITEMSIZE, torchUnpickleOptions } from '../../src/serialize/torch-globals.js';
import { PickleError, SerializeError } from '../../src/serialize/errors.js';
import { LOCAL_DIR, archivePaths, isError, readBytes, rng } from './helpers.js';

const enc = new TextEncoder();
/** Builds pickle bytes from opcode characters/byte values and strings, for hand-made streams. */
const bytes = (...parts: (number | string)[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'number' ? [p] : [...enc.encode(p)])));
const PROTO2 = [0x80, 2];

function collectTensors(v: unknown, out: TensorRef[] = [], seen = new Set<unknown>()): TensorRef[] {
  if (typeof v !== 'object' || v === null || seen.has(v)) return out;
  seen.add(v);
  if (isTensorRef(v)) out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => collectTensors(x, out, seen));
  else if (v instanceof Map) v.forEach((x, k) => (collectTensors(k, out, seen), collectTensors(x, out, seen)));
  else if (v instanceof PyObject) collectTensors(v.state, out, seen);
  return out;
}

function pickles(path: string) {
  const zip = readZip(readBytes(path));
  const root = zip.names()[0].split('/')[0];
  return { zip, root, names: zip.names().filter((n) => n.endsWith('.pkl') && !n.endsWith('debug_pkl')) };
}

test('unpickles data.pkl and constants.pkl of every archive; tensors point at real records', () => {
  let tensors = 0;
  for (const path of archivePaths()) {
    const { zip, root } = pickles(path);
    const data = unpickle(zip.read(`${root}/data.pkl`), torchUnpickleOptions());
    assert.instance(data, PyObject, path);
    assert.ok((data as PyObject).__class__.startsWith('__torch__.'), path);
    assert.instance((data as PyObject).state, Map);
    const constants = unpickle(zip.read(`${root}/constants.pkl`), torchUnpickleOptions());
    assert.instance(constants, PyTuple, `${path} constants`);
    for (const t of collectTensors([data, constants])) {
      const rec = `${root}/data/${t.storage.key}`;
      assert.ok(zip.has(rec), `${path}: ${rec}`);
      assert.ok(zip.size(rec) >= t.storage.numel * DTYPE_ITEMSIZE[t.storage.dtype], `${path}: ${rec} size`);
      assert.is(t.size.length, t.stride.length);
      tensors++;
    }
  }
  assert.ok(tensors > 100, `found ${tensors} tensors`);
});

test('values keep Python types: float vs int, tuple vs list, type tags', () => {
  const path = archivePaths().find((p) => p.includes('maskrcnn'))!;
  const { zip, root } = pickles(path);
  const opts = torchUnpickleOptions();
  const model = unpickle(zip.read(`${root}/data.pkl`), opts) as PyObject;
  const state = model.state as Map<string, unknown>;
  const transform = state.get('transform') as PyObject;
  const t = transform.state as Map<string, unknown>;
  assert.instance(t.get('min_size'), PyTuple);
  assert.type(t.get('max_size'), 'number');
  const mean = t.get('image_mean') as unknown[];
  assert.ok(Array.isArray(mean) && !(mean instanceof PyTuple));
  assert.ok(mean.every((x) => x instanceof PyFloat));
  assert.is(opts.typeTags.get(mean), 'List[float]');
  const rpn = (state.get('rpn') as PyObject).state as Map<string, unknown>;
  assert.is(opts.typeTags.get(rpn.get('_pre_nms_top_n') as object), 'Dict[str, int]');
});

test('pickle round trip of every archive pickle gives an equal value tree', () => {
  let identical = 0, total = 0;
  for (const path of archivePaths()) {
    const { zip, names } = pickles(path);
    for (const n of names) {
      const original = zip.read(n);
      const first = torchUnpickleOptions();
      const v = unpickle(original, first);
      const again = pickle(v, { typeTags: first.typeTags });
      const second = torchUnpickleOptions();
      assert.equal(unpickle(again, second), v, `${path}:${n}`);
      total++;
      if (again.length === original.length && again.every((b, i) => b === original[i])) identical++;
    }
  }
  // PyTorch memoizes by reference count, so a few differ in BINPUTs; most come out byte for byte.
  assert.ok(identical > total / 2, `${identical} of ${total} byte-identical`);
});

test('unpickles a torch.save checkpoint: OrderedDict state dicts, parameters, views, devices', () => {
  const zip = readZip(readBytes(LOCAL_DIR + 'torch_save.pt'));
  const v = unpickle(zip.read('torch_save/data.pkl'), torchUnpickleOptions()) as Map<string, unknown>;
  const model = v.get('model') as Map<string, TensorRef>;
  assert.equal([...model.keys()], ['weight', 'bias']);
  assert.equal(model.get('weight')!.size, [2, 3]);
  const param = v.get('param') as TensorRef;
  assert.ok(param.isParameter && param.requiresGrad);
  assert.is((v.get('half') as TensorRef).storage.dtype, 'float16');
  const view = v.get('view') as TensorRef;
  assert.equal([view.offset, view.size, view.stride, view.storage.dtype], [2, [3], [2], 'int64']);
  assert.equal(v.get('dev'), { kind: 'device', device: 'cpu' });
  assert.equal(v.get('lr'), new PyFloat(1e-3));
  assert.is(v.get('step'), 3);
  assert.equal(v.get('names'), tuple(['a', 'b']));
  assert.equal(v.get('flags'), [true, false]);
  for (const t of collectTensors(v)) assert.ok(zip.has(`torch_save/data/${t.storage.key}`));
});

test('pickle round trip of hand-built values', () => {
  const storage = { kind: 'storage' as const, dtype: 'int64' as const, key: '0', numel: 6, location: 'cpu' };
  const t: TensorRef = { kind: 'tensor', storage, offset: 0, size: [2, 3], stride: [3, 1], requiresGrad: false, isParameter: false };
  const p: TensorRef = { ...t, offset: 1, size: [5], stride: [1], requiresGrad: true, isParameter: true };
  const obj = new PyObject('__torch__.m.Net');
  obj.state = new Map<unknown, unknown>([['w', t], ['p', p], ['again', t], ['dev', { kind: 'device', device: 'cpu' }]]);
  const big = 2n ** 70n;
  const value = tuple([
    null, true, false, 0, 255, 256, 65535, 65536, -1, -(2 ** 31), 2 ** 31, 2 ** 53 - 1, -(2 ** 53) + 1, big, -big,
    new PyFloat(1), new PyFloat(-0.5), new PyFloat(Infinity), 'héllo', '', [], [1, [2]], new Map([['k', tuple([])]]),
    tuple([1]), tuple([1, 2]), tuple([1, 2, 3]), tuple([1, 2, 3, 4]), obj, 'héllo',
  ]);
  const back = unpickle(pickle(value), torchUnpickleOptions()) as PyTuple;
  assert.equal(back, value);
  const net = (back[27] as PyObject).state as Map<string, unknown>;
  assert.ok(net.get('w') === net.get('again'), 'shared tensor stays shared');
  assert.ok((net.get('w') as TensorRef).storage === (net.get('p') as TensorRef).storage, 'shared storage stays shared');
});

test('refuses globals outside the allowlist without running them', () => {
  for (const [mod, name] of [['os', 'system'], ['builtins', 'eval'], ['subprocess', 'Popen'], ['torch', 'load']]) {
    const evil = bytes(...PROTO2, 'c', `${mod}\n${name}\n`, 'X', 2, 0, 0, 0, 'ls', 0x85, 'R', '.');
    assert.throws(() => unpickle(evil, torchUnpickleOptions()), isError(PickleError, new RegExp(`global '${mod}\\.${name}' is not allowed at byte 2`)));
  }
});

test('malformed pickles throw PickleError with the byte offset', () => {
  const opts = torchUnpickleOptions();
  const cases: [string, Uint8Array, RegExp][] = [
    ['stack underflow', bytes(...PROTO2, 0x85, '.'), /stack underflow at byte 2/],
    ['bad memo index', bytes(...PROTO2, 'h', 7, '.'), /memo index 7 .* at byte 2/],
    ['truncated int', bytes(...PROTO2, 'J', 1, 2), /truncated .* at byte 2/],
    ['no STOP', bytes(...PROTO2, 'N'), /no STOP/],
    ['unknown opcode', bytes(...PROTO2, 'N', 0xff, '.'), /unknown opcode 0xff at byte 3/],
    ['protocol 1', bytes(0x80, 1, 'N', '.'), /protocol 1/],
    ['no mark', bytes(...PROTO2, 'N', 't', '.'), /no MARK on the stack at byte 3/],
    ['append to tuple', bytes(...PROTO2, ')', 'N', 'a', '.'), /APPEND on a tuple/],
    ['string too long', bytes(...PROTO2, 'X', 0xff, 0xff, 0, 0, 'ab'), /truncated/],
    ['bad utf-8', bytes(...PROTO2, 'X', 1, 0, 0, 0, 0xff, '.'), /UTF-8/],
    ['persid without hook', bytes(...PROTO2, 'N', 'Q', '.'), /persistentLoad/],
    ['bad persid', bytes(...PROTO2, 'N', 'Q', '.'), /persistent id/],
    ['reduce on non-global', bytes(...PROTO2, 'N', ')', 'R', '.'), /REDUCE on a None/],
    ['rebuild with bad args', bytes(...PROTO2, 'c', 'torch._utils\n_rebuild_tensor_v2\n', ')', 'R', '.'), /_rebuild_tensor_v2 takes/],
  ];
  for (const [name, data, re] of cases) {
    const o = name === 'persid without hook' ? { findClass: opts.findClass } : opts;
    assert.throws(() => unpickle(data, o), isError(PickleError, re), name);
  }
});

test('reads LONG1 beyond 2^53 as bigint, SHORT_BINUNICODE, BINBYTES, FRAME and MEMOIZE', () => {
  const v = unpickle(bytes(0x80, 4, 0x95, 20, 0, 0, 0, 0, 0, 0, 0, 0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x94,
    0x8c, 2, 'hi', 'C', 2, 7, 8, 'h', 0, 0x87, '.'), torchUnpickleOptions());
  // Stack before TUPLE3: 'hi', b'\x07\x08', then BINGET 0 of the memoized LONG1.
  assert.equal(v, tuple(['hi', Uint8Array.of(7, 8), 2n ** 64n]));
  assert.is(unpickle(bytes(...PROTO2, 0x8a, 2, 0xff, 0xff, '.'), torchUnpickleOptions()), -1);
});

test('fuzz: mutated data.pkl either unpickles or throws a SerializeError', () => {
  const { zip, root } = pickles(archivePaths().find((p) => p.includes('control_flow'))!);
  const src = zip.read(`${root}/data.pkl`);
  const r = rng(5);
  let threw = 0;
  for (let i = 0; i < 300; i++) {
    const m = src.slice(0, i % 4 === 0 ? Math.floor(r() * src.length) : src.length);
    for (let k = 0; k < 1 + (i % 3); k++) m[Math.floor(r() * m.length)] = (r() * 256) | 0;
    try {
      unpickle(m, torchUnpickleOptions());
    } catch (e) {
      assert.ok(e instanceof SerializeError, `mutation ${i}: ${e}`);
      threw++;
    }
  }
  assert.ok(threw > 100, `mutations are detected (${threw})`);
});

test.run();

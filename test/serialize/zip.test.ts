import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inflateRawSync } from 'node:zlib';
import { readZip, writeZip } from '../../src/serialize/zip.js';
import { crc32 } from '../../src/serialize/crc32.js';
import { SerializeError, ZipError } from '../../src/serialize/errors.js';
import { archivePaths, isError, readBytes, rng } from './helpers.js';

const enc = new TextEncoder();
const LOCAL_SIG = 0x04034b50;

/** Where each entry's (possibly compressed) data lies, found by walking the local headers. */
function localData(zip: Uint8Array): Map<string, { start: number; size: number }> {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const out = new Map<string, { start: number; size: number }>();
  for (let p = 0; v.getUint32(p, true) === LOCAL_SIG;) {
    const nameLen = v.getUint16(p + 26, true), extraLen = v.getUint16(p + 28, true);
    const name = new TextDecoder().decode(zip.subarray(p + 30, p + 30 + nameLen));
    const start = p + 30 + nameLen + extraLen;
    const size = v.getUint32(p + 18, true);
    out.set(name, { start, size });
    p = start + size;
  }
  return out;
}

test('crc32 matches the standard check value', () => {
  assert.is(crc32(enc.encode('123456789')), 0xcbf43926);
  assert.is(crc32(new Uint8Array(0)), 0);
});

test('reads every entry of every PyTorch archive, CRC-checked', () => {
  for (const path of archivePaths()) {
    const zip = readZip(readBytes(path));
    const names = zip.names();
    const root = names[0].split('/')[0];
    assert.ok(names.every((n) => n.startsWith(root + '/')), `${path}: one top-level folder`);
    for (const rec of ['data.pkl', 'constants.pkl', 'version', 'byteorder']) {
      assert.ok(zip.has(`${root}/${rec}`), `${path} has ${rec}`);
    }
    for (const n of names) assert.is(zip.read(n).length, zip.size(n), `${path}:${n}`);
    assert.is(new TextDecoder().decode(zip.read(`${root}/byteorder`)), 'little');
    assert.ok(names.some((n) => n.endsWith('.py')), `${path} has code`);
  }
});

test('stored PyTorch records come back as aligned views', () => {
  const bytes = readBytes(archivePaths()[0]);
  const zip = readZip(bytes);
  const data = zip.names().filter((n) => /\/data\/\d+$/.test(n));
  assert.ok(data.length > 0);
  for (const n of data) {
    const b = zip.read(n);
    assert.is(b.buffer, bytes.buffer, `${n} is a view`);
    assert.is(b.byteOffset % 64, 0, `${n} is 64-byte aligned`);
  }
});

test('a missing entry throws ZipError naming it', () => {
  const zip = readZip(readBytes(archivePaths()[0]));
  assert.throws(() => zip.read('archive/nope.pkl'), isError(ZipError, /'archive\/nope\.pkl'/));
});

test('write then read: stored and deflated entries, stored data 64-byte aligned', () => {
  const r = rng(3);
  const entries = [
    { name: 'archive/data.pkl', data: enc.encode('pickle bytes') },
    { name: 'archive/code/__torch__.py', data: enc.encode('def forward(self):\n  return 1\n'.repeat(50)), compress: true },
    { name: 'archive/data/0', data: Uint8Array.from({ length: 4099 }, () => (r() * 256) | 0) },
    { name: 'archive/data/1', data: new Uint8Array(0) },
    { name: 'archive/extra/ünïcode.txt', data: enc.encode('ü'), compress: true },
  ];
  const zip = writeZip(entries);
  const back = readZip(zip);
  assert.equal(back.names(), entries.map((e) => e.name));
  for (const e of entries) assert.equal(back.read(e.name), e.data, e.name);
  const local = localData(zip);
  for (const e of entries.filter((e) => !e.compress)) assert.is(local.get(e.name)!.start % 64, 0, `${e.name} aligned`);
  // The deflated entry is a real DEFLATE stream: zlib decodes it from the raw archive bytes.
  const code = entries[1];
  const { start, size } = local.get(code.name)!;
  assert.equal(new Uint8Array(inflateRawSync(zip.subarray(start, start + size))), code.data);
  assert.ok(size < code.data.length / 4, 'compressed');
});

test('alignment is configurable and padding uses the FB extra field', () => {
  const zip = writeZip([{ name: 'a', data: Uint8Array.of(1, 2, 3) }], { align: 4096 });
  assert.is(localData(zip).get('a')!.start, 4096);
  assert.is(String.fromCharCode(zip[31], zip[32]), 'FB');
  const unaligned = writeZip([{ name: 'a', data: Uint8Array.of(1) }], { align: 1 });
  assert.is(localData(unaligned).get('a')!.start, 31);
  assert.throws(() => writeZip([{ name: 'a', data: new Uint8Array(1) }, { name: 'a', data: new Uint8Array(1) }]), isError(ZipError));
});

test('re-zipping a PyTorch archive keeps every record', () => {
  const zip = readZip(readBytes(archivePaths()[1]));
  const entries = zip.names().map((name) => ({ name, data: zip.read(name), compress: name.endsWith('.py') }));
  const back = readZip(writeZip(entries));
  for (const e of entries) assert.equal(back.read(e.name), e.data, e.name);
});

test('not a zip, bad CRC and truncation throw ZipError', () => {
  assert.throws(() => readZip(enc.encode('definitely not a zip file')), isError(ZipError));
  assert.throws(() => readZip(new Uint8Array(0)), isError(ZipError));
  const good = writeZip([{ name: 'x', data: enc.encode('hello world') }]);
  const flipped = good.slice();
  flipped[localData(good).get('x')!.start] ^= 1;
  assert.throws(() => readZip(flipped).read('x'), isError(ZipError, /CRC/));
  assert.throws(() => readZip(good.subarray(0, good.length - 30)), isError(ZipError));
});

test('fuzz: 300 mutations of a small archive either read or throw a SerializeError', () => {
  const bytes = readBytes(archivePaths().find((p) => p.includes('control_flow'))!);
  const r = rng(11);
  let threw = 0;
  for (let i = 0; i < 300; i++) {
    const m = bytes.slice();
    // Mix of byte flips anywhere, flips in the directory tail, and truncations.
    const tail = i % 3 === 1;
    for (let k = 0; k < 1 + (i % 5); k++) {
      const at = tail ? m.length - 1 - Math.floor(r() * 700) : Math.floor(r() * m.length);
      m[at] = (r() * 256) | 0;
    }
    const input = i % 7 === 0 ? m.subarray(0, Math.floor(r() * m.length)) : m;
    try {
      const zip = readZip(input);
      for (const n of zip.names()) zip.read(n);
    } catch (e) {
      assert.ok(e instanceof SerializeError, `mutation ${i}: ${e}`);
      threw++;
    }
  }
  assert.ok(threw > 50, `mutations are detected (${threw})`);
});

test.run();

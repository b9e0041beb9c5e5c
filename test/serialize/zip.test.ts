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

/** A one-entry stored archive in full ZIP64 form: 0xFFFFFFFF placeholders, 8-byte values in extra fields. */
function zip64Archive(name: string, data: Uint8Array): Uint8Array {
  const nameBytes = enc.encode(name);
  const parts: Uint8Array[] = [];
  const block = (size: number, fill: (v: DataView) => void) => {
    const b = new Uint8Array(size);
    fill(new DataView(b.buffer));
    parts.push(b);
    return b;
  };
  const u64 = (v: DataView, at: number, x: number) => v.setBigUint64(at, BigInt(x), true);
  const M = 0xffffffff;
  const localLen = 30 + nameBytes.length + 20;
  block(localLen, (v) => {
    v.setUint32(0, LOCAL_SIG, true);
    v.setUint16(4, 45, true);
    v.setUint32(14, crc32(data), true);
    v.setUint32(18, M, true);
    v.setUint32(22, M, true);
    v.setUint16(26, nameBytes.length, true);
    v.setUint16(28, 20, true);
    new Uint8Array(v.buffer).set(nameBytes, 30);
    v.setUint16(30 + nameBytes.length, 1, true);
    v.setUint16(32 + nameBytes.length, 16, true);
    u64(v, 34 + nameBytes.length, data.length);
    u64(v, 42 + nameBytes.length, data.length);
  });
  parts.push(data);
  const cdOffset = localLen + data.length;
  const cdLen = 46 + nameBytes.length + 28;
  block(cdLen, (v) => {
    v.setUint32(0, 0x02014b50, true);
    v.setUint16(6, 45, true);
    v.setUint32(16, crc32(data), true);
    v.setUint32(20, M, true);
    v.setUint32(24, M, true);
    v.setUint16(28, nameBytes.length, true);
    v.setUint16(30, 28, true);
    v.setUint32(42, M, true);
    new Uint8Array(v.buffer).set(nameBytes, 46);
    const x = 46 + nameBytes.length;
    v.setUint16(x, 1, true);
    v.setUint16(x + 2, 24, true);
    u64(v, x + 4, data.length); // size
    u64(v, x + 12, data.length); // compressed size
    u64(v, x + 20, 0); // local header offset
  });
  const eocd64 = cdOffset + cdLen;
  block(56, (v) => {
    v.setUint32(0, 0x06064b50, true);
    u64(v, 4, 44);
    u64(v, 24, 1);
    u64(v, 32, 1);
    u64(v, 40, cdLen);
    u64(v, 48, cdOffset);
  });
  block(20, (v) => {
    v.setUint32(0, 0x07064b50, true);
    u64(v, 8, eocd64);
    v.setUint32(16, 1, true);
  });
  block(22, (v) => {
    v.setUint32(0, 0x06054b50, true);
    v.setUint16(8, 0xffff, true);
    v.setUint16(10, 0xffff, true);
    v.setUint32(12, M, true);
    v.setUint32(16, M, true);
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((o, p) => (out.set(p, o), o + p.length), 0);
  return out;
}

test('reads ZIP64 end records and ZIP64 extra fields', () => {
  const data = enc.encode('zip64 payload');
  const zip = readZip(zip64Archive('archive/data/0', data));
  assert.equal(zip.names(), ['archive/data/0']);
  assert.equal(zip.read('archive/data/0'), data);
});

test('not a zip, bad CRC and truncation throw ZipError', () => {
  assert.throws(() => readZip(enc.encode('definitely not a zip file')), isError(ZipError));
  assert.throws(() => readZip(new Uint8Array(0)), isError(ZipError));
  const good = writeZip([{ name: 'x', data: enc.encode('hello world') }]);
  const flipped = good.slice();
  flipped[localData(good).get('x')!.start] ^= 1;
  assert.throws(() => readZip(flipped).read('x'), isError(ZipError, /CRC/));
  assert.throws(() => readZip(good.subarray(0, good.length - 30)), isError(ZipError));
  // A deflated entry whose directory claims 4 GiB: the inflater stops at the real end, nothing huge is allocated.
  const deflated = writeZip([{ name: 'y', data: enc.encode('abc'.repeat(100)), compress: true }]);
  const cd = deflated.length - 22 - (46 + 1);
  new DataView(deflated.buffer).setUint32(cd + 24, 0xfffffff0, true);
  assert.throws(() => readZip(deflated).read('y'), isError(ZipError, /inflated to 300 bytes, expected 4294967280/));
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

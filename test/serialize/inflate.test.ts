import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { inflateRaw } from '../../src/serialize/inflate.js';
import { deflateRaw } from '../../src/serialize/deflate.js';
import { SerializeError, ZipError } from '../../src/serialize/errors.js';
import { isError, rng } from './helpers.js';

const random = (n: number, seed: number) => {
  const r = rng(seed);
  return Uint8Array.from({ length: n }, () => (r() * 256) | 0);
};
const samples: [string, Uint8Array][] = [
  ['empty', new Uint8Array(0)],
  ['one byte', Uint8Array.of(42)],
  ['text', new Uint8Array(readFileSync('../shared/notes/torchscript-format.md'))],
  ['random 100k', random(100_000, 1)],
  ['zeros 200k', new Uint8Array(200_000)],
  // Few symbols with skewed frequencies: zlib picks dynamic Huffman blocks with long codes.
  ['skewed', Uint8Array.from(random(150_000, 2), (b) => (b < 200 ? 65 : b < 250 ? 66 : b))],
];

test('inflates what zlib deflates, every level and strategy', () => {
  for (const [name, data] of samples) {
    for (const level of [0, 1, 6, 9]) {
      const z = deflateRawSync(data, { level });
      assert.equal(inflateRaw(z, data.length), data, `${name} level ${level}`);
      assert.equal(inflateRaw(z), data, `${name} level ${level}, size unknown`);
    }
    const fixed = deflateRawSync(data, { strategy: 4 }); // Z_FIXED: fixed Huffman blocks only
    assert.equal(inflateRaw(fixed), data, `${name} fixed`);
    const rle = deflateRawSync(data, { strategy: 3 }); // Z_RLE: distance-1 overlapping copies
    assert.equal(inflateRaw(rle), data, `${name} rle`);
  }
});

test('zlib inflates what deflateRaw produces, every level', () => {
  for (const [name, data] of samples) {
    for (const level of [0, 1, 6, 9]) {
      const ours = deflateRaw(data, level);
      assert.equal(new Uint8Array(inflateRawSync(ours)), data, `${name} level ${level}`);
      assert.equal(inflateRaw(ours), data, `${name} level ${level} (own inflate)`);
    }
  }
});

test('deflateRaw compresses redundant data and never expands much', () => {
  const text = samples[2][1];
  assert.ok(deflateRaw(text).length < text.length * 0.7, 'text shrinks');
  assert.ok(deflateRaw(new Uint8Array(200_000)).length < 2000, 'zeros shrink');
  const rnd = samples[3][1];
  assert.ok(deflateRaw(rnd).length <= rnd.length + 5 * Math.ceil(rnd.length / 65535), 'random stays bounded');
});

test('output beyond the expected size throws', () => {
  const z = deflateRawSync(new Uint8Array(1000));
  assert.throws(() => inflateRaw(z, 999), isError(ZipError, /exceeds/));
});

test('malformed streams throw ZipError', () => {
  const bad: [string, Uint8Array][] = [
    ['empty input', new Uint8Array(0)],
    ['block type 3', Uint8Array.of(0x07)],
    ['stored length check', Uint8Array.of(0x01, 0x05, 0x00, 0x00, 0x00)],
    ['stored block past end', Uint8Array.of(0x01, 0x05, 0x00, 0xfa, 0xff, 1, 2)],
    ['fixed block without end', Uint8Array.of(0x03)],
    // Fixed block whose first symbol is a match (length 3, distance 1) with no output yet.
    ['distance before start', Uint8Array.of(0x03, 0x02, 0x00)],
  ];
  for (const [name, data] of bad) {
    assert.throws(() => inflateRaw(data), isError(ZipError), name);
  }
});

test('fuzz: truncated and mutated streams either decode or throw ZipError', () => {
  const r = rng(7);
  const src = deflateRawSync(samples[2][1], { level: 9 });
  let threw = 0;
  for (let i = 0; i < 300; i++) {
    const m = src.slice(0, i % 3 === 0 ? Math.floor(r() * src.length) : src.length);
    for (let k = 0; k < 1 + (i % 4); k++) m[Math.floor(r() * m.length)] ^= 1 << Math.floor(r() * 8);
    try {
      inflateRaw(m, 20_000);
    } catch (e) {
      assert.ok(e instanceof SerializeError, `mutation ${i}: ${e}`);
      threw++;
    }
  }
  assert.ok(threw > 100, `most mutations are detected (${threw})`);
});

test.run();

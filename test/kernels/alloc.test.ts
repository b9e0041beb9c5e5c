// The TLSF allocator: alignment, reuse, coalescing, stats, growth and failure without trapping.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { w, lcg } from './wasm.js';

const pages = () => (w.memory as WebAssembly.Memory).buffer.byteLength >>> 16;

// Deterministic PRNG so that failures reproduce.
const rand = lcg(12345);

test('blocks are 16-byte aligned, distinct and writable, size 0 included', () => {
  const ptrs: number[] = [];
  for (const size of [0, 0, 1, 3, 15, 16, 17, 100, 1000, 65536, 300000]) {
    const p = w.alloc(size);
    assert.ok(p > 0, `alloc(${size}) returned 0`);
    assert.is(p % 16, 0, `alloc(${size}) = ${p} is not 16-byte aligned`);
    ptrs.push(p);
    new Uint8Array(w.memory.buffer, p, size).fill(0xAB);
  }
  assert.is(new Set(ptrs).size, ptrs.length);
  assert.is(w.stat_blocks_live(), ptrs.length);
  for (const p of ptrs) w.free(p);
  assert.is(w.stat_blocks_live(), 0);
  assert.is(w.stat_bytes_live(), 0);
});

test('blocks do not overlap (each keeps its own fill pattern)', () => {
  const blocks: [number, number, number][] = [];
  for (let i = 0; i < 500; i++) {
    const size = 1 + Math.floor(rand() * 2000);
    const p = w.alloc(size);
    new Uint8Array(w.memory.buffer, p, size).fill(i & 255);
    blocks.push([p, size, i & 255]);
    if (i % 3 === 0) {
      const [q] = blocks.splice(Math.floor(rand() * blocks.length), 1);
      w.free(q[0]);
    }
  }
  for (const [p, size, v] of blocks) {
    const bytes = new Uint8Array(w.memory.buffer, p, size);
    assert.ok(bytes.every((b) => b === v), `block at ${p} was overwritten`);
  }
  for (const [p] of blocks) w.free(p);
  assert.is(w.stat_bytes_live(), 0);
});

test('free(0) is a no-op and a freed block is reused', () => {
  w.free(0);
  const a = w.alloc(4096);
  w.free(a);
  const b = w.alloc(4096);
  assert.is(b, a);
  w.free(b);
});

test('1e5 random alloc/free: stats return to zero, peak tracked, memory stops growing', () => {
  w.stat_reset_peak();
  const live: number[] = [];
  const sizes = new Map<number, number>();
  let bytes = 0, peak = 0;
  let pagesAfterWarmup = 0;
  for (let i = 0; i < 100000; i++) {
    if (i === 20000) pagesAfterWarmup = pages();
    if (live.length < 200 && (rand() < 0.55 || live.length === 0)) {
      const size = rand() < 0.9 ? Math.floor(rand() * 512) : Math.floor(rand() * 200000);
      const p = w.alloc(size);
      assert.ok(p > 0);
      live.push(p);
      sizes.set(p, size);
      bytes += size;
      peak = Math.max(peak, bytes);
    } else {
      const [p] = live.splice(Math.floor(rand() * live.length), 1);
      bytes -= sizes.get(p)!;
      w.free(p);
    }
    if (i % 9973 === 0) assert.is(w.stat_bytes_live(), bytes);
  }
  assert.is(w.stat_blocks_live(), live.length);
  assert.is(w.stat_peak_bytes(), peak);
  for (const p of live) w.free(p);
  assert.is(w.stat_bytes_live(), 0);
  assert.is(w.stat_blocks_live(), 0);
  // Steady state: the heap reached its size during warm-up and no longer grows.
  assert.ok(pages() <= pagesAfterWarmup + 16, `memory kept growing: ${pagesAfterWarmup} -> ${pages()} pages`);
});

test('everything coalesces back: one big block fits where many small ones were', () => {
  const before = pages();
  const ps: number[] = [];
  for (let i = 0; i < 1000; i++) ps.push(w.alloc(1000));
  for (const p of ps) w.free(p);
  const big = w.alloc(900000);
  assert.ok(big > 0);
  assert.ok(pages() <= Math.max(before, 16) + 16, `grew from ${before} to ${pages()} pages`);
  w.free(big);
});

test('memory grows for large blocks and alloc returns 0 (no trap) beyond 4 GiB', () => {
  const p = w.alloc(64 << 20);
  assert.ok(p > 0);
  new Float32Array(w.memory.buffer, p, 16 << 20).fill(1);
  w.free(p);
  // usize is 32-bit: 5 GB cannot even be asked for; these sizes can never fit.
  assert.is(w.alloc(0xFFFFFFF0), 0);
  assert.is(w.alloc(0xFFFE0000), 0);
  assert.is(w.alloc(0xF0000010), 0);
  assert.is(w.stat_bytes_live(), 0);
  // The allocator still works afterwards.
  const q = w.alloc(100);
  assert.ok(q > 0);
  w.free(q);
});

test('stat_reset_peak sets the peak to the live bytes', () => {
  const a = w.alloc(1000);
  const b = w.alloc(3000);
  w.free(b);
  assert.is(w.stat_peak_bytes() >= 4000, true);
  w.stat_reset_peak();
  assert.is(w.stat_peak_bytes(), 1000);
  w.free(a);
});

test.run();

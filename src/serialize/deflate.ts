// Raw DEFLATE compressor: LZ77 over a hash chain, coded with the fixed Huffman tables (RFC 1951 3.2.6).
// Falls back to stored blocks when that would be smaller, so output never grows by more than ~5 bytes/64 KiB.

import {
  DIST_BASE, DIST_EXTRA, LENGTH_BASE, LENGTH_EXTRA, canonicalCodes, fixedDistanceLengths, fixedLiteralLengths,
} from './deflate-tables.js';

const WINDOW = 32768;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const HASH_BITS = 15;
/** Hash-chain steps per position, by level 1..9 (level 0 stores). */
const CHAIN_BY_LEVEL = [0, 4, 8, 16, 32, 64, 128, 256, 1024, 4096];

const LIT_LENGTHS = fixedLiteralLengths();
const LIT_CODES = canonicalCodes(LIT_LENGTHS);
const DIST_CODES = canonicalCodes(fixedDistanceLengths());

/** Symbol index (0..28) for each match length 3..258, and (0..29) for each distance 1..32768. */
const LENGTH_SYMBOL = new Uint8Array(MAX_MATCH + 1);
const DIST_SYMBOL = new Uint8Array(WINDOW + 1);
for (let s = 0; s < 29; s++) {
  for (let l = LENGTH_BASE[s]; l < LENGTH_BASE[s] + (1 << LENGTH_EXTRA[s]) && l <= MAX_MATCH; l++) LENGTH_SYMBOL[l] = s;
}
LENGTH_SYMBOL[MAX_MATCH] = 28; // 258 has its own code; 227 + 31 would otherwise claim it
for (let s = 0; s < 30; s++) {
  for (let d = DIST_BASE[s]; d < DIST_BASE[s] + (1 << DIST_EXTRA[s]); d++) DIST_SYMBOL[d] = s;
}

class BitWriter {
  buf = new Uint8Array(1024);
  len = 0;
  private bitBuf = 0;
  private bitCnt = 0;

  write(value: number, n: number): void {
    this.bitBuf |= value << this.bitCnt;
    this.bitCnt += n;
    while (this.bitCnt >= 8) {
      if (this.len === this.buf.length) {
        const grown = new Uint8Array(this.buf.length * 2);
        grown.set(this.buf);
        this.buf = grown;
      }
      this.buf[this.len++] = this.bitBuf & 0xff;
      this.bitBuf >>>= 8;
      this.bitCnt -= 8;
    }
  }

  finish(): Uint8Array {
    if (this.bitCnt > 0) this.write(0, 8 - this.bitCnt);
    return this.buf.slice(0, this.len);
  }
}

function writeLiteral(w: BitWriter, sym: number): void {
  w.write(LIT_CODES[sym], LIT_LENGTHS[sym]);
}

function writeMatch(w: BitWriter, len: number, dist: number): void {
  const ls = LENGTH_SYMBOL[len];
  writeLiteral(w, 257 + ls);
  w.write(len - LENGTH_BASE[ls], LENGTH_EXTRA[ls]);
  const ds = DIST_SYMBOL[dist];
  w.write(DIST_CODES[ds], 5);
  w.write(dist - DIST_BASE[ds], DIST_EXTRA[ds]);
}

function hashAt(d: Uint8Array, i: number): number {
  return Math.imul((d[i] << 16) | (d[i + 1] << 8) | d[i + 2], 0x9e3779b1) >>> (32 - HASH_BITS);
}

function compressFixed(data: Uint8Array, maxChain: number): Uint8Array {
  const w = new BitWriter();
  w.write(1, 1); // BFINAL: the whole input is one block
  w.write(1, 2); // BTYPE 01: fixed Huffman
  const n = data.length;
  const head = new Int32Array(1 << HASH_BITS).fill(-1);
  const prev = new Int32Array(WINDOW);
  const insert = (i: number) => {
    const h = hashAt(data, i);
    prev[i & (WINDOW - 1)] = head[h];
    head[h] = i;
  };
  let i = 0;
  while (i < n) {
    let best = 0, bestDist = 0;
    if (i + MIN_MATCH <= n) {
      const max = Math.min(MAX_MATCH, n - i);
      let j = head[hashAt(data, i)];
      // Chains only go back in position; a slot reused by a newer position ends the walk.
      for (let chain = maxChain; j >= 0 && i - j <= WINDOW && chain > 0; chain--) {
        if (data[j + best] === data[i + best]) {
          let l = 0;
          while (l < max && data[j + l] === data[i + l]) l++;
          if (l > best) {
            best = l;
            bestDist = i - j;
            if (l === max) break;
          }
        }
        const next = prev[j & (WINDOW - 1)];
        if (next >= j) break;
        j = next;
      }
      insert(i);
    }
    if (best >= MIN_MATCH) {
      writeMatch(w, best, bestDist);
      for (let k = 1; k < best && i + k + MIN_MATCH <= n; k++) insert(i + k);
      i += best;
    } else {
      writeLiteral(w, data[i]);
      i++;
    }
  }
  writeLiteral(w, 256);
  return w.finish();
}

function storedBlocks(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 0xffff));
  const out = new Uint8Array(data.length + blocks * 5);
  let o = 0;
  for (let b = 0; b < blocks; b++) {
    const start = b * 0xffff;
    const len = Math.min(0xffff, data.length - start);
    out[o++] = b === blocks - 1 ? 1 : 0; // BFINAL, BTYPE 00; the header ends on a byte boundary
    out[o++] = len & 0xff;
    out[o++] = len >>> 8;
    out[o++] = ~len & 0xff;
    out[o++] = (~len >>> 8) & 0xff;
    out.set(data.subarray(start, start + len), o);
    o += len;
  }
  return out;
}

/** Compresses `data` into a raw DEFLATE stream (no zlib header). `level` 0 stores, 1..9 trade speed for size. */
export function deflateRaw(data: Uint8Array, level = 6): Uint8Array {
  const lv = Math.max(0, Math.min(9, Math.floor(level)));
  if (lv === 0) return storedBlocks(data);
  const packed = compressFixed(data, CHAIN_BY_LEVEL[lv]);
  return packed.length <= data.length + 5 * Math.max(1, Math.ceil(data.length / 0xffff)) ? packed : storedBlocks(data);
}

// Raw DEFLATE decoder (RFC 1951): stored, fixed and dynamic Huffman blocks.
// Every malformed stream throws ZipError; all reads are bounds-checked and every loop consumes input or
// produces bounded output, so corrupt data can neither hang nor read out of bounds.

import { ZipError } from './errors.js';
import {
  DIST_BASE, DIST_EXTRA, LENGTH_BASE, LENGTH_EXTRA, canonicalCodes, fixedDistanceLengths, fixedLiteralLengths,
} from './deflate-tables.js';

/** A decoding table indexed by the next `bits` input bits; entry = symbol << 4 | code length, 0 = no code. */
interface Huffman {
  table: Int32Array;
  bits: number;
}

const CODE_LENGTH_ORDER = Uint8Array.of(16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15);

function buildHuffman(lengths: Uint8Array, what: string): Huffman {
  const count = new Uint16Array(16);
  let bits = 0;
  for (const l of lengths) {
    count[l]++;
    if (l > bits) bits = l;
  }
  // Over-subscribed codes are invalid; incomplete ones are allowed, their holes throw when hit.
  let left = 1;
  for (let len = 1; len < 16; len++) {
    left = (left << 1) - count[len];
    if (left < 0) throw new ZipError(`inflate: over-subscribed ${what} Huffman code`);
  }
  bits = Math.max(bits, 1);
  const table = new Int32Array(1 << bits);
  const codes = canonicalCodes(lengths);
  for (let s = 0; s < lengths.length; s++) {
    const len = lengths[s];
    if (!len) continue;
    for (let j = codes[s]; j < table.length; j += 1 << len) table[j] = (s << 4) | len;
  }
  return { table, bits };
}

let fixed: { lit: Huffman; dist: Huffman } | undefined;
function fixedCodes() {
  fixed ??= {
    lit: buildHuffman(fixedLiteralLengths(), 'fixed literal/length'),
    dist: buildHuffman(fixedDistanceLengths(), 'fixed distance'),
  };
  return fixed;
}

class Inflater {
  private pos = 0;
  private bitBuf = 0;
  private bitCnt = 0;
  out: Uint8Array;
  outLen = 0;

  constructor(private readonly src: Uint8Array, capacity: number, private readonly limit: number) {
    this.out = new Uint8Array(capacity);
  }

  private fail(what: string): never {
    throw new ZipError(`inflate: ${what} (input byte ${this.pos} of ${this.src.length})`);
  }

  private fill(n: number): void {
    while (this.bitCnt < n && this.pos < this.src.length) {
      this.bitBuf |= this.src[this.pos++] << this.bitCnt;
      this.bitCnt += 8;
    }
  }

  bits(n: number): number {
    if (n === 0) return 0;
    this.fill(n);
    if (this.bitCnt < n) this.fail('unexpected end of stream');
    const v = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>>= n;
    this.bitCnt -= n;
    return v;
  }

  decode(h: Huffman): number {
    this.fill(h.bits);
    const e = h.table[this.bitBuf & ((1 << h.bits) - 1)];
    const len = e & 15;
    if (len === 0) this.fail('invalid Huffman code');
    if (len > this.bitCnt) this.fail('unexpected end of stream');
    this.bitBuf >>>= len;
    this.bitCnt -= len;
    return e >> 4;
  }

  private reserve(n: number): void {
    const need = this.outLen + n;
    if (need > this.limit) this.fail(`output exceeds the expected ${this.limit} bytes`);
    if (need <= this.out.length) return;
    const grown = new Uint8Array(Math.min(this.limit, Math.max(need, this.out.length * 2)));
    grown.set(this.out.subarray(0, this.outLen));
    this.out = grown;
  }

  stored(): void {
    // Drop to a byte boundary, then give back whole bytes still held in the bit buffer.
    this.bits(this.bitCnt & 7);
    const len = this.bits(16);
    const nlen = this.bits(16);
    if ((len ^ 0xffff) !== nlen) this.fail('stored block length check failed');
    this.pos -= this.bitCnt >> 3;
    this.bitBuf = 0;
    this.bitCnt = 0;
    if (this.pos + len > this.src.length) this.fail('stored block runs past the end of input');
    this.reserve(len);
    this.out.set(this.src.subarray(this.pos, this.pos + len), this.outLen);
    this.outLen += len;
    this.pos += len;
  }

  dynamicCodes(): { lit: Huffman; dist: Huffman } {
    const nlit = this.bits(5) + 257;
    const ndist = this.bits(5) + 1;
    const ncode = this.bits(4) + 4;
    if (nlit > 286 || ndist > 30) this.fail('too many length or distance codes');
    const clens = new Uint8Array(19);
    for (let i = 0; i < ncode; i++) clens[CODE_LENGTH_ORDER[i]] = this.bits(3);
    const clh = buildHuffman(clens, 'code length');
    const lengths = new Uint8Array(nlit + ndist);
    for (let i = 0; i < lengths.length;) {
      const sym = this.decode(clh);
      if (sym < 16) {
        lengths[i++] = sym;
        continue;
      }
      let rep: number, val = 0;
      if (sym === 16) {
        if (i === 0) this.fail('repeat of a code length with no previous length');
        val = lengths[i - 1];
        rep = 3 + this.bits(2);
      } else if (sym === 17) rep = 3 + this.bits(3);
      else rep = 11 + this.bits(7);
      if (i + rep > lengths.length) this.fail('code lengths overflow the declared count');
      lengths.fill(val, i, i + rep);
      i += rep;
    }
    if (lengths[256] === 0) this.fail('no end-of-block code');
    return {
      lit: buildHuffman(lengths.subarray(0, nlit), 'literal/length'),
      dist: buildHuffman(lengths.subarray(nlit), 'distance'),
    };
  }

  codes(lit: Huffman, dist: Huffman): void {
    for (;;) {
      const sym = this.decode(lit);
      if (sym < 256) {
        this.reserve(1);
        this.out[this.outLen++] = sym;
        continue;
      }
      if (sym === 256) return;
      const li = sym - 257;
      if (li >= 29) this.fail(`invalid length symbol ${sym}`);
      const len = LENGTH_BASE[li] + this.bits(LENGTH_EXTRA[li]);
      const ds = this.decode(dist);
      if (ds >= 30) this.fail(`invalid distance symbol ${ds}`);
      const d = DIST_BASE[ds] + this.bits(DIST_EXTRA[ds]);
      if (d > this.outLen) this.fail(`distance ${d} reaches before the start of output`);
      this.reserve(len);
      const out = this.out;
      // Byte by byte: source and destination may overlap (run-length style matches).
      for (let k = 0, o = this.outLen, s = o - d; k < len; k++) out[o + k] = out[s + k];
      this.outLen += len;
    }
  }
}

/**
 * Decodes a raw DEFLATE stream (no zlib or gzip header).
 * `expectedSize`, when known (zip entries), preallocates the output and caps it: more output throws.
 */
export function inflateRaw(src: Uint8Array, expectedSize?: number): Uint8Array {
  const limit = expectedSize ?? Number.MAX_SAFE_INTEGER;
  // Start small even when told a size: a corrupt header must not make us allocate gigabytes up front.
  const inf = new Inflater(src, Math.min(limit, Math.max(1024, src.length * 4)), limit);
  let last = 0;
  while (!last) {
    last = inf.bits(1);
    const type = inf.bits(2);
    if (type === 0) inf.stored();
    else if (type === 1) {
      const { lit, dist } = fixedCodes();
      inf.codes(lit, dist);
    } else if (type === 2) {
      const { lit, dist } = inf.dynamicCodes();
      inf.codes(lit, dist);
    } else throw new ZipError('inflate: invalid block type 3');
  }
  return inf.out.length === inf.outLen ? inf.out : inf.out.slice(0, inf.outLen);
}

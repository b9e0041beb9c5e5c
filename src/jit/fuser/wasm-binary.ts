// Just enough of the WebAssembly binary format to emit one function that imports `env.memory`:
// LEB128, sections, and a function body builder with v128 locals. No compiler at run time.
import { FuserError } from './errors.js';

export const I32 = 0x7f;
export const V128 = 0x7b;

export function uleb(n: number, out: number[] = []): number[] {
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number, out: number[] = []): number[] {
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const str = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];

// Opcodes used by the generator (core and 0xFD-prefixed SIMD).
export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Load8u: 0x2d, i32Const: 0x41, i32GeS: 0x4e, i32GtS: 0x4a, i32LtS: 0x48, i32LeS: 0x4c,
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32Shl: 0x74,
} as const;
export const SIMD = {
  load: 0x00, load8Splat: 0x07, load32Splat: 0x09, store: 0x0b, const: 0x0c,
  i32x4Splat: 0x11, f32x4Splat: 0x13, i8x16Ne: 0x24,
  i32x4Eq: 0x37, i32x4Ne: 0x38,
  f32x4Eq: 0x41, f32x4Ne: 0x42, f32x4Lt: 0x43, f32x4Gt: 0x44, f32x4Le: 0x45, f32x4Ge: 0x46,
  not: 0x4d, and: 0x4e, andnot: 0x4f, or: 0x50, xor: 0x51, bitselect: 0x52,
  load8Lane: 0x54, load32Lane: 0x56, store8Lane: 0x58, store32Lane: 0x5a, load32Zero: 0x5c,
  i8x16NarrowI16x8U: 0x66, f32x4Ceil: 0x67, f32x4Floor: 0x68, f32x4Trunc: 0x69, f32x4Nearest: 0x6a,
  i16x8NarrowI32x4U: 0x86, i16x8ExtendLowI8x16U: 0x89, i32x4ExtendLowI16x8U: 0xa9,
  i32x4Shl: 0xab, i32x4ShrS: 0xac, i32x4ShrU: 0xad, i32x4Add: 0xae, i32x4Sub: 0xb1,
  f32x4Abs: 0xe0, f32x4Neg: 0xe1, f32x4Sqrt: 0xe3, f32x4Add: 0xe4, f32x4Sub: 0xe5, f32x4Mul: 0xe6,
  f32x4Div: 0xe7, f32x4Pmin: 0xea, f32x4Pmax: 0xeb, i32x4TruncSatF32x4S: 0xf8, f32x4ConvertI32x4S: 0xfa,
} as const;

const f32Bits = new Float32Array(1);
const u32View = new Uint32Array(f32Bits.buffer);
export function bitsOf(x: number): number {
  f32Bits[0] = x;
  return u32View[0];
}

/** One function's body: i32 params first, then locals declared as they are asked for. */
export class FnBuilder {
  readonly code: number[] = [];
  private readonly i32Locals: number;
  private nI32 = 0;
  private nV128 = 0;
  /** Constants are materialised once, at function entry. */
  private readonly prologue: number[] = [];
  private readonly consts = new Map<string, number>();

  constructor(readonly nParams: number, maxI32Locals = 16) {
    this.i32Locals = maxI32Locals;
  }

  i32(): number {
    if (this.nI32 >= this.i32Locals) throw new FuserError('fuser: out of i32 locals');
    return this.nParams + this.nI32++;
  }
  v128(): number { return this.nParams + this.i32Locals + this.nV128++; }

  op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  simd(opcode: number, ...imm: number[]): this {
    this.code.push(0xfd, ...uleb(opcode), ...imm);
    return this;
  }
  get(l: number): this { return this.op(OP.localGet, ...uleb(l)); }
  set(l: number): this { return this.op(OP.localSet, ...uleb(l)); }
  i32Const(n: number): this { return this.op(OP.i32Const, ...sleb(n | 0)); }
  /** memarg: alignment log2 and byte offset. */
  memarg(align: number, offset = 0): number[] { return [...uleb(align), ...uleb(offset)]; }

  /** A v128 local holding four lanes of the 32-bit pattern `bits` (set in the prologue). */
  constBits(bits: number): number {
    const key = String(bits >>> 0);
    let l = this.consts.get(key);
    if (l === undefined) {
      l = this.v128();
      const lane = [bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, (bits >>> 24) & 0xff];
      this.prologue.push(0xfd, ...uleb(SIMD.const), ...lane, ...lane, ...lane, ...lane, OP.localSet, ...uleb(l));
      this.consts.set(key, l);
    }
    return l;
  }
  constF32(x: number): number { return this.constBits(bitsOf(x)); }

  /** Emits `op` on the given locals into a new local, returned. */
  vop(opcode: number, ...args: number[]): number {
    for (const a of args) this.get(a);
    this.simd(opcode);
    const r = this.v128();
    this.set(r);
    return r;
  }
  /** i32x4 shift of `a` by a constant. */
  vshift(opcode: number, a: number, by: number): number {
    this.get(a).i32Const(by).simd(opcode);
    const r = this.v128();
    this.set(r);
    return r;
  }

  body(): number[] {
    const locals = [[...uleb(this.i32Locals), I32], [...uleb(this.nV128), V128]];
    const b = [...vec(locals), ...this.prologue, ...this.code, OP.end];
    return [...uleb(b.length), ...b];
  }
}

/** A module that imports `env.memory` and exports function `run` with `nParams` i32 params. */
export function moduleBytes(fn: FnBuilder): Uint8Array {
  const type = [0x60, ...uleb(fn.nParams), ...new Array(fn.nParams).fill(I32), 0];
  const importMem = [...str('env'), ...str('memory'), 0x02, 0x00, 0x00];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([type])),
    ...section(2, vec([importMem])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...str('run'), 0x00, 0x00]])),
    ...section(10, vec([fn.body()])),
  ];
  return new Uint8Array(bytes);
}

// A fused group as a straight-line program over SIMD lanes: the op table's `fuse` expressions
// (one per pointwise row) build it through FuseBuilder, which applies PyTorch's type rules for
// the two element types the fuser handles (float32 and bool). Registers are SSA: inputs first,
// then one per instruction. Both back ends (codegen.ts, template.ts) run the same program.
import * as F from '../../../assembly/fused/fused-ops.js';
import { FuserError } from './errors.js';

export type FType = 'f32' | 'bool';

/** A lane value in the program: a register of type f32 or bool (a lane mask). */
export class FVal {
  constructor(readonly reg: number, readonly type: FType) {}
}

/** What a `fuse` expression receives for a tensor argument (FVal) or a constant scalar (number). */
export type Operand = FVal | number;

/**
 * A pointwise row's element expression: the row's arguments in schema order (tensors as FVal,
 * constants as JS values), returning the result, or null when the fuser cannot compute it with
 * these arguments (the group then runs op by op, never wrongly).
 */
export type FuseExpr = (b: FuseBuilder, ...args: any[]) => Operand | null;

export interface Instr {
  op: number;
  a: number;
  b: number;
  c: number;
  /** FOP_CONST's value (an f32). */
  imm: number;
}

export interface Program {
  inputs: FType[];
  instrs: Instr[];
  /** Register and type of each output. */
  outputs: { reg: number; type: FType }[];
  /** For each output, the inputs it depends on (its broadcast shape comes from theirs). */
  deps: number[][];
  /** A string naming the program exactly (the kernel caches' key). */
  key: string;
}

const ARITH = new Set([F.FOP_ADD, F.FOP_SUB, F.FOP_MUL, F.FOP_DIV, F.FOP_MAX, F.FOP_MIN, F.FOP_PMAX, F.FOP_PMIN]);
const JS_ARITH: Record<number, (a: number, b: number) => number> = {
  [F.FOP_ADD]: (a, b) => a + b,
  [F.FOP_SUB]: (a, b) => a - b,
  [F.FOP_MUL]: (a, b) => a * b,
  [F.FOP_DIV]: (a, b) => a / b,
};

/** -0 and 0 are different constants. */
const constKey = (v: number) => (Object.is(v, -0) ? '-0' : String(v));

export class FuseBuilder {
  readonly instrs: Instr[] = [];
  private readonly types: FType[];
  private readonly deps: Set<number>[];
  private readonly consts = new Map<string, FVal>();

  constructor(readonly inputTypes: readonly FType[]) {
    this.types = [...inputTypes];
    this.deps = inputTypes.map((_, i) => new Set([i]));
  }

  input(i: number): FVal { return new FVal(i, this.inputTypes[i]); }

  private emit(op: number, type: FType, args: FVal[], imm = 0): FVal {
    const [a, b, c] = [args[0]?.reg ?? 0, args[1]?.reg ?? 0, args[2]?.reg ?? 0];
    const reg = this.types.length;
    this.instrs.push({ op, a, b, c, imm });
    this.types.push(type);
    this.deps.push(new Set(args.flatMap((x) => [...this.deps[x.reg]])));
    return new FVal(reg, type);
  }

  /** A scalar as an f32 lane constant (rounded to f32, as the eager kernels take scalars). */
  constant(x: number): FVal {
    const v = Math.fround(x);
    let c = this.consts.get(constKey(v));
    if (!c) {
      c = this.emit(F.FOP_CONST, 'f32', [], v);
      this.consts.set(constKey(v), c);
    }
    return c;
  }

  private f32(x: Operand): FVal {
    if (typeof x === 'number') return this.constant(x);
    return x.type === 'f32' ? x : this.emit(F.FOP_MASK_TO_F32, 'f32', [x]);
  }

  /** Float arithmetic needs one float tensor operand (PyTorch's promotion then keeps float32). */
  private floatOperands(xs: (Operand | boolean)[]): boolean {
    return xs.some((x) => x instanceof FVal && x.type === 'f32') && xs.every((x) => typeof x !== 'boolean');
  }

  /** a op b for the FOP_ADD ... FOP_PMIN ops; two scalars fold in JS (as eager folds alpha). */
  arith(op: number, a: Operand | null, b: Operand | null): Operand | null {
    if (!ARITH.has(op)) throw new FuserError(`fuser: ${op} is not an arithmetic op`);
    if (a === null || b === null) return null;
    if (typeof a === 'number' && typeof b === 'number' && JS_ARITH[op]) return JS_ARITH[op](a, b);
    if (!this.floatOperands([a, b])) return null;
    return this.emit(op, 'f32', [this.f32(a), this.f32(b)]);
  }

  add(a: Operand | null, b: Operand | null): Operand | null { return this.arith(F.FOP_ADD, a, b); }
  sub(a: Operand | null, b: Operand | null): Operand | null { return this.arith(F.FOP_SUB, a, b); }
  mul(a: Operand | null, b: Operand | null): Operand | null { return this.arith(F.FOP_MUL, a, b); }
  div(a: Operand | null, b: Operand | null): Operand | null { return this.arith(F.FOP_DIV, a, b); }

  /** self + alpha * other, as eager add/sub/rsub scale `other` first unless alpha is 1. */
  addAlpha(op: number, a: Operand | null, b: Operand | null, alpha: number | boolean): Operand | null {
    if (typeof alpha === 'boolean') alpha = +alpha;
    const scaled = alpha === 1 ? b : this.mul(b, alpha);
    return scaled === null ? null : this.arith(op, a, scaled);
  }

  /** f32 -> f32 ops (FOP_NEG ... FOP_ROUND); float tensors only. */
  unary(op: number, x: Operand | null): FVal | null {
    if (!(x instanceof FVal) || x.type !== 'f32') return null;
    return this.emit(op, 'f32', [x]);
  }

  /** pmin(pmax(x, lo), hi), the eager clamp: NaN x stays NaN; an infinite bound is no bound. */
  clamp(x: Operand | null, lo: number | null, hi: number | null): FVal | null {
    if (!(x instanceof FVal) || x.type !== 'f32' || (lo === null && hi === null)) return null;
    let y: FVal = x;
    if (lo !== null && lo !== -Infinity) y = this.emit(F.FOP_PMAX, 'f32', [y, this.constant(lo)]);
    if (hi !== null && hi !== Infinity) y = this.emit(F.FOP_PMIN, 'f32', [y, this.constant(hi)]);
    return y;
  }

  /** FOP_EQ ... FOP_GE: a bool mask; float operands (bools compared as 0/1 floats). */
  compare(op: number, a: Operand | null, b: Operand | null): FVal | null {
    if (a === null || b === null || !this.floatOperands([a, b])) return null;
    return this.emit(op, 'bool', [this.f32(a), this.f32(b)]);
  }

  /** cond ? a : b with a bool condition; the result is float32. */
  where(cond: Operand | null, a: Operand | null, b: Operand | null): FVal | null {
    if (!(cond instanceof FVal) || cond.type !== 'bool' || a === null || b === null || !this.floatOperands([a, b])) return null;
    return this.emit(F.FOP_SELECT, 'f32', [cond, this.f32(a), this.f32(b)]);
  }

  /** The finished program with `outs` as outputs, or null if an output is not a lane value. */
  finish(outs: (Operand | null)[]): Program | null {
    if (!outs.every((o): o is FVal => o instanceof FVal)) return null;
    const outputs = outs.map((o) => ({ reg: o.reg, type: o.type }));
    const key = [
      this.inputTypes.join(','),
      this.instrs.map((i) => (i.op === F.FOP_CONST ? `c${constKey(i.imm)}` : `${i.op}:${i.a}:${i.b}:${i.c}`)).join(' '),
      outputs.map((o) => `${o.reg}${o.type}`).join(','),
    ].join('|');
    return { inputs: [...this.inputTypes], instrs: this.instrs, outputs, deps: outs.map((o) => [...this.deps[o.reg]].sort((a, b) => a - b)), key };
  }
}

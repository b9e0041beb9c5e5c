// The template back end: runs a program through the precompiled register VM
// (assembly/fused/f32-fused-vm-wasmsimd.ts), for pages where run-time compilation is forbidden.
// The program's SSA values are mapped onto fewer VM registers (tiles) here, reusing a tile once
// its value is dead, so the tiles a launch touches stay in L1.
import { engine } from '../../engine/engine.js';
import * as F from '../../../assembly/fused/fused-ops.js';
import type { Program } from './program.js';
import type { Layout } from './codegen.js';
import { bitsOf } from './wasm-binary.js';

/** The VM's limits: register tiles of 512 f32 and a 256-entry register file. */
const TILE_BYTES = 2048;
const MAX_REGS = 256;

/** The VM's parameter block and register tiles, shared by every template kernel. */
let scratch = { ptr: 0, bytes: 0, owner: null as object | null };

/** Whether the VM can run `prog` (it has a fixed register file). */
export function templateFits(prog: Program): boolean {
  return prog.inputs.length + prog.instrs.length <= MAX_REGS;
}

export interface Registers {
  /** The VM register of each SSA value. */
  of: number[];
  count: number;
  /** Per output: whether its register is its own (the VM then computes it in place). */
  direct: boolean[];
}

/**
 * Linear-scan register assignment. Inputs keep registers 0..nIn-1 and constants get their own
 * (filled once per launch). An instruction's register is taken before its operands' die, so it
 * never writes a register it reads (the VM's overlapping last vector relies on that). A float
 * output computed by an instruction gets a register nothing else ever used, so the VM may point
 * it at the output's memory for the whole tile.
 */
export function assignRegisters(prog: Program): Registers {
  const nIn = prog.inputs.length;
  const lastUse = new Array<number>(nIn + prog.instrs.length).fill(-1);
  prog.instrs.forEach((ins, i) => {
    if (ins.op === F.FOP_CONST) return;
    for (const r of operands(ins.op, ins)) lastUse[r] = i;
  });
  for (const o of prog.outputs) lastUse[o.reg] = Infinity;
  const direct = prog.outputs.map((o, j) =>
    o.type === 'f32' && o.reg >= nIn && prog.instrs[o.reg - nIn].op !== F.FOP_CONST && prog.outputs.findIndex((p) => p.reg === o.reg) === j);
  const own = new Set(prog.outputs.filter((_, j) => direct[j]).map((o) => o.reg));
  const of = Array.from({ length: nIn }, (_, k) => k);
  const free: number[] = [];
  let count = nIn;
  prog.instrs.forEach((ins, i) => {
    const reg = nIn + i;
    of.push(ins.op === F.FOP_CONST || own.has(reg) ? count++ : free.pop() ?? count++);
    if (ins.op === F.FOP_CONST) return;
    for (const r of new Set(operands(ins.op, ins))) {
      if (r >= nIn && lastUse[r] === i && prog.instrs[r - nIn].op !== F.FOP_CONST) free.push(of[r]);
    }
    if (lastUse[reg] < 0) free.push(of[reg]); // computed, never read
  });
  return { of, count, direct };
}

/** The registers an instruction reads. */
function operands(op: number, ins: { a: number; b: number; c: number }): number[] {
  if (op === F.FOP_SELECT) return [ins.a, ins.b, ins.c];
  if (op >= F.FOP_NEG && op <= F.FOP_ROUND) return [ins.a];
  if (op === F.FOP_MASK_TO_F32 || op === F.FOP_F32_TO_MASK) return [ins.a];
  return [ins.a, ins.b];
}

/**
 * A launcher for `prog` with these layouts, taking [outer, inner, input ptrs.., output ptrs..].
 * The parameter block is written whole only when another program used the scratch last; a
 * repeated launch writes the sizes and pointers.
 */
export function templateKernel(prog: Program, layouts: readonly Layout[]): (args: number[]) => void {
  const nIn = prog.inputs.length, nOut = prog.outputs.length, nInstr = prog.instrs.length;
  const regs = assignRegisters(prog);
  const INS = 7, OUTS = INS + 3 * nIn, CODE = OUTS + 4 * nOut;
  const words = CODE + 6 * nInstr;
  const head = (words * 4 + 15) & ~15;
  const need = head + regs.count * TILE_BYTES;
  const ftype = (t: string) => (t === 'f32' ? F.FTYPE_F32 : F.FTYPE_BOOL);
  const block = new Int32Array(words);
  block.set([nIn, nOut, nInstr, 0, 0, 0, regs.count]);
  prog.inputs.forEach((ty, k) => block.set([0, layouts[k], ftype(ty)], INS + 3 * k));
  prog.outputs.forEach((o, j) => block.set([0, regs.of[o.reg], ftype(o.type), +regs.direct[j]], OUTS + 4 * j));
  prog.instrs.forEach((ins, i) => block.set([ins.op, regs.of[nIn + i], regs.of[ins.a], regs.of[ins.b], regs.of[ins.c],
    ins.op === F.FOP_CONST ? bitsOf(ins.imm) | 0 : 0], CODE + 6 * i));
  const me = {};
  return (args) => {
    const e = engine();
    if (scratch.bytes < need) {
      // Raw blocks: the scratch outlives any module's buffer pool.
      if (scratch.ptr) e.raw.free(scratch.ptr);
      scratch = { ptr: e.raw.alloc(need), bytes: need, owner: null };
    }
    const p = scratch.ptr, w = e.i32, at = p >> 2;
    if (scratch.owner !== me) {
      block[5] = p + head;
      w.set(block, at);
      scratch.owner = me;
    }
    w[at + 3] = args[0];
    w[at + 4] = args[1];
    for (let k = 0; k < nIn; k++) w[at + INS + 3 * k] = args[2 + k];
    for (let j = 0; j < nOut; j++) w[at + OUTS + 4 * j] = args[2 + nIn + j];
    e.k.f32_fused_vm(p);
  };
}

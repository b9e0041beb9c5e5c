// The template back end: runs a program through the precompiled register VM
// (assembly/fused/f32-fused-vm-wasmsimd.ts), for pages where run-time compilation is forbidden.
import { engine } from '../../engine/engine.js';
import * as F from '../../../assembly/fused/fused-ops.js';
import type { Program } from './program.js';
import type { Layout } from './codegen.js';
import { bitsOf } from './wasm-binary.js';

/** The VM's limits: register tiles of 128 f32 and a 256-entry register file. */
const TILE_BYTES = 512;
const MAX_REGS = 256;

/** The VM's parameter block and register tiles, shared by every template kernel. */
let scratch = { ptr: 0, bytes: 0, owner: null as object | null };

/** Whether the VM can run `prog` (it has a fixed register file). */
export function templateFits(prog: Program): boolean {
  return prog.inputs.length + prog.instrs.length <= MAX_REGS;
}

/**
 * A launcher for `prog` with these layouts, taking [outer, inner, input ptrs.., output ptrs..].
 * The parameter block is written whole only when another program used the scratch last; a
 * repeated launch writes the sizes and pointers.
 */
export function templateKernel(prog: Program, layouts: readonly Layout[]): (args: number[]) => void {
  const nIn = prog.inputs.length, nOut = prog.outputs.length, nInstr = prog.instrs.length;
  const words = 6 + 3 * nIn + 3 * nOut + 5 * nInstr;
  const head = (words * 4 + 15) & ~15;
  const need = head + (nIn + nInstr) * TILE_BYTES;
  const ftype = (t: string) => (t === 'f32' ? F.FTYPE_F32 : F.FTYPE_BOOL);
  const block = new Int32Array(words);
  block.set([nIn, nOut, nInstr]);
  prog.inputs.forEach((ty, k) => block.set([0, layouts[k], ftype(ty)], 6 + 3 * k));
  prog.outputs.forEach((o, j) => block.set([0, o.reg, ftype(o.type)], 6 + 3 * nIn + 3 * j));
  prog.instrs.forEach((ins, i) => block.set([ins.op, ins.a, ins.b, ins.c, ins.op === F.FOP_CONST ? bitsOf(ins.imm) | 0 : 0], 6 + 3 * nIn + 3 * nOut + 5 * i));
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
    for (let k = 0; k < nIn; k++) w[at + 6 + 3 * k] = args[2 + k];
    for (let j = 0; j < nOut; j++) w[at + 6 + 3 * nIn + 3 * j] = args[2 + nIn + j];
    e.k.f32_fused_vm(p);
  };
}

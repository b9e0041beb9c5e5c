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

let scratch = { ptr: 0, bytes: 0 };

/** Whether the VM can run `prog` (it has a fixed register file). */
export function templateFits(prog: Program): boolean {
  return prog.inputs.length + prog.instrs.length <= MAX_REGS;
}

/** A launcher for `prog` with these layouts: (outer, inner, input ptrs, output ptrs) => void. */
export function templateKernel(prog: Program, layouts: readonly Layout[]): (outer: number, inner: number, ins: number[], outs: number[]) => void {
  const nIn = prog.inputs.length, nOut = prog.outputs.length, nInstr = prog.instrs.length;
  const words = 6 + 3 * nIn + 3 * nOut + 5 * nInstr;
  const head = (words * 4 + 15) & ~15;
  const need = head + (nIn + nInstr) * TILE_BYTES;
  const code = new Int32Array(5 * nInstr);
  prog.instrs.forEach((ins, i) => code.set([ins.op, ins.a, ins.b, ins.c, ins.op === F.FOP_CONST ? bitsOf(ins.imm) | 0 : 0], 5 * i));
  const ftype = (t: string) => (t === 'f32' ? F.FTYPE_F32 : F.FTYPE_BOOL);
  return (outer, inner, ins, outs) => {
    const e = engine();
    if (scratch.bytes < need) {
      if (scratch.ptr) e.free(scratch.ptr);
      scratch = { ptr: e.alloc(need), bytes: need };
    }
    const p = scratch.ptr;
    const w = e.i32, at = p >> 2;
    w.set([nIn, nOut, nInstr, outer, inner, p + head], at);
    for (let k = 0; k < nIn; k++) w.set([ins[k], layouts[k], ftype(prog.inputs[k])], at + 6 + 3 * k);
    for (let j = 0; j < nOut; j++) w.set([outs[j], prog.outputs[j].reg, ftype(prog.outputs[j].type)], at + 6 + 3 * nIn + 3 * j);
    w.set(code, at + 6 + 3 * nIn + 3 * nOut);
    e.k.f32_fused_vm(p);
  };
}

// Running a FusionGroup: specialise its subgraph to the inputs' dtypes (a Program), pick the
// operands' layouts, and launch a kernel from the cache (generated WebAssembly, or the template
// VM), or run the subgraph op by op when the fuser cannot compute it (other dtypes, shapes that
// the group's outputs do not share, modes): slower, never wrong.
import * as F from '../../../assembly/fused/fused-ops.js';
import { engine } from '../../engine/engine.js';
import { Tensor, tidy } from '../../sdk/tensor.js';
import { broadcastShapes, broadcastStrides, contiguous, empty } from '../../ops/exec.js';
import { SUBGRAPH_ATTR, type Graph, type Node, type Value } from '../ir.js';
import { jsValue, rowOf } from '../passes/op-rows.js';
import { FuseBuilder, type FType, type Program } from './program.js';
import { generate, type Layout } from './codegen.js';
import { templateFits, templateKernel } from './template.js';
import { FuserError } from './errors.js';

export type FuserMode = 'codegen' | 'template' | 'off';
type Kernel = (outer: number, inner: number, ins: number[], outs: number[]) => void;

export interface FuserStats {
  /** Kernels built (generated modules compiled, or template launchers made). */
  compiles: number;
  /** Launches that found their kernel in the cache. */
  cacheHits: number;
  codegenRuns: number;
  templateRuns: number;
  /** Group runs that went op by op. */
  unfusedRuns: number;
}

const state = {
  mode: 'codegen' as FuserMode,
  /** Set when compiling generated code failed for a reason that will not go away (CSP). */
  codegenBlocked: false,
  warned: false,
  /** Kernels by program signature, backend and layouts (shared by identical groups). */
  kernels: new Map<string, Kernel>(),
  /** The same, per program object: the launch path's lookup without building the long key. */
  byProgram: new WeakMap<Program, Map<string, Kernel>>(),
  programs: new WeakMap<Graph, Map<string, Program | null>>(),
  stats: { compiles: 0, cacheHits: 0, codegenRuns: 0, templateRuns: 0, unfusedRuns: 0 } as FuserStats,
};

/** 'codegen' (default) compiles a kernel per group; 'template' uses the precompiled VM; 'off' runs groups op by op. */
export function setFuserMode(mode: FuserMode): void {
  if (mode !== 'codegen' && mode !== 'template' && mode !== 'off') throw new FuserError(`setFuserMode: expected 'codegen', 'template' or 'off', got '${mode}'`);
  state.mode = mode;
}
export function getFuserMode(): FuserMode { return state.mode; }
export function fuserStats(): FuserStats { return { ...state.stats }; }

/** Forgets compiled kernels, counters and the one-time warning (for tests and benchmarks). */
export function resetFuser(): void {
  state.kernels.clear();
  state.byProgram = new WeakMap();
  state.programs = new WeakMap();
  state.codegenBlocked = false;
  state.warned = false;
  for (const k of Object.keys(state.stats) as (keyof FuserStats)[]) state.stats[k] = 0;
}

const ftypeOf = (x: unknown): FType | null =>
  x instanceof Tensor ? (x.dtype === 'float32' ? 'f32' : x.dtype === 'bool' ? 'bool' : null) : null;

/** The subgraph as a program for these input types; null if some op cannot be fused with them. */
function programFor(sub: Graph, types: FType[]): Program | null {
  let byTypes = state.programs.get(sub);
  if (!byTypes) state.programs.set(sub, (byTypes = new Map()));
  const key = types.join(',');
  if (byTypes.has(key)) return byTypes.get(key)!;
  const b = new FuseBuilder(types);
  const env = new Map<Value, unknown>(sub.inputs.map((v, i) => [v, b.input(i)]));
  let prog: Program | null = null;
  build: {
    for (const n of sub.nodes()) {
      if (n.kind === 'prim::Constant') {
        const c = jsValue(n.output());
        if (c instanceof Tensor) break build;
        env.set(n.output(), c);
        continue;
      }
      const row = rowOf(n);
      const r = row?.fuse ? row.fuse(b, ...n.inputs.map((v) => env.get(v))) : null;
      if (r === null || r === undefined || n.outputs.length !== 1) break build;
      env.set(n.output(), r);
    }
    prog = b.finish(sub.outputs.map((v) => env.get(v) as never));
  }
  byTypes.set(key, prog);
  return prog;
}

/** The subgraph run op by op through the op table. */
export function runUnfused(sub: Graph, args: readonly unknown[]): unknown {
  state.stats.unfusedRuns++;
  return tidy(() => {
    const env = new Map<Value, unknown>(sub.inputs.map((v, i) => [v, args[i]]));
    for (const n of sub.nodes()) {
      if (n.kind === 'prim::Constant') { env.set(n.output(), jsValue(n.output())); continue; }
      const row = rowOf(n);
      if (!row) throw new FuserError(`cannot run ${n.kind} inside a fusion group: no op-table row takes these arguments`);
      const out = row.impl(...n.inputs.map((v) => env.get(v)));
      if (n.outputs.length === 1) env.set(n.output(), out);
      else n.outputs.forEach((o, i) => env.set(o, (out as unknown[])[i]));
    }
    const outs = sub.outputs.map((v) => env.get(v));
    return outs.length === 1 ? outs[0] : outs;
  });
}

interface Launch { outer: number; inner: number; layouts: Layout[]; ptrs: number[]; temps: Tensor[] }

/**
 * How each input walks the [outer, inner] space of `shape`. Size-1 dims are dropped; an input
 * present in every remaining dim is FULL, in none SCALAR, in a suffix ROW, in a prefix COL (all
 * ROW/COL inputs must split at the same dim). Anything else (and strided inputs) is copied to a
 * FULL buffer first.
 */
function planLaunch(ts: Tensor[], shape: number[]): Launch {
  const dims = shape.flatMap((s, i) => (s !== 1 ? [i] : []));
  const numel = shape.reduce((a, b) => a * b, 1);
  let split = -1;
  const kinds = ts.map((t) => {
    const st = broadcastStrides(t, shape);
    const present = dims.map((d) => st[d] !== 0);
    const first = present.indexOf(true), count = present.filter(Boolean).length;
    if (count === 0) return { layout: F.LAYOUT_SCALAR as Layout, at: -1 };
    if (!t.isContiguous()) return null;
    if (count === dims.length) return { layout: F.LAYOUT_FULL as Layout, at: -1 };
    if (present.every((p, i) => p === i >= first)) return { layout: F.LAYOUT_ROW as Layout, at: first };
    if (present.every((p, i) => p === i < count)) return { layout: F.LAYOUT_COL as Layout, at: count };
    return null;
  });
  for (const k of kinds) if (k && k.at >= 0 && split < 0) split = k.at;
  const temps: Tensor[] = [];
  const layouts: Layout[] = [], ptrs: number[] = [];
  ts.forEach((t, i) => {
    const k = kinds[i];
    if (k && (k.at < 0 || k.at === split)) {
      layouts.push(k.layout);
      ptrs.push(t.ptr);
      return;
    }
    const full = contiguous(t.asStrided(shape, broadcastStrides(t, shape)), true);
    temps.push(full);
    layouts.push(F.LAYOUT_FULL);
    ptrs.push(full.ptr);
  });
  const outer = split < 0 ? 1 : dims.slice(0, split).reduce((a, d) => a * shape[d], 1);
  return { outer, inner: numel / outer, layouts, ptrs, temps };
}

function warnOnce(msg: string): void {
  if (state.warned) return;
  state.warned = true;
  console.warn(msg);
}

function codegenKernel(prog: Program, layouts: Layout[]): Kernel | null {
  try {
    const mod = new WebAssembly.Module(generate(prog, layouts) as BufferSource);
    const run = new WebAssembly.Instance(mod, { env: { memory: engine().k.memory } }).exports.run as (...a: number[]) => void;
    return (outer, inner, p, q) => run(outer, inner, ...p, ...q);
  } catch (e) {
    const msg = (e as Error)?.message ?? String(e);
    // A refusal to compile at all (CSP without 'wasm-unsafe-eval') holds for every later group.
    if (!(e instanceof WebAssembly.CompileError) || /unsafe-eval|Content Security Policy|CSP/i.test(msg)) state.codegenBlocked = true;
    warnOnce(`torchwick fuser: cannot compile generated WebAssembly (${msg}); fused groups use the precompiled templates instead`);
    return null;
  }
}

function kernelFor(prog: Program, layouts: Layout[]): { kernel: Kernel; codegen: boolean } | null {
  const wantCodegen = state.mode === 'codegen' && !state.codegenBlocked;
  const local = `${wantCodegen ? 'g' : 't'}${layouts.join('')}`;
  let mine = state.byProgram.get(prog);
  if (!mine) state.byProgram.set(prog, (mine = new Map()));
  const key = () => `${local}|${prog.key}`;
  const hit = mine.get(local) ?? state.kernels.get(key());
  if (hit) {
    mine.set(local, hit);
    state.stats.cacheHits++;
    return { kernel: hit, codegen: wantCodegen };
  }
  let kernel = wantCodegen ? codegenKernel(prog, layouts) : null;
  const codegen = kernel !== null;
  if (!kernel) {
    if (!templateFits(prog)) return null;
    kernel = templateKernel(prog, layouts);
  }
  state.stats.compiles++;
  // A failed generation caches its template launcher under the codegen key: reported once, tried once.
  state.kernels.set(key(), kernel);
  mine.set(local, kernel);
  return { kernel, codegen };
}

/** Runs a `prim::FusionGroup` node on its input values; returns its output(s). */
export function runFusionGroup(n: Node, args: readonly unknown[]): unknown {
  const sub = n.getAttr(SUBGRAPH_ATTR, 'g');
  if (state.mode === 'off') return runUnfused(sub, args);
  const types = args.map(ftypeOf);
  const prog = types.every((t): t is FType => t !== null) ? programFor(sub, types) : null;
  if (!prog) return runUnfused(sub, args);
  const ts = args as Tensor[];
  let shape: number[];
  try {
    shape = broadcastShapes('prim::FusionGroup', ...ts.map((t) => t.shape));
    // Every output must have the full broadcast shape (an output of a sub-expression may not).
    for (const deps of prog.deps) {
      const s = broadcastShapes('prim::FusionGroup', ...deps.map((i) => ts[i].shape));
      if (s.length !== shape.length || s.some((d, i) => d !== shape[i])) return runUnfused(sub, args);
    }
  } catch {
    return runUnfused(sub, args); // the op that cannot broadcast raises PyTorch's error
  }
  const outs = prog.outputs.map((o) => empty(shape, o.type === 'f32' ? 'float32' : 'bool'));
  const numel = shape.reduce((a, b) => a * b, 1);
  if (numel > 0) {
    const plan = planLaunch(ts, shape);
    const k = kernelFor(prog, plan.layouts);
    if (!k) {
      plan.temps.forEach((t) => t.dispose());
      outs.forEach((t) => t.dispose());
      return runUnfused(sub, args);
    }
    k.kernel(plan.outer, plan.inner, plan.ptrs, outs.map((t) => t.ptr));
    if (k.codegen) state.stats.codegenRuns++;
    else state.stats.templateRuns++;
    plan.temps.forEach((t) => t.dispose());
  }
  return outs.length === 1 ? outs[0] : outs;
}

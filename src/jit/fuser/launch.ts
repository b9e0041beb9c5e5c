// Running a FusionGroup: specialise its subgraph to the inputs' dtypes (a Program), pick the
// operands' layouts, and launch a kernel from the cache (generated WebAssembly, or the template
// VM), or run the subgraph op by op when the fuser cannot compute it (other dtypes, shapes that
// the group's outputs do not share, modes): slower, never wrong. All of that is decided once per
// input signature (dtypes, shapes, strides) and kept as a prepared launch, so a repeated call
// checks its signature, allocates its outputs and calls the kernel: no strings, maps or plans.
import * as F from '../../../assembly/fused/fused-ops.js';
import { engine } from '../../engine/engine.js';
import { Storage, Tensor, contiguousStrides, tidy } from '../../sdk/tensor.js';
import { DTYPES, type DType } from '../../sdk/dtype.js';
import { broadcastShapes, broadcastStrides, contiguous } from '../../ops/exec.js';
import { SUBGRAPH_ATTR, type Graph, type Node, type Value } from '../ir.js';
import { jsValue, rowOf } from '../passes/op-rows.js';
import { FuseBuilder, type FType, type Program } from './program.js';
import { generate, type Layout } from './codegen.js';
import { templateFits, templateKernel } from './template.js';
import { FuserError } from './errors.js';

export type FuserMode = 'codegen' | 'template' | 'off';
/** A kernel takes one argument array: outer, inner, input pointers, output pointers. */
export type Kernel = (args: number[]) => void;

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

/** A group's run for one input signature in one mode; only pointers change between calls. */
interface Prepared {
  mode: FuserMode;
  /** Whether it launches a kernel (else the group runs op by op). */
  fused: boolean;
  dtypes: DType[];
  shapes: (readonly number[])[];
  strides: (readonly number[])[];
  run(ts: readonly Tensor[]): unknown;
}

/** Per FusionGroup node: the launch used last (the common case: same shapes again) and all others. */
interface GroupLaunches {
  last: Prepared;
  bySignature: Map<string, Prepared>;
}

/** Prepared launches kept per group. */
const MAX_SIGNATURES = 64;

const state = {
  mode: 'codegen' as FuserMode,
  /** Set when compiling generated code failed for a reason that will not go away (CSP). */
  codegenBlocked: false,
  warned: false,
  /** Kernels by program signature, backend and layouts (shared by identical groups). */
  kernels: new Map<string, Kernel>(),
  programs: new WeakMap<Graph, Map<string, Program | null>>(),
  launches: new WeakMap<Node, GroupLaunches>(),
  stats: { compiles: 0, cacheHits: 0, codegenRuns: 0, templateRuns: 0, unfusedRuns: 0 } as FuserStats,
};

/** 'codegen' (default) compiles a kernel per group; 'template' uses the precompiled VM; 'off' runs groups op by op. */
export function setFuserMode(mode: FuserMode): void {
  if (mode !== 'codegen' && mode !== 'template' && mode !== 'off') throw new FuserError(`setFuserMode: expected 'codegen', 'template' or 'off', got '${mode}'`);
  state.mode = mode;
}
export function getFuserMode(): FuserMode { return state.mode; }
export function fuserStats(): FuserStats { return { ...state.stats }; }

/** Forgets compiled kernels, prepared launches, counters and the one-time warning (for tests and benchmarks). */
export function resetFuser(): void {
  state.kernels.clear();
  state.programs = new WeakMap();
  state.launches = new WeakMap();
  state.codegenBlocked = false;
  state.warned = false;
  for (const k of Object.keys(state.stats) as (keyof FuserStats)[]) state.stats[k] = 0;
}

const ftypeOf = (t: Tensor): FType | null => (t.dtype === 'float32' ? 'f32' : t.dtype === 'bool' ? 'bool' : null);

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

interface Plan { outer: number; inner: number; layouts: Layout[]; copy: boolean[] }

/**
 * How each input walks the [outer, inner] space of `shape`. Size-1 dims are dropped; an input
 * present in every remaining dim is FULL, in none SCALAR, in a suffix ROW, in a prefix COL (all
 * ROW/COL inputs must split at the same dim). Anything else (and strided inputs) is copied to a
 * FULL buffer at each launch (`copy`).
 */
function planLaunch(ts: readonly Tensor[], shape: number[]): Plan {
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
  const copy = kinds.map((k) => !(k && (k.at < 0 || k.at === split)));
  const layouts = kinds.map((k, i) => (copy[i] ? F.LAYOUT_FULL : k!.layout));
  const outer = split < 0 ? 1 : dims.slice(0, split).reduce((a, d) => a * shape[d], 1);
  return { outer, inner: numel / outer, layouts, copy };
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
    // apply with a reused array: no spread, no allocation per launch.
    return (args) => run.apply(undefined, args);
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
  const key = `${wantCodegen ? 'g' : 't'}${layouts.join('')}|${prog.key}`;
  const hit = state.kernels.get(key);
  if (hit) {
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
  state.kernels.set(key, kernel);
  return { kernel, codegen };
}

const sameDims = (a: readonly number[], b: readonly number[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

function matches(p: Prepared, args: readonly unknown[]): boolean {
  if (p.mode !== state.mode || args.length !== p.dtypes.length) return false;
  for (let i = 0; i < args.length; i++) {
    const t = args[i];
    if (!(t instanceof Tensor) || t.dtype !== p.dtypes[i] || !sameDims(t.shape, p.shapes[i]) || !sameDims(t.strides, p.strides[i])) return false;
  }
  return true;
}

const signature = (ts: readonly Tensor[]): string => `${state.mode}|${ts.map((t) => `${t.dtype}[${t.shape}][${t.strides}]`).join(';')}`;

/** How a group runs for inputs like `ts` in the current mode (programs and kernels built here). */
function prepare(sub: Graph, ts: readonly Tensor[]): Prepared {
  const sig = { mode: state.mode, dtypes: ts.map((t) => t.dtype), shapes: ts.map((t) => [...t.shape]), strides: ts.map((t) => [...t.strides]) };
  const unfused = { ...sig, fused: false, run: (xs: readonly Tensor[]) => runUnfused(sub, xs) };
  if (state.mode === 'off') return unfused;
  const types = ts.map(ftypeOf);
  const prog = types.every((t): t is FType => t !== null) ? programFor(sub, types) : null;
  if (!prog) return unfused;
  let shape: number[];
  try {
    shape = broadcastShapes('prim::FusionGroup', ...ts.map((t) => t.shape));
    // Every output must have the full broadcast shape (an output of a sub-expression may not).
    for (const deps of prog.deps) {
      if (!sameDims(broadcastShapes('prim::FusionGroup', ...deps.map((i) => ts[i].shape)), shape)) return unfused;
    }
  } catch {
    return unfused; // the op that cannot broadcast raises PyTorch's error
  }
  const outDtypes: DType[] = prog.outputs.map((o) => (o.type === 'f32' ? 'float32' : 'bool'));
  const strides = contiguousStrides(shape);
  const numel = shape.reduce((a, b) => a * b, 1);
  const output = (d: DType) => new Tensor(Storage.allocate(numel * DTYPES[d].size), d, shape.slice(), strides.slice());
  if (numel === 0) {
    return { ...sig, fused: false, run: () => (outDtypes.length === 1 ? output(outDtypes[0]) : outDtypes.map(output)) };
  }
  const plan = planLaunch(ts, shape);
  const k = kernelFor(prog, plan.layouts);
  if (!k) return unfused;
  const { kernel, codegen } = k;
  const nIn = ts.length, nOut = outDtypes.length;
  // The kernel's argument array, filled in place at each launch.
  const args = [plan.outer, plan.inner, ...new Array<number>(nIn + nOut).fill(0)];
  const copies = plan.copy.some(Boolean);
  const run = (xs: readonly Tensor[]): unknown => {
    let temps: Tensor[] | null = null;
    try {
      // Inputs first: a disposed one throws before any output exists.
      for (let i = 0; i < nIn; i++) {
        let t = xs[i];
        if (copies && plan.copy[i]) (temps ??= []).push((t = contiguous(t.asStrided(shape, broadcastStrides(t, shape)), true)));
        args[2 + i] = t.ptr;
      }
      let result: Tensor | Tensor[];
      if (nOut === 1) {
        result = output(outDtypes[0]);
        args[2 + nIn] = result.ptr;
      } else {
        result = outDtypes.map(output);
        for (let j = 0; j < nOut; j++) args[2 + nIn + j] = result[j].ptr;
      }
      kernel(args);
      if (codegen) state.stats.codegenRuns++;
      else state.stats.templateRuns++;
      return result;
    } finally {
      if (temps) for (const t of temps) t.dispose();
    }
  };
  return { ...sig, fused: true, run };
}

/** Runs a `prim::FusionGroup` node on its input values; returns its output(s). */
export function runFusionGroup(n: Node, args: readonly unknown[]): unknown {
  const mine = state.launches.get(n);
  if (mine && matches(mine.last, args)) {
    // The kernel found again (as a cache lookup would) without rebuilding anything.
    if (mine.last.fused) state.stats.cacheHits++;
    return mine.last.run(args as Tensor[]);
  }
  const sub = n.getAttr(SUBGRAPH_ATTR, 'g');
  if (!args.every((a) => a instanceof Tensor)) return runUnfused(sub, args);
  const ts = args as Tensor[];
  const sig = signature(ts);
  let p = mine?.bySignature.get(sig);
  if (!p) {
    p = prepare(sub, ts);
    // Shapes that keep changing would grow the table without end: start it again.
    if (mine && mine.bySignature.size >= MAX_SIGNATURES) mine.bySignature.clear();
    if (mine) mine.bySignature.set(sig, p);
  } else if (p.fused) state.stats.cacheHits++;
  if (mine) mine.last = p;
  else state.launches.set(n, { last: p, bySignature: new Map([[sig, p]]) });
  return p.run(ts);
}

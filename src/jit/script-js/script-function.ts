// What trace() and script() return: a callable that runs the optimized graph, with `.graph`
// (after the pipeline), `.graphBeforePasses` and `.code` (the TorchScript text of the graph).
import type { Graph } from '../ir.js';
import { printGraph } from '../printer.js';
import { pythonPrint } from '../python-print.js';
import { optimize } from '../pipeline.js';
import { moduleObject, runGraph } from './run-graph.js';
import { callDifferentiable, wantsGrad } from '../autodiff/run.js';
import { save } from '../save.js';

export interface ScriptFunctionOptions {
  /** The module (for `self`) when the graph is a method. */
  self?: object | null;
  /** Run the optimization pipeline (default true). */
  optimize?: boolean;
  /** Each parameter's default (undefined: none), passed when a call leaves it out. */
  defaults?: readonly unknown[];
}

export interface ScriptFunction {
  (...args: any[]): any;
  /** The graph that runs: after the optimization passes. */
  readonly graph: Graph;
  /** The graph as the frontend emitted it. */
  readonly graphBeforePasses: Graph;
  /** TorchScript source of the graph as compiled, before optimization (PyTorch's `.code`). */
  readonly code: string;
  /** The printed graph (`str(fn.graph)`). */
  graphText(): string;
  /** A TorchScript archive of this function (torch.jit.save); with `path` (Node) also writes it. */
  save(path?: string): Uint8Array;
}

export function makeScriptFunction(name: string, graph: Graph, opts: ScriptFunctionOptions = {}): ScriptFunction {
  const optimized = opts.optimize === false ? graph : optimize(graph.copy());
  const self = opts.self ? moduleObject(opts.self) : null;
  const fn = function (...given: unknown[]) {
    const args = withDefaults(given, opts.defaults ?? []);
    const all = self ? [self, ...args] : args;
    // Gradients wanted: the emitted graph runs as a fused forward with a fused backward (autodiff);
    // where it cannot, unfused, so that every op is recorded by eager autograd.
    if (!wantsGrad(opts.self ? [opts.self, ...args] : args)) return runGraph(optimized, name, all);
    const diff = callDifferentiable(graph, all, (g, a) => runGraph(g, name, a));
    return diff ? diff.value : runGraph(graph, name, all);
  };
  Object.defineProperty(fn, 'name', { value: name });
  let code: string | null = null;
  Object.defineProperties(fn, {
    graph: { value: optimized },
    graphBeforePasses: { value: graph },
    code: { get: () => (code ??= pythonPrint(graph, name, self !== null)) },
    graphText: { value: () => printGraph(optimized) },
    save: { value: (path?: string) => save(fn as unknown as ScriptFunction, path) },
  });
  return fn as ScriptFunction;
}

/** `args` and the defaults of the parameters after them (up to one without a default: the run reports it). */
function withDefaults(args: readonly unknown[], defaults: readonly unknown[]): unknown[] {
  const out = [...args];
  while (out.length < defaults.length && defaults[out.length] !== undefined) out.push(defaults[out.length]);
  return out;
}

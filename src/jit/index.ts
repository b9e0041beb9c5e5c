// The `jit` namespace: load and save TorchScript archives, compile TorchScript source, trace and
// script JavaScript.
import { parseSource } from './frontend/parser.js';
import { printGraph } from './printer.js';
import type { Graph } from './ir.js';
import { CompilationUnit, type ScriptFunction } from './compile/unit.js';
import { load, loadBytes, loadFile, ArchiveError } from './load.js';
import { setFuserMode, getFuserMode, fuserStats } from './fuser/launch.js';
import { save } from './save.js';
// JavaScript frontends: trace a function or module, script a function's or module's source.
import { trace, type TraceOptions } from './trace/trace.js';
import { script, type ScriptOptions } from './script-js/script.js';

/** A compiled function: call it with JS values; `.graph` prints its IR, `.code` its source. */
export interface ScriptCallable {
  (...args: unknown[]): any;
  readonly graph: string;
  readonly ir: Graph;
  readonly code: string;
  readonly fn: ScriptFunction;
}

function callable(fn: ScriptFunction): ScriptCallable {
  const f = (...args: unknown[]) => fn.call(args);
  Object.defineProperties(f, {
    graph: { get: () => printGraph(fn.graph) },
    ir: { get: () => fn.graph },
    code: { get: () => fn.code },
    fn: { value: fn },
  });
  return f as ScriptCallable;
}

/**
 * Compiles TorchScript source with `def` functions (and classes) into callables by name, e.g.
 * `jit.compile('def f(x: Tensor, n: int) -> Tensor:\n  ...').f(x, 3)`. Bodies compile on first use.
 */
export function compile(source: string, file = '<string>'): Record<string, ScriptCallable> {
  const unit = new CompilationUnit();
  unit.define(parseSource(source, file), '__torch__');
  const out: Record<string, ScriptCallable> = {};
  for (const fn of unit.allFunctions()) out[fn.name] = callable(fn);
  return out;
}

export const jit = { load, loadBytes, loadFile, compile, trace, script, save, setFuserMode, getFuserMode, fuserStats };
export { load, loadBytes, loadFile, ArchiveError };
export { ScriptModule, ScriptObject } from './module.js';
export { save, SaveError } from './save.js';
export { ScriptRuntimeError } from './runtime/errors.js';
export { ScriptCompileError } from './compile/errors.js';
export { TorchScriptSyntaxError } from './frontend/error.js';
export { trace, script, type TraceOptions, type ScriptOptions };
export type { ScriptFunction as TracedFunction } from './script-js/script-function.js';
export { TracingError } from './trace/errors.js';
export { ScriptError, ScriptSyntaxError } from './script-js/errors.js';

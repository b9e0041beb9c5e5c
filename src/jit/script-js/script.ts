// torch.jit.script for JavaScript: compiles a function's source (or a module's forward and the
// methods it calls) to a graph. Note [Operators on tensors]: JavaScript has no operator
// overloading, so `a + b` on tensors means aten::add only in scripted code; eager and traced
// code must call methods (`a.add(b)`). Free identifiers are not visible from source: pass their
// values in `globals` (numbers, strings, booleans, arrays of those, and functions, which are
// scripted too); `torch`, `Math`, `F`/`functional` (nn.functional), `Infinity` and `NaN` are known.
import type { Graph } from '../ir.js';
import { classType, parseTypeString, typeToPython, type ClassType, type JitType } from '../types.js';
import { inlineCalls } from '../passes/inline-calls.js';
import { Emitter, type EmitOptions } from './emitter.js';
import { ScriptError, type ScriptPos } from './errors.js';
import { parseFunction, type ParsedFunction } from './parse.js';
import { makeScriptFunction, type ScriptFunction } from './script-function.js';
import { isModuleLike, moduleClassName, type ModuleLike } from '../trace/module-state.js';

export interface ScriptOptions {
  /** Values of the function's free identifiers. */
  globals?: Record<string, unknown>;
  /** Parameter types by name (`{n: 'int'}`); others are Tensor, or the type of their default. */
  types?: Record<string, string | JitType>;
  /** Run the optimization pipeline (default true). */
  optimize?: boolean;
}

/** Compiles `fn` (or `module.forward`) to a ScriptFunction; throws ScriptError / ScriptSyntaxError. */
export function script(fnOrModule: ((...args: any[]) => any) | ModuleLike, opts: ScriptOptions = {}): ScriptFunction {
  const paramTypes = Object.fromEntries(Object.entries(opts.types ?? {}).map(([k, t]) => [k, typeof t === 'string' ? parseTypeString(t) : t]));
  // Classes, methods and functions live in this call's context only, so a failed script leaves nothing behind.
  const ctx = new ScriptContext(opts.globals ?? {});
  if (isModuleLike(fnOrModule)) {
    const { graph, defaults } = ctx.method(fnOrModule, 'forward', paramTypes);
    return makeScriptFunction('forward', graph, { self: fnOrModule, optimize: opts.optimize, defaults });
  }
  if (typeof fnOrModule !== 'function') throw new TypeError(`script expects a function or a module with forward(), got ${typeof fnOrModule}`);
  const name = fnOrModule.name || 'scripted';
  const { graph, defaults } = ctx.emit(parseFunction(fnOrModule), fnOrModule, { paramTypes });
  return makeScriptFunction(name, graph, { optimize: opts.optimize, defaults });
}

interface Emitted { graph: Graph; defaults: unknown[] }

/**
 * What one script() call compiles: the class types and method graphs of module objects, and the
 * free functions the code calls (from `globals`), each scripted once per argument types.
 */
class ScriptContext {
  private types = new Map<object, ClassType>();
  private methods = new Map<ClassType, Map<string, Emitted>>();
  private compiling = new Set<unknown>();
  /** Scripted free functions by qualified name (what prim::CallFunction names). */
  private functions = new Map<string, Graph>();
  /** Each free function's qualified names by argument types. */
  private variants = new Map<Function, Map<string, string>>();

  constructor(private globals: Record<string, unknown>) {}

  typeOf(obj: object): ClassType {
    let t = this.types.get(obj);
    if (!t) {
      t = classType(`__torch__.${moduleClassName(obj)}`, { methods: new Map<string, Graph>() });
      this.types.set(obj, t);
    }
    return t;
  }

  /**
   * The graph of a function or method body, its calls to free functions inlined (PyTorch's
   * inline-everything mode), and its parameters' defaults. `key` identifies it for recursion.
   */
  emit(parsed: ParsedFunction, key: unknown, opts: EmitOptions): Emitted {
    if (this.compiling.has(key)) throw new ScriptError(`${parsed.file} calls itself; recursion is not supported`, parsed.pos(parsed.node));
    this.compiling.add(key);
    try {
      const em = new Emitter(parsed, {
        ...opts,
        globals: this.globals,
        typeOf: (o) => this.typeOf(o),
        scriptMethod: (o, m) => this.method(o as ModuleLike, m).graph,
        scriptFunction: (fn, name, argTypes, at) => this.function(fn, name, argTypes, at),
      });
      const graph = em.emitFunction();
      inlineCalls(graph, (n) => (n.kind === 'prim::CallFunction' ? this.functions.get(n.getAttr('name', 's')) ?? null : null));
      return { graph, defaults: em.defaults };
    } finally {
      this.compiling.delete(key);
    }
  }

  /** The graph of `obj[name]`, scripted once; `paramTypes` type the top-level method's parameters. */
  method(obj: ModuleLike, name: string, paramTypes: Record<string, JitType> = {}): Emitted {
    const type = this.typeOf(obj);
    let byName = this.methods.get(type);
    if (!byName) this.methods.set(type, (byName = new Map()));
    const known = byName.get(name);
    if (known) return known;
    const qual = `${moduleClassName(obj)}.${name}`;
    const emitted = this.emit(parseFunction(obj[name], qual), qual, { paramTypes, self: obj, selfType: type });
    byName.set(name, emitted);
    (type.cls as { methods: Map<string, Graph> }).methods.set(name, emitted.graph);
    return emitted;
  }

  /**
   * The qualified name of free function `fn` (called as `name` at `at`) scripted for arguments of
   * `argTypes`: its parameters take those types, and those not passed are their defaults.
   */
  function(fn: Function, name: string, argTypes: JitType[], at: ScriptPos): { name: string; graph: Graph } {
    let byTypes = this.variants.get(fn);
    if (!byTypes) this.variants.set(fn, (byTypes = new Map()));
    const sig = argTypes.map(typeToPython).join(', ');
    let qual = byTypes.get(sig);
    if (!qual) {
      const base = `__torch__.${fn.name || name}`;
      qual = this.functions.has(base) ? `${base}_${this.functions.size}` : base;
      let parsed: ParsedFunction;
      try {
        parsed = parseFunction(fn, fn.name || name);
      } catch (err) {
        throw notScriptable(name, err, at);
      }
      const params = parsed.node.params;
      if (argTypes.length > params.length) throw new ScriptError(`${name}() takes ${params.length} arguments but ${argTypes.length} were given`, at);
      const paramTypes = Object.fromEntries(params.slice(0, argTypes.length).map((p: any, i: number) => [p.type === 'AssignmentPattern' ? p.left.name : p.name, argTypes[i]]));
      let graph: Graph;
      try {
        graph = this.emit(parsed, fn, { paramTypes, arity: argTypes.length }).graph;
      } catch (err) {
        throw notScriptable(name, err, at);
      }
      this.functions.set(qual, graph);
      byTypes.set(sig, qual);
    }
    return { name: qual, graph: this.functions.get(qual)! };
  }
}

/** A script error in a called function, reported at the call. */
function notScriptable(name: string, err: unknown, at: ScriptPos): unknown {
  if (!(err instanceof ScriptError)) return err;
  return new ScriptError(`'${name}' cannot be scripted: ${err.message}`, at, err);
}

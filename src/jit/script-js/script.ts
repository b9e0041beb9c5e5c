// torch.jit.script for JavaScript: compiles a function's source (or a module's forward and the
// methods it calls) to a graph. Note [Operators on tensors]: JavaScript has no operator
// overloading, so `a + b` on tensors means aten::add only in scripted code; eager and traced
// code must call methods (`a.add(b)`). Free identifiers are not visible from source: pass their
// values in `globals` (numbers, strings, booleans, arrays of those); `torch`, `Math`, `F`/
// `functional` (nn.functional), `Infinity` and `NaN` are known.
import type { Graph } from '../ir.js';
import { classType, parseTypeString, type ClassType, type JitType } from '../types.js';
import { Emitter } from './emitter.js';
import { ScriptError } from './errors.js';
import { parseFunction } from './parse.js';
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
  if (isModuleLike(fnOrModule)) {
    // Classes and methods live in this call's context only, so a failed script leaves nothing behind.
    const ctx = new ModuleContext(opts.globals ?? {});
    const g = ctx.method(fnOrModule, 'forward', paramTypes);
    return makeScriptFunction('forward', g, { self: fnOrModule, optimize: opts.optimize });
  }
  if (typeof fnOrModule !== 'function') throw new TypeError(`script expects a function or a module with forward(), got ${typeof fnOrModule}`);
  const em = new Emitter(parseFunction(fnOrModule), { globals: opts.globals, paramTypes });
  return makeScriptFunction(fnOrModule.name || 'scripted', em.emitFunction(), { optimize: opts.optimize });
}

/** The class types and method graphs of the module objects one script() call compiles. */
class ModuleContext {
  private types = new Map<object, ClassType>();
  private compiling = new Set<string>();

  constructor(private globals: Record<string, unknown>) {}

  typeOf(obj: object): ClassType {
    let t = this.types.get(obj);
    if (!t) {
      t = classType(`__torch__.${moduleClassName(obj)}`, { methods: new Map<string, Graph>() });
      this.types.set(obj, t);
    }
    return t;
  }

  /** The graph of `obj[name]`, scripted once; `paramTypes` type the top-level method's parameters. */
  method(obj: ModuleLike, name: string, paramTypes: Record<string, JitType> = {}): Graph {
    const methods = (this.typeOf(obj).cls as { methods: Map<string, Graph> }).methods;
    const known = methods.get(name);
    if (known) return known;
    const qual = `${moduleClassName(obj)}.${name}`;
    const fn = obj[name];
    const parsed = parseFunction(fn, qual);
    if (this.compiling.has(qual)) throw new ScriptError(`method ${qual} calls itself; recursion is not supported`, parsed.pos(parsed.node));
    this.compiling.add(qual);
    try {
      const em = new Emitter(parsed, {
        globals: this.globals,
        paramTypes,
        self: obj,
        selfType: this.typeOf(obj),
        typeOf: (o) => this.typeOf(o),
        scriptMethod: (o, m) => this.method(o as ModuleLike, m),
      });
      const g = em.emitFunction();
      methods.set(name, g);
      return g;
    } finally {
      this.compiling.delete(qual);
    }
  }
}

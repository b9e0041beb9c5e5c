// Runs a traced or scripted graph in the interpreter (src/jit/runtime). The interpreter runs
// compiled TorchScript functions; a graph here has no source unit, so it is handed over as a
// function whose parameters are the graph's inputs and that has no defaults. A JS module object
// passed as `self` is seen through `getattr`, as the interpreter reads ScriptObjects; plain JS
// objects are dicts (Maps) inside the script and come back as plain objects.
import { runFunction } from '../runtime/interpreter.js';
import { Tensor } from '../../sdk/tensor.js';
import type { Graph } from '../ir.js';
import { ScriptRuntimeError } from '../runtime/errors.js';
import { isOptions as isPlainObject } from '../../sdk/args.js';

export function runGraph(g: Graph, name: string, args: readonly unknown[]): unknown {
  const fn = {
    graph: g,
    unit: null,
    qualname: name,
    signature: () => ({ params: g.inputs.map((v) => ({ name: v.debugName(), type: v.type, kwOnly: false })), returns: null }),
  };
  return fromScript(runFunction(fn as unknown as Parameters<typeof runFunction>[0], args.map(toScript)));
}

/** A JS module seen by the interpreter: fields, registered buffers and submodules by name. */
class JsModuleObject {
  constructor(private m: any) {}

  getattr(name: string): unknown {
    const m = this.m;
    const v = name in m ? m[name] : m._buffers instanceof Map ? m._buffers.get(name) : undefined;
    if (v === undefined) throw new ScriptRuntimeError(`module ${m.constructor?.name ?? 'object'} has no attribute '${name}'`, 'builtins.AttributeError', '');
    if (v instanceof Tensor || v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return new JsModuleObject(v); // submodules and ModuleDict-like containers
  }
}

export function moduleObject(m: object): JsModuleObject {
  return new JsModuleObject(m);
}

/** JS arguments as script values: plain objects are dicts (Maps). */
function toScript(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toScript);
  if (isPlainObject(v)) return new Map(Object.entries(v).map(([k, x]) => [k, toScript(x)]));
  return v;
}

/** Script results as JS values: dicts with string keys become plain objects. */
function fromScript(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromScript);
  if (v instanceof Map && [...v.keys()].every((k) => typeof k === 'string')) return Object.fromEntries([...v].map(([k, x]) => [k, fromScript(x)]));
  return v;
}

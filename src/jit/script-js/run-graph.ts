// Runs a traced or scripted graph in the interpreter (src/jit/runtime). The interpreter runs
// compiled TorchScript functions; a graph here has no source unit, so it is handed over as a
// function whose parameters are the graph's inputs and that has no defaults. A JS module object
// passed as `self` is seen through `getattr`, as the interpreter reads ScriptObjects.
import { runFunction } from '../runtime/interpreter.js';
import { Tensor } from '../../sdk/tensor.js';
import type { Graph } from '../ir.js';

export function runGraph(g: Graph, name: string, args: readonly unknown[]): unknown {
  const fn = {
    graph: g,
    unit: null,
    qualname: name,
    signature: () => ({ params: g.inputs.map((v) => ({ name: v.debugName(), type: v.type, kwOnly: false })), returns: null }),
  };
  return runFunction(fn as unknown as Parameters<typeof runFunction>[0], args);
}

/** A JS module seen by the interpreter: fields, registered buffers and submodules by name. */
export function moduleObject(m: any): { getattr(name: string): unknown } {
  return {
    getattr(name: string): unknown {
      const v = name in m ? m[name] : m._buffers instanceof Map ? m._buffers.get(name) : undefined;
      if (v === undefined) throw new Error(`module ${m.constructor?.name ?? 'object'} has no attribute '${name}'`);
      if (v instanceof Tensor || v === null || typeof v !== 'object') return v;
      if (typeof v.forward === 'function') return moduleObject(v);
      return Array.isArray(v) ? v : moduleObject(v); // ModuleList-like containers
    },
  };
}

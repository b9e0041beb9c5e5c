// Modules under tracing, duck-typed (an object with forward()): its tensors (fields, arrays of
// tensors and registered buffers) are state read through prim::GetAttr chains from `self`, and
// its submodules (fields with forward()) give the scope names (`__module.layer1.0`) of the nodes
// recorded while they run, so the traced graph keeps the module hierarchy.
import { Tensor } from '../../sdk/tensor.js';
import { isOptions as isPlainObject } from '../../sdk/args.js';
import type { Graph, Value } from '../ir.js';
import { classType } from '../types.js';
import type { TracingState } from './tracer.js';
import { tensorTypeOf } from './tracer.js';

export interface ModuleLike {
  forward: (...args: any[]) => any;
  [field: string]: any;
}

export function isModuleLike(v: unknown): v is ModuleLike {
  return v !== null && typeof v === 'object' && typeof (v as ModuleLike).forward === 'function';
}

export function moduleClassName(m: object): string {
  return m.constructor?.name && m.constructor !== Object ? m.constructor.name : 'Module';
}

/** [name, value] of a module's own fields, its registered buffers, and array elements by index. */
function fields(m: ModuleLike): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(m)) {
    if (k.startsWith('_')) continue;
    if (Array.isArray(v)) out.push([k, Object.fromEntries(v.map((x, i) => [String(i), x]))]);
    else out.push([k, v]);
  }
  if (m._buffers instanceof Map) for (const [k, v] of m._buffers) if (v instanceof Tensor) out.push([k, v]);
  return out;
}

/** Every submodule (and array container) with its dotted path, parents first. */
export function namedSubmodules(m: ModuleLike, prefix = ''): [string, ModuleLike][] {
  const out: [string, ModuleLike][] = [];
  for (const [k, v] of fields(m)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (isModuleLike(v) || isPlainObject(v)) {
      if (isModuleLike(v)) out.push([path, v]);
      out.push(...namedSubmodules(v as ModuleLike, path));
    }
  }
  return out;
}

/** The dotted path of every tensor the module holds. */
export function statePaths(m: ModuleLike, prefix: string[] = [], out = new Map<Tensor, string[]>()): Map<Tensor, string[]> {
  for (const [k, v] of fields(m)) {
    if (v instanceof Tensor) { if (!out.has(v)) out.set(v, [...prefix, k]); } else if (v !== null && typeof v === 'object') statePaths(v as ModuleLike, [...prefix, k], out);
  }
  return out;
}

/** A resolver for TracingState: module tensors become GetAttr chains from `self`, made once. */
export function moduleState(state: TracingState, m: ModuleLike, self: Value): (t: Tensor) => Value | null {
  const paths = statePaths(m);
  const made = new Map<string, Value>();
  const g = state.graph;
  return (t) => {
    const path = paths.get(t);
    if (!path) return null;
    let obj: any = m;
    let v = self;
    path.forEach((name, i) => {
      obj = obj instanceof Tensor ? obj : obj[name] ?? obj._buffers?.get(name);
      const key = path.slice(0, i + 1).join('.');
      let next = made.get(key);
      if (!next) {
        const n = g.createNode('prim::GetAttr', [v], 1).setAttr('name', { kind: 's', value: name });
        next = g.insertNode(n).output();
        next.setDebugName(name);
        next.setType(obj instanceof Tensor ? tensorTypeOf(obj) : classType(`__torch__.${moduleClassName(obj)}`));
        made.set(key, next);
      }
      v = next;
    });
    return v;
  };
}

/** Runs `fn` with each submodule's forward setting the graph's scope while it runs. */
export function withModuleScopes<T>(g: Graph, m: ModuleLike, fn: () => T): T {
  const subs = namedSubmodules(m);
  const saved = subs.map(([, s]) => Object.getOwnPropertyDescriptor(s, 'forward'));
  for (const [path, s] of subs) {
    const forward = s.forward;
    s.forward = function (this: ModuleLike, ...args: any[]) {
      const outer = g.currentScope;
      g.currentScope = `__module.${path}`;
      try {
        return forward.apply(this, args);
      } finally {
        g.currentScope = outer;
      }
    };
  }
  try {
    return fn();
  } finally {
    subs.forEach(([, s], i) => {
      const d = saved[i];
      if (d) Object.defineProperty(s, 'forward', d);
      else delete (s as { forward?: unknown }).forward;
    });
  }
}

// torch.jit.trace for JavaScript: runs a function (or a module's forward) once on example inputs,
// recording every op-table call; JS control flow is unrolled. Inputs and outputs may be nested
// arrays (tuples) and plain objects (Dict[str, Tensor]) of tensors, flattened as PyTorch does.
import { Tensor, tidy } from '../../sdk/tensor.js';
import type { Value } from '../ir.js';
import { StrT, TensorT, classType, dictType, tupleType, type JitType } from '../types.js';
import { makeScriptFunction, type ScriptFunction } from '../script-js/script-function.js';
import { paramNames } from '../script-js/parse.js';
import { describeValue, TracingError } from './errors.js';
import { isOptions as isPlainObject } from '../../sdk/args.js';
import { TracingState, tensorTypeOf } from './tracer.js';
import { isModuleLike, moduleClassName, moduleState, statePaths, withModuleScopes, type ModuleLike } from './module-state.js';

export interface TraceOptions {
  /** Run the optimization pipeline on the traced graph (default true). */
  optimize?: boolean;
}

/**
 * Traces `fnOrModule` called with `exampleInputs` (one argument, or an array of arguments as
 * PyTorch's tuple). Returns a ScriptFunction whose graph records the ops that ran.
 */
export function trace(fnOrModule: ((...args: any[]) => any) | ModuleLike, exampleInputs: unknown,
  opts: TraceOptions = {}): ScriptFunction {
  const args = Array.isArray(exampleInputs) ? exampleInputs : [exampleInputs];
  const module = isModuleLike(fnOrModule) ? fnOrModule : null;
  const fn = module ? module.forward : fnOrModule as (...a: any[]) => any;
  if (typeof fn !== 'function') throw new TracingError(`trace expects a function or a module with forward(), got ${describeValue(fnOrModule)}`);
  const state = new TracingState();
  const g = state.graph;
  const names = paramNames(fn);
  if (module) {
    const self = g.addInput('self', classType(`__torch__.${moduleClassName(module)}`));
    state.resolveState = moduleState(state, module, self);
  }
  args.forEach((a, i) => addInput(state, a, names[i] ?? `input_${i}`));
  const result = tidy(() => {
    const out = state.run(() => (module ? withModuleScopes(g, module, () => fn.apply(module, args)) : fn(...args)));
    registerOutput(state, out, out);
    return out;
  });
  disposeNew(result, [args, ...(module ? statePaths(module).keys() : [])]);
  return makeScriptFunction(module ? 'forward' : fn.name || 'traced', g, { self: module, optimize: opts.optimize });
}

function addInput(state: TracingState, a: unknown, name: string): void {
  const v = state.graph.addInput(name, inputType(a, name));
  unpack(state, a, v);
}

function inputType(a: unknown, where: string): JitType {
  if (a instanceof Tensor) return tensorTypeOf(a);
  if (Array.isArray(a)) return tupleType(a.map((x, i) => inputType(x, `${where}[${i}]`)));
  if (isPlainObject(a)) {
    for (const [k, x] of Object.entries(a)) if (!(x instanceof Tensor)) throw notTraceable(x, `${where}.${k}`);
    return dictType(StrT, TensorT);
  }
  throw notTraceable(a, where);
}

const notTraceable = (a: unknown, where: string) => new TracingError(
  `cannot trace input ${where}: ${describeValue(a)}. Only tensors and (possibly nested) arrays and objects of tensors can be traced`);

function unpack(state: TracingState, a: unknown, v: Value): void {
  const g = state.graph;
  if (a instanceof Tensor) state.bind(a, v);
  else if (Array.isArray(a)) {
    const n = g.insertNode(g.createNode('prim::TupleUnpack', [v], a.length));
    a.forEach((x, i) => {
      n.outputs[i].setType((v.type as { elems: JitType[] }).elems[i]);
      unpack(state, x, n.outputs[i]);
    });
  } else {
    for (const [k, x] of Object.entries(a as Record<string, Tensor>)) {
      const get = g.insertNode(g.createNode('aten::__getitem__', [v, g.insertConstant(k)], 1));
      get.output().setType(tensorTypeOf(x));
      state.bind(x, get.output());
    }
  }
}

function registerOutput(state: TracingState, out: unknown, whole: unknown): void {
  state.graph.registerOutput(outputValue(state, out, whole));
}

function outputValue(state: TracingState, out: unknown, whole: unknown): Value {
  const g = state.graph;
  if (out instanceof Tensor) return state.valueOf(out);
  if (Array.isArray(out) && out.length > 0) {
    const items = out.map((x) => outputValue(state, x, whole));
    const n = g.insertNode(g.createNode('prim::TupleConstruct', items, 1));
    return n.output().setType(tupleType(items.map((i) => i.type)));
  }
  if (isPlainObject(out) && Object.keys(out).length > 0) {
    const items = Object.entries(out).flatMap(([k, x]) => [g.insertConstant(k), outputValue(state, x, whole)]);
    const n = g.insertNode(g.createNode('prim::DictConstruct', items, 1));
    return n.output().setType(dictType(StrT, TensorT));
  }
  throw new TracingError(`traced function returned ${describeValue(out)}${out === whole ? '' : ` inside ${describeValue(whole)}`}: `
    + 'only tensors and (possibly nested) arrays and objects of tensors can be output from traced functions');
}

/** The eager run's results are not handed to the caller: free those that are not inputs or state. */
function disposeNew(v: unknown, inputs: unknown[]): void {
  const keep = new Set<Tensor>();
  (function collect(x: unknown) {
    if (x instanceof Tensor) keep.add(x);
    else if (Array.isArray(x)) x.forEach(collect);
    else if (isPlainObject(x)) Object.values(x).forEach(collect);
  })(inputs);
  (function free(x: unknown) {
    if (x instanceof Tensor) { if (!keep.has(x)) x.dispose(); } else if (Array.isArray(x)) x.forEach(free);
    else if (isPlainObject(x)) Object.values(x).forEach(free);
  })(v);
}

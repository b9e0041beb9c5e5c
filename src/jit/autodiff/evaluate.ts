// Runs a graph once on example inputs, keeping every Value's value (what the gradient rules are
// traced on), and specialises it to a straight line on the way (PyTorch profiles, then
// specialises, before differentiating): calls are inlined, a prim::If whose condition is
// "static" (computed from constants, non-tensor arguments, module attributes and tensor shapes,
// never from tensor data) is replaced by the branch taken, and a prim::Loop with a static trip
// count and condition is unrolled. Anything else (data-dependent control flow, exceptions) is
// reported as NotDifferentiableError.
import { Tensor } from '../../sdk/tensor.js';
import { SCALAR_TYPE } from '../../sdk/dtype.js';
import type { SType } from '../../ops/schema.js';
import type { OpRow } from '../../ops/table.js';
import type { Block, Graph, Node, Value } from '../ir.js';
import { RESOLVED_ROWS } from '../compile/resolved.js';
import type { CalleeResolver } from '../passes/inline-calls.js';
import { jsValue, rowOf } from '../passes/op-rows.js';
import { NotDifferentiableError } from './errors.js';

const isScalarType = (t: SType): boolean => (t.kind === 'Optional' ? isScalarType(t.elem) : t.kind === 'prim' && t.name === 'ScalarType');

/** Ops whose result depends on shapes, dtypes or None-ness only: static even of tensors. */
const SHAPE_QUERIES = new Set(['aten::size', 'aten::dim', 'aten::len', 'aten::numel', 'aten::__is__', 'aten::__isnot__', 'prim::dtype', 'prim::device', 'aten::is_floating_point']);
/** Nodes that pass their input through (type refinements). */
const IDENTITY = new Set(['prim::unchecked_cast', 'aten::_unwrap_optional', 'prim::unchecked_unwrap_optional']);

/** A node's arguments as its row's impl (and gradient rule) takes them: dtypes as strings. */
export function rowArgs(row: OpRow, n: Node, env: Map<Value, unknown>): unknown[] {
  return n.inputs.map((v, i) => {
    const x = env.get(v);
    return typeof x === 'number' && row.parsed.args[i] && isScalarType(row.parsed.args[i].type) ? SCALAR_TYPE[x] ?? x : x;
  });
}

/** The op row of `n`, or an error saying why the region cannot be differentiated there. */
export function opRow(n: Node): OpRow {
  const row = rowOf(n);
  if (!row) throw new NotDifferentiableError(`${n.kind} has no op-table row`);
  return row;
}

// Given: a node `at` and a block or callee graph whose inputs take `inputs`. Execute: clones the
// block's nodes before `at` (keeping resolved rows). Result: this graph's values for its outputs.
function inlineBefore(at: Node, body: Block, inputs: readonly Value[]): Value[] {
  const g = at.graph;
  const env = new Map<Value, Value>(body.inputs.map((v, i) => [v, inputs[i]]));
  const lookup = (v: Value) => env.get(v) ?? v;
  for (const n of body.nodes()) {
    const c = g.createClone(n, lookup, env).insertBefore(at);
    const row = RESOLVED_ROWS.get(n);
    if (row) RESOLVED_ROWS.set(c, row);
    n.outputs.forEach((o, i) => env.set(o, c.outputs[i]));
  }
  return body.outputs.map(lookup);
}

// Given: node `n` and the values replacing its outputs. Execute: rewires the uses, destroys n.
// Result: the node to continue the walk at (the first replacement node, or what followed n).
function replace(n: Node, outs: readonly Value[], prev: Node | null): Node | null {
  n.outputs.forEach((o, i) => o.replaceAllUsesWith(outs[i]));
  const block = n.owningBlock!;
  n.destroy();
  return prev ? prev.next() : block.nodes()[0] ?? null;
}

/**
 * Mutates `g` into a straight line while running it on `args` (graph inputs in order); returns
 * every Value's example value. Tensors made here are the caller's to free.
 */
export function evaluate(g: Graph, args: readonly unknown[], resolve: CalleeResolver): Map<Value, unknown> {
  const env = new Map<Value, unknown>();
  const fixed = new Set<Value>();
  g.inputs.forEach((v, i) => {
    env.set(v, args[i]);
    if (!(args[i] instanceof Tensor)) fixed.add(v);
  });
  /** Iterations unrolled so far; the loop's own inputs hold its state (cond, carried), so that
   *  replacing an If among the unrolled nodes (replaceAllUsesWith) updates that state too. */
  const loops = new Map<Node, number>();
  let n: Node | null = g.nodes()[0] ?? null;
  while (n) {
    const prev = n.prev();
    switch (n.kind) {
      case 'prim::CallMethod': case 'prim::CallFunction': {
        const callee = resolve(n) ?? methodOf(env.get(n.inputs[0]), n);
        if (!callee) throw new NotDifferentiableError(`${n.kind} ${n.getAttr('name', 's')}: callee unknown`);
        // A CallFunction may carry the function value as its first input (PyTorch's form).
        const ins = n.inputs.length > callee.inputs.length ? n.inputs.slice(1) : n.inputs;
        n = replace(n, inlineBefore(n, callee.copy().block, ins), prev);
        continue;
      }
      case 'prim::If': {
        const cond = n.input();
        if (!fixed.has(cond)) throw new NotDifferentiableError('prim::If on tensor data (data-dependent control flow)');
        n = replace(n, inlineBefore(n, n.blocks[env.get(cond) ? 0 : 1], []), prev);
        continue;
      }
      case 'prim::Loop': {
        // Unrolled one iteration at a time: the iteration's nodes go before the loop and are
        // walked next; the walk then meets the loop again and decides on the next one.
        const st = { i: loops.get(n) ?? 0, cond: n.inputs[1], carried: n.inputs.slice(2) };
        if (!fixed.has(n.inputs[0]) || !fixed.has(st.cond)) throw new NotDifferentiableError('prim::Loop on tensor data (data-dependent control flow)');
        if (st.i >= Number(env.get(n.inputs[0])) || !env.get(st.cond)) {
          n = replace(n, st.carried, prev);
          continue;
        }
        const loop = n;
        const i = g.withInsertPoint(loop, () => g.insertConstant(st.i));
        const outs = inlineBefore(loop, loop.blocks[0], [i, ...st.carried]);
        outs.forEach((v, k) => loop.replaceInput(k + 1, v));
        loops.set(loop, st.i + 1);
        n = prev ? prev.next() : g.nodes()[0];
        continue;
      }
      default:
        if (IDENTITY.has(n.kind)) {
          n = replace(n, [n.input()], prev);
          continue;
        }
        if (n.blocks.length) throw new NotDifferentiableError(`${n.kind} (control flow) is not specialised${n.sourceRange ? ` (at ${n.sourceRange.file}:${n.sourceRange.line})` : ''}`);
        run(n, env);
        // Appending data to a list makes the list data.
        if (rowOf(n)?.parsed.mutates && n.inputs.some((v) => !fixed.has(v))) fixed.delete(n.inputs[0]);
        if (SHAPE_QUERIES.has(n.kind) || (n.inputs.every((v) => fixed.has(v)) && n.outputs.every((o) => !(env.get(o) instanceof Tensor))))
          n.outputs.forEach((o) => !(env.get(o) instanceof Tensor) && fixed.add(o));
    }
    n = n.next();
  }
  return env;
}

/** A method's graph found from the receiver's run-time value (a ScriptObject's class). */
function methodOf(receiver: unknown, n: Node): Graph | null {
  if (n.kind !== 'prim::CallMethod') return null;
  const cls = (receiver as { cls?: { method?(name: string): { graph: Graph } | undefined } } | null)?.cls;
  return cls?.method?.(n.getAttr('name', 's'))?.graph ?? null;
}

/** Computes one straight-line node's outputs into `env`. */
function run(n: Node, env: Map<Value, unknown>): void {
  const ins = n.inputs.map((v) => env.get(v));
  switch (n.kind) {
    case 'prim::Constant': {
      const c = jsValue(n.output());
      return void env.set(n.output(), c === undefined ? null : c);
    }
    case 'prim::GetAttr':
      return void env.set(n.output(), (ins[0] as { getattr(name: string): unknown }).getattr(n.getAttr('name', 's')));
    case 'prim::ListConstruct': case 'prim::TupleConstruct':
      return void env.set(n.output(), ins);
    case 'prim::ListUnpack': case 'prim::TupleUnpack':
      return n.outputs.forEach((o, i) => env.set(o, (ins[0] as unknown[])[i]));
    case 'prim::TupleIndex':
      return void env.set(n.output(), (ins[0] as unknown[])[Number(ins[1])]);
    case 'prim::Uninitialized':
      return void env.set(n.output(), null);
  }
  if (n.kind.startsWith('prim::')) throw new NotDifferentiableError(`${n.kind} is not supported in a differentiable region`);
  const row = opRow(n);
  // Lists may be built by appending; tensors written in place would break the saved values.
  if (row.parsed.mutates && !Array.isArray(env.get(n.inputs[0]))) throw new NotDifferentiableError(`${n.kind} writes its input in place`);
  const out = row.impl(...rowArgs(row, n, env));
  const outs = n.outputs.length === 1 ? [out] : (out as unknown[]);
  n.outputs.forEach((o, i) => env.set(o, outs[i]));
}

/** The tensors of a value (itself, or the elements of a list). */
export const tensorsIn = (x: unknown): Tensor[] => (x instanceof Tensor ? [x] : Array.isArray(x) ? x.filter((y): y is Tensor => y instanceof Tensor) : []);

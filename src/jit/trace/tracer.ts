// The recording half of torch.jit.trace: an OpTracer installed in the op dispatcher (the one hook,
// src/ops/dispatch.ts) that turns each outermost op-table call into an IR node. Non-tensor
// arguments become constants, lists of tensors prim::ListConstruct, tensors the tracer has not
// seen (captured from outside) tensor constants; outputs carry the example's dtype and sizes.
import { setTracer, currentTracer, type OpTracer } from '../../ops/dispatch.js';
import type { OpRow } from '../../ops/table.js';
import type { SType } from '../../ops/schema.js';
import { keep, Tensor } from '../../sdk/tensor.js';
import { contiguous } from '../../ops/exec.js';
import { RESOLVED_ROWS, constTensorOf } from '../compile/resolved.js';
import { SCALAR_TYPE_OF, isDType } from '../../sdk/dtype.js';
import { Graph, type ConstTensor, type Node, type Value } from '../ir.js';
import { BoolT, FloatT, IntT, NoneT, StrT, TensorT, listType, type JitType, type TensorType } from '../types.js';
import { TRACER_WARNING } from './errors.js';
import { userFrame } from './source-location.js';

/** The graph type of a concrete tensor, as PyTorch's tracer prints it. */
export function tensorTypeOf(t: Tensor): TensorType {
  return { kind: 'Tensor', dtype: t.dtype, sizes: [...t.shape], strides: [...t.strides], requiresGrad: t.requiresGrad, device: 'cpu' };
}

const original = {
  item: Tensor.prototype.item,
  toArray: Tensor.prototype.toArray,
  dataSync: Tensor.prototype.dataSync,
};

/** A prim::Constant's description of a snapshot of `t` (a copy the graph keeps alive). */
export function constTensor(t: Tensor): ConstTensor {
  return constTensorOf(keep(contiguous(t, true)));
}

export class TracingState implements OpTracer {
  readonly graph = new Graph();
  private values = new Map<Tensor, Value>();
  private warnedSites = new Set<string>();
  /** Resolves tensors that are module state (parameters, buffers) to prim::GetAttr chains. */
  resolveState: (t: Tensor) => Value | null = () => null;

  /** Maps `t` to `v` (graph inputs, unpacked elements). */
  bind(t: Tensor, v: Value): void {
    if (!this.values.has(t)) this.values.set(t, v);
  }

  valueOf(t: Tensor): Value {
    const known = this.values.get(t) ?? this.resolveState(t);
    if (known) {
      this.values.set(t, known);
      return known;
    }
    const c = this.graph.insertConstant(constTensor(t));
    c.setType(tensorTypeOf(t));
    return c;
  }

  record(row: OpRow, args: readonly any[], result: any): void {
    const schema = row.parsed;
    const outs = schema.returns.length === 1 ? [result] : Array.isArray(result) ? result : [result];
    // Ops that answer JS numbers (size, dim) leave the data flow: nothing to record.
    if (!outs.some((o) => o instanceof Tensor || (Array.isArray(o) && o.some((x) => x instanceof Tensor)))) return;
    const loc = userFrame();
    const inputs = schema.args.map((p, i) => this.argValue(args[i], p.type));
    const n = this.graph.createNode(schema.name, inputs, outs.length);
    if (loc) n.sourceRange = { ...loc, col: 0 };
    this.graph.insertNode(n);
    RESOLVED_ROWS.set(n, row);
    outs.forEach((o, i) => this.bindOutput(n, n.outputs[i], o));
  }

  private bindOutput(n: Node, v: Value, o: any): void {
    if (o instanceof Tensor) {
      v.setType(tensorTypeOf(o));
      this.values.set(o, v);
    } else if (Array.isArray(o) && o.every((x) => x instanceof Tensor)) {
      v.setType(listType(TensorT));
      const unpack = this.graph.insertNode(this.graph.createNode('prim::ListUnpack', [v], o.length));
      unpack.sourceRange = n.sourceRange;
      o.forEach((t: Tensor, i: number) => this.bindOutput(unpack, unpack.outputs[i], t));
    } else {
      v.setType(typeof o === 'boolean' ? BoolT : typeof o === 'number' ? (Number.isInteger(o) ? IntT : FloatT) : TensorT);
    }
  }

  private argValue(v: any, type: SType): Value {
    if (type.kind === 'Optional') return v === null || v === undefined ? this.graph.insertConstant(null) : this.argValue(v, type.elem);
    if (v instanceof Tensor) return this.valueOf(v);
    if (Array.isArray(v)) {
      const elem: SType = type.kind === 'List' ? type.elem : { kind: 'prim', name: 'Any' };
      const items = v.map((x) => this.argValue(x, elem));
      const lc = this.graph.createNode('prim::ListConstruct', items, 1);
      lc.output().setType(listType(items[0]?.type.kind === 'Tensor' ? TensorT : items[0]?.type ?? scalarType(elem)));
      return this.graph.insertNode(lc).output();
    }
    return this.scalarConstant(v, type);
  }

  private scalarConstant(v: any, type: SType): Value {
    if (v === null || v === undefined) return this.graph.insertConstant(null);
    const name = type.kind === 'prim' ? type.name : '';
    if (name === 'ScalarType' && isDType(v)) return this.graph.insertConstant(SCALAR_TYPE_OF[v], { type: IntT });
    if (typeof v === 'number') return this.graph.insertConstant(v, { type: name === 'float' ? FloatT : Number.isInteger(v) ? IntT : FloatT });
    if (typeof v === 'boolean' || typeof v === 'string' || typeof v === 'bigint') return this.graph.insertConstant(v);
    return this.graph.insertConstant(String(v), { type: StrT }); // devices, layouts: their names
  }

  /** Prints PyTorch's TracerWarning once per call site of a value read. */
  warnValueRead(): void {
    if (currentTracer() !== this) return; // reads inside an op's implementation are its own business
    const loc = userFrame();
    const site = loc ? `${loc.file}:${loc.line}:${loc.col}` : '?';
    if (this.warnedSites.has(site)) return;
    this.warnedSites.add(site);
    console.warn(`${site}: ${TRACER_WARNING}`);
  }

  /**
   * Runs `fn` with this tracer installed and tensor reads (item, toArray, dataSync, coercion to a
   * JS number as in `if (x.sum() > 0)`) reporting TracerWarnings; restores everything after.
   */
  run<T>(fn: () => T): T {
    const proto = Tensor.prototype as any;
    const state = this;
    const wrap = (f: (...a: any[]) => any) => function (this: Tensor, ...a: any[]) {
      state.warnValueRead();
      return f.apply(this, a);
    };
    proto.item = wrap(original.item);
    proto.toArray = wrap(original.toArray);
    proto.dataSync = wrap(original.dataSync);
    proto[Symbol.toPrimitive] = function (this: Tensor, hint: string) {
      if (hint === 'string') return this.toString();
      state.warnValueRead();
      return this.numel === 1 ? original.item.call(this) : NaN;
    };
    const prev = setTracer(this);
    try {
      return fn();
    } finally {
      setTracer(prev);
      proto.item = original.item;
      proto.toArray = original.toArray;
      proto.dataSync = original.dataSync;
      delete proto[Symbol.toPrimitive];
    }
  }
}

function scalarType(t: SType): JitType {
  if (t.kind !== 'prim') return NoneT;
  return t.name === 'float' ? FloatT : t.name === 'bool' ? BoolT : t.name === 'str' ? StrT : IntT;
}

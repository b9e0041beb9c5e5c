// Convolution epilogue fusion for inference, mutating the graph in place, in three steps:
//   freezeModule: a method's graph with its module tree bound: calls to submodules are inlined and
//     attribute reads become constants (PyTorch's torch.jit.freeze), so that foldConvBatchNorm
//     sees the weights and the conv chains of Sequential containers sit in one block; then
//     foldConstantLists makes lists of constants (a conv's stride, padding...) constants too, so
//     the interpreter does not rebuild them on every run;
//   fuseConvEpilogue: `act(conv(reflect_pad(x), W, b) [+ residual])` chains (each part optional
//     but the conv) become one torchwick::conv2d_act node (src/ops/conv-fast.ts), whose kernel
//     pads by reflection while making its padded copy, and adds the residual and clamps while
//     storing (relu is clamp(0, inf), relu6 / hardtanh(0, 6) clamp(0, 6)), instead of up to four
//     passes over the data;
//   then chains of three conv2d_act nodes that form MobileNetV2's inverted residual (expand 1x1 ->
//     depthwise 3x3 -> project 1x1 [+ the block's input]) become one torchwick::inverted_residual
//     node, computed per tile of rows so the expanded tensor stays in cache;
//   fuseNormActivation: `act(instance_norm(x, w, b))` with the input's statistics becomes one
//     torchwick::instance_norm_act node (TransformerNet's conv -> instance norm -> relu).
// A chain is fused only where each intermediate has no other use, so no value anyone reads changes.
// The rows live in src/ops/inference-fused.ts.
import { Tensor } from '../../sdk/tensor.js';
import { constTensorOf } from '../compile/resolved.js';
import { allNodes, constantValue, type Block, type Graph, type Node, type Value } from '../ir.js';
import { FloatT } from '../types.js';
import { jsValue } from './op-rows.js';
import type { ScriptObject } from '../module.js';

// Duck-typed: module.ts imports the pipeline, which imports this file.
const isObject = (x: unknown): x is ScriptObject => typeof x === 'object' && x !== null && (x as ScriptObject).attrs instanceof Map && !!(x as ScriptObject).cls;

const CONV_ACT = 'torchwick::conv2d_act';
const NORM_ACT = 'torchwick::instance_norm_act';
const INVERTED_RESIDUAL = 'torchwick::inverted_residual';

/** An attribute read the frozen graph depends on: it holds while `obj.attrs.get(name)` is `value`, unwritten. */
export interface FrozenRead { obj: ScriptObject; name: string; value: unknown; version: number }

const versionOf = (x: unknown): number => (x instanceof Tensor ? x.storage.version : 0);

/** Whether every read still sees the value (and tensor data version) it was frozen with. */
export function readsHold(reads: readonly FrozenRead[]): boolean {
  for (const r of reads) if (r.obj.attrs.get(r.name) !== r.value || versionOf(r.value) !== r.version) return false;
  return true;
}

/**
 * Mutates `g`, a method graph whose input 0 is `self`: inlines every prim::CallMethod on a known
 * submodule and replaces reads of tensor and scalar attributes by constants. Returns the reads it
 * froze, or null (graph left partly rewritten: use a copy) when the graph writes an attribute or
 * a module it reaches is in training mode.
 */
export function freezeModule(g: Graph, self: ScriptObject): FrozenRead[] | null {
  const objects = new Map<Value, ScriptObject>();
  const reads: FrozenRead[] = [];
  // Each module's training flag is a read too: train() must bring the unfrozen graph back.
  const known = (v: Value, obj: ScriptObject) => {
    if (objects.has(v)) return;
    objects.set(v, obj);
    if (obj.attrs.has('training')) reads.push({ obj, name: 'training', value: obj.attrs.get('training'), version: 0 });
  };
  known(g.inputs[0], self);
  // Walks a block until no call is left to inline; false when the graph cannot be frozen.
  const visit = (b: Block): boolean => {
    for (let inlined = true; inlined; ) {
      inlined = false;
      for (const n of b.nodes()) {
        const r = freezeNode(n);
        if (r === false) return false;
        // The inlined nodes now sit where the call was: walk the block again to reach them.
        if (r === 'inlined') {
          inlined = true;
          break;
        }
      }
    }
    return true;
  };
  const freezeNode = (n: Node): boolean | 'inlined' => {
    if (n.kind === 'prim::SetAttr') return false;
    if (!n.blocks.every(visit)) return false;
    const obj = n.inputs.length ? objects.get(n.inputs[0]) : undefined;
    if (!obj) return true;
    if (obj.attrs.get('training') === true) return false;
    if (n.kind === 'prim::CallMethod') {
      const callee = obj.cls.method(n.getAttr('name', 's'))?.graph;
      if (!callee) return true;
      const outs = g.inlineGraph(callee.copy(), n.inputs, n);
      n.outputs.forEach((o, i) => o.replaceAllUsesWith(outs[i]));
      n.destroy();
      return 'inlined';
    }
    if (n.kind !== 'prim::GetAttr') return true;
    const name = n.getAttr('name', 's');
    if (!obj.attrs.has(name)) return true;
    const value = obj.attrs.get(name);
    if (isObject(value)) {
      known(n.output(), value);
      return true;
    }
    const c = constantFor(g, n, value);
    if (!c) return true;
    reads.push({ obj, name, value, version: versionOf(value) });
    n.output().replaceAllUsesWith(c);
    n.destroy();
    return true;
  };
  return visit(g.block) ? reads : null;
}

/** Mutates `g`: each prim::ListConstruct of int, float or bool constants becomes one constant list. */
export function foldConstantLists(g: Graph): number {
  let folded = 0;
  for (const n of allNodes(g.block)) {
    if (n.kind !== 'prim::ListConstruct' || n.output().type.kind !== 'List') continue;
    const xs = n.inputs.map(constantValue);
    if (!xs.length || !xs.every((x) => typeof x === 'number' || typeof x === 'bigint' || typeof x === 'boolean')) continue;
    const c = g.withInsertPoint(n, () => g.insertConstant(xs as number[], { type: n.output().type }));
    n.output().replaceAllUsesWith(c);
    n.destroy();
    folded++;
  }
  return folded;
}

function constantFor(g: Graph, at: Node, value: unknown): Value | null {
  return g.withInsertPoint(at, () => {
    if (value instanceof Tensor) return g.insertConstant(constTensorOf(value), { type: { kind: 'Tensor', dtype: value.dtype, sizes: [...value.shape] } });
    if (typeof value === 'boolean' || typeof value === 'string' || value === null) return g.insertConstant(value);
    if (typeof value === 'number') return g.insertConstant(value, { type: at.output().type });
    return null;
  });
}

/** The only user of `v`, if `v` has exactly one use. */
function soleUser(v: Value): Node | null {
  return v.uses.length === 1 ? v.uses[0].user : null;
}

const num = (v: Value): number | undefined => {
  const c = constantValue(v);
  return typeof c === 'number' ? c : typeof c === 'bigint' ? Number(c) : undefined;
};

/** [lo, hi] of a clamping activation node applied to its input 0, or null. */
function activationRange(n: Node): [number, number] | null {
  switch (n.kind) {
    case 'aten::relu': case 'aten::relu_': return [0, Infinity];
    case 'aten::relu6': case 'aten::relu6_': return [0, 6];
    case 'aten::hardtanh': case 'aten::hardtanh_': {
      const [lo, hi] = [num(n.inputs[1]), num(n.inputs[2])];
      return lo === undefined || hi === undefined ? null : [lo, hi];
    }
    default: return null;
  }
}

/** The other operand of `add(v, other)` / `add(other, v)` with alpha 1, both tensors. */
function residualOf(add: Node, v: Value): Value | null {
  if (add.kind !== 'aten::add' || add.inputs.length !== 3 || num(add.inputs[2]) !== 1) return null;
  const [a, b] = add.inputs;
  if (a.type.kind !== 'Tensor' || b.type.kind !== 'Tensor' || a === b) return null;
  return a === v ? b : b === v ? a : null;
}

/** conv's (input, weight, bias, stride, padding, dilation, groups), or null for other convolutions. */
function convArgs(n: Node): Value[] | null {
  const ins = n.inputs;
  if (n.kind === 'aten::conv2d' && ins.length === 7 && ins[4].type.kind === 'List') return ins.slice();
  if ((n.kind === 'aten::_convolution' || n.kind === 'aten::convolution') && ins.length >= 9 && constantValue(ins[6]) === false) {
    return [ins[0], ins[1], ins[2], ins[3], ins[4], ins[5], ins[8]];
  }
  return null;
}

/**
 * The padding of `F.pad(x, [p, p, q, q], 'reflect')` when it is the conv input's only use and the
 * conv pads nothing itself: [q, p] for the conv's padding; else null.
 */
function reflectPadding(pad: Node, convPadding: Value): number[] | null {
  if (pad.kind !== 'aten::pad' || pad.inputs.length < 3 || constantValue(pad.inputs[2]) !== 'reflect' || pad.output().uses.length !== 1) return null;
  const p = jsValue(pad.inputs[1]), own = jsValue(convPadding);
  if (!Array.isArray(p) || p.length !== 4 || p[0] !== p[1] || p[2] !== p[3] || !Array.isArray(own) || own.some((v) => v !== 0)) return null;
  return [p[2], p[0]];
}

/**
 * Mutates `g`: rewrites `[reflect pad] -> conv -> [add residual] -> [relu | relu6 | hardtanh]`
 * chains with at least one of the optional parts into torchwick::conv2d_act nodes. `allow()` is asked once per rewrite
 * (JIT_OPT_LIMIT). Returns how many chains were fused.
 */
export function fuseConvEpilogue(g: Graph, allow: () => boolean = () => true): number {
  let fused = 0;
  const visit = (b: Block): void => {
    for (const conv of b.nodes()) {
      conv.blocks.forEach(visit);
      const args = convArgs(conv);
      if (!args) continue;
      const pad = args[0].node(), padding = reflectPadding(pad, args[4]);
      const chain: Node[] = padding ? [pad, conv] : [conv];
      let out = conv.output(), residual: Value | null = null, range: [number, number] = [-Infinity, Infinity];
      const add = soleUser(out);
      if (add && add.owningBlock === b && (residual = residualOf(add, out))) {
        chain.push(add);
        out = add.output();
      } else residual = null;
      const act = soleUser(out);
      const r = act && act.owningBlock === b && act.inputs[0] === out ? activationRange(act) : null;
      if (act && r) {
        chain.push(act);
        range = r;
      }
      if (chain.length === 1 || !allow()) continue;
      replaceChain(g, chain, CONV_ACT, (none) => {
        const [x, pads] = padding ? [pad.inputs[0], g.insertConstant(padding, { type: args[4].type })] : [args[0], args[4]];
        return [x, args[1], args[2], args[3], pads, args[5], args[6], g.insertConstant(padding ? 'reflect' : 'zeros'), residual ?? none()];
      }, range);
      fused++;
    }
  };
  visit(g.block);
  return fused + fuseInvertedResidual(g, allow);
}

// Whether an int[] argument (one value for both dims, or two) is `want`.
const same = (c: unknown, want: number[]): boolean => {
  return Array.isArray(c) && c.length >= 1 && c.length <= 2 && c.every((x, i) => x === want[i] || (c.length === 1 && x === want[0]));
};
interface ConvParts { ins: Value[]; stride: number[]; padding: number[]; residual: Value | null; range: (Value | number)[] }
// A conv2d_act node, or a plain conv (the block's project conv has nothing to fuse), that pads
// zeros with dilation 1: its [x, w, b, stride, padding, dilation, groups], residual and clamp; else null.
function convParts(n: Node | null, b: Block): ConvParts | null {
  if (!n || n.owningBlock !== b) return null;
  const fused = n.kind === CONV_ACT, ins = fused ? n.inputs.slice(0, 7) : convArgs(n);
  if (!ins || (fused && constantValue(n.inputs[7]) !== 'zeros') || !same(jsValue(ins[5]), [1, 1])) return null;
  const stride = jsValue(ins[3]), padding = jsValue(ins[4]);
  if (!Array.isArray(stride) || !Array.isArray(padding) || (fused && (num(n.inputs[9]) === undefined || num(n.inputs[10]) === undefined))) return null;
  const residual = fused && n.inputs[8].type.kind !== 'NoneType' ? n.inputs[8] : null;
  return { ins, stride, padding, residual, range: fused ? [n.inputs[9], n.inputs[10]] : [-Infinity, Infinity] };
}

/**
 * Mutates `g`: [expand (1x1, stride 1, no padding, groups 1; or 3x3, stride 2, padding 1: the
 * stem) ->] depthwise (3x3, padding 1, stride s in both dims) -> project (1x1, residual none or
 * the block's input) chains of conv2d_act nodes (the project may be a plain conv), each
 * intermediate used only by the next, become torchwick::inverted_residual (MobileNetV2's first
 * block takes the stem as its expand).
 */
function fuseInvertedResidual(g: Graph, allow: () => boolean): number {
  let fused = 0;
  const pointwise = (c: ConvParts) => same(c.stride, [1, 1]) && same(c.padding, [0, 0]) && num(c.ins[6]) === 1;
  // A conv's weight shape, where the weight is a frozen constant.
  const weightSizes = (c: ConvParts) => (c.ins[1].type.kind === 'Tensor' ? c.ins[1].type.sizes : undefined);
  // MobileNetV2's stem: a dense 3x3 convolution, stride 2, padding 1.
  const stem = (c: ConvParts) => {
    const ws = weightSizes(c);
    return same(c.stride, [2, 2]) && same(c.padding, [1, 1]) && num(c.ins[6]) === 1 && !!ws && ws.length === 4 && ws[2] === 3 && ws[3] === 3;
  };
  const visit = (b: Block): void => {
    for (const project of b.nodes()) {
      project.blocks.forEach(visit);
      const p = convParts(project, b);
      if (!p || !pointwise(p)) continue;
      const dw = p.ins[0].node(), d = dw.kind === CONV_ACT ? convParts(dw, b) : null;
      if (!d || d.residual || soleUser(dw.output()) !== project || !same(d.padding, [1, 1]) || (d.stride[0] !== 1 && d.stride[0] !== 2)) continue;
      if (!same(d.stride, [d.stride[0], d.stride[0]])) continue;
      // Depthwise: one input channel per group.
      const wd = weightSizes(d);
      if (!wd || wd.length !== 4 || wd[1] !== 1 || num(d.ins[6]) !== wd[0]) continue;
      const expand = d.ins[0].node(), c = expand.kind === CONV_ACT ? convParts(expand, b) : null;
      const e = c && !c.residual && soleUser(expand.output()) === dw && (pointwise(c) || stem(c)) ? c : null;
      const x = e ? e.ins[0] : d.ins[0];
      if ((p.residual && p.residual !== x) || !allow()) continue;
      g.withInsertPoint(project, () => {
        const f = (v: Value | number) => (typeof v === 'number' ? g.insertConstant(v, { type: FloatT }) : v);
        const none = () => g.insertConstant(null);
        const ins = [x, ...(e ? [e.ins[1], e.ins[2], g.insertConstant(e.stride[0]), ...e.range.map(f)] : [none(), none(), g.insertConstant(1), f(-Infinity), f(Infinity)]),
          d.ins[1], d.ins[2], g.insertConstant(d.stride[0]), ...d.range.map(f), p.ins[1], p.ins[2], ...p.range.map(f), g.insertConstant(!!p.residual)];
        const n = g.insertNode(g.createNode(INVERTED_RESIDUAL, ins, 1));
        n.sourceRange = project.sourceRange;
        n.scopeName = project.scopeName;
        n.output().setType(project.output().type);
        project.output().replaceAllUsesWith(n.output());
      });
      for (const m of e ? [project, dw, expand] : [project, dw]) m.destroy();
      fused++;
    }
  };
  visit(g.block);
  return fused;
}

// Given: a chain of nodes, each the sole user of the one before, in one block. Execute: inserts a
// `kind` node taking `inputs` then lo, hi at the last node's place, points the last output's uses
// at it and destroys the chain. Result: the block computes the same value in one node.
function replaceChain(g: Graph, chain: Node[], kind: string, inputs: (none: () => Value) => Value[], range: [number, number]): void {
  const last = chain[chain.length - 1];
  g.withInsertPoint(last, () => {
    const ins = inputs(() => g.insertConstant(null));
    const [lo, hi] = range.map((x) => g.insertConstant(x, { type: FloatT }));
    const n = g.insertNode(g.createNode(kind, [...ins, lo, hi], 1));
    n.sourceRange = last.sourceRange;
    n.scopeName = last.scopeName;
    n.output().setType(last.output().type);
    last.output().replaceAllUsesWith(n.output());
  });
  for (const m of [...chain].reverse()) m.destroy();
}

/**
 * Mutates `g`: rewrites `instance_norm(x, w, b, None, None, use_input_stats=True, _, eps, _)`
 * followed by its only user relu / relu6 / hardtanh into torchwick::instance_norm_act. Returns
 * how many were fused.
 */
export function fuseNormActivation(g: Graph, allow: () => boolean = () => true): number {
  let fused = 0;
  const visit = (b: Block): void => {
    for (const norm of b.nodes()) {
      norm.blocks.forEach(visit);
      const ins = norm.inputs;
      if (norm.kind !== 'aten::instance_norm' || ins.length !== 9 || constantValue(ins[5]) !== true) continue;
      if (ins[3].type.kind !== 'NoneType' || ins[4].type.kind !== 'NoneType' || num(ins[7]) === undefined) continue;
      const act = soleUser(norm.output());
      const range = act && act.owningBlock === b && act.inputs[0] === norm.output() ? activationRange(act) : null;
      if (!act || !range || !allow()) continue;
      replaceChain(g, [norm, act], NORM_ACT, () => [ins[0], ins[1], ins[2], ins[7]], range);
      fused++;
    }
  };
  visit(g.block);
  return fused;
}

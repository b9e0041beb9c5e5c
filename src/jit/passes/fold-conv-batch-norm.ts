// Conv + BatchNorm folding for inference (PyTorch passes/fold_conv_bn.cpp), mutating the graph in
// place: `batch_norm(conv(x, W, b), gamma, beta, mean, var, training=False, _, eps)` becomes
// `conv(x, W', b')` with W' = W * s and b' = (b - mean) * s + beta per output channel, where
// s = gamma / sqrt(var + eps). The conv's weight and the norm's statistics must be known tensors:
// constants, or values `tensorOf` can read (e.g. a module's parameters behind prim::GetAttr).
import type { Graph, Value } from '../ir.js';
import { Tensor } from '../../sdk/tensor.js';
import { fromValues, values } from '../../ops/exec.js';
import { constTensorOf } from '../compile/resolved.js';
import { allNodes, constantValue } from '../ir.js';
import { jsValue } from './op-rows.js';

const CONVS = new Set(['aten::conv1d', 'aten::conv2d', 'aten::conv3d', 'aten::_convolution', 'aten::convolution']);

/** Mutates `g`; returns how many pairs were folded. */
export function foldConvBatchNorm(g: Graph, tensorOf: (v: Value) => Tensor | null = defaultTensorOf): number {
  let folded = 0;
  for (const bn of allNodes(g.block)) {
    if (bn.kind !== 'aten::batch_norm' || !bn.inBlockList()) continue;
    const conv = bn.input().node();
    if (!CONVS.has(conv.kind) || conv.output().uses.length !== 1 || constantValue(bn.inputs[5]) !== false) continue;
    const eps = Number(constantValue(bn.inputs[7]));
    const [W, b] = [tensorOf(conv.inputs[1]), conv.inputs[2].type.kind === 'NoneType' ? null : tensorOf(conv.inputs[2])];
    const [gamma, beta, mean, vari] = [1, 2, 3, 4].map((i) => (bn.inputs[i].type.kind === 'NoneType' ? null : tensorOf(bn.inputs[i])));
    if (!W || !mean || !vari || Number.isNaN(eps) || (conv.inputs[2].type.kind !== 'NoneType' && !b)) continue;
    if ((bn.inputs[1].type.kind !== 'NoneType' && !gamma) || (bn.inputs[2].type.kind !== 'NoneType' && !beta)) continue;
    const [newW, newB] = foldedParams(W, b, gamma, beta, mean, vari, eps);
    g.withInsertPoint(conv, () => {
      conv.replaceInput(1, constant(g, newW));
      conv.replaceInput(2, constant(g, newB));
    });
    bn.output().replaceAllUsesWith(conv.output());
    bn.destroy();
    folded++;
  }
  return folded;
}

/** The folded weight and bias: W' = W * s, b' = (b - mean) * s + beta, s = gamma / sqrt(var + eps). */
export function foldedParams(W: Tensor, b: Tensor | null, gamma: Tensor | null, beta: Tensor | null, mean: Tensor, vari: Tensor, eps: number): [Tensor, Tensor] {
  const out = W.shape[0];
  const per = W.numel / out;
  const [w, m, v] = [values(W), values(mean), values(vari)];
  const gm = gamma ? values(gamma) : new Array(out).fill(1);
  const bt = beta ? values(beta) : new Array(out).fill(0);
  const bias = b ? values(b) : new Array(out).fill(0);
  const s = m.map((_, c) => gm[c] / Math.sqrt(v[c] + eps));
  for (let c = 0; c < out; c++) for (let k = 0; k < per; k++) w[c * per + k] *= s[c];
  return [fromValues(W.shape, W.dtype, w), fromValues([out], W.dtype, bias.map((x, c) => (x - m[c]) * s[c] + bt[c]))];
}

function constant(g: Graph, t: Tensor): Value {
  return g.insertConstant(constTensorOf(t), { type: { kind: 'Tensor', dtype: t.dtype, sizes: [...t.shape] } });
}

function defaultTensorOf(v: Value): Tensor | null {
  const x = jsValue(v);
  return x instanceof Tensor ? x : null;
}



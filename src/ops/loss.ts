// Loss rows. `reduction` is at::Reduction: 0 none, 1 mean, 2 sum. Pointwise losses broadcast
// (exec.mapN) and then reduce; the class losses (nll, cross entropy) work on [N, C, S] log
// probabilities in float64: the reference path, small next to the networks that feed them.
import { Tensor } from '../sdk/tensor.js';
import { isFloating, isIntegral, promoteTypes, type DType } from '../sdk/dtype.js';
import { DTypeError, OpError, ShapeError } from '../sdk/errors.js';
import { fromValues, mapN, numelOf, values } from './exec.js';
import type { OpDef } from './table.js';
import { gradBceWithLogits, gradBinaryCrossEntropy, gradCrossEntropy, gradHuberLoss, gradKlDiv, gradL1Loss, gradMseLoss, gradNllLoss, gradSmoothL1Loss } from './loss-grads.js';

export const REDUCTION = { none: 0, mean: 1, sum: 2 } as const;

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Reduces elementwise losses `v` (of `shape`) as `reduction` asks; mean divides by `count`. */
function reduce(op: string, v: ArrayLike<number>, shape: readonly number[], dtype: DType, reduction: number, count: number = v.length): Tensor {
  if (reduction === REDUCTION.none) return fromValues(shape, dtype, v);
  if (reduction !== REDUCTION.mean && reduction !== REDUCTION.sum) throw new OpError(op, `${reduction} is not a valid value for reduction`);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return fromValues([], dtype, [reduction === REDUCTION.sum ? s : s / count]);
}

function lossDtype(op: string, ...ts: Tensor[]): DType {
  const dt = ts.map((t) => t.dtype).reduce(promoteTypes);
  if (!isFloating(dt)) throw new DTypeError(op, `expected floating point inputs, but got ${dt}`);
  return dt;
}

/** An elementwise loss over broadcast operands (null operands are left out), then reduced. */
function pointwise(op: string, operands: (Tensor | null)[], reduction: number, fn: (...v: number[]) => number): Tensor {
  const ts = operands.filter((t): t is Tensor => t !== null);
  const dtype = lossDtype(op, ...ts);
  const loss = mapN(op, ts, dtype, fn);
  if (reduction === REDUCTION.none) return loss;
  const out = reduce(op, values(loss), loss.shape, dtype, reduction);
  loss.dispose();
  return out;
}

const xlogy = (x: number, y: number) => (Number.isNaN(y) ? NaN : x === 0 ? 0 : x * Math.log(y));
/** log(sigmoid(x)) without overflow. */
const logSigmoid = (x: number) => Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));

function binaryCrossEntropy(x: Tensor, t: Tensor, w: Tensor | null, reduction: number): Tensor {
  const op = 'aten::binary_cross_entropy';
  if (values(x).some((p) => !(p >= 0 && p <= 1))) throw new OpError(op, 'all elements of input should be between 0 and 1');
  // PyTorch clamps the logs at -100 so that a saturated prediction gives a finite loss.
  const term = (p: number, y: number) => (y - 1) * Math.max(Math.log(1 - p), -100) - y * Math.max(Math.log(p), -100);
  return pointwise(op, [x, t, w], reduction, w ? (p, y, wt) => wt * term(p, y) : term);
}

function bceWithLogits(x: Tensor, t: Tensor, w: Tensor | null, posWeight: Tensor | null, reduction: number): Tensor {
  const op = 'aten::binary_cross_entropy_with_logits';
  const operands = [x, t, posWeight, w];
  return pointwise(op, operands, reduction, (z, y, ...rest) => {
    const pw = posWeight ? rest.shift()! : 1, wt = w ? rest.shift()! : 1;
    return wt * ((1 - y) * z - (1 + (pw - 1) * y) * logSigmoid(z));
  });
}

// ---- class losses: input [N, C, S...] ----

interface ClassLayout {
  N: number;
  C: number;
  S: number;
  /** Shape of the per-sample losses (input without the class dim). */
  sampleShape: number[];
}

function classLayout(x: Tensor): ClassLayout {
  if (x.dim === 1) return { N: 1, C: x.shape[0], S: 1, sampleShape: [] };
  return { N: x.shape[0], C: x.shape[1], S: numelOf(x.shape.slice(2)), sampleShape: [x.shape[0], ...x.shape.slice(2)] };
}

function classWeights(op: string, w: Tensor | null, C: number): number[] | null {
  if (w && w.numel !== C) throw new ShapeError(op, `weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: ${shapeText(w.shape)}`);
  return w && values(w);
}

/** Checks class-index targets against the layout; returns them as numbers. */
function classTargets(op: string, x: Tensor, t: Tensor, L: ClassLayout): number[] {
  if (!isIntegral(t.dtype)) throw new DTypeError(op, `expected scalar type Long but found ${t.dtype}`);
  if (x.dim === 0) throw new ShapeError(op, 'Expected 1 or more dimensions (got 0)');
  if (x.dim !== 1 && t.shape[0] !== x.shape[0]) throw new ShapeError(op, `Expected input batch_size (${x.shape[0]}) to match target batch_size (${t.shape[0]}).`);
  if (shapeText(t.shape) !== shapeText(L.sampleShape)) throw new ShapeError(op, `Expected target size ${shapeText(L.sampleShape)}, got ${shapeText(t.shape)}`);
  return values(t);
}

/** -w[t] * logp[n, t, s] per sample (0 where ignored) and the weight total that mean divides by. */
function nllTerms(op: string, lp: ArrayLike<number>, L: ClassLayout, tgt: number[], w: number[] | null, ignore: number): { loss: Float64Array; total: number } {
  const loss = new Float64Array(L.N * L.S);
  let total = 0;
  for (let n = 0; n < L.N; n++)
    for (let s = 0; s < L.S; s++) {
      const k = n * L.S + s, c = tgt[k];
      if (c === ignore) continue;
      if (c < 0 || c >= L.C) throw new OpError(op, `Target ${c} is out of bounds.`);
      const wt = w ? w[c] : 1;
      loss[k] = -wt * lp[(n * L.C + c) * L.S + s];
      total += wt;
    }
  return { loss, total };
}

function nllLossNd(x: Tensor, t: Tensor, weight: Tensor | null, reduction: number, ignore: number, op = 'aten::nll_loss_nd'): Tensor {
  const L = classLayout(x);
  const tgt = classTargets(op, x, t, L);
  const { loss, total } = nllTerms(op, values(x), L, tgt, classWeights(op, weight, L.C), ignore);
  return reduce(op, loss, t.shape, x.dtype, reduction, total);
}

function nllLoss(x: Tensor, t: Tensor, weight: Tensor | null, reduction: number, ignore: number): Tensor {
  if (x.dim < 1 || x.dim > 2) throw new ShapeError('aten::nll_loss', 'input tensor should be 1D or 2D');
  if (t.dim > 1) throw new ShapeError('aten::nll_loss', '0D or 1D target tensor expected, multi-target not supported');
  return nllLossNd(x, t, weight, reduction, ignore, 'aten::nll_loss');
}

function nllLoss2d(x: Tensor, t: Tensor, weight: Tensor | null, reduction: number, ignore: number): Tensor {
  if (x.dim !== 4) throw new ShapeError('aten::nll_loss2d', `only batches of spatial inputs supported (4D tensors), but got input of size: ${shapeText(x.shape)}`);
  return nllLossNd(x, t, weight, reduction, ignore, 'aten::nll_loss2d');
}

/** log_softmax over the class dim of values laid out as [N, C, S]. */
function logSoftmax(v: ArrayLike<number>, { N, C, S }: ClassLayout): Float64Array {
  const out = new Float64Array(v.length);
  for (let n = 0; n < N; n++)
    for (let s = 0; s < S; s++) {
      const at = (c: number) => (n * C + c) * S + s;
      let m = -Infinity;
      for (let c = 0; c < C; c++) m = Math.max(m, v[at(c)]);
      let z = 0;
      for (let c = 0; c < C; c++) z += Math.exp(v[at(c)] - m);
      const lz = m + Math.log(z);
      for (let c = 0; c < C; c++) out[at(c)] = v[at(c)] - lz;
    }
  return out;
}

/** -sum_c w_c * lp[n, c, s] * p(n, c, s) per sample. */
function classSum(lp: Float64Array, { N, C, S }: ClassLayout, w: number[] | null, p: (k: number) => number): Float64Array {
  const out = new Float64Array(N * S);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let s = 0; s < S; s++) {
        const k = (n * C + c) * S + s;
        out[n * S + s] -= (w ? w[c] : 1) * lp[k] * p(k);
      }
  return out;
}

function crossEntropy(x: Tensor, t: Tensor, weight: Tensor | null, reduction: number, ignore: number, smoothing: number): Tensor {
  const op = 'aten::cross_entropy_loss';
  if (x.dim === 0) throw new ShapeError(op, 'Expected 1 or more dimensions (got 0)');
  if (!(smoothing >= 0 && smoothing <= 1)) throw new OpError(op, `label_smoothing must be between 0.0 and 1.0. Got: ${smoothing}`);
  const L = classLayout(x);
  const w = classWeights(op, weight, L.C);
  const lp = logSoftmax(values(x), L);
  if (shapeText(x.shape) === shapeText(t.shape)) {
    // Class probabilities (soft targets), smoothed towards the uniform distribution.
    if (!isFloating(t.dtype)) throw new DTypeError(op, `Expected floating point type for target with class probabilities, got ${t.dtype}`);
    const p = values(t).map((q) => q * (1 - smoothing) + smoothing / L.C);
    const loss = classSum(lp, L, w, (k) => p[k]);
    return reduce(op, loss, L.sampleShape, x.dtype, reduction, L.N * L.S);
  }
  const tgt = classTargets(op, x, t, L);
  const nll = nllTerms(op, lp, L, tgt, w, ignore);
  if (smoothing === 0) return reduce(op, nll.loss, t.shape, x.dtype, reduction, nll.total);
  // Label smoothing: (1 - e) * nll + e / C * (the loss against a uniform target), ignored samples 0.
  const smooth = classSum(lp, L, w, () => 1);
  tgt.forEach((c, k) => c === ignore && (smooth[k] = 0));
  const a = 1 - smoothing, b = smoothing / L.C;
  if (reduction === REDUCTION.none) return fromValues(t.shape, x.dtype, nll.loss.map((v, k) => a * v + b * smooth[k]));
  // Mean divides both parts by the weight total of the kept samples (their count when unweighted).
  const sum = (arr: Float64Array) => arr.reduce((s, v) => s + v, 0);
  const div = reduction === REDUCTION.mean ? nll.total : 1;
  return fromValues([], x.dtype, [(a * sum(nll.loss) + b * sum(smooth)) / div]);
}

function klDiv(x: Tensor, t: Tensor, reduction: number, logTarget: boolean): Tensor {
  return pointwise('aten::kl_div', [x, t], reduction, logTarget ? (a, b) => Math.exp(b) * (b - a) : (a, b) => xlogy(b, b) - b * a);
}

function smoothL1(beta: number) {
  return (a: number, b: number) => {
    const d = Math.abs(a - b);
    return d < beta ? (0.5 * d * d) / beta : d - 0.5 * beta;
  };
}

function huber(delta: number) {
  return (a: number, b: number) => {
    const d = Math.abs(a - b);
    return d < delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
  };
}

const OPAQUE = ['opaque'] as const;

export const LOSS_OPS: OpDef[] = [
  { schema: 'aten::mse_loss(Tensor self, Tensor target, int reduction=1) -> Tensor', tags: OPAQUE, grad: gradMseLoss, impl: (x: Tensor, t: Tensor, r: number) => pointwise('aten::mse_loss', [x, t], r, (a, b) => (a - b) * (a - b)) },
  { schema: 'aten::l1_loss(Tensor self, Tensor target, int reduction=1) -> Tensor', tags: OPAQUE, grad: gradL1Loss, impl: (x: Tensor, t: Tensor, r: number) => pointwise('aten::l1_loss', [x, t], r, (a, b) => Math.abs(a - b)) },
  { schema: 'aten::smooth_l1_loss(Tensor self, Tensor target, int reduction=1, float beta=1.) -> Tensor', tags: OPAQUE, grad: gradSmoothL1Loss, impl: (x: Tensor, t: Tensor, r: number, beta: number) => pointwise('aten::smooth_l1_loss', [x, t], r, smoothL1(beta)) },
  { schema: 'aten::huber_loss(Tensor self, Tensor target, int reduction=1, float delta=1.) -> Tensor', tags: OPAQUE, grad: gradHuberLoss, impl: (x: Tensor, t: Tensor, r: number, delta: number) => pointwise('aten::huber_loss', [x, t], r, huber(delta)) },
  { schema: 'aten::kl_div(Tensor self, Tensor target, int reduction=1, *, bool log_target=False) -> Tensor', tags: OPAQUE, grad: gradKlDiv, impl: klDiv },
  { schema: 'aten::binary_cross_entropy(Tensor self, Tensor target, Tensor? weight=None, int reduction=1) -> Tensor', tags: OPAQUE, grad: gradBinaryCrossEntropy, impl: binaryCrossEntropy },
  { schema: 'aten::binary_cross_entropy_with_logits(Tensor self, Tensor target, Tensor? weight=None, Tensor? pos_weight=None, int reduction=1) -> Tensor', tags: OPAQUE, grad: gradBceWithLogits, impl: bceWithLogits },
  { schema: 'aten::nll_loss(Tensor self, Tensor target, Tensor? weight=None, int reduction=1, SymInt ignore_index=-100) -> Tensor', tags: OPAQUE, grad: gradNllLoss, impl: nllLoss },
  { schema: 'aten::nll_loss_nd(Tensor self, Tensor target, Tensor? weight=None, int reduction=1, SymInt ignore_index=-100) -> Tensor', tags: OPAQUE, grad: gradNllLoss, impl: nllLossNd },
  { schema: 'aten::nll_loss2d(Tensor self, Tensor target, Tensor? weight=None, int reduction=1, SymInt ignore_index=-100) -> Tensor', tags: OPAQUE, grad: gradNllLoss, impl: nllLoss2d },
  { schema: 'aten::cross_entropy_loss(Tensor self, Tensor target, Tensor? weight=None, int reduction=1, SymInt ignore_index=-100, float label_smoothing=0.) -> Tensor', tags: OPAQUE, grad: gradCrossEntropy, impl: crossEntropy },
];

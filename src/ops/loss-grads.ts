// Derivatives of the loss rows (derivatives.yaml: mse_loss_backward, l1_loss, smooth_l1_loss_backward,
// huber_loss_backward, kl_div, binary_cross_entropy(_with_logits)_backward, nll_loss_backward and
// cross_entropy through log_softmax). `reduction`: 0 none, 1 mean, 2 sum.
import type { Tensor } from '../sdk/tensor.js';
import type { GradRule } from '../autograd/node.js';
import { callOp } from './dispatch.js';
import { abs, add, div, exp, expand, indexSelect, log, lt, le, mul, ne, neg, reshape, scatter, sigmoid, sign, sub, sum, sumTo, to, unsqueeze, where, zerosLike } from '../autograd/calc.js';

type T = Tensor;
const MEAN = 1;

/** The loss gradient spread over the elementwise losses (shape `shape`): none keeps g, mean divides. */
const spread = (g: T, shape: readonly number[], reduction: number, count: number): T =>
  reduction === 0 ? g : expand(reduction === MEAN ? div(g, count) : g, shape);

/** A pointwise loss of (self, target): `d` is d(loss)/d(self) per element; target gets its negative unless given. */
function pointwiseLoss(d: (x: T, t: T, args: readonly any[]) => T, dt?: (x: T, t: T, args: readonly any[]) => T): GradRule {
  return ([g], args) => {
    const [x, t, reduction] = args;
    const shape = callOp('aten::broadcast_tensors', [[x, t]])[0].shape;
    const gr = spread(g!, shape, reduction, shape.reduce((a: number, b: number) => a * b, 1));
    const gx = mul(d(x, t, args), gr);
    const gt = dt ? mul(dt(x, t, args), gr) : neg(gx);
    return [sumTo(gx, x.shape), sumTo(gt, t.shape), ...args.slice(2).map(() => null)];
  };
}

export const gradMseLoss = pointwiseLoss((x, t) => mul(sub(x, t), 2));
export const gradL1Loss = pointwiseLoss((x, t) => sign(sub(x, t)));
export const gradSmoothL1Loss = pointwiseLoss((x, t, [, , , beta]) => {
  const d = sub(x, t);
  return beta === 0 ? sign(d) : where(lt(abs(d), beta), div(d, beta), sign(d));
});
export const gradHuberLoss = pointwiseLoss((x, t, [, , , delta]) => {
  const d = sub(x, t);
  return where(le(abs(d), delta), d, mul(sign(d), delta));
});
export const gradKlDiv = pointwiseLoss(
  (_x, t, [, , , logTarget]) => (logTarget ? neg(exp(t)) : neg(t)),
  (x, t, [, , , logTarget]) => (logTarget ? mul(exp(t), add(sub(t, x), 1)) : where(ne(t, 0), sub(add(log(t), 1), x), 0)),
);

/** binary_cross_entropy: (x - t) / max(x (1 - x), 1e-12); the target gets log(1 - x) - log(x) (logs clamped at -100). */
export const gradBinaryCrossEntropy: GradRule = ([g], [x, t, w, reduction]) => {
  const gr = spread(g!, x.shape, reduction, x.numel);
  const scale = w ? mul(gr, w) : gr;
  const denom = callOp('aten::clamp_min', [mul(x, neg(sub(x, 1))), 1e-12]);
  const clog = (v: T) => callOp('aten::clamp_min', [log(v), -100]);
  const gx = mul(div(sub(x, t), denom), scale);
  const gt = mul(sub(clog(neg(sub(x, 1))), clog(x)), scale);
  return [sumTo(gx, x.shape), sumTo(gt, t.shape), null, null];
};

/** binary_cross_entropy_with_logits: sigmoid(x)(1 + (pw - 1) t) - pw t; the target gets pw softplus(-x) - softplus(x). */
export const gradBceWithLogits: GradRule = ([g], [x, t, w, pw, reduction]) => {
  const gr = spread(g!, x.shape, reduction, x.numel);
  const scale = w ? mul(gr, w) : gr;
  const softplus = (v: T) => callOp('aten::softplus', [v]);
  const gx = pw ? sub(mul(sigmoid(x), add(mul(t, sub(pw, 1)), 1)), mul(pw, t)) : sub(sigmoid(x), t);
  const gt = pw ? sub(mul(pw, softplus(neg(x))), softplus(x)) : neg(x);
  return [sumTo(mul(gx, scale), x.shape), sumTo(mul(gt, scale), t.shape), null, null, null];
};

/** Per-sample weights w[t] (0 where t is ignored) and the class indices with ignored ones replaced by 0. */
function targetWeights(t: T, w: T | null, ignore: number): { wt: T; tc: T; denom: T } {
  const valid = ne(t, ignore);
  const tc = where(valid, t, 0);
  const picked = w ? reshape(indexSelect(w, 0, reshape(tc, [tc.numel])), t.shape) : callOp('aten::ones', [[...t.shape]]);
  const wt = where(valid, picked, 0);
  return { wt, tc, denom: sum(wt) };
}

/** d(loss)/d(log-probabilities) of nll_loss: -w[t] at each target class, normalized as the reduction was. */
function nllGrad(g: T, x: T, t: T, w: T | null, reduction: number, ignore: number, scale = 1): T {
  const classDim = x.dim === 1 ? 0 : 1;
  const { wt, tc, denom } = targetWeights(t, w, ignore);
  const gr = reduction === 0 ? g : reduction === MEAN ? div(g, denom) : g;
  const coef = mul(mul(wt, gr), -scale);
  return scatter(zerosLike(x), classDim, unsqueeze(tc, classDim), unsqueeze(coef, classDim));
}

export const gradNllLoss: GradRule = ([g], [x, t, w, reduction, ignore]) => [nllGrad(g!, x, t, w, reduction, ignore), null, null, null, null];

/** A [C] tensor shaped to broadcast along the class dim of x. */
const alongClass = (v: T, x: T, classDim: number): T => reshape(v, x.shape.map((s, d) => (d === classDim ? s : 1)));

/**
 * cross_entropy = nll(log_softmax(x)) with label smoothing (index targets) or soft targets;
 * the gradient for the log-probabilities goes through log_softmax's backward.
 */
export const gradCrossEntropy: GradRule = ([g], [x, t, w, reduction, ignore, eps]) => {
  const classDim = x.dim === 1 ? 0 : 1, C = x.shape[classDim];
  const lsm = callOp('aten::log_softmax', [x, classDim]);
  let glsm: T, gt: T | null = null;
  if (t.dtype.startsWith('float')) {
    // Soft targets: loss_n = -sum_c w_c t'_nc lsm_nc, t' = t (1 - eps) + eps / C; mean divides by the batch size.
    const soft = eps > 0 ? add(mul(t, 1 - eps), eps / C) : t;
    const count = x.dim === 1 ? 1 : x.numel / C;
    const gr0 = reduction === 0 ? unsqueeze(g!, classDim) : reduction === MEAN ? div(g!, count) : g!;
    const gr = w ? mul(gr0, alongClass(w, x, classDim)) : gr0;
    glsm = neg(mul(soft, gr));
    gt = neg(mul(mul(lsm, gr), 1 - eps));
  } else {
    glsm = nllGrad(g!, x, t, w, reduction, ignore, 1 - eps);
    if (eps > 0) {
      // The smoothing term: -(eps / C) w_c per sample not ignored, normalized like nll.
      const valid = to(ne(t, ignore), x.dtype);
      const factor = reduction === 0 ? g! : reduction === MEAN ? div(g!, w ? targetWeights(t, w, ignore).denom : sum(valid)) : g!;
      const gs = mul(unsqueeze(mul(valid, factor), classDim), -eps / C);
      glsm = add(glsm, w ? mul(gs, alongClass(w, x, classDim)) : gs);
    }
  }
  const gx = sub(glsm, mul(exp(lsm), sum(glsm, [classDim], true)));
  return [gx, gt, null, null, null, null];
};

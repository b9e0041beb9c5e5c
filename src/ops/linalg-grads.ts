// Derivatives of the matrix-product rows (derivatives.yaml: mm_mat1_backward, mm_mat2_backward,
// matmul via its 2-D folding, addmm/baddbmm/addmv with beta and alpha, linear, dot, mv).
import type { Tensor } from '../sdk/tensor.js';
import type { GradRule } from '../autograd/node.js';
import { bmm, matmul, mm, mul, reshape, sumTo, transpose, unsqueeze } from '../autograd/calc.js';

type T = Tensor;
type Num = number | boolean;

const mT = (x: T): T => transpose(x, -1, -2);
const scaled = (g: T, s: Num): T => (Number(s) === 1 ? g : mul(g, Number(s)));
const outer = (a: T, b: T): T => mul(unsqueeze(a, 1), unsqueeze(b, 0));

export const gradMm: GradRule = ([g], [a, b]) => [mm(g!, mT(b)), mm(mT(a), g!)];
export const gradBmm: GradRule = ([g], [a, b]) => [bmm(g!, mT(b)), bmm(mT(a), g!)];

/** matmul: 1-D operands become matrices (and the gradient gets their unit dims), batch dims are summed back. */
function matmulBack(g: T, a: T, b: T): [T, T] {
  const a2 = a.dim === 1 ? unsqueeze(a, 0) : a;
  const b2 = b.dim === 1 ? unsqueeze(b, 1) : b;
  let g2 = b.dim === 1 ? unsqueeze(g, -1) : g;
  if (a.dim === 1) g2 = unsqueeze(g2, -2);
  const ga = reshape(sumTo(matmul(g2, mT(b2)), a2.shape), a.shape);
  const gb = reshape(sumTo(matmul(mT(a2), g2), b2.shape), b.shape);
  return [ga, gb];
}
export const gradMatmul: GradRule = ([g], [a, b]) => matmulBack(g!, a, b);

export const gradAddmm: GradRule = ([g], [self, m1, m2, beta, alpha]) => [sumTo(scaled(g!, beta), self.shape), scaled(mm(g!, mT(m2)), alpha), scaled(mm(mT(m1), g!), alpha), null, null];
export const gradBaddbmm: GradRule = ([g], [self, b1, b2, beta, alpha]) => [sumTo(scaled(g!, beta), self.shape), scaled(bmm(g!, mT(b2)), alpha), scaled(bmm(mT(b1), g!), alpha), null, null];
export const gradAddmv: GradRule = ([g], [self, m, v, beta, alpha]) => [sumTo(scaled(g!, beta), self.shape), scaled(outer(g!, v), alpha), scaled(matmul(mT(m), g!), alpha), null, null];
export const gradMv: GradRule = ([g], [m, v]) => [outer(g!, v), matmul(mT(m), g!)];
export const gradDot: GradRule = ([g], [a, b]) => [mul(b, g!), mul(a, g!)];

/** linear: y = x @ w^T + b. */
export const gradLinear: GradRule = ([g], [x, w, bias]) => {
  const [gx, gwT] = matmulBack(g!, x, w.dim === 1 ? w : mT(w));
  return [gx, w.dim === 1 ? gwT : mT(gwT), bias ? sumTo(g!, bias.shape) : null];
};

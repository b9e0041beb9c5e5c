// JIT autodiff for every callable: jit.compile functions (defaults left out, calls between defs),
// JS-scripted functions called without their defaults, and JS modules whose flags change after the
// first call. Gradients are compared with eager autograd on the same computation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import type { Tensor } from '../../src/sdk/tensor.js';
import { jit } from '../../src/jit/index.js';
import { printGraph } from '../../src/jit/printer.js';
import { script } from '../../src/jit/script-js/script.js';
import { DifferentiableGraphNode } from '../../src/jit/autodiff/graph-node.js';
import { assertClose } from './trace-helpers.js';

const leaf = (values: number[]) => torch.tensor(values).requires_grad_() as Tensor;
const X = [0.5, -1, 2, 0.25], Y = [1.5, 2, -0.5, -3];

/** Runs `f` on fresh leaves forward and backward; returns the output and the leaves' gradients. */
function grads(f: (x: Tensor, y: Tensor) => Tensor): { out: Tensor; gx: Tensor; gy: Tensor } {
  const x = leaf(X), y = leaf(Y);
  const out = f(x, y);
  out.backward();
  return { out, gx: x.grad!, gy: y.grad! };
}

/** Same values and gradients; `planned`: the JIT's backward produced them (not eager autograd's fallback). */
function assertSameGrads(jitted: ReturnType<typeof grads>, eager: ReturnType<typeof grads>, planned = true): void {
  if (planned) assert.ok(jitted.out.gradFn instanceof DifferentiableGraphNode, `grad_fn is ${jitted.out.gradFn?.name}`);
  assertClose(jitted.out, eager.out, 1e-4, 1e-4);
  assertClose(jitted.gx, eager.gx, 1e-4, 1e-4);
  assertClose(jitted.gy, eager.gy, 1e-4, 1e-4);
}

const SOURCE = [
  'def inner(a: Tensor, b: Tensor) -> Tensor:',
  '    return torch.tanh(a * b) + torch.sigmoid(a)',
  'def outer(x: Tensor, y: Tensor, k: float = 2.0, n: int = 3) -> Tensor:',
  '    s = inner(x, y) * k',
  '    for i in range(n):',
  '        s = s * y',
  '    return torch.sum(s)',
].join('\n') + '\n';

test('a jit.compile function called with grad-requiring tensors gets the JIT backward, equal to eager autograd', () => {
  const { outer } = jit.compile(SOURCE);
  const eager = (x: Tensor, y: Tensor, k: number, n: number) => {
    let s = x.mul(y).tanh().add(x.sigmoid()).mul(k);
    for (let i = 0; i < n; i++) s = s.mul(y);
    return s.sum();
  };
  // All arguments passed, and the defaults left out (both take the differentiated plan).
  assertSameGrads(grads((x, y) => outer(x, y, 0.5, 1)), grads((x, y) => eager(x, y, 0.5, 1)));
  assertSameGrads(grads((x, y) => outer(x, y)), grads((x, y) => eager(x, y, 2, 3)));
  // No grad wanted: the plain run.
  const plain = outer(torch.tensor(X), torch.tensor(Y)) as Tensor;
  assert.is(plain.gradFn, null);
  assertClose(plain, eager(torch.tensor(X), torch.tensor(Y), 2, 3), 1e-4, 1e-4);
});

test('a JS-scripted function called without its defaulted argument gets the JIT backward', () => {
  function f(x: any, y: any, k = 3.0) {
    return x.mul(y).tanh().mul(k).sum();
  }
  const s = script(f);
  assertSameGrads(grads((x, y) => s(x, y)), grads((x, y) => f(x, y)));
});

// A loop whose condition is an If output (break, or return) still falls back to eager autograd:
// autodiff/evaluate.ts keeps a stale loop state when it replaces that If (fix proposed to its owner).
test('a scripted loop that returns early (on a static condition) has the gradients of eager autograd', () => {
  function powerUntil(x: any, y: any, n = 2) {
    let s = x;
    for (let i = 0; i < 10; i++) {
      s = s.mul(y).add(x);
      if (i >= n) return s.sum();
    }
    return s.mean();
  }
  const s = script(powerUntil);
  assertSameGrads(grads((x, y) => s(x, y)), grads((x, y) => powerUntil(x, y)), true);
  assertSameGrads(grads((x, y) => s(x, y, 20)), grads((x, y) => powerUntil(x, y, 20)), true);
});

test('flipping a scripted JS module\'s training flag after the first call changes the plan it runs', () => {
  class Scaled {
    training = true;
    w = leaf([1.5, 2, -3, 4]);
    forward(x: any) {
      if (this.training) return x.mul(this.w).mul(2).sum();
      return x.mul(this.w).sum();
    }
  }
  const m = new Scaled();
  const s = script(m);
  assert.match(printGraph(s.graphBeforePasses), /prim::GetAttr\[name="training"\]/);
  const run = (f: (x: Tensor) => Tensor) => {
    m.w.grad = null;
    const x = leaf(X);
    const out = f(x);
    out.backward();
    return { out, gx: x.grad!, gy: m.w.grad! };
  };
  for (const training of [true, false, true]) {
    m.training = training;
    assertSameGrads(run((x) => s(x)), run((x) => m.forward(x)));
  }
});

test.run();

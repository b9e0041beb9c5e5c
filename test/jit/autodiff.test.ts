import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import { Tensor, tidy } from '../../src/sdk/tensor.js';
import { grad } from '../../src/autograd/api.js';
import { loadFile } from '../../src/jit/load.js';
import { script } from '../../src/jit/script-js/script.js';
import { trace } from '../../src/jit/trace/trace.js';
import { verifyGraph } from '../../src/jit/verify.js';
import type { Graph } from '../../src/jit/ir.js';
import { planFor } from '../../src/jit/autodiff/run.js';
import { NotDifferentiableError } from '../../src/jit/autodiff/errors.js';
import { DifferentiableGraphNode } from '../../src/jit/autodiff/graph-node.js';
import { assertClose, fixture, talk } from './trace-helpers.js';

const IOU = [0, 1, 2, 3, 4, 5, 6, 7];
const iouInputs = () => IOU.map((i) => fixture(`iou_scripted.input${i}.npy`).requires_grad_() as Tensor);
const kinds = (g: Graph) => g.nodes().map((n) => n.kind).filter((k) => k !== 'prim::Constant');

/** Runs fn(inputs) forward and backward with the fixture's grad_output; checks outputs 0..8. */
function checkIou(fn: (...xs: Tensor[]) => Tensor): Tensor[] {
  const xs = iouInputs();
  const out = fn(...xs);
  assert.ok(out.gradFn instanceof DifferentiableGraphNode, `grad_fn is ${out.gradFn?.name}`);
  assertClose(out, fixture('iou_scripted.output0.npy'));
  out.backward(fixture('iou_scripted.grad_output.npy'));
  xs.forEach((x, i) => assertClose(x.grad!, fixture(`iou_scripted.output${i + 1}.npy`)));
  return xs;
}

test('iou_scripted.pt loaded with jit.load: JIT backward gradients equal PyTorch\'s', () => {
  const m = loadFile('../shared/fixtures/torchscript/iou_scripted.pt');
  checkIou((...xs) => m.forward(...xs));
});

test('the JS-scripted ratio_iou: one fused kernel forward, one fused kernel backward, PyTorch\'s gradients', async () => {
  const { ratioIouScripted } = await talk();
  const f = script(ratioIouScripted);
  const xs = checkIou(f);
  const plan = planFor(f.graphBeforePasses, xs);
  assert.ok(plan && !(plan instanceof Error));
  verifyGraph(plan.f);
  verifyGraph(plan.df);
  // f returns its output and what df needs (here only the inputs: pointwise values are recomputed).
  assert.equal(kinds(plan.f), ['prim::FusionGroup']);
  assert.equal(kinds(plan.df), ['prim::FusionGroup']);
  assert.equal(plan.nSaved, 8);
  assert.equal(plan.df.outputs.length, 8);
});

test('a traced ratio_iou (called with inputs that require grad) gets the same JIT backward', async () => {
  const { ratioIou } = await talk();
  const f = trace(ratioIou, IOU.map((i) => fixture(`iou_scripted.input${i}.npy`)));
  checkIou(f);
});

test('torch.autograd.grad through a scripted function; grad mode off or no requires_grad runs the plain graph', async () => {
  const { ratioIouScripted } = await talk();
  const f = script(ratioIouScripted);
  const xs = iouInputs();
  const [g0, g5] = grad(f(...xs), [xs[0], xs[5]], fixture('iou_scripted.grad_output.npy'));
  assertClose(g0!, fixture('iou_scripted.output1.npy'));
  assertClose(g5!, fixture('iou_scripted.output6.npy'));
  assert.is(xs[0].grad, null);
  const plain = f(...xs.map((x) => x.detach()));
  assert.is(plain.requiresGrad, false);
  assert.is(plain.gradFn, null);
  assertClose(plain, fixture('iou_scripted.output0.npy'));
});

test('broadcast inputs get gradients summed to their shape (sumTo in df), equal to eager autograd', () => {
  const f = script(function affine(x, w, b) {
    return torch.tanh(x * w + b) * x;
  });
  const x = (torch.randn([4, 5]) as Tensor).requires_grad_();
  const w = (torch.randn([5]) as Tensor).requires_grad_();
  const b = (torch.randn([1]) as Tensor).requires_grad_();
  const g = torch.randn([4, 5]) as Tensor;
  const jit = grad(f(x, w, b), [x, w, b], g) as Tensor[];
  const eager = grad(torch.tanh(x.mul(w).add(b)).mul(x) as Tensor, [x, w, b], g) as Tensor[];
  assert.equal(jit.map((t) => t.shape), [[4, 5], [5], [1]]);
  jit.forEach((t, i) => assertClose(t, eager[i]));
  const plan = planFor(f.graphBeforePasses, [x, w, b]);
  assert.ok(plan && !(plan instanceof Error) && kinds(plan.df).includes('aten::sum'));
});

test('only inputs that require grad get gradients; a second backward fails as in eager mode', () => {
  const f = script(function mix(a, b) {
    return a * b + a;
  });
  const a = (torch.randn([3]) as Tensor).requires_grad_();
  const b = torch.randn([3]) as Tensor;
  const y = f(a, b);
  y.backward(torch.ones([3]) as Tensor, { retain_graph: false });
  assertClose(a.grad!, b.add(1) as Tensor);
  assert.is(b.grad, null);
  assert.throws(() => y.backward(torch.ones([3]) as Tensor), /backward through the graph a second time/);
  const z = f(a, b);
  b.mul_(2);
  assert.throws(() => z.backward(torch.ones([3]) as Tensor), /modified by an inplace operation/);
});

test('a loop with a static trip count is unrolled and differentiated, equal to eager autograd', async () => {
  const { scriptFn, myfn } = await talk();
  const f = script(scriptFn);
  const x = (torch.rand([5]) as Tensor).add(0.5).requires_grad_() as Tensor;
  const g = torch.randn([5]) as Tensor;
  const [jit] = grad(f(x), [x], g) as Tensor[];
  const [eager] = grad(myfn(x), [x], g) as Tensor[];
  assertClose(jit, eager);
  const plan = planFor(f.graphBeforePasses, [x]);
  assert.ok(plan && !(plan instanceof Error));
  assert.not.ok(plan.f.nodes().some((n) => n.kind === 'prim::Loop'));
});

test('data-dependent control flow: no plan (it says why); the interpreter records eager autograd instead', () => {
  // The fusible chain before the if must not hide x from autograd in the plain run.
  const f = script(function gate(x) {
    x = x * 2 - 1 + x;
    if (x.sum() > 0) {
      x = x * 2;
    }
    return x;
  });
  const x = (torch.rand([5]) as Tensor).requires_grad_();
  const plan = planFor(f.graphBeforePasses, [x]);
  assert.instance(plan, NotDifferentiableError);
  assert.match((plan as Error).message, /data-dependent control flow/);
  for (const sign of [1, -1]) {
    const xs = (torch.rand([5]) as Tensor).add(1).mul(sign).requires_grad_() as Tensor;
    const [gx] = grad(f(xs), [xs], torch.ones([5]) as Tensor) as Tensor[];
    assertClose(gx, torch.full([5], sign > 0 ? 6 : 3) as Tensor);
    assert.not.instance(f(xs).gradFn, DifferentiableGraphNode);
  }
});

test('a steady-state forward+backward leaves no tensors behind', async () => {
  const { ratioIouScripted } = await talk();
  const f = script(ratioIouScripted);
  const xs = iouInputs();
  const g = fixture('iou_scripted.grad_output.npy');
  const step = () => {
    tidy(() => f(...xs).backward(g));
    xs.forEach((x) => { x.grad!.dispose(); x.grad = null; });
  };
  step();
  const { engine } = await import('../../src/engine/engine.js');
  const before = engine().stats().blocksLive;
  for (let i = 0; i < 3; i++) step();
  assert.is(engine().stats().blocksLive, before);
});

test.run();

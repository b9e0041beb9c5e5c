import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { torch, tensor, engine, Tensor } from '../../src/index.js';
import { tensorFromNpy } from '../../src/sdk/npy.js';
import { AutogradError } from '../../src/autograd/node.js';

const npy = (name: string) => tensorFromNpy(new Uint8Array(readFileSync(`../shared/fixtures/torchscript/${name}.npy`)));

function maxRelErr(a: Tensor, b: Tensor): number {
  const x = a.dataSync() as Float32Array, y = b.dataSync() as Float32Array;
  let worst = 0, scale = 0;
  for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]));
  for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  return worst / (scale || 1);
}

// The talk's ratio_iou, eagerly, as the iou_scripted fixture defines it (clamp with max=inf).
function ratioIou(x1: Tensor, y1: Tensor, w1: Tensor, h1: Tensor, x2: Tensor, y2: Tensor, w2: Tensor, h2: Tensor): Tensor {
  const xi = torch.max(x1, x2);
  const yi = torch.max(y1, y2);
  const wi = torch.clamp(torch.min(x1.add(w1), x2.add(w2)).sub(xi), { min: 0, max: Infinity });
  const hi = torch.clamp(torch.min(y1.add(h1), y2.add(h2)).sub(yi), { min: 0, max: Infinity });
  const areaI = wi.mul(hi);
  const areaU = w1.mul(h1).add(w2.mul(h2)).sub(wi.mul(hi));
  return areaI.div(torch.clamp(areaU, { min: 1e-5, max: Infinity }));
}

test('ratio_iou backward matches PyTorch (iou_scripted outputs 1..8)', () => {
  const inputs = Array.from({ length: 8 }, (_, i) => npy(`iou_scripted.input${i}`).requires_grad_());
  const out = ratioIou(...(inputs as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor]));
  assert.ok(maxRelErr(out, npy('iou_scripted.output0')) < 1e-5);
  out.backward(npy('iou_scripted.grad_output'));
  inputs.forEach((t, i) => {
    const err = maxRelErr(t.grad!, npy(`iou_scripted.output${i + 1}`));
    assert.ok(err < 1e-4, `grad ${i}: ${err}`);
  });
});

test('gradients accumulate into leaves and no_grad stops recording', () => {
  const x = tensor([1, 2, 3], 'float32').requires_grad_();
  x.mul(x).sum().backward();
  x.mul(2).sum().backward();
  assert.equal(x.grad!.toArray(), [4, 6, 8]);
  const y = torch.no_grad(() => x.mul(3));
  assert.is(y.requiresGrad, false);
  assert.is(x.detach().requiresGrad, false);
});

test("PyTorch's autograd errors", () => {
  const x = tensor([1, 2, 3], 'float32').requires_grad_();
  assert.throws(() => x.mul(2).backward(), (e: unknown) => e instanceof AutogradError && /only for scalar outputs/.test((e as Error).message));
  const y = x.exp().sum();
  y.backward();
  assert.throws(() => y.backward(), (e: unknown) => e instanceof AutogradError && /backward through the graph a second time/.test((e as Error).message));
  const z = x.exp();
  const s = z.sum();
  z.mul_(2);
  assert.throws(() => s.backward(), (e: unknown) => e instanceof AutogradError && /modified by an inplace operation/.test((e as Error).message));
  assert.throws(() => x.mul_(2), (e: unknown) => e instanceof AutogradError && /leaf Variable that requires grad/.test((e as Error).message));
  assert.throws(() => x.mul(2).sum().backward(torch.ones([2])), (e: unknown) => e instanceof AutogradError && /Mismatch in shape/.test((e as Error).message));
});

test('retain_graph allows a second backward; autograd.grad leaves .grad alone', () => {
  const x = tensor([1, 2], 'float32').requires_grad_();
  const y = x.mul(x).sum();
  y.backward(null, { retain_graph: true });
  y.backward();
  assert.equal(x.grad!.toArray(), [4, 8]);
  const w = tensor([3, 4], 'float32').requires_grad_();
  const [g] = torch.autograd.grad(w.mul(w).sum(), [w]);
  assert.equal(g.toArray(), [6, 8]);
  assert.is(w.grad, null);
});

test('backward frees what the graph saved', () => {
  const before = engine().stats().bytesLive;
  torch.tidy(() => {
    const x = tensor([1, 2, 3], 'float32').requires_grad_();
    x.exp().mul(x).sum().backward();
    x.grad!.dispose();
  });
  assert.is(engine().stats().bytesLive, before);
});

test.run();

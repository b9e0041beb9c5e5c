// The training fixture (../shared/fixtures/training): TransformerNet width 8 in training mode,
// Adam(lr=1e-3), MSE loss, 3 steps, eagerly; gradients, losses and final parameters vs PyTorch.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { torch, nn, Tensor } from '../../src/index.js';
import { loadBytes } from '../../src/jit/index.js';
import { tensorFromNpy } from '../../src/sdk/npy.js';
import { readZip } from '../../src/serialize/zip.js';
import { TransformerNet } from './transformer-net.js';

const dir = '../shared/fixtures/training/';
const bytes = (name: string) => new Uint8Array(readFileSync(dir + name));
const manifest = JSON.parse(readFileSync(dir + 'manifest.json', 'utf8')).cases[0];
const npz = (name: string) => {
  const z = readZip(bytes(name));
  return (key: string) => tensorFromNpy(z.read(`${key}.npy`));
};
const maxAbs = (t: Tensor) => (t.dataSync() as Float32Array).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxDiff = (a: Tensor, b: Tensor) => {
  const x = a.dataSync() as Float32Array, y = b.dataSync() as Float32Array;
  let w = 0;
  for (let i = 0; i < y.length; i++) w = Math.max(w, Math.abs(x[i] - y[i]));
  return w;
};

test('TransformerNet w8: step-0 gradients, 3 Adam steps of losses and parameters match PyTorch', () => {
  const model = new TransformerNet(8);
  const initial = new Map(loadBytes(bytes('train_small.initial.pt')).named_parameters());
  const params = [...model.namedParameters()];
  assert.is(params.length, initial.size);
  torch.no_grad(() => params.forEach(([name, p]) => p.copy_(initial.get(name))));
  model.train();
  const x = tensorFromNpy(bytes('train_small.input0.npy'));
  const target = tensorFromNpy(bytes('train_small.target.npy'));
  const opt = new torch.optim.Adam(model.parameters(), { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0 });
  const lossFn = new nn.MSELoss();
  const wantGrad = npz(manifest.grads_step0);
  // Conv biases feeding an instance norm (and the residual in2 biases) have a zero gradient in
  // exact arithmetic: PyTorch's values are rounding noise, so they are judged on the global scale.
  const scale = Math.max(...params.map(([n]) => maxAbs(wantGrad(n))));
  const noise = new Set(params.filter(([n]) => maxAbs(wantGrad(n)) < 1e-6 * scale).map(([n]) => n));
  assert.ok(noise.size < params.length / 2, `${noise.size} noise-level gradients`);
  const losses: number[] = [];
  for (let step = 0; step < 3; step++) {
    torch.tidy(() => {
      opt.zero_grad();
      const loss = lossFn.call(model.call(x), target);
      losses.push(Number(loss.item()));
      loss.backward();
      if (step === 0)
        for (const [name, p] of params) {
          const want = wantGrad(name);
          const err = maxDiff(p.grad!, want) / (noise.has(name) ? scale : maxAbs(want));
          assert.ok(err <= 1e-4, `grad of ${name}: relative error ${err}`);
        }
      opt.step();
    });
  }
  losses.forEach((l, i) => assert.ok(Math.abs(l - manifest.losses[i]) <= 1e-4 * manifest.losses[i], `loss ${i}: ${l} vs ${manifest.losses[i]}`));
  const wantParam = npz(manifest.final_params);
  for (const [name, p] of params) {
    const want = wantParam(name);
    // Noise-driven parameters move by at most lr per step in both (Adam normalizes the noise).
    const err = noise.has(name) ? maxDiff(p, initial.get(name)!) / (3 * 1e-3 * 1.01) : maxDiff(p, want) / maxAbs(want);
    assert.ok(err <= (noise.has(name) ? 1 : 1e-4), `param ${name}: relative error ${err}`);
  }
});

test.run();

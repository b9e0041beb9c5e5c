// The training fixture (../shared/fixtures/training): 3 steps of Adam(lr=1e-3) on MSE loss of a
// TransformerNet width 8 in training mode, checked against PyTorch's step-0 gradients, losses and
// final parameters. Shared by the eager nn model and the loaded archive's tests.
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { torch, nn, type Tensor } from '../../src/index.js';
import { tensorFromNpy } from '../../src/sdk/npy.js';
import { readZip } from '../../src/serialize/zip.js';

const dir = '../shared/fixtures/training/';
const bytes = (name: string) => new Uint8Array(readFileSync(dir + name));
const manifest = JSON.parse(readFileSync(dir + 'manifest.json', 'utf8')).cases[0];
const npz = (name: string) => {
  const z = readZip(bytes(name));
  return (key: string) => tensorFromNpy(z.read(`${key}.npy`));
};

/** The bytes of the initial archive (scripted, saved by PyTorch in training mode). */
export const initialArchive = (): Uint8Array => bytes('train_small.initial.pt');

export const maxAbs = (t: Tensor) => (t.dataSync() as Float32Array).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
export const maxDiff = (a: Tensor, b: Tensor) => {
  const x = a.dataSync() as Float32Array, y = b.dataSync() as Float32Array;
  let w = 0;
  for (let i = 0; i < y.length; i++) w = Math.max(w, Math.abs(x[i] - y[i]));
  return w;
};

/**
 * Runs the manifest's recipe on `params` (named as in the archive, holding its initial values)
 * with `forward`, asserting gradients, losses and parameters; `onOutput` sees each step's output.
 */
export function trainAndCheck(params: [string, Tensor][], forward: (x: Tensor) => Tensor, onOutput: (y: Tensor) => void = () => {}): void {
  const initial = new Map(params.map(([n, p]) => [n, torch.no_grad(() => p.clone()) as Tensor]));
  const x = tensorFromNpy(bytes('train_small.input0.npy'));
  const target = tensorFromNpy(bytes('train_small.target.npy'));
  const opt = new torch.optim.Adam(params.map(([, p]) => p), { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0 });
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
      const y = forward(x);
      onOutput(y);
      const loss = lossFn.call(y, target);
      losses.push(Number(loss.item()));
      loss.backward();
      if (step === 0)
        for (const [name, p] of params) {
          const want = wantGrad(name);
          assert.ok(p.grad, `no gradient for ${name}`);
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
}

// torch.optim against PyTorch's update equations (torch/optim/sgd.py, adam.py), written out in JS
// over plain numbers; state_dict layout; StepLR; loss modules.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch, tensor, nn, Tensor } from '../../src/index.js';
import { ArgumentError } from '../../src/sdk/errors.js';

const close = (a: number[], b: number[], tol = 1e-5) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= tol * (1 + Math.abs(b[i])));
const f32 = Math.fround;

/** Runs `steps` updates of `opt` on loss = sum(w * c) + sum(w^2) / 2 (gradient c + w). */
function run(make: (w: Tensor) => any, steps: number, w0 = [1, -2, 3], c = [0.5, -1, 2]): number[] {
  const w = tensor(w0, 'float32').requires_grad_();
  const opt = make(w);
  const ct = tensor(c, 'float32');
  for (let i = 0; i < steps; i++) {
    opt.zero_grad();
    w.mul(ct).sum().add(w.mul(w).sum().div(2)).backward();
    opt.step();
  }
  return w.toArray();
}

test('SGD: momentum, dampening, nesterov, weight decay, maximize', () => {
  for (const o of [{ lr: 0.1 }, { lr: 0.1, momentum: 0.9 }, { lr: 0.1, momentum: 0.9, dampening: 0.3, weight_decay: 0.01 }, { lr: 0.05, momentum: 0.8, nesterov: true }, { lr: 0.1, maximize: true }]) {
    const w = [1, -2, 3], c = [0.5, -1, 2];
    let buf: number[] | null = null;
    for (let s = 0; s < 3; s++) {
      let g = w.map((v, i) => v + c[i]);
      if (o.maximize) g = g.map((v) => -v);
      if (o.weight_decay) g = g.map((v, i) => v + o.weight_decay! * w[i]);
      if (o.momentum) {
        buf = buf ? buf.map((b, i) => b * o.momentum! + (1 - (o.dampening ?? 0)) * g[i]) : [...g];
        g = o.nesterov ? g.map((v, i) => v + o.momentum! * buf![i]) : buf;
      }
      g.forEach((v, i) => (w[i] = f32(w[i] - o.lr * v)));
    }
    assert.ok(close(run((p) => new torch.optim.SGD([p], o), 3), w), JSON.stringify(o));
  }
});

test('Adam and AdamW (amsgrad) follow _single_tensor_adam', () => {
  for (const [Cls, o] of [[torch.optim.Adam, { lr: 0.01 }], [torch.optim.Adam, { lr: 0.01, weight_decay: 0.1, amsgrad: true }], [torch.optim.AdamW, { lr: 0.01 }], [torch.optim.AdamW, { lr: 0.02, weight_decay: 0.5, amsgrad: true }]] as const) {
    const w = [1, -2, 3], c = [0.5, -1, 2], m = [0, 0, 0], v = [0, 0, 0], vmax = [0, 0, 0];
    const [b1, b2] = [0.9, 0.999], eps = 1e-8, wd = (o as any).weight_decay ?? (Cls === torch.optim.AdamW ? 1e-2 : 0);
    for (let t = 1; t <= 4; t++) {
      let g = w.map((x, i) => x + c[i]);
      if (Cls === torch.optim.AdamW) w.forEach((x, i) => (w[i] = x * (1 - o.lr * wd)));
      else g = g.map((x, i) => x + wd * w[i]);
      g.forEach((x, i) => {
        m[i] = m[i] + (1 - b1) * (x - m[i]);
        v[i] = v[i] * b2 + (1 - b2) * x * x;
        vmax[i] = Math.max(vmax[i], v[i]);
        const denom = Math.sqrt((o as any).amsgrad ? vmax[i] : v[i]) / Math.sqrt(1 - b2 ** t) + eps;
        w[i] = w[i] - (o.lr / (1 - b1 ** t)) * (m[i] / denom);
      });
    }
    assert.ok(close(run((p) => new Cls([p], o), 4), w, 1e-4), `${Cls.name} ${JSON.stringify(o)}`);
  }
});

test("state_dict has PyTorch's layout and load_state_dict resumes", () => {
  const a = tensor([1, 2], 'float32').requires_grad_(), b = tensor([3], 'float32').requires_grad_();
  const opt = new torch.optim.Adam([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
  a.sum().add(b.sum()).backward();
  opt.step();
  const sd = opt.state_dict();
  assert.equal(sd.param_groups.map((g) => g.params), [[0], [1]]);
  assert.equal([sd.param_groups[0].lr, sd.param_groups[1].lr, sd.param_groups[0].betas, sd.param_groups[1].amsgrad], [0.1, 0.5, [0.9, 0.999], false]);
  assert.equal(Object.keys(sd.state), ['0', '1']);
  assert.equal(Object.keys(sd.state[0]), ['step', 'exp_avg', 'exp_avg_sq']);
  assert.is(sd.state[0].step, 1);
  const a2 = tensor(a.toArray(), 'float32').requires_grad_(), b2 = tensor(b.toArray(), 'float32').requires_grad_();
  const opt2 = new torch.optim.Adam([{ params: [a2] }, { params: [b2] }], { lr: 0.1 });
  opt2.load_state_dict(sd);
  for (const [o, p, q] of [[opt, a, b], [opt2, a2, b2]] as const) {
    o.zero_grad();
    p.sum().add(q.sum()).backward();
    o.step();
  }
  assert.equal(a2.toArray(), a.toArray());
  assert.equal(b2.toArray(), b.toArray());
});

test('zero_grad, StepLR and argument errors', () => {
  const w = tensor([1, 2], 'float32').requires_grad_();
  const opt = new torch.optim.SGD([w], { lr: 1 });
  w.sum().backward();
  opt.zero_grad(false);
  assert.equal(w.grad!.toArray(), [0, 0]);
  opt.zero_grad();
  assert.is(w.grad, null);
  const sched = new torch.optim.lr_scheduler.StepLR(opt, 2, 0.5);
  const lrs = [0, 1, 2, 3, 4].map(() => {
    sched.step();
    return sched.get_last_lr()[0];
  });
  assert.equal(lrs, [1, 0.5, 0.5, 0.25, 0.25]);
  const argErr = (e: unknown) => e instanceof ArgumentError;
  assert.throws(() => new torch.optim.SGD([], {}), argErr);
  assert.throws(() => new torch.optim.Adam([w], { lr: -1 }), argErr);
  assert.throws(() => new torch.optim.SGD([w.mul(2)], {}), (e: unknown) => e instanceof ArgumentError && /non-leaf/.test((e as Error).message));
});

test('loss modules call torch.nn.functional with their options', () => {
  const x = tensor([[0.2, -1, 3], [1, 0.5, -0.3]], 'float32').requires_grad_();
  const t = tensor([2, -100], 'int64');
  const ce = new nn.CrossEntropyLoss({ ignore_index: -100, label_smoothing: 0.1 });
  const direct = torch.nn.functional.cross_entropy(x, t, { ignore_index: -100, label_smoothing: 0.1 });
  assert.equal(ce.call(x, t).item(), direct.item());
  assert.ok(close([Number(new nn.NLLLoss({ reduction: 'sum' }).call(x, tensor([0, 1], 'int64')).item())], [-(0.2 + 0.5)]));
  const p = tensor([0.2, 0.9], 'float32'), y = tensor([0, 1], 'float32');
  assert.equal(new nn.BCELoss({ reduction: 'none' }).call(p, y).toArray(), torch.nn.functional.binary_cross_entropy(p, y, { reduction: 'none' }).toArray());
  const pw = tensor([2, 3], 'float32');
  assert.equal(new nn.BCEWithLogitsLoss({ pos_weight: pw }).call(p, y).item(), torch.nn.functional.binary_cross_entropy_with_logits(p, y, { pos_weight: pw }).item());
  assert.equal(new nn.L1Loss().call(p, y).item(), torch.nn.functional.l1_loss(p, y).item());
  const mse = new nn.MSELoss({ reduction: 'sum' }).call(x, torch.zeros([2, 3]));
  mse.backward();
  assert.ok(close(x.grad!.toArray().flat(), x.toArray().flat().map((v: number) => 2 * v)));
});

test.run();

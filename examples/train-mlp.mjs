// Trains a 2-layer MLP on a synthetic 3-arm spiral in Node and prints the loss falling.
// Run after `npm run build:ts`: node examples/train-mlp.mjs
import { torch, nn, tensor, manual_seed } from '../build/js/src/index.js';

manual_seed(0);
const ARMS = 3, PER_ARM = 100;
const points = [], labels = [];
for (let k = 0; k < ARMS; k++)
  for (let i = 0; i < PER_ARM; i++) {
    const r = i / PER_ARM, t = (k * 2 * Math.PI) / ARMS + r * 4 + Math.sin(i * 7.3 + k) * 0.2;
    points.push([r * Math.sin(t), r * Math.cos(t)]);
    labels.push(k);
  }
const x = tensor(points, 'float32');
const y = tensor(labels, 'int64');

const model = new nn.Sequential(new nn.Linear(2, 64), new nn.ReLU(), new nn.Linear(64, ARMS));
const lossFn = new nn.CrossEntropyLoss();
const opt = new torch.optim.Adam(model.parameters(), { lr: 0.02 });
const sched = new torch.optim.lr_scheduler.StepLR(opt, 150, 0.5);

const start = Date.now();
for (let epoch = 0; epoch <= 300; epoch++) {
  torch.tidy(() => {
    opt.zero_grad();
    const logits = model.call(x);
    const loss = lossFn.call(logits, y);
    loss.backward();
    opt.step();
    sched.step();
    if (epoch % 30 === 0) {
      const acc = torch.no_grad(() => logits.argmax(1).eq(y).to('float32').mean().item());
      console.log(`epoch ${String(epoch).padStart(3)}  loss ${loss.item().toFixed(4)}  accuracy ${(acc * 100).toFixed(1)}%`);
    }
  });
}
console.log(`done in ${((Date.now() - start) / 1000).toFixed(1)} s`);

// Training a loaded TorchScript archive through the interpreter: the scripted TransformerNet w8
// of the training fixture, its parameters trainable leaves, the interpreter's op rows recording
// eager autograd; 3 Adam steps vs PyTorch, then saved and loaded back with the trained weights.
// (test/jit/autodiff-train.test.ts trains the same archive through the JIT's fused autodiff.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch, jit, type Tensor } from '../../src/index.js';
import type { ScriptModule } from '../../src/jit/index.js';
import { DifferentiableGraphNode } from '../../src/jit/autodiff/graph-node.js';
import { initialArchive, maxDiff, trainAndCheck } from './training-fixture.js';

/**
 * `forward` run by the interpreter. ScriptModule.forward hands calls that need gradients to the
 * JIT autodiff; the method's ScriptFunction is the plain interpreter run (op rows via runRow).
 */
const interpreted = (m: ScriptModule) => (x: Tensor) => m.cls.method('forward')!.call([m, x]) as Tensor;

test('loaded archive trained by the interpreter matches PyTorch; save writes the trained weights', () => {
  const model = jit.loadBytes(initialArchive());
  assert.ok(model.training, 'the fixture archive was saved in training mode');
  const params = model.named_parameters();
  assert.is(params.length, 62);
  for (const [name, p] of params) assert.ok(p.requiresGrad, `${name} is not a trainable leaf`);
  const before = new Map(params.map(([n, p]) => [n, torch.no_grad(() => p.clone()) as Tensor]));

  trainAndCheck(params, interpreted(model), (y) => {
    assert.ok(y.gradFn && !(y.gradFn instanceof DifferentiableGraphNode), `grad_fn ${y.gradFn?.name}: not the interpreter's eager autograd`);
  });

  const saved = jit.save(model);
  assert.equal(model.save(), saved);
  const back = jit.loadBytes(saved);
  const reloaded = back.named_parameters();
  assert.equal(reloaded.map(([n]) => n), params.map(([n]) => n));
  reloaded.forEach(([name, p], i) => {
    assert.is(maxDiff(p, params[i][1]), 0, `saved ${name} differs from the trained one`);
    assert.ok(p.requiresGrad, `reloaded ${name} is not trainable`);
  });
  assert.ok(params.some(([n, p]) => maxDiff(p, before.get(n)!) > 0), 'training changed no parameter');

  // The reloaded module computes what the trained one does (its code and weights round-tripped).
  torch.tidy(() => {
    const x = torch.no_grad(() => torch.rand([1, 3, 32, 32]).mul(255));
    const [a, b] = torch.no_grad(() => [model.forward(x), back.forward(x)]) as Tensor[];
    assert.is(maxDiff(b, a), 0);
  });
});

test.run();

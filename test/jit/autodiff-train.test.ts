// The training fixture (../shared/fixtures/training) in JIT mode: the scripted TransformerNet
// loaded from train_small.initial.pt, its forward differentiated by the JIT (specialised to a
// straight line, fused f and df), Adam(lr=1e-3), MSE loss, 3 steps; gradients, losses and final
// parameters vs PyTorch. test/autograd/train-small.test.ts is the eager-mode twin.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Tensor } from '../../src/index.js';
import { loadBytes } from '../../src/jit/index.js';
import { DifferentiableGraphNode } from '../../src/jit/autodiff/graph-node.js';
import { initialArchive, trainAndCheck } from '../autograd/training-fixture.js';

test('scripted TransformerNet w8 with JIT backward: step-0 gradients, 3 Adam steps of losses and parameters match PyTorch', () => {
  const model = loadBytes(initialArchive());
  assert.ok(model.training);
  trainAndCheck(model.named_parameters(), (x) => model.forward(x) as Tensor, (y) => {
    assert.ok(y.gradFn instanceof DifferentiableGraphNode, `grad_fn ${y.gradFn?.name}`);
  });
});

test.run();

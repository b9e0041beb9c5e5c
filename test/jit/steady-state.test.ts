// DESIGN rule 5: after the first call, a model's forward allocates nothing (its intermediates are
// freed at their last use and their blocks reused through the module's buffer pool).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { jit, torch, engine } from '../../src/index.js';
import { tensorFromNpy } from '../../src/sdk/npy.js';

const FIX = '../shared/fixtures/torchscript';

test('a steady-state forward of the scripted TransformerNet allocates nothing', () => {
  const model = jit.loadFile(`${FIX}/transformer_net_scripted.pt`);
  model.eval();
  const x = tensorFromNpy(new Uint8Array(readFileSync(`${FIX}/transformer_net_scripted.input0.npy`)));
  const run = () => torch.no_grad(() => model.forward(x));
  run().dispose();
  run().dispose();
  const before = engine().stats();
  const y = run();
  const after = engine().stats();
  assert.is(after.allocations - before.allocations, 0, 'allocator calls during a steady-state forward');
  assert.equal(y.shape, [1, 3, 96, 128]);
  y.dispose();
  // Blocks kept for reuse go back to the engine on request.
  const cached = engine().stats().bytesLive;
  model.releaseCachedMemory();
  assert.ok(engine().stats().bytesLive < cached);
});

test.run();

// The bundled demo model (demos/models/style.pt, traced by PyTorch; tools/style/) reproduces the
// output PyTorch computed for the committed input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { jit, torch, type Tensor } from '../../src/index.js';
import { tensorFromNpy } from '../../src/sdk/npy.js';
import { relativeError } from './fixtures.js';

const demo = (name: string) => new Uint8Array(readFileSync(`demos/models/${name}`));

test('the demo style model matches PyTorch on its reference input', () => {
  const model = jit.loadBytes(demo('style.pt'));
  model.eval();
  const x = tensorFromNpy(demo('style.input0.npy'));
  const y = torch.no_grad(() => model.forward(x)) as Tensor;
  const err = relativeError(y, tensorFromNpy(demo('style.output0.npy')));
  assert.ok(err <= 1e-3, `relative error ${err}`);
});

test.run();

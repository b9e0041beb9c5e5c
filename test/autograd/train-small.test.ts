// The training fixture eagerly: TransformerNet width 8 rebuilt with nn modules, given the
// archive's initial parameters; gradients, losses and final parameters vs PyTorch.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TransformerNet } from '../../examples/models/transformer-net.js';
import { loadArchiveWeights } from '../../examples/models/load-weights.js';
import { initialArchive, trainAndCheck } from './training-fixture.js';

test('TransformerNet w8: step-0 gradients, 3 Adam steps of losses and parameters match PyTorch', () => {
  const model = loadArchiveWeights(new TransformerNet(8), initialArchive()).train();
  const params = [...model.namedParameters()];
  assert.is(params.length, 62);
  trainAndCheck(params, (x) => model.call(x));
});

test.run();

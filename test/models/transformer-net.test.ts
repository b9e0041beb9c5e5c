// TransformerNet written with torchwick.nn, loaded with the weights of the fixtures' TorchScript
// archives of the Python model: same state_dict keys, PyTorch's outputs, PyTorch's repr.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch, jit, type Tensor } from '../../src/index.js';
import { TransformerNet } from '../../examples/models/transformer-net.js';
import { loadArchiveWeights } from '../../examples/models/load-weights.js';
import { fixtureDir, npy, relativeError } from './fixtures.js';

for (const [name, width] of [['transformer_net_traced', 32], ['transformer_net_scripted', 16]] as const) {
  test(`${name}: nn-built TransformerNet(${width}) with the archive's weights matches PyTorch`, () => {
    const archive = jit.loadFile(`${fixtureDir}${name}.pt`);
    const model = new TransformerNet(width);
    assert.equal([...model.stateDict().keys()], [...archive.state_dict().keys()]);
    loadArchiveWeights(model, archive).eval();
    assert.equal(model.conv1.conv2d.weight.dataSync(), archive.state_dict().get('conv1.conv2d.weight')!.dataSync());
    torch.tidy(() => {
      const y = torch.no_grad(() => model.call(npy(`${name}.input0`))) as Tensor;
      const err = relativeError(y, npy(`${name}.output0`));
      assert.ok(err <= 1e-3, `relative error ${err}`);
    });
  });
}

test('loading rejects an archive of another width, naming the parameter', () => {
  assert.throws(() => loadArchiveWeights(new TransformerNet(8), `${fixtureDir}transformer_net_scripted.pt`), /size mismatch for conv1\.conv2d\.weight/);
});

test('toString prints like PyTorch repr', () => {
  const text = new TransformerNet(32).toString();
  const head = [
    'TransformerNet(',
    '  (conv1): ConvLayer(',
    '    (reflection_pad): ReflectionPad2d((4, 4, 4, 4))',
    '    (conv2d): Conv2d(3, 32, kernel_size=(9, 9), stride=(1, 1))',
    '  )',
    '  (in1): InstanceNorm2d(32, eps=1e-05, momentum=0.1, affine=True, track_running_stats=False)',
    '  (conv2): ConvLayer(',
    '    (reflection_pad): ReflectionPad2d((1, 1, 1, 1))',
    '    (conv2d): Conv2d(32, 64, kernel_size=(3, 3), stride=(2, 2))',
    '  )',
  ].join('\n');
  assert.is(text.slice(0, head.length), head);
  const res1 = [
    '  (res1): ResidualBlock(',
    '    (conv1): ConvLayer(',
    '      (reflection_pad): ReflectionPad2d((1, 1, 1, 1))',
    '      (conv2d): Conv2d(128, 128, kernel_size=(3, 3), stride=(1, 1))',
    '    )',
    '    (in1): InstanceNorm2d(128, eps=1e-05, momentum=0.1, affine=True, track_running_stats=False)',
  ].join('\n');
  assert.ok(text.includes(res1), text);
  // The upsample factor is a plain attribute in Python: not printed.
  const deconv1 = [
    '  (deconv1): UpsampleConvLayer(',
    '    (reflection_pad): ReflectionPad2d((1, 1, 1, 1))',
    '    (conv2d): Conv2d(128, 64, kernel_size=(3, 3), stride=(1, 1))',
    '  )',
  ].join('\n');
  assert.ok(text.includes(deconv1), text);
  assert.ok(text.endsWith('  (relu): ReLU()\n)'), text);
});

test.run();

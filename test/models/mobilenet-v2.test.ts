// torchvision's MobileNetV2 written with torchwick.nn, loaded with the weights of the fixture's
// traced archive: same state_dict keys (BatchNorm buffers included), PyTorch's output and repr.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch, jit, type Tensor } from '../../src/index.js';
import { MobileNetV2, makeDivisible } from '../../examples/models/mobilenet-v2.js';
import { loadArchiveWeights } from '../../examples/models/load-weights.js';
import { fixtureDir, npy, relativeError } from './fixtures.js';

test('makeDivisible rounds to the divisor, never 10% below', () => {
  assert.equal([32, 1280, 16 * 0.75, 24 * 0.35, 3].map((v) => makeDivisible(v, 8)), [32, 1280, 16, 8, 8]);
  assert.is(makeDivisible(44, 16), 48);
  assert.is(makeDivisible(39, 16), 48); // 32 < 0.9 * 39
});

test('mobilenet_v2_traced: nn-built MobileNetV2 with the archive weights matches PyTorch at 224x224', () => {
  const archive = jit.loadFile(`${fixtureDir}mobilenet_v2_traced.pt`);
  const model = new MobileNetV2();
  const state = archive.state_dict();
  assert.equal([...model.stateDict().keys()], [...state.keys()]);
  loadArchiveWeights(model, archive).eval();
  const mean = model.stateDict().get('features.18.1.running_mean')!;
  assert.equal(mean.dataSync(), state.get('features.18.1.running_mean')!.dataSync());
  torch.tidy(() => {
    const y = torch.no_grad(() => model.call(npy('mobilenet_v2_traced.input0'))) as Tensor;
    assert.equal(y.shape, [1, 1000]);
    const err = relativeError(y, npy('mobilenet_v2_traced.output0'));
    assert.ok(err <= 1e-3, `relative error ${err}`);
  });
});

test('training mode uses batch statistics: the output differs from eval', () => {
  const model = loadArchiveWeights(new MobileNetV2(), `${fixtureDir}mobilenet_v2_traced.pt`);
  torch.tidy(() => {
    const x = npy('mobilenet_v2_traced.input0').expand([2, 3, 224, 224]).contiguous();
    torch.manual_seed(0);
    const train = torch.no_grad(() => model.train().call(x)) as Tensor;
    const evaluated = torch.no_grad(() => model.eval().call(x)) as Tensor;
    assert.ok(relativeError(train, evaluated) > 1e-2);
  });
});

test('toString prints like torchvision repr', () => {
  const text = new MobileNetV2().toString();
  const head = [
    'MobileNetV2(',
    '  (features): Sequential(',
    '    (0): Conv2dNormActivation(',
    '      (0): Conv2d(3, 32, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)',
    '      (1): BatchNorm2d(32, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)',
    '      (2): ReLU6(inplace=True)',
    '    )',
    '    (1): InvertedResidual(',
    '      (conv): Sequential(',
    '        (0): Conv2dNormActivation(',
    '          (0): Conv2d(32, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), groups=32, bias=False)',
    '          (1): BatchNorm2d(32, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)',
    '          (2): ReLU6(inplace=True)',
    '        )',
    '        (1): Conv2d(32, 16, kernel_size=(1, 1), stride=(1, 1), bias=False)',
    '        (2): BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)',
    '      )',
    '    )',
    '    (2): InvertedResidual(',
    '      (conv): Sequential(',
    '        (0): Conv2dNormActivation(',
    '          (0): Conv2d(16, 96, kernel_size=(1, 1), stride=(1, 1), bias=False)',
  ].join('\n');
  assert.is(text.slice(0, head.length), head);
  const tail = [
    '  (classifier): Sequential(',
    '    (0): Dropout(p=0.2, inplace=False)',
    '    (1): Linear(in_features=1280, out_features=1000, bias=True)',
    '  )',
    ')',
  ].join('\n');
  assert.ok(text.endsWith(tail), text.slice(-400));
});

test.run();

import { test } from 'uvu';
import { torch } from '../../src/sdk/torch.js';
import type { Tensor } from '../../src/sdk/tensor.js';
import { printGraph } from '../../src/jit/printer.js';
import { verifyGraph } from '../../src/jit/verify.js';
import { trace } from '../../src/jit/trace/trace.js';
import { makeScriptFunction } from '../../src/jit/script-js/script-function.js';
import { foldConvBatchNorm } from '../../src/jit/passes/fold-conv-batch-norm.js';
import { fileCheck } from './filecheck.js';
import { assertClose } from './trace-helpers.js';

test('conv2d followed by eval-mode batch_norm folds into one conv with the same result', () => {
  torch.manual_seed(0);
  const W = torch.randn([4, 3, 3, 3]), b = torch.randn([4]);
  const gamma = torch.rand([4]).add(0.5), beta = torch.randn([4]), mean = torch.randn([4]), vari = torch.rand([4]).add(0.1);
  const net = (x: Tensor) => torch.batch_norm(torch.conv2d(x, W, b, 1, 1), gamma, beta, mean, vari, false, 0.1, 1e-5, false).relu();
  const x = torch.randn([2, 3, 8, 8]);
  const traced = trace(net, [x], { optimize: false });
  const g = traced.graph.copy();
  fileCheck(printGraph(g), '// CHECK: aten::conv2d\n// CHECK: aten::batch_norm');
  fileCheck(String(foldConvBatchNorm(g)), '// CHECK: 1');
  verifyGraph(g);
  fileCheck(printGraph(g), '// CHECK: aten::conv2d\n// CHECK-NOT: aten::batch_norm\n// CHECK: aten::relu');
  const folded = makeScriptFunction('folded', g, { optimize: false });
  assertClose(folded(x), traced(x), 1e-4, 1e-4);
});

test('batch_norm in training mode, or after a conv whose output is used elsewhere, is left alone', () => {
  const W = torch.ones([2, 1, 1, 1]), s = torch.ones([2]);
  const train = trace((x: Tensor) => torch.batch_norm(torch.conv2d(x, W), s, s, s, s, true, 0.1, 1e-5, false), [torch.ones([1, 1, 2, 2])], { optimize: false });
  fileCheck(String(foldConvBatchNorm(train.graph.copy())), '// CHECK: 0');
  const shared = trace((x: Tensor) => { const c = torch.conv2d(x, W); return torch.batch_norm(c, s, s, s, s, false, 0.1, 1e-5, false).add(c); }, [torch.ones([1, 1, 2, 2])], { optimize: false });
  fileCheck(String(foldConvBatchNorm(shared.graph.copy())), '// CHECK: 0');
});

test.run();

// Conv epilogue fusion: the graph rewrite on traced functions (what fuses, what must not), and on
// the model fixtures frozen for inference, whose outputs must equal the unfused run's and PyTorch's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { torch } from '../../src/sdk/torch.js';
import type { Tensor } from '../../src/sdk/tensor.js';
import { no_grad } from '../../src/autograd/mode.js';
import { printGraph } from '../../src/jit/printer.js';
import { verifyGraph } from '../../src/jit/verify.js';
import { trace } from '../../src/jit/trace/trace.js';
import { makeScriptFunction } from '../../src/jit/script-js/script-function.js';
import { fuseConvEpilogue, fuseNormActivation, freezeModule } from '../../src/jit/passes/fuse-conv-epilogue.js';
import { inferenceFunction } from '../../src/jit/pipeline.js';
import { loadFile } from '../../src/jit/load.js';
import { getFuserMode, setFuserMode } from '../../src/jit/fuser/launch.js';
import { tensorFromNpy } from '../../src/sdk/npy.js';
import { fileCheck } from './filecheck.js';
import { assertClose } from './trace-helpers.js';

const W = () => torch.randn([4, 3, 3, 3]);

test('conv + residual add + relu6 becomes one torchwick::conv2d_act with the same result', () => {
  torch.manual_seed(1);
  const w = W(), b = torch.randn([4]);
  const net = (x: Tensor, r: Tensor) => torch.hardtanh_(torch.add(torch.conv2d(x, w, b, 1, 1), r), 0, 6);
  const x = torch.randn([2, 3, 9, 7]), r = torch.randn([2, 4, 9, 7]).mul(3);
  const traced = trace(net, [x, r], { optimize: false });
  const g = traced.graph.copy();
  assert.is(fuseConvEpilogue(g), 1);
  verifyGraph(g);
  fileCheck(printGraph(g), '// CHECK: torchwick::conv2d_act\n// CHECK-NOT: aten::conv2d\n// CHECK-NOT: aten::add\n// CHECK-NOT: aten::hardtanh_');
  assertClose(makeScriptFunction('fused', g, { optimize: false })(x, r), traced(x, r), 1e-5, 1e-5);
});

test('relu after a strided conv fuses; a grouped conv (no fast path) takes the generic fallback, same values', () => {
  torch.manual_seed(2);
  for (const [w, groups, stride] of [[W(), 1, 2], [torch.randn([4, 2, 3, 3]), 2, 1]] as const) {
    const net = (x: Tensor) => torch.relu(torch.conv2d(x, w, null, stride, 0, 1, groups));
    const x = torch.randn([1, 3 + groups - 1, 11, 10]);
    const traced = trace(net, [x], { optimize: false });
    const g = traced.graph.copy();
    assert.is(fuseConvEpilogue(g), 1);
    assertClose(makeScriptFunction('fused', g, { optimize: false })(x), traced(x), 1e-5, 1e-5);
  }
});

test('reflection pad + conv (fast path, and depthwise through the fallback) fuses with the same result', () => {
  torch.manual_seed(4);
  for (const [w, groups] of [[torch.randn([4, 3, 3, 3]), 1], [torch.randn([3, 1, 3, 3]), 3]] as const) {
    const net = (x: Tensor) => torch.conv2d(torch.nn.functional.pad(x, [2, 2, 1, 1], { mode: 'reflect' }), w, null, 1, 0, 1, groups);
    const x = torch.randn([2, 3, 10, 9]);
    const traced = trace(net, [x], { optimize: false });
    const g = traced.graph.copy();
    assert.is(fuseConvEpilogue(g), 1);
    fileCheck(printGraph(g), '// CHECK-NOT: aten::pad\n// CHECK: torchwick::conv2d_act');
    assertClose(makeScriptFunction('fused', g, { optimize: false })(x), traced(x), 1e-5, 1e-5);
  }
});

test('a conv whose output has another use, or an add with alpha != 1, is left alone', () => {
  const w = W();
  const x = torch.randn([1, 3, 5, 5]);
  const shared = trace((y: Tensor) => { const c = torch.conv2d(y, w); return torch.relu(c).add(c); }, [x], { optimize: false });
  assert.is(fuseConvEpilogue(shared.graph.copy()), 0);
  const r = torch.randn([1, 4, 3, 3]);
  const alpha = trace((y: Tensor, s: Tensor) => torch.add(torch.conv2d(y, w), s, { alpha: 2 }), [x, r], { optimize: false });
  assert.is(fuseConvEpilogue(alpha.graph.copy()), 0);
  const bare = trace((y: Tensor) => torch.conv2d(y, w).sigmoid(), [x], { optimize: false });
  assert.is(fuseConvEpilogue(bare.graph.copy()), 0);
});

test('instance_norm (input statistics) + relu becomes one torchwick::instance_norm_act; running stats are left alone', () => {
  torch.manual_seed(3);
  const w = torch.rand([5]).add(0.5), b = torch.randn([5]);
  const x = torch.randn([2, 5, 7, 9]).mul(4).add(1);
  const traced = trace((y: Tensor) => torch.relu(torch.instance_norm(y, w, b, null, null, true, 0.1, 1e-5, false)), [x], { optimize: false });
  const g = traced.graph.copy();
  assert.is(fuseNormActivation(g), 1);
  verifyGraph(g);
  fileCheck(printGraph(g), '// CHECK: torchwick::instance_norm_act\n// CHECK-NOT: aten::relu');
  assertClose(makeScriptFunction('fused', g, { optimize: false })(x), traced(x), 1e-5, 1e-5);
  const rm = torch.zeros([5]), rv = torch.ones([5]);
  const running = trace((y: Tensor) => torch.relu(torch.instance_norm(y, w, b, rm, rv, false, 0.1, 1e-5, false)), [x], { optimize: false });
  assert.is(fuseNormActivation(running.graph.copy()), 0);
});

const FIXTURES = '../shared/fixtures/torchscript';
const npy = (f: string) => tensorFromNpy(new Uint8Array(readFileSync(`${FIXTURES}/${f}`)));

for (const [name, kind, fusedAtLeast] of [['mobilenet_v2_traced', 'torchwick::inverted_residual', 16], ['transformer_net_traced', 'torchwick::instance_norm_act', 10]] as const) {
  test(`${name}: frozen and fused for inference, equal to the unfused run and to PyTorch`, () => {
    const m = loadFile(`${FIXTURES}/${name}.pt`);
    const x = npy(`${name}.input0.npy`), want = npy(`${name}.output0.npy`);
    const fn = inferenceFunction(m, m.cls.method('forward')!);
    assert.ok(fn, 'an eval-mode module has an inference graph');
    const text = printGraph(fn!.graph);
    assert.ok(text.split(kind).length - 1 >= fusedAtLeast, `${kind} fused ${fusedAtLeast} times or more`);
    assert.not.match(text, /prim::CallMethod|prim::ListConstruct|aten::batch_norm|aten::hardtanh_|aten::relu|aten::pad\b/);
    const mode = getFuserMode();
    try {
      setFuserMode('off');
      const unfused = no_grad(() => m.forward(x)) as Tensor;
      setFuserMode(mode);
      const fused = no_grad(() => m.forward(x)) as Tensor;
      assertClose(fused, unfused, 1e-4, 1e-4);
      assertClose(fused, want, 1e-4, 1e-4);
    } finally {
      setFuserMode(mode);
    }
  });
}

test('the inference graph is rebuilt after a parameter is written in place, and skipped while in training mode', () => {
  const name = 'mobilenet_v2_traced';
  const m = loadFile(`${FIXTURES}/${name}.pt`);
  const x = npy(`${name}.input0.npy`);
  const before = no_grad(() => m.forward(x)) as Tensor;
  const fn = inferenceFunction(m, m.cls.method('forward')!);
  const bias = (m.getattr('classifier') as any).getattr('1').getattr('bias') as Tensor;
  no_grad(() => bias.add_(1));
  assert.is.not(inferenceFunction(m, m.cls.method('forward')!), fn, 'a new graph after the in-place write');
  const after = no_grad(() => m.forward(x)) as Tensor;
  assertClose(after, before.add(1), 1e-4, 1e-4);
  m.train();
  assert.is(inferenceFunction(m, m.cls.method('forward')!), null);
  assert.is(freezeModule(m.graphOf('forward').copy(), m), null);
  m.eval();
  assert.ok(inferenceFunction(m, m.cls.method('forward')!), 'back in eval mode: frozen again');
});

test.run();

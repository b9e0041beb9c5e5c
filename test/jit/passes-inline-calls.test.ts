import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import type { Tensor } from '../../src/sdk/tensor.js';
import { printGraph } from '../../src/jit/printer.js';
import { verifyGraph } from '../../src/jit/verify.js';
import { inlineCalls, methodCallee } from '../../src/jit/passes/inline-calls.js';
import { script } from '../../src/jit/script-js/script.js';
import { fileCheck } from './filecheck.js';

class Inner { w = torch.tensor([2]); forward(x: Tensor) { return x.mul(this.w).relu(); } }
class Middle { inner = new Inner(); forward(x: Tensor) { return this.inner.forward(x).neg(); } }
class Outer { mid = new Middle(); forward(x: Tensor) { return this.mid.forward(x).exp(); } }

test('prim::CallMethod of known graphs is replaced by their nodes, nested calls too', () => {
  const f = script(new Outer(), { optimize: false });
  const g = f.graphBeforePasses.copy();
  fileCheck(printGraph(g), '// CHECK: prim::CallMethod[name="forward"]\n// CHECK-NOT: aten::relu');
  inlineCalls(g);
  verifyGraph(g);
  fileCheck(printGraph(g), `
// CHECK-NOT: prim::CallMethod
// CHECK: prim::GetAttr[name="mid"](%self)
// CHECK: prim::GetAttr[name="inner"]
// CHECK: prim::GetAttr[name="w"]
// CHECK: aten::mul
// CHECK: aten::relu
// CHECK: aten::neg
// CHECK: aten::exp`);
});

test('calls without a known callee stay, and the opt limit stops inlining', () => {
  const f = script(new Outer(), { optimize: false });
  const g = f.graphBeforePasses.copy();
  inlineCalls(g, () => null);
  fileCheck(printGraph(g), '// CHECK: prim::CallMethod');
  const h = f.graphBeforePasses.copy();
  let budget = 1;
  inlineCalls(h, methodCallee, () => budget-- > 0);
  assert.ok(!printGraph(h).includes('aten::relu'), 'the budget was spent on the outer call only');
});

test.run();

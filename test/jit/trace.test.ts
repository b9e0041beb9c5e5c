import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { printGraph } from '../../src/jit/printer.js';
import { verifyGraph } from '../../src/jit/verify.js';
import { trace } from '../../src/jit/trace/trace.js';
import { TracingError, TRACER_WARNING } from '../../src/jit/trace/errors.js';
import { fileCheck } from './filecheck.js';
import { assertClose, captureWarnings, fixture, manifestCase, talk } from './trace-helpers.js';

/** Graph text without value names and source locations: what PyTorch's and ours share. */
export function structure(text: string): string {
  return text.replace(/%[\w.]+/g, '%').replace(/ # .*$/gm, '');
}

const print = (g: Parameters<typeof printGraph>[0]) => printGraph(g, { sourceLocations: false });

test('tracing the talk\'s myfn unrolls the loop into five aten::mul nodes, as PyTorch prints it', async () => {
  const { myfn } = await talk();
  const x = fixture('loop_traced.input0.npy');
  const f = trace(myfn, [x]);
  verifyGraph(f.graph);
  const text = printGraph(f.graphBeforePasses);
  fileCheck(text, '// CHECK-COUNT-5: aten::mul\n// CHECK-NOT: aten::mul\n// CHECK-NOT: prim::Loop');
  assert.is(structure(text), structure(manifestCase('loop_traced').graph!));
  assert.match(text, /# talk\.js:\d+:0/); // the user's line, as PyTorch records the Python frame
  assertClose(f(x), fixture('loop_traced.output0.npy'));
});

test('traced ratio_iou matches PyTorch\'s iou_traced output', async () => {
  const { ratioIou } = await talk();
  const ins = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => fixture(`iou_traced.input${i}.npy`));
  const f = trace(ratioIou, ins);
  fileCheck(print(f.graphBeforePasses), `
// CHECK: aten::max
// CHECK: aten::max
// CHECK: aten::add
// CHECK: aten::min
// CHECK: aten::clamp
// CHECK: aten::div`);
  assertClose(f(...ins), fixture('iou_traced.output0.npy'));
});

test('the traced graph generalizes to other inputs of the same shape', () => {
  const f = trace((a: Tensor, b: Tensor) => a.add(b).relu(), [torch.tensor([1, -2]), torch.tensor([1, 1])]);
  assert.equal(f(torch.tensor([-5, 3]), torch.tensor([1, 1])).toArray(), [0, 4]);
});

test('non-tensor arguments become constants; lists of tensors a prim::ListConstruct', () => {
  const f = trace((a: Tensor, b: Tensor) => torch.cat([a, b], 0).mul(2), [torch.tensor([1]), torch.tensor([2])]);
  fileCheck(print(f.graphBeforePasses), `
// CHECK: prim::ListConstruct(%a, %b)
// CHECK: prim::Constant[value=0]
// CHECK: aten::cat
// CHECK: prim::Constant[value=2]
// CHECK: aten::mul`);
  assert.equal(f(torch.tensor([3]), torch.tensor([4])).toArray(), [6, 8]);
});

test('a tensor captured from outside the function is a constant of the trace', () => {
  const bias = torch.tensor([10, 20]);
  const f = trace((x: Tensor) => x.add(bias), [torch.tensor([1, 2])]);
  fileCheck(print(f.graphBeforePasses), '// CHECK: prim::Constant[value=<Tensor>]\n// CHECK: aten::add');
  assert.equal(f(torch.tensor([0, 1])).toArray(), [10, 21]);
});

test('reading a tensor into JavaScript warns once per call site, with PyTorch\'s wording', () => {
  const fn = (x: Tensor) => {
    let y = x;
    for (let i = 0; i < 3; i++) if (y.sum().item() > 0) y = y.neg();
    return y;
  };
  const { result, warnings } = captureWarnings(() => trace(fn, [torch.tensor([1, 2])]));
  assert.is(warnings.length, 1);
  assert.ok(warnings[0].includes(TRACER_WARNING));
  assert.ok(TRACER_WARNING.includes('Converting a tensor to a JavaScript number might cause the trace to be incorrect.'));
  fileCheck(print(result.graphBeforePasses), '// CHECK-COUNT-1: aten::neg\n// CHECK-NOT: aten::neg');
  const cmp = captureWarnings(() => trace((x: Tensor) => ((x.sum() as unknown as number) > 0 ? x.neg() : x), [torch.tensor([1])]));
  assert.is(cmp.warnings.length, 1, 'a comparison that reads the tensor warns too');
});

test('nested inputs are unpacked and nested outputs constructed, as PyTorch flattens them', () => {
  const fn = ([a, b]: Tensor[], d: Record<string, Tensor>) => ({ sum: a.add(b), prod: d.w.mul(a) });
  const f = trace(fn, [[torch.tensor([1]), torch.tensor([2])], { w: torch.tensor([3]) }]);
  const text = print(f.graphBeforePasses);
  fileCheck(text, `
// CHECK: Dict(str, Tensor)
// CHECK: prim::TupleUnpack
// CHECK: aten::__getitem__
// CHECK: prim::DictConstruct`);
  verifyGraph(f.graph);
  const out = f([torch.tensor([1]), torch.tensor([5])], { w: torch.tensor([2]) }) as Record<string, Tensor>;
  assert.equal([out.sum.toArray(), out.prod.toArray()], [[6], [2]]);
  const tupleOut = trace((a: Tensor) => [a.neg(), [a.exp()]], [torch.tensor([0])]);
  fileCheck(print(tupleOut.graphBeforePasses), '// CHECK: prim::TupleConstruct\n// CHECK: prim::TupleConstruct');
  const [n, [e]] = tupleOut(torch.tensor([0])) as [Tensor, [Tensor]];
  assert.equal([n.toArray(), e.toArray()], [[-0], [1]]);
});

test('tracing a module reads its parameters through prim::GetAttr and keeps submodule scopes', () => {
  class Scale { weight = torch.tensor([2, 3]); forward(x: Tensor) { return x.mul(this.weight); } }
  class Net {
    scale = new Scale();
    bias = torch.tensor([1, 1]);
    forward(x: Tensor) { return this.scale.forward(x).add(this.bias); }
  }
  const net = new Net();
  const f = trace(net, [torch.tensor([1, 2])]);
  const text = print(f.graphBeforePasses);
  fileCheck(text, `
// CHECK: graph(%self : __torch__.Net
// CHECK: prim::GetAttr[name="scale"](%self)
// CHECK: prim::GetAttr[name="weight"](%scale)
// CHECK: aten::mul
// CHECK-SAME: scope: __module.scale
// CHECK: prim::GetAttr[name="bias"](%self)
// CHECK: aten::add`);
  assert.equal(f(torch.tensor([1, 1])).toArray(), [3, 4]);
  net.bias = torch.tensor([0, 0]); // parameters are read at call time, not baked in
  assert.equal(f(torch.tensor([1, 1])).toArray(), [2, 3]);
  assert.is(typeof Object.getOwnPropertyDescriptor(net.scale, 'forward'), 'undefined', 'scope hooks are removed');
});

test('returning a non-tensor is a TracingError naming what was returned', () => {
  captureWarnings(() => assert.throws(() => trace((x: Tensor) => x.sum().item(), [torch.tensor([1])]), (e: Error) => e instanceof TracingError && /returned number 1/.test(e.message)));
  assert.throws(() => trace((x: Tensor) => [x, 'a'], [torch.tensor([1])]), (e: Error) => e instanceof TracingError && /string "a"/.test(e.message));
  assert.throws(() => trace((x: Tensor, n: number) => x.mul(n), [torch.tensor([1]), 3]), (e: Error) => e instanceof TracingError && /input n: number 3/.test(e.message));
  assert.throws(() => trace({ notAFunction: 1 } as any, [torch.tensor([1])]), (e: Error) => e instanceof TracingError && /got object/.test(e.message));
});

test('a failed trace leaves no tracer installed', () => {
  try { trace(() => { throw new Error('boom'); }, [torch.tensor([1])]); } catch { /* expected */ }
  const f = trace((x: Tensor) => x.neg(), [torch.tensor([1])]);
  fileCheck(print(f.graphBeforePasses), '// CHECK-COUNT-1: aten::neg');
  torch.tensor([1]).neg(); // eager calls after tracing are not recorded anywhere
  fileCheck(print(f.graphBeforePasses), '// CHECK-COUNT-1: aten::neg\n// CHECK-NOT: aten::neg');
});

test.run();

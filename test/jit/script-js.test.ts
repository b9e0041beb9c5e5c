import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { Linear } from '../../src/sdk/nn/layers/linear.js';
import { Parameter } from '../../src/sdk/nn/module.js';
import { loadFile } from '../../src/jit/load.js';
import { printGraph } from '../../src/jit/printer.js';
import { verifyGraph } from '../../src/jit/verify.js';
import { script } from '../../src/jit/script-js/script.js';
import { ScriptError, ScriptSyntaxError } from '../../src/jit/script-js/errors.js';
import { fileCheck } from './filecheck.js';
import { assertClose, fixture, manifestCase, talk } from './trace-helpers.js';

const print = (g: Parameters<typeof printGraph>[0]) => printGraph(g, { sourceLocations: false });
/** Non-constant lines without names, and the constants as a sorted list: PyTorch orders them differently. */
function structure(text: string): { body: string; constants: string[] } {
  const lines = text.replace(/%[\w.]+/g, '%').replace(/ # .*$/gm, '').split('\n');
  return { body: lines.filter((l) => !l.includes('prim::Constant')).join('\n'), constants: lines.filter((l) => l.includes('prim::Constant')).map((l) => l.trim()).sort() };
}

test('scripting the talk\'s loop keeps a prim::Loop, as PyTorch\'s script_fn graph', async () => {
  const { scriptFn } = await talk();
  const f = script(scriptFn);
  verifyGraph(f.graph);
  // PyTorch's printed graph is before fusion: compare with the pipeline's fuse step turned off.
  process.env.JIT_OPT_LIMIT = 'fuse=0';
  const unfused = script(scriptFn);
  delete process.env.JIT_OPT_LIMIT;
  assert.equal(structure(print(unfused.graph)), structure(manifestCase('loop_scripted').graph!));
  const x = fixture('loop_scripted.input0.npy');
  assertClose(f(x), fixture('loop_scripted.output0.npy'));
  assert.match(printGraph(f.graph), /prim::Loop\(.*\) # scriptFn:\d+:\d+/);
  fileCheck(f.code, '// CHECK: def scriptFn(x: Tensor) -> Tensor:\n// CHECK: for i in range(5):\n// CHECK: torch.mul(');
});

test('the scripted ratio_iou matches PyTorch\'s iou_scripted output and code', async () => {
  const { ratioIouScripted } = await talk();
  const f = script(ratioIouScripted);
  const ins = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => fixture(`iou_scripted.input${i}.npy`));
  assertClose(f(...ins), fixture('iou_scripted.output0.npy'));
  fileCheck(f.code, `
// CHECK: xi = torch.max(x1, x2)
// CHECK: torch.min(torch.add(x1, w1), torch.add(x2, w2))
// CHECK: torch.clamp(torch.sub(_0, xi), 0, inf)
// CHECK: torch.clamp(areaU, 1.0000000000000001e-05, inf)`);
});

test('the control-flow module scripted from JavaScript matches PyTorch\'s control_flow_scripted', async () => {
  const { ControlFlow } = await talk();
  const saved = loadFile('../shared/fixtures/torchscript/control_flow_scripted.pt');
  const lin = new Linear(16, 16);
  const attrs = (saved.attrs.get('lin') as { attrs: Map<string, Tensor> }).attrs;
  lin.weight = new Parameter(attrs.get('weight')!);
  lin.bias = new Parameter(attrs.get('bias')!);
  const f = script(new ControlFlow(lin), { types: { n: 'int' } });
  fileCheck(print(f.graphBeforePasses), `
// CHECK: graph(%self : __torch__.ControlFlow,
// CHECK: %n : int
// CHECK: prim::ListConstruct()
// CHECK: prim::Loop(%n
// CHECK: prim::CallMethod[name="forward"]
// CHECK: prim::If
// CHECK: aten::append
// CHECK: prim::Loop(
// CHECK: aten::lt
// CHECK: aten::stack`);
  fileCheck(print(f.graph), '// CHECK-NOT: prim::CallMethod\n// CHECK: aten::linear');
  verifyGraph(f.graph);
  assertClose(f(fixture('control_flow_scripted.input0.npy'), 3), fixture('control_flow_scripted.output0.npy'), 1e-4, 1e-4);
});

test('if/else, early return, ternary and logical operators', () => {
  function f(x: Tensor, n = 0) {
    if (n < 0) return x.neg();
    const y = n > 2 && n < 10 ? x.mul(n) : x.add(1);
    if (n === 5) {
      return y.mul(2);
    }
    return y;
  }
  const s = script(f);
  verifyGraph(s.graph);
  const x = torch.tensor([1, 2]);
  assert.equal(s(x, -1).toArray(), [-1, -2]);
  assert.equal(s(x, 3).toArray(), [3, 6]);
  assert.equal(s(x, 5).toArray(), [10, 20]);
  assert.equal(s(x, 1).toArray(), [2, 3]);
  fileCheck(print(s.graph), '// CHECK: prim::If\n// CHECK: prim::If');
});

test('while, break, continue, for...of over an array, push and destructuring', () => {
  function f(x: Tensor, n = 0) {
    const parts: any[] = [];
    let i = 0;
    while (true) {
      i += 1;
      if (i > n) break;
      if (i % 2 === 0) continue;
      parts.push(x.mul(i));
    }
    let total: any = x.mul(0);
    for (const p of parts) total = total + p;
    const [a, b]: any[] = [total, x];
    return a - b;
  }
  const s = script(f);
  verifyGraph(s.graph);
  // odd i <= 5: 1, 3, 5 -> x * 9 - x
  assert.equal(s(torch.tensor([1, 2]), 5).toArray(), [8, 16]);
  assert.equal(s(torch.tensor([1, 2]), 0).toArray(), [-1, -2]);
});

test('for loops with a start and a step count like range(start, end, step)', () => {
  function f(x: Tensor) {
    let acc = 0;
    for (let i = 2; i <= 8; i += 3) acc = acc + i; // 2 + 5 + 8
    return x.mul(acc);
  }
  assert.equal(script(f)(torch.tensor([1])).toArray(), [15]);
});

test('globals, Math and keyword arguments', () => {
  const scale = 3;
  function f(x: Tensor) {
    return torch.clamp(x.mul(scale), { min: 0, max: Math.PI }).sum({ dtype: 'float64' });
  }
  const s = script(f, { globals: { scale } });
  const out = s(torch.tensor([-1, 0.5, 2])) as Tensor;
  assert.is(out.dtype, 'float64');
  assert.ok(Math.abs((out.item() as number) - (1.5 + Math.PI)) < 1e-6);
});

test('unsupported syntax is a ScriptSyntaxError with line, column and construct', () => {
  const bad: [string, (...a: any[]) => any][] = [
    ['try/catch', function f(x: Tensor) { try { return x; } catch { return x; } }],
    ['an async function', async function f(x: Tensor) { return x; }],
    ['a generator function', function* f(x: Tensor) { yield x; }],
    ['a closure', function f(x: Tensor) { const g = () => x; return g(); }],
    ['a class', function f(x: Tensor) { class A {} return x.mul(new A() as any); }],
    ['object destructuring', function f(x: Tensor) { const { a } = { a: x }; return a; }],
    ['eval', function f(x: Tensor) { return eval('x'); }],
  ];
  for (const [construct, fn] of bad) {
    assert.throws(() => script(fn), (e: Error) => e instanceof ScriptSyntaxError && e.construct === construct && /\(at f:\d+:\d+\)/.test(e.message), construct);
  }
  assert.throws(() => script(new Function('x', 'with (x) { return x; }') as any), (e: Error) => e instanceof ScriptSyntaxError && (e as ScriptSyntaxError).construct === 'with');
});

test('an unknown identifier or a bad call is a ScriptError naming it', () => {
  const hidden = 2;
  assert.throws(() => script(function f(x: Tensor) { return x.mul(hidden); }), (e: Error) => e instanceof ScriptError && /undefined identifier 'hidden'/.test(e.message));
  assert.throws(() => script(function f(x: Tensor) { return torch.no_such_op(x); }), (e: Error) => e instanceof ScriptError && /aten::no_such_op/.test(e.message));
  assert.throws(() => script(function f(x: Tensor) { return torch.mul(x, 'a'); }), (e: Error) => e instanceof ScriptError && /aten::mul\(Tensor, str\)/.test(e.message));
  assert.throws(() => script(function f(x: Tensor, n = 0) { let y = x; if (n > 0) y = 1 as any; return y; }), (e: Error) => e instanceof ScriptError && /'y' is int in the true branch and Tensor/.test(e.message));
  assert.throws(() => script(new Function('x', 'const y = x; y = x; return y;') as any), (e: Error) => e instanceof ScriptError && /constant variable 'y'/.test(e.message));
});

test('a module whose submodule fails to script raises and leaves the module untouched', () => {
  class Bad { forward(x: Tensor) { return x.mul(undefinedThing); } }
  class Outer { sub = new Bad(); forward(x: Tensor) { return this.sub.forward(x); } }
  const m = new Outer();
  assert.throws(() => script(m), (e: Error) => e instanceof ScriptError && /Bad\.forward/.test(e.message));
  assert.equal(Object.keys(m), ['sub']);
  class Good { w = torch.tensor([2]); forward(x: any) { return x * this.w; } }
  (m as any).sub = new Good();
  assert.equal(script(m)(torch.tensor([3])).toArray(), [6]);
});

declare const undefinedThing: number;

test.run();

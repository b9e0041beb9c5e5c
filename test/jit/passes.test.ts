import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseGraph } from '../../src/jit/graph-parser.js';
import type { Graph } from '../../src/jit/ir.js';
import { canonicalize } from '../../src/jit/passes/canonicalize.js';
import { eliminateCommonSubexpressions } from '../../src/jit/passes/eliminate-common-subexpressions.js';
import { eliminateDeadCode } from '../../src/jit/passes/eliminate-dead-code.js';
import { printGraph } from '../../src/jit/printer.js';
import { verifyGraph } from '../../src/jit/verify.js';
import { fileCheck } from './filecheck.js';

/** Parses `src`, runs `pass`, verifies the result and returns its printed text. */
function run(src: string, pass: (g: Graph) => Graph | void): string {
  const g = parseGraph(src);
  const out = pass(g) ?? g;
  verifyGraph(out);
  return printGraph(out);
}

test('dce removes unused pure nodes, in cascade, and keeps side effects', () => {
  const out = run(`graph(%x : Tensor, %l : Tensor[]):
  %a : Tensor = aten::neg(%x)
  %b : Tensor = aten::exp(%a)
  %s : str = prim::Constant[value="hi"]()
   = prim::Print(%s)
  %l2 : Tensor[] = aten::append(%l, %x)
  %c : Tensor = aten::relu(%x)
  return (%c)
`, eliminateDeadCode);
  fileCheck(out, `
// CHECK-NOT: aten::neg
// CHECK-NOT: aten::exp
// CHECK: prim::Constant[value="hi"]
// CHECK-NEXT: prim::Print(%s)
// CHECK-NEXT: aten::append
// CHECK-NEXT: aten::relu`);
});

test('dce takes a side-effect predicate', () => {
  const out = run(`graph(%x : Tensor):
  %a : Tensor = my::log(%x)
  %b : Tensor = aten::neg(%x)
  return (%x)
`, (g) => eliminateDeadCode(g, (n) => n.kind.startsWith('my::')));
  fileCheck(out, '// CHECK: my::log\n// CHECK-NOT: aten::neg');
});

test('dce drops unused If outputs and then the nodes that fed them', () => {
  const out = run(`graph(%c : bool, %x : Tensor):
  %y : Tensor, %z : Tensor = prim::If(%c)
    block0():
      %p : Tensor = aten::neg(%x)
      %q : Tensor = aten::exp(%x)
      -> (%p, %q)
    block1():
      -> (%x, %x)
  return (%z)
`, eliminateDeadCode);
  assert.is(out, `graph(%c : bool,
      %x : Tensor):
  %z : Tensor = prim::If(%c)
    block0():
      %q : Tensor = aten::exp(%x)
      -> (%q)
    block1():
      -> (%x)
  return (%z)
`);
});

test('dce drops unused loop-carried values and whole dead loops, keeps loops with effects', () => {
  const out = run(`graph(%x.1 : Tensor,
      %n : int):
  %2 : bool = prim::Constant[value=1]()
  %x : Tensor, %y : Tensor = prim::Loop(%n, %2, %x.1, %x.1)
    block0(%i : int, %x.3 : Tensor, %y.3 : Tensor):
      %x.5 : Tensor = aten::mul(%x.3, %x.3)
      %y.5 : Tensor = aten::add(%y.3, %x.3, %n)
      -> (%2, %x.5, %y.5)
  %dead : Tensor = prim::Loop(%n, %2, %x.1)
    block0(%j : int, %d.1 : Tensor):
      %d.2 : Tensor = aten::neg(%d.1)
      -> (%2, %d.2)
   = prim::Loop(%n, %2)
    block0(%k : int):
       = prim::Print(%k)
      -> (%2)
  return (%x)
`, eliminateDeadCode);
  assert.is(out, `graph(%x.1 : Tensor,
      %n : int):
  %2 : bool = prim::Constant[value=1]()
  %x : Tensor = prim::Loop(%n, %2, %x.1)
    block0(%i : int, %x.3 : Tensor):
      %x.5 : Tensor = aten::mul(%x.3, %x.3)
      -> (%2, %x.5)
   = prim::Loop(%n, %2)
    block0(%k : int):
       = prim::Print(%k)
      -> (%2)
  return (%x)
`);
});

test('dce keeps a carried value the body reads', () => {
  const src = `graph(%x.1 : Tensor,
      %n : int):
  %2 : bool = prim::Constant[value=1]()
  %x : Tensor, %y : Tensor = prim::Loop(%n, %2, %x.1, %x.1)
    block0(%i : int, %x.3 : Tensor, %y.3 : Tensor):
      %x.5 : Tensor = aten::mul(%x.3, %y.3)
      -> (%2, %x.5, %y.3)
  return (%x)
`;
  assert.is(run(src, eliminateDeadCode), src);
});

test('cse merges equal pure nodes and constants', () => {
  const out = run(`graph(%x : Tensor):
  %1 : int = prim::Constant[value=1]()
  %2 : int = prim::Constant[value=1]()
  %3 : float = prim::Constant[value=1.]()
  %a : Tensor = aten::add(%x, %x, %1)
  %b : Tensor = aten::add(%x, %x, %2)
  %c : Tensor = aten::add(%x, %x, %3)
  %d : Tensor = aten::mul(%a, %b)
  %e : Tensor = aten::mul(%d, %c)
  return (%e)
`, eliminateCommonSubexpressions);
  assert.is(out, `graph(%x : Tensor):
  %1 : int = prim::Constant[value=1]()
  %3 : float = prim::Constant[value=1.]()
  %a : Tensor = aten::add(%x, %x, %1)
  %c : Tensor = aten::add(%x, %x, %3)
  %d : Tensor = aten::mul(%a, %a)
  %e : Tensor = aten::mul(%d, %c)
  return (%e)
`);
});

test('cse respects block scoping: inner nodes reuse outer ones, siblings stay apart', () => {
  const out = run(`graph(%c : bool, %x : Tensor):
  %a : Tensor = aten::neg(%x)
  %y : Tensor = prim::If(%c)
    block0():
      %p : Tensor = aten::neg(%x)
      %r : Tensor = aten::exp(%p)
      -> (%r)
    block1():
      %q : Tensor = aten::exp(%x)
      -> (%q)
  %z : Tensor = aten::exp(%x)
  %w : Tensor = aten::add(%y, %z, %a)
  return (%w)
`, eliminateCommonSubexpressions);
  fileCheck(out, `
// CHECK: %a : Tensor = aten::neg(%x)
// CHECK: block0():
// CHECK-NEXT: %r : Tensor = aten::exp(%a)
// CHECK: block1():
// CHECK-NEXT: %q : Tensor = aten::exp(%x)
// CHECK: %z : Tensor = aten::exp(%x)`);
});

test('cse leaves random ops, effects and values that may be mutated alone', () => {
  const random = `graph(%x : Tensor):
  %1 : float = prim::Constant[value=0.5]()
  %2 : bool = prim::Constant[value=1]()
  %a : Tensor = aten::dropout(%x, %1, %2)
  %b : Tensor = aten::dropout(%x, %1, %2)
  %c : Tensor = aten::add(%a, %b, %1)
  return (%c)
`;
  assert.is(run(random, eliminateCommonSubexpressions), random);
  const mutated = `graph(%x : Tensor):
  %1 : int = prim::Constant[value=1]()
  %2 : int = prim::Constant[value=1]()
  %a : Tensor = aten::mul(%x, %x)
  %b : Tensor = aten::add_(%x, %a, %1)
  %c : Tensor = aten::mul(%x, %x)
  %d : Tensor = aten::add(%c, %a, %2)
  return (%d)
`;
  fileCheck(run(mutated, eliminateCommonSubexpressions), `
// CHECK: %1 : int = prim::Constant
// CHECK-NOT: %2 : int = prim::Constant
// CHECK: %c : Tensor = aten::mul(%x, %x)
// CHECK: aten::add(%c, %a, %1)`);
});

test('canonicalize renumbers unnamed values in program order', () => {
  const src = `graph(%x.1 : Tensor):
  %4 : bool = prim::Constant[value=1]() # gen_models.py:113:4
  %1 : int = prim::Constant[value=5]() # gen_models.py:113:19
  %x : Tensor = prim::Loop(%1, %4, %x.1) # gen_models.py:113:4
    block0(%i : int, %x.13 : Tensor):
      %x.7 : Tensor = aten::mul(%x.13, %x.13) # gen_models.py:114:12
      -> (%4, %x.7)
  return (%x)
`;
  assert.is(run(src, (g) => canonicalize(g)), src.replace(/%4\b/g, '%N').replace(/%1\b/g, '%2').replace(/%N/g, '%1'));
  assert.is(run(src, (g) => canonicalize(g, false)), `graph(%0 : Tensor):
  %1 : bool = prim::Constant[value=1]() # gen_models.py:113:4
  %2 : int = prim::Constant[value=5]() # gen_models.py:113:19
  %3 : Tensor = prim::Loop(%2, %1, %0) # gen_models.py:113:4
    block0(%4 : int, %5 : Tensor):
      %6 : Tensor = aten::mul(%5, %5) # gen_models.py:114:12
      -> (%1, %6)
  return (%3)
`);
  const g = parseGraph(src);
  canonicalize(g);
  assert.is(printGraph(g), src, 'canonicalize returns a new graph and leaves its input alone');
});

test('canonicalize numbers fusion group bodies on their own', () => {
  const out = run(`graph(%a : Tensor, %b : Tensor):
  %7 : Tensor = prim::FusionGroup_0(%a, %b)
  return (%7)
with prim::FusionGroup_0 = graph(%3 : Tensor,
      %5 : Tensor):
  %9 : Tensor = aten::mul(%3, %5)
  return (%9)
`, (g) => canonicalize(g));
  fileCheck(out, `
// CHECK: %2 : Tensor = prim::FusionGroup_0(%a, %b)
// CHECK: with prim::FusionGroup_0 = graph(%0 : Tensor,
// CHECK-NEXT: %1 : Tensor):
// CHECK-NEXT: %2 : Tensor = aten::mul(%0, %1)`);
});

test('passes leave the fixture graphs alone where nothing applies', () => {
  const manifest = JSON.parse(readFileSync('../shared/fixtures/torchscript/manifest.json', 'utf8'));
  for (const c of manifest.cases.filter((x) => x.graph)) {
    assert.is(run(c.graph, eliminateDeadCode), c.graph);
    assert.is(run(c.graph, eliminateCommonSubexpressions), c.graph);
    assert.is(run(run(c.graph, (g) => canonicalize(g)), (g) => canonicalize(g)), run(c.graph, (g) => canonicalize(g)));
  }
});

test('an If whose branch raises stays, without its unused outputs', () => {
  const out = run(`graph(%c : bool, %x : Tensor):
  %s : str = prim::Constant[value="bad"]()
  %y : Tensor = prim::If(%c)
    block0():
       = prim::RaiseException(%s)
      -> (%x)
    block1():
      %n : Tensor = aten::neg(%x)
      -> (%n)
  return (%x)
`, eliminateDeadCode);
  fileCheck(out, `
// CHECK: = prim::If(%c)
// CHECK-NEXT: block0():
// CHECK-NEXT: prim::RaiseException(%s)
// CHECK-NEXT: -> ()
// CHECK-NEXT: block1():
// CHECK-NEXT: -> ()`);
});

test('filecheck reports what it could not find', () => {
  assert.throws(() => fileCheck('a\nb\nc', '// CHECK: a\n// CHECK-NEXT: c'), /not on the next line/);
  assert.throws(() => fileCheck('a\nb\nc', '// CHECK: a\n// CHECK-NOT: b\n// CHECK: c'), /CHECK-NOT: found 'b'/);
  assert.throws(() => fileCheck('a b', '// CHECK-COUNT-2: a'), /not found/);
  fileCheck('a x\nb\na', '// CHECK: a\n// CHECK-SAME: x\n// CHECK-NEXT: b\n// CHECK-NOT: z\n// CHECK: a');
});

test.run();

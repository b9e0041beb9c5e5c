import { test } from 'uvu';
import { parseGraph } from '../../src/jit/graph-parser.js';
import { printGraph } from '../../src/jit/printer.js';
import { verifyGraph } from '../../src/jit/verify.js';
import { propagateConstants } from '../../src/jit/passes/propagate-constants.js';
import { eliminateDeadCode } from '../../src/jit/passes/eliminate-dead-code.js';
import { fileCheck } from './filecheck.js';

function run(src: string): string {
  const g = parseGraph(src);
  propagateConstants(g);
  eliminateDeadCode(g);
  verifyGraph(g);
  return printGraph(g);
}

test('folds scalar arithmetic whose inputs are constants', () => {
  fileCheck(run(`graph(%x : Tensor):
  %a : int = prim::Constant[value=2]()
  %b : int = prim::Constant[value=3]()
  %c : int = aten::mul(%a, %b)
  %d : int = aten::add(%c, %a)
  %y : Tensor = aten::mul(%x, %d)
  return (%y)
`), `
// CHECK: prim::Constant[value=8]()
// CHECK-NOT: aten::add
// CHECK: aten::mul(%x,`);
});

test('a prim::If on a constant condition becomes the branch taken', () => {
  fileCheck(run(`graph(%x : Tensor):
  %t : bool = prim::Constant[value=0]()
  %z : Tensor = prim::If(%t)
    block0():
      %p : Tensor = aten::neg(%x)
      -> (%p)
    block1():
      %q : Tensor = aten::relu(%x)
      -> (%q)
  return (%z)
`), '// CHECK-NOT: prim::If\n// CHECK-NOT: aten::neg\n// CHECK: aten::relu(%x)');
});

test('folds tensor ops on constant tensors; keeps ops that throw, random ops and fresh tensors', () => {
  fileCheck(run(`graph(%x : Tensor):
  %a : int = prim::Constant[value=1]()
  %z : int = prim::Constant[value=0]()
  %q : int = aten::floordiv(%a, %z)
  %s : int[] = prim::Constant[value=[2, 2]]()
  %n : NoneType = prim::Constant()
  %r : Tensor = aten::rand(%s, %n, %n, %n, %n)
  %o : Tensor = aten::ones(%s, %n, %n, %n, %n)
  %t : Tensor = aten::add(%r, %o, %q)
  return (%t)
`), '// CHECK: aten::floordiv\n// CHECK: aten::rand\n// CHECK: aten::ones');
});

test.run();

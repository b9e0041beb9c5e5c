import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseGraph } from '../../src/jit/graph-parser.js';
import { printGraph } from '../../src/jit/printer.js';
import { verifyGraph } from '../../src/jit/verify.js';
import { peephole, PEEPHOLE_RULES, type PeepholeRule } from '../../src/jit/passes/peephole.js';
import { eliminateDeadCode } from '../../src/jit/passes/eliminate-dead-code.js';
import { fileCheck } from './filecheck.js';

function run(src: string, rules?: PeepholeRule[], allow?: () => boolean): string {
  const g = parseGraph(src);
  peephole(g, rules, allow);
  eliminateDeadCode(g);
  verifyGraph(g);
  return printGraph(g);
}

const ARITH = `graph(%x : Float(2, 3)):
  %one : int = prim::Constant[value=1]()
  %zero : int = prim::Constant[value=0]()
  %onef : float = prim::Constant[value=1.]()
  %a : Float(2, 3) = aten::mul(%x, %one)
  %b : Float(2, 3) = aten::add(%a, %zero, %one)
  %c : Float(2, 3) = aten::div(%b, %onef)
  %d : Float(2, 3) = aten::sub(%c, %zero, %one)
  return (%d)
`;

test('x*1, x+0, x/1.0 and x-0 on a float tensor are x', () => {
  fileCheck(run(ARITH), '// CHECK-NOT: aten::\n// CHECK: return (%x)');
});

test('x*1.0 on a tensor of unknown dtype stays (it could promote an integer tensor)', () => {
  fileCheck(run(`graph(%x : Tensor):
  %onef : float = prim::Constant[value=1.]()
  %a : Tensor = aten::mul(%x, %onef)
  return (%a)
`), '// CHECK: aten::mul');
});

test('double transposes and t(t(x)) cancel; transposes of other dims do not', () => {
  fileCheck(run(`graph(%x : Tensor):
  %0 : int = prim::Constant[value=0]()
  %1 : int = prim::Constant[value=1]()
  %2 : int = prim::Constant[value=2]()
  %a : Tensor = aten::transpose(%x, %0, %1)
  %b : Tensor = aten::transpose(%a, %1, %0)
  %c : Tensor = aten::t(%b)
  %d : Tensor = aten::t(%c)
  %e : Tensor = aten::transpose(%d, %0, %1)
  %f : Tensor = aten::transpose(%e, %0, %2)
  return (%f)
`), '// CHECK-COUNT-2: aten::transpose\n// CHECK-NOT: aten::t(');
});

test('aten::size and aten::dim of a known shape are constants; TupleIndex of a TupleConstruct is its element', () => {
  fileCheck(run(`graph(%x : Float(2, 5), %y : Tensor):
  %1 : int = prim::Constant[value=-1]()
  %s : int = aten::size(%x, %1)
  %d : int = aten::dim(%x)
  %t : (Tensor, int) = prim::TupleConstruct(%y, %s)
  %0 : int = prim::Constant[value=0]()
  %e : Tensor = prim::TupleIndex(%t, %0)
  %r : (Tensor, int, int) = prim::TupleConstruct(%e, %s, %d)
  return (%r)
`), `
// CHECK: prim::Constant[value=5]()
// CHECK: prim::Constant[value=2]()
// CHECK-NOT: aten::size
// CHECK: prim::TupleConstruct(%y,`);
});

test('rules are data: a rule list can be extended or cut, and the opt limit stops rewrites', () => {
  const onlyMul = PEEPHOLE_RULES.filter((r) => r.name === 'x*1');
  fileCheck(run(ARITH, onlyMul), '// CHECK-NOT: aten::mul\n// CHECK: aten::add');
  let budget = 1;
  fileCheck(run(ARITH, undefined, () => budget-- > 0), '// CHECK-NOT: aten::mul\n// CHECK: aten::add\n// CHECK: aten::div');
  const negNeg: PeepholeRule = { name: 'neg(neg(x))', kind: 'aten::neg', rewrite: (n) => (n.input().node().kind === 'aten::neg' ? [n.input().node().input()] : null) };
  const out = run('graph(%x : Tensor):\n  %a : Tensor = aten::neg(%x)\n  %b : Tensor = aten::neg(%a)\n  return (%b)\n', [...PEEPHOLE_RULES, negNeg]);
  assert.ok(!out.includes('aten::neg'));
});

test.run();

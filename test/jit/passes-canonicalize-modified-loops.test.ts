// canonicalizeModifiedLoops (PyTorch canonicalize_modified_loop.cpp): IR text in, CHECK lines out.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseGraph } from '../../src/jit/graph-parser.js';
import { printGraph } from '../../src/jit/printer.js';
import { verifyGraph } from '../../src/jit/verify.js';
import type { Graph, Node } from '../../src/jit/ir.js';
import { canonicalizeModifiedLoops, loopType } from '../../src/jit/passes/canonicalize-modified-loops.js';
import { fileCheck } from './filecheck.js';

const loops = (g: Graph): Node[] => g.nodes().filter((n) => n.kind === 'prim::Loop');

const MODIFIED = `graph(%n : int,
      %x : int):
  %c : bool = prim::Constant[value=1]()
  %y : int = prim::Loop(%n, %c, %x)
    block0(%i : int, %acc : int):
      %acc.1 : int = aten::add(%acc, %i)
      %go : bool = aten::lt(%acc.1, %x)
      -> (%go, %acc.1)
  return (%y)
`;

test('a counted loop with a condition becomes a while loop that counts in a carried value', () => {
  const g = parseGraph(MODIFIED);
  assert.is(loopType(loops(g)[0]), 'ModifiedLoop');
  const r = canonicalizeModifiedLoops(g);
  verifyGraph(r);
  assert.is(printGraph(g), MODIFIED, 'the input graph is left as it was');
  assert.is(loopType(loops(r)[0]), 'While');
  fileCheck(printGraph(r), `
// CHECK: %8 : int = prim::Constant[value=0]()
// CHECK-NEXT: %9 : bool = aten::gt(%n, %8)
// CHECK-NEXT: %10 : int = prim::Constant[value=9223372036854775807]()
// CHECK: %y : int, %11 : int = prim::Loop(%10, %9, %x, %8)
// CHECK-NEXT: block0(%4 : int, %acc : int, %13 : int):
// CHECK-NEXT: %acc.1 : int = aten::add(%acc, %13)
// CHECK: %14 : int = aten::add(%13, %12)
// CHECK-NEXT: %15 : bool = aten::lt(%14, %n)
// CHECK-NEXT: %16 : bool = aten::__and__(%15, %go)
// CHECK-NEXT: -> (%16, %acc.1, %14)`);
});

test('for and while loops are left alone (the same graph comes back)', () => {
  const g = parseGraph(`graph(%n : int,
      %x : int):
  %c : bool = prim::Constant[value=1]()
  %m : int = prim::Constant[value=9223372036854775807]()
  %y : int = prim::Loop(%n, %c, %x)
    block0(%i : int, %acc : int):
      %acc.1 : int = aten::add(%acc, %i)
      -> (%c, %acc.1)
  %go : bool = aten::gt(%x, %n)
  %z : int = prim::Loop(%m, %go, %y)
    block0(%j : int, %acc.2 : int):
      %acc.3 : int = aten::sub(%acc.2, %n)
      %more : bool = aten::gt(%acc.3, %n)
      -> (%more, %acc.3)
  return (%z)
`);
  assert.equal(loops(g).map(loopType), ['For', 'While']);
  assert.is(canonicalizeModifiedLoops(g), g);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseGraph } from '../../src/jit/graph-parser.js';
import { Graph, type Node } from '../../src/jit/ir.js';
import { GraphVerifyError, verifyGraph } from '../../src/jit/verify.js';

const LOOP = `graph(%x.1 : Tensor,
      %n : int):
  %2 : bool = prim::Constant[value=1]()
  %x : Tensor = prim::Loop(%n, %2, %x.1)
    block0(%i : int, %x.3 : Tensor):
      %x.5 : Tensor = aten::mul(%x.3, %x.3)
      -> (%2, %x.5)
  return (%x)
`;

const rejects = (g: Graph, pattern: RegExp) =>
  assert.throws(() => verifyGraph(g), (e) => e instanceof GraphVerifyError && pattern.test(e.message));

test('well-formed graphs pass', () => {
  verifyGraph(parseGraph(LOOP));
});

test('a use outside the defining block is rejected, naming the node', () => {
  const g = parseGraph(`graph(%c : bool, %x : Tensor):
  %y : Tensor = prim::If(%c)
    block0():
      %p : Tensor = aten::neg(%x)
      -> (%p)
    block1():
      -> (%x)
  %q : Tensor = aten::exp(%x)
  return (%q)
`);
  const [iff, exp] = g.nodes();
  exp.replaceInput(0, iff.blocks[0].nodes()[0].output());
  rejects(g, /%p \(input 0 of aten::exp\) is used where its definition does not dominate, at: %q : Tensor = aten::exp\(%p\)/);
});

test('a use before the definition is rejected', () => {
  const g = parseGraph('graph(%x : Tensor):\n  %a : Tensor = aten::neg(%x)\n  %b : Tensor = aten::exp(%a)\n  return (%b)\n');
  const [neg, exp] = g.nodes();
  neg.moveAfter(exp);
  rejects(g, /%a \(input 0 of aten::exp\) is used where its definition does not dominate/);
});

test('loop and if arity', () => {
  const g = parseGraph(LOOP);
  const loop = g.nodes()[1];
  loop.blocks[0].eraseOutput(0);
  rejects(g, /prim::Loop body returns 1 values, expected 2 \(cond \+ carried\)/);
  const h = parseGraph(LOOP);
  h.nodes()[1].blocks[0].addInput('extra');
  rejects(h, /body takes 3 inputs, expected 2/);
  const k = parseGraph('graph(%c : bool, %x : Tensor):\n  %y : Tensor = prim::If(%c)\n    block0():\n      -> (%x)\n  return (%y)\n');
  rejects(k, /prim::If has 1 blocks, expected 2/);
});

test('broken use lists and duplicate names are found', () => {
  const g = parseGraph(LOOP);
  const mul = g.nodes()[1].blocks[0].nodes()[0];
  mul.input(0).uses.pop();
  rejects(g, /use list of %x.3 lacks input 1 of aten::mul/);
  const h = parseGraph('graph(%0 : Tensor):\n  %1 : Tensor = aten::neg(%0)\n  return (%1)\n');
  h.nodes()[0].output().unique = 0;
  rejects(h, /value name %0 is used twice/);
});

test('checkNode runs on every node, nested ones included', () => {
  const seen: string[] = [];
  verifyGraph(parseGraph(LOOP), { checkNode: (n: Node) => { seen.push(n.kind); } });
  assert.equal(seen, ['prim::Constant', 'prim::Loop', 'aten::mul']);
  assert.throws(() => verifyGraph(parseGraph(LOOP), {
    checkNode: (n) => { if (n.kind === 'aten::mul') throw new GraphVerifyError('aten::mul expects 2 inputs', n); },
  }), /aten::mul expects 2 inputs/);
});

test('fusion group subgraphs are checked for arity and verified', () => {
  const g = parseGraph(`graph(%a : Tensor, %b : Tensor):
  %2 : Tensor = prim::FusionGroup_0(%a, %b)
  return (%2)
with prim::FusionGroup_0 = graph(%0 : Tensor,
      %1 : Tensor):
  %2 : Tensor = aten::mul(%0, %1)
  return (%2)
`);
  verifyGraph(g);
  g.nodes()[0].removeInput(1);
  rejects(g, /subgraph has 2 inputs and 1 outputs for a node with 1 and 1/);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseGraph } from '../../src/jit/graph-parser.js';
import { Graph, IRError, hasSideEffects, type Node, type Value } from '../../src/jit/ir.js';
import { printGraph } from '../../src/jit/printer.js';
import { FloatT, IntT } from '../../src/jit/types.js';
import { verifyGraph } from '../../src/jit/verify.js';

const usesOf = (v: Value) => v.uses.map((u) => `${u.user.kind}:${u.offset}`);

test('debug names follow PyTorch: a taken name moves its holder to the next free base.N', () => {
  // Setting a name that is taken renames the holder; the suffix counter per base only grows,
  // as in Value::setDebugName (torch/csrc/jit/ir/ir.cpp).
  const g = new Graph();
  const a = g.addInput('x');
  const b = g.addInput('x');
  assert.is(b.debugName(), 'x');
  assert.is(a.debugName(), 'x.1');
  const c = g.addInput('x');
  assert.is(c.debugName(), 'x');
  assert.is(b.debugName(), 'x.3');
  const d = g.addInput('x.2');
  assert.is(d.debugName(), 'x.2');
  const e = g.addInput('x.3');
  assert.is(e.debugName(), 'x.3');
  assert.is(b.debugName(), 'x.5');
  const f = g.addInput();
  assert.is(f.debugName(), String(f.unique));
  assert.throws(() => f.setDebugName('12'), (err) => err instanceof IRError);
  b.setDebugName('');
  assert.is(b.debugName(), String(b.unique));
});

test('use lists follow input insertion, removal and replacement', () => {
  const g = new Graph();
  const [x, y, z] = ['x', 'y', 'z'].map((n) => g.addInput(n));
  const n = g.appendNode(g.createNode('aten::f', [x, y, x]));
  assert.equal(usesOf(x), ['aten::f:0', 'aten::f:2']);
  n.removeInput(0);
  assert.equal(usesOf(x), ['aten::f:1']);
  assert.equal(usesOf(y), ['aten::f:0']);
  n.insertInput(0, z);
  assert.equal(usesOf(y), ['aten::f:1']);
  assert.equal(usesOf(x), ['aten::f:2']);
  n.replaceInputWith(x, y);
  assert.equal(usesOf(x), []);
  assert.equal(usesOf(y), ['aten::f:1', 'aten::f:2']);
  g.registerOutput(n.output());
  const m = g.appendNode(g.createNode('aten::g', [z]));
  n.output().replaceAllUsesWith(m.output());
  assert.equal(usesOf(m.output()), ['prim::Return:0']);
  assert.throws(() => m.destroy(), /still has 1 uses/);
  n.destroy();
  assert.equal(usesOf(y), []);
  verifyGraph(g);
});

test('insert points place nodes, and withInsertPoint restores the previous one', () => {
  const g = new Graph();
  const x = g.addInput('x');
  const first = g.insertNode(g.createNode('aten::a', [x]));
  const last = g.insertNode(g.createNode('aten::c', [first.output()]));
  const mid = g.withInsertPoint(last, () => g.insertNode(g.createNode('aten::b', [first.output()])));
  g.insertNode(g.createNode('aten::d', [last.output()]));
  assert.equal(g.nodes().map((n) => n.kind), ['aten::a', 'aten::b', 'aten::c', 'aten::d']);
  assert.ok(first.isBefore(mid) && mid.isBefore(last) && last.isAfter(first));
  assert.is(mid.next(), last);
  assert.is(first.prev(), null);
  mid.moveAfter(last);
  assert.equal(g.nodes().map((n) => n.kind), ['aten::a', 'aten::c', 'aten::b', 'aten::d']);
  assert.ok(last.isBefore(mid));
});

test('positions stay ordered after many insertions at one spot', () => {
  const g = new Graph();
  const x = g.addInput('x');
  const end = g.appendNode(g.createNode('aten::end', [x]));
  const made: Node[] = [];
  for (let i = 0; i < 200; i++) made.push(g.withInsertPoint(end, () => g.insertNode(g.createNode('aten::n', [x]))));
  for (let i = 1; i < made.length; i++) assert.ok(made[i - 1].isBefore(made[i]));
  assert.ok(made[199].isBefore(end));
});

test('isBefore compares nodes in nested blocks through their ancestors', () => {
  const g = parseGraph(`graph(%c : bool, %x : Tensor):
  %a : Tensor = aten::relu(%x)
  %y : Tensor = prim::If(%c)
    block0():
      %p : Tensor = aten::neg(%a)
      -> (%p)
    block1():
      -> (%a)
  %b : Tensor = aten::exp(%y)
  return (%b)
`);
  const [relu, iff, exp] = g.nodes();
  const neg = iff.blocks[0].nodes()[0];
  assert.ok(relu.isBefore(neg));
  assert.ok(neg.isBefore(exp));
  assert.not.ok(iff.isBefore(neg));
  assert.not.ok(neg.isBefore(iff));
  iff.output().replaceAllUsesAfterNodeWith(iff, relu.output());
  assert.is(exp.input(), relu.output());
});

test('copy is deep and prints the same', () => {
  const text = `graph(%x.1 : Tensor,
      %n : int):
  %2 : bool = prim::Constant[value=1]()
  %x : Tensor = prim::Loop(%n, %2, %x.1)
    block0(%i : int, %x.3 : Tensor):
      %x.5 : Tensor = aten::mul(%x.3, %x.3)
      -> (%2, %x.5)
  return (%x)
`;
  const g = parseGraph(text);
  const c = g.copy();
  assert.is(printGraph(c), text);
  c.nodes()[1].output().setDebugName('renamed');
  assert.is(printGraph(g), text);
  const fresh = c.appendNode(c.createNode('aten::relu', [c.outputs[0]]));
  assert.ok(fresh.output().unique > 5, 'new values never reuse printed numbers');
  verifyGraph(c);
});

test('blocks: inputs, outputs and erasure keep the graph consistent', () => {
  const g = new Graph();
  const c = g.addInput('c', { kind: 'bool' });
  const x = g.addInput('x');
  const iff = g.appendNode(g.createNode('prim::If', [c], 2));
  for (const b of [iff.addBlock(), iff.addBlock()]) {
    b.registerOutput(x);
    b.registerOutput(x);
  }
  iff.blocks[0].eraseOutput(0);
  iff.blocks[1].eraseOutput(0);
  iff.eraseOutput(0);
  g.registerOutput(iff.output());
  verifyGraph(g);
  assert.equal(usesOf(x), ['prim::Return:0', 'prim::Return:0']);
  iff.eraseBlock(1);
  assert.equal(usesOf(x), ['prim::Return:0']);
  assert.throws(() => iff.eraseOutput(0), /still has 1 uses/);
});

test('inlineGraph clones a callee at the insert point and maps its outputs', () => {
  const callee = parseGraph(`graph(%a : Tensor, %b : Tensor):
  %c : Tensor = aten::mul(%a, %b)
  %d : Tensor = aten::relu(%c)
  return (%d)
`);
  const g = parseGraph(`graph(%x : Tensor):
  %y : Tensor = aten::neg(%x)
  %z : Tensor = aten::exp(%y)
  return (%z)
`);
  const [neg, exp] = g.nodes();
  const [out] = g.inlineGraph(callee, [g.inputs[0], neg.output()], exp);
  exp.replaceInput(0, out);
  verifyGraph(g);
  assert.is(printGraph(g), `graph(%x : Tensor):
  %y : Tensor = aten::neg(%x)
  %c : Tensor = aten::mul(%x, %y)
  %d : Tensor = aten::relu(%c)
  %z : Tensor = aten::exp(%d)
  return (%z)
`);
  assert.throws(() => g.inlineGraph(callee, [g.inputs[0]]), /takes 2 inputs/);
});

test('insertConstant takes an explicit type for whole floats; attributes are typed', () => {
  const g = new Graph();
  const f = g.insertConstant(2, { type: FloatT });
  assert.is(f.node().getAttr('value', 'f'), 2);
  assert.throws(() => f.node().getAttr('value', 'i'), /has no i attribute 'value' \(it is f\)/);
  assert.is(g.insertConstant(3).type, IntT);
});

test('default side effects: effectful kinds and mutation by name', () => {
  const g = new Graph();
  const kinds = ['prim::Print', 'aten::add_', 'aten::append', 'prim::SetAttr', 'aten::__iand__',
    'aten::add', 'aten::__and__', 'prim::ListConstruct'];
  const effects = kinds.map((k) => hasSideEffects(g.createNode(k, [], 0)));
  assert.equal(effects, [true, true, true, true, true, false, false, false]);
});

test.run();

import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GraphParseError, parseGraph } from '../../src/jit/graph-parser.js';
import { constantValue, Graph, SUBGRAPH_ATTR } from '../../src/jit/ir.js';
import { formatDouble, printGraph, quoteString } from '../../src/jit/printer.js';
import { completeTensorType, IntT, BoolT } from '../../src/jit/types.js';
import { verifyGraph } from '../../src/jit/verify.js';

const manifest = JSON.parse(readFileSync('../shared/fixtures/torchscript/manifest.json', 'utf8'));
const fixtureGraph = (name: string): string => manifest.cases.find((c) => c.name === name).graph;

// Printed by PyTorch's format rules: every constant kind, tuples, lists, dicts, optionals, classes,
// If/Loop blocks, a node without outputs, scopes, and fusion groups (one nested in another).
const KITCHEN_SINK = `graph(%x.1 : Float(2, 3, strides=[3, 1], requires_grad=0, device=cpu),
      %n.1 : int,
      %t : (int, Tensor),
      %opt : int?,
      %d : Dict(str, Tensor),
      %self : __torch__.foo.Bar):
  %3 : NoneType = prim::Constant()
  %4 : float = prim::Constant[value=1.]()
  %5 : float = prim::Constant[value=0.5]()
  %6 : float = prim::Constant[value=1.0000000000000001e-05]()
  %7 : float = prim::Constant[value=-inf]()
  %8 : str = prim::Constant[value="a \\"quoted\\" str\\n\\303\\251"]()
  %9 : int[] = prim::Constant[value=[1, 2]]()
  %10 : float[] = prim::Constant[value=[1., 2.5]]()
  %11 : str[] = prim::Constant[value=["a", "b"]]()
  %12 : Tensor = prim::Constant[value={1}]()
  %13 : Float(requires_grad=0, device=cpu) = prim::Constant[value={0.5}]()
  %14 : Float(2, 2, strides=[2, 1], requires_grad=0, device=cpu) = prim::Constant[value=<Tensor>]()
  %15 : int = prim::Constant[value=9223372036854775807]()
  %16 : bool = prim::Constant[value=0]()
  %17 : Device = prim::Constant[value="cpu"]()
  %18 : float = prim::Constant[value=10000000000.5]()
  %a : int, %b : Tensor = prim::TupleUnpack(%t)
  %l : Tensor[] = prim::ListConstruct(%x.1, %b)
  %w : Tensor = prim::GetAttr[name="weight"](%self)
  %22 : bool = aten::gt(%n.1, %a) # test.py:3:7
  %y : Tensor = prim::If(%22) # test.py:3:4
    block0():
      %y.1 : Tensor = aten::mul(%x.1, %5) # test.py:4:12
      -> (%y.1)
    block1():
       = prim::RaiseException(%8) # test.py:6:8
      -> (%x.1)
  %z : Tensor = prim::Loop(%n.1, %16, %y)
    block0(%i : int, %z.1 : Tensor):
      %z.3 : Tensor = aten::add(%z.1, %w, %4), scope: __module.layer/__module.layer.0 # test.py:8:8
      -> (%16, %z.3)
  %26 : Float(*, *) = prim::FusionGroup_0(%z, %x.1)
  %27 : Float(*, *) = prim::FusionGroup_1[tag=3](%26, %26)
  %28 : int = prim::dtype[types=[int, float?]](%x.1)
  %29 : (Tensor, Tensor[], int) = prim::TupleConstruct(%27, %l, %28)
  return (%29)
with prim::FusionGroup_0 = graph(%0 : Float(*, *),
      %1 : Float(*, *)):
  %2 : Float(*, *) = prim::FusionGroup_0(%0, %1)
  %3 : Float(*, *) = aten::sigmoid(%2)
  return (%3)
with prim::FusionGroup_0 = graph(%0 : Float(*, *),
      %1 : Float(*, *)):
  %2 : Float(*, *) = aten::mul(%0, %1)
  return (%2)
with prim::FusionGroup_1 = graph(%0 : Float(*, *),
      %1 : Float(*, *)):
  %2 : Float(*, *) = aten::add(%0, %1)
  return (%2)
`;

test('manifest graphs parse, verify and print back unchanged', () => {
  for (const name of ['loop_traced', 'loop_scripted']) {
    const g = parseGraph(fixtureGraph(name));
    verifyGraph(g);
    assert.is(printGraph(g), fixtureGraph(name));
  }
});

test('the loop_scripted graph built through the API prints as PyTorch printed it', () => {
  const at = (line: number, col: number) => ({ file: 'gen_models.py', line, col });
  const g = new Graph();
  const x1 = g.addInput('x.1');
  const cond = g.insertConstant(true, { sourceRange: at(113, 4) });
  const five = g.insertConstant(5, { sourceRange: at(113, 19) });
  cond.unique = 4; // the numbers PyTorch's emitter happened to give these values
  five.unique = 1;
  const loop = g.insertNode(g.createNode('prim::Loop', [five, cond, x1], 1));
  loop.sourceRange = at(113, 4);
  loop.output().setDebugName('x');
  const body = loop.addBlock();
  body.addInput('i', IntT);
  const carried = body.addInput('x.13');
  const mul = g.withInsertPoint(body, () => g.insertNode(g.createNode('aten::mul', [carried, carried])));
  mul.sourceRange = at(114, 12);
  mul.output().setDebugName('x.7');
  body.registerOutput(cond);
  body.registerOutput(mul.output());
  g.registerOutput(loop.output());
  verifyGraph(g);
  assert.is(printGraph(g), fixtureGraph('loop_scripted'));
});

test('the loop_traced graph built through the API, names given in PyTorch order', () => {
  const type = completeTensorType('float32', [5]);
  const g = new Graph();
  let x = g.addInput('x.1', type);
  for (const name of ['x.3', 'x.5', 'x.7', 'x', '']) {
    const n = g.insertNode(g.createNode('aten::mul', [x, x]));
    n.sourceRange = { file: 'gen_models.py', line: 108, col: 0 };
    x = n.output().setType(type);
    if (name) x.setDebugName(name);
  }
  g.registerOutput(x);
  assert.is(printGraph(g), fixtureGraph('loop_traced'));
});

test('a graph with every construct round-trips through parse and print', () => {
  const g = parseGraph(KITCHEN_SINK);
  verifyGraph(g);
  assert.is(printGraph(g), KITCHEN_SINK);
  assert.is(printGraph(g.copy()), KITCHEN_SINK);
  assert.is(printGraph(parseGraph(printGraph(g))), KITCHEN_SINK);
});

test('parsed attributes and constants are typed', () => {
  const g = parseGraph(KITCHEN_SINK);
  const byName = new Map(g.nodes().flatMap((n) => n.outputs.map((o) => [o.debugName(), o] as const)));
  assert.is(constantValue(byName.get('3')!), null);
  assert.is(constantValue(byName.get('4')!), 1);
  assert.is(byName.get('4')!.node().attr('value')!.kind, 'f');
  assert.is(constantValue(byName.get('8')!), 'a "quoted" str\né');
  assert.equal(constantValue(byName.get('9')!), [1, 2]);
  assert.is(constantValue(byName.get('15')!), 9223372036854775807n);
  assert.is(constantValue(byName.get('16')!), false);
  assert.equal(byName.get('14')!.node().getAttr('value', 't').shape, [2, 2]);
  assert.equal(byName.get('13')!.node().getAttr('value', 't').data, [0.5]);
  const fg = byName.get('26')!.node();
  assert.is(fg.kind, 'prim::FusionGroup');
  assert.is(fg.getAttr(SUBGRAPH_ATTR, 'g').nodes()[0].kind, 'prim::FusionGroup');
  assert.is(byName.get('27')!.node().getAttr('tag', 'i'), 3);
});

test('constants inserted through the API print like PyTorch', () => {
  const g = new Graph();
  const vals = [g.insertConstant(1), g.insertConstant(1, { type: { kind: 'float' } }), g.insertConstant(true),
    g.insertConstant(null), g.insertConstant('s'), g.insertConstant([1, 2]), g.insertConstant([0.5, 1]),
    g.insertConstant([true, false]), g.insertConstant({ dtype: 'int64', shape: [], data: [7n] })];
  vals.forEach((v) => g.registerOutput(v));
  assert.is(printGraph(g), `graph():
  %0 : int = prim::Constant[value=1]()
  %1 : float = prim::Constant[value=1.]()
  %2 : bool = prim::Constant[value=1]()
  %3 : NoneType = prim::Constant()
  %4 : str = prim::Constant[value="s"]()
  %5 : int[] = prim::Constant[value=[1, 2]]()
  %6 : float[] = prim::Constant[value=[0.5, 1.]]()
  %7 : bool[] = prim::Constant[value=[1, 0]]()
  %8 : Long() = prim::Constant[value={7}]()
  return (%0, %1, %2, %3, %4, %5, %6, %7, %8)
`);
  assert.equal(constantValue(vals[7]), [true, false]);
  assert.is(constantValue(vals[2]), true);
});

test('doubles print as c10 IValue repr does', () => {
  const cases: [number, string][] = [[1, '1.'], [0.5, '0.5'], [1e-5, '1.0000000000000001e-05'], [0.1, '0.10000000000000001'],
    [Infinity, 'inf'], [-Infinity, '-inf'], [NaN, 'nan'], [-0, '-0.'], [-3, '-3.'], [1e20, '1e+20'],
    [123.25, '123.25'], [1e10, '10000000000'], [2.5e-300, '2.5e-300'], [1 / 3, '0.33333333333333331'], [5e-324, '4.9406564584124654e-324']];
  for (const [d, s] of cases) assert.is(formatDouble(d), s, String(d));
});

test('strings are quoted as c10::printQuotedString does', () => {
  assert.is(quoteString(`a'b"c\\\t`), `"a\\'b\\"c\\\\\\t"`);
  assert.is(quoteString('\u0001é'), '"\\001\\303\\251"');
});

test('GraphParseError gives line and column', () => {
  const bad = 'graph(%x : Tensor):\n  %y : Tensor = aten::mul(%x, %q)\n  return (%y)\n';
  try {
    parseGraph(bad);
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, GraphParseError);
    assert.is((e as GraphParseError).line, 2);
    assert.is((e as GraphParseError).col, 31);
    assert.match((e as Error).message, /%q is used before it is defined/);
  }
  assert.throws(() => parseGraph('graph(%x : Tensor):\n  %x : Tensor = aten::relu(%x)\n  return (%x)\n'), /defined twice/);
  assert.throws(() => parseGraph('graph(%x : Tensr):\n  return (%x)\n'), (e) => e instanceof GraphParseError && /unknown type 'Tensr'/.test(e.message));
  assert.throws(() => parseGraph('graph(%x : Tensor):\n  %y = aten::relu(%x)\n'), /expected 'return'/);
});

test('parsing accepts untyped values and loose spacing', () => {
  const g = parseGraph('graph(%x):\n  %y = aten::relu(%x)\n  return (%y)');
  assert.is(printGraph(g), 'graph(%x : Tensor):\n  %y : Tensor = aten::relu(%x)\n  return (%y)\n');
});

test('source locations can be left out', () => {
  const g = parseGraph(fixtureGraph('loop_scripted'));
  assert.not.match(printGraph(g, { sourceLocations: false }), /#/);
  assert.ok(BoolT);
});

test.run();

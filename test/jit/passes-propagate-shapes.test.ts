import { test } from 'uvu';
import { parseGraph } from '../../src/jit/graph-parser.js';
import { printGraph } from '../../src/jit/printer.js';
import { propagateShapes } from '../../src/jit/passes/propagate-shapes.js';
import { fileCheck } from './filecheck.js';

test('dtypes and sizes flow through broadcasting, reductions and promotion', () => {
  const g = parseGraph(`graph(%x : Float(2, 3), %y : Long(3), %i : int):
  %1 : int = prim::Constant[value=1]()
  %n : NoneType = prim::Constant()
  %f : bool = prim::Constant[value=0]()
  %z : Tensor = aten::add(%x, %y, %1)
  %l : int[] = prim::ListConstruct(%1)
  %s : Tensor = aten::sum(%z, %l, %f, %n)
  %c : Tensor = aten::gt(%y, %1)
  %u : Tensor = aten::add(%x, %i, %1)
  return (%s, %c, %u)
`);
  propagateShapes(g);
  fileCheck(printGraph(g), `
// CHECK: %z : Float(2, 3, strides=[3, 1]
// CHECK: %s : Float(2, strides=[1]
// CHECK: %c : Bool(3, strides=[1]
// CHECK: %u : Tensor = aten::add`);
});

test.run();

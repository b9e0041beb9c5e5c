import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jit } from '../../src/jit/index.js';
import { tensor } from '../../src/sdk/creation.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { pyFloatRepr } from '../../src/jit/runtime/static-types.js';
import '../../src/sdk/torch.js';

const src = (lines: string[]) => lines.join('\n') + '\n';

test('NamedTuple: construct, field access, unpack, index, and a round trip through calls', () => {
  const { make, use, both } = jit.compile(src([
    'class Pair(NamedTuple):',
    '    a: Tensor',
    '    b: int',
    'def make(x: Tensor, n: int) -> Pair:',
    '    return Pair(x * 2.0, n + 1)',
    'def use(p: Pair) -> Tensor:',
    '    a, b = p',
    '    return p.a + p.b + a * b + p[1]',
    'def both(x: Tensor) -> Tensor:',
    '    p = make(x, 3)',
    '    return use(p)',
  ]));
  assert.match(make.graph, /: __torch__\.Pair = prim::TupleConstruct/, 'the tuple is typed by its class');
  assert.match(use.graph, /prim::TupleIndex/);
  const p = make(tensor([1, 2]), 3) as [Tensor, number];
  assert.is(p.length, 2);
  assert.equal(p[0].toArray(), [2, 4]);
  assert.is(p[1], 4);
  // (a + b) + a * b + b with a = [2, 4], b = 4
  assert.equal(use(p).toArray(), [2 + 4 + 8 + 4, 4 + 4 + 16 + 4]);
  assert.equal(both(tensor([1, 2])).toArray(), use(p).toArray());
});

test('float(3) stays a float: torch.tensor gives float32, NumToTensor float64', () => {
  const { f } = jit.compile(src([
    'def f(n: int) -> Tuple[Tensor, Tensor, Tensor, Tensor]:',
    '    x = float(n)',
    '    return torch.tensor(x), torch.tensor([x, 2.0]), ops.prim.NumToTensor(x), ops.prim.NumToTensor(n)',
  ]));
  const [a, b, c, d] = f(3) as Tensor[];
  assert.is(a.dtype, 'float32');
  assert.is(a.item(), 3);
  assert.is(b.dtype, 'float32');
  assert.equal(b.toArray(), [3, 2]);
  assert.is(c.dtype, 'float64');
  assert.is(d.dtype, 'int64');
});

test('str() and format() of floats print like Python', () => {
  const { f } = jit.compile(src([
    'def f(x: float, n: int) -> Tuple[str, str, str]:',
    '    return str(x), "{} {} {} {}".format(x, n, 1e-05, [0.1, 2.0]), str(float(n))',
  ]));
  assert.equal(f(1, 2), ['1.0', '1.0 2 1e-05 [0.1, 2.0]', '2.0']);
  assert.equal(f(2.5, -3), ['2.5', '2.5 -3 1e-05 [0.1, 2.0]', '-3.0']);
});

test('pyFloatRepr follows Python repr', () => {
  const cases: [number, string][] = [
    [1, '1.0'], [0.1, '0.1'], [1e-5, '1e-05'], [1e-4, '0.0001'], [1e16, '1e+16'], [1.5e16, '1.5e+16'],
    [123456789012345.6, '123456789012345.6'], [-0, '-0.0'], [Infinity, 'inf'], [NaN, 'nan'], [-2.5e-7, '-2.5e-07'],
  ];
  for (const [x, want] of cases) assert.is(pyFloatRepr(x), want, String(x));
});

test.run();

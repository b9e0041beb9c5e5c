import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { jit, ScriptRuntimeError, ScriptCompileError } from '../../src/jit/index.js';
import { tensor } from '../../src/sdk/creation.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { engine } from '../../src/engine/engine.js';
import { UnknownOpError } from '../../src/sdk/errors.js';
import '../../src/sdk/torch.js'; // attaches Tensor methods (toArray of views needs contiguous)

const src = (lines: string[]) => lines.join('\n') + '\n';
const arr = (t: Tensor) => t.toArray();

test('int/float arithmetic, comparisons and conversions follow Python', () => {
  const { f } = jit.compile(src([
    'def f(a: int, b: int, x: float) -> Tuple[int, int, float, float, bool, int]:',
    '    return a // b, a % b, a / b, x * a + 1, a < b and x > 0.0, int(x)',
  ]));
  assert.equal(f(-7, 2, 2.5), [-4, 1, -3.5, -16.5, true, 2]);
});

test('if/else merges variables into prim::If outputs; Optional refines after is None', () => {
  const { f } = jit.compile(src([
    'def f(x: Tensor, s: Optional[float]) -> Tensor:',
    '    if s is None:',
    '        y = x + 1',
    '    else:',
    '        y = x * s',
    '    return y',
  ]));
  const x = tensor([1, 2]);
  assert.equal(arr(f(x, null)), [2, 3]);
  assert.equal(arr(f(x, 3)), [3, 6]);
  assert.match(f.graph, /prim::If/);
  assert.match(f.graph, /prim::unchecked_cast/);
});

test('for range / while / list append / for over a list / zip / enumerate', () => {
  const { f } = jit.compile(src([
    'def f(n: int) -> Tuple[List[int], int, int, int]:',
    '    xs = annotate(List[int], [])',
    '    for i in range(n):',
    '        xs.append(i * i)',
    '    total = 0',
    '    for v in xs:',
    '        total += v',
    '    k = 0',
    '    while k < 10:',
    '        k = k + 3',
    '    acc = 0',
    '    for a, b in zip(xs, [10, 20, 30]):',
    '        acc = acc + a * b',
    '    for j, v in enumerate(xs):',
    '        acc = acc + j',
    '    return xs, total, k, acc',
  ]));
  assert.equal(f(4), [[0, 1, 4, 9], 14, 12, 0 * 10 + 1 * 20 + 4 * 30 + 6]);
  assert.match(f.graph, /prim::Loop/);
});

test('range with start and step uses __range_length/__derive_index', () => {
  const { f } = jit.compile(src([
    'def f() -> List[int]:',
    '    out = annotate(List[int], [])',
    '    for i in range(10, 0, -3):',
    '        out.append(i)',
    '    return out',
  ]));
  assert.equal(f(), [10, 7, 4, 1]);
  assert.match(f.graph, /aten::__range_length/);
});

test('early return inside if is lowered; both paths return', () => {
  const { f } = jit.compile(src([
    'def f(x: int) -> int:',
    '    if x > 0:',
    '        return 1',
    '    y = x - 5',
    '    return y',
  ]));
  assert.is(f(3), 1);
  assert.is(f(-1), -6);
});

test('raise and assert give ScriptRuntimeError with the message and position', () => {
  const { f, g } = jit.compile(src([
    'def f(x: int) -> int:',
    '    if x < 0:',
    '        raise ValueError("negative: {}".format(x))',
    '    return x',
    'def g(x: int) -> int:',
    '    assert x != 3, "three"',
    '    return x',
  ]), 'mine.py');
  assert.is(f(2), 2);
  try {
    f(-4);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ScriptRuntimeError);
    assert.match((e as Error).message, /ValueError: negative: -4/);
    assert.match((e as Error).message, /mine\.py:3/);
  }
  assert.throws(() => g(3), (e: Error) => e instanceof ScriptRuntimeError && /three/.test(e.message));
});

test('tuples, dicts, strings and builtins', () => {
  const { f } = jit.compile(src([
    'def f(t: Tuple[int, str]) -> Tuple[int, str, int, bool, int, int]:',
    '    d = {"a": 1, "b": 2}',
    '    d["c"] = 3',
    '    n = 0',
    '    for k in d.keys():',
    '        n = n + d[k]',
    '    a, s = t',
    '    return len(d), s + "!", n + t[0], "b" in d, max(a, 7), abs(-a)',
  ]));
  assert.equal(f([4, 'hi']), [3, 'hi!', 10, true, 7, 4]);
});

test('tensor indexing x[:, None, 1:3] and x[0] lower to slice/unsqueeze/select', () => {
  const { f } = jit.compile(src([
    'def f(x: Tensor) -> Tuple[Tensor, Tensor, int]:',
    '    return x[:, None, 1:3], x[0], x.size(1)',
  ]));
  const x = tensor([[1, 2, 3, 4], [5, 6, 7, 8]]);
  const [a, b, n] = f(x);
  assert.equal(a.shape, [2, 1, 2]);
  assert.equal(arr(a), [[[2, 3]], [[6, 7]]]);
  assert.equal(arr(b), [1, 2, 3, 4]);
  assert.is(n, 4);
  assert.match(f.graph, /aten::unsqueeze[\s\S]*aten::slice/);
});

test('scalar (op) tensor and tensor methods', () => {
  const { f } = jit.compile(src([
    'def f(x: Tensor) -> Tensor:',
    '    y = 2 * x + 1',
    '    return 10 - y.mul(x)',
  ]));
  assert.equal(arr(f(tensor([1, 2]))), [7, -0]);
});

test('the loop example compiles to the structure PyTorch prints (manifest graph)', () => {
  const manifest = JSON.parse(readFileSync('../shared/fixtures/torchscript/manifest.json', 'utf8'));
  const expected: string = manifest.cases.find((c: { name: string }) => c.name === 'loop_scripted').graph;
  const { forward } = jit.compile(src([
    'def forward(x: Tensor) -> Tensor:',
    '    for i in range(5):',
    '        x = x * x',
    '    return x',
  ]));
  const kinds = (g: string) => [...g.matchAll(/= ([a-z]+::\w+)/g)].map((m) => m[1]).filter((k) => k !== 'prim::Constant');
  assert.equal(kinds(forward.graph), kinds(expected));
  assert.match(forward.graph, /%x : Tensor = prim::Loop\(%\d+, %\d+, %x\.1\)/);
  assert.match(forward.graph, /block0\(%i : int, %x\.\d+ : Tensor\)/);
  assert.equal(arr(forward(tensor([2, 3]))), [2 ** 32, 3 ** 32]);
});

test('running a function frees every intermediate tensor', () => {
  const { f } = jit.compile(src([
    'def f(x: Tensor, n: int) -> Tensor:',
    '    outs = annotate(List[Tensor], [])',
    '    for i in range(n):',
    '        x = torch.tanh(x * 2.0)',
    '        outs.append(x + 1)',
    '    return outs[0]',
  ]));
  const x = tensor([0.1, 0.2, 0.3]);
  f(x, 2).dispose();
  const before = engine().stats().bytesLive;
  const out = f(x, 4);
  assert.is(engine().stats().bytesLive - before, out.numel * out.itemsize);
  out.dispose();
  assert.is(engine().stats().bytesLive, before);
});

test('an op without a table row compiles and fails when run, naming op and line', () => {
  const { f } = jit.compile(src([
    'def f(x: Tensor) -> Tensor:',
    '    return ops.mylib.frobnicate(x)',
  ]), 'ext.py');
  assert.match(f.graph, /mylib::frobnicate/);
  assert.throws(() => f(tensor([1])), (e: Error) => e instanceof UnknownOpError && /mylib::frobnicate/.test(e.message) && /ext\.py:2/.test(e.message));
});

test('type errors are ScriptCompileErrors with a position', () => {
  const { f } = jit.compile(src([
    'def f(x: int) -> int:',
    '    y: List[int] = x',
    '    return x',
  ]), 'bad.py');
  assert.throws(() => f(1), (e: Error) => e instanceof ScriptCompileError && /bad\.py:2/.test(e.message));
});

test.run();

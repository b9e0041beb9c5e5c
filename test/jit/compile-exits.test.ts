import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jit, ScriptCompileError } from '../../src/jit/index.js';
import { tensor } from '../../src/sdk/creation.js';
import { engine } from '../../src/engine/engine.js';
import '../../src/sdk/torch.js';

const src = (lines: string[]) => lines.join('\n') + '\n';
/** Node kinds of a printed graph, constants left out. */
const kinds = (g: string) => [...g.matchAll(/= ([a-z]+::\w+)/g)].map((m) => m[1]).filter((k) => k !== 'prim::Constant');

test('for ... if cond: break keeps the loop condition carried, as PyTorch prints it', () => {
  const { f } = jit.compile(src([
    'def f(x: Tensor, n: int) -> Tensor:',
    '    for i in range(n):',
    '        if i > 3:',
    '            break',
    '        x = x + 1',
    '    return x',
  ]));
  // PyTorch: the If yields (False, x) when breaking and (True, x + 1) otherwise; the loop yields that.
  assert.equal(kinds(f.graph), ['prim::Loop', 'aten::gt', 'prim::If', 'aten::add']);
  const m = /(%\d+) : bool, (%x\.\d+) : Tensor = prim::If/.exec(f.graph);
  assert.ok(m, f.graph);
  assert.ok(f.graph.includes(`-> (${m![1]}, ${m![2]})`), 'the loop body yields the If outputs');
  assert.not.match(f.graph, /Stmt|LoopContinuation/);
  for (const n of [0, 2, 4, 10]) assert.equal(f(tensor([1, 2]), n).toArray(), [1 + Math.min(n, 4), 2 + Math.min(n, 4)]);
});

test('break and continue in while loops and nested loops match the same algorithm in JS', () => {
  const { h, w } = jit.compile(src([
    'def h(n: int) -> int:',
    '    s = 0',
    '    for i in range(n):',
    '        for j in range(n):',
    '            if j > i:',
    '                break',
    '            if (i + j) % 2 == 0:',
    '                continue',
    '            s += i * j',
    '        if s > 50:',
    '            if i > 5:',
    '                break',
    '        s += 1',
    '    return s',
    'def w(n: int) -> Tuple[int, int]:',
    '    i = 0',
    '    odd = 0',
    '    while True:',
    '        i += 1',
    '        if i > n:',
    '            break',
    '        elif i % 2 == 0:',
    '            continue',
    '        odd += i',
    '    return i, odd',
  ]));
  const hJs = (n: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (j > i) break;
        if ((i + j) % 2 === 0) continue;
        s += i * j;
      }
      if (s > 50 && i > 5) break;
      s += 1;
    }
    return s;
  };
  const wJs = (n: number) => {
    let i = 0, odd = 0;
    for (;;) {
      i += 1;
      if (i > n) break;
      else if (i % 2 === 0) continue;
      odd += i;
    }
    return [i, odd];
  };
  for (const n of [0, 1, 3, 7, 10, 12]) {
    assert.is(h(n), hJs(n), `h(${n})`);
    assert.equal(w(n), wJs(n), `w(${n})`);
  }
  assert.is(kinds(h.graph).filter((k) => k === 'prim::Loop').length, 2);
});

test('return inside loops leaves every enclosing loop; the rest of the function is guarded', () => {
  const { find, pair, maybe } = jit.compile(src([
    'def find(xs: List[int], t: int) -> int:',
    '    for i in range(len(xs)):',
    '        if xs[i] == t:',
    '            return i',
    '    return -1',
    'def pair(n: int, target: int) -> Tuple[int, int]:',
    '    i = 0',
    '    while i < n:',
    '        i += 1',
    '        if i == 3:',
    '            continue',
    '        for j in range(i):',
    '            if j * i == target:',
    '                return i, j',
    '    return -1, -i',
    'def maybe(x: Tensor, n: int):',
    '    if n > 2:',
    '        for i in range(n):',
    '            if i == 4:',
    '                return x * 2.0',
    '    y = x + 1.0',
    '    return y',
  ]));
  const findJs = (xs: number[], t: number) => xs.indexOf(t);
  const pairJs = (n: number, target: number) => {
    let i = 0;
    while (i < n) {
      i += 1;
      if (i === 3) continue;
      for (let j = 0; j < i; j++) if (j * i === target) return [i, j];
    }
    return [-1, -i];
  };
  for (const t of [5, 7, 9]) assert.is(find([5, 6, 7], t), findJs([5, 6, 7], t));
  for (const [n, target] of [[5, 12], [2, 12], [6, 0], [6, 5], [9, 20]]) assert.equal(pair(n, target), pairJs(n, target), `pair(${n}, ${target})`);
  assert.equal(maybe(tensor([1, 2]), 6).toArray(), [2, 4]);
  assert.equal(maybe(tensor([1, 2]), 3).toArray(), [2, 3]);
  assert.equal(maybe(tensor([1, 2]), 1).toArray(), [2, 3]);
  assert.match(maybe.graph, /: Tensor = prim::Loop/, 'the loop carries the return value, typed once the body is seen');
  assert.not.match(maybe.graph, /: Any\b/);
});

test('an if that may exit guards the statements after it with the exit flag', () => {
  const { f } = jit.compile(src([
    'def f(xs: List[int]) -> int:',
    '    total = 0',
    '    for x in xs:',
    '        if x > 0:',
    '            if x > 100:',
    '                break',
    '        total += x',
    '    return total',
  ]));
  const js = (xs: number[]) => {
    let total = 0;
    for (const x of xs) {
      if (x > 0 && x > 100) break;
      total += x;
    }
    return total;
  };
  for (const xs of [[1, -2, 3], [1, 200, 3], [], [-5, 101, 7]]) assert.is(f(xs), js(xs));
  assert.is(kinds(f.graph).filter((k) => k === 'prim::If').length, 3, 'two ifs of the source and one guard');
});

test('loops that break free their intermediate tensors', () => {
  const { f } = jit.compile(src([
    'def f(x: Tensor, n: int) -> Tensor:',
    '    for i in range(n):',
    '        y = torch.tanh(x)',
    '        if i == 2:',
    '            break',
    '        x = y * 0.5',
    '    return x',
  ]));
  const x = tensor([0.1, 0.2, 0.3]);
  f(x, 5).dispose();
  const before = engine().stats().bytesLive;
  const out = f(x, 5);
  assert.is(engine().stats().bytesLive - before, out.numel * out.itemsize);
  out.dispose();
});

test('break outside a loop and break in an unrolled tuple loop are compile errors', () => {
  const { f, g } = jit.compile(src([
    'def f(x: int) -> int:',
    '    if x > 0:',
    '        break',
    '    return x',
    'def g(t: Tuple[int, float]) -> float:',
    '    s = 0.0',
    '    for v in t:',
    '        if v > 1:',
    '            break',
    '        s = s + v',
    '    return s',
  ]), 'bad.py');
  assert.throws(() => f(1), (e: Error) => e instanceof ScriptCompileError && /'break' outside a loop/.test(e.message) && /bad\.py:3/.test(e.message));
  assert.throws(() => g([1, 2.5]), (e: Error) => e instanceof ScriptCompileError && /tuple/.test(e.message));
});

test.run();

// `return` inside loops in scripted JavaScript (lowered as PyTorch's exit_transforms.cpp does): each
// function here is plain JavaScript too, so the reference is the same function run by Node.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import type { Tensor } from '../../src/sdk/tensor.js';
import { printGraph } from '../../src/jit/printer.js';
import { verifyGraph } from '../../src/jit/verify.js';
import type { Graph } from '../../src/jit/ir.js';
import { script } from '../../src/jit/script-js/script.js';
import { ScriptError } from '../../src/jit/script-js/errors.js';

const count = (g: Graph, kind: string) => printGraph(g).split('\n').filter((l) => l.includes(`= ${kind}(`)).length;

test('an early-exit search returns from inside a for loop and keeps the prim::Loop', () => {
  function firstAtLeast(xs: number[], t: number) {
    for (let i = 0; i < xs.length; i++) {
      if (xs[i] >= t) return i;
    }
    return -1;
  }
  const s = script(firstAtLeast, { types: { xs: 'List[int]', t: 'int' } });
  verifyGraph(s.graphBeforePasses);
  verifyGraph(s.graph);
  assert.is(count(s.graph, 'prim::Loop'), 1);
  assert.match(printGraph(s.graph), /-> \(%\d+, %\d+, %\d+\)/); // the body yields (cond, returned, value)
  const xs = [3, 8, 1, 9, 4];
  for (const t of [0, 3, 4, 8, 9, 10]) assert.is(s(xs, t), firstAtLeast(xs, t), `t=${t}`);
  assert.is(s([], 1), -1);
});

test('returns from nested loops, while and for...of, through nested ifs, match the same JS', () => {
  function pairSum(xs: number[], target: number) {
    let tries = 0;
    for (const a of xs) {
      let j = 0;
      while (j < xs.length) {
        const b = xs[j];
        j += 1;
        if (a === b) continue;
        tries += 1;
        if (a + b === target) {
          if (a < b) return a * 100 + b;
          return b * 100 + a;
        }
        if (tries > 40) return -tries;
      }
      if (a > target) break;
    }
    return -1000 - tries;
  }
  const s = script(pairSum, { types: { xs: 'List[int]', target: 'int' } });
  verifyGraph(s.graph);
  assert.is(count(s.graphBeforePasses, 'prim::Loop'), 2);
  for (const xs of [[1, 2, 3, 4, 5], [5, 4, 3, 2, 1], [7, 7, 7], [1, 9, 2, 8, 3, 7, 4, 6, 5, 0]]) {
    for (const target of [0, 3, 5, 9, 13, 20, 100]) assert.is(s(xs, target), pairSum(xs, target), `${xs} ${target}`);
  }
});

test('for(;;) with an update, and a loop inside an if whose return skips the code after the if', () => {
  function collatzSteps(n: number, limit: number) {
    let steps = 0;
    if (n > 0) {
      for (let m = n; m !== 1; steps++) {
        if (steps >= limit) return -1;
        m = m % 2 === 0 ? Math.floor(m / 2) : 3 * m + 1;
      }
      steps = steps * 10;
    }
    return steps;
  }
  const s = script(collatzSteps, { types: { n: 'int', limit: 'int' } });
  verifyGraph(s.graph);
  for (const n of [-3, 1, 6, 7, 27]) for (const limit of [5, 20, 200]) assert.is(s(n, limit), collatzSteps(n, limit), `${n} ${limit}`);
});

test('a tensor returned from inside a loop over tensor rows, None otherwise', () => {
  // Tensors are not iterable in eager code: the reference walks the rows as arrays.
  function firstRowAbove(x: any, t = 0.0) {
    for (const row of x) {
      if (row.sum().item() > t) return row.mul(2);
    }
    return null;
  }
  function reference(rows: number[][], t: number) {
    for (const row of rows) {
      if (row[0] + row[1] > t) return row.map((v) => v * 2);
    }
    return null;
  }
  const s = script(firstRowAbove);
  verifyGraph(s.graph);
  assert.match(printGraph(s.graphBeforePasses), /prim::Loop/);
  const rows = [[1, -2], [3, 1], [5, 5]];
  for (const t of [-5, 2, 9, 20]) {
    const got = s(torch.tensor(rows), t) as Tensor | null;
    assert.equal(got === null ? null : got.toArray(), reference(rows, t), `t=${t}`);
  }
});

test('returns of types that do not unify are a ScriptError', () => {
  function bad(x: Tensor, n = 0) {
    for (let i = 0; i < n; i++) if (i > 2) return i;
    return x;
  }
  assert.throws(() => script(bad), (e: Error) => e instanceof ScriptError && /int .*Tensor|Tensor .*int/.test(e.message));
});

test.run();

// Calls from scripted JavaScript to other functions passed in `globals`: each callee is scripted
// for the argument types of the call (a prim::CallFunction, inlined at once as PyTorch's
// inline-everything mode does). The reference is the same code run eagerly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import type { Tensor } from '../../src/sdk/tensor.js';
import { printGraph } from '../../src/jit/printer.js';
import { verifyGraph } from '../../src/jit/verify.js';
import { script } from '../../src/jit/script-js/script.js';
import { ScriptError, ScriptSyntaxError } from '../../src/jit/script-js/errors.js';

function scale(x: Tensor, k = 2) {
  return x.mul(k);
}
function countAbove(x: any, t: number) {
  let n = 0;
  for (let i = 0; i < x.size(0); i++) if (x.select(0, i).item() > t) n += 1;
  return n;
}
function firstAbove(x: any, t: number) {
  for (let i = 0; i < x.size(0); i++) if (x.select(0, i).item() > t) return i;
  return -1;
}
/** Calls two helpers, one of them twice with different argument types and once by its default. */
function combined(x: Tensor) {
  return scale(x).add(scale(x, 0.5)).mul(countAbove(x, 1.5) + firstAbove(x, 2.5));
}
const globals = { scale, countAbove, firstAbove };

test('functions from globals are scripted, called and inlined; results equal the eager code', () => {
  const s = script(combined, { globals });
  verifyGraph(s.graphBeforePasses);
  verifyGraph(s.graph);
  const text = printGraph(s.graphBeforePasses);
  assert.not.match(text, /prim::CallFunction/);
  // The callees' nodes keep their own source locations.
  assert.match(text, /# scale:\d+:\d+/);
  assert.match(text, /# countAbove:\d+:\d+/);
  assert.match(text, /prim::Loop/);
  for (const x of [torch.tensor([1, 2, 3]), torch.tensor([3, 0.5]), torch.tensor([0, 1])]) {
    assert.equal((s(x) as Tensor).toArray(), combined(x).toArray());
  }
});

test('a helper calling a helper, and a module method calling one', () => {
  function twice(x: Tensor) {
    return scale(scale(x, 3));
  }
  const s = script(function outer(x: Tensor) { return twice(x).sub(1); }, { globals: { twice, scale } });
  assert.equal((s(torch.tensor([1, 2])) as Tensor).toArray(), [5, 11]);
  class M {
    w = torch.tensor([1, 10]);
    forward(x: Tensor) { return scale(x.mul(this.w), 4); }
  }
  const m = script(new M(), { globals: { scale } });
  verifyGraph(m.graph);
  assert.equal((m(torch.tensor([2, 3])) as Tensor).toArray(), [8, 120]);
});

test('a scripted function called without its defaulted arguments passes the defaults', () => {
  const s = script(scale);
  assert.equal((s(torch.tensor([1, 2])) as Tensor).toArray(), [2, 4]);
  assert.equal((s(torch.tensor([1, 2]), 5) as Tensor).toArray(), [5, 10]);
  assert.throws(() => script(countAbove, { types: { t: 'float' } })(torch.tensor([1])), /missing required argument 't'/);
});

test('a function that cannot be scripted is a ScriptError at the call, with the reason as its cause', () => {
  const cases: [string, Function, RegExp][] = [
    ['native', Math.hypot, /'h' cannot be scripted: a native or bound function/],
    ['bound', scale.bind(null), /'h' cannot be scripted: a native or bound function/],
    ['try/catch', function h(x: Tensor) { try { return x; } catch { return x; } }, /'h' cannot be scripted: try\/catch is not supported/],
    ['unknown name', function h(x: Tensor) { return x.mul(hidden); }, /'h' cannot be scripted: undefined identifier 'hidden'/],
  ];
  for (const [what, h, message] of cases) {
    assert.throws(() => script(function f(x: Tensor) { return h(x); }, { globals: { h } }), (e: Error) => {
      return e instanceof ScriptError && message.test(e.message) && /\(at f:\d+:\d+\)$/.test(e.message) && e.cause instanceof ScriptError;
    }, what);
  }
  const syntax = (() => { try { script(function f(x: Tensor) { return h(x); }, { globals: { h: cases[2][1] } }); } catch (e) { return e as Error; } })();
  assert.ok(syntax?.cause instanceof ScriptSyntaxError);
  function rec(x: Tensor): Tensor { return rec(x); }
  assert.throws(() => script(rec, { globals: { rec } }), /recursion is not supported/);
  assert.throws(() => script(function f(x: Tensor) { return (scale as any)(x, 1, 2); }, { globals }), /scale\(\) takes 2 arguments but 3 were given/);
  assert.throws(() => script(function f(x: Tensor) { return (countAbove as any)(x); }, { globals }), /countAbove\(\) is missing argument 't'/);
});

declare const hidden: number;
declare function h(x: Tensor): Tensor;

test.run();

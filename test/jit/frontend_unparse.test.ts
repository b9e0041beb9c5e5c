import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  astEqual, formatFloat, parseExpression, parseSource, quoteString, unparse, unparseExpr,
  type BinaryOp, type CompareOp, type Expr,
} from '../../src/jit/frontend/index.js';

const roundTrip = (src: string) => unparse(parseSource(src, 't.py'));
const exprRoundTrip = (src: string) => unparseExpr(parseExpression(src));

test('torch.jit.save layout: two-space blocks, signature lines, class attributes', () => {
  const src = [
    'class A(Module):',
    '  __parameters__ = ["w"]',
    '  w : Tensor',
    '  k : Final[Tuple[int, int]] = (1, 1)',
    '  def forward(self: __torch__.A,',
    '    x: Tensor,',
    '    n: int=3) -> Tensor:',
    '    y: Optional[int] = None',
    '    a, b, = t',
    '    c, d = d, c',
    '    e = (c, d)',
    '    if torch.gt(n, 0):',
    '      return x',
    '    else:',
    '      for i in range(n):',
    '        x = torch.add(x, i, alpha=2)',
    '    return torch.mul(x, 0.10000000000000001)',
    '',
  ].join('\n');
  assert.is(roundTrip(src), src.replace('a, b, = t', 'a, b = t'));
});

test('elif prints as a nested if under else, as python_print does', () => {
  assert.is(roundTrip('if a:\n  x = 1\nelif b:\n  x = 2\n'), 'if a:\n  x = 1\nelse:\n  if b:\n    x = 2\n');
});

test('only needed parentheses are printed', () => {
  for (const [src, out] of [
    ['(a + b) * c', '(a + b) * c'],
    ['a + (b * c)', 'a + b * c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['(a - b) - c', 'a - b - c'],
    ['(a ** b) ** c', '(a ** b) ** c'],
    ['a ** (b ** c)', 'a ** b ** c'],
    ['(-a) ** b', '(-a) ** b'],
    ['-(a ** b)', '-a ** b'],
    ['a ** -b', 'a ** -b'],
    ['not (a == b)', 'not a == b'],
    ['(not a) == b', '(not a) == b'],
    ['(a or b) and c', '(a or b) and c'],
    ['(a if b else c) if d else e', '(a if b else c) if d else e'],
    ['a if b else (c if d else e)', 'a if b else c if d else e'],
    ['(a < b) < c', '(a < b) < c'],
    ['(self).forward(x, )', 'self.forward(x)'],
    ['(a + b).c', '(a + b).c'],
    ['(1).real', '(1).real'],
    ['(torch.size(p))[0]', 'torch.size(p)[0]'],
    ['f(x)[1:2, ::3, ..., None]', 'f(x)[1:2, ::3, ..., None]'],
    ['((1,), [], {}, ())', '((1,), [], {}, ())'],
    ['{"a": [x for x in y], 1: {k: v for k, v in d}}', '{"a": [x for x in y], 1: {k: v for k, v in d}}'],
    ['a is not None and b not in c', 'a is not None and b not in c'],
  ]) {
    assert.is(exprRoundTrip(src), out, src);
  }
});

test('literals print like PyTorch: floats at 17 digits with a trailing dot, double-quoted strings', () => {
  // Expected digits are C's printf('%.17g') (via Python), plus the '.' python_print appends.
  assert.is(exprRoundTrip('[6.0, 0.1, 1e-5, 1e300, 2.5e-300, -1.5, 1e17, 123456789.0, 1e16, 0.0001, 0.00012345]'),
    '[6., 0.10000000000000001, 1.0000000000000001e-05, 1.0000000000000001e+300, 2.5e-300, -1.5, 1e+17, 123456789., '
    + '10000000000000000., 0.0001, 0.00012344999999999999]');
  assert.is(formatFloat(1 / 3), '0.33333333333333331');
  assert.is(formatFloat(Infinity), 'inf');
  assert.is(formatFloat(NaN), 'nan');
  assert.is(formatFloat(0), '0.');
  assert.is(quoteString('it\'s "x"\n\t\\ \x01'), '"it\\\'s \\"x\\"\\n\\t\\\\ \\001"');
  assert.is(exprRoundTrip("'single'"), '"single"');
  assert.is(exprRoundTrip('9223372036854775807'), '9223372036854775807');
});

test('every statement kind survives the round trip', () => {
  const src = [
    'op_version_set = 1',
    'import __torch__.a, b.c',
    'from typing import List',
    'class N(NamedTuple):',
    '  x : int',
    'class A(Module):',
    '  __annotations__["0"] = __torch__.B',
    '  @torch.jit.export',
    '  def f(self, x: Tensor=None) -> Tuple[()]:',
    '    def inner(y, *, z: int, w=1):',
    '      return y',
    '    x += 1',
    '    x //= 2',
    '    a = b = [*c]',
    '    d[1:2] = e',
    '    s.t = "u"',
    '    while not done:',
    '      break',
    '    for k, (v, w) in zip(p, q):',
    '      continue',
    '    with torch.no_grad() as g, m:',
    '      pass',
    '    del z[0], y',
    '    assert x, "msg"',
    '    assert y',
    '    raise ValueError("bad")',
    '    raise',
    '    return',
  ].join('\n');
  const a = parseSource(src, 't.py');
  assert.ok(astEqual(parseSource(unparse(a), 't.py'), a));
});

// A seeded generator of random expressions: printing then parsing must give the tree back, which
// checks every precedence and associativity decision of the printer against the parser.
function generator(seed: number) {
  let s = seed;
  const rand = (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
  const pos = { line: 1, col: 1 };
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)];
  const BIN: BinaryOp[] = ['+', '-', '*', '/', '//', '%', '**', '@', '<<', '>>', '&', '|', '^'];
  const CMP: CompareOp[] = ['==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is', 'is not'];
  const gen = (depth: number): Expr => {
    if (depth === 0) {
      return pick<() => Expr>([
        () => ({ kind: 'name', id: pick(['a', 'b', 'c']), pos }),
        () => ({ kind: 'int', value: BigInt(rand(100)), pos }),
        () => ({ kind: 'float', value: rand(1000) / 8, pos }),
        () => ({ kind: 'str', value: pick(['s', 'q"\'', '\n']), pos }),
        () => ({ kind: 'none', pos }),
      ])();
    }
    const d = depth - 1;
    return pick<() => Expr>([
      () => ({ kind: 'binary', op: pick(BIN), left: gen(d), right: gen(d), pos }),
      () => ({ kind: 'unary', op: pick(['-', '+', '~', 'not'] as const), operand: gen(d), pos }),
      () => ({ kind: 'boolop', op: pick(['and', 'or'] as const), left: gen(d), right: gen(d), pos }),
      () => ({ kind: 'compare', left: gen(d), ops: [pick(CMP), pick(CMP)], comparators: [gen(d), gen(d)], pos }),
      () => ({ kind: 'ifexp', test: gen(d), body: gen(d), orelse: gen(d), pos }),
      () => ({ kind: 'attribute', value: gen(d), attr: 'x', pos }),
      () => ({ kind: 'call', func: gen(d), args: [gen(d)], keywords: [{ name: 'k', value: gen(d), pos }], pos }),
      () => ({ kind: 'subscript', value: gen(d), indices: [gen(d), { kind: 'slice', upper: gen(d), pos }], pos }),
      () => ({ kind: 'tuple', elts: [gen(d)], pos }),
      () => ({ kind: 'list', elts: [gen(d), { kind: 'starred', value: gen(d), pos }], pos }),
      () => ({ kind: 'dict', entries: [{ key: gen(d), value: gen(d) }], pos }),
      () => ({ kind: 'listcomp', elt: gen(d), target: { kind: 'name', id: 'i', pos }, iter: gen(d), pos }),
    ])();
  };
  return gen;
}

test('random expressions: parse(unparseExpr(e)) equals e', () => {
  const gen = generator(20240611);
  for (let i = 0; i < 2000; i++) {
    const e = gen(1 + (i % 4));
    const text = unparseExpr(e);
    assert.ok(astEqual(parseExpression(text), e), text);
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  parseExpression, parseSource, parseType, typeExprToString, TorchScriptSyntaxError,
  type Expr, type Stmt,
} from '../../src/jit/frontend/index.js';

// A fully parenthesized, position-free rendering that makes tree shape visible in one string.
function show(e: Expr | undefined): string {
  if (!e) return '_';
  switch (e.kind) {
    case 'name': return e.id;
    case 'int': return `${e.value}`;
    case 'float': return `${e.value}f`;
    case 'str': return JSON.stringify(e.value);
    case 'bool': return `${e.value}`;
    case 'none': return 'None';
    case 'ellipsis': return '...';
    case 'attribute': return `${show(e.value)}.${e.attr}`;
    case 'call': return `${show(e.func)}(${[...e.args.map(show), ...e.keywords.map((k) => `${k.name}=${show(k.value)}`)].join(' ')})`;
    case 'subscript': return `${show(e.value)}[${e.indices.map(show).join(' ')}]`;
    case 'slice': return `${show(e.lower)}:${show(e.upper)}:${show(e.step)}`;
    case 'starred': return `*${show(e.value)}`;
    case 'tuple': return `tuple(${e.elts.map(show).join(' ')})`;
    case 'list': return `list(${e.elts.map(show).join(' ')})`;
    case 'dict': return `dict(${e.entries.map((d) => `${show(d.key)}:${show(d.value)}`).join(' ')})`;
    case 'listcomp': return `[${show(e.elt)} for ${show(e.target)} in ${show(e.iter)}]`;
    case 'dictcomp': return `{${show(e.key)}:${show(e.value)} for ${show(e.target)} in ${show(e.iter)}}`;
    case 'unary': return `(${e.op} ${show(e.operand)})`;
    case 'binary': case 'boolop': return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'compare': return `(${show(e.left)} ${e.ops.map((op, i) => `${op} ${show(e.comparators[i])}`).join(' ')})`;
    case 'ifexp': return `(${show(e.body)} if ${show(e.test)} else ${show(e.orelse)})`;
  }
}

const expr = (src: string) => show(parseExpression(src));
const body = (src: string): Stmt[] => parseSource(src, 't.py').body;

function syntaxError(src: string, line: number, col: number, reason: RegExp, parse: (s: string) => unknown = (s) => parseSource(s, 'm.py')): void {
  try {
    parse(src);
  } catch (e) {
    assert.instance(e, TorchScriptSyntaxError);
    const err = e as TorchScriptSyntaxError;
    assert.is(`${err.line}:${err.column}`, `${line}:${col}`, err.message);
    assert.match(err.reason, reason);
    assert.ok(err.message.startsWith(`${err.file}:${line}:${col}: `), err.message);
    return;
  }
  assert.unreachable(`no error for ${JSON.stringify(src)}`);
}

test('arithmetic precedence and associativity', () => {
  assert.is(expr('a + b * c ** -d'), '(a + (b * (c ** (- d))))');
  assert.is(expr('-a ** b'), '(- (a ** b))');
  assert.is(expr('a ** b ** c'), '(a ** (b ** c))');
  assert.is(expr('a - b - c'), '((a - b) - c)');
  assert.is(expr('a // b % c * d / e @ f'), '(((((a // b) % c) * d) / e) @ f)');
  assert.is(expr('a | b ^ c & d << e + f'), '(a | (b ^ (c & (d << (e + f)))))');
  assert.is(expr('~a >> 2'), '((~ a) >> 2)');
  assert.is(expr('(a + b) * c'), '((a + b) * c)');
});

test('boolean operators, not, and comparisons', () => {
  assert.is(expr('not a == b'), '(not (a == b))');
  assert.is(expr('a or b and not c'), '(a or (b and (not c)))');
  assert.is(expr('a and b and c'), '((a and b) and c)');
  assert.is(expr('a < b <= c != d'), '(a < b <= c != d)');
  assert.is(expr('a not in b'), '(a not in b)');
  assert.is(expr('a is not None'), '(a is not None)');
  assert.is(expr('a is b in c'), '(a is b in c)');
  assert.is(expr('a + 1 < b * 2'), '((a + 1) < (b * 2))');
});

test('conditional expressions', () => {
  assert.is(expr('a if b else c'), '(a if b else c)');
  assert.is(expr('a if b else c if d else e'), '(a if b else (c if d else e))');
  assert.is(expr('a or b if c and d else e'), '((a or b) if (c and d) else e)');
  assert.is(expr('f(x if y else z, k=1 if p else 2)'), 'f((x if y else z) k=(1 if p else 2))');
});

test('primaries: attributes, calls with keywords, subscripts and slices', () => {
  assert.is(expr('torch.full([n], idx, dtype=4, layout=None, device=device)'),
    'torch.full(list(n) idx dtype=4 layout=None device=device)');
  assert.is(expr('(self).forward(x, )'), 'self.forward(x)');
  assert.is(expr('(torch.size(p))[0]'), 'torch.size(p)[0]');
  assert.is(expr('x[:, 1:3, ::2]'), 'x[_:_:_ 1:3:_ _:_:2]');
  assert.is(expr('x[..., None]'), 'x[... None]');
  assert.is(expr('x[a:]'), 'x[a:_:_]');
  assert.is(expr('x[-1]'), 'x[(- 1)]');
  assert.is(expr('ops.prim.min(_14)'), 'ops.prim.min(_14)');
  assert.is(expr('f(*args)'), 'f(*args)');
  assert.is(expr('getattr(self, "0")'), 'getattr(self "0")');
});

test('literals and displays', () => {
  assert.is(expr('()'), 'tuple()');
  assert.is(expr('(a,)'), 'tuple(a)');
  assert.is(expr('(a, b, )'), 'tuple(a b)');
  assert.is(expr('a, b'), 'tuple(a b)');
  assert.is(expr('["w", "b", ]'), 'list("w" "b")');
  assert.is(expr('{"k": v, 1: 2}'), 'dict("k":v 1:2)');
  assert.is(expr('{}'), 'dict()');
  assert.is(expr('[x * 2 for x in xs]'), '[(x * 2) for x in xs]');
  assert.is(expr('{k: v for k, v in items}'), '{k:v for tuple(k v) in items}');
  assert.is(expr('"a" "b"'), '"ab"');
  assert.is(expr('True or False or None'), '((true or false) or None)');
  assert.is(expr('0.5'), '0.5f');
  const big = parseExpression('9223372036854775807');
  assert.ok(big.kind === 'int' && big.value === 9223372036854775807n);
});

test('statements: assignments of every shape', () => {
  const [unpack, multi, attr, sub, aug, ann, bare] = body([
    'a, b, = t',
    'x = y = f(z)',
    'self.x = v',
    'd["k"] = v',
    'n += 1',
    'x: Optional[int] = None',
    'x, y = y, x',
  ].join('\n'));
  assert.ok(unpack.kind === 'assign' && show(unpack.targets[0]) === 'tuple(a b)' && show(unpack.value) === 't');
  assert.ok(multi.kind === 'assign' && multi.targets.map(show).join() === 'x,y');
  assert.ok(attr.kind === 'assign' && attr.targets[0].kind === 'attribute');
  assert.ok(sub.kind === 'assign' && sub.targets[0].kind === 'subscript');
  assert.ok(aug.kind === 'augassign' && aug.op === '+' && show(aug.value) === '1');
  assert.ok(ann.kind === 'annassign' && typeExprToString(ann.annotation) === 'Optional[int]' && ann.value?.kind === 'none');
  assert.ok(bare.kind === 'assign' && show(bare.value) === 'tuple(y x)');
});

test('statements: control flow and the rest', () => {
  const src = [
    'def f(self, x: Tensor, n: int=3) -> Tensor:',
    '  if a:',
    '    pass',
    '  elif b:',
    '    return',
    '  else:',
    '    raise Exception("no")',
    '  for i, (j, k) in enumerate(xs):',
    '    continue',
    '  while True:',
    '    break',
    '  with torch.no_grad() as g, m:',
    '    del d["k"], e',
    '  assert x > 0, "x must be positive"',
    '  if c: return x; y = 1',
    '  return x, y',
  ].join('\n');
  const [def] = body(src);
  assert.ok(def.kind === 'def');
  assert.equal(def.params.map((p) => [p.name, p.annotation && typeExprToString(p.annotation), p.default && show(p.default)]),
    [['self', undefined, undefined], ['x', 'Tensor', undefined], ['n', 'int', '3']]);
  assert.is(typeExprToString(def.returns!), 'Tensor');
  const [kw] = body('def g(a=1, *, b: int, c=2):\n  pass\n');
  assert.ok(kw.kind === 'def');
  assert.equal(kw.params.map((p) => `${p.name}:${p.kwOnly ?? false}`), ['a:false', 'b:true', 'c:true']);
  assert.equal(def.body.map((s) => s.kind), ['if', 'for', 'while', 'with', 'assert', 'if', 'return']);
  const [ifs, loop, , withs, asserts, oneLine, ret] = def.body;
  assert.ok(ifs.kind === 'if' && ifs.orelse.length === 1 && ifs.orelse[0].kind === 'if');
  const elif = (ifs as { orelse: Stmt[] }).orelse[0];
  assert.ok(elif.kind === 'if' && elif.orelse[0].kind === 'raise');
  assert.ok(loop.kind === 'for' && show(loop.target) === 'tuple(i tuple(j k))' && loop.body[0].kind === 'continue');
  assert.ok(withs.kind === 'with' && withs.items.length === 2 && show(withs.items[0].target) === 'g');
  assert.ok(withs.body[0].kind === 'del' && withs.body[0].targets.length === 2);
  assert.ok(asserts.kind === 'assert' && show(asserts.msg) === '"x must be positive"');
  assert.ok(oneLine.kind === 'if' && oneLine.body.map((s) => s.kind).join() === 'return,assign');
  assert.ok(ret.kind === 'return' && show(ret.value) === 'tuple(x y)');
});

test('module level: classes with bases and attributes, imports, version line, decorators', () => {
  const m = body([
    'op_version_set = 1',
    'import __torch__.foo',
    'from typing import List, Dict',
    'class A(Module):',
    '  __parameters__ = ["w", ]',
    '  w : Tensor',
    '  __annotations__["0"] = __torch__.B',
    '  k : Final[int] = 3',
    '  @torch.jit.export',
    '  def g(self) -> None:',
    '    return None',
    'class E:',
    '  pass',
  ].join('\n'));
  assert.equal(m.map((s) => s.kind), ['assign', 'import', 'import', 'class', 'class']);
  assert.ok(m[1].kind === 'import' && m[1].from === undefined && m[1].names[0] === '__torch__.foo');
  assert.ok(m[2].kind === 'import' && m[2].from === 'typing' && m[2].names.join() === 'List,Dict');
  const a = m[3];
  assert.ok(a.kind === 'class' && a.bases.length === 1);
  assert.equal(a.body.map((s) => s.kind), ['assign', 'annassign', 'assign', 'annassign', 'def']);
  const g = a.body[4];
  assert.ok(g.kind === 'def' && show(g.decorators[0]) === 'torch.jit.export');
  assert.ok(m[4].kind === 'class' && m[4].bases.length === 0);
});

test('types are expressions printed back canonically', () => {
  for (const t of [
    'List[Tensor]', 'Optional[Tuple[int, int]]', 'Dict[str, Tensor]', 'NoneType', 'Final[int]', 'None',
    '__torch__.torchvision.models.detection.rpn.___torch_mangle_3.RegionProposalNetwork', 'Tuple[()]',
    'List[Optional[Tensor]]', 'Union[int, float, None]',
  ]) {
    assert.is(typeExprToString(parseType(t)), t);
  }
  assert.is(typeExprToString(parseType('Dict[ str,List[ int ] ]')), 'Dict[str, List[int]]');
  const t = parseType('Optional[List[int]]');
  assert.ok(t.kind === 'subscript' && t.value.kind === 'name' && t.value.id === 'Optional');
  syntaxError('List[f(x)]', 1, 6, /expected a type, found a call/, (s) => typeExprToString(parseType(s)));
  syntaxError('Tuple[int, 3]', 1, 12, /expected a type, found a int/, (s) => typeExprToString(parseType(s)));
});

test('syntax errors report file, line and column', () => {
  syntaxError('if x\n  pass\n', 1, 5, /expected ':' after if condition, found end of line/);
  syntaxError('def f(self):\n  return\nclass C(Module)\n  pass\n', 3, 16, /expected ':' after class header/);
  syntaxError('def f(x: int = 1, y):\n  pass\n', 1, 19, /non-default parameter follows default/);
  syntaxError('def f(a, *, ):\n  pass\n', 1, 13, /expected a parameter after bare '\*'/);
  syntaxError('def f(*args):\n  pass\n', 1, 8, /\*args is not supported/);
  syntaxError('a = 1\nf(x) = 2\n', 2, 1, /cannot assign to a function call/);
  syntaxError('x = (1 + )\n', 1, 10, /expected an expression, found '\)'/);
  syntaxError('def f():\nreturn 1\n', 2, 1, /expected an indented block after def f/);
  syntaxError('a = 1\n  b = 2\n', 2, 3, /unexpected indent/);
  syntaxError('for i range(3):\n  pass\n', 1, 7, /expected 'in' after for-loop target/);
  syntaxError('f(k=1, 2)\n', 1, 8, /positional argument follows keyword argument/);
  syntaxError('x = lambda: 1\n', 1, 5, /'lambda' is not supported/);
  syntaxError('y = [a for a in b if a]\n', 1, 19, /single for clause/);
  syntaxError('x = a b\n', 1, 7, /expected end of line after statement/);
  syntaxError('x = {1, 2}\n', 1, 7, /set literals are not supported/);
  syntaxError('while x:\n  y = (1,\n', 2, 7, /'\(' is never closed/);
});

test.run();

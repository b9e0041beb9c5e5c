import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tokenize, TorchScriptSyntaxError, type Token } from '../../src/jit/frontend/index.js';

// Tokens as compact strings: layout tokens by kind, the rest by text.
function kinds(src: string): string[] {
  return tokenize(src, 't.py').map((t) => (['newline', 'indent', 'dedent', 'eof'].includes(t.kind) ? t.kind.toUpperCase() : t.text));
}

function only(src: string): Token {
  const toks = tokenize(src, 't.py');
  assert.is(toks.length, 3, `one token in ${JSON.stringify(src)}`); // token, NEWLINE, EOF
  return toks[0];
}

function throwsAt(src: string, line: number, col: number, reason: RegExp): void {
  try {
    tokenize(src, 'bad.py');
  } catch (e) {
    assert.instance(e, TorchScriptSyntaxError);
    const err = e as TorchScriptSyntaxError;
    assert.is(err.name, 'TorchScriptSyntaxError');
    assert.is(`${err.line}:${err.column}`, `${line}:${col}`, err.message);
    assert.match(err.message, reason);
    assert.ok(err.message.startsWith(`bad.py:${line}:${col}: `), err.message);
    return;
  }
  assert.unreachable(`no error for ${JSON.stringify(src)}`);
}

test('indentation: INDENT, DEDENT and NEWLINE', () => {
  const src = 'class A(Module):\n  def f(self):\n    if x:\n      pass\n    return y\n';
  assert.equal(kinds(src), [
    'class', 'A', '(', 'Module', ')', ':', 'NEWLINE',
    'INDENT', 'def', 'f', '(', 'self', ')', ':', 'NEWLINE',
    'INDENT', 'if', 'x', ':', 'NEWLINE',
    'INDENT', 'pass', 'NEWLINE',
    'DEDENT', 'return', 'y', 'NEWLINE',
    'DEDENT', 'DEDENT', 'EOF',
  ]);
});

test('blank lines, comment lines and a missing final newline do not affect layout', () => {
  const src = 'if a:\n\n  # note\n    \n  b = 1  # trailing\n\n# end\nc';
  assert.equal(kinds(src), ['if', 'a', ':', 'NEWLINE', 'INDENT', 'b', '=', '1', 'NEWLINE', 'DEDENT', 'c', 'NEWLINE', 'EOF']);
});

test('brackets join lines, indentation inside them is ignored', () => {
  const src = 'def f(a: int,\n    b: int) -> int:\n  return [a,\nb]\n';
  assert.equal(kinds(src), [
    'def', 'f', '(', 'a', ':', 'int', ',', 'b', ':', 'int', ')', '->', 'int', ':', 'NEWLINE',
    'INDENT', 'return', '[', 'a', ',', 'b', ']', 'NEWLINE', 'DEDENT', 'EOF',
  ]);
});

test('backslash continuation joins lines', () => {
  assert.equal(kinds('x = 1 + \\\n    2\ny = 3\n'), ['x', '=', '1', '+', '2', 'NEWLINE', 'y', '=', '3', 'NEWLINE', 'EOF']);
});

test('positions are 1-based line and column', () => {
  const toks = tokenize('a = 1\n  \nif b:\n    c(d)\n', 't.py');
  const at = (text: string) => toks.find((t) => t.text === text)!;
  assert.equal([at('a').line, at('a').col], [1, 1]);
  assert.equal([at('1').line, at('1').col], [1, 5]);
  assert.equal([at('if').line, at('if').col], [3, 1]);
  assert.equal([at('d').line, at('d').col], [4, 7]);
  const indent = toks.find((t) => t.kind === 'indent')!;
  assert.equal([indent.line, indent.col], [4, 5]);
});

test('numbers: ints, floats with exponents, other bases; inf and nan are names', () => {
  assert.equal([only('42').kind, only('42').text], ['int', '42']);
  assert.is(only('9223372036854775807').kind, 'int');
  for (const f of ['1.0000000000000001e-05', '0.', '6.', '.5', '1e3', '2.5E+10', '9.9999999999999995e-07']) {
    assert.is(only(f).kind, 'float', f);
    assert.is(only(f).text, f);
  }
  for (const i of ['0x1F', '0o17', '0b101']) assert.is(only(i).kind, 'int', i);
  assert.is(only('inf').kind, 'name');
  assert.is(only('nan').kind, 'name');
  assert.equal(kinds('-1.'), ['-', '1.', 'NEWLINE', 'EOF']);
  assert.equal(kinds('x.y'), ['x', '.', 'y', 'NEWLINE', 'EOF']);
});

test('strings: both quotes, triple quotes, escapes, adjacent literals stay separate tokens', () => {
  assert.is(only('"a\'b"').text, 'a\'b');
  assert.is(only("'a\"b'").text, 'a"b');
  assert.is(only('"Couldn\\\'t"').text, 'Couldn\'t');
  assert.is(only('"t\\tn\\n\\\\ q\\" \\x41\\u00e9 \\101\\0"').text, 't\tn\n\\ q" A\u00e9 A\0');
  assert.is(only('"keep \\d"').text, 'keep \\d');
  assert.is(only('"""two\nlines "quoted" """').text, 'two\nlines "quoted" ');
  assert.is(only("'''x'''").text, 'x');
  const toks = tokenize('"a" "b"', 't.py');
  assert.equal(toks.map((t) => t.kind), ['string', 'string', 'newline', 'eof']);
});

test('line numbers continue after a triple-quoted string', () => {
  const toks = tokenize('s = """a\nb\nc"""\nt = 1\n', 't.py');
  assert.is(toks.find((t) => t.text === 't')!.line, 4);
});

test('operators: longest match wins', () => {
  assert.equal(
    kinds('a ** b // c -> d == e != f <= g >= h << i >> j += k //= l **= m ... n'),
    ['a', '**', 'b', '//', 'c', '->', 'd', '==', 'e', '!=', 'f', '<=', 'g', '>=', 'h', '<<', 'i', '>>', 'j',
      '+=', 'k', '//=', 'l', '**=', 'm', '...', 'n', 'NEWLINE', 'EOF'],
  );
});

test('keywords and names', () => {
  const toks = tokenize('not in is None True self def_', 't.py');
  assert.equal(toks.slice(0, 7).map((t) => t.kind), ['keyword', 'keyword', 'keyword', 'keyword', 'keyword', 'name', 'name']);
});

test('lexical errors carry file, line and column', () => {
  throwsAt('x = "abc\ny = 1\n', 1, 5, /unterminated string/);
  throwsAt('a = 1\nb = """never\nclosed\n', 2, 5, /unterminated string/);
  throwsAt('if a:\n    b\n  c\n', 3, 3, /unindent does not match/);
  throwsAt('x = $\n', 1, 5, /unexpected character '\$'/);
  throwsAt('f(a, [b)\n', 1, 8, /closing '\)' does not match '\[' opened at 1:6/);
  throwsAt('x = (1,\n  2\n', 1, 5, /'\(' is never closed/);
  throwsAt('y = 1]\n', 1, 6, /unmatched '\]'/);
  throwsAt('n = 12abc\n', 1, 5, /invalid number literal/);
  throwsAt('s = "\\x4"\n', 1, 6, /invalid \\x escape/);
});

test.run();

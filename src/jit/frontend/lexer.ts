// Tokenizer for the Python subset that torch.jit.save writes (see torch/csrc/jit/frontend/lexer.h).
// Produces the whole token list at once, with Python's layout tokens (NEWLINE, INDENT, DEDENT).
import { TorchScriptSyntaxError } from './error.js';

export type TokenKind =
  | 'name' | 'keyword' | 'int' | 'float' | 'string' | 'op'
  | 'newline' | 'indent' | 'dedent' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text; for strings the decoded value instead (quotes and escapes removed). */
  text: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

// Python's reserved words. Those the parser does not support still lex as keywords so that they fail
// with a clear message instead of being taken as names.
export const KEYWORDS: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
  'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

// Longest first, so that a prefix never wins over a longer operator.
const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...',
  '->', '**', '//', '==', '!=', '<=', '>=', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=',
  '^=', '@=', ':=',
  '+', '-', '*', '/', '%', '@', '&', '|', '^', '~', '<', '>', '(', ')', '[', ']', '{', '}', ',',
  ':', '.', ';', '=',
];

const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

const NUMBER = /0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|(\d+\.\d*|\.\d+)([eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+/y;
const NAME = /[A-Za-z_][A-Za-z_0-9]*/y;

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', '\'': '\'', '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

export function tokenize(src: string, file: string): Token[] {
  return new Lexer(src, file).run();
}

class Lexer {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private readonly tokens: Token[] = [];
  private readonly indents = [0];
  private readonly brackets: Token[] = [];

  constructor(private readonly src: string, private readonly file: string) {}

  run(): Token[] {
    let atLineStart = true;
    while (this.i < this.src.length) {
      if (atLineStart) {
        // A blank line is consumed whole; the next line starts a line again.
        if (this.brackets.length === 0 && !this.indentation()) continue;
        atLineStart = false;
      }
      const c = this.src[this.i];
      if (c === ' ' || c === '\t' || c === '\f') this.i++;
      else if (c === '#') this.skipComment();
      else if (c === '\\' && this.isNewlineAt(this.i + 1)) {
        this.i++;
        this.newline();
      } else if (c === '\n' || c === '\r') {
        if (this.brackets.length === 0) this.push('newline', '\n', this.i);
        this.newline();
        atLineStart = true;
      } else this.token();
    }
    const open = this.brackets.pop();
    if (open) this.fail(`'${open.text}' is never closed`, open.line, open.col);
    const end = this.i;
    if (this.tokens.length && this.last().kind !== 'newline' && this.last().kind !== 'dedent') {
      this.push('newline', '', end);
    }
    while (this.indents.length > 1) {
      this.indents.pop();
      this.push('dedent', '', end);
    }
    this.push('eof', '', end);
    return this.tokens;
  }

  // Measures the indentation of a new logical line and emits INDENT/DEDENT tokens. Returns false for
  // blank and comment-only lines, which Python ignores for layout.
  private indentation(): boolean {
    let width = 0;
    for (;; this.i++) {
      const c = this.src[this.i];
      if (c === ' ') width++;
      else if (c === '\t') width = (Math.floor(width / 8) + 1) * 8;
      else if (c === '\f') width = 0;
      else break;
    }
    if (this.src[this.i] === '#') this.skipComment();
    if (this.i >= this.src.length) return false;
    if (this.isNewlineAt(this.i)) {
      this.newline();
      return false;
    }
    const top = this.indents[this.indents.length - 1];
    if (width > top) {
      this.indents.push(width);
      this.push('indent', '', this.i);
    }
    while (width < this.indents[this.indents.length - 1]) {
      this.indents.pop();
      this.push('dedent', '', this.i);
    }
    if (width !== this.indents[this.indents.length - 1]) {
      this.fail('unindent does not match any outer indentation level', this.line, this.col(this.i));
    }
    return true;
  }

  private token(): void {
    const c = this.src[this.i];
    const start = this.i;
    if (c === '"' || c === '\'') return this.string();
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(this.src[this.i + 1] ?? ''))) {
      const m = this.match(NUMBER)!;
      const kind = /^0[xXoObB]/.test(m) || !/[.eE]/.test(m) ? 'int' : 'float';
      this.i += m.length;
      if (/[A-Za-z_0-9]/.test(this.src[this.i] ?? '')) {
        this.fail(`invalid number literal '${m}${this.src[this.i]}'`, this.line, this.col(start));
      }
      this.push(kind, m, start);
      return;
    }
    const name = this.match(NAME);
    if (name) {
      this.i += name.length;
      this.push(KEYWORDS.has(name) ? 'keyword' : 'name', name, start);
      return;
    }
    const op = OPERATORS.find((o) => this.src.startsWith(o, this.i));
    if (!op) this.fail(`unexpected character '${c}'`, this.line, this.col(start));
    this.i += op.length;
    const tok = this.push('op', op, start);
    if (op === '(' || op === '[' || op === '{') this.brackets.push(tok);
    else if (op in CLOSING) {
      const open = this.brackets.pop();
      if (!open) this.fail(`unmatched '${op}'`, tok.line, tok.col);
      if (open.text !== CLOSING[op]) {
        this.fail(`closing '${op}' does not match '${open.text}' opened at ${open.line}:${open.col}`, tok.line, tok.col);
      }
    }
  }

  private string(): void {
    const startLine = this.line;
    const startCol = this.col(this.i);
    const quote = this.src[this.i];
    const triple = this.src.startsWith(quote.repeat(3), this.i);
    const close = triple ? quote.repeat(3) : quote;
    this.i += close.length;
    let value = '';
    for (;;) {
      if (this.i >= this.src.length || (!triple && this.isNewlineAt(this.i))) {
        this.fail('unterminated string literal', startLine, startCol);
      }
      if (this.src.startsWith(close, this.i)) {
        this.i += close.length;
        break;
      }
      const c = this.src[this.i];
      if (c === '\\') value += this.escape();
      else if (this.isNewlineAt(this.i)) {
        value += '\n';
        this.newline();
      } else {
        value += c;
        this.i++;
      }
    }
    this.tokens.push({ kind: 'string', text: value, line: startLine, col: startCol });
  }

  // Decodes one escape sequence starting at the backslash, with Python's rules: unknown escapes keep
  // the backslash, and a backslash before a line break joins the lines.
  private escape(): string {
    const at = this.i;
    const c = this.src[this.i + 1] ?? '';
    if (this.isNewlineAt(this.i + 1)) {
      this.i++;
      this.newline();
      return '';
    }
    if (c in SIMPLE_ESCAPES) {
      this.i += 2;
      return SIMPLE_ESCAPES[c];
    }
    const octal = /[0-7]{1,3}/y;
    octal.lastIndex = this.i + 1;
    const oct = octal.exec(this.src);
    if (oct) {
      this.i += 1 + oct[0].length;
      return String.fromCodePoint(parseInt(oct[0], 8));
    }
    const hexLength = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
    if (hexLength) {
      const hex = this.src.slice(this.i + 2, this.i + 2 + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) {
        this.fail(`invalid \\${c} escape in string`, this.line, this.col(at));
      }
      this.i += 2 + hexLength;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    this.i++;
    return '\\';
  }

  private skipComment(): void {
    while (this.i < this.src.length && !this.isNewlineAt(this.i)) this.i++;
  }

  private isNewlineAt(i: number): boolean {
    return this.src[i] === '\n' || this.src[i] === '\r';
  }

  // Consumes one line break (\n, \r\n or \r) at this.i.
  private newline(): void {
    this.i += this.src.startsWith('\r\n', this.i) ? 2 : 1;
    this.line++;
    this.lineStart = this.i;
  }

  private match(re: RegExp): string | undefined {
    re.lastIndex = this.i;
    return re.exec(this.src)?.[0];
  }

  private col(i: number): number {
    return i - this.lineStart + 1;
  }

  private last(): Token {
    return this.tokens[this.tokens.length - 1];
  }

  private push(kind: TokenKind, text: string, at: number): Token {
    const tok = { kind, text, line: this.line, col: this.col(at) };
    this.tokens.push(tok);
    return tok;
  }

  private fail(reason: string, line: number, col: number): never {
    throw new TorchScriptSyntaxError(reason, this.file, line, col);
  }
}

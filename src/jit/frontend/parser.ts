// Recursive-descent parser from tokens to the AST in ast.ts, with Python's grammar and precedence
// (torch/csrc/jit/frontend/parser.cpp accepts the same language).
import type {
  BinaryOp, ClassDef, CompareOp, Def, Expr, Keyword, ModuleAst, Param, Pos, Stmt, WithItem,
} from './ast.js';
import { TorchScriptSyntaxError } from './error.js';
import { tokenize, type Token } from './lexer.js';

/** Parses one source file, e.g. `code/__torch__/foo.py` of an archive. */
export function parseSource(text: string, file: string): ModuleAst {
  const p = new Parser(tokenize(text, file), file);
  const body: Stmt[] = [];
  while (!p.at('eof')) body.push(...p.statement());
  return { kind: 'module', file, body };
}

/** Parses a single expression, e.g. a default value or `x[:, 1:3]`. */
export function parseExpression(text: string, file = '<expr>'): Expr {
  const p = new Parser(tokenize(text, file), file);
  const e = p.exprList('expression');
  p.endOfInput();
  return e;
}

/** Parses a type annotation such as `Optional[Tuple[int, int]]` (kept as an expression). */
export function parseType(text: string, file = '<type>'): Expr {
  const p = new Parser(tokenize(text, file), file);
  const e = p.test();
  p.endOfInput();
  return e;
}

// Binary operator levels from loosest to tightest, between comparisons and unary minus.
const BINARY_LEVELS: readonly (readonly BinaryOp[])[] = [
  ['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '//', '%', '@'],
];
const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=', 'in', 'not', 'is']);
const AUG_OPS = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '**=', '@=', '<<=', '>>=', '&=', '|=', '^=']);
const ASSIGNABLE = new Set(['name', 'attribute', 'subscript', 'tuple', 'list', 'starred']);
// Keywords Python has but TorchScript's parser rejects; named in the error instead of "unexpected".
const UNSUPPORTED = new Set(['lambda', 'try', 'except', 'finally', 'yield', 'global', 'nonlocal', 'async', 'await']);

class Parser {
  private k = 0;

  constructor(private readonly toks: Token[], private readonly file: string) {}

  // ---- token helpers ----

  private get tok(): Token {
    return this.toks[this.k];
  }

  private peek(): Token {
    return this.toks[Math.min(this.k + 1, this.toks.length - 1)];
  }

  at(kind: Token['kind'], text?: string): boolean {
    return this.tok.kind === kind && (text === undefined || this.tok.text === text);
  }

  private atOp(text: string): boolean {
    return this.at('op', text);
  }

  private atKw(text: string): boolean {
    return this.at('keyword', text);
  }

  private next(): Token {
    const t = this.tok;
    if (t.kind !== 'eof') this.k++;
    return t;
  }

  private eat(kind: Token['kind'], text?: string): boolean {
    if (!this.at(kind, text)) return false;
    this.next();
    return true;
  }

  private expect(kind: Token['kind'], text: string | undefined, what: string): Token {
    if (!this.at(kind, text)) this.fail(`expected ${what}`);
    return this.next();
  }

  private expectOp(op: string, context: string): Token {
    return this.expect('op', op, `'${op}' ${context}`);
  }

  private name(context: string): string {
    return this.expect('name', undefined, `a name ${context}`).text;
  }

  endOfInput(): void {
    this.eat('newline');
    if (!this.at('eof')) this.fail('unexpected text after the end');
  }

  private fail(reason: string, t: Token = this.tok): never {
    const found = t.kind === 'eof' ? 'end of file'
      : t.kind === 'newline' ? 'end of line'
      : t.kind === 'indent' ? 'an indent'
      : t.kind === 'dedent' ? 'a dedent'
      : t.kind === 'string' ? 'a string'
      : `'${t.text}'`;
    throw new TorchScriptSyntaxError(`${reason}, found ${found}`, this.file, t.line, t.col);
  }

  private failAt(reason: string, pos: Pos): never {
    throw new TorchScriptSyntaxError(reason, this.file, pos.line, pos.col);
  }

  private pos(t: Token = this.tok): Pos {
    return { line: t.line, col: t.col };
  }

  // ---- statements ----

  /** One line's statements (several for `a; b`), or one compound statement. */
  statement(): Stmt[] {
    const t = this.tok;
    if (t.kind === 'keyword') {
      switch (t.text) {
        case 'def': return [this.def([])];
        case 'class': return [this.classDef()];
        case 'if': return [this.ifStmt()];
        case 'for': return [this.forStmt()];
        case 'while': return [this.whileStmt()];
        case 'with': return [this.withStmt()];
      }
    }
    if (this.atOp('@')) return [this.decorated()];
    if (t.kind === 'indent') this.fail('unexpected indent');
    const stmts = [this.simpleStatement()];
    while (this.eat('op', ';') && !this.at('newline')) stmts.push(this.simpleStatement());
    this.expect('newline', undefined, 'end of line after statement');
    return stmts;
  }

  // After the ':' of a compound statement: an indented block, or simple statements on the same line.
  private block(what: string): Stmt[] {
    if (!this.eat('newline')) return this.statement();
    if (!this.at('indent')) this.fail(`expected an indented block after ${what}`);
    this.next();
    const body: Stmt[] = [];
    while (!this.eat('dedent')) body.push(...this.statement());
    return body;
  }

  private decorated(): Def {
    const decorators: Expr[] = [];
    while (this.eat('op', '@')) {
      decorators.push(this.test());
      this.expect('newline', undefined, 'end of line after decorator');
    }
    if (!this.atKw('def')) this.fail("expected 'def' after decorators");
    return this.def(decorators);
  }

  private def(decorators: Expr[]): Def {
    const pos = this.pos(this.next());
    const name = this.name("after 'def'");
    this.expectOp('(', 'after function name');
    const params: Param[] = [];
    let kwOnly: true | undefined;
    while (!this.atOp(')')) {
      // A bare `*` makes the parameters after it keyword-only; `*args` is not TorchScript.
      if (!kwOnly && this.eat('op', '*')) {
        kwOnly = true;
        if (!this.eat('op', ',')) this.fail("expected ',' after bare '*' (*args is not supported)");
        continue;
      }
      const ppos = this.pos();
      const pname = this.name('for a parameter');
      const annotation = this.eat('op', ':') ? this.test() : undefined;
      const dflt = this.eat('op', '=') ? this.test() : undefined;
      if (!dflt && !kwOnly && params.length && params[params.length - 1].default) {
        this.failAt('non-default parameter follows default parameter', ppos);
      }
      params.push({ name: pname, annotation, default: dflt, kwOnly, pos: ppos });
      if (!this.eat('op', ',')) break;
    }
    if (kwOnly && !params[params.length - 1]?.kwOnly) this.fail("expected a parameter after bare '*'");
    this.expectOp(')', 'after parameters');
    const returns = this.eat('op', '->') ? this.test() : undefined;
    this.expectOp(':', 'after function signature');
    return { kind: 'def', name, params, returns, decorators, body: this.block(`def ${name}`), pos };
  }

  private classDef(): ClassDef {
    const pos = this.pos(this.next());
    const name = this.name("after 'class'");
    const bases: Expr[] = [];
    if (this.eat('op', '(')) {
      while (!this.atOp(')')) {
        bases.push(this.test());
        if (!this.eat('op', ',')) break;
      }
      this.expectOp(')', 'after base classes');
    }
    this.expectOp(':', 'after class header');
    return { kind: 'class', name, bases, body: this.block(`class ${name}`), pos };
  }

  private ifStmt(): Stmt {
    const pos = this.pos(this.next());
    const test = this.test();
    this.expectOp(':', 'after if condition');
    const body = this.block('if');
    let orelse: Stmt[] = [];
    if (this.atKw('elif')) orelse = [this.ifStmt()];
    else if (this.eat('keyword', 'else')) {
      this.expectOp(':', "after 'else'");
      orelse = this.block('else');
    }
    return { kind: 'if', test, body, orelse, pos };
  }

  private forStmt(): Stmt {
    const pos = this.pos(this.next());
    const target = this.targetList();
    this.expect('keyword', 'in', "'in' after for-loop target");
    const iter = this.exprList('loop iterable');
    this.expectOp(':', 'after for-loop header');
    return { kind: 'for', target, iter, body: this.block('for'), pos };
  }

  private whileStmt(): Stmt {
    const pos = this.pos(this.next());
    const test = this.test();
    this.expectOp(':', 'after while condition');
    return { kind: 'while', test, body: this.block('while'), pos };
  }

  private withStmt(): Stmt {
    const pos = this.pos(this.next());
    const items: WithItem[] = [];
    do {
      const expr = this.test();
      const target = this.eat('keyword', 'as') ? this.assignable(this.binary(0)) : undefined;
      items.push({ expr, target });
    } while (this.eat('op', ','));
    this.expectOp(':', 'after with items');
    return { kind: 'with', items, body: this.block('with'), pos };
  }

  private simpleStatement(): Stmt {
    const t = this.tok;
    const pos = this.pos(t);
    if (t.kind === 'keyword') {
      switch (t.text) {
        case 'pass': case 'break': case 'continue':
          this.next();
          return { kind: t.text as 'pass' | 'break' | 'continue', pos };
        case 'return':
          this.next();
          return { kind: 'return', value: this.atEndOfStatement() ? undefined : this.exprList('return value'), pos };
        case 'raise': {
          this.next();
          const exc = this.atEndOfStatement() ? undefined : this.test();
          if (this.atKw('from')) this.fail("'raise ... from' is not supported");
          return { kind: 'raise', exc, pos };
        }
        case 'assert': {
          this.next();
          const test = this.test();
          return { kind: 'assert', test, msg: this.eat('op', ',') ? this.test() : undefined, pos };
        }
        case 'del': {
          this.next();
          const targets: Expr[] = [];
          do targets.push(this.assignable(this.test()));
          while (this.eat('op', ',') && !this.atEndOfStatement());
          return { kind: 'del', targets, pos };
        }
        case 'import': case 'from':
          return this.importStmt();
      }
      if (UNSUPPORTED.has(t.text)) this.fail(`'${t.text}' is not supported in TorchScript`);
    }
    const first = this.exprList('statement', true);
    if (this.eat('op', ':')) {
      const annotation = this.test();
      const value = this.eat('op', '=') ? this.exprList('value', true) : undefined;
      return { kind: 'annassign', target: this.assignable(first, true), annotation, value, pos };
    }
    if (this.at('op') && AUG_OPS.has(this.tok.text)) {
      const op = this.next().text.slice(0, -1) as BinaryOp;
      return { kind: 'augassign', target: this.assignable(first, true), op, value: this.exprList('value'), pos };
    }
    if (!this.atOp('=')) return { kind: 'expr', value: first, pos };
    const targets = [first];
    let value = first;
    while (this.eat('op', '=')) {
      value = this.exprList('value after =', true);
      targets.push(value);
    }
    targets.pop();
    return { kind: 'assign', targets: targets.map((e) => this.assignable(e)), value, pos };
  }

  private importStmt(): Stmt {
    const pos = this.pos();
    const from = this.eat('keyword', 'from') ? this.dottedName() : undefined;
    this.expect('keyword', 'import', from === undefined ? "'import'" : "'import' after module name");
    const names: string[] = [];
    do names.push(from === undefined ? this.dottedName() : this.name('to import'));
    while (this.eat('op', ','));
    return { kind: 'import', from, names, pos };
  }

  private dottedName(): string {
    let s = this.name('of a module');
    while (this.eat('op', '.')) s += '.' + this.name("after '.'");
    return s;
  }

  private atEndOfStatement(): boolean {
    return this.at('newline') || this.atOp(';') || this.at('eof');
  }

  /** Checks that e can be assigned to; `single` forbids tuple and list targets. */
  private assignable(e: Expr, single = false): Expr {
    const ok = ASSIGNABLE.has(e.kind) && !(single && (e.kind === 'tuple' || e.kind === 'list' || e.kind === 'starred'));
    if (!ok) this.failAt(`cannot assign to ${describe(e)}`, e.pos);
    if (e.kind === 'tuple' || e.kind === 'list') e.elts.forEach((x) => this.assignable(x));
    if (e.kind === 'starred') this.assignable(e.value);
    return e;
  }

  // ---- expressions ----

  /** `a, b, c` with an optional trailing comma: a tuple when there is a comma. */
  exprList(what: string, allowStar = false): Expr {
    const pos = this.pos();
    if (this.atEndOfExprList()) this.fail(`expected ${what}`);
    const first = allowStar && this.atOp('*') ? this.starred() : this.test();
    if (!this.atOp(',')) return first;
    const elts = [first];
    while (this.eat('op', ',') && !this.atEndOfExprList()) {
      elts.push(allowStar && this.atOp('*') ? this.starred() : this.test());
    }
    return { kind: 'tuple', elts, pos };
  }

  private atEndOfExprList(): boolean {
    return this.atEndOfStatement() || (this.at('op') && ['=', ':', ')', ']', '}'].includes(this.tok.text))
      || (this.at('op') && AUG_OPS.has(this.tok.text));
  }

  /** Loop and comprehension targets: like exprList but at `|` level, so `in` is not a comparison. */
  private targetList(): Expr {
    const pos = this.pos();
    const first = this.binary(0);
    if (!this.atOp(',')) return this.assignable(first);
    const elts = [first];
    while (this.eat('op', ',') && !this.atKw('in') && !this.atOp('=')) elts.push(this.binary(0));
    return this.assignable({ kind: 'tuple', elts, pos });
  }

  private starred(): Expr {
    const pos = this.pos(this.next());
    return { kind: 'starred', value: this.binary(0), pos };
  }

  /** A full expression without tuples: the ternary level. */
  test(): Expr {
    if (this.at('keyword') && UNSUPPORTED.has(this.tok.text)) this.fail(`'${this.tok.text}' is not supported in TorchScript`);
    const body = this.orTest();
    if (!this.atKw('if')) return body;
    this.next();
    const test = this.orTest();
    this.expect('keyword', 'else', "'else' in conditional expression");
    return { kind: 'ifexp', test, body, orelse: this.test(), pos: body.pos };
  }

  private orTest(): Expr {
    let left = this.andTest();
    while (this.eat('keyword', 'or')) left = { kind: 'boolop', op: 'or', left, right: this.andTest(), pos: left.pos };
    return left;
  }

  private andTest(): Expr {
    let left = this.notTest();
    while (this.eat('keyword', 'and')) left = { kind: 'boolop', op: 'and', left, right: this.notTest(), pos: left.pos };
    return left;
  }

  private notTest(): Expr {
    if (!this.atKw('not')) return this.comparison();
    const pos = this.pos(this.next());
    return { kind: 'unary', op: 'not', operand: this.notTest(), pos };
  }

  private comparison(): Expr {
    const left = this.binary(0);
    const ops: CompareOp[] = [];
    const comparators: Expr[] = [];
    while ((this.at('op') || this.at('keyword')) && COMPARE_OPS.has(this.tok.text)) {
      const t = this.next();
      let op = t.text as CompareOp;
      if (t.text === 'not') {
        this.expect('keyword', 'in', "'in' after 'not'");
        op = 'not in';
      } else if (t.text === 'is' && this.eat('keyword', 'not')) op = 'is not';
      ops.push(op);
      comparators.push(this.binary(0));
    }
    return ops.length ? { kind: 'compare', left, ops, comparators, pos: left.pos } : left;
  }

  private binary(level: number): Expr {
    if (level === BINARY_LEVELS.length) return this.factor();
    const ops = BINARY_LEVELS[level];
    let left = this.binary(level + 1);
    while (this.at('op') && (ops as readonly string[]).includes(this.tok.text)) {
      const op = this.next().text as BinaryOp;
      left = { kind: 'binary', op, left, right: this.binary(level + 1), pos: left.pos };
    }
    return left;
  }

  private factor(): Expr {
    if (this.atOp('-') || this.atOp('+') || this.atOp('~')) {
      const t = this.next();
      return { kind: 'unary', op: t.text as '-' | '+' | '~', operand: this.factor(), pos: this.pos(t) };
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.primary();
    if (!this.eat('op', '**')) return base;
    return { kind: 'binary', op: '**', left: base, right: this.factor(), pos: base.pos };
  }

  private primary(): Expr {
    let e = this.atom();
    for (;;) {
      if (this.eat('op', '.')) {
        e = { kind: 'attribute', value: e, attr: this.name("after '.'"), pos: e.pos };
      } else if (this.eat('op', '(')) {
        e = this.call(e);
      } else if (this.eat('op', '[')) {
        const indices: Expr[] = [];
        do indices.push(this.subscriptItem());
        while (this.eat('op', ',') && !this.atOp(']'));
        this.expectOp(']', 'to close subscript');
        e = { kind: 'subscript', value: e, indices, pos: e.pos };
      } else return e;
    }
  }

  private call(func: Expr): Expr {
    const args: Expr[] = [];
    const keywords: Keyword[] = [];
    while (!this.atOp(')')) {
      if (this.atOp('**')) this.fail("'**' arguments are not supported");
      if (this.at('name') && this.peek().kind === 'op' && this.peek().text === '=') {
        const pos = this.pos();
        const name = this.next().text;
        this.next();
        keywords.push({ name, value: this.test(), pos });
      } else {
        const arg = this.atOp('*') ? this.starred() : this.test();
        if (keywords.length) this.failAt('positional argument follows keyword argument', arg.pos);
        args.push(arg);
      }
      if (!this.eat('op', ',')) break;
    }
    this.expectOp(')', 'to close call arguments');
    return { kind: 'call', func, args, keywords, pos: func.pos };
  }

  private subscriptItem(): Expr {
    const pos = this.pos();
    const lower = this.atOp(':') ? undefined : this.test();
    if (!this.eat('op', ':')) return lower!;
    const bound = () => (this.atOp(':') || this.atOp(',') || this.atOp(']') ? undefined : this.test());
    const upper = bound();
    const step = this.eat('op', ':') ? bound() : undefined;
    return { kind: 'slice', lower, upper, step, pos };
  }

  private atom(): Expr {
    const t = this.tok;
    const pos = this.pos(t);
    switch (t.kind) {
      case 'name':
        this.next();
        return { kind: 'name', id: t.text, pos };
      case 'int':
        this.next();
        return { kind: 'int', value: BigInt(t.text), pos };
      case 'float':
        this.next();
        return { kind: 'float', value: Number(t.text), pos };
      case 'string': {
        let value = '';
        while (this.at('string')) value += this.next().text;
        return { kind: 'str', value, pos };
      }
      case 'op':
        if (t.text === '(') return this.parenthesized();
        if (t.text === '[') return this.listDisplay();
        if (t.text === '{') return this.dictDisplay();
    }
    const constant = this.constant(t, pos);
    if (!constant) this.fail('expected an expression');
    this.next();
    return constant;
  }

  private constant(t: Token, pos: Pos): Expr | undefined {
    if (t.kind === 'op' && t.text === '...') return { kind: 'ellipsis', pos };
    if (t.kind !== 'keyword') return undefined;
    if (t.text === 'None') return { kind: 'none', pos };
    if (t.text === 'True' || t.text === 'False') return { kind: 'bool', value: t.text === 'True', pos };
    return undefined;
  }

  private parenthesized(): Expr {
    const pos = this.pos(this.next());
    if (this.eat('op', ')')) return { kind: 'tuple', elts: [], pos };
    const first = this.atOp('*') ? this.starred() : this.test();
    if (this.atKw('for')) this.fail('generator expressions are not supported');
    if (this.eat('op', ')')) return first;
    const elts = [first];
    while (this.eat('op', ',') && !this.atOp(')')) elts.push(this.atOp('*') ? this.starred() : this.test());
    this.expectOp(')', 'to close tuple');
    return { kind: 'tuple', elts, pos };
  }

  private listDisplay(): Expr {
    const pos = this.pos(this.next());
    const elts: Expr[] = [];
    while (!this.atOp(']')) {
      const e = this.atOp('*') ? this.starred() : this.test();
      if (elts.length === 0 && this.atKw('for')) {
        const [target, iter] = this.compFor();
        this.expectOp(']', 'to close list comprehension');
        return { kind: 'listcomp', elt: e, target, iter, pos };
      }
      elts.push(e);
      if (!this.eat('op', ',')) break;
    }
    this.expectOp(']', 'to close list');
    return { kind: 'list', elts, pos };
  }

  private dictDisplay(): Expr {
    const pos = this.pos(this.next());
    const entries: { key: Expr; value: Expr }[] = [];
    while (!this.atOp('}')) {
      const key = this.test();
      this.expectOp(':', 'after dict key (set literals are not supported)');
      const value = this.test();
      if (entries.length === 0 && this.atKw('for')) {
        const [target, iter] = this.compFor();
        this.expectOp('}', 'to close dict comprehension');
        return { kind: 'dictcomp', key, value, target, iter, pos };
      }
      entries.push({ key, value });
      if (!this.eat('op', ',')) break;
    }
    this.expectOp('}', 'to close dict');
    return { kind: 'dict', entries, pos };
  }

  // `for target in iter` of a comprehension; TorchScript takes exactly one clause and no filter.
  private compFor(): [Expr, Expr] {
    this.next();
    const target = this.targetList();
    this.expect('keyword', 'in', "'in' in comprehension");
    const iter = this.orTest();
    if (this.atKw('for') || this.atKw('if')) this.fail('comprehensions take a single for clause and no if');
    return [target, iter];
  }
}

function describe(e: Expr): string {
  switch (e.kind) {
    case 'call': return 'a function call';
    case 'int': case 'float': case 'str': case 'bool': case 'none': case 'ellipsis': return 'a literal';
    default: return `a ${e.kind} expression`;
  }
}

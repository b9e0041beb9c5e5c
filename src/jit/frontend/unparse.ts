// Prints an AST back to TorchScript source in torch.jit.save's layout (python_print.cpp): two spaces
// per block level, parameters after the first on their own lines, `name : T` class attributes,
// `else:` blocks instead of `elif`. Parentheses are added only where precedence needs them, so
// parseSource(unparse(m)) equals m structurally (astEqual).
import type { Def, Expr, ModuleAst, Stmt } from './ast.js';
import { formatFloat, quoteString } from './literals.js';

const INDENT = '  ';

/** The source text of a module, ending with a newline. */
export function unparse(m: ModuleAst): string {
  return m.body.map((s) => unparseStmt(s, 0, 'module')).join('');
}

/** Where a statement sits; class bodies print annotations as `name : T`. */
export type StmtContext = 'module' | 'class' | 'function';

/** One statement with its trailing newline, indented `depth` levels. */
export function unparseStmt(s: Stmt, depth = 0, ctx: StmtContext = 'function'): string {
  const pad = INDENT.repeat(depth);
  const line = (text: string) => `${pad}${text}\n`;
  const block = (body: Stmt[], inner: StmtContext = ctx) =>
    body.length ? body.map((b) => unparseStmt(b, depth + 1, inner)).join('') : `${pad}${INDENT}pass\n`;
  switch (s.kind) {
    case 'expr': return line(unparseExpr(s.value));
    case 'assign': {
      // `a, b = x, y` but `t = (x, y)`, as python_print writes them.
      const value = s.targets[s.targets.length - 1].kind === 'tuple' ? bare(s.value) : unparseExpr(s.value);
      return line([...s.targets.map(bare), value].join(' = '));
    }
    case 'augassign': return line(`${bare(s.target)} ${s.op}= ${bare(s.value)}`);
    case 'annassign': {
      const sep = ctx === 'class' ? ' : ' : ': ';
      const value = s.value ? ` = ${unparseExpr(s.value)}` : '';
      return line(`${bare(s.target)}${sep}${unparseExpr(s.annotation)}${value}`);
    }
    case 'if': {
      const orelse = s.orelse.length ? line('else:') + block(s.orelse) : '';
      return line(`if ${unparseExpr(s.test)}:`) + block(s.body) + orelse;
    }
    case 'for': return line(`for ${bare(s.target)} in ${bare(s.iter)}:`) + block(s.body);
    case 'while': return line(`while ${unparseExpr(s.test)}:`) + block(s.body);
    case 'break': case 'continue': case 'pass': return line(s.kind);
    case 'return': return line(s.value ? `return ${unparseExpr(s.value)}` : 'return');
    case 'raise': return line(s.exc ? `raise ${unparseExpr(s.exc)}` : 'raise');
    case 'assert': return line(`assert ${unparseExpr(s.test)}${s.msg ? `, ${unparseExpr(s.msg)}` : ''}`);
    case 'with': {
      const items = s.items.map((i) => unparseExpr(i.expr) + (i.target ? ` as ${bare(i.target)}` : ''));
      return line(`with ${items.join(', ')}:`) + block(s.body);
    }
    case 'del': return line(`del ${s.targets.map((t) => unparseExpr(t)).join(', ')}`);
    case 'import':
      return line(s.from === undefined ? `import ${s.names.join(', ')}` : `from ${s.from} import ${s.names.join(', ')}`);
    case 'def':
      return s.decorators.map((d) => line(`@${unparseExpr(d)}`)).join('') + line(signature(s)) + block(s.body, 'function');
    case 'class': {
      const bases = s.bases.length ? `(${s.bases.map((b) => unparseExpr(b)).join(', ')})` : '';
      return line(`class ${s.name}${bases}:`) + block(s.body, 'class');
    }
  }
}

// `def f(self: T,\n    x: Tensor=None) -> R:` as python_print.cpp lays it out.
function signature(d: Def): string {
  const params = d.params.map((p, i) => {
    const star = p.kwOnly && !d.params[i - 1]?.kwOnly ? '*, ' : '';
    const ann = p.annotation ? `: ${unparseExpr(p.annotation)}` : '';
    return `${star}${p.name}${ann}${p.default ? `=${unparseExpr(p.default)}` : ''}`;
  });
  const returns = d.returns ? ` -> ${unparseExpr(d.returns)}` : '';
  return `def ${d.name}(${params.join(',\n    ')})${returns}:`;
}

// Binding strength, loosest first; a child printed in a slot that needs more gets parentheses.
const enum Prec { Test = 1, Or, And, Not, Compare, BitOr, Xor, BitAnd, Shift, Arith, Term, Unary, Power, Primary, Atom }

const BINARY_PREC: Record<string, Prec> = {
  '|': Prec.BitOr, '^': Prec.Xor, '&': Prec.BitAnd, '<<': Prec.Shift, '>>': Prec.Shift,
  '+': Prec.Arith, '-': Prec.Arith, '*': Prec.Term, '/': Prec.Term, '//': Prec.Term, '%': Prec.Term,
  '@': Prec.Term, '**': Prec.Power,
};

function precedence(e: Expr): Prec {
  switch (e.kind) {
    case 'ifexp': return Prec.Test;
    case 'boolop': return e.op === 'or' ? Prec.Or : Prec.And;
    case 'unary': return e.op === 'not' ? Prec.Not : Prec.Unary;
    case 'compare': return Prec.Compare;
    case 'binary': return BINARY_PREC[e.op];
    case 'attribute': case 'call': case 'subscript': return Prec.Primary;
    // A starred item and a slice only appear where any expression may; tuples always get parentheses.
    default: return Prec.Atom;
  }
}

/** An expression as it reads in a position that takes any expression. */
export function unparseExpr(e: Expr): string {
  return sub(e, Prec.Test);
}

// Assignment and loop targets and right-hand sides print tuples bare, as saved code does:
// `a, b = x, y`, `a, = t`.
function bare(e: Expr): string {
  return e.kind === 'tuple' && e.elts.length ? tupleItems(e.elts) : unparseExpr(e);
}

function tupleItems(elts: Expr[]): string {
  const items = elts.map((x) => unparseExpr(x));
  return elts.length === 1 ? `${items[0]},` : items.join(', ');
}

function sub(e: Expr, min: Prec): string {
  const text = print(e);
  return precedence(e) < min ? `(${text})` : text;
}

function list(es: Expr[]): string {
  return es.map((x) => unparseExpr(x)).join(', ');
}

function print(e: Expr): string {
  switch (e.kind) {
    case 'name': return e.id;
    case 'int': return e.value.toString();
    case 'float': return formatFloat(e.value);
    case 'str': return quoteString(e.value);
    case 'bool': return e.value ? 'True' : 'False';
    case 'none': return 'None';
    case 'ellipsis': return '...';
    case 'attribute': {
      // `1.real` would lex as a float; an int needs parentheses before '.'.
      const base = e.value.kind === 'int' ? `(${print(e.value)})` : sub(e.value, Prec.Primary);
      return `${base}.${e.attr}`;
    }
    case 'call': {
      const kw = e.keywords.map((k) => `${k.name}=${unparseExpr(k.value)}`);
      return `${sub(e.func, Prec.Primary)}(${[...e.args.map((a) => unparseExpr(a)), ...kw].join(', ')})`;
    }
    case 'subscript': return `${sub(e.value, Prec.Primary)}[${list(e.indices)}]`;
    case 'slice': {
      const part = (x?: Expr) => (x ? unparseExpr(x) : '');
      return `${part(e.lower)}:${part(e.upper)}${e.step ? `:${part(e.step)}` : ''}`;
    }
    case 'starred': return `*${sub(e.value, Prec.BitOr)}`;
    case 'tuple': return `(${tupleItems(e.elts)})`;
    case 'list': return `[${list(e.elts)}]`;
    case 'dict': return `{${e.entries.map((d) => `${unparseExpr(d.key)}: ${unparseExpr(d.value)}`).join(', ')}}`;
    case 'listcomp':
      return `[${unparseExpr(e.elt)} for ${bare(e.target)} in ${sub(e.iter, Prec.Or)}]`;
    case 'dictcomp':
      return `{${unparseExpr(e.key)}: ${unparseExpr(e.value)} for ${bare(e.target)} in ${sub(e.iter, Prec.Or)}}`;
    case 'unary':
      return e.op === 'not' ? `not ${sub(e.operand, Prec.Not)}` : `${e.op}${sub(e.operand, Prec.Unary)}`;
    case 'binary': {
      const p = BINARY_PREC[e.op];
      // Left-associative except `**`, whose left side is a primary and right side a unary-level factor.
      const [l, r] = e.op === '**' ? [Prec.Primary, Prec.Unary] : [p, p + 1];
      return `${sub(e.left, l)} ${e.op} ${sub(e.right, r)}`;
    }
    case 'boolop': {
      const p = precedence(e);
      return `${sub(e.left, p)} ${e.op} ${sub(e.right, p + 1)}`;
    }
    case 'compare':
      return [sub(e.left, Prec.BitOr), ...e.ops.map((op, i) => `${op} ${sub(e.comparators[i], Prec.BitOr)}`)].join(' ');
    case 'ifexp':
      return `${sub(e.body, Prec.Or)} if ${sub(e.test, Prec.Or)} else ${sub(e.orelse, Prec.Test)}`;
  }
}

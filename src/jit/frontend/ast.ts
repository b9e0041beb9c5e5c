// AST of the TorchScript language (the Python subset of torch/csrc/jit/frontend/tree_views.h).
// Every node is a plain object with a `kind` tag and the position of its first token. Type
// annotations are ordinary expressions (`List[Tensor]` is a subscript); see type_expr.ts.

/** 1-based line and column of a node's first token. */
export interface Pos {
  line: number;
  col: number;
}

// ---- expressions ----

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '@' | '<<' | '>>' | '&' | '|' | '^';
export type UnaryOp = '-' | '+' | '~' | 'not';
export type BoolOp = 'and' | 'or';
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';

export interface Name { kind: 'name'; id: string; pos: Pos }
/** TorchScript ints are 64-bit, so the value is a bigint (9223372036854775807 appears in saved code). */
export interface IntLit { kind: 'int'; value: bigint; pos: Pos }
export interface FloatLit { kind: 'float'; value: number; pos: Pos }
/** Adjacent string literals are joined into one node, as in Python. */
export interface StrLit { kind: 'str'; value: string; pos: Pos }
export interface BoolLit { kind: 'bool'; value: boolean; pos: Pos }
export interface NoneLit { kind: 'none'; pos: Pos }
export interface EllipsisLit { kind: 'ellipsis'; pos: Pos }
export interface Attribute { kind: 'attribute'; value: Expr; attr: string; pos: Pos }
export interface Keyword { name: string; value: Expr; pos: Pos }
export interface Call { kind: 'call'; func: Expr; args: Expr[]; keywords: Keyword[]; pos: Pos }
/** `x[a, b:c]`: one entry per comma-separated index, as TorchScript's Subscript keeps them. */
export interface Subscript { kind: 'subscript'; value: Expr; indices: Expr[]; pos: Pos }
/** Only inside Subscript.indices. */
export interface Slice { kind: 'slice'; lower?: Expr; upper?: Expr; step?: Expr; pos: Pos }
export interface Starred { kind: 'starred'; value: Expr; pos: Pos }
export interface TupleExpr { kind: 'tuple'; elts: Expr[]; pos: Pos }
export interface ListExpr { kind: 'list'; elts: Expr[]; pos: Pos }
export interface DictEntry { key: Expr; value: Expr }
export interface DictExpr { kind: 'dict'; entries: DictEntry[]; pos: Pos }
/** `[elt for target in iter]`: TorchScript allows one `for` clause and no `if`. */
export interface ListComp { kind: 'listcomp'; elt: Expr; target: Expr; iter: Expr; pos: Pos }
export interface DictComp { kind: 'dictcomp'; key: Expr; value: Expr; target: Expr; iter: Expr; pos: Pos }
export interface Unary { kind: 'unary'; op: UnaryOp; operand: Expr; pos: Pos }
export interface Binary { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: Pos }
/** `a and b and c` nests to the left: ((a and b) and c). */
export interface BoolExpr { kind: 'boolop'; op: BoolOp; left: Expr; right: Expr; pos: Pos }
/** Chained comparison `a < b <= c`: ops.length === comparators.length. */
export interface Compare { kind: 'compare'; left: Expr; ops: CompareOp[]; comparators: Expr[]; pos: Pos }
/** `body if test else orelse`. */
export interface IfExp { kind: 'ifexp'; test: Expr; body: Expr; orelse: Expr; pos: Pos }

export type Expr =
  | Name | IntLit | FloatLit | StrLit | BoolLit | NoneLit | EllipsisLit
  | Attribute | Call | Subscript | Slice | Starred
  | TupleExpr | ListExpr | DictExpr | ListComp | DictComp
  | Unary | Binary | BoolExpr | Compare | IfExp;

// ---- statements ----

export interface ExprStmt { kind: 'expr'; value: Expr; pos: Pos }
/** `a = b = value`: one target per `=`; a target may be a tuple (`a, b, = t`), attribute or subscript. */
export interface Assign { kind: 'assign'; targets: Expr[]; value: Expr; pos: Pos }
export interface AugAssign { kind: 'augassign'; target: Expr; op: BinaryOp; value: Expr; pos: Pos }
/** `x: T = v` in a body, or `w : Tensor` / `k : Final[int] = 3` in a class. */
export interface AnnAssign { kind: 'annassign'; target: Expr; annotation: Expr; value?: Expr; pos: Pos }
/** `elif` parses to an If as the only statement of orelse. */
export interface If { kind: 'if'; test: Expr; body: Stmt[]; orelse: Stmt[]; pos: Pos }
export interface For { kind: 'for'; target: Expr; iter: Expr; body: Stmt[]; pos: Pos }
export interface While { kind: 'while'; test: Expr; body: Stmt[]; pos: Pos }
export interface Break { kind: 'break'; pos: Pos }
export interface Continue { kind: 'continue'; pos: Pos }
export interface Pass { kind: 'pass'; pos: Pos }
export interface Return { kind: 'return'; value?: Expr; pos: Pos }
export interface Raise { kind: 'raise'; exc?: Expr; pos: Pos }
export interface Assert { kind: 'assert'; test: Expr; msg?: Expr; pos: Pos }
export interface WithItem { expr: Expr; target?: Expr }
export interface With { kind: 'with'; items: WithItem[]; body: Stmt[]; pos: Pos }
export interface Del { kind: 'del'; targets: Expr[]; pos: Pos }
/** `import a.b` (from is undefined) or `from a.b import c, d`; old archives start with these. */
export interface Import { kind: 'import'; from?: string; names: string[]; pos: Pos }
/** kwOnly: declared after a bare `*`. */
export interface Param { name: string; annotation?: Expr; default?: Expr; kwOnly?: boolean; pos: Pos }
export interface Def {
  kind: 'def';
  name: string;
  params: Param[];
  returns?: Expr;
  decorators: Expr[];
  body: Stmt[];
  pos: Pos;
}
export interface ClassDef { kind: 'class'; name: string; bases: Expr[]; body: Stmt[]; pos: Pos }

export type Stmt =
  | ExprStmt | Assign | AugAssign | AnnAssign | If | For | While | Break | Continue | Pass
  | Return | Raise | Assert | With | Del | Import | Def | ClassDef;

/** One source file: classes, functions, and the few top-level statements saved code has. */
export interface ModuleAst { kind: 'module'; file: string; body: Stmt[] }

export type Node = Expr | Stmt | ModuleAst;

/** Deep structural equality that ignores positions (and the module's file name). */
export function astEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = (o: object) => Object.keys(o).filter((k) => k !== 'pos' && k !== 'file' && o[k] !== undefined);
  const ka = keys(a);
  const kb = keys(b);
  return ka.length === kb.length && ka.every((k) => kb.includes(k) && astEqual(a[k], b[k]));
}

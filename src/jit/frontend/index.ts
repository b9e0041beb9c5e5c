// The TorchScript language frontend: source text -> AST -> source text.
export * from './ast.js';
export { TorchScriptSyntaxError } from './error.js';
export { tokenize, KEYWORDS, type Token, type TokenKind } from './lexer.js';
export { formatFloat, quoteString } from './literals.js';
export { parseSource, parseExpression, parseType } from './parser.js';
export { typeExprToString } from './type_expr.js';
export { unparse, unparseExpr, unparseStmt, type StmtContext } from './unparse.js';

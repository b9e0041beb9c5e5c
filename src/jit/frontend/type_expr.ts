// Type annotations stay ordinary expressions in the AST (`List[Tensor]` is a subscript, a class path
// is an attribute chain). This prints one back in canonical form, checking that it has a type's shape.
import type { Expr } from './ast.js';
import { TorchScriptSyntaxError } from './error.js';

/**
 * `Optional[Tuple[int, int]]`, `__torch__.a.___torch_mangle_3.B`, `None`, `Tuple[()]`: names and
 * dotted paths, subscripted by types; `None` and the empty tuple (only as `Tuple[()]`) as well.
 * Throws TorchScriptSyntaxError at the offending node for anything else (calls, numbers, ...).
 */
export function typeExprToString(e: Expr, file = '<type>'): string {
  switch (e.kind) {
    case 'name': return e.id;
    case 'none': return 'None';
    case 'attribute': return `${typeExprToString(e.value, file)}.${e.attr}`;
    case 'subscript': {
      const args = e.indices.map((i) => (i.kind === 'tuple' && i.elts.length === 0 ? '()' : typeExprToString(i, file)));
      return `${typeExprToString(e.value, file)}[${args.join(', ')}]`;
    }
  }
  throw new TorchScriptSyntaxError(`expected a type, found a ${e.kind} expression`, file, e.pos.line, e.pos.col);
}

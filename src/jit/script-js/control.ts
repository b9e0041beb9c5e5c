// Structured exits for SSA emission (what PyTorch's exit transforms do): a statement list is
// rewritten so that `return`, `break` and `continue` only end a list. An `if` that may exit takes
// the statements after it into each branch that does not exit, so every path ends in one exit
// and the emitter can give prim::If an output for the exit's value. A `return` inside a loop leaves
// through the loop's condition: the loops carry a "returned" flag and the value out (RETURNED,
// RETURN_VALUE), and a loop that may return is followed by `if (returned) return value;`, which
// takes the rest of the list into its other branch like any `if` that may exit.

const EXITS = new Set(['ReturnStatement', 'BreakStatement', 'ContinueStatement']);
const LOOPS = new Set(['ForStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement', 'ForInStatement']);

/** Names of the variables carrying a return out of loops: not JS identifiers, so no clash with user names. */
export const RETURNED = '#returned';
export const RETURN_VALUE = '#return';
export const isSynthetic = (name: string): boolean => name.startsWith('#');

export const asList = (s: any): any[] => (!s ? [] : s.type === 'BlockStatement' ? s.body : [s]);

/** Whether every path through `s` ends in an exit. */
export function alwaysExits(s: any): boolean {
  if (!s) return false;
  if (EXITS.has(s.type)) return true;
  if (s.type === 'BlockStatement') return s.body.length > 0 && alwaysExits(s.body[s.body.length - 1]);
  if (s.type === 'IfStatement') return alwaysExits(s.consequent) && alwaysExits(s.alternate);
  return false;
}

/** Whether `s` holds an exit of its own list's function or loop (not one of a nested loop's). */
export function mayExit(s: any, inLoop = false): boolean {
  if (!s || typeof s !== 'object') return false;
  if (s.type === 'ReturnStatement') return true;
  if (s.type === 'BreakStatement' || s.type === 'ContinueStatement') return !inLoop;
  if (s.type === 'FunctionExpression' || s.type === 'ArrowFunctionExpression' || s.type === 'FunctionDeclaration') return false;
  const nested = inLoop || LOOPS.has(s.type);
  return Object.values(s).some((c) => (Array.isArray(c) ? c.some((x) => mayExit(x, nested)) : c && typeof c === 'object' && 'type' in c && mayExit(c, nested)));
}

/** Whether `s` holds a `return` (nested functions excluded). */
export const containsReturn = (s: any): boolean => mayExit(s, true);
/** Whether `s` is a loop with a `return` inside. */
export const loopReturns = (s: any): boolean => LOOPS.has(s?.type) && containsReturn(s);

/** `if (returned) return value;` after a loop that may return. */
function returnGuard(loop: any): any {
  const id = (name: string) => ({ type: 'Identifier', name, loc: loop.loc });
  return { type: 'IfStatement', test: id(RETURNED), consequent: { type: 'ReturnStatement', argument: id(RETURN_VALUE), loc: loop.loc }, alternate: null, loc: loop.loc, returnGuard: true };
}

/** The list rewritten so that exits only end lists; statements after an exit are dropped. */
export function structureExits(list: any[]): any[] {
  const stmts: any[] = [];
  list.forEach((s, i) => {
    stmts.push(s);
    // (A list moved into a branch is structured again: its loops have their guards already.)
    if (loopReturns(s) && !list[i + 1]?.returnGuard) stmts.push(returnGuard(s));
  });
  const out: any[] = [];
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i];
    if (s.type === 'IfStatement' && mayExit(s) && !alwaysExits(s)) {
      const rest = stmts.slice(i + 1);
      const branch = (b: any) => ({ type: 'BlockStatement', body: alwaysExits(b) ? asList(b) : [...asList(b), ...rest], loc: (b ?? s).loc, synthetic: !b });
      out.push({ ...s, consequent: branch(s.consequent), alternate: branch(s.alternate) });
      return out;
    }
    out.push(s);
    if (alwaysExits(s)) return out;
  }
  return out;
}

/** Names assigned (=, op=, ++, --) anywhere in `node`, nested functions excluded. */
export function assignedNames(node: any, out = new Set<string>()): Set<string> {
  if (!node || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    node.forEach((n) => assignedNames(n, out));
    return out;
  }
  if (node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') return out;
  if (node.type === 'AssignmentExpression') patternNames(node.left, out);
  if (node.type === 'UpdateExpression' && node.argument.type === 'Identifier') out.add(node.argument.name);
  for (const [k, v] of Object.entries(node)) if (k !== 'loc' && v && typeof v === 'object') assignedNames(v, out);
  return out;
}

function patternNames(p: any, out: Set<string>): void {
  if (p.type === 'Identifier') out.add(p.name);
  else if (p.type === 'ArrayPattern') p.elements.forEach((e: any) => e && patternNames(e, out));
}

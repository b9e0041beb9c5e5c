// Reads a JavaScript function's own source (fn.toString()) with acorn. A function may print as a
// declaration, an arrow, or a method (`forward(x) { ... }`); each is parsed in a wrapper that
// makes it an expression, and positions are mapped back to the function's text.
import { parse as acornParse } from 'acorn';
import { ScriptSyntaxError, type ScriptPos } from './errors.js';

export interface ParsedFunction {
  /** The acorn Function node (FunctionExpression or ArrowFunctionExpression). */
  node: any;
  /** Positions in the function's own text (line 1 is its first line). */
  pos(n: any): ScriptPos;
  file: string;
}

const WRAPPERS: [string, string][] = [['(', ')'], ['({', '})']];

export function parseFunction(fn: Function, file = fn.name || 'anonymous'): ParsedFunction {
  const src = fn.toString();
  const at = (line: number, col: number): ScriptPos => ({ file, line, col });
  if (/\{\s*\[native code\]\s*\}$/.test(src)) throw new ScriptSyntaxError('a native or bound function', at(1, 0), `${file} has no JavaScript source`);
  for (const [open, close] of WRAPPERS) {
    let program: any;
    try {
      program = acornParse(open + src + close, { ecmaVersion: 'latest', locations: true });
    } catch {
      continue;
    }
    let node = program.body[0]?.expression;
    if (node?.type === 'ObjectExpression') node = node.properties[0]?.value;
    if (!node || (node.type !== 'FunctionExpression' && node.type !== 'ArrowFunctionExpression')) break;
    const pos = (n: any): ScriptPos => {
      const { line, column } = n.loc.start;
      return at(line, line === 1 ? column - open.length : column);
    };
    if (node.async) throw new ScriptSyntaxError('an async function', pos(node));
    if (node.generator) throw new ScriptSyntaxError('a generator function', pos(node));
    return { node, pos, file };
  }
  const cls = /^class\b/.test(src) ? 'a class' : 'this function source';
  throw new ScriptSyntaxError(cls, at(1, 0), `${file} could not be parsed as a function`);
}

/** The parameter names of `fn` ('' for destructured ones); [] when its source is unavailable. */
export function paramNames(fn: Function): string[] {
  try {
    return parseFunction(fn).node.params.map((p: any) => (p.type === 'Identifier' ? p.name : p.type === 'AssignmentPattern' && p.left.type === 'Identifier' ? p.left.name : ''));
  } catch {
    return [];
  }
}

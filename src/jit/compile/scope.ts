// Name environments for the emitter (PyTorch's Environment frames) and the AST analyses the
// emitter needs before it emits a block: which names a loop body assigns (its loop-carried
// values) and the rewrite that moves code after an `if` that returns into the other branch.
import type { ClassInfo } from '../module.js';
import type { Expr, Stmt } from '../frontend/ast.js';
import type { Value } from '../ir.js';
import type { ScriptFunction } from './unit.js';

/** What a name or expression denotes before it becomes an IR value (PyTorch's SugaredValue). */
export type Sugared =
  | { kind: 'value'; v: Value }
  /** An operator (`aten::add`), possibly a method bound to `self`. */
  | { kind: 'builtin'; op: string; self?: Value }
  | { kind: 'method'; self: Value; fn: ScriptFunction }
  | { kind: 'function'; fn: ScriptFunction }
  | { kind: 'class'; cls: ClassInfo }
  /** A namespace: `torch`, `ops`, `ops.prim`, `math`, `CONSTANTS`, `__torch__.a.b`. */
  | { kind: 'ns'; path: string }
  /** A Python builtin with special emission (`len`, `range`, `annotate`, ...). */
  | { kind: 'special'; name: string };

/** The function's return value travels through blocks as this variable. */
export const RETURN_VAR = '$return';

export class Scope {
  readonly vars = new Map<string, Sugared>();
  /** Names narrowed by an `is None` check on entry to this block (not assignments). */
  readonly refined = new Map<string, Value>();
  /** Set once the block raised or returned: nothing after it runs. */
  exits = false;

  constructor(readonly parent: Scope | null, readonly inLoop = false) {}

  lookup(name: string): Sugared | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v) return v;
      const r = s.refined.get(name);
      if (r) return { kind: 'value', v: r };
    }
    return undefined;
  }
}

/** Names a statement list assigns anywhere inside (not in nested defs). */
export function assignedNames(stmts: readonly Stmt[], out = new Set<string>()): Set<string> {
  const target = (e: Expr) => {
    if (e.kind === 'name') out.add(e.id);
    else if (e.kind === 'tuple' || e.kind === 'list') e.elts.forEach(target);
    else if (e.kind === 'starred') target(e.value);
  };
  for (const s of stmts) {
    switch (s.kind) {
      case 'assign': s.targets.forEach(target); break;
      case 'augassign': case 'annassign': target(s.target); break;
      case 'for': target(s.target); assignedNames(s.body, out); break;
      case 'while': assignedNames(s.body, out); break;
      case 'if': assignedNames(s.body, out); assignedNames(s.orelse, out); break;
      case 'with': s.items.forEach((i) => i.target && target(i.target)); assignedNames(s.body, out); break;
    }
  }
  return out;
}

/** Whether every path through `stmts` ends in `return` or `raise`. */
export function alwaysExits(stmts: readonly Stmt[]): boolean {
  const last = stmts[stmts.length - 1];
  if (!last) return false;
  if (last.kind === 'return' || last.kind === 'raise') return true;
  return last.kind === 'if' && alwaysExits(last.body) && alwaysExits(last.orelse);
}

/**
 * Rewrites early returns out of `if` statements (PyTorch's exit transform, at the AST level):
 * the statements after an `if` whose branch always returns move into the other branch, so every
 * `return` ends a branch. Returns inside loops are left for the emitter to reject.
 */
export function lowerReturns(stmts: readonly Stmt[]): Stmt[] {
  const out: Stmt[] = [];
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i];
    if (s.kind === 'return' || s.kind === 'raise') {
      out.push(s);
      break; // dead code after it
    }
    if (s.kind !== 'if') {
      out.push(s);
      continue;
    }
    const rest = stmts.slice(i + 1);
    const bodyExits = alwaysExits(s.body), elseExits = alwaysExits(s.orelse);
    if (rest.length && (bodyExits || elseExits) && containsReturn(s)) {
      out.push({
        ...s,
        body: lowerReturns(bodyExits ? s.body : [...s.body, ...rest]),
        orelse: lowerReturns(elseExits ? s.orelse : [...s.orelse, ...rest]),
      });
      break;
    }
    out.push({ ...s, body: lowerReturns(s.body), orelse: lowerReturns(s.orelse) });
  }
  return out;
}

function containsReturn(s: Stmt): boolean {
  if (s.kind === 'return') return true;
  if (s.kind === 'if') return s.body.some(containsReturn) || s.orelse.some(containsReturn);
  return false;
}

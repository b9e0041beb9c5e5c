// Name environments for the emitter (PyTorch's Environment frames) with how each block exits, and
// the AST analyses the emitter needs before it emits a block: which names a loop body assigns (its
// loop-carried values) and the rewrite that moves code after an `if` that exits into the other branch.
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
/** In a loop body: the loop's next condition, set by `break` (False) and `continue`. */
export const COND_VAR = '$cond';
/** Carried by loops whose body returns: whether the function returned inside the loop. */
export const RETURNED_VAR = '$returned';
/** Variables that carry an exit's values to its target (PyTorch's ExitPair::exitValues). */
export const EXIT_VARS: ReadonlySet<string> = new Set([RETURN_VAR, COND_VAR, RETURNED_VAR]);

/**
 * How a block ends (PyTorch's exit_transforms.cpp ExitStatus): it never leaves early ('wont'),
 * leaves on some paths ('might', with a bool saying which), always leaves by return, break or
 * continue ('will') or always raises ('throws').
 */
export type ExitStatus = 'wont' | 'might' | 'will' | 'throws';

/** The innermost loop: what `continue` sets as the next condition. */
export interface LoopContext { nextCond: (sc: Scope) => Value }

export class Scope {
  readonly vars = new Map<string, Sugared>();
  /** Names narrowed by an `is None` check on entry to this block (not assignments). */
  readonly refined = new Map<string, Value>();
  exit: ExitStatus = 'wont';
  /** When `exit` is 'might': true on the paths that left. */
  exitFlag: Value | null = null;
  /** The loop whose body this block is in (exits of break/continue/return go there), or null. */
  readonly loop: LoopContext | null;

  constructor(readonly parent: Scope | null, loop?: LoopContext | null) {
    this.loop = loop === undefined ? parent?.loop ?? null : loop;
  }

  /** Nothing after this point runs. */
  get left(): boolean { return this.exit === 'will' || this.exit === 'throws'; }

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

const EXITS = new Set(['return', 'raise', 'break', 'continue']);

/** Whether every path through `stmts` ends in `return`, `raise`, `break` or `continue`. */
export function alwaysExits(stmts: readonly Stmt[]): boolean {
  const last = stmts[stmts.length - 1];
  if (!last) return false;
  if (EXITS.has(last.kind)) return true;
  return last.kind === 'if' && alwaysExits(last.body) && alwaysExits(last.orelse);
}

/**
 * Moves exits to the ends of statement lists (the AST half of PyTorch's exit transform): the
 * statements after an `if` one of whose branches always returns, breaks or continues move into
 * the other branch, so that the common `if c: break` needs no guard. Exits nested deeper (a
 * return inside a loop) are guarded by the emitter with an exit flag, as PyTorch does.
 */
export function structureExits(stmts: readonly Stmt[]): Stmt[] {
  const out: Stmt[] = [];
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i];
    if (EXITS.has(s.kind)) {
      out.push(s);
      break; // dead code after it
    }
    if (s.kind !== 'if') {
      out.push(s);
      continue;
    }
    const rest = stmts.slice(i + 1);
    const bodyExits = alwaysExits(s.body), elseExits = alwaysExits(s.orelse);
    if (rest.length && (bodyExits || elseExits) && containsExit(s)) {
      out.push({
        ...s,
        body: structureExits(bodyExits ? s.body : [...s.body, ...rest]),
        orelse: structureExits(elseExits ? s.orelse : [...s.orelse, ...rest]),
      });
      break;
    }
    out.push({ ...s, body: structureExits(s.body), orelse: structureExits(s.orelse) });
  }
  return out;
}

/** A return, break or continue in `s` or the ifs inside it (not inside loops). */
function containsExit(s: Stmt): boolean {
  if (s.kind === 'return' || s.kind === 'break' || s.kind === 'continue') return true;
  if (s.kind === 'if') return s.body.some(containsExit) || s.orelse.some(containsExit);
  return false;
}

/** A `return` anywhere in `stmts`, nested loops included. */
export function containsReturn(stmts: readonly Stmt[]): boolean {
  return stmts.some((s) => s.kind === 'return' || ((s.kind === 'if') && (containsReturn(s.body) || containsReturn(s.orelse)))
    || ((s.kind === 'for' || s.kind === 'while' || s.kind === 'with') && containsReturn(s.body)));
}

/** A `break` or `continue` of this loop level in `stmts` (nested loops excluded). */
export function containsLoopExit(stmts: readonly Stmt[]): boolean {
  return stmts.some((s) => s.kind === 'break' || s.kind === 'continue'
    || (s.kind === 'if' && (containsLoopExit(s.body) || containsLoopExit(s.orelse))) || (s.kind === 'with' && containsLoopExit(s.body)));
}

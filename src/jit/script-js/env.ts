// Lexical scopes of the scripting frontend. A scope maps names to SSA values; assigning a name that
// an outer scope declared records the new value here as an override, so that after a branch or a
// loop body the emitter knows which outer variables changed (they become If / Loop outputs).
import type { Value } from '../ir.js';

export class Env {
  private vars = new Map<string, Value>();
  /** Outer names assigned in this scope, in first-assignment order. */
  readonly overrides = new Set<string>();
  /** Names declared with const here. */
  private consts = new Set<string>();

  constructor(readonly parent: Env | null = null) {}

  lookup(name: string): Value | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name);
  }
  has(name: string): boolean {
    return this.lookup(name) !== undefined;
  }
  ownsName(name: string): boolean {
    return this.vars.has(name) && !this.overrides.has(name);
  }
  declare(name: string, v: Value, isConst = false): void {
    this.vars.set(name, v);
    this.overrides.delete(name);
    if (isConst) this.consts.add(name);
  }
  isConst(name: string): boolean {
    if (this.ownsName(name)) return this.consts.has(name);
    return this.parent?.isConst(name) ?? false;
  }
  /** Sets an existing name; false when no scope declares it. */
  assign(name: string, v: Value): boolean {
    if (!this.has(name)) return false;
    if (!this.ownsName(name)) this.overrides.add(name);
    this.vars.set(name, v);
    return true;
  }
}

// The op table's row type (DESIGN rule 1): one row per PyTorch schema; everything about an op
// (eager binding, tags for passes, gradient, fuser expression) hangs off that row.
import { parseSchema, type Schema } from './schema.js';
import type { GradRule } from '../autograd/node.js';
import type { FuseExpr } from '../jit/fuser/program.js';

/** Groups that passes ask for instead of op names (STYLE item 2). */
export type Tag = 'pointwise' | 'unary' | 'binary' | 'compare' | 'reduce' | 'view' | 'movement' | 'opaque' | 'creation' | 'random' | 'inplace' | 'list' | 'scalar' | 'nograd';

export interface OpDef {
  /** The exact schema string from ../shared/fixtures/schemas/schemas.txt. */
  schema: string;
  tags?: readonly Tag[];
  /** The eager binding: arguments in schema order, defaults filled. */
  impl: (...args: any[]) => any;
  /** The derivative (PyTorch's derivatives.yaml entry), written with op calls so the JIT can trace it. */
  grad?: GradRule;
  /** The element expression the fuser compiles for a 'pointwise' row (src/jit/fuser/program.ts). */
  fuse?: FuseExpr;
}

export interface OpRow extends OpDef {
  readonly parsed: Schema;
}

export function buildTable(defs: readonly OpDef[]): Map<string, OpRow[]> {
  const table = new Map<string, OpRow[]>();
  for (const def of defs) {
    const parsed = parseSchema(def.schema);
    const rows = table.get(parsed.name) ?? [];
    if (rows.some((r) => r.parsed.overload === parsed.overload)) throw new Error(`duplicate op table row ${def.schema}`);
    rows.push({ ...def, parsed });
    table.set(parsed.name, rows);
  }
  return table;
}

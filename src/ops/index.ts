// The op table: every row of every group, keyed by qualified name (aten::add -> its overloads).
import { buildTable, type OpDef } from './table.js';
import { POINTWISE_OPS } from './pointwise.js';
import { CREATION_OPS } from './creation.js';

export const OP_DEFS: readonly OpDef[] = [...POINTWISE_OPS, ...CREATION_OPS];

export const OP_TABLE = buildTable(OP_DEFS);

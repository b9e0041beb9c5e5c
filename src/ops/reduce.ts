import type { OpDef } from './table.js';

export const REDUCE_OPS: OpDef[] = [];

import type { OpDef } from './table.js';

export const INDEXING_OPS: OpDef[] = [];

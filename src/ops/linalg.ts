import type { OpDef } from './table.js';

export const LINALG_OPS: OpDef[] = [];

import type { OpDef } from './table.js';

export const NORM_OPS: OpDef[] = [];

import type { OpDef } from './table.js';

export const LOSS_OPS: OpDef[] = [];

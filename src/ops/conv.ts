import type { OpDef } from './table.js';

export const CONV_OPS: OpDef[] = [];

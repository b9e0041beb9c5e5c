import type { OpDef } from './table.js';

export const SHAPE_OPS: OpDef[] = [];

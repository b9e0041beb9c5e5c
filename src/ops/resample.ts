import type { OpDef } from './table.js';

export const RESAMPLE_OPS: OpDef[] = [];

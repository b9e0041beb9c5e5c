// The op table: every row of every group, keyed by qualified name (aten::add -> its overloads).
import { buildTable, type OpDef } from './table.js';
import { POINTWISE_OPS } from './pointwise.js';
import { CREATION_OPS } from './creation.js';
import { REDUCE_OPS } from './reduce.js';
import { SORT_OPS } from './sort.js';
import { SHAPE_OPS } from './shape.js';
import { INDEXING_OPS } from './indexing.js';
import { LINALG_OPS } from './linalg.js';
import { CONV_OPS } from './conv.js';
import { NORM_OPS } from './norm.js';
import { RESAMPLE_OPS } from './resample.js';
import { LOSS_OPS } from './loss.js';
import { SCALAR_OPS } from './scalar.js';
import { LIST_OPS } from './list.js';
import { CUSTOM_OPS } from './custom.js';
import { BITWISE_OPS } from './bitwise.js';
import { DETECTION_OPS } from './detection.js';
import { UNIQUE_OPS } from './unique.js';
import { INFERENCE_FUSED_OPS } from './inference-fused.js';

export const OP_DEFS: readonly OpDef[] = [
  ...POINTWISE_OPS,
  ...CREATION_OPS,
  ...REDUCE_OPS,
  ...SORT_OPS,
  ...SHAPE_OPS,
  ...INDEXING_OPS,
  ...LINALG_OPS,
  ...CONV_OPS,
  ...NORM_OPS,
  ...RESAMPLE_OPS,
  ...LOSS_OPS,
  ...SCALAR_OPS,
  ...LIST_OPS,
  ...CUSTOM_OPS,
  ...BITWISE_OPS,
  ...DETECTION_OPS,
  ...UNIQUE_OPS,
  ...INFERENCE_FUSED_OPS,
];

export const OP_TABLE = buildTable(OP_DEFS);

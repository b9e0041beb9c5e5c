// Shape and dtype propagation, mutating the value types of the graph in place. Rows state no
// shape rules yet, so the generic rule runs the row itself on stand-in tensors: zeros of each
// input's known dtype and sizes (non-tensor inputs must be constants), and reads the result's
// dtype and sizes. Inputs above `maxElements` are skipped rather than allocated.
import { allNodes, type Graph, type Node } from '../ir.js';
import { Tensor } from '../../sdk/tensor.js';
import type { DType } from '../../sdk/dtype.js';
import { empty } from '../../ops/exec.js';
import { engine } from '../../engine/engine.js';
import { completeTensorType, type TensorType } from '../types.js';
import { jsValue, rowOf, runRow } from './op-rows.js';

const complete = (t: TensorType) => !!t.dtype && !!t.sizes && t.sizes.every((d) => d !== null);

/** Mutates `g`: gives tensor outputs dtype and sizes where the inputs' are known. */
export function propagateShapes(g: Graph, maxElements = 1 << 20): void {
  for (const n of allNodes(g.block)) {
    if (n.blocks.length || !n.outputs.some((o) => o.type.kind === 'Tensor')) continue;
    const row = rowOf(n);
    if (!row || row.tags?.includes('random') || row.parsed.mutates) continue;
    inferNode(n, row, maxElements);
  }
}

function inferNode(n: Node, row: NonNullable<ReturnType<typeof rowOf>>, maxElements: number): void {
  const made: Tensor[] = [];
  let elements = 0;
  const values: unknown[] = [];
  for (const v of n.inputs) {
    if (v.type.kind === 'Tensor' && v.node().kind !== 'prim::Constant') {
      const t = v.type as TensorType;
      if (!complete(t)) return;
      elements += (t.sizes as number[]).reduce((a, b) => a * b, 1);
      if (elements > maxElements) return;
      const z = empty(t.sizes as number[], t.dtype as DType);
      (engine().array(z.dtype, z.ptr, z.numel) as { fill(x: unknown): unknown }).fill(z.dtype === 'int64' ? 0n : 0);
      made.push(z);
      values.push(z);
    } else {
      const c = jsValue(v);
      if (c === undefined) return made.forEach((t) => t.dispose());
      values.push(c);
    }
  }
  const out = runRow(row, values);
  made.forEach((t) => t.dispose());
  const results = n.outputs.length === 1 ? [out] : Array.isArray(out) ? out : [];
  n.outputs.forEach((o, i) => {
    const r = results[i];
    if (r instanceof Tensor && o.type.kind === 'Tensor') o.setType(completeTensorType(r.dtype, [...r.shape]));
  });
  results.forEach((r) => r instanceof Tensor && r.dispose());
}

// Row iterator for the N-d kernels: reads a params block [ndim, shape[ndim], strides of each
// input[ndim]...] (i32 element counts, output contiguous), merges dims that are contiguous in
// every input and drops size-1 dims, then walks the rows of the innermost dim with counters in
// static memory. Kernels call ndBegin, then per row read ndOffset(k) and call ndNext().

const MAX_DIMS = 8;
const MAX_INPUTS = 3;
const SHAPE: usize = memory.data(MAX_DIMS * 4, 16);
const STRIDES: usize = memory.data(MAX_INPUTS * MAX_DIMS * 4, 16);
const COUNT: usize = memory.data(MAX_DIMS * 4, 16);
const OFFSET: usize = memory.data(MAX_INPUTS * 4, 16);
let dims: i32 = 0;
let inputs: i32 = 0;

// @ts-ignore: decorator
@inline function strideAt(k: i32, d: i32): usize { return STRIDES + ((<usize>(k * MAX_DIMS + d)) << 2); }

/** Loads the params block; returns the number of rows (0 when the shape has a zero). */
export function ndBegin(desc: usize, nInputs: i32): i32 {
  const ndim = load<i32>(desc);
  inputs = nInputs;
  // Build merged dims from the innermost outward, into slot positions MAX_DIMS-1, MAX_DIMS-2, ...
  let top = MAX_DIMS; // first used slot
  for (let d = ndim - 1; d >= 0; d--) {
    const size = load<i32>(desc + ((<usize>(1 + d)) << 2));
    if (size == 0) return 0;
    if (size == 1) continue;
    let mergeable = top < MAX_DIMS;
    for (let k = 0; mergeable && k < nInputs; k++) {
      const s = load<i32>(desc + ((<usize>(1 + ndim * (k + 1) + d)) << 2));
      mergeable = s == load<i32>(strideAt(k, top)) * load<i32>(SHAPE + (<usize>top << 2));
    }
    if (mergeable) {
      store<i32>(SHAPE + (<usize>top << 2), load<i32>(SHAPE + (<usize>top << 2)) * size);
      continue;
    }
    top--;
    store<i32>(SHAPE + (<usize>top << 2), size);
    for (let k = 0; k < nInputs; k++) {
      store<i32>(strideAt(k, top), load<i32>(desc + ((<usize>(1 + ndim * (k + 1) + d)) << 2)));
    }
  }
  if (top == MAX_DIMS) {
    // A single element: one row of one.
    top--;
    store<i32>(SHAPE + (<usize>top << 2), 1);
    for (let k = 0; k < nInputs; k++) store<i32>(strideAt(k, top), 0);
  }
  // Move the dims to slots 0..dims-1.
  dims = MAX_DIMS - top;
  let rows = 1;
  for (let d = 0; d < dims; d++) {
    store<i32>(SHAPE + (<usize>d << 2), load<i32>(SHAPE + (<usize>(top + d) << 2)));
    for (let k = 0; k < nInputs; k++) store<i32>(strideAt(k, d), load<i32>(strideAt(k, top + d)));
    store<i32>(COUNT + (<usize>d << 2), 0);
    if (d < dims - 1) rows *= load<i32>(SHAPE + (<usize>d << 2));
  }
  for (let k = 0; k < nInputs; k++) store<i32>(OFFSET + (<usize>k << 2), 0);
  return rows;
}

/** Length of a row (the merged innermost dim). */
export function ndInner(): i32 { return load<i32>(SHAPE + (<usize>(dims - 1) << 2)); }

/** Element stride of input k along the row. */
export function ndInnerStride(k: i32): i32 { return load<i32>(strideAt(k, dims - 1)); }

/** Element offset of input k at the start of the current row. */
// @ts-ignore: decorator
@inline export function ndOffset(k: i32): i32 { return load<i32>(OFFSET + (<usize>k << 2)); }

/** Steps to the next row (an odometer over the outer dims). */
export function ndNext(): void {
  for (let d = dims - 2; d >= 0; d--) {
    const cAt = COUNT + (<usize>d << 2);
    const c = load<i32>(cAt) + 1;
    const size = load<i32>(SHAPE + (<usize>d << 2));
    const wrap = c == size;
    store<i32>(cAt, wrap ? 0 : c);
    for (let k = 0; k < inputs; k++) {
      const oAt = OFFSET + (<usize>k << 2);
      const s = load<i32>(strideAt(k, d));
      store<i32>(oAt, load<i32>(oAt) + (wrap ? s * (1 - size) : s));
    }
    if (!wrap) return;
  }
}

// copy_nd: gathers a strided view of 1/2/4/8-byte elements into a contiguous buffer
// (Tensor.contiguous(), expand, permute). Rows with unit stride are one memory.copy.
import { ndBegin, ndInner, ndInnerStride, ndOffset, ndNext } from './nd-iter';

function copyRows<T>(src: usize, dst: usize, desc: usize): void {
  const size = <usize>sizeof<T>();
  const rows = ndBegin(desc, 1);
  const n = ndInner();
  const s = <usize>ndInnerStride(0) * size;
  const rowBytes = <usize>n * size;
  for (let r = 0; r < rows; r++) {
    let p = src + <usize>ndOffset(0) * size;
    if (s == size) {
      memory.copy(dst, p, rowBytes);
      dst += rowBytes;
    } else {
      const end = dst + rowBytes;
      for (; dst < end; dst += size, p += s) store<T>(dst, load<T>(p));
    }
    ndNext();
  }
}

/** dst (contiguous) = src viewed through desc = [ndim, shape, srcStrides] (elements). */
export function xx_copy_nd_scalar(elemBytes: i32, src: usize, dst: usize, desc: usize): void {
  if (elemBytes == 1) copyRows<u8>(src, dst, desc);
  else if (elemBytes == 2) copyRows<u16>(src, dst, desc);
  else if (elemBytes == 4) copyRows<u32>(src, dst, desc);
  else copyRows<u64>(src, dst, desc);
}

// Zero-padded copies of image planes: the convolution drivers read tiles and shifted rows from
// these without bounds checks (the padding also covers the overrun of the last, partial tile).

// Rows here are short (7 to 224 floats) and there are many: memory.copy/fill are calls out of the
// module in V8 and cost more than the bytes they move, so rows move by v128 loads and stores.

// @ts-ignore: decorator
@inline function copyFloats(dst: usize, src: usize, n: i32): void {
  const end = dst + (<usize>(n & ~3) << 2);
  for (; dst < end; dst += 16, src += 16) v128.store(dst, v128.load(src));
  for (let i = 0; i < (n & 3); i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

// @ts-ignore: decorator
@inline function zeroFloats(dst: usize, n: i32): void {
  const z = f32x4.splat(0), end = dst + (<usize>(n & ~3) << 2);
  for (; dst < end; dst += 16) v128.store(dst, z);
  for (let i = 0; i < (n & 3); i++) store<f32>(dst + (<usize>i << 2), 0);
}

/**
 * Copies C planes of H x W floats at x into C planes of Hp x Wp at out, shifted by (top, left),
 * zeros elsewhere; with `reflect`, the top/left margins and as many rows/columns past the image
 * hold its reflection (PyTorch's reflection pad, top < H and left < W) instead of zeros.
 */
export function padPlanes(x: usize, c: i32, h: i32, w: i32, out: usize, hp: i32, wp: i32, top: i32, left: i32, reflect: bool = false): void {
  if (reflect) return reflectPlanes(x, c, h, w, out, hp, wp, top, left);
  const rowBytes = <usize>w << 2, outRow = <usize>wp << 2;
  // Only the border is written with zeros: the right margin of a row and the left margin of the
  // next are one run.
  const gap = wp - w;
  for (let ci = 0; ci < c; ci++) {
    let src = x + (<usize>ci * <usize>h * <usize>w << 2);
    const plane = out + (<usize>ci * <usize>hp * outRow);
    zeroFloats(plane, top * wp + left);
    let dst = plane + <usize>top * outRow + (<usize>left << 2);
    for (let y = 0; y < h; y++) {
      copyFloats(dst, src, w);
      zeroFloats(dst + rowBytes, y + 1 < h ? gap : wp - left - w);
      src += rowBytes;
      dst += outRow;
    }
    zeroFloats(plane + (<usize>(top + h) * outRow), max(0, hp - top - h) * wp);
  }
}

function reflectPlanes(x: usize, c: i32, h: i32, w: i32, out: usize, hp: i32, wp: i32, top: i32, left: i32): void {
  const rowBytes = <usize>w << 2, outRow = <usize>wp << 2;
  const rows = min(hp, h + 2 * top), right = min(left, wp - left - w), used = <usize>(left + w + right) << 2;
  for (let ci = 0; ci < c; ci++) {
    const src = x + (<usize>ci * <usize>h * rowBytes);
    let dst = out + (<usize>ci * <usize>hp * outRow);
    for (let y = 0; y < rows; y++, dst += outRow) {
      const sy = y - top, ry = sy < 0 ? -sy : sy >= h ? 2 * (h - 1) - sy : sy;
      const s = src + <usize>ry * rowBytes;
      for (let j = 0; j < left; j++) store<f32>(dst + (<usize>j << 2), load<f32>(s + (<usize>(left - j) << 2)));
      memory.copy(dst + (<usize>left << 2), s, rowBytes);
      for (let j = 0; j < right; j++) store<f32>(dst + (<usize>(left + w + j) << 2), load<f32>(s + (<usize>(w - 2 - j) << 2)));
      memory.fill(dst + used, 0, outRow - used);
    }
    memory.fill(dst, 0, <usize>(hp - rows) * outRow);
  }
}

// Zero-padded copies of image planes: the convolution drivers read tiles and shifted rows from
// these without bounds checks (the padding also covers the overrun of the last, partial tile).

/** Copies C planes of H x W floats at x into C planes of Hp x Wp at out, shifted by (top, left), zeros elsewhere. */
export function padPlanes(x: usize, c: i32, h: i32, w: i32, out: usize, hp: i32, wp: i32, top: i32, left: i32): void {
  const rowBytes = <usize>w << 2, outRow = <usize>wp << 2;
  const leftBytes = <usize>left << 2;
  // Only the border is written with zeros: the right margin of a row and the left margin of the
  // next are one run.
  const gap = outRow - rowBytes;
  for (let ci = 0; ci < c; ci++) {
    let src = x + (<usize>ci * <usize>h * <usize>w << 2);
    const plane = out + (<usize>ci * <usize>hp * outRow);
    memory.fill(plane, 0, <usize>top * outRow + leftBytes);
    let dst = plane + <usize>top * outRow + leftBytes;
    for (let y = 0; y < h; y++) {
      memory.copy(dst, src, rowBytes);
      memory.fill(dst + rowBytes, 0, y + 1 < h ? gap : outRow - leftBytes - rowBytes);
      src += rowBytes;
      dst += outRow;
    }
    const end = plane + <usize>hp * outRow, bottom = plane + (<usize>(top + h) * outRow);
    if (end > bottom) memory.fill(bottom, 0, end - bottom);
  }
}

// Zero-padded copies of image planes: the convolution drivers read tiles and shifted rows from
// these without bounds checks (the padding also covers the overrun of the last, partial tile).

/** Copies C planes of H x W floats at x into C planes of Hp x Wp at out, shifted by (top, left), zeros elsewhere. */
export function padPlanes(x: usize, c: i32, h: i32, w: i32, out: usize, hp: i32, wp: i32, top: i32, left: i32): void {
  memory.fill(out, 0, <usize>c * <usize>hp * <usize>wp << 2);
  const rowBytes = <usize>w << 2;
  for (let ci = 0; ci < c; ci++) {
    let src = x + (<usize>ci * <usize>h * <usize>w << 2);
    let dst = out + ((<usize>ci * <usize>hp + <usize>top) * <usize>wp + <usize>left << 2);
    for (let y = 0; y < h; y++) {
      memory.copy(dst, src, rowBytes);
      src += rowBytes;
      dst += <usize>wp << 2;
    }
  }
}

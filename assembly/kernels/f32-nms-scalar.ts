// Greedy non-maximum suppression (torchvision/csrc/ops/cpu/nms_kernel.cpp) over boxes already
// ordered by descending score: float32 arithmetic, an IoU strictly above the threshold suppresses.

/**
 * `boxes`: n rows of (x1, y1, x2, y2) f32; `order`: n i32 box indices by descending score;
 * `areas`: n f32 scratch; `suppressed`: n bytes scratch; `keep`: n i32 out. Returns how many
 * indices were written to `keep`.
 */
export function f32_nms_scalar(boxes: usize, order: usize, n: i32, threshold: f64, areas: usize, suppressed: usize, keep: usize): i32 {
  for (let i = 0; i < n; i++) {
    const b = boxes + (<usize>i << 4);
    store<f32>(areas + (<usize>i << 2), (load<f32>(b, 8) - load<f32>(b)) * (load<f32>(b, 12) - load<f32>(b, 4)));
  }
  memory.fill(suppressed, 0, <usize>n);
  let kept = 0;
  for (let a = 0; a < n; a++) {
    const i = load<i32>(order + (<usize>a << 2));
    if (load<u8>(suppressed + <usize>i)) continue;
    store<i32>(keep + (<usize>kept << 2), i);
    kept++;
    const bi = boxes + (<usize>i << 4);
    const ix1 = load<f32>(bi), iy1 = load<f32>(bi, 4), ix2 = load<f32>(bi, 8), iy2 = load<f32>(bi, 12);
    const iarea = load<f32>(areas + (<usize>i << 2));
    for (let c = a + 1; c < n; c++) {
      const j = load<i32>(order + (<usize>c << 2));
      if (load<u8>(suppressed + <usize>j)) continue;
      const bj = boxes + (<usize>j << 4);
      const w = max<f32>(0, min<f32>(ix2, load<f32>(bj, 8)) - max<f32>(ix1, load<f32>(bj)));
      const h = max<f32>(0, min<f32>(iy2, load<f32>(bj, 12)) - max<f32>(iy1, load<f32>(bj, 4)));
      const inter = w * h;
      const ovr = inter / (iarea + load<f32>(areas + (<usize>j << 2)) - inter);
      if (<f64>ovr > threshold) store<u8>(suppressed + <usize>j, 1);
    }
  }
  return kept;
}

// Pixels to tensors and back for the demos: NCHW float32 in [0, 255] (what fast-neural-style
// models take), output clamped to [0, 255].

/** ImageData (RGBA) -> a [1, 3, H, W] float32 tensor. */
export function imageToTensor(torchwick, image) {
  const { width: w, height: h, data } = image;
  const plane = w * h;
  const x = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) x[c * plane + i] = data[4 * i + c];
  }
  return torchwick.fromTypedArray(x, [1, 3, h, w]);
}

/** A [1, 3, H, W] tensor -> ImageData, clamped to [0, 255]. */
export function tensorToImageData(t) {
  const [, c, h, w] = t.shape;
  if (t.shape.length !== 4 || c !== 3) throw new Error(`the model returned shape [${t.shape.join(', ')}], not an image`);
  const v = t.dataSync();
  const plane = w * h;
  const out = new ImageData(w, h);
  for (let i = 0; i < plane; i++) {
    for (let k = 0; k < 3; k++) out.data[4 * i + k] = Math.round(Math.min(Math.max(v[k * plane + i], 0), 255));
    out.data[4 * i + 3] = 255;
  }
  return out;
}

export function showError(e) {
  const el = document.getElementById('status');
  el.textContent = `${e.name ?? 'Error'}: ${e.message ?? e}`;
  el.classList.add('error');
  document.body.dataset.state = 'error';
  console.error(e);
}

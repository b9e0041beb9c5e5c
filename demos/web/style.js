// The style-transfer page: load the engine and the model, stylize a photo, show before/after.
// Everything comes from this origin (or an Android WebView's asset URL): no network.
import * as torchwick from './dist/torchwick.mjs';
import { imageToTensor, tensorToImageData, showError } from './pixels.js';

// Long runs on a phone are no fun: larger photos are scaled down to this many pixels on the long side.
const MAX_SIDE = 256;
const params = new URLSearchParams(location.search);
const modelUrl = params.get('model') ?? 'models/style.pt';
const $ = (id) => document.getElementById(id);
const status = (text) => { $('status').textContent = text; };

// In the Android app (demos/android-webview) a bridge adds the camera and saving to the gallery.
const android = window.TorchwickAndroid;
let model = null;
let input = null;

async function setup() {
  const t0 = performance.now();
  await torchwick.init();
  const res = await fetch(modelUrl);
  if (!res.ok) throw new Error(`cannot fetch ${modelUrl}: HTTP ${res.status}`);
  model = await torchwick.jit.load(new Uint8Array(await res.arrayBuffer()));
  status(`engine and model (${modelUrl}) ready in ${(performance.now() - t0).toFixed(0)} ms`);
  await showPhoto('photo.png');
  $('go').disabled = false;
  document.body.dataset.state = 'ready';
}

/** Draws a photo (URL or File) onto the "before" canvas, scaled to MAX_SIDE at most. */
async function showPhoto(src) {
  const bitmap = await createImageBitmap(src instanceof Blob ? src : await (await fetch(src)).blob());
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = $('before');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  input = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
}

/** Runs the model on the shown photo; the raw output is kept for tests (window.demoResult). */
function stylize() {
  document.body.dataset.state = 'running';
  const x = imageToTensor(torchwick, input);
  const t0 = performance.now();
  const y = torchwick.torch.no_grad(() => model.forward(x));
  const ms = performance.now() - t0;
  const image = tensorToImageData(y);
  const after = $('after');
  after.width = image.width;
  after.height = image.height;
  after.getContext('2d').putImageData(image, 0, 0);
  $('time').textContent = `after: ${ms.toFixed(0)} ms for ${input.width}x${input.height}`;
  window.demoResult = { ms, shape: [...y.shape], output: Array.from(y.dataSync()) };
  if (android) $('save').disabled = false;
  x.dispose();
  y.dispose();
  document.body.dataset.state = 'done';
}

function run(fn) {
  // A frame first, so the "running" state paints before the synchronous model run.
  status('running…');
  requestAnimationFrame(() => setTimeout(() => {
    try {
      fn();
      status('done');
    } catch (e) {
      showError(e);
    }
  }, 0));
}

$('go').addEventListener('click', () => run(stylize));
$('file').addEventListener('change', async (e) => {
  if (e.target.files[0]) await showPhoto(e.target.files[0]).then(() => run(stylize), showError);
});
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', async (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const file = e.dataTransfer.files[0];
  if (file) await showPhoto(file).then(() => run(stylize), showError);
});

if (android) {
  $('android').hidden = false;
  $('camera').addEventListener('click', () => android.takePhoto());
  $('gallery').addEventListener('click', () => android.pickPhoto());
  window.addEventListener('torchwick-photo', async (e) => {
    if (e.detail.error) return status(e.detail.error);
    const blob = await (await fetch(`data:${e.detail.mime};base64,${e.detail.base64}`)).blob();
    await showPhoto(blob).then(() => run(stylize), showError);
  });
  $('save').addEventListener('click', () => {
    const r = JSON.parse(android.saveImage($('after').toDataURL('image/png').split(',')[1], 'torchwick-styled.png'));
    status(r.ok ? `saved to ${r.location}` : r.error);
  });
}

setup().catch(showError);

// Prepares the style model's photos from scikit-image's sample data (Debian's python3-skimage,
// unpacked with `dpkg -x`): the two demo inputs committed in demos/models/ (<= 512 px, JPEG) and
// uint8 HxWx3 .npy copies of every training photo, because the GPU machine has numpy but no image
// decoder.
//   node tools/style/photos.mjs <skimage data dir> [npy out dir = build/style-photos]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

// name -> [file in skimage/data, committed as a demo input?]; licences are in tools/style/README.md.
const PHOTOS = {
  chelsea: ['chelsea.png', true],
  coffee: ['coffee.png', true],
  astronaut: ['astronaut.png', false],
  rocket: ['rocket.jpg', false],
};
const MAX_SIDE = 512;

function decode(path) {
  const bytes = readFileSync(path);
  const img = path.endsWith('.png') ? PNG.sync.read(bytes) : jpeg.decode(bytes, { useTArray: true });
  const { width, height, data } = img;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    rgb[3 * i] = data[4 * i]; rgb[3 * i + 1] = data[4 * i + 1]; rgb[3 * i + 2] = data[4 * i + 2];
  }
  return { width, height, rgb };
}

// Area-average downscale (every output pixel averages the input pixels it covers).
function shrink(img, maxSide) {
  const s = Math.min(1, maxSide / Math.max(img.width, img.height));
  if (s === 1) return img;
  const width = Math.round(img.width * s), height = Math.round(img.height * s);
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y / s), y1 = Math.max(y0 + 1, Math.floor((y + 1) / s));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x / s), x1 = Math.max(x0 + 1, Math.floor((x + 1) / s));
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += img.rgb[(yy * img.width + xx) * 3 + c];
        rgb[(y * width + x) * 3 + c] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
      }
    }
  }
  return { width, height, rgb };
}

function encodeJpeg(img) {
  const rgba = new Uint8Array(img.width * img.height * 4);
  for (let i = 0; i < img.width * img.height; i++) {
    rgba.set(img.rgb.subarray(3 * i, 3 * i + 3), 4 * i); rgba[4 * i + 3] = 255;
  }
  return jpeg.encode({ data: rgba, width: img.width, height: img.height }, 92).data;
}

function npyU8(img) {
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${img.height}, ${img.width}, 3), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from('\x93NUMPY', 'latin1').copy(head); head[6] = 1; head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), img.rgb]);
}

const [dataDir, npyDir = 'build/style-photos'] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: node tools/style/photos.mjs <skimage data dir> [npy out dir]');
mkdirSync(npyDir, { recursive: true });
for (const [name, [file, demo]] of Object.entries(PHOTOS)) {
  const img = shrink(decode(join(dataDir, file)), MAX_SIDE);
  writeFileSync(join(npyDir, `${name}.npy`), npyU8(img));
  if (demo) writeFileSync(join('demos/models', `${name}.jpg`), encodeJpeg(img));
  console.log(`${name}: ${img.width}x${img.height}${demo ? ' (demo input)' : ''}`);
}

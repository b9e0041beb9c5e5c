// `npm run test:browser`: the web demo in Debian's Chromium (playwright-core, never a downloaded
// browser), as a desktop page and as an Android WebView app would load it. Each case stylizes the
// bundled photo and compares the raw output with the same model run in Node. Ends with
// "N passed, N failed"; screenshots go to test/browser/screenshots/.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, filePath } from '../../demos/web/serve.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const WEBVIEW_UA = 'Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.0.0 Mobile Safari/537.36';
// WebViewAssetLoader serves an app's assets/ folder at this origin.
const ASSETS = 'https://appassets.androidplatform.net/assets/';
const TIMEOUT_MS = 90_000;

let passed = 0, failed = 0;
async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
  }
}
function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

if (!existsSync(CHROMIUM)) {
  console.log(`FAIL browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium; CI's .ci/run does)`);
  failed++;
  finish();
}
if (!existsSync(new URL('../../dist/torchwick.mjs', import.meta.url))) {
  console.log('FAIL browser tests: dist/ is missing (npm run build)');
  failed++;
  finish();
}

/** The model and photo the page uses, run in Node: the reference output. */
async function nodeReference() {
  const { init, jit, fromTypedArray } = await import('../../dist/torchwick.mjs');
  const { default: pngjs } = await import('pngjs');
  await init();
  const model = await jit.load(readFileSync(filePath('/models/style.pt')));
  const png = pngjs.PNG.sync.read(readFileSync(filePath('/photo.png')));
  const plane = png.width * png.height;
  const x = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) x[c * plane + i] = png.data[4 * i + c];
  const y = model.forward(fromTypedArray(x, [1, 3, png.height, png.width]));
  return { shape: [...y.shape], output: Array.from(y.dataSync()) };
}

/** Whole-network tolerance from the fixtures' README: max abs error / max abs value < 1e-3. */
function compare(got, want) {
  if (JSON.stringify(got.shape) !== JSON.stringify(want.shape)) throw new Error(`output shape [${got.shape}] != Node's [${want.shape}]`);
  let err = 0, scale = 0;
  for (let i = 0; i < want.output.length; i++) {
    err = Math.max(err, Math.abs(got.output[i] - want.output[i]));
    scale = Math.max(scale, Math.abs(want.output[i]));
  }
  if (!(err <= 1e-3 * Math.max(scale, 1e-6))) throw new Error(`output differs from Node's: max abs error ${err} (max abs value ${scale})`);
}

/** Opens the demo, stylizes the bundled photo, checks and screenshots the result. */
async function stylize(page, url, shot, reference) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(url);
  await page.waitForSelector('body[data-state="ready"], body[data-state="error"]', { timeout: TIMEOUT_MS });
  await page.click('#go');
  await page.waitForSelector('body[data-state="done"], body[data-state="error"]', { timeout: TIMEOUT_MS });
  await page.screenshot({ path: `${SHOTS}${shot}.png`, fullPage: true });
  const state = await page.getAttribute('body', 'data-state');
  if (state !== 'done') throw new Error(`page ended in state '${state}': ${await page.textContent('#status')} ${errors.join('; ')}`);
  const after = await page.evaluate(() => {
    const c = document.getElementById('after');
    return { width: c.width, height: c.height };
  });
  if (after.width !== reference.shape[3] || after.height !== reference.shape[2]) throw new Error(`output canvas is ${after.width}x${after.height}`);
  compare(await page.evaluate(() => window.demoResult), reference);
}

const { server, url } = await startServer(Number(process.env.PORT ?? 0));
mkdirSync(SHOTS, { recursive: true });
let browser;
try {
  const reference = await nodeReference();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });

  await check('desktop page stylizes the bundled photo like Node does', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await stylize(page, url, 'desktop', reference);
    await page.close();
  });

  await check('Android WebView (asset loader URL, phone viewport) stylizes like Node', async () => {
    const context = await browser.newContext({
      userAgent: WEBVIEW_UA, viewport: { width: 412, height: 915 }, deviceScaleFactor: 2.625, isMobile: true, hasTouch: true,
    });
    // What WebViewAssetLoader does in the app: asset URLs are answered from the app's files.
    await context.route(`${ASSETS}**`, async (route) => {
      const res = await fetch(new URL(route.request().url().slice(ASSETS.length), url));
      await route.fulfill({ status: res.status, headers: Object.fromEntries(res.headers), body: Buffer.from(await res.arrayBuffer()) });
    });
    // Nothing else may be fetched: an offline app has no network.
    await context.route((u) => !u.href.startsWith(ASSETS), (route) => route.abort());
    const page = await context.newPage();
    if (!(await page.evaluate(() => navigator.userAgent)).includes('; wv)')) throw new Error('WebView user agent not applied');
    await stylize(page, `${ASSETS}index.html`, 'android-webview', reference);
    await context.close();
  });

  await check('a CSP without wasm-unsafe-eval gets an error that names the directive', async () => {
    const context = await browser.newContext();
    await context.route(`${url}**`, async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, headers: { ...res.headers(), 'content-security-policy': "script-src 'self'" } });
    });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('body[data-state="error"]', { timeout: TIMEOUT_MS });
    const text = await page.textContent('#status');
    if (!/EngineError: .*add 'wasm-unsafe-eval' to script-src/.test(text)) throw new Error(`status: ${text}`);
    await context.close();
  });

  await check('IoU page shows the graph and eager vs scripted timings', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}iou.html`);
    await page.waitForSelector('body[data-state="done"], body[data-state="error"]', { timeout: TIMEOUT_MS });
    await page.screenshot({ path: `${SHOTS}iou.png`, fullPage: true });
    const graph = await page.textContent('#graph');
    if (!graph.startsWith('graph(') || !graph.includes('aten::clamp')) throw new Error(`no IoU graph on the page: ${await page.textContent('#status')}`);
    const rows = await page.$$eval('#timings tbody tr', (trs) => trs.length);
    if (rows < 2) throw new Error(`expected eager and scripted timings, found ${rows} rows`);
    await page.close();
  });
} catch (e) {
  failed++;
  console.log(`FAIL browser tests: ${e.stack ?? e}`);
} finally {
  await browser?.close();
  server.close();
}
finish();

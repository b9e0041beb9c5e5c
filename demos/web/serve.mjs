// `npm run demo:web`: serves the offline demos on localhost with node:http — demos/web at /,
// the bundles at /dist/, models at /models/ (demos/models, else the PyTorch-made fixtures until the
// demo's own style model exists). The CSP is the strict one a real page would send: the engine
// needs only 'wasm-unsafe-eval', never 'unsafe-eval'.
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const fixtures = resolve(repo, '../shared/fixtures/torchscript');

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.pt': 'application/octet-stream', '.npy': 'application/octet-stream',
  '.ts': 'text/plain; charset=utf-8', '.map': 'application/json',
};

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'";

/** Where a URL path lives on disk (null: outside the served folders). */
export function filePath(urlPath) {
  const p = normalize(decodeURIComponent(urlPath)).replace(/^[/\\]+/, '');
  const inside = (root, rel) => {
    const f = resolve(root, rel);
    return f === root || f.startsWith(root + sep) ? f : null;
  };
  if (p.startsWith(`dist${sep}`)) return inside(join(repo, 'dist'), p.slice(5));
  if (p.startsWith(`models${sep}`)) {
    const name = p.slice(7);
    const own = inside(join(repo, 'demos/models'), name);
    if (own && existsSync(own)) return own;
    return inside(fixtures, name === 'style.pt' ? 'transformer_net_traced.pt' : name);
  }
  return inside(join(repo, 'demos/web'), p || 'index.html');
}

/** Serves the demos; resolves once listening, with the base URL. */
export function startServer(port = Number(process.env.PORT ?? 8080)) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const file = filePath(url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${url.pathname}\n`);
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'cache-control': 'no-cache',
    });
    res.end(readFileSync(file));
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${server.address().port}/` }));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!existsSync(join(repo, 'dist/torchwick.mjs'))) console.warn('dist/ is missing: run `npm run build` first');
  const { url } = await startServer();
  console.log(`torchwick demos at ${url} (style transfer) and ${url}iou.html (IoU graph and timings); Ctrl-C stops`);
}

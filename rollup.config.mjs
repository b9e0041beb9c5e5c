// Bundles tsc's output (build/js/src, no second TypeScript compile) into dist/:
//   torchwick.mjs  ESM for `import * as torch from 'torchwick'` (Node, browsers, bundlers)
//   torchwick.js   IIFE for a <script> tag (`window.torchwick`)
//   torchwick.wasm the engine, beside the bundles (they load `new URL('./torchwick.wasm', import.meta.url)`)
//   torchwick.relaxed.wasm the engine built with relaxed SIMD, loaded instead where the host supports it
//   types/         tsc's declarations for src/
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

const input = 'build/js/src/index.js';
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Resolves bare package imports (acorn, @assemblyscript/loader) to their ESM entry points. */
function resolvePackages() {
  return {
    name: 'resolve-packages',
    resolveId(id, importer) {
      if (builtins.has(id)) this.error(`${importer} imports '${id}': the bundles must not import Node built-ins statically (use process.getBuiltinModule)`);
      if (!importer || /^[./\0]/.test(id)) return null;
      return fileURLToPath(import.meta.resolve(id));
    },
  };
}

/** Copies the engine and the declarations into dist/ once per build. */
function copyAssets() {
  return {
    name: 'copy-assets',
    buildStart() {
      for (const f of ['build/torchwick.wasm', 'build/torchwick.relaxed.wasm']) if (!existsSync(f)) this.error(`${f} is missing: run \`npm run build:wasm\` first`);
      if (!existsSync(input)) this.error(`${input} is missing: run \`npm run build:ts\` first`);
    },
    writeBundle: {
      sequential: true,
      order: 'post',
      handler() {
        mkdirSync('dist', { recursive: true });
        cpSync('build/torchwick.wasm', 'dist/torchwick.wasm');
        // The relaxed-SIMD build: the engine loads it where WebAssembly.validate accepts relaxed SIMD.
        cpSync('build/torchwick.relaxed.wasm', 'dist/torchwick.relaxed.wasm');
        rmSync('dist/types', { recursive: true, force: true });
        cpSync('build/js/src', 'dist/types', { recursive: true, filter: (p) => !p.endsWith('.js') && !p.endsWith('/cli') });
      },
    },
  };
}

const plugins = [resolvePackages()];

export default [
  { input, plugins: [...plugins, copyAssets()], output: { file: 'dist/torchwick.mjs', format: 'es' } },
  { input, plugins, output: { file: 'dist/torchwick.js', format: 'iife', name: 'torchwick', inlineDynamicImports: true } },
];

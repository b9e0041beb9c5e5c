// `npm run bench -- size`: raw and gzip sizes of what a page downloads (dist/). Budget: the engine
// stays at or under 300 KB gzipped. The last line is JSON for CI's records.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const WASM_GZIP_BUDGET = 300 * 1000;
const FILES = { wasm: 'dist/torchwick.wasm', esm: 'dist/torchwick.mjs', iife: 'dist/torchwick.js' } as const;

export async function run(_args: string[]): Promise<void> {
  const report: Record<string, number | string | boolean> = { suite: 'size' };
  for (const [key, path] of Object.entries(FILES)) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first`);
    const bytes = readFileSync(path);
    const gz = gzipSync(bytes, { level: 9 }).length;
    report[`${key}_bytes`] = bytes.length;
    report[`${key}_gzip_bytes`] = gz;
    console.log(`${path.padEnd(22)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KiB  gzip ${(gz / 1024).toFixed(1).padStart(7)} KiB`);
  }
  report.wasm_gzip_budget_bytes = WASM_GZIP_BUDGET;
  report.within_budget = (report.wasm_gzip_bytes as number) <= WASM_GZIP_BUDGET;
  if (!report.within_budget) console.log(`over budget: the engine is ${report.wasm_gzip_bytes} bytes gzipped (budget ${WASM_GZIP_BUDGET})`);
  console.log(JSON.stringify(report));
  if (!report.within_budget) process.exitCode = 1;
}

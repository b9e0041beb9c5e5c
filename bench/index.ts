// `npm run bench -- SUITE [args]`: each suite is bench/SUITE.ts exporting run(args); speed claims
// are ratios measured in the same process against the alternative (DESIGN rule 8).
const [suite, ...args] = process.argv.slice(2);
const SUITES = ['pointwise', 'models', 'conv', 'iou', 'iou-backward', 'size'];

if (!suite || !SUITES.includes(suite)) {
  console.error(`usage: npm run bench -- <${SUITES.join('|')}> [--quick]`);
  process.exit(2);
}
try {
  const mod = await import(`./${suite}.js`);
  await mod.run(args);
} catch (e) {
  if ((e as any)?.code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes(`${suite}.js`)) {
    console.error(`bench suite '${suite}' is not built yet`);
    process.exit(2);
  }
  throw e;
}

// Progress on stderr (stdout stays machine-readable), only on a terminal. Steps run synchronously,
// so a step announces itself at once and the end line adds its duration.

/** Starts a step; the returned function ends it. */
export function progress(what: string): () => void {
  if (!process.stderr.isTTY) return () => {};
  const t0 = performance.now();
  process.stderr.write(`${what}...`);
  return () => process.stderr.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

/** A "run 3/10" counter rewritten in place; call with `total` to clear it. */
export function counter(what: string, total: number): (i: number) => void {
  if (!process.stderr.isTTY) return () => {};
  return (i) => process.stderr.write(i < total ? `\r${what} ${i + 1}/${total}` : `\r${' '.repeat(what.length + 12)}\r`);
}

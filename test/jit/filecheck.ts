// A small FileCheck (LLVM / torch.testing.FileCheck): `// CHECK: text` lines matched in order
// against the input as plain substrings. Supports CHECK, CHECK-NEXT (on the next line),
// CHECK-SAME (on the same line), CHECK-NOT (absent up to the next positive match) and
// CHECK-COUNT-N (N matches in a row).

export class FileCheckError extends Error {
  constructor(message: string, input: string) {
    super(`${message}\n--- input ---\n${input}`);
    this.name = 'FileCheckError';
  }
}

interface Directive { kind: 'CHECK' | 'NEXT' | 'SAME' | 'NOT' | 'COUNT'; text: string; count: number }

function parseDirectives(checks: string): Directive[] {
  const out: Directive[] = [];
  for (const line of checks.split('\n')) {
    const m = /\/\/\s*CHECK(-NEXT|-SAME|-NOT|-COUNT-(\d+))?:\s?(.*)$/.exec(line);
    if (!m) continue;
    const kind = !m[1] ? 'CHECK' : m[2] ? 'COUNT' : (m[1].slice(1) as Directive['kind']);
    out.push({ kind, text: m[3].trimEnd(), count: Number(m[2] ?? 1) });
  }
  if (!out.length) throw new Error('fileCheck: no // CHECK lines given');
  return out;
}

/** Throws FileCheckError unless `input` satisfies the `// CHECK...:` lines in `checks`. */
export function fileCheck(input: string, checks: string): void {
  let pos = 0;
  let pendingNot: Directive[] = [];
  const lineEnd = (i: number) => { const e = input.indexOf('\n', i); return e < 0 ? input.length : e; };
  const settleNots = (upTo: number) => {
    for (const d of pendingNot) {
      const at = input.indexOf(d.text, pos);
      if (at >= 0 && at < upTo) throw new FileCheckError(`CHECK-NOT: found '${d.text}'`, input);
    }
    pendingNot = [];
  };
  for (const d of parseDirectives(checks)) {
    if (d.kind === 'NOT') { pendingNot.push(d); continue; }
    for (let k = 0; k < d.count; k++) {
      const at = input.indexOf(d.text, pos);
      if (at < 0) throw new FileCheckError(`CHECK${d.kind === 'CHECK' ? '' : `-${d.kind}`}: '${d.text}' not found after offset ${pos}`, input);
      if (d.kind === 'NEXT') {
        const nextStart = lineEnd(pos) + 1;
        if (at < nextStart || at > lineEnd(nextStart)) throw new FileCheckError(`CHECK-NEXT: '${d.text}' is not on the next line`, input);
      }
      if (d.kind === 'SAME' && at > lineEnd(pos)) throw new FileCheckError(`CHECK-SAME: '${d.text}' is not on the same line`, input);
      settleNots(at);
      pos = at + d.text.length;
    }
  }
  settleNots(input.length);
}

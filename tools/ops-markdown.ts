// The supported-ops page (docs/ops.md), generated from the op table so it cannot drift.
import { OP_TABLE } from '../src/ops/index.js';

export function opsMarkdown(): string {
  const byNs = new Map<string, string[]>();
  for (const [name, rows] of [...OP_TABLE].sort(([a], [b]) => a.localeCompare(b))) {
    const [ns, base] = name.split('::');
    const overloads = rows.map((r) => r.parsed.overload || '(default)').join(', ');
    const grad = rows.some((r) => r.grad) ? ' ∂' : '';
    const list = byNs.get(ns) ?? [];
    list.push(`| \`${base}\`${grad} | ${overloads} |`);
    byNs.set(ns, list);
  }
  const total = [...OP_TABLE.values()].reduce((n, rows) => n + rows.length, 0);
  const parts = [`# Supported operators\n\nGenerated from the op table (\`npm run docs:ops\`): ${OP_TABLE.size} operators, ${total} schemas. ∂ marks operators with a derivative.\n`];
  for (const [ns, list] of byNs) parts.push(`## ${ns}\n\n| operator | overloads |\n| --- | --- |\n${list.join('\n')}\n`);
  return parts.join('\n');
}

// Writes docs/ops.md: every op the op table holds, by namespace, with its overloads.
// `npm run docs:ops` after adding rows; test/docs.test.ts checks the file is current.
import { writeFileSync } from 'node:fs';
import { opsMarkdown } from '../build/js/tools/ops-markdown.js';

writeFileSync(new URL('../docs/ops.md', import.meta.url), opsMarkdown());

// The user's source line for a node or a warning: the first stack frame outside torchwick itself,
// as PyTorch records the Python frame that called the op (`# gen_models.py:108:0`).
import type { SourceRange } from '../ir.js';

const OWN = /[\\/]build[\\/]js[\\/]src[\\/]|[\\/]src[\\/](ops|sdk|jit|engine)[\\/]|^node:|\(node:/;

/** The innermost caller outside the library, or null when there is none (e.g. no stack). */
export function userFrame(): SourceRange | null {
  const stack = new Error().stack?.split('\n').slice(1) ?? [];
  for (const line of stack) {
    const m = /\(?([^()\s]+):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!m || OWN.test(m[1]) || OWN.test(line)) continue;
    return { file: m[1].replace(/^file:\/\//, '').split(/[\\/]/).pop()!, line: Number(m[2]), col: Number(m[3]) };
  }
  return null;
}

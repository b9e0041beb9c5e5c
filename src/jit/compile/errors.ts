// Errors of the TorchScript compiler: the source position (file:line:col) and what was wrong.
import type { Pos } from '../frontend/ast.js';

export class ScriptCompileError extends Error {
  constructor(readonly reason: string, readonly file: string, readonly pos: Pos | null) {
    super(pos ? `${file}:${pos.line}:${pos.col}: ${reason}` : `${file}: ${reason}`);
    this.name = 'ScriptCompileError';
  }
}

// Errors of the JavaScript scripting frontend: ScriptSyntaxError for JavaScript it does not take
// (with the construct's name), ScriptError for code it takes but cannot type or resolve. Both say
// where: the function's name, line and column within the function's source.

export interface ScriptPos { file: string; line: number; col: number }

const where = (p: ScriptPos) => `${p.file}:${p.line}:${p.col}`;

export class ScriptError extends Error {
  /** `cause`: the error in a called function that this one reports at the call. */
  constructor(message: string, readonly pos: ScriptPos, cause?: unknown) {
    super(`${message} (at ${where(pos)})`, cause === undefined ? undefined : { cause });
    this.name = 'ScriptError';
  }
}

export class ScriptSyntaxError extends ScriptError {
  constructor(readonly construct: string, pos: ScriptPos, detail = '') {
    super(`${construct} is not supported in scripted JavaScript${detail ? `: ${detail}` : ''}`, pos);
    this.name = 'ScriptSyntaxError';
  }
}

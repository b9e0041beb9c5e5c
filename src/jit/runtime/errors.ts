// Errors raised while a TorchScript graph runs.

/** `raise` / `prim::RaiseException` in a script, with the Python exception class and where. */
export class ScriptRuntimeError extends Error {
  constructor(readonly reason: string, readonly pythonClass: string | null, readonly where: string) {
    super(`${pythonClass ? `${pythonClass.replace(/^builtins\./, '')}: ` : ''}${reason}${where ? ` (raised at ${where})` : ''}`);
    this.name = 'ScriptRuntimeError';
  }
}

// Typed errors (DESIGN rule 6): each says what was wrong and where, phrased like PyTorch's.

export class TorchwickError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A shape, dtype or argument that an op cannot accept (PyTorch's RuntimeError / TypeError). */
export class OpError extends TorchwickError {
  constructor(readonly op: string, message: string) {
    super(`${op}: ${message}`);
  }
}

/** Shapes that do not broadcast or do not fit. */
export class ShapeError extends OpError {}

/** A dtype the op does not support. */
export class DTypeError extends OpError {}

/** Arguments that match no overload of an op. */
export class ArgumentError extends OpError {}

/** An op name that the op table does not hold. */
export class UnknownOpError extends TorchwickError {
  constructor(readonly op: string, where = '') {
    super(`unknown operator '${op}'${where ? ` (${where})` : ''}`);
  }
}

/** The WebAssembly engine could not allocate or was not initialised. */
export class EngineError extends TorchwickError {}

/** Use of a tensor after dispose(). */
export class DisposedError extends TorchwickError {}

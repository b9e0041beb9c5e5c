// Typed errors for everything under src/serialize, so callers can catch one base class.

export class SerializeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SerializeError';
  }
}

/** A zip container or DEFLATE stream is malformed, truncated or unsupported. */
export class ZipError extends SerializeError {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

/** A pickle is malformed, uses an unsupported opcode, or names a global that is not allowed. */
export class PickleError extends SerializeError {
  constructor(message: string) {
    super(message);
    this.name = 'PickleError';
  }
}

/** A .npy/.npz payload is malformed or uses an unsupported dtype. */
export class NpyError extends SerializeError {
  constructor(message: string) {
    super(message);
    this.name = 'NpyError';
  }
}

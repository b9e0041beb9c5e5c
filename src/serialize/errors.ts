// Typed errors for everything under src/serialize, so callers can catch one base class (itself a
// TorchwickError, like every error the library throws; each class's `name` is its own).
import { TorchwickError } from '../sdk/errors.js';

export class SerializeError extends TorchwickError {}

/** A zip container or DEFLATE stream is malformed, truncated or unsupported. */
export class ZipError extends SerializeError {}

/** A pickle is malformed, uses an unsupported opcode, or names a global that is not allowed. */
export class PickleError extends SerializeError {}

/** A .npy/.npz payload is malformed or uses an unsupported dtype. */
export class NpyError extends SerializeError {}

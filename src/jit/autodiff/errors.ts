// Why a graph could not be differentiated symbolically; the caller then runs it with eager
// autograd recording instead (correct, slower).
import { TorchwickError } from '../../sdk/errors.js';

export class NotDifferentiableError extends TorchwickError {}

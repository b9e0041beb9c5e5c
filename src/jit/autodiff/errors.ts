// Why a graph could not be differentiated symbolically for a call signature; the caller then
// runs it through the interpreter, which records eager autograd (correct, slower).
import { TorchwickError } from '../../sdk/errors.js';

export class NotDifferentiableError extends TorchwickError {}

// Derivatives of the copy, cast and fill rows: casts send the gradient back in the input's dtype,
// fills cut the history of what they overwrite.
import type { GradRule } from '../autograd/node.js';
import { sum, sumTo, to, zerosLike } from '../autograd/calc.js';

/** to/type_as/clone/contiguous/alias: the identity, in the input's dtype. */
export const gradCastBack: GradRule = ([g], [x, ...rest]) => [to(g!, x.dtype), ...rest.map(() => null)];
/** copy_(self, src): self's old value is gone; src gets the gradient (broadcast summed, in its dtype). */
export const gradCopy: GradRule = ([g], [_self, src]) => [zerosLike(g!), sumTo(to(g!, src.dtype), src.shape), null];
/** fill_/zero_: the old value is gone; a tensor fill value gets the sum. */
export const gradFill: GradRule = ([g], [_self, v]) => [zerosLike(g!), v && typeof v === 'object' ? sum(g!) : null];

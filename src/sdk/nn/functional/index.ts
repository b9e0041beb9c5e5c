// torch.nn.functional: PyTorch's Python-level functions, each mapped onto op-table rows.
import { FUNCTIONAL as activation } from './activation.js';
import { FUNCTIONAL as conv } from './conv.js';
import { FUNCTIONAL as norm } from './norm.js';
import { FUNCTIONAL as resample } from './resample.js';
import { FUNCTIONAL as loss } from './loss.js';
import { FUNCTIONAL as sparse } from './sparse.js';

export const functional: Record<string, (...args: any[]) => any> = { ...activation, ...conv, ...norm, ...resample, ...loss, ...sparse };

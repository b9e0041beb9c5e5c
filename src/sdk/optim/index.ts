// torch.optim: optimizers and learning-rate schedulers.
import { Optimizer } from './optimizer.js';
import { SGD } from './sgd.js';
import { Adam, AdamW } from './adam.js';
import { StepLR } from './lr-scheduler.js';

export { Optimizer, SGD, Adam, AdamW, StepLR };
export type { OptimizerStateDict, ParamGroup, ParamState } from './optimizer.js';
export const lr_scheduler = { StepLR };
export const optim = { Optimizer, SGD, Adam, AdamW, lr_scheduler };

// PyTorch weights for a torchwick.nn model: the state_dict of a TorchScript archive of the same
// Python model (torch.jit.save of a traced or scripted module) copied in with loadStateDict.
import { jit, type nn } from '../../src/index.js';
import type { ScriptModule } from '../../src/jit/index.js';

/**
 * Copies the parameters and buffers of `archive` (a loaded ScriptModule, the archive's bytes, or
 * a path read with Node's fs) into `model`. Strict, as PyTorch's load_state_dict: every key on
 * both sides must match, with equal shapes. Returns `model` for chaining.
 */
export function loadArchiveWeights<M extends nn.Module>(model: M, archive: ScriptModule | Uint8Array | string): M {
  const source = typeof archive === 'string' ? jit.loadFile(archive) : archive instanceof Uint8Array ? jit.loadBytes(archive) : archive;
  model.loadStateDict(source.state_dict());
  return model;
}

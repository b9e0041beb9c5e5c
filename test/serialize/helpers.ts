// Shared fixture access for the serialize tests (paths are relative to the repo root, where tests run).
import { readFileSync, readdirSync } from 'node:fs';

export const TORCHSCRIPT_DIR = '../shared/fixtures/torchscript/';
export const TRAINING_DIR = '../shared/fixtures/training/';
export const LOCAL_DIR = 'test/fixtures/serialize/';

export function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** Every TorchScript archive made by real PyTorch: the torchscript fixtures plus the training model. */
export function archivePaths(): string[] {
  return readdirSync(TORCHSCRIPT_DIR).filter((f) => f.endsWith('.pt')).sort()
    .map((f) => TORCHSCRIPT_DIR + f).concat([TRAINING_DIR + 'train_small.initial.pt']);
}

/** A deterministic pseudo-random generator (mulberry32), so fuzz failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** uvu `assert.throws` matcher: an instance of `cls` whose message matches `re` (when given). */
export function isError(cls: abstract new (...args: never[]) => Error, re?: RegExp): (e: unknown) => boolean {
  return (e) => e instanceof cls && (!re || re.test(e.message));
}

// Gradient mode: torch.no_grad / torch.enable_grad scopes.
let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

/** Runs `fn` with gradient recording set to `on`, restoring the previous mode after. */
export function withGradMode<T>(on: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = on;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

export const no_grad = <T>(fn: () => T): T => withGradMode(false, fn);
export const enable_grad = <T>(fn: () => T): T => withGradMode(true, fn);

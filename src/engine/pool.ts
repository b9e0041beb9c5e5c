// Buffer reuse for graphs that run again and again (DESIGN rule 5: a steady-state run allocates
// nothing). The interpreter frees each intermediate at its last use (liveness); while a pool is
// active, blocks freed go back to the pool instead of the allocator and the next run's requests
// of the same sizes are served from it, so after the first call a model's forward makes no calls
// to the engine allocator. A block always returns to the pool that handed it out, wherever it is
// freed (outputs disposed later, caches freed by a finalizer).

/** The pool of every block a pool handed out. */
const owners = new Map<number, BufferPool>();

/** The pool a block belongs to, if any. */
export function ownerOf(ptr: number): BufferPool | undefined {
  return owners.get(ptr);
}

export class BufferPool {
  private readonly free = new Map<number, number[]>();
  /** Size of every block this pool handed out, so it can take them back. */
  private readonly sizes = new Map<number, number>();
  private cached = 0;
  private disposed = false;

  constructor(private readonly raw: { alloc(n: number): number; free(p: number): void }) {}

  /** A cached block of exactly `nbytes`, or a new one. */
  take(nbytes: number): number {
    const list = this.free.get(nbytes);
    if (list?.length) {
      this.cached -= nbytes;
      return list.pop()!;
    }
    const ptr = this.raw.alloc(nbytes);
    this.sizes.set(ptr, nbytes);
    owners.set(ptr, this);
    return ptr;
  }

  /** Keeps a block this pool handed out for reuse (frees it once the pool is disposed). */
  give(ptr: number): void {
    const nbytes = this.sizes.get(ptr)!;
    if (this.disposed) return this.release(ptr);
    const list = this.free.get(nbytes);
    if (list) list.push(ptr);
    else this.free.set(nbytes, [ptr]);
    this.cached += nbytes;
  }

  private release(ptr: number): void {
    this.sizes.delete(ptr);
    owners.delete(ptr);
    this.raw.free(ptr);
  }

  /** Bytes held for reuse. */
  get cachedBytes(): number {
    return this.cached;
  }

  /** Frees every cached block; blocks still in use are freed when given back. */
  dispose(): void {
    for (const list of this.free.values()) list.forEach((p) => this.release(p));
    this.free.clear();
    this.cached = 0;
    this.disposed = true;
  }
}

let active: BufferPool | null = null;

/** The pool allocations come from now (null: the engine allocator directly). */
export function activePool(): BufferPool | null {
  return active;
}

/** Runs `fn` with engine allocations served from and freed into `pool`. */
export function withPool<T>(pool: BufferPool, fn: () => T): T {
  const prev = active;
  active = pool;
  try {
    return fn();
  } finally {
    active = prev;
  }
}

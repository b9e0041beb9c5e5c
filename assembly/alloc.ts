// The engine's only allocator: a TLSF (two-level segregated fit) heap over linear memory.
// O(1) alloc and free: blocks are split on alloc and coalesced with both neighbours on free, so
// long runs of mixed sizes do not fragment the heap or keep growing memory.
//
// Block layout (all blocks 16-byte aligned, sizes multiples of 16, header included):
//   +0  u32 size | FREE | LEFT_FREE     +4  u32 bytes the caller asked for (for the stats)
//   +8  u32 previous free block          +12 u32 next free block        (only while free)
//   +16 payload ...                      last 4 bytes: address of the block (only while free),
//                                        so the right neighbour can find it to coalesce.
// A zero-size used "sentinel" block ends the heap; growing memory turns it into a free block.

const HEADER: usize = 16;
const MIN_BLOCK: usize = 32;
const FREE: u32 = 1;
const LEFT_FREE: u32 = 2;
const TAGS: u32 = 15;

// Sizes below 256 map linearly to 16 classes of 16 bytes; above, each power of two splits in 16.
const SL_BITS: u32 = 4;
const SL_COUNT: u32 = 1 << SL_BITS;
const SB_BITS: u32 = SL_BITS + 4;
const FL_COUNT: u32 = 32 - SB_BITS + 1;
// Keep the heap end representable in a u32 (65536 pages would make it 2^32).
const MAX_PAGES: i32 = 65535;
// Above this, rounding a request up to its class could overflow u32; it could never fit anyway.
const MAX_REQUEST: usize = 0xF000_0000;
const MIN_GROW_PAGES: i32 = 16;

const heads = memory.data(<i32>(FL_COUNT * SL_COUNT * 4), 16);
const slMaps = memory.data(<i32>(FL_COUNT * 4), 16);
let flMap: u32 = 0;
let sentinel: usize = 0;

let bytesLive: usize = 0;
let blocksLive: u32 = 0;
let peakBytes: usize = 0;

// @ts-ignore: decorator
@inline function sizeOf(block: usize): usize { return load<u32>(block) & ~TAGS; }

// Free-list class of a block of `size` bytes, as fl * SL_COUNT + sl.
// @ts-ignore: decorator
@inline function classOf(size: usize): u32 {
  if (size < (1 << SB_BITS)) return <u32>(size >> 4);
  const msb = 31 - clz<u32>(<u32>size);
  const fl = msb - SB_BITS + 1;
  const sl = (<u32>(size >> (msb - SL_BITS))) ^ SL_COUNT;
  return fl * SL_COUNT + sl;
}

function insertFree(block: usize): void {
  const c = classOf(sizeOf(block));
  const fl = c >> SL_BITS, sl = c & (SL_COUNT - 1);
  const headAt = heads + (<usize>c << 2);
  const head = load<u32>(headAt);
  store<u32>(block, 0, 8);
  store<u32>(block, head, 12);
  if (head) store<u32>(<usize>head, <u32>block, 8);
  store<u32>(headAt, <u32>block);
  flMap |= 1 << fl;
  const slAt = slMaps + (<usize>fl << 2);
  store<u32>(slAt, load<u32>(slAt) | (1 << sl));
}

function removeFree(block: usize): void {
  const c = classOf(sizeOf(block));
  const prev = load<u32>(block, 8), next = load<u32>(block, 12);
  if (next) store<u32>(<usize>next, prev, 8);
  if (prev) {
    store<u32>(<usize>prev, next, 12);
  } else {
    store<u32>(heads + (<usize>c << 2), next);
    if (!next) {
      const fl = c >> SL_BITS;
      const slAt = slMaps + (<usize>fl << 2);
      const m = load<u32>(slAt) & ~(1 << (c & (SL_COUNT - 1)));
      store<u32>(slAt, m);
      if (!m) flMap &= ~(1 << fl);
    }
  }
}

// First free block of at least `size` bytes, or 0: round the size up to its class's upper bound so
// that any block found in that class or above fits (good fit without scanning a list).
function findFree(size: usize): usize {
  if (size >= (1 << SB_BITS)) {
    const msb = 31 - clz<u32>(<u32>size);
    size += (<usize>1 << (msb - SL_BITS)) - 1;
  }
  const c = classOf(size);
  let fl = c >> SL_BITS;
  let slm = load<u32>(slMaps + (<usize>fl << 2)) & (~0 << (c & (SL_COUNT - 1)));
  if (!slm) {
    const flm = flMap & (~0 << (fl + 1));
    if (!flm) return 0;
    fl = ctz<u32>(flm);
    slm = load<u32>(slMaps + (<usize>fl << 2));
  }
  return <usize>load<u32>(heads + ((<usize>(fl * SL_COUNT + ctz<u32>(slm))) << 2));
}

// Marks `block` (with its final size) free and files it; the left neighbour is known not free.
function makeFree(block: usize, size: usize, leftTag: u32): void {
  store<u32>(block, <u32>size | FREE | leftTag);
  store<u32>(block + size - 4, <u32>block);
  const right = block + size;
  store<u32>(right, load<u32>(right) | LEFT_FREE);
  insertFree(block);
}

// Turns memory from the old sentinel `start` up to `end` into free space, with a new sentinel.
function addMemory(start: usize, end: usize): void {
  const leftFree = sentinel != 0 && (load<u32>(start) & LEFT_FREE) != 0;
  const last = end - HEADER;
  store<u32>(last, 0);
  sentinel = last;
  let block = start;
  let size = last - start;
  let leftTag: u32 = 0;
  if (leftFree) {
    block = <usize>load<u32>(start - 4);
    removeFree(block);
    size += sizeOf(block);
    leftTag = load<u32>(block) & LEFT_FREE;
  }
  if (size >= MIN_BLOCK) makeFree(block, size, leftTag);
}

function init(): void {
  const start = (__heap_base + 15) & ~15;
  const end = (<usize>memory.size()) << 16;
  if (end < start + HEADER + MIN_BLOCK) {
    if (memory.grow(1) < 0) return;
    return init();
  }
  store<u32>(start, 0);
  addMemory(start, end);
}

function grow(size: usize): bool {
  // Space already free at the end of the heap counts toward the request.
  let tail: usize = 0;
  if (load<u32>(sentinel) & LEFT_FREE) tail = sizeOf(<usize>load<u32>(sentinel - 4));
  // findFree rounds the request up to its class bound: grow to that bound.
  if (size >= (1 << SB_BITS)) size += (<usize>1 << (31 - clz<u32>(<u32>size) - SL_BITS)) - 1;
  const need = size + HEADER > tail ? size + HEADER - tail : 1;
  let pages = <i32>((need + 0xFFFF) >> 16);
  const have = memory.size();
  if (pages > MAX_PAGES - have) return false;
  const want = max(pages, min(MIN_GROW_PAGES, MAX_PAGES - have));
  if (memory.grow(want) < 0 && (want == pages || memory.grow(pages) < 0)) return false;
  addMemory(sentinel, (<usize>memory.size()) << 16);
  return true;
}

/** A 16-byte aligned block of at least `size` bytes, or 0 when memory cannot grow enough. */
export function alloc(size: usize): usize {
  if (size > MAX_REQUEST) return 0;
  if (!sentinel) {
    init();
    if (!sentinel) return 0;
  }
  const need = max<usize>(MIN_BLOCK, ((size + 15) & ~15) + HEADER);
  let block = findFree(need);
  if (!block) {
    if (!grow(need)) return 0;
    block = findFree(need);
    if (!block) return 0;
  }
  removeFree(block);
  const have = sizeOf(block);
  const leftTag = load<u32>(block) & LEFT_FREE;
  if (have - need >= MIN_BLOCK) {
    store<u32>(block, <u32>need | leftTag);
    makeFree(block + need, have - need, 0);
  } else {
    store<u32>(block, <u32>have | leftTag);
    const right = block + have;
    store<u32>(right, load<u32>(right) & ~LEFT_FREE);
  }
  store<u32>(block, <u32>size, 4);
  bytesLive += size;
  blocksLive++;
  if (bytesLive > peakBytes) peakBytes = bytesLive;
  return block + HEADER;
}

/** Returns a block from `alloc` to the heap; 0 is ignored. */
export function free(ptr: usize): void {
  if (!ptr) return;
  let block = ptr - HEADER;
  bytesLive -= <usize>load<u32>(block, 4);
  blocksLive--;
  let size = sizeOf(block);
  let leftTag = load<u32>(block) & LEFT_FREE;
  const right = block + size;
  if (load<u32>(right) & FREE) {
    removeFree(right);
    size += sizeOf(right);
  }
  if (leftTag) {
    const left = <usize>load<u32>(block - 4);
    removeFree(left);
    size += sizeOf(left);
    block = left;
    leftTag = load<u32>(left) & LEFT_FREE;
  }
  makeFree(block, size, leftTag);
}

export function stat_bytes_live(): usize { return bytesLive; }
export function stat_blocks_live(): u32 { return blocksLive; }
export function stat_peak_bytes(): usize { return peakBytes; }
export function stat_reset_peak(): void { peakBytes = bytesLive; }

// The parameter block every convolution driver reads (i32 slots; lo/hi are f32 bits), written by
// src/ops/conv-fast.ts (CONV_PARAMS there lists the same slots in the same order). REFLECT = 1: the
// padding PH/PW reflects the image (PyTorch's pad mode 'reflect') instead of adding zeros.
export const N = 0, CIN = 1, H = 2, W = 3, COUT = 4, KH = 5, KW = 6, SH = 7, SW = 8, PH = 9, PW = 10,
  DH = 11, DW = 12, OH = 13, OW = 14, X = 15, WEIGHTS = 16, BIAS = 17, Y = 18, SCRATCH = 19, CHUNK = 20,
  LO = 21, HI = 22, REFLECT = 23;

// @ts-ignore: decorator
@inline export function geti(p: usize, slot: i32): i32 { return load<i32>(p + (<usize>slot << 2)); }
// @ts-ignore: decorator
@inline export function getp(p: usize, slot: i32): usize { return <usize>load<u32>(p + (<usize>slot << 2)); }
// @ts-ignore: decorator
@inline export function getf(p: usize, slot: i32): f32 { return load<f32>(p + (<usize>slot << 2)); }

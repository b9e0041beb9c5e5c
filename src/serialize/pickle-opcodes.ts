// Pickle opcodes used by protocol 2 as TorchScript writes it (PyTorch pickler.h PickleOpCode), plus a few
// protocol 3/4 ones that are cheap to read.

export const enum Op {
  MARK = 0x28, // (
  STOP = 0x2e, // .
  BINFLOAT = 0x47, // G
  BININT = 0x4a, // J
  BININT1 = 0x4b, // K
  BININT2 = 0x4d, // M
  NONE = 0x4e, // N
  BINPERSID = 0x51, // Q
  REDUCE = 0x52, // R
  BINUNICODE = 0x58, // X
  EMPTY_LIST = 0x5d, // ]
  APPEND = 0x61, // a
  BUILD = 0x62, // b
  GLOBAL = 0x63, // c
  DICT = 0x64, // d
  APPENDS = 0x65, // e
  BINGET = 0x68, // h
  LONG_BINGET = 0x6a, // j
  LIST = 0x6c, // l
  BINPUT = 0x71, // q
  LONG_BINPUT = 0x72, // r
  SETITEM = 0x73, // s
  TUPLE = 0x74, // t
  SETITEMS = 0x75, // u
  EMPTY_DICT = 0x7d, // }
  EMPTY_TUPLE = 0x29, // )
  PROTO = 0x80,
  NEWOBJ = 0x81,
  TUPLE1 = 0x85,
  TUPLE2 = 0x86,
  TUPLE3 = 0x87,
  NEWTRUE = 0x88,
  NEWFALSE = 0x89,
  LONG1 = 0x8a,
  BINBYTES = 0x42, // B (protocol 3)
  SHORT_BINBYTES = 0x43, // C (protocol 3)
  SHORT_BINUNICODE = 0x8c, // protocol 4
  MEMOIZE = 0x94, // protocol 4
  FRAME = 0x95, // protocol 4
}

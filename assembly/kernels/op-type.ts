// Note [Op types]
// Each op of a kernel family is an empty `@final @unmanaged` class whose `@inline` method holds
// the op's body, and the loop is generic over it (`mapUnary<Exp>`): every op gets its own
// specialised loop with no switch inside. `opOf<T>()` names the "instance" without allocating:
// the methods never read `this`. (AssemblyScript cannot call static methods of a type parameter,
// and inlining one loop per constant op code makes compile times explode.)

// @ts-ignore: decorator
@inline export function opOf<T>(): T { return changetype<T>(0); }

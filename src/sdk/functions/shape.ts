// Python-level torch.* functions of this group that are not a single op-table call.
export const FUNCTIONS: Record<string, (...args: any[]) => any> = {};

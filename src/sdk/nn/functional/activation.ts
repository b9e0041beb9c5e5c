// torch.nn.functional entries of this group.
export const FUNCTIONAL: Record<string, (...args: any[]) => any> = {};

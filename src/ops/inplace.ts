// In-place twins (`aten::relu_`) derived from out-of-place rows: compute, then write into self.
import type { Tensor } from '../sdk/tensor.js';
import { copyInto } from './exec.js';
import type { OpDef } from './table.js';

/** `aten::f.overload(Tensor self, ...) -> Tensor` becomes `aten::f_.overload(Tensor(a!) self, ...) -> Tensor(a!)`. */
function inplaceSchema(schema: string): string {
  return schema
    .replace(/^(\w+::\w+)/, '$1_')
    .replace('(Tensor self', '(Tensor(a!) self')
    .replace(/-> Tensor$/, '-> Tensor(a!)');
}

export function inplaceOf(def: OpDef): OpDef {
  return {
    schema: inplaceSchema(def.schema),
    tags: [...(def.tags ?? []), 'inplace'],
    impl: (self: Tensor, ...rest: any[]) => {
      const out: Tensor = def.impl(self, ...rest);
      copyInto(self, out, inplaceSchema(def.schema).split('(')[0]);
      out.dispose();
      return self;
    },
  };
}

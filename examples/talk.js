// The functions of the talk (seed/pytorch-jit-android-talk.md) in JavaScript, for tracing and
// scripting. Traced code runs eagerly, so it calls tensor methods; scripted code may also use
// `+ - * /` on tensors (they compile to aten::add etc.; see src/jit/script-js/script.ts).
import { torch } from '../build/js/src/index.js';

/** `for i in range(5): x = x * x` */
export function myfn(x) {
  for (let i = 0; i < 5; i++) {
    x = x.mul(x);
  }
  return x;
}

/** The same, with operators: only for scripting. */
export function scriptFn(x) {
  for (let i = 0; i < 5; i++) {
    x = x * x;
  }
  return x;
}

/** The talk's ratio_iou as TorchScript source (for jit.compile). */
export const RATIO_IOU_SOURCE = `import math
def ratio_iou(x1, y1, w1, h1, x2, y2, w2, h2):
    xi = torch.max(x1, x2)
    yi = torch.max(y1, y2)
    wi = torch.clamp(torch.min(x1+w1, x2+w2) - xi, min=0, max=math.inf)
    hi = torch.clamp(torch.min(y1+h1, y2+h2) - yi, min=0, max=math.inf)
    area_i = wi * hi
    area_u = w1 * h1 + w2 * h2 - wi * hi
    return area_i / torch.clamp(area_u, min=1e-5, max=math.inf)
`;

/** Intersection over union of boxes (x, y, w, h), method calls: traceable and scriptable. */
export function ratioIou(x1, y1, w1, h1, x2, y2, w2, h2) {
  const xi = torch.max(x1, x2);
  const yi = torch.max(y1, y2);
  const wi = torch.clamp(torch.min(x1.add(w1), x2.add(w2)).sub(xi), { min: 0 });
  const hi = torch.clamp(torch.min(y1.add(h1), y2.add(h2)).sub(yi), { min: 0 });
  const areaI = wi.mul(hi);
  const areaU = w1.mul(h1).add(w2.mul(h2)).sub(wi.mul(hi));
  return areaI.div(torch.clamp(areaU, { min: 1e-5 }));
}

/** The talk's scripted version, with operators and `max=Infinity` as in `ratio_iou_scripted`. */
export function ratioIouScripted(x1, y1, w1, h1, x2, y2, w2, h2) {
  const xi = torch.max(x1, x2);
  const yi = torch.max(y1, y2);
  const wi = torch.clamp(torch.min(x1 + w1, x2 + w2) - xi, { min: 0, max: Infinity });
  const hi = torch.clamp(torch.min(y1 + h1, y2 + h2) - yi, { min: 0, max: Infinity });
  const areaI = wi * hi;
  const areaU = w1 * h1 + w2 * h2 - wi * hi;
  return areaI / torch.clamp(areaU, { min: 1e-5, max: Infinity });
}

/**
 * gen_models.py's ControlFlow module: a for loop, a data-dependent if, a list with push, a while
 * loop and a submodule call. `lin` is any module with forward (e.g. nn.Linear(16, 16)).
 */
export class ControlFlow {
  constructor(lin) {
    this.lin = lin;
  }

  forward(x, n = 0) {
    const outs = [];
    for (let i = 0; i < n; i++) {
      x = torch.tanh(this.lin.forward(x));
      if (x.sum() > 0) {
        x = x * 0.5;
      } else {
        x = x - 0.25;
      }
      outs.push(x);
    }
    let k = 0;
    while (k < 3) {
      x = x + k;
      k += 1;
    }
    return torch.stack(outs, 0).sum(0) + x;
  }
}

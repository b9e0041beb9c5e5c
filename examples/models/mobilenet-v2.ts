// torchvision's MobileNetV2 (torchvision/models/mobilenetv2.py, Conv2dNormActivation from
// torchvision/ops/misc.py) written with torchwick.nn: same attribute names, Sequential indices
// and order, so its state_dict keys and repr are torchvision's.
import { nn, functional as F, ArgumentError, type Tensor } from '../../src/index.js';

/** `v` rounded to a multiple of `divisor`, never more than 10% below `v` (from the TF repo). */
export function makeDivisible(v: number, divisor: number, minValue = divisor): number {
  const rounded = Math.max(minValue, Math.floor((v + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * v ? rounded + divisor : rounded;
}

/** Conv2d (no bias: the norm has one), BatchNorm2d, ReLU6; "same" padding for odd kernels. */
export class Conv2dNormActivation extends nn.Sequential {
  readonly out_channels: number;
  constructor(inPlanes: number, outPlanes: number, opts: { kernel_size?: number; stride?: number; groups?: number } = {}) {
    const k = opts.kernel_size ?? 3;
    super(
      new nn.Conv2d(inPlanes, outPlanes, k, { stride: opts.stride ?? 1, padding: (k - 1) >> 1, groups: opts.groups ?? 1, bias: false }),
      new nn.BatchNorm2d(outPlanes),
      new nn.ReLU6({ inplace: true }),
    );
    this.out_channels = outPlanes;
  }
}

/** Expand (1x1, unless the ratio is 1), depthwise 3x3, linear 1x1 projection; residual when shapes allow. */
export class InvertedResidual extends nn.Module {
  readonly stride: number;
  readonly use_res_connect: boolean;
  conv: nn.Sequential;
  readonly out_channels: number;
  readonly _is_cn: boolean;
  constructor(inp: number, oup: number, stride: number, expandRatio: number) {
    super();
    if (stride !== 1 && stride !== 2) throw new ArgumentError('InvertedResidual', `stride should be 1 or 2 instead of ${stride}`);
    this.stride = stride;
    const hidden = Math.round(inp * expandRatio);
    this.use_res_connect = stride === 1 && inp === oup;
    const layers: nn.Module[] = [];
    if (expandRatio !== 1) layers.push(new Conv2dNormActivation(inp, hidden, { kernel_size: 1 })); // pw
    layers.push(
      new Conv2dNormActivation(hidden, hidden, { stride, groups: hidden }), // dw
      new nn.Conv2d(hidden, oup, 1, { bias: false }), // pw-linear
      new nn.BatchNorm2d(oup),
    );
    this.conv = new nn.Sequential(...layers);
    this.out_channels = oup;
    this._is_cn = stride > 1;
  }
  forward(x: Tensor): Tensor {
    return this.use_res_connect ? x.add(this.conv.call(x)) : this.conv.call(x);
  }
}

export interface MobileNetV2Options {
  num_classes?: number;
  width_mult?: number;
  round_nearest?: number;
  dropout?: number;
}

/** t (expansion), c (channels), n (repeats), s (first stride) per stage. */
const INVERTED_RESIDUAL_SETTING = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

export class MobileNetV2 extends nn.Module {
  readonly last_channel: number;
  features: nn.Sequential;
  classifier: nn.Sequential;
  constructor(opts: MobileNetV2Options = {}) {
    super();
    const width = opts.width_mult ?? 1;
    const round = opts.round_nearest ?? 8;
    let input = makeDivisible(32 * width, round);
    this.last_channel = makeDivisible(1280 * Math.max(1, width), round);
    const features: nn.Module[] = [new Conv2dNormActivation(3, input, { stride: 2 })];
    for (const [t, c, n, s] of INVERTED_RESIDUAL_SETTING) {
      const output = makeDivisible(c * width, round);
      for (let i = 0; i < n; i++) {
        features.push(new InvertedResidual(input, output, i === 0 ? s : 1, t));
        input = output;
      }
    }
    features.push(new Conv2dNormActivation(input, this.last_channel, { kernel_size: 1 }));
    this.features = new nn.Sequential(...features);
    this.classifier = new nn.Sequential(new nn.Dropout(opts.dropout ?? 0.2), new nn.Linear(this.last_channel, opts.num_classes ?? 1000));
  }
  forward(x: Tensor): Tensor {
    const pooled = F.adaptive_avg_pool2d(this.features.call(x), [1, 1]);
    return this.classifier.call(pooled.flatten(1));
  }
}

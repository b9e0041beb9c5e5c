// fast-neural-style's TransformerNet built from nn modules (the architecture of the training
// fixture), so that eager autograd can be checked against PyTorch without the JIT.
import { nn, type Tensor } from '../../src/index.js';

class ConvLayer extends nn.Module {
  reflection_pad: nn.Module;
  conv2d: nn.Module;
  constructor(cin: number, cout: number, k: number, stride: number) {
    super();
    this.reflection_pad = new nn.ReflectionPad2d(Math.floor(k / 2));
    this.conv2d = new nn.Conv2d(cin, cout, k, { stride });
  }
  forward(x: Tensor): Tensor {
    return this.conv2d.call(this.reflection_pad.call(x));
  }
}

class ResidualBlock extends nn.Module {
  conv1: ConvLayer;
  in1: nn.Module;
  conv2: ConvLayer;
  in2: nn.Module;
  relu = new nn.ReLU();
  constructor(c: number) {
    super();
    this.conv1 = new ConvLayer(c, c, 3, 1);
    this.in1 = new nn.InstanceNorm2d(c, { affine: true });
    this.conv2 = new ConvLayer(c, c, 3, 1);
    this.in2 = new nn.InstanceNorm2d(c, { affine: true });
  }
  forward(x: Tensor): Tensor {
    const y = this.relu.call(this.in1.call(this.conv1.call(x)));
    return this.in2.call(this.conv2.call(y)).add(x);
  }
}

class UpsampleConvLayer extends ConvLayer {
  upsample = new nn.Upsample({ scale_factor: 2, mode: 'nearest' });
  forward(x: Tensor): Tensor {
    return super.forward(this.upsample.call(x));
  }
}

export class TransformerNet extends nn.Module {
  [layer: string]: any;
  constructor(w: number) {
    super();
    const norm = (c: number) => new nn.InstanceNorm2d(c, { affine: true });
    Object.assign(this, {
      conv1: new ConvLayer(3, w, 9, 1), in1: norm(w),
      conv2: new ConvLayer(w, 2 * w, 3, 2), in2: norm(2 * w),
      conv3: new ConvLayer(2 * w, 4 * w, 3, 2), in3: norm(4 * w),
      res1: new ResidualBlock(4 * w), res2: new ResidualBlock(4 * w), res3: new ResidualBlock(4 * w), res4: new ResidualBlock(4 * w), res5: new ResidualBlock(4 * w),
      deconv1: new UpsampleConvLayer(4 * w, 2 * w, 3, 1), in4: norm(2 * w),
      deconv2: new UpsampleConvLayer(2 * w, w, 3, 1), in5: norm(w),
      deconv3: new ConvLayer(w, 3, 9, 1),
      relu: new nn.ReLU(),
    });
  }
  forward(x: Tensor): Tensor {
    const block = (conv: string, norm: string, y: Tensor) => this.relu.call(this[norm].call(this[conv].call(y)));
    let y = block('conv3', 'in3', block('conv2', 'in2', block('conv1', 'in1', x)));
    for (const r of ['res1', 'res2', 'res3', 'res4', 'res5']) y = this[r].call(y);
    y = block('deconv2', 'in5', block('deconv1', 'in4', y));
    return this.deconv3.call(y);
  }
}

// fast-neural-style's TransformerNet (pytorch/examples, fast_neural_style/neural_style/transformer_net.py)
// written with torchwick.nn: same attribute names and order, so its state_dict keys and repr
// are PyTorch's and it loads the weights of a TorchScript archive of the Python model.
import { nn, functional as F, type Tensor } from '../../src/index.js';

/** Reflection padding of kernel_size // 2, then a convolution (no zero padding). */
export class ConvLayer extends nn.Module {
  reflection_pad: nn.ReflectionPad2d;
  conv2d: nn.Conv2d;
  constructor(inChannels: number, outChannels: number, kernelSize: number, stride: number) {
    super();
    this.reflection_pad = new nn.ReflectionPad2d(Math.floor(kernelSize / 2));
    this.conv2d = new nn.Conv2d(inChannels, outChannels, kernelSize, { stride });
  }
  forward(x: Tensor): Tensor {
    return this.conv2d.call(this.reflection_pad.call(x));
  }
}

/** conv-norm-relu-conv-norm plus the input (http://torch.ch/blog/2016/02/04/resnets.html). */
export class ResidualBlock extends nn.Module {
  conv1: ConvLayer;
  in1: nn.InstanceNorm2d;
  conv2: ConvLayer;
  in2: nn.InstanceNorm2d;
  relu: nn.Module;
  constructor(channels: number) {
    super();
    this.conv1 = new ConvLayer(channels, channels, 3, 1);
    this.in1 = new nn.InstanceNorm2d(channels, { affine: true });
    this.conv2 = new ConvLayer(channels, channels, 3, 1);
    this.in2 = new nn.InstanceNorm2d(channels, { affine: true });
    this.relu = new nn.ReLU();
  }
  forward(x: Tensor): Tensor {
    const out = this.relu.call(this.in1.call(this.conv1.call(x)));
    return this.in2.call(this.conv2.call(out)).add(x);
  }
}

/**
 * Nearest upsampling by `upsample` (a plain attribute, as in Python: not a submodule, so it is not
 * in the repr), then ConvLayer's padding and convolution; better than ConvTranspose2d
 * (http://distill.pub/2016/deconv-checkerboard/).
 */
export class UpsampleConvLayer extends nn.Module {
  upsample: number | null;
  reflection_pad: nn.ReflectionPad2d;
  conv2d: nn.Conv2d;
  constructor(inChannels: number, outChannels: number, kernelSize: number, stride: number, upsample: number | null = null) {
    super();
    this.upsample = upsample;
    this.reflection_pad = new nn.ReflectionPad2d(Math.floor(kernelSize / 2));
    this.conv2d = new nn.Conv2d(inChannels, outChannels, kernelSize, { stride });
  }
  forward(x: Tensor): Tensor {
    const xIn = this.upsample ? F.interpolate(x, { mode: 'nearest', scale_factor: this.upsample }) : x;
    return this.conv2d.call(this.reflection_pad.call(xIn));
  }
}

/** The style network; `width` is the first layer's channel count (32 in the example). */
export class TransformerNet extends nn.Module {
  conv1: ConvLayer;
  in1: nn.InstanceNorm2d;
  conv2: ConvLayer;
  in2: nn.InstanceNorm2d;
  conv3: ConvLayer;
  in3: nn.InstanceNorm2d;
  res1: ResidualBlock;
  res2: ResidualBlock;
  res3: ResidualBlock;
  res4: ResidualBlock;
  res5: ResidualBlock;
  deconv1: UpsampleConvLayer;
  in4: nn.InstanceNorm2d;
  deconv2: UpsampleConvLayer;
  in5: nn.InstanceNorm2d;
  deconv3: ConvLayer;
  relu: nn.Module;
  constructor(width = 32) {
    super();
    const [w, w2, w4] = [width, 2 * width, 4 * width];
    const norm = (c: number) => new nn.InstanceNorm2d(c, { affine: true });
    // Initial convolution layers
    this.conv1 = new ConvLayer(3, w, 9, 1);
    this.in1 = norm(w);
    this.conv2 = new ConvLayer(w, w2, 3, 2);
    this.in2 = norm(w2);
    this.conv3 = new ConvLayer(w2, w4, 3, 2);
    this.in3 = norm(w4);
    // Residual layers
    this.res1 = new ResidualBlock(w4);
    this.res2 = new ResidualBlock(w4);
    this.res3 = new ResidualBlock(w4);
    this.res4 = new ResidualBlock(w4);
    this.res5 = new ResidualBlock(w4);
    // Upsampling layers
    this.deconv1 = new UpsampleConvLayer(w4, w2, 3, 1, 2);
    this.in4 = norm(w2);
    this.deconv2 = new UpsampleConvLayer(w2, w, 3, 1, 2);
    this.in5 = norm(w);
    this.deconv3 = new ConvLayer(w, 3, 9, 1);
    this.relu = new nn.ReLU();
  }
  forward(x: Tensor): Tensor {
    let y = this.relu.call(this.in1.call(this.conv1.call(x)));
    y = this.relu.call(this.in2.call(this.conv2.call(y)));
    y = this.relu.call(this.in3.call(this.conv3.call(y)));
    for (const res of [this.res1, this.res2, this.res3, this.res4, this.res5]) y = res.call(y);
    y = this.relu.call(this.in4.call(this.deconv1.call(y)));
    y = this.relu.call(this.in5.call(this.deconv2.call(y)));
    return this.deconv3.call(y);
  }
}

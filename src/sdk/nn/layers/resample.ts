// ReflectionPad2d, ZeroPad2d, Upsample, PixelShuffle.
import { Module } from '../module.js';
import { functional as F } from '../functional/index.js';
import type { Tensor } from '../../tensor.js';

const four = (p: number | number[]) => (Array.isArray(p) ? p : [p, p, p, p]);

export class ReflectionPad2d extends Module {
  readonly padding: number[];
  constructor(padding: number | number[]) {
    super();
    this.padding = four(padding);
  }
  forward(x: Tensor): Tensor {
    return F.pad(x, this.padding, 'reflect');
  }
  extraRepr(): string {
    return `(${this.padding.join(', ')})`;
  }
}

export class ZeroPad2d extends Module {
  readonly padding: number[];
  constructor(padding: number | number[]) {
    super();
    this.padding = four(padding);
  }
  forward(x: Tensor): Tensor {
    return F.pad(x, this.padding, 'constant', 0);
  }
  extraRepr(): string {
    return `(${this.padding.join(', ')})`;
  }
}

export class Upsample extends Module {
  constructor(readonly opts: { size?: number | number[]; scale_factor?: number | number[]; mode?: string; align_corners?: boolean | null } = {}) {
    super();
  }
  forward(x: Tensor): Tensor {
    const o = this.opts;
    return F.interpolate(x, o.size ?? null, o.scale_factor ?? null, o.mode ?? 'nearest', o.align_corners ?? null);
  }
  extraRepr(): string {
    const o = this.opts;
    return o.size !== undefined ? `size=${JSON.stringify(o.size)}, mode='${o.mode ?? 'nearest'}'` : `scale_factor=${o.scale_factor}.0, mode='${o.mode ?? 'nearest'}'`;
  }
}

export class PixelShuffle extends Module {
  constructor(readonly upscaleFactor: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return F.pixel_shuffle(x, this.upscaleFactor);
  }
  extraRepr(): string {
    return `upscale_factor=${this.upscaleFactor}`;
  }
}

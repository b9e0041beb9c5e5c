"""Trains the demo style model: the fast-neural-style TransformerNet (PyTorch examples, width 32,
as in the talk) taught to map a photo to `filter.stylize(photo)`, then traced and saved.

    node tools/style/photos.mjs <skimage data dir>            # makes build/style-photos/*.npy
    python3 tools/style/train.py --photos build/style-photos --out demos/models

Writes to --out: style.pt (torch.jit.trace at 1x3x256x256), style.input0.npy / style.output0.npy
(a 256x256 crop of chelsea and PyTorch's output for it: the reference torchwick must reproduce)
and preview_<photo>.npy (uint8 HxWx3: photo | filter | model, side by side, not committed).
Inputs and outputs are in [0, 255] like the fast-neural-style example.
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from filter import stylize  # noqa: E402

MAX_ARCHIVE_BYTES = 7_000_000


class ConvLayer(nn.Module):
    def __init__(self, cin, cout, k, stride):
        super().__init__()
        self.reflection_pad = nn.ReflectionPad2d(k // 2)
        self.conv2d = nn.Conv2d(cin, cout, k, stride)

    def forward(self, x):
        return self.conv2d(self.reflection_pad(x))


class ResidualBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = ConvLayer(channels, channels, 3, 1)
        self.in1 = nn.InstanceNorm2d(channels, affine=True)
        self.conv2 = ConvLayer(channels, channels, 3, 1)
        self.in2 = nn.InstanceNorm2d(channels, affine=True)
        self.relu = nn.ReLU()

    def forward(self, x):
        out = self.relu(self.in1(self.conv1(x)))
        return self.in2(self.conv2(out)) + x


class UpsampleConvLayer(nn.Module):
    def __init__(self, cin, cout, k, stride, upsample=None):
        super().__init__()
        self.upsample = upsample
        self.reflection_pad = nn.ReflectionPad2d(k // 2)
        self.conv2d = nn.Conv2d(cin, cout, k, stride)

    def forward(self, x):
        if self.upsample:
            x = F.interpolate(x, mode="nearest", scale_factor=self.upsample)
        return self.conv2d(self.reflection_pad(x))


class TransformerNet(nn.Module):
    def __init__(self, c=32):
        super().__init__()
        self.conv1 = ConvLayer(3, c, 9, 1)
        self.in1 = nn.InstanceNorm2d(c, affine=True)
        self.conv2 = ConvLayer(c, 2 * c, 3, 2)
        self.in2 = nn.InstanceNorm2d(2 * c, affine=True)
        self.conv3 = ConvLayer(2 * c, 4 * c, 3, 2)
        self.in3 = nn.InstanceNorm2d(4 * c, affine=True)
        self.res1 = ResidualBlock(4 * c)
        self.res2 = ResidualBlock(4 * c)
        self.res3 = ResidualBlock(4 * c)
        self.res4 = ResidualBlock(4 * c)
        self.res5 = ResidualBlock(4 * c)
        self.deconv1 = UpsampleConvLayer(4 * c, 2 * c, 3, 1, upsample=2.0)
        self.in4 = nn.InstanceNorm2d(2 * c, affine=True)
        self.deconv2 = UpsampleConvLayer(2 * c, c, 3, 1, upsample=2.0)
        self.in5 = nn.InstanceNorm2d(c, affine=True)
        self.deconv3 = ConvLayer(c, 3, 9, 1)
        self.relu = nn.ReLU()

    def forward(self, X):
        y = self.relu(self.in1(self.conv1(X)))
        y = self.relu(self.in2(self.conv2(y)))
        y = self.relu(self.in3(self.conv3(y)))
        y = self.res5(self.res4(self.res3(self.res2(self.res1(y)))))
        y = self.relu(self.in4(self.deconv1(y)))
        y = self.relu(self.in5(self.deconv2(y)))
        return self.deconv3(y)


def to_chw(img):
    return torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))


def resize(img, scale):
    t = to_chw(img)[None]
    size = (round(img.shape[0] * scale), round(img.shape[1] * scale))
    out = F.interpolate(t, size=size, mode="bilinear", antialias=True, align_corners=False)
    return out[0].permute(1, 2, 0).clamp(0, 255).numpy()


def jitter(img, rng):
    """Brightness, contrast, saturation and per-channel gain, as a photo from another camera."""
    grey = img @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    out = grey[..., None] + (img - grey[..., None]) * rng.uniform(0.6, 1.4)
    out = (out - out.mean()) * rng.uniform(0.75, 1.25) + out.mean() * rng.uniform(0.75, 1.25)
    out = out * rng.uniform(0.9, 1.1, size=3)
    return np.clip(out, 0, 255).astype(np.float32)


def make_pairs(photos, scales, jitters, seed):
    """(input, target) CHW float pairs. The filter is not colour- or scale-equivariant, so its
    targets are computed for each augmented photo up front (flips commute with it: done per step)."""
    rng = np.random.default_rng(seed)
    pairs = []
    for img in photos:
        for s in scales:
            base = resize(img, s)
            for j in range(jitters + 1):
                x = base if j == 0 else jitter(base, rng)
                pairs.append((to_chw(x), to_chw(stylize(x))))
    return pairs


def sobel(x):
    k = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]], device=x.device)
    w = torch.stack([k, k.t()])[:, None].repeat(3, 1, 1, 1)
    return F.conv2d(F.pad(x, (1, 1, 1, 1), mode="reflect"), w, groups=3)


def batch(pairs, n, crop, gen, device):
    xs, ts = [], []
    for i in torch.randint(len(pairs), (n,), generator=gen).tolist():
        x, t = pairs[i]
        y0 = torch.randint(x.shape[1] - crop + 1, (1,), generator=gen).item()
        x0 = torch.randint(x.shape[2] - crop + 1, (1,), generator=gen).item()
        xs.append(x[:, y0:y0 + crop, x0:x0 + crop])
        ts.append(t[:, y0:y0 + crop, x0:x0 + crop])
    x, t = torch.stack(xs), torch.stack(ts)
    flip = (torch.rand(n, 1, 1, 1, generator=gen) < 0.5).to(device)
    return torch.where(flip, x.flip(3), x), torch.where(flip, t.flip(3), t)


def train(model, pairs, args, device):
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    gen = torch.Generator().manual_seed(0)  # on the CPU: it picks crops, the data stays put
    start, step, progress = time.time(), 0, 0.0
    while progress < 1.0:
        progress = max(step / args.steps, (time.time() - start) / args.seconds)
        for g in opt.param_groups:  # cosine decay over whichever runs out first: steps or time
            g["lr"] = args.lr * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0))))
        x, t = batch(pairs, args.batch, args.crop, gen, device)
        y = model(x)
        loss = F.l1_loss(y, t) / 255 + args.edge_weight * F.l1_loss(sobel(y), sobel(t)) / 255
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if step % 250 == 0:
            print(f"step {step:5d}  {time.time() - start:6.1f}s  loss {loss.item():.4f}", flush=True)
        step += 1
    print(f"trained {step} steps in {time.time() - start:.1f}s, last loss {loss.item():.4f}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--photos", default="build/style-photos", help="folder of uint8 HxWx3 .npy photos")
    ap.add_argument("--reference", default="chelsea", help="photo whose 256x256 crop is the test reference")
    ap.add_argument("--out", default="demos/models")
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--seconds", type=float, default=270, help="training time budget")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--crop", type=int, default=192)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--edge-weight", type=float, default=0.5)
    ap.add_argument("--jitters", type=int, default=3)
    args = ap.parse_args()

    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    os.makedirs(args.out, exist_ok=True)

    names = sorted(f[:-4] for f in os.listdir(args.photos) if f.endswith(".npy"))
    photos = {n: np.load(os.path.join(args.photos, n + ".npy")).astype(np.float32) for n in names}
    t0 = time.time()
    pairs = make_pairs(photos.values(), [0.7, 0.85, 1.0], args.jitters, seed=0)
    pairs = [(x.to(device), t.to(device)) for x, t in pairs]
    print(f"{len(pairs)} training pairs from {names} in {time.time() - t0:.1f}s on {device}", flush=True)

    model = TransformerNet(32).to(device).train()
    train(model, pairs, args, device)

    model = model.cpu().eval()
    traced = torch.jit.trace(model, torch.rand(1, 3, 256, 256) * 255)
    path = os.path.join(args.out, "style.pt")
    traced.save(path)
    size = os.path.getsize(path)
    print(f"{path}: {size} bytes", flush=True)
    if size > MAX_ARCHIVE_BYTES:
        raise SystemExit(f"{path} is {size} bytes, over the {MAX_ARCHIVE_BYTES} byte limit")

    ref = photos[args.reference]
    y0, x0 = (ref.shape[0] - 256) // 2, (ref.shape[1] - 256) // 2
    x = to_chw(ref[y0:y0 + 256, x0:x0 + 256])[None].contiguous()
    with torch.no_grad():
        y = traced(x)
    np.save(os.path.join(args.out, "style.input0.npy"), x.numpy())
    np.save(os.path.join(args.out, "style.output0.npy"), y.numpy())

    for n, img in photos.items():
        img = img[: img.shape[0] // 4 * 4, : img.shape[1] // 4 * 4]  # two stride-2 convs, two x2 upsamples
        with torch.no_grad():
            out = traced(to_chw(img)[None])[0].permute(1, 2, 0).numpy()
        target = stylize(img)
        print(f"{n}: mean |model - filter| = {np.abs(out - target).mean():.2f} / 255", flush=True)
        side = np.concatenate([img, target, np.clip(out, 0, 255)], axis=1)
        np.save(os.path.join(args.out, f"preview_{n}.npy"), side.round().astype(np.uint8))


if __name__ == "__main__":
    main()

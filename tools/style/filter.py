"""The painterly filter the demo style model learns: Kuwahara smoothing (flat, brush-like regions
with sharp borders), a saturation boost, soft posterization and dark ink outlines.

numpy only, so the targets can be made and inspected anywhere; `stylize` maps an HxWx3 float
image in [0, 255] to one of the same shape and range.
"""
import numpy as np

LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


def _box_means(a, k):
    """Mean over every k x k window: out[y, x] = mean(a[y:y+k, x:x+k]) (valid positions only)."""
    c = np.cumsum(np.cumsum(a, axis=0, dtype=np.float64), axis=1)
    c = np.pad(c, [(1, 0), (1, 0)] + [(0, 0)] * (a.ndim - 2))
    s = c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]
    return (s / (k * k)).astype(np.float32)


def kuwahara(img, r):
    """Each pixel takes the mean colour of whichever of its four (r+1)x(r+1) quadrants has the
    lowest luma variance: smooths inside regions, never across an edge."""
    h, w, _ = img.shape
    p = np.pad(img, [(r, r), (r, r), (0, 0)], mode="reflect")
    luma = p @ LUMA
    k = r + 1
    mean_rgb = _box_means(p, k)
    var = _box_means(luma * luma, k) - _box_means(luma, k) ** 2
    # quadrant origins relative to the padded pixel (y + r, x + r): up-left, up-right, down-left, down-right
    offs = [(0, 0), (0, r), (r, 0), (r, r)]
    vars_ = np.stack([var[dy:dy + h, dx:dx + w] for dy, dx in offs])
    means = np.stack([mean_rgb[dy:dy + h, dx:dx + w] for dy, dx in offs])
    best = np.argmin(vars_, axis=0)
    return np.take_along_axis(means, best[None, :, :, None], axis=0)[0]


def saturate(img, amount):
    grey = (img @ LUMA)[..., None]
    return grey + (img - grey) * amount


def posterize(img, levels, sharpness=4.0):
    """A staircase of `levels` steps per channel whose risers are ramps, not jumps (continuous,
    so a network can learn it)."""
    t = np.clip(img, 0, 255) * ((levels - 1) / 255.0)
    f = np.floor(t)
    frac = np.clip((t - f - 0.5) * sharpness + 0.5, 0.0, 1.0)
    return (f + frac) * (255.0 / (levels - 1))


def ink(img, lo=18.0, hi=48.0):
    """Edge strength in [0, 1] from the Sobel gradient magnitude of luma, ramped between lo and hi."""
    l = np.pad(img @ LUMA, 1, mode="reflect")
    gx = (l[:-2, 2:] + 2 * l[1:-1, 2:] + l[2:, 2:]) - (l[:-2, :-2] + 2 * l[1:-1, :-2] + l[2:, :-2])
    gy = (l[2:, :-2] + 2 * l[2:, 1:-1] + l[2:, 2:]) - (l[:-2, :-2] + 2 * l[:-2, 1:-1] + l[:-2, 2:])
    mag = np.sqrt(gx * gx + gy * gy) / 4.0
    return np.clip((mag - lo) / (hi - lo), 0.0, 1.0)


def stylize(img):
    img = np.asarray(img, dtype=np.float32)
    smooth = kuwahara(kuwahara(img, 4), 2)
    edges = ink(smooth)
    out = posterize(saturate(smooth, 1.35), levels=6)
    out = out * (1.0 - 0.85 * edges[..., None])
    return np.clip(out, 0, 255).astype(np.float32)

"""NumPy references of lesson 10_augmentation (written independently of the notebook).

Images are float arrays in [0, 1] of shape (N, H, W) or (N, H, W, C); every function returns a
new array of the same shape in [0, 1] and leaves its input alone.
"""
import numpy as np


def flip_horizontal(images):
    """Mirror every image left-right: reverse the width axis (axis 2)."""
    return np.flip(np.asarray(images), axis=2).copy()


def shift_image(image, dy, dx):
    """One image (H, W[, C]) moved down by dy and right by dx whole pixels, zeros where uncovered:
    out[y, x] = image[y - dy, x - dx] when that pixel exists, else 0."""
    out = np.zeros_like(image)
    h, w = image.shape[0], image.shape[1]
    if abs(dy) >= h or abs(dx) >= w:
        return out
    out[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
        image[max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return out


def random_translate(images, max_shift, rng):
    """Each image shifted by its own (dy, dx), both uniform on {-max_shift, ..., max_shift}."""
    images = np.asarray(images)
    shifts = rng.integers(-max_shift, max_shift + 1, size=(len(images), 2))
    return np.stack([shift_image(img, int(dy), int(dx)) for img, (dy, dx) in zip(images, shifts)]) \
        if len(images) else images.copy()


def add_gaussian_noise(images, std, rng):
    """Independent N(0, std^2) noise on every entry, then clipped to [0, 1]."""
    images = np.asarray(images)
    return np.clip(images + rng.normal(0.0, std, size=images.shape), 0.0, 1.0)


def adjust_brightness(images, delta):
    """Add delta to every entry and clip to [0, 1] (RandomBrightness with value_range=(0, 1))."""
    return np.clip(np.asarray(images) + delta, 0.0, 1.0)

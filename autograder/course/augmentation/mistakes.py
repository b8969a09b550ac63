"""Known mistakes and correct alternatives for lesson 10_augmentation."""
from ...grading.mistakes import alternative, mistake

MISTAKES = [
    # -- flip_horizontal -----------------------------------------------------------------------
    mistake("flip_horizontal", "batch axis",
            "reverse axis 2 (the width), not axis 0: axis 0 only reverses the order of the images in the batch.",
            """
            def flip_horizontal(images):
                return images[::-1].copy()
            """),
    mistake("flip_horizontal", "np.fliplr on the batch",
            "np.fliplr reverses axis 1, which in a batch (N, H, W) is the height (an upside-down image): "
            "reverse axis 2, the width.",
            """
            def flip_horizontal(images):
                return np.fliplr(images).copy()
            """),
    mistake("flip_horizontal", "last axis",
            "the last axis is the width only for (N, H, W) batches; for channels-last images (N, H, W, C) "
            "it is the channels: reverse axis 2.",
            """
            def flip_horizontal(images):
                return images[..., ::-1].copy()
            """),
    mistake("flip_horizontal", "every axis",
            "np.flip without an axis reverses every axis (batch, height, width, channels): pass axis=2.",
            """
            def flip_horizontal(images):
                return np.flip(images)
            """),
    mistake("flip_horizontal", "rotation",
            "a mirror image only reverses the order of the columns; a rotation or a transpose also "
            "swaps rows and columns.",
            """
            def flip_horizontal(images):
                return np.rot90(images, k=1, axes=(1, 2)).copy()
            """),
    mistake("flip_horizontal", "TensorFlow", hint="", feedback_says="not allowed in this NumPy exercise",
            code="""
            import tensorflow as tf

            def flip_horizontal(images):
                x = images[..., None] if images.ndim == 3 else images
                out = tf.image.flip_left_right(x).numpy()
                return out[..., 0] if images.ndim == 3 else out
            """),
    mistake("flip_horizontal", "in place", hint="", feedback_says="modified its input array in place",
            code="""
            def flip_horizontal(images):
                images[:] = images[:, :, ::-1]
                return images
            """),

    # -- random_translate ----------------------------------------------------------------------
    mistake("random_translate", "wrap-around", hint="", feedback_says="wraps around",
            code="""
            def random_translate(images, max_shift, rng):
                out = np.empty_like(images)
                for i in range(len(images)):
                    dy, dx = rng.integers(-max_shift, max_shift + 1, size=2)
                    out[i] = np.roll(images[i], (dy, dx), axis=(0, 1))
                return out
            """),
    mistake("random_translate", "same shift for every image", hint="",
            feedback_says="draw a shift (dy, dx) for each image",
            code="""
            def random_translate(images, max_shift, rng):
                dy, dx = rng.integers(-max_shift, max_shift + 1, size=2)
                n, h, w = images.shape[:3]
                out = np.zeros_like(images)
                out[:, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \\
                    images[:, max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
                return out
            """),
    mistake("random_translate", "exclusive upper bound", hint="", feedback_says="+max_shift never occurs",
            code="""
            def random_translate(images, max_shift, rng):
                n, h, w = images.shape[:3]
                out = np.zeros_like(images)
                for i in range(n):
                    dy, dx = rng.integers(-max_shift, max_shift, size=2) if max_shift else (0, 0)
                    out[i, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \\
                        images[i, max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
                return out
            """),
    mistake("random_translate", "only positive shifts", hint="", feedback_says="shifts go both ways",
            code="""
            def random_translate(images, max_shift, rng):
                n, h, w = images.shape[:3]
                out = np.zeros_like(images)
                for i in range(n):
                    dy, dx = rng.integers(0, max_shift + 1, size=2)
                    out[i, dy:, dx:] = images[i, :h - dy, :w - dx]
                return out
            """),
    mistake("random_translate", "dy equals dx", hint="", feedback_says="draw dy and dx independently",
            code="""
            def random_translate(images, max_shift, rng):
                n, h, w = images.shape[:3]
                out = np.zeros_like(images)
                for i in range(n):
                    d = int(rng.integers(-max_shift, max_shift + 1))
                    out[i, max(d, 0):h + min(d, 0), max(d, 0):w + min(d, 0)] = \\
                        images[i, max(-d, 0):h + min(-d, 0), max(-d, 0):w + min(-d, 0)]
                return out
            """),
    mistake("random_translate", "global np.random", hint="", feedback_says="take every random number from the rng",
            code="""
            def random_translate(images, max_shift, rng):
                n, h, w = images.shape[:3]
                out = np.zeros_like(images)
                for i in range(n):
                    dy, dx = np.random.randint(-max_shift, max_shift + 1, size=2)
                    out[i, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \\
                        images[i, max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
                return out
            """),
    mistake("random_translate", "edge fill", hint="", feedback_says="the uncovered border is not 0",
            code="""
            def random_translate(images, max_shift, rng):
                n, h, w = images.shape[:3]
                out = np.empty_like(images)
                pad = [(0, 0)] * images.ndim
                pad[1] = pad[2] = (max_shift, max_shift)
                padded = np.pad(images, pad, mode="edge")
                for i in range(n):
                    dy, dx = rng.integers(-max_shift, max_shift + 1, size=2)
                    out[i] = padded[i, max_shift - dy:max_shift - dy + h, max_shift - dx:max_shift - dx + w]
                return out
            """),
    mistake("random_translate", "batch and height axes", hint="",
            feedback_says="shifted by whole pixels along the height and width",
            code="""
            def random_translate(images, max_shift, rng):
                out = np.zeros_like(images)
                dy, dx = rng.integers(-max_shift, max_shift + 1, size=2)
                n, h = images.shape[:2]
                out[max(dy, 0):n + min(dy, 0), max(dx, 0):h + min(dx, 0)] = \\
                    images[max(-dy, 0):n + min(-dy, 0), max(-dx, 0):h + min(-dx, 0)]
                return out
            """),

    mistake("random_translate", "scipy.ndimage", hint="", feedback_says="not allowed in this NumPy exercise",
            code="""
            from scipy import ndimage

            def random_translate(images, max_shift, rng):
                out = np.empty_like(images)
                for i in range(len(images)):
                    dy, dx = rng.integers(-max_shift, max_shift + 1, size=2)
                    shift = (dy, dx) + (0,) * (images.ndim - 3)
                    out[i] = ndimage.shift(images[i], shift, order=0, mode="constant", cval=0.0)
                return out
            """),

    # -- add_gaussian_noise --------------------------------------------------------------------
    mistake("add_gaussian_noise", "not clipped", hint="", feedback_says="clip the noisy images to [0, 1]",
            code="""
            def add_gaussian_noise(images, std, rng):
                return images + rng.normal(0.0, std, size=images.shape)
            """),
    mistake("add_gaussian_noise", "clipped before the noise", hint="", feedback_says="values outside [0, 1]",
            code="""
            def add_gaussian_noise(images, std, rng):
                return np.clip(images, 0, 1) + rng.normal(0.0, std, size=images.shape)
            """),
    mistake("add_gaussian_noise", "same noise for every image", hint="",
            feedback_says="every image needs its own noise",
            code="""
            def add_gaussian_noise(images, std, rng):
                noise = rng.normal(0.0, std, size=images.shape[1:])
                return np.clip(images + noise, 0.0, 1.0)
            """),
    mistake("add_gaussian_noise", "same noise for every channel", hint="",
            feedback_says="the channels of a pixel get the same noise",
            code="""
            def add_gaussian_noise(images, std, rng):
                shape = images.shape[:3] + (1,) * (images.ndim - 3)
                return np.clip(images + rng.normal(0.0, std, size=shape), 0.0, 1.0)
            """),
    mistake("add_gaussian_noise", "one value per image", hint="", feedback_says="the same noise value",
            code="""
            def add_gaussian_noise(images, std, rng):
                shape = (len(images),) + (1,) * (images.ndim - 1)
                return np.clip(images + rng.normal(0.0, std, size=shape), 0.0, 1.0)
            """),
    mistake("add_gaussian_noise", "variance as scale", hint="", feedback_says="not std**2",
            code="""
            def add_gaussian_noise(images, std, rng):
                return np.clip(images + rng.normal(0.0, std ** 2, size=images.shape), 0.0, 1.0)
            """),
    mistake("add_gaussian_noise", "uniform noise", hint="", feedback_says="draw Gaussian noise with rng.normal",
            code="""
            def add_gaussian_noise(images, std, rng):
                half = std * np.sqrt(3.0)
                return np.clip(images + rng.uniform(-half, half, size=images.shape), 0.0, 1.0)
            """),
    mistake("add_gaussian_noise", "global np.random", hint="", feedback_says="take every random number from the rng",
            code="""
            def add_gaussian_noise(images, std, rng):
                return np.clip(images + np.random.normal(0.0, std, size=images.shape), 0.0, 1.0)
            """),
    mistake("add_gaussian_noise", "rescaled instead of clipped", hint="",
            feedback_says="np.clip brings them back",
            code="""
            def add_gaussian_noise(images, std, rng):
                noisy = images + rng.normal(0.0, std, size=images.shape)
                lo, hi = noisy.min(), noisy.max()
                if lo >= 0 and hi <= 1:
                    return noisy
                return (noisy - lo) / (hi - lo)
            """),
    mistake("add_gaussian_noise", "in place", hint="", feedback_says="modified its input array in place",
            code="""
            def add_gaussian_noise(images, std, rng):
                images += rng.normal(0.0, std, size=images.shape).astype(images.dtype)
                np.clip(images, 0.0, 1.0, out=images)
                return images
            """),

    # -- adjust_brightness ---------------------------------------------------------------------
    mistake("adjust_brightness", "clipped at the top only",
            "clip at both ends: a negative delta pushes dark pixels below 0.",
            """
            def adjust_brightness(images, delta):
                return np.minimum(images + delta, 1.0)
            """),
    mistake("adjust_brightness", "not clipped",
            "clip the result to [0, 1]: np.clip(images + delta, 0, 1).",
            """
            def adjust_brightness(images, delta):
                return images + delta
            """),
    mistake("adjust_brightness", "multiplied",
            "brightness adds delta to every value; multiplying by (1 + delta) scales the values instead.",
            """
            def adjust_brightness(images, delta):
                return np.clip(images * (1 + delta), 0.0, 1.0)
            """),
    mistake("adjust_brightness", "delta times 255",
            "delta is in the images' own units ([0, 1]); do not multiply it by 255 (RandomBrightness' "
            "default value_range=(0, 255) does that, a trap for [0, 1] images).",
            """
            def adjust_brightness(images, delta):
                return np.clip(images + 255 * delta, 0.0, 1.0)
            """),
    mistake("adjust_brightness", "rescaled instead of clipped",
            "clip the values that leave [0, 1] (np.clip); rescaling the whole image to [0, 1] changes "
            "every pixel.",
            """
            def adjust_brightness(images, delta):
                out = images + delta
                lo, hi = out.min(), out.max()
                if lo >= 0 and hi <= 1:
                    return out
                if hi == lo:
                    return np.clip(out, 0.0, 1.0)
                return (out - lo) / (hi - lo)
            """),
    mistake("adjust_brightness", "in place", hint="", feedback_says="modified its input array in place",
            code="""
            def adjust_brightness(images, delta):
                images += delta
                np.clip(images, 0.0, 1.0, out=images)
                return images
            """),
]

PIPELINE_MISTAKES = [
    mistake("build_augmentation_pipeline", "no translation", hint="", feedback_says="no translation",
            code="""
            import keras

            def build_augmentation_pipeline():
                return keras.Sequential([keras.layers.RandomFlip("horizontal")])
            """),
    mistake("build_augmentation_pipeline", "vertical flip", hint="", feedback_says="needs a horizontal flip",
            code="""
            import keras

            def build_augmentation_pipeline():
                return keras.Sequential([keras.layers.RandomFlip("vertical"),
                                         keras.layers.RandomTranslation(0.1, 0.1)])
            """),
    mistake("build_augmentation_pipeline", "zero translation", hint="", feedback_says="never moves the images",
            code="""
            import keras

            def build_augmentation_pipeline():
                return keras.Sequential([keras.layers.RandomFlip("horizontal"),
                                         keras.layers.RandomTranslation(0.0, 0.0)])
            """),
    mistake("build_augmentation_pipeline", "Rescaling at inference", hint="",
            feedback_says="no Rescaling(1/255) in this pipeline",
            code="""
            import keras

            def build_augmentation_pipeline():
                return keras.Sequential([keras.layers.Rescaling(1 / 255),
                                         keras.layers.RandomFlip("horizontal"),
                                         keras.layers.RandomTranslation(0.1, 0.1)])
            """),
    mistake("build_augmentation_pipeline", "RandomBrightness value_range trap", hint="",
            feedback_says="pass value_range=(0, 1)",
            code="""
            import keras

            def build_augmentation_pipeline():
                return keras.Sequential([keras.layers.RandomFlip("horizontal"),
                                         keras.layers.RandomTranslation(0.1, 0.1),
                                         keras.layers.RandomBrightness(0.2)])
            """),
    mistake("build_augmentation_pipeline", "GaussianNoise leaves [0, 1]", hint="",
            feedback_says="GaussianNoise adds unbounded noise",
            code="""
            import keras

            def build_augmentation_pipeline():
                return keras.Sequential([keras.layers.RandomFlip("horizontal"),
                                         keras.layers.RandomTranslation(0.1, 0.1),
                                         keras.layers.GaussianNoise(0.1)])
            """),
    mistake("build_augmentation_pipeline", "Lambda layer", hint="", feedback_says="Lambda layer",
            code="""
            import keras

            def build_augmentation_pipeline():
                return keras.Sequential([keras.layers.RandomFlip("horizontal"),
                                         keras.layers.RandomTranslation(0.1, 0.1),
                                         keras.layers.Lambda(lambda t: keras.ops.clip(t, 0.0, 1.0))])
            """),
    mistake("build_augmentation_pipeline", "custom layer", hint="", feedback_says="a custom object",
            code="""
            import keras

            class Clip01(keras.layers.Layer):
                def call(self, t):
                    return keras.ops.clip(t, 0.0, 1.0)

            def build_augmentation_pipeline():
                return keras.Sequential([keras.layers.RandomFlip("horizontal"),
                                         keras.layers.RandomTranslation(0.1, 0.1), Clip01()])
            """),
    mistake("build_augmentation_pipeline", "crop changes the shape", hint="", feedback_says="keeps the image size",
            code="""
            import keras

            def build_augmentation_pipeline():
                return keras.Sequential([keras.layers.RandomFlip("horizontal"),
                                         keras.layers.RandomTranslation(0.1, 0.1),
                                         keras.layers.RandomCrop(24, 24)])
            """),
    mistake("build_augmentation_pipeline", "not a model", hint="", feedback_says="not a keras.Model",
            code="""
            import keras

            def build_augmentation_pipeline():
                return [keras.layers.RandomFlip("horizontal"), keras.layers.RandomTranslation(0.1, 0.1)]
            """),
]
MISTAKES += PIPELINE_MISTAKES

ALTERNATIVES = [
    alternative("flip_horizontal", "slice view", """
        def flip_horizontal(images):
            return images[:, :, ::-1]
        """),
    alternative("flip_horizontal", "loop with np.fliplr per image", """
        def flip_horizontal(images):
            # on one image (H, W) or (H, W, C), axis 1 is the width
            return np.stack([np.fliplr(img) for img in images])
        """),
    alternative("flip_horizontal", "index array", """
        def flip_horizontal(images):
            w = images.shape[2]
            return np.take(images, np.arange(w - 1, -1, -1), axis=2)
        """),
    alternative("random_translate", "pad and crop", """
        def random_translate(images, max_shift, rng):
            m = max_shift
            pad = [(0, 0)] * images.ndim
            pad[1] = pad[2] = (m, m)
            padded = np.pad(images, pad)
            n, h, w = images.shape[:3]
            shifts = rng.integers(-m, m + 1, size=(n, 2))
            out = np.empty_like(images)
            for i, (dy, dx) in enumerate(shifts):
                out[i] = padded[i, m - dy:m - dy + h, m - dx:m - dx + w]
            return out
        """),
    alternative("random_translate", "vectorized gather with a mask", """
        def random_translate(images, max_shift, rng):
            n, h, w = images.shape[:3]
            dy = rng.integers(-max_shift, max_shift + 1, size=n)
            dx = rng.integers(-max_shift, max_shift + 1, size=n)
            rows = np.arange(h)[None, :] - dy[:, None]          # source row of each output row
            cols = np.arange(w)[None, :] - dx[:, None]
            valid = ((rows >= 0) & (rows < h))[:, :, None] & ((cols >= 0) & (cols < w))[:, None, :]
            src = images[np.arange(n)[:, None, None], np.clip(rows, 0, h - 1)[:, :, None],
                         np.clip(cols, 0, w - 1)[:, None, :]]
            mask = valid.reshape(valid.shape + (1,) * (images.ndim - 3))
            return np.where(mask, src, 0.0).astype(images.dtype)
        """),
    alternative("random_translate", "pixel loop, float64 output", """
        def random_translate(images, max_shift, rng):
            images = np.asarray(images, dtype=np.float64)
            out = np.zeros_like(images)
            h, w = images.shape[1], images.shape[2]
            for i in range(len(images)):
                dy = int(rng.integers(-max_shift, max_shift + 1))
                dx = int(rng.integers(-max_shift, max_shift + 1))
                for y in range(h):
                    for x in range(w):
                        if 0 <= y - dy < h and 0 <= x - dx < w:
                            out[i, y, x] = images[i, y - dy, x - dx]
            return out
        """),
    alternative("random_translate", "np.roll, then the wrapped strips zeroed", """
        def random_translate(images, max_shift, rng):
            out = np.array(images, copy=True)
            for i in range(len(out)):
                dy = int(rng.choice(np.arange(-max_shift, max_shift + 1)))
                dx = int(rng.choice(np.arange(-max_shift, max_shift + 1)))
                out[i] = np.roll(out[i], (dy, dx), axis=(0, 1))
                if dy > 0:
                    out[i, :dy] = 0
                elif dy < 0:
                    out[i, dy:] = 0
                if dx > 0:
                    out[i, :, :dx] = 0
                elif dx < 0:
                    out[i, :, dx:] = 0
            return out
        """),
    alternative("add_gaussian_noise", "float32 noise, per-image loop", """
        def add_gaussian_noise(images, std, rng):
            out = np.empty_like(images)
            for i in range(len(images)):
                noise = rng.standard_normal(images[i].shape).astype(images.dtype) * images.dtype.type(std)
                out[i] = np.clip(images[i] + noise, 0, 1)
            return out
        """),
    alternative("add_gaussian_noise", "minimum and maximum", """
        def add_gaussian_noise(images, std, rng):
            noisy = images + std * rng.standard_normal(size=images.shape)
            return np.minimum(np.maximum(noisy, 0.0), 1.0)
        """),
    alternative("adjust_brightness", "minimum and maximum", """
        def adjust_brightness(images, delta):
            return np.minimum(np.maximum(images + delta, 0.0), 1.0)
        """),
    alternative("adjust_brightness", "per-image loop with np.where", """
        def adjust_brightness(images, delta):
            out = np.empty_like(images)
            for i, img in enumerate(images):
                v = img + delta
                out[i] = np.where(v < 0, 0.0, np.where(v > 1, 1.0, v))
            return out
        """),
    alternative("build_augmentation_pipeline", "with an Input and constant fill", """
        import keras

        def build_augmentation_pipeline():
            return keras.Sequential([
                keras.Input(shape=(28, 28, 1)),
                keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant"),
                keras.layers.RandomFlip("horizontal"),
            ])
        """),
    alternative("build_augmentation_pipeline", "richer pipeline, value_range given", """
        import keras

        def build_augmentation_pipeline():
            return keras.Sequential([
                keras.layers.RandomFlip(mode="horizontal", seed=1),
                keras.layers.RandomTranslation(height_factor=(-0.1, 0.1), width_factor=0.15, seed=2),
                keras.layers.RandomRotation(0.05),
                keras.layers.RandomZoom(0.1),
                keras.layers.RandomContrast(0.2, value_range=(0, 1)),
                keras.layers.RandomBrightness(0.1, value_range=(0, 1)),
            ], name="augment")
        """),
    alternative("build_augmentation_pipeline", "built with add", """
        from keras import Sequential, layers

        def build_augmentation_pipeline():
            model = Sequential()
            model.add(layers.RandomFlip("horizontal"))
            model.add(layers.RandomTranslation(0.0, 0.1))
            return model
        """),
]

"""Hidden tests of lesson 10_augmentation.

Images are float arrays in [0, 1], ``(N, H, W)`` or ``(N, H, W, C)``; every case covers one of
the layouts, float32 or float64, and N = 1 or a batch.

* ``flip_horizontal`` and ``adjust_brightness`` are deterministic: compared value by value with
  the reference and with TensorFlow (``tf.image.flip_left_right``, ``tf.image.adjust_brightness``
  followed by ``tf.clip_by_value``), default tolerance (relative 1e-7, float32 at 2e-5). Every run
  holds a negative delta (one-sided clipping), a saturating delta, delta 0, and images with
  exact 0s and 1s.
* ``random_translate`` and ``add_gaussian_noise`` are judged by properties only (never by draw
  order): the rng passed in must be the only randomness (two generators of the same seed give
  the same output, different seeds different outputs).
  - translate: the inputs are strictly positive random images, so each output image's own shift
    (dy, dx) can be recovered exactly (the only whole-pixel shift with zero fill that gives it);
    over large batches dy and dx are uniform on {-max_shift, ..., max_shift} (chi-square test,
    ``checks.uniform_integers``), jointly too, and dy == dx at the rate of independent draws.
  - noise: on images at least 5.5 std away from 0 and 1 (so that clipping almost never acts;
    the few clipped entries are left out), output − input has no correlation between images,
    neighbouring pixels or channels, and the stated std, mean 0 and a normal distribution (KS);
    clipping: images of exact 0s and 1s with a large std give values in [0, 1], half of them
    exactly 0 (resp. 1).
  Every statistical test has false-failure rate ``checks.FALSE_FAILURE`` (1e-6).
* ``build_augmentation_pipeline`` (Keras): the returned model crosses as plain data (protocol
  ``"keras_model"``) and is rebuilt in safe mode in the TensorFlow process, where
  ``keras_truth.judge_augmentation_pipeline`` calls it on synthetic (N, 28, 28, 1) images in
  [0, 1] (textures, black-and-white and all-white images): once with training=False, six
  batches with training=True. Four cases, one per requirement: a Sequential with a horizontal
  RandomFlip and a RandomTranslation of non-zero factor; the identity at inference; some images
  changed in training; shapes and the [0, 1] range kept. A Lambda or custom layer cannot be
  rebuilt: every case fails with the reason (score 0).
"""
import numpy as np

from ...grading import checks, keras_models
from ...grading.spec import Case, Exercise, KerasTruth, rng_arg
from . import reference as ref


def _images(rng, shape, dtype=np.float64, low=0.0, high=1.0):
    return rng.uniform(low, high, size=shape).astype(dtype)


def _layout(shape):
    return "(N, H, W, C)" if len(shape) == 4 else "(N, H, W)"


def _seed(rng):
    return int(rng.integers(0, 2**31 - 1))


# -- shared checks -----------------------------------------------------------------------------
def _as_images(got, images):
    """The student's output as a float64 array shaped like ``images``, or a problem."""
    if got is None:
        return None, "returned None (is a `return` missing?)"
    if isinstance(got, (tuple, dict, str)):
        return None, f"returned a {type(got).__name__}; expected an array of images of shape {images.shape}"
    try:
        out = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return None, "returned something that is not an array of numbers"
    if out.shape != images.shape:
        return None, f"returned shape {out.shape}; expected the shape of the input, {images.shape}"
    if not np.all(np.isfinite(out)):
        return None, "returned NaN or infinite values"
    return out, None


def _same_as(other_id: str, same: bool, what: str):
    """A check of reproducibility against the output of the case ``other_id``."""
    def check(out, results):
        if other_id not in results:
            return None
        other, problem = _as_images(results[other_id], out)
        if problem:
            return None  # that case reports its own problem
        equal = np.array_equal(out, other)
        if same and not equal:
            return ("two calls with generators made from the same seed gave different results: take "
                    f"every random number from the rng argument ({what}; np.random.* functions use a "
                    "global generator the caller does not control)")
        if not same and equal:
            return ("calls with generators of different seeds gave exactly the same result: draw the "
                    f"random numbers from the rng argument ({what}), not from a generator of your own")
        return None
    return check


# -- random_translate --------------------------------------------------------------------------
def _shift_batch(x, dy, dx):
    """Every image of x (N, H, W[, C]) shifted by (dy, dx) with zero fill."""
    out = np.zeros_like(x)
    h, w = x.shape[1], x.shape[2]
    out[:, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
        x[:, max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return out


def recover_shifts(images, out, atol):
    """Per image, the whole-pixel shift (dy, dx) with zero fill that turns the input image into
    the output image, or (nan, nan) when no shift does (inputs are strictly positive, so at most
    one shift with |dy| < H and |dx| < W matches)."""
    x = np.asarray(images, dtype=np.float64)
    n, h, w = x.shape[:3]
    shifts = np.full((n, 2), np.nan)
    axes = tuple(range(1, x.ndim))
    for dy in range(-(h - 1), h):
        for dx in range(-(w - 1), w):
            todo = np.isnan(shifts[:, 0])
            if not todo.any():
                return shifts
            match = np.all(np.abs(out[todo] - _shift_batch(x[todo], dy, dx)) <= atol, axis=axes)
            idx = np.flatnonzero(todo)[match]
            shifts[idx] = (dy, dx)
    return shifts


def _why_not_shifted(image, out, atol):
    """What an output image that is no zero-filled shift of its input looks like instead."""
    h, w = image.shape[:2]
    for dy in range(-(h - 1), h):
        for dx in range(-(w - 1), w):
            if (dy, dx) != (0, 0) and np.allclose(np.roll(image, (dy, dx), axis=(0, 1)), out, rtol=0, atol=atol):
                return ("the image wraps around: the pixels pushed off one side reappear on the other "
                        "(as with np.roll). Fill the uncovered border with 0 instead")
    for dy in range(-(h - 1), h):
        for dx in range(-(w - 1), w):
            shifted = ref.shift_image(image, dy, dx)
            covered = ref.shift_image(np.ones_like(image), dy, dx) > 0
            if (dy, dx) != (0, 0) and np.allclose(shifted[covered], out[covered], rtol=0, atol=atol):
                return ("the content is shifted by whole pixels but the uncovered border is not 0: fill "
                        "it with zeros (Keras' fill_mode='constant'), not with edge or other values")
    if np.allclose(image, out[:, ::-1] if out.ndim >= 2 else out, rtol=0, atol=atol) or \
            np.allclose(image, out[::-1], rtol=0, atol=atol):
        return "the image is flipped, not translated"
    return ("an output image is not its input image shifted by whole pixels along the height and width "
            "(axes 1 and 2) with zeros in the uncovered border; every channel moves with its pixel")


def _translate_check(max_shift, stats=False, reproduce=None):
    def check(got, expected, case, results):
        images = case.args[0]
        out, problem = _as_images(got, images)
        if problem:
            return problem
        if out.min() < 0 or out.max() > 1:
            return "values outside [0, 1]: a translation only moves pixels and fills the border with 0"
        atol = 1e-6 if images.dtype == np.float32 else 1e-12
        shifts = recover_shifts(images, out, atol)
        bad = np.flatnonzero(np.isnan(shifts[:, 0]))
        if bad.size:
            i = int(bad[0])
            return (f"{bad.size} of {len(images)} images: " +
                    _why_not_shifted(np.asarray(images[i], dtype=np.float64), out[i], atol))
        m = max_shift
        if np.abs(shifts).max() > m:
            dy, dx = shifts[:, 0], shifts[:, 1]
            return (f"shifts range over dy in [{dy.min():.0f}, {dy.max():.0f}] and dx in "
                    f"[{dx.min():.0f}, {dx.max():.0f}]; each must be an integer in "
                    f"[-max_shift, max_shift] = [{-m}, {m}]" +
                    ("; shifts go both ways: rng.integers(-max_shift, max_shift + 1)"
                     if shifts.min() >= 0 else ""))
        if stats and m > 0:
            problem = _shift_statistics(shifts.astype(int), m)
            if problem:
                return problem
        if reproduce is not None:
            return reproduce(out, results)
        return None
    return check


def _shift_statistics(shifts, m):
    n, k = len(shifts), 2 * m + 1
    if np.all(shifts == shifts[0]):
        return (f"all {n} images got the same shift: draw a shift (dy, dx) for each image, "
                "not one for the whole batch")
    for axis, name in ((0, "dy (rows)"), (1, "dx (columns)")):
        v = shifts[:, axis]
        problem = checks.uniform_integers(v, -m, m, f"the shifts {name}")
        if problem:
            if v.max() == m - 1 and v.min() == -m:
                problem += (": +max_shift never occurs; rng.integers(low, high) excludes high, so use "
                            "rng.integers(-max_shift, max_shift + 1)")
            elif v.min() >= 0:
                problem += ": shifts go both ways, from -max_shift to +max_shift"
            return problem
    problem = checks.fraction_close(int(np.sum(shifts[:, 0] == shifts[:, 1])), n, 1 / k,
                                    "the fraction of images with dy == dx")
    if problem:
        return problem + ": draw dy and dx independently"
    joint = (shifts[:, 0] + m) * k + (shifts[:, 1] + m)
    problem = checks.uniform_integers(joint, 0, k * k - 1, "the pairs (dy, dx)")
    if problem:
        return "the pairs (dy, dx) are not uniform over the (2 max_shift + 1)^2 possible shifts"
    return None


def translate_cases(rng):
    out = []
    n = int(rng.integers(1400, 1600))
    out.append(Case((_images(rng, (n, 6, 7), low=0.05), 2, rng_arg(_seed(rng))),
                    f"a large batch of (N, H, W) float64 images (N = {n}), max_shift = 2",
                    check=_translate_check(2, stats=True), stochastic=True, group="large"))
    n = int(rng.integers(700, 900))
    out.append(Case((_images(rng, (n, 5, 6, 3), np.float32, low=0.05), 1, rng_arg(_seed(rng))),
                    f"a large batch of (N, H, W, 3) float32 colour images (N = {n}), max_shift = 1",
                    check=_translate_check(1, stats=True), stochastic=True, group="large"))
    n = int(rng.integers(300, 400))
    out.append(Case((_images(rng, (n, 10, 11, 1), np.float32, low=0.05), 3, rng_arg(_seed(rng))),
                    f"a batch of (N, H, W, 1) float32 images (N = {n}), max_shift = 3",
                    check=_translate_check(3, stats=True), stochastic=True, group="large"))
    out.append(Case((_images(rng, (1, 9, 8), low=0.05), 3, rng_arg(_seed(rng))),
                    "a single (1, H, W) float64 image, max_shift = 3",
                    check=_translate_check(3), stochastic=True))
    out.append(Case((_images(rng, (int(rng.integers(3, 8)), 6, 5, 2), low=0.05), 0, rng_arg(_seed(rng))),
                    "max_shift = 0 (every image must come back unchanged)",
                    check=_translate_check(0), stochastic=True, group="edge"))
    x = _images(rng, (40, 8, 9), low=0.05)
    seed = _seed(rng)
    out.append(Case((x, 2, rng_arg(seed)), "a batch of 40 float64 images, max_shift = 2",
                    check=_translate_check(2), stochastic=True, id="first"))
    out.append(Case((x.copy(), 2, rng_arg(seed)),
                    "the same batch again with a generator of the same seed",
                    check=_translate_check(2, reproduce=_same_as("first", True, "the shifts")),
                    stochastic=True, group="rng"))
    out.append(Case((x.copy(), 2, rng_arg(seed + 1)),
                    "the same batch with a generator of another seed",
                    check=_translate_check(2, reproduce=_same_as("first", False, "the shifts")),
                    stochastic=True, group="rng"))
    return out


# -- add_gaussian_noise ------------------------------------------------------------------------
def _correlated(a, b, what, fix):
    """A problem when the paired values a, b (flattened) are correlated beyond chance."""
    a, b = np.asarray(a).reshape(-1), np.asarray(b).reshape(-1)
    keep = np.isfinite(a) & np.isfinite(b)
    a, b = a[keep], b[keep]
    if a.size < 50 or a.std() == 0 or b.std() == 0:
        return None
    r = float(np.corrcoef(a, b)[0, 1])
    # Independent values: r is about N(0, 1/n).
    if abs(r) * np.sqrt(a.size) <= checks._z(checks.FALSE_FAILURE):
        return None
    return f"the noise of {what} is correlated (correlation {r:.3g} over {a.size} pairs): {fix}"


def _noise_check(std, stats=True, clipping=False, reproduce=None):
    def check(got, expected, case, results):
        images = case.args[0]
        out, problem = _as_images(got, images)
        if problem:
            return problem
        if out.min() < 0 or out.max() > 1:
            return (f"values outside [0, 1] (from {out.min():.3g} to {out.max():.3g}): clip the noisy "
                    "images to [0, 1] after adding the noise")
        x = np.asarray(images, dtype=np.float64)
        if std == 0:
            if not np.allclose(out, x, rtol=0, atol=1e-6):
                return "with std = 0 the images must come back unchanged"
            return reproduce(out, results) if reproduce else None
        if clipping:
            for value, name in ((0.0, "0"), (1.0, "1")):
                at = x == value
                hits = int(np.sum(out[at] == value))
                problem = checks.fraction_close(hits, int(at.sum()), 0.5,
                                                f"the fraction of pixels of value {name} still exactly {name}")
                if problem:
                    return (problem + ": adding N(0, std²) noise pushes half of them outside [0, 1], "
                            "where np.clip brings them back to exactly " + name)
        if stats:
            noise = np.where((out > 0) & (out < 1), out - x, np.nan)
            problem = _noise_statistics(noise, std)
            if problem:
                return problem
        return reproduce(out, results) if reproduce else None
    return check


def _noise_statistics(noise, std):
    """noise: output − input per entry, NaN where the output was clipped. Independence first:
    correlated noise makes every other statistic meaningless."""
    values = noise[np.isfinite(noise)]
    if values.size and np.std(values) < 1e-9 and np.max(np.abs(values)) > 1e-9:
        return ("every entry got the same noise value: draw one independent value per entry "
                "(noise of shape images.shape)")
    # Exact sharing first (a correlation test over repeated values would point anywhere).
    pairs = [(noise[:, :, :-1], noise[:, :, 1:], "neighbouring pixels get the same noise: draw one independent "
              "value per entry (shape images.shape), not one per image or row")]
    if noise.ndim == 4 and noise.shape[3] > 1:
        pairs.append((noise[..., :-1], noise[..., 1:], "the channels of a pixel get the same noise: draw one "
                      "independent value per entry, channels included (shape images.shape)"))
    if noise.shape[0] > 1:
        pairs.append((noise[:-1], noise[1:], "every image gets the same noise pattern: every image needs its own "
                      "noise; draw noise of shape images.shape, one independent value per entry"))
    for a, b, message in pairs:
        both = np.isfinite(a) & np.isfinite(b)
        if both.sum() > 10 and np.allclose(a[both], b[both], rtol=0, atol=1e-9):
            return message
    problem = _correlated(noise[:, :, :-1], noise[:, :, 1:], "neighbouring pixels",
                          "draw one independent value per entry (shape images.shape), not one per image or row")
    if problem:
        return problem
    if noise.ndim == 4 and noise.shape[3] > 1:
        problem = _correlated(noise[..., :-1], noise[..., 1:], "the channels of a pixel",
                              "draw one independent value per entry, channels included (shape images.shape)")
        if problem:
            return problem
    if noise.shape[0] > 1:
        problem = _correlated(noise[:-1], noise[1:], "consecutive images",
                              "every image needs its own noise; draw noise of shape images.shape, "
                              "one independent value per entry")
        if problem:
            return problem
    measured = float(np.std(values))
    problem = checks.std_close(values, std, "the standard deviation of the noise (output − input)")
    if problem:
        if measured < 1e-9:
            return "no noise was added: the output equals the input"
        if np.isclose(measured, std ** 2, rtol=0.2):
            return problem + ": the scale of rng.normal is the standard deviation, std itself, not std**2"
        if np.isclose(measured, np.sqrt(std), rtol=0.2):
            return problem + ": the scale of rng.normal is the standard deviation, std itself, not sqrt(std)"
        return problem
    problem = checks.mean_close(values, 0.0, std, "the mean of the noise (output − input)")
    if problem:
        return problem + ": the noise must be centred on 0"
    from scipy.stats import norm
    problem = checks.matches_distribution(values, norm(0.0, std).cdf, f"a normal distribution N(0, {std:g}²)")
    if problem:
        return problem + ": draw Gaussian noise with rng.normal(0, std, size=images.shape)"
    return None


def noise_cases(rng):
    out = []
    n = int(rng.integers(180, 220))
    out.append(Case((_images(rng, (n, 12, 13), low=0.35, high=0.65), 0.03, rng_arg(_seed(rng))),
                    f"a batch of (N, H, W) float64 mid-grey images (N = {n}), std = 0.03",
                    check=_noise_check(0.03), stochastic=True))
    n = int(rng.integers(90, 110))
    out.append(Case((_images(rng, (n, 10, 9, 3), np.float32, low=0.3, high=0.7), 0.01, rng_arg(_seed(rng))),
                    f"a batch of (N, H, W, 3) float32 colour images (N = {n}), std = 0.01",
                    check=_noise_check(0.01), stochastic=True))
    n = int(rng.integers(40, 60))
    out.append(Case((_images(rng, (n, 11, 12, 1), low=0.45, high=0.55), 0.08, rng_arg(_seed(rng))),
                    f"a batch of (N, H, W, 1) float64 images (N = {n}), std = 0.08",
                    check=_noise_check(0.08), stochastic=True))
    out.append(Case((_images(rng, (1, 28, 28), np.float32, low=0.3, high=0.7), 0.05, rng_arg(_seed(rng))),
                    "a single (1, 28, 28) float32 image, std = 0.05",
                    check=_noise_check(0.05), stochastic=True))
    x = np.zeros((60, 10, 11))
    x[::2] = 1.0
    x[:, :, :3] = 1.0 - x[:, :, :3]
    out.append(Case((x, 0.3, rng_arg(_seed(rng))),
                    "black and white images (exact 0s and 1s), std = 0.3: values must stay in [0, 1]",
                    check=_noise_check(0.3, stats=False, clipping=True), stochastic=True, group="edge"))
    out.append(Case((_images(rng, (3, 5, 6)), 0.0, rng_arg(_seed(rng))),
                    "std = 0 (the images must come back unchanged)",
                    check=_noise_check(0.0), stochastic=True, group="edge"))
    x = _images(rng, (30, 8, 8), low=0.3, high=0.7)
    seed = _seed(rng)
    out.append(Case((x, 0.05, rng_arg(seed)), "a batch of 30 float64 images, std = 0.05",
                    check=_noise_check(0.05, stats=False), stochastic=True, id="first"))
    out.append(Case((x.copy(), 0.05, rng_arg(seed)), "the same batch again with a generator of the same seed",
                    check=_noise_check(0.05, stats=False, reproduce=_same_as("first", True, "the noise")),
                    stochastic=True, group="rng"))
    out.append(Case((x.copy(), 0.05, rng_arg(seed + 1)), "the same batch with a generator of another seed",
                    check=_noise_check(0.05, stats=False, reproduce=_same_as("first", False, "the noise")),
                    stochastic=True, group="rng"))
    return out


# -- flip_horizontal, adjust_brightness --------------------------------------------------------
def _deterministic_inputs(rng):
    """(images, label) covering both layouts, float32 and float64, N = 1, exact 0s and 1s."""
    n = int(rng.integers(2, 9))
    yield _images(rng, (1, 5, 7)), "a single (1, H, W) float64 image"
    yield _images(rng, (n, 6, 9)), "a batch of (N, H, W) float64 images"
    yield _images(rng, (n, 8, 8), np.float32), "a batch of square (N, H, W) float32 images"
    yield _images(rng, (n, 5, 6, 3)), "a batch of (N, H, W, 3) float64 colour images"
    yield _images(rng, (1, 7, 4, 1), np.float32), "a single (1, H, W, 1) float32 image"
    yield _images(rng, (n, 4, 5, 2), np.float32), "a batch of (N, H, W, 2) float32 images"
    yield (rng.uniform(size=(n, 6, 5)) < 0.5).astype(np.float64), "black and white images (exact 0s and 1s)"


def flip_cases(rng):
    return [Case((x,), label) for x, label in _deterministic_inputs(rng)]


def brightness_cases(rng):
    out = []
    inputs = list(_deterministic_inputs(rng))
    deltas = [0.2, -0.3, 0.1, -0.15, 0.25, -0.4, 0.5]
    for (x, label), delta in zip(inputs, deltas):
        out.append(Case((x, delta), f"{label}, delta = {delta:+g}"))
    x, label = inputs[3]
    out.append(Case((x, 0.0), f"{label}, delta = 0 (unchanged)", group="edge"))
    out.append(Case((x, 1.5), f"{label}, delta = +1.5 (everything saturates to 1)", group="edge"))
    x, label = inputs[2]
    out.append(Case((x, -2.0), f"{label}, delta = -2 (everything goes to 0)", group="edge"))
    x, label = inputs[6]
    out.append(Case((x, -0.5), f"{label}, delta = -0.5", group="edge"))
    return out


# -- build_augmentation_pipeline ---------------------------------------------------------------
PIPELINE_JUDGE = KerasTruth(f"{__package__}.keras_truth", "judge_augmentation_pipeline")
# Layers that change images only in training (everything else acts at inference too).
TRAINING_ONLY = {"RandomFlip", "RandomTranslation", "RandomRotation", "RandomZoom", "RandomContrast",
                 "RandomBrightness", "RandomCrop", "GaussianNoise", "GaussianDropout", "Dropout",
                 "AlphaDropout", "SpatialDropout2D", "RandomGrayscale", "RandomHue", "RandomSaturation",
                 "RandomSharpness", "RandomShear", "RandomColorJitter", "RandomColorDegeneration",
                 "RandomPosterization", "RandomInvert", "RandomErasing", "RandomGaussianBlur",
                 "RandomElasticTransform", "RandomPerspective", "InputLayer"}


def _factors_zero(value):
    return all(float(v) == 0 for v in (value if isinstance(value, list) else [value]))


def _pipeline_structure(facts):
    if facts["class"] != "Sequential":
        return f"returned a {facts['class']} model; return a keras.Sequential of preprocessing layers"
    layers = facts["layers"]
    flips = [lay for lay in layers if lay["class"] == "RandomFlip"]
    if not flips:
        return "no horizontal flip: add keras.layers.RandomFlip(\"horizontal\")"
    if not any(lay.get("mode") in ("horizontal", "horizontal_and_vertical") for lay in flips):
        return ("RandomFlip(\"vertical\") turns the images upside down; the pipeline needs a horizontal "
                "flip: keras.layers.RandomFlip(\"horizontal\")")
    moves = [lay for lay in layers if lay["class"] == "RandomTranslation"]
    if not moves:
        return ("no translation: add keras.layers.RandomTranslation(height_factor, width_factor), e.g. 0.1 "
                "for shifts of up to 10 % of the height and width")
    if all(_factors_zero(lay.get("height_factor", 0)) and _factors_zero(lay.get("width_factor", 0))
           for lay in moves):
        return "RandomTranslation's height_factor and width_factor are both 0: it never moves the images"
    return None


def _pipeline_inference(facts):
    inf, shape = facts["inference"], facts["input_shape"]
    if inf["shape"] != shape:
        return f"at inference (training=False) the output has shape {tuple(inf['shape'])}, expected {tuple(shape)}"
    if inf["max_change"] > 1e-6:
        always = sorted({lay["class"] for lay in facts["layers"]} - TRAINING_ONLY)
        why = ""
        if "Rescaling" in always:
            why = ("; Rescaling acts at inference too, and the images are already in [0, 1]: no "
                   "Rescaling(1/255) in this pipeline")
        elif always:
            why = f"; {', '.join(always)} act{'s' if len(always) == 1 else ''} at inference too"
        return (f"at inference (training=False) the pipeline changed the images (by up to "
                f"{inf['max_change']:.3g}): augmentation must return them unchanged at inference" + why)
    return None


def _pipeline_training(facts):
    train = facts["training"]
    if train["shapes"] != [facts["input_shape"]]:
        return None  # a wrong shape is the shape-and-range case's problem
    if train["changed"] == 0:
        return (f"in training (training=True) it left all {train['images']} images unchanged: its random "
                "layers never change anything (are their factors 0?)")
    return None


def _pipeline_range(facts):
    train, shape = facts["training"], facts["input_shape"]
    if train["shapes"] != [shape]:
        got = ", ".join(str(tuple(s)) for s in train["shapes"])
        return (f"in training the output has shape {got}, expected {tuple(shape)}: augmentation keeps the "
                "image size (RandomCrop or Resizing change it)")
    lo, hi = train["min"], train["max"]
    if lo >= -1e-5 and hi <= 1 + 1e-5:
        return None
    problem = f"in training the values leave [0, 1] (from {lo:.3g} to {hi:.3g})"
    for lay in facts["layers"]:
        if lay["class"] in ("RandomBrightness", "RandomContrast") and \
                [float(v) for v in lay.get("value_range") or [0, 255]] != [0.0, 1.0]:
            return (problem + f": {lay['class']} assumes value_range=(0, 255) unless told otherwise, a trap for "
                    "images in [0, 1]: pass value_range=(0, 1)")
    if any(lay["class"] == "GaussianNoise" for lay in facts["layers"]):
        return problem + ": GaussianNoise adds unbounded noise, so the images leave [0, 1]"
    return problem


def _pipeline_check(facet, seed):
    def check(got, expected, case, results):
        facts = keras_models.judge_in_tensorflow(PIPELINE_JUDGE, got, seed)
        return keras_models.refusal(facts) or facet(facts)
    return check


def pipeline_cases(rng):
    seed = _seed(rng)
    facets = [(_pipeline_structure, "its layers: a Sequential with a horizontal flip and a translation"),
              (_pipeline_inference, "at inference (training=False): the identity"),
              (_pipeline_training, "in training (training=True): random changes"),
              (_pipeline_range, "in training: the shape and the [0, 1] range kept")]
    return [Case((), label, check=_pipeline_check(facet, seed), protocol="keras_model", stochastic=True)
            for facet, label in facets]


EXERCISES = [
    Exercise("flip_horizontal", 1, flip_cases, numpy_only=True),
    Exercise("random_translate", 3, translate_cases, numpy_only=True),
    Exercise("add_gaussian_noise", 3, noise_cases, numpy_only=True),
    Exercise("adjust_brightness", 1, brightness_cases, numpy_only=True),
    Exercise("build_augmentation_pipeline", 2, pipeline_cases, reference=None, keras=None,
             numpy_only=False, timeout=120.0),
]

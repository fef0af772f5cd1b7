"""Two-dimensional toy classification problems in the style of the TensorFlow playground.

Every generator has the signature ``f(n, …, noise=…, seed=None) -> (X, y)`` with ``X`` float64 of
shape ``(n, 2)`` and ``y`` int64 of shape ``(n,)`` holding labels ``0 … K-1``. Classes are balanced:
class ``k`` gets ``⌊n/K⌋`` points, plus one for ``k < n mod K``. Rows come in random order, so a
plain prefix is not all one class. ``noise`` is the standard deviation of isotropic Gaussian noise
added to each point after it is labelled (so large noise mislabels points near the boundary);
``noise=None`` means no noise, as in scikit-learn's ``make_moons``/``make_circles``.
``seed`` follows the package convention: int, numpy Generator, or None for the library generator.

| generator   | classes | decision boundary                          | linearly separable |
|-------------|---------|--------------------------------------------|--------------------|
| gaussians   | K       | between blobs                              | yes (for K = 2)    |
| xor         | 2       | the two axes                               | no                 |
| circles     | 2       | a circle                                   | no                 |
| moons       | 2       | an S-shaped curve                          | no                 |
| spiral      | K       | interleaved spiral arms                    | no                 |

scikit-learn's ``make_circles``/``make_moons``/``make_blobs`` are the closest equivalents.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np
from numpy.typing import NDArray

from tinygrad_ed.data._random import SeedLike, _rng

XY = tuple[NDArray[np.float64], NDArray[np.int64]]


def _check(fn: str, n: int, noise: float | None, n_classes: int = 2) -> float:
    """Validate the common arguments of generator ``fn``; return ``noise`` as a float."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{fn}: n must be an int, got {n!r}")
    if n < 0:
        raise ValueError(f"{fn}: n must be non-negative, got {n}")
    if noise is None:
        noise = 0.0  # scikit-learn's make_moons/make_circles: None (their default) adds no noise
    if isinstance(noise, bool) or not isinstance(noise, Real):
        raise TypeError(f"{fn}: noise must be a number ≥ 0 or None, got {noise!r}")
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"{fn}: noise must be a finite number ≥ 0, got {noise}")
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)):
        raise TypeError(f"{fn}: n_classes must be an int, got {n_classes!r}")
    if n_classes < 1:
        raise ValueError(f"{fn}: n_classes must be at least 1, got {n_classes}")
    return float(noise)


def _finite(fn: str, name: str, value: float) -> float:
    """``value`` as a float, or a TypeError/ValueError naming ``fn`` and the argument ``name``.

    NaN or inf would not fail later: it would quietly turn every point into NaN.
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{fn}: {name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{fn}: {name} must be finite, got {value}")
    return float(value)


def _balanced_labels(n: int, n_classes: int) -> NDArray[np.int64]:
    """``[0,…,0, 1,…,1, …]`` with class sizes differing by at most one (earlier classes larger)."""
    counts = n // n_classes + (np.arange(n_classes) < n % n_classes)
    return np.repeat(np.arange(n_classes, dtype=np.int64), counts)


def _finish(
    points: NDArray[np.float64], y: NDArray[np.int64], noise: float, rng: np.random.Generator
) -> XY:
    """Add the noise, then shuffle rows so the classes are interleaved."""
    X = points + noise * rng.standard_normal(points.shape)
    order = rng.permutation(len(y))
    return X[order].astype(np.float64, copy=False), y[order]


def _unit(theta: NDArray[np.float64]) -> NDArray[np.float64]:
    """Points ``(cos θ, sin θ)`` on the unit circle, one row per angle."""
    return np.stack([np.cos(theta), np.sin(theta)], axis=1)


def circles(n: int, *, noise: float | None = 0.1, factor: float = 0.5, seed: SeedLike = None) -> XY:
    """Two concentric circles: class 0 of radius 1 around class 1 of radius ``factor``.

    ``x = r_y·(cos θ, sin θ) + ε`` with ``θ ~ U[0, 2π)``, ``r_0 = 1``, ``r_1 = factor``,
    ``ε ~ N(0, noise²·I)``. sklearn: ``make_circles(n, noise=noise, factor=factor)``.
    """
    noise = _check("circles", n, noise)
    factor = _finite("circles", "factor", factor)
    if not 0 <= factor < 1:
        raise ValueError(f"circles: factor must be in [0, 1), got {factor}")
    rng = _rng(seed, "circles")
    y = _balanced_labels(n, 2)
    radius = np.where(y == 0, 1.0, factor)
    points = radius[:, None] * _unit(rng.uniform(0, 2 * np.pi, n))
    return _finish(points, y, noise, rng)


def xor(n: int, *, noise: float | None = 0.1, seed: SeedLike = None) -> XY:
    """The four quadrants of ``[-1, 1]²``, labelled ``y = [x₁ > 0] XOR [x₂ > 0]``.

    Class 1 fills the second and fourth quadrants (``x₁·x₂ < 0``), class 0 the first and third;
    each point's magnitudes are ``U(0, 1)``. No line separates the classes, but one hidden layer
    with two units does — the classic argument for depth.
    """
    noise = _check("xor", n, noise)
    rng = _rng(seed, "xor")
    y = _balanced_labels(n, 2)
    sign1 = rng.choice(np.array([-1.0, 1.0]), size=n)
    sign2 = np.where(y == 1, -sign1, sign1)  # class 1 ⇔ the signs differ
    magnitude = rng.uniform(0, 1, size=(n, 2))
    points = magnitude * np.stack([sign1, sign2], axis=1)
    return _finish(points, y, noise, rng)


def gaussians(
    n: int,
    n_classes: int = 2,
    *,
    noise: float | None = 0.5,
    radius: float = 2.0,
    seed: SeedLike = None,
) -> XY:
    """``n_classes`` round Gaussian blobs with standard deviation ``noise``.

    Class ``k`` is centred at ``c_k = radius·(cos φ_k, sin φ_k)``, ``φ_k = π/4 + 2πk/K``
    (for K = 2: the playground's blobs on the diagonal), and ``x = c_y + ε``, ``ε ~ N(0, noise²I)``.
    ``radius`` is a finite number ≥ 0.
    sklearn: ``make_blobs(n, centers=…, cluster_std=noise)``.
    """
    noise = _check("gaussians", n, noise, n_classes)
    radius = _finite("gaussians", "radius", radius)
    if radius < 0:
        raise ValueError(f"gaussians: radius must be ≥ 0, got {radius}")
    rng = _rng(seed, "gaussians")
    y = _balanced_labels(n, n_classes)
    angles = np.pi / 4 + 2 * np.pi * np.arange(n_classes) / n_classes
    centres = radius * _unit(angles)
    return _finish(centres[y], y, noise, rng)


def spiral(
    n: int,
    n_classes: int = 2,
    *,
    noise: float | None = 0.05,
    turns: float = 1.75,
    seed: SeedLike = None,
) -> XY:
    """``n_classes`` interleaved spiral arms, each winding ``turns`` times out to radius 1.

    Class ``k`` has ``x = s·(cos θ, sin θ) + ε`` with ``s ~ U[0, 1]`` and
    ``θ = 2π·(turns·s + k/K)``: the arms are rotated copies of each other. The playground's
    spiral uses 1.75 turns; the CS231n notes use K = 3. ``turns`` may be any finite number
    (negative turns wind the other way).
    """
    noise = _check("spiral", n, noise, n_classes)
    turns = _finite("spiral", "turns", turns)
    rng = _rng(seed, "spiral")
    y = _balanced_labels(n, n_classes)
    s = rng.uniform(0, 1, size=n)
    theta = 2 * np.pi * (turns * s + y / n_classes)
    return _finish(s[:, None] * _unit(theta), y, noise, rng)


def moons(n: int, *, noise: float | None = 0.1, seed: SeedLike = None) -> XY:
    """Two interleaving half circles (sklearn: ``make_moons(n, noise=noise)``).

    Class 0: ``(cos t, sin t)``; class 1: ``(1 - cos t, ½ - sin t)``; ``t ~ U[0, π]``; plus noise.
    """
    noise = _check("moons", n, noise)
    rng = _rng(seed, "moons")
    y = _balanced_labels(n, 2)
    arc = _unit(rng.uniform(0, np.pi, size=n))
    points = np.where((y == 0)[:, None], arc, np.array([1.0, 0.5]) - arc)
    return _finish(points, y, noise, rng)

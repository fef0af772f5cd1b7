"""Dropout's noise, shared by ``functional``'s dropouts, ``nn.Dropout`` and attention.

torch has one kernel for them all: a Bernoulli(1 − p) keep mask of x's shape (or, for feature
dropout, one entry per (sample, channel)), then an inverted scale, or alpha dropout's affine map
that keeps selu's mean and variance. The mask is a constant (numpy) operand, so the only op
recorded is a product (and a sum for alpha), and no gradient flows into the noise.
"""

from __future__ import annotations

import numpy as np

from .random import default_generator
from .tensor import OpError, Tensor

# Channel (feature) dropout and alpha dropout: torch's one kernel, whose noise has x's shape or,
# for feature dropout, one entry per (sample, channel): shape (N, C, 1, …, 1).

# The saturation −λα of selu, negated: alpha dropout sets dropped entries to selu's limit at −∞.
_ALPHA_DROPOUT = 1.7580993408473766


def noise_dropout(x: Tensor, p: float, op: str, *, feature: bool, alpha: bool) -> Tensor:
    """torch's dropout kernel while training: ``m ~ Bernoulli(1 − p)`` of x's shape, or one per
    (sample, channel) with ``feature``; then ``y = x ⊙ m/(1 − p)``, or with ``alpha`` the
    affine ``y = x ⊙ a·m + α′a·(m − 1 + p)`` (see ``alpha_dropout``). ``x̄ = g ⊙`` x's factor."""
    if p == 0.0 or x.numel() == 0:
        return x
    if x.dtype.kind not in "fc":
        raise TypeError(
            f"{op}(): input must have a floating point dtype, got {x.dtype} (shape {x.shape}); "
            "convert it with .float()"
        )
    if p == 1.0:
        return x * 0.0
    if feature and x.ndim < 2:  # checked here, as torch: p = 0 and p = 1 take any input
        raise OpError(
            f"{op}(): Feature dropout requires at least 2 dimensions in the input, got shape "
            f"{x.shape}"
        )
    shape = x.shape[:2] + (1,) * (x.ndim - 2) if feature else x.shape
    keep = default_generator().random(shape) >= p
    if not alpha:
        return x * Tensor._make((keep * (1.0 / (1.0 - p))).astype(x.dtype))
    a = 1.0 / np.sqrt((_ALPHA_DROPOUT**2 * p + 1) * (1 - p))
    b = (keep - 1.0) * (_ALPHA_DROPOUT * a) + _ALPHA_DROPOUT * a * p  # torch's order
    return x * Tensor._make((keep * a).astype(x.dtype)) + Tensor._make(b.astype(x.dtype))

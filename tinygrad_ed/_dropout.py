"""Dropout's noise, shared by ``functional``'s dropouts, ``nn.Dropout`` and attention.

torch has one kernel for them all: a Bernoulli(1 − p) keep mask of x's shape (or, for feature
dropout, one entry per (sample, channel)), then an inverted scale, or alpha dropout's affine map
that keeps selu's mean and variance. The mask is a constant (numpy) operand, so the only op
recorded is a product (and a sum for alpha), and no gradient flows into the noise.
"""

from __future__ import annotations

import numpy as np

from .random import _numpy_generator
from .tensor import OpError, Tensor

# Channel (feature) dropout and alpha dropout: torch's one kernel, whose noise has x's shape or,
# for feature dropout, one entry per (sample, channel): shape (N, C, 1, …, 1).

# The saturation −λα of selu, negated: alpha dropout sets dropped entries to selu's limit at −∞.
_ALPHA_DROPOUT = 1.7580993408473766


def noise_dropout(
    x: Tensor,
    p: float,
    op: str,
    *,
    feature: bool,
    alpha: bool,
    inplace: bool = False,
    unbatched: bool = False,
) -> Tensor:
    """torch's dropout kernel while training: ``m ~ Bernoulli(1 − p)`` of x's shape, or one per
    (sample, channel) with ``feature``; then ``y = x ⊙ m/(1 − p)``, or with ``alpha`` the
    affine ``y = x ⊙ a·m + α′a·(m − 1 + p)`` (see ``alpha_dropout``). ``x̄ = g ⊙`` x's factor.

    With ``inplace`` (torch's ``dropout_``) the result is written into x and x is returned:
    recorded for a non-leaf (its grad_fn then the product's node, or the sum's for alpha, as
    torch's ``mul_``/``add_``), refused for a leaf that requires grad. The noise is drawn
    first, as torch's, so the same seed gives the same values either way (and a refused call
    has drawn it, as in torch). ``unbatched`` (feature dropout only): x has no batch dim, so
    one draw per row ``x[c]``, the draw of x with a batch dim of 1."""
    if p == 0.0 or x.numel() == 0:
        return x
    if x.dtype.kind not in "fc":
        raise TypeError(
            f"{op}(): input must have a floating point dtype, got {x.dtype} (shape {x.shape}); "
            "convert it with .float()"
        )
    if p == 1.0:
        return x._computed_inplace(op, _zeroed, None) if inplace else x * 0.0
    if feature and x.ndim < 2 - unbatched:  # checked here, as torch: p = 0 and p = 1 take any
        raise OpError(
            f"{op}(): Feature dropout requires at least 2 dimensions in the input, got shape "
            f"{x.shape}"
        )
    if not feature:
        shape = x.shape
    elif unbatched:
        shape = x.shape[:1] + (1,) * (x.ndim - 1)
    else:
        shape = x.shape[:2] + (1,) * (x.ndim - 2)
    keep = _numpy_generator().random(shape) >= p
    if not alpha:
        scale = Tensor._make((keep * (1.0 / (1.0 - p))).astype(x.dtype))
        if inplace:
            return x._computed_inplace(op, lambda old: old * scale, None)
        return x * scale
    a = 1.0 / np.sqrt((_ALPHA_DROPOUT**2 * p + 1) * (1 - p))
    b = (keep - 1.0) * (_ALPHA_DROPOUT * a) + _ALPHA_DROPOUT * a * p  # torch's order
    factor, shift = Tensor._make((keep * a).astype(x.dtype)), Tensor._make(b.astype(x.dtype))
    if inplace:
        return x._computed_inplace(op, lambda old: old * factor + shift, None)
    return x * factor + shift


def _zeroed(x: Tensor) -> Tensor:
    """p = 1: torch multiplies by a zero (so nan and inf entries give nan)."""
    return x * 0.0

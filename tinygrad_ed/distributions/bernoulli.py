"""``Bernoulli``: a coin that shows 1 with probability p.

PyTorch equivalent: ``torch.distributions.Bernoulli``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from .._legacy_types import Size
from .._namespace import bernoulli
from ..functional import binary_cross_entropy_with_logits
from ..grad_mode import no_grad
from ..tensor import Tensor, arange, where
from . import constraints
from ._probs_logits import BinaryProbsLogits, expand_given
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .utils import broadcast_all

__all__ = ["Bernoulli"]


class Bernoulli(BinaryProbsLogits, ExponentialFamily):
    """P(X = 1) = p, P(X = 0) = 1 − p, given ``probs`` p or ``logits`` z (p = σ(z)), a Tensor
    or a number (batch shape ``()``).

    ``log_prob`` and ``entropy`` are written from the logits as binary cross-entropy with
    logits, log p(x) = x·z − softplus(z), which neither overflows nor takes log 0.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "probs": constraints.unit_interval,
        "logits": constraints.real,
    }
    support = constraints.boolean
    has_enumerate_support = True
    _mean_carrier_measure = 0

    def __init__(
        self,
        probs: Tensor | float | None = None,
        logits: Tensor | float | None = None,
        validate_args: bool | None = None,
    ) -> None:
        (param,) = self._set_given(probs, logits)
        super().__init__(param.shape, validate_args=validate_args)

    def expand(self, batch_shape: Sequence[int], _instance: Bernoulli | None = None) -> Bernoulli:
        new = self._get_checked_instance(Bernoulli, _instance)
        batch_shape = Size(batch_shape)
        expand_given(self, new, batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        """E[X] = p."""
        return self.probs

    @property
    def mode(self) -> Tensor:
        """1 where p > ½, 0 where p < ½, nan at p = ½ (torch's convention: no single mode)."""
        mode = (self.probs >= 0.5).to(self.probs.dtype)
        return where(self.probs == 0.5, math.nan, mode)

    @property
    def variance(self) -> Tensor:
        """Var[X] = p(1 − p)."""
        return self.probs * (1 - self.probs)

    @property
    def param_shape(self) -> Size:
        """The shape of the given parameter."""
        return Size(self._param.shape)

    def sample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """0.0s and 1.0s (probs' dtype) of shape ``sample_shape + batch_shape``."""
        shape = self._extended_shape(sample_shape)
        with no_grad():
            return bernoulli(self.probs.expand(shape))

    def log_prob(self, value: Tensor) -> Tensor:
        """log p(x) = x·z − softplus(z) = −BCEWithLogits(z, x); z̄ = g·(x − σ(z))."""
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        return -binary_cross_entropy_with_logits(logits, value, reduction="none")

    def entropy(self) -> Tensor:
        """H = −p log p − (1 − p) log(1 − p) = BCEWithLogits(z, p)."""
        return binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none")

    @property
    def _natural_params(self) -> tuple[Tensor, ...]:
        """θ = logit p."""
        return (self.probs.logit(),)

    def _log_normalizer(self, *natural_params: Tensor) -> Tensor:
        """A(θ) = log(1 + e^θ)."""
        (x,) = natural_params
        return x.exp().log1p()

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """0., 1. along dim 0, of shape ``(2,) + batch_shape``."""
        values = arange(2, dtype=self._param.dtype).view((-1,) + (1,) * len(self._batch_shape))
        if expand:
            values = values.expand((-1, *self._batch_shape))
        return values

"""``Cauchy``: the Lorentz distribution, heavy-tailed (no mean, infinite variance).

PyTorch equivalent: ``torch.distributions.Cauchy``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .._creation import empty
from ..tensor import Tensor, full
from ._loc_scale import LocScale

__all__ = ["Cauchy"]


class Cauchy(LocScale):
    """p(x) = 1/(πγ(1 + ((x − x₀)/γ)²)), x₀ = ``loc`` (median and mode), γ = ``scale`` > 0
    (half width at half maximum). ``rsample`` is x₀ + γ·c with c standard Cauchy, drawn
    independently of the parameters."""

    def expand(self, batch_shape: Sequence[int], _instance: Cauchy | None = None) -> Cauchy:
        return self._expand(Cauchy, batch_shape, _instance)

    @property
    def mean(self) -> Tensor:
        """nan: the mean does not exist."""
        return full(self._extended_shape(), math.nan, dtype=self.loc.dtype)

    @property
    def variance(self) -> Tensor:
        """inf."""
        return full(self._extended_shape(), math.inf, dtype=self.loc.dtype)

    def rsample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """x₀ + γ·c, c ~ Cauchy(0, 1) of shape ``sample_shape + batch_shape``."""
        eps = empty(self._extended_shape(sample_shape), dtype=self.loc.dtype).cauchy_()
        return self.loc + eps * self.scale

    def log_prob(self, value: Tensor) -> Tensor:
        """−log π − log γ − log(1 + ((x − x₀)/γ)²)."""
        if self._validate_args:
            self._validate_sample(value)
        return (
            -math.log(math.pi) - self.scale.log() - (((value - self.loc) / self.scale) ** 2).log1p()
        )

    def cdf(self, value: Tensor) -> Tensor:
        """atan((x − x₀)/γ)/π + ½."""
        if self._validate_args:
            self._validate_sample(value)
        return ((value - self.loc) / self.scale).atan() / math.pi + 0.5

    def icdf(self, value: Tensor) -> Tensor:
        """x₀ + γ·tan(π(q − ½))."""
        return (math.pi * (value - 0.5)).tan() * self.scale + self.loc

    def entropy(self) -> Tensor:
        """H = log 4πγ."""
        return math.log(4 * math.pi) + self.scale.log()

"""``HalfCauchy``: |X| with X ~ Cauchy(0, scale).

PyTorch equivalent: ``torch.distributions.HalfCauchy``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from .._creation import as_tensor
from ..tensor import Tensor, full, where, zeros_like
from . import constraints
from .cauchy import Cauchy
from .transformed_distribution import TransformedDistribution
from .transforms import AbsTransform

__all__ = ["HalfCauchy"]


class HalfCauchy(TransformedDistribution):
    """p(y) = 2/(πγ(1 + (y/γ)²)) on y ≥ 0, γ = ``scale`` > 0. ``rsample`` is |γc|, c standard
    Cauchy."""

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {  # type: ignore[misc]
        "scale": constraints.positive
    }
    support = constraints.nonnegative  # type: ignore[assignment]
    has_rsample = True  # type: ignore[assignment]
    base_dist: Cauchy

    def __init__(self, scale: Tensor | float, validate_args: bool | None = None) -> None:
        base_dist = Cauchy(0, scale, validate_args=False)
        super().__init__(base_dist, AbsTransform(), validate_args=validate_args)

    def expand(  # type: ignore[override]
        self, batch_shape: Sequence[int], _instance: HalfCauchy | None = None
    ) -> HalfCauchy:
        new = self._get_checked_instance(HalfCauchy, _instance)
        super().expand(batch_shape, _instance=new)
        return new

    @property
    def scale(self) -> Tensor:
        """γ."""
        return self.base_dist.scale

    @property
    def mean(self) -> Tensor:
        """inf (the integral diverges)."""
        return full(self._extended_shape(), math.inf, dtype=self.scale.dtype)

    @property
    def mode(self) -> Tensor:
        """0."""
        return zeros_like(self.scale)

    @property
    def variance(self) -> Tensor:
        """inf, the Cauchy's."""
        return self.base_dist.variance

    def log_prob(self, value: Tensor | float) -> Tensor:
        """log Cauchy(y; 0, γ) + log 2 for y ≥ 0, −inf below."""
        if self._validate_args:
            self._validate_sample(value)  # type: ignore[arg-type]
        value = as_tensor(value, dtype=self.base_dist.scale.dtype)
        log_prob = self.base_dist.log_prob(value) + math.log(2)
        return where(value >= 0, log_prob, -math.inf)

    def cdf(self, value: Tensor) -> Tensor:
        """2F(y) − 1 = (2/π) atan(y/γ)."""
        if self._validate_args:
            self._validate_sample(value)
        return 2 * self.base_dist.cdf(value) - 1

    def icdf(self, prob: Tensor) -> Tensor:
        """The Cauchy's quantile at (1 + q)/2."""
        return self.base_dist.icdf((prob + 1) / 2)

    def entropy(self) -> Tensor:
        """H = log 4πγ − log 2 = log 2πγ."""
        return self.base_dist.entropy() - math.log(2)

"""``HalfNormal``: |X| with X ~ N(0, scale²).

PyTorch equivalent: ``torch.distributions.HalfNormal``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from ..tensor import Tensor, where, zeros_like
from . import constraints
from .normal import Normal
from .transformed_distribution import TransformedDistribution
from .transforms import AbsTransform

__all__ = ["HalfNormal"]


class HalfNormal(TransformedDistribution):
    """p(y) = 2·N(y; 0, σ²) on y ≥ 0, σ = ``scale`` > 0. ``rsample`` is |σε|."""

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {  # type: ignore[misc]
        "scale": constraints.positive
    }
    support = constraints.nonnegative  # type: ignore[assignment]
    has_rsample = True  # type: ignore[assignment]
    base_dist: Normal

    def __init__(self, scale: Tensor | float, validate_args: bool | None = None) -> None:
        base_dist = Normal(0, scale, validate_args=False)
        super().__init__(base_dist, AbsTransform(), validate_args=validate_args)

    def expand(  # type: ignore[override]
        self, batch_shape: Sequence[int], _instance: HalfNormal | None = None
    ) -> HalfNormal:
        new = self._get_checked_instance(HalfNormal, _instance)
        super().expand(batch_shape, _instance=new)
        return new

    @property
    def scale(self) -> Tensor:
        """σ."""
        return self.base_dist.scale

    @property
    def mean(self) -> Tensor:
        """σ√(2/π)."""
        return self.scale * math.sqrt(2 / math.pi)

    @property
    def mode(self) -> Tensor:
        """0."""
        return zeros_like(self.scale)

    @property
    def variance(self) -> Tensor:
        """σ²(1 − 2/π)."""
        return self.scale.pow(2) * (1 - 2 / math.pi)

    def log_prob(self, value: Tensor) -> Tensor:
        """log N(y; 0, σ²) + log 2 for y ≥ 0, −inf below."""
        if self._validate_args:
            self._validate_sample(value)
        log_prob = self.base_dist.log_prob(value) + math.log(2)
        return where(value >= 0, log_prob, -math.inf)

    def cdf(self, value: Tensor) -> Tensor:
        """2Φ(y/σ) − 1."""
        if self._validate_args:
            self._validate_sample(value)
        return 2 * self.base_dist.cdf(value) - 1

    def icdf(self, value: Tensor) -> Tensor:
        """The Normal's quantile at (1 + q)/2."""
        return self.base_dist.icdf((value + 1) / 2)

    def entropy(self) -> Tensor:
        """H = H(N(0, σ²)) − log 2."""
        return self.base_dist.entropy() - math.log(2)

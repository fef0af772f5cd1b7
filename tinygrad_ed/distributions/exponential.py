"""``Exponential``: waiting times of rate λ.

PyTorch equivalent: ``torch.distributions.Exponential``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from .._creation import empty
from .._legacy_types import Size
from ..tensor import Tensor, zeros_like
from . import constraints
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .utils import broadcast_all

__all__ = ["Exponential"]


class Exponential(ExponentialFamily):
    """p(x) = λe^{−λx} on x ≥ 0, λ = ``rate`` > 0 (a Tensor or a number).

    ``rsample`` is E/λ with E ~ Exp(1) independent of λ: λ̄ = −g·E/λ².
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {"rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True
    _mean_carrier_measure = 0

    def __init__(self, rate: Tensor | float, validate_args: bool | None = None) -> None:
        (self.rate,) = broadcast_all(rate)
        batch_shape = self.rate.shape if isinstance(rate, Tensor) else ()
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(
        self, batch_shape: Sequence[int], _instance: Exponential | None = None
    ) -> Exponential:
        new = self._get_checked_instance(Exponential, _instance)
        batch_shape = Size(batch_shape)
        new.rate = self.rate.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        """1/λ."""
        return self.rate.reciprocal()

    @property
    def mode(self) -> Tensor:
        """0."""
        return zeros_like(self.rate)

    @property
    def stddev(self) -> Tensor:
        """1/λ."""
        return self.rate.reciprocal()

    @property
    def variance(self) -> Tensor:
        """1/λ²."""
        return self.rate.pow(-2)

    def rsample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """E/λ, E ~ Exp(1) of shape ``sample_shape + batch_shape``."""
        shape = self._extended_shape(sample_shape)
        return empty(shape, dtype=self.rate.dtype).exponential_() / self.rate

    def log_prob(self, value: Tensor) -> Tensor:
        """log λ − λx."""
        if self._validate_args:
            self._validate_sample(value)
        return self.rate.log() - self.rate * value

    def cdf(self, value: Tensor) -> Tensor:
        """1 − e^{−λx}."""
        if self._validate_args:
            self._validate_sample(value)
        return 1 - (-self.rate * value).exp()

    def icdf(self, value: Tensor) -> Tensor:
        """−log(1 − q)/λ."""
        return -(-value).log1p() / self.rate

    def entropy(self) -> Tensor:
        """H = 1 − log λ."""
        return 1.0 - self.rate.log()

    @property
    def _natural_params(self) -> tuple[Tensor, ...]:
        """θ = −λ."""
        return (-self.rate,)

    def _log_normalizer(self, *natural_params: Tensor) -> Tensor:
        """A(θ) = −log(−θ)."""
        (x,) = natural_params
        return -(-x).log()

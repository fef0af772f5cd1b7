"""``Uniform``: a number drawn evenly from [low, high).

PyTorch equivalent: ``torch.distributions.Uniform``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .._legacy_types import Size
from ..tensor import Tensor, rand
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["Uniform"]


class Uniform(Distribution):
    """U[a, b) with a = ``low`` < b = ``high``, Tensors or numbers broadcast together.

    ``rsample`` is a + (b − a)·u with u ~ U[0, 1) drawn independently of the parameters:
    ā = g·(1 − u), b̄ = g·u.
    """

    has_rsample = True

    @property
    def arg_constraints(self) -> dict[str, constraints.Constraint]:
        """low < high, checked from both sides (torch's form)."""
        return {
            "low": constraints.less_than(self.high),
            "high": constraints.greater_than(self.low),
        }

    def __init__(
        self, low: Tensor | float, high: Tensor | float, validate_args: bool | None = None
    ) -> None:
        self.low, self.high = broadcast_all(low, high)
        numbers = not isinstance(low, Tensor) and not isinstance(high, Tensor)
        super().__init__(() if numbers else self.low.shape, validate_args=validate_args)

    def expand(self, batch_shape: Sequence[int], _instance: Uniform | None = None) -> Uniform:
        new = self._get_checked_instance(Uniform, _instance)
        batch_shape = Size(batch_shape)
        new.low = self.low.expand(batch_shape)
        new.high = self.high.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        """(a + b)/2."""
        return (self.high + self.low) / 2

    @property
    def mode(self) -> Tensor:
        """nan: every point is as likely."""
        return math.nan * self.high

    @property
    def stddev(self) -> Tensor:
        """(b − a)/√12."""
        return (self.high - self.low) / 12**0.5

    @property
    def variance(self) -> Tensor:
        """(b − a)²/12."""
        return (self.high - self.low).pow(2) / 12

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self) -> constraints.Constraint:
        """[low, high]."""
        return constraints.interval(self.low, self.high)

    def rsample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """a + (b − a)·u, u ~ U[0, 1) of shape ``sample_shape + batch_shape``."""
        shape = self._extended_shape(sample_shape)
        u = rand(shape, dtype=self.low.dtype)
        return self.low + u * (self.high - self.low)

    def log_prob(self, value: Tensor) -> Tensor:
        """−log(b − a) on [a, b), −inf outside."""
        if self._validate_args:
            self._validate_sample(value)
        lb = self.low.le(value).type_as(self.low)
        ub = self.high.gt(value).type_as(self.low)
        return (lb * ub).log() - (self.high - self.low).log()

    def cdf(self, value: Tensor) -> Tensor:
        """(x − a)/(b − a), clamped to [0, 1]."""
        if self._validate_args:
            self._validate_sample(value)
        return ((value - self.low) / (self.high - self.low)).clamp(min=0, max=1)

    def icdf(self, value: Tensor) -> Tensor:
        """a + q·(b − a)."""
        return value * (self.high - self.low) + self.low

    def entropy(self) -> Tensor:
        """H = log(b − a)."""
        return (self.high - self.low).log()

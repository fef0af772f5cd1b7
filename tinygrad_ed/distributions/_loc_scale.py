"""What the location–scale families share: ``loc`` ∈ ℝ and ``scale`` > 0, Tensors or numbers
broadcast together; a real support; mean and mode ``loc``; ``expand`` of both parameters.
``Normal``, ``Laplace`` and ``Cauchy`` build on it (torch repeats this in each of its classes).

``HalfLocScale`` is what their folded halves share, |X| for X of loc 0 (``HalfNormal``,
``HalfCauchy``): the density doubled on y ≥ 0, the cdf 2F(y) − 1, the quantile F⁻¹((1 + q)/2),
the entropy H(X) − log 2.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar, TypeVar

from .._legacy_types import Size
from ..tensor import Tensor, where, zeros_like
from . import constraints
from .distribution import Distribution
from .transformed_distribution import TransformedDistribution
from .transforms import AbsTransform
from .utils import broadcast_all

L = TypeVar("L", bound="LocScale")


class LocScale(Distribution):
    """The shared part of a location–scale family (see the module)."""

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "loc": constraints.real,
        "scale": constraints.positive,
    }
    support = constraints.real
    has_rsample = True

    def __init__(
        self, loc: Tensor | float, scale: Tensor | float, validate_args: bool | None = None
    ) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        numbers = not isinstance(loc, Tensor) and not isinstance(scale, Tensor)
        super().__init__(() if numbers else self.loc.shape, validate_args=validate_args)

    def _expand(self, cls: type[L], batch_shape: Sequence[int], _instance: L | None) -> L:
        """``expand`` of the family ``cls`` (named, so that a subclass with its own
        ``__init__`` must define its own ``expand``, as torch requires)."""
        new = self._get_checked_instance(cls, _instance)
        batch_shape = Size(batch_shape)
        new.loc = self.loc.expand(batch_shape)
        new.scale = self.scale.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        """μ."""
        return self.loc

    @property
    def mode(self) -> Tensor:
        """μ."""
        return self.loc


class HalfLocScale(TransformedDistribution):
    """|X|, X of a location–scale family with loc 0 and scale ``scale`` > 0 (see the
    module). ``rsample`` is |X|'s; ``mean`` and ``variance`` are the subclass's."""

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {  # type: ignore[misc]
        "scale": constraints.positive
    }
    support = constraints.nonnegative  # type: ignore[assignment]
    has_rsample = True  # type: ignore[assignment]
    base_dist: LocScale

    def __init__(self, base_dist: LocScale, validate_args: bool | None = None) -> None:
        super().__init__(base_dist, AbsTransform(), validate_args=validate_args)

    @property
    def scale(self) -> Tensor:
        """The scale of X."""
        return self.base_dist.scale

    @property
    def mode(self) -> Tensor:
        """0."""
        return zeros_like(self.scale)

    def _folded_log_prob(self, value: Tensor) -> Tensor:
        """log p_X(y) + log 2 for y ≥ 0, −inf below."""
        log_prob = self.base_dist.log_prob(value) + math.log(2)
        return where(value >= 0, log_prob, -math.inf)

    def log_prob(self, value: Tensor) -> Tensor:
        """log p_X(y) + log 2 for y ≥ 0, −inf below."""
        if self._validate_args:
            self._validate_sample(value)
        return self._folded_log_prob(value)

    def cdf(self, value: Tensor) -> Tensor:
        """2F(y) − 1."""
        if self._validate_args:
            self._validate_sample(value)
        return 2 * self.base_dist.cdf(value) - 1

    def icdf(self, value: Tensor) -> Tensor:
        """X's quantile at (1 + q)/2."""
        return self.base_dist.icdf((value + 1) / 2)

    def entropy(self) -> Tensor:
        """H = H(X) − log 2."""
        return self.base_dist.entropy() - math.log(2)

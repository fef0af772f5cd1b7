"""``LogNormal``: Y = e^X with X ~ N(loc, scale²), a positive quantity whose log is Gaussian.

PyTorch equivalent: ``torch.distributions.LogNormal``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from ..tensor import Tensor
from . import constraints
from .normal import Normal
from .transformed_distribution import TransformedDistribution
from .transforms import ExpTransform

__all__ = ["LogNormal"]


class LogNormal(TransformedDistribution):
    """exp of N(μ, σ²), μ = ``loc``, σ = ``scale`` > 0: log p(y) = log N(log y; μ, σ²) −
    log y on y > 0. ``rsample`` is e^{μ + σε}."""

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {  # type: ignore[misc]
        "loc": constraints.real,
        "scale": constraints.positive,
    }
    support = constraints.positive  # type: ignore[assignment]
    has_rsample = True  # type: ignore[assignment]
    base_dist: Normal

    def __init__(
        self, loc: Tensor | float, scale: Tensor | float, validate_args: bool | None = None
    ) -> None:
        base_dist = Normal(loc, scale, validate_args=validate_args)
        super().__init__(base_dist, ExpTransform(), validate_args=validate_args)

    def expand(self, batch_shape: Sequence[int], _instance: LogNormal | None = None) -> LogNormal:  # type: ignore[override]
        new = self._get_checked_instance(LogNormal, _instance)
        super().expand(batch_shape, _instance=new)
        return new

    @property
    def loc(self) -> Tensor:
        """μ, the mean of log Y."""
        return self.base_dist.loc

    @property
    def scale(self) -> Tensor:
        """σ, the standard deviation of log Y."""
        return self.base_dist.scale

    @property
    def mean(self) -> Tensor:
        """e^{μ + σ²/2}."""
        return (self.loc + self.scale.pow(2) / 2).exp()

    @property
    def mode(self) -> Tensor:
        """e^{μ − σ²}."""
        return (self.loc - self.scale.square()).exp()

    @property
    def variance(self) -> Tensor:
        """(e^{σ²} − 1)·e^{2μ + σ²}."""
        scale_sq = self.scale.pow(2)
        return scale_sq.expm1() * (2 * self.loc + scale_sq).exp()

    def entropy(self) -> Tensor:
        """H = H(N(μ, σ²)) + μ."""
        return self.base_dist.entropy() + self.loc

"""``LogisticNormal``: a random probability vector, the stick-breaking image of a Gaussian.

PyTorch equivalent: ``torch.distributions.LogisticNormal``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from ..tensor import Tensor
from . import constraints
from .independent import Independent
from .normal import Normal
from .transformed_distribution import TransformedDistribution
from .transforms import StickBreakingTransform

__all__ = ["LogisticNormal"]


class LogisticNormal(TransformedDistribution):
    """Y = StickBreaking(X), X ~ N(``loc``, ``scale``²) on ℝᴷ⁻¹ (the last dim is the event):
    a point of the K-simplex, with ``rsample`` differentiable in loc and scale."""

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {  # type: ignore[misc]
        "loc": constraints.real,
        "scale": constraints.positive,
    }
    support = constraints.simplex  # type: ignore[assignment]
    has_rsample = True  # type: ignore[assignment]
    base_dist: Independent[Normal]

    def __init__(
        self, loc: Tensor | float, scale: Tensor | float, validate_args: bool | None = None
    ) -> None:
        base_dist = Normal(loc, scale, validate_args=validate_args)
        if not base_dist.batch_shape:
            base_dist = base_dist.expand([1])
        super().__init__(base_dist, StickBreakingTransform(), validate_args=validate_args)

    def expand(  # type: ignore[override]
        self, batch_shape: Sequence[int], _instance: LogisticNormal | None = None
    ) -> LogisticNormal:
        new = self._get_checked_instance(LogisticNormal, _instance)
        super().expand(batch_shape, _instance=new)
        return new

    @property
    def loc(self) -> Tensor:
        """The Gaussian's mean."""
        return self.base_dist.base_dist.loc

    @property
    def scale(self) -> Tensor:
        """The Gaussian's standard deviation."""
        return self.base_dist.base_dist.scale

"""``Kumaraswamy``: a Beta look-alike on [0, 1] with a closed-form cdf and quantile.

PyTorch equivalent: ``torch.distributions.Kumaraswamy``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from .._creation import full_like
from ..tensor import Tensor, where
from . import constraints
from .gumbel import EULER_GAMMA
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, PowerTransform
from .uniform import Uniform
from .utils import broadcast_all

__all__ = ["Kumaraswamy"]


def _moments(a: Tensor, b: Tensor, n: int) -> Tensor:
    """E[Xⁿ] = b·B(1 + n/a, b)."""
    arg1 = 1 + n / a
    log_value = arg1.lgamma() + b.lgamma() - (arg1 + b).lgamma()
    return b * log_value.exp()


class Kumaraswamy(TransformedDistribution):
    """p(x) = ab·x^{a−1}(1 − x^a)^{b−1} on [0, 1], a = ``concentration1``, b =
    ``concentration0`` (> 0): U(0, 1) pushed through u ↦ (1 − u^{1/b})^{1/a}, the quantile,
    so ``rsample`` is differentiable in a and b."""

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {  # type: ignore[misc]
        "concentration1": constraints.positive,
        "concentration0": constraints.positive,
    }
    support = constraints.unit_interval  # type: ignore[assignment]
    has_rsample = True  # type: ignore[assignment]

    def __init__(
        self,
        concentration1: Tensor | float,
        concentration0: Tensor | float,
        validate_args: bool | None = None,
    ) -> None:
        self.concentration1, self.concentration0 = broadcast_all(concentration1, concentration0)
        base_dist = Uniform(
            full_like(self.concentration0, 0),
            full_like(self.concentration0, 1),
            validate_args=validate_args,
        )
        transforms = [
            PowerTransform(exponent=self.concentration0.reciprocal()),
            AffineTransform(loc=1.0, scale=-1.0),
            PowerTransform(exponent=self.concentration1.reciprocal()),
        ]
        super().__init__(base_dist, transforms, validate_args=validate_args)

    def expand(  # type: ignore[override]
        self, batch_shape: Sequence[int], _instance: Kumaraswamy | None = None
    ) -> Kumaraswamy:
        new = self._get_checked_instance(Kumaraswamy, _instance)
        new.concentration1 = self.concentration1.expand(batch_shape)
        new.concentration0 = self.concentration0.expand(batch_shape)
        super().expand(batch_shape, _instance=new)
        return new

    @property
    def mean(self) -> Tensor:
        """b·B(1 + 1/a, b)."""
        return _moments(self.concentration1, self.concentration0, 1)

    @property
    def mode(self) -> Tensor:
        """((a − 1)/(ab − 1))^{1/a} for a, b ≥ 1 (not both 1), nan otherwise.

        torch 2.13 writes log1p(−b)/b − log1p(−ab), which is nan for every b > 1: the mode
        here is the maximiser of the density instead (tests check it)."""
        a, b = self.concentration1, self.concentration0
        undefined = (a < 1) | (b < 1) | ((a == 1) & (b == 1))
        a_safe = where(undefined, 2.0, a)  # keeps the unused branch's derivative finite
        b_safe = where(undefined, 2.0, b)
        log_mode = ((a_safe - 1).log() - (a_safe * b_safe - 1).log()) / a_safe
        return where(undefined, math.nan, log_mode.exp())

    @property
    def variance(self) -> Tensor:
        """E[X²] − E[X]²."""
        return _moments(self.concentration1, self.concentration0, 2) - self.mean.pow(2)

    def entropy(self) -> Tensor:
        """H = (1 − 1/b) + (1 − 1/a)(ψ(b + 1) + γ) − log a − log b."""
        t1 = 1 - self.concentration1.reciprocal()
        t0 = 1 - self.concentration0.reciprocal()
        H0 = (self.concentration0 + 1).digamma() + EULER_GAMMA
        return t0 + t1 * H0 - self.concentration1.log() - self.concentration0.log()

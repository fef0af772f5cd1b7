"""``InverseGamma``: 1/X for X ~ Gamma, the conjugate prior of a Gaussian's variance.

PyTorch equivalent: ``torch.distributions.InverseGamma``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from ..tensor import Tensor, tensor, where
from . import constraints
from .gamma import Gamma
from .transformed_distribution import TransformedDistribution
from .transforms import PowerTransform

__all__ = ["InverseGamma"]


class InverseGamma(TransformedDistribution):
    """p(x) = βᵅ x^{−α−1} e^{−β/x}/Γ(α) on x > 0, α = ``concentration``, β = ``rate`` (> 0):
    Gamma(α, β) pushed through x ↦ x⁻¹, so ``rsample`` is differentiable in both (α by the
    Gamma's implicit reparameterisation)."""

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {  # type: ignore[misc]
        "concentration": constraints.positive,
        "rate": constraints.positive,
    }
    support = constraints.positive  # type: ignore[assignment]
    has_rsample = True  # type: ignore[assignment]
    base_dist: Gamma

    def __init__(
        self,
        concentration: Tensor | float,
        rate: Tensor | float,
        validate_args: bool | None = None,
    ) -> None:
        base_dist = Gamma(concentration, rate, validate_args=validate_args)
        neg_one = tensor(-1.0, dtype=base_dist.rate.dtype)
        super().__init__(base_dist, PowerTransform(neg_one), validate_args=validate_args)

    def expand(  # type: ignore[override]
        self, batch_shape: Sequence[int], _instance: InverseGamma | None = None
    ) -> InverseGamma:
        new = self._get_checked_instance(InverseGamma, _instance)
        super().expand(batch_shape, _instance=new)
        return new

    @property
    def concentration(self) -> Tensor:
        """α."""
        return self.base_dist.concentration

    @property
    def rate(self) -> Tensor:
        """β."""
        return self.base_dist.rate

    @property
    def mean(self) -> Tensor:
        """β/(α − 1) for α > 1, inf otherwise."""
        return where(self.concentration > 1, self.rate / (self.concentration - 1), math.inf)

    @property
    def mode(self) -> Tensor:
        """β/(α + 1)."""
        return self.rate / (self.concentration + 1)

    @property
    def variance(self) -> Tensor:
        """β²/((α − 1)²(α − 2)) for α > 2, inf otherwise."""
        result = self.rate.square() / ((self.concentration - 1).square() * (self.concentration - 2))
        return where(self.concentration > 2, result, math.inf)

    def entropy(self) -> Tensor:
        """H = α + log β + log Γ(α) − (1 + α)ψ(α)."""
        return (
            self.concentration
            + self.rate.log()
            + self.concentration.lgamma()
            - (1 + self.concentration) * self.concentration.digamma()
        )

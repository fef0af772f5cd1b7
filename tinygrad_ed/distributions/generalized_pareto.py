"""``GeneralizedPareto``: the distribution of exceedances over a high threshold.

PyTorch equivalent: ``torch.distributions.GeneralizedPareto``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from .._legacy_types import Size
from .._namespace import isclose
from ..tensor import Tensor, rand, where, zeros_like
from . import constraints
from .distribution import Distribution
from .utils import _NUMBER, broadcast_all

__all__ = ["GeneralizedPareto"]


class GeneralizedPareto(Distribution):
    """p(x) = (1/σ)(1 + ξz)^{−1/ξ − 1}, z = (x − μ)/σ, on x ≥ μ (and x ≤ μ − σ/ξ for ξ < 0);
    μ = ``loc``, σ = ``scale`` > 0, ξ = ``concentration`` (ξ = 0: the exponential e^{−z}/σ).

    ξ = 0 is a removable singularity of every formula: where ξ is close to 0 the exponential
    form is used and ξ replaced by 1 in the unused branch, as torch's. ``rsample`` is the
    quantile of uniform noise.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "loc": constraints.real,
        "scale": constraints.positive,
        "concentration": constraints.real,
    }
    has_rsample = True

    def __init__(
        self,
        loc: Tensor | float,
        scale: Tensor | float,
        concentration: Tensor | float,
        validate_args: bool | None = None,
    ) -> None:
        self.loc, self.scale, self.concentration = broadcast_all(loc, scale, concentration)
        numbers = all(isinstance(v, _NUMBER) for v in (loc, scale, concentration))
        super().__init__(() if numbers else self.loc.shape, validate_args=validate_args)

    def expand(
        self, batch_shape: Sequence[int], _instance: GeneralizedPareto | None = None
    ) -> GeneralizedPareto:
        new = self._get_checked_instance(GeneralizedPareto, _instance)
        batch_shape = Size(batch_shape)
        new.loc = self.loc.expand(batch_shape)
        new.scale = self.scale.expand(batch_shape)
        new.concentration = self.concentration.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def _eq_zero_and_safe(self) -> tuple[Tensor, Tensor]:
        """Where ξ ≈ 0, and ξ with those entries replaced by 1."""
        eq_zero = isclose(self.concentration, zeros_like(self.concentration))
        return eq_zero, where(eq_zero, 1.0, self.concentration)

    def rsample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """The quantile of uniform noise."""
        u = rand(self._extended_shape(sample_shape), dtype=self.loc.dtype)
        return self.icdf(u)

    def log_prob(self, value: Tensor) -> Tensor:
        """−log σ − (1/ξ + 1) log(1 + ξz) (−log σ − z at ξ = 0)."""
        if self._validate_args:
            self._validate_sample(value)
        z = self._z(value)
        eq_zero, safe_conc = self._eq_zero_and_safe()
        y = 1 / safe_conc + 1
        where_nonzero = where(y == 0, y, y * (safe_conc * z).log1p())
        return -self.scale.log() - where(eq_zero, z, where_nonzero)

    def log_survival_function(self, value: Tensor) -> Tensor:
        """log P(X > x) = −log(1 + ξz)/ξ (−z at ξ = 0)."""
        if self._validate_args:
            self._validate_sample(value)
        z = self._z(value)
        eq_zero, safe_conc = self._eq_zero_and_safe()
        return where(eq_zero, -z, -(safe_conc * z).log1p() / safe_conc)

    def log_cdf(self, value: Tensor) -> Tensor:
        """log(1 − P(X > x))."""
        return (-self.log_survival_function(value).exp()).log1p()

    def cdf(self, value: Tensor) -> Tensor:
        """1 − (1 + ξz)^{−1/ξ}."""
        return self.log_cdf(value).exp()

    def icdf(self, value: Tensor) -> Tensor:
        """μ + σ((1 − q)^{−ξ} − 1)/ξ (μ − σ log(1 − q) at ξ = 0)."""
        eq_zero, safe_conc = self._eq_zero_and_safe()
        logu = (-value).log1p()
        where_nonzero = self.loc + self.scale / safe_conc * (-safe_conc * logu).expm1()
        where_zero = self.loc - self.scale * logu
        return where(eq_zero, where_zero, where_nonzero)

    def _z(self, x: Tensor) -> Tensor:
        return (x - self.loc) / self.scale

    @property
    def mean(self) -> Tensor:
        """μ + σ/(1 − ξ) for ξ < 1, nan otherwise."""
        valid = self.concentration < 1
        safe_conc = where(valid, self.concentration, 0.5)
        return where(valid, self.loc + self.scale / (1 - safe_conc), math.nan)

    @property
    def variance(self) -> Tensor:
        """σ²/((1 − ξ)²(1 − 2ξ)) for ξ < ½, nan otherwise."""
        valid = self.concentration < 0.5
        safe_conc = where(valid, self.concentration, 0.25)
        result = self.scale**2 / ((1 - safe_conc) ** 2 * (1 - 2 * safe_conc))
        return where(valid, result, math.nan)

    def entropy(self) -> Tensor:
        """H = log σ + ξ + 1."""
        return (self.scale.log() + self.concentration + 1).broadcast_to(self._batch_shape)

    @property
    def mode(self) -> Tensor:
        """μ."""
        return self.loc

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self) -> constraints.Constraint:
        """[μ, μ − σ/ξ] for ξ < 0, [μ, inf] otherwise."""
        lower = self.loc
        upper = where(self.concentration < 0, lower - self.scale / self.concentration, math.inf)
        return constraints.interval(lower, upper)

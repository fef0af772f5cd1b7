"""``StudentT``: the t distribution of a Gaussian ratio, heavy-tailed for few degrees of
freedom.

PyTorch equivalent: ``torch.distributions.StudentT``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from .._legacy_types import Size
from ..tensor import Tensor, randn, where
from . import constraints
from .distribution import Distribution
from .gamma import Chi2
from .utils import broadcast_all

__all__ = ["StudentT"]


class StudentT(Distribution):
    """p(x) = Γ((ν+1)/2)/(Γ(ν/2)√(νπ)σ) · (1 + y²/ν)^{−(ν+1)/2}, y = (x − μ)/σ; ν = ``df`` > 0,
    μ = ``loc``, σ = ``scale`` > 0.

    ``rsample`` is μ + σ·X/√(Z/ν), X ~ N(0, 1), Z ~ χ²(ν) implicitly reparameterised, so the
    gradient reaches ν as well as μ and σ.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "df": constraints.positive,
        "loc": constraints.real,
        "scale": constraints.positive,
    }
    support = constraints.real
    has_rsample = True

    def __init__(
        self,
        df: Tensor | float,
        loc: Tensor | float = 0.0,
        scale: Tensor | float = 1.0,
        validate_args: bool | None = None,
    ) -> None:
        self.df, self.loc, self.scale = broadcast_all(df, loc, scale)
        self._chi2 = Chi2(self.df)
        super().__init__(self.df.shape, validate_args=validate_args)

    def expand(self, batch_shape: Sequence[int], _instance: StudentT | None = None) -> StudentT:
        new = self._get_checked_instance(StudentT, _instance)
        batch_shape = Size(batch_shape)
        new.df = self.df.expand(batch_shape)
        new.loc = self.loc.expand(batch_shape)
        new.scale = self.scale.expand(batch_shape)
        new._chi2 = self._chi2.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        """μ for ν > 1, nan otherwise."""
        return where(self.df <= 1, math.nan, self.loc)

    @property
    def mode(self) -> Tensor:
        """μ."""
        return self.loc

    @property
    def variance(self) -> Tensor:
        """σ²ν/(ν − 2) for ν > 2, inf for 1 < ν ≤ 2, nan for ν ≤ 1."""
        finite = self.df > 2
        df = where(finite, self.df, 3.0)  # keeps the unused branch's derivative finite
        var = self.scale.pow(2) * df / (df - 2)
        return where(finite, var, where(self.df > 1, math.inf, math.nan))

    def rsample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """μ + σ·X·(Z/ν)^{−½}, X ~ N(0, 1), Z ~ χ²(ν)."""
        shape = self._extended_shape(sample_shape)
        X = randn(shape, dtype=self.df.dtype)
        Z = self._chi2.rsample(sample_shape)
        Y = X * (Z / self.df).rsqrt()
        return self.loc + self.scale * Y

    def log_prob(self, value: Tensor) -> Tensor:
        """−(ν+1)/2·log(1 + y²/ν) − log σ − ½ log νπ − log Γ(ν/2) + log Γ((ν+1)/2)."""
        if self._validate_args:
            self._validate_sample(value)
        y = (value - self.loc) / self.scale
        Z = (
            self.scale.log()
            + 0.5 * self.df.log()
            + 0.5 * math.log(math.pi)
            + (0.5 * self.df).lgamma()
            - (0.5 * (self.df + 1.0)).lgamma()
        )
        return -0.5 * (self.df + 1.0) * (y**2.0 / self.df).log1p() - Z

    def entropy(self) -> Tensor:
        """H = log σ + (ν+1)/2·(ψ((ν+1)/2) − ψ(ν/2)) + ½ log ν + log B(ν/2, ½)."""
        lbeta = (0.5 * self.df).lgamma() + math.lgamma(0.5) - (0.5 * (self.df + 1)).lgamma()
        return (
            self.scale.log()
            + 0.5 * (self.df + 1) * ((0.5 * (self.df + 1)).digamma() - (0.5 * self.df).digamma())
            + 0.5 * self.df.log()
            + lbeta
        )

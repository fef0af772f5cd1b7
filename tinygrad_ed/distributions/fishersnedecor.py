"""``FisherSnedecor``: the F distribution of a ratio of scaled χ² variables.

PyTorch equivalent: ``torch.distributions.FisherSnedecor``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from .._dtypes import finfo
from .._legacy_types import Size
from ..tensor import Tensor, where
from . import constraints
from .distribution import Distribution
from .gamma import Gamma
from .utils import _NUMBER, broadcast_all

__all__ = ["FisherSnedecor"]


class FisherSnedecor(Distribution):
    """F(d₁, d₂): the law of (X₁/d₁)/(X₂/d₂), Xᵢ ~ χ²(dᵢ), d₁ = ``df1``, d₂ = ``df2`` > 0.

    ``rsample`` is the ratio of two implicitly reparameterised Gamma(dᵢ/2, dᵢ) draws (each
    χ²(dᵢ)/dᵢ), so the gradient reaches both degrees of freedom.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "df1": constraints.positive,
        "df2": constraints.positive,
    }
    support = constraints.positive
    has_rsample = True

    def __init__(
        self, df1: Tensor | float, df2: Tensor | float, validate_args: bool | None = None
    ) -> None:
        self.df1, self.df2 = broadcast_all(df1, df2)
        self._gamma1 = Gamma(self.df1 * 0.5, self.df1)
        self._gamma2 = Gamma(self.df2 * 0.5, self.df2)
        numbers = isinstance(df1, _NUMBER) and isinstance(df2, _NUMBER)
        super().__init__(() if numbers else self.df1.shape, validate_args=validate_args)

    def expand(
        self, batch_shape: Sequence[int], _instance: FisherSnedecor | None = None
    ) -> FisherSnedecor:
        new = self._get_checked_instance(FisherSnedecor, _instance)
        batch_shape = Size(batch_shape)
        new.df1 = self.df1.expand(batch_shape)
        new.df2 = self.df2.expand(batch_shape)
        new._gamma1 = self._gamma1.expand(batch_shape)
        new._gamma2 = self._gamma2.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        """d₂/(d₂ − 2) for d₂ > 2, nan otherwise."""
        df2 = where(self.df2 <= 2, math.nan, self.df2)
        return df2 / (df2 - 2)

    @property
    def mode(self) -> Tensor:
        """(d₁ − 2)/d₁ · d₂/(d₂ + 2) for d₁ > 2, nan otherwise."""
        mode = (self.df1 - 2) / self.df1 * self.df2 / (self.df2 + 2)
        return where(self.df1 <= 2, math.nan, mode)

    @property
    def variance(self) -> Tensor:
        """2d₂²(d₁ + d₂ − 2)/(d₁(d₂ − 2)²(d₂ − 4)) for d₂ > 4, nan otherwise."""
        df2 = where(self.df2 <= 4, math.nan, self.df2)
        return 2 * df2.pow(2) * (self.df1 + df2 - 2) / (self.df1 * (df2 - 2).pow(2) * (df2 - 4))

    def rsample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """X₁/X₂, Xᵢ ~ Gamma(dᵢ/2, dᵢ), each at least the dtype's tiny."""
        shape = self._extended_shape(sample_shape)
        X1 = self._gamma1.rsample(sample_shape).view(shape)
        X2 = self._gamma2.rsample(sample_shape).view(shape)
        tiny = finfo(X2.dtype).tiny
        return (X1 / X2.clamp(min=tiny)).clamp(min=tiny)

    def log_prob(self, value: Tensor) -> Tensor:
        """log Γ((d₁ + d₂)/2) − log Γ(d₁/2) − log Γ(d₂/2) + (d₁/2) log(d₁/d₂)
        + (d₁/2 − 1) log x − ((d₁ + d₂)/2) log(1 + d₁x/d₂)."""
        if self._validate_args:
            self._validate_sample(value)
        ct1 = self.df1 * 0.5
        ct2 = self.df2 * 0.5
        ct3 = self.df1 / self.df2
        t1 = (ct1 + ct2).lgamma() - ct1.lgamma() - ct2.lgamma()
        t2 = ct1 * ct3.log() + (ct1 - 1) * value.log()
        t3 = (ct1 + ct2) * (ct3 * value).log1p()
        return t1 + t2 - t3

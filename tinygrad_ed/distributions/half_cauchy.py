"""``HalfCauchy``: |X| with X ~ Cauchy(0, scale).

PyTorch equivalent: ``torch.distributions.HalfCauchy``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .._creation import as_tensor
from ..tensor import Tensor, full
from ._loc_scale import HalfLocScale
from .cauchy import Cauchy

__all__ = ["HalfCauchy"]


class HalfCauchy(HalfLocScale):
    """p(y) = 2/(πγ(1 + (y/γ)²)) on y ≥ 0, γ = ``scale`` > 0. ``rsample`` is |γc|, c standard
    Cauchy; the cdf (2/π) atan(y/γ), the entropy log 4πγ − log 2 = log 2πγ."""

    base_dist: Cauchy

    def __init__(self, scale: Tensor | float, validate_args: bool | None = None) -> None:
        super().__init__(Cauchy(0, scale, validate_args=False), validate_args=validate_args)

    def expand(  # type: ignore[override]
        self, batch_shape: Sequence[int], _instance: HalfCauchy | None = None
    ) -> HalfCauchy:
        new = self._get_checked_instance(HalfCauchy, _instance)
        super().expand(batch_shape, _instance=new)
        return new

    @property
    def mean(self) -> Tensor:
        """inf (the integral diverges)."""
        return full(self._extended_shape(), math.inf, dtype=self.scale.dtype)

    @property
    def variance(self) -> Tensor:
        """inf, the Cauchy's."""
        return self.base_dist.variance

    def log_prob(self, value: Tensor | float) -> Tensor:
        """log Cauchy(y; 0, γ) + log 2 for y ≥ 0, −inf below; a number is a value too."""
        if self._validate_args:
            self._validate_sample(value)  # type: ignore[arg-type]
        return self._folded_log_prob(as_tensor(value, dtype=self.base_dist.scale.dtype))

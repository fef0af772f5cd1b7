"""``HalfNormal``: |X| with X ~ N(0, scale²).

PyTorch equivalent: ``torch.distributions.HalfNormal``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..tensor import Tensor
from ._loc_scale import HalfLocScale
from .normal import Normal

__all__ = ["HalfNormal"]


class HalfNormal(HalfLocScale):
    """p(y) = 2·N(y; 0, σ²) on y ≥ 0, σ = ``scale`` > 0. ``rsample`` is |σε|; the cdf
    2Φ(y/σ) − 1, the entropy H(N(0, σ²)) − log 2."""

    base_dist: Normal

    def __init__(self, scale: Tensor | float, validate_args: bool | None = None) -> None:
        super().__init__(Normal(0, scale, validate_args=False), validate_args=validate_args)

    def expand(  # type: ignore[override]
        self, batch_shape: Sequence[int], _instance: HalfNormal | None = None
    ) -> HalfNormal:
        new = self._get_checked_instance(HalfNormal, _instance)
        super().expand(batch_shape, _instance=new)
        return new

    @property
    def mean(self) -> Tensor:
        """σ√(2/π)."""
        return self.scale * math.sqrt(2 / math.pi)

    @property
    def variance(self) -> Tensor:
        """σ²(1 − 2/π)."""
        return self.scale.pow(2) * (1 - 2 / math.pi)

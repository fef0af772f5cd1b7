"""``Normal``: the Gaussian N(loc, scale²), with a reparameterised sample.

PyTorch equivalent: ``torch.distributions.Normal``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .._sampling import normal
from ..grad_mode import no_grad
from ..tensor import Tensor, randn
from ._loc_scale import LocScale
from .exp_family import ExponentialFamily

__all__ = ["Normal"]


class Normal(LocScale, ExponentialFamily):
    """N(μ, σ²) with μ = ``loc`` and σ = ``scale`` > 0, Tensors or numbers broadcast together.

    ``rsample`` is μ + σ·ε with ε ~ N(0, 1) drawn independently of the parameters, so its
    gradients reach them: μ̄ = g, σ̄ = g·ε (the reparameterisation trick); ``sample`` draws the
    same way without a graph.
    """

    _mean_carrier_measure = 0

    def expand(self, batch_shape: Sequence[int], _instance: Normal | None = None) -> Normal:
        return self._expand(Normal, batch_shape, _instance)

    @property
    def stddev(self) -> Tensor:
        """σ."""
        return self.scale

    @property
    def variance(self) -> Tensor:
        """σ²."""
        return self.stddev.pow(2)

    def sample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """Draws of shape ``sample_shape + batch_shape``, not differentiable."""
        shape = self._extended_shape(sample_shape)
        with no_grad():
            return normal(self.loc.expand(shape), self.scale.expand(shape))

    def rsample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """μ + σ·ε, ε ~ N(0, 1) of shape ``sample_shape + batch_shape``; μ̄ = g, σ̄ = g·ε."""
        shape = self._extended_shape(sample_shape)
        eps = randn(shape, dtype=self.loc.dtype)
        return self.loc + eps * self.scale

    def log_prob(self, value: Tensor) -> Tensor:
        """log p(x) = −(x − μ)²/(2σ²) − log σ − ½ log 2π."""
        if self._validate_args:
            self._validate_sample(value)
        var = self.scale**2
        return (
            -((value - self.loc) ** 2) / (2 * var)
            - self.scale.log()
            - math.log(math.sqrt(2 * math.pi))
        )

    def cdf(self, value: Tensor) -> Tensor:
        """Φ((x − μ)/σ) = ½(1 + erf((x − μ)/(σ√2)))."""
        if self._validate_args:
            self._validate_sample(value)
        return 0.5 * (1 + ((value - self.loc) * self.scale.reciprocal() / math.sqrt(2)).erf())

    def icdf(self, value: Tensor) -> Tensor:
        """μ + σ√2·erf⁻¹(2q − 1), the q-quantile."""
        return self.loc + self.scale * (2 * value - 1).erfinv() * math.sqrt(2)

    def entropy(self) -> Tensor:
        """H = ½ + ½ log 2π + log σ."""
        return 0.5 + 0.5 * math.log(2 * math.pi) + self.scale.log()

    @property
    def _natural_params(self) -> tuple[Tensor, ...]:
        """θ = (μ/σ², −1/(2σ²))."""
        return (self.loc / self.scale.pow(2), -0.5 * self.scale.pow(2).reciprocal())

    def _log_normalizer(self, *natural_params: Tensor) -> Tensor:
        """A(θ) = −θ₁²/(4θ₂) + ½ log(−π/θ₂) (= μ²/(2σ²) + log σ + ½ log 2π, the carrier
        measure's constant included)."""
        x, y = natural_params
        return -0.25 * x.pow(2) / y + 0.5 * (-math.pi / y).log()

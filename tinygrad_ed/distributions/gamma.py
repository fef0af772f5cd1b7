"""``Gamma`` and ``Chi2``, with the implicitly reparameterised sample (``rsample``
differentiable in the concentration).

PyTorch equivalent: ``torch.distributions.Gamma`` and ``torch.distributions.Chi2``;
``_standard_gamma`` is ``torch._standard_gamma``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from .._creation import as_tensor
from .._dtypes import finfo, float64
from .._legacy_types import Size
from .._namespace import xlogy
from ..ops import OPS
from ..special import gammainc
from ..tensor import Tensor, _apply, rand
from . import constraints
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .utils import _NUMBER, broadcast_all

__all__ = ["Chi2", "Gamma"]


def _standard_gamma(concentration: Tensor) -> Tensor:
    """Gamma(α, 1) draws of α's shape: the quantile P⁻¹(α, u) of uniform noise u from the
    global generator, an exact draw. Differentiable in α by implicit reparameterisation,
    ᾱ = −g·∂_αP(α, x)/p(x; α) (the ``standard_gamma`` op), once, as torch's."""
    u = rand(concentration.shape, dtype=float64).numpy()
    return _apply(OPS["standard_gamma"], concentration, u=u)


class Gamma(ExponentialFamily):
    """p(x) = βᵅ x^{α−1} e^{−βx}/Γ(α) on x > 0, α = ``concentration`` > 0, β = ``rate`` > 0.

    ``rsample`` is X/β with X ~ Gamma(α, 1) the quantile of uniform noise: ∂X/∂α is the implicit
    reparameterisation gradient −∂_αP(α, X)/p(X; α) (P the regularised incomplete gamma
    function), the gradient torch's ``_standard_gamma`` approximates (here to ~10⁻¹⁰).
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "concentration": constraints.positive,
        "rate": constraints.positive,
    }
    support = constraints.nonnegative
    has_rsample = True
    _mean_carrier_measure = 0

    def __init__(
        self,
        concentration: Tensor | float,
        rate: Tensor | float,
        validate_args: bool | None = None,
    ) -> None:
        self.concentration, self.rate = broadcast_all(concentration, rate)
        numbers = isinstance(concentration, _NUMBER) and isinstance(rate, _NUMBER)
        super().__init__(() if numbers else self.concentration.shape, validate_args=validate_args)

    def expand(self, batch_shape: Sequence[int], _instance: Gamma | None = None) -> Gamma:
        new = self._get_checked_instance(Gamma, _instance)
        batch_shape = Size(batch_shape)
        new.concentration = self.concentration.expand(batch_shape)
        new.rate = self.rate.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        """α/β."""
        return self.concentration / self.rate

    @property
    def mode(self) -> Tensor:
        """max((α − 1)/β, 0)."""
        return ((self.concentration - 1) / self.rate).clamp(min=0)

    @property
    def variance(self) -> Tensor:
        """α/β²."""
        return self.concentration / self.rate.pow(2)

    def rsample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """X/β, X ~ Gamma(α, 1) (implicitly reparameterised), at least the dtype's tiny."""
        shape = self._extended_shape(sample_shape)
        value = _standard_gamma(self.concentration.expand(shape)) / self.rate.expand(shape)
        return value.clamp(min=finfo(value.dtype).tiny)

    def log_prob(self, value: Tensor | float) -> Tensor:
        """α log β + (α − 1) log x − βx − log Γ(α)."""
        value = as_tensor(value, dtype=self.rate.dtype)
        if self._validate_args:
            self._validate_sample(value)
        return (
            xlogy(self.concentration, self.rate)
            + xlogy(self.concentration - 1, value)
            - self.rate * value
            - self.concentration.lgamma()
        )

    def entropy(self) -> Tensor:
        """H = α − log β + log Γ(α) + (1 − α)ψ(α)."""
        return (
            self.concentration
            - self.rate.log()
            + self.concentration.lgamma()
            + (1.0 - self.concentration) * self.concentration.digamma()
        )

    @property
    def _natural_params(self) -> tuple[Tensor, ...]:
        """θ = (α − 1, −β)."""
        return (self.concentration - 1, -self.rate)

    def _log_normalizer(self, *natural_params: Tensor) -> Tensor:
        """A(θ) = log Γ(θ₁ + 1) + (θ₁ + 1) log(−1/θ₂)."""
        x, y = natural_params
        return (x + 1).lgamma() + (x + 1) * (-y.reciprocal()).log()

    def cdf(self, value: Tensor) -> Tensor:
        """P(α, βx) (differentiable in β and x; in α it raises, as torch's)."""
        if self._validate_args:
            self._validate_sample(value)
        return gammainc(self.concentration, self.rate * value)


class Chi2(Gamma):
    """χ²(k) = Gamma(k/2, ½), k = ``df`` > 0 degrees of freedom."""

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {"df": constraints.positive}

    def __init__(self, df: Tensor | float, validate_args: bool | None = None) -> None:
        super().__init__(0.5 * df, 0.5, validate_args=validate_args)

    def expand(self, batch_shape: Sequence[int], _instance: Gamma | None = None) -> Chi2:
        new = self._get_checked_instance(Chi2, _instance)
        super().expand(batch_shape, new)
        return new  # type: ignore[return-value]

    @property
    def df(self) -> Tensor:
        """k = 2α."""
        return self.concentration * 2

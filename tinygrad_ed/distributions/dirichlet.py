"""``Dirichlet``: a random probability vector, with a reparameterised sample.

PyTorch equivalent: ``torch.distributions.Dirichlet``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from .._dtypes import finfo
from .._legacy_types import Size
from .._namespace import xlogy
from ..functional import one_hot
from ..tensor import Tensor, where
from . import constraints
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .gamma import _standard_gamma

__all__ = ["Dirichlet"]


class Dirichlet(ExponentialFamily):
    """p(x) = Γ(Σα)/ΠΓ(αₖ) · Πₖ xₖ^{αₖ−1} on the simplex, α = ``concentration`` > 0 (last dim
    the event).

    ``rsample`` is G/ΣG with Gₖ ~ Gamma(αₖ, 1) implicitly reparameterised: an unbiased
    reparameterisation gradient, but not torch's (torch differentiates the Dirichlet's own
    cdf, ``_dirichlet_grad``): per draw the gradients differ, their expectations agree.

    An ExponentialFamily without ``_mean_carrier_measure``, as torch's: its Bregman KL works,
    ``ExponentialFamily.entropy`` raises NotImplementedError.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "concentration": constraints.independent(constraints.positive, 1)
    }
    support = constraints.simplex
    has_rsample = True

    def __init__(self, concentration: Tensor, validate_args: bool | None = None) -> None:
        if concentration.dim() < 1:
            raise ValueError("`concentration` parameter must be at least one-dimensional.")
        self.concentration = concentration
        super().__init__(
            concentration.shape[:-1], concentration.shape[-1:], validate_args=validate_args
        )

    def expand(self, batch_shape: Sequence[int], _instance: Dirichlet | None = None) -> Dirichlet:
        new = self._get_checked_instance(Dirichlet, _instance)
        batch_shape = Size(batch_shape)
        new.concentration = self.concentration.expand(batch_shape + self.event_shape)
        Distribution.__init__(new, batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def rsample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """G/ΣG, Gₖ ~ Gamma(αₖ, 1) (each at least the dtype's tiny, as torch's)."""
        shape = self._extended_shape(sample_shape)
        gammas = _standard_gamma(self.concentration.expand(shape))
        gammas = gammas.clamp(min=finfo(gammas.dtype).tiny)
        return gammas / gammas.sum(-1, keepdim=True)

    def log_prob(self, value: Tensor) -> Tensor:
        """Σₖ(αₖ − 1) log xₖ + log Γ(Σα) − Σ log Γ(αₖ)."""
        if self._validate_args:
            self._validate_sample(value)
        return (
            xlogy(self.concentration - 1.0, value).sum(-1)
            + self.concentration.sum(-1).lgamma()
            - self.concentration.lgamma().sum(-1)
        )

    @property
    def mean(self) -> Tensor:
        """α/Σα."""
        return self.concentration / self.concentration.sum(-1, True)

    @property
    def mode(self) -> Tensor:
        """(α − 1)₊/Σ(α − 1)₊; where every αₖ < 1 (the density peaks at the vertices), the
        vertex of the largest αₖ, as torch."""
        concentrationm1 = (self.concentration - 1).clamp(min=0.0)
        mode = concentrationm1 / concentrationm1.sum(-1, True)
        mask = (self.concentration < 1).all(dim=-1, keepdim=True)
        vertex = one_hot(mode.argmax(dim=-1), concentrationm1.shape[-1]).to(mode.dtype)
        return where(mask, vertex, mode)

    @property
    def variance(self) -> Tensor:
        """αₖ(α₀ − αₖ)/(α₀²(α₀ + 1)), α₀ = Σα."""
        con0 = self.concentration.sum(-1, True)
        return self.concentration * (con0 - self.concentration) / (con0.pow(2) * (con0 + 1))

    def entropy(self) -> Tensor:
        """H = Σ log Γ(αₖ) − log Γ(α₀) − (K − α₀)ψ(α₀) − Σ(αₖ − 1)ψ(αₖ)."""
        k = self.concentration.shape[-1]
        a0 = self.concentration.sum(-1)
        return (
            self.concentration.lgamma().sum(-1)
            - a0.lgamma()
            - (k - a0) * a0.digamma()
            - ((self.concentration - 1.0) * self.concentration.digamma()).sum(-1)
        )

    @property
    def _natural_params(self) -> tuple[Tensor, ...]:
        """θ = α (the statistics' own θ is α − 1; the shift leaves the Bregman divergence
        unchanged, as torch's)."""
        return (self.concentration,)

    def _log_normalizer(self, *natural_params: Tensor) -> Tensor:
        """A(θ) = Σ log Γ(θₖ) − log Γ(Σθₖ)."""
        (x,) = natural_params
        return x.lgamma().sum(-1) - x.sum(-1).lgamma()

"""``VonMises``: the circular normal distribution of an angle.

PyTorch equivalent: ``torch.distributions.VonMises``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from .._dtypes import float64
from .._legacy_types import Size
from ..grad_mode import no_grad
from ..special import i0e, i1e
from ..tensor import Tensor, rand, where, zeros
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["VonMises"]


def _log_i0(x: Tensor) -> Tensor:
    """log I₀(x) = log(e^{−x}I₀(x)) + x, without overflow (x ≥ 0)."""
    return i0e(x).log() + x


def _rejection_sample(loc: Tensor, concentration: Tensor, proposal_r: Tensor, x: Tensor) -> Tensor:
    """Best & Fisher's (1979) wrapped-Cauchy rejection sampler, as torch's: each round draws
    three uniforms per pending entry, f = (1 + rz)/(r + z) with z = cos πu₁, and accepts
    where c(2 − c) > u₂ or log(c/u₂) + 1 ≥ c, c = κ(r − f); the angle is ±acos f, shifted by
    the location and wrapped into [−π, π)."""
    done = zeros(x.shape, dtype=bool)
    while not bool(done.all()):
        u1, u2, u3 = rand((3, *x.shape), dtype=loc.dtype).unbind()
        z = (math.pi * u1).cos()
        f = (1 + proposal_r * z) / (proposal_r + z)
        c = concentration * (proposal_r - f)
        accept = ((c * (2 - c) - u2) > 0) | ((c / u2).log() + 1 - c >= 0)
        x = where(accept & ~done, (u3 - 0.5).sign() * f.acos(), x)
        done = done | accept
    return (x + math.pi + loc).remainder(2 * math.pi) - math.pi


class VonMises(Distribution):
    """p(θ) = e^{κ cos(θ − μ)}/(2π I₀(κ)) on the circle, μ = ``loc``, κ = ``concentration``
    > 0 (I₀ the modified Bessel function).

    The Bessel functions here are exact (``special.i0e``/``i1e``); torch 2.13 uses
    Abramowitz–Stegun polynomials, good to ~10⁻⁷, so its log_prob differs in that digit.
    ``sample`` is torch's rejection sampler; there is no ``rsample``, as in torch.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "loc": constraints.real,
        "concentration": constraints.positive,
    }
    support = constraints.real
    has_rsample = False

    def __init__(
        self,
        loc: Tensor | float,
        concentration: Tensor | float,
        validate_args: bool | None = None,
    ) -> None:
        self.loc, self.concentration = broadcast_all(loc, concentration)
        super().__init__(self.loc.shape, (), validate_args)

    def expand(self, batch_shape: Sequence[int], _instance: VonMises | None = None) -> VonMises:
        new = self._get_checked_instance(VonMises, _instance)
        batch_shape = Size(batch_shape)
        new.loc = self.loc.expand(batch_shape)
        new.concentration = self.concentration.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def log_prob(self, value: Tensor) -> Tensor:
        """κ cos(θ − μ) − log 2π − log I₀(κ)."""
        if self._validate_args:
            self._validate_sample(value)
        log_prob = self.concentration * (value - self.loc).cos()
        return log_prob - math.log(2 * math.pi) - _log_i0(self.concentration)

    def _proposal_r(self, kappa: Tensor) -> Tensor:
        """The wrapped Cauchy's r = (1 + ρ²)/(2ρ), ρ = (τ − √(2τ))/(2κ), τ = 1 + √(1 + 4κ²)
        (1/κ + κ below κ = 10⁻⁵, where ρ loses its digits)."""
        tau = 1 + (1 + 4 * kappa**2).sqrt()
        rho = (tau - (2 * tau).sqrt()) / (2 * kappa)
        proposal_r = (1 + rho**2) / (2 * rho)
        return where(kappa < 1e-5, 1 / kappa + kappa, proposal_r)

    def sample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """Angles in [−π, π) of shape ``sample_shape + batch_shape``, computed in float64."""
        shape = self._extended_shape(sample_shape)
        with no_grad():
            loc, kappa = self.loc.to(float64), self.concentration.to(float64)
            x = zeros(shape, dtype=float64)
            return _rejection_sample(loc, kappa, self._proposal_r(kappa), x).to(self.loc.dtype)

    @property
    def mean(self) -> Tensor:
        """μ (the circular mean)."""
        return self.loc

    @property
    def mode(self) -> Tensor:
        """μ."""
        return self.loc

    @property
    def variance(self) -> Tensor:
        """The circular variance 1 − I₁(κ)/I₀(κ)."""
        return 1 - i1e(self.concentration) / i0e(self.concentration)

    def entropy(self) -> Tensor:
        """H = log(2π I₀(κ)) − κ I₁(κ)/I₀(κ) (torch 2.13 has no entropy for VonMises)."""
        kappa = self.concentration
        return math.log(2 * math.pi) + _log_i0(kappa) - kappa * i1e(kappa) / i0e(kappa)

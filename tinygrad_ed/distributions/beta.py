"""``Beta``: a random probability, the two-class Dirichlet.

PyTorch equivalent: ``torch.distributions.Beta``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from .._legacy_types import Size
from ..tensor import Tensor, stack, tensor
from . import constraints
from .dirichlet import Dirichlet
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .utils import _NUMBER, broadcast_all

__all__ = ["Beta"]


class Beta(ExponentialFamily):
    """p(x) = x^{a−1}(1 − x)^{b−1}/B(a, b) on [0, 1], a = ``concentration1``, b =
    ``concentration0`` (> 0): Dirichlet([a, b]) read at its first coordinate, which gives the
    samples (``rsample`` reparameterised), the density and the entropy.

    An ExponentialFamily without ``_mean_carrier_measure``, as torch's: its Bregman KL works,
    ``ExponentialFamily.entropy`` raises NotImplementedError.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "concentration1": constraints.positive,
        "concentration0": constraints.positive,
    }
    support = constraints.unit_interval
    has_rsample = True

    def __init__(
        self,
        concentration1: Tensor | float,
        concentration0: Tensor | float,
        validate_args: bool | None = None,
    ) -> None:
        if isinstance(concentration1, _NUMBER) and isinstance(concentration0, _NUMBER):
            both = tensor([float(concentration1), float(concentration0)])
        else:
            c1, c0 = broadcast_all(concentration1, concentration0)
            both = stack([c1, c0], -1)
        self._dirichlet = Dirichlet(both, validate_args=validate_args)
        super().__init__(self._dirichlet._batch_shape, validate_args=validate_args)

    def expand(self, batch_shape: Sequence[int], _instance: Beta | None = None) -> Beta:
        new = self._get_checked_instance(Beta, _instance)
        batch_shape = Size(batch_shape)
        new._dirichlet = self._dirichlet.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        """a/(a + b)."""
        return self.concentration1 / (self.concentration1 + self.concentration0)

    @property
    def mode(self) -> Tensor:
        """The Dirichlet's mode, first coordinate."""
        return self._dirichlet.mode[..., 0]

    @property
    def variance(self) -> Tensor:
        """ab/((a + b)²(a + b + 1))."""
        total = self.concentration1 + self.concentration0
        return self.concentration1 * self.concentration0 / (total.pow(2) * (total + 1))

    def rsample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """X/(X + Y), X ~ Gamma(a, 1), Y ~ Gamma(b, 1), implicitly reparameterised."""
        return self._dirichlet.rsample(sample_shape).select(-1, 0)

    def log_prob(self, value: Tensor) -> Tensor:
        """The Dirichlet's log density at (x, 1 − x)."""
        if self._validate_args:
            self._validate_sample(value)
        return self._dirichlet.log_prob(stack([value, 1.0 - value], -1))

    def entropy(self) -> Tensor:
        """The Dirichlet's entropy."""
        return self._dirichlet.entropy()

    @property
    def _natural_params(self) -> tuple[Tensor, ...]:
        """θ = (a, b) (the statistics' own θ is (a − 1, b − 1); the shift leaves the Bregman
        divergence unchanged, as torch's)."""
        return (self.concentration1, self.concentration0)

    def _log_normalizer(self, *natural_params: Tensor) -> Tensor:
        """A(θ) = log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b)."""
        x, y = natural_params
        return x.lgamma() + y.lgamma() - (x + y).lgamma()

    @property
    def concentration1(self) -> Tensor:
        """a."""
        return self._dirichlet.concentration[..., 0]

    @property
    def concentration0(self) -> Tensor:
        """b."""
        return self._dirichlet.concentration[..., 1]

"""``Poisson``: counts of events arriving at rate λ.

PyTorch equivalent: ``torch.distributions.Poisson``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from .._legacy_types import Size
from .._sampling import poisson
from ..grad_mode import no_grad
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .utils import _NUMBER, broadcast_all

__all__ = ["Poisson"]


class Poisson(ExponentialFamily):
    """P(X = k) = λᵏe^{−λ}/k! for k = 0, 1, 2, …, λ = ``rate`` ≥ 0.

    No entropy: torch has no closed form either, and ExponentialFamily's Bregman form would
    need E[log h(X)] = −E[log X!], which torch does not give (``_mean_carrier_measure``), so
    ``entropy()`` raises NotImplementedError, as torch's.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {"rate": constraints.nonnegative}
    support = constraints.nonnegative_integer

    def __init__(self, rate: Tensor | float, validate_args: bool | None = None) -> None:
        (self.rate,) = broadcast_all(rate)
        batch_shape = () if isinstance(rate, _NUMBER) else self.rate.shape
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape: Sequence[int], _instance: Poisson | None = None) -> Poisson:
        new = self._get_checked_instance(Poisson, _instance)
        batch_shape = Size(batch_shape)
        new.rate = self.rate.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        """λ."""
        return self.rate

    @property
    def mode(self) -> Tensor:
        """⌊λ⌋."""
        return self.rate.floor()

    @property
    def variance(self) -> Tensor:
        """λ."""
        return self.rate

    def sample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """Counts (the rate's dtype) of shape ``sample_shape + batch_shape``."""
        shape = self._extended_shape(sample_shape)
        with no_grad():
            return poisson(self.rate.expand(shape))

    def log_prob(self, value: Tensor) -> Tensor:
        """k log λ − λ − log k! (k log λ = 0 at k = 0, λ = 0)."""
        if self._validate_args:
            self._validate_sample(value)
        rate, value = broadcast_all(self.rate, value)
        return value.xlogy(rate) - rate - (value + 1).lgamma()

    @property
    def _natural_params(self) -> tuple[Tensor, ...]:
        """θ = log λ."""
        return (self.rate.log(),)

    def _log_normalizer(self, *natural_params: Tensor) -> Tensor:
        """A(θ) = e^θ."""
        (x,) = natural_params
        return x.exp()

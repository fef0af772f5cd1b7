"""``Laplace``: the double exponential around loc.

PyTorch equivalent: ``torch.distributions.Laplace``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from .._creation import empty
from .._dtypes import finfo
from .._legacy_types import Size
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["Laplace"]


class Laplace(Distribution):
    """p(x) = e^{−|x − μ|/b}/(2b), μ = ``loc``, b = ``scale`` > 0 (Tensors or numbers).

    ``rsample`` is μ − b·sign(u)·log(1 − |u|), u ~ U(−1, 1) independent of the parameters.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "loc": constraints.real,
        "scale": constraints.positive,
    }
    support = constraints.real
    has_rsample = True

    def __init__(
        self, loc: Tensor | float, scale: Tensor | float, validate_args: bool | None = None
    ) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        numbers = not isinstance(loc, Tensor) and not isinstance(scale, Tensor)
        super().__init__(() if numbers else self.loc.shape, validate_args=validate_args)

    def expand(self, batch_shape: Sequence[int], _instance: Laplace | None = None) -> Laplace:
        new = self._get_checked_instance(Laplace, _instance)
        batch_shape = Size(batch_shape)
        new.loc = self.loc.expand(batch_shape)
        new.scale = self.scale.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        """μ."""
        return self.loc

    @property
    def mode(self) -> Tensor:
        """μ."""
        return self.loc

    @property
    def variance(self) -> Tensor:
        """2b²."""
        return 2 * self.scale.pow(2)

    @property
    def stddev(self) -> Tensor:
        """√2·b."""
        return (2**0.5) * self.scale

    def rsample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """μ − b·sign(u)·log(1 − |u|), u ~ U(ε − 1, 1) (ε keeps |u| < 1, as torch's)."""
        shape = self._extended_shape(sample_shape)
        u = empty(shape, dtype=self.loc.dtype).uniform_(finfo(self.loc.dtype).eps - 1, 1)
        return self.loc - self.scale * u.sign() * (-u.abs()).log1p()

    def log_prob(self, value: Tensor) -> Tensor:
        """−log 2b − |x − μ|/b."""
        if self._validate_args:
            self._validate_sample(value)
        return -(2 * self.scale).log() - (value - self.loc).abs() / self.scale

    def cdf(self, value: Tensor) -> Tensor:
        """½ − ½·sign(x − μ)·(e^{−|x − μ|/b} − 1)."""
        if self._validate_args:
            self._validate_sample(value)
        d = value - self.loc
        return 0.5 - 0.5 * d.sign() * (-d.abs() / self.scale).expm1()

    def icdf(self, value: Tensor) -> Tensor:
        """μ − b·sign(q − ½)·log(1 − 2|q − ½|)."""
        term = value - 0.5
        return self.loc - self.scale * term.sign() * (-2 * term.abs()).log1p()

    def entropy(self) -> Tensor:
        """H = 1 + log 2b."""
        return 1 + (2 * self.scale).log()

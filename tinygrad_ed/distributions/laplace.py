"""``Laplace``: the double exponential around loc.

PyTorch equivalent: ``torch.distributions.Laplace``.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._creation import empty
from .._dtypes import finfo
from ..tensor import Tensor
from ._loc_scale import LocScale

__all__ = ["Laplace"]


class Laplace(LocScale):
    """p(x) = e^{−|x − μ|/b}/(2b), μ = ``loc``, b = ``scale`` > 0 (Tensors or numbers).

    ``rsample`` is μ − b·sign(u)·log(1 − |u|), u ~ U(−1, 1) independent of the parameters.
    """

    def expand(self, batch_shape: Sequence[int], _instance: Laplace | None = None) -> Laplace:
        return self._expand(Laplace, batch_shape, _instance)

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

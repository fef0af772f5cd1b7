"""``Geometric``: the number of failures before the first success of a p-coin.

PyTorch equivalent: ``torch.distributions.Geometric``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from .._creation import empty
from .._dtypes import finfo
from .._legacy_types import Size
from ..functional import binary_cross_entropy_with_logits
from ..grad_mode import no_grad
from ..tensor import Tensor, where, zeros_like
from . import constraints
from ._probs_logits import BinaryProbsLogits, expand_given
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["Geometric"]


class Geometric(BinaryProbsLogits, Distribution):
    """P(X = k) = (1 − p)ᵏ p for k = 0, 1, 2, …, given ``probs`` p ∈ (0, 1] or ``logits``
    z (p = σ(z))."""

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "probs": constraints.unit_interval,
        "logits": constraints.real,
    }
    support = constraints.nonnegative_integer

    def __init__(
        self,
        probs: Tensor | float | None = None,
        logits: Tensor | float | None = None,
        validate_args: bool | None = None,
    ) -> None:
        (param,) = self._set_given(probs, logits)
        super().__init__(param.shape, validate_args=validate_args)
        if self._validate_args and probs is not None:
            valid = self.probs > 0  # p = 0 never succeeds: beyond unit_interval's check
            if not bool(valid.all()):
                raise ValueError(
                    f"Expected parameter probs ({type(self.probs).__name__} of shape "
                    f"{tuple(self.probs.shape)}) of distribution {self!r} to be positive but "
                    f"found invalid values:\n{self.probs.detach()[~valid]}"
                )

    def expand(self, batch_shape: Sequence[int], _instance: Geometric | None = None) -> Geometric:
        new = self._get_checked_instance(Geometric, _instance)
        batch_shape = Size(batch_shape)
        expand_given(self, new, batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        """1/p − 1."""
        return 1.0 / self.probs - 1.0

    @property
    def mode(self) -> Tensor:
        """0."""
        return zeros_like(self.probs)

    @property
    def variance(self) -> Tensor:
        """(1/p − 1)/p."""
        return (1.0 / self.probs - 1.0) / self.probs

    def sample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """⌊log u / log(1 − p)⌋, u ~ U(tiny, 1): the inverse cdf of a uniform."""
        shape = self._extended_shape(sample_shape)
        with no_grad():
            u = empty(shape, dtype=self.probs.dtype).uniform_(finfo(self.probs.dtype).tiny, 1)
            return (u.log() / (-self.probs).log1p()).floor()

    def log_prob(self, value: Tensor) -> Tensor:
        """k log(1 − p) + log p (with 0·log 0 = 0 at p = 1, k = 0)."""
        if self._validate_args:
            self._validate_sample(value)
        value, probs = broadcast_all(value, self.probs)
        probs = where((probs == 1) & (value == 0), 0.0, probs)
        return value * (-probs).log1p() + self.probs.log()

    def entropy(self) -> Tensor:
        """H = (−p log p − (1 − p) log(1 − p))/p = BCEWithLogits(z, p)/p."""
        return (
            binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none") / self.probs
        )

"""``Binomial``: the number of successes in ``total_count`` tosses of a p-coin.

PyTorch equivalent: ``torch.distributions.Binomial``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from .._legacy_types import Size
from .._sampling import binomial
from ..grad_mode import no_grad
from ..tensor import Tensor, arange
from . import constraints
from ._probs_logits import BinaryProbsLogits, expand_given
from .distribution import Distribution

__all__ = ["Binomial"]


def _clamp_by_zero(x: Tensor) -> Tensor:
    """max(x, 0), with derivative ½ at 0 (torch's choice there)."""
    return (x.clamp(min=0) + x - x.clamp(max=0)) / 2


class Binomial(BinaryProbsLogits, Distribution):
    """P(X = k) = C(n, k) pᵏ(1 − p)ⁿ⁻ᵏ for k = 0, …, n; n = ``total_count`` (a whole number
    ≥ 0, a Tensor or an int, broadcast with the parameter), p from ``probs`` or ``logits``.

    ``log_prob`` is written from the logits, k·z − n·max(z, 0) − n·log(1 + e^{−|z|}) +
    log C(n, k), which neither overflows nor takes log 0.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "total_count": constraints.nonnegative_integer,
        "probs": constraints.unit_interval,
        "logits": constraints.real,
    }
    has_enumerate_support = True

    def __init__(
        self,
        total_count: Tensor | int = 1,
        probs: Tensor | None = None,
        logits: Tensor | None = None,
        validate_args: bool | None = None,
    ) -> None:
        count, param = self._set_given(probs, logits, total_count)
        self.total_count = count.type_as(param)
        super().__init__(param.shape, validate_args=validate_args)

    def expand(self, batch_shape: Sequence[int], _instance: Binomial | None = None) -> Binomial:
        new = self._get_checked_instance(Binomial, _instance)
        batch_shape = Size(batch_shape)
        new.total_count = self.total_count.expand(batch_shape)
        expand_given(self, new, batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @constraints.dependent_property(is_discrete=True, event_dim=0)
    def support(self) -> constraints.Constraint:
        """{0, 1, …, n}."""
        return constraints.integer_interval(0, self.total_count)

    @property
    def mean(self) -> Tensor:
        """np."""
        return self.total_count * self.probs

    @property
    def mode(self) -> Tensor:
        """⌊(n + 1)p⌋, at most n."""
        return ((self.total_count + 1) * self.probs).floor().clamp(max=self.total_count)

    @property
    def variance(self) -> Tensor:
        """np(1 − p)."""
        return self.total_count * self.probs * (1 - self.probs)

    @property
    def param_shape(self) -> Size:
        return Size(self._param.shape)

    def sample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """Counts (the parameter's dtype) of shape ``sample_shape + batch_shape``."""
        shape = self._extended_shape(sample_shape)
        with no_grad():
            return binomial(self.total_count.expand(shape), self.probs.expand(shape))

    def log_prob(self, value: Tensor) -> Tensor:
        """log n! − log k! − log (n − k)! + k·z − n·max(z, 0) − n·log(1 + e^{−|z|})."""
        if self._validate_args:
            self._validate_sample(value)
        log_factorial_n = (self.total_count + 1).lgamma()
        log_factorial_k = (value + 1).lgamma()
        log_factorial_nmk = (self.total_count - value + 1).lgamma()
        normalize_term = (
            self.total_count * _clamp_by_zero(self.logits)
            + self.total_count * (-self.logits.abs()).exp().log1p()
            - log_factorial_n
        )
        return value * self.logits - log_factorial_k - log_factorial_nmk - normalize_term

    def entropy(self) -> Tensor:
        """H = −Σₖ P(k) log P(k) over the support (one n for the whole batch)."""
        total_count = int(self.total_count.max())
        if not bool(self.total_count.min() == total_count):
            raise NotImplementedError("Inhomogeneous total count not supported by `entropy`.")
        log_prob = self.log_prob(self.enumerate_support(False))
        return -(log_prob.exp() * log_prob).sum(0)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """0, 1, …, n along dim 0 (the parameter's dtype)."""
        total_count = int(self.total_count.max())
        if not bool(self.total_count.min() == total_count):
            raise NotImplementedError(
                "Inhomogeneous total count not supported by `enumerate_support`."
            )
        values = arange(1 + total_count, dtype=self._param.dtype)
        values = values.view((-1,) + (1,) * len(self._batch_shape))
        if expand:
            values = values.expand((-1, *self._batch_shape))
        return values

"""``Multinomial``: the class counts of ``total_count`` independent Categorical draws.

PyTorch equivalent: ``torch.distributions.Multinomial``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from .._legacy_types import Size
from ..tensor import Tensor, ones_like, where, zeros
from . import constraints
from .binomial import Binomial
from .categorical import Categorical
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["Multinomial"]


class Multinomial(Distribution):
    """P(X = x) = n!/Πₖxₖ! · Πₖpₖ^{xₖ} for count vectors x with Σxₖ = n; n = ``total_count``
    (one int for the whole batch), p the last dim of ``probs`` (normalised) or
    ``softmax(logits)``.

    ``log_prob`` reads n from the value (Σxₖ), so a Multinomial made without ``total_count``
    scores counts of any total, as torch's; ``sample`` and ``entropy`` use ``total_count``.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "probs": constraints.simplex,
        "logits": constraints.real_vector,
    }
    total_count: int

    def __init__(
        self,
        total_count: int = 1,
        probs: Tensor | None = None,
        logits: Tensor | None = None,
        validate_args: bool | None = None,
    ) -> None:
        if not isinstance(total_count, int):
            raise NotImplementedError("inhomogeneous total_count is not supported")
        self.total_count = total_count
        self._categorical = Categorical(probs=probs, logits=logits)
        self._binomial = Binomial(total_count=total_count, probs=self.probs)
        batch_shape = self._categorical.batch_shape
        event_shape = self._categorical.param_shape[-1:]
        super().__init__(batch_shape, event_shape, validate_args=validate_args)

    def expand(
        self, batch_shape: Sequence[int], _instance: Multinomial | None = None
    ) -> Multinomial:
        new = self._get_checked_instance(Multinomial, _instance)
        batch_shape = Size(batch_shape)
        new.total_count = self.total_count
        new._categorical = self._categorical.expand(batch_shape)
        new._binomial = Binomial(total_count=self.total_count, probs=new.probs)
        Distribution.__init__(new, batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @constraints.dependent_property(is_discrete=True, event_dim=1)
    def support(self) -> constraints.Constraint:
        """Count vectors summing to at most n."""
        return constraints.multinomial(self.total_count)

    @property
    def logits(self) -> Tensor:
        """The normalised log-probabilities."""
        return self._categorical.logits

    @property
    def probs(self) -> Tensor:
        """The class probabilities."""
        return self._categorical.probs

    @property
    def param_shape(self) -> Size:
        return self._categorical.param_shape

    @property
    def mean(self) -> Tensor:
        """np."""
        return self.probs * self.total_count

    @property
    def variance(self) -> Tensor:
        """np(1 − p) (the diagonal of the covariance)."""
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """Counts (the probabilities' dtype) of shape ``sample_shape + batch_shape + (K,)``:
        n Categorical draws per sample, tallied."""
        sample_shape = Size(sample_shape)
        draws = self._categorical.sample(Size((self.total_count,)) + sample_shape)
        draws = draws.permute((*range(1, draws.dim()), 0))  # the n draws last
        counts = zeros(self._extended_shape(sample_shape), dtype=draws.dtype)
        counts = counts.scatter_add(-1, draws, ones_like(draws))
        return counts.type_as(self.probs)

    def entropy(self) -> Tensor:
        """H = n·H(p) − log n! + Σₖ E[log Xₖ!], each Xₖ ~ Binomial(n, pₖ) (the sum over the
        binomial support 1, …, n)."""
        n = self.total_count
        term1 = n * self._categorical.entropy() - math.lgamma(n + 1)
        support = self._binomial.enumerate_support(expand=False)[1:]
        binomial_probs = self._binomial.log_prob(support).exp()
        weights = (support + 1).lgamma()
        term2 = (binomial_probs * weights).sum((0, -1))
        return term1 + term2

    def log_prob(self, value: Tensor) -> Tensor:
        """log(Σxₖ)! − Σₖ log xₖ! + Σₖ xₖ log pₖ (a class with pₖ = 0 and xₖ = 0 adds 0)."""
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        log_factorial_n = (value.sum(-1) + 1).lgamma()
        log_factorial_xs = (value + 1).lgamma().sum(-1)
        logits = where((value == 0) & (logits == -math.inf), 0.0, logits)
        log_powers = (logits * value).sum(-1)
        return log_factorial_n - log_factorial_xs + log_powers

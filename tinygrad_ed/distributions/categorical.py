"""``Categorical``: a draw of one of K classes, the lecture's randomized prediction.

PyTorch equivalent: ``torch.distributions.Categorical``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from .._dtypes import finfo
from .._legacy_types import Size
from .._namespace import broadcast_tensors
from ..tensor import Tensor, arange, full, multinomial
from . import constraints
from ._probs_logits import check_one_given, expand_given
from .distribution import Distribution
from .utils import lazy_property, logits_to_probs, probs_to_logits

__all__ = ["Categorical"]


class Categorical(Distribution):
    """P(X = k) = pₖ for k = 0, …, K − 1, with p the last dim of ``probs`` (normalised to sum
    to 1: nonnegative weights will do) or ``softmax(logits)``; the other dims are the batch.

    ``logits`` are kept normalised as log-probabilities, ``logits − logsumexp(logits)``, so
    ``log_prob(k) = logitsₖ`` and its gradient through them is e_k − p, the lecture's
    ∂(log softmax)/∂z. Given ``probs``, ``logits = log(clamp(p, ε, 1 − ε))``.

    ``Categorical(logits=W @ x).sample()`` is the lecture's randomized prediction; the
    REINFORCE estimate of ∇E[R] is ``(log_prob(a) * R(a)).mean()``'s gradient over draws a.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "probs": constraints.simplex,
        "logits": constraints.real_vector,
    }
    has_enumerate_support = True

    def __init__(
        self,
        probs: Tensor | None = None,
        logits: Tensor | None = None,
        validate_args: bool | None = None,
    ) -> None:
        check_one_given(probs, logits)
        if probs is not None:
            if probs.dim() < 1:
                raise ValueError("`probs` parameter must be at least one-dimensional.")
            self.probs = probs / probs.sum(-1, keepdim=True)
            self._param = self.probs
        else:
            assert logits is not None
            if logits.dim() < 1:
                raise ValueError("`logits` parameter must be at least one-dimensional.")
            self.logits = logits - logits.logsumexp(dim=-1, keepdim=True)
            self._param = self.logits
        self._num_events = self._param.shape[-1]
        super().__init__(self._param.shape[:-1], validate_args=validate_args)

    def expand(
        self, batch_shape: Sequence[int], _instance: Categorical | None = None
    ) -> Categorical:
        new = self._get_checked_instance(Categorical, _instance)
        batch_shape = Size(batch_shape)
        expand_given(self, new, (*batch_shape, self._num_events))
        new._num_events = self._num_events
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @constraints.dependent_property(is_discrete=True, event_dim=0)
    def support(self) -> constraints.Constraint:
        """{0, 1, …, K − 1}."""
        return constraints.integer_interval(0, self._num_events - 1)

    @lazy_property
    def logits(self) -> Tensor:
        """The normalised log-probabilities log pₖ."""
        return probs_to_logits(self.probs)

    @lazy_property
    def probs(self) -> Tensor:
        """The probabilities pₖ = softmax(logits)ₖ."""
        return logits_to_probs(self.logits)

    @property
    def param_shape(self) -> Size:
        """The shape of the given parameter, ``batch_shape + (K,)``."""
        return Size(self._param.shape)

    @property
    def mean(self) -> Tensor:
        """nan: the classes are labels, not numbers (torch's choice)."""
        return full(self._extended_shape(), math.nan, dtype=self.probs.dtype)

    @property
    def mode(self) -> Tensor:
        """argmaxₖ pₖ: the lecture's deterministic prediction."""
        return self.probs.argmax(dim=-1)

    @property
    def variance(self) -> Tensor:
        """nan, as the mean."""
        return full(self._extended_shape(), math.nan, dtype=self.probs.dtype)

    def sample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """Class indices (int64) of shape ``sample_shape + batch_shape``, drawn with
        replacement by ``multinomial`` from the global generator."""
        sample_shape = Size(sample_shape)
        probs_2d = self.probs.detach().reshape(-1, self._num_events)
        samples_2d = multinomial(probs_2d, sample_shape.numel(), True).T
        return samples_2d.reshape(self._extended_shape(sample_shape))

    def log_prob(self, value: Tensor) -> Tensor:
        """log p_value = logits[..., value], broadcast with the batch.

        ``out = logits_v``; ``logits̄_k = g·[k = v]`` (through the normalisation: ``z̄ = g·(e_v
        − p)``)."""
        if self._validate_args:
            self._validate_sample(value)
        index = value.long().unsqueeze(-1)
        index, log_pmf = broadcast_tensors(index, self.logits)
        return log_pmf.gather(-1, index[..., :1]).squeeze(-1)

    def entropy(self) -> Tensor:
        """H = −Σₖ pₖ log pₖ (a class of probability 0 adds 0: its −inf logit is clamped to
        the dtype's lowest finite value first)."""
        logits = self.logits.clamp(min=finfo(self.logits.dtype).min)
        return -(logits * self.probs).sum(-1)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """0, 1, …, K − 1 along dim 0, of shape ``(K,) + batch_shape`` (or with the batch
        dims of size 1 for ``expand=False``)."""
        values = arange(self._num_events).view((-1,) + (1,) * len(self._batch_shape))
        if expand:
            values = values.expand((-1, *self._batch_shape))
        return values

"""``NegativeBinomial``: the number of successes before ``total_count`` failures of a p-coin.

PyTorch equivalent: ``torch.distributions.NegativeBinomial``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from .._legacy_types import Size
from .._sampling import poisson
from ..functional import logsigmoid
from ..grad_mode import no_grad
from ..tensor import Tensor, where
from . import constraints
from ._probs_logits import BinaryProbsLogits, expand_given
from .distribution import Distribution
from .gamma import Gamma
from .utils import lazy_property

__all__ = ["NegativeBinomial"]


class NegativeBinomial(BinaryProbsLogits, Distribution):
    """P(X = k) = Γ(r + k)/(Γ(r) k!) · pᵏ(1 − p)ʳ for k = 0, 1, …; r = ``total_count`` ≥ 0
    (real), p from ``probs`` ∈ [0, 1) or ``logits`` z (p = σ(z)): the success probability.

    ``sample`` draws the Gamma–Poisson mixture: λ ~ Gamma(r, e^{−z}), X ~ Poisson(λ).
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "total_count": constraints.greater_than_eq(0),
        "probs": constraints.half_open_interval(0.0, 1.0),
        "logits": constraints.real,
    }
    support = constraints.nonnegative_integer

    def __init__(
        self,
        total_count: Tensor | float,
        probs: Tensor | None = None,
        logits: Tensor | None = None,
        validate_args: bool | None = None,
    ) -> None:
        count, param = self._set_given(probs, logits, total_count)
        self.total_count = count.type_as(param)
        super().__init__(param.shape, validate_args=validate_args)

    def expand(
        self, batch_shape: Sequence[int], _instance: NegativeBinomial | None = None
    ) -> NegativeBinomial:
        new = self._get_checked_instance(NegativeBinomial, _instance)
        batch_shape = Size(batch_shape)
        new.total_count = self.total_count.expand(batch_shape)
        expand_given(self, new, batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        """r·p/(1 − p) = r·e^z."""
        return self.total_count * self.logits.exp()

    @property
    def mode(self) -> Tensor:
        """⌊(r − 1)e^z⌋, at least 0."""
        return ((self.total_count - 1) * self.logits.exp()).floor().clamp(min=0.0)

    @property
    def variance(self) -> Tensor:
        """mean/(1 − p)."""
        return self.mean / (-self.logits).sigmoid()

    @property
    def param_shape(self) -> Size:
        return Size(self._param.shape)

    @lazy_property
    def _gamma(self) -> Gamma:
        """Gamma(r, e^{−z}): the Poisson rate's distribution."""
        return Gamma(self.total_count, (-self.logits).exp(), validate_args=False)

    def sample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """Counts (the parameter's dtype) of shape ``sample_shape + batch_shape``."""
        with no_grad():
            return poisson(self._gamma.sample(sample_shape))

    def log_prob(self, value: Tensor) -> Tensor:
        """r log σ(−z) + k log σ(z) + log Γ(r + k) − log k! − log Γ(r) (the Γ terms 0 where
        r + k = 0)."""
        if self._validate_args:
            self._validate_sample(value)
        log_unnormalized_prob = self.total_count * logsigmoid(-self.logits) + value * logsigmoid(
            self.logits
        )
        log_normalization = (
            -(self.total_count + value).lgamma()
            + (1.0 + value).lgamma()
            + self.total_count.lgamma()
        )
        log_normalization = where(self.total_count + value == 0.0, 0.0, log_normalization)
        return log_unnormalized_prob - log_normalization

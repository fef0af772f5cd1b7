"""``RelaxedBernoulli``: the Concrete (binary Gumbel-softmax) relaxation of a coin, a value in
(0, 1) whose ``rsample`` is differentiable in the logits; ``LogitRelaxedBernoulli`` is its
logit.

PyTorch equivalent: ``torch.distributions.RelaxedBernoulli`` and
``torch.distributions.relaxed_bernoulli.LogitRelaxedBernoulli``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from .._legacy_types import Size
from ..tensor import Tensor, rand
from . import constraints
from ._probs_logits import BinaryProbsLogits, RelaxedParams, expand_given
from .distribution import Distribution
from .transformed_distribution import TransformedDistribution
from .transforms import SigmoidTransform
from .utils import broadcast_all, clamp_probs

__all__ = ["LogitRelaxedBernoulli", "RelaxedBernoulli"]


class LogitRelaxedBernoulli(BinaryProbsLogits, Distribution):
    """X = (logit U + z)/τ with U ~ U(0, 1), z the logits (``probs`` p, z = logit p, or
    ``logits``) and τ = ``temperature`` (a Tensor): σ(X) → Bernoulli(p) as τ → 0.

    log p(x) = log τ + (z − τx) − 2 log(1 + e^{z − τx}) (the logistic density of τx − z,
    times τ).
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "probs": constraints.unit_interval,
        "logits": constraints.real,
    }
    support = constraints.real

    def __init__(
        self,
        temperature: Tensor,
        probs: Tensor | float | None = None,
        logits: Tensor | float | None = None,
        validate_args: bool | None = None,
    ) -> None:
        self.temperature = temperature
        (param,) = self._set_given(probs, logits)
        super().__init__(param.shape, validate_args=validate_args)

    def expand(
        self, batch_shape: Sequence[int], _instance: LogitRelaxedBernoulli | None = None
    ) -> LogitRelaxedBernoulli:
        new = self._get_checked_instance(LogitRelaxedBernoulli, _instance)
        batch_shape = Size(batch_shape)
        new.temperature = self.temperature
        expand_given(self, new, batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def param_shape(self) -> Size:
        return Size(self._param.shape)

    def rsample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """(logit u + logit p)/τ, u ~ U(0, 1) and p both clamped into [ε, 1 − ε]."""
        shape = self._extended_shape(sample_shape)
        probs = clamp_probs(self.probs.expand(shape))
        uniforms = clamp_probs(rand(shape, dtype=probs.dtype))
        return (
            uniforms.log() - (-uniforms).log1p() + probs.log() - (-probs).log1p()
        ) / self.temperature

    def log_prob(self, value: Tensor) -> Tensor:
        """log τ + d − 2 log(1 + e^d), d = z − τx."""
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        diff = logits - value.mul(self.temperature)
        return self.temperature.log() + diff - 2 * diff.exp().log1p()


class RelaxedBernoulli(RelaxedParams, TransformedDistribution):
    """σ(X), X ~ LogitRelaxedBernoulli(τ, p): a value in (0, 1) near 0 or 1 for small τ,
    with ``rsample`` differentiable in p (or the logits) and τ — the binary Gumbel-softmax."""

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {  # type: ignore[misc]
        "probs": constraints.unit_interval,
        "logits": constraints.real,
    }
    support = constraints.unit_interval  # type: ignore[assignment]
    has_rsample = True  # type: ignore[assignment]
    base_dist: LogitRelaxedBernoulli

    def __init__(
        self,
        temperature: Tensor,
        probs: Tensor | float | None = None,
        logits: Tensor | float | None = None,
        validate_args: bool | None = None,
    ) -> None:
        base_dist = LogitRelaxedBernoulli(temperature, probs, logits)
        super().__init__(base_dist, SigmoidTransform(), validate_args=validate_args)

    def expand(  # type: ignore[override]
        self, batch_shape: Sequence[int], _instance: RelaxedBernoulli | None = None
    ) -> RelaxedBernoulli:
        new = self._get_checked_instance(RelaxedBernoulli, _instance)
        super().expand(batch_shape, _instance=new)
        return new

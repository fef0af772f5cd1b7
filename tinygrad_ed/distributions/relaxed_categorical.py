"""``RelaxedOneHotCategorical``: the Concrete / Gumbel-softmax relaxation of a one-hot class,
a point of the simplex whose ``rsample`` is differentiable in the logits (a classifier's
sampled prediction that backprop goes through); ``ExpRelaxedCategorical`` is its log.

PyTorch equivalent: ``torch.distributions.RelaxedOneHotCategorical`` and
``torch.distributions.relaxed_categorical.ExpRelaxedCategorical``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from .._creation import full_like
from .._legacy_types import Size
from ..tensor import Tensor, rand
from . import constraints
from ._probs_logits import RelaxedParams
from .categorical import Categorical
from .distribution import Distribution
from .transformed_distribution import TransformedDistribution
from .transforms import ExpTransform
from .utils import broadcast_all, clamp_probs

__all__ = ["ExpRelaxedCategorical", "RelaxedOneHotCategorical"]


class ExpRelaxedCategorical(Distribution):
    """log of a Concrete sample: X = log softmax((z + G)/τ), G i.i.d. standard Gumbel, z the
    normalised logits (from ``probs`` or ``logits``, as ``Categorical``), τ = ``temperature``
    (a Tensor).

    log p(x) = log Γ(K) + (K − 1) log τ + Σₖ(zₖ − τxₖ) − K·logsumexp(z − τx), the Concrete
    density in log space (Maddison et al., 2017).
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "probs": constraints.simplex,
        "logits": constraints.real_vector,
    }
    support = constraints.real_vector  # the true support is a submanifold of it
    has_rsample = True

    def __init__(
        self,
        temperature: Tensor,
        probs: Tensor | None = None,
        logits: Tensor | None = None,
        validate_args: bool | None = None,
    ) -> None:
        self._categorical = Categorical(probs, logits)
        self.temperature = temperature
        super().__init__(
            self._categorical.batch_shape,
            self._categorical.param_shape[-1:],
            validate_args=validate_args,
        )

    def expand(
        self, batch_shape: Sequence[int], _instance: ExpRelaxedCategorical | None = None
    ) -> ExpRelaxedCategorical:
        new = self._get_checked_instance(ExpRelaxedCategorical, _instance)
        batch_shape = Size(batch_shape)
        new.temperature = self.temperature
        new._categorical = self._categorical.expand(batch_shape)
        Distribution.__init__(new, batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def param_shape(self) -> Size:
        return self._categorical.param_shape

    @property
    def logits(self) -> Tensor:
        return self._categorical.logits

    @property
    def probs(self) -> Tensor:
        return self._categorical.probs

    def rsample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """s − logsumexp(s), s = (z + G)/τ with G = −log(−log u), u ~ U(0, 1) clamped into
        [ε, 1 − ε]: z̄ and τ̄ come through s."""
        shape = self._extended_shape(sample_shape)
        uniforms = clamp_probs(rand(shape, dtype=self.logits.dtype))
        gumbels = -((-(uniforms.log())).log())
        scores = (self.logits + gumbels) / self.temperature
        return scores - scores.logsumexp(dim=-1, keepdim=True)

    def log_prob(self, value: Tensor) -> Tensor:
        """log Γ(K) + (K − 1) log τ + Σₖ (sₖ − logsumexp s), s = z − τx."""
        K = self._categorical._num_events
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        log_scale = full_like(self.temperature, float(K)).lgamma() - self.temperature.log().mul(
            -(K - 1)
        )
        score = logits - value.mul(self.temperature)
        score = (score - score.logsumexp(dim=-1, keepdim=True)).sum(-1)
        return score + log_scale


class RelaxedOneHotCategorical(RelaxedParams, TransformedDistribution):
    """exp(X), X ~ ExpRelaxedCategorical(τ, p): softmax((z + G)/τ), a point of the simplex
    near a vertex for small τ. ``rsample`` is differentiable in the logits (and τ): the
    Gumbel-softmax of a sampled prediction; ``F.gumbel_softmax(z, τ)`` draws the same law."""

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {  # type: ignore[misc]
        "probs": constraints.simplex,
        "logits": constraints.real_vector,
    }
    support = constraints.simplex  # type: ignore[assignment]
    has_rsample = True  # type: ignore[assignment]
    base_dist: ExpRelaxedCategorical

    def __init__(
        self,
        temperature: Tensor,
        probs: Tensor | None = None,
        logits: Tensor | None = None,
        validate_args: bool | None = None,
    ) -> None:
        base_dist = ExpRelaxedCategorical(temperature, probs, logits, validate_args=validate_args)
        super().__init__(base_dist, ExpTransform(), validate_args=validate_args)

    def expand(  # type: ignore[override]
        self, batch_shape: Sequence[int], _instance: RelaxedOneHotCategorical | None = None
    ) -> RelaxedOneHotCategorical:
        new = self._get_checked_instance(RelaxedOneHotCategorical, _instance)
        super().expand(batch_shape, _instance=new)
        return new

"""What the distributions given ``probs`` or ``logits`` share: exactly one of the two is given
and kept in the instance's ``__dict__`` (and as ``_param``, whose shape is ``param_shape``);
the other is a ``lazy_property`` computed from it when first read; ``expand`` expands
whichever of the two the instance holds.

``BinaryProbsLogits`` is the whole of it for a binary variable (p = σ(z), z = logit p):
``Bernoulli``, ``Binomial``, ``Geometric``, ``NegativeBinomial`` and ``LogitRelaxedBernoulli``
build on it. ``Categorical`` (which normalises what it is given) and ``ContinuousBernoulli``
(which clamps it) use ``check_one_given`` and ``expand_given``. torch repeats this in each
class.

``RelaxedParams`` reads ``temperature``, ``logits`` and ``probs`` of a relaxed distribution
(``RelaxedBernoulli``, ``RelaxedOneHotCategorical``) from the ``base_dist`` it transforms.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..tensor import Tensor
from .utils import broadcast_all, lazy_property, logits_to_probs, probs_to_logits


def check_one_given(probs: object, logits: object) -> None:
    """Raise torch's ValueError unless exactly one of ``probs`` and ``logits`` is given."""
    if (probs is None) == (logits is None):
        raise ValueError("Either `probs` or `logits` must be specified, but not both.")


def expand_given(old: Any, new: Any, shape: Sequence[int]) -> None:
    """Give ``new`` the ``probs`` and ``logits`` that ``old`` holds (given, or already computed
    from the other), expanded to ``shape``; ``new._param`` is the last of them."""
    for name in ("probs", "logits"):
        if name in old.__dict__:
            setattr(new, name, old.__dict__[name].expand(shape))
            new._param = new.__dict__[name]


class BinaryProbsLogits:
    """The success probability p of a binary variable, given as ``probs`` or as ``logits`` z
    (p = σ(z))."""

    _param: Tensor

    def _set_given(
        self, probs: Tensor | float | None, logits: Tensor | float | None, *others: Tensor | float
    ) -> tuple[Tensor, ...]:
        """Keep the given one of ``probs`` and ``logits``, broadcast with ``others`` (numbers
        of the first Tensor's dtype): the broadcast ``others`` and parameter, in that order."""
        check_one_given(probs, logits)
        given = probs if probs is not None else logits
        assert given is not None  # for mypy: check_one_given refused two Nones
        *rest, param = broadcast_all(*others, given)
        if probs is not None:
            self.probs = param
        else:
            self.logits = param
        self._param = param
        return (*rest, param)

    @lazy_property
    def logits(self) -> Tensor:
        """z = log p − log(1 − p), p clamped into [ε, 1 − ε]."""
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self) -> Tensor:
        """p = σ(z)."""
        return logits_to_probs(self.logits, is_binary=True)


class RelaxedParams:
    """``temperature``, ``logits`` and ``probs``: those of ``base_dist`` (see the module)."""

    base_dist: Any

    @property
    def temperature(self) -> Tensor:
        """τ."""
        out: Tensor = self.base_dist.temperature
        return out

    @property
    def logits(self) -> Tensor:
        out: Tensor = self.base_dist.logits
        return out

    @property
    def probs(self) -> Tensor:
        out: Tensor = self.base_dist.probs
        return out

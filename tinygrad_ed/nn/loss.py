"""Loss functions as modules: ``loss_fn(input, target)`` returns a scalar (or per-example) Tensor.

Each wraps the numerically stable form in ``functional``. ``reduction`` is ``'mean'`` (the
default), ``'sum'`` or ``'none'``. PyTorch equivalents: ``torch.nn.CrossEntropyLoss``,
``NLLLoss``, ``MSELoss``, ``BCEWithLogitsLoss`` (without class weights, ``ignore_index`` or
label smoothing: every target must be a class).
"""

from __future__ import annotations

from typing import Any

from .. import functional as F
from ..tensor import Tensor
from .module import Module

__all__ = ["BCEWithLogitsLoss", "CrossEntropyLoss", "MSELoss", "NLLLoss"]

_REDUCTIONS = ("mean", "sum", "none")


class _Loss(Module):
    def __init__(self, *, reduction: str = "mean") -> None:
        super().__init__()
        # Checked here, not at the first call, so a typo fails where the model is built.
        if reduction not in _REDUCTIONS:
            raise ValueError(
                f"{type(self).__name__}(): reduction must be one of {_REDUCTIONS}, "
                f"got {reduction!r}"
            )
        self.reduction = reduction


class CrossEntropyLoss(_Loss):
    """The multiclass logistic loss on logits f and class indices y (``nn.CrossEntropyLoss``).

    ``ℓ(f, y) = ln Σⱼ e^{fⱼ} − f_y``;  ``f̄ = softmax(f) − e_y`` per example (divided by N for
    'mean'). Logits have shape (N, C) or (C,); targets are int class indices of shape (N,) or ().
    """

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.cross_entropy(input, target, reduction=self.reduction)


class NLLLoss(_Loss):
    """Negative log likelihood of log-probabilities (``nn.NLLLoss``): ``ℓ = −log_probs[y]``.

    ``LogSoftmax(dim=1)`` followed by ``NLLLoss`` equals ``CrossEntropyLoss``. The adjoint puts
    ``−1`` (``−1/N`` for 'mean') at each target class and 0 elsewhere.
    """

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.nll_loss(input, target, reduction=self.reduction)


class MSELoss(_Loss):
    """Square loss ``ℓ = (x − t)²`` per element (``nn.MSELoss``); ``x̄ = 2(x − t)`` (÷ N: mean)."""

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary logistic loss on logits z, targets t ∈ [0, 1] (``nn.BCEWithLogitsLoss``).

    ``ℓ = ln(1 + eᶻ) − t·z``, computed without overflow;  ``z̄ = σ(z) − t`` per element.
    """

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.binary_cross_entropy_with_logits(input, target, reduction=self.reduction)

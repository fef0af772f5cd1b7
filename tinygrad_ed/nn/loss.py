"""Loss functions as modules: ``loss_fn(input, target)`` returns a scalar (or per-example) Tensor.

Each wraps the numerically stable form in ``functional``. ``reduction`` is ``'mean'`` (the
default), ``'sum'`` or ``'none'``. PyTorch equivalents: ``torch.nn.CrossEntropyLoss``,
``NLLLoss``, ``MSELoss``, ``BCEWithLogitsLoss``, with their options: class ``weight`` and
``pos_weight`` (kept as buffers, so they are saved with the model), ``ignore_index`` and
``label_smoothing``. One difference: torch ignores the label -100 by default, these only
ignore a label when given ``ignore_index``.
"""

from __future__ import annotations

from typing import Any

from .. import functional as F
from ..tensor import Tensor, tensor
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

    def _weight_buffer(self, name: str, value: Any) -> None:
        """``weight``/``pos_weight`` as a buffer, as torch keeps them (lists become tensors)."""
        self.register_buffer(
            name, value if value is None or isinstance(value, Tensor) else tensor(value)
        )


class CrossEntropyLoss(_Loss):
    """The multiclass logistic loss on logits f and class indices y (``nn.CrossEntropyLoss``).

    ``ℓ(f, y) = ln Σⱼ e^{fⱼ} − f_y``;  ``f̄ = softmax(f) − e_y`` per example (divided by N for
    'mean'). Logits have shape (N, C) or (C,); targets are int class indices of shape (N,) or ().
    ``weight``, ``ignore_index`` and ``label_smoothing`` are ``F.cross_entropy``'s.
    """

    def __init__(
        self,
        weight: Any = None,
        *,
        ignore_index: int | None = None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(reduction=reduction)
        F._check_options(ignore_index, label_smoothing, type(self).__name__)
        self._weight_buffer("weight", weight)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.cross_entropy(
            input,
            target,
            self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class NLLLoss(_Loss):
    """Negative log likelihood of log-probabilities (``nn.NLLLoss``): ``ℓ = −log_probs[y]``.

    ``LogSoftmax(dim=1)`` followed by ``NLLLoss`` equals ``CrossEntropyLoss``. The adjoint puts
    ``−1`` (``−1/N`` for 'mean') at each target class and 0 elsewhere. ``weight`` and
    ``ignore_index`` are ``F.nll_loss``'s.
    """

    def __init__(
        self, weight: Any = None, *, ignore_index: int | None = None, reduction: str = "mean"
    ) -> None:
        super().__init__(reduction=reduction)
        F._check_options(ignore_index, 0.0, type(self).__name__)
        self._weight_buffer("weight", weight)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.nll_loss(
            input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction
        )


class MSELoss(_Loss):
    """Square loss ``ℓ = (x − t)²`` per element (``nn.MSELoss``); ``x̄ = 2(x − t)`` (÷ N: mean)."""

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary logistic loss on logits z, targets t ∈ [0, 1] (``nn.BCEWithLogitsLoss``).

    ``ℓ = ln(1 + eᶻ) − t·z``, computed without overflow;  ``z̄ = σ(z) − t`` per element.
    ``weight`` and ``pos_weight`` are ``F.binary_cross_entropy_with_logits``'s.
    """

    def __init__(
        self, weight: Any = None, *, reduction: str = "mean", pos_weight: Any = None
    ) -> None:
        super().__init__(reduction=reduction)
        self._weight_buffer("weight", weight)
        self._weight_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.binary_cross_entropy_with_logits(
            input, target, self.weight, reduction=self.reduction, pos_weight=self.pos_weight
        )

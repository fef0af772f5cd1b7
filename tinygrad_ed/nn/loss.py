"""Loss functions as modules: ``loss_fn(input, target)`` returns a scalar (or per-example) Tensor.

Each wraps the numerically stable form in ``functional``. ``reduction`` is ``'mean'`` (the
default), ``'sum'`` or ``'none'`` (and ``'batchmean'`` for KLDivLoss). PyTorch equivalents:
``torch.nn.CrossEntropyLoss``, ``NLLLoss``, ``MultiMarginLoss``, ``MSELoss``, ``L1Loss``,
``SmoothL1Loss``, ``HuberLoss``, ``BCELoss``, ``BCEWithLogitsLoss``, ``SoftMarginLoss``,
``KLDivLoss``, ``CosineEmbeddingLoss``, ``MarginRankingLoss``, ``HingeEmbeddingLoss``,
``MultiLabelMarginLoss``, ``MultiLabelSoftMarginLoss``, ``PoissonNLLLoss``, ``GaussianNLLLoss``,
``TripletMarginLoss``, ``TripletMarginWithDistanceLoss``, ``CTCLoss`` and
``LinearCrossEntropyLoss`` (a linear head and its cross-entropy), with their options:
class ``weight`` and ``pos_weight`` (kept as buffers, so they are saved with the model),
``ignore_index``, ``label_smoothing``, ``beta``, ``delta``, ``p``, ``margin``, ``log_target``,
``log_input``, ``full``, ``eps``, ``swap`` and ``distance_function``, in torch's order.
torch's deprecated ``size_average`` and ``reduce`` are taken where torch's constructors take
them: either one sets ``reduction`` (True/None both count as true: 'mean' if both are, 'sum'
if only ``reduce`` is, else 'none') with torch's UserWarning, at construction. One
difference: torch ignores the label -100 by default, these only ignore a label when given
``ignore_index`` (except LinearCrossEntropyLoss, whose None means -100, as torch 2.13's).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import functional as F
from .._linear_cross_entropy_options import LinearCrossEntropyOptions
from ..tensor import DTypeLike, OpError, Tensor, tensor
from .distance import PairwiseDistance
from .layers import Linear
from .module import Module

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CTCLoss",
    "CosineEmbeddingLoss",
    "CrossEntropyLoss",
    "GaussianNLLLoss",
    "HingeEmbeddingLoss",
    "HuberLoss",
    "KLDivLoss",
    "L1Loss",
    "LinearCrossEntropyLoss",
    "MSELoss",
    "MarginRankingLoss",
    "MultiLabelMarginLoss",
    "MultiLabelSoftMarginLoss",
    "MultiMarginLoss",
    "NLLLoss",
    "PoissonNLLLoss",
    "SmoothL1Loss",
    "SoftMarginLoss",
    "TripletMarginLoss",
    "TripletMarginWithDistanceLoss",
]

_REDUCTIONS = ("mean", "sum", "none")


class _Loss(Module):
    _reductions: tuple[str, ...] = _REDUCTIONS

    def __init__(
        self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean"
    ) -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            reduction = F._legacy_reduction(size_average, reduce, reduction)
        # Checked here, not at the first call, so a typo fails where the model is built.
        if reduction not in self._reductions:
            raise ValueError(
                f"{type(self).__name__}(): reduction must be one of {self._reductions}, "
                f"got {reduction!r}"
            )
        self.reduction = reduction

    def _weight_buffer(self, name: str, value: Any) -> None:
        """``weight``/``pos_weight`` as a buffer, as torch keeps them (lists become tensors)."""
        self.register_buffer(
            name, value if value is None or isinstance(value, Tensor) else tensor(value)
        )


class _WeightedLoss(_Loss):
    """A loss whose one option besides the reduction is ``weight``, kept as a buffer: torch's
    ``_WeightedLoss`` constructor, ``(weight=None, size_average=None, reduce=None,
    reduction='mean')``, shared (as in torch) by CrossEntropyLoss, NLLLoss, BCELoss,
    MultiLabelSoftMarginLoss and MultiMarginLoss."""

    def __init__(
        self,
        weight: Any = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self._weight_buffer("weight", weight)


class CrossEntropyLoss(_WeightedLoss):
    """The multiclass logistic loss on logits f and class indices y (``nn.CrossEntropyLoss``).

    ``ℓ(f, y) = ln Σⱼ e^{fⱼ} − f_y``;  ``f̄ = softmax(f) − e_y`` per example (divided by N for
    'mean'). Logits have shape (N, C) or (C,); targets are int class indices of shape (N,) or ().
    ``weight``, ``ignore_index`` and ``label_smoothing`` are ``F.cross_entropy``'s.
    """

    def __init__(
        self,
        weight: Any = None,
        size_average: bool | None = None,
        ignore_index: int | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        F._check_options(ignore_index, label_smoothing, type(self).__name__)
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


class LinearCrossEntropyLoss(_WeightedLoss):
    """A linear head and its cross-entropy in one module (``nn.LinearCrossEntropyLoss``, torch
    ≥ 2.13): ``loss(x, y) = F.linear_cross_entropy(x, W, y, linear_bias=b, ...)`` with W of
    shape (C, *out_features, in_features) and b (C, *out_features), so
    ``x̄ = f̄ W``, ``W̄ = f̄ᵀ x``, ``b̄ = Σ f̄`` with f̄ = softmax(f) − e_y.

    As torch's, the weights live in ``self.linear``, an ``nn.Linear(in_features,
    C·prod(out_features), bias=bias)`` (flat, reshaped at each call), so the parameters are
    ``linear.weight`` and ``linear.bias``; ``weight`` (one per class, kept as a buffer),
    ``reduction``, ``ignore_index`` (None: -100 for class indices), ``label_smoothing`` and
    ``options`` (accepted and checked; the numbers are the reference path's) are
    ``F.linear_cross_entropy``'s. A ``weight`` not of shape (C,) and a ``label_smoothing``
    outside [0, 1] are refused here, as torch's constructor does (RuntimeError).
    """

    linear: Linear

    def __init__(
        self,
        in_features: int,
        num_classes: int,
        *,
        out_features: tuple[int, ...] = (),
        bias: bool = False,
        device: Any = None,
        dtype: DTypeLike = None,
        reduction: str = "mean",
        weight: Any = None,
        ignore_index: int | None = None,
        label_smoothing: float = 0.0,
        options: LinearCrossEntropyOptions | None = None,
    ) -> None:
        name = type(self).__name__
        shape = None if weight is None else getattr(weight, "shape", np.shape(weight))
        if shape is not None and tuple(shape) != (num_classes,):
            raise OpError(
                f"{name}(): expected weight shape to be {(num_classes,)}, got {tuple(shape)}"
            )
        if not 0.0 <= label_smoothing <= 1.0:
            raise OpError(
                f"{name}(): expected label_smoothing to be in range [0, 1], got {label_smoothing}"
            )
        super().__init__(weight, None, None, reduction)
        F._check_options(ignore_index, label_smoothing, name)
        self.num_classes = num_classes
        self.out_features = out_features
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing
        flat = num_classes * int(np.prod(out_features, dtype=np.int64))
        self.linear = Linear(in_features, flat, bias=bias, device=device, dtype=dtype)
        self.options = options

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        shape = (self.num_classes, *self.out_features)
        bias = self.linear.bias
        return F.linear_cross_entropy(
            input,
            self.linear.weight.reshape((*shape, self.linear.in_features)),
            target,
            linear_bias=None if bias is None else bias.reshape(shape),
            weight=self.weight,
            reduction=self.reduction,
            ignore_index=self.ignore_index,
            label_smoothing=self.label_smoothing,
            options=self.options,
        )

    def extra_repr(self) -> str:
        return (
            f"in_features={self.linear.in_features}, num_classes={self.num_classes}, "
            f"out_features={self.out_features}, bias={self.linear.bias is not None}, "
            f"reduction={self.reduction}, ignore_index={self.ignore_index}, "
            f"label_smoothing={self.label_smoothing}, options={self.options}"
        )


class NLLLoss(_WeightedLoss):
    """Negative log likelihood of log-probabilities (``nn.NLLLoss``): ``ℓ = −log_probs[y]``.

    ``LogSoftmax(dim=1)`` followed by ``NLLLoss`` equals ``CrossEntropyLoss``. The adjoint puts
    ``−1`` (``−1/N`` for 'mean') at each target class and 0 elsewhere. ``weight`` and
    ``ignore_index`` are ``F.nll_loss``'s.
    """

    def __init__(
        self,
        weight: Any = None,
        size_average: bool | None = None,
        ignore_index: int | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        F._check_options(ignore_index, 0.0, type(self).__name__)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.nll_loss(
            input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction
        )


class NLLLoss2d(NLLLoss):
    """``nn.NLLLoss2d``, torch's old name of ``NLLLoss`` for images (N, C, H, W): the same loss,
    which takes any number of trailing dims."""


class CTCLoss(_Loss):
    """The connectionist temporal classification loss (``nn.CTCLoss``): ``forward(log_probs,
    targets, input_lengths, target_lengths)`` is ``F.ctc_loss`` with this module's ``blank``,
    ``reduction`` and ``zero_infinity``; see there for the shapes and the gradient."""

    def __init__(
        self, blank: int = 0, reduction: str = "mean", zero_infinity: bool = False
    ) -> None:
        super().__init__(reduction=reduction)
        if isinstance(blank, bool) or not isinstance(blank, int) or blank < 0:
            raise ValueError(f"CTCLoss(): blank must be a class index (int >= 0), got {blank!r}")
        self.blank = blank
        self.zero_infinity = zero_infinity

    def forward(
        self, log_probs: Tensor, targets: Tensor, input_lengths: Any, target_lengths: Any
    ) -> Tensor:
        return F.ctc_loss(
            log_probs,
            targets,
            input_lengths,
            target_lengths,
            self.blank,
            self.reduction,
            self.zero_infinity,
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
        self,
        weight: Any = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        pos_weight: Any = None,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self._weight_buffer("weight", weight)
        self._weight_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.binary_cross_entropy_with_logits(
            input, target, self.weight, reduction=self.reduction, pos_weight=self.pos_weight
        )


class L1Loss(_Loss):
    """Absolute loss ``ℓ = |x − t|`` per element (``nn.L1Loss``); ``x̄ = sign(x − t)`` (÷ N:
    mean), 0 at x = t."""

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """``ℓ = ½d²/β`` for |d| < β, else ``|d| − ½β`` (``nn.SmoothL1Loss``); β = 0 is L1Loss."""

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        beta: float = 1.0,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        F._check_width(beta, "beta", type(self).__name__, zero_allowed=True)
        self.beta = beta

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """``ℓ = ½d²`` for |d| < δ, else ``δ(|d| − ½δ)`` (``nn.HuberLoss``): quadratic near the
    target, linear (robust to outliers) beyond δ > 0."""

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        F._check_width(delta, "delta", type(self).__name__, zero_allowed=False)
        self.delta = delta

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities x ∈ [0, 1] (``nn.BCELoss``):
    ``ℓ = −t ln x − (1 − t) ln(1 − x)``, each log ≥ −100; ``weight`` as
    ``F.binary_cross_entropy``'s. On logits prefer BCEWithLogitsLoss."""

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.binary_cross_entropy(input, target, self.weight, reduction=self.reduction)


class KLDivLoss(_Loss):
    """KL divergence ``ℓ = p·(ln p − x)`` of the target p from log-probabilities x
    (``nn.KLDivLoss``); ``reduction='batchmean'`` is the divergence per example."""

    _reductions = ("mean", "batchmean", "sum", "none")

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        log_target: bool = False,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class MultiMarginLoss(_WeightedLoss):
    """The multiclass hinge (SVM) loss (``nn.MultiMarginLoss``):
    ``ℓ(f, y) = (1/C) Σ_{j≠y} w_y·max(0, margin − f_y + f_j)ᵖ`` for p = 1 or 2; ``weight``
    (one per class) is kept as a buffer. See ``F.multi_margin_loss``."""

    def __init__(
        self,
        p: int = 1,
        margin: float = 1.0,
        weight: Any = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        if type(p) is bool or p not in (1, 2):
            raise ValueError(f"MultiMarginLoss(): only p == 1 and p == 2 supported, got {p!r}")
        self.p, self.margin = p, margin
        if self.weight is not None and self.weight.ndim != 1:
            raise ValueError("MultiMarginLoss(): weight must be one-dimensional")

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.multi_margin_loss(
            input, target, self.p, self.margin, self.weight, reduction=self.reduction
        )


class SoftMarginLoss(_Loss):
    """Two-class logistic loss ``ℓ = ln(1 + e^{−y·x})`` for labels y = ±1
    (``nn.SoftMarginLoss``), evaluated stably."""

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.soft_margin_loss(input, target, reduction=self.reduction)


class CosineEmbeddingLoss(_Loss):
    """``ℓ = 1 − cos(x₁, x₂)`` for y = 1, ``max(0, cos(x₁, x₂) − margin)`` for y = −1
    (``nn.CosineEmbeddingLoss``); called as ``loss_fn(input1, input2, target)``. See
    ``F.cosine_embedding_loss``."""

    def __init__(
        self,
        margin: float = 0.0,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1: Tensor, input2: Tensor, target: Any) -> Tensor:
        return F.cosine_embedding_loss(
            input1, input2, target, self.margin, reduction=self.reduction
        )


class MarginRankingLoss(_Loss):
    """``ℓ = max(0, −y·(x₁ − x₂) + margin)`` for y = ±1 (``nn.MarginRankingLoss``); called as
    ``loss_fn(input1, input2, target)``. See ``F.margin_ranking_loss``."""

    def __init__(
        self,
        margin: float = 0.0,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1: Tensor, input2: Tensor, target: Any) -> Tensor:
        return F.margin_ranking_loss(input1, input2, target, self.margin, reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    """``ℓ = x`` for y = 1, ``max(0, margin − x)`` for y = −1 (``nn.HingeEmbeddingLoss``).
    See ``F.hinge_embedding_loss``."""

    def __init__(
        self,
        margin: float = 1.0,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.hinge_embedding_loss(input, target, self.margin, reduction=self.reduction)


class MultiLabelMarginLoss(_Loss):
    """The multi-label hinge loss ``ℓ = (1/C) Σ_{j∈T} Σ_{i∉T} max(0, 1 − x_j + x_i)``, the
    target classes T listed first in ``target`` and ended by −1 (``nn.MultiLabelMarginLoss``).
    See ``F.multilabel_margin_loss``."""

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.multilabel_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_WeightedLoss):
    """A binary logistic loss per class, averaged over the C classes (the last dim)
    (``nn.MultiLabelSoftMarginLoss``); ``weight`` (one per class) is kept as a buffer. See
    ``F.multilabel_soft_margin_loss``."""

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.multilabel_soft_margin_loss(input, target, self.weight, reduction=self.reduction)


class PoissonNLLLoss(_Loss):
    """Poisson negative log likelihood ``ℓ = eˣ − t·x`` of a count t with log-rate x
    (``nn.PoissonNLLLoss``); ``log_input=False`` takes the rate, ``full`` adds Stirling's
    term. See ``F.poisson_nll_loss``."""

    def __init__(
        self,
        log_input: bool = True,
        full: bool = False,
        size_average: bool | None = None,
        eps: float = 1e-8,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input: Tensor, target: Any) -> Tensor:
        return F.poisson_nll_loss(
            log_input, target, self.log_input, self.full, eps=self.eps, reduction=self.reduction
        )


class GaussianNLLLoss(_Loss):
    """Gaussian negative log likelihood ``ℓ = ½(ln σ² + (μ − t)²/σ²)`` of a target t, the
    input μ and the variance σ² given to the call: ``loss_fn(input, target, var)``
    (``nn.GaussianNLLLoss``). See ``F.gaussian_nll_loss``."""

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(reduction=reduction)
        self.full, self.eps = full, eps

    def forward(self, input: Tensor, target: Any, var: Any) -> Tensor:
        return F.gaussian_nll_loss(input, target, var, self.full, self.eps, self.reduction)


def _positive_margin(loss: _Loss, margin: Any) -> None:
    if isinstance(margin, (int, float)) and not margin > 0:
        raise ValueError(
            f"{type(loss).__name__}: expected margin to be greater than 0, got {margin} instead"
        )


class TripletMarginLoss(_Loss):
    """``ℓ = max(0, d(a, p) − d(a, n) + margin)`` with d the p-norm ``pairwise_distance``
    (``nn.TripletMarginLoss``); called as ``loss_fn(anchor, positive, negative)``. See
    ``F.triplet_margin_loss``."""

    def __init__(
        self,
        margin: float = 1.0,
        p: float = 2.0,
        eps: float = 1e-6,
        swap: bool = False,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        _positive_margin(self, margin)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return F.triplet_margin_loss(
            anchor,
            positive,
            negative,
            self.margin,
            self.p,
            self.eps,
            self.swap,
            reduction=self.reduction,
        )


class TripletMarginWithDistanceLoss(_Loss):
    """``TripletMarginLoss`` with any ``distance_function(x1, x2)`` (a ``PairwiseDistance()``
    when None) (``nn.TripletMarginWithDistanceLoss``). See
    ``F.triplet_margin_with_distance_loss``."""

    def __init__(
        self,
        *,
        distance_function: Callable[[Tensor, Tensor], Tensor] | None = None,
        margin: float = 1.0,
        swap: bool = False,
        reduction: str = "mean",
    ) -> None:
        super().__init__(reduction=reduction)
        _positive_margin(self, margin)
        # A PairwiseDistance module by default, as torch (a submodule, shown in the repr)
        self.distance_function = (
            PairwiseDistance() if distance_function is None else distance_function
        )
        self.margin, self.swap = margin, swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return F.triplet_margin_with_distance_loss(
            anchor,
            positive,
            negative,
            distance_function=self.distance_function,
            margin=self.margin,
            swap=self.swap,
            reduction=self.reduction,
        )

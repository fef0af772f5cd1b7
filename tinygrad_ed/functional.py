"""Compositions of primitive ops in numerically stable forms: activations and losses.

Import as ``import tinygrad_ed.functional as F`` (the ``torch.nn.functional`` names). Nothing here
has a derivative rule of its own: gradients come from the primitives it is built of.

The lecture's multiclass logistic model: scores ``f = W x`` for C classes,
``p = softmax(f)``, ``pₖ = e^{fₖ} / Σⱼ e^{fⱼ}``, and the loss of the correct class y

    ℓ(f, y) = −ln p_y = ln Σⱼ e^{fⱼ} − f_y,      ∂ℓ/∂f = p − e_y,      ∂ℓ/∂W = (p − e_y) xᵀ.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .ops import OPS, one_hot_array
from .tensor import OpError, Tensor, _apply, _expect_tensor

__all__ = [
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "l2_penalty",
    "linear",
    "log_softmax",
    "logsumexp",
    "mse_loss",
    "nll_loss",
    "one_hot",
    "relu",
    "sigmoid",
    "softmax",
    "tanh",
]

_REDUCTIONS = ("mean", "sum", "none")


# ----------------------------------------------------------------------------- argument checks
# Without these a numpy array or list fails deep inside with an AttributeError, and integer
# logits give an integer "loss". One isinstance per argument: F.linear and cross_entropy are hot.


def _check_float(x: Any, op: str, arg: str) -> None:
    """A floating Tensor: torch has no integer softmax or loss kernels, and refuses them."""
    _expect_tensor(x, op, arg)
    if x.dtype.kind != "f":
        raise TypeError(
            f"{op}(): argument '{arg}' must have a floating point dtype, got {x.dtype} "
            f"(shape {x.shape}); convert it with .float()"
        )


def _check_reduction(reduction: str, op: str) -> None:
    # Up front: a single example skips the reduction, which would let a typo through.
    if type(reduction) is not str:  # e.g. torch's third positional argument, a weight tensor
        raise TypeError(
            f"{op}(): reduction must be one of {_REDUCTIONS}, got {type(reduction).__name__} "
            "(class weights, torch's third positional argument, are not supported)"
        )
    if reduction not in _REDUCTIONS:
        raise ValueError(
            f"{op}(): {reduction!r} is not a valid value for reduction; "
            f"expected one of {_REDUCTIONS}"
        )


# ----------------------------------------------------------------------------- activations


def relu(x: Tensor) -> Tensor:
    """max(x, 0), with relu'(0) = 0 (``F.relu``)."""
    _expect_tensor(x, "relu", "x")
    return x.relu()


def sigmoid(x: Tensor) -> Tensor:
    """σ(x) = 1 / (1 + e⁻ˣ) (``torch.sigmoid``)."""
    _expect_tensor(x, "sigmoid", "x")
    return x.sigmoid()


def tanh(x: Tensor) -> Tensor:
    """tanh x (``torch.tanh``)."""
    _expect_tensor(x, "tanh", "x")
    return x.tanh()


def softmax(x: Tensor, dim: int) -> Tensor:
    """pₖ = e^{xₖ} / Σⱼ e^{xⱼ} along ``dim`` (``F.softmax``); shift invariant, stable at 1e4.

    ``dim`` is required: torch's implicit choice when it is omitted is deprecated there.
    """
    _expect_tensor(x, "softmax", "x")  # the method refuses integers
    return x.softmax(dim)


def log_softmax(x: Tensor, dim: int) -> Tensor:
    """x − log Σ eˣ along ``dim`` (``F.log_softmax``); ``dim`` is required, as for softmax."""
    _expect_tensor(x, "log_softmax", "x")
    return x.log_softmax(dim)


def logsumexp(x: Tensor, dim: int, keepdim: bool = False) -> Tensor:
    """log Σ eˣ along ``dim``: max x ≤ logsumexp x ≤ max x + ln C (``torch.logsumexp``)."""
    _expect_tensor(x, "logsumexp", "x")
    return x.logsumexp(dim, keepdim)


# ----------------------------------------------------------------------------- losses


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    """Apply a reduction already checked by ``_check_reduction``."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _labels(target: Any, classes: int, op: str, batch_shape: tuple[int, ...]) -> np.ndarray:
    """Validate integer class labels: numpy would silently wrap −1 to the last class."""
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    if t.dtype.kind not in "iu":
        raise TypeError(
            f"{op}(): target must hold integer class indices, got dtype {t.dtype} "
            f"(shape {t.shape}); for probabilities use a soft-label loss"
        )
    if t.shape != batch_shape:
        raise ValueError(
            f"{op}(): input of shape {(*batch_shape, classes)} expects target of shape "
            f"{batch_shape}, got {t.shape}"
        )
    if t.size and (
        np.minimum.reduce(t, axis=None) < 0 or np.maximum.reduce(t, axis=None) >= classes
    ):
        bad = t[(t < 0) | (t >= classes)].ravel()[0]
        hint = "; ignore_index is not supported" if bad < 0 and op != "one_hot" else ""
        raise IndexError(
            f"{op}(): target {bad} is out of range for {classes} classes [0, {classes}){hint}"
        )
    # A copy: the node keeps the labels for backward, and the caller may refill their array.
    return np.array(t, dtype=np.int64)


def nll_loss(log_probs: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """−log_probs[i, yᵢ], averaged over the batch (``F.nll_loss``; input shape (N, C) or (C,))."""
    _check_float(log_probs, "nll_loss", "log_probs")
    _check_reduction(reduction, "nll_loss")
    if log_probs.ndim not in (1, 2):
        raise ValueError(
            f"nll_loss(): expected input of shape (N, C) or (C,), got {log_probs.shape}"
        )
    if log_probs.ndim == 1:
        y = _labels(target, log_probs.shape[0], "nll_loss", ())
        return -log_probs[int(y)]  # one example: every reduction is the loss itself
    n, c = log_probs.shape
    y = _labels(target, c, "nll_loss", (n,))
    picked = log_probs[np.arange(n), y]
    return _reduce(-picked, reduction)


def cross_entropy(logits: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """The multiclass logistic loss ln Σⱼ e^{fⱼ} − f_y (``F.cross_entropy``).

    One primitive of the op table, whose derivative rule is the lecture's: ∂ℓ/∂f = p − e_y with
    p = softmax(f) (divided by N for 'mean'). Stable for logits of any magnitude.
    """
    if not isinstance(logits, Tensor) or logits.data.dtype.kind != "f":  # checked inline: hot
        _check_float(logits, "cross_entropy", "logits")
    if type(reduction) is not str or reduction not in _REDUCTIONS:
        _check_reduction(reduction, "cross_entropy")
    if logits.ndim not in (1, 2):
        raise ValueError(
            f"cross_entropy(): expected logits of shape (N, C) or (C,), got {logits.shape}"
        )
    batch = logits.shape[:-1]
    y = _labels(target, logits.shape[-1], "cross_entropy", batch)
    if logits.ndim == 1:
        reduction = "none"  # one example: every reduction is the loss itself
    return _apply(OPS["cross_entropy"], logits, target=y, reduction=reduction)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x Wᵀ + b with W of shape (out, in) (``F.linear``); one op when there is a bias."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor)):  # checked inline: hot
        _expect_tensor(input, "linear", "input")
        _expect_tensor(weight, "linear", "weight")
    if input.ndim == 0 or weight.ndim != 2 or input.shape[-1] != weight.shape[1]:
        raise OpError(
            f"linear(): input of shape {input.shape} needs its last dim to equal the weight's "
            f"in_features; weight has shape {weight.shape} (out_features, in_features)"
        )
    if bias is None:
        return input @ weight.T
    if not isinstance(bias, Tensor):
        _expect_tensor(bias, "linear", "bias")
    if bias.shape != (weight.shape[0],):
        raise OpError(
            f"linear(): bias of shape {bias.shape} must have shape ({weight.shape[0]},) for a "
            f"weight of shape {weight.shape}"
        )
    return _apply(OPS["linear"], input, weight, bias)


def mse_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """Square loss (input − target)² for regression (``F.mse_loss``).

    ``input`` must be floating (torch has no integer kernel); ``target`` may be any numbers.
    """
    _check_float(input, "mse_loss", "input")
    _check_reduction(reduction, "mse_loss")
    t = input._other(target)
    if t.shape != input.shape:
        raise OpError(
            f"mse_loss(): input shape {input.shape} and target shape {t.shape} must be equal"
        )
    d = input - t
    return _reduce(d * d, reduction)


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Any,
    reduction: str = "mean",
) -> Tensor:
    """Binary logistic loss on logits z with targets t ∈ [0, 1].

    PyTorch equivalent: ``F.binary_cross_entropy_with_logits``.

    ℓ = ln(1 + eᶻ) − t·z, one primitive with the smooth rule z̄ = g·(σ(z) − t) (a composition
    of relu and abs would give the wrong gradient at z = 0, where W = 0 starts), evaluated
    without positive exponents. With t = (1 + y)/2 for y ∈ {−1, +1} this is the lecture's
    ln(1 + e^{−y z}).

    Both must be floating: like torch, integer targets are refused rather than promoting a
    float32 loss to float64 (write ``target.float()`` or ``(y == 1).astype(np.float32)``).
    """
    op = "binary_cross_entropy_with_logits"
    _check_float(input, op, "input")
    _check_reduction(reduction, op)
    t = input._other(target)
    if t.dtype.kind != "f":
        raise RuntimeError(
            f"{op}(): target must have a floating point dtype like the input's ({input.dtype}), "
            f"got {t.dtype} (shape {t.shape}); convert it with .float()"
        )
    if t.shape != input.shape:
        raise ValueError(
            f"{op}(): input shape {input.shape} and target shape {t.shape} must be equal"
        )
    loss = _apply(OPS[op], input, t)
    return _reduce(loss, reduction)


def one_hot(target: Any, num_classes: int = -1) -> Tensor:
    """e_y: rows of the identity (``F.one_hot``; int64 like torch).

    ``num_classes=-1`` (the default, as in torch) uses one more than the largest label.
    """
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    if type(num_classes) is bool or not isinstance(num_classes, (int, np.integer)):
        raise TypeError(f"one_hot(): num_classes must be an int, got {num_classes!r}")
    if num_classes == -1:
        num_classes = max(int(t.max()) + 1, 0) if t.size and t.dtype.kind in "iu" else 0
    elif num_classes < 0:
        raise ValueError(f"one_hot(): num_classes must be -1 or ≥ 0, got {num_classes}")
    y = _labels(t, int(num_classes), "one_hot", t.shape)
    return Tensor._make(one_hot_array(y, int(num_classes), np.int64))


def l2_penalty(params: Any, lam: float) -> Tensor:
    """The lecture's L2 regularizer λ Σ w² over the given tensors (add it to the loss)."""
    params = list(params)
    for i, p in enumerate(params):
        _expect_tensor(p, "l2_penalty", f"params[{i}]")
    terms = [(p * p).sum() for p in params]
    if not terms:
        raise ValueError("l2_penalty(): got no parameters")
    total: Tensor = terms[0]
    for t in terms[1:]:
        total = total + t
    return total * lam

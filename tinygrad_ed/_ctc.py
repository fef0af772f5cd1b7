"""The connectionist temporal classification loss (Graves et al., 2006).

PyTorch equivalent: ``torch.nn.functional.ctc_loss`` (and ``nn.CTCLoss``, its module).

A target l of length S is read off T frames of per-class log-probabilities by any path
π ∈ {classes}ᵀ that collapses to l once repeats are merged and blanks dropped. With the target
extended by blanks, l' = (∅, l₁, ∅, l₂, …, l_S, ∅) of length 2S + 1, the forward variable
α_t(s) = log Σ over path prefixes π₁…π_t ending in l'_s obeys

    α₀(0) = y₀(∅),  α₀(1) = y₀(l₁),
    α_t(s) = logsumexp(α_{t−1}(s), α_{t−1}(s−1), α_{t−1}(s−2) if l'_s ≠ ∅ and l'_s ≠ l'_{s−2})
             + y_t(l'_s),

where y_t(c) is the log-probability of class c at frame t, and the loss is
−log p(l | y) = −logsumexp(α_{T−1}(2S), α_{T−1}(2S − 1)).

The loss is the registry primitive ``ctc_loss`` (``ops.py``; kernels in ``_ctc_kernels.py``):
its forward is the α recursion in numpy, one step per frame, vectorised over the batch and the
2S + 1 states, and its rule the recursion's reverse pass (from the shares of each log-sum-exp
that the forward keeps), giving the posterior γ_t(s) of each state and
ȳ_t(c) = −ḡ Σ_{s : l'_s = c} γ_t(s), the exact gradient with respect to ``log_probs`` (torch's
kernel returns that plus e^{y_t(c)}, the same once passed back through ``log_softmax``, see
``ctc_loss``). As torch's, the gradient is not differentiable again: γ is computed in numpy, so
a second derivative raises instead of silently missing γ's dependence on ``log_probs``.
(Composed of Tensor ops, the recursion was exact too, but recorded a graph of small nodes per
frame: about 25× torch's time at T = 50, N = 16, C = 20, S = 10, against about 1.9× now.)

Unreachable states hold log 0 = −∞ exactly; the kernels' log-sum-exp of −∞ terms is −∞
without a 0/0, so every path that cannot complete the target gets an exact zero.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .ops import OPS
from .tensor import Tensor, _apply, where

__all__ = ["ctc_loss"]


def _lengths(value: Any, name: str, batch: int | None) -> np.ndarray:
    """``input_lengths`` or ``target_lengths`` as an int64 array: a Tensor of integers or a
    sequence of ints, as torch takes them; 0-d for an unbatched input (``batch`` None)."""
    if isinstance(value, Tensor):
        if value.dtype.kind not in "iu":
            raise RuntimeError(f"ctc_loss(): {name} must be integral, got dtype {value.dtype}")
        a = value.data.astype(np.int64)
    elif isinstance(value, (list, tuple)):
        for i, n in enumerate(value):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
                raise TypeError(f"ctc_loss(): {name}[{i}] must be an int, got {n!r}")
        a = np.asarray(value, dtype=np.int64).reshape(-1)
    elif batch is None and isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        a = np.asarray(value, dtype=np.int64)
    else:
        raise TypeError(
            f"ctc_loss(): {name} must be a Tensor of integers or a list of ints, got "
            f"{type(value).__name__}"
        )
    want = 1 if batch is None else batch
    if a.size != want or a.ndim > 1:
        raise RuntimeError(
            f"ctc_loss(): {name} must be of size batch_size = {want}, got shape {a.shape}"
        )
    return a.reshape(want)


def _labels(
    targets: Any, target_lengths: np.ndarray, batched: bool, classes: int, blank: int
) -> np.ndarray:
    """The targets as an (N, max S) int64 array, padded with ``blank`` past each length, from
    either torch layout: padded (N, S_max) or the targets concatenated in 1-d."""
    if not isinstance(targets, Tensor):
        raise TypeError(f"ctc_loss(): targets must be a Tensor, got {type(targets).__name__}")
    if targets.dtype.kind not in "iu":
        raise RuntimeError(f"ctc_loss(): targets must be integral, got dtype {targets.dtype}")
    t = targets.data.astype(np.int64)
    if not batched:
        t = t.reshape(1, -1) if t.ndim <= 1 else t
    N = target_lengths.size
    S = int(target_lengths.max(initial=0))
    labels = np.full((N, S), blank, dtype=np.int64)
    if t.ndim == 2 and (batched or t.shape[0] == 1):
        if t.shape[0] != N:
            raise RuntimeError(
                f"ctc_loss(): targets of shape {targets.shape} hold {t.shape[0]} sequences for "
                f"a batch of {N}"
            )
        if t.shape[1] < S:
            raise RuntimeError(
                f"ctc_loss(): target_lengths {target_lengths.tolist()} exceed the targets' "
                f"padded length {t.shape[1]} (targets of shape {targets.shape})"
            )
        for n, k in enumerate(target_lengths):
            labels[n, :k] = t[n, :k]
    elif t.ndim == 1:
        total = int(target_lengths.sum())
        if t.shape[0] != total:
            raise RuntimeError(
                f"ctc_loss(): concatenated targets of size {t.shape[0]} for target_lengths "
                f"{target_lengths.tolist()}, which sum to {total}"
            )
        starts = np.concatenate([[0], np.cumsum(target_lengths)[:-1]])
        for n, (start, k) in enumerate(zip(starts, target_lengths)):
            labels[n, :k] = t[start : start + k]
    else:
        raise RuntimeError(
            f"ctc_loss(): targets must be 2-d (N, S) or 1-d (concatenated), got shape "
            f"{targets.shape}"
        )
    used = np.arange(S)[None, :] < target_lengths[:, None]
    outside = used & ((labels < 0) | (labels >= classes))
    if outside.any():
        raise IndexError(
            f"ctc_loss(): target label {labels[outside][0]} is out of range for "
            f"{classes} classes (log_probs' last dim); labels must be in [0, {classes})"
        )
    return labels


_REDUCTIONS = ("none", "mean", "sum")


def ctc_loss(
    log_probs: Tensor,
    targets: Tensor,
    input_lengths: Any,
    target_lengths: Any,
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
) -> Tensor:
    """The CTC loss −log p(lₙ | yₙ) of each target sequence given the frames' log-probabilities
    (``torch.nn.functional.ctc_loss``).

    ``log_probs`` (T, N, C) holds log-probabilities (usually ``log_softmax`` over C, which
    includes the ``blank`` class), or (T, C) unbatched; ``targets`` is (N, S_max) padded or the
    targets concatenated in 1-d (Σ target_lengths,), with labels in [0, C); ``input_lengths``
    and ``target_lengths`` (N,) are int Tensors or lists. A target that no path of its input's
    length can produce has loss ∞, or 0 with ``zero_infinity`` (its gradient then 0).
    ``reduction='mean'`` divides each loss by its target length (at least 1) before the
    batch mean, as torch; ``'sum'`` adds; ``'none'`` gives the (N,) losses.

    Gradient: ȳ_t(c) = −ḡ Σ_{s : l'_s = c} α_t(s)β_t(s) / p(l | y), the exact derivative with
    respect to ``log_probs`` (see the module docstring). torch's kernel returns e^{y_t(c)}
    plus this, which it may as it assumes normalised log-probabilities: through a
    ``log_softmax`` the two agree, as Σ_c of the extra term's adjoint is cancelled there; fed
    raw scores, this one is the true gradient and torch's is not. For an infinite loss the
    gradient is 0 here where torch's is nan; so is it at a log-probability of −∞ (a class that
    frame cannot emit), where torch's kernel gives nan (and nan for the whole frame through a
    ``log_softmax``): here it is the limit, what torch gives for −10³⁰ in its place. Targets
    holding the ``blank`` index (invalid, per torch's documentation) give torch's loss, and
    here its derivative, where torch's kernel's gradient is not (off by ~0.1 from finite
    differences of its own loss). Once differentiable, as torch's: differentiating the
    gradient again (``create_graph=True``) raises.
    """
    op = "ctc_loss"
    if not isinstance(log_probs, Tensor):
        raise TypeError(f"{op}(): log_probs must be a Tensor, got {type(log_probs).__name__}")
    if log_probs.dtype.kind != "f":
        raise RuntimeError(f"{op}(): log_probs must be floating point, got {log_probs.dtype}")
    if log_probs.ndim not in (2, 3):
        raise RuntimeError(
            f"{op}(): log_probs must be 3-d (T, N, C) or unbatched 2-d (T, C), got shape "
            f"{log_probs.shape}"
        )
    if 0 in log_probs.shape:
        raise RuntimeError(f"{op}(): log_probs tensor must not be empty (shape {log_probs.shape})")
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if isinstance(blank, bool) or not isinstance(blank, (int, np.integer)):
        raise TypeError(f"{op}(): blank must be an int, got {blank!r}")
    batched = log_probs.ndim == 3
    x = log_probs if batched else log_probs.unsqueeze(1)
    T, N, C = x.shape
    if not 0 <= blank < C:
        raise RuntimeError(f"blank must be in label range: blank={blank} for {C} classes")
    in_lengths = _lengths(input_lengths, "input_lengths", N if batched else None)
    tg_lengths = _lengths(target_lengths, "target_lengths", N if batched else None)
    for name, a in (("input_lengths", in_lengths), ("target_lengths", tg_lengths)):
        if (a < 0).any():
            raise RuntimeError(f"{op}(): {name} must be at least 0, got {a.tolist()}")
    if (in_lengths > T).any():
        raise RuntimeError(
            f"{op}(): input_lengths {in_lengths.tolist()} must be at most T = {T} (log_probs "
            f"of shape {log_probs.shape})"
        )
    labels = _labels(targets, tg_lengths, batched, C, blank)

    nll = _apply(
        OPS["ctc_loss"],
        x,
        labels=labels,
        input_lengths=in_lengths,
        target_lengths=tg_lengths,
        blank=int(blank),
        _saved=[],  # the α pass, kept by the forward for the rule's reverse pass
    )
    loss = where(Tensor._make(np.isfinite(nll.data)), nll, 0.0) if zero_infinity else nll
    if reduction == "mean":
        divisor = np.maximum(tg_lengths, 1).astype(x.dtype)
        return (loss / Tensor._make(divisor)).mean()
    if reduction == "sum":
        return loss.sum()
    return loss if batched else loss.squeeze(0)

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

The recursion here is composed of Tensor ops, vectorised over the batch and the 2S + 1 states
(one step per frame), so its gradient is the engine's backward through it: the backward pass
through the α recursion *is* the β recursion, giving ȳ_t(c) = −Σ_{s : l'_s = c} α_t(s)β_t(s)
/ p(l | y), the exact gradient with respect to ``log_probs`` (torch's kernel returns that
plus e^{y_t(c)}, the same once passed back through ``log_softmax``, see ``ctc_loss``).

Unreachable states hold a large finite negative number instead of −∞: a logsumexp of three
−∞ would give a 0/0 gradient, while the finite stand-in gives exact zeros to every path that
cannot complete the target.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import Tensor, cat, stack, where

__all__ = ["ctc_loss"]

# Stands for log 0. Far below any real log-likelihood, yet finite in float32 and float64, and
# adding a frame's log-probability leaves it unchanged (it is absorbed by rounding).
_LOG_ZERO = -1e30


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


def _log_likelihood(
    log_probs: Tensor,
    labels: np.ndarray,
    blank: int,
    input_lengths: np.ndarray,
    target_lengths: np.ndarray,
) -> Tensor:
    """log p(lₙ | yₙ) for each sequence n of the batch: the α recursion over the frames, all
    sequences and states at once; α is read at each sequence's own last frame and states."""
    T, N, _ = log_probs.shape
    width = 2 * labels.shape[1] + 1  # the states of the extended targets l'
    extended = np.full((N, width), blank, dtype=np.int64)
    extended[:, 1::2] = labels
    # The skip α_{t−1}(s−2) → α_t(s) is allowed into a label state whose label differs from the
    # one two states back (torch's test, by parity, so a blank inside a target acts as torch's).
    skip = np.zeros((N, width), dtype=bool)
    skip[:, 3::2] = labels[:, 1:] != labels[:, :-1]
    skip_mask = Tensor._make(skip)
    first = np.zeros((N, width), dtype=bool)
    first[:, :2] = True
    log_zero = Tensor._make(np.full((N, 2), _LOG_ZERO, dtype=log_probs.dtype))

    # y_t(l'_s) for every frame, sequence and state: one gather, whose adjoint scatter-adds.
    emit = log_probs[np.arange(T)[:, None, None], np.arange(N)[None, :, None], extended[None]]
    # A class of probability 0 (log −∞) becomes the finite stand-in too.
    emits = emit.clamp(min=_LOG_ZERO).unbind(0)
    alpha = where(Tensor._make(first), emits[0], _LOG_ZERO)
    alphas = [alpha]
    for t in range(1, T):
        shifted = cat([log_zero, alpha], dim=1)  # column s + 2 is α(s), so slices shift s
        stay, step = shifted[:, 2:], shifted[:, 1:-1]
        jump = where(skip_mask, shifted[:, :-2], _LOG_ZERO)
        alpha = stack([stay, step, jump]).logsumexp(0) + emits[t]
        alphas.append(alpha)

    # The final states 2S and 2S − 1 (2S alone for an empty target) at frame Tₙ − 1.
    last = np.maximum(input_lengths - 1, 0)[:, None]
    states = np.stack([2 * target_lengths, np.maximum(2 * target_lengths - 1, 0)], axis=1)
    ends = stack(alphas)[last, np.arange(N)[:, None], states]
    both = np.stack([np.ones(N, dtype=bool), target_lengths > 0], axis=1)
    ll = where(Tensor._make(both), ends, _LOG_ZERO).logsumexp(1)
    # No frames: only the empty target is read, with probability 1.
    no_frames = input_lengths == 0
    if no_frames.any():
        empty_ll = np.where(target_lengths == 0, 0.0, _LOG_ZERO).astype(log_probs.dtype)
        ll = where(Tensor._make(no_frames), Tensor._make(empty_ll), ll)
    return ll


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
    differences of its own loss).
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

    ll = _log_likelihood(x, labels, blank, in_lengths, tg_lengths)
    feasible = Tensor._make(ll.data > _LOG_ZERO / 2)
    loss = where(feasible, -ll, 0.0 if zero_infinity else float("inf"))
    if reduction == "mean":
        divisor = np.maximum(tg_lengths, 1).astype(x.dtype)
        return (loss / Tensor._make(divisor)).mean()
    if reduction == "sum":
        return loss.sum()
    return loss if batched else loss.squeeze(0)

"""Numpy kernels of the CTC loss: the α and β recursions of Graves et al. (2006), in log space.

A target l of length S is extended by blanks to l' = (∅, l₁, ∅, l₂, …, l_S, ∅), 2S + 1 states.
With y_t(c) the log-probability of class c at frame t, the forward variable (paths π₁…π_t that
end in state s) and the backward variable (paths π_t…π_{T−1} from state s) are

    α₀(0) = y₀(∅),  α₀(1) = y₀(l₁),   α_t(s) = lse_{s′ ∈ in(s)} α_{t−1}(s′) + y_t(l′_s),
    β_{T−1}(s) = y_{T−1}(l′_s) for s = 2S, 2S − 1,
    β_t(s) = lse_{s′ ∈ out(s)} β_{t+1}(s′) + y_t(l′_s),

with lse the log-sum-exp, in(s) = {s, s − 1, s − 2 if l′_s ≠ ∅ and l′_s ≠ l′_{s−2}} and out(s)
its mirror (the s′ with s ∈ in(s′)). Then log p(l | y) = lse(α_{T−1}(2S), α_{T−1}(2S − 1)), and
as both α_t(s) and β_t(s) count y_t(l′_s), the posterior of state s at frame t is
γ_t(s) = exp(α_t(s) + β_t(s) − y_t(l′_s) − log p), so that

    ∂ log p / ∂y_t(c) = Σ_{s : l′_s = c} γ_t(s)

(each path through state s at frame t emits y_t(l′_s) once).

β is α's recursion run backwards: reversing the frames and the states turns out(s) into in(s),
so both run through one loop, a few numpy calls per frame on the whole batch (a composition of
Tensor ops would record T·(2S + 1)-wide graphs of small nodes: the reason this is a primitive,
see ``ops.py``'s ``ctc_loss``). The log-sum-exp of three terms shifts by their maximum, so it is
exact for every state on its own, however far apart the states' values are.

Log 0 is a large finite negative number, ``LOG_ZERO``: far below any real log-likelihood, yet
finite in float32 and float64, and absorbed by rounding when a real log-probability is added to
it. A log-sum-exp of such terms stays near it with no 0/0, so every path that cannot complete
the target gets an exact zero; a log-likelihood below ``LOG_ZERO / 2`` is that of a target no
path produces, and becomes −∞. A class of probability 0 (log −∞) is the stand-in too.

This module imports only numpy.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ctc_neg_log_likelihood", "ctc_posterior"]


LOG_ZERO = -1e30


def _working(x: np.ndarray) -> np.ndarray:
    """x in float32 at least: ``LOG_ZERO`` is −∞ in float16."""
    return x.astype(np.promote_types(x.dtype, np.float32), copy=False)


def _states(labels: np.ndarray, blank: int, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
    """The extended targets l′ (N, 2S + 1) and, per state, 0 where the step s − 2 → s is
    allowed and ``LOG_ZERO`` where not (added to α_{t−1}(s − 2)): into a label state whose
    label differs from the one two states back, tested by parity as torch's (so a blank inside
    a target acts as in torch)."""
    n, s = labels.shape
    extended = np.full((n, 2 * s + 1), blank, dtype=np.int64)
    extended[:, 1::2] = labels
    skip = np.full((n, 2 * s + 1), LOG_ZERO, dtype=dtype)
    skip[:, 3::2] = np.where(labels[:, 1:] != labels[:, :-1], 0, LOG_ZERO)
    return extended, skip


def _emissions(x: np.ndarray, extended: np.ndarray) -> np.ndarray:
    """y_t(l′_s) for every frame, sequence and state (T, N, 2S + 1), at least ``LOG_ZERO``."""
    frames, n, _ = x.shape
    emit = x[np.arange(frames)[:, None, None], np.arange(n)[:, None], extended]
    return np.asarray(np.maximum(emit, x.dtype.type(LOG_ZERO)))


def _recursion(
    emit: np.ndarray, skip: np.ndarray, first: np.ndarray, start: np.ndarray
) -> np.ndarray:
    """r_t(s) = lse(r_{t−1}(s), r_{t−1}(s − 1), r_{t−1}(s − 2) + skip(s)) + emit_t(s) for each row
    (a sequence, or a reversed one) from its first frame ``first[n]`` on, where it is
    ``start[n]``; ``LOG_ZERO`` before. Returned (T, N, 2 + W): two columns of log 0 in front,
    so that the three terms of every state are one strided view of the previous frame."""
    frames, n, width = emit.shape
    r = np.full((frames, n, width + 2), LOG_ZERO, dtype=emit.dtype)
    # terms[k, :, s] = r_{t−1}(s − k), with skip added to the third (k = 2)
    shift = np.zeros((3, n, width), dtype=emit.dtype)
    shift[2] = skip
    (frame, row, col), views = r.strides, r[:, :, 2:]
    previous = np.lib.stride_tricks.as_strided(
        views, (frames, 3, n, width), (frame, -col, row, col)
    )
    terms = np.empty((3, n, width), dtype=emit.dtype)
    top, total = np.empty((2, n, width), dtype=emit.dtype)
    begins: dict[int, np.ndarray] = {}
    for t in set(first.tolist()):
        begins[t] = first == t
    # A few whole-batch numpy calls per frame, all into buffers: the frames' loop is the cost.
    for t in range(frames):
        cur = r[t, :, 2:]
        if t > 0:
            np.add(previous[t - 1], shift, out=terms)
            np.maximum(terms[0], terms[1], out=top)
            np.maximum(top, terms[2], out=top)
            np.subtract(terms, top, out=terms)
            np.exp(terms, out=terms)
            np.add(terms[0], terms[1], out=total)
            total += terms[2]  # at least 1 (the largest term is e⁰): its log is finite
            np.log(total, out=total)
            total += top
            np.add(total, emit[t], out=cur)
        rows = begins.get(t)
        if rows is not None:
            cur[rows] = start[rows]
    return r


def _log_alpha(emit: np.ndarray, skip: np.ndarray) -> np.ndarray:
    """α (T, N, 2 + 2S + 1), with ``_recursion``'s two columns of log 0 in front."""
    _, n, width = emit.shape
    start = np.full((n, width), LOG_ZERO, dtype=emit.dtype)
    start[:, :2] = emit[0, :, :2]
    return _recursion(emit, skip, np.zeros(n, dtype=np.int64), start)


def _log_likelihood(
    alpha: np.ndarray, input_lengths: np.ndarray, target_lengths: np.ndarray
) -> np.ndarray:
    """log p(lₙ | yₙ): α at each sequence's last frame Tₙ − 1, states 2Sₙ and 2Sₙ − 1 (the
    first alone for an empty target); with no frames, 0 for an empty target, else −∞ (as for
    every target no path produces)."""
    n = np.arange(alpha.shape[1])
    last = np.maximum(input_lengths - 1, 0)
    end = alpha[last, n, 2 + 2 * target_lengths]
    before = alpha[last, n, 1 + 2 * target_lengths]  # column 1 (log 0) for an empty target
    ll = np.logaddexp(end, before)
    ll = np.where(input_lengths == 0, np.where(target_lengths == 0, 0, LOG_ZERO), ll)
    return np.where(ll > LOG_ZERO / 2, ll, -np.inf).astype(alpha.dtype)


def ctc_neg_log_likelihood(
    x: np.ndarray,
    *,
    labels: np.ndarray,
    input_lengths: np.ndarray,
    target_lengths: np.ndarray,
    blank: int,
) -> np.ndarray:
    """−log p(lₙ | yₙ) (N,) for log-probabilities x (T, N, C) and padded labels (N, S_max);
    ∞ for a target that no path of its input's length produces."""
    work = _working(x)
    extended, skip = _states(labels, blank, work.dtype)
    alpha = _log_alpha(_emissions(work, extended), skip)
    return np.asarray(-_log_likelihood(alpha, input_lengths, target_lengths)).astype(x.dtype)


def ctc_posterior(
    x: np.ndarray,
    *,
    labels: np.ndarray,
    input_lengths: np.ndarray,
    target_lengths: np.ndarray,
    blank: int,
) -> np.ndarray:
    """Σ_{s : l′_s = c} γ_t(s) (T, N, C), the derivative of log p(lₙ | yₙ) with respect to
    x[t, n, c]; zero past each sequence's last frame and for a target of probability 0."""
    frames, n, classes = x.shape
    dtype = _working(x).dtype
    extended, skip = _states(labels, blank, dtype)
    emit = _emissions(_working(x), extended)
    width = emit.shape[2]
    # β as α's recursion on reversed frames and states, in the same loop as α: rows N… of the
    # batch. Sequence n's β starts at its last frame Tₙ − 1 (reversed: T − Tₙ), in its final
    # states 2Sₙ and 2Sₙ − 1 (reversed: W − 1 − 2Sₙ and W − 2Sₙ); the step s → s + 2 reversed
    # is allowed where the step into s + 2 is.
    rows = np.arange(n)
    start_alpha = np.full((n, width), LOG_ZERO, dtype=dtype)
    start_alpha[:, :2] = emit[0, :, :2]
    last = np.maximum(input_lengths - 1, 0)
    start_beta = np.full((n, width), LOG_ZERO, dtype=dtype)
    for s in (2 * target_lengths, np.maximum(2 * target_lengths - 1, 0)):
        start_beta[rows, width - 1 - s] = emit[last, rows, s]
    skip_ahead = np.full_like(skip, LOG_ZERO)
    skip_ahead[:, :-2] = skip[:, 2:]
    both = _recursion(
        np.concatenate([emit, emit[::-1, :, ::-1]], axis=1),
        np.concatenate([skip, skip_ahead[:, ::-1]]),
        np.concatenate([np.zeros(n, dtype=np.int64), frames - input_lengths]),
        np.concatenate([start_alpha, start_beta]),
    )
    alpha = both[:, :n]
    beta = both[::-1, n:, :1:-1]  # frames and states back in order, the padding dropped
    ll = _log_likelihood(alpha, input_lengths, target_lengths)
    feasible = np.isfinite(ll)
    log_gamma = alpha[:, :, 2:] + beta - emit - np.where(feasible, ll, 0)[None, :, None]
    gamma = np.where(feasible[None, :, None], np.exp(log_gamma), 0)
    # each state's posterior added into its class: one bincount over flat (t, n, c) places
    places = (np.arange(frames)[:, None, None] * n + rows[None, :, None]) * classes
    places = places + extended[None]
    summed = np.bincount(places.ravel(), weights=gamma.ravel(), minlength=frames * n * classes)
    return summed.reshape(frames, n, classes).astype(x.dtype, copy=False)

"""Numpy kernels of the CTC loss: the α recursion of Graves et al. (2006) in log space, and its
adjoint, the posterior of every state.

A target l of length S is extended by blanks to l' = (∅, l₁, ∅, l₂, …, l_S, ∅), 2S + 1 states.
With y_t(c) the log-probability of class c at frame t, the forward variable (paths π₁…π_t that
end in state s) is

    α₀(0) = y₀(∅),  α₀(1) = y₀(l₁),   α_t(s) = L_t(s) + y_t(l′_s),
    L_t(s) = lse_{s′ ∈ in(s)} α_{t−1}(s′),

with lse the log-sum-exp and in(s) = {s, s − 1, s − 2 if l′_s ≠ ∅ and l′_s ≠ l′_{s−2}}; then
log p(l | y) = lse(α_{T−1}(2S), α_{T−1}(2S − 1)). The log-sum-exp of three terms shifts by
their maximum, so it is exact for every state on its own, however far apart the states' values
are (a state e^{−1000} below the frame's best may be the only one that can still finish).

The gradient is the reverse pass of that recursion. Write ᾱ_t(s) = ∂ log p / ∂α_t(s); as y_t(l′_s)
is added to α_t(s) and nowhere else,

    ∂ log p / ∂y_t(c) = Σ_{s : l′_s = c} ᾱ_t(s),

and ᾱ_t(s) is the posterior γ_t(s) of state s at frame t (the α·β / p of Graves et al.). Each
lse passes its adjoint to its terms in proportion to their share,

    ᾱ_{T−1}(s) = e^{α_{T−1}(s) − log p} for s = 2S, 2S − 1,
    ᾱ_{t−1}(s′) = Σ_{s : s′ ∈ in(s)} ᾱ_t(s) · w_t(s, s′),   w_t(s, s′) = e^{α_{t−1}(s′) − L_t(s)},

shares in [0, 1] that the forward pass computed already (its e^{term − max} over their sum):
saved, the reverse pass is a few multiplications and additions per frame, with no exp or log,
and as every ᾱ is a probability, nothing overflows. (β in log space, run as a second
recursion, would cost as much as α again.)

Log 0 is a large finite negative number, ``LOG_ZERO``: far below any real log-likelihood, yet
finite in float32 and float64, and absorbed by rounding when a real log-probability is added to
it. A log-sum-exp of such terms stays near it with no 0/0, so every path that cannot complete
the target gets an exact zero, and its states' shares e^{α − L} underflow to 0; a
log-likelihood below ``LOG_ZERO / 2`` is that of a target no path produces, and becomes −∞. A
class of probability 0 (log −∞) is the stand-in too.

This module imports only numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["CtcForward", "ctc_forward", "ctc_neg_log_likelihood", "ctc_posterior"]


LOG_ZERO = -1e30


def _working(x: np.ndarray) -> np.ndarray:
    """x in float32 at least: ``LOG_ZERO`` is −∞ in float16."""
    return x.astype(np.promote_types(x.dtype, np.float32), copy=False)


@dataclass
class CtcForward:
    """What the α pass leaves for the gradient: the extended targets l′ (N, W = 2S + 1), the
    log-likelihoods (N,), α (T, N, W) and the shares ``share[t, k, n, s]`` = w_t(s, s − k)
    (T, 3, N, W; frame 0's unused), 0 where the step s − k → s is not allowed."""

    extended: np.ndarray
    log_likelihood: np.ndarray
    alpha: np.ndarray
    share: np.ndarray


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


def ctc_forward(
    x: np.ndarray,
    labels: np.ndarray,
    input_lengths: np.ndarray,
    target_lengths: np.ndarray,
    blank: int,
) -> CtcForward:
    """The α pass over log-probabilities x (T, N, C) and padded labels (N, S_max), in x's
    precision (float32 at least)."""
    work = _working(x)
    frames, n, _ = work.shape
    extended, skip = _states(labels, blank, work.dtype)
    width = extended.shape[1]
    # y_t(l′_s) (T, N, W), at least LOG_ZERO
    emit = np.take_along_axis(work, np.broadcast_to(extended, (frames, n, width)), axis=2)
    np.maximum(emit, LOG_ZERO, out=emit)
    # α with two columns of log 0 in front, so that the three terms of every state are one
    # strided view of the previous frame: previous[t, k, :, s] = α_t(s − k)
    padded = np.full((frames, n, width + 2), LOG_ZERO, dtype=work.dtype)
    alpha = padded[:, :, 2:]
    frame, row, col = padded.strides
    previous = np.lib.stride_tricks.as_strided(
        alpha, (frames, 3, n, width), (frame, -col, row, col)
    )
    shift = np.zeros((3, n, width), dtype=work.dtype)
    shift[2] = skip
    share = np.zeros((frames, 3, n, width), dtype=work.dtype)
    total = np.ones((frames, 1, n, width), dtype=work.dtype)
    top, lse = np.empty((2, n, width), dtype=work.dtype)
    alpha[0, :, :2] = emit[0, :, :2]
    # A few whole-batch numpy calls per frame, all into buffers: the frames' loop is the cost.
    for t in range(1, frames):
        terms = share[t]
        np.add(previous[t - 1], shift, out=terms)
        np.maximum(terms[0], terms[1], out=top)
        np.maximum(top, terms[2], out=top)
        np.subtract(terms, top, out=terms)
        np.exp(terms, out=terms)
        np.add(terms[0], terms[1], out=total[t, 0])
        total[t, 0] += terms[2]  # at least 1 (the largest term is e⁰): its log is finite
        np.log(total[t, 0], out=lse)
        lse += top
        np.add(lse, emit[t], out=alpha[t])
    share /= total  # e^{term − max} over their sum: the shares, for all frames in one call
    ll = _log_likelihood(alpha, input_lengths, target_lengths)
    return CtcForward(extended, ll, alpha, share)


def _log_likelihood(
    alpha: np.ndarray, input_lengths: np.ndarray, target_lengths: np.ndarray
) -> np.ndarray:
    """log p(lₙ | yₙ): α at each sequence's last frame Tₙ − 1, states 2Sₙ and 2Sₙ − 1 (the
    first alone for an empty target); with no frames, 0 for an empty target, else −∞ (as for
    every target no path produces)."""
    n = np.arange(alpha.shape[1])
    last = np.maximum(input_lengths - 1, 0)
    end = alpha[last, n, 2 * target_lengths]
    before = np.where(
        target_lengths > 0, alpha[last, n, np.maximum(2 * target_lengths - 1, 0)], LOG_ZERO
    )
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
    _saved: list[CtcForward] | None = None,
) -> np.ndarray:
    """−log p(lₙ | yₙ) (N,) for log-probabilities x (T, N, C) and padded labels (N, S_max);
    ∞ for a target that no path of its input's length produces. The α pass is appended to
    ``_saved`` if given, for ``ctc_posterior`` (underscored: the op's private state, which a
    drawing does not show among its arguments)."""
    forward = ctc_forward(x, labels, input_lengths, target_lengths, blank)
    if _saved is not None:
        _saved.append(forward)
    return np.asarray(-forward.log_likelihood).astype(x.dtype)


def ctc_posterior(
    x: np.ndarray,
    *,
    labels: np.ndarray,
    input_lengths: np.ndarray,
    target_lengths: np.ndarray,
    blank: int,
    saved: list[CtcForward] | None = None,
) -> np.ndarray:
    """Σ_{s : l′_s = c} γ_t(s) (T, N, C), the derivative of log p(lₙ | yₙ) with respect to
    x[t, n, c]; zero past each sequence's last frame and for a target of probability 0. Reads
    the α pass of x from ``saved`` if it holds one, else runs it. The pass is taken out of
    ``saved``: its memory goes with this backward, as a node's saved tensors do (a second
    backward through a retained graph runs the pass again)."""
    forward = saved.pop() if saved else ctc_forward(x, labels, input_lengths, target_lengths, blank)
    frames, n, classes = x.shape
    alpha, share, ll = forward.alpha, forward.share, forward.log_likelihood
    width = alpha.shape[2]
    rows = np.arange(n)
    # ᾱ with two columns in front that take the adjoints of the states −1 and −2 (none)
    padded = np.zeros((frames, n, width + 2), dtype=alpha.dtype)
    adjoint = padded[:, :, 2:]
    # the seeds: each feasible sequence's final states at its last frame Tₙ − 1
    feasible = np.isfinite(ll) & (input_lengths > 0)
    last = input_lengths - 1
    for s in (2 * target_lengths, 2 * target_lengths - 1):
        ok = feasible & (s >= 0)
        t, r, k = last[ok], rows[ok], s[ok]
        adjoint[t, r, k] = np.exp(alpha[t, r, k] - ll[ok])
    passed = np.empty((3, n, width), dtype=alpha.dtype)
    for t in range(frames - 1, 0, -1):
        np.multiply(share[t], adjoint[t], out=passed)
        padded[t - 1, :, 2:] += passed[0]
        padded[t - 1, :, 1:-1] += passed[1]
        padded[t - 1, :, :-2] += passed[2]
    # each state's posterior added into its class: one bincount over flat (t, n, c) places
    places = (np.arange(frames)[:, None, None] * n + rows[None, :, None]) * classes
    places = places + forward.extended[None]
    summed = np.bincount(places.ravel(), weights=adjoint.ravel(), minlength=frames * n * classes)
    return summed.reshape(frames, n, classes).astype(x.dtype, copy=False)

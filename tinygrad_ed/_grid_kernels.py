"""Numpy kernels of ``grid_sample``: the weighted gather, its adjoint scatter, and the weights'
derivative, the three partial derivatives of one trilinear form.

``grid_sample`` reads, for each output place p of sample n, K places ``index[n, k, p]`` of the
input x (N, C, L), its spatial dims flattened, and sums them with weights w (N, K, P) that
depend on the grid (the interpolation mode's corners or taps). A place L is outside the input:
it reads 0 and receives nothing. With y (N, C, P) standing for the output (or its adjoint),

    T(x, w, y) = Σ_{n,c,k,p} w[n, k, p] · y[n, c, p] · x[n, c, index[n, k, p]]

is linear in each argument, and the three kernels are its partial derivatives:

    gather  = ∂T/∂y:  out[n, c, p] = Σ_k w[n, k, p] · x[n, c, index[n, k, p]]      (the sampling)
    scatter = ∂T/∂x:  out[n, c, l] = Σ_{k, p : index[n, k, p] = l} w[n, k, p] · y[n, c, p]
    dot     = ∂T/∂w:  out[n, k, p] = Σ_c y[n, c, p] · x[n, c, index[n, k, p]]

so the adjoint of each is made of the other two (see the registry's ``sample_*`` ops), to any
order. Each works through one (sample, corner) pair at a time on (C, P) buffers it reuses:
composed of Tensor ops, the same sums made (N, C, K, P) products and an index of that size,
fresh memory for every call, which cost more than the arithmetic.

This module imports only numpy.
"""

from __future__ import annotations

import numpy as np

__all__ = ["sample_dot", "sample_gather", "sample_scatter"]


def _padded(x: np.ndarray) -> np.ndarray:
    """x (N, C, L) with a zero at place L of every channel: the read of a place outside."""
    n, c, size = x.shape
    out = np.empty((n, c, size + 1), dtype=x.dtype)
    out[:, :, :size] = x
    out[:, :, size] = 0
    return out


def sample_gather(x: np.ndarray, w: np.ndarray, *, index: np.ndarray, size: int) -> np.ndarray:
    """out[n, c, p] = Σ_k w[n, k, p] · x[n, c, index[n, k, p]] (N, C, P); index L reads 0."""
    n, c, _ = x.shape
    table = _padded(x)
    out = np.zeros((n, c, index.shape[2]), dtype=np.result_type(x, w))
    read = np.empty(out.shape[1:], dtype=x.dtype)
    for i in range(n):
        for k in range(index.shape[1]):
            np.take(table[i], index[i, k], axis=1, out=read, mode="clip")  # clip: no checks
            read *= w[i, k]
            out[i] += read
    return out


def sample_scatter(y: np.ndarray, w: np.ndarray, *, index: np.ndarray, size: int) -> np.ndarray:
    """out[n, c, l] = Σ_{k, p : index[n, k, p] = l} w[n, k, p] · y[n, c, p] (N, C, L); the
    adjoint of ``sample_gather`` in x."""
    n, c, p = y.shape
    dtype = np.result_type(y, w)
    out = np.zeros((n, c * (size + 1)), dtype=dtype)  # place L of each channel: dropped
    rows = np.arange(c).reshape(c, 1) * (size + 1)
    places = np.empty((c, p), dtype=np.int64)
    added = np.empty((c, p), dtype=dtype)
    for i in range(n):
        for k in range(index.shape[1]):
            np.add(rows, index[i, k], out=places)
            np.multiply(y[i], w[i, k], out=added)
            # a 1-d index into a 1-d array: numpy's fast path of add.at (repeats accumulate)
            np.add.at(out[i], places.reshape(-1), added.reshape(-1))
    return out.reshape(n, c, size + 1)[:, :, :size]


def sample_dot(y: np.ndarray, x: np.ndarray, *, index: np.ndarray, size: int) -> np.ndarray:
    """out[n, k, p] = Σ_c y[n, c, p] · x[n, c, index[n, k, p]] (N, K, P); the adjoint of
    ``sample_gather`` in w."""
    table = _padded(x)
    out = np.empty(index.shape, dtype=np.result_type(y, x))
    read = np.empty(y.shape[1:], dtype=x.dtype)
    for i in range(index.shape[0]):
        for k in range(index.shape[1]):
            np.take(table[i], index[i, k], axis=1, out=read, mode="clip")
            read *= y[i]
            read.sum(0, out=out[i, k])
    return out

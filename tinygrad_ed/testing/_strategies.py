"""Hypothesis strategies and a gradient assertion, for gradient property tests.

These are the strategies tinygrad_ed's own test-suite uses to check every op, made public so
that you can check your own functions the same way::

    from hypothesis import given
    from tinygrad_ed.testing import arrays, assert_gradcheck, shapes

    @given(shapes().flatmap(arrays))
    def test_softplus_gradient(x):
        assert_gradcheck(lambda t: (t.exp() + 1).log(), x)

Samples are kept inside a domain and away from kinks *by construction* (a value closer than
``margin`` to a point in ``avoid`` moves to the nearest value of the domain far enough from
all of them), so no example is thrown away.
Needs the ``hypothesis`` package (``pip install tinygrad_ed[testing]``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..numgrad import gradcheck

__all__ = [
    "arrays",
    "assert_gradcheck",
    "broadcastable_shapes",
    "distinct_arrays",
    "index_for",
    "matmul_shapes",
    "reduction_dims",
    "shapes",
]

Shape = tuple[int, ...]


def shapes(min_dims: int = 0, max_dims: int = 3, max_side: int = 4) -> st.SearchStrategy[Shape]:
    """Array shapes, 0-d scalars included by default."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side)


def broadcastable_shapes(
    num_shapes: int = 2, min_dims: int = 0, max_dims: int = 3, max_side: int = 4
) -> st.SearchStrategy[Any]:
    """``num_shapes`` shapes that broadcast together (``.input_shapes``, ``.result_shape``)."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side
    )


def matmul_shapes(max_batch_dims: int = 2, max_side: int = 4) -> st.SearchStrategy[Any]:
    """Shape pairs valid for ``x @ y``: 1-D operands, matrices, and broadcast batch dims."""
    return hnp.mutually_broadcastable_shapes(
        signature="(m?,n),(n,p?)->(m?,p?)", max_dims=max_batch_dims, min_side=1, max_side=max_side
    )


def _beyond(k: float, margin: float, side: int) -> float:
    """The float64 nearest to k + side·margin whose distance from k, as floating point computes
    it, is at least ``margin`` (k + margin may round to a hair less)."""
    x = k + side * margin
    while abs(x - k) < margin:
        x = float(np.nextafter(x, side * np.inf))
    return x


def _allowed(
    domain: tuple[float, float], avoid: Sequence[float], margin: float
) -> list[tuple[float, float]]:
    """The closed intervals of ``domain`` at least ``margin`` from every point of ``avoid``."""
    intervals = [domain]
    for k in sorted(avoid):
        below, above = _beyond(k, margin, -1), _beyond(k, margin, +1)
        kept = []
        for a, b in intervals:
            if margin > 0 and a < above and b > below:  # overlaps (k − margin, k + margin): cut
                if a <= below:
                    kept.append((a, below))
                if b >= above:
                    kept.append((above, b))
            else:
                kept.append((a, b))
        intervals = kept
    return intervals


def _representable(
    intervals: Sequence[tuple[float, float]], dtype: Any
) -> list[tuple[float, float]]:
    """Each interval shrunk to its end points representable in ``dtype`` (those that keep a
    value). Rounding to the nearest is monotone, so a value between two representable end
    points rounds to one between them: casting cannot leave the domain or undercut a margin."""
    kind = np.dtype(dtype).type
    big = float(np.finfo(kind).max)
    shrunk = []
    for a, b in intervals:
        lo, hi = kind(max(a, -big)), kind(min(b, big))
        if float(lo) < a:  # compared in float64 (a numpy scalar would compare in dtype)
            lo = np.nextafter(lo, kind(np.inf))
        if float(hi) > b:
            hi = np.nextafter(hi, kind(-np.inf))
        if float(lo) <= float(hi):
            shrunk.append((float(lo), float(hi)))
    return shrunk


def _push_away(x: np.ndarray, intervals: Sequence[tuple[float, float]]) -> np.ndarray:
    """Each value moved to the nearest point of the allowed intervals (values inside stay)."""
    flat = x.reshape(-1)
    candidates = np.stack([np.clip(flat, a, b) for a, b in intervals])
    nearest = np.argmin(np.abs(candidates - flat), axis=0)
    moved: np.ndarray = candidates[nearest, np.arange(flat.size)].reshape(x.shape)
    return moved  # a 0-d array stays 0-d


def arrays(
    shape: Shape,
    domain: tuple[float, float] = (-2.0, 2.0),
    avoid: Sequence[float] = (),
    margin: float = 0.1,
    dtype: Any = np.float64,
) -> st.SearchStrategy[np.ndarray]:
    """Float arrays of ``shape`` with values in ``domain``, at least ``margin`` from ``avoid``.

    A drawn value too close to an avoid point moves to the nearest value in the domain that is
    far enough from all of them, so the domain and the margin both hold for every element, in
    ``dtype`` too (the allowed intervals end at values ``dtype`` represents).
    """
    lo, hi = domain
    intervals = _representable(_allowed((lo, hi), avoid, margin), dtype)
    if not intervals:
        raise ValueError(
            f"arrays(): no value of the domain {domain} is at least {margin} from {tuple(avoid)}"
        )
    elements = st.floats(lo, hi, allow_nan=False, allow_infinity=False, width=64)
    return hnp.arrays(np.float64, shape, elements=elements).map(
        lambda a: _push_away(a, intervals).astype(dtype)
    )


def distinct_arrays(
    shapes_: Sequence[Shape], domain: tuple[float, float] = (-2.0, 2.0), margin: float = 0.05
) -> st.SearchStrategy[list[np.ndarray]]:
    """Arrays whose values, all inside ``domain``, are pairwise ≥ ``margin`` apart across every
    array.

    Ties are kinks of max, min, maximum and minimum; drawing a permutation of a spaced grid,
    shifted by a drawn offset, rules them out by construction. The grid's step is a hair more
    than ``margin`` (8 units of rounding at the domain's scale), so that the rounding of
    lo + offset + k·step cannot bring two values closer than ``margin``.
    """
    sizes = [int(np.prod(s)) for s in shapes_]
    total = sum(sizes)
    lo, hi = domain
    pad = 8 * float(np.finfo(np.float64).eps) * (abs(lo) + abs(hi))
    step = max((hi - lo) / max(total, 1), margin + pad)
    if step * (total - 1) > hi - lo:
        raise ValueError(f"distinct_arrays(): {total} values {margin} apart do not fit in {domain}")
    slack = (hi - lo) - step * max(total - 1, 0)  # room to shift the grid within the domain

    def build(drawn: tuple[list[int], float]) -> list[np.ndarray]:
        perm, offset = drawn
        grid = lo + offset + step * np.asarray(perm, dtype=np.float64)
        values = np.clip(grid, lo, hi)  # rounding may overshoot an end by an ulp
        out, start = [], 0
        for shape, n in zip(shapes_, sizes):
            out.append(values[start : start + n].reshape(shape))
            start += n
        return out

    offsets = st.floats(0.0, slack, allow_nan=False, allow_infinity=False)
    return st.tuples(st.permutations(range(total)), offsets).map(build)


def reduction_dims(ndim: int) -> st.SearchStrategy[tuple[int, ...]]:
    """A sorted tuple of distinct dims to reduce over (possibly all of them)."""
    if ndim == 0:
        return st.just(())
    return st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(
        lambda d: tuple(sorted(d))
    )


def index_for(shape: Shape) -> st.SearchStrategy[Any]:
    """Indices for ``x[index]``: ints, slices, None, Ellipsis, and integer arrays with repeats."""
    if not shape:
        return st.sampled_from([(), None, Ellipsis])
    n = shape[0]
    integer_array = hnp.arrays(np.int64, st.integers(1, 5), elements=st.integers(-n, n - 1))
    first = st.one_of(
        st.integers(-n, n - 1),
        st.builds(slice, st.integers(0, n), st.integers(0, n) | st.none(), st.sampled_from([1, 2])),
        integer_array,
    )
    return st.one_of(
        first,
        st.tuples(first, st.just(Ellipsis)),
        st.tuples(st.none(), first),
    )


def assert_gradcheck(fn: Callable[..., Any], *inputs: Any, **options: Any) -> None:
    """Assert that backprop through ``fn`` matches finite differences at ``inputs`` (float64).

    Raises ``GradcheckError`` (an ``AssertionError``) with a table of the worst elements.
    ``options`` are gradcheck's (eps, atol, rtol, fast_mode, ...); raise_exception=False, which
    would turn a failure into a quiet False, is refused.
    """
    if "raise_exception" in options:
        raise TypeError(
            "assert_gradcheck() always raises on a failure; it takes no raise_exception"
        )
    gradcheck(fn, inputs, **options)

"""Code matrices: every reduction of this package is a matrix M ∈ {−1, 0, +1}^{C×P}.

Column p is one binary problem: an example of class k is a positive example of problem p if
M[k, p] = +1, a negative one if M[k, p] = −1, and problem p ignores it if M[k, p] = 0. Row k is
the *code word* of class k. (Allwein, Schapire & Singer 2000, "Reducing multiclass to binary".)

* one-vs-rest: M = 2I − 1 (C columns);
* one-vs-one: one column per pair i < j, +1 for i, −1 for j, 0 elsewhere (C(C−1)/2 columns);
* a tree: one column per internal node, −1 for the classes of its left subtree, +1 for the right;
* error-correcting output codes: ``exhaustive_code`` (all 2^{C−1} − 1 dichotomies), ``dense``
  random codes over {−1, +1} and sparse ``random`` codes over {−1, 0, +1}.

Distance between code words u, v (Allwein et al.'s generalised Hamming distance; a 0 counts ½,
a coin flip): Δ(u, v) = Σ_s (1 − u_s v_s)/2. A code can tell classes k and l apart only if some
column has opposite non-zero signs for them (u_s v_s = −1); the generators here guarantee that for
every pair, and report the minimum distance — if it is Δ, decoding corrects ⌊(Δ − 1)/2⌋ wrong
binary answers.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._base import RandomState, check_random_state

__all__ = [
    "check_code",
    "code_distances",
    "dense_code",
    "exhaustive_code",
    "min_hamming_distance",
    "ovo_code",
    "ovr_code",
    "sparse_code",
]

Code = NDArray[np.int8]


def ovr_code(n_classes: int) -> Code:
    """One-vs-rest as a code matrix: 2I − 1, shape (C, C). sklearn: ``OneVsRestClassifier``."""
    _check_n(n_classes, "ovr_code")
    return (2 * np.eye(n_classes) - 1).astype(np.int8)


def ovo_code(n_classes: int) -> Code:
    """One-vs-one as a code matrix, shape (C, C(C−1)/2): column (i, j) is +1 on i, −1 on j.

    Columns follow ``itertools.combinations(range(C), 2)``: (0,1), (0,2), …, (C−2, C−1).
    """
    _check_n(n_classes, "ovo_code")
    pairs = list(itertools.combinations(range(n_classes), 2))
    M = np.zeros((n_classes, len(pairs)), dtype=np.int8)
    for p, (i, j) in enumerate(pairs):
        M[i, p], M[j, p] = 1, -1
    return M


def exhaustive_code(n_classes: int) -> Code:
    """All 2^{C−1} − 1 distinct dichotomies (Dietterich & Bakiri 1995), shape (C, 2^{C−1} − 1).

    Class 0 is +1 in every column (a column and its negation are the same problem) and the
    other rows run through the binary numbers; the all-(+1) column is left out. Every two code
    words are at distance 2^{C−2}, the most any code of this width can achieve. C ≤ 16.
    """
    _check_n(n_classes, "exhaustive_code")
    if n_classes > 16:
        raise ValueError(
            f"exhaustive_code(): {n_classes} classes would need 2^{n_classes - 1} − 1 columns; "
            "use a dense or sparse random code"
        )
    width = 2 ** (n_classes - 1) - 1
    k = np.arange(width)
    bits = (k[None, :] >> np.arange(n_classes - 2, -1, -1)[:, None]) & 1  # (C−1, width)
    return np.vstack([np.ones((1, width), dtype=np.int8), (2 * bits - 1).astype(np.int8)])


def code_distances(code: Any) -> NDArray[np.float64]:
    """Δ(M_k, M_l) = Σ_s (1 − M_ks M_ls)/2 for every pair of rows, shape (C, C)."""
    M = np.asarray(code, dtype=np.float64)
    return np.asarray((M.shape[1] - M @ M.T) / 2.0)


def min_hamming_distance(code: Any) -> float:
    """The smallest distance Δ between two different code words (rows) of ``code``."""
    D = code_distances(code)
    if D.shape[0] < 2:
        raise ValueError(f"min_hamming_distance(): need at least 2 rows, got shape {D.shape}")
    return float(D[~np.eye(D.shape[0], dtype=bool)].min())


def _separated(M: NDArray[Any]) -> NDArray[np.bool_]:
    """S[..., k, l]: whether some column has opposite non-zero signs on rows k and l."""
    pos, neg = (M > 0).astype(np.int32), (M < 0).astype(np.int32)
    cross = np.einsum("...kp,...lp->...kl", pos, neg)
    return np.asarray((cross + np.swapaxes(cross, -1, -2)) > 0)


def check_code(code: Any, n_classes: int, fn: str = "OutputCode") -> Code:
    """Validate a user's code matrix: shape (C, P), entries in {−1, 0, +1}, usable columns, rows
    that can be told apart. Returns it as int8."""
    M = np.asarray(code)
    if M.ndim != 2 or M.shape[0] != n_classes or M.shape[1] < 1:
        raise ValueError(
            f"{fn}: the code matrix must have shape (n_classes, n_columns) = ({n_classes}, P≥1), "
            f"got shape {M.shape}"
        )
    if M.dtype.kind not in "iuf" or not np.isin(M, (-1, 0, 1)).all():
        raise ValueError(f"{fn}: code entries must be −1, 0 or +1 (got dtype {M.dtype})")
    M = M.astype(np.int8)
    one_sided = ~((M > 0).any(axis=0) & (M < 0).any(axis=0))
    if one_sided.any():
        p = int(np.flatnonzero(one_sided)[0])
        raise ValueError(
            f"{fn}: code column {p} ({M[:, p].tolist()}) needs both a +1 and a −1 class to be a "
            "binary problem"
        )
    sep = _separated(M) | np.eye(n_classes, dtype=bool)
    if not sep.all():
        k, l = (int(v) for v in np.argwhere(~sep)[0])
        raise ValueError(
            f"{fn}: classes {k} and {l} are never on opposite sides of a column (code words "
            f"{M[k].tolist()} and {M[l].tolist()}), so no prediction could tell them apart"
        )
    return M


def _canonical_columns(M: NDArray[np.int8]) -> NDArray[np.int8]:
    """Flip each column so that its first non-zero entry is +1 (c and −c are the same problem)."""
    first = np.argmax(M != 0, axis=-2)
    sign = np.take_along_axis(M, first[..., None, :], axis=-2)
    return (M * np.where(sign == 0, 1, sign)).astype(np.int8)


def _all_columns(n_classes: int, sparse: bool) -> Code | None:
    """Every distinct usable column (up to sign), or None when there are too many to list."""
    values = (-1, 0, 1) if sparse else (-1, 1)
    if len(values) ** n_classes > 20_000:
        return None
    cols = np.array(list(itertools.product(values, repeat=n_classes)), dtype=np.int8).T
    usable = (cols > 0).any(axis=0) & (cols < 0).any(axis=0)
    cols = _canonical_columns(cols[:, usable])
    return np.unique(cols, axis=1)


def _random_code(
    n_classes: int, width: int, rng: np.random.Generator, sparse: bool, n_tries: int
) -> Code:
    """The best of ``n_tries`` random codes: distinct usable columns, every pair of classes
    separated, then the largest minimum distance (Allwein et al. keep the best of 10⁴)."""
    pool = _all_columns(n_classes, sparse)
    if pool is not None and width >= pool.shape[1]:
        return pool  # asking for at least all the distinct problems: take each once
    # Columns with a +1 and a −1, up to sign: (3^C − 2·2^C + 1)/2 ternary, 2^{C−1} − 1 binary.
    distinct = (
        (3**n_classes - 2 ** (n_classes + 1) + 1) // 2 if sparse else 2 ** (n_classes - 1) - 1
    )
    if width > distinct:  # random draws could never find that many distinct columns
        raise ValueError(
            f"OutputCode: a code of {width} columns for {n_classes} classes asks for more than the "
            f"{distinct} distinct binary problems there are (too many to list them all); ask for "
            "fewer columns (code_size)"
        )
    # Weight each listed column by how likely the generator would draw it: P(0) = ½ per entry in
    # sparse codes, so a column with z zeros is 2^z times likelier than one without.
    weights = None
    if pool is not None and sparse:
        w = 2.0 ** (pool == 0).sum(axis=0)
        weights = w / w.sum()
    best: Code | None = None
    best_score = -1.0
    for _ in range(n_tries):
        if pool is not None:
            M = pool[:, rng.choice(pool.shape[1], size=width, replace=False, p=weights)]
        else:
            M = _draw_distinct_columns(n_classes, width, rng, sparse)
        sep = _separated(M) | np.eye(n_classes, dtype=bool)
        if not sep.all():
            continue
        score = min_hamming_distance(M)
        if score > best_score:
            best, best_score = M, score
    if best is None:
        raise ValueError(
            f"OutputCode: found no {'sparse' if sparse else 'dense'} code of {width} columns that "
            f"separates all {n_classes} classes in {n_tries} tries; use more columns (code_size)"
        )
    return best


def _draw_distinct_columns(
    n_classes: int, width: int, rng: np.random.Generator, sparse: bool
) -> Code:
    """``width`` random usable columns, no two equal up to sign (for C too large to list)."""
    probs = (0.25, 0.5, 0.25) if sparse else (0.5, 0.0, 0.5)
    kept: dict[bytes, NDArray[np.int8]] = {}
    while len(kept) < width:
        cols = rng.choice(np.array([-1, 0, 1], dtype=np.int8), size=(n_classes, 2 * width), p=probs)
        cols = _canonical_columns(cols)
        for c in cols.T:
            if (c > 0).any() and (c < 0).any():
                kept.setdefault(c.tobytes(), c)
                if len(kept) == width:
                    break
    return np.stack(list(kept.values()), axis=1)


def dense_code(
    n_classes: int, width: int | None = None, random_state: RandomState = None, n_tries: int = 200
) -> Code:
    """A random code over {−1, +1}; default width ⌈10 log₂ C⌉ (Allwein et al.'s dense codes).

    The best of ``n_tries`` draws of distinct columns (no column repeated or negated), with every
    two classes separated, by minimum distance. Asking for as many columns as there are distinct
    ones (2^{C−1} − 1) or more returns all of them once: the exhaustive code.
    """
    _check_n(n_classes, "dense_code")
    width = width or math.ceil(10 * math.log2(n_classes))
    return _random_code(n_classes, width, check_random_state(random_state), False, n_tries)


def sparse_code(
    n_classes: int, width: int | None = None, random_state: RandomState = None, n_tries: int = 200
) -> Code:
    """A random code over {−1, 0, +1} with P(0) = ½; default width ⌈15 log₂ C⌉ (sparse codes).

    Drawn like :func:`dense_code`. Each column has a +1 and a −1 class; the zeros are classes the
    column's classifier never sees. Raises if no draw separates every two classes (too few
    columns for C).
    """
    _check_n(n_classes, "sparse_code")
    width = width or math.ceil(15 * math.log2(n_classes))
    return _random_code(n_classes, width, check_random_state(random_state), True, n_tries)


def _check_n(n_classes: int, fn: str) -> None:
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or n_classes < 2:
        raise ValueError(f"{fn}(): n_classes must be an int ≥ 2, got {n_classes!r}")

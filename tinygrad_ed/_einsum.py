"""``einsum`` and ``tensordot``: torch's Einstein summation, reduced to one primitive.

The ``einsum`` primitive of the op table takes an equation in a *closed form*: no subscript
repeats within an operand, and every subscript occurs in the output or in at least two
operands. Its derivative rules are then einsums of the same form (x̄ᵢ contracts g with the other
operands), so second derivatives come for free. ``einsum`` here brings any equation torch
accepts to that form with ops that have their own rules:

- an ellipsis becomes fresh subscripts, right-aligned across operands as broadcasting aligns;
- a subscript repeated within an operand (``ii``) takes that operand's diagonal;
- a size-1 dim that broadcasts against a larger one is squeezed out (the operand is constant
  along it, and its rule sums the gradient back);
- a subscript of one operand only, not in the output, is summed out of that operand;
- a single operand left is permuted into the output's order.

PyTorch equivalent: ``torch.einsum(equation, *operands)`` (also with the operands as one list,
and in the sublist form ``einsum(x, [0, 1], y, [1, 2])``, turned into an equation).
"""

from __future__ import annotations

import numbers
import string
from collections.abc import Sequence
from typing import Any

import numpy as np

from .tensor import Tensor

_LETTERS = frozenset(string.ascii_letters)
_SUBLIST_LETTERS = string.ascii_uppercase + string.ascii_lowercase


def _parse_term(term: str, k: int | None, at: int) -> list[str]:
    """The subscripts of one term, the ellipsis as the single entry "..." (k: operand index, None
    for the output; at: where the term starts in the equation, for messages)."""
    where = "the output" if k is None else f"operand {k}"
    labels: list[str] = []
    i = 0
    while i < len(term):
        c = term[i]
        if c == ".":
            if term[i : i + 3] != "...":
                raise RuntimeError(
                    f"einsum(): found '.' for {where} that is not part of any ellipsis"
                )
            if "..." in labels:
                raise RuntimeError(
                    f"einsum(): found '.' for {where} for which an ellipsis was already found"
                )
            labels.append("...")
            i += 3
            continue
        if c not in _LETTERS:
            raise RuntimeError(
                f"einsum(): invalid subscript given at index {at + i} in the equation string, "
                "subscripts must be in [a-zA-Z]"
            )
        labels.append(c)
        i += 1
    return labels


def _operands(operands: tuple[Any, ...]) -> list[Tensor]:
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not operands:
        raise ValueError(
            "einsum(): must specify the equation string and at least one operand, or at least "
            "one operand and its subscripts list"
        )
    for i, x in enumerate(operands):
        if not isinstance(x, Tensor):
            raise TypeError(
                f"einsum(): expected Tensor as element {i} in argument 1, but got "
                f"{type(x).__name__}"
            )
    return list(operands)


def _dtype(xs: Sequence[Tensor]) -> np.dtype[Any]:
    """The common dtype: floats must agree, as torch's kernels require; else numpy promotes."""
    floats = {x.dtype for x in xs if x.dtype.kind in "fc"}
    if len(floats) > 1:
        names = ", ".join(str(x.dtype) for x in xs)
        raise RuntimeError(
            f"einsum(): expected all operands to have the same floating dtype, got {names} "
            f"(shapes {', '.join(str(x.shape) for x in xs)})"
        )
    return np.result_type(*[x.data for x in xs])


def _sublist_form(args: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
    """torch's sublist form, ``einsum(op₀, sublist₀, op₁, sublist₁, …, [sublist_out])``, as
    an equation and its operands: subscript n in 0…25 is the letter A…Z, in 26…51 a…z (torch's
    mapping), and ``...`` (Ellipsis) the ellipsis."""

    def term(sublist: Any, where: str) -> str:
        if not isinstance(sublist, (list, tuple)):
            raise TypeError(
                f"einsum(): expected a list of subscripts for {where}, got {type(sublist).__name__}"
            )
        letters = ""
        for n in sublist:
            if n is Ellipsis:
                letters += "..."
            elif type(n) is not bool and isinstance(n, numbers.Integral) and 0 <= int(n) < 52:
                letters += _SUBLIST_LETTERS[int(n)]
            else:
                raise ValueError(
                    f"einsum(): subscript {n!r} in the subscript list of {where} is not within "
                    "the valid range [0, 52)"
                )
        return letters

    if len(args) < 2:
        _operands(())  # torch's message for too few arguments
    paired = args[: len(args) - len(args) % 2]
    equation = ",".join(term(s, f"operand {k}") for k, s in enumerate(paired[1::2]))
    if len(args) % 2:
        equation += "->" + term(args[-1], "the output")
    return equation, paired[0::2]


def einsum(equation: str, *operands: Any) -> Tensor:
    """Einstein summation: ``out[o…] = Σ over the other subscripts of Πₖ operandₖ[sₖ…]``.

    ``'ij,jk->ik'`` is a matrix product, ``'ii->'`` a trace, ``'bij,bjk->bik'`` a batched
    product, ``'i,j->ij'`` an outer product; without ``->`` the output holds the subscripts
    that occur once, in alphabetical order (after the ellipsis dims). Sizes of one subscript
    broadcast (1 against n). Adjoint: x̄ₖ = einsum(g, the other operands → sₖ), then the
    diagonal, broadcast and summed-out subscripts undone by their own rules.

    The sublist form, ``einsum(a, [0, 1], b, [1, 2], [0, 2])``, numbers the subscripts
    instead (see ``_sublist_form``).

    PyTorch equivalent: ``torch.einsum(equation, *operands)``.
    """
    if isinstance(equation, Tensor):
        equation, operands = _sublist_form((equation, *operands))
    if not isinstance(equation, str):
        raise TypeError(f"einsum(): the equation must be a str, got {type(equation).__name__}")
    xs = _operands(operands)
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) > len(xs):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(xs):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    subs, at = [], 0
    for k, term in enumerate(terms):
        subs.append(_parse_term(term, k, at))
        at += len(term) + 1
    out_subs = _parse_term(rhs, None, at + 1) if arrow else None

    # The ellipsis: as many fresh subscripts as the most dims any operand's ellipsis covers.
    spans = []
    for k, (s, x) in enumerate(zip(subs, xs)):
        named = len(s) - ("..." in s)
        if named > x.ndim or ("..." not in s and named != x.ndim):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({named}) does not match "
                f"the number of dimensions ({x.ndim}) for operand {k}"
                + ("" if "..." in s else " and no ellipsis was given")
            )
        spans.append(x.ndim - named)
    used = {c for s in subs for c in s} | set(out_subs or ())
    fresh = sorted(_LETTERS - used)
    width = max(spans)
    if width > len(fresh):
        raise RuntimeError(f"einsum(): too many subscripts for {equation!r}: ran out of letters")
    ellipsis = fresh[:width]
    subs = [_expand(s, ellipsis[width - n :]) for s, n in zip(subs, spans)]

    if out_subs is None:  # implicit output: the ellipsis, then subscripts seen once, sorted
        counts: dict[str, int] = {}
        for c in (c for s in subs for c in s if c not in ellipsis):
            counts[c] = counts.get(c, 0) + 1
        out = ellipsis + sorted(c for c, n in counts.items() if n == 1)
    else:
        out = _expand(out_subs, ellipsis) if "..." in out_subs else out_subs
    seen_in = {c for s in subs for c in s}
    for c in out:
        if c not in seen_in:
            raise RuntimeError(
                f"einsum(): output subscript {c} does not appear in the equation for any input "
                "operand"
            )
        if out.count(c) > 1:
            raise RuntimeError(
                f"einsum(): output subscript {c} appears more than once in the output"
            )

    sizes = _sizes(subs, xs)
    dtype = _dtype(xs)
    xs = [x if x.dtype == dtype else x.to(dtype) for x in xs]
    xs, subs = _closed(xs, subs, out, sizes)
    if len(xs) == 1:
        return xs[0].permute(*[subs[0].index(c) for c in out])
    closed = ",".join("".join(s) for s in subs) + "->" + "".join(out)
    return xs[0]._einsum(closed, *xs[1:])


def _expand(labels: list[str], ellipsis: list[str]) -> list[str]:
    if "..." not in labels:
        return labels
    i = labels.index("...")
    return labels[:i] + ellipsis + labels[i + 1 :]


def _sizes(subs: list[list[str]], xs: list[Tensor]) -> dict[str, int]:
    """Each subscript's size: equal within an operand, broadcast (1 against n) across them."""
    sizes: dict[str, int] = {}
    for k, (s, x) in enumerate(zip(subs, xs)):
        own: dict[str, int] = {}
        for c, n in zip(s, x.shape):
            if c in own and own[c] != n:
                raise RuntimeError(
                    f"einsum(): subscript {c} is repeated for operand {k} but the sizes don't "
                    f"match, {own[c]} != {n} (shape {x.shape})"
                )
            own[c] = n
        for c, n in own.items():
            if c not in sizes or sizes[c] == 1:
                sizes[c] = n
            elif n not in (1, sizes[c]):
                raise RuntimeError(
                    f"einsum(): subscript {c} has size {n} for operand {k} (shape {x.shape}) "
                    f"which does not broadcast with previously seen size {sizes[c]}"
                )
    return sizes


def _diagonal_squeezed(x: Tensor, s: list[str], sizes: dict[str, int]) -> tuple[Tensor, list[str]]:
    """An operand with its repeated subscripts' diagonals taken (each as the last dim) and its
    size-1 dims that broadcast against a larger size summed away: the operand is constant
    along such a dim, so it is one term of the sum, and the rule of the sum broadcasts back."""
    for c in dict.fromkeys(s):
        while s.count(c) > 1:
            i = s.index(c)
            j = s.index(c, i + 1)
            x = x.diagonal(0, i, j)
            s = [d for n, d in enumerate(s) if n not in (i, j)] + [c]
    squeeze = tuple(i for i, c in enumerate(s) if x.shape[i] == 1 and sizes[c] != 1)
    if squeeze:
        x = x.sum(dim=squeeze)
        s = [c for i, c in enumerate(s) if i not in squeeze]
    return x, s


def _closed(
    xs: list[Tensor], subs: list[list[str]], out: list[str], sizes: dict[str, int]
) -> tuple[list[Tensor], list[list[str]]]:
    """The operands and subscripts in closed form (see the module docstring): after the
    diagonals and squeezes, a subscript left in one operand only, and not in the output, is
    summed out of it."""
    pairs = [_diagonal_squeezed(x, list(s), sizes) for x, s in zip(xs, subs)]
    counts: dict[str, int] = dict.fromkeys(out, 2)
    for _, s in pairs:
        for c in s:
            counts[c] = counts.get(c, 0) + 1
    closed_xs, closed_subs = [], []
    for x, s in pairs:
        lone = tuple(i for i, c in enumerate(s) if counts[c] == 1)
        if lone:
            x = x.sum(dim=lone)
            s = [c for i, c in enumerate(s) if i not in lone]
        closed_xs.append(x)
        closed_subs.append(s)
    return closed_xs, closed_subs


def tensordot(
    a: Tensor, b: Tensor, dims: int | Sequence[int] | Sequence[Sequence[int]] = 2
) -> Tensor:
    """Contract dims of ``a`` with dims of ``b``: the last ``dims`` of a with the first of b
    (an int), or ``a``'s dims ``dims[0]`` with ``b``'s ``dims[1]``. An einsum, so x̄ and ȳ are
    the einsum adjoints.

    PyTorch equivalent: ``torch.tensordot(a, b, dims)``.
    """
    for name, t in (("a", a), ("b", b)):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"tensordot(): argument '{name}' must be Tensor, not {type(t).__name__}"
            )
    if isinstance(dims, (int, np.integer)) and not isinstance(dims, bool):
        n = int(dims)
        if n < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={n}")
        if n > min(a.ndim, b.ndim):
            raise RuntimeError(
                f"tensordot expects dims < ndim_a or ndim_b, but got dims={n} for shapes "
                f"{a.shape} and {b.shape}"
            )
        da, db = list(range(a.ndim - n, a.ndim)), list(range(n))
    elif isinstance(dims, Sequence) and len(dims) == 2:
        da, db = (_dim_list(d, t) for d, t in zip(dims, (a, b)))
        if len(da) != len(db):
            raise RuntimeError(
                f"both dimension lists should have same length, got {da} and {db} for shapes "
                f"{a.shape} and {b.shape}"
            )
    else:
        raise TypeError(f"tensordot(): dims must be an int or two lists of dims, got {dims!r}")
    letters = string.ascii_letters
    if a.ndim + b.ndim > len(letters):
        raise RuntimeError(f"tensordot(): too many dims: shapes {a.shape} and {b.shape}")
    sa = [letters[i] for i in range(a.ndim)]
    sb = [letters[a.ndim + i] for i in range(b.ndim)]
    for i, j in zip(da, db):
        # a size-1 dim is broadcast against the other, as torch's (einsum broadcasts it)
        if a.shape[i] != b.shape[j] and 1 not in (a.shape[i], b.shape[j]):
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {a.shape[i]} in dim "
                f"{i} and second has size {b.shape[j]} in dim {j} (shapes {a.shape} and "
                f"{b.shape})"
            )
        sb[j] = sa[i]
    out = [c for i, c in enumerate(sa) if i not in da] + [
        c for j, c in enumerate(sb) if j not in db
    ]
    return einsum(f"{''.join(sa)},{''.join(sb)}->{''.join(out)}", a, b)


def _dim_list(d: Any, t: Tensor) -> list[int]:
    items = [d] if isinstance(d, (int, np.integer)) else list(d)
    dims = []
    for i in items:
        if not isinstance(i, (int, np.integer)) or isinstance(i, bool) or not -t.ndim <= i < t.ndim:
            raise IndexError(
                f"tensordot(): dimension {i!r} out of range for a tensor of shape {t.shape}"
            )
        dims.append(int(i) % t.ndim)
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"tensordot(): dim {dims} appears multiple times in the list of dims")
    return dims

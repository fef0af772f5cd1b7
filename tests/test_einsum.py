"""einsum and tensordot: values, gradients (first and second order) and errors.

Checked against np.einsum and hand-written contractions without torch, by gradcheck and
gradgradcheck in float64 over drawn equations (repeated subscripts, ellipses, broadcast size-1
dims, implicit outputs), and against torch.einsum / torch.tensordot where PyTorch is installed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_ed as tg
from tinygrad_ed.numgrad import gradcheck, gradgradcheck

EQUATIONS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]),
    ("i,i->", [(4,), (4,)]),
    ("i,j->ij", [(2,), (3,)]),
    ("ii->i", [(3, 3)]),
    ("ii", [(3, 3)]),
    ("iij->j", [(2, 2, 3)]),
    ("ij->ji", [(2, 3)]),
    ("ij->", [(2, 3)]),
    ("ij,ij->ij", [(2, 3), (2, 3)]),
    ("ij,ij->", [(2, 1), (1, 3)]),
    ("...ij,...jk->...ik", [(5, 1, 2, 3), (4, 3, 2)]),
    ("...ij,...jk", [(2, 2, 3), (3, 2)]),
    ("a...->...a", [(2, 3, 4)]),
    ("...ij->ij", [(2, 3, 4)]),
    ("ab,bc,cd->ad", [(2, 3), (3, 4), (4, 2)]),
    ("ij,jk,kl", [(2, 3), (3, 3), (3, 2)]),
    ("i,ij,j->", [(2,), (2, 3), (3,)]),
    ("iJ,Jk->ik", [(2, 3), (3, 2)]),
    ("Ab,a", [(2, 3), (4,)]),
    ("ij , jk -> ik", [(2, 3), (3, 4)]),
    ("i,j,k->", [(2,), (3,), (2,)]),
    ("iij,jkk->ik", [(2, 2, 3), (3, 2, 2)]),
    ("->", [()]),
    (",i->i", [(), (3,)]),
]


def _arrays(shapes: list[tuple[int, ...]], seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s) for s in shapes]


@pytest.mark.parametrize(("equation", "shapes"), EQUATIONS)
def test_einsum_gradcheck(equation: str, shapes: list[tuple[int, ...]]) -> None:
    xs = _arrays(shapes)
    fn = lambda *ts: tg.einsum(equation, *ts)  # noqa: E731
    assert gradcheck(fn, xs)
    assert gradgradcheck(fn, xs, atol=1e-4, rtol=1e-3)


@pytest.mark.parametrize(
    ("equation", "shapes"),
    # numpy broadcasts only ellipsis dims, and only into an output that has an ellipsis
    [(e, s) for e, s in EQUATIONS if "..." not in e or ("," not in e and "->..." in e)],
)
def test_einsum_matches_numpy(equation: str, shapes: list[tuple[int, ...]]) -> None:
    """np.einsum on operands broadcast to full size first (numpy does not broadcast a named
    subscript's size-1 dims; torch does)."""
    xs = _arrays(shapes)
    got = tg.einsum(equation, *[tg.tensor(x) for x in xs]).numpy()
    if equation == "ij,ij->":
        xs = list(np.broadcast_arrays(*xs))
    np.testing.assert_allclose(got, np.einsum(equation.replace(" ", ""), *xs), rtol=1e-12)


def test_einsum_matmul_and_trace_by_hand() -> None:
    a, b = _arrays([(3, 4), (4, 2)])
    np.testing.assert_allclose(tg.einsum("ij,jk->ik", tg.tensor(a), tg.tensor(b)).numpy(), a @ b)
    s = _arrays([(4, 4)])[0]
    assert tg.einsum("ii", tg.tensor(s)).item() == pytest.approx(np.trace(s))
    x = tg.tensor(s, requires_grad=True)
    tg.einsum("ii->", x).backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.eye(4))  # type: ignore[union-attr]


def test_einsum_takes_a_list_and_keeps_float64_and_ints() -> None:
    a, b = _arrays([(2, 3), (3, 2)])
    out = tg.einsum("ij,jk->ik", [tg.tensor(a), tg.tensor(b)])
    assert out.dtype == np.float64
    ints = tg.einsum("i,i->", tg.tensor([1, 2]), tg.tensor([3, 4]))
    assert ints.dtype == np.int64 and ints.item() == 11
    f32 = tg.einsum("i,i->", tg.ones(3), tg.ones(3))
    assert f32.dtype == np.float32


def test_einsum_permutation_is_a_view() -> None:
    x = tg.zeros(2, 3)
    y = tg.einsum("ij->ji", x)
    y.add_(1.0)
    assert x.sum().item() == 6


def test_einsum_fan_out_of_one_operand() -> None:
    """The same tensor as two operands: its gradient is the sum of both adjoints."""
    a = _arrays([(3, 3)])[0]
    x = tg.tensor(a, requires_grad=True)
    tg.einsum("ij,jk->", x, x).backward()
    ones = np.ones((3, 3))
    np.testing.assert_allclose(x.grad.numpy(), ones @ a.T + a.T @ ones)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("call", "kind", "text"),
    [
        (lambda x: tg.einsum("ij,jk->ik", x), RuntimeError, "fewer operands"),
        (lambda x: tg.einsum("ij", x, x), RuntimeError, "more operands"),
        (lambda x: tg.einsum("ijk", x), RuntimeError, "number of subscripts"),
        (lambda x: tg.einsum("i", x), RuntimeError, "no ellipsis was given"),
        (lambda x: tg.einsum("ij->k", x), RuntimeError, "output subscript k"),
        (lambda x: tg.einsum("ij,jk->ii", x, x.T), RuntimeError, "more than once"),
        (lambda x: tg.einsum("i1", x), RuntimeError, "index 1"),
        (lambda x: tg.einsum("i..j", x), RuntimeError, "not part of any ellipsis"),
        (lambda x: tg.einsum("...i...", x), RuntimeError, "already found"),
        (lambda x: tg.einsum("ii", x), RuntimeError, "sizes don't match"),
        (lambda x: tg.einsum("ij,jk", x, x), RuntimeError, "does not broadcast"),
        (lambda x: tg.einsum("ij,jk", x, x.T.double()), RuntimeError, "same floating dtype"),
        (lambda x: tg.einsum("ij"), ValueError, "at least one operand"),
        (lambda x: tg.einsum("i", [1, 2]), TypeError, "expected Tensor"),
        (lambda x: tg.einsum(3, x), TypeError, "must be a str"),
    ],
)
def test_einsum_errors(call: Any, kind: type[Exception], text: str) -> None:
    with pytest.raises(kind, match=text):
        call(tg.ones(2, 3))


def test_tensordot_by_hand_and_gradcheck() -> None:
    a, b = _arrays([(2, 3, 4), (3, 4, 5)])
    got = tg.tensordot(tg.tensor(a), tg.tensor(b), dims=2).numpy()
    np.testing.assert_allclose(got, np.tensordot(a, b, 2))
    got = tg.tensordot(tg.tensor(a), tg.tensor(b), dims=([1, 2], [0, 1])).numpy()
    np.testing.assert_allclose(got, np.tensordot(a, b, ([1, 2], [0, 1])))
    assert gradcheck(lambda x, y: tg.tensordot(x, y, dims=([2, 1], [1, 0])), [a, b])
    assert tg.tensordot(tg.tensor(a), tg.tensor(b), 0).shape == (2, 3, 4, 3, 4, 5)


@pytest.mark.parametrize(
    ("dims", "kind"),
    [
        (-1, RuntimeError),
        (4, RuntimeError),
        (([0], [0]), RuntimeError),
        (([0, 0], [1, 2]), RuntimeError),
        (([5], [0]), IndexError),
        ("x", TypeError),
        (([0], [0, 1]), RuntimeError),
    ],
)
def test_tensordot_errors(dims: Any, kind: type[Exception]) -> None:
    with pytest.raises(kind):
        tg.tensordot(tg.ones(2, 3, 4), tg.ones(3, 4, 5), dims=dims)


# ----------------------------------------------------------------------------- against torch

torch_tests = pytest.mark.skipif(
    not __import__("importlib").util.find_spec("torch"), reason="torch is not installed"
)


def _torch_compare(equation: str, xs: list[np.ndarray]) -> None:
    import torch

    ts = [tg.tensor(x, requires_grad=True) for x in xs]
    rs = [torch.tensor(x, requires_grad=True) for x in xs]
    out, ref = tg.einsum(equation, *ts), torch.einsum(equation, *rs)
    assert out.shape == tuple(ref.shape)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    seed = np.random.default_rng(1).standard_normal(out.shape)
    out.backward(tg.tensor(seed))
    ref.backward(torch.tensor(seed))
    for t, r in zip(ts, rs):
        assert r.grad is not None and t.grad is not None
        np.testing.assert_allclose(t.grad.numpy(), r.grad.numpy(), rtol=1e-10, atol=1e-12)


@torch_tests
@pytest.mark.parametrize(("equation", "shapes"), EQUATIONS)
def test_einsum_matches_torch(equation: str, shapes: list[tuple[int, ...]]) -> None:
    _torch_compare(equation, _arrays(shapes))


@st.composite
def equations(draw: Any) -> tuple[str, list[tuple[int, ...]]]:
    """Any equation torch accepts: repeats within an operand, an ellipsis, size-1 dims that
    broadcast, implicit or explicit outputs."""
    sizes = dict(zip("abcd", draw(st.lists(st.integers(1, 3), min_size=4, max_size=4))))
    ell = draw(st.lists(st.integers(1, 3), max_size=2))
    terms, shapes = [], []
    for _ in range(draw(st.integers(1, 3))):
        labels = draw(st.lists(st.sampled_from("abcd"), max_size=3))
        shape = [1 if draw(st.integers(0, 4)) == 0 else sizes[c] for c in labels]
        for c in set(labels):  # a repeated subscript's dims must agree within the operand
            n = shape[labels.index(c)]
            shape = [n if d == c else s for d, s in zip(labels, shape)]
        term = "".join(labels)
        if ell and draw(st.booleans()):
            k = draw(st.integers(0, len(ell)))
            at = draw(st.integers(0, len(labels)))
            term = term[:at] + "..." + term[at:]
            mine = [1 if draw(st.integers(0, 3)) == 0 else n for n in ell[len(ell) - k :]]
            shape = shape[:at] + mine + shape[at:]
        terms.append(term)
        shapes.append(tuple(shape))
    equation = ",".join(terms)
    if draw(st.booleans()):
        seen = sorted({c for t in terms for c in t if c != "."})
        chosen = sorted(draw(st.sets(st.sampled_from(seen)))) if seen else []
        out = draw(st.permutations(chosen))
        ellipsis = "..." if any("..." in t for t in terms) and draw(st.booleans()) else ""
        equation += "->" + ellipsis + "".join(out)
    return equation, shapes


@torch_tests
@settings(max_examples=60, deadline=None)
@given(equations(), st.integers(0, 2**16))
def test_einsum_drawn_equations_match_torch(
    case: tuple[str, list[tuple[int, ...]]], seed: int
) -> None:
    import torch

    equation, shapes = case
    xs = _arrays(shapes, seed)
    try:
        torch.einsum(equation, *[torch.tensor(x) for x in xs])
    except RuntimeError:
        with pytest.raises(RuntimeError):
            tg.einsum(equation, *[tg.tensor(x) for x in xs])
        return
    _torch_compare(equation, xs)


@torch_tests
@pytest.mark.parametrize("dims", [0, 1, 2, ([1, 2], [0, 1]), ([2, 1], [1, 0]), ([0], [0])])
def test_tensordot_matches_torch(dims: Any) -> None:
    import torch

    b_shape = {"0": (2,), "1": (4, 2), "([0], [0])": (3, 2)}.get(str(dims), (3, 4, 2))
    a, b = _arrays([(3, 3, 4), b_shape])
    out = tg.tensordot(tg.tensor(a), tg.tensor(b), dims=dims)
    ref = torch.tensordot(torch.tensor(a), torch.tensor(b), dims=dims)
    np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-12)


SUBLISTS = [
    ([[0, 1], [1, 2], [0, 2]], [(2, 3), (3, 4)]),  # a matrix product
    ([[0, 1], [1, 2]], [(2, 3), (3, 4)]),  # implicit output
    ([[..., 0, 1], [..., 1, 2], [..., 0, 2]], [(3, 2, 5), (3, 5, 4)]),  # torch's doc example
    ([[27, 27]], [(3, 3)]),  # a trace: 27 is "b"
    ([[51, 0], [0, 26], [26, 51]], [(2, 3), (3, 4)]),  # the last subscripts: "z", "A", "a"
    ([[0, 26], [26, 0], []], [(2, 3), (3, 2)]),  # an empty output sublist: a full sum
]


@pytest.mark.parametrize(("sublists", "shapes"), SUBLISTS)
def test_einsum_sublist_form_is_the_equation_it_spells(
    sublists: list[list[Any]], shapes: list[tuple[int, ...]]
) -> None:
    """torch's einsum(op, sublist, op, sublist, …, [out]): 0…25 are A…Z, 26…51 a…z."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

    def spell(sub: list[Any]) -> str:
        return "".join("..." if n is Ellipsis else letters[n] for n in sub)

    equation = ",".join(spell(s) for s in sublists[: len(shapes)])
    if len(sublists) > len(shapes):
        equation += "->" + spell(sublists[-1])
    xs = _arrays(shapes)

    def interleave(ts: Any) -> list[Any]:
        args = [a for pair in zip(ts, sublists) for a in pair]
        return args + sublists[len(shapes) :]

    fn = lambda *ts: tg.einsum(*interleave(ts))  # noqa: E731
    got = fn(*[tg.tensor(x) for x in xs]).numpy()
    np.testing.assert_allclose(got, tg.einsum(equation, *[tg.tensor(x) for x in xs]).numpy())
    if "..." not in equation:
        np.testing.assert_allclose(got, np.einsum(equation, *xs), rtol=1e-12)
    assert gradcheck(fn, xs)
    assert gradgradcheck(fn, xs, atol=1e-4, rtol=1e-3)
    torch = pytest.importorskip("torch")
    theirs = torch.einsum(*interleave([torch.tensor(x) for x in xs]))
    np.testing.assert_allclose(got, theirs.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    ("args", "kind", "text"),
    [
        ([[0, 52]], ValueError, r"subscript 52 .* operand 0 is not within the valid range"),
        ([[0, -1]], ValueError, r"subscript -1 .*valid range \[0, 52\)"),
        ([[0, True]], ValueError, r"subscript True"),
        (["ij"], TypeError, r"expected a list of subscripts for operand 0, got str"),
        ([[0, 1], "ij"], TypeError, r"list of subscripts for the output, got str"),
        ([], ValueError, r"at least one operand"),
        ([[0, 1], [1, 2], [0, 2]], TypeError, r"expected Tensor as element 1"),
    ],
)
def test_einsum_sublist_form_errors(args: list[Any], kind: type[Exception], text: str) -> None:
    with pytest.raises(kind, match=text):
        tg.einsum(tg.ones(2, 3), *args)

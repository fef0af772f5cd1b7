"""Forward-mode AD through views and in-place ops: a view's tangent is a view of its base's.

As torch's forward grad views, a write through a view reaches its base's tangent, a write into
the base is seen by its views' tangents, and a view whose base gets a tangent later has one.
Each case is a whole program ``case(m, dual)``, ``m`` the library, that makes its duals with
``dual(primal, tangent)`` (primal an array, or a tensor of the program) and returns tensors.
Run in a dual level, the tangent of each returned tensor equals the central difference of the
whole program, in which ``dual(p, t)`` is the new tensor p + h·t (None counts as zero there),
and, where torch is installed, torch's forward_ad gives the same primal and tangent (None
where torch's is None), in float64 to 1e-10. Then the API: shared memory, tangents read before
a write, make_dual's errors and aliases, detach, views made outside a level.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg

fwAD = tg.autograd.forward_ad

TOL = 1e-10
FD_STEP = 1e-6
FD_TOL = 1e-7

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")

Case = Callable[[Any, Callable[[Any, Any], Any]], tuple[Any, ...]]


def A(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.5, 1.5, shape)


def _values(t: Any) -> np.ndarray:
    return np.array(t.detach().numpy(), dtype=np.float64)


def _in_level(lib: str, case: Case) -> list[tuple[np.ndarray, np.ndarray | None]]:
    m = importlib.import_module(lib)
    fw = m.autograd.forward_ad

    def dual(p: Any, t: Any) -> Any:
        primal = p if isinstance(p, (m.Tensor,)) else m.tensor(np.asarray(p, np.float64))
        return fw.make_dual(primal, m.tensor(np.asarray(t, np.float64)))

    with fw.dual_level():
        outs = case(m, dual)
        unpacked = [fw.unpack_dual(o) for o in outs]
        return [(_values(p), None if t is None else _values(t)) for p, t in unpacked]


def _fd(case: Case) -> list[np.ndarray]:
    def at(h: float) -> list[np.ndarray]:
        def dual(p: Any, t: Any) -> Any:
            return (p if isinstance(p, tg.Tensor) else tg.tensor(np.asarray(p))) + h * tg.tensor(
                np.asarray(t)
            )

        return [_values(o) for o in case(tg, dual)]

    return [(a - b) / (2 * FD_STEP) for a, b in zip(at(FD_STEP), at(-FD_STEP))]


def _check(case: Case) -> None:
    mine = _in_level("tinygrad_ed", case)
    for (primal, tangent), fd in zip(mine, _fd(case)):
        found = np.zeros_like(primal) if tangent is None else tangent
        assert found.shape == primal.shape
        np.testing.assert_allclose(found, fd, rtol=FD_TOL, atol=FD_TOL)
    pytest.importorskip("torch")
    theirs = _in_level("torch", case)
    for k, ((p, t), (tp, tt)) in enumerate(zip(mine, theirs)):
        np.testing.assert_allclose(p, tp, rtol=TOL, atol=TOL, err_msg=f"primal of output {k}")
        assert (t is None) == (tt is None), f"output {k}: tangent {t} where torch's is {tt}"
        if t is not None:
            np.testing.assert_allclose(t, tt, rtol=TOL, atol=TOL, err_msg=f"output {k}")


def _f64(m: Any, a: np.ndarray) -> Any:
    return m.tensor(np.asarray(a, np.float64))


# ----------------------------------------------------------------------------- the cases


def brief(m: Any, dual: Any) -> tuple[Any, ...]:  # the example of the task, torch's result
    x = dual(np.zeros(4), np.zeros(4))
    y = np.ones(2)
    v = x[1:3]
    v.mul_(2).add_(dual(y, np.arange(2.0)))
    return x, v


def write_through_view(m: Any, dual: Any) -> tuple[Any, ...]:
    x = dual(A(4, 3), A(4, 3, seed=1))
    v = x[1:3]
    v.mul_(dual(A(2, 3, seed=2), A(2, 3, seed=3)))
    v.add_(v.sin())
    return x, v


def base_written_views_follow(m: Any, dual: Any) -> tuple[Any, ...]:
    x = dual(A(4), A(4, seed=1))
    v, w = x[1:3], x[::2]
    x.mul_(dual(A(4, seed=2), A(4, seed=3)))
    return v, w, x


def plain_base_written_by_a_dual(m: Any, dual: Any) -> tuple[Any, ...]:
    x = _f64(m, A(4))
    v = x[1:3]  # taken before the base has a tangent
    x.add_(dual(A(4, seed=2), A(4, seed=3)))
    w = x[2:]  # and after
    return v, w, x


def plain_view_written_by_a_dual(m: Any, dual: Any) -> tuple[Any, ...]:
    x = _f64(m, A(4))
    v, w = x[1:3], x[2:]
    v.copy_(dual(A(2, seed=2), A(2, seed=3)))  # the base gets a zero tangent, v's a view of it
    return x, w, v


def view_of_a_view(m: Any, dual: Any) -> tuple[Any, ...]:
    x = dual(A(3, 4), A(3, 4, seed=1))
    v = x.t()[1:3]
    w = v[:, 0]
    w.add_(dual(A(2, seed=2), A(2, seed=3)))
    return x, v, w


def transpose(m: Any, dual: Any) -> tuple[Any, ...]:
    x = dual(A(2, 3), A(2, 3, seed=1))
    t = x.transpose(0, 1)
    t[0].mul_(dual(A(2, seed=2), A(2, seed=3)))
    return x, t


def reshape_and_view(m: Any, dual: Any) -> tuple[Any, ...]:
    x = dual(A(2, 3), A(2, 3, seed=1))
    r, flat = x.reshape(3, 2), x.view(6)
    r[0] = dual(A(2, seed=2), A(2, seed=3))
    flat[4:].mul_(3.0)
    return x, r, flat


def reshape_copy_then_written(m: Any, dual: Any) -> tuple[Any, ...]:
    x = dual(A(2, 3), A(2, 3, seed=1)).t()
    y = x.reshape(6)  # not a view (x is not contiguous): a tangent of its own
    y.mul_(dual(A(6, seed=2), A(6, seed=3)))
    return x, y


def expand(m: Any, dual: Any) -> tuple[Any, ...]:
    x = dual(A(3), A(3, seed=1))
    e = x.expand(2, 3)
    x.mul_(dual(A(3, seed=2), A(3, seed=3)))
    return e, x


def diagonal(m: Any, dual: Any) -> tuple[Any, ...]:
    x = dual(A(3, 3), A(3, 3, seed=1))
    d = x.diagonal()
    d.mul_(2).add_(dual(A(3, seed=2), A(3, seed=3)))
    return x, d, x.diagonal(1)


def unbind(m: Any, dual: Any) -> tuple[Any, ...]:
    x = dual(A(3, 2), A(3, 2, seed=1))
    a, b, c = x.unbind()
    b.add_(dual(A(2, seed=2), A(2, seed=3)))
    x.mul_(2.0)
    return x, a, b, c


def split_narrow_select(m: Any, dual: Any) -> tuple[Any, ...]:
    x = dual(A(4, 3), A(4, 3, seed=1))
    a, b = x.split(2)
    n = x.narrow(1, 1, 2)
    s = x.select(1, 0)
    b.mul_(3.0)
    a.add_(dual(A(3, seed=2), A(3, seed=3)))
    n.mul_(dual(A(2, seed=4), A(2, seed=5)))
    return x, a, n, s


def basic_indexing(m: Any, dual: Any) -> tuple[Any, ...]:
    x = dual(A(3, 4), A(3, 4, seed=1))
    v = x[1, ..., None]
    v.exp_()
    x[:, 1:3].mul_(dual(A(2, seed=2), A(2, seed=3)))
    return x, v


def advanced_index_copies(m: Any, dual: Any) -> tuple[Any, ...]:
    x = dual(A(4), A(4, seed=1))
    v = x[[1, 2]]  # a copy, as torch's: writing it leaves x
    v.add_(dual(A(2, seed=2), A(2, seed=3)))
    return x, v


def setitem_with_views(m: Any, dual: Any) -> tuple[Any, ...]:
    x = _f64(m, A(5))
    w = x[2:]
    x[1:3] = dual(A(2, seed=2), A(2, seed=3))
    x[[0, 4]] = dual(A(2, seed=4), A(2, seed=5))
    x[3] = 7.0  # a plain value: zero tangent there
    return x, w


def setitem_into_a_view(m: Any, dual: Any) -> tuple[Any, ...]:
    x = dual(A(3, 4), A(3, 4, seed=1))
    v = x[1]
    v[1:3] = dual(A(2, seed=2), A(2, seed=3))
    return x, v


def copy_fill_zero(m: Any, dual: Any) -> tuple[Any, ...]:
    x = _f64(m, np.zeros((2, 3)))
    x.copy_(dual(A(3, seed=2), A(3, seed=3)))  # broadcast
    y = dual(A(5), A(5, seed=1))
    y[1:3].copy_(_f64(m, A(2, seed=4)))
    y[0].fill_(2.0)
    y[4:].zero_()
    z = _f64(m, np.ones(4))
    z[1:3].fill_(dual(np.array(2.0), np.array(3.0)))
    return x, y, z


def inplace_unary_through_a_view(m: Any, dual: Any) -> tuple[Any, ...]:
    x = dual(A(4), A(4, seed=1))
    x[1:3].exp_()
    x[::3].sin_()
    return (x,)


def transpose_in_place(m: Any, dual: Any) -> tuple[Any, ...]:
    x = dual(A(2, 3), A(2, 3, seed=1))
    v = x[:, 1]
    x.t_()
    x[0].add_(dual(A(2, seed=2), A(2, seed=3)))
    w = x[1:]
    w.mul_(3.0)
    return x, v, w


def strided_views(m: Any, dual: Any) -> tuple[Any, ...]:
    y = _f64(m, np.zeros(4))
    a, b = y[::2], y.view(2, 2)
    a.copy_(dual(A(2, seed=2), A(2, seed=3)))
    return b, y, b.t()


def unfold_and_as_strided(m: Any, dual: Any) -> tuple[Any, ...]:
    x = dual(A(5), A(5, seed=1))
    w = x.unfold(0, 2, 1)
    s = x.as_strided((2,), (2,), 1)
    s.mul_(dual(A(2, seed=2), A(2, seed=3)))
    return x, w, s


def make_dual_of_a_view(m: Any, dual: Any) -> tuple[Any, ...]:
    x = _f64(m, A(4))
    v = x[1:3]
    d = dual(v, A(2, seed=1))  # its own tangent: not a view of x's (torch's)
    d.mul_(2.0)
    x.add_(dual(A(4, seed=2), A(4, seed=3)))
    return d, v, x


def make_dual_leaves_the_base(m: Any, dual: Any) -> tuple[Any, ...]:
    x = _f64(m, A(3))
    d = dual(x, A(3, seed=1))
    d.mul_(2.0)  # writes x's memory, but x gets no tangent (as torch)
    e = d[1:]
    e.add_(dual(A(2, seed=2), A(2, seed=3)))
    return d, x, e


CASES: list[Case] = [
    brief,
    write_through_view,
    base_written_views_follow,
    plain_base_written_by_a_dual,
    plain_view_written_by_a_dual,
    view_of_a_view,
    transpose,
    reshape_and_view,
    reshape_copy_then_written,
    expand,
    diagonal,
    unbind,
    split_narrow_select,
    basic_indexing,
    advanced_index_copies,
    setitem_with_views,
    setitem_into_a_view,
    copy_fill_zero,
    inplace_unary_through_a_view,
    transpose_in_place,
    strided_views,
    unfold_and_as_strided,
    make_dual_of_a_view,
    make_dual_leaves_the_base,
]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_views_and_inplace_as_torch(case: Case) -> None:
    _check(case)


def test_brief_example_values() -> None:
    """The task's example, against torch's printed answer (closed form)."""
    [(_, x_tangent), (_, v_tangent)] = _in_level("tinygrad_ed", brief)
    np.testing.assert_array_equal(x_tangent, [0.0, 0.0, 1.0, 0.0])  # type: ignore[arg-type]
    np.testing.assert_array_equal(v_tangent, [0.0, 1.0])  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- the API


def test_a_view_tangent_is_a_view_of_the_base_tangent() -> None:
    with fwAD.dual_level():
        x = fwAD.make_dual(tg.zeros(4, dtype=tg.float64), tg.zeros(4, dtype=tg.float64))
        v = x[1:3]
        held = fwAD.unpack_dual(v).tangent  # read before the write: follows it, as torch's
        assert held is not None
        x_tangent = fwAD.unpack_dual(x).tangent
        assert x_tangent is not None and np.shares_memory(held.data, x_tangent.data)
        x.add_(fwAD.make_dual(tg.ones(4, dtype=tg.float64), tg.arange(4.0, dtype=tg.float64)))
        np.testing.assert_array_equal(held.data, [1.0, 2.0])
        assert fwAD.unpack_dual(x).tangent is x_tangent  # written in place, not replaced


def test_inplace_ops_write_make_duals_tangent_in_place() -> None:
    """As torch: the tangent given to make_dual is the dual's, and in-place ops write it."""
    t = tg.ones(3, dtype=tg.float64)
    with fwAD.dual_level():
        d = fwAD.make_dual(tg.ones(3, dtype=tg.float64), t)
        d.mul_(3.0)
        assert fwAD.unpack_dual(d).tangent is t
    np.testing.assert_array_equal(t.data, [3.0, 3.0, 3.0])
    # a tangent laid out otherwise than the primal is copied (torch's rule)
    p, s = tg.zeros(2, 3, dtype=tg.float64), tg.randn(3, 2, dtype=tg.float64).t()
    with fwAD.dual_level():
        tangent = fwAD.unpack_dual(fwAD.make_dual(p, s)).tangent
        assert tangent is not None and tangent is not s
        np.testing.assert_array_equal(tangent.data, s.data)
        assert tangent.data.strides == p.data.strides


def test_make_dual_errors_through_views_as_torch() -> None:
    torch = pytest.importorskip("torch")
    for m in (tg, torch):
        fw = m.autograd.forward_ad
        with fw.dual_level():
            x = fw.make_dual(m.zeros(4, dtype=m.float64), m.ones(4, dtype=m.float64))
            with pytest.raises(RuntimeError, match="already has a forward gradient at the same"):
                fw.make_dual(x[1:3], m.ones(2, dtype=m.float64))  # a view of a dual
            y = m.zeros(4, dtype=m.float64)
            v = y[1:3]
            y.add_(fw.make_dual(m.ones(4, dtype=m.float64), m.ones(4, dtype=m.float64)))
            with pytest.raises(RuntimeError, match="already has a forward gradient at the same"):
                fw.make_dual(v, m.ones(2, dtype=m.float64))  # its base was given one since
            # a view of a base without a tangent may be made dual (its tangent its own)
            z = m.zeros(4, dtype=m.float64, requires_grad=True)
            d = fw.make_dual(z[1:3], m.ones(2, dtype=m.float64))
            assert fw.unpack_dual(d).tangent is not None
            assert fw.unpack_dual(z).tangent is None
            with pytest.raises(RuntimeError, match="itself has a forward gradient at the same"):
                fw.make_dual(m.zeros(4, dtype=m.float64), x)


def _primal_and_detach(m: Any) -> list[Any]:
    fw = m.autograd.forward_ad
    f64 = m.float64
    with fw.dual_level():
        x = fw.make_dual(m.zeros(3, dtype=f64), m.ones(3, dtype=f64))
        p = fw.unpack_dual(x).primal
        p.add_(fw.make_dual(m.ones(3, dtype=f64), m.full((3,), 5.0, dtype=f64)))
        y = m.zeros(4, dtype=f64)
        d = y.detach()
        v = d[1:3]
        v.copy_(fw.make_dual(m.ones(2, dtype=f64), m.tensor([5.0, 6.0], dtype=f64)))
        q = fw.make_dual(m.zeros(3, dtype=f64), m.ones(3, dtype=f64))
        r = fw.unpack_dual(q).primal
        q.add_(fw.make_dual(m.ones(3, dtype=f64), m.ones(3, dtype=f64)))
        return [fw.unpack_dual(t).tangent for t in (x, p, d, y, r, q.detach())]


def test_unpacked_primals_and_detaches_have_their_own_tangents_as_torch() -> None:
    """unpack_dual's primal and detach() are views whose tangent is their own: writing them
    does not reach the dual's (and views of them are theirs), as torch's."""
    mine = _primal_and_detach(tg)
    expected = [[1.0, 1.0, 1.0], [5.0, 5.0, 5.0], [0.0, 5.0, 6.0, 0.0], None, None, None]
    for found, want in zip(mine, expected):
        assert (found is None) == (want is None)
        if found is not None:
            np.testing.assert_array_equal(found.data, want)
    torch = pytest.importorskip("torch")
    for found, theirs in zip(mine, _primal_and_detach(torch)):
        assert (found is None) == (theirs is None)
        if found is not None:
            np.testing.assert_array_equal(found.data, theirs.numpy())


def test_views_made_outside_the_level_follow_their_base() -> None:
    torch = pytest.importorskip("torch")
    results = []
    for m in (tg, torch):
        fw = m.autograd.forward_ad
        x = m.zeros(4, dtype=m.float64)
        v, detached = x[1:3], x.detach()
        with fw.dual_level():
            x.add_(fw.make_dual(m.ones(4, dtype=m.float64), m.arange(4.0, dtype=m.float64)))
            results.append([fw.unpack_dual(v).tangent, fw.unpack_dual(detached).tangent])
    (mine_v, mine_d), (theirs_v, theirs_d) = results
    np.testing.assert_array_equal(mine_v.data, theirs_v.numpy())
    assert mine_d is None and theirs_d is None


def test_a_float32_tangent_written_through_a_view_as_torch() -> None:
    torch = pytest.importorskip("torch")
    results = []
    for m in (tg, torch):
        fw = m.autograd.forward_ad
        with fw.dual_level():
            x = fw.make_dual(m.zeros(4, dtype=m.float64), m.ones(4, dtype=m.float32))
            x[1:3].add_(fw.make_dual(m.ones(2, dtype=m.float64), m.ones(2, dtype=m.float64) * 7))
            results.append(fw.unpack_dual(x).tangent)
    mine, theirs = results
    assert str(mine.dtype).endswith("float32") and theirs.dtype == torch.float32
    np.testing.assert_array_equal(mine.data, theirs.numpy())


def test_view_tangents_die_with_the_level() -> None:
    x = tg.zeros(3, 4, dtype=tg.float64)
    with fwAD.dual_level():
        d = fwAD.make_dual(x, tg.ones(3, 4, dtype=tg.float64))
        v = d.t()[1:]
        assert fwAD.unpack_dual(v).tangent is not None
        w = x[0]
        w.copy_(fwAD.make_dual(tg.ones(4, dtype=tg.float64), tg.ones(4, dtype=tg.float64)))
        assert fwAD.unpack_dual(x).tangent is not None
    for t in (d, v, w, x):
        assert getattr(t, "_tangent", None) is None and fwAD.unpack_dual(t).tangent is None

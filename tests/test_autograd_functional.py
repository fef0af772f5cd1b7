"""tg.autograd.functional: Jacobians against finite differences, Hessians against the analytic
ones of the lecture, the product identities, torch's output structure and strict errors, and
torch.autograd.functional itself as a second opinion where installed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import autograd
from tinygrad_ed.autograd import functional as AF
from tinygrad_ed.numgrad import jacobians
from tinygrad_ed.tensor import Tensor

RNG = np.random.default_rng(0)


def t64(*shape: int, requires_grad: bool = False) -> Tensor:
    return tg.tensor(RNG.standard_normal(shape), requires_grad=requires_grad)


def const(a: np.ndarray) -> Tensor:
    return tg.tensor(np.asarray(a, dtype=np.float64))


def close(a: Any, b: Any, tol: float = 1e-10) -> None:
    np.testing.assert_allclose(a.data if isinstance(a, Tensor) else a, b, rtol=tol, atol=tol)


def as_nested(result: Any, outputs_tuple: bool, inputs_tuple: bool) -> list[list[Tensor]]:
    """A jacobian's result as [output][input], whatever tuple levels it dropped."""
    rows = result if outputs_tuple else (result,)
    return [list(r) if inputs_tuple else [r] for r in rows]


def test_reached_by_torch_names() -> None:
    from tinygrad_ed.autograd.functional import jacobian

    assert tg.autograd.functional is AF and jacobian is AF.jacobian
    assert AF.__all__ == ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]


# ----------------------------------------------------------------------------- Jacobians

W34, X54, Y5 = RNG.standard_normal((3, 4)), RNG.standard_normal((5, 4)), np.array([0, 2, 1, 1, 0])

# name -> (func, input shapes, inputs given as a tuple, outputs returned as a tuple)
JACOBIAN_CASES: dict[str, tuple[Callable[..., Any], list[tuple[int, ...]], bool, bool]] = {
    "elementwise": (lambda x: x.tanh() * x.exp(), [(2, 3)], False, False),
    "matmul": (lambda x: x @ const(W34), [(2, 3)], False, False),
    "matmul of two inputs": (lambda a, b: a @ b, [(2, 3), (3, 4)], True, False),
    "softmax": (lambda x: x.softmax(-1), [(2, 4)], False, False),
    "cross-entropy of W": (
        lambda w: F.cross_entropy(const(X54) @ w.T, tg.tensor(Y5)),
        [(3, 4)],
        False,
        False,
    ),
    "two outputs": (lambda x, y: (x * y, (x.exp() @ y).sum()), [(3,), (3,)], True, True),
}


@pytest.mark.parametrize("name", list(JACOBIAN_CASES))
def test_jacobian_matches_the_numerical_jacobian(name: str) -> None:
    func, shapes, inputs_tuple, outputs_tuple = JACOBIAN_CASES[name]
    xs = [t64(*s) for s in shapes]
    result = AF.jacobian(func, tuple(xs) if inputs_tuple else xs[0])
    _, numerical, _ = jacobians(func, [x.data for x in xs])
    blocks = as_nested(result, outputs_tuple, inputs_tuple)
    outs = func(*xs)
    outs = outs if outputs_tuple else (outs,)
    for o, out in enumerate(outs):
        for i, x in enumerate(xs):
            block = blocks[o][i]
            assert block.shape == out.shape + x.shape and block.dtype == np.float64
            assert not block.requires_grad
            close(block.data.reshape(out.numel(), x.numel()), numerical[o][i], 1e-7)


def test_one_backward_pass_per_output_element() -> None:
    """m reverse passes for m outputs, whatever the number of inputs n (numgrad needs 2n)."""
    calls = []
    real_grad = autograd.grad

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real_grad(*args, **kwargs)

    mp = pytest.MonkeyPatch()
    mp.setattr(autograd, "grad", counting)
    try:
        AF.jacobian(lambda x: x @ const(np.ones((50, 3))), t64(2, 50))
    finally:
        mp.undo()
    assert len(calls) == 2 * 3


# ----------------------------------------------------------------------------- Hessians


def test_hessian_is_symmetric_and_the_jacobian_of_the_gradient() -> None:
    w = const(RNG.standard_normal((4, 4)))

    def f(x: Tensor) -> Tensor:
        return x.tanh() @ w @ x.sigmoid() + x.logsumexp(0)

    x = t64(4)
    h = AF.hessian(f, x)
    assert h.shape == (4, 4)
    close(h.data, h.data.T, 1e-12)

    def gradient(t: Tensor) -> Tensor:
        return autograd.grad(f(t), t, create_graph=True)[0]  # type: ignore[no-any-return]

    _, numerical, _ = jacobians(gradient, [x.data])
    close(h, numerical[0][0], 1e-7)


def test_hessian_of_a_quadratic_form_is_a_plus_a_transpose() -> None:
    a = RNG.standard_normal((3, 3))
    h = AF.hessian(lambda x: x @ const(a) @ x, t64(3))
    close(h, a + a.T)


def test_hessian_of_log_sum_exp_is_diag_p_minus_p_p_transpose() -> None:
    x = t64(5)
    p = x.softmax(0).data
    close(AF.hessian(lambda t: t.logsumexp(0), x), np.diag(p) - np.outer(p, p))


def test_hessian_of_softmax_cross_entropy_wrt_the_logits() -> None:
    """The lecture's: ∇ = (p − e_y)/N per row, so H is block diagonal, (diag p − ppᵀ)/N per
    example, and independent of the labels."""
    n, c = 3, 4
    logits, y = t64(n, c), tg.tensor([2, 0, 3])
    h = AF.hessian(lambda f: F.cross_entropy(f, y), logits)
    assert h.shape == (n, c, n, c)
    p = logits.softmax(-1).data
    for i in range(n):
        for j in range(n):
            block = (np.diag(p[i]) - np.outer(p[i], p[i])) / n if i == j else np.zeros((c, c))
            close(h.data[i, :, j, :], block)


def test_hessian_of_two_inputs_has_the_four_blocks() -> None:
    x, y = t64(3), t64(3)
    h = AF.hessian(lambda a, b: (a * a * b).sum(), (x, y))  # Σ xᵢ² yᵢ
    assert [[b.shape for b in row] for row in h] == [[(3, 3)] * 2] * 2
    close(h[0][0], np.diag(2 * y.data))
    close(h[0][1], np.diag(2 * x.data))
    close(h[1][0], h[0][1].data.T)
    close(h[1][1], np.zeros((3, 3)))


# ----------------------------------------------------------------------------- products


def test_products_are_the_jacobian_and_hessian_times_v() -> None:
    w = const(RNG.standard_normal((4, 6)))

    def f(x: Tensor) -> Tensor:
        return (w @ x.reshape(6).tanh()).exp()

    def scalar(x: Tensor) -> Tensor:
        return (f(x) * f(x)).sum()

    x, v, u = t64(2, 3), t64(2, 3), t64(4)
    j = AF.jacobian(f, x).data.reshape(4, 6)
    h = AF.hessian(scalar, x).data.reshape(6, 6)
    out, jv = AF.jvp(f, x, v)
    close(out, f(x).data)
    close(jv, j @ v.data.reshape(6))
    out, uj = AF.vjp(f, x, u)
    close(uj, (u.data @ j).reshape(2, 3))
    out, hv = AF.hvp(scalar, x, v)
    close(out, scalar(x).data)
    close(hv, (h @ v.data.reshape(6)).reshape(2, 3))
    _, vh = AF.vhp(scalar, x, v)
    close(vh, (v.data.reshape(6) @ h).reshape(2, 3))


def test_products_of_tuples_sum_over_inputs_and_keep_outputs_apart() -> None:
    def f(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
        return a * b.exp(), (a @ b).reshape(1)

    a, b, va, vb, u0, u1 = t64(3), t64(3), t64(3), t64(3), t64(3), t64(1)
    jac = AF.jacobian(f, (a, b))
    _, jv = AF.jvp(f, (a, b), (va, vb))
    assert isinstance(jv, tuple) and len(jv) == 2
    for o in range(2):
        close(jv[o], jac[o][0].data @ va.data + jac[o][1].data @ vb.data)
    _, uj = AF.vjp(f, (a, b), (u0, u1))
    for i in range(2):
        close(uj[i], u0.data @ jac[0][i].data + u1.data @ jac[1][i].data)

    def s(a: Tensor, b: Tensor) -> Tensor:
        return (a * a * b.exp()).sum()

    h = AF.hessian(s, (a, b))
    _, hv = AF.hvp(s, (a, b), (va, vb))
    _, vh = AF.vhp(s, (a, b), (va, vb))
    for i in range(2):
        close(hv[i], h[i][0].data @ va.data + h[i][1].data @ vb.data)
        close(vh[i], va.data @ h[0][i].data + vb.data @ h[1][i].data)


def test_v_may_be_omitted_only_for_one_element() -> None:
    x = tg.tensor(2.0, dtype=np.float64)
    assert AF.vjp(lambda t: t**3, x)[1].item() == 12.0
    assert AF.jvp(lambda t: t**3, x)[1].item() == 12.0
    assert AF.hvp(lambda t: t**3, x)[1].item() == 12.0
    assert AF.vhp(lambda t: t**3, x)[1].item() == 12.0
    with pytest.raises(RuntimeError, match="v can only be None"):
        AF.vjp(lambda t: t * 2, t64(2))
    with pytest.raises(RuntimeError, match="v can only be None"):
        AF.jvp(lambda t: t.sum(), t64(2))
    with pytest.raises(RuntimeError, match="invalid size"):
        AF.vjp(lambda t: t * 2, t64(2), t64(3))
    with pytest.raises(RuntimeError, match="invalid length"):
        AF.jvp(lambda a, b: a * b, (t64(2), t64(2)), (t64(2),))
    with pytest.raises(RuntimeError, match="single Tensor"):
        AF.hvp(lambda t: (t.sum(), t.sum()), t64(2), t64(2))
    with pytest.raises(RuntimeError, match="single element"):
        AF.vhp(lambda t: t * 2, t64(2), t64(2))


# ----------------------------------------------------------------------------- structure


def test_tuple_levels_follow_the_inputs_and_outputs() -> None:
    x = t64(2)
    one = AF.jacobian(lambda t: t * 2, x)
    assert isinstance(one, Tensor) and one.shape == (2, 2)
    ins = AF.jacobian(lambda t: t * 2, (x,))
    assert isinstance(ins, tuple) and len(ins) == 1 and ins[0].shape == (2, 2)
    outs = AF.jacobian(lambda t: (t * 2, t.sum()), x)
    assert isinstance(outs, tuple) and [o.shape for o in outs] == [(2, 2), (2,)]
    both = AF.jacobian(lambda t: (t * 2,), (x,))
    assert isinstance(both, tuple) and isinstance(both[0], tuple) and both[0][0].shape == (2, 2)
    scalar = AF.jacobian(lambda t: t * t, tg.tensor(3.0, dtype=np.float64))
    assert scalar.shape == () and scalar.item() == 6.0
    h = AF.hessian(lambda t: (t * t).sum(), (x,))
    assert isinstance(h, tuple) and isinstance(h[0], tuple) and h[0][0].shape == (2, 2)
    assert AF.jacobian(lambda t: t[:0], x).shape == (0, 2)  # no output element: no pass


def test_inputs_are_fresh_leaves_and_results_are_detached() -> None:
    x = t64(3, requires_grad=True)
    seen: list[Tensor] = []

    def f(t: Tensor) -> Tensor:
        seen.append(t)
        return t * x  # x is captured: a constant to the functional API, as in torch

    for compute in (
        lambda: AF.jacobian(f, x),
        lambda: AF.vjp(f, x, t64(3)),
        lambda: AF.jvp(f, x, t64(3)),
    ):
        result = compute()
        flat = [result] if isinstance(result, Tensor) else list(result)
        assert all(not r.requires_grad for r in flat)
    assert all(t is not x and t.is_leaf and t.requires_grad for t in seen)
    close(AF.jacobian(f, x), np.diag(x.data))  # not diag(2x)
    assert x.grad is None
    assert not AF.vjp(lambda t: t * t, t64(2), t64(2))[0].requires_grad


def test_an_unused_input_or_a_constant_output_gets_zeros() -> None:
    x, y = t64(2), t64(3)
    jac = AF.jacobian(lambda a, b: a.exp(), (x, y))
    close(jac[1], np.zeros((2, 3)))
    close(AF.jacobian(lambda a: tg.ones(2, dtype=np.float64), x), np.zeros((2, 2)))
    close(AF.vjp(lambda a, b: a * 2, (x, y), t64(2))[1][1], np.zeros(3))
    close(AF.jvp(lambda a: (a * 2, tg.ones(3)), x, t64(2))[1][1], np.zeros(3))
    close(AF.hessian(lambda a, b: (a * a).sum() + b.sum(), (x, y))[1][1], np.zeros((3, 3)))
    close(AF.hvp(lambda a: a.sum(), x, t64(2))[1], np.zeros(2))
    close(AF.vhp(lambda a: a.sum(), x, t64(2))[1], np.zeros(2))


def test_the_result_has_the_input_dtype() -> None:
    x = tg.tensor([1.0, 2.0])  # float32
    assert AF.jacobian(lambda t: t.double() * 2, x).dtype == np.float32


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(TypeError, match="tuple of Tensors"):
        AF.jacobian(lambda a, b: a * b, [t64(2), t64(2)])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="outputs of the user-provided function"):
        AF.jacobian(lambda a: [a * 2], t64(2))
    with pytest.raises(RuntimeError, match="single element"):
        AF.hessian(lambda a: a * 2, t64(2))
    # forward mode as torch's: only with vectorize=True, without create_graph or strict
    with pytest.raises(NotImplementedError, match="vectorize=True"):
        AF.jacobian(lambda a: a * 2, t64(2), strategy="forward-mode")
    with pytest.raises(NotImplementedError, match="vectorize=True"):
        AF.hessian(lambda a: a.sum(), t64(2), outer_jacobian_strategy="forward-mode")
    with pytest.raises(NotImplementedError, match="create_graph=True"):
        AF.jacobian(
            lambda a: a * 2, t64(2), vectorize=True, create_graph=True, strategy="forward-mode"
        )
    with pytest.raises(RuntimeError, match="strict=True"):
        AF.jacobian(lambda a: a * 2, t64(2), vectorize=True, strict=True, strategy="forward-mode")
    with pytest.raises(ValueError, match="reverse-mode"):
        AF.jacobian(lambda a: a * 2, t64(2), strategy="backwards")


def test_vectorize_computes_the_same_and_refuses_strict_as_torch() -> None:
    x = t64(3)
    close(AF.jacobian(lambda t: t.exp(), x, vectorize=True), np.diag(np.exp(x.data)))
    close(AF.hessian(lambda t: t.exp().sum(), x, vectorize=True), np.diag(np.exp(x.data)))
    with pytest.raises(RuntimeError, match="vectorize"):
        AF.jacobian(lambda t: t.exp(), x, strict=True, vectorize=True)


# ----------------------------------------------------------------------------- strict


# (function, func of (a, b), v: None, of the inputs or of the output, options, error)
STRICT_CASES: list[tuple[str, Callable[..., Any], str | None, dict[str, Any], str]] = [
    ("jacobian", lambda a, b: a * 2, None, {}, "Output 0 .* independent of input 1"),
    ("jacobian", lambda a, b: (a * b).detach(), None, {}, "Output 0 .* does not require"),
    ("jacobian", lambda a, b: a * 2 + b, None, {"create_graph": True}, "create_graph=True"),
    ("hessian", lambda a, b: (a * 3 + b).sum(), None, {}, "jacobian .* independent of the"),
    ("hessian", lambda a, b: (a * a * b).sum(), None, {}, "Output 1 .* independent of input 1"),
    ("vjp", lambda a, b: a * 2, "out", {}, "independent of input 1"),
    ("vjp", lambda a, b: a * 2 + b, "out", {"create_graph": True}, "create_graph=True"),
    ("jvp", lambda a, b: a * 2, "in", {}, "independent of input 1"),
    ("vhp", lambda a, b: (a * a).sum() + b.sum(), "in", {}, "jacobian .* input 1"),
    ("hvp", lambda a, b: (a * a).sum() + b.sum(), "in", {}, "jacobian .* input 1"),
]


def _run_strict(lib: Any, mod: Any, case: int) -> None:
    fn, func, v, kwargs, _ = STRICT_CASES[case]
    a, b = lib.tensor(np.array([1.0, 2.0])), lib.tensor(np.array([0.5, -1.0]))
    args: tuple[Any, ...] = (func, (a, b))
    if v is not None:
        args += ((a, b) if v == "in" else a,)
    getattr(mod, fn)(*args, strict=True, **kwargs)


@pytest.mark.parametrize("case", range(len(STRICT_CASES)))
def test_strict_refuses_independence(case: int) -> None:
    with pytest.raises(RuntimeError, match=STRICT_CASES[case][-1]):
        _run_strict(tg, AF, case)


@pytest.mark.parametrize("case", range(len(STRICT_CASES)))
def test_torch_refuses_the_same_in_strict_mode(case: int) -> None:
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        _run_strict(torch, torch.autograd.functional, case)


def test_strict_accepts_what_depends_on_every_input() -> None:
    x, y = t64(2), t64(2)
    AF.jacobian(lambda a, b: a * b, (x, y), strict=True)
    AF.hessian(lambda a, b: (a * a * b * b).sum(), (x, y), strict=True)
    AF.jvp(lambda a, b: a * b, (x, y), (x, y), strict=True)
    AF.hvp(lambda a: (a**3).sum(), x, y, strict=True, create_graph=True)


# ----------------------------------------------------------------------------- create_graph


def test_create_graph_results_are_differentiable_in_the_inputs_and_v() -> None:
    x, v = t64(3, requires_grad=True), t64(3, requires_grad=True)
    jac = AF.jacobian(lambda t: t**3, x, create_graph=True)  # diag(3x²)
    assert jac.requires_grad
    close(autograd.grad(jac.sum(), x)[0], 6 * x.data)
    h = AF.hessian(lambda t: (t**4).sum(), x, create_graph=True)  # diag(12x²)
    close(autograd.grad(h.sum(), x)[0], 24 * x.data)
    out, uj = AF.vjp(lambda t: t * t, x, v, create_graph=True)  # 2xv
    assert out.requires_grad
    gx, gv = autograd.grad(uj.sum(), [x, v])
    close(gx, 2 * v.data)
    close(gv, 2 * x.data)
    _, jv = AF.jvp(lambda t: t * t, x, v, create_graph=True)
    close(autograd.grad(jv.sum(), x)[0], 2 * v.data)
    for product in (AF.hvp, AF.vhp):  # 6xv
        _, hv = product(lambda t: (t**3).sum(), x, v, create_graph=True)
        gx, gv = autograd.grad(hv.sum(), [x, v])
        close(gx, 6 * v.data)
        close(gv, 6 * x.data)


# ----------------------------------------------------------------------------- torch


def _torch_case(lib: Any, name: str) -> Callable[..., Any]:
    """The same function written for tinygrad_ed or torch (methods both have)."""
    cases: dict[str, Callable[..., Any]] = {
        "one in, one out": lambda x: (x.tanh() * x).exp(),
        "two in, two out": lambda x, y: (x @ y, (x.sigmoid() ** 2).sum()),
        "two in, one out": lambda x, w: (x @ w).log_softmax(0),
        "one-tuples": lambda x: (x * x,),
        "unused input": lambda x, y: x.exp(),
    }
    return cases[name]


TORCH_INPUTS = {
    "one in, one out": ((2, 3),),
    "two in, two out": ((2, 3), (3,)),
    "two in, one out": ((4, 3), (3,)),
    "one-tuples": ((3,),),
    "unused input": ((2,), (3,)),
}
TUPLE_INPUTS = {"two in, two out", "two in, one out", "one-tuples", "unused input"}


def _plain(result: Any) -> Any:
    """Nested tuples of [float64 array, requires_grad], from either library's result."""
    if isinstance(result, tuple):
        return tuple(_plain(r) for r in result)
    data = result.data if isinstance(result, Tensor) else result.detach().numpy()
    return [np.asarray(data, dtype=np.float64), bool(result.requires_grad)]


def _same(a: Any, b: Any) -> None:
    """The same structure, shapes, values and, leaf by leaf, whether it has a graph."""
    assert type(a) is type(b), (type(a), type(b))
    if isinstance(a, tuple):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    else:
        assert a[0].shape == b[0].shape and a[1] == b[1]
        np.testing.assert_allclose(a[0], b[0], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("name", list(TORCH_INPUTS))
def test_all_six_match_torch(name: str, create_graph: bool) -> None:
    torch = pytest.importorskip("torch")
    taf = torch.autograd.functional
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal(s) for s in TORCH_INPUTS[name]]
    wrap = tuple if name in TUPLE_INPUTS else (lambda xs: xs[0])
    ours = wrap([tg.tensor(a, requires_grad=create_graph) for a in arrays])
    theirs = wrap([torch.tensor(a, requires_grad=create_graph) for a in arrays])
    f, tf = _torch_case(tg, name), _torch_case(torch, name)

    def scalar(fn: Callable[..., Any]) -> Callable[..., Any]:
        def s(*xs: Any) -> Any:
            outs = fn(*xs)
            outs = outs if isinstance(outs, tuple) else (outs,)
            total = outs[0].sum()
            for o in outs[1:]:
                total = total + o.sum()
            return total

        return s

    out = f(*(ours if isinstance(ours, tuple) else (ours,)))
    v_out = (
        tuple(rng.standard_normal(o.shape) for o in out)
        if isinstance(out, tuple)
        else rng.standard_normal(out.shape)
    )
    v_in = wrap([rng.standard_normal(a.shape) for a in arrays])

    def both(v: Any) -> tuple[Any, Any]:
        if isinstance(v, tuple):
            return tuple(tg.tensor(a) for a in v), tuple(torch.tensor(a) for a in v)
        return tg.tensor(v), torch.tensor(v)

    (vo_ours, vo_theirs), (vi_ours, vi_theirs) = both(v_out), both(v_in)
    cg = {"create_graph": create_graph}
    for fn, func, tfunc, args in (
        ("jacobian", f, tf, ()),
        ("hessian", scalar(f), scalar(tf), ()),
        ("vjp", f, tf, (vo_ours, vo_theirs)),
        ("jvp", f, tf, (vi_ours, vi_theirs)),
        ("hvp", scalar(f), scalar(tf), (vi_ours, vi_theirs)),
        ("vhp", scalar(f), scalar(tf), (vi_ours, vi_theirs)),
    ):
        mine = getattr(AF, fn)(func, ours, *args[:1], **cg)
        reference = getattr(taf, fn)(tfunc, theirs, *args[1:], **cg)
        _same(_plain(mine), _plain(reference))

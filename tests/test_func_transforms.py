"""tg.func's transforms (torch.func): derivatives in closed form (polynomials, sin, quadratic
forms), per-sample gradients against one-example gradients computed one by one, vmap against a
loop, the identities tying vjp, jvp and the Jacobian together, and torch.func itself as a
second opinion where installed (values at 1e-10 in float64, and its errors)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import func
from tinygrad_ed.func import (
    functional_call,
    grad,
    grad_and_value,
    hessian,
    jacfwd,
    jacrev,
    jvp,
    linearize,
    replace_all_batch_norm_modules_,
    stack_module_state,
    vjp,
    vmap,
)
from tinygrad_ed.numgrad import jacobians
from tinygrad_ed.tensor import Tensor

RNG = np.random.default_rng(27)


def t64(*shape: int, requires_grad: bool = False) -> Tensor:
    return tg.tensor(RNG.standard_normal(shape), requires_grad=requires_grad)


def close(a: Any, b: Any, tol: float = 1e-10) -> None:
    a = a.data if isinstance(a, Tensor) else a
    b = b.data if isinstance(b, Tensor) else b
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def scalar(v: float) -> Tensor:
    return tg.tensor(v, dtype=tg.float64)


def test_exports() -> None:
    assert set(func.__all__) == {
        "functional_call",
        "grad",
        "grad_and_value",
        "hessian",
        "jacfwd",
        "jacrev",
        "jvp",
        "linearize",
        "replace_all_batch_norm_modules_",
        "stack_module_state",
        "vjp",
        "vmap",
    }


# ----------------------------------------------------------------------------- grad, closed forms


@pytest.mark.parametrize("x0", [-2.1, -0.3, 0.0, 0.7, 3.0])
def test_derivatives_of_sin(x0: float) -> None:
    x = scalar(x0)
    d1 = grad(lambda x: x.sin())
    d2 = grad(d1)
    d3 = grad(d2)
    close(d1(x), np.cos(x0))
    close(d2(x), -np.sin(x0))  # the inner pass is recorded, so it differentiates again
    close(d3(x), -np.cos(x0))


@pytest.mark.parametrize("x0", [-1.5, 0.5, 2.0])
def test_derivatives_of_a_polynomial(x0: float) -> None:
    f = lambda x: x**4 - 3 * x**2 + x  # noqa: E731
    x = scalar(x0)
    close(grad(f)(x), 4 * x0**3 - 6 * x0 + 1)
    close(grad(grad(f))(x), 12 * x0**2 - 6)
    close(grad(grad(grad(f)))(x), 24 * x0)
    close(grad(grad(grad(grad(f))))(x), 24.0)
    fifth = grad(grad(grad(grad(grad(f)))))(x)
    close(fifth, 0.0)  # a constant's derivative: zeros, not an error
    assert fifth.shape == ()


def test_grad_matches_finite_differences() -> None:
    a, b = t64(3, 4), t64(4)

    def f(x: Tensor, y: Tensor) -> Tensor:
        return ((x @ y).tanh() * x.sum(1)).sum() + (y**3).mean()

    gx, gy = grad(f, argnums=(0, 1))(a, b)
    _, num, _ = jacobians(f, [a.data.copy(), b.data.copy()])
    close(gx, num[0][0].reshape(a.shape), 1e-6)
    close(gy, num[0][1].reshape(b.shape), 1e-6)


def test_grad_leaves_the_inputs_alone() -> None:
    x = t64(3)
    before = x.data.copy()
    g = grad(lambda x: (x**2).sum())(x)
    close(g, 2 * before)
    np.testing.assert_array_equal(x.data, before)
    assert x.grad is None and not x.requires_grad
    assert not g.requires_grad and g.grad_fn is None
    # a leaf that requires grad is not given a .grad either; the result is differentiable
    # with respect to it, as torch's
    xr = x.detach().requires_grad_()
    g = grad(lambda x: (x**3).sum())(xr)
    assert xr.grad is None and g.requires_grad
    g.sum().backward()
    close(xr.grad, 6 * before)


def test_grad_is_differentiable_with_respect_to_captured_tensors() -> None:
    x, w = t64(3), t64(3, requires_grad=True)
    g = grad(lambda x: (x * w).sin().sum())(x)  # w cos(w x)
    close(g, w.data * np.cos(w.data * x.data))
    assert g.requires_grad
    (gw,) = tg.autograd.grad(g.sum(), w)
    close(gw, np.cos(w.data * x.data) - w.data * x.data * np.sin(w.data * x.data))
    # what depends only on the transform's own input is returned without a graph
    assert not grad(lambda x: (x * x).sum() + w.sum())(x).requires_grad


def test_grad_ignores_an_outer_no_grad() -> None:
    x = t64(3, requires_grad=True)
    with tg.no_grad():
        g = grad(lambda x: (x**3).sum())(x)
    close(g, 3 * x.data**2)
    assert not g.requires_grad


def test_argnums_and_pytrees() -> None:
    a, b, c = t64(2), t64(2), t64(2)

    def f(d: dict[str, Tensor], pair: list[Tensor], k: float) -> Tensor:
        return (d["a"] * d["b"] * pair[0]).sum() * k + (pair[1] ** 2).sum()

    args = ({"a": a, "b": b}, [c, a], 2.0)
    gd = grad(f)(*args)
    assert set(gd) == {"a", "b"}
    close(gd["a"], 2 * b.data * c.data)
    close(gd["b"], 2 * a.data * c.data)
    gd, gp = grad(f, argnums=(0, 1))(*args)
    assert isinstance(gp, list) and len(gp) == 2
    close(gp[0], 2 * a.data * b.data)
    close(gp[1], 2 * a.data)
    (gp2,) = grad(f, argnums=(-2,))(*args)
    close(gp2[1], 2 * a.data)
    assert grad(lambda x, y: (x * 0).sum(), argnums=1)(a, b).data.tolist() == [0.0, 0.0]


def test_has_aux_and_grad_and_value() -> None:
    x = t64(3)
    g, aux = grad(lambda x: ((x**2).sum(), {"m": x.mean(), "n": 3}), has_aux=True)(x)
    close(g, 2 * x.data)
    close(aux["m"], x.data.mean())
    assert aux["n"] == 3 and not aux["m"].requires_grad
    g, value = grad_and_value(lambda x: x.exp().sum())(x)
    close(g, np.exp(x.data))
    close(value, np.exp(x.data).sum())
    assert not value.requires_grad
    g, (value, aux) = grad_and_value(lambda x: (x.sum(), x * 2), has_aux=True)(x)
    close(value, x.data.sum())
    close(aux, 2 * x.data)


def test_kwargs_are_passed_and_not_differentiated() -> None:
    x = t64(3)
    close(grad(lambda x, scale=1.0: (x * scale).sum())(x, scale=tg.tensor(3.0)), [3.0] * 3)


# ----------------------------------------------------------------------------- Jacobians


def test_hessian_of_a_quadratic_form() -> None:
    A, x = RNG.standard_normal((4, 4)), t64(4)
    At = tg.tensor(A)

    def f(x: Tensor) -> Tensor:
        return x @ At @ x

    for h in (hessian(f), jacfwd(jacrev(f)), jacrev(jacrev(f)), jacrev(grad(f))):
        close(h(x), A + A.T)
    close(jacrev(f)(x), (A + A.T) @ x.data)


def test_hessian_of_sin_sum_and_argnums() -> None:
    x, y = t64(5), t64(5)
    close(hessian(lambda x: x.sin().sum())(x), np.diag(-np.sin(x.data)))
    h = hessian(lambda x, y: (x * y**2).sum(), argnums=(0, 1))(x, y)
    close(h[0][0], np.zeros((5, 5)))
    close(h[0][1], np.diag(2 * y.data))
    close(h[1][0], np.diag(2 * y.data))
    close(h[1][1], np.diag(2 * x.data))


def test_jacobian_structure() -> None:
    x, y = t64(3), t64(2)

    def f(x: Tensor, y: Tensor) -> dict[str, Tensor]:
        return {"outer": x[:, None] * y, "sum": (x**2).sum()}

    for jac in (jacrev, jacfwd):
        j = jac(f, argnums=(0, 1))(x, y)
        assert set(j) == {"outer", "sum"}
        assert j["outer"][0].shape == (3, 2, 3) and j["outer"][1].shape == (3, 2, 2)
        assert j["sum"][0].shape == (3,) and j["sum"][1].shape == (2,)
        close(j["sum"][0], 2 * x.data)
        close(j["sum"][1], np.zeros(2))
        close(j["outer"][0], np.einsum("ik,j->ijk", np.eye(3), y.data))
        close(j["outer"][1], np.einsum("jk,i->ijk", np.eye(2), x.data))
        j0 = jac(f)(x, y)  # an int argnums: no tuple level for the inputs
        assert j0["outer"].shape == (3, 2, 3)
    j, aux = jacrev(lambda x: (x.exp(), x.sum()), has_aux=True)(x)
    close(j, np.diag(np.exp(x.data)))
    close(aux, x.data.sum())
    jd = jacrev(lambda d: d["w"] @ d["v"])({"w": t64(2, 3), "v": x})
    assert jd["w"].shape == (2, 2, 3) and jd["v"].shape == (2, 3)


def test_jacobian_of_an_empty_output() -> None:
    x = t64(3)
    assert jacrev(lambda x: x[:0])(x).shape == (0, 3)
    assert jacfwd(lambda x: x[:0])(x).shape == (0, 3)


def test_vjp_and_jvp_agree_with_the_jacobian() -> None:
    W = tg.tensor(RNG.standard_normal((4, 3)))

    def f(x: Tensor) -> Tensor:
        return (W @ x).tanh() * x.sum()

    x, u, v = t64(3), t64(4), t64(3)
    J = jacrev(f)(x).data
    out, vjp_fn = vjp(f, x)
    close(out, f(x))
    (uJ,) = vjp_fn(u)
    close(uJ, u.data @ J)
    out, Jv = jvp(f, (x,), (v,))
    close(out, f(x))
    close(Jv, J @ v.data)
    out, jvp_fn = linearize(f, x)
    close(jvp_fn(v), J @ v.data)
    close(jvp_fn(u[:3]), J @ u.data[:3])  # linearize runs f once, each jvp_fn one pass
    _, jv, aux = jvp(lambda x: (f(x), x.max()), (x,), (v,), has_aux=True)
    close(jv, J @ v.data)
    close(aux, x.data.max())
    assert not out.requires_grad and not Jv.requires_grad and not uJ.requires_grad


def test_jvp_of_several_inputs_and_outputs() -> None:
    x, y = t64(5), t64(5)
    one = tg.ones(5, dtype=tg.float64)
    _, out = jvp(lambda x, y: x * y, (x, y), (one, one))
    close(out, x.data + y.data)
    _, (a, b) = jvp(lambda x, y: (x.sin(), (x * y).sum()), (x, y), (one, 2 * one))
    close(a, np.cos(x.data))
    close(b, (y.data + 2 * x.data).sum())
    _, zero = jvp(lambda x: tg.ones(2, dtype=tg.float64), (x,), (one,))
    close(zero, np.zeros(2))


def test_vjp_fn_takes_the_outputs_structure_and_records() -> None:
    x = t64(3)
    out, vjp_fn = vjp(lambda x, y: {"p": x * y, "q": x.sum()}, x, x * 2)
    close(out["p"], 2 * x.data**2)
    gx, gy = vjp_fn({"p": tg.ones(3, dtype=tg.float64), "q": scalar(2.0)})
    close(gx, 2 * x.data + 2)
    close(gy, x.data)
    # a cotangent that requires grad: the vjp is differentiable with respect to it
    u = tg.ones(3, dtype=tg.float64, requires_grad=True)
    _, fn = vjp(lambda x: x.sin(), x)
    (g,) = fn(u)
    assert g.requires_grad
    (gu,) = tg.autograd.grad(g.sum(), u)
    close(gu, np.cos(x.data))


# ----------------------------------------------------------------------------- vmap


def test_vmap_is_the_loop_it_stands_for() -> None:
    X, W = t64(5, 3), t64(3, 4)

    def f(x: Tensor, w: Tensor) -> Tensor:
        return (x @ w).softmax(-1)

    out = vmap(f, in_dims=(0, None))(X, W)
    close(out, np.stack([f(X[i], W).data for i in range(5)]))
    out = vmap(f, in_dims=(1, None), out_dims=1)(X.T, W)
    close(out, np.stack([f(X[i], W).data for i in range(5)], axis=1))
    out = vmap(f, in_dims=(-1, None), out_dims=-1)(X.T, W)
    assert out.shape == (4, 5)
    # vmap of vmap maps over two dimensions; kwargs are never mapped
    Y = t64(2, 3, 4)
    close(vmap(vmap(lambda y, s=1.0: y.sum() * s))(Y, s=2.0), 2 * Y.data.sum(-1))
    close(vmap(vmap(lambda y: y.sum(), in_dims=1), in_dims=2)(Y), Y.data.sum(0).T)


def test_vmap_pytrees_and_out_dims() -> None:
    A, B, c = t64(4, 2), t64(3, 4), t64(2)

    def f(d: dict[str, Tensor], pair: tuple[Tensor, Tensor]) -> tuple[Tensor, list[Tensor]]:
        return d["a"] * pair[1], [d["b"].sum(), pair[0]]

    out = vmap(f, in_dims=({"a": 0, "b": 1}, (None, None)), out_dims=(1, [0, None]))(
        {"a": A, "b": B}, (c, c)
    )
    assert isinstance(out, tuple) and isinstance(out[1], list)
    close(out[0], (A.data * c.data).T)
    close(out[1][0], B.data.sum(0))
    assert out[1][1] is c or np.array_equal(out[1][1].data, c.data)
    assert vmap(lambda x: (x, 3.0), out_dims=(0, None))(A)[1] == 3.0


def test_vmap_of_an_empty_batch_and_a_scalar_slice() -> None:
    assert vmap(lambda x: x * 2)(tg.zeros(0, 3)).shape == (0, 3)
    assert vmap(lambda x: x.sum(), out_dims=0)(tg.zeros(3, 0)).shape == (3,)
    close(vmap(lambda x: x**2)(tg.tensor([1.0, 2.0, 3.0])), [1.0, 4.0, 9.0])


def test_vmap_is_differentiable() -> None:
    X = t64(4, 3, requires_grad=True)
    vmap(lambda x: x.sin().sum())(X).sum().backward()
    close(X.grad, np.cos(X.data))


def test_vmap_randomness() -> None:
    x = tg.zeros(3, 2)
    with pytest.raises(RuntimeError, match="randomness error mode"):
        vmap(lambda x: x + tg.rand(2))(x)
    tg.manual_seed(0)
    same = vmap(lambda x: x + tg.rand(2), randomness="same")(x)
    close(same[0], same[1])
    close(same[1], same[2])
    different = vmap(lambda x: x + tg.rand(2), randomness="different")(x)
    assert not np.array_equal(different[0].data, different[1].data)


def test_per_sample_gradients_of_an_mlp() -> None:
    """torch's "Per-sample-gradients" tutorial: vmap(grad(loss)) over a model's parameters
    with functional_call, equal to the gradients of the one-example losses one by one."""
    tg.manual_seed(0)
    model = tg.nn.Sequential(tg.nn.Linear(4, 8), tg.nn.Tanh(), tg.nn.Linear(8, 3)).double()
    params = {k: v.detach() for k, v in model.named_parameters()}
    X, Y = t64(6, 4), tg.tensor(RNG.integers(0, 3, 6))

    def loss(params: dict[str, Tensor], x: Tensor, y: Tensor) -> Tensor:
        logits = functional_call(model, params, (x.unsqueeze(0),))
        return F.cross_entropy(logits, y.unsqueeze(0))

    per_sample = vmap(grad(loss), in_dims=(None, 0, 0))(params, X, Y)
    for i in range(6):
        model.zero_grad()
        F.cross_entropy(model(X[i : i + 1]), Y[i : i + 1]).backward()
        for name, p in model.named_parameters():
            close(per_sample[name][i], p.grad)
    # the mean of the per-sample gradients is the gradient of the mean loss
    model.zero_grad()
    F.cross_entropy(model(X), Y).backward()
    for name, p in model.named_parameters():
        close(per_sample[name].mean(0), p.grad)
    assert all(p.grad is not None for p in model.parameters())


def test_jacrev_inside_vmap() -> None:
    X = t64(4, 3)
    J = vmap(jacrev(lambda x: x.sin() * x.sum()))(X)
    for i in range(4):
        x = X.data[i]
        close(J[i], np.diag(np.cos(x)) * x.sum() + np.sin(x)[:, None])
    H = vmap(hessian(lambda x: (x**3).sum()))(X)
    close(H, np.stack([np.diag(6 * x) for x in X.data]))


# ----------------------------------------------------------------------------- errors


def test_errors_without_torch() -> None:
    x = t64(3)
    with pytest.raises(RuntimeError, match="scalar Tensor, got tensor with 1 dims"):
        grad(lambda x: x**2)(x)
    with pytest.raises(RuntimeError, match="floating point"):
        grad(lambda x: (x * 2).sum())(tg.arange(3))
    with pytest.raises(RuntimeError, match=r"should be a tuple: \(output, aux\)"):
        grad(lambda x: [x.sum(), 1], has_aux=True)(x)
    with pytest.raises(ValueError, match="Expected all tensors to have the same size"):
        vmap(lambda a, b: a + b)(tg.zeros(2, 3), tg.zeros(3, 3))
    with pytest.raises(ValueError, match="expected in_dim to satisfy -2 <= in_dim < 2"):
        vmap(lambda a: a, in_dims=2)(tg.zeros(2, 3))


TORCH_FUNCS: dict[str, Callable[[Any, Any], Callable[..., Any]]] = {
    # name -> (lib, F) -> scalar function of x (and of W where there is one)
    "elementwise": lambda lib, F: lambda x: (x.sin() * x.exp() + x.tanh() ** 2).sum(),
    "matmul": lambda lib, F: lambda x: ((x @ x.T).cos() @ x).sum(),
    "reductions": lambda lib, F: lambda x: x.amax(1).sum() * x.mean() + x.norm() + x.var(0).sum(),
    "softmax cross-entropy": lambda lib, F: lambda x: F.cross_entropy(x, lib.tensor([0, 2, 1, 1])),
}


@pytest.mark.parametrize("name", sorted(TORCH_FUNCS))
def test_against_torch_func(name: str) -> None:
    torch = pytest.importorskip("torch")
    import torch.func as tf
    import torch.nn.functional as TF

    x = RNG.standard_normal((4, 3))
    f_tg, f_t = TORCH_FUNCS[name](tg, F), TORCH_FUNCS[name](torch, TF)
    xt, xg = torch.tensor(x), tg.tensor(x)
    close(grad(f_tg)(xg), tf.grad(f_t)(xt).numpy())
    close(grad_and_value(f_tg)(xg)[1], tf.grad_and_value(f_t)(xt)[1].numpy())
    close(hessian(f_tg)(xg), tf.hessian(f_t)(xt).numpy())
    v = RNG.standard_normal((4, 3))
    vec = lambda f: lambda x: f(x) * x  # noqa: E731  a function with a tensor output
    close(jacrev(vec(f_tg))(xg), tf.jacrev(vec(f_t))(xt).numpy())
    close(jacfwd(vec(f_tg))(xg), tf.jacfwd(vec(f_t))(xt).numpy())
    close(jvp(vec(f_tg), (xg,), (tg.tensor(v),))[1], tf.jvp(vec(f_t), (xt,), (torch.tensor(v),))[1])
    close(vjp(vec(f_tg), xg)[1](tg.tensor(v))[0], tf.vjp(vec(f_t), xt)[1](torch.tensor(v))[0])
    row = lambda f: lambda r: f(r.reshape(1, 3).expand(4, 3))  # noqa: E731
    close(vmap(grad(row(f_tg)))(xg), tf.vmap(tf.grad(row(f_t)))(xt).numpy())


def test_per_sample_gradients_against_torch() -> None:
    torch = pytest.importorskip("torch")
    import torch.func as tf

    tg.manual_seed(1)
    model = tg.nn.Sequential(tg.nn.Linear(5, 7), tg.nn.ReLU(), tg.nn.Linear(7, 3)).double()
    tmodel = torch.nn.Sequential(
        torch.nn.Linear(5, 7), torch.nn.ReLU(), torch.nn.Linear(7, 3)
    ).double()
    with torch.no_grad():
        for (_, p), (_, q) in zip(model.named_parameters(), tmodel.named_parameters()):
            q.copy_(torch.tensor(p.data))
    X, Y = RNG.standard_normal((8, 5)), RNG.integers(0, 3, 8)

    def make_loss(call: Any, m: Any, ce: Any) -> Callable[..., Any]:
        def loss(params: Any, x: Any, y: Any) -> Any:
            return ce(call(m, params, (x.unsqueeze(0),)), y.unsqueeze(0))

        return loss

    ours = vmap(grad(make_loss(functional_call, model, F.cross_entropy)), in_dims=(None, 0, 0))(
        {k: v.detach() for k, v in model.named_parameters()}, tg.tensor(X), tg.tensor(Y)
    )
    theirs = tf.vmap(
        tf.grad(make_loss(tf.functional_call, tmodel, torch.nn.functional.cross_entropy)),
        in_dims=(None, 0, 0),
    )({k: v.detach() for k, v in tmodel.named_parameters()}, torch.tensor(X), torch.tensor(Y))
    assert set(ours) == set(theirs)
    for k in ours:
        close(ours[k], theirs[k].numpy())
    # and the Jacobian of the outputs with respect to the parameters (jacrev over a dict)
    params = {k: v.detach() for k, v in model.named_parameters()}
    tparams = {k: v.detach() for k, v in tmodel.named_parameters()}
    j = jacrev(lambda p: functional_call(model, p, (tg.tensor(X[:2]),)))(params)
    jt = tf.jacrev(lambda p: tf.functional_call(tmodel, p, (torch.tensor(X[:2]),)))(tparams)
    for k in j:
        close(j[k], jt[k].numpy())


def _outcome(call: Callable[[], Any]) -> tuple[type[BaseException] | None, str]:
    try:
        call()
    except Exception as e:  # the exception, to compare
        return type(e), str(e)
    return None, ""


# name -> (lib, func module) -> the call; the phrase both messages contain
ERROR_CASES: dict[str, tuple[Callable[[Any, Any], Callable[[], Any]], str]] = {
    "grad of a vector": (lambda L, M: lambda: M.grad(lambda x: x * 2)(L.ones(3)), "scalar Tensor"),
    "grad of a float": (lambda L, M: lambda: M.grad(lambda x: 3.0)(L.ones(3)), "return a Tensor"),
    "grad of an int input": (
        lambda L, M: lambda: M.grad(lambda x: (x * 2).sum())(L.arange(3)),
        "floating point",
    ),
    "grad of a float argument": (
        lambda L, M: lambda: M.grad(lambda x: x)(2.0),
        "Thing passed to transform API must be Tensor",
    ),
    "has_aux without a pair": (
        lambda L, M: lambda: M.grad(lambda x: x.sum(), has_aux=True)(L.ones(3)),
        "(output, aux) if has_aux is True",
    ),
    "argnums out of range": (
        lambda L, M: lambda: M.grad(lambda x: x.sum(), argnums=2)(L.ones(3)),
        "Got argnum=2, but only 1 positional inputs",
    ),
    "argnums repeated": (
        lambda L, M: lambda: M.grad(lambda x: x.sum(), argnums=(0, 0))(L.ones(3)),
        "argnums elements must be unique",
    ),
    "argnums empty": (
        lambda L, M: lambda: M.grad(lambda x: x.sum(), argnums=())(L.ones(3)),
        "argnums must be non-empty",
    ),
    "argnums a list": (
        lambda L, M: lambda: M.grad(lambda x: x.sum(), argnums=[0])(L.ones(3)),
        "argnums must be int or Tuple[int, ...]",
    ),
    "vjp of a bool output": (
        lambda L, M: lambda: M.vjp(lambda x: x > 0, L.ones(3)),
        "All outputs of f must be floating-point or complex Tensors",
    ),
    "vjp of None": (lambda L, M: lambda: M.vjp(lambda x: None, L.ones(3)), "non-empty output"),
    "vjp_fn with a wrong structure": (
        lambda L, M: lambda: M.vjp(lambda x: x.sin(), L.ones(3))[1]((L.ones(3),)),
        "Expected pytree structure of cotangents",
    ),
    "jvp primals not a tuple": (
        lambda L, M: lambda: M.jvp(lambda x: x, L.ones(3), L.ones(3)),
        "Expected primals to be a tuple",
    ),
    "jvp structures differ": (
        lambda L, M: lambda: M.jvp(lambda x: x, (L.ones(3),), [L.ones(3)]),
        "Expected primals and tangents to have the same python structure",
    ),
    "jvp float tangent": (
        lambda L, M: lambda: M.jvp(lambda x: x, (L.ones(3),), (3.0,)),
        "Expected tangents to only contain Tensors",
    ),
    "jvp no primals": (
        lambda L, M: lambda: M.jvp(lambda: L.ones(1), (), ()),
        "Expected primals to contain at least one Tensor",
    ),
    "jvp tangent shape": (
        lambda L, M: lambda: M.jvp(lambda x: x, (L.ones(3),), (L.ones(2),)),
        "different size than that of the original Tensor",
    ),
    "jvp strict": (
        lambda L, M: lambda: M.jvp(lambda x: L.ones(2), (L.ones(3),), (L.ones(3),), strict=True),
        "The output of f is independent of the inputs",
    ),
    "jacrev chunk_size": (
        lambda L, M: lambda: M.jacrev(lambda x: x, chunk_size=0),
        "`chunk_size` should be greater than 0",
    ),
    "jacrev of a float": (
        lambda L, M: lambda: M.jacrev(lambda x: 3.0)(L.ones(3)),
        "expected f(*primals) to return only tensors",
    ),
    "jacfwd randomness": (
        lambda L, M: lambda: M.jacfwd(lambda x: x, randomness="x")(L.ones(3)),
        "Only allowed values for randomness",
    ),
    "jacfwd int input": (
        lambda L, M: lambda: M.jacfwd(lambda x: x * 1.0)(L.arange(3)),
        "Expected primal to be floating point or complex",
    ),
    "vmap mismatched sizes": (
        lambda L, M: lambda: M.vmap(lambda a, b: a + b)(L.zeros(2, 3), L.zeros(3, 3)),
        "got sizes [2, 3] for the mapped dimension",
    ),
    "vmap in_dim out of range": (
        lambda L, M: lambda: M.vmap(lambda a: a, in_dims=2)(L.zeros(2, 3)),
        "so expected in_dim to satisfy -2 <= in_dim < 2.",
    ),
    "vmap in_dims a list": (
        lambda L, M: lambda: M.vmap(lambda a: a, in_dims=[0])(L.zeros(2, 3)),
        "expected `in_dims` to be int or a (potentially nested) tuple",
    ),
    "vmap in_dims structure": (
        lambda L, M: lambda: M.vmap(lambda a: a, in_dims=(0, 0))(L.zeros(2, 3)),
        "in_dims is not compatible with the structure of `inputs`",
    ),
    "vmap nothing mapped": (
        lambda L, M: lambda: M.vmap(lambda a: a, in_dims=(None,))(L.zeros(2, 3)),
        "Expected at least one Tensor to vmap over",
    ),
    "vmap float in_dim": (
        lambda L, M: lambda: M.vmap(lambda a: a, in_dims=(1.0,))(L.zeros(2, 3)),
        "in_dim must be either an integer dimension or None",
    ),
    "vmap over a float": (
        lambda L, M: lambda: M.vmap(lambda a, s: a * s, in_dims=(0, 0))(L.zeros(2, 3), 2.0),
        "We cannot vmap over non-Tensor arguments",
    ),
    "vmap no inputs": (lambda L, M: lambda: M.vmap(lambda: 1)(), "got no inputs"),
    "vmap float output": (
        lambda L, M: lambda: M.vmap(lambda a: 3.0)(L.zeros(2, 3)),
        "must only return Tensors",
    ),
    "vmap batched output with out_dims None": (
        lambda L, M: lambda: M.vmap(lambda a: a, out_dims=None)(L.ones(2, 3).cumsum(0)),
        "can not return a BatchedTensor when out_dim is None",
    ),
    "vmap out_dims out of range": (
        lambda L, M: lambda: M.vmap(lambda a: a, out_dims=3)(L.zeros(2, 3)),
        "Dimension out of range (expected to be in range of [-2, 1], but got 3)",
    ),
    "vmap out_dims structure": (
        lambda L, M: lambda: M.vmap(lambda a: a, out_dims=(0, 1))(L.zeros(2, 3)),
        "out_dims is not compatible with the structure of `outputs`",
    ),
    "vmap float out_dims": (
        lambda L, M: lambda: M.vmap(lambda a: a, out_dims=1.0)(L.zeros(2, 3)),
        "`out_dims` must be an int, None or a python collection of ints",
    ),
    "vmap randomness": (
        lambda L, M: lambda: M.vmap(lambda a: a, randomness="foo"),
        "Only allowed values for randomness are 'error', 'different', or 'same'. Got foo",
    ),
    "vmap chunk_size": (
        lambda L, M: lambda: M.vmap(lambda a: a, chunk_size=0),
        "chunk_size should be None or greater than 0. (got 0)",
    ),
    "vmap random op": (
        lambda L, M: lambda: M.vmap(lambda a: a + L.rand(3))(L.zeros(2, 3)),
        "called random operation while in randomness error mode",
    ),
}


@pytest.mark.parametrize("name", sorted(ERROR_CASES))
def test_errors_as_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    import torch.func as tf

    make, phrase = ERROR_CASES[name]
    ours, theirs = _outcome(make(tg, func)), _outcome(make(torch, tf))
    assert theirs[0] is not None, "torch raises"
    assert ours[0] is theirs[0], (ours, theirs)
    assert phrase in theirs[1] and phrase in ours[1], (ours[1], theirs[1])


def test_compositions_against_torch() -> None:
    """jvp(grad) and vjp(grad) (Hessian-vector products), jacrev³, grad of vmap, vmap of jvp,
    and a Hessian differentiated with respect to a weight the function captures."""
    torch = pytest.importorskip("torch")
    import torch.func as tf

    x, v, W, X = (RNG.standard_normal(s) for s in [(4,), (4,), (4, 4), (3, 4)])

    def make(w: Any) -> Callable[[Any], Any]:
        return lambda x: ((x @ w).tanh() * x).sum()

    ft, fg = make(torch.tensor(W)), make(tg.tensor(W))
    xt, xg, vt, vg = torch.tensor(x), tg.tensor(x), torch.tensor(v), tg.tensor(v)
    close(jvp(grad(fg), (xg,), (vg,))[1], tf.jvp(tf.grad(ft), (xt,), (vt,))[1].numpy())
    close(vjp(grad(fg), xg)[1](vg)[0], tf.vjp(tf.grad(ft), xt)[1](vt)[0].numpy())
    close(jacrev(jacrev(jacrev(fg)))(xg), tf.jacrev(tf.jacrev(tf.jacrev(ft)))(xt).numpy())
    close(
        grad(lambda X: vmap(fg)(X).sum())(tg.tensor(X)),
        tf.grad(lambda X: tf.vmap(ft)(X).sum())(torch.tensor(X)).numpy(),
    )
    close(
        vmap(lambda x: jvp(fg, (x,), (x,))[1])(tg.tensor(X)),
        tf.vmap(lambda x: tf.jvp(ft, (x,), (x,))[1])(torch.tensor(X)).numpy(),
    )
    Wt, Wg = torch.tensor(W, requires_grad=True), tg.tensor(W, requires_grad=True)
    ht, hg = tf.hessian(make(Wt))(xt), hessian(make(Wg))(xg)
    assert ht.requires_grad and hg.requires_grad
    close(tg.autograd.grad(hg.sum(), Wg)[0], torch.autograd.grad(ht.sum(), Wt)[0].numpy())


def test_vmap_is_also_top_level_as_torchs() -> None:
    assert tg.vmap is tg.func.vmap  # torch.vmap is torch.func.vmap
    x = tg.tensor(np.arange(12.0).reshape(3, 4))
    np.testing.assert_array_equal(
        tg.vmap(lambda r: (r * r).sum())(x).numpy(), (x.numpy() ** 2).sum(1)
    )


# ----------------------------------------------------------------------------- module helpers


def mlp_bn(seed: int) -> tg.nn.Module:
    tg.manual_seed(seed)
    return tg.nn.Sequential(
        tg.nn.Linear(3, 4), tg.nn.BatchNorm1d(4), tg.nn.ReLU(), tg.nn.Linear(4, 2)
    ).double()


def test_stack_module_state_stacks_new_leaves() -> None:
    models = [mlp_bn(s) for s in range(3)]
    params, buffers = stack_module_state(models)
    assert list(params) == [k for k, _ in models[0].named_parameters()]
    assert list(buffers) == [k for k, _ in models[0].named_buffers()]
    for name, p in params.items():
        assert (
            p.is_leaf and p.requires_grad and p.shape == (3, *models[0].get_parameter(name).shape)
        )
        for i, m in enumerate(models):
            close(p[i], m.get_parameter(name))
    for name, b in buffers.items():
        assert not b.requires_grad and b.dtype == models[0].get_buffer(name).dtype
        assert b.shape == (3, *models[0].get_buffer(name).shape)
    # unrelated to the models' own: a gradient reaches the stack, not them
    params["0.weight"].sum().backward()
    assert all(m[0].weight.grad is None for m in models)  # type: ignore[index]
    # the ensemble as one function: vmap over functional_call is the loop over the models
    x, xs = t64(5, 3), t64(3, 5, 3)

    def fmodel(p: Any, b: Any, x: Any) -> Any:
        return functional_call(models[0], (p, b), (x,))

    for m in models:
        m.eval()
    together = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, x)
    close(together, tg.stack([m(x) for m in models]))
    close(vmap(fmodel)(params, buffers, xs), tg.stack([m(xi) for m, xi in zip(models, xs)]))
    # parameters that do not require grad are stacked as plain tensors
    frozen = [tg.nn.Linear(2, 2).requires_grad_(False) for _ in range(2)]
    assert not any(p.requires_grad for p in stack_module_state(frozen)[0].values())
    assert list(stack_module_state(tg.nn.ModuleList(frozen))[0]) == ["weight", "bias"]


def test_stack_module_state_refusals() -> None:
    with pytest.raises(RuntimeError, match="Expected at least one model, got 0"):
        stack_module_state([])
    with pytest.raises(RuntimeError, match="same training/eval mode"):
        stack_module_state([tg.nn.Linear(2, 2), tg.nn.Linear(2, 2).eval()])
    with pytest.raises(RuntimeError, match="same class"):
        stack_module_state([tg.nn.Linear(2, 2), tg.nn.Bilinear(2, 2, 2)])
    with pytest.raises(RuntimeError, match=r"weight.*same shape.*\(2, 2\).*\(2, 3\)"):
        stack_module_state([tg.nn.Linear(2, 2), tg.nn.Linear(3, 2)])
    half = tg.nn.Linear(2, 2)
    half.bias.requires_grad_(False)
    with pytest.raises(RuntimeError, match="Expected bias from each model to have the same"):
        stack_module_state([tg.nn.Linear(2, 2), half])
    with pytest.raises(KeyError, match="model 1 has no parameter 'bias'"):
        stack_module_state([tg.nn.Linear(2, 2), tg.nn.Linear(2, 2, bias=False)])


def test_replace_all_batch_norm_modules_() -> None:
    model = tg.nn.Sequential(mlp_bn(0), tg.nn.BatchNorm1d(2).double())
    x = t64(6, 3)
    assert replace_all_batch_norm_modules_(model) is model
    for bn in (model[0][1], model[1]):  # type: ignore[index]
        assert not bn.track_running_stats
        assert bn.running_mean is None and bn.running_var is None
        assert bn.num_batches_tracked is None
    assert not any("running" in k or "batches" in k for k in model.state_dict())
    model.eval()  # batch statistics in evaluation too: the last layer standardizes its input
    h = model[0](x).data  # type: ignore[index]
    close(model(x), (h - h.mean(0)) / np.sqrt(h.var(0) + 1e-5))
    bare = tg.nn.BatchNorm2d(3)
    assert replace_all_batch_norm_modules_(bare) is bare and bare.running_mean is None


def test_module_helpers_against_torch() -> None:
    torch = pytest.importorskip("torch")
    import torch.func as tf

    def build(nn: Any) -> Any:
        return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2)).double()

    ours, theirs = [build(tg.nn) for _ in range(3)], [build(torch.nn) for _ in range(3)]
    for m, tm in zip(ours, theirs):
        with torch.no_grad():
            for (_, p), (_, q) in zip(m.named_parameters(), tm.named_parameters()):
                q.copy_(torch.tensor(p.data))
    (p, b), (tp, tb) = stack_module_state(ours), tf.stack_module_state(theirs)
    for mine, other in ((p, tp), (b, tb)):
        assert list(mine) == list(other)
        for k in mine:
            assert mine[k].requires_grad == other[k].requires_grad
            assert mine[k].is_leaf == other[k].is_leaf
            close(mine[k], other[k].detach().numpy())
    x = RNG.standard_normal((5, 3))

    def run(call: Any, model: Any) -> Any:
        return lambda p, b, x: call(model, (p, b), (x,))

    out = vmap(run(functional_call, ours[0]), in_dims=(0, 0, None))(p, b, tg.tensor(x))
    tout = tf.vmap(run(tf.functional_call, theirs[0]), in_dims=(0, 0, None))(
        tp, tb, torch.tensor(x)
    )
    close(out, tout.detach().numpy())
    # batch norm without running statistics, in evaluation mode
    for m, tm in zip(ours, theirs):
        replace_all_batch_norm_modules_(m).eval()
        tf.replace_all_batch_norm_modules_(tm).eval()
        assert list(m.state_dict()) == list(tm.state_dict())
        close(m(tg.tensor(x)), tm(torch.tensor(x)).detach().numpy())
    # the refusals
    for models, tmodels in (
        ([], []),
        (
            [tg.nn.Linear(2, 2), tg.nn.Linear(2, 2).eval()],
            [torch.nn.Linear(2, 2), torch.nn.Linear(2, 2).eval()],
        ),
        ([tg.nn.Linear(2, 2), tg.nn.ReLU()], [torch.nn.Linear(2, 2), torch.nn.ReLU()]),
    ):
        mine, other = (
            _outcome(functools.partial(stack_module_state, models)),
            _outcome(functools.partial(tf.stack_module_state, tmodels)),
        )
        assert mine == other


def test_functional_call_forms_as_torch() -> None:
    """A tuple or list of dicts, kwargs, strict= and tie_weights=: outcomes as torch.func's."""
    torch = pytest.importorskip("torch")
    import torch.func as tf

    def build(nn: Any) -> Any:
        class Tied(nn.Module):  # type: ignore[misc, name-defined]
            def __init__(self) -> None:
                super().__init__()
                self.a, self.b = nn.Linear(2, 2).double(), nn.Linear(2, 2).double()
                self.b.weight = self.a.weight
                self.register_buffer("buf", torch_or_tg(nn).ones(2, dtype=torch_or_tg(nn).float64))

            def forward(self, x: Any, scale: float = 1.0) -> Any:
                return (self.b(self.a(x)) + self.buf) * scale

        return Tied()

    def torch_or_tg(nn: Any) -> Any:
        return torch if nn is torch.nn else tg

    m, tm = build(tg.nn), build(torch.nn)
    with torch.no_grad():
        for (_, p), (_, q) in zip(m.named_parameters(), tm.named_parameters()):
            q.copy_(torch.tensor(p.data))
    x = RNG.standard_normal((1, 2))
    w, w2 = RNG.standard_normal((2, 2)), RNG.standard_normal((2, 2))

    def cases(T: Any, call: Any, model: Any) -> list[Any]:
        z, z2, v = T.tensor(w), T.tensor(w2), T.tensor(x)
        zb = T.zeros(2, dtype=T.float64)
        return [
            lambda: call(model, ({"a.weight": z}, {"buf": zb}), v),
            lambda: call(model, [{"a.weight": z}, {"buf": zb}], (v,), {"scale": 2.0}),
            lambda: call(model, ({"a.weight": z}, 3), v),
            lambda: call(model, ({"a.weight": z}, {"a.weight": z}), v),
            lambda: call(model, {"a.weight": z, "b.weight": z2}, v),
            lambda: call(model, {"a.weight": z, "b.weight": z}, v),
            lambda: call(model, {"a.weight": z, "b.weight": z2}, v, tie_weights=False),
            lambda: call(model, {"a.weight": z, "zzz": z}, v, strict=True),
            lambda: call(
                model, {"a.weight": z, "a.bias": zb, "b.bias": zb, "buf": zb}, v, strict=True
            ),
            lambda: call(
                model,
                {"a.weight": z, "a.bias": zb, "b.bias": zb, "buf": zb},
                v,
                strict=True,
                tie_weights=False,
            ),
            lambda: call(model, {}, None, {"x": v}),
        ]

    for mine, other in zip(cases(tg, functional_call, m), cases(torch, tf.functional_call, tm)):
        kind, _ = _outcome(mine)
        tkind, _ = _outcome(other)
        assert kind == tkind
        if kind is None:
            close(mine(), other().detach().numpy())
    close(m.a.weight, tm.a.weight.detach().numpy())  # restored

"""tg.linalg's second pass: the spectral matrix norms (2, −2, 'nuc'), qr's backward by a
triangular solve, Householder reflectors (geqrf, householder_product/orgqr, ormqr), tensorinv
and tensorsolve, and nn.utils.parametrizations.orthogonal built on them.

Values and gradients against torch in float64 (skipped without torch), gradcheck and
gradgradcheck of the composed functions, and torch's errors for bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.numgrad import gradcheck, gradgradcheck


def _rand(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape)


def _against_torch(fn: Callable[..., Any], *arrays: np.ndarray, atol: float = 1e-9) -> None:
    """fn(lib, *tensors) → a tensor: its value, and the gradients of the sum of its squares
    weighted by a fixed pattern, match torch's."""
    torch = pytest.importorskip("torch")
    ours = [tg.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, expected = fn(tg, *ours), fn(torch, *theirs)
    assert tuple(out.shape) == tuple(expected.shape)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-9, atol=atol)
    weights = np.arange(1.0, 1.0 + out.data.size).reshape(out.shape)
    (out * out * tg.tensor(weights)).sum().backward()
    (expected * expected * torch.tensor(weights)).sum().backward()
    for a, b in zip(ours, theirs):
        assert a.grad is not None and b.grad is not None
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-7, atol=atol)


# ---- matrix_norm with ord 2, −2, 'nuc' -----------------------------------------------------


@pytest.mark.parametrize("ord", [2, -2, "nuc"])
@pytest.mark.parametrize(
    ("shape", "dim", "keepdim"),
    [
        ((3, 4), (-2, -1), False),
        ((4, 3), (-2, -1), True),
        ((2, 3, 4), (-2, -1), False),
        ((2, 3, 4), (0, 2), True),
        ((2, 3, 4), (2, 0), False),
        ((3, 2, 2, 3), (1, -1), True),
    ],
)
def test_spectral_matrix_norms_match_torch(
    ord: Any, shape: tuple[int, ...], dim: tuple[int, int], keepdim: bool
) -> None:
    _against_torch(lambda lib, a: lib.linalg.matrix_norm(a, ord, dim, keepdim), _rand(*shape))


@pytest.mark.parametrize("ord", [2, -2, "nuc"])
def test_norm_dispatches_to_the_spectral_norms_as_torch(ord: Any) -> None:
    a = _rand(3, 4, seed=1)
    _against_torch(lambda lib, x: lib.linalg.norm(x, ord), a)
    _against_torch(lambda lib, x: lib.linalg.norm(x, ord, (2, 0), True), _rand(3, 2, 4))
    if ord == "nuc":  # torch.norm takes numbers as vector norms, 'nuc' as the matrix norm
        _against_torch(lambda lib, x: lib.norm(x, "nuc"), a)
        _against_torch(lambda lib, x: lib.norm(x, "nuc", (0, 2), True), _rand(3, 2, 4))
        _against_torch(lambda lib, x: x.norm("nuc", dim=(1, 2)), _rand(3, 2, 4))


def test_spectral_norms_at_repeated_singular_values_match_torch() -> None:
    """The identity and a rotation have all singular values equal: svdvals' gradient is
    defined there, and amax/amin share it among the ties as torch's."""
    rotation = np.array([[0.6, -0.8], [0.8, 0.6]])
    for a in (np.eye(3), rotation, np.zeros((2, 3))):
        for ord in (2, -2, "nuc"):
            if ord != "nuc" and not a.any():
                continue  # σ = 0 is a kink of the norm, where torch's svdvals rule is 0/0
            _against_torch(lambda lib, x, o=ord: lib.linalg.matrix_norm(x, o), a)


def test_spectral_norms_gradcheck() -> None:
    a = tg.tensor(_rand(2, 3, 4, seed=2), requires_grad=True)
    for ord in (2, -2, "nuc"):
        assert gradcheck(lambda x, o=ord: tg.linalg.matrix_norm(x, o, (0, 2)), (a,))
        assert gradgradcheck(lambda x, o=ord: tg.linalg.matrix_norm(x, o), (a,))


def test_spectral_norms_of_empty_matrices_and_bad_orders() -> None:
    empty = tg.zeros(3, 0, dtype=tg.float64)
    assert tg.linalg.matrix_norm(empty, 2).item() == 0.0
    assert tg.linalg.matrix_norm(empty, "nuc").item() == 0.0
    with pytest.raises(IndexError, match=r"matrix_norm: ord=-2 of empty matrices \(shape \(3, 0"):
        tg.linalg.matrix_norm(empty, -2)
    a = tg.tensor(_rand(3, 3))
    with pytest.raises(RuntimeError, match="matrix_norm: Order 3 not supported"):
        tg.linalg.matrix_norm(a, 3)
    with pytest.raises(RuntimeError, match="matrix_norm: Order abc not supported"):
        tg.linalg.matrix_norm(a, "abc")
    with pytest.raises(TypeError, match="matrix_norm: ord must be a number"):
        tg.linalg.matrix_norm(a, None)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match=r"matrix_norm: dim must be a 2-tuple\. Got 1"):
        tg.norm(tg.tensor(_rand(2, 3, 4)), "nuc", dim=1)
    with pytest.raises(RuntimeError, match=r"matrix_norm: dim must be a 2-tuple. Got \(0, 1, 2"):
        tg.norm(tg.tensor(_rand(2, 3, 4)), "nuc")


# ---- qr's backward: a triangular solve ------------------------------------------------------


@pytest.mark.parametrize("shape", [(5, 3), (3, 3), (3, 5), (2, 4, 3)])
def test_qr_gradient_matches_torch(shape: tuple[int, ...]) -> None:
    # Q diag(sign R) and diag(sign R) R do not depend on LAPACK's signs
    def loss(lib: Any, a: Any) -> Any:
        q, r = lib.linalg.qr(a)
        signs = r.diagonal(0, -2, -1).sign()
        return (q * signs.unsqueeze(-2)).sin().sum() + (r * signs.unsqueeze(-1)).cos().sum()

    _against_torch(loss, _rand(*shape, seed=3))


def test_qr_gradient_of_an_ill_conditioned_matrix_is_accurate() -> None:
    """At condition number 1e10 the gradient (a triangular solve, as torch's) agrees with
    torch's to 1e-6 relative (7e-7 at worst over 20 seeds)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    u, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    v, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    a = u[:, :4] @ np.diag(np.logspace(0, -10, 4)) @ v.T
    weights = rng.standard_normal((6, 4))
    x, y = tg.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    for lib, t in ((tg, x), (torch, y)):
        q, r = lib.linalg.qr(t)
        (q * r.diagonal().sign() * lib.tensor(weights)).sum().backward()
    assert x.grad is not None and y.grad is not None
    scale = np.abs(y.grad.numpy()).max()
    assert np.abs(x.grad.data - y.grad.numpy()).max() <= 1e-6 * scale


def test_qr_backward_refuses_a_zero_on_rs_diagonal() -> None:
    x = tg.tensor([[1.0, 1.0], [0.0, 0.0], [0.0, 0.0]], requires_grad=True)
    q, r = tg.linalg.qr(x)
    with pytest.raises(RuntimeError, match=r"linalg.qr: the derivative needs R's diagonal"):
        (q.sum() + r.sum()).backward()


# ---- tensorinv and tensorsolve --------------------------------------------------------------


@pytest.mark.parametrize(("shape", "ind"), [((2, 3, 6), 2), ((6, 2, 3), 1), ((2, 2, 4), 2)])
def test_tensorinv_matches_torch(shape: tuple[int, ...], ind: int) -> None:
    _against_torch(lambda lib, a: lib.linalg.tensorinv(a, ind), _rand(*shape, seed=5))


@pytest.mark.parametrize(
    ("a_shape", "b_shape", "dims"),
    [((6, 2, 3), (6,), None), ((2, 3, 6), (2, 3), None), ((2, 6, 3), (2, 3), (1,)),
     ((2, 3, 6), (3, 2), None), ((2, 3, 2, 3), (2, 3), (0, -1))],
)  # fmt: skip
def test_tensorsolve_matches_torch(
    a_shape: tuple[int, ...], b_shape: tuple[int, ...], dims: tuple[int, ...] | None
) -> None:
    _against_torch(
        lambda lib, a, b: lib.linalg.tensorsolve(a, b, dims), _rand(*a_shape), _rand(*b_shape)
    )


def test_tensorinv_and_tensorsolve_gradcheck_and_invert() -> None:
    a = tg.tensor(_rand(2, 3, 6, seed=6), requires_grad=True)
    b = tg.tensor(_rand(2, 3, seed=7), requires_grad=True)
    assert gradgradcheck(lambda x: tg.linalg.tensorinv(x), (a,))
    assert gradcheck(lambda x, y: tg.linalg.tensorsolve(x, y), (a, b))
    inverse = tg.linalg.tensorinv(a).data
    np.testing.assert_allclose(
        np.tensordot(a.data, inverse, 1), np.eye(6).reshape(2, 3, 2, 3), atol=1e-12
    )
    x = tg.linalg.tensorsolve(a, b).data
    np.testing.assert_allclose(np.tensordot(a.data, x, 1), b.data, atol=1e-12)


def test_tensorinv_and_tensorsolve_bad_input() -> None:
    a = tg.tensor(_rand(2, 3, 6))
    with pytest.raises(RuntimeError, match="tensorinv: Expected a strictly positive integer"):
        tg.linalg.tensorinv(a, 0)
    with pytest.raises(TypeError, match="tensorinv: argument 'ind' must be int, not float"):
        tg.linalg.tensorinv(a, 2.0)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match=r"but got 18 != 2 \(shape \(2, 3, 6\), ind=1\)"):
        tg.linalg.tensorinv(a, 1)
    with pytest.raises(tg.linalg.LinAlgError, match=r"linalg\.inv: .*singular"):
        tg.linalg.tensorinv(tg.zeros(2, 2, 2, 2, dtype=tg.float64))
    with pytest.raises(RuntimeError, match=r"tensorsolve: .*but got 6 != 5"):
        tg.linalg.tensorsolve(tg.tensor(_rand(5, 2, 3)), tg.tensor(_rand(5)))
    with pytest.raises(IndexError, match="tensorsolve"):
        tg.linalg.tensorsolve(tg.tensor(_rand(6, 2, 3)), tg.tensor(_rand(6)), dims=(5,))
    with pytest.raises(RuntimeError, match="tensorsolve: repeated dim"):
        tg.linalg.tensorsolve(a, tg.tensor(_rand(2, 3)), dims=(0, 0))
    with pytest.raises(tg.linalg.LinAlgError, match=r"tensorsolve: .*singular"):
        tg.linalg.tensorsolve(tg.zeros(2, 3, 6, dtype=tg.float64), tg.tensor(_rand(2, 3)))


# ---- Householder reflectors: geqrf, householder_product (orgqr), ormqr ---------------------


def _reflectors(*shape: int, seed: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """geqrf's packed reflectors of a random matrix: (a, tau) as LAPACK gives them."""
    a, tau = tg.geqrf(tg.tensor(_rand(*shape, seed=seed)))
    return a.data, tau.data


@pytest.mark.parametrize("shape", [(5, 3), (3, 3), (3, 5), (2, 4, 3), (0, 2)])
def test_geqrf_matches_torch_and_packs_qr(shape: tuple[int, ...]) -> None:
    a = _rand(*shape, seed=9)
    ours = tg.geqrf(tg.tensor(a))
    k = min(shape[-2:])
    assert ours.a.shape == shape and ours.tau.shape == (*shape[:-2], k)
    if k:  # Q R = A, Q from the reflectors and R from a's upper triangle
        q = tg.linalg.householder_product(ours.a[..., :, :k], ours.tau).data
        np.testing.assert_allclose(q @ np.triu(ours.a.data)[..., :k, :], a, atol=1e-12)
    torch = pytest.importorskip("torch")
    theirs = torch.geqrf(torch.tensor(a))
    np.testing.assert_allclose(ours.a.data, theirs.a.numpy(), atol=1e-12)
    np.testing.assert_allclose(ours.tau.data, theirs.tau.numpy(), atol=1e-12)


def test_geqrf_has_no_derivative_as_torch() -> None:
    x = tg.tensor(_rand(4, 3), requires_grad=True)
    a, tau = x.geqrf()
    assert a.requires_grad and tau.requires_grad
    with pytest.raises(NotImplementedError, match="the derivative for 'geqrf' is not implemented"):
        (a.sum() + tau.sum()).backward()


@pytest.mark.parametrize(("shape", "k"), [((5, 3), 3), ((4, 4), 4), ((5, 3), 2), ((2, 4, 2), 2)])
def test_householder_product_matches_torch(shape: tuple[int, ...], k: int) -> None:
    a, tau = _reflectors(*shape)
    tau = tau[..., :k]
    _against_torch(lambda lib, x, t: lib.linalg.householder_product(x, t), a, tau)
    _against_torch(lambda lib, x, t: lib.orgqr(x, t), a, tau)
    _against_torch(lambda lib, x, t: x.orgqr(t), a, tau)


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("transpose", [False, True])
@pytest.mark.parametrize(("shape", "other"), [((5, 3), 2), ((3, 4), 2), ((2, 4, 4), 3)])
def test_ormqr_matches_torch(
    left: bool, transpose: bool, shape: tuple[int, ...], other: int
) -> None:
    a, tau = _reflectors(*shape)
    m = shape[-2]
    c = _rand(*shape[:-2], *((m, other) if left else (other, m)), seed=10)
    _against_torch(lambda lib, x, t, y: lib.ormqr(x, t, y, left, transpose), a, tau, c)
    _against_torch(lambda lib, x, t, y: x.ormqr(t, y, left=left, transpose=transpose), a, tau, c)


def test_householder_products_gradcheck() -> None:
    a, tau = _reflectors(4, 3)
    x, t = tg.tensor(a, requires_grad=True), tg.tensor(tau, requires_grad=True)
    c = tg.tensor(_rand(4, 2, seed=11), requires_grad=True)
    assert gradgradcheck(tg.linalg.householder_product, (x, t))
    assert gradcheck(lambda x, t, c: tg.ormqr(x, t, c, transpose=True), (x, t, c))
    q = tg.linalg.householder_product(x, t).data  # orthonormal columns
    np.testing.assert_allclose(q.T @ q, np.eye(3), atol=1e-12)


@pytest.mark.parametrize(
    ("a_grad", "tau_grad", "c_grad"), [(1, 0, 0), (0, 1, 0), (0, 0, 1), (0, 0, 0)]
)
def test_no_reflectors_stay_on_the_graph(a_grad: bool, tau_grad: bool, c_grad: bool) -> None:
    """An empty tau: Q = I (ormqr: C), requiring grad when any argument does, as torch's,
    with no gradient (None; zeros if materialized) to the reflectors and τ, C̄ = g."""
    a = tg.tensor(_rand(2, 4, 3), requires_grad=bool(a_grad))
    tau = tg.zeros(2, 0, dtype=tg.float64, requires_grad=bool(tau_grad))
    c = tg.tensor(_rand(2, 4, 2, seed=1), requires_grad=bool(c_grad))
    for q in (tg.linalg.householder_product(a, tau), tg.orgqr(a, tau)):
        np.testing.assert_array_equal(q.data, np.broadcast_to(np.eye(4, 3), (2, 4, 3)))
        assert q.requires_grad == bool(a_grad or tau_grad)
    r = tg.ormqr(a[..., :0], tau, c)
    np.testing.assert_array_equal(r.data, c.data)
    assert r.requires_grad == bool(a_grad or tau_grad or c_grad) and r is not c
    inputs = [t for t in (a, tau) if t.requires_grad]
    if inputs:
        q = tg.linalg.householder_product(a, tau)
        assert tg.autograd.grad(q.sum(), inputs, allow_unused=True) == (None,)
        q = tg.linalg.householder_product(a, tau)
        (zero,) = tg.autograd.grad(q.sum(), inputs, allow_unused=True, materialize_grads=True)
        np.testing.assert_array_equal(zero.data, np.zeros(inputs[0].shape))
    if c_grad:
        assert gradcheck(lambda c: tg.ormqr(a.detach()[..., :0], tau.detach(), c), (c,))
    torch = pytest.importorskip("torch")
    ta = torch.tensor(a.data, requires_grad=bool(a_grad))
    ttau = torch.zeros(2, 0, dtype=torch.float64, requires_grad=bool(tau_grad))
    tc = torch.tensor(c.data, requires_grad=bool(c_grad))
    assert torch.linalg.householder_product(ta, ttau).requires_grad == q.requires_grad
    assert torch.orgqr(ta, ttau).requires_grad == q.requires_grad
    assert torch.ormqr(ta[..., :0], ttau, tc).requires_grad == r.requires_grad


def test_householder_bad_input() -> None:
    a, tau = (tg.tensor(v) for v in _reflectors(5, 3))
    hp = tg.linalg.householder_product
    with pytest.raises(RuntimeError, match="householder_product: input must have at least 2"):
        hp(tau, tau)
    with pytest.raises(RuntimeError, match=r"input.shape\[-2\] must be greater than or equal"):
        hp(a.mT, tau)
    with pytest.raises(RuntimeError, match=r"shape\[-1\] must be greater than or equal to tau"):
        hp(a, tg.zeros(4, dtype=tg.float64))
    with pytest.raises(RuntimeError, match="Expected batch dimensions of tau"):
        hp(a, tau.expand(2, 3))
    with pytest.raises(RuntimeError, match="tau dtype float32 does not match input dtype float64"):
        hp(a, tau.float())
    with pytest.raises(NotImplementedError, match='"orgqr_cpu" not implemented for int64'):
        hp(a.long(), tau.long())
    with pytest.raises(TypeError, match="householder_product"):
        hp(a.data, tau)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="geqrf: input must have at least 2 dimensions"):
        tg.geqrf(tau)
    with pytest.raises(NotImplementedError, match='"geqrf_cpu" not implemented for int64'):
        tg.geqrf(a.long())
    c = tg.tensor(_rand(5, 2))
    with pytest.raises(RuntimeError, match=r"ormqr: other.shape\[-2\] must be equal to input"):
        tg.ormqr(a, tau, c.mT)
    with pytest.raises(RuntimeError, match=r"ormqr: other.shape\[-1\] must be equal to input"):
        tg.ormqr(a, tau, c, left=False)
    with pytest.raises(RuntimeError, match=r"ormqr: tau.shape\[-1\] must be equal to min"):
        tg.ormqr(a, tau[:2], c)
    with pytest.raises(RuntimeError, match="ormqr: Expected tau to have one dimension less"):
        tg.ormqr(a, tau.unsqueeze(0), c)
    with pytest.raises(RuntimeError, match="ormqr: Expected other to have the same number"):
        tg.ormqr(a, tau, c.unsqueeze(0))
    with pytest.raises(RuntimeError, match="ormqr: other must have at least 2 dimensions"):
        tg.ormqr(a, tau, tau)
    with pytest.raises(RuntimeError, match="ormqr_cpu: Expected input and other to have the same"):
        tg.ormqr(a, tau, c.float())


# ---- nn.utils.parametrizations.orthogonal --------------------------------------------------

MAPS = [None, "matrix_exp", "cayley", "householder"]


def _orthogonality(w: np.ndarray) -> float:
    q = w if w.shape[-2] >= w.shape[-1] else np.swapaxes(w, -1, -2)
    return float(np.abs(np.swapaxes(q, -1, -2) @ q - np.eye(q.shape[-1])).max())


@pytest.mark.parametrize("orthogonal_map", MAPS)
@pytest.mark.parametrize("use_trivialization", [True, False])
@pytest.mark.parametrize("shape", [(4, 4), (5, 3), (3, 5), (2, 4, 3)])
def test_orthogonal_matches_torch(
    orthogonal_map: str | None, use_trivialization: bool, shape: tuple[int, ...]
) -> None:
    """torch's state dict loaded in gives torch's weight, orthogonal to 1e-15; four SGD steps
    on a cubic loss then stay on torch's trajectory (to 1e-12)."""
    torch = pytest.importorskip("torch")
    orthogonal, t_orthogonal = (
        tg.nn.utils.parametrizations.orthogonal,
        torch.nn.utils.parametrizations.orthogonal,
    )
    a = _rand(*shape, seed=12)
    theirs = torch.nn.Linear(shape[-1], shape[-2], bias=False).double()
    theirs.weight = torch.nn.Parameter(torch.tensor(a))
    ours = tg.nn.Linear(shape[-1], shape[-2], bias=False, dtype=tg.float64)
    ours.weight = tg.nn.Parameter(tg.tensor(a))
    t_orthogonal(theirs, orthogonal_map=orthogonal_map, use_trivialization=use_trivialization)
    orthogonal(ours, orthogonal_map=orthogonal_map, use_trivialization=use_trivialization)
    assert _orthogonality(ours.weight.data) < 1e-14
    state = theirs.state_dict()
    assert set(ours.state_dict()) == set(state)
    if shape[-2] == shape[-1] or not use_trivialization:  # no random completion: deterministic
        np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), atol=1e-13)
    ours.load_state_dict({k: tg.tensor(v.numpy()) for k, v in state.items()})
    np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), atol=1e-14)
    sgd, t_sgd = tg.optim.SGD(ours.parameters(), lr=0.1), torch.optim.SGD(theirs.parameters(), 0.1)
    for _ in range(4):
        sgd.zero_grad()
        t_sgd.zero_grad()
        (ours.weight**3).sum().backward()
        (theirs.weight**3).sum().backward()
        sgd.step()
        t_sgd.step()
    np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), atol=1e-12)
    assert _orthogonality(ours.weight.data) < 1e-13


@pytest.mark.parametrize("orthogonal_map", ["matrix_exp", "cayley", "householder"])
def test_orthogonal_assignment_keeps_an_orthogonal_value(orthogonal_map: str) -> None:
    layer = tg.nn.utils.parametrizations.orthogonal(
        tg.nn.Linear(3, 5, bias=False, dtype=tg.float64), orthogonal_map=orthogonal_map
    )
    q = np.linalg.qr(_rand(5, 3, seed=13))[0]
    layer.weight = tg.tensor(q)
    np.testing.assert_allclose(layer.weight.data, q, atol=1e-13)
    base = layer.parametrizations.weight[0].base
    assert base.shape == (5, 5) and _orthogonality(base.data) < 1e-14
    # the gradient reaching the original through the map is a gradient; the diagonal is held
    # (householder reads its signs, truncated to integers: −1 ± eps jumps, as in torch)
    x = tg.tensor(_rand(2, 3))
    original = layer.parametrizations.weight.original.detach()
    off = tg.tensor(1.0 - np.eye(5, 3))
    start = tg.tensor(
        original.data + _rand(5, 3, seed=14) * (1.0 - np.eye(5, 3)), requires_grad=True
    )

    def weight(w: tg.Tensor) -> tg.Tensor:
        return layer.parametrizations.weight[0](w * off + original * (1 - off)) @ x.mT

    assert gradcheck(weight, (start,))


def test_orthogonal_bad_input() -> None:
    orthogonal = tg.nn.utils.parametrizations.orthogonal
    with pytest.raises(ValueError, match="has no parameter or buffer with name 'bias'"):
        orthogonal(tg.nn.Linear(3, 3, bias=False), "bias")
    with pytest.raises(ValueError, match=r"Expected a matrix or batch of matrices\. Got a tensor"):
        orthogonal(tg.nn.Linear(3, 3), "bias")
    with pytest.raises(ValueError, match='orthogonal_map has to be one of "matrix_exp"'):
        orthogonal(tg.nn.Linear(3, 3), orthogonal_map="qr")
    layer = orthogonal(tg.nn.Linear(3, 3, dtype=tg.float64), use_trivialization=False)
    with pytest.raises(NotImplementedError, match="not possible to assign to the matrix exp"):
        layer.weight = tg.eye(3, dtype=tg.float64)
    layer = orthogonal(tg.nn.Linear(3, 4, dtype=tg.float64))
    with pytest.raises(ValueError, match=r"shape \(4, 3\). Got a tensor of shape \(3, 4\)"):
        layer.weight = tg.zeros(3, 4, dtype=tg.float64)

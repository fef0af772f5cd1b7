"""tg.linalg's solve family: values and gradients against torch (skipped without it), gradcheck
and gradgradcheck of the compositions in float64, properties that need no torch, bad input.

The primitives themselves (solve, cholesky, slogdet, lu_factor) are gradchecked and
gradgradchecked from their registry facts in tests/test_ops.py.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
from tinygrad_ed import _linalg_solve
from tinygrad_ed import linalg as LA
from tinygrad_ed.numgrad import gradcheck, gradgradcheck


def _well(rng: np.random.Generator, *shape: int) -> np.ndarray:
    """Well-conditioned square matrices: random, plus n on the diagonal."""
    n = shape[-1]
    return rng.standard_normal(shape) + n * np.eye(n)


def _spd(rng: np.random.Generator, *shape: int) -> np.ndarray:
    a = rng.standard_normal(shape)
    return a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])


def _lower(rng: np.random.Generator, *shape: int) -> np.ndarray:
    """Cholesky factors: lower triangular with a positive diagonal."""
    return np.linalg.cholesky(_spd(rng, *shape))


# Each case: name, tg function, torch function (same positional tensors), input arrays. Outputs
# may be tensors or tuples of tensors; integer outputs (pivots, info) are compared exactly.
Case = tuple[str, Callable[..., Any], Callable[..., Any], Callable[[np.random.Generator], list]]


def _cases() -> list[Case]:
    t = pytest.importorskip("torch")
    tl = t.linalg
    cases: list[Case] = [
        ("solve", LA.solve, tl.solve, lambda r: [_well(r, 2, 3, 3), r.standard_normal((2, 3, 2))]),
        ("solve_vec", LA.solve, tl.solve, lambda r: [_well(r, 2, 3, 3), r.standard_normal((2, 3))]),
        ("solve_1d", LA.solve, tl.solve, lambda r: [_well(r, 2, 3, 3), r.standard_normal(3)]),
        (
            "solve_bcast",
            LA.solve,
            tl.solve,
            lambda r: [_well(r, 3, 3), r.standard_normal((2, 3, 4))],
        ),
        (
            "solve_right",
            lambda a, b: LA.solve(a, b, left=False),
            lambda a, b: tl.solve(a, b, left=False),
            lambda r: [_well(r, 4, 4), r.standard_normal((2, 3, 4))],
        ),
        (
            "solve_ex",
            lambda a, b: LA.solve_ex(a, b),
            lambda a, b: tl.solve_ex(a, b),
            lambda r: [_well(r, 2, 3, 3), r.standard_normal((2, 3, 2))],
        ),
    ]
    for upper in (True, False):
        for left in (True, False):
            for unit in (True, False):
                kw = {"upper": upper, "left": left, "unitriangular": unit}
                cases.append(
                    (
                        f"solve_triangular_{upper}_{left}_{unit}",
                        lambda a, b, kw=kw: LA.solve_triangular(a, b, **kw),
                        lambda a, b, kw=kw: tl.solve_triangular(a, b, **kw),
                        lambda r: [_well(r, 2, 3, 3), r.standard_normal((2, 3, 3))],
                    )
                )
    cases += [
        (
            "triangular_solve",
            lambda b, a: tg.triangular_solve(b, a, upper=False, transpose=True),
            lambda b, a: t.triangular_solve(b, a, upper=False, transpose=True),
            lambda r: [r.standard_normal((2, 3, 2)), _well(r, 3, 3)],
        ),
        ("cholesky", LA.cholesky, tl.cholesky, lambda r: [_spd(r, 2, 4, 4)]),
        (
            "cholesky_upper",
            lambda a: LA.cholesky(a, upper=True),
            lambda a: tl.cholesky(a, upper=True),
            lambda r: [_spd(r, 3, 3)],
        ),
        ("cholesky_ex", LA.cholesky_ex, tl.cholesky_ex, lambda r: [_spd(r, 2, 3, 3)]),
        (
            "cholesky_solve",
            tg.cholesky_solve,
            t.cholesky_solve,
            lambda r: [r.standard_normal((2, 3, 2)), _lower(r, 3, 3)],
        ),
        (
            "cholesky_solve_upper",
            lambda b, u: tg.cholesky_solve(b, u, upper=True),
            lambda b, u: t.cholesky_solve(b, u, upper=True),
            lambda r: [r.standard_normal((3, 2)), np.swapaxes(_lower(r, 2, 3, 3), -1, -2)],
        ),
        ("cholesky_inverse", tg.cholesky_inverse, t.cholesky_inverse, lambda r: [_lower(r, 4, 4)]),
        (
            "cholesky_inverse_upper",
            lambda u: tg.cholesky_inverse(u, upper=True),
            lambda u: t.cholesky_inverse(u, upper=True),
            lambda r: [_lower(r, 3, 3).T],
        ),
        ("slogdet", LA.slogdet, tl.slogdet, lambda r: [r.standard_normal((3, 3, 3))]),
        ("logdet", tg.logdet, t.logdet, lambda r: [_spd(r, 2, 3, 3)]),
        ("inv_ex", LA.inv_ex, tl.inv_ex, lambda r: [_well(r, 2, 3, 3)]),
        ("lu_factor", LA.lu_factor, tl.lu_factor, lambda r: [r.standard_normal((2, 4, 4))]),
        ("lu_factor_ex", LA.lu_factor_ex, tl.lu_factor_ex, lambda r: [r.standard_normal((3, 3))]),
        ("lu", LA.lu, tl.lu, lambda r: [r.standard_normal((2, 4, 4))]),
        (
            "lu_unpack",
            lambda a: tg.lu_unpack(*LA.lu_factor(a)),
            lambda a: t.lu_unpack(*tl.lu_factor(a)),
            lambda r: [r.standard_normal((2, 3, 4))],
        ),
        ("inv", LA.inv, tl.inv, lambda r: [_well(r, 2, 3, 3)]),
        ("det", LA.det, tl.det, lambda r: [r.standard_normal((2, 3, 3))]),
        ("lu_wide", LA.lu, tl.lu, lambda r: [r.standard_normal((2, 3, 5))]),
        ("lu_tall", LA.lu, tl.lu, lambda r: [r.standard_normal((5, 3))]),
        ("matrix_exp", LA.matrix_exp, tl.matrix_exp, lambda r: [r.standard_normal((2, 3, 3))]),
        ("matrix_exp_big", LA.matrix_exp, tl.matrix_exp, lambda r: [4 * r.standard_normal((4, 4))]),
        ("multi_dot", _multi_dot, lambda *xs: tl.multi_dot(xs), _chain),
        (
            "vecdot",
            LA.vecdot,
            tl.vecdot,
            lambda r: [r.standard_normal((2, 4)), r.standard_normal(4)],
        ),
        (
            "cross",
            lambda a, b: LA.cross(a, b, dim=0),
            lambda a, b: tl.cross(a, b, dim=0),
            lambda r: [r.standard_normal((3, 2)), r.standard_normal((3, 1))],
        ),
        ("diagonal", LA.diagonal, tl.diagonal, lambda r: [r.standard_normal((2, 3, 4))]),
        ("vander", LA.vander, tl.vander, lambda r: [r.standard_normal((2, 4))]),
        (
            "vander_N",
            lambda x: LA.vander(x, N=5),
            lambda x: tl.vander(x, N=5),
            lambda r: [np.array([0.0, 1.5, -2.0])],
        ),
    ]
    for lu_kw in ({}, {"left": False}, {"adjoint": True}, {"left": False, "adjoint": True}):
        cases.append(
            (
                f"lu_solve_{lu_kw}",
                lambda a, b, kw=lu_kw: LA.lu_solve(*LA.lu_factor(a), b, **kw),
                lambda a, b, kw=lu_kw: tl.lu_solve(*tl.lu_factor(a), b, **kw),
                lambda r: [r.standard_normal((2, 3, 3)), r.standard_normal((2, 3, 3))],
            )
        )
    for n in (-3, -1, 0, 1, 2, 5):
        cases.append(
            (
                f"matrix_power_{n}",
                lambda a, n=n: LA.matrix_power(a, n),
                lambda a, n=n: tl.matrix_power(a, n),
                lambda r: [_well(r, 2, 3, 3) / 3],
            )
        )
    norms: list[tuple[Any, Any]] = [(2, None), (1, 1), (np.inf, (0, 1)), (-np.inf, -1), (3.5, None)]
    norms += [(0.5, (0, 2)), (0, 1)]
    for ord, dim in norms:
        cases.append(
            (
                f"vector_norm_{ord}_{dim}",
                lambda x, o=ord, d=dim: LA.vector_norm(x, o, d),
                lambda x, o=ord, d=dim: tl.vector_norm(x, o, d),
                lambda r: [r.standard_normal((2, 3, 4))],
            )
        )
    for ord in ("fro", 1, -1, np.inf, -np.inf):
        for keepdim in (False, True):
            cases.append(
                (
                    f"matrix_norm_{ord}_{keepdim}",
                    lambda x, o=ord, k=keepdim: LA.matrix_norm(x, o, (0, 2), k),
                    lambda x, o=ord, k=keepdim: tl.matrix_norm(x, o, (0, 2), k),
                    lambda r: [r.standard_normal((3, 2, 4))],
                )
            )
    for ord, dim, shape in [
        (None, None, (2, 3, 4)),
        (None, 1, (2, 3)),
        (None, (0, 1), (2, 3)),
        (1, None, (3, 4)),
        (np.inf, None, (4,)),
        ("fro", (1, 2), (2, 3, 4)),
        (-np.inf, (-1,), (2, 3)),
    ]:
        cases.append(
            (
                f"norm_{ord}_{dim}_{shape}",
                lambda x, o=ord, d=dim: LA.norm(x, o, d),
                lambda x, o=ord, d=dim: tl.norm(x, o, d),
                lambda r, s=shape: [r.standard_normal(s)],
            )
        )
    return cases


def _chain(r: np.random.Generator) -> list[np.ndarray]:
    return [r.standard_normal(s) for s in [(5,), (5, 2), (2, 6), (6, 3), (3,)]]


def _multi_dot(*xs: tg.Tensor) -> tg.Tensor:
    return LA.multi_dot(xs)


def _outputs(result: Any) -> list[Any]:
    return list(result) if isinstance(result, tuple) else [result]


def _compare(case: Case, seed: int) -> None:
    torch = pytest.importorskip("torch")
    name, fn, ref, make = case
    arrays = make(np.random.default_rng(seed))
    xs = [tg.tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    with warnings.catch_warnings():  # triangular_solve's deprecation, torch's and ours
        warnings.simplefilter("ignore", UserWarning)
        ours, theirs = _outputs(fn(*xs)), _outputs(ref(*ts))
    assert len(ours) == len(theirs), name
    rng = np.random.default_rng(seed + 1)
    loss_ours: Any = 0.0
    loss_theirs: Any = 0.0
    for o, r in zip(ours, theirs):
        expected = r.detach().numpy()
        assert o.shape == tuple(r.shape), (name, o.shape, r.shape)
        if not r.dtype.is_floating_point:
            np.testing.assert_array_equal(o.data, expected, err_msg=name)
            assert o.data.dtype == {torch.int32: np.int32, torch.int64: np.int64}[r.dtype], name
            continue
        np.testing.assert_allclose(o.data, expected, rtol=1e-9, atol=1e-10, err_msg=name)
        if r.requires_grad:
            w = rng.standard_normal(expected.shape)
            loss_ours = loss_ours + (o * tg.tensor(w)).sum()
            loss_theirs = loss_theirs + (r * torch.tensor(w)).sum()
    if isinstance(loss_theirs, float):
        return
    loss_ours.backward()
    grads = torch.autograd.grad(loss_theirs, ts, allow_unused=True)
    for i, (x, g) in enumerate(zip(xs, grads)):
        if g is None or not g.any():
            assert x.grad is None or not x.grad.numpy().any(), (name, i)
        else:
            assert x.grad is not None, (name, i)
            np.testing.assert_allclose(
                x.grad.numpy(), g.numpy(), rtol=1e-8, atol=1e-10, err_msg=f"{name}: input {i}"
            )


def test_values_and_gradients_match_torch() -> None:
    """Every function, float64, random well-conditioned inputs with batches: values, integer
    outputs exactly, and the gradient of a random weighting of all the float outputs."""
    failures = []
    for seed, case in enumerate(_cases()):
        try:
            _compare(case, seed)
        except Exception as e:  # every case's failure, not only the first
            failures.append(f"{case[0]} (seed {seed}): {type(e).__name__}: {e}")
    assert not failures, "\n".join(failures)


def test_second_derivatives_match_torch() -> None:
    """∂/∂A of ‖∂F/∂A‖², F a weighted sum of the output: through the rules' own rules."""
    torch = pytest.importorskip("torch")
    r = np.random.default_rng(4)
    lower = _lower(r, 3, 3)
    w = r.standard_normal((3, 3))
    for lib_fns, a in [
        ((LA.cholesky, torch.linalg.cholesky), _spd(r, 3, 3)),
        ((lambda x: LA.lu(x).U, lambda x: torch.linalg.lu(x).U), r.standard_normal((3, 3))),
        ((lambda x: LA.lu(x).L, lambda x: torch.linalg.lu(x).L), r.standard_normal((3, 3))),
        (
            (lambda x: LA.matrix_exp(x), lambda x: torch.linalg.matrix_exp(x)),
            r.standard_normal((3, 3)),
        ),
        (
            (lambda x: LA.solve(x, x.mT * 2), lambda x: torch.linalg.solve(x, x.mT * 2)),
            _well(r, 3, 3),
        ),
        (
            (
                lambda x: tg.cholesky_solve(x * 2, x, upper=True),
                lambda x: torch.cholesky_solve(x * 2, x, upper=True),
            ),
            lower.T,
        ),
        ((lambda x: tg.cholesky_inverse(x), lambda x: torch.cholesky_inverse(x)), lower),
        (
            (
                lambda x: LA.solve_triangular(x, x + 1, upper=False, left=False),
                lambda x: torch.linalg.solve_triangular(x, x + 1, upper=False, left=False),
            ),
            lower,
        ),
    ]:
        grads = []
        for lib, fn in zip((tg, torch), lib_fns):
            x = lib.tensor(a, requires_grad=True)
            (g,) = lib.autograd.grad((fn(x) * lib.tensor(w)).sum(), [x], create_graph=True)
            (g * g).sum().backward()
            grads.append((g.detach().numpy(), x.grad.numpy()))
        np.testing.assert_allclose(grads[0][0], grads[1][0], rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(grads[0][1], grads[1][1], rtol=1e-8, atol=1e-10)


def test_float32_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    r = np.random.default_rng(3)
    a, b = _well(r, 2, 3, 3).astype(np.float32), r.standard_normal((2, 3, 2)).astype(np.float32)
    for fn, ref in [
        (lambda a, b: LA.solve(a, b), lambda a, b: torch.linalg.solve(a, b)),
        (lambda a, b: LA.cholesky(a @ a.mT), lambda a, b: torch.linalg.cholesky(a @ a.mT)),
        (lambda a, b: LA.matrix_exp(a / 3), lambda a, b: torch.linalg.matrix_exp(a / 3)),
        (lambda a, b: LA.lu_factor(a).LU, lambda a, b: torch.linalg.lu_factor(a).LU),
        (lambda a, b: LA.slogdet(a).logabsdet, lambda a, b: torch.linalg.slogdet(a).logabsdet),
    ]:
        ours = fn(tg.tensor(a), tg.tensor(b))
        assert ours.dtype == tg.float32
        np.testing.assert_allclose(
            ours.numpy(), ref(torch.tensor(a), torch.tensor(b)).numpy(), rtol=1e-4, atol=1e-5
        )


# Compositions, gradchecked and gradgradchecked without torch (float64).
_COMPOSED: list[tuple[str, Callable[..., Any], Callable[[np.random.Generator], list]]] = [
    (
        "solve_triangular",
        lambda a, b: LA.solve_triangular(a, b, upper=True, left=False),
        lambda r: [_well(r, 3, 3), r.standard_normal((2, 3))],
    ),
    # L's value is read in its triangle only, but torch's rule (kept) differentiates all of L:
    # finite differences see that rule on triangular perturbations (tril inside the function).
    (
        "cholesky_solve",
        lambda b, l: tg.cholesky_solve(b, l.tril()),
        lambda r: [r.standard_normal((3, 2)), _lower(r, 3, 3)],
    ),
    (
        "cholesky_inverse",
        lambda u: tg.cholesky_inverse(u.triu(), upper=True),
        lambda r: [_lower(r, 2, 3, 3).swapaxes(-1, -2)],
    ),
    ("logdet", tg.logdet, lambda r: [_spd(r, 3, 3)]),
    ("matrix_power", lambda a: LA.matrix_power(a, -3), lambda r: [_well(r, 3, 3) / 3]),
    ("matrix_exp", LA.matrix_exp, lambda r: [4 * r.standard_normal((2, 3, 3))]),
    ("lu", lambda a: LA.lu(a)[1:], lambda r: [r.standard_normal((3, 3))]),
    (
        "lu_solve",
        lambda a, b: LA.lu_solve(*LA.lu_factor(a), b, adjoint=True),
        lambda r: [_well(r, 3, 3), r.standard_normal((3, 2))],
    ),
    ("matrix_norm", lambda a: LA.matrix_norm(a, 1), lambda r: [r.standard_normal((2, 3, 3))]),
    ("multi_dot", lambda *xs: LA.multi_dot(xs), lambda r: _chain(r)[:4]),
    ("vander", lambda x: LA.vander(x, N=4), lambda r: [r.standard_normal(3)]),
]


@pytest.mark.parametrize("name", [c[0] for c in _COMPOSED])
def test_compositions_gradcheck(name: str) -> None:
    _, fn, make = next(c for c in _COMPOSED if c[0] == name)
    arrays = make(np.random.default_rng(5))

    def summed(*xs: tg.Tensor) -> tg.Tensor:
        outs = _outputs(fn(*xs))
        return sum(((o * (k + 1)).sum() for k, o in enumerate(outs)), tg.tensor(0.0))

    assert gradcheck(summed, arrays)
    assert gradgradcheck(summed, arrays, atol=1e-4, rtol=1e-3)


# Properties, no torch needed.


@given(st.integers(0, 2**16), st.integers(1, 5), st.sampled_from([(), (2,), (2, 1)]))
def test_factorizations_reconstruct(seed: int, n: int, batch: tuple[int, ...]) -> None:
    r = np.random.default_rng(seed)
    a = r.standard_normal((*batch, n, n))
    p, lower, upper = LA.lu(tg.tensor(a))
    np.testing.assert_allclose((p @ lower @ upper).numpy(), a, atol=1e-10)
    s = _spd(r, *batch, n, n)
    chol = LA.cholesky(tg.tensor(s)).numpy()
    np.testing.assert_allclose(chol @ np.swapaxes(chol, -1, -2), s, atol=1e-10)
    x = LA.solve(tg.tensor(s), tg.tensor(a))
    np.testing.assert_allclose(s @ x.numpy(), a, atol=1e-9)
    sign, logabs = LA.slogdet(tg.tensor(a))
    np.testing.assert_allclose(sign.numpy() * np.exp(logabs.numpy()), np.linalg.det(a), rtol=1e-8)


@given(st.integers(0, 2**16), st.integers(1, 4))
def test_matrix_exp_laws(seed: int, n: int) -> None:
    """e^(A)·e^(−A) = I, and e^(diag d) = diag(eᵈ)."""
    a = np.random.default_rng(seed).standard_normal((n, n)) * 2
    e, e_neg = LA.matrix_exp(tg.tensor(a)).numpy(), LA.matrix_exp(tg.tensor(-a)).numpy()
    np.testing.assert_allclose(e @ e_neg, np.eye(n), atol=1e-9)
    d = np.diag(a)
    np.testing.assert_allclose(LA.matrix_exp(tg.tensor(np.diag(d))).numpy(), np.diag(np.exp(d)))


def test_multi_dot_picks_the_cheap_order() -> None:
    """(10×100)(100×5)(5×50): (AB)C costs 7 500 multiplications, A(BC) 75 000."""
    r = np.random.default_rng(0)
    a, b, c = (tg.tensor(r.standard_normal(s)) for s in [(10, 100), (100, 5), (5, 50)])
    out = LA.multi_dot([a, b, c])
    np.testing.assert_allclose(out.numpy(), a.numpy() @ b.numpy() @ c.numpy())
    a.requires_grad_()
    node = LA.multi_dot([a, b, c]).grad_fn
    assert node is not None
    (first, _), _ = node.next_functions  # the left operand of the last matmul is AB
    assert first is not None and first.name() == "MatmulBackward"


def test_logdet_signs() -> None:
    assert np.isnan(tg.logdet(tg.tensor(-np.eye(3))).item())
    assert tg.logdet(tg.tensor(np.zeros((2, 2)))).item() == -np.inf
    sign, logabs = LA.slogdet(tg.tensor(np.diag([-2.0, 3.0])))
    assert sign.item() == -1.0 and np.isclose(logabs.item(), np.log(6))


def test_methods_and_namespace(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_linalg_solve, "_warned", set())
    r = np.random.default_rng(0)
    s = tg.tensor(_spd(r, 3, 3))
    b = tg.tensor(r.standard_normal((3, 2)))
    with pytest.warns(UserWarning, match="torch.cholesky is deprecated"):
        chol = s.cholesky()
    np.testing.assert_allclose(chol.numpy(), LA.cholesky(s).numpy())
    np.testing.assert_allclose(s.cholesky(upper=True).numpy(), chol.numpy().T)
    np.testing.assert_allclose(
        b.cholesky_solve(chol).numpy(), np.linalg.solve(s.numpy(), b.numpy())
    )
    np.testing.assert_allclose(chol.cholesky_inverse().numpy(), np.linalg.inv(s.numpy()))
    np.testing.assert_allclose(s.logdet().item(), np.linalg.slogdet(s.numpy())[1])
    assert s.slogdet().sign.item() == 1.0
    np.testing.assert_allclose(s.matrix_power(2).numpy(), s.numpy() @ s.numpy())
    np.testing.assert_allclose(s.matrix_exp().numpy(), LA.matrix_exp(s).numpy())
    with pytest.warns(UserWarning, match="deprecated"):
        tg.triangular_solve(b, chol, upper=False)
    solution, coefficient = b.triangular_solve(chol, upper=False)  # warned once only
    np.testing.assert_allclose(solution.numpy(), np.linalg.solve(np.tril(chol.numpy()), b.numpy()))
    np.testing.assert_array_equal(coefficient.numpy(), chol.numpy())
    np.testing.assert_array_equal(tg.matrix_exp(s).numpy(), LA.matrix_exp(s).numpy())
    p, lower, upper = tg.lu_unpack(*LA.lu_factor(s), unpack_pivots=False)
    assert p.shape == (0,) and lower.shape == upper.shape == (3, 3)
    assert issubclass(LA.LinAlgError, RuntimeError)


def test_deprecated_lu_and_lu_solve(monkeypatch: pytest.MonkeyPatch) -> None:
    """torch.lu / lu_solve (and the methods): lu_factor(_ex) and linalg.lu_solve with the old
    argument order, each warning once; tg.lu's result with get_infos is named, the method's a
    plain tuple, as torch's; a singular matrix is factored, its info saying where U is 0."""
    monkeypatch.setattr(_linalg_solve, "_warned", set())
    r = np.random.default_rng(3)
    a = tg.tensor(_well(r, 2, 3, 3))
    b = tg.tensor(r.standard_normal((2, 3, 2)))
    with pytest.warns(UserWarning, match="torch.lu is deprecated"):
        packed, pivots = tg.lu(a)
    expected = LA.lu_factor(a)
    np.testing.assert_array_equal(packed.numpy(), expected.LU.numpy())
    np.testing.assert_array_equal(pivots.numpy(), expected.pivots.numpy())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # once only
        named = tg.lu(a, get_infos=True)
        assert named.info.tolist() == [0, 0] and named.pivots.dtype == tg.int32
        plain = a.lu(get_infos=True)
        assert type(plain) is tuple and len(plain) == 3
    with pytest.warns(UserWarning, match="torch.lu_solve is deprecated"):
        x = tg.lu_solve(b, packed, pivots)
    np.testing.assert_allclose(x.numpy(), np.linalg.solve(a.numpy(), b.numpy()), rtol=1e-10)
    np.testing.assert_array_equal(b.lu_solve(packed, pivots).numpy(), x.numpy())
    singular = tg.lu(tg.tensor([[1.0, 2.0], [2.0, 4.0]]), get_infos=True)
    assert singular.info.item() == 2 and singular.LU[1, 1].item() == 0.0
    with pytest.raises(RuntimeError, match="int32"):
        tg.lu_solve(b, packed, pivots.long())
    with pytest.raises(RuntimeError, match="pivoting"):
        tg.lu(a, pivot=False)
    assert gradcheck(lambda m, v: tg.lu_solve(v, *tg.lu(m)), [a.numpy(), b.numpy()])


def test_deprecated_lu_and_lu_solve_as_torch() -> None:
    torch = pytest.importorskip("torch")
    r = np.random.default_rng(4)
    a, b = _well(r, 3, 3), r.standard_normal((3, 2))
    results = []
    for lib in (tg, torch):
        ta, tb = lib.tensor(a, requires_grad=True), lib.tensor(b, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            packed, pivots, info = lib.lu(ta, get_infos=True)
            x = lib.lu_solve(tb, packed, pivots)
        (x * x).sum().backward()
        results.append([packed, pivots, info, x, ta.grad, tb.grad])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-10)


# Bad input: clear errors naming the function and the shapes.


def _raises(kind: type[BaseException], match: str, fn: Callable[[], Any]) -> None:
    with pytest.raises(kind, match=match):
        fn()


def test_bad_input() -> None:
    t = tg.tensor
    sq, rect = t(np.eye(3)), t(np.ones((2, 3)))
    _raises(
        RuntimeError,
        r"linalg\.solve: A must be batches of square.*2 by 3",
        lambda: LA.solve(rect, t(np.ones(2))),
    )
    _raises(
        RuntimeError,
        r"linalg\.solve: Incompatible shapes.*3x3 and 4x1",
        lambda: LA.solve(sq, t(np.ones(4))),
    )
    _raises(
        RuntimeError,
        r"linalg\.solve: the batch dims of \(2, 3, 3\) and \(4, 3, 1\)",
        lambda: LA.solve(t(np.ones((2, 3, 3))), t(np.ones((4, 3, 1)))),
    )
    _raises(
        RuntimeError,
        r"linalg\.solve: Expected a floating point.*int64",
        lambda: LA.solve(t(np.eye(3, dtype=np.int64)), t(np.ones(3, dtype=np.int64))),
    )
    _raises(
        RuntimeError,
        r"linalg\.solve: Expected A and B to have the same dtype",
        lambda: LA.solve(sq, t(np.ones(3, dtype=np.float32))),
    )
    singular = t(np.stack([np.eye(2), np.zeros((2, 2))]))
    _raises(
        LA.LinAlgError,
        r"linalg\.solve: \(Batch element 1\): .*singular",
        lambda: LA.solve(singular, t(np.ones((2, 2)))),
    )
    _raises(LA.LinAlgError, r"singular", lambda: LA.matrix_power(t(np.zeros((2, 2))), -1))
    _raises(TypeError, r"linalg\.matrix_power: n must be an int", lambda: LA.matrix_power(sq, 1.5))  # type: ignore[arg-type]
    _raises(
        RuntimeError,
        r"linalg\.matrix_power: A must be batches of square",
        lambda: LA.matrix_power(rect, 2),
    )
    not_pd = t(np.stack([np.eye(2), [[1.0, 2.0], [2.0, 1.0]]]))
    _raises(
        LA.LinAlgError,
        r"linalg\.cholesky: \(Batch element 1\): .*leading minor of order 2",
        lambda: LA.cholesky(not_pd),
    )
    _raises(
        RuntimeError, r"linalg\.cholesky: A must be batches of square", lambda: LA.cholesky(rect)
    )
    _raises(
        RuntimeError,
        r"linalg\.solve_triangular: The input tensor B must have at least 2",
        lambda: LA.solve_triangular(sq, t(np.ones(3)), upper=True),
    )
    _raises(
        RuntimeError,
        r"cholesky_solve: Incompatible matrix sizes",
        lambda: tg.cholesky_solve(t(np.ones((2, 1))), sq),
    )
    _raises(RuntimeError, r"linalg\.slogdet: A must be batches of square", lambda: LA.slogdet(rect))
    _raises(
        RuntimeError,
        r"linalg\.matrix_exp: A must be batches of square",
        lambda: LA.matrix_exp(rect),
    )
    _raises(LA.LinAlgError, r"U\[1,1\] is zero", lambda: LA.lu_factor(t(np.zeros((3, 3)))))
    _raises(
        RuntimeError,
        r"linalg\.vector_norm: Expected a floating point",
        lambda: LA.vector_norm(t(np.ones(3, dtype=np.int64))),
    )
    _raises(
        RuntimeError,
        r"linalg\.matrix_norm: The input tensor A must have at least 2",
        lambda: LA.matrix_norm(t(np.ones(3))),
    )
    _raises(
        RuntimeError, r"linalg\.matrix_norm: Order 3 not supported", lambda: LA.matrix_norm(sq, 3)
    )
    _raises(
        RuntimeError,
        r"linalg\.norm: If dim is not specified but ord is.*3D",
        lambda: LA.norm(t(np.ones((2, 2, 2))), 2),
    )
    _raises(RuntimeError, r"multi_dot\(\): expected at least 2 tensors", lambda: LA.multi_dot([sq]))
    _raises(
        RuntimeError,
        r"multi_dot\(\): tensors 0 and 1 with shapes \(3,\) and \(4, 2\)",
        lambda: LA.multi_dot([t(np.ones(3)), t(np.ones((4, 2)))]),
    )
    _raises(
        RuntimeError,
        r"linalg\.vander: N must be greater than 1",
        lambda: LA.vander(t(np.ones(3)), N=1),
    )


def test_more_bad_input() -> None:
    t = tg.tensor
    _raises(
        RuntimeError,
        r"linalg\.solve: Vector broadcasting of the left hand side is not supported for left=False",
        lambda: LA.solve(t(np.eye(3)), t(np.ones(3)), left=False),
    )
    ints = t(np.ones(3, dtype=np.int64))
    _raises(
        RuntimeError, r"linalg\.vecdot: Expected a floating point", lambda: LA.vecdot(ints, ints)
    )
    _raises(
        RuntimeError,
        r"linalg\.vector_norm: the dtype of the input \(float64\) should be convertible without "
        r"narrowing to the specified dtype \(float32\)",
        lambda: LA.norm(t(np.ones(3)), dtype=tg.float32),
    )
    _raises(
        TypeError,
        r"linalg\.vector_norm: argument 'ord' must be a number",
        lambda: LA.vector_norm(t(np.ones(3)), "fro"),
    )  # type: ignore[arg-type]
    lu, pivots = LA.lu_factor(t(np.eye(2)))
    _raises(
        RuntimeError,
        r"linalg\.lu_solve: pivots must be int32 of shape \(2,\)",
        lambda: LA.lu_solve(lu, pivots.long(), t(np.ones((2, 1)))),
    )
    nan = t(np.array([[np.nan, 0.0], [0.0, 1.0]]))  # numpy returns nan, LAPACK (torch) refuses
    _raises(LA.LinAlgError, r"leading minor of order 1", lambda: LA.cholesky(nan))
    assert LA.cholesky_ex(nan).info.item() == 1
    _raises(
        RuntimeError,
        r"linalg\.solve_ex: A must be batches of square",
        lambda: LA.solve_ex(t(np.ones((2, 3))), t(np.ones(2))),
    )
    singular = t(np.stack([np.eye(2), [[1.0, 2.0], [2.0, 4.0]]]))
    _raises(
        LA.LinAlgError,
        r"linalg\.inv: \(Batch element 1\): The diagonal element 2 is zero",
        lambda: LA.inv(singular),
    )
    _raises(
        RuntimeError,
        r"linalg\.det: The input tensor A must have at least 2 dimensions",
        lambda: LA.det(t(np.ones(3))),
    )
    _raises(
        TypeError,
        r"linalg\.solve\(\): argument 'B' must be Tensor, not float",
        lambda: LA.solve(t(np.eye(2)), 2.0),
    )  # type: ignore[arg-type]
    _raises(
        TypeError,
        r"multi_dot\(\): argument 'tensor 1' must be Tensor",
        lambda: LA.multi_dot([t(np.eye(2)), 2.0]),
    )  # type: ignore[list-item]
    _raises(
        RuntimeError,
        r"lu_unpack: LU_pivots must be int32",
        lambda: tg.lu_unpack(t(np.eye(2)), t(np.ones(2))),
    )
    # an empty matrix has norm 0, as torch's
    assert LA.matrix_norm(t(np.ones((3, 0))), 1).item() == 0.0


def test_ex_variants_report_info() -> None:
    singular = tg.tensor(np.stack([np.eye(2), np.zeros((2, 2))]))
    result, info = LA.solve_ex(singular, tg.tensor(np.ones((2, 2))))
    assert info.tolist() == [0, 1] and info.data.dtype == np.int32
    assert np.isnan(result.numpy()[1]).all()
    np.testing.assert_array_equal(result.numpy()[0], np.ones(2))
    inverse, info = LA.inv_ex(singular)
    assert info.tolist() == [0, 1]
    np.testing.assert_array_equal(inverse.numpy()[0], np.eye(2))
    with pytest.raises(LA.LinAlgError):
        LA.inv_ex(singular, check_errors=True)
    not_pd = tg.tensor(np.stack([np.eye(2), [[1.0, 2.0], [2.0, 1.0]]]))
    chol, info = LA.cholesky_ex(not_pd)
    assert info.tolist() == [0, 2]
    np.testing.assert_array_equal(chol.numpy()[0], np.eye(2))
    _, pivots, info = LA.lu_factor_ex(tg.tensor(np.zeros((3, 3))))
    assert info.item() == 1 and pivots.tolist() == [1, 2, 3]


REMOVED = {
    "tg.eig(a)": "linalg.eig",
    "a.eig()": "linalg.eig",
    "tg.lstsq(a, a)": "linalg.lstsq",
    "a.lstsq(a)": "linalg.lstsq",
    "tg.solve(a, a)": "linalg.solve",
    "a.solve(a)": "linalg.solve",
    "tg.symeig(a)": "linalg.eigh",
    "a.symeig(eigenvectors=True)": "linalg.eigh",
    "tg.lstsq(a, a, out=(tg.zeros(0), tg.zeros(0)))": "linalg.lstsq",
    "a.reinforce(1.0)": "distributions",
}


@pytest.mark.parametrize("call", sorted(REMOVED))
def test_functions_removed_from_torch_say_what_replaces_them(call: str) -> None:
    """torch 2.13 still names eig, lstsq, solve, symeig and reinforce, and raises its
    RuntimeError naming the replacement; so does this library, in torch's words."""
    a = tg.eye(2)
    with pytest.raises(RuntimeError, match="removed") as ours:
        eval(call, {"tg": tg, "a": a})
    assert REMOVED[call] in str(ours.value)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError) as theirs:
        eval(call.replace("tg.", "torch."), {"torch": torch, "a": torch.eye(2)})
    assert str(ours.value) == str(theirs.value)

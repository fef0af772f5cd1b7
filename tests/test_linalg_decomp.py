"""tg.linalg's decompositions: eigh, svd, qr and pinv, lstsq, matrix_rank, cond built on them.

The primitives' rules are gradchecked from the registry (tests/test_ops.py). Here: the factors
reconstruct their matrix; values and gradients of sign-independent losses against torch (the
signs of singular vectors and eigenvectors are a convention); gradients at repeated values,
where only a rule that skips unused factors is defined; the composed functions by gradcheck;
torch's result fields and its errors for bad input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
from tinygrad_ed.numgrad import gradcheck, gradgradcheck
from tinygrad_ed.testing import arrays

SHAPES = [(4, 3), (3, 4), (3, 3), (2, 3, 2), (1, 1)]


def _rand(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape)


def _against_torch(fn: Callable[[Any, Any], Any], *arrays: np.ndarray, atol: float = 1e-9) -> None:
    """fn(lib, *tensors) → a scalar loss: its value and gradients match torch's."""
    torch = pytest.importorskip("torch")
    ours = [tg.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    loss, expected = fn(tg, *ours), fn(torch, *theirs)
    loss.backward()
    expected.backward()
    np.testing.assert_allclose(loss.data, expected.detach().numpy(), rtol=1e-9, atol=atol)
    for a, b in zip(ours, theirs):
        assert a.grad is not None and b.grad is not None
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-7, atol=atol)


def _svd_loss(full_matrices: bool) -> Callable[[Any, Any], Any]:
    # |U|, |V| and U diag(√σ) Vᵀ do not depend on the signs of the singular vectors
    def loss(lib: Any, a: Any) -> Any:
        U, S, Vh = lib.linalg.svd(a, full_matrices=full_matrices)
        k = S.shape[-1]
        u, vh = U[..., :, :k], Vh[..., :k, :]
        half = (u * S.sqrt().unsqueeze(-2)) @ vh
        return (half**2).sum() + (u.abs() ** 3).sum() + (vh.abs() ** 3).sum() + (S**3).sum()

    return loss


@given(data=st.data())
def test_factors_reconstruct_any_matrix(data: st.DataObject) -> None:
    """Drawn matrices (repeated values, zeros, rank deficiency included): the factors
    reconstruct them, and pinv satisfies the Penrose conditions AA⁺A = A, A⁺AA⁺ = A⁺."""
    batch = data.draw(st.sampled_from([(), (2,)]))
    m, n = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    a = np.round(data.draw(arrays((*batch, m, n))), 6)  # no subnormals: 1/σ would overflow
    x = tg.tensor(a)
    U, S, Vh = tg.linalg.svd(x, full_matrices=False)
    np.testing.assert_allclose((U * S.unsqueeze(-2) @ Vh).data, a, atol=1e-12)
    Q, R = tg.linalg.qr(x)
    np.testing.assert_allclose((Q @ R).data, a, atol=1e-12)
    P = tg.linalg.pinv(x).data
    np.testing.assert_allclose(a @ P @ a, a, atol=1e-9)
    np.testing.assert_allclose(P @ a @ P, P, atol=1e-9 * max(1.0, np.abs(P).max() ** 3))
    k = min(m, n)
    sym = a[..., :k, :k] + a[..., :k, :k].mT
    L, V = tg.linalg.eigh(tg.tensor(sym))
    np.testing.assert_allclose((V * L.unsqueeze(-2) @ V.mT).data, sym, atol=1e-12)
    rank = tg.linalg.matrix_rank(x).data
    np.testing.assert_array_equal(rank, np.linalg.matrix_rank(a))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("full_matrices", [False, True])
def test_svd_reconstructs_and_matches_torch(shape: tuple[int, ...], full_matrices: bool) -> None:
    a = _rand(*shape)
    U, S, Vh = tg.linalg.svd(tg.tensor(a), full_matrices=full_matrices)
    m, n = shape[-2:]
    k = min(m, n)
    assert U.shape == (*shape[:-2], m, m if full_matrices else k)
    assert Vh.shape == (*shape[:-2], n if full_matrices else k, n)
    np.testing.assert_allclose(
        (U[..., :, :k] * S.unsqueeze(-2) @ Vh[..., :k, :]).data, a, atol=1e-12
    )
    np.testing.assert_allclose(
        (U.mT @ U).data,
        np.broadcast_to(np.eye(U.shape[-1]), (*shape[:-2], U.shape[-1], U.shape[-1])),
        atol=1e-12,
    )
    assert np.all(np.diff(S.data, axis=-1) <= 0)
    _against_torch(_svd_loss(full_matrices), a)
    _against_torch(lambda lib, x: (lib.linalg.svdvals(x) ** 3).sum(), a)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (1, 1)])
@pytest.mark.parametrize("UPLO", ["L", "U"])
def test_eigh_matches_torch_and_reads_one_triangle(shape: tuple[int, ...], UPLO: str) -> None:
    a = _rand(*shape)
    L, V = tg.linalg.eigh(tg.tensor(a), UPLO=UPLO)
    sym = np.tril(a) + np.tril(a, -1).mT if UPLO == "L" else np.triu(a) + np.triu(a, 1).mT
    np.testing.assert_allclose((V * L.unsqueeze(-2) @ V.mT).data, sym, atol=1e-12)
    other = a + (np.triu(_rand(*shape, seed=1), 1) if UPLO == "L" else np.tril(_rand(*shape), -1))
    np.testing.assert_array_equal(tg.linalg.eigvalsh(tg.tensor(other), UPLO=UPLO).data, L.data)

    def loss(lib: Any, x: Any) -> Any:
        values, vectors = lib.linalg.eigh(x, UPLO=UPLO)
        return (vectors.abs() ** 3).sum() + (values**3).sum()

    _against_torch(loss, a)
    _against_torch(lambda lib, x: (lib.linalg.eigvalsh(x, UPLO=UPLO) ** 3).sum(), a)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_qr_reconstructs_and_matches_torch(shape: tuple[int, ...], mode: str) -> None:
    a = _rand(*shape)
    Q, R = tg.linalg.qr(tg.tensor(a), mode=mode)
    np.testing.assert_allclose((Q @ R).data, a, atol=1e-12)
    np.testing.assert_array_equal(R.data, np.triu(R.data))
    torch = pytest.importorskip("torch")
    q, r = torch.linalg.qr(torch.tensor(a), mode=mode)
    assert Q.shape == tuple(q.shape) and R.shape == tuple(r.shape)
    # LAPACK's Householder signs: numpy's and torch's agree
    np.testing.assert_allclose(R.data, r.numpy(), atol=1e-12)
    if mode == "complete" and shape[-2] > shape[-1]:
        return  # not differentiable (tested below)

    def loss(lib: Any, x: Any) -> Any:
        q, r = lib.linalg.qr(x, mode=mode)
        return (q**3).sum() + (r**3).sum()

    _against_torch(loss, a)


def test_qr_r_mode_and_the_modes_torch_cannot_differentiate() -> None:
    a = tg.tensor(_rand(4, 3), requires_grad=True)
    Q, R = tg.linalg.qr(a, mode="r")
    assert Q.shape == (0,) and R.shape == (3, 3)
    with pytest.raises(RuntimeError, match="mode='r'"):
        R.sum().backward()
    Q, R = tg.linalg.qr(a, mode="complete")
    with pytest.raises(RuntimeError, match="mode='complete' and nrows > ncols"):
        R.sum().backward()


@pytest.mark.parametrize("shape", SHAPES)
def test_pinv_matches_torch(shape: tuple[int, ...]) -> None:
    a = _rand(*shape)
    _against_torch(lambda lib, x: (lib.linalg.pinv(x) ** 3).sum(), a, atol=1e-8)
    if shape[-1] == shape[-2]:
        _against_torch(lambda lib, x: (lib.linalg.pinv(x, hermitian=True) ** 3).sum(), a, atol=1e-8)


def test_pinv_tolerances_as_torch() -> None:
    torch = pytest.importorskip("torch")
    # rank 2 of 3, and a batch with per-matrix tolerances (tensors broadcast over the batch)
    a = _rand(4, 2) @ _rand(2, 3)
    b = np.stack([np.diag([3.0, 1.0, 0.1]), np.diag([3.0, 1.0, 0.1])])
    cases = [
        (a, {}),
        (a, {"rtol": 0.3}),
        (b, {"atol": 0.5}),
        (b, {"atol": 0.5, "rtol": 0.0}),
        (b, {"rtol": np.array([0.01, 0.2])}),
        (b, {"atol": np.array([0.0, 2.0]), "hermitian": True}),
    ]
    for x, kw in cases:
        ours = {k: tg.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
        theirs = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
        expected = torch.linalg.pinv(torch.tensor(x), **theirs).numpy()
        np.testing.assert_allclose(tg.linalg.pinv(tg.tensor(x), **ours).data, expected, atol=1e-12)
        rank = torch.linalg.matrix_rank(torch.tensor(x), **theirs).numpy()
        got = tg.linalg.matrix_rank(tg.tensor(x), **ours)
        assert got.dtype == tg.int64
        np.testing.assert_array_equal(got.data, rank)
    assert tg.tensor(a).pinverse().shape == (3, 4)
    np.testing.assert_allclose(
        tg.pinverse(tg.tensor(b), rcond=0.2).data, torch.pinverse(torch.tensor(b), 0.2).numpy()
    )


def test_gradients_at_repeated_values_as_torch() -> None:
    """At the identity every singular value and eigenvalue repeats: 1/(σⱼ² − σᵢ²) is infinite,
    but a loss of the values alone, or of pinv, has a gradient; torch gives it too."""
    eye = np.eye(3)
    _against_torch(lambda lib, x: lib.linalg.svd(x)[1].sum(), eye)
    _against_torch(lambda lib, x: (lib.linalg.svdvals(x) ** 2).sum(), eye)
    _against_torch(lambda lib, x: lib.linalg.eigh(x)[0].sum(), eye)
    _against_torch(lambda lib, x: (lib.linalg.eigvalsh(x) ** 3).sum(), eye)
    _against_torch(lambda lib, x: (lib.linalg.pinv(x) ** 3).sum(), 2 * eye)
    x = tg.tensor(eye, requires_grad=True)
    tg.linalg.svdvals(x).sum().backward()
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad.data, eye)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("driver", [None, "gels", "gelsy", "gelsd", "gelss"])
def test_lstsq_fields_as_torch(shape: tuple[int, ...], driver: str | None) -> None:
    torch = pytest.importorskip("torch")
    a, b = _rand(*shape), _rand(*shape[:-1], 2, seed=1)
    if driver == "gels" and shape[-2] < shape[-1]:
        b = b[..., :, :1]  # gels on a wide matrix: the minimum-norm solution too
    ours = tg.linalg.lstsq(tg.tensor(a), tg.tensor(b), driver=driver)
    theirs = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b), driver=driver)
    for name in ("solution", "residuals", "rank", "singular_values"):
        got, expected = getattr(ours, name), getattr(theirs, name)
        assert got.shape == tuple(expected.shape), name
        assert str(got.dtype) == str(expected.dtype).replace("torch.", ""), name
        np.testing.assert_allclose(got.data, expected.numpy(), atol=1e-10, err_msg=name)
    _against_torch(
        lambda lib, x, y: (lib.linalg.lstsq(x, y, driver=driver).solution ** 3).sum(), a, b
    )


def test_lstsq_vector_rhs_rank_deficiency_and_gradients() -> None:
    torch = pytest.importorskip("torch")
    a, b = _rand(2, 4, 3), _rand(2, 4, seed=1)  # b: a batch of vectors (shape a.shape[:-1])
    ours = tg.linalg.lstsq(tg.tensor(a), tg.tensor(b))
    theirs = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b))
    np.testing.assert_allclose(ours.solution.data, theirs.solution.numpy(), atol=1e-12)
    _against_torch(lambda lib, x, y: (lib.linalg.lstsq(x, y).solution ** 3).sum(), a, b)
    # rank 1: the minimum-norm solution and rank 1, as gelsy's
    low = np.array([[1.0, 2.0], [2.0, 4.0], [0.0, 0.0]])
    got = tg.linalg.lstsq(tg.tensor(low), tg.tensor(np.ones((3, 1))))
    expected = torch.linalg.lstsq(torch.tensor(low), torch.ones(3, 1, dtype=torch.float64))
    np.testing.assert_allclose(got.solution.data, expected.solution.numpy(), atol=1e-12)
    assert int(got.rank.data) == 1
    # residuals are differentiable, as torch's
    _against_torch(lambda lib, x, y: lib.linalg.lstsq(x, y, driver="gelsd")[1].sum(), a[0], b[0])
    assert gradcheck(lambda x, y: tg.linalg.lstsq(x, y).solution, [a, b])


# B one dimension short of A: a vector (batch) when B.shape == A.shape[:-1], else refused
SHORT_B = [((3, 4), (3,)), ((2, 3, 4), (2, 3)), ((2, 3, 4), (3, 5)), ((1, 3, 4), (1, 3))]
SHORT_B += [((2, 2, 3, 4), (2, 3, 5)), ((3, 4), (4,)), ((2, 3, 4), (1, 3)), ((5, 3, 4), (3, 1))]


@pytest.mark.parametrize(("a_shape", "b_shape"), SHORT_B)
def test_lstsq_b_one_dimension_short(a_shape: tuple[int, ...], b_shape: tuple[int, ...]) -> None:
    """torch's rule: such a B is a vector when 1-d or of shape A.shape[:-1]; the shapes above
    that are not, torch refuses (RuntimeError), and so does this, naming both shapes."""
    a, b = _rand(*a_shape), _rand(*b_shape, seed=1)
    vector = len(b_shape) == 1 or b_shape == a_shape[:-1]
    if vector and b_shape[-1] == a_shape[-2]:
        x = tg.linalg.lstsq(tg.tensor(a), tg.tensor(b)).solution
        assert x.shape == (*a_shape[:-2], a_shape[-1])
        np.testing.assert_allclose(x.data, (np.linalg.pinv(a) @ b[..., None])[..., 0], atol=1e-12)
    else:
        shapes = re.escape(f"{a_shape} and {b_shape}")
        with pytest.raises(RuntimeError, match=f"lstsq: .*{shapes}"):
            tg.linalg.lstsq(tg.tensor(a), tg.tensor(b))
    torch = pytest.importorskip("torch")
    if vector and b_shape[-1] == a_shape[-2]:
        expected = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b)).solution
        np.testing.assert_allclose(x.data, expected.numpy(), atol=1e-12)
    else:
        with pytest.raises(RuntimeError):
            torch.linalg.lstsq(torch.tensor(a), torch.tensor(b))


P_VALUES: list[Any] = [None, 2, -2, "fro", "nuc", 1, -1, float("inf"), float("-inf")]


@pytest.mark.parametrize("p", P_VALUES)
def test_cond_as_torch(p: Any) -> None:
    torch = pytest.importorskip("torch")
    for a in (_rand(3, 3), _rand(2, 4, 4), np.array([[1.0, 2.0], [2.0, 4.0]])):
        expected = torch.linalg.cond(torch.tensor(a), p).numpy()
        got = tg.linalg.cond(tg.tensor(a), p).data
        if np.isinf(expected).all():
            assert np.isinf(got).all() or got > 1e15
        else:
            np.testing.assert_allclose(got, expected, rtol=1e-9)
    if p in (None, 2, -2):  # torch 2.13's backward fails for the other p (an in-place inverse)
        _against_torch(lambda lib, x: lib.linalg.cond(x, p).sum(), _rand(4, 3))
    assert gradcheck(lambda x: tg.linalg.cond(x, p), [_rand(3, 3) + 3 * np.eye(3)])


def test_second_derivatives_of_compositions() -> None:
    a = _rand(3, 2) @ np.diag([2.0, 1.0]) + 0.1
    assert gradgradcheck(lambda x: tg.linalg.svdvals(x), [a], atol=1e-4, rtol=1e-3)
    assert gradgradcheck(lambda x: tg.linalg.pinv(x), [a], atol=1e-4, rtol=1e-3)
    assert gradcheck(lambda x: tg.linalg.svd(x)[0][..., :, :2].abs(), [a])


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (2, 5, 5)])
def test_lowrank_svd_and_pca_are_exact_at_low_rank(shape: tuple[int, ...]) -> None:
    """With q ≥ rank the random range holds A's columns: U diag(S) Vᵀ is A, and the leading
    singular values (and their gradients) are the exact ones, torch's too."""
    torch = pytest.importorskip("torch")
    *batch, m, n = shape
    a = _rand(*batch, m, 2) @ _rand(*batch, 2, n, seed=1)  # rank 2
    tg.manual_seed(0)
    U, S, V = tg.svd_lowrank(tg.tensor(a), q=3)
    assert U.shape == (*batch, m, 3) and V.shape == (*batch, n, 3)
    np.testing.assert_allclose((U * S.unsqueeze(-2) @ V.mT).data, a, atol=1e-10)
    np.testing.assert_allclose(
        S.data[..., :2], torch.linalg.svdvals(torch.tensor(a)).numpy()[..., :2], rtol=1e-10
    )

    def loss(lib: Any, x: Any) -> Any:
        lib.manual_seed(0)
        return (lib.svd_lowrank(x, q=3)[1][..., :2] ** 2).sum()

    _against_torch(loss, a, atol=1e-8)
    centered = a - a.mean(-2, keepdims=True)
    tg.manual_seed(0)
    U, S, V = tg.pca_lowrank(tg.tensor(a), q=3)
    np.testing.assert_allclose((U * S.unsqueeze(-2) @ V.mT).data, centered, atol=1e-10)
    torch.manual_seed(0)
    expected = torch.pca_lowrank(torch.tensor(a), q=3)[1].numpy()
    np.testing.assert_allclose(S.data[..., :2], expected[..., :2], rtol=1e-10)
    U, S, V = tg.svd_lowrank(tg.tensor(a), q=3, M=tg.tensor(a.mean(-2, keepdims=True)))
    np.testing.assert_allclose((U * S.unsqueeze(-2) @ V.mT).data, centered, atol=1e-10)
    with pytest.raises(ValueError, match=r"q\(=9\) must be non-negative"):
        tg.pca_lowrank(tg.tensor(a), q=9)


def test_float32_and_old_api() -> None:
    a = _rand(2, 4, 3).astype(np.float32)
    x = tg.tensor(a)
    for out in (*tg.linalg.svd(x), *tg.linalg.qr(x), tg.linalg.pinv(x), tg.linalg.cond(x)):
        assert out.dtype == tg.float32
    assert all(t.dtype == tg.float32 for t in tg.linalg.eigh(x[..., :3, :]))
    U, S, V = tg.svd(x)
    np.testing.assert_allclose((U * S.unsqueeze(-2) @ V.mT).data, a, atol=1e-5)
    U, S, V = x.svd(some=False)
    assert U.shape == (2, 4, 4) and V.shape == (2, 3, 3)
    U, S, V = tg.svd(x, compute_uv=False)
    assert U.shape == (2, 4, 4) and not U.data.any() and not V.data.any() and S.shape == (2, 3)
    assert x.qr(some=False).Q.shape == (2, 4, 4) and tg.qr(x).R.shape == (2, 3, 3)


def test_empty_matrices_as_torch() -> None:
    torch = pytest.importorskip("torch")
    for shape in [(0, 3), (3, 0), (2, 0, 0)]:
        a = np.zeros(shape)
        for name in ("svd", "qr"):
            ours, theirs = (
                getattr(tg.linalg, name)(tg.tensor(a)),
                getattr(torch.linalg, name)(torch.tensor(a)),
            )
            assert [t.shape for t in ours] == [tuple(t.shape) for t in theirs], (name, shape)
        assert tg.linalg.pinv(tg.tensor(a)).shape == shape[:-2] + shape[:-3:-1]
    assert [t.shape for t in tg.linalg.eigh(tg.tensor(np.zeros((0, 0))))] == [(0,), (0, 0)]


def _bad(fn: Callable[..., Any], kind: type[Exception], match: str) -> None:
    with pytest.raises(kind, match=match):
        fn()


def test_bad_input_is_refused_clearly() -> None:
    vec, ints, rect = tg.ones(3), tg.ones(3, 3, dtype=tg.int64), tg.ones(3, 2)
    nan = tg.tensor([[1.0, float("nan")], [0.0, 1.0]])
    L = tg.linalg
    for fn in (L.svd, L.svdvals, L.eigh, L.eigvalsh, L.qr, L.pinv, L.matrix_rank):
        _bad(lambda fn=fn: fn(vec), RuntimeError, "at least 2 dimensions.*\\(3,\\)")
        _bad(lambda fn=fn: fn(ints), RuntimeError, "floating point")
    _bad(lambda: L.cond(vec), RuntimeError, "at least 2 dimensions")
    for fn in (L.svd, L.svdvals, L.pinv, L.matrix_rank, L.cond):
        _bad(lambda fn=fn: fn(nan), RuntimeError, "failed to converge.*non-finite")
    _bad(lambda: L.eigh(rect), RuntimeError, "square matrices, but they are 3 by 2")
    _bad(lambda: L.pinv(rect, hermitian=True), RuntimeError, "square matrices")
    _bad(lambda: L.eigh(tg.eye(2), UPLO="X"), RuntimeError, "UPLO argument to be 'L' or 'U'")
    _bad(lambda: L.qr(tg.eye(2), mode="x"), RuntimeError, "unrecognized mode 'x'")
    _bad(lambda: L.svd(tg.eye(2), driver="gesvd"), RuntimeError, "only supported on CUDA")
    _bad(lambda: L.cond(tg.eye(2), 3), RuntimeError, "invalid norm type: 3")
    _bad(lambda: L.cond(rect, 1), RuntimeError, "ord=1.*square matrices")
    _bad(lambda: L.pinv(tg.eye(2), atol="big"), TypeError, "atol must be a number")
    _bad(lambda: L.lstsq(rect, tg.ones(4, 1)), RuntimeError, "size\\(-2\\) should match")
    _bad(lambda: L.lstsq(rect, tg.ones(3, 1), driver="x"), RuntimeError, "one of \\(gels")
    _bad(lambda: L.lstsq(rect, tg.ones(3, 1, dtype=tg.float64)), RuntimeError, "same dtype")
    _bad(lambda: L.lstsq(rect, tg.ones(2, 3, 3, 1)), RuntimeError, "input.dim\\(\\) must be")
    _bad(lambda: L.lstsq(rect, tg.tensor([[1.0], [float("inf")], [0.0]])), RuntimeError, "inf")
    _bad(lambda: L.eig(tg.eye(2)), NotImplementedError, "complex")
    _bad(lambda: L.eigvals(tg.eye(2)), NotImplementedError, "complex")
    _bad(lambda: L.svd(np.eye(2)), TypeError, "must be Tensor")  # type: ignore[arg-type]

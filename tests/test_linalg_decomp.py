"""tg.linalg's decompositions and what is built on them: eigh, svd, qr and pinv, lstsq,
matrix_rank and cond; the spectral matrix norms (2, −2, 'nuc'), qr's backward by a triangular
solve, Householder reflectors (geqrf, householder_product/orgqr, ormqr), tensorinv and
tensorsolve, and nn.utils.parametrizations.orthogonal.

The primitives' rules are gradchecked from the registry (tests/test_ops.py). Here: the factors
reconstruct their matrix; values and gradients against torch in float64 (skipped without torch),
of sign-independent losses where the factors' signs are a convention (singular vectors and
eigenvectors); gradients at repeated values, where only a rule that skips unused factors is
defined; the composed functions by gradcheck and gradgradcheck; torch's result fields and its
errors for bad input.
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
        if (expected > 1e15).all():
            # singular (or ∞): σ_min is rounding noise, whose size depends on the LAPACK build
            assert (got > 1e15).all()
        elif (expected < 1e-15).all():  # p = -2: σ_min / σ_max of a singular matrix, noise too
            assert (got < 1e-15).all()
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


# The spectral norms, qr's backward, Householder reflectors, tensorinv/tensorsolve and the
# orthogonal parametrization: compared with torch through a weighted sum of squares of the output.


def _against_torch_weighted(
    fn: Callable[..., Any], *arrays: np.ndarray, atol: float = 1e-9
) -> None:
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
    _against_torch_weighted(
        lambda lib, a: lib.linalg.matrix_norm(a, ord, dim, keepdim), _rand(*shape)
    )


@pytest.mark.parametrize("ord", [2, -2, "nuc"])
def test_norm_dispatches_to_the_spectral_norms_as_torch(ord: Any) -> None:
    a = _rand(3, 4, seed=1)
    _against_torch_weighted(lambda lib, x: lib.linalg.norm(x, ord), a)
    _against_torch_weighted(lambda lib, x: lib.linalg.norm(x, ord, (2, 0), True), _rand(3, 2, 4))
    if ord == "nuc":  # torch.norm takes numbers as vector norms, 'nuc' as the matrix norm
        _against_torch_weighted(lambda lib, x: lib.norm(x, "nuc"), a)
        _against_torch_weighted(lambda lib, x: lib.norm(x, "nuc", (0, 2), True), _rand(3, 2, 4))
        _against_torch_weighted(lambda lib, x: x.norm("nuc", dim=(1, 2)), _rand(3, 2, 4))


def test_spectral_norms_at_repeated_singular_values_match_torch() -> None:
    """The identity and a rotation have all singular values equal: svdvals' gradient is
    defined there, and amax/amin share it among the ties as torch's."""
    rotation = np.array([[0.6, -0.8], [0.8, 0.6]])
    for a in (np.eye(3), rotation, np.zeros((2, 3))):
        for ord in (2, -2, "nuc"):
            if ord != "nuc" and not a.any():
                continue  # σ = 0 is a kink of the norm, where torch's svdvals rule is 0/0
            _against_torch_weighted(lambda lib, x, o=ord: lib.linalg.matrix_norm(x, o), a)


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

    _against_torch_weighted(loss, _rand(*shape, seed=3))


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
    _against_torch_weighted(lambda lib, a: lib.linalg.tensorinv(a, ind), _rand(*shape, seed=5))


@pytest.mark.parametrize(
    ("a_shape", "b_shape", "dims"),
    [((6, 2, 3), (6,), None), ((2, 3, 6), (2, 3), None), ((2, 6, 3), (2, 3), (1,)),
     ((2, 3, 6), (3, 2), None), ((2, 3, 2, 3), (2, 3), (0, -1))],
)  # fmt: skip
def test_tensorsolve_matches_torch(
    a_shape: tuple[int, ...], b_shape: tuple[int, ...], dims: tuple[int, ...] | None
) -> None:
    _against_torch_weighted(
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
    _against_torch_weighted(lambda lib, x, t: lib.linalg.householder_product(x, t), a, tau)
    _against_torch_weighted(lambda lib, x, t: lib.orgqr(x, t), a, tau)
    _against_torch_weighted(lambda lib, x, t: x.orgqr(t), a, tau)


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("transpose", [False, True])
@pytest.mark.parametrize(("shape", "other"), [((5, 3), 2), ((3, 4), 2), ((2, 4, 4), 3)])
def test_ormqr_matches_torch(
    left: bool, transpose: bool, shape: tuple[int, ...], other: int
) -> None:
    a, tau = _reflectors(*shape)
    m = shape[-2]
    c = _rand(*shape[:-2], *((m, other) if left else (other, m)), seed=10)
    _against_torch_weighted(lambda lib, x, t, y: lib.ormqr(x, t, y, left, transpose), a, tau, c)
    _against_torch_weighted(
        lambda lib, x, t, y: x.ormqr(t, y, left=left, transpose=transpose), a, tau, c
    )


def test_householder_products_gradcheck() -> None:
    a, tau = _reflectors(4, 3)
    x, t = tg.tensor(a, requires_grad=True), tg.tensor(tau, requires_grad=True)
    c = tg.tensor(_rand(4, 2, seed=11), requires_grad=True)
    assert gradgradcheck(tg.linalg.householder_product, (x, t))
    assert gradcheck(lambda x, t, c: tg.ormqr(x, t, c, transpose=True), (x, t, c))
    q = tg.linalg.householder_product(x, t).data  # orthonormal columns
    np.testing.assert_allclose(q.T @ q, np.eye(3), atol=1e-12)


@pytest.mark.parametrize("delta", [1e-3, 1e-5, -1e-4])
def test_ormqr_second_derivative_near_a_singular_reflector(delta: float) -> None:
    """f(s) = Σ W ⊙ (C + s·D)·Qᵀ with τ₁ = τ + s, Q = H₁H₂H₃, Hᵢ = I − τᵢ·vᵢvᵢᵀ: Q is linear
    in τ₁, so f''(0) = −2·Σ W ⊙ D·(v₁v₁ᵀH₂H₃)ᵀ, however near 1 τ₁·‖v₁‖² = 1 − delta is
    (torch's second derivative is 8e-11 off at delta = 1e-3, 4e-7 at 1e-5; graph fuzzer focus
    seed 27623, see its DIVERGENCES)."""
    rng = np.random.default_rng(1)
    a, w = np.tanh(rng.standard_normal((3, 3))), rng.standard_normal((3, 3))
    d = rng.standard_normal((3, 3))
    vs = [np.r_[np.zeros(i), 1.0, a[i + 1 :, i]] for i in range(3)]
    tau = np.array([(1 - delta) / (vs[0] @ vs[0]), 0.5, -0.3])
    h2, h3 = (np.eye(3) - t * np.outer(v, v) for t, v in zip(tau[1:], vs[1:]))
    expected = -2 * np.sum(w * (d @ (np.outer(vs[0], vs[0]) @ h2 @ h3).T))
    s = tg.tensor(0.0, dtype=tg.float64, requires_grad=True)
    taus = tg.tensor(tau) + s * tg.tensor([1.0, 0.0, 0.0])
    c = tg.tensor(rng.standard_normal((3, 3))) + s * tg.tensor(d)
    f = (tg.ormqr(tg.tensor(a), taus, c, left=False, transpose=True) * tg.tensor(w)).sum()
    (g,) = tg.autograd.grad(f, [s], create_graph=True)
    (g2,) = tg.autograd.grad(g, [s])
    np.testing.assert_allclose(g2.item(), expected, rtol=1e-12)


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

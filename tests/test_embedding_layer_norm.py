"""nn.Embedding / F.embedding and nn.LayerNorm / F.layer_norm: values and gradients against
numpy references and gradcheck, and (where torch is installed) against torch 2.13: values,
gradients, reprs, state_dict keys and refusals."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.numgrad import gradcheck, gradgradcheck

# ----------------------------------------------------------------------------- embedding


def _scatter_reference(idx: np.ndarray, g: np.ndarray, n: int, pad: int | None) -> np.ndarray:
    """W̄[r] = Σ of ḡ over the positions looking up r; nothing for the padding row."""
    out = np.zeros((n, g.shape[-1]))
    np.add.at(out, idx.reshape(-1), g.reshape(-1, g.shape[-1]))
    if pad is not None:
        out[pad] = 0.0
    return out


IDX_CASES = [
    np.array(3),
    np.array([0, 4, 4, 1]),
    np.array([[0, 1, 1], [4, 1, 0]]),
    np.array([[[2, 2], [2, 0]]]),
    np.zeros((0, 3), dtype=np.int64),
]


@pytest.mark.parametrize("idx", IDX_CASES, ids=lambda i: str(i.shape))
@pytest.mark.parametrize("pad", [None, 1, -1])
def test_embedding_looks_up_rows_and_scatter_adds_the_gradient(
    idx: np.ndarray, pad: int | None
) -> None:
    rng = np.random.default_rng(0)
    w = rng.standard_normal((5, 3))
    g = rng.standard_normal((*idx.shape, 3))
    weight = tg.tensor(w, requires_grad=True)
    out = F.embedding(tg.tensor(idx), weight, padding_idx=pad)
    assert out.shape == (*idx.shape, 3)
    np.testing.assert_array_equal(out.data, w[idx])
    (out * tg.tensor(g)).sum().backward()
    assert weight.grad is not None
    p = None if pad is None else pad % 5
    np.testing.assert_allclose(weight.grad.data, _scatter_reference(idx, g, 5, p), atol=1e-12)

    torch = pytest.importorskip("torch")
    tw = torch.tensor(w, requires_grad=True)
    tout = torch.nn.functional.embedding(torch.from_numpy(idx), tw, padding_idx=pad)
    (tout * torch.tensor(g)).sum().backward()
    np.testing.assert_array_equal(out.data, tout.detach().numpy())
    np.testing.assert_allclose(weight.grad.data, tw.grad.numpy(), atol=1e-12)


def test_embedding_gradcheck_and_gradgradcheck() -> None:
    idx = tg.tensor([[0, 2, 2], [3, 0, 1]])
    w = tg.tensor(np.random.default_rng(1).standard_normal((4, 2)), requires_grad=True)
    # (with padding_idx the pad row's gradient is torch's 0, not the derivative: see above)
    assert gradcheck(lambda w: F.embedding(idx, w) ** 2, (w,))
    assert gradgradcheck(lambda w: F.embedding(idx, w) ** 2, (w,))


def test_embedding_module_init_repr_and_state_dict() -> None:
    tg.manual_seed(0)
    e = nn.Embedding(400, 50, padding_idx=-3)
    assert e.padding_idx == 397 and repr(e) == "Embedding(400, 50, padding_idx=397)"
    assert list(e.state_dict()) == ["weight"] and e.weight.dtype == np.float32
    assert e.weight.requires_grad and not e.weight.data[397].any()
    rest = np.delete(e.weight.data, 397, axis=0)
    assert abs(rest.mean()) < 0.02 and abs(rest.std() - 1) < 0.02  # N(0, 1), as torch
    assert repr(nn.Embedding(10, 3)) == "Embedding(10, 3)"
    assert repr(nn.Embedding(10, 3, max_norm=1.0, norm_type=1.0)) == (
        "Embedding(10, 3, max_norm=1.0, norm_type=1.0)"
    )
    assert nn.Embedding(3, 2, dtype=np.float64).weight.dtype == np.float64
    assert not nn.Embedding(3, 2, _freeze=True).weight.requires_grad
    assert nn.Embedding(0, 3).weight.shape == (0, 3)
    torch = pytest.importorskip("torch")
    for args, kwargs in [((10, 3), {}), ((10, 3), {"padding_idx": -2}), ((10, 3), {"max_norm": 2})]:
        ours, theirs = nn.Embedding(*args, **kwargs), torch.nn.Embedding(*args, **kwargs)
        assert repr(ours) == repr(theirs)
        assert list(ours.state_dict()) == list(theirs.state_dict())


def test_embedding_module_forward_and_from_pretrained() -> None:
    table = tg.tensor(np.arange(8.0).reshape(4, 2))
    e = nn.Embedding.from_pretrained(table)
    assert repr(e) == "Embedding(4, 2)" and not e.weight.requires_grad
    assert e.weight.data is table.data  # shared, as torch's
    np.testing.assert_array_equal(e(tg.tensor([[3, 0]])).data, [[[6.0, 7.0], [0.0, 1.0]]])
    assert e(tg.tensor([1], dtype=np.int32)).tolist() == [[2.0, 3.0]]

    e = nn.Embedding.from_pretrained(table, freeze=False, padding_idx=0)
    assert e.weight.requires_grad and e.weight.data[0].tolist() == [0.0, 1.0]  # not zeroed
    e(tg.tensor([0, 1, 1])).sum().backward()
    assert e.weight.grad is not None
    assert e.weight.grad.tolist() == [[0.0, 0.0], [2.0, 2.0], [0.0, 0.0], [0.0, 0.0]]

    own = tg.ones(3, 2)
    assert nn.Embedding(3, 2, padding_idx=1, _weight=own).weight.data[1].tolist() == [1.0, 1.0]


@pytest.mark.parametrize("norm_type", [2.0, 1.0, float("inf")])
def test_embedding_max_norm_renormalizes_the_looked_up_rows_in_place(norm_type: float) -> None:
    rng = np.random.default_rng(2)
    w = (rng.standard_normal((6, 3)) * 3).astype(np.float32)
    idx = np.array([[0, 2], [2, 5]])
    weight = tg.tensor(w.copy())
    out = F.embedding(tg.tensor(idx), weight, max_norm=1.5, norm_type=norm_type)
    rows = np.unique(idx)
    norms = np.linalg.norm(w[rows].astype(np.float64), ord=norm_type, axis=1)
    expected = w.copy()
    scale = np.where(norms > 1.5, 1.5 / (norms + 1e-7), 1.0)
    expected[rows] = w[rows] * scale.astype(np.float32)[:, None]
    np.testing.assert_allclose(weight.data, expected, rtol=1e-6)
    np.testing.assert_array_equal(out.data, weight.data[idx])
    assert (np.linalg.norm(weight.data[rows], ord=norm_type, axis=1) <= 1.5 + 1e-5).all()
    np.testing.assert_array_equal(np.delete(weight.data, rows, 0), np.delete(w, rows, 0))

    torch = pytest.importorskip("torch")
    tw = torch.tensor(w.copy())
    tout = torch.nn.functional.embedding(
        torch.from_numpy(idx), tw, max_norm=1.5, norm_type=norm_type
    )
    np.testing.assert_allclose(weight.data, tw.numpy(), rtol=1e-6)
    np.testing.assert_allclose(out.data, tout.numpy(), rtol=1e-6)


def test_embedding_max_norm_changes_the_weight_in_place_and_backward_still_works() -> None:
    e = nn.Embedding.from_pretrained(tg.full((3, 2), 4.0), freeze=False, max_norm=1.0)
    out = e(tg.tensor([0, 0, 2]))
    assert np.allclose(np.linalg.norm(e.weight.data[[0, 2]], axis=1), 1.0, atol=1e-6)
    assert e.weight.data[1].tolist() == [4.0, 4.0]
    out.sum().backward()
    assert e.weight.grad is not None and e.weight.grad.tolist() == [[2, 2], [0, 0], [1, 1]]


EMBEDDING_ERRORS: list[tuple[Any, type[Exception], str]] = [
    (lambda: F.embedding(tg.tensor([5]), tg.ones(5, 2)), IndexError, r"index 5 is out of range"),
    (lambda: F.embedding(tg.tensor([-1]), tg.ones(5, 2)), IndexError, r"index -1 is out of range"),
    (lambda: F.embedding(tg.tensor([1.0]), tg.ones(5, 2)), TypeError, r"int64 or int32.*float32"),
    (lambda: F.embedding(tg.tensor([True]), tg.ones(5, 2)), TypeError, r"int64 or int32.*bool"),
    (
        lambda: F.embedding(tg.tensor([1], dtype=np.uint8), tg.ones(5, 2)),
        TypeError,
        r"int64 or int32.*uint8",
    ),
    (lambda: F.embedding(tg.tensor([1]), tg.ones(5)), RuntimeError, r"'weight' must be 2-D"),
    (lambda: F.embedding([1], tg.ones(5, 2)), TypeError, r"argument 'input' must be Tensor"),
    (
        lambda: F.embedding(tg.tensor([1]), tg.ones(5, 2), padding_idx=5),
        ValueError,
        r"padding_idx must be within num_embeddings: got 5 for 5",
    ),
    (lambda: nn.Embedding(5, 2, padding_idx=-6), ValueError, r"^Embedding\(\): padding_idx"),
    (lambda: nn.Embedding(5, 2, padding_idx=1.5), TypeError, r"padding_idx must be an int"),
    (lambda: nn.Embedding(-1, 2), ValueError, r"num_embeddings must be non-negative"),
    (lambda: nn.Embedding(5, 2, dtype=np.int64), TypeError, r"floating point"),
    (lambda: nn.Embedding(5, 2, sparse=True), NotImplementedError, r"sparse=True"),
    (lambda: nn.Embedding(5, 2, scale_grad_by_freq=True), NotImplementedError, r"scale_grad"),
    (lambda: nn.Embedding(5, 2, max_norm="1"), TypeError, r"max_norm must be a number"),
    (lambda: nn.Embedding(5, 2, _weight=tg.ones(4, 2)), ValueError, r"_weight must be .*\(5, 2\)"),
    (lambda: nn.Embedding(5, 2, device="cuda"), RuntimeError, r"^Embedding\(\): .*cuda"),
    (lambda: nn.Embedding.from_pretrained(tg.ones(4)), ValueError, r"must be a 2-D Tensor"),
    (lambda: nn.Embedding(5, 2)([1]), TypeError, r"Embedding.forward\(\): expected a Tensor"),
]


@pytest.mark.parametrize("call, error, message", EMBEDDING_ERRORS)
def test_embedding_refusals_name_the_op(call: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()


def test_embedding_refusals_match_torchs_exception_types() -> None:
    torch = pytest.importorskip("torch")
    w = torch.ones(5, 2)
    with pytest.raises(IndexError):
        torch.nn.functional.embedding(torch.tensor([5]), w)
    with pytest.raises(IndexError):
        torch.nn.functional.embedding(torch.tensor([-1]), w)
    with pytest.raises(RuntimeError):  # torch's dtype refusal is a RuntimeError; here TypeError
        torch.nn.functional.embedding(torch.tensor([1.0]), w)
    with pytest.raises(AssertionError):  # torch asserts; here a ValueError
        torch.nn.Embedding(5, 2, padding_idx=5)


# ----------------------------------------------------------------------------- layer norm


def _layer_norm_reference(
    x: np.ndarray, k: int, w: np.ndarray | None, b: np.ndarray | None, eps: float
) -> np.ndarray:
    dims = tuple(range(x.ndim - k, x.ndim))
    mu = x.mean(dims, keepdims=True)
    out = (x - mu) / np.sqrt(((x - mu) ** 2).mean(dims, keepdims=True) + eps)
    return out * (1 if w is None else w) + (0 if b is None else b)


LN_CASES = [
    ((2, 3, 4), (4,), True, True),
    ((2, 3, 4), (3, 4), True, False),
    ((5, 4), (5, 4), False, False),
    ((4,), (4,), True, True),
    ((0, 4), (4,), True, True),
    ((3, 1), (1,), True, True),
]


@pytest.mark.parametrize("shape, normalized, affine, with_bias", LN_CASES, ids=str)
def test_layer_norm_values_and_gradients(
    shape: tuple[int, ...], normalized: tuple[int, ...], affine: bool, with_bias: bool
) -> None:
    rng = np.random.default_rng(3)
    x = rng.standard_normal(shape) * 3 + 1
    w = rng.standard_normal(normalized) if affine else None
    b = rng.standard_normal(normalized) if with_bias else None
    g = rng.standard_normal(shape)
    ours = [tg.tensor(a, requires_grad=True) if a is not None else None for a in (x, w, b)]
    out = F.layer_norm(ours[0], normalized, ours[1], ours[2], eps=1e-5)
    np.testing.assert_allclose(out.data, _layer_norm_reference(x, len(normalized), w, b, 1e-5))
    if x.size:
        inputs = tuple(t for t in ours if t is not None)

        def fn(*ts: tg.Tensor) -> tg.Tensor:
            it = iter(ts)
            args = [next(it) if a is not None else None for a in (x, w, b)]
            return F.layer_norm(args[0], normalized, args[1], args[2])

        assert gradcheck(fn, inputs) and gradgradcheck(fn, inputs)
    (out * tg.tensor(g)).sum().backward()

    torch = pytest.importorskip("torch")
    theirs = [torch.tensor(a, requires_grad=True) if a is not None else None for a in (x, w, b)]
    tout = torch.nn.functional.layer_norm(theirs[0], normalized, theirs[1], theirs[2], eps=1e-5)
    (tout * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    for o, t in zip(ours, theirs):
        if o is not None and t is not None:
            assert o.grad is not None and t.grad is not None
            np.testing.assert_allclose(o.grad.data, t.grad.numpy(), rtol=1e-9, atol=1e-11)


def test_layer_norm_module_float32_against_torch() -> None:
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(4).standard_normal((6, 5, 8)).astype(np.float32) * 10
    ours, theirs = nn.LayerNorm((5, 8), eps=1e-3), torch.nn.LayerNorm((5, 8), eps=1e-3)
    with torch.no_grad():
        theirs.weight.copy_(torch.linspace(-1, 2, 40).reshape(5, 8))
        theirs.bias.copy_(torch.linspace(0, 1, 40).reshape(5, 8))
    ours.load_state_dict({k: tg.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    out, tout = ours(tg.tensor(x)), theirs(torch.from_numpy(x))
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-5, atol=1e-5)
    out.sum().backward()
    tout.sum().backward()
    assert ours.weight is not None and ours.weight.grad is not None
    np.testing.assert_allclose(ours.weight.grad.data, theirs.weight.grad.numpy(), atol=1e-4)


def test_layer_norm_module_repr_parameters_and_state_dict() -> None:
    m = nn.LayerNorm(4)
    assert repr(m) == "LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)"
    assert m.weight is not None and m.bias is not None
    assert m.weight.tolist() == [1.0] * 4 and m.bias.tolist() == [0.0] * 4
    assert list(m.state_dict()) == ["weight", "bias"]
    assert list(nn.LayerNorm([3, 4], bias=False).state_dict()) == ["weight"]
    assert nn.LayerNorm((3, 4)).normalized_shape == (3, 4)
    none = nn.LayerNorm(4, elementwise_affine=False)
    assert none.weight is None and none.bias is None and list(none.state_dict()) == []
    assert nn.LayerNorm(2, dtype=np.float64).weight.dtype == np.float64  # type: ignore[union-attr]
    torch = pytest.importorskip("torch")
    for args, kwargs in [
        ((4,), {}),
        (([3, 4],), {"eps": 1e-3, "bias": False}),
        ((4,), {"elementwise_affine": False}),
    ]:
        ours, theirs = nn.LayerNorm(*args, **kwargs), torch.nn.LayerNorm(*args, **kwargs)
        assert repr(ours) == repr(theirs)
        assert list(ours.state_dict()) == list(theirs.state_dict())


LN_ERRORS: list[tuple[Any, type[Exception], str]] = [
    (
        lambda: F.layer_norm(tg.ones(2, 3), [4]),
        RuntimeError,
        r"given normalized_shape=\[4\], expected input with shape \[\*, 4\], but got input of "
        r"size \[2, 3\]",
    ),
    (
        lambda: nn.LayerNorm(4)(tg.ones(2, 3)),
        RuntimeError,
        r"normalized_shape=\[4\].*size \[2, 3\]",
    ),
    (lambda: F.layer_norm(tg.ones(4), [2, 4]), RuntimeError, r"\[\*, 2, 4\].*size \[4\]"),
    (lambda: F.layer_norm(tg.ones(2, 4), []), RuntimeError, r"at least 1-dimensional"),
    (lambda: F.layer_norm(tg.ones(2, 4), 4), TypeError, r"tuple of ints, not int"),
    (lambda: F.layer_norm(tg.ones(2, 4), [4.0]), TypeError, r"element of type float at pos 0"),
    (
        lambda: F.layer_norm(tg.ones(2, 4), [4], tg.ones(3)),
        RuntimeError,
        r"weight to be of same shape as normalized_shape, but got weight of shape \[3\] and "
        r"normalized_shape = \[4\]",
    ),
    (lambda: F.layer_norm(tg.ones(2, 4), [4], None, tg.ones(1, 4)), RuntimeError, r"bias of shape"),
    (
        lambda: F.layer_norm(tg.ones(2, 4), [4], tg.ones(4, dtype=np.float64)),
        RuntimeError,
        r"mixed dtypes",
    ),
    (lambda: F.layer_norm(tg.ones(2, 4, dtype=np.int64), [4]), TypeError, r"floating point"),
    (lambda: nn.LayerNorm(4.0), TypeError, r"tuple of ints, not float"),  # type: ignore[arg-type]
    (lambda: nn.LayerNorm([-1]), ValueError, r"normalized_shape must be non-negative"),
    (lambda: nn.LayerNorm(4, device="cuda"), RuntimeError, r"^LayerNorm\(\): .*cuda"),
]


@pytest.mark.parametrize("call, error, message", LN_ERRORS)
def test_layer_norm_refusals_name_the_op_and_shapes(
    call: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call()


def test_layer_norm_refusals_match_torch() -> None:
    torch = pytest.importorskip("torch")
    lnf = torch.nn.functional.layer_norm
    for call in (
        lambda: lnf(torch.ones(2, 3), [4]),
        lambda: lnf(torch.ones(2, 4), []),
        lambda: lnf(torch.ones(2, 4), [4], torch.ones(3)),
        lambda: lnf(torch.ones(2, 4), [4], torch.ones(4, dtype=torch.float64)),
    ):
        with pytest.raises(RuntimeError):
            call()
    with pytest.raises(TypeError):
        lnf(torch.ones(2, 4), 4)

"""Attention and transformers: scaled_dot_product_attention, MultiheadAttention and the
Transformer layers.

Checked against the formula softmax(s·q kᵀ + M) v written out in numpy (hypothesis), by
gradcheck/gradgradcheck in float64, and, where PyTorch is installed, against torch with copied
state_dicts (eval mode, so dropout is off) in float64 and float32: outputs, input gradients and
every parameter's gradient.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.numgrad import gradcheck, gradgradcheck

TOL = {np.float64: 1e-10, np.float32: 2e-4}


def _t(a: np.ndarray, grad: bool = True) -> tg.Tensor:
    return tg.tensor(a, requires_grad=grad and a.dtype.kind == "f")


def _reference(
    q: np.ndarray, k: np.ndarray, v: np.ndarray, mask: np.ndarray | None, scale: float | None
) -> np.ndarray:
    """softmax(s·q kᵀ + M) v in numpy, with 0 for a query that sees no key."""
    s = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    z = q @ np.swapaxes(k, -1, -2) * s
    if mask is not None:
        z = np.where(mask, z, -np.inf) if mask.dtype == bool else z + mask
    dead = np.all(z == -np.inf, axis=-1, keepdims=True)
    z = np.where(dead, 0.0, z)
    e = np.exp(z - z.max(-1, keepdims=True))
    return np.where(dead, 0.0, e / e.sum(-1, keepdims=True)) @ v


# ----------------------------------------------------------------------------- sdpa, no torch


@given(
    st.integers(0, 2**16),
    st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 4), st.integers(1, 3)),
    st.sampled_from([None, "bool", "float"]),
    st.sampled_from([None, 0.5]),
)
def test_sdpa_matches_its_formula(
    seed: int, dims: tuple[int, int, int, int], mask_kind: str | None, scale: float | None
) -> None:
    """out = softmax(s·q kᵀ + M) v, a bool mask True where a query may attend; a fully masked
    row is 0."""
    n, L, S, e = dims
    rng = np.random.default_rng(seed)
    q, k, v = (rng.standard_normal(s) for s in ((n, L, e), (n, S, e), (n, S, e + 1)))
    mask: np.ndarray | None = None
    if mask_kind == "bool":
        mask = rng.random((L, S)) < 0.6
    elif mask_kind == "float":
        mask = np.where(rng.random((L, S)) < 0.3, -np.inf, rng.standard_normal((L, S)))
    out = F.scaled_dot_product_attention(
        _t(q), _t(k), _t(v), None if mask is None else tg.tensor(mask), scale=scale
    )
    np.testing.assert_allclose(out.data, _reference(q, k, v, mask, scale), atol=1e-12)


def test_sdpa_fully_masked_row_is_zero_with_zero_gradients() -> None:
    """Torch's math backend (2.13): a query that may see no key gets 0, and no nan gradient."""
    rng = np.random.default_rng(0)
    q, k, v = (_t(rng.standard_normal(s)) for s in ((3, 4), (5, 4), (5, 2)))
    mask = np.ones((3, 5), dtype=bool)
    mask[1] = False
    out = F.scaled_dot_product_attention(q, k, v, tg.tensor(mask))
    out.sum().backward()
    assert np.all(out.data[1] == 0) and np.all(np.isfinite(out.data))
    assert q.grad is not None and np.all(q.grad.data[1] == 0)
    assert all(np.all(np.isfinite(t.grad.data)) for t in (q, k, v) if t.grad is not None)


def test_sdpa_causal_is_top_left_even_when_lengths_differ() -> None:
    """is_causal lets query i see keys j ≤ i, as torch's tril(ones(L, S))."""
    rng = np.random.default_rng(1)
    for L, S in ((4, 4), (3, 5), (5, 3)):
        q, k, v = (rng.standard_normal(s) for s in ((L, 2), (S, 2), (S, 3)))
        out = F.scaled_dot_product_attention(_t(q), _t(k), _t(v), is_causal=True)
        causal = np.tril(np.ones((L, S), dtype=bool))
        np.testing.assert_allclose(out.data, _reference(q, k, v, causal, None), atol=1e-12)


def test_sdpa_gqa_repeats_key_and_value_heads() -> None:
    rng = np.random.default_rng(2)
    q, k, v = (rng.standard_normal(s) for s in ((1, 4, 3, 2), (1, 2, 5, 2), (1, 1, 5, 3)))
    out = F.scaled_dot_product_attention(_t(q), _t(k), _t(v), enable_gqa=True)
    expected = _reference(q, k.repeat(2, axis=1), v.repeat(4, axis=1), None, None)
    np.testing.assert_allclose(out.data, expected, atol=1e-12)


def test_sdpa_dropout() -> None:
    """dropout_p = 1 drops every weight; otherwise the weights are rescaled by 1/(1 − p) where
    kept, drawn from the global generator (so a seed repeats them)."""
    rng = np.random.default_rng(3)
    q, k = (_t(rng.standard_normal(s)) for s in ((2, 6, 3), (2, 7, 3)))
    v = _t(np.ones((2, 7, 1)))
    assert np.all(F.scaled_dot_product_attention(q, k, v, dropout_p=1.0).data == 0)
    tg.manual_seed(0)
    a = F.scaled_dot_product_attention(q, k, v, dropout_p=0.5)
    tg.manual_seed(0)
    b = F.scaled_dot_product_attention(q, k, v, dropout_p=0.5)
    np.testing.assert_array_equal(a.data, b.data)
    # With v = 1, each output is (1/(1 − p))·(sum of the kept weights) ≤ 2.
    assert np.all(a.data <= 2 + 1e-12) and not np.allclose(a.data, 1.0)


def test_sdpa_gradcheck_and_gradgradcheck() -> None:
    rng = np.random.default_rng(4)
    q, k, v = (_t(rng.standard_normal(s)) for s in ((2, 3, 2), (2, 4, 2), (2, 4, 3)))
    m = _t(rng.standard_normal((3, 4)))  # a float mask is differentiable too
    bool_mask = tg.tensor(rng.random((3, 4)) < 0.7)

    def f(q: tg.Tensor, k: tg.Tensor, v: tg.Tensor, m: tg.Tensor) -> tg.Tensor:
        return F.scaled_dot_product_attention(q, k, v, m, scale=0.7)

    def g(q: tg.Tensor, k: tg.Tensor, v: tg.Tensor) -> tg.Tensor:
        return F.scaled_dot_product_attention(q, k, v, bool_mask)

    assert gradcheck(f, [q, k, v, m])
    assert gradgradcheck(f, [q, k, v, m])
    assert gradcheck(g, [q, k, v])
    assert gradcheck(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True), [q, k, v]
    )


SDPA_ERRORS: list[tuple[str, Any, type[Exception]]] = [
    (
        "causal and mask",
        lambda T: dict(attn_mask=T.ones(3, 5, dtype=bool), is_causal=True),
        RuntimeError,
    ),
    ("int mask", lambda T: dict(attn_mask=T.zeros(3, 5, dtype=T.int64)), RuntimeError),
    ("mask shape", lambda T: dict(attn_mask=T.zeros(4, 5, dtype=T.float64)), RuntimeError),
    ("dropout_p", lambda T: dict(dropout_p=1.5), RuntimeError),
]


def _qkv(T: Any, dtype: Any) -> tuple[Any, Any, Any]:
    rng = np.random.default_rng(5)
    return tuple(
        T.tensor(rng.standard_normal(s)).to(dtype) for s in ((2, 3, 4), (2, 5, 4), (2, 5, 6))
    )


@pytest.mark.parametrize("name, kwargs, kind", SDPA_ERRORS, ids=[e[0] for e in SDPA_ERRORS])
def test_sdpa_errors(name: str, kwargs: Any, kind: type[Exception]) -> None:
    q, k, v = _qkv(tg, tg.float64)
    with pytest.raises(kind, match="scaled_dot_product_attention"):
        F.scaled_dot_product_attention(q, k, v, **kwargs(tg))


def test_sdpa_shape_and_dtype_errors_name_the_shapes() -> None:
    q, k, v = _qkv(tg, tg.float64)
    with pytest.raises(RuntimeError, match=r"\(2, 3, 4\), \(2, 5, 3\)"):
        F.scaled_dot_product_attention(q, k[..., :3], v)
    with pytest.raises(RuntimeError, match="disagree"):
        F.scaled_dot_product_attention(q, k, v[:, :4])
    with pytest.raises(RuntimeError, match="do not broadcast"):
        F.scaled_dot_product_attention(q, k.repeat(2, 1, 1)[:3], v.repeat(2, 1, 1)[:3])
    with pytest.raises(RuntimeError, match="same dtype"):
        F.scaled_dot_product_attention(q, k.float(), v)
    with pytest.raises(RuntimeError, match="at least 2-d"):
        F.scaled_dot_product_attention(q[0, 0], k[0, 0], v[0, 0])
    with pytest.raises(RuntimeError, match="must divide"):
        F.scaled_dot_product_attention(
            q[None], k[None, :1].repeat(1, 3, 1, 1), v[None], enable_gqa=True
        )
    with pytest.raises(TypeError, match="argument 'query' must be Tensor"):
        F.scaled_dot_product_attention(q.numpy(), k, v)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- against torch


def _torch() -> Any:
    return pytest.importorskip("torch")


def _copy(ours: nn.Module, theirs: Any) -> None:
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})


def _compare(
    torch: Any,
    ours: tuple[tg.Tensor, ...],
    theirs: tuple[Any, ...],
    our_leaves: list[tuple[str, tg.Tensor]],
    their_leaves: list[tuple[str, Any]],
    tol: float,
) -> None:
    """Values equal; then the gradients of Σ w ⊙ out (a fixed random w per output) equal."""
    rng = np.random.default_rng(6)
    loss_ours: Any = 0.0
    loss_theirs: Any = 0.0
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.data, b.detach().numpy(), rtol=tol, atol=tol)
        w = rng.standard_normal(a.shape)
        loss_ours = loss_ours + (a * tg.tensor(w).to(a.dtype)).sum()
        loss_theirs = loss_theirs + (b * torch.tensor(w).to(b.dtype)).sum()
    loss_ours.backward()
    loss_theirs.backward()
    assert [n for n, _ in our_leaves] == [n for n, _ in their_leaves]
    for (name, a), (_, b) in zip(our_leaves, their_leaves):
        if b.grad is None:
            assert a.grad is None or np.all(a.grad.data == 0), name
            continue
        assert a.grad is not None, name
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=tol, atol=tol, err_msg=name)


def _pair(torch: Any, a: np.ndarray, dtype: Any) -> tuple[tg.Tensor, Any]:
    return _t(a.astype(dtype)), torch.tensor(a.astype(dtype), requires_grad=a.dtype.kind == "f")


SDPA_CASES = [
    ((2, 3, 4), (2, 5, 4), (2, 5, 6), {}),
    ((3, 4), (5, 4), (5, 2), {"is_causal": True}),
    ((2, 2, 5, 4), (1, 2, 3, 4), (2, 1, 3, 4), {"is_causal": True, "scale": 0.3}),
    ((2, 3, 4), (2, 5, 4), (2, 5, 6), {"attn_mask": "bool"}),
    ((2, 3, 4), (2, 5, 4), (2, 5, 6), {"attn_mask": "float"}),
    ((1, 4, 3, 2), (1, 2, 5, 2), (1, 1, 5, 3), {"enable_gqa": True, "attn_mask": "bool"}),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("case", SDPA_CASES, ids=[str(c[3]) for c in SDPA_CASES])
def test_sdpa_matches_torch(dtype: Any, case: Any) -> None:
    torch = _torch()
    qs, ks, vs, kwargs = case
    rng = np.random.default_rng(7)
    pairs = [_pair(torch, rng.standard_normal(s), dtype) for s in (qs, ks, vs)]
    ours_kw, theirs_kw = dict(kwargs), dict(kwargs)
    L, S = qs[-2], ks[-2]
    if kwargs.get("attn_mask") == "bool":
        m = rng.random((L, S)) < 0.6
        m[0] = False  # a query that sees nothing
        ours_kw["attn_mask"], theirs_kw["attn_mask"] = tg.tensor(m), torch.tensor(m)
    elif kwargs.get("attn_mask") == "float":
        m = np.where(rng.random((L, S)) < 0.3, -np.inf, rng.standard_normal((L, S))).astype(dtype)
        m[1] = -np.inf
        pairs.append(_pair(torch, m, dtype))
        ours_kw["attn_mask"], theirs_kw["attn_mask"] = pairs[-1]
    out = F.scaled_dot_product_attention(*(p[0] for p in pairs[:3]), **ours_kw)
    ref = torch.nn.functional.scaled_dot_product_attention(*(p[1] for p in pairs[:3]), **theirs_kw)
    names = ["query", "key", "value", "attn_mask"][: len(pairs)]
    _compare(
        torch,
        (out,),
        (ref,),
        list(zip(names, (p[0] for p in pairs))),
        list(zip(names, (p[1] for p in pairs))),
        TOL[dtype],
    )


@pytest.mark.parametrize("name, kwargs, kind", SDPA_ERRORS, ids=[e[0] for e in SDPA_ERRORS])
def test_sdpa_errors_are_torchs_kind(name: str, kwargs: Any, kind: type[Exception]) -> None:
    torch = _torch()
    with pytest.raises(kind):
        torch.nn.functional.scaled_dot_product_attention(
            *_qkv(torch, torch.float64), **kwargs(torch)
        )


# ----------------------------------------------------------------------------- MultiheadAttention

MHA_CASES: list[dict[str, Any]] = [
    {},
    {"batch_first": True, "masks": "bool", "need_weights": False},
    {"masks": "float", "average_attn_weights": False},
    {"bias": False, "add_zero_attn": True, "masks": "bool"},
    {"add_bias_kv": True, "kdim": 3, "vdim": 5, "masks": "bool"},
    {"self": True, "causal": True, "need_weights": False},
    {"self": True, "causal": True, "masks": "bool", "batch_first": True},
    {"unbatched": True, "masks": "bool"},
    {"unbatched": True, "masks": "3d", "need_weights": False},
]
MODULE_KEYS = ("bias", "add_bias_kv", "add_zero_attn", "kdim", "vdim", "batch_first")


def _mha_inputs(
    case: dict[str, Any], rng: np.random.Generator, n: int, L: int, S: int, e: int
) -> tuple[list[np.ndarray], dict[str, np.ndarray]]:
    """query, key, value (sequence first unless batch_first; unbatched drops n) and masks."""
    unbatched = case.get("unbatched", False)

    def shape(t: int, width: int) -> tuple[int, ...]:
        if unbatched:
            return (t, width)
        return (n, t, width) if case.get("batch_first") else (t, n, width)

    if case.get("self"):
        x = rng.standard_normal(shape(L, e))
        arrays = [x, x, x]
    else:
        kdim, vdim = case.get("kdim", e), case.get("vdim", e)
        arrays = [rng.standard_normal(shape(L, e)), rng.standard_normal(shape(S, kdim))]
        arrays.append(rng.standard_normal(shape(S, vdim)))
    S = arrays[1].shape[-2] if case.get("batch_first") or unbatched else arrays[1].shape[0]
    masks: dict[str, np.ndarray] = {}
    kind = case.get("masks")
    if case.get("causal"):
        masks["attn_mask"] = np.triu(np.ones((L, L), dtype=bool), 1)
    if kind in ("bool", "float"):
        pad = rng.random((n, S) if not unbatched else (S,)) < 0.3
        pad[..., 0] = False
        masks["key_padding_mask"] = pad
        if "attn_mask" not in masks:
            am = rng.random((L, S)) < 0.3
            am[:, 1] = False
            masks["attn_mask"] = am
        if kind == "float":
            masks = {
                k: np.where(m, -np.inf, rng.standard_normal(m.shape)) for k, m in masks.items()
            }
    elif kind == "3d":
        masks["attn_mask"] = rng.standard_normal((2, L, S))  # (heads, L, S) unbatched
    return arrays, masks


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("case", MHA_CASES, ids=[str(c) for c in MHA_CASES])
def test_multihead_attention_matches_torch(dtype: Any, case: dict[str, Any]) -> None:
    torch = _torch()
    torch.manual_seed(0)
    e, heads = 4, 2
    kw = {k: case[k] for k in MODULE_KEYS if k in case}
    theirs = (
        torch.nn.MultiheadAttention(e, heads, dropout=0.5, **kw)
        .to(torch.float64 if dtype == np.float64 else torch.float32)
        .eval()
    )
    ours = nn.MultiheadAttention(e, heads, dropout=0.5, dtype=dtype, **kw).eval()
    _copy(ours, theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    rng = np.random.default_rng(8)
    arrays, masks = _mha_inputs(case, rng, 2, 3, 5, e)
    if case.get("self"):
        x_ours, x_theirs = _pair(torch, arrays[0], dtype)
        inputs = [(x_ours, x_theirs)] * 3
    else:
        inputs = [_pair(torch, a, dtype) for a in arrays]
    call = {k: case[k] for k in ("need_weights", "average_attn_weights") if k in case}
    if case.get("causal"):
        call["is_causal"] = True
    masks_ours = {k: tg.tensor(m if m.dtype == bool else m.astype(dtype)) for k, m in masks.items()}
    masks_theirs = {
        k: torch.tensor(m if m.dtype == bool else m.astype(dtype)) for k, m in masks.items()
    }
    out, w = ours(*(p[0] for p in inputs), **masks_ours, **call)
    ref, ref_w = theirs(*(p[1] for p in inputs), **masks_theirs, **call)
    assert (w is None) == (ref_w is None)
    leaves_ours = [
        (f"input{i}", p[0]) for i, p in enumerate(inputs[: 1 if case.get("self") else 3])
    ]
    leaves_theirs = [
        (f"input{i}", p[1]) for i, p in enumerate(inputs[: 1 if case.get("self") else 3])
    ]
    _compare(
        torch,
        (out,) if w is None else (out, w),
        (ref,) if ref_w is None else (ref, ref_w),
        leaves_ours + list(ours.named_parameters()),
        leaves_theirs + list(theirs.named_parameters()),
        TOL[dtype],
    )


def test_multihead_attention_gradcheck() -> None:
    """Through every input and projection of a small multi-head attention with a padding mask,
    a learned key/value (bias_k, bias_v), zero attention and separate key width: the functional
    form, so that gradcheck's fresh copies of the parameters are the ones used."""
    tg.manual_seed(0)
    mha = nn.MultiheadAttention(
        4, 2, add_bias_kv=True, add_zero_attn=True, kdim=3, dtype=tg.float64
    )
    rng = np.random.default_rng(9)
    q, k, v = (_t(rng.standard_normal(s)) for s in ((3, 2, 4), (5, 2, 3), (5, 2, 4)))
    pad = tg.tensor(np.array([[False] * 4 + [True], [False] * 5]))
    names = [n for n, _ in mha.named_parameters()]
    assert names == [
        "q_proj_weight",
        "k_proj_weight",
        "v_proj_weight",
        "in_proj_bias",
        "bias_k",
        "bias_v",
        "out_proj.weight",
        "out_proj.bias",
    ]

    def f(q: tg.Tensor, k: tg.Tensor, v: tg.Tensor, *ps: tg.Tensor) -> tuple[tg.Tensor, ...]:
        wq, wk, wv, b_in, bk, bv, wo, bo = ps
        out, w = F.multi_head_attention_forward(
            q, k, v, 4, 2, None, b_in, bk, bv, True, 0.0, wo, bo,
            key_padding_mask=pad, use_separate_proj_weight=True,
            q_proj_weight=wq, k_proj_weight=wk, v_proj_weight=wv,
        )  # fmt: skip
        assert w is not None
        return out, w

    assert gradcheck(f, [q, k, v, *mha.parameters()])


def test_multihead_attention_weights_of_a_fully_masked_query_are_nan_as_torchs() -> None:
    """need_weights takes torch's plain-softmax path (nan row); need_weights=False the sdpa path
    (0 row), as in torch 2.13."""
    mha = nn.MultiheadAttention(4, 2, dtype=tg.float64)
    x = tg.tensor(np.random.default_rng(10).standard_normal((3, 1, 4)))
    mask = np.zeros((3, 3), dtype=bool)
    mask[0] = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy's 0/0 in the softmax
        out, w = mha(x, x, x, attn_mask=tg.tensor(mask))
    assert w is not None and np.all(np.isnan(w.data[0, 0])) and np.all(np.isnan(out.data[0]))
    out, _ = mha(x, x, x, attn_mask=tg.tensor(mask), need_weights=False)
    np.testing.assert_allclose(out.data[0, 0], mha.out_proj.bias.data)  # type: ignore[union-attr]


MHA_ERRORS: list[tuple[str, Any, type[Exception]]] = [
    ("4-d query", lambda T, m, x: m(x[None], x[None], x[None]), AssertionError),
    ("2-d key", lambda T, m, x: m(x, x[0], x), AssertionError),
    (
        "attn_mask 2-d shape",
        lambda T, m, x: m(x, x, x, attn_mask=T.zeros(3, 4, dtype=bool)),
        RuntimeError,
    ),
    (
        "attn_mask 3-d shape",
        lambda T, m, x: m(x, x, x, attn_mask=T.zeros(3, 3, 3, dtype=bool)),
        RuntimeError,
    ),
    (
        "attn_mask 4-d",
        lambda T, m, x: m(x, x, x, attn_mask=T.zeros(1, 4, 3, 3, dtype=bool)),
        AssertionError,
    ),
    (
        "padding mask shape",
        lambda T, m, x: m(x, x, x, key_padding_mask=T.zeros(2, 4, dtype=bool)),
        AssertionError,
    ),
    (
        "int mask",
        lambda T, m, x: m(x, x, x, attn_mask=T.zeros(3, 3, dtype=T.int64)),
        AssertionError,
    ),
    ("embed_dim", lambda T, m, x: m(x[..., :2], x[..., :2], x[..., :2]), AssertionError),
    ("causal without mask", lambda T, m, x: m(x, x, x, is_causal=True), RuntimeError),
]


def _mha_error_case(T: Any, nn_: Any) -> tuple[Any, Any]:
    m = nn_.MultiheadAttention(4, 2)
    x = T.tensor(np.random.default_rng(11).standard_normal((3, 2, 4)).astype(np.float32))
    return m, x


@pytest.mark.parametrize("name, call, kind", MHA_ERRORS, ids=[e[0] for e in MHA_ERRORS])
def test_multihead_attention_errors(name: str, call: Any, kind: type[Exception]) -> None:
    m, x = _mha_error_case(tg, nn)
    with pytest.raises(kind) as info:
        call(tg, m, x)
    assert str(info.value)
    torch = pytest.importorskip("torch")
    with pytest.raises(kind):
        call(torch, *_mha_error_case(torch, torch.nn))


def test_multihead_attention_constructor_errors() -> None:
    with pytest.raises(AssertionError, match="divisible"):
        nn.MultiheadAttention(5, 2)
    with pytest.raises(ValueError, match="greater than 0"):
        nn.MultiheadAttention(4, 0)
    with pytest.raises(TypeError, match="embed_dim"):
        nn.MultiheadAttention(4.0, 2)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- transformers


def test_generate_square_subsequent_mask() -> None:
    m = nn.Transformer.generate_square_subsequent_mask(3)
    expected = np.array([[0, -np.inf, -np.inf], [0, 0, -np.inf], [0, 0, 0]])
    np.testing.assert_array_equal(m.data, expected)
    assert m.dtype == tg.get_default_dtype()
    assert nn.Transformer.generate_square_subsequent_mask(2, dtype=tg.float64).dtype == tg.float64


def _tanh(x: Any) -> Any:
    return x.tanh()


LAYER_CASES: list[dict[str, Any]] = [
    {},
    {"norm_first": True, "activation": "gelu", "batch_first": True},
    {"activation": _tanh, "bias": False, "layer_norm_eps": 1e-3},
    {"norm_first": True, "unbatched": True},
]


def _seq(case: dict[str, Any], rng: np.random.Generator, t: int, n: int, e: int) -> np.ndarray:
    if case.get("unbatched"):
        return rng.standard_normal((t, e))
    return rng.standard_normal((n, t, e) if case.get("batch_first") else (t, n, e))


def _layer_kwargs(case: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in case.items() if k != "unbatched"}


def _padding(torch: Any, case: dict[str, Any], rng: np.random.Generator, n: int, t: int) -> Any:
    pad = rng.random(t if case.get("unbatched") else (n, t)) < 0.3
    pad[..., 0] = False
    return tg.tensor(pad), torch.tensor(pad)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("case", LAYER_CASES, ids=[str(c) for c in LAYER_CASES])
def test_encoder_and_decoder_layers_match_torch(dtype: Any, case: dict[str, Any]) -> None:
    torch = _torch()
    torch.manual_seed(1)
    tdt = torch.float64 if dtype == np.float64 else torch.float32
    kw = _layer_kwargs(case)
    rng = np.random.default_rng(12)
    S, T, n, e = 5, 4, 2, 4
    src = _pair(torch, _seq(case, rng, S, n, e), dtype)
    tgt = _pair(torch, _seq(case, rng, T, n, e), dtype)
    src_pad = _padding(torch, case, rng, n, S)
    causal = nn.Transformer.generate_square_subsequent_mask(T, dtype=dtype)
    causal_t = torch.nn.Transformer.generate_square_subsequent_mask(T, dtype=tdt)

    enc_t = torch.nn.TransformerEncoderLayer(e, 2, 8, **kw).to(tdt).eval()
    enc = nn.TransformerEncoderLayer(e, 2, 8, dtype=dtype, **kw).eval()
    _copy(enc, enc_t)
    mem = enc(src[0], src_key_padding_mask=src_pad[0])
    mem_t = enc_t(src[1], src_key_padding_mask=src_pad[1])

    dec_t = torch.nn.TransformerDecoderLayer(e, 2, 8, **kw).to(tdt).eval()
    dec = nn.TransformerDecoderLayer(e, 2, 8, dtype=dtype, **kw).eval()
    _copy(dec, dec_t)
    out = dec(tgt[0], mem, tgt_mask=causal, memory_key_padding_mask=src_pad[0], tgt_is_causal=True)
    out_t = dec_t(
        tgt[1], mem_t, tgt_mask=causal_t, memory_key_padding_mask=src_pad[1], tgt_is_causal=True
    )
    _compare(
        torch,
        (mem, out),
        (mem_t, out_t),
        [("src", src[0]), ("tgt", tgt[0]), *enc.named_parameters(), *dec.named_parameters()],
        [("src", src[1]), ("tgt", tgt[1]), *enc_t.named_parameters(), *dec_t.named_parameters()],
        TOL[dtype],
    )


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("batch_first", [False, True])
def test_transformer_matches_torch(dtype: Any, batch_first: bool) -> None:
    """The whole model: 2 encoder and 2 decoder layers, causal target mask (detected from the
    mask: tgt_is_causal=None), padding masks on source, target and memory."""
    torch = _torch()
    torch.manual_seed(2)
    tdt = torch.float64 if dtype == np.float64 else torch.float32
    case = {"batch_first": batch_first}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch's nested-tensor notice
        theirs = torch.nn.Transformer(4, 2, 2, 2, 8, batch_first=batch_first).to(tdt).eval()
    ours = nn.Transformer(4, 2, 2, 2, 8, batch_first=batch_first, dtype=dtype).eval()
    _copy(ours, theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    rng = np.random.default_rng(13)
    S, T, n = 5, 3, 2
    src = _pair(torch, _seq(case, rng, S, n, 4), dtype)
    tgt = _pair(torch, _seq(case, rng, T, n, 4), dtype)
    src_pad, tgt_pad = _padding(torch, case, rng, n, S), _padding(torch, case, rng, n, T)
    causal = nn.Transformer.generate_square_subsequent_mask(T, dtype=dtype)
    causal_t = torch.nn.Transformer.generate_square_subsequent_mask(T, dtype=tdt)
    # A float causal mask with bool padding masks: torch's deprecation warning, from both.
    with pytest.warns(UserWarning, match="mismatched key_padding_mask and attn_mask"):
        out = ours(
            src[0], tgt[0], tgt_mask=causal, src_key_padding_mask=src_pad[0],
            tgt_key_padding_mask=tgt_pad[0], memory_key_padding_mask=src_pad[0],
        )  # fmt: skip
    with pytest.warns(UserWarning, match="mismatched key_padding_mask and attn_mask"):
        ref = theirs(
            src[1], tgt[1], tgt_mask=causal_t, src_key_padding_mask=src_pad[1],
            tgt_key_padding_mask=tgt_pad[1], memory_key_padding_mask=src_pad[1],
        )  # fmt: skip
    _compare(
        torch,
        (out,),
        (ref,),
        [("src", src[0]), ("tgt", tgt[0]), *ours.named_parameters()],
        [("src", src[1]), ("tgt", tgt[1]), *theirs.named_parameters()],
        TOL[dtype],
    )


def test_encoder_stack_with_causal_mask_matches_torch() -> None:
    """A bool src mask (True = may not attend) and is_causal=None: the mask is made additive
    and detected as causal, the result is the masked one."""
    torch = _torch()
    torch.manual_seed(3)
    layer_t = torch.nn.TransformerEncoderLayer(4, 2, 8, dtype=torch.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        theirs = torch.nn.TransformerEncoder(
            layer_t, 3, torch.nn.LayerNorm(4, dtype=torch.float64)
        ).eval()
    ours = nn.TransformerEncoder(
        nn.TransformerEncoderLayer(4, 2, 8, dtype=tg.float64), 3, nn.LayerNorm(4, dtype=tg.float64)
    ).eval()
    _copy(ours, theirs)
    src = _pair(torch, np.random.default_rng(14).standard_normal((4, 2, 4)), np.float64)
    mask = np.triu(np.ones((4, 4), dtype=bool), 1)
    out = ours(src[0], mask=tg.tensor(mask))
    ref = theirs(src[1], mask=torch.tensor(mask))
    _compare(
        torch,
        (out,),
        (ref,),
        [("src", src[0]), *ours.named_parameters()],
        [("src", src[1]), *theirs.named_parameters()],
        TOL[np.float64],
    )


def test_encoder_layer_dropout_trains_and_evaluates() -> None:
    """Dropout is on while training (a different result per draw) and off in eval mode."""
    tg.manual_seed(4)
    layer = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.5, dtype=tg.float64)
    x = tg.tensor(np.random.default_rng(15).standard_normal((3, 2, 4)))
    a, b = layer(x), layer(x)
    assert not np.allclose(a.data, b.data)
    layer.eval()
    np.testing.assert_array_equal(layer(x).data, layer(x).data)


def test_transformer_errors() -> None:
    model = nn.Transformer(4, 2, 1, 1, 8)
    x = tg.zeros(3, 2, 4)
    with pytest.raises(RuntimeError, match="batch number"):
        model(x, tg.zeros(3, 3, 4))
    with pytest.raises(RuntimeError, match="d_model"):
        model(x, tg.zeros(3, 2, 5))
    with pytest.raises(RuntimeError, match="relu/gelu, not tanh"):
        nn.TransformerEncoderLayer(4, 2, activation="tanh")
    with pytest.raises(AssertionError, match="divisible"):
        nn.TransformerDecoderLayer(5, 2)
    with pytest.raises(TypeError, match="Module"):
        nn.TransformerEncoder(lambda x: x, 2)  # type: ignore[arg-type]


def test_sdpa_empty_dims() -> None:
    """No keys: every query gets 0; no features (E = 0): every score is 0, so each query gets
    the mean of the values, as torch's."""
    rng = np.random.default_rng(16)
    q, k, v = (_t(rng.standard_normal(s)) for s in ((2, 3, 4), (2, 0, 4), (2, 0, 5)))
    out = F.scaled_dot_product_attention(q, k, v)
    assert out.shape == (2, 3, 5) and np.all(out.data == 0)
    v2 = rng.standard_normal((2, 6, 5))
    out = F.scaled_dot_product_attention(_t(np.ones((2, 3, 0))), _t(np.ones((2, 6, 0))), _t(v2))
    np.testing.assert_allclose(out.data, np.broadcast_to(v2.mean(1, keepdims=True), (2, 3, 5)))

"""Attention, composed of ``matmul``, ``masked_fill``, ``softmax`` and ``linear``.

Scaled dot-product attention of queries q (L, E) over keys k (S, E) and values v (S, Eᵥ) is

    A = softmax(s · q kᵀ + M),      out = A v,      s = 1/√E by default,

the softmax taken over the S keys of each query, and M an additive mask: 0 where a query may
look at a key, −∞ where it may not (a bool mask is turned into one). Its adjoints come from the
rules of the ops it is built of: v̄ = Aᵀ ḡ, Ā = ḡ vᵀ, and through the softmax
S̄ = A ⊙ (Ā − Σ_keys Ā ⊙ A), q̄ = s S̄ k, k̄ = s S̄ᵀ q.

A query whose every key is masked would divide 0 by 0. Torch's math backend (2.13) gives such a
row 0 (its ``_safe_softmax``), with zero gradients, and so does ``scaled_dot_product_attention``
here; multi-head attention asked for its weights (``need_weights=True``) takes torch's plain
softmax path there, whose row is nan, as torch's.

Multi-head attention projects the inputs (q = query W_qᵀ + b_q, …), splits E into h heads of
E/h, attends in each head separately and projects the concatenated heads back (out W_oᵀ + b_o).

PyTorch equivalents: ``torch.nn.functional.scaled_dot_product_attention`` and
``multi_head_attention_forward``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._dropout import noise_dropout
from ._warn import warn
from .autograd import broadcasts_to
from .ops import OPS
from .tensor import OpError, Tensor, _apply, _expect_tensor, cat

__all__ = ["AttentionShapeError", "multi_head_attention_forward", "scaled_dot_product_attention"]


class AttentionShapeError(ValueError, AssertionError):
    """Multi-head attention refused its inputs' shapes: a ValueError, as Python code expects, and
    an AssertionError, the kind torch's ``multi_head_attention_forward`` raises there."""


def _check_qkv(query: Any, key: Any, value: Any, op: str) -> None:
    for name, t in (("query", query), ("key", key), ("value", value)):
        _expect_tensor(t, op, name)
    dtypes = (query.dtype, key.dtype, value.dtype)
    if len(set(dtypes)) != 1:
        raise OpError(
            f"{op}(): expected query, key and value to have the same dtype, got query.dtype "
            f"{dtypes[0]}, key.dtype {dtypes[1]} and value.dtype {dtypes[2]}"
        )
    if query.dtype.kind != "f":
        raise TypeError(f"{op}(): query, key and value must be floating point, got {query.dtype}")


def _check_p(p: Any, op: str) -> float:
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)):
        raise TypeError(f"{op}(): dropout_p must be a float, got {type(p).__name__} {p!r}")
    if not 0.0 <= p <= 1.0:
        raise OpError(f"{op}(): dropout probability has to be between 0 and 1, but got {p}")
    return float(p)


def _safe_softmax(scores: Tensor) -> Tensor:
    """softmax over the last dim, with 0 for a row that is −∞ throughout (torch's
    ``_safe_softmax``): the row is set to 0 before the softmax too, so that its gradient is 0,
    not the nan of a softmax of −∞ everywhere."""
    dead = np.all(scores.data == -np.inf, axis=-1, keepdims=True)
    if not dead.any():
        return scores.softmax(-1)
    return scores.masked_fill(dead, 0.0).softmax(-1).masked_fill(dead, 0.0)


def _repeat_heads(x: Tensor, heads: int, name: str) -> Tensor:
    """Grouped-query attention: each of x's heads (dim −3) serves heads / (its heads) queries."""
    if x.ndim < 3 or x.shape[-3] == 0 or heads % x.shape[-3] != 0:
        raise OpError(
            "scaled_dot_product_attention(): with enable_gqa, the number of heads (dim -3) of key "
            f"and value must divide the number of heads in query, {heads}; {name} has shape "
            f"{x.shape}"
        )
    return x.repeat_interleave(heads // x.shape[-3], -3)


def scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask: Tensor | None = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
) -> Tensor:
    """softmax(s · q kᵀ + M) v over the last two dims, batch dims broadcast
    (``F.scaled_dot_product_attention``): query (…, L, E), key (…, S, E), value (…, S, Eᵥ) give
    (…, L, Eᵥ).

    ``attn_mask`` broadcasts to (…, L, S): a bool mask is True where the query may attend (note:
    the opposite of ``MultiheadAttention``'s bool masks), a float mask is added to the scores.
    ``is_causal`` lets query i see keys j ≤ i (the top-left lower triangle, as torch's, also when
    L ≠ S) and excludes ``attn_mask``. ``scale`` defaults to 1/√E. ``dropout_p`` drops attention
    weights whenever it is positive (there is no ``training`` flag, as in torch).
    ``enable_gqa`` repeats each head of key and value (dim −3) for a group of query heads.
    A query that may see no key gets 0 and zero gradients, as torch's math backend.
    """
    op = "scaled_dot_product_attention"
    _check_qkv(query, key, value, op)
    p = _check_p(dropout_p, op)
    if not isinstance(is_causal, (bool, np.bool_)):
        raise TypeError(
            f"{op}(): argument 'is_causal' must be bool, not {type(is_causal).__name__}"
        )
    if scale is not None and not isinstance(scale, (int, float, np.integer, np.floating)):
        raise TypeError(f"{op}(): argument 'scale' must be a float or None, got {scale!r}")
    if min(query.ndim, key.ndim, value.ndim) < 2:
        raise OpError(
            f"{op}(): query, key and value must be at least 2-d, got shapes {query.shape}, "
            f"{key.shape} and {value.shape}"
        )
    if enable_gqa and query.ndim >= 3:
        key = _repeat_heads(key, query.shape[-3], "key")
        value = _repeat_heads(value, query.shape[-3], "value")
    if key.shape[-1] != query.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise OpError(
            f"{op}(): query (…, L, E), key (…, S, E) and value (…, S, Ev) disagree: shapes "
            f"{query.shape}, {key.shape} and {value.shape}"
        )
    try:
        batch = np.broadcast_shapes(query.shape[:-2], key.shape[:-2], value.shape[:-2])
    except ValueError:
        raise OpError(
            f"{op}(): the batch dims of query {query.shape}, key {key.shape} and value "
            f"{value.shape} do not broadcast"
        ) from None
    L, S = query.shape[-2], key.shape[-2]
    e = query.shape[-1]
    # With E = 0 every score is an empty sum, 0, and stays 0 (torch's: the mean of the values).
    s = (1.0 / math.sqrt(e) if e > 0 else 1.0) if scale is None else float(scale)
    scores = (query @ key.mT) * s
    if is_causal:
        if attn_mask is not None:
            raise OpError(f"{op}(): an explicit attn_mask should not be set when is_causal=True")
        scores = scores.masked_fill(~np.tril(np.ones((L, S), dtype=bool)), -math.inf)
    elif attn_mask is not None:
        _expect_tensor(attn_mask, op, "attn_mask")
        if not broadcasts_to(attn_mask.shape, (*batch, L, S)):
            raise OpError(
                f"{op}(): attn_mask of shape {attn_mask.shape} does not broadcast to the scores' "
                f"shape {(*batch, L, S)} (batch…, L, S)"
            )
        if attn_mask.dtype == np.bool_:
            scores = scores.masked_fill(~attn_mask.data, -math.inf)
        elif attn_mask.dtype.kind == "f":
            scores = scores + attn_mask.to(query.dtype)
        else:
            raise OpError(
                f"{op}(): expected attn_mask dtype to be bool or float, got {attn_mask.dtype}"
            )
    weights = _safe_softmax(scores)
    if p > 0.0:
        weights = noise_dropout(
            weights, p, "scaled_dot_product_attention", feature=False, alpha=False
        )
    return weights @ value


# ----------------------------------------------------------------------------- multi-head


def _canonical_mask(
    mask: Any, name: str, dtype: np.dtype[Any], other: Any = None, other_name: str = ""
) -> Tensor | None:
    """A key padding or attention mask as an additive float mask: True (masked out) becomes −∞.

    Torch's ``_canonical_mask``, including its warning when the two masks' dtypes differ."""
    if mask is None:
        return None
    _expect_tensor(mask, "multi_head_attention_forward", name)
    if mask.dtype != np.bool_ and mask.dtype.kind != "f":
        raise AttentionShapeError(f"only bool and floating types of {name} are supported")
    if isinstance(other, Tensor) and other.dtype != mask.dtype:
        warn(
            f"Support for mismatched {name} and {other_name} is deprecated. "
            "Use same type for both instead.",
        )
    m: Tensor = mask
    if m.dtype == np.bool_:
        return Tensor._make(np.where(m.data, -np.inf, 0.0).astype(dtype))
    return m.to(dtype)


def _check_mha_shapes(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    key_padding_mask: Any,
    attn_mask: Any,
    num_heads: int,
) -> bool:
    """Whether the inputs are batched (3-d) rather than unbatched (2-d): torch's checks."""
    if query.ndim not in (2, 3):
        raise AttentionShapeError(
            f"query should be unbatched 2D or batched 3D tensor but received {query.ndim}-D "
            f"query tensor (shape {query.shape})"
        )
    batched = query.ndim == 3
    kind = "batched (3-D)" if batched else "unbatched (2-D)"
    if key.ndim != query.ndim or value.ndim != query.ndim:
        raise AttentionShapeError(
            f"For {kind} `query`, expected `key` and `value` to be {query.ndim}-D but found "
            f"{key.ndim}-D and {value.ndim}-D tensors respectively"
        )
    if isinstance(key_padding_mask, Tensor) and key_padding_mask.ndim != query.ndim - 1:
        raise AttentionShapeError(
            f"For {kind} `query`, expected `key_padding_mask` to be `None` or "
            f"{query.ndim - 1}-D but found {key_padding_mask.ndim}-D tensor instead"
        )
    if isinstance(attn_mask, Tensor):
        if attn_mask.ndim not in (2, 3):
            raise AttentionShapeError(
                f"For {kind} `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                f"{attn_mask.ndim}-D tensor instead"
            )
        expected = (num_heads, query.shape[0], key.shape[0])
        if not batched and attn_mask.ndim == 3 and attn_mask.shape != expected:
            raise AttentionShapeError(
                f"Expected `attn_mask` shape to be {expected} but got {attn_mask.shape}"
            )
    return batched


def _linear(x: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    """x Wᵀ + b (``F.linear``, one op with a bias)."""
    if bias is None:
        return x @ weight.T
    return _apply(OPS["linear"], x, weight, bias)


def _pad_key(mask: Tensor | None) -> Tensor | None:
    """One more key (a bias or zero key) that every query may attend: a 0 column."""
    if mask is None:
        return None
    return cat([mask, Tensor._make(np.zeros((*mask.shape[:-1], 1), dtype=mask.dtype))], -1)


def _heads(x: Tensor, bsz: int, num_heads: int, head_dim: int) -> Tensor:
    """(T, N, h·d) → (N·h, T, d): the heads of each example side by side in the batch dim."""
    return x.reshape(x.shape[0], bsz * num_heads, head_dim).transpose(0, 1)


def _static(t: Any, name: str, bsz: int, num_heads: int, head_dim: int) -> Tensor:
    _expect_tensor(t, "multi_head_attention_forward", name)
    if t.ndim != 3 or t.shape[0] != bsz * num_heads or t.shape[2] != head_dim:
        raise AttentionShapeError(
            f"expecting {name} of shape ({bsz * num_heads}, S, {head_dim}) (batch·heads, S, "
            f"head_dim), but got {t.shape}"
        )
    static: Tensor = t
    return static


def multi_head_attention_forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    embed_dim_to_check: int,
    num_heads: int,
    in_proj_weight: Tensor | None,
    in_proj_bias: Tensor | None,
    bias_k: Tensor | None,
    bias_v: Tensor | None,
    add_zero_attn: bool,
    dropout_p: float,
    out_proj_weight: Tensor,
    out_proj_bias: Tensor | None,
    training: bool = True,
    key_padding_mask: Tensor | None = None,
    need_weights: bool = True,
    attn_mask: Tensor | None = None,
    use_separate_proj_weight: bool = False,
    q_proj_weight: Tensor | None = None,
    k_proj_weight: Tensor | None = None,
    v_proj_weight: Tensor | None = None,
    static_k: Tensor | None = None,
    static_v: Tensor | None = None,
    average_attn_weights: bool = True,
    is_causal: bool = False,
) -> tuple[Tensor, Tensor | None]:
    """Multi-head attention, sequence first (``F.multi_head_attention_forward``).

    query (L, N, E), key (S, N, E_k), value (S, N, E_v), or unbatched (L, E), … The projections
    are ``in_proj_weight`` (3E, E) split in three, or ``q/k/v_proj_weight`` with
    ``use_separate_proj_weight``; ``bias_k``/``bias_v`` (1, 1, E) append one learned key and
    value, ``add_zero_attn`` one zero key and value. Masks are bool (True = may *not* attend) or
    additive float: ``key_padding_mask`` (N, S) hides keys of each example, ``attn_mask`` (L, S)
    or (N·h, L, S) pairs of positions. ``is_causal`` is a hint that ``attn_mask`` is the causal
    mask (it must be given, as in torch; it is then used in its place when nothing else needs it).

    Returns the output (L, N, E) and, with ``need_weights``, the attention weights (N, L, S),
    averaged over heads, or (N, h, L, S) with ``average_attn_weights=False``; otherwise None.
    ``dropout_p`` applies only with ``training``.
    """
    op = "multi_head_attention_forward"
    _check_qkv(query, key, value, op)
    batched = _check_mha_shapes(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    kpm = _canonical_mask(key_padding_mask, "key_padding_mask", query.dtype, attn_mask, "attn_mask")
    if is_causal and attn_mask is None:
        raise OpError(
            "Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
            "method `generate_square_subsequent_mask` to create this mask."
        )
    mask: Tensor | None
    if is_causal and kpm is None and not need_weights:
        mask = None  # attention applies the causal mask itself
    else:
        mask = _canonical_mask(attn_mask, "attn_mask", query.dtype)
        if kpm is not None:
            is_causal = False  # merged with the padding, the mask is no longer causal
    if embed_dim != embed_dim_to_check:
        raise AttentionShapeError(
            f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}"
        )
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AttentionShapeError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if key.shape[:2] != value.shape[:2]:
            raise AttentionShapeError(
                f"key's sequence and batch dims {key.shape[:2]} do not match value's "
                f"{value.shape[:2]}"
            )
    elif key.shape != value.shape:
        raise AttentionShapeError(f"key shape {key.shape} does not match value shape {value.shape}")

    # in-projection
    b_q, b_k, b_v = (None, None, None) if in_proj_bias is None else in_proj_bias.chunk(3)
    if use_separate_proj_weight:
        if q_proj_weight is None or k_proj_weight is None or v_proj_weight is None:
            raise AttentionShapeError(
                "use_separate_proj_weight is True but q_proj_weight, k_proj_weight or "
                "v_proj_weight is None"
            )
        w_q, w_k, w_v = q_proj_weight, k_proj_weight, v_proj_weight
    else:
        if in_proj_weight is None:
            raise AttentionShapeError(
                "use_separate_proj_weight is False but in_proj_weight is None"
            )
        w_q, w_k, w_v = in_proj_weight.chunk(3)
    for name, x, w in (("query", query, w_q), ("key", key, w_k), ("value", value, w_v)):
        if w.ndim != 2 or w.shape != (embed_dim, x.shape[-1]):
            raise AttentionShapeError(
                f"{op}(): the {name} projection weight has shape {w.shape}, but {name} of shape "
                f"{x.shape} needs ({embed_dim}, {x.shape[-1]})"
            )
    q, k, v = _linear(query, w_q, b_q), _linear(key, w_k, b_k), _linear(value, w_v, b_v)

    if mask is not None:
        if mask.ndim == 2:
            if mask.shape != (tgt_len, src_len):
                raise OpError(
                    f"The shape of the 2D attn_mask is {mask.shape}, but should be "
                    f"{(tgt_len, src_len)}."
                )
            mask = mask.unsqueeze(0)
        elif mask.shape != (bsz * num_heads, tgt_len, src_len):
            raise OpError(
                f"The shape of the 3D attn_mask is {mask.shape}, but should be "
                f"{(bsz * num_heads, tgt_len, src_len)}."
            )

    if bias_k is not None and bias_v is not None:
        if static_k is not None or static_v is not None:
            raise AttentionShapeError("bias cannot be added to static key or value.")
        k = cat([k, bias_k.reshape(1, 1, embed_dim).expand(1, bsz, embed_dim)])
        v = cat([v, bias_v.reshape(1, 1, embed_dim).expand(1, bsz, embed_dim)])
        mask, kpm = _pad_key(mask), _pad_key(kpm)
    elif bias_k is not None or bias_v is not None:
        raise AttentionShapeError("bias_k and bias_v must be given together")

    q = _heads(q, bsz, num_heads, head_dim)
    if static_k is None:
        k = _heads(k, bsz, num_heads, head_dim)
    else:
        k = _static(static_k, "static_k", bsz, num_heads, head_dim)
    if static_v is None:
        v = _heads(v, bsz, num_heads, head_dim)
    else:
        v = _static(static_v, "static_v", bsz, num_heads, head_dim)
    if add_zero_attn:
        zero = Tensor._make(np.zeros((bsz * num_heads, 1, head_dim), dtype=q.dtype))
        k, v = cat([k, zero], 1), cat([v, zero], 1)
        mask, kpm = _pad_key(mask), _pad_key(kpm)
    src_len = k.shape[1]

    if kpm is not None:
        if kpm.shape != (bsz, src_len):
            raise AttentionShapeError(
                f"Expected key_padding_mask of shape {(bsz, src_len)} (batch, S), but got "
                f"{kpm.shape}"
            )
        kpm = kpm.reshape(bsz, 1, 1, src_len).expand(bsz, num_heads, 1, src_len)
        kpm = kpm.reshape(bsz * num_heads, 1, src_len)
        mask = kpm if mask is None else mask + kpm

    p = _check_p(dropout_p, op) if training else 0.0
    weights: Tensor | None = None
    if need_weights:
        scores = (q * math.sqrt(1.0 / head_dim)) @ k.mT
        if mask is not None:
            scores = scores + mask
        weights = scores.softmax(-1)  # torch's plain softmax here: a fully masked row is nan
        if p > 0.0:
            weights = noise_dropout(
                weights, p, "multi_head_attention_forward", feature=False, alpha=False
            )  # returned dropped, as torch's
        out = weights @ v
        out = out.transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        weights = weights.reshape(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(1)
        if not batched:
            weights = weights.squeeze(0)
    else:
        if mask is not None:
            mask = (
                mask.unsqueeze(0)
                if mask.shape[0] == 1
                else mask.reshape(bsz, num_heads, mask.shape[1], src_len)
            )
        q = q.reshape(bsz, num_heads, tgt_len, head_dim)
        k = k.reshape(bsz, num_heads, src_len, head_dim)
        v = v.reshape(bsz, num_heads, src_len, head_dim)
        out = scaled_dot_product_attention(q, k, v, mask, p, is_causal)
        out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    out = _linear(out, out_proj_weight, out_proj_bias)
    out = out.reshape(tgt_len, bsz, out.shape[-1])  # not -1: tgt_len may be 0
    if not batched:
        out = out.squeeze(1)
    return out, weights

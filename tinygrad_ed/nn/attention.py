"""Multi-head attention as a layer: its projections are parameters, the math is
``functional.multi_head_attention_forward`` (and ``scaled_dot_product_attention`` under it).

PyTorch equivalent: ``torch.nn.MultiheadAttention``, with the same parameter names
(``in_proj_weight`` or ``q_proj_weight``/``k_proj_weight``/``v_proj_weight``, ``in_proj_bias``,
``out_proj.weight``, ``out_proj.bias``, ``bias_k``, ``bias_v``), so a torch state_dict loads.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from .._attention import AttentionShapeError, _canonical_mask
from .._device import _check_device
from ..tensor import DTypeLike, Tensor
from . import init
from .layers import Linear, _float_dtype, _need_tensor, _size
from .module import Module, Parameter

__all__ = ["MultiheadAttention"]


class MultiheadAttention(Module):
    """Attention from ``num_heads`` heads of ``embed_dim / num_heads`` dims each
    (``torch.nn.MultiheadAttention``): out = concat(head₁ … head_h) W_oᵀ + b_o with
    headᵢ = softmax(qᵢ kᵢᵀ / √dₕ + M) vᵢ and q = query W_qᵀ + b_q, k = key W_kᵀ + b_k,
    v = value W_vᵀ + b_v split into heads.

    Inputs are (L, N, E) sequence first, (N, L, E) with ``batch_first``, or unbatched (L, E).
    ``kdim``/``vdim`` give key and value other widths (the projections are then three separate
    weights); ``add_bias_kv`` appends a learned key and value, ``add_zero_attn`` a zero one;
    ``dropout`` drops attention weights while training. ``forward`` returns the output and the
    attention weights (averaged over heads unless ``average_attn_weights=False``), or None for
    them with ``need_weights=False``. Bool masks are True where attention is *not* allowed.

    Initialization is torch's: Xavier-uniform projections, zero biases, Xavier-normal
    ``bias_k``/``bias_v``, and ``out_proj`` a Linear's default weight.
    """

    embed_dim: int
    kdim: int
    vdim: int
    num_heads: int
    head_dim: int
    dropout: float
    batch_first: bool
    add_zero_attn: bool
    _qkv_same_embed_dim: bool
    in_proj_weight: Parameter | None
    q_proj_weight: Parameter | None
    k_proj_weight: Parameter | None
    v_proj_weight: Parameter | None
    in_proj_bias: Parameter | None
    bias_k: Parameter | None
    bias_v: Parameter | None
    out_proj: Linear

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        _check_device(device, "MultiheadAttention()")
        layer = "MultiheadAttention"
        embed_dim = _size(embed_dim, layer, "embed_dim")
        num_heads = _size(num_heads, layer, "num_heads")
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(
                "embed_dim and num_heads must be greater than 0, got "
                f"embed_dim={embed_dim} and num_heads={num_heads} instead"
            )
        F._check_dropout_p(dropout, "MultiheadAttention()")
        self.embed_dim = embed_dim
        self.kdim = embed_dim if kdim is None else _size(kdim, layer, "kdim")
        self.vdim = embed_dim if vdim is None else _size(vdim, layer, "vdim")
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise AttentionShapeError(
                f"embed_dim must be divisible by num_heads, got embed_dim={embed_dim} and "
                f"num_heads={num_heads}"
            )
        d = _float_dtype(dtype, layer)

        def param(*shape: int) -> Parameter:
            return Parameter(np.empty(shape, dtype=d))

        if self._qkv_same_embed_dim:
            self.in_proj_weight = param(3 * embed_dim, embed_dim)
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.q_proj_weight = param(embed_dim, embed_dim)
            self.k_proj_weight = param(embed_dim, self.kdim)
            self.v_proj_weight = param(embed_dim, self.vdim)
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = param(3 * embed_dim)
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias, dtype=d)
        if add_bias_kv:
            self.bias_k = param(1, 1, embed_dim)
            self.bias_v = param(1, 1, embed_dim)
        else:
            self.bias_k = self.bias_v = None  # plain attributes, as torch's
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        if self.in_proj_weight is not None:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            for w in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                assert w is not None  # set together in __init__
                init.xavier_uniform_(w)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
        if self.out_proj.bias is not None:
            init.zeros_(self.out_proj.bias)
        if self.bias_k is not None and self.bias_v is not None:
            init.xavier_normal_(self.bias_k)
            init.xavier_normal_(self.bias_v)

    def forward(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        key_padding_mask: Tensor | None = None,
        need_weights: bool = True,
        attn_mask: Tensor | None = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        for x in (query, key, value):
            _need_tensor(x, "MultiheadAttention")
        batched = query.ndim == 3
        # Masks as float before the shape checks, with torch's warning on mixed dtypes.
        key_padding_mask = _canonical_mask(
            key_padding_mask, "key_padding_mask", query.dtype, attn_mask, "attn_mask"
        )
        attn_mask = _canonical_mask(attn_mask, "attn_mask", query.dtype)
        if self.batch_first and batched:
            # Keep self-attention's identities (query is key is value) through the transpose.
            if key is value:
                if query is key:
                    query = key = value = query.transpose(1, 0)
                else:
                    query, key = query.transpose(1, 0), key.transpose(1, 0)
                    value = key
            else:
                query, key, value = (x.transpose(1, 0) for x in (query, key, value))
        out, weights = F.multi_head_attention_forward(
            query,
            key,
            value,
            self.embed_dim,
            self.num_heads,
            self.in_proj_weight,
            self.in_proj_bias,
            self.bias_k,
            self.bias_v,
            self.add_zero_attn,
            self.dropout,
            self.out_proj.weight,
            self.out_proj.bias,
            training=self.training,
            key_padding_mask=key_padding_mask,
            need_weights=need_weights,
            attn_mask=attn_mask,
            use_separate_proj_weight=not self._qkv_same_embed_dim,
            q_proj_weight=self.q_proj_weight,
            k_proj_weight=self.k_proj_weight,
            v_proj_weight=self.v_proj_weight,
            average_attn_weights=average_attn_weights,
            is_causal=is_causal,
        )
        if self.batch_first and batched:
            out = out.transpose(1, 0)
        return out, weights

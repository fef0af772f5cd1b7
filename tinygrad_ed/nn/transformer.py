"""The Transformer of "Attention Is All You Need": encoder and decoder layers, their stacks, and
the encoder–decoder model.

An encoder layer is self-attention then a feed-forward block, each added to its input (a
residual) and layer-normalized: after the sum (post-norm, the default) or, with ``norm_first``,
before the block (pre-norm)::

    x = norm1(x + SelfAttn(x))            x = x + SelfAttn(norm1(x))
    x = norm2(x + FF(x))                  x = x + FF(norm2(x))

with FF(x) = linear2(dropout(activation(linear1(x)))). A decoder layer has a cross-attention
block between the two, whose keys and values are the encoder's output (``memory``).

Everything is composed of ``MultiheadAttention``, ``Linear``, ``LayerNorm`` and ``Dropout``, so
the gradients are theirs. PyTorch equivalents: ``torch.nn.TransformerEncoderLayer``,
``TransformerDecoderLayer``, ``TransformerEncoder``, ``TransformerDecoder`` and ``Transformer``,
with torch's submodule names, so a torch state_dict loads. Torch's inference fast paths (fused
kernels, nested tensors) are not reproduced: the result is always that of the layers' math.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import functional as F
from .._attention import _canonical_mask
from .._device import _check_device
from ..tensor import DTypeLike, Tensor, get_default_dtype
from . import init
from .attention import MultiheadAttention
from .layers import Dropout, Linear, ModuleList, _int, _need_tensor, _size
from .module import Module
from .normalization import LayerNorm

__all__ = [
    "Transformer",
    "TransformerDecoder",
    "TransformerDecoderLayer",
    "TransformerEncoder",
    "TransformerEncoderLayer",
]

Activation = str | Callable[[Tensor], Tensor]


def _activation(activation: Any) -> Callable[[Tensor], Tensor]:
    """ "relu" or "gelu" by name, or any callable (a Module is registered as a child)."""
    if isinstance(activation, str):
        if activation == "relu":
            return F.relu
        if activation == "gelu":
            return F.gelu
        raise RuntimeError(f"activation should be relu/gelu, not {activation}")
    if not callable(activation):
        raise TypeError(
            f"activation must be 'relu', 'gelu' or a callable, got {type(activation).__name__}"
        )
    return activation  # type: ignore[no-any-return]


def generate_square_subsequent_mask(sz: int, device: Any = None, dtype: DTypeLike = None) -> Tensor:
    """The (sz, sz) causal mask: 0 on and below the diagonal, −∞ above it, so position i attends
    to positions j ≤ i (``nn.Transformer.generate_square_subsequent_mask``)."""
    _check_device(device, "generate_square_subsequent_mask()")
    n = _size(sz, "generate_square_subsequent_mask", "sz")
    d = get_default_dtype() if dtype is None else np.dtype(dtype)
    if d.kind in "iu":  # −∞ has no integer value (torch's overflow error)
        raise RuntimeError(
            f"generate_square_subsequent_mask(): -inf cannot be converted to dtype {d}"
        )
    return Tensor._make(np.triu(np.full((n, n), -np.inf, dtype=d), 1))


def _seq_len(x: Tensor, batch_first: bool) -> int:
    """The sequence dim's size: dim 0 unbatched or sequence first, dim 1 batch first."""
    return x.shape[1 if x.ndim == 3 and batch_first else 0]


def _detect_is_causal_mask(mask: Tensor | None, is_causal: bool | None, size: int) -> bool:
    """``is_causal`` as given, or, when it is None, whether ``mask`` equals the causal mask
    (torch's ``_detect_is_causal_mask``: a hint only, the mask stays in use where needed)."""
    if is_causal is not None or mask is None:
        return is_causal is True
    causal = np.triu(np.full((size, size), -np.inf), 1)
    return mask.shape == causal.shape and bool((mask.data == causal).all())


def _check_layer_args(d_model: Any, nhead: Any, dim_feedforward: Any, layer: str) -> None:
    for name, value in (("d_model", d_model), ("nhead", nhead)):
        _int(value, layer, name)
    _size(dim_feedforward, layer, "dim_feedforward")


class _SelfAttentionLayer(Module):
    """What the encoder and decoder layers share: the self-attention sublayer,
    ``dropout1(self_attn(x, x, x))`` = dropout(softmax(QKᵀ/√d + mask)·V) per head, projected,
    without computing the attention weights (torch's ``_sa_block``)."""

    self_attn: MultiheadAttention
    dropout1: Dropout

    def _sa_block(
        self, x: Tensor, attn_mask: Tensor | None, key_padding_mask: Tensor | None, causal: bool
    ) -> Tensor:
        x = self.self_attn(
            x,
            x,
            x,
            attn_mask=attn_mask,
            key_padding_mask=key_padding_mask,
            need_weights=False,
            is_causal=causal,
        )[0]
        return self.dropout1(x)  # type: ignore[no-any-return]


class TransformerEncoderLayer(_SelfAttentionLayer):
    """Self-attention and a feed-forward block, each with a residual and a LayerNorm
    (``torch.nn.TransformerEncoderLayer``); post-norm by default, pre-norm with ``norm_first``.

    ``forward(src, src_mask=None, src_key_padding_mask=None, is_causal=False)``: src is
    (S, N, E), (N, S, E) with ``batch_first``, or unbatched (S, E); masks as for
    ``MultiheadAttention`` (bool True = may not attend, or additive float). ``is_causal`` is a
    hint that ``src_mask`` is the causal mask.
    """

    self_attn: MultiheadAttention
    linear1: Linear
    dropout: Dropout
    linear2: Linear
    norm_first: bool
    norm1: LayerNorm
    norm2: LayerNorm
    dropout1: Dropout
    dropout2: Dropout
    activation: Callable[[Tensor], Tensor]

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: Activation = F.relu,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        _check_device(device, "TransformerEncoderLayer()")
        _check_layer_args(d_model, nhead, dim_feedforward, "TransformerEncoderLayer")
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first, dtype=dtype
        )
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, dtype=dtype)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, dtype=dtype)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.activation = _activation(activation)

    def forward(
        self,
        src: Tensor,
        src_mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        is_causal: bool = False,
    ) -> Tensor:
        _need_tensor(src, "TransformerEncoderLayer")
        src_key_padding_mask = _canonical_mask(
            src_key_padding_mask, "src_key_padding_mask", src.dtype, src_mask, "src_mask"
        )
        src_mask = _canonical_mask(src_mask, "src_mask", src.dtype)
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            x = x + self._ff_block(self.norm2(x))
        else:
            x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
            x = self.norm2(x + self._ff_block(x))
        return x

    def _ff_block(self, x: Tensor) -> Tensor:
        x = self.linear2(self.dropout(self.activation(self.linear1(x))))
        return self.dropout2(x)  # type: ignore[no-any-return]


class TransformerDecoderLayer(_SelfAttentionLayer):
    """Self-attention over the target, cross-attention to the encoder's output ``memory``, and a
    feed-forward block, each with a residual and a LayerNorm
    (``torch.nn.TransformerDecoderLayer``); post-norm by default, pre-norm with ``norm_first``.

    ``forward(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask,
    memory_key_padding_mask, tgt_is_causal=False, memory_is_causal=False)``.
    """

    self_attn: MultiheadAttention
    multihead_attn: MultiheadAttention
    linear1: Linear
    dropout: Dropout
    linear2: Linear
    norm_first: bool
    norm1: LayerNorm
    norm2: LayerNorm
    norm3: LayerNorm
    dropout1: Dropout
    dropout2: Dropout
    dropout3: Dropout
    activation: Callable[[Tensor], Tensor]

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: Activation = F.relu,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        _check_device(device, "TransformerDecoderLayer()")
        _check_layer_args(d_model, nhead, dim_feedforward, "TransformerDecoderLayer")
        kw: dict[str, Any] = {"dropout": dropout, "batch_first": batch_first, "bias": bias}
        self.self_attn = MultiheadAttention(d_model, nhead, **kw, dtype=dtype)
        self.multihead_attn = MultiheadAttention(d_model, nhead, **kw, dtype=dtype)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, dtype=dtype)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, dtype=dtype)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.norm3 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.dropout3 = Dropout(dropout)
        self.activation = _activation(activation)

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        tgt_is_causal: bool = False,
        memory_is_causal: bool = False,
    ) -> Tensor:
        _need_tensor(tgt, "TransformerDecoderLayer")
        _need_tensor(memory, "TransformerDecoderLayer")
        x = tgt
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), tgt_mask, tgt_key_padding_mask, tgt_is_causal)
            x = x + self._mha_block(
                self.norm2(x), memory, memory_mask, memory_key_padding_mask, memory_is_causal
            )
            x = x + self._ff_block(self.norm3(x))
        else:
            x = self.norm1(x + self._sa_block(x, tgt_mask, tgt_key_padding_mask, tgt_is_causal))
            x = self.norm2(
                x
                + self._mha_block(x, memory, memory_mask, memory_key_padding_mask, memory_is_causal)
            )
            x = self.norm3(x + self._ff_block(x))
        return x

    def _mha_block(
        self,
        x: Tensor,
        mem: Tensor,
        attn_mask: Tensor | None,
        key_padding_mask: Tensor | None,
        causal: bool,
    ) -> Tensor:
        x = self.multihead_attn(
            x,
            mem,
            mem,
            attn_mask=attn_mask,
            key_padding_mask=key_padding_mask,
            is_causal=causal,
            need_weights=False,
        )[0]
        return self.dropout2(x)  # type: ignore[no-any-return]

    def _ff_block(self, x: Tensor) -> Tensor:
        x = self.linear2(self.dropout(self.activation(self.linear1(x))))
        return self.dropout3(x)  # type: ignore[no-any-return]


def _clones(layer: Module, n: Any, stack: str) -> ModuleList:
    """``n`` independent deep copies of ``layer`` (torch's ``_get_clones``)."""
    if not isinstance(layer, Module):
        raise TypeError(f"{stack}(): the layer must be a Module, got {type(layer).__name__}")
    return ModuleList(copy.deepcopy(layer) for _ in range(_size(n, stack, "num_layers")))


class TransformerEncoder(Module):
    """``num_layers`` deep copies of ``encoder_layer`` applied in turn, then ``norm`` if given
    (``torch.nn.TransformerEncoder``).

    ``forward(src, mask=None, src_key_padding_mask=None, is_causal=None)``; ``is_causal=None``
    detects whether ``mask`` is the causal mask. ``enable_nested_tensor`` and ``mask_check``
    are accepted for compatibility: they choose torch's inference fast path, which changes no
    value except that torch's fast path leaves padded positions 0 (this one computes them).
    """

    layers: ModuleList
    num_layers: int
    norm: Module | None

    def __init__(
        self,
        encoder_layer: TransformerEncoderLayer,
        num_layers: int,
        norm: Module | None = None,
        enable_nested_tensor: bool = True,
        mask_check: bool = True,
    ) -> None:
        super().__init__()
        self.layers = _clones(encoder_layer, num_layers, "TransformerEncoder")
        self.num_layers = int(num_layers)
        self.norm = norm
        self.enable_nested_tensor = enable_nested_tensor
        self.mask_check = mask_check

    def forward(
        self,
        src: Tensor,
        mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        is_causal: bool | None = None,
    ) -> Tensor:
        _need_tensor(src, "TransformerEncoder")
        src_key_padding_mask = _canonical_mask(
            src_key_padding_mask, "src_key_padding_mask", src.dtype, mask, "mask"
        )
        mask = _canonical_mask(mask, "mask", src.dtype)
        batch_first = getattr(getattr(self.layers[0], "self_attn", None), "batch_first", False)
        causal = _detect_is_causal_mask(mask, is_causal, _seq_len(src, batch_first))
        out = src
        for layer in self.layers:
            out = layer(
                out, src_mask=mask, is_causal=causal, src_key_padding_mask=src_key_padding_mask
            )
        return out if self.norm is None else self.norm(out)


class TransformerDecoder(Module):
    """``num_layers`` deep copies of ``decoder_layer`` applied in turn, each attending to
    ``memory``, then ``norm`` if given (``torch.nn.TransformerDecoder``).

    ``forward(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask,
    memory_key_padding_mask, tgt_is_causal=None, memory_is_causal=False)``; ``tgt_is_causal=None``
    detects whether ``tgt_mask`` is the causal mask.
    """

    layers: ModuleList
    num_layers: int
    norm: Module | None

    def __init__(
        self, decoder_layer: TransformerDecoderLayer, num_layers: int, norm: Module | None = None
    ) -> None:
        super().__init__()
        self.layers = _clones(decoder_layer, num_layers, "TransformerDecoder")
        self.num_layers = int(num_layers)
        self.norm = norm

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        _need_tensor(tgt, "TransformerDecoder")
        batch_first = getattr(getattr(self.layers[0], "self_attn", None), "batch_first", False)
        causal = _detect_is_causal_mask(tgt_mask, tgt_is_causal, _seq_len(tgt, batch_first))
        out = tgt
        for layer in self.layers:
            out = layer(
                out,
                memory,
                tgt_mask=tgt_mask,
                memory_mask=memory_mask,
                tgt_key_padding_mask=tgt_key_padding_mask,
                memory_key_padding_mask=memory_key_padding_mask,
                tgt_is_causal=causal,
                memory_is_causal=memory_is_causal,
            )
        return out if self.norm is None else self.norm(out)


class Transformer(Module):
    """An encoder of ``num_encoder_layers`` and a decoder of ``num_decoder_layers`` layers, each
    stack ending in a LayerNorm (``torch.nn.Transformer``); ``custom_encoder``/
    ``custom_decoder`` replace them.

    ``forward(src, tgt, src_mask, tgt_mask, memory_mask, src_key_padding_mask,
    tgt_key_padding_mask, memory_key_padding_mask, src_is_causal, tgt_is_causal,
    memory_is_causal)`` returns the decoder's output, (T, N, E) or (N, T, E) with
    ``batch_first``. Every parameter with more than one dim starts Xavier-uniform, as torch's.
    """

    encoder: Module
    decoder: Module
    d_model: int
    nhead: int
    batch_first: bool

    def __init__(
        self,
        d_model: int = 512,
        nhead: int = 8,
        num_encoder_layers: int = 6,
        num_decoder_layers: int = 6,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: Activation = F.relu,
        custom_encoder: Module | None = None,
        custom_decoder: Module | None = None,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        _check_device(device, "Transformer()")
        layer_args = (
            d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first,
            norm_first, bias,
        )  # fmt: skip
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            self.encoder = TransformerEncoder(
                TransformerEncoderLayer(*layer_args, dtype=dtype),
                num_encoder_layers,
                LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype),
            )
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            self.decoder = TransformerDecoder(
                TransformerDecoderLayer(*layer_args, dtype=dtype),
                num_decoder_layers,
                LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype),
            )
        for p in self.parameters():
            if p.ndim > 1:
                init.xavier_uniform_(p)
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = batch_first

    def forward(
        self,
        src: Tensor,
        tgt: Tensor,
        src_mask: Tensor | None = None,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        src_is_causal: bool | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        _need_tensor(src, "Transformer")
        _need_tensor(tgt, "Transformer")
        batch = 0 if self.batch_first else 1
        if src.ndim == 3 and (tgt.ndim != 3 or src.shape[batch] != tgt.shape[batch]):
            raise RuntimeError(
                f"the batch number of src and tgt must be equal (src {src.shape}, tgt "
                f"{tgt.shape}, batch_first={self.batch_first})"
            )
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise RuntimeError(
                f"the feature number of src and tgt must be equal to d_model={self.d_model} "
                f"(src {src.shape}, tgt {tgt.shape})"
            )
        memory = self.encoder(
            src, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal
        )
        return self.decoder(  # type: ignore[no-any-return]
            tgt,
            memory,
            tgt_mask=tgt_mask,
            memory_mask=memory_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
            tgt_is_causal=tgt_is_causal,
            memory_is_causal=memory_is_causal,
        )

    generate_square_subsequent_mask = staticmethod(generate_square_subsequent_mask)

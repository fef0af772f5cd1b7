"""Embedding: a lookup table of learnable vectors, indexed by integers; EmbeddingBag: the sum,
mean or max of bags of them.

PyTorch equivalents: ``torch.nn.Embedding`` and ``torch.nn.EmbeddingBag``. Row ``i`` of
``weight`` (num_embeddings, embedding_dim) is the vector of token ``i``; a batch of indices of
any shape looks up a tensor of that shape plus (embedding_dim,). See ``functional.embedding``
and ``functional.embedding_bag`` for the gradients.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from .._device import _check_device
from ..autograd import no_grad
from ..tensor import DTypeLike, Tensor
from . import init
from .layers import _float_dtype, _need_tensor, _size
from .module import Module, Parameter

__all__ = ["Embedding", "EmbeddingBag"]


class Embedding(Module):
    """A table of ``num_embeddings`` vectors of size ``embedding_dim`` (``torch.nn.Embedding``).

    ``weight`` is drawn from N(0, 1), as torch's, with the row ``padding_idx`` (negative counts
    from the end) set to zero; that row gets no gradient, so it stays a fixed pad. ``_weight``
    uses the given tensor's array as the table (not zeroing the pad row, as torch), and
    ``_freeze`` makes it not require grad. ``max_norm`` renormalizes looked-up rows in place
    (torch's ``embedding_renorm_``); ``scale_grad_by_freq`` and ``sparse`` are refused.
    """

    num_embeddings: int
    embedding_dim: int
    padding_idx: int | None
    max_norm: float | None
    norm_type: float
    scale_grad_by_freq: bool
    sparse: bool
    weight: Parameter

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        _weight: Tensor | None = None,
        _freeze: bool = False,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        _check_device(device, "Embedding()")
        self.num_embeddings = _size(num_embeddings, "Embedding", "num_embeddings")
        self.embedding_dim = _size(embedding_dim, "Embedding", "embedding_dim")
        self.padding_idx = F._padding_idx(padding_idx, self.num_embeddings, "Embedding")
        F._check_embedding_options(max_norm, norm_type, scale_grad_by_freq, sparse, "Embedding")
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.sparse = sparse
        self.weight = _table(self, _weight, dtype, "Embedding", requires_grad=not _freeze)
        if _weight is None:
            self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw N(0, 1) from the global generator and zero the padding row, as torch's."""
        _draw_table(self.weight, self.padding_idx)

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Tensor,
        freeze: bool = True,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
    ) -> Embedding:
        """An Embedding whose table is ``embeddings`` (its array, shared, as torch's), frozen
        (not requiring grad) unless ``freeze=False``."""
        if not isinstance(embeddings, Tensor) or embeddings.ndim != 2:
            got = embeddings.shape if isinstance(embeddings, Tensor) else type(embeddings).__name__
            raise ValueError(
                f"Embedding.from_pretrained(): embeddings must be a 2-D Tensor, got {got}"
            )
        rows, cols = embeddings.shape
        return cls(
            rows,
            cols,
            padding_idx=padding_idx,
            max_norm=max_norm,
            norm_type=norm_type,
            scale_grad_by_freq=scale_grad_by_freq,
            sparse=sparse,
            _weight=embeddings,
            _freeze=freeze,
        )

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, "Embedding")
        return F.embedding(
            input,
            self.weight,
            self.padding_idx,
            self.max_norm,
            self.norm_type,
            self.scale_grad_by_freq,
            self.sparse,
        )

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        return s


class EmbeddingBag(Module):
    """A table of ``num_embeddings`` vectors of size ``embedding_dim`` reduced over bags of
    indices without keeping the per-index lookups (``torch.nn.EmbeddingBag``).

    ``forward(input, offsets=None, per_sample_weights=None)`` is ``F.embedding_bag`` with this
    module's ``mode`` ('sum', 'mean' or 'max'), ``max_norm``, ``norm_type``,
    ``include_last_offset`` and ``padding_idx``: a 2-d input (B, L) is B bags of L, a 1-d one
    is split at ``offsets``. ``weight`` is drawn from N(0, 1) with the ``padding_idx`` row
    zeroed, as torch's; ``_weight`` uses the given tensor's array as the table.
    ``scale_grad_by_freq`` and ``sparse`` are refused, as for ``Embedding``.
    """

    num_embeddings: int
    embedding_dim: int
    max_norm: float | None
    norm_type: float
    scale_grad_by_freq: bool
    mode: str
    sparse: bool
    include_last_offset: bool
    padding_idx: int | None
    weight: Parameter

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        mode: str = "mean",
        sparse: bool = False,
        _weight: Tensor | None = None,
        include_last_offset: bool = False,
        padding_idx: int | None = None,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        _check_device(device, "EmbeddingBag()")
        self.num_embeddings = _size(num_embeddings, "EmbeddingBag", "num_embeddings")
        self.embedding_dim = _size(embedding_dim, "EmbeddingBag", "embedding_dim")
        self.padding_idx = F._padding_idx(padding_idx, self.num_embeddings, "EmbeddingBag")
        F._check_embedding_options(max_norm, norm_type, scale_grad_by_freq, sparse, "EmbeddingBag")
        if mode not in F._BAG_MODES:
            raise ValueError(
                f"EmbeddingBag(): mode has to be one of sum, mean or max, got {mode!r}"
            )
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.mode = mode
        self.sparse = sparse
        self.include_last_offset = include_last_offset
        self.weight = _table(self, _weight, dtype, "EmbeddingBag")
        if _weight is None:
            self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw N(0, 1) from the global generator and zero the padding row, as torch's."""
        _draw_table(self.weight, self.padding_idx)

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Tensor,
        freeze: bool = True,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        mode: str = "mean",
        sparse: bool = False,
        include_last_offset: bool = False,
        padding_idx: int | None = None,
    ) -> EmbeddingBag:
        """An EmbeddingBag whose table is ``embeddings`` (its array, shared, as torch's),
        frozen (not requiring grad) unless ``freeze=False``."""
        if not isinstance(embeddings, Tensor) or embeddings.ndim != 2:
            got = embeddings.shape if isinstance(embeddings, Tensor) else type(embeddings).__name__
            raise ValueError(
                f"EmbeddingBag.from_pretrained(): embeddings must be a 2-D Tensor, got {got}"
            )
        rows, cols = embeddings.shape
        bag = cls(
            rows,
            cols,
            max_norm=max_norm,
            norm_type=norm_type,
            scale_grad_by_freq=scale_grad_by_freq,
            mode=mode,
            sparse=sparse,
            _weight=embeddings,
            include_last_offset=include_last_offset,
            padding_idx=padding_idx,
        )
        bag.weight.requires_grad_(not freeze)
        return bag

    def forward(
        self,
        input: Tensor,
        offsets: Tensor | None = None,
        per_sample_weights: Tensor | None = None,
    ) -> Tensor:
        _need_tensor(input, "EmbeddingBag")
        return F.embedding_bag(
            input,
            self.weight,
            offsets,
            self.max_norm,
            self.norm_type,
            self.scale_grad_by_freq,
            self.mode,
            self.sparse,
            per_sample_weights,
            self.include_last_offset,
            self.padding_idx,
        )

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        s += f", mode='{self.mode}'"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        return s


def _table(
    module: Embedding | EmbeddingBag,
    _weight: Tensor | None,
    dtype: DTypeLike,
    op: str,
    requires_grad: bool = True,
) -> Parameter:
    """The (num_embeddings, embedding_dim) table: ``_weight``'s array, or an undrawn one."""
    shape = (module.num_embeddings, module.embedding_dim)
    if _weight is None:
        return Parameter(np.empty(shape, dtype=_float_dtype(dtype, op)), requires_grad)
    if not isinstance(_weight, Tensor) or _weight.shape != shape:
        got = _weight.shape if isinstance(_weight, Tensor) else type(_weight).__name__
        raise ValueError(
            f"{op}(): _weight must be a Tensor of shape {shape} (num_embeddings, "
            f"embedding_dim), got {got}"
        )
    return Parameter(_weight, requires_grad)


def _draw_table(weight: Parameter, padding_idx: int | None) -> None:
    """N(0, 1) from the global generator, the padding row zeroed (torch's init)."""
    init.normal_(weight)
    if padding_idx is not None:
        with no_grad():
            weight[padding_idx] = 0.0

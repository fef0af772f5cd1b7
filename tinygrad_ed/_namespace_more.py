"""More of torch's top-level functions: the function forms of ``as_strided``,
``unsafe_split``, ``unsafe_chunk`` and ``is_inference``, each calling the Tensor method, so
its values, errors and gradients are the method's.
"""

from __future__ import annotations

from collections.abc import Sequence

from .tensor import Tensor, _expect_tensor

# ----------------------------------------------------------------------------- function forms


def as_strided(
    input: Tensor, size: Sequence[int], stride: Sequence[int], storage_offset: int | None = None
) -> Tensor:
    """``torch.as_strided``: see ``Tensor.as_strided``."""
    _expect_tensor(input, "as_strided")
    return input.as_strided(size, stride, storage_offset)


def unsafe_split(input: Tensor, split_size: int, dim: int = 0) -> tuple[Tensor, ...]:
    """``torch.unsafe_split``: see ``Tensor.unsafe_split``."""
    _expect_tensor(input, "unsafe_split")
    return input.unsafe_split(split_size, dim)


def unsafe_chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """``torch.unsafe_chunk``: see ``Tensor.unsafe_chunk``."""
    _expect_tensor(input, "unsafe_chunk")
    return input.unsafe_chunk(chunks, dim)


def is_inference(input: Tensor) -> bool:
    """``torch.is_inference``: see ``Tensor.is_inference``."""
    _expect_tensor(input, "is_inference")
    return input.is_inference()

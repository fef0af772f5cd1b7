"""``LinearCrossEntropyOptions``: the chunking options of ``F.linear_cross_entropy``.

torch 2.13 computes ``linear_cross_entropy`` with these options a batch chunk at a time, so that
the (N, C) logits of a large vocabulary head are never held at once. This library always computes
the reference path (``cross_entropy(linear(x, W, b), y)``): the options are accepted, checked and
resolved as torch's (the same errors, the same chunk sizes from ``_adjust``), and change no number.

PyTorch equivalent: ``torch.nn.modules.linear_cross_entropy_options.LinearCrossEntropyOptions``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal, NamedTuple

import numpy as np

__all__ = ["LinearCrossEntropyOptions"]


class _AutoDefault(NamedTuple):
    acc_policy: str
    chunking_method: str


# torch's picks for "auto", by (device type, input dtype); numpy has no bfloat16.
_AUTO_DEFAULTS: dict[tuple[str, np.dtype[Any]], _AutoDefault] = {
    ("cpu", np.dtype(np.float16)): _AutoDefault("accurate", "aspect_ratio"),
}
_AUTO_FALLBACK = _AutoDefault("compact", "aspect_ratio:2")
_ACC_POLICIES = ("auto", "accurate", "balanced", "compact")
_ACC_DTYPES = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))


@dataclasses.dataclass(slots=True, frozen=True)
class LinearCrossEntropyOptions:
    """How torch's chunked ``linear_cross_entropy`` splits the batch (torch ≥ 2.13).

    ``batch_chunk_size`` rows per chunk (None: one chunk), or ``chunking_method``
    ``"aspect_ratio[:N]"``, which sizes a chunk's (rows, C) logits like the (N, in_features)
    input, divided by N: ``min(next_pow2(⌈N / ⌈C / in_features⌉⌉) // N, N)``; ``"auto"`` picks a
    method per device and dtype, and is dropped when ``batch_chunk_size`` is given. Giving both
    with different sizes is torch's ValueError, raised at the call (``_adjust``).
    ``acc_policy`` (``"auto"``, ``"accurate"``, ``"balanced"``, ``"compact"``) and
    ``acc_dtype`` (None, float16, float32 or float64) choose torch's accumulation precision;
    ``allow_retain_graph`` allows a second backward of torch's chunked op.

    Here the loss is always the reference composition, so none of these changes a value, and a
    second backward (``retain_graph=True``) works whatever ``allow_retain_graph`` says.

    PyTorch equivalent: ``torch.nn.LinearCrossEntropyOptions``.
    """

    allow_retain_graph: bool = False
    batch_chunk_size: int | None = None
    chunking_method: str | None = "auto"
    acc_policy: Literal["accurate", "balanced", "compact", "auto"] = "auto"
    acc_dtype: Any = None

    def __post_init__(self) -> None:
        if self.acc_policy not in _ACC_POLICIES:
            raise ValueError(f"invalid acc_policy: {self.acc_policy!r}")
        if self.chunking_method is not None and self.chunking_method != "auto":
            name, sep, factor = str(self.chunking_method).partition(":")
            if not sep:
                factor = "1"
            if not (name == "aspect_ratio" and factor.isdigit() and int(factor) > 0):
                raise ValueError(f"invalid chunking_method: {self.chunking_method!r}")
        size = self.batch_chunk_size
        if not (size is None or (isinstance(size, int) and size > 0)):
            raise ValueError(f"batch_chunk_size must be positive int or None, got {size!r}")
        if self.acc_dtype is not None and not _is_acc_dtype(self.acc_dtype):
            raise ValueError(
                "acc_dtype must be one of {None, float16, float32, float64} (numpy has no "
                f"bfloat16), got {self.acc_dtype!r}. Pass acc_dtype=None to let the op pick "
                "automatically."
            )

    @staticmethod
    def _ceil_div(a: int, b: int) -> int:
        return -(-a // b)

    @staticmethod
    def _resolve_auto_acc_dtype(dtype: Any, device: Any) -> Any:
        """torch's: float32 accumulation for float16 input on the CPU, else None (the input's
        dtype)."""
        if device is None or np.dtype(dtype) != np.float16:
            return None
        return np.float32 if str(device).split(":")[0] == "cpu" else None

    def _compute_batch_chunk_size(
        self, num_batches: int, in_features: int, num_classes: int, method: str | None = None
    ) -> int:
        method = str(method if method is not None else self.chunking_method)
        if not method.startswith("aspect_ratio"):
            raise AssertionError(f"unhandled chunking_method: {method!r}")
        factor = int(method.split(":", 1)[1]) if ":" in method else 1
        target = self._ceil_div(num_batches, self._ceil_div(num_classes, in_features))
        chunk_size = 1 << (target - 1).bit_length()  # the power of 2 at or above target
        return min(chunk_size // factor, num_batches)

    def _adjust(
        self,
        num_batches: int,
        in_features: int,
        num_classes: int,
        dtype: Any,
        device: Any = None,
    ) -> LinearCrossEntropyOptions:
        """torch's resolution of "auto" and None against one call: concrete options, or torch's
        ValueError when ``batch_chunk_size`` and ``chunking_method`` give different sizes."""
        acc_policy: Any = self.acc_policy
        chunking_method = self.chunking_method
        if chunking_method == "auto" and self.batch_chunk_size is not None:
            chunking_method = None  # an explicit size wins over the heuristic
        if acc_policy == "auto" or chunking_method == "auto":
            device_type = None if device is None else str(device).split(":")[0]
            ap, cm = _AUTO_DEFAULTS.get((str(device_type), np.dtype(dtype)), _AUTO_FALLBACK)
            if acc_policy == "auto":
                acc_policy = ap
            if chunking_method == "auto":
                chunking_method = cm
        if self.batch_chunk_size is None:
            batch_chunk_size = num_batches
        else:
            batch_chunk_size = min(self.batch_chunk_size, num_batches)
        if chunking_method is not None:
            batch_chunk_size = self._compute_batch_chunk_size(
                num_batches, in_features, num_classes, chunking_method
            )
            if self.batch_chunk_size is not None and self.batch_chunk_size != batch_chunk_size:
                raise ValueError(
                    f"batch_chunk_size (={self.batch_chunk_size}) and chunking_method "
                    f"('{chunking_method}') give different chunk sizes ({self.batch_chunk_size} "
                    f"vs {batch_chunk_size}); pass only one."
                )
        if self.acc_dtype is None:
            auto = (
                self._resolve_auto_acc_dtype(dtype, device) if self.acc_policy == "auto" else None
            )
            acc_dtype = auto if auto is not None else dtype
        else:
            acc_dtype = self.acc_dtype
        return dataclasses.replace(
            self,
            acc_policy=acc_policy,
            chunking_method=chunking_method,
            batch_chunk_size=max(1, batch_chunk_size),
            acc_dtype=acc_dtype,
        )


def _is_acc_dtype(value: Any) -> bool:
    if isinstance(value, str):  # np.dtype("float32") == "float32": torch refuses names
        return False
    try:
        return np.dtype(value) in _ACC_DTYPES
    except TypeError:
        return False

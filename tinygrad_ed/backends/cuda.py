"""``tinygrad_ed.backends.cuda``: ``torch.backends.cuda`` without CUDA.

``matmul.allow_tf32`` and ``matmul.allow_fp16_reduced_precision_reduction`` hold torch's
defaults and may be set; products here are numpy's, in the tensors' own dtype, whatever they say.
"""

from __future__ import annotations

__all__ = ["is_built", "matmul"]


class _MatmulSwitches:
    """``torch.backends.cuda.matmul``: settable switches of CUDA's matrix products."""

    def __init__(self) -> None:
        self.allow_tf32 = False
        self.allow_fp16_reduced_precision_reduction = True
        self.allow_bf16_reduced_precision_reduction = True


matmul = _MatmulSwitches()


def is_built() -> bool:
    """False: this library is not built with CUDA (``torch.backends.cuda.is_built``)."""
    return False

"""``torch.nn.modules.linear_cross_entropy_options``: ``LinearCrossEntropyOptions``, the chunking
options of ``F.linear_cross_entropy`` and ``nn.LinearCrossEntropyLoss``. The class is the one
defined in ``tinygrad_ed._linear_cross_entropy_options`` (``nn.LinearCrossEntropyOptions``),
re-exported at torch's path.
"""

from __future__ import annotations

from ..._linear_cross_entropy_options import (
    LinearCrossEntropyOptions as LinearCrossEntropyOptions,
)

__all__ = ["LinearCrossEntropyOptions"]

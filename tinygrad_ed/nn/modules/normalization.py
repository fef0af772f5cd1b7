"""``torch.nn.modules.normalization``: layer, group, RMS and local response normalization. The
classes are the ones defined in ``tinygrad_ed.nn`` (``nn/normalization.py``), re-exported at
torch's path. Not here: ``CrossMapLRN2d``.
"""

from __future__ import annotations

from ..normalization import (
    GroupNorm as GroupNorm,
)
from ..normalization import (
    LayerNorm as LayerNorm,
)
from ..normalization import (
    LocalResponseNorm as LocalResponseNorm,
)
from ..normalization import (
    RMSNorm as RMSNorm,
)

__all__ = ["GroupNorm", "LayerNorm", "LocalResponseNorm", "RMSNorm"]

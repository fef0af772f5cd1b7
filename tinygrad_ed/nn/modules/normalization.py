"""``torch.nn.modules.normalization``: layer, group, RMS and local response normalization, and
Lua Torch's ``CrossMapLRN2d``. The classes are the ones defined in ``tinygrad_ed.nn``
(``nn/normalization.py``), re-exported at torch's path.
"""

from __future__ import annotations

from ..normalization import (
    CrossMapLRN2d as CrossMapLRN2d,
)
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

__all__ = ["CrossMapLRN2d", "GroupNorm", "LayerNorm", "LocalResponseNorm", "RMSNorm"]

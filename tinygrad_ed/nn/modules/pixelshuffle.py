"""``torch.nn.modules.pixelshuffle``: ``PixelShuffle`` and ``PixelUnshuffle``. The classes are the
ones defined in ``tinygrad_ed.nn`` (``nn/resample.py``), re-exported at torch's path.
"""

from __future__ import annotations

from ..resample import (
    PixelShuffle as PixelShuffle,
)
from ..resample import (
    PixelUnshuffle as PixelUnshuffle,
)

__all__ = ["PixelShuffle", "PixelUnshuffle"]

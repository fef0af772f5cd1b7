"""``torch.nn.modules.upsampling``: the upsampling layers. The classes are the ones defined in
``tinygrad_ed.nn`` (``nn/resample.py``), re-exported at torch's path.
"""

from __future__ import annotations

from ..resample import (
    Upsample as Upsample,
)
from ..resample import (
    UpsamplingBilinear2d as UpsamplingBilinear2d,
)
from ..resample import (
    UpsamplingNearest2d as UpsamplingNearest2d,
)

__all__ = ["Upsample", "UpsamplingBilinear2d", "UpsamplingNearest2d"]

"""``torch.nn.modules.instancenorm``: instance normalization and its base ``_InstanceNorm``. The
classes are the ones defined in ``tinygrad_ed.nn`` (``nn/normalization.py``, ``nn/lazy.py``),
re-exported at torch's path.
"""

from __future__ import annotations

from ..lazy import (
    LazyInstanceNorm1d as LazyInstanceNorm1d,
)
from ..lazy import (
    LazyInstanceNorm2d as LazyInstanceNorm2d,
)
from ..lazy import (
    LazyInstanceNorm3d as LazyInstanceNorm3d,
)
from ..normalization import (
    InstanceNorm1d as InstanceNorm1d,
)
from ..normalization import (
    InstanceNorm2d as InstanceNorm2d,
)
from ..normalization import (
    InstanceNorm3d as InstanceNorm3d,
)
from ..normalization import (
    _InstanceNorm as _InstanceNorm,
)

__all__ = [
    "InstanceNorm1d",
    "InstanceNorm2d",
    "InstanceNorm3d",
    "LazyInstanceNorm1d",
    "LazyInstanceNorm2d",
    "LazyInstanceNorm3d",
]

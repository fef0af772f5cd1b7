"""``torch.nn.modules.batchnorm``: batch normalization and its bases ``_NormBase`` (shared with
InstanceNorm), ``_BatchNorm`` and ``_LazyNormBase``. The classes are the ones defined in
``tinygrad_ed.nn`` (``nn/normalization.py``, ``nn/lazy.py``), re-exported at torch's path. Not
here: ``SyncBatchNorm`` (multi-process).
"""

from __future__ import annotations

from ..lazy import (
    LazyBatchNorm1d as LazyBatchNorm1d,
)
from ..lazy import (
    LazyBatchNorm2d as LazyBatchNorm2d,
)
from ..lazy import (
    LazyBatchNorm3d as LazyBatchNorm3d,
)
from ..lazy import (
    _LazyNormBase as _LazyNormBase,
)
from ..normalization import (
    BatchNorm1d as BatchNorm1d,
)
from ..normalization import (
    BatchNorm2d as BatchNorm2d,
)
from ..normalization import (
    BatchNorm3d as BatchNorm3d,
)
from ..normalization import (
    _BatchNorm as _BatchNorm,
)
from ..normalization import (
    _NormBase as _NormBase,
)

__all__ = [
    "BatchNorm1d",
    "BatchNorm2d",
    "BatchNorm3d",
    "LazyBatchNorm1d",
    "LazyBatchNorm2d",
    "LazyBatchNorm3d",
]

"""``torch.nn.modules.padding``: the padding layers and their bases ``_ConstantPadNd``,
``_ReflectionPadNd``, ``_ReplicationPadNd`` and ``_CircularPadNd``. The classes are the ones
defined in ``tinygrad_ed.nn`` (``nn/padding.py``), re-exported at torch's path.
"""

from __future__ import annotations

from ..padding import (
    CircularPad1d as CircularPad1d,
)
from ..padding import (
    CircularPad2d as CircularPad2d,
)
from ..padding import (
    CircularPad3d as CircularPad3d,
)
from ..padding import (
    ConstantPad1d as ConstantPad1d,
)
from ..padding import (
    ConstantPad2d as ConstantPad2d,
)
from ..padding import (
    ConstantPad3d as ConstantPad3d,
)
from ..padding import (
    ReflectionPad1d as ReflectionPad1d,
)
from ..padding import (
    ReflectionPad2d as ReflectionPad2d,
)
from ..padding import (
    ReflectionPad3d as ReflectionPad3d,
)
from ..padding import (
    ReplicationPad1d as ReplicationPad1d,
)
from ..padding import (
    ReplicationPad2d as ReplicationPad2d,
)
from ..padding import (
    ReplicationPad3d as ReplicationPad3d,
)
from ..padding import (
    ZeroPad1d as ZeroPad1d,
)
from ..padding import (
    ZeroPad2d as ZeroPad2d,
)
from ..padding import (
    ZeroPad3d as ZeroPad3d,
)
from ..padding import (
    _CircularPadNd as _CircularPadNd,
)
from ..padding import (
    _ConstantPadNd as _ConstantPadNd,
)
from ..padding import (
    _ReflectionPadNd as _ReflectionPadNd,
)
from ..padding import (
    _ReplicationPadNd as _ReplicationPadNd,
)

__all__ = [
    "CircularPad1d",
    "CircularPad2d",
    "CircularPad3d",
    "ConstantPad1d",
    "ConstantPad2d",
    "ConstantPad3d",
    "ReflectionPad1d",
    "ReflectionPad2d",
    "ReflectionPad3d",
    "ReplicationPad1d",
    "ReplicationPad2d",
    "ReplicationPad3d",
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
]

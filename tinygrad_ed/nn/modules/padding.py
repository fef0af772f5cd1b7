"""``torch.nn.modules.padding``: the padding layers and their bases ``_ConstantPadNd``,
``_ReflectionPadNd``, ``_ReplicationPadNd`` and ``_CircularPadNd``. The classes are the ones
defined in ``tinygrad_ed.nn`` (``nn/padding.py``), re-exported at torch's path.
"""

from __future__ import annotations

from ..padding import *  # noqa: F403  (its __all__, torch's public names of the module)
from ..padding import __all__ as __all__
from ..padding import _CircularPadNd as _CircularPadNd
from ..padding import _ConstantPadNd as _ConstantPadNd
from ..padding import _ReflectionPadNd as _ReflectionPadNd
from ..padding import _ReplicationPadNd as _ReplicationPadNd

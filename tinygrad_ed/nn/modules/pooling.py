"""``torch.nn.modules.pooling``: the pooling layers and their bases ``_MaxPoolNd``, ``_AvgPoolNd``,
``_AdaptiveAvgPoolNd``, ``_AdaptiveMaxPoolNd``, ``_LPPoolNd`` and ``_MaxUnpoolNd``. The classes
are the ones defined in ``tinygrad_ed.nn`` (``nn/pooling.py``), re-exported at torch's path.
"""

from __future__ import annotations

from ..pooling import *  # noqa: F403  (its __all__, torch's public names of the module)
from ..pooling import __all__ as __all__
from ..pooling import _AdaptiveAvgPoolNd as _AdaptiveAvgPoolNd
from ..pooling import _AdaptiveMaxPoolNd as _AdaptiveMaxPoolNd
from ..pooling import _AvgPoolNd as _AvgPoolNd
from ..pooling import _LPPoolNd as _LPPoolNd
from ..pooling import _MaxPoolNd as _MaxPoolNd
from ..pooling import _MaxUnpoolNd as _MaxUnpoolNd

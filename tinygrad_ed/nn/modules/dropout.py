"""``torch.nn.modules.dropout``: the dropout layers and their base ``_DropoutNd``. The classes are
the ones defined in ``tinygrad_ed.nn`` (``nn/layers.py``), re-exported at torch's path.
"""

from __future__ import annotations

from ..layers import (
    AlphaDropout as AlphaDropout,
)
from ..layers import (
    Dropout as Dropout,
)
from ..layers import (
    Dropout1d as Dropout1d,
)
from ..layers import (
    Dropout2d as Dropout2d,
)
from ..layers import (
    Dropout3d as Dropout3d,
)
from ..layers import (
    FeatureAlphaDropout as FeatureAlphaDropout,
)
from ..layers import (
    _DropoutNd as _DropoutNd,
)

__all__ = ["AlphaDropout", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "FeatureAlphaDropout"]

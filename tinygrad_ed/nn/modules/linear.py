"""``torch.nn.modules.linear``: the linear layers. The classes are the ones defined in
``tinygrad_ed.nn`` (``nn/layers.py``, ``nn/lazy.py``), re-exported at torch's path.
"""

from __future__ import annotations

from ..layers import (
    Bilinear as Bilinear,
)
from ..layers import (
    Identity as Identity,
)
from ..layers import (
    Linear as Linear,
)
from ..lazy import (
    LazyLinear as LazyLinear,
)

__all__ = ["Bilinear", "Identity", "LazyLinear", "Linear"]

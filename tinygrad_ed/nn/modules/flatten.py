"""``torch.nn.modules.flatten``: ``Flatten`` and ``Unflatten``. The classes are the ones defined in
``tinygrad_ed.nn`` (``nn/layers.py``), re-exported at torch's path.
"""

from __future__ import annotations

from ..layers import (
    Flatten as Flatten,
)
from ..layers import (
    Unflatten as Unflatten,
)

__all__ = ["Flatten", "Unflatten"]

"""``torch.nn.modules.fold``: ``Fold`` and ``Unfold``. The classes are the ones defined in
``tinygrad_ed.nn`` (``nn/conv.py``), re-exported at torch's path.
"""

from __future__ import annotations

from ..conv import (
    Fold as Fold,
)
from ..conv import (
    Unfold as Unfold,
)

__all__ = ["Fold", "Unfold"]

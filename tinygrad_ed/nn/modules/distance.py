"""``torch.nn.modules.distance``: the distance layers. The classes are the ones defined in
``tinygrad_ed.nn`` (``nn/distance.py``), re-exported at torch's path.
"""

from __future__ import annotations

from ..distance import (
    CosineSimilarity as CosineSimilarity,
)
from ..distance import (
    PairwiseDistance as PairwiseDistance,
)

__all__ = ["CosineSimilarity", "PairwiseDistance"]

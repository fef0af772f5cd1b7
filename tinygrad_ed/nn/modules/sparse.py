"""``torch.nn.modules.sparse``: ``Embedding`` and ``EmbeddingBag``. The classes are the ones
defined in ``tinygrad_ed.nn`` (``nn/embedding.py``), re-exported at torch's path.
"""

from __future__ import annotations

from ..embedding import (
    Embedding as Embedding,
)
from ..embedding import (
    EmbeddingBag as EmbeddingBag,
)

__all__ = ["Embedding", "EmbeddingBag"]

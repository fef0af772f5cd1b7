"""``torch.nn.modules.transformer``: the transformer layers. The classes are the ones defined in
``tinygrad_ed.nn`` (``nn/transformer.py``), re-exported at torch's path.
"""

from __future__ import annotations

from ..transformer import (
    Transformer as Transformer,
)
from ..transformer import (
    TransformerDecoder as TransformerDecoder,
)
from ..transformer import (
    TransformerDecoderLayer as TransformerDecoderLayer,
)
from ..transformer import (
    TransformerEncoder as TransformerEncoder,
)
from ..transformer import (
    TransformerEncoderLayer as TransformerEncoderLayer,
)

__all__ = [
    "Transformer",
    "TransformerDecoder",
    "TransformerDecoderLayer",
    "TransformerEncoder",
    "TransformerEncoderLayer",
]

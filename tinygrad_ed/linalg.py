"""``tinygrad_ed.linalg``: linear algebra with gradients, as ``torch.linalg``.

Each function takes (batches of) matrices in the last two dims, as torch's. The primitives
(determinant, inverse, solves, factorizations) are declared in the registry (``ops.py``) with
one derivative rule per input; the rest is composed from them.
"""

from __future__ import annotations

from ._namespace import det, inverse

inv = inverse

__all__ = ["det", "inv"]

"""``tinygrad_ed.backends``: the switches of ``torch.backends`` that torch code sets or asks.

PyTorch equivalent: ``torch.backends.cudnn``, ``torch.backends.mps`` and ``torch.backends.cuda``.
Reproducibility boilerplate sets ``torch.backends.cudnn.deterministic = True`` and
``torch.backends.cudnn.benchmark = False``; device selection asks
``torch.backends.mps.is_available()``. numpy on the CPU has none of these backends: the queries
answer as torch does without them, and the switches are plain attributes that change nothing
(every computation here is already deterministic: see ``use_deterministic_algorithms``).
"""

from __future__ import annotations

from . import cuda, cudnn, mps

__all__ = ["cuda", "cudnn", "mps"]

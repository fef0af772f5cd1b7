"""``torch.nn.modules.lazy``: ``LazyModuleMixin``. The classes are the ones defined in
``tinygrad_ed.nn`` (``nn/lazy.py``), re-exported at torch's path.
"""

from __future__ import annotations

from ..lazy import (
    LazyModuleMixin as LazyModuleMixin,
)

__all__ = ["LazyModuleMixin"]

"""``torch.nn.modules.module``: ``Module``. The classes are the ones defined in ``tinygrad_ed.nn``
(``nn/module.py``), re-exported at torch's path. Not here: the global ``register_module_*_hook``
functions.
"""

from __future__ import annotations

from ..module import (
    Module as Module,
)
from ..module import (
    _addindent as _addindent,
)

__all__ = ["Module"]

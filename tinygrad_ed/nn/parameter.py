"""``nn.parameter``: the kinds of tensors a Module registers (``torch.nn.parameter``).

``Parameter`` (trained), ``Buffer`` (saved, not trained), and the uninitialized ones of the
Lazy modules, ``UninitializedParameter`` and ``UninitializedBuffer``; all defined in
``nn.module``, next to the Module that treats them specially.
"""

from __future__ import annotations

from .module import Buffer, Parameter, UninitializedBuffer, UninitializedParameter

__all__ = ["Buffer", "Parameter", "UninitializedBuffer", "UninitializedParameter"]

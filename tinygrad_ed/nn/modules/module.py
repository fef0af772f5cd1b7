"""``torch.nn.modules.module``: ``Module`` and the global hooks common to every module
(``register_module_forward_pre_hook``, ``register_module_forward_hook``,
``register_module_full_backward_pre_hook``, ``register_module_full_backward_hook``, the
deprecated ``register_module_backward_hook`` and the buffer, module and parameter registration
hooks). They are the ones defined in ``tinygrad_ed.nn`` (``nn/module.py``), re-exported at
torch's path.
"""

from __future__ import annotations

from ..module import (
    Module as Module,
)
from ..module import (
    _addindent as _addindent,
)
from ..module import (
    register_module_backward_hook as register_module_backward_hook,
)
from ..module import (
    register_module_buffer_registration_hook as register_module_buffer_registration_hook,
)
from ..module import (
    register_module_forward_hook as register_module_forward_hook,
)
from ..module import (
    register_module_forward_pre_hook as register_module_forward_pre_hook,
)
from ..module import (
    register_module_full_backward_hook as register_module_full_backward_hook,
)
from ..module import (
    register_module_full_backward_pre_hook as register_module_full_backward_pre_hook,
)
from ..module import (
    register_module_module_registration_hook as register_module_module_registration_hook,
)
from ..module import (
    register_module_parameter_registration_hook as register_module_parameter_registration_hook,
)

__all__ = [
    "Module",
    "register_module_backward_hook",
    "register_module_buffer_registration_hook",
    "register_module_forward_hook",
    "register_module_forward_pre_hook",
    "register_module_full_backward_hook",
    "register_module_full_backward_pre_hook",
    "register_module_module_registration_hook",
    "register_module_parameter_registration_hook",
]

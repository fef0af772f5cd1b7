"""``torch.nn.modules.container``: the containers. The classes are the ones defined in
``tinygrad_ed.nn`` (``nn/layers.py``), re-exported at torch's path. Not here: ``Container``
(deprecated in torch).
"""

from __future__ import annotations

from ..layers import (
    ModuleDict as ModuleDict,
)
from ..layers import (
    ModuleList as ModuleList,
)
from ..layers import (
    ParameterDict as ParameterDict,
)
from ..layers import (
    ParameterList as ParameterList,
)
from ..layers import (
    Sequential as Sequential,
)

__all__ = ["ModuleDict", "ModuleList", "ParameterDict", "ParameterList", "Sequential"]

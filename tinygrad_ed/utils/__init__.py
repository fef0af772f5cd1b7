"""``tinygrad_ed.utils``: ``torch.utils``'s place, holding ``data``.

PyTorch equivalent: ``torch.utils``. Only ``utils.data`` is here: it is ``tinygrad_ed.data``
(datasets, samplers, ``DataLoader``) under torch's path, so that ``from torch.utils.data
import DataLoader, TensorDataset`` ports by changing the package name.
"""

from __future__ import annotations

import sys

from .. import data as data

# ``import tinygrad_ed.utils.data`` and ``from tinygrad_ed.utils.data import …`` find the same
# module object as ``tinygrad_ed.data``, not a second copy.
sys.modules[f"{__name__}.data"] = data

__all__ = ["data"]

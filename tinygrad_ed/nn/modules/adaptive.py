"""``torch.nn.modules.adaptive``: the adaptive softmax. The classes are the ones defined in
``tinygrad_ed.nn`` (``nn/adaptive.py``), re-exported at torch's path.
"""

from __future__ import annotations

from ..adaptive import (
    AdaptiveLogSoftmaxWithLoss as AdaptiveLogSoftmaxWithLoss,
)

__all__ = ["AdaptiveLogSoftmaxWithLoss"]

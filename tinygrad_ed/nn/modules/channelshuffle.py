"""``torch.nn.modules.channelshuffle``: ``ChannelShuffle``. The classes are the ones defined in
``tinygrad_ed.nn`` (``nn/resample.py``), re-exported at torch's path.
"""

from __future__ import annotations

from ..resample import (
    ChannelShuffle as ChannelShuffle,
)

__all__ = ["ChannelShuffle"]

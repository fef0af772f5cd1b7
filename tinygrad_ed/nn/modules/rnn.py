"""``torch.nn.modules.rnn``: the recurrent layers and cells and their bases ``RNNBase`` and
``RNNCellBase``. The classes are the ones defined in ``tinygrad_ed.nn`` (``nn/rnn.py``), re-
exported at torch's path.
"""

from __future__ import annotations

from ..rnn import (
    GRU as GRU,
)
from ..rnn import (
    LSTM as LSTM,
)
from ..rnn import (
    RNN as RNN,
)
from ..rnn import (
    GRUCell as GRUCell,
)
from ..rnn import (
    LSTMCell as LSTMCell,
)
from ..rnn import (
    RNNBase as RNNBase,
)
from ..rnn import (
    RNNCell as RNNCell,
)
from ..rnn import (
    RNNCellBase as RNNCellBase,
)

__all__ = ["GRU", "LSTM", "RNN", "GRUCell", "LSTMCell", "RNNBase", "RNNCell", "RNNCellBase"]

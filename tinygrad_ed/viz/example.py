"""The small model ``python -m tinygrad_ed.viz`` draws: a 2-layer MLP on one batch of digits.

    h = relu(x W₁ᵀ + b₁),   f = h W₂ᵀ + b₂,   F = cross_entropy(f, y) + λ (‖W₁‖² + ‖W₂‖²)

``x`` is a few 8×8 digit images scaled to [0, 1]; the seed is fixed, so the pictures (and their
DOT text) are the same on every run. The L2 penalty is there for the lesson as much as for the
model: each weight then feeds two consumers (its layer and the penalty), so the backward graph
shows a gradient being summed over fan-out, W̄ = (from the layer) + 2λW.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from ..data import load_digits
from ..random import manual_seed
from ..tensor import Tensor

__all__ = ["example_loss"]


def example_loss(
    batch: int = 4, hidden: int = 16, seed: int = 0, weight_decay: float = 1e-3
) -> tuple[Tensor, Any, dict[str, Tensor]]:
    """``(loss, model, names)`` of the bundled example, for ``draw_forward``/``draw_backward``.

    The model is a ``tinygrad_ed.nn`` module with ``fc1``, ``act`` and ``fc2``, so each layer
    becomes a cluster of the drawing.
    """
    if batch < 1 or hidden < 1:
        raise ValueError(f"example_loss(): batch and hidden must be >= 1, got {batch}, {hidden}")
    if weight_decay < 0:
        raise ValueError(f"example_loss(): weight_decay must be >= 0, got {weight_decay}")
    from .. import nn  # here, not at the top: viz must import even while nn is being changed

    class MLP(nn.Module):
        """Two affine layers with a ReLU between them."""

        def __init__(self, n_in: int, n_hidden: int, n_out: int) -> None:
            super().__init__()
            self.fc1 = nn.Linear(n_in, n_hidden)
            self.act = nn.ReLU()
            self.fc2 = nn.Linear(n_hidden, n_out)

        def forward(self, x: Tensor) -> Tensor:
            return self.fc2(self.act(self.fc1(x)))  # type: ignore[no-any-return]

    manual_seed(seed)
    X, y = load_digits()
    x = Tensor(X[:batch] / 16.0, dtype=np.float32)
    model = MLP(X.shape[1], hidden, 10)
    loss = F.cross_entropy(model(x), y[:batch])
    if weight_decay:
        loss = loss + F.l2_penalty([model.fc1.weight, model.fc2.weight], weight_decay)
    return loss, model, {"x (digits)": x}

"""Activation functions as modules, for use inside ``Sequential``.

Each is a thin wrapper over the primitive of the same name; the derivative rule lives in the op
table. PyTorch equivalents: ``torch.nn.ReLU``, ``Sigmoid``, ``Tanh``, ``Softmax``, ``LogSoftmax``.
"""

from __future__ import annotations

from .. import functional as F
from ..tensor import Tensor
from .module import Module

__all__ = ["LogSoftmax", "ReLU", "Sigmoid", "Softmax", "Tanh"]


def _softmax_dim(dim: int | None, ndim: int) -> int:
    # torch's legacy rule for Softmax(dim=None): 0 for 0-, 1- and 3-d inputs, else 1.
    if dim is not None:
        return dim
    return 0 if ndim in (0, 1, 3) else 1


class ReLU(Module):
    """``y = max(x, 0)``; ``x̄ = ȳ·[x > 0]`` (relu'(0) = 0, as torch).

    ``inplace`` is accepted for compatibility; the result is always a new tensor.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Tensor) -> Tensor:
        return F.relu(x)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    """``y = σ(x) = 1 / (1 + e⁻ˣ)``; ``x̄ = ȳ·y(1 − y)``."""

    def forward(self, x: Tensor) -> Tensor:
        return F.sigmoid(x)


class Tanh(Module):
    """``y = tanh x``; ``x̄ = ȳ·(1 − y²)``."""

    def forward(self, x: Tensor) -> Tensor:
        return F.tanh(x)


class Softmax(Module):
    """``yₖ = e^{xₖ} / Σⱼ e^{xⱼ}`` along ``dim``; ``x̄ = y ⊙ (ȳ − Σₖ ȳₖ yₖ)``.

    ``dim=None`` follows torch's legacy choice (dim 0 for 0/1/3-d inputs, else 1); prefer an
    explicit ``dim``.
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        return F.softmax(x, _softmax_dim(self.dim, x.ndim))

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """``y = x − log Σ eˣ`` along ``dim``; ``x̄ = ȳ − softmax(x)·Σₖ ȳₖ``. Pair it with NLLLoss."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        return F.log_softmax(x, _softmax_dim(self.dim, x.ndim))

    def extra_repr(self) -> str:
        return f"dim={self.dim}"

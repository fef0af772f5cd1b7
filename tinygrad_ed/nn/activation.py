"""Activation functions as modules, for use inside ``Sequential``.

Each is a thin wrapper over the primitive of the same name; the derivative rule lives in the op
table (or, for the compositions, in the ops they are built of). PyTorch equivalents:
``torch.nn.ReLU``, ``Sigmoid``, ``Tanh``, ``Softmax``, ``LogSoftmax``, ``Softmin``, ``LeakyReLU``,
``ELU``, ``SELU``, ``CELU``, ``Softplus``, ``GELU``, ``SiLU``, ``Mish``, ``LogSigmoid``,
``Hardtanh``, ``ReLU6``, ``Hardsigmoid``, ``Hardswish``, ``Softsign``, ``Threshold``,
``Hardshrink``, ``Softshrink``, ``Tanhshrink``, ``GLU``, ``Softmax2d``, ``RReLU`` (random slopes
while training) and ``PReLU`` (the one with a learnable parameter).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from .._device import _check_device
from .._warn import warn
from ..tensor import DTypeLike, Tensor
from . import init
from .layers import _float_dtype, _int, _need_tensor
from .module import Module, Parameter

__all__ = [
    "CELU",
    "ELU",
    "GELU",
    "GLU",
    "SELU",
    "Hardshrink",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
    "LeakyReLU",
    "LogSigmoid",
    "LogSoftmax",
    "Mish",
    "PReLU",
    "RReLU",
    "ReLU",
    "ReLU6",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softmax2d",
    "Softmin",
    "Softplus",
    "Softshrink",
    "Softsign",
    "Tanh",
    "Tanhshrink",
    "Threshold",
]


def _check_dim(dim: Any, layer: str) -> int | None:
    return None if dim is None else _int(dim, layer, "dim")


class ReLU(Module):
    """``y = max(x, 0)``; ``x̄ = ȳ·[x > 0]`` (relu'(0) = 0, as torch).

    ``inplace=True`` writes the result into the input and returns it, as torch.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.relu(input, self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    """``y = σ(x) = 1 / (1 + e⁻ˣ)``; ``x̄ = ȳ·y(1 − y)``."""

    def forward(self, input: Tensor) -> Tensor:
        return F.sigmoid(input)


class Tanh(Module):
    """``y = tanh x``; ``x̄ = ȳ·(1 − y²)``."""

    def forward(self, input: Tensor) -> Tensor:
        return F.tanh(input)


class Softmax(Module):
    """``yₖ = e^{xₖ} / Σⱼ e^{xⱼ}`` along ``dim``; ``x̄ = y ⊙ (ȳ − Σₖ ȳₖ yₖ)``.

    ``dim=None`` follows torch's deprecated implicit choice (dim 0 for 0/1/3-d inputs, else 1)
    with its UserWarning at each call; prefer an explicit ``dim``.
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = _check_dim(dim, type(self).__name__)

    def forward(self, input: Tensor) -> Tensor:
        return F.softmax(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """``y = x − log Σ eˣ`` along ``dim``; ``x̄ = ȳ − softmax(x)·Σₖ ȳₖ``. Pair it with NLLLoss."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = _check_dim(dim, type(self).__name__)

    def forward(self, input: Tensor) -> Tensor:
        return F.log_softmax(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax2d(Module):
    """Softmax over the channels at every location (``nn.Softmax2d``): ``dim=-3`` of a
    (N, C, H, W) or unbatched (C, H, W) input; ``x̄ = y ⊙ (ȳ − Σ_c ȳ_c y_c)``."""

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, "Softmax2d")
        if input.ndim not in (3, 4):
            raise ValueError(
                f"Softmax2d: expected input to be 3D or 4D, got {input.ndim}D instead "
                f"(shape {input.shape})"
            )
        return F.softmax(input, -3)


def _inplace_repr(inplace: bool) -> str:
    return ", inplace=True" if inplace else ""


class LeakyReLU(Module):
    """``y = x`` for x > 0, else ``negative_slope·x``; the derivative at 0 is negative_slope.

    ``inplace=True`` writes the result into the input and returns it, as torch.
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}{_inplace_repr(self.inplace)}"


class RReLU(Module):
    """The randomized leaky ReLU (``nn.RReLU``): while training, ``y = a·x`` for x ≤ 0 with a
    slope ``a ~ U(lower, upper)`` drawn per element and call (``x̄ = ȳ·a``); in eval mode the
    fixed slope ``(lower + upper)/2``. See ``functional.rrelu``.

    ``inplace=True`` writes the result into the input and returns it, as torch.
    """

    def __init__(
        self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False
    ) -> None:
        super().__init__()
        F._check_rrelu_bounds(lower, upper, "RReLU")
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, "RReLU")
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}{_inplace_repr(self.inplace)}"


class ELU(Module):
    """``y = x`` for x > 0, else ``α(eˣ − 1)``; the derivative at 0 is α.

    ``inplace=True`` writes the result into the input and returns it, as torch.
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}{_inplace_repr(self.inplace)}"


class Softplus(Module):
    """``y = ln(1 + e^{βx}) / β``, and x where βx > threshold; ``x̄ = ȳ·σ(βx)`` below it."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class GELU(Module):
    """``y = x·Φ(x)`` (erf form), or its tanh approximation with ``approximate='tanh'``."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    """``y = x·σ(x)``; ``x̄ = ȳ·σ(x)(1 + x(1 − σ(x)))``.

    ``inplace=True`` writes the result into the input and returns it, as torch.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.silu(input, self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class LogSigmoid(Module):
    """``y = ln σ(x) = −ln(1 + e⁻ˣ)``; ``x̄ = ȳ·(1 − σ(x))``."""

    def forward(self, input: Tensor) -> Tensor:
        return F.logsigmoid(input)


class Hardtanh(Module):
    """``y = x`` clipped to [min_val, max_val]; ``x̄ = ȳ·[min_val < x < max_val]`` (0 at the
    bounds, as torch).

    ``inplace=True`` writes the result into the input and returns it, as torch.
    ``min_value`` and ``max_value`` are torch's deprecated names of the bounds: given, they
    replace ``min_val`` and ``max_val``, with torch's FutureWarning.
    """

    def __init__(
        self,
        min_val: float = -1.0,
        max_val: float = 1.0,
        inplace: bool = False,
        min_value: float | None = None,
        max_value: float | None = None,
    ) -> None:
        super().__init__()
        for old, new, value in (
            ("min_value", "min_val", min_value),
            ("max_value", "max_val", max_value),
        ):
            if value is not None:
                warn(
                    f"keyword argument `{old}` is deprecated and renamed to `{new}`", FutureWarning
                )
        min_val = min_val if min_value is None else min_value
        max_val = max_val if max_value is None else max_value
        if not max_val > min_val:  # the layer refuses equal bounds too, as torch's assert
            raise ValueError(
                f"Hardtanh: max_val ({max_val}) must be greater than min_val ({min_val})"
            )
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}{_inplace_repr(self.inplace)}"


class ReLU6(Hardtanh):
    """``y = min(max(x, 0), 6)``: Hardtanh(0, 6), as torch defines it (a subclass), so
    ``x̄ = ȳ·[0 < x < 6]``, 0 at both kinks.

    ``inplace=True`` writes the result into the input and returns it, as torch.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Softmin(Module):
    """``yₖ = e^{−xₖ} / Σⱼ e^{−xⱼ}`` along ``dim``: Softmax of −x.

    ``dim=None`` follows torch's legacy choice, as Softmax's; prefer an explicit ``dim``.
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = _check_dim(dim, type(self).__name__)

    def forward(self, input: Tensor) -> Tensor:
        return F.softmin(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softsign(Module):
    """``y = x / (1 + |x|)``; ``x̄ = ȳ / (1 + |x|)²``."""

    def forward(self, input: Tensor) -> Tensor:
        return F.softsign(input)


class _InplaceFlag(Module):
    """An activation whose only option is torch's ``inplace`` (True: the result is written
    into the input, which is returned)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class SELU(_InplaceFlag):
    """``y = λ·elu(x, α)`` with α ≈ 1.6733, λ ≈ 1.0507; the derivative at 0 is λα."""

    def forward(self, input: Tensor) -> Tensor:
        return F.selu(input, self.inplace)


class Mish(_InplaceFlag):
    """``y = x·tanh(softplus(x))``, with a stable softplus."""

    def forward(self, input: Tensor) -> Tensor:
        return F.mish(input, self.inplace)


class Hardsigmoid(Module):
    """``y = min(max(x + 3, 0), 6) / 6``; ``x̄ = ȳ/6`` for −3 < x < 3, else 0.

    ``inplace=True`` writes into the input, as torch (whose repr leaves it out for this one).
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.hardsigmoid(input, self.inplace)


class Hardswish(Module):
    """``y = x·min(max(x + 3, 0), 6) / 6``; ``x̄ = ȳ·(x/3 + ½)`` for −3 < x < 3, ȳ for x ≥ 3.

    ``inplace=True`` writes into the input, as torch (whose repr leaves it out for this one).
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.hardswish(input, self.inplace)


class CELU(Module):
    """``y = x`` for x > 0, else ``α(e^{x/α} − 1)``; the derivative is 1 at 0.

    ``inplace=True`` writes the result into the input and returns it, as torch.
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.celu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}{_inplace_repr(self.inplace)}"


class Threshold(Module):
    """``y = x`` where x > threshold, else ``value``; ``x̄ = ȳ·[x > threshold]``.

    ``inplace=True`` writes the result into the input and returns it, as torch.
    """

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}{_inplace_repr(self.inplace)}"


class Hardshrink(Module):
    """``y = x`` where |x| > λ, else 0 (``nn.Hardshrink``); ``x̄ = ȳ·[|x| > λ]``, 0 at ±λ."""

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        F._check_number(lambd, "Hardshrink", "lambd")
        self.lambd = lambd

    def forward(self, input: Tensor) -> Tensor:
        return F.hardshrink(input, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Softshrink(Module):
    """``y = x − λ·sign(x)`` where |x| > λ, else 0 (``nn.Softshrink``), λ ≥ 0;
    ``x̄ = ȳ·[|x| > λ]``, 0 at ±λ."""

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        F._check_number(lambd, "Softshrink", "lambd")
        self.lambd = lambd

    def forward(self, input: Tensor) -> Tensor:
        return F.softshrink(input, self.lambd)

    def extra_repr(self) -> str:
        return str(self.lambd)


class Tanhshrink(Module):
    """``y = x − tanh x`` (``nn.Tanhshrink``); ``x̄ = ȳ·tanh² x``."""

    def forward(self, input: Tensor) -> Tensor:
        return F.tanhshrink(input)


class GLU(Module):
    """The gated linear unit (``nn.GLU``): the input's halves a, b along ``dim`` give
    ``y = a ⊙ σ(b)``; ``ā = ȳ·σ(b)``, ``b̄ = ȳ·a·σ(b)(1 − σ(b))``."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = _int(dim, "GLU", "dim")

    def forward(self, input: Tensor) -> Tensor:
        return F.glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class PReLU(Module):
    """``y = x`` for x > 0, else ``w·x``, with a learnable slope ``w``: one shared by all
    channels, or one per channel (dim 1) when ``num_parameters`` is the channel count
    (``torch.nn.PReLU``). ``weight`` has shape (num_parameters,) and starts at ``init``.
    See ``functional.prelu`` for the gradients.
    """

    num_parameters: int
    init: float
    weight: Parameter

    def __init__(
        self,
        num_parameters: int = 1,
        init: float = 0.25,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        _check_device(device, "PReLU()")
        n = _int(num_parameters, "PReLU", "num_parameters")
        if n < 0:
            raise ValueError(f"PReLU(): num_parameters must be non-negative, got {n}")
        if isinstance(init, (bool, np.bool_)) or not isinstance(init, (int, float, np.number)):
            raise TypeError(f"PReLU(): init must be a float, got {init!r}")
        self.num_parameters, self.init = n, init
        self.weight = Parameter(np.empty(n, dtype=_float_dtype(dtype, "PReLU")))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every slope back to ``init``."""
        init.constant_(self.weight, self.init)

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, "PReLU")
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"

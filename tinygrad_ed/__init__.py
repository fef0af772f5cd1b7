"""tinygrad_ed: a small, exact autograd framework on numpy that shows how backprop works.

The public API follows PyTorch: ``Tensor``, creation functions, ``no_grad``, and the
``functional`` (as ``F``), ``nn``, ``optim``, ``data`` and ``autograd`` (with
``autograd.functional``: jacobian, hessian, vjp, jvp, hvp, vhp) modules.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import numpy as np

from . import _autograd_function, _autograd_functional, autograd, data, functional, nn, optim
from .autograd import (
    detect_anomaly,
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from .numgrad import GradcheckError, gradcheck, gradgradcheck, numerical_grad
from .serialization import load, save
from .tensor import (
    OpError,
    Tensor,
    _expect_tensor,
    arange,
    cat,
    ceil,
    chunk,
    cos,
    cumprod,
    cumsum,
    erf,
    expm1,
    eye,
    flip,
    floor,
    full,
    gather,
    get_default_dtype,
    index_select,
    log1p,
    manual_seed,
    masked_fill,
    maximum,
    minimum,
    multinomial,
    ones,
    ones_like,
    prod,
    rand,
    randint,
    randn,
    randperm,
    roll,
    set_default_dtype,
    sign,
    sin,
    sort,
    split,
    stack,
    tensor,
    tile,
    topk,
    trunc,
    where,
    zeros,
    zeros_like,
)

# torch.autograd.functional's place. The engine cannot import it (it builds on Tensor, whose
# module imports the engine), so it is attached here, importable by its torch-style name too.
autograd.functional = _autograd_functional
sys.modules[f"{__name__}.autograd.functional"] = _autograd_functional
# torch.autograd.Function (and torch.autograd.function), attached the same way.
autograd.Function = _autograd_function.Function
autograd.function = _autograd_function
sys.modules[f"{__name__}.autograd.function"] = _autograd_function

float32 = np.float32
float64 = np.float64
int64 = np.int64
bool_ = np.bool_


# Defined here rather than in tensor.py, whose own code calls Python's all, any and round.
def all(input: Tensor, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
    """``torch.all``: see ``Tensor.all``."""
    _expect_tensor(input, "all")
    return input.all(dim, keepdim)


def any(input: Tensor, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
    """``torch.any``: see ``Tensor.any``."""
    _expect_tensor(input, "any")
    return input.any(dim, keepdim)


def square(input: Tensor) -> Tensor:
    """``torch.square``: see ``Tensor.square``."""
    _expect_tensor(input, "square")
    return input.square()


def norm(
    input: Tensor,
    p: float | str = "fro",
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
) -> Tensor:
    """``torch.norm``: see ``Tensor.norm``."""
    _expect_tensor(input, "norm")
    return input.norm(p, dim, keepdim)


def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    """``torch.round``: see ``Tensor.round``."""
    _expect_tensor(input, "round")
    return input.round(decimals=decimals)


__all__ = [
    "GradcheckError",
    "OpError",
    "Tensor",
    "all",
    "any",
    "arange",
    "autograd",
    "bool_",
    "cat",
    "ceil",
    "chunk",
    "cos",
    "cumprod",
    "cumsum",
    "data",
    "detect_anomaly",
    "enable_grad",
    "erf",
    "expm1",
    "eye",
    "flip",
    "float32",
    "float64",
    "floor",
    "full",
    "functional",
    "gather",
    "get_default_dtype",
    "gradcheck",
    "gradgradcheck",
    "index_select",
    "inference_mode",
    "int64",
    "is_grad_enabled",
    "load",
    "log1p",
    "manual_seed",
    "masked_fill",
    "maximum",
    "minimum",
    "multinomial",
    "nn",
    "no_grad",
    "norm",
    "numerical_grad",
    "ones",
    "ones_like",
    "optim",
    "prod",
    "rand",
    "randint",
    "randn",
    "randperm",
    "roll",
    "round",
    "save",
    "set_default_dtype",
    "set_grad_enabled",
    "sign",
    "sin",
    "sort",
    "split",
    "square",
    "stack",
    "tensor",
    "tile",
    "topk",
    "trunc",
    "where",
    "zeros",
    "zeros_like",
]

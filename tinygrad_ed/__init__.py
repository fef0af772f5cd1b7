"""tinygrad_ed: a small, exact autograd framework on numpy that shows how backprop works.

The public API follows PyTorch: ``Tensor``, creation functions, ``no_grad``, and the
``functional`` (as ``F``), ``nn``, ``optim``, ``data`` and ``autograd`` (with
``autograd.functional``: jacobian, hessian, vjp, jvp, hvp, vhp) modules.
"""

from __future__ import annotations

import sys

import numpy as np

from . import _autograd_functional, autograd, data, functional, nn, optim
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
    arange,
    cat,
    eye,
    full,
    gather,
    get_default_dtype,
    manual_seed,
    maximum,
    minimum,
    multinomial,
    ones,
    ones_like,
    rand,
    randint,
    randn,
    randperm,
    set_default_dtype,
    stack,
    tensor,
    where,
    zeros,
    zeros_like,
)

# torch.autograd.functional's place. The engine cannot import it (it builds on Tensor, whose
# module imports the engine), so it is attached here, importable by its torch-style name too.
autograd.functional = _autograd_functional
sys.modules[f"{__name__}.autograd.functional"] = _autograd_functional

float32 = np.float32
float64 = np.float64
int64 = np.int64
bool_ = np.bool_

__all__ = [
    "GradcheckError",
    "OpError",
    "Tensor",
    "arange",
    "autograd",
    "bool_",
    "cat",
    "data",
    "detect_anomaly",
    "enable_grad",
    "eye",
    "float32",
    "float64",
    "full",
    "functional",
    "gather",
    "get_default_dtype",
    "gradcheck",
    "gradgradcheck",
    "inference_mode",
    "int64",
    "is_grad_enabled",
    "load",
    "manual_seed",
    "maximum",
    "minimum",
    "multinomial",
    "nn",
    "no_grad",
    "numerical_grad",
    "ones",
    "ones_like",
    "optim",
    "rand",
    "randint",
    "randn",
    "randperm",
    "save",
    "set_default_dtype",
    "set_grad_enabled",
    "stack",
    "tensor",
    "where",
    "zeros",
    "zeros_like",
]

"""tinygrad_ed: a small, exact autograd framework on numpy that shows how backprop works.

The public API follows PyTorch: ``Tensor``, creation functions, ``no_grad``, and the
``functional`` (as ``F``), ``nn``, ``optim`` and ``data`` modules.
"""

from __future__ import annotations

import numpy as np

from . import data, functional, nn, optim
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

float32 = np.float32
float64 = np.float64
int64 = np.int64
bool_ = np.bool_

__all__ = [
    "GradcheckError",
    "OpError",
    "Tensor",
    "arange",
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

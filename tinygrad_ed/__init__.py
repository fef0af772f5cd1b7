"""tinygrad_ed: a small, exact autograd framework on numpy that shows how backprop works.

The public API follows PyTorch: ``Tensor``, creation functions, ``no_grad``, and the
``functional`` (as ``F``), ``nn``, ``optim`` and ``data`` modules.
"""

from __future__ import annotations

import numpy as np

from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .tensor import (
    Tensor,
    arange,
    cat,
    eye,
    full,
    get_default_dtype,
    manual_seed,
    maximum,
    minimum,
    ones,
    ones_like,
    rand,
    randn,
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
    "Tensor",
    "arange",
    "bool_",
    "cat",
    "enable_grad",
    "eye",
    "float32",
    "float64",
    "full",
    "get_default_dtype",
    "int64",
    "is_grad_enabled",
    "manual_seed",
    "maximum",
    "minimum",
    "no_grad",
    "ones",
    "ones_like",
    "rand",
    "randn",
    "set_default_dtype",
    "set_grad_enabled",
    "stack",
    "tensor",
    "where",
    "zeros",
    "zeros_like",
]

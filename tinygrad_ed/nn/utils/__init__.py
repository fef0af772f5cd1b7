"""``nn.utils``: gradient clipping, flat parameter vectors, weight and spectral normalization,
parametrizations, functional calls, BatchNorm fusion and ``skip_init``.

PyTorch equivalent: ``torch.nn.utils`` (with its submodules ``parametrize``,
``parametrizations``, ``stateless``, ``fusion`` and ``rnn``). ``nn.utils.rnn`` is
``torch.nn.utils.rnn``'s padding and packing of sequences (module ``nn.rnn_utils``).
"""

from __future__ import annotations

import sys

from .. import rnn_utils as rnn
from . import fusion, parametrizations, parametrize, stateless
from ._clip_grad import (
    clip_grad_norm,
    clip_grad_norm_,
    clip_grad_value_,
    clip_grads_with_norm_,
    get_total_norm,
)
from .convert_parameters import parameters_to_vector, vector_to_parameters
from .fusion import (
    fuse_conv_bn_eval,
    fuse_conv_bn_weights,
    fuse_linear_bn_eval,
    fuse_linear_bn_weights,
)
from .init import skip_init
from .spectral_norm import remove_spectral_norm, spectral_norm
from .weight_norm import remove_weight_norm, weight_norm

# ``import tinygrad_ed.nn.utils.rnn`` works, as ``import torch.nn.utils.rnn`` does.
sys.modules[f"{__name__}.rnn"] = rnn

__all__ = [
    "clip_grad_norm",
    "clip_grad_norm_",
    "clip_grad_value_",
    "clip_grads_with_norm_",
    "fuse_conv_bn_eval",
    "fuse_conv_bn_weights",
    "fuse_linear_bn_eval",
    "fuse_linear_bn_weights",
    "fusion",
    "get_total_norm",
    "parameters_to_vector",
    "parametrizations",
    "parametrize",
    "remove_spectral_norm",
    "remove_weight_norm",
    "rnn",
    "skip_init",
    "spectral_norm",
    "stateless",
    "vector_to_parameters",
    "weight_norm",
]

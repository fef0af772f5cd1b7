"""``tinygrad_ed.func``: ``torch.func``'s function transforms and ``functional_call``.

``grad``, ``grad_and_value``, ``vjp``, ``jvp``, ``linearize``, ``jacrev``, ``jacfwd``,
``hessian`` and ``vmap``, with torch.func's signatures, semantics and errors, built on this
library's reverse mode (``_func_transforms`` says how): ``jvp`` and ``jacfwd`` use reverse
passes (the double-vjp trick, rows of J), and ``vmap`` is a loop over the batch dimension.
They nest: ``grad(grad(f))`` is f'', ``vmap(grad(f))`` gives per-example gradients.
``functional_call`` (``nn.utils.stateless.functional_call``) runs a module with other
parameters and buffers, which makes a model a function of its weights for these transforms.
"""

from __future__ import annotations

from ._func_transforms import (
    grad,
    grad_and_value,
    hessian,
    jacfwd,
    jacrev,
    jvp,
    linearize,
    vjp,
    vmap,
)
from .nn.utils.stateless import functional_call

__all__ = [
    "functional_call",
    "grad",
    "grad_and_value",
    "hessian",
    "jacfwd",
    "jacrev",
    "jvp",
    "linearize",
    "vjp",
    "vmap",
]

"""``tinygrad_ed.func``: ``torch.func``'s function transforms and ``functional_call``.

``grad``, ``grad_and_value``, ``vjp``, ``jvp``, ``linearize``, ``jacrev``, ``jacfwd``,
``hessian`` and ``vmap``, with torch.func's signatures, semantics and errors, built on this
library's reverse mode (``_func_transforms`` says how): ``jvp`` and ``jacfwd`` use reverse
passes (the double-vjp trick, rows of J), and ``vmap`` is a loop over the batch dimension.
They nest: ``grad(grad(f))`` is f'', ``vmap(grad(f))`` gives per-example gradients.
``functional_call`` (``nn.utils.stateless.functional_call``) runs a module with other
parameters and buffers, which makes a model a function of its weights for these transforms;
``stack_module_state`` stacks an ensemble's weights for ``vmap`` over it, and
``replace_all_batch_norm_modules_`` stops batch norm tracking running statistics.

Not here: ``functionalize`` and ``debug_unwrap``. torch's ``functionalize(f)`` computes the
values and gradients ``f`` does, but it is not the identity transform: its outputs alias
neither the inputs they were views of (``remove="mutations_and_views"``) nor an input ``f``
mutated in place (a new tensor is returned, the input updated by a copy), and it refuses
``requires_grad_``/``autograd.grad`` inside ``f``; the identity would differ on all three.
``debug_unwrap(x)`` inside torch's ``vmap`` returns the whole batch behind ``x`` (of an
intermediate too); ``vmap`` here calls ``f`` on slices, so the batch of an intermediate does
not exist to be returned. ``rearrange`` (einops) is not here either.
"""

from __future__ import annotations

from ._func_modules import replace_all_batch_norm_modules_, stack_module_state
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
    "replace_all_batch_norm_modules_",
    "stack_module_state",
    "vjp",
    "vmap",
]

"""``tinygrad_ed.func``: ``torch.func``'s ``functional_call``.

Only ``functional_call`` (``nn.utils.stateless.functional_call``, which runs a module with
other parameters and buffers); torch.func's transforms (``grad``, ``vmap``, ``jacrev`` …) are
not provided — ``tinygrad_ed.autograd.functional`` has jacobian, hessian, vjp and jvp.
"""

from __future__ import annotations

from .nn.utils.stateless import functional_call

__all__ = ["functional_call"]

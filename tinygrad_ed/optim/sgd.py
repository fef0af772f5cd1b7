"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay.

PyTorch equivalent: ``torch.optim.SGD``; the update is torch's documented algorithm. With
learning rate γ, momentum μ, dampening τ and weight decay λ, for each parameter θ with gradient g:

    g ← −g                                       (with maximize=True, first of all)
    g ← g + λθ                                   (if λ ≠ 0: the gradient of (λ/2)‖θ‖²)
    b ← g  at the first step,  b ← μb + (1 − τ)g  after      (if μ ≠ 0)
    g ← g + μb  (Nesterov)  or  g ← b                       (if μ ≠ 0)
    θ ← θ − γg

So ``weight_decay=2λ`` gives the same step as adding the lecture's penalty ``λ Σ w²`` to the loss.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, _check_fused, _check_nonnegative, _check_real

__all__ = ["SGD"]


class SGD(Optimizer):
    """``SGD(params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
    maximize=False, foreach=None, differentiable=False, fused=None)``.

    ``foreach``, ``differentiable`` and ``fused`` are torch's flags for its other
    implementations: kept in the param groups, they change nothing numerically here; torch's
    refusals on the CPU are kept (see ``optim.optimizer``).
    """

    # torch's SGD.__setstate__ gives an old group fused=False (the constructor's default: None).
    _flag_defaults: ClassVar[dict[str, Any]] = {**Optimizer._flag_defaults, "fused": False}

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        _check_nonnegative("SGD", "learning rate", lr)
        _check_nonnegative("SGD", "momentum value", momentum)
        _check_real("SGD", "dampening", dampening)  # any value, as torch
        _check_nonnegative("SGD", "weight_decay value", weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError(
                f"SGD(): Nesterov momentum requires a momentum and zero dampening "
                f"(got momentum={momentum}, dampening={dampening})"
            )
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        _check_fused("SGD", fused, foreach, differentiable)
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient (in place, no graph)."""
        loss = self._closure(closure)
        for group in self.param_groups:
            lr = group["lr"]
            momentum = group["momentum"]
            dampening = group["dampening"]
            weight_decay = group["weight_decay"]
            nesterov = group["nesterov"]
            for p, g in self._grads(group):
                if weight_decay != 0:
                    g = g + weight_decay * p.data
                if momentum != 0:
                    state = self.state.setdefault(p, {})
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = Tensor._make(np.array(g, copy=True))
                        state["momentum_buffer"] = buf
                    else:
                        b = buf.data
                        b *= momentum
                        if dampening != 0:
                            b += (1 - dampening) * g
                        else:
                            b += g
                    g = g + momentum * buf.data if nesterov else buf.data
                p.data -= lr * g
                p._mark_changed()  # a graph that saved p before this step must not backward
        return loss

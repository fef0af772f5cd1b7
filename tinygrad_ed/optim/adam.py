"""Adam and AdamW: per-coordinate step sizes from running moments of the gradient.

PyTorch equivalents: ``torch.optim.Adam`` and ``torch.optim.AdamW``, following torch's algorithm.
With learning rate γ, betas (β₁, β₂), ε and weight decay λ, at step t for each parameter θ
with gradient g:

    g ← −g                                            (maximize=True only)
    g ← g + λθ          (Adam: L2 in the gradient)    θ ← θ(1 − γλ)   (AdamW: decoupled decay)
    m ← β₁m + (1 − β₁)g                  first moment (m₀ = 0)
    v ← β₂v + (1 − β₂)g²                 second moment (v₀ = 0)
    v_max ← max(v_max, v)                (amsgrad=True; then v_max is used for v below)
    θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)

The bias corrections 1 − βᵗ undo the pull of the zero initial moments towards 0; written out,
the last line is torch's documented ``θ ← θ − γ m̂ / (√v̂ + ε)`` with ``m̂ = m/(1 − β₁ᵗ)`` and
``v̂ = v/(1 − β₂ᵗ)``, evaluated in torch's order.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .optimizer import (
    Optimizer,
    ParamsT,
    _adam_defaults,
    _buffer,
    _check_fused,
    _weight_decay,
    _zeros,
)

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    """``Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
    foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
    decoupled_weight_decay=False)``; with ``decoupled_weight_decay`` it is AdamW.

    ``foreach``, ``capturable``, ``differentiable`` and ``fused`` are torch's flags for its
    other implementations: kept in the param groups, they change nothing numerically here;
    torch's refusals on the CPU are kept (see ``optim.optimizer``).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        name = type(self).__name__
        defaults = _adam_defaults(name, lr, betas, eps, weight_decay, maximize, amsgrad=amsgrad)
        defaults.update(  # after maximize, in torch's order of the keys
            foreach=foreach,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=bool(decoupled_weight_decay),
        )
        _check_fused(name, fused, foreach, differentiable)
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient (in place, no graph)."""
        loss = self._closure(closure)
        for group in self.param_groups:
            lr = group["lr"]
            beta1, beta2 = group["betas"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            amsgrad = group["amsgrad"]
            for p, g in self._grads(group):
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = _zeros(p)
                    state["exp_avg_sq"] = _zeros(p)
                    if amsgrad:
                        state["max_exp_avg_sq"] = _zeros(p)
                state["step"] += 1
                t = state["step"]
                if weight_decay != 0:
                    g = _weight_decay(p, g, lr, weight_decay, group["decoupled_weight_decay"])
                m = state["exp_avg"].data
                v = state["exp_avg_sq"].data
                m *= beta1
                m += (1 - beta1) * g
                v *= beta2
                v += (1 - beta2) * (g * g)
                if amsgrad:
                    v_max = _buffer(state, "max_exp_avg_sq", p)
                    np.maximum(v_max, v, out=v_max)
                    v = v_max
                bias_correction1 = 1 - beta1**t
                bias_correction2_sqrt = math.sqrt(1 - beta2**t)
                denom = np.sqrt(v, out=np.empty_like(v))  # an array even for a 0-d parameter
                denom /= bias_correction2_sqrt
                denom += eps
                np.divide(m, denom, out=denom)
                denom *= lr / bias_correction1
                p.data -= denom
                p._mark_changed()  # a graph that saved p before this step must not backward
        return loss


class AdamW(Adam):
    """Adam with decoupled weight decay: ``θ ← θ(1 − γλ)`` before the Adam step.

    ``AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *,
    maximize=False, foreach=None, capturable=False, differentiable=False, fused=None)``.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )

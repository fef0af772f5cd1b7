"""RAdam: Adam whose adaptive step is switched on gradually, as its variance estimate firms up.

The paper's rule (Liu et al., "On the variance of the adaptive learning rate and beyond", ICLR
2020, Algorithm 2): ρ_∞ = 2/(1 − β₂) − 1 is the length of the simple moving average that
Adam's second moment approximates, and ``ρ_t = ρ_∞ − 2tβ₂ᵗ/(1 − β₂ᵗ)`` its length after t
steps. While ρ_t is small the variance of the adaptive step size √(1/v̂) is intractable and the
step is plain momentum SGD, ``θ_t = θ_{t−1} − α_t m̂_t``; after that it is rectified,
``θ_t = θ_{t−1} − α_t r_t m̂_t l_t`` with ``l_t = √((1 − β₂ᵗ)/v_t)`` and

    r_t = √( (ρ_t − 4)(ρ_t − 2)ρ_∞ / ((ρ_∞ − 4)(ρ_∞ − 2)ρ_t) ),

the ratio that makes the variance of the adaptive step constant. A warm-up without a schedule.

PyTorch equivalent: ``torch.optim.RAdam``, following torch's algorithm, which switches at
ρ_t > 5 (the paper at ρ_t > 4) and adds ε to √v. With learning rate γ, betas (β₁, β₂), ε and
weight decay λ, at step t for each parameter θ with gradient g:

    g ← −g                                            (maximize=True only)
    θ ← θ − γλθ  (decoupled_weight_decay)   or   g ← g + λθ       (if λ ≠ 0)
    m ← β₁m + (1 − β₁)g                               first moment (m₀ = 0)
    v ← β₂v + (1 − β₂)g²                              second moment (v₀ = 0)
    m̂ ← m/(1 − β₁ᵗ)
    ρ_t ← ρ_∞ − 2tβ₂ᵗ/(1 − β₂ᵗ)
    θ ← θ − γ m̂ r_t l_t,   l_t = √(1 − β₂ᵗ)/(√v + ε)    (if ρ_t > 5)
    θ ← θ − γ m̂                                       (otherwise)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .optimizer import (
    Optimizer,
    ParamsT,
    _adam_defaults,
    _lerp_,
    _weight_decay,
    _zeros,
)

__all__ = ["RAdam"]


class RAdam(Optimizer):
    """``RAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
    decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
    differentiable=False)``; the state of each parameter: ``step``, ``exp_avg`` (m),
    ``exp_avg_sq`` (v). ``decoupled_weight_decay=True`` is RAdamW.

    torch's flags for its other implementations, ``foreach``, ``capturable``,
    ``differentiable``, are kept in the param groups and change nothing numerically here;
    torch's refusals on the CPU are kept (see ``optim.optimizer``).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        defaults = _adam_defaults("RAdam", lr, betas, eps, weight_decay, maximize)
        defaults.update(  # after maximize, in torch's order of the keys
            foreach=foreach,
            capturable=capturable,
            decoupled_weight_decay=decoupled_weight_decay,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient (in place, no graph)."""
        loss = self._closure(closure)
        for group in self.param_groups:
            lr = group["lr"]
            beta1, beta2 = group["betas"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            rho_inf = 2 / (1 - beta2) - 1
            for p, g in self._grads(group):
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = _zeros(p)
                    state["exp_avg_sq"] = _zeros(p)
                state["step"] += 1
                t = state["step"]
                if weight_decay != 0:
                    g = _weight_decay(p, g, lr, weight_decay, group["decoupled_weight_decay"])
                m = state["exp_avg"].data
                v = state["exp_avg_sq"].data
                _lerp_(m, g, 1 - beta1)
                v *= beta2
                v += (1 - beta2) * g * g
                bias_correction1 = 1 - beta1**t
                bias_correction2 = 1 - beta2**t
                m_hat = m / bias_correction1
                rho_t = rho_inf - 2 * t * beta2**t / bias_correction2
                if rho_t > 5.0:
                    rect = (
                        (rho_t - 4)
                        * (rho_t - 2)
                        * rho_inf
                        / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
                    ) ** 0.5
                    adaptive = bias_correction2**0.5 / (np.sqrt(v) + eps)
                    p.data -= m_hat * lr * adaptive * rect
                else:
                    p.data -= m_hat * lr
                p._mark_changed()  # a graph that saved p before this step must not backward
        return loss

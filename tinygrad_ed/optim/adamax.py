"""Adamax: Adam with the second moment replaced by an exponentially weighted infinity norm.

The paper's rule (Kingma and Ba, "Adam: a method for stochastic optimization", 2015, section 7.1
and Algorithm 2): ``m_t = β₁m_{t−1} + (1 − β₁)g_t``, ``u_t = max(β₂·u_{t−1}, |g_t|)``,
``θ_t = θ_{t−1} − (α/(1 − β₁ᵗ))·m_t/u_t``. The limit p → ∞ of Adam's Lᵖ norm needs no bias
correction for u, and its step is bounded by α/(1 − β₁ᵗ) per coordinate.

PyTorch equivalent: ``torch.optim.Adamax``, following torch's algorithm, which puts ε inside the
max (so u > 0 even where every gradient so far was 0). With learning rate γ, betas (β₁, β₂), ε
and weight decay λ, at step t for each parameter θ with gradient g:

    g ← −g                                            (maximize=True only)
    g ← g + λθ                                        (if λ ≠ 0)
    m ← β₁m + (1 − β₁)g                               first moment (m₀ = 0)
    u ← max(β₂u, |g| + ε)                             infinity norm (u₀ = 0)
    θ ← θ − γ m / ((1 − β₁ᵗ) u)
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
    _zeros,
)

__all__ = ["Adamax"]


class Adamax(Optimizer):
    """``Adamax(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *,
    maximize=False, differentiable=False, capturable=False)``; the state of each parameter:
    ``step``, ``exp_avg`` (m), ``exp_inf`` (u).

    torch's flags for its other implementations, ``foreach``, ``differentiable``,
    ``capturable``, are kept in the param groups and change nothing numerically here; torch's
    refusals on the CPU are kept (see ``optim.optimizer``).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        defaults = _adam_defaults(
            "Adamax", lr, betas, eps, weight_decay, maximize, foreach=foreach
        )  # torch's order of the keys: foreach before maximize, the other flags after
        defaults.update(differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient (in place, no graph)."""
        loss = self._closure(closure)
        for group in self.param_groups:
            lr = group["lr"]
            beta1, beta2 = group["betas"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            for p, g in self._grads(group):
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = _zeros(p)
                    state["exp_inf"] = _zeros(p)
                state["step"] += 1
                if weight_decay != 0:
                    g = g + weight_decay * p.data
                m = state["exp_avg"].data
                u = state["exp_inf"].data
                _lerp_(m, g, 1 - beta1)
                u *= beta2
                np.maximum(u, np.abs(g) + eps, out=u)
                clr = lr / (1 - beta1 ** state["step"])
                p.data -= clr * m / u
                p._mark_changed()  # a graph that saved p before this step must not backward
        return loss

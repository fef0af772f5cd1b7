"""Adadelta: steps whose size is the running RMS of past steps over the running RMS of gradients.

The paper's rule (Zeiler, "ADADELTA: an adaptive learning rate method", 2012, Algorithm 1):
with ``RMS[y]_t = √(E[y²]_t + ε)``,

    E[g²]_t = ρE[g²]_{t−1} + (1 − ρ)g_t²
    Δx_t = −(RMS[Δx]_{t−1} / RMS[g]_t)·g_t
    E[Δx²]_t = ρE[Δx²]_{t−1} + (1 − ρ)Δx_t²
    x_{t+1} = x_t + Δx_t

The ratio has the units of x (a diagonal Newton step's), so no learning rate is needed.

PyTorch equivalent: ``torch.optim.Adadelta``, following torch's algorithm, which multiplies
the step by a learning rate γ (1 by default, the paper's rule). With decay ρ, ε and weight
decay λ, for each parameter θ with gradient g:

    g ← −g                                            (maximize=True only)
    g ← g + λθ                                        (if λ ≠ 0)
    v ← ρv + (1 − ρ)g²                                square average (v₀ = 0)
    Δ ← √(u + ε)/√(v + ε)·g
    u ← ρu + (1 − ρ)Δ²                                accumulated squared steps (u₀ = 0)
    θ ← θ − γΔ
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .optimizer import Optimizer, ParamsT, _check_nonnegative, _check_real, _zeros

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """``Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
    capturable=False, maximize=False, differentiable=False)``; the state of each parameter:
    ``step``, ``square_avg`` (v), ``acc_delta`` (u).

    torch's flags for its other implementations, ``foreach``, ``capturable``,
    ``differentiable``, are kept in the param groups and change nothing numerically here;
    torch's refusals on the CPU are kept (see ``optim.optimizer``).
    """

    _capturable_needs = (
        "params and state_steps must be on supported devices: ['cuda', 'xpu', 'hpu', "
        "'privateuseone']"
    )

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        _check_nonnegative("Adadelta", "learning rate", lr)
        _check_real("Adadelta", "rho value", rho)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Adadelta(): invalid rho value: {rho}")
        _check_nonnegative("Adadelta", "epsilon value", eps)
        _check_nonnegative("Adadelta", "weight_decay value", weight_decay)
        defaults = {
            "lr": lr,
            "rho": rho,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "capturable": capturable,
            "foreach": foreach,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient (in place, no graph)."""
        loss = self._closure(closure)
        for group in self.param_groups:
            lr = group["lr"]
            rho = group["rho"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            for p, g in self._grads(group):
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["square_avg"] = _zeros(p)
                    state["acc_delta"] = _zeros(p)
                state["step"] += 1
                if weight_decay != 0:
                    g = g + weight_decay * p.data
                v = state["square_avg"].data
                u = state["acc_delta"].data
                v *= rho
                v += (1 - rho) * g * g
                delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
                u *= rho
                u += (1 - rho) * delta * delta
                p.data -= lr * delta
                p._mark_changed()  # a graph that saved p before this step must not backward
        return loss

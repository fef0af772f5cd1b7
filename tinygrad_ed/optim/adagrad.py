"""Adagrad: per-coordinate step sizes that shrink with the sum of all past squared gradients.

The paper's rule (Duchi, Hazan and Singer, "Adaptive subgradient methods for online learning and
stochastic optimization", JMLR 2011), in its diagonal form: with ``G_t = Σ_{τ≤t} g_τ²``
(coordinate-wise), ``θ_{t+1} = θ_t − η·g_t / (δ + √G_t)``. Coordinates with rare or small
gradients (rare features) keep a large step size; frequent ones are damped.

PyTorch equivalent: ``torch.optim.Adagrad``, following torch's algorithm. With learning rate γ,
lr decay η, weight decay λ, initial accumulator value τ and ε, at step t for each parameter θ
with gradient g:

    g ← −g                                            (maximize=True only)
    γ̃ ← γ / (1 + (t − 1)η)
    g ← g + λθ                                        (if λ ≠ 0)
    s ← s + g²                                        state sum (s₀ = τ)
    θ ← θ − γ̃ g/(√s + ε)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, _check_fused, _check_nonnegative

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """``Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
    eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None)``.

    torch's flags for its other implementations, ``foreach``, ``differentiable``, ``fused``, are
    kept in the param groups and change nothing numerically here; torch's refusals on the CPU
    are kept (see ``optim.optimizer``).

    As in torch, the state (``step`` = 0 and ``sum`` = τ) is made when the optimizer is built,
    for every parameter, so ``state_dict()`` holds it before the first step; a group added later
    gets its state at its first step. Each group's own ``initial_accumulator_value`` is used
    (torch uses the constructor's for every group).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        _check_nonnegative("Adagrad", "learning rate", lr)  # torch's order of checks
        _check_nonnegative("Adagrad", "lr_decay value", lr_decay)
        _check_nonnegative("Adagrad", "weight_decay value", weight_decay)
        _check_nonnegative("Adagrad", "initial_accumulator_value value", initial_accumulator_value)
        _check_nonnegative("Adagrad", "epsilon value", eps)
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        _check_fused("Adagrad", fused, foreach, differentiable)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p] = _initial_state(p, group)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient (in place, no graph)."""
        loss = self._closure(closure)
        for group in self.param_groups:
            lr = group["lr"]
            lr_decay = group["lr_decay"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            for p, g in self._grads(group):
                state = self.state[p]
                if not state:  # a group added after construction, or a state dict without it
                    state.update(_initial_state(p, group))
                state["step"] += 1
                if weight_decay != 0:
                    g = g + weight_decay * p.data
                clr = lr / (1 + (state["step"] - 1) * lr_decay)
                s = state["sum"].data
                s += g * g
                p.data -= clr * g / (np.sqrt(s) + eps)
                p._mark_changed()  # a graph that saved p before this step must not backward
        return loss


def _initial_state(p: Tensor, group: dict[str, Any]) -> dict[str, Any]:
    value = group["initial_accumulator_value"]
    return {"step": 0, "sum": Tensor._make(np.full_like(p.data, value))}

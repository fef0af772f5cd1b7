"""RMSprop: divide the gradient by a running root mean square of its recent values.

The paper's rule (Hinton, Coursera lecture 6e, 2012): keep ``MeanSquare(w, t) =
0.9·MeanSquare(w, t−1) + 0.1·(∂E/∂w)²`` and step along ``(∂E/∂w) / √MeanSquare(w, t)``. The
centered form (Graves, "Generating sequences with recurrent neural networks", 2013, eq. 38–41)
also averages the gradient and divides by the estimated standard deviation
``√(n − g̅²)`` instead, with momentum on the step.

PyTorch equivalent: ``torch.optim.RMSprop``, following torch's algorithm, which adds ε after the
square root (Graves adds it inside). With learning rate γ, smoothing constant α, ε, weight
decay λ and momentum μ, for each parameter θ with gradient g:

    g ← −g                                            (maximize=True only)
    g ← g + λθ                                        (if λ ≠ 0)
    v ← αv + (1 − α)g²                                square average (v₀ = 0)
    ṽ ← v
    g̅ ← αg̅ + (1 − α)g,   ṽ ← v − g̅²                  (centered=True; g̅₀ = 0)
    b ← μb + g/(√ṽ + ε),   θ ← θ − γb                 (if μ > 0; b₀ = 0)
    θ ← θ − γ g/(√ṽ + ε)                              (otherwise)

The effective step size is γ/(√v + ε): large where the gradient has been large, so each
coordinate moves about γ per step whatever the scale of its gradient.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .optimizer import Optimizer, ParamsT, _buffer, _check_nonnegative, _lerp_, _zeros

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """``RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
    centered=False, capturable=False, foreach=None, maximize=False, differentiable=False)``.

    torch's flags for its other implementations, ``capturable``, ``foreach``,
    ``differentiable``, are kept in the param groups and change nothing numerically here;
    torch's refusals on the CPU are kept (see ``optim.optimizer``).

    The state of each parameter: ``step``, ``square_avg`` (v), ``momentum_buffer`` (b, if
    ``momentum > 0``) and ``grad_avg`` (g̅, if ``centered``), as torch names them.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        _check_nonnegative("RMSprop", "learning rate", lr)  # torch's order of checks
        _check_nonnegative("RMSprop", "epsilon value", eps)
        _check_nonnegative("RMSprop", "momentum value", momentum)
        _check_nonnegative("RMSprop", "weight_decay value", weight_decay)
        _check_nonnegative("RMSprop", "alpha value", alpha)
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient (in place, no graph)."""
        loss = self._closure(closure)
        for group in self.param_groups:
            lr = group["lr"]
            alpha = group["alpha"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            momentum = group["momentum"]
            centered = group["centered"]
            for p, g in self._grads(group):
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["square_avg"] = _zeros(p)
                    if momentum > 0:
                        state["momentum_buffer"] = _zeros(p)
                    if centered:
                        state["grad_avg"] = _zeros(p)
                state["step"] += 1
                if weight_decay != 0:
                    g = g + weight_decay * p.data
                v = state["square_avg"].data
                v *= alpha
                v += (1 - alpha) * g * g
                if centered:
                    g_avg = _buffer(state, "grad_avg", p)
                    _lerp_(g_avg, g, 1 - alpha)
                    avg = np.sqrt(v - g_avg * g_avg) + eps
                else:
                    avg = np.sqrt(v) + eps
                if momentum > 0:
                    b = _buffer(state, "momentum_buffer", p)
                    b *= momentum
                    b += g / avg
                    p.data -= lr * b
                else:
                    p.data -= lr * g / avg
                p._mark_changed()  # a graph that saved p before this step must not backward
        return loss

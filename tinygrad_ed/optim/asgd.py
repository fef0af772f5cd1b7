"""ASGD: stochastic gradient descent with a decaying step and a running average of the iterates.

The paper's idea (Polyak and Juditsky, "Acceleration of stochastic approximation by averaging",
1992): take SGD steps with a step size that decays more slowly than 1/t, and report the average
of the iterates θ̄ rather than the last one; the average converges at the optimal rate even
though each step is noisy.

PyTorch equivalent: ``torch.optim.ASGD``, following torch's algorithm (whose step-size schedule
is Bottou's, "Stochastic gradient descent tricks", 2012). With learning rate γ, decay λ (lambd),
power α, averaging start t₀ and weight decay λ_w, at step t for each parameter θ with gradient g:

    g ← −g                                            (maximize=True only)
    g ← g + λ_w θ                                     (if λ_w ≠ 0)
    θ ← θ(1 − λη) − ηg                                (η₁ = γ)
    θ̄ ← θ  if μ = 1,   θ̄ ← θ̄ + μ(θ − θ̄)  otherwise   (the average, state ``ax``)
    η ← γ / (1 + λγt)^α,   μ ← 1 / max(1, t − t₀)     (for the next step)

So θ̄ copies θ up to step t₀ + 2 and is the running mean of the iterates from that step on.
The optimizer leaves the average in its state; the parameters themselves take the SGD steps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .optimizer import Optimizer, ParamsT, _check_nonnegative, _check_real, _zeros

__all__ = ["ASGD"]


class ASGD(Optimizer):
    """``ASGD(params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, foreach=None,
    maximize=False, differentiable=False, capturable=False)``.

    torch's flags for its other implementations, ``foreach``, ``differentiable``,
    ``capturable``, are kept in the param groups and change nothing numerically here; torch's
    refusals on the CPU are kept (see ``optim.optimizer``).

    The state of each parameter: ``step``, ``eta`` (η) and ``mu`` (μ), floats (torch keeps them
    in 0-d tensors of its default dtype, float32 unless changed), and ``ax`` (θ̄), as torch
    names them.
    """

    _capturable_needs = (
        "params, mus, etas, and state_steps must be on supported devices: "
        "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla']"
    )

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        _check_nonnegative("ASGD", "learning rate", lr)
        _check_nonnegative("ASGD", "weight_decay value", weight_decay)
        for what, value in (("lambd", lambd), ("alpha", alpha), ("t0", t0)):
            _check_real("ASGD", what, value)  # any value, as torch
        defaults = {
            "lr": lr,
            "lambd": lambd,
            "alpha": alpha,
            "t0": t0,
            "weight_decay": weight_decay,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "capturable": capturable,
        }
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient (in place, no graph)."""
        loss = self._closure(closure)
        for group in self.param_groups:
            lr = group["lr"]
            lambd = group["lambd"]
            alpha = group["alpha"]
            t0 = group["t0"]
            weight_decay = group["weight_decay"]
            for p, g in self._grads(group):
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["eta"] = float(lr)
                    state["mu"] = 1.0
                    state["ax"] = _zeros(p)
                state["step"] += 1
                t = state["step"]
                if weight_decay != 0:
                    g = g + weight_decay * p.data
                eta = state["eta"]
                p.data *= 1 - lambd * eta
                p.data -= eta * g
                ax = state["ax"].data
                if state["mu"] != 1:
                    ax += (p.data - ax) * state["mu"]
                else:
                    ax[...] = p.data
                state["eta"] = lr / ((1 + lambd * lr * t) ** alpha)
                state["mu"] = 1 / max(1, t - t0)
                p._mark_changed()  # a graph that saved p before this step must not backward
        return loss

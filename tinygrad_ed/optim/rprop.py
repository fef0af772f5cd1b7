"""Rprop: resilient backpropagation, a step size per coordinate driven by the gradient's sign.

The paper's rule (Riedmiller and Braun, "A direct adaptive method for faster backpropagation
learning: the RPROP algorithm", 1993): only the sign of ∂E/∂w is used. Each weight keeps its own
step Δ; while the sign stays the same Δ grows by η⁺, when it flips the last step jumped over a
minimum, so Δ shrinks by η⁻ and the weight does not move this time (the gradient is forgotten,
so the next step counts as a fresh start). The scale of the gradient never enters: Rprop suits
full-batch training, where the sign is reliable.

PyTorch equivalent: ``torch.optim.Rprop``, following torch's algorithm. With learning rate γ
(the initial Δ), etas (η⁻, η⁺) and step_sizes (Δ_min, Δ_max), for each parameter θ with
gradient g, elementwise:

    g ← −g                                            (maximize=True only)
    s ← sign(g · g_prev)                              (g_prev₀ = 0, Δ₀ = γ)
    Δ ← min(Δη⁺, Δ_max)  where s > 0
    Δ ← max(Δη⁻, Δ_min), g ← 0  where s < 0
    θ ← θ − sign(g) Δ
    g_prev ← g
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, _check_nonnegative, _check_real, _zeros

__all__ = ["Rprop"]


class Rprop(Optimizer):
    """``Rprop(params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *, capturable=False,
    foreach=None, maximize=False, differentiable=False)``.

    torch's flags for its other implementations, ``capturable``, ``foreach``,
    ``differentiable``, are kept in the param groups and change nothing numerically here;
    torch's refusals on the CPU are kept (see ``optim.optimizer``).

    The state of each parameter: ``step``, ``prev`` (g_prev, the gradient of the last step,
    zero where its sign flipped) and ``step_size`` (Δ), as torch names them.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        etas: tuple[float, float] = (0.5, 1.2),
        step_sizes: tuple[float, float] = (1e-6, 50),
        *,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        _check_nonnegative("Rprop", "learning rate", lr)
        etaminus, etaplus = _pair("Rprop", "etas", etas)
        if not 0.0 < etaminus < 1.0 < etaplus:
            raise ValueError(
                f"Rprop(): invalid eta values: {etaminus}, {etaplus} (etas = (etaminus, "
                "etaplus) needs 0 < etaminus < 1 < etaplus)"
            )
        # torch does not check step_sizes; a minimum above the maximum would pin every step
        # at the maximum, silently.
        low, high = _pair("Rprop", "step_sizes", step_sizes)
        if not 0.0 <= low <= high:
            raise ValueError(
                f"Rprop(): invalid step_sizes: ({low}, {high}) (step_sizes = (min, max) needs "
                "0 <= min <= max)"
            )
        defaults = {
            "lr": lr,
            "etas": etas,
            "step_sizes": step_sizes,
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
            etaminus, etaplus = group["etas"]
            step_size_min, step_size_max = group["step_sizes"]
            for p, g in self._grads(group):
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["prev"] = _zeros(p)
                    state["step_size"] = Tensor._make(np.full_like(p.data, group["lr"]))
                state["step"] += 1
                prev = state["prev"].data
                step_size = state["step_size"].data
                # The product's sign in the parameter's dtype, as torch: a product that
                # underflows to 0 counts as no sign change.
                factor = np.sign(g * prev, out=np.empty_like(prev))  # an array even if 0-d
                flipped = factor < 0
                factor[factor > 0] = etaplus
                factor[flipped] = etaminus
                factor[factor == 0] = 1  # a nan gradient keeps its nan, as torch's
                step_size *= factor
                np.clip(step_size, step_size_min, step_size_max, out=step_size)
                g = np.where(flipped, 0, g)  # a fresh array: the gradient is never written
                p.data -= np.sign(g) * step_size
                prev[...] = g
                p._mark_changed()  # a graph that saved p before this step must not backward
        return loss


def _pair(opt: str, what: str, value: Any) -> tuple[float, float]:
    """A pair of real numbers (a 1-tuple would otherwise fail only at the first step())."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ValueError(f"{opt}(): {what} must be a pair of numbers, got {value!r}")
    for i, v in enumerate(value):
        _check_real(opt, f"{what}[{i}]", v)
    return value[0], value[1]

"""Adafactor: Adam's second moment in sublinear memory, with relative steps and update clipping.

The paper's rule (Shazeer and Stern, "Adafactor: adaptive learning rates with sublinear memory
cost", ICML 2018, Algorithms 4 and 5): for an n×m matrix, keep only the row means R (n×1) and the
column means C (1×m) of the running average of g², and rebuild the full estimate as the rank-one
outer product V̂ = R·C / mean(R) (the best rank-one fit in I-divergence); vectors keep the full
average. β₂ grows with t (β̂₂ₜ = 1 − t^τ, so no bias correction is needed), the step is relative
to the parameter's scale (RMS(θ)), and an update whose RMS exceeds d is scaled back to d.

PyTorch equivalent: ``torch.optim.Adafactor`` (torch 2.13), following torch's algorithm, which
caps the relative step at the learning rate, uses it for decoupled weight decay, and applies ε₁
to the variance estimate instead of to g². With learning rate γ, beta2_decay τ, eps (ε₁, ε₂),
clipping threshold d and weight decay λ, at step t for each parameter θ with gradient G:

    G ← −G                                            (maximize=True only)
    β̂ ← 1 − t^τ,  ρ ← min(γ, 1/√t),  a ← max(ε₂, RMS(θ))·ρ
    θ ← θ(1 − γλ)
    R ← β̂R + (1 − β̂)·mean(G², last dim)              (G of 2 or more dims: the last two are the
    C ← β̂C + (1 − β̂)·mean(G², second-last dim)        matrix, the leading ones a batch of them)
    V̂ ← R·C / max(mean(R), ε₁)
    V̂ ← β̂V̂ + (1 − β̂)G²                              (G of 0 or 1 dims: the full average)
    U ← G / max(√V̂, ε₁)
    θ ← θ − a·U / max(1, RMS(U)/d)

ε₁ = None is the machine epsilon of the parameter's dtype. RMS(x) = ‖x‖₂/√numel(x). As in
torch, an ε₁ whose square rounds to 0 in the parameter's dtype (1e-30 in float32) makes a
coordinate with no gradient so far nan (0/√0).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, _check_real, _lerp_, _zeros

__all__ = ["Adafactor"]


class Adafactor(Optimizer):
    """``Adafactor(params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0,
    weight_decay=0.0, *, foreach=None, maximize=False)``.

    torch's flags for its other implementations, ``foreach``, are kept in the param groups and
    change nothing numerically here; torch's refusals on the CPU are kept (see
    ``optim.optimizer``).

    The state of each parameter: ``step``, and ``row_var`` (R, the gradient's shape with a last
    dim of 1) and ``col_var`` (C, a second-last dim of 1) for a parameter of 2 or more dims, or
    ``variance`` (V̂) for one of 0 or 1 dims, as torch names them.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        beta2_decay: float = -0.8,
        eps: tuple[float | None, float] = (None, 1e-3),
        d: float = 1.0,
        weight_decay: float = 0.0,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
    ) -> None:
        # torch's checks, in torch's order and words; each names the argument.
        _in_range("learning rate", lr, ">= 0", low=0.0)
        _in_range("beta2_decay", beta2_decay, "<= 0", high=0.0)
        if not isinstance(eps, (tuple, list)) or len(eps) != 2:
            raise ValueError(f"Adafactor(): eps must be a pair (epsilon1, epsilon2), got {eps!r}")
        if eps[0] is not None:
            _in_range("epsilon1", eps[0], ">= 0", low=0.0)
        _in_range("epsilon2", eps[1], ">= 0", low=0.0)
        _in_range("Clipping threshold d", d, ">= 1", low=1.0)
        _in_range("weight_decay", weight_decay, ">= 0", low=0.0)
        defaults = {
            "lr": lr,
            "beta2_decay": beta2_decay,
            "eps": eps,
            "d": d,
            "weight_decay": weight_decay,
            "foreach": foreach,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient (in place, no graph)."""
        loss = self._closure(closure)
        for group in self.param_groups:
            lr = group["lr"]
            beta2_decay = group["beta2_decay"]
            eps1, eps2 = group["eps"]
            d = group["d"]
            weight_decay = group["weight_decay"]
            for p, g in self._grads(group):
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    if g.ndim > 1:
                        for key, dim in (("row_var", -1), ("col_var", -2)):
                            state[key] = Tensor._make(
                                np.zeros(_factor_shape(g.shape, dim), p.dtype)
                            )
                    else:
                        state["variance"] = _zeros(p)
                if eps1 is None:
                    # As torch: the first parameter's machine epsilon serves the whole group.
                    eps1 = float(np.finfo(p.dtype).eps)
                state["step"] += 1
                t = state["step"]
                one_minus_beta2 = t**beta2_decay
                rho = min(lr, 1 / t**0.5)
                alpha = max(eps2, _rms(p.data)) * rho
                if weight_decay != 0:
                    p.data *= 1 - lr * weight_decay
                if g.ndim > 1:
                    row_var = state["row_var"].data
                    col_var = state["col_var"].data
                    g2 = g * g
                    _lerp_(row_var, g2.sum(axis=-1, keepdims=True) / g.shape[-1], one_minus_beta2)
                    _lerp_(col_var, g2.sum(axis=-2, keepdims=True) / g.shape[-2], one_minus_beta2)
                    row_mean = np.maximum(row_var.mean(axis=-2, keepdims=True), eps1)
                    var_estimate = row_var @ col_var / row_mean
                else:
                    variance = state["variance"].data
                    _lerp_(variance, g * g, one_minus_beta2)
                    var_estimate = variance  # np.maximum below makes a copy
                update = 1 / np.sqrt(np.maximum(var_estimate, eps1 * eps1))
                update *= g
                denom = max(1.0, _rms(update) / d)
                p.data -= (alpha / denom) * update
                p._mark_changed()  # a graph that saved p before this step must not backward
        return loss

    def _restore_state(self, value: Any, p: Tensor, key: str) -> Any:
        """The factors of a matrix have the shape of its row and column means."""
        if key not in ("row_var", "col_var") or not isinstance(value, (Tensor, np.ndarray)):
            return super()._restore_state(value, p, key)
        arr = value.data if isinstance(value, Tensor) else value
        shape = _factor_shape(p.shape, -1 if key == "row_var" else -2)
        if arr.shape != shape:
            raise ValueError(
                f"Adafactor.load_state_dict(): state {key!r} has shape {arr.shape}, but its "
                f"parameter has shape {p.shape}, so it should have shape {shape}"
            )
        return Tensor._make(arr.astype(p.dtype, copy=True))


def _factor_shape(shape: tuple[int, ...], dim: int) -> tuple[int, ...]:
    """``shape`` with ``dim`` (−1: row means, −2: column means) set to 1."""
    out = list(shape)
    out[dim] = 1
    return tuple(out)


def _rms(x: np.ndarray) -> float:
    """‖x‖₂/√numel(x); nan for an empty x, as torch's (and then max(ε₂, nan) = ε₂)."""
    if x.size == 0:
        return math.nan
    return float(np.sqrt(np.vdot(x, x)) / x.size**0.5)


def _in_range(
    what: str, value: Any, bound: str, *, low: float = -math.inf, high: float = math.inf
) -> None:
    _check_real("Adafactor", what, value)
    if not low <= value <= high:  # nan is refused too
        raise ValueError(f"Adafactor(): {what} should be {bound} but is: {value}")

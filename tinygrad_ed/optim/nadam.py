"""NAdam: Adam with Nesterov momentum, looking one step ahead along the first moment.

The paper's rule (Dozat, "Incorporating Nesterov momentum into Adam", ICLR workshop 2016,
Algorithm 2): with the momentum schedule ``μ_t = β₁(1 − ½·0.96^{t/250})``,

    m̂_t = μ_{t+1} m_t / (1 − Π_{i≤t+1} μ_i) + (1 − μ_t) g_t / (1 − Π_{i≤t} μ_i)
    θ_t = θ_{t−1} − α m̂_t / (√v̂_t + ε),   v̂_t = v_t / (1 − β₂ᵗ)

Nesterov's trick in Adam's terms: the bias-corrected momentum of the *next* step (μ_{t+1}) is
applied to this step's moment, and the current gradient enters with its own weight 1 − μ_t.

PyTorch equivalent: ``torch.optim.NAdam``, following torch's algorithm. With learning rate γ,
betas (β₁, β₂), ε, weight decay λ and momentum decay ψ (0.004 = 1/250, the paper's), at step t
for each parameter θ with gradient g:

    g ← −g                                            (maximize=True only)
    θ ← θ − γλθ  (decoupled_weight_decay)   or   g ← g + λθ       (if λ ≠ 0)
    μ_t ← β₁(1 − ½·0.96^{tψ}),   μ_{t+1} ← β₁(1 − ½·0.96^{(t+1)ψ})
    m ← β₁m + (1 − β₁)g                               first moment (m₀ = 0)
    v ← β₂v + (1 − β₂)g²                              second moment (v₀ = 0)
    m̂ ← μ_{t+1} m / (1 − Π_{i≤t+1} μ_i) + (1 − μ_t) g / (1 − Π_{i≤t} μ_i)
    θ ← θ − γ m̂ / (√(v/(1 − β₂ᵗ)) + ε)

The running product Π μ_i is the state's ``mu_product``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .optimizer import (
    Optimizer,
    ParamsT,
    _adam_defaults,
    _check_nonnegative,
    _lerp_,
    _weight_decay,
    _zeros,
)

__all__ = ["NAdam"]


class NAdam(Optimizer):
    """``NAdam(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
    momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None, maximize=False,
    capturable=False, differentiable=False)``.

    The state of each parameter: ``step``, ``mu_product`` (Π μ_i, a float: torch keeps it in a
    0-d tensor of the default dtype, float32 unless changed), ``exp_avg`` (m), ``exp_avg_sq`` (v).
    ``decoupled_weight_decay=True`` is NAdamW: the decay shrinks θ instead of entering g.

    torch's flags for its other implementations, ``foreach``, ``capturable``,
    ``differentiable``, are kept in the param groups and change nothing numerically here;
    torch's refusals on the CPU are kept (see ``optim.optimizer``).
    """

    _capturable_needs = (
        "params, mu_products and state_steps must be on supported devices: "
        "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla']"
    )

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        defaults = _adam_defaults(
            "NAdam",
            lr,
            betas,
            eps,
            weight_decay,
            maximize,
            momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        _check_nonnegative("NAdam", "momentum_decay value", momentum_decay)
        defaults.update(foreach=foreach, capturable=capturable, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient (in place, no graph)."""
        loss = self._closure(closure)
        for group in self.param_groups:
            lr = group["lr"]
            beta1, beta2 = group["betas"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            psi = group["momentum_decay"]
            for p, g in self._grads(group):
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["mu_product"] = 1.0
                    state["exp_avg"] = _zeros(p)
                    state["exp_avg_sq"] = _zeros(p)
                state["step"] += 1
                t = state["step"]
                if weight_decay != 0:
                    g = _weight_decay(p, g, lr, weight_decay, group["decoupled_weight_decay"])
                mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * psi))
                mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
                mu_product = state["mu_product"] = float(state["mu_product"]) * mu
                mu_product_next = mu_product * mu_next
                m = state["exp_avg"].data
                v = state["exp_avg_sq"].data
                _lerp_(m, g, 1 - beta1)
                v *= beta2
                v += (1 - beta2) * g * g
                denom = np.sqrt(v / (1 - beta2**t)) + eps
                p.data -= lr * (1.0 - mu) / (1.0 - mu_product) * g / denom
                p.data -= lr * mu_next / (1.0 - mu_product_next) * m / denom
                p._mark_changed()  # a graph that saved p before this step must not backward
        return loss

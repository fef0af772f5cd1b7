"""L-BFGS: a quasi-Newton method that builds an inverse Hessian from the last few steps.

The method (Nocedal, "Updating quasi-Newton matrices with limited storage", 1980; Liu and
Nocedal, 1989; Nocedal and Wright, "Numerical optimization", Algorithms 7.4 and 7.5): BFGS
updates an approximation H of the inverse Hessian so that it maps each gradient change
yₖ = gₖ₊₁ − gₖ to the step sₖ = θₖ₊₁ − θₖ that caused it (the secant condition H y = s). L-BFGS
never forms H: it keeps the last m pairs (s, y) and applies H to a gradient with two loops over
them (the two-loop recursion), starting from the scaled identity H₀ = (sᵀy / yᵀy)·I. The
direction −H g costs O(m·n) instead of O(n²), and on a quadratic it converges in a few steps.

PyTorch equivalent: ``torch.optim.LBFGS``, a faithful port of torch's algorithm (itself from
Schmidt's minFunc and torch7's optim): one ``step(closure)`` runs up to ``max_iter`` iterations,
each evaluating the closure, with learning rate γ:

    d ← −g                                    (first iteration; then the two-loop direction):
    q ← −g;  for i = newest…oldest:  aᵢ ← ρᵢ sᵢᵀq,  q ← q − aᵢ yᵢ          (ρᵢ = 1/(yᵢᵀsᵢ))
    r ← H₀q;  for i = oldest…newest:  bᵢ ← ρᵢ yᵢᵀr,  r ← r + (aᵢ − bᵢ) sᵢ;  d ← r
    t ← min(1, 1/‖g‖₁)·γ at the very first iteration, γ after
    θ ← θ + t d            (or t from a strong-Wolfe line search: line_search_fn="strong_wolfe")

A pair (s, y) = (t d, g_new − g) enters the history only if yᵀs > 1e-10 (curvature along the step
is positive, which keeps H positive definite); the oldest is dropped beyond ``history_size``.
The loop stops early when max|g| ≤ tolerance_grad, when a step or the loss changes by less than
tolerance_change, after ``max_eval`` closure evaluations, or when d is not a descent direction.
The history persists across ``step()`` calls.

The operations are torch's, in torch's order and dtype, but not always rounded alike: torch's
``add_(x, alpha=a)`` is a fused multiply-add on CPU (one rounding, numpy's ``y + a*x`` two) and
its dot products are MKL's. On an ill-conditioned problem the divisions by small curvatures yᵀs
amplify those last-bit differences over the iterations (~10× per step on Rosenbrock's valley).
"""

from __future__ import annotations

import copy
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor import OpError, Tensor
from .optimizer import Optimizer, ParamsT, _check_nonnegative, _check_real, _grad_shape_error

__all__ = ["LBFGS"]

# An iterate's scalars (step length, dot products) are numpy scalars of the parameters' dtype, as
# torch's are 0-d tensors of it, so float32 runs round as torch's do; Python numbers mix in
# without widening them (NEP 50).
Scalar = Any


class LBFGS(Optimizer):
    """``LBFGS(params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
    tolerance_change=1e-9, history_size=100, line_search_fn=None)``; ``step(closure)`` needs a
    closure that clears the gradients, computes the loss, calls ``backward()`` and returns it.

    One parameter group only (torch's restriction): the parameters are one flat vector. The
    state, kept (as torch) under the first parameter: ``func_evals`` and ``n_iter`` (totals over
    all steps), the last direction ``d`` and step length ``t``, the history ``old_dirs`` (y),
    ``old_stps`` (s) and ``ro`` (ρ), ``H_diag`` (the scale of H₀), ``prev_flat_grad``,
    ``prev_loss`` and ``al`` (the first loop's scratch).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        _check_nonnegative("LBFGS", "learning rate", lr)
        _check_count("max_iter", max_iter)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        _check_count("max_eval", max_eval)
        _check_real("LBFGS", "tolerance_grad", tolerance_grad)
        _check_real("LBFGS", "tolerance_change", tolerance_change)
        _check_count("history_size", history_size)
        # torch checks this only in step() (a RuntimeError); a typo should fail where it is made.
        if line_search_fn not in (None, "strong_wolfe"):
            raise ValueError(
                f"LBFGS(): line_search_fn must be None or 'strong_wolfe', got {line_search_fn!r}"
            )
        defaults = {
            "lr": lr,
            "max_iter": max_iter,
            "max_eval": max_eval,
            "tolerance_grad": tolerance_grad,
            "tolerance_change": tolerance_change,
            "history_size": history_size,
            "line_search_fn": line_search_fn,
        }
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS(): doesn't support per-parameter options (parameter groups)")
        self._params: list[Tensor] = self.param_groups[0]["params"]

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Refused after the first group: the parameters are one flat vector (torch fails at
        the next step() instead)."""
        if self.param_groups:
            raise ValueError("LBFGS(): doesn't support per-parameter options (parameter groups)")
        super().add_param_group(param_group)

    # ------------------------------------------------------------------ the flat vector

    def _gather_flat_grad(self) -> np.ndarray:
        """Every parameter's gradient, flattened and concatenated; zeros for a missing one."""
        views = []
        for p in self._params:
            if p.grad is None:
                views.append(np.zeros(p.data.size, p.dtype))
            elif p.grad.shape != p.shape:
                raise _grad_shape_error("LBFGS", self._params, p, p.grad.shape)
            else:
                views.append(p.grad.data.reshape(-1))
        return np.concatenate(views)

    def _add_grad(self, step_size: Scalar, update: np.ndarray) -> None:
        """θ ← θ + step_size·update, the flat ``update`` split back into the parameters."""
        offset = 0
        for p in self._params:
            n = p.data.size
            p.data += step_size * update[offset : offset + n].reshape(p.shape)
            p._mark_changed()  # a graph that saved p before this step must not backward
            offset += n

    def _set_param(self, values: list[np.ndarray]) -> None:
        for p, value in zip(self._params, values):
            p.data[...] = value
            p._mark_changed()

    def _directional_evaluate(
        self, closure: Callable[[], Any], x: list[np.ndarray], t: Scalar, d: np.ndarray
    ) -> tuple[float, np.ndarray]:
        """The loss and flat gradient at θ = x + t·d; the parameters are put back to x."""
        self._add_grad(t, d)
        loss = _loss_value(self._closure(closure))
        flat_grad = self._gather_flat_grad()
        self._set_param(x)
        return loss, flat_grad

    # ------------------------------------------------------------------ step

    def step(self, closure: Callable[[], Any]) -> Any:  # type: ignore[override]
        """Up to ``max_iter`` L-BFGS iterations; returns the loss the first closure call gave.

        The closure is called with grad enabled, once at the start and once per iteration (more
        in a line search), as torch calls it.
        """
        if not callable(closure):
            raise TypeError(
                "LBFGS.step(): needs a closure that re-evaluates the model and returns the loss, "
                f"got {type(closure).__name__}"
            )
        group = self.param_groups[0]
        lr = group["lr"]
        max_iter = group["max_iter"]
        max_eval = group["max_eval"]
        tolerance_grad = group["tolerance_grad"]
        tolerance_change = group["tolerance_change"]
        line_search_fn = group["line_search_fn"]
        history_size = group["history_size"]

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = self._closure(closure)
        loss = _loss_value(orig_loss)
        current_evals = 1
        state["func_evals"] += 1

        flat_grad = self._gather_flat_grad()
        opt_cond = _max_abs(flat_grad) <= tolerance_grad
        if opt_cond:  # already at an optimum
            return orig_loss

        # The state as arrays and scalars (torch keeps the tensors themselves).
        d = _array(state.get("d"))
        t = state.get("t")
        old_dirs = [_array(y) for y in state.get("old_dirs", [])]
        old_stps = [_array(s) for s in state.get("old_stps", [])]
        ro = list(state.get("ro", []))
        H_diag = state.get("H_diag")
        prev_flat_grad = _array(state.get("prev_flat_grad"))
        prev_loss = state.get("prev_loss")

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1

            # ---------------------------------------------------------- the direction
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro = [], [], []
                H_diag = 1
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = y.dot(s)
                if ys > 1e-10:  # positive curvature along the step: update the memory
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    H_diag = ys / y.dot(y)
                num_old = len(old_dirs)
                if "al" not in state or len(state["al"]) < history_size:
                    state["al"] = [None] * history_size
                al = state["al"]
                # The two-loop recursion, in one buffer: d = −H g.
                q = -flat_grad
                for i in range(num_old - 1, -1, -1):
                    al[i] = old_stps[i].dot(q) * ro[i]
                    q += -al[i] * old_dirs[i]
                d = r = q * H_diag
                for i in range(num_old):
                    be_i = old_dirs[i].dot(r) * ro[i]
                    r += (al[i] - be_i) * old_stps[i]

            prev_flat_grad = flat_grad.copy()
            prev_loss = loss

            # ---------------------------------------------------------- the step length
            # The very first step, along −g, moves θ by at most γ in the 1-norm.
            first = state["n_iter"] == 1
            t = min(1.0, 1.0 / np.abs(flat_grad).sum()) * lr if first else lr
            gtd = flat_grad.dot(d)  # the directional derivative
            if gtd > -tolerance_change:  # not a descent direction (any more)
                break

            ls_func_evals = 0
            if line_search_fn is not None:
                x_init = [p.data.copy() for p in self._params]

                def obj_func(x: list[np.ndarray], t: Scalar, d: np.ndarray) -> Any:
                    return self._directional_evaluate(closure, x, t, d)

                loss, flat_grad, t, ls_func_evals = _strong_wolfe(
                    obj_func, x_init, t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals
                )
                self._add_grad(t, d)
                opt_cond = _max_abs(flat_grad) <= tolerance_grad
            else:
                self._add_grad(t, d)
                if n_iter != max_iter:
                    # Not after the last iteration: in a stochastic setting the value would
                    # only be thrown away.
                    loss = _loss_value(self._closure(closure))
                    flat_grad = self._gather_flat_grad()
                    opt_cond = _max_abs(flat_grad) <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals

            # ---------------------------------------------------------- stopping
            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if _max_abs(d * t) <= tolerance_change:  # the step hardly moved θ
                break
            if abs(loss - prev_loss) < tolerance_change:  # the loss hardly changed
                break

        state["d"] = _tensor(d)
        state["t"] = t
        state["old_dirs"] = [Tensor._make(y) for y in old_dirs]
        state["old_stps"] = [Tensor._make(s) for s in old_stps]
        state["ro"] = ro
        state["H_diag"] = H_diag
        state["prev_flat_grad"] = _tensor(prev_flat_grad)
        state["prev_loss"] = prev_loss
        return orig_loss

    def _restore_state(self, value: Any, p: Tensor, key: str) -> Any:
        """The flat vectors (``d``, ``prev_flat_grad``, each of ``old_dirs``/``old_stps``) have
        the length of all parameters together, in the parameters' dtype; the rest are numbers."""
        if isinstance(value, (list, tuple)) and key in ("old_dirs", "old_stps"):
            return [self._restore_state(v, p, key) for v in value]
        if isinstance(value, (Tensor, np.ndarray)):
            arr = value.data if isinstance(value, Tensor) else value
            n = sum(q.data.size for q in self._params)
            if arr.shape != (n,):
                raise ValueError(
                    f"LBFGS.load_state_dict(): state {key!r} has shape {arr.shape}, but the "
                    f"parameters have {n} elements together"
                )
            return Tensor._make(arr.astype(p.dtype, copy=True))
        return copy.deepcopy(value)


def _check_count(what: str, value: Any) -> None:
    """A positive int (torch checks none of these; history_size=0 fails deep in step())."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"LBFGS(): {what} must be an int, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"LBFGS(): invalid {what}: {value} (must be at least 1)")


def _loss_value(loss: Any) -> float:
    """The closure's loss as a float; what else it returned is named (None, say, when it forgot
    its ``return``), rather than failing inside ``float()``."""
    if isinstance(loss, Tensor):
        if loss.numel() != 1:
            raise OpError(
                "LBFGS.step(): the closure must return the loss, a one-element Tensor or a "
                f"number, got a Tensor of shape {tuple(loss.shape)}"
            )
        return float(loss.item())
    if isinstance(loss, np.ndarray) and loss.size == 1 and loss.dtype.kind in "iuf":
        return float(loss.reshape(()))
    if isinstance(loss, bool) or not isinstance(loss, numbers.Real):
        raise TypeError(
            "LBFGS.step(): the closure must return the loss, a one-element Tensor or a number, "
            f"got {type(loss).__name__} {loss!r}"
        )
    return float(loss)


def _max_abs(v: np.ndarray) -> Any:
    return np.abs(v).max(initial=0)


def _array(value: Any) -> Any:
    return value.data if isinstance(value, Tensor) else value


def _tensor(value: Any) -> Any:
    return Tensor._make(value) if isinstance(value, np.ndarray) else value


# ---------------------------------------------------------------------- the line search
# Ported from torch.optim.lbfgs (itself from torch7's optim: polyinterp.lua and lswolfe.lua).


def _cubic_interpolate(
    x1: Scalar,
    f1: Scalar,
    g1: Scalar,
    x2: Scalar,
    f2: Scalar,
    g2: Scalar,
    bounds: tuple[Scalar, Scalar] | None = None,
) -> Scalar:
    """The minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped
    to ``bounds`` (default: between x1 and x2); their midpoint if the cubic has no minimum.

    With d₁ = g₁ + g₂ − 3(f₁ − f₂)/(x₁ − x₂) and d₂ = √(d₁² − g₁g₂), the minimizer is
    x₂ − (x₂ − x₁)(g₂ + d₂ − d₁)/(g₂ − g₁ + 2d₂) (for x₁ ≤ x₂).
    """
    if bounds is not None:
        xmin_bound, xmax_bound = bounds
    else:
        xmin_bound, xmax_bound = (x1, x2) if x1 <= x2 else (x2, x1)
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square >= 0:
        d2 = np.sqrt(d2_square)
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(min_pos, xmin_bound), xmax_bound)
    return (xmin_bound + xmax_bound) / 2.0


def _strong_wolfe(
    obj_func: Callable[[list[np.ndarray], Scalar, np.ndarray], tuple[float, np.ndarray]],
    x: list[np.ndarray],
    t: Scalar,
    d: np.ndarray,
    f: float,
    g: np.ndarray,
    gtd: Scalar,
    c1: float = 1e-4,
    c2: float = 0.9,
    tolerance_change: float = 1e-9,
    max_ls: int = 25,
) -> tuple[float, np.ndarray, Scalar, int]:
    """A step length t along d meeting the strong Wolfe conditions (Nocedal and Wright,
    Algorithms 3.5 and 3.6): sufficient decrease f(t) ≤ f + c₁·t·gtd and a flat enough slope
    |f′(t)| ≤ c₂·|gtd|. First bracket an interval holding such a t (growing t by cubic
    extrapolation), then zoom into it by cubic interpolation. Returns the loss, flat gradient
    and t found, and the number of evaluations used (at most ``max_ls`` + 1)."""
    d_norm = _max_abs(d)
    g = g.copy()
    f_new, g_new = obj_func(x, t, d)
    ls_func_evals = 1
    gtd_new = g_new.dot(d)

    # Bracket an interval containing a point satisfying the Wolfe criteria.
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    ls_iter = 0
    bracket: list[Scalar] = []
    bracket_f: list[float] = []
    bracket_g: list[np.ndarray] = []
    bracket_gtd: list[Scalar] = []
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        # Extrapolate: the cubic's minimizer, between 1.01t and 10t.
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        tmp = t
        t = _cubic_interpolate(
            t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(min_step, max_step)
        )
        t_prev, f_prev, g_prev, gtd_prev = tmp, f_new, g_new.copy(), gtd_new
        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1

    if ls_iter == max_ls:  # out of evaluations: the bracket is [0, t]
        bracket, bracket_f, bracket_g = [0, t], [f, f_new], [g, g_new]

    # Zoom: shrink the bracket until a point meets the conditions (or it is too small).
    insuf_progress = False
    low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(
            bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]
        )
        # A t too close to an end of the bracket makes little progress: twice in a row, or at
        # the end itself, move it to 10% of the bracket's width inside.
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insuf_progress or t >= max(bracket) or t <= min(bracket):
                if abs(t - max(bracket)) < abs(t - min(bracket)):
                    t = max(bracket) - eps
                else:
                    t = min(bracket) + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False

        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1

        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low_pos]:
            # Not a sufficient decrease, or not below the low end: t is the new high end.
            bracket[high_pos], bracket_f[high_pos] = t, f_new
            bracket_g[high_pos], bracket_gtd[high_pos] = g_new.copy(), gtd_new
            low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:  # the Wolfe conditions hold
                done = True
            elif gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0:
                # The old high end becomes the low end.
                bracket[high_pos], bracket_f[high_pos] = bracket[low_pos], bracket_f[low_pos]
                bracket_g[high_pos] = bracket_g[low_pos]
                bracket_gtd[high_pos] = bracket_gtd[low_pos]
            # t is the new low end.
            bracket[low_pos], bracket_f[low_pos] = t, f_new
            bracket_g[low_pos], bracket_gtd[low_pos] = g_new.copy(), gtd_new

    t = bracket[low_pos]
    return bracket_f[low_pos], bracket_g[low_pos], t, ls_func_evals

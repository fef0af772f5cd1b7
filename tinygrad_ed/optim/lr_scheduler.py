"""Learning-rate schedules: change each param group's ``lr`` once per epoch (or per batch).

Call ``scheduler.step()`` after ``optimizer.step()``, once per epoch. Constructing a scheduler
records each group's ``initial_lr`` and counts as epoch 0; resuming (``last_epoch=k``, with the
optimizer's state loaded) counts as epoch k + 1, whose update is applied to the loaded ``lr``s
exactly as torch applies it (so a schedule that steps at k + 1, StepLR at a multiple of its
step size, say, changes them; LambdaLR recomputes them from ``initial_lr``). Like torch, the
update is chainable (computed from the group's current ``lr``), and ``step(epoch)`` jumps with
the closed form where torch has one.

The schedules: ``StepLR``, ``MultiStepLR``, ``ExponentialLR``, ``LambdaLR``,
``MultiplicativeLR``, ``ConstantLR`` and ``LinearLR`` (warm-up factors), ``PolynomialLR``,
``CosineAnnealingLR``, ``CosineAnnealingWarmRestarts`` (SGDR), ``CyclicLR`` and ``OneCycleLR``
(per batch; they cycle the momentum too), ``SequentialLR`` (one schedule after another),
``ChainedScheduler`` (several at once, their factors multiplied) and ``ReduceLROnPlateau``
(driven by a metric: ``step(val_loss)``). Every one has ``state_dict()``/``load_state_dict()``
(the optimizer's own state dict holds the ``lr``s), which ``tinygrad_ed.save``/``load``
round-trip.

PyTorch equivalent: ``torch.optim.lr_scheduler`` (the classes of the same names, torch 2.13).
"""

from __future__ import annotations

import bisect
import math
import numbers
import operator
import types
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .optimizer import Optimizer, _check_real

__all__ = [
    "ChainedScheduler",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "MultiplicativeLR",
    "OneCycleLR",
    "PolynomialLR",
    "ReduceLROnPlateau",
    "SequentialLR",
    "StepLR",
]


class LRScheduler:
    """Base class: subclasses give ``get_lr()`` (chainable) and ``_get_closed_form_lr()``.

    ``_is_initial`` is True while the construction step runs (torch 2.13's flag): a chainable
    schedule keeps the lrs then, fresh (lr₀) or resumed (the loaded lrs).
    """

    _is_initial = False

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(self).__name__}(): {type(optimizer).__name__} is not an Optimizer"
            )
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"{type(self).__name__}(): param 'initial_lr' is not specified in "
                        f"param_groups[{i}] when resuming an optimizer (last_epoch={last_epoch})"
                    )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self._last_lr: list[float] = [group["lr"] for group in optimizer.param_groups]
        self._initial_step()

    def _initial_step(self) -> None:
        """Construction is step 1 (SequentialLR calls this again for the schedule it starts)."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self) -> list[float]:
        """The learning rates for ``last_epoch``, from the current ones (torch's chainable form)."""
        raise NotImplementedError(f"{type(self).__name__} does not implement get_lr()")

    def _get_closed_form_lr(self) -> list[float]:
        return self.get_lr()

    def get_last_lr(self) -> list[float]:
        """The learning rates set by the last ``step()``, one per param group."""
        return self._last_lr

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch (or jump to ``epoch``) and write the new ``lr`` into every group."""
        self._step_count += 1
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        # Separate from step(): SequentialLR jumps a schedule to epoch 0 without counting a step.
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            self.last_epoch = epoch
            values = self._get_closed_form_lr()
        self._set_lrs(values)

    def _set_lrs(self, values: list[float]) -> None:
        groups = self.optimizer.param_groups
        if len(values) != len(groups):  # only the base lrs of the groups at construction are known
            raise ValueError(
                f"{type(self).__name__}.step(): the optimizer has {len(groups)} param groups, but "
                f"the scheduler was created for {len(self.base_lrs)}; a group added later has no "
                "initial lr: create the scheduler after add_param_group()"
            )
        for group, lr in zip(groups, values):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """Everything but the optimizer (which has its own state dict). Torch's also holds
        ``_get_lr_called_within_step``, the flag of a warning this library does not give."""
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.__dict__.update(state_dict)


class StepLR(LRScheduler):
    """Multiply the lr by ``gamma`` every ``step_size`` epochs: ``lr = lr₀·γ^⌊epoch/step_size⌋``."""

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        try:
            size = operator.index(step_size)  # an int, a numpy int or a bool, as torch accepts
        except TypeError:
            size = 0
        if size <= 0:
            raise ValueError(f"StepLR(): step_size must be a positive int, got {step_size!r}")
        _check_real("StepLR", "gamma", gamma)
        self.step_size = size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return [group["lr"] for group in groups]
        return [group["lr"] * self.gamma for group in groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma ** (self.last_epoch // self.step_size) for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    """Multiply the lr by ``gamma`` at each milestone epoch (``MultiStepLR``):
    ``lr = lr₀·γ^(number of milestones ≤ epoch)``; a milestone listed twice counts twice."""

    def __init__(
        self,
        optimizer: Optimizer,
        milestones: Iterable[int],
        gamma: float = 0.1,
        last_epoch: int = -1,
    ) -> None:
        # Python ints: numpy ones could not be saved as the keys of a state dict.
        try:
            self.milestones = Counter(operator.index(m) for m in milestones)
        except TypeError:
            raise TypeError(
                f"MultiStepLR(): milestones must be an iterable of ints, got {milestones!r}"
            ) from None
        _check_real("MultiStepLR", "gamma", gamma)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        if self.last_epoch not in self.milestones:
            return [group["lr"] for group in groups]
        return [group["lr"] * self.gamma ** self.milestones[self.last_epoch] for group in groups]

    def _get_closed_form_lr(self) -> list[float]:
        passed = bisect.bisect_right(sorted(self.milestones.elements()), self.last_epoch)
        return [base * self.gamma**passed for base in self.base_lrs]

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        super().load_state_dict(state_dict)
        self.milestones = Counter(self.milestones)  # a loaded file gives a plain dict


class ExponentialLR(LRScheduler):
    """Multiply the lr by ``gamma`` every epoch: ``lr = lr₀·γ^epoch`` (``ExponentialLR``)."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        _check_real("ExponentialLR", "gamma", gamma)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        if self._is_initial:  # construction, fresh or resumed: keep the lrs, as torch 2.13
            return [group["lr"] for group in groups]
        return [group["lr"] * self.gamma for group in groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma**self.last_epoch for base in self.base_lrs]


class _LambdaSchedule(LRScheduler):
    """LambdaLR and MultiplicativeLR: ``lr_lambda`` a function of the epoch, or one per group.

    The state dict keeps a callable object's attributes but not a function, which (as in torch)
    cannot be saved: pass the same ``lr_lambda`` when resuming.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
        last_epoch: int = -1,
    ) -> None:
        name = type(self).__name__
        groups = len(optimizer.param_groups)
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != groups:
                raise ValueError(f"{name}(): expected {groups} lr_lambdas, got {len(lr_lambda)}")
            self.lr_lambdas = list(lr_lambda)
        else:
            self.lr_lambdas = [lr_lambda] * groups
        if not all(callable(f) for f in self.lr_lambdas):
            raise TypeError(f"{name}(): lr_lambda must be callable, got {lr_lambda!r}")
        super().__init__(optimizer, last_epoch)

    def _factor(self, f: Callable[[int], float]) -> float:
        """``f(last_epoch)``, refused unless a number (torch's error would be Python's own
        from ``lr * 'a'``), naming the scheduler."""
        value = f(self.last_epoch)
        if not isinstance(value, numbers.Real):
            raise TypeError(
                f"{type(self).__name__}(): lr_lambda must return a number, got {value!r} "
                f"at epoch {self.last_epoch}"
            )
        return value

    def state_dict(self) -> dict[str, Any]:
        state = super().state_dict()  # a fresh dict: the functions themselves are replaced
        state["lr_lambdas"] = [_callable_state(f) for f in self.lr_lambdas]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        state = dict(state_dict)
        saved = state.pop("lr_lambdas", [None] * len(self.lr_lambdas))
        super().load_state_dict(state)
        for f, attrs in zip(self.lr_lambdas, saved):
            if attrs is not None:
                vars(f).update(attrs)


def _callable_state(f: Callable[..., Any]) -> dict[str, Any] | None:
    """A callable object's attributes, to save; None for a function (torch saves none either)."""
    if isinstance(f, types.FunctionType) or not hasattr(f, "__dict__"):
        return None
    return dict(vars(f))


class LambdaLR(_LambdaSchedule):
    """``lr = lr₀·λ(epoch)`` with ``lr_lambda`` a function of the epoch, or one per param group
    (``LambdaLR``); not chainable."""

    def get_lr(self) -> list[float]:
        return [base * self._factor(f) for f, base in zip(self.lr_lambdas, self.base_lrs)]


class MultiplicativeLR(_LambdaSchedule):
    """Multiply the lr by ``λ(epoch)`` every epoch (``MultiplicativeLR``):
    ``lr_e = lr_{e−1}·λ(e)``, so ``lr_e = lr₀·Π_{k=1..e} λ(k)``; ``lr_lambda`` is a function of
    the epoch, or one per param group.

    Chainable (it multiplies the current lr, whatever else changed it). The construction step
    keeps the lrs. There is no closed form: ``step(epoch)`` multiplies the current lr by
    ``λ(epoch)``, as torch does.
    """

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        if self._is_initial:
            return [group["lr"] for group in groups]
        return [group["lr"] * self._factor(f) for f, group in zip(self.lr_lambdas, groups)]


class CosineAnnealingLR(LRScheduler):
    """Cosine decay from lr₀ to ``eta_min`` over ``T_max`` epochs (``CosineAnnealingLR``).

    ``lr = η_min + (lr₀ − η_min)(1 + cos(π·epoch/T_max))/2``, computed recursively from the
    current lr as torch does (so other changes to ``lr`` are respected); past ``T_max`` it rises
    again, a cosine of period ``2·T_max``.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        T_max: int,
        eta_min: float = 0.0,
        last_epoch: int = -1,
    ) -> None:
        if not isinstance(T_max, numbers.Real):
            raise TypeError(f"CosineAnnealingLR(): T_max must be a number, got {T_max!r}")
        if not T_max > 0:
            raise ValueError(f"CosineAnnealingLR(): T_max must be positive, got {T_max}")
        _check_real("CosineAnnealingLR", "eta_min", eta_min)
        self.T_max: float = T_max
        self.eta_min: float = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        e, t_max, eta_min = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:  # construction, fresh or resumed: keep the lrs, as torch 2.13
            return [group["lr"] for group in groups]
        if (e - 1 - t_max) % (2 * t_max) == 0:  # the minimum: the recursion would divide by 0
            return [
                group["lr"] + (base - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
                for base, group in zip(self.base_lrs, groups)
            ]
        return [
            (1 + math.cos(math.pi * e / t_max))
            / (1 + math.cos(math.pi * (e - 1) / t_max))
            * (group["lr"] - eta_min)
            + eta_min
            for group in groups
        ]

    def _get_closed_form_lr(self) -> list[float]:
        return [
            self.eta_min
            + (base - self.eta_min) * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
            for base in self.base_lrs
        ]


def _positive_int(sched: str, what: str, value: Any, least: int = 1) -> int:
    """An int (numpy ints and bools too, as ``operator.index`` takes them) of at least ``least``."""
    try:
        n = operator.index(value)
    except TypeError:
        n = least - 1
    if n < least:
        raise ValueError(f"{sched}(): expected an integer {what} >= {least}, got {value!r}")
    return n


def _per_group(sched: str, what: str, optimizer: Optimizer, value: Any) -> list[Any]:
    """One value per param group: a list or tuple of that length, or one value for all."""
    groups = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != groups:
            raise ValueError(
                f"{sched}(): {what} must have one value per param group: got {len(value)} "
                f"values for {groups} param groups"
            )
        return list(value)
    return [value] * groups


class ConstantLR(LRScheduler):
    """Multiply the lr by ``factor`` until epoch ``total_iters`` (``ConstantLR``), a warm-up:
    ``lr = lr₀·factor`` for epoch < total_iters and ``lr = lr₀`` from then on.

    Chainable as torch: epoch 0 multiplies the current lr by ``factor`` and epoch ``total_iters``
    by ``1/factor``, so what other schedules do to the lr in between is kept.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        factor: float = 1.0 / 3,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        _check_real("ConstantLR", "factor", factor)
        if not 0 <= factor <= 1:
            raise ValueError(f"ConstantLR(): factor must be between 0 and 1, got {factor}")
        _check_real("ConstantLR", "total_iters", total_iters)
        self.factor: float = factor
        self.total_iters: float = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        if self.last_epoch == 0:
            return [group["lr"] * self.factor for group in groups]
        if self.last_epoch != self.total_iters:
            return [group["lr"] for group in groups]
        if self.factor == 0:  # torch fails here too, with a bare "float division by zero"
            raise ZeroDivisionError(
                f"ConstantLR: factor=0 cannot be undone at total_iters={self.total_iters}: the "
                "chained lr is 0; jump there with step(epoch) (the closed form) instead"
            )
        return [group["lr"] * (1.0 / self.factor) for group in groups]

    def _get_closed_form_lr(self) -> list[float]:
        after = 1 - self.factor if self.last_epoch >= self.total_iters else 0.0
        return [base * (self.factor + after) for base in self.base_lrs]


class LinearLR(LRScheduler):
    """Scale the lr by a factor that goes linearly from ``start_factor`` to ``end_factor`` in
    ``total_iters`` epochs, then stays (``LinearLR``), a warm-up or a linear decay:
    ``lr = lr₀·(s + (e − s)·min(epoch, total_iters)/total_iters)``.

    Chainable as torch: epoch 0 multiplies the current lr by s, and epoch k ≤ total_iters by the
    ratio of consecutive factors, ``1 + (e − s)/(total_iters·s + (k − 1)(e − s))``.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        _check_real("LinearLR", "start_factor", start_factor)
        _check_real("LinearLR", "end_factor", end_factor)
        _check_real("LinearLR", "total_iters", total_iters)
        if not 0 < start_factor <= 1:
            raise ValueError(
                f"LinearLR(): start_factor must be in (0, 1] (it divides the next factor), "
                f"got {start_factor}"
            )
        if not 0 <= end_factor <= 1:
            raise ValueError(f"LinearLR(): end_factor must be in [0, 1], got {end_factor}")
        self.start_factor: float = start_factor
        self.end_factor: float = end_factor
        self.total_iters: float = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        e, s, t = self.end_factor, self.start_factor, self.total_iters
        if self.last_epoch == 0:
            return [group["lr"] * s for group in groups]
        if self._is_initial or self.last_epoch > t:  # resumed: keep the loaded lrs
            return [group["lr"] for group in groups]
        ratio = 1.0 + (e - s) / (t * s + (self.last_epoch - 1) * (e - s))
        return [group["lr"] * ratio for group in groups]

    def _get_closed_form_lr(self) -> list[float]:
        e, s, t = self.end_factor, self.start_factor, self.total_iters
        return [base * (s + (e - s) * min(t, self.last_epoch) / t) for base in self.base_lrs]


class PolynomialLR(LRScheduler):
    """Decay the lr to 0 in ``total_iters`` epochs along a polynomial (``PolynomialLR``):
    ``lr = lr₀·(1 − min(epoch, total_iters)/total_iters)^power``.

    Chainable as torch: epoch k ≤ total_iters multiplies the current lr by
    ``((1 − k/total_iters)/(1 − (k − 1)/total_iters))^power``; later epochs keep it.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        total_iters: int = 5,
        power: float = 1.0,
        last_epoch: int = -1,
    ) -> None:
        _check_real("PolynomialLR", "total_iters", total_iters)
        _check_real("PolynomialLR", "power", power)
        self.total_iters: float = total_iters
        self.power: float = power
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        e, t = self.last_epoch, self.total_iters
        if self._is_initial or e > t:  # construction, fresh or resumed: keep the lrs
            return [group["lr"] for group in groups]
        decay = ((1.0 - e / t) / (1.0 - (e - 1) / t)) ** self.power
        return [group["lr"] * decay for group in groups]

    def _get_closed_form_lr(self) -> list[float]:
        t = self.total_iters
        return [base * (1.0 - min(t, self.last_epoch) / t) ** self.power for base in self.base_lrs]


class CosineAnnealingWarmRestarts(LRScheduler):
    """Cosine decay from lr₀ to ``eta_min`` that restarts, each period ``T_mult`` times longer
    than the last (SGDR; ``CosineAnnealingWarmRestarts``):
    ``lr = η_min + (lr₀ − η_min)(1 + cos(π·T_cur/T_i))/2``,
    with T_cur the epochs since the last restart and T_i the current period (T_0 at first).

    Not chainable (torch computes it from lr₀ every step). ``step(epoch)`` takes a fractional
    epoch, so it can be called per batch as ``step(epoch + i/batches)``; it finds the period
    with torch's formula ``n = ⌊log_T_mult(epoch/T_0·(T_mult − 1) + 1)⌋``.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        T_0: int,
        T_mult: int = 1,
        eta_min: float = 0.0,
        last_epoch: int = -1,
    ) -> None:
        name = "CosineAnnealingWarmRestarts"
        self.T_0 = _positive_int(name, "T_0", T_0)
        self.T_i: int = self.T_0
        self.T_mult = _positive_int(name, "T_mult", T_mult)
        if isinstance(eta_min, bool) or not isinstance(eta_min, numbers.Real):
            raise ValueError(  # ValueError, not TypeError: torch's exception for this check
                f"{name}(): expected a float or int eta_min, got {type(eta_min).__name__} "
                f"{eta_min!r}"
            )
        self.eta_min: float = eta_min
        self.T_cur: float = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [
            self.eta_min
            + (base - self.eta_min) * (1 + math.cos(math.pi * self.T_cur / self.T_i)) / 2
            for base in self.base_lrs
        ]

    def step(self, epoch: float | None = None) -> None:
        """Advance one epoch, or go to ``epoch`` (a float allowed) with the closed form."""
        self._step_count += 1
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur = self.T_cur % self.T_i
                self.T_i = self.T_i * self.T_mult
        elif epoch < 0:
            raise ValueError(
                f"CosineAnnealingWarmRestarts.step(): expected a non-negative epoch, got {epoch}"
            )
        elif epoch >= self.T_0:
            if self.T_mult == 1:
                self.T_cur = epoch % self.T_0
            else:
                n = int(math.log(epoch / self.T_0 * (self.T_mult - 1) + 1, self.T_mult))
                self.T_cur = epoch - self.T_0 * (self.T_mult**n - 1) / (self.T_mult - 1)
                self.T_i = self.T_0 * self.T_mult**n
        else:
            self.T_i = self.T_0
            self.T_cur = epoch
        self.last_epoch = math.floor(epoch)
        self._set_lrs(self.get_lr())


class CyclicLR(LRScheduler):
    """The cyclical learning rate policy, stepped once per batch (``CyclicLR``; Smith, "Cyclical
    learning rates for training neural networks", 2017): the lr goes up from ``base_lr`` to
    ``max_lr`` in ``step_size_up`` steps, down again in ``step_size_down`` (= up by default),
    and repeats, the amplitude scaled by ``scale_fn``.

    At step e, with cycle length L = up + down and r = up/L::

        cycle = ⌊1 + e/L⌋,   x = 1 + e/L − cycle ∈ [0, 1)        (the position in the cycle)
        h = x/r  (rising, x ≤ r)   or   (x − 1)/(r − 1)  (falling)
        lr = base_lr + (max_lr − base_lr)·h·scale_fn(cycle or e)

    ``mode`` picks scale_fn: ``'triangular'`` 1, ``'triangular2'`` 1/2^(cycle−1) (the
    amplitude halves each cycle), ``'exp_range'`` γ^e (of the step, not the cycle). A custom
    ``scale_fn`` replaces them, evaluated at the cycle or at the step by ``scale_mode``.
    With ``cycle_momentum`` the momentum (SGD's and RMSprop's ``momentum``, or β₁ of Adam and
    its kin) moves the other way: ``max_momentum − (max_momentum − base_momentum)·h·scale_fn``.

    Not chainable (computed from ``base_lr`` every step). Construction sets each group's lr to
    ``base_lr`` and its momentum to ``max_momentum``; the groups carry ``max_momentum`` and
    ``base_momentum``. As in torch, a group that already has an ``initial_lr`` (from another
    schedule) gets that lr from the construction step, not ``base_lr``; ``step()`` then follows
    the cycle. The state dict keeps a callable object's attributes but not a function passed as
    ``scale_fn``.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        base_lr: float | list[float],
        max_lr: float | list[float],
        step_size_up: int = 2000,
        step_size_down: int | None = None,
        mode: str = "triangular",
        gamma: float = 1.0,
        scale_fn: Callable[[float], float] | None = None,
        scale_mode: str = "cycle",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.8,
        max_momentum: float | list[float] = 0.9,
        last_epoch: int = -1,
    ) -> None:
        name = "CyclicLR"
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{name}(): {type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        base_lrs = _per_group(name, "base_lr", optimizer, base_lr)
        for lr in base_lrs:
            _check_real(name, "base_lr", lr)
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                group["lr"] = lr
        self.max_lrs = _per_group(name, "max_lr", optimizer, max_lr)
        for lr in self.max_lrs:
            _check_real(name, "max_lr", lr)
        _check_real(name, "step_size_up", step_size_up)
        up = float(step_size_up)
        if step_size_down is not None:
            _check_real(name, "step_size_down", step_size_down)
        down = float(step_size_down) if step_size_down is not None else up
        if not (up > 0 and down >= 0):  # torch: ZeroDivisionError for 0, accepts negative sizes
            raise ValueError(
                f"{name}(): expected step_size_up > 0 and step_size_down >= 0, got "
                f"step_size_up={step_size_up!r}, step_size_down={step_size_down!r}"
            )
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        if mode not in ("triangular", "triangular2", "exp_range") and scale_fn is None:
            raise ValueError(
                f"{name}(): mode must be 'triangular', 'triangular2' or 'exp_range' (or give a "
                f"scale_fn), got {mode!r}"
            )
        if scale_mode not in ("cycle", "iterations"):  # torch takes any other as 'iterations'
            raise ValueError(
                f"{name}(): scale_mode must be 'cycle' or 'iterations', got {scale_mode!r}"
            )
        _check_real(name, "gamma", gamma)
        if scale_fn is not None and not callable(scale_fn):
            raise TypeError(
                f"{name}(): scale_fn must be None or a function of the cycle or step, got "
                f"{type(scale_fn).__name__} {scale_fn!r}"
            )
        self.mode = mode
        self.gamma = gamma
        self._scale_fn_custom = scale_fn
        self.scale_mode = scale_mode
        self._init_scale_fn()
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1 = _uses_beta1(name, optimizer)
            self.base_momentums = _per_group(name, "base_momentum", optimizer, base_momentum)
            self.max_momentums = _per_group(name, "max_momentum", optimizer, max_momentum)
            for m in self.base_momentums + self.max_momentums:
                _check_real(name, "base_momentum and max_momentum", m)
            if last_epoch == -1:
                for top, bottom, group in zip(
                    self.max_momentums, self.base_momentums, optimizer.param_groups
                ):
                    _set_momentum(group, self.use_beta1, top)
                    group["max_momentum"] = top
                    group["base_momentum"] = bottom
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def _init_scale_fn(self) -> None:
        """The built-in modes fix where scale_fn is evaluated (torch overrides scale_mode)."""
        if self._scale_fn_custom is None:
            self.scale_mode = "iterations" if self.mode == "exp_range" else "cycle"

    def scale_fn(self, x: float) -> float:
        """The amplitude's scale at cycle (or step) ``x``: the custom one, or the mode's."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return float(1 / (2.0 ** (x - 1)))
        return float(self.gamma**x)  # exp_range

    def get_lr(self) -> list[float]:
        """The lrs at step ``last_epoch``; sets each group's momentum (or β₁) on the way."""
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        rising = x <= self.step_ratio
        height = x / self.step_ratio if rising else (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [
            base + (top - base) * height * scale for base, top in zip(self.base_lrs, self.max_lrs)
        ]
        if self.cycle_momentum:
            for group, bottom, top in zip(
                self.optimizer.param_groups, self.base_momentums, self.max_momentums
            ):
                _set_momentum(group, self.use_beta1, top - (top - bottom) * height * scale)
        return lrs

    def state_dict(self) -> dict[str, Any]:
        state = super().state_dict()
        fn = state.pop("_scale_fn_custom")
        state["_scale_fn_custom"] = None if fn is None else _callable_state(fn)
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        state = dict(state_dict)  # torch pops from the caller's dict
        attrs = state.pop("_scale_fn_custom", None)
        super().load_state_dict(state)
        if attrs is not None:
            if self._scale_fn_custom is None:
                raise ValueError(
                    "CyclicLR.load_state_dict(): the state dict holds the attributes of a "
                    "scale_fn, but this CyclicLR has none; build it with the same scale_fn"
                )
            vars(self._scale_fn_custom).update(attrs)
        self._init_scale_fn()


class OneCycleLR(LRScheduler):
    """The 1cycle policy, stepped once per batch (``OneCycleLR``): the lr rises from
    ``max_lr/div_factor`` to ``max_lr`` in the first ``pct_start`` of ``total_steps``, then falls
    to ``initial_lr/final_div_factor``; the momentum (SGD's ``momentum``, Adam's β₁) moves the
    other way, between ``max_momentum`` and ``base_momentum``.

    In each phase, from step a to step b, with p = (step − a)/(b − a):
    ``cos: lr = end + (start − end)(1 + cos(πp))/2``  or  ``linear: lr = start + (end − start)p``.
    The phase ends are ``pct_start·total_steps − 1`` and ``total_steps − 1``; ``three_phase``
    goes back down to ``initial_lr`` at ``2·pct_start·total_steps − 2`` before the final fall.
    Not chainable; ``step(epoch)`` uses the same formula. The groups carry ``initial_lr``,
    ``max_lr``, ``min_lr``, ``max_momentum`` and ``base_momentum``, so the optimizer's state dict
    holds them.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | list[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.85,
        max_momentum: float | list[float] = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        name = "OneCycleLR"
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{name}(): {type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        if total_steps is not None:
            self.total_steps = _positive_int(name, "total_steps", total_steps)
        elif epochs is not None and steps_per_epoch is not None:
            epochs = _positive_int(name, "epochs", epochs)
            self.total_steps = epochs * _positive_int(name, "steps_per_epoch", steps_per_epoch)
        else:
            raise ValueError(
                f"{name}(): give either total_steps or both epochs and steps_per_epoch"
            )
        # A float, as torch demands: pct_start=0 or 1 (ints) is refused there too.
        if not isinstance(pct_start, float) or not 0 <= pct_start <= 1:
            raise ValueError(f"{name}(): expected a float pct_start in [0, 1], got {pct_start!r}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(
                f"{name}(): anneal_strategy must be 'cos' or 'linear', got {anneal_strategy!r}"
            )
        self._anneal_func_type = anneal_strategy
        rise_end = float(pct_start * self.total_steps) - 1
        last = self.total_steps - 1
        self._schedule_phases: list[dict[str, Any]] = [
            _phase(rise_end, "initial_lr", "max_lr", "max_momentum", "base_momentum")
        ]
        if three_phase:
            self._schedule_phases += [
                _phase(
                    float(2 * pct_start * self.total_steps) - 2,
                    "max_lr",
                    "initial_lr",
                    "base_momentum",
                    "max_momentum",
                ),
                _phase(last, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            ]
        else:
            self._schedule_phases.append(
                _phase(last, "max_lr", "min_lr", "base_momentum", "max_momentum")
            )
        max_lrs = _per_group(name, "max_lr", optimizer, max_lr)
        for top in max_lrs:
            _check_real(name, "max_lr", top)
        _check_real(name, "div_factor", div_factor)
        _check_real(name, "final_div_factor", final_div_factor)
        if last_epoch == -1:
            for group, top in zip(optimizer.param_groups, max_lrs):
                group["initial_lr"] = top / div_factor
                group["max_lr"] = top
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1 = _uses_beta1(name, optimizer)
            tops = _per_group(name, "max_momentum", optimizer, max_momentum)
            bottoms = _per_group(name, "base_momentum", optimizer, base_momentum)
            if last_epoch == -1:
                for group, top, bottom in zip(optimizer.param_groups, tops, bottoms):
                    _set_momentum(group, self.use_beta1, top)
                    group["max_momentum"] = top
                    group["base_momentum"] = bottom
        super().__init__(optimizer, last_epoch)

    def _anneal(self, start: float, end: float, pct: float) -> float:
        if self._anneal_func_type == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def get_lr(self) -> list[float]:
        """The lrs at step ``last_epoch``; sets each group's momentum (or β₁) on the way."""
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(
                f"OneCycleLR: tried to step {step} times; the cycle has total_steps="
                f"{self.total_steps}"
            )
        lrs = []
        phases = self._schedule_phases
        for group in self.optimizer.param_groups:
            start = 0.0
            for i, phase in enumerate(phases):
                end = phase["end_step"]
                if step <= end or i == len(phases) - 1:
                    if end == start:  # torch: a bare "float division by zero"
                        raise ZeroDivisionError(
                            f"OneCycleLR: phase {i} of the cycle is empty (it starts and ends at "
                            f"step {end}); change pct_start or total_steps"
                        )
                    pct = (step - start) / (end - start)
                    lrs.append(self._anneal(group[phase["start_lr"]], group[phase["end_lr"]], pct))
                    if self.cycle_momentum:
                        momentum = self._anneal(
                            group[phase["start_momentum"]], group[phase["end_momentum"]], pct
                        )
                        _set_momentum(group, self.use_beta1, momentum)
                    break
                start = end
        return lrs


def _uses_beta1(sched: str, optimizer: Optimizer) -> bool:
    """Whether cycling the momentum means β₁ (Adam and its kin) rather than ``momentum`` (SGD,
    RMSprop), as torch decides it: by the optimizer's defaults."""
    if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
        raise ValueError(
            f"{sched}(): cycle_momentum needs an optimizer with a momentum or betas (got "
            f"{type(optimizer).__name__}); pass cycle_momentum=False"
        )
    return "betas" in optimizer.defaults


def _set_momentum(group: dict[str, Any], use_beta1: bool, value: float) -> None:
    if use_beta1:
        group["betas"] = (value, *group["betas"][1:])
    else:
        group["momentum"] = value


def _phase(end: float, lr0: str, lr1: str, m0: str, m1: str) -> dict[str, Any]:
    """One phase of OneCycleLR: where it ends and which group keys it anneals between."""
    return {
        "end_step": end,
        "start_lr": lr0,
        "end_lr": lr1,
        "start_momentum": m0,
        "end_momentum": m1,
    }


class _Composite(LRScheduler):
    """SequentialLR and ChainedScheduler: a schedule made of ``_schedulers``, whose state dict
    holds each one's."""

    _schedulers: list[LRScheduler]

    def state_dict(self) -> dict[str, Any]:
        """Its own counters, and the state dict of every schedule under ``_schedulers``."""
        state = {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "_schedulers")}
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        state = dict(state_dict)  # torch pops from the caller's dict, then puts it back
        saved = state.pop("_schedulers")
        self.__dict__.update(state)
        for sched, sub in zip(self._schedulers, saved):
            sched.load_state_dict(sub)


class SequentialLR(_Composite):
    """Run ``schedulers`` one after another, switching at each of ``milestones`` (``SequentialLR``):
    schedule i runs from milestone i − 1 and starts at its own epoch 0 (its closed form there),
    e.g. a ``LinearLR`` warm-up for 5 epochs, then ``CosineAnnealingLR``.

    Construction resets every lr to ``initial_lr`` and undoes the construction step of each
    schedule (they were all built on the same optimizer), then starts the first one again.
    ``step()`` takes no epoch, as in torch.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        schedulers: list[LRScheduler],
        milestones: list[int],
        last_epoch: int = -1,
    ) -> None:
        _check_schedulers("SequentialLR", schedulers, optimizer)
        if not isinstance(milestones, Sequence):
            raise TypeError(
                f"SequentialLR(): milestones must be a list of epochs, got "
                f"{type(milestones).__name__} {milestones!r}"
            )
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                f"SequentialLR(): expects one milestone fewer than schedulers, got "
                f"{len(schedulers)} schedulers and {len(milestones)} milestones"
            )
        self._schedulers = list(schedulers)
        self._milestones = list(milestones)
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        self.recursive_undo()
        first = self._schedulers[bisect.bisect_right(self._milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def recursive_undo(self, sched: LRScheduler | None = None) -> None:
        """Take back one epoch from every schedule (inside nested SequentialLRs and
        ChainedSchedulers too)."""
        sched = self if sched is None else sched
        if isinstance(sched, _Composite):
            for s in sched._schedulers:
                self.recursive_undo(s)
        elif hasattr(sched, "last_epoch"):
            sched.last_epoch -= 1

    def step(self, epoch: int | None = None) -> None:
        """Advance the schedule whose turn it is; at a milestone, start the next at epoch 0."""
        if epoch is not None:  # torch's SequentialLR.step() has no epoch argument either
            raise TypeError(f"SequentialLR.step() takes no epoch (got {epoch!r})")
        self.last_epoch += 1
        idx = bisect.bisect_right(self._milestones, self.last_epoch)
        sched = self._schedulers[idx]
        if idx > 0 and self._milestones[idx - 1] == self.last_epoch:
            sched._update_lr(0)
        else:
            sched.step()
        self._last_lr = sched.get_last_lr()


def _check_schedulers(name: str, schedulers: Any, optimizer: Optimizer | None) -> None:
    """The schedules a SequentialLR or ChainedScheduler runs: at least one, all of one optimizer,
    none that needs a metric."""
    if not isinstance(schedulers, Sequence):
        raise TypeError(
            f"{name}(): schedulers must be a list of schedulers, got {type(schedulers).__name__}"
        )
    if len(schedulers) < 1:
        raise ValueError(f"{name}(): expects at least one scheduler, got none")
    for i, sched in enumerate(schedulers):
        if not hasattr(sched, "optimizer"):
            raise TypeError(
                f"{name}(): scheduler at index {i} ({type(sched).__name__}) has no optimizer "
                "attribute"
            )
        if isinstance(sched, ReduceLROnPlateau):
            raise ValueError(
                f"{name}(): cannot run ReduceLROnPlateau (index {i}): its step() needs the metric"
            )
        if sched.optimizer is not optimizer:
            raise ValueError(
                f"{name}(): all schedulers must belong to the same optimizer, but the "
                f"{type(sched).__name__} at index {i} has another one"
            )


class ChainedScheduler(_Composite):
    """Step several schedules at once (``ChainedScheduler``): each ``step()`` steps every one of
    ``schedulers`` in order, so chainable schedules compose, their factors multiplied (say
    ``ConstantLR`` for a warm-up and ``ExponentialLR`` for a decay, at once).

    ``optimizer`` defaults to the first schedule's, as in torch 2.13; every schedule must have
    that one. Construction steps nothing (each schedule did its own construction step).
    ``step()`` takes no epoch, as in torch; the state dict holds every schedule's.
    """

    def __init__(
        self, schedulers: Sequence[LRScheduler], optimizer: Optimizer | None = None
    ) -> None:
        if (
            optimizer is None and isinstance(schedulers, Sequence) and len(schedulers) > 0
        ):  # a non-schedule is refused just below
            optimizer = getattr(schedulers[0], "optimizer", None)
        _check_schedulers("ChainedScheduler", schedulers, optimizer)
        self._schedulers = list(schedulers)
        self.optimizer = self._schedulers[0].optimizer  # is `optimizer` if given (checked)
        self._last_lr = [group["lr"] for group in self._schedulers[-1].optimizer.param_groups]

    def step(self, epoch: int | None = None) -> None:
        """Step every schedule, in order."""
        if epoch is not None:  # torch's ChainedScheduler.step() has no epoch argument either
            raise TypeError(f"ChainedScheduler.step() takes no epoch (got {epoch!r})")
        for sched in self._schedulers:
            sched.step()
        self._last_lr = [group["lr"] for group in self._schedulers[-1].optimizer.param_groups]


class ReduceLROnPlateau(LRScheduler):
    """Multiply the lr by ``factor`` when a metric stops improving (``ReduceLROnPlateau``):
    ``step(metric)`` once per epoch, e.g. with the validation loss.

    An epoch improves on the best so far when, in ``mode='min'``, ``metric < best·(1 − threshold)``
    (``threshold_mode='rel'``) or ``metric < best − threshold`` (``'abs'``); ``'max'`` mirrors it
    with ``best·(1 + threshold)`` and ``best + threshold``. After more than ``patience`` epochs
    without one, ``lr ← max(lr·factor, min_lr)`` (skipped when that changes it by at most ``eps``),
    then ``cooldown`` epochs pass in which bad epochs are not counted.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: list[float] | float = 0,
        eps: float = 1e-8,
    ) -> None:
        name = "ReduceLROnPlateau"
        _check_real(name, "factor", factor)
        if not factor < 1.0:
            raise ValueError(f"{name}(): factor should be < 1.0, got {factor}")
        self.factor: float = factor
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{name}(): {type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        if isinstance(min_lr, (list, tuple)):
            groups = len(optimizer.param_groups)
            if len(min_lr) != groups:
                raise ValueError(f"{name}(): expected {groups} min_lrs, got {len(min_lr)}")
            self.default_min_lr: float | None = None
            self.min_lrs: list[float] = list(min_lr)
        else:
            self.default_min_lr = min_lr
            self.min_lrs = [min_lr] * len(optimizer.param_groups)
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.last_epoch = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]
        self._init_is_better(mode=mode, threshold=threshold, threshold_mode=threshold_mode)
        # after the modes, torch's order (torch checks no number: they fail at a plateau)
        for m in self.min_lrs:
            _check_real(name, "min_lr", m)
        for what, value in [
            ("patience", patience),
            ("threshold", threshold),
            ("cooldown", cooldown),
            ("eps", eps),
        ]:
            _check_real(name, what, value)
        self._reset()

    def _reset(self) -> None:
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def step(self, metrics: Any, epoch: int | None = None) -> None:  # type: ignore[override]
        """Record this epoch's metric (a number or a one-element Tensor); maybe reduce the lrs."""
        try:
            current = float(metrics)
        except (TypeError, ValueError) as e:
            raise type(e)(
                "ReduceLROnPlateau.step(): metrics must be a number or a one-element Tensor, got "
                f"{type(metrics).__name__} {metrics!r}"
            ) from None
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
        if self._is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _reduce_lr(self) -> None:
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):  # a group was added since
            if self.default_min_lr is None:
                raise RuntimeError(
                    f"ReduceLROnPlateau: the optimizer has {len(groups)} param groups but "
                    f"min_lrs has {len(self.min_lrs)} values (was a group added?); set min_lrs "
                    "to one value per group"
                )
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, min_lr in zip(groups, self.min_lrs):
            old = float(group["lr"])
            new = max(old * self.factor, min_lr)
            if old - new > self.eps:
                group["lr"] = new

    @property
    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def _is_better(self, a: float, best: float) -> bool:
        if self.mode == "min" and self.threshold_mode == "rel":
            return a < best * (1.0 - self.threshold)
        if self.mode == "min":
            return a < best - self.threshold
        if self.threshold_mode == "rel":
            return a > best * (self.threshold + 1.0)
        return a > best + self.threshold

    def _init_is_better(self, mode: str, threshold: float, threshold_mode: str) -> None:
        if mode not in ("min", "max"):
            raise ValueError(f"ReduceLROnPlateau(): mode must be 'min' or 'max', got {mode!r}")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(
                f"ReduceLROnPlateau(): threshold_mode must be 'rel' or 'abs', got "
                f"{threshold_mode!r}"
            )
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.mode = mode
        self.threshold = threshold
        self.threshold_mode = threshold_mode

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.__dict__.update(state_dict)
        self._init_is_better(self.mode, self.threshold, self.threshold_mode)

"""Learning-rate schedules: change each param group's ``lr`` once per epoch.

Call ``scheduler.step()`` after ``optimizer.step()``, once per epoch. Constructing a scheduler
records each group's ``initial_lr`` and counts as epoch 0; resuming (``last_epoch=k``, with the
optimizer's state loaded) counts as epoch k + 1 and leaves the loaded ``lr``s as they are. Like
torch, the update is chainable (computed from the group's current ``lr``), and ``step(epoch)``
jumps with the closed form.

PyTorch equivalent: ``torch.optim.lr_scheduler.LRScheduler``, ``StepLR``, ``MultiStepLR``,
``ExponentialLR``, ``LambdaLR``, ``CosineAnnealingLR``.
"""

from __future__ import annotations

import bisect
import math
import numbers
import operator
import types
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from .optimizer import Optimizer

__all__ = [
    "CosineAnnealingLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "MultiStepLR",
    "StepLR",
]


class LRScheduler:
    """Base class: subclasses give ``get_lr()`` (chainable) and ``_get_closed_form_lr()``."""

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
        self.step()

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
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            self.last_epoch = epoch
            values = self._get_closed_form_lr()
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
        """Everything but the optimizer (which has its own state dict)."""
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
        self.milestones = Counter(milestones)
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
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        if self._step_count == 1:  # construction, fresh or resumed: keep the lrs, as torch 2.13
            return [group["lr"] for group in groups]
        return [group["lr"] * self.gamma for group in groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma**self.last_epoch for base in self.base_lrs]


class LambdaLR(LRScheduler):
    """``lr = lr₀·λ(epoch)`` with ``lr_lambda`` a function of the epoch, or one per param group
    (``LambdaLR``). The state dict keeps a callable object's attributes but not a function,
    which (as in torch) cannot be saved: pass the same ``lr_lambda`` when resuming."""

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
        last_epoch: int = -1,
    ) -> None:
        groups = len(optimizer.param_groups)
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != groups:
                raise ValueError(f"LambdaLR(): expected {groups} lr_lambdas, got {len(lr_lambda)}")
            self.lr_lambdas = list(lr_lambda)
        else:
            self.lr_lambdas = [lr_lambda] * groups
        if not all(callable(f) for f in self.lr_lambdas):
            raise TypeError(f"LambdaLR(): lr_lambda must be callable, got {lr_lambda!r}")
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [base * f(self.last_epoch) for f, base in zip(self.lr_lambdas, self.base_lrs)]

    def state_dict(self) -> dict[str, Any]:
        state = super().state_dict()  # a fresh dict: the functions themselves are replaced
        state["lr_lambdas"] = [
            None if isinstance(f, types.FunctionType) else dict(vars(f)) for f in self.lr_lambdas
        ]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        state = dict(state_dict)
        saved = state.pop("lr_lambdas", [None] * len(self.lr_lambdas))
        super().load_state_dict(state)
        for f, attrs in zip(self.lr_lambdas, saved):
            if attrs is not None:
                vars(f).update(attrs)


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
        self.T_max: float = T_max
        self.eta_min: float = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        e, t_max, eta_min = self.last_epoch, self.T_max, self.eta_min
        if self._step_count == 1:  # construction, fresh or resumed: keep the lrs, as torch 2.13
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

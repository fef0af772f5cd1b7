"""Optimizers and learning-rate schedules (``torch.optim``).

A training step::

    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    opt.zero_grad()
    loss_fn(model(x), y).backward()
    opt.step()

Every optimizer updates ``.data`` in place with numpy (no graph is recorded) and skips
parameters whose ``.grad`` is None.

Learning-rate schedules live in ``optim.lr_scheduler``, as in torch: ``StepLR``,
``MultiStepLR``, ``ExponentialLR``, ``LambdaLR``, ``ConstantLR``, ``LinearLR``,
``PolynomialLR``, ``CosineAnnealingLR``, ``CosineAnnealingWarmRestarts``, ``OneCycleLR``,
``SequentialLR`` and ``ReduceLROnPlateau``::

    sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=len(loader) * epochs)
    ...  # after each opt.step(): sched.step()
"""

from __future__ import annotations

from . import lr_scheduler as lr_scheduler
from .adam import Adam, AdamW
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "lr_scheduler"]

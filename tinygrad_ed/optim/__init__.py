"""Optimizers and learning-rate schedules (``torch.optim``).

A training step::

    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    opt.zero_grad()
    loss_fn(model(x), y).backward()
    opt.step()

The optimizers, torch's of the same names: ``SGD``, ``Adam``, ``AdamW``, ``RMSprop``,
``Adagrad``, ``Adadelta``, ``Adamax``, ``NAdam`` and ``RAdam``. Every one updates ``.data`` in
place with numpy (no graph is recorded) and skips parameters whose ``.grad`` is None.

Learning-rate schedules live in ``optim.lr_scheduler``, as in torch: ``StepLR``,
``MultiStepLR``, ``ExponentialLR``, ``LambdaLR``, ``MultiplicativeLR``, ``ConstantLR``,
``LinearLR``, ``PolynomialLR``, ``CosineAnnealingLR``, ``CosineAnnealingWarmRestarts``,
``CyclicLR``, ``OneCycleLR``, ``SequentialLR``, ``ChainedScheduler`` and
``ReduceLROnPlateau``::

    sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=len(loader) * epochs)
    ...  # after each opt.step(): sched.step()
"""

from __future__ import annotations

from . import lr_scheduler as lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .adamax import Adamax
from .nadam import NAdam
from .optimizer import Optimizer
from .radam import RAdam
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "NAdam",
    "Optimizer",
    "RAdam",
    "RMSprop",
    "lr_scheduler",
]

"""Optimizers and learning-rate schedules (``torch.optim``).

A training step::

    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    opt.zero_grad()
    loss_fn(model(x), y).backward()
    opt.step()

The optimizers, torch's of the same names: ``SGD``, ``Adam``, ``AdamW``, ``RMSprop``,
``Adagrad``, ``Adadelta``, ``Adamax``, ``NAdam``, ``RAdam``, ``Rprop``, ``ASGD``, ``Adafactor``
and ``LBFGS`` (whose ``step(closure)`` evaluates the closure several times). Every one updates
``.data`` in place with numpy (no graph is recorded) and skips parameters whose ``.grad`` is
None (LBFGS counts a missing gradient as zero).

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
from .adafactor import Adafactor
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .adamax import Adamax
from .asgd import ASGD
from .lbfgs import LBFGS
from .nadam import NAdam
from .optimizer import Optimizer
from .radam import RAdam
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD

__all__ = [
    "ASGD",
    "LBFGS",
    "SGD",
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "NAdam",
    "Optimizer",
    "RAdam",
    "RMSprop",
    "Rprop",
    "lr_scheduler",
]

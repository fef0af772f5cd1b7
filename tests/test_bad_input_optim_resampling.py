"""Regression tests for the findings of tests/_audit_optim_resampling.py, the bad-input audit of the
optimizers Rprop, ASGD, Adafactor and LBFGS and of the resampling and pooling API against torch
2.13: each test is one fix, checked without torch."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import optim


def _lbfgs_step(returned: Any) -> Any:
    p = tg.tensor([1.0, -2.0, 0.5], requires_grad=True)
    opt = optim.LBFGS([p], max_iter=3)

    def closure() -> Any:
        opt.zero_grad()
        loss = (p**2).sum()
        loss.backward()
        return returned(p, loss)

    return opt.step(closure)


@pytest.mark.parametrize(
    ("returned", "kind", "match"),
    [
        # a closure that forgot its return: float(None) failed inside with Python's words
        (
            lambda p, loss: None,
            TypeError,
            r"LBFGS\.step\(\): the closure must return the loss.*"
            r"got NoneType None",
        ),
        (lambda p, loss: "loss", TypeError, r"LBFGS\.step\(\): .*got str 'loss'"),
        # a loss per element: item() named itself, not LBFGS
        (lambda p, loss: p**2, ValueError, r"LBFGS\.step\(\): .*got a Tensor of shape \(3,\)"),
        (lambda p, loss: p**2, RuntimeError, r"LBFGS\.step\(\)"),  # torch's kind too
    ],
)
def test_lbfgs_names_a_closure_result_that_is_not_a_loss(
    returned: Any, kind: type[Exception], match: str
) -> None:
    with pytest.raises(kind, match=match):
        _lbfgs_step(returned)


@pytest.mark.parametrize(
    "returned",
    [
        lambda p, loss: loss,
        lambda p, loss: loss.reshape(1),
        lambda p, loss: loss.item(),
        lambda p, loss: np.float32(loss.item()),
        lambda p, loss: np.array([loss.item()]),
        lambda p, loss: int(loss.item()),
    ],
)
def test_lbfgs_takes_every_form_of_a_loss(returned: Any) -> None:
    first = _lbfgs_step(returned)  # returned as the closure gave it, as torch's
    value = first.item() if hasattr(first, "item") else first
    assert value == pytest.approx(5.25, abs=0.5)

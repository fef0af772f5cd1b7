"""Which error an in-place op raises first in grad mode, in torch's order.

torch parses the arguments (a string or None is a TypeError), then refuses a leaf that requires
grad or a view of one, and only then checks the shapes; for any other tensor it would record the
op, so the shapes come first — also for ``__setitem__``, which indexes and broadcasts before
its leaf check. Where torch records the op ours records it too (tests/test_inplace_nonleaf.py).
"""

from __future__ import annotations

from typing import Any

import pytest

import tinygrad_ed as tg

REFUSED = "requires grad"  # ours: "... a leaf Variable that requires grad ... in-place operation"
# (expression, the error ours raises first: a type, or REFUSED)
CASES: list[tuple[str, Any]] = [
    ("leaf.add_(lib.ones(2, 3))", REFUSED),  # the leaf before the shapes
    ("leaf.sub_(lib.ones(4))", REFUSED),
    ("leaf.mul_(lib.ones(4))", REFUSED),
    ("leaf.div_(lib.ones(4))", REFUSED),
    ("leaf += lib.ones(4)", REFUSED),
    ("leaf /= lib.ones(2, 3)", REFUSED),
    ("leaf.copy_(lib.ones(4))", REFUSED),
    ("leaf.zero_()", REFUSED),
    ("leaf.fill_(lib.ones(2))", REFUSED),
    ("leaf.div_(lib.ones(3), rounding_mode='bad')", REFUSED),
    ("leaf.div_(lib.ones(4), rounding_mode='floor')", REFUSED),
    ("leaf[:2].add_(lib.ones(3))", REFUSED),  # a view of a leaf
    ("leaf.add_('a')", TypeError),  # the arguments' types before the leaf
    ("leaf.add_(None)", TypeError),
    ("leaf.sub_(lib.ones(3), alpha='x')", TypeError),
    ("leaf.copy_('a')", TypeError),
    ("leaf.fill_('a')", TypeError),
    ("leaf *= 'a'", TypeError),
    ("leaf[:2].add_('a')", TypeError),
    ("leaf.div_(lib.ones(3), rounding_mode=5)", TypeError),
    ("leaf.div_('a', rounding_mode='floor')", TypeError),
    ("inner.add_(lib.ones(4))", RuntimeError),  # not a leaf: the shapes first
    ("inner.mul_(lib.ones(2, 3))", RuntimeError),
    ("inner.div_(lib.ones(3), rounding_mode='bad')", RuntimeError),
    ("inner.fill_(lib.ones(2))", RuntimeError),
    ("plain.add_(lib.ones(4, requires_grad=True))", RuntimeError),  # a value requiring grad
    ("plain.copy_(lib.ones(4, requires_grad=True))", RuntimeError),
    ("leaf[:2] = lib.ones(3)", RuntimeError),  # __setitem__: index and shapes first
    ("leaf[5] = 1", IndexError),
    ("leaf[0] = 'a'", TypeError),
    ("leaf[0] = 1", REFUSED),
    # the in-place forms of other ops, in the same order
    ("leaf.pow_(lib.ones(4))", REFUSED),
    ("leaf.masked_fill_(lib.ones(4) > 0, 0)", REFUSED),
    ("leaf.lerp_(lib.ones(4), 0.5)", REFUSED),
    ("leaf.clamp_(max=lib.ones(4))", REFUSED),
    ("leaf.exp_()", REFUSED),
    ("leaf.clamp_(min='a')", TypeError),
    ("leaf.pow_('a')", TypeError),
    ("leaf.lerp_('a', 0.5)", TypeError),
    ("leaf.addcmul_('a', lib.ones(3))", TypeError),
    ("leaf.masked_fill_(lib.ones(3) > 0, 'a')", TypeError),
    ("inner.pow_(lib.ones(4))", RuntimeError),
    ("inner.addcmul_(lib.ones(4), lib.ones(3))", RuntimeError),
    ("inner.masked_fill_(lib.ones(4) > 0, 0)", RuntimeError),
]


def _raise(lib: Any, expression: str) -> BaseException:
    leaf = lib.ones(3, requires_grad=True)
    env = {"lib": lib, "leaf": leaf, "inner": leaf * 2, "plain": lib.ones(3)}
    with pytest.raises(Exception) as info:
        exec(expression, env)
    return info.value


def _kind(error: BaseException) -> Any:
    text = str(error)
    if isinstance(error, RuntimeError) and ("requires grad" in text or "leaf Variable" in text):
        return REFUSED
    return type(error)


@pytest.mark.parametrize(("expression", "first"), CASES)
def test_the_first_error_is_torchs(expression: str, first: Any) -> None:
    error = _raise(tg, expression)
    if first is REFUSED:
        assert _kind(error) is REFUSED, error
    else:
        assert isinstance(error, first) and _kind(error) is not REFUSED, error
    torch = pytest.importorskip("torch")
    theirs = _raise(torch, expression)
    if first is REFUSED:
        assert _kind(theirs) is REFUSED, theirs
    else:
        assert isinstance(theirs, first) and _kind(theirs) is not REFUSED, theirs


def test_no_grad_updates_still_work() -> None:
    p = tg.ones(3, requires_grad=True)
    with tg.no_grad():
        p -= 0.5 * tg.ones(3)
        p.add_(tg.ones(3), alpha=2).div_(tg.ones(3) * 2, rounding_mode="floor")
        p[0] = 7
    assert p.tolist() == [7.0, 1.0, 1.0]
    assert p.requires_grad and p.grad_fn is None


def test_a_refused_random_fill_draws_nothing() -> None:
    tg.manual_seed(0)
    expected = tg.rand(2).tolist()
    tg.manual_seed(0)
    with pytest.raises(RuntimeError, match="requires grad"):
        tg.ones(3, requires_grad=True).uniform_()
    assert tg.rand(2).tolist() == expected

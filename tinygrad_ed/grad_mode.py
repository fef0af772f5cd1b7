"""Grad mode: whether ops record the graph, per thread (``torch.autograd.grad_mode``).

``no_grad``, ``enable_grad``, ``set_grad_enabled`` and ``inference_mode`` set one flag,
``_mode.enabled``, that ``Tensor._apply`` reads before recording a node; each works as a
context manager and as a decorator (also of generator functions), and restores the previous
mode on exit, exceptions included. ``detect_anomaly``, the module ``scope`` viz draws and the
saved-tensor hooks of ``autograd.graph`` are per-thread state of the same kind. The engine
(``autograd``) imports this module.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

F = TypeVar("F", bound=Callable[..., Any])


class _Mode(threading.local):
    """Per-thread state: is the graph recorded, and which modules are running (for viz)."""

    enabled = True
    inference = False
    anomaly = False  # check every gradient backward computes: anomaly mode with check_nan
    anomaly_mode = False  # anomaly mode itself
    check_nan = True  # torch's flag, set with the mode (True by default, as torch's)
    scope: tuple[Any, ...] = ()
    # autograd.graph.saved_tensors_hooks: the (pack, unpack) pairs in force, innermost last;
    # empty (false) when none are, the one test a new node makes. A message while
    # disable_saved_tensors_hooks is in force (None else).
    saved_hooks: tuple[tuple[Callable[[Any], Any], Callable[[Any], Any]], ...] = ()
    saved_hooks_disabled: str | None = None


_mode = _Mode()


def is_grad_enabled() -> bool:
    """Whether ops record the graph in this thread (``torch.is_grad_enabled``)."""
    return _mode.enabled


class _GradMode:
    """A context manager and decorator that sets grad mode and restores it on exit.

    As a decorator it sets the mode for each call of the function, and for each step of a
    generator function's generator (which runs between the caller's statements).
    """

    enabled = True

    def __enter__(self) -> None:
        self._prev = _mode.enabled
        _mode.enabled = self.enabled

    def __exit__(self, *exc: object) -> None:
        _mode.enabled = self._prev

    def _fresh(self) -> _GradMode:
        """A new manager of the same mode: each call of a decorated function enters its own."""
        return type(self)()

    def __call__(self, fn: F) -> F:
        if inspect.isgeneratorfunction(fn):
            return _wrap_generator(self._fresh, fn)  # type: ignore[return-value]

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self._fresh():
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


def _wrap_generator(mode: Callable[[], _GradMode], fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn``'s generator with every step (send, throw, close) run inside ``mode()``."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        gen = fn(*args, **kwargs)
        step, value = gen.send, None
        while True:
            try:
                with mode():
                    item = step(value)
            except StopIteration as stop:
                return stop.value
            try:
                value, step = (yield item), gen.send
            except GeneratorExit:
                with mode():
                    gen.close()
                raise
            except BaseException as e:  # thrown in by the caller: pass it on to fn's generator
                value, step = e, gen.throw

    return wrapper


class _NoArgGradMode(_GradMode):
    def __new__(cls, orig_func: Callable[..., Any] | None = None) -> _NoArgGradMode:
        # `@no_grad` without parentheses decorates at once, as torch allows.
        if orig_func is None:
            return super().__new__(cls)
        if not callable(orig_func):
            raise TypeError(f"{cls.__name__}() takes no arguments, got {orig_func!r}")
        return super().__new__(cls)(orig_func)  # type: ignore[return-value]


class set_grad_enabled(_GradMode):
    """Turn graph recording on or off for this thread (``torch.set_grad_enabled``).

    It acts at once when called (``set_grad_enabled(False)`` as a statement), and restores the
    previous mode on exit when used as a context manager, or around each call as a decorator.
    """

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, (bool, np.bool_)):
            raise TypeError(f"set_grad_enabled(): mode must be a bool, got {mode!r}")
        self.enabled = bool(mode)
        self._prev = _mode.enabled
        _mode.enabled = self.enabled

    def __enter__(self) -> None:  # the mode was set by the constructor
        pass

    def _fresh(self) -> _GradMode:
        return set_grad_enabled(self.enabled)

    def __call__(self, fn: F) -> F:
        _mode.enabled = self._prev  # as a decorator it changes nothing until fn runs
        return super().__call__(fn)


class detect_anomaly:
    """Check every gradient backward computes; name the op whose rule produced NaN or Inf.

    PyTorch equivalent: ``torch.autograd.detect_anomaly(check_nan=True)``. Costs one finiteness
    check per gradient, so it is off by default. ``check_nan=False`` turns anomaly mode on
    without the check (torch then only records forward tracebacks, which this library does not
    keep: nothing is checked).
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.mode, self.check_nan = True, check_nan

    def __enter__(self) -> None:
        self._prev = _mode.anomaly_mode, _mode.check_nan, _mode.anomaly
        _mode.anomaly_mode, _mode.check_nan = self.mode, bool(self.check_nan)
        _mode.anomaly = self.mode and _mode.check_nan

    def __exit__(self, *exc: object) -> None:
        _mode.anomaly_mode, _mode.check_nan, _mode.anomaly = self._prev


class set_detect_anomaly(detect_anomaly):
    """Turn anomaly mode on or off (``torch.autograd.set_detect_anomaly(mode, check_nan=True)``):
    at once when called, and back to the previous mode on exit when used as a context manager."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        if not isinstance(mode, (bool, np.bool_)):
            raise TypeError(f"set_detect_anomaly(): mode must be a bool, got {mode!r}")
        self.mode, self.check_nan = bool(mode), check_nan
        super().__enter__()

    def __enter__(self) -> None:  # the mode was set by the constructor
        pass


def is_anomaly_enabled() -> bool:
    """Whether anomaly mode is on in this thread (``torch.is_anomaly_enabled``)."""
    return _mode.anomaly_mode


def is_anomaly_check_nan_enabled() -> bool:
    """Whether anomaly mode checks gradients for nan and ±∞
    (``torch.is_anomaly_check_nan_enabled``: True by default, whether the mode is on or not)."""
    return _mode.check_nan


class no_grad(_NoArgGradMode):
    """Ops inside record no graph (``torch.no_grad``): for evaluation and in-place updates."""

    enabled = False


class enable_grad(_NoArgGradMode):
    """Re-enable recording inside a ``no_grad`` block (``torch.enable_grad``)."""

    enabled = True


class inference_mode(_GradMode):
    """``torch.inference_mode(mode=True)``: no graph is recorded, as under ``no_grad`` (torch
    also skips its version counters there; ours cost nothing to keep). ``mode=False`` turns
    inference mode off and grad mode on inside, as torch's (whose InferenceMode(false) sets
    grad mode to True, even under ``no_grad``). Works as a context manager and as a
    decorator, with or without ()."""

    def __new__(cls, mode: Any = True) -> inference_mode:
        self = super().__new__(cls)
        if callable(mode):  # `@inference_mode` without parentheses: __init__ is not called
            self.mode = True
            return self(mode)  # type: ignore[no-any-return]
        return self

    def __init__(self, mode: Any = True) -> None:
        if callable(mode):
            mode = True
        if not isinstance(mode, (bool, np.bool_)):
            raise TypeError(f"inference_mode(): mode must be a bool, got {mode!r}")
        self.mode = bool(mode)

    def __enter__(self) -> None:
        self._prev, self._prev_inference = _mode.enabled, _mode.inference
        _mode.enabled, _mode.inference = not self.mode, self.mode

    def __exit__(self, *exc: object) -> None:
        _mode.enabled, _mode.inference = self._prev, self._prev_inference

    def _fresh(self) -> _GradMode:
        return inference_mode(self.mode)


def is_inference_mode_enabled() -> bool:
    """Whether an ``inference_mode()`` block is in force in this thread
    (``torch.is_inference_mode_enabled``)."""
    return _mode.inference


class scope:  # used like a function: `with scope(module):`
    """Tag the nodes recorded inside with ``owner`` (``nn.Module.__call__`` passes itself).

    Viz groups a graph's nodes by module from these tags; the engine never reads them. A plain
    class rather than a generator-based context manager: it runs on every module call.
    """

    __slots__ = ("owner", "prev")

    def __init__(self, owner: Any) -> None:
        self.owner = owner

    def __enter__(self) -> None:
        self.prev = _mode.scope
        _mode.scope = (*self.prev, self.owner)

    def __exit__(self, *exc: object) -> None:
        _mode.scope = self.prev

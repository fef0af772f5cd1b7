"""The Optimizer base class: parameter groups, per-parameter state, zero_grad and state dicts.

An optimizer holds ``param_groups``, a list of dicts, each with its ``params`` and its own
hyperparameters (``lr``, ``weight_decay``, …; missing ones come from the constructor's
defaults), and ``state``, a dict from parameter to that parameter's running buffers. ``step()``
reads each parameter's ``.grad`` and updates ``.data`` in place with numpy: no graph is
recorded and the parameters keep their identity. Parameters whose ``.grad`` is None are skipped.
Hooks registered with ``register_step_pre_hook``/``register_step_post_hook`` run around every
``step()``, and the state-dict hooks around ``state_dict()`` and ``load_state_dict()``.

torch's flags for its other implementations of a step, ``foreach`` (one kernel per list of
tensors), ``fused`` (one kernel for the whole update), ``capturable`` (state on the device, for
CUDA graphs) and ``differentiable`` (the step recorded by autograd), are accepted by each
optimizer that takes them in torch, with torch's defaults, and kept in the param groups (so
state dicts have torch's keys). They change nothing numerically: there is one implementation,
numpy's. What torch refuses on the CPU is refused as there: ``fused`` with ``foreach`` or
``differentiable`` (construction), ``capturable=True`` and ``differentiable=True`` with
parameters that require grad (``step()``, see ``_refuse_flags``).

PyTorch equivalent: ``torch.optim.Optimizer``.
"""

from __future__ import annotations

import copy
import functools
import numbers
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar

import numpy as np

from ..autograd import enable_grad
from ..hooks import RemovableHandle, add_hook
from ..tensor import Tensor

__all__ = ["Optimizer", "ParamsT"]

# Iteration order of a set changes between runs, and state dicts name parameters by position.
_SET_MESSAGE = (
    "{}(): optimizer parameters need to be organized in ordered collections, but the ordering "
    "of tensors in sets will change between runs; use a list"
)

# Tensors, or dicts with "params" and per-group hyperparameters. Iterable[Any] rather than a
# union: mypy infers a list of mixed group dicts as list[object], which a union would reject.
ParamsT = Iterable[Any]


class Optimizer:
    """Base class of the optimizers: subclasses define ``step()`` (``torch.optim.Optimizer``).

    A subclass's ``step`` is wrapped when the class is defined, so that it runs the step hooks
    (``register_step_pre_hook``/``register_step_post_hook``) around it.
    """

    defaults: dict[str, Any]
    param_groups: list[dict[str, Any]]
    state: defaultdict[Tensor, dict[str, Any]]
    # Hooks by handle id, in calling order (torch's names).
    _optimizer_step_pre_hooks: OrderedDict[int, Callable[..., Any]]
    _optimizer_step_post_hooks: OrderedDict[int, Callable[..., Any]]
    _optimizer_state_dict_pre_hooks: OrderedDict[int, Callable[..., Any]]
    _optimizer_state_dict_post_hooks: OrderedDict[int, Callable[..., Any]]
    _optimizer_load_state_dict_pre_hooks: OrderedDict[int, Callable[..., Any]]
    _optimizer_load_state_dict_post_hooks: OrderedDict[int, Callable[..., Any]]
    _in_step: bool  # inside a hooked step: a subclass's step calling its parent's runs them once
    # What torch's capturable step asserts of the CPU tensors it is given, in its words (the
    # single-tensor path's, which torch takes on the CPU unless foreach=True).
    _capturable_needs = (
        "params and state_steps must be on supported devices: "
        "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla']"
    )
    # The flags a loaded param group that lacks them gets (torch's ``__setstate__`` defaults;
    # only those the optimizer has are set).
    _flag_defaults: ClassVar[dict[str, Any]] = {
        "foreach": None,
        "capturable": False,
        "differentiable": False,
        "fused": None,
    }

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None:
            cls.step = _with_step_hooks(step)  # type: ignore[method-assign]

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self._optimizer_step_pre_hooks = OrderedDict()
        self._optimizer_step_post_hooks = OrderedDict()
        self._optimizer_state_dict_pre_hooks = OrderedDict()
        self._optimizer_state_dict_post_hooks = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks = OrderedDict()
        self._optimizer_load_state_dict_post_hooks = OrderedDict()
        self._in_step = False
        self.defaults = defaults
        # A defaultdict, as torch: ``opt.state[p]`` is {} for a parameter not yet stepped.
        self.state = defaultdict(dict)
        self.param_groups = []
        name = type(self).__name__
        if isinstance(params, Tensor):
            raise TypeError(
                f"{name}(): params should be an iterable of Tensors or dicts, but got a Tensor "
                f"of shape {params.shape}; wrap it in a list"
            )
        if isinstance(params, set):
            raise TypeError(_SET_MESSAGE.format(name))
        if not isinstance(params, Iterable):
            raise TypeError(
                f"{name}(): params should be an iterable of Tensors or dicts, but got "
                f"{type(params).__name__}"
            )
        groups: list[Any] = list(params)
        if not groups:
            raise ValueError(f"{name}(): optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):  # tensors, or (name, tensor) pairs: one group
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyperparameters (fine-tuning, new layers).

        As in torch, the dict given becomes the group (missing hyperparameters filled in from
        the defaults), so later changes to it take effect. ``params`` may hold tensors or
        ``(name, tensor)`` pairs (``model.named_parameters()``), whose names are kept in the
        group's ``param_names`` and in the state dict, as torch 2.13 does.
        """
        name = type(self).__name__
        if not isinstance(param_group, dict):
            raise TypeError(
                f"{name}.add_param_group(): a param group must be a dict, "
                f"got {type(param_group).__name__}"
            )
        params = param_group.get("params")
        if params is None:
            raise ValueError(f"{name}.add_param_group(): the param group has no 'params' entry")
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(_SET_MESSAGE.format(name))
        else:
            params = list(params)
        named = [isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in params]
        if any(named):
            if not all(named):
                raise ValueError(
                    f"{name}(): all optimizer params should be with/without names. Some param "
                    "names are missing"
                )
            names, params = [n for n, _ in params], [t for _, t in params]
        if self.param_groups and ("param_names" in self.param_groups[0]) != any(named):
            had, new = ("with", "without") if any(named) else ("without", "with")
            raise ValueError(  # state dicts name parameters either everywhere or nowhere
                f"{name}.add_param_group(): all optimizer param groups should be with/without "
                f"names; cannot add a param group {had} names to the optimizer {new} names"
            )
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(
                    f"{name}(): can only optimize Tensors, but parameter {i} of the group is a "
                    f"{type(p).__name__}"
                )
            if not p.is_leaf:
                raise ValueError(
                    f"{name}(): can't optimize a non-leaf Tensor (parameter {i}, shape {p.shape})"
                )
            if p.dtype.kind != "f":
                raise TypeError(
                    f"{name}(): can only optimize floating tensors, parameter {i} has dtype "
                    f"{p.dtype} (shape {p.shape})"
                )
        group = {**self.defaults, **param_group, "params": params}
        if any(named):
            group["param_names"] = names
        for key, value in group.items():
            if value is _Required:
                raise ValueError(
                    f"{name}(): parameter group didn't specify a value of required optimization "
                    f"parameter {key}"
                )
        if len({id(p) for p in params}) != len(params):  # torch only warns; a double step is a bug
            raise ValueError(f"{name}(): a parameter appears twice in one parameter group")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError(f"{name}(): some parameters appear in more than one parameter group")
        param_group.update(group)  # checked: now the caller's dict becomes the live group
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient: None by default, as torch (saves memory and time).

        With ``set_to_none=False`` each becomes a fresh zero tensor; never zeroed in place, since
        a gradient's array may be shared with another tensor.
        """
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.grad = None if set_to_none else Tensor._make(np.zeros_like(p.data))

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; returns ``closure()`` if given."""
        raise NotImplementedError(f"{type(self).__name__} does not implement step()")

    def _closure(self, closure: Callable[[], Any] | None) -> Any:
        if closure is None:
            return None
        with enable_grad():
            return closure()

    def _grads(self, group: dict[str, Any]) -> Iterator[tuple[Tensor, np.ndarray]]:
        """Each parameter of ``group`` that has a gradient, with that gradient's array, negated
        if the group has ``maximize``; the others are skipped, as torch skips them.

        The array must never be written into: it may be shared with other tensors.
        """
        if group.get("capturable") or group.get("differentiable"):
            self._refuse_flags(group)
        for p in group["params"]:
            if p.grad is None:
                continue
            g = p.grad.data
            if g.shape != p.data.shape:
                raise _grad_shape_error(type(self).__name__, group["params"], p, g.shape)
            yield p, (-g if group["maximize"] else g)

    def _refuse_flags(self, group: dict[str, Any]) -> None:
        """What torch's step raises on the CPU for a group with ``capturable=True`` (an
        AssertionError: its state must be on an accelerator; not with ``fused=True``, whose CPU
        kernel ignores the flag) or ``differentiable=True`` (the step runs under autograd, and
        updating a parameter that requires grad in place is refused), once some parameter of
        the group has a gradient, as there."""
        name = type(self).__name__
        params = [p for p in group["params"] if p.grad is not None]
        if not params:
            return
        if group.get("capturable") and not group.get("fused"):
            raise AssertionError(f"{name}.step(): If capturable=True, {self._capturable_needs}.")
        if group.get("differentiable") and any(p.requires_grad for p in params):
            raise RuntimeError(
                f"{name}.step(): a leaf Variable that requires grad is being used in an "
                "in-place operation. (differentiable=True runs torch's step under autograd; "
                "this library's step records no graph either way)"
            )

    # ------------------------------------------------------------------ hooks

    def register_step_pre_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(optimizer, args, kwargs)`` before each ``step()``; ``args`` starts with
        the optimizer itself, as in torch. It may return ``(new_args, new_kwargs)`` for the step.

        PyTorch equivalent: ``torch.optim.Optimizer.register_step_pre_hook``.
        """
        return add_hook(self._optimizer_step_pre_hooks, hook, "register_step_pre_hook")

    def register_step_post_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(optimizer, args, kwargs)`` after each ``step()`` (the arguments the step
        was given, after the pre-hooks).

        PyTorch equivalent: ``torch.optim.Optimizer.register_step_post_hook``.
        """
        return add_hook(self._optimizer_step_post_hooks, hook, "register_step_post_hook")

    def register_state_dict_pre_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(optimizer)`` at the start of ``state_dict()``
        (``torch.optim.Optimizer.register_state_dict_pre_hook``)."""
        return add_hook(
            self._optimizer_state_dict_pre_hooks,
            hook,
            "register_state_dict_pre_hook",
            prepend=prepend,
        )

    def register_state_dict_post_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(optimizer, state_dict)`` at the end of ``state_dict()``; it may change
        the dict in place or return a new one (``Optimizer.register_state_dict_post_hook``)."""
        return add_hook(
            self._optimizer_state_dict_post_hooks,
            hook,
            "register_state_dict_post_hook",
            prepend=prepend,
        )

    def register_load_state_dict_pre_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(optimizer, state_dict)`` at the start of ``load_state_dict()``, with a
        shallow copy of the dict given; it may change it or return the one to load instead
        (``torch.optim.Optimizer.register_load_state_dict_pre_hook``)."""
        return add_hook(
            self._optimizer_load_state_dict_pre_hooks,
            hook,
            "register_load_state_dict_pre_hook",
            prepend=prepend,
        )

    def register_load_state_dict_post_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(optimizer)`` once ``load_state_dict()`` has loaded the state
        (``torch.optim.Optimizer.register_load_state_dict_post_hook``)."""
        return add_hook(
            self._optimizer_load_state_dict_post_hooks,
            hook,
            "register_load_state_dict_post_hook",
            prepend=prepend,
        )

    # ------------------------------------------------------------------ state dict

    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: buffers}, "param_groups": [hyperparameters + param indices]}``.

        Parameters are named by their position across the groups (as torch), so the dict can be
        loaded into an optimizer built the same way over a fresh model. Buffers are copies.
        The state-dict hooks run before and after. The groups hold torch's keys, the
        ``foreach``/``fused``/``capturable``/``differentiable`` flags too. Unlike torch's, step
        counts are Python ints (torch keeps 0-d tensors).
        """
        for pre_hook in [*self._optimizer_state_dict_pre_hooks.values()]:
            pre_hook(self)
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            ids = []
            for p in group["params"]:
                index.setdefault(id(p), len(index))
                ids.append(index[id(p)])
            groups.append({**{k: v for k, v in group.items() if k != "params"}, "params": ids})
        state = {
            index[id(p)]: {k: _copy(v) for k, v in s.items()}
            for p, s in self.state.items()
            if id(p) in index
        }
        state_dict: dict[str, Any] = {"state": state, "param_groups": groups}
        for post_hook in [*self._optimizer_state_dict_post_hooks.values()]:
            replaced = post_hook(self, state_dict)
            if replaced is not None:
                state_dict = replaced
        return state_dict

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Restore hyperparameters and buffers saved by ``state_dict()`` (copies them).

        The load-state-dict pre-hooks see (and may replace) a shallow copy of ``state_dict``;
        the post-hooks run once it is loaded. A saved group without the implementation flags
        (``foreach``, ``fused``, …: a state dict from an older torch) gets torch's defaults for
        them, as its ``__setstate__`` gives.
        """
        name = type(self).__name__
        if not isinstance(state_dict, Mapping):
            raise TypeError(
                f"{name}.load_state_dict(): expected a dict with keys 'state' and "
                f"'param_groups', got {type(state_dict).__name__}"
            )
        state_dict = dict(state_dict)  # a shallow copy, as torch: the hooks may change it
        for pre_hook in [*self._optimizer_load_state_dict_pre_hooks.values()]:
            replaced = pre_hook(self, state_dict)
            if replaced is not None:
                state_dict = replaced
        if not isinstance(state_dict, Mapping):
            raise TypeError(
                f"{name}.load_state_dict(): a load_state_dict pre-hook returned a "
                f"{type(state_dict).__name__}; expected a dict with keys 'state' and "
                "'param_groups'"
            )
        if "state" not in state_dict or "param_groups" not in state_dict:
            raise ValueError(
                f"{name}.load_state_dict(): expected keys 'state' and 'param_groups', got "
                f"{sorted(state_dict)}"
            )
        saved_groups = list(state_dict["param_groups"])
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"{name}.load_state_dict(): the loaded state dict has {len(saved_groups)} "
                f"parameter group(s) but the optimizer has {len(self.param_groups)}"
            )
        for i, (ours, theirs) in enumerate(zip(self.param_groups, saved_groups)):
            if len(ours["params"]) != len(theirs["params"]):
                raise ValueError(
                    f"{name}.load_state_dict(): parameter group {i} has {len(theirs['params'])} "
                    f"parameters in the loaded state dict but {len(ours['params'])} here"
                )
        by_index: dict[int, Tensor] = {}
        for ours, theirs in zip(self.param_groups, saved_groups):
            for idx, p in zip(theirs["params"], ours["params"]):
                by_index[int(idx)] = p
        # Keys may come back as strings from formats that only have string keys.
        saved_state = {int(k): v for k, v in state_dict["state"].items()}
        new_state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        for idx, buffers in saved_state.items():
            if idx not in by_index:
                raise ValueError(f"{name}.load_state_dict(): state for unknown parameter {idx}")
            p = by_index[idx]
            new_state[p] = {k: self._restore_state(v, p, k) for k, v in buffers.items()}
        for ours, theirs in zip(self.param_groups, saved_groups):
            for key, value in theirs.items():
                if key == "param_names":
                    ours[key] = list(value)
                elif key != "params":  # betas come back from a file as a list
                    ours[key] = tuple(value) if isinstance(value, list) else copy.deepcopy(value)
            for key, value in self._flag_defaults.items():
                if key in ours and key not in theirs:
                    ours[key] = value
        self.state = new_state
        for post_hook in [*self._optimizer_load_state_dict_post_hooks.values()]:
            post_hook(self)

    def _restore_state(self, value: Any, p: Tensor, key: str) -> Any:
        """A loaded state entry of ``p`` as this optimizer keeps it: by default a buffer of
        ``p``'s shape (checked) as a fresh Tensor in ``p``'s dtype. An optimizer whose state
        holds other arrays (LBFGS's flat vectors) overrides it."""
        return _restore(value, p, key, type(self).__name__)

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines.extend(f"    {k}: {group[k]}" for k in sorted(group) if k != "params")
        lines.append(")")
        return "\n".join(lines)


def _with_step_hooks(step: Callable[..., Any]) -> Callable[..., Any]:
    """``step`` run between the optimizer's step pre-hooks and post-hooks (torch's order)."""

    @functools.wraps(step)
    def hooked_step(*args: Any, **kwargs: Any) -> Any:
        self: Optimizer = args[0]
        pre, post = self._optimizer_step_pre_hooks, self._optimizer_step_post_hooks
        if self._in_step or not (pre or post):  # the training loop's path: one test
            return step(*args, **kwargs)
        for hook in [*pre.values()]:
            new = hook(self, args, kwargs)
            if new is not None:
                if not (isinstance(new, tuple) and len(new) == 2):
                    raise RuntimeError(
                        f"{type(self).__name__}.step(): a step pre-hook must return None or a "
                        f"tuple of (new_args, new_kwargs), but got {new!r}"
                    )
                args, kwargs = new
        self._in_step = True
        try:
            out = step(*args, **kwargs)
        finally:
            self._in_step = False
        for hook in [*post.values()]:
            hook(self, args, kwargs)
        return out

    return hooked_step


def _check_real(opt: str, what: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{opt}(): {what} must be a real number, got {type(value).__name__} {value!r}"
        )


def _check_nonnegative(opt: str, what: str, value: Any) -> None:
    """A hyperparameter ≥ 0, as torch checks them at construction (NaN is refused too)."""
    _check_real(opt, what, value)
    if not value >= 0.0:
        raise ValueError(f"{opt}(): invalid {what}: {value}")


def _check_fused(opt: str, fused: Any, foreach: Any, differentiable: Any) -> None:
    """torch's refusals of ``fused=True`` at construction, in its words and order."""
    if fused:
        if differentiable:
            raise RuntimeError(f"{opt}(): `fused` does not support `differentiable`")
        if foreach:
            raise RuntimeError(f"{opt}(): `fused` and `foreach` cannot be `True` together.")


def _check_betas(opt: str, betas: Any) -> tuple[float, float]:
    """(β₁, β₂), each in [0, 1): a 1-tuple would otherwise fail only at the first step()."""
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise ValueError(f"{opt}(): betas must be a pair (beta1, beta2), got {betas!r}")
    for i, beta in enumerate(betas):
        _check_real(opt, f"beta parameter at index {i}", beta)
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"{opt}(): invalid beta parameter at index {i}: {beta}")
    return betas[0], betas[1]


def _adam_defaults(
    opt: str,
    lr: float,
    betas: Any,
    eps: float,
    weight_decay: float,
    maximize: bool,
    **more: Any,
) -> dict[str, Any]:
    """The checked hyperparameters of the Adam family (Adam, AdamW, Adamax, NAdam, RAdam), in
    torch's order of checks; ``more`` are the member's own (checked by the caller)."""
    _check_nonnegative(opt, "learning rate", lr)
    _check_nonnegative(opt, "epsilon value", eps)
    betas = _check_betas(opt, betas)
    _check_nonnegative(opt, "weight_decay value", weight_decay)
    return {
        "lr": lr,
        "betas": betas,
        "eps": eps,
        "weight_decay": weight_decay,
        **more,
        "maximize": maximize,
    }


def _grad_shape_error(
    opt: str, params: list[Tensor], p: Tensor, grad_shape: tuple[int, ...]
) -> RuntimeError:
    # Only built on the error path; step() itself pays one shape comparison per parameter.
    i = next(i for i, q in enumerate(params) if q is p)
    return RuntimeError(
        f"{opt}.step(): parameter {i} has shape {p.shape} but its .grad has shape "
        f"{grad_shape}; they must be equal (a broadcast would update it with the wrong values)"
    )


def _zeros(p: Tensor) -> Tensor:
    """A state buffer for ``p``: zeros of its shape and dtype (torch's ``zeros_like``)."""
    return Tensor._make(np.zeros_like(p.data))


def _buffer(state: dict[str, Any], key: str, p: Tensor) -> np.ndarray:
    """The array of ``state[key]``, created as zeros if an option that needs it (momentum,
    centered, amsgrad) was switched on after the first step (torch raises a KeyError there)."""
    if key not in state:
        state[key] = _zeros(p)
    data: np.ndarray = state[key].data
    return data


def _weight_decay(
    p: Tensor, g: np.ndarray, lr: float, weight_decay: float, decoupled: bool
) -> np.ndarray:
    """One step's weight decay λ for the Adam family: decoupled (AdamW, NAdamW, RAdamW)
    ``θ ← θ(1 − γλ)`` in place, g unchanged; otherwise L2 in the gradient, ``g + λθ``."""
    if decoupled:
        p.data *= 1 - lr * weight_decay
        return g
    return g + weight_decay * p.data


def _lerp_(start: np.ndarray, end: np.ndarray, weight: float) -> None:
    """``start ← start + weight·(end − start)`` in place, the running average
    ``β·start + (1 − β)·end`` for ``weight = 1 − β``.

    Evaluated from the nearer end as torch's ``lerp_`` is (``end − (end − start)(1 − weight)``
    for ``|weight| ≥ 0.5``), so the rounding follows torch's.
    """
    if abs(weight) < 0.5:
        start += weight * (end - start)
    else:
        np.subtract(end, (end - start) * (1 - weight), out=start)


class _RequiredType:
    """Marks a hyperparameter without a default (torch's ``optim.optimizer.required``)."""

    def _restore_state(self, value: Any, p: Tensor, key: str) -> Any:
        """A loaded state entry of ``p`` as this optimizer keeps it: by default a buffer of
        ``p``'s shape (checked) as a fresh Tensor in ``p``'s dtype. An optimizer whose state
        holds other arrays (LBFGS's flat vectors) overrides it."""
        return _restore(value, p, key, type(self).__name__)

    def __repr__(self) -> str:
        return "<required parameter>"


_Required = _RequiredType()


def _copy(value: Any) -> Any:
    if isinstance(value, Tensor):
        return Tensor._make(value.data.copy())
    if isinstance(value, np.ndarray):
        return value.copy()
    if type(value) in (list, tuple):  # LBFGS's history: lists of Tensors
        return type(value)(_copy(v) for v in value)
    return copy.deepcopy(value)


def _restore(value: Any, p: Tensor, key: str, opt: str) -> Any:
    """A saved buffer as a fresh Tensor in the parameter's dtype (step counts stay numbers)."""
    if isinstance(value, (Tensor, np.ndarray)):
        arr = value.data if isinstance(value, Tensor) else value
        if arr.shape != p.shape:
            raise ValueError(
                f"{opt}.load_state_dict(): state {key!r} has shape {arr.shape}, but its "
                f"parameter has shape {p.shape}"
            )
        return Tensor._make(arr.astype(p.dtype, copy=True))
    return copy.deepcopy(value)

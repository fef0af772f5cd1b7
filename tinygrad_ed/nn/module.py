"""Module and Parameter: the containers that make a model out of tensors.

A ``Module`` is a tree: assigning a ``Parameter`` or another ``Module`` to an attribute registers
it, in assignment order, so the whole tree can be walked — ``parameters()`` for the optimizer,
``state_dict()`` for saving, ``train()``/``eval()`` for layers that behave differently while
training. Calling a module runs its ``forward`` inside ``autograd.scope(self)``, which tags every
recorded node with the module so that graph pictures can draw one box per module, and runs the
hooks registered with ``register_forward_pre_hook``, ``register_forward_hook``,
``register_full_backward_pre_hook`` and ``register_full_backward_hook`` around it (the backward
ones through ``tinygrad_ed.hooks.BackwardHook``), each kind after the global hooks of that kind
(``register_module_forward_hook`` and the like: torch's hooks common to every module).
``state_dict()`` and ``load_state_dict()`` walk the tree as torch's do, running the state-dict
hooks of each module on the way (pre-hooks parent first, post-hooks children first).

PyTorch equivalent: ``torch.nn.Module`` and ``torch.nn.Parameter``.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple, TypeVar

import numpy as np

from .. import autograd
from .._device import _NO_DEVICE, _check_device
from .._warn import warn
from ..autograd import no_grad
from ..hooks import BackwardHook, RemovableHandle, add_hook
from ..tensor import DTypeLike, Tensor, _check_hook, _device_and_dtype, get_default_dtype

__all__ = [
    "Buffer",
    "IncompatibleKeys",
    "Module",
    "Parameter",
    "UninitializedBuffer",
    "UninitializedParameter",
    "register_module_backward_hook",
    "register_module_buffer_registration_hook",
    "register_module_forward_hook",
    "register_module_forward_pre_hook",
    "register_module_full_backward_hook",
    "register_module_full_backward_pre_hook",
    "register_module_module_registration_hook",
    "register_module_parameter_registration_hook",
]

M = TypeVar("M", bound="Module")

_EXTRA_STATE_KEY_SUFFIX = "_extra_state"  # torch's: a module's extra state is at prefix + this


class Parameter(Tensor):
    """A Tensor that a ``Module`` registers as one of its learnable weights.

    PyTorch equivalent: ``torch.nn.Parameter``. ``Parameter(t)`` shares ``t``'s array (as torch
    shares storage); other data (lists, arrays) is converted like ``Tensor(data)``. Results of ops
    on a Parameter, and ``detach()``, are plain Tensors.
    """

    # Tensor uses __slots__; an empty one keeps Parameter equally lean (no __dict__).
    __slots__ = ()
    _never_a_view = True  # it shares its tensor's memory, but is no view of it (as torch's)

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            data = np.empty((0,), dtype=np.float32)
        if isinstance(data, Tensor):
            super().__init__(0.0)
            self.data = data.data
            # The same memory, so one change tracker: an in-place change through either shows in
            # the other's saved values (as a detached view's does).
            self._base = data if data._base is None else data._base
        else:
            super().__init__(data)
        if requires_grad:
            self._require_grad("Parameter")

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class Buffer(Tensor):
    """A Tensor that, assigned as a module attribute, is registered as a buffer
    (``torch.nn.Buffer``, torch ≥ 2.5): ``self.mask = nn.Buffer(t)`` is
    ``self.register_buffer("mask", t)``, and ``persistent=False`` keeps it out of the state dict.

    It shares ``data``'s array (and keeps its ``requires_grad``). torch's ``Buffer(t)`` is a
    plain Tensor carrying a flag; this one stays a ``Buffer`` (a Tensor subclass) once registered.
    """

    __slots__ = ("persistent",)
    _never_a_view = True  # as Parameter's

    persistent: bool

    def __init__(self, data: Any = None, *, persistent: bool = True) -> None:
        if data is None:
            data = np.empty((0,), dtype=np.float32)
        if isinstance(data, Tensor):
            super().__init__(0.0)
            self.data = data.data
            self._base = data if data._base is None else data._base
            if data.requires_grad:
                self._require_grad("Buffer")
        else:
            super().__init__(data)
        if type(persistent) is not bool:
            raise TypeError(f"Buffer(): persistent must be a bool, got {persistent!r}")
        self.persistent = persistent


_UNINITIALIZED_USE = (
    "Attempted to use an uninitialized parameter. This error happens when you are using a "
    "`LazyModule` or explicitly manipulating `nn.parameter.UninitializedParameter` objects. "
    "When using LazyModules call `forward` with a dummy batch to initialize the parameters "
    "before using them"
)


class _UninitializedTensorMixin:
    """A parameter or buffer whose shape is not known yet (the Lazy modules'): it has a dtype
    and ``requires_grad`` but no values. ``materialize(shape)`` gives it an array of that shape
    and turns it, in place, into its ``cls_to_become`` (so optimizers and modules holding it
    keep the same object). Reading its values or shape before that raises, as in torch.

    PyTorch equivalent: ``torch.nn.parameter.UninitializedTensorMixin``.
    """

    __slots__ = ()
    _uninitialized = True  # what Module and the norm hooks test, without importing this class
    cls_to_become: type[Tensor]

    @property
    def data(self) -> np.ndarray:
        raise ValueError(_UNINITIALIZED_USE)

    @data.setter
    def data(self, value: np.ndarray) -> None:
        _TENSOR_DATA.__set__(self, value)

    @property
    def shape(self) -> Any:
        raise RuntimeError(
            "Can't access the shape of an uninitialized parameter or buffer. This error usually "
            "happens in `load_state_dict` when trying to load an uninitialized parameter into an "
            "initialized one. Call `forward` to initialize the parameters before accessing their "
            "attributes."
        )

    @property
    def dtype(self) -> np.dtype[Any]:
        return _TENSOR_DATA.__get__(self).dtype  # type: ignore[no-any-return]

    def materialize(
        self, shape: int | tuple[int, ...], device: Any = None, dtype: Any = None
    ) -> None:
        """Give the tensor zeros of ``shape`` (in ``dtype``, by default its own) and make it
        a ``cls_to_become`` (Parameter, or a plain Tensor for a buffer) in place."""
        if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
            shape = (int(shape),)
        if not isinstance(shape, (tuple, list)) or not all(
            isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 0 for n in shape
        ):
            raise TypeError(
                f"materialize(): shape must be a tuple of non-negative ints, got {shape!r}"
            )
        d = self.dtype if dtype is None else np.dtype(dtype)
        _TENSOR_DATA.__set__(self, np.zeros(tuple(int(n) for n in shape), dtype=d))
        object.__setattr__(self, "__class__", self.cls_to_become)

    def _retype(self, dtype: np.dtype[Any]) -> None:
        """``Module.to(dtype)`` before materializing: the dtype it will materialize in."""
        _TENSOR_DATA.__set__(self, np.empty((0,), dtype=dtype))

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return type(self)(requires_grad=self._requires_grad, dtype=self.dtype)  # type: ignore[call-arg, attr-defined]


_TENSOR_DATA: Any = Tensor.__dict__["data"]  # the slot behind ``data``, under the property


class UninitializedParameter(_UninitializedTensorMixin, Parameter):
    """A Parameter of unknown shape (``torch.nn.parameter.UninitializedParameter``); it becomes a
    ``Parameter`` when materialized."""

    __slots__ = ()
    cls_to_become = Parameter

    def __init__(self, requires_grad: bool = True, device: Any = None, dtype: Any = None) -> None:
        _check_device(device, "UninitializedParameter()")
        Parameter.__init__(self, _placeholder(dtype, "UninitializedParameter"), requires_grad)


class UninitializedBuffer(_UninitializedTensorMixin, Tensor):
    """A buffer of unknown shape (``torch.nn.parameter.UninitializedBuffer``); it becomes a
    plain Tensor when materialized."""

    __slots__ = ()
    cls_to_become = Tensor

    def __init__(
        self,
        requires_grad: bool = False,
        device: Any = None,
        dtype: Any = None,
        persistent: bool = True,
    ) -> None:
        _check_device(device, "UninitializedBuffer()")
        Tensor.__init__(self, _placeholder(dtype, "UninitializedBuffer"))
        if requires_grad:
            self._require_grad("UninitializedBuffer")


def _placeholder(dtype: Any, what: str) -> np.ndarray:
    """The empty array whose dtype an uninitialized tensor will materialize in."""
    if dtype is None:
        return np.empty((0,), dtype=get_default_dtype())
    try:
        return np.empty((0,), dtype=np.dtype(dtype))
    except TypeError:
        raise TypeError(f"{what}(): dtype {dtype!r} is not a numpy dtype") from None


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` skipped (torch's ``_IncompatibleKeys``)."""

    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (
            f"IncompatibleKeys(missing_keys={self.missing_keys}, "
            f"unexpected_keys={self.unexpected_keys})"
        )


def _overrides(module: Module, method: str) -> bool:
    """Whether ``module``'s class overrides Module's ``method`` (how torch decides to save and
    load the extra state)."""
    return getattr(type(module), method, None) is not getattr(Module, method)


def _assign(
    module: Module,
    name: str,
    target: Tensor,
    arr: np.ndarray,
    value: Any,
    prefix: str,
    errors: list[str],
    replaced: list[tuple[Module, str, Tensor]],
) -> None:
    """``load_state_dict(assign=True)`` for one tensor: put the loaded value itself in the
    module, as torch's ``_load_from_state_dict`` (a Parameter stays one, with the
    ``requires_grad`` of the parameter it replaces)."""
    # arr is value's array unless it was reshaped (torch 0.3's 1-element scalars) or an array
    new = value if isinstance(value, Tensor) and value.data is arr else Tensor._make(arr)
    try:
        if isinstance(target, Parameter):
            if isinstance(new, Parameter):
                new.requires_grad_(target.requires_grad)
            else:
                new = Parameter(new, requires_grad=target.requires_grad)
    except Exception as ex:  # torch's wording (e.g. an integer value for a trained weight)
        shape = "uninitialized" if getattr(target, "_uninitialized", False) else target.shape
        errors.append(
            f'While copying the parameter named "{prefix + name}", whose dimensions in the '
            f"model are {shape} and whose dimensions in the checkpoint are {arr.shape}, an "
            f"exception occurred : {ex.args}."
        )
        return
    replaced.append((module, name, target))
    setattr(module, name, new)


_MIXED_BACKWARD_HOOKS = (
    "Cannot use both regular backward hooks and full backward hooks on a single Module. "
    "Please use only one of them."
)


def _warn_non_full_backward_hook(args: tuple[Any, ...], result: Any, grad_fn: Any) -> None:
    """torch's FutureWarning for a ``register_backward_hook`` hook put on ``grad_fn``, the node
    of the output's first tensor, where its ``grad_input``/``grad_output`` miss some of the
    module's own (torch's ``_maybe_warn_non_full_backward_hook``: the same tests and words)."""
    head = "Using non-full backward hooks on a Module that does not"
    deprecated = "is deprecated and will be removed in future versions. This hook will be missing"
    tail = " Please use register_full_backward_hook to get the documented behavior."
    outputs = (result,) if isinstance(result, Tensor) else result
    # Compared by identity: a Tensor's == is elementwise.
    out_fns = (
        {id(r.grad_fn) for r in outputs if r.grad_fn is not None}
        if (isinstance(outputs, tuple) and all(isinstance(r, Tensor) for r in outputs))
        else None
    )
    if out_fns is None:
        message = f"{head} return a single Tensor or a tuple of Tensors {deprecated} some of the "
        message += f"grad_output.{tail}"
    elif not all(isinstance(x, Tensor) for x in args):
        message = f"{head} take as input a single Tensor or a tuple of Tensors {deprecated} some "
        message += f"of the grad_input.{tail}"
    elif not out_fns or (len(out_fns) == 1 and id(grad_fn) not in out_fns):
        message = "Using a non-full backward hook when outputs are nested in python data "
        message += f"structure {deprecated} some grad_output."
    elif len(out_fns) > 1:
        message = "Using a non-full backward hook when outputs are generated by different "
        message += f"autograd Nodes {deprecated} some grad_output.{tail}"
    else:
        # torch's next_functions hold a leaf's AccumulateGrad (a leaf Tensor here) and None:
        # never an input's grad_fn, so those make the sets differ there as here.
        inputs_fns = {id(x.grad_fn) for x in args if x.grad_fn is not None}
        if inputs_fns == {id(n) for n, _ in grad_fn.next_functions}:
            return
        message = "Using a non-full backward hook when the forward contains multiple autograd "
        message += f"Nodes {deprecated} some grad_input.{tail}"
    warn(message, FutureWarning)


def _no_device(module: M, method: str, error: type[Exception]) -> M:
    """torch's ``Module.cuda()`` and the like on a machine without the device: the module
    itself when it has no tensor to move, else the error torch raises (its type: AssertionError
    for cuda, xpu and mtia, RuntimeError for ipu), with this library's message."""
    if next(module.parameters(), None) is None and next(module.buffers(), None) is None:
        return module
    op = f"{type(module).__name__}.{method}()"
    raise error(_NO_DEVICE.format(op=op, device=repr(method)))


def _addindent(text: str, spaces: int) -> str:
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    pad = " " * spaces
    return "\n".join([lines[0], *(pad + line for line in lines[1:])])


# ----------------------------------------------------------------------------- global hooks
# torch's hooks common to every module (torch.nn.modules.module's register_module_*_hook), by
# handle id in calling order, with torch's names.

_global_backward_pre_hooks: OrderedDict[int, Callable[..., Any]] = OrderedDict()
_global_backward_hooks: OrderedDict[int, Callable[..., Any]] = OrderedDict()
# The kind of the global backward hooks: full (True), deprecated (False) or none yet (None).
_global_is_full_backward_hook: bool | None = None
_global_forward_pre_hooks: OrderedDict[int, Callable[..., Any]] = OrderedDict()
_global_forward_hooks: OrderedDict[int, Callable[..., Any]] = OrderedDict()
_global_forward_hooks_always_called: OrderedDict[int, bool] = OrderedDict()
_global_forward_hooks_with_kwargs: OrderedDict[int, bool] = OrderedDict()
# The ids of the hooks of the four dicts above (their handles remove them here too): where
# torch's __call__ tests those four for emptiness, ours tests this one, so that a module pays
# one test more per call while no global hook is registered.
_global_call_hooks: OrderedDict[int, bool] = OrderedDict()
_global_buffer_registration_hooks: OrderedDict[int, Callable[..., Any]] = OrderedDict()
_global_module_registration_hooks: OrderedDict[int, Callable[..., Any]] = OrderedDict()
_global_parameter_registration_hooks: OrderedDict[int, Callable[..., Any]] = OrderedDict()

_MIXED_GLOBAL_BACKWARD_HOOKS = (
    "Cannot use both regular backward hooks and full backward hooks as a global Module hook. "
    "Please use only one of them."
)


def register_module_forward_pre_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """Call ``hook(module, args)`` before the ``forward`` of every module call, before the
    module's own forward pre-hooks; it may return new positional arguments (a tuple, or one
    value wrapped in one). Meant for debugging and profiling: it is global state.

    PyTorch equivalent: ``torch.nn.modules.module.register_module_forward_pre_hook``.
    """
    return add_hook(
        _global_forward_pre_hooks,
        hook,
        "register_module_forward_pre_hook",
        flags=[(_global_call_hooks, True)],
    )


def register_module_forward_hook(
    hook: Callable[..., Any], *, with_kwargs: bool = False, always_call: bool = False
) -> RemovableHandle:
    """Call ``hook(module, args, output)`` after the ``forward`` of every module call, before
    the module's own forward hooks; it may return a replacement output. ``with_kwargs=True``
    makes it ``hook(module, args, kwargs, output)``; ``always_call=True`` runs it also when the
    call raises (before the module's own such hooks; torch then omits ``kwargs``, here they are
    passed as registered).

    PyTorch equivalent: ``torch.nn.modules.module.register_module_forward_hook``.
    """
    return add_hook(
        _global_forward_hooks,
        hook,
        "register_module_forward_hook",
        flags=[
            (_global_forward_hooks_with_kwargs, with_kwargs),
            (_global_forward_hooks_always_called, always_call),
            (_global_call_hooks, True),
        ],
    )


def register_module_full_backward_pre_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """``Module.register_full_backward_pre_hook`` for every module: ``hook(module,
    grad_output)`` runs before the module's own backward pre-hooks.

    PyTorch equivalent: ``torch.nn.modules.module.register_module_full_backward_pre_hook``.
    """
    return add_hook(
        _global_backward_pre_hooks,
        hook,
        "register_module_full_backward_pre_hook",
        flags=[(_global_call_hooks, True)],
    )


def register_module_full_backward_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """``Module.register_full_backward_hook`` for every module: ``hook(module, grad_input,
    grad_output)`` runs before the module's own full backward hooks. The global backward
    hooks are all full or all deprecated ones (torch's RuntimeError), for as long as the
    process runs, as in torch.

    PyTorch equivalent: ``torch.nn.modules.module.register_module_full_backward_hook``.
    """
    global _global_is_full_backward_hook
    if _global_is_full_backward_hook is False:
        raise RuntimeError(_MIXED_GLOBAL_BACKWARD_HOOKS)
    handle = add_hook(
        _global_backward_hooks,
        hook,
        "register_module_full_backward_hook",
        flags=[(_global_call_hooks, True)],
    )
    _global_is_full_backward_hook = True
    return handle


def register_module_backward_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """torch's deprecated ``Module.register_backward_hook`` for every module: at each call,
    ``hook(module, grad_input, grad_output)`` goes on the ``grad_fn`` of the output's first
    tensor, before the module's own such hooks (see ``Module.register_backward_hook``).

    PyTorch equivalent: ``torch.nn.modules.module.register_module_backward_hook``.
    """
    global _global_is_full_backward_hook
    if _global_is_full_backward_hook is True:
        raise RuntimeError(_MIXED_GLOBAL_BACKWARD_HOOKS)
    handle = add_hook(
        _global_backward_hooks,
        hook,
        "register_module_backward_hook",
        flags=[(_global_call_hooks, True)],
    )
    _global_is_full_backward_hook = False
    return handle


def register_module_buffer_registration_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """Call ``hook(module, name, buffer)`` whenever any module registers a buffer
    (``register_buffer``, or assigning an ``nn.Buffer`` or to a buffer's name); a value it
    returns is registered instead.

    PyTorch equivalent: ``torch.nn.modules.module.register_module_buffer_registration_hook``.
    """
    return add_hook(
        _global_buffer_registration_hooks, hook, "register_module_buffer_registration_hook"
    )


def register_module_module_registration_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """Call ``hook(module, name, submodule)`` whenever any module registers a child
    (``add_module``, or assigning a Module, or None to a child's name); a value it returns is
    registered instead.

    PyTorch equivalent: ``torch.nn.modules.module.register_module_module_registration_hook``.
    """
    return add_hook(
        _global_module_registration_hooks, hook, "register_module_module_registration_hook"
    )


def register_module_parameter_registration_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """Call ``hook(module, name, param)`` whenever any module registers a Parameter
    (``register_parameter`` or assigning one; not a None placeholder); a value it returns is
    registered instead.

    PyTorch equivalent: ``torch.nn.modules.module.register_module_parameter_registration_hook``.
    """
    return add_hook(
        _global_parameter_registration_hooks,
        hook,
        "register_module_parameter_registration_hook",
    )


def _registration_hooks(
    hooks: OrderedDict[int, Callable[..., Any]], module: Module, name: str, value: Any
) -> Any:
    """``value`` after each registration hook has seen it (and perhaps replaced it)."""
    for hook in [*hooks.values()]:
        new = hook(module, name, value)
        if new is not None:
            value = new
    return value


class Module:
    """Base class of every layer and model (``torch.nn.Module``).

    Subclasses call ``super().__init__()`` first, assign their Parameters and sub-modules as
    attributes, and define ``forward``. Registration order is the order of ``parameters()``,
    ``named_parameters()``, ``state_dict()`` and the ``repr``.
    """

    training: bool
    _parameters: dict[str, Parameter | None]
    _buffers: dict[str, Tensor | None]
    _non_persistent: set[str]
    _modules: dict[str, Module | None]
    # Hooks by handle id, in calling order, with torch's names; the *_with_kwargs and
    # *_always_called dicts hold the ids registered with that flag.
    _forward_pre_hooks: OrderedDict[int, Callable[..., Any]]
    _forward_pre_hooks_with_kwargs: OrderedDict[int, bool]
    _forward_hooks: OrderedDict[int, Callable[..., Any]]
    _forward_hooks_with_kwargs: OrderedDict[int, bool]
    _forward_hooks_always_called: OrderedDict[int, bool]
    _backward_pre_hooks: OrderedDict[int, Callable[..., Any]]
    _backward_hooks: OrderedDict[int, Callable[..., Any]]
    # State-dict hooks (torch's names); the ids of load pre-hooks that take the module first.
    _state_dict_pre_hooks: OrderedDict[int, Callable[..., Any]]
    _state_dict_hooks: OrderedDict[int, Callable[..., Any]]
    _load_state_dict_pre_hooks: OrderedDict[int, Callable[..., Any]]
    _load_state_dict_pre_hooks_with_module: OrderedDict[int, bool]
    _load_state_dict_post_hooks: OrderedDict[int, Callable[..., Any]]
    # The state-dict format version, handed to the hooks in ``local_metadata`` (torch's).
    _version: int = 1
    # torch's class attributes. dump_patches is read by nothing here (torch's legacy pickling
    # printed source diffs with it); call_super_init=True makes __init__ hand its arguments on
    # to the next class in the MRO (a Module mixed into a cooperative hierarchy).
    dump_patches: bool = False
    call_super_init: bool = False
    # The type of ``state_dict(destination=...)``, as torch names it on the class.
    T_destination = TypeVar("T_destination", bound=dict[str, Any])
    # Which kind of backward hook the module has taken: the full ones (True), the deprecated
    # ``register_backward_hook`` ones (False) or none yet (None). One kind only, as torch.
    _is_full_backward_hook: bool | None = None
    # Whether some hook may be registered: set by every register_*_hook, cleared by the first
    # call that finds them all removed. A module without hooks pays one test per call.
    _hooked: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # torch's: arguments are refused unless call_super_init passes them on.
        if not self.call_super_init and kwargs:
            raise TypeError(
                f"{type(self).__name__}.__init__() got an unexpected keyword argument "
                f"'{next(iter(kwargs))}'"
            )
        if not self.call_super_init and args:
            raise TypeError(
                f"{type(self).__name__}.__init__() takes 1 positional argument but "
                f"{len(args) + 1} were given"
            )
        # object.__setattr__: our own __setattr__ needs these dicts to exist already.
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "_modules", {})
        for name in (
            "_forward_pre_hooks",
            "_forward_pre_hooks_with_kwargs",
            "_forward_hooks",
            "_forward_hooks_with_kwargs",
            "_forward_hooks_always_called",
            "_backward_pre_hooks",
            "_backward_hooks",
            "_state_dict_pre_hooks",
            "_state_dict_hooks",
            "_load_state_dict_pre_hooks",
            "_load_state_dict_pre_hooks_with_module",
            "_load_state_dict_post_hooks",
        ):
            object.__setattr__(self, name, OrderedDict())
        object.__setattr__(self, "_hooked", False)
        if self.call_super_init:
            super().__init__(*args, **kwargs)

    # ------------------------------------------------------------------ forward

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the "forward" function'
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._hooked or _global_call_hooks:
            return self._call_with_hooks(args, kwargs)
        with autograd.scope(self):
            return self.forward(*args, **kwargs)

    def _call_with_hooks(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """``__call__`` of a module with hooks, in torch's order: forward pre-hooks (which may
        replace the arguments), the inputs' backward funnel, ``forward``, forward hooks (which
        may replace the output), the outputs' backward funnel. Of each kind, the global hooks
        (``register_module_*_hook``) run before the module's own. If anything raises, the
        forward hooks registered with ``always_call=True`` that have not run yet still run,
        the global ones first."""
        if not (
            self._forward_pre_hooks
            or self._forward_hooks
            or self._backward_pre_hooks
            or self._backward_hooks
        ):
            object.__setattr__(self, "_hooked", False)  # all removed: back to the plain call
        full, deprecated = self._get_backward_hooks()
        pre_backward = [*_global_backward_pre_hooks.values(), *self._backward_pre_hooks.values()]
        result: Any = None
        called: set[int] = set()
        with autograd.scope(self):
            try:
                backward = None
                if full or pre_backward:
                    backward = BackwardHook(self, full, pre_backward)
                for hook_id, hook in [
                    *_global_forward_pre_hooks.items(),
                    *self._forward_pre_hooks.items(),
                ]:
                    if hook_id in self._forward_pre_hooks_with_kwargs:
                        new = hook(self, args, kwargs)
                        if new is not None:
                            if not (isinstance(new, tuple) and len(new) == 2):
                                raise RuntimeError(
                                    "forward pre-hook must return None or a tuple of "
                                    f"(new_args, new_kwargs), but got {new}."
                                )
                            args, kwargs = new
                    else:
                        new = hook(self, args)
                        if new is not None:
                            args = new if isinstance(new, tuple) else (new,)
                if backward is not None:
                    args = backward.setup_input_hook(args)
                result = self.forward(*args, **kwargs)
                for hook_id, hook in [*_global_forward_hooks.items(), *self._forward_hooks.items()]:
                    if (
                        hook_id in self._forward_hooks_always_called
                        or hook_id in _global_forward_hooks_always_called
                    ):
                        called.add(hook_id)
                    new = self._run_forward_hook(hook_id, hook, args, kwargs, result)
                    if new is not None:
                        result = new
                if backward is not None:
                    result = backward.setup_output_hook(result)
                if deprecated:
                    self._register_non_full_backward_hooks(deprecated, args, result)
                return result
            except Exception:
                for hook_id, hook in [*_global_forward_hooks.items(), *self._forward_hooks.items()]:
                    if hook_id in called or not (
                        hook_id in self._forward_hooks_always_called
                        or hook_id in _global_forward_hooks_always_called
                    ):
                        continue
                    try:
                        new = self._run_forward_hook(hook_id, hook, args, kwargs, result)
                        if new is not None:
                            result = new
                    except Exception as e:
                        scope = "global module" if hook_id in _global_forward_hooks else "module"
                        warn(
                            f"{scope} forward hook with ``always_call=True`` raised an exception "
                            f"that was silenced as another error was raised in forward: {e}",
                        )
                raise

    def _get_backward_hooks(self) -> tuple[list[Callable[..., Any]], list[Callable[..., Any]]]:
        """The full and the deprecated backward hooks of a call, the global ones first
        (torch's ``_get_backward_hooks``)."""
        full: list[Callable[..., Any]] = []
        deprecated: list[Callable[..., Any]] = []
        if _global_is_full_backward_hook is not None:
            (full if _global_is_full_backward_hook else deprecated).extend(
                _global_backward_hooks.values()
            )
        if self._is_full_backward_hook is not None:
            (full if self._is_full_backward_hook else deprecated).extend(
                self._backward_hooks.values()
            )
        return full, deprecated

    def _register_non_full_backward_hooks(
        self, hooks: list[Callable[..., Any]], args: tuple[Any, ...], result: Any
    ) -> None:
        """torch's deprecated ``register_backward_hook``: each hook goes on the ``grad_fn`` of
        the first tensor of the output (its first element, or first value of a dict, down to
        a tensor), as ``grad_fn.register_hook(hook(module, ·, ·))``, so it sees the gradients
        of that last node's inputs and output, not the module's; then torch's warnings."""
        var = result
        try:
            while not isinstance(var, Tensor):
                if isinstance(var, dict):
                    var = next(v for v in var.values() if isinstance(v, Tensor))
                else:
                    var = var[0]
        except (TypeError, IndexError, KeyError, StopIteration):
            return  # no tensor in the output: nothing to hook (torch fails here)
        grad_fn = var.grad_fn
        if grad_fn is None:
            return
        for hook in hooks:
            grad_fn.register_hook(functools.partial(hook, self))
        _warn_non_full_backward_hook(args, result, grad_fn)

    def _run_forward_hook(
        self,
        hook_id: int,
        hook: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        result: Any,
    ) -> Any:
        if (
            hook_id in self._forward_hooks_with_kwargs
            or hook_id in _global_forward_hooks_with_kwargs
        ):
            return hook(self, args, kwargs, result)
        return hook(self, args, result)

    # ------------------------------------------------------------------ hooks

    def _add_hook(
        self, hooks: OrderedDict[int, Any], hook: Any, method: str, **options: Any
    ) -> RemovableHandle:
        handle = add_hook(hooks, hook, method, **options)
        object.__setattr__(self, "_hooked", True)
        return handle

    def register_forward_pre_hook(
        self,
        hook: Callable[..., Any],
        *,
        prepend: bool = False,
        with_kwargs: bool = False,
    ) -> RemovableHandle:
        """Call ``hook(module, args)`` before each ``module(...)`` runs ``forward``.

        It may return new positional arguments: a tuple, or a single value (wrapped in one).
        With ``with_kwargs=True`` it is ``hook(module, args, kwargs)`` and may return a pair
        ``(new_args, new_kwargs)``. Hooks run in registration order; ``prepend=True`` puts this
        one first. Calling ``forward()`` directly runs no hooks.

        PyTorch equivalent: ``torch.nn.Module.register_forward_pre_hook``.
        """
        return self._add_hook(
            self._forward_pre_hooks,
            hook,
            "register_forward_pre_hook",
            prepend=prepend,
            flags=[(self._forward_pre_hooks_with_kwargs, with_kwargs)],
        )

    def register_forward_hook(
        self,
        hook: Callable[..., Any],
        *,
        prepend: bool = False,
        with_kwargs: bool = False,
        always_call: bool = False,
    ) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after each ``module(...)`` has run ``forward``.

        ``args`` are the arguments ``forward`` received (after the pre-hooks); a hook may
        return a replacement output. With ``with_kwargs=True`` it is
        ``hook(module, args, kwargs, output)``. With ``always_call=True`` it also runs when the
        call raises (with ``output`` None if ``forward`` did not return), and the error is
        raised after it. ``prepend=True`` puts it first.

        PyTorch equivalent: ``torch.nn.Module.register_forward_hook``.
        """
        return self._add_hook(
            self._forward_hooks,
            hook,
            "register_forward_hook",
            prepend=prepend,
            flags=[
                (self._forward_hooks_with_kwargs, with_kwargs),
                (self._forward_hooks_always_called, always_call),
            ],
        )

    def register_full_backward_pre_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, grad_output)`` when the gradients w.r.t. the outputs of a call
        are known, before those w.r.t. its inputs are computed; it may return a replacement
        ``grad_output`` (a tuple, one entry per output; None sends that output no gradient:
        nothing of the call's backward runs for it, where torch runs it with an undefined
        gradient, so that its inputs get zeros).

        ``grad_output`` has one entry per output (the output, or each element of a tuple
        output): the gradient, or None for an output that is not a tensor, does not require
        grad, or received no gradient. The hooks set when the module was called are the ones
        that run in that graph's backward.

        PyTorch equivalent: ``torch.nn.Module.register_full_backward_pre_hook``.
        """
        return self._add_hook(
            self._backward_pre_hooks, hook, "register_full_backward_pre_hook", prepend=prepend
        )

    def register_full_backward_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, grad_input, grad_output)`` when the gradients w.r.t. the
        inputs of a call have been computed; it may return a replacement ``grad_input`` (a
        tuple of the same length), which is what flows on to the inputs.

        ``grad_input`` has one entry per positional argument (keyword arguments are left out):
        the gradient (zeros for one that received none, as torch); zeros for a tensor argument
        that does not require grad; None for an argument that is not a tensor. A None in the
        returned tuple sends that input no gradient.
        If no argument requires grad, the hooks run when the gradients w.r.t. the outputs are
        known, with ``grad_input`` all None (and a warning, as torch). As in torch, ``forward``
        receives views of the tensor arguments in their place, and the hooks set when the
        module was called are the ones that run in that graph's backward.

        PyTorch equivalent: ``torch.nn.Module.register_full_backward_hook``. A module takes
        either these or the deprecated ``register_backward_hook``'s, not both (torch's error).
        """
        if self._is_full_backward_hook is False:
            raise RuntimeError(_MIXED_BACKWARD_HOOKS)
        handle = self._add_hook(
            self._backward_hooks, hook, "register_full_backward_hook", prepend=prepend
        )
        object.__setattr__(self, "_is_full_backward_hook", True)
        return handle

    def register_backward_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """torch's deprecated backward hook, with torch's behaviour: at each call of the
        module, ``hook(module, grad_input, grad_output)`` is put on the ``grad_fn`` of the
        first tensor of the output (``grad_fn.register_hook``), so ``grad_input`` holds the
        gradients of the inputs of that last operation (for ``Sequential(Linear, Tanh)`` the
        tanh's input, not the Linear's), one entry per input of it, and ``grad_output`` that
        operation's output gradient. It may return a replacement ``grad_input``. The call warns
        as torch does (FutureWarning) where that differs from the module's own gradients,
        which is nearly always: use ``register_full_backward_hook``.

        Which operation is last, and so what ``grad_input`` holds, follows this library's
        graph: a Linear's gives the gradients of (input, weight, bias), torch's ``addmm`` of
        (bias, input, weightᵀ). A module takes these hooks or the full ones, not both
        (RuntimeError, as torch).

        PyTorch equivalent: ``torch.nn.Module.register_backward_hook``.
        """
        if self._is_full_backward_hook is True:
            raise RuntimeError(_MIXED_BACKWARD_HOOKS)
        handle = self._add_hook(self._backward_hooks, hook, "register_backward_hook")
        object.__setattr__(self, "_is_full_backward_hook", False)
        return handle

    # ------------------------------------------------------------------ registration

    def _check_init(self, name: str) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"cannot assign {name!r} before Module.__init__() call "
                f"(call super().__init__() first in {type(self).__name__}.__init__)"
            )

    def __setattr__(self, name: str, value: Any) -> None:
        # torch's order: a parameter's name is checked before a Module value is accepted, so
        # `linear.weight = ReLU()` raises instead of silently replacing the weight by a layer.
        d = self.__dict__
        if isinstance(value, Parameter):
            self._check_init(name)
            self._forget(name, keep=self._parameters)
            self.register_parameter(name, value)  # still refuses names such as "train"
        elif isinstance(value, Buffer):  # torch ≥ 2.5: an nn.Buffer registers itself
            self._check_init(name)
            self._forget(name, keep=self._buffers)
            self.register_buffer(name, value, persistent=value.persistent)
        elif "_parameters" in d and name in self._parameters:
            if value is not None:
                raise TypeError(
                    f"cannot assign {type(value).__name__!r} as parameter {name!r} of "
                    f"{type(self).__name__} (Parameter or None expected)"
                )
            self._parameters[name] = None
        elif isinstance(value, Module):
            # Like torch, no check against class attributes here (only add_module checks).
            self._check_init(name)
            self._forget(name, keep=self._modules)
            if _global_module_registration_hooks:
                value = _registration_hooks(_global_module_registration_hooks, self, name, value)
            self._modules[name] = value
        elif "_modules" in d and name in self._modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign {type(value).__name__!r} as child module {name!r} of "
                    f"{type(self).__name__} (Module or None expected)"
                )
            if _global_module_registration_hooks:
                value = _registration_hooks(_global_module_registration_hooks, self, name, value)
            self._modules[name] = value
        elif "_buffers" in d and name in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign {type(value).__name__!r} as buffer {name!r} of "
                    f"{type(self).__name__} (Tensor or None expected)"
                )
            if _global_buffer_registration_hooks:  # torch re-registers it: its hooks see it
                value = _registration_hooks(_global_buffer_registration_hooks, self, name, value)
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name: str, keep: dict[str, Any] | None = None) -> None:
        """Drop ``name`` from wherever it was registered before (it is being re-registered).

        The store it is re-registered in (``keep``) is left alone, so that replacing a layer
        keeps its place in the registration order, as in torch.
        """
        self.__dict__.pop(name, None)
        for store in (self._parameters, self._modules, self._buffers):
            if store is not keep:
                store.pop(name, None)
        self._non_persistent.discard(name)

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails: registered things live in the three dicts.
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            if store in d and name in d[store]:
                return d[store][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for store in (self._parameters, self._buffers, self._modules):
            if name in store:
                del store[name]
                self._non_persistent.discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self._parameters, *self._buffers, *self._modules})

    def _check_name(self, name: str, what: str, store: dict[str, Any]) -> None:
        """torch's checks before ``name`` is registered in ``store``.

        A name may be registered again in its own store (replacing the value in place), but not
        shadow anything else the module has: a parameter, buffer or child of another kind, a
        plain attribute, or a method such as ``train`` (the registered value would be hidden).
        """
        self._check_init(name)
        if not isinstance(name, str):
            raise TypeError(f"{what} name should be a string, got {type(name).__name__}")
        if not name or "." in name:
            raise KeyError(f'{what} name can\'t be empty or contain ".", got {name!r}')
        if hasattr(self, name) and name not in store:
            raise KeyError(f"attribute {name!r} of {type(self).__name__} already exists")

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` (or a None placeholder) under ``name``."""
        self._check_name(name, "parameter", self._parameters)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign {type(param).__name__!r} as parameter {name!r} of "
                f"{type(self).__name__} (Parameter or None expected)"
            )
        if param is not None and _global_parameter_registration_hooks:
            param = _registration_hooks(_global_parameter_registration_hooks, self, name, param)
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Register state that is saved but not trained (running statistics, masks)."""
        self._check_name(name, "buffer", self._buffers)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign {type(tensor).__name__!r} as buffer {name!r} of "
                f"{type(self).__name__} (Tensor or None expected)"
            )
        if _global_buffer_registration_hooks:
            tensor = _registration_hooks(_global_buffer_registration_hooks, self, name, tensor)
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent.discard(name)
        else:
            self._non_persistent.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register ``module`` as a child under ``name`` (how Sequential names its layers)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module(): {type(module).__name__} is not a Module subclass")
        self._check_name(name, "module", self._modules)
        if _global_module_registration_hooks:
            module = _registration_hooks(_global_module_registration_hooks, self, name, module)
        self._modules[name] = module

    register_module = add_module

    def get_submodule(self, target: str) -> Module:
        """The sub-module at a dotted path such as ``"encoder.0"``; ``""`` is self."""
        mod: Module = self
        for item in target.split(".") if target else []:
            child = mod._modules.get(item)
            if child is None:
                raise AttributeError(f"{type(mod).__name__} has no submodule {item!r} ({target!r})")
            mod = child
        return mod

    def set_submodule(self, target: str, module: Module, strict: bool = False) -> None:
        """Put ``module`` at the dotted path ``target`` (``"net_b.net_c.conv"``): it replaces
        the sub-module there, or becomes a new child of the module the path's head names.
        ``strict=True`` only replaces (AttributeError if the name is absent). The parent must
        exist, and what is replaced must be a Module (AttributeError, as torch); an empty
        target or a ``module`` that is not a Module is a ValueError (torch's).

        PyTorch equivalent: ``torch.nn.Module.set_submodule``.
        """
        if target == "":
            raise ValueError("Cannot set the submodule without a target name!")
        atoms = target.split(".")
        if not isinstance(module, Module):
            raise ValueError(f"`module` is not an nn.Module, found {type(module)}")
        parent = self.get_submodule(".".join(atoms[:-1]))
        name = atoms[-1]
        if strict and not hasattr(parent, name):
            raise AttributeError(f"{parent._get_name()} has no attribute `{name}`")
        if hasattr(parent, name) and not isinstance(getattr(parent, name), Module):
            raise AttributeError(f"`{name}` is not an nn.Module")
        setattr(parent, name, module)

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at the dotted path ``target`` (``"encoder.0.weight"``);
        AttributeError if the path leads nowhere or to something that is not a Parameter.

        PyTorch equivalent: ``torch.nn.Module.get_parameter``.
        """
        module_path, _, name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if not hasattr(mod, name):
            raise AttributeError(f"{mod._get_name()} has no attribute `{name}`")
        param = getattr(mod, name)
        if not isinstance(param, Parameter):
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return param

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at the dotted path ``target`` (``"bn.running_mean"``); AttributeError
        if the path leads nowhere or to something that is not a registered buffer.

        PyTorch equivalent: ``torch.nn.Module.get_buffer``.
        """
        module_path, _, name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if not hasattr(mod, name):
            raise AttributeError(f"{mod._get_name()} has no attribute `{name}`")
        if name not in mod._buffers:
            raise AttributeError(f"`{name}` is not a buffer")
        buffer: Tensor = getattr(mod, name)
        return buffer

    # ------------------------------------------------------------------ walking the tree

    def named_modules(
        self, memo: set[int] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """Every module in the tree, self first, depth first, with dotted names.

        A module reached under several names is listed once, under the first; with
        ``remove_duplicate=False`` under every name (how ``state_dict`` walks, as torch's).
        """
        # An explicit stack rather than recursion: deep Sequentials must not hit the limit. Each
        # entry carries the ids of its ancestors: without the memo, a module that contains itself
        # would otherwise be walked forever.
        seen: set[int] = set() if memo is None else memo
        stack: list[tuple[str, Module, tuple[int, ...]]] = [(prefix, self, ())]
        while stack:
            name, mod, ancestors = stack.pop()
            if id(mod) in seen:
                continue
            if id(mod) in ancestors:
                raise ValueError(
                    f"named_modules(): the {type(mod).__name__} reached as {name!r} is one of its "
                    "own ancestors (the sub-modules form a cycle)"
                )
            if remove_duplicate:
                seen.add(id(mod))
            yield name, mod
            path = (*ancestors, id(mod))
            children = [
                (f"{name}.{key}" if name else key, child, path)
                for key, child in mod._modules.items()
                if child is not None
            ]
            stack.extend(reversed(children))

    def modules(self, remove_duplicate: bool = True) -> Iterator[Module]:
        """Every module in the tree, self first; a module reached under several names once,
        unless ``remove_duplicate=False`` (``torch.nn.Module.modules``)."""
        for _, mod in self.named_modules(remove_duplicate=remove_duplicate):
            yield mod

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct sub-modules, in registration order, each once."""
        seen: set[int] = set()
        for name, mod in self._modules.items():
            if mod is not None and id(mod) not in seen:
                seen.add(id(mod))
                yield name, mod

    def children(self) -> Iterator[Module]:
        for _, mod in self.named_children():
            yield mod

    def _named_members(
        self, store: str, prefix: str, recurse: bool, remove_duplicate: bool
    ) -> Iterator[tuple[str, Any]]:
        # A weight shared by two layers (or a layer reached twice) is listed once, under the
        # first name it is reached by, so the optimizer updates it once per step.
        seen: set[int] = set()
        mods = (
            self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
            if recurse
            else iter([(prefix, self)])
        )
        for mod_prefix, mod in mods:
            for name, value in getattr(mod, store).items():
                if value is None or id(value) in seen:
                    continue
                if remove_duplicate:
                    seen.add(id(value))
                yield (f"{mod_prefix}.{name}" if mod_prefix else name), value

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """``(dotted name, parameter)`` pairs in registration order, each parameter once.

        ``remove_duplicate=False`` lists a shared parameter under every name it is reached by.
        """
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def apply(self: M, fn: Callable[[Module], None]) -> M:
        """Call ``fn`` on every sub-module and then on self (torch's order), e.g. to re-init."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # ------------------------------------------------------------------ modes and gradients

    def train(self: M, mode: bool = True) -> M:
        """Set the ``training`` flag of every module in the tree (Dropout reads it).

        Each child's own ``train`` is called, as in torch, so a module that overrides it (to keep
        a frozen part in eval mode, say) is obeyed wherever it sits in the tree.
        """
        if not isinstance(mode, bool):
            raise ValueError(f"train(): training mode is expected to be a bool, got {mode!r}")
        object.__setattr__(self, "training", mode)
        for child in self.children():
            child.train(mode)
        return self

    def eval(self: M) -> M:
        """``train(False)``: evaluation mode (Dropout becomes the identity)."""
        return self.train(False)

    def requires_grad_(self: M, requires_grad: bool = True) -> M:
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of all parameters (``None``, as torch does by default).

        Gradients accumulate across ``backward()`` calls, so a training loop clears them before
        each step. With ``set_to_none=False`` existing gradients become fresh zero tensors (never
        zeroed in place: a gradient may share its array with another tensor); a missing one stays
        ``None``, as in torch, so optimizers keep skipping frozen parameters.
        """
        for p in self.parameters():
            if p.grad is not None:
                p.grad = None if set_to_none else Tensor._make(np.zeros_like(p.data))

    def to(self: M, *args: Any, dtype: DTypeLike = None, device: Any = None) -> M:
        """Cast every floating parameter and buffer to ``dtype`` in place (``Module.to``).

        torch's spellings are accepted, ``to(dtype)``, ``to(device)``, ``to(device, dtype)`` and
        the keywords; the only device is the CPU, so ``model.to(device)`` code runs unchanged.
        """
        target = _device_and_dtype(args, dtype, device, f"{type(self).__name__}.to()")
        if target is None:
            return self
        d = np.dtype(target)
        if d.kind != "f":
            raise TypeError(
                f"{type(self).__name__}.to(): only floating dtypes are allowed, got {d}"
            )
        for t in [*self.parameters(), *self.buffers()]:
            if getattr(t, "_uninitialized", False):
                if t.dtype.kind == "f":
                    t._retype(d)  # type: ignore[attr-defined]
                continue
            if t.dtype.kind == "f":
                t.data = t.data.astype(d)
                if t.grad is not None:
                    t.grad = Tensor._make(t.grad.data.astype(d))
        return self

    def double(self: M) -> M:
        return self.to(np.float64)

    def half(self: M) -> M:
        return self.to(np.float16)

    def cpu(self: M) -> M:
        """Itself: parameters live in numpy arrays, on the CPU."""
        return self

    def float(self: M) -> M:
        return self.to(np.float32)

    def bfloat16(self: M) -> M:
        """Refused: numpy has no bfloat16 (torch's ``Module.bfloat16`` casts the floating
        parameters and buffers to it); ``half()`` is the 16-bit float there is."""
        raise TypeError(
            f"{type(self).__name__}.bfloat16(): numpy has no bfloat16 dtype, so tinygrad_ed "
            "cannot cast to it; use half() (float16) or float()"
        )

    def type(self: M, dst_type: Any) -> M:
        """Cast every parameter and buffer, floating or not (an integer step counter too,
        as torch), and their gradients, to ``dst_type``: a dtype or a torch type name such as
        ``"torch.DoubleTensor"``, as ``Tensor.type`` takes. Parameters keep their identity.
        A parameter that requires grad cannot become an integer (torch's RuntimeError).

        PyTorch equivalent: ``torch.nn.Module.type``.
        """
        name = f"{type(self).__name__}.type()"
        if dst_type is None:
            raise TypeError(f"{name}: dst_type must be a dtype or a tensor type name, got None")
        target = Tensor._make(np.empty((0,), np.float32)).type(dst_type).dtype
        tensors = [*self.parameters(), *self.buffers()]
        for t in tensors:
            if target.kind not in "fc" and t.requires_grad:
                raise RuntimeError(
                    f"{name}: data set to a tensor that requires gradients must be floating "
                    f"point or complex dtype (a parameter of shape {t.shape} to {target})"
                )
        for t in tensors:
            if getattr(t, "_uninitialized", False):
                t._retype(target)  # type: ignore[attr-defined]
                continue
            t.data = t.data.astype(target)
            if t.grad is not None:
                t.grad = Tensor._make(t.grad.data.astype(target))
        return self

    def to_empty(self: M, *, device: Any, recurse: bool = True) -> M:
        """Give every parameter and buffer fresh, uninitialized memory of its shape and
        dtype (``np.empty_like``) on ``device``, which can only be the CPU here; parameters
        keep their identity, buffers become new tensors (as torch's). ``recurse=False``: this
        module's own only. Meant to follow building a model on torch's ``meta`` device, which
        does not exist here, so its use is code that runs unchanged.

        PyTorch equivalent: ``torch.nn.Module.to_empty``.
        """
        _check_device(device, f"{type(self).__name__}.to_empty()")
        for mod in self.modules() if recurse else [self]:
            for p in mod._parameters.values():
                if p is None or getattr(p, "_uninitialized", False):
                    continue
                p.data = np.empty_like(p.data)
                if p.grad is not None:
                    p.grad = Tensor._make(np.empty_like(p.grad.data))
            for key, b in mod._buffers.items():
                if b is not None and not getattr(b, "_uninitialized", False):
                    mod._buffers[key] = Tensor._make(np.empty_like(b.data))
        return self

    def cuda(self: M, device: Any = None) -> M:
        """Refused: there is no GPU here (``torch.nn.Module.cuda``; torch without CUDA raises
        AssertionError, as this does, unless the module has no tensors to move)."""
        return _no_device(self, "cuda", AssertionError)

    def xpu(self: M, device: Any = None) -> M:
        """Refused, as ``cuda()`` (``torch.nn.Module.xpu``)."""
        return _no_device(self, "xpu", AssertionError)

    def mtia(self: M, device: Any = None) -> M:
        """Refused, as ``cuda()`` (``torch.nn.Module.mtia``)."""
        return _no_device(self, "mtia", AssertionError)

    def ipu(self: M, device: Any = None) -> M:
        """Refused: torch without IPU support raises RuntimeError (``torch.nn.Module.ipu``)."""
        return _no_device(self, "ipu", RuntimeError)

    def share_memory(self: M) -> M:
        """Itself: parameters are numpy arrays in this process, and ``torch.multiprocessing``
        (whose shared memory ``torch.nn.Module.share_memory`` prepares) does not exist here."""
        return self

    def compile(self, *args: Any, **kwargs: Any) -> None:
        """Nothing, as ``tinygrad_ed.compile`` returns the model itself (every op runs eagerly
        on numpy); torch's ``Module.compile`` wraps the module's call in ``torch.compile``,
        which gives the same results, so code calling it runs unchanged. The arguments are
        ignored."""

    # ------------------------------------------------------------------ state dict

    def register_state_dict_pre_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(module, prefix, keep_vars)`` when ``state_dict()`` reaches this module,
        before its tensors and its children's are saved (its return value is ignored).

        PyTorch equivalent: ``torch.nn.Module.register_state_dict_pre_hook``.
        """
        return add_hook(self._state_dict_pre_hooks, hook, "register_state_dict_pre_hook")

    def register_state_dict_post_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(module, state_dict, prefix, local_metadata)`` once this module's tensors
        and its children's are in ``state_dict``. It may change the dict in place; returning
        anything but None raises RuntimeError (as torch).

        PyTorch equivalent: ``torch.nn.Module.register_state_dict_post_hook``.
        """
        _check_hook(hook, "register_state_dict_post_hook")
        # torch marks the function itself (so a bound method raises AttributeError here, as in
        # torch): the mark tells state_dict() to refuse a return value, and
        # _register_state_dict_hook to refuse the function.
        setattr(hook, "_from_public_api", True)  # noqa: B010
        return add_hook(self._state_dict_hooks, hook, "register_state_dict_post_hook")

    def _register_state_dict_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """The older, private form of ``register_state_dict_post_hook`` that torch's own code
        uses: a dict returned by the hook of the module ``state_dict()`` is called on replaces
        the result (a submodule's hook's is ignored, as torch)."""
        if getattr(hook, "_from_public_api", False):
            raise RuntimeError(
                "Cannot register the same function as the state dict post hook that was "
                "previously registered via register_state_dict_post_hook"
            )
        return add_hook(self._state_dict_hooks, hook, "_register_state_dict_hook")

    def register_load_state_dict_pre_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(module, state_dict, prefix, local_metadata, strict, missing_keys,
        unexpected_keys, error_msgs)`` when ``load_state_dict()`` reaches this module, before
        its tensors are checked: ``state_dict`` is the part of the (copied) dict under
        ``prefix``, which the hook may edit (rename, convert, drop keys), as it may the three
        lists. ``strict`` is always True (as torch: strictness is applied at the end).

        PyTorch equivalent: ``torch.nn.Module.register_load_state_dict_pre_hook``.
        """
        return self._register_load_state_dict_pre_hook(hook, with_module=True)

    def _register_load_state_dict_pre_hook(
        self, hook: Callable[..., Any], with_module: bool = False
    ) -> RemovableHandle:
        """``register_load_state_dict_pre_hook``, where the hook does not receive the module
        unless ``with_module`` (the form torch's own code uses)."""
        return add_hook(
            self._load_state_dict_pre_hooks,
            hook,
            "register_load_state_dict_pre_hook",
            flags=[(self._load_state_dict_pre_hooks_with_module, with_module)],
        )

    def register_load_state_dict_post_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(module, incompatible_keys)`` once ``load_state_dict()`` has loaded this
        module and its children (children's hooks first). ``incompatible_keys`` holds the
        ``missing_keys`` and ``unexpected_keys`` lists, which the hook may edit in place (the
        ``strict`` check comes after it, so clearing them avoids the error); returning anything
        but None raises AssertionError (as torch).

        PyTorch equivalent: ``torch.nn.Module.register_load_state_dict_post_hook``.
        """
        return add_hook(
            self._load_state_dict_post_hooks, hook, "register_load_state_dict_post_hook"
        )

    def _check_acyclic(self) -> None:
        """Raise ValueError if the sub-modules form a cycle (the state-dict walks recurse)."""
        for _ in self.named_modules(remove_duplicate=False):
            pass

    def _save_to_state_dict(
        self, destination: dict[str, Any], prefix: str, keep_vars: bool
    ) -> None:
        """Put this module's own parameters and persistent buffers (not its children's) into
        ``destination`` under ``prefix`` (torch's override point), as detached copies."""
        for name, t in [*self._parameters.items(), *self._buffers.items()]:
            if t is None or name in self._non_persistent:
                continue
            # An uninitialized (lazy) tensor has no values to copy: itself, as torch.
            keep = keep_vars or getattr(t, "_uninitialized", False)
            destination[prefix + name] = t if keep else Tensor._make(t.data.copy())
        if _overrides(self, "get_extra_state"):
            destination[prefix + _EXTRA_STATE_KEY_SUFFIX] = self.get_extra_state()

    def get_extra_state(self) -> Any:
        """Any extra (picklable) state to save in this module's state dict, under
        ``prefix + '_extra_state'``: a subclass that overrides it is asked by ``state_dict()``,
        and one that overrides ``set_extra_state`` gets the value back from
        ``load_state_dict()`` (which then reports the key missing when it is absent, and a
        module without ``set_extra_state`` reports it unexpected).

        PyTorch equivalent: ``torch.nn.Module.get_extra_state``; like torch's, the base
        method is never called (it raises RuntimeError).
        """
        raise RuntimeError(
            "Reached a code path in Module.get_extra_state() that should never be called."
        )

    def set_extra_state(self, state: Any) -> None:
        """Restore the value ``get_extra_state()`` returned, from a loaded state dict
        (``torch.nn.Module.set_extra_state``); the base method is never called (RuntimeError).
        """
        raise RuntimeError(
            "Reached a code path in Module.set_extra_state() that should never be called."
        )

    def state_dict(
        self,
        *args: Any,
        destination: dict[str, Any] | None = None,
        prefix: str = "",
        keep_vars: bool = False,
    ) -> dict[str, Any]:
        """Every parameter and persistent buffer by dotted name, as detached copies.

        Copies, not aliases (torch returns views): a saved state must not change when training
        continues. ``keep_vars=True`` returns the Parameter objects themselves. A module reached
        under two names (``Sequential(lin, ReLU(), lin)``) is saved under both, as in torch.
        ``prefix`` is put before every key as it is (torch's: ``prefix="net."``).

        As torch, the result is an ``OrderedDict`` whose ``_metadata`` maps each module's
        dotted name to its ``local_metadata`` (``{"version": ...}``, which state-dict
        post-hooks may extend). Each module runs its state-dict pre-hooks, saves its own
        tensors (and, if its class overrides ``get_extra_state``, that value under
        ``prefix + "_extra_state"``), recurses into its children, then runs its post-hooks.

        PyTorch equivalent: ``torch.nn.Module.state_dict``. Its deprecated positional form,
        ``state_dict(destination, prefix, keep_vars)``, works as there, with its FutureWarning
        (a keyword given as well wins).
        """
        if args:
            if len(args) > 3:  # torch ignores the rest
                raise TypeError(
                    f"{type(self).__name__}.state_dict() takes at most 3 positional arguments "
                    f"(destination, prefix, keep_vars), got {len(args)}"
                )
            warn(
                "Positional args are being deprecated, use kwargs instead. Refer to "
                "https://pytorch.org/docs/main/generated/torch.nn.Module.html"
                "#torch.nn.Module.state_dict for details.",
                FutureWarning,
            )
            if destination is None:
                destination = args[0]
            if len(args) > 1 and prefix == "":
                prefix = args[1]
            if len(args) > 2 and keep_vars is False:
                keep_vars = args[2]
        if destination is None:
            self._check_acyclic()
            destination = OrderedDict()
            setattr(destination, "_metadata", OrderedDict())  # noqa: B010
        local_metadata: dict[str, Any] = {"version": self._version}
        metadata = getattr(destination, "_metadata", None)
        if metadata is not None:
            metadata[prefix[:-1]] = local_metadata
        for pre_hook in [*self._state_dict_pre_hooks.values()]:
            pre_hook(self, prefix, keep_vars)
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, child in self._modules.items():
            if child is not None:
                child.state_dict(
                    destination=destination, prefix=f"{prefix}{name}.", keep_vars=keep_vars
                )
        for hook in [*self._state_dict_hooks.values()]:
            result = hook(self, destination, prefix, local_metadata)
            if getattr(hook, "_from_public_api", False):
                if result is not None:
                    raise RuntimeError("state_dict post-hook must return None")
            elif result is not None:
                destination = result
        return destination

    def _check_own_state(
        self,
        state_dict: dict[str, Any],
        prefix: str,
        local_metadata: dict[str, Any],
        missing: list[str],
        unexpected: list[str],
        errors: list[str],
        copies: list[tuple[str, Tensor, np.ndarray, Any]],
    ) -> None:
        """torch's ``_load_from_state_dict`` with the copying left to the caller: run the load
        pre-hooks on this module's slice of the state dict, then check each own tensor's value
        and queue ``(name, tensor, array, value)`` in ``copies``; the extra state's key is
        missing if the module overrides ``set_extra_state`` and unexpected if not; a key
        under ``prefix`` that names neither an own tensor nor something under a child is
        unexpected. Subclasses override it to convert old state dicts (BatchNorm's)."""
        args = (state_dict, prefix, local_metadata, True, missing, unexpected, errors)
        for hook_id, hook in [*self._load_state_dict_pre_hooks.items()]:
            if hook_id in self._load_state_dict_pre_hooks_with_module:
                hook(self, *args)
            else:
                hook(*args)
        own = {
            name: t
            for name, t in [*self._parameters.items(), *self._buffers.items()]
            if t is not None and name not in self._non_persistent
        }
        for name, target in own.items():
            key = prefix + name
            if key not in state_dict:
                missing.append(key)
                continue
            value = state_dict[key]
            lazy = getattr(target, "_uninitialized", False)
            if getattr(value, "_uninitialized", False):
                if not lazy:  # torch's error: an uninitialized value has no shape to copy
                    errors.append(f"value for {key!r} is uninitialized (a lazy module's)")
                continue  # uninitialized into uninitialized: nothing to load, as torch
            arr = value.data if isinstance(value, Tensor) else np.asarray(value)
            if not lazy and target.ndim == 0 and arr.shape == (1,):
                arr = arr.reshape(())  # torch's compatibility with 0.3's 1-element scalars
            if arr.dtype.kind not in "biuf":
                errors.append(f"value for {key!r} has unsupported dtype {arr.dtype}")
            elif not lazy and arr.shape != target.shape:
                errors.append(
                    f"size mismatch for {key}: copying a param with shape {arr.shape} from "
                    f"checkpoint, the shape in current model is {target.shape}."
                )
            else:  # a lazy module's tensor takes the checkpoint's shape (torch's hook)
                copies.append((name, target, arr, value))
        extra_key = prefix + _EXTRA_STATE_KEY_SUFFIX
        if _overrides(self, "set_extra_state"):
            if extra_key not in state_dict:
                missing.append(extra_key)
        elif extra_key in state_dict:
            unexpected.append(extra_key)
        for key in state_dict:
            if key.startswith(prefix) and key != extra_key:
                head, *rest = key[len(prefix) :].split(".", 1)
                if head not in (self._modules if rest else own):
                    unexpected.append(key)

    def load_state_dict(
        self, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False
    ) -> IncompatibleKeys:
        """Copy values into the existing parameters and buffers (they keep their identity,
        unless ``assign=True``).

        Values may be Tensors or arrays; each is cast to the parameter's dtype. A wrong shape
        always raises; missing or unexpected keys raise when ``strict`` (torch's rules). A
        module whose class overrides ``set_extra_state`` gets the value under
        ``prefix + "_extra_state"`` (missing if absent, as torch).

        ``assign=True`` (torch's) puts the loaded tensors themselves in the module instead:
        a parameter becomes the loaded value, kept if it is a Parameter and wrapped in one
        (sharing its array) if not, with the ``requires_grad`` of the parameter it replaces;
        a buffer becomes the loaded Tensor. Values keep their own dtype (no cast), and the
        module's old tensors are left untouched. The hooks see
        ``local_metadata["assign_to_params_buffers"] = True``, as torch's.

        Torch's walk: each module, parent before children, runs its load pre-hooks on its
        slice of a copy of ``state_dict``, has its own values checked and copied, then (after
        its children) runs its load post-hooks; the ``strict`` check comes last. Missing or
        unexpected keys do not stop the copy (as torch). One divergence: if a value is refused
        (wrong shape or dtype, or an error a pre-hook added), the values copied before the
        error is raised are put back, so that a refused load changes nothing (torch keeps
        them; a lazy tensor stays materialized). The copy is an in-place change: backward
        through a graph recorded before the load raises, as in torch.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(
                f"load_state_dict(): expected a mapping of names to tensors, got "
                f"{type(state_dict).__name__}"
            )
        self._check_acyclic()
        metadata = getattr(state_dict, "_metadata", None)
        state = OrderedDict(state_dict)  # the hooks may edit this copy
        if metadata is not None:
            setattr(state, "_metadata", metadata)  # noqa: B010
        missing: list[str] = []
        unexpected: list[str] = []
        errors: list[str] = []
        incompatible = IncompatibleKeys(missing, unexpected)
        saved: list[tuple[Tensor, np.ndarray]] = []  # the values replaced, to undo an error
        replaced: list[tuple[Module, str, Tensor]] = []  # the tensors assign=True replaced

        def walk(module: Module, local: dict[str, Any], prefix: str) -> None:
            local_metadata = {} if metadata is None else metadata.get(prefix[:-1], {})
            if assign:
                local_metadata["assign_to_params_buffers"] = True
            copies: list[tuple[str, Tensor, np.ndarray, Any]] = []
            module._check_own_state(
                local, prefix, local_metadata, missing, unexpected, errors, copies
            )
            with no_grad():
                for name, target, arr, value in copies:
                    if assign:
                        _assign(module, name, target, arr, value, prefix, errors, replaced)
                        continue
                    if getattr(target, "_uninitialized", False):
                        target.materialize(arr.shape)  # type: ignore[attr-defined]
                    else:
                        saved.append((target, target.data.copy()))
                    target.data[...] = arr
                    # A graph that saved the old values must refuse to backpropagate (torch's).
                    target._mark_changed()
            extra_key = prefix + _EXTRA_STATE_KEY_SUFFIX
            if extra_key in local and _overrides(module, "set_extra_state"):
                module.set_extra_state(local[extra_key])
            for name, child in module._modules.items():
                if child is not None:
                    child_prefix = f"{prefix}{name}."
                    part = {k: v for k, v in local.items() if k.startswith(child_prefix)}
                    walk(child, part, child_prefix)
            for hook in [*module._load_state_dict_post_hooks.values()]:
                if hook(module, incompatible) is not None:
                    raise AssertionError(
                        "Hooks registered with ``register_load_state_dict_post_hook`` are not "
                        "expected to return new values, if incompatible_keys need to be "
                        "modified, it should be done inplace."
                    )

        walk(self, state, "")
        if errors:
            for target, old in reversed(saved):
                target.data[...] = old
            for module, name, tensor in reversed(replaced):
                setattr(module, name, tensor)
        if strict:  # torch's wording and order
            if unexpected:
                errors.insert(
                    0, "Unexpected key(s) in state_dict: " + ", ".join(f'"{k}"' for k in unexpected)
                )
            if missing:
                errors.insert(
                    0, "Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing)
                )
        if errors:
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                + "\n\t".join(errors)
            )
        return incompatible

    # ------------------------------------------------------------------ repr

    def extra_repr(self) -> str:
        """The text inside the parentheses of this module's repr (its constructor arguments)."""
        return ""

    def _get_name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [
            f"({key}): " + _addindent(repr(mod), 2) for key, mod in self._modules.items()
        ]
        lines = extra_lines + child_lines
        body = ""
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                body = extra_lines[0]
            else:
                body = "\n  " + "\n  ".join(lines) + "\n"
        return f"{self._get_name()}({body})"

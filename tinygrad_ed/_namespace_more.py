"""More of torch's top-level functions: the aliases of ``cat``, ``unravel_index``, the
function forms of ``as_strided``, ``unsafe_split``, ``unsafe_chunk``, ``is_inference``,
``get_device``, ``is_distributed`` and ``fill``, the thread count, and torch's in-place
functions (``torch.relu_(x)`` is ``x.relu_()``): each calls the Tensor method, so its values,
errors and gradients are the method's.
"""

from __future__ import annotations

import builtins
import inspect
import numbers
import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._warn import warn
from .grad_mode import is_grad_enabled
from .tensor import _NO_COMPLEX_AUTOGRAD, OpError, Tensor, _expect_tensor, cat

# ----------------------------------------------------------------------------- joins, indices


def concat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """``torch.concat``, an alias of ``cat``."""
    return cat(tensors, dim)


def concatenate(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """``torch.concatenate``, an alias of ``cat`` (numpy's name for the dim)."""
    return cat(tensors, axis)


def unravel_index(indices: Tensor, shape: int | Sequence[int]) -> tuple[Tensor, ...]:
    """The index into an array of ``shape`` of each flat (row-major) index: one int64 tensor per
    dim, each of indices' shape (``torch.unravel_index``). As torch, an index out of range
    wraps around (−1 is the last element), with no error."""
    if not isinstance(indices, Tensor):
        raise TypeError(
            f"unravel_index(): argument 'indices' must be Tensor, not {type(indices).__name__}"
        )
    if indices.dtype.kind not in "iu":
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        dims: tuple[int, ...] = (int(shape),)
    elif isinstance(shape, Sequence) and not isinstance(shape, str):
        for d in shape:
            if not isinstance(d, numbers.Integral) or isinstance(d, bool):
                raise TypeError(
                    f"expected 'shape' sequence to only contain ints, but got {type(d)}"
                )
        dims = tuple(int(d) for d in shape)
    else:
        raise TypeError(f"expected 'shape' to be int or sequence of ints, but got {type(shape)}")
    if any(d < 0 for d in dims):
        raise ValueError(f"'shape' cannot have negative values, but got {dims}")
    if 0 in dims and indices.numel():
        raise RuntimeError(f"unravel_index(): no element has an index in the empty shape {dims}")
    flat = indices.data.astype(np.int64)
    # the row-major weight of each dim: flat // weight % size, as torch's (no bounds check)
    weights = np.cumprod((1, *dims[:0:-1]))[::-1] if dims else ()
    return tuple(
        Tensor._make(np.asarray(flat // w % n)) for w, n in zip(weights, dims, strict=True)
    )


# ----------------------------------------------------------------------------- function forms


def as_strided(
    input: Tensor, size: Sequence[int], stride: Sequence[int], storage_offset: int | None = None
) -> Tensor:
    """``torch.as_strided``: see ``Tensor.as_strided``."""
    _expect_tensor(input, "as_strided")
    return input.as_strided(size, stride, storage_offset)


def as_strided_scatter(
    input: Tensor,
    src: Tensor,
    size: Sequence[int],
    stride: Sequence[int],
    storage_offset: int | None = None,
) -> Tensor:
    """``torch.as_strided_scatter``: see ``Tensor.as_strided_scatter``."""
    _expect_tensor(input, "as_strided_scatter")
    return input.as_strided_scatter(src, size, stride, storage_offset)


def unsafe_split_with_sizes(
    input: Tensor, split_sizes: Sequence[int], dim: int = 0
) -> tuple[Tensor, ...]:
    """``torch.unsafe_split_with_sizes``: see ``Tensor.unsafe_split_with_sizes``."""
    _expect_tensor(input, "unsafe_split_with_sizes")
    return input.unsafe_split_with_sizes(split_sizes, dim)


def unsafe_split(input: Tensor, split_size: int, dim: int = 0) -> tuple[Tensor, ...]:
    """``torch.unsafe_split``: see ``Tensor.unsafe_split``."""
    _expect_tensor(input, "unsafe_split")
    return input.unsafe_split(split_size, dim)


def unsafe_chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """``torch.unsafe_chunk``: see ``Tensor.unsafe_chunk``."""
    _expect_tensor(input, "unsafe_chunk")
    return input.unsafe_chunk(chunks, dim)


def is_inference(input: Tensor) -> bool:
    """``torch.is_inference``: see ``Tensor.is_inference``."""
    _expect_tensor(input, "is_inference")
    return input.is_inference()


def get_device(input: Tensor) -> int:
    """``torch.get_device``: see ``Tensor.get_device``."""
    _expect_tensor(input, "get_device")
    return input.get_device()


def is_distributed(input: Tensor) -> bool:
    """``torch.is_distributed``: see ``Tensor.is_distributed``."""
    _expect_tensor(input, "is_distributed")
    return input.is_distributed()


def fill(input: Tensor, value: Any) -> Tensor:
    """``torch.fill``: a new tensor like ``input`` holding ``value`` everywhere (a number or a
    0-d tensor): ``input.clone().fill_(value)``, so x̄ = 0 and value̅ = the sum of g."""
    _expect_tensor(input, "fill")
    return input.clone().fill_(value)


# ----------------------------------------------------------------------------- view copies
# torch's *_copy functions: the view's values in new memory (not a view: writes to it stay
# its own), whose gradient is the view's: each is the view, then clone(), so x̄ is the view's
# adjoint (g put back where the view's elements came from).


def alias_copy(input: Tensor) -> Tensor:
    """``torch.alias_copy``: a copy of ``input``; x̄ = g."""
    _expect_tensor(input, "alias_copy")
    return input.clone()


def detach_copy(input: Tensor) -> Tensor:
    """``torch.detach_copy``: a copy of ``input`` with no history. (torch's says it requires
    grad when input does, then refuses backward: "derivative for aten::detach_copy is not
    implemented"; here it requires none, as ``detach()``.)"""
    _expect_tensor(input, "detach_copy")
    return input.detach().clone()


def as_strided_copy(
    input: Tensor, size: Sequence[int], stride: Sequence[int], storage_offset: int | None = None
) -> Tensor:
    """``torch.as_strided_copy``: a copy of ``as_strided(input, size, stride,
    storage_offset)``; x̄ adds g back where each element came from."""
    _expect_tensor(input, "as_strided_copy")
    return input.as_strided(size, stride, storage_offset).clone()


def diagonal_copy(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """``torch.diagonal_copy``: a copy of ``input.diagonal(offset, dim1, dim2)``."""
    _expect_tensor(input, "diagonal_copy")
    return input.diagonal(offset, dim1, dim2).clone()


def expand_copy(input: Tensor, size: Sequence[int], *, implicit: bool = False) -> Tensor:
    """``torch.expand_copy``: a copy of ``input.expand(size)`` (``implicit`` is torch's flag
    for an expansion it inserted itself, with no effect on the values); x̄ sums g over the
    copies."""
    _expect_tensor(input, "expand_copy")
    return input.expand(size).clone()


def permute_copy(input: Tensor, dims: Sequence[int]) -> Tensor:
    """``torch.permute_copy``: a copy of ``input.permute(dims)``."""
    _expect_tensor(input, "permute_copy")
    return input.permute(dims).clone()


def select_copy(input: Tensor, dim: int, index: int) -> Tensor:
    """``torch.select_copy``: a copy of ``input.select(dim, index)``."""
    _expect_tensor(input, "select_copy")
    return input.select(dim, index).clone()


def slice_copy(
    input: Tensor, dim: int = 0, start: int | None = None, end: int | None = None, step: int = 1
) -> Tensor:
    """``torch.slice_copy``: a copy of ``input[..., start:end:step, ...]`` on ``dim`` (Python's
    slice bounds: negative from the end, clamped to the size); step must be positive."""
    _expect_tensor(input, "slice_copy")
    if input.ndim == 0:
        raise IndexError("slice_copy(): slice() cannot be applied to a 0-dim tensor.")
    d = input._dim(dim, "slice_copy")
    if step <= 0:
        raise OpError(f"slice_copy(): slice step must be positive, got {step}")
    return input[(slice(None),) * d + (slice(start, end, step),)].clone()


def split_copy(input: Tensor, split_size: int, dim: int = 0) -> tuple[Tensor, ...]:
    """``torch.split_copy``: copies of ``input.split(split_size, dim)``."""
    _expect_tensor(input, "split_copy")
    if not isinstance(split_size, numbers.Integral):  # torch's overload takes an int only
        raise TypeError(
            f"split_copy(): argument 'split_size' must be int, not {type(split_size).__name__}"
        )
    return tuple(t.clone() for t in input.split(split_size, dim))


def split_with_sizes_copy(
    input: Tensor, split_sizes: Sequence[int], dim: int = 0
) -> tuple[Tensor, ...]:
    """``torch.split_with_sizes_copy``: copies of ``input.split_with_sizes(split_sizes,
    dim)``."""
    _expect_tensor(input, "split_with_sizes_copy")
    return tuple(t.clone() for t in input.split_with_sizes(split_sizes, dim))


def squeeze_copy(input: Tensor, dim: int | Sequence[int] | None = None) -> Tensor:
    """``torch.squeeze_copy``: a copy of ``input.squeeze(dim)``."""
    _expect_tensor(input, "squeeze_copy")
    return (input.squeeze() if dim is None else input.squeeze(dim)).clone()


def t_copy(input: Tensor) -> Tensor:
    """``torch.t_copy``: a copy of ``input.t()``."""
    _expect_tensor(input, "t_copy")
    return input.t().clone()


def transpose_copy(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """``torch.transpose_copy``: a copy of ``input.transpose(dim0, dim1)``."""
    _expect_tensor(input, "transpose_copy")
    return input.transpose(dim0, dim1).clone()


def unbind_copy(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """``torch.unbind_copy``: copies of ``input.unbind(dim)`` (unlike unbind's, each may be
    written in place)."""
    _expect_tensor(input, "unbind_copy")
    return tuple(t.clone() for t in input.unbind(dim))


def unfold_copy(input: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """``torch.unfold_copy``: a copy of ``input.unfold(dimension, size, step)``; x̄ sums g
    over the windows that hold each element."""
    _expect_tensor(input, "unfold_copy")
    return input.unfold(dimension, size, step).clone()


def unsqueeze_copy(input: Tensor, dim: int) -> Tensor:
    """``torch.unsqueeze_copy``: a copy of ``input.unsqueeze(dim)``."""
    _expect_tensor(input, "unsqueeze_copy")
    return input.unsqueeze(dim).clone()


def view_copy(input: Tensor, size: Any = None, dtype: Any = None) -> Tensor:
    """``torch.view_copy``: a copy of ``input`` in the shape ``size`` (as ``reshape``: torch's
    copies a tensor ``view`` would refuse too, a transposed one), or of its bytes read as
    ``dtype`` (``view(dtype)``; given positionally or as ``dtype=``), which has no gradient."""
    _expect_tensor(input, "view_copy")
    if dtype is None and size is not None and not isinstance(size, (Sequence, numbers.Integral)):
        size, dtype = None, size  # torch's overload view_copy(input, dtype)
    if (size is None) == (dtype is None):
        raise TypeError("view_copy(): give a size or a dtype, not both nor neither")
    if dtype is not None:
        return input.view(dtype).clone()
    return input.reshape(size).clone()


def _sparse_only(name: str, layout: str) -> Callable[[Tensor], Tensor]:
    """torch's ``{name}_copy`` of a sparse tensor's parts, which refuses a strided tensor (all
    tensors here are strided)."""
    op = f"{name}_copy"

    def refuse(input: Tensor) -> Tensor:
        _expect_tensor(input, op)
        raise RuntimeError(f"{name} expected {layout} layout but got Strided")

    refuse.__name__ = refuse.__qualname__ = op
    refuse.__doc__ = f"``torch.{op}``: refuses a strided tensor, as torch (a {layout} only)."
    return refuse


indices_copy = _sparse_only("indices", "sparse coordinate tensor")
values_copy = _sparse_only("values", "sparse tensor")
crow_indices_copy = _sparse_only("crow_indices", "sparse row compressed tensor")
col_indices_copy = _sparse_only("col_indices", "sparse row compressed tensor")
ccol_indices_copy = _sparse_only("ccol_indices", "sparse column compressed tensor")
row_indices_copy = _sparse_only("row_indices", "sparse column compressed tensor")


# ----------------------------------------------------------------------------- threads

_threads = os.cpu_count() or 1  # what get_num_threads reports where threadpoolctl is missing


def get_num_threads() -> int:
    """The number of threads numpy's BLAS (matmul, linear algebra) may use, as threadpoolctl
    reports it where that is installed; else the number ``set_num_threads`` last stored (the
    CPU count at first). The rest of numpy runs on one thread. (``torch.get_num_threads``)"""
    try:
        from threadpoolctl import threadpool_info  # type: ignore[import-untyped]
    except ImportError:
        return _threads
    counts = [p["num_threads"] for p in threadpool_info() if p.get("user_api") == "blas"]
    return max(counts) if counts else _threads


def set_num_threads(int: int) -> None:
    """Limit numpy's BLAS to ``int`` threads, through threadpoolctl where that is installed,
    and store the number for ``get_num_threads`` (``torch.set_num_threads``; no new
    dependency: without threadpoolctl the BLAS keeps its own count)."""
    global _threads
    n = int
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise RuntimeError(f"set_num_threads expects an int, but got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    _threads = builtins.int(n)
    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
    except ImportError:
        return
    threadpool_limits(limits=_threads, user_api="blas")


_interop_threads = os.cpu_count() or 1  # numpy has no inter-op pool: the number is only kept


def get_num_interop_threads() -> int:
    """``torch.get_num_interop_threads``: the number of threads torch would run independent ops
    on. numpy runs ops one after another, so this is the number last set (the CPU count at
    first), which changes nothing here."""
    return _interop_threads


def set_num_interop_threads(int: int) -> None:
    """``torch.set_num_interop_threads``: store the number ``get_num_interop_threads`` reports
    (a positive int, as torch checks). torch refuses a second call, or one after parallel work
    started; here there is no inter-op pool to fix, so any call is taken."""
    global _interop_threads
    n = int
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise RuntimeError(f"set_num_interop_threads expects an int, but got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError("set_num_interop_threads expects a positive integer")
    _interop_threads = builtins.int(n)


def init_num_threads() -> None:
    """``torch.init_num_threads``: torch sets up its thread pools for the calling thread; numpy
    needs no setting up, so this does nothing."""


# ----------------------------------------------------------------------------- switches

_warn_always = False


def set_warn_always(b: bool, /) -> None:
    """``torch.set_warn_always``: torch then repeats the warnings it gives once per process
    (TORCH_WARN_ONCE). This library's warnings are Python's, repeated or not as the warnings
    filters say, so the switch is only kept, for ``is_warn_always_enabled``."""
    global _warn_always
    if not isinstance(b, (bool, np.bool_)):
        raise RuntimeError(f"setWarnOnlyOnce expects a bool, but got {type(b).__name__}")
    _warn_always = builtins.bool(b)


def is_warn_always_enabled() -> bool:
    """``torch.is_warn_always_enabled``: the switch ``set_warn_always`` last set (False at
    first)."""
    return _warn_always


def set_flush_denormal(mode: bool) -> bool:
    """``torch.set_flush_denormal``: whether subnormal floats could be flushed to zero. numpy
    gives no control of the CPU's flush-to-zero flag, so, as torch where the CPU lacks it,
    nothing changes and the answer is False (subnormals stay: 1e-320 is not 0)."""
    if not isinstance(mode, (bool, np.bool_)):
        raise TypeError(
            f"set_flush_denormal(): argument 'mode' (position 1) must be bool, not "
            f"{type(mode).__name__}"
        )
    return False


# ----------------------------------------------------------------------------- in place


# torch's in-place functions whose Tensor method exists here
def _inplace(name: str) -> Callable[..., Tensor]:
    """``torch.NAME``: ``input.NAME(...)``, with the method's parameters after ``input``."""
    method = getattr(Tensor, name)

    def function(input: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        _expect_tensor(input, name)
        out: Tensor = method(input, *args, **kwargs)
        return out

    params = list(inspect.signature(method).parameters.values())[1:]
    first = inspect.Parameter("input", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    function.__signature__ = inspect.Signature([first, *params])  # type: ignore[attr-defined]
    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``torch.{name}``: ``input.{name}(...)``, in place (see ``Tensor.{name}``)."
    return function


abs_ = _inplace("abs_")
acos_ = _inplace("acos_")
acosh_ = _inplace("acosh_")
addmv_ = _inplace("addmv_")
as_strided_ = _inplace("as_strided_")
arccos_ = _inplace("arccos_")
arccosh_ = _inplace("arccosh_")
arcsin_ = _inplace("arcsin_")
arcsinh_ = _inplace("arcsinh_")
arctan_ = _inplace("arctan_")
arctanh_ = _inplace("arctanh_")
asin_ = _inplace("asin_")
asinh_ = _inplace("asinh_")
atan_ = _inplace("atan_")
atanh_ = _inplace("atanh_")
ceil_ = _inplace("ceil_")
clamp_ = _inplace("clamp_")
clamp_max_ = _inplace("clamp_max_")
clamp_min_ = _inplace("clamp_min_")
clip_ = _inplace("clip_")
conj_physical_ = _inplace("conj_physical_")
cos_ = _inplace("cos_")
cosh_ = _inplace("cosh_")
deg2rad_ = _inplace("deg2rad_")
detach_ = _inplace("detach_")
erf_ = _inplace("erf_")
erfc_ = _inplace("erfc_")
exp2_ = _inplace("exp2_")
exp_ = _inplace("exp_")
expm1_ = _inplace("expm1_")
fill_ = _inplace("fill_")
fix_ = _inplace("fix_")
floor_ = _inplace("floor_")
frac_ = _inplace("frac_")
gcd_ = _inplace("gcd_")
i0_ = _inplace("i0_")
index_put_ = _inplace("index_put_")
lcm_ = _inplace("lcm_")
ldexp_ = _inplace("ldexp_")
log10_ = _inplace("log10_")
log1p_ = _inplace("log1p_")
log2_ = _inplace("log2_")
log_ = _inplace("log_")
logit_ = _inplace("logit_")
nan_to_num_ = _inplace("nan_to_num_")
neg_ = _inplace("neg_")
negative_ = _inplace("negative_")
rad2deg_ = _inplace("rad2deg_")
reciprocal_ = _inplace("reciprocal_")
relu_ = _inplace("relu_")
resize_as_ = _inplace("resize_as_")
round_ = _inplace("round_")
rsqrt_ = _inplace("rsqrt_")
sigmoid_ = _inplace("sigmoid_")
sin_ = _inplace("sin_")
sinc_ = _inplace("sinc_")
sinh_ = _inplace("sinh_")
sqrt_ = _inplace("sqrt_")
square_ = _inplace("square_")
tan_ = _inplace("tan_")
tanh_ = _inplace("tanh_")
trunc_ = _inplace("trunc_")
xlogy_ = _inplace("xlogy_")
zero_ = _inplace("zero_")


# ----------------------------------------------------------------------------- global switches

# torch's deterministic-algorithms mode: 0 off, 1 on and warning only, 2 on (its debug mode's
# numbers). Every computation here is deterministic already: numpy's kernels, and its BLAS,
# which sums in a fixed order for a given thread count; so the mode is only stored and reported.
_deterministic = 0
_DEBUG_MODES = {"default": 0, "warn": 1, "error": 2}


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Set torch's deterministic-algorithms flag (``torch.use_deterministic_algorithms``).
    Nothing changes here: every op of this library gives the same bits on every run (numpy's
    kernels are deterministic, and scatter-adds accumulate in index order)."""
    global _deterministic
    for name, value in (("mode", mode), ("warn_only", warn_only)):
        if type(value) is not bool:
            raise TypeError(
                f"use_deterministic_algorithms(): argument '{name}' must be bool, not "
                f"{type(value).__name__}"
            )
    _deterministic = 0 if not mode else 1 if warn_only else 2


def are_deterministic_algorithms_enabled() -> bool:
    """Whether ``use_deterministic_algorithms(True)`` is in force
    (``torch.are_deterministic_algorithms_enabled``)."""
    return _deterministic > 0


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """Whether it was set with ``warn_only=True``
    (``torch.is_deterministic_algorithms_warn_only_enabled``)."""
    return _deterministic == 1


def set_deterministic_debug_mode(debug_mode: builtins.str | builtins.int) -> None:
    """``torch.set_deterministic_debug_mode``: "default" (0) turns the flag off, "warn" (1)
    on with warnings only, "error" (2) on."""
    global _deterministic
    if isinstance(debug_mode, builtins.str):
        if debug_mode not in _DEBUG_MODES:
            raise RuntimeError(
                "invalid value of debug_mode, expected one of `default`, `warn`, `error`, but "
                f"got {debug_mode}"
            )
        _deterministic = _DEBUG_MODES[debug_mode]
    elif isinstance(debug_mode, builtins.int) and not isinstance(debug_mode, bool):
        if debug_mode not in (0, 1, 2):
            raise RuntimeError(
                f"invalid value of debug_mode, expected 0, 1, or 2, but got {debug_mode}"
            )
        _deterministic = debug_mode
    else:
        raise TypeError(f"debug_mode must be str or int, but got {type(debug_mode).__name__}")


def get_deterministic_debug_mode() -> builtins.int:
    """0, 1 or 2, as ``set_deterministic_debug_mode`` (``torch.get_deterministic_debug_mode``)."""
    return _deterministic


_matmul_precision = "highest"


def set_float32_matmul_precision(precision: builtins.str) -> None:
    """Store torch's float32 matmul precision, "highest", "high" or "medium"
    (``torch.set_float32_matmul_precision``). Products here are always numpy's float32 ones,
    "highest" in torch's terms; another name is ignored with torch's warning."""
    global _matmul_precision
    if not isinstance(precision, builtins.str):
        raise RuntimeError(  # torch's class
            f"set_float32_matmul_precision expects a str, but got {type(precision).__name__}"
        )
    if precision not in ("highest", "high", "medium"):
        warn(
            f"{precision} is not one of 'highest', 'high', or 'medium'; the current "
            "set_float32_matmul_precision call has no effect."
        )
        return
    _matmul_precision = precision


def get_float32_matmul_precision() -> builtins.str:
    """The precision ``set_float32_matmul_precision`` stored ("highest" at first)."""
    return _matmul_precision


def typename(obj: Any) -> builtins.str:
    """torch's name of ``obj`` (``torch.typename``): "torch.FloatTensor" for a float32 tensor
    (see ``Tensor.type``); else "module.QualName" of a class or function itself, or of an
    object's class; a builtin's bare name ("int", "NoneType")."""
    if isinstance(obj, Tensor):
        name: builtins.str = obj.type()
        return name
    module = getattr(obj, "__module__", "") or ""
    if hasattr(obj, "__qualname__"):
        qualname = obj.__qualname__
    elif hasattr(obj, "__name__"):
        qualname = obj.__name__
    else:
        module, qualname = type(obj).__module__ or "", type(obj).__qualname__
    return qualname if module in ("", "builtins") else f"{module}.{qualname}"


_COMPILE_MODES = (
    "default",
    "lite",
    "reduce-overhead",
    "max-autotune-no-cudagraphs",
    "max-autotune",
)


def compile(
    model: Callable[..., Any] | None = None,
    *,
    fullgraph: bool = False,
    dynamic: bool | None = None,
    backend: builtins.str | Callable[..., Any] | None = None,
    mode: builtins.str | None = None,
    options: dict[builtins.str, Any] | None = None,
    name: builtins.str | None = None,
    disable: bool = False,
    recompile_limit: builtins.int | None = None,
    isolate_recompiles: bool = False,
    shapes_spec: Any = None,
) -> Any:
    """``model`` itself (``torch.compile``): this library runs every op eagerly on numpy, so
    there is nothing to compile, and a compiled model's results are the eager ones in torch
    too. ``model = torch.compile(model)`` and ``@torch.compile`` (with or without arguments)
    run unchanged; torch's refusals of a non-callable, an unknown ``mode`` and ``mode`` with
    ``options`` are kept."""
    if mode is not None and options is not None:
        raise RuntimeError(
            "compile(): either mode or options can be specified, but both can't be specified at "
            "the same time."
        )
    if mode is not None and mode not in _COMPILE_MODES:
        raise RuntimeError(
            f"compile(): unrecognized mode={mode}, should be one of: {', '.join(_COMPILE_MODES)}"
        )
    if model is None:  # @compile(...): the decorator
        return compile
    if not callable(model):
        raise AssertionError(  # torch's class
            f"compile(): a callable function is expected, but {type(model)} is provided."
        )
    return model


# ----------------------------------------------------------------------------- complex from parts


def _complex_parts(
    a: Any, b: Any, op: str, names: tuple[str, str]
) -> tuple[np.ndarray, np.ndarray]:
    """The two real parts of ``complex``/``polar``, checked as torch checks them: Tensors of one
    float dtype (float32 or float64: numpy has no complex32), broadcastable, and no gradient
    wanted (complex autograd is not implemented here)."""
    for t, name in zip((a, b), names):
        _expect_tensor(t, op, name)
    if a.dtype.kind != "f" or b.dtype.kind != "f":
        raise OpError(
            f"{op}(): expected both inputs to be Half, Float or Double tensors but got "
            f"{a.dtype} and {b.dtype}"
        )
    if a.dtype != b.dtype:
        raise OpError(
            f"{op}(): expected object of scalar type {a.dtype} but got scalar type {b.dtype} for "
            "second argument"
        )
    if a.dtype == np.float16:
        raise TypeError(f"{op}(): float16 parts would make complex32, which numpy does not have")
    if is_grad_enabled() and (a.requires_grad or b.requires_grad):
        raise NotImplementedError(f"{op}(): {_NO_COMPLEX_AUTOGRAD}")
    try:
        x, y = np.broadcast_arrays(a.data, b.data)
    except ValueError:
        raise OpError(
            f"{op}(): the shapes of {names[0]} {a.shape} and {names[1]} {b.shape} do not broadcast"
        ) from None
    return x, y


def complex(real: Tensor, imag: Tensor) -> Tensor:
    """``real + i·imag`` (``torch.complex``): complex64 from float32 parts, complex128 from
    float64, broadcast together."""
    x, y = _complex_parts(real, imag, "complex", ("real", "imag"))
    out = np.empty(x.shape, np.complex64 if x.dtype == np.float32 else np.complex128)
    out.real, out.imag = x, y
    return Tensor._make(out)


def polar(abs: Tensor, angle: Tensor) -> Tensor:
    """``abs·(cos angle + i·sin angle)`` (``torch.polar``), in the complex dtype of the parts."""
    r, theta = _complex_parts(abs, angle, "polar", ("abs", "angle"))
    return complex(Tensor._make(r * np.cos(theta)), Tensor._make(r * np.sin(theta)))

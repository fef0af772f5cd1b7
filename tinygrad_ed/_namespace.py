"""torch's top-level functions on tensors: ``tg.exp(x)`` as ``torch.exp(x)``.

Most are the function forms of Tensor methods, each ``torch.NAME``'s signature (input first, the
same parameter names, defaults and keyword-only markers) over the method of the same name, so
their values and gradients are the method's. Where torch's function differs from its method,
the function follows torch: ``max(x, y)`` is ``maximum``; ``add`` and ``sub`` take ``alpha=``;
``sum``, ``mean``, ``softmax`` and ``log_softmax`` take ``dtype=`` (the input is cast first, as
torch does); ``add``, ``sub``, ``mul``, ``div`` and ``pow`` take a number as ``input`` beside a
tensor (``torch.add(2, x)``); ``mm`` and ``bmm`` only take matrices and batches of them.
``out=`` is not accepted: there are no preallocated outputs here. A non-tensor ``input`` is
refused with torch's TypeError, naming the function.

The rest are the utilities torch keeps beside them: ``is_tensor``, ``allclose``, ``isclose``,
``equal`` (numpy comparisons, no graph), ``broadcast_shapes``, ``broadcast_to``,
``broadcast_tensors`` and ``meshgrid`` (composed of ``reshape`` and ``expand``, so
differentiable: x̄ sums g over the copies).

Each is written out rather than made by a generic wrapper, so that ``help()``, editors and mypy
show torch's parameters. Adding one is one short def, for example::

    def exp(input: Tensor) -> Tensor:
        '''``torch.exp``: see ``Tensor.exp``.'''
        _expect_tensor(input, "exp")
        return input.exp()

plus its name in ``__init__.py`` (import and ``__all__``) and its torch signature and sample
call in ``tests/test_namespace.py``'s tables.
"""

from __future__ import annotations

import builtins
import operator
import warnings
from collections.abc import Sequence
from typing import Any, cast

import numpy as np

from .tensor import (
    DTypeLike,
    OpError,
    Scalar,
    Tensor,
    _check_dtype,
    _expect_tensor,
    get_default_dtype,
)

# ----------------------------------------------------------------------------- elementwise


def abs(input: Tensor) -> Tensor:
    """``torch.abs``: see ``Tensor.abs``."""
    _expect_tensor(input, "abs")
    return input.abs()


def exp(input: Tensor) -> Tensor:
    """``torch.exp``: see ``Tensor.exp``."""
    _expect_tensor(input, "exp")
    return input.exp()


def log(input: Tensor) -> Tensor:
    """``torch.log``: see ``Tensor.log``."""
    _expect_tensor(input, "log")
    return input.log()


def sqrt(input: Tensor) -> Tensor:
    """``torch.sqrt``: see ``Tensor.sqrt``."""
    _expect_tensor(input, "sqrt")
    return input.sqrt()


def neg(input: Tensor) -> Tensor:
    """``torch.neg``: see ``Tensor.neg``."""
    _expect_tensor(input, "neg")
    return input.neg()


def sigmoid(input: Tensor) -> Tensor:
    """``torch.sigmoid``: see ``Tensor.sigmoid``."""
    _expect_tensor(input, "sigmoid")
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """``torch.tanh``: see ``Tensor.tanh``."""
    _expect_tensor(input, "tanh")
    return input.tanh()


def relu(input: Tensor) -> Tensor:
    """``torch.relu``: see ``Tensor.relu``."""
    _expect_tensor(input, "relu")
    return input.relu()


def square(input: Tensor) -> Tensor:
    """``torch.square``: see ``Tensor.square``."""
    _expect_tensor(input, "square")
    return input.square()


def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    """``torch.round``: see ``Tensor.round``."""
    _expect_tensor(input, "round")
    return input.round(decimals=decimals)


def clamp(input: Tensor, min: float | None = None, max: float | None = None) -> Tensor:
    """``torch.clamp``: see ``Tensor.clamp``."""
    _expect_tensor(input, "clamp")
    return input.clamp(min, max)


def clip(input: Tensor, min: float | None = None, max: float | None = None) -> Tensor:
    """``torch.clip``, torch's alias of ``clamp``: see ``Tensor.clamp``."""
    _expect_tensor(input, "clip")
    return input.clamp(min, max)


# ----------------------------------------------------------------------------- arithmetic


def _number_first(input: Any, other: Any, op: str) -> Tensor:
    """``other``, for torch's ``op(number, tensor)`` form (``torch.add(2, x)``); any other
    non-tensor ``input`` is refused, naming ``input``."""
    if not (isinstance(other, Tensor) and isinstance(input, (int, float, np.number))):
        _expect_tensor(input, op)  # never a Tensor here: refused
    return cast(Tensor, other)


def _times_alpha(input: Any, other: Any, alpha: Any, op: str) -> Any:
    """alpha·other, torch's scaled second operand of ``add`` and ``sub``."""
    if not isinstance(alpha, (int, float, np.number)) or isinstance(alpha, (bool, np.bool_)):
        raise TypeError(f"{op}(): alpha must be a number, got {alpha!r}")
    if alpha == 1:
        return other
    if not isinstance(other, (Tensor, int, float, np.number)):
        _expect_tensor(other, op, "other")

    def integral(v: Any) -> bool:
        return v.dtype.kind in "biu" if isinstance(v, Tensor) else isinstance(v, (int, np.integer))

    if integral(input) and integral(other) and not isinstance(alpha, (int, np.integer)):
        raise TypeError(
            f"{op}(): for integral input tensors, alpha must not be a floating point number, "
            f"got {alpha!r} (as in torch)"
        )
    return other * alpha


def add(input: Tensor | Scalar, other: Tensor | Scalar, *, alpha: Scalar = 1) -> Tensor:
    """``torch.add``: input + alpha·other (see ``Tensor.add``); ȳ = alpha·g."""
    if isinstance(input, Tensor):
        return input.add(_times_alpha(input, other, alpha, "add"))
    scaled: Tensor = _times_alpha(input, _number_first(input, other, "add"), alpha, "add")
    return scaled.__radd__(input)


def sub(input: Tensor | Scalar, other: Tensor | Scalar, *, alpha: Scalar = 1) -> Tensor:
    """``torch.sub``: input − alpha·other (see ``Tensor.sub``); ȳ = −alpha·g."""
    if isinstance(input, Tensor):
        return input.sub(_times_alpha(input, other, alpha, "sub"))
    scaled: Tensor = _times_alpha(input, _number_first(input, other, "sub"), alpha, "sub")
    return scaled.__rsub__(input)


def mul(input: Tensor | Scalar, other: Tensor | Scalar) -> Tensor:
    """``torch.mul``: see ``Tensor.mul``."""
    if isinstance(input, Tensor):
        return input.mul(other)
    return _number_first(input, other, "mul").__rmul__(input)


def div(input: Tensor | Scalar, other: Tensor | Scalar) -> Tensor:
    """``torch.div``, true division: see ``Tensor.div``. torch's ``rounding_mode`` is not
    supported: ``div(x, y).floor()`` is near it, but where x / y rounds onto a whole number it
    differs from torch's exact floor division (torch's 1 // 0.1 is 9, floor(1 / 0.1) is 10)."""
    if isinstance(input, Tensor):
        return input.div(other)
    return _number_first(input, other, "div").__rtruediv__(input)


def pow(input: Tensor | Scalar, exponent: Tensor | Scalar) -> Tensor:
    """``torch.pow``: see ``Tensor.pow``; ``pow(2, x)`` is 2ˣ, as in torch."""
    if isinstance(input, Tensor):
        return input.pow(exponent)
    return _number_first(input, exponent, "pow").__rpow__(input)


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """``torch.matmul``: see ``Tensor.matmul``."""
    _expect_tensor(input, "matmul")
    _expect_tensor(other, "matmul", "other")
    return input.matmul(other)


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """``torch.mm``: the product of two matrices, (n, k) @ (k, m) (``matmul`` without its 1-D
    and batch rules, which ``mm`` refuses as torch does)."""
    _expect_tensor(input, "mm")
    _expect_tensor(mat2, "mm", "mat2")
    if input.ndim != 2 or mat2.ndim != 2 or input.shape[1] != mat2.shape[0]:
        raise OpError(
            f"mm(): expects matrices (n, k) and (k, m), got shapes {input.shape} and {mat2.shape}"
        )
    return input.matmul(mat2)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """``torch.bmm``: b matrix products, (b, n, k) @ (b, k, m) (``matmul`` without batch
    broadcasting, which ``bmm`` refuses as torch does)."""
    _expect_tensor(input, "bmm")
    _expect_tensor(mat2, "bmm", "mat2")
    a, b = input.shape, mat2.shape
    if len(a) != 3 or len(b) != 3 or a[0] != b[0] or a[2] != b[1]:
        raise OpError(f"bmm(): expects batches (b, n, k) and (b, k, m), got shapes {a} and {b}")
    return input.matmul(mat2)


def maximum(input: Tensor, other: Any) -> Tensor:
    """``torch.maximum``: see ``Tensor.maximum``."""
    _expect_tensor(input, "maximum")
    return input.maximum(other)


def minimum(input: Tensor, other: Any) -> Tensor:
    """``torch.minimum``: see ``Tensor.minimum``."""
    _expect_tensor(input, "minimum")
    return input.minimum(other)


# ----------------------------------------------------------------------------- comparisons


def eq(input: Tensor, other: Any) -> Tensor:
    """``torch.eq``: see ``Tensor.eq``."""
    _expect_tensor(input, "eq")
    return input.eq(other)


def ne(input: Tensor, other: Any) -> Tensor:
    """``torch.ne``: see ``Tensor.ne``."""
    _expect_tensor(input, "ne")
    return input.ne(other)


def lt(input: Tensor, other: Any) -> Tensor:
    """``torch.lt``: see ``Tensor.lt``."""
    _expect_tensor(input, "lt")
    return input.lt(other)


def le(input: Tensor, other: Any) -> Tensor:
    """``torch.le``: see ``Tensor.le``."""
    _expect_tensor(input, "le")
    return input.le(other)


def gt(input: Tensor, other: Any) -> Tensor:
    """``torch.gt``: see ``Tensor.gt``."""
    _expect_tensor(input, "gt")
    return input.gt(other)


def ge(input: Tensor, other: Any) -> Tensor:
    """``torch.ge``: see ``Tensor.ge``."""
    _expect_tensor(input, "ge")
    return input.ge(other)


# ----------------------------------------------------------------------------- reductions


def _cast(input: Tensor, dtype: DTypeLike, op: str) -> Tensor:
    """``input`` in ``dtype`` if one is given: torch's ``dtype=`` casts before reducing."""
    return input if dtype is None else input.to(_check_dtype(dtype, op))


def sum(
    input: Tensor,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
    *,
    dtype: DTypeLike = None,
) -> Tensor:
    """``torch.sum``: see ``Tensor.sum``; ``dtype`` casts the input first."""
    _expect_tensor(input, "sum")
    return _cast(input, dtype, "sum").sum(dim, keepdim)


def mean(
    input: Tensor,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
    *,
    dtype: DTypeLike = None,
) -> Tensor:
    """``torch.mean``: see ``Tensor.mean``; ``dtype`` casts the input first."""
    _expect_tensor(input, "mean")
    return _cast(input, dtype, "mean").mean(dim, keepdim)


def amax(input: Tensor, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
    """``torch.amax``: see ``Tensor.amax``."""
    _expect_tensor(input, "amax")
    return input.amax(dim, keepdim)


def amin(input: Tensor, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
    """``torch.amin``: see ``Tensor.amin``."""
    _expect_tensor(input, "amin")
    return input.amin(dim, keepdim)


def _extremum(
    input: Tensor, dim: Any, keepdim: bool, other: Tensor | None, op: str, pairwise: str
) -> Any:
    """torch's three ``max`` (``min``) forms; the two-tensor one is ``maximum`` (``minimum``)."""
    _expect_tensor(input, op)
    if other is None and not isinstance(dim, Tensor):
        return getattr(input, op)(dim, keepdim)
    if other is not None and dim is not None:
        raise TypeError(f"{op}(): give a dim or another tensor, not both")
    if keepdim:
        raise TypeError(f"{op}(): keepdim needs a dim; {op}(input, other) is {pairwise}()")
    y = dim if other is None else other
    _expect_tensor(y, op, "other")
    return getattr(input, pairwise)(y)


def max(
    input: Tensor,
    dim: int | Tensor | None = None,
    keepdim: bool = False,
    *,
    other: Tensor | None = None,
) -> Any:
    """``torch.max``: ``max(input)`` the largest entry, ``max(input, dim, keepdim=False)`` the
    ``(values, indices)`` along ``dim`` (see ``Tensor.max``), and ``max(input, other)`` the
    elementwise ``maximum``."""
    return _extremum(input, dim, keepdim, other, "max", "maximum")


def min(
    input: Tensor,
    dim: int | Tensor | None = None,
    keepdim: bool = False,
    *,
    other: Tensor | None = None,
) -> Any:
    """``torch.min``: ``min(input)``, ``min(input, dim, keepdim=False)`` (see ``Tensor.min``)
    and ``min(input, other)``, the elementwise ``minimum``."""
    return _extremum(input, dim, keepdim, other, "min", "minimum")


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """``torch.argmax``: see ``Tensor.argmax``."""
    _expect_tensor(input, "argmax")
    return input.argmax(dim, keepdim)


def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """``torch.argmin``: see ``Tensor.argmin``."""
    _expect_tensor(input, "argmin")
    return input.argmin(dim, keepdim)


def var(
    input: Tensor,
    dim: int | Sequence[int] | None = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: int | None = None,
) -> Tensor:
    """``torch.var``: see ``Tensor.var``."""
    _expect_tensor(input, "var")
    return input.var(dim, unbiased, keepdim, correction=correction)


def std(
    input: Tensor,
    dim: int | Sequence[int] | None = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: int | None = None,
) -> Tensor:
    """``torch.std``: see ``Tensor.std``."""
    _expect_tensor(input, "std")
    return input.std(dim, unbiased, keepdim, correction=correction)


def logsumexp(input: Tensor, dim: int | Sequence[int], keepdim: bool = False) -> Tensor:
    """``torch.logsumexp``: see ``Tensor.logsumexp``."""
    _expect_tensor(input, "logsumexp")
    return input.logsumexp(dim, keepdim)


def softmax(input: Tensor, dim: int, dtype: DTypeLike = None) -> Tensor:
    """``torch.softmax``: see ``Tensor.softmax``; ``dtype`` casts the input first."""
    _expect_tensor(input, "softmax")
    return _cast(input, dtype, "softmax").softmax(dim)


def log_softmax(input: Tensor, dim: int, dtype: DTypeLike = None) -> Tensor:
    """``torch.log_softmax``: see ``Tensor.log_softmax``; ``dtype`` casts the input first."""
    _expect_tensor(input, "log_softmax")
    return _cast(input, dtype, "log_softmax").log_softmax(dim)


def all(input: Tensor, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
    """``torch.all``: see ``Tensor.all``."""
    _expect_tensor(input, "all")
    return input.all(dim, keepdim)


def any(input: Tensor, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
    """``torch.any``: see ``Tensor.any``."""
    _expect_tensor(input, "any")
    return input.any(dim, keepdim)


def norm(
    input: Tensor,
    p: float | str = "fro",
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
) -> Tensor:
    """``torch.norm``: see ``Tensor.norm``."""
    _expect_tensor(input, "norm")
    return input.norm(p, dim, keepdim)


# ----------------------------------------------------------------------------- shape


def reshape(input: Tensor, shape: Sequence[int]) -> Tensor:
    """``torch.reshape``: see ``Tensor.reshape``."""
    _expect_tensor(input, "reshape")
    return input.reshape(shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """``torch.flatten``: see ``Tensor.flatten``."""
    _expect_tensor(input, "flatten")
    return input.flatten(start_dim, end_dim)


def squeeze(input: Tensor, dim: int | Sequence[int] | None = None) -> Tensor:
    """``torch.squeeze``: see ``Tensor.squeeze``."""
    _expect_tensor(input, "squeeze")
    return input.squeeze(dim)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """``torch.unsqueeze``: see ``Tensor.unsqueeze``."""
    _expect_tensor(input, "unsqueeze")
    return input.unsqueeze(dim)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """``torch.transpose``: see ``Tensor.transpose``."""
    _expect_tensor(input, "transpose")
    return input.transpose(dim0, dim1)


def permute(input: Tensor, dims: Sequence[int]) -> Tensor:
    """``torch.permute``: see ``Tensor.permute``."""
    _expect_tensor(input, "permute")
    return input.permute(dims)


def t(input: Tensor) -> Tensor:
    """``torch.t``: see ``Tensor.t`` (at most 2 dims)."""
    _expect_tensor(input, "t")
    return input.t()


def clone(input: Tensor) -> Tensor:
    """``torch.clone``: see ``Tensor.clone``."""
    _expect_tensor(input, "clone")
    return input.clone()


def detach(input: Tensor) -> Tensor:
    """``torch.detach``: see ``Tensor.detach``."""
    _expect_tensor(input, "detach")
    return input.detach()


def numel(input: Tensor) -> int:
    """``torch.numel``: see ``Tensor.numel``."""
    _expect_tensor(input, "numel")
    return input.numel()


def is_floating_point(input: Tensor) -> bool:
    """``torch.is_floating_point``: see ``Tensor.is_floating_point``."""
    _expect_tensor(input, "is_floating_point")
    return input.is_floating_point()


def is_tensor(obj: Any, /) -> bool:
    """Whether ``obj`` is a Tensor (``torch.is_tensor``)."""
    return isinstance(obj, Tensor)


# ----------------------------------------------------------------------------- closeness


def _closeness(
    input: Tensor, other: Tensor, rtol: float, atol: float, equal_nan: bool, op: str
) -> np.ndarray:
    """torch's |input − other| ≤ atol + rtol·|other| elementwise, as a bool array.

    As torch computes it: equal entries (infinities included) are close; otherwise the error
    must be finite; floats are compared in their dtype, integers and bools in the default
    float; nan is close to nan only with ``equal_nan``. The dtypes must match, as in torch.
    """
    _expect_tensor(input, op)
    _expect_tensor(other, op, "other")
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if not isinstance(tol, (int, float, np.number)) or isinstance(tol, bool):
            raise TypeError(f"{op}(): {name} must be a number, got {tol!r}")
        if not tol >= 0:
            raise OpError(f"{op}(): {name} must be greater than or equal to zero, got {tol}")
    if input.dtype != other.dtype:
        raise OpError(
            f"{op}(): input's dtype {input.dtype} did not match other's {other.dtype}; "
            "compare tensors of one dtype (as torch), e.g. other.to(input.dtype)"
        )
    _broadcast((input.shape, other.shape), op)
    x, y = input.data, other.data
    close = np.asarray(x == y)
    if equal_nan and x.dtype.kind in "fc":
        close |= np.isnan(x) & np.isnan(y)
    if rtol == 0 and atol == 0:
        return close
    if x.dtype.kind in "fc":
        with np.errstate(invalid="ignore", over="ignore"):  # inf − inf is nan: not close
            error = np.abs(x - y)
            allowed = atol + np.abs(rtol * y)
    else:  # computed as torch: the error in the integers, the tolerance in the default float
        d = get_default_dtype()
        error = np.abs(x.astype(np.int64) - y.astype(np.int64)).astype(d)
        allowed = d.type(atol) + np.abs(d.type(rtol) * y.astype(d))
    return np.asarray(close | (np.isfinite(error) & (error <= allowed)))


def isclose(
    input: Tensor,
    other: Tensor,
    rtol: float = 1e-05,
    atol: float = 1e-08,
    equal_nan: bool = False,
) -> Tensor:
    """Whether each entry of ``input`` is within atol + rtol·|other| of ``other``
    (``torch.isclose``): a bool tensor, broadcast; no gradient."""
    return Tensor._make(_closeness(input, other, rtol, atol, equal_nan, "isclose"))


def allclose(
    input: Tensor,
    other: Tensor,
    rtol: float = 1e-05,
    atol: float = 1e-08,
    equal_nan: bool = False,
) -> bool:
    """Whether every entry is close, as ``isclose`` (``torch.allclose``)."""
    return bool(_closeness(input, other, rtol, atol, equal_nan, "allclose").all())


def equal(input: Tensor, other: Tensor) -> bool:
    """Whether the two tensors have the same shape and the same values (``torch.equal``):
    dtypes may differ, nan equals nothing."""
    _expect_tensor(input, "equal")
    _expect_tensor(other, "equal", "other")
    return input.shape == other.shape and bool(np.all(input.data == other.data))


# ----------------------------------------------------------------------------- broadcasting


def _broadcast(shapes: Sequence[tuple[int, ...]], op: str) -> tuple[int, ...]:
    """The shape all of ``shapes`` broadcast to: aligned at the right, each dim's sizes equal
    or 1."""
    ndim = builtins.max((len(s) for s in shapes), default=0)
    out = [1] * ndim
    for shape in shapes:
        for k, size in enumerate(shape, start=ndim - len(shape)):
            if size != out[k] and size != 1 and out[k] != 1:
                raise OpError(
                    f"{op}(): shapes {', '.join(map(str, shapes))} do not broadcast: at dim "
                    f"{k - ndim} the sizes {out[k]} and {size} differ and neither is 1"
                )
            out[k] = size if out[k] == 1 else out[k]
    return tuple(out)


def _int_sequence(value: Any, op: str, what: str) -> tuple[int, ...]:
    """``value``, an int or a sequence of ints (not bools or floats), as a tuple."""
    given = value if isinstance(value, (tuple, list)) else (value,)
    try:
        if builtins.any(isinstance(v, (bool, np.bool_)) for v in given):
            raise TypeError
        return tuple(map(operator.index, given))
    except TypeError:
        raise TypeError(f"{op}(): {what} must be ints, got {value!r}") from None


def broadcast_shapes(*shapes: int | Sequence[int]) -> tuple[int, ...]:
    """The shape that tensors of ``shapes`` broadcast to (``torch.broadcast_shapes``; each an
    int or a sequence of ints), as a tuple, which is what ``Tensor.shape`` is here."""
    given = [_int_sequence(s, "broadcast_shapes", "shapes") for s in shapes]
    if builtins.any(n < 0 for s in given for n in s):
        raise ValueError(f"broadcast_shapes(): negative size in shapes {given}")
    return _broadcast(given, "broadcast_shapes")


def broadcast_to(input: Tensor, size: Sequence[int]) -> Tensor:
    """``input`` broadcast to ``size`` without copying (``torch.broadcast_to``; -1 keeps a dim):
    ``expand``, so x̄ sums g over the copies."""
    _expect_tensor(input, "broadcast_to")
    target = _int_sequence(size, "broadcast_to", "size")
    lead = len(target) - input.ndim
    if lead < 0:
        raise OpError(f"broadcast_to(): cannot broadcast shape {input.shape} to fewer dims {size}")
    resolved = tuple(
        input.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(target)
    )
    if _broadcast((input.shape, resolved), "broadcast_to") != resolved:
        raise OpError(f"broadcast_to(): cannot broadcast shape {input.shape} to {resolved}")
    return input.expand(resolved)


def _tensors(values: Sequence[Any], op: str) -> list[Tensor]:
    """``values``, each refused unless a Tensor, naming its position."""
    out: list[Tensor] = []
    for i, v in enumerate(values):
        _expect_tensor(v, op, f"tensors[{i}]")
        out.append(v)
    return out


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """The tensors, each broadcast to their common shape (``torch.broadcast_tensors``)."""
    ts = _tensors(tensors, "broadcast_tensors")
    shape = _broadcast([t.shape for t in ts], "broadcast_tensors")
    return tuple(t.expand(shape) for t in ts)


_meshgrid_warned = False


def meshgrid(
    *tensors: Tensor | Sequence[Tensor], indexing: str | None = None
) -> tuple[Tensor, ...]:
    """Coordinate grids from 1-D (or 0-d) tensors (``torch.meshgrid``): output k holds tensor
    k's entries along one dim and repeats them along the others.

    ``indexing='ij'``: the grid's shape is (len(t₀), len(t₁), …), tensor k along dim k (matrix
    indexing). ``'xy'``: the first two dims are swapped (Cartesian, as numpy's default), so
    tensor 0 runs along dim 1. Without ``indexing``, 'ij', with torch's warning, once per
    process as torch's. Each output is a reshape and an ``expand``: x̄ sums g over the copies.
    """
    global _meshgrid_warned
    one_list = len(tensors) == 1 and isinstance(tensors[0], (list, tuple))
    grid = _tensors(tensors[0] if one_list else tensors, "meshgrid")  # type: ignore[arg-type]
    if not grid:
        raise OpError("meshgrid(): expects a non-empty sequence of tensors")
    for i, t in enumerate(grid):
        if t.ndim > 1:
            raise OpError(f"meshgrid(): expects 0-d or 1-D tensors, tensor {i} has shape {t.shape}")
    if len({t.dtype for t in grid}) > 1:
        raise OpError(
            f"meshgrid(): expects tensors of one dtype, got {[str(t.dtype) for t in grid]}"
        )
    if indexing is None:
        if not _meshgrid_warned:
            _meshgrid_warned = True
            warnings.warn(
                "meshgrid(): in an upcoming release, it will be required to pass the indexing "
                "argument (torch's warning); indexing='ij' is used",
                UserWarning,
                stacklevel=2,
            )
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise OpError(f"meshgrid(): indexing must be 'ij' or 'xy', got {indexing!r}")
    n = len(grid)
    axes = list(range(n))
    if indexing == "xy" and n > 1:
        axes[0], axes[1] = 1, 0
    shape = [0] * n
    for t, k in zip(grid, axes):
        shape[k] = t.numel()
    return tuple(
        t.reshape(tuple(-1 if j == k else 1 for j in range(n))).expand(tuple(shape))
        for t, k in zip(grid, axes)
    )

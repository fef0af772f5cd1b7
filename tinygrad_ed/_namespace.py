"""torch's top-level functions on tensors: ``tg.exp(x)`` as ``torch.exp(x)``.

Most are the function forms of Tensor methods, each ``torch.NAME``'s signature (input first, the
same parameter names, defaults and keyword-only markers) over the method of the same name, so
their values and gradients are the method's. Where torch's function differs from its method,
the function follows torch: ``max(x, y)`` is ``maximum``; ``add`` and ``sub`` take ``alpha=``;
``sum``, ``mean``, ``softmax`` and ``log_softmax`` take ``dtype=`` (the input is cast first, as
torch does); ``add``, ``sub``, ``mul``, ``div`` and ``pow`` take a number as ``input`` beside a
tensor (``torch.add(2, x)``). ``out=`` is not accepted: there are no preallocated outputs here.
A non-tensor ``input`` is refused with torch's TypeError, naming the function.

The rest are the utilities torch keeps beside them: ``is_tensor``, ``broadcast_shapes``,
``broadcast_to``,
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
import numbers
import operator
from collections.abc import Sequence
from typing import Any, Literal, cast, overload

import numpy as np

from . import _methods_more as _more
from . import functional as F
from ._warn import warn
from .tensor import (
    DTypeLike,
    OpError,
    Scalar,
    Tensor,
    _AminMax,
    _Cummax,
    _expect_tensor,
    _KthValue,
    _times_alpha,
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


def clamp_min(input: Tensor, min: Tensor | float) -> Tensor:
    """``torch.clamp_min``: see ``Tensor.clamp_min`` (``min`` a number or a tensor)."""
    _expect_tensor(input, "clamp_min")
    return input.clamp_min(min)


def clamp_max(input: Tensor, max: Tensor | float) -> Tensor:
    """``torch.clamp_max``: see ``Tensor.clamp_max`` (``max`` a number or a tensor)."""
    _expect_tensor(input, "clamp_max")
    return input.clamp_max(max)


def reciprocal(input: Tensor) -> Tensor:
    """``torch.reciprocal``: see ``Tensor.reciprocal``."""
    _expect_tensor(input, "reciprocal")
    return input.reciprocal()


def rsqrt(input: Tensor) -> Tensor:
    """``torch.rsqrt``: see ``Tensor.rsqrt``."""
    _expect_tensor(input, "rsqrt")
    return input.rsqrt()


def log2(input: Tensor) -> Tensor:
    """``torch.log2``: see ``Tensor.log2``."""
    _expect_tensor(input, "log2")
    return input.log2()


def log10(input: Tensor) -> Tensor:
    """``torch.log10``: see ``Tensor.log10``."""
    _expect_tensor(input, "log10")
    return input.log10()


def nan_to_num(
    input: Tensor, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    """``torch.nan_to_num``: see ``Tensor.nan_to_num``."""
    _expect_tensor(input, "nan_to_num")
    return input.nan_to_num(nan, posinf, neginf)


def isnan(input: Tensor) -> Tensor:
    """``torch.isnan``: see ``Tensor.isnan``."""
    _expect_tensor(input, "isnan")
    return input.isnan()


def isinf(input: Tensor) -> Tensor:
    """``torch.isinf``: see ``Tensor.isinf``."""
    _expect_tensor(input, "isinf")
    return input.isinf()


def isfinite(input: Tensor) -> Tensor:
    """``torch.isfinite``: see ``Tensor.isfinite``."""
    _expect_tensor(input, "isfinite")
    return input.isfinite()


def isposinf(input: Tensor) -> Tensor:
    """``torch.isposinf``: see ``Tensor.isposinf``."""
    _expect_tensor(input, "isposinf")
    return input.isposinf()


def isneginf(input: Tensor) -> Tensor:
    """``torch.isneginf``: see ``Tensor.isneginf``."""
    _expect_tensor(input, "isneginf")
    return input.isneginf()


# ----------------------------------------------------------------------------- arithmetic


def _number_first(input: Any, other: Any, op: str) -> Tensor:
    """``other``, for torch's ``op(number, tensor)`` form (``torch.add(2, x)``); any other
    non-tensor ``input`` is refused, naming ``input``."""
    if not (isinstance(other, Tensor) and isinstance(input, (int, float, np.number))):
        _expect_tensor(input, op)  # never a Tensor here: refused
    return cast(Tensor, other)


def _number_as_tensor(input: Any, other: Any, op: str) -> Tensor:
    """torch's ``op(number, tensor)``: the number as the 0-d tensor a Python number becomes
    beside ``other`` (its dtype if floating), so that it defers in promotion as in torch."""
    return _number_first(input, other, op)._other(input, op)


def add(input: Tensor | Scalar, other: Tensor | Scalar, *, alpha: Scalar = 1) -> Tensor:
    """``torch.add``: input + alpha·other (see ``Tensor.add``); ȳ = alpha·g."""
    if isinstance(input, Tensor):
        return input.add(other, alpha=alpha)
    scaled: Tensor = _times_alpha(input, _number_first(input, other, "add"), alpha, "add")
    return scaled.__radd__(input)


def sub(input: Tensor | Scalar, other: Tensor | Scalar, *, alpha: Scalar = 1) -> Tensor:
    """``torch.sub``: input − alpha·other (see ``Tensor.sub``); ȳ = −alpha·g."""
    if isinstance(input, Tensor):
        return input.sub(other, alpha=alpha)
    scaled: Tensor = _times_alpha(input, _number_first(input, other, "sub"), alpha, "sub")
    return scaled.__rsub__(input)


def mul(input: Tensor | Scalar, other: Tensor | Scalar) -> Tensor:
    """``torch.mul``: see ``Tensor.mul``."""
    if isinstance(input, Tensor):
        return input.mul(other)
    return _number_first(input, other, "mul").__rmul__(input)


def div(
    input: Tensor | Scalar, other: Tensor | Scalar, *, rounding_mode: str | None = None
) -> Tensor:
    """``torch.div``: true division, or with ``rounding_mode`` 'trunc' / 'floor' the quotient
    rounded toward zero / down in the operands' dtype (exact: torch's 1 // 0.1 is 9, where
    floor(1 / 0.1) is 10); see ``Tensor.div``."""
    if isinstance(input, Tensor):
        return input._div(other, rounding_mode, "div")
    return _number_first(input, other, "div")._div(input, rounding_mode, "div", reflected=True)


def divide(
    input: Tensor | Scalar, other: Tensor | Scalar, *, rounding_mode: str | None = None
) -> Tensor:
    """``torch.divide``, torch's alias of ``div``: see ``Tensor.div``."""
    if isinstance(input, Tensor):
        return input._div(other, rounding_mode, "divide")
    t = _number_first(input, other, "divide")
    return t._div(input, rounding_mode, "divide", reflected=True)


def floor_divide(input: Tensor | Scalar, other: Tensor | Scalar) -> Tensor:
    """``torch.floor_divide``, ⌊input / other⌋: ``div(input, other, rounding_mode='floor')``."""
    if isinstance(input, Tensor):
        return input.floor_divide(other)
    return _number_first(input, other, "floor_divide").__rfloordiv__(input)


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


def maximum(input: Tensor, other: Any) -> Tensor:
    """``torch.maximum``: see ``Tensor.maximum``."""
    _expect_tensor(input, "maximum")
    return input.maximum(other)


def minimum(input: Tensor, other: Any) -> Tensor:
    """``torch.minimum``: see ``Tensor.minimum``."""
    _expect_tensor(input, "minimum")
    return input.minimum(other)


def lerp(input: Tensor, end: Tensor, weight: Tensor | float) -> Tensor:
    """``torch.lerp``: input + weight·(end − input), see ``Tensor.lerp``."""
    _expect_tensor(input, "lerp")
    return input.lerp(end, weight)


def logaddexp(input: Tensor, other: Tensor) -> Tensor:
    """``torch.logaddexp``: see ``Tensor.logaddexp``."""
    _expect_tensor(input, "logaddexp")
    return input.logaddexp(other)


def atan2(input: Tensor, other: Tensor) -> Tensor:
    """``torch.atan2``: the angle of the point (other, input), see ``Tensor.atan2``."""
    _expect_tensor(input, "atan2")
    return input.atan2(other)


def arctan2(input: Tensor, other: Tensor) -> Tensor:
    """``torch.arctan2``, torch's alias of ``atan2``: see ``Tensor.atan2``."""
    _expect_tensor(input, "arctan2")
    return input.atan2(other)


def hypot(input: Tensor, other: Tensor) -> Tensor:
    """``torch.hypot``: see ``Tensor.hypot``."""
    _expect_tensor(input, "hypot")
    return input.hypot(other)


# ----------------------------------------------------------------------------- products


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """``torch.mm``: see ``Tensor.mm`` (matrices only: ``matmul`` is the one that broadcasts)."""
    _expect_tensor(input, "mm")
    return input.mm(mat2)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """``torch.bmm``: see ``Tensor.bmm`` (batches of one size, no broadcasting)."""
    _expect_tensor(input, "bmm")
    return input.bmm(mat2)


def addmm(
    input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: float = 1, alpha: float = 1
) -> Tensor:
    """``torch.addmm``: beta·input + alpha·(mat1 @ mat2), see ``Tensor.addmm``."""
    _expect_tensor(input, "addmm")
    return input.addmm(mat1, mat2, beta=beta, alpha=alpha)


def dot(input: Tensor, tensor: Tensor) -> Tensor:
    """``torch.dot``: see ``Tensor.dot``."""
    _expect_tensor(input, "dot")
    return input.dot(tensor)


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """``torch.mv``: see ``Tensor.mv``."""
    _expect_tensor(input, "mv")
    return input.mv(vec)


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """``torch.outer``: see ``Tensor.outer``."""
    _expect_tensor(input, "outer")
    return input.outer(vec2)


def ger(input: Tensor, vec2: Tensor) -> Tensor:
    """``torch.ger``, torch's older name of ``outer``: see ``Tensor.outer``."""
    _expect_tensor(input, "ger")
    return input.outer(vec2)


def kron(input: Tensor, other: Tensor) -> Tensor:
    """``torch.kron``: see ``Tensor.kron``."""
    _expect_tensor(input, "kron")
    return input.kron(other)


def trace(input: Tensor) -> Tensor:
    """``torch.trace``: see ``Tensor.trace``."""
    _expect_tensor(input, "trace")
    return input.trace()


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """``torch.tril``: see ``Tensor.tril``."""
    _expect_tensor(input, "tril")
    return input.tril(diagonal)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """``torch.triu``: see ``Tensor.triu``."""
    _expect_tensor(input, "triu")
    return input.triu(diagonal)


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """``torch.diag``: see ``Tensor.diag``."""
    _expect_tensor(input, "diag")
    return input.diag(diagonal)


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """``torch.diagonal``: see ``Tensor.diagonal``."""
    _expect_tensor(input, "diagonal")
    return input.diagonal(offset, dim1, dim2)


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


def sum(
    input: Tensor,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
    *,
    dtype: DTypeLike = None,
) -> Tensor:
    """``torch.sum``: see ``Tensor.sum``."""
    _expect_tensor(input, "sum")
    return input.sum(dim, keepdim, dtype=dtype)


def mean(
    input: Tensor,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
    *,
    dtype: DTypeLike = None,
) -> Tensor:
    """``torch.mean``: see ``Tensor.mean``."""
    _expect_tensor(input, "mean")
    return input.mean(dim, keepdim, dtype=dtype)


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
    """``torch.softmax``: see ``Tensor.softmax``."""
    _expect_tensor(input, "softmax")
    return input.softmax(dim, dtype)


def log_softmax(input: Tensor, dim: int, dtype: DTypeLike = None) -> Tensor:
    """``torch.log_softmax``: see ``Tensor.log_softmax``."""
    _expect_tensor(input, "log_softmax")
    return input.log_softmax(dim, dtype)


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
    *,
    dtype: DTypeLike = None,
) -> Tensor:
    """``torch.norm``: see ``Tensor.norm`` (torch's ``dtype`` comes after ``out``, which this
    library has not: keyword-only here)."""
    _expect_tensor(input, "norm")
    return input.norm(p, dim, keepdim, dtype)


def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False) -> _AminMax:
    """``torch.aminmax``: ``(min, max)``, see ``Tensor.aminmax``."""
    _expect_tensor(input, "aminmax")
    return input.aminmax(dim=dim, keepdim=keepdim)


def median(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    """``torch.median``: ``median(input)`` the lower median of every entry,
    ``median(input, dim, keepdim=False)`` the ``(values, indices)`` along ``dim``; see
    ``Tensor.median``."""
    _expect_tensor(input, "median")
    return input.median(dim, keepdim)


def nanmedian(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    """``torch.nanmedian``: ``median`` of the entries that are not nan, see
    ``Tensor.nanmedian``."""
    _expect_tensor(input, "nanmedian")
    return input.nanmedian(dim, keepdim)


def nansum(
    input: Tensor,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
    *,
    dtype: DTypeLike = None,
) -> Tensor:
    """``torch.nansum``: see ``Tensor.nansum``."""
    _expect_tensor(input, "nansum")
    return input.nansum(dim, keepdim, dtype=dtype)


def nanmean(
    input: Tensor,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
    *,
    dtype: DTypeLike = None,
) -> Tensor:
    """``torch.nanmean``: see ``Tensor.nanmean``."""
    _expect_tensor(input, "nanmean")
    return input.nanmean(dim, keepdim, dtype=dtype)


def count_nonzero(input: Tensor, dim: int | Sequence[int] | None = None) -> Tensor:
    """``torch.count_nonzero``: see ``Tensor.count_nonzero``."""
    _expect_tensor(input, "count_nonzero")
    return input.count_nonzero(dim)


def argsort(
    input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False
) -> Tensor:
    """``torch.argsort``: see ``Tensor.argsort`` (always stable)."""
    _expect_tensor(input, "argsort")
    return input.argsort(dim, descending, stable=stable)


@overload
def nonzero(input: Tensor, *, as_tuple: Literal[False] = ...) -> Tensor: ...
@overload
def nonzero(input: Tensor, *, as_tuple: Literal[True]) -> tuple[Tensor, ...]: ...
def nonzero(input: Tensor, *, as_tuple: bool = False) -> Tensor | tuple[Tensor, ...]:
    """``torch.nonzero``: see ``Tensor.nonzero``."""
    _expect_tensor(input, "nonzero")
    return input.nonzero(as_tuple=True) if as_tuple else input.nonzero()


def diff(
    input: Tensor,
    n: int = 1,
    dim: int = -1,
    prepend: Tensor | None = None,
    append: Tensor | None = None,
) -> Tensor:
    """``torch.diff``: see ``Tensor.diff``."""
    _expect_tensor(input, "diff")
    return input.diff(n, dim, prepend, append)


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


def movedim(input: Tensor, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
    """``torch.movedim``: see ``Tensor.movedim``."""
    _expect_tensor(input, "movedim")
    return input.movedim(source, destination)


def moveaxis(
    input: Tensor, source: int | Sequence[int], destination: int | Sequence[int]
) -> Tensor:
    """``torch.moveaxis``, torch's alias of ``movedim``: see ``Tensor.movedim``."""
    _expect_tensor(input, "moveaxis")
    return input.movedim(source, destination)


def swapaxes(input: Tensor, axis0: int, axis1: int) -> Tensor:
    """``torch.swapaxes``: ``transpose(input, axis0, axis1)``, see ``Tensor.swapaxes``."""
    _expect_tensor(input, "swapaxes")
    return input.swapaxes(axis0, axis1)


def swapdims(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """``torch.swapdims``: ``transpose(input, dim0, dim1)``, see ``Tensor.swapdims``."""
    _expect_tensor(input, "swapdims")
    return input.swapdims(dim0, dim1)


def narrow(input: Tensor, dim: int, start: int | Tensor, length: int) -> Tensor:
    """``torch.narrow``: see ``Tensor.narrow``."""
    _expect_tensor(input, "narrow")
    return input.narrow(dim, start, length)


def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """``torch.unbind``: see ``Tensor.unbind``."""
    _expect_tensor(input, "unbind")
    return input.unbind(dim)


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


def isclose(
    input: Tensor,
    other: Tensor,
    rtol: float = 1e-05,
    atol: float = 1e-08,
    equal_nan: bool = False,
) -> Tensor:
    """``torch.isclose``: |input − other| ≤ atol + rtol·|other| elementwise, see
    ``Tensor.isclose``."""
    _expect_tensor(input, "isclose")
    return input.isclose(other, rtol, atol, equal_nan)


def allclose(
    input: Tensor,
    other: Tensor,
    rtol: float = 1e-05,
    atol: float = 1e-08,
    equal_nan: bool = False,
) -> bool:
    """``torch.allclose``: whether ``isclose`` holds everywhere, see ``Tensor.allclose``."""
    _expect_tensor(input, "allclose")
    return input.allclose(other, rtol, atol, equal_nan)


def equal(input: Tensor, other: Tensor) -> bool:
    """``torch.equal``: the same shape and values (dtypes may differ, nan equals nothing), see
    ``Tensor.equal``."""
    _expect_tensor(input, "equal")
    return input.equal(other)


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
    if builtins.any(n < 0 for n in resolved):  # -1 keeps an existing dim only
        raise OpError(
            f"broadcast_to(): size {tuple(target)} for shape {input.shape} has a negative size "
            "that keeps no dim (-1 keeps one of the input's dims, not a new leading one)"
        )
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
            warn(
                "meshgrid(): in an upcoming release, it will be required to pass the indexing "
                "argument (torch's warning); indexing='ij' is used",
                UserWarning,
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


# ----------------------------------------------------------------------------- more methods' forms
# The function forms of the methods in tensor.py's block 'more of torch's methods', each
# torch's signature over the method.


def absolute(input: Tensor) -> Tensor:
    """``torch.absolute``: see ``Tensor.absolute``."""
    _expect_tensor(input, "absolute")
    return input.absolute()


def acos(input: Tensor) -> Tensor:
    """``torch.acos``: see ``Tensor.acos``."""
    _expect_tensor(input, "acos")
    return input.acos()


def acosh(input: Tensor) -> Tensor:
    """``torch.acosh``: see ``Tensor.acosh``."""
    _expect_tensor(input, "acosh")
    return input.acosh()


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Scalar = 1) -> Tensor:
    """``torch.addcdiv``: see ``Tensor.addcdiv``."""
    _expect_tensor(input, "addcdiv")
    return input.addcdiv(tensor1, tensor2, value=value)


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Scalar = 1) -> Tensor:
    """``torch.addcmul``: see ``Tensor.addcmul``."""
    _expect_tensor(input, "addcmul")
    return input.addcmul(tensor1, tensor2, value=value)


def addmv(
    input: Tensor, mat: Tensor, vec: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1
) -> Tensor:
    """``torch.addmv``: see ``Tensor.addmv``."""
    _expect_tensor(input, "addmv")
    return input.addmv(mat, vec, beta=beta, alpha=alpha)


def addr(
    input: Tensor, vec1: Tensor, vec2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1
) -> Tensor:
    """``torch.addr``: see ``Tensor.addr``."""
    _expect_tensor(input, "addr")
    return input.addr(vec1, vec2, beta=beta, alpha=alpha)


def arccos(input: Tensor) -> Tensor:
    """``torch.arccos``: see ``Tensor.arccos``."""
    _expect_tensor(input, "arccos")
    return input.arccos()


def arccosh(input: Tensor) -> Tensor:
    """``torch.arccosh``: see ``Tensor.arccosh``."""
    _expect_tensor(input, "arccosh")
    return input.arccosh()


def arcsin(input: Tensor) -> Tensor:
    """``torch.arcsin``: see ``Tensor.arcsin``."""
    _expect_tensor(input, "arcsin")
    return input.arcsin()


def arcsinh(input: Tensor) -> Tensor:
    """``torch.arcsinh``: see ``Tensor.arcsinh``."""
    _expect_tensor(input, "arcsinh")
    return input.arcsinh()


def arctan(input: Tensor) -> Tensor:
    """``torch.arctan``: see ``Tensor.arctan``."""
    _expect_tensor(input, "arctan")
    return input.arctan()


def arctanh(input: Tensor) -> Tensor:
    """``torch.arctanh``: see ``Tensor.arctanh``."""
    _expect_tensor(input, "arctanh")
    return input.arctanh()


def asin(input: Tensor) -> Tensor:
    """``torch.asin``: see ``Tensor.asin``."""
    _expect_tensor(input, "asin")
    return input.asin()


def asinh(input: Tensor) -> Tensor:
    """``torch.asinh``: see ``Tensor.asinh``."""
    _expect_tensor(input, "asinh")
    return input.asinh()


def atan(input: Tensor) -> Tensor:
    """``torch.atan``: see ``Tensor.atan``."""
    _expect_tensor(input, "atan")
    return input.atan()


def atanh(input: Tensor) -> Tensor:
    """``torch.atanh``: see ``Tensor.atanh``."""
    _expect_tensor(input, "atanh")
    return input.atanh()


def angle(input: Tensor) -> Tensor:
    """``torch.angle``: see ``Tensor.angle``."""
    _expect_tensor(input, "angle")
    return input.angle()


def copysign(input: Tensor, other: Any) -> Tensor:
    """``torch.copysign``: see ``Tensor.copysign``."""
    _expect_tensor(input, "copysign")
    return input.copysign(other)


def corrcoef(input: Tensor) -> Tensor:
    """``torch.corrcoef``: see ``Tensor.corrcoef``."""
    _expect_tensor(input, "corrcoef")
    return input.corrcoef()


def cosh(input: Tensor) -> Tensor:
    """``torch.cosh``: see ``Tensor.cosh``."""
    _expect_tensor(input, "cosh")
    return input.cosh()


def cov(
    input: Tensor,
    *,
    correction: int = 1,
    fweights: Tensor | None = None,
    aweights: Tensor | None = None,
) -> Tensor:
    """``torch.cov``: see ``Tensor.cov``."""
    _expect_tensor(input, "cov")
    return input.cov(correction=correction, fweights=fweights, aweights=aweights)


def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    """``torch.cross``: see ``Tensor.cross``."""
    _expect_tensor(input, "cross")
    return input.cross(other, dim)


def cummax(input: Tensor, dim: int) -> _Cummax:
    """``torch.cummax``: see ``Tensor.cummax``."""
    _expect_tensor(input, "cummax")
    return input.cummax(dim)


def cummin(input: Tensor, dim: int) -> _Cummax:
    """``torch.cummin``: see ``Tensor.cummin``."""
    _expect_tensor(input, "cummin")
    return input.cummin(dim)


def deg2rad(input: Tensor) -> Tensor:
    """``torch.deg2rad``: see ``Tensor.deg2rad``."""
    _expect_tensor(input, "deg2rad")
    return input.deg2rad()


def det(input: Tensor) -> Tensor:
    """``torch.det``: see ``Tensor.det``."""
    _expect_tensor(input, "det")
    return input.det()


def dsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """``torch.dsplit``: see ``Tensor.dsplit``."""
    _expect_tensor(input, "dsplit")
    return input.dsplit(indices_or_sections)


def exp2(input: Tensor) -> Tensor:
    """``torch.exp2``: see ``Tensor.exp2``."""
    _expect_tensor(input, "exp2")
    return input.exp2()


def fix(input: Tensor) -> Tensor:
    """``torch.fix``: see ``Tensor.fix``."""
    _expect_tensor(input, "fix")
    return input.fix()


def fliplr(input: Tensor) -> Tensor:
    """``torch.fliplr``: see ``Tensor.fliplr``."""
    _expect_tensor(input, "fliplr")
    return input.fliplr()


def flipud(input: Tensor) -> Tensor:
    """``torch.flipud``: see ``Tensor.flipud``."""
    _expect_tensor(input, "flipud")
    return input.flipud()


def float_power(input: Tensor | Scalar, exponent: Any) -> Tensor:
    """``torch.float_power``: see ``Tensor.float_power``; a number ``input`` as in torch."""
    if not isinstance(input, Tensor):
        input = _number_as_tensor(input, exponent, "float_power")
    return input.float_power(exponent)


def fmod(input: Tensor, other: Any) -> Tensor:
    """``torch.fmod``: see ``Tensor.fmod``."""
    _expect_tensor(input, "fmod")
    return input.fmod(other)


def frac(input: Tensor) -> Tensor:
    """``torch.frac``: see ``Tensor.frac``."""
    _expect_tensor(input, "frac")
    return input.frac()


def greater(input: Tensor, other: Any) -> Tensor:
    """``torch.greater``: see ``Tensor.greater``."""
    _expect_tensor(input, "greater")
    return input.greater(other)


def greater_equal(input: Tensor, other: Any) -> Tensor:
    """``torch.greater_equal``: see ``Tensor.greater_equal``."""
    _expect_tensor(input, "greater_equal")
    return input.greater_equal(other)


def heaviside(input: Tensor, values: Tensor) -> Tensor:
    """``torch.heaviside``: see ``Tensor.heaviside``."""
    _expect_tensor(input, "heaviside")
    return input.heaviside(values)


def hsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """``torch.hsplit``: see ``Tensor.hsplit``."""
    _expect_tensor(input, "hsplit")
    return input.hsplit(indices_or_sections)


def index_add(input: Tensor, dim: int, index: Any, source: Tensor, *, alpha: Scalar = 1) -> Tensor:
    """``torch.index_add``: see ``Tensor.index_add``."""
    _expect_tensor(input, "index_add")
    return input.index_add(dim, index, source, alpha=alpha)


def index_copy(input: Tensor, dim: int, index: Any, source: Tensor) -> Tensor:
    """``torch.index_copy``: see ``Tensor.index_copy``."""
    _expect_tensor(input, "index_copy")
    return input.index_copy(dim, index, source)


def index_fill(input: Tensor, dim: int, index: Any, value: Any) -> Tensor:
    """``torch.index_fill``: see ``Tensor.index_fill``."""
    _expect_tensor(input, "index_fill")
    return input.index_fill(dim, index, value)


def inner(input: Tensor, other: Tensor) -> Tensor:
    """``torch.inner``: see ``Tensor.inner``."""
    _expect_tensor(input, "inner")
    return input.inner(other)


def cholesky(input: Tensor, upper: bool = False) -> Tensor:
    """``torch.cholesky``: see ``linalg.cholesky``."""
    _expect_tensor(input, "cholesky")
    return input.cholesky(upper)


def hash_tensor(
    input: Tensor, dim: int | Sequence[int] | None = None, *, keepdim: bool = False, mode: int = 0
) -> Tensor:
    """``torch.hash_tensor``: see ``Tensor.hash_tensor``."""
    _expect_tensor(input, "hash_tensor")
    return input.hash_tensor(dim, keepdim=keepdim, mode=mode)


def lu(A: Tensor, pivot: bool = True, get_infos: bool = False) -> Any:
    """``torch.lu``: see ``Tensor.lu`` (here with get_infos a named tuple, as torch's)."""
    from . import _linalg_solve

    _expect_tensor(A, "lu", "A")
    return _linalg_solve.old_lu(A, pivot, get_infos)


def lu_solve(b: Tensor, LU_data: Tensor, LU_pivots: Tensor) -> Tensor:
    """``torch.lu_solve``: see ``Tensor.lu_solve``."""
    _expect_tensor(b, "lu_solve", "b")
    return b.lu_solve(LU_data, LU_pivots)


def cholesky_solve(B: Tensor, L: Tensor, upper: bool = False) -> Tensor:
    """``torch.cholesky_solve``: see ``Tensor.cholesky_solve``."""
    _expect_tensor(B, "cholesky_solve", "B")
    return B.cholesky_solve(L, upper)


def cholesky_inverse(L: Tensor, upper: bool = False) -> Tensor:
    """``torch.cholesky_inverse``: see ``Tensor.cholesky_inverse``."""
    _expect_tensor(L, "cholesky_inverse", "L")
    return L.cholesky_inverse(upper)


def logdet(input: Tensor) -> Tensor:
    """``torch.logdet``: see ``Tensor.logdet``."""
    _expect_tensor(input, "logdet")
    return input.logdet()


def slogdet(input: Tensor) -> Any:
    """``torch.slogdet``: see ``linalg.slogdet``."""
    _expect_tensor(input, "slogdet")
    return input.slogdet()


def matrix_power(input: Tensor, n: int) -> Tensor:
    """``torch.matrix_power``: see ``linalg.matrix_power``."""
    _expect_tensor(input, "matrix_power")
    return input.matrix_power(n)


def matrix_exp(A: Tensor) -> Tensor:
    """``torch.matrix_exp``: see ``linalg.matrix_exp``."""
    _expect_tensor(A, "matrix_exp", "A")
    return A.matrix_exp()


def triangular_solve(
    b: Tensor, A: Tensor, upper: bool = True, transpose: bool = False, unitriangular: bool = False
) -> Any:
    """``torch.triangular_solve``: see ``Tensor.triangular_solve``."""
    _expect_tensor(b, "triangular_solve", "b")
    return b.triangular_solve(A, upper, transpose, unitriangular)


def inverse(input: Tensor) -> Tensor:
    """``torch.inverse``: see ``Tensor.inverse``."""
    _expect_tensor(input, "inverse")
    return input.inverse()


def is_complex(input: Tensor) -> bool:
    """``torch.is_complex``: see ``Tensor.is_complex``."""
    _expect_tensor(input, "is_complex")
    return input.is_complex()


def is_signed(input: Tensor) -> bool:
    """``torch.is_signed``: see ``Tensor.is_signed``."""
    _expect_tensor(input, "is_signed")
    return input.is_signed()


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> _KthValue:
    """``torch.kthvalue``: see ``Tensor.kthvalue``."""
    _expect_tensor(input, "kthvalue")
    return input.kthvalue(k, dim, keepdim)


def less(input: Tensor, other: Any) -> Tensor:
    """``torch.less``: see ``Tensor.less``."""
    _expect_tensor(input, "less")
    return input.less(other)


def less_equal(input: Tensor, other: Any) -> Tensor:
    """``torch.less_equal``: see ``Tensor.less_equal``."""
    _expect_tensor(input, "less_equal")
    return input.less_equal(other)


def logaddexp2(input: Tensor, other: Tensor) -> Tensor:
    """``torch.logaddexp2``: see ``Tensor.logaddexp2``."""
    _expect_tensor(input, "logaddexp2")
    return input.logaddexp2(other)


def logcumsumexp(input: Tensor, dim: int) -> Tensor:
    """``torch.logcumsumexp``: see ``Tensor.logcumsumexp``."""
    _expect_tensor(input, "logcumsumexp")
    return input.logcumsumexp(dim)


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    """``torch.logit``: see ``Tensor.logit``."""
    _expect_tensor(input, "logit")
    return input.logit(eps)


def masked_select(input: Tensor, mask: Any) -> Tensor:
    """``torch.masked_select``: see ``Tensor.masked_select``."""
    _expect_tensor(input, "masked_select")
    return input.masked_select(mask)


def mode(input: Tensor, dim: int = -1, keepdim: bool = False) -> _KthValue:
    """``torch.mode``: see ``Tensor.mode``."""
    _expect_tensor(input, "mode")
    return input.mode(dim, keepdim)


def multiply(input: Tensor | Scalar, other: Any) -> Tensor:
    """``torch.multiply``: see ``Tensor.multiply``; a number ``input`` as in ``mul``."""
    if not isinstance(input, Tensor):
        return mul(input, _number_first(input, other, "multiply"))
    return input.multiply(other)


def nanquantile(
    input: Tensor,
    q: Any,
    dim: int | None = None,
    keepdim: bool = False,
    *,
    interpolation: str = "linear",
) -> Tensor:
    """``torch.nanquantile``: see ``Tensor.nanquantile``."""
    _expect_tensor(input, "nanquantile")
    return input.nanquantile(q, dim, keepdim, interpolation=interpolation)


def negative(input: Tensor) -> Tensor:
    """``torch.negative``: see ``Tensor.negative``."""
    _expect_tensor(input, "negative")
    return input.negative()


def not_equal(input: Tensor, other: Any) -> Tensor:
    """``torch.not_equal``: see ``Tensor.not_equal``."""
    _expect_tensor(input, "not_equal")
    return input.not_equal(other)


def quantile(
    input: Tensor,
    q: Any,
    dim: int | None = None,
    keepdim: bool = False,
    *,
    interpolation: str = "linear",
) -> Tensor:
    """``torch.quantile``: see ``Tensor.quantile``."""
    _expect_tensor(input, "quantile")
    return input.quantile(q, dim, keepdim, interpolation=interpolation)


def rad2deg(input: Tensor) -> Tensor:
    """``torch.rad2deg``: see ``Tensor.rad2deg``."""
    _expect_tensor(input, "rad2deg")
    return input.rad2deg()


def ravel(input: Tensor) -> Tensor:
    """``torch.ravel``: see ``Tensor.ravel``."""
    _expect_tensor(input, "ravel")
    return input.ravel()


def remainder(input: Tensor | Scalar, other: Any) -> Tensor:
    """``torch.remainder``: see ``Tensor.remainder``; a number ``input`` as in torch."""
    if not isinstance(input, Tensor):
        input = _number_as_tensor(input, other, "remainder")
    return input.remainder(other)


def repeat_interleave(
    input: Tensor, repeats: Any = None, dim: int | None = None, *, output_size: int | None = None
) -> Tensor:
    """``torch.repeat_interleave``: see ``Tensor.repeat_interleave``.

    Given no ``repeats``, ``input`` is the repeats, a 1-D integer tensor, and the result repeats
    each index ``i`` ``input[i]`` times (torch's ``repeat_interleave(repeats)``: ``[1, 2]``
    gives ``[0, 1, 1]``), in ``input``'s dtype."""
    _expect_tensor(input, "repeat_interleave")
    if repeats is not None:
        return input.repeat_interleave(repeats, dim, output_size=output_size)
    if dim is not None:
        raise TypeError(
            "repeat_interleave(): given only the repeats (no input), it takes no dim, got "
            f"dim={dim}"
        )
    if input.ndim != 1 or input.data.dtype.kind not in "iu":
        raise RuntimeError(
            "repeat_interleave(): the repeats alone must be a 1-D tensor of integers, got dtype "
            f"{input.dtype} and shape {input.shape}"
        )
    index = Tensor._make(np.arange(input.shape[0], dtype=input.data.dtype))
    return index.repeat_interleave(input, output_size=output_size)


def rot90(input: Tensor, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
    """``torch.rot90``: see ``Tensor.rot90``."""
    _expect_tensor(input, "rot90")
    return input.rot90(k, dims)


def scatter(input: Tensor, dim: int, index: Any, src: Any) -> Tensor:
    """``torch.scatter``: see ``Tensor.scatter``."""
    _expect_tensor(input, "scatter")
    return input.scatter(dim, index, src)


def scatter_add(input: Tensor, dim: int, index: Any, src: Tensor) -> Tensor:
    """``torch.scatter_add``: see ``Tensor.scatter_add``."""
    _expect_tensor(input, "scatter_add")
    return input.scatter_add(dim, index, src)


def sgn(input: Tensor) -> Tensor:
    """``torch.sgn``: see ``Tensor.sgn``."""
    _expect_tensor(input, "sgn")
    return input.sgn()


def signbit(input: Tensor) -> Tensor:
    """``torch.signbit``: see ``Tensor.signbit``."""
    _expect_tensor(input, "signbit")
    return input.signbit()


def sinc(input: Tensor) -> Tensor:
    """``torch.sinc``: see ``Tensor.sinc``."""
    _expect_tensor(input, "sinc")
    return input.sinc()


def sinh(input: Tensor) -> Tensor:
    """``torch.sinh``: see ``Tensor.sinh``."""
    _expect_tensor(input, "sinh")
    return input.sinh()


# special functions (tinygrad_ed.special has torch.special's names for these and more)


def lgamma(input: Tensor) -> Tensor:
    """``torch.lgamma``: see ``Tensor.lgamma``."""
    _expect_tensor(input, "lgamma")
    return input.lgamma()


def digamma(input: Tensor) -> Tensor:
    """``torch.digamma``: see ``Tensor.digamma``."""
    _expect_tensor(input, "digamma")
    return input.digamma()


def polygamma(n: int, input: Tensor) -> Tensor:
    """``torch.polygamma``: see ``Tensor.polygamma``."""
    _expect_tensor(input, "polygamma")
    return input.polygamma(n)


def mvlgamma(input: Tensor, p: int) -> Tensor:
    """``torch.mvlgamma``: see ``Tensor.mvlgamma``."""
    _expect_tensor(input, "mvlgamma")
    return input.mvlgamma(p)


def erfc(input: Tensor) -> Tensor:
    """``torch.erfc``: see ``Tensor.erfc``."""
    _expect_tensor(input, "erfc")
    return input.erfc()


def erfinv(input: Tensor) -> Tensor:
    """``torch.erfinv``: see ``Tensor.erfinv``."""
    _expect_tensor(input, "erfinv")
    return input.erfinv()


def i0(input: Tensor) -> Tensor:
    """``torch.i0``: see ``Tensor.i0``."""
    _expect_tensor(input, "i0")
    return input.i0()


def igamma(input: Tensor, other: Tensor) -> Tensor:
    """``torch.igamma``: see ``Tensor.igamma``."""
    _expect_tensor(input, "igamma")
    _expect_tensor(other, "igamma", "other")
    return input.igamma(other)


def igammac(input: Tensor, other: Tensor) -> Tensor:
    """``torch.igammac``: see ``Tensor.igammac``."""
    _expect_tensor(input, "igammac")
    _expect_tensor(other, "igammac", "other")
    return input.igammac(other)


def split_with_sizes(input: Tensor, split_sizes: Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
    """``torch.split_with_sizes``: see ``Tensor.split_with_sizes``."""
    _expect_tensor(input, "split_with_sizes")
    return input.split_with_sizes(split_sizes, dim)


def subtract(input: Tensor | Scalar, other: Any, *, alpha: Scalar = 1) -> Tensor:
    """``torch.subtract``: see ``Tensor.subtract``; a number ``input`` as in ``sub``."""
    if not isinstance(input, Tensor):
        return sub(input, _number_first(input, other, "subtract"), alpha=alpha)
    return input.subtract(other, alpha=alpha)


def take(input: Tensor, index: Any) -> Tensor:
    """``torch.take``: see ``Tensor.take``."""
    _expect_tensor(input, "take")
    return input.take(index)


def take_along_dim(input: Tensor, indices: Any, dim: int | None = None) -> Tensor:
    """``torch.take_along_dim``: see ``Tensor.take_along_dim``."""
    _expect_tensor(input, "take_along_dim")
    return input.take_along_dim(indices, dim)


def tan(input: Tensor) -> Tensor:
    """``torch.tan``: see ``Tensor.tan``."""
    _expect_tensor(input, "tan")
    return input.tan()


def tensor_split(input: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """``torch.tensor_split``: see ``Tensor.tensor_split``."""
    _expect_tensor(input, "tensor_split")
    return input.tensor_split(indices_or_sections, dim)


def true_divide(input: Tensor | Scalar, other: Any) -> Tensor:
    """``torch.true_divide``: see ``Tensor.true_divide``; a number ``input`` as in ``div``."""
    if not isinstance(input, Tensor):
        return div(input, _number_first(input, other, "true_divide"))
    return input.true_divide(other)


def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    """``torch.unflatten``: see ``Tensor.unflatten``."""
    _expect_tensor(input, "unflatten")
    return input.unflatten(dim, sizes)


def vsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """``torch.vsplit``: see ``Tensor.vsplit``."""
    _expect_tensor(input, "vsplit")
    return input.vsplit(indices_or_sections)


def xlogy(input: Tensor | Scalar, other: Any) -> Tensor:
    """``torch.xlogy``: see ``Tensor.xlogy``; a number ``input`` as in torch."""
    if not isinstance(input, Tensor):
        input = _number_as_tensor(input, other, "xlogy")
    return input.xlogy(other)


# ----------------------------------------------------------------------------- integers, scatters


def bitwise_and(input: Tensor, other: Any) -> Tensor:
    """``torch.bitwise_and``: see ``Tensor.bitwise_and``."""
    _expect_tensor(input, "bitwise_and")
    return input.bitwise_and(other)


def bitwise_or(input: Tensor, other: Any) -> Tensor:
    """``torch.bitwise_or``: see ``Tensor.bitwise_or``."""
    _expect_tensor(input, "bitwise_or")
    return input.bitwise_or(other)


def bitwise_xor(input: Tensor, other: Any) -> Tensor:
    """``torch.bitwise_xor``: see ``Tensor.bitwise_xor``."""
    _expect_tensor(input, "bitwise_xor")
    return input.bitwise_xor(other)


def bitwise_not(input: Tensor) -> Tensor:
    """``torch.bitwise_not``: see ``Tensor.bitwise_not``."""
    _expect_tensor(input, "bitwise_not")
    return input.bitwise_not()


def bitwise_left_shift(input: Tensor, other: Any) -> Tensor:
    """``torch.bitwise_left_shift``: see ``Tensor.bitwise_left_shift``."""
    _expect_tensor(input, "bitwise_left_shift")
    return input.bitwise_left_shift(other)


def bitwise_right_shift(input: Tensor, other: Any) -> Tensor:
    """``torch.bitwise_right_shift``: see ``Tensor.bitwise_right_shift``."""
    _expect_tensor(input, "bitwise_right_shift")
    return input.bitwise_right_shift(other)


def gcd(input: Tensor, other: Tensor) -> Tensor:
    """``torch.gcd``: see ``Tensor.gcd``."""
    _expect_tensor(input, "gcd")
    return input.gcd(other)


def lcm(input: Tensor, other: Tensor) -> Tensor:
    """``torch.lcm``: see ``Tensor.lcm``."""
    _expect_tensor(input, "lcm")
    return input.lcm(other)


def frexp(input: Tensor) -> _more.Frexp:
    """``torch.frexp``: see ``Tensor.frexp``."""
    _expect_tensor(input, "frexp")
    return input.frexp()


def ldexp(input: Tensor, other: Tensor) -> Tensor:
    """``torch.ldexp``: see ``Tensor.ldexp``."""
    _expect_tensor(input, "ldexp")
    return input.ldexp(other)


def nextafter(input: Tensor, other: Tensor) -> Tensor:
    """``torch.nextafter``: see ``Tensor.nextafter``."""
    _expect_tensor(input, "nextafter")
    return input.nextafter(other)


def scatter_reduce(
    input: Tensor, dim: int, index: Any, src: Tensor, reduce: str, *, include_self: bool = True
) -> Tensor:
    """``torch.scatter_reduce``: see ``Tensor.scatter_reduce``."""
    _expect_tensor(input, "scatter_reduce")
    return input.scatter_reduce(dim, index, src, reduce, include_self=include_self)


def index_reduce(
    input: Tensor, dim: int, index: Any, source: Tensor, reduce: str, *, include_self: bool = True
) -> Tensor:
    """``torch.index_reduce``: see ``Tensor.index_reduce``."""
    _expect_tensor(input, "index_reduce")
    return input.index_reduce(dim, index, source, reduce, include_self=include_self)


def index_put(input: Tensor, indices: Any, values: Tensor, accumulate: bool = False) -> Tensor:
    """``torch.index_put``: see ``Tensor.index_put``."""
    _expect_tensor(input, "index_put")
    return input.index_put(indices, values, accumulate)


def put(input: Tensor, index: Any, source: Tensor, accumulate: bool = False) -> Tensor:
    """``torch.put``: see ``Tensor.put``."""
    _expect_tensor(input, "put")
    return input.put(index, source, accumulate)


def masked_scatter(input: Tensor, mask: Any, source: Tensor) -> Tensor:
    """``torch.masked_scatter``: see ``Tensor.masked_scatter``."""
    _expect_tensor(input, "masked_scatter")
    return input.masked_scatter(mask, source)


def select_scatter(input: Tensor, src: Tensor, dim: int, index: int) -> Tensor:
    """``torch.select_scatter``: see ``Tensor.select_scatter``."""
    _expect_tensor(input, "select_scatter")
    return input.select_scatter(src, dim, index)


def slice_scatter(
    input: Tensor,
    src: Tensor,
    dim: int = 0,
    start: int | None = None,
    end: int | None = None,
    step: int = 1,
) -> Tensor:
    """``torch.slice_scatter``: see ``Tensor.slice_scatter``."""
    _expect_tensor(input, "slice_scatter")
    return input.slice_scatter(src, dim, start, end, step)


def diagonal_scatter(
    input: Tensor, src: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1
) -> Tensor:
    """``torch.diagonal_scatter``: see ``Tensor.diagonal_scatter``."""
    _expect_tensor(input, "diagonal_scatter")
    return input.diagonal_scatter(src, offset, dim1, dim2)


def renorm(input: Tensor, p: Scalar, dim: int, maxnorm: Scalar) -> Tensor:
    """``torch.renorm``: see ``Tensor.renorm``."""
    _expect_tensor(input, "renorm")
    return input.renorm(p, dim, maxnorm)


def narrow_copy(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """``torch.narrow_copy``: see ``Tensor.narrow_copy``."""
    _expect_tensor(input, "narrow_copy")
    return input.narrow_copy(dim, start, length)


def hardshrink(input: Tensor, lambd: Scalar = 0.5) -> Tensor:
    """``torch.hardshrink``: see ``Tensor.hardshrink``."""
    _expect_tensor(input, "hardshrink")
    return input.hardshrink(lambd)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """``torch.prelu``: see ``Tensor.prelu``."""
    _expect_tensor(input, "prelu")
    return input.prelu(weight)


def is_same_size(input: Tensor, other: Tensor) -> bool:
    """``torch.is_same_size``: see ``Tensor.is_same_size``."""
    _expect_tensor(input, "is_same_size")
    return input.is_same_size(other)


def is_nonzero(input: Tensor) -> bool:
    """``torch.is_nonzero``: see ``Tensor.is_nonzero``."""
    _expect_tensor(input, "is_nonzero")
    return input.is_nonzero()


def adjoint(input: Tensor) -> Tensor:
    """``torch.adjoint``: see ``Tensor.adjoint``."""
    _expect_tensor(input, "adjoint")
    return input.adjoint()


def conj(input: Tensor) -> Tensor:
    """``torch.conj``: see ``Tensor.conj``."""
    _expect_tensor(input, "conj")
    return input.conj()


def conj_physical(input: Tensor) -> Tensor:
    """``torch.conj_physical``: see ``Tensor.conj_physical``."""
    _expect_tensor(input, "conj_physical")
    return input.conj_physical()


def resolve_conj(input: Tensor) -> Tensor:
    """``torch.resolve_conj``: see ``Tensor.resolve_conj``."""
    _expect_tensor(input, "resolve_conj")
    return input.resolve_conj()


def resolve_neg(input: Tensor) -> Tensor:
    """``torch.resolve_neg``: see ``Tensor.resolve_neg``."""
    _expect_tensor(input, "resolve_neg")
    return input.resolve_neg()


def is_conj(input: Tensor) -> bool:
    """``torch.is_conj``: see ``Tensor.is_conj``."""
    _expect_tensor(input, "is_conj")
    return input.is_conj()


def is_neg(input: Tensor) -> bool:
    """``torch.is_neg``: see ``Tensor.is_neg``."""
    _expect_tensor(input, "is_neg")
    return input.is_neg()


def isreal(input: Tensor) -> Tensor:
    """``torch.isreal``: see ``Tensor.isreal``."""
    _expect_tensor(input, "isreal")
    return input.isreal()


def real(input: Tensor) -> Tensor:
    """``torch.real``: see ``Tensor.real`` (the tensor itself, as a view, for real values)."""
    _expect_tensor(input, "real")
    return input.real


def imag(input: Tensor) -> Tensor:
    """``torch.imag``: refused for real tensors, as torch; see ``Tensor.imag``."""
    _expect_tensor(input, "imag")
    return input.imag


def bernoulli(input: Tensor, *, generator: Any = None) -> Tensor:
    """``torch.bernoulli``: see ``Tensor.bernoulli`` (input holds the probabilities)."""
    _expect_tensor(input, "bernoulli")
    return input.bernoulli(generator=generator)


# ----------------------------------------------------------------------------- more of torch


def argwhere(input: Tensor) -> Tensor:
    """``torch.argwhere``: see ``Tensor.argwhere``."""
    _expect_tensor(input, "argwhere")
    return input.argwhere()


def msort(input: Tensor) -> Tensor:
    """``torch.msort``: see ``Tensor.msort``."""
    _expect_tensor(input, "msort")
    return input.msort()


def select(input: Tensor, dim: int, index: int) -> Tensor:
    """``torch.select``: see ``Tensor.select``."""
    _expect_tensor(input, "select")
    return input.select(dim, index)


def positive(input: Tensor) -> Tensor:
    """``torch.positive``: see ``Tensor.positive``."""
    _expect_tensor(input, "positive")
    return input.positive()


def vdot(input: Tensor, other: Tensor) -> Tensor:
    """``torch.vdot``: see ``Tensor.vdot``."""
    _expect_tensor(input, "vdot")
    return input.vdot(other)


def fmax(input: Tensor, other: Any) -> Tensor:
    """``torch.fmax``: see ``Tensor.fmax``."""
    _expect_tensor(input, "fmax")
    return input.fmax(other)


def fmin(input: Tensor, other: Any) -> Tensor:
    """``torch.fmin``: see ``Tensor.fmin``."""
    _expect_tensor(input, "fmin")
    return input.fmin(other)


def logical_not(input: Tensor) -> Tensor:
    """``torch.logical_not``: see ``Tensor.logical_not``."""
    _expect_tensor(input, "logical_not")
    return input.logical_not()


def logical_and(input: Tensor, other: Any) -> Tensor:
    """``torch.logical_and``: see ``Tensor.logical_and``."""
    _expect_tensor(input, "logical_and")
    return input.logical_and(other)


def logical_or(input: Tensor, other: Any) -> Tensor:
    """``torch.logical_or``: see ``Tensor.logical_or``."""
    _expect_tensor(input, "logical_or")
    return input.logical_or(other)


def logical_xor(input: Tensor, other: Any) -> Tensor:
    """``torch.logical_xor``: see ``Tensor.logical_xor``."""
    _expect_tensor(input, "logical_xor")
    return input.logical_xor(other)


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """``torch.bincount``: see ``Tensor.bincount``."""
    _expect_tensor(input, "bincount")
    return input.bincount(weights, minlength)


def histc(input: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:
    """``torch.histc``: see ``Tensor.histc``."""
    _expect_tensor(input, "histc")
    return input.histc(bins, min, max)


def unique(
    input: Tensor,
    sorted: bool = True,
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: int | None = None,
) -> Tensor | tuple[Tensor, ...]:
    """``torch.unique``: see ``Tensor.unique``."""
    _expect_tensor(input, "unique")
    return input.unique(sorted, return_inverse, return_counts, dim)


def unique_consecutive(
    input: Tensor, return_inverse: bool = False, return_counts: bool = False, dim: int | None = None
) -> Tensor | tuple[Tensor, ...]:
    """``torch.unique_consecutive``: see ``Tensor.unique_consecutive``."""
    _expect_tensor(input, "unique_consecutive")
    return input.unique_consecutive(return_inverse, return_counts, dim)


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """``torch.diag_embed``: see ``Tensor.diag_embed``."""
    _expect_tensor(input, "diag_embed")
    return input.diag_embed(offset, dim1, dim2)


def diagflat(input: Tensor, offset: int = 0) -> Tensor:
    """``torch.diagflat``: see ``Tensor.diagflat``."""
    _expect_tensor(input, "diagflat")
    return input.diagflat(offset)


def baddbmm(
    input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1
) -> Tensor:
    """``torch.baddbmm``: see ``Tensor.baddbmm``."""
    _expect_tensor(input, "baddbmm")
    return input.baddbmm(batch1, batch2, beta=beta, alpha=alpha)


def addbmm(
    input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1
) -> Tensor:
    """``torch.addbmm``: see ``Tensor.addbmm``."""
    _expect_tensor(input, "addbmm")
    return input.addbmm(batch1, batch2, beta=beta, alpha=alpha)


def dist(input: Tensor, other: Tensor, p: float = 2) -> Tensor:
    """``torch.dist``: see ``Tensor.dist``."""
    _expect_tensor(input, "dist")
    return input.dist(other, p)


def isin(
    elements: Any, test_elements: Any, *, assume_unique: bool = False, invert: bool = False
) -> Tensor:
    """``torch.isin``: whether each of ``elements`` (a tensor or a number) is in
    ``test_elements``; no grad."""
    if isinstance(elements, Tensor):
        x: Tensor = elements
    elif isinstance(test_elements, Tensor) and isinstance(elements, numbers.Number):
        x = Tensor._make(np.asarray(elements))
    else:
        raise TypeError(
            "isin(): elements and test_elements must be Tensors or numbers, one a Tensor, got "
            f"{type(elements).__name__} and {type(test_elements).__name__}"
        )
    return x.isin(test_elements, assume_unique=assume_unique, invert=invert)


def rsub(input: Tensor, other: Any, *, alpha: Scalar = 1) -> Tensor:
    """``torch.rsub``: other − alpha·input."""
    _expect_tensor(input, "rsub")
    scaled: Tensor = input if alpha == 1 else input * alpha
    return scaled.__rsub__(other)


# ----------------------------------------------------------------------------- numerics of samples


def histogram(
    input: Tensor,
    bins: Any,
    *,
    range: tuple[float, float] | None = None,
    weight: Tensor | None = None,
    density: bool = False,
) -> _more.Histogram:
    """``torch.histogram``: see ``Tensor.histogram``."""
    _expect_tensor(input, "histogram")
    return input.histogram(bins, range=range, weight=weight, density=density)


def histogramdd(
    input: Tensor,
    bins: Any,
    *,
    range: Sequence[float] | None = None,
    weight: Tensor | None = None,
    density: bool = False,
) -> _more.Histogramdd:
    """``torch.histogramdd``: (hist, bin_edges) of the points in the rows of input (…, D), D
    edges tensors; see ``_methods_more.histogramdd``. No grad, as torch."""
    _expect_tensor(input, "histogramdd")
    return _more.histogramdd(input, bins, range=range, weight=weight, density=density)


def gradient(
    input: Tensor, *, spacing: Any = 1, dim: int | Sequence[int] | None = None, edge_order: int = 1
) -> tuple[Tensor, ...]:
    """``torch.gradient``: the derivatives of sampled values by finite differences; see
    ``_methods_more.gradient``."""
    _expect_tensor(input, "gradient")
    return _more.gradient(input, spacing=spacing, dim=dim, edge_order=edge_order)


def trapezoid(y: Tensor, x: Tensor | None = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """``torch.trapezoid``: the trapezoidal rule along ``dim``; see
    ``_methods_more.trapezoid``."""
    return _more.trapezoid(y, x, dx=dx, dim=dim)


def trapz(y: Tensor, x: Tensor | None = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """``torch.trapz``: ``trapezoid``."""
    return _more.trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(
    y: Tensor, x: Tensor | None = None, *, dx: Any = None, dim: int = -1
) -> Tensor:
    """``torch.cumulative_trapezoid``: the running trapezoidal rule; see
    ``_methods_more.cumulative_trapezoid``."""
    return _more.cumulative_trapezoid(y, x, dx=dx, dim=dim)


def vander(x: Tensor, N: int | None = None, increasing: bool = False) -> Tensor:
    """``torch.vander``: the Vandermonde matrix of a vector; see ``_methods_more.vander``."""
    return _more.vander(x, N, increasing)


def chain_matmul(*matrices: Tensor) -> Tensor:
    """``torch.chain_matmul``: the product of 2-D matrices, left to right (torch picks the
    cheapest order; the value is the same up to rounding). Deprecated in torch, which warns;
    so does this."""
    warn(
        "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
        "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather "
        "than multiple parameters.",
        UserWarning,
    )
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for i, m in enumerate(matrices):
        _expect_tensor(m, "chain_matmul", f"matrices[{i}]")
        if m.ndim != 2:
            raise RuntimeError(
                f"chain_matmul(): Tensor dimension is {m.ndim}, expected 2 instead (matrices[{i}] "
                f"of shape {m.shape})"
            )
    out = matrices[0].clone() if len(matrices) == 1 else matrices[0].mm(matrices[1])
    for m in matrices[2:]:
        out = out.mm(m)
    return out


# torch's top-level forms of functional ones (torch.dropout(input, p, train) and so on).


def dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """``torch.dropout``: ``F.dropout(input, p, training=train)``."""
    _expect_tensor(input, "dropout")
    return F.dropout(input, p, train)


def feature_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """``torch.feature_dropout``: dropout of whole channels of an (N, C, …) input."""
    _expect_tensor(input, "feature_dropout")
    # dropout2d's own code: torch's feature_dropout has no warning for ranks other than 3 and 4
    return F._channel_dropout(input, p, train, False, "dropout2d", batched_rank=4, unbatched=False)


def alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """``torch.alpha_dropout``: ``F.alpha_dropout(input, p, training=train)``."""
    _expect_tensor(input, "alpha_dropout")
    return F.alpha_dropout(input, p, train)


def feature_alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """``torch.feature_alpha_dropout``: ``F.feature_alpha_dropout(input, p, training=train)``."""
    _expect_tensor(input, "feature_alpha_dropout")
    return F.feature_alpha_dropout(input, p, train)


def dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """``torch.dropout_``: ``dropout`` written into ``input``, which is returned (recorded on a
    tensor autograd follows; refused on a leaf that requires grad, as torch)."""
    _expect_tensor(input, "dropout_")
    return F.dropout(input, p, train, inplace=True)


def feature_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """``torch.feature_dropout_``: ``feature_dropout`` written into ``input``."""
    _expect_tensor(input, "feature_dropout_")
    return F._channel_dropout(input, p, train, True, "dropout2d", batched_rank=4, unbatched=False)


def alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """``torch.alpha_dropout_``: ``alpha_dropout`` written into ``input``."""
    _expect_tensor(input, "alpha_dropout_")
    return F.alpha_dropout(input, p, train, inplace=True)


def feature_alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """``torch.feature_alpha_dropout_``: ``feature_alpha_dropout`` written into ``input``."""
    _expect_tensor(input, "feature_alpha_dropout_")
    return F.feature_alpha_dropout(input, p, train, inplace=True)


def embedding(
    weight: Tensor,
    indices: Tensor,
    padding_idx: int = -1,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """``torch.embedding``: ``F.embedding(indices, weight, …)`` with torch's low-level order of
    arguments; a negative ``padding_idx`` means none."""
    _expect_tensor(weight, "embedding", "weight")
    pad = None if padding_idx < 0 else padding_idx
    return F.embedding(indices, weight, pad, scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


def embedding_bag(
    weight: Tensor,
    indices: Tensor,
    offsets: Tensor,
    scale_grad_by_freq: bool = False,
    mode: int = 0,
    sparse: bool = False,
    per_sample_weights: Tensor | None = None,
    include_last_offset: bool = False,
    padding_idx: int | None = None,
) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """``torch.embedding_bag``: ``F.embedding_bag`` of 1-d ``indices`` in bags starting at
    ``offsets``, with the mode as an int (0 sum, 1 mean, 2 max; F's default is the mean, this
    one's the sum, as torch's), and torch's bookkeeping beside the output (int64, no grad):

    * offset2bag: the bag of each index;
    * bag_size: the entries of each bag, padding_idx left out (0s for the sum);
    * max_indices: for the max, (bags, D) the row each maximum came from (the first of ties, 0
      for an empty bag); bag_size again for the mean, zeros for the sum.
    """
    op = "embedding_bag"
    _expect_tensor(weight, op, "weight")
    _expect_tensor(indices, op, "indices")
    _expect_tensor(offsets, op, "offsets")
    if isinstance(mode, bool) or not isinstance(mode, numbers.Integral):
        raise TypeError(f"{op}(): argument 'mode' must be int, not {type(mode).__name__}")
    if not 0 <= mode <= 2:
        raise OpError(f"{op}(): `mode` must be sum (0), mean (1), or max (2), got {mode}")
    if indices.ndim != 1:
        raise OpError(
            f"{op}(): indices must be 1-d, in bags starting at offsets, got shape "
            f"{indices.shape} (F.embedding_bag takes 2-d bags)"
        )
    name = ("sum", "mean", "max")[int(mode)]
    out = F.embedding_bag(
        indices,
        weight,
        offsets,
        scale_grad_by_freq=scale_grad_by_freq,
        mode=name,
        sparse=sparse,
        per_sample_weights=per_sample_weights,
        include_last_offset=include_last_offset,
        padding_idx=padding_idx,
    )
    # (F checked the arguments.) The bag of each index, and the entries that count.
    spans = F._bags(indices, offsets, include_last_offset, op)
    idx = indices.data.astype(np.int64)
    bag = np.searchsorted(spans[:, 0], np.arange(idx.size), side="right") - 1
    bag = np.maximum(bag, 0)
    pad = F._padding_idx(padding_idx, weight.shape[0], op)
    kept = idx != pad if pad is not None else np.ones(idx.size, dtype=bool)
    size = np.bincount(bag[kept], minlength=spans.shape[0]).astype(np.int64)
    if name == "sum":
        # (one per bag, as torch's with gradients; without, it makes one per offset)
        size = np.zeros(spans.shape[0], dtype=np.int64)
        rows = size.copy()
    elif name == "mean":
        rows = size.copy()
    else:
        rows = np.zeros((spans.shape[0], weight.shape[1]), dtype=np.int64)
        for b in np.unique(bag[kept]):
            entries = idx[kept & (bag == b)]
            rows[b] = entries[np.argmax(weight.data[entries], axis=0)]  # the first of ties
    return out, Tensor._make(bag), Tensor._make(size), Tensor._make(rows)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """``torch.cosine_similarity``: ``F.cosine_similarity``."""
    _expect_tensor(x1, "cosine_similarity", "x1")
    return F.cosine_similarity(x1, x2, dim, eps)


def pairwise_distance(
    x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False
) -> Tensor:
    """``torch.pairwise_distance``: ``F.pairwise_distance``."""
    _expect_tensor(x1, "pairwise_distance", "x1")
    return F.pairwise_distance(x1, x2, p, eps, keepdim)


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """``torch.pixel_shuffle``: ``F.pixel_shuffle``."""
    _expect_tensor(input, "pixel_shuffle")
    return F.pixel_shuffle(input, upscale_factor)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """``torch.pixel_unshuffle``: ``F.pixel_unshuffle``."""
    _expect_tensor(input, "pixel_unshuffle")
    return F.pixel_unshuffle(input, downscale_factor)


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``torch.bilinear``: ``F.bilinear``."""
    _expect_tensor(input1, "bilinear", "input1")
    return F.bilinear(input1, input2, weight, bias)


def celu(input: Tensor, alpha: Scalar = 1.0) -> Tensor:
    """``torch.celu``: ``F.celu``."""
    _expect_tensor(input, "celu")
    return F.celu(input, alpha)


def selu(input: Tensor) -> Tensor:
    """``torch.selu``: ``F.selu``."""
    _expect_tensor(input, "selu")
    return F.selu(input)


def threshold(input: Tensor, threshold: Scalar, value: Scalar) -> Tensor:
    """``torch.threshold``: ``F.threshold``."""
    _expect_tensor(input, "threshold")
    return F.threshold(input, threshold, value)


def rrelu(
    input: Tensor,
    lower: Scalar = 1.0 / 8,
    upper: Scalar = 1.0 / 3,
    training: bool = False,
    generator: Any = None,
) -> Tensor:
    """``torch.rrelu``: ``F.rrelu``, its slopes drawn from ``generator`` (a tg or numpy
    Generator; None: the global one)."""
    _expect_tensor(input, "rrelu")
    return F._rrelu(input, lower, upper, training, generator)


def pdist(input: Tensor, p: Scalar = 2) -> Tensor:
    """``torch.pdist``: ``F.pdist``."""
    _expect_tensor(input, "pdist")
    return F.pdist(input, p)


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """``torch.channel_shuffle``: ``F.channel_shuffle``."""
    _expect_tensor(input, "channel_shuffle")
    return F.channel_shuffle(input, groups)


def avg_pool1d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    """``torch.avg_pool1d``: ``F.avg_pool1d``."""
    _expect_tensor(input, "avg_pool1d")
    return F.avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad)


def adaptive_avg_pool1d(input: Tensor, output_size: Any) -> Tensor:
    """``torch.adaptive_avg_pool1d``: ``F.adaptive_avg_pool1d``."""
    _expect_tensor(input, "adaptive_avg_pool1d")
    return F.adaptive_avg_pool1d(input, output_size)


def adaptive_max_pool1d(input: Tensor, output_size: Any) -> tuple[Tensor, Tensor]:
    """``torch.adaptive_max_pool1d``: ``F.adaptive_max_pool1d`` with its indices (torch's
    top-level form always returns both)."""
    _expect_tensor(input, "adaptive_max_pool1d")
    out: tuple[Tensor, Tensor] = F.adaptive_max_pool1d(input, output_size, return_indices=True)
    return out


def max_pool1d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
) -> Tensor:
    """``torch.max_pool1d``: ``F.max_pool1d``."""
    _expect_tensor(input, "max_pool1d")
    out: Tensor = F.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)
    return out


def max_pool1d_with_indices(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
) -> tuple[Tensor, Tensor]:
    """``torch.max_pool1d_with_indices``: ``F.max_pool1d_with_indices``."""
    _expect_tensor(input, "max_pool1d_with_indices")
    return F.max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool2d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
) -> Tensor:
    """``torch.max_pool2d``: ``F.max_pool2d``."""
    _expect_tensor(input, "max_pool2d")
    out: Tensor = F.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)
    return out


def max_pool3d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
) -> Tensor:
    """``torch.max_pool3d``: ``F.max_pool3d``."""
    _expect_tensor(input, "max_pool3d")
    out: Tensor = F.max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode)
    return out


# torch's low-level forms of normalizations and losses: positional flags that nn.functional
# names, and the reduction as an int (0 none, 1 mean, 2 sum). torch 2.13's Python binding
# reduces nothing when ``reduction`` is omitted (its stub says 1, the parsed default is 0),
# so the default here is 0, giving what torch gives.

_REDUCTIONS = ("none", "mean", "sum")


def _reduction(reduction: Any, op: str) -> str:
    """torch's int enum as nn.functional's name; torch takes any other int as 0."""
    if isinstance(reduction, bool) or not isinstance(reduction, numbers.Integral):
        raise TypeError(
            f"{op}(): argument 'reduction' must be int (0 none, 1 mean, 2 sum), not "
            f"{type(reduction).__name__}"
        )
    value = operator.index(reduction)
    if not 0 <= value <= 2:
        raise OpError(f"{op}(): reduction must be 0 (none), 1 (mean) or 2 (sum), got {value}")
    return _REDUCTIONS[value]


def _cudnn(value: Any, op: str, name: str) -> None:
    """A cuDNN switch, taken and ignored (no cuDNN here), but a bool, as torch checks."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{op}(): argument '{name}' must be bool, not {type(value).__name__}")


def layer_norm(
    input: Tensor,
    normalized_shape: Sequence[int],
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
    cudnn_enable: bool = True,
) -> Tensor:
    """``torch.layer_norm``: ``F.layer_norm`` (``cudnn_enable`` ignored)."""
    _expect_tensor(input, "layer_norm")
    _cudnn(cudnn_enable, "layer_norm", "cudnn_enable")
    return F.layer_norm(input, normalized_shape, weight, bias, eps)


def group_norm(
    input: Tensor,
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
    cudnn_enabled: bool = True,
) -> Tensor:
    """``torch.group_norm``: ``F.group_norm`` (``cudnn_enabled`` ignored), groups of one value
    accepted (normalized to 0: the output is the bias, as torch's)."""
    _expect_tensor(input, "group_norm")
    _cudnn(cudnn_enabled, "group_norm", "cudnn_enabled")
    return F._group_norm(input, num_groups, weight, bias, eps, one_value_ok=True)


def batch_norm(
    input: Tensor,
    weight: Tensor | None,
    bias: Tensor | None,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    training: bool,
    momentum: float,
    eps: float,
    cudnn_enabled: bool,
) -> Tensor:
    """``torch.batch_norm``: ``F.batch_norm`` with the affine parameters before the running
    statistics, all arguments required (``cudnn_enabled`` ignored), one value per channel
    accepted in training (normalized to 0: the output is the bias, as torch's)."""
    _expect_tensor(input, "batch_norm")
    _cudnn(cudnn_enabled, "batch_norm", "cudnn_enabled")
    return F._checked_batch_norm(
        input, running_mean, running_var, weight, bias, training, momentum, eps, True
    )


def instance_norm(
    input: Tensor,
    weight: Tensor | None,
    bias: Tensor | None,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    use_input_stats: bool,
    momentum: float,
    eps: float,
    cudnn_enabled: bool,
) -> Tensor:
    """``torch.instance_norm``: ``F.instance_norm`` with the affine parameters first, all
    arguments required (``cudnn_enabled`` ignored), and one spatial element accepted (the
    output is then the bias, as torch's)."""
    _expect_tensor(input, "instance_norm")
    _cudnn(cudnn_enabled, "instance_norm", "cudnn_enabled")
    return F._instance_norm(
        input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps
    )


def ctc_loss(
    log_probs: Tensor,
    targets: Tensor,
    input_lengths: Any,
    target_lengths: Any,
    blank: int = 0,
    reduction: int = 0,
    zero_infinity: bool = False,
) -> Tensor:
    """``torch.ctc_loss``: ``F.ctc_loss`` with the reduction as an int (0 none, 1 mean: each
    loss over its target length, then over the batch; 2 sum)."""
    _expect_tensor(log_probs, "ctc_loss", "log_probs")
    how = _reduction(reduction, "ctc_loss")
    return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, how, zero_infinity)


def kl_div(
    input: Tensor, target: Tensor, reduction: int = 0, *, log_target: bool = False
) -> Tensor:
    """``torch.kl_div``: ``F.kl_div`` with the reduction as an int; 1 is the mean over every
    element (without F's warning that 'batchmean' is the KL divergence)."""
    _expect_tensor(input, "kl_div")
    how = _reduction(reduction, "kl_div")
    loss = F.kl_div(input, target, reduction="none", log_target=log_target)
    return loss.mean() if how == "mean" else loss.sum() if how == "sum" else loss


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    pos_weight: Tensor | None = None,
    reduction: int = 0,
) -> Tensor:
    """``torch.binary_cross_entropy_with_logits``: ``F``'s, the reduction as an int."""
    op = "binary_cross_entropy_with_logits"
    _expect_tensor(input, op)
    how = _reduction(reduction, op)
    return F.binary_cross_entropy_with_logits(
        input, target, weight, reduction=how, pos_weight=pos_weight
    )


def poisson_nll_loss(
    input: Tensor, target: Tensor, log_input: bool, full: bool, eps: float, reduction: int
) -> Tensor:
    """``torch.poisson_nll_loss``: ``F.poisson_nll_loss``, every argument required, the
    reduction as an int."""
    _expect_tensor(input, "poisson_nll_loss")
    how = _reduction(reduction, "poisson_nll_loss")
    return F.poisson_nll_loss(input, target, log_input, full, eps=eps, reduction=how)


def hinge_embedding_loss(
    input: Tensor, target: Tensor, margin: float = 1.0, reduction: int = 0
) -> Tensor:
    """``torch.hinge_embedding_loss``: ``F.hinge_embedding_loss``, the reduction as an int."""
    _expect_tensor(input, "hinge_embedding_loss")
    how = _reduction(reduction, "hinge_embedding_loss")
    return F.hinge_embedding_loss(input, target, margin, reduction=how)


def margin_ranking_loss(
    input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0, reduction: int = 0
) -> Tensor:
    """``torch.margin_ranking_loss``: ``F.margin_ranking_loss``, the reduction as an int."""
    _expect_tensor(input1, "margin_ranking_loss", "input1")
    how = _reduction(reduction, "margin_ranking_loss")
    return F.margin_ranking_loss(input1, input2, target, margin, reduction=how)


def cosine_embedding_loss(
    input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0, reduction: int = 0
) -> Tensor:
    """``torch.cosine_embedding_loss``: ``F.cosine_embedding_loss``, the reduction as an int."""
    _expect_tensor(input1, "cosine_embedding_loss", "input1")
    how = _reduction(reduction, "cosine_embedding_loss")
    return F.cosine_embedding_loss(input1, input2, target, margin, reduction=how)


def triplet_margin_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    margin: float = 1.0,
    p: float = 2.0,
    eps: float = 1e-6,
    swap: bool = False,
    reduction: int = 0,
) -> Tensor:
    """``torch.triplet_margin_loss``: ``F.triplet_margin_loss``, the reduction as an int."""
    _expect_tensor(anchor, "triplet_margin_loss", "anchor")
    how = _reduction(reduction, "triplet_margin_loss")
    return F.triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap, reduction=how)

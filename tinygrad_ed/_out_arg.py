"""torch's ``out=`` keyword: ``tg.add(a, b, out=c)`` writes a + b into c and returns c.

Every function of the library whose torch counterpart takes ``out=`` takes it here
(``OUT_NAMES``: functions of torch, torch.linalg and torch.special; torch.nn.functional has
none). Each is wrapped once, at import (``with_out``), after the rest of the API is assembled.
``out=None``, or no out, is the plain call.

What torch 2.13 does with it, found by experiment, and this library with it:

- The result is written into ``out`` and ``out`` itself is returned: the same object, whose
  views see the write, its version counter (``_version``) one higher, as after any in-place
  write. A function of several results (max and min with a dim, sort, topk, frexp, the
  factorizations, ...) takes a tuple (or list) of as many tensors, and returns its named tuple
  of them (torch's is ``torch.return_types.max_out``, with the same fields).
- An ``out`` of another shape is resized to the result's, with torch's UserWarning "An output
  with one or more elements was resized since it had shape [2], which does not match the
  required output shape [3]. This behavior is deprecated, ..." when it had elements (as many
  as the result in another shape too), and silently when it had none. torch resizes a view in
  its base's memory where that has room, with contiguous strides from the view's first element
  (so a resized ``x[:, 0]`` covers ``x[0, :]``); here a resized out keeps its memory where it is
  contiguous and holds enough elements, and gets new memory otherwise, as ``Tensor.resize_``
  (a view then no longer shows its base). Of the right shape, a non-contiguous out (``x.t()``,
  ``x[:, 0]``) is written in place, in both.
- dtype: most functions cast the result to out's dtype where torch's cast rule allows it: an
  integer or bool result into a float out, float64 into float32, but not a float into an
  integer out, a complex result into a real one, or anything but a bool into a bool out:
  RuntimeError "result type Float can't be cast to the desired output type Long". The rest
  (``EXACT_DTYPE``, and the functions of several results but ``CASTING_TUPLES``) want out's
  dtype to be the result's: "Expected out tensor to have dtype float, but got double instead"
  (torch has a dozen wordings of it; here the commonest). ``DTYPE_FROM_OUT``: the sums,
  products and means compute in out's dtype (``sum(x_float32, 1, out=o_float64)`` adds in
  float64; an integer out sums the elements cast to it, as ``dtype=``), and so do the creation
  functions (``zeros(2, out=o_long)`` makes int64 zeros) where no dtype is given.
- autograd: in grad mode, a function with a derivative refuses out= when an argument (out
  too) requires grad, or its result would (``zeros(2, requires_grad=True, out=o)``):
  RuntimeError "add(): functions with out=... arguments don't support automatic
  differentiation, but one of the arguments requires grad." Under no_grad (and inference_mode)
  it writes, and an out that requires grad keeps requiring it. The functions without a
  derivative (integer and bool results, ``VALUES_ONLY``) write into any out, in any mode.
  ``RECORDED``: torch composes these of other functions and copies the result into out, which
  autograd records, so they take inputs that require grad: out becomes a non-leaf carrying the
  graph (for softmax, diag, heaviside and a few more torch's copy has a node whose backward
  raises "not implemented"; here the copy's derivative flows), and a leaf out that requires
  grad is refused as any in-place write into one is.
- out must be a Tensor, or a tuple of as many tensors for several results: TypeError.

Where this library differs: messages name the function called, where torch names the op it
dispatches to (``abs()`` for absolute, ``linalg_inv_ex()`` for ``linalg.inv``). An out that
overlaps an input is fine here, the result being computed first; torch refuses a partial
overlap in elementwise functions ("unsupported operation: some elements of the input tensor and
the written-to tensor refer to a single memory location") and reads overwritten inputs in some
reductions. torch's overloads without a dim (``sum(x)``, ``median(x)``), argsort without
``stable=`` and ``normal`` into an out of another shape take no out=; every form does here.
Arguments are checked after the computation: a refused call has drawn its random numbers.
"""

from __future__ import annotations

import functools
import inspect
import os
import types
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import numpy as np

from ._methods_more import resized
from ._warn import warn
from .autograd import _mode
from .grad_mode import no_grad
from .tensor import Tensor

F = TypeVar("F", bound=Callable[..., Any])


def _names(prefix: str, names: str) -> tuple[str, ...]:
    return tuple(prefix + name for name in names.split())


# The functions whose torch 2.13 counterpart takes out= (tests/test_out_argument.py computes the
# list again from torch's operator schemas and Python signatures).
OUT_NAMES = (
    *_names(
        "",
        "abs absolute acos acosh add addbmm addcdiv addcmul addmm addmv addr all amax amin "
        "aminmax angle any arange arccos arccosh arcsin arcsinh arctan arctan2 arctanh argmax "
        "argmin argsort asin asinh atan atan2 atanh baddbmm bernoulli bitwise_and "
        "bitwise_left_shift bitwise_not bitwise_or bitwise_right_shift bitwise_xor bmm "
        "bucketize cat ceil chain_matmul cholesky cholesky_inverse cholesky_solve clamp "
        "clamp_max clamp_min clip column_stack complex concat concatenate conj_physical "
        "copysign cos cosh cross cummax cummin cumprod cumsum deg2rad diag diff digamma div "
        "divide dot dstack empty eq erf erfc erfinv exp exp2 expm1 eye fix float_power floor "
        "floor_divide fmax fmin fmod frac frexp full gather gcd ge geqrf ger greater "
        "greater_equal gt hardshrink hash_tensor heaviside histc histogram hstack hypot i0 "
        "igamma igammac index_add index_copy index_reduce index_select inner inverse isin "
        "isneginf isposinf kron kthvalue lcm ldexp le lerp less less_equal lgamma linspace log "
        "log10 log1p log2 log_softmax logaddexp logaddexp2 logcumsumexp logical_and logical_not "
        "logical_or logical_xor logit logspace logsumexp lstsq lt lu lu_solve lu_unpack "
        "masked_select matmul matrix_power max maximum mean median min minimum mm mode msort "
        "mul multinomial multiply mv mvlgamma nan_to_num nanmean nanmedian nanquantile nansum "
        "narrow_copy ne neg negative nextafter nonzero norm normal not_equal ones orgqr ormqr "
        "outer polar polygamma pow prod qr quantile rad2deg rand randint randn randperm "
        "reciprocal remainder renorm round row_stack rsqrt scatter scatter_add scatter_reduce "
        "searchsorted sgn sigmoid sign signbit sin sinc sinh slice_scatter slogdet softmax "
        "solve sort sqrt square stack std sub subtract sum svd symeig take take_along_dim tan "
        "tanh tensordot threshold topk triangular_solve tril triu true_divide trunc var vdot "
        "vstack where xlogy zeros",
    ),
    *_names(  # torch's view copies (the sparse ones refuse every tensor here) and low-level forms
        "",
        "alias_copy as_strided_copy ccol_indices_copy col_indices_copy crow_indices_copy "
        "detach_copy diagonal_copy expand_copy indices_copy permute_copy row_indices_copy "
        "select_copy slice_copy split_copy split_with_sizes_copy squeeze_copy t_copy "
        "transpose_copy unbind_copy unfold_copy unsqueeze_copy values_copy view_copy "
        "frobenius_norm native_batch_norm nonzero_static nuclear_norm",
    ),
    *_names(
        "linalg.",
        "cholesky cholesky_ex cond cross det eig eigh eigvals eigvalsh householder_product inv "
        "inv_ex lstsq lu lu_factor lu_factor_ex lu_solve matmul matrix_norm matrix_power "
        "matrix_rank multi_dot norm pinv qr slogdet solve solve_ex solve_triangular svd svdvals "
        "tensorinv tensorsolve vecdot vector_norm",
    ),
    *_names(
        "special.",
        "airy_ai bessel_j0 bessel_j1 bessel_y0 bessel_y1 chebyshev_polynomial_t "
        "chebyshev_polynomial_u chebyshev_polynomial_v chebyshev_polynomial_w digamma entr erf "
        "erfc erfcx erfinv exp2 expit expm1 gammainc gammaincc gammaln hermite_polynomial_h "
        "hermite_polynomial_he i0 i0e i1 i1e laguerre_polynomial_l legendre_polynomial_p log1p "
        "log_ndtr logit logsumexp modified_bessel_i0 modified_bessel_i1 modified_bessel_k0 "
        "modified_bessel_k1 multigammaln ndtr ndtri polygamma psi round "
        "scaled_modified_bessel_k0 scaled_modified_bessel_k1 shifted_chebyshev_polynomial_t "
        "shifted_chebyshev_polynomial_u shifted_chebyshev_polynomial_v "
        "shifted_chebyshev_polynomial_w sinc spherical_bessel_j0 xlog1py xlogy zeta",
    ),
)

# Functions of one result whose out must have the result's dtype (torch 2.13, function by
# function; the tests check each against torch).
EXACT_DTYPE = frozenset(
    _names(
        "",
        "abs absolute addbmm addmm addmv all amax amin any argmax argmin argsort baddbmm "
        "bitwise_not bmm bucketize ceil chain_matmul clamp clamp_max clamp_min clip complex "
        "conj_physical cross diag dot fix float_power floor frac gather hardshrink heaviside "
        "histc index_add index_copy index_reduce index_select inner inverse isin isneginf "
        "isposinf ldexp log_softmax logcumsumexp masked_select matmul matrix_power mm msort "
        "multinomial mv nan_to_num nanquantile narrow_copy neg negative nonzero norm ormqr polar "
        "quantile renorm round scatter scatter_add scatter_reduce searchsorted sgn sign signbit "
        "slice_scatter softmax take take_along_dim tensordot tril triu trunc vdot where "
        "linalg.cholesky linalg.cross linalg.det linalg.eigvalsh linalg.inv linalg.lu_solve "
        "lu_solve hash_tensor "
        "linalg.matmul linalg.matrix_norm linalg.matrix_power linalg.multi_dot linalg.norm "
        "linalg.solve linalg.solve_triangular linalg.svdvals linalg.vecdot linalg.vector_norm "
        "special.round alias_copy as_strided_copy detach_copy diagonal_copy expand_copy "
        "permute_copy select_copy slice_copy squeeze_copy t_copy transpose_copy unfold_copy "
        "unsqueeze_copy view_copy frobenius_norm nonzero_static nuclear_norm",
    )
)
# Functions of several results that cast each result, as those of one (the others cast none).
CASTING_TUPLES = frozenset(("geqrf", "linalg.eig", "linalg.lstsq"))
# Functions torch writes into out in Python, by ``out[i].resize_as_(r).copy_(r)``: any dtype
# (copy_ casts as it must), and a resize without the warning.
COPIED = frozenset(("lu",))
# Functions that compute in out's dtype when given no dtype (the means only for a float out).
DTYPE_FROM_OUT = frozenset(
    _names(
        "",
        "sum nansum prod cumsum cumprod mean nanmean bernoulli "
        "arange empty eye full linspace logspace ones rand randint randn randperm zeros",
    )
)
_MEANS = frozenset(("mean", "nanmean"))
# bernoulli computes in out's dtype too: it has no dtype parameter, but its 0s and 1s cast
# exactly.
# Functions torch composes of others and copies into out, a copy that autograd records.
RECORDED = frozenset(
    _names(
        "",
        "conj_physical diag floor_divide heaviside histogram inner log_softmax nanquantile "
        "quantile slice_scatter softmax tensordot linalg.cond linalg.eigvals linalg.matrix_norm "
        "linalg.norm linalg.tensorinv linalg.tensorsolve special.ndtr alias_copy "
        "as_strided_copy detach_copy diagonal_copy expand_copy permute_copy select_copy "
        "slice_copy squeeze_copy t_copy transpose_copy unfold_copy unsqueeze_copy view_copy "
        "nuclear_norm lu",
    )
)
# Functions of a list of results whose out is a list of tensors of the results' shapes (never
# resized), written outside autograd (inputs that require grad are taken); they return None.
# torch 2.13's rules differ among the three: split_copy casts into any dtype, the others want
# the result's; unbind_copy alone refuses, in grad mode, an out that requires grad.
LIST_OUTS = frozenset(_names("", "split_copy split_with_sizes_copy unbind_copy"))
_LIST_EXACT_DTYPE = frozenset(("split_with_sizes_copy", "unbind_copy"))
# torch's argsort(stable=True, out=) is its sort's out=, which refuses inputs that require grad.
_SORTING = frozenset(("argsort",))
# Float results without a derivative: out= takes inputs (and an out) that require grad.
VALUES_ONLY = frozenset(
    _names(
        "",
        "histc special.airy_ai special.bessel_j0 special.bessel_j1 special.bessel_y0 "
        "special.bessel_y1 special.chebyshev_polynomial_t special.chebyshev_polynomial_u "
        "special.chebyshev_polynomial_v special.chebyshev_polynomial_w "
        "special.hermite_polynomial_h special.hermite_polynomial_he "
        "special.laguerre_polynomial_l special.legendre_polynomial_p special.modified_bessel_i0 "
        "special.modified_bessel_i1 special.modified_bessel_k0 special.modified_bessel_k1 "
        "special.scaled_modified_bessel_k0 special.scaled_modified_bessel_k1 "
        "special.shifted_chebyshev_polynomial_t special.shifted_chebyshev_polynomial_u "
        "special.shifted_chebyshev_polynomial_v special.shifted_chebyshev_polynomial_w "
        "special.spherical_bessel_j0",
    )
)

# torch's names of the dtypes in its two messages: the ScalarType, and the C++ type.
_DTYPE_NAMES = {
    np.dtype(np.bool_): ("Bool", "bool"),
    np.dtype(np.uint8): ("Byte", "unsigned char"),
    np.dtype(np.int8): ("Char", "signed char"),
    np.dtype(np.int16): ("Short", "short int"),
    np.dtype(np.int32): ("Int", "int"),
    np.dtype(np.int64): ("Long", "long int"),
    np.dtype(np.uint16): ("UInt16", "short unsigned int"),
    np.dtype(np.uint32): ("UInt32", "unsigned int"),
    np.dtype(np.uint64): ("UInt64", "long unsigned int"),
    np.dtype(np.float16): ("Half", "c10::Half"),
    np.dtype(np.float32): ("Float", "float"),
    np.dtype(np.float64): ("Double", "double"),
    np.dtype(np.complex64): ("ComplexFloat", "c10::complex<float>"),
    np.dtype(np.complex128): ("ComplexDouble", "c10::complex<double>"),
}


def with_out(fn: F, name: str) -> F:
    """``fn`` taking torch's ``out=`` after its own parameters; ``name`` is torch's name of it
    ("linalg.inv"). ``inspect.signature`` shows fn's parameters and ``out``.

    The wrapper has fn's own parameters, so that a call without out costs one test and one
    call more (45 ns, 4% of ``tg.add`` on small tensors); a ``(*args, out=None, **kwargs)``
    wrapper would also pack and unpack the arguments (140 ns).
    """
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())
    code = _wrapper_code(tuple((p.name, p.kind) for p in params))
    wrapper: Any = types.FunctionType(
        code.replace(co_name=fn.__name__),
        {"plain": fn, "into": functools.partial(_call_into, name, fn)},
    )
    positional_defaults = [
        p.default for p in params if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is not p.empty
    ]
    wrapper.__defaults__ = tuple(positional_defaults) or None
    wrapper.__kwdefaults__ = {
        p.name: p.default for p in params if p.kind is p.KEYWORD_ONLY and p.default is not p.empty
    } | {"out": None}
    functools.update_wrapper(wrapper, fn)
    out = inspect.Parameter(
        "out", inspect.Parameter.KEYWORD_ONLY, default=None, annotation="Tensor | None"
    )
    wrapper.__signature__ = sig.replace(parameters=[*params, out])
    return cast(F, wrapper)


@functools.cache
def _wrapper_code(layout: tuple[tuple[str, Any], ...]) -> types.CodeType:
    """The code of a wrapper of functions with the parameters ``layout`` (names and kinds;
    their defaults are the function's own): compiled once for all such functions (a unary
    function's, ``(input)``, serves over a hundred)."""
    head: list[str] = []  # the wrapper's parameters
    positional: list[str] = []  # the wrapped function's arguments in the call
    keywords: list[str] = []
    for name, kind in layout:
        if kind is inspect.Parameter.VAR_POSITIONAL:
            head.append(f"*{name}")
            positional.append(f"*{name}")
        elif kind is inspect.Parameter.KEYWORD_ONLY:
            if not any(h.startswith("*") for h in head):
                head.append("*")
            head.append(name)
            keywords.append(name)
        elif kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
            head.append(name)
            positional.append(name)
        else:
            raise TypeError(f"with_out: {kind.description} parameters ({name}) are not supported")
    if not any(h.startswith("*") for h in head):
        head.append("*")
    source = (
        f"def wrapper({', '.join([*head, 'out'])}):\n"
        "    if out is None:\n"
        f"        return plain({', '.join(positional + [f'{k}={k}' for k in keywords])})\n"
        f"    return into(out, ({''.join(a + ', ' for a in positional)}), "
        f"{{{', '.join(f'{k!r}: {k}' for k in keywords)}}})\n"
    )
    # A file name in the package, so that a warning from fn names the user's line (``_warn``).
    module = compile(source, os.path.join(os.path.dirname(__file__), "<out= wrapper>"), "exec")
    return next(c for c in module.co_consts if isinstance(c, types.CodeType))


def _call_into(
    name: str, fn: Callable[..., Any], out: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """``fn(*args, **kwargs)`` written into ``out``, which is returned (see the module)."""
    if name in LIST_OUTS:
        _copy_into_list(name, fn(*args, **kwargs), out)
        return None
    first = out[0] if isinstance(out, (tuple, list)) and out else out
    dtype_given = kwargs.get("dtype") is not None
    in_out_dtype = (
        name in DTYPE_FROM_OUT
        and not dtype_given
        and isinstance(first, Tensor)
        and (name not in _MEANS or first.dtype.kind in "fc")
    )
    if in_out_dtype and "dtype" in kwargs:
        kwargs["dtype"] = first.dtype
    result = fn(*args, **kwargs)
    several = not isinstance(result, Tensor)
    results: tuple[Tensor, ...] = tuple(result) if several else (result,)
    outs = _outs(name, out, len(results) if several else 0)
    torch_name = name.replace(".", "_")

    if _mode.enabled and name not in RECORDED and name not in VALUES_ONLY:
        differentiable = name in _SORTING or any(r.dtype.kind in "fc" for r in results)
        if differentiable and (
            any(t._requires_grad for t in (*results, *outs)) or _requires_grad(args, kwargs)
        ):
            raise RuntimeError(
                f"{torch_name}(): functions with out=... arguments don't support automatic "
                "differentiation, but one of the arguments requires grad."
            )
    exact = (several and name not in CASTING_TUPLES) or name in EXACT_DTYPE or dtype_given
    for r, o in zip(results, outs):
        if r.dtype == o.dtype or name in COPIED:
            continue
        if exact:
            raise RuntimeError(
                f"{torch_name}(): Expected out tensor to have dtype {_cpp_name(r.dtype)}, but "
                f"got {_cpp_name(o.dtype)} instead"
            )
        if not in_out_dtype and not _can_cast(r.dtype, o.dtype):
            raise RuntimeError(
                f"{torch_name}(): result type {_scalar_name(r.dtype)} can't be cast to the "
                f"desired output type {_scalar_name(o.dtype)}"
            )

    recorded = _mode.enabled and name in RECORDED
    for r, o in zip(results, outs):
        if o.shape != r.shape:
            if recorded and o._requires_grad:
                raise RuntimeError("cannot resize variables that require grad")
            if o.data.size and name not in COPIED:
                warn(
                    "An output with one or more elements was resized since it had shape "
                    f"{list(o.shape)}, which does not match the required output shape "
                    f"{list(r.shape)}. This behavior is deprecated, and in a future PyTorch "
                    "release outputs will not be resized unless they have zero elements. You "
                    "can explicitly reuse an out tensor t by resizing it, inplace, to zero "
                    "elements with t.resize_(0)."
                )
            o.data = resized(o.data, r.shape)
        if recorded:  # the copy that torch's composition ends with, recorded as it is there
            o.copy_(r)
        else:
            with no_grad():
                o.copy_(r)
    if not several:
        return out
    return type(result)(*outs) if hasattr(result, "_fields") else tuple(outs)


def _copy_into_list(name: str, results: tuple[Tensor, ...], out: Any) -> None:
    """torch's out= of split_copy, split_with_sizes_copy and unbind_copy: a list (or tuple) of
    as many tensors as results, each of its result's shape (see ``LIST_OUTS``)."""
    if not isinstance(out, (tuple, list)) or not all(isinstance(o, Tensor) for o in out):
        raise TypeError(
            f"{name}(): argument 'out' must be tuple of Tensors, not {type(out).__name__}"
        )
    if len(out) != len(results):
        raise RuntimeError(
            f"{name}(): expected an out= argument of size {len(results)}, got size {len(out)}"
        )
    for i, (r, o) in enumerate(zip(results, out)):
        if o.shape != r.shape:
            raise RuntimeError(
                f"{name}(): out[{i}] has shape {o.shape}, the result {r.shape}: these outs are "
                "not resized"
            )
    if name == "unbind_copy" and _mode.enabled and any(o._requires_grad for o in out):
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic "
            "differentiation, but one of the arguments requires grad."
        )
    for r, o in zip(results, out):
        if name in _LIST_EXACT_DTYPE and r.dtype != o.dtype:
            raise RuntimeError(
                f"{name}(): Expected out tensor to have dtype {_cpp_name(r.dtype)}, but got "
                f"{_cpp_name(o.dtype)} instead"
            )
    with no_grad():
        for r, o in zip(results, out):
            o.copy_(r)


def _outs(name: str, out: Any, n: int) -> tuple[Tensor, ...]:
    """``out`` as a tuple of tensors: one (n = 0), or n of them for a function of n results."""
    torch_name = name.replace(".", "_")
    if n == 0:
        if not isinstance(out, Tensor):
            raise TypeError(
                f"{torch_name}(): argument 'out' must be Tensor, not {type(out).__name__}"
            )
        return (out,)
    if not isinstance(out, (tuple, list)):
        raise TypeError(
            f"{torch_name}(): argument 'out' must be a tuple of {n} Tensors, not "
            f"{type(out).__name__}"
        )
    if len(out) != n:
        raise TypeError(f"{torch_name}(): expected tuple of {n} elements but got {len(out)}")
    for i, o in enumerate(out):
        if not isinstance(o, Tensor):
            raise TypeError(
                f"{torch_name}(): expected Tensor as element {i} in argument 'out', but got "
                f"{type(o).__name__}"
            )
    return tuple(out)


def _requires_grad(args: Sequence[Any], kwargs: dict[str, Any]) -> bool:
    """Whether a tensor among the arguments (or in a list of them) requires grad."""
    for v in (*args, *kwargs.values()):
        tensors = v if isinstance(v, (list, tuple)) else (v,)
        if any(isinstance(t, Tensor) and t._requires_grad for t in tensors):
            return True
    return False


def _scalar_name(dtype: np.dtype[Any]) -> str:
    return _DTYPE_NAMES.get(dtype, (str(dtype), ""))[0]


def _cpp_name(dtype: np.dtype[Any]) -> str:
    return _DTYPE_NAMES.get(dtype, ("", str(dtype)))[1]


def _can_cast(result: np.dtype[Any], out: np.dtype[Any]) -> bool:
    """torch's ``canCast``: not complex into real, float into integer, or other into bool."""
    if result.kind == "c" and out.kind != "c":
        return False
    if result.kind == "f" and out.kind in "iu":
        return False
    return result.kind == "b" or out.kind != "b"

"""torch's top-level functions: ``tg.exp(x)`` as ``torch.exp(x)``.

Three tables drive the tests. ``SIGNATURES``: torch 2.13's signature of every top-level function
(the union of its overloads; ``out=``, ``layout=`` and the memory arguments left out), which
tinygrad_ed's must equal; where torch is installed, its docstrings (or ``inspect.signature`` for
its Python functions) confirm the table's parameter names. ``CALLS``: a sample call of each
function form, whose values and gradients must equal the Tensor method's and, where torch is
installed, torch's. ``NOT_TORCH_FUNCTIONS``: the public Tensor methods without a function
form (besides the in-place ones, which are methods only); a new method must get one or an
entry there. Then the creation functions (linspace, logspace, ``*_like``, from_numpy,
as_tensor) and the utilities (allclose, isclose, equal, broadcasting, meshgrid) over grids of
arguments, against exact references and torch. ``device=`` is tested in ``test_device.py``.
"""

from __future__ import annotations

import inspect
import math
import re
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import _namespace
from tinygrad_ed.numgrad import gradcheck
from tinygrad_ed.tensor import Tensor


def _names(text: str) -> list[str]:
    return text.split()


# ----------------------------------------------------------------------------- signatures

_INPUT = "(input)"
_BINARY = "(input, other)"
_REDUCE = "(input, dim=None, keepdim=False)"
_REDUCE_DTYPE = "(input, dim=None, keepdim=False, *, dtype=None)"
_MAX = "(input, dim=None, keepdim=False, *, other=None)"
_VAR = "(input, dim=None, unbiased=None, keepdim=False, *, correction=None)"
_CLOSE = "(input, other, rtol=1e-05, atol=1e-08, equal_nan=False)"
_LIKE = "(input, *, dtype=None, device=None, requires_grad=False)"
_RANDOM_LIKE = "(input, *, generator=None, dtype=None, device=None, requires_grad=False)"
# torch's *size, which it also takes as size= (as these do; the varargs are named as tg.zeros's)
_SIZE = "(*shape, size=None, dtype=None, device=None, requires_grad=False)"
_RANDOM_SIZE = "(*shape, size=None, generator=None, dtype=None, device=None, requires_grad=False)"

# torch 2.13's signatures; an overloaded function's is the union of its overloads (``max``'s
# ``max(input, other)`` is reached positionally through ``dim`` or by ``other=``).
SIGNATURES: dict[str, str] = {
    **dict.fromkeys(
        _names(
            "abs exp log sqrt neg sigmoid tanh relu square sin cos log1p expm1 erf sign floor "
            "ceil trunc t clone detach numel is_floating_point reciprocal rsqrt log2 log10 "
            "isnan isinf isfinite isposinf isneginf trace angle"
        ),
        _INPUT,
    ),
    **dict.fromkeys(
        _names(
            "mul matmul maximum minimum eq ne lt le gt ge equal logaddexp atan2 arctan2 hypot kron"
        ),
        _BINARY,
    ),
    **dict.fromkeys(["amax", "amin", "argmax", "argmin", "all", "any"], _REDUCE),
    **dict.fromkeys(["sum", "mean", "prod", "nansum", "nanmean"], _REDUCE_DTYPE),
    **dict.fromkeys(["max", "min"], _MAX),
    **dict.fromkeys(["var", "std", "var_mean", "std_mean"], _VAR),
    **dict.fromkeys(["isclose", "allclose"], _CLOSE),
    **dict.fromkeys(["empty_like", "zeros_like", "ones_like"], _LIKE),
    **dict.fromkeys(["rand_like", "randn_like"], _RANDOM_LIKE),
    **dict.fromkeys(["empty", "zeros", "ones"], _SIZE),
    **dict.fromkeys(["rand", "randn"], _RANDOM_SIZE),
    "round": "(input, *, decimals=0)",
    "clamp": "(input, min=None, max=None)",
    "clip": "(input, min=None, max=None)",
    "clamp_min": "(input, min)",
    "clamp_max": "(input, max)",
    "nan_to_num": "(input, nan=0.0, posinf=None, neginf=None)",
    "lerp": "(input, end, weight)",
    "add": "(input, other, *, alpha=1)",
    "sub": "(input, other, *, alpha=1)",
    "div": "(input, other, *, rounding_mode=None)",
    "divide": "(input, other, *, rounding_mode=None)",
    "floor_divide": _BINARY,
    "pow": "(input, exponent)",
    "mm": "(input, mat2)",
    "bmm": "(input, mat2)",
    "addmm": "(input, mat1, mat2, *, beta=1, alpha=1)",
    "dot": "(input, tensor)",
    "mv": "(input, vec)",
    "outer": "(input, vec2)",
    "ger": "(input, vec2)",
    "tril": "(input, diagonal=0)",
    "triu": "(input, diagonal=0)",
    "diag": "(input, diagonal=0)",
    "diagonal": "(input, offset=0, dim1=0, dim2=1)",
    "logsumexp": "(input, dim, keepdim=False)",
    "softmax": "(input, dim, dtype=None)",
    "log_softmax": "(input, dim, dtype=None)",
    "norm": "(input, p='fro', dim=None, keepdim=False, *, dtype=None)",
    "cumsum": "(input, dim, *, dtype=None)",
    "cumprod": "(input, dim, *, dtype=None)",
    "sort": "(input, dim=-1, descending=False, *, stable=False)",
    "topk": "(input, k, dim=-1, largest=True, sorted=True)",
    "argsort": "(input, dim=-1, descending=False, *, stable=False)",
    "aminmax": "(input, *, dim=None, keepdim=False)",
    "median": "(input, dim=None, keepdim=False)",
    "nanmedian": "(input, dim=None, keepdim=False)",
    "count_nonzero": "(input, dim=None)",
    "nonzero": "(input, *, as_tuple=False)",
    "diff": "(input, n=1, dim=-1, prepend=None, append=None)",
    "reshape": "(input, shape)",
    "flatten": "(input, start_dim=0, end_dim=-1)",
    "squeeze": "(input, dim=None)",
    "unsqueeze": "(input, dim)",
    "transpose": "(input, dim0, dim1)",
    "permute": "(input, dims)",
    "movedim": "(input, source, destination)",
    "moveaxis": "(input, source, destination)",
    "swapaxes": "(input, axis0, axis1)",
    "swapdims": "(input, dim0, dim1)",
    "narrow": "(input, dim, start, length)",
    "unbind": "(input, dim=0)",
    "flip": "(input, dims)",
    "roll": "(input, shifts, dims=None)",
    "tile": "(input, dims)",
    "split": "(tensor, split_size_or_sections, dim=0)",
    "chunk": "(input, chunks, dim=0)",
    "unsafe_split": "(input, split_size, dim=0)",
    "unsafe_chunk": "(input, chunks, dim=0)",
    "as_strided": "(input, size, stride, storage_offset=None)",
    "is_inference": "(input)",
    "get_device": "(input)",
    "is_distributed": "(input)",
    "fill": "(input, value)",
    "unravel_index": "(indices, shape)",
    "cat": "(tensors, dim=0)",
    "concat": "(tensors, dim=0)",
    "concatenate": "(tensors, axis=0)",
    "stack": "(tensors, dim=0)",
    "gather": "(input, dim, index)",
    "index_select": "(input, dim, index)",
    "masked_fill": "(input, mask, value)",
    "where": "(condition, input=None, other=None)",  # torch's where(condition) overload too
    "multinomial": "(input, num_samples, replacement=False, *, generator=None)",
    "is_tensor": "(obj, /)",
    "broadcast_shapes": "(*shapes)",
    "broadcast_tensors": "(*tensors)",
    "broadcast_to": "(input, size)",
    "meshgrid": "(*tensors, indexing=None)",
    "linspace": "(start, end, steps, *, dtype=None, device=None, requires_grad=False)",
    "logspace": "(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False)",
    "full": "(size, fill_value, *, dtype=None, device=None, requires_grad=False)",
    "full_like": "(input, fill_value, *, dtype=None, device=None, requires_grad=False)",
    "randint": (
        "(*args, low=None, high=None, size=None, generator=None, dtype=None, device=None, "
        "requires_grad=False)"
    ),
    "randint_like": (
        "(input, low=0, high=None, *, generator=None, dtype=None, device=None, requires_grad=False)"
    ),
    "randperm": "(n, *, generator=None, dtype=None, device=None, requires_grad=False)",
    "arange": "(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False)",
    "eye": "(n, m=None, *, dtype=None, device=None, requires_grad=False)",
    "tensor": "(data, *, dtype=None, device=None, requires_grad=False)",
    "from_numpy": "(ndarray, /)",
    "as_tensor": "(data, *, dtype=None, device=None)",
    "absolute": "(input)",
    "acos": "(input)",
    "acosh": "(input)",
    "addcdiv": "(input, tensor1, tensor2, *, value=1)",
    "addcmul": "(input, tensor1, tensor2, *, value=1)",
    "addmv": "(input, mat, vec, *, beta=1, alpha=1)",
    "addr": "(input, vec1, vec2, *, beta=1, alpha=1)",
    "arccos": "(input)",
    "arccosh": "(input)",
    "arcsin": "(input)",
    "arcsinh": "(input)",
    "arctan": "(input)",
    "arctanh": "(input)",
    "asin": "(input)",
    "asinh": "(input)",
    "atan": "(input)",
    "atanh": "(input)",
    **dict.fromkeys(
        ["conv1d", "conv2d", "conv3d"],
        "(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)",
    ),
    **dict.fromkeys(
        ["conv_transpose1d", "conv_transpose2d", "conv_transpose3d"],
        "(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1)",
    ),
    "cholesky": "(input, upper=False)",
    "cholesky_inverse": "(L, upper=False)",
    "cholesky_solve": "(B, L, upper=False)",
    "copysign": "(input, other)",
    "corrcoef": "(input)",
    "cosh": "(input)",
    "cov": "(input, *, correction=1, fweights=None, aweights=None)",
    "cross": "(input, other, dim=None)",
    "cummax": "(input, dim)",
    "cummin": "(input, dim)",
    "deg2rad": "(input)",
    "det": "(input)",
    "dsplit": "(input, indices_or_sections)",
    "exp2": "(input)",
    "fix": "(input)",
    "fliplr": "(input)",
    "flipud": "(input)",
    "float_power": "(input, exponent)",
    "fmod": "(input, other)",
    "frac": "(input)",
    "greater": "(input, other)",
    "greater_equal": "(input, other)",
    "heaviside": "(input, values)",
    "hsplit": "(input, indices_or_sections)",
    "index_add": "(input, dim, index, source, *, alpha=1)",
    "index_copy": "(input, dim, index, source)",
    "index_fill": "(input, dim, index, value)",
    "inner": "(input, other)",
    "inverse": "(input)",
    "is_complex": "(input)",
    "is_signed": "(input)",
    "kthvalue": "(input, k, dim=-1, keepdim=False)",
    "logdet": "(input)",
    "lu_unpack": "(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True)",
    "matrix_exp": "(A)",
    "matrix_power": "(input, n)",
    "slogdet": "(input)",
    "triangular_solve": "(b, A, upper=True, transpose=False, unitriangular=False)",
    "less": "(input, other)",
    "less_equal": "(input, other)",
    "logaddexp2": "(input, other)",
    "logcumsumexp": "(input, dim)",
    "logit": "(input, eps=None)",
    "masked_select": "(input, mask)",
    "mode": "(input, dim=-1, keepdim=False)",
    "multiply": "(input, other)",
    "nanquantile": "(input, q, dim=None, keepdim=False, *, interpolation='linear')",
    "negative": "(input)",
    "not_equal": "(input, other)",
    "quantile": "(input, q, dim=None, keepdim=False, *, interpolation='linear')",
    "rad2deg": "(input)",
    "ravel": "(input)",
    "remainder": "(input, other)",
    "repeat_interleave": "(input, repeats=None, dim=None, *, output_size=None)",
    "rot90": "(input, k=1, dims=(0, 1))",
    "scatter": "(input, dim, index, src)",
    "scatter_add": "(input, dim, index, src)",
    "sgn": "(input)",
    "signbit": "(input)",
    "sinc": "(input)",
    "sinh": "(input)",
    "split_with_sizes": "(input, split_sizes, dim=0)",
    "subtract": "(input, other, *, alpha=1)",
    "take": "(input, index)",
    "take_along_dim": "(input, indices, dim=None)",
    "tan": "(input)",
    "tensor_split": "(input, indices_or_sections, dim=0)",
    "true_divide": "(input, other)",
    "unflatten": "(input, dim, sizes)",
    "vsplit": "(input, indices_or_sections)",
    "xlogy": "(input, other)",
    # integers, scatters, views and numerics (tinygrad_ed/_methods_more.py)
    **dict.fromkeys(
        _names(
            "bitwise_and bitwise_or bitwise_xor bitwise_left_shift bitwise_right_shift gcd lcm "
            "ldexp nextafter is_same_size"
        ),
        _BINARY,
    ),
    **dict.fromkeys(
        _names(
            "bitwise_not frexp is_nonzero adjoint conj conj_physical resolve_conj resolve_neg "
            "is_conj is_neg isreal real imag"
        ),
        _INPUT,
    ),
    "scatter_reduce": "(input, dim, index, src, reduce, *, include_self=True)",
    "index_reduce": "(input, dim, index, source, reduce, *, include_self=True)",
    "index_put": "(input, indices, values, accumulate=False)",
    "put": "(input, index, source, accumulate=False)",
    "masked_scatter": "(input, mask, source)",
    "select_scatter": "(input, src, dim, index)",
    "slice_scatter": "(input, src, dim=0, start=None, end=None, step=1)",
    "diagonal_scatter": "(input, src, offset=0, dim1=0, dim2=1)",
    "renorm": "(input, p, dim, maxnorm)",
    "narrow_copy": "(input, dim, start, length)",
    "hardshrink": "(input, lambd=0.5)",
    "prelu": "(input, weight)",
    "bernoulli": "(input, *, generator=None)",
    "histogram": "(input, bins, *, range=None, weight=None, density=False)",
    "histogramdd": "(input, bins, *, range=None, weight=None, density=False)",
    "gradient": "(input, *, spacing=1, dim=None, edge_order=1)",
    **dict.fromkeys(
        ["trapezoid", "trapz", "cumulative_trapezoid"], "(y, x=None, *, dx=None, dim=-1)"
    ),
    "vander": "(x, N=None, increasing=False)",
    "chain_matmul": "(*matrices)",
    **dict.fromkeys(
        _names("dropout feature_dropout alpha_dropout feature_alpha_dropout"), "(input, p, train)"
    ),
    "embedding": "(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False)",
    "embedding_bag": (
        "(weight, indices, offsets, scale_grad_by_freq=False, mode=0, sparse=False, "
        "per_sample_weights=None, include_last_offset=False, padding_idx=None)"
    ),
    "cosine_similarity": "(x1, x2, dim=1, eps=1e-08)",
    "pairwise_distance": "(x1, x2, p=2.0, eps=1e-06, keepdim=False)",
    "pixel_shuffle": "(input, upscale_factor)",
    "pixel_unshuffle": "(input, downscale_factor)",
    "bilinear": "(input1, input2, weight, bias=None)",
    "celu": "(input, alpha=1.0)",
    "selu": "(input)",
    "threshold": "(input, threshold, value)",
    "rrelu": "(input, lower=0.125, upper=0.3333333333333333, training=False, generator=None)",
    "pdist": "(input, p=2)",
    "channel_shuffle": "(input, groups)",
    "avg_pool1d": (
        "(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True)"
    ),
    "adaptive_avg_pool1d": "(input, output_size)",
    "adaptive_max_pool1d": "(input, output_size)",
    **dict.fromkeys(
        _names("max_pool1d max_pool1d_with_indices max_pool2d max_pool3d"),
        "(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False)",
    ),
    "layer_norm": "(input, normalized_shape, weight=None, bias=None, eps=1e-05, cudnn_enable=True)",
    "group_norm": "(input, num_groups, weight=None, bias=None, eps=1e-05, cudnn_enabled=True)",
    **{
        name: f"(input, weight, bias, running_mean, running_var, {flag}, momentum, eps, "
        "cudnn_enabled)"
        for name, flag in (("batch_norm", "training"), ("instance_norm", "use_input_stats"))
    },
    "ctc_loss": (
        "(log_probs, targets, input_lengths, target_lengths, blank=0, reduction=0, "
        "zero_infinity=False)"
    ),
    "kl_div": "(input, target, reduction=0, *, log_target=False)",
    "binary_cross_entropy_with_logits": (
        "(input, target, weight=None, pos_weight=None, reduction=0)"
    ),
    "poisson_nll_loss": "(input, target, log_input, full, eps, reduction)",
    "hinge_embedding_loss": "(input, target, margin=1.0, reduction=0)",
    **dict.fromkeys(
        ["margin_ranking_loss", "cosine_embedding_loss"],
        "(input1, input2, target, margin=0.0, reduction=0)",
    ),
    "triplet_margin_loss": (
        "(anchor, positive, negative, margin=1.0, p=2.0, eps=1e-06, swap=False, reduction=0)"
    ),
    # special functions
    **dict.fromkeys(_names("lgamma digamma erfc erfinv i0"), _INPUT),
    **dict.fromkeys(["igamma", "igammac"], _BINARY),
    "polygamma": "(n, input)",
    "mvlgamma": "(input, p)",
}

# Functions whose signature still differs from torch's (a strict xfail each): none now.
SIGNATURE_DIVERGENCES: dict[str, str] = {}


def _plain(fn: Callable[..., Any]) -> str:
    """``fn``'s signature without annotations: names, kinds and defaults; without ``out``, as
    the table (tests/test_out_argument.py checks which functions take it)."""
    sig = inspect.signature(fn)
    params = [
        p.replace(annotation=inspect.Parameter.empty)
        for p in sig.parameters.values()
        if p.name != "out"
    ]
    return str(sig.replace(parameters=params, return_annotation=inspect.Signature.empty))


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=SIGNATURE_DIVERGENCES[n]))
        if n in SIGNATURE_DIVERGENCES
        else n
        for n in sorted(SIGNATURES)
    ],
)
def test_signature_is_torchs(name: str) -> None:
    assert name in tg.__all__
    assert _plain(getattr(tg, name)) == SIGNATURES[name]


def test_function_forms_carry_torchs_name_and_a_docstring() -> None:
    for name in SIGNATURES:
        fn = getattr(tg, name)
        assert fn.__name__ == name, name
        assert fn.__doc__ and f"torch.{name}" in fn.__doc__, name


# Where torch's docstring (or its Python signature) names other parameters than the table.
_NOT_HERE = {"out", "layout", "pin_memory", "memory_format"}  # numpy's memory; out= elsewhere
OMITTED = {
    "pow": {"self"},  # torch's pow(self: Number, exponent); here the number is input
    "gather": {"sparse_grad"},
    "mm": {"out_dtype"},
    "bmm": {"out_dtype"},
    "addmm": {"out_dtype"},
    "broadcast_to": {"shape"},  # torch's docstring says shape; its binding takes size=
    "tensor_split": {"indices", "sections"},  # two overloads' names for indices_or_sections
    "true_divide": {"dividend", "divisor"},  # the docstring's names; the binding's: input, other
    "unsafe_split": {"tensor", "split_size_or_sections"},  # the docstring's; not the binding's
}
BINDING_ONLY = {  # in torch's binding, not its docstring
    "var": {"unbiased"},
    "std": {"unbiased"},
    "var_mean": {"unbiased"},
    "std_mean": {"unbiased"},
    "broadcast_to": {"size"},
    "zeros": {"shape"},
    "ones": {"shape"},
    "empty": {"shape"},
    "rand": {"shape"},
    "randn": {"shape"},
    "randint": {"args"},
    "true_divide": {"input", "other"},
    "trapz": {"dx"},  # the overload trapz(y, *, dx, dim)
    "unsafe_split": {"input", "split_size"},
}


def _torch_parameters(torch: Any, name: str) -> set[str] | None:
    """The parameter names torch documents for ``name``: its Python signature, else the
    signature lines of its docstring (every overload); None if it documents none."""
    fn = getattr(torch, name)
    try:
        return {p.lstrip("*") for p in inspect.signature(fn).parameters}
    except (TypeError, ValueError):
        pass
    names: set[str] = set()
    pattern = rf"^(?:\.\. function:: )?{name}\((.*)$"
    for line in re.findall(pattern, fn.__doc__ or "", flags=re.M):
        text = line.split(" -> ")[0].rstrip().removesuffix(")").replace("\\*", "*")
        depth, piece, pieces = 0, "", []
        for ch in text:
            depth += 1 if ch in "[(" else -1 if ch in "])" else 0
            if ch == "," and depth == 0:
                pieces.append(piece)
                piece = ""
            else:
                piece += ch
        for p in [*pieces, piece]:
            p = p.strip().split(":")[0].split("=")[0].strip().lstrip("*")
            if p and p != "/":
                names.add(p)
    return names or None


def test_signature_table_names_torchs_parameters() -> None:
    torch = pytest.importorskip("torch")
    undocumented, differ = [], {}
    for name, text in SIGNATURES.items():
        theirs = _torch_parameters(torch, name)
        if theirs is None:  # relu, clamp_min, detach, masked_fill, …: the table alone
            undocumented.append(name)
            continue
        params = re.split(r",(?![^()]*\))", text[1:-1])  # not at the commas of dims=(0, 1)
        ours = {p.strip().split("=")[0].lstrip("*") for p in params}
        ours -= {"", "/"} | BINDING_ONLY.get(name, set())
        theirs -= _NOT_HERE | OMITTED.get(name, set())
        if ours != theirs:
            differ[name] = (sorted(ours - theirs), sorted(theirs - ours))
    assert not differ  # name: (only in the table, only in torch's documentation)
    assert sorted(undocumented) == [
        "adaptive_max_pool1d",
        "alpha_dropout",
        "batch_norm",
        "binary_cross_entropy_with_logits",
        "celu",
        "clamp_max",  # torch's binding: (Tensor input, Tensor or Number max)
        "clamp_min",  # (Tensor input, Tensor or Number min)
        "cosine_embedding_loss",
        "ctc_loss",
        "detach",
        "dropout",
        "embedding",
        "embedding_bag",
        "feature_alpha_dropout",
        "feature_dropout",
        "fill",
        "get_device",
        "group_norm",
        "hinge_embedding_loss",
        "index_fill",
        "index_put",
        "instance_norm",
        "is_distributed",
        "is_neg",
        "is_same_size",
        "is_signed",
        "kl_div",
        "layer_norm",
        "log_softmax",
        "margin_ranking_loss",
        "masked_fill",
        "masked_scatter",
        "max_pool1d",
        "max_pool1d_with_indices",
        "max_pool2d",
        "max_pool3d",
        "poisson_nll_loss",
        "put",
        "relu",
        "rrelu",
        "selu",
        "split_with_sizes",
        "threshold",
        "triplet_margin_loss",
    ]


def test_omitted_keywords_are_refused() -> None:
    x = tg.tensor([1.0, 2.0])
    for call in (
        lambda: tg.flip(x, [0], out=x),  # type: ignore[call-arg] (torch's flip takes none)
        lambda: tg.gather(x, 0, tg.tensor([0]), sparse_grad=True),  # type: ignore[call-arg]
        lambda: tg.zeros(2, layout="strided"),  # type: ignore[call-arg]
    ):
        with pytest.raises(TypeError, match="unexpected keyword argument"):
            call()


# ----------------------------------------------------------------------------- completeness

# Public Tensor methods without a function form: torch has none of these names as a function
# (its torch.float, torch.int, … are dtypes, torch.cpu and torch.cuda modules) …
NOT_TORCH_FUNCTIONS = set(
    _names(
        "T mT data dtype grad grad_fn is_leaf ndim requires_grad shape backward "
        "register_hook register_post_accumulate_grad_hook retain_grad retains_grad "
        "item tolist numpy size dim to cpu cuda float double half int long "
        "bool contiguous expand expand_as repeat view is_cuda "
        "new new_zeros new_ones new_full new_empty new_tensor type_as view_as reshape_as "
        "element_size ndimension nelement is_contiguous stride unfold "
        "H mH itemsize nbytes byte char short sum_to_size type data_ptr storage_offset is_cpu "
        "output_nr layout is_coalesced is_pinned is_set_to is_shared pin_memory to_dense "
        "const_data_ptr is_sparse is_sparse_csr is_quantized is_meta is_nested is_mkldnn is_mps "
        "is_xpu is_ipu is_vulkan is_xla is_maia is_mtia dim_order new_empty_strided resize "
        "resize_as grad_dtype module_load volatile reinforce xpu ipu mtia as_subclass"
    )
)
# In-place forms (a trailing underscore) are methods only: torch has a few as undocumented
# functions nobody calls (torch.exp_(x) is x.exp_()).


def test_every_method_torch_has_as_a_function_has_one_here() -> None:
    methods = {n for n in dir(Tensor) if not n.startswith("_") and not n.endswith("_")}
    missing = methods - set(tg.__all__) - NOT_TORCH_FUNCTIONS
    assert not missing, (
        f"Tensor methods without a function form: {sorted(missing)}; add one to "
        "tinygrad_ed/_namespace.py, or list the method here as method-only"
    )
    assert not NOT_TORCH_FUNCTIONS - methods  # no stale entries


def _is_torch_function(torch: Any, name: str) -> bool:
    fn = getattr(torch, name, None)
    return callable(fn) and not isinstance(fn, (type, types.ModuleType))


def test_method_only_lists_match_torch() -> None:
    torch = pytest.importorskip("torch")
    assert not {n for n in NOT_TORCH_FUNCTIONS if _is_torch_function(torch, n)}
    for name in SIGNATURES:
        assert _is_torch_function(torch, name), name


# ----------------------------------------------------------------------------- function forms


class T:
    """A tensor argument in a sample call: its shape, whether its values must be positive, and
    whether it is data (indices, masks) rather than a differentiable float input."""

    def __init__(self, *shape: int, positive: bool = False, data: Any = None) -> None:
        self.shape, self.positive, self.data = shape, positive, data


X, XP = T(3, 4), T(3, 4, positive=True)
ROW, ROWP = T(4), T(4, positive=True)
UNIT = T(data=np.linspace(-0.9, 0.8, 12).reshape(3, 4))  # inside the domain of asin, acos, atanh


@dataclass
class Call:
    """``tg.name(*args, **kwargs)``, which must equal ``method`` on the same arguments (by
    default ``args[0].name(*args[1:], **kwargs)``; None: no method to compare)."""

    name: str
    args: tuple[Any, ...] = (X,)
    kwargs: dict[str, Any] = field(default_factory=dict)
    method: Callable[..., Any] | str | None = ""


INDEX = np.array([[3, 0, 3, 1], [0, 1, 2, 3], [2, 2, 0, 0]])
SPD = T(data=np.array([[4.0, 1.0, -0.5], [1.0, 3.0, 0.25], [-0.5, 0.25, 2.0]]))
CHOLESKY = T(data=np.linalg.cholesky(SPD.data))
EDGES = T(data=np.array([-1.0, 0.0, 0.5]))
RUNNING = (T(data=np.array([0.1, -0.2])), T(data=np.array([1.5, 0.5])))  # running mean, var
PROBS = T(data=np.linspace(0.05, 0.95, 12).reshape(3, 4))
# torch's ctc gradient holds for log-softmax outputs only: values here, gradients in
# tests/test_lowlevel_forms.py
_logits = np.random.default_rng(5).standard_normal((5, 2, 4))
LOG_PROBS = T(data=_logits - np.log(np.exp(_logits).sum(-1, keepdims=True)))
WEIGHTS = T(data=np.array([0.5, 2.0, 1.0, 3.0]))
SIGNS = T(data=np.where(INDEX % 2 == 0, 1.0, -1.0))
CALLS: list[Call] = [
    *(Call(n) for n in _names("abs exp neg sigmoid tanh relu square sin cos expm1 erf sign")),
    *(Call(n) for n in _names("floor ceil trunc round clone detach numel is_floating_point t")),
    *(Call(n, (XP,)) for n in ("log", "sqrt", "log1p")),
    Call("round", kwargs={"decimals": 1}),
    Call("clamp", (X, -0.5, 0.5)),
    Call("clamp", kwargs={"min": -0.5}),
    Call("clip", (X, None, 0.5), method="clamp"),
    Call("clamp_min", (X, 0.5)),
    Call("clamp_min", (X, ROW)),
    Call("clamp_max", (X, -0.5)),
    Call("clamp_max", (X, ROW)),
    *(Call(n) for n in _names("reciprocal isnan isinf isfinite isposinf isneginf nan_to_num")),
    Call("nan_to_num", (X, 1.0, 2.0, -2.0)),
    *(Call(n, (XP,)) for n in ("rsqrt", "log2", "log10")),
    Call("lerp", (X, X, 0.3)),
    Call("lerp", (X, ROW, T(3, 1))),
    *(Call(n, (X, ROW)) for n in ("logaddexp", "atan2", "hypot")),
    Call("arctan2", (X, ROW), method="atan2"),
    Call("add", (X, ROW)),
    Call("add", (X, ROW), {"alpha": 2.5}, method=lambda x, y, alpha: x.add(y * alpha)),
    Call("add", (2.0, X), method=lambda a, x: a + x),
    Call("sub", (X, 1.5)),
    Call("sub", (2.0, X), {"alpha": 3}, method=lambda a, x, alpha: a - x * alpha),
    Call("mul", (X, ROW)),
    Call("mul", (2.0, X), method=lambda a, x: a * x),
    Call("div", (X, ROWP)),
    Call("div", (2.0, XP), method=lambda a, x: a / x),
    Call("div", (X, ROWP), {"rounding_mode": "floor"}),
    Call("div", (X, 0.3), {"rounding_mode": "trunc"}),
    Call("div", (2.0, X), {"rounding_mode": "floor"}, method=lambda a, x, rounding_mode: a // x),
    Call("divide", (X, ROWP)),
    Call("divide", (X, ROWP), {"rounding_mode": "trunc"}),
    # torch's floor_divide (and //) has no derivative, so these call it on data only
    Call("floor_divide", (T(data=INDEX - 1.5), T(data=np.array([0.5, -2.0, 3.0, -0.3])))),
    Call("floor_divide", (T(data=INDEX - 1), 2)),
    Call("floor_divide", (7, T(data=INDEX + 1)), method=lambda a, x: a // x),
    Call("pow", (XP, 2.5)),
    Call("pow", (XP, ROW)),
    Call("pow", (2.0, X), method=lambda a, x: a**x),
    Call("matmul", (X, T(4, 2))),
    Call("matmul", (ROW, ROW)),
    Call("mm", (X, T(4, 2))),
    Call("bmm", (T(2, 3, 4), T(2, 4, 5))),
    Call("addmm", (T(3, 2), X, T(4, 2))),
    Call("addmm", (ROW, T(2, 3), X), {"beta": 0.5, "alpha": -2}),
    Call("dot", (ROW, ROW)),
    Call("mv", (X, ROW)),
    Call("outer", (ROW, T(3))),
    Call("ger", (ROW, T(3)), method="outer"),
    Call("kron", (T(2, 2), T(2, 3))),
    Call("trace"),
    Call("angle"),
    Call("tril", (X, 1)),
    Call("triu"),
    Call("diag", (ROW, -1)),
    Call("diag", (X,)),
    Call("diagonal", (T(2, 3, 4), 1, 0, 2)),
    Call("maximum", (X, ROW)),
    Call("minimum", (X, ROW)),
    *(Call(n, (X, ROW)) for n in ["eq", "ne", "lt", "le", "gt", "ge"]),
    Call("sum"),
    Call("sum", (X, 1)),
    Call("sum", (X, (0, 1), True)),
    Call("sum", (X, 0), {"dtype": np.float32}, method=lambda x, d, dtype: x.to(dtype).sum(d)),
    Call("mean", (X, -1, True)),
    Call("mean", kwargs={"dtype": np.float32}, method=lambda x, dtype: x.to(dtype).mean()),
    Call("prod", (X, 1)),
    Call("amax", (X, 1)),
    Call("amin", (X, (0, 1), True)),
    Call("max"),
    Call("max", (X, 1)),
    Call("max", (X, 0, True)),
    Call("max", (X, ROW), method="maximum"),
    Call("max", kwargs={"other": ROW}, method=lambda x, other: x.maximum(other)),
    Call("min"),
    Call("min", (X, 1)),
    Call("min", (X, ROW), method="minimum"),
    Call("argmax"),
    Call("argmax", (X, 1, True)),
    Call("argmin", (X, 0)),
    Call("var"),
    Call("var", (X, 1, False, True)),
    Call("std", (X, 0), {"correction": 0}),
    Call("std", kwargs={"dim": 1, "keepdim": True}),
    Call("logsumexp", (X, 1)),
    Call("softmax", (X, 1)),
    Call("softmax", (X, 0, np.float32), method=lambda x, d, dtype: x.to(dtype).softmax(d)),
    Call("log_softmax", (X, -1)),
    Call("all", (X, 1)),
    Call("any", (X,), {"dim": 0, "keepdim": True}),
    Call("norm", (X, 3, 1, True)),
    Call("aminmax"),
    Call("aminmax", kwargs={"dim": 1, "keepdim": True}),
    Call("median"),
    Call("median", (X, 1)),
    Call("nanmedian", (X, 0, True)),
    Call("nansum", (X, 1)),
    Call("nansum", kwargs={"dtype": np.float32}),
    Call("nanmean", (X, (0, 1), True)),
    Call("count_nonzero", (X, 1)),
    Call("argsort", (X, 1, True)),
    Call("argsort", kwargs={"dim": 0, "stable": True}),
    Call("nonzero"),
    Call("nonzero", kwargs={"as_tuple": True}),
    Call("diff"),
    Call("diff", (X, 2, 0)),
    Call("diff", (X, 1, 1, T(3, 1), T(3, 2))),
    Call("std_mean", (X, 1), method=None),
    Call("var_mean", (X,), {"correction": 0, "keepdim": True}, method=None),
    Call("cumsum", (X, 1)),
    Call("cumprod", (X, 0)),
    Call("sort", (X, 1)),
    Call("topk", (X, 2)),
    Call("reshape", (X, (4, 3))),
    Call("flatten", (T(2, 3, 4), 1)),
    Call("squeeze", (T(3, 1, 4),)),
    Call("squeeze", (T(3, 1, 4), 1)),
    Call("unsqueeze", (X, 0)),
    Call("transpose", (X, 0, 1)),
    Call("permute", (T(2, 3, 4), (2, 0, 1))),
    Call("t", (ROW,)),
    Call("movedim", (T(2, 3, 4), (0, 1), (2, 0))),
    Call("moveaxis", (T(2, 3, 4), 0, -1), method="movedim"),
    Call("swapaxes", (T(2, 3, 4), 0, 2)),
    Call("swapdims", (X, 1, 0)),
    Call("narrow", (X, 1, -3, 2)),
    Call("unbind", (X, 1)),
    Call("flip", (X, (0,))),
    Call("roll", (X, 1, 0)),
    Call("tile", (X, (2, 1))),
    Call("split", (X, 2, 1)),
    Call("chunk", (X, 2, 1)),
    Call("unsafe_split", (X, 2, 1)),
    Call("unsafe_chunk", (X, 2, 1)),
    Call("as_strided", (X, (3, 2), (1, 2), 1)),
    Call("is_inference"),
    Call("get_device"),
    Call("is_distributed"),
    Call("fill", (X, 0.5), method=None),
    Call("unravel_index", (T(data=INDEX), (3, 2)), method=None),
    Call("gather", (X, 1, T(data=INDEX))),
    Call("index_select", (X, 0, T(data=np.array([2, 0, 2])))),
    Call("masked_fill", (X, T(data=INDEX > 1), 0.5)),
    Call("where", (T(data=INDEX > 1), X, ROW), method=None),
    Call("where", (T(data=INDEX > 1),), method=lambda c: c.nonzero(as_tuple=True)),
    Call("where", (T(data=INDEX - 1.0),), method=lambda c: c.nonzero(as_tuple=True)),
    Call("cat", ([X, X], 1), method=None),
    Call("concat", ([X, X], 1), method=None),
    Call("concatenate", ([X, X], 1), method=None),
    Call("stack", ([X, X],), method=None),
    Call("isclose", (X, ROW)),
    Call("isclose", (X, ROW), {"rtol": 0.5, "atol": 0.1, "equal_nan": True}),
    Call("allclose", (X, X)),
    Call("equal", (X, ROW)),
    Call("broadcast_to", (ROW, (2, 3, 4)), method="expand"),
    Call("broadcast_tensors", (T(3, 1), ROW, X), method=None),
    Call("meshgrid", (T(3), ROW), {"indexing": "ij"}, method=None),
    Call("meshgrid", (T(3), ROW, T(2)), {"indexing": "xy"}, method=None),
    # more of torch's methods (tensor.py's block "more of torch's methods")
    *(Call(n) for n in _names("negative absolute fix atan arctan asinh arcsinh sinh cosh")),
    Call("sgn", (T(data=np.array([-1.5, 0.0, 2.0])),)),  # torch's zero gradient: a ZeroTensor
    *(Call(n) for n in _names("tan exp2 sinc frac signbit deg2rad rad2deg ravel fliplr flipud")),
    *(Call(n) for n in _names("is_complex is_signed")),
    *(Call(n, (UNIT,)) for n in _names("asin acos atanh arcsin arccos arctanh")),
    Call("logit", (T(3, 4, positive=True),)),
    *(Call(n, (T(data=np.linspace(1.1, 3.0, 12).reshape(3, 4)),)) for n in ("acosh", "arccosh")),
    Call("logit", (XP, 0.25)),
    *(Call(n, (X, ROW)) for n in _names("multiply greater greater_equal less less_equal")),
    *(Call(n, (X, ROW)) for n in _names("not_equal fmod remainder copysign logaddexp2")),
    Call("true_divide", (X, ROWP)),
    Call("divide", (X, ROWP)),
    Call("subtract", (X, ROW), {"alpha": 2}),
    Call("xlogy", (X, ROWP)),
    *(Call(n, (XP,)) for n in _names("lgamma erfc i0")),
    # as data: torch's trigamma (digamma's derivative) is good to 5e-10 only (test_special.py)
    Call("digamma", (T(data=np.linspace(0.3, 4.0, 12).reshape(3, 4)),)),
    Call("erfinv", (UNIT,)),
    Call("polygamma", (2, XP), method=lambda n, x: x.polygamma(n)),
    Call("mvlgamma", (T(3, 4, positive=True), 1)),
    # a as data: neither torch nor tinygrad_ed has a derivative for it
    *(
        Call(n, (T(data=np.linspace(0.3, 4.0, 12).reshape(3, 4)), ROWP))
        for n in ("igamma", "igammac")
    ),
    Call("fmod", (X, 0.75)),
    Call("float_power", (XP, ROW)),
    Call("heaviside", (T(data=np.array([-1.0, 0.0, 2.0])), T(data=np.array([0.5])))),
    Call("unflatten", (X, 1, (2, 2))),
    Call("tensor_split", (X, 3, 1)),
    Call("tensor_split", (X, [1, 2])),
    Call("hsplit", (X, 2)),
    Call("vsplit", (X, [1])),
    Call("dsplit", (T(2, 3, 4), 2)),
    Call("split_with_sizes", (X, [1, 3], 1)),
    Call("rot90", (X, 3)),
    Call("repeat_interleave", (X, 2, 0)),
    Call("masked_select", (X, T(data=INDEX > 1))),
    Call("take", (X, T(data=np.array([11, 0, -3])))),
    Call("take_along_dim", (X, T(data=INDEX), 1)),
    Call("scatter", (X, 1, T(data=np.array([[2, 0], [1, 3], [0, 1]])), T(3, 2))),
    Call("scatter_add", (X, 1, T(data=INDEX), X)),
    Call("index_add", (X, 0, T(data=np.array([2, 0, 2])), X), {"alpha": 2}),
    Call("index_copy", (X, 1, T(data=np.array([3, 0])), T(3, 2))),
    Call("index_fill", (X, 1, T(data=np.array([1, 2])), 0.5)),
    Call("cummax", (X, 1)),
    Call("cummin", (X, 0)),
    Call("logcumsumexp", (X, 1)),
    Call("kthvalue", (X, 2)),
    Call("kthvalue", (X, 1, 0, True)),
    Call("mode", (T(data=INDEX.astype(float)),)),
    Call("quantile", (X, 0.3)),
    Call("quantile", (X, 0.75, 1, True), {"interpolation": "midpoint"}),
    Call("nanquantile", (X, 0.5, 0)),
    # convolutions (torch.conv1d is torch.nn.functional.conv1d): no Tensor method
    Call("conv1d", (T(2, 4, 7), T(6, 2, 3), T(6)), {"stride": 2, "groups": 2}, method=None),
    Call("conv2d", (T(1, 2, 5, 4), T(3, 2, 2, 3)), {"padding": (1, 0)}, method=None),
    Call("conv3d", (T(1, 2, 3, 4, 3), T(2, 1, 2, 2, 2)), {"groups": 2}, method=None),
    Call(
        "conv_transpose1d",
        (T(2, 4, 5), T(4, 3, 3), T(6)),
        {"stride": 2, "output_padding": 1, "groups": 2},
        method=None,
    ),
    Call(
        "conv_transpose2d",
        (T(1, 2, 3, 4), T(2, 3, 2, 3)),
        {"stride": (2, 1), "padding": 1, "dilation": (1, 2)},
        method=None,
    ),
    Call(
        "conv_transpose3d", (T(1, 2, 2, 3, 2), T(2, 2, 2, 2, 2), T(2)), {"stride": 2}, method=None
    ),
    Call("inner", (X, T(2, 4))),
    Call("cross", (T(3, 3), T(3, 3), 1)),
    Call("det", (T(3, 3),)),
    Call("inverse", (T(3, 3),)),
    Call("cholesky", (SPD,), {"upper": True}),
    Call("cholesky_solve", (T(3, 2), CHOLESKY)),
    Call("cholesky_inverse", (CHOLESKY,)),
    Call("logdet", (SPD,)),
    Call("slogdet", (T(3, 3),)),
    Call("matrix_power", (T(3, 3), 3)),
    Call("matrix_exp", (T(3, 3),)),
    Call("triangular_solve", (T(3, 2), T(3, 3)), {"upper": False}),
    Call("lu_unpack", (T(3, 4), T(data=np.array([3, 3, 3], dtype=np.int32))), method=None),
    Call("addmv", (T(3), X, ROW), {"beta": 2, "alpha": 0.5}),
    Call("addr", (X, T(3), ROW)),
    Call("addcmul", (X, ROW, X), {"value": 0.5}),
    Call("addcdiv", (X, ROW, XP), {"value": -2}),
    Call("cov", (X,)),
    Call("cov", (X,), {"correction": 0, "aweights": ROWP}),
    Call("corrcoef", (X,)),
    # integers, scatters, views and numerics (tinygrad_ed/_methods_more.py)
    *(
        Call(n, (T(data=INDEX), T(data=np.array([1, 2, 3, 6]))))
        for n in _names("bitwise_and bitwise_or bitwise_xor gcd lcm")
    ),
    Call("bitwise_left_shift", (T(data=INDEX - 1), T(data=np.array([0, 1, 63, 64])))),
    Call("bitwise_right_shift", (T(data=-INDEX), T(data=np.array([0, 1, 2, 70])))),
    Call("bitwise_not", (T(data=INDEX),)),
    Call("frexp", (X,)),
    Call("ldexp", (X, T(data=np.array([0, 1, 2, 3])))),  # torch: 0 grad for exponents < 0
    Call("nextafter", (X, ROW)),
    Call("is_same_size", (X, ROW)),
    Call("is_nonzero", (T(1, 1),)),
    *(Call(n) for n in _names("adjoint conj conj_physical resolve_conj resolve_neg")),
    *(Call(n) for n in _names("is_conj is_neg isreal")),
    Call("real", method=lambda x: x.real),
    Call("scatter_reduce", (X, 1, T(data=INDEX), X, "amax")),
    Call("scatter_reduce", (X, 0, T(data=INDEX[:, :3] % 3), T(3, 3), "prod")),
    Call("scatter_reduce", (X, 1, T(data=INDEX), X, "mean"), {"include_self": False}),
    Call("index_reduce", (X, 1, T(data=np.array([3, 0, 3])), T(3, 3), "amin")),
    Call("index_put", (X, (T(data=np.array([0, 2])), T(data=np.array([1, 3]))), T(2))),
    Call("index_put", (X, (T(data=np.array([0, 0, 1])),), ROW, True)),
    Call("put", (X, T(data=np.array([11, 0, -3])), T(3))),
    Call("put", (X, T(data=np.array([1, 1, 5])), T(3), True)),
    Call("masked_scatter", (X, T(data=INDEX > 1), T(4, 4))),
    Call("select_scatter", (X, ROW, 0, -1)),
    Call("slice_scatter", (X, T(3, 2), 1, 1, None, 2)),
    Call("diagonal_scatter", (X, T(3), 1)),
    Call("renorm", (X, 1, 0, 2.0)),
    Call("narrow_copy", (X, 1, 1, 2)),
    Call("hardshrink", (X, 0.6)),
    Call("prelu", (X, T(1))),
    Call("bernoulli", (T(data=np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])),)),
    Call("histogram", (UNIT, 5), {"range": (-1.0, 1.0), "weight": T(data=np.ones((3, 4)))}),
    Call("histogram", (UNIT, T(data=np.array([-1.0, -0.2, 0.5, 1.0]))), {"density": True}),
    Call(
        "histogramdd",
        (UNIT, 3),
        {"range": [-1.0, 1.0] * 4, "weight": T(data=np.ones(3))},
        method=None,
    ),
    Call("histogramdd", (T(data=UNIT.data.T.copy()), [EDGES] * 3), method=None),
    Call("gradient", (X,), method=None),
    Call("gradient", (X,), {"spacing": 2.0, "dim": 1, "edge_order": 2}, method=None),
    Call("trapezoid", (X, ROW), method=None),
    Call("trapz", (X,), {"dim": 0}, method=None),
    Call("cumulative_trapezoid", (X,), {"dx": 0.5}, method=None),
    Call("vander", (T(data=np.array([0.5, -2.0, 3.0])), 3), method=None),  # torch: no grad
    Call("chain_matmul", (X, T(4, 2), T(2, 3)), method=None),
    *(Call(n, (X, 0.5, False), method=None) for n in _names("dropout alpha_dropout")),
    *(Call(n, (X, 0.0, True), method=None) for n in _names("feature_dropout")),
    Call("feature_alpha_dropout", (X, 0.5, False), method=None),
    Call("embedding", (X, T(data=np.array([[2, 0], [1, 1]]))), method=None),
    Call("embedding_bag", (T(5, 3), T(data=INDEX[0]), T(data=np.array([0, 1, 1]))), method=None),
    Call(
        "embedding_bag",
        (T(5, 3), T(data=INDEX[1]), T(data=np.array([0, 3, 4])), False, 1, False, None, True, 1),
        method=None,
    ),
    Call(
        "embedding_bag",
        (T(5, 3), T(data=INDEX[1]), T(data=np.array([0, 2])), False, 2),
        method=None,
    ),
    Call("cosine_similarity", (X, ROW), method=None),
    Call("pairwise_distance", (X, ROW), method=None),
    Call("pixel_shuffle", (T(1, 4, 2, 3), 2), method=None),
    Call("pixel_unshuffle", (T(1, 1, 4, 2), 2), method=None),
    Call("bilinear", (T(2, 3), T(2, 4), T(5, 3, 4), T(5)), method=None),
    Call("celu", (X, 0.5), method=None),
    Call("selu", method=None),
    Call("threshold", (X, 0.3, -1.0), method=None),
    Call("rrelu", (X, 0.1, 0.3), method=None),
    Call("pdist", (X, 1.5), method=None),
    Call("channel_shuffle", (T(1, 4, 2, 3), 2), method=None),
    Call("avg_pool1d", (T(1, 2, 7), 3, 2, 1), method=None),
    Call("adaptive_avg_pool1d", (T(1, 2, 7), 3), method=None),
    Call("adaptive_max_pool1d", (T(1, 2, 7), 3), method=None),
    Call("max_pool1d", (T(1, 2, 7), 3, 2, 1), method=None),
    Call("max_pool1d_with_indices", (T(2, 7), 2), method=None),
    Call("max_pool2d", (T(1, 1, 4, 5), 2), {"ceil_mode": True}, method=None),
    Call("max_pool3d", (T(1, 1, 3, 4, 4), 2), method=None),
    Call("layer_norm", (T(2, 3, 4), [4], T(4), T(4), 1e-5, True), method=None),
    Call("layer_norm", (T(2, 3, 4), (3, 4)), method=None),
    Call("group_norm", (T(2, 4, 3), 2, T(4), T(4), 1e-3), method=None),
    Call("batch_norm", (T(3, 2, 4), T(2), T(2), *RUNNING, True, 0.3, 1e-5, False), method=None),
    Call("batch_norm", (T(3, 2, 4), None, T(2), *RUNNING, False, 0.1, 1e-5, True), method=None),
    Call(
        "instance_norm", (T(2, 3, 4), T(3), T(3), None, None, True, 0.1, 1e-5, False), method=None
    ),
    Call("ctc_loss", (LOG_PROBS, T(data=np.array([[1, 2], [3, 3]])), [5, 4], [2, 1]), method=None),
    Call(
        "ctc_loss",
        (LOG_PROBS, T(data=np.array([[1, 2], [3, 3]])), [5, 4], [2, 1], 0, 1),
        method=None,
    ),
    Call("kl_div", (X, XP), method=None),
    Call("kl_div", (X, X, 1), {"log_target": True}, method=None),
    Call("kl_div", (X, XP, 2), method=None),
    Call("binary_cross_entropy_with_logits", (X, PROBS), method=None),
    Call("binary_cross_entropy_with_logits", (X, PROBS, PROBS, WEIGHTS, 1), method=None),
    Call("poisson_nll_loss", (X, T(data=INDEX * 1.0), True, False, 1e-8, 1), method=None),
    Call("poisson_nll_loss", (XP, T(data=INDEX * 1.0), False, True, 1e-3, 2), method=None),
    Call("hinge_embedding_loss", (X, SIGNS), method=None),
    Call("hinge_embedding_loss", (X, SIGNS, 0.5, 1), method=None),
    Call("margin_ranking_loss", (X, T(3, 4), SIGNS), method=None),
    Call("margin_ranking_loss", (X, T(3, 4), SIGNS, 0.2, 2), method=None),
    Call("cosine_embedding_loss", (X, T(3, 4), T(data=np.array([1.0, -1.0, -1.0]))), method=None),
    Call(
        "cosine_embedding_loss",
        (X, T(3, 4), T(data=np.array([1.0, -1.0, -1.0])), 0.1, 1),
        method=None,
    ),
    Call("triplet_margin_loss", (X, T(3, 4), T(3, 4)), method=None),
    Call("triplet_margin_loss", (X, T(3, 4), T(3, 4), 2.0, 1.5, 1e-6, True, 1), method=None),
]


def _arrays(call: Call, seed: int) -> list[np.ndarray]:
    """Values for the call's differentiable tensor arguments, in order: distinct, away from 0
    (no kinks, ties or poles), positive where asked; the rows share some values with X."""
    rng = np.random.default_rng(seed)
    specs = [a for a in _flat(call.args) + list(call.kwargs.values()) if isinstance(a, T)]
    out = []
    for spec in (s for s in specs if s.data is None):
        a = rng.uniform(0.2, 1.5, spec.shape) * (1 if spec.positive else rng.choice([-1, 1]))
        if spec is ROW and out:  # a value shared with the first input: ties for eq, le, ge
            a = a.copy()
            a[0] = out[0].flat[0]
        out.append(a)
    return out


def _flat(args: Any) -> list[Any]:
    if isinstance(args, (list, tuple)):
        return [v for a in args for v in _flat(a)]
    return [args]


def _fill(value: Any, arrays: list[np.ndarray], make: Callable[[np.ndarray, bool], Any]) -> Any:
    """``value`` with each T replaced by ``make(array, differentiable)``."""
    if isinstance(value, T):
        return make(value.data, False) if value.data is not None else make(arrays.pop(0), True)
    if isinstance(value, list):
        return [_fill(v, arrays, make) for v in value]
    if isinstance(value, tuple) and any(isinstance(v, (T, list)) for v in value):
        return tuple(_fill(v, arrays, make) for v in value)
    return value


def _run(call: Call, seed: int, lib: Any, fn: Callable[..., Any] | None = None) -> dict[str, Any]:
    """The call's outputs and the gradients of its float tensor inputs (under a random weighting
    of the outputs), made with ``lib`` (tinygrad_ed or torch)."""
    inputs: list[Any] = []

    def make(a: np.ndarray, differentiable: bool) -> Any:
        t = lib.tensor(a, requires_grad=differentiable and a.dtype.kind == "f")
        if differentiable:
            inputs.append(t)
        return t

    arrays = _arrays(call, seed)
    args = _fill(call.args, arrays, make)
    kwargs = {k: _fill(v, arrays, make) for k, v in call.kwargs.items()}
    if lib is not tg:
        kwargs = {k: _torch_dtype(lib, v) for k, v in kwargs.items()}
        args = tuple(_torch_dtype(lib, v) for v in args)
    out = (fn or getattr(lib, call.name))(*args, **kwargs)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    # (a sequence of tensors among the outputs, histogramdd's bin edges: each an output)
    outs = [o for out in outs for o in (out if isinstance(out, tuple) else [out])]
    is_tensor = [isinstance(o, (Tensor, getattr(lib, "Tensor", Tensor))) for o in outs]
    values = [_numpy(o) if t else o for o, t in zip(outs, is_tensor)]
    rng = np.random.default_rng(seed + 1)
    loss = None
    for o, t in zip(outs, is_tensor):
        if t and o.requires_grad:
            w = lib.tensor(rng.standard_normal(tuple(o.shape)).astype(_numpy(o).dtype))
            loss = (o * w).sum() if loss is None else loss + (o * w).sum()
    grads = []
    if loss is not None:
        loss.backward()
        grads = [None if t.grad is None else _numpy(t.grad) for t in inputs]
    return {"values": values, "grads": grads}


def _numpy(t: Any) -> np.ndarray:
    return t.data if isinstance(t, Tensor) else t.detach().numpy()


def _torch_dtype(torch: Any, value: Any) -> Any:
    if isinstance(value, type) and issubclass(value, np.generic):
        return getattr(torch, np.dtype(value).name)
    return value


def _method(call: Call) -> Callable[..., Any] | None:
    """The Tensor method the call must equal, as a function of the call's arguments."""
    if call.method is None:
        return None
    if callable(call.method):
        return call.method
    name = call.method or call.name
    return lambda x, *args, **kwargs: getattr(x, name)(*args, **kwargs)


def _ids(calls: list[Call]) -> list[str]:
    seen: dict[str, int] = {}
    ids = []
    for c in calls:
        seen[c.name] = seen.get(c.name, 0) + 1
        ids.append(f"{c.name}-{seen[c.name]}")
    return ids


def _same(ours: dict[str, Any], theirs: dict[str, Any], exact: bool) -> None:
    assert len(ours["values"]) == len(theirs["values"])
    single = any(getattr(v, "dtype", None) == np.float32 for v in ours["values"])
    rtol = 1e-6 if single else 1e-12  # a float32 step in a float64 call, e.g. sum(dtype=)
    for a, b in zip(ours["values"], theirs["values"]):
        if not isinstance(a, np.ndarray):
            assert a == b and type(a) is type(b)
            continue
        assert a.shape == b.shape and a.dtype == b.dtype
        if exact:
            np.testing.assert_array_equal(a, b)
        else:
            np.testing.assert_allclose(a, b, rtol=rtol)
    assert len(ours["grads"]) == len(theirs["grads"])
    for a, b in zip(ours["grads"], theirs["grads"]):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=rtol)


# Functions torch has no Tensor method for are checked against torch's function alone (below).
WITH_METHOD = [c for c in CALLS if _method(c) is not None]


@pytest.mark.parametrize("call", WITH_METHOD, ids=_ids(WITH_METHOD))
@pytest.mark.filterwarnings("ignore:torch.*is deprecated:UserWarning")  # cholesky, triangular_solve
def test_function_form_equals_the_method(call: Call) -> None:
    method = _method(call)
    assert method is not None
    _same(_run(call, 0, tg), _run(call, 0, tg, method), exact=True)


@pytest.mark.parametrize("call", CALLS, ids=_ids(CALLS))
@pytest.mark.filterwarnings("ignore:torch.*is deprecated:UserWarning")  # cholesky, triangular_solve
@pytest.mark.filterwarnings("ignore:index_reduce.*is in beta:UserWarning")
def test_function_form_equals_torchs(call: Call) -> None:
    torch = pytest.importorskip("torch")
    _same(_run(call, 0, tg), _run(call, 0, torch), exact=False)


def test_every_function_form_has_a_sample_call() -> None:
    called = {c.name for c in CALLS}
    creation = set(
        _names(
            "linspace logspace empty empty_like zeros ones zeros_like ones_like full "
            "full_like rand randn rand_like randn_like randint randint_like randperm arange "
            "eye tensor from_numpy as_tensor is_tensor broadcast_shapes multinomial"
        )
    )  # checked below, by their own tests, or (random draws) in test_composite_ops.py
    # imag raises for real tensors, as torch: tests/test_tensor_methods_bitwise_scatter.py
    refusing = {"imag"}
    assert set(SIGNATURES) - creation - refusing == called


# Functions whose first argument is not ``input``.
_OTHER_FIRST = {"where", "cat", "concat", "concatenate", "stack", "meshgrid", "broadcast_tensors"}
_OTHER_FIRST |= set(
    _names(
        "trapezoid trapz cumulative_trapezoid vander chain_matmul embedding embedding_bag "
        "cosine_similarity "
        "pairwise_distance bilinear"
    )
)


_INPUT_FIRST = [c for c in CALLS if c.name not in _OTHER_FIRST]


@pytest.mark.parametrize("call", _INPUT_FIRST, ids=_ids(_INPUT_FIRST))
def test_non_tensors_are_refused_naming_the_function(call: Call) -> None:
    """torch's TypeError for ``torch.exp(2.0)``; ``add``, ``sub``, ``mul``, ``div`` and ``pow``
    take a number first only beside a tensor (``torch.add(2, x)``)."""
    params = list(inspect.signature(getattr(tg, call.name)).parameters)  # input, mostly
    arg = params[1] if params[0] == "n" else params[0]  # polygamma(n, input): its order first
    for value in (2.0, [1.0, 2.0], np.ones(3)):
        args = tuple(value if isinstance(a, T) and a.data is None else a for a in (*call.args,))
        with (
            pytest.raises(TypeError, match=rf"^{call.name}\(\): argument '{arg}'"),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            getattr(tg, call.name)(*args, **call.kwargs)


def test_tensor_arguments_that_torch_requires_are_refused() -> None:
    x = tg.tensor([[1.0, 2.0], [3.0, 4.0]])
    for call, message in [
        (lambda: tg.matmul(x, [[1.0], [2.0]]), r"matmul\(\): argument 'other'"),
        (lambda: tg.mm(x, 1.0), r"mm\(\): argument 'mat2'"),
        (lambda: tg.max(x, other=1.0), r"max\(\): argument 'other'"),
        (lambda: tg.allclose(x, 1.0), r"allclose\(\): argument 'other'"),
        (lambda: tg.equal(x, [1.0]), r"equal\(\): argument 'other'"),
        (lambda: tg.broadcast_tensors(x, 1.0), r"broadcast_tensors\(\): argument 'tensors\[1\]'"),
        (lambda: tg.meshgrid(tg.arange(2), 3), r"meshgrid\(\): argument 'tensors\[1\]'"),
        (lambda: tg.add(x, x, alpha=x), r"add\(\): alpha must be a number"),
    ]:
        with pytest.raises(TypeError, match=message):
            call()


def test_where_torch_function_and_method_differ_the_function_follows_torch() -> None:
    x = tg.tensor([[1.0, 5.0], [3.0, 2.0]], requires_grad=True)
    y = tg.tensor([2.0, 2.0])
    np.testing.assert_array_equal(tg.max(x, y).data, [[2.0, 5.0], [3.0, 2.0]])
    np.testing.assert_array_equal(tg.min(x, 1).indices.data, [0, 1])
    with pytest.raises(TypeError, match=r"max\(\): keepdim needs a dim; .* maximum\(\)"):
        tg.max(x, y, True)
    with pytest.raises(TypeError, match=r"min\(\): give a dim or another tensor, not both"):
        tg.min(x, 0, other=y)
    np.testing.assert_array_equal(tg.add(x, y, alpha=-1).data, (x - y).data)
    ints = tg.tensor([1, 2])
    assert tg.add(ints, ints, alpha=3).dtype == np.int64
    with pytest.raises(TypeError, match=r"add\(\): for integral input tensors, alpha"):
        tg.add(ints, 1, alpha=0.5)
    assert tg.sum(tg.tensor([1, 2], dtype=np.int32), dtype=np.float64).dtype == np.float64
    for call, message in [
        (lambda: tg.mm(x, y), r"mm\(\): mat2 must be a matrix, got .* shape \(2,\)"),
        (lambda: tg.mm(x, tg.ones(3, 2)), r"mm\(\): .* cannot be multiplied \(2x2 and 3x2\)"),
        (lambda: tg.bmm(tg.ones(2, 2, 3), tg.ones(1, 3, 2)), r"bmm\(\): expected mat2 of shape"),
    ]:
        with pytest.raises(RuntimeError, match=message):
            call()


# ----------------------------------------------------------------------------- linspace, logspace

BOUNDS = [(0, 1), (0, 10), (-3.5, 7.25), (1, 1), (0, -7), (2.9, -5.1), (-1e6, 1e6), (5, 0)]
STEPS = [0, 1, 2, 3, 5, 7, 8, 16, 33]
DTYPES = [None, np.float32, np.float64, np.float16, np.int64, np.int32]


def _exact(start: float, end: float, steps: int, integer: bool) -> list[Fraction]:
    """The i-th of ``steps`` evenly spaced values, as an exact rational (bounds truncated
    toward zero for an integer dtype)."""
    a, b = (Fraction(int(v)) if integer else Fraction(v) for v in (start, end))
    if steps == 1:
        return [a]
    return [a + (b - a) * i / (steps - 1) for i in range(steps)]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_linspace_is_exact_to_the_rounding_of_its_dtype(dtype: Any) -> None:
    """Integer dtypes: each exact value truncated toward zero. Float dtypes: within two units in
    the last place of the larger bound of the exact value (torch's formula in the dtype rounds
    the step, then the product and sum), the ends exact."""
    d = np.dtype(dtype or np.float32)
    for (start, end), steps in ((b, s) for b in BOUNDS for s in STEPS):
        if d == np.float16 and max(abs(start), abs(end)) > 6e4:
            continue
        out = tg.linspace(start, end, steps, dtype=dtype)
        assert out.dtype == d and out.shape == (steps,) and not out.requires_grad
        exact = _exact(start, end, steps, d.kind == "i")
        if d.kind == "i":
            assert out.tolist() == [int(v) for v in exact]  # int() truncates toward zero
        elif steps:
            ulp = float(np.spacing(d.type(max(abs(start), abs(end)))))  # two roundings
            assert max(abs(float(v) - w) for v, w in zip(exact, out.data.tolist())) <= 2 * ulp
            assert out.data[0] == d.type(start) and out.data[-1] == d.type(
                end if steps > 1 else start
            )


def test_linspace_and_logspace_match_torch() -> None:
    """torch's own last bit depends on the CPU (it fuses a multiply-add where it can), so the
    floats agree to a unit in the last place of the larger bound, and the integers (exact here)
    to one where torch's float64 rounding lands just below a whole number."""
    torch = pytest.importorskip("torch")
    for (start, end), steps, dtype in (
        (b, s, d) for b in BOUNDS for s in STEPS for d in DTYPES if d != np.float16
    ):
        td = None if dtype is None else getattr(torch, np.dtype(dtype).name)
        ours, theirs = (
            tg.linspace(start, end, steps, dtype=dtype).data,
            torch.linspace(start, end, steps, dtype=td).numpy(),
        )
        assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
        if ours.dtype.kind == "i":
            assert np.abs(ours - theirs).max(initial=0) <= 1
        else:
            ulp = np.spacing(ours.dtype.type(max(abs(start), abs(end))))
            np.testing.assert_allclose(ours, theirs, rtol=0, atol=float(ulp))
        if max(abs(start), abs(end)) > 40:
            continue
        for base in (10.0, 2.0, 0.5):
            wide = torch.logspace(start, end, steps, base, dtype=torch.float64).numpy()
            if ours.dtype.kind == "i" and np.abs(wide).max(initial=0) > np.iinfo(ours.dtype).max:
                with pytest.raises(RuntimeError, match=r"logspace\(\): value cannot be"):
                    tg.logspace(start, end, steps, base, dtype=dtype)  # torch: garbage
                continue
            ours = tg.logspace(start, end, steps, base, dtype=dtype).data
            theirs = torch.logspace(start, end, steps, base, dtype=td).numpy()
            assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
            if ours.dtype.kind == "i":
                assert np.abs(ours.astype(float) - theirs).max(initial=0) <= 1
            else:  # an exponent off by δ moves the power by δ·ln(base), relatively
                e = float(np.spacing(ours.dtype.type(max(abs(start), abs(end), 1))))
                rel = 2 * (e * abs(np.log(base)) + float(np.finfo(ours.dtype).eps))
                np.testing.assert_allclose(ours, theirs, rtol=rel)


def test_linspace_and_logspace_edge_cases() -> None:
    assert tg.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert tg.linspace(0, 10, 5, dtype=np.int64).tolist() == [0, 2, 5, 7, 10]
    assert tg.linspace(0, -7, 4, dtype=np.int64).tolist() == [0, -2, -4, -7]  # toward zero
    assert tg.linspace(-3, 7, 7, dtype=np.int64).tolist()[3] == 2  # torch's float64 says 1
    assert tg.linspace(2.9, -5.1, 1).tolist() == [pytest.approx(2.9)]
    assert tg.linspace(tg.tensor(0.0), tg.tensor(1.0), 3).tolist() == [0.0, 0.5, 1.0]
    assert np.isnan(tg.linspace(0, float("inf"), 3).data).all()  # as torch
    assert tg.logspace(0, 2, 3).tolist() == [1.0, 10.0, 100.0]
    assert tg.logspace(0, 3, 4, base=2, dtype=np.int64).tolist() == [1, 2, 4, 8]
    assert tg.logspace(0, 3.9, 7, 2, dtype=np.int64).tolist() == [1, 1, 2, 2, 4, 5, 8]
    assert tg.logspace(-1, 1, 3, base=-2).tolist() == [-0.5, 1.0, -2.0]
    assert tg.logspace(2, 3, 1, base=10).tolist() == [100.0]
    with tg.no_grad():
        assert tg.linspace(0, 1, 3, requires_grad=True).requires_grad  # a leaf, as torch
    assert tg.linspace(0, 1, 3, dtype=np.float64, requires_grad=True).is_leaf
    default = tg.get_default_dtype()
    tg.set_default_dtype(np.float64)
    try:
        assert tg.linspace(0, 1, 3).dtype == tg.logspace(0, 1, 3).dtype == np.float64
    finally:
        tg.set_default_dtype(default)
    for call, kind, message in [
        (lambda: tg.linspace(0, 1, -1), RuntimeError, r"linspace\(\): number of steps must be"),
        (lambda: tg.linspace(0, 1, 2.0), TypeError, r"linspace\(\): steps must be an int"),
        (lambda: tg.linspace(0, 1, True), TypeError, r"linspace\(\): steps must be an int"),
        (lambda: tg.linspace("0", 1, 3), TypeError, r"linspace\(\): start must be a real"),
        (lambda: tg.linspace(0, tg.ones(2), 3), RuntimeError, r"end must be a number or a 0-d"),
        (lambda: tg.linspace(0, 1, 3, dtype=bool), TypeError, r"floating or integer dtype"),
        (lambda: tg.linspace(0, 1e10, 3, dtype=np.int32), RuntimeError, r"end .* to type int32"),
        (lambda: tg.linspace(0, 1e39, 3), RuntimeError, r"end .* to type float32 without"),
        (lambda: tg.linspace(0, 3, 4, dtype=np.int64, requires_grad=True), TypeError, "float"),
        (lambda: tg.logspace(0, 3, 4, base="2"), TypeError, r"logspace\(\): base must be a real"),
        (lambda: tg.logspace(0, 1, 3, -2, dtype=np.int64), RuntimeError, r"logspace\(\): value"),
        (lambda: tg.logspace(0, 100, 3, dtype=np.int64), RuntimeError, r"logspace\(\): value"),
    ]:
        with pytest.raises(kind, match=message):
            call()


# ----------------------------------------------------------------------------- empty, *_like

LIKE_DTYPES = [np.float32, np.float64, np.float16, np.int64, np.int32, np.uint8, np.bool_]


@pytest.mark.parametrize("dtype", LIKE_DTYPES, ids=str)
def test_like_functions_take_shape_and_dtype_as_torch(dtype: Any) -> None:
    x = tg.tensor(np.ones((2, 3), dtype=dtype))
    floating = np.dtype(dtype).kind == "f"
    assert (
        tg.empty_like(x).dtype == dtype and tg.empty_like(x).tolist() == np.zeros((2, 3)).tolist()
    )
    assert tg.full_like(x, 1).dtype == dtype and tg.full_like(x, 1).shape == (2, 3)
    assert tg.full_like(x, 2, dtype=np.float64).dtype == np.float64
    assert tg.empty_like(x, dtype=np.int64).dtype == np.int64
    if floating:
        for fn in (tg.rand_like, tg.randn_like):
            out = fn(x)
            assert out.dtype == dtype and out.shape == (2, 3) and not out.requires_grad
        assert tg.rand_like(x).data.min() >= 0 and tg.rand_like(x).data.max() < 1
        assert tg.randn_like(x, requires_grad=True).requires_grad
    else:
        with pytest.raises(TypeError, match=r"rand_like\(\): random samples need a floating"):
            tg.rand_like(x)
        assert tg.rand_like(x, dtype=np.float64).dtype == np.float64
    if dtype is not np.bool_:
        draws = tg.randint_like(x, 3, 7)
        assert draws.dtype == dtype and set(draws.data.ravel().tolist()) <= {3, 4, 5, 6}
        assert set(tg.randint_like(x, 2).data.ravel().tolist()) <= {0, 1}
        assert tg.randint_like(x, high=5, dtype=np.int64).dtype == np.int64


def test_like_functions_match_torch() -> None:
    torch = pytest.importorskip("torch")
    for dtype in LIKE_DTYPES:
        td = getattr(torch, np.dtype(dtype).name)
        x, tx = tg.tensor(np.ones((2, 0, 3), dtype=dtype)), torch.ones((2, 0, 3), dtype=td)
        for ours, theirs in [
            (tg.empty_like(x), torch.empty_like(tx)),
            (tg.full_like(x, 2.7), torch.full_like(tx, 2.7)),
            (tg.full_like(x, 1, dtype=np.float32), torch.full_like(tx, 1, dtype=torch.float32)),
            (tg.empty(2, 3, dtype=dtype), torch.empty(2, 3, dtype=td)),
            (tg.empty_like(x, dtype=np.int32), torch.empty_like(tx, dtype=torch.int32)),
        ]:
            assert ours.shape == tuple(theirs.shape)
            assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    assert tg.full_like(tg.tensor([1, 2]), 2.7).tolist() == [2, 2]  # truncated, as torch
    assert torch.full_like(torch.tensor([1, 2]), 2.7).tolist() == [2, 2]


def test_empty_is_zeros_with_torchs_size_arguments() -> None:
    for out in (tg.empty(2, 3), tg.empty((2, 3)), tg.empty(size=(2, 3)), tg.empty([2, 3])):
        assert out.shape == (2, 3) and out.dtype == np.float32 and not out.data.any()
    assert tg.empty(()).shape == () and tg.empty(0).shape == (0,)
    assert tg.empty(2, dtype=np.int64, requires_grad=False).dtype == np.int64
    for call, kind, message in [
        (lambda: tg.empty(-1), RuntimeError, r"empty\(\): negative dimension"),
        (lambda: tg.empty(2.0), TypeError, r"empty\(\): sizes must be ints"),
        (lambda: tg.empty_like([1.0]), TypeError, r"empty_like\(\): argument 'input'"),
        (lambda: tg.full_like(tg.ones(2), "a"), TypeError, r"fill_value must be a number"),
        (lambda: tg.full_like(tg.tensor([1]), float("nan")), RuntimeError, r"nan cannot be"),
        (lambda: tg.randint_like(tg.ones(2), 5, 3), ValueError, r"low must be less than high"),
        (lambda: tg.randint_like(tg.ones(2), 5.5), TypeError, r"low and high must be ints"),
        (lambda: tg.rand_like(tg.ones(2), dtype=np.int64), TypeError, r"rand_like\(\)"),
    ]:
        with pytest.raises(kind, match=message):
            call()


def test_random_like_functions_draw_from_the_generator_given() -> None:
    x = tg.ones(3, 4, dtype=np.float64)
    for fn, args in ((tg.rand_like, ()), (tg.randn_like, ()), (tg.randint_like, (10,))):
        a = fn(x, *args, generator=np.random.default_rng(7))  # type: ignore[operator]
        b = fn(x, *args, generator=np.random.default_rng(7))  # type: ignore[operator]
        np.testing.assert_array_equal(a.data, b.data)


# ----------------------------------------------------------------------------- from numpy


def test_from_numpy_shares_memory_both_ways() -> None:
    a = np.arange(6.0).reshape(2, 3)
    t = tg.from_numpy(a)
    assert t.dtype == np.float64 and t.shape == (2, 3)
    a[0, 0] = 10.0
    assert t[0, 0].item() == 10.0
    t.add_(1.0)
    assert a[0, 0] == 11.0
    assert tg.from_numpy(np.array(3, dtype=np.int32)).dtype == np.int32
    with pytest.raises(TypeError, match=r"from_numpy\(\): expected np.ndarray \(got list\)"):
        tg.from_numpy([1.0])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"from_numpy\(\): can't convert .* <U1"):
        tg.from_numpy(np.array(["a"]))
    with pytest.raises(TypeError):
        tg.from_numpy(ndarray=a)  # type: ignore[call-arg]  # positional only, as torch


def test_as_tensor_copies_only_when_it_must() -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    assert tg.as_tensor(x) is x and tg.as_tensor(x, dtype=np.float32) is x
    y = tg.as_tensor(x, dtype=np.float64)
    assert y.dtype == np.float64 and y.grad_fn is not None  # a cast in the graph, as torch
    a = np.arange(3.0)
    shared = tg.as_tensor(a)
    a[0] = 5.0
    assert shared[0].item() == 5.0
    copied = tg.as_tensor(a, dtype=np.float32)
    a[0] = 6.0
    assert copied.dtype == np.float32 and copied[0].item() == 5.0
    assert tg.as_tensor([1, 2]).dtype == np.int64 and tg.as_tensor([1.0]).dtype == np.float32
    assert tg.as_tensor(np.float64(2.0)).dtype == np.float64
    with pytest.raises(ValueError, match=r"as_tensor\(\): data must be a rectangular"):
        tg.as_tensor([[1], [2, 3]])


def test_is_tensor_numel_is_floating_point() -> None:
    assert tg.is_tensor(tg.ones(1)) and not tg.is_tensor(np.ones(1)) and not tg.is_tensor(1.0)
    assert tg.numel(tg.ones(2, 3)) == 6 and tg.numel(tg.ones(())) == 1
    assert tg.is_floating_point(tg.ones(1)) and not tg.is_floating_point(tg.tensor([1]))


# ----------------------------------------------------------------------------- closeness

CLOSE_VALUES = [
    (
        np.array([1.0, 2.0, np.nan, np.inf, -np.inf, 0.0]),
        np.array([1.0, 2.00001, np.nan, np.inf, np.inf, 1e-9]),
    ),
    (np.array([1e10, 1.0, -1.0]), np.array([1.00001e10, 1.0 + 1e-5, -1.0 - 2e-5])),
    (np.array([[1, 2, 300]]), np.array([[1], [3]])),
    (np.array([True, False]), np.array([True, True])),
    # integers are compared in the default float, as torch: no wrapping around, float32's rounding
    (np.array([0, 255, 3, 200], dtype=np.uint8), np.array([255, 0, 1, 100], dtype=np.uint8)),
    (np.array([100, -100, 5], dtype=np.int8), np.array([-100, 100, 6], dtype=np.int8)),
    (np.array([16777217, 16777217, 2**62]), np.array([16777216, 16777218, -(2**62)])),
]
TOLERANCES = [(1e-05, 1e-08), (0.0, 0.0), (0.5, 0.0), (0.0, 1.0), (1e-3, 1e-3), (0.0, 0.5)]
TOLERANCES += [(0.0, 100.0), (1e-7, 0.0)]


def _close_cases() -> list[tuple[np.ndarray, np.ndarray, float, float, bool]]:
    out = []
    for a, b in CLOSE_VALUES:
        for dtype in (np.float32, np.float64) if a.dtype.kind == "f" else (a.dtype,):
            for rtol, atol in TOLERANCES:
                for equal_nan in (False, True):
                    out.append((a.astype(dtype), b.astype(dtype), rtol, atol, equal_nan))
    return out


def test_isclose_follows_its_formula() -> None:
    """|a − b| ≤ atol + rtol·|b|, equal values (infinities too) close, nan close to nan only
    with equal_nan: numpy's isclose, which states the same formula."""
    for a, b, rtol, atol, equal_nan in _close_cases():
        if a.dtype.kind != "f":
            continue  # numpy compares integers in float64, torch in the default float
        ours = tg.isclose(tg.tensor(a), tg.tensor(b), rtol, atol, equal_nan).data
        np.testing.assert_array_equal(ours, np.isclose(a, b, rtol, atol, equal_nan))
        assert tg.allclose(tg.tensor(a), tg.tensor(b), rtol, atol, equal_nan) == bool(ours.all())


def test_isclose_allclose_equal_match_torch() -> None:
    torch = pytest.importorskip("torch")
    for a, b, rtol, atol, equal_nan in _close_cases():
        x, y, tx, ty = tg.tensor(a), tg.tensor(b), torch.from_numpy(a), torch.from_numpy(b)
        np.testing.assert_array_equal(
            tg.isclose(x, y, rtol, atol, equal_nan).data,
            torch.isclose(tx, ty, rtol, atol, equal_nan).numpy(),
        )
        assert tg.allclose(x, y, rtol, atol, equal_nan) is torch.allclose(
            tx, ty, rtol, atol, equal_nan
        )
        assert tg.equal(x, y) is torch.equal(tx, ty) and tg.equal(x, x) is torch.equal(tx, tx)
    pairs = [(np.float32(0.1), np.float64(0.1)), (np.float64(1.0), np.int64(1))]
    for p, q in pairs:  # equal compares values across dtypes, as torch
        assert tg.equal(tg.tensor([p]), tg.tensor([q])) is torch.equal(
            torch.tensor([p]), torch.tensor([q])
        )


def test_closeness_refusals() -> None:
    x, y = tg.ones(2), tg.ones(3)
    for call, kind, message in [
        (lambda: tg.allclose(x, x.double()), RuntimeError, r"allclose\(\): the operands must .*"),
        (lambda: tg.isclose(x, tg.tensor([1, 1])), RuntimeError, r"got float32 and int64"),
        (lambda: tg.isclose(x, y), RuntimeError, r"isclose\(\): shapes \(2,\) and \(3,\) do not"),
        (lambda: tg.allclose(x, x, rtol=-1), RuntimeError, r"rtol and atol must be >= 0"),
        (lambda: tg.isclose(x, x, atol="0"), TypeError, r"isclose\(\): atol must be a number"),
        (lambda: tg.isclose(1.0, x), TypeError, r"isclose\(\): argument 'input'"),
    ]:
        with pytest.raises(kind, match=message):
            call()
    assert tg.equal(x, y) is False and tg.equal(tg.ones(1), tg.ones(())) is False


# ----------------------------------------------------------------------------- broadcasting

SHAPES = [(), (1,), (3,), (0,), (2, 1), (1, 3), (2, 3), (4, 1, 1), (4, 2, 3), (2, 0)]


def test_broadcast_shapes_matches_numpy_and_torch() -> None:
    try:
        import torch  # an optional second opinion
    except ImportError:
        torch = None
    for p in SHAPES:
        for q in SHAPES:
            try:
                expected: Any = np.broadcast_shapes(p, q)
            except ValueError:
                expected = None
            if expected is None:
                with pytest.raises(RuntimeError, match=r"broadcast_shapes\(\): shapes .* at dim"):
                    tg.broadcast_shapes(p, q)
                continue
            assert tg.broadcast_shapes(p, q) == expected
            if torch is not None:
                assert tg.broadcast_shapes(p, q) == tuple(torch.broadcast_shapes(p, q))
    assert tg.broadcast_shapes() == () and tg.broadcast_shapes(2, (3, 1), [1]) == (3, 2)
    with pytest.raises(ValueError, match=r"broadcast_shapes\(\): negative size"):
        tg.broadcast_shapes((-1,), (3,))
    with pytest.raises(TypeError, match=r"broadcast_shapes\(\): shapes must be ints"):
        tg.broadcast_shapes((2.0,))


def test_broadcast_to_and_broadcast_tensors() -> None:
    x = tg.tensor(np.arange(3.0).reshape(3, 1), requires_grad=True)
    assert tg.broadcast_to(x, (2, -1, 4)).shape == (2, 3, 4)
    a, b = tg.broadcast_tensors(x, tg.ones(4))
    assert a.shape == b.shape == (3, 4) and tg.broadcast_tensors() == ()
    for call, message in [
        (lambda: tg.broadcast_to(x, (3, 2, 2)), r"broadcast_to\(\): shapes \(3, 1\), \(3, 2, 2\)"),
        (lambda: tg.broadcast_to(x, (4,)), r"broadcast_to\(\): cannot broadcast shape \(3, 1\)"),
        (lambda: tg.broadcast_to(x, (-1, 2, 2)), r"broadcast_to\(\): shapes"),
        (lambda: tg.broadcast_tensors(tg.ones(3), tg.ones(2)), r"broadcast_tensors\(\): shapes"),
    ]:
        with pytest.raises(RuntimeError, match=message):
            call()
    with pytest.raises(TypeError, match=r"broadcast_to\(\): size must be ints"):
        tg.broadcast_to(x, (2.0, 3))  # type: ignore[arg-type]


def test_broadcasting_and_meshgrid_gradcheck() -> None:
    rng = np.random.default_rng(3)
    a, b, c = (tg.tensor(rng.standard_normal(s), requires_grad=True) for s in ((3,), (4,), ()))
    r = tg.tensor(rng.standard_normal((3, 1)), requires_grad=True)
    for fn, inputs in [
        (lambda r: tg.broadcast_to(r, (2, 3, 4)), [r]),
        (lambda r, b: tg.broadcast_tensors(r, b), [r, b]),
        (lambda a, b, c: tg.meshgrid(a, b, c, indexing="ij"), [a, b, c]),
        (lambda a, b, c: tg.meshgrid([a, b, c], indexing="xy"), [a, b, c]),
    ]:
        assert gradcheck(fn, inputs)


def test_meshgrid_follows_torch() -> None:
    a, b, c = tg.arange(3), tg.arange(4), tg.arange(2)
    ij = tg.meshgrid(a, b, c, indexing="ij")
    xy = tg.meshgrid(a, b, c, indexing="xy")
    assert [g.shape for g in ij] == [(3, 4, 2)] * 3 and [g.shape for g in xy] == [(4, 3, 2)] * 3
    np.testing.assert_array_equal(xy[0].data, np.meshgrid(a.data, b.data, c.data)[0])
    np.testing.assert_array_equal(ij[1].data, np.meshgrid(a.data, b.data, c.data, indexing="ij")[1])
    assert tg.meshgrid(a, indexing="xy")[0].shape == (3,)
    assert [g.shape for g in tg.meshgrid(tg.tensor(1.0), tg.ones(0), indexing="ij")] == [(1, 0)] * 2
    for call, message in [
        (lambda: tg.meshgrid(indexing="ij"), r"meshgrid\(\): expects a non-empty"),
        (lambda: tg.meshgrid(tg.ones(2, 2), indexing="ij"), r"expects 0-d or 1-D .* \(2, 2\)"),
        (lambda: tg.meshgrid(a, tg.ones(2), indexing="ij"), r"expects tensors of one dtype"),
        (lambda: tg.meshgrid(a, indexing="yx"), r"indexing must be 'ij' or 'xy', got 'yx'"),
    ]:
        with pytest.raises(RuntimeError, match=message):
            call()
    torch = pytest.importorskip("torch")
    for indexing in ("ij", "xy"):
        theirs = torch.meshgrid(*(torch.arange(n) for n in (3, 4, 2)), indexing=indexing)
        ours = tg.meshgrid(a, b, c, indexing=indexing)
        for o, t in zip(ours, theirs):
            np.testing.assert_array_equal(o.data, t.numpy())


def test_meshgrid_without_indexing_warns_once_as_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_namespace, "_meshgrid_warned", False)
    a = tg.arange(2)
    with pytest.warns(UserWarning, match=r"meshgrid\(\): .* pass the indexing argument"):
        first = tg.meshgrid(a, tg.arange(3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        second = tg.meshgrid(a, tg.arange(3))  # once per process, as torch's TORCH_WARN_ONCE
    for f, s, ij in zip(first, second, tg.meshgrid(a, tg.arange(3), indexing="ij")):
        np.testing.assert_array_equal(f.data, ij.data)
        np.testing.assert_array_equal(s.data, ij.data)


def test_torchs_constants() -> None:
    """``torch.nan``, ``torch.inf``, ``torch.pi``, ``torch.e`` (Python floats) and
    ``torch.newaxis`` (None), as torch's own docstring examples use them."""
    assert tg.pi == math.pi and tg.e == math.e and tg.inf == math.inf and math.isnan(tg.nan)
    assert all(type(getattr(tg, n)) is float for n in ("pi", "e", "inf", "nan"))
    assert tg.newaxis is None and tg.arange(3)[:, tg.newaxis].shape == (3, 1)
    # torch.nanmean's example: x = torch.tensor([[torch.nan, 1, 2], [1, 2, 3]])
    x = tg.tensor([[tg.nan, 1, 2], [1, 2, 3]])
    assert x.nanmean(dim=0).tolist() == [1.0, 1.5, 2.5]
    masked = tg.tensor([1.0, 2.0]).masked_fill(tg.tensor([True, False]), -tg.inf)
    assert masked.tolist() == [-math.inf, 2.0]
    torch = pytest.importorskip("torch")
    for n in ("pi", "e", "inf", "newaxis"):
        assert getattr(tg, n) == getattr(torch, n)
    assert type(torch.nan) is float and math.isnan(torch.nan)

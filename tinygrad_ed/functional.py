"""Compositions of primitive ops in numerically stable forms: activations and losses.

Import as ``import tinygrad_ed.functional as F`` (the ``torch.nn.functional`` names). Nothing here
has a derivative rule of its own: gradients come from the primitives it is built of.

The lecture's multiclass logistic model: scores ``f = W x`` for C classes,
``p = softmax(f)``, ``pₖ = e^{fₖ} / Σⱼ e^{fⱼ}``, and the loss of the correct class y

    ℓ(f, y) = −ln p_y = ln Σⱼ e^{fⱼ} − f_y,      ∂ℓ/∂f = p − e_y,      ∂ℓ/∂W = (p − e_y) xᵀ.

Its companion, the multiclass hinge (SVM) loss ``multi_margin_loss``, scores the same f against
a margin instead of a probability, ℓ(f, y) = (1/C) Σ_{j≠y} max(0, 1 − f_y + f_j): it is 0 once
f_y beats every other score by the margin, and each class j still inside the margin pushes f_j
down and f_y up by 1/C, where the logistic loss pulls on every class, by pⱼ, however well the
example is already classified.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _forward_ad
from ._attention import multi_head_attention_forward, scaled_dot_product_attention
from ._conv import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_avg_pool3d,
    adaptive_max_pool1d,
    adaptive_max_pool1d_with_indices,
    adaptive_max_pool2d,
    adaptive_max_pool2d_with_indices,
    adaptive_max_pool3d,
    adaptive_max_pool3d_with_indices,
    avg_pool1d,
    avg_pool2d,
    avg_pool3d,
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
    fold,
    local_response_norm,
    lp_pool1d,
    lp_pool2d,
    lp_pool3d,
    max_pool1d,
    max_pool1d_with_indices,
    max_pool2d,
    max_pool2d_with_indices,
    max_pool3d,
    max_pool3d_with_indices,
    max_unpool1d,
    max_unpool2d,
    max_unpool3d,
    unfold,
)
from ._ctc import ctc_loss
from ._dropout import noise_dropout as _noise_dropout
from ._fractional_pool import (
    fractional_max_pool2d,
    fractional_max_pool2d_with_indices,
    fractional_max_pool3d,
    fractional_max_pool3d_with_indices,
)
from ._grid import affine_grid, grid_sample
from ._linear_cross_entropy_options import LinearCrossEntropyOptions
from ._resample import (
    channel_shuffle,
    interpolate,
    pixel_shuffle,
    pixel_unshuffle,
    upsample,
    upsample_bilinear,
    upsample_nearest,
)
from ._warn import warn
from .autograd import broadcasts_to, is_grad_enabled, no_grad
from .ops import OPS, one_hot_array
from .random import GeneratorLike, _numpy_generator
from .tensor import (
    DTypeLike,
    OpError,
    Tensor,
    _apply,
    _check_dtype,
    _check_keepdim,
    _expect_tensor,
    _index,
    _number_fits,
    cat,
    where,
)

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool3d",
    "adaptive_max_pool1d",
    "adaptive_max_pool1d_with_indices",
    "adaptive_max_pool2d",
    "adaptive_max_pool2d_with_indices",
    "adaptive_max_pool3d",
    "adaptive_max_pool3d_with_indices",
    "affine_grid",
    "alpha_dropout",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "batch_norm",
    "bilinear",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "celu",
    "celu_",
    "channel_shuffle",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "cosine_embedding_loss",
    "cosine_similarity",
    "cross_entropy",
    "ctc_loss",
    "dropout",
    "dropout1d",
    "dropout2d",
    "dropout3d",
    "elu",
    "elu_",
    "embedding",
    "embedding_bag",
    "feature_alpha_dropout",
    "fold",
    "fractional_max_pool2d",
    "fractional_max_pool2d_with_indices",
    "fractional_max_pool3d",
    "fractional_max_pool3d_with_indices",
    "gaussian_nll_loss",
    "gelu",
    "glu",
    "grid_sample",
    "group_norm",
    "gumbel_softmax",
    "hardshrink",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "hardtanh_",
    "hinge_embedding_loss",
    "huber_loss",
    "instance_norm",
    "interpolate",
    "kl_div",
    "l1_loss",
    "l2_penalty",
    "layer_norm",
    "leaky_relu",
    "leaky_relu_",
    "linear",
    "linear_cross_entropy",
    "local_response_norm",
    "log_softmax",
    "logsigmoid",
    "logsumexp",
    "lp_pool1d",
    "lp_pool2d",
    "lp_pool3d",
    "margin_ranking_loss",
    "max_pool1d",
    "max_pool1d_with_indices",
    "max_pool2d",
    "max_pool2d_with_indices",
    "max_pool3d",
    "max_pool3d_with_indices",
    "max_unpool1d",
    "max_unpool2d",
    "max_unpool3d",
    "mish",
    "mse_loss",
    "multi_head_attention_forward",
    "multi_margin_loss",
    "multilabel_margin_loss",
    "multilabel_soft_margin_loss",
    "nll_loss",
    "normalize",
    "one_hot",
    "pad",
    "pairwise_distance",
    "pdist",
    "pixel_shuffle",
    "pixel_unshuffle",
    "poisson_nll_loss",
    "prelu",
    "relu",
    "relu6",
    "relu_",
    "rms_norm",
    "rrelu",
    "rrelu_",
    "scaled_dot_product_attention",
    "selu",
    "selu_",
    "sigmoid",
    "silu",
    "smooth_l1_loss",
    "soft_margin_loss",
    "softmax",
    "softmin",
    "softplus",
    "softshrink",
    "softsign",
    "tanh",
    "tanhshrink",
    "threshold",
    "threshold_",
    "triplet_margin_loss",
    "triplet_margin_with_distance_loss",
    "unfold",
    "upsample",
    "upsample_bilinear",
    "upsample_nearest",
]

_REDUCTIONS = ("mean", "sum", "none")


# ----------------------------------------------------------------------------- argument checks
# Without these a numpy array or list fails deep inside with an AttributeError, and integer
# logits give an integer "loss". One isinstance per argument: F.linear and cross_entropy are hot.


def _check_float(x: Any, op: str, arg: str) -> None:
    """A floating Tensor: torch has no integer softmax or loss kernels, and refuses them."""
    _expect_tensor(x, op, arg)
    if x.dtype.kind != "f":
        raise TypeError(
            f"{op}(): argument '{arg}' must have a floating point dtype, got {x.dtype} "
            f"(shape {x.shape}); convert it with .float()"
        )


def _check_reduction(reduction: str, op: str, allowed: tuple[str, ...] = _REDUCTIONS) -> None:
    # Up front: a single example skips the reduction, which would let a typo through.
    if not isinstance(reduction, str):  # np.str_ (read from a config array) is a str
        raise TypeError(
            f"{op}(): reduction must be one of {allowed}, got {type(reduction).__name__}"
        )
    if reduction not in allowed:
        raise ValueError(
            f"{op}(): {reduction!r} is not a valid value for reduction; expected one of {allowed}"
        )


# ----------------------------------------------------------------------------- activations


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0), with relu'(0) = 0 (``F.relu``). With ``inplace`` the result is written into
    ``input`` (``relu_``), as by the activations below: recorded for a non-leaf, refused for a
    leaf that requires grad, as torch."""
    if inplace:  # torch writes into input and returns it
        return relu_(input)
    _expect_tensor(input, "relu", "input")
    return input.relu()


def sigmoid(input: Tensor) -> Tensor:
    """σ(x) = 1 / (1 + e⁻ˣ) (``torch.sigmoid``)."""
    _expect_tensor(input, "sigmoid", "input")
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """tanh x (``torch.tanh``)."""
    _expect_tensor(input, "tanh", "input")
    return input.tanh()


# The activations below are compositions, each with torch's value at its kink: a ``where``
# picks the branch by torch's comparison, and the chosen branch's derivative is the one torch
# gives there. ``inplace=True`` writes the result into the input (see ``relu``).


def _softplus(z: Tensor, t: float) -> Tensor:
    """ln(1 + eᶻ) − t·z: the op table's binary_cross_entropy_with_logits, stable for any z, with
    the smooth rule z̄ = g·(σ(z) − t) (a composition of max and |z| would give 1 or 0 at z = 0)."""
    return _apply(OPS["binary_cross_entropy_with_logits"], z, z._other(t))


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x for x > 0, else negative_slope·x (``F.leaky_relu``); the derivative at 0 is
    negative_slope, as torch's."""
    if inplace:  # torch writes into input and returns it
        return leaky_relu_(input, negative_slope)
    _check_float(input, "leaky_relu", "input")
    if isinstance(negative_slope, (int, float, np.number)):
        _number_fits(
            negative_slope, input.dtype, f"leaky_relu(): negative_slope {negative_slope!r}"
        )
    return where(input.data > 0, input, input * negative_slope)


def _check_number(value: Any, op: str, name: str) -> None:
    if type(value) is bool or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{op}(): {name} must be a number, got {value!r}")


def _check_rrelu_bounds(lower: Any, upper: Any, op: str) -> None:
    for name, bound in (("lower", lower), ("upper", upper)):
        _check_number(bound, op, name)
    if lower > upper:
        raise OpError(
            f"{op}(): Lower bound should be less than or equal to the upper bound, got "
            f"lower={lower} and upper={upper}"
        )


def rrelu(
    input: Tensor,
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    inplace: bool = False,
) -> Tensor:
    """The randomized leaky ReLU (``F.rrelu``; note torch's default ``training=False``).

    Training: ``y = x`` where x > 0, else ``a·x`` with a fresh slope ``a ~ U(lower, upper)`` per
    element; ``x̄ = g·a`` there (also at x = 0, as torch), ``g`` elsewhere. Evaluation: the
    deterministic ``leaky_relu(x, (lower + upper)/2)``. ``inplace``: ``rrelu_``.
    """
    if inplace:  # torch writes into input and returns it
        return rrelu_(input, lower, upper, training)
    return _rrelu(input, lower, upper, training, None)


def _rrelu(
    input: Tensor, lower: float, upper: float, training: bool, generator: GeneratorLike
) -> Tensor:
    """``rrelu`` with its slopes drawn from ``generator`` (``torch.rrelu`` takes one)."""
    _check_float(input, "rrelu", "input")
    _check_rrelu_bounds(lower, upper, "rrelu")
    if not training:
        return leaky_relu(input, (lower + upper) / 2)
    rng = _numpy_generator(generator, "rrelu")
    slopes = rng.uniform(lower, upper, input.shape).astype(input.dtype)
    # torch's kernel tests x <= 0, so a nan keeps its value and its gradient g
    return where(~(input.data <= 0), input, input * Tensor._make(slopes))


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, else α·(eˣ − 1) (``F.elu``); the derivative at 0 is α, as torch's.

    The exponential is taken of min(x, 0), so the branch not chosen never overflows (an inf
    there would turn its zero gradient into nan). As torch's rule, x̄ = g unless x ≤ 0, so a
    nan passes g on (torch's formula and its kernel on fewer than 8 entries; its vectorized
    kernel on longer tensors gives nan there).
    """
    if inplace:  # torch writes into input and returns it
        return elu_(input, alpha)
    _check_float(input, "elu", "input")
    if isinstance(alpha, (int, float, np.number)):
        _number_fits(alpha, input.dtype, f"elu(): alpha {alpha!r}")
    return where(~(input.data <= 0), input, input.clamp(max=0.0).expm1() * alpha)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """ln(1 + e^{βx}) / β, and x itself where βx > threshold (``F.softplus``); x̄ = g·σ(βx)
    below the threshold, g above. Evaluated stably: where torch's ln(1 + e^{βx}) overflows to
    inf below a large threshold, this is finite."""
    _check_float(input, "softplus", "input")
    scaled = input * beta
    return where(scaled.data > threshold, input, _softplus(scaled, 0.0) / beta)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x·σ(x), the swish (``F.silu``)."""
    if inplace:  # torch writes into input and returns it
        return input._computed_inplace("silu_", silu, None)
    _check_float(input, "silu", "input")
    with np.errstate(invalid="ignore"):  # silu(−∞) = −∞·0 = nan, torch's value, silently
        return input * input.sigmoid()


def logsigmoid(input: Tensor) -> Tensor:
    """ln σ(x) = −ln(1 + e⁻ˣ) (``F.logsigmoid``): stable, x̄ = g·(1 − σ(x))."""
    _check_float(input, "logsigmoid", "input")
    return -_softplus(input, 1.0)  # ln(1 + eˣ) − x = ln(1 + e⁻ˣ)


_GELU_TANH = np.sqrt(2.0 / np.pi)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x·Φ(x), Φ the standard normal CDF (``F.gelu``): ½x(1 + erf(x/√2)), or with
    ``approximate='tanh'`` ½x(1 + tanh(√(2/π)(x + 0.044715x³))), as torch computes them."""
    _check_float(input, "gelu", "input")
    if approximate == "none":
        with np.errstate(invalid="ignore"):  # gelu(−∞) = −∞·0 = nan, torch's value, silently
            return input * 0.5 * (1.0 + (input * float(np.sqrt(0.5))).erf())
    if approximate == "tanh":
        inner = (input + input * input * input * 0.044715) * float(_GELU_TANH)
        return input * 0.5 * (1.0 + inner.tanh())
    raise ValueError(f"gelu(): approximate must be 'none' or 'tanh', got {approximate!r}")


def hardtanh(
    input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False
) -> Tensor:
    """x clipped to [min_val, max_val] (``F.hardtanh``). Unlike ``clamp``, the gradient is 0 at
    the bounds, as torch's: x̄ = g·[min_val < x < max_val]."""
    if inplace:  # torch writes into input and returns it
        return hardtanh_(input, min_val, max_val)
    _expect_tensor(input, "hardtanh", "input")
    if min_val > max_val:
        raise ValueError(
            f"hardtanh(): min_val ({min_val}) cannot be greater than max_val ({max_val})"
        )
    if input.dtype.kind == "b" or (input.dtype.kind == "u" and min_val < 0):
        raise TypeError(
            f"hardtanh(): not supported for {input.dtype} tensors"
            + (f" with the negative min_val {min_val}" if input.dtype.kind == "u" else "")
            + " (as in torch)"
        )
    for name, bound in (("min_val", min_val), ("max_val", max_val)):
        _number_fits(bound, input.dtype, f"hardtanh(): {name} {bound!r}")
    if input.dtype.kind not in "fc":  # torch clips integers in their own dtype
        return Tensor._make(np.clip(input.data, min_val, max_val).astype(input.dtype))
    # torch's rule passes g unless x ≤ min_val or x ≥ max_val, so a nan passes it too.
    inside = ~((input.data <= min_val) | (input.data >= max_val))
    return where(inside, input, input.detach().clamp(min_val, max_val))


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6) (``F.relu6``): ``hardtanh(x, 0, 6)``, as torch defines it, so the
    derivative is 0 at both kinks, x = 0 and x = 6, and integers stay integers."""
    if inplace:  # torch writes into input and returns it
        return hardtanh_(input, 0.0, 6.0)
    _expect_tensor(input, "relu6", "input")
    return hardtanh(input, 0.0, 6.0)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x + 3, 0), 6) / 6, a piecewise-linear σ (``F.hardsigmoid``);
    x̄ = g/6 for −3 < x < 3 and 0 elsewhere, at x = ±3 too (torch's kinks)."""
    if inplace:  # torch writes into input and returns it
        return input._computed_inplace("hardsigmoid_", hardsigmoid, None)
    _check_float(input, "hardsigmoid", "input")
    return _relu6_shifted(input) / 6.0


def _relu6_shifted(x: Tensor) -> Tensor:
    """min(max(x + 3, 0), 6) with torch's gradient mask −3 < x < 3, tested on x itself (x + 3
    rounds: 3 − 2⁻⁵¹ is inside, but 3 − 2⁻⁵¹ + 3 rounds to 6, which hardtanh would call a bound)."""
    inside = (x.data > -3.0) & (x.data < 3.0)
    return where(inside, x + 3.0, (x.detach() + 3.0).clamp(0.0, 6.0))


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x·min(max(x + 3, 0), 6) / 6 (``F.hardswish``), in torch's order of operations;
    x̄ = g·(x/3 + ½) for −3 < x < 3, g for x ≥ 3 and 0 for x ≤ −3 (torch's kinks)."""
    if inplace:  # torch writes into input and returns it
        return input._computed_inplace("hardswish_", hardswish, None)
    _check_float(input, "hardswish", "input")
    with np.errstate(invalid="ignore"):  # hardswish(−∞) = −∞·0 = nan, torch's, silently
        out = input * _relu6_shifted(input) / 6.0
    # torch's rule is 0 for x ≤ −3 whatever g is; the product's would be nan·0 = nan for a nan g
    # (which hardswish(−∞) = −∞·0 = nan itself feeds to a loss)
    off = input.data <= -3.0
    return where(off, out.detach(), out) if off.any() else out


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """λ·elu(x, α) with torch's constants α ≈ 1.6733, λ ≈ 1.0507 (``F.selu``): self-normalizing;
    the derivative at 0 is λα, elu's left one, as torch's."""
    if inplace:  # torch writes into input and returns it
        return selu_(input)
    _check_float(input, "selu", "input")
    return elu(input, _SELU_ALPHA) * _SELU_SCALE


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, else α·(e^{x/α} − 1) (``F.celu``): continuously differentiable, with
    derivative 1 at 0 from both sides. As torch, the exponent is x·(1/α), and x̄ = g at a nan."""
    if inplace:  # torch writes into input and returns it
        return celu_(input, alpha)
    _check_float(input, "celu", "input")
    if type(alpha) is bool or not isinstance(alpha, (int, float, np.integer, np.floating)):
        raise TypeError(f"celu(): alpha must be a number, got {alpha!r}")
    if alpha == 0:
        raise RuntimeError("celu(): alpha cannot be 0 (it divides x), as in torch")
    _number_fits(alpha, input.dtype, f"celu(): alpha {alpha!r}")
    left = (input.clamp(max=0.0) * (1.0 / alpha)).expm1() * alpha
    return where(~(input.data <= 0), input, left)  # a nan passes g on, as in torch


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x·tanh(softplus(x)) (``F.mish``), with the stable ln(1 + eˣ) (no threshold): finite for
    |x| = 1e4; x̄ = g·(tanh s + x·(1 − tanh² s)·σ(x)) with s = softplus(x)."""
    if inplace:  # torch writes into input and returns it
        return input._computed_inplace("mish_", mish, None)
    _check_float(input, "mish", "input")
    with np.errstate(invalid="ignore"):  # mish(−∞) = −∞·0 = nan, torch's value, silently
        return input * _softplus(input, 0.0).tanh()


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|) (``F.softsign``), torch's composition: x̄ = g / (1 + |x|)², 1 at 0; nan at
    ±∞ (∞/∞) as torch's. Integers divide to the default float."""
    _expect_tensor(input, "softsign", "input")
    if input.dtype.kind == "b":
        raise TypeError("softsign(): not implemented for bool tensors (as in torch)")
    return input / (input.abs() + 1)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x where x > threshold, else value (``F.threshold``); x̄ = g·[not x ≤ threshold], so a
    nan passes through with its gradient, as in torch. Integers stay integers (value truncated)."""
    if inplace:  # torch writes into input and returns it
        return threshold_(input, threshold, value)
    _expect_tensor(input, "threshold", "input")
    for name, number in (("threshold", threshold), ("value", value)):
        if type(number) is bool or not isinstance(number, (int, float, np.integer, np.floating)):
            raise TypeError(f"threshold(): {name} must be a number, got {number!r}")
    if input.dtype.kind == "b":
        raise TypeError("threshold(): not implemented for bool tensors (as in torch)")
    for name, number in (("threshold", threshold), ("value", value)):
        _number_fits(number, input.dtype, f"threshold(): {name} {number!r}")
    below = input.data <= threshold
    if input.dtype.kind != "f":
        return Tensor._make(np.where(below, np.asarray(value).astype(input.dtype), input.data))
    return where(below, value, input)


_threshold = threshold  # for threshold_, whose argument of the same name shadows the function


def _check_lambd(lambd: Any, input: Tensor, op: str) -> None:
    _check_number(lambd, op, "lambd")
    _number_fits(lambd, input.dtype, f"{op}(): lambd {lambd!r}")


# torch's kernels differ at a nan (its vectorized ones give the gradient 0 there) and in the sign
# of softshrink's zeros (its short-tensor kernel gives −0 for negative x): these follow its
# formula, x̄ = g unless −λ ≤ x ≤ λ, so a nan keeps its value and passes g, and zeros are +0.


def _shrunk(input: Tensor, lambd: float) -> np.ndarray:
    """Where a shrink keeps x (torch's rule: not −λ ≤ x ≤ λ, which a nan fails too)."""
    return ~((input.data >= -lambd) & (input.data <= lambd))


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > λ, else 0 (``F.hardshrink``); ``x̄ = g·[|x| > λ]``, so 0 at the kinks
    x = ±λ, as torch's. A negative λ keeps every entry, as in torch."""
    _check_float(input, "hardshrink", "input")
    _check_lambd(lambd, input, "hardshrink")
    return where(_shrunk(input, lambd), input, 0.0)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x − λ where x > λ, x + λ where x < −λ, else 0 (``F.softshrink``), λ ≥ 0: the proximal
    map of λ|x|. ``x̄ = g·[|x| > λ]``, 0 at the kinks x = ±λ, as torch's."""
    _check_float(input, "softshrink", "input")
    _check_lambd(lambd, input, "softshrink")
    largest = float(np.finfo(input.dtype).max)
    if not 0 <= lambd <= largest:  # nan and inf too, as torch
        raise OpError(
            f"softshrink(): lambda must be in range [0, {largest:g}] for input dtype "
            f"{input.dtype}, but found to be {lambd}"
        )
    shift = Tensor._make(np.sign(input.data) * input.dtype.type(lambd))  # a constant: x̄ = g
    return where(_shrunk(input, lambd), input - shift, 0.0)


def tanhshrink(input: Tensor) -> Tensor:
    """x − tanh x (``F.tanhshrink``), torch's composition: ``x̄ = g·tanh² x``. Integers give
    the default float, as torch's."""
    _expect_tensor(input, "tanhshrink", "input")
    if input.dtype.kind == "b":
        raise TypeError("tanhshrink(): not implemented for bool tensors (as in torch)")
    return input - input.tanh()


# The in-place forms (``F.relu_`` …): the out-of-place result written into the input's memory,
# as the Tensor methods ``exp_`` and ``clamp_`` do: recorded for a non-leaf (the input's grad_fn
# moves on), refused for a leaf that requires grad, and a graph that saved the old values
# refuses to backward.


def relu_(input: Tensor) -> Tensor:
    """``relu`` in place (``F.relu_``); returns ``input``."""
    _expect_tensor(input, "relu_", "input")
    return input.relu_()


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """``elu`` in place (``F.elu_``); returns ``input``."""
    _expect_tensor(input, "elu_", "input")
    return input._computed_inplace("elu_", lambda x: elu(x, alpha), None)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """``leaky_relu`` in place (``F.leaky_relu_``); returns ``input``."""
    _expect_tensor(input, "leaky_relu_", "input")
    return input._computed_inplace("leaky_relu_", lambda x: leaky_relu(x, negative_slope), None)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """``hardtanh`` in place (``F.hardtanh_``); returns ``input``."""
    _expect_tensor(input, "hardtanh_", "input")
    return input._computed_inplace("hardtanh_", lambda x: hardtanh(x, min_val, max_val), None)


def selu_(input: Tensor) -> Tensor:
    """``selu`` in place (``F.selu_``); returns ``input``."""
    _expect_tensor(input, "selu_", "input")
    return input._computed_inplace("selu_", selu, None)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """``celu`` in place (``F.celu_``); returns ``input``."""
    _expect_tensor(input, "celu_", "input")
    return input._computed_inplace("celu_", lambda x: celu(x, alpha), None)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """``threshold`` in place (``F.threshold_``); returns ``input``."""
    _expect_tensor(input, "threshold_", "input")
    return input._computed_inplace("threshold_", lambda x: _threshold(x, threshold, value), None)


def rrelu_(
    input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False
) -> Tensor:
    """``rrelu`` in place (``F.rrelu_``), with fresh slopes while training; returns ``input``."""
    _expect_tensor(input, "rrelu_", "input")
    return input._computed_inplace("rrelu_", lambda x: rrelu(x, lower, upper, training), None)


def _implicit_softmax_dim(name: str, input: Tensor) -> int:
    """torch's ``_get_softmax_dim`` for ``dim=None``: 0 for 0-, 1- and 3-d inputs (a single
    sample, or one (C, H, W) image), else 1 (the classes of an (N, C, ...) batch), with torch's
    deprecation UserWarning."""
    warn(
        f"Implicit dimension choice for {name} has been deprecated. "
        "Change the call to include dim=X as an argument.",
        UserWarning,
    )
    return 0 if input.ndim in (0, 1, 3) else 1


def softmax(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: DTypeLike = None
) -> Tensor:
    """pₖ = e^{xₖ} / Σⱼ e^{xⱼ} along ``dim`` (``F.softmax``); shift invariant, stable at 1e4.

    ``dim=None`` is torch's deprecated implicit choice (dim 0 for 0-, 1- and 3-d inputs, else
    1) with its UserWarning; prefer an explicit ``dim``. ``dtype`` casts the input first, as
    torch's (so integers can be given with a float dtype). ``_stacklevel`` is accepted, as
    torch's, and unused: the warning names the first line outside tinygrad_ed, whatever the path.
    """
    _expect_tensor(input, "softmax", "input")  # the method refuses integers
    if dim is None:
        dim = _implicit_softmax_dim("softmax", input)
    x = input if dtype is None else input.to(_check_dtype(dtype, "softmax"))
    return x.softmax(dim)


def softmin(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: DTypeLike = None
) -> Tensor:
    """softmax(−x) along ``dim`` (``F.softmin``): the smallest entry gets the most weight.
    ``dtype`` casts the input first, as torch's; ``dim=None`` is softmax's implicit choice."""
    _expect_tensor(input, "softmin", "input")
    if dim is None:
        dim = _implicit_softmax_dim("softmin", input)
    x = input if dtype is None else input.to(_check_dtype(dtype, "softmin"))
    _check_float(x, "softmin", "input")  # before the negation, which refuses bools its own way
    return (-x).softmax(_index(dim, "softmin"))


def log_softmax(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: DTypeLike = None
) -> Tensor:
    """x − log Σ eˣ along ``dim`` (``F.log_softmax``); ``dim=None`` is softmax's implicit
    choice, and ``dtype`` casts the input first, as torch's."""
    _expect_tensor(input, "log_softmax", "input")
    if dim is None:
        dim = _implicit_softmax_dim("log_softmax", input)
    x = input if dtype is None else input.to(_check_dtype(dtype, "log_softmax"))
    return x.log_softmax(dim)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """The gated linear unit (``F.glu``): x split in halves a, b along ``dim``, ``y = a ⊙ σ(b)``;
    ``ā = g·σ(b)``, ``b̄ = g·a·σ(b)(1 − σ(b))``. The dim's size must be even."""
    _check_float(input, "glu", "input")
    if input.ndim == 0:
        raise OpError("glu(): glu does not support scalars because halving size must be even")
    d = input._dim(dim, "glu")
    n = input.shape[d]
    if n % 2:
        raise OpError(
            f"glu(): Halving dimension must be even, but dimension {d} is size {n} "
            f"(input of shape {input.shape})"
        )
    a, b = input.narrow(d, 0, n // 2), input.narrow(d, n // 2, n // 2)
    return a * b.sigmoid()


def gumbel_softmax(
    logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10, dim: int = -1
) -> Tensor:
    """A sample of the Gumbel-softmax (concrete) distribution (``F.gumbel_softmax``):
    ``y = softmax((logits + G)/τ)`` along ``dim``, ``Gᵢ = −ln Eᵢ`` with ``Eᵢ ~ Exp(1)`` from the
    global generator, so ``argmax y`` is a sample of ``softmax(logits)`` (the Gumbel-max trick)
    and ``y`` is differentiable in the logits (the reparametrization trick).

    ``hard=True`` returns the one-hot of ``argmax y`` with the straight-through gradient of the
    soft sample, torch's ``y_hard − y.detach() + y``. ``eps`` is deprecated and unused, as in
    torch (it warns). Unlike torch, τ must be positive: τ = 0 would give nan, τ < 0 reverses
    the sample.
    """
    _check_float(logits, "gumbel_softmax", "logits")
    _check_number(tau, "gumbel_softmax", "tau")
    if not tau > 0:
        raise ValueError(f"gumbel_softmax(): tau must be positive, got {tau}")
    if eps != 1e-10:
        warn("`eps` parameter is deprecated and has no effect.")
    d = logits._dim(dim, "gumbel_softmax")
    # Exp(1) is 0 with probability 2⁻⁵³ in numpy; the smallest positive float keeps G finite.
    e = _numpy_generator().standard_exponential(logits.shape)
    gumbels = -np.log(np.maximum(e, np.finfo(logits.dtype).tiny)).astype(logits.dtype)
    y_soft = ((logits + Tensor._make(gumbels)) / tau).softmax(d)
    if not hard:
        return y_soft
    one_hot = np.zeros_like(y_soft.data)
    if logits.ndim == 0:
        one_hot[()] = 1.0
    elif logits.shape[d] == 0:
        raise OpError(
            f"gumbel_softmax(): hard=True takes the argmax along dim {d}, which is empty "
            f"(logits of shape {logits.shape})"
        )
    else:
        np.put_along_axis(one_hot, np.expand_dims(y_soft.data.argmax(d), d), 1.0, axis=d)
    return Tensor._make(one_hot) - y_soft.detach() + y_soft


def logsumexp(x: Tensor, dim: int, keepdim: bool = False) -> Tensor:
    """log Σ eˣ along ``dim``: max x ≤ logsumexp x ≤ max x + ln C (``torch.logsumexp``)."""
    _expect_tensor(x, "logsumexp", "x")
    return x.logsumexp(dim, keepdim)


# ----------------------------------------------------------------------------- dropout


def _check_dropout_p(p: Any, op: str) -> None:
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)):
        raise TypeError(f"{op}: p must be a float, got {type(p).__name__} {p!r}")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{op}: dropout probability has to be between 0 and 1, but got {p}")


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Inverted dropout (``F.dropout``; note torch's default ``training=True``, unlike the
    module, which follows ``model.train()``/``eval()``).

    ``y = x ⊙ m / (1 − p)`` with ``mᵢ ~ Bernoulli(1 − p)`` from the global generator, so
    ``E[y] = x``; ``x̄ = ȳ ⊙ m / (1 − p)``. With ``training=False`` or p = 0 the input itself
    is returned. With ``inplace`` (torch's ``dropout_``) the result is written into ``input``,
    which is returned: recorded for a non-leaf, refused for a leaf that requires grad, as torch;
    the same seed draws the same mask either way.
    """
    _check_dropout_p(p, "dropout()")
    _expect_tensor(input, "dropout", "input")
    if not training:
        return input
    return _noise_dropout(input, p, "dropout", feature=False, alpha=False, inplace=inplace)


def _channel_dropout(
    input: Tensor,
    p: float,
    training: bool,
    inplace: bool,
    op: str,
    *,
    batched_rank: int,
    unbatched: bool,
) -> Tensor:
    """dropout1d/2d/3d: with ``unbatched``, an input of another rank than ``batched_rank`` gets
    a batch dim of 1 for the draw (torch's rule), so each of its rows is a channel.

    ``inplace`` writes into ``input`` and returns it (see ``dropout``). torch gives an unbatched
    input its batch dim in place (``unsqueeze_``), so it refuses a leaf that requires grad even
    in eval mode or with p = 0, before drawing; that refusal is kept, but the grad_fn stays the
    product's (torch's is its ``squeeze_``'s, SqueezeBackward)."""
    _check_dropout_p(p, f"{op}()")
    _expect_tensor(input, op, "input")
    batched = not unbatched or input.ndim == batched_rank
    if inplace and not batched and input.requires_grad and is_grad_enabled():
        input._computed_inplace(op, _same, None)  # refuses a leaf; the identity otherwise
    if not training or p == 0.0:
        return input
    if batched:
        return _noise_dropout(input, p, op, feature=True, alpha=False, inplace=inplace)
    if inplace:
        return _noise_dropout(input, p, op, feature=True, alpha=False, inplace=True, unbatched=True)
    return _noise_dropout(input.unsqueeze(0), p, op, feature=True, alpha=False).squeeze(0)


def _same(x: Tensor) -> Tensor:
    return x


def _check_rank(input: Tensor, op: str, ranks: tuple[int, int], spatial: int) -> None:
    if input.ndim not in ranks:
        raise OpError(
            f"{op}: Expected {ranks[0]}D or {ranks[1]}D input, but received a {input.ndim}D "
            f"input (shape {input.shape}). Note that {op} exists to provide channel-wise "
            f"dropout on inputs with {spatial} spatial dimension{'s' if spatial > 1 else ''}, "
            "a channel dimension, and an optional batch dimension."
        )


def _warn_channel_rank(input: Tensor, op: str, ranks: tuple[int, int], spatial: int) -> None:
    """torch's deprecation warning for dropout2d/3d of another rank than its own two."""
    if input.ndim not in ranks:
        warn(
            f"{op}: Received a {input.ndim}-D input to {op}, which is deprecated and will "
            "result in an error in a future release. To retain the behavior and silence this "
            f"warning, please use dropout instead. Note that {op} exists to provide "
            f"channel-wise dropout on inputs with {spatial} spatial dimensions, a channel "
            f"dimension, and an optional batch dimension (i.e. {ranks[0]}D or {ranks[1]}D "
            "inputs)."
        )


def dropout1d(
    input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False
) -> Tensor:
    """Channel dropout for (N, C, L) or unbatched (C, L) inputs (``F.dropout1d``): each channel
    ``x[n, c]`` is zeroed whole with probability p, the rest scaled by 1/(1 − p), so
    ``x̄[n, c] = g[n, c]·m[n, c]/(1 − p)``. The identity when not ``training``. ``inplace``
    writes into ``input`` (see ``dropout`` and ``_channel_dropout``)."""
    _check_dropout_p(p, "dropout1d()")
    _expect_tensor(input, "dropout1d", "input")
    _check_rank(input, "dropout1d", (2, 3), 1)
    return _channel_dropout(
        input, p, training, inplace, "dropout1d", batched_rank=3, unbatched=True
    )


def dropout2d(
    input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False
) -> Tensor:
    """Channel dropout for (N, C, H, W) inputs (``F.dropout2d``), as ``dropout1d``. As torch's,
    with its warnings, a 3-d input is read as batched (N, C, L), not as an unbatched (C, H, W),
    and other ranks of at least 2 are accepted (deprecated), each ``x[n, c]`` a channel."""
    _check_dropout_p(p, "dropout2d()")
    _expect_tensor(input, "dropout2d", "input")
    _warn_channel_rank(input, "dropout2d", (3, 4), 2)
    if input.ndim == 3:
        warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead."
        )
    return _channel_dropout(
        input, p, training, inplace, "dropout2d", batched_rank=4, unbatched=False
    )


def dropout3d(
    input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False
) -> Tensor:
    """Channel dropout for (N, C, D, H, W) or unbatched (C, D, H, W) inputs
    (``F.dropout3d``), as ``dropout1d``. As torch's, with its warning, other ranks are accepted
    (deprecated) and get a batch dim of 1 (a 3-d input's channels are its rows)."""
    _check_dropout_p(p, "dropout3d()")
    _expect_tensor(input, "dropout3d", "input")
    _warn_channel_rank(input, "dropout3d", (4, 5), 3)
    return _channel_dropout(
        input, p, training, inplace, "dropout3d", batched_rank=5, unbatched=True
    )


def alpha_dropout(
    input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False
) -> Tensor:
    """Dropout that keeps selu's self-normalization (``F.alpha_dropout``; torch's default is
    ``training=False``): dropped entries are set to selu's negative limit −α′ (α′ = λα ≈ 1.7581)
    instead of 0, and an affine map ``a·y + b`` restores zero mean and unit variance:

        y = a·x + α′ap where kept (probability 1 − p),  y = −α′a(1 − p) where dropped,
        a = ((α′²p + 1)(1 − p))^(−1/2);  x̄ = g·a·m.

    The identity when not ``training`` (or p = 0); zeros for p = 1, as torch's. ``inplace``
    writes into ``input`` and returns it (see ``dropout``); its grad_fn is then the sum's."""
    _check_dropout_p(p, "alpha_dropout()")
    _expect_tensor(input, "alpha_dropout", "input")
    if not training:
        return input
    return _noise_dropout(input, p, "alpha_dropout", feature=False, alpha=True, inplace=inplace)


def feature_alpha_dropout(
    input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False
) -> Tensor:
    """``alpha_dropout`` of whole channels (``F.feature_alpha_dropout``): one draw per
    (sample, channel) of an (N, C, …) input, which needs at least 2 dims. ``inplace`` as
    ``alpha_dropout``'s."""
    _check_dropout_p(p, "feature_alpha_dropout()")
    _expect_tensor(input, "feature_alpha_dropout", "input")
    if not training:
        return input
    return _noise_dropout(
        input, p, "feature_alpha_dropout", feature=True, alpha=True, inplace=inplace
    )


# ----------------------------------------------------------------------------- distances


def _undifferentiated_floor(n: Tensor, eps: float) -> Tensor:
    """max(n, eps) in value, with n's gradient: torch's cosine_similarity clamps the norms in
    place under no_grad, so its rule differentiates the norm as if it were not clamped."""
    small = n.data < eps
    if not small.any():
        return n
    out = where(small, n - n.detach() + eps, n)  # n − n is exactly 0: the value is eps
    tangent = _forward_ad.tangent_of(n) if _forward_ad.active() else None
    if tangent is not None:
        # torch's clamp under no_grad still moves the tangent (forward AD ignores grad mode):
        # max(n, eps)'s own, 0 where clamped, not the one derived from the rule above
        _forward_ad._set_tangent(out, Tensor._make(np.where(small, 0 * tangent.data, tangent.data)))
    return out


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """x₁·x₂ / (max(‖x₁‖, ε)·max(‖x₂‖, ε)) along ``dim`` (``F.cosine_similarity``).

    As torch 2.13 computes it: x₁ and x₂ broadcast, each is divided by its own norm (so the
    result stays in [−1, 1]), and each norm is raised to ε in value only: the gradient is the
    one of x₁/‖x₁‖ with ‖x₁‖'s own rule, so a norm below ε gives x̄₁ ≈ x₂/(ε‖x₂‖) (1e8 for
    ε = 1e-8), and a zero vector gets the gradient of its zero norm, 0, in that term.
    """
    op = "cosine_similarity"
    _expect_tensor(x1, op, "x1")
    _expect_tensor(x2, op, "x2")
    if type(eps) is bool or not isinstance(eps, (int, float, np.integer, np.floating)):
        raise TypeError(f"{op}(): eps must be a float, got {eps!r}")
    if eps < 0:
        raise RuntimeError(f"{op}(): eps must be non-negative, got {eps}")
    shape = _broadcast(x1, x2, op, "x1", "x2")
    dtype = (x1.detach() * x2.detach()).dtype  # torch's promotion (a 0-d tensor defers)
    if dtype.kind != "f":
        raise TypeError(
            f"{op}(): expected the common dtype of x1 ({x1.dtype}) and x2 ({x2.dtype}) to be "
            f"floating point, got {dtype}"
        )
    _number_fits(eps, dtype, f"{op}(): eps {eps!r}")
    a, b = x1.to(dtype).expand(shape), x2.to(dtype).expand(shape)
    dims = a._dims(dim, op)
    na = _undifferentiated_floor(a.norm(2, dims, keepdim=True), eps)
    nb = _undifferentiated_floor(b.norm(2, dims, keepdim=True), eps)
    return ((a / na) * (b / nb)).sum(dims)


def _broadcast(x: Tensor, y: Tensor, op: str, a: str, b: str) -> tuple[int, ...]:
    try:
        return tuple(np.broadcast_shapes(x.shape, y.shape))
    except ValueError:
        raise OpError(
            f"{op}(): {a} of shape {x.shape} and {b} of shape {y.shape} do not broadcast"
        ) from None


def pairwise_distance(
    x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False
) -> Tensor:
    """‖x₁ − x₂ + ε‖ₚ over the last dim (``F.pairwise_distance``), ε added to every difference
    as torch does (so equal rows are √d·ε apart, and the gradient there is defined). Shapes
    broadcast; any p of ``Tensor.norm`` (0, ±∞, fractional)."""
    op = "pairwise_distance"
    _expect_tensor(x1, op, "x1")
    _expect_tensor(x2, op, "x2")
    shape = _broadcast(x1, x2, op, "x1", "x2")
    for name, value in (("p", p), ("eps", eps)):
        if type(value) is bool or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"{op}(): {name} must be a float, got {value!r}")
    _check_keepdim(keepdim, op)
    d = x1 - x2 + eps
    return d.norm(p, len(shape) - 1 if shape else 0, keepdim)


def pdist(input: Tensor, p: float = 2.0) -> Tensor:
    """The p-norm distances ‖xᵢ − xⱼ‖ₚ between every pair of rows i < j of an (N, D) input, in
    the order of the upper triangle (``F.pdist``, ``torch.pdist``): N(N − 1)/2 of them.

    Composed of row gathers and ``Tensor.norm``: x̄ᵢ = Σⱼ ḡᵢⱼ·∂‖xᵢ − xⱼ‖/∂xᵢ, 0 for equal rows
    (as torch's), and unlike torch's (which has no second derivative) differentiable twice.
    p ≥ 0, ∞ included; at p = ∞ tied largest differences share the gradient, as ``norm``'s,
    where torch's pdist gives each of them all of it.
    """
    op = "pdist"
    _expect_tensor(input, op, "input")
    if input.ndim != 2:
        raise OpError(f"{op}(): expected a 2-d input (N, D), got shape {input.shape}")
    _check_float(input, op, "input")
    if type(p) is bool or not isinstance(p, (int, float, np.integer, np.floating)):
        raise TypeError(f"{op}(): p must be a float, got {p!r}")
    if not p >= 0:
        raise OpError(f"{op}(): p must be non-negative, got {p}")
    i, j = np.triu_indices(input.shape[0], 1)
    diff = input[i] - input[j]
    if input.shape[1] == 0:  # no coordinates: every distance is 0 (a max over none is not)
        return diff.sum(1)
    return diff.norm(p, 1)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12) -> Tensor:
    """x / max(‖x‖ₚ, ε) along ``dim`` (``F.normalize``), ε a differentiable clamp as torch's:
    where the norm is below ε the denominator is the constant ε, so x̄ = ḡ/ε there."""
    _check_float(input, "normalize", "input")
    for name, value in (("p", p), ("eps", eps)):  # p = 'fro' is a norm's, not normalize's
        if type(value) is bool or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"normalize(): {name} must be a float, got {value!r}")
    _number_fits(eps, input.dtype, f"normalize(): eps {eps!r}")  # as clamp(min=eps) would
    dims = input._dims(dim, "normalize")
    return input / input.norm(p, dims, keepdim=True).clamp(min=eps)


# ----------------------------------------------------------------------------- losses


def _legacy_reduction(size_average: Any, reduce: Any, reduction: str = "mean") -> str:
    """torch's deprecated ``size_average``/``reduce`` (``_Reduction.legacy_get_string``): when
    either is given, ``reduction`` is ignored and becomes 'mean' if both are true (None counts
    as true), 'sum' if only ``reduce`` is, else 'none'; with torch's UserWarning."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    legacy = ("mean" if size_average else "sum") if reduce else "none"
    warn(
        "size_average and reduce args will be deprecated, please use "
        f"reduction='{legacy}' instead.",
        UserWarning,
    )
    return legacy


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    """Apply a reduction already checked by ``_check_reduction``."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _labels(
    target: Any,
    classes: int,
    op: str,
    batch_shape: tuple[int, ...],
    ignore_index: int | None = None,
) -> np.ndarray:
    """Validate integer class labels: numpy would silently wrap −1 to the last class. A label
    equal to ``ignore_index`` is let through, whatever its value, as in torch."""
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    if t.dtype.kind not in "iu":
        raise TypeError(
            f"{op}(): target must hold integer class indices, got dtype {t.dtype} (shape {t.shape})"
        )
    if t.shape != batch_shape:
        raise OpError(
            f"{op}(): input of shape {(*batch_shape, classes)} expects target of shape "
            f"{batch_shape}, got {t.shape}"
        )
    if t.size and (
        np.minimum.reduce(t, axis=None) < 0 or np.maximum.reduce(t, axis=None) >= classes
    ):
        wrong = (t < 0) | (t >= classes)
        if ignore_index is not None:
            wrong &= t != ignore_index
        if wrong.any():
            bad = t[wrong].ravel()[0]
            hint = (
                f"; to skip the rows labelled {bad}, pass ignore_index={bad} (torch skips -100 "
                "by default; here only when asked)"
                if bad < 0 and op in ("nll_loss", "cross_entropy")  # (the ops that take one)
                else ""
            )
            raise IndexError(
                f"{op}(): target {bad} is out of range for {classes} classes [0, {classes}){hint}"
            )
    # A copy: the node keeps the labels for backward, and the caller may refill their array.
    return np.array(t, dtype=np.int64)


def _constant_weight(
    value: Any, like: Tensor, op: str, name: str, differentiable: bool = False
) -> Tensor:
    """A loss's ``weight`` or ``pos_weight``: real numbers in ``like``'s dtype. As in torch they
    rescale the loss but are not differentiated, so one that requires grad is refused, and in
    forward mode a tangent of theirs is dropped (torch's forward formulas read their primal
    only); ``differentiable`` (cross_entropy's with class probabilities, composed in torch
    too) keeps both."""
    if isinstance(value, str):  # e.g. the old spelling cross_entropy(x, y, "sum")
        raise TypeError(
            f"{op}(): {name} must be a tensor of weights, got the string {value!r}; "
            f"pass reduction={value!r} by keyword (the third positional argument is {name}, "
            "as in torch)"
        )
    w = like._other(value, op)
    if w.requires_grad and not differentiable:
        raise RuntimeError(
            f"{op}(): {name} requires grad, but the loss is not differentiable with respect "
            f"to it (as in torch); pass {name}.detach()"
        )
    if w.dtype.kind not in "iuf":
        raise TypeError(f"{op}(): {name} must hold real numbers, got dtype {w.dtype}")
    return (w if differentiable else w.detach()).to(like.dtype)


def _class_weight(value: Any, logp: Tensor, op: str, differentiable: bool = False) -> Tensor:
    """A classification loss's ``weight``: one constant per class, shape (C,) (differentiated
    with ``differentiable``: see _constant_weight)."""
    w = _constant_weight(value, logp, op, "weight", differentiable)
    c = logp.shape[-1]
    if w.shape != (c,):
        raise OpError(
            f"{op}(): weight must hold one weight per class, shape ({c},) for input of shape "
            f"{logp.shape}; got shape {w.shape}"
        )
    return w


def _elementwise_weight(value: Any, input: Tensor, op: str, name: str) -> Tensor:
    """A ``weight``/``pos_weight`` that broadcasts to the input's shape (torch's rule)."""
    w = _constant_weight(value, input, op, name)
    if not broadcasts_to(w.shape, input.shape):
        raise OpError(
            f"{op}(): {name} of shape {w.shape} does not broadcast to the input's shape "
            f"{input.shape}"
        )
    return w


def _check_options(ignore_index: Any, label_smoothing: Any, op: str) -> None:
    if ignore_index is not None and (
        type(ignore_index) is bool or not isinstance(ignore_index, (int, np.integer))
    ):
        raise TypeError(f"{op}(): ignore_index must be an int, got {ignore_index!r}")
    if type(label_smoothing) is bool or not isinstance(label_smoothing, (int, float, np.floating)):
        raise TypeError(f"{op}(): label_smoothing must be a float, got {label_smoothing!r}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(
            f"{op}(): label_smoothing must be between 0.0 and 1.0, got {label_smoothing}"
        )


def _nll(
    logp: Tensor,
    target: Any,
    weight: Any,
    ignore_index: int | None,
    reduction: str,
    smoothing: float,
    op: str,
) -> Tensor:
    """torch's ``nll_loss`` on log-probabilities of shape (N, C) or (C,), and with
    ``smoothing`` its label-smoothed cross-entropy, composed of ops (their rules give the
    gradient).

    Row i's loss is ℓᵢ = −w_{yᵢ} log p_{i,yᵢ} (w = 1 without ``weight``); label smoothing ε
    mixes in the loss against the uniform target, (1 − ε) ℓᵢ + (ε / C) Σⱼ −wⱼ log p_{ij}.
    Rows labelled ``ignore_index`` count 0. 'mean' divides the sum by Σ w_{yᵢ} over the rows
    not ignored (their number without weights): a weighted mean; when every row is ignored it
    is nan with a zero gradient, as torch's, so a batch of padding leaves the weights alone.
    """
    given, c = logp, logp.shape[-1]
    single = logp.ndim == 1  # one example: a batch of one, whose 'none' loss is 0-d
    if single:
        logp = logp.reshape((1, c))
    n = logp.shape[0]
    y = _labels(target, c, op, () if single else (n,), ignore_index).reshape(n)
    w = None if weight is None else _class_weight(weight, given, op)
    kept = np.ones(n, dtype=bool) if ignore_index is None else y != ignore_index
    rows = np.where(kept, y, 0)  # an ignored row reads class 0, then counts for nothing
    loss = -logp[np.arange(n), rows]
    row_weight = None if w is None else w.data[rows]
    if row_weight is not None:
        loss = loss * row_weight
    if smoothing:
        uniform = -(logp if w is None else logp * w).sum(-1)
        loss = loss * (1.0 - smoothing) + uniform * (smoothing / c)
    if ignore_index is not None:
        loss = where(kept, loss, 0.0)
    if reduction == "none":
        return loss.reshape(()) if single else loss
    total = loss.sum()
    if reduction == "sum":
        return total
    if not kept.any():  # every row ignored: torch's loss is nan, and its gradient 0, not nan
        return total * 0.0 + float("nan")
    count = np.add.reduce(kept if row_weight is None else row_weight[kept], axis=None)
    with np.errstate(divide="ignore", invalid="ignore"):  # weights summing to 0: as torch
        return total / float(count)


def _classes_last(input: Tensor, target: Any, soft: bool, op: str) -> tuple[Tensor, Any, Any]:
    """torch's K-dimensional losses, (N, C, d₁…d_k) with labels (N, d₁…d_k), read the classes on
    dim 1: move them last and flatten, so every position is one row of an (N·d₁…d_k, C) loss.
    Returns the rows, the targets to match, and the shape of the 'none' loss."""
    shape = input.shape
    batch = (shape[0], *shape[2:])
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    wanted = shape if soft else batch
    if t.shape != wanted:
        raise OpError(
            f"{op}(): input of shape {shape} (classes on dim 1) expects "
            f"{'probabilities' if soft else 'target'} of shape {wanted}, got {t.shape}"
        )
    last = (0, *range(2, input.ndim), 1)
    rows = input.permute(last).reshape((-1, shape[1]))
    if soft:
        target = (target if isinstance(target, Tensor) else Tensor._make(t)).permute(last)
        return rows, target.reshape((-1, shape[1])), batch
    return rows, t.reshape(-1), batch


def _is_soft(target: Any) -> bool:
    """Floating targets are class probabilities (torch's rule); the shape check comes later."""
    if isinstance(target, (Tensor, np.ndarray)):
        return target.dtype.kind == "f"
    return isinstance(target, (list, tuple, float)) and np.asarray(target).dtype.kind == "f"


def _soft_cross_entropy(
    logp: Tensor, target: Any, weight: Any, reduction: str, smoothing: float, op: str
) -> Tensor:
    """torch's cross-entropy against class probabilities t (soft labels, distillation, mixup):
    ℓᵢ = −Σⱼ wⱼ tᵢⱼ log pᵢⱼ, so ∂ℓᵢ/∂fᵢ = p·Σⱼ tᵢⱼ − t without weights (p − t when t sums
    to 1), and ∂ℓᵢ/∂tᵢ = −log pᵢ: a target that requires grad gets it. Smoothing ε uses the
    target (1 − ε) t + ε / C. 'mean' divides by the number of rows, weights or not, as torch."""
    t = target if isinstance(target, Tensor) else logp._other(target, op)
    if t.shape == logp.shape[:-1]:  # float labels: numpy would truncate them to indices
        raise TypeError(
            f"{op}(): target must hold integer class indices, got dtype {t.dtype} (shape "
            f"{t.shape}); a floating target holds class probabilities, of shape {logp.shape}"
        )
    if t.shape != logp.shape:
        raise OpError(
            f"{op}(): a floating target holds class probabilities, of the logits' shape "
            f"{logp.shape}; got shape {t.shape}"
        )
    c = logp.shape[-1]
    if smoothing:
        t = t * (1.0 - smoothing) + smoothing / c
    if weight is not None:  # (differentiable, as torch's composition: w̄ⱼ = −Σᵢ gᵢ tᵢⱼ log pᵢⱼ)
        t = t * _class_weight(weight, logp, op, differentiable=True)
    loss = -(logp * t).sum(-1)
    if reduction == "mean":
        rows = loss.numel()
        return loss.sum() / rows if rows else loss.sum() * float("nan")
    return _reduce(loss, reduction)


def nll_loss(
    input: Tensor,
    target: Any,
    weight: Any = None,
    size_average: bool | None = None,
    ignore_index: int | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """−log_probs[i, yᵢ], averaged over the batch (``F.nll_loss``).

    Input (N, C) or (C,) with labels (N,) or (); or torch's K-dimensional form (N, C, d₁…d_k)
    with labels (N, d₁…d_k), the classes on dim 1, averaged over every position.
    ``weight`` (one per class) scales each row's loss by its class's weight, and 'mean' is then
    the weighted mean Σ wᵧ ℓ / Σ wᵧ. Rows labelled ``ignore_index`` count for nothing; unlike
    torch, whose default is -100, no label is ignored unless asked.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    log_probs = input  # torch's name for the log-probabilities
    _check_float(log_probs, "nll_loss", "log_probs")
    _check_reduction(reduction, "nll_loss")
    _check_options(ignore_index, 0.0, "nll_loss")
    if log_probs.ndim == 0:
        raise OpError("nll_loss(): expected input of shape (N, C), (C,) or (N, C, d...), got ()")
    if log_probs.ndim > 2:
        rows, y, batch = _classes_last(log_probs, target, False, "nll_loss")
        loss = _nll(rows, y, weight, ignore_index, reduction, 0.0, "nll_loss")
        return loss.reshape(batch) if reduction == "none" else loss
    return _nll(log_probs, target, weight, ignore_index, reduction, 0.0, "nll_loss")


def cross_entropy(
    input: Tensor,
    target: Any,
    weight: Any = None,
    size_average: bool | None = None,
    ignore_index: int | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """The multiclass logistic loss ln Σⱼ e^{fⱼ} − f_y (``F.cross_entropy``).

    One primitive of the op table, whose derivative rule is the lecture's: ∂ℓ/∂f = p − e_y with
    p = softmax(f) (divided by N for 'mean'), computed by one primitive of its own,
    ``cross_entropy_backward`` (torch's nll_loss_backward fused with log_softmax's), whose rules
    give the second derivatives. Stable for logits of any magnitude. torch's deprecated
    ``size_average``/``reduce`` set ``reduction``, with torch's UserWarning.

    Shapes as torch's: logits (N, C) or (C,) with integer labels (N,) or (); or (N, C, d₁…d_k)
    with labels (N, d₁…d_k), the classes on dim 1 (a loss per position, e.g. per pixel). A
    floating target of the logits' shape holds class probabilities instead (soft labels):
    ℓ = −Σⱼ tⱼ log pⱼ, so ∂ℓ/∂f = p − t for a t that sums to 1.

    torch's options are composed of ops instead, on ``log_softmax``: ``weight`` (one per class,
    a weighted mean for 'mean'), ``ignore_index`` (rows with that label count for nothing; no
    label is ignored unless asked, where torch ignores -100 by default) and ``label_smoothing``
    ε (the target is (1 − ε) e_y + ε / C, so ∂ℓ/∂f = p − (1 − ε) e_y − ε / C without weights).
    """
    if size_average is not None or reduce is not None:  # checked inline: hot
        reduction = _legacy_reduction(size_average, reduce, reduction)
    logits = input  # torch's name for the logits
    if not isinstance(logits, Tensor) or logits.data.dtype.kind != "f":  # checked inline: hot
        _check_float(logits, "cross_entropy", "logits")
    if type(reduction) is not str or reduction not in _REDUCTIONS:
        _check_reduction(reduction, "cross_entropy")
        reduction = str(reduction)
    if logits.ndim not in (1, 2):
        if logits.ndim == 0:
            raise OpError(
                "cross_entropy(): expected logits of shape (N, C), (C,) or (N, C, d...), got ()"
            )
        soft = _is_soft(target)
        rows, t, batch = _classes_last(logits, target, soft, "cross_entropy")
        loss = cross_entropy(
            rows,
            t,
            weight,
            ignore_index=ignore_index,
            reduction=reduction,
            label_smoothing=label_smoothing,
        )
        return loss.reshape(batch) if reduction == "none" else loss
    soft = _is_soft(target)
    default_smoothing = type(label_smoothing) is float and label_smoothing == 0.0
    if soft or weight is not None or ignore_index is not None or not default_smoothing:
        _check_options(ignore_index, label_smoothing, "cross_entropy")
        logp = logits.log_softmax(-1)
        if soft:
            if ignore_index is not None:
                raise ValueError(
                    "cross_entropy(): ignore_index applies to class indices, not to a floating "
                    "target of probabilities, as in torch"
                )
            return _soft_cross_entropy(
                logp, target, weight, reduction, label_smoothing, "cross_entropy"
            )
        return _nll(logp, target, weight, ignore_index, reduction, label_smoothing, "cross_entropy")
    batch = logits.shape[:-1]
    y = _labels(target, logits.shape[-1], "cross_entropy", batch)
    if logits.ndim == 1:
        reduction = "none"  # one example: every reduction is the loss itself
    if logits._requires_grad and is_grad_enabled():  # recorded: the rule gets the softmax
        return _apply(OPS["cross_entropy"], logits, target=y, reduction=reduction, _memo={})
    return _apply(OPS["cross_entropy"], logits, target=y, reduction=reduction)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x Wᵀ + b with W of shape (out, in) (``F.linear``); one op when there is a bias. As torch
    documents, W may be a vector (in,), one output: x·w + b, of shape x.shape[:-1]; b is
    (out,) or () (or (1,), which broadcasts alike; the other shapes torch's addmm happens to
    broadcast are refused). x̄ = g W, W̄ = gᵀ x, b̄ = Σ g."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor)):  # checked inline: hot
        _expect_tensor(input, "linear", "input")
        _expect_tensor(weight, "linear", "weight")
    if input.ndim == 0 or weight.ndim not in (1, 2) or input.shape[-1] != weight.shape[-1]:
        raise OpError(
            f"linear(): input of shape {input.shape} needs its last dim to equal the weight's "
            f"in_features; weight has shape {weight.shape} (out_features, in_features)"
        )
    if input.data.dtype.kind not in "fc":  # an integer input takes the weight's dtype, as `@`
        input = input.to(weight.dtype)
    if bias is None:
        return input @ (weight.T if weight.ndim == 2 else weight)
    if not isinstance(bias, Tensor):
        _expect_tensor(bias, "linear", "bias")
    outs = weight.shape[:1] if weight.ndim == 2 else ()
    if bias.shape not in (outs, (), (1,)) or (
        bias.shape == (1,) and input.ndim == weight.ndim == 1
    ):
        raise OpError(
            f"linear(): bias of shape {bias.shape} must have shape {outs}"
            + (" or ()" if outs else "")
            + f" for a weight of shape {weight.shape}"
        )
    if weight.ndim == 1:  # (torch 2.13 refuses a bias here unless x is a vector: a bug)
        return input @ weight + bias
    return _apply(OPS["linear"], input, weight, bias)


def linear_cross_entropy(
    input: Tensor,
    linear_weight: Tensor,
    target: Any,
    *,
    linear_bias: Tensor | None = None,
    weight: Any = None,
    reduction: str = "mean",
    ignore_index: int | None = None,
    label_smoothing: float = 0.0,
    options: LinearCrossEntropyOptions | None = None,
) -> Tensor:
    """The cross-entropy of a linear map's logits (``F.linear_cross_entropy``, torch ≥ 2.13):
    ``cross_entropy(linear(x, W, b), y)``, torch's reference implementation, so
    ``x̄ = f̄ W``, ``W̄ = f̄ᵀ x``, ``b̄ = Σ f̄`` with f̄ = softmax(f) − e_y per example.

    x is (in,) or (N, in); W is (C, in), or (C, d₁…d_k, in) for a K-dimensional loss (batched
    x only), whose logits (N, C, d₁…d_k) are ``linear`` with W as (C·d₁…d_k, in), reshaped; b
    has W's shape without its last dim. The target holds class indices of the logits' shape
    without C, or class probabilities of the logits' shape (how torch tells them apart).
    ``weight``, ``reduction`` and ``label_smoothing`` are ``cross_entropy``'s. ``ignore_index``
    None means -100 for class indices, as torch maps it (so the label -100 is skipped, where
    ``cross_entropy`` here skips none unless asked), and giving one with probabilities is
    torch's RuntimeError.

    ``options`` (a ``LinearCrossEntropyOptions``) selects torch's chunked path, which never
    holds all the logits at once; torch does not document it as numerically equal to the
    reference (its ``acc_policy`` trades precision for memory). Here the options are checked
    and resolved as torch's (the same ValueErrors, and torch's UserWarning where torch ignores
    them: K-dimensional loss, label smoothing, a target not int64, an unknown reduction), and
    the numbers are always the reference path's. torch's chunked path matches them within
    rounding, except that when 'mean' has no row left (all ignored) its gradients are nan where
    the reference's are zeros; unlike it, higher-order gradients and a second backward work.
    """
    op = "linear_cross_entropy"
    _expect_tensor(input, op, "input")
    _expect_tensor(linear_weight, op, "linear_weight")
    if linear_bias is not None:
        _expect_tensor(linear_bias, op, "linear_bias")
    if options is not None and not isinstance(options, LinearCrossEntropyOptions):
        raise TypeError(
            f"{op}(): options must be a LinearCrossEntropyOptions or None, got "
            f"{type(options).__name__}"
        )
    if input.ndim not in (1, 2):
        raise OpError(f"{op}(): expected input with dimensionality 1 or 2, got {input.ndim}")
    if linear_weight.ndim < 2:
        raise OpError(
            f"{op}(): expected linear_weight with dimensionality at least 2, got "
            f"{linear_weight.ndim} (shape {linear_weight.shape})"
        )
    batch, in_features = input.shape[:-1], input.shape[-1]
    if in_features != linear_weight.shape[-1]:
        raise OpError(
            f"{op}(): expected equal input and linear_weight last dimensions (in_features), got "
            f"{in_features} and {linear_weight.shape[-1]} (shapes {input.shape} and "
            f"{linear_weight.shape})"
        )
    num_classes, out_features = linear_weight.shape[0], linear_weight.shape[1:-1]
    if linear_bias is not None and linear_bias.shape != (num_classes, *out_features):
        raise OpError(
            f"{op}(): expected linear_bias shape {(num_classes, *out_features)} for "
            f"linear_weight of shape {linear_weight.shape}, got {linear_bias.shape}"
        )
    if out_features and not batch:
        raise OpError(
            f"{op}(): K-dimensional loss defined by linear_weight shape {linear_weight.shape} "
            f"requires batched input, (N, {in_features}), got unbatched input with shape "
            f"{input.shape}"
        )
    logits_shape = (*batch, num_classes, *out_features)
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    # torch's test: a target of the logits' own shape holds probabilities
    if t.shape == logits_shape:
        if ignore_index is not None:
            raise OpError(
                f"{op}(): ignore_index cannot be specified when target contains probabilities"
            )
    elif ignore_index is None:
        ignore_index = -100
    if options is not None:
        if (
            out_features
            or reduction not in _REDUCTIONS
            or label_smoothing != 0.0
            or t.dtype != np.int64
        ):
            warn(
                "linear_cross_entropy: ``options`` ignored; chunked path needs reduction in "
                "{'mean','sum','none'}, label_smoothing == 0, target.dtype == int64, "
                f"out_features == (). Got reduction={reduction!r}, "
                f"label_smoothing={label_smoothing}, target.dtype={t.dtype}, "
                f"out_features={tuple(out_features)}, linear_bias.shape="
                f"{None if linear_bias is None else linear_bias.shape}.",
                UserWarning,
            )
        else:  # torch resolves them for the call, which may raise its ValueError
            options._adjust(
                num_batches=batch[0] if batch else 1,
                in_features=in_features,
                num_classes=num_classes,
                dtype=input.dtype,
                device=input.device,
            )
    if out_features:
        flat = num_classes * int(np.prod(out_features))
        linear_weight = linear_weight.reshape((flat, in_features))
        if linear_bias is not None:
            linear_bias = linear_bias.reshape((flat,))
    logits = linear(input, linear_weight, linear_bias).reshape(logits_shape)
    return cross_entropy(
        logits,
        target,
        weight,
        ignore_index=ignore_index,
        reduction=reduction,
        label_smoothing=label_smoothing,
    )


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``yₖ = x₁ᵀ Wₖ x₂ + bₖ`` over the last dims, W of shape (out, in1, in2) (``F.bilinear``);
    the leading dims of x₁ and x₂ must be equal (no broadcasting, as torch). Composed as
    ``u = x₁ W`` (one matmul, W as (in1, out·in2)), then ``yₖ = Σⱼ uₖⱼ x₂ⱼ``, so
    ``x̄₁ = Σₖ gₖ Wₖ x₂``, ``x̄₂ = Σₖ gₖ Wₖᵀ x₁``, ``W̄ₖ = Σ gₖ x₁ x₂ᵀ``, ``b̄ = Σ g``.
    """
    for name, t in (("input1", input1), ("input2", input2), ("weight", weight)):
        _expect_tensor(t, "bilinear", name)
    if bias is not None:
        _expect_tensor(bias, "bilinear", "bias")
    if weight.ndim != 3:
        raise OpError(
            f"bilinear(): weight must have 3 dims (out_features, in1_features, in2_features), "
            f"got shape {weight.shape}"
        )
    if input1.ndim == 0 or input1.ndim != input2.ndim or input1.shape[:-1] != input2.shape[:-1]:
        raise OpError(
            f"bilinear(): input1 and input2 must have the same leading (batch) dims and at "
            f"least one dim, got shapes {input1.shape} and {input2.shape}"
        )
    out, n1, n2 = weight.shape
    for name, t, n in (("input1", input1, n1), ("input2", input2, n2)):
        if t.shape[-1] != n:
            raise OpError(
                f"bilinear(): {name} size does not match weight size: got {t.shape[-1]} but "
                f"expected {n} ({name} of shape {t.shape}, weight of shape {weight.shape})"
            )
    if bias is not None and bias.shape != (out,):
        raise OpError(
            f"bilinear(): bias of shape {bias.shape} must have shape ({out},) for a weight of "
            f"shape {weight.shape}"
        )
    tensors = (input1, input2, weight) + (() if bias is None else (bias,))
    if len({t.dtype for t in tensors}) > 1:
        raise OpError(
            "bilinear(): all tensors must have the same dtype, got "
            + ", ".join(f"{t.dtype}" for t in tensors)
        )
    u = input1 @ weight.permute(1, 0, 2).reshape(n1, out * n2)
    y = (u.reshape(*input1.shape[:-1], out, n2) * input2.unsqueeze(-2)).sum(-1)
    return y if bias is None else y + bias


def _padding_idx(padding_idx: Any, num_embeddings: int, op: str) -> int | None:
    """torch's padding row: an int in [−n, n), a negative one counted from the end."""
    if padding_idx is None:
        return None
    if isinstance(padding_idx, bool) or not isinstance(padding_idx, (int, np.integer)):
        raise TypeError(f"{op}(): padding_idx must be an int or None, got {padding_idx!r}")
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise ValueError(
            f"{op}(): padding_idx must be within num_embeddings: got {padding_idx} for "
            f"{num_embeddings} embeddings"
        )
    return int(padding_idx) + num_embeddings if padding_idx < 0 else int(padding_idx)


def _check_embedding_options(
    max_norm: Any, norm_type: Any, scale_grad_by_freq: Any, sparse: Any, op: str
) -> None:
    for name, value in (("max_norm", max_norm), ("norm_type", norm_type)):
        if value is None and name == "max_norm":
            continue
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
            raise TypeError(f"{op}(): {name} must be a number, got {value!r}")
    if scale_grad_by_freq:
        raise NotImplementedError(
            f"{op}(): scale_grad_by_freq=True (gradients divided by each index's count in the "
            "batch) is not implemented here"
        )
    if sparse:
        raise NotImplementedError(f"{op}(): sparse=True gradients are not supported here")


def _renorm_rows(weight: Tensor, idx: np.ndarray, max_norm: float, norm_type: float) -> None:
    """torch's ``embedding_renorm_``: each looked-up row whose ``norm_type``-norm exceeds
    ``max_norm`` is scaled, in place and outside autograd, by max_norm / (norm + 1e-7)."""
    rows = np.unique(idx)
    w = weight.data
    if rows.size == 0 or w.shape[1] == 0:
        return
    norms = Tensor._make(w[rows]).norm(norm_type, 1).data.astype(np.float64)
    over = norms > max_norm
    if over.any():
        scale = max_norm / (norms[over] + 1e-7)
        w[rows[over]] *= scale.astype(w.dtype)[:, None]  # the scale in w's dtype, as torch's
        weight._mark_changed()


def embedding(
    input: Tensor,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """The rows of ``weight`` (n, D) picked by the integer indices ``input`` of any shape
    (``F.embedding``): out[i…] = W[input[i…]], of shape input.shape + (D,).

    An integer-array index, so W̄[r] = Σ_{i… : input[i…] = r} ḡ[i…]: a scatter-add in which
    repeated indices accumulate. The row ``padding_idx`` gets no gradient, as torch's (its
    positions are taken from a detached W). With ``max_norm`` the looked-up rows are first
    renormalized in place (see ``_renorm_rows``), as torch does; ``scale_grad_by_freq`` and
    ``sparse`` are not supported. Indices must be int64 or int32 and in [0, n), as torch's.
    """
    op = "embedding"
    _expect_tensor(input, op, "input")
    _expect_tensor(weight, op, "weight")
    if weight.ndim != 2:
        raise OpError(f"embedding(): 'weight' must be 2-D, got shape {weight.shape}")
    n = weight.shape[0]
    if input.dtype not in (np.int64, np.int32):
        raise TypeError(
            f"embedding(): the indices must have dtype int64 or int32, as in torch, got "
            f"{input.dtype} (shape {input.shape}); convert them with .long()"
        )
    pad = _padding_idx(padding_idx, n, op)
    _check_embedding_options(max_norm, norm_type, scale_grad_by_freq, sparse, op)
    idx = input.data
    outside = (idx < 0) | (idx >= n)
    if outside.any():
        raise IndexError(
            f"embedding(): index {idx[outside].flat[0]} is out of range for a weight of {n} rows "
            f"(shape {weight.shape}); indices must be in [0, {n})"
        )
    if max_norm is not None:
        _renorm_rows(weight, idx, float(max_norm), float(norm_type))
    # the getitem op with the array itself, not Tensor indexing: a 0-d index is an integer
    # there, which selects a view of weight, where torch's embedding gathers a new tensor for
    # every index (a view of a leaf would refuse in-place ops on the rows; in-place focus seed
    # 569838)
    rows = _apply(OPS["getitem"], weight, index=idx)
    if pad is None or not rows.requires_grad:
        return rows
    padded = idx == pad
    if not padded.any():
        return rows
    out = where(Tensor._make(padded[..., None]), rows.detach(), rows)
    tangent = _forward_ad.tangent_of(rows) if _forward_ad.active() else None
    if tangent is not None:
        # the padding row gets no gradient by convention, yet its output moves with W: its
        # tangent is W's row, as torch's forward formula (embedding of the tangent) gives
        _forward_ad._set_tangent(out, Tensor._make(tangent.data.copy()))
    return out


_BAG_MODES = ("sum", "mean", "max")


def _bags(input: Tensor, offsets: Any, include_last_offset: bool, op: str) -> np.ndarray:
    """Each bag's [start, end) in the flattened ``input``, as a (B, 2) array: the rows of a 2-d
    input, or the spans between ``offsets`` of a 1-d one, the last running to the end (with
    ``include_last_offset`` the last offset only closes the list, as torch reads it)."""
    if input.ndim == 2:
        if offsets is not None:
            raise ValueError(
                "if input is 2D, then offsets has to be None, as input is treated is a "
                f"mini-batch of fixed length sequences. However, found offsets of type "
                f"{type(offsets).__name__}"
            )
        B, L = input.shape
        starts = np.arange(B) * L
        return np.stack([starts, starts + L], axis=1)
    if not isinstance(offsets, Tensor) or offsets.ndim != 1:
        got = f"shape {offsets.shape}" if isinstance(offsets, Tensor) else repr(offsets)
        raise ValueError(f"offsets has to be a 1D Tensor but got {got}")
    if offsets.dtype not in (np.int64, np.int32):
        raise TypeError(f"{op}(): offsets must have dtype int64 or int32, got {offsets.dtype}")
    n = input.shape[0]
    offs = offsets.data.astype(np.int64)
    if offs.size and offs[0] != 0:
        raise RuntimeError(
            "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start "
            f"from position 0. However, got {offs[0]}"
        )
    if offs.size and offs[-1] > n:
        raise RuntimeError(
            f"offsets[-1] can not be greater than input's length {n} but got offsets[-1] of "
            f"{offs[-1]}"
        )
    if (np.diff(offs) < 0).any():
        raise RuntimeError(f"{op}(): offsets must be non-decreasing, got {offs.tolist()}")
    starts = offs[:-1] if include_last_offset else offs
    # The last bag runs to the end of input, even past a last offset below it (torch's).
    return np.stack([starts, np.append(starts[1:], n)[: starts.size]], axis=1)


def embedding_bag(
    input: Tensor,
    weight: Tensor,
    offsets: Tensor | None = None,
    max_norm: float | None = None,
    norm_type: float = 2,
    scale_grad_by_freq: bool = False,
    mode: str = "mean",
    sparse: bool = False,
    per_sample_weights: Tensor | None = None,
    include_last_offset: bool = False,
    padding_idx: int | None = None,
) -> Tensor:
    """The sum, mean or max of each bag of looked-up rows of ``weight`` (``F.embedding_bag``),
    without materialising the (indices, D) lookups per bag as separate tensors.

    Bags: the rows of a 2-d ``input`` (B, L), or the spans of a 1-d ``input`` starting at each
    of ``offsets`` (B,) (with ``include_last_offset``, B + 1 offsets, the last the end). For bag
    b with entries i: ``sum`` out_b = Σᵢ aᵢ W[idxᵢ] (aᵢ = ``per_sample_weights``, else 1),
    ``mean`` Σᵢ W[idxᵢ] / |b|, ``max`` the elementwise max. Entries equal to ``padding_idx`` are
    left out (not counted by the mean); an empty bag gives zeros. Composed of one gather into a
    (B, longest bag, D) block padded with a constant row (0, or −∞ for the max) and a reduction
    over it, so W̄[r] = Σ over entries of r of aᵢ·ḡ_b (÷|b| for the mean), ā_i = ḡ_b·W[idxᵢ],
    and the max sends ḡ to the first maximal entry of each bag and dim, as torch's.
    ``max_norm`` renormalises the looked-up rows in place first, as ``embedding``.
    """
    op = "embedding_bag"
    _expect_tensor(input, op, "input")
    _expect_tensor(weight, op, "weight")
    if weight.ndim != 2:
        raise OpError(f"embedding_bag(): 'weight' must be 2-D, got shape {weight.shape}")
    if input.dtype not in (np.int64, np.int32):
        raise TypeError(
            f"embedding_bag(): the indices must have dtype int64 or int32, as in torch, got "
            f"{input.dtype} (shape {input.shape}); convert them with .long()"
        )
    if input.ndim not in (1, 2):
        raise ValueError(
            f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.ndim}"
        )
    if mode not in _BAG_MODES:
        raise ValueError(f"mode has to be one of sum, mean or max, got {mode!r}")
    n, D = weight.shape
    pad = _padding_idx(padding_idx, n, op)
    _check_embedding_options(max_norm, norm_type, scale_grad_by_freq, sparse, op)
    if per_sample_weights is not None:
        _expect_tensor(per_sample_weights, op, "per_sample_weights")
        if mode != "sum":
            raise NotImplementedError(
                "embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                f"supported for mode='sum' (got mode='{mode}')"
            )
        if per_sample_weights.shape != input.shape:
            raise ValueError(
                f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, "
                f"then it must have the same shape as the input ({input.shape})"
            )
        if per_sample_weights.dtype != weight.dtype:
            raise RuntimeError(
                f"embedding_bag(): per_sample_weights has dtype {per_sample_weights.dtype} but "
                f"weight has dtype {weight.dtype}; they must match, as in torch"
            )
    spans = _bags(input, offsets, include_last_offset, op)
    idx = input.data.reshape(-1).astype(np.int64)
    outside = (idx < 0) | (idx >= n)
    if outside.any():  # (a RuntimeError, as torch's embedding_bag; embedding's is an IndexError)
        raise RuntimeError(
            f"embedding_bag(): index {idx[outside][0]} is out of range for a weight of {n} rows "
            f"(shape {weight.shape}); indices must be in [0, {n})"
        )
    if max_norm is not None:
        _renorm_rows(weight, idx, float(max_norm), float(norm_type))

    # The entries of every bag, in order, padding_idx left out: bag b's k-th goes to slot (b, k).
    B = spans.shape[0]
    position = np.arange(idx.size)
    bag = np.searchsorted(spans[:, 0], position, side="right") - 1 if B else position * 0
    kept = (bag >= 0) & (position < spans[np.maximum(bag, 0), 1]) if B else bag < 0
    if pad is not None:
        kept &= idx != pad
    position, bag = position[kept], bag[kept]
    counts = np.bincount(bag, minlength=B)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    slots = np.full((B, int(counts.max(initial=0))), idx.size, dtype=np.int64)  # the fill
    slots[bag, np.arange(position.size) - first[bag]] = position

    fill = float("-inf") if mode == "max" else 0.0
    table = cat([weight, Tensor._make(np.full((1, D), fill, dtype=weight.dtype))])
    rows = table[np.append(idx, n)[slots]]  # (B, longest bag, D)
    if per_sample_weights is not None:
        zero = Tensor._make(np.zeros(1, dtype=weight.dtype))
        rows = rows * cat([per_sample_weights.reshape(-1), zero])[slots].unsqueeze(-1)
    if mode == "max" and slots.shape[1] > 0:
        values = rows.max(1)[0]
        return where(Tensor._make((counts > 0)[:, None]), values, 0.0)
    out = rows.sum(1)
    if mode == "mean":
        out = out / Tensor._make(np.maximum(counts, 1).astype(weight.dtype)[:, None])
    return out


def _shape_tuple(normalized_shape: Any, op: str) -> tuple[int, ...]:
    """torch's tuple of ints: a list, tuple or torch.Size (a bare int is refused, as in F)."""
    if isinstance(normalized_shape, (str, bytes)) or not hasattr(normalized_shape, "__iter__"):
        raise TypeError(
            f"{op}(): argument 'normalized_shape' must be tuple of ints, not "
            f"{type(normalized_shape).__name__}"
        )
    shape = tuple(normalized_shape)
    for i, n in enumerate(shape):
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
            raise TypeError(
                f"{op}(): argument 'normalized_shape' must be tuple of ints, but found element "
                f"of type {type(n).__name__} at pos {i}"
            )
    return tuple(int(n) for n in shape)


def layer_norm(
    input: Tensor,
    normalized_shape: Any,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """x̂ = (x − μ) / √(σ² + ε), times ``weight`` plus ``bias``, over the last
    len(normalized_shape) dims (``F.layer_norm``): μ the mean and σ² the biased variance
    (divisor N) of each slice, as torch's.

    Composed of mean, subtraction and rsqrt, whose rules give torch's gradient: with ĝ = g·w
    and 1/σ̂ = 1/√(σ² + ε), x̄ = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) / σ̂ over each slice, w̄ = Σ g·x̂
    and b̄ = Σ g over the leading dims; second derivatives come the same way.
    """
    op = "layer_norm"
    _check_float(input, op, "input")
    shape = _shape_tuple(normalized_shape, op)
    if not shape:
        raise OpError(
            "layer_norm(): expected normalized_shape to be at least 1-dimensional, i.e., "
            "containing at least one element, but got normalized_shape = ()"
        )
    if input.shape[input.ndim - len(shape) :] != shape or input.ndim < len(shape):
        raise OpError(
            f"layer_norm(): given normalized_shape={list(shape)}, expected input with shape "
            f"[*, {', '.join(map(str, shape))}], but got input of size {list(input.shape)}"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is None:
            continue
        _expect_tensor(t, op, name)
        if t.shape != shape:
            raise OpError(
                f"layer_norm(): expected {name} to be of same shape as normalized_shape, but "
                f"got {name} of shape {list(t.shape)} and normalized_shape = {list(shape)}"
            )
        if t.dtype != input.dtype:
            raise OpError(
                f"layer_norm(): {name} has dtype {t.dtype} and input {input.dtype}; torch's "
                "kernel refuses mixed dtypes"
            )
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, (int, float, np.number)):
        raise TypeError(f"layer_norm(): eps must be a float, got {eps!r}")
    dims = tuple(range(input.ndim - len(shape), input.ndim))
    centred = input - input.mean(dims, keepdim=True)
    var = (centred * centred).mean(dims, keepdim=True)
    out = centred * (var + eps).rsqrt()
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


# ----------------------------------------------------------------------------- batch statistics
# BatchNorm, InstanceNorm, GroupNorm and RMSNorm, composed of mean, subtraction and rsqrt as
# layer_norm is: their gradients (x̄ = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) / σ̂ over each normalized
# group) and second derivatives come from those ops' rules.


def _channel_param(t: Tensor | None, name: str, channels: int, input: Tensor, op: str) -> None:
    """A per-channel vector (weight, bias, running stats) of ``channels`` entries in the input's
    dtype: torch's CPU kernels refuse mixed dtypes."""
    if t is None:
        return
    _expect_tensor(t, op, name)
    if t.numel() != channels:
        raise OpError(
            f"{op}(): {name} should contain {channels} elements not {t.numel()} (input of shape "
            f"{input.shape}, channels in dim 1)"
        )
    if t.ndim != 1:
        raise OpError(f"{op}(): {name} must be 1-D of shape ({channels},), got shape {t.shape}")
    if t.dtype != input.dtype:
        raise OpError(
            f"{op}(): mixed dtype: {name} has dtype {t.dtype} and input {input.dtype}; torch's "
            "CPU kernel refuses mixed dtypes"
        )


def _check_eps(eps: Any, op: str) -> None:
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, (int, float, np.number)):
        raise TypeError(f"{op}(): eps must be a float, got {eps!r}")


def _check_momentum(momentum: Any, op: str) -> None:
    if isinstance(momentum, (bool, np.bool_)) or not isinstance(momentum, (int, float, np.number)):
        raise TypeError(f"{op}(): argument 'momentum' must be float, not {type(momentum).__name__}")


def _per_channel(t: Tensor, ndim: int) -> Tensor:
    """A (C,) vector shaped (C, 1, …, 1) to broadcast against an (N, C, …) input."""
    return t.reshape((t.shape[0],) + (1,) * (ndim - 2))


def _affine(out: Tensor, weight: Tensor | None, bias: Tensor | None) -> Tensor:
    if weight is not None:
        out = out * _per_channel(weight, out.ndim)
    if bias is not None:
        out = out + _per_channel(bias, out.ndim)
    return out


def _normalize(x: Tensor, dims: tuple[int, ...], eps: float) -> tuple[Tensor, Tensor, Tensor]:
    """x̂ = (x − μ)/√(σ² + ε) over ``dims``, with μ and the biased σ² (kept dims) for the
    running statistics."""
    mean = x.mean(dims, keepdim=True)
    centred = x - mean
    var = (centred * centred).mean(dims, keepdim=True)
    return centred * (var + eps).rsqrt(), mean, var


def _update_running(running: Tensor, batch: np.ndarray, momentum: float) -> None:
    """running ← momentum·batch + (1 − momentum)·running, in place and unrecorded (torch's
    order of terms), as torch's kernels update the buffers."""
    new = momentum * batch + (1 - momentum) * running.data
    with no_grad():
        running.copy_(new.astype(running.dtype, copy=False))


def _check_channel_args(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None,
    bias: Tensor | None,
    momentum: Any,
    eps: Any,
    op: str,
) -> None:
    """batch_norm's and instance_norm's per-channel tensors (one entry per channel of dim 1,
    when given), momentum and eps."""
    channels = input.shape[1]
    named = (("running_mean", running_mean), ("running_var", running_var))
    for name, t in (*named, ("weight", weight), ("bias", bias)):
        _channel_param(t, name, channels, input, op)
    _check_momentum(momentum, op)
    _check_eps(eps, op)


def batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Each channel (dim 1) of an (N, C, …) input normalized over the batch and the other dims,
    then scaled and shifted per channel (``F.batch_norm``).

    Training: x̂ = (x − μ_c)/√(σ²_c + ε) with the batch mean μ_c and the biased variance σ²_c
    (divisor n = N·∏spatial), and, when given, the running statistics are updated in place,
    outside the graph: running_mean ← m·μ_c + (1 − m)·running_mean, running_var ← m·σ²_c·n/(n − 1)
    + (1 − m)·running_var (the unbiased variance, as torch's). Evaluation: the running statistics
    are used instead, so each channel is a fixed affine map. x̄, w̄, b̄ follow from the
    composition (see layer_norm); the running statistics get no gradient in training. ε must
    be positive in training and non-negative otherwise, as torch checks (instance_norm, which
    shares the rest, takes any ε, as torch's).
    """
    return _checked_batch_norm(
        input, running_mean, running_var, weight, bias, training, momentum, eps, False
    )


def _checked_batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None,
    bias: Tensor | None,
    training: bool,
    momentum: float,
    eps: float,
    one_value_ok: bool,
) -> Tensor:
    """``batch_norm``; with ``one_value_ok`` (the low-level ``torch.batch_norm``, which lacks F's
    check) one value per channel in training is normalized to 0 (the output is the bias, the
    unbiased variance fed to running_var 0/0 = nan), not refused."""
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(
            f"batch_norm(): argument 'training' must be bool, not {type(training).__name__}"
        )
    _check_eps(eps, "batch_norm")
    if not eps >= 0 or (training and eps == 0):  # √(σ² + 0) of a constant channel is 0
        must = "positive during training" if training else "non-negative"
        raise ValueError(f"batch_norm(): eps must be {must}, but got {eps}")
    # the values per channel counted without dividing by C, which may be 0
    one_value = (
        isinstance(input, Tensor)
        and input.ndim >= 2
        and int(np.prod(input.shape[:1] + input.shape[2:])) == 1
    )
    if training and one_value and not one_value_ok:
        raise ValueError(
            "Expected more than 1 value per channel when training, got input size "
            f"{list(input.shape)}"
        )
    return _batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def _batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None,
    bias: Tensor | None,
    training: bool,
    momentum: float,
    eps: float,
) -> Tensor:
    op = "batch_norm"
    _check_float(input, op, "input")
    if input.ndim < 2:
        raise IndexError(
            f"{op}(): expected an input of shape (N, C, ...) with at least 2 dims, got shape "
            f"{input.shape}"
        )
    if (running_mean is None) != (running_var is None):
        if not training:
            missing = "running_mean" if running_mean is None else "running_var"
            raise OpError(f"{op}(): {missing} must be defined in evaluation mode")
        raise ValueError(
            f"{op}(): running_mean and running_var must either both be None or neither be None"
        )
    if not training and running_mean is None:
        raise OpError(f"{op}(): running_mean must be defined in evaluation mode")
    _check_channel_args(input, running_mean, running_var, weight, bias, momentum, eps, op)
    if not training:
        assert running_mean is not None and running_var is not None
        mean = _per_channel(running_mean, input.ndim)
        scale = (_per_channel(running_var, input.ndim) + eps).rsqrt()
        return _affine((input - mean) * scale, weight, bias)
    if input.numel() == 0:  # nothing to average: an empty output (a new tensor), stats unchanged
        return _affine(input.clone(), weight, bias)
    dims = (0, *range(2, input.ndim))
    out, mean, var = _normalize(input, dims, eps)
    if running_mean is not None and running_var is not None:
        channels = input.shape[1]
        n = input.numel() // channels
        _update_running(running_mean, mean.data.reshape(channels), momentum)
        unbiased = var.data.reshape(channels) * (n / (n - 1) if n > 1 else np.nan)
        _update_running(running_var, unbiased, momentum)
    return _affine(out, weight, bias)


def instance_norm(
    input: Tensor,
    running_mean: Tensor | None = None,
    running_var: Tensor | None = None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Each (example, channel) slice of an (N, C, …) input normalized over its own spatial dims,
    then scaled and shifted per channel (``F.instance_norm``).

    With ``use_input_stats`` (the default) each slice uses its own mean and biased variance, and
    given running statistics are updated in place with their average over the batch:
    running_mean ← m·meanₙ(μₙ꜀) + (1 − m)·running_mean, likewise for the unbiased variances, as
    torch's. Without it, the running statistics normalize, as batch_norm's evaluation mode.
    """
    tensor = isinstance(input, Tensor) and input.ndim >= 2
    if use_input_stats and tensor and int(np.prod(input.shape[2:])) == 1:
        # (torch.nn.functional's own check: the low-level torch.instance_norm has none)
        raise ValueError(
            "Expected more than 1 spatial element when training, got input size "
            f"{list(input.shape)}"
        )
    return _instance_norm(
        input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps
    )


def _instance_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None,
    bias: Tensor | None,
    use_input_stats: bool,
    momentum: float,
    eps: float,
) -> Tensor:
    """``instance_norm`` without the functional form's refusal of one spatial element (each
    slice is then its mean: x̂ = 0, the output is the bias, and the unbiased variance fed to
    running_var is 0/0 = nan, as the low-level ``torch.instance_norm``'s)."""
    op = "instance_norm"
    _check_float(input, op, "input")
    if input.ndim < 2:
        raise IndexError(
            f"{op}(): expected an input of shape (N, C, ...) with at least 2 dims, got shape "
            f"{input.shape}"
        )
    spatial = int(np.prod(input.shape[2:]))
    if (running_mean is None) != (running_var is None) or (
        not use_input_stats and running_mean is None
    ):
        raise OpError(
            f"{op}(): expected running_mean and running_var to be both defined or both None, "
            "and defined when use_input_stats is false"
        )
    _check_channel_args(input, running_mean, running_var, weight, bias, momentum, eps, op)
    if not use_input_stats:
        return _batch_norm(input, running_mean, running_var, weight, bias, False, momentum, eps)
    if input.numel() == 0:  # a new (empty) tensor, never the input itself
        return _affine(input.clone(), weight, bias)
    # (an (N, C) input has one spatial element: a size-1 dim for it, as () would mean all dims)
    x = input if input.ndim > 2 else input.unsqueeze(-1)
    out, mean, var = _normalize(x, tuple(range(2, x.ndim)), eps)
    out = out if input.ndim > 2 else out.squeeze(-1)
    if running_mean is not None and running_var is not None:
        means = mean.data.reshape(input.shape[:2]).mean(0)
        bessel = spatial / (spatial - 1) if spatial > 1 else np.nan
        unbiased = var.data.reshape(input.shape[:2]).mean(0) * bessel
        _update_running(running_mean, means, momentum)
        _update_running(running_var, unbiased, momentum)
    return _affine(out, weight, bias)


def group_norm(
    input: Tensor,
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """The C channels of an (N, C, …) input split into ``num_groups`` groups of C/G consecutive
    channels, each (example, group) normalized over its channels and spatial dims (mean and
    biased variance), then scaled and shifted per channel (``F.group_norm``). G = 1 is a
    layer norm over (C, …) with per-channel affine; G = C an instance norm.
    """
    return _group_norm(input, num_groups, weight, bias, eps, one_value_ok=False)


def _group_norm(
    input: Tensor,
    num_groups: int,
    weight: Tensor | None,
    bias: Tensor | None,
    eps: float,
    *,
    one_value_ok: bool,
) -> Tensor:
    """``group_norm``; with ``one_value_ok`` (the low-level ``torch.group_norm``, which lacks
    F's check) groups of one value are normalized to 0 (the output is the bias), not refused."""
    op = "group_norm"
    _check_float(input, op, "input")
    if input.ndim < 2:
        raise OpError(
            f"{op}(): Expected at least 2 dimensions for input tensor but received {input.ndim}"
        )
    groups = _index(num_groups, op)
    n, channels = input.shape[:2]
    if groups <= 0 or channels % groups:
        raise OpError(
            f"{op}(): Expected number of channels in input to be divisible by num_groups, but "
            f"got input of shape {list(input.shape)} and num_groups={num_groups}"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        _channel_param(t, name, channels, input, op)
    _check_eps(eps, op)
    rest = int(np.prod(input.shape[2:]))
    if n * (channels // groups) * rest == 1 and not one_value_ok:  # F's, on (N·C/G, G, …)
        raise ValueError(
            "Expected more than 1 value per channel when training, got input size "
            f"{[n * channels // groups, groups, *input.shape[2:]]}"
        )
    if input.numel() == 0:  # a new (empty) tensor, never the input itself
        return _affine(input.clone(), weight, bias)
    grouped = input.reshape((n, groups, channels // groups * rest))
    out, _, _ = _normalize(grouped, (2,), eps)
    return _affine(out.reshape(input.shape), weight, bias)


def rms_norm(
    input: Tensor,
    normalized_shape: Any,
    weight: Tensor | None = None,
    eps: float | None = None,
) -> Tensor:
    """x / √(mean(x²) + ε), times ``weight``, over the last len(normalized_shape) dims
    (``F.rms_norm``); ε None is the dtype's machine epsilon (``torch.finfo(dtype).eps``).

    Composed of mean, square and rsqrt: with r = 1/√(mean(x²) + ε) and ĝ = g·w,
    x̄ = r·(ĝ − x·r²·mean(ĝ·x)) over each slice and w̄ = Σ g·x·r over the leading dims.
    """
    op = "rms_norm"
    _check_float(input, op, "input")
    shape = _shape_tuple(normalized_shape, op)
    if not shape:
        raise OpError(
            f"{op}(): expected normalized_shape to be at least 1-dimensional, i.e., containing "
            "at least one element, but got normalized_shape = ()"
        )
    if input.ndim < len(shape) or input.shape[input.ndim - len(shape) :] != shape:
        raise OpError(
            f"{op}(): given normalized_shape={list(shape)}, expected input with shape "
            f"[*, {', '.join(map(str, shape))}], but got input of size {list(input.shape)}"
        )
    if weight is not None:
        _expect_tensor(weight, op, "weight")
        if weight.shape != shape:
            raise OpError(
                f"{op}(): expected weight to be of same shape as normalized_shape, but got "
                f"weight of shape {list(weight.shape)} and normalized_shape = {list(shape)}"
            )
        if weight.dtype != input.dtype:
            raise OpError(
                f"{op}(): weight has dtype {weight.dtype} and input {input.dtype}; mixed dtypes "
                "are refused (torch's fused kernel refuses them too)"
            )
    if eps is None:
        eps = float(np.finfo(input.dtype).eps)
    _check_eps(eps, op)
    dims = tuple(range(input.ndim - len(shape), input.ndim))
    out = input * ((input * input).mean(dims, keepdim=True) + eps).rsqrt()
    return out if weight is None else out * weight


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x for x > 0, else w·x, with one slope per channel (dim 1) or one shared slope
    (``F.prelu``).

    ``where(x > 0, x, w·x)``: x̄ = g where x > 0, else g·w (w at 0, as torch's);
    w̄ = Σ g·x over the entries with x ≤ 0 (0 from x = 0). The w·x branch takes x as 0 where
    x > 0, so that a nan or infinite w does not reach x̄ there (0·w), as torch.
    """
    op = "prelu"
    _expect_tensor(input, op, "input")
    _expect_tensor(weight, op, "weight")
    if weight.ndim > 1:
        raise OpError(
            f"{op}(): Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.ndim}"
        )
    if input.dtype != weight.dtype or input.dtype.kind != "f":
        raise OpError(
            f"{op}(): Type promoting not supported. Got input {input.dtype} and weight "
            f"{weight.dtype} (both must share one floating dtype)"
        )
    channels = input.shape[1] if input.ndim >= 2 else 1
    if weight.numel() != 1 and weight.numel() != channels:
        raise OpError(
            f"{op}(): Mismatch of parameter numbers and input channel size. Found parameter "
            f"numbers = {weight.numel()} and channel size = {channels} (input of shape "
            f"{input.shape})"
        )
    w = weight.reshape(()) if weight.numel() == 1 else _per_channel(weight, input.ndim)
    positive = input > 0
    return where(positive, input, w * where(positive, 0.0, input))


# ----------------------------------------------------------------------------- padding

_PAD_MODES = ("constant", "reflect", "replicate", "circular")


def _pad_pairs(pad: Any, ndim: int, op: str) -> list[tuple[int, int]]:
    """torch's flat pad list as (before, after) pairs, the first for the last dim."""
    if isinstance(pad, (str, bytes)) or not hasattr(pad, "__iter__"):
        raise TypeError(f"{op}(): argument 'pad' must be tuple of ints, not {type(pad).__name__}")
    items = list(pad)
    for i, p in enumerate(items):
        if isinstance(p, (bool, np.bool_)) or not isinstance(p, (int, np.integer)):
            raise TypeError(
                f"{op}(): argument 'pad' must be tuple of ints, but found element of type "
                f"{type(p).__name__} at pos {i}"
            )
    if len(items) % 2:
        raise OpError(f"{op}(): Padding length must be divisible by 2, got pad={items}")
    if len(items) // 2 > ndim:
        raise OpError(
            f"{op}(): Padding length should be less than or equal to two times the input "
            f"dimension but got padding length {len(items)} and input of dimension {ndim}"
        )
    return [(int(items[i]), int(items[i + 1])) for i in range(0, len(items), 2)]


def _pad_constant(x: Tensor, pairs: list[tuple[int, int]], value: Any, op: str) -> Tensor:
    """Crop where a pad is negative, then concatenate blocks of ``value`` on either side: the
    blocks are constants, so x̄ is g's middle slice."""
    crop: list[slice] = [slice(None)] * x.ndim
    for k, (lo, hi) in enumerate(pairs):
        d = x.ndim - 1 - k
        size = x.shape[d]
        if size + min(lo, 0) + min(hi, 0) < 0:
            raise OpError(
                f"{op}(): padding ({lo}, {hi}) of dim {d} crops more than its {size} entries "
                f"(input of shape {x.shape})"
            )
        crop[d] = slice(max(-lo, 0), size - max(-hi, 0))
    out = x[tuple(crop)] if any(lo < 0 or hi < 0 for lo, hi in pairs) else x
    for k, (lo, hi) in enumerate(pairs):
        if lo <= 0 and hi <= 0:
            continue
        d = x.ndim - 1 - k
        blocks = []
        for width in (max(lo, 0), max(hi, 0)):
            shape = list(out.shape)
            shape[d] = width
            blocks.append(Tensor._make(np.full(shape, value, dtype=x.dtype)))
        out = cat([blocks[0], out, blocks[1]], dim=d)
    # (a crop alone is a view of x, which torch's pad never returns: a write into the result
    # would reach x)
    return out.clone() if out is x or out._base is not None else out


def _pad_index(size: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """The source index along one dim of every output position: reflect mirrors about the end
    entries (not repeating them), replicate repeats them, circular wraps around the cropped
    dim (torch crops negative pads first in this mode only), as often as needed."""
    if mode == "circular":
        start, kept = max(-lo, 0), size + min(lo, 0) + min(hi, 0)
        n = kept + max(lo, 0) + max(hi, 0)
        if kept == 0:
            return np.zeros(0, dtype=np.int64)
        return start + (np.arange(n) - max(lo, 0)) % kept
    pos = np.arange(size + lo + hi) - lo
    if mode == "replicate":
        return np.clip(pos, 0, size - 1)
    pos = np.abs(pos)
    return np.where(pos > size - 1, 2 * (size - 1) - pos, pos)


def _pad_indexed(x: Tensor, pairs: list[tuple[int, int]], mode: str, op: str) -> Tensor:
    """reflect, replicate and circular: integer-array indexing along each padded dim, so an
    entry copied several times accumulates its gradient from every copy."""
    k = len(pairs)
    if k not in (1, 2, 3) or x.ndim not in (k + 1, k + 2):
        raise NotImplementedError(
            f"Padding size {2 * k} is not supported for {x.ndim}D input tensor. ({op}() in mode "
            f"{mode!r} pads the last 1, 2 or 3 dims of an input with 1 or 2 more dims: "
            f"(C, …) or (N, C, …))"
        )
    if mode != "circular" and 0 in x.shape[x.ndim - k - 1 :]:
        raise OpError(
            f"{op}(): Expected {k + 1}D or {k + 2}D (batch mode) tensor with possibly 0 batch "
            f"size and other non-zero dimensions for input, but got: {list(x.shape)}"
        )
    out = x
    for i, (lo, hi) in enumerate(pairs):
        d = x.ndim - 1 - i
        size = x.shape[d]
        if mode == "reflect" and (lo >= size or hi >= size):
            raise OpError(
                f"{op}(): Padding size should be less than the corresponding input dimension, "
                f"but got: padding ({lo}, {hi}) at dimension {d} of input {list(x.shape)}"
            )
        if mode == "circular":
            kept = size + min(lo, 0) + min(hi, 0)
            if kept < 0 or (kept == 0 and max(lo, hi) > 0):
                raise OpError(
                    f"{op}(): Negative padding value is resulting in an empty dimension: padding "
                    f"({lo}, {hi}) at dimension {d} of input {list(x.shape)}"
                )
            if max(lo, hi) > size:
                raise OpError(
                    f"{op}(): Padding value causes wrapping around more than once: padding "
                    f"({lo}, {hi}) at dimension {d} of input {list(x.shape)}"
                )
        elif size + lo + hi < 0:
            raise OpError(
                f"{op}(): input (size {size} at dimension {d}) is too small for padding "
                f"({lo}, {hi}): calculated output size {size + lo + hi}"
            )
        index = _pad_index(size, lo, hi, mode)
        out = out[(slice(None),) * d + (index,)]
    return out


def pad(input: Tensor, pad: Any, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad (or, with negative amounts, crop) the last dims (``F.pad``): ``pad`` is
    (left, right, top, bottom, front, back, …), the first pair for the last dim.

    ``constant`` fills with ``value`` (0 by default) and pads any number of dims; x̄ is the
    middle slice of g. ``reflect`` mirrors about the edge entries (each pad < the dim's size),
    ``replicate`` repeats them, ``circular`` wraps around; these pad the last 1, 2 or 3 dims of
    an input with 1 or 2 more, and x̄ sums g over every copy of an entry.
    """
    op = "pad"
    _expect_tensor(input, op, "input")
    if not isinstance(mode, str) or mode not in _PAD_MODES:
        raise NotImplementedError(
            f"Unrecognised padding mode {mode} ({op}() takes one of {_PAD_MODES})"
        )
    if value is not None and (
        isinstance(value, (str, bytes)) or not isinstance(value, (int, float, np.number))
    ):
        raise TypeError(f"{op}(): argument 'value' must be a number, got {value!r}")
    pairs = _pad_pairs(pad, input.ndim, op)
    if mode == "constant":
        return _pad_constant(input, pairs, 0 if value is None else value, op)
    if value is not None and value != 0:
        raise OpError(f'{op}(): Padding mode "{mode}" doesn\'t take in value argument')
    return _pad_indexed(input, pairs, mode, op)


def _regression_target(input: Tensor, target: Any, op: str) -> Tensor:
    """The target of an elementwise loss, of exactly the input's shape: torch broadcasts a
    mismatch with a warning, which silently turns (N, 1) against (N,) into an N × N loss."""
    t = input._other(target, op)
    if t.shape != input.shape:
        raise OpError(f"{op}(): input shape {input.shape} and target shape {t.shape} must be equal")
    return t


def _weighted(
    loss: Tensor, weight: Any, input: Tensor, reduction: str, op: str, weighted_mean: bool
) -> Tensor:
    """Scale an elementwise loss by ``weight`` (the input's shape) and reduce it.

    Unlike the class weights of the other losses, torch 2.13 differentiates this one (its
    mse_loss, l1_loss and huber_loss with a weight are plain tensor arithmetic): w̄ = g·ℓ. For
    'mean', mse_loss and l1_loss take the weighted mean Σ wᵢℓᵢ / Σ wᵢ (nan when the weights sum
    to 0, as there), huber_loss the plain mean of wᵢℓᵢ: torch's choices.
    """
    if weight is None:
        return _reduce(loss, reduction)
    if isinstance(weight, str) or (isinstance(weight, Tensor) and weight.dtype.kind not in "iuf"):
        raise TypeError(f"{op}(): weight must hold real numbers, got {weight!r:.60}")
    w = input._other(weight, op)
    if w.dtype != input.dtype:
        w = w.to(input.dtype)
    if w.shape != input.shape:
        raise OpError(f"{op}(): weight shape {w.shape} and input shape {input.shape} must be equal")
    loss = loss * w
    if reduction == "mean" and weighted_mean:
        with np.errstate(divide="ignore", invalid="ignore"):  # weights summing to 0: as torch
            return loss.sum() / w.sum()
    return _reduce(loss, reduction)


def mse_loss(
    input: Tensor,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Any = None,
) -> Tensor:
    """Square loss (input − target)² for regression (``F.mse_loss``).

    ``input`` must be floating (torch has no integer kernel); ``target`` may be any numbers.
    ``weight``, of the input's shape, scales each element's square, and 'mean' is then the
    weighted mean Σ wᵢ dᵢ² / Σ wᵢ, as torch 2.13's (nan when the weights sum to 0, as there).
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_float(input, "mse_loss", "input")
    _check_reduction(reduction, "mse_loss")
    d = input - _regression_target(input, target, "mse_loss")
    return _weighted(d * d, weight, input, reduction, "mse_loss", weighted_mean=True)


def l1_loss(
    input: Tensor,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Any = None,
) -> Tensor:
    """Absolute loss |input − target| (``F.l1_loss``): x̄ = g·sign(x − t), 0 at x = t as torch.

    ``target`` may be any numbers; f32 input and f64 target give f64, as torch's promotion.
    ``weight`` (the input's shape, differentiated) makes 'mean' the weighted mean Σ wᵢ|dᵢ| / Σ wᵢ,
    as torch 2.13's. Torch's deprecated ``size_average``/``reduce`` are taken, as by the other
    losses here: either one sets the reduction (``_legacy_reduction``), with torch's warning.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_float(input, "l1_loss", "input")
    _check_reduction(reduction, "l1_loss")
    d = input - _regression_target(input, target, "l1_loss")
    return _weighted(d.abs(), weight, input, reduction, "l1_loss", weighted_mean=True)


def _check_width(value: Any, name: str, op: str, zero_allowed: bool) -> None:
    """smooth_l1_loss's beta (≥ 0) and huber_loss's delta (> 0), refused as torch does."""
    if type(value) is bool or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{op}(): {name} must be a float, got {value!r}")
    if value < 0 or (value == 0 and not zero_allowed) or np.isnan(value):
        kind = "negative" if zero_allowed else "non-positive"
        raise RuntimeError(f"{op}(): does not support {kind} values for {name}, got {value}")


def _quadratic_then_linear(d: Tensor, width: float) -> tuple[Tensor, np.ndarray]:
    """(½d², not |d| ≥ width). The square is taken of d where it is inside, 0 outside, so the
    branch ``where`` does not choose stays finite at d = ±∞ (its zero adjoint times ∞ would be
    nan); of d, not |d|, so that its second derivative at d = 0 is 1 (|d|'s rule gives
    sign(0)² = 0). A nan d is inside, as in torch's kernel, which tests |d| ≥ width and takes
    x̄ = g·d/width otherwise: nan, where clamp's rule and |d|'s would give 0."""
    inside = ~(np.abs(d.data) >= width)
    dq = where(inside, d, 0.0)
    return 0.5 * dq * dq, inside


def smooth_l1_loss(
    input: Tensor,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """½d²/β for |d| < β, else |d| − ½β, with d = input − target (``F.smooth_l1_loss``).

    x̄ = g·d/β inside, g·sign(d) outside: continuous at |d| = β, 0 at d = 0. β = 0 is the
    l1_loss, as torch computes it; a negative β is refused. Dtypes promote as l1_loss's.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    op = "smooth_l1_loss"
    _check_float(input, op, "input")
    _check_reduction(reduction, op)
    _check_width(beta, "beta", op, zero_allowed=True)
    d = input - _regression_target(input, target, op)
    z = d.abs()
    if beta == 0:
        return _reduce(z, reduction)
    square, inside = _quadratic_then_linear(d, beta)
    return _reduce(where(inside, square / beta, z - 0.5 * beta), reduction)


def huber_loss(
    input: Tensor, target: Any, reduction: str = "mean", delta: float = 1.0, weight: Any = None
) -> Tensor:
    """½d² for |d| < δ, else δ(|d| − ½δ), with d = input − target (``F.huber_loss``): δ times
    smooth_l1_loss with β = δ. x̄ = g·d inside, g·δ·sign(d) outside; δ must be positive.

    The result has the input's dtype, as torch's (f32 input with an f64 target stays f32).
    ``weight`` (the input's shape, differentiated) scales each element; 'mean' is then the
    plain mean of the weighted losses, torch 2.13's choice (mse and l1 divide by Σ w instead).
    """
    op = "huber_loss"
    _check_float(input, op, "input")
    _check_reduction(reduction, op)
    _check_width(delta, "delta", op, zero_allowed=False)
    d = input - _regression_target(input, target, op)
    z = d.abs()
    square, inside = _quadratic_then_linear(d, delta)
    loss = where(inside, square, delta * (z - 0.5 * delta))
    if loss.dtype != input.dtype:
        loss = loss.to(input.dtype)
    return _weighted(loss, weight, input, reduction, op, weighted_mean=False)


def _check_unit_interval(a: np.ndarray, op: str, name: str) -> None:
    inside = (a >= 0) & (a <= 1)  # False for nan, as torch's check
    if not inside.all():
        index = tuple(int(i) for i in np.argwhere(~inside)[0])
        raise RuntimeError(
            f"{op}(): all elements of {name} should be between 0 and 1; got {a[index]} at index "
            f"{index} (shape {a.shape})"
        )


def binary_cross_entropy(
    input: Tensor,
    target: Any,
    weight: Any = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Binary cross-entropy of probabilities x ∈ [0, 1] (``F.binary_cross_entropy``):
    ℓ = −t·ln x − (1 − t)·ln(1 − x), with torch's floor of −100 on each log.

    One primitive of the op table with torch's rule x̄ = g·(x − t) / max(x(1 − x), 10⁻¹²): a
    saturated x = 0 or 1 gives the loss 100 (not ∞) and a large finite gradient (not ∞ or nan).
    On logits prefer ``binary_cross_entropy_with_logits``, which never saturates.

    As torch: input and target have the same shape and dtype (lists and numbers take the
    input's), and every element of both must lie in [0, 1]; ``weight`` broadcasts to the input's
    shape and is not differentiated. The target is, as in torch: t̄ = g·ln((1 − x)/x).
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    op = "binary_cross_entropy"
    _check_float(input, op, "input")
    _check_reduction(reduction, op)
    t = input._other(target, op)
    if not isinstance(target, (Tensor, np.ndarray)) and t.dtype.kind in "biuf":
        t = t.to(input.dtype)
    if t.dtype != input.dtype:
        raise RuntimeError(
            f"{op}(): target must have the input's dtype {input.dtype}, got {t.dtype} (shape "
            f"{t.shape}); convert it with .to({str(input.dtype)!r}), as torch requires"
        )
    if t.shape != input.shape:
        raise OpError(f"{op}(): input shape {input.shape} and target shape {t.shape} must be equal")
    _check_unit_interval(input.data, op, "input")
    _check_unit_interval(t.data, op, "target")
    loss = _apply(OPS[op], input, t)
    if weight is not None:
        loss = loss * _elementwise_weight(weight, input, op, "weight")
    return _reduce(loss, reduction)


_KL_REDUCTIONS = ("mean", "batchmean", "sum", "none")
_KL_MEAN_WARNING = (
    "reduction: 'mean' divides the total loss by both the batch size and the support size."
    "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
    "'mean' will be changed to behave the same as 'batchmean' in the next major release."
)


def _xlogx(t: Tensor) -> Tensor:
    """t·ln t, with 0·ln 0 = 0 (torch's xlogy(t, t)); nan for t < 0."""
    zero = t.data == 0
    with np.errstate(invalid="ignore"):  # ln of a negative target: nan, as torch (silently)
        if not zero.any():
            return t * t.log()
        safe = where(zero, 1.0, t)  # ln 1 = 0 in the branch not chosen: no 0·∞ in its rule
        return where(zero, 0.0, safe * safe.log())


def kl_div(
    input: Tensor,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """Kullback–Leibler divergence of the target p from the model q, given as log-probabilities
    x = ln q (``F.kl_div``): ℓ = p·(ln p − x) elementwise, with 0·ln 0 = 0.

    ``log_target=True`` takes the target as ln p too: ℓ = eᵗ·(t − x), stable for tiny p.
    x̄ = −g·p. Reductions: 'batchmean' divides the sum by the batch size (dim 0; the sum for a
    0-d input) and is the KL divergence per example; 'mean', the default, divides by the
    number of elements and warns as torch does. Dtypes promote; integers are refused.
    """
    op = "kl_div"
    # torch's order: the legacy arguments win (no 'mean' warning), yet a 'batchmean' given
    # beside them still divides their result by the batch size
    batch_divide = reduction == "batchmean"
    legacy = size_average is not None or reduce is not None
    if legacy:
        reduction = _legacy_reduction(size_average, reduce)
    _check_float(input, op, "input")
    _check_reduction(reduction, op, _KL_REDUCTIONS)
    t = input._other(target, op)
    if t.dtype.kind != "f":
        raise TypeError(
            f"{op}(): target must have a floating point dtype, got {t.dtype} (shape {t.shape}); "
            "integral inputs are not supported, as in torch"
        )
    if t.shape != input.shape:
        raise OpError(f"{op}(): input shape {input.shape} and target shape {t.shape} must be equal")
    if reduction == "mean" and not legacy:
        warn(_KL_MEAN_WARNING, UserWarning)
    loss = t.exp() * (t - input) if log_target else _xlogx(t) - t * input
    total = loss.sum() if reduction == "batchmean" else _reduce(loss, reduction)
    if batch_divide and input.ndim != 0:
        with np.errstate(divide="ignore", invalid="ignore"):  # an empty batch: nan, as torch
            return total / float(input.shape[0])
    return total


def _score_rows(input: Tensor, op: str) -> tuple[int, int]:
    """(N, C) of a multiclass margin loss's scores: a matrix (N, C) is N examples of C
    classes, a vector (C,) one example, a 0-d tensor one example of one class; an empty class
    dim or more than 2 dims is refused."""
    if input.ndim > 2 or (input.ndim and input.shape[-1] == 0):
        raise OpError(
            f"{op}(): expected a non-empty vector (C,) or matrix (N, C) of scores, got shape "
            f"{input.shape}"
        )
    return (input.shape[0] if input.ndim == 2 else 1), (input.shape[-1] if input.ndim else 1)


def multi_margin_loss(
    input: Tensor,
    target: Any,
    p: int = 1,
    margin: float = 1.0,
    weight: Any = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """The multiclass hinge (SVM) loss on scores f and class labels y (``F.multi_margin_loss``):

        ℓ(f, y) = (1/C) Σ_{j≠y} w_y·max(0, margin − f_y + f_j)ᵖ,   p = 1 or 2.

    f̄_j = (w_y/C)·p·max(0, margin − f_y + f_j)ᵖ⁻¹ for each j ≠ y inside the margin, and f̄_y
    minus their sum: 0 once f_y beats every other score by the margin (at exactly the margin
    too: relu'(0) = 0, as torch). Compare the multiclass logistic loss ``cross_entropy``.

    Input (N, C) or (C,) with labels (N,) or () (torch's shapes); ``weight`` is one constant
    per class, not differentiated. Labels out of [0, C) are refused; 'mean' averages over the
    N examples (nan for N = 0, where torch 2.13 returns an uninitialized number).
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    op = "multi_margin_loss"
    _check_float(input, op, "input")
    _check_reduction(reduction, op)
    if type(p) is bool or p not in (1, 2):
        raise ValueError(f"{op}(): only p == 1 and p == 2 supported, got p={p!r}")
    _check_real(margin, "margin", op)
    n, c = _score_rows(input, op)
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    if t.ndim > 1 or t.size != n:
        raise OpError(
            f"{op}(): input of shape {input.shape} expects a target of {n} label"
            f"{'s' if n != 1 else ''}, shape ({n},){' or ()' if n == 1 else ''}; got {t.shape}"
        )
    y = _labels(t.reshape(n), c, op, (n,))
    scores = input.reshape((n, c))
    w = None
    if weight is not None:
        w = _constant_weight(weight, input, op, "weight")
        if w.ndim != 1:
            raise ValueError(f"{op}(): weight must be one-dimensional (one weight per class)")
        w = _class_weight(w, scores, op)
    rows = np.arange(n)
    with np.errstate(invalid="ignore"):  # f_y = ∞: ∞ − ∞ at j = y, a term left out below
        z = (margin - scores[rows, y]).unsqueeze(1) + scores  # margin − f_y + f_j
    hinge = z.relu()
    if p == 2:
        hinge = hinge * hinge
    if w is not None:
        hinge = hinge * w.data[y][:, None]  # w_y, a constant per row
    others = np.ones((n, c), dtype=bool)
    others[rows, y] = False  # the j = y term is left out (a where: f_y = ±∞ gives no nan)
    loss = where(others, hinge, 0.0).sum(1) / float(c)
    if reduction == "none":
        return loss.reshape(t.shape)
    return _reduce(loss, reduction)


def soft_margin_loss(
    input: Tensor,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """The two-class logistic loss ln(1 + e^{−y·x}) for labels y = ±1 (``F.soft_margin_loss``):
    the lecture's binary logistic loss on the margin y·x; x̄ = −g·y·σ(−y·x).

    Evaluated stably (one primitive, ln(1 + eᶻ) without positive exponents): finite for |x| =
    1e4, where torch's ln(1 + eᶻ) overflows to ∞ with a nan gradient. As torch, the result has
    the input's dtype and the target is not differentiable (one that requires grad is refused).
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    op = "soft_margin_loss"
    _check_float(input, op, "input")
    _check_reduction(reduction, op)
    t = _regression_target(input, target, op)
    if t.requires_grad:
        raise RuntimeError(
            f"{op}(): the loss is not differentiable with respect to target (as in torch); "
            "pass target.detach()"
        )
    margin = t * input
    loss = _softplus(-margin, 0.0)
    if loss.dtype != input.dtype:
        loss = loss.to(input.dtype)
    return _reduce(loss, reduction)


# The embedding, ranking, multi-label, likelihood and triplet losses below are torch's composite
# losses, written with the ops torch's own forms use: their gradients (and second derivatives)
# come from those ops' rules, and their kinks are torch's (clamp passes the gradient at 0).


def _check_real(value: Any, name: str, op: str) -> None:
    if type(value) is bool or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{op}(): {name} must be a float, got {value!r}")


def _broadcast_shapes(op: str, **named: Tensor) -> tuple[int, ...]:
    """The common shape of the named tensors, or an error naming the op and every shape."""
    try:
        return tuple(np.broadcast_shapes(*(t.shape for t in named.values())))
    except ValueError:
        shapes = ", ".join(f"{name} of shape {t.shape}" for name, t in named.items())
        raise OpError(f"{op}(): {shapes} do not broadcast") from None


_COSINE_EPS = float(np.float32(1e-12))  # torch's EPSILON, a C++ float


def cosine_embedding_loss(
    input1: Tensor,
    input2: Tensor,
    target: Any,
    margin: float = 0.0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """1 − cos(x₁, x₂) for a pair labelled y = 1 (alike), max(0, cos(x₁, x₂) − margin) for
    y = −1 (unlike) (``F.cosine_embedding_loss``); cos = x₁·x₂ / √((‖x₁‖² + ε)(‖x₂‖² + ε)),
    ε = 1e-12 as torch's float constant (9.99999996e-13), over the last dim, as torch
    computes it.

    Inputs (N, D) with labels (N,), or (D,) with a 0-d label; the inputs broadcast. As in
    torch, a label other than ±1 contributes 0 and the label is not differentiated; at
    cos = margin the gradient passes (torch's clamp_min). Inputs must be floating.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    op = "cosine_embedding_loss"
    _check_float(input1, op, "input1")
    _check_float(input2, op, "input2")
    _check_reduction(reduction, op)
    _check_real(margin, "margin", op)
    t = input1._other(target, op)
    if t.ndim > 1:
        raise OpError(
            f"{op}(): expected a 0-d or 1-d target (one label ±1 per pair), got shape {t.shape}; "
            "multi-target is not supported"
        )
    if input1.ndim != t.ndim + 1 or input2.ndim != t.ndim + 1:
        raise OpError(
            f"{op}(): a {t.ndim}-d target of shape {t.shape} expects {t.ndim + 1}-d inputs, got "
            f"input1 of shape {input1.shape} and input2 of shape {input2.shape}"
        )
    _broadcast_shapes(op, input1=input1, input2=input2)
    dim = t.ndim
    dot = (input1 * input2).sum(dim)
    norms = ((input1 * input1).sum(dim) + _COSINE_EPS) * ((input2 * input2).sum(dim) + _COSINE_EPS)
    cos = dot / norms.sqrt()
    _broadcast_shapes(op, target=t, pairs=cos)
    alike = where(t.data == 1, 1.0 - cos, 0.0)
    unlike = where(t.data == -1, (cos - margin).clamp(min=0.0), 0.0)
    return _reduce(alike + unlike, reduction)


def margin_ranking_loss(
    input1: Tensor,
    input2: Tensor,
    target: Any,
    margin: float = 0.0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """max(0, −y·(x₁ − x₂) + margin) (``F.margin_ranking_loss``): y = 1 asks for x₁ ranked
    above x₂ by the margin, y = −1 for the reverse.

    x̄₁ = −g·y and x̄₂ = g·y where the hinge is active (at its kink too, torch's clamp_min),
    and ȳ = −g·(x₁ − x₂): torch differentiates the target. The three must have the same
    number of dims, as torch requires, and broadcast; the inputs must be floating.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    op = "margin_ranking_loss"
    _check_float(input1, op, "input1")
    _check_float(input2, op, "input2")
    _check_reduction(reduction, op)
    _check_real(margin, "margin", op)
    t = input1._other(target, op)
    if not input1.ndim == input2.ndim == t.ndim:
        raise OpError(
            f"{op}(): input1, input2 and target must have the same number of dims, got shapes "
            f"{input1.shape}, {input2.shape} and {t.shape}"
        )
    _broadcast_shapes(op, input1=input1, input2=input2, target=t)
    return _reduce((-t * (input1 - input2) + margin).clamp(min=0.0), reduction)


def hinge_embedding_loss(
    input: Tensor,
    target: Any,
    margin: float = 1.0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """x for y = 1, max(0, margin − x) for y = −1 (``F.hinge_embedding_loss``), x usually a
    distance between a pair: alike pairs are pulled together, unlike ones pushed past margin.

    As torch computes it, a label other than ±1 gets both terms, the label is not
    differentiated and broadcasts with the input, and at x = margin the gradient passes.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    op = "hinge_embedding_loss"
    _check_float(input, op, "input")
    _check_reduction(reduction, op)
    _check_real(margin, "margin", op)
    t = input._other(target, op)
    _broadcast_shapes(op, input=input, target=t)
    pushed = where(t.data != 1, (margin - input).clamp(min=0.0), 0.0)
    return _reduce(pushed + where(t.data != -1, input, 0.0), reduction)


def multilabel_margin_loss(
    input: Tensor,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """The multi-label hinge loss (``F.multilabel_margin_loss``): for scores x over C classes
    and the set T of target classes,

        ℓ(x, T) = (1/C) Σ_{j∈T} Σ_{i∉T} max(0, 1 − x_j + x_i).

    ``target`` has the input's shape and lists T's classes first, ended by −1 (the rest is
    ignored): [3, 0, −1, 1] is T = {3, 0}. A class listed twice counts twice, as in torch.
    x̄_i, x̄_j: ±g/C per active pair (0 at the kink, as torch); formed as a (N, C, C) tensor of
    pairs. Input (N, C) or (C,) (or 0-d: C = 1); a label out of [−1, C) is refused with
    torch's RuntimeError. 'mean' of an empty batch is 0, as torch 2.13.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    op = "multilabel_margin_loss"
    _check_float(input, op, "input")
    _check_reduction(reduction, op)
    n, c = _score_rows(input, op)
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    if t.dtype.kind not in "iu":
        raise TypeError(
            f"{op}(): target must hold integer class indices, got dtype {t.dtype} (shape {t.shape})"
        )
    if (t.shape != (n, c)) if input.ndim == 2 else (t.ndim > 1 or t.size != c):
        raise OpError(
            f"{op}(): input of shape {input.shape} expects a target of shape "
            f"{input.shape if input.ndim else '() or (1,)'}, got {t.shape}"
        )
    if t.size and (t.min() < -1 or t.max() >= c):
        bad = t[(t < -1) | (t >= c)].ravel()[0]
        raise OpError(f"{op}(): target {bad} is out of range: labels lie in [0, {c}), −1 ends them")
    labels = t.reshape(n, c).astype(np.int64)
    listed = np.cumprod(labels >= 0, axis=1).astype(bool)  # the labels before the first −1
    counts = np.zeros((n, c))
    np.add.at(counts, (np.nonzero(listed)[0], labels[listed]), 1.0)
    pairs = counts[:, :, None] * (counts == 0)[:, None, :]  # how often each (j ∈ T, i ∉ T)
    x = input.reshape((n, c))
    with np.errstate(invalid="ignore"):  # ∞ − ∞ of a pair left out below
        z = 1.0 - x.unsqueeze(2) + x.unsqueeze(1)  # 1 − x_j + x_i at [:, j, i]
    hinge: Tensor = where(pairs > 0, z, 0.0).relu() * pairs.astype(input.dtype)
    loss = hinge.sum((1, 2)) / float(c)
    if reduction == "none":
        return loss if input.ndim == 2 else loss.reshape(())
    if reduction == "mean" and n == 0:
        return loss.sum()
    return _reduce(loss, reduction)


def multilabel_soft_margin_loss(
    input: Tensor,
    target: Any,
    weight: Any = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """The multi-label logistic loss (``F.multilabel_soft_margin_loss``): each of the C classes
    a binary logistic loss on its logit, averaged over the classes (the last dim),

        ℓ(x, y) = −(1/C) Σᵢ wᵢ·(yᵢ ln σ(xᵢ) + (1 − yᵢ) ln σ(−xᵢ)),   x̄ᵢ = g·wᵢ(σ(xᵢ) − yᵢ)/C.

    As torch's: the target and ``weight`` broadcast and are differentiated
    (ȳᵢ = −g·wᵢxᵢ/C), and 'none' keeps one loss per example.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    op = "multilabel_soft_margin_loss"
    _check_float(input, op, "input")
    _check_reduction(reduction, op)
    if input.ndim == 0:
        raise IndexError(f"{op}(): input must have a class dim (its last), got a 0-d tensor")
    t = input._other(target, op)
    _broadcast_shapes(op, input=input, target=t)
    loss = -(t * logsigmoid(input) + (1 - t) * logsigmoid(-input))
    if weight is not None:
        if isinstance(weight, str) or (
            isinstance(weight, Tensor) and weight.dtype.kind not in "iuf"
        ):
            raise TypeError(f"{op}(): weight must hold real numbers, got {weight!r:.60}")
        w = input._other(weight, op)
        _broadcast_shapes(op, input=input, target=t, weight=w)
        loss = loss * w
    c = input.shape[-1]
    with np.errstate(divide="ignore", invalid="ignore"):  # C = 0: 0/0, nan as torch
        loss = loss.sum(input.ndim - 1) / float(c)
    return _reduce(loss, reduction)


def poisson_nll_loss(
    input: Tensor,
    target: Any,
    log_input: bool = True,
    full: bool = False,
    size_average: bool | None = None,
    eps: float = 1e-8,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Negative log likelihood of a Poisson count t with rate λ (``F.poisson_nll_loss``), up to
    the constant ln t!: ℓ = λ − t·ln λ.

    ``log_input=True`` takes x = ln λ: ℓ = eˣ − t·x, x̄ = g·(eˣ − t); else x = λ and
    ℓ = x − t·ln(x + ε). ``full`` adds Stirling's ln t! ≈ t ln t − t + ½ln(2πt) for t > 1
    (0 for t ≤ 1, as torch). The target broadcasts and is differentiated, as in torch:
    t̄ = −g·x (−g·ln(x + ε) for a rate), plus g·(ln t + 1/(2t)) for t > 1 with ``full``.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    op = "poisson_nll_loss"
    _check_float(input, op, "input")
    _check_reduction(reduction, op)
    _check_real(eps, "eps", op)
    t = input._other(target, op)
    _broadcast_shapes(op, input=input, target=t)
    if log_input:
        loss = input.exp() - t * input
    else:
        with np.errstate(invalid="ignore", divide="ignore"):  # λ ≤ −ε: nan or −∞, as torch
            loss = input - t * (input + eps).log()
    if full:
        big = t.data > 1
        # Stirling's term of 2 where it is left out: torch's 0·ln 0 there gives t̄ = nan at t = 0.
        s = where(big, t, 2.0)
        stirling = s * s.log() - s + 0.5 * (2 * np.pi * s).log()
        loss = loss + where(big, stirling, 0.0)
    return _reduce(loss, reduction)


def _gaussian_var(var: Any, input: Tensor, op: str) -> Tensor:
    """gaussian_nll_loss's ``var``: a number, or one variance per element of ``input``, or
    one shared along one dim (size 1 there, or, for the last dim, left out), as torch's."""
    if isinstance(var, (int, float, np.integer, np.floating)) and type(var) is not bool:
        if var < 0:
            raise ValueError(f"{op}(): var has a negative value, got {var}")
        return input._other(float(var)).expand(input.shape)
    if not isinstance(var, Tensor):
        raise TypeError(f"{op}(): var must be a Tensor or a number, got {type(var).__name__}")
    if var.dtype.kind != "f":
        raise TypeError(f"{op}(): var must have a floating point dtype, got {var.dtype}")
    if (var.data < 0).any():
        bad = var.data[var.data < 0].ravel()[0]
        raise ValueError(f"{op}(): var has negative entries, e.g. {bad} (shape {var.shape})")
    if var.shape == input.shape:
        return var
    if var.shape == input.shape[:-1]:
        return var.unsqueeze(-1)
    mismatched = [v for x, v in zip(input.shape, var.shape) if x != v]
    if var.ndim == input.ndim and mismatched == [1]:
        return var
    raise ValueError(
        f"{op}(): var of shape {var.shape} is of incorrect size for input of shape "
        f"{input.shape}: expected the input's shape, that shape without its last dim, or "
        "that shape with one dim of size 1"
    )


def gaussian_nll_loss(
    input: Tensor,
    target: Any,
    var: Any,
    full: bool = False,
    eps: float = 1e-6,
    reduction: str = "mean",
) -> Tensor:
    """Negative log likelihood of a target t under the Gaussian N(μ, σ²), μ the input
    (``F.gaussian_nll_loss``): ℓ = ½(ln max(σ², ε) + (μ − t)² / max(σ², ε)) (+ ½ln 2π if
    ``full``).

    μ̄ = g·(μ − t)/σ², σ̄² = ½g·(1/σ² − (μ − t)²/σ⁴), t̄ = −μ̄. As torch, the floor ε is
    applied to σ² in value only, so a clamped variance still gets the gradient above
    (evaluated at ε); negative variances are refused (ValueError). ``var`` is a number, one
    variance per element, or one shared along a dim (see ``_gaussian_var``).
    """
    op = "gaussian_nll_loss"
    _check_float(input, op, "input")
    _check_reduction(reduction, op)
    _check_real(eps, "eps", op)
    v = _gaussian_var(var, input, op)
    t = input._other(target, op)
    _broadcast_shapes(op, input=input, target=t, var=v)
    v = _undifferentiated_floor(v, eps)
    d = input - t
    with np.errstate(divide="ignore", invalid="ignore"):  # σ² = 0 with ε = 0: as torch
        loss = 0.5 * (v.log() + d * d / v)
    if full:
        loss = loss + 0.5 * float(np.log(2 * np.pi))
    return _reduce(loss, reduction)


def _check_triplet(
    anchor: Tensor, positive: Tensor, negative: Tensor, margin: Any, reduction: str, op: str
) -> None:
    _check_reduction(reduction, op)
    _check_real(margin, "margin", op)
    if not margin > 0:
        raise ValueError(f"{op}(): margin must be greater than 0, got {margin}")
    for name, x in (("anchor", anchor), ("positive", positive), ("negative", negative)):
        _expect_tensor(x, op, name)
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise OpError(
            f"{op}(): anchor, positive and negative must have the same number of dims, got "
            f"shapes {anchor.shape}, {positive.shape} and {negative.shape}"
        )


def _triplet(d_pos: Tensor, d_neg: Tensor, d_swap: Tensor | None, margin: float) -> Tensor:
    if d_swap is not None:  # the swap of Balntas et al.: the closer of the two negatives
        d_neg = d_neg.minimum(d_swap)
    return (margin + d_pos - d_neg).clamp(min=0.0)


def triplet_margin_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    margin: float = 1.0,
    p: float = 2.0,
    eps: float = 1e-6,
    swap: bool = False,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """max(0, d(a, p) − d(a, n) + margin), d the ``pairwise_distance`` with ``p`` and ``eps``
    (``F.triplet_margin_loss``): the anchor a closer to the positive than to the negative by
    the margin > 0. ``swap`` uses min(d(a, n), d(p, n)) for d(a, n) (ties share the gradient,
    torch's minimum). Inputs (N, D) or (D,) with the same number of dims, broadcasting.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    op = "triplet_margin_loss"
    _check_triplet(anchor, positive, negative, margin, reduction, op)
    _broadcast_shapes(op, anchor=anchor, positive=positive, negative=negative)
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    d_swap = pairwise_distance(positive, negative, p, eps) if swap else None
    return _reduce(_triplet(d_pos, d_neg, d_swap, margin), reduction)


def triplet_margin_with_distance_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    *,
    distance_function: Any = None,
    margin: float = 1.0,
    swap: bool = False,
    reduction: str = "mean",
) -> Tensor:
    """``triplet_margin_loss`` with any ``distance_function(x1, x2)`` returning a Tensor of
    distances (``F.triplet_margin_with_distance_loss``); None is ``pairwise_distance``."""
    op = "triplet_margin_with_distance_loss"
    _check_triplet(anchor, positive, negative, margin, reduction, op)
    distance = pairwise_distance if distance_function is None else distance_function
    if not callable(distance):
        raise TypeError(f"{op}(): distance_function must be callable, got {distance!r}")

    def d(x1: Tensor, x2: Tensor) -> Tensor:
        out = distance(x1, x2)
        if not isinstance(out, Tensor):
            raise TypeError(
                f"{op}(): distance_function must return a Tensor, got {type(out).__name__}"
            )
        return out

    d_pos, d_neg = d(anchor, positive), d(anchor, negative)
    d_swap = d(positive, negative) if swap else None
    return _reduce(_triplet(d_pos, d_neg, d_swap, margin), reduction)


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Any,
    weight: Any = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Tensor:
    """Binary logistic loss on logits z with targets t ∈ [0, 1].

    PyTorch equivalent: ``F.binary_cross_entropy_with_logits``.

    ℓ = ln(1 + eᶻ) − t·z, one primitive with the smooth rule z̄ = g·(σ(z) − t) (a composition
    of relu and abs would give the wrong gradient at z = 0, where W = 0 starts), evaluated
    without positive exponents. With t = (1 + y)/2 for y ∈ {−1, +1} this is the lecture's
    ln(1 + e^{−y z}).

    ``pos_weight`` p (broadcast along the last dim: one per class) weighs the positive term,
    ℓ = −p·t·ln σ(z) − (1 − t)·ln(1 − σ(z)) = (1 − t)·z + (1 + (p − 1)·t)·ln(1 + e⁻ᶻ), composed
    of ops; ``weight`` (broadcast to the input's shape) scales each element's loss. Neither is
    differentiated, as in torch.

    Both must be floating: like torch, integer targets are refused rather than promoting a
    float32 loss to float64 (write ``target.float()`` or ``(y == 1).astype(np.float32)``).
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    op = "binary_cross_entropy_with_logits"
    _check_float(input, op, "input")
    _check_reduction(reduction, op)
    t = input._other(target)
    if t.dtype.kind != "f":
        raise RuntimeError(
            f"{op}(): target must have a floating point dtype like the input's ({input.dtype}), "
            f"got {t.dtype} (shape {t.shape}); convert it with .float()"
        )
    if t.shape != input.shape:
        raise OpError(f"{op}(): input shape {input.shape} and target shape {t.shape} must be equal")
    bce = OPS[op]
    if pos_weight is None:
        loss = _apply(bce, input, t)
    else:
        p = _elementwise_weight(pos_weight, input, op, "pos_weight")
        softplus_neg = _apply(bce, input, input._other(1.0).expand(input.shape))  # ln(1 + e⁻ᶻ)
        loss = (1.0 - t) * input + (1.0 + (p - 1.0) * t) * softplus_neg
    if weight is not None:
        loss = loss * _elementwise_weight(weight, input, op, "weight")
    return _reduce(loss, reduction)


def one_hot(tensor: Any, num_classes: int = -1) -> Tensor:
    """e_y: rows of the identity (``F.one_hot``; int64 like torch).

    ``num_classes=-1`` (the default, as in torch) uses one more than the largest label.
    """
    t = tensor.data if isinstance(tensor, Tensor) else np.asarray(tensor)
    if type(num_classes) is bool or not isinstance(num_classes, (int, np.integer)):
        raise TypeError(f"one_hot(): num_classes must be an int, got {num_classes!r}")
    if num_classes == -1:
        num_classes = max(int(t.max()) + 1, 0) if t.size and t.dtype.kind in "iu" else 0
    elif num_classes < 0:
        raise ValueError(f"one_hot(): num_classes must be -1 or ≥ 0, got {num_classes}")
    y = _labels(t, int(num_classes), "one_hot", t.shape)
    return Tensor._make(one_hot_array(y, int(num_classes), np.int64))


def l2_penalty(params: Any, lam: float) -> Tensor:
    """The lecture's L2 regularizer λ Σ w² over the given tensors (add it to the loss)."""
    params = list(params)
    for i, p in enumerate(params):
        _expect_tensor(p, "l2_penalty", f"params[{i}]")
    terms = [(p * p).sum() for p in params]
    if not terms:
        raise ValueError("l2_penalty(): got no parameters")
    total: Tensor = terms[0]
    for t in terms[1:]:
        total = total + t
    return total * lam

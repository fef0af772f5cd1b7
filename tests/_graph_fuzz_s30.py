"""What no graph fuzzer family drew before session 30, for the graph fuzzer
(tests/test_graph_fuzz_torch.py), drawn (``draw``) and applied (``apply``) as
``_graph_fuzz_s29``'s:

* the nn modules no family built: ``ConvTranspose3d``, ``BatchNorm3d`` and ``InstanceNorm3d``
  (running statistics compared); the lazy modules ``LazyLinear``, ``LazyConv1d``,
  ``LazyConv2d``, ``LazyConvTranspose1d``, ``LazyBatchNorm1d``, ``LazyInstanceNorm1d`` (a first
  forward in eval mode without grad infers the input's size, then the drawn weights and
  buffers are copied in; rarely the next input has another size); the stacks
  ``TransformerEncoder`` and ``TransformerDecoder`` (1–2 layers, a final ``LayerNorm`` or none)
  and ``Transformer`` (1–2 layers each side), d_model ≤ 4, norm_first both ways, relu or gelu,
  dropout 0, with attention masks (bool or float), causal masks said to be causal, key padding
  masks; ``AdaptiveLogSoftmaxWithLoss`` (its forward's output and loss, ``log_prob`` and
  ``predict``), all built as ``_graph_fuzz_s28``'s modules (a parameter gathered from the pool
  goes through ``functional_call``, a constant one is copied into the module's own);
* the in-place Tensor methods in grad mode (``i:`` ops) that the in-place focus
  (``inplace_grad``, which draws ``add_``/``sub_`` with alpha, ``mul_``, ``div_``, ``copy_``,
  ``masked_fill_`` of a number, ``relu_``, ``sigmoid_``, ``tanh_``, ``exp_``, ``clamp_(lo, hi)``,
  ``zero_``, ``fill_`` and item assignment) does not: ``addcmul_``, ``addcdiv_``, ``lerp_``,
  ``clamp_`` with keywords or tensor bounds, ``clamp_min_``/``clamp_max_``, ``pow_``,
  ``float_power_``, ``div_(rounding_mode=None)``, ``log_``, ``sqrt_``, ``rsqrt_``, ``abs_``,
  ``neg_``, ``reciprocal_``, ``square_``, ``sin_``, ``cos_``, ``expm1_``, ``log1p_``, ``erf_``,
  ``erfinv_``, ``logit_``, ``lgamma_``, ``digamma_``, ``polygamma_``, ``mvlgamma_``, ``sinc_``,
  ``deg2rad_``, ``frac_``, ``sign_``, ``i0_``, ``nan_to_num_``, ``atan2_``, ``hypot_``,
  ``xlogy_``, ``copysign_``, ``fmod_``, ``remainder_``, ``ldexp_``, ``masked_fill_`` of a 0-d
  tensor, ``index_add_``, ``index_copy_``, ``index_fill_``, ``scatter_`` (src or value),
  ``scatter_add_``, ``scatter_reduce_``, ``put_``, ``masked_scatter_``, ``index_put_``,
  ``fill_diagonal_``, ``tril_``, ``triu_``, ``cumsum_``, ``renorm_``, ``addmm_``, ``addmv_``,
  ``addr_``, ``baddbmm_``, ``addbmm_``, and the shape methods ``t_``, ``transpose_``,
  ``squeeze_``, ``unsqueeze_``, ``swapaxes_``, ``swapdims_``; each writes a fresh non-leaf value
  (entries gathered from the step's pool value, mapped onto the op's domain), the elementwise
  ones sometimes through a view of it (``_graph_fuzz_more``'s views), and rarely a value that a
  rule saved (a ``tanh``'s output), whose backward both libraries must refuse;
* torch's aliases (``a:`` ops), called through the alias name, as a function, a method or an
  in-place method where torch has one: ``absolute``, ``arccos``, ``arcsin``, ``arctan``,
  ``arccosh``, ``arcsinh``, ``arctanh``, ``arctan2``, ``negative``, ``fix``, ``clip``,
  ``true_divide``, ``multiply``, ``subtract`` (alpha), ``divide`` (rounding_mode),
  ``greater``, ``greater_equal``, ``less``, ``less_equal``, ``not_equal``; ``special.expit``,
  ``logit`` (eps), ``exp2``, ``expm1``, ``log1p``, ``erf``, ``erfc``, ``erfinv``, ``sinc``,
  ``i0``, ``psi``, ``digamma``, ``gammaln``, ``round`` (decimals), ``xlogy``, ``logsumexp``,
  ``softmax``, ``log_softmax``, ``multigammaln``, ``polygamma``; ``mvlgamma``,
  ``linalg.matmul``, ``linalg.det``, ``det``, ``slogdet``, ``inverse``, ``linalg.diagonal``,
  ``matrix_exp``, ``orgqr``, ``concat``, ``concatenate``.

Rarely an argument torch refuses: a feature size one too large (a lazy module's second input),
a dim out of range, an index out of range, shapes that do not broadcast, a target out of range.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import _graph_fuzz_more as more
import _graph_fuzz_s18 as s18
import _graph_fuzz_s28 as s28
import _graph_fuzz_s29 as s29
import numpy as np

Shape = tuple[int, ...]

MODULES = [
    "ConvTranspose3d", "BatchNorm3d", "InstanceNorm3d", "LazyLinear", "LazyConv1d", "LazyConv2d",
    "LazyConvTranspose1d", "LazyBatchNorm1d", "LazyInstanceNorm1d", "TransformerEncoder",
    "TransformerDecoder", "Transformer", "AdaptiveLogSoftmaxWithLoss",
]  # fmt: skip
LAZY = {
    "LazyLinear": "Linear", "LazyConv1d": "Conv1d", "LazyConv2d": "Conv2d",
    "LazyConvTranspose1d": "ConvTranspose1d", "LazyBatchNorm1d": "BatchNorm1d",
    "LazyInstanceNorm1d": "InstanceNorm1d",
}  # fmt: skip
STACKS = ("TransformerEncoder", "TransformerDecoder", "Transformer")
NORMS = ("BatchNorm3d", "InstanceNorm3d", "LazyBatchNorm1d", "LazyInstanceNorm1d")

# the in-place methods: elementwise of one tensor (the domain their input is mapped onto) ...
IP_UNARY = {
    "log_": "pos", "sqrt_": "pos", "rsqrt_": "pos", "abs_": "any", "neg_": "any",
    "reciprocal_": "pos", "square_": "any", "sin_": "any", "cos_": "any", "expm1_": "any",
    "log1p_": "pos", "erf_": "any", "erfinv_": "unit", "logit_": "prob", "lgamma_": "pos",
    "digamma_": "pos", "polygamma_": "pos", "mvlgamma_": "pos", "sinc_": "any",
    "deg2rad_": "any", "frac_": "any", "sign_": "any", "i0_": "any", "nan_to_num_": "any",
    "clamp_": "any", "clamp_min_": "any", "clamp_max_": "any", "pow_": "pos",
    "float_power_": "pos",
}  # fmt: skip
# ... of two or three (the other operands' domains)
IP_BINARY = {
    "addcmul_": "any", "addcdiv_": "pos", "lerp_": "any", "div_": "pos", "atan2_": "any",
    "hypot_": "any", "xlogy_": "pos", "copysign_": "any", "fmod_": "pos", "remainder_": "pos",
    "ldexp_": "int", "masked_fill_": "any",
}  # fmt: skip
IP_INDEX = [
    "index_add_", "index_copy_", "index_fill_", "scatter_", "scatter_add_", "scatter_reduce_",
    "put_", "masked_scatter_", "index_put_", "fill_diagonal_", "tril_", "triu_", "cumsum_",
    "renorm_", "addmm_", "addmv_", "addr_", "baddbmm_", "addbmm_",
]  # fmt: skip
IP_SHAPE = ["t_", "transpose_", "squeeze_", "unsqueeze_", "swapaxes_", "swapdims_"]
INPLACE = ["i:" + k for k in [*IP_UNARY, *IP_BINARY, *IP_INDEX, *IP_SHAPE]]
# (the unary ones with a bound or an exponent drawn)
BOUNDED = ("clamp_", "clamp_min_", "clamp_max_", "pow_", "float_power_")

# the aliases: (the domain of x, the kind of call, the forms torch has)
_ALL, _NS = ("ns", "method", "inplace"), ("ns",)
ALIAS = {
    "absolute": ("any", "unary", _ALL), "arccos": ("unit", "unary", _ALL),
    "arcsin": ("unit", "unary", _ALL), "arctan": ("any", "unary", _ALL),
    # (torch's acosh_, asinh_, atanh_ have no derivative: not drawn in place, DIVERGENCES)
    "arccosh": ("big", "unary", _ALL[:2]), "arcsinh": ("any", "unary", _ALL[:2]),
    "arctanh": ("unit", "unary", _ALL[:2]), "negative": ("any", "unary", _ALL),
    "fix": ("any", "unary", _ALL), "arctan2": ("any", "binary", _ALL),
    "true_divide": ("any", "binary", _ALL), "multiply": ("any", "binary", _ALL),
    "subtract": ("any", "binary", _ALL), "divide": ("any", "binary", _ALL),
    "clip": ("any", "clip", _ALL), "greater": ("any", "compare", _ALL),
    "greater_equal": ("any", "compare", _ALL), "less": ("any", "compare", _ALL),
    "less_equal": ("any", "compare", _ALL), "not_equal": ("any", "compare", _ALL),
    "special.expit": ("any", "unary", _NS), "special.logit": ("prob", "unary", _NS),
    "special.exp2": ("any", "unary", _NS), "special.expm1": ("any", "unary", _NS),
    "special.log1p": ("pos", "unary", _NS), "special.erf": ("any", "unary", _NS),
    "special.erfc": ("any", "unary", _NS), "special.erfinv": ("unit", "unary", _NS),
    "special.sinc": ("any", "unary", _NS), "special.i0": ("any", "unary", _NS),
    "special.psi": ("pos", "unary", _NS), "special.digamma": ("pos", "unary", _NS),
    "special.gammaln": ("pos", "unary", _NS), "special.round": ("any", "unary", _NS),
    "special.xlogy": ("any", "binary", _NS), "special.logsumexp": ("any", "reduce", _NS),
    "special.softmax": ("any", "reduce", _NS), "special.log_softmax": ("any", "reduce", _NS),
    "special.multigammaln": ("pos", "unary", _NS), "special.polygamma": ("pos", "unary", _NS),
    "mvlgamma": ("pos", "unary", ("ns", "method", "inplace")),
    "linalg.matmul": ("any", "matrix", _NS), "linalg.det": ("any", "square", _NS),
    "det": ("any", "square", ("ns", "method")), "slogdet": ("any", "square", ("ns", "method")),
    "inverse": ("any", "square", ("ns", "method")), "matrix_exp": ("any", "square", _ALL[:2]),
    "linalg.diagonal": ("any", "diagonal", _NS), "orgqr": ("any", "orgqr", ("ns", "method")),
    "concat": ("any", "join", _NS), "concatenate": ("any", "join", _NS),
}  # fmt: skip
ALIASES = ["a:" + k for k in ALIAS]

GROUPS = [(MODULES, 0.02), (INPLACE, 0.03), (ALIASES, 0.03)]
# ψ₁ in their first or second derivatives (torch's trigamma: ``avoided``)
GAMMA = ("lgamma_", "digamma_", "polygamma_", "mvlgamma_", "special.psi", "special.digamma",
         "special.gammaln", "special.multigammaln", "special.polygamma", "mvlgamma")  # fmt: skip
# ψ itself, whose first derivative is ψ₁ (and polygamma of order 0: ``_psi``)
PSI = ("digamma_", "special.psi", "special.digamma")
OPS = {op for group, _ in GROUPS for op in group}
# the inputs of torch's layer norms of the transformer stacks, with their eps (``avoided``),
# and the last log-probabilities of an AdaptiveLogSoftmaxWithLoss's predict
NORM_INPUTS: list[tuple[Any, float]] = []
LOG_PROBS: list[Any] = []


def focus(group: list[str], mode: str | None) -> int:
    """How many times as often a group is drawn in a focus mode (``TG_GRAPH_FOCUS=s30``)."""
    return 10 if mode == "s30" else 1


# ----------------------------------------------------------------------------- applying


def _domain(lib: Any, x: Any, domain: str, shift: float = 0.0) -> Any:
    """x mapped onto a domain: a fresh value (so an in-place op writes nothing else)."""
    if domain == "pos":
        return x.abs() + (0.5 + shift)
    if domain == "big":
        return x.abs() + 1.5
    if domain == "unit":
        return x.tanh() * 0.9
    if domain == "prob":
        return x.sigmoid() * 0.9 + 0.05
    if domain == "int":
        return x.round()
    return x


def _resolve(root: Any, path: str) -> Any:
    for part in path.split("."):
        root = getattr(root, part)
    return root


def apply(lib: Any, op: str, xs: list[Any], c: dict[str, Any]) -> Any:
    """One step of these ops (``c``: the parameters, constants already tensors)."""
    if lib.__name__ == "torch" and op in STACKS:  # (its math backend: s28's DIVERGENCES)
        from torch.nn.attention import SDPBackend, sdpa_kernel

        with sdpa_kernel(SDPBackend.MATH):
            return _apply(lib, op, xs, c)
    return _apply(lib, op, xs, c)


def _apply(lib: Any, op: str, xs: list[Any], c: dict[str, Any]) -> Any:
    c = {k: more._get(lib, xs, v) for k, v in c.items()}
    x = c.pop("input") if "input" in c else xs[0]
    if op in MODULES:
        return _module_step(lib, op, xs, x, c)
    if op in ALIASES:
        return _alias(lib, op[2:], x, c)
    return _inplace(lib, op[2:], x, c)


def _inplace(lib: Any, name: str, x: Any, c: dict[str, Any]) -> Any:
    domain = IP_UNARY.get(name, "any")
    y = _domain(lib, x, domain, c.get("shift", 0.0))
    if c.get("saved"):  # a value tanh's rule saved: a later backward through it refuses
        y = y.tanh()
    elif y is x and (c.get("fresh") or x.ndim == 0):  # (a 0-d gather selects: a view)
        y = x.clone()
    t = more._ip_view(y, c["view"]) if c.get("view") else y
    other = c.get("other")
    if other is not None and name in IP_BINARY:
        other = _domain(lib, other, IP_BINARY[name])
    kw = c.get("kw", {})
    method = getattr(t, name)
    if name in IP_UNARY and name not in BOUNDED:
        method(*c.get("args", ()), **kw)
    elif name in ("clamp_", "clamp_min_", "clamp_max_"):
        bounds = {k: c[k] for k in ("min", "max") if k in c}
        if name == "clamp_":
            method(**bounds)
        else:
            method(*bounds.values())
    elif name in ("pow_", "float_power_"):
        method(c["exponent"])
    elif name in ("addcmul_", "addcdiv_"):
        t2 = c["tensor2"].abs() + 0.5 if name == "addcdiv_" else c["tensor2"]
        method(other, t2, **kw)
    elif name == "lerp_":
        method(other, c["weight"])
    elif name == "masked_fill_":
        method(c["mask"], c["value"])
    elif name in IP_BINARY:
        method(other, **kw)
    elif name in ("index_add_", "index_copy_", "scatter_add_"):
        method(c["dim"], c["index"], c["source"], **kw)
    elif name == "index_fill_":
        method(c["dim"], c["index"], c["value"])
    elif name == "scatter_":
        method(c["dim"], c["index"], c["source"] if "source" in c else c["value"])
    elif name == "scatter_reduce_":
        method(c["dim"], c["index"], c["source"], c["reduce"], include_self=c["include_self"])
    elif name == "put_":
        method(c["index"], c["source"], accumulate=c["accumulate"])
    elif name == "masked_scatter_":
        method(c["mask"], c["source"])
    elif name == "index_put_":
        method(tuple(c["indices"]), c["source"], accumulate=c["accumulate"])
    elif name == "fill_diagonal_":
        method(c["value"], wrap=c["wrap"])
    elif name == "renorm_":
        method(**kw)
    elif name in ("addmm_", "addmv_", "addr_", "baddbmm_", "addbmm_"):
        method(c["a"], c["b"], **kw)
    else:  # the shape methods, cumsum_, tril_, triu_
        method(*c.get("args", ()))
    return (t, y) if c.get("view") else y


def _alias(lib: Any, name: str, x: Any, c: dict[str, Any]) -> Any:
    domain, kind, _ = ALIAS[name]
    x = _domain(lib, x, domain, c.get("shift", 0.0))
    form = c["form"]
    if form == "inplace":  # (x is a fresh value: gathered from the pool, or mapped)
        x = x.clone() if x.ndim == 0 and domain == "any" else x  # (a 0-d gather: a view)
        fn = getattr(x, name + "_")
    elif form == "method":
        fn = getattr(x, name)
    else:
        fn = _resolve(lib, name)
    args: tuple[Any, ...] = () if form != "ns" else (x,)
    kw = c.get("kw", {})
    if kind == "binary":
        other = c["other"]
        if name in ("true_divide", "divide", "special.xlogy"):
            other = other.abs() + 0.5 if not isinstance(other, float) else other
        out = fn(*args, other, **kw)
    elif kind == "compare":
        out = fn(*args, c["other"])
    elif kind == "clip":
        out = fn(*args, c.get("min"), c.get("max"))
    elif kind in ("square", "matrix", "orgqr"):
        A = x.reshape(c["lift"])
        if kind == "square":
            A = s18._general(lib, A, c["sign"])
            if name == "matrix_exp":
                A = A * 0.3
        args = () if form != "ns" else (A,)
        fn = fn if form == "ns" else getattr(A, name)
        if kind == "matrix":
            out = fn(*args, c["other"])
        elif kind == "orgqr":
            out = fn(*args, c["tau"])
        else:
            out = fn(*args)
    elif kind == "join":
        out = fn([x, *c["others"]], **kw)
    elif name == "special.polygamma":
        out = fn(c["n"], *args)
    else:  # unary and reductions, their keywords
        out = fn(*args, *c.get("args", ()), **kw)
    if form == "inplace":
        return x
    if name == "slogdet":  # (the sign detached: torch's requires grad, passes none; s18's)
        return out[0].detach(), out[1]
    return tuple(out) if isinstance(out, tuple) else out


def _build(lib: Any, op: str, kw: dict[str, Any]) -> Any:
    """The module of a step (a stack: its layers, and a final norm or none)."""
    f64 = lib.float64
    if op in ("TransformerEncoder", "TransformerDecoder"):
        kw = dict(kw)
        layers, norm = kw.pop("num_layers"), kw.pop("final_norm")
        mask_check = kw.pop("mask_check", True)
        cls = op + "Layer"
        layer = getattr(lib.nn, cls)(**kw, dtype=f64)
        final = (
            lib.nn.LayerNorm(kw["d_model"], eps=kw["layer_norm_eps"], dtype=f64) if norm else None
        )
        if op == "TransformerEncoder":
            return lib.nn.TransformerEncoder(
                layer, layers, norm=final, enable_nested_tensor=False, mask_check=mask_check
            )
        return lib.nn.TransformerDecoder(layer, layers, norm=final)
    with warnings.catch_warnings():  # (torch's Transformer: its encoder's nested tensors)
        warnings.simplefilter("ignore")
        return getattr(lib.nn, op)(**kw, dtype=f64)


def _module_step(lib: Any, op: str, xs: list[Any], x: Any, c: dict[str, Any]) -> Any:
    m = _build(lib, op, c["kwargs"])
    s28.MODULES.append(m)
    if op in LAZY:  # the first forward infers the input's size (no grad, no running update)
        m.eval()
        with lib.no_grad():
            m(lib.zeros(c["probe"], dtype=lib.float64))
    params, buffers = dict(m.named_parameters()), dict(m.named_buffers())
    gathered = {n: s28._value(lib, xs, v) for n, v in c["weights"].items() if n in c["from_pool"]}
    with lib.no_grad():
        for name, v in c["weights"].items():
            if name not in c["from_pool"]:
                params[name].copy_(s28._value(lib, xs, v))
        for name, v in c.get("buffers", {}).items():
            buffers[name].copy_(s28._value(lib, xs, v))
    kwargs = {k: s28._value(lib, xs, v) for k, v in c.get("call", {}).items()}

    def call(*args: Any, **kw: Any) -> Any:
        return lib.func.functional_call(m, gathered, args, kw)

    if lib.__name__ == "torch" and op in STACKS:
        NORM_INPUTS.clear()
        for norm in m.modules():
            if isinstance(norm, lib.nn.LayerNorm):
                norm.register_forward_pre_hook(
                    lambda mod, args: NORM_INPUTS.append((args[0].detach(), mod.eps))
                )
    if op in NORMS:
        m.train(c["train"])
        for _ in range(c["calls"]):  # (torch's backward: a contiguous gradient, DIVERGENCES)
            out = more.contiguous_grad(lib, call(x))
        if m.running_mean is not None:
            stats = [m.running_mean, m.running_var]
            if "BatchNorm" in op:
                stats.append(m.num_batches_tracked)
            return (out, *(t.clone() for t in stats))
        return out
    if op == "TransformerDecoder":
        return call(x, c["memory"], **kwargs)
    if op == "Transformer":
        return call(x, c["tgt"], **kwargs)
    if op == "AdaptiveLogSoftmaxWithLoss":
        method = c["method"]
        if method == "forward":
            return tuple(call(x, c["target"]))
        if lib.__name__ == "torch":
            LOG_PROBS[:] = [m.log_prob(x).detach()]
        return getattr(m, method)(x)  # (gathered weights reach only forward: functional_call)
    return call(x, **kwargs)


# ----------------------------------------------------------------------------- drawing


def draw(
    rng: np.random.Generator,
    op: str,
    a: int,
    shapes: list[Shape | None],
    floats: list[int],
    bad: bool,
    dim: Callable[..., int],
) -> tuple[str, list[int], dict[str, Any]]:
    """One step of ``op`` on the pool value ``a`` (``dim``: the main generator's)."""
    sa: Shape = shapes[a]  # type: ignore[assignment]
    t, refs = s29.step_tools(rng, a, shapes, floats, bad, dim)
    p: dict[str, Any] = {}
    if op in MODULES:
        with warnings.catch_warnings():  # (torch's: a Linear of no features is not initialized)
            warnings.simplefilter("ignore")
            return op, refs, _draw_module(t, op, p)
    if op in ALIASES:
        return op, refs, _draw_alias(t, op[2:], sa, p)
    return op, refs, _draw_inplace(t, op[2:], sa, p)


def _bound_shape(t: s29._Tools, st: Shape) -> list[int]:
    """A shape that broadcasts to st (bad: one that does not)."""
    nd = len(st)
    shape = [int(t.rng.choice([1, s])) for s in st][int(t.rng.integers(0, nd + 1)) :]
    if t.bad:
        shape = [*st[:-1], st[-1] + 2] if nd else [2, 3]
    return shape


def _draw_inplace(t: s29._Tools, name: str, sa: Shape, p: dict[str, Any]) -> dict[str, Any]:
    rng, small = t.rng, t.small
    p["input"] = t.inp(sa)
    if rng.random() < 0.08 and name not in IP_SHAPE:
        p["saved"] = True
    elif rng.random() < 0.3:
        p["fresh"] = True  # (a clone of the gathered value, to write)
    nd = len(sa)
    elementwise = name in IP_UNARY or name in IP_BINARY
    st = sa
    if elementwise and rng.random() < 0.3:
        view = more._draw_ip_view(rng, sa)
        if view is not None and view[0] != "reshape":
            p["view"] = view
            st = more._ip_view(np.empty(sa), view).shape
    d = t.dim(rng, nd, t.bad) if nd or t.bad else 0
    if name in IP_UNARY:
        if name == "logit_" and rng.random() < 0.4:
            p["args"] = (float(rng.choice([0.1, 0.3])),)  # eps: clamped to [eps, 1 − eps]
        elif name == "polygamma_":  # (not ψ₁: torch's trigamma, s18's DIVERGENCES)
            p["args"] = (int(rng.choice([0, 2, 3])),)
        elif name == "mvlgamma_":
            k = small(1, 3)
            p["args"], p["shift"] = (k,), (k - 1) / 2  # (x > (p − 1)/2)
        elif name == "nan_to_num_":
            p["kw"] = {"nan": 0.5, "posinf": float(rng.choice([3.0, 1e3])), "neginf": -2.0}
        elif name in ("clamp_", "clamp_min_", "clamp_max_"):
            keys = ["min", "max"] if name == "clamp_" else [name[6:9]]
            if name == "clamp_":
                keys = [["min"], ["max"], ["min", "max"]][int(rng.integers(3))]
            tensors = rng.random() < 0.4
            lo, hi = sorted(rng.uniform(-1.5, 1.5, 2).round(3).tolist())
            for k in keys:
                p[k] = t.param(_bound_shape(t, st)) if tensors else (lo if k == "min" else hi)
        elif name in ("pow_", "float_power_"):
            if rng.random() < 0.5:
                p["exponent"] = float(rng.choice([2.0, 0.5, -1.5, 3.0]))
            else:
                p["exponent"] = t.param(_bound_shape(t, st))
        return p
    if name in IP_BINARY:
        p["other"] = t.param(_bound_shape(t, st))
        if name in ("addcmul_", "addcdiv_"):
            p["tensor2"] = t.param(_bound_shape(t, st))
            if rng.random() < 0.6:
                p["kw"] = {"value": float(rng.choice([0.5, -2.0]))}
        elif name == "lerp_":
            p["weight"] = (
                float(rng.choice([0.3, -0.5, 1.5]))
                if rng.random() < 0.5
                else t.param(_bound_shape(t, st))
            )
        elif name == "div_":
            p["kw"] = {"rounding_mode": None}
        elif name == "masked_fill_":
            del p["other"]
            p["mask"] = ("t", rng.random(st if not t.bad else (*st, 2)) < 0.5)
            p["value"] = t.param(())
        return p
    if name in IP_SHAPE:
        if name == "t_":
            if nd > 2 and not t.bad:
                p["input"] = t.inp((small(), small()))
            return p
        if name == "squeeze_":
            p["args"] = () if rng.random() < 0.3 else (d,)
            return p
        if name == "unsqueeze_":
            p["args"] = (int(rng.integers(-nd - 1, nd + 1)) if not t.bad else nd + 2,)
            return p
        p["args"] = (d, t.dim(rng, nd, False) if nd else 0)
        return p
    return _draw_index(t, name, sa, d, p)


def _draw_index(t: s29._Tools, name: str, sa: Shape, d: int, p: dict[str, Any]) -> dict[str, Any]:
    rng, small, extra = t.rng, t.small, t.extra
    nd = len(sa)
    size = sa[d % nd] if nd else 1
    if name in ("index_add_", "index_copy_", "index_fill_"):
        if not nd and name != "index_fill_":  # (torch's checks of a 0-d self: DIVERGENCES)
            sa, nd, d = (small(),), 1, 0
            p["input"] = t.inp(sa)
            size = sa[0]
        unique = name == "index_copy_"
        k = int(rng.integers(0, size + 1)) if unique else small(0, 4)
        if not unique and size + extra == 0:
            k = 0
        if not nd and k == 0:  # (torch's backward of an empty index into a 0-d: DIVERGENCES)
            k = 1
        index = rng.permutation(size)[:k] if unique else rng.integers(0, size + extra, k)
        if unique and t.bad:
            index = np.array([size])
        p["dim"], p["index"] = d, ("t", index.astype(np.int64))
        src = list(sa)
        if nd:
            src[d % nd] = len(index)
        if name == "index_fill_":
            p["value"] = t.param(()) if rng.random() < 0.5 else float(rng.choice([0.5, -1.0]))
        else:
            p["source"] = t.param(src if nd else ())
            if name == "index_add_" and rng.random() < 0.5:
                p["kw"] = {"alpha": float(rng.choice([2.0, -0.5]))}
        return p
    if name in ("scatter_", "scatter_add_", "scatter_reduce_"):
        unique = name == "scatter_"
        ishape = [small(0, s) if s else 0 for s in sa] if nd else []
        if nd:
            ishape[d % nd] = int(rng.integers(0, size + 1)) if unique else small(0, 3)
        if unique and nd and all(ishape):
            index = more._unique_index(rng, tuple(ishape), d % nd, size)
        elif unique:
            index = np.zeros(ishape, dtype=np.int64)
        else:
            index = rng.integers(0, max(size, 1) + extra, ishape)
        p["dim"], p["index"] = d, ("t", index.astype(np.int64))
        if name == "scatter_" and rng.random() < 0.3:
            p["value"] = float(rng.choice([0.5, -1.0]))
        else:
            p["source"] = t.param(ishape)
        if name == "scatter_reduce_":
            p["reduce"] = str(rng.choice(["sum", "prod", "mean", "amax", "amin"]))
            p["include_self"] = bool(rng.random() < 0.6)
        return p
    n = int(np.prod(sa))
    if name == "put_":
        accumulate = bool(rng.random() < 0.5)
        k = small(0, 4)
        index = rng.integers(-n, n + extra, k) if accumulate and n else rng.permutation(n)[:k]
        p["index"], p["accumulate"] = ("t", np.asarray(index, dtype=np.int64)), accumulate
        p["source"] = t.param((len(index),))
        return p
    if name == "masked_scatter_":
        mask = np.asarray(rng.random(sa) < 0.5)
        p["mask"] = ("t", mask)
        count = int(mask.sum())
        p["source"] = t.param((count + small(0, 2) if not t.bad else max(count - 1, 0),))
        return p
    if name == "index_put_":
        if not nd:
            sa = (small(),)
            p["input"], nd = t.inp(sa), 1
        accumulate = bool(rng.random() < 0.5)
        k = small(0, 3) if accumulate else int(rng.integers(0, sa[0] + 1))
        if sa[0] + extra == 0:
            k = 0
        rows = rng.integers(0, sa[0] + extra, k) if accumulate else rng.permutation(sa[0])[:k]
        p["indices"] = [("t", np.asarray(rows, dtype=np.int64))]
        p["source"] = t.param(
            (k, *sa[1:])[int(rng.integers(0, nd + 1)) :] if rng.random() < 0.5 else (k, *sa[1:])
        )
        p["accumulate"] = accumulate
        return p
    if name == "fill_diagonal_":
        if not t.bad:
            m = small()
            shape = (m, small()) if rng.random() < 0.7 else (m,) * small(2, 3)
            p["input"] = t.inp(shape)
        p["value"], p["wrap"] = float(rng.choice([0.5, -2.0])), bool(rng.random() < 0.5)
        return p
    if name in ("tril_", "triu_"):
        if nd < 2 and not t.bad:
            p["input"] = t.inp((small(), small()))
        p["args"] = (int(rng.integers(-2, 3)),)
        return p
    if name == "cumsum_":
        p["args"] = (d,)
        return p
    if name == "renorm_":
        if nd < 2 and not t.bad:
            p["input"] = t.inp((small(), small()))
            d = int(rng.integers(-2, 2))
        p["kw"] = {
            "p": float(rng.choice([1.0, 2.0, 3.0])),
            "dim": d,
            "maxnorm": float(rng.choice([0.5, 1.0, 2.0])),
        }
        return p
    # addmm_, addmv_, addr_, baddbmm_, addbmm_: y of the product's shape
    r, k, c = small(0, 3), small(0, 3), small(0, 3)
    b = small(1, 2)
    shapes = {
        "addmm_": ((r, c), (r, k), (k + extra, c)), "addmv_": ((r,), (r, k), (k + extra,)),
        "addr_": ((r, c), (r,), (c + extra,)),
        "baddbmm_": ((b, r, c), (b, r, k), (b, k + extra, c)),
        "addbmm_": ((r, c), (b, r, k), (b, k + extra, c)),
    }[name]  # fmt: skip
    p["input"] = t.inp(shapes[0])
    p["a"], p["b"] = t.param(shapes[1]), t.param(shapes[2])
    if rng.random() < 0.6:
        p["kw"] = {
            "beta": float(rng.choice([1.0, 0.5, 0.0])),
            "alpha": float(rng.choice([1.0, -2.0])),
        }
    return p


def _draw_alias(t: s29._Tools, name: str, sa: Shape, p: dict[str, Any]) -> dict[str, Any]:
    rng, small, extra = t.rng, t.small, t.extra
    _, kind, forms = ALIAS[name]
    p["form"] = str(rng.choice(forms))
    p["input"] = t.inp(sa)
    nd = len(sa)
    if kind == "binary":
        if name == "multiply" and rng.random() < 0.3:
            p["other"] = float(rng.choice([2.0, -0.5]))
        else:
            p["other"] = t.param(_bound_shape(t, sa))
        if name == "subtract" and rng.random() < 0.6:
            p["kw"] = {"alpha": float(rng.choice([2.0, -0.5]))}
        if name == "divide":
            p["kw"] = {"rounding_mode": [None, "trunc", "floor"][int(rng.integers(3))]}
        return p
    if kind == "compare":
        p["other"] = (
            float(rng.choice([0.0, 0.5])) if rng.random() < 0.3 else t.param(_bound_shape(t, sa))
        )
        return p
    if kind == "clip":
        lo, hi = sorted(rng.uniform(-1.5, 1.5, 2).round(3).tolist())
        keys = [["min"], ["max"], ["min", "max"]][int(rng.integers(3))]
        tensors = rng.random() < 0.3
        for k in keys:
            p[k] = t.param(_bound_shape(t, sa)) if tensors else (lo if k == "min" else hi)
        return p
    if kind in ("square", "matrix", "orgqr"):
        if kind == "square":
            m = small(1, 3)
            batch = t.batch()
            p["lift"] = (*batch, m, m + extra)
            p["input"] = t.inp(p["lift"])
            p["sign"] = float(rng.choice([1.0, -1.0]))
            return p
        if kind == "matrix":
            rows, cols = small(1, 3), small(1, 3)
            p["lift"] = (rows, cols)
            p["input"] = t.inp(p["lift"])
            p["other"] = t.param((cols + extra, small(1, 3)))
            return p
        m = small(1, 4)
        ncols = small(1, m)
        p["lift"] = (m, ncols)
        p["input"] = t.inp(p["lift"])
        p["tau"] = t.param((small(0, ncols) + 2 * extra,))
        return p
    if kind == "diagonal":
        if nd < 2 and not t.bad:
            p["input"] = t.inp((small(), small()))
            nd = 2
        kw: dict[str, Any] = {"offset": int(rng.integers(-1, 2))}
        if rng.random() < 0.4 and nd:
            kw["dim1"], kw["dim2"] = (
                (int(k) for k in rng.choice(nd, 2, replace=False)) if nd >= 2 else (0, 0)
            )
        p["kw"] = kw
        return p
    if kind == "join":
        d = t.dim(rng, nd, t.bad) if nd else 0
        others = []
        for _ in range(small(1, 2)):
            shape = list(sa)
            if nd:
                shape[d % nd] = small(0, 2)
            if t.bad and nd:
                shape[(d + 1) % nd] += 1
            others.append(t.param(shape))
        p["others"] = others
        if not nd and not t.bad:
            p["input"] = t.inp((small(),))
            p["others"] = [t.param((small(0, 2),)) for _ in others]
        p["kw"] = {("axis" if name == "concatenate" and rng.random() < 0.5 else "dim"): d}
        return p
    if kind == "reduce":
        d = t.dim(rng, nd, t.bad)
        if name == "special.logsumexp":
            p["kw"] = {"dim": d, "keepdim": bool(rng.random() < 0.5)}
        else:
            p["kw"] = {"dim": d}
        return p
    # unary
    if name == "special.logit" and rng.random() < 0.4:
        p["kw"] = {"eps": float(rng.choice([0.1, 0.3]))}
    elif name == "special.round" and rng.random() < 0.5:
        p["kw"] = {"decimals": small(1, 2)}
    elif name in ("special.multigammaln", "mvlgamma"):
        k = small(1, 3)
        p["args"], p["shift"] = (k,), (k - 1) / 2
    elif name == "special.polygamma":  # (not ψ₁: torch's trigamma, s18's DIVERGENCES)
        p["n"] = int(rng.choice([0, 2, 3]))
    return p


def _weights(t: s29._Tools, m: Any, kwargs: dict[str, Any], p: dict[str, Any]) -> None:
    """Every parameter of torch's module m drawn (from the pool or constant)."""
    p["kwargs"] = kwargs
    p["weights"] = {k: t.param(w.shape) for k, w in m.named_parameters()}
    p["from_pool"] = tuple(k for k, v in p["weights"].items() if v[0] == "x")


def _draw_module(t: s29._Tools, op: str, p: dict[str, Any]) -> dict[str, Any]:
    import torch

    rng, small, extra = t.rng, t.small, t.extra
    f64 = torch.float64
    if op == "ConvTranspose3d":
        groups = small(1, 2)
        cin, cout = groups * small(1, 2), groups * small(1, 2)
        kernel = tuple(small(1, 2) for _ in range(3))
        kw: dict[str, Any] = {"in_channels": cin, "out_channels": cout, "groups": groups}
        kw["kernel_size"] = kernel if rng.random() < 0.5 else kernel[0]
        kw["stride"] = small(1, 2) if rng.random() < 0.4 else 1
        kw["dilation"] = small(1, 2) if rng.random() < 0.3 else 1
        kw["padding"] = int(rng.integers(0, 2))
        kw["output_padding"] = int(rng.integers(0, max(kw["stride"], kw["dilation"])))
        kw["bias"] = bool(rng.random() < 0.8)
        _weights(t, torch.nn.ConvTranspose3d(**kw, dtype=f64), kw, p)
        spatial = tuple(small(1, 2) for _ in range(3))
        p["input"] = t.inp(
            (*(() if rng.random() < 0.25 else (small(1, 2),)), cin + extra, *spatial)
        )
        return p
    if op in ("BatchNorm3d", "InstanceNorm3d", "LazyBatchNorm1d", "LazyInstanceNorm1d"):
        C = small()
        kw = {
            "eps": float(rng.choice([1e-5, 0.1])),
            "momentum": [0.1, 0.5, None][int(rng.integers(3))],
        }
        instance = "Instance" in op
        kw["affine"] = bool(rng.random() < (0.5 if instance else 0.8))
        kw["track_running_stats"] = bool(rng.random() < (0.5 if instance else 0.8))
        lazy = op.startswith("Lazy")
        if not lazy:
            kw["num_features"] = C
        full = getattr(torch.nn, LAZY.get(op, op))(**{**kw, "num_features": C}, dtype=f64)
        _weights(t, full, kw, p)
        if kw["track_running_stats"]:
            p["buffers"] = {
                "running_mean": ("t", rng.uniform(-1, 1, C)),
                "running_var": ("t", rng.uniform(0.5, 2, C)),
                "num_batches_tracked": ("t", np.array(int(rng.integers(0, 3)))),
            }
        p["train"] = bool(rng.random() < 0.6)
        p["calls"] = small(1, 2)
        if op == "BatchNorm3d":
            shape: Shape = (small(1, 2), C, small(1, 2), small(1, 2), small(1, 2))
        elif op == "InstanceNorm3d":
            shape = (
                *(() if rng.random() < 0.3 else (small(1, 2),)),
                C,
                small(1, 2),
                small(2, 3),
                small(1, 2),
            )
        elif op == "LazyBatchNorm1d":
            shape = (small(1, 3), C, *(() if rng.random() < 0.5 else (small(1, 3),)))
        else:  # (batched: torch's lazy instance norms read dim 1 of any input, DIVERGENCES)
            shape = (small(1, 2), C, small(2, 4))
        p["probe"] = shape
        cdim = 1 if op == "LazyBatchNorm1d" else len(shape) - (4 if op.endswith("3d") else 2)
        p["input"] = t.inp((*shape[:cdim], C + extra, *shape[cdim + 1 :]))
        return p
    if op in ("LazyLinear", "LazyConv1d", "LazyConv2d", "LazyConvTranspose1d"):
        cin = small()
        if op == "LazyLinear":
            kw = {"out_features": small(), "bias": bool(rng.random() < 0.8)}
            _weights(t, torch.nn.Linear(cin, kw["out_features"], bias=kw["bias"], dtype=f64), kw, p)
            batch = t.batch(2)
            p["probe"] = (*batch, cin)
            p["input"] = t.inp((*batch, cin + extra))
            return p
        nd = 2 if op == "LazyConv2d" else 1
        kw = {"out_channels": small(), "kernel_size": small(1, 2), "bias": bool(rng.random() < 0.8)}
        kw["stride"] = small(1, 2) if rng.random() < 0.4 else 1
        kw["dilation"] = small(1, 2) if rng.random() < 0.3 else 1
        if op == "LazyConvTranspose1d":
            kw["padding"] = int(rng.integers(0, 2))
            kw["output_padding"] = int(rng.integers(0, max(kw["stride"], kw["dilation"])))
        else:
            kw["padding"] = [0, 1, "valid"][int(rng.integers(3))]
            kw["padding_mode"] = str(
                rng.choice(["zeros", "zeros", "reflect", "replicate", "circular"])
            )
        full = getattr(torch.nn, LAZY[op])(cin, **kw, dtype=f64)
        _weights(t, full, kw, p)
        batch = () if rng.random() < 0.25 else (small(1, 2),)
        spatial = tuple(small(2, 4) for _ in range(nd))
        p["probe"] = (*batch, cin, *spatial)
        p["input"] = t.inp((*batch, cin + extra, *spatial))
        return p
    if op in STACKS:
        return _draw_stack(t, op, p)
    # AdaptiveLogSoftmaxWithLoss
    F = small(2, 6)
    n_classes = small(3, 7)
    cuts = sorted({int(k) for k in rng.integers(1, n_classes, small(1, 2))})
    kw = {"in_features": F, "n_classes": n_classes, "cutoffs": cuts}
    kw["div_value"] = float(rng.choice([1.0, 2.0, 4.0]))
    kw["head_bias"] = bool(rng.random() < 0.5)
    _weights(t, torch.nn.AdaptiveLogSoftmaxWithLoss(**kw, dtype=f64), kw, p)
    p["method"] = str(rng.choice(["forward", "forward", "log_prob", "predict"]))
    # (log_prob and predict of one sample: torch's IndexError, DIVERGENCES)
    batched = rng.random() < 0.8 or p["method"] != "forward"
    N = small(1, 4)
    p["input"] = t.inp((N, F + extra) if batched else (F + extra,))
    if p["method"] != "forward":  # (functional_call reaches forward only: constants copied in)
        p["from_pool"] = ()
    target = rng.integers(0, n_classes + extra, N if batched else ())
    p["target"] = ("t", np.asarray(target, dtype=np.int64))
    return p


def _draw_stack(t: s29._Tools, op: str, p: dict[str, Any]) -> dict[str, Any]:
    import torch

    rng, small, extra = t.rng, t.small, t.extra
    heads = small(1, 2)
    E = heads * small(1, 2)
    if E == 1:  # (a layer norm of one feature is its bias: the main DIVERGENCES)
        E = 2 * heads
    kw: dict[str, Any] = {"d_model": E, "nhead": heads, "dim_feedforward": small(1, 4)}
    kw.update(dropout=0.0, activation=str(rng.choice(["relu", "gelu"])))
    kw.update(layer_norm_eps=float(rng.choice([1e-5, 0.1])), batch_first=bool(rng.random() < 0.4))
    kw.update(norm_first=bool(rng.random() < 0.4), bias=bool(rng.random() < 0.8))
    if op == "Transformer":
        kw["num_encoder_layers"], kw["num_decoder_layers"] = small(1, 2), small(1, 2)
    else:
        kw["num_layers"], kw["final_norm"] = small(1, 2), bool(rng.random() < 0.5)
        if op == "TransformerEncoder":
            kw["mask_check"] = bool(rng.random() < 0.5)
    _weights(t, _build(torch, op, kw), kw, p)
    L, S, N = small(), small(), small(1, 2)
    batched = rng.random() < 0.75

    def seq(length: int, d: int) -> Shape:
        if not batched:
            return (length, d)
        return (N, length, d) if kw["batch_first"] else (length, N, d)

    call: dict[str, Any] = {}
    if op == "TransformerEncoder":
        p["input"] = t.inp(seq(L, E))
        _masks(rng, call, "mask", "src_key_padding_mask", "is_causal", L, L, N, batched, extra)
    elif op == "TransformerDecoder":
        p["input"] = t.inp(seq(L, E))
        p["memory"] = t.param(seq(S, E))
        _masks(
            rng, call, "tgt_mask", "tgt_key_padding_mask", "tgt_is_causal", L, L, N, batched, extra
        )
        _masks(rng, call, "memory_mask", "memory_key_padding_mask", None, L, S, N, batched, 0)
    else:  # Transformer: src of S, tgt of L
        p["input"] = t.inp(seq(S, E))
        p["tgt"] = t.param(seq(L, E))
        _masks(rng, call, "src_mask", "src_key_padding_mask", "src_is_causal", S, S, N, batched, 0)
        _masks(
            rng, call, "tgt_mask", "tgt_key_padding_mask", "tgt_is_causal", L, L, N, batched, extra
        )
        _masks(rng, call, "memory_mask", "memory_key_padding_mask", None, L, S, N, batched, 0)
    p["call"] = call
    return p


def _masks(
    rng: np.random.Generator,
    call: dict[str, Any],
    mask: str,
    pad: str,
    causal: str | None,
    L: int,
    S: int,
    N: int,
    batched: bool,
    extra: int,
) -> None:
    """An attention mask (L, S) and a key padding mask (N, S) for one attention, or none."""
    r = rng.random()
    if causal is not None and r < 0.25:  # a causal mask, said to be one (bad: the wrong size)
        call[mask] = ("t", np.triu(np.ones((L + extra, S), dtype=bool), 1))
        call[causal] = True
    elif r < 0.55:
        call[mask] = s29._mask(rng, (L + extra, S))
    if batched and rng.random() < 0.3:
        call[pad] = s29._mask(rng, (N, S))


# ----------------------------------------------------------------------------- avoiding


def _input(torch: Any, xs: list[Any], p: dict[str, Any]) -> Any:
    """The step's input gathered, as torch's tensor."""
    return s29._value(torch, xs, p["input"]) if "input" in p else xs[0].detach()


def _noise(a: Any, b: Any = None, scale_of: Any = None) -> bool:
    """Whether a (or a − b) is within rounding noise of 0 somewhere but not 0 (a kink there
    falls on the side the rounding chose)."""
    d = a if b is None else a - b
    if d.numel() == 0:
        return False
    ref = d if scale_of is None else scale_of
    finite = ref[ref.isfinite()] if ref.numel() else ref
    scale = max(1.0, float(finite.abs().max()) if finite.numel() else 1.0)
    return bool(((d.abs() <= 1e-9 * scale) & (d != 0)).any())


def _near_int(v: Any, step: float = 1.0) -> bool:
    """Whether v/step is within rounding noise of an integer (or, ``half``, of a half)."""
    q = v / step
    return _noise(q - q.round(), scale_of=q)


def rounded(lib: Any, op: str, xs: list[Any], p: dict[str, Any]) -> np.ndarray | None:
    """What an alias that rounds rounds, from either library's pool values ``xs``: ``fix``'s x,
    ``special.round``'s 10ᵈ·x + ½ (its ties), ``divide``'s quotient with a rounding mode; None
    for the other ops. The main ``_rounding_noise_here`` holds torch's exact integers against
    the values the program gives here (``_alias_avoided`` sees torch's only)."""
    if op not in ("a:fix", "a:special.round", "a:divide"):
        return None
    kw = p.get("kw", {})
    if op == "a:divide" and not kw["rounding_mode"]:
        return None
    # (the parameters as ``apply`` reads them: constants, or gathered from the pool)
    c = {k: more._get(lib, xs, v) for k, v in p.items() if k in ("input", "other")}
    c = {k: lib.tensor(v[1]) if isinstance(v, tuple) else v for k, v in c.items()}
    q = c.get("input", xs[0]).detach()
    if op == "a:special.round":
        q = q * 10 ** kw.get("decimals", 0) + 0.5
    if op == "a:divide":
        other = c["other"]
        q = q / (other if isinstance(other, float) else other.detach().abs() + 0.5)
    return np.asarray(q.numpy())


def _branch_cut(y: Any, x: Any) -> bool:
    """Whether atan2(y, x) meets its cut: a y of 0 (whose sign either library's rounding may
    flip: ±π) or of rounding noise where x < 0 (the main DIVERGENCES' signed zeros; s30 focus
    seed 26797)."""
    near = y.abs() <= 1e-9 * max(1.0, float(y.abs().max()) if y.numel() else 1.0)
    return bool((near & (x < 0)).any())


def avoided(op: str, xs: list[Any], p: dict[str, Any], out: Any, second: bool) -> bool:
    """Whether a step of these ops would meet a divergence kept (see the main DIVERGENCES)."""
    import torch

    if op in STACKS:  # a norm's input far beyond its scale (s29's transformer layers' case)
        for z, eps in NORM_INPUTS:
            rows = z.reshape(-1, z.shape[-1]) if z.numel() else z
            var = rows.var(-1, unbiased=False) if rows.numel() else rows
            if rows.numel() and bool((rows.abs().amax(-1) > 100 * (var + eps)).any()):
                return True
        # a decoder's memory of one token repeated (a Transformer's, of a src that repeats
        # one, whose encoder keeps it so): norm2's gradient is noise (s29's layers' case)
        memory = s29._value(torch, xs, p["memory"]) if "memory" in p else _input(torch, xs, p)
        return op != "TransformerEncoder" and s29.tokens_alike(memory, p["kwargs"]["batch_first"])
    if op == "AdaptiveLogSoftmaxWithLoss" and p["method"] == "predict" and LOG_PROBS:
        top = LOG_PROBS[0].reshape(-1, LOG_PROBS[0].shape[-1]).sort(-1, descending=True).values
        if top.shape[-1] > 1:  # (which of two equal log-probabilities is predicted)
            return _noise(top[:, 0], top[:, 1]) or bool((top[:, 0] == top[:, 1]).any())
    if op == "AdaptiveLogSoftmaxWithLoss":
        # head logits beyond 1e8: the bias is lost in their rounding, and the gradient of a
        # weight entry shared by every class, 0 by softmax's shift invariance, is their rounding
        # noise times inputs of 1e6 (logits of −1.7e16: a leaf's gradient −5.8e5 here, 5.8e5 in
        # torch; s30 focus seed 18804 of the forward mode)
        head = (
            s29._value(torch, xs, p["input"]) @ s29._value(torch, xs, p["weights"]["head.weight"]).T
        )
        if head.numel() and float(head.abs().max()) > 1e8:
            return True
    if op in MODULES:
        return False
    x = _input(torch, xs, p)
    if op in ALIASES:
        return _alias_avoided(torch, op[2:], xs, p, x, out, second)
    name = op[2:]
    base = _domain(torch, x, IP_UNARY.get(name, "any"), p.get("shift", 0.0))
    other = s29._value(torch, xs, p["other"]) if isinstance(p.get("other"), tuple) else None
    if other is not None and name in IP_BINARY:
        other = _domain(torch, other, IP_BINARY[name])
    if name in ("abs_", "sign_", "copysign_") and _noise(base):
        return True
    if name in ("sinc_", "copysign_") and second and bool((base == 0).any()):
        return True  # torch's nan second derivative at 0 (the main DIVERGENCES)
    if name in GAMMA and (second or _psi(name, p)):  # torch's trigamma, 5e-10 off (s18's
        return True  # DIVERGENCES): ψ's first derivative is ψ₁ already (focus seed 30772)
    if name == "copysign_" and _noise(other):
        return True
    if name == "frac_" and _near_int(base):
        return True
    if name in ("fmod_", "remainder_") and other is not None and _near_int(base / other):
        return True
    if name == "atan2_" and other is not None and _branch_cut(base, other):
        return True
    if name in ("atan2_", "hypot_") and other is not None:  # both near 0
        return bool(((base.abs() <= 1e-9) & (other.abs() <= 1e-9)).any())
    if name in ("clamp_", "clamp_min_", "clamp_max_"):
        for k in ("min", "max"):
            if k in p:
                bound = (
                    s29._value(torch, xs, p[k]) if isinstance(p[k], tuple) else torch.tensor(p[k])
                )
                if _noise(base, bound):
                    return True
    if name == "logit_" and p.get("args"):
        eps = p["args"][0]
        if _noise(base, torch.tensor(eps)) or _noise(base, torch.tensor(1 - eps)):
            return True
    if name == "scatter_reduce_" and p["reduce"] in ("amax", "amin", "prod"):
        src = s29._value(torch, xs, p["source"])
        values = torch.cat([base.flatten(), src.flatten()])
        if p["reduce"] == "prod":
            return bool((values == 0).any())
        return values.numel() > 1 and s29._ties(values.numpy())
    if name == "renorm_":
        kw = p["kw"]
        if second and base.ndim and bool((base == 0).any()):  # a norm at 0 (s18's renorm)
            return True
        if base.ndim:
            dims = [k for k in range(base.ndim) if k != kw["dim"] % base.ndim]
            norms = base.abs().pow(kw["p"]).sum(dims).pow(1 / kw["p"]) if dims else base.abs()
            if _noise(norms, torch.tensor(kw["maxnorm"])):
                return True
    return False


def _psi(name: str, p: dict[str, Any]) -> bool:
    """Whether a step is ψ itself: digamma by any name, or polygamma of order 0 (in place, a
    ψ₁ 4.4e-9 off of 9.2 in torch's gradient made a leaf's 2e-9 off relatively; s29 focus seed
    34750)."""
    if name == "polygamma_":
        return p["args"][0] == 0
    return name in PSI or (name == "special.polygamma" and p["n"] == 0)


def _alias_avoided(
    torch: Any, name: str, xs: list[Any], p: dict[str, Any], x: Any, out: Any, second: bool
) -> bool:
    domain, kind, _ = ALIAS[name]
    base = _domain(torch, x, domain, p.get("shift", 0.0))
    other = p.get("other")
    if isinstance(other, tuple):
        other = s29._value(torch, xs, other)
    elif other is not None:
        other = torch.tensor(other)
    if name == "absolute" and _noise(base):
        return True
    if name == "special.sinc" and second and bool((base == 0).any()):
        return True  # torch's nan second derivative at 0 (the main DIVERGENCES)
    if name in GAMMA and (second or _psi(name, p)):  # torch's trigamma, 5e-10 off (s18's
        return True  # DIVERGENCES): ψ's first derivative is ψ₁ already (focus seed 31951)
    if name == "fix" and _near_int(base):
        return True
    if name == "special.round" and _near_int(base * 10 ** p.get("kw", {}).get("decimals", 0) + 0.5):
        return True
    if name == "arctan2" and bool(((base.abs() <= 1e-9) & (other.abs() <= 1e-9)).any()):
        return True
    if name == "arctan2" and _branch_cut(base, other):
        return True
    if name == "divide" and p["kw"]["rounding_mode"] and _near_int(base / (other.abs() + 0.5)):
        return True
    if kind == "compare" and _noise(base, other):
        return True
    if kind == "clip":
        for k in ("min", "max"):
            if k in p:
                bound = (
                    s29._value(torch, xs, p[k]) if isinstance(p[k], tuple) else torch.tensor(p[k])
                )
                if _noise(base, bound):
                    return True
    if name == "special.logit" and "kw" in p:
        eps = p["kw"]["eps"]
        if _noise(base, torch.tensor(eps)) or _noise(base, torch.tensor(1 - eps)):
            return True
    # tanh″ of a saturated tanh (s18's DIVERGENCES)
    return kind == "square" and second and s18._saturated(base)


def norm_input(op: str, xs: list[Any], p: dict[str, Any]) -> tuple[str, Any, dict] | None:
    """The groups a norm module normalizes, as the main ``_noise_groups`` takes them: (the
    functional op, its input, its parameters), or None (as ``s29.norm_input``)."""
    if op not in (*NORMS, *STACKS):
        return None
    import torch

    x = _input(torch, xs, p)
    kw = p["kwargs"]
    if op in STACKS:  # (the input's rows; the sublayers' own are ``avoided``'s)
        E = kw["d_model"]
        return (
            "layer_norm",
            x.reshape(-1, E) if x.numel() and x.shape[-1] == E else x,
            {"normalized_shape": (E,)},
        )
    batched = x.ndim == (5 if op.endswith("3d") else 3)
    if "Instance" in op:
        x = x if batched else x.unsqueeze(0)
        use_stats = p["train"] or not kw["track_running_stats"]
        return "instance_norm", x, {"use_input_stats": use_stats}
    return "batch_norm", x, {"training": p["train"] or not kw["track_running_stats"]}

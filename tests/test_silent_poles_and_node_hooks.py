"""Numerical edge cases against PyTorch: ops at poles and outside their domain are silent and
give torch's ±∞ and nan; gradients at nan; hooks that return None inside tuples."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
import tinygrad_ed.special as special
from tinygrad_ed.ops import OPS

torch = pytest.importorskip("torch")

# 0, −0, ±1, ±∞, nan, negatives, and values past exp's float32 and float64 overflow
EDGES = [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, -2.5, -0.5, 0.5, 2.0, 3.0, 100.0, 800.0]
DTYPES = [np.float32, np.float64]
PAIRS = np.array(list(itertools.product(EDGES, EDGES))).T

# The forwards of plain arithmetic (numpy's ufuncs themselves) flag ∞ − ∞, 0·∞ and overflow:
# errstate (~1 µs a call) stays off the training hot path. Through Tensor they are silent all the
# same, by the package's warnings filter (see test_forward_ops_silent_as_torch).
ARITHMETIC = {"add", "sub", "mul"}
# Ops whose values differ from torch's at some edge; they are still checked for silence.
# binary_cross_entropy_with_logits: at x = ±∞ torch's (1 − t)·x + … gives nan where the limit
# (0 or ∞) is returned here.
VALUES_SKIPPED = {"binary_cross_entropy_with_logits"}


def _torch_op(name: str, params: dict[str, Any]) -> Callable[..., Any] | None:
    """torch's function for a table op, with the table's fixed parameters bound."""
    if name == "polygamma":
        return lambda x: torch.polygamma(params["n"], x)
    if name in ("igamma", "igammac"):
        return lambda x: getattr(torch, name)(torch.tensor(float(params["a"]), dtype=x.dtype), x)
    if name == "zeta":
        return lambda q: torch.special.zeta(torch.tensor(float(params["s"]), dtype=q.dtype), q)
    if name == "clamp":
        return lambda x: torch.clamp(x, params["min"], params["max"])
    for module in (torch, torch.special):
        f = getattr(module, name, None)
        if callable(f):
            return f
    return None


def _same(ours: np.ndarray, theirs: np.ndarray, dtype: Any, what: str) -> None:
    tol = 2e-5 if dtype == np.float32 else 1e-8  # torch's ψ⁽¹⁾(1) is off by 5e-10
    assert ours.shape == theirs.shape, what
    # nan where torch has nan, the same infinities, and finite values close
    np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol, equal_nan=True, err_msg=what)


def _quiet_call(f: Callable[..., Any], *args: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return f(*args)


ELEMENTWISE = sorted(n for n, op in OPS.items() if op.kind in ("unary", "binary"))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if n not in ARITHMETIC])
def test_registered_op_forward_is_silent_at_edges(name: str, dtype: Any) -> None:
    """Every elementwise op in the table, on 0, −0, ±1, ±∞, nan and negatives (all pairs for a
    binary op): no RuntimeWarning, and torch's values (inf and nan included)."""
    op = OPS[name]
    args = [np.array(EDGES, dtype)] if op.kind == "unary" else [p.astype(dtype) for p in PAIRS]
    if name == "binary_cross_entropy":  # probabilities only: torch refuses others
        inside = (args[0] >= 0) & (args[0] <= 1) & (args[1] >= 0) & (args[1] <= 1)
        args = [a[inside] for a in args]
    out = np.asarray(_quiet_call(lambda *a: op.forward(*a, **op.params), *args))
    ref = _torch_op(name, op.params)
    if ref is None or name in VALUES_SKIPPED or name == "clone":
        return
    expected = ref(*[torch.from_numpy(a.copy()) for a in args]).numpy()
    if name == "polygamma":  # at the poles (negative integers) torch's ψ⁽¹⁾(−1) is 6.6e32, not ∞
        expected = np.where(args[0] == -1, np.inf, expected)
    _same(out, expected, dtype, f"{name} on {args}")


@pytest.mark.parametrize("name", sorted(ARITHMETIC))
def test_arithmetic_silent_without_infinities_meeting(name: str) -> None:
    """add, sub and mul are silent on the edges except ∞ − ∞ and 0·∞ (where numpy flags the nan),
    and give torch's values everywhere."""
    op = OPS[name]
    for dtype in DTYPES:
        x, y = (p.astype(dtype) for p in PAIRS)
        with np.errstate(invalid="ignore"):
            expected = getattr(torch, name)(torch.from_numpy(x), torch.from_numpy(y)).numpy()
            _same(op.forward(x, y), expected, dtype, name)
        born_nan = np.isnan(expected) & ~np.isnan(x) & ~np.isnan(y)
        _quiet_call(op.forward, x[~born_nan], y[~born_nan])


def _as_after_import(f: Callable[[], Any]) -> tuple[Any, list[warnings.WarningMessage]]:
    """``f()`` and every warning it shows, with the filters as importing tinygrad_ed leaves them
    (pytest starts each test from the filters it found before the import): every warning shown,
    each time, except what the package's own filter ignores."""
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        tg._ignore_float_warnings()
        return f(), log


INF, NAN = np.inf, np.nan
# Forward ops where numpy flags a floating-point exception (invalid, divide by zero, overflow):
# expression on tg or torch (``T``) with ``d`` the dtype, and the value both must give.
FLOAT_EXCEPTIONS = {
    "add ∞ + −∞": (lambda T, d: T.tensor([INF], dtype=d) + T.tensor([-INF], dtype=d), NAN),
    "sub ∞ − ∞": (lambda T, d: T.tensor([INF], dtype=d) - T.tensor([INF], dtype=d), NAN),
    "mul ∞·0": (lambda T, d: T.tensor([INF], dtype=d) * 0, NAN),
    "div 0/0": (lambda T, d: T.tensor([0.0], dtype=d) / T.tensor([0.0], dtype=d), NAN),
    "div 1/0": (lambda T, d: T.tensor([1.0], dtype=d) / T.tensor([0.0], dtype=d), INF),
    "pow overflow": (lambda T, d: T.tensor([1e200], dtype=d) ** 2, INF),
    "exp overflow": (lambda T, d: T.tensor([1000.0], dtype=d).exp(), INF),
    "log 0": (lambda T, d: T.tensor([0.0], dtype=d).log(), -INF),
    "sum ∞ − ∞": (lambda T, d: T.tensor([INF, -INF], dtype=d).sum(), NAN),
    "cumsum ∞ − ∞": (lambda T, d: T.tensor([INF, -INF], dtype=d).cumsum(0)[1], NAN),
    "matmul ∞ − ∞": (
        lambda T, d: T.tensor([[INF, -INF]], dtype=d) @ T.tensor([[1.0], [1.0]], dtype=d),
        NAN,
    ),
    "einsum chain ∞ − ∞": (
        lambda T, d: T.einsum(
            "ij,jk,kl->il",
            T.tensor([[INF, -INF]], dtype=d),
            T.ones(2, 2, dtype=d),
            T.ones(2, 1, dtype=d),
        ),
        NAN,
    ),
    "softmax ∞": (lambda T, d: T.tensor([INF, 1.0], dtype=d).softmax(0)[0], NAN),
    "mul overflow": (lambda T, d: T.tensor([1e200], dtype=d) * T.tensor([1e200], dtype=d), INF),
    "float32 overflow": (lambda T, d: T.tensor([3e38], dtype=T.float32) * 2, INF),
    "mse_loss ∞ − ∞": (
        lambda T, d: T.nn.functional.mse_loss(T.tensor([INF], dtype=d), T.tensor([INF], dtype=d)),
        NAN,
    ),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", sorted(FLOAT_EXCEPTIONS))
def test_forward_ops_silent_as_torch(case: str, dtype: str) -> None:
    """numpy's floating-point warnings from the forward ops stay inside tinygrad_ed, as torch is
    silent, and the value is torch's (nan or ±∞). (div, exp, log and pow set their own errstate;
    the others rely on the package's warnings filter, or avoid numpy's Python helpers.)"""
    expr, value = FLOAT_EXCEPTIONS[case]
    out, log = _as_after_import(lambda: expr(tg, getattr(tg, dtype)))
    assert [str(w.message) for w in log] == []
    ours = out.numpy()
    np.testing.assert_array_equal(ours, np.full(ours.shape, value), err_msg=case)
    np.testing.assert_array_equal(ours, expr(torch, getattr(torch, dtype)).numpy(), err_msg=case)


# The public unary functions compared with torch at the edges: these through their rules too,
BACKWARD_UNARY = [
    "exp",
    "exp2",
    "expm1",
    "log",
    "log2",
    "log10",
    "log1p",
    "sqrt",
    "rsqrt",
    "reciprocal",
    "sin",
    "cos",
    "tan",
    "sinh",
    "cosh",
    "tanh",
    "asin",
    "acos",
    "atan",
    "asinh",
    "acosh",
    "atanh",
    "sigmoid",
    "relu",
    "abs",
    "neg",
    "erf",
    "erfc",
    "erfinv",
    "lgamma",
    "digamma",
    "i0",
    "logit",
    "frac",
    "sinc",
    "square",
]
# and the piecewise-constant ones and the conversions, whose forward alone is compared
UNARY_NAMES = [
    *BACKWARD_UNARY,
    "sign",
    "sgn",
    "trunc",
    "floor",
    "ceil",
    "round",
    "nan_to_num",
    "deg2rad",
    "rad2deg",
]


UNARY_PUBLIC: list[tuple[str, Callable[[Any], Any], Callable[[Any], Any]]] = [
    *((n, getattr(tg, n), getattr(torch, n)) for n in UNARY_NAMES),
    *(
        (f"special.{n}", getattr(special, n), getattr(torch.special, n))
        for n in [
            "gammaln",
            "digamma",
            "erfc",
            "erfcx",
            "erfinv",
            "expit",
            "ndtr",
            "ndtri",
            "log_ndtr",
            "i0",
            "i0e",
            "i1",
            "i1e",
            "entr",
            "bessel_j0",
            "bessel_j1",
            "bessel_y0",
            "bessel_y1",
            "modified_bessel_i0",
            "modified_bessel_i1",
            "modified_bessel_k0",
            "modified_bessel_k1",
            "scaled_modified_bessel_k0",
            "scaled_modified_bessel_k1",
            "spherical_bessel_j0",
        ]
    ),
    *(
        (f"F.{n}", getattr(F, n), getattr(torch.nn.functional, n))
        for n in [
            "silu",
            "gelu",
            "mish",
            "hardswish",
            "softsign",
            "elu",
            "selu",
            "celu",
            "leaky_relu",
            "softplus",
            "logsigmoid",
            "hardtanh",
            "relu6",
            "hardsigmoid",
            "tanhshrink",
            "softshrink",
            "hardshrink",
        ]
    ),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("name, ours, theirs", UNARY_PUBLIC, ids=[u[0] for u in UNARY_PUBLIC])
def test_public_unary_forward_is_silent_at_edges(
    name: str, ours: Callable[[Any], Any], theirs: Callable[[Any], Any], dtype: Any
) -> None:
    x = np.array(EDGES, dtype)
    out = _quiet_call(ours, tg.tensor(x)).numpy()
    expected = theirs(torch.from_numpy(x)).numpy()
    if name == "F.gelu" and dtype == np.float32:  # torch's float32 kernel: gelu(∞) = nan
        expected = np.where(x == np.inf, np.inf, expected)
    _same(out, expected, dtype, name)


BINARY_PUBLIC = [
    *(
        (n, getattr(tg, n), getattr(torch, n))
        for n in [
            "div",
            "true_divide",
            "pow",
            "float_power",
            "fmod",
            "remainder",
            "atan2",
            "hypot",
            "logaddexp",
            "logaddexp2",
            "xlogy",
            "maximum",
            "minimum",
            "fmax",
            "fmin",
            "copysign",
            "ldexp",
            "nextafter",
        ]
    ),
    *(
        (f"special.{n}", getattr(special, n), getattr(torch.special, n))
        for n in ["xlog1py", "xlogy"]
    ),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("name, ours, theirs", BINARY_PUBLIC, ids=[b[0] for b in BINARY_PUBLIC])
def test_public_binary_forward_is_silent_at_edges(
    name: str, ours: Callable[..., Any], theirs: Callable[..., Any], dtype: Any
) -> None:
    x, y = (p.astype(dtype) for p in PAIRS)
    out = _quiet_call(ours, tg.tensor(x), tg.tensor(y)).numpy()
    expected = theirs(torch.from_numpy(x), torch.from_numpy(y)).numpy()
    _same(out, expected, dtype, name)


def test_exp_overflow_is_torchs_inf_silently() -> None:
    for dtype, big in ((np.float32, 100.0), (np.float64, 800.0)):
        x = np.array([big, -big], dtype)
        out = _quiet_call(tg.exp, tg.tensor(x)).numpy()
        expected = torch.exp(torch.from_numpy(x)).numpy()
        assert out[0] == expected[0] == np.inf
        _same(out, expected, dtype, "exp")


# ----------------------------------------------------------------------------- gradients at nan

NAN_EDGES = [np.nan, 0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, 2.0, -2.0, 0.5, -0.5]


def _grads_match(
    ours_f: Callable[..., Any], theirs_f: Callable[..., Any], arrays: list[Any]
) -> None:
    ours = [tg.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.from_numpy(a.copy()).requires_grad_() for a in arrays]
    out = ours_f(*ours)
    _quiet_call(lambda: out.backward(tg.ones(out.shape, dtype=out.dtype)))
    t_out = theirs_f(*theirs)
    t_out.backward(torch.ones_like(t_out))
    for a, t in zip(ours, theirs):
        assert a.grad is not None and t.grad is not None
        _same(a.grad.numpy(), t.grad.numpy(), a.grad.numpy().dtype, str(arrays))


# torch's rule is the same on every kernel here (checked on lengths 1 to 100, nan first or last):
# relu passes g at nan (threshold_backward: out ≤ 0 ? 0 : g), abs gives 0 (sgn(nan) = 0), clamp
# and hardsigmoid 0, leaky_relu the slope, threshold g.
NAN_GRAD_UNARY = [
    ("relu", lambda x: x.relu(), torch.relu),
    ("F.relu", F.relu, torch.nn.functional.relu),
    ("abs", lambda x: x.abs(), torch.abs),
    ("clamp", lambda x: x.clamp(-0.5, 0.5), lambda x: x.clamp(-0.5, 0.5)),
    ("clamp_min", lambda x: x.clamp(min=0.5), lambda x: x.clamp(min=0.5)),
    ("leaky_relu", F.leaky_relu, torch.nn.functional.leaky_relu),
    ("hardsigmoid", F.hardsigmoid, torch.nn.functional.hardsigmoid),
    ("threshold", lambda x: F.threshold(x, 0.5, -1.0), lambda x: torch.threshold(x, 0.5, -1.0)),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("n", [len(NAN_EDGES), 67])  # torch's scalar and vectorized kernels
@pytest.mark.parametrize("name, ours, theirs", NAN_GRAD_UNARY, ids=[u[0] for u in NAN_GRAD_UNARY])
def test_gradient_at_nan_is_torchs(
    name: str, ours: Callable[..., Any], theirs: Callable[..., Any], n: int, dtype: Any
) -> None:
    x = np.resize(np.array(NAN_EDGES, dtype), n)
    _grads_match(ours, theirs, [x])


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("name", ["maximum", "minimum", "fmax", "fmin"])
def test_binary_extreme_gradient_at_nan_is_torchs(name: str, dtype: Any) -> None:
    """maximum/minimum pass g to both sides where either is nan; fmax/fmin to the number."""
    x, y = (np.array(p, dtype) for p in zip(*itertools.product(NAN_EDGES, NAN_EDGES)))
    _grads_match(getattr(tg, name), getattr(torch, name), [x, y])


def test_relu_rule_mask_keeps_nan_and_drops_signed_zero() -> None:
    x = tg.tensor(np.array([np.nan, -0.0, 0.0, -1.0, 2.0], np.float32), requires_grad=True)
    x.relu().backward(tg.ones(5))
    assert x.grad is not None
    assert x.grad.numpy().tolist() == [1.0, 0.0, 0.0, 0.0, 1.0]


def test_abs_gradient_at_a_zero_dim_nan_is_zero() -> None:
    for v in (np.nan, -2.0, 0.0):
        x = tg.tensor(v, requires_grad=True)
        x.abs().backward()
        t = torch.tensor(v, dtype=torch.float32, requires_grad=True)
        t.abs().backward()
        assert x.grad is not None and t.grad is not None
        assert x.grad.item() == t.grad.item()


# ----------------------------------------------------------------------------- node hooks

NODE_HOOKS: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("prehook None", lambda y, z: y.grad_fn.register_prehook(lambda go: None)),
    ("prehook (None,)", lambda y, z: y.grad_fn.register_prehook(lambda go: (None,))),
    ("prehook doubles", lambda y, z: y.grad_fn.register_prehook(lambda go: (go[0] * 2,))),
    ("sum prehook (None,)", lambda y, z: z.grad_fn.register_prehook(lambda go: (None,))),
    ("posthook None", lambda y, z: y.grad_fn.register_hook(lambda gi, go: None)),
    ("posthook (None, w)", lambda y, z: y.grad_fn.register_hook(lambda gi, go: (None, gi[1]))),
    (
        "posthook (10x, None)",
        lambda y, z: y.grad_fn.register_hook(lambda gi, go: (gi[0] * 10, None)),
    ),
    ("posthook (None, None)", lambda y, z: y.grad_fn.register_hook(lambda gi, go: (None, None))),
    ("removed", lambda y, z: y.grad_fn.register_prehook(lambda go: (None,)).remove()),
]


def _node_hook_case(lib: Any, setup: Callable[[Any, Any], Any]) -> list[Any]:
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    w = lib.tensor([3.0, 4.0], requires_grad=True)
    y = x * w
    z = y.sum()
    setup(y, z)
    z.backward()
    return [None if t.grad is None else t.grad.tolist() for t in (x, w)]


@pytest.mark.parametrize("name, setup", NODE_HOOKS, ids=[h[0] for h in NODE_HOOKS])
def test_node_hooks_as_torch(name: str, setup: Callable[[Any, Any], Any]) -> None:
    """grad_fn.register_prehook / register_hook: None changes nothing; a None inside the
    returned tuple is an undefined gradient, so nothing flows there (.grad stays None)."""
    assert _node_hook_case(tg, setup) == _node_hook_case(torch, setup)


BAD_NODE_HOOKS: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("prehook list", lambda y, z: y.grad_fn.register_prehook(lambda go: [go[0]])),
    ("prehook tensor", lambda y, z: y.grad_fn.register_prehook(lambda go: go[0])),
    ("prehook 2-tuple", lambda y, z: y.grad_fn.register_prehook(lambda go: (go[0], go[0]))),
    ("prehook wrong shape", lambda y, z: y.grad_fn.register_prehook(lambda go: (go[0][:1],))),
    ("posthook 1-tuple", lambda y, z: y.grad_fn.register_hook(lambda gi, go: (gi[0],))),
    ("posthook list", lambda y, z: y.grad_fn.register_hook(lambda gi, go: list(gi))),
    (
        "posthook wrong shape",
        lambda y, z: y.grad_fn.register_hook(lambda gi, go: (gi[0][:1], gi[1])),
    ),
]


@pytest.mark.parametrize("name, setup", BAD_NODE_HOOKS, ids=[h[0] for h in BAD_NODE_HOOKS])
def test_bad_node_hook_results_raise_torchs_exceptions(
    name: str, setup: Callable[[Any, Any], Any]
) -> None:
    with pytest.raises(Exception) as theirs:
        _node_hook_case(torch, setup)
    with pytest.raises(theirs.type, match="hook"):
        _node_hook_case(tg, setup)


def _hook_order(lib: Any) -> tuple[list[Any], list[float]]:
    log: list[Any] = []
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * lib.tensor([3.0, 4.0])
    y.register_hook(lambda g: log.append(("tensor", g.tolist())) or g * 10)
    y.grad_fn.register_prehook(lambda go: log.append(("pre", go[0].tolist())) or (go[0] + 1,))
    y.retain_grad()
    y.register_hook(lambda g: log.append(("tensor 2", g.tolist())))
    y.grad_fn.register_hook(
        lambda gi, go: log.append(("post", gi[0].tolist(), gi[1], go[0].tolist()))
    )
    y.sum().backward()
    return log, y.grad.tolist()


def test_node_hooks_run_after_tensor_hooks_and_retain_grad() -> None:
    assert _hook_order(tg) == _hook_order(torch)


def test_undefined_gradient_leaves_other_paths_and_grad_unused() -> None:
    for lib in (tg, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.grad_fn.register_prehook(lambda go: (None,))
        (y + x).sum().backward()
        assert x.grad.tolist() == [1.0, 1.0]
        y = x * 2
        y.grad_fn.register_prehook(lambda go: (None,))
        assert lib.autograd.grad(y.sum(), x, allow_unused=True) == (None,)
        y = x * 2
        y.grad_fn.register_prehook(lambda go: (None,))
        with pytest.raises(RuntimeError):  # x did not reach the output: torch's "not used"
            lib.autograd.grad(y.sum(), x)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("name", BACKWARD_UNARY)
def test_unary_backward_is_silent_at_edges(name: str, dtype: Any) -> None:
    """The rules at poles and outside the domain: silent, with torch's ±∞ and nan (but ψ⁽¹⁾ at
    the pole −1 is ∞ here, where torch's series gives a large finite number)."""
    x = np.array(EDGES, dtype)
    if name == "digamma":
        x = x[x != -1]
    _grads_match(getattr(tg, name), getattr(torch, name), [x])

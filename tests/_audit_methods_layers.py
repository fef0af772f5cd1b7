# ruff: noqa: E501
"""Bad-input and edge-case audit of the Tensor methods (elementwise, rounding division, where,
keepdim, the structural and keyword forms), embedding, the norms, prelu, pad, convolution and
pooling, against torch 2.13 (the API added on 2026-11-26). Its machinery (``Lib``, ``run``,
``classify``, ``case``, ``calls``, ``tensors_like`` and the command line ``audit_main``) is what
the other ``tests/_audit_*.py`` import.

Run by hand (not collected by pytest; needs torch):

    python tests/_audit_methods_layers.py [-v] [--only SUBSTRING] [--json PATH]

Each case is one call written once as a template (``F.conv2d({x}, {w}, stride={s})``) and
evaluated on both libraries: ``T`` is ``torch`` or ``tinygrad_ed``, ``F`` their functional
modules, ``nn`` their ``nn``. Slots are filled one at a time from their variant lists (every
other slot at its first, ordinary value), plus seeded random combinations. ``t(*shape, ...)``
makes the same seeded tensor in both (float64 leaves requiring grad unless told otherwise),
``v([...])`` a tensor of given values, ``M(module)`` gives a module's parameters the same
seeded float64 values in both.

Outcomes: ``equal`` (values, dtypes and float64 gradients within 1e-9 relative), ``differ``,
``both-raise`` (same kind: TypeError / IndexError / ValueError-or-RuntimeError), ``both-raise
(kind)`` (different kinds), ``torch-raises`` (we return a value), ``ours-raises`` (torch returns
one), ``leak`` (ours raised from inside numpy, or with numpy's words) and ``odd`` (ours raised
an exception type outside those kinds).

On 2026-11-26: 8417 calls. Before the fixes (e758929): equal 2808, both-raise 4654, both-raise
(kind) 472, torch-raises 274, ours-raises 105, leak 59, differ 43, odd 2. After: equal 2848,
both-raise 4781, both-raise (kind) 467, torch-raises 212, ours-raises 87, differ 21, leak 1,
odd 0. (both-raise (kind) is mostly the order of checks when several arguments are bad.) What
remains is deliberate:

* torch-raises: torch has no derivative for floor_divide, heaviside and remainder(number, x)
  (ours is zero); we take lists and ints where torch wants a Tensor or a tuple (take(2),
  masked_select([...]), mul([...]), reshape(shape=12), flip(dims=0)); ceil_mode=1 and
  count_include_pad=1 as bools; view of a transposed tensor (there are no strides to refuse);
  torch's own failures (bool operands in logaddexp2's backward, scatter with an empty index,
  adaptive pooling to size 0, group_norm with a bias but no weight, ReflectionPad3d(-1)'s
  uninitialised gradient, an empty batch through InstanceNorm with running stats).
* ours-raises: we refuse bool as a number (copysign(True), value=True, q=True), tensors as
  clamp bounds and values requiring grad in in-place ops, int input to pooling, mixed dtypes in
  rms_norm, None for num_features/ConstantPad's value, view(dtype), scale_grad_by_freq, index
  out of range in take_along_dim (torch reads out of bounds on CPU), adaptive_avg_pool2d of a
  2-d input.
* differ: abs's gradient at nan (sign(nan) = nan; torch 0), float_power(x, 0)'s gradient at
  nan, xlogy(x, number)'s gradient at x = 0 (torch gives g·ln y for a number, 0 for a tensor;
  ours 0 for both), logit(eps > 0.5) (clamp with min > max), logcumsumexp's gradient at ±inf
  (torch nan), mode's index and nanquantile's gradient placement among nans, addcmul's dtype
  with a 0-d float64 beside an integer tensor (ours promotes pairwise), scatter(reduce=) refused
  in the forward, det's gradient at a singular matrix (ours the cofactor matrix, the
  derivative; torch 0) and det of matrices with inf (numpy's LU, torch's nan), negative eps
  through InstanceNorm's running statistics (inf against torch's nan).
* leak: div_ of an int tensor by a float or bool names the op, shape and dtype but appends
  numpy's cast message.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import random
import re
import sys
import traceback
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.nn.functional as TF

import tinygrad_ed as tg
import tinygrad_ed.functional as GF

nan, inf = math.nan, math.inf

# ----------------------------------------------------------------------------- the two libraries


class Lib:
    """One library's names for the templates, and the seeded tensor makers."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.is_torch = name == "torch"
        self.T: Any = torch if self.is_torch else tg
        self.leaves: list[tuple[str, Any]] = []
        self.rng = np.random.default_rng(0)

    def reset(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.leaves = []

    def tensor(self, a: np.ndarray, grad: bool) -> Any:
        if self.is_torch:
            x = torch.tensor(a)
            if grad:
                x.requires_grad_(True)
        else:
            x = tg.tensor(a, requires_grad=grad)
        if grad:
            self.leaves.append((f"leaf{len(self.leaves)}", x))
        return x

    def t(
        self, *shape: int, dtype: str = "f64", grad: bool | None = None, pos: bool = False
    ) -> Any:
        a = self.rng.standard_normal(shape)
        if pos:
            a = np.abs(a) + 0.5
        if dtype == "i64":
            a = np.round(a * 3).astype(np.int64)
        elif dtype == "i32":
            a = np.round(a * 3).astype(np.int32)
        elif dtype == "bool":
            a = a > 0
        elif dtype == "f32":
            a = a.astype(np.float32)
        if grad is None:
            grad = dtype in ("f64", "f32")
        return self.tensor(a, grad and dtype in ("f64", "f32"))

    def v(self, values: Any, dtype: str | None = None, grad: bool = False) -> Any:
        a = np.array(
            values,
            dtype={
                None: None,
                "f64": np.float64,
                "f32": np.float32,
                "i64": np.int64,
                "bool": np.bool_,
            }[dtype],
        )
        return self.tensor(a, grad and a.dtype.kind == "f")

    def idx(self, *shape: int, high: int = 3, low: int = 0) -> Any:
        return self.tensor(self.rng.integers(low, high, shape).astype(np.int64), False)

    def arr(self, *shape: int) -> np.ndarray:
        return self.rng.standard_normal(shape)

    def module(self, m: Any) -> Any:
        m.double()
        for name, p in m.named_parameters():
            a = self.rng.standard_normal(tuple(p.shape))
            if self.is_torch:
                with torch.no_grad():
                    p.copy_(torch.tensor(a))
            else:
                p.data = a.copy()
            self.leaves.append((name, p))
        return m

    def env(self) -> dict[str, Any]:
        return {
            "T": self.T,
            "F": TF if self.is_torch else GF,
            "nn": torch.nn if self.is_torch else tg.nn,
            "t": self.t,
            "v": self.v,
            "idx": self.idx,
            "arr": self.arr,
            "M": self.module,
            "nan": nan,
            "inf": inf,
            "np": np,
            "f64": torch.float64 if self.is_torch else tg.float64,
            "f32": torch.float32 if self.is_torch else tg.float32,
            "i64": torch.int64 if self.is_torch else tg.int64,
        }


# ----------------------------------------------------------------------------- outcomes

NUMPY_WORDS = re.compile(
    r"operands could not be broadcast|cannot reshape array|out of bounds for axis|"
    r"axis -?\d+ is out of bounds|ufunc|ndarray|numpy|setting an array element|"
    r"only integers, slices|could not convert|object arrays|array_function|"
    r"zero-size array|index -?\d+ is out of bounds|invalid literal|"
    r"unsupported operand|not supported between|object is not|has no attribute|must be real number"
)
NAMED = re.compile(r"^\s*[\w.]+\(\)")  # our messages start with the op: "conv2d(): ..."


def kind(e: BaseException) -> str:
    if isinstance(e, TypeError):
        return "TypeError"
    if isinstance(e, IndexError):
        return "IndexError"
    if isinstance(e, (ValueError, RuntimeError)):
        return "Value/RuntimeError"
    return type(e).__name__


def leaked(e: BaseException) -> bool:
    tb = traceback.extract_tb(e.__traceback__)
    inner = tb[-1].filename if tb else ""
    return "/numpy/" in inner or (not NAMED.match(str(e)) and bool(NUMPY_WORDS.search(str(e))))


def flat(out: Any) -> list[Any]:
    if isinstance(out, (tuple, list)):
        return [y for o in out for y in flat(o)]
    return [out]


def to_np(o: Any) -> Any:
    if isinstance(o, torch.Tensor):
        return o.detach().numpy(force=True)
    if isinstance(o, tg.Tensor):
        return np.asarray(o.detach().numpy())
    if isinstance(o, torch.Size):
        return tuple(o)
    return o


def close(a: Any, b: Any, tol: float) -> str | None:
    """None when equal, else what differs."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
            return f"types {type(a).__name__} / {type(b).__name__}"
        if a.shape != b.shape:
            return f"shapes {a.shape} / {b.shape}"
        if a.dtype != b.dtype:
            return f"dtypes {a.dtype} / {b.dtype}"
        if a.dtype.kind in "fc":
            if not np.allclose(a, b, rtol=tol, atol=tol, equal_nan=True):
                return "values"
        elif not np.array_equal(a, b):
            return "values"
        return None
    if isinstance(a, float) and isinstance(b, float) and (a == b or (a != a and b != b)):
        return None
    return None if a == b else f"{a!r} / {b!r}"


class Result:
    def __init__(self) -> None:
        self.error: BaseException | None = None
        self.stage = ""
        self.values: list[Any] = []
        self.grads: dict[str, Any] | None = None
        self.requires_grad: list[bool] = []


def run(lib: Lib, expr: str, seed: int, backward: bool) -> Result:
    r = Result()
    lib.reset(seed)
    env = lib.env()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = eval(expr, env)
    except Exception as e:
        r.error, r.stage = e, "forward"
        return r
    outs = flat(out)
    r.values = [to_np(o) for o in outs]
    tensors = [o for o in outs if isinstance(o, (torch.Tensor, tg.Tensor))]
    r.requires_grad = [bool(o.requires_grad) for o in tensors]
    diff = [o for o in tensors if o.requires_grad and np.dtype(to_np(o).dtype).kind == "f"]
    if not backward or not diff:
        return r
    wrng = np.random.default_rng(seed + 1)
    try:
        loss = None
        for o in diff:
            w = wrng.standard_normal(tuple(o.shape)).astype(to_np(o).dtype)
            term = (o * lib.T.tensor(w)).sum()
            loss = term if loss is None else loss + term
        assert loss is not None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loss.backward()
    except Exception as e:
        r.error, r.stage = e, "backward"
        return r
    r.grads = {}
    for name, leaf in lib.leaves:
        g = leaf.grad
        r.grads[name] = None if g is None else to_np(g)
    return r


def classify(a: Result, b: Result) -> tuple[str, str]:
    """(outcome, detail) for torch's result ``a`` and ours ``b``."""
    if a.error is not None and b.error is not None and type(a.error) is type(b.error):
        return "both-raise", ""  # Python's own error in both (a template's AttributeError)
    if b.error is not None and (leaked(b.error)):
        return "leak", f"{b.stage}: {type(b.error).__name__}: {b.error}"
    if b.error is not None and kind(b.error) not in (
        "TypeError",
        "IndexError",
        "Value/RuntimeError",
    ):
        return "odd", f"{b.stage}: {type(b.error).__name__}: {b.error}"
    if a.error is not None and b.error is not None:
        if a.stage != b.stage:
            return "differ", f"torch raised in {a.stage}, ours in {b.stage}"
        ka, kb = kind(a.error), kind(b.error)
        if ka == kb or (ka == "NotImplementedError" and kb == "Value/RuntimeError"):
            return "both-raise", ""
        return (
            "both-raise (kind)",
            f"torch {type(a.error).__name__}: {a.error} | ours {type(b.error).__name__}: {b.error}",
        )
    if a.error is not None:
        return "torch-raises", f"{a.stage}: torch {type(a.error).__name__}: {str(a.error)[:200]}"
    if b.error is not None:
        return "ours-raises", f"{b.stage}: ours {type(b.error).__name__}: {b.error}"
    if len(a.values) != len(b.values):
        return "differ", f"{len(a.values)} / {len(b.values)} outputs"
    for i, (x, y) in enumerate(zip(a.values, b.values)):
        tol = 1e-9 if getattr(x, "dtype", None) != np.float32 else 1e-5
        d = close(x, y, tol)
        if d:
            return "differ", f"output {i}: {d}"
    if a.requires_grad != b.requires_grad:
        return "differ", f"requires_grad {a.requires_grad} / {b.requires_grad}"
    # a float64 leaf's gradient through a float32 computation carries float32 rounding
    low = any(getattr(x, "dtype", None) == np.float32 for x in a.values)
    if a.grads is not None and b.grads is not None:
        for name, ga in a.grads.items():
            gb = b.grads.get(name)
            if ga is None and gb is None:
                continue
            ga = np.zeros_like(gb) if ga is None else ga
            gb = np.zeros_like(ga) if gb is None else gb
            tol = 1e-5 if low or ga.dtype == np.float32 else 1e-9
            d = close(ga, gb, tol)
            if d:
                return "differ", f"grad of {name}: {d}"
    return "equal", ""


# ----------------------------------------------------------------------------- the command line

Cases = list[tuple[str, dict[str, list[str]]]]


def audit_main(
    build_cases: Callable[[], Cases],
    *,
    extra: int,
    mix_seed: int = 20261127,
    make_lib: Callable[[str], Lib] = Lib,
    classify: Callable[[Result, Result], tuple[str, str]] = classify,
    backward: bool = True,
    run_torch: Callable[[Lib, str, int], Result] | None = None,
    recheck: Callable[[Lib, str, int, Result, str, str], tuple[str, str]] | None = None,
    area: Callable[[str], str] | None = None,
) -> None:
    """Every audit's command line, ``[-v] [--only SUBSTRING] [--json PATH] [--extra N]``.

    Each template of ``build_cases()`` that contains ``--only`` gives its ``calls`` (``--extra``
    random mixes, default ``extra``, drawn from one ``random.Random(mix_seed)`` across all cases, so
    the calls depend on the seed and on every case before). Each call runs on torch, then on ours
    with the same seed (1000 + its index in its case), and is ``classify``-ed; the outcomes are
    counted and printed, ``-v`` prints each that is not equal or both-raise, ``--json`` writes them.

    What the audits vary: ``make_lib`` (a ``Lib`` with more makers), ``classify``, ``backward``
    (False where only values are compared); ``run_torch`` for a torch that may crash the process
    (``run_isolated``, a forked child: torch then keeps to one thread, no OpenMP pool across
    fork(), and ``--trace`` prints each call to stderr before it runs); ``recheck(ours, expr, seed,
    ours's result, outcome, detail)`` takes a second look and may give another outcome;
    ``area(template)`` groups the outcomes for ``--areas``.
    """
    isolated = run_torch is not None
    warnings.simplefilter("ignore")
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "-v", action="store_true", help="print every case that is not equal or both-raise"
    )
    ap.add_argument("--only", default="", help="audit only templates containing this")
    ap.add_argument("--json", default="", help="write every non-equal outcome here")
    if isolated:
        ap.add_argument("--trace", action="store_true", help="print each call before it runs")
    ap.add_argument("--extra", type=int, default=extra, help="random slot mixes per case")
    if area is not None:
        ap.add_argument("--areas", action="store_true", help="print the outcomes per helper")
    args = ap.parse_args()
    rnd = random.Random(mix_seed)
    torch.manual_seed(0)
    if isolated:
        torch.set_num_threads(1)
    torch_lib, ours = make_lib("torch"), make_lib("tinygrad_ed")
    tally: collections.Counter[str] = collections.Counter()
    per_area: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    findings = []
    for template, slots in build_cases():
        if args.only not in template:
            continue
        for i, expr in enumerate(calls(template, slots, rnd, args.extra)):
            seed = 1000 + i
            if isolated and args.trace:
                print(expr, file=sys.stderr, flush=True)
            if run_torch is not None:
                a = run_torch(torch_lib, expr, seed)
            else:
                a = run(torch_lib, expr, seed, backward=backward)
            b = run(ours, expr, seed, backward=backward)
            outcome, detail = classify(a, b)
            if recheck is not None:
                outcome, detail = recheck(ours, expr, seed, b, outcome, detail)
            tally[outcome] += 1
            if area is not None:
                per_area[area(template)][outcome] += 1
            if outcome not in ("equal", "both-raise"):
                findings.append({"outcome": outcome, "expr": expr, "detail": detail[:400]})
                if args.v:
                    print(f"{outcome:18} {expr}\n{'':18} {detail[:300]}")
    if area is not None and args.areas:
        for name, counts in per_area.items():
            print(f"{name[:40]:40} {dict(counts.most_common())}")
    print(f"\n{sum(tally.values())} calls")
    for k, n in tally.most_common():
        print(f"  {k:20} {n}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(findings, f, indent=1)


# ----------------------------------------------------------------------------- the cases

TYPES = ["'a'", "None", "[1, 2]", "2.5", "True"]  # bad scalars for int or tensor slots
X = "t(2, 3)"


def case(template: str, **slots: list[str]) -> tuple[str, dict[str, list[str]]]:
    return template, slots


def calls(template: str, slots: dict[str, list[str]], rnd: random.Random, extra: int) -> list[str]:
    """Each slot's variants with the others at their first value, plus ``extra`` random mixes."""
    base = {k: vs[0] for k, vs in slots.items()}
    out = [template.format(**base)]
    for k, vs in slots.items():
        for v in vs[1:]:
            out.append(template.format(**{**base, k: v}))
    keys = list(slots)
    for _ in range(extra if len(keys) > 1 else 0):
        out.append(template.format(**{k: rnd.choice(slots[k]) for k in keys}))
    return list(dict.fromkeys(out))


def tensors_like(base: str, *shapes: str) -> list[str]:
    """A tensor slot's variants: the base, other dtypes, 0-d, empty, special values, non-tensors."""
    return [
        base,
        base.replace(")", ", dtype='f32')") if base.endswith(")") else base,
        base.replace(")", ", dtype='i64')") if base.endswith(")") else base,
        base.replace(")", ", dtype='bool')") if base.endswith(")") else base,
        "t()",
        "t(0)",
        "t(2, 0)",
        "v([1.0, nan, -inf, inf, 0.0, -0.0], grad=True)",
        "arr(2, 3)",
        "[1.0, 2.0]",
        "2.0",
        "None",
        *shapes,
    ]


UNARY = [
    "fix",
    "sgn",
    "negative",
    "absolute",
    "tan",
    "sinh",
    "cosh",
    "asin",
    "acos",
    "atan",
    "asinh",
    "acosh",
    "atanh",
    "exp2",
    "sinc",
    "logit",
    "frac",
    "signbit",
    "deg2rad",
    "rad2deg",
    "ravel",
    "fliplr",
    "flipud",
    "det",
    "inverse",
    "cov",
    "corrcoef",
]
BINARY = [
    "multiply",
    "subtract",
    "true_divide",
    "xlogy",
    "fmod",
    "remainder",
    "heaviside",
    "copysign",
    "float_power",
    "logaddexp2",
    "inner",
    "cross",
    "floor_divide",
]
INPLACE = [
    "exp_",
    "exp2_",
    "expm1_",
    "log_",
    "log1p_",
    "log2_",
    "log10_",
    "sqrt_",
    "rsqrt_",
    "reciprocal_",
    "square_",
    "sigmoid_",
    "tanh_",
    "relu_",
    "abs_",
    "neg_",
    "sign_",
    "sin_",
    "cos_",
    "tan_",
    "erf_",
    "floor_",
    "ceil_",
    "trunc_",
    "frac_",
    "round_",
]
REDUCTIONS = [
    "sum",
    "mean",
    "amax",
    "amin",
    "prod",
    "std",
    "var",
    "logsumexp",
    "all",
    "any",
    "nansum",
    "nanmean",
    "argmax",
    "argmin",
    "norm",
    "count_nonzero",
    "median",
    "nanmedian",
    "cumsum",
]

NUMS = ["1", "0", "-1", "2", "-3", "5", "1.5", "True", "None", "'a'", "[1]", "(0, 1)"]


def build_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    for name in UNARY:
        shapes = ["t(3, 3)", "t(2, 3, 3)", "t(0, 0)", "t(1, 1)"]
        C.append(case(f"{{x}}.{name}()", x=tensors_like(X, *shapes)))
        C.append(case(f"T.{name}({{x}})", x=tensors_like(X, *shapes)))
    for name in BINARY:
        ys = [
            "t(2, 3)",
            "t(3)",
            "t(4)",
            "t()",
            "2.0",
            "0.0",
            "-1.5",
            "3",
            "0",
            "True",
            "t(2, 3, dtype='i64')",
            "t(2, 3, dtype='f32')",
            "t(2, 3, dtype='bool')",
            "v([0.0, nan, inf])",
            "'a'",
            "None",
            "[1.0, 2.0, 3.0]",
            "arr(2, 3)",
            "t(1, 3)",
            "t(5, 2, 3)",
            "t(2, 1)",
            "v(0.0)",
            "idx(2, 3)",
        ]
        xs = tensors_like("t(2, 3)", "t(2, 3, pos=True)", "t(3, 3)")
        C.append(case(f"{{x}}.{name}({{y}})", x=xs, y=ys))
        C.append(case(f"T.{name}({{x}}, {{y}})", x=xs, y=ys))
    for name in INPLACE:
        C.append(
            case(
                f"{{x}}.{name}()",
                x=[
                    "t(2, 3, grad=False)",
                    "t(2, 3, dtype='i64')",
                    "t(2, 3, dtype='bool')",
                    "t(2, 3, dtype='f32', grad=False)",
                    "t(2, 3)",
                    "t(grad=False)",
                    "t(0, grad=False)",
                    "v([nan, inf, -inf, 0.0])",
                    "t(3, grad=False).expand(2, 3)",
                    "t(2, 3).detach()",
                ],
            )
        )
    C.append(
        case(
            "{x}.pow_({y})",
            x=["t(2, 3, grad=False)", "t(2, 3, dtype='i64')", "t(2, 3)"],
            y=["2", "2.5", "-1", "t(3)", "t(2, 3, dtype='i64')", "'a'", "None", "t(4)"],
        )
    )
    C.append(
        case(
            "{x}.clamp_({a}, {b})",
            x=["t(2, 3, grad=False)", "t(2, 3, dtype='i64')"],
            a=["-0.5", "None", "1", "t(3)", "'a'", "nan"],
            b=["0.5", "None", "-1", "t(3)", "nan"],
        )
    )
    C.append(
        case(
            "{x}.clip_({a})",
            x=["t(2, 3, grad=False)", "t(2, 3, dtype='i64')", "t(2, 3, dtype='bool')"],
            a=["-0.5", "None", "1", "t(3)", "'a'"],
        )
    )
    C.append(
        case(
            "{x}.clamp_min_({a})",
            x=["t(2, 3, grad=False)", "t(2, 3, dtype='i64')"],
            a=["0.0", "t(3)", "None", "'a'", "t(4)"],
        )
    )
    C.append(
        case(
            "{x}.clamp_max_({a})",
            x=["t(2, 3, grad=False)", "t(2, 3, dtype='i64')"],
            a=["0.0", "t(3)", "None", "'a'", "t(4)"],
        )
    )
    C.append(
        case(
            "{x}.nan_to_num_({a})",
            x=["v([nan, inf, -inf, 1.0])", "t(2, dtype='i64')", "t(2, 3)"],
            a=["", "0.5", "nan=1.0, posinf=2.0", "'a'", "None", "posinf=1e400"],
        )
    )
    C.append(
        case(
            "{x}.masked_fill_({m}, {val})",
            x=["t(2, 3, grad=False)", "t(2, 3, dtype='i64')", "t(2, 3)"],
            m=[
                "t(2, 3, dtype='bool')",
                "t(3, dtype='bool')",
                "t(2, 3, dtype='i64')",
                "t(4, dtype='bool')",
                "None",
                "t(2, 2, 3, dtype='bool')",
            ],
            val=["1.5", "t()", "t(3)", "'a'", "None", "nan", "True"],
        )
    )
    # logit eps
    C.append(
        case(
            "{x}.logit({eps})",
            x=["t(2, 3)", "v([0.0, 1.0, 0.5, -1.0, 2.0], grad=True)", "t(2, dtype='i64')"],
            eps=["", "1e-6", "0.5", "-1", "0.7", "None", "'a'", "t()"],
        )
    )
    # alpha
    for name in ["add", "sub", "subtract"]:
        C.append(
            case(
                f"{{x}}.{name}({{y}}, alpha={{a}})",
                x=["t(2, 3)", "t(2, 3, dtype='i64')", "t(2, 3, dtype='bool')"],
                y=["t(2, 3)", "2.0", "t(2, 3, dtype='i64')", "t(3)", "t(4)", "None"],
                a=["2", "0.5", "-1", "True", "None", "'a'", "t()", "0", "nan"],
            )
        )
        C.append(
            case(
                f"T.{name}({{x}}, {{y}}, alpha={{a}})",
                x=["t(2, 3)", "2", "t(2, 3, dtype='i64')", "'a'"],
                y=["t(2, 3)", "2.0", "t(2, 3, dtype='i64')", "None"],
                a=["2", "0.5", "True", "None", "t()"],
            )
        )
    # rounding division
    for form in [
        "{x}.div({y}, rounding_mode={m})",
        "T.div({x}, {y}, rounding_mode={m})",
        "T.divide({x}, {y}, rounding_mode={m})",
        "{x}.div_({y}, rounding_mode={m})",
    ]:
        C.append(
            case(
                form,
                x=[
                    "t(2, 3)",
                    "t(2, 3, dtype='i64')",
                    "t(2, 3, dtype='f32')",
                    "t(2, 3, dtype='bool')",
                    "v([5, -5, 7, 0])",
                    "v([5.0, -5.0, inf, nan], grad=True)",
                    "t()",
                    "t(0)",
                    "(3)",
                    "t(2, 3, grad=False)",
                ],
                y=[
                    "t(2, 3)",
                    "2",
                    "0",
                    "0.0",
                    "-2.5",
                    "v([2, -2, 0, 3])",
                    "t(2, 3, dtype='i64')",
                    "v(0)",
                    "t(3)",
                    "t(4)",
                    "True",
                    "'a'",
                    "None",
                ],
                m=["'floor'", "'trunc'", "None", "'true'", "'Floor'", "1", "''"],
            )
        )
    C.append(
        case(
            "T.floor_divide({x}, {y})",
            x=["t(2, 3)", "v([5, -5, 7, 0])", "5", "t(2, 3, dtype='bool')"],
            y=["t(2, 3)", "v([2, -2, 0, 3])", "0", "2.5", "'a'", "None", "t(4)"],
        )
    )
    C.append(
        case(
            "{x} // {y}",
            x=["t(2, 3)", "v([5, -5, 7, 0])", "5", "5.5"],
            y=["t(2, 3)", "v([2, -2, 0, 3])", "0", "2.5", "'a'", "None", "t(4)"],
        )
    )
    # where(condition)
    C.append(
        case(
            "T.where({c})",
            c=[
                "t(2, 3, dtype='bool')",
                "t(2, 3)",
                "t(2, 3, dtype='i64')",
                "t()",
                "v(True)",
                "t(0)",
                "t(2, 0)",
                "v([nan, 0.0, 1.0])",
                "[True, False]",
                "None",
                "arr(2, 3)",
                "t(2, 3, 4, dtype='bool')",
            ],
        )
    )
    C.append(
        case(
            "T.where({c}, {x}, {y})",
            c=["t(2, 3, dtype='bool')", "t(2, 3)", "t(3, dtype='bool')", "t(4, dtype='bool')"],
            x=["t(2, 3)", "1.0", "t(2, 3, dtype='i64')", "None"],
            y=["t(2, 3)", "0", "t(3, dtype='f32')", "'a'"],
        )
    )
    # keepdim validation
    for name in REDUCTIONS:
        dims = ["1", "0", "-1", "(0, 1)", "2", "-3", "None", "1.0", "'a'", "True"]
        C.append(
            case(
                f"{{x}}.{name}({{d}}, keepdim={{k}})",
                x=["t(2, 3)", "t(2, 3, dtype='i64')", "t()", "t(2, 0)"],
                d=dims,
                k=["True", "False", "1", "0", "None", "'yes'", "np.bool_(True)", "t(dtype='bool')"],
            )
        )
    # structural methods
    C.append(
        case(
            "{x}.unflatten({d}, {s})",
            x=["t(2, 6)", "t(6)", "t()", "t(0, 6)"],
            d=["1", "0", "-1", "2", "'a'", "1.0"],
            s=[
                "(2, 3)",
                "(-1, 3)",
                "(2, -1)",
                "(-1, -1)",
                "(4, 2)",
                "(0, 6)",
                "()",
                "[2, 3]",
                "6",
                "(2.0, 3)",
                "(True, 6)",
                "None",
                "(-2, -3)",
            ],
        )
    )
    C.append(
        case(
            "{x}.tensor_split({s}, dim={d})",
            x=["t(7, 2)", "t()", "t(0, 2)", "t(7, 2, dtype='i64')"],
            s=[
                "3",
                "0",
                "-1",
                "(1, 4)",
                "[5, 2]",
                "(9,)",
                "(-2,)",
                "2.0",
                "True",
                "None",
                "'a'",
                "idx(2, high=5)",
                "v(3)",
                "v([1.5])",
                "t(2, 2, dtype='i64')",
            ],
            d=["0", "1", "-1", "2", "1.0"],
        )
    )
    for name in ["hsplit", "vsplit", "dsplit"]:
        C.append(
            case(
                f"{{x}}.{name}({{s}})",
                x=["t(4, 6, 2)", "t(6)", "t(4, 6)", "t()", "t(0, 6, 2)"],
                s=["2", "3", "0", "-1", "(1, 3)", "[5]", "2.0", "None", "'a'", "4"],
            )
        )
    C.append(
        case(
            "{x}.split_with_sizes({s}, dim={d})",
            x=["t(5, 2)", "t()", "t(0, 2)"],
            s=[
                "[2, 3]",
                "(1, 1, 3)",
                "[2, 2]",
                "[6]",
                "[-1, 6]",
                "[0, 5]",
                "[]",
                "2",
                "[2.0, 3]",
                "None",
            ],
            d=["0", "1", "-1", "2", "'a'"],
        )
    )
    C.append(
        case(
            "{x}.rot90({k}, {dims})",
            x=["t(2, 3)", "t(2, 3, 4)", "t(3)", "t()", "t(0, 3)"],
            k=["1", "0", "-1", "2", "3", "5", "1.0", "True", "None", "'a'"],
            dims=[
                "[0, 1]",
                "[1, 0]",
                "[0, 0]",
                "[0]",
                "[0, 1, 2]",
                "[0, 5]",
                "[-1, -2]",
                "(0, 1)",
                "None",
                "[0.0, 1]",
            ],
        )
    )
    C.append(
        case(
            "{x}.unfold({d}, {s}, {st})",
            x=["t(2, 7)", "t(7)", "t()", "t(0, 7)", "t(2, 7, dtype='i64')"],
            d=["1", "0", "-1", "2", "-3", "1.0", "None"],
            s=["3", "0", "1", "7", "8", "-1", "2.0", "True", "None"],
            st=["2", "1", "0", "-1", "10", "2.0", "None"],
        )
    )
    C.append(
        case(
            "{x}.repeat_interleave({r}, dim={d})",
            x=["t(2, 3)", "t()", "t(0, 3)", "t(2, 3, dtype='i64')"],
            r=[
                "2",
                "0",
                "-1",
                "v([1, 2])",
                "v([1, 2, 3])",
                "v([1, -1])",
                "v([1.0, 2.0])",
                "2.0",
                "True",
                "None",
                "v(2)",
                "[1, 2]",
            ],
            d=["0", "1", "None", "-1", "2", "1.0"],
        )
    )
    C.append(
        case(
            "{x}.masked_select({m})",
            x=["t(2, 3)", "t()", "t(0, 3)", "t(2, 3, dtype='i64')"],
            m=[
                "t(2, 3, dtype='bool')",
                "t(3, dtype='bool')",
                "t(2, 3, dtype='i64')",
                "t(2, 3)",
                "t(4, dtype='bool')",
                "v(True)",
                "None",
                "[True, False, True]",
                "t(2, 2, 3, dtype='bool')",
            ],
        )
    )
    C.append(
        case(
            "{x}.take({i})",
            x=["t(2, 3)", "t()", "t(0, 3)", "t(2, 3, dtype='i64')"],
            i=[
                "idx(4, high=6)",
                "idx(4, high=6, low=-6)",
                "v([6])",
                "v([-7])",
                "v([1.0])",
                "v([True])",
                "v(2)",
                "v([[0, 1], [2, 3]])",
                "[1, 2]",
                "2",
                "None",
                "idx(0)",
            ],
        )
    )
    C.append(
        case(
            "{x}.take_along_dim({i}, dim={d})",
            x=["t(2, 3)", "t()", "t(2, 3, dtype='i64')"],
            i=[
                "idx(2, 3)",
                "idx(1, 3)",
                "idx(2, 1)",
                "idx(2, 4)",
                "idx(2, 3, high=4)",
                "idx(2, 3, low=-3)",
                "v([[1.0]])",
                "idx(3)",
                "idx(6, high=6)",
                "None",
                "[[0]]",
                "idx(2, 3, 2)",
            ],
            d=["1", "0", "-1", "None", "2", "1.0"],
        )
    )
    for name in ["scatter", "scatter_add"]:
        C.append(
            case(
                f"{{x}}.{name}({{d}}, {{i}}, {{s}})",
                x=["t(3, 4)", "t(3, 4, dtype='i64')", "t()", "t(3, 4, dtype='f32')"],
                d=["1", "0", "-1", "2", "1.0", "None"],
                i=[
                    "idx(2, 2, high=4)",
                    "idx(2, 5, high=3)",
                    "idx(4, 2)",
                    "v([[4]])",
                    "v([[-1]])",
                    "v([[1.0]])",
                    "idx(2)",
                    "idx(0, 0)",
                    "None",
                    "idx(2, 2, 2)",
                    "[[0]]",
                ],
                s=[
                    "t(2, 2)",
                    "t(3, 4)",
                    "t(1, 1)",
                    "1.5",
                    "t(2, 2, dtype='i64')",
                    "t(2, 2, dtype='f32')",
                    "t()",
                    "None",
                    "'a'",
                ],
            )
        )
    C.append(
        case(
            "{x}.scatter({d}, {i}, {s}, reduce={r})",
            x=["t(3, 4)"],
            d=["1"],
            i=["idx(2, 2, high=4)"],
            s=["t(2, 2)", "2.0"],
            r=["'add'", "'multiply'", "'sum'", "'mean'", "None", "'amax'", "'x'"],
        )
    )
    for name in ["index_add", "index_copy"]:
        C.append(
            case(
                f"{{x}}.{name}({{d}}, {{i}}, {{s}})",
                x=["t(3, 4)", "t(3, 4, dtype='i64')", "t()", "t(4)"],
                d=["0", "1", "-1", "2", "1.0"],
                i=[
                    "v([0, 2])",
                    "v([0, 0])",
                    "v([3, 0])",
                    "v([-1, 0])",
                    "v([0.0, 1.0])",
                    "v([[0, 1]])",
                    "v(0)",
                    "v([0, 1, 2])",
                    "[0, 1]",
                    "None",
                    "v([True, False])",
                ],
                s=[
                    "t(2, 4)",
                    "t(4, 2)",
                    "t(2, 3)",
                    "t(2, 4, dtype='i64')",
                    "t(2, 4, dtype='f32')",
                    "t(4)",
                    "t()",
                    "1.0",
                ],
            )
        )
    C.append(
        case(
            "{x}.index_add(0, v([0, 2]), t(2, 4), alpha={a})",
            x=["t(3, 4)", "t(3, 4, dtype='i64')"],
            a=["2", "0.5", "True", "None", "'a'"],
        )
    )
    C.append(
        case(
            "{x}.index_fill({d}, {i}, {val})",
            x=["t(3, 4)", "t(3, 4, dtype='i64')", "t()"],
            d=["0", "1", "2", "-1"],
            i=["v([0, 2])", "v([3])", "v([-1])", "v([0.0])", "v([[0]])", "v(1)", "[0]", "None"],
            val=["1.5", "v(2.0)", "t(2)", "nan", "True", "'a'", "None"],
        )
    )
    for name in ["cummax", "cummin", "logcumsumexp"]:
        C.append(
            case(
                f"{{x}}.{name}({{d}})",
                x=[
                    "t(3, 4)",
                    "t(3, 4, dtype='i64')",
                    "t(3, dtype='bool')",
                    "t()",
                    "t(0, 3)",
                    "v([1.0, nan, 2.0, nan], grad=True)",
                    "v([-inf, inf, 1.0, -inf], grad=True)",
                    "v([1.0, 1.0, 1.0], grad=True)",
                    "t(2, 3, dtype='f32')",
                ],
                d=["0", "1", "-1", "2", "-3", "1.0", "None", "'a'"],
            )
        )
    C.append(
        case(
            "{x}.kthvalue({k}, {d}, keepdim={kd})",
            x=[
                "t(3, 4)",
                "t(3, 4, dtype='i64')",
                "t()",
                "t(0, 3)",
                "v([1.0, nan, 2.0, 0.5], grad=True)",
                "v([2.0, 2.0, 1.0], grad=True)",
            ],
            k=["1", "2", "0", "-1", "5", "4", "1.0", "True", "None"],
            d=["-1", "0", "2", "None", "1.0"],
            kd=["False", "True", "1"],
        )
    )
    C.append(
        case(
            "{x}.mode({d}, {kd})",
            x=[
                "t(3, 4)",
                "v([[1, 2, 2, 3], [3, 3, 1, 1]])",
                "t()",
                "t(0, 3)",
                "t(3, 0)",
                "v([1.0, nan, nan, 1.0], grad=True)",
                "t(3, dtype='bool')",
            ],
            d=["-1", "0", "2", "1.0", "None"],
            kd=["False", "True", "1"],
        )
    )
    for name in ["quantile", "nanquantile"]:
        C.append(
            case(
                f"{{x}}.{name}({{q}}, dim={{d}}, keepdim={{kd}}, interpolation={{i}})",
                x=[
                    "t(3, 5)",
                    "t(3, 5, dtype='i64')",
                    "t(3, 5, dtype='f32')",
                    "t()",
                    "t(0, 3)",
                    "t(3, 0)",
                    "v([1.0, nan, 2.0, 3.0], grad=True)",
                    "v([nan, nan], grad=True)",
                ],
                q=[
                    "0.3",
                    "0.0",
                    "1.0",
                    "-0.1",
                    "1.5",
                    "nan",
                    "v([0.1, 0.9], grad=False)",
                    "v([[0.5]])",
                    "v(0.5)",
                    "v([0.5], dtype='f32')",
                    "[0.1, 0.5]",
                    "1",
                    "True",
                    "None",
                    "'a'",
                    "v([])",
                    "v([0.5, 1.2])",
                ],
                d=["None", "0", "1", "-1", "2", "1.0"],
                kd=["False", "True", "1"],
                i=["'linear'", "'lower'", "'higher'", "'midpoint'", "'nearest'", "'cubic'", "None"],
            )
        )
    C.append(
        case(
            "{x}.inner({y})",
            x=["t(2, 3)", "t(3)", "t()", "t(0)"],
            y=["t(3)", "t(4)", "t(5, 3)", "t()", "2.0", "t(0)"],
        )
    )
    C.append(
        case(
            "{x}.cross({y}, dim={d})",
            x=["t(2, 3)", "t(3)", "t(3, 2)", "t(2, 4)"],
            y=["t(2, 3)", "t(3)", "t(1, 3)", "t(2, 4)", "t(2, 3, dtype='i64')", "2.0"],
            d=["None", "1", "0", "-1", "2", "1.0"],
        )
    )
    for name in ["det", "inverse"]:
        C.append(
            case(
                f"{{x}}.{name}()",
                x=[
                    "t(3, 3)",
                    "t(2, 3, 3)",
                    "t(2, 3)",
                    "t(3)",
                    "t()",
                    "t(0, 0)",
                    "t(2, 0, 0)",
                    "v([[1.0, 2.0], [2.0, 4.0]], grad=True)",
                    "t(3, 3, dtype='i64')",
                    "t(3, 3, dtype='f32')",
                    "v([[nan, 1.0], [1.0, 1.0]], grad=True)",
                    "v([[inf, 1.0], [1.0, 1.0]], grad=True)",
                ],
            )
        )
    C.append(
        case(
            "{x}.addmv({m}, {v}, beta={b}, alpha={a})",
            x=["t(2)", "t()", "t(3)", "t(2, dtype='i64')", "t(1)"],
            m=["t(2, 3)", "t(3, 2)", "t(3)", "t(2, 3, dtype='f32')"],
            v=["t(3)", "t(2)", "t(1, 3)"],
            b=["1", "0", "0.5", "True", "None"],
            a=["1", "2", "0.5", "'a'"],
        )
    )
    C.append(
        case(
            "{x}.addr({a1}, {a2}, beta={b}, alpha={a})",
            x=["t(2, 3)", "t()", "t(3)", "t(3, 2)"],
            a1=["t(2)", "t(3)", "t(2, 1)"],
            a2=["t(3)", "t(2)", "t()"],
            b=["1", "0", "0.5", "None"],
            a=["1", "2", "'a'"],
        )
    )
    for name in ["addcmul", "addcdiv"]:
        C.append(
            case(
                f"{{x}}.{name}({{a1}}, {{a2}}, value={{val}})",
                x=["t(2, 3)", "t()", "t(2, 3, dtype='i64')", "t(4)"],
                a1=["t(2, 3)", "t(3)", "t(4)", "t(2, 3, dtype='i64')", "2.0"],
                a2=["t(2, 3)", "t(1, 3)", "v(0.0)", "t(5)", "t(2, 3, dtype='i64')"],
                val=["1", "0.5", "-2", "True", "None", "'a'", "t()"],
            )
        )
    C.append(
        case(
            "{x}.cov(correction={c}, fweights={fw}, aweights={aw})",
            x=[
                "t(2, 5)",
                "t(5)",
                "t()",
                "t(2, 3, 4)",
                "t(2, 0)",
                "t(0, 5)",
                "t(2, 5, dtype='i64')",
                "t(2, 1)",
            ],
            c=["1", "0", "2", "5", "6", "-1", "1.5", "True", "None"],
            fw=[
                "None",
                "v([1, 2, 1, 1, 3])",
                "v([1, -2, 1, 1, 3])",
                "v([1.0, 2, 1, 1, 3])",
                "v([1, 2])",
                "v([0, 0, 0, 0, 0])",
            ],
            aw=[
                "None",
                "v([1.0, 2.0, 1.0, 1.0, 3.0])",
                "v([1.0, -2.0, 1.0, 1.0, 3.0])",
                "v([1, 2, 1, 1, 3])",
                "v([1.0])",
                "v([0.0, 0, 0, 0, 0])",
            ],
        )
    )
    C.append(
        case(
            "{x}.corrcoef()",
            x=[
                "t(2, 5)",
                "t(5)",
                "t()",
                "t(2, 3, 4)",
                "t(2, 1)",
                "v([[1.0, 1.0, 1.0], [1.0, 2.0, 3.0]], grad=True)",
                "t(2, 5, dtype='i64')",
                "t(0, 5)",
            ],
        )
    )
    C.append(
        case(
            "{x}.diagonal({o}, {d1}, {d2})",
            x=["t(3, 4)", "t(2, 3, 4)", "t(3)", "t()", "t(0, 0)"],
            o=["0", "1", "-2", "5", "-5", "1.0", "None", "True"],
            d1=["0", "1", "-1", "2", "3"],
            d2=["1", "0", "-1", "2", "3", "-3"],
        )
    )
    C.append(
        case(
            "T.diagonal({x}, offset={o}, dim1={d1}, dim2={d2})",
            x=["t(3, 4)", "t(3)", "arr(3, 3)"],
            o=["0", "1", "1.5"],
            d1=["0", "1", "2"],
            d2=["1", "0", "'a'"],
        )
    )
    # diagonal is a view: writes through it reach the base
    C.append(
        case(
            "(lambda a: (a.diagonal({o}, {d1}, {d2}).{w}, a)[1])({x})",
            x=[
                "t(3, 4, grad=False)",
                "t(2, 3, 4, grad=False)",
                "t(3, 4, dtype='i64')",
                "t(3, 4)",
                "t(0, 0, grad=False)",
            ],
            o=["0", "1", "-2", "5"],
            d1=["0", "1", "-1"],
            d2=["1", "0", "2"],
            w=["mul_(2)", "add_(1.5)", "zero_()", "fill_(nan)", "copy_(t(3))", "clamp_(0, 1)"],
        )
    )
    # keyword forms
    C.append(
        case(
            "{x}.reshape({a})",
            x=["t(2, 6)", "t()", "t(0, 3)"],
            a=[
                "shape=(3, 4)",
                "shape=(-1,)",
                "shape=(-1, -1)",
                "shape=(5, -1)",
                "shape=[4, 3]",
                "shape=(3.0, 4)",
                "shape=12",
                "size=(3, 4)",
                "shape=(0, -1)",
                "shape=(-2, 6)",
                "shape=None",
                "shape=()",
            ],
        )
    )
    C.append(
        case(
            "{x}.view({a})",
            x=["t(2, 6)", "t(2, 6).t()", "t()"],
            a=[
                "size=(3, 4)",
                "(3, 4)",
                "size=(-1,)",
                "shape=(3, 4)",
                "size=(5, -1)",
                "size=[12]",
                "size=12",
                "dtype=f32",
                "size=(12.0,)",
                "size=None",
                "f64",
                "i64",
            ],
        )
    )
    C.append(
        case(
            "{x}.permute({a})",
            x=["t(2, 3, 4)", "t()", "t(2, 3)"],
            a=[
                "dims=(2, 0, 1)",
                "dims=[2, 0, 1]",
                "dims=(0, 0, 1)",
                "dims=(0, 1)",
                "dims=(0, 1, 3)",
                "dims=(-1, 0, 1)",
                "dims=(0.0, 1, 2)",
                "dims=None",
                "2, 0, 1",
                "(2, 0, 1)",
                "dims=()",
            ],
        )
    )
    C.append(
        case(
            "{x}.expand({a})",
            x=["t(1, 3)", "t(3)", "t()", "t(2, 3)"],
            a=[
                "size=(2, 3)",
                "size=(-1, 3)",
                "size=(4, 2, 3)",
                "size=(-1, -1, 3)",
                "size=(2,)",
                "size=(2, 4)",
                "size=[2, 3]",
                "size=(2.0, 3)",
                "size=None",
                "size=(0, 3)",
                "size=(-2, 3)",
                "2, 3",
                "(2, 3)",
                "size=()",
            ],
        )
    )
    C.append(
        case(
            "{x}.flip({a})",
            x=["t(2, 3)", "t()", "t(0, 3)"],
            a=[
                "dims=(0,)",
                "dims=[0, 1]",
                "dims=(0, 0)",
                "dims=(2,)",
                "dims=0",
                "dims=(-1,)",
                "dims=()",
                "dims=None",
                "dims=(0.0,)",
                "0",
                "(0, 1)",
            ],
        )
    )
    for name in ["repeat", "tile"]:
        kw = "repeats" if name == "repeat" else "dims"
        C.append(
            case(
                f"{{x}}.{name}({{a}})",
                x=["t(2, 3)", "t()", "t(0, 3)"],
                a=[
                    f"{kw}=(2, 1)",
                    f"{kw}=[2, 2]",
                    f"{kw}=(2,)",
                    f"{kw}=(2, 1, 3)",
                    f"{kw}=(0, 1)",
                    f"{kw}=(-1, 1)",
                    f"{kw}=(2.0, 1)",
                    f"{kw}=None",
                    f"{kw}=2",
                    "2, 1",
                    f"{kw}=()",
                ],
            )
        )
    # F.unfold / F.fold (torch's im2col) are not public here: fold is conv's internal primitive
    # embedding
    C.append(
        case(
            "F.embedding({i}, {w}, padding_idx={pi}, max_norm={mn}, norm_type={nt}, scale_grad_by_freq={sg})",
            i=[
                "idx(2, 3, high=5)",
                "idx(4, high=5)",
                "v([5])",
                "v([-1])",
                "v([0.0, 1.0])",
                "v([True])",
                "v(2)",
                "idx(0)",
                "v([0, 0, 1])",
                "[0, 1]",
                "None",
                "t(2, dtype='i64')",
                "v([[0, 4], [4, 0]])",
            ],
            w=[
                "t(5, 3)",
                "t(5)",
                "t(5, 3, 2)",
                "t()",
                "t(5, 3, dtype='f32')",
                "t(5, 3, dtype='i64')",
                "t(0, 3)",
                "arr(5, 3)",
                "t(5, 0)",
            ],
            pi=["None", "0", "4", "-1", "5", "-6", "1.0", "True"],
            mn=["None", "1.0", "0.0", "-1.0", "1"],
            nt=["2.0", "1.0", "inf", "0.5", "0.0"],
            sg=["False", "True"],
        )
    )
    C.append(
        case(
            "M(nn.Embedding({n}, {d}, padding_idx={pi}, max_norm={mn}))({i})",
            n=["5", "0", "-1", "5.0", "True", "None"],
            d=["3", "0", "-2", "3.0", "None"],
            pi=["None", "0", "-1", "5", "-6", "1.5"],
            mn=["None", "1.0", "-1.0"],
            i=["idx(2, 3, high=5)", "v([5])", "v([-1])", "v([0.5])", "t(2)"],
        )
    )
    C.append(
        case(
            "nn.Embedding.from_pretrained({w}, freeze={f}, padding_idx={pi})({i})",
            w=["t(5, 3)", "t(5)", "t(5, 3, 2)", "t(5, 3, dtype='i64')", "None", "arr(5, 3)"],
            f=["True", "False", "1"],
            pi=["None", "0", "-1", "5"],
            i=["idx(2, 3, high=5)", "v([5])", "v([-6])"],
        )
    )
    # norms
    C.append(
        case(
            "F.layer_norm({x}, {s}, {w}, {b}, eps={e})",
            x=[
                "t(2, 3, 4)",
                "t(4)",
                "t()",
                "t(0, 4)",
                "t(2, 0)",
                "t(2, 3, 4, dtype='i64')",
                "t(2, 3, 4, dtype='f32')",
                "v([[1.0, 1.0, 1.0, 1.0]], grad=True)",
                "v([[1.0, nan, 2.0, 3.0]], grad=True)",
                "arr(2, 3, 4)",
            ],
            s=[
                "(4,)",
                "4",
                "[3, 4]",
                "(3,)",
                "(2, 3, 4, 5)",
                "()",
                "(0,)",
                "(4.0,)",
                "None",
                "(-4,)",
                "t(1, dtype='i64')",
            ],
            w=["None", "t(4)", "t(3)", "t(3, 4)", "t(4, dtype='f32')", "t(4, dtype='i64')", "2.0"],
            b=["None", "t(4)", "t(5)", "t(1)", "'a'"],
            e=["1e-5", "0", "-1.0", "0.1", "'a'", "None", "inf"],
        )
    )
    C.append(
        case(
            "M(nn.LayerNorm({s}, eps={e}, elementwise_affine={ea}, bias={b}))({x})",
            s=["4", "(4,)", "(3, 4)", "0", "-4", "4.0", "None", "(0,)", "()"],
            e=["1e-5", "-1.0", "'a'"],
            ea=["True", "False", "1"],
            b=["True", "False"],
            x=["t(2, 3, 4)", "t(4)", "t(2, 5)", "t()", "t(0, 4)", "t(2, 3, 4, dtype='f32')"],
        )
    )
    C.append(
        case(
            "F.rms_norm({x}, {s}, {w}, eps={e})",
            x=[
                "t(2, 3, 4)",
                "t(4)",
                "t()",
                "t(0, 4)",
                "t(2, 0)",
                "t(2, 3, 4, dtype='i64')",
                "t(2, 3, 4, dtype='f32')",
                "v([[0.0, 0.0, 0.0, 0.0]], grad=True)",
                "v([[inf, 1.0, 1.0, 1.0]], grad=True)",
            ],
            s=["(4,)", "4", "[3, 4]", "(3,)", "()", "(4.0,)", "None", "(2, 3, 4, 5)"],
            w=["None", "t(4)", "t(3)", "t(4, dtype='f32')", "t(4, dtype='i64')"],
            e=["None", "1e-5", "0.0", "-1.0", "'a'"],
        )
    )
    C.append(
        case(
            "M(nn.RMSNorm({s}, eps={e}, elementwise_affine={ea}))({x})",
            s=["4", "(3, 4)", "0", "-4", "4.0", "None"],
            e=["None", "1e-5", "-1.0"],
            ea=["True", "False"],
            x=["t(2, 3, 4)", "t(4)", "t(2, 5)", "t()", "t(0, 4)"],
        )
    )
    C.append(
        case(
            "F.batch_norm({x}, {rm}, {rv}, {w}, {b}, training={tr}, momentum={mo}, eps={e})",
            x=[
                "t(4, 3)",
                "t(4, 3, 5)",
                "t(2, 3, 2, 2)",
                "t(3)",
                "t()",
                "t(1, 3)",
                "t(0, 3)",
                "t(4, 0)",
                "t(4, 3, dtype='i64')",
                "t(4, 3, dtype='f32')",
                "v([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]], grad=True)",
                "t(2, 3, 2, 2, 2, 2)",
            ],
            rm=[
                "v([0.0, 0.0, 0.0])",
                "None",
                "v([0.0, 0.0])",
                "v([0.0, 0.0, 0.0], dtype='f32')",
                "v([0, 0, 0])",
                "v([[0.0, 0.0, 0.0]])",
                "v([nan, 0.0, 0.0])",
            ],
            rv=[
                "v([1.0, 1.0, 1.0])",
                "None",
                "v([1.0, 1.0])",
                "v([-1.0, 1.0, 1.0])",
                "v([1, 1, 1])",
            ],
            w=["None", "t(3)", "t(4)", "t(3, dtype='f32')"],
            b=["None", "t(3)", "t(2)"],
            tr=["False", "True", "1", "None"],
            mo=["0.1", "0.0", "1.0", "-0.5", "2.0", "None", "'a'"],
            e=["1e-5", "0.0", "-1.0", "'a'"],
        )
    )
    for nd, shapes in [
        ("1d", ["t(4, 3)", "t(4, 3, 5)", "t(3)", "t(2, 3, 4, 4)", "t(1, 3)", "t(0, 3)", "t(4, 2)"]),
        (
            "2d",
            [
                "t(2, 3, 4, 4)",
                "t(3, 4, 4)",
                "t(2, 3, 4)",
                "t(1, 3, 1, 1)",
                "t(0, 3, 2, 2)",
                "t(2, 2, 4, 4)",
            ],
        ),
        (
            "3d",
            [
                "t(2, 3, 2, 2, 2)",
                "t(3, 2, 2, 2)",
                "t(2, 3, 2, 2)",
                "t(1, 3, 1, 1, 1)",
                "t(2, 3, 0, 2, 2)",
            ],
        ),
    ]:
        for cls in ["BatchNorm", "InstanceNorm"]:
            C.append(
                case(
                    f"M(nn.{cls}{nd}({{c}}, eps={{e}}, momentum={{mo}}, affine={{af}}, track_running_stats={{tr}})){{mode}}({{x}})",
                    c=["3", "0", "-3", "3.0", "None", "True", "2"],
                    e=["1e-5", "0.0", "-1.0"],
                    mo=["0.1", "None", "-1.0", "2.0"],
                    af=["True", "False"],
                    tr=["True", "False"],
                    mode=["", ".eval()", ".train()"],
                    x=shapes
                    + [s.replace(")", ", dtype='f32')") for s in shapes[:1]]
                    + [s.replace(")", ", dtype='i64')") for s in shapes[:1]],
                )
            )
    C.append(
        case(
            "F.instance_norm({x}, {rm}, {rv}, {w}, {b}, use_input_stats={u}, momentum={mo}, eps={e})",
            x=[
                "t(2, 3, 5)",
                "t(2, 3, 2, 2)",
                "t(3, 5)",
                "t(2, 3)",
                "t(2, 3, 1)",
                "t(0, 3, 5)",
                "t(2, 0, 5)",
                "t(2, 3, 0)",
                "t(2, 3, 5, dtype='i64')",
            ],
            rm=["None", "v([0.0, 0.0, 0.0])", "v([0.0, 0.0])"],
            rv=["None", "v([1.0, 1.0, 1.0])", "v([1.0])"],
            w=["None", "t(3)", "t(2)"],
            b=["None", "t(3)", "t(6)"],
            u=["True", "False"],
            mo=["0.1", "-1.0", "None"],
            e=["1e-5", "-1.0", "0.0"],
        )
    )
    C.append(
        case(
            "F.group_norm({x}, {g}, {w}, {b}, eps={e})",
            x=[
                "t(2, 6, 3)",
                "t(2, 6)",
                "t(2, 6, 2, 2)",
                "t(6)",
                "t()",
                "t(0, 6, 3)",
                "t(2, 0, 3)",
                "t(2, 6, 0)",
                "t(2, 6, 3, dtype='i64')",
                "t(2, 6, 3, dtype='f32')",
                "t(1, 6, 1)",
            ],
            g=["2", "3", "1", "6", "4", "0", "-2", "12", "2.0", "None", "True"],
            w=["None", "t(6)", "t(3)", "t(6, dtype='f32')"],
            b=["None", "t(6)", "t(2)"],
            e=["1e-5", "0.0", "-1.0", "'a'"],
        )
    )
    C.append(
        case(
            "M(nn.GroupNorm({g}, {c}, eps={e}, affine={af}))({x})",
            g=["2", "3", "0", "4", "-2", "2.0", "None"],
            c=["6", "0", "5", "-6", "6.0"],
            e=["1e-5", "-1.0"],
            af=["True", "False"],
            x=["t(2, 6, 3)", "t(2, 6)", "t(6)", "t(2, 4, 3)", "t(0, 6)"],
        )
    )
    # prelu
    C.append(
        case(
            "F.prelu({x}, {w})",
            x=[
                "t(2, 3, 4)",
                "t(3)",
                "t()",
                "t(0, 3)",
                "t(2, 3, dtype='i64')",
                "t(2, 3, dtype='f32')",
                "v([0.0, -0.0, nan, -inf])",
                "arr(2, 3)",
            ],
            w=[
                "t(1)",
                "t(3)",
                "t()",
                "t(4)",
                "t(2)",
                "t(3, 1)",
                "t(1, dtype='f32')",
                "t(3, dtype='i64')",
                "0.25",
                "None",
                "t(0)",
            ],
        )
    )
    C.append(
        case(
            "M(nn.PReLU({n}, init={i}))({x})",
            n=["1", "3", "0", "-1", "3.0", "None"],
            i=["0.25", "-1", "'a'", "None"],
            x=["t(2, 3, 4)", "t(3)", "t()", "t(2, 4)", "t(0, 3)", "t(2, 3, dtype='f32')"],
        )
    )
    # pad
    C.append(
        case(
            "F.pad({x}, {p}, mode={m}, value={val})",
            x=[
                "t(2, 3, 4)",
                "t(3, 4)",
                "t(4)",
                "t()",
                "t(1, 2, 3, 4)",
                "t(1, 2, 2, 3, 4)",
                "t(2, 0, 4)",
                "t(2, 3, 0)",
                "t(2, 3, 4, dtype='i64')",
                "t(2, 3, 4, dtype='bool')",
                "t(2, 3, 4, dtype='f32')",
                "arr(2, 3, 4)",
            ],
            p=[
                "(1, 2)",
                "(1, 1, 1, 1)",
                "(0, 0)",
                "(-1, 2)",
                "(-2, -2)",
                "(4, 4)",
                "(3, 3)",
                "(5, 0)",
                "(1,)",
                "(1, 2, 3)",
                "(1, 1, 1, 1, 1, 1)",
                "(1, 1, 1, 1, 1, 1, 1, 1)",
                "[1, 2]",
                "(1.0, 2)",
                "1",
                "None",
                "()",
                "(True, 1)",
                "(-5, 0)",
            ],
            m=[
                "'constant'",
                "'reflect'",
                "'replicate'",
                "'circular'",
                "'zeros'",
                "'wrap'",
                "None",
                "'Reflect'",
            ],
            val=["None", "0.0", "1.5", "nan", "'a'", "-inf", "2", "True"],
        )
    )
    for nd, xs in [
        ("1d", ["t(2, 3, 4)", "t(3, 4)", "t(4)", "t(2, 3, 0)"]),
        ("2d", ["t(1, 2, 3, 4)", "t(2, 3, 4)", "t(3, 4)"]),
        ("3d", ["t(1, 2, 2, 3, 4)", "t(2, 2, 3, 4)", "t(2, 3, 4)"]),
    ]:
        for cls in ["Zero", "Reflection", "Replication", "Circular"]:
            C.append(
                case(
                    f"nn.{cls}Pad{nd}({{p}})({{x}})",
                    p=[
                        "1",
                        "2",
                        "0",
                        "-1",
                        "4",
                        "(1, 2)" if nd == "1d" else "(1, 1, 1, 1)",
                        "(1, 2, 3)",
                        "1.0",
                        "None",
                        "'a'",
                        "[1, 1]",
                        "True",
                        "(1, 1, 1, 1, 1, 1)",
                    ],
                    x=[*xs, xs[0].replace(")", ", dtype='i64')")],
                )
            )
        C.append(
            case(
                f"nn.ConstantPad{nd}({{p}}, {{val}})({{x}})",
                p=["1", "0", "-1", "(1, 2)", "1.0", "None"],
                val=["1.5", "nan", "'a'", "None", "2"],
                x=xs,
            )
        )
    # conv
    C.append(
        case(
            "F.conv2d({x}, {w}, {b}, stride={s}, padding={p}, dilation={d}, groups={g})",
            x=[
                "t(2, 4, 5, 5)",
                "t(4, 5, 5)",
                "t(2, 4, 5)",
                "t(5, 5)",
                "t()",
                "t(0, 4, 5, 5)",
                "t(2, 0, 5, 5)",
                "t(2, 4, 0, 5)",
                "t(2, 4, 2, 2)",
                "t(2, 4, 5, 5, dtype='f32')",
                "t(2, 4, 5, 5, dtype='i64')",
                "t(2, 3, 5, 5)",
                "arr(2, 4, 5, 5)",
                "v([[[[nan, 1.0, inf], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]]], grad=True)",
            ],
            w=[
                "t(6, 4, 3, 3)",
                "t(6, 2, 3, 3)",
                "t(6, 4, 3)",
                "t(6, 4, 3, 3, 3)",
                "t(6, 4, 6, 6)",
                "t(0, 4, 3, 3)",
                "t(6, 4, 0, 3)",
                "t(6, 4, 3, 3, dtype='f32')",
                "t(6, 4, 3, 3, dtype='i64')",
                "t(5, 4, 3, 3)",
                "t(6, 1, 3, 3)",
                "None",
            ],
            b=["None", "t(6)", "t(5)", "t(1, 6)", "t(6, dtype='f32')", "t()", "2.0"],
            s=[
                "1",
                "2",
                "(1, 2)",
                "0",
                "-1",
                "(1,)",
                "(1, 1, 1)",
                "1.5",
                "None",
                "True",
                "'a'",
                "[2, 1]",
            ],
            p=[
                "0",
                "1",
                "(1, 0)",
                "-1",
                "'same'",
                "'valid'",
                "'full'",
                "3",
                "(1,)",
                "1.0",
                "None",
                "'Same'",
            ],
            d=["1", "2", "0", "-1", "(2, 1)", "3"],
            g=["1", "2", "3", "0", "-1", "6", "4", "2.0", "True"],
        )
    )
    C.append(
        case(
            "F.conv1d({x}, {w}, {b}, stride={s}, padding={p}, dilation={d}, groups={g})",
            x=[
                "t(2, 4, 7)",
                "t(4, 7)",
                "t(2, 4, 5, 5)",
                "t(7)",
                "t(0, 4, 7)",
                "t(2, 4, 0)",
                "t(2, 4, 2)",
                "t(2, 4, 7, dtype='f32')",
                "t(2, 4, 7, dtype='i64')",
            ],
            w=[
                "t(6, 4, 3)",
                "t(6, 2, 3)",
                "t(6, 4)",
                "t(6, 4, 3, 3)",
                "t(6, 4, 8)",
                "t(6, 4, 0)",
                "t(6, 4, 3, dtype='f32')",
            ],
            b=["None", "t(6)", "t(5)"],
            s=["1", "2", "0", "-1", "(2,)", "(1, 1)", "1.5"],
            p=["0", "1", "'same'", "'valid'", "-1", "(1,)", "(1, 1)", "4"],
            d=["1", "2", "0", "-1"],
            g=["1", "2", "0", "3", "-1"],
        )
    )
    C.append(
        case(
            "M(nn.Conv2d({ci}, {co}, {k}, stride={s}, padding={p}, dilation={d}, groups={g}, bias={b}, padding_mode={pm}))({x})",
            ci=["4", "0", "-4", "3", "4.0"],
            co=["6", "0", "-6", "5", "6.0"],
            k=["3", "(3, 2)", "0", "-1", "(3,)", "6", "3.0", "None"],
            s=["1", "2", "0", "(1, 2)"],
            p=["0", "1", "'same'", "'valid'", "-1", "'full'", "(1, 2)"],
            d=["1", "2", "0"],
            g=["1", "2", "0", "3", "4"],
            b=["True", "False"],
            pm=["'zeros'", "'reflect'", "'replicate'", "'circular'", "'constant'", "'x'"],
            x=[
                "t(2, 4, 5, 5)",
                "t(4, 5, 5)",
                "t(2, 3, 5, 5)",
                "t(2, 4, 2, 2)",
                "t(0, 4, 5, 5)",
                "t(2, 4, 5, 5, dtype='f32')",
            ],
        )
    )
    C.append(
        case(
            "M(nn.Conv1d({ci}, {co}, {k}, stride={s}, padding={p}, dilation={d}, groups={g}, bias={b}, padding_mode={pm}))({x})",
            ci=["4", "0", "3"],
            co=["6", "0", "5"],
            k=["3", "0", "(3,)", "(3, 3)", "8"],
            s=["1", "2", "0"],
            p=["0", "1", "'same'", "-1"],
            d=["1", "2", "0"],
            g=["1", "2", "3"],
            b=["True", "False"],
            pm=["'zeros'", "'reflect'", "'replicate'", "'circular'", "'x'"],
            x=["t(2, 4, 7)", "t(4, 7)", "t(2, 3, 7)", "t(2, 4, 2)", "t(2, 4, 5, 5)"],
        )
    )
    # pooling
    C.append(
        case(
            "F.max_pool2d({x}, {k}, stride={s}, padding={p}, dilation={d}, ceil_mode={c}, return_indices={r})",
            x=[
                "t(2, 3, 6, 6)",
                "t(3, 6, 6)",
                "t(6, 6)",
                "t(2, 3, 6)",
                "t(0, 3, 6, 6)",
                "t(2, 0, 6, 6)",
                "t(2, 3, 0, 6)",
                "t(2, 3, 6, 6, dtype='f32')",
                "t(2, 3, 6, 6, dtype='i64')",
                "t(2, 3, 6, 6, dtype='bool')",
                "t(1, 1, 1, 1)",
                "v([[[[nan, 1.0], [1.0, 1.0]]]], grad=True)",
                "v([[[[-inf, -inf], [-inf, -inf]]]], grad=True)",
                "v([[[[1.0, 1.0], [1.0, 1.0]]]], grad=True)",
            ],
            k=[
                "2",
                "(2, 3)",
                "1",
                "0",
                "-1",
                "7",
                "(2,)",
                "(2, 2, 2)",
                "2.0",
                "None",
                "True",
                "[2, 2]",
            ],
            s=["None", "1", "2", "0", "-1", "(1, 2)", "()", "[]", "2.0", "3"],
            p=["0", "1", "(1, 0)", "2", "-1", "(1,)", "1.0"],
            d=["1", "2", "0", "-1", "(2, 1)"],
            c=["False", "True", "1"],
            r=["False", "True"],
        )
    )
    C.append(
        case(
            "F.max_pool1d({x}, {k}, stride={s}, padding={p}, dilation={d}, ceil_mode={c}, return_indices={r})",
            x=[
                "t(2, 3, 7)",
                "t(3, 7)",
                "t(7)",
                "t(2, 3, 6, 6)",
                "t(0, 3, 7)",
                "t(2, 3, 0)",
                "t(2, 3, 7, dtype='i64')",
                "v([[nan, 1.0, 2.0, nan]], grad=True)",
            ],
            k=["2", "3", "1", "0", "-1", "8", "(2,)", "(2, 2)", "2.0", "None"],
            s=["None", "1", "2", "0", "-1", "(2,)", "5"],
            p=["0", "1", "2", "-1"],
            d=["1", "2", "0"],
            c=["False", "True"],
            r=["False", "True"],
        )
    )
    for nd, xs in [
        (
            "2d",
            [
                "t(2, 3, 6, 6)",
                "t(3, 6, 6)",
                "t(6, 6)",
                "t(0, 3, 6, 6)",
                "t(2, 3, 0, 6)",
                "t(2, 3, 6, 6, dtype='i64')",
                "t(2, 3, 6, 6, dtype='f32')",
                "v([[[[nan, 1.0], [inf, 1.0]]]], grad=True)",
            ],
        ),
        (
            "1d",
            [
                "t(2, 3, 7)",
                "t(3, 7)",
                "t(7)",
                "t(0, 3, 7)",
                "t(2, 3, 0)",
                "t(2, 3, 7, dtype='i64')",
            ],
        ),
    ]:
        extra = ", divisor_override={dv}" if nd == "2d" else ""
        slots: dict[str, list[str]] = dict(
            x=xs,
            k=[
                "2",
                "3",
                "1",
                "0",
                "-1",
                "8",
                "(2, 3)" if nd == "2d" else "(2,)",
                "(2, 2, 2)",
                "2.0",
                "None",
            ],
            s=["None", "1", "2", "0", "-1", "(1, 2)" if nd == "2d" else "(1,)", "9"],
            p=["0", "1", "2", "-1", "(1, 0)" if nd == "2d" else "(1,)"],
            c=["False", "True"],
            ci=["True", "False", "1"],
        )
        if nd == "2d":
            slots["dv"] = ["None", "2", "0", "-1", "2.5", "True"]
        C.append(
            case(
                f"F.avg_pool{nd}({{x}}, {{k}}, stride={{s}}, padding={{p}}, ceil_mode={{c}}, count_include_pad={{ci}}{extra})",
                **slots,
            )
        )
        C.append(
            case(
                f"F.adaptive_avg_pool{nd}({{x}}, {{o}})",
                x=xs,
                o=[
                    "2",
                    "(2, 3)" if nd == "2d" else "(2,)",
                    "1",
                    "0",
                    "-1",
                    "7",
                    "12",
                    "(None, 2)" if nd == "2d" else "None",
                    "(2, 2, 2)",
                    "2.0",
                    "'a'",
                    "None",
                    "[2, 2]",
                    "(0, 2)",
                    "True",
                ],
            )
        )
    for cls, nd in [
        ("MaxPool2d", "2d"),
        ("AvgPool2d", "2d"),
        ("MaxPool1d", "1d"),
        ("AvgPool1d", "1d"),
        ("AdaptiveAvgPool2d", "2d"),
        ("AdaptiveAvgPool1d", "1d"),
    ]:
        xs = (
            ["t(2, 3, 6, 6)", "t(3, 6, 6)", "t(6, 6)", "t(0, 3, 6, 6)"]
            if nd == "2d"
            else ["t(2, 3, 7)", "t(3, 7)", "t(7)", "t(2, 3, 0)"]
        )
        C.append(
            case(
                f"nn.{cls}({{k}})({{x}})",
                k=["2", "3", "0", "-1", "(2, 2)", "(2,)", "2.0", "None", "'a'", "9"],
                x=xs,
            )
        )
    return C


if __name__ == "__main__":
    audit_main(build_cases, extra=30, mix_seed=20261126)

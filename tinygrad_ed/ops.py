"""The op table: every primitive declared once.

Each entry gives the forward on numpy arrays, one derivative rule (a vector-Jacobian product,
"VJP") per input, and the facts the tests need. Notation: ``g = ∂F/∂out`` is the adjoint arriving
from the consumers of ``out``; a VJP returns ``x̄ = ∂F/∂x``.

Rules for rules:
- A VJP takes ``(g, out, *inputs, **kwargs)`` as Tensors and returns a Tensor *as if shapes
  matched*: the engine sums every gradient back to its input's shape (``autograd.sum_to``), so no
  rule here undoes broadcasting.
- VJPs are written in Tensor ops, so ``backward(create_graph=True)`` differentiates them again;
  masks and constants may be plain numpy.
- Arrays are positional, metadata keyword-only and already normalised by ``tensor.py``
  (``dim`` is a tuple of non-negative ints, shapes are tuples).
- Test facts are plain data: ``kind`` picks the input strategy, ``domain``/``avoid`` keep samples
  inside the domain and away from kinks and poles, ``distinct`` keeps values apart where ties
  would be kinks, ``params`` fixes keyword arguments for the tests.
- ``reads`` says which values each rule reads, so that backward refuses only an in-place change
  of a value a rule it runs would read (as torch saves only those). A shape or dtype is not a
  value: in-place updates change neither. A test calls every rule with the unread values
  replaced, so a declaration that leaves out a value the rule reads fails.
- Two optional forms of a rule serve backward without a recorded graph, where the rule alone
  would cost more than its result: ``vjp_into`` adds x̄ into an array in place (``x[i]``: rows
  of one tensor sum into one array, not one array of x's size each), ``vjp_all`` gives a
  variadic op's every x̄ in one call (cat). Tests check each against the rule it stands for.

This module imports only numpy at run time; the VJPs call methods of the Tensors they receive.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _ctc_kernels as _ctc
from . import _grid_kernels as _grid
from . import _special_kernels as _sk

if TYPE_CHECKING:
    from .tensor import Tensor

Forward = Callable[..., np.ndarray]
Vjp = Callable[..., "Tensor | None"]  # None: no gradient (a custom Function may say so)

KINDS = (
    "linear",
    "loss",
    "loss_backward",
    "ctc",
    "sample",
    "implicit",  # a random variate as a function of its parameter and fixed uniform noise
    "unary",
    "binary",
    "where",
    "reduce",
    "reduce_one",
    "softmax",
    "scan",
    "matmul",
    "contract",
    "reshape",
    "permute",
    "expand",
    "diagonal",
    "index",
    "scatter",
    "join",
    "square",
    "solve",
    "spd",
    "hermitian",
    "spectral",
    "window",
    "fold",
    "cast",
    "function",  # a user's autograd.Function: never in the table, tested by its user
)


OUT = "out"  # in ``reads``: the rule reads the op's output
INPUTS = "inputs"  # in a variadic op's ``reads``: its rule reads every input (they have no names)
OTHERS = "others"  # in a variadic op's ``reads``: the rule for input i reads every input but i


def _input_names(rule: Vjp) -> tuple[str, ...]:
    """The names a rule gives the inputs: its positional parameters after ``g`` and ``out``."""
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    params = [p.name for p in inspect.signature(rule).parameters.values() if p.kind in kinds]
    return tuple(params[2:])


@dataclass(frozen=True)
class OpDef:
    """One primitive: forward, derivative rules, documentation and test facts."""

    name: str
    forward: Forward
    vjps: tuple[Vjp | None, ...]
    math: str  # forward and adjoints in adjoint notation, for docs and the explorer
    kind: str
    grad_fn_name: str = ""
    domain: tuple[tuple[float, float], ...] = ()
    avoid: tuple[tuple[float, ...], ...] = ()
    distinct: bool = False
    params: dict[str, Any] = field(default_factory=dict)
    convention: str = ""
    variadic: bool = False  # one rule for any number of inputs, told its input's index
    # Whether the output can be a view of input 0's memory: "always" or "maybe" (numpy copies
    # when it must). Views share their base's count of in-place updates, as torch's do.
    view: str = ""
    # The values each rule reads, one entry per rule (one for a variadic op): inputs by the rule's
    # parameter name or by position, and "out" for the output. None: every input and the output,
    # the safe default for an op that does not say.
    reads: tuple[tuple[str | int, ...], ...] | None = None
    # ``reads`` resolved: input positions and OUT, per rule (None: everything).
    _reads: tuple[frozenset[int | str], ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    # No rule reads a value, only shapes and dtypes: a node of this op saves no tensors, so (as
    # in torch) backward may run it again after the graph was released. Derived from ``reads``
    # when not given; never derived for a custom Function, whose rule reads the tensors its ctx
    # saved, which ``reads`` does not list (its entries say, as they know what was saved).
    reads_nothing: bool | None = field(default=None, repr=False, compare=False)
    # Some rule reads the output's values (derived from ``reads``): else backward hands the
    # rules the adjoint in its place, which has the output's shape and dtype, and makes no
    # Tensor of the output.
    reads_out: bool = field(default=True, init=False, repr=False, compare=False)
    # A decomposition's vectors are defined up to sign: ``gauge(out, ref, shape)`` (shape: the
    # input's) gives the ±1 factors that turn the signs in ``out`` into those of a nearby
    # ``ref``, so that finite differences see one smooth branch where LAPACK may flip a sign.
    gauge: Callable[[np.ndarray, np.ndarray, tuple[int, ...]], np.ndarray] | None = field(
        default=None, repr=False, compare=False
    )
    # Where torch names a node by its arguments (getitem: SelectBackward, SliceBackward, …):
    # ``naming(kwargs, input_shape)`` gives ``grad_fn.name()``; read only when a name is asked.
    naming: Callable[[dict[str, Any], tuple[int, ...]], str] | None = field(
        default=None, repr=False, compare=False
    )
    # Rule 0 in accumulating form, on arrays, for a backward that records nothing:
    # ``vjp_into(buffer, g, **kwargs)`` adds x̄ for the adjoint g into ``buffer`` (x's shape) in
    # place. Backward sums the adjoints of many such nodes of one input (x[0], x[1], …: unbind,
    # split, a loop over rows) into one array in time of their sizes, where the rule makes an
    # array of x's size for each: n·size for n rows, as torch's one UnbindBackward node avoids.
    vjp_into: Callable[..., None] | None = field(default=None, repr=False, compare=False)
    # A variadic op's rule for every input at once, ``vjp_all(g, out, *inputs, **kwargs)`` → one
    # x̄ per input, the values of ``vjps[0]`` told each index: backward calls it once per node,
    # where a rule that must locate its input among n (cat's offset: a sum over the inputs
    # before it) would cost n² for n inputs.
    vjp_all: Callable[..., tuple[Tensor | None, ...]] | None = field(
        default=None, repr=False, compare=False
    )
    # Whether it has either (derived): backward asks this once per node.
    shortcut: bool = field(default=False, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"op {self.name}: unknown kind {self.kind!r}")
        shortcut = self.vjp_into is not None or self.vjp_all is not None
        object.__setattr__(self, "shortcut", shortcut)
        if not self.grad_fn_name:
            camel = "".join(part.capitalize() for part in self.name.split("_"))
            object.__setattr__(self, "grad_fn_name", f"{camel}Backward")
        if self.reads is not None:
            resolved = self._resolve(self.reads)
            object.__setattr__(self, "_reads", resolved)
            if self.reads_nothing is None:
                derived = self.kind != "function" and not any(resolved)
                object.__setattr__(self, "reads_nothing", derived)
            # A custom Function's rule tells its visits apart by the output Tensor it is given.
            reads_out = self.kind == "function" or any(OUT in r for r in resolved)
            object.__setattr__(self, "reads_out", reads_out)
        elif self.reads_nothing is None:
            object.__setattr__(self, "reads_nothing", False)

    def _resolve(
        self, reads: tuple[tuple[str | int, ...], ...]
    ) -> tuple[frozenset[int | str], ...]:
        """Input names to positions, checked against each rule's own parameters."""
        if len(reads) != len(self.vjps):
            raise ValueError(
                f"op {self.name}: reads has {len(reads)} entries for {len(self.vjps)} rules"
            )
        resolved = []
        for rule, names in zip(self.vjps, reads):
            params = _input_names(rule) if rule is not None else ()
            values: set[int | str] = set()
            for name in names:
                if name == OUT:
                    values.add(OUT)
                    if self.view:  # the output is input 0's memory: a change there is stamped on it
                        values.add(0)
                elif (name in (INPUTS, OTHERS) and self.variadic) or (
                    isinstance(name, int) and not self.variadic and 0 <= name < len(params)
                ):
                    values.add(name)
                elif isinstance(name, str) and name in params:
                    values.add(params.index(name))
                else:
                    raise ValueError(
                        f"op {self.name}: its rule reads {name!r}, which is not 'out' or one of "
                        f"its inputs {params}"
                    )
            if rule is None and values:
                raise ValueError(f"op {self.name}: a missing rule reads nothing")
            resolved.append(frozenset(values))
        return tuple(resolved)

    def input_names(self) -> tuple[str, ...]:
        """The names the first rule gives the inputs (empty for a variadic op), for messages."""
        rule = next((r for r in self.vjps if r is not None), None)
        return () if rule is None else _input_names(rule)

    def reads_of(self, i: int, n: int) -> frozenset[int | str]:
        """What rule i reads of an application to n inputs: positions, and OUT for the output."""
        if self._reads is None:
            return frozenset((*range(n), OUT))
        reads = self._reads[0 if self.variadic else i]
        if OTHERS in reads:
            return reads | frozenset(j for j in range(n) if j != i)
        return reads | frozenset(range(n)) if INPUTS in reads else reads

    def domain_of(self, i: int) -> tuple[float, float]:
        """Where the tests sample input i (default [-2, 2])."""
        return self.domain[i] if i < len(self.domain) else (-2.0, 2.0)

    def avoid_of(self, i: int) -> tuple[float, ...]:
        """Points (kinks, poles) the tests keep input i away from."""
        return self.avoid[i] if i < len(self.avoid) else ()


OPS: dict[str, OpDef] = {}


def register(op: OpDef) -> OpDef:
    if op.name in OPS:
        raise ValueError(f"op {op.name} registered twice")
    OPS[op.name] = op
    return op


# ----------------------------------------------------------------------------- helpers


def _keepdim_shape(shape: tuple[int, ...], dim: tuple[int, ...]) -> tuple[int, ...]:
    """The shape of a reduction over ``dim`` with keepdim=True."""
    return tuple(1 if i in dim else s for i, s in enumerate(shape))


def _unreduce(g: Tensor, x: Tensor, dim: tuple[int, ...]) -> Tensor:
    """Give a reduced adjoint its reduced axes back (size 1), ready to broadcast against x."""
    return g.reshape(_keepdim_shape(x.shape, dim))


# ----------------------------------------------------------------------------- quiet forwards


def _quiet(f: Callable[..., np.ndarray]) -> Forward:
    """numpy's ``f`` without its RuntimeWarnings: its nan (outside the domain, ∞ − ∞, 0·∞) and
    ±∞ (overflow, poles) are the intended values, which torch returns silently. Only for the
    ops that meet poles or domain edges: ``np.errstate`` costs about 1 µs a call, so add, sub,
    mul, tanh and relu (the training hot path) go without it and rely on the warnings filter
    the package installs at import (``_ignore_float_warnings``), which pytest and filters the
    user adds later can undo; this errstate holds whatever the filters say."""

    def forward(*arrays: np.ndarray, **kwargs: Any) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.asarray(f(*arrays, **kwargs))

    forward.__name__ = f"quiet_{getattr(f, '__name__', 'f')}"
    return forward


# ----------------------------------------------------------------------------- elementwise, binary

register(
    OpDef(
        "add",
        np.add,
        (lambda g, out, x, y: g, lambda g, out, x, y: g),
        "out = x + y;  x̄ = g;  ȳ = g",
        "binary",
        reads=((), ()),
    )
)
register(
    OpDef(
        "sub",
        np.subtract,
        (lambda g, out, x, y: g, lambda g, out, x, y: -g),
        "out = x − y;  x̄ = g;  ȳ = −g",
        "binary",
        reads=((), ()),
    )
)
register(
    OpDef(
        "mul",
        np.multiply,
        (lambda g, out, x, y: g * y, lambda g, out, x, y: g * x),
        "out = x·y;  x̄ = g·y;  ȳ = g·x",
        "binary",
        reads=(("y",), ("x",)),
    )
)
register(
    OpDef(
        "div",
        _quiet(np.divide),
        # (ȳ from x and y, as torch's rule: saving x and y rather than out lets a later in-place
        # change of out pass, as there; z = x / y; z += 1 is common)
        (lambda g, out, x, y: g / y, lambda g, out, x, y: -g * (x / y) / y),
        "out = x / y;  x̄ = g / y;  ȳ = −g·(x / y) / y",
        "binary",
        reads=(("y",), ("x", "y")),
        domain=((-2.0, 2.0), (-2.0, 2.0)),
        avoid=((), (0.0,)),
    )
)


def _pow_x(g: Tensor, out: Tensor, x: Tensor, y: Tensor) -> Tensor:
    # x⁰ = 1 is constant, so its derivative is 0 even at x = 0, where y·xʸ⁻¹ is 0·∞ = nan.
    # Only that point is replaced: elsewhere y·xʸ⁻¹ is already 0 at y = 0 and, unlike a
    # constant, still has the right derivative in y (for second derivatives). There x is a
    # stand-in 1, so that the unchosen branch's own derivative is not ∞ (0·∞ = nan again).
    nonzero = y.data != 0
    keep = nonzero | (x.data != 0)
    if not nonzero.all():
        if not y.requires_grad:
            # A constant exponent 0: x̄ is the constant 0 there (torch's zeros for it), so g is
            # dropped by a selection, not multiplied by 0: under create_graph the next pass sends
            # g the adjoint of x̄ times 0, nan where that adjoint is ±∞ or nan (an lp_pool's at a
            # 0 window: s30 focus seed 67803, an atan2 of (|y| + ½)⁰ whose ō turned nan)
            g = g._keep(nonzero)
        elif not _surely_finite(g.data):
            # torch's x̄ is 0 at y = 0 whatever g, a selection: a g of ±∞ or nan (a write over
            # an acos(1)'s ∞ adjoint) is dropped there, as g·0 would be nan (in-place focus seed
            # 399712)
            g = g._keep(nonzero | np.isfinite(g.data))
    return g * (y * x.where(keep, 1.0) ** (y - 1.0)).where(keep, 0.0)


def _pow_y(g: Tensor, out: Tensor, x: Tensor, y: Tensor) -> Tensor:
    # 0ʸ is 0 (or 1 at y = 0) for every y ≥ 0 near y, so ȳ = 0 there, not out·ln 0 = 0·(−∞) = nan.
    return g * (out * x.log()).where((x.data != 0) | (y.data < 0), 0.0)


register(
    OpDef(
        "pow",
        _quiet(np.power),
        (_pow_x, _pow_y),
        "out = xʸ;  x̄ = g·y·xʸ⁻¹;  ȳ = g·out·ln x",
        "binary",
        reads=(("x", "y"), ("x", "y", "out")),
        domain=((0.2, 2.0), (-2.0, 2.0)),
        convention="at x = 0: x̄ = 0 if y = 0, ȳ = 0 if y ≥ 0 (torch's values; 0·∞ would give nan)",
    )
)


def _select(g: Tensor, keep: np.ndarray) -> Tensor:
    """g where ``keep``, else 0: a selection, as torch's rules for relu, clamp, where, maximum
    and minimum are. A large float32 g goes to the where op, which selects its bits
    (``_keep_bits``): exact, and from 8192 elements on (measured) faster than the finiteness
    check and the product together. Otherwise a finite g is multiplied by the 0/1 mask, a
    branch-free product about 9 times faster than numpy's where on a random mask; an infinite
    or nan g takes the where (the product would give ∞·0 = nan where the mask is 0). So does a
    g that requires grad (under ``create_graph``): the product would be recorded, and its rule
    would multiply the next pass's adjoint by the mask, a nan or ±∞ one giving nan where torch's
    selection gives 0 (in-place focus seed 197066: a write over a pow's nan)."""
    d = g.data
    if d.size >= 8192 and d.dtype.char == "f" and _both_c_order(keep, d):
        return g._keep(keep)
    if not g._requires_grad and _surely_finite(d):
        return g._times_mask(keep)
    return g._keep(keep)


def _both_c_order(keep: np.ndarray, d: np.ndarray) -> bool:
    return keep.shape == d.shape and keep.flags.c_contiguous and d.flags.c_contiguous


def _surely_finite(a: np.ndarray) -> bool:
    """True only if every element of ``a`` is finite. For float32/64 that is one BLAS dot, a·a,
    half the time of ``isfinite(a).all()``: a·a is nan or ∞ if an element is, and overflows
    only past ~1e19 (float32), where a False merely sends the caller to its exact path.
    ``vdot``, because ``dot`` and ``@`` warn on that overflow."""
    if a.dtype.char in "fd" and (a.flags.c_contiguous or a.flags.f_contiguous):
        flat = a.ravel(order="K")  # a view: the array is contiguous in one order or the other
        return math.isfinite(np.vdot(flat, flat))
    return bool(np.isfinite(a).all())


def _tie_split(g: Tensor, first: np.ndarray, second: np.ndarray, first_wins: np.ndarray) -> Tensor:
    """g where ``first`` wins, g/2 on ties, 0 where it loses (torch's maximum/minimum). As in
    torch, "wins" is "does not lose", so where either is nan both get g."""
    ties = first == second
    if not ties.any():  # the usual case: a plain selection
        return _select(g, first_wins)
    share = np.where(ties, 0.5, first_wins).astype(np.result_type(first, second))
    return _select(g, share != 0) * share


register(
    OpDef(
        "maximum",
        np.maximum,
        (
            lambda g, out, x, y: _tie_split(g, x.data, y.data, ~(x.data < y.data)),
            lambda g, out, x, y: _tie_split(g, y.data, x.data, ~(y.data < x.data)),
        ),
        "out = max(x, y);  x̄ = g·[x ≮ y];  ȳ = g·[y ≮ x]  (ties: ½ each)",
        "binary",
        reads=(("x", "y"), ("x", "y")),
        distinct=True,
        convention="ties split the gradient ½ / ½; a nan in x or y passes g to both, as torch",
    )
)
register(
    OpDef(
        "minimum",
        np.minimum,
        (
            lambda g, out, x, y: _tie_split(g, x.data, y.data, ~(x.data > y.data)),
            lambda g, out, x, y: _tie_split(g, y.data, x.data, ~(y.data > x.data)),
        ),
        "out = min(x, y);  x̄ = g·[x ≯ y];  ȳ = g·[y ≯ x]  (ties: ½ each)",
        "binary",
        reads=(("x", "y"), ("x", "y")),
        distinct=True,
        convention="ties split the gradient ½ / ½; a nan in x or y passes g to both, as torch",
    )
)


def _atan2_scale(y: Tensor, x: Tensor) -> Tensor:
    """1/(x² + y²), and torch's 0 where x² + y² is 0: at the origin, or where it underflows (the
    rules would be 0·∞ there). A subnormal x² + y² gives ∞, as in torch."""
    r = x * x + y * y
    zero = r.data == 0
    with np.errstate(over="ignore"):
        if not zero.any():
            return 1.0 / r
        return (1.0 / r.where(~zero, 1.0)).where(~zero, 0.0)


register(
    OpDef(
        "atan2",
        np.arctan2,
        (
            lambda g, out, y, x: g * x * _atan2_scale(y, x),
            lambda g, out, y, x: -g * y * _atan2_scale(y, x),
        ),
        "out = atan2(y, x), the angle of (x, y);  ȳ = g·x / (x² + y²);  x̄ = −g·y / (x² + y²)",
        "binary",
        reads=(("y", "x"), ("y", "x")),
        # y kept from 0: atan2 jumps by 2π across the negative x axis, and the origin is a pole
        avoid=((0.0,), ()),
        convention="where x² + y² is 0 (the origin, or underflow) both adjoints are 0, as torch",
    )
)
register(
    OpDef(
        "hypot",
        np.hypot,
        (lambda g, out, x, y: g * x / out, lambda g, out, x, y: g * y / out),
        "out = √(x² + y²), without overflow;  x̄ = g·x / out;  ȳ = g·y / out",
        "binary",
        reads=(("x", "out"), ("y", "out")),
        avoid=((0.0,), ()),  # the origin is a kink
        convention="at the origin both adjoints are 0/0 = nan, as torch",
    )
)


def _logaddexp(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    # numpy computes x − y on the way, which overflows for x = −y = 1e308 though the result
    # (x) does not: that warning is spurious.
    # (and ∞ + ∞, or −∞ − −∞, flags invalid where the result ±∞ is exact, as torch's)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(np.logaddexp(x, y))


def _sigmoid_of_difference(a: Tensor, b: Tensor) -> Tensor:
    """σ(a − b): a − b may overflow to ±∞ (a = −b = 1e308), where σ is exactly 1 or 0; at
    a = b = ±∞ it is σ(nan) = nan, torch's value, silently."""
    with np.errstate(over="ignore", invalid="ignore"):
        return (a - b).sigmoid()


register(
    OpDef(
        "logaddexp",
        _logaddexp,
        (
            lambda g, out, x, y: g * _sigmoid_of_difference(x, y),
            lambda g, out, x, y: g * _sigmoid_of_difference(y, x),
        ),
        "out = ln(eˣ + eʸ), without overflow;  x̄ = g·σ(x − y);  ȳ = g·σ(y − x)",
        "binary",
        reads=(("x", "y"), ("x", "y")),
        convention="x = y = ±∞: out = x, both adjoints σ(∞ − ∞) = nan, as torch",
    )
)


# ----------------------------------------------------------------------------- elementwise, unary

register(
    OpDef("neg", np.negative, (lambda g, out, x: -g,), "out = −x;  x̄ = −g", "unary", reads=((),))
)
register(
    OpDef(
        "exp",
        _quiet(np.exp),
        (lambda g, out, x: g * out,),
        "out = eˣ;  x̄ = g·out",
        "unary",
        reads=(("out",),),
    )
)
register(
    OpDef(
        "log",
        _quiet(np.log),
        (lambda g, out, x: g / x,),
        "out = ln x;  x̄ = g / x",
        "unary",
        reads=(("x",),),
        domain=((0.1, 3.0),),
    )
)
_LN2, _LN10 = float(np.log(2.0)), float(np.log(10.0))

register(
    OpDef(
        "log2",
        _quiet(np.log2),
        (lambda g, out, x: g / (x * _LN2),),
        "out = log₂ x, exact at powers of 2;  x̄ = g / (x·ln 2)",
        "unary",
        reads=(("x",),),
        domain=((0.1, 3.0),),
    )
)
register(
    OpDef(
        "log10",
        _quiet(np.log10),
        (lambda g, out, x: g / (x * _LN10),),
        "out = log₁₀ x, exact at powers of 10;  x̄ = g / (x·ln 10)",
        "unary",
        reads=(("x",),),
        domain=((0.1, 3.0),),
    )
)
register(
    OpDef(
        "sqrt",
        _quiet(np.sqrt),
        (lambda g, out, x: g * 0.5 / out,),
        "out = √x;  x̄ = g / (2·out)",
        "unary",
        reads=(("out",),),
        domain=((0.1, 3.0),),
    )
)
register(
    OpDef(
        "reciprocal",
        _quiet(np.reciprocal),
        # (from the output, as torch's rule: a later in-place change of x passes, of out not)
        (lambda g, out, x: -g * out * out,),
        "out = 1/x;  x̄ = −g·out²",
        "unary",
        reads=(("out",),),
        domain=((0.2, 2.0),),
    )
)


def _sign(x: np.ndarray) -> np.ndarray:
    """sign(x) as torch's sgn: 0 at 0 and at nan (numpy's sign(nan) is nan, which would turn
    abs's gradient at a nan into nan where torch's is 0). Complex: x/|x|, numpy's and torch's.
    The nan check is one BLAS dot on the signs, ~15% of abs's rule on a (128, 256) batch."""
    s: np.ndarray = np.asarray(np.sign(x))  # a 0-d x gives a numpy scalar
    if s.dtype.kind == "f" and not _surely_finite(s):
        s[np.isnan(s)] = 0
    return s


register(
    OpDef(
        "abs",
        np.abs,
        (lambda g, out, x: g * _sign(x.data),),
        "out = |x|;  x̄ = g·sign(x)",
        "unary",
        reads=(("x",),),
        avoid=((0.0,),),
        convention="abs'(0) = 0; at nan x̄ = 0 (torch's sgn(nan) = 0)",
    )
)
_zero_rows: dict[tuple[int, int], np.ndarray] = {}


def _relu(x: np.ndarray) -> np.ndarray:
    """max(x, 0). A float batch of rows is compared with a row of zeros, not the scalar 0: numpy
    runs ``maximum`` with a scalar operand in a scalar loop and with two contiguous rows in its
    SIMD loop, twice as fast on a (128, 256) float32 batch (8.5 against 16.8 µs measured), with
    the same values (nan, ±∞ and signed zeros included)."""
    n = x.shape[-1] if x.ndim else 0
    # narrow rows, non-floats, other layouts: the scalar form (a row per inner loop pays off
    # only for rows of some width, and needs C order for the rows to be contiguous)
    if n < 64 or x.dtype.kind != "f" or not x.flags.c_contiguous:
        out: np.ndarray = np.maximum(x, 0)
        return out
    key = (n, x.dtype.num)
    zeros = _zero_rows.get(key)
    if zeros is None:
        if len(_zero_rows) > 64:  # a bound for code that feeds ever-new widths
            _zero_rows.clear()
        zeros = _zero_rows[key] = np.zeros(n, x.dtype)
        zeros.flags.writeable = False
    out = np.maximum(x, zeros)
    return out


register(
    OpDef(
        "relu",
        _relu,
        # out ≠ 0, not out > 0: the same one comparison, and it passes g where x (so out) is
        # nan, as torch's threshold_backward (out ≤ 0 ? 0 : g) does
        (lambda g, out, x: _select(g, out.data != 0),),
        "out = max(x, 0);  x̄ = g·[x > 0]",
        "unary",
        reads=(("out",),),
        avoid=((0.0,),),
        convention="relu'(0) = 0; at nan x̄ = g, as torch",
    )
)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # 1/(1+e^{-x}) overflows for very negative x; the split form is exact and warning-free.
    if x.dtype.kind == "c":  # no sign to split on: the plain form, as torch's complex kernel
        return np.asarray(1.0 / (1.0 + np.exp(-x)))
    e = np.exp(-np.abs(x))
    return np.asarray(np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)), dtype=x.dtype)


register(
    OpDef(
        "sigmoid",
        _sigmoid,
        (lambda g, out, x: g * out * (1.0 - out),),
        "out = σ(x) = 1/(1+e⁻ˣ);  x̄ = g·out·(1 − out)",
        "unary",
        reads=(("out",),),
    )
)
register(
    OpDef(
        "tanh",
        np.tanh,
        (lambda g, out, x: g * (1.0 - out * out),),
        "out = tanh x;  x̄ = g·(1 − out²)",
        "unary",
        reads=(("out",),),
    )
)

register(
    OpDef(
        "sin",
        _quiet(np.sin),
        (lambda g, out, x: g * x.cos(),),
        "out = sin x;  x̄ = g·cos x",
        "unary",
        reads=(("x",),),
    )
)
register(
    OpDef(
        "cos",
        _quiet(np.cos),
        (lambda g, out, x: -g * x.sin(),),
        "out = cos x;  x̄ = −g·sin x",
        "unary",
        reads=(("x",),),
    )
)
register(
    OpDef(
        "log1p",
        _quiet(np.log1p),
        (lambda g, out, x: g / (1.0 + x),),
        "out = ln(1 + x), exact for tiny x;  x̄ = g / (1 + x)",
        "unary",
        reads=(("x",),),
        grad_fn_name="Log1PBackward",
        domain=((-0.5, 3.0),),
    )
)
register(
    OpDef(
        "expm1",
        _quiet(np.expm1),
        (lambda g, out, x: g * (out + 1.0),),
        "out = eˣ − 1, exact for tiny x;  x̄ = g·(out + 1)",
        "unary",
        reads=(("out",),),
    )
)

_TWO_OVER_SQRT_PI = 2.0 / np.sqrt(np.pi)


def _erf(x: np.ndarray) -> np.ndarray:
    """erf x = (2/√π) ∫₀ˣ e^{−t²} dt in float64 (numpy has none), to a relative 2·10⁻¹⁵.

    For |x| < 3 the series (Abramowitz & Stegun 7.1.6)
    erf x = (2/√π) e^{−x²} Σₙ 2ⁿ x^{2n+1} / (1·3···(2n+1)), whose terms all have x's sign, so
    nothing cancels (≤ 50 terms); beyond, 1 − erfc x with the continued fraction (7.1.14)
    erfc x = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))) cut at 60 levels, where
    erfc ≤ 2·10⁻⁵ needs only a few correct digits. A test holds it to math.erf.
    """
    z = np.asarray(x, dtype=np.float64)
    out = np.empty_like(z)
    near = ~(np.abs(z) >= 3.0)  # nan goes here, and stays nan
    a = z[near]
    term, total, step = a, a, 2.0 * a * a
    for n in range(200):
        term = term * step / (2 * n + 3)
        total = total + term
        if not (np.abs(term) > 1e-17 * np.abs(total)).any():
            break
    out[near] = _TWO_OVER_SQRT_PI * np.exp(-a * a) * total
    a = np.abs(z[~near])
    with np.errstate(over="ignore"):  # a² overflows for |x| > 1e154: e^{−a²} = 0, erf = ±1
        tail = np.exp(-a * a)
    f = a
    for k in range(60, 0, -1):  # the continued fraction, evaluated from its tail
        f = a + (k / 2.0) / f
    out[~near] = np.sign(z[~near]) * (1.0 - tail / (np.sqrt(np.pi) * f))
    return out.astype(x.dtype, copy=False)


register(
    OpDef(
        "erf",
        _erf,
        (lambda g, out, x: g * (-(x * x)).exp() * _TWO_OVER_SQRT_PI,),
        "out = erf x = (2/√π) ∫₀ˣ e^{−t²} dt;  x̄ = g·(2/√π)·e^{−x²}",
        "unary",
        reads=(("x",),),
    )
)

# Special functions: kernels in _special_kernels.py (each states its accuracy); the rules are
# torch's (derivatives.yaml), written with the other special functions (x._special(name)).
_SQRT_PI_OVER_2 = float(np.sqrt(np.pi) / 2)
_SQRT_2PI = float(np.sqrt(2 * np.pi))

register(
    OpDef(
        "lgamma",
        _sk.lgamma,
        (lambda g, out, x: g * x._special("digamma"),),
        "out = ln|Γ(x)|;  x̄ = g·ψ(x)",
        "unary",
        reads=(("x",),),
        domain=((0.2, 4.0),),
    )
)
register(
    OpDef(
        "digamma",
        _sk.digamma,
        (lambda g, out, x: g * x._special("polygamma", n=1),),
        "out = ψ(x) = Γ'(x)/Γ(x);  x̄ = g·ψ⁽¹⁾(x)",
        "unary",
        reads=(("x",),),
        domain=((0.2, 4.0),),
    )
)
register(
    OpDef(
        "polygamma",
        _sk.polygamma,
        (lambda g, out, x, *, n: g * x._special("polygamma", n=n + 1),),
        "out = ψ⁽ⁿ⁾(x);  x̄ = g·ψ⁽ⁿ⁺¹⁾(x)",
        "unary",
        reads=(("x",),),
        domain=((0.2, 4.0),),
        params={"n": 1},
    )
)
register(
    OpDef(
        "erfc",
        _sk.erfc,
        (lambda g, out, x: g * (-(x * x)).exp() * -_TWO_OVER_SQRT_PI,),
        "out = erfc x = 1 − erf x;  x̄ = −g·(2/√π)·e^{−x²}",
        "unary",
        reads=(("x",),),
    )
)
register(
    OpDef(
        "erfcx",
        _sk.erfcx,
        (lambda g, out, x: g * (2 * x * out - _TWO_OVER_SQRT_PI),),
        "out = e^{x²} erfc x;  x̄ = g·(2x·out − 2/√π)",
        "unary",
        reads=(("x", "out"),),
        grad_fn_name="SpecialErfcxBackward",
    )
)
register(
    OpDef(
        "erfinv",
        _sk.erfinv,
        (lambda g, out, x: g * (out * out).exp() * _SQRT_PI_OVER_2,),
        "out = erf⁻¹ x;  x̄ = g·(√π/2)·e^{out²}",
        "unary",
        reads=(("out",),),
        domain=((-0.9, 0.9),),
    )
)
register(
    OpDef(
        "ndtri",
        _sk.ndtri,
        (lambda g, out, x: g * (out * out * 0.5).exp() * _SQRT_2PI,),
        "out = Φ⁻¹(x);  x̄ = g·√(2π)·e^{out²/2}",
        "unary",
        reads=(("out",),),
        domain=((0.05, 0.95),),
        grad_fn_name="SpecialNdtriBackward",
    )
)
register(
    OpDef(
        "log_ndtr",
        _sk.log_ndtr,
        # (torch's x̄ = g·e^{−x²/2 − out}/√(2π) keeps only eps·x²/2 of φ/Φ, the exponent's
        # rounding, and its derivative −r(r + x), which cancels, eps·x⁴/2: 3e-5 off at x = −884)
        (lambda g, out, x: g * x._special("inv_mills"),),
        "out = ln Φ(x);  x̄ = g·φ(x)/Φ(x)",
        "unary",
        reads=(("x",),),
        grad_fn_name="SpecialLogNdtrBackward",
    )
)
register(
    OpDef(
        "inv_mills",
        _sk.inv_mills,
        (lambda g, out, x: -g * out * (out + x),),
        "out = r(x) = φ(x)/Φ(x) = (ln Φ)'(x);  x̄ = −g·out·(out + x)",
        "unary",
        reads=(("x", "out"),),
    )
)
register(
    OpDef(
        "i0",
        _sk.i0,
        (lambda g, out, x: g * x._special("i1"),),
        "out = I₀(x);  x̄ = g·I₁(x)",
        "unary",
        reads=(("x",),),
    )
)
register(
    OpDef(
        "i0e",
        _sk.i0e,
        (lambda g, out, x: g * (x._special("i1e") - out * np.sign(x.data)),),
        "out = e^{−|x|} I₀(x);  x̄ = g·(I₁ₑ(x) − sign(x)·out)",
        "unary",
        reads=(("x", "out"),),
        avoid=((0.0,),),
        convention="at the kink x = 0, x̄ = 0 (sign 0), as torch",
        grad_fn_name="SpecialI0eBackward",
    )
)


def _i1_slope(x: Tensor, i0: Tensor, out: Tensor, scaled: bool) -> Tensor:
    """i0 − out/x, the common term of I₁' and I₁ₑ', by its series near 0 (torch's ½ at x = 0):
    I₀ − I₁/x = ½ + 3x²/16 + O(x⁴), times e^{−|x|} if ``scaled``. Below |x| = 10⁻⁷ the quotient
    would lose digits (I₁ of a subnormal x is subnormal) and its derivative with them."""
    near = np.abs(x.data) < 1e-7
    if not near.any():
        return i0 - out / x
    one = np.ones((), dtype=x.data.dtype)
    safe = x._keep(~near) + type(x)._make(np.where(near, one, 0).astype(x.data.dtype))
    series = x * x * (3 / 16) + 0.5
    if scaled:
        series = series * (-x.abs()).exp()
    return (i0 - out / safe)._keep(~near) + series._keep(near)


register(
    OpDef(
        "i1",
        _sk.i1,
        (lambda g, out, x: g * _i1_slope(x, x._special("i0"), out, False),),
        "out = I₁(x);  x̄ = g·(I₀(x) − out/x), ½·g at x = 0",
        "unary",
        reads=(("x", "out"),),
        grad_fn_name="SpecialI1Backward",
    )
)
register(
    OpDef(
        "i1e",
        _sk.i1e,
        (
            lambda g, out, x: (
                g * (_i1_slope(x, x._special("i0e"), out, True) - out * np.sign(x.data))
            ),
        ),
        "out = e^{−|x|} I₁(x);  x̄ = g·(I₀ₑ(x) − out·(sign x + 1/x)), ½·g at x = 0",
        "unary",
        reads=(("x", "out"),),
        avoid=((0.0,),),  # x̄ is continuous there, its own derivative has a kink
        grad_fn_name="SpecialI1eBackward",
    )
)


def _igamma_density(x: Tensor, a: np.ndarray) -> Tensor:
    """∂P(a, x)/∂x = x^{a−1} e^{−x} / Γ(a), as e^{(a − 1) ln x − x − ln Γ(a)} (torch's form)."""
    a_minus_1 = (a - 1).astype(x.data.dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (x.log() * type(x)._make(a_minus_1) - x - _sk.lgamma(a).astype(x.data.dtype)).exp()


# The first argument (a, or the Hurwitz zeta's s) has no derivative in torch either: it is
# metadata here, and tg.special refuses a gradient for it as torch does.
register(
    OpDef(
        "igamma",
        lambda x, *, a: _sk.gammainc(a, x),
        (lambda g, out, x, *, a: g * _igamma_density(x, a),),
        "out = P(a, x) = γ(a, x)/Γ(a);  x̄ = g·x^{a−1}e^{−x}/Γ(a)",
        "unary",
        reads=(("x",),),
        domain=((0.2, 4.0),),
        params={"a": np.asarray(1.7)},
    )
)
register(
    OpDef(
        "igammac",
        lambda x, *, a: _sk.gammaincc(a, x),
        (lambda g, out, x, *, a: -g * _igamma_density(x, a),),
        "out = Q(a, x) = 1 − P(a, x);  x̄ = −g·x^{a−1}e^{−x}/Γ(a)",
        "unary",
        reads=(("x",),),
        domain=((0.2, 4.0),),
        params={"a": np.asarray(1.7)},
    )
)


def _standard_gamma_vjp(g: Tensor, out: Tensor, alpha: Tensor, *, u: np.ndarray) -> Tensor:
    """ᾱ = g·∂x/∂α with ∂x/∂α = −∂_αP(α, x)/p(x; α) at x = out, the implicit
    reparameterisation gradient, computed in numpy: once differentiable, as torch's
    (``_standard_gamma_grad`` has no derivative there either)."""
    dx = _sk.gamma_quantile_grad(alpha.data, out.data).astype(g.data.dtype, copy=False)
    return (g * type(g)._make(dx))._no_derivative_in(alpha, "_standard_gamma_grad")


# A Gamma(α, 1) variate x = P⁻¹(α, u) of uniform noise u (drawn by the caller, metadata here):
# a deterministic function of α, so its gradient is checked by finite differences like any
# other; the draws are exact Gamma(α, 1) draws when u is uniform.
register(
    OpDef(
        "standard_gamma",
        lambda alpha, *, u: _sk.gamma_quantile(alpha, u).astype(alpha.dtype, copy=False),
        (_standard_gamma_vjp,),
        "out = x with P(α, x) = u;  ᾱ = −g·∂_αP(α, x)/p(x; α),  p(x; α) = x^{α−1}e^{−x}/Γ(α)",
        "implicit",
        reads=(("alpha", OUT),),
        domain=((0.3, 6.0),),
        params={"u": np.asarray([0.07, 0.5, 0.93])},
        grad_fn_name="StandardGammaBackward",
        convention="u is noise, not an input: once differentiable in α, as torch's "
        "_standard_gamma (differentiating ᾱ again raises)",
    )
)

register(
    OpDef(
        "zeta",
        lambda q, *, s: _sk.zeta(s, q),
        (lambda g, out, q, *, s: g * q._special("zeta", s=s + 1) * type(q)._make(-s),),
        "out = ζ(s, q) = Σₖ (q + k)^{−s};  q̄ = −g·s·ζ(s + 1, q)",
        "unary",
        reads=(("q",),),
        domain=((0.2, 4.0),),
        params={"s": np.asarray(2.5)},
        grad_fn_name="SpecialZetaBackward",
    )
)


def _clamp(x: np.ndarray, *, min: float | None, max: float | None) -> np.ndarray:
    return np.asarray(np.clip(x, min, max), dtype=x.dtype)


def _clamp_mask(x: np.ndarray, lo: float | None, hi: float | None) -> np.ndarray:
    inside = np.ones(x.shape, dtype=bool)
    if lo is not None:
        inside &= x >= lo
    if hi is not None:
        inside &= x <= hi
    return inside


register(
    OpDef(
        "clamp",
        _clamp,
        (lambda g, out, x, *, min, max: _select(g, _clamp_mask(x.data, min, max)),),
        "out = min(max(x, lo), hi);  x̄ = g·[lo ≤ x ≤ hi]",
        "unary",
        reads=(("x",),),
        avoid=((-0.5, 0.5),),
        params={"min": -0.5, "max": 0.5},
        convention="the gradient passes at the bounds",
    )
)


def _where(c: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if x.size >= 8192 and x.dtype.char == "f" and _zero_fill(c, x, y):
        return _keep_bits(c, x)
    return np.asarray(np.where(c, x, y))


def _zero_fill(c: np.ndarray, x: np.ndarray, y: np.ndarray) -> bool:
    """Whether where(c, x, y) is x kept where c, +0.0 elsewhere: the selection of the rules
    (``_select``), with c a bool array of x's shape, both in C order."""
    return (
        y.ndim == 0
        and y.dtype == x.dtype
        and c.dtype == np.bool_
        and _both_c_order(c, x)
        and y == 0
        and not np.signbit(y)
    )


def _keep_bits(c: np.ndarray, x: np.ndarray) -> np.ndarray:
    """x where c, +0.0 elsewhere, for float32: the bits of x ANDed with c stretched to 32 ones
    or zeros. numpy's where takes a branch per element (a (128, 256) relu mask: 146 µs); this
    is two vectorised passes (11 µs), and exact, ±∞ and nan kept, where the product x·c would
    give ∞·0 = nan."""
    ones = np.negative(c.view(np.int8)).astype(np.int32)  # True → −1: all 32 bits set
    return np.bitwise_and(x.view(np.int32), ones, out=ones).view(np.float32)


register(
    OpDef(
        "where",
        _where,
        (
            None,
            lambda g, out, c, x, y: _select(g, c.data),
            lambda g, out, c, x, y: _select(g, ~c.data),
        ),
        "out = c ? x : y;  x̄ = g·[c];  ȳ = g·[¬c]",
        "where",
        reads=((), ("c",), ("c",)),
    )
)
# torch names the node of an in-place write by what wrote it. Each is the where above (the
# written value where c, the old one elsewhere), under torch's name for that write.
for _name, _grad_fn, _what in (
    ("copy_slices", "CopySlices", "x[index] = y, or an in-place op on a view of x"),
    ("copy", "CopyBackwards", "x.copy_(y)"),
    ("fill", "FillBackward", "x.fill_(y)"),
    ("zero", "ZeroBackward", "x.zero_()"),
):
    register(
        OpDef(
            _name,
            _where,
            OPS["where"].vjps,
            f"out = c ? x : y (the old value x where not written by {_what});  "
            "x̄ = g·[c];  ȳ = g·[¬c]",
            "where",
            grad_fn_name=_grad_fn,
            reads=((), ("c",), ("c",)),
        )
    )
del _name, _grad_fn, _what
register(
    OpDef(
        "cast",
        lambda x, *, dtype: x.astype(dtype),
        (lambda g, out, x, *, dtype: g.to(x.dtype),),
        "out = x as dtype;  x̄ = g as x's dtype",
        "cast",
        reads=((),),
        grad_fn_name="ToCopyBackward",
        params={"dtype": np.dtype(np.float64)},
    )
)

register(
    OpDef(
        "clone",
        # order="C": a fresh row-major copy, so that contiguous() can be built on it.
        lambda x: np.array(x, order="C"),
        (lambda g, out, x: g,),
        "out = x (a copy);  x̄ = g",
        "unary",
        reads=((),),
    )
)
register(
    OpDef(
        "ignore",
        np.zeros_like,
        # g·0, not a selection: nan where g is nan or ±∞, as torch's rule for an input its
        # forward ignores by a factor 0 (addmm's β·g at β = 0), where a piecewise constant op's
        # zero gradient would drop it
        (lambda g, out, x: g * 0.0,),
        "out = 0·x with x's nan and ±∞ ignored (addmm's input at β = 0);  x̄ = g·0",
        "unary",
        reads=((),),
        convention="x̄ is nan where g is nan or ±∞ (torch's g·β at β = 0)",
    )
)

# ----------------------------------------------------------------------------- reductions


def _reduce(ufunc: np.ufunc, x: np.ndarray, dim: tuple[int, ...], keepdim: bool) -> np.ndarray:
    # The ufunc's reduce, called directly: ndarray.sum/max go through a Python wrapper in numpy
    # that costs more than the reduction itself on small arrays, and these run on every step.
    if x.size >= 256 and len(dim) == 1 and dim[0] == x.ndim - 1 > 0 and _narrow_rows(ufunc, x):
        return _reduce_columns(ufunc, x, keepdim)
    if (
        ufunc is np.add
        and x.size >= 256  # before the others: small arrays stay with numpy
        and dim
        and dim[-1] == len(dim) - 1 < x.ndim - 1
        and _many_rows(x, dim)
    ):
        return _sum_leading(x, len(dim), keepdim)
    return np.asarray(ufunc.reduce(x, axis=dim, keepdims=keepdim))


def _many_rows(x: np.ndarray, dim: tuple[int, ...]) -> bool:
    """Whether a sum over the leading axes ``dim`` (0, 1, …) is worth a BLAS product: a float32
    or float64 C-order array of 64 rows or more (measured: 1.5 to 5 times faster than numpy's
    reduction from there, slower below)."""
    return x.dtype.char in "fd" and x.flags.c_contiguous and math.prod(x.shape[: len(dim)]) >= 64


def _sum_leading(x: np.ndarray, lead: int, keepdim: bool) -> np.ndarray:
    """Σ over the first ``lead`` axes as 1ᵀX, X the array seen as (rows, rest): one BLAS
    matrix-vector product, where numpy's reduction adds row after row in its own loop (the
    bias gradient of every linear layer, each step). Accumulated in the array's dtype, as
    numpy's reduction over a leading axis is (the grouping of the terms may differ); a sum of
    −0.0s is +0.0, as torch's."""
    rows = math.prod(x.shape[:lead])
    key = (rows, x.dtype.num)
    ones = _ones_rows.get(key)
    if ones is None:
        if len(_ones_rows) > 64:  # a bound for code that feeds ever-new batch sizes
            _ones_rows.clear()
        ones = _ones_rows[key] = np.ones(rows, x.dtype)
        ones.flags.writeable = False
    out: np.ndarray = np.matmul(ones, x.reshape(rows, -1))
    return out.reshape((1,) * lead + x.shape[lead:] if keepdim else x.shape[lead:])


_ones_rows: dict[tuple[int, int], np.ndarray] = {}


# Widest rows that ``_reduce_columns`` beats numpy's own reduction on, and the fewest rows it
# needs to (measured on float32/64 batches of 8 to 2048 rows; below 256 elements the test
# itself costs more than it saves): softmax over 10 classes is the lecture's case, and a loss
# computes one on every training step.
_NARROW: dict[np.ufunc, int] = {np.maximum: 32, np.minimum: 32, np.add: 16}


def _narrow_rows(ufunc: np.ufunc, x: np.ndarray) -> bool:
    width = x.shape[-1]
    return (
        0 < width <= _NARROW.get(ufunc, 0)
        and x.dtype.char in "fd"
        and x.size >= (16 if ufunc is not np.add else 64) * width  # rows
    )


def _reduce_columns(ufunc: np.ufunc, x: np.ndarray, keepdim: bool) -> np.ndarray:
    """``ufunc.reduce`` over the last axis of a batch of short rows, as elementwise ufuncs on
    whole columns: numpy reduces each row in its own inner loop, whose setup costs more than
    a few elements' work (a (128, 10) row max: 11 µs, against 2.5 µs for one transposed copy
    and 9 column maxima). max/min are the same numbers; a sum adds in another order
    (sequentially along the row, as numpy's own pairwise sum does below 8 terms)."""
    rows = x.T if x.ndim == 2 else x.transpose((x.ndim - 1, *range(x.ndim - 1)))
    out = ufunc.reduce(np.ascontiguousarray(rows), axis=0)  # rows: (width, *batch)
    return np.asarray(out[..., None] if keepdim else out)


def _sum(x: np.ndarray, *, dim: tuple[int, ...], keepdim: bool) -> np.ndarray:
    if x.dtype.kind == "u":  # unsigned ints sum in int64, as torch (numpy: uint64)
        x = x.astype(np.int64)
    return _reduce(np.add, x, dim, keepdim)


register(
    OpDef(
        "sum",
        _sum,
        (lambda g, out, x, *, dim, keepdim: _unreduce(g, x, dim).expand(x.shape),),
        "out = Σ_dim x;  x̄ = g broadcast back over dim",
        "reduce",
        reads=((),),
    )
)


def _mean(x: np.ndarray, *, dim: tuple[int, ...], keepdim: bool) -> np.ndarray:
    count = _count(x.shape, dim)
    with np.errstate(invalid="ignore"):  # over no elements: 0/0 = nan, as torch
        return np.asarray(np.divide(_reduce(np.add, x, dim, keepdim), count, dtype=x.dtype))


def _count(shape: tuple[int, ...], dim: tuple[int, ...]) -> int:
    """How many elements each output of a reduction over ``dim`` combines."""
    count = 1
    for d in dim:
        count *= shape[d]
    return count


def _mean_vjp(g: Tensor, out: Tensor, x: Tensor, *, dim: tuple[int, ...], keepdim: bool) -> Tensor:
    count = _count(x.shape, dim)
    if not count:  # x̄ has no elements; dividing g by 0 would make its own derivative nan
        return _unreduce(g, x, dim).expand(x.shape)
    return (_unreduce(g, x, dim) / count).expand(x.shape)


register(
    OpDef(
        "mean",
        _mean,
        (_mean_vjp,),
        "out = Σ_dim x / N;  x̄ = g / N broadcast back over dim",
        "reduce",
        reads=((),),
        convention="over no elements: nan, as torch",
    )
)


def _prod(x: np.ndarray, *, dim: tuple[int, ...], keepdim: bool) -> np.ndarray:
    if x.dtype.kind in "biu":  # integers and bools multiply in int64, as torch
        x = x.astype(np.int64)
    return _reduce(np.multiply, x, dim, keepdim)


def _product_of_others(x: Tensor, dim: tuple[int, ...]) -> Tensor:
    """Π_{k≠j} x_k over the reduced positions k, for every position j, without dividing: the
    product of the x_k before j times that of the x_k after it, running products from either
    end (torch's way). Built of products only, so it is exact at zeros, at every order."""
    keep = tuple(i for i in range(x.ndim) if i not in dim)
    order = (*keep, *dim)
    moved = x.permute(order) if order != tuple(range(x.ndim)) else x
    rows = moved.reshape((*moved.shape[: len(keep)], -1))  # the reduced positions last
    later = np.arange(rows.shape[-1]) > 0  # a running product shifted by one starts at 1
    before = rows.cumprod(-1).roll(1, -1).where(later, 1.0)
    after = rows.flip(-1).cumprod(-1).roll(1, -1).where(later, 1.0).flip(-1)
    return (before * after).reshape(moved.shape).permute(_inverse(order))


def _prod_vjp(g: Tensor, out: Tensor, x: Tensor, *, dim: tuple[int, ...], keepdim: bool) -> Tensor:
    if not dim:  # nothing reduced (a 0-d input): out = x
        return g
    g = _unreduce(g, x, dim)
    zero = x.data == 0
    od = np.abs(out.data)
    if not zero.any() and (od >= np.finfo(od.dtype).tiny).all() and np.isfinite(od).all():
        return g * (_unreduce(out, x, dim) / x)  # Π_{k≠j} x_k = out / x_j
    # Where out / x_j would be 0 / 0, or wrong because out under- or overflowed though the
    # product of the others did not (Π [5e-324, 0.5] = 0, yet x̄₀ = 0.5; torch gives 0 there;
    # a subnormal out has lost digits: Π [4.9e-324, 1.5] = 1e-323 would make x̄₀ 2, not 1.5).
    others = g * _product_of_others(x, dim)
    # Two zeros in a slice: every product of the others holds one, so the gradient is 0; an
    # infinite factor beside them would make the running products 0·∞ = nan, so such a slice
    # is set to torch's 0 (only it: elsewhere the products stay, and second derivatives too).
    many = np.add.reduce(zero, axis=dim, keepdims=True) >= 2
    if many.any() and not np.isfinite(x.data).all():
        infinite = np.logical_or.reduce(~np.isfinite(x.data), axis=dim, keepdims=True)
        return _select(others, np.broadcast_to(~(many & infinite), x.shape))
    return others


register(
    OpDef(
        "prod",
        _quiet(_prod),
        (_prod_vjp,),
        "out = Π_dim x;  x̄ⱼ = g·Π_{k≠j} x_k (= g·out / xⱼ without zeros)",
        "reduce",
        reads=(("x", "out"),),
        convention="at zeros the product of the others (one zero), 0 (two or more), as torch",
    )
)


def _extreme_share(x: Tensor, out: Tensor, dim: tuple[int, ...], nan_ties: bool) -> np.ndarray:
    """Where x attains its extreme, each tied position weighted 1/(number of ties); with
    ``nan_ties`` a nan extreme is attained by the nan entries (else none attains it: 0/0)."""
    target = out.data.reshape(_keepdim_shape(x.shape, dim))
    hit = x.data == target
    if nan_ties:
        hit |= np.isnan(x.data) & np.isnan(target)
    return np.asarray(hit / hit.sum(axis=dim, keepdims=True), dtype=x.dtype)


def _extreme_vjp(
    g: Tensor, out: Tensor, x: Tensor, *, dim: tuple[int, ...], keepdim: bool, evenly: bool = False
) -> Tensor:
    """The rule shared by amax and amin: g to every position attaining the extreme, split
    evenly among ties, as torch's amax (a product: an infinite g gives nan·0 = nan elsewhere,
    and a nan extreme, attained by no entry, nan everywhere).

    ``evenly`` is the rule of the full ``max()``/``min()``, torch's evenly_distribute_backward:
    a selection (0 elsewhere whatever g is), and a nan result is shared by the nan entries."""
    share = _extreme_share(x, out, dim, nan_ties=evenly)
    if evenly:
        return _select(_unreduce(g, x, dim), share != 0) * share
    product: Tensor = _unreduce(g, x, dim) * share
    return product


# ``evenly`` selects full max()/min()'s rule; the value is amax's either way.
def _amax(
    x: np.ndarray, *, dim: tuple[int, ...], keepdim: bool, evenly: bool = False
) -> np.ndarray:
    return _reduce(np.maximum, x, dim, keepdim)


def _amin(
    x: np.ndarray, *, dim: tuple[int, ...], keepdim: bool, evenly: bool = False
) -> np.ndarray:
    return _reduce(np.minimum, x, dim, keepdim)


register(
    OpDef(
        "amax",
        _amax,
        (_extreme_vjp,),
        "out = max_dim x;  x̄ = g·[x = out] / #ties",
        "reduce",
        reads=(("x", "out"),),
        distinct=True,
        convention="ties share the gradient evenly; full max()/min(): 0 off the ties whatever "
        "g is, and a nan result's gradient shared by the nan entries, as torch",
    )
)
register(
    OpDef(
        "amin",
        _amin,
        (_extreme_vjp,),
        "out = min_dim x;  x̄ = g·[x = out] / #ties",
        "reduce",
        reads=(("x", "out"),),
        distinct=True,
        convention="ties share the gradient evenly; full max()/min(): 0 off the ties whatever "
        "g is, and a nan result's gradient shared by the nan entries, as torch",
    )
)


def _take_along(x: np.ndarray, index: np.ndarray, dim: int, keepdim: bool) -> np.ndarray:
    picked = np.take_along_axis(x, np.expand_dims(index, dim), axis=dim)
    return np.asarray(picked if keepdim else picked.squeeze(dim))


def _to_index(g: Tensor, x: Tensor, index: np.ndarray, dim: int) -> Tensor:
    """g at the returned index along ``dim``, 0 elsewhere: a selection, so an infinite or nan g
    leaves the other entries 0, as torch's (a product with a one-hot mask would make them nan)."""
    hot = np.zeros(x.shape, dtype=bool)
    np.put_along_axis(hot, np.expand_dims(index, dim), True, axis=dim)
    return _select(_unreduce(g, x, (dim,)), hot)


register(
    OpDef(
        "max_dim",
        lambda x, *, dim, keepdim: _take_along(x, x.argmax(axis=dim), dim, keepdim),
        (lambda g, out, x, *, dim, keepdim: _to_index(g, x, x.data.argmax(axis=dim), dim),),
        "values = max along dim;  x̄ = g at the returned index, 0 elsewhere",
        "reduce_one",
        reads=(("x",),),
        grad_fn_name="MaxBackward",
        distinct=True,
        convention="max(dim) sends the whole gradient to the returned index",
    )
)
register(
    OpDef(
        "min_dim",
        lambda x, *, dim, keepdim: _take_along(x, x.argmin(axis=dim), dim, keepdim),
        (lambda g, out, x, *, dim, keepdim: _to_index(g, x, x.data.argmin(axis=dim), dim),),
        "values = min along dim;  x̄ = g at the returned index, 0 elsewhere",
        "reduce_one",
        reads=(("x",),),
        grad_fn_name="MinBackward",
        distinct=True,
        convention="min(dim) sends the whole gradient to the returned index",
    )
)


def _softmax(x: np.ndarray, *, dim: int) -> np.ndarray:
    # Shifting by the max changes nothing mathematically (softmax is shift invariant) and keeps
    # every exponent ≤ 0, so logits of magnitude 1e4 neither overflow nor give nan.
    if x.ndim == 0:  # one element along the only "dim" there is: 1 (nan at ±∞ or nan, as torch)
        return _softmax(x.reshape(1), dim=0).reshape(())
    if x.shape[dim] == 0:  # nothing to normalise (and no max to shift by)
        return np.array(x)
    axis = (dim % x.ndim,)
    e = np.exp(x - _reduce(np.maximum, x, axis, True))
    return np.asarray(e / _reduce(np.add, e, axis, True))


def _log_softmax(x: np.ndarray, *, dim: int) -> np.ndarray:
    if x.ndim == 0:  # log 1 (nan at ±∞ or nan, as torch)
        return _log_softmax(x.reshape(1), dim=0).reshape(())
    if x.shape[dim] == 0:
        return np.array(x)
    axis = (dim % x.ndim,)
    z = x - _reduce(np.maximum, x, axis, True)
    return np.asarray(z - np.log(_reduce(np.add, np.exp(z), axis, True)))


register(
    OpDef(
        "softmax",
        _softmax,
        (lambda g, out, x, *, dim: out * (g - (g * out).sum(dim=dim, keepdim=True)),),
        "out = eˣ / Σ eˣ;  x̄ = out·(g − Σ g·out)",
        "softmax",
        reads=(("out",),),
    )
)
register(
    OpDef(
        "log_softmax",
        _log_softmax,
        (lambda g, out, x, *, dim: g - out.exp() * g.sum(dim=dim, keepdim=True),),
        "out = x − log Σ eˣ;  x̄ = g − softmax(x)·Σ g",
        "softmax",
        reads=(("out",),),
    )
)

# ----------------------------------------------------------------------------- scans


def _cumsum(x: np.ndarray, *, dim: int) -> np.ndarray:
    if x.ndim == 0:  # one element: its own running sum, as torch
        return np.array(x, dtype=np.int64 if x.dtype.kind in "biu" else x.dtype)
    # The method, not np.cumsum: numpy's Python wrapper would be the line numpy's ∞ − ∞ warning
    # names, out of reach of the package's warnings filter (see __init__).
    return x.cumsum(axis=dim, dtype=np.int64 if x.dtype.kind in "biu" else None)


register(
    OpDef(
        "cumsum",
        _cumsum,
        # xⱼ reaches every outᵢ with i ≥ j: x̄ⱼ = Σ_{i≥j} gᵢ, the running sum of g from the end.
        (lambda g, out, x, *, dim: g if g.ndim == 0 else g.flip(dim).cumsum(dim).flip(dim),),
        "out_i = Σ_{k≤i} x_k along dim;  x̄ⱼ = Σ_{i≥j} gᵢ (g's running sum from the end)",
        "scan",
        reads=((),),
    )
)


# ----------------------------------------------------------------------------- linear algebra


def _promote(g: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """Treat a 1-D x as a row (1, k) and a 1-D y as a column (k, 1), as np.matmul does."""
    if y.ndim == 1:
        y, g = y.reshape((y.shape[0], 1)), g.unsqueeze(-1)
    if x.ndim == 1:
        x, g = x.reshape((1, x.shape[0])), g.unsqueeze(-2)
    return g, x, y


def _matmul_x(g: Tensor, out: Tensor, x: Tensor, y: Tensor) -> Tensor:
    if x.data.ndim == 2 == y.data.ndim:  # the common case, without the 1-D bookkeeping
        return g @ y.mT
    g2, _, y2 = _promote(g, x, y)
    gx = g2 @ y2.mT
    return gx.squeeze(-2) if x.ndim == 1 else gx


def _matmul_y(g: Tensor, out: Tensor, x: Tensor, y: Tensor) -> Tensor:
    yd = y.data
    if yd.ndim >= 2 and yd.flags.f_contiguous and not yd.flags.c_contiguous:
        # y is a transposed view (x @ W.T): computing ȳ = (gᵀ x)ᵀ gives ȳ y's layout, so W̄
        # arrives contiguous instead of as a transposed copy. Same numbers, no strided copy.
        if x.data.ndim == 2 == yd.ndim:
            return (g.mT @ x).mT
        g2, x2, _ = _promote(g, x, y)
        return (g2.mT @ x2).mT
    g2, x2, _ = _promote(g, x, y)
    gy = x2.mT @ g2
    return gy.squeeze(-1) if y.ndim == 1 else gy


register(
    OpDef(
        "matmul",
        np.matmul,
        (_matmul_x, _matmul_y),
        "out = x @ y;  x̄ = g @ yᵀ;  ȳ = xᵀ @ g  (batch dims broadcast)",
        "matmul",
        reads=(("y",), ("x",)),
        grad_fn_name="MatmulBackward",
    )
)


def _einsum_vjp(g: Tensor, out: Tensor, *xs: Tensor, equation: str, input_index: int) -> Tensor:
    """x̄ᵢ = einsum(out, xⱼ (j ≠ i) → xᵢ): g contracted with every other operand, ending in xᵢ's
    subscripts. The equation is in the closed form the caller makes (see ``_einsum.einsum``),
    and so is this one: every subscript of xᵢ occurs in the output or in another operand."""
    terms, result = equation.split("->")
    subs = terms.split(",")
    others = [x for j, x in enumerate(xs) if j != input_index]
    rest = [s for j, s in enumerate(subs) if j != input_index]
    return g._einsum(f"{','.join([result, *rest])}->{subs[input_index]}", *others)


def _einsum(*xs: np.ndarray, equation: str) -> np.ndarray:
    # numpy's optimizer contracts through BLAS (tensordot) and picks the order of a chain; for
    # small operands its planning costs more than the plain loop it replaces.
    big = len(xs) > 2 or max(x.size for x in xs) > 256
    # numpy's own Python lines call BLAS there, out of reach of the package's warnings filter
    # (see __init__): ∞ − ∞ is nan silently, as torch, by an errstate.
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        return np.asarray(np.einsum(equation, *xs, optimize=big))


register(
    OpDef(
        "einsum",
        _einsum,
        (_einsum_vjp,),
        "out = Σ over the subscripts not in the output of Πᵢ xᵢ;  x̄ᵢ = einsum(g, xⱼ (j ≠ i) → xᵢ)",
        "contract",
        variadic=True,
        # (the other operands, not the output nor xᵢ itself: a later in-place change of them
        # passes, as in torch, whose contractions save each operand for the others' gradients)
        reads=((OTHERS,),),
        convention="in closed form: no subscript repeats within an operand, and each one occurs "
        "in the output or in two operands (torch.einsum's other cases are reduced to it first)",
    )
)


def _linear(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.asarray(np.matmul(x, w.T))
    if out.dtype != np.result_type(out, b):
        return np.asarray(out + b)
    return np.asarray(np.add(out, b, out=out))  # in place: the product is fresh


def _linear_w(g: Tensor, out: Tensor, x: Tensor, w: Tensor, b: Tensor) -> Tensor:
    if x.ndim != 2:  # W̄ sums g xᵀ over every batch position: flatten them into one product
        # the batch size spelt out: -1 is ambiguous when w has a zero dim
        n = math.prod(x.shape[:-1])
        g, x = g.reshape((n, w.shape[0])), x.reshape((n, w.shape[1]))
    return g.mT @ x


register(
    OpDef(
        "linear",
        _linear,
        (
            lambda g, out, x, w, b: g @ w,
            _linear_w,
            lambda g, out, x, w, b: g,
        ),
        "out = x Wᵀ + b;  x̄ = g W;  W̄ = gᵀ x (summed over the batch);  b̄ = g",
        "linear",
        reads=(("w",), ("x",), ()),
        grad_fn_name="AddmmBackward",
        convention="torch's nn.functional.linear: W has shape (out, in)",
    )
)

# ----------------------------------------------------------------------------- losses


def _cross_entropy(
    x: np.ndarray, *, target: np.ndarray, reduction: str, _memo: dict[str, Any] | None = None
) -> np.ndarray:
    """``_memo``, when given (F.cross_entropy gives one when it records the op), receives the
    softmax the loss computes on the way, for the rule: as torch's log_softmax saves its result
    for nll_loss's backward, so that backward need not compute it again."""
    classes = x.shape[-1]
    if classes == 0:  # no max to shift by (and no label is valid): an empty batch's
        rows = x.reshape(target.size, 0)
        loss = -rows[np.arange(rows.shape[0]), target.reshape(-1)].reshape(target.shape)
    else:
        # −log softmax(x)_y = log Σⱼ e^{zⱼ} − z_y with z = x − max x, the same numbers as
        # negating log_softmax's entry (a − b = −(b − a) exactly), without forming the rows of
        # log-probabilities: only the target's entry of z is read.
        last = (x.ndim - 1,)
        z = x - _reduce(np.maximum, x, last, True)
        e = np.exp(z)
        total = _reduce(np.add, e, last, True)
        log_sum = np.log(total)[..., 0]
        if _memo is not None:  # e^z / Σe^z: _softmax's numbers, in e's memory (used no more)
            _memo["softmax"] = np.divide(e, total, out=e)
        rows = z.reshape(-1, classes)
        loss = log_sum - rows[np.arange(rows.shape[0]), target.reshape(-1)].reshape(target.shape)
    if reduction == "none":
        return np.asarray(loss)
    total = np.add.reduce(loss, axis=None)
    if reduction == "sum":
        return np.asarray(total)
    return np.asarray(total / loss.size if loss.size else np.nan, dtype=x.dtype)


def one_hot_array(target: np.ndarray, classes: int, dtype: Any) -> np.ndarray:
    """e_y for every label in ``target``: shape ``(*target.shape, classes)``, N·C memory (rows of
    ``np.eye`` would first build the C × C identity)."""
    out = np.zeros((target.size, classes), dtype=dtype)
    out[np.arange(target.size), target.reshape(-1)] = 1
    return out.reshape((*target.shape, classes))


def _row_scale(g: Any, target: np.ndarray, reduction: str) -> Any:
    """c, the factor of each row's softmax − e_y in x̄: g for 'sum', g/N for 'mean', and each
    row's own g for 'none', with a trailing axis to broadcast over the classes. ``g`` is an
    array or a Tensor: the forward below and the rules share it."""
    if reduction == "none":
        return g[..., None]
    if reduction == "mean":
        return g * (1.0 / max(target.size, 1))
    return g


def _cross_entropy_backward(
    x: np.ndarray,
    g: np.ndarray,
    *,
    target: np.ndarray,
    reduction: str,
    _probs: np.ndarray | None = None,
) -> np.ndarray:
    """c·softmax(x) − c·e_y, the onehot's term subtracted at the targets in place rather than
    built (torch's nll_loss_backward and log_softmax_backward, fused, in torch's order of
    operations). ``_probs``: softmax(x), when the forward pass kept it (see _cross_entropy)."""
    p = _softmax(x, dim=-1) if _probs is None else _probs
    c = _row_scale(g, target, reduction)
    out = p * c
    if not out.size:
        return np.asarray(out)
    rows = out.reshape(-1, out.shape[-1])  # a view: the product is fresh and contiguous
    c_rows = c.reshape(-1) if reduction == "none" else c
    rows[np.arange(rows.shape[0]), target.reshape(-1)] -= c_rows
    return np.asarray(out)


def _cross_entropy_backward_x(
    u: Tensor,
    out: Tensor,
    x: Tensor,
    g: Tensor,
    *,
    target: np.ndarray,
    reduction: str,
    _probs: np.ndarray | None = None,
) -> Tensor:
    """Row by row y = c·(s − e_y), s = softmax(x), so ∂yⱼ/∂xₖ = c·sⱼ(δⱼₖ − sₖ), the softmax
    Jacobian: x̄ = s·(cū − Σⱼ cūⱼ sⱼ)."""
    s = x.softmax(-1)
    cu = u * _row_scale(g, target, reduction)
    grad: Tensor = s * (cu - (cu * s).sum(-1, keepdim=True))
    return grad


def _cross_entropy_backward_g(
    u: Tensor,
    out: Tensor,
    x: Tensor,
    g: Tensor,
    *,
    target: np.ndarray,
    reduction: str,
    _probs: np.ndarray | None = None,
) -> Tensor:
    """ḡ = Σ ū·(s − e_y): over each row for 'none', over all for 'sum', ÷N for 'mean'."""
    d = (x.softmax(-1) - one_hot_array(target, x.shape[-1], x.dtype)) * u
    if reduction == "none":
        return d.sum(-1)
    total = d.sum()
    return total * (1.0 / max(target.size, 1)) if reduction == "mean" else total


register(
    OpDef(
        "cross_entropy_backward",
        _cross_entropy_backward,
        (_cross_entropy_backward_x, _cross_entropy_backward_g),
        "out = c·(softmax(x) − e_y), c = g (÷N for 'mean');  x̄ = s·(cū − Σ cū·s);  "
        "ḡ = Σ ū·(s − e_y) (÷N for 'mean')",
        "loss_backward",
        reads=(("x", "g"), ("x",)),
        grad_fn_name="CrossEntropyBackwardBackward",
        convention="cross_entropy's x̄ as one op, as torch's nll_loss_backward: what its rule "
        "records under create_graph, so that second derivatives of the loss work",
    )
)


def _cross_entropy_vjp(
    g: Tensor,
    out: Tensor,
    x: Tensor,
    *,
    target: np.ndarray,
    reduction: str,
    _memo: dict[str, Any] | None = None,
) -> Tensor:
    """x̄ = c·(softmax(x) − e_y), one op, handed the softmax the forward pass kept: taken, so
    that a second backward through a retained graph computes it again (and none is kept)."""
    probs = None if _memo is None else _memo.pop("softmax", None)
    return x._cross_entropy_backward(g, target, reduction, probs)


register(
    OpDef(
        "cross_entropy",
        _cross_entropy,
        (_cross_entropy_vjp,),
        "out = ln Σⱼ e^{xⱼ} − x_y (mean, sum or none over rows);  x̄ = g·(softmax(x) − e_y)",
        "loss",
        reads=(("x",),),
        grad_fn_name="CrossEntropyBackward",
        convention="targets are class indices; 'mean' divides by the number of rows",
    )
)


def _bce_with_logits(z: np.ndarray, t: np.ndarray) -> np.ndarray:
    """ln(1 + eᶻ) − t·z: ``_bce_with_logits_guarded``'s numbers, by a shorter road when z and t
    are finite (the usual case: 8 passes instead of 15, no errstate)."""
    if z.dtype == t.dtype and z.dtype.char in "fd" and _surely_finite(z) and _surely_finite(t):
        # With z and t finite no ∞·0 can arise, and z·([z > 0] − t) is the guarded path's
        # product (1 − t)·z or (−z)·t exactly (negation is exact); only a zero's sign may
        # differ (z·(0 − 0) is ±0 where it gives +0), which adding ln(1 + e^{−|z|}) ≥ +0
        # erases. t finite also keeps away the warnings the guarded path silences: ∞·0 at
        # t = ±∞, and overflow (z·z and t·t finite bound |z| and |t| by √max).
        linear = np.asarray(np.subtract(z > 0, t))  # asarray: a 0-d input gives a scalar
        np.multiply(z, linear, out=linear)
        soft = np.asarray(np.abs(z))
        np.negative(soft, out=soft)
        np.exp(soft, out=soft)
        np.log1p(soft, out=soft)
        np.add(linear, soft, out=linear)
        return linear
    return _bce_with_logits_guarded(z, t)


def _bce_with_logits_guarded(z: np.ndarray, t: np.ndarray) -> np.ndarray:
    # ln(1 + eᶻ) − t·z = max(z, 0) − t·z + ln(1 + e^{−|z|}), so that no exponent is positive
    # (finite for |z| = 1e4), with max(z, 0) − t·z as (1 − t)·z for z > 0 and −t·z otherwise:
    # no ∞ − ∞ at z = ±∞, and a zero coefficient gives 0, not ∞·0 (logsigmoid(∞) = 0).
    with np.errstate(invalid="ignore", over="ignore"):
        linear = np.where(z > 0, _times(z, 1 - t), _times(-z, t))
        return np.asarray(linear + np.log1p(np.exp(-np.abs(z))))


def _times(a: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """a·coef, and 0 where coef is 0 even if a is infinite."""
    return np.where(coef == 0, 0, a * coef)


register(
    OpDef(
        "binary_cross_entropy_with_logits",
        _bce_with_logits,
        (
            lambda g, out, z, t: g * (z.sigmoid() - t),
            lambda g, out, z, t: -g * z,
        ),
        "out = ln(1 + eᶻ) − t·z;  z̄ = g·(σ(z) − t);  t̄ = −g·z",
        "binary",
        reads=(("z", "t"), ("z",)),
        domain=((-3.0, 3.0), (0.0, 1.0)),
        convention="smooth everywhere: z̄ = σ(0) − t at z = 0",
    )
)


# torch's binary_cross_entropy on probabilities: each log is clamped at −100, so x = 0 or 1 gives
# a finite loss, and the rule divides by x(1 − x) clamped at 1e-12, so it gives ±1e12·|x − t|
# there instead of ±∞ (a sigmoid saturates to exactly 1.0 in float32 from z ≈ 17). Composed of
# log and clamp, the loss would be finite but its gradient would be 0 (clamped) or ∞ and nan:
# hence a primitive.
_BCE_LOG_FLOOR = -100.0
_BCE_EPS = float(np.float32(1e-12))  # torch's constant is a C float: 9.99999996e-13


def _bce(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    # torch's kernel, in its order: (t − 1)·max(ln(1 − x), −100) − t·max(ln x, −100)
    with np.errstate(divide="ignore"):
        log_x = np.maximum(np.log(x), _BCE_LOG_FLOOR)
        log_1mx = np.maximum(np.log1p(-x), _BCE_LOG_FLOOR)
    return np.asarray((t - 1) * log_1mx - t * log_x)


def _bce_x(g: Tensor, out: Tensor, x: Tensor, t: Tensor) -> Tensor:
    """x̄ = g·(x − t) / max(x(1 − x), 1e-12), torch's rule: −t/x + (1 − t)/(1 − x) inside."""
    return g * (x - t) / ((1.0 - x) * x).clamp(min=_BCE_EPS)


def _bce_t(g: Tensor, out: Tensor, x: Tensor, t: Tensor) -> Tensor:
    """t̄ = g·(ln(1 − x) − ln x) = −g·logit(x), unclamped as torch's (∞ at x = 0)."""
    with np.errstate(divide="ignore"):
        return g * ((-x).log1p() - x.log())


register(
    OpDef(
        "binary_cross_entropy",
        _bce,
        (_bce_x, _bce_t),
        "out = −t·ln x − (1 − t)·ln(1 − x), each ln ≥ −100;  "
        "x̄ = g·(x − t) / max(x(1 − x), 10⁻¹²);  t̄ = g·ln((1 − x) / x)",
        "binary",
        reads=(("x", "t"), ("x",)),
        domain=((0.05, 0.95), (0.0, 1.0)),
        convention="at x = 0 or 1 the loss is at most 100 and x̄ = 10¹²·g·(x − t), as torch",
    )
)


def _ctc_loss_vjp(
    g: Tensor,
    out: Tensor,
    x: Tensor,
    *,
    labels: np.ndarray,
    input_lengths: np.ndarray,
    target_lengths: np.ndarray,
    blank: int,
    _saved: list[_ctc.CtcForward] | None = None,
) -> Tensor:
    """x̄_t(c) = −g·Σ_{s : l′_s = c} γ_t(s), γ from the reverse pass of the α recursion in numpy
    (the forward's, when it ``_saved`` it): a constant here, so the rule is differentiable in g
    only; a second derivative through x raises."""
    gamma = _ctc.ctc_posterior(
        x.data,
        labels=labels,
        input_lengths=input_lengths,
        target_lengths=target_lengths,
        blank=blank,
        saved=_saved,
    )
    return (g.reshape(1, -1, 1) * -gamma)._no_derivative_in(x, "ctc_loss_backward")


register(
    OpDef(
        "ctc_loss",
        _ctc.ctc_neg_log_likelihood,
        (_ctc_loss_vjp,),
        "out_n = −log p(l_n | x) = −lse(α_{T−1}(2S), α_{T−1}(2S − 1));  "
        "x̄_t(c) = −g·Σ_{s : l′_s = c} γ_t(s),  γ_t(s) = exp(α_t(s) + β_t(s) − x_t(l′_s) + out_n)",
        "ctc",
        reads=(("x",),),
        grad_fn_name="CtcLossBackward",
        convention="x (T, N, C) holds log-probabilities; the true derivative (torch's adds "
        "e^x, equal through log_softmax); 0 for a target of probability 0 (torch's is nan); "
        "once differentiable, as torch's: differentiating x̄ again raises",
    )
)

# ----------------------------------------------------------------------------- grid sampling
# grid_sample's weighted gather and the two adjoints it needs, the partial derivatives of
# T(x, w, y) = Σ w[n, k, p]·y[n, c, p]·x[n, c, index[n, k, p]] (kernels in _grid_kernels.py):
# each rule is another of the three, so every order of derivative is exact. The rules name the
# inputs by their part in T: x (N, C, L) the input, w (N, K, P) the weights, y (N, C, P) the
# samples; ``index`` (N, K, P) holds places in [0, L], L for a read outside (0).

register(
    OpDef(
        "sample_gather",
        _grid.sample_gather,
        (
            lambda g, out, x, w, *, index, size: g._sample("sample_scatter", w, index, size),
            lambda g, out, x, w, *, index, size: g._sample("sample_dot", x, index, size),
        ),
        "out[n, c, p] = Σ_k w[n, k, p]·x[n, c, i[n, k, p]];  "
        "x̄ = sample_scatter(g, w);  w̄ = sample_dot(g, x)",
        "sample",
        reads=(("w",), ("x",)),
        convention="place L (outside the input) reads 0 and receives nothing",
    )
)
register(
    OpDef(
        "sample_scatter",
        _grid.sample_scatter,
        (
            lambda g, out, y, w, *, index, size: g._sample("sample_gather", w, index, size),
            lambda g, out, y, w, *, index, size: y._sample("sample_dot", g, index, size),
        ),
        "out[n, c, l] = Σ_{k, p : i[n, k, p] = l} w[n, k, p]·y[n, c, p];  "
        "ȳ = sample_gather(g, w);  w̄ = sample_dot(y, g)",
        "sample",
        reads=(("w",), ("y",)),
        convention="place L (outside the input) reads 0 and receives nothing",
    )
)
register(
    OpDef(
        "sample_dot",
        _grid.sample_dot,
        (
            lambda g, out, y, x, *, index, size: x._sample("sample_gather", g, index, size),
            lambda g, out, y, x, *, index, size: y._sample("sample_scatter", g, index, size),
        ),
        "out[n, k, p] = Σ_c y[n, c, p]·x[n, c, i[n, k, p]];  "
        "ȳ = sample_gather(x, g);  x̄ = sample_scatter(y, g)",
        "sample",
        reads=(("x",), ("y",)),
        convention="place L (outside the input) reads 0 and receives nothing",
    )
)

# ----------------------------------------------------------------------------- shape and indexing

register(
    OpDef(
        "reshape",
        lambda x, *, shape: x.reshape(shape),
        (lambda g, out, x, *, shape: g.reshape(x.shape),),
        "out = x viewed as shape;  x̄ = g viewed as x's shape",
        "reshape",
        reads=((),),
        grad_fn_name="ViewBackward",
        view="maybe",
    )
)
register(
    OpDef(
        "permute",
        lambda x, *, dims: x.transpose(dims),
        (lambda g, out, x, *, dims: g.mT if dims == (1, 0) else g.permute(_inverse(dims)),),
        "out = x with axes permuted;  x̄ = g with the inverse permutation",
        "permute",
        reads=((),),
        view="always",
    )
)


def _expand(x: np.ndarray, *, shape: tuple[int, ...]) -> np.ndarray:
    out = np.broadcast_to(x, shape)
    # numpy marks every broadcast view read-only; torch refuses a write only where one memory
    # location holds many elements, so a view that repeats none (new dims of size 1, an empty
    # result) may be written through, reaching x.
    if out.size in (0, x.size):
        out.flags.writeable = x.flags.writeable
    return out


register(
    OpDef(
        "expand",
        _expand,
        (lambda g, out, x, *, shape: g,),
        "out = x broadcast to shape;  x̄ = g summed over the broadcast axes",
        "expand",
        reads=((),),
        view="always",
    )
)


def _inverse(dims: tuple[int, ...]) -> tuple[int, ...]:
    """The inverse permutation: where each axis of the output came from."""
    inv = [0] * len(dims)
    for i, d in enumerate(dims):
        inv[d] = i
    return tuple(inv)


def _diagonal(x: np.ndarray, *, offset: int, dim1: int, dim2: int) -> np.ndarray:
    out = np.diagonal(x, offset, dim1, dim2)
    # numpy marks the view read-only; torch's is writable, so writes through it reach x.
    out.flags.writeable = x.flags.writeable
    return out


def _diagonal_vjp(
    g: Tensor, out: Tensor, x: Tensor, *, offset: int, dim1: int, dim2: int
) -> Tensor:
    """x̄ = zeros with g on the diagonal: scattered in x's axes moved so that dim1 and dim2 come
    last (where the diagonal's own axis is, in g), then moved back."""
    moved = (*(d for d in range(x.ndim) if d not in (dim1, dim2)), dim1, dim2)
    i = np.arange(g.shape[-1])
    index = (..., i, i + offset) if offset >= 0 else (..., i - offset, i)
    scattered = g._index_add(tuple(x.shape[d] for d in moved), index)
    return scattered.permute(_inverse(moved))


register(
    OpDef(
        "diagonal",
        _diagonal,
        (_diagonal_vjp,),
        "out_{…, i} = x_{…, i, i + offset} over (dim1, dim2);  x̄ = zeros with g on that diagonal",
        "diagonal",
        reads=((),),
        view="always",
    )
)


def _index_add(g: np.ndarray, *, shape: tuple[int, ...], index: Any) -> np.ndarray:
    z = np.zeros(shape, dtype=g.dtype)
    _getitem_into(z, g, index=index)  # getitem's x̄ added into zeros
    return z


def _getitem(x: np.ndarray, *, index: Any) -> np.ndarray:
    out = x[index]
    if type(out) is not np.ndarray:  # numpy gave a scalar copy; torch gives a 0-d view
        out = x[(*index, ...) if isinstance(index, tuple) else (index, ...)]
    return np.asarray(out)


def _getitem_name(kwargs: dict[str, Any], shape: tuple[int, ...]) -> str:
    """torch's name for the node of ``x[index]``: of the last op its indexing applies, which
    goes left to right, ``select`` for an int, ``slice`` for a slice (one in a tuple only if it
    is not all of its dim), ``unsqueeze`` for None, and ``index`` last if any item is an array
    or a bool; ``alias`` where nothing applies (``x[...]``, ``x[:, :]``). torch records a
    chain of those nodes where this library records one."""
    index = kwargs["index"]
    if isinstance(index, slice):  # a lone slice is always applied, even all of the dim
        return "SliceBackward"
    items = index if isinstance(index, tuple) else (index,)
    if any(_advanced(v) for v in items):
        return "IndexBackward"
    consuming = sum(1 for v in items if v is not None and v is not Ellipsis)
    name, d = "AliasBackward", 0
    for v in items:
        if v is None:
            name = "UnsqueezeBackward"
        elif v is Ellipsis:
            d += len(shape) - consuming
        elif isinstance(v, slice):
            if v.indices(shape[d]) != (0, shape[d], 1):
                name = "SliceBackward"
            d += 1
        else:  # an int (or a 0-d integer array)
            name, d = "SelectBackward", d + 1
    return name


def _advanced(v: Any) -> bool:
    """An index item torch indexes with (its IndexBackward): an array of 1+ dims, a bool."""
    if isinstance(v, (bool, np.bool_)):
        return True
    return isinstance(v, np.ndarray) and (v.ndim > 0 or v.dtype == np.bool_)


def _getitem_into(buffer: np.ndarray, g: np.ndarray, *, index: Any) -> None:
    """x̄ of ``x[index]`` added into ``buffer``: only the indexed entries are touched."""
    items = index if isinstance(index, tuple) else (index,)
    if any(_advanced(v) for v in items):
        np.add.at(buffer, index, g)  # repeated integer indices accumulate
    else:  # ints, slices, None, Ellipsis: no entry twice, so one in-place add
        buffer[index] += g


register(
    OpDef(
        "getitem",
        _getitem,
        (lambda g, out, x, *, index: g._index_add(x.shape, index),),
        "out = x[index];  x̄ = zeros with g added at index (repeats accumulate)",
        "index",
        reads=((),),
        grad_fn_name="IndexBackward",
        view="maybe",
        naming=_getitem_name,
        vjp_into=_getitem_into,
    )
)


def _gather(x: np.ndarray, *, index: Any) -> np.ndarray:
    # always a copy, as the old value of a region about to be written over
    return np.array(x[index], dtype=x.dtype)


def _as_strided(x: np.ndarray, *, index: Any, strides: tuple[int, ...] | None = None) -> np.ndarray:
    """x's elements at ``index``: a copy, or with ``strides`` (in bytes) the strided view of
    x's memory that shows them (``Tensor.as_strided``: index is where its elements are in x,
    each at its first element's address plus the strides)."""
    if strides is None:
        return _gather(x, index=index)
    shape = index[0].shape
    if not index[0].size:
        return np.lib.stride_tricks.as_strided(x, shape, strides)
    at = (*[i.flat[0] for i in index], Ellipsis)  # a 0-d view of the first element
    first = x[at]
    return np.lib.stride_tricks.as_strided(first, shape, strides)


def _as_strided_vjp(
    g: Tensor, out: Tensor, x: Tensor, *, index: Any, strides: Any = None
) -> Tensor:
    """x̄ = zeros with g added at index. Of a 0-d x, the sum of g: every place is its one
    element, which an expand of it repeats, and the index of a view of a 0-d tensor gives
    shape (1, …, 1) only (``_places_index``); of an empty view, zeros."""
    if not x.data.ndim:
        return g.sum()
    if not g.data.size:
        return g.sum().expand(x.shape)
    return g._index_add(x.shape, index)


register(
    OpDef(
        "as_strided",
        _as_strided,
        (_as_strided_vjp,),
        "out = x at the places a strided view of x's memory shows (index: their positions in "
        "x);  x̄ = zeros with g added there",
        "index",
        reads=((),),
        # torch's node for as_strided, and for a view made again from its base after an
        # in-place change
        grad_fn_name="AsStridedBackward",
        view="maybe",
    )
)
register(
    OpDef(
        "index_add",
        _index_add,
        (lambda g, out, x, *, shape, index: g[index],),
        "out = zeros(shape) with x added at index;  x̄ = g[index]",
        "scatter",
        reads=((),),
        grad_fn_name="IndexAddBackward",
    )
)


def _cat_vjp(g: Tensor, out: Tensor, *xs: Tensor, dim: int, input_index: int) -> Tensor:
    start = sum(x.shape[dim] for x in xs[:input_index])
    sl = (slice(None),) * dim + (slice(start, start + xs[input_index].shape[dim]),)
    return g[sl]


def _cat_vjp_all(g: Tensor, out: Tensor, *xs: Tensor, dim: int) -> tuple[Tensor, ...]:
    """Every x̄ᵢ, the consecutive slices of g along dim, found in one pass over the inputs."""
    pieces, start, lead = [], 0, (slice(None),) * dim
    for x in xs:
        end = start + x.shape[dim]
        index = (*lead, slice(start, end))
        pieces.append(g[index])
        start = end
    return tuple(pieces)


register(
    OpDef(
        "cat",
        lambda *xs, dim: np.concatenate(xs, axis=dim),
        (_cat_vjp,),
        "out = [x₁, x₂, …] along dim;  x̄ᵢ = the slice of g that xᵢ filled",
        "join",
        reads=((),),
        variadic=True,
        vjp_all=_cat_vjp_all,
    )
)


# ----------------------------------------------------------------------------- more primitives
# Trigonometric and hyperbolic functions and exp2 are primitives for their values: composed
# (sinh as (eˣ − e⁻ˣ)/2, asinh as ln(x + √(x² + 1)), tan as sin/cos) they lose every digit
# near 0 or overflow early. The rules are torch's (derivatives.yaml).

register(
    OpDef(
        "tan",
        _quiet(np.tan),
        (lambda g, out, x: g * (1 + out * out),),
        "out = tan x;  x̄ = g·(1 + out²)",
        "unary",
        reads=(("out",),),
        domain=((-1.2, 1.2),),
    )
)
register(
    OpDef(
        "sinh",
        _quiet(np.sinh),
        (lambda g, out, x: g * x.cosh(),),
        "out = sinh x;  x̄ = g·cosh x",
        "unary",
        reads=(("x",),),
    )
)
register(
    OpDef(
        "cosh",
        _quiet(np.cosh),
        (lambda g, out, x: g * x.sinh(),),
        "out = cosh x;  x̄ = g·sinh x",
        "unary",
        reads=(("x",),),
    )
)
register(
    OpDef(
        "asin",
        _quiet(np.arcsin),
        (lambda g, out, x: g * (1 - x * x).rsqrt(),),
        "out = arcsin x;  x̄ = g / √(1 − x²)",
        "unary",
        reads=(("x",),),
        domain=((-0.9, 0.9),),
        convention="at |x| = 1 x̄ = ±∞·g, beyond it nan, as torch",
    )
)
register(
    OpDef(
        "acos",
        _quiet(np.arccos),
        (lambda g, out, x: -g * (1 - x * x).rsqrt(),),
        "out = arccos x;  x̄ = −g / √(1 − x²)",
        "unary",
        reads=(("x",),),
        domain=((-0.9, 0.9),),
    )
)
register(
    OpDef(
        "atan",
        np.arctan,
        (lambda g, out, x: g / (x * x + 1),),
        "out = arctan x;  x̄ = g / (1 + x²)",
        "unary",
        reads=(("x",),),
    )
)
register(
    OpDef(
        "asinh",
        np.arcsinh,
        (lambda g, out, x: g * (x * x + 1).rsqrt(),),
        "out = arsinh x;  x̄ = g / √(x² + 1)",
        "unary",
        reads=(("x",),),
    )
)
register(
    OpDef(
        "acosh",
        _quiet(np.arccosh),
        (lambda g, out, x: g * (x * x - 1).rsqrt(),),
        "out = arcosh x;  x̄ = g / √(x² − 1)",
        "unary",
        reads=(("x",),),
        domain=((1.1, 3.0),),
    )
)
register(
    OpDef(
        "atanh",
        _quiet(np.arctanh),
        (lambda g, out, x: g / (1 - x * x),),
        "out = artanh x;  x̄ = g / (1 − x²)",
        "unary",
        reads=(("x",),),
        domain=((-0.9, 0.9),),
    )
)
register(
    OpDef(
        "exp2",
        _quiet(np.exp2),
        (lambda g, out, x: g * out * _LN2,),
        "out = 2ˣ, exact at integers;  x̄ = g·out·ln 2",
        "unary",
        reads=(("out",),),
    )
)


def _ldexp(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    # 2ʸ in x's dtype, y an integer or of x's dtype (the caller's promotion)
    out: np.ndarray = x * np.exp2(y).astype(x.dtype, copy=False)
    return out


def _ldexp_x(g: Tensor, out: Tensor, x: Tensor, y: Tensor) -> Tensor:
    # (an integer exponent: a constant factor; ±∞ where 2ʸ overflows: torch's x̄ is 0 there)
    two_y = y.exp2() if y.data.dtype.kind == "f" else _quiet(np.exp2)(y.data).astype(g.dtype)
    return g * two_y


register(
    OpDef(
        "ldexp",
        _quiet(_ldexp),
        (_ldexp_x, lambda g, out, x, y: g * out * _LN2),
        "out = x·2ʸ;  x̄ = g·2ʸ;  ȳ = g·out·ln 2",
        "binary",
        reads=(("y",), ("out",)),
        convention="ȳ from the output, as torch's LdexpBackward, which saves the exponent and "
        "the result (not x: a later in-place change of x passes)",
    )
)


# fmod and remainder: numpy's exact forwards (x − q·y rounds); q is piecewise constant.
def _quotient(x: Tensor, y: Tensor, rounding: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(rounding(x.data / y.data))


register(
    OpDef(
        "fmod",
        _quiet(np.fmod),
        (lambda g, out, x, y: g, lambda g, out, x, y: -g * _quotient(x, y, np.trunc)),
        "out = x − trunc(x/y)·y, the sign of x;  x̄ = g;  ȳ = −g·trunc(x/y)",
        "binary",
        reads=((), ("x", "y")),
        # x/y kept between 1 and 2: trunc(x/y) jumps where x/y is a whole number
        domain=((2.1, 2.9), (1.5, 2.0)),
        convention="where x/y is a whole number the value jumps; ȳ takes trunc(x/y) there",
    )
)
register(
    OpDef(
        "remainder",
        _quiet(np.remainder),
        (lambda g, out, x, y: g, lambda g, out, x, y: -g * _quotient(x, y, np.floor)),
        "out = x − floor(x/y)·y, the sign of y;  x̄ = g;  ȳ = −g·floor(x/y)",
        "binary",
        reads=((), ("x", "y")),
        domain=((-2.9, -2.1), (1.5, 2.0)),
        convention="where x/y is a whole number the value jumps; ȳ takes floor(x/y) there",
    )
)


# Determinant and inverse of (batches of) square matrices, by LAPACK (numpy.linalg).
def _det(x: np.ndarray) -> np.ndarray:
    # LAPACK's LU can pivot a nan away (det [[nan, 1], [1, 1]] came out 0): nan propagates
    with np.errstate(invalid="ignore"):
        out = np.asarray(np.linalg.det(x))
    return np.where(np.isnan(x).any(axis=(-2, -1)), np.nan, out).astype(out.dtype)


register(
    OpDef(
        "det",
        _det,
        (lambda g, out, x: g.unsqueeze(-1).unsqueeze(-1) * x._cofactors(out),),
        "out = det X;  X̄ = g·cof X (= g·det X·X⁻ᵀ when X is invertible)",
        "square",
        reads=(("x", "out"),),
        convention=(
            "a singular X gets its cofactor matrix, the derivative (0 for rank ≤ n−2); torch "
            "2.13 returns 0 at an exactly singular X of rank n−1"
        ),
    )
)


def _nan_through(fn: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """``fn`` (numpy's inv or solve) with LAPACK's nan-in, nan-out for matrices holding nan
    (numpy calls them singular and raises for the whole batch); a truly singular one still
    raises."""

    def forward(a: np.ndarray, *rest: np.ndarray) -> np.ndarray:
        try:
            return fn(a, *rest)
        except np.linalg.LinAlgError:
            bad = np.isnan(a).any(axis=(-2, -1))[..., None, None]
            if not bad.any():
                raise
        eye = np.eye(a.shape[-1], dtype=a.dtype)
        out = fn(np.where(bad, eye, a), *rest)
        return np.where(bad, np.nan, out)

    return forward


register(
    OpDef(
        "inverse",
        _nan_through(np.linalg.inv),
        (lambda g, out, x: -(out.mT @ g @ out.mT),),
        "out = X⁻¹;  X̄ = −X⁻ᵀ g X⁻ᵀ",
        "square",
        reads=(("out",),),
    )
)


register(
    OpDef(
        "solve",
        _nan_through(np.linalg.solve),
        (
            lambda g, out, a, b: -(a.mT._solve(g) @ out.mT),
            lambda g, out, a, b: a.mT._solve(g),
        ),
        "out = A⁻¹B (B a batch of matrices);  B̄ = A⁻ᵀg;  Ā = −B̄·outᵀ",
        "solve",
        reads=(("a", "out"), ("a",)),
        grad_fn_name="LinalgSolveExBackward",
    )
)


def _cholesky_vjp(g: Tensor, out: Tensor, x: Tensor) -> Tensor:
    # Only the lower triangle of X is read, but X stands for a symmetric matrix: the gradient
    # is the symmetric one (torch's), Φ = tril(LᵀḠ) with its diagonal halved, mirrored.
    phi = (out.mT @ g).tril()
    phi = 0.5 * (phi + phi.tril(-1).mT)
    upper = out.mT
    return upper._solve(upper._solve(phi).mT).mT  # L⁻ᵀ Φ L⁻¹


register(
    OpDef(
        "cholesky",
        np.linalg.cholesky,
        (_cholesky_vjp,),
        "out = L, lower triangular with X = LLᵀ;  X̄ = L⁻ᵀ Φ L⁻¹, Φ = ½(P + Pᵀ), "
        "P = tril(Lᵀg) with its diagonal halved",
        "spd",
        reads=((OUT,),),
        grad_fn_name="LinalgCholeskyExBackward",
        convention="X is taken as symmetric: only its lower triangle is read, X̄ is symmetric",
    )
)


def _logabsdet(x: np.ndarray) -> np.ndarray:
    # numpy gives a matrix holding nan −∞ (its LU calls it singular); LAPACK's, torch's, is nan
    with np.errstate(invalid="ignore"):
        out = np.linalg.slogdet(x)[1]
    return np.asarray(np.where(np.isnan(x).any(axis=(-2, -1)), np.nan, out), dtype=out.dtype)


def _slogdet_vjp(g: Tensor, out: Tensor, x: Tensor) -> Tensor:
    if np.isfinite(out.data).all() or np.isnan(out.data).all():
        return g.unsqueeze(-1).unsqueeze(-1) * x.inverse().mT
    # a singular X (log |det X| = −∞): X⁻ᵀ = cof X / det X, ±∞ (or nan) as torch's LAPACK gives,
    # where the inverse would raise
    det = x.det()
    with np.errstate(divide="ignore", invalid="ignore"):
        return g.unsqueeze(-1).unsqueeze(-1) * x._cofactors(det) / det.unsqueeze(-1).unsqueeze(-1)


register(
    OpDef(
        "slogdet",
        _logabsdet,
        (_slogdet_vjp,),
        "out = log |det X| (the sign is piecewise constant);  X̄ = g·X⁻ᵀ",
        "square",
        reads=(("x", "out"),),  # out: whether X is singular (log |det X| = −∞)
        grad_fn_name="LinalgSlogdetBackward",
    )
)


# LU with partial pivoting (numpy has none): the forward of lu_factor, and linalg's pivots.
def _lu(a: np.ndarray, *, pivot: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(LU packed as LAPACK's getrf packs it, pivots (1-based, int32), info) for (…, m, n):
    Doolittle elimination one column at a time, each step vectorised over the batch. info is
    the 1-based index of the first zero pivot (0 if none); that column is then not scaled."""
    lu = np.array(a, dtype=a.dtype, copy=True)
    m, n = lu.shape[-2:]
    k = min(m, n)
    batch = lu.shape[:-2]
    pivots = np.broadcast_to(np.arange(1, k + 1, dtype=np.int32), (*batch, k)).copy()
    info = np.zeros(batch, dtype=np.int32)
    rows = np.arange(m)
    for j in range(k):
        if pivot:
            # LAPACK's pivot (idamax): the first largest |x|, where a nan is never larger, so it
            # is chosen only where it comes first (numpy's argmax picks the first nan)
            size = np.abs(lu[..., j:, j])
            size = np.where(np.isnan(size), -1.0, size)
            size[..., 0] = np.where(np.isnan(lu[..., j, j]), np.inf, size[..., 0])
            p = j + np.argmax(size, axis=-1)
            pivots[..., j] = p + 1
            order = np.broadcast_to(rows, (*batch, m)).copy()
            order[..., j] = p
            np.put_along_axis(order, p[..., None], j, axis=-1)
            lu = np.take_along_axis(lu, order[..., None], axis=-2)
        head = lu[..., j, j]
        zero = head == 0
        info = np.where((info == 0) & zero, j + 1, info).astype(np.int32)
        with np.errstate(divide="ignore", invalid="ignore"):
            lu[..., j + 1 :, j] /= np.where(zero, 1, head)[..., None]
        lu[..., j + 1 :, j + 1 :] -= lu[..., j + 1 :, j : j + 1] * lu[..., j : j + 1, j + 1 :]
    return lu, pivots, info


def _lu_factor_vjp(g: Tensor, out: Tensor, x: Tensor) -> Tensor:
    # A zero pivot (singular U): torch's triangular solves divide by it and give nan for that
    # matrix; the others keep their gradient (computed here with the zero pivots set to 1).
    m, n = out.shape[-2:]
    k = min(m, n)
    pivots = np.diagonal(out.data[..., :k, :k], axis1=-2, axis2=-1)
    singular = (pivots == 0).any(-1)[..., None, None]
    if not singular.any():
        return _lu_factor_vjp_regular(g, out)
    ones = np.where(singular & np.eye(m, n, dtype=bool), 1.0, 0.0).astype(out.data.dtype)
    xbar = _lu_factor_vjp_regular(g, out + ones)
    return xbar.masked_fill(np.broadcast_to(singular, xbar.shape), math.nan)


def _lu_factor_vjp_regular(g: Tensor, out: Tensor) -> Tensor:
    # X = LU (m × n, k = min(m, n)) with unit lower L (m × k) and upper U (k × n) packed in one
    # matrix; L̄ and Ū are the parts of g below and on/above the diagonal. torch's rules:
    # square: X̄ = L⁻ᵀ (tril(LᵀL̄, −1) + triu(ŪUᵀ)) U⁻ᵀ;
    # wide (m < n, U = [U₁ U₂]): X̄ = L⁻ᵀ [tril(LᵀL̄ − ŪUᵀ, −1) U₁⁻ᵀ + triu(Ū₁), Ū₂];
    # tall (m > n, L = [L₁; L₂]): X̄ = [L₁⁻ᵀ triu(ŪUᵀ − LᵀL̄) + tril(L̄₁, −1); L̄₂] U⁻ᵀ.
    m, n = out.shape[-2:]
    k = min(m, n)
    lower = out[..., :, :k].tril(-1) + np.eye(m, k, dtype=out.data.dtype)
    upper = out[..., :k, :].triu()
    g_lower, g_upper = g[..., :, :k].tril(-1), g[..., :k, :].triu()
    if m == n:
        phi = (lower.mT @ g_lower).tril(-1) + (g_upper @ upper.mT).triu()
        return upper._solve(lower.mT._solve(phi).mT).mT
    if m < n:
        phi = (lower.mT @ g_lower - g_upper @ upper.mT).tril(-1)
        # [P + triu(Ū₁), Ū₂] = P·[I 0] + triu(Ū)
        phi = upper[..., :k]._solve(phi.mT).mT @ np.eye(k, n, dtype=out.data.dtype) + g_upper
        return lower.mT._solve(phi)
    phi = (g_upper @ upper.mT - lower.mT @ g_lower).triu()
    # [P + tril(L̄₁, −1); L̄₂] = [I; 0]·P + tril(L̄, −1)
    phi = (lower[..., :k, :].mT._solve(phi).mT @ np.eye(k, m, dtype=out.data.dtype)).mT + g_lower
    return upper._solve(phi.mT).mT


register(
    OpDef(
        "lu_factor",
        lambda x: _lu(x, pivot=False)[0],
        (_lu_factor_vjp,),
        "out = L + U − I packed, X = LU (rows already in pivot order);  square X: "
        "X̄ = L⁻ᵀ (tril(LᵀL̄, −1) + triu(ŪUᵀ)) U⁻ᵀ, L̄ = tril(g, −1), Ū = triu(g) "
        "(wide and tall X: see _lu_factor_vjp)",
        "square",
        reads=((OUT,),),
        grad_fn_name="LinalgLuFactorExBackward",
    )
)


# Decompositions (linalg.eigh, svd, qr) and the pseudoinverse, by LAPACK (numpy.linalg). An op
# has one output, so each decomposition packs its factors into one array that
# ``_linalg_decomp.py`` slices apart; the rule splits g the same way. Eigenvectors and singular
# vectors are defined up to sign: the rules are those of torch, exact for the signs LAPACK chose.
# A part of g that is all zeros is a factor nobody used: its terms are skipped, as torch skips
# an undefined gradient, so that svdvals and eigvalsh (and the values alone) stay defined at
# repeated values, where 1/(λⱼ − λᵢ) is infinite. Under create_graph a zero part that requires
# grad is kept: it is 0 here but not its derivative (a loss whose slope happens to vanish), and
# the second derivative passes through these linear terms (graph fuzzer, s18b seed 13192).
def _used(part: Tensor) -> bool:
    return part.requires_grad or bool(np.any(part.data))


def _unless_unused(den: Tensor, part: Tensor) -> Tensor:
    """``den`` with its zeros taken as 1 where ``part`` of g (kept only for its derivative, see
    ``_used``) is all zeros: its term is then 0 and its derivative finite, not 0/0."""
    if np.any(part.data):
        return den
    safe: Tensor = den + (den.data == 0).astype(den.data.dtype)
    return safe


def _eigh(x: np.ndarray, *, UPLO: str) -> np.ndarray:
    values, vectors = np.linalg.eigh(x, UPLO="U" if UPLO == "U" else "L")
    return np.concatenate([values[..., None, :], vectors], axis=-2)


def _eigh_gauge(out: np.ndarray, ref: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    # column j holds λⱼ above vⱼ: vⱼ may flip
    signs = np.sign((out[..., 1:, :] * ref[..., 1:, :]).sum(-2, keepdims=True))
    return np.concatenate([np.ones_like(signs), np.broadcast_to(signs, out[..., 1:, :].shape)], -2)


def _eigh_vjp(g: Tensor, out: Tensor, x: Tensor, *, UPLO: str) -> Tensor:
    values, vectors = out[..., 0, :], out[..., 1:, :]
    inner = g[..., 0, :].diag_embed()
    g_vectors = g[..., 1:, :]
    if _used(g_vectors):
        vg = vectors.mT @ g_vectors
        gaps = values.unsqueeze(-2) - values.unsqueeze(-1)  # λⱼ − λᵢ at (i, j)
        gaps = _unless_unused(gaps + np.eye(values.shape[-1], dtype=x.dtype), g_vectors)
        inner = inner + 0.5 * (vg - vg.mT) / gaps
    return vectors @ inner @ vectors.mT


register(
    OpDef(
        "eigh",
        _eigh,
        (_eigh_vjp,),
        "[λ; V] = eigh X (X = V diag λ Vᵀ, from the UPLO triangle);  "
        "X̄ = V (diag λ̄ + ½(VᵀV̄ − V̄ᵀV) / (λⱼ − λᵢ)) Vᵀ",
        "hermitian",
        reads=(("out",),),
        params={"UPLO": "L"},
        gauge=_eigh_gauge,
        convention=(
            "X̄ is torch's symmetric gradient, not the triangle's own (the tests symmetrize X); "
            "infinite where eigenvalues repeat and V̄ ≠ 0"
        ),
    )
)


def _svd(x: np.ndarray, *, full_matrices: bool) -> np.ndarray:
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    width = max(u.shape[-1], vh.shape[-2])

    def pad(a: np.ndarray) -> np.ndarray:
        return np.pad(a, [(0, 0)] * (a.ndim - 1) + [(0, width - a.shape[-1])])

    return np.concatenate([pad(u), pad(s[..., None, :]), pad(vh.mT)], axis=-2)


def _svd_gauge(out: np.ndarray, ref: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    # column j holds uⱼ, σⱼ and vⱼ: uⱼ and vⱼ flip together, σⱼ (row m) never
    m = shape[-2]
    signs = np.sign((out[..., :m, :] * ref[..., :m, :]).sum(-2, keepdims=True))
    factors = np.array(np.broadcast_to(signs, out.shape))
    factors[..., m, :] = 1
    return factors


def _svd_vjp(g: Tensor, out: Tensor, x: Tensor, *, full_matrices: bool) -> Tensor:
    # Only the first k = min(m, n) columns of U and V take part, as in torch: the rest of a full
    # basis is not differentiable (torch narrows its gradient away too).
    m, n = x.shape[-2:]
    k = min(m, n)
    u, s, v = out[..., :m, :k], out[..., m, :k], out[..., m + 1 :, :k]
    gu, gs, gv = g[..., :m, :k], g[..., m, :k], g[..., m + 1 :, :k]
    use_u, use_v = _used(gu), _used(gv)
    inner = gs.diag_embed()
    if use_u or use_v:
        s2 = s * s
        gaps = s2.unsqueeze(-2) - s2.unsqueeze(-1) + np.eye(k, dtype=x.dtype)  # σⱼ² − σᵢ²
        if use_u:
            ug = u.mT @ gu
            inner = inner + (ug - ug.mT) * s.unsqueeze(-2) / _unless_unused(gaps, gu)
        if use_v:
            vg = v.mT @ gv
            inner = inner + s.unsqueeze(-1) * (vg - vg.mT) / _unless_unused(gaps, gv)
    ga = u @ inner @ v.mT
    if use_u and m > k:  # (I − UUᵀ) Ū Σ⁻¹ Vᵀ: the part of Ū outside U's span
        gu_s = gu / _unless_unused(s.unsqueeze(-2), gu)
        ga = ga + (gu_s - u @ (u.mT @ gu_s)) @ v.mT
    if use_v and n > k:  # U Σ⁻¹ V̄ᵀ (I − VVᵀ)
        gv_s = gv / _unless_unused(s.unsqueeze(-2), gv)
        ga = ga + u @ (gv_s - v @ (v.mT @ gv_s)).mT
    return ga


register(
    OpDef(
        "svd",
        _svd,
        (_svd_vjp,),
        "[U; σ; V] = svd X (X = U diag σ Vᵀ);  X̄ = U (diag σ̄ + (UᵀŪ − ŪᵀU)Σ / (σⱼ² − σᵢ²) + "
        "Σ(VᵀV̄ − V̄ᵀV) / (σⱼ² − σᵢ²)) Vᵀ + (I − UUᵀ)ŪΣ⁻¹Vᵀ + UΣ⁻¹V̄ᵀ(I − VVᵀ)",
        "spectral",
        reads=(("out",),),
        params={"full_matrices": False},
        gauge=_svd_gauge,
        convention=(
            "σ̄ alone gives U diag σ̄ Vᵀ, defined everywhere; Ū or V̄ ≠ 0 is infinite where "
            "singular values repeat (or one is 0 and the matrix is not square)"
        ),
    )
)


def _qr(x: np.ndarray, *, mode: str) -> np.ndarray:
    q, r = np.linalg.qr(x, mode="complete" if mode == "complete" else "reduced")
    return np.concatenate([q.mT, r], axis=-1)  # Qᵀ and R have the same rows


def _qr_gauge(out: np.ndarray, ref: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    # row i holds qᵢ and R's row i: they flip together
    m = shape[-2]
    return np.asarray(np.sign((out[..., :, :m] * ref[..., :, :m]).sum(-1, keepdims=True)))


def _qr_square_vjp(gq: Tensor, gr: Tensor, q: Tensor, r: Tensor) -> Tensor:
    """X̄ for X = QR with R square: (Q̄ + Q copyltu(M)) R⁻ᵀ, M = RR̄ᵀ − Q̄ᵀQ. The R⁻ᵀ is a
    triangular solve, as torch's (no explicit inverse is formed); a zero on R's diagonal (X
    of lower column rank) has no derivative: torch returns inf/nan there, this refuses."""
    if np.any(np.diagonal(r.data, axis1=-2, axis2=-1) == 0):
        raise RuntimeError(
            "linalg.qr: the derivative needs R's diagonal to be nonzero (the input's first "
            f"min(m, n) columns independent), but R (shape {r.shape}) has a zero on its diagonal"
        )
    m = gr @ r.mT - q.mT @ gq
    m = m.triu()
    b = gq + q @ (m + m.mT - m.diagonal(0, -2, -1).diag_embed())
    return r.triu()._solve(b.mT).mT  # B R⁻ᵀ = (R⁻¹Bᵀ)ᵀ


def _qr_vjp(g: Tensor, out: Tensor, x: Tensor, *, mode: str) -> Tensor:
    m, n = x.shape[-2:]
    if mode == "r":
        raise RuntimeError(
            "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
            "Please use linalg.qr(A, mode='reduced') if you are going to differentiate through "
            "linalg.qr."
        )
    if mode == "complete" and m > n:
        raise RuntimeError(
            "The QR decomposition is not differentiable when mode='complete' and nrows > ncols."
        )
    k = min(m, n)
    q, r = out[..., :, :m].mT, out[..., :, m:]
    gq, gr = g[..., :, :m].mT, g[..., :, m:]
    if m >= n:
        return _qr_square_vjp(gq, gr, q, r)
    # X = [Y | Z] with Y = QR₁ square and Z = QR₂: Z̄ = QR̄₂, and Z = QR₂ passes Z R̄₂ᵀ to Q̄
    gr_z = gr[..., :, k:]
    gy = _qr_square_vjp(gq + x[..., :, k:] @ gr_z.mT, gr[..., :, :k], q, r[..., :, :k])
    # side by side: [Ȳ | Z̄] = Ȳ [I 0] + Z̄ [0 I]
    place_y, place_z = np.eye(k, n, dtype=x.dtype), np.eye(n - k, n, k, dtype=x.dtype)
    return gy @ place_y + (q @ gr_z) @ place_z


register(
    OpDef(
        "qr",
        _qr,
        (_qr_vjp,),
        "[Qᵀ | R] = qr X (X = QR, R upper triangular);  X̄ = (Q̄ + Q copyltu(RR̄ᵀ − Q̄ᵀQ)) R⁻ᵀ "
        "(m ≥ n; for m < n the first m columns so, with Q̄ + X₂R̄₂ᵀ, the rest QR̄₂)",
        "spectral",
        reads=(("x", "out"),),
        params={"mode": "reduced"},
        gauge=_qr_gauge,
        convention=(
            "not differentiable for mode='r' or for mode='complete' with more rows than "
            "columns (both raise, as torch); an X whose R has a zero on its diagonal (rank "
            "deficient) has no derivative: backward raises (torch's is inf/nan)"
        ),
    )
)


def _pinv(x: np.ndarray, *, atol: np.ndarray, rtol: np.ndarray, hermitian: bool) -> np.ndarray:
    # Singular values (|eigenvalues| when hermitian) at most max(atol, rtol·σ₁) count as 0.
    if hermitian:
        values, u = np.linalg.eigh(x)
        size = np.abs(values)
        v = u
    else:
        u, values, vh = np.linalg.svd(x, full_matrices=False)
        size, v = values, vh.mT
    largest = size.max(axis=-1, keepdims=True, initial=0.0)
    tol = np.maximum(atol[..., None], rtol[..., None] * largest)
    kept = size > tol
    inverted = np.divide(1.0, values, out=np.zeros_like(values), where=kept)
    return np.asarray((v * inverted[..., None, :]) @ u.mT, dtype=x.dtype)


def _pinv_vjp(
    g: Tensor, out: Tensor, x: Tensor, *, atol: np.ndarray, rtol: np.ndarray, hermitian: bool
) -> Tensor:
    # The derivative of X⁺ at constant rank (Golub and Pereyra), as torch's pinv_backward: no
    # singular vectors, so defined at repeated singular values too.
    p, gt = out, g.mT
    if x.shape[-2] <= x.shape[-1]:
        k = gt @ p
        kp = k @ p.mT
        return -(p @ k).mT + kp - (x @ p) @ kp + (p.mT @ p) @ (gt - k @ x)
    k = p @ gt
    pk = p.mT @ k
    return -(k @ p).mT + (gt - x @ k) @ p @ p.mT + pk - pk @ p @ x


register(
    OpDef(
        "pinv",
        _pinv,
        (_pinv_vjp,),
        "out = X⁺ = V Σ⁺ Uᵀ (σ ≤ max(atol, rtol·σ₁) taken as 0);  X̄ = −X⁺ᵀ g X⁺ᵀ + "
        "(I − XX⁺) gᵀ X⁺X⁺ᵀ + X⁺ᵀX⁺ gᵀ (I − X⁺X)",
        "spectral",
        reads=(("x", "out"),),
        params={"atol": np.zeros(()), "rtol": np.zeros(()), "hermitian": False},
        convention=(
            "the derivative at constant rank, as torch: a singular value crossing the tolerance "
            "makes X⁺ jump"
        ),
    )
)


def _unfold(x: np.ndarray, *, dim: int, size: int, step: int) -> np.ndarray:
    # Windows that do not overlap may be written through, as torch's; overlapping ones are
    # read-only (torch refuses in-place writes to them too: one memory location, many elements).
    writeable = step >= size and x.flags.writeable
    windows = np.lib.stride_tricks.sliding_window_view(x, size, axis=dim, writeable=writeable)
    return windows[(slice(None),) * dim + (slice(None, None, step),)]


register(
    OpDef(
        "unfold",
        _unfold,
        (lambda g, out, x, *, dim, size, step: g._fold(x.shape, dim, size, step),),
        "out[…, w, …, j] = x[…, w·step + j, …] (windows along dim, last);  "
        "x̄ = fold(g): g added back at each window's place",
        "window",
        reads=((),),
        view="always",
    )
)


def _fold(
    windows: np.ndarray, *, shape: tuple[int, ...], dim: int, size: int, step: int
) -> np.ndarray:
    # Entry j of every window lands on the strided slice j, j + step, …: one add per window
    # position (size adds in all), where a scatter by index (np.add.at) is many times slower.
    out = np.zeros(shape, dtype=windows.dtype)
    count = windows.shape[dim]
    for j in range(size):
        place = (slice(None),) * dim + (slice(j, j + step * (count - 1) + 1, step),)
        out[place] += windows[..., j]
    return out


register(
    OpDef(
        "fold",
        _fold,
        (lambda g, out, windows, *, shape, dim, size, step: g.unfold(dim, size, step),),
        "out[…, w·step + j, …] = Σ windows[…, w, …, j] (the adjoint of unfold);  "
        "windows̄ = unfold(g)",
        "fold",
        reads=((),),
        grad_fn_name="UnfoldBackwardBackward",
    )
)


def markdown_table() -> str:
    """The op table as Markdown, for the README (a test keeps the README in sync with it)."""
    rows = [
        "| op | kind | forward and derivative rules (adjoint notation) | at kinks and ties |",
        "|---|---|---|---|",
    ]
    for op in OPS.values():
        rule = op.math.replace("|", "\\|")
        rows.append(f"| `{op.name}` | {op.kind} | {rule} | {op.convention or '—'} |")
    return "\n".join(rows)

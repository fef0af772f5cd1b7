"""Forward-mode AD (``tg.autograd.forward_ad``): tangents against finite differences and torch.

Every case runs one program on this library with dual inputs and checks the tangent of the
output against a central difference along the tangent, (f(x + hv) − f(x − hv)) / 2h; then,
where torch is installed, runs it on torch's ``forward_ad`` and compares primal and tangent in
float64 to 1e-10. The programs: every elementwise op of the registry (unary and binary, drawn
in its domain, away from its kinks), reductions, matmul and contractions, views and indexing,
softmax, losses, linear algebra, an MLP, a Conv2d and recurrent cells run by
``func.functional_call`` with dual parameters. Then the API: levels and their errors, torch's
errors of make_dual, no tangent where nothing depends on a dual, grad mode, backward through
duals, in-place ops, custom Functions' ``jvp``, and that outside a level nothing is swapped.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import _forward_ad
from tinygrad_ed.ops import OPS

tensor = sys.modules["tinygrad_ed.tensor"]  # the module (tg.tensor is the function)

fwAD = tg.autograd.forward_ad

TOL = 1e-10  # against torch, float64
FD_STEP = 1e-6
FD_TOL = 1e-6  # central differences: O(h²) truncation and ~1e-10 rounding

Program = Callable[..., Any]

# torch's make_dual loads its jvp decompositions through torch.jit, which warns
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")


def _values(t: Any) -> np.ndarray:
    return np.array(t.detach().numpy(), dtype=np.float64)


def _run(lib: str, program: Program, primals: list[Any], tangents: list[Any]) -> Any:
    """``program(m, *inputs)`` in a dual level of library ``lib`` (``m`` its namespace), the
    inputs with a tangent made dual: the output's primal and tangent as arrays (None: none)."""
    m = importlib.import_module(lib)
    fw = m.autograd.forward_ad
    with fw.dual_level():
        inputs = [
            m.tensor(p) if t is None else fw.make_dual(m.tensor(p), m.tensor(t))
            for p, t in zip(primals, tangents)
        ]
        primal, tangent = fw.unpack_dual(program(m, *inputs))
        return _values(primal), None if tangent is None else _values(tangent)


def _fd(program: Program, primals: list[Any], tangents: list[Any]) -> np.ndarray:
    def at(step: float) -> np.ndarray:
        moved = [p if t is None else p + step * t for p, t in zip(primals, tangents)]
        return _values(program(tg, *[tg.tensor(a) for a in moved]))

    return (at(FD_STEP) - at(-FD_STEP)) / (2 * FD_STEP)


def check(
    program: Program,
    primals: list[Any],
    tangents: list[Any],
    *,
    torch_too: bool = True,
    tol: float = TOL,
) -> None:
    """The tangent equals the central difference, and primal and tangent equal torch's."""
    primal, tangent = _run("tinygrad_ed", program, primals, tangents)
    assert tangent is not None, "no tangent for an output that depends on a dual"
    assert tangent.shape == primal.shape
    np.testing.assert_allclose(tangent, _fd(program, primals, tangents), rtol=FD_TOL, atol=FD_TOL)
    if torch_too:
        pytest.importorskip("torch")
        t_primal, t_tangent = _run("torch", program, primals, tangents)
        np.testing.assert_allclose(primal, t_primal, rtol=tol, atol=tol)
        np.testing.assert_allclose(tangent, t_tangent, rtol=tol, atol=tol)


def _draw(rng: np.random.Generator, shape: tuple[int, ...], domain: Any, avoid: Any) -> np.ndarray:
    lo, hi = domain if domain else (-2.0, 2.0)
    x = rng.uniform(lo, hi, shape)
    for a in avoid or ():  # away from kinks and poles by construction
        x = np.where(np.abs(x - a) < 0.15, x + 0.3 * np.sign(x - a + 1e-9), x)
    return x


# ----------------------------------------------------------------------------- the registry

# torch's function for each elementwise op of the table (its parameters, the table's test ones);
# inv_mills and ignore have no torch counterpart: finite differences only.
TORCH_FUNCTION: dict[str, Callable[..., Any]] = {
    "polygamma": lambda m, x: m.polygamma(1, x),
    "erfcx": lambda m, x: m.special.erfcx(x),
    "ndtri": lambda m, x: m.special.ndtri(x),
    "log_ndtr": lambda m, x: m.special.log_ndtr(x),
    "i0e": lambda m, x: m.special.i0e(x),
    "i1": lambda m, x: m.special.i1(x),
    "i1e": lambda m, x: m.special.i1e(x),
    "igamma": lambda m, x: m.special.gammainc(m.tensor(1.7, dtype=m.float64), x),
    "igammac": lambda m, x: m.special.gammaincc(m.tensor(1.7, dtype=m.float64), x),
    "zeta": lambda m, x: m.special.zeta(m.tensor(2.5, dtype=m.float64), x),
    "clamp": lambda m, x: m.clamp(x, -0.5, 0.5),
    "binary_cross_entropy_with_logits": lambda m, x, t: (
        m.nn.functional.binary_cross_entropy_with_logits(x, t, reduction="none")
    ),
    "binary_cross_entropy": lambda m, x, t: m.nn.functional.binary_cross_entropy(
        x, t, reduction="none"
    ),
}
NO_TORCH = {"inv_mills", "ignore"}
# torch 2.13's forward AD has no formula for these ("Trying to use forward AD with igamma that
# does not support it"): finite differences only, and torch's refusal checked.
TORCH_NO_FORWARD = {"igamma", "igammac", "zeta"}
# The values of trigamma and tetragamma (the derivatives here) from this library's series and
# torch's differ by ~5e-10 relative: compared at 1e-8.
LOOSER = {"digamma": 1e-8, "polygamma": 1e-8}
SAME_SHAPE = {"binary_cross_entropy", "binary_cross_entropy_with_logits"}  # torch's rule
# torch's forward AD has no formula for these inputs (its own NotImplementedError), or a
# different one: only the first input carries a tangent beside torch.
TORCH_FIRST_ONLY = {"binary_cross_entropy", "ldexp", "fmod", "remainder"}

ELEMENTWISE = sorted(n for n, op in OPS.items() if op.kind in ("unary", "binary"))


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_op_of_the_registry(name: str) -> None:
    op = OPS[name]
    rng = np.random.default_rng(sum(map(ord, name)))
    n = 2 if op.kind == "binary" else 1
    shapes = [(3, 4), (3, 4) if name in SAME_SHAPE else (4,)][:n]  # the second one broadcast
    primals = [
        _draw(
            rng,
            s,
            op.domain[i] if i < len(op.domain) else None,
            op.avoid[i] if i < len(op.avoid) else None,
        )
        for i, s in enumerate(shapes)
    ]
    tangents = [rng.standard_normal(s) for s in shapes]

    def ours(m: Any, *xs: Any) -> Any:
        if m is tg:
            return tensor._apply(op, *xs, **op.params)
        torch_fn = TORCH_FUNCTION.get(name)
        return torch_fn(m, *xs) if torch_fn else getattr(m, name)(*xs)

    check(ours, primals, tangents, torch_too=False)
    if name in NO_TORCH:
        return
    if name in TORCH_NO_FORWARD:
        pytest.importorskip("torch")
        with pytest.raises(NotImplementedError, match="Trying to use forward AD with"):
            _run("torch", ours, primals, tangents)
        return
    if name in TORCH_FIRST_ONLY:
        tangents = [tangents[0], None]
    check(ours, primals, tangents, tol=LOOSER.get(name, TOL))


def test_every_elementwise_op_is_covered() -> None:
    """A new unary or binary op joins the test above by construction; one without a torch name
    or an entry here must be named in NO_TORCH."""
    torch = pytest.importorskip("torch")
    for name in ELEMENTWISE:
        assert name in NO_TORCH or name in TORCH_FUNCTION or hasattr(torch, name), name


# ----------------------------------------------------------------------------- compositions

R = np.random.default_rng(7)
A34, B34, T34, U34 = (R.standard_normal((3, 4)) for _ in range(4))
A45, T45 = R.standard_normal((4, 5)), R.standard_normal((4, 5))
DISTINCT = np.arange(12.0).reshape(3, 4)[:, ::-1] * 0.37 - 2.0  # no ties for max/min
SPD = A34 @ A34.T + 3 * np.eye(3)
SQ, TSQ = R.standard_normal((3, 3)) + 3 * np.eye(3), R.standard_normal((3, 3))
IMG, TIMG = R.standard_normal((2, 2, 4, 4)), R.standard_normal((2, 2, 4, 4))
W1, TW1 = R.standard_normal((3, 2, 3)), R.standard_normal((3, 2, 3))

CASES: dict[str, tuple[Program, list[Any], list[Any]]] = {
    # reductions
    "sum": (lambda m, x: x.sum(1), [A34], [T34]),
    "sum_all": (lambda m, x: x.sum(), [A34], [T34]),
    "mean": (lambda m, x: x.mean(0, keepdim=True), [A34], [T34]),
    "prod": (lambda m, x: x.prod(1), [A34], [T34]),
    "amax": (lambda m, x: x.amax(1), [DISTINCT], [T34]),
    "amin": (lambda m, x: m.amin(x, 0), [DISTINCT], [T34]),
    "max_dim": (lambda m, x: x.max(1).values, [DISTINCT], [T34]),
    "min_all": (lambda m, x: x.min(), [DISTINCT], [T34]),
    "logsumexp": (lambda m, x: m.logsumexp(x, 1), [A34], [T34]),
    "var": (lambda m, x: x.var(1), [A34], [T34]),
    "std": (lambda m, x: x.std(0), [A34], [T34]),
    "norm": (lambda m, x: m.linalg.norm(x), [A34], [T34]),
    "cumsum": (lambda m, x: m.cumsum(x, 1), [A34], [T34]),
    "cumprod": (lambda m, x: m.cumprod(x, 0), [A34], [T34]),
    # products
    "matmul": (lambda m, x, w: x @ w, [A34, A45], [T34, T45]),
    "matmul_one_dual": (lambda m, x, w: x @ w, [A34, A45], [T34, None]),
    "matvec": (lambda m, x, v: m.matmul(x, v), [A34, A45[:, 0]], [T34, T45[:, 0]]),
    "einsum": (lambda m, x, w: m.einsum("ij,jk->ik", x, w), [A34, A45], [T34, T45]),
    "linear": (
        lambda m, x, w, b: m.nn.functional.linear(x, w, b),
        [A34, A45.T, A45[0]],
        [T34, T45.T, T45[0]],
    ),
    "outer": (lambda m, x, y: m.outer(x, y), [A34[0], A45[0]], [T34[0], T45[0]]),
    # views and indexing
    "reshape": (lambda m, x: x.reshape(2, 6), [A34], [T34]),
    "permute": (lambda m, x: x.reshape(3, 2, 2).permute(2, 0, 1), [A34], [T34]),
    "transpose": (lambda m, x: x.t() * 2, [A34], [T34]),
    "expand": (lambda m, x: x[:, :1].expand(3, 5), [A34], [T34]),
    "diagonal": (lambda m, x: m.diagonal(x, 1), [A34], [T34]),
    "slice": (lambda m, x: x[1:, ::2], [A34], [T34]),
    "advanced_index": (lambda m, x: x[[0, 2, 2], [1, 1, 3]], [A34], [T34]),
    "mask": (lambda m, x: x[x > 0], [A34], [T34]),
    "unsqueeze_flatten": (lambda m, x: x.unsqueeze(0).flatten(), [A34], [T34]),
    "narrow": (lambda m, x: x.narrow(1, 1, 2), [A34], [T34]),
    "flip": (lambda m, x: x.flip(0), [A34], [T34]),
    "unfold": (lambda m, x: x.unfold(1, 2, 1), [A34], [T34]),
    "gather": (lambda m, x: m.gather(x, 1, m.tensor([[0, 3], [1, 1], [2, 0]])), [A34], [T34]),
    "cat": (lambda m, x, y: m.cat([x, y], 0), [A34, B34], [T34, U34]),
    "stack": (lambda m, x, y: m.stack([x, y], 1), [A34, B34], [T34, None]),
    "where": (lambda m, x, y: m.where(x > 0, x, y), [A34, B34], [T34, U34]),
    "split": (lambda m, x: x.split([1, 3], 1)[1], [A34], [T34]),
    "index_add": (
        lambda m, x, y: x.index_add(0, m.tensor([0, 2]), y),
        [A34, B34[:2]],
        [T34, U34[:2]],
    ),
    # activations, softmax and losses
    "softmax": (lambda m, x: m.softmax(x, 1), [A34], [T34]),
    "log_softmax": (lambda m, x: m.nn.functional.log_softmax(x, 0), [A34], [T34]),
    "cross_entropy": (
        lambda m, x: m.nn.functional.cross_entropy(x, m.tensor([0, 3, 1])),
        [A34],
        [T34],
    ),
    "cross_entropy_none": (
        lambda m, x: m.nn.functional.cross_entropy(x, m.tensor([2, 0, 1]), reduction="none"),
        [A34],
        [T34],
    ),
    "nll_loss": (
        lambda m, x: m.nn.functional.nll_loss(m.log_softmax(x, 1), m.tensor([0, 3, 1])),
        [A34],
        [T34],
    ),
    "mse_loss": (lambda m, x, y: m.nn.functional.mse_loss(x, y), [A34, B34], [T34, U34]),
    "gelu": (lambda m, x: m.nn.functional.gelu(x), [A34], [T34]),
    "silu_softplus_elu": (
        lambda m, x: m.nn.functional.silu(x) + m.nn.functional.softplus(x) + m.nn.functional.elu(x),
        [A34],
        [T34],
    ),
    "layer_norm": (lambda m, x: m.nn.functional.layer_norm(x, (4,)), [A34], [T34]),
    "pow_scalar": (lambda m, x: x**3 + 2**x, [A34], [T34]),
    "max_pool2d": (lambda m, x: m.nn.functional.max_pool2d(x, 2), [IMG], [TIMG]),
    "avg_pool2d": (lambda m, x: m.nn.functional.avg_pool2d(x, 2), [IMG], [TIMG]),
    "conv1d": (
        lambda m, x, w: m.nn.functional.conv1d(x, w, padding=1),
        [IMG[:, :, 0], W1],
        [TIMG[:, :, 0], TW1],
    ),
    "pad": (lambda m, x: m.nn.functional.pad(x, (1, 2), mode="reflect"), [A34], [T34]),
    "batch_norm": (
        lambda m, x: m.nn.functional.batch_norm(x, None, None, training=True),
        [A34],
        [T34],
    ),
    "embedding": (
        lambda m, w: m.nn.functional.embedding(m.tensor([[0, 2], [3, 3]]), w),
        [A45],
        [T45],
    ),
    "attention": (
        lambda m, q, k, v: m.nn.functional.scaled_dot_product_attention(q, k, v),
        [A34[None], B34[None], A34[None] * 0.5],
        [T34[None], U34[None], None],
    ),
    # linear algebra
    "det": (lambda m, x: m.linalg.det(x), [SQ], [TSQ]),
    "inv": (lambda m, x: m.linalg.inv(x), [SQ], [TSQ]),
    "solve": (lambda m, a, b: m.linalg.solve(a, b), [SQ, A34], [TSQ, T34]),
    "cholesky": (lambda m, x: m.linalg.cholesky(x), [SPD], [TSQ + TSQ.T]),
    # the tutorial's fn
    "tutorial_fn": (lambda m, x, y: x**2 + y**2, [A34, B34], [T34, None]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_composition(name: str) -> None:
    program, primals, tangents = CASES[name]
    check(program, primals, tangents)


# ----------------------------------------------------------------------------- modules


def _params(shapes: dict[str, tuple[int, ...]], seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    rng = np.random.default_rng(seed)
    values = {k: rng.standard_normal(s) * 0.5 for k, s in shapes.items()}
    tangents = {k: rng.standard_normal(s) for k, s in shapes.items()}
    return values, tangents


def _module_program(make: Callable[[Any], Any], names: list[str]) -> Program:
    """A program that runs ``make(m)``'s module on its first input through
    ``func.functional_call`` with the remaining inputs as its parameters, by name."""

    def program(m: Any, x: Any, *params: Any) -> Any:
        model = make(m).to(m.float64)
        out = m.func.functional_call(model, dict(zip(names, params)), (x,))
        return out[0] if isinstance(out, tuple) else out

    return program


MODULES: dict[str, tuple[Callable[[Any], Any], dict[str, tuple[int, ...]], tuple[int, ...]]] = {
    "mlp": (
        lambda m: m.nn.Sequential(m.nn.Linear(4, 6), m.nn.Tanh(), m.nn.Linear(6, 2)),
        {"0.weight": (6, 4), "0.bias": (6,), "2.weight": (2, 6), "2.bias": (2,)},
        (5, 4),
    ),
    "conv2d": (
        lambda m: m.nn.Conv2d(2, 3, 3, padding=1, stride=1),
        {"weight": (3, 2, 3, 3), "bias": (3,)},
        (2, 2, 5, 5),
    ),
    "rnn_cell": (
        lambda m: m.nn.RNNCell(4, 3),
        {"weight_ih": (3, 4), "weight_hh": (3, 3), "bias_ih": (3,), "bias_hh": (3,)},
        (2, 4),
    ),
    "gru_cell": (
        lambda m: m.nn.GRUCell(4, 3),
        {"weight_ih": (9, 4), "weight_hh": (9, 3), "bias_ih": (9,), "bias_hh": (9,)},
        (2, 4),
    ),
    "lstm_cell": (
        lambda m: m.nn.LSTMCell(4, 3),
        {"weight_ih": (12, 4), "weight_hh": (12, 3), "bias_ih": (12,), "bias_hh": (12,)},
        (2, 4),
    ),
}


@pytest.mark.parametrize("name", sorted(MODULES))
@pytest.mark.parametrize("input_dual", [False, True])
def test_module_with_dual_parameters(name: str, input_dual: bool) -> None:
    make, shapes, input_shape = MODULES[name]
    values, tangents = _params(shapes, len(name))
    rng = np.random.default_rng(3)
    x, tx = rng.standard_normal(input_shape), rng.standard_normal(input_shape)
    program = _module_program(make, list(shapes))
    check(
        program,
        [x, *values.values()],
        [tx if input_dual else None, *tangents.values()],
    )


# ----------------------------------------------------------------------------- the API


def test_levels_and_their_errors() -> None:
    x, t = tg.randn(3, dtype=tg.float64), tg.randn(3, dtype=tg.float64)
    with pytest.raises(RuntimeError, match="no level exists, make sure to enter_dual_level"):
        fwAD.make_dual(x, t)
    assert fwAD.unpack_dual(x) == (x, None) and fwAD.unpack_dual(x).primal is x
    with pytest.raises(RuntimeError, match="Dual level must be a positive number"):
        fwAD.exit_dual_level()
    with fwAD.dual_level() as level:
        assert level == 0
        with pytest.raises(RuntimeError, match="Nested forward mode AD is not supported"):
            fwAD.enter_dual_level()
        with (
            pytest.raises(RuntimeError, match="Nested forward mode AD is not supported"),
            fwAD.dual_level(),
        ):
            pass
        with pytest.raises(RuntimeError, match="not the last one that was created"):
            fwAD.exit_dual_level(level=1)
        with pytest.raises(RuntimeError, match="Invalid level given to _make_dual"):
            fwAD.make_dual(x, t, level=1)
        assert fwAD.unpack_dual(fwAD.make_dual(x, t), level=1).tangent is None
    # the level is 0 again next time, as torch's; enter/exit by hand
    assert fwAD.enter_dual_level() == 0
    fwAD.exit_dual_level(level=0)

    @fwAD.dual_level()
    def decorated() -> Any:
        return fwAD.unpack_dual(fwAD.make_dual(x, t) * 2).tangent

    np.testing.assert_array_equal(decorated().data, 2 * t.data)


def test_make_dual_errors_as_torch() -> None:
    x = tg.randn(3, dtype=tg.float64)
    with fwAD.dual_level():
        with pytest.raises(
            RuntimeError,
            match=r"Tensor is of size \[3\] while the given forward gradient is of size \[4\]",
        ):
            fwAD.make_dual(x, tg.randn(4, dtype=tg.float64))
        with pytest.raises(RuntimeError, match=r"size \[3\] while .* size \[\]\."):
            fwAD.make_dual(x, tg.tensor(1.0, dtype=tg.float64))
        with pytest.raises(
            ValueError, match="Expected primal to be floating point or complex, but got: int64"
        ):
            fwAD.make_dual(tg.ones(3, dtype=tg.int64), x)
        with pytest.raises(ValueError, match="Expected tangent to be floating point"):
            fwAD.make_dual(x, tg.ones(3, dtype=tg.int64))
        with pytest.raises(TypeError, match="tangent must be a Tensor"):
            fwAD.make_dual(x, 3.0)
        with pytest.raises(TypeError, match="expected a Tensor"):
            fwAD.unpack_dual(3.0)
        dual = fwAD.make_dual(x, tg.randn(3, dtype=tg.float64))
        with pytest.raises(
            RuntimeError, match="already has a forward gradient at the same level 0"
        ):
            fwAD.make_dual(dual, x)
        # another floating dtype is kept as it is, as torch's
        t32 = tg.randn(3, dtype=tg.float32)
        assert fwAD.unpack_dual(fwAD.make_dual(x, t32)).tangent is t32


def test_dual_is_an_alias_and_tangents_die_with_the_level() -> None:
    x, t = tg.randn(2, 3, dtype=tg.float64), tg.randn(2, 3, dtype=tg.float64)
    with fwAD.dual_level():
        dual = fwAD.make_dual(x, t)
        assert np.shares_memory(dual.data, x.data) and not dual.requires_grad
        assert fwAD.unpack_dual(dual).tangent is t  # as it is
        primal, _ = fwAD.unpack_dual(dual)
        assert np.shares_memory(primal.data, x.data) and fwAD.unpack_dual(primal).tangent is None
        out = dual.sin() * tg.ones(3)  # a plain tensor beside the dual
        assert fwAD.unpack_dual(out).tangent is not None
        assert fwAD.unpack_dual(tg.ones(3) * 2).tangent is None  # depends on no dual
        assert fwAD.unpack_dual(dual.detach()).tangent is None
        assert fwAD.unpack_dual(dual > 0).tangent is None  # booleans have none
        assert fwAD.unpack_dual(dual.argmax()).tangent is None
        assert fwAD.unpack_dual(dual.floor()).tangent.abs().sum().item() == 0  # type: ignore[union-attr]
        assert isinstance(fwAD.unpack_dual(out), fwAD.UnpackedDualTensor)
    assert fwAD.unpack_dual(out).tangent is None
    assert getattr(out, "_tangent", None) is None and getattr(dual, "_tangent", None) is None


def test_tangents_whatever_the_grad_mode_and_backward_through_duals() -> None:
    x = tg.randn(4, dtype=tg.float64, requires_grad=True)
    t = tg.randn(4, dtype=tg.float64)
    with fwAD.dual_level():
        dual = fwAD.make_dual(x, t)
        assert dual.requires_grad  # an alias of x, backward differentiable
        with tg.no_grad():
            y = dual.exp()
        np.testing.assert_allclose(fwAD.unpack_dual(y).tangent.data, (x.exp() * t).data)  # type: ignore[union-attr]
        z = dual.sin()
        primal, tangent = fwAD.unpack_dual(z)
        primal.sum().backward()
    np.testing.assert_allclose(x.grad.data, np.cos(x.data))  # type: ignore[union-attr]
    np.testing.assert_allclose(tangent.data, np.cos(x.data) * t.data)  # type: ignore[union-attr]


def test_recorded_ops_on_duals_that_require_grad() -> None:
    """A dual whose primal requires grad records the graph as usual (cross_entropy's recorded
    form keeps the softmax for its rule): tangent and gradient both right."""
    rng = np.random.default_rng(5)
    logits = tg.tensor(rng.standard_normal((3, 4)), requires_grad=True)
    t = tg.tensor(rng.standard_normal((3, 4)))
    target = tg.tensor([0, 3, 1])
    with fwAD.dual_level():
        loss = tg.nn.functional.cross_entropy(fwAD.make_dual(logits, t), target)
        tangent = fwAD.unpack_dual(loss).tangent
        loss.backward()
    assert logits.grad is not None and tangent is not None
    # J v of a scalar loss is its gradient · v
    np.testing.assert_allclose(tangent.item(), (logits.grad.data * t.data).sum(), rtol=1e-12)


def test_inplace_ops_on_duals() -> None:
    x, t = np.random.default_rng(1).standard_normal((2, 3, 3))
    with fwAD.dual_level():
        d = fwAD.make_dual(tg.tensor(x), tg.tensor(t))
        a = d.clone()
        a.mul_(3)
        a += d
        np.testing.assert_allclose(fwAD.unpack_dual(a).tangent.data, 4 * t)  # type: ignore[union-attr]
        b = d.clone()
        b.exp_()
        np.testing.assert_allclose(fwAD.unpack_dual(b).tangent.data, np.exp(x) * t)  # type: ignore[union-attr]
        c = tg.zeros(3, 4, dtype=tg.float64)  # no tangent before: written with a dual's values
        c[:, 1:] = d
        expected = np.zeros((3, 4))
        expected[:, 1:] = t
        np.testing.assert_array_equal(fwAD.unpack_dual(c).tangent.data, expected)  # type: ignore[union-attr]
        c.fill_(1.0)  # a constant: the tangent is zero
        assert not fwAD.unpack_dual(c).tangent.data.any()  # type: ignore[union-attr]
        e = tg.zeros(3, 3, dtype=tg.float64)
        e.copy_(d)
        np.testing.assert_array_equal(fwAD.unpack_dual(e).tangent.data, t)  # type: ignore[union-attr]


class Exp(tg.autograd.Function):
    """The tutorial's Function: forward saves its result on ctx for jvp."""

    @staticmethod
    def forward(ctx: Any, foo: Any) -> Any:
        result = tg.exp(foo)
        ctx.result = result
        return result

    @staticmethod
    def jvp(ctx: Any, g_in: Any) -> Any:
        g_out = g_in * ctx.result
        del ctx.result
        return g_out


class TwoOutputs(tg.autograd.Function):
    @staticmethod
    def forward(ctx: Any, a: Any, b: Any, k: float) -> Any:
        ctx.k = k
        return a * b * k, a + b

    @staticmethod
    def jvp(ctx: Any, ta: Any, tb: Any, tk: Any) -> Any:
        assert tk is None  # not a tensor: None, as torch
        return ta * 2, ta + tb

    @staticmethod
    def backward(ctx: Any, g1: Any, g2: Any) -> Any:
        return g1 * ctx.k, g2, None


def test_custom_function_jvp() -> None:
    x, t = tg.randn(3, 3, dtype=tg.float64, requires_grad=True), tg.randn(3, 3, dtype=tg.float64)
    with fwAD.dual_level():
        out = Exp.apply(fwAD.make_dual(x, t))
        np.testing.assert_allclose(fwAD.unpack_dual(out).tangent.data, np.exp(x.data) * t.data)  # type: ignore[union-attr]
        plain = tg.randn(3, 3, dtype=tg.float64)
        y1, y2 = TwoOutputs.apply(fwAD.make_dual(x, t), plain, 3.0)
        # jvp's own values (deliberately not the derivative): the jvp is what forward AD uses,
        # and a tensor without a tangent gave zeros
        np.testing.assert_allclose(fwAD.unpack_dual(y1).tangent.data, 2 * t.data)  # type: ignore[union-attr]
        np.testing.assert_allclose(fwAD.unpack_dual(y2).tangent.data, t.data)  # type: ignore[union-attr]
        assert Exp.apply(plain) is not None  # no dual argument: jvp not called

    assert tg.autograd.gradcheck(
        Exp.apply,
        (x,),
        check_forward_ad=True,
        check_backward_ad=False,
        check_undefined_grad=False,
        check_batched_grad=False,
    )


def test_custom_function_errors_as_torch() -> None:
    class NoJvp(tg.autograd.Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            return a * 2

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return g * 2

    class WrongCount(tg.autograd.Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            return a * 2, a * 3

        @staticmethod
        def jvp(ctx: Any, ta: Any) -> Any:
            return ta

    class WrongSize(tg.autograd.Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            return a * 2

        @staticmethod
        def jvp(ctx: Any, ta: Any) -> Any:
            return ta[:2]

    x = tg.randn(3, dtype=tg.float64)
    with fwAD.dual_level():
        d = fwAD.make_dual(x, tg.randn(3, dtype=tg.float64))
        with pytest.raises(NotImplementedError, match="You must implement the jvp function"):
            NoJvp.apply(d)
        NoJvp.apply(x)  # no dual: fine
        with pytest.raises(
            RuntimeError, match=r"invalid number of forward gradients \(expected 2 but got 1\)"
        ):
            WrongCount.apply(d)
        with pytest.raises(
            RuntimeError, match=r"size \[3\] while the given forward gradient is of size \[2\]"
        ):
            WrongSize.apply(d)


def test_gradcheck_forward_ad_finds_a_wrong_jvp() -> None:
    class Wrong(Exp):
        @staticmethod
        def jvp(ctx: Any, g_in: Any) -> Any:
            return g_in

    x = tg.randn(3, dtype=tg.float64, requires_grad=True)
    with pytest.raises(
        tg.autograd.numgrad.GradcheckError if hasattr(tg.autograd, "numgrad") else Exception,
        match="forward AD",
    ):
        tg.autograd.gradcheck(Wrong.apply, (x,), check_forward_ad=True, check_backward_ad=False)
    with pytest.raises(
        AssertionError, match="at least one of check_forward_ad or check_backward_ad"
    ):
        tg.autograd.gradcheck(tg.sin, (x,), check_backward_ad=False)
    assert tg.autograd.gradcheck(tg.sin, (x,), check_forward_ad=True)


def test_nothing_is_swapped_outside_a_level() -> None:
    """Outside a level the engine's hot path is the plain one: no test for tangents there."""
    plain = _forward_ad._plain_apply
    assert tensor._apply is plain and not _forward_ad._swapped
    with fwAD.dual_level():
        assert tensor._apply is _forward_ad._apply_dual
        assert tg.Tensor._inplace is _forward_ad._inplace
        # every module of the package that imported _apply calls the dual-aware one
        holders = [
            name
            for name, module in sys.modules.items()
            if name.startswith("tinygrad_ed") and vars(module).get("_apply") is plain
        ]
        assert holders == []
    assert tensor._apply is plain and not _forward_ad._swapped
    assert tg.Tensor._inplace is not _forward_ad._inplace
    # and an error inside a level leaves it too
    with pytest.raises(ZeroDivisionError), fwAD.dual_level():
        raise ZeroDivisionError
    assert tensor._apply is plain and _forward_ad._current_level == -1


def test_forward_and_reverse_mode_agree_with_func_jvp() -> None:
    """J v from forward mode equals tg.func.jvp's (the double-vjp trick) and the column of
    jacrev's Jacobian."""

    def f(x: Any) -> Any:
        return (x.sin() @ x.t()).tanh().sum(0)

    x, v = tg.randn(3, 4, dtype=tg.float64), tg.randn(3, 4, dtype=tg.float64)
    with fwAD.dual_level():
        tangent = fwAD.unpack_dual(f(fwAD.make_dual(x, v))).tangent
    _, jv = tg.func.jvp(f, (x,), (v,))
    jacobian = tg.func.jacrev(f)(x)
    np.testing.assert_allclose(tangent.data, jv.data, rtol=1e-12, atol=1e-12)  # type: ignore[union-attr]
    np.testing.assert_allclose(
        tangent.data,  # type: ignore[union-attr]
        jacobian.data.reshape(3, -1) @ v.data.reshape(-1),
        rtol=1e-12,
        atol=1e-12,
    )

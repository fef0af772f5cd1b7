"""Every op in the table, gradchecked in float64 on hypothesis-drawn inputs.

The test is generated from the registry: an op cannot be added without a ``kind`` that has a
strategy here, so it cannot exist without a finite-difference check, nor declare that a rule
does not read a value it reads (``reads``: the rule is called again with that value replaced).
"""

from __future__ import annotations

import dis
import inspect
import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tinygrad_ed.autograd import no_grad
from tinygrad_ed.numgrad import gradcheck, gradgradcheck
from tinygrad_ed.ops import KINDS, OPS, OUT, OpDef, _input_names
from tinygrad_ed.tensor import Tensor, _apply
from tinygrad_ed.testing import (
    arrays,
    broadcastable_shapes,
    distinct_arrays,
    index_for,
    matmul_shapes,
    reduction_dims,
    shapes,
)

Case = tuple[Callable[..., Tensor], list[np.ndarray]]


def _inputs(draw: Any, op: OpDef, in_shapes: list[tuple[int, ...]]) -> list[np.ndarray]:
    """Input arrays within each input's domain, away from its kinks (or pairwise distinct)."""
    if op.distinct:  # up to 128 values in the domain's width 4; 0.01 ≫ eps, so no tie is crossed
        return list(draw(distinct_arrays(in_shapes, margin=0.01)))
    return [draw(arrays(s, op.domain_of(i), op.avoid_of(i))) for i, s in enumerate(in_shapes)]


def _apply_with(op: OpDef, **kwargs: Any) -> Callable[..., Tensor]:
    return lambda *xs: _apply(op, *xs, **kwargs)


def case_unary(draw: Any, op: OpDef) -> Case:
    return _apply_with(op, **op.params), _inputs(draw, op, [draw(shapes())])


def case_implicit(draw: Any, op: OpDef) -> Case:
    """A variate of its parameter and fixed noise ``u`` (op.params, (k,)): parameters of shape
    (…, k), broadcast against the noise."""
    (k,) = op.params["u"].shape
    batch = draw(shapes(max_dims=2))
    return _apply_with(op, **op.params), _inputs(draw, op, [(*batch, k)])


def case_cast(draw: Any, op: OpDef) -> Case:
    return case_unary(draw, op)


def case_binary(draw: Any, op: OpDef) -> Case:
    s = draw(broadcastable_shapes(2)).input_shapes
    return _apply_with(op), _inputs(draw, op, list(s))


def case_where(draw: Any, op: OpDef) -> Case:
    sc, sx, sy = draw(broadcastable_shapes(3)).input_shapes
    cond = Tensor._make(np.asarray(draw(arrays(sc)) > 0))
    x, y = _inputs(draw, op, [sx, sy])
    return (lambda a, b: _apply(op, cond, a, b)), [x, y]


def case_reduce(draw: Any, op: OpDef) -> Case:
    shape = draw(shapes(max_dims=3))
    dim = draw(reduction_dims(len(shape)))
    keepdim = draw(st.booleans())
    return _apply_with(op, dim=dim, keepdim=keepdim), _inputs(draw, op, [shape])


def case_reduce_one(draw: Any, op: OpDef) -> Case:
    shape = draw(shapes(min_dims=1))
    dim = draw(st.integers(0, len(shape) - 1))
    return _apply_with(op, dim=dim, keepdim=draw(st.booleans())), _inputs(draw, op, [shape])


def case_softmax(draw: Any, op: OpDef) -> Case:
    shape = draw(shapes())
    dim = draw(st.integers(0, max(len(shape) - 1, 0)))  # a 0-d tensor takes dim 0, as in torch
    return _apply_with(op, dim=dim), _inputs(draw, op, [shape])


def case_scan(draw: Any, op: OpDef) -> Case:
    shape = draw(shapes())
    dim = draw(st.integers(0, max(len(shape) - 1, 0)))  # a 0-d tensor takes dim 0, as in torch
    return _apply_with(op, dim=dim), _inputs(draw, op, [shape])


def case_matmul(draw: Any, op: OpDef) -> Case:
    sx, sy = draw(matmul_shapes()).input_shapes
    return _apply_with(op), _inputs(draw, op, [sx, sy])


def case_contract(draw: Any, op: OpDef) -> Case:
    """An einsum equation in closed form over 2 or 3 operands: distinct subscripts within an
    operand, each subscript in the output or in two operands (a lone one is put in the output)."""
    sizes = dict(zip("abcd", draw(st.lists(st.integers(1, 3), min_size=4, max_size=4))))
    n = draw(st.integers(2, 3))
    subs = [draw(st.permutations(sorted(draw(st.sets(st.sampled_from("abcd")))))) for _ in range(n)]
    used = [c for s in subs for c in s]
    lone = {c for c in used if used.count(c) == 1}
    out = lone | (draw(st.sets(st.sampled_from(sorted(set(used))))) if used else set())
    out_order = draw(st.permutations(sorted(out)))
    equation = ",".join("".join(s) for s in subs) + "->" + "".join(out_order)
    in_shapes = [tuple(sizes[c] for c in s) for s in subs]
    return _apply_with(op, equation=equation), _inputs(draw, op, in_shapes)


def case_reshape(draw: Any, op: OpDef) -> Case:
    shape = draw(shapes())
    n = int(np.prod(shape))
    target = draw(st.sampled_from([(n,), (1, n), (n, 1), tuple(reversed(shape)), (*shape, 1)]))
    return _apply_with(op, shape=target), _inputs(draw, op, [shape])


def case_permute(draw: Any, op: OpDef) -> Case:
    shape = draw(shapes())
    dims = tuple(draw(st.permutations(range(len(shape)))))
    return _apply_with(op, dims=dims), _inputs(draw, op, [shape])


def case_expand(draw: Any, op: OpDef) -> Case:
    target = draw(shapes(min_dims=1))
    lead = draw(st.integers(0, len(target)))
    base = tuple(s if draw(st.booleans()) else 1 for s in target[lead:])
    return _apply_with(op, shape=target), _inputs(draw, op, [base])


def case_diagonal(draw: Any, op: OpDef) -> Case:
    shape = draw(shapes(min_dims=2))
    dim1, dim2 = draw(st.permutations(range(len(shape))))[:2]
    offset = draw(st.integers(-shape[dim1], shape[dim2]))  # the ends give an empty diagonal
    return _apply_with(op, offset=offset, dim1=dim1, dim2=dim2), _inputs(draw, op, [shape])


def case_index(draw: Any, op: OpDef) -> Case:
    shape = draw(shapes(min_dims=1))
    index = draw(index_for(shape))
    return _apply_with(op, index=index), _inputs(draw, op, [shape])


def case_scatter(draw: Any, op: OpDef) -> Case:
    shape = draw(shapes(min_dims=1))
    index = draw(index_for(shape))
    g_shape = np.zeros(shape)[index].shape
    return _apply_with(op, shape=shape, index=index), _inputs(draw, op, [g_shape])


def case_join(draw: Any, op: OpDef) -> Case:
    shape = draw(shapes(min_dims=1))
    dim = draw(st.integers(0, len(shape) - 1))
    sizes = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    in_shapes = [(*shape[:dim], k, *shape[dim + 1 :]) for k in sizes]
    return _apply_with(op, dim=dim), _inputs(draw, op, in_shapes)


def case_linear(draw: Any, op: OpDef) -> Case:
    batch = draw(shapes(max_dims=2))
    n_in, n_out = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    return _apply_with(op), _inputs(draw, op, [(*batch, n_in), (n_out, n_in), (n_out,)])


def case_loss(draw: Any, op: OpDef) -> Case:
    """Logits of shape (C,) or (N, C) with integer class targets (metadata, like an index)."""
    rows = draw(st.sampled_from([(), (1,), (2,), (5,)]))
    classes = draw(st.integers(1, 5))
    target = draw(hnp.arrays(np.int64, rows, elements=st.integers(0, classes - 1)))
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    fn = _apply_with(op, target=target, reduction=reduction)
    return fn, _inputs(draw, op, [(*rows, classes)])


def case_loss_backward(draw: Any, op: OpDef) -> Case:
    """cross_entropy's x̄ as an op of the logits and the loss's adjoint g: g is a scalar for
    'mean' and 'sum', one value per row for 'none'."""
    rows = draw(st.sampled_from([(), (1,), (2,), (5,)]))
    classes = draw(st.integers(1, 5))
    target = draw(hnp.arrays(np.int64, rows, elements=st.integers(0, classes - 1)))
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    fn = _apply_with(op, target=target, reduction=reduction)
    return fn, _inputs(draw, op, [(*rows, classes), rows if reduction == "none" else ()])


def case_ctc(draw: Any, op: OpDef) -> Case:
    """log_softmax of drawn logits (T, N, C) and a target per sequence (labels ≠ blank) with an
    input length it can be read from (a repeat needs a blank between), so the loss is finite."""
    n, classes = draw(st.integers(1, 3)), draw(st.integers(2, 4))
    blank = draw(st.integers(0, classes - 1))
    label = st.integers(0, classes - 2).map(lambda c: c + (c >= blank))
    targets = [draw(st.lists(label, max_size=3)) for _ in range(n)]
    needed = [len(t) + sum(a == b for a, b in itertools.pairwise(t)) for t in targets]
    frames = draw(st.integers(max(max(needed), 1), max(needed) + 2))
    input_lengths = np.array([draw(st.integers(max(k, 1), frames)) for k in needed])
    labels = np.full((n, max(map(len, targets))), blank, dtype=np.int64)
    for i, t in enumerate(targets):
        labels[i, : len(t)] = t
    kwargs = dict(
        labels=labels,
        input_lengths=input_lengths,
        target_lengths=np.array([len(t) for t in targets]),
        blank=blank,
    )
    fn = lambda z: _apply(op, z.log_softmax(-1), **kwargs)  # noqa: E731
    return fn, _inputs(draw, op, [(frames, n, classes)])


def case_sample(draw: Any, op: OpDef) -> Case:
    """grid_sample's primitives: the rules name each input by its part (x (N, C, L) the input,
    w (N, K, P) the weights, y (N, C, P) the samples); places drawn in [0, L] with repeats,
    L reading 0 (outside the input)."""
    n, c, size, k, p = (draw(st.integers(1, 3)) for _ in range(5))
    roles = {"x": (n, c, size), "w": (n, k, p), "y": (n, c, p)}
    index = draw(hnp.arrays(np.int64, (n, k, p), elements=st.integers(0, size)))
    in_shapes = [roles[name] for name in _input_names(op.vjps[0])]
    return _apply_with(op, index=index, size=size), _inputs(draw, op, in_shapes)


def case_square(draw: Any, op: OpDef) -> Case:
    """(Batches of) square matrices made diagonally dominant (|entries| ≤ 2, 2n + 1 added on the
    diagonal), so that they are well conditioned: det and inverse are smooth there."""
    batch = draw(shapes(max_dims=2))
    n = draw(st.integers(1, 3))
    (a,) = _inputs(draw, op, [(*batch, n, n)])
    return _apply_with(op), [a + (2 * n + 1) * np.eye(n)]


def case_solve(draw: Any, op: OpDef) -> Case:
    """A well-conditioned square A (as for "square") and right-hand sides B (…, n, k), their
    batch dims broadcasting against A's."""
    # small batches: a second derivative costs (inputs)² finite differences
    batch_a, batch_b = draw(broadcastable_shapes(2, max_dims=2, max_side=2)).input_shapes
    n, k = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    a, b = _inputs(draw, op, [(*batch_a, n, n), (*batch_b, n, k)])
    return _apply_with(op), [a + (2 * n + 1) * np.eye(n), b]


def case_spd(draw: Any, op: OpDef) -> Case:
    """Symmetric positive-definite matrices: a diagonally dominant A with a positive diagonal,
    symmetrised inside the function, so that finite differences move A and Aᵀ together (an op
    on symmetric matrices reads one triangle; its rule gives the symmetric gradient)."""
    batch = draw(shapes(max_dims=1, max_side=2))
    n = draw(st.integers(1, 3))
    (a,) = _inputs(draw, op, [(*batch, n, n)])
    return (lambda x: _apply(op, (x + x.mT) * 0.5)), [a + (2 * n + 1) * np.eye(n)]


def _orthonormal(draw: Any, m: int, k: int) -> np.ndarray:
    """An m×k matrix with orthonormal columns: Q of the QR of a drawn matrix whose leading k×k
    block is diagonally dominant (entries in [−1, 1], 4 added on the diagonal, k ≤ 3), so
    that it and every leading block of Q are far from singular (a wide X = U diag(σ) Vᵀ has
    its first columns' block nonsingular then: QR's derivative needs it)."""
    return np.linalg.qr(draw(arrays((m, k), (-1.0, 1.0))) + 4 * np.eye(m, k))[0]


def _spread(draw: Any, k: int) -> np.ndarray:
    """k values 1 + 1.5·i + [0, 0.5): well apart from each other and from 0."""
    return 1 + 1.5 * np.arange(k) + draw(arrays((k,), (0.0, 0.5)))


def _fixed_gauge(op: OpDef, case: Case) -> Case:
    """A case whose function holds the signs of its vectors to those at its input, for the
    finite differences (see ``OpDef.gauge``)."""
    fn, inputs = case
    if op.gauge is None:
        return case
    gauge, shape = op.gauge, inputs[0].shape
    with no_grad():
        ref = fn(Tensor(inputs[0])).data
    return (lambda x: (out := fn(x)) * gauge(out.data, ref, shape)), inputs


def case_spectral(draw: Any, op: OpDef) -> Case:
    """m×n matrices U diag(σ) Vᵀ with well-separated singular values ≥ 1, a batch of at most 2
    (decompositions: repeated singular values are poles of their derivatives)."""
    m, n = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    k = min(m, n)
    batch = draw(st.sampled_from([(), (2,)]))
    mats = [
        _orthonormal(draw, m, k) @ np.diag(_spread(draw, k)) @ _orthonormal(draw, n, k).T
        for _ in range(int(np.prod(batch)))
    ]
    return _apply_with(op, **op.params), [np.reshape(mats, (*batch, m, n))]


def case_hermitian(draw: Any, op: OpDef) -> Case:
    """Symmetric V diag(λ) Vᵀ with well-separated eigenvalues of either sign; the test
    symmetrizes its input, as torch's (the op reads one triangle, its rule is symmetric)."""
    n = draw(st.integers(1, 3))
    batch = draw(st.sampled_from([(), (2,)]))
    mats = []
    for _ in range(int(np.prod(batch))):
        v = _orthonormal(draw, n, n)
        mats.append(v @ np.diag(_spread(draw, n) - 2) @ v.T)
    fn = lambda x: _apply(op, (x + x.mT) * 0.5, **op.params)  # noqa: E731
    return fn, [np.reshape(mats, (*batch, n, n))]


def case_window(draw: Any, op: OpDef) -> Case:
    shape = draw(shapes(min_dims=1))
    dim = draw(st.integers(0, len(shape) - 1))
    size = draw(st.integers(0, shape[dim]))
    step = draw(st.integers(1, 3))
    fn = _apply_with(op, dim=dim, size=size, step=step)
    return fn, _inputs(draw, op, [shape])


def case_fold(draw: Any, op: OpDef) -> Case:
    shape = draw(shapes(min_dims=1))
    dim = draw(st.integers(0, len(shape) - 1))
    size = draw(st.integers(0, shape[dim]))
    step = draw(st.integers(1, 3))
    count = len(range(0, shape[dim] - size + 1, step))
    windows = (*shape[:dim], count, *shape[dim + 1 :], size)
    fn = _apply_with(op, shape=shape, dim=dim, size=size, step=step)
    return fn, _inputs(draw, op, [windows])


CASES: dict[str, Callable[[Any, OpDef], Case]] = {
    "linear": case_linear,
    "loss": case_loss,
    "loss_backward": case_loss_backward,
    "ctc": case_ctc,
    "sample": case_sample,
    "implicit": case_implicit,
    "unary": case_unary,
    "binary": case_binary,
    "where": case_where,
    "reduce": case_reduce,
    "reduce_one": case_reduce_one,
    "softmax": case_softmax,
    "scan": case_scan,
    "matmul": case_matmul,
    "contract": case_contract,
    "reshape": case_reshape,
    "permute": case_permute,
    "expand": case_expand,
    "diagonal": case_diagonal,
    "index": case_index,
    "scatter": case_scatter,
    "join": case_join,
    "cast": case_cast,
    "square": case_square,
    "solve": case_solve,
    "spd": case_spd,
    "hermitian": case_hermitian,
    "spectral": case_spectral,
    "window": case_window,
    "fold": case_fold,
}


def test_every_kind_has_a_strategy() -> None:
    # "function" is the kind of users' autograd.Function nodes, which the table never holds.
    assert set(CASES) == set(KINDS) - {"function"}
    assert all(op.kind != "function" for op in OPS.values())


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_has_test_facts(name: str) -> None:
    op = OPS[name]
    assert op.kind in CASES, f"{name}: no strategy for kind {op.kind!r}"
    assert op.math and "=" in op.math, f"{name}: missing adjoint-notation formula"
    assert op.vjps and any(v is not None for v in op.vjps), f"{name}: no derivative rule"
    for i, (lo, hi) in enumerate(op.domain):
        assert lo < hi, f"{name}: empty domain for input {i}"


@pytest.mark.parametrize("name", sorted(OPS))
@given(data=st.data())
def test_op_gradcheck(name: str, data: st.DataObject) -> None:
    op = OPS[name]
    fn, inputs = _fixed_gauge(op, CASES[op.kind](data.draw, op))
    assert gradcheck(fn, inputs)


@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n, op in OPS.items()
        if op.kind in ("unary", "binary", "softmax", "scan", "linear", "loss", "solve", "spd")
        or op.kind == "loss_backward"
        or op.kind in ("hermitian", "spectral", "sample")
        or n in ("slogdet", "lu_factor")  # of the "square" ops; det and inverse are slow here
    ),
)
@given(data=st.data())
def test_op_gradgradcheck(name: str, data: st.DataObject) -> None:
    """Derivative rules are written in Tensor ops, so they differentiate again."""
    op = OPS[name]
    fn, inputs = _fixed_gauge(op, CASES[op.kind](data.draw, op))
    assert gradgradcheck(fn, inputs, atol=1e-4, rtol=1e-3)


def _other_values(a: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Random values of a's shape, dtype and memory layout (a rule may look at the layout)."""
    b = np.empty_like(a)  # order "K": a's layout
    if a.dtype == np.bool_:
        b[...] = rng.random(a.shape) < 0.5
    elif a.dtype.kind in "iu":
        b[...] = rng.integers(0, 3, a.shape)
    else:
        b[...] = rng.uniform(-3.0, 3.0, a.shape)
    return b


def _loads(code: Any, name: str) -> bool:
    """Whether ``code`` (or a function nested in it) reads the variable ``name``."""
    if any(i.opname.startswith("LOAD_") and i.argval == name for i in dis.get_instructions(code)):
        return True
    return any(hasattr(c, "co_code") and _loads(c, name) for c in code.co_consts)


@pytest.mark.parametrize("name", sorted(n for n, op in OPS.items() if not op.reads_out))
def test_rules_that_do_not_declare_the_output_never_touch_it(name: str) -> None:
    """Backward hands such rules the adjoint in the output's place (same shape and dtype): a
    rule that read the output's values undeclared would compute with the adjoint's. Checked
    in the bytecode, as random values may not tell (slogdet looks at whether out is finite)."""
    for rule in OPS[name].vjps:
        if rule is not None:
            out = list(inspect.signature(rule).parameters)[1]
            assert not _loads(inspect.unwrap(rule).__code__, out), f"{name} reads {out!r}"


@pytest.mark.parametrize("name", sorted(OPS))
@given(data=st.data())
def test_op_rules_read_only_what_they_declare(name: str, data: st.DataObject) -> None:
    """Each rule, called with every value its ``reads`` leaves out (inputs and the output)
    replaced by other values, returns the same gradient: so backward may accept a change in
    place of those values. A value a rule reads but does not declare changes the result."""
    op = OPS[name]
    fn, inputs = CASES[op.kind](data.draw, op)
    node = fn(*[Tensor(a, requires_grad=True) for a in inputs])._node
    assert node is not None and node.saved is not None and node.out is not None
    saved, out = node.saved, node.out
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    g = Tensor._make(_other_values(out, rng))
    for i in range(len(saved)):
        rule = op.vjps[0] if op.variadic else op.vjps[i]
        if rule is None:
            continue
        extra = {"input_index": i} if op.variadic else {}
        reads = op.reads_of(i, len(saved))
        others = [
            t if j in reads else Tensor._make(_other_values(t.data, rng))
            for j, t in enumerate(saved)
        ]
        other_out = out if OUT in reads else _other_values(out, rng)
        with no_grad():
            expected = rule(g, Tensor._make(out), *saved, **node.kwargs, **extra).data
            got = rule(g, Tensor._make(other_out), *others, **node.kwargs, **extra).data
        np.testing.assert_array_equal(
            got,
            expected,
            err_msg=f"{name}: rule {i} reads a value its reads {sorted(reads, key=str)} leave out",
        )


@pytest.mark.parametrize("name", sorted(n for n, op in OPS.items() if op.vjp_into is not None))
@given(data=st.data())
def test_op_vjp_into_adds_what_the_rule_gives(name: str, data: st.DataObject) -> None:
    """``vjp_into`` (backward's in-place form of rule 0) adds exactly rule 0's x̄ into an
    array, whatever it held before."""
    op = OPS[name]
    fn, inputs = CASES[op.kind](data.draw, op)
    node = fn(*[Tensor(a, requires_grad=True) for a in inputs])._node
    assert node is not None and node.saved is not None and node.out is not None
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    g = _other_values(node.out, rng)
    rule, into = op.vjps[0], op.vjp_into
    assert rule is not None and into is not None
    with no_grad():
        result = rule(Tensor._make(g), Tensor._make(node.out), *node.saved, **node.kwargs)
    assert result is not None
    before = _other_values(node.saved[0].data, rng)
    buffer = before.copy()
    into(buffer, g, **node.kwargs)
    expected = result.data
    np.testing.assert_allclose(buffer, before + expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", sorted(n for n, op in OPS.items() if op.vjp_all is not None))
@given(data=st.data())
def test_op_vjp_all_gives_each_rules_result(name: str, data: st.DataObject) -> None:
    """``vjp_all`` (a variadic op's rule for every input at once) gives, for each input, what
    the rule told that input's index gives."""
    op = OPS[name]
    assert op.variadic
    fn, inputs = CASES[op.kind](data.draw, op)
    node = fn(*[Tensor(a, requires_grad=True) for a in inputs])._node
    assert node is not None and node.saved is not None and node.out is not None
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    g, out = Tensor._make(_other_values(node.out, rng)), Tensor._make(node.out)
    rule, every = op.vjps[0], op.vjp_all
    assert rule is not None and every is not None
    with no_grad():
        each = every(g, out, *node.saved, **node.kwargs)
        assert len(each) == len(node.saved)
        for i, got in enumerate(each):
            expected = rule(g, out, *node.saved, **node.kwargs, input_index=i)
            assert got is not None and expected is not None
            np.testing.assert_array_equal(got.data, expected.data)

"""torch's functional recurrent entry points (``tg.rnn_tanh_cell``, ``rnn_relu_cell``,
``lstm_cell``, ``gru_cell``, ``rnn_tanh``, ``rnn_relu``, ``lstm``, ``gru``, both overloads) and
the sampling kernels (``tg.grid_sampler``, ``grid_sampler_2d``, ``grid_sampler_3d``,
``affine_grid_generator``).

Without torch: each equals the nn module or F function it is the kernel of (same weights, same
values and gradients: one recurrence, one sampler), gradcheck (and gradgradcheck for a cell) in
float64 against finite differences, dropout between layers drawn as the module draws it, and
the refusals that torch does not make. With torch (skipped without it): values to 1e-12 in
float64 and the gradients of every input, state and weight against torch 2.13, for stacked,
bidirectional, bias-free, batch_first, unbatched, projected and packed layers, every grid mode
and padding code, and torch's exception types for bad arguments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.numgrad import gradcheck, gradgradcheck

GATES = {"rnn_tanh": 1, "rnn_relu": 1, "gru": 3, "lstm": 4}
CELL_OF = {mode: f"{mode}_cell" for mode in GATES}  # the one-step function of each layer kind

pytestmark = pytest.mark.filterwarnings("ignore:LSTM with projections is not supported")


def _torch() -> Any:
    return pytest.importorskip("torch")


def _run(
    lib: Any, build: Callable[[Any, list[Any]], Any], arrays: list[np.ndarray]
) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
    """The outputs of ``build(lib, tensors)`` and the gradients of every floating input of a
    loss weighing each output element differently (cos of its flat index, so all reach it)."""
    leaves = [lib.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    outs = build(lib, leaves)
    outs = list(outs) if isinstance(outs, (tuple, list)) else [outs]
    loss = sum(
        (o * lib.tensor(np.cos(np.arange(o.numel())).reshape(tuple(o.shape)))).sum() for o in outs
    )
    loss.backward()
    grads = [None if t.grad is None else t.grad.numpy() for t in leaves]
    return [o.detach().numpy() for o in outs], grads


def _same_as_torch(
    build: Callable[[Any, list[Any]], Any], arrays: list[np.ndarray], tol: float = 1e-12
) -> None:
    torch = _torch()
    (ours, our_grads), (theirs, their_grads) = _run(tg, build, arrays), _run(torch, build, arrays)
    assert len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert a.shape == b.shape and a.dtype == b.dtype, f"output {i}"
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol, err_msg=f"output {i}")
    for i, (a, b) in enumerate(zip(our_grads, their_grads)):
        assert (a is None) == (b is None), f"gradient of input {i}"
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=tol, atol=tol, err_msg=f"gradient of input {i}")


def _flat_params(
    rng: np.random.Generator,
    mode: str,
    layers: int,
    directions: int,
    bias: bool,
    input_size: int,
    hidden: int,
    proj: int = 0,
) -> list[np.ndarray]:
    """``params`` in torch's order: per (layer, direction) w_ih, w_hh, [b_ih, b_hh], [w_hr]."""
    gates, h_out = GATES[mode] * hidden, proj or hidden
    params = []
    for layer in range(layers):
        for _ in range(directions):
            inputs = input_size if layer == 0 else h_out * directions
            shapes = [(gates, inputs), (gates, h_out)] + [(gates,), (gates,)] * bias
            shapes += [(proj, hidden)] if proj else []
            params += [rng.uniform(-0.7, 0.7, shape) for shape in shapes]
    return params


# ----------------------------------------------------------------------------- cells


def _cell_arrays(
    mode: str, bias: bool, rng: np.random.Generator, sizes: tuple[int, int, int] = (3, 4, 5)
) -> list[np.ndarray]:
    """input (N, input_size), the states (N, hidden_size), w_ih, w_hh and the biases."""
    n, i, h = sizes
    states = [rng.standard_normal((n, h)) for _ in range(2 if mode == "lstm" else 1)]
    return [rng.standard_normal((n, i)), *states, *_flat_params(rng, mode, 1, 1, bias, i, h)]


def _cell_call(mode: str, n: int) -> Callable[..., Any]:
    """The cell of ``mode`` applied to (input, *states, *weights) of any library ``m``."""
    k = 2 if mode == "lstm" else 1

    def call(m: Any, t: list[Any]) -> Any:
        hx = tuple(t[1 : 1 + k]) if k == 2 else t[1]
        return getattr(m, CELL_OF[mode])(t[0], hx, *t[1 + k : n])

    return call


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("mode", list(GATES))
def test_cells_match_torch(mode: str, bias: bool) -> None:
    arrays = _cell_arrays(mode, bias, np.random.default_rng(1))
    _same_as_torch(_cell_call(mode, len(arrays)), arrays)
    # one bias alone: torch's optional b_ih without b_hh
    if bias:
        _same_as_torch(_cell_call(mode, len(arrays) - 1), arrays[:-1])


@pytest.mark.parametrize("mode", list(GATES))
def test_cells_are_the_nn_cells(mode: str) -> None:
    """The same step as nn.RNNCell / LSTMCell / GRUCell with the module's weights."""
    cls = {"rnn_tanh": "RNNCell", "rnn_relu": "RNNCell", "gru": "GRUCell", "lstm": "LSTMCell"}
    kw = {"nonlinearity": "relu"} if mode == "rnn_relu" else {}
    tg.manual_seed(2)
    cell = getattr(nn, cls[mode])(4, 5, dtype="float64", **kw)
    rng = np.random.default_rng(2)
    x = tg.tensor(rng.standard_normal((3, 4)))
    states = [tg.tensor(rng.standard_normal((3, 5))) for _ in range(2 if mode == "lstm" else 1)]
    hx = tuple(states) if mode == "lstm" else states[0]
    ws = [cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh]
    ours = getattr(tg, CELL_OF[mode])(x, hx, *ws)
    expected = cell(x, hx)
    for a, b in zip(ours if mode == "lstm" else [ours], expected if mode == "lstm" else [expected]):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


@pytest.mark.parametrize("mode", list(GATES))
def test_cells_gradcheck_and_gradgradcheck(mode: str) -> None:
    arrays = _cell_arrays(mode, True, np.random.default_rng(3), (2, 3, 2))
    call = _cell_call(mode, len(arrays))
    inputs = [tg.tensor(a, requires_grad=True) for a in arrays]
    assert gradcheck(lambda *t: call(tg, list(t)), inputs)
    assert gradgradcheck(lambda *t: call(tg, list(t)), inputs)


def test_cell_refusals_match_torch() -> None:
    torch = _torch()
    rng = np.random.default_rng(4)
    x, h = rng.standard_normal((3, 4)), rng.standard_normal((3, 5))
    w_ih, w_hh, b = rng.standard_normal((5, 4)), rng.standard_normal((5, 5)), np.ones(5)
    w4_ih, w4_hh = rng.standard_normal((20, 4)), rng.standard_normal((20, 5))
    cases: list[tuple[str, tuple[Any, ...], str]] = [
        ("rnn_tanh_cell", (x, None, w_ih, w_hh), "argument 'hx'"),
        ("rnn_tanh_cell", (x[0], h[0], w_ih, w_hh), "expected input of shape"),
        ("rnn_tanh_cell", (x[:, :3], h, w_ih, w_hh), "input has inconsistent input_size"),
        ("rnn_relu_cell", (x, h[:2], w_ih, w_hh), "doesn't match hidden0 batch size"),
        ("rnn_relu_cell", (x, h[:, :3], w_ih, w_hh), "hidden0 has inconsistent hidden_size"),
        ("rnn_tanh_cell", (x, h, w_ih[:4], w_hh), "w_ih first dim must be 1 * hidden_size"),
        ("rnn_tanh_cell", (x, h, w_ih, w_hh, b[:4], b), "b_ih must have shape (5,)"),
        ("gru_cell", (x, h, w_ih, w_hh), "w_ih first dim must be 3 * hidden_size = 15"),
        ("rnn_tanh_cell", (x.astype(np.float32), h, w_ih, w_hh), "dtype"),
        ("lstm_cell", (x, (h,), w4_ih, w4_hh), "lstm_cell expects two hidden states"),
        ("lstm_cell", (x, (h, h, h), w4_ih, w4_hh), "lstm_cell expects two hidden states"),
        ("lstm_cell", (x, h, w4_ih, w4_hh), "argument 'hx'"),
        ("lstm_cell", (x, (h, h[:, :3]), w4_ih, w4_hh), "hidden1 has inconsistent hidden_size"),
        ("lstm_cell", (x, (h, h[:2]), w4_ih, w4_hh), "doesn't match hidden1 batch size"),
    ]

    def convert(lib: Any, a: Any) -> Any:
        if isinstance(a, tuple):
            return tuple(convert(lib, t) for t in a)
        return a if a is None else lib.tensor(a)

    for name, args, message in cases:
        with pytest.raises(Exception) as theirs:
            getattr(torch, name)(*(convert(torch, a) for a in args))
        with pytest.raises(theirs.type, match=re.escape(message)) as ours:
            getattr(tg, name)(*(convert(tg, a) for a in args))
        assert name in str(ours.value), (name, message)


# ----------------------------------------------------------------------------- layers

# (mode, layers, bidirectional, bias, batch_first, proj_size): input_size 3, hidden_size 4
LAYERS = [
    ("rnn_tanh", 1, False, True, False, 0),
    ("rnn_tanh", 2, True, False, True, 0),
    ("rnn_relu", 2, True, True, False, 0),
    ("gru", 1, False, False, False, 0),
    ("gru", 2, True, True, True, 0),
    ("lstm", 1, False, True, True, 0),
    ("lstm", 2, True, True, False, 0),
    ("lstm", 2, True, False, False, 2),
    ("lstm", 1, False, True, True, 3),
]


def _layer_id(case: tuple[Any, ...]) -> str:
    mode, layers, bidirectional, bias, batch_first, proj = case
    flags = ["bi"] * bidirectional + ["nobias"] * (not bias) + ["batch_first"] * batch_first
    return "-".join([mode, f"l{layers}", *flags] + [f"proj{proj}"] * bool(proj))


def _layer_arrays(
    case: tuple[Any, ...], rng: np.random.Generator, batch: int | None
) -> list[np.ndarray]:
    """input (L = 5, N, 3) in batch_first's layout (or (5, 3) unbatched), the states and
    ``params``."""
    mode, layers, bidirectional, bias, batch_first, proj = case
    d = 2 if bidirectional else 1
    n = () if batch is None else (batch,)
    x_shape = (5, 3) if batch is None else ((batch, 5, 3) if batch_first else (5, batch, 3))
    states = [rng.standard_normal((d * layers, *n, proj or 4))]
    if mode == "lstm":
        states.append(rng.standard_normal((d * layers, *n, 4)))
    params = _flat_params(rng, mode, layers, d, bias, 3, 4, proj)
    return [rng.standard_normal(x_shape), *states, *params]


def _layer_call(case: tuple[Any, ...], keywords: bool = False) -> Callable[[Any, list[Any]], Any]:
    mode, layers, bidirectional, bias, batch_first, _ = case
    k = 2 if mode == "lstm" else 1

    def call(m: Any, t: list[Any]) -> Any:
        hx = tuple(t[1 : 1 + k]) if k == 2 else t[1]
        rest = (bias, layers, 0.0, False, bidirectional, batch_first)
        if keywords:
            names = ("has_biases", "num_layers", "dropout", "train", "bidirectional")
            kw = dict(zip(names, rest), batch_first=batch_first, params=list(t[1 + k :]))
            return getattr(m, mode)(t[0], hx=hx, **kw)
        return getattr(m, mode)(t[0], hx, list(t[1 + k :]), *rest)

    return call


@pytest.mark.parametrize("case", LAYERS, ids=_layer_id)
def test_layers_match_torch(case: tuple[Any, ...]) -> None:
    rng = np.random.default_rng(5)
    _same_as_torch(_layer_call(case), _layer_arrays(case, rng, 2))
    _same_as_torch(_layer_call(case, keywords=True), _layer_arrays(case, rng, 3))
    if case[0].startswith("rnn") and not case[4]:
        # unbatched (L, input_size): torch's kernels take it for rnn_tanh and rnn_relu only
        _same_as_torch(_layer_call(case), _layer_arrays(case, rng, None))


# (batch_first swaps L and input_size of an unbatched input, as torch's kernels do)
@pytest.mark.parametrize("case", [c for c in LAYERS if not c[4]], ids=_layer_id)
def test_unbatched_is_a_batch_of_one(case: tuple[Any, ...]) -> None:
    """Also for gru and lstm, whose torch kernels refuse unbatched input."""
    arrays = _layer_arrays(case, np.random.default_rng(6), None)
    k = 2 if case[0] == "lstm" else 1
    batched = [arrays[0][:, None], *(s[:, None] for s in arrays[1 : 1 + k]), *arrays[1 + k :]]
    ours, grads = _run(tg, _layer_call(case), arrays)
    expected, expected_grads = _run(tg, _layer_call(case), batched)
    for a, b in zip(ours, expected):
        np.testing.assert_array_equal(a, b.squeeze(1))
    for i, (a, b) in enumerate(zip(grads, expected_grads)):
        assert a is not None and b is not None
        np.testing.assert_array_equal(a, b.squeeze(1) if i <= k else b)


def test_layers_match_torch_in_float32() -> None:
    case = ("lstm", 2, True, True, False, 2)
    arrays = [a.astype(np.float32) for a in _layer_arrays(case, np.random.default_rng(6), 2)]
    _same_as_torch(_layer_call(case), arrays, tol=2e-5)


def _module_of(case: tuple[Any, ...]) -> nn.Module:
    mode, layers, bidirectional, bias, batch_first, proj = case
    kw: dict[str, Any] = dict(num_layers=layers, bias=bias, batch_first=batch_first)
    kw.update(bidirectional=bidirectional, dtype="float64")
    if mode == "lstm":
        return nn.LSTM(3, 4, proj_size=proj, **kw)
    if mode == "gru":
        return nn.GRU(3, 4, **kw)
    return nn.RNN(3, 4, nonlinearity=mode[4:], **kw)


def _same_values_and_weight_gradients(
    ours: list[tg.Tensor], expected: list[tg.Tensor], params: list[tg.Tensor]
) -> None:
    def loss(outs: list[tg.Tensor]) -> tg.Tensor:
        weights = (np.cos(np.arange(o.numel())).reshape(o.shape) for o in outs)
        return sum(((o * tg.tensor(w)).sum() for o, w in zip(outs, weights)), tg.tensor(0.0))

    for a, b in zip(ours, expected, strict=True):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    ours_grads = tg.autograd.grad(loss(ours), params)
    expected_grads = tg.autograd.grad(loss(expected), params)
    for a, b in zip(ours_grads, expected_grads, strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize("case", LAYERS, ids=_layer_id)
def test_layers_are_the_nn_modules(case: tuple[Any, ...]) -> None:
    """The module with its flat weights (all_weights, torch's order) gives the same outputs and
    the same weight gradients, plain and packed."""
    mode = case[0]
    tg.manual_seed(7)
    m = _module_of(case)
    params = [p for group in m.all_weights for p in group]
    arrays = _layer_arrays(case, np.random.default_rng(7), 3)
    x, *states = (tg.tensor(a) for a in arrays[: 3 if mode == "lstm" else 2])
    hx = tuple(states) if mode == "lstm" else states[0]
    ours = getattr(tg, mode)(x, hx, params, *[case[3], case[1], 0.0, False, case[2], case[4]])
    out, h = m(x, hx)
    expected = [out, *h] if mode == "lstm" else [out, h]
    _same_values_and_weight_gradients(ours, expected, params)

    # packed: the module sorts the batch itself; the kernel takes data, batch_sizes and states
    # in the sorted order and returns them so
    seqs = [tg.tensor(np.random.default_rng(8).standard_normal((n, 3))) for n in (2, 5, 3)]
    packed = nn.utils.rnn.pack_sequence(seqs, enforce_sorted=False)
    order = packed.sorted_indices
    out, h = m(packed, hx)
    sorted_states = [s.index_select(1, order) for s in states]
    hx_sorted = tuple(sorted_states) if mode == "lstm" else sorted_states[0]
    rest = (case[3], case[1], 0.0, False, case[2])
    ours = getattr(tg, mode)(packed.data, packed.batch_sizes, hx_sorted, params, *rest)
    unsorted = [s.index_select(1, packed.unsorted_indices) for s in ours[1:]]
    expected = [out.data, *h] if mode == "lstm" else [out.data, h]
    _same_values_and_weight_gradients([ours[0], *unsorted], expected, params)


@pytest.mark.parametrize("mode", list(GATES))
def test_packed_form_matches_torch(mode: str) -> None:
    """The packed overload: data (steps, input_size), int64 batch_sizes, states in the sorted
    batch order; sequences of lengths 5, 3, 3, 1 through two bidirectional layers."""
    rng = np.random.default_rng(9)
    batch_sizes = np.array([4, 3, 3, 1, 1])
    k = 2 if mode == "lstm" else 1
    states = [rng.standard_normal((4, 4, 4)) for _ in range(k)]
    arrays = [rng.standard_normal((12, 3)), batch_sizes, *states]
    arrays += _flat_params(rng, mode, 2, 2, True, 3, 4)

    def call(m: Any, t: list[Any]) -> Any:
        hx = tuple(t[2 : 2 + k]) if k == 2 else t[2]
        return getattr(m, mode)(t[0], t[1], hx, list(t[2 + k :]), True, 2, 0.0, False, True)

    _same_as_torch(call, arrays)

    def by_keyword(m: Any, t: list[Any]) -> Any:
        hx = tuple(t[2 : 2 + k]) if k == 2 else t[2]
        kw = dict(has_biases=True, num_layers=2, dropout=0.0, train=False, bidirectional=True)
        return getattr(m, mode)(t[0], t[1], hx=hx, params=list(t[2 + k :]), **kw)

    _same_as_torch(by_keyword, arrays)


@pytest.mark.parametrize("mode", list(GATES))
def test_layers_gradcheck(mode: str) -> None:
    """Two bidirectional layers, batched and packed, every input, state and weight."""
    rng = np.random.default_rng(10)
    k = 2 if mode == "lstm" else 1
    params = [tg.tensor(p, requires_grad=True) for p in _flat_params(rng, mode, 2, 2, True, 2, 2)]
    x = tg.tensor(rng.standard_normal((3, 2, 2)), requires_grad=True)
    states = [tg.tensor(rng.standard_normal((4, 2, 2)), requires_grad=True) for _ in range(k)]
    fn = getattr(tg, mode)

    def batched(x: tg.Tensor, *rest: tg.Tensor) -> Any:
        hx = tuple(rest[:k]) if k == 2 else rest[0]
        return fn(x, hx, list(rest[k:]), True, 2, 0.0, False, True, False)

    assert gradcheck(batched, [x, *states, *params])
    batch_sizes = tg.tensor([2, 1, 1])
    data = tg.tensor(rng.standard_normal((4, 2)), requires_grad=True)

    def packed(data: tg.Tensor, *rest: tg.Tensor) -> Any:
        hx = tuple(rest[:k]) if k == 2 else rest[0]
        return fn(data, batch_sizes, hx, list(rest[k:]), True, 2, 0.0, False, True)

    assert gradcheck(packed, [data, *states, *params])


def test_dropout_between_layers_is_the_modules() -> None:
    """train=True draws the module's masks (same seed, same values); train=False or one layer
    draws none; p = 1 zeroes the second layer's input, so its output is the bias alone."""
    tg.manual_seed(11)
    m = nn.GRU(3, 4, num_layers=3, dropout=0.4, dtype="float64")
    params = [p for group in m.all_weights for p in group]
    x = tg.tensor(np.random.default_rng(11).standard_normal((6, 2, 3)))
    h0 = tg.zeros((3, 2, 4), dtype="float64")
    tg.manual_seed(12)
    out, h = m(x, h0)
    tg.manual_seed(12)
    ours = tg.gru(x, h0, params, True, 3, 0.4, True, False, False)
    np.testing.assert_array_equal(ours[0].detach().numpy(), out.detach().numpy())
    np.testing.assert_array_equal(ours[1].detach().numpy(), h.detach().numpy())
    m.eval()
    evaluated = m(x, h0)[0].detach().numpy()
    np.testing.assert_array_equal(
        tg.gru(x, h0, params, True, 3, 0.4, False, False, False)[0].detach().numpy(), evaluated
    )
    assert not np.array_equal(ours[0].detach().numpy(), evaluated)
    # p = 1: layer 1 reads zeros, so its first step is the GRU step from h₀ = 0 with x = 0
    rnn = nn.RNN(3, 4, num_layers=2, dtype="float64")
    ps = [p for group in rnn.all_weights for p in group]
    out, _ = tg.rnn_tanh(
        x, tg.zeros((2, 2, 4), dtype="float64"), ps, True, 2, 1.0, True, False, False
    )
    first = (rnn.bias_ih_l1 + rnn.bias_hh_l1).tanh().detach().numpy()
    np.testing.assert_allclose(out[0].detach().numpy(), np.broadcast_to(first, (2, 4)), rtol=1e-15)


def test_layer_refusals_match_torch() -> None:
    """Each bad call torch refuses (without crashing) is refused with its exception type."""
    torch = _torch()
    rng = np.random.default_rng(12)
    x = rng.standard_normal((3, 2, 4))
    h1, h2, h4 = (rng.standard_normal((n, 2, 5)) for n in (1, 2, 4))
    p1 = _flat_params(rng, "rnn_tanh", 1, 1, True, 4, 5)
    p4 = _flat_params(rng, "rnn_tanh", 2, 2, True, 4, 5)
    lstm_p = _flat_params(rng, "lstm", 1, 1, True, 4, 5)
    cases: list[tuple[str, tuple[Any, ...], str]] = [
        ("rnn_tanh", (x, h1, p1[:3], True, 1, 0.0, False, False, False), "incorrect number"),
        ("rnn_tanh", (x, h1, p1, False, 1, 0.0, False, False, False), "incorrect number"),
        ("rnn_tanh", (x, h1, p1, True, 2, 0.0, False, False, False), "expected hx of shape"),
        ("rnn_tanh", (x, h1, p1, True, 1, 0.0, False, True, False), "expected hx of shape"),
        ("rnn_tanh", (x, h2, p1, True, 2, 0.0, False, False, False), "incorrect number"),
        ("rnn_tanh", (x, h2, p1, True, 1, 0.0, False, False, False), "expected hx of shape"),
        ("rnn_tanh", (x, h4[:3], p4, True, 2, 0.0, False, True, False), "expected hx of shape"),
        ("rnn_tanh", (x, h4, p4[:-2], True, 2, 0.0, False, True, False), "incorrect number"),
        ("rnn_tanh", (x, h1[:, :1], p1, True, 1, 0.0, False, False, False), "expected hx"),
        ("rnn_tanh", (x[:, :, :3], h1, p1, True, 1, 0.0, False, False, False), "weight_ih"),
        ("rnn_tanh", (x[:0], h1, p1, True, 1, 0.0, False, False, False), "larger than 0"),
        ("rnn_tanh", (x, h4, p4, True, 2, 1.5, True, True, False), "between 0 and 1"),
        ("rnn_tanh", (x, h1, p1, 1, 1, 0.0, False, False, False), "has_biases"),
        ("rnn_tanh", (x, h1, p1, True, 1.0, 0.0, False, False, False), "num_layers"),
        ("lstm", (x, (h1,), lstm_p, True, 1, 0.0, False, False, False), "two hidden states"),
        ("lstm", (x, h1, lstm_p, True, 1, 0.0, False, False, False), "argument 'hx'"),
        ("lstm", (x, (h1, h1), [*lstm_p, lstm_p[0]], True, 1, 0.0, False, False, False), "number"),
        ("rnn_tanh", (x[:, :, :2].reshape(6, 2), np.array([2, 1, 2]), h1, p1), "invalid comb"),
    ]

    def convert(lib: Any, a: Any) -> Any:
        if isinstance(a, tuple):
            return tuple(convert(lib, t) for t in a)
        if isinstance(a, list):
            return [lib.tensor(t) for t in a]
        return lib.tensor(a) if isinstance(a, np.ndarray) else a

    for name, args, message in cases:
        with pytest.raises(Exception) as theirs:
            getattr(torch, name)(*(convert(torch, a) for a in args))
        with pytest.raises(theirs.type, match=re.escape(message)) as ours:
            getattr(tg, name)(*(convert(tg, a) for a in args))
        assert name in str(ours.value), (name, message)


def test_refusals_where_torch_reads_past_a_bad_shape() -> None:
    """torch broadcasts a c₀ of batch 1 over the batch, crashes the process on GRU given an
    RNN's weights, and fails deep in its kernel on batch_sizes out of order or not adding up to
    the data; each is refused here, naming the op and the shapes."""
    rng = np.random.default_rng(13)
    x, h = tg.tensor(rng.standard_normal((3, 2, 4))), tg.tensor(rng.standard_normal((1, 2, 5)))
    lstm_p = [tg.tensor(p) for p in _flat_params(rng, "lstm", 1, 1, True, 4, 5)]
    with pytest.raises(RuntimeError, match=r"lstm\(\): expected cx of shape .*\(1, 2, 5\)"):
        tg.lstm(x, (h, h[:, :1]), lstm_p, True, 1, 0.0, False, False, False)
    rnn_p = [tg.tensor(p) for p in _flat_params(rng, "rnn_tanh", 1, 1, True, 4, 5)]
    with pytest.raises(RuntimeError, match=r"gru\(\): params\[0\] \(weight_ih of layer 0\)"):
        tg.gru(x, h, rnn_p, True, 1, 0.0, False, False, False)
    data = tg.tensor(rng.standard_normal((5, 4)))
    for sizes, message in [
        (tg.tensor([2, 1, 2]), "non-increasing"),
        (tg.tensor([2, 2, 2]), "do not add up"),
        (tg.tensor([2, 2, 1], dtype=tg.int32), "int64 batch_sizes"),
    ]:
        with pytest.raises(RuntimeError, match=re.escape(message)):
            tg.rnn_tanh(data, sizes, h, rnn_p, True, 1, 0.0, False, False)
    with pytest.raises(TypeError, match="must be a tuple or list of Tensors"):
        tg.rnn_tanh(x, h, rnn_p[0], True, 1, 0.0, False, False, False)


# ----------------------------------------------------------------------------- sampling

INTERPOLATION = {"bilinear": 0, "nearest": 1, "bicubic": 2}
PADDING = {"zeros": 0, "border": 1, "reflection": 2}


def _grid_arrays(dims: int, rng: np.random.Generator) -> list[np.ndarray]:
    """input (2, 3, *S) and a grid reaching past the borders, kept off pixel centres/edges."""
    sizes = (4, 5) if dims == 2 else (3, 4, 5)
    points = (3, 4) if dims == 2 else (2, 3, 4)
    return [rng.standard_normal((2, 3, *sizes)), rng.uniform(-1.3, 1.3, (2, *points, dims))]


# bicubic is 4-D only (refused: test_grid_sampler_refusals)
SAMPLINGS = [(d, m) for d in (2, 3) for m in INTERPOLATION if (d, m) != (3, "bicubic")]


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("padding", list(PADDING))
@pytest.mark.parametrize("dims, mode", SAMPLINGS)
def test_grid_samplers_match_torch_and_grid_sample(
    dims: int, mode: str, padding: str, align_corners: bool
) -> None:
    arrays = _grid_arrays(dims, np.random.default_rng(14))
    codes = (INTERPOLATION[mode], PADDING[padding], align_corners)
    for name in ("grid_sampler", f"grid_sampler_{dims}d"):
        _same_as_torch(lambda m, t, name=name: getattr(m, name)(*t, *codes), arrays)
        ours = getattr(tg, name)(*(tg.tensor(a) for a in arrays), *codes)
        expected = F.grid_sample(*(tg.tensor(a) for a in arrays), mode, padding, align_corners)
        np.testing.assert_array_equal(ours.numpy(), expected.numpy())


def test_grid_sampler_gradcheck() -> None:
    rng = np.random.default_rng(15)
    x = tg.tensor(rng.standard_normal((1, 2, 3, 4)), requires_grad=True)
    grid = tg.tensor(rng.uniform(-0.9, 0.9, (1, 2, 3, 2)), requires_grad=True)
    for mode in (0, 2):
        assert gradcheck(
            lambda x, g, mode=mode: tg.grid_sampler_2d(x, g, mode, 2, False), [x, grid]
        )
    x3 = tg.tensor(rng.standard_normal((1, 2, 2, 3, 3)), requires_grad=True)
    grid3 = tg.tensor(rng.uniform(-0.9, 0.9, (1, 2, 2, 2, 3)), requires_grad=True)
    assert gradcheck(lambda x, g: tg.grid_sampler_3d(x, g, 0, 1, True), [x3, grid3])


def test_grid_sampler_refusals() -> None:
    torch = _torch()
    rng = np.random.default_rng(16)
    x, g = _grid_arrays(2, rng)
    x3, g3 = _grid_arrays(3, rng)
    cases: list[tuple[str, tuple[Any, ...], str]] = [
        ("grid_sampler_2d", (x3, g3, 0, 0, True), "expected 4D input"),
        ("grid_sampler_3d", (x, g, 0, 0, True), "expected 5D input"),
        ("grid_sampler_3d", (x3, g3, 2, 0, True), "bicubic"),
        ("grid_sampler", (x3, g3, 2, 0, True), "bicubic"),
        ("grid_sampler_2d", (x, g, 0, 0, None), "argument 'align_corners'"),
        ("grid_sampler_2d", (x, g, 0, 0, 1), "argument 'align_corners'"),
        ("grid_sampler_2d", (x, g, "bilinear", 0, True), "argument 'interpolation_mode'"),
        ("grid_sampler_2d", (x, g, True, 0, True), "argument 'interpolation_mode'"),
        ("grid_sampler", (x, g[:1], 0, 0, True), "same batch size"),
        ("grid_sampler", (x, g[..., :1], 0, 0, True), "size 2 in the last dimension"),
        ("grid_sampler", (x, g.astype(np.float32), 0, 0, True), "same dtype"),
    ]
    for name, args, message in cases:
        with pytest.raises(Exception) as theirs:
            getattr(torch, name)(
                *(torch.tensor(a) if isinstance(a, np.ndarray) else a for a in args)
            )
        with pytest.raises(theirs.type, match=re.escape(message)) as ours:
            getattr(tg, name)(*(tg.tensor(a) if isinstance(a, np.ndarray) else a for a in args))
        assert name in str(ours.value), (name, message)
    # torch computes something for any code; refused here
    for code in (3, -1):
        with pytest.raises(ValueError, match=r"grid_sampler\(\): interpolation_mode must be"):
            tg.grid_sampler(tg.tensor(x), tg.tensor(g), code, 0, False)
        with pytest.raises(ValueError, match=r"grid_sampler_2d\(\): padding_mode must be"):
            tg.grid_sampler_2d(tg.tensor(x), tg.tensor(g), 0, code, False)


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("size", [(2, 3, 4, 5), (2, 1, 1, 3), (2, 3, 2, 3, 4)], ids=str)
def test_affine_grid_generator_matches_torch(size: tuple[int, ...], align_corners: bool) -> None:
    n = len(size) - 2
    theta = np.random.default_rng(17).standard_normal((2, n, n + 1))
    _same_as_torch(lambda m, t: m.affine_grid_generator(t[0], size, align_corners), [theta])
    ours = tg.affine_grid_generator(tg.tensor(theta), list(size), align_corners)
    expected = F.affine_grid(tg.tensor(theta), size, align_corners)
    np.testing.assert_array_equal(ours.numpy(), expected.numpy())
    theta_t = tg.tensor(theta, requires_grad=True)
    assert gradcheck(lambda t: tg.affine_grid_generator(t, size, align_corners), [theta_t])


def test_affine_grid_generator_of_an_empty_size_and_refusals() -> None:
    torch = _torch()
    theta = np.random.default_rng(18).standard_normal((2, 2, 3))
    ours = tg.affine_grid_generator(tg.tensor(theta, requires_grad=True), [2, 3, 0, 5], False)
    theirs = torch.affine_grid_generator(torch.tensor(theta), [2, 3, 0, 5], False)
    assert ours.shape == tuple(theirs.shape) == (2, 0, 5, 2)
    ours.sum().backward()
    cases: list[tuple[Any, Any, Any, str]] = [
        (theta, [2, 3, 4], False, "needs 4d (spatial) or 5d"),
        (theta, [2, 3, 4, 5, 6, 7], False, "needs 4d (spatial) or 5d"),
        (theta, [2, 3, 4, 5, 6], False, "expected theta of shape (N, 3, 4)"),
        (theta, [3, 3, 4, 5], False, "expected theta of shape"),
        (theta[0], [2, 3, 4, 5], False, "expected theta of shape"),
        (theta, [2, 3, -4, 5], False, "must not be negative"),
        (theta, [2.0, 3, 4, 5], False, "argument 'size'"),
        (theta, [2, 3, 4, 5], None, "argument 'align_corners'"),
    ]
    for t, size, align, message in cases:
        with pytest.raises(Exception) as their_error:
            torch.affine_grid_generator(torch.tensor(t), size, align)
        error = their_error.type if their_error.type is not IndexError else RuntimeError
        with pytest.raises(error, match=re.escape(message)):
            tg.affine_grid_generator(tg.tensor(t), size, align)


def test_exported_as_torch_names() -> None:
    names = [*(c for c in CELL_OF.values()), *GATES, "grid_sampler", "grid_sampler_2d"]
    names += ["grid_sampler_3d", "affine_grid_generator"]
    for name in names:
        assert name in tg.__all__ and callable(getattr(tg, name)), name
    torch = _torch()
    assert all(hasattr(torch, name) for name in names)

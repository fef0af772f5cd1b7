"""Recurrent layers (nn.RNN, nn.LSTM, nn.GRU and their cells) and nn.utils.rnn padding.

Checked by gradcheck (and gradgradcheck for the cells) in float64 against finite differences,
by properties that need no reference (parameter shapes and init bounds, unbatched = batched with
N = 1, a cell unrolled by hand = the layer, dropout between layers), and, where PyTorch is
installed, against torch 2.13 with the same weights loaded from its ``state_dict``: outputs,
final states and the gradients of every parameter and input in float64 and float32, reprs,
parameter names, and the refusals of bad arguments and inputs.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
from tinygrad_ed import nn
from tinygrad_ed.numgrad import gradcheck, gradgradcheck

pad_sequence = nn.utils.rnn.pad_sequence
unpad_sequence = nn.utils.rnn.unpad_sequence

# (class, constructor kwargs) of the layers compared with torch; input_size 3, hidden_size 4.
LAYERS: list[tuple[str, dict[str, Any]]] = [
    ("RNN", {}),
    ("RNN", {"nonlinearity": "relu", "num_layers": 2, "bidirectional": True}),
    ("RNN", {"bias": False, "batch_first": True}),
    ("GRU", {}),
    ("GRU", {"num_layers": 2, "bidirectional": True, "batch_first": True}),
    ("LSTM", {}),
    ("LSTM", {"num_layers": 2, "bidirectional": True, "proj_size": 2}),
    ("LSTM", {"bias": False, "batch_first": True, "proj_size": 3}),
]
CELLS: list[tuple[str, dict[str, Any]]] = [
    ("RNNCell", {}),
    ("RNNCell", {"nonlinearity": "relu", "bias": False}),
    ("LSTMCell", {}),
    ("LSTMCell", {"bias": False}),
    ("GRUCell", {}),
    ("GRUCell", {"bias": False}),
]


def _id(case: tuple[str, dict[str, Any]]) -> str:
    cls, kw = case
    return cls + "".join(f"-{k}={v}" for k, v in kw.items())


def _pair(
    cls: str, kw: dict[str, Any], dtype: str, torch: Any, sizes: tuple[int, int] = (3, 4)
) -> tuple[Any, Any]:
    """A torch module and ours with the same weights (torch's, loaded by state_dict)."""
    tm = getattr(torch.nn, cls)(*sizes, **kw).to(getattr(torch, dtype))
    m = getattr(nn, cls)(*sizes, dtype=dtype, **kw)
    sd = {k: v.detach().numpy() for k, v in tm.state_dict().items()}
    assert list(sd) == list(m.state_dict())
    m.load_state_dict({k: tg.tensor(v) for k, v in sd.items()})
    return tm, m


def _state_shapes(m: Any, n: int | None) -> list[tuple[int, ...]]:
    """The shapes of h₀ (and c₀ for an LSTM) for batch n (None: unbatched)."""
    d = m.num_layers * (2 if m.bidirectional else 1)
    sizes = [m.proj_size or m.hidden_size] if isinstance(m, nn.LSTM) else [m.hidden_size]
    if isinstance(m, nn.LSTM):
        sizes.append(m.hidden_size)
    return [(d, size) if n is None else (d, n, size) for size in sizes]


def _flat(result: Any) -> list[Any]:
    """(output, h_n) or (output, (h_n, c_n)) or (h, c) or h, as a flat list of tensors."""
    if isinstance(result, (tuple, list)):
        return [t for r in result for t in _flat(r)]
    return [result]


def _close(ours: Any, theirs: Any, dtype: str, what: str) -> None:
    tol = 1e-12 if dtype == "float64" else 2e-5
    a = ours.detach().numpy() if isinstance(ours, tg.Tensor) else ours
    b = theirs.detach().numpy()
    assert a.dtype == b.dtype, what
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol, err_msg=what)


def _compare_with_torch(
    m: Any, tm: Any, x: np.ndarray, states: list[np.ndarray] | None, dtype: str, torch: Any
) -> None:
    """Outputs, then the gradients of every parameter, the input and the given states, of a
    loss that weighs every output differently (so each reaches the gradients)."""
    ours_in = [tg.tensor(a.astype(dtype), requires_grad=True) for a in [x, *(states or [])]]
    theirs_in = [torch.tensor(a.astype(dtype), requires_grad=True) for a in [x, *(states or [])]]

    def run(module: Any, inputs: list[Any]) -> list[Any]:
        if states is None:
            return _flat(module(inputs[0]))
        hx = inputs[1] if len(inputs) == 2 else tuple(inputs[1:])
        return _flat(module(inputs[0], hx))

    ours, theirs = run(m, ours_in), run(tm, theirs_in)
    assert len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert a.shape == tuple(b.shape), f"output {i}"
        _close(a, b, dtype, f"output {i}")
    rng = np.random.default_rng(7)
    weights = [rng.standard_normal(b.shape).astype(dtype) for b in theirs]
    sum(((a * tg.tensor(w)).sum() for a, w in zip(ours, weights)), tg.tensor(0.0)).backward()
    sum((b * torch.tensor(w)).sum() for b, w in zip(theirs, weights)).backward()
    for (name, p), (tname, tp) in zip(m.named_parameters(), tm.named_parameters()):
        assert name == tname
        _close(p.grad, tp.grad, dtype, f"gradient of {name}")
    for i, (a, b) in enumerate(zip(ours_in, theirs_in)):
        _close(a.grad, b.grad, dtype, f"gradient of input {i}")


# ----------------------------------------------------------------------------- torch: layers


@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", LAYERS, ids=_id)
def test_layer_matches_torch(case: tuple[str, dict[str, Any]], dtype: str) -> None:
    """Batched (with and without h₀/c₀) and unbatched, in the layout batch_first asks for."""
    torch = pytest.importorskip("torch")
    cls, kw = case
    tm, m = _pair(cls, kw, dtype, torch)
    rng = np.random.default_rng(0)
    L, N = 5, 2
    shape = (N, L, 3) if kw.get("batch_first") else (L, N, 3)
    x = rng.standard_normal(shape)
    _compare_with_torch(m, tm, x, None, dtype, torch)
    m.zero_grad(), tm.zero_grad()
    states = [rng.standard_normal(s) for s in _state_shapes(m, N)]
    _compare_with_torch(m, tm, x, states, dtype, torch)
    m.zero_grad(), tm.zero_grad()
    states = [rng.standard_normal(s) for s in _state_shapes(m, None)]
    _compare_with_torch(m, tm, rng.standard_normal((L, 3)), states, dtype, torch)


@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")
@pytest.mark.filterwarnings("ignore:dropout option adds dropout")
@given(
    cls=st.sampled_from(["RNN", "GRU", "LSTM"]),
    sizes=st.tuples(st.integers(1, 3), st.integers(2, 4)),
    L=st.integers(1, 4),
    N=st.integers(0, 3),
    flags=st.fixed_dictionaries(
        {
            "num_layers": st.integers(1, 3),
            "bias": st.booleans(),
            "batch_first": st.booleans(),
            "bidirectional": st.booleans(),
        }
    ),
    proj=st.booleans(),
    given_states=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_drawn_layers_match_torch(
    cls: str,
    sizes: tuple[int, int],
    L: int,
    N: int,
    flags: dict[str, Any],
    proj: bool,
    given_states: bool,
    seed: int,
) -> None:
    """Any sizes (a batch of 0 too), depth, flags and projection: values and all gradients."""
    torch = pytest.importorskip("torch")
    kw = {**flags, **({"proj_size": 1} if proj and cls == "LSTM" else {})}
    tm, m = _pair(cls, kw, "float64", torch, sizes)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, L, sizes[0]) if kw["batch_first"] else (L, N, sizes[0]))
    states = [rng.standard_normal(s) for s in _state_shapes(m, N)] if given_states else None
    _compare_with_torch(m, tm, x, states, "float64", torch)


def test_long_sequence_and_empty_batch_match_torch() -> None:
    """Backpropagation through 60 steps of a 2-layer LSTM; a batch of 0 sequences."""
    torch = pytest.importorskip("torch")
    tm, m = _pair("LSTM", {"num_layers": 2}, "float64", torch)
    x = np.random.default_rng(1).standard_normal((60, 2, 3))
    _compare_with_torch(m, tm, x, None, "float64", torch)
    out, (h, c) = m(tg.zeros(4, 0, 3, dtype="float64"))
    assert out.shape == (4, 0, 4) and h.shape == c.shape == (2, 0, 4)


# ----------------------------------------------------------------------------- torch: cells


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", CELLS, ids=_id)
def test_cell_matches_torch(case: tuple[str, dict[str, Any]], dtype: str) -> None:
    torch = pytest.importorskip("torch")
    cls, kw = case
    tm, m = _pair(cls, kw, dtype, torch)
    rng = np.random.default_rng(2)
    n_states = 2 if cls == "LSTMCell" else 1
    for n in (3, None):
        batch = () if n is None else (n,)
        x = rng.standard_normal((*batch, 3))
        _compare_with_torch(m, tm, x, None, dtype, torch)
        m.zero_grad(), tm.zero_grad()
        states = [rng.standard_normal((*batch, 4)) for _ in range(n_states)]
        _compare_with_torch(m, tm, x, states, dtype, torch)
        m.zero_grad(), tm.zero_grad()


# ----------------------------------------------------------------------------- gradcheck


@contextmanager
def _parameters_replaced(m: nn.Module, values: list[tg.Tensor]) -> Iterator[None]:
    """Run ``m`` on other tensors in place of its parameters, in ``named_parameters()``
    order (as torch.func.functional_call), so gradcheck can perturb them."""
    saved = dict(m._parameters)
    names = [name for name, p in saved.items() if p is not None]
    m._parameters.update(zip(names, values))  # type: ignore[arg-type]  # for one call
    try:
        yield
    finally:
        m._parameters.update(saved)


def _params(m: nn.Module) -> list[tg.Tensor]:
    return [p.detach().requires_grad_() for p in m.parameters()]


@pytest.mark.parametrize("case", CELLS[::2], ids=_id)
def test_cell_gradcheck_and_gradgradcheck(case: tuple[str, dict[str, Any]]) -> None:
    """Every input, state and parameter of one step, first and second derivatives."""
    cls, kw = case
    tg.manual_seed(0)
    m = getattr(nn, cls)(3, 2, dtype="float64", **kw)
    rng = np.random.default_rng(3)
    k = 2 if cls == "LSTMCell" else 1  # the states: (h, c) or h
    x, *states = [tg.tensor(rng.standard_normal((2, n)), requires_grad=True) for n in [3, 2, 2]]

    def step(x: tg.Tensor, *rest: tg.Tensor) -> tuple[tg.Tensor, ...]:
        hx = rest[0] if k == 1 else tuple(rest[:k])
        with _parameters_replaced(m, list(rest[k:])):
            return tuple(_flat(m(x, hx)))

    inputs = [x, *states[:k], *_params(m)]
    assert gradcheck(step, inputs)
    assert gradgradcheck(step, inputs)


@pytest.mark.parametrize(
    "cls, kw",
    [("LSTM", {"proj_size": 1}), ("GRU", {"batch_first": True}), ("RNN", {})],
    ids=["LSTM-proj", "GRU-batch_first", "RNN"],
)
def test_two_layer_bidirectional_gradcheck(cls: str, kw: dict[str, Any]) -> None:
    """2 layers, both directions: the input, h₀ (and c₀) and every parameter."""
    tg.manual_seed(1)
    m = getattr(nn, cls)(1, 2, num_layers=2, bidirectional=True, dtype="float64", **kw)
    rng = np.random.default_rng(4)
    L, N = 2, 1  # small: every parameter is perturbed (2·168 forward runs for the LSTM)
    x = tg.tensor(
        rng.standard_normal((N, L, 1) if m.batch_first else (L, N, 1)), requires_grad=True
    )
    states = [tg.tensor(rng.standard_normal(s), requires_grad=True) for s in _state_shapes(m, N)]
    k = len(states)

    def fn(x: tg.Tensor, *rest: tg.Tensor) -> tuple[tg.Tensor, ...]:
        hx = rest[0] if k == 1 else tuple(rest[:k])
        with _parameters_replaced(m, list(rest[k:])):
            return tuple(_flat(m(x, hx)))

    assert gradcheck(fn, [x, *states, *_params(m)])


# ----------------------------------------------------------------------------- properties


@pytest.mark.parametrize("case", LAYERS, ids=_id)
def test_parameters_shapes_and_init(case: tuple[str, dict[str, Any]]) -> None:
    """torch's names and shapes (gate blocks stacked: 1, 4 or 3 × hidden_size rows), all drawn
    from U(−1/√hidden, 1/√hidden) by the library generator (so a seed reproduces them)."""
    cls, kw = case
    tg.manual_seed(5)
    m = getattr(nn, cls)(3, 16, **{**kw, "proj_size": 2} if "proj_size" in kw else kw)
    gates = {"RNN": 1, "GRU": 3, "LSTM": 4}[cls] * 16
    h_out = 2 if kw.get("proj_size") else 16
    dirs = 2 if kw.get("bidirectional") else 1
    expected = {}
    for layer in range(kw.get("num_layers", 1)):
        for suffix in [f"_l{layer}", f"_l{layer}_reverse"][:dirs]:
            expected["weight_ih" + suffix] = (gates, 3 if layer == 0 else h_out * dirs)
            expected["weight_hh" + suffix] = (gates, h_out)
            if kw.get("bias", True):
                expected["bias_ih" + suffix] = expected["bias_hh" + suffix] = (gates,)
            if kw.get("proj_size"):
                expected["weight_hr" + suffix] = (2, 16)
    assert {k: p.shape for k, p in m.named_parameters()} == expected
    assert list(dict(m.named_parameters())) == list(expected)  # torch's order too
    values = np.concatenate([p.detach().numpy().ravel() for p in m.parameters()])
    assert np.abs(values).max() <= 0.25 and values.std() > 0.1  # U(−¼, ¼): std ≈ 0.144
    tg.manual_seed(5)
    again = getattr(nn, cls)(3, 16, **{**kw, "proj_size": 2} if "proj_size" in kw else kw)
    for p, q in zip(m.parameters(), again.parameters()):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
    assert all(a is b for a, b in zip([w for ws in m.all_weights for w in ws], m.parameters()))


@pytest.mark.parametrize("case", LAYERS, ids=_id)
def test_unbatched_equals_a_batch_of_one_and_states_default_to_zeros(
    case: tuple[str, dict[str, Any]],
) -> None:
    cls, kw = case
    m = getattr(nn, cls)(3, 4, dtype="float64", **kw).requires_grad_(False)
    x = tg.tensor(np.random.default_rng(6).standard_normal((5, 3)))
    one = _flat(m(x))
    batch_dim = 0 if kw.get("batch_first") else 1
    batched = _flat(m(x.unsqueeze(batch_dim)))
    zeros = [tg.zeros(s, dtype="float64") for s in _state_shapes(m, None)]
    given = _flat(m(x, zeros[0] if len(zeros) == 1 else tuple(zeros)))
    for i, (a, b, c) in enumerate(zip(one, batched, given)):
        dim = batch_dim if i == 0 else 1  # the output's batch dim; the states' is always 1
        np.testing.assert_array_equal(a.numpy(), b.squeeze(dim).numpy())
        np.testing.assert_array_equal(a.numpy(), c.numpy())


@pytest.mark.parametrize("cls", ["RNN", "GRU", "LSTM"])
def test_layer_is_its_cell_unrolled(cls: str) -> None:
    """A 1-layer network runs its cell step by step, with the same four parameters."""
    m = getattr(nn, cls)(3, 4, dtype="float64").requires_grad_(False)
    cell = getattr(nn, cls + "Cell")(3, 4, dtype="float64").requires_grad_(False)
    cell.load_state_dict({k[: -len("_l0")]: v for k, v in m.state_dict().items()})
    x = tg.tensor(np.random.default_rng(8).standard_normal((6, 2, 3)))
    out, state = m(x)
    hx = None
    steps = []
    for t in range(6):
        hx = cell(x[t], hx)
        steps.append(hx[0] if cls == "LSTM" else hx)
    np.testing.assert_allclose(out.numpy(), tg.stack(steps).numpy(), rtol=1e-14, atol=1e-15)
    final = state[1] if cls == "LSTM" else state
    last = hx[1] if cls == "LSTM" else hx
    np.testing.assert_allclose(final[0].numpy(), last.numpy(), rtol=1e-14, atol=1e-15)


def test_dropout_between_layers_only_while_training() -> None:
    """With p = 1 the second layer reads zeros: as if its W_ih were 0. Eval mode ignores p;
    0 < p < 1 draws a fresh mask each call; one layer warns that dropout does nothing."""
    tg.manual_seed(9)
    m = nn.GRU(3, 4, num_layers=2, dropout=1.0, dtype="float64").requires_grad_(False)
    x = tg.tensor(np.random.default_rng(9).standard_normal((5, 2, 3)))
    m.eval()
    before = m(x)[0].numpy()
    m.train()
    dropped = m(x)[0].numpy()
    with tg.no_grad():
        m.weight_ih_l1.zero_()
    m.eval()
    np.testing.assert_allclose(dropped, m(x)[0].numpy(), rtol=1e-14)
    assert not np.allclose(before, dropped)
    half = nn.LSTM(3, 4, num_layers=3, dropout=0.5, dtype="float64").requires_grad_(False)
    assert not np.array_equal(half(x)[0].numpy(), half(x)[0].numpy())
    half.eval()
    np.testing.assert_array_equal(half(x)[0].numpy(), half(x)[0].numpy())
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        nn.RNN(3, 4, dropout=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.RNN(3, 4, num_layers=2, dropout=0.5)


def test_lstm_learns_to_sum_a_sequence() -> None:
    """A few Adam steps on an LSTM regressing the sum of its inputs lower the loss a lot."""
    tg.manual_seed(0)
    lstm, head = nn.LSTM(1, 8, batch_first=True), nn.Linear(8, 1)
    params = [*lstm.parameters(), *head.parameters()]
    opt = tg.optim.Adam(params, lr=0.05)
    x = tg.tensor(np.random.default_rng(0).uniform(-1, 1, (32, 6, 1)).astype(np.float32))
    y = x.sum(1)
    losses = []
    for _ in range(40):
        opt.zero_grad()
        out, _ = lstm(x)
        loss = ((head(out[:, -1]) - y) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.1 * losses[0]


# ----------------------------------------------------------------------------- reprs, errors


def test_reprs_match_torch() -> None:
    torch = pytest.importorskip("torch")
    cases: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
        ("RNN", (3, 4), {}),
        ("RNN", (3, 4, 2, "relu"), {"dropout": 0.25}),
        ("LSTM", (3, 4, 2), {"proj_size": 2, "bidirectional": True, "bias": False}),
        ("GRU", (3, 4), {"batch_first": True}),
        ("RNNCell", (3, 4), {"nonlinearity": "relu"}),
        ("LSTMCell", (3, 4), {"bias": False}),
        ("GRUCell", (3, 4), {}),
    ]
    for cls, args, kw in cases:
        assert repr(getattr(nn, cls)(*args, **kw)) == repr(getattr(torch.nn, cls)(*args, **kw))


CONSTRUCTOR_ERRORS: list[tuple[str, tuple[Any, ...], dict[str, Any], type, str]] = [
    ("RNN", (3, 4), {"nonlinearity": "sigmoid"}, ValueError, "Unknown nonlinearity 'sigmoid'"),
    ("RNN", (3, 4, 0), {}, ValueError, "num_layers must be greater than zero"),
    ("GRU", (3, 0), {}, ValueError, "hidden_size must be greater than zero"),
    ("GRU", (0, 4), {}, ValueError, "input_size must be greater than zero"),
    ("LSTM", (3.0, 4), {}, TypeError, "input_size must be an int"),
    ("LSTM", (3, 4), {"dropout": 1.5}, ValueError, "dropout should be a number in range"),
    ("LSTM", (3, 4), {"dropout": True}, ValueError, "dropout should be a number in range"),
    ("LSTM", (3, 4), {"proj_size": 4}, ValueError, "proj_size has to be smaller than"),
    ("LSTM", (3, 4), {"proj_size": -1}, ValueError, "proj_size should be a positive integer"),
    ("RNN", (3, 4), {"bias": 1}, TypeError, "bias should be of type bool, got: int"),
    ("GRU", (3, 4), {"batch_first": None}, TypeError, "batch_first should be of type bool"),
    ("LSTM", (3, 4), {"device": "cuda"}, RuntimeError, "cuda"),
    ("LSTMCell", (3, -1), {}, ValueError, "hidden_size must be non-negative"),
]


@pytest.mark.parametrize(
    "cls, args, kw, exc, message", CONSTRUCTOR_ERRORS, ids=[str(c[:3]) for c in CONSTRUCTOR_ERRORS]
)
def test_constructor_refusals(
    cls: str, args: tuple[Any, ...], kw: dict[str, Any], exc: type, message: str
) -> None:
    with pytest.raises(exc, match=re.escape(message)):
        getattr(nn, cls)(*args, **kw)


def test_rnn_cell_refuses_an_unknown_nonlinearity_when_built() -> None:
    """torch builds it and fails at the first call; refused at once here."""
    with pytest.raises(ValueError, match="Unknown nonlinearity 'sigmoid'"):
        nn.RNNCell(3, 4, nonlinearity="sigmoid")


def _forward_errors() -> list[tuple[str, dict[str, Any], Callable[[Any], Any], str]]:
    f32 = "float32"
    z = lambda *s, dtype=f32: tg.zeros(*s, dtype=dtype)  # noqa: E731
    return [
        ("RNN", {}, lambda m: m(z(3)), "Expected input to be 2D or 3D, got 1D"),
        ("GRU", {}, lambda m: m(z(1, 5, 2, 3)), "Expected input to be 2D or 3D, got 4D"),
        ("RNN", {}, lambda m: m(z(5, 2, 4)), "input.size(-1) must be equal to input_size"),
        ("LSTM", {}, lambda m: m(z(0, 2, 3)), "Expected sequence length to be larger than 0"),
        ("RNN", {}, lambda m: m(z(5, 2, 3, dtype="float64")), "does not match weight dtype"),
        ("RNN", {}, lambda m: m(tg.zeros(5, 2, 3, dtype="int64")), "does not match weight"),
        ("RNN", {"num_layers": 2}, lambda m: m(z(5, 2, 3), z(1, 2, 4)), "Expected hidden size"),
        ("GRU", {}, lambda m: m(z(5, 2, 3), z(1, 3, 4)), "Expected hidden size (1, 2, 4)"),
        ("GRU", {}, lambda m: m(z(5, 2, 3), z(2, 4)), "For batched 3-D input, hx should also"),
        ("RNN", {}, lambda m: m(z(5, 3), z(1, 1, 4)), "For unbatched 2-D input, hx should also"),
        ("RNN", {}, lambda m: m(z(5, 2, 3), z(1, 2, 4, dtype="float64")), "dtype float64"),
        (
            "LSTM",
            {"proj_size": 2},
            lambda m: m(z(5, 2, 3), (z(1, 2, 4), z(1, 2, 4))),
            "Expected hidden[0] size (1, 2, 2), got [1, 2, 4]",
        ),
        (
            "LSTM",
            {"proj_size": 2},
            lambda m: m(z(5, 2, 3), (z(1, 2, 2), z(1, 2, 2))),
            "Expected hidden[1] size (1, 2, 4), got [1, 2, 2]",
        ),
        (
            "LSTM",
            {},
            lambda m: m(z(5, 3), (z(1, 2, 4), z(1, 2, 4))),
            "For unbatched 2-D input, hx and cx should also be 2-D but got (3-D, 3-D)",
        ),
        ("RNNCell", {}, lambda m: m(z(2, 5)), "input has inconsistent input_size: got 5"),
        ("RNNCell", {}, lambda m: m(z(2, 2, 3)), "Expected input to be 1D or 2D, got 3D"),
        ("RNNCell", {}, lambda m: m(z(2, 3), z(2, 5)), "hidden has inconsistent hidden_size"),
        ("GRUCell", {}, lambda m: m(z(2, 3), z(3, 4)), "Input batch size 2 doesn't match"),
        ("GRUCell", {}, lambda m: m(z(3), z(2, 4)), "must be 1-D for an unbatched 1-D input"),
        ("GRUCell", {}, lambda m: m(z(2, 3), z(1, 2, 4)), "Expected hidden to be 1D or 2D"),
        ("GRUCell", {}, lambda m: m(z(2, 3, dtype="float64")), "input has dtype float64"),
        (
            "LSTMCell",
            {},
            lambda m: m(z(2, 3), (z(2, 4), z(2, 5))),
            "hx[1] has inconsistent hidden_size: got 5, expected 4",
        ),
    ]


@pytest.mark.parametrize("case", _forward_errors(), ids=lambda c: f"{c[0]}-{c[3][:30]}")
def test_forward_refusals_match_torch(
    case: tuple[str, dict[str, Any], Callable[[Any], Any], str],
) -> None:
    """Our message; where torch is installed, it refuses too, with the same exception type."""
    cls, kw, call, message = case
    m = getattr(nn, cls)(3, 4, **kw)
    with pytest.raises(Exception, match=re.escape(message)) as ours:
        call(m)
    torch = pytest.importorskip("torch")

    def to_torch(t: Any) -> Any:
        if isinstance(t, tg.Tensor):
            return torch.tensor(t.numpy())
        return tuple(to_torch(u) for u in t) if isinstance(t, tuple) else t

    class Bridge:
        def __call__(self, *args: Any) -> Any:
            return getattr(torch.nn, cls)(3, 4, **kw)(*[to_torch(a) for a in args])

    with pytest.raises(Exception) as theirs:
        call(Bridge())
    assert isinstance(ours.value, type(theirs.value)), (ours.value, theirs.value)


def test_bad_argument_types() -> None:
    lstm, cell = nn.LSTM(3, 4), nn.LSTMCell(3, 4)
    x = tg.zeros(5, 2, 3)
    with pytest.raises(TypeError, match="expected a Tensor input"):
        lstm([[0.0, 1.0, 2.0]])
    with pytest.raises(TypeError, match="hx must be a tuple"):
        lstm(x, tg.zeros(1, 2, 4))
    with pytest.raises(TypeError, match="cx must be a Tensor"):
        lstm(x, (tg.zeros(1, 2, 4), 0.0))
    with pytest.raises(TypeError, match="hx must be a tuple"):
        cell(tg.zeros(2, 3), tg.zeros(2, 4))
    with pytest.raises(TypeError, match="hidden must be a Tensor"):
        nn.GRU(3, 4)(x, np.zeros((1, 2, 4)))


# ----------------------------------------------------------------------------- padding


PAD_CASES: list[tuple[list[tuple[int, ...]], dict[str, Any]]] = [
    ([(3,), (1,), (2,)], {}),
    ([(3, 2), (1, 2), (0, 2)], {"batch_first": True}),
    ([(2, 2, 1), (4, 2, 1)], {"padding_value": -1.5, "padding_side": "left"}),
    ([(2,), (4,)], {"batch_first": True, "padding_side": "left", "padding_value": 7.0}),
]


@pytest.mark.parametrize("shapes, kw", PAD_CASES)
def test_pad_sequence_values_and_gradients(
    shapes: list[tuple[int, ...]], kw: dict[str, Any]
) -> None:
    """Against a numpy reference; each sequence's gradient is its slice of the output's, and
    unpad_sequence (right side) gives back the sequences."""
    rng = np.random.default_rng(10)
    arrays = [rng.standard_normal(s) for s in shapes]
    seqs = [tg.tensor(a, requires_grad=True) for a in arrays]
    out = pad_sequence(seqs, **kw)
    length = max(s[0] for s in shapes)
    ref = np.full((len(shapes), length, *shapes[0][1:]), kw.get("padding_value", 0.0))
    for i, a in enumerate(arrays):
        if kw.get("padding_side", "right") == "right":
            ref[i, : len(a)] = a
        else:
            ref[i, length - len(a) :] = a
    if not kw.get("batch_first"):
        ref = ref.swapaxes(0, 1)
    np.testing.assert_array_equal(out.detach().numpy(), ref)
    g = rng.standard_normal(out.shape)
    out.backward(tg.tensor(g))
    g_rows = g if kw.get("batch_first") else g.swapaxes(0, 1)
    for i, s in enumerate(seqs):
        n = shapes[i][0]
        rows = g_rows[i, :n] if kw.get("padding_side", "right") == "right" else g_rows[i, -n:]
        np.testing.assert_array_equal(s.grad.numpy(), rows[:n] if n else rows[:0])
    assert gradcheck(lambda *xs: pad_sequence(list(xs), **kw), seqs)
    if kw.get("padding_side", "right") == "right":
        back = unpad_sequence(out, [s[0] for s in shapes], batch_first=kw.get("batch_first", False))
        for a, b in zip(back, arrays):
            np.testing.assert_array_equal(a.detach().numpy(), b)


def test_pad_sequence_matches_torch() -> None:
    """Dtypes (the first sequence's; an int padding value truncated), a Tensor as the batch."""
    torch = pytest.importorskip("torch")
    from torch.nn.utils.rnn import pad_sequence as torch_pad
    from torch.nn.utils.rnn import unpad_sequence as torch_unpad

    int_seqs = [np.array([1, 2, 3]), np.array([4])]
    for kw in [{}, {"padding_value": 1.5}, {"batch_first": True, "padding_side": "left"}]:
        ours = pad_sequence([tg.tensor(a) for a in int_seqs], **kw)
        theirs = torch_pad([torch.tensor(a) for a in int_seqs], **kw)
        assert ours.dtype == np.int64
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    mixed = [np.ones(2, np.float32), np.ones(3)]
    ours = pad_sequence([tg.tensor(a) for a in mixed])
    theirs = torch_pad([torch.tensor(a) for a in mixed])
    assert ours.dtype == np.float32 and theirs.dtype == torch.float32
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    batch = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(
        pad_sequence(tg.tensor(batch)).numpy(), torch_pad(torch.tensor(batch)).numpy()
    )
    padded = np.arange(12.0).reshape(3, 4)
    ours_list = unpad_sequence(tg.tensor(padded), tg.tensor([3, 1, 0, 2]))
    theirs_list = torch_unpad(torch.tensor(padded), torch.tensor([3, 1, 0, 2]))
    for a, b in zip(ours_list, theirs_list):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_padding_refusals() -> None:
    with pytest.raises(RuntimeError, match="received an empty list of sequences"):
        pad_sequence([])
    with pytest.raises(RuntimeError, match="padding_side to be one of left or right"):
        pad_sequence([tg.zeros(2)], padding_side="middle")
    with pytest.raises(RuntimeError, match=re.escape("sequences[1] has shape (2, 4)")):
        pad_sequence([tg.zeros(2, 3), tg.zeros(2, 4)])
    with pytest.raises(RuntimeError, match="is 0-d"):
        pad_sequence([tg.tensor(1.0)])
    with pytest.raises(TypeError, match=re.escape("sequences[0] must be a Tensor")):
        pad_sequence([[1.0, 2.0]])  # type: ignore[list-item]
    with pytest.raises(RuntimeError, match="2 lengths for a batch of 3 sequences"):
        unpad_sequence(tg.zeros(4, 3), [1, 2])
    with pytest.raises(RuntimeError, match=re.escape("lengths[1] = 5 is outside [0, 4]")):
        unpad_sequence(tg.zeros(4, 2), [1, 5])

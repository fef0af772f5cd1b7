"""torch's functional recurrent entry points, the weights passed in: one step of a cell
(``rnn_tanh_cell``, ``rnn_relu_cell``, ``lstm_cell``, ``gru_cell``) and whole stacks of layers
(``rnn_tanh``, ``rnn_relu``, ``lstm``, ``gru``), the functions torch's ``nn`` modules call.

Each is the recurrence of ``nn/rnn.py`` (its steps ``_rnn_step``, ``_lstm_step``, ``_gru_step``
and its loop ``_stacked``), so values and gradients are the modules': backpropagation through
time is the engine's ordinary backward over the unrolled steps, W̄ = Σₜ W̄⁽ᵗ⁾ for a weight used
at every step. What this file adds is torch's calling convention and the checks of its kernels,
made up front so that bad input is refused naming the op and the shapes.

The layer forms take ``params``, a flat sequence of the parameters of each (layer, direction)
in torch's order (``nn.RNNBase._flat_weights``): w_ih, w_hh, then b_ih, b_hh when
``has_biases``, then w_hr for an LSTM with projections (torch's rule: h₀ and c₀ differ in their
last dim). They have torch's two overloads,

    (input, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first)
    (data, batch_sizes, hx, params, has_biases, num_layers, dropout, train, bidirectional)

the second the packed one (``data`` and ``batch_sizes`` of a ``PackedSequence``, hx and the
results in its sorted batch order), told apart as torch's argument parser does. The first takes
input (L, N, input_size) and hx (D·num_layers, N, H_out), or unbatched (L, input_size) and
(D·num_layers, H_out); ``batch_first`` swaps the input's (and output's) first two dims, as
torch's kernels do, even unbatched. ``dropout`` applies between layers when ``train``.

Where torch's kernels read past a bad shape (a c₀ of batch 1 broadcast over the batch, wrong
GRU weights that crash the process) an error is raised here. Unbatched input, which torch's
kernels take for rnn_tanh and rnn_relu but not for gru and lstm (an IndexError), is taken by
all four.

PyTorch equivalents: ``torch.rnn_tanh_cell``, ``torch.rnn_relu_cell``, ``torch.lstm_cell``,
``torch.gru_cell``, ``torch.rnn_tanh``, ``torch.rnn_relu``, ``torch.lstm``, ``torch.gru``.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Sequence
from typing import Any, overload

import numpy as np

from . import functional as F
from .nn.rnn import _GATES, _gru_step, _lstm_step, _rnn_step, _stacked
from .nn.rnn_utils import _packed_lengths, _packed_positions, _pad_sorted
from .tensor import Tensor

__all__ = [
    "gru",
    "gru_cell",
    "lstm",
    "lstm_cell",
    "rnn_relu",
    "rnn_relu_cell",
    "rnn_tanh",
    "rnn_tanh_cell",
]


def _tensor(op: str, name: str, value: Any) -> Tensor:
    if not isinstance(value, Tensor):
        raise TypeError(f"{op}(): argument '{name}' must be Tensor, not {type(value).__name__}")
    return value


def _tensors(op: str, name: str, value: Any) -> list[Tensor]:
    """A tuple or list of Tensors (torch's ``TensorList``)."""
    if not isinstance(value, (tuple, list)) or not all(isinstance(t, Tensor) for t in value):
        raise TypeError(
            f"{op}(): argument '{name}' must be a tuple or list of Tensors, not "
            f"{type(value).__name__}"
        )
    return list(value)


def _flag(op: str, name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{op}(): argument '{name}' must be bool, not {type(value).__name__}")
    return bool(value)


def _same_dtype(op: str, x: Tensor, tensors: dict[str, Tensor]) -> None:
    if not x.is_floating_point():
        raise RuntimeError(f"{op}(): expected a floating point input, got dtype {x.dtype}")
    for name, t in tensors.items():
        if t.dtype != x.dtype:
            raise RuntimeError(
                f"{op}(): {name} has dtype {t.dtype} but the input has dtype {x.dtype}; "
                "all must have the same dtype"
            )


# ----------------------------------------------------------------------------- cells


def _cell(
    op: str,
    mode: str,
    input: Any,
    states: list[Any],
    w_ih: Any,
    w_hh: Any,
    b_ih: Any,
    b_hh: Any,
) -> Tensor:
    """Check one step's arguments as torch's cell kernels (input (N, input_size), each state
    (N, hidden_size), hidden_size = w_hh.size(1), weights of G·hidden_size rows for G gate
    blocks) and return the input's part of the gates, x W_ihᵀ + b_ih."""
    x = _tensor(op, "input", input)
    weights = {"w_ih": _tensor(op, "w_ih", w_ih), "w_hh": _tensor(op, "w_hh", w_hh)}
    for name, b in (("b_ih", b_ih), ("b_hh", b_hh)):
        if b is not None:
            weights[name] = _tensor(op, name, b)
    if x.ndim != 2:
        # torch reads size(1) of the input: an IndexError when it has one dim
        error = IndexError if x.ndim < 2 else RuntimeError
        raise error(f"{op}(): expected input of shape (N, input_size), got shape {x.shape}")
    for name in ("w_ih", "w_hh"):
        if weights[name].ndim != 2:
            raise RuntimeError(
                f"{op}(): {name} must be 2-D (gates·hidden_size, features), got shape "
                f"{weights[name].shape}"
            )
    hidden = weights["w_hh"].shape[1]
    if x.shape[1] != weights["w_ih"].shape[1]:
        raise RuntimeError(
            f"{op}(): input has inconsistent input_size: got {x.shape[1]} expected "
            f"{weights['w_ih'].shape[1]} (input of shape {x.shape}, w_ih of shape "
            f"{weights['w_ih'].shape})"
        )
    for k, h in enumerate(states):
        if h.ndim != 2:
            raise RuntimeError(
                f"{op}(): expected hidden{k} of shape (N, hidden_size) = ({x.shape[0]}, "
                f"{hidden}), got shape {h.shape}"
            )
        if h.shape[0] != x.shape[0]:
            raise RuntimeError(
                f"{op}(): Input batch size {x.shape[0]} doesn't match hidden{k} batch size "
                f"{h.shape[0]} (input of shape {x.shape}, hidden{k} of shape {h.shape})"
            )
        if h.shape[1] != hidden:
            raise RuntimeError(
                f"{op}(): hidden{k} has inconsistent hidden_size: got {h.shape[1]}, expected "
                f"{hidden} (w_hh of shape {weights['w_hh'].shape})"
            )
    gates = _GATES[mode] * hidden
    for name, t in weights.items():
        if name.startswith("w") and t.shape[0] != gates:
            raise RuntimeError(
                f"{op}(): {name} first dim must be {_GATES[mode]} * hidden_size = {gates}, but "
                f"got {t.shape[0]} ({name} of shape {t.shape}, hidden_size = w_hh.size(1))"
            )
        if name.startswith("b") and t.shape != (gates,):
            raise RuntimeError(
                f"{op}(): {name} must have shape ({gates},) = ({_GATES[mode]} * hidden_size,), "
                f"got {t.shape} (hidden_size = w_hh.size(1) = {hidden})"
            )
    _same_dtype(op, x, {**weights, **{f"hidden{k}": h for k, h in enumerate(states)}})
    return F.linear(x, weights["w_ih"], weights.get("b_ih"))


def rnn_tanh_cell(
    input: Tensor,
    hx: Tensor,
    w_ih: Tensor,
    w_hh: Tensor,
    b_ih: Tensor | None = None,
    b_hh: Tensor | None = None,
) -> Tensor:
    """One Elman step (``torch.rnn_tanh_cell``, what ``nn.RNNCell`` computes):
    h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), so with δ = ḡ ⊙ (1 − h'²):
    x̄ = δ W_ih, h̄ = δ W_hh, W̄_ih = δᵀ x, W̄_hh = δᵀ h, b̄_ih = b̄_hh = Σₙ δ.
    input (N, input_size), hx (N, hidden_size), both required; biases optional."""
    op = "rnn_tanh_cell"
    gi = _cell(op, "RNN_TANH", input, [_tensor(op, "hx", hx)], w_ih, w_hh, b_ih, b_hh)
    return _rnn_step(gi, hx, w_hh, b_hh, relu=False)


def rnn_relu_cell(
    input: Tensor,
    hx: Tensor,
    w_ih: Tensor,
    w_hh: Tensor,
    b_ih: Tensor | None = None,
    b_hh: Tensor | None = None,
) -> Tensor:
    """One Elman step with relu (``torch.rnn_relu_cell``):
    h' = relu(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), relu'(0) = 0; see ``rnn_tanh_cell``."""
    op = "rnn_relu_cell"
    gi = _cell(op, "RNN_RELU", input, [_tensor(op, "hx", hx)], w_ih, w_hh, b_ih, b_hh)
    return _rnn_step(gi, hx, w_hh, b_hh, relu=True)


def lstm_cell(
    input: Tensor,
    hx: Sequence[Tensor],
    w_ih: Tensor,
    w_hh: Tensor,
    b_ih: Tensor | None = None,
    b_hh: Tensor | None = None,
) -> tuple[Tensor, Tensor]:
    """One LSTM step (``torch.lstm_cell``, what ``nn.LSTMCell`` computes), gates in torch's
    order i, f, g, o: i, f, g, o = split(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh);
    c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g); h' = σ(o) ⊙ tanh(c'). hx = (h, c), a tuple or list of two
    (N, hidden_size) Tensors; returns (h', c'), and c̄ = c̄' ⊙ σ(f) flows back to c."""
    states = _tensors("lstm_cell", "hx", hx)
    if len(states) != 2:
        raise RuntimeError(f"lstm_cell(): lstm_cell expects two hidden states, got {len(states)}")
    gi = _cell("lstm_cell", "LSTM", input, states, w_ih, w_hh, b_ih, b_hh)
    return _lstm_step(gi, states[0], states[1], w_hh, b_hh, None)


def gru_cell(
    input: Tensor,
    hx: Tensor,
    w_ih: Tensor,
    w_hh: Tensor,
    b_ih: Tensor | None = None,
    b_hh: Tensor | None = None,
) -> Tensor:
    """One GRU step (``torch.gru_cell``, what ``nn.GRUCell`` computes), gates in torch's order
    r, z, n: r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
    n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h."""
    op = "gru_cell"
    gi = _cell(op, "GRU", input, [_tensor(op, "hx", hx)], w_ih, w_hh, b_ih, b_hh)
    return _gru_step(gi, hx, w_hh, b_hh)


# ----------------------------------------------------------------------------- layers

# torch's two overloads of the layer functions, by argument name
_SHARED = ("params", "has_biases", "num_layers", "dropout", "train", "bidirectional")
_INPUT_FORM = ("input", "hx", *_SHARED, "batch_first")
_PACKED_FORM = ("data", "batch_sizes", "hx", *_SHARED)


def _signature(names: tuple[str, ...]) -> inspect.Signature:
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    return inspect.Signature([inspect.Parameter(name, kind) for name in names])


_SIGNATURES = {False: _signature(_INPUT_FORM), True: _signature(_PACKED_FORM)}


def _bind(op: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The arguments by name, and whether they are the packed form's. Both forms bind only
    nine positional arguments; then the 4th tells them apart, as in torch's parser: the packed
    form's params (a sequence) against the other's has_biases (a bool)."""
    forms = []
    for packed, signature in _SIGNATURES.items():
        try:
            forms.append((signature.bind(*args, **kwargs).arguments, packed))
        except TypeError:
            continue
    if len(forms) == 2:
        forms = [form for form in forms if form[1] == isinstance(args[3], (tuple, list))]
    if not forms:
        raise TypeError(
            f"{op}() received an invalid combination of arguments: {len(args)} positional and "
            f"keywords {sorted(kwargs)}, but expected ({', '.join(_INPUT_FORM)}) or "
            f"({', '.join(_PACKED_FORM)})"
        )
    return forms[0]


def _layer_weights(
    op: str,
    mode: str,
    params: list[Tensor],
    has_biases: bool,
    num_layers: int,
    directions: int,
    input_size: int,
    h_out: int,
    hidden: int,
) -> list[dict[str, Tensor]]:
    """``params`` split per (layer, direction) by kind, each shape checked."""
    kinds = ["weight_ih", "weight_hh"]
    if has_biases:
        kinds += ["bias_ih", "bias_hh"]
    if h_out != hidden:  # an LSTM with projections
        kinds.append("weight_hr")
    expected = num_layers * directions * len(kinds)
    if len(params) != expected:
        raise RuntimeError(
            f"{op}(): got an incorrect number of RNN parameters: {len(params)}, expected "
            f"{expected} = num_layers ({num_layers}) × directions ({directions}) × "
            f"{len(kinds)} ({', '.join(kinds)})"
        )
    gates = _GATES[mode] * hidden
    weights = []
    for index in range(num_layers * directions):
        layer, direction = divmod(index, directions)
        shapes = {
            "weight_ih": (gates, input_size if layer == 0 else h_out * directions),
            "weight_hh": (gates, h_out),
            "bias_ih": (gates,),
            "bias_hh": (gates,),
            "weight_hr": (h_out, hidden),
        }
        w = dict(zip(kinds, params[index * len(kinds) : (index + 1) * len(kinds)]))
        for k, (kind, p) in enumerate(w.items()):
            if p.shape != shapes[kind]:
                where = f"layer {layer}" + (", reverse" if direction else "")
                raise RuntimeError(
                    f"{op}(): params[{index * len(kinds) + k}] ({kind} of {where}) has shape "
                    f"{p.shape}, expected {shapes[kind]} (hidden_size {hidden}, output size "
                    f"{h_out}, input_size {input_size})"
                )
        weights.append(w)
    return weights


def _sequence(
    op: str, a: dict[str, Any], packed: bool, batch_first: bool
) -> tuple[Tensor, bool, np.ndarray | None]:
    """The input as (L, N, input_size), whether it came batched, and for a packed input the
    sequences' lengths (sorted decreasing): its data padded in the sorted batch order."""
    if packed:
        data = _tensor(op, "data", a["data"])
        batch_sizes = _tensor(op, "batch_sizes", a["batch_sizes"])
        if data.ndim != 2 or batch_sizes.ndim != 1 or batch_sizes.dtype != np.int64:
            raise RuntimeError(
                f"{op}(): expected data of shape (steps, input_size) and 1-D int64 batch_sizes, "
                f"got data of shape {data.shape}, batch_sizes of shape {batch_sizes.shape} and "
                f"dtype {batch_sizes.dtype}"
            )
        sizes = batch_sizes.data
        try:
            x = _pad_sorted(data, sizes, sizes.size, 0.0)
        except RuntimeError as error:
            raise RuntimeError(f"{op}(): {error}") from None
        return x, True, _packed_lengths(sizes)
    x = _tensor(op, "input", a["input"])
    if x.ndim not in (2, 3):
        raise RuntimeError(
            f"{op}(): expected input of shape (L, N, input_size) or (L, input_size), got shape "
            f"{x.shape}"
        )
    x = x.transpose(0, 1) if batch_first else x
    if x.shape[0] == 0:
        raise RuntimeError(
            f"{op}(): Expected sequence length to be larger than 0 in RNN (input of shape "
            f"{x.shape})"
        )
    return (x, True, None) if x.ndim == 3 else (x.unsqueeze(1), False, None)


def _layers(
    op: str, mode: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Tensor, Tensor, Tensor | None]:
    """Both forms of rnn_tanh, rnn_relu, lstm and gru: (output, h_n, c_n), c_n for an LSTM."""
    a, packed = _bind(op, args, kwargs)
    has_biases = _flag(op, "has_biases", a["has_biases"])
    train = _flag(op, "train", a["train"])
    bidirectional = _flag(op, "bidirectional", a["bidirectional"])
    batch_first = False if packed else _flag(op, "batch_first", a["batch_first"])
    num_layers, dropout = a["num_layers"], a["dropout"]
    if isinstance(num_layers, bool) or not isinstance(num_layers, (int, np.integer)):
        raise TypeError(f"{op}(): argument 'num_layers' must be int, not {num_layers!r}")
    if isinstance(dropout, bool) or not isinstance(dropout, numbers.Real):
        raise TypeError(f"{op}(): argument 'dropout' must be float, not {dropout!r}")
    num_layers, dropout = int(num_layers), float(dropout)
    if num_layers < 1:
        raise RuntimeError(f"{op}(): num_layers must be at least 1, got {num_layers}")
    params = _tensors(op, "params", a["params"])
    if mode == "LSTM":
        states = _tensors(op, "hx", a["hx"])
        if len(states) != 2:
            raise RuntimeError(f"{op}(): lstm expects two hidden states, got {len(states)}")
    else:
        states = [_tensor(op, "hx", a["hx"])]

    x, batched, lengths = _sequence(op, a, packed, batch_first)
    original = a["data"] if packed else a["input"]

    directions = 2 if bidirectional else 1
    h_out = states[0].shape[-1] if states[0].ndim else 0
    hidden = states[-1].shape[-1] if states[-1].ndim else 0  # differs from h_out: projections
    batch = x.shape[1:2] if batched else ()
    for name, state, size in zip(("hx", "cx"), states, (h_out, hidden)):
        want = (num_layers * directions, *batch, size)
        if state.shape != want:
            raise RuntimeError(
                f"{op}(): expected {name} of shape (num_layers·D, {'N, ' if batched else ''}"
                f"hidden) = {want}, got {state.shape} (input of shape {original.shape})"
            )
    weights = _layer_weights(
        op, mode, params, has_biases, num_layers, directions, x.shape[2], h_out, hidden
    )
    named = {f"params[{i}]": p for i, p in enumerate(params)}
    named.update((f"hx[{k}]", state) for k, state in enumerate(states))
    _same_dtype(op, x, named)
    if train and dropout != 0 and num_layers > 1 and not 0 <= dropout <= 1:
        raise RuntimeError(
            f"{op}(): dropout probability has to be between 0 and 1, but got {dropout}"
        )

    if not batched:
        states = [state.unsqueeze(1) for state in states]
    c0 = states[1] if mode == "LSTM" else None
    p = dropout if train else 0.0
    out, h_n, c_n = _stacked(mode, x, states[0], c0, weights, directions, p, op, lengths)
    if packed:
        steps, slots = _packed_positions(a["batch_sizes"].data)
        return out[steps, slots], h_n, c_n
    if not batched:
        out, h_n = out.squeeze(1), h_n.squeeze(1)
        c_n = c_n.squeeze(1) if c_n is not None else None
    return (out.transpose(0, 1) if batch_first else out), h_n, c_n


# The public forms: each with torch's two overloads, for type checkers and readers.


@overload
def rnn_tanh(
    input: Tensor,
    hx: Tensor,
    params: Sequence[Tensor],
    has_biases: bool,
    num_layers: int,
    dropout: float,
    train: bool,
    bidirectional: bool,
    batch_first: bool,
) -> tuple[Tensor, Tensor]: ...
@overload
def rnn_tanh(
    data: Tensor,
    batch_sizes: Tensor,
    hx: Tensor,
    params: Sequence[Tensor],
    has_biases: bool,
    num_layers: int,
    dropout: float,
    train: bool,
    bidirectional: bool,
) -> tuple[Tensor, Tensor]: ...
def rnn_tanh(*args: Any, **kwargs: Any) -> tuple[Tensor, Tensor]:
    """A stack of Elman layers, hₜ = tanh(xₜ W_ihᵀ + b_ih + hₜ₋₁ W_hhᵀ + b_hh) per layer and
    direction (``torch.rnn_tanh``, what ``nn.RNN`` computes): ``(output, h_n)``, output
    (L, N, D·hidden_size) (packed: (steps, D·hidden_size)), h_n as hx. See the module
    docstring for the two forms and ``params``."""
    out, h_n, _ = _layers("rnn_tanh", "RNN_TANH", args, kwargs)
    return out, h_n


@overload
def rnn_relu(
    input: Tensor,
    hx: Tensor,
    params: Sequence[Tensor],
    has_biases: bool,
    num_layers: int,
    dropout: float,
    train: bool,
    bidirectional: bool,
    batch_first: bool,
) -> tuple[Tensor, Tensor]: ...
@overload
def rnn_relu(
    data: Tensor,
    batch_sizes: Tensor,
    hx: Tensor,
    params: Sequence[Tensor],
    has_biases: bool,
    num_layers: int,
    dropout: float,
    train: bool,
    bidirectional: bool,
) -> tuple[Tensor, Tensor]: ...
def rnn_relu(*args: Any, **kwargs: Any) -> tuple[Tensor, Tensor]:
    """``rnn_tanh`` with relu (``torch.rnn_relu``, ``nn.RNN(nonlinearity='relu')``)."""
    out, h_n, _ = _layers("rnn_relu", "RNN_RELU", args, kwargs)
    return out, h_n


@overload
def gru(
    input: Tensor,
    hx: Tensor,
    params: Sequence[Tensor],
    has_biases: bool,
    num_layers: int,
    dropout: float,
    train: bool,
    bidirectional: bool,
    batch_first: bool,
) -> tuple[Tensor, Tensor]: ...
@overload
def gru(
    data: Tensor,
    batch_sizes: Tensor,
    hx: Tensor,
    params: Sequence[Tensor],
    has_biases: bool,
    num_layers: int,
    dropout: float,
    train: bool,
    bidirectional: bool,
) -> tuple[Tensor, Tensor]: ...
def gru(*args: Any, **kwargs: Any) -> tuple[Tensor, Tensor]:
    """A stack of GRU layers, each step ``gru_cell``'s (``torch.gru``, what ``nn.GRU``
    computes): ``(output, h_n)`` as ``rnn_tanh``'s."""
    out, h_n, _ = _layers("gru", "GRU", args, kwargs)
    return out, h_n


@overload
def lstm(
    input: Tensor,
    hx: Sequence[Tensor],
    params: Sequence[Tensor],
    has_biases: bool,
    num_layers: int,
    dropout: float,
    train: bool,
    bidirectional: bool,
    batch_first: bool,
) -> tuple[Tensor, Tensor, Tensor]: ...
@overload
def lstm(
    data: Tensor,
    batch_sizes: Tensor,
    hx: Sequence[Tensor],
    params: Sequence[Tensor],
    has_biases: bool,
    num_layers: int,
    dropout: float,
    train: bool,
    bidirectional: bool,
) -> tuple[Tensor, Tensor, Tensor]: ...
def lstm(*args: Any, **kwargs: Any) -> tuple[Tensor, Tensor, Tensor]:
    """A stack of LSTM layers, each step ``lstm_cell``'s then, with projections,
    h ← h W_hrᵀ (``torch.lstm``, what ``nn.LSTM`` computes). hx = (h₀, c₀), with h₀'s last dim
    H_out = proj_size or hidden_size and c₀'s hidden_size; returns the flat triple
    ``(output, h_n, c_n)``, output (L, N, D·H_out) (packed: (steps, D·H_out))."""
    out, h_n, c_n = _layers("lstm", "LSTM", args, kwargs)
    assert c_n is not None  # an LSTM always carries its cell state
    return out, h_n, c_n

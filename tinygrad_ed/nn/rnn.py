"""Recurrent layers: RNN, LSTM, GRU and their one-step cells RNNCell, LSTMCell, GRUCell.

PyTorch equivalents: the classes of the same names in ``torch.nn``, with torch 2.13's
constructor arguments, parameter names and shapes (``weight_ih_l0``, ``weight_hh_l0``,
``bias_ih_l0``, ``bias_hh_l0``, ``weight_hr_l0`` for an LSTM with ``proj_size``, ``…_reverse``
for the backward direction), so a torch ``state_dict`` loads and gives the same outputs.

Every step is composed of Tensor ops (``linear``, ``sigmoid``, ``tanh``, ``*``, ``+``), so
backpropagation through time is the engine's ordinary backward over the unrolled graph: a
weight used at every step gets the sum of its adjoints over the steps, W̄ = Σₜ W̄⁽ᵗ⁾.

A ``PackedSequence`` input (``nn.utils.rnn.pack_padded_sequence``) gives a ``PackedSequence``
output: the batch runs padded in its sorted order, and at step t a sequence already ended keeps
its state, h ← where(t < length, h', h), so its final state is the one at its own length and
the reverse direction starts at its own last step, as torch's packed kernels; the states are
returned (and taken) in the original batch order.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .. import functional as F
from .._device import _check_device
from .._dropout import noise_dropout
from .._warn import warn
from ..tensor import DTypeLike, Tensor, cat, stack, where, zeros
from . import init
from .layers import _float_dtype, _int, _need_tensor, _size
from .module import Module, Parameter
from .rnn_utils import (
    PackedSequence,
    _check_packed,
    _packed_lengths,
    _packed_positions,
    _pad_sorted,
)

__all__ = ["GRU", "LSTM", "RNN", "GRUCell", "LSTMCell", "RNNBase", "RNNCell", "RNNCellBase"]

# How many gate blocks of hidden_size rows the weights stack, in torch's order.
_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}

# ----------------------------------------------------------------------------- one step
# Each step takes gi = x Wᵢₕᵀ + bᵢₕ (the input's part of the gates) and the previous state;
# the hidden state's part h Wₕₕᵀ + bₕₕ is added here.


def _rnn_step(gi: Tensor, h: Tensor, w_hh: Tensor, b_hh: Tensor | None, relu: bool) -> Tensor:
    """h' = act(x Wᵢₕᵀ + bᵢₕ + h Wₕₕᵀ + bₕₕ) with act = tanh or relu."""
    pre = gi + F.linear(h, w_hh, b_hh)
    return pre.relu() if relu else pre.tanh()


def _lstm_step(
    gi: Tensor,
    h: Tensor,
    c: Tensor,
    w_hh: Tensor,
    b_hh: Tensor | None,
    w_hr: Tensor | None,
) -> tuple[Tensor, Tensor]:
    """The gates in torch's order i, f, g, o:

    i = σ(·), f = σ(·), g = tanh(·), o = σ(·);  c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c'),
    then h' ← h' W_hrᵀ with a projection (``proj_size > 0``). Through time, the cell state's
    adjoint passes to the previous step as c̄ = c̄' ⊙ f, scaled by the forget gate alone (no
    W_hh, no tanh'), which is why an LSTM keeps gradients over long spans.
    """
    i, f, g, o = (gi + F.linear(h, w_hh, b_hh)).chunk(4, dim=-1)
    c = f.sigmoid() * c + i.sigmoid() * g.tanh()
    h = o.sigmoid() * c.tanh()
    if w_hr is not None:
        h = F.linear(h, w_hr)
    return h, c


def _gru_step(gi: Tensor, h: Tensor, w_hh: Tensor, b_hh: Tensor | None) -> Tensor:
    """The gates in torch's order r, z, n; r scales the hidden part of n *with* its bias:

    r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz),
    n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),  h' = (1 − z) ⊙ n + z ⊙ h.
    """
    i_r, i_z, i_n = gi.chunk(3, dim=-1)
    h_r, h_z, h_n = F.linear(h, w_hh, b_hh).chunk(3, dim=-1)
    r = (i_r + h_r).sigmoid()
    z = (i_z + h_z).sigmoid()
    n = (i_n + r * h_n).tanh()
    return n + z * (h - n)  # = (1 − z) ⊙ n + z ⊙ h, in torch's order of operations


# ----------------------------------------------------------------------------- checks


def _check_dtype(t: Tensor, weight: Tensor, layer: str, what: str) -> None:
    if t.dtype != weight.dtype:
        raise RuntimeError(
            f"{layer}: {what} has dtype {t.dtype} but the weights have dtype {weight.dtype}; "
            f"convert it with .to({weight.dtype}) or the model with .to({t.dtype})"
        )


# ----------------------------------------------------------------------------- the layers


def _step(
    mode: str, gi: Tensor, h: Tensor, c: Tensor | None, w: dict[str, Tensor]
) -> tuple[Tensor, Tensor | None]:
    """One step of a layer of kind ``mode``: the new h, and the new c for an LSTM."""
    w_hh, b_hh = w["weight_hh"], w.get("bias_hh")
    if mode == "LSTM":
        assert c is not None  # an LSTM always carries its cell state
        return _lstm_step(gi, h, c, w_hh, b_hh, w.get("weight_hr"))
    if mode == "GRU":
        return _gru_step(gi, h, w_hh, b_hh), None
    return _rnn_step(gi, h, w_hh, b_hh, relu=mode == "RNN_RELU"), None


def _stacked(
    mode: str,
    x: Tensor,
    h0: Tensor,
    c0: Tensor | None,
    weights: list[dict[str, Tensor]],
    directions: int,
    dropout: float,
    op: str,
    lengths: np.ndarray | None = None,
) -> tuple[Tensor, Tensor, Tensor | None]:
    """The recurrence of ``nn.RNN``/``LSTM``/``GRU`` and of ``torch.rnn_tanh``, ``lstm``, …:
    all layers over x (L, N, ·) from h0 (and c0, LSTM only) of shape (layers·D, N, ·), with
    ``weights[layer·D + direction]`` the parameters of one (layer, direction) by kind
    (``weight_ih``, ``weight_hh`` and optionally ``bias_ih``, ``bias_hh``, ``weight_hr``).
    Returns the last layer's output (L, N, D·H_out), h_n and c_n (None but for an LSTM).
    Dropout with probability ``dropout`` (0 when not training) is applied between layers.

    With ``lengths`` (a packed input, sorted decreasing) sequence n runs only at steps
    t < lengths[n]: at the others it keeps its state, whose adjoint then passes through
    unchanged.

    The sequence is kept as a list of steps from layer to layer: slicing a stacked
    (L, N, ·) tensor at every step would cost a backward of O(L²·N) (each slice's adjoint
    is scattered into a zero tensor of the whole), which is paid here for the input only.
    """
    L = x.shape[0]
    xs = list(x.unbind(0))
    h_last: list[Tensor] = []
    c_last: list[Tensor] = []
    h_starts = h0.unbind(0)
    c_starts = c0.unbind(0) if c0 is not None else None
    num_layers = len(weights) // directions
    for layer in range(num_layers):
        outputs = []
        for direction in range(directions):
            index = layer * directions + direction
            w = weights[index]
            h = h_starts[index]
            c = c_starts[index] if c_starts is not None else None
            ys: list[Tensor] = [h] * L
            for t in reversed(range(L)) if direction else range(L):
                gi = F.linear(xs[t], w["weight_ih"], w.get("bias_ih"))
                h_new, c_new = _step(mode, gi, h, c, w)
                if lengths is not None and lengths[-1] <= t:  # some have ended (sorted)
                    running = Tensor._make((lengths > t)[:, None])
                    h_new = where(running, h_new, h)
                    if c is not None and c_new is not None:
                        c_new = where(running, c_new, c)
                h, c = h_new, c_new
                ys[t] = h
            outputs.append(ys)
            h_last.append(h)
            if c is not None:
                c_last.append(c)
        # Forward direction first, as torch concatenates them.
        xs = [cat(list(y), dim=-1) for y in zip(*outputs)] if len(outputs) > 1 else ys
        if dropout > 0 and layer < num_layers - 1:
            xs = [noise_dropout(x_t, dropout, op, feature=False, alpha=False) for x_t in xs]
    return stack(xs), stack(h_last), stack(c_last) if c_last else None


# ----------------------------------------------------------------------------- packed input


def _repack(out: Tensor, packed: PackedSequence) -> PackedSequence:
    """The output steps (L, N, ·), in sorted order, packed as the input was."""
    steps, slots = _packed_positions(packed.batch_sizes.data.astype(np.int64))
    return packed._replace(data=out[steps, slots])


def _sorted(state: Any, packed: PackedSequence) -> Any:
    """A given h₀ or c₀ (original batch order) in the packed batch's sorted order, as torch's
    ``permute_hidden``; None and non-Tensors pass through to the usual checks."""
    if packed.sorted_indices is None or not isinstance(state, Tensor) or state.ndim != 3:
        return state
    return state.index_select(1, packed.sorted_indices)


def _unsorted(state: Tensor, packed: PackedSequence) -> Tensor:
    """A final state back in the original batch order."""
    if packed.unsorted_indices is None:
        return state
    return state.index_select(1, packed.unsorted_indices)


# ----------------------------------------------------------------------------- layers


class RNNBase(Module):
    """What RNN, LSTM and GRU share: the constructor, the parameters, the loop over layers and
    directions (``torch.nn.RNNBase``).

    Shapes, with L the sequence length, N the batch, D = 2 if bidirectional else 1 and H_out =
    proj_size or hidden_size: input (L, N, input_size), or (N, L, input_size) with
    ``batch_first``, or (L, input_size) unbatched; h₀ and h_n (D·num_layers, N, H_out), c₀ and
    c_n (D·num_layers, N, hidden_size), without N when unbatched (``batch_first`` never
    applies to them); output (L, N, D·H_out), the last layer's h at every step, the two
    directions concatenated (forward first). Layer l > 0 reads the previous layer's output,
    after dropout with probability ``dropout`` while training.

    Every parameter starts as U(−1/√hidden_size, 1/√hidden_size), drawn from the global
    generator in ``parameters()`` order, as torch's ``reset_parameters``.
    """

    mode: str
    input_size: int
    hidden_size: int
    num_layers: int
    bias: bool
    batch_first: bool
    dropout: float
    bidirectional: bool
    proj_size: int

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        _check_device(device, f"{name}()")
        if mode not in _GATES:
            raise ValueError(f"Unrecognized RNN mode: {mode}")
        if (
            isinstance(dropout, bool)
            or not isinstance(dropout, numbers.Number)
            or not 0 <= dropout <= 1  # type: ignore[operator]  # a real number here
        ):
            raise ValueError(
                f"{name}(): dropout should be a number in range [0, 1] representing the "
                f"probability of an element being zeroed, got {dropout!r}"
            )
        if not isinstance(bias, bool):
            raise TypeError(f"{name}(): bias should be of type bool, got: {type(bias).__name__}")
        if not isinstance(batch_first, bool):
            raise TypeError(
                f"{name}(): batch_first should be of type bool, got: {type(batch_first).__name__}"
            )
        for arg, value in (("input_size", input_size), ("hidden_size", hidden_size)):
            if _int(value, name, arg) <= 0:
                raise ValueError(f"{name}(): {arg} must be greater than zero, got {value}")
        if _int(num_layers, name, "num_layers") <= 0:
            raise ValueError(f"{name}(): num_layers must be greater than zero, got {num_layers}")
        if _int(proj_size, name, "proj_size") < 0:
            raise ValueError(
                f"{name}(): proj_size should be a positive integer or zero to disable "
                f"projections, got {proj_size}"
            )
        if proj_size >= hidden_size:
            raise ValueError(
                f"{name}(): proj_size has to be smaller than hidden_size, got "
                f"proj_size={proj_size} and hidden_size={hidden_size}"
            )
        if dropout > 0 and num_layers == 1:  # type: ignore[operator]
            warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero "
                f"dropout expects num_layers greater than 1, but got dropout={dropout} and "
                f"num_layers={num_layers}",
            )
        self.mode = mode
        self.input_size = int(input_size)
        self.hidden_size = int(hidden_size)
        self.num_layers = int(num_layers)
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)  # type: ignore[arg-type]
        self.bidirectional = bool(bidirectional)
        self.proj_size = int(proj_size)

        d = _float_dtype(dtype, name)
        gates = _GATES[mode] * self.hidden_size
        h_out = self.proj_size or self.hidden_size
        self._all_weights: list[list[str]] = []
        for layer in range(self.num_layers):
            layer_input = self.input_size if layer == 0 else h_out * self._directions
            for direction in range(self._directions):
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                shapes: dict[str, tuple[int, ...]] = {
                    "weight_ih": (gates, layer_input),
                    "weight_hh": (gates, h_out),
                }
                if bias:
                    shapes.update(bias_ih=(gates,), bias_hh=(gates,))
                if self.proj_size:
                    shapes["weight_hr"] = (self.proj_size, self.hidden_size)
                for kind, shape in shapes.items():
                    setattr(self, kind + suffix, Parameter(np.empty(shape, dtype=d)))
                self._all_weights.append([kind + suffix for kind in shapes])
        self.reset_parameters()

    @property
    def _directions(self) -> int:
        return 2 if self.bidirectional else 1

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """The parameters per layer and direction, in torch's order (``RNNBase.all_weights``)."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def reset_parameters(self) -> None:
        """Draw every parameter from U(−1/√hidden_size, 1/√hidden_size), as torch."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            init.uniform_(p, -bound, bound)

    def flatten_parameters(self) -> None:
        """Nothing to do: torch packs the weights into one buffer for cuDNN; here each
        parameter is its own array. Kept so code written for torch runs unchanged."""

    def _weights(self, index: int) -> dict[str, Tensor]:
        """The parameters of one (layer, direction), ``index = layer·D + direction``, by kind:
        ``weight_ih``, ``weight_hh`` and, when the layer has them, ``bias_ih``, ``bias_hh``,
        ``weight_hr``. Looked up at every call, so a loaded or reassigned weight is used."""
        layer, direction = divmod(index, self._directions)
        suffix = f"_l{layer}" + ("_reverse" if direction else "")
        kinds = ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_hr")
        found = {kind: self._parameters.get(kind + suffix) for kind in kinds}
        return {kind: p for kind, p in found.items() if p is not None}

    def _unpack(self, input: PackedSequence) -> tuple[Tensor, np.ndarray]:
        """A packed input as a padded (L, N, input_size) batch in its sorted order (zeros in the
        padding, which the masked steps never read) and the sorted lengths."""
        _check_packed(input, type(self).__name__)
        data = _need_tensor(input.data, type(self).__name__)
        if data.ndim != 2:
            raise ValueError(
                f"{type(self).__name__}: the data of a packed input must be 2-D (steps, "
                f"input_size), got shape {data.shape}"
            )
        batch_sizes = input.batch_sizes.data.astype(np.int64)
        x, _ = self._prepare(_pad_sorted(data, batch_sizes, batch_sizes.size, 0.0), packed=True)
        return x, _packed_lengths(batch_sizes)

    def _prepare(self, input: Any, packed: bool = False) -> tuple[Tensor, bool]:
        """The input as (L, N, input_size) and whether it came unbatched; checks as torch's."""
        name = type(self).__name__
        x = _need_tensor(input, name)
        if x.ndim not in (2, 3):
            raise ValueError(
                f"{name}: Expected input to be 2D or 3D, got {x.ndim}D tensor instead "
                f"(shape {x.shape})"
            )
        batched = x.ndim == 3
        if not batched:
            x = x.unsqueeze(1)  # (L, 1, input_size): batch_first does not apply without a batch
        elif self.batch_first and not packed:
            x = x.transpose(0, 1)
        weight = self.weight_ih_l0
        if x.dtype != weight.dtype:
            raise ValueError(
                f"{name} input dtype ({x.dtype}) does not match weight dtype ({weight.dtype}). "
                f"Convert input: input.to({weight.dtype}), or convert model: model.to({x.dtype})"
            )
        if x.shape[-1] != self.input_size:
            raise RuntimeError(
                f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                f"got {x.shape[-1]} (input of shape {input.shape})"
            )
        if x.shape[0] == 0:
            raise RuntimeError(
                f"Expected sequence length to be larger than 0 in RNN (input of shape "
                f"{input.shape})"
            )
        return x, batched

    def _state(self, given: Any, x: Tensor, batched: bool, size: int, what: str) -> Tensor:
        """h₀ or c₀ as (D·num_layers, N, size): zeros when not given, checked when given."""
        name = type(self).__name__
        expected = (self.num_layers * self._directions, x.shape[1], size)
        if given is None:
            return zeros(expected, dtype=x.dtype)
        if not isinstance(given, Tensor):
            raise TypeError(f"{name}: {what} must be a Tensor, got {type(given).__name__}")
        want = 3 if batched else 2
        if given.ndim != want:
            kind = "batched 3-D" if batched else "unbatched 2-D"
            raise RuntimeError(
                f"For {kind} input, hx should also be {want}-D but got {given.ndim}-D tensor "
                f"({what} of shape {given.shape})"
            )
        state = given if batched else given.unsqueeze(1)
        if state.shape != expected:  # torch's message
            raise RuntimeError(f"Expected {what} size {expected}, got {list(state.shape)}")
        _check_dtype(state, self.weight_ih_l0, name, what)
        return state

    def _run(
        self, x: Tensor, h0: Tensor, c0: Tensor | None, lengths: np.ndarray | None = None
    ) -> tuple[Tensor, Tensor, Tensor | None]:
        """All layers over (L, N, ·): the last layer's output, h_n and c_n (LSTM only); see
        ``_stacked``."""
        weights = [self._weights(i) for i in range(self.num_layers * self._directions)]
        dropout = self.dropout if self.training else 0.0
        op = f"{type(self).__name__}.forward"
        return _stacked(self.mode, x, h0, c0, weights, self._directions, dropout, op, lengths)

    def _forward_h(self, input: Any, hx: Tensor | None) -> tuple[Any, Tensor]:
        """``forward`` of a layer whose state is h alone (RNN, GRU): (output, h_n), packed
        when the input is, h₀ = 0 when ``hx`` is None; unbatched input drops N from both."""
        if isinstance(input, PackedSequence):
            x, lengths = self._unpack(input)
            h0 = self._state(_sorted(hx, input), x, True, self.hidden_size, "hidden")
            out, h_n, _ = self._run(x, h0, None, lengths)
            return _repack(out, input), _unsorted(h_n, input)
        x, batched = self._prepare(input)
        h0 = self._state(hx, x, batched, self.hidden_size, "hidden")
        out, h_n, _ = self._run(x, h0, None)
        return self._output(out, batched), h_n if batched else h_n.squeeze(1)

    def _output(self, out: Tensor, batched: bool) -> Tensor:
        if not batched:
            return out.squeeze(1)
        return out.transpose(0, 1) if self.batch_first else out

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s


class RNN(RNNBase):
    """An Elman RNN (``torch.nn.RNN``): per layer and step, hₜ = act(xₜ W_ihᵀ + b_ih +
    hₜ₋₁ W_hhᵀ + b_hh) with act = tanh or relu (``nonlinearity``).

    ``forward(input, hx=None)`` returns ``(output, h_n)``; see ``RNNBase`` for the shapes.
    Backpropagation through time is the engine's backward over the unrolled steps:
    h̄ₜ₋₁ = (h̄ₜ ⊙ act'(·)) W_hh, W̄_hh = Σₜ (h̄ₜ ⊙ act'(·))ᵀ hₜ₋₁.
    """

    nonlinearity: str

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(
                f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'."
            )
        mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        super().__init__(
            mode,
            input_size,
            hidden_size,
            num_layers,
            bias,
            batch_first,
            dropout,
            bidirectional,
            device=device,
            dtype=dtype,
        )
        self.nonlinearity = nonlinearity

    def forward(self, input: Any, hx: Tensor | None = None) -> tuple[Any, Tensor]:
        return self._forward_h(input, hx)


class GRU(RNNBase):
    """A gated recurrent unit layer (``torch.nn.GRU``); each step is ``GRUCell``'s, gates in
    torch's order r, z, n. ``forward(input, hx=None)`` returns ``(output, h_n)``; see
    ``RNNBase`` for the shapes."""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__(
            "GRU",
            input_size,
            hidden_size,
            num_layers,
            bias,
            batch_first,
            dropout,
            bidirectional,
            device=device,
            dtype=dtype,
        )

    def forward(self, input: Any, hx: Tensor | None = None) -> tuple[Any, Tensor]:
        return self._forward_h(input, hx)


class LSTM(RNNBase):
    """A long short-term memory layer (``torch.nn.LSTM``); each step is ``LSTMCell``'s, gates
    in torch's order i, f, g, o. With ``proj_size > 0`` the hidden state is projected,
    h ← h W_hrᵀ (``weight_hr_l{k}`` of shape (proj_size, hidden_size)), so h and the output
    have proj_size features while the cell state keeps hidden_size.

    ``forward(input, hx=None)`` with ``hx = (h_0, c_0)`` returns ``(output, (h_n, c_n))``; see
    ``RNNBase`` for the shapes.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__(
            "LSTM",
            input_size,
            hidden_size,
            num_layers,
            bias,
            batch_first,
            dropout,
            bidirectional,
            proj_size,
            device=device,
            dtype=dtype,
        )

    def forward(
        self, input: Any, hx: tuple[Tensor, Tensor] | None = None
    ) -> tuple[Any, tuple[Tensor, Tensor]]:
        packed = input if isinstance(input, PackedSequence) else None
        lengths = None
        if packed is not None:
            x, lengths = self._unpack(packed)
            batched = True
        else:
            x, batched = self._prepare(input)
        if hx is None:
            h_given, c_given = None, None
        elif isinstance(hx, (tuple, list)) and len(hx) == 2:
            h_given, c_given = hx
            for what, t in (("hx", h_given), ("cx", c_given)):
                if not isinstance(t, Tensor):
                    raise TypeError(f"LSTM: {what} must be a Tensor, got {type(t).__name__}")
            want = 3 if batched else 2
            if h_given.ndim != want or c_given.ndim != want:
                kind = "batched 3-D" if batched else "unbatched 2-D"
                raise RuntimeError(
                    f"For {kind} input, hx and cx should also be {want}-D but got "
                    f"({h_given.ndim}-D, {c_given.ndim}-D) tensors"
                )
        else:
            raise TypeError(
                f"LSTM: hx must be a tuple (h_0, c_0) of two Tensors, got {type(hx).__name__}"
            )
        if packed is not None:
            h_given, c_given = _sorted(h_given, packed), _sorted(c_given, packed)
        h0 = self._state(h_given, x, batched, self.proj_size or self.hidden_size, "hidden[0]")
        c0 = self._state(c_given, x, batched, self.hidden_size, "hidden[1]")
        out, h_n, c_n = self._run(x, h0, c0, lengths)
        assert c_n is not None
        if packed is not None:
            return _repack(out, packed), (_unsorted(h_n, packed), _unsorted(c_n, packed))
        if not batched:
            h_n, c_n = h_n.squeeze(1), c_n.squeeze(1)
        return self._output(out, batched), (h_n, c_n)


# ----------------------------------------------------------------------------- cells


class RNNCellBase(Module):
    """What the cells share (``torch.nn.RNNCellBase``): ``weight_ih`` (G·hidden_size,
    input_size), ``weight_hh`` (G·hidden_size, hidden_size), ``bias_ih`` and ``bias_hh``
    (G·hidden_size,) with G gate blocks, all drawn from U(−1/√hidden_size, 1/√hidden_size).

    A cell takes input (N, input_size) or unbatched (input_size,) and a state of shape
    (N, hidden_size) or (hidden_size,), zeros when not given.
    """

    input_size: int
    hidden_size: int
    bias: bool
    weight_ih: Parameter
    weight_hh: Parameter
    bias_ih: Parameter | None
    bias_hh: Parameter | None

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool,
        num_chunks: int,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        _check_device(device, f"{name}()")
        self.input_size = _size(input_size, name, "input_size")
        self.hidden_size = _size(hidden_size, name, "hidden_size")
        self.bias = bias
        d = _float_dtype(dtype, name)
        gates = num_chunks * self.hidden_size
        self.weight_ih = Parameter(np.empty((gates, self.input_size), dtype=d))
        self.weight_hh = Parameter(np.empty((gates, self.hidden_size), dtype=d))
        if bias:
            self.bias_ih = Parameter(np.empty((gates,), dtype=d))
            self.bias_hh = Parameter(np.empty((gates,), dtype=d))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw every parameter from U(−1/√hidden_size, 1/√hidden_size), as torch."""
        bound = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0.0
        for p in self.parameters():
            init.uniform_(p, -bound, bound)

    def _input(self, input: Any) -> tuple[Tensor, bool]:
        """The input as (N, input_size) and whether it came unbatched; checks as torch's."""
        name = type(self).__name__
        x = _need_tensor(input, name)
        if x.ndim not in (1, 2):
            raise ValueError(
                f"{name}: Expected input to be 1D or 2D, got {x.ndim}D instead (shape {x.shape})"
            )
        batched = x.ndim == 2
        x = x if batched else x.unsqueeze(0)
        if x.shape[1] != self.input_size:
            raise RuntimeError(
                f"{name}: input has inconsistent input_size: got {x.shape[1]} expected "
                f"{self.input_size} (input of shape {input.shape})"
            )
        _check_dtype(x, self.weight_ih, name, "input")
        return x, batched

    def _hidden(self, hx: Any, x: Tensor, batched: bool, what: str) -> Tensor:
        """A state as (N, hidden_size): zeros when not given, checked when given."""
        name = type(self).__name__
        if hx is None:
            return zeros((x.shape[0], self.hidden_size), dtype=x.dtype)
        if not isinstance(hx, Tensor):
            raise TypeError(f"{name}: {what} must be a Tensor, got {type(hx).__name__}")
        if hx.ndim not in (1, 2):
            raise ValueError(
                f"{name}: Expected {what} to be 1D or 2D, got {hx.ndim}D instead (shape {hx.shape})"
            )
        if hx.ndim != (2 if batched else 1):
            raise RuntimeError(
                f"{name}: {what} of shape {hx.shape} must be "
                + ("2-D for a batched 2-D input" if batched else "1-D for an unbatched 1-D input")
            )
        h = hx if batched else hx.unsqueeze(0)
        if h.shape[0] != x.shape[0]:
            raise RuntimeError(
                f"{name}: Input batch size {x.shape[0]} doesn't match {what} batch size "
                f"{h.shape[0]}"
            )
        if h.shape[1] != self.hidden_size:
            raise RuntimeError(
                f"{name}: {what} has inconsistent hidden_size: got {h.shape[1]}, expected "
                f"{self.hidden_size}"
            )
        _check_dtype(h, self.weight_ih, name, what)
        return h

    def _gi(self, x: Tensor) -> Tensor:
        return F.linear(x, self.weight_ih, self.bias_ih)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        nonlinearity = self.__dict__.get("nonlinearity", "tanh")
        if nonlinearity != "tanh":
            s += f", nonlinearity={nonlinearity}"
        return s


class RNNCell(RNNCellBase):
    """One Elman RNN step (``torch.nn.RNNCell``): h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)
    with act = tanh or relu; ``forward(input, hx=None)`` returns h'.

    Unlike torch, which accepts any ``nonlinearity`` string and fails at the first call, an
    unknown one is refused here by the constructor (a ValueError, as ``nn.RNN``'s).
    """

    nonlinearity: str

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(
                f"RNNCell(): Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'."
            )
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, batched = self._input(input)
        h = self._hidden(hx, x, batched, "hidden")
        relu = self.nonlinearity == "relu"
        h = _rnn_step(self._gi(x), h, self.weight_hh, self.bias_hh, relu)
        return h if batched else h.squeeze(0)


class LSTMCell(RNNCellBase):
    """One LSTM step (``torch.nn.LSTMCell``), gates in torch's order i, f, g, o:

    i, f, g, o = split(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh);  c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g);
    h' = σ(o) ⊙ tanh(c').  ``forward(input, hx=None)`` with hx = (h, c) returns (h', c').
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(
        self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None
    ) -> tuple[Tensor, Tensor]:
        x, batched = self._input(input)
        if hx is None:
            h = c = self._hidden(None, x, batched, "hx[0]")
        elif isinstance(hx, (tuple, list)) and len(hx) == 2:
            h = self._hidden(hx[0], x, batched, "hx[0]")
            c = self._hidden(hx[1], x, batched, "hx[1]")
        else:
            raise TypeError(
                f"LSTMCell: hx must be a tuple (h, c) of two Tensors, got {type(hx).__name__}"
            )
        h, c = _lstm_step(self._gi(x), h, c, self.weight_hh, self.bias_hh, None)
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """One GRU step (``torch.nn.GRUCell``), gates in torch's order r, z, n:

    r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz),
    n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),  h' = (1 − z) ⊙ n + z ⊙ h.
    ``forward(input, hx=None)`` returns h'.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, batched = self._input(input)
        h = self._hidden(hx, x, batched, "hidden")
        h = _gru_step(self._gi(x), h, self.weight_hh, self.bias_hh)
        return h if batched else h.squeeze(0)

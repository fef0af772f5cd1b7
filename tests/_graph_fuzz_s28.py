"""The nn modules, as objects, for the graph fuzzer (tests/test_graph_fuzz_torch.py), drawn
(``draw``) and applied (``apply``) as ``_graph_fuzz_s27``'s: ``RNN``, ``LSTM``, ``GRU`` (1–2
layers, bidirectional or not, batch-first or not, batched or not, with or without h₀/c₀) and
their ``Cell`` forms; ``MultiheadAttention`` (kdim/vdim, bias_k/v, a zero attention, bool or
float masks, a causal mask with ``is_causal``, the weights averaged or per head) and
``scaled_dot_product_attention`` (masks, ``is_causal``, ``scale``); ``Conv1d``/``Conv2d``
modules (stride, 'same'/'valid' or int padding, dilation, groups, the padding modes);
``BatchNorm1d`` in train and eval mode, called once or twice, its running statistics returned
as outputs (compared); ``LayerNorm``; ``Embedding`` (padding_idx).

Each module is built in both libraries (float64) and every parameter is drawn alike
(``more._param``): either gathered from a pool value (passed through ``functional_call``, so
its gradient, and its second derivative, reach the program's leaves) or a constant copied into
the module's own ``Parameter``, whose ``.grad`` ``_run`` logs after the backward pass
(``MODULES``). A module's input is gathered from the step's pool value (entries repeated, so
their gradients add up). Rarely an input torch refuses: a feature size one too large.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import _graph_fuzz_more as more
import numpy as np

Shape = tuple[int, ...]

RECURRENT = ["RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"]
ATTENTION = ["MultiheadAttention", "scaled_dot_product_attention"]
LAYERS = ["Conv1d", "Conv2d", "BatchNorm1d", "LayerNorm", "Embedding"]
GROUPS = [(RECURRENT, 0.02), (ATTENTION, 0.015), (LAYERS, 0.02)]
OPS = {op for group, _ in GROUPS for op in group}
# (the ops are the modules' class names: more's conv1d, layer_norm, … are the functions)

# the modules a run made, in order (``_run`` empties it first and logs their parameters' grads)
MODULES: list[Any] = []


def focus(group: list[str], mode: str | None) -> int:
    """How many times as often a group is drawn in a focus mode (``TG_GRAPH_FOCUS=s28``)."""
    return 10 if mode == "s28" else 1


# ----------------------------------------------------------------------------- applying


def _value(lib: Any, xs: list[Any], v: Any) -> Any:
    """A drawn value as a tensor: a constant, or gathered from the pool (``more._get``)."""
    if isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) and v[0] == "t":
        return lib.tensor(v[1])
    return more._get(lib, xs, v)


def _module(lib: Any, xs: list[Any], c: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The step's module, its constant parameters and buffers copied in, and the parameters
    gathered from the pool, for ``functional_call``."""
    m = getattr(lib.nn, c["op"])(**c["kwargs"], dtype=lib.float64)
    MODULES.append(m)
    params, buffers = dict(m.named_parameters()), dict(m.named_buffers())
    # (gathered outside no_grad: their gradients reach the pool; in-place seed 547646 found
    # them gathered inside, cut off from it, which finite differences of the program saw)
    gathered = {n: _value(lib, xs, v) for n, v in c["weights"].items() if n in c["from_pool"]}
    with lib.no_grad():
        for name, v in c["weights"].items():
            if name not in c["from_pool"]:
                params[name].copy_(_value(lib, xs, v))
        for name, v in c.get("buffers", {}).items():
            buffers[name].copy_(_value(lib, xs, v))
    return m, gathered


def apply(lib: Any, op: str, xs: list[Any], c: dict[str, Any]) -> Any:
    """One step of these ops (``c``: the parameters, constants already tensors)."""
    if lib.__name__ == "torch" and op in ATTENTION:  # (its math backend: see DIVERGENCES)
        from torch.nn.attention import SDPBackend, sdpa_kernel

        with sdpa_kernel(SDPBackend.MATH):
            return _apply(lib, op, xs, c)
    return _apply(lib, op, xs, c)


def _apply(lib: Any, op: str, xs: list[Any], c: dict[str, Any]) -> Any:
    F = lib.nn.functional if lib.__name__ == "torch" else lib.functional
    c = {k: more._get(lib, xs, v) for k, v in c.items()}
    x = c.pop("input")
    kwargs = {k: _value(lib, xs, v) for k, v in c.get("call", {}).items()}
    if op == "scaled_dot_product_attention":
        return F.scaled_dot_product_attention(x, c.pop("key"), c.pop("value"), **kwargs)
    m, gathered = _module(lib, xs, {**c, "op": op})

    def call(*args: Any, **kw: Any) -> Any:
        return lib.func.functional_call(m, gathered, args, kw)

    if op in ("RNN", "GRU", "RNNCell", "GRUCell"):
        out = call(x) if c.get("h0") is None else call(x, c["h0"])
    elif op in ("LSTM", "LSTMCell"):
        out = call(x) if c.get("h0") is None else call(x, (c["h0"], c["c0"]))
    elif op == "MultiheadAttention":
        out = call(x, c.pop("key"), c.pop("value"), **kwargs)
    elif op == "BatchNorm1d":
        m.train(c["train"])
        for _ in range(c["calls"]):
            out = more.contiguous_grad(lib, call(x))
        if m.running_mean is not None:
            stats = (m.running_mean, m.running_var, m.num_batches_tracked)
            return (out, *(t.clone() for t in stats))
    elif op == "Embedding":
        out = call(c["indices"])
    else:
        out = call(x)
    if op in ("RNN", "GRU"):
        return out
    if op == "LSTM":
        return (out[0], *out[1])
    if op == "MultiheadAttention" and out[1] is None:
        return out[0]
    return out


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
    import torch

    sa: Shape = shapes[a]  # type: ignore[assignment]
    n = int(np.prod(sa))
    refs = [a]
    p: dict[str, Any] = {}

    def param(shape: Any) -> Any:
        return more._param(rng, shapes, floats, refs, tuple(int(s) for s in shape))

    def inp(shape: Any) -> Any:
        """The module's input: entries of x (with repeats), or a constant if x is empty."""
        shape = tuple(int(s) for s in shape)
        return ("x", 0, rng.integers(0, n, shape)) if n else ("t", rng.uniform(-2, 2, shape))

    def small(lo: int = 1, hi: int = 3) -> int:
        return int(rng.integers(lo, hi + 1))

    def weights(kwargs: dict[str, Any], buffers: bool = False) -> None:
        """Every parameter drawn (from the pool or constant) for the module torch builds."""
        m = getattr(torch.nn, op)(**kwargs, dtype=torch.float64)
        p["kwargs"] = kwargs
        p["weights"] = {k: param(w.shape) for k, w in m.named_parameters()}
        p["from_pool"] = tuple(k for k, v in p["weights"].items() if v[0] == "x")

    extra = 1 if bad else 0
    if op in ("RNN", "LSTM", "GRU"):
        hin, hidden, layers = small(), small(), small(1, 2)
        bidirectional, batch_first = bool(rng.random() < 0.4), bool(rng.random() < 0.4)
        kw: dict[str, Any] = dict(num_layers=layers, bias=bool(rng.random() < 0.8))
        kw.update(batch_first=batch_first, bidirectional=bidirectional)
        if op == "RNN":
            kw["nonlinearity"] = str(rng.choice(["tanh", "relu"]))
        weights({"input_size": hin, "hidden_size": hidden, **kw})
        length, batch = small(1, 4), small(1, 3)
        batched = rng.random() < 0.75
        if batched:
            seq = (batch, length) if batch_first else (length, batch)
            p["input"] = inp((*seq, hin + extra))
            state: Shape = ((2 if bidirectional else 1) * layers, batch, hidden)
        else:
            p["input"] = inp((length, hin + extra))
            state = ((2 if bidirectional else 1) * layers, hidden)
        if rng.random() < 0.5:
            p["h0"] = param(state)
            if op == "LSTM":
                p["c0"] = param(state)
        return op, refs, p
    if op in ("RNNCell", "LSTMCell", "GRUCell"):
        hin, hidden = small(), small()
        kw = {"input_size": hin, "hidden_size": hidden, "bias": bool(rng.random() < 0.8)}
        if op == "RNNCell":
            kw["nonlinearity"] = str(rng.choice(["tanh", "relu"]))
        weights(kw)
        batch = (small(1, 3),) if rng.random() < 0.75 else ()
        p["input"] = inp((*batch, hin + extra))
        if rng.random() < 0.5:
            p["h0"] = param((*batch, hidden))
            if op == "LSTMCell":
                p["c0"] = param((*batch, hidden))
        return op, refs, p
    if op == "MultiheadAttention":
        return _draw_mha(rng, p, refs, inp, param, weights, small, extra)
    if op == "scaled_dot_product_attention":
        batch = tuple(small(1, 2) for _ in range(int(rng.integers(0, 3))))
        L, S, E, Ev = small(), small(), small(), small()
        p["input"] = inp((*batch, L, E))
        p["key"] = param((*batch, S, E + extra))
        p["value"] = param((*batch, S, Ev))
        call: dict[str, Any] = {}
        r = rng.random()
        if r < 0.3:
            call["is_causal"] = True
        elif r < 0.7:
            call["attn_mask"] = _mask(rng, (L, S) if rng.random() < 0.5 else (*batch, L, S))
        if rng.random() < 0.3:
            call["scale"] = float(rng.choice([0.5, 2.0]))
        p["call"] = call
        return op, refs, p
    if op in ("Conv1d", "Conv2d"):
        nd = 1 if op == "Conv1d" else 2
        groups = small(1, 2)
        cin, cout = groups * small(1, 2), groups * small(1, 2)
        kernel = tuple(small(1, 3) for _ in range(nd))
        kw = {"in_channels": cin, "out_channels": cout, "groups": groups}
        kw["kernel_size"] = kernel if nd == 2 and rng.random() < 0.5 else kernel[0]
        kw["stride"] = small(1, 2) if rng.random() < 0.3 else 1
        kw["dilation"] = small(1, 2) if rng.random() < 0.3 else 1
        kw["padding"] = [0, 1, 2, "same", "valid"][rng.integers(5)]
        if kw["padding"] == "same":
            kw["stride"] = 1  # (torch refuses it with a stride)
        kw["padding_mode"] = str(rng.choice(["zeros", "zeros", "reflect", "replicate", "circular"]))
        kw["bias"] = bool(rng.random() < 0.8)
        weights(kw)
        spatial = tuple(small(3, 5) for _ in range(nd))
        batch = (small(1, 2),) if rng.random() < 0.75 else ()
        p["input"] = inp((*batch, cin + extra, *spatial))
        return op, refs, p
    if op == "BatchNorm1d":
        C = small()
        kw = {"num_features": C, "eps": float(rng.choice([1e-5, 0.1]))}
        kw["momentum"] = [0.1, 0.5, None][rng.integers(3)]
        kw["affine"] = bool(rng.random() < 0.8)
        kw["track_running_stats"] = bool(rng.random() < 0.8)
        weights(kw)
        if kw["track_running_stats"]:
            p["buffers"] = {
                "running_mean": ("t", rng.uniform(-1, 1, C)),
                "running_var": ("t", rng.uniform(0.5, 2, C)),
                "num_batches_tracked": ("t", np.array(int(rng.integers(0, 3)))),
            }
        p["train"] = bool(rng.random() < 0.6)
        p["calls"] = small(1, 2)
        # (train mode with one value per channel is refused alike, drawn rarely)
        N = small(2, 3) if rng.random() < 0.9 else 1
        p["input"] = inp((N, C + extra) if rng.random() < 0.5 else (N, C + extra, small()))
        return op, refs, p
    if op == "LayerNorm":
        shape = tuple(small() for _ in range(small(1, 3)))
        k = small(1, min(2, len(shape)))
        kw = {"normalized_shape": shape[-k:], "eps": float(rng.choice([1e-5, 0.1]))}
        kw["elementwise_affine"] = bool(rng.random() < 0.8)
        kw["bias"] = bool(rng.random() < 0.8)
        weights(kw)
        p["input"] = inp((*shape[:-1], shape[-1] + extra))
        return op, refs, p
    # embedding: the pool value is read through the table
    num, dim_ = small(2, 5), small()
    kw = {"num_embeddings": num, "embedding_dim": dim_}
    if rng.random() < 0.4:
        kw["padding_idx"] = int(rng.integers(-num, num))
    # (not scale_grad_by_freq: NotImplementedError here, see DIVERGENCES)
    weights(kw)
    shape = tuple(small(1, 4) for _ in range(small(1, 2)))
    p["indices"] = ("t", rng.integers(0, num + extra, shape))
    p["input"] = ("t", np.zeros(()))
    return op, refs, p


def _mask(rng: np.random.Generator, shape: Shape, heads: int = 1) -> Any:
    """An attention mask of ``shape`` (…, L, S): bool (True: may attend; the first key always
    may, so that no row is all masked) or float (added to the scores)."""
    if rng.random() < 0.5:
        keep = rng.random(shape) < 0.7
        keep[..., 0] = True
        return ("t", keep)
    return ("t", rng.uniform(-2, 2, shape))


def _draw_mha(
    rng: np.random.Generator,
    p: dict[str, Any],
    refs: list[int],
    inp: Callable[[Any], Any],
    param: Callable[[Any], Any],
    weights: Callable[..., None],
    small: Callable[..., int],
    extra: int,
) -> tuple[str, list[int], dict[str, Any]]:
    heads = small(1, 2)
    E = heads * small(1, 2)
    kdim = small() if rng.random() < 0.3 else E
    vdim = small() if rng.random() < 0.3 else E
    batch_first = bool(rng.random() < 0.4)
    kw = {"embed_dim": E, "num_heads": heads, "kdim": kdim, "vdim": vdim}
    kw.update(bias=bool(rng.random() < 0.8), batch_first=batch_first)
    kw.update(add_bias_kv=bool(rng.random() < 0.3), add_zero_attn=bool(rng.random() < 0.3))
    weights(kw)
    L, S, N = small(), small(), small(1, 2)
    batched = rng.random() < 0.75

    def seq(length: int, d: int) -> Shape:
        if not batched:
            return (length, d)
        return (N, length, d) if batch_first else (length, N, d)

    p["input"] = inp(seq(L, E))  # (a wrong E: torch asserts, DIVERGENCES)
    p["key"] = param(seq(S, kdim))
    p["value"] = param(seq(S, vdim))
    call: dict[str, Any] = {"need_weights": bool(rng.random() < 0.6)}
    call["average_attn_weights"] = bool(rng.random() < 0.5)
    r = rng.random()
    if r < 0.2:  # a causal mask, said to be one (True: masked out, as torch's bool masks)
        call["attn_mask"] = ("t", np.triu(np.ones((L, S), dtype=bool), 1))
        call["is_causal"] = True
    elif r < 0.6:
        shape = (L, S) if rng.random() < 0.6 or not batched else (N * heads, L, S)
        mask = _mask(rng, shape)
        call["attn_mask"] = ("t", ~mask[1]) if mask[1].dtype == bool else mask
    if batched and rng.random() < 0.4:
        mask = _mask(rng, (N, S))
        call["key_padding_mask"] = ("t", ~mask[1]) if mask[1].dtype == bool else mask
    p["call"] = call
    return "MultiheadAttention", refs, p


# ----------------------------------------------------------------------------- avoiding


def module_input(xs: list[Any], p: dict[str, Any]) -> Any:
    """A step's input, as torch's tensor (to check it in the main ``_avoided``)."""
    import torch

    v = p["input"]
    return torch.tensor(v[1]) if v[0] == "t" else more._get(torch, xs, v).detach()


def avoided(op: str, xs: list[Any], p: dict[str, Any], out: Any, second: bool) -> bool:
    """Whether a step of these ops would meet a divergence kept (see the main DIVERGENCES;
    the norm layers' groups of rounding noise are the main ``_noise_groups``')."""
    if op == "MultiheadAttention":  # (under a second derivative, saturated softmaxes: 50)
        return _scores_beyond(xs, p, 50.0 if second else 1e4)
    return False


def _scores_beyond(xs: list[Any], p: dict[str, Any], bound: float) -> bool:
    """Whether MultiheadAttention's scores q·k/√d may exceed ``bound`` (by the largest entries
    of the projected queries and keys, bias_k's too): the adjoints of keys repeated in the
    input (entries gathered twice) are then large terms that cancel to rounding noise of their
    size (queries projected to 5e7: a pool value's x̄ 2e-7 apart of 3e10; default seed 22484).
    Under a second derivative a saturated softmax (weights 1 − 5e-5 beside 2e-19, scores up to
    50–100) leaves x̿ rounding noise of 2e-8 relatively in either library: moving the leaves by
    1e-13 moves it by 1e-8 (default seed 508964)."""
    import torch

    E = p["kwargs"]["embed_dim"]
    w = {n: _value(torch, xs, v).detach() for n, v in p["weights"].items()}
    q = module_input(xs, p)
    k = _value(torch, xs, p["key"]).detach()
    if q.shape[-1] != E or q.numel() == 0 or k.numel() == 0:
        return False  # (refused, or no scores)
    bias = w.get("in_proj_bias", torch.zeros(3 * E, dtype=torch.float64))
    if "in_proj_weight" in w:
        wq, wk = w["in_proj_weight"][:E], w["in_proj_weight"][E : 2 * E]
    else:
        wq, wk = w["q_proj_weight"], w["k_proj_weight"]
    if k.shape[-1] != wk.shape[-1]:
        return False
    qp = (q.double() @ wq.double().T + bias[:E]).abs().max()
    kp = (k.double() @ wk.double().T + bias[E : 2 * E]).abs().max()
    if "bias_k" in w:
        kp = torch.maximum(kp, w["bias_k"].abs().max())
    head = E // p["kwargs"]["num_heads"]
    return bool(qp * kp * head**0.5 > bound)

"""The torch functions session 31 added, which no graph fuzzer family drew before, for the graph
fuzzer (tests/test_graph_fuzz_torch.py), drawn (``draw``) and applied (``apply``) as
``_graph_fuzz_s30``'s; every op is a ``t:`` op (the name of a ``torch`` function, called on
both libraries with the same arguments):

* the functional recurrent entry points: the cells ``rnn_tanh_cell``, ``rnn_relu_cell``,
  ``lstm_cell``, ``gru_cell`` (biases or none) and the layers ``rnn_tanh``, ``rnn_relu``,
  ``lstm`` (with projections too), ``gru`` in their input/batch_first overload (1–2 layers,
  bidirectional or not, dropout 0 or not in training; unbatched for rnn_tanh and rnn_relu),
  the weights and states program values (gathered from the pool mostly, so that their
  gradients reach the leaves compared);
* ``grid_sampler`` (2-d and 3-d, interpolation and padding modes as ints, align_corners) at
  points ``tanh(grid)·1.25`` (as ``_graph_fuzz_s18``'s grid_sample), and
  ``affine_grid_generator``;
* the view copies ``view_copy``, ``permute_copy``, ``transpose_copy``, ``t_copy``,
  ``diagonal_copy``, ``expand_copy``, ``unsqueeze_copy``, ``squeeze_copy``, ``select_copy``,
  ``slice_copy``, ``split_copy``, ``split_with_sizes_copy``, ``unbind_copy``, ``alias_copy``,
  ``detach_copy``, ``as_strided_copy`` (overlapping windows too), ``narrow_copy``,
  ``unfold_copy`` of the pool value itself (any strides) or of entries gathered from it;
  ``as_strided_scatter`` (of places that do not overlap) and the method
  ``unsafe_split_with_sizes``;
* the low-level forms ``rms_norm`` (``torch.rms_norm`` and ``F.rms_norm``),
  ``native_layer_norm``, ``native_batch_norm`` (training or not, running statistics compared),
  ``native_group_norm``, ``frobenius_norm``, ``nuclear_norm`` (of matrices with singular values
  apart, ``_graph_fuzz_s18``'s), ``norm_except_dim``, ``constant_pad_nd`` (crops too),
  ``convolution`` (1–3 spatial dims, transposed or not), ``segment_reduce`` (lengths or
  offsets, each reduction, along any axis, initial or none, unsafe=False), the in-place
  ``celu_``, ``selu_`` and ``rrelu_`` (training=False: its mean slope; its training draws are
  random) on a fresh value, and ``embedding_renorm_`` under no_grad (of a value that requires
  grad or not: its gradient then passes the write by);
* the window functions (``hann_window``, ``hamming_window``, ``bartlett_window``,
  ``blackman_window``, ``kaiser_window``), constants, as values multiplied into a program
  value.

Rarely an argument torch refuses: a feature size one too large, a dim out of range, lengths
that do not cover the axis. Where torch's own function is wrong its run takes a documented
equivalent (see the main DIVERGENCES): ``detach_copy``'s result, which says it requires grad
in torch and refuses backward, is detached there.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import _graph_fuzz_more as more
import _graph_fuzz_s18 as s18
import _graph_fuzz_s29 as s29
import numpy as np

Shape = tuple[int, ...]

RNN_CELLS = ["rnn_tanh_cell", "rnn_relu_cell", "lstm_cell", "gru_cell"]
RNN_LAYERS = ["rnn_tanh", "rnn_relu", "lstm", "gru"]
GRID = ["grid_sampler", "affine_grid_generator"]
COPIES = [
    "view_copy", "permute_copy", "transpose_copy", "t_copy", "diagonal_copy", "expand_copy",
    "unsqueeze_copy", "squeeze_copy", "select_copy", "slice_copy", "split_copy",
    "split_with_sizes_copy", "unbind_copy", "alias_copy", "detach_copy", "as_strided_copy",
    "narrow_copy", "unfold_copy", "as_strided_scatter", "unsafe_split_with_sizes",
]  # fmt: skip
LOWLEVEL = [
    "rms_norm", "F.rms_norm", "native_layer_norm", "native_batch_norm", "native_group_norm",
    "frobenius_norm", "nuclear_norm", "norm_except_dim", "constant_pad_nd", "convolution",
    "segment_reduce", "celu_", "selu_", "rrelu_", "embedding_renorm_", "window",
]  # fmt: skip
WINDOWS = ["hann_window", "hamming_window", "bartlett_window", "blackman_window", "kaiser_window"]
GATES = {"rnn_tanh": 1, "rnn_relu": 1, "lstm": 4, "gru": 3}


def _ops(names: list[str]) -> list[str]:
    return ["t:" + k for k in names]


GROUPS = [
    (_ops(RNN_CELLS + RNN_LAYERS), 0.02),
    (_ops(GRID), 0.01),
    (_ops(COPIES), 0.03),
    (_ops(LOWLEVEL), 0.03),
]
OPS = {op for group, _ in GROUPS for op in group}


def focus(group: list[str], mode: str | None) -> int:
    """How many times as often a group is drawn in a focus mode (``TG_GRAPH_FOCUS=s31``)."""
    return 10 if mode == "s31" else 1


# ----------------------------------------------------------------------------- applying


def apply(lib: Any, op: str, xs: list[Any], c: dict[str, Any]) -> Any:
    """One step of these ops (``c``: the parameters, constants already tensors)."""
    c = {k: more._get(lib, xs, v) for k, v in c.items()}
    x = c.pop("input") if "input" in c else xs[0]
    name = op[2:]
    if name in RNN_CELLS or name in RNN_LAYERS:
        return _rnn(lib, name, x, c)
    if name == "grid_sampler":
        grid = c["grid"].tanh() * 1.25  # some points outside [−1, 1]: the paddings
        return lib.grid_sampler(x, grid, c["mode"], c["padding"], c["align_corners"])
    if name == "affine_grid_generator":
        return lib.affine_grid_generator(x, c["size"], c["align_corners"])
    if name in COPIES:
        return _copy(lib, name, x, c)
    return _lowlevel(lib, name, x, c)


def _rnn(lib: Any, name: str, x: Any, c: dict[str, Any]) -> Any:
    if name in RNN_CELLS:
        weights = [c["w_ih"], c["w_hh"], *c.get("biases", [])]
        if name == "lstm_cell":
            return tuple(lib.lstm_cell(x, (c["hx"], c["cx"]), *weights))
        return getattr(lib, name)(x, c["hx"], *weights)
    hx = (c["hx"], c["cx"]) if name == "lstm" else c["hx"]
    k = c["kw"]
    out = getattr(lib, name)(
        x, hx, c["params"], k["has_biases"], k["num_layers"], k["dropout"], k["train"],
        k["bidirectional"], k["batch_first"],
    )  # fmt: skip
    return tuple(out)


def _copy(lib: Any, name: str, x: Any, c: dict[str, Any]) -> Any:
    args, kw = c.get("args", ()), c.get("kw", {})
    if name == "as_strided_scatter":
        if lib.__name__ == "torch":  # (its x̄ is g at the places written, 0 elsewhere: the
            y = x.clone()  # complement of g's; its documented meaning, DIVERGENCES)
            y.as_strided(*args).copy_(c["src"])
            return y
        return lib.as_strided_scatter(x, c["src"], *args)
    if name == "unsafe_split_with_sizes":
        return tuple(x.unsafe_split_with_sizes(*args, **kw))
    out = getattr(lib, name)(x, *args, **kw)
    if name == "detach_copy" and lib.__name__ == "torch":
        # (torch's says it requires grad where x does, then refuses backward: DIVERGENCES)
        return out.detach()
    return tuple(out) if isinstance(out, (tuple, list)) else out


def _lowlevel(lib: Any, name: str, x: Any, c: dict[str, Any]) -> Any:
    F = lib.nn.functional if lib.__name__ == "torch" else lib.functional
    args, kw = c.get("args", ()), c.get("kw", {})
    if name == "rms_norm":
        return lib.rms_norm(x, c["shape"], c.get("weight"), c["eps"])
    if name == "F.rms_norm":
        return F.rms_norm(x, c["shape"], c.get("weight"), c["eps"])
    if name == "native_layer_norm":
        return tuple(lib.native_layer_norm(x, c["shape"], c.get("weight"), c.get("bias"), c["eps"]))
    if name == "native_batch_norm":
        mean, var = c.get("running_mean"), c.get("running_var")
        out = lib.native_batch_norm(
            x, c.get("weight"), c.get("bias"), mean, var, c["training"], c["momentum"], c["eps"]
        )
        stats = [t.clone() for t in (mean, var) if t is not None]
        return (more.contiguous_grad(lib, out[0]), out[1], out[2], *stats)
    if name == "native_group_norm":
        if lib.__name__ == "torch":
            return _torch_group_norm(lib, x, c.get("weight"), c.get("bias"), args)
        return tuple(lib.native_group_norm(x, c.get("weight"), c.get("bias"), *args))
    if name == "frobenius_norm":
        return lib.frobenius_norm(x, *args)
    if name == "nuclear_norm":
        A = s18._separated(lib, c["A"], c["sign"])
        return lib.nuclear_norm(A, *args)
    if name == "norm_except_dim":
        return lib.norm_except_dim(x, *args)
    if name == "constant_pad_nd":
        return lib.constant_pad_nd(x, *args)
    if name == "convolution":
        return lib.convolution(x, c["weight"], c.get("bias"), *args)
    if name == "segment_reduce":
        kw = {k: c[k] for k in ("lengths", "offsets", "initial") if k in c}
        return lib.segment_reduce(x, c["reduce"], axis=c["axis"], unsafe=False, **kw)
    if name in ("celu_", "selu_", "rrelu_"):
        y = x.clone()  # (a fresh value: a 0-d gather is a view of the pool's)
        getattr(lib, name)(y, *args)
        return y
    if name == "embedding_renorm_":
        w = x.clone() if c["grad"] else x.detach().clone()
        with lib.no_grad():
            lib.embedding_renorm_(w, c["indices"], *args)
        return w
    # a window, a constant, times the value
    window = getattr(lib, c["name"])(*args, dtype=lib.float64)
    return x * window


def _torch_group_norm(torch: Any, x: Any, weight: Any, bias: Any, args: tuple[Any, ...]) -> Any:
    """torch's native_group_norm as its run takes it (see the main DIVERGENCES): its rule drops
    μ̄ without r̄ and r̄ without μ̄, and its second derivative without ȳ is wrong, so the
    statistics come from a call without weight or bias whose three outputs get a zero adjoint
    whenever one is used (no zero gradient reaches w or b from them); its backward to a bias
    without a weight fails ("tensor does not have a device", or "shape '[0]' is invalid for
    input of size 2" through the statistics; s31 focus seed 1261), so a bias alone comes with
    the weight of ones None stands for; and the statistics, which require grad where only w or
    b does, reaching nothing, are x's alone."""
    if weight is None and bias is not None:
        weight = torch.ones(bias.shape, dtype=bias.dtype)
    out = torch.native_group_norm(x, weight, bias, *args)[0]
    plain, mean, rstd = torch.native_group_norm(x, None, None, *args)
    tie = (0 * (plain.sum() + mean.sum() + rstd.sum())).nan_to_num(0.0)
    return out, mean + tie, rstd + tie


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
    sa: Shape = shapes[a]  # type: ignore[assignment]
    t, refs = s29.step_tools(rng, a, shapes, floats, bad, dim)
    p: dict[str, Any] = {}
    name = op[2:]
    if name in RNN_CELLS or name in RNN_LAYERS:
        return op, refs, _draw_rnn(t, name, shapes, floats, refs, p)
    if name in GRID:
        return op, refs, _draw_grid(t, name, p)
    if name in COPIES:
        return op, refs, _draw_copy(t, name, sa, p)
    with warnings.catch_warnings():  # (frobenius_norm's and nuclear_norm's deprecation)
        warnings.simplefilter("ignore")
        return op, refs, _draw_lowlevel(t, name, sa, p)


def _weight(
    t: s29._Tools, shapes: list[Shape | None], floats: list[int], refs: list[int], shape: Shape
) -> Any:
    """A weight: gathered from the pool (85%: its gradient reaches the leaves), or a constant."""
    cands = [i for i in floats if shapes[i] and int(np.prod(shapes[i])) > 0]  # type: ignore[arg-type]
    if cands and t.rng.random() < 0.85:
        b = int(t.rng.choice(cands))
        refs.append(b)
        return ("x", len(refs) - 1, t.rng.integers(0, int(np.prod(shapes[b])), shape))  # type: ignore[arg-type]
    return ("t", t.rng.uniform(-1.5, 1.5, shape))


def _draw_rnn(
    t: s29._Tools,
    name: str,
    shapes: list[Shape | None],
    floats: list[int],
    refs: list[int],
    p: dict[str, Any],
) -> dict[str, Any]:
    rng, small, extra = t.rng, t.small, t.extra

    def w(shape: Shape) -> Any:
        return _weight(t, shapes, floats, refs, shape)

    I, H = small(), small()
    mode = name[:-5] if name in RNN_CELLS else name
    G = GATES[mode]
    if name in RNN_CELLS:
        N = small(1, 3)
        p["input"] = t.inp((N, I + extra))
        p["hx"] = w((N, H))
        if name == "lstm_cell":
            p["cx"] = w((N, H))
        p["w_ih"], p["w_hh"] = w((G * H, I)), w((G * H, H))
        if rng.random() < 0.7:
            p["biases"] = [w((G * H,)), w((G * H,))]
        return p
    layers, D = small(1, 2), 1 + int(rng.random() < 0.4)
    has_biases = bool(rng.random() < 0.7)
    h_out = small(1, H - 1) if name == "lstm" and H > 1 and rng.random() < 0.3 else H
    L, N = small(), small(1, 2)
    # (unbatched input: torch's gru and lstm kernels refuse it, an IndexError; DIVERGENCES)
    batched = name in ("lstm", "gru") or rng.random() < 0.7
    # (torch's kernels swap the first two dims of an unbatched input too: batch_first there
    # reads (L, input_size) as (input_size, L))
    batch_first = bool(rng.random() < 0.5) and batched
    seq = ((N, L) if batch_first else (L, N)) if batched else (L,)
    p["input"] = t.inp((*seq, I + extra))
    p["hx"] = w((layers * D, *((N,) if batched else ()), h_out))
    if name == "lstm":
        p["cx"] = w((layers * D, *((N,) if batched else ()), H))
    params = []
    for layer in range(layers):
        for _ in range(D):
            params += [w((G * H, I if layer == 0 else h_out * D)), w((G * H, h_out))]
            if has_biases:
                params += [w((G * H,)), w((G * H,))]
            if h_out != H:
                params.append(w((h_out, H)))
    p["params"] = params
    train = bool(rng.random() < 0.5)
    # (dropout between layers in training draws a random mask: 0 there)
    dropout = 0.0 if train or rng.random() < 0.5 else 0.5
    p["kw"] = {"has_biases": has_biases, "num_layers": layers, "dropout": dropout, "train": train,
               "bidirectional": D == 2, "batch_first": batch_first}  # fmt: skip
    return p


def _draw_grid(t: s29._Tools, name: str, p: dict[str, Any]) -> dict[str, Any]:
    rng, small, extra = t.rng, t.small, t.extra
    three = rng.random() < 0.3
    N = small(1, 2)
    p["align_corners"] = bool(rng.random() < 0.5)
    if name == "affine_grid_generator":
        sizes = [small(0 if rng.random() < 0.1 else 1, 3) for _ in range(3 if three else 2)]
        p["input"] = t.param((N, 3, 4) if three else (N, 2, 3))
        p["size"] = [N + extra, small(1, 2), *sizes]
        return p
    spatial = tuple(small(1, 3) for _ in range(3 if three else 2))
    p["input"] = t.inp((N, small(1, 2), *spatial))
    out = tuple(small(1, 3) for _ in range(len(spatial)))
    p["grid"] = t.param((N + extra, *out, len(spatial)))
    p["mode"] = int(rng.integers(0, 2 if three and not t.bad else 3))
    p["padding"] = int(rng.integers(0, 3))
    return p


def _factor(rng: np.random.Generator, n: int) -> list[int]:
    """A random shape of ``n`` elements (1–3 dims)."""
    return s29._factor(rng, n)


def _draw_copy(t: s29._Tools, name: str, sa: Shape, p: dict[str, Any]) -> dict[str, Any]:
    rng, small, extra = t.rng, t.small, t.extra
    nd = len(sa)
    if rng.random() < 0.4 and name not in ("as_strided_copy", "as_strided_scatter"):
        p["input"] = t.inp(sa)  # (entries gathered: contiguous; else the value, any strides)

    def d(n: int = nd) -> int:
        return t.dim(rng, n, t.bad) if n or t.bad else 0

    if name == "view_copy":
        shape = _factor(rng, int(np.prod(sa)))
        if rng.random() < 0.3:
            shape[int(rng.integers(len(shape)))] = -1
        p["args"] = (tuple(shape) if not t.bad else (int(np.prod(sa)) + 1,),)
    elif name == "permute_copy":
        dims = [int(k) for k in rng.permutation(nd)]
        dims = [k - nd if rng.random() < 0.3 else k for k in dims]
        p["args"] = (dims if not t.bad else [*dims, nd],)
    elif name == "transpose_copy":
        p["args"] = (d(), d())
    elif name == "t_copy":
        if nd > 2 and not t.bad:
            p["input"] = t.inp((small(), small()))
    elif name == "diagonal_copy":
        if nd < 2 and not t.bad:
            p["input"] = t.inp((small(), small()))
            nd = 2
        d1, d2 = (int(k) for k in rng.choice(max(nd, 2), 2, replace=False))
        p["args"] = (int(rng.integers(-2, 3)), d1, d2 if not t.bad else d1)
    elif name == "expand_copy":
        shape = [*(small() for _ in range(small(0, 1))), *(small() if s == 1 else s for s in sa)]
        if rng.random() < 0.3 and shape:
            shape[-1] = -1 if nd else shape[-1]
        if t.bad:
            shape = [*shape[:-1], shape[-1] + 1] if nd and sa[-1] != 1 else [2, 3, *sa]
            if nd and sa[-1] == 1:
                shape = [nd + 1] * (nd - 1)
        p["args"] = (shape,)
    elif name == "unsqueeze_copy":
        p["args"] = (int(rng.integers(-nd - 1, nd + 1)) if not t.bad else nd + 2,)
    elif name == "squeeze_copy":
        r = rng.random()
        if r < 0.3:
            p["args"] = ()
        elif r < 0.5 and nd >= 2:
            p["args"] = (tuple(int(k) for k in rng.choice(nd, 2, replace=False)),)
        else:
            p["args"] = (d(),)
    elif name in ("select_copy", "narrow_copy", "slice_copy", "unfold_copy"):
        if nd == 0 and not t.bad:
            sa, nd = (small(),), 1
            p["input"] = t.inp(sa)
        k = d()
        size = sa[k % nd] if nd else 1
        if name == "select_copy":
            p["args"] = (k, int(rng.integers(-size, size)) if size else 0)
            if t.bad or size == 0:
                p["args"] = (k, size)
        elif name == "narrow_copy":
            start = int(rng.integers(0, size + 1))
            p["args"] = (k, start, int(rng.integers(0, size - start + 1)) + extra)
        elif name == "slice_copy":
            first = int(rng.integers(-size - 1, size + 2)) if rng.random() < 0.7 else None
            end = int(rng.integers(-size - 1, size + 2)) if rng.random() < 0.7 else None
            p["args"] = (k, first, end, small(1, 3))
        else:
            window = int(rng.integers(0, size + 1)) + extra
            p["args"] = (k, window, small(1, 3))
    elif name in ("split_copy", "split_with_sizes_copy", "unsafe_split_with_sizes"):
        if nd == 0 and not t.bad:
            sa, nd = (small(),), 1
            p["input"] = t.inp(sa)
        k = d()
        size = sa[k % nd] if nd else 1
        if name == "split_copy":
            p["args"] = (small(1, 3) if size else small(), k)
        else:
            sizes = more._sizes(rng, size)
            if t.bad:
                sizes = [*sizes, 1]
            p["args"] = (sizes, k)
    elif name == "unbind_copy":
        if nd == 0 and not t.bad:
            p["input"] = t.inp((small(0, 3), small()))
            nd = 2
        p["args"] = (d(),)
    elif name in ("as_strided_copy", "as_strided_scatter"):
        _draw_strided(t, name, p)
    return p


def _draw_strided(t: s29._Tools, name: str, p: dict[str, Any]) -> None:
    """A fresh contiguous input (gathered) and a strided window of its memory: for the copy any
    (overlapping too), for the scatter places that do not overlap (a sub-grid of a shape)."""
    rng, small = t.rng, t.small
    if name == "as_strided_copy":
        n = small(1, 8)
        p["input"] = t.inp((n,) if rng.random() < 0.5 else _factor(rng, n))
        size = [small(0, 3) for _ in range(small(0, 2))]
        stride = [small(0, 3) for _ in size]
        reach = sum((s - 1) * st for s, st in zip(size, stride)) if all(size) else 0
        if reach >= n:  # (within the memory: a window of repeats)
            stride = [0] * len(size)
            reach = 0
        offset = int(rng.integers(0, n - reach)) + t.extra * n
        p["args"] = (size, stride, offset) if rng.random() < 0.7 else (size, stride)
        return
    base = tuple(small(1, 3) for _ in range(small(1, 3)))
    p["input"] = t.inp(base)
    strides = [int(np.prod(base[k + 1 :])) for k in range(len(base))]
    # every step'th entry from a start along each dim: places that never meet
    starts = [int(rng.integers(0, s)) for s in base]
    steps = [small(1, 2) for _ in base]
    size = [len(range(s0, s, st)) for s0, s, st in zip(starts, base, steps)]
    stride = [st * k for st, k in zip(steps, strides)]
    offset = sum(s0 * k for s0, k in zip(starts, strides))
    if t.bad:
        size[0] += 3
    p["src"] = t.param(size)
    p["args"] = (size, stride, offset)


def _draw_lowlevel(t: s29._Tools, name: str, sa: Shape, p: dict[str, Any]) -> dict[str, Any]:
    rng, small, extra = t.rng, t.small, t.extra
    nd = len(sa)
    if name in ("rms_norm", "F.rms_norm", "native_layer_norm"):
        shape = tuple(small() for _ in range(small(1, 3)))
        j = small(1, min(2, len(shape)))
        p["shape"] = list(shape[-j:])
        p["input"] = t.inp((*shape[:-1], shape[-1] + extra))
        if rng.random() < 0.7:
            p["weight"] = t.param(shape[-j:])
        if name == "native_layer_norm":
            if rng.random() < 0.7:
                p["bias"] = t.param(shape[-j:])
            p["eps"] = float(rng.choice([1e-5, 0.1]))
        else:
            p["eps"] = [None, 1e-5, 0.1][int(rng.integers(3))]
        return p
    if name == "native_batch_norm":
        C = small()
        # (never of the wrong size: torch checks no sizes, reads and writes past the running
        # statistics, a crash ("munmap_chunk(): invalid pointer"); DIVERGENCES, seed 7399)
        p["input"] = t.inp((small(1, 3), C, *(small() for _ in range(small(0, 2)))))
        for k in ("weight", "bias"):
            if rng.random() < 0.7:
                p[k] = t.param((C,))
        p["training"] = bool(rng.random() < 0.6)
        # (evaluation without running statistics: torch's kernel crashes, DIVERGENCES)
        if not p["training"] or rng.random() < 0.6:
            p["running_mean"] = ("t", rng.uniform(-1, 1, C))
            p["running_var"] = ("t", rng.uniform(0.5, 2, C))
        p["momentum"] = float(rng.choice([0.1, 0.5, 1.0]))
        p["eps"] = float(rng.choice([1e-5, 0.1]))
        return p
    if name == "native_group_norm":
        g = small()
        C = g * small(1, 2)
        N = small(1, 2)
        spatial = tuple(small() for _ in range(small(0, 2)))
        p["input"] = t.inp((N, C, *spatial))
        for k in ("weight", "bias"):
            if rng.random() < 0.7:
                p[k] = t.param((C + extra,))
        p["args"] = (N, C, int(np.prod(spatial)), g, float(rng.choice([1e-5, 0.1])))
        return p
    if name == "frobenius_norm":
        if nd == 0 and not t.bad:
            p["input"] = t.inp((small(),))
            nd = 1
        r = rng.random()
        if r < 0.15:
            dims: Any = []
        elif r < 0.5 and nd >= 2:
            dims = [int(k) for k in rng.choice(nd, 2, replace=False)]
        else:
            dims = [t.dim(rng, nd, t.bad)] if rng.random() < 0.5 else t.dim(rng, nd, t.bad)
        p["args"] = (dims, bool(rng.random() < 0.5))
        return p
    if name == "nuclear_norm":
        p.update(A=t.param((*s18._batch(rng), small(1, 3), small(1, 3))))
        p["sign"] = float(rng.choice([1.0, -1.0]))
        r = rng.random()
        if r < 0.3:
            p["args"] = ()
        elif r < 0.5:
            p["args"] = (bool(rng.random() < 0.5),)  # (torch's overload (input, keepdim))
        else:
            dims = (-2, -1) if rng.random() < 0.5 else (-1, -2)
            p["args"] = (dims if not t.bad else (-1, -1, -2), bool(rng.random() < 0.5))
        return p
    if name == "norm_except_dim":
        if nd == 0 and not t.bad:
            p["input"] = t.inp((small(),))
            nd = 1
        pw = int(rng.choice([2, 2, 1, 3]))
        # (−1: the norm of all of v, torch's convention; bad: a dim past the last)
        p["args"] = (pw, nd if t.bad else -1 if rng.random() < 0.2 else int(rng.integers(nd)))
        return p
    if name == "constant_pad_nd":
        pairs = small(0, nd) if nd else 0
        pad = []
        for j in range(pairs):
            n = sa[nd - 1 - j]
            pad += [int(rng.integers(-min(n, 1), 3)), int(rng.integers(-min(n, 2), 3))]
        if t.bad:
            pad = [1] * (2 * nd + 2)
        p["args"] = (pad, float(rng.choice([0.0, -1.5, 2.0]))) if rng.random() < 0.7 else (pad,)
        return p
    if name == "convolution":
        return _draw_convolution(t, p)
    if name == "segment_reduce":
        return _draw_segments(t, sa, p)
    if name in ("celu_", "selu_", "rrelu_"):
        if name == "celu_" and rng.random() < 0.7:
            p["args"] = (float(rng.choice([1.0, 0.5, 2.0])),)
        if name == "rrelu_":  # (training=False: the mean slope; training draws slopes at random)
            lo, hi = sorted(float(v) for v in rng.choice([0.1, 0.125, 0.3, 1 / 3], 2))
            p["args"] = (lo, hi, False)
        return p
    if name == "embedding_renorm_":
        rows = small(1, 4)
        p["input"] = t.inp((rows, small(1, 3)))
        p["indices"] = ("t", rng.integers(0, rows + extra, small(0, 4)))
        p["grad"] = bool(rng.random() < 0.6)
        p["args"] = (float(rng.choice([0.5, 1.0, 2.0])), float(rng.choice([2.0, 1.0, 3.0])))
        return p
    # a window of this many points
    wname = str(rng.choice(WINDOWS))
    N = small(0, 6)
    p["name"] = wname
    p["input"] = t.inp((N,)) if rng.random() < 0.7 else t.inp((small(1, 2), N))
    args: list[Any] = [N]
    if rng.random() < 0.6:
        args.append(bool(rng.random() < 0.5))  # periodic
        if wname == "hamming_window" and rng.random() < 0.5:
            args += [float(rng.choice([0.54, 0.5])), float(rng.choice([0.46, 0.3]))][: small(1, 2)]
        if wname == "kaiser_window" and rng.random() < 0.6:
            args.append(float(rng.choice([12.0, 0.5, 5.0])))
    if t.bad:
        args[0] = -1
    p["args"] = tuple(args)
    return p


def _draw_convolution(t: s29._Tools, p: dict[str, Any]) -> dict[str, Any]:
    rng, small, extra = t.rng, t.small, t.extra
    n = small(1, 3)
    transposed = bool(rng.random() < 0.4)
    groups = small(1, 2)
    cin, cout = groups * small(1, 2), groups * small(1, 2)
    ks = tuple(small(1, 2 if n == 3 else 3) for _ in range(n))
    stride = [small(1, 2) for _ in range(n)] if rng.random() < 0.5 else [small(1, 2)]
    dilation = [small(1, 2) for _ in range(n)] if rng.random() < 0.3 else [1]
    padding = [int(rng.integers(0, 2)) for _ in range(n)] if rng.random() < 0.5 else [0]

    def each(v: list[int], k: int) -> int:
        return v[k] if len(v) > 1 else v[0]

    if transposed:
        p["weight"] = t.param((cin + extra, cout // groups, *ks))
        out_pad = [int(rng.integers(0, max(each(stride, k), each(dilation, k)))) for k in range(n)]
        # (an output of at least one: (in − 1)·s − 2p + d·(k − 1) + op + 1 ≥ 1)
        spatial = tuple(
            max(
                small(1, 3),
                1
                + -(
                    -max(0, 2 * each(padding, k) - each(dilation, k) * (ks[k] - 1) - out_pad[k])
                    // each(stride, k)
                ),
            )
            for k in range(n)
        )
    else:
        p["weight"] = t.param((cout, cin // groups + extra, *ks))
        out_pad = [0] * n
        # (at least the dilated kernel, padded)
        spatial = tuple(
            max(small(1, 3), each(dilation, k) * (ks[k] - 1) + 1 - 2 * each(padding, k))
            for k in range(n)
        )
    # (batched: torch's kernel refuses an unbatched input, which conv{n}d takes)
    p["input"] = t.inp((small(1, 2), cin, *spatial) if not t.bad else (cin, *spatial))
    if rng.random() < 0.6:
        p["bias"] = t.param((cout,))
    p["args"] = (stride, padding, dilation, transposed, out_pad, groups)
    return p


def _draw_segments(t: s29._Tools, sa: Shape, p: dict[str, Any]) -> dict[str, Any]:
    rng, small = t.rng, t.small
    reduce = str(rng.choice(["sum", "mean", "prod", "max", "min"]))
    shape = tuple(small(0 if rng.random() < 0.1 else 1, 4) for _ in range(small(1, 3)))
    axis = int(rng.integers(0, len(shape)))
    p["input"] = t.inp(shape, distinct=reduce in ("max", "min"))
    p["reduce"], p["axis"] = reduce, axis
    rows = shape[:axis]
    # (no lengths at all: both refuse, torch's min() over them; no segments by offsets)
    S = small(0 if rng.random() < 0.15 else 1, 3)
    lengths = np.zeros((*rows, S), dtype=np.int64)
    for at in np.ndindex(*rows):
        cuts = np.sort(rng.integers(0, shape[axis] + 1, max(S - 1, 0)))
        row = np.diff(np.concatenate([[0], cuts, [shape[axis]]]))
        if S == 0:
            row = np.zeros(0, dtype=np.int64)
        lengths[at] = row
    if t.bad and lengths.size:
        lengths[(0,) * lengths.ndim] += 1
    # (bad offsets, past the axis: torch reads past the data, a crash; DIVERGENCES)
    if rng.random() < 0.5 or t.bad:
        p["lengths"] = ("t", lengths)
    else:
        zero = np.zeros((*rows, 1), dtype=np.int64)
        p["offsets"] = ("t", np.concatenate([zero, np.cumsum(lengths, -1)], -1))
    if rng.random() < 0.3:
        p["initial"] = float(rng.choice([0.0, 1.5, -1.0]))
    return p


# ----------------------------------------------------------------------------- avoiding


def _input(torch: Any, xs: list[Any], p: dict[str, Any]) -> Any:
    """The step's input gathered, as torch's tensor."""
    return s29._value(torch, xs, p["input"]) if "input" in p else xs[0].detach()


def norm_input(op: str, xs: list[Any], p: dict[str, Any]) -> tuple[str, Any, dict[str, Any]] | None:
    """The groups a norm of these ops normalizes, as the main ``_noise_groups`` takes them: (the
    functional op, its input, its parameters), or None (as ``s29.norm_input``)."""
    if op not in ("t:native_layer_norm", "t:native_batch_norm", "t:native_group_norm"):
        return None
    import torch

    x = _input(torch, xs, p)
    if op == "t:native_layer_norm":
        size = int(np.prod(p["shape"]))
        rows = (
            x.reshape(-1, size)
            if x.numel() and x.shape[-len(p["shape"]) :] == tuple(p["shape"])
            else x
        )
        return "layer_norm", rows, {"normalized_shape": (size,)}
    if op == "t:native_group_norm":
        return "group_norm", x, {"num_groups": p["args"][3]}
    return "batch_norm", x, {"training": p["training"]}


def avoided(op: str, xs: list[Any], p: dict[str, Any], out: Any, second: bool) -> bool:
    """Whether a step of these ops would meet a divergence kept (see the main DIVERGENCES)."""
    import torch

    name = op[2:]
    if name == "grid_sampler":  # s18's grid_sample's: a point on (or near) a pixel boundary
        grid = s29._value(torch, xs, p["grid"])
        if bool(grid.isnan().any()):
            return True
        coords = s18._unnormalized(
            grid.tanh().numpy() * 1.25, tuple(_input(torch, xs, p).shape[2:]), p["align_corners"]
        )
        twice = 2 * coords[np.isfinite(coords)]
        return bool((np.abs(twice - np.round(twice)) <= 1e-9 * np.maximum(1, np.abs(twice))).any())
    if name in ("frobenius_norm", "norm_except_dim") and (
        bool((out == 0).any()) or (second and bool((_input(torch, xs, p) == 0).any()))
    ):
        return True  # a norm at 0 (the main ``norm``'s case)
    if name == "norm_except_dim" and p["args"][0] == 1:  # |x|'s kink at rounding noise
        x = _input(torch, xs, p)
        if x.numel() and bool((x.abs() <= 1e-12 * max(1.0, float(x.abs().max()))).any()):
            return True
    if name == "nuclear_norm" and second:  # tanh″ of a saturated tanh (s18's DIVERGENCES)
        return s18._saturated(s29._value(torch, xs, p["A"]))
    if name in ("native_layer_norm", "native_batch_norm") and second and "weight" not in p:
        # torch's double backward with a bias but no weight raises ("Expected a proper Tensor
        # but got None"), as layer_norm's (the main ``_avoided``; s31 focus seeds 3561, 3745)
        return "bias" in p
    if name == "segment_reduce" and second:  # torch has no second derivative ("derivative
        return True  # for aten::_segment_reduce_backward is not implemented"; seed 617)
    if name == "segment_reduce" and p["reduce"] in ("max", "min"):
        x = _input(torch, xs, p)
        return x.numel() > 1 and s29._ties(x.numpy())
    return False

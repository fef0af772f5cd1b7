"""The differentiable API no fuzzer drew before session 29, for the graph fuzzer
(tests/test_graph_fuzz_torch.py), drawn (``draw``) and applied (``apply``) as
``_graph_fuzz_s27``'s and ``_graph_fuzz_s28``'s:

* the functional layers ``linear``, ``threshold``, ``pairwise_distance``,
  ``local_response_norm``, ``pixel_unshuffle``, ``channel_shuffle``, the 3-d pools
  (``max_pool3d``, ``avg_pool3d``, ``adaptive_avg_pool3d``, ``adaptive_max_pool3d``,
  ``lp_pool3d``), ``conv_transpose3d`` and ``max_unpool1d``/``max_unpool2d`` (of a max pool's
  output and indices);
* the Tensor methods and namespace functions ``sort``, ``topk``, ``aminmax``, ``std_mean``,
  ``var_mean``, ``nansum``, ``nanmean``, ``nanmedian``, ``nan_to_num`` (of values with nan and
  ±∞ made inside the step), ``clamp``/``clip``/``clamp_min``/``clamp_max`` with tensor bounds,
  ``log2``, ``log10``, ``sgn``, ``diff`` (prepend, append), ``dot``, ``outer``/``ger``, ``mm``,
  ``chain_matmul``, ``trapz``, ``expand_as``/``view_as``/``reshape_as``,
  ``swapaxes``/``swapdims``/``moveaxis``/``t``, ``atleast_1d/2d/3d``, ``broadcast_to``/
  ``broadcast_tensors``, ``meshgrid``, ``narrow_copy``;
* tg.linalg's ``lu`` (P, L, U of a rectangular matrix whose pivots are a drawn permutation),
  ``lu_unpack`` of ``lu_factor``, ``lu_factor_ex``, ``triangular_solve``, ``solve_ex``,
  ``inv_ex``, ``cholesky_ex``, ``norm`` (vector and matrix orders), ``cross`` (broadcasting),
  and ``pinverse``, on the well-conditioned matrices of ``_graph_fuzz_s18``;
* the nn modules with weights no family built: ``Linear``, ``Bilinear``, ``ConvTranspose1d``,
  ``ConvTranspose2d``, ``Conv3d``, ``GroupNorm``, ``InstanceNorm1d``/``InstanceNorm2d``
  (running statistics compared), ``BatchNorm2d``, ``PReLU``, ``RMSNorm``,
  ``TransformerEncoderLayer``, ``TransformerDecoderLayer`` (dropout 0, masks) and
  ``EmbeddingBag``, built in both libraries with the same weights as ``_graph_fuzz_s28``'s
  (``s28._module``: a parameter gathered from the pool goes through ``functional_call``, a
  constant one is the module's own, its ``.grad`` logged).

A step's input is mostly gathered from its pool value (entries repeated; distinct entries for
the ops that order them, whose ties are avoided). Rarely an argument torch refuses: a feature
size one too large, a dim out of range, a factor that does not divide. Where torch's own kernel
fails, its run takes the documented equivalent (``sgn`` as ``sign``, ``aminmax`` as ``amin``
and ``amax``), and ``triangular_solve``'s cloned coefficient is detached (see the main
DIVERGENCES).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import _graph_fuzz_more as more
import _graph_fuzz_s18 as s18
import _graph_fuzz_s27 as s27
import _graph_fuzz_s28 as s28
import numpy as np

Shape = tuple[int, ...]

LAYERS = [
    "linear", "threshold", "pairwise_distance", "local_response_norm", "pixel_unshuffle",
    "channel_shuffle", "max_pool3d", "avg_pool3d", "adaptive_avg_pool3d", "adaptive_max_pool3d",
    "lp_pool3d", "conv_transpose3d", "max_unpool1d", "max_unpool2d",
]  # fmt: skip
METHODS = [
    "sort", "topk", "aminmax", "std_mean", "var_mean", "nansum", "nanmean", "nanmedian",
    "nan_to_num", "clamp_tensor", "log2", "log10", "sgn", "diff", "dot", "outer", "mm",
    "chain_matmul", "trapz", "as_other", "swapaxes", "atleast", "broadcast_to", "meshgrid",
    "narrow_copy",
]  # fmt: skip
LINALG = [
    "linalg_lu", "lu_unpack", "lu_factor_ex", "triangular_solve", "solve_ex", "inv_ex",
    "cholesky_ex", "linalg_norm", "linalg_cross", "pinverse",
]  # fmt: skip
MODULES = [
    "Linear", "Bilinear", "ConvTranspose1d", "ConvTranspose2d", "Conv3d", "GroupNorm",
    "InstanceNorm1d", "InstanceNorm2d", "BatchNorm2d", "PReLU", "RMSNorm",
    "TransformerEncoderLayer", "TransformerDecoderLayer", "EmbeddingBag",
]  # fmt: skip
GROUPS = [(LAYERS, 0.02), (METHODS, 0.03), (LINALG, 0.015), (MODULES, 0.02)]
OPS = {op for group, _ in GROUPS for op in group}
# the ops that order their input's entries (ties avoided), and those that read it through tanh
ORDERED = ("sort", "topk", "aminmax", "nanmedian", "max_pool3d", "adaptive_max_pool3d",
           "max_unpool1d", "max_unpool2d")  # fmt: skip
TANH_OF_A = ("linalg_lu", "lu_unpack", "lu_factor_ex", "triangular_solve", "solve_ex", "inv_ex",
             "cholesky_ex", "pinverse")  # fmt: skip
TRANSFORMERS = ("TransformerEncoderLayer", "TransformerDecoderLayer")
# the inputs of the layer norms of torch's last transformer layer, with their eps (``avoided``)
NORM_INPUTS: list[tuple[Any, float]] = []


def focus(group: list[str], mode: str | None) -> int:
    """How many times as often a group is drawn in a focus mode (``TG_GRAPH_FOCUS=s29``)."""
    return 10 if mode == "s29" else 1


# ----------------------------------------------------------------------------- applying


def apply(lib: Any, op: str, xs: list[Any], c: dict[str, Any]) -> Any:
    """One step of these ops (``c``: the parameters, constants already tensors)."""
    if lib.__name__ == "torch" and op in TRANSFORMERS:  # (its math backend: s28's DIVERGENCES)
        from torch.nn.attention import SDPBackend, sdpa_kernel

        with sdpa_kernel(SDPBackend.MATH):
            return _apply(lib, op, xs, c)
    return _apply(lib, op, xs, c)


def _with_nans(lib: Any, x: Any, infs: bool) -> Any:
    """x with nan above 1.2 (and, ``infs``, +∞ below −1.5 and −∞ in (−1.5, −1.2))."""
    y = lib.where(x > 1.2, float("nan"), x)
    if infs:
        y = lib.where(x < -1.2, float("-inf"), y)
        y = lib.where(x < -1.5, float("inf"), y)
    return y


def _apply(lib: Any, op: str, xs: list[Any], c: dict[str, Any]) -> Any:
    F = lib.nn.functional if lib.__name__ == "torch" else lib.functional
    c = {k: more._get(lib, xs, v) for k, v in c.items()}
    x = c.pop("input") if "input" in c else xs[0]
    if "lift" in c:
        x = x.reshape(c.pop("lift"))
    kw = c.get("kw", {})
    if op in MODULES:
        return _module_step(lib, op, xs, x, c)
    if op in LINALG:
        return _linalg(lib, op, x, c)
    # the functional layers
    if op == "linear":
        return F.linear(x, c["weight"], c.get("bias"))
    if op == "threshold":
        return F.threshold(x, c["threshold"], c["value"])
    if op == "pairwise_distance":
        return F.pairwise_distance(x, c["other"], **kw)
    if op in ("local_response_norm", "avg_pool3d", "adaptive_avg_pool3d", "lp_pool3d"):
        return getattr(F, op)(x, **kw)
    if op == "pixel_unshuffle":
        return F.pixel_unshuffle(x, c["factor"])
    if op == "channel_shuffle":
        return F.channel_shuffle(x, c["groups"])
    if op in ("max_pool3d", "adaptive_max_pool3d"):
        out = getattr(F, op)(x, **kw)
        return tuple(out) if kw.get("return_indices") else out
    if op == "conv_transpose3d":
        return F.conv_transpose3d(x, c["weight"], c.get("bias"), **kw)
    if op in ("max_unpool1d", "max_unpool2d"):
        pool = getattr(F, "max_pool" + op[-2:])
        out, indices = pool(x, **kw, return_indices=True)
        unpooled = getattr(F, op)(out * c["scale"], indices, **kw, **c.get("unpool", {}))
        return out, indices, unpooled
    # the methods
    if op == "sort":
        return tuple(x.sort(**kw))
    if op == "topk":
        values, indices = x.topk(c["k"], **kw)
        if kw["sorted"]:
            return values, indices
        return values.sum(kw["dim"])  # (their order is unspecified)
    if op == "aminmax":  # (torch's double backward writes into a ZeroTensor: DIVERGENCES)
        if lib.__name__ == "torch":
            return x.amin(**kw), x.amax(**kw)
        return tuple(lib.aminmax(x, **kw))
    if op in ("std_mean", "var_mean"):
        return tuple(getattr(lib, op)(x, **kw))
    if op in ("nansum", "nanmean"):
        return getattr(_with_nans(lib, x, False), op)(**kw)
    if op == "nanmedian":
        out = _with_nans(lib, x, False).nanmedian(**kw)
        return tuple(out) if "dim" in kw else out
    if op == "nan_to_num":
        return _with_nans(lib, x, True).nan_to_num(**kw)
    if op == "clamp_tensor":
        lo, hi = c.get("min"), c.get("max")
        if c["form"] == "clamp":
            return x.clamp(min=lo, max=hi)
        if c["form"] == "clip":
            return lib.clip(x, lo, hi)
        return getattr(x, c["form"])(lo if c["form"] == "clamp_min" else hi)
    if op in ("log2", "log10"):
        return getattr(x if c.get("raw") else x * x + 0.25, op)()
    if op == "sgn":  # (torch's zero x̄ is an immutable ZeroTensor: its torch run is sign, which
        return x.sign() if lib.__name__ == "torch" else x.sgn()  # sgn is for real x; DIVERGENCES)
    if op == "diff":
        return x.diff(**kw, **{k: c[k] for k in ("prepend", "append") if k in c})
    if op == "dot":
        return x.dot(c["other"])
    if op == "outer":
        return getattr(lib, c["name"])(x, c["other"])
    if op == "mm":
        return x.mm(c["other"])
    if op == "chain_matmul":
        return lib.chain_matmul(x, *c["mats"])
    if op == "trapz":
        if "x" in c:
            return lib.trapz(x, c["x"], dim=c["dim"])
        return lib.trapz(x, dx=c["dx"], dim=c["dim"])
    if op == "as_other":
        if c["name"] == "view_as":  # (a view of strides torch's cannot view: the main DIVERGENCES)
            return x.contiguous().view_as(c["other"])
        return getattr(x, c["name"])(c["other"])
    if op == "swapaxes":
        if c["name"] == "t":
            return x.t()
        return getattr(x, c["name"])(*c["dims"])
    if op == "atleast":
        out = getattr(lib, c["name"])(*([x, *c["others"]] if c["others"] else [x]))
        return tuple(out) if isinstance(out, (tuple, list)) else out
    if op == "broadcast_to":
        if "others" in c:
            return tuple(lib.broadcast_tensors(x, *c["others"]))
        return x.broadcast_to(c["shape"])
    if op == "meshgrid":
        return tuple(lib.meshgrid(*(t.flatten()[:3] for t in xs), indexing=c["indexing"]))
    if op == "narrow_copy":
        return x.narrow_copy(**kw)
    raise AssertionError(op)


def _linalg(lib: Any, op: str, x: Any, c: dict[str, Any]) -> Any:
    L = lib.linalg
    if op in ("linalg_lu", "lu_unpack", "lu_factor_ex"):  # rows permuted: pivots not the identity
        A = c["perm"] @ s18._separated(lib, c["A"], c["sign"])
        if op == "linalg_lu":
            return tuple(L.lu(A))
        if op == "lu_factor_ex":
            return tuple(L.lu_factor_ex(A))
        LU, pivots = L.lu_factor(A)
        return tuple(lib.lu_unpack(LU, pivots))
    if op == "triangular_solve":
        T = s18._triangle(lib, c["A"], c["upper"])
        kw = {k: c[k] for k in ("upper", "transpose", "unitriangular")}
        solution, coefficient = lib.triangular_solve(c["B"], T, **kw)
        # (torch's clone of A requires grad as an output of the node, B̄ = 0: DIVERGENCES)
        return solution, coefficient.detach()
    if op == "solve_ex":
        return tuple(L.solve_ex(s18._general(lib, c["A"]), c["B"], left=c["left"]))
    if op == "inv_ex":
        return tuple(L.inv_ex(s18._general(lib, c["A"], c["sign"])))
    if op == "cholesky_ex":
        return tuple(L.cholesky_ex(s18._spd(lib, c["A"]), upper=c["upper"]))
    if op == "linalg_norm":
        if c.get("separated"):  # ord ±2 or 'nuc': singular values apart (s18's DIVERGENCES)
            x = s18._separated(lib, c["A"], c["sign"])
        return L.norm(x, **c["kw"])
    if op == "linalg_cross":
        return L.cross(x, c["other"], dim=c["dim"])
    # pinverse
    return lib.pinverse(s18._separated(lib, c["A"], c["sign"]), rcond=c["rcond"])


def _module_step(lib: Any, op: str, xs: list[Any], x: Any, c: dict[str, Any]) -> Any:
    m, gathered = s28._module(lib, xs, {**c, "op": op})
    kwargs = {k: s28._value(lib, xs, v) for k, v in c.get("call", {}).items()}

    def call(*args: Any, **kw: Any) -> Any:
        return lib.func.functional_call(m, gathered, args, kw)

    if lib.__name__ == "torch" and op in TRANSFORMERS:
        NORM_INPUTS.clear()
        for norm in (m.norm1, m.norm2, getattr(m, "norm3", None)):
            if norm is not None:
                norm.register_forward_pre_hook(
                    lambda mod, args: NORM_INPUTS.append((args[0].detach(), mod.eps))
                )
    if op in ("InstanceNorm1d", "InstanceNorm2d", "BatchNorm2d"):
        m.train(c["train"])
        for _ in range(c["calls"]):  # (torch's backward: a contiguous gradient, DIVERGENCES)
            out = more.contiguous_grad(lib, call(x))
        if m.running_mean is not None:
            stats = [m.running_mean, m.running_var]
            if op == "BatchNorm2d":
                stats.append(m.num_batches_tracked)
            return (out, *(t.clone() for t in stats))
        return out
    if op == "Bilinear":
        return call(x, c["input2"])
    if op == "TransformerDecoderLayer":
        return call(x, c["memory"], **kwargs)
    if op == "EmbeddingBag":
        extra = {k: c[k] for k in ("offsets", "per_sample_weights") if k in c}
        return call(c["indices"], **extra)
    return call(x, **kwargs)


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
    tools, refs = step_tools(rng, a, shapes, floats, bad, dim)
    p: dict[str, Any] = {}
    if op in MODULES:
        return op, refs, _draw_module(tools, op, p)
    if op in LINALG:
        return op, refs, _draw_linalg(tools, op, sa, p)
    if op in LAYERS:
        return op, refs, _draw_layer(tools, op, sa, p)
    return op, refs, _draw_method(tools, op, sa, shapes, floats, refs, p)


def step_tools(
    rng: np.random.Generator,
    a: int,
    shapes: list[Shape | None],
    floats: list[int],
    bad: bool,
    dim: Callable[..., int],
) -> tuple[_Tools, list[int]]:
    """The drawing helpers of one step on the pool value ``a`` (the families s29, s30 and s31
    share them), and the list of pool values the step reads, ``a`` first, which ``param``
    extends."""
    n = int(np.prod(shapes[a]))  # type: ignore[arg-type]
    refs = [a]

    def param(shape: Any) -> Any:
        return more._param(rng, shapes, floats, refs, tuple(int(s) for s in shape))

    def inp(shape: Any, distinct: bool = False) -> Any:
        """The step's input: entries of x (with repeats, or ``distinct``), or a constant."""
        shape = tuple(int(s) for s in shape)
        size = int(np.prod(shape))
        if distinct and n >= size:
            return ("x", 0, rng.choice(n, size, replace=False).reshape(shape))
        if n and not distinct:
            return ("x", 0, rng.integers(0, n, shape))
        return ("t", rng.uniform(-2, 2, shape))

    def small(lo: int = 1, hi: int = 3) -> int:
        return int(rng.integers(lo, hi + 1))

    return _Tools(rng, param, inp, small, dim, bad), refs


class _Tools:
    """The drawing helpers of a step, passed to the drawing of each group."""

    def __init__(
        self,
        rng: np.random.Generator,
        param: Callable[[Any], Any],
        inp: Callable[..., Any],
        small: Callable[..., int],
        dim: Callable[..., int],
        bad: bool,
    ) -> None:
        self.rng, self.param, self.inp, self.small, self.dim, self.bad = (
            rng, param, inp, small, dim, bad,
        )  # fmt: skip
        self.extra = 1 if bad else 0

    def batch(self, most: int = 1) -> Shape:
        """Leading batch dims: none (a quarter of the time) or up to ``most`` of size 1–2."""
        if self.rng.random() < 0.25:
            return ()
        return tuple(self.small(1, 2) for _ in range(self.small(1, most)))


def _draw_layer(t: _Tools, op: str, sa: Shape, p: dict[str, Any]) -> dict[str, Any]:
    rng, small, extra = t.rng, t.small, t.extra
    if op == "linear":
        fin, fout = small(0, 3), small(1, 3)
        batch = t.batch(2)
        p["input"] = t.inp((*batch, fin + extra))
        vector = rng.random() < 0.2  # a weight of one dim: one output, a dot product
        p["weight"] = t.param((fin,) if vector else (fout, fin))
        # (torch refuses a bias with a vector weight on a batch: see DIVERGENCES)
        if rng.random() < 0.7 and not (vector and batch):
            p["bias"] = t.param(() if vector or rng.random() < 0.2 else (fout,))
        return p
    if op == "threshold":
        p.update(
            threshold=float(rng.choice([0.0, 0.5, -1.0])), value=float(rng.choice([0.0, -2.0]))
        )
        return p
    if op == "pairwise_distance":
        D = small(1, 3)
        rows = () if rng.random() < 0.2 else (small(1, 3),)
        p["input"] = t.inp((*rows, D))
        other = (*rows, D + extra) if not rows or rng.random() < 0.7 else (1, D + extra)
        p["other"] = t.param(other)
        p["kw"] = {"p": float(rng.choice([2.0, 1.0, 3.0])), "eps": float(rng.choice([1e-6, 0.1]))}
        p["kw"]["keepdim"] = bool(rng.random() < 0.3)
        return p
    if op == "local_response_norm":
        spatial = tuple(small(1, 3) for _ in range(small(1, 2)))
        p["input"] = t.inp((small(1, 2), small(1, 4), *spatial) if not t.bad else (2, 3))
        p["kw"] = {"size": small(1, 3), "alpha": float(rng.choice([1e-4, 0.5]))}
        p["kw"].update(beta=float(rng.choice([0.75, 0.5, 2.0])), k=float(rng.choice([1.0, 2.0])))
        return p
    if op == "pixel_unshuffle":
        r = small(1, 2)
        p["input"] = t.inp((*t.batch(), small(1, 2), r * small(1, 2) + extra, r * small(1, 2)))
        p["factor"] = r
        return p
    if op == "channel_shuffle":
        g = small(1, 3)
        p["input"] = t.inp(
            (small(1, 2), g * small(1, 2) + extra, *(small() for _ in range(small(1, 2))))
        )
        p["groups"] = g
        return p
    if op in (
        "max_pool3d",
        "avg_pool3d",
        "lp_pool3d",
        "adaptive_avg_pool3d",
        "adaptive_max_pool3d",
    ):
        distinct = op in ORDERED
        k = small(1, 2)
        ks = (k,) * 3 if rng.random() < 0.6 else tuple(small(1, 2) for _ in range(3))
        # (torch's avg_pool3d refuses an input smaller than the kernel: see DIVERGENCES)
        low = ks if op in ("avg_pool3d", "lp_pool3d") else (1, 1, 1)
        spatial = tuple(small(lo, 4) for lo in low)
        p["input"] = t.inp((*t.batch(), small(1, 2), *spatial), distinct)
        if t.bad and not op.startswith("adaptive"):
            p["input"] = t.inp((small(1, 2), small(1, 3)))
        if op.startswith("adaptive"):
            size: Any = [int(k) if rng.random() < 0.8 else None for k in rng.integers(1, 4, 3)]
            # (bad: a size of two entries; an input of fewer dims is an IndexError in torch or,
            # to an output of ones, its mean without a check: see DIVERGENCES)
            p["kw"] = {"output_size": size if rng.random() < 0.7 else int(small())}
            if t.bad:
                p["kw"]["output_size"] = [1, 1]
            if op == "adaptive_max_pool3d":
                p["kw"]["return_indices"] = bool(rng.random() < 0.4)
            return p
        kw: dict[str, Any] = {
            "kernel_size": ks[0] if len(set(ks)) == 1 and rng.random() < 0.7 else ks
        }
        if rng.random() < 0.6:
            kw["stride"] = small(1, 2)
        kw["ceil_mode"] = bool(rng.random() < 0.3)
        if op == "lp_pool3d":
            kw["norm_type"] = float(rng.choice([1.0, 2.0, 3.0]))
        else:
            kw["padding"] = int(rng.integers(0, min(ks) // 2 + 1))
        if op == "max_pool3d":
            kw["dilation"] = int(rng.choice([1, 1, 2]))
            kw["return_indices"] = bool(rng.random() < 0.4)
        if op == "avg_pool3d":
            kw["count_include_pad"] = bool(rng.random() < 0.5)
            if rng.random() < 0.2:
                kw["divisor_override"] = small(1, 3)
        p["kw"] = kw
        return p
    if op == "conv_transpose3d":
        groups = small(1, 2)
        cin, cout = groups * small(1, 2), groups * small(1, 2)
        ks = tuple(small(1, 2) for _ in range(3))
        p["input"] = t.inp((*t.batch(), cin, *(small(1, 3) for _ in range(3))))
        p["weight"] = t.param((cin + extra, cout // groups, *ks))
        if rng.random() < 0.6:
            p["bias"] = t.param((cout,))
        stride, dilation = small(1, 2), int(rng.choice([1, 1, 2]))
        out_pad = int(rng.integers(0, max(stride, dilation)))
        p["kw"] = {"stride": stride, "dilation": dilation, "output_padding": out_pad,
                   "padding": int(rng.integers(0, 2)), "groups": groups}  # fmt: skip
        return p
    # max_unpool1d/2d: of max_pool's output (scaled) and indices
    spatial = 1 if op == "max_unpool1d" else 2
    sizes = tuple(small(1, 5) for _ in range(spatial))
    p["input"] = t.inp((*t.batch(), small(1, 2), *sizes), True)
    k = small(1, 3)
    kw = {"kernel_size": k, "stride": small(1, 3) if rng.random() < 0.6 else k}
    kw["padding"] = int(rng.integers(0, k // 2 + 1))
    p["kw"] = kw
    p["scale"] = t.param(())
    # the input's size (the default, from the pool's output, may miss the last indices)
    if rng.random() < 0.7 or t.bad:
        p["unpool"] = {"output_size": [s + 9 * extra for s in sizes]}
    return p


def _draw_method(
    t: _Tools,
    op: str,
    sa: Shape,
    shapes: list[Shape | None],
    floats: list[int],
    refs: list[int],
    p: dict[str, Any],
) -> dict[str, Any]:
    rng, small, extra = t.rng, t.small, t.extra
    nd = len(sa)
    if op in ("sort", "topk", "aminmax", "nanmedian"):
        p["input"] = t.inp(sa, distinct=True)
        d = t.dim(rng, nd, t.bad)
        if op == "sort":
            p["kw"] = {"dim": d, "descending": bool(rng.random() < 0.5)}
            if rng.random() < 0.5:
                p["kw"]["stable"] = True
        elif op == "topk":
            size = sa[d % nd] if nd and not t.bad else 1
            p["k"] = int(rng.integers(0, size + 1)) + extra
            p["kw"] = {"dim": d, "largest": bool(rng.random() < 0.5)}
            p["kw"]["sorted"] = bool(rng.random() < 0.7)
        elif rng.random() < 0.7:
            p["kw"] = {"dim": d, "keepdim": bool(rng.random() < 0.5)}
        else:
            p["kw"] = {}
        return p
    if op in ("std_mean", "var_mean", "nansum", "nanmean"):
        kw: dict[str, Any] = {}
        if rng.random() < 0.7:
            kw["dim"] = t.dim(rng, nd, t.bad)
            if nd >= 2 and rng.random() < 0.3:
                kw["dim"] = tuple(int(k) for k in rng.choice(nd, 2, replace=False))
            kw["keepdim"] = bool(rng.random() < 0.5)
        if op in ("std_mean", "var_mean"):
            kw["correction"] = int(rng.choice([0, 1]))
        p["kw"] = kw
        return p
    if op == "nan_to_num":
        p["kw"] = {"nan": float(rng.choice([0.0, 1.5]))}
        if rng.random() < 0.7:
            p["kw"]["posinf"] = float(rng.choice([3.0, -1.0]))
        if rng.random() < 0.7:
            p["kw"]["neginf"] = float(rng.choice([-3.0, 0.5]))
        return p
    if op == "clamp_tensor":
        form = str(rng.choice(["clamp", "clip", "clamp_min", "clamp_max"]))
        p["form"] = form

        def bound() -> Any:
            shape = [int(rng.choice([1, s])) for s in sa][int(rng.integers(0, nd + 1)) :]
            if t.bad:
                shape = [*sa[:-1], sa[-1] + 1] if nd else [2, 3]
            return t.param(shape)

        if form in ("clamp", "clip"):
            keys = [["min"], ["max"], ["min", "max"]][int(rng.integers(3))]
        else:
            keys = ["min" if form == "clamp_min" else "max"]
        for k in keys:
            p[k] = bound()
        return p
    if op in ("log2", "log10", "sgn"):
        if t.bad:
            p["raw"] = True
        return p
    if op == "diff":
        if nd == 0 and not t.bad:
            p["lift"] = (1,)
            nd, sa = 1, (1,)
        d = t.dim(rng, nd, t.bad)
        p["kw"] = {"n": int(rng.choice([1, 1, 2, 3])), "dim": d}
        for k in ("prepend", "append"):
            if nd and rng.random() < 0.3:
                shape = list(sa)
                shape[d % nd] = small(0, 2)
                if t.bad:
                    shape[(d + 1) % nd] += 1
                p[k] = t.param(shape)
        return p
    if op in ("dot", "outer"):
        p["lift"] = (int(np.prod(sa)),)
        if op == "dot":
            p["other"] = t.param((p["lift"][0] + extra,))
        else:
            p["other"] = t.param((small(0, 3),) if not t.bad else (2, 2))
            p["name"] = str(rng.choice(["outer", "ger"]))
        return p
    if op in ("mm", "chain_matmul"):
        rows, cols = s27._matrix(sa)
        p["lift"] = (rows, cols)
        if op == "mm":
            p["other"] = t.param((cols + extra, small(0, 3)))
            return p
        sizes = [cols + extra, *(small(1, 3) for _ in range(small(1, 3)))]
        p["mats"] = [t.param((sizes[i], sizes[i + 1])) for i in range(len(sizes) - 1)]
        return p
    if op == "trapz":
        if nd == 0 and not t.bad:
            p["lift"] = (1,)
            nd, sa = 1, (1,)
        d = t.dim(rng, nd, t.bad)
        p["dim"] = d
        if rng.random() < 0.5 and nd:
            xshape = (sa[d % nd] + extra,) if rng.random() < 0.5 else tuple(sa)
            p["x"] = t.param(xshape)
        else:
            p["dx"] = float(rng.choice([1.0, 0.5, -2.0]))
        return p
    if op == "as_other":
        name = str(rng.choice(["expand_as", "view_as", "reshape_as"]))
        p["name"] = name
        if name == "expand_as":
            shape = [
                *(small() for _ in range(small(0, 1))),
                *(s if s != 1 else small() for s in sa),
            ]
            if t.bad and shape:
                shape[-1] += 1
        else:
            shape = _factor(rng, int(np.prod(sa)))
            if t.bad:
                shape[0] += 1
        p["other"] = ("t", np.zeros(shape))
        return p
    if op == "swapaxes":
        name = str(rng.choice(["swapaxes", "swapdims", "moveaxis", "t"]))
        if name == "t" and nd > 2 and not t.bad:
            name = "swapaxes"
        p["name"] = name
        p["dims"] = (t.dim(rng, nd, t.bad), t.dim(rng, nd))
        return p
    if op == "atleast":
        p["name"] = f"atleast_{small(1, 3)}d"
        others = []
        if rng.random() < 0.3:
            others = [t.param(tuple(small(1, 2) for _ in range(small(0, 3))))]
        p["others"] = others
        return p
    if op == "broadcast_to":
        if rng.random() < 0.4:
            shape = [int(rng.choice([1, s])) for s in sa][int(rng.integers(0, nd + 1)) :]
            if t.bad:
                shape = [*sa[:-1], sa[-1] + 1] if nd else [2, 3]
            p["others"] = [t.param(shape)]
            return p
        shape = [
            *(small() for _ in range(small(0, 1))),
            *(s if s != 1 or rng.random() < 0.5 else small() for s in sa),
        ]
        if rng.random() < 0.3 and shape:
            shape[-1] = -1 if not t.bad else shape[-1]
        if t.bad and shape:
            shape[-1] = (sa[-1] + 1) if nd else 2
        p["shape"] = tuple(shape)
        return p
    if op == "meshgrid":
        refs.extend(int(rng.choice(floats)) for _ in range(small(0, 2)))
        p["indexing"] = str(rng.choice(["ij", "xy"]))
        return p
    # narrow_copy
    if nd == 0:
        p["lift"] = (1,)
        nd, sa = 1, (1,)
    d = int(rng.integers(nd))
    start = int(rng.integers(0, sa[d] + 1))
    length = int(rng.integers(0, sa[d] - start + 1)) + extra
    p["kw"] = {"dim": d, "start": start, "length": length}
    return p


def _factor(rng: np.random.Generator, n: int) -> list[int]:
    """A random shape of ``n`` elements (1–3 dims)."""
    if n == 0:
        return [0, int(rng.integers(1, 3))]
    dims: list[int] = []
    while n > 1 and len(dims) < 2:
        d = int(rng.choice([k for k in range(1, n + 1) if n % k == 0]))
        dims.append(d)
        n //= d
    return [*dims, n]


def _draw_linalg(t: _Tools, op: str, sa: Shape, p: dict[str, Any]) -> dict[str, Any]:
    rng, small, extra = t.rng, t.small, t.extra
    nd = len(sa)
    batch = s18._batch(rng)
    k = small(1, 3)
    sign = float(rng.choice([1.0, -1.0]))
    if op in ("linalg_lu", "lu_unpack", "lu_factor_ex"):
        m = small(1, 3) if op == "linalg_lu" else k
        perm = np.eye(m)[rng.permutation(m)]
        p.update(A=t.param((*batch, m, k)), perm=("t", perm), sign=sign)
        if t.bad:
            p["perm"] = ("t", np.eye(m + 1))
        return p
    cols = small(0, 2)
    if op == "triangular_solve":
        p.update(A=t.param((*batch, k, k)), B=t.param((*batch, k + extra, cols)))
        p.update(upper=bool(rng.random() < 0.5), transpose=bool(rng.random() < 0.3))
        p["unitriangular"] = bool(rng.random() < 0.3)
        return p
    if op == "solve_ex":
        left = bool(rng.random() < 0.7)
        rhs = (*batch, k + extra, cols) if left else (*batch, cols, k + extra)
        return {**p, "A": t.param((*batch, k, k)), "B": t.param(rhs), "left": left}
    if op in ("inv_ex", "cholesky_ex", "pinverse"):
        shape = (*batch, k, k + extra) if op != "pinverse" else (*batch, small(1, 3), k)
        p.update(A=t.param(shape), sign=sign, upper=bool(rng.random() < 0.5))
        if op == "pinverse":
            p["rcond"] = float(rng.choice([1e-15, 1e-3]))
        return p
    if op == "linalg_norm":
        keepdim = bool(rng.random() < 0.5)
        if rng.random() < 0.5 or nd < 2:  # a vector norm, or the 2-norm of it all (ord None)
            r = rng.random()
            if r < 0.3 and nd <= 1:
                kw: dict[str, Any] = {
                    "ord": float(rng.choice([2.0, 1.0, 3.0, np.inf, -np.inf, 0.5]))
                }
            elif r < 0.5 or nd == 0:
                kw = {}
            else:
                kw = {
                    "ord": float(rng.choice([2.0, 1.0, 3.0, np.inf, 0.5])),
                    "dim": t.dim(rng, nd, t.bad),
                }
            kw["keepdim"] = keepdim
            p["kw"] = kw
            return p
        order: Any = ["fro", 1.0, -1.0, np.inf, -np.inf, 2.0, -2.0, "nuc", None][
            int(rng.integers(9))
        ]
        d1 = int(rng.integers(nd))
        d2 = int(rng.choice([j for j in range(nd) if j != d1]))
        dims = (d1, d2) if not t.bad else (d1, d1)
        if order in (2.0, -2.0, "nuc"):  # of a matrix with singular values apart
            p.update(separated=True, A=t.param((*batch, small(1, 3), k)), sign=sign)
            dims = (-2, -1) if rng.random() < 0.5 else (-1, -2)
        p["kw"] = {"ord": order, "dim": dims, "keepdim": keepdim}
        return p
    if op == "linalg_cross":
        rows = tuple(int(s) for s in s27._matrix(sa)[:1])
        lead = rows if rng.random() < 0.7 else ()
        p["input"] = t.inp((*lead, 3))
        other = (*lead, 3) if not lead or rng.random() < 0.6 else (1, 3)  # (of x's dims)
        p["other"] = t.param(other if not t.bad else (*lead, 4))
        p["dim"] = -1
        return p
    raise AssertionError(op)


# ----------------------------------------------------------------------------- modules


def _weights(t: _Tools, op: str, kwargs: dict[str, Any], p: dict[str, Any]) -> None:
    """Every parameter drawn (from the pool or constant) for the module torch builds."""
    import torch

    m = getattr(torch.nn, op)(**kwargs, dtype=torch.float64)
    p["kwargs"] = kwargs
    p["weights"] = {k: t.param(w.shape) for k, w in m.named_parameters()}
    p["from_pool"] = tuple(k for k, v in p["weights"].items() if v[0] == "x")


def _draw_module(t: _Tools, op: str, p: dict[str, Any]) -> dict[str, Any]:
    rng, small, extra = t.rng, t.small, t.extra
    if op == "Linear":
        fin, fout = small(1, 3), small(1, 3)
        _weights(
            t, op, {"in_features": fin, "out_features": fout, "bias": bool(rng.random() < 0.8)}, p
        )
        p["input"] = t.inp((*t.batch(2), fin + extra))
        return p
    if op == "Bilinear":
        f1, f2, fout = small(), small(), small()
        kw = {"in1_features": f1, "in2_features": f2, "out_features": fout}
        _weights(t, op, {**kw, "bias": bool(rng.random() < 0.8)}, p)
        batch = t.batch()
        p["input"] = t.inp((*batch, f1 + extra))
        p["input2"] = t.param((*batch, f2))
        return p
    if op in ("ConvTranspose1d", "ConvTranspose2d", "Conv3d"):
        nd = {"ConvTranspose1d": 1, "ConvTranspose2d": 2, "Conv3d": 3}[op]
        groups = small(1, 2)
        cin, cout = groups * small(1, 2), groups * small(1, 2)
        kernel = tuple(small(1, 2 if nd == 3 else 3) for _ in range(nd))
        kw: dict[str, Any] = {"in_channels": cin, "out_channels": cout, "groups": groups}
        kw["kernel_size"] = kernel if rng.random() < 0.5 else kernel[0]
        kw["stride"] = small(1, 2) if rng.random() < 0.4 else 1
        kw["dilation"] = small(1, 2) if rng.random() < 0.3 else 1
        kw["bias"] = bool(rng.random() < 0.8)
        if op == "Conv3d":
            kw["padding"] = [0, 1, "same", "valid"][int(rng.integers(4))]
            if kw["padding"] == "same":
                kw["stride"] = 1  # (torch refuses it with a stride)
            kw["padding_mode"] = str(
                rng.choice(["zeros", "zeros", "reflect", "replicate", "circular"])
            )
            spatial = tuple(small(2, 3) for _ in range(nd))
        else:
            kw["padding"] = int(rng.integers(0, 2))
            kw["output_padding"] = int(rng.integers(0, max(kw["stride"], kw["dilation"])))
            spatial = tuple(small(1, 4) for _ in range(nd))
        _weights(t, op, kw, p)
        p["input"] = t.inp(
            (*(() if rng.random() < 0.25 else (small(1, 2),)), cin + extra, *spatial)
        )
        return p
    if op == "GroupNorm":
        g = small(1, 3)
        C = g * small(1, 2)
        kw = {"num_groups": g + extra, "num_channels": C, "eps": float(rng.choice([1e-5, 0.1]))}
        kw["affine"] = bool(rng.random() < 0.8)
        if t.bad:
            kw["num_groups"], kw["num_channels"] = g, C
        _weights(t, op, kw, p)
        p["input"] = t.inp((small(1, 2), C + extra, *(small(1, 3) for _ in range(small(0, 2)))))
        return p
    if op in ("InstanceNorm1d", "InstanceNorm2d", "BatchNorm2d"):
        C = small()
        kw = {"num_features": C, "eps": float(rng.choice([1e-5, 0.1]))}
        kw["momentum"] = [0.1, 0.5, None][int(rng.integers(3))]
        instance = op.startswith("Instance")
        kw["affine"] = bool(rng.random() < (0.5 if instance else 0.8))
        kw["track_running_stats"] = bool(rng.random() < (0.5 if instance else 0.8))
        _weights(t, op, kw, p)
        if kw["track_running_stats"]:
            p["buffers"] = {
                "running_mean": ("t", rng.uniform(-1, 1, C)),
                "running_var": ("t", rng.uniform(0.5, 2, C)),
                "num_batches_tracked": ("t", np.array(int(rng.integers(0, 3)))),
            }
        p["train"] = bool(rng.random() < 0.6)
        p["calls"] = small(1, 2)
        spatial = tuple(small(2, 3) for _ in range(1 if op == "InstanceNorm1d" else 2))
        if op == "BatchNorm2d":
            p["input"] = t.inp((small(1, 2), C + extra, small(1, 2), small(1, 2)))
        else:
            p["input"] = t.inp(
                (*(() if rng.random() < 0.3 else (small(1, 2),)), C + extra, *spatial)
            )
        return p
    if op == "PReLU":
        C = small()
        _weights(t, op, {"num_parameters": C if rng.random() < 0.6 else 1}, p)
        p["input"] = t.inp((small(1, 2), C + extra, *(small() for _ in range(small(0, 2)))))
        return p
    if op == "RMSNorm":
        shape = tuple(small() for _ in range(small(1, 3)))
        j = small(1, min(2, len(shape)))
        kw = {"normalized_shape": shape[-j:], "eps": [None, 1e-5, 0.1][int(rng.integers(3))]}
        kw["elementwise_affine"] = bool(rng.random() < 0.8)
        _weights(t, op, kw, p)
        p["input"] = t.inp((*shape[:-1], shape[-1] + extra))
        return p
    if op in TRANSFORMERS:
        return _draw_transformer(t, op, p)
    # EmbeddingBag
    num, dim_ = small(2, 5), small()
    mode = str(rng.choice(["sum", "mean", "max"]))
    kw = {"num_embeddings": num, "embedding_dim": dim_, "mode": mode}
    if rng.random() < 0.3:
        kw["padding_idx"] = int(rng.integers(-num, num))
    with_offsets = rng.random() < 0.5
    if with_offsets and rng.random() < 0.3:
        kw["include_last_offset"] = True
    _weights(t, op, kw, p)
    if with_offsets:
        length = small(1, 6)
        p["indices"] = ("t", rng.integers(0, num + extra, length))
        # (torch crashes on include_last_offset with one offset: s18's DIVERGENCES)
        cuts = np.sort(
            rng.integers(0, length + 1, small(2 if "include_last_offset" in kw else 1, 3))
        )
        cuts[0] = 0
        p["offsets"] = ("t", cuts.astype(np.int64))
        shape: Shape = (length,)
    else:
        shape = (small(1, 3), small(1, 3))
        p["indices"] = ("t", rng.integers(0, num + extra, shape))
    if mode == "sum" and rng.random() < 0.4:
        p["per_sample_weights"] = t.param(shape)
    p["input"] = ("t", np.zeros(()))
    return p


def _draw_transformer(t: _Tools, op: str, p: dict[str, Any]) -> dict[str, Any]:
    rng, small, extra = t.rng, t.small, t.extra
    heads = small(1, 2)
    E = heads * small(1, 2)
    if E == 1:  # (a layer norm of one feature is its bias: torch's noise, the main DIVERGENCES)
        E = 2 * heads
    kw: dict[str, Any] = {"d_model": E, "nhead": heads, "dim_feedforward": small(1, 4)}
    kw.update(dropout=0.0, activation=str(rng.choice(["relu", "gelu"])))
    kw.update(layer_norm_eps=float(rng.choice([1e-5, 0.1])), batch_first=bool(rng.random() < 0.4))
    kw.update(norm_first=bool(rng.random() < 0.4), bias=bool(rng.random() < 0.8))
    _weights(t, op, kw, p)
    L, S, N = small(), small(), small(1, 2)
    batched = rng.random() < 0.75

    def seq(length: int, d: int) -> Shape:
        if not batched:
            return (length, d)
        return (N, length, d) if kw["batch_first"] else (length, N, d)

    p["input"] = t.inp(seq(L, E))  # (a wrong E: torch asserts, s28's DIVERGENCES)
    call: dict[str, Any] = {}
    mask_name, pad_name, causal_name = "src_mask", "src_key_padding_mask", "is_causal"
    if op == "TransformerDecoderLayer":
        p["memory"] = t.param(seq(S, E))
        mask_name, pad_name, causal_name = "tgt_mask", "tgt_key_padding_mask", "tgt_is_causal"
        if rng.random() < 0.3:
            call["memory_mask"] = _mask(rng, (L, S))
        if batched and rng.random() < 0.3:
            call["memory_key_padding_mask"] = _mask(rng, (N, S))
    r = rng.random()
    if r < 0.25:  # a causal mask, said to be one (bad: of the wrong size)
        call[mask_name] = ("t", np.triu(np.ones((L + extra, L), dtype=bool), 1))
        call[causal_name] = True
    elif r < 0.6:
        call[mask_name] = _mask(rng, (L, L))
    if batched and rng.random() < 0.3:
        call[pad_name] = _mask(rng, (N, L))
    p["call"] = call
    return p


def _mask(rng: np.random.Generator, shape: Shape) -> Any:
    """A mask of ``shape`` (…, L, S): bool (True: masked out; never the first key, so that no
    row is all masked) or float (added to the scores)."""
    if rng.random() < 0.5:
        masked = rng.random(shape) < 0.3
        masked[..., 0] = False
        return ("t", masked)
    return ("t", rng.uniform(-2, 2, shape))


# ----------------------------------------------------------------------------- avoiding


def _value(torch: Any, xs: list[Any], v: Any) -> Any:
    """A parameter of a step as a torch tensor (a constant, or gathered from the pool)."""
    return torch.tensor(v[1]) if v[0] == "t" else more._get(torch, xs, v).detach()


def step_input(xs: list[Any], p: dict[str, Any]) -> Any:
    """A step's input (gathered, or the pool value itself, lifted) as torch's tensor."""
    import torch

    x = _value(torch, xs, p["input"]) if "input" in p else xs[0].detach()
    return x.reshape(p["lift"]) if "lift" in p else x


def tokens_alike(z: Any, batch_first: bool) -> bool:
    """Whether a sequence (L, E), (L, N, E) or, ``batch_first``, (N, L, E) of two tokens or more
    repeats its first token all along: as a decoder's memory, the cross-attention's keys are all
    equal, so its output does not depend on its queries (Σⱼ ∂softmaxⱼ = 0), and the gradient of
    what makes them, norm2's weight and bias, 0, is rounding noise (s29 focus seed 33236: 2.8e-11
    here, 5.9e-12 in torch, beside gradients of 171; the main DIVERGENCES)."""
    dim = 1 if z.ndim == 3 and batch_first else 0
    return z.ndim >= 2 and z.shape[dim] > 1 and bool((z == z.narrow(dim, 0, 1)).all())


def _ties(a: np.ndarray) -> bool:
    """Whether a has two entries equal, or equal but for rounding noise (1e-9 apart relatively),
    or a nan (whose order each library places alike only by accident)."""
    a = np.sort(a.ravel())
    if a.size < 2:
        return False
    if bool(np.isnan(a).any()):
        return True
    finite = a[np.isfinite(a)]
    if finite.size < a.size - 1 or bool((a[1:] == a[:-1]).any()):
        return True
    gaps = np.diff(finite) / max(1.0, float(np.abs(finite).max())) if finite.size else finite
    return bool((gaps <= 1e-9).any())


def _near(a: Any, b: Any, exact: bool) -> bool:
    """Whether a and b (broadcast) are within rounding noise of each other (equal too if
    ``exact``) somewhere."""
    gap = (a - b).abs()
    scale = max(1.0, float(a.abs().max()) if a.numel() else 1.0)
    near = gap <= 1e-9 * scale
    return bool((near if exact else near & (gap > 0)).any())


def norm_input(op: str, xs: list[Any], p: dict[str, Any]) -> tuple[str, Any, dict] | None:
    """The groups a norm module normalizes, as the main ``_noise_groups`` takes them: (the
    functional op, its input, its parameters), or None."""
    if op not in ("GroupNorm", "InstanceNorm1d", "InstanceNorm2d", "BatchNorm2d", *TRANSFORMERS):
        return None
    x = step_input(xs, p)
    kw = p["kwargs"]
    if op in TRANSFORMERS:  # (the input's rows; the sublayers' own are not checked)
        rows = x.reshape(-1, kw["d_model"]) if x.numel() and x.shape[-1] == kw["d_model"] else x
        return "layer_norm", rows, {"normalized_shape": (kw["d_model"],)}
    if op == "GroupNorm":
        return "group_norm", x, {"num_groups": kw["num_groups"]}
    batched = x.ndim == (3 if op == "InstanceNorm1d" else 4)
    if op.startswith("Instance"):
        x = x if batched else x.unsqueeze(0)
        use_stats = p["train"] or not kw["track_running_stats"]
        return "instance_norm", x, {"use_input_stats": use_stats}
    return "batch_norm", x, {"training": p["train"] or not kw["track_running_stats"]}


def avoided(op: str, xs: list[Any], p: dict[str, Any], out: Any, second: bool) -> bool:
    """Whether a step of these ops would meet a divergence kept (see the main DIVERGENCES)."""
    import torch

    x = step_input(xs, p)
    if op in ORDERED and x.numel() > 1 and _ties(x.numpy()):
        return True  # which of equal entries is chosen is unspecified (the main DIVERGENCES)
    if op == "chain_matmul":  # the order of the products: torch's cheapest, left to right here,
        mats = [x, *(_value(torch, xs, m) for m in p["mats"])]  # which a nan or ∞ tells apart
        if not all(bool(m.isfinite().all()) for m in mats):  # (an empty product of it, 0 in
            return True  # torch, nan here: s29 focus seed 168716)
    if op == "nanmedian" and x.numel():  # the index of a slice of nans only is unspecified
        nans = x > 1.2  # (the nans _with_nans makes; s29 focus seed 148620)
        d = p["kw"].get("dim")
        if bool((nans.all() if d is None or x.ndim == 0 else nans.all(d)).any()):
            return True
    if op == "threshold" and _near(x, torch.tensor(p["threshold"]), exact=True):
        return True  # the step at the threshold, on a side rounding noise decides
    if op == "clamp_tensor":  # the same at a bound
        for k in ("min", "max"):
            if k in p and _near(x, _value(torch, xs, p[k]), exact=False):
                return True
    if op == "sgn" and bool(((x != 0) & (x.abs() < 1e-12)).any()):
        return True  # the sign of rounding noise (as sign's: the main DIVERGENCES)
    if op in ("max_unpool1d", "max_unpool2d") and out[2].numel() == 0 and out[0].numel():
        return True  # torch's forward takes the indices of an empty output (see DIVERGENCES)
    if op == "broadcast_to" and "others" in p:  # torch returns x itself there (DIVERGENCES)
        return tuple(out[0].shape) == tuple(xs[0].shape)
    if op == "diff" and not ({"prepend", "append"} & set(p)):
        return bool(out.numel() == 0 and x.shape[p["kw"]["dim"]] == 0)  # the same
    if op == "max_pool3d":  # a window over padding alone (−∞): torch's index points outside
        values = out[0] if isinstance(out, tuple) else out  # the plane, x̄ lands there
        if bool(torch.isneginf(values).any()):  # (the main DIVERGENCES)
            return True
    if op == "linalg_cross" and out.numel():  # torch's zeros are rounding noise (as cross's,
        scale = max(1.0, float(x.abs().max())) * max(1.0, float(out.abs().max()))  # DIVERGENCES)
        if bool((out.abs() <= 1e-12 * scale).any()):
            return True
    if op == "linalg_norm":  # vector_norm's and matrix_norm's cases (s18's avoided; DIVERGENCES)
        a = _value(torch, xs, p["A"]) if p.get("separated") else x
        if second and (bool((a == 0).any()) or bool((out == 0).any())):  # the norm at 0
            return True  # (s29 focus seed 103514: nan in torch)
        order = p["kw"].get("ord")
        matrix = isinstance(p["kw"].get("dim"), tuple)
        kinked = isinstance(order, float) and (
            abs(order) in (1, np.inf) or (order < 1 and not matrix)
        )
        if kinked and a.numel() and bool((a.abs() <= 1e-12 * max(1.0, float(a.abs().max()))).any()):
            return True  # |a|'s kink at an a that is rounding noise
    if op == "linalg_norm" and "dim" in p["kw"] and isinstance(p["kw"]["dim"], tuple):
        a = _value(torch, xs, p["A"]) if p.get("separated") else x
        d1, d2 = p["kw"]["dim"]
        empty = a.ndim >= 2 and 0 in (a.shape[d1], a.shape[d2])
        if empty and p["kw"]["ord"] not in ("fro", "nuc", None):  # torch's max over nothing
            return True  # requires no grad (matrix_norm's, the main DIVERGENCES)
    if op in ("std_mean", "var_mean") and x.numel():  # a correction of N or more: x̄ = nan,
        d = p["kw"].get("dim", tuple(range(x.ndim)))  # which torch's masked rules upstream
        dims = (d,) if isinstance(d, int) else d  # keep (nan·0) and these drop (DIVERGENCES)
        sizes = x.shape if x.ndim else (1,)  # (a 0-d x takes dim 0 or −1)
        if p["kw"]["correction"] >= int(np.prod([sizes[k] for k in dims])):
            return True
    if op in ("cholesky_ex", "inv_ex", "solve_ex", "lu_factor_ex") and bool(out[-1].any()):
        return True  # a failed factorization (a nan): nan here, torch's partial (DIVERGENCES)
    if op == "nan_to_num" and out.numel() and float(out.abs().max()) > 1e300:  # ±∞ made the
        return True  # largest floats, whose later arithmetic overflows in either order
    if op == "trapz" and x.numel() and not bool(x.isfinite().all()):  # one sample: torch's
        dim = p["dim"] % max(x.ndim, 1)  # Σy − (y₀ + yₙ)/2 is ∞ − ∞ (see DIVERGENCES)
        if x.ndim and x.shape[dim] == 1:
            return True
    if op in TRANSFORMERS:  # a norm's input shifted far beyond its scale: the gradient of a
        for z, eps in NORM_INPUTS:  # shift, 0 by its invariance, is rounding noise of
            rows = z.reshape(-1, z.shape[-1]) if z.numel() else z  # |x|/(var + eps) (see
            var = rows.var(-1, unbiased=False) if rows.numel() else rows  # DIVERGENCES)
            if rows.numel() and bool((rows.abs().amax(-1) > 100 * (var + eps)).any()):
                return True
    memory = _value(torch, xs, p["memory"]) if op == "TransformerDecoderLayer" else None
    if memory is not None and tokens_alike(memory, p["kwargs"]["batch_first"]):
        return True  # memory of one token repeated: norm2's gradient is noise
    if op == "EmbeddingBag" and second:  # no second derivative in torch (s18's DIVERGENCES)
        return True
    if op in ("pairwise_distance",) and p["kw"]["p"] == 1.0:  # |δ + ε|'s kink
        d = x - _value(torch, xs, p["other"]) + p["kw"]["eps"]
        if bool((d.abs() <= 1e-12 * max(1.0, float(d.abs().max()) if d.numel() else 1.0)).any()):
            return True
    # tanh″ of a saturated tanh (s18's DIVERGENCES)
    return second and op in TANH_OF_A and s18._saturated(_value(torch, xs, p["A"]))

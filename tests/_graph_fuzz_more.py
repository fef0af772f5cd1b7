"""More ops for the graph fuzzer (tests/test_graph_fuzz_torch.py): the methods, in-place forms
and functional layers added after it was written, drawn (``draw``) and applied (``apply``) the
way its own ops are. A parameter tensor (a weight, an index source, a matrix) is either a
constant or, more often, gathered from a value of the pool (``("x", k, index)``: the ``k``-th
input of the step, flattened and indexed), so that its gradient flows back to the leaves and is
compared too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np

Shape = tuple[int, ...]

ELEMENTWISE = [
    "tan", "sinh", "cosh", "asin", "acos", "atan", "asinh", "acosh", "atanh", "exp2", "sinc",
    "logit", "frac", "deg2rad", "rad2deg", "signbit", "float_power_s", "xlogy", "fmod",
    "remainder", "copysign", "float_power", "logaddexp2", "heaviside", "div_mode",
    "floor_divide", "floordiv_op", "sub_alpha", "addcmul", "addcdiv",
]  # fmt: skip
SCANS = ["cummax", "cummin", "logcumsumexp", "kthvalue", "mode", "quantile", "nanquantile"]
VIEWS = [
    "ravel", "unflatten", "tensor_split", "hsplit", "vsplit", "dsplit", "split_with_sizes",
    "fliplr", "flipud", "rot90", "unfold", "repeat_interleave", "masked_select", "take",
    "take_along_dim", "scatter", "scatter_add", "index_add", "index_copy", "index_fill",
    "diagonal_view", "diag", "where1",
]  # fmt: skip
LINALG = ["inner", "cross", "det", "inverse", "addmv", "addr", "cov", "corrcoef"]
LAYERS = [
    "conv1d", "conv2d", "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d",
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "pad", "layer_norm", "group_norm",
    "rms_norm", "batch_norm", "instance_norm", "prelu", "embedding",
]  # fmt: skip
INPLACE = ["inplace", "version"]
GROUPS = [
    (ELEMENTWISE, 0.13),
    (SCANS, 0.06),
    (VIEWS, 0.12),
    (LINALG, 0.05),
    (LAYERS, 0.10),
    (INPLACE, 0.04),
]
OPS = {op for group, _ in GROUPS for op in group}

Pick = Callable[..., "int | None"]


# ----------------------------------------------------------------------------- applying


def _get(lib: Any, xs: list[Any], v: Any) -> Any:
    """A parameter: a constant (already a tensor), or gathered from the pool's value ``xs[k]``."""
    if isinstance(v, tuple) and len(v) == 3 and v[0] == "x":
        return xs[v[1]].flatten()[lib.tensor(v[2])]
    if isinstance(v, list):
        return [_get(lib, xs, w) for w in v]
    return v


def contiguous_grad(lib: Any, out: Any) -> Any:
    """``out`` of a batch norm, whose incoming gradient torch's run makes contiguous: torch's CPU
    batch_norm backward gets x̄ wrong for a gradient of some permuted strides (a permute of
    its output, strides (4, 1, 2, 4) of shape (2, 2, 2, 1): x̄ off by up to 4; DIVERGENCES)."""
    if lib.__name__ == "torch" and out.requires_grad:
        out.register_hook(lambda g: None if g is None else g.contiguous())
    return out


def _positive(lib: Any, x: Any) -> Any:
    return x.abs() + 0.5


def apply(lib: Any, op: str, xs: list[Any], c: dict[str, Any]) -> Any:
    """One step of these ops (``c``: the parameters, constants already tensors)."""
    F = lib.nn.functional if lib.__name__ == "torch" else lib.functional
    x = xs[0]
    y = xs[1] if len(xs) > 1 else None
    c = {k: _get(lib, xs, v) for k, v in c.items()}
    if op in NEW_OPS:
        return _apply_new(lib, op, xs, c)
    if op == "inplace_grad":
        return _inplace_grad(lib, xs, c)
    raw = c.pop("raw", False)
    # elementwise
    if op in ("asin", "acos", "atanh"):
        return getattr(x if raw else x.tanh() * 0.95, op)()
    if op == "acosh":
        return (x if raw else x.abs() + 1.05).acosh()
    if op == "logit":  # not of sigmoid(x) alone: that is x but for each library's rounding
        return (x if raw else x.sigmoid() * 0.9 + 0.05).logit(**c)
    if op == "float_power_s":
        return (x if raw else _positive(lib, x)).float_power(c["e"])
    if op in ELEMENTWISE[:16]:
        return getattr(x, op)()
    if op == "xlogy":
        return x.xlogy(y if raw else _positive(lib, y))
    if op in ("fmod", "remainder", "div_mode", "floor_divide", "floordiv_op"):
        other = c.pop("scalar", None)
        if other is None:
            other = y if raw else _positive(lib, y) * c.pop("s")
        if op == "div_mode":
            if c["rounding_mode"] is not None:  # torch's second derivative fails (DIVERGENCES)
                x = x.detach()
            return getattr(x, c.pop("name"))(other, **c)
        # torch has no derivative for these (see DIVERGENCES): constants here
        x = x.detach()
        other = other.detach() if not isinstance(other, float) else other
        if op == "floordiv_op":
            return x // other
        return getattr(x, op)(other)
    if op == "float_power":
        return (x if raw else _positive(lib, x)).float_power(y)
    if op == "heaviside":  # no derivative in torch (see DIVERGENCES)
        return x.detach().heaviside(y.detach())
    if op in ("copysign", "logaddexp2"):
        return getattr(x, op)(y)
    if op == "sub_alpha":
        return x.sub(y, alpha=c["alpha"])
    if op == "addcmul":
        return x.addcmul(y, xs[2], value=c["value"])
    if op == "addcdiv":
        return x.addcdiv(y, xs[2] if raw else _positive(lib, xs[2]), value=c["value"])
    # scans and order statistics
    if op in ("cummax", "cummin", "kthvalue", "mode"):
        return tuple(getattr(x, op)(**c))
    if op == "logcumsumexp":
        return x.logcumsumexp(**c)
    if op == "quantile":
        return x.quantile(**c)
    if op == "nanquantile":
        return lib.where(x > 1.2, float("nan"), x).nanquantile(**c)
    # views, splits, indexing
    if op in ("ravel", "fliplr", "flipud"):
        return getattr(x, op)()
    if op == "take_along_dim" and "dim" not in c:  # torch views x flat (DIVERGENCES)
        return x.contiguous().take_along_dim(**c)
    if op in ("unflatten", "rot90", "unfold", "repeat_interleave", "diag", "take_along_dim"):
        return getattr(x, op)(**c)
    if op in ("hsplit", "vsplit", "dsplit", "tensor_split"):
        return tuple(getattr(x, op)(c.pop("arg"), **c))
    if op == "split_with_sizes":
        return tuple(x.split_with_sizes(**c))
    if op == "masked_select":
        return x.masked_select(y > 0 if y is not None else c["mask"])
    if op == "take":
        return x.take(c["index"])
    if op in ("scatter", "scatter_add"):
        src = c.pop("src", None)
        if op == "scatter" and src is None:
            return x.scatter(c["dim"], c["index"], value=c["value"])
        return getattr(x, op)(c["dim"], c["index"], src)
    if op == "index_add":
        return x.index_add(c["dim"], c["index"], c["source"], alpha=c["alpha"])
    if op == "index_copy":
        return x.index_copy(c["dim"], c["index"], c["source"])
    if op == "index_fill":
        return x.index_fill(c["dim"], c["index"], c["value"])
    if op == "diagonal_view":
        return x.diagonal(**c)
    if op == "where1":
        return lib.where(x > 0)
    # linear algebra
    if op == "inner":  # (an "other" may be gathered from the second input, not be it)
        return x.inner(c.get("other", y))
    if op == "cross":
        return x.cross(c.get("other", y), dim=c["dim"])
    if op in ("det", "inverse"):
        k = c["k"]
        m = x[..., :k, :k]
        return getattr(m if raw else m + c["shift"], op)()
    if op == "addmv":
        return x.addmv(c["mat"], c["vec"], beta=c["beta"], alpha=c["alpha"])
    if op == "addr":
        return x.addr(c["vec1"], c["vec2"], beta=c["beta"], alpha=c["alpha"])
    if op == "cov":  # of a copy: torch's cov writes into a view of its input (DIVERGENCES)
        return x.clone().cov(**c)
    if op == "corrcoef":
        return x.corrcoef()
    # layers
    if op in ("layer_norm", "group_norm") and c.pop("low", False):  # torch's positional form
        size = c.pop("normalized_shape" if op == "layer_norm" else "num_groups")
        return getattr(lib, op)(x, size, c.get("weight"), c.get("bias"), c.get("eps", 1e-5))
    if op in ("conv1d", "conv2d", "layer_norm", "group_norm", "rms_norm", "prelu"):
        return getattr(F, op)(x, **c)
    if op in ("max_pool1d", "max_pool2d"):
        out = getattr(F, op)(x, **c)
        return tuple(out) if c.get("return_indices") else out
    if op in ("avg_pool1d", "avg_pool2d", "adaptive_avg_pool1d", "adaptive_avg_pool2d", "pad"):
        return getattr(F, op)(x, **c)
    if op in ("batch_norm", "instance_norm"):
        # the running statistics are updated in place: they are outputs of the step too
        stats = [c.pop(k, None) for k in ("running_mean", "running_var")]
        stats = [None if s is None else s.clone() for s in stats]
        if c.pop("low", False):  # torch's positional form: weight, bias, stats, mode, momentum, eps
            mode = c["training" if op == "batch_norm" else "use_input_stats"]
            wb = (c.get("weight"), c.get("bias"))
            out = getattr(lib, op)(x, *wb, *stats, mode, c["momentum"], c["eps"], False)
            out = contiguous_grad(lib, out)
            return (out, *(s for s in stats if s is not None))
        out = contiguous_grad(lib, getattr(F, op)(x, *stats, **c))
        return (out, *(s for s in stats if s is not None))
    if op == "embedding":
        return F.embedding(c.pop("indices"), x, **c)
    # in place, under no_grad, on a non-leaf copy
    if op == "inplace":
        out = x.clone()
        with lib.no_grad():
            kind = c["kind"]
            if kind == "exp_":
                out.exp_()
            elif kind == "clamp_":
                out.clamp_(c["lo"], c["hi"])
            elif kind == "masked_fill_":
                out.masked_fill_(c["mask"], c["v"])
            elif kind == "diagonal_add_":
                out.diagonal(**c["args"]).add_(c["v"])
            elif kind in ("atan_", "asinh_", "tril_"):
                getattr(out, kind)()
            elif kind == "fill_diagonal_":
                out.fill_diagonal_(c["v"], wrap=c["wrap"])
            elif kind in ("hypot_", "lerp_"):
                args = (0.3,) if kind == "lerp_" else ()
                getattr(out, kind)(lib.full_like(out, c["v"]), *args)
            else:  # windows that do not overlap (step = size)
                out.unfold(**c["args"]).mul_(c["v"])
        return out
    if op == "version":  # a saved tensor changed in place: backward must refuse (or not)
        base = x.clone()
        out = getattr(base, c["f"])()
        with lib.no_grad():
            (out if c["change"] == "out" else base).add_(0.5)
        return out
    raise AssertionError(op)


# ----------------------------------------------------------------------------- drawing


def _param(
    rng: np.random.Generator,
    shapes: list[Shape | None],
    floats: list[int],
    refs: list[int],
    shape: Shape,
) -> Any:
    """A parameter of ``shape``: gathered from a non-empty float value of the pool (60%, its
    index appended to ``refs``), or a constant."""
    cands = [i for i in floats if shapes[i] and int(np.prod(shapes[i])) > 0]  # type: ignore[arg-type]
    if cands and rng.random() < 0.6:
        b = int(rng.choice(cands))
        refs.append(b)
        return ("x", len(refs) - 1, rng.integers(0, int(np.prod(shapes[b])), shape))  # type: ignore[arg-type]
    return ("t", rng.uniform(-1.5, 1.5, shape))


def _sizes(rng: np.random.Generator, n: int) -> list[int]:
    """Sizes that add up to ``n`` (zeros allowed)."""
    cuts = sorted(int(k) for k in rng.integers(0, n + 1, int(rng.integers(0, 3))))
    return [j - i for i, j in zip([0, *cuts], [*cuts, n])]


def _unique_index(rng: np.random.Generator, shape: Shape, d: int, size: int) -> np.ndarray:
    """An index of ``shape`` whose entries along dim ``d`` are distinct (< ``size``), so that
    scatter and index_copy write each place at most once (torch's order is unspecified)."""
    moved = np.moveaxis(np.zeros(shape, dtype=np.int64), d, -1)
    flat = moved.reshape(-1, shape[d])
    for row in flat:
        row[:] = rng.permutation(size)[: shape[d]]
    return np.moveaxis(flat.reshape(moved.shape), -1, d)


def draw(
    rng: np.random.Generator,
    op: str,
    a: int,
    shapes: list[Shape | None],
    floats: list[int],
    bad: bool,
    pick: Pick,
    dim: Callable[..., int],
    broadcasts: Callable[[Shape, Shape], bool],
) -> tuple[str, list[int], dict[str, Any]]:
    """One step of ``op`` on the pool value ``a`` (the helpers of the main generator passed in:
    ``pick`` a value, draw a ``dim``, whether two shapes ``broadcast``)."""
    if op in NEW_OPS:
        return _draw_new(rng, op, a, shapes, floats, bad, pick, dim, broadcasts)
    if op == "inplace_grad":
        return _draw_inplace_grad(rng, a, shapes, floats, bad, pick, broadcasts)
    sa: Shape = shapes[a]  # type: ignore[assignment]
    nd = len(sa)
    n = int(np.prod(sa))
    refs = [a]
    p: dict[str, Any] = {}
    if bad:
        p["raw"] = True
    if op in ELEMENTWISE:
        if op == "logit" and rng.random() < 0.5:
            p["eps"] = float(rng.choice([1e-3, 0.2]))
        elif op == "float_power_s":
            p["e"] = float(rng.choice([2.0, 0.5, -1.0, 3.0]))
        if op in ELEMENTWISE[:16]:
            return op, refs, p
        if op in ("fmod", "remainder", "div_mode", "floor_divide", "floordiv_op"):
            if op == "div_mode":
                p["name"] = str(rng.choice(["div", "divide"]))
                p["rounding_mode"] = rng.choice([None, "trunc", "floor"])
            if rng.random() < 0.3:
                p["scalar"] = float(rng.choice([1.5, -0.75, 2.0]))
                return op, refs, p
            p["s"] = float(rng.choice([1.0, -1.0]))
        if op == "sub_alpha":
            p["alpha"] = float(rng.choice([2.0, -0.5]))
        if op in ("addcmul", "addcdiv"):
            p["value"] = float(rng.choice([1.0, 0.5, -2.0]))
        ok = None if bad else (lambda i: broadcasts(sa, shapes[i]))  # type: ignore[arg-type]
        b = pick(rng, floats, ok)
        refs.append(b)
        if op in ("addcmul", "addcdiv"):
            both = np.broadcast_shapes(sa, shapes[b]) if broadcasts(sa, shapes[b]) else sa  # type: ignore[arg-type]
            c = pick(rng, floats, None if bad else (lambda i: broadcasts(both, shapes[i])))  # type: ignore[arg-type]
            refs.append(c if c is not None else a)
        return op, refs, p
    if op in SCANS:
        d = dim(rng, nd, bad)
        keep = bool(rng.random() < 0.5)
        if op in ("cummax", "cummin", "logcumsumexp"):
            return op, refs, {"dim": d}
        if op == "mode":
            return op, refs, {"dim": d, "keepdim": keep}
        if op == "kthvalue":
            size = sa[d % nd] if nd and not bad else 1
            k = int(rng.integers(1, size + 1)) if size else 1
            return (
                op,
                refs,
                {"k": k + (1 if bad and rng.random() < 0.5 else 0), "dim": d, "keepdim": keep},
            )
        q: Any = float(rng.choice([0.0, 0.25, 0.5, 0.9, 1.0]))
        if rng.random() < 0.3:
            q = ("t", np.sort(rng.uniform(0, 1, int(rng.integers(1, 4)))))
        if bad and rng.random() < 0.5:
            q = 1.5
        p = {
            "q": q,
            "interpolation": str(rng.choice(["linear", "lower", "higher", "midpoint", "nearest"])),
        }
        if rng.random() < 0.7:
            p.update(dim=d, keepdim=keep)
        return op, refs, p
    if op in VIEWS:
        if op in ("ravel", "where1", "flipud") or (op == "fliplr" and (nd >= 2 or bad)):
            return op, refs, {}
        if op == "unflatten":
            if nd == 0:
                return "ravel", refs, {}
            d = dim(rng, nd, bad)
            from_factor = [int(k) for k in _factor_list(rng, sa[d % nd])]
            if bad:
                from_factor[0] += 1
            elif rng.random() < 0.3:
                from_factor[int(rng.integers(len(from_factor)))] = -1
            return op, refs, {"dim": d, "sizes": tuple(from_factor)}
        if op in ("tensor_split", "hsplit", "vsplit", "dsplit", "split_with_sizes"):
            need = {"hsplit": 1, "vsplit": 2, "dsplit": 3}.get(op, 1)
            if nd < need and not bad:
                return "ravel", refs, {}
            if op == "split_with_sizes":
                d = dim(rng, nd, bad)
                sizes = _sizes(rng, sa[d % nd] if nd else 0)
                if bad:
                    sizes.append(1)
                return op, refs, {"split_sizes": sizes, "dim": d}
            d = {"hsplit": 1 if nd > 1 else 0, "vsplit": 0, "dsplit": 2}.get(op, 0)
            if op == "tensor_split":
                d = dim(rng, nd, bad)
            size = sa[d % nd] if nd else 0
            if rng.random() < 0.5:
                arg: Any = [
                    int(k) for k in rng.integers(-size - 1, size + 2, int(rng.integers(0, 3)))
                ]
            elif op == "tensor_split":
                arg = int(rng.integers(1, 5)) if not bad else 0
            else:
                divisors = [k for k in range(1, size + 1) if size % k == 0] or [1]
                arg = int(rng.choice(divisors)) + (1 if bad else 0)
            return op, refs, {"arg": arg, "dim": d} if op == "tensor_split" else {"arg": arg}
        if op == "fliplr":
            return "flipud", refs, {}
        if op == "rot90":
            if nd < 2 and not bad:
                return "flipud", refs, {}
            d0 = dim(rng, nd)
            d1 = (
                dim(rng, nd)
                if bad
                else int(rng.choice([k for k in range(nd) if k != d0 % nd] or [0]))
            )
            return op, refs, {"k": int(rng.integers(-2, 5)), "dims": (d0, d1)}
        if op == "unfold":
            d = dim(rng, nd, bad)
            size = sa[d % nd] if nd else 1
            return (
                op,
                refs,
                {
                    "dimension": d,
                    "size": int(rng.integers(0, size + 1 + (1 if bad else 0))),
                    "step": int(rng.integers(1, 4)),
                },
            )
        if op == "repeat_interleave":
            r = rng.random()
            if r < 0.3:
                return op, refs, {"repeats": int(rng.integers(0, 4))}
            d = dim(rng, nd, bad)
            size = sa[d % nd] if nd else 1
            if r < 0.6:
                return op, refs, {"repeats": int(rng.integers(0, 4)), "dim": d}
            reps = rng.integers(0, 4, size + (1 if bad else 0))
            return op, refs, {"repeats": ("t", reps), "dim": d}
        if op == "masked_select":
            ok = None if bad else (lambda i: broadcasts(sa, shapes[i]))  # type: ignore[arg-type]
            b = pick(rng, floats, ok)
            if b is not None and rng.random() < 0.6:
                return op, [a, b], {}
            return op, refs, {"mask": ("t", rng.random(sa) < 0.5)}
        if op == "take":
            if n == 0 and not bad:
                return "ravel", refs, {}
            top = max(n, 1) + (2 if bad else 0)
            idx = rng.integers(-n if n else 0, top, _small_shape(rng))
            return op, refs, {"index": ("t", idx)}
        if op in (
            "take_along_dim",
            "scatter",
            "scatter_add",
            "index_add",
            "index_copy",
            "index_fill",
        ):
            if nd == 0 or 0 in sa:
                return "ravel", refs, {}
            d = int(rng.integers(-nd, nd))
            size = sa[d]
            if op == "take_along_dim":  # never out of range: torch reads outside (DIVERGENCES)
                if rng.random() < 0.2:
                    return op, refs, {"indices": ("t", rng.integers(0, n, int(rng.integers(1, 5))))}
                shape = [int(rng.choice([1, s])) for s in sa]
                shape[d] = int(rng.integers(1, 5))
                return op, refs, {"indices": ("t", rng.integers(0, size, shape)), "dim": d}
            if op in ("scatter", "scatter_add"):
                shape = [int(rng.integers(1, s + 1)) for s in sa]
                if op == "scatter":
                    idx = _unique_index(rng, tuple(shape), d, size)
                else:
                    idx = rng.integers(0, size, shape)
                if bad:
                    idx.flat[0] = size
                p = {"dim": d, "index": ("t", idx)}
                if op == "scatter" and rng.random() < 0.3:
                    p["value"] = float(rng.choice([0.5, -2.0]))
                else:
                    p["src"] = _param(rng, shapes, floats, refs, tuple(shape))
                return op, refs, p
            k = int(rng.integers(1, size + 1))
            # index_copy writes each place at most once (torch's order is unspecified)
            unique = op == "index_copy"
            idx = rng.permutation(size)[:k] if unique else rng.integers(0, size, k)
            if bad:
                idx[0] = size
            p = {"dim": d, "index": ("t", idx)}
            if op == "index_fill":
                p["value"] = float(rng.choice([0.5, -2.0]))
                return op, refs, p
            shape = list(sa)
            shape[d] = k
            p["source"] = _param(rng, shapes, floats, refs, tuple(shape))
            if op == "index_add":  # never out of range: torch's kind varies by kernel (DIVERGENCES)
                if bad:
                    idx[0] = size - 1
                p["alpha"] = float(rng.choice([1.0, -0.5]))
            return op, refs, p
        if op == "diagonal_view":
            if nd < 2 and not bad:
                return "ravel", refs, {}
            d1 = dim(rng, nd)
            d2 = int(rng.choice([k for k in range(nd) if k != d1 % nd] or [0]))
            return op, refs, {"offset": int(rng.integers(-2, 3)), "dim1": d1, "dim2": d2}
        # diag
        if nd not in (1, 2) and not bad:
            return "ravel", refs, {}
        return op, refs, {"diagonal": int(rng.integers(-2, 3))}
    if op in LINALG:
        if op in ("inner", "cross"):
            if op == "cross":
                threes = [k for k, s in enumerate(sa) if s == 3]
                if not threes and not bad:
                    return "ravel", refs, {}
                d = int(rng.choice(threes)) - nd if threes else 0
                p = {"dim": d}
                want = sa
            else:
                want = sa[-1:] if nd else ()
            b = pick(rng, floats, lambda i: shapes[i] == want)
            if b is not None and rng.random() < 0.6:
                return op, [a, b], p
            shape = tuple(want) if not bad else (*want[:-1], 5)
            p["other"] = _param(rng, shapes, floats, refs, shape)
            return op, refs, p
        if op in ("det", "inverse"):
            if nd < 2 and not bad:
                return "ravel", refs, {}
            k = min(sa[-2:]) if nd >= 2 else 1
            if bad and nd >= 2:
                k = max(sa[-2:])
            return op, refs, {"k": k, "shift": ("t", 3.0 * np.eye(k))}
        if op == "addmv":
            rows = sa[-1] if nd else int(rng.integers(1, 4))
            cols = int(rng.integers(1, 4))  # torch's addmv over 0 columns ignores self's shape
            # (torch's refusal of a 0-d self is an IndexError: DIVERGENCES)
            if (nd > 1 and not bad) or (nd == 0 and bad):
                return "ravel", refs, {}
            return (
                op,
                refs,
                {
                    "mat": _param(rng, shapes, floats, refs, (rows, cols + bad)),
                    "vec": _param(rng, shapes, floats, refs, (cols,)),
                    "beta": float(rng.choice([1.0, 0.5, 0.0])),
                    "alpha": float(rng.choice([1.0, -2.0])),
                },
            )
        if op == "addr":
            if nd > 2 and not bad:
                return "ravel", refs, {}
            rows = sa[0] if nd == 2 else int(rng.integers(1, 4))
            cols = sa[-1] if nd else int(rng.integers(1, 4))
            return (
                op,
                refs,
                {
                    "vec1": _param(rng, shapes, floats, refs, (rows + bad,)),
                    "vec2": _param(rng, shapes, floats, refs, (cols,)),
                    "beta": float(rng.choice([1.0, 0.5, 0.0])),
                    "alpha": float(rng.choice([1.0, -2.0])),
                },
            )
        if nd > 2 and not bad:
            return "ravel", refs, {}
        if op == "cov":
            p = {"correction": int(rng.choice([0, 1]))}
            obs = sa[-1] if nd else 1
            if rng.random() < 0.3:
                p["fweights"] = ("t", rng.integers(0, 3, obs + bad))
            if rng.random() < 0.3:
                p["aweights"] = ("t", rng.uniform(0.5, 2, obs))
            return op, refs, p
        return op, refs, {}
    if op in LAYERS:
        return _draw_layer(rng, op, a, sa, shapes, floats, bad, refs)
    # in place
    if op == "inplace":
        kinds = ["exp_", "clamp_", "masked_fill_", "atan_", "asinh_", "hypot_", "lerp_"]
        if nd >= 2:
            kinds += ["diagonal_add_", "tril_", "fill_diagonal_"]
        if nd >= 1 and n > 0:
            kinds.append("unfold_mul_")
        kind = str(rng.choice(kinds))
        p = {"kind": kind, "v": float(rng.choice([0.5, -2.0]))}
        if kind == "clamp_":
            lo, hi = sorted(rng.uniform(-1.5, 1.5, 2).round(3).tolist())
            p.update(lo=lo, hi=hi)
        elif kind == "masked_fill_":
            p["mask"] = ("t", rng.random(sa) < 0.5)
        elif kind == "fill_diagonal_":
            p["wrap"] = bool(rng.random() < 0.5)
            if nd > 2 and len(set(sa)) > 1:  # torch's refusal: all dims of one size
                p["kind"] = "tril_"
        elif kind == "diagonal_add_":
            p["args"] = {"offset": int(rng.integers(-1, 2)), "dim1": 0, "dim2": -1}
        elif kind == "unfold_mul_":
            d = int(rng.integers(nd))
            size = int(rng.integers(1, sa[d] + 1)) if sa[d] else 1
            p["args"] = {"dimension": d, "size": size, "step": size}
        return op, refs, p
    f = str(rng.choice(["exp", "tanh", "sigmoid", "sin", "cos", "neg", "sqrt_abs"]))
    f = "exp" if f == "sqrt_abs" else f
    return op, refs, {"f": f, "change": str(rng.choice(["in", "out"]))}


def _small_shape(rng: np.random.Generator) -> Shape:
    return tuple(int(k) for k in rng.integers(1, 4, int(rng.integers(0, 3))))


def _factor_list(rng: np.random.Generator, n: int) -> list[int]:
    if n == 0:
        return [0, int(rng.integers(1, 3))] if rng.random() < 0.5 else [0]
    dims: list[int] = []
    while n > 1 and len(dims) < 2:
        d = int(rng.choice([k for k in range(1, n + 1) if n % k == 0]))
        dims.append(d)
        n //= d
    return [*dims, n]


def _draw_layer(
    rng: np.random.Generator,
    op: str,
    a: int,
    sa: Shape,
    shapes: list[Shape | None],
    floats: list[int],
    bad: bool,
    refs: list[int],
) -> tuple[str, list[int], dict[str, Any]]:
    nd = len(sa)
    spatial = 2 if op.endswith("2d") else 1
    if op in ("conv1d", "conv2d", "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d"):
        # a wrong number of dims is a RuntimeError here, torch's pools give an IndexError
        if nd not in (spatial + 1, spatial + 2):
            return "ravel", refs, {}
        if op.startswith("conv"):
            cin = sa[-spatial - 1]
            if cin == 0:  # torch's unbatched output is then shaped wrong (DIVERGENCES)
                return "ravel", refs, {}
            divisors = [g for g in range(1, cin + 1) if cin % g == 0] or [1]
            groups = int(rng.choice(divisors))
            cout = groups * int(rng.integers(1, 3))
            ks = tuple(int(k) for k in rng.integers(1, 4, spatial))
            p: dict[str, Any] = {
                "weight": _param(rng, shapes, floats, refs, (cout, cin // groups + bad, *ks)),
                "groups": groups,
            }
            if rng.random() < 0.5:
                p["bias"] = _param(rng, shapes, floats, refs, (cout,))
            r = rng.random()
            if r < 0.2:
                p["padding"] = str(rng.choice(["same", "valid"]))
            else:
                p["padding"] = int(rng.integers(0, 3))
                p["stride"] = int(rng.integers(1, 3))
            p["dilation"] = int(rng.choice([1, 1, 2]))
            return op, refs, p
        k = int(rng.integers(1, 4))
        p = {"kernel_size": k, "ceil_mode": bool(rng.random() < 0.3)}
        if rng.random() < 0.6:
            p["stride"] = int(rng.integers(1, 3))
        p["padding"] = int(rng.integers(0, k // 2 + 1)) + (k if bad else 0)
        if op.startswith("max"):
            p["dilation"] = int(rng.choice([1, 1, 2]))
            p["return_indices"] = bool(rng.random() < 0.4)
        else:
            p["count_include_pad"] = bool(rng.random() < 0.5)
        return op, refs, p
    if op.startswith("adaptive"):
        if nd not in (spatial + 1, spatial + 2) and not bad:
            return "ravel", refs, {}
        if 0 in sa[-spatial - 1 :]:  # refused here, not in torch (DIVERGENCES)
            return "ravel", refs, {}
        size = tuple(int(k) for k in rng.integers(1, 4, spatial))  # not 0: DIVERGENCES
        return op, refs, {"output_size": size if spatial == 2 else size[0]}
    if op == "pad":
        mode = str(rng.choice(["constant", "reflect", "replicate", "circular"]))
        k = int(rng.integers(1, 4)) if mode != "constant" else int(rng.integers(0, min(nd, 3) + 1))
        if mode != "constant" and nd not in (k + 1, k + 2) and not bad:
            k = nd - 1 if nd in (2, 3, 4) else 0
            if k == 0:
                mode = "constant"
        pads = [int(v) for v in rng.integers(-1 if mode == "constant" else 0, 3, 2 * k)]
        p = {"pad": tuple(pads), "mode": mode}
        if mode == "constant" and rng.random() < 0.5:
            p["value"] = float(rng.choice([0.5, -1.0]))
        return op, refs, p
    if op in ("layer_norm", "rms_norm"):
        j = int(rng.integers(0, nd + 1))
        shape = sa[nd - j :]
        if bad:
            shape = (*shape, 2)
        p = {"normalized_shape": shape}
        if rng.random() < 0.5:
            p["weight"] = _param(rng, shapes, floats, refs, shape)
        if op == "layer_norm" and rng.random() < 0.5:
            p["bias"] = _param(rng, shapes, floats, refs, shape)
        if rng.random() < 0.3:
            p["eps"] = 0.1
        if op == "layer_norm" and rng.random() < 0.3:
            p["low"] = True
        return op, refs, p
    # (batch_norm of a vector: an IndexError here, a RuntimeError about the stats in torch)
    if nd < 2 and op not in ("embedding", "prelu"):
        return "ravel", refs, {}
    C = sa[1] if nd >= 2 else 1
    if C == 0 and op in ("batch_norm", "instance_norm"):  # torch: an IndexError from inside
        return "ravel", refs, {}
    if (
        nd and sa[0] == 0 and op == "instance_norm"
    ):  # torch: an IndexError from inside, with a weight
        return "ravel", refs, {}
    if 0 in sa and op in ("batch_norm", "instance_norm"):
        bad = False  # torch checks no stats of an empty input (DIVERGENCES)
    if op == "group_norm":
        divisors = [g for g in range(1, C + 1) if C % g == 0] or [1]
        p = {"num_groups": int(rng.choice(divisors)) + (1 if bad else 0)}
        if rng.random() < 0.5:
            p["weight"] = _param(rng, shapes, floats, refs, (C,))
            p["bias"] = _param(rng, shapes, floats, refs, (C,))
        if rng.random() < 0.3:
            p["low"] = True
        return op, refs, p
    if op in ("batch_norm", "instance_norm"):
        p = {"momentum": float(rng.choice([0.1, 0.5])), "eps": float(rng.choice([1e-5, 0.1]))}
        train = bool(rng.random() < 0.6)
        p["training" if op == "batch_norm" else "use_input_stats"] = train
        if op == "batch_norm" or rng.random() < 0.5:
            p["running_mean"] = ("t", rng.uniform(-1, 1, C + bad))
            p["running_var"] = ("t", rng.uniform(0.5, 2, C))
        if rng.random() < 0.5:
            p["weight"] = _param(rng, shapes, floats, refs, (C,))
            p["bias"] = _param(rng, shapes, floats, refs, (C,))
        if rng.random() < 0.3:
            p["low"] = True
        return op, refs, p
    if op == "prelu":
        size = 1 if rng.random() < 0.4 or nd < 2 else C
        return op, refs, {"weight": _param(rng, shapes, floats, refs, (size + bad,))}
    # embedding: this value is the weight (torch's refusal of a 0-d one that requires grad is an
    # IndexError, of one that does not a RuntimeError: not drawn)
    if (nd != 2 and not bad) or nd == 0:
        return "ravel", refs, {}
    rows = sa[0] if nd else 1
    out_of_range = bad if 0 not in sa else 0  # an empty weight: torch's kind is another kernel's
    idx = (
        rng.integers(0, rows + out_of_range, _small_shape(rng))
        if rows
        else np.zeros((0,), np.int64)
    )
    p = {"indices": ("t", idx)}
    if rows and rng.random() < 0.3:
        p["padding_idx"] = int(rng.integers(-rows, rows))
    return op, refs, p


# ----------------------------------------------------------------------------- the s17 API
# einsum and tensordot, the namespace additions, the shrinks, glu and bilinear, the newer losses,
# 3-d and transposed convolutions, unfold/fold, interpolate, pixel_shuffle, adaptive max and
# LP pools; each drawn on a pool value, its other operands gathered from the pool (``_param``)

ACTIVATIONS = ["hardshrink", "softshrink", "tanhshrink", "glu", "fmax", "fmin", "msort"]
JOINS = [
    "hstack", "vstack", "dstack", "column_stack", "block_diag", "cartesian_prod",
    "combinations", "diag_embed", "diagflat", "select", "new", "histogramdd",
]  # fmt: skip
CONTRACTIONS = [
    "einsum", "tensordot", "cdist", "dist", "vdot", "baddbmm", "addbmm", "bilinear",
]  # fmt: skip
LOSSES = [
    "cosine_embedding_loss", "margin_ranking_loss", "hinge_embedding_loss",
    "multilabel_soft_margin_loss", "poisson_nll_loss", "gaussian_nll_loss",
    "triplet_margin_loss", "kl_div",
]  # fmt: skip
RESAMPLING = [
    "conv3d", "conv_transpose1d", "conv_transpose2d", "unfold_f", "fold", "interpolate",
    "pixel_shuffle", "adaptive_max_pool1d", "adaptive_max_pool2d", "lp_pool1d", "lp_pool2d",
]  # fmt: skip
NEW_GROUPS = [
    (ACTIVATIONS, 0.05),
    (JOINS, 0.05),
    (CONTRACTIONS, 0.06),
    (LOSSES, 0.04),
    (RESAMPLING, 0.06),
]
GROUPS += NEW_GROUPS
# in-place ops recorded in grad mode (``inplace_grad``): rare, but most of the draws with
# ``TG_GRAPH_FOCUS=inplace``
FOCUS_INPLACE = os.environ.get("TG_GRAPH_FOCUS") == "inplace"
GROUPS.append((["inplace_grad"], 1.2 if FOCUS_INPLACE else 0.01))
NEW_OPS = {op for group, _ in NEW_GROUPS for op in group}
MAX_POOLS = ("max_pool1d", "max_pool2d", "adaptive_max_pool1d", "adaptive_max_pool2d")
OPS |= NEW_OPS | {"inplace_grad"}


def _apply_new(lib: Any, op: str, xs: list[Any], c: dict[str, Any]) -> Any:
    """One step of the s17 ops (``c``: the parameters, gathered already)."""
    F = lib.nn.functional if lib.__name__ == "torch" else lib.functional
    x = xs[0]
    raw = c.pop("raw", False)
    if "lift" in c:  # size-1 dims in front, so that a value of fewer dims fits the op
        x = x.reshape(c.pop("lift"))
    if op in ("hardshrink", "softshrink", "tanhshrink", "glu"):
        return getattr(F, op)(x, **c)
    if op in ("fmax", "fmin"):
        return getattr(x, op)(xs[1])
    if op == "msort":
        return x.msort()
    if op in ("hstack", "vstack", "dstack", "column_stack"):
        return getattr(lib, op)(xs)
    if op == "block_diag":
        return lib.block_diag(*xs)
    if op == "cartesian_prod":  # (a few entries of each: the product grows fast)
        return lib.cartesian_prod(*(t.flatten()[:3] for t in xs))
    if op == "combinations":
        return lib.combinations(x.flatten()[:5], **c)
    if op in ("diag_embed", "diagflat", "select"):
        return getattr(x, op)(**c)
    if op == "new":  # a new tensor of x's dtype from data (no gradient)
        return x.new(c["data"])
    if op == "histogramdd":  # values only: no gradient in torch
        points = x.detach().reshape(-1, c.pop("D"))
        weight = c.pop("weight", None)
        weight = None if weight is None else weight.detach()
        hist, edges = lib.histogramdd(points, weight=weight, **c)
        return (hist, *edges)
    if op == "einsum":
        return lib.einsum(c["equation"], x, *c.get("others", []))
    if op == "tensordot":
        return lib.tensordot(x, c["other"], dims=c["dims"])
    if op == "cdist":
        return lib.cdist(x, c["other"], p=c["p"])
    if op == "dist":
        return x.dist(xs[1] if len(xs) > 1 else c["other"], p=c["p"])
    if op == "vdot":
        return x.flatten().vdot(c["other"])
    if op in ("baddbmm", "addbmm"):
        return getattr(x, op)(c["batch1"], c["batch2"], beta=c["beta"], alpha=c["alpha"])
    if op == "bilinear":
        return F.bilinear(x, c["x2"], c["weight"], c.get("bias"))
    if op in LOSSES:
        args = [x, *c.pop("args")]
        if op == "kl_div" and not c.get("log_target") and not raw:
            args[1] = _positive(lib, args[1])
        if op == "poisson_nll_loss" and not c["log_input"] and not raw:
            args[0] = _positive(lib, x)
        if op == "gaussian_nll_loss" and not raw:
            args[2] = _positive(lib, args[2])
        if c.pop("low", False):  # torch's positional form, the reduction an int
            reduction = ["none", "mean", "sum"].index(c.pop("reduction"))
            if op == "kl_div":
                return lib.kl_div(*args, reduction, log_target=c["log_target"])
            if op == "poisson_nll_loss":
                return lib.poisson_nll_loss(*args, c["log_input"], c["full"], 1e-8, reduction)
            if op == "triplet_margin_loss":
                return lib.triplet_margin_loss(
                    *args, c["margin"], c["p"], 1e-6, c["swap"], reduction
                )
            return getattr(lib, op)(*args, c["margin"], reduction)
        return getattr(F, op)(*args, **c)
    if op == "fold":
        return F.fold(c.pop("input"), **c)
    if op in ("conv3d", "conv_transpose1d", "conv_transpose2d", "pixel_shuffle"):
        return getattr(F, op)(x, **c)
    if op == "unfold_f":
        return F.unfold(x, **c)
    if op == "interpolate":
        return F.interpolate(x, **c)
    if op in ("adaptive_max_pool1d", "adaptive_max_pool2d"):
        out = getattr(F, op)(x, **c)
        return tuple(out) if c.get("return_indices") else out
    if op in ("lp_pool1d", "lp_pool2d"):
        return getattr(F, op)(x, **c)
    raise AssertionError(op)


def _letters(rng: np.random.Generator, sa: Shape, bad: bool) -> tuple[str, str, dict[str, int]]:
    """Subscripts for an operand of shape ``sa``: an ellipsis over its leading dims (sometimes),
    a letter per other dim, repeated where two dims have one size (sometimes)."""
    lead = int(rng.integers(0, len(sa) + 1)) if rng.random() < 0.3 else -1
    sizes: dict[str, int] = {}
    subs = "..." if lead >= 0 else ""
    for s in sa[max(lead, 0) :]:
        same = [k for k, v in sizes.items() if v == s]
        if same and rng.random() < 0.3:
            subs += str(rng.choice(same))
            continue
        k = "abcdefgh"[len(sizes)]
        sizes[k] = s + (1 if bad and same else 0)
        subs += k
    return subs, subs.replace("...", ""), sizes


def _draw_einsum(
    rng: np.random.Generator,
    sa: Shape,
    shapes: list[Shape | None],
    floats: list[int],
    bad: bool,
    refs: list[int],
) -> dict[str, Any]:
    subs, _, sizes = _letters(rng, sa, False)
    ell = sa[: len(sa) - len(subs.replace("...", ""))] if "..." in subs else ()
    terms, others = [subs], []
    used = dict(sizes)
    for _ in range(int(rng.integers(0, 3))):  # more operands: old letters and new ones
        own = ""
        shape: list[int] = []
        if ell and rng.random() < 0.5:  # its ellipsis: the first's, or a suffix of it
            cut = int(rng.integers(0, len(ell) + 1))
            own, shape = "...", [int(rng.choice([1, s])) for s in ell[cut:]]
        for _ in range(int(rng.integers(0, 3))):
            if used and rng.random() < 0.6:
                k = str(rng.choice(list(used)))
            else:
                k = "abcdefgh"[len(used)] if len(used) < 8 else "a"
                used.setdefault(k, int(rng.integers(0, 4)))
            own += k
            shape.append(used[k] + (1 if bad else 0))
        terms.append(own)
        others.append(_param(rng, shapes, floats, refs, tuple(shape)))
    eq = ",".join(terms)
    if rng.random() < 0.7:  # an explicit output: distinct letters that appear
        letters = sorted(set(eq) - {".", ","})
        out = [k for k in letters if rng.random() < 0.5]
        rng.shuffle(out)
        lead = "..." if "..." in eq and rng.random() < 0.8 else ""
        eq += "->" + lead + "".join(out) + ("z" if bad else "")
    return {"equation": eq, "others": others}


def _draw_new(
    rng: np.random.Generator,
    op: str,
    a: int,
    shapes: list[Shape | None],
    floats: list[int],
    bad: bool,
    pick: Pick,
    dim: Callable[..., int],
    broadcasts: Callable[[Shape, Shape], bool],
) -> tuple[str, list[int], dict[str, Any]]:
    sa: Shape = shapes[a]  # type: ignore[assignment]
    nd = len(sa)
    n = int(np.prod(sa))
    refs = [a]
    p: dict[str, Any] = {"raw": True} if bad else {}

    def param(shape: Any) -> Any:
        return _param(rng, shapes, floats, refs, tuple(int(s) for s in shape))

    def same_shape(k: int) -> list[int]:
        """``a`` and up to ``k`` more values of its shape."""
        more = [pick(rng, floats, lambda i: shapes[i] == sa) for _ in range(int(rng.integers(k)))]
        return [a, *(b for b in more if b is not None)]

    if op in ("hardshrink", "softshrink"):
        return op, refs, {"lambd": float(rng.choice([0.5, 0.25, 1.0]) * (-1 if bad else 1))}
    if op == "tanhshrink":
        return op, refs, {}
    if op == "glu":
        d = dim(rng, nd, bad)
        if not bad and (nd == 0 or sa[d % nd] % 2):
            return "tanhshrink", refs, {}
        return op, refs, {"dim": d}
    if op in ("fmax", "fmin"):
        b = pick(rng, floats, None if bad else (lambda i: broadcasts(sa, shapes[i])))  # type: ignore[arg-type]
        return op, [a, b if b is not None else a], {}
    if op == "msort":
        return op, refs, {}
    if op in ("hstack", "vstack", "dstack", "column_stack"):
        return op, same_shape(3), {}
    if op == "block_diag":
        if nd > 2 and not bad:
            return "diagflat", refs, {"offset": 0}
        more = [pick(rng, floats, lambda i: len(shapes[i]) <= 2) for _ in range(2)]  # type: ignore[arg-type]
        return op, [a, *(b for b in more if b is not None)], {}
    if op == "cartesian_prod":
        more = [pick(rng, floats) for _ in range(int(rng.integers(0, 3)))]
        return op, [a, *(b for b in more if b is not None)], {}
    if op == "combinations":
        return (
            op,
            refs,
            {"r": int(rng.integers(0, 4)), "with_replacement": bool(rng.random() < 0.5)},
        )
    if op == "diag_embed":
        if nd == 0:
            return "diagflat", refs, {"offset": 0}
        d1 = int(rng.integers(-nd - 1, nd + 1))
        d2 = int(rng.choice([k for k in range(nd + 1) if k != d1 % (nd + 1)]))
        return op, refs, {"offset": int(rng.integers(-2, 3)), "dim1": d1, "dim2": d1 if bad else d2}
    if op == "diagflat":
        return op, refs, {"offset": int(rng.integers(-2, 3))}
    if op == "select":
        if nd == 0 and not bad:
            return "diagflat", refs, {"offset": 0}
        d = dim(rng, nd, bad)
        size = sa[d % nd] if nd else 0
        if size == 0 and not bad:
            return "diagflat", refs, {"offset": 0}
        return op, refs, {"dim": d, "index": size if bad else int(rng.integers(-size, size))}
    if op == "new":
        return op, refs, {"data": np.round(rng.normal(size=_small_shape(rng)), 3).tolist()}
    if op == "histogramdd":  # n points of D coordinates, D dividing x's size
        if n == 0:
            return "tanhshrink", refs, {}
        D = int(rng.choice([d for d in (1, 2, 3) if n % d == 0]))
        bins: Any = int(rng.integers(1, 5))
        if rng.random() < 0.5:
            bins = [int(b) for b in rng.integers(1, 4, D)]
        q: dict[str, Any] = {"D": D, "bins": bins, "density": bool(rng.random() < 0.3)}
        if rng.random() < 0.3:
            q["range"] = [-1.0 + 0.5 * bad, 1.0 - 0.5 * bad] * D + ([0.0, 1.0] if bad else [])
        if rng.random() < 0.3:
            q["weight"] = param((n // D,))
        return op, refs, q
    if op == "einsum":
        return op, refs, {**p, **_draw_einsum(rng, sa, shapes, floats, bad, refs)}
    if op == "tensordot":
        k = int(rng.integers(0, nd + 1))
        if rng.random() < 0.5:
            shape = [*sa[nd - k :], *rng.integers(0, 3, int(rng.integers(0, 2)))]
            if bad and shape:
                shape[0] += 1
            return op, refs, {"other": param(shape), "dims": k}
        mine = [int(d) for d in rng.permutation(nd)[:k]]
        extra = [int(s) for s in rng.integers(0, 3, int(rng.integers(0, 2)))]
        theirs = [int(d) for d in rng.permutation(k + len(extra))[:k]]
        shape = list(extra) + [0] * k
        order = [d for d in range(k + len(extra)) if d not in theirs]
        for d, m in zip(theirs, mine):
            shape[d] = sa[m] + (1 if bad else 0)
        for d, s in zip(order, extra):
            shape[d] = s
        return op, refs, {"other": param(shape), "dims": (mine, theirs)}
    if op == "cdist":
        lift = {}
        if nd < 2:  # one row
            sa = (1, *sa) if nd else (1, 1)
            nd, lift = 2, {"lift": sa}
        if nd > 3:
            return "tanhshrink", refs, {}
        shape = [*sa[:-2], int(rng.integers(0, 4)), sa[-1] + (1 if bad else 0)]
        p_norm = float(rng.choice([1.0, 2.0, 3.0, np.inf]))
        return op, refs, {**lift, "other": param(shape), "p": p_norm}
    if op == "dist":
        p = {"p": float(rng.choice([1.0, 2.0, 3.0, np.inf]))}  # not 0 (DIVERGENCES)
        b = pick(rng, floats, None if bad else (lambda i: broadcasts(sa, shapes[i])))  # type: ignore[arg-type]
        if b is not None and rng.random() < 0.6:
            return op, [a, b], p
        return op, refs, {**p, "other": param(sa)}
    if op == "vdot":
        return op, refs, {"other": param((n + (1 if bad else 0),))}
    if op in ("baddbmm", "addbmm"):
        want = 3 if op == "baddbmm" else 2
        if nd > want and not bad:
            return "tanhshrink", refs, {}
        full = [1] * (want - nd) + list(sa)
        full = [s if s != 1 else int(rng.integers(1, 3)) for s in full]
        if op == "addbmm":
            full = [int(rng.integers(0, 3)), *full]
        m = int(rng.integers(0, 3))
        return (
            op,
            refs,
            {
                "batch1": param((full[0], full[1], m)),
                "batch2": param((full[0], m + (1 if bad else 0), full[2])),
                "beta": float(rng.choice([1.0, 0.5, 0.0])),
                "alpha": float(rng.choice([1.0, -2.0])),
            },
        )
    if op == "bilinear":  # (not of 0 features: torch's reshape fails, DIVERGENCES)
        if (nd == 0 or sa[-1] == 0) and not bad:
            return "tanhshrink", refs, {}
        in2, out = int(rng.integers(1, 3)), int(rng.integers(1, 3))
        q = {
            "x2": param((*sa[:-1], in2)),
            "weight": param((out, (sa[-1] if nd else 1) + (1 if bad else 0), in2)),
        }
        if rng.random() < 0.5:
            q["bias"] = param((out,))
        return op, refs, q
    if op in LOSSES:
        return _draw_loss(rng, op, sa, bad, param, refs, p)
    return _draw_resampling(rng, op, sa, bad, param, refs)


def _broadcast(a: Shape, b: Shape) -> bool:
    try:
        np.broadcast_shapes(a, b)
    except ValueError:
        return False
    return True


def _signs(rng: np.random.Generator, shape: Any) -> Any:
    return ("t", rng.choice([-1.0, 1.0], tuple(int(s) for s in shape)))


def _draw_loss(
    rng: np.random.Generator,
    op: str,
    sa: Shape,
    bad: bool,
    param: Callable[[Any], Any],
    refs: list[int],
    p: dict[str, Any],
) -> tuple[str, list[int], dict[str, Any]]:
    nd = len(sa)
    p["reduction"] = str(rng.choice(["mean", "sum", "none"]))
    wrong = (*sa, 2) if bad else sa
    # torch's low-level form (tg.kl_div, …) of all but two, with an int reduction
    # (of the input's shape: torch's low-level forms broadcast another; seeds 305, 1318 of s18)
    low = op not in ("multilabel_soft_margin_loss", "gaussian_nll_loss") and rng.random() < 0.3
    if low and not bad:
        p["low"] = True
    if op == "kl_div":  # a target of log-probabilities or (made positive) probabilities
        if bad and _broadcast(sa, wrong):  # torch broadcasts it: refused here (DIVERGENCES)
            return "tanhshrink", refs, {}
        p.update(args=[param(wrong)], log_target=bool(rng.random() < 0.5))
        if not p.get("low") and rng.random() < 0.3:
            p["reduction"] = "batchmean"
        return op, refs, p
    if op in ("cosine_embedding_loss", "triplet_margin_loss"):
        if nd not in (1, 2) and not bad:
            return "tanhshrink", refs, {}
        if op == "cosine_embedding_loss":
            p.update(args=[param(wrong), _signs(rng, sa[:-1])], margin=float(rng.choice([0, 0.3])))
            return op, refs, p
        p.update(args=[param(wrong), param(sa)], margin=float(rng.choice([1.0, 0.5])))
        p.update(p=float(rng.choice([2.0, 1.0, 3.0])), swap=bool(rng.random() < 0.3))
        return op, refs, p
    if op == "margin_ranking_loss":
        p.update(args=[param(wrong), _signs(rng, sa)], margin=float(rng.choice([0, 0.5])))
        return op, refs, p
    if op == "hinge_embedding_loss":
        p.update(args=[_signs(rng, wrong)], margin=float(rng.choice([1.0, 0.5])))
        return op, refs, p
    if op == "multilabel_soft_margin_loss":
        if nd not in (1, 2) and not bad:
            return "tanhshrink", refs, {}
        p["args"] = [("t", rng.choice([0.0, 1.0], wrong))]
        if rng.random() < 0.3:
            p["weight"] = param(sa[-1:])
        return op, refs, p
    if op == "poisson_nll_loss":
        p["args"] = [("t", rng.integers(0, 4, wrong).astype(float))]
        p.update(log_input=bool(rng.random() < 0.5), full=bool(rng.random() < 0.5))
        return op, refs, p
    # gaussian_nll_loss: a variance of the input's shape, or with one entry in the last dim
    var = list(sa)
    if var and rng.random() < 0.3:
        var[-1] = 1
    p["args"] = [param(wrong), param(var)]
    p.update(full=bool(rng.random() < 0.5), eps=float(rng.choice([1e-6, 0.1])))
    return op, refs, p


def _draw_resampling(
    rng: np.random.Generator,
    op: str,
    sa: Shape,
    bad: bool,
    param: Callable[[Any], Any],
    refs: list[int],
) -> tuple[str, list[int], dict[str, Any]]:
    nd = len(sa)
    spatial = {"conv3d": 3}.get(op, 2 if op.endswith("2d") else 1)
    if op in ("unfold_f", "fold", "interpolate", "pixel_shuffle"):
        spatial = 2
    if op == "fold":  # the input is gathered (it is (C·k₁k₂, L) for the output drawn)
        out = [int(k) for k in rng.integers(1, 5, 2)]
        ks = [int(rng.integers(1, o + 1)) for o in out]
        blocks = int(np.prod([o - k + 1 for o, k in zip(out, ks)]))
        C = int(rng.integers(1, 3))
        shape = (C * ks[0] * ks[1], blocks + (1 if bad else 0))
        if rng.random() < 0.5:
            shape = (int(rng.integers(1, 3)), *shape)
        return op, refs, {"input": param(shape), "output_size": out, "kernel_size": ks}
    lift: dict[str, Any] = {}
    if nd < spatial + 1:
        sa = (1,) * (spatial + 1 - nd) + sa
        nd, lift = len(sa), {"lift": sa}
    if nd > spatial + 2 or 0 in sa[-spatial - 1 :]:
        return "tanhshrink", refs, {}
    op, refs, q = _draw_window(rng, op, sa, spatial, bad, param, refs)
    return op, refs, {**lift, **q}


def _draw_window(
    rng: np.random.Generator,
    op: str,
    sa: Shape,
    spatial: int,
    bad: bool,
    param: Callable[[Any], Any],
    refs: list[int],
) -> tuple[str, list[int], dict[str, Any]]:
    nd = len(sa)
    cin = sa[-spatial - 1]
    if op in ("conv3d", "conv_transpose1d", "conv_transpose2d"):
        divisors = [g for g in range(1, cin + 1) if cin % g == 0]
        groups = int(rng.choice(divisors))
        cout = groups * int(rng.integers(1, 3))
        ks = tuple(int(k) for k in rng.integers(1, 3, spatial))
        q: dict[str, Any] = {"groups": groups, "dilation": int(rng.choice([1, 1, 2]))}
        q["stride"] = int(rng.integers(1, 3))
        q["padding"] = int(rng.integers(0, 2))
        if op == "conv3d":
            q["weight"] = param((cout, cin // groups + bad, *ks))
        else:
            q["weight"] = param((cin + bad, cout // groups, *ks))
            limit = max(q["stride"], q["dilation"])
            q["output_padding"] = int(rng.integers(0, limit + (1 if bad else 0)))
        if rng.random() < 0.5:
            q["bias"] = param((cout,))
        return op, refs, q
    if op == "unfold_f":
        k = [int(rng.integers(1, 3)), int(rng.integers(1, 3))]
        q = {
            "kernel_size": k,
            "dilation": int(rng.choice([1, 2])),
            "padding": int(rng.integers(0, 2)),
        }
        q["stride"] = int(rng.integers(1, 3))
        if bad:
            q["kernel_size"] = [s + 3 for s in sa[-2:]]
        return op, refs, q
    if op == "pixel_shuffle":
        r = [k for k in (1, 2) if cin % (k * k) == 0]
        return op, refs, {"upscale_factor": int(rng.choice(r)) + (1 if bad else 0)}
    if op == "interpolate":
        modes = ["nearest", "nearest-exact", "area"]
        if nd == 3 and not bad:
            modes.append("linear")
        elif nd == 4:
            modes += ["bilinear", "bicubic"]
        q = {"mode": str(rng.choice(modes))}
        k = nd - 2
        if rng.random() < 0.5:
            size = [int(s) for s in rng.integers(1, 5, k)]
            q["size"] = size[0] if k == 1 and rng.random() < 0.5 else size
        else:
            q["scale_factor"] = float(rng.choice([0.5, 1.5, 2.0, 3.0]))
            if q["mode"] != "area" and rng.random() < 0.3:
                q["recompute_scale_factor"] = True
        if q["mode"] in ("linear", "bilinear", "bicubic"):
            q["align_corners"] = bool(rng.random() < 0.5)
        if bad:
            q["size"] = 2
            q["scale_factor"] = 2.0
        return op, refs, q
    if op.startswith("adaptive"):
        size = [int(k) for k in rng.integers(1, 4, spatial)]
        return op, refs, {"output_size": size if spatial == 2 else size[0],
                          "return_indices": bool(rng.random() < 0.4)}  # fmt: skip
    # lp pools
    k = int(rng.integers(1, 4))
    q = {"norm_type": float(rng.choice([1.0, 2.0, 3.0])), "kernel_size": k + (9 if bad else 0)}
    if rng.random() < 0.6:
        q["stride"] = int(rng.integers(1, 3))
    q["ceil_mode"] = bool(rng.random() < 0.3)
    return op, refs, q


# ----------------------------------------------------------------------------- in place, recorded

# An in-place op in grad mode on an earlier value ``x`` (mostly a non-leaf) or on a view of it,
# recorded as torch records it (the new history of x is CopySlices where a view was written,
# every live view of x is remade); later steps read x, the view, the other views of x made by
# earlier steps and the values that saved x's old data (backward must then refuse them, at the
# same place in both libraries). The step's outputs are the view written (if any) and x.
IP_UNARY = ["relu_", "sigmoid_", "tanh_", "exp_", "clamp_", "zero_", "fill_"]
IP_BINARY = ["add_", "sub_", "mul_", "div_", "copy_", "masked_fill_", "setitem"]
IP_ACTS = ["relu", "leaky_relu", "elu", "hardtanh", "threshold"]
IP_VIEWS = ["getitem", "select", "T", "reshape", "diagonal", "unsqueeze", "mT", "transpose"]


def _ip_view(x: Any, v: tuple[Any, ...]) -> Any:
    """The view ``v`` of x (a numpy array works too, to learn its shape)."""
    kind = v[0]
    if kind == "getitem":
        return x[v[1]]
    if kind == "select":
        return x[(slice(None),) * v[1] + (v[2],)]
    if kind == "T":
        return x.T
    if kind == "mT":
        return x.swapaxes(-2, -1) if isinstance(x, np.ndarray) else x.mT
    if kind == "transpose":
        return x.swapaxes(v[1], v[2]) if isinstance(x, np.ndarray) else x.transpose(v[1], v[2])
    if kind == "reshape":
        return x.reshape(v[1])
    if kind == "diagonal":
        if isinstance(x, np.ndarray):
            return np.diagonal(x, v[1], v[2], v[3])
        return x.diagonal(offset=v[1], dim1=v[2], dim2=v[3])
    if isinstance(x, np.ndarray):  # unsqueeze
        return np.expand_dims(x, v[1])
    return x.unsqueeze(v[1])


class ReshapeCopies(Exception):
    """A write through a ``reshape`` that is a copy here where torch's is a view: numpy's
    layout of the tensor differs from torch's (a conv's output is channels-last here), and
    whether reshape views or copies is unspecified (see DIVERGENCES). The case is skipped."""


def _inplace_grad(lib: Any, xs: list[Any], c: dict[str, Any]) -> Any:
    x = xs[0]
    t = _ip_view(x, c["view"]) if c["view"] else x
    if c["view"] and c["view"][0] == "reshape" and lib.__name__ != "torch" and t._base is None:
        raise ReshapeCopies(f"reshape {tuple(x.shape)} -> {c['view'][1]}")
    kind = c["kind"]
    other = c.get("value")
    if "other" in c:  # a value of the pool (made positive for a division)
        other = xs[1] if kind != "div_" else xs[1].abs() + 0.5
    F = lib.nn.functional if lib.__name__ == "torch" else lib.functional
    if kind in ("add_", "sub_") and "alpha" in c:
        getattr(t, kind)(other, alpha=c["alpha"])
    elif kind in ("add_", "sub_", "mul_", "div_", "copy_", "fill_"):
        getattr(t, kind)(other)
    elif kind in ("relu_", "sigmoid_", "tanh_", "exp_", "zero_"):
        getattr(t, kind)()
    elif kind == "clamp_":
        t.clamp_(c["lo"], c["hi"])
    elif kind == "masked_fill_":
        t.masked_fill_(c["mask"] if "mask" in c else xs[1] > 0, c["v"])
    elif kind == "setitem":
        t[c["index"]] = other
    else:  # an activation with inplace=True (F.relu, ...)
        getattr(F, kind)(t, **c["args"], inplace=True)
    return (t, x) if c["view"] else x


def _basic_index(rng: np.random.Generator, shape: Shape) -> tuple[Any, ...]:
    """A basic index of ``shape`` (ints, slices with a step, None): its result is a view."""
    parts: list[Any] = []
    for s in shape[: int(rng.integers(0, len(shape) + 1))]:
        r = rng.random()
        if r < 0.1:
            parts.append(None)
        if s > 0 and r < 0.35:
            parts.append(int(rng.integers(-s, s)))
        else:
            start = int(rng.integers(-s, s + 1)) if rng.random() < 0.5 else None
            stop = int(rng.integers(-s, s + 1)) if rng.random() < 0.5 else None
            parts.append(slice(start, stop, int(rng.choice([1, 1, 2]))))
    if rng.random() < 0.15:
        parts.append(Ellipsis)
    return tuple(parts)


def _draw_ip_view(rng: np.random.Generator, sa: Shape) -> tuple[Any, ...] | None:
    nd = len(sa)
    kinds = ["getitem", "reshape", "unsqueeze"]
    if nd >= 1 and sa[0] > 0:
        kinds.append("select")
    if nd <= 2:
        kinds.append("T")
    if nd >= 2:
        kinds += ["diagonal", "mT", "transpose"]
    if rng.random() < 0.35:
        return None
    kind = str(rng.choice(kinds))
    if kind == "getitem":
        return (kind, _basic_index(rng, sa))
    if kind == "select":
        d = int(rng.choice([d for d in range(nd) if sa[d] > 0]))
        return (kind, d, int(rng.integers(-sa[d], sa[d])))
    if kind == "reshape":
        n = int(np.prod(sa))
        dims = [n] if n else [0]
        if n > 1 and rng.random() < 0.7:
            d = int(rng.choice([k for k in range(1, n + 1) if n % k == 0]))
            dims = [d, n // d]
        if rng.random() < 0.3:
            dims.insert(int(rng.integers(len(dims) + 1)), 1)
        return (kind, tuple(dims))
    if kind == "diagonal":
        d1, d2 = (int(d) for d in rng.choice(nd, 2, replace=False))
        return (kind, int(rng.integers(-1, 2)), d1, d2)
    if kind == "transpose":
        return (kind, int(rng.integers(-nd, nd)), int(rng.integers(-nd, nd)))
    if kind == "unsqueeze":
        return (kind, int(rng.integers(-nd - 1, nd + 1)))
    return (kind,)


def _draw_inplace_grad(
    rng: np.random.Generator,
    a: int,
    shapes: list[Shape | None],
    floats: list[int],
    bad: bool,
    pick: Pick,
    broadcasts: Callable[[Shape, Shape], bool],
) -> tuple[str, list[int], dict[str, Any]]:
    later = [i for i in floats if i >= 3]  # (the leaves are among the first three values)
    if later and rng.random() < 0.9:
        a = pick(rng, later)  # type: ignore[assignment]
    sa: Shape = shapes[a]  # type: ignore[assignment]
    view = _draw_ip_view(rng, sa)
    st: Shape = _ip_view(np.empty(sa), view).shape if view else sa
    refs = [a]
    kind = str(rng.choice([*IP_UNARY, *IP_BINARY, "act"], p=[0.07] * 7 + [0.06] * 7 + [0.09]))
    p: dict[str, Any] = {"view": view, "kind": kind}

    def fits(i: int) -> bool:  # broadcasts to the written shape (or, ``bad``, any shape)
        s = shapes[i]
        return s is not None and (bad or (broadcasts(st, s) and np.broadcast_shapes(st, s) == st))

    if kind in ("add_", "sub_", "mul_", "div_", "copy_", "masked_fill_", "setitem", "fill_"):
        b = pick(rng, floats, fits) if kind != "fill_" else None
        if b is not None and (kind in ("copy_", "masked_fill_") or rng.random() < 0.6):
            refs.append(b)
            p["other"] = True
        if "other" not in p and kind != "masked_fill_":
            p["value"] = float(rng.choice([0.5, -2.0, 3.0]))
        if kind == "copy_" and "other" not in p:
            p["value"] = ("t", rng.uniform(-2, 2, st))
        if kind in ("add_", "sub_") and rng.random() < 0.4:
            p["alpha"] = float(rng.choice([2.0, -0.5]))
        if kind == "masked_fill_":
            p["v"] = float(rng.choice([0.5, -1.0]))
            if "other" not in p:
                p["mask"] = ("t", rng.random(st) < 0.5)
        if kind == "setitem":
            p["index"] = _basic_index(rng, st)
            if "other" in p and not bad:  # the value broadcasts to the places written
                sw = np.empty(st)[p["index"]].shape
                if not (broadcasts(sw, shapes[b]) and np.broadcast_shapes(sw, shapes[b]) == sw):  # type: ignore[arg-type]
                    del p["other"]
                    refs.pop()
                    p["value"] = 1.5
    elif kind == "clamp_":
        lo, hi = sorted(rng.uniform(-1.5, 1.5, 2).round(3).tolist())
        p.update(lo=lo, hi=hi)
    elif kind == "act":
        p["kind"] = act = str(rng.choice(IP_ACTS))
        p["args"] = {
            "relu": {},
            "leaky_relu": {"negative_slope": 0.2},
            "elu": {"alpha": 0.5},
            "hardtanh": {"min_val": -0.5, "max_val": 1.0},
            "threshold": {"threshold": 0.1, "value": -1.0},
        }[act]
    return "inplace_grad", refs, p

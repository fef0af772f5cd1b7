"""The functional API no fuzzer drew before session 27, for the graph fuzzer
(tests/test_graph_fuzz_torch.py), drawn (``draw``) and applied (``apply``) as
``_graph_fuzz_s18``'s: the activations ``selu``, ``celu``, ``relu6``, ``hardsigmoid``,
``hardswish``, ``softmin``; the distances ``normalize``, ``cosine_similarity``, ``pdist``; the
losses ``binary_cross_entropy`` (of a probability made inside the program, a target that may
require grad, a weight), ``huber_loss``, ``soft_margin_loss``, ``multi_margin_loss``,
``multilabel_margin_loss`` and ``triplet_margin_with_distance_loss`` (torch's default distance or
a cosine one); and the matrix products ``bmm``, ``mv``, ``addmm``, ``kron``, ``trace``. A value of
other dims is reshaped to the dims an op takes (``lift``). Rarely an argument torch refuses: a
dim out of range, a weight that requires grad, a class out of range, sizes that do not multiply.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import _graph_fuzz_more as more
import numpy as np

Shape = tuple[int, ...]

ACTIVATIONS = ["selu", "celu", "relu6", "hardsigmoid", "hardswish", "softmin"]
DISTANCES = ["normalize", "cosine_similarity", "pdist"]
LOSSES = [
    "binary_cross_entropy", "huber_loss", "soft_margin_loss", "multi_margin_loss",
    "multilabel_margin_loss", "triplet_margin_with_distance_loss",
]  # fmt: skip
PRODUCTS = ["bmm", "mv", "addmm", "kron", "trace"]
GROUPS = [(ACTIVATIONS, 0.03), (DISTANCES, 0.02), (LOSSES, 0.03), (PRODUCTS, 0.02)]
OPS = {op for group, _ in GROUPS for op in group}
# where each activation's derivative jumps
KINKS = {"relu6": (0.0, 6.0), "hardsigmoid": (-3.0, 3.0), "hardswish": (-3.0, 3.0)}


def focus(group: list[str], mode: str | None) -> int:
    """How many times as often a group is drawn in a focus mode (``TG_GRAPH_FOCUS=s27``)."""
    return 10 if mode == "s27" else 1


# ----------------------------------------------------------------------------- applying


def apply(lib: Any, op: str, xs: list[Any], c: dict[str, Any]) -> Any:
    """One step of these ops (``c``: the parameters, constants already tensors)."""
    F = lib.nn.functional if lib.__name__ == "torch" else lib.functional
    c = {k: more._get(lib, xs, v) for k, v in c.items()}
    x = xs[0].reshape(c.pop("lift")) if "lift" in c else xs[0]
    if op == "hardsigmoid" and lib.__name__ == "torch":  # (its kernel's x̄ is off, DIVERGENCES)
        return F.relu6(x + 3) / 6
    if op in ("selu", "relu6", "hardsigmoid", "hardswish"):
        return getattr(F, op)(x)
    if op in ("celu", "softmin", "normalize", "pdist"):
        return getattr(F, op)(x, **c)
    if op == "cosine_similarity":
        return F.cosine_similarity(x, c.pop("other"), **c)
    if op == "binary_cross_entropy":  # a probability in (0.01, 0.99) made from x
        target = c.pop("target")
        target = target.sigmoid() if c.pop("soft") else target
        return F.binary_cross_entropy(x.sigmoid() * 0.98 + 0.01, target, **c)
    if op == "soft_margin_loss" and lib.__name__ == "torch":
        z = -c["target"] * x  # (torch's log1p(exp(z)) overflows past 709: DIVERGENCES)
        if z.numel() and float(z.detach().max()) > 700:
            losses = lib.logaddexp(lib.zeros_like(z), z)
            reduction = c.get("reduction", "mean")
            return losses if reduction == "none" else getattr(losses, reduction)()
    if op in ("huber_loss", "soft_margin_loss", "multi_margin_loss", "multilabel_margin_loss"):
        return getattr(F, op)(x, c.pop("target"), **c)
    if op == "triplet_margin_with_distance_loss":
        positive, negative = c.pop("positive"), c.pop("negative")
        if c.pop("cosine"):
            c["distance_function"] = lambda a, b: 1.0 - F.cosine_similarity(a, b, dim=-1)
        return F.triplet_margin_with_distance_loss(x, positive, negative, **c)
    if op == "bmm":
        return x.bmm(c["other"])
    if op == "mv":
        return x.mv(c["other"])
    if op == "addmm":
        return lib.addmm(c["input"], x, c["other"], beta=c["beta"], alpha=c["alpha"])
    if op == "kron":  # (torch's refuses x of strides not its own: DIVERGENCES)
        if lib.__name__ == "torch":
            x = x.clone(memory_format=lib.contiguous_format)
        return lib.kron(x, c["other"])
    if op == "trace":
        return x.trace()
    raise AssertionError(op)


# ----------------------------------------------------------------------------- drawing


def _matrix(sa: Shape) -> Shape:
    """The (rows, columns) a value of shape ``sa`` is viewed as: its last dim the columns."""
    cols = sa[-1] if sa else 1
    return (int(np.prod(sa)) // cols if cols else (int(np.prod(sa[:-1])) if sa else 1), cols)


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
    nd = len(sa)
    refs = [a]
    p: dict[str, Any] = {}

    def param(shape: Any) -> Any:
        return more._param(rng, shapes, floats, refs, tuple(int(s) for s in shape))

    def rows() -> Shape:
        """sa, or sa as a matrix where the op takes 1 or 2 dims."""
        if nd in (1, 2):
            return sa
        shape = _matrix(sa)
        p["lift"] = shape
        return shape

    if op in ("selu", "relu6", "hardsigmoid", "hardswish"):
        return op, refs, p
    if op == "celu":
        return op, refs, {"alpha": float(rng.choice([1.0, 0.5, 2.0]))}
    if op == "softmin":
        return op, refs, {"dim": dim(rng, nd, bad)}
    if op == "normalize":
        p.update(p=float(rng.choice([2.0, 1.0, 3.0])), dim=dim(rng, nd, bad))
        p["eps"] = float(rng.choice([1e-12, 0.1]))
        return op, refs, p
    if op == "cosine_similarity":  # (x₂ broadcast against x, or of x's shape)
        other = list(sa)
        if other and rng.random() < 0.3:
            other[int(rng.integers(len(other)))] = 1
        p.update(other=param(other), dim=dim(rng, nd, bad))
        p["eps"] = float(rng.choice([1e-8, 0.1]))
        return op, refs, p
    if op == "pdist":
        shape = _matrix(sa)
        p["lift"] = (*shape, 1) if bad else shape
        p["p"] = float(rng.choice([2.0, 1.0, 3.0, 0.5]))
        return op, refs, p
    if op in LOSSES:
        return _draw_loss(rng, op, sa, bad, param, rows, refs, p)
    if op == "bmm":
        m = sa if nd == 3 else (1, *_matrix(sa))
        if nd != 3:
            p["lift"] = m
        k = int(rng.integers(0, 4))
        p["other"] = param((m[0], m[2] + (1 if bad else 0), k))
        return op, refs, p
    if op in ("mv", "addmm"):
        m = _matrix(sa)
        if nd != 2:
            p["lift"] = m
        if op == "mv":
            p["other"] = param((m[1] + (1 if bad else 0),))
            return op, refs, p
        k = int(rng.integers(0, 4))
        p["other"] = param((m[1] + (1 if bad else 0), k))
        out = [(m[0], k), (k,), (1, k), (m[0], 1), ()][rng.integers(5)]
        p["input"] = param(out)
        p.update(beta=float(rng.choice([1.0, 0.0, 0.5])), alpha=float(rng.choice([1.0, -2.0])))
        return op, refs, p
    if op == "kron":
        other = tuple(int(s) for s in rng.integers(1, 3, int(rng.integers(0, 3))))
        p["other"] = param(other)
        return op, refs, p
    # trace: of a matrix (bad: of a value of another number of dims, as it is)
    if nd != 2 and not bad:
        p["lift"] = _matrix(sa)
    return op, refs, p


def _draw_loss(
    rng: np.random.Generator,
    op: str,
    sa: Shape,
    bad: bool,
    param: Callable[[Any], Any],
    rows: Callable[[], Shape],
    refs: list[int],
    p: dict[str, Any],
) -> tuple[str, list[int], dict[str, Any]]:
    p["reduction"] = str(rng.choice(["mean", "sum", "none"]))

    def wrong(shape: Shape) -> Shape:
        """Of ``shape``, or (bad) of one it does not broadcast with: torch broadcasts a target
        of another shape that does, with a warning, refused here (see DIVERGENCES)."""
        other = (*shape, 3)
        return other if bad and not more._broadcast(shape, other) else shape

    if op == "binary_cross_entropy":
        soft = bool(rng.random() < 0.5)  # a target σ(t) of the pool, or of 0s and 1s
        p["soft"] = soft
        p["target"] = param(sa) if soft else ("t", rng.choice([0.0, 1.0], sa))
        if rng.random() < 0.3:  # (one that requires grad: torch refuses its w̄)
            shape = sa[-1:] if rng.random() < 0.5 else sa
            p["weight"] = param(shape) if bad else ("t", rng.uniform(0.5, 2.0, shape))
        return op, refs, p
    if op == "huber_loss":
        p["target"] = param(wrong(sa))
        p["delta"] = float(rng.choice([1.0, 0.5, 2.0]))
        return op, refs, p
    if op == "soft_margin_loss":
        p["target"] = ("t", rng.choice([-1.0, 1.0], wrong(sa)))
        return op, refs, p
    shape = rows()
    classes = shape[-1]
    if op == "multi_margin_loss":
        if classes == 0:
            return "selu", refs, {}
        if 0 in shape[:-1]:  # torch's mean and sum of no rows are uninitialized (DIVERGENCES)
            p["reduction"] = "none"
        # (bad: a target of a wrong shape; one out of range is an IndexError here, DIVERGENCES)
        p["target"] = ("t", rng.integers(0, classes, (*shape[:-1], 2) if bad else shape[:-1]))
        p.update(p=int(rng.choice([1, 2])), margin=float(rng.choice([1.0, 0.5])))
        if rng.random() < 0.3:
            p["weight"] = param((classes,)) if bad else ("t", rng.uniform(0.5, 2.0, classes))
        return op, refs, p
    if op == "multilabel_margin_loss":  # each row: distinct labels, then −1 and anything
        if classes == 0:
            return "selu", refs, {}
        if 0 in shape[:-1]:  # (as multi_margin_loss's: s28 focus seed 15173, DIVERGENCES)
            p["reduction"] = "none"
        target = np.empty(shape, dtype=np.int64).reshape(-1, classes)
        for row in target:
            k = int(rng.integers(0, classes + 1))
            row[:k] = rng.permutation(classes)[:k]
            row[k:] = rng.integers(-1, classes, classes - k)
            if k < classes:
                row[k] = -1
        if bad and target.size:
            target.flat[0] = classes
        p["target"] = ("t", target.reshape(shape))
        return op, refs, p
    # triplet_margin_with_distance_loss
    p.update(positive=param(shape), negative=param(wrong(shape)))
    p.update(cosine=bool(rng.random() < 0.3), margin=float(rng.choice([1.0, 0.5])))
    p["swap"] = bool(rng.random() < 0.3)
    return op, refs, p


# ----------------------------------------------------------------------------- avoiding


def _value(torch: Any, xs: list[Any], v: Any) -> Any:
    """A parameter of a step as a torch tensor (a constant, or gathered from the pool)."""
    return torch.tensor(v[1]) if v[0] == "t" else more._get(torch, xs, v)


def _noise(d: Any, scale: Any = 1.0) -> bool:
    """Whether some entry of d is within rounding noise of 0 but not 0."""
    return bool(((d != 0) & (d.abs() <= 1e-9 * scale)).any())


def _zero_slice(t: Any, dim: int, below: float = 0.0) -> bool:
    """Whether some slice of t along ``dim`` (a vector whose norm is taken) is all zeros (with
    ``below``: has a norm below it)."""
    if below:
        return t.numel() > 0 and bool((t.norm(dim=dim) < below).any())
    return t.numel() > 0 and bool((t.abs().amax(dim) == 0).any())


def avoided(op: str, xs: list[Any], p: dict[str, Any], out: Any, second: bool) -> bool:
    """Whether a step of these ops would meet a divergence kept (see the main DIVERGENCES)."""
    import torch

    x = xs[0].detach()
    if "lift" in p:
        x = x.reshape(p["lift"])
    # norm's at 0 under a second derivative (see DIVERGENCES); and at any order a zero vector
    # normalized with eps 1e-12, whose x̄ = ḡ/ε multiplies the rounding noise of the gradient
    # of what made it by 1e12 (a frac of x/|x| of one element, whose x̄ is 0: exactly here, an
    # ulp in torch, whose leaf gradient is 2e-5 off its central differences; s27 focus seed
    # 45628)
    if op == "cosine_similarity" or (op == "normalize" and (second or p["eps"] < 1e-6)):
        vs = [x]
        if op == "cosine_similarity":  # (the vectors of x and x₂ broadcast)
            vs = list(torch.broadcast_tensors(x, _value(torch, xs, p["other"]).detach()))
        # and cosine_similarity's vectors near 0 at any order: a slope of 1/max(‖x‖, ε) on
        # their rounding noise (see DIVERGENCES)
        below = 1e-3 if op == "cosine_similarity" else 0.0
        if any(_zero_slice(t.reshape(1) if t.ndim == 0 else t, p["dim"], below) for t in vs):
            return True
    if op == "triplet_margin_with_distance_loss" and second and p["cosine"]:  # the same
        vs = [x, _value(torch, xs, p["positive"]), _value(torch, xs, p["negative"])]
        if any(_zero_slice(t.detach(), -1) for t in torch.broadcast_tensors(*vs)):
            return True
    no_second = ("pdist", "multi_margin_loss", "multilabel_margin_loss")
    if op in no_second and second:  # torch has no second derivative (see DIVERGENCES)
        return True
    if op == "pdist" and p["lift"][0] == 0:  # torch's backward crashes (see DIVERGENCES)
        return True
    if op in ("selu", "celu") and second and bool((x == 0).any()):  # as elu's (DIVERGENCES)
        return True
    if op == "soft_margin_loss" and second:  # its torch run beyond 700 is logaddexp's, whose
        z = -_value(torch, xs, p["target"]) * x  # x̿ is nan beyond 709 (the main DIVERGENCES)
        if z.numel() and float(z.abs().max()) > 700:
            return True
    margins = ("multi_margin_loss", "multilabel_margin_loss")
    if op in margins and bool(x.isnan().any()):  # torch's kernel drops a nan (DIVERGENCES)
        return True
    if op in KINKS:  # a kink's side decided by rounding noise
        return any(_noise(x - k, max(1.0, abs(k))) for k in KINKS[op])
    return False

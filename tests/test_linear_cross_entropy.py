"""F.linear_cross_entropy, nn.LinearCrossEntropyLoss and nn.LinearCrossEntropyOptions (torch 2.13).

Checked without torch: the loss is ``cross_entropy(linear(...))`` (torch's reference
implementation) for every shape, target kind and option; its gradients w.r.t. input, weight and
bias are the closed form ``f̄ = softmax(f) − e_y`` pushed through the linear map, and pass
float64 finite differences. Beside torch: values and gradients for every reduction,
``ignore_index`` (None meaning -100), label smoothing, class weights, probability targets and
K-dimensional out_features, against torch's reference path and its chunked path (``options``);
the options' checks and call-time resolution; the errors; and the module's parameters, state
dict, repr and values.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.nn.modules.linear_cross_entropy_options import LinearCrossEntropyOptions
from tinygrad_ed.numgrad import gradcheck
from tinygrad_ed.tensor import Tensor

REDUCTIONS = ["mean", "sum", "none"]


def _case(
    batch: tuple[int, ...], classes: int, out: tuple[int, ...], soft: bool, seed: int = 0
) -> dict[str, np.ndarray]:
    """Float64 input, weight, bias, class weights and a target (labels with a -100, or
    probabilities) for logits of shape (*batch, classes, *out)."""
    rng = np.random.default_rng(seed)
    n_in = 3
    case = {
        "x": rng.normal(size=(*batch, n_in)),
        "w": rng.normal(size=(classes, *out, n_in)),
        "b": rng.normal(size=(classes, *out)),
        "cw": rng.uniform(0.5, 2.0, size=classes),
    }
    if soft:
        logits = rng.normal(size=(*batch, classes, *out))
        e = np.exp(logits - logits.max(axis=len(batch), keepdims=True))
        case["y"] = e / e.sum(axis=len(batch), keepdims=True)
    else:
        y = rng.integers(0, classes, size=(*batch, *out))
        if y.size > 1:
            y.reshape(-1)[1] = -100  # torch's default ignore_index, as None maps it
        case["y"] = y
    return case


SHAPES = [  # batch, classes, out_features, probability targets
    ((5,), 4, (), False),
    ((5,), 4, (), True),
    ((), 4, (), False),
    ((), 4, (), True),
    ((3,), 4, (2,), False),
    ((3,), 3, (2, 2), False),
    ((3,), 4, (2,), True),
]
SHAPE_IDS = [f"b{b}-C{c}-out{o}-{'prob' if s else 'idx'}" for b, c, o, s in SHAPES]


def _options(soft: bool, smoothing: float, weighted: bool) -> list[dict[str, Any]]:
    opts: list[dict[str, Any]] = [{}, {"label_smoothing": smoothing}]
    if weighted:
        opts.append({"weight": "cw"})
    if not soft:
        opts.append({"ignore_index": 1})
    return opts


def _target(case: dict[str, np.ndarray], opts: dict[str, Any]) -> np.ndarray:
    """The case's target; with an explicit ignore_index, the -100 becomes that label (torch
    refuses -100 then, as out of range)."""
    y = case["y"]
    if "ignore_index" in opts:
        y = np.where(y == -100, opts["ignore_index"], y)
    return y


def _kwargs(case: dict[str, np.ndarray], opts: dict[str, Any], lib: Any) -> dict[str, Any]:
    kw = dict(opts)
    if kw.get("weight") == "cw":
        kw["weight"] = lib.tensor(case["cw"])
    return kw


# ----------------------------------------------------------------------------- without torch


@pytest.mark.parametrize("batch, classes, out, soft", SHAPES, ids=SHAPE_IDS)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_the_loss_is_cross_entropy_of_linear(
    batch: tuple[int, ...], classes: int, out: tuple[int, ...], soft: bool, reduction: str
) -> None:
    case = _case(batch, classes, out, soft)
    x, w, b = tg.tensor(case["x"]), tg.tensor(case["w"]), tg.tensor(case["b"])
    flat_w, flat_b = w.reshape((-1, 3)), b.reshape(-1)
    logits = F.linear(x, flat_w, flat_b).reshape((*batch, classes, *out))
    for opts in _options(soft, 0.2, weighted=True):
        kw = _kwargs(case, opts, tg)
        y = tg.tensor(_target(case, opts))
        got = F.linear_cross_entropy(x, w, y, linear_bias=b, reduction=reduction, **kw)
        # None is torch's -100 for labels; cross_entropy here ignores nothing unless asked
        if not soft and "ignore_index" not in kw:
            kw["ignore_index"] = -100
        want = F.cross_entropy(logits, y, reduction=reduction, **kw)
        assert got.shape == want.shape
        np.testing.assert_allclose(
            got.detach().numpy(), want.detach().numpy(), rtol=1e-12, atol=1e-12
        )


def test_the_gradients_are_the_closed_form() -> None:
    """ℓ = mean over kept rows of −log softmax(Wx + b)_y: f̄ = (p − e_y)/n on kept rows, 0 on the
    ignored one; x̄ = f̄ W, W̄ = f̄ᵀ x, b̄ = Σ f̄."""
    case = _case((6,), 4, (), soft=False)
    x = tg.tensor(case["x"], requires_grad=True)
    w = tg.tensor(case["w"], requires_grad=True)
    b = tg.tensor(case["b"], requires_grad=True)
    F.linear_cross_entropy(x, w, tg.tensor(case["y"]), linear_bias=b).backward()
    f = case["x"] @ case["w"].T + case["b"]
    p = np.exp(f - f.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    y = case["y"]
    kept = y != -100
    fbar = p.copy()
    fbar[np.arange(6)[kept], y[kept]] -= 1
    fbar[~kept] = 0
    fbar /= kept.sum()
    assert x.grad is not None and w.grad is not None and b.grad is not None
    np.testing.assert_allclose(x.grad.detach().numpy(), fbar @ case["w"], rtol=1e-12)
    np.testing.assert_allclose(w.grad.detach().numpy(), fbar.T @ case["x"], rtol=1e-12)
    np.testing.assert_allclose(b.grad.detach().numpy(), fbar.sum(0), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("batch, classes, out, soft", SHAPES, ids=SHAPE_IDS)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gradcheck(
    batch: tuple[int, ...], classes: int, out: tuple[int, ...], soft: bool, reduction: str
) -> None:
    case = _case(batch, classes, out, soft, seed=1)
    for opts in _options(soft, 0.3, weighted=True):
        kw = _kwargs(case, opts, tg)
        y = tg.tensor(_target(case, opts))

        def fn(x: Tensor, w: Tensor, b: Tensor, y: Tensor = y, kw: dict[str, Any] = kw) -> Tensor:
            return F.linear_cross_entropy(x, w, y, linear_bias=b, reduction=reduction, **kw)

        assert gradcheck(fn, [case["x"], case["w"], case["b"]])


def test_second_derivatives_and_a_second_backward_with_options() -> None:
    """The reference path: torch's chunked path supports neither, its reference path both."""
    case = _case((4,), 3, (), soft=False)
    w = tg.tensor(case["w"], requires_grad=True)
    x, y = tg.tensor(case["x"]), tg.tensor(case["y"])
    loss = F.linear_cross_entropy(x, w, y, options=LinearCrossEntropyOptions())
    loss.backward(retain_graph=True)
    assert w.grad is not None
    first = w.grad.detach().numpy().copy()
    loss.backward()
    np.testing.assert_allclose(w.grad.detach().numpy(), 2 * first)
    (g,) = tg.autograd.grad(F.linear_cross_entropy(x, w, y), [w], create_graph=True)
    (gg,) = tg.autograd.grad(g.sum(), [w])
    assert gg.shape == w.shape and np.isfinite(gg.detach().numpy()).all()


def test_options_change_no_number_and_are_resolved_at_the_call() -> None:
    case = _case((8,), 5, (), soft=False)
    x, w, y = tg.tensor(case["x"]), tg.tensor(case["w"]), tg.tensor(case["y"])
    for reduction in REDUCTIONS:
        ref = F.linear_cross_entropy(x, w, y, reduction=reduction).detach().numpy()
        for opts in (
            LinearCrossEntropyOptions(),
            LinearCrossEntropyOptions(batch_chunk_size=3),
            LinearCrossEntropyOptions(chunking_method="aspect_ratio:2", acc_policy="accurate"),
            LinearCrossEntropyOptions(batch_chunk_size=4, chunking_method="aspect_ratio"),
        ):
            got = F.linear_cross_entropy(x, w, y, reduction=reduction, options=opts)
            np.testing.assert_array_equal(got.detach().numpy(), ref)
    # aspect_ratio for N=8, in=3, C=5: next_pow2(ceil(8 / ceil(5/3))) = 4, not 3
    clash = LinearCrossEntropyOptions(batch_chunk_size=3, chunking_method="aspect_ratio")
    with pytest.raises(ValueError, match="give different chunk sizes"):
        F.linear_cross_entropy(x, w, y, options=clash)
    with pytest.warns(UserWarning, match="``options`` ignored"):
        F.linear_cross_entropy(x, w, y, label_smoothing=0.1, options=clash)
    with pytest.raises(TypeError, match="LinearCrossEntropyOptions"):
        F.linear_cross_entropy(x, w, y, options={"batch_chunk_size": 2})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"acc_policy": "fast"}, "invalid acc_policy"),
        ({"chunking_method": "aspect_ratio:0"}, "invalid chunking_method"),
        ({"chunking_method": "rows"}, "invalid chunking_method"),
        ({"batch_chunk_size": 0}, "batch_chunk_size must be positive"),
        ({"batch_chunk_size": 2.0}, "batch_chunk_size must be positive"),
        ({"acc_dtype": np.int32}, "acc_dtype must be one of"),
        ({"acc_dtype": "float32"}, "acc_dtype must be one of"),
    ],
)
def test_invalid_options(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        LinearCrossEntropyOptions(**kwargs)
    torch = pytest.importorskip("torch")
    theirs = {
        k: getattr(torch, v.__name__) if isinstance(v, type) else v for k, v in kwargs.items()
    }
    with pytest.raises(ValueError, match=match):
        torch.nn.LinearCrossEntropyOptions(**theirs)


def _error_cases() -> list[tuple[str, dict[str, Any]]]:
    return [
        ("3-d input", {"x": (2, 2, 3), "w": (4, 3)}),
        ("0-d input", {"x": (), "w": (4, 3)}),
        ("1-d weight", {"x": (2, 3), "w": (3,)}),
        ("in_features", {"x": (2, 3), "w": (4, 5)}),
        ("bias shape", {"x": (2, 3), "w": (4, 3), "b": (5,)}),
        ("K-dim bias", {"x": (2, 3), "w": (4, 2, 3), "b": (4,)}),
        ("K-dim unbatched", {"x": (3,), "w": (4, 2, 3), "y": (2,)}),
        ("ignore_index with probabilities", {"x": (2, 3), "w": (4, 3), "y": (2, 4), "ii": 0}),
    ]


@pytest.mark.parametrize("what, shapes", _error_cases(), ids=[c[0] for c in _error_cases()])
def test_errors_name_the_op_and_shapes(what: str, shapes: dict[str, Any]) -> None:
    def call(lib: Any, functional: Any) -> Any:
        x = lib.zeros(shapes["x"], dtype=lib.float64)
        w = lib.zeros(shapes["w"], dtype=lib.float64)
        b = None if "b" not in shapes else lib.zeros(shapes["b"], dtype=lib.float64)
        y = (
            lib.zeros(shapes["y"], dtype=lib.float64)
            if "y" in shapes
            else lib.zeros(shapes["x"][:-1], dtype=lib.int64)
        )
        return functional.linear_cross_entropy(
            x, w, y, linear_bias=b, ignore_index=shapes.get("ii")
        )

    with pytest.raises(RuntimeError, match="linear_cross_entropy") as err:
        call(tg, F)
    if what not in ("ignore_index with probabilities", "3-d input", "0-d input"):
        assert str(shapes["w"]) in str(err.value) or str(shapes["x"]) in str(err.value)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        call(torch, torch.nn.functional)


def test_non_tensor_arguments_are_refused() -> None:
    with pytest.raises(TypeError, match=r"linear_cross_entropy.*'input' must be Tensor"):
        F.linear_cross_entropy(np.zeros((2, 3)), tg.zeros(4, 3), tg.zeros(2, dtype=tg.int64))  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- module


def test_the_module_holds_a_flat_linear_and_reshapes_it() -> None:
    m = nn.LinearCrossEntropyLoss(5, 4, out_features=(3, 2), bias=True, weight=tg.ones(4))
    assert isinstance(m, nn.modules.loss._WeightedLoss) and isinstance(m.linear, nn.Linear)
    assert [(k, v.shape) for k, v in m.named_parameters()] == [
        ("linear.weight", (24, 5)),
        ("linear.bias", (24,)),
    ]
    assert list(m.state_dict()) == ["weight", "linear.weight", "linear.bias"]
    x, y = tg.randn(2, 5), tg.randint(0, 4, (2, 3, 2))
    got = m(x, y)
    w = m.linear.weight.reshape((4, 3, 2, 5))
    assert m.linear.bias is not None
    b = m.linear.bias.reshape((4, 3, 2))
    want = F.linear_cross_entropy(x, w, y, linear_bias=b, weight=m.weight)
    np.testing.assert_allclose(got.detach().numpy(), want.detach().numpy(), rtol=1e-6)
    got.backward()
    assert m.linear.weight.grad is not None and m.linear.weight.grad.shape == (24, 5)
    assert nn.modules.loss.LinearCrossEntropyLoss is nn.LinearCrossEntropyLoss
    assert nn.LinearCrossEntropyOptions is LinearCrossEntropyOptions


def test_the_constructor_refuses_what_torch_refuses() -> None:
    with pytest.raises(RuntimeError, match=r"expected weight shape to be \(4,\), got \(3,\)"):
        nn.LinearCrossEntropyLoss(5, 4, weight=tg.ones(3))
    with pytest.raises(RuntimeError, match="label_smoothing to be in range"):
        nn.LinearCrossEntropyLoss(5, 4, label_smoothing=1.5)
    with pytest.raises(ValueError, match="reduction"):
        nn.LinearCrossEntropyLoss(5, 4, reduction="avg")


# ----------------------------------------------------------------------------- against torch


def _pair(torch: Any, case: dict[str, np.ndarray], kw: dict[str, Any]) -> tuple[Any, ...]:
    """Our and torch's loss and gradients w.r.t. input, weight and bias."""
    results = []
    for lib, functional in ((tg, F), (torch, torch.nn.functional)):
        x = lib.tensor(case["x"], requires_grad=True)
        w = lib.tensor(case["w"], requires_grad=True)
        b = lib.tensor(case["b"], requires_grad=True)
        opts = dict(kw)
        if "options" in opts and lib is torch:
            opts["options"] = torch.nn.LinearCrossEntropyOptions(**opts["options"])
        elif "options" in opts:
            opts["options"] = LinearCrossEntropyOptions(**opts["options"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the options-ignored warning, on both sides
            loss = functional.linear_cross_entropy(
                x, w, lib.tensor(_target(case, opts)), linear_bias=b, **_kwargs(case, opts, lib)
            )
        loss.sum().backward()
        results.append((loss, x.grad, w.grad, b.grad))
    return tuple(results)


@pytest.mark.parametrize("batch, classes, out, soft", SHAPES, ids=SHAPE_IDS)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_values_and_gradients_match_torch(
    batch: tuple[int, ...], classes: int, out: tuple[int, ...], soft: bool, reduction: str
) -> None:
    torch = pytest.importorskip("torch")
    case = _case(batch, classes, out, soft, seed=2)
    variants = _options(soft, 0.15, weighted=True)
    variants += [{**v, "options": {}} for v in variants]  # torch's chunked path where it applies
    variants.append({"options": {"batch_chunk_size": 2}})
    for opts in variants:
        ours, theirs = _pair(torch, case, {**opts, "reduction": reduction})
        for a, t in zip(ours, theirs):
            np.testing.assert_allclose(
                a.detach().numpy(), t.detach().numpy(), rtol=1e-10, atol=1e-12
            )


def test_every_row_ignored_is_nan_with_zero_gradients_as_torchs_reference() -> None:
    """torch's reference path gives zero gradients when 'mean' has no row left; its chunked
    path gives nan ones. Here options never change a number, so both are the reference's."""
    torch = pytest.importorskip("torch")
    case = _case((3,), 4, (), soft=False)
    case["y"] = np.full(3, -100)
    ours, theirs = _pair(torch, case, {})
    ours_opt, theirs_opt = _pair(torch, case, {"options": {}})
    for loss in (ours[0], theirs[0], ours_opt[0], theirs_opt[0]):
        assert np.isnan(loss.detach().numpy())
    for a, b, t, t_opt in zip(ours[1:], ours_opt[1:], theirs[1:], theirs_opt[1:]):
        np.testing.assert_array_equal(a.detach().numpy(), t.detach().numpy())
        np.testing.assert_array_equal(b.detach().numpy(), t.detach().numpy())
        assert (t.detach().numpy() == 0).all() and np.isnan(t_opt.detach().numpy()).all()


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"batch_chunk_size": 3},
        {"batch_chunk_size": 100},
        {"chunking_method": None},
        {"chunking_method": "aspect_ratio"},
        {"chunking_method": "aspect_ratio:3", "acc_policy": "balanced"},
        {"acc_policy": "compact", "acc_dtype": "float32"},
        {"allow_retain_graph": True, "batch_chunk_size": 8, "chunking_method": "aspect_ratio"},
    ],
    ids=repr,
)
@pytest.mark.parametrize("shape", [(8, 3, 5), (33, 4, 50), (1, 16, 3)], ids=str)
def test_adjust_resolves_as_torchs(kwargs: dict[str, Any], shape: tuple[int, int, int]) -> None:
    torch = pytest.importorskip("torch")
    n, n_in, c = shape
    mine = dict(kwargs)
    theirs = dict(kwargs)
    if "acc_dtype" in kwargs:
        mine["acc_dtype"], theirs["acc_dtype"] = tg.float32, torch.float32
    for dtype, tdtype in ((tg.float64, torch.float64), (tg.float16, torch.float16)):
        try:
            want = torch.nn.LinearCrossEntropyOptions(**theirs)._adjust(
                n, n_in, c, tdtype, torch.device("cpu")
            )
        except ValueError as e:
            with pytest.raises(ValueError, match="give different chunk sizes"):
                LinearCrossEntropyOptions(**mine)._adjust(n, n_in, c, dtype, "cpu")
            assert "give different chunk sizes" in str(e)
            continue
        got = LinearCrossEntropyOptions(**mine)._adjust(n, n_in, c, dtype, "cpu")
        for field in ("allow_retain_graph", "batch_chunk_size", "chunking_method", "acc_policy"):
            assert getattr(got, field) == getattr(want, field), field
        assert str(np.dtype(got.acc_dtype)) == str(want.acc_dtype).removeprefix("torch.")


def test_the_module_matches_torchs() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    cw = rng.uniform(0.5, 2.0, size=4)
    kw: dict[str, Any] = {"out_features": (3,), "bias": True, "label_smoothing": 0.1}
    ours = nn.LinearCrossEntropyLoss(5, 4, dtype=tg.float64, weight=tg.tensor(cw), **kw)
    theirs = torch.nn.LinearCrossEntropyLoss(
        5, 4, dtype=torch.float64, weight=torch.tensor(cw), **kw
    )
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    plain = nn.LinearCrossEntropyLoss(5, 4)
    assert repr(plain) == repr(torch.nn.LinearCrossEntropyLoss(5, 4))
    theirs.load_state_dict(
        {k: torch.tensor(v.detach().numpy()) for k, v in ours.state_dict().items()}
    )
    x = rng.normal(size=(6, 5))
    y = rng.integers(0, 4, size=(6, 3))
    y[2, 1] = -100
    for reduction in REDUCTIONS:
        ours.reduction = theirs.reduction = reduction
        xs = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        a = ours(xs[0], tg.tensor(y))
        t = theirs(xs[1], torch.tensor(y))
        np.testing.assert_allclose(a.detach().numpy(), t.detach().numpy(), rtol=1e-12)
        a.sum().backward()
        t.sum().backward()
        np.testing.assert_allclose(
            xs[0].grad.detach().numpy(), xs[1].grad.detach().numpy(), rtol=1e-10
        )  # type: ignore[union-attr]
    np.testing.assert_allclose(
        ours.linear.weight.grad.detach().numpy(),  # type: ignore[union-attr]
        theirs.linear.weight.grad.detach().numpy(),
        rtol=1e-10,
    )

"""PyTorch's own API-reference examples (the ``Examples::`` blocks of torch 2.13's
docstrings), ported by changing the imports only.

Each example is written once, as a function of the library (``L.torch``, ``L.nn``, ``L.F``,
``L.optim``, ``L.sched``), in torch's words; the random tensors of torch's text are numpy draws
passed through ``torch.tensor`` so both libraries see the same data. It runs on tinygrad_ed and
a property that needs no torch is asserted (a closed form, a shape, an invariant); then, where
torch is installed, it runs on torch with tinygrad_ed's initial parameters copied in (``L.w``
wraps every module the example builds) and every returned value (outputs, gradients,
parameters, learning rates) is compared, in float64 to 1e-6 relative unless the example is
float32.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as tg_F
import tinygrad_ed.nn as tg_nn
import tinygrad_ed.optim as tg_optim
import tinygrad_ed.optim.lr_scheduler as tg_sched
from tinygrad_ed.nn.utils import rnn as tg_rnn

rng = np.random.default_rng(2613)


def randn(*shape: int) -> np.ndarray:
    return rng.standard_normal(shape)


@dataclass
class Weights:
    """Wraps each module an example builds. On tinygrad_ed it records them; on torch it loads
    the recorded module's state (same order) into the new one, so both start equal."""

    source: Weights | None = None
    made: list[dict[str, np.ndarray]] = field(default_factory=list)

    def __call__(self, m: Any) -> Any:
        if self.source is not None:
            import torch

            state = self.source.made[len(self.made)]
            m.load_state_dict({k: torch.tensor(v) for k, v in state.items()})
        self.made.append({k: np.array(v.detach().numpy()) for k, v in m.state_dict().items()})
        return m


@dataclass
class Lib:
    torch: Any
    nn: Any
    F: Any
    optim: Any
    sched: Any
    rnn: Any
    w: Weights = field(default_factory=Weights)


def _tg() -> Lib:
    return Lib(tg, tg_nn, tg_F, tg_optim, tg_sched, tg_rnn)


def _torch(source: Weights) -> Lib:
    torch = pytest.importorskip("torch")
    import torch.nn.utils.rnn as rnn

    nn = torch.nn
    return Lib(
        torch, nn, nn.functional, torch.optim, torch.optim.lr_scheduler, rnn, Weights(source)
    )


Example = Callable[[Lib], dict[str, Any]]


def _numpy(v: Any) -> Any:
    if hasattr(v, "detach"):
        return np.array(v.detach().numpy())
    if isinstance(v, (list, tuple)):
        return [_numpy(x) for x in v]
    return v


def _run(example: Example, lib: Lib, dtype: str) -> dict[str, Any]:
    global rng  # the example's draws: the same sequence for both libraries
    rng = np.random.default_rng(26)
    lib.torch.set_default_dtype(getattr(lib.torch, dtype))
    try:
        return {k: _numpy(v) for k, v in example(lib).items()}
    finally:
        lib.torch.set_default_dtype(lib.torch.float32)


def check(example: Example, prop: Callable[[dict[str, Any]], None], dtype: str = "float64") -> None:
    """Run on tinygrad_ed, assert ``prop``, then compare every value with torch's."""
    ours_lib = _tg()
    ours = _run(example, ours_lib, dtype)
    prop(ours)
    theirs = _run(example, _torch(ours_lib.w), dtype)
    assert ours.keys() == theirs.keys()
    for k in ours:
        a, b = np.asarray(ours[k], dtype=float), np.asarray(theirs[k], dtype=float)
        # float32 sums round in another order here: the error scales with the largest value
        tol = (1e-6, 1e-12) if dtype == "float64" else (2e-5, 2e-6 * np.abs(b).max(initial=1))
        np.testing.assert_allclose(a, b, *tol, err_msg=k)


def T(L: Lib, a: Any, requires_grad: bool = False) -> Any:
    """``torch.tensor(a)``: the example's data, the same in both libraries; float data in the
    default dtype, as ``torch.randn`` would draw it."""
    if np.asarray(a).dtype.kind == "f":
        return L.torch.tensor(a, dtype=L.torch.get_default_dtype(), requires_grad=requires_grad)
    return L.torch.tensor(a, requires_grad=requires_grad)


def close(a: Any, b: Any, rtol: float = 1e-10) -> None:
    np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-12)


# ----------------------------------------------------------------------------- containers


X20 = randn(16, 20)


def ex_linear(L: Lib) -> dict[str, Any]:
    m = L.w(L.nn.Linear(20, 30))
    input = T(L, X20, requires_grad=True)
    output = m(input)
    output.sum().backward()
    return {"out": output, "x̄": input.grad, "W̄": m.weight.grad, "b̄": m.bias.grad, "W": m.weight}


def test_linear() -> None:
    def prop(r: dict[str, Any]) -> None:
        assert r["out"].shape == (16, 30)
        close(r["x̄"], np.ones((16, 30)) @ r["W"])  # x̄ = g W
        close(r["W̄"], np.ones((16, 30)).T @ X20)  # W̄ = gᵀ x
        close(r["b̄"], np.full(30, 16.0))

    check(ex_linear, prop)


XIMG = randn(2, 1, 12, 12)


def ex_sequential(L: Lib) -> dict[str, Any]:
    nn = L.nn
    model = L.w(nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU(), nn.Conv2d(20, 64, 5), nn.ReLU()))
    named = L.w(
        nn.Sequential(
            OrderedDict(
                [
                    ("conv1", nn.Conv2d(1, 20, 5)),
                    ("relu1", nn.ReLU()),
                    ("conv2", nn.Conv2d(20, 64, 5)),
                    ("relu2", nn.ReLU()),
                ]
            )
        )
    )
    x = T(L, XIMG)
    keys = list(named.state_dict())
    assert keys == ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias"]
    return {"out": model(x), "named": named(x), "n": len(model)}


def test_sequential() -> None:
    def prop(r: dict[str, Any]) -> None:
        assert r["out"].shape == r["named"].shape == (2, 64, 4, 4) and r["n"] == 4
        assert (r["out"] >= 0).all()

    check(ex_sequential, prop)


def ex_module_list_dict(L: Lib) -> dict[str, Any]:
    nn = L.nn

    class MyModule(nn.Module):  # type: ignore[name-defined, misc]
        def __init__(self) -> None:
            super().__init__()
            self.linears = nn.ModuleList([nn.Linear(10, 10) for i in range(10)])
            self.choices = nn.ModuleDict({"conv": nn.Conv2d(10, 10, 3), "pool": nn.MaxPool2d(3)})
            self.activations = nn.ModuleDict([["lrelu", nn.LeakyReLU()], ["prelu", nn.PReLU()]])

        def forward(self, x: Any) -> Any:
            # ModuleList can act as an iterable, or be indexed using ints
            for i, l in enumerate(self.linears):
                x = self.linears[i // 2](x) + l(x)
            return x

        def forward2(self, x: Any, choice: str, act: str) -> Any:
            return self.activations[act](self.choices[choice](x))

    m = L.w(MyModule())
    x = T(L, randn(4, 10), requires_grad=True)
    out = m(x)
    out.square().sum().backward()
    img = T(L, randn(1, 10, 6, 6))
    return {
        "out": out,
        "x̄": x.grad,
        "W̄0": m.linears[0].weight.grad,
        "conv": m.forward2(img, "conv", "prelu"),
        "pool": m.forward2(img, "pool", "lrelu"),
        "n": len(list(m.parameters())),
    }


def test_module_list_and_module_dict() -> None:
    def prop(r: dict[str, Any]) -> None:
        assert r["out"].shape == (4, 10) and r["n"] == 20 + 2 + 1
        assert r["conv"].shape == (1, 10, 4, 4) and r["pool"].shape == (1, 10, 2, 2)

    check(ex_module_list_dict, prop)


# ----------------------------------------------------------------------------- activations

ACTIVATIONS = [
    "ReLU()",
    "ReLU6()",
    "LeakyReLU(0.1)",
    "PReLU()",
    "ELU()",
    "CELU()",
    "SELU()",
    "GELU()",
    "GELU(approximate='tanh')",
    "SiLU()",
    "Mish()",
    "Sigmoid()",
    "Tanh()",
    "Softplus()",
    "Softsign()",
    "LogSigmoid()",
    "Hardtanh(-2, 2)",
    "Hardsigmoid()",
    "Hardswish()",
    "Threshold(0.1, 20)",
    "Hardshrink()",
    "Softshrink()",
    "Tanhshrink()",
    "GLU()",
    "Softmax(dim=1)",
    "LogSoftmax(dim=1)",
    "Softmin(dim=1)",
]
XACT = randn(2, 4) * 3


@pytest.mark.parametrize("expr", ACTIVATIONS)
def test_activation(expr: str) -> None:
    """torch's pattern for each: ``m = nn.ReLU(); input = torch.randn(2); output = m(input)``;
    the gradient by finite differences here, by torch's own rule there."""

    def ex(L: Lib) -> dict[str, Any]:
        m = L.w(eval(f"L.nn.{expr}"))
        input = T(L, XACT, requires_grad=True)
        output = m(input)
        (output * T(L, np.arange(output.numel()).reshape(output.shape) / 7.0)).sum().backward()
        return {"out": output, "x̄": input.grad}

    def prop(r: dict[str, Any]) -> None:
        m = eval(f"tg_nn.{expr}").double()
        assert tg.autograd.gradcheck(m, (tg.tensor(XACT, requires_grad=True),))

    check(ex, prop)


# ----------------------------------------------------------------------------- losses

LOGITS, LABELS = randn(3, 5), np.array([1, 0, 4])
SOFT = np.exp(randn(3, 5))
SOFT /= SOFT.sum(1, keepdims=True)


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def ex_cross_entropy(L: Lib) -> dict[str, Any]:
    loss = L.nn.CrossEntropyLoss()
    # Example of target with class indices
    input = T(L, LOGITS, requires_grad=True)
    target = T(L, LABELS)
    output = loss(input, target)
    output.backward()
    # Example of target with class probabilities
    input2 = T(L, LOGITS, requires_grad=True)
    target2 = T(L, SOFT)
    output2 = loss(input2, target2)
    output2.backward()
    smooth = L.nn.CrossEntropyLoss(label_smoothing=0.1, weight=T(L, [1.0, 2, 1, 1, 3]))
    return {
        "idx": output,
        "idx x̄": input.grad,
        "prob": output2,
        "prob x̄": input2.grad,
        "sum": target2.sum(dim=1),
        "smooth": smooth(input2, target),
    }


def test_cross_entropy_loss() -> None:
    def prop(r: dict[str, Any]) -> None:
        p = _softmax(LOGITS)
        close(r["idx"], -np.log(p[range(3), LABELS]).mean())
        close(r["prob x̄"], (p - SOFT) / 3)  # ∂ℓ/∂f = (p − t)/N
        close(r["sum"], np.ones(3))

    check(ex_cross_entropy, prop)


def ex_nll(L: Lib) -> dict[str, Any]:
    nn = L.nn
    m = nn.LogSoftmax(dim=1)
    loss = nn.NLLLoss()
    # input to NLLLoss is of size N x C = 3 x 5
    input = T(L, LOGITS, requires_grad=True)
    # each element in target must have 0 <= value < C
    target = T(L, LABELS)
    output = loss(m(input), target)
    output.backward()
    # 2D loss example (used, for example, with image inputs)
    N, C = 5, 4
    data = T(L, randn(N, 16, 10, 10))
    conv = L.w(nn.Conv2d(16, C, (3, 3)))
    m = nn.LogSoftmax(dim=1)
    # output of conv forward is of shape [N, C, 8, 8]
    output2 = m(conv(data))
    # each element in target must have 0 <= value < C
    target2 = T(L, rng.integers(0, C, (N, 8, 8)))
    # input to NLLLoss is of size N x C x height (8) x width (8)
    output2 = loss(output2, target2)
    output2.backward()
    return {"1d": output, "x̄": input.grad, "2d": output2, "W̄": conv.weight.grad}


def test_nll_loss() -> None:
    def prop(r: dict[str, Any]) -> None:
        close(r["1d"], -np.log(_softmax(LOGITS)[range(3), LABELS]).mean())

    check(ex_nll, prop)


def ex_bce(L: Lib) -> dict[str, Any]:
    nn, torch = L.nn, L.torch
    m = nn.Sigmoid()
    loss = nn.BCELoss()
    input = T(L, randn(3), requires_grad=True)
    target = T(L, rng.random(3))
    output = loss(m(input), target)
    output.backward()
    # BCEWithLogitsLoss, pos_weight
    target2 = torch.ones([10, 64], dtype=torch.float64)  # 64 classes, batch size = 10
    output2 = torch.full([10, 64], 1.5)  # A prediction (logit)
    pos_weight = torch.ones([64])  # All weights are equal to 1
    criterion = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    with_pw = criterion(output2, target2)  # -log(sigmoid(1.5))
    logits = T(L, randn(3), requires_grad=True)
    pw = nn.BCEWithLogitsLoss(pos_weight=T(L, [3.0, 1.0, 0.5]))(logits, target)
    pw.backward()
    return {"bce": output, "x̄": input.grad, "1.5": with_pw, "pw": pw, "logit x̄": logits.grad}


def test_bce_and_bce_with_logits_pos_weight() -> None:
    def prop(r: dict[str, Any]) -> None:
        close(r["1.5"], -np.log(1 / (1 + np.exp(-1.5))))

    check(ex_bce, prop)


REGRESSION_LOSSES = [
    "MSELoss()",
    "L1Loss()",
    "HuberLoss(delta=0.5)",
    "SmoothL1Loss(beta=0.5)",
    "MSELoss(reduction='sum')",
    "SoftMarginLoss()",
    "KLDivLoss(reduction='batchmean')",
    "PoissonNLLLoss()",
]


@pytest.mark.parametrize("expr", REGRESSION_LOSSES)
def test_pointwise_loss(expr: str) -> None:
    """``loss = nn.MSELoss(); input = torch.randn(3, 5, requires_grad=True); target =
    torch.randn(3, 5); output = loss(input, target); output.backward()``, and its siblings."""
    x, y = randn(3, 5), randn(3, 5)
    if "KLDiv" in expr:  # torch's: F.log_softmax(input) against a softmax target
        x, y = np.log(_softmax(x)), _softmax(y)

    def ex(L: Lib) -> dict[str, Any]:
        loss = eval(f"L.nn.{expr}")
        input = T(L, x, requires_grad=True)
        output = loss(input, T(L, y))
        output.backward()
        return {"out": output, "x̄": input.grad}

    def prop(r: dict[str, Any]) -> None:
        if expr == "MSELoss()":
            close(r["out"], ((x - y) ** 2).mean())
            close(r["x̄"], 2 * (x - y) / x.size)

    check(ex, prop)


def ex_ranking_losses(L: Lib) -> dict[str, Any]:
    nn = L.nn
    a, b = T(L, randn(3, 6), requires_grad=True), T(L, randn(3, 6), requires_grad=True)
    sign = T(L, np.array([1.0, -1, 1]))
    out = {
        "cosine": nn.CosineEmbeddingLoss(margin=0.2)(a, b, sign),
        "margin": nn.MarginRankingLoss(margin=0.1)(a[:, 0], b[:, 0], sign),
        "hinge": nn.HingeEmbeddingLoss()(a, T(L, np.sign(randn(3, 6)))),
        "triplet": nn.TripletMarginLoss(margin=1.0, p=2)(a, b, a.flip(0)),
        "multilabel": nn.MultiLabelSoftMarginLoss()(a, T(L, (randn(3, 6) > 0) * 1.0)),
        "gauss": nn.GaussianNLLLoss()(a, b, T(L, rng.random((3, 6)) + 0.1)),
    }
    sum(out.values()).backward()
    return {**out, "ā": a.grad, "b̄": b.grad}


def test_embedding_and_ranking_losses() -> None:
    def prop(r: dict[str, Any]) -> None:
        assert all(np.isfinite(v).all() for v in r.values())

    check(ex_ranking_losses, prop)


# ----------------------------------------------------------------------------- layers


def test_dropout() -> None:
    """``m = nn.Dropout(p=0.2); input = torch.randn(20, 16); output = m(input)``: random, so
    the draws differ from torch's; what must hold is the scaling and the eval identity."""
    m = tg_nn.Dropout(p=0.2)
    x = tg.tensor(rng.random((200, 16)) + 1, requires_grad=True)
    out = m(x)
    kept = out.detach().numpy() != 0
    close(out.detach().numpy()[kept], x.detach().numpy()[kept] / 0.8)
    assert 0.15 < 1 - kept.mean() < 0.25
    out.sum().backward()
    assert x.grad is not None
    close(x.grad.numpy(), kept / 0.8)
    m.eval()
    assert np.array_equal(m(x).detach().numpy(), x.detach().numpy())


def ex_batch_norm(L: Lib) -> dict[str, Any]:
    nn = L.nn
    # With Learnable Parameters
    m = L.w(nn.BatchNorm1d(100))
    # Without Learnable Parameters
    m2 = L.w(nn.BatchNorm1d(100, affine=False))
    input = T(L, randn(20, 100), requires_grad=True)
    output = m(input)
    (output * T(L, randn(20, 100))).sum().backward()
    m3 = L.w(nn.BatchNorm2d(10, momentum=None))
    img = T(L, randn(4, 10, 5, 6))
    out3 = [m3(img * k) for k in (1.0, 2.0)]
    m3.eval()
    return {
        "out": output,
        "x̄": input.grad,
        "γ̄": m.weight.grad,
        "β̄": m.bias.grad,
        "mean": m.running_mean,
        "var": m.running_var,
        "noaffine": m2(input),
        "2d": out3[1],
        "2d mean": m3.running_mean,
        "2d var": m3.running_var,
        "2d eval": m3(img),
    }


def test_batch_norm() -> None:
    def prop(r: dict[str, Any]) -> None:
        close(r["noaffine"].mean(0), np.zeros(100), rtol=0)
        close(r["noaffine"].var(0), np.full(100, 1 - 1e-5 * 1), rtol=1e-4)

    check(ex_batch_norm, prop)


def ex_layer_norm(L: Lib) -> dict[str, Any]:
    nn = L.nn
    # NLP Example
    batch, sentence_length, embedding_dim = 20, 5, 10
    embedding = T(L, randn(batch, sentence_length, embedding_dim), requires_grad=True)
    layer_norm = L.w(nn.LayerNorm(embedding_dim))
    # Activate module
    out = layer_norm(embedding)
    (out * T(L, randn(batch, sentence_length, embedding_dim))).sum().backward()
    # Image Example
    N, C, H, W = 20, 5, 10, 10
    input = T(L, randn(N, C, H, W))
    # Normalize over the last three dimensions (i.e. the channel and spatial dimensions)
    # as shown in the image below
    layer_norm2 = L.w(nn.LayerNorm([C, H, W]))
    output = layer_norm2(input)
    return {"nlp": out, "x̄": embedding.grad, "γ̄": layer_norm.weight.grad, "img": output}


def test_layer_norm() -> None:
    def prop(r: dict[str, Any]) -> None:
        close(r["img"].reshape(20, -1).mean(1), np.zeros(20), rtol=0)
        close(r["nlp"].mean(-1), np.zeros((20, 5)), rtol=0)

    check(ex_layer_norm, prop)


def ex_embedding(L: Lib) -> dict[str, Any]:
    nn, torch = L.nn, L.torch
    # an Embedding module containing 10 tensors of size 3
    embedding = L.w(nn.Embedding(10, 3))
    # a batch of 2 samples of 4 indices each
    input = torch.tensor([[1, 2, 4, 5], [4, 3, 2, 9]])
    out = embedding(input)
    out.square().sum().backward()
    # example with padding_idx
    embedding2 = L.w(nn.Embedding(10, 3, padding_idx=0))
    input2 = torch.tensor([[0, 2, 0, 5]])
    out2 = embedding2(input2)
    out2.sum().backward()
    # example of changing `pad` vector
    padding_idx = 0
    embedding3 = L.w(nn.Embedding(3, 3, padding_idx=padding_idx))
    with torch.no_grad():
        embedding3.weight[padding_idx] = torch.ones(3)
    # FloatTensor containing pretrained weights
    weight = torch.tensor([[1, 2.3, 3], [4, 5.1, 6.3]])
    embedding4 = nn.Embedding.from_pretrained(weight)
    return {
        "out": out,
        "W̄": embedding.weight.grad,
        "pad": out2,
        "pad W̄": embedding2.weight.grad,
        "ones": embedding3.weight,
        "pretrained": embedding4(torch.tensor([1])),
    }


def test_embedding() -> None:
    def prop(r: dict[str, Any]) -> None:
        assert r["out"].shape == (2, 4, 3)
        assert (r["pad"][0, [0, 2]] == 0).all() and (r["pad W̄"][0] == 0).all()
        close(r["pad W̄"][[2, 5]], np.ones((2, 3)))
        close(r["pretrained"], [[4, 5.1, 6.3]])

    check(ex_embedding, prop)


def ex_conv(L: Lib) -> dict[str, Any]:
    nn = L.nn
    # With square kernels and equal stride
    m = L.w(nn.Conv2d(16, 33, 3, stride=2))
    # non-square kernels and unequal stride and with padding
    m2 = L.w(nn.Conv2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2)))
    # non-square kernels and unequal stride and with padding and dilation
    m3 = L.w(nn.Conv2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2), dilation=(3, 1)))
    input = T(L, randn(2, 16, 10, 12), requires_grad=True)
    outs = [m(input), m2(input), m3(input)]
    sum(o.square().sum() for o in outs).backward()
    c1 = L.w(nn.Conv1d(16, 33, 3, stride=2))
    x1 = T(L, randn(2, 16, 15), requires_grad=True)
    o1 = c1(x1)
    o1.sum().backward()
    return {
        "o": outs[0],
        "o2": outs[1],
        "o3": outs[2],
        "x̄": input.grad,
        "W̄3": m3.weight.grad,
        "1d": o1,
        "1d x̄": x1.grad,
        "1d W̄": c1.weight.grad,
    }


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_conv1d_and_conv2d(dtype: str) -> None:
    def prop(r: dict[str, Any]) -> None:
        assert r["o"].shape == (2, 33, 4, 5)
        assert r["o2"].shape == (2, 33, 8, 12) and r["o3"].shape == (2, 33, 6, 12)
        assert r["1d"].shape == (2, 33, 7)

    check(ex_conv, prop, dtype)


def ex_pools(L: Lib) -> dict[str, Any]:
    nn = L.nn
    input = T(L, randn(2, 3, 11, 9), requires_grad=True)
    outs = {
        # pool of square window of size=3, stride=2
        "max": nn.MaxPool2d(3, stride=2)(input),
        # pool of non-square window
        "max ns": nn.MaxPool2d((3, 2), stride=(2, 1))(input),
        "avg": nn.AvgPool2d((3, 2), stride=(2, 1))(input),
        # target output size of 5x7
        "adaptive": nn.AdaptiveAvgPool2d((5, 7))(input),
        "adaptive none": nn.AdaptiveAvgPool2d((None, 7))(input),
        "max1d": nn.MaxPool1d(3, stride=2)(input[:, :, 0]),
        "avg1d": nn.AvgPool1d(3, stride=2)(T(L, [[[1.0, 2, 3, 4, 5, 6, 7]]])),
        "adaptive max": nn.AdaptiveMaxPool2d((5, 7))(input),
    }
    sum((o * o).sum() for o in outs.values()).backward()
    return {**outs, "x̄": input.grad}


def test_pools() -> None:
    def prop(r: dict[str, Any]) -> None:
        assert r["max"].shape == (2, 3, 5, 4) and r["adaptive"].shape == (2, 3, 5, 7)
        close(r["avg1d"], [[[2.0, 4.0, 6.0]]])

    check(ex_pools, prop)


def ex_recurrent(L: Lib) -> dict[str, Any]:
    nn = L.nn
    x, h = randn(5, 3, 10), randn(2, 3, 20)
    rnn = L.w(nn.RNN(10, 20, 2))
    input = T(L, x, requires_grad=True)
    h0 = T(L, h)
    output, hn = rnn(input, h0)
    lstm = L.w(nn.LSTM(10, 20, 2))
    c0 = T(L, randn(2, 3, 20))
    output2, (_hn2, cn2) = lstm(input, (h0, c0))
    gru = L.w(nn.GRU(10, 20, 2))
    output3, hn3 = gru(input, h0)
    (output.sum() + output2.square().sum() + hn3.sum() + cn2.sum()).backward()
    cell = L.w(nn.LSTMCell(10, 20))  # (input_size, hidden_size)
    hx, cx = T(L, h[0]), T(L, h[1])
    outs = []
    for i in range(input.size()[0]):
        hx, cx = cell(input[i], (hx, cx))
        outs.append(hx)
    return {
        "rnn": output,
        "rnn hn": hn,
        "lstm": output2,
        "lstm cn": cn2,
        "gru": output3,
        "x̄": input.grad,
        "W̄": lstm.weight_hh_l1.grad,
        "cell": L.torch.stack(outs, dim=0),
    }


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_rnn_lstm_gru_and_cell(dtype: str) -> None:
    def prop(r: dict[str, Any]) -> None:
        assert r["rnn"].shape == r["lstm"].shape == (5, 3, 20)
        close(r["rnn"][-1], r["rnn hn"][-1])  # the top layer's last output is its state

    check(ex_recurrent, prop, dtype)


def ex_packing(L: Lib) -> dict[str, Any]:
    torch, rnn = L.torch, L.rnn
    seq = torch.tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]])
    lens = [2, 1, 3]
    packed = rnn.pack_padded_sequence(seq, lens, batch_first=True, enforce_sorted=False)
    seq_unpacked, lens_unpacked = rnn.pad_packed_sequence(packed, batch_first=True)
    a, b, c = torch.tensor([1, 2, 3]), torch.tensor([4, 5]), torch.tensor([6])
    packed2 = rnn.pack_sequence([a, b, c])
    padded = rnn.pad_sequence([T(L, randn(4, 3)), T(L, randn(2, 3)), T(L, randn(3, 3))])
    lstm = L.w(L.nn.LSTM(3, 4, batch_first=True))
    xs = T(L, randn(3, 4, 3), requires_grad=True)
    out, (hn, _cn) = lstm(
        rnn.pack_padded_sequence(xs, [2, 4, 1], batch_first=True, enforce_sorted=False)
    )
    out_padded, out_lens = rnn.pad_packed_sequence(out, batch_first=True)
    (out_padded.sum() + hn.sum()).backward()
    return {
        "data": packed.data,
        "batch sizes": packed.batch_sizes,
        "sorted": packed.sorted_indices,
        "unpacked": seq_unpacked,
        "lens": lens_unpacked,
        "data2": packed2.data,
        "padded": padded,
        "lstm": out_padded,
        "lstm lens": out_lens,
        "hn": hn,
        "x̄": xs.grad,
    }


def test_rnn_packing() -> None:
    def prop(r: dict[str, Any]) -> None:
        assert r["data"].tolist() == [4, 1, 3, 5, 2, 6] and r["batch sizes"].tolist() == [3, 2, 1]
        assert r["unpacked"].tolist() == [[1, 2, 0], [3, 0, 0], [4, 5, 6]]
        assert r["data2"].tolist() == [1, 4, 6, 2, 5, 3] and r["padded"].shape == (4, 3, 3)
        assert (r["x̄"][2, 1:] == 0).all() and (r["lstm"][2, 1:] == 0).all()

    check(ex_packing, prop)


# ----------------------------------------------------------------------------- optim

OPTIMIZERS = [
    "SGD(params, lr=0.1, momentum=0.9)",
    "SGD(params, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)",
    "SGD(params, lr=0.1, momentum=0.9, dampening=0.5)",
    "Adam(params, lr=0.01)",
    "Adam(params, lr=0.01, amsgrad=True, weight_decay=0.1)",
    "AdamW(params, lr=0.01)",
    "RMSprop(params, lr=0.01)",
    "RMSprop(params, lr=0.01, momentum=0.5, centered=True)",
    "Adagrad(params, lr=0.1, lr_decay=0.01)",
]
XOPT, YOPT = randn(8, 10), randn(8, 1)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("expr", OPTIMIZERS)
def test_optimizer(expr: str, dtype: str) -> None:
    """``optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9);
    optimizer.zero_grad(); loss_fn(model(input), target).backward(); optimizer.step()``."""

    def ex(L: Lib) -> dict[str, Any]:
        model = L.w(L.nn.Sequential(L.nn.Linear(10, 5), L.nn.Tanh(), L.nn.Linear(5, 1)))
        params = model.parameters()  # noqa: F841 (read by the eval)
        optimizer = eval(f"L.optim.{expr}")
        loss_fn = L.nn.MSELoss()
        input, target = T(L, XOPT), T(L, YOPT)
        losses = []
        for _ in range(6):
            optimizer.zero_grad()
            loss = loss_fn(model(input), target)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return {"losses": losses, **{k: v for k, v in model.state_dict().items()}}

    def prop(r: dict[str, Any]) -> None:
        assert r["losses"][-1] < r["losses"][0]

    check(ex, prop, dtype)


def test_sgd_momentum_closed_form() -> None:
    """torch's note on SGD: v ← μv + g, p ← p − lr·v, the buffer starting at the first g."""
    p = tg.tensor([1.0, -2.0], dtype=np.float64, requires_grad=True)
    opt = tg_optim.SGD([p], lr=0.1, momentum=0.9)
    v, q = np.zeros(2), np.array([1.0, -2.0])
    for step in range(4):
        opt.zero_grad()
        (p**2).sum().backward()
        opt.step()
        g = 2 * q
        v = g if step == 0 else 0.9 * v + g
        q = q - 0.1 * v
        close(p.detach().numpy(), q, rtol=1e-14)


# ----------------------------------------------------------------------------- schedulers


def _lrs(L: Lib, make: Callable[[Any], Any], epochs: int, lr: float = 0.05) -> dict[str, Any]:
    model = L.nn.Linear(2, 1)
    optimizer = L.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    scheduler = make(optimizer)
    lrs = []
    for _ in range(epochs):
        optimizer.step()  # train(...)
        scheduler.step()
        lrs.append(optimizer.param_groups[0]["lr"])
    return {"lr": lrs, "last": scheduler.get_last_lr()}


SCHEDULERS: dict[str, Callable[[Lib, Any], Any]] = {
    # Assuming optimizer uses lr = 0.05 for all groups
    "StepLR": lambda L, o: L.sched.StepLR(o, step_size=30, gamma=0.1),
    "MultiStepLR": lambda L, o: L.sched.MultiStepLR(o, milestones=[30, 80], gamma=0.1),
    "ExponentialLR": lambda L, o: L.sched.ExponentialLR(o, gamma=0.9),
    "CosineAnnealingLR": lambda L, o: L.sched.CosineAnnealingLR(o, T_max=30, eta_min=0.001),
    "CosineAnnealingWarmRestarts": lambda L, o: L.sched.CosineAnnealingWarmRestarts(
        o, T_0=10, T_mult=2, eta_min=0.001
    ),
    "LambdaLR": lambda L, o: L.sched.LambdaLR(o, lr_lambda=lambda epoch: 0.95**epoch),
    "MultiplicativeLR": lambda L, o: L.sched.MultiplicativeLR(o, lr_lambda=lambda e: 0.95),
    "ConstantLR": lambda L, o: L.sched.ConstantLR(o, factor=0.5, total_iters=4),
    "LinearLR": lambda L, o: L.sched.LinearLR(o, start_factor=0.5, total_iters=4),
    "PolynomialLR": lambda L, o: L.sched.PolynomialLR(o, total_iters=4, power=1.0),
    "OneCycleLR": lambda L, o: L.sched.OneCycleLR(o, max_lr=0.01, steps_per_epoch=10, epochs=10),
    "CyclicLR": lambda L, o: L.sched.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=7),
    "ChainedScheduler": lambda L, o: L.sched.ChainedScheduler(
        [
            L.sched.ConstantLR(o, factor=0.1, total_iters=2),
            L.sched.ExponentialLR(o, gamma=0.9),
        ],
        optimizer=o,
    ),
    "SequentialLR": lambda L, o: L.sched.SequentialLR(
        o,
        schedulers=[
            L.sched.ConstantLR(o, factor=0.1, total_iters=2),
            L.sched.ExponentialLR(o, gamma=0.9),
        ],
        milestones=[2],
    ),
}


@pytest.mark.parametrize("name", SCHEDULERS)
def test_lr_scheduler(name: str) -> None:
    def ex(L: Lib) -> dict[str, Any]:
        return _lrs(L, lambda o: SCHEDULERS[name](L, o), epochs=100)

    def prop(r: dict[str, Any]) -> None:
        lr = np.array(r["lr"])
        if name == "StepLR":  # lr = 0.05 if epoch < 30, 0.005 if 30 <= epoch < 60, …
            close(lr, 0.05 * 0.1 ** (np.arange(1, 101) // 30))
        if name == "MultiStepLR":
            close(lr, 0.05 * 0.1 ** np.searchsorted([30, 80], np.arange(1, 101), side="right"))
        if name == "CosineAnnealingLR":
            e = np.arange(1, 101)
            close(lr, 0.001 + (0.05 - 0.001) * (1 + np.cos(np.pi * e / 30)) / 2, rtol=1e-9)
        assert r["last"] == [r["lr"][-1]]

    check(ex, prop)


def test_lambda_lr_two_groups_and_reduce_on_plateau() -> None:
    """``lambda1 = lambda epoch: epoch // 30; lambda2 = lambda epoch: 0.95 ** epoch;
    scheduler = LambdaLR(optimizer, lr_lambda=[lambda1, lambda2])``, and ``scheduler =
    ReduceLROnPlateau(optimizer, 'min'); scheduler.step(val_loss)``."""
    losses = [1.0, 0.9, 0.95, 0.93, 0.92, 0.91, 0.97, 0.96, 0.99, 0.98] * 3 + [0.5] * 12

    def ex(L: Lib) -> dict[str, Any]:
        a, b = L.nn.Linear(2, 1), L.nn.Linear(2, 1)
        opt = L.optim.SGD([{"params": a.parameters()}, {"params": b.parameters()}], lr=0.05)
        scheduler = L.sched.LambdaLR(opt, lr_lambda=[lambda e: e // 30, lambda e: 0.95**e])
        two = []
        for _ in range(70):
            opt.step()
            scheduler.step()
            two.append([g["lr"] for g in opt.param_groups])
        opt2 = L.optim.SGD(a.parameters(), lr=0.1, momentum=0.9)
        plateau = L.sched.ReduceLROnPlateau(opt2, "min", patience=2, cooldown=1, factor=0.5)
        seen = []
        for val_loss in losses:
            opt2.step()
            plateau.step(val_loss)
            seen.append(opt2.param_groups[0]["lr"])
        return {"two": two, "plateau": seen}

    def prop(r: dict[str, Any]) -> None:
        e = np.arange(1, 71)
        close(np.array(r["two"]), np.stack([0.05 * (e // 30), 0.05 * 0.95**e], 1))
        assert r["plateau"][0] == 0.1 and r["plateau"][-1] < r["plateau"][0]

    check(ex, prop)


# ------------------------------------------------------------------------- init, utils, autograd


def ex_init(L: Lib) -> dict[str, Any]:
    nn = L.nn
    torch = L.torch
    w = torch.empty(3, 5)
    nn.init.constant_(w, 0.3)
    eye = torch.empty(3, 5)
    nn.init.eye_(eye)
    d = torch.empty(3, 16, 5, 5)
    nn.init.dirac_(d)
    z, o = nn.init.zeros_(torch.empty(3, 5)), nn.init.ones_(torch.empty(3, 5))
    gains = [nn.init.calculate_gain(n) for n in ("linear", "sigmoid", "tanh", "relu", "selu")]
    gains.append(nn.init.calculate_gain("leaky_relu", 0.2))  # leaky_relu with negative_slope=0.2
    return {"const": w, "eye": eye, "dirac": d, "zeros": z, "ones": o, "gains": gains}


def test_init_deterministic() -> None:
    def prop(r: dict[str, Any]) -> None:
        close(r["eye"], np.eye(3, 5))
        close(r["gains"], [1, 1, 5 / 3, np.sqrt(2), 3 / 4, np.sqrt(2 / (1 + 0.2**2))])
        assert r["dirac"][:, :, 2, 2].tolist() == np.eye(3, 16).tolist()

    check(ex_init, prop)


@pytest.mark.parametrize(
    "expr, std",
    [
        ("uniform_(w, a=-1.0, b=1.0)", np.sqrt(1 / 3)),
        ("normal_(w, mean=0.0, std=0.5)", 0.5),
        ("xavier_uniform_(w, gain=nn.init.calculate_gain('relu'))", np.sqrt(2 * 2 / 600)),
        ("xavier_normal_(w)", np.sqrt(2 / 600)),
        ("kaiming_uniform_(w, mode='fan_in', nonlinearity='relu')", np.sqrt(2 / 300)),
        ("kaiming_normal_(w, mode='fan_out', nonlinearity='relu')", np.sqrt(2 / 300)),
        ("trunc_normal_(w, std=0.02)", 0.02),
    ],
)
def test_init_random(expr: str, std: float) -> None:
    """``w = torch.empty(3, 5); nn.init.uniform_(w)`` and its siblings draw from their own
    generator: their spread (not their values) is what matches torch's."""
    nn = tg_nn  # noqa: F841 (read by the eval)
    w = tg.empty(300, 300, dtype=tg.float64)
    out = eval(f"tg_nn.init.{expr}")
    assert out is w
    assert abs(w.numpy().std() / std - 1) < 0.03 and abs(w.numpy().mean()) < 0.05 * std


def ex_clip_and_vectors(L: Lib) -> dict[str, Any]:
    nn, torch = L.nn, L.torch
    model = L.w(nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)))
    model(T(L, randn(5, 4))).square().sum().mul(10).backward()
    total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    after = torch.sqrt(sum(p.grad.square().sum() for p in model.parameters()))
    inf = nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5, norm_type="inf")
    vec = nn.utils.parameters_to_vector(model.parameters())
    nn.utils.vector_to_parameters(vec * 2, model.parameters())
    grads = {f"ḡ{i}": p.grad for i, p in enumerate(model.parameters())}
    return {"total": total, "after": after, "inf": inf, "vec": vec, **grads, "w": model[0].weight}


def test_clip_grad_norm_and_parameters_to_vector() -> None:
    def prop(r: dict[str, Any]) -> None:
        assert r["total"] > 1
        close(r["after"], 1.0, rtol=1e-5)  # torch's clip_coef = max_norm / (total + 1e-6)
        assert max(np.abs(r[f"ḡ{i}"]).max() for i in range(4)) <= 0.5 + 1e-9
        assert r["vec"].shape == (4 * 3 + 3 + 3 * 2 + 2,)
        close(r["w"].ravel(), 2 * r["vec"][:12])

    check(ex_clip_and_vectors, prop)


def ex_autograd(L: Lib) -> dict[str, Any]:
    torch = L.torch

    class Exp(torch.autograd.Function):  # type: ignore[name-defined, misc]
        @staticmethod
        def forward(ctx: Any, i: Any) -> Any:
            result = i.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx: Any, grad_output: Any) -> Any:
            (result,) = ctx.saved_tensors
            return grad_output * result

    input = T(L, randn(4), requires_grad=True)
    # Use it by calling the apply method:
    output = Exp.apply(input)
    output.sum().backward()
    x = T(L, randn(3), requires_grad=True)
    y = (x**3).sum()
    (dx,) = torch.autograd.grad(y, x, create_graph=True)
    (ddx,) = torch.autograd.grad(dx.sum(), x)
    a = T(L, [2.0, 3.0], requires_grad=True)
    b = T(L, [6.0, 4.0], requires_grad=True)
    Q = 3 * a**3 - b**2
    external_grad = torch.tensor([1.0, 1.0])
    Q.backward(gradient=external_grad)
    return {"exp": output, "x̄": input.grad, "x": x, "dx": dx, "ddx": ddx, "ā": a.grad, "b̄": b.grad}


def test_autograd_function_and_grad() -> None:
    def prop(r: dict[str, Any]) -> None:
        close(r["x̄"], r["exp"])
        close(r["dx"], 3 * r["x"] ** 2)  # y = Σ x³: y' = 3x², y'' = 6x
        close(r["ddx"], 6 * r["x"])
        close(r["ā"], 9 * np.array([2.0, 3.0]) ** 2)  # ∂Q/∂a = 9a², ∂Q/∂b = −2b
        close(r["b̄"], [-12.0, -8.0])

    check(ex_autograd, prop)


def test_tensor_examples_float32() -> None:
    """A few of torch's ``Tensor`` and ``torch.*`` examples in float32, the default dtype,
    including those this port fixed: ``%`` and ``randint(low=, high=, size=)``."""

    def ex(L: Lib) -> dict[str, Any]:
        torch, F = L.torch, L.F
        x = T(L, randn(4, 4).astype(np.float32))
        return {
            "one_hot": F.one_hot(torch.arange(0, 5) % 3),
            "one_hot5": F.one_hot(torch.arange(0, 6).view(3, 2) % 3, num_classes=5),
            "view": x.view(-1, 8),
            "sum dim": x.sum(dim=1),
            "softmax": x.softmax(dim=1),
            "cat": torch.cat((x, x, x), 1),
            "stack": torch.stack([x, x]),
            "argmax": torch.argmax(x, dim=1),
            "clamp": torch.clamp(x, min=-0.5, max=0.5),
            # torch.clamp's example of tensor bounds
            "clamp tensor": torch.clamp(x, min=torch.linspace(-1, 1, steps=x.shape[-1])),
            "clamp tensors": torch.clamp(
                x, min=torch.linspace(-1, 1, steps=x.shape[-1]), max=torch.full((1,), 0.5)
            ),
            "randint shape": torch.randint(low=1, high=20, size=(16, 30)).shape,
            "topk": torch.topk(x.flatten(), 3).values,
        }

    def prop(r: dict[str, Any]) -> None:
        assert r["one_hot"].tolist() == np.eye(3, dtype=int)[[0, 1, 2, 0, 1]].tolist()
        assert r["one_hot5"].shape == (3, 2, 5) and r["randint shape"] == [16, 30]

    check(ex, prop, dtype="float32")

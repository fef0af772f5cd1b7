"""The training loops of tinygrad_ed.multiclass against PyTorch's, step for step.

The L2 penalty is applied as ``optim.SGD``'s weight decay on the weights only (not the bias),
and SoftmaxRegression takes SGD's momentum and Nesterov flag: the weights after a few steps must
be torch's ``nn.Linear`` trained by ``torch.optim.SGD`` with the same settings.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tinygrad_ed.multiclass import (
    LogisticRegression,
    SoftmaxRegression,
    fit_logistic_problems,
    ovo_code,
    ovr_code,
)


def blobs(n: int = 60, k: int = 3, seed: int = 0) -> tuple[Any, Any]:
    rng = np.random.default_rng(seed)
    y = np.arange(n) % k
    X = rng.normal(size=(n, 4)) + 1.5 * np.eye(k, 4)[y]
    return X, y


def torch_linear(X: Any, n_out: int) -> tuple[Any, Any, Any]:
    torch = pytest.importorskip("torch")
    layer = torch.nn.Linear(X.shape[1], n_out, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.zero_()
        layer.bias.zero_()
    return torch, layer, torch.tensor(X)


def torch_sgd(torch: Any, layer: Any, lr: float, momentum: float, nesterov: bool, l2: float) -> Any:
    groups = [
        {"params": [layer.weight], "weight_decay": 2 * l2},  # the gradient of l2·‖w‖²
        {"params": [layer.bias]},  # the bias is not penalised
    ]
    return torch.optim.SGD(groups, lr=lr, momentum=momentum, nesterov=nesterov)


@pytest.mark.parametrize(("momentum", "nesterov", "l2"), [(0.0, False, 0.0), (0.9, True, 4e-3)])
def test_softmax_full_batch_steps_equal_torch(momentum: float, nesterov: bool, l2: float) -> None:
    X, y = blobs()
    ours = SoftmaxRegression(
        lr=0.7, epochs=8, batch_size=None, momentum=momentum, nesterov=nesterov, l2=l2
    ).fit(X, y)
    torch, layer, Xt = torch_linear(X, 3)
    opt = torch_sgd(torch, layer, 0.7, momentum, nesterov, l2)
    for _ in range(8):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(layer(Xt), torch.tensor(y)).backward()
        opt.step()
    np.testing.assert_allclose(ours.coef_, layer.weight.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(ours.intercept_, layer.bias.detach().numpy(), atol=1e-12)


@pytest.mark.parametrize("code", [ovr_code(3), ovo_code(3)], ids=["ovr", "ovo"])
def test_batched_logistic_problems_equal_torch(code: Any) -> None:
    """The documented PyTorch equivalent: (softplus(−y z)·weight).sum(), SGD(weight_decay=2λ)
    on the weight only, heavy-ball momentum, from zeros."""
    X, y = blobs()
    T = code[y]
    W = fit_logistic_problems(
        X, T, lr=0.5, epochs=12, batch_size=None, l2=4e-3, init="zeros",
        rng=np.random.default_rng(0), momentum=0.9,
    )  # fmt: skip
    torch, layer, Xt = torch_linear(X, T.shape[1])
    used = T != 0
    weight = torch.tensor(used / used.sum(axis=0))  # each problem's mean over its examples
    signs = torch.tensor(T.astype(np.float64))
    opt = torch_sgd(torch, layer, 0.5, 0.9, False, 4e-3)
    for _ in range(12):
        opt.zero_grad()
        (torch.nn.functional.softplus(-signs * layer(Xt)) * weight).sum().backward()
        opt.step()
    np.testing.assert_allclose(W[:, :-1], layer.weight.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(W[:, -1], layer.bias.detach().numpy(), atol=1e-12)


def test_defaults_and_the_penalty_spares_the_bias() -> None:
    params = LogisticRegression().get_params()
    assert (params["epochs"], params["l2"], params["lr"], params["momentum"]) == (
        50,
        4e-3,
        0.5,
        0.9,
    )
    soft = SoftmaxRegression().get_params()
    assert (soft["momentum"], soft["nesterov"], soft["batch_size"]) == (0.0, False, 1)
    # A huge penalty drives the weights to 0 but leaves the bias free to fit the class balance.
    X, y = blobs(n=90)
    y = np.where(np.arange(90) < 60, 0, 1)
    model = LogisticRegression(l2=10.0, lr=0.05, epochs=300, momentum=0.9).fit(X, y)
    assert np.abs(model.coef_).max() < 0.02
    np.testing.assert_allclose(model.intercept_[0], np.log(30 / 60), atol=0.05)


def test_softmax_momentum_errors() -> None:
    X, y = blobs()
    with pytest.raises(ValueError, match=r"SoftmaxRegression\(\): nesterov=True needs a momentum"):
        SoftmaxRegression(nesterov=True).fit(X, y)
    with pytest.raises(ValueError, match=r"SoftmaxRegression\(\): momentum must be in \[0, 1\)"):
        SoftmaxRegression(momentum=1.0).fit(X, y)
    with pytest.raises(TypeError, match=r"SoftmaxRegression\(\): nesterov must be a bool"):
        SoftmaxRegression(momentum=0.9, nesterov="yes").fit(X, y)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"LogisticRegression\(\): momentum must be in"):
        LogisticRegression(momentum=-0.1).fit(X, y % 2)
    # torch refuses Nesterov without momentum too (its message differs)
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError):
        torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, nesterov=True)

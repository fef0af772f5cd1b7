"""PyTorch's torch.func tutorials, ported by changing the imports.

Each program is written as the tutorial publishes it (smaller sizes, float64, random data drawn
from a shared numpy generator and the same initial weights for both libraries) against a library
passed by its package name, imported by torch's paths (``<lib>.nn``, ``<lib>.nn.functional``,
``<lib>.func``). Each test runs it on tinygrad_ed and checks a property that holds without torch
(a Jacobian, a Hessian or an hvp in closed form, per-sample gradients whose mean is the batch
gradient, an ensemble under vmap equal to the loop over its models, the two NTK methods equal and
the kernel symmetric), then, where torch is installed, runs the same program on torch and
compares every quantity to 1e-9 relative.

The tutorials (intermediate_source of pytorch/tutorials): "Model ensembling"
(``stack_module_state``, ``vmap`` over ``functional_call``), "Per-sample-gradients"
(``vmap(grad(...))``), "Jacobians, Hessians, hvp, vhp, and more: composing function transforms"
and "Neural Tangent Kernels" (the Jacobian contraction and the NTK-vector products).

What does not port, and why: ``base_model.to('meta')`` of the ensembling tutorial (there is no
meta device: tensors here are numpy arrays with storage, so the port keeps the deep copy on the
CPU, whose own weights functional_call replaces all the same); the tutorials' ``Timer``
benchmarks (``torch.utils.benchmark``; ``vmap`` here is a loop over the examples and ``jacfwd``
builds the Jacobian by rows as ``jacrev`` does, so the speedups they show are not there to
measure); per_sample_grads' float64 baseline, which only runs when the float32 gradients
disagree (the port is float64 throughout); ``device = 'cuda'`` (``'cpu'``).
"""

from __future__ import annotations

import copy
import functools
import importlib
from functools import partial
from typing import Any

import _ports
import numpy as np
import pytest
from _ports import numpy_of as values

RTOL = 1e-9
run_beside_torch = functools.partial(_ports.run_beside_torch, rtol=RTOL, atol=1e-12)
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")


class Draw:
    """The tutorials' ``torch.randn`` and ``torch.randint``, float64, from one numpy stream."""

    def __init__(self, torch: Any, seed: int) -> None:
        self.torch, self.rng = torch, np.random.default_rng(seed)

    def randn(self, *size: int) -> Any:
        return self.torch.tensor(self.rng.standard_normal(size))

    def randint(self, high: int, size: tuple[int, ...]) -> Any:
        return self.torch.tensor(self.rng.integers(0, high, size))


def same_weights(model: Any, torch: Any, seed: int) -> Any:
    """The model in float64 with weights drawn from ``seed`` (the same for both libraries)."""
    model.double()
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.tensor(rng.uniform(-0.5, 0.5, tuple(p.shape))))
    return model


# ----------------------------------------------------------------------------- Model ensembling
# 3 models (10), a 784 → 128 → 128 → 10 MLP as 16 → 8 → 8 → 10 on 4x4 "images" (28x28),
# minibatches of 5 (64).


def ensembling(lib: str) -> dict[str, Any]:
    torch = importlib.import_module(lib)
    nn = importlib.import_module(f"{lib}.nn")
    F = importlib.import_module(f"{lib}.nn.functional")
    torch.manual_seed(0)
    draw = Draw(torch, 10)

    # Here's a simple MLP
    class SimpleMLP(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super(SimpleMLP, self).__init__()  # noqa: UP008 (as published)
            self.fc1 = nn.Linear(16, 8)
            self.fc2 = nn.Linear(8, 8)
            self.fc3 = nn.Linear(8, 10)

        def forward(self, x: Any) -> Any:
            x = x.flatten(1)
            x = self.fc1(x)
            x = F.relu(x)
            x = self.fc2(x)
            x = F.relu(x)
            x = self.fc3(x)
            return x

    device = "cpu"
    num_models = 3

    data = draw.randn(10, 5, 1, 4, 4).to(device)
    targets = draw.randint(10, (50,)).to(device)

    models = [same_weights(SimpleMLP().to(device), torch, 100 + i) for i in range(num_models)]

    # Option 1: different minibatch for each model
    minibatches = data[:num_models]
    predictions_diff_minibatch_loop = [
        model(minibatch) for model, minibatch in zip(models, minibatches)
    ]

    # Option 2: Same minibatch
    minibatch = data[0]
    predictions2 = [model(minibatch) for model in models]

    # Using vmap to vectorize the ensemble
    stack_module_state = importlib.import_module(f"{lib}.func").stack_module_state

    params, buffers = stack_module_state(models)

    functional_call = importlib.import_module(f"{lib}.func").functional_call

    # Construct a "stateless" version of one of the models (the tutorial moves it to the meta
    # device: not here, see the module docstring).
    base_model = copy.deepcopy(models[0])

    def fmodel(params: Any, buffers: Any, x: Any) -> Any:
        return functional_call(base_model, (params, buffers), (x,))

    sizes = [p.size(0) for p in params.values()]  # show the leading 'num_models' dimension

    assert minibatches.shape == (num_models, 5, 1, 4, 4)

    vmap = importlib.import_module(lib).vmap

    predictions1_vmap = vmap(fmodel)(params, buffers, minibatches)
    assert torch.allclose(
        predictions1_vmap, torch.stack(predictions_diff_minibatch_loop), atol=1e-3, rtol=1e-5
    )
    # the same with the in_dims spelled out
    predictions1_explicit = vmap(fmodel, in_dims=(0, 0, 0))(params, buffers, minibatches)

    # Option 2: get predictions using the same minibatch of data.
    predictions2_vmap = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, minibatch)

    assert torch.allclose(predictions2_vmap, torch.stack(predictions2), atol=1e-3, rtol=1e-5)

    # Beyond the tutorial: the stacked parameters are optimizable leaves; the ensemble's summed
    # loss gives each model's slice its own gradient.
    loss = sum(
        F.cross_entropy(p, t)
        for p, t in zip(predictions1_vmap.unbind(0), targets[:15].view(3, 5).unbind(0))
    )
    loss.backward()
    own_grads = []
    for model, minibatch_, t in zip(models, minibatches, targets[:15].view(3, 5)):
        own_grads.append(
            torch.autograd.grad(F.cross_entropy(model(minibatch_), t), model.fc1.weight)[0]
        )
    return {
        "sizes": sizes,
        "names": list(params),
        "buffers": list(buffers),
        "leaves": [p.is_leaf and p.requires_grad for p in params.values()],
        "data": values(data),
        "model0": {k: values(v) for k, v in models[0].named_parameters()},
        "loop1": [values(p) for p in predictions_diff_minibatch_loop],
        "loop2": [values(p) for p in predictions2],
        "vmap1": values(predictions1_vmap),
        "vmap1_explicit": values(predictions1_explicit),
        "vmap2": values(predictions2_vmap),
        "stacked_grad": values(params["fc1.weight"].grad),
        "own_grads": [values(g) for g in own_grads],
    }


def test_model_ensembling() -> None:
    r = run_beside_torch(ensembling)
    assert r["sizes"] == [3] * 6 and r["buffers"] == [] and all(r["leaves"])
    np.testing.assert_allclose(r["vmap1"], np.stack(r["loop1"]), rtol=1e-12)
    np.testing.assert_allclose(r["vmap1_explicit"], r["vmap1"], rtol=0, atol=0)
    np.testing.assert_allclose(r["vmap2"], np.stack(r["loop2"]), rtol=1e-12)
    # and in numpy: model 0 on minibatch 0
    p, x = r["model0"], r["data"][0].reshape(5, 16)
    h = np.maximum(x @ p["fc1.weight"].T + p["fc1.bias"], 0)
    h = np.maximum(h @ p["fc2.weight"].T + p["fc2.bias"], 0)
    np.testing.assert_allclose(r["vmap2"][0], h @ p["fc3.weight"].T + p["fc3.bias"], rtol=1e-12)
    np.testing.assert_allclose(r["stacked_grad"], np.stack(r["own_grads"]), rtol=1e-12)


# ----------------------------------------------------------------------------- Per-sample-grads
# The CNN on 10x10 images (28x28): conv 1 → 4 → 8 channels (32, 64), fc 72 → 16 → 10
# (9216 → 128 → 10), a batch of 6 (64).


def per_sample_grads(lib: str) -> dict[str, Any]:
    torch = importlib.import_module(lib)
    nn = importlib.import_module(f"{lib}.nn")
    F = importlib.import_module(f"{lib}.nn.functional")
    torch.manual_seed(0)
    draw = Draw(torch, 11)

    # Here's a simple CNN and loss function:
    class SimpleCNN(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super(SimpleCNN, self).__init__()  # noqa: UP008 (as published)
            self.conv1 = nn.Conv2d(1, 4, 3, 1)
            self.conv2 = nn.Conv2d(4, 8, 3, 1)
            self.fc1 = nn.Linear(72, 16)
            self.fc2 = nn.Linear(16, 10)

        def forward(self, x: Any) -> Any:
            x = self.conv1(x)
            x = F.relu(x)
            x = self.conv2(x)
            x = F.relu(x)
            x = F.max_pool2d(x, 2)
            x = torch.flatten(x, 1)
            x = self.fc1(x)
            x = F.relu(x)
            x = self.fc2(x)
            output = F.log_softmax(x, dim=1)
            return output

    def loss_fn(predictions: Any, targets: Any) -> Any:
        return F.nll_loss(predictions, targets)

    device = "cpu"

    batch_size = 6
    data = draw.randn(batch_size, 1, 10, 10).to(device)

    targets = draw.randint(10, (6,)).to(device)

    model = same_weights(SimpleCNN().to(device=device), torch, 12)
    predictions = model(data)  # move the entire mini-batch through the model

    loss = loss_fn(predictions, targets)
    loss.backward()  # back propagate the 'average' gradient of this mini-batch

    def compute_grad(sample: Any, target: Any) -> Any:
        sample = sample.unsqueeze(0)  # prepend batch dimension for processing
        target = target.unsqueeze(0)

        prediction = model(sample)
        loss = loss_fn(prediction, target)

        return torch.autograd.grad(loss, list(model.parameters()))

    def compute_sample_grads(data: Any, targets: Any) -> Any:
        """manually process each sample with per sample gradient"""
        sample_grads = [compute_grad(data[i], targets[i]) for i in range(batch_size)]
        sample_grads = zip(*sample_grads)
        sample_grads = [torch.stack(shards) for shards in sample_grads]
        return sample_grads

    per_sample_grads = compute_sample_grads(data, targets)

    shape0 = tuple(per_sample_grads[0].shape)

    # Per-sample-grads, the efficient way, using function transforms
    func = importlib.import_module(f"{lib}.func")
    functional_call, vmap, grad = func.functional_call, func.vmap, func.grad

    params = {k: v.detach() for k, v in model.named_parameters()}
    buffers = {k: v.detach() for k, v in model.named_buffers()}

    def compute_loss(params: Any, buffers: Any, sample: Any, target: Any) -> Any:
        batch = sample.unsqueeze(0)
        targets = target.unsqueeze(0)

        predictions = functional_call(model, (params, buffers), (batch,))
        loss = loss_fn(predictions, targets)
        return loss

    ft_compute_grad = grad(compute_loss)

    ft_compute_sample_grad = vmap(ft_compute_grad, in_dims=(None, None, 0, 0))

    ft_per_sample_grads = ft_compute_sample_grad(params, buffers, data, targets)

    for per_sample_grad, ft_per_sample_grad in zip(per_sample_grads, ft_per_sample_grads.values()):
        assert torch.allclose(per_sample_grad, ft_per_sample_grad, atol=3e-3, rtol=1e-5)

    return {
        "shape0": shape0,
        "names": list(ft_per_sample_grads),
        "batch_grads": [values(p.grad) for p in model.parameters()],
        "loop": [values(g) for g in per_sample_grads],
        "ft": [values(g) for g in ft_per_sample_grads.values()],
        "no_graph": [not g.requires_grad for g in ft_per_sample_grads.values()],
    }


def test_per_sample_gradients() -> None:
    r = run_beside_torch(per_sample_grads)
    assert r["shape0"] == (6, 4, 1, 3, 3)
    assert r["names"] == [
        "conv1.weight",
        "conv1.bias",
        "conv2.weight",
        "conv2.bias",
        "fc1.weight",
        "fc1.bias",
        "fc2.weight",
        "fc2.bias",
    ]
    assert all(r["no_graph"])  # detached parameters: nothing tracked outside the transforms
    for loop, ft, batch in zip(r["loop"], r["ft"], r["batch_grads"]):
        np.testing.assert_allclose(ft, loop, rtol=1e-10, atol=1e-13)
        # nll_loss averages over the batch: the batch gradient is the per-sample gradients' mean
        np.testing.assert_allclose(ft.mean(0), batch, rtol=1e-10, atol=1e-13)


# ----------------------------------------------------------------------------- Jacobians, Hessians
# D = 5 (16); Din/Dout 3/7 and 7/3 (32/2048, 2048/32); the Hessian at 6/3 (512/32); the batch
# of 4 at 3/5 (64 at 31/33); the hvp in R^20 (2048).


def jacobians_hessians(lib: str) -> dict[str, Any]:
    torch = importlib.import_module(lib)
    F = importlib.import_module(f"{lib}.nn.functional")
    _ = torch.manual_seed(0)
    draw = Draw(torch, 13)
    out: dict[str, Any] = {}

    def predict(weight: Any, bias: Any, x: Any) -> Any:
        return F.linear(x, weight, bias).tanh()

    D = 5
    weight = draw.randn(D, D)
    bias = draw.randn(D)
    x = draw.randn(D)  # feature vector
    out.update(weight=values(weight), bias=values(bias), x=values(x))

    def compute_jac(xp: Any) -> Any:
        jacobian_rows = [
            torch.autograd.grad(predict(weight, bias, xp), xp, vec)[0] for vec in unit_vectors
        ]
        return torch.stack(jacobian_rows)

    xp = x.clone().requires_grad_()
    unit_vectors = torch.eye(D, dtype=torch.float64)

    jacobian = compute_jac(xp)
    out["jacobian"] = values(jacobian)

    func = importlib.import_module(f"{lib}.func")
    vmap, vjp = func.vmap, func.vjp

    _, vjp_fn = vjp(partial(predict, weight, bias), x)

    (ft_jacobian,) = vmap(vjp_fn)(unit_vectors)

    # let's confirm both methods compute the same result
    assert torch.allclose(ft_jacobian, jacobian)
    out["vmap_vjp"] = values(ft_jacobian)

    jacrev = func.jacrev

    ft_jacobian = jacrev(predict, argnums=2)(weight, bias, x)

    # confirm
    assert torch.allclose(ft_jacobian, jacobian)
    out["jacrev"] = values(ft_jacobian)

    # note the change in input via argnums params of 0,1 to map to weight and bias
    ft_jac_weight, ft_jac_bias = jacrev(predict, argnums=(0, 1))(weight, bias, x)
    out.update(jac_weight=values(ft_jac_weight), jac_bias=values(ft_jac_bias))

    # reverse-mode Jacobian (jacrev) vs forward-mode Jacobian (jacfwd)
    jacfwd = func.jacfwd
    for Din, Dout in ((3, 7), (7, 3)):
        weight = draw.randn(Dout, Din)
        bias = draw.randn(Dout)
        x = draw.randn(Din)
        out[f"fwd_{Din}_{Dout}"] = values(jacfwd(predict, argnums=2)(weight, bias, x))
        out[f"rev_{Din}_{Dout}"] = values(jacrev(predict, argnums=2)(weight, bias, x))
        out[f"case_{Din}_{Dout}"] = [values(weight), values(bias), values(x)]

    # Hessian computation with hessian
    hessian = func.hessian

    Din = 6
    Dout = 3
    weight = draw.randn(Dout, Din)
    bias = draw.randn(Dout)
    x = draw.randn(Din)

    hess_api = hessian(predict, argnums=2)(weight, bias, x)
    hess_fwdfwd = jacfwd(jacfwd(predict, argnums=2), argnums=2)(weight, bias, x)
    hess_revrev = jacrev(jacrev(predict, argnums=2), argnums=2)(weight, bias, x)

    assert torch.allclose(hess_api, hess_fwdfwd)
    out.update(
        hess_case=[values(weight), values(bias), values(x)],
        hess_api=values(hess_api),
        hess_fwdfwd=values(hess_fwdfwd),
        hess_revrev=values(hess_revrev),
    )

    # Batch Jacobian and Batch Hessian
    batch_size = 4
    Din = 3
    Dout = 5

    weight = draw.randn(Dout, Din)
    bias = draw.randn(Dout)
    x = draw.randn(batch_size, Din)

    compute_batch_jacobian = vmap(jacrev(predict, argnums=2), in_dims=(None, None, 0))
    batch_jacobian0 = compute_batch_jacobian(weight, bias, x)

    def predict_with_output_summed(weight: Any, bias: Any, x: Any) -> Any:
        return predict(weight, bias, x).sum(0)

    batch_jacobian1 = jacrev(predict_with_output_summed, argnums=2)(weight, bias, x).movedim(1, 0)
    assert torch.allclose(batch_jacobian0, batch_jacobian1)

    compute_batch_hessian = vmap(hessian(predict, argnums=2), in_dims=(None, None, 0))

    batch_hess = compute_batch_hessian(weight, bias, x)
    out.update(
        batch_case=[values(weight), values(bias), values(x)],
        batch_jacobian0=values(batch_jacobian0),
        batch_jacobian1=values(batch_jacobian1),
        batch_hess=values(batch_hess),
    )

    # Computing Hessian-vector products
    jvp, grad, vjp = func.jvp, func.grad, func.vjp

    def hvp(f: Any, primals: Any, tangents: Any) -> Any:
        return jvp(grad(f), primals, tangents)[1]

    def f(x: Any) -> Any:
        return x.sin().sum()

    x = draw.randn(20)
    tangent = draw.randn(20)

    result = hvp(f, (x,), (tangent,))

    def hvp_revrev(f: Any, primals: Any, tangents: Any) -> Any:
        _, vjp_fn = vjp(grad(f), *primals)
        return vjp_fn(*tangents)

    result_hvp_revrev = hvp_revrev(f, (x,), (tangent,))
    assert torch.allclose(result, result_hvp_revrev[0])
    out.update(
        hvp_x=values(x),
        tangent=values(tangent),
        hvp=values(result),
        hvp_revrev=values(result_hvp_revrev[0]),
    )
    return out


def jacobian_of_predict(weight: np.ndarray, bias: np.ndarray, x: np.ndarray) -> np.ndarray:
    """∂ tanh(Wx + b)/∂x = diag(1 - tanh²) W."""
    y = np.tanh(weight @ x + bias)
    return (1 - y**2)[:, None] * weight


def hessian_of_predict(weight: np.ndarray, bias: np.ndarray, x: np.ndarray) -> np.ndarray:
    """∂² tanh(z_i)/∂x∂x with z = Wx + b: -2 tanh(z_i)(1 - tanh²(z_i)) W_i W_iᵀ."""
    y = np.tanh(weight @ x + bias)
    return (-2 * y * (1 - y**2))[:, None, None] * weight[:, :, None] * weight[:, None, :]


def test_jacobians_hessians_hvp() -> None:
    r = run_beside_torch(jacobians_hessians)
    J = jacobian_of_predict(r["weight"], r["bias"], r["x"])
    for key in ("jacobian", "vmap_vjp", "jacrev"):
        np.testing.assert_allclose(r[key], J, rtol=1e-12, atol=1e-15)
    # with respect to W: ∂y_i/∂W_jk = δ_ij (1 - y_i²) x_k; to b: diag(1 - y²)
    y = np.tanh(r["weight"] @ r["x"] + r["bias"])
    D = len(y)
    expected_w = np.einsum("ij,i,k->ijk", np.eye(D), 1 - y**2, r["x"])
    np.testing.assert_allclose(r["jac_weight"], expected_w, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r["jac_bias"], np.diag(1 - y**2), rtol=1e-12, atol=1e-15)
    for Din, Dout in ((3, 7), (7, 3)):
        expected = jacobian_of_predict(*r[f"case_{Din}_{Dout}"])
        assert expected.shape == (Dout, Din)
        np.testing.assert_allclose(r[f"fwd_{Din}_{Dout}"], expected, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(r[f"rev_{Din}_{Dout}"], expected, rtol=1e-12, atol=1e-15)
    H = hessian_of_predict(*r["hess_case"])
    assert H.shape == (3, 6, 6)
    for key in ("hess_api", "hess_fwdfwd", "hess_revrev"):
        np.testing.assert_allclose(r[key], H, rtol=1e-11, atol=1e-14)
    weight, bias, xs = r["batch_case"]
    batch_J = np.stack([jacobian_of_predict(weight, bias, x) for x in xs])
    batch_H = np.stack([hessian_of_predict(weight, bias, x) for x in xs])
    np.testing.assert_allclose(r["batch_jacobian0"], batch_J, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r["batch_jacobian1"], batch_J, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r["batch_hess"], batch_H, rtol=1e-11, atol=1e-14)
    # the Hessian of Σ sin x is diag(-sin x)
    expected_hvp = -np.sin(r["hvp_x"]) * r["tangent"]
    np.testing.assert_allclose(r["hvp"], expected_hvp, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r["hvp_revrev"], expected_hvp, rtol=1e-12, atol=1e-15)


# ----------------------------------------------------------------------------- Neural Tangent
# Kernels: the CNN with 2 channels (32) on 3x8x8 images (3x32x32), so fc is 8 → 3 (21632 → 10);
# 4 training and 2 test points (20 and 5).


def neural_tangent_kernels(lib: str) -> dict[str, Any]:
    torch = importlib.import_module(lib)
    nn = importlib.import_module(f"{lib}.nn")
    func = importlib.import_module(f"{lib}.func")
    functional_call, vmap, vjp, jvp, jacrev = (
        func.functional_call,
        func.vmap,
        func.vjp,
        func.jvp,
        func.jacrev,
    )
    device = "cpu"
    draw = Draw(torch, 14)

    class CNN(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super(CNN, self).__init__()  # noqa: UP008 (as published)
            self.conv1 = nn.Conv2d(3, 2, (3, 3))
            self.conv2 = nn.Conv2d(2, 2, (3, 3))
            self.conv3 = nn.Conv2d(2, 2, (3, 3))
            self.fc = nn.Linear(8, 3)

        def forward(self, x: Any) -> Any:
            x = self.conv1(x)
            x = x.relu()
            x = self.conv2(x)
            x = x.relu()
            x = self.conv3(x)
            x = x.flatten(1)
            x = self.fc(x)
            return x

    x_train = draw.randn(4, 3, 8, 8).to(device)
    x_test = draw.randn(2, 3, 8, 8).to(device)

    net = same_weights(CNN().to(device), torch, 15)

    # Detaching the parameters because we won't be calling Tensor.backward().
    params = {k: v.detach() for k, v in net.named_parameters()}

    def fnet_single(params: Any, x: Any) -> Any:
        return functional_call(net, params, (x.unsqueeze(0),)).squeeze(0)

    def empirical_ntk_jacobian_contraction(
        fnet_single: Any, params: Any, x1: Any, x2: Any, compute: str = "full"
    ) -> Any:
        # Compute J(x1)
        jac1 = vmap(jacrev(fnet_single), (None, 0))(params, x1)
        jac1 = jac1.values()
        jac1 = [j.flatten(2) for j in jac1]

        # Compute J(x2)
        jac2 = vmap(jacrev(fnet_single), (None, 0))(params, x2)
        jac2 = jac2.values()
        jac2 = [j.flatten(2) for j in jac2]

        # Compute J(x1) @ J(x2).T
        einsum_expr = None
        if compute == "full":
            einsum_expr = "Naf,Mbf->NMab"
        elif compute == "trace":
            einsum_expr = "Naf,Maf->NM"
        elif compute == "diagonal":
            einsum_expr = "Naf,Maf->NMa"
        else:
            raise AssertionError

        result = torch.stack([torch.einsum(einsum_expr, j1, j2) for j1, j2 in zip(jac1, jac2)])
        result = result.sum(0)
        return result

    full = empirical_ntk_jacobian_contraction(fnet_single, params, x_train, x_test)
    trace = empirical_ntk_jacobian_contraction(fnet_single, params, x_train, x_test, "trace")
    diagonal = empirical_ntk_jacobian_contraction(fnet_single, params, x_train, x_test, "diagonal")

    def empirical_ntk_ntk_vps(
        func: Any, params: Any, x1: Any, x2: Any, compute: str = "full"
    ) -> Any:
        def get_ntk(x1: Any, x2: Any) -> Any:
            def func_x1(params: Any) -> Any:
                return func(params, x1)

            def func_x2(params: Any) -> Any:
                return func(params, x2)

            output, vjp_fn = vjp(func_x1, params)

            def get_ntk_slice(vec: Any) -> Any:
                # This computes vec @ J(x2).T
                # `vec` is some unit vector (a single slice of the Identity matrix)
                vjps = vjp_fn(vec)
                # This computes J(X1) @ vjps
                _, jvps = jvp(func_x2, (params,), vjps)
                return jvps

            # Here's our identity matrix
            basis = torch.eye(output.numel(), dtype=output.dtype, device=output.device).view(
                output.numel(), -1
            )
            return vmap(get_ntk_slice)(basis)

        # get_ntk(x1, x2) computes the NTK for a single data point x1, x2; the vmaps run it
        # over every pair of data points of {x1} and {x2}.
        result = vmap(vmap(get_ntk, (None, 0)), (0, None))(x1, x2)

        if compute == "full":
            return result
        if compute == "trace":
            return torch.einsum("NMKK->NM", result)
        if compute == "diagonal":
            return torch.einsum("NMKK->NMK", result)
        return None

    result_from_jacobian_contraction = empirical_ntk_jacobian_contraction(
        fnet_single, params, x_test, x_train
    )
    result_from_ntk_vps = empirical_ntk_ntk_vps(fnet_single, params, x_test, x_train)
    assert torch.allclose(result_from_jacobian_contraction, result_from_ntk_vps, atol=1e-5)
    return {
        "full": values(full),
        "trace": values(trace),
        "diagonal": values(diagonal),
        "contraction": values(result_from_jacobian_contraction),
        "ntk_vps": values(result_from_ntk_vps),
        "vps_trace": values(empirical_ntk_ntk_vps(fnet_single, params, x_test, x_train, "trace")),
        "params": {k: values(v) for k, v in params.items()},
        "x_train": values(x_train),
        "x_test": values(x_test),
    }


def cnn_numpy(params: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """The NTK tutorial's CNN on one image, in numpy (valid 3x3 convolutions)."""

    def conv(h: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
        windows = np.lib.stride_tricks.sliding_window_view(h, (3, 3), axis=(1, 2))
        return np.einsum("cijkl,ockl->oij", windows, w) + b[:, None, None]

    h = np.maximum(conv(x, params["conv1.weight"], params["conv1.bias"]), 0)
    h = np.maximum(conv(h, params["conv2.weight"], params["conv2.bias"]), 0)
    h = conv(h, params["conv3.weight"], params["conv3.bias"]).reshape(-1)
    return params["fc.weight"] @ h + params["fc.bias"]


def test_neural_tangent_kernels() -> None:
    r = run_beside_torch(neural_tangent_kernels)
    assert r["full"].shape == (4, 2, 3, 3) and r["contraction"].shape == (2, 4, 3, 3)
    np.testing.assert_allclose(r["ntk_vps"], r["contraction"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(r["trace"], np.einsum("NMkk->NM", r["full"]), rtol=1e-12)
    np.testing.assert_allclose(r["diagonal"], np.einsum("NMkk->NMk", r["full"]), rtol=1e-12)
    np.testing.assert_allclose(r["vps_trace"], np.einsum("NMkk->NM", r["contraction"]), rtol=1e-10)
    # K(x1, x2)_ab = K(x2, x1)_ba
    np.testing.assert_allclose(r["full"], r["contraction"].transpose(1, 0, 3, 2), rtol=1e-10)
    # and J from central differences of a numpy CNN: K = J(x1) J(x2)ᵀ over the flat parameters
    params, names = r["params"], list(r["params"])
    flat = np.concatenate([params[k].reshape(-1) for k in names])

    def jacobian(x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
        def f(v: np.ndarray) -> np.ndarray:
            parts, start = {}, 0
            for k in names:
                n = params[k].size
                parts[k] = v[start : start + n].reshape(params[k].shape)
                start += n
            return cnn_numpy(parts, x)

        cols = []
        for i in range(flat.size):
            step = np.zeros_like(flat)
            step[i] = eps
            cols.append((f(flat + step) - f(flat - step)) / (2 * eps))
        return np.stack(cols, axis=1)

    J_test = [jacobian(x) for x in r["x_test"]]
    J_train = [jacobian(x) for x in r["x_train"]]
    expected = np.array([[a @ b.T for b in J_train] for a in J_test])
    np.testing.assert_allclose(r["contraction"], expected, rtol=1e-6, atol=1e-8)

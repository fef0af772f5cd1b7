"""PyTorch's "Introduction to PyTorch" series and recipes, ported by changing the imports.

Each program is written as the tutorial or recipe publishes it (smaller sizes, synthetic random
data in place of FashionMNIST and CIFAR10, no torchvision) against a library passed by its
package name, imported by torch's paths (``<lib>.nn``, ``<lib>.nn.functional``, ``<lib>.optim``,
``<lib>.utils.data``). The tutorials' ``torch.rand``/``randn`` draw from each library's own
generator (numpy's PCG64 here, not torch's Philox/mt19937), so where a value is compared the
program draws it from a shared numpy generator (``Draw``) and models get the same initial
weights (``same_weights``); what ``manual_seed`` promises (the same numbers again) is checked on
the library's own stream. Each test runs a program on tinygrad_ed and checks a property that
holds without torch, then, where torch is installed, runs the same program on torch and
compares every printed or used quantity to 1e-5 relative (the programs run in float32, as
published; 1e-6 absolute about 0).

The tutorials: tensors_deeper_tutorial, autogradyt_tutorial, modelsyt_tutorial and trainingyt
of the introyt series; the recipes "What is a state_dict", "Saving and loading a general
checkpoint", "Saving and loading multiple models in one file", "Warmstarting model using
parameters from a different model", "Zeroing out gradients" and "Defining a Neural Network".

What does not port (documented divergences, each said where it lives): ``out=`` arguments
(README: "None takes out="), so ``torch.matmul(a, b, out=c)`` and ``torch.rand(2, 2, out=c)``
of tensors_deeper raise TypeError; ``y.data.norm()`` of autogradyt (``Tensor.data`` is the numpy
array: the port says ``y.detach().norm()``); ``torch.autograd.profiler`` (absent: that
section is not ported); grad_fn names lack torch's overload digit (``MulBackward``, not
``MulBackward0``); ``torch.save`` writes an .npz archive (no pickle), read back by ``load``.
Printed forms differ (``size()`` is a tuple, not ``torch.Size``; dtypes are numpy's; numbers
print with numpy's digits), so the programs compare values, not printouts, but for modules'.
Not ported: the Transformer section of modelsyt, the tensorboard and matplotlib lines.
"""

from __future__ import annotations

import functools
import math
import types
import warnings
from pathlib import Path
from typing import Any

import _ports
import numpy as np
import pytest
from _ports import lib
from _ports import numpy_of as values

RTOL = 1e-5  # float32 programs; float64 values agree to rounding


assert_same = functools.partial(_ports.assert_same, rtol=RTOL, atol=1e-6)
run_beside_torch = functools.partial(_ports.run_beside_torch, rtol=RTOL, atol=1e-6)


def dtype_name(dtype: Any) -> str:
    """``float32`` for torch's ``torch.float32`` and for numpy's dtype alike."""
    return str(dtype).removeprefix("torch.")


def grad_fn_name(fn: Any) -> str | None:
    """A grad_fn's name without torch's overload digit (``MulBackward0`` → ``MulBackward``)."""
    return None if fn is None else fn.name().rstrip("0123456789")


class Draw:
    """The tutorials' ``torch.rand``/``torch.randn``, drawn from one numpy stream so that both
    libraries see the same numbers."""

    def __init__(self, torch: Any, seed: int = 0) -> None:
        self.torch, self.rng = torch, np.random.default_rng(seed)

    def rand(self, *size: int, **kw: Any) -> Any:
        return self.torch.tensor(self.rng.random(size).astype(np.float32), **kw)

    def randn(self, *size: int, **kw: Any) -> Any:
        return self.torch.tensor(self.rng.standard_normal(size).astype(np.float32), **kw)


def same_weights(model: Any, torch: Any, seed: int) -> Any:
    """Give every weight (a parameter of two or more dims) uniform(±1/√fan_in), an embedding
    N(0, 1) and every bias uniform(±0.1), from numpy's generator: the same model in both
    libraries."""
    rng = np.random.default_rng(seed)
    state = {}
    for name, p in model.named_parameters():
        shape = tuple(p.shape)
        if "embedding" in name:  # torch's Embedding draws N(0, 1)
            state[name] = torch.tensor(rng.standard_normal(shape).astype(np.float32))
            continue
        if len(shape) >= 2:
            bound = 1 / math.sqrt(int(np.prod(shape[1:])))
        elif name.endswith("bias") or "bias_" in name:
            bound = 0.1
        else:
            continue
        state[name] = torch.tensor(rng.uniform(-bound, bound, shape).astype(np.float32))
    result = model.load_state_dict(state, strict=False)
    assert list(result.unexpected_keys) == []
    return model


# ----------------------------------------------------------------------------- tensors_deeper


def tensors_deeper(root: str) -> dict[str, Any]:
    """Introduction to PyTorch Tensors: creation, dtypes, arithmetic and broadcasting, math,
    in-place ops, copies, shapes and the numpy bridge, as the tutorial prints them."""
    torch = lib(root).torch
    r = Draw(torch)
    out: dict[str, Any] = {}

    x = torch.empty(3, 4)
    out["empty"] = [type(x).__name__, tuple(x.shape), dtype_name(x.dtype)]
    zeros = torch.zeros(2, 3)
    ones = torch.ones(2, 3)
    out["zeros, ones"] = [values(zeros), values(ones)]

    torch.manual_seed(1729)
    random1 = torch.rand(2, 3)
    random2 = torch.rand(2, 3)
    torch.manual_seed(1729)
    random3 = torch.rand(2, 3)
    random4 = torch.rand(2, 3)
    out["manual_seed repeats"] = [
        bool(torch.equal(random1, random3)),
        bool(torch.equal(random2, random4)),
        bool(torch.equal(random1, random2)),
        bool(((random1 >= 0) & (random1 < 1)).all()),
    ]

    x = torch.empty(2, 2, 3)
    empty_like_x = torch.empty_like(x)
    zeros_like_x = torch.zeros_like(x)
    ones_like_x = torch.ones_like(x)
    rand_like_x = torch.rand_like(x)
    out["*_like"] = [
        [tuple(t.shape) for t in (empty_like_x, zeros_like_x, ones_like_x, rand_like_x)],
        values(zeros_like_x),
        values(ones_like_x),
        bool(((rand_like_x >= 0) & (rand_like_x < 1)).all()),
    ]

    some_constants = torch.tensor([[3.1415926, 2.71828], [1.61803, 0.0072897]])
    some_integers = torch.tensor((2, 3, 5, 7, 11, 13, 17, 19))
    more_integers = torch.tensor(((2, 4, 6), [3, 6, 9]))
    out["tensor()"] = [
        [values(t) for t in (some_constants, some_integers, more_integers)],
        [dtype_name(t.dtype) for t in (some_constants, some_integers, more_integers)],
    ]

    a = torch.ones((2, 3), dtype=torch.int16)
    b = r.rand(2, 3, dtype=torch.float64) * 20.0
    c = b.to(torch.int32)
    out["dtypes"] = [[dtype_name(t.dtype) for t in (a, b, c)], values(a), values(b), values(c)]

    ones = torch.zeros(2, 2) + 1
    twos = torch.ones(2, 2) * 2
    threes = (torch.ones(2, 2) * 7 - 1) / 2
    fours = twos**2
    sqrt2s = twos**0.5
    powers2 = twos ** torch.tensor([[1, 2], [3, 4]])
    fives = ones + fours
    dozens = threes * fours
    arithmetic = (ones, twos, threes, fours, sqrt2s, powers2, fives, dozens)
    out["arithmetic"] = [[values(t), dtype_name(t.dtype)] for t in arithmetic]

    a = r.rand(2, 3)
    b = r.rand(3, 2)
    try:
        print(a * b)
        out["(2, 3) * (3, 2)"] = "ran"
    except RuntimeError:
        out["(2, 3) * (3, 2)"] = "RuntimeError"

    rand = r.rand(2, 4)
    doubled = rand * (torch.ones(1, 4) * 2)
    a = torch.ones(4, 3, 2)
    b = a * r.rand(3, 2)  # 3rd & 2nd dims identical to a, dim 1 absent
    c = a * r.rand(3, 1)  # 3rd dim = 1, 2nd dim identical to a
    d = a * r.rand(1, 2)  # 3rd dim identical to a, 2nd dim = 1
    out["broadcasting"] = [values(t) for t in (rand, doubled, b, c, d)]
    failures = []
    for other in (r.rand(4, 3), r.rand(2, 3), r.rand(0)):  # dims must match last-to-first
        try:
            a * other
            failures.append("ran")
        except RuntimeError:
            failures.append("RuntimeError")
    out["broadcasting failures"] = failures

    a = r.rand(2, 4) * 2 - 1
    out["common functions"] = [
        values(t)
        for t in (a, torch.abs(a), torch.ceil(a), torch.floor(a), torch.clamp(a, -0.5, 0.5))
    ]
    angles = torch.tensor([0, math.pi / 4, math.pi / 2, 3 * math.pi / 4])
    sines = torch.sin(angles)
    inverses = torch.asin(sines)
    out["trigonometric"] = [values(angles), values(sines), values(inverses)]
    b = torch.tensor([1, 5, 11])
    c = torch.tensor([2, 7, 10])
    out["bitwise_xor"] = [values(torch.bitwise_xor(b, c)), dtype_name(b.dtype)]
    d = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    e = torch.ones(1, 2)  # many comparison ops support broadcasting!
    eq = torch.eq(d, e)
    out["comparisons"] = [values(eq), dtype_name(eq.dtype)]
    out["all/any"] = [bool(torch.all(d > 0)), bool(torch.any(d > 3)), bool(torch.all(eq))]
    out["reductions"] = [
        values(torch.max(d)),
        torch.max(d).item(),
        values(torch.mean(d)),
        values(torch.std(d)),
        values(torch.prod(d)),
        values(torch.unique(torch.tensor([1, 2, 1, 2, 1, 2]))),
    ]
    v1 = torch.tensor([1.0, 0.0, 0.0])  # x unit vector
    v2 = torch.tensor([0.0, 1.0, 0.0])  # y unit vector
    m1 = r.rand(2, 2)
    m2 = torch.tensor([[3.0, 0.0], [0.0, 3.0]])  # three times identity matrix
    m3 = torch.linalg.matmul(m1, m2)
    out["vector and linear algebra"] = [
        values(torch.linalg.cross(v2, v1)),  # negative of z unit vector (v1 x v2 == -v2 x v1)
        values(m1),
        values(m3),  # 3 times m1
        values(torch.det(m3)),
        values(torch.linalg.svd(m3).S),  # its singular values (the vectors' signs may differ)
    ]

    a = torch.tensor([0, math.pi / 4, math.pi / 2, 3 * math.pi / 4])
    sin_a = torch.sin(a)  # this operation creates a new tensor in memory
    a_after = values(a)  # a has not changed
    b = torch.tensor([0, math.pi / 4, math.pi / 2, 3 * math.pi / 4])
    torch.sin_(b)  # note the underscore
    out["in place: sin_"] = [values(sin_a), a_after, values(b)]
    a = torch.ones(2, 2)
    b = r.rand(2, 2)
    a.add_(b)
    after_add = values(a)
    b.mul_(b)
    out["in place: add_, mul_"] = [after_add, values(b)]

    a = torch.ones(2, 2)
    b = a
    a[0][1] = 561  # we change a...
    out["assignment shares"] = [values(b), b is a]  # ...and b is also altered
    a = torch.ones(2, 2)
    b = a.clone()
    assert b is not a  # different objects in memory...
    same = values(torch.eq(a, b))  # ...but still with the same contents!
    a[0][1] = 561  # a changes...
    out["clone copies"] = [same, values(b)]  # ...but b is still all ones
    a = r.rand(2, 2, requires_grad=True)  # turn on autograd
    b = a.clone()
    c = a.detach().clone()
    out["clone and detach"] = [
        [t.requires_grad for t in (a, b, c)],
        grad_fn_name(b.grad_fn),
        grad_fn_name(c.grad_fn),
        values(c),
    ]
    out["cuda"] = bool(torch.cuda.is_available())
    device = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")
    out["device"] = str(r.rand(2, 2, device=device).device)

    a = r.rand(3, 26, 26)
    b = a.unsqueeze(0)
    c = r.rand(1, 1, 1, 1, 1)
    shapes = [tuple(a.shape), tuple(b.shape), tuple(c.shape)]
    a = r.rand(1, 20)
    b = a.squeeze(0)
    c = r.rand(2, 2)
    d = c.squeeze(0)  # a dim of size 2: nothing to squeeze
    shapes += [tuple(a.shape), tuple(b.shape), tuple(c.shape), tuple(d.shape)]
    a = torch.ones(4, 3, 2)
    c = a * r.rand(3, 1)  # 3rd dim = 1, 2nd dim identical to a
    b = r.rand(3)  # trying to multiply a * b will give a runtime error
    c2 = b.unsqueeze(1)  # change to a 2-dimensional tensor, adding new dim at the end
    shapes += [tuple(c2.shape), tuple((a * c2).shape)]
    batch_me = r.rand(3, 26, 26)
    batch_me.unsqueeze_(0)
    output3d = r.rand(6, 20, 20)
    input1d = output3d.reshape(6 * 20 * 20)
    shapes += [tuple(batch_me.shape), tuple(input1d.shape)]
    shapes += [tuple(torch.reshape(output3d, (6 * 20 * 20,)).shape)]
    shapes += [tuple(output3d.view(6, 400).shape), tuple(b.view(1, 3).shape)]
    out["shapes"] = shapes
    out["shape values"] = [values(a * c2), values(input1d[:5]), values(batch_me[0, 1, 2])]

    numpy_array = np.ones((2, 3))
    pytorch_tensor = torch.from_numpy(numpy_array)
    numpy_array[1, 1] = 23
    pytorch_rand = r.rand(2, 3)
    numpy_rand = pytorch_rand.numpy()
    pytorch_rand[1, 1] = 17
    out["numpy bridge"] = [
        values(pytorch_tensor),
        dtype_name(pytorch_tensor.dtype),
        np.array(numpy_rand, dtype=float),
    ]
    return out


def test_tensors_deeper() -> None:
    out = run_beside_torch(tensors_deeper)
    assert out["manual_seed repeats"] == [True, True, False, True]
    assert out["tensor()"][1] == ["float32", "int64", "int64"]
    assert out["dtypes"][0] == ["int16", "float64", "int32"]
    np.testing.assert_array_equal(out["dtypes"][3], np.trunc(out["dtypes"][2]))
    assert out["arithmetic"][5][0].tolist() == [[2, 4], [8, 16]]  # powers of 2
    assert out["(2, 3) * (3, 2)"] == "RuntimeError"
    assert out["broadcasting failures"] == ["RuntimeError"] * 3
    angles, _, inverses = out["trigonometric"]  # asin undoes sin on [−π/2, π/2]
    np.testing.assert_allclose(inverses, np.minimum(angles, np.pi - angles), atol=1e-6)
    assert out["bitwise_xor"][0].tolist() == [3, 2, 1]
    assert out["reductions"][1] == 4.0 and out["reductions"][5].tolist() == [1, 2]
    assert out["vector and linear algebra"][0].tolist() == [0, 0, -1]
    m1, m3 = out["vector and linear algebra"][1:3]
    np.testing.assert_allclose(m3, 3 * m1, rtol=1e-6)
    assert out["assignment shares"][1] and out["assignment shares"][0][0, 1] == 561
    assert out["clone copies"][1].tolist() == [[1, 1], [1, 1]]
    assert out["clone and detach"][:2] == [[True, True, False], "CloneBackward"]
    assert out["numpy bridge"][0][1, 1] == 23 and out["numpy bridge"][2][1, 1] == 17


def out_arguments(root: str) -> list[Any]:
    """tensors_deeper's "out=" section: the result written into an existing tensor."""
    torch = lib(root).torch
    r = Draw(torch)
    a = r.rand(2, 2)
    b = r.rand(2, 2)
    c = torch.zeros(2, 2)
    old_id = id(c)
    d = torch.matmul(a, b, out=c)
    assert c is d  # test c & d are same object, not just containing equal values
    assert id(c) == old_id  # make sure that our new c is the same object as the old one
    product = values(c)
    torch.add(a, b, out=c)
    total = values(c)
    torch.rand(2, 2, out=c)  # works for creation too!
    assert id(c) == old_id  # still the same object!
    return [product, total, values(c)]


def test_out_arguments() -> None:
    """The section runs here: c keeps the product, then the sum, then the library's own random
    numbers (compared by shape and range)."""
    product, total, drawn = out_arguments("tinygrad_ed")
    rng = np.random.default_rng(0)  # Draw's stream
    a = rng.random((2, 2)).astype(np.float32)
    b = rng.random((2, 2)).astype(np.float32)
    np.testing.assert_allclose(product, a @ b, rtol=RTOL)
    np.testing.assert_allclose(total, a + b, rtol=RTOL)
    assert np.shape(drawn) == (2, 2) and ((drawn >= 0) & (drawn < 1)).all()
    pytest.importorskip("torch")
    theirs = out_arguments("torch")
    assert_same([product, total], theirs[:2])


# ----------------------------------------------------------------------------- autogradyt


def autogradyt(root: str) -> dict[str, Any]:
    """The Fundamentals of Autograd: the sin graph walked by next_functions, a tiny model's
    gradients and SGD step, accumulation and zero_grad, autograd off and on, detach, the
    in-place refusal, backward with a vector, and autograd.functional."""
    L = lib(root)
    torch = L.torch
    r = Draw(torch)
    out: dict[str, Any] = {}

    a = torch.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
    b = torch.sin(a)
    c = 2 * b
    d = c + 1
    output = d.sum()
    walk = [d.grad_fn, d.grad_fn.next_functions, d.grad_fn.next_functions[0][0].next_functions]
    walk.append(d.grad_fn.next_functions[0][0].next_functions[0][0].next_functions)
    walk.append(d.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0])
    walk.append(walk[-1].next_functions)
    out["walk"] = [
        grad_fn_name(walk[0]),
        [[grad_fn_name(f), i] for f, i in walk[1]],
        [[grad_fn_name(f), i] for f, i in walk[2]],
        [[grad_fn_name(f), i] for f, i in walk[3]],
        walk[4].variable is a,
        list(walk[5]),
    ]
    out["grad_fns"] = [grad_fn_name(t.grad_fn) for t in (a, b, c, d, output)]
    output.backward()
    out["sin grad"] = [values(a), values(a.grad)]

    BATCH_SIZE = 16
    DIM_IN = 1000
    HIDDEN_SIZE = 100
    DIM_OUT = 10

    class TinyModel(L.nn.Module):  # type: ignore[name-defined, misc]
        def __init__(self) -> None:
            super(TinyModel, self).__init__()  # noqa: UP008 (the tutorial's spelling)
            self.layer1 = torch.nn.Linear(DIM_IN, HIDDEN_SIZE)
            self.relu = torch.nn.ReLU()
            self.layer2 = torch.nn.Linear(HIDDEN_SIZE, DIM_OUT)

        def forward(self, x: Any) -> Any:
            x = self.layer1(x)
            x = self.relu(x)
            x = self.layer2(x)
            return x

    some_input = r.randn(BATCH_SIZE, DIM_IN, requires_grad=False)
    ideal_output = r.randn(BATCH_SIZE, DIM_OUT, requires_grad=False)
    model = same_weights(TinyModel(), torch, seed=1)
    tiny = [values(model.layer2.weight[0][0:10]), model.layer2.weight.grad]
    optimizer = torch.optim.SGD(model.parameters(), lr=0.001)
    prediction = model(some_input)
    loss = (ideal_output - prediction).pow(2).sum()
    tiny.append(loss.item())
    loss.backward()
    tiny += [values(model.layer2.weight[0][0:10]), values(model.layer2.weight.grad[0][0:10])]
    optimizer.step()
    tiny += [values(model.layer2.weight[0][0:10]), values(model.layer2.weight.grad[0][0:10])]
    losses = []
    for _i in range(0, 5):
        prediction = model(some_input)
        loss = (ideal_output - prediction).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
    tiny += [losses, values(model.layer2.weight.grad[0][0:10])]  # six gradients summed
    optimizer.zero_grad(set_to_none=False)
    tiny.append(values(model.layer2.weight.grad[0][0:10]))
    out["tiny model"] = tiny

    a = torch.ones(2, 3, requires_grad=True)
    b1 = 2 * a
    a.requires_grad = False
    b2 = 2 * a
    switch = [grad_fn_name(b1.grad_fn), grad_fn_name(b2.grad_fn), b2.requires_grad]
    a = torch.ones(2, 3, requires_grad=True) * 2
    b = torch.ones(2, 3, requires_grad=True) * 3
    c1 = a + b
    with torch.no_grad():
        c2 = a + b
    c3 = a * b
    switch += [grad_fn_name(t.grad_fn) for t in (c1, c2, c3)]

    def add_tensors1(x: Any, y: Any) -> Any:
        return x + y

    @torch.no_grad()
    def add_tensors2(x: Any, y: Any) -> Any:
        return x + y

    c1 = add_tensors1(a, b)
    c2 = add_tensors2(a, b)
    switch += [c1.requires_grad, c2.requires_grad, values(c2)]
    x = r.rand(5, requires_grad=True)
    y = x.detach()
    switch += [x.requires_grad, y.requires_grad, values(y)]
    out["autograd off and on"] = switch

    a = torch.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
    try:
        torch.sin_(a)
        out["sin_ of a leaf"] = "ran"
    except RuntimeError as e:
        out["sin_ of a leaf"] = "leaf Variable that requires grad" in str(e)

    x = r.randn(3, requires_grad=True)
    y = x * 2
    while y.detach().norm() < 1000:  # the tutorial's y.data.norm(): .data is numpy here
        y = y * 2
    v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
    y.backward(v)
    out["backward(v)"] = [values(x), values(y), values(x.grad)]

    def exp_adder(x: Any, y: Any) -> Any:
        return 2 * x.exp() + 3 * y

    jacobians = []
    for n in (1, 3):
        inputs = (r.rand(n), r.rand(n))  # arguments for the function
        jac = torch.autograd.functional.jacobian(exp_adder, inputs)
        jacobians.append([values(inputs[0]), [values(j) for j in jac]])
    out["jacobian"] = jacobians

    def do_some_doubling(x: Any) -> Any:
        y = x * 2
        while y.detach().norm() < 1000:
            y = y * 2
        return y

    inputs = r.randn(3)
    my_gradients = torch.tensor([0.1, 1.0, 0.0001])
    out["vjp"] = [
        values(t) for t in torch.autograd.functional.vjp(do_some_doubling, inputs, v=my_gradients)
    ]

    def pow_reducer(x: Any) -> Any:
        return x.pow(3).sum()

    inputs = r.rand(2, 2)
    v = torch.ones(2, 2)
    hvp = torch.autograd.functional.hvp(pow_reducer, inputs, v)
    out["hvp"] = [values(inputs), values(hvp[0]), values(hvp[1])]
    return out


def test_autogradyt() -> None:
    out = run_beside_torch(autogradyt)
    assert out["walk"] == [
        "AddBackward",
        [["MulBackward", 0], [None, 0]],
        [["SinBackward", 0], [None, 0]],
        [["torch::autograd::AccumulateGrad", 0]],
        True,
        [],
    ]
    assert out["grad_fns"] == [None, "SinBackward", "MulBackward", "AddBackward", "SumBackward"]
    a, grad = out["sin grad"]
    np.testing.assert_allclose(grad, 2 * np.cos(a), atol=1e-6)  # d/da Σ(2 sin a + 1)
    tiny = out["tiny model"]
    assert tiny[1] is None  # no gradient before backward
    np.testing.assert_allclose(tiny[5], tiny[3] - 0.001 * tiny[4], rtol=1e-6, atol=1e-7)
    assert tiny[7][0] < tiny[2]  # the step lowered the loss
    np.testing.assert_allclose(tiny[7][1:], tiny[7][0])  # no more steps: the same loss 5 times
    assert np.abs(tiny[8]).sum() > 5 * np.abs(tiny[6]).sum()  # accumulated: about 6 gradients
    assert not tiny[9].any()  # zero_grad(set_to_none=False)
    switch = out["autograd off and on"]
    assert switch[:6] == ["MulBackward", None, False, "AddBackward", None, "MulBackward"]
    assert switch[6:8] == [True, False] and switch[9:11] == [True, False]
    assert out["sin_ of a leaf"] is True
    x, y, x_grad = out["backward(v)"]
    scale = y / x  # y = 2ᵏ·x, so x̄ = 2ᵏ·v
    assert np.linalg.norm(y) >= 1000 and np.all(scale == scale[0]) and scale[0] >= 2
    np.testing.assert_allclose(x_grad, np.array([0.1, 1.0, 0.0001]) * scale[0], rtol=1e-6)
    output, vjp = out["vjp"]
    assert np.linalg.norm(output) >= 1000
    np.testing.assert_allclose(vjp, np.array([0.1, 1.0, 0.0001]) * (vjp[1] / 1.0), rtol=1e-6)
    for x, (jx, jy) in out["jacobian"]:
        np.testing.assert_allclose(jx, np.diag(2 * np.exp(x)), rtol=1e-6)
        np.testing.assert_allclose(jy, 3 * np.eye(len(x)))
    inputs, value, hvp = out["hvp"]
    np.testing.assert_allclose(value, (inputs**3).sum(), rtol=1e-6)
    np.testing.assert_allclose(hvp, 6 * inputs, rtol=1e-6)  # Hessian diag(6x) times ones


# ----------------------------------------------------------------------------- modelsyt


def modelsyt(root: str) -> dict[str, Any]:
    """Building Models with PyTorch: TinyModel's printout and parameters, Linear, LeNet, an
    LSTMTagger trained a few steps, MaxPool2d, BatchNorm1d and Dropout."""
    L = lib(root)
    torch, F = L.torch, L.F
    r = Draw(torch)
    out: dict[str, Any] = {}

    class TinyModel(torch.nn.Module):  # type: ignore[name-defined, misc]
        def __init__(self) -> None:
            super(TinyModel, self).__init__()  # noqa: UP008
            self.linear1 = torch.nn.Linear(100, 200)
            self.activation = torch.nn.ReLU()
            self.linear2 = torch.nn.Linear(200, 10)
            self.softmax = torch.nn.Softmax()

        def forward(self, x: Any) -> Any:
            x = self.linear1(x)
            x = self.activation(x)
            x = self.linear2(x)
            x = self.softmax(x)
            return x

    tinymodel = same_weights(TinyModel(), torch, seed=2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        probabilities = tinymodel(r.rand(3, 100))
    out["TinyModel"] = [
        str(tinymodel),
        str(tinymodel.linear2),
        [tuple(p.shape) for p in tinymodel.parameters()],
        [(name, tuple(p.shape)) for name, p in tinymodel.named_parameters()],
        [tuple(p.shape) for p in tinymodel.linear2.parameters()],
        values(probabilities),
        ["Implicit dimension choice for softmax" in str(w.message) for w in caught],
    ]

    lin = same_weights(torch.nn.Linear(3, 2), torch, seed=3)
    x = r.rand(1, 3)
    y = lin(x)
    out["Linear"] = [values(x), [values(p) for p in lin.parameters()], values(y)]

    class LeNet(torch.nn.Module):  # type: ignore[name-defined, misc]
        def __init__(self) -> None:
            super(LeNet, self).__init__()  # noqa: UP008
            # 1 input image channel (black & white), 6 output channels, 5x5 square convolution
            self.conv1 = torch.nn.Conv2d(1, 6, 5)
            self.conv2 = torch.nn.Conv2d(6, 16, 3)
            # an affine operation: y = Wx + b
            self.fc1 = torch.nn.Linear(16 * 6 * 6, 120)  # 6*6 from image dimension
            self.fc2 = torch.nn.Linear(120, 84)
            self.fc3 = torch.nn.Linear(84, 10)

        def forward(self, x: Any) -> Any:
            # Max pooling over a (2, 2) window
            x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
            # If the size is a square you can only specify a single number
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = x.view(-1, self.num_flat_features(x))
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            x = self.fc3(x)
            return x

        def num_flat_features(self, x: Any) -> int:
            size = x.size()[1:]  # all dimensions except the batch dimension
            num_features = 1
            for s in size:
                num_features *= s
            return num_features

    net = same_weights(LeNet(), torch, seed=4)
    lenet_out = net(r.rand(2, 1, 32, 32))
    lenet_out.sum().backward()
    out["LeNet"] = [
        str(net),
        values(lenet_out),
        values(net.conv1.weight.grad[0, 0]),
        values(net.fc1.bias.grad[:8]),
    ]

    class LSTMTagger(torch.nn.Module):  # type: ignore[name-defined, misc]
        def __init__(
            self, embedding_dim: int, hidden_dim: int, vocab_size: int, tagset_size: int
        ) -> None:
            super(LSTMTagger, self).__init__()  # noqa: UP008
            self.hidden_dim = hidden_dim
            self.word_embeddings = torch.nn.Embedding(vocab_size, embedding_dim)
            # The LSTM takes word embeddings as inputs, and outputs hidden states
            # with dimensionality hidden_dim.
            self.lstm = torch.nn.LSTM(embedding_dim, hidden_dim)
            # The linear layer that maps from hidden state space to tag space
            self.hidden2tag = torch.nn.Linear(hidden_dim, tagset_size)

        def forward(self, sentence: Any) -> Any:
            embeds = self.word_embeddings(sentence)
            lstm_out, _ = self.lstm(embeds.view(len(sentence), 1, -1))
            tag_space = self.hidden2tag(lstm_out.view(len(sentence), -1))
            tag_scores = F.log_softmax(tag_space, dim=1)
            return tag_scores

    def prepare_sequence(seq: list[str], to_ix: dict[str, int]) -> Any:
        idxs = [to_ix[w] for w in seq]
        return torch.tensor(idxs, dtype=torch.long)

    training_data = [
        ("The dog ate the apple".split(), ["DET", "NN", "V", "DET", "NN"]),  # noqa: SIM905
        ("Everybody read that book".split(), ["NN", "V", "DET", "NN"]),  # noqa: SIM905
    ]
    word_to_ix: dict[str, int] = {}
    for sent, _tags in training_data:
        for word in sent:
            if word not in word_to_ix:  # word has not been assigned an index yet
                word_to_ix[word] = len(word_to_ix)  # Assign each word with a unique index
    tag_to_ix = {"DET": 0, "NN": 1, "V": 2}  # Assign each tag with a unique index
    EMBEDDING_DIM = 6
    HIDDEN_DIM = 6
    model = LSTMTagger(EMBEDDING_DIM, HIDDEN_DIM, len(word_to_ix), len(tag_to_ix))
    model = same_weights(model, torch, seed=5)
    loss_function = torch.nn.NLLLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with torch.no_grad():
        inputs = prepare_sequence(training_data[0][0], word_to_ix)
        before = values(model(inputs))
    losses = []
    for _epoch in range(40):  # 300 in the tutorial
        for sentence, tags in training_data:
            model.zero_grad()
            sentence_in = prepare_sequence(sentence, word_to_ix)
            targets = prepare_sequence(tags, tag_to_ix)
            tag_scores = model(sentence_in)
            loss = loss_function(tag_scores, targets)
            losses.append(loss.item())
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        inputs = prepare_sequence(training_data[0][0], word_to_ix)
        after = values(model(inputs))
    out["LSTMTagger"] = [before, losses, after, values(model.lstm.weight_hh_l0[:2])]

    my_tensor = r.rand(1, 6, 6)
    maxpool_layer = torch.nn.MaxPool2d(3)
    out["MaxPool2d"] = [values(my_tensor), values(maxpool_layer(my_tensor))]

    my_tensor = r.rand(1, 4, 4) * 20 + 5
    norm_layer = torch.nn.BatchNorm1d(4)
    normed_tensor = norm_layer(my_tensor)
    out["BatchNorm1d"] = [
        values(my_tensor),
        values(my_tensor.mean()),
        values(normed_tensor),
        values(normed_tensor.mean()),
        values(norm_layer.running_mean),
        values(norm_layer.running_var),
        norm_layer.num_batches_tracked.item(),
    ]

    my_tensor = r.rand(1, 4, 4)
    dropout = torch.nn.Dropout(p=0.4)
    out["Dropout"] = [values(my_tensor), values(dropout(my_tensor)), values(dropout(my_tensor))]
    dropout.eval()
    out["Dropout eval"] = values(dropout(my_tensor))
    return out


def test_modelsyt() -> None:
    out = run_beside_torch(modelsyt, draws=("Dropout",))
    tiny = out["TinyModel"]
    assert tiny[0].startswith("TinyModel(\n  (linear1): Linear(in_features=100, out_features=200")
    assert tiny[2] == [(200, 100), (200,), (10, 200), (10,)] and tiny[6] == [True]
    np.testing.assert_allclose(tiny[5].sum(1), 1, rtol=1e-6)  # softmax over dim 1
    x, (w, b), y = out["Linear"]
    np.testing.assert_allclose(y, x @ w.T + b, rtol=1e-6)
    assert out["LeNet"][1].shape == (2, 10)
    _before, losses, after = out["LSTMTagger"][:3]
    epochs = np.add.reduceat(losses, np.arange(0, len(losses), 2))  # both sentences' loss
    assert np.all(np.diff(epochs) < 0)  # falls at every epoch
    np.testing.assert_allclose(np.exp(after).sum(1), 1, rtol=1e-6)  # log-probabilities
    my_tensor, pooled = out["MaxPool2d"]
    blocks = my_tensor.reshape(1, 2, 3, 2, 3).max(axis=(2, 4))
    np.testing.assert_array_equal(pooled, blocks)
    x, mean, normed, normed_mean, running_mean, running_var, tracked = out["BatchNorm1d"]
    assert mean > 10 and abs(normed_mean) < 1e-6 and tracked == 1
    np.testing.assert_allclose(
        normed, (x - x.mean(2, keepdims=True)) / np.sqrt(x.var(2, keepdims=True) + 1e-5), rtol=1e-4
    )
    np.testing.assert_allclose(running_mean, 0.1 * x.mean(axis=(0, 2)), rtol=1e-5)
    np.testing.assert_allclose(running_var, 0.9 + 0.1 * x[0].var(axis=1, ddof=1), rtol=1e-5)
    x, *dropped = out["Dropout"]
    for d in dropped:  # each entry zeroed or scaled by 1 / (1 − p)
        assert np.all((d == 0) | np.isclose(d, x / 0.6, rtol=1e-6))
    np.testing.assert_array_equal(out["Dropout eval"], x)


# ----------------------------------------------------------------------------- trainingyt


def garments(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """FashionMNIST's shapes, (n, 1, 28, 28) images and labels 0–9: noise with a bright 4×4
    patch at a place given by the label, so that the classes can be learned."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    images = rng.random((n, 1, 28, 28)).astype(np.float32) * 0.5
    for image, label in zip(images, labels):
        row, col = divmod(int(label), 5)
        image[0, 4 + 12 * row : 8 + 12 * row, 2 + 5 * col : 6 + 5 * col] += 1.0
    return (images - 0.5) / 0.5, labels


def trainingyt(root: str, tmp: Path, shuffle: bool = False) -> dict[str, Any]:
    """Training with PyTorch: GarmentClassifier, CrossEntropyLoss, SGD with momentum, a
    training loop reporting the running loss, validation under eval() and no_grad, and the
    best model saved by its state_dict. ``shuffle=False`` where the libraries' orders are
    compared (the tutorial shuffles the training set; each library draws its own order)."""
    L = lib(root)
    torch, nn, F = L.torch, L.nn, L.F
    train_images, train_labels = garments(24, seed=6)
    val_images, val_labels = garments(8, seed=7)
    training_set = L.data.TensorDataset(torch.tensor(train_images), torch.tensor(train_labels))
    validation_set = L.data.TensorDataset(torch.tensor(val_images), torch.tensor(val_labels))
    # Create data loaders for our datasets; shuffle for training, not for validation
    training_loader = L.data.DataLoader(training_set, batch_size=4, shuffle=shuffle)
    validation_loader = L.data.DataLoader(validation_set, batch_size=4, shuffle=False)
    classes = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat")
    classes += ("Sandal", "Shirt", "Sneaker", "Bag", "Ankle Boot")
    dataiter = iter(training_loader)
    images, labels = next(dataiter)
    out: dict[str, Any] = {"first batch": [tuple(images.shape), [classes[i] for i in labels]]}

    class GarmentClassifier(nn.Module):  # type: ignore[name-defined, misc]
        def __init__(self) -> None:
            super(GarmentClassifier, self).__init__()  # noqa: UP008
            self.conv1 = nn.Conv2d(1, 6, 5)
            self.pool = nn.MaxPool2d(2, 2)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 4 * 4, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x: Any) -> Any:
            x = self.pool(F.relu(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = x.view(-1, 16 * 4 * 4)
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            x = self.fc3(x)
            return x

    model = same_weights(GarmentClassifier(), torch, seed=8)
    loss_fn = torch.nn.CrossEntropyLoss()
    # NB: Loss functions expect data in batches, so we're creating batches of 4
    # Represents the model's confidence in each of the 10 classes for a given input
    dummy_outputs = torch.tensor(np.random.default_rng(9).random((4, 10)).astype(np.float32))
    # Represents the correct class among the 10 being tested
    dummy_labels = torch.tensor([1, 5, 3, 7])
    out["dummy loss"] = loss_fn(dummy_outputs, dummy_labels).item()
    # Optimizers specified in the torch.optim package
    optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)  # 0.001 published

    def train_one_epoch(epoch_index: int) -> tuple[float, list[float]]:
        running_loss = 0.0
        last_loss = 0.0
        reports = []
        # Here, we use enumerate(training_loader) instead of iter(training_loader) so that
        # we can track the batch index and do some intra-epoch reporting
        for i, data in enumerate(training_loader):
            # Every data instance is an input + label pair
            inputs, labels = data
            # Zero your gradients for every batch!
            optimizer.zero_grad()
            # Make predictions for this batch
            outputs = model(inputs)
            # Compute the loss and its gradients
            loss = loss_fn(outputs, labels)
            loss.backward()
            # Adjust learning weights
            optimizer.step()
            # Gather data and report
            running_loss += loss.item()
            if i % 4 == 3:  # every 1000 batches in the tutorial
                last_loss = running_loss / 4  # loss per batch
                reports.append(last_loss)
                running_loss = 0.0
        return last_loss, reports

    epoch_number = 0
    EPOCHS = 3
    best_vloss = 1_000_000.0
    saved = []
    history = []
    for _epoch in range(EPOCHS):
        # Make sure gradient tracking is on, and do a pass over the data
        model.train(True)
        avg_loss, reports = train_one_epoch(epoch_number)
        running_vloss = 0.0
        # Set the model to evaluation mode, disabling dropout and using population
        # statistics for batch normalization.
        model.eval()
        # Disable gradient computation and reduce memory consumption.
        with torch.no_grad():
            for i, vdata in enumerate(validation_loader):  # noqa: B007 (i read below)
                vinputs, vlabels = vdata
                voutputs = model(vinputs)
                vloss = loss_fn(voutputs, vlabels)
                running_vloss += vloss
        avg_vloss = running_vloss / (i + 1)
        history.append([avg_loss, reports, avg_vloss.item(), model.training])
        # Track best performance, and save the model's state
        if avg_vloss < best_vloss:
            best_vloss = avg_vloss
            model_path = tmp / f"model_{root}_{epoch_number}"
            torch.save(model.state_dict(), model_path)
            saved.append(epoch_number)
        epoch_number += 1  # noqa: SIM113 (the tutorial's counter)
    out["history"] = history
    out["saved"] = saved
    saved_model = GarmentClassifier()
    saved_model.load_state_dict(torch.load(tmp / f"model_{root}_{saved[-1]}"))
    saved_model.eval()
    with torch.no_grad():
        best = saved_model(torch.tensor(val_images))
        best_loss = loss_fn(best, torch.tensor(val_labels))
    out["best model"] = [values(best), best_loss.item(), best_vloss.item()]
    return out


def test_trainingyt(tmp_path: Path) -> None:
    out = run_beside_torch(trainingyt, tmp_path)
    assert out["first batch"][0] == (4, 1, 28, 28)
    assert 2.0 < out["dummy loss"] < 2.6  # about ln 10 for scores in [0, 1)
    history = out["history"]
    assert all(epoch[3] is False for epoch in history)  # eval() after each epoch's training
    assert [len(epoch[1]) for epoch in history] == [1, 1, 1]  # 6 batches: one report each
    assert history[-1][0] < history[0][0] and history[-1][2] < history[0][2]  # losses fall
    assert out["saved"][0] == 0
    _, reloaded, best = out["best model"]  # 8 examples in two batches of 4: mean of means
    np.testing.assert_allclose(reloaded, best, rtol=1e-6)
    shuffled = trainingyt("tinygrad_ed", tmp_path, True)  # as published
    assert shuffled["first batch"][0] == (4, 1, 28, 28) and len(shuffled["history"]) == 3


# ----------------------------------------------------------------------------- recipes


def cifar_net(L: types.SimpleNamespace) -> Any:
    """The recipes' Net for 3×32×32 images (CIFAR10)."""
    nn, F = L.nn, L.F

    class Net(nn.Module):  # type: ignore[name-defined, misc]
        def __init__(self) -> None:
            super(Net, self).__init__()  # noqa: UP008
            self.conv1 = nn.Conv2d(3, 6, 5)
            self.pool = nn.MaxPool2d(2, 2)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x: Any) -> Any:
            x = self.pool(F.relu(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = x.view(-1, 16 * 5 * 5)
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            x = self.fc3(x)
            return x

    return Net


def cifar_batches(torch: Any, n: int, seed: int) -> list[tuple[Any, Any]]:
    """Batches of 4 random 3×32×32 images, normalized to [−1, 1), with labels 0–9."""
    rng = np.random.default_rng(seed)
    images = rng.random((n, 3, 32, 32)).astype(np.float32) * 2 - 1
    labels = rng.integers(0, 10, n)
    return [
        (torch.tensor(images[i : i + 4]), torch.tensor(labels[i : i + 4])) for i in range(0, n, 4)
    ]


def state_dict_recipes(root: str, tmp: Path) -> dict[str, Any]:
    """What is a state_dict; saving and loading a general checkpoint; several models in one
    file; warmstarting a model from another's parameters (``strict=False``)."""
    L = lib(root)
    torch, nn, optim = L.torch, L.nn, L.optim
    Net = cifar_net(L)
    out: dict[str, Any] = {}

    net = same_weights(Net(), torch, seed=10)
    optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    # Print model's state_dict
    out["model state_dict"] = [
        [param_tensor, tuple(net.state_dict()[param_tensor].size())]
        for param_tensor in net.state_dict()
    ]
    groups = optimizer.state_dict()["param_groups"]
    flags = ("foreach", "differentiable", "fused")  # torch's, not here (see the docstring)
    out["optimizer state_dict"] = [
        list(optimizer.state_dict()),
        optimizer.state_dict()["state"],
        [{k: v for k, v in group.items() if k not in flags} for group in groups],
    ]

    # Saving and loading a general checkpoint: train two steps, save, then resume.
    criterion = nn.CrossEntropyLoss()
    batches = cifar_batches(torch, 16, seed=11)

    def step(model: Any, optimizer: Any, batch: tuple[Any, Any]) -> float:
        optimizer.zero_grad()
        loss = criterion(model(batch[0]), batch[1])
        loss.backward()
        optimizer.step()
        return float(loss.item())

    losses = [step(net, optimizer, batch) for batch in batches[:2]]
    EPOCH = 5
    PATH = tmp / f"model_{root}.pt"
    LOSS = 0.4
    torch.save(
        {
            "epoch": EPOCH,
            "model_state_dict": net.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(),
            "loss": LOSS,
        },
        PATH,
    )
    model = Net()
    optimizer2 = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
    checkpoint = torch.load(PATH, weights_only=True)
    model.load_state_dict(checkpoint["model_state_dict"])
    optimizer2.load_state_dict(checkpoint["optimizer_state_dict"])
    epoch = checkpoint["epoch"]
    loss = checkpoint["loss"]
    model.eval()
    # - or -
    model.train()
    resumed = [step(model, optimizer2, batch) for batch in batches[2:]]
    continued = [step(net, optimizer, batch) for batch in batches[2:]]
    out["checkpoint"] = [
        epoch,
        loss,
        sorted(checkpoint),
        losses,
        resumed,
        continued,
        [values(p) for p in model.parameters()][-1],
        [values(p) for p in net.parameters()][-1],
        values(optimizer2.state_dict()["state"][0]["momentum_buffer"][0, 0]),
    ]

    # Saving and loading multiple models in one file
    netA = same_weights(Net(), torch, seed=12)
    netB = same_weights(Net(), torch, seed=13)
    optimizerA = optim.SGD(netA.parameters(), lr=0.001, momentum=0.9)
    optimizerB = optim.SGD(netB.parameters(), lr=0.001, momentum=0.9)
    step(netA, optimizerA, batches[0])
    PATH = tmp / f"models_{root}.pt"
    torch.save(
        {
            "modelA_state_dict": netA.state_dict(),
            "modelB_state_dict": netB.state_dict(),
            "optimizerA_state_dict": optimizerA.state_dict(),
            "optimizerB_state_dict": optimizerB.state_dict(),
        },
        PATH,
    )
    modelA = Net()
    modelB = Net()
    optimModelA = optim.SGD(modelA.parameters(), lr=0.001, momentum=0.9)
    optimModelB = optim.SGD(modelB.parameters(), lr=0.001, momentum=0.9)
    checkpoint = torch.load(PATH, weights_only=True)
    modelA.load_state_dict(checkpoint["modelA_state_dict"])
    modelB.load_state_dict(checkpoint["modelB_state_dict"])
    optimModelA.load_state_dict(checkpoint["optimizerA_state_dict"])
    optimModelB.load_state_dict(checkpoint["optimizerB_state_dict"])
    modelA.eval()
    modelB.eval()
    x = batches[1][0]
    out["multiple models"] = [
        values(modelA(x)),
        values(modelB(x)),
        bool(torch.equal(modelA(x), netA(x))),
        bool(torch.equal(modelB(x), netB(x))),
        len(optimModelA.state_dict()["state"]),
        len(optimModelB.state_dict()["state"]),
    ]

    # Warmstarting model using parameters from a different model
    class NetB(Net):  # type: ignore[misc, valid-type]
        """Another head: fc3 renamed and a layer added, as when transfer learning."""

        def __init__(self) -> None:
            super().__init__()
            del self.fc3
            self.out = nn.Linear(84, 2)
            self.extra = nn.Linear(2, 2)

    netA = same_weights(Net(), torch, seed=14)
    PATH = tmp / f"netA_{root}.pt"
    torch.save(netA.state_dict(), PATH)
    netB = Net()
    same = netB.load_state_dict(torch.load(PATH, weights_only=True), strict=False)
    other = NetB()
    result = other.load_state_dict(torch.load(PATH, weights_only=True), strict=False)
    try:
        NetB().load_state_dict(torch.load(PATH, weights_only=True))
        strict = "loaded"
    except RuntimeError as e:
        strict = str(e).splitlines()[0]
    out["warmstart"] = [
        [list(same.missing_keys), list(same.unexpected_keys)],
        [list(result.missing_keys), list(result.unexpected_keys)],
        strict,
        bool(torch.equal(netB(x), netA(x))),
        bool(torch.equal(other.fc1.weight, netA.fc1.weight)),
    ]
    return out


def test_state_dict_recipes(tmp_path: Path) -> None:
    out = run_beside_torch(state_dict_recipes, tmp_path)
    assert [k for k, _ in out["model state_dict"]][:3] == [
        "conv1.weight",
        "conv1.bias",
        "conv2.weight",
    ]
    keys, state, groups = out["optimizer state_dict"]
    assert keys == ["state", "param_groups"] and state == {}
    assert groups[0]["params"] == list(range(10)) and groups[0]["momentum"] == 0.9
    epoch, loss, keys, _, resumed, continued, p, q, _ = out["checkpoint"]
    assert (epoch, loss, keys) == (
        5,
        0.4,
        ["epoch", "loss", "model_state_dict", "optimizer_state_dict"],
    )
    assert resumed == continued  # resuming from the checkpoint is exactly continuing
    np.testing.assert_array_equal(p, q)
    assert out["multiple models"][2:] == [True, True, 10, 0]
    same, other, strict, equal, copied = out["warmstart"]
    assert same == [[], []] and equal and copied
    assert other == [
        ["out.weight", "out.bias", "extra.weight", "extra.bias"],
        ["fc3.weight", "fc3.bias"],
    ]
    assert strict.startswith("Error(s) in loading state_dict for NetB")


def zeroing_gradients(root: str) -> dict[str, Any]:
    """Zeroing out gradients in PyTorch: the CIFAR loop with ``optimizer.zero_grad()``, and
    the same loop without it, whose gradients pile up."""
    L = lib(root)
    torch, nn, optim = L.torch, L.nn, L.optim
    Net = cifar_net(L)
    out: dict[str, Any] = {}
    for zero in (True, False):
        net = same_weights(Net(), torch, seed=15)
        criterion = nn.CrossEntropyLoss()
        optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
        trainloader = cifar_batches(torch, 16, seed=16)
        reports, norms = [], []
        for _epoch in range(2):  # loop over the dataset multiple times
            running_loss = 0.0
            for i, data in enumerate(trainloader, 0):
                # get the inputs; data is a list of [inputs, labels]
                inputs, labels = data
                # zero the parameter gradients
                if zero:
                    optimizer.zero_grad()
                # forward + backward + optimize
                outputs = net(inputs)
                loss = criterion(outputs, labels)
                loss.backward()
                optimizer.step()
                norms.append(net.fc3.weight.grad.norm().item())
                # print statistics
                running_loss += loss.item()
                if i % 2 == 1:  # print every 2000 mini-batches in the recipe
                    reports.append(running_loss / 2)
                    running_loss = 0.0
        out[f"zero_grad {zero}"] = [reports, norms]
    return out


def test_zeroing_out_gradients() -> None:
    out = run_beside_torch(zeroing_gradients)
    reports, norms = out["zero_grad True"]
    piled_reports, piled = out["zero_grad False"]
    assert len(reports) == 4 and reports[0] == piled_reports[0]  # the same first two steps
    assert piled[0] == norms[0] and piled[-1] > 2 * norms[-1]  # then the gradients pile up


def defining_a_network(root: str) -> dict[str, Any]:
    """Defining a Neural Network in PyTorch: conv, Dropout2d, Linear and log_softmax, random
    data through it in training mode (each library's own dropout masks) and in eval mode."""
    L = lib(root)
    torch, nn, F = L.torch, L.nn, L.F

    class Net(nn.Module):  # type: ignore[name-defined, misc]
        def __init__(self) -> None:
            super(Net, self).__init__()  # noqa: UP008
            # First 2D convolutional layer, taking in 1 input channel (image),
            # outputting 32 convolutional features, with a square kernel size of 3
            self.conv1 = nn.Conv2d(1, 32, 3, 1)
            # Second 2D convolutional layer, taking in the 32 input layers,
            # outputting 64 convolutional features, with a square kernel size of 3
            self.conv2 = nn.Conv2d(32, 64, 3, 1)
            # Designed to ensure that adjacent pixels are either all 0s or all active
            # with an input probability
            self.dropout1 = nn.Dropout2d(0.25)
            self.dropout2 = nn.Dropout2d(0.5)
            # First fully connected layer
            self.fc1 = nn.Linear(9216, 128)
            # Second fully connected layer that outputs our 10 labels
            self.fc2 = nn.Linear(128, 10)

        # x represents our data
        def forward(self, x: Any) -> Any:
            # Pass data through conv1
            x = self.conv1(x)
            # Use the rectified-linear activation function over x
            x = F.relu(x)
            x = self.conv2(x)
            x = F.relu(x)
            # Run max pooling over x
            x = F.max_pool2d(x, 2)
            # Pass data through dropout1
            x = self.dropout1(x)
            # Flatten x with start_dim=1
            x = torch.flatten(x, 1)
            # Pass data through ``fc1``
            x = self.fc1(x)
            x = F.relu(x)
            x = self.dropout2(x)
            x = self.fc2(x)
            # Apply softmax to x
            output = F.log_softmax(x, dim=1)
            return output

    my_nn = same_weights(Net(), torch, seed=17)
    # Equates to one random 28x28 image
    random_data = torch.tensor(np.random.default_rng(18).random((1, 1, 28, 28)), dtype=torch.float)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = my_nn(random_data)
        my_nn.eval()
        evaluated = my_nn(random_data)
    return {
        "printout": str(my_nn),
        "train": [values(result)],
        "eval": values(evaluated),
        "warnings": [str(w.message)[:60] for w in caught],
    }


def test_defining_a_neural_network() -> None:
    out = run_beside_torch(defining_a_network, draws=("train",))
    assert "(dropout1): Dropout2d(p=0.25, inplace=False)" in out["printout"]
    # dropout2 is a Dropout2d of fc1's (1, 128) output: deprecated, in either mode
    assert out["warnings"] == ["dropout2d: Received a 2-D input to dropout2d, which is depre"] * 2
    for log_probabilities in (out["train"][0], out["eval"]):
        assert log_probabilities.shape == (1, 10)
        np.testing.assert_allclose(np.exp(log_probabilities).sum(), 1, rtol=1e-5)

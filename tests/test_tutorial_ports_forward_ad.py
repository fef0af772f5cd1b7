"""PyTorch's "Forward-mode Automatic Differentiation" tutorial, ported by changing the imports.

Each section of the tutorial (intermediate/forward_ad_usage) is a program written as published
against a library passed by its package name (``<lib>.autograd.forward_ad`` as ``fwAD``,
``<lib>.nn``, ``<lib>.func``), in float32 as published, with the tutorial's ``torch.randn`` and
``rand_like`` drawn from one shared numpy stream and the models given the same weights. Each
test runs the program here and checks a property that holds without torch (the tangent against
its closed form or against reverse mode), then, where torch is installed, runs it on torch and
compares every quantity to 1e-5 relative.

What does not port: the last section's ``functorch.make_functional_with_buffers`` (gone from
torch 2.x, whose ``torch.func`` replaces it by ``functional_call``, used here); the tutorial's
pointer to the not-yet-supported parts of forward AD (nested levels are refused, as in torch).
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

import _ports
import numpy as np
import pytest
from _ports import numpy_of as values

RTOL = 1e-5
run_beside_torch = functools.partial(_ports.run_beside_torch, rtol=RTOL, atol=1e-6)
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")


class Draw:
    """The tutorial's ``torch.randn`` and ``torch.rand_like``, from one numpy stream."""

    def __init__(self, torch: Any, seed: int) -> None:
        self.torch, self.rng = torch, np.random.default_rng(seed)

    def randn(self, *size: int) -> Any:
        return self.torch.tensor(self.rng.standard_normal(size).astype(np.float32))

    def rand_like(self, t: Any) -> Any:
        return self.torch.tensor(self.rng.random(tuple(t.shape)).astype(np.float32))


def same_weights(model: Any, torch: Any, seed: int) -> None:
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.tensor(rng.uniform(-0.5, 0.5, tuple(p.shape)).astype(np.float32)))


def basic_usage(lib: str) -> dict[str, Any]:
    torch = importlib.import_module(lib)
    fwAD = importlib.import_module(f"{lib}.autograd.forward_ad")
    draw = Draw(torch, 0)

    primal = draw.randn(10, 10)
    tangent = draw.randn(10, 10)

    def fn(x: Any, y: Any) -> Any:
        return x**2 + y**2

    # All forward AD computation must be performed in the context of a ``dual_level`` context.
    with fwAD.dual_level():
        # To create a dual tensor we associate a tensor, the primal, with another tensor of
        # the same size, the tangent.
        dual_input = fwAD.make_dual(primal, tangent)
        assert fwAD.unpack_dual(dual_input).tangent is tangent

        dual_input_alt = fwAD.make_dual(primal, tangent.T)
        assert fwAD.unpack_dual(dual_input_alt).tangent is not tangent

        # Tensors that do not have an associated tangent are automatically considered to
        # have a zero-filled tangent of the same shape.
        plain_tensor = draw.randn(10, 10)
        dual_output = fn(dual_input, plain_tensor)

        # Unpacking the dual returns a ``namedtuple`` with ``primal`` and ``tangent`` as
        # attributes
        jvp = fwAD.unpack_dual(dual_output).tangent

    assert fwAD.unpack_dual(dual_output).tangent is None
    return {"primal": values(primal), "tangent": values(tangent), "jvp": values(jvp)}


def test_basic_usage() -> None:
    result = run_beside_torch(basic_usage)
    # d(x² + y²) along (tangent, 0) is 2x·tangent
    np.testing.assert_allclose(result["jvp"], 2 * result["primal"] * result["tangent"], rtol=1e-6)


def usage_with_modules(lib: str) -> dict[str, Any]:
    torch = importlib.import_module(lib)
    nn = importlib.import_module(f"{lib}.nn")
    fwAD = importlib.import_module(f"{lib}.autograd.forward_ad")
    functional_call = importlib.import_module(f"{lib}.func").functional_call
    draw = Draw(torch, 1)

    model = nn.Linear(5, 5)
    same_weights(model, torch, 2)
    input = draw.randn(16, 5)

    params = {name: p for name, p in model.named_parameters()}
    tangents = {name: draw.rand_like(p) for name, p in params.items()}

    with fwAD.dual_level():
        for name, p in params.items():
            delattr(model, name)
            setattr(model, name, fwAD.make_dual(p, tangents[name]))

        out = model(input)
        jvp = fwAD.unpack_dual(out).tangent

    # Using the functional Module API: a fresh module, as functional_call needs the model to
    # have its parameters registered
    model = nn.Linear(5, 5)
    dual_params = {}
    with fwAD.dual_level():
        for name, p in params.items():
            # Using the same ``tangents`` from the above section
            dual_params[name] = fwAD.make_dual(p, tangents[name])
        out = functional_call(model, dual_params, input)
        jvp2 = fwAD.unpack_dual(out).tangent

    # Check our results
    assert torch.allclose(jvp, jvp2)
    return {
        "input": values(input),
        "weight": values(params["weight"]),
        "tangent_weight": values(tangents["weight"]),
        "tangent_bias": values(tangents["bias"]),
        "jvp": values(jvp),
        "jvp2": values(jvp2),
        "out": values(out),
    }


def test_usage_with_modules() -> None:
    r = run_beside_torch(usage_with_modules)
    # out = x Wᵀ + b, so along (Ẇ, ḃ) the tangent is x Ẇᵀ + ḃ
    expected = r["input"] @ r["tangent_weight"].T + r["tangent_bias"]
    np.testing.assert_allclose(r["jvp"], expected, rtol=1e-5, atol=1e-6)


def custom_function(lib: str) -> dict[str, Any]:
    torch = importlib.import_module(lib)
    fwAD = importlib.import_module(f"{lib}.autograd.forward_ad")
    draw = Draw(torch, 3)

    class Fn(torch.autograd.Function):
        @staticmethod
        def forward(ctx: Any, foo: Any) -> Any:
            result = torch.exp(foo)
            # Tensors stored in ``ctx`` can be used in the subsequent forward grad
            # computation.
            ctx.result = result
            return result

        @staticmethod
        def jvp(ctx: Any, gI: Any) -> Any:
            gO = gI * ctx.result
            # If the tensor stored in ``ctx`` will not also be used in the backward pass,
            # one can manually free it using ``del``
            del ctx.result
            return gO

    fn = Fn.apply

    primal = draw.randn(10, 10).double().requires_grad_()
    tangent = draw.randn(10, 10)

    with fwAD.dual_level():
        dual_input = fwAD.make_dual(primal, tangent)
        dual_output = fn(dual_input)
        jvp = fwAD.unpack_dual(dual_output).tangent

    # It is important to use ``autograd.gradcheck`` to verify that your custom autograd
    # Function computes the gradients correctly. By default, ``gradcheck`` only checks the
    # backward-mode (reverse-mode) AD gradients. Specify ``check_forward_ad=True`` to also
    # check forward grads. If you did not implement the backward formula for your function,
    # you can also tell ``gradcheck`` to skip the tests that require backward-mode AD.
    checked = torch.autograd.gradcheck(
        Fn.apply,
        (primal,),
        check_forward_ad=True,
        check_backward_ad=False,
        check_undefined_grad=False,
        check_batched_grad=False,
    )
    return {"primal": values(primal), "tangent": values(tangent), "jvp": values(jvp), "ok": checked}


def test_custom_function() -> None:
    r = run_beside_torch(custom_function)
    assert r["ok"] is True
    np.testing.assert_allclose(r["jvp"], np.exp(r["primal"]) * r["tangent"], rtol=1e-6)


def functional_api(lib: str) -> dict[str, Any]:
    torch = importlib.import_module(lib)
    nn = importlib.import_module(f"{lib}.nn")
    ft = importlib.import_module(f"{lib}.func")
    draw = Draw(torch, 4)

    primal0 = draw.randn(10, 10)
    tangent0 = draw.randn(10, 10)
    primal1 = draw.randn(10, 10)
    tangent1 = draw.randn(10, 10)

    def fn(x: Any, y: Any) -> Any:
        return x**2 + y**2

    # ``jvp(func, primals, tangents)`` returns ``func(*primals)`` as well as the computed
    # Jacobian-vector product (JVP). Each primal must be associated with a tangent of the
    # same shape.
    primal_out, tangent_out = ft.jvp(fn, (primal0, primal1), (tangent0, tangent1))

    # ``jvp`` requires every primal to be associated with a tangent. If we only want to
    # associate certain inputs to `fn` with tangents, then we'll need to create a new
    # function that captures inputs without tangents:
    primal = draw.randn(10, 10)
    tangent = draw.randn(10, 10)
    y = draw.randn(10, 10)

    new_fn = functools.partial(fn, y=y)
    primal_out2, tangent_out2 = ft.jvp(new_fn, (primal,), (tangent,))

    # Using the functional API with Modules (torch.func's functional_call in the place of
    # functorch's make_functional_with_buffers)
    model = nn.Linear(5, 5)
    same_weights(model, torch, 5)
    input = draw.randn(16, 5)
    tangents = tuple([draw.rand_like(p) for p in model.parameters()])
    names = [name for name, _ in model.named_parameters()]
    params = tuple(p.detach() for p in model.parameters())

    def func_params_only(*params: Any) -> Any:
        return ft.functional_call(model, dict(zip(names, params)), (input,))

    model_output, jvp_out = ft.jvp(func_params_only, params, tangents)
    return {
        "primal0": values(primal0),
        "primal1": values(primal1),
        "tangent0": values(tangent0),
        "tangent1": values(tangent1),
        "tangent_out": values(tangent_out),
        "primal_out": values(primal_out),
        "primal": values(primal),
        "tangent": values(tangent),
        "tangent_out2": values(tangent_out2),
        "primal_out2": values(primal_out2),
        "input": values(input),
        "model_tangents": [values(t) for t in tangents],
        "model_output": values(model_output),
        "jvp_out": values(jvp_out),
    }


def test_functional_api() -> None:
    r = run_beside_torch(functional_api)
    expected = 2 * r["primal0"] * r["tangent0"] + 2 * r["primal1"] * r["tangent1"]
    np.testing.assert_allclose(r["tangent_out"], expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(r["tangent_out2"], 2 * r["primal"] * r["tangent"], rtol=1e-5)
    dw, db = r["model_tangents"]
    np.testing.assert_allclose(r["jvp_out"], r["input"] @ dw.T + db, rtol=1e-5, atol=1e-6)


def test_forward_mode_matches_the_functional_api() -> None:
    """The dual-tensor API and ``func.jvp`` (here: the double-vjp trick, two reverse passes)
    give the same J v on the tutorial's fn."""
    import tinygrad_ed as tg

    fwAD = tg.autograd.forward_ad
    draw = Draw(tg, 6)
    x, tx, y = draw.randn(10, 10), draw.randn(10, 10), draw.randn(10, 10)

    def fn(a: Any, b: Any) -> Any:
        return a**2 + b**2

    with fwAD.dual_level():
        forward = fwAD.unpack_dual(fn(fwAD.make_dual(x, tx), y)).tangent
    _, reverse = tg.func.jvp(functools.partial(fn, b=y), (x,), (tx,))
    np.testing.assert_allclose(values(forward), values(reverse), rtol=1e-6)

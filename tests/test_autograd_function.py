"""Custom differentiable functions (tg.autograd.Function), against their math and torch 2.13."""

from __future__ import annotations

import gc
import weakref
from typing import Any, ClassVar

import numpy as np
import pytest
from tinygrad_ed.autograd.function import FunctionCtx, once_differentiable

import tinygrad_ed as tg
from tinygrad_ed.autograd import Function


class Cube(Function):
    """out = x³;  x̄ = g·3x²"""

    @staticmethod
    def forward(ctx: Any, x: tg.Tensor) -> tg.Tensor:
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx: Any, g: tg.Tensor) -> tg.Tensor:
        (x,) = ctx.saved_tensors
        return g * 3 * x * x


class Exp(Function):
    """Saves its output, as torch's exp does."""

    @staticmethod
    def forward(ctx: Any, x: tg.Tensor) -> tg.Tensor:
        out = x.exp()
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, g: tg.Tensor) -> tg.Tensor:
        (out,) = ctx.saved_tensors
        return g * out


class ScaledLinear(Function):
    """out = s·(x Wᵀ + b), s a Python number: x̄ = s·g W, W̄ = s·gᵀx, b̄ = s·Σ g (torch's
    LinearFunction example with a non-tensor argument)."""

    calls = 0

    @staticmethod
    def forward(ctx: Any, x: tg.Tensor, w: tg.Tensor, b: tg.Tensor | None, s: float) -> tg.Tensor:
        ctx.save_for_backward(x, w)
        ctx.s = s
        out = x @ w.T
        return (out + b if b is not None else out) * s

    @staticmethod
    def backward(ctx: Any, g: tg.Tensor) -> tuple[Any, ...]:
        ScaledLinear.calls += 1
        x, w = ctx.saved_tensors
        gx = gw = gb = None
        if ctx.needs_input_grad[0]:
            gx = (g @ w) * ctx.s
        if ctx.needs_input_grad[1]:
            gw = (g.T @ x) * ctx.s
        if ctx.needs_input_grad[2]:
            gb = g.sum(0) * ctx.s
        return gx, gw, gb, None


class TwoOut(Function):
    """(a, b) = (s·x, eˣ), saving the second output: x̄ = s·ā + eˣ·b̄."""

    calls: ClassVar[list[tuple[bool, bool]]] = []

    @staticmethod
    def forward(ctx: Any, x: tg.Tensor, s: float) -> tuple[tg.Tensor, tg.Tensor]:
        ctx.s = s
        a, b = x * s, x.exp()
        ctx.save_for_backward(b)
        return a, b

    @staticmethod
    def backward(ctx: Any, ga: tg.Tensor | None, gb: tg.Tensor | None) -> tuple[Any, ...]:
        TwoOut.calls.append((ga is not None, gb is not None))
        (b,) = ctx.saved_tensors
        gx = None
        if ga is not None:
            gx = ga * ctx.s
        if gb is not None:
            gx = gb * b if gx is None else gx + gb * b
        return gx, None


def leaf(*shape: int, seed: int = 0, dtype: Any = np.float64) -> tg.Tensor:
    data = np.random.default_rng(seed).uniform(-1.5, 1.5, shape).astype(dtype)
    return tg.Tensor(data, requires_grad=True)


# ----------------------------------------------------------------------------- values and checks


def test_cube_forward_backward_and_name() -> None:
    x = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = Cube.apply(x)
    assert np.allclose(y.data, [1, 8, 27]) and y.requires_grad and not y.is_leaf
    assert y.grad_fn is not None and y.grad_fn.name() == "CubeBackward"
    y.sum().backward()
    assert x.grad is not None and np.allclose(x.grad.data, [3, 12, 27])


@pytest.mark.parametrize("fn", [Cube.apply, Exp.apply], ids=["saves input", "saves output"])
def test_gradcheck_and_gradgradcheck(fn: Any) -> None:
    x = leaf(2, 3)
    assert tg.gradcheck(fn, (x,))
    assert tg.gradgradcheck(fn, (x,))


def test_planted_wrong_backward_is_caught_by_gradcheck() -> None:
    class Wrong(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor) -> tg.Tensor:
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor) -> tg.Tensor:
            (x,) = ctx.saved_tensors
            return g * x  # should be 2x

    with pytest.raises(tg.GradcheckError, match=r"WrongBackward|analytic"):
        tg.gradcheck(Wrong.apply, (leaf(3),))


def test_several_inputs_non_tensor_argument_and_needs_input_grad() -> None:
    x, w, b = leaf(4, 3, seed=1), leaf(2, 3, seed=2), leaf(2, seed=3)
    assert tg.gradcheck(lambda x, w, b: ScaledLinear.apply(x, w, b, 1.5), (x, w, b))
    assert tg.gradgradcheck(lambda x, w, b: ScaledLinear.apply(x, w, b, 1.5), (x, w, b))
    seen: list[tuple[bool, ...]] = []

    class Probe(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor, w: tg.Tensor, s: float) -> tg.Tensor:
            seen.append(ctx.needs_input_grad)
            return x * w * s

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor) -> tuple[Any, ...]:
            return g, g, None

    Probe.apply(x, x.detach(), 2.0)
    with tg.no_grad():
        Probe.apply(x, x, 2.0)
    assert seen == [(True, False, False), (False, False, False)]


def test_backward_runs_once_per_node_for_all_inputs() -> None:
    x, w, b = leaf(4, 3, seed=1), leaf(2, 3, seed=2), leaf(2, seed=3)
    ScaledLinear.calls = 0
    ScaledLinear.apply(x, w, b, 2.0).sum().backward()
    assert ScaledLinear.calls == 1
    gout = np.full((4, 2), 2.0)
    assert x.grad is not None and np.allclose(x.grad.data, gout @ w.data)
    assert w.grad is not None and np.allclose(w.grad.data, gout.T @ x.data)
    assert b.grad is not None and np.allclose(b.grad.data, gout.sum(0))


def test_two_outputs_one_backward_call_with_both_adjoints() -> None:
    x = leaf(3)
    a, b = TwoOut.apply(x, 2.5)
    assert a.grad_fn is not None and a.grad_fn.name() == "TwoOutBackward"
    TwoOut.calls = []
    (a * b).sum().backward()
    e = np.exp(x.data)
    assert x.grad is not None and np.allclose(x.grad.data, 2.5 * e + 2.5 * x.data * e)
    assert TwoOut.calls == [(True, True)]  # once, with both adjoints, as torch
    assert tg.gradcheck(lambda x: TwoOut.apply(x, 2.5), (leaf(3),))
    assert tg.gradgradcheck(lambda x: TwoOut.apply(x, 2.5), (leaf(3),))


def test_unused_output_gets_zeros_or_none() -> None:
    x = leaf(3)
    TwoOut.calls = []
    a, _ = TwoOut.apply(x, 2.0)
    a.sum().backward()
    assert TwoOut.calls == [(True, True)]  # b's adjoint materialized as zeros
    assert x.grad is not None and np.allclose(x.grad.data, 2.0)

    class Lazy(TwoOut):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor, s: float) -> tuple[tg.Tensor, tg.Tensor]:
            ctx.set_materialize_grads(False)
            return TwoOut.forward(ctx, x, s)

    TwoOut.calls = []
    x.grad = None
    a, _ = Lazy.apply(x, 2.0)
    a.sum().backward()
    assert TwoOut.calls == [(True, False)]
    assert x.grad is not None and np.allclose(x.grad.data, 2.0)


def test_mark_non_differentiable() -> None:
    class SortValues(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor) -> tuple[tg.Tensor, tg.Tensor]:
            idx = tg.Tensor(np.argsort(x.data))
            vals = x[idx]
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(idx)
            ctx.n = x.shape[0]
            return vals, idx

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor, g_idx: Any) -> tg.Tensor:
            (idx,) = ctx.saved_tensors
            out = np.zeros(ctx.n, dtype=g.dtype)
            out[idx.data] = g.data
            return tg.Tensor(out)

    x = tg.tensor([3.0, 1.0, 2.0], requires_grad=True)
    vals, idx = SortValues.apply(x)
    assert vals.requires_grad and not idx.requires_grad
    (vals * tg.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad is not None and x.grad.tolist() == [100.0, 1.0, 10.0]


def test_setup_context_style() -> None:
    class Square(Function):
        @staticmethod
        def forward(x: tg.Tensor) -> tg.Tensor:
            return x * x

        @staticmethod
        def setup_context(ctx: Any, inputs: tuple[Any, ...], output: Any) -> None:
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor) -> tg.Tensor:
            (x,) = ctx.saved_tensors
            return 2 * g * x

    assert tg.gradcheck(Square.apply, (leaf(2, 2),))


def test_broadcast_gradient_is_summed_and_dtype_follows_the_input() -> None:
    class AddRow(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor, row: tg.Tensor) -> tg.Tensor:
            return x + row

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor) -> tuple[tg.Tensor, tg.Tensor]:
            return g.to(tg.float64), g  # the row's gradient in the broadcast shape

    x, row = leaf(4, 3, dtype=np.float32), leaf(3, seed=1, dtype=np.float32)
    AddRow.apply(x, row).sum().backward()
    assert row.grad is not None and row.grad.shape == (3,) and np.allclose(row.grad.data, 4)
    assert x.grad is not None and x.grad.dtype == np.float32


def test_input_returned_as_is_gets_a_new_tensor() -> None:
    class Identity(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor) -> tg.Tensor:
            return x

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor) -> tg.Tensor:
            return 2 * g

    x = leaf(3)
    y = Identity.apply(x)
    assert y is not x and x.is_leaf and x.grad_fn is None and y.grad_fn is not None
    y.sum().backward()
    assert x.grad is not None and np.allclose(x.grad.data, 2)


def test_no_grad_and_inputs_without_grad_record_nothing() -> None:
    x = leaf(3)
    with tg.no_grad():
        y = Cube.apply(x)
    assert not y.requires_grad and y.grad_fn is None
    z = Cube.apply(x.detach())
    assert not z.requires_grad and np.allclose(z.data, x.data**3)


def test_hooks_and_retain_grad_on_outputs() -> None:
    x = leaf(3)
    y = Cube.apply(x)
    y.retain_grad()
    y.register_hook(lambda g: g * 10)
    y.sum().backward()
    assert y.grad is not None and np.allclose(y.grad.data, 10)
    assert x.grad is not None and np.allclose(x.grad.data, 30 * x.data**2)


def test_grad_and_create_graph() -> None:
    x = leaf(3)
    (gx,) = tg.autograd.grad(Cube.apply(x).sum(), [x], create_graph=True)
    (ggx,) = tg.autograd.grad(gx.sum(), [x])
    assert np.allclose(gx.data, 3 * x.data**2) and np.allclose(ggx.data, 6 * x.data)


# ----------------------------------------------------------------------------- graph release


def test_second_backward_needs_retain_graph() -> None:
    x = leaf(3)
    y = Cube.apply(x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad is not None and np.allclose(x.grad.data, 6 * x.data**2)
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()


def _second_backward(lib: Any, saves: str, outputs: int) -> np.ndarray | None:
    """x.grad after a second backward (without retain_graph) through a custom function that
    saves ``saves`` ("nothing", "attribute": a plain ctx attribute, "tensor": through
    save_for_backward), with one or two outputs; None if refused."""

    class Scale(lib.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            if saves == "tensor":
                ctx.save_for_backward(x)
            elif saves == "attribute":
                ctx.x = x.detach().clone()
            return x * 2 if outputs == 1 else (x * 2, x * 3)

        @staticmethod
        def backward(ctx: Any, *gs: Any) -> Any:
            scale = 2.0
            if saves == "tensor":
                scale = scale + 0 * ctx.saved_tensors[0]
            elif saves == "attribute":
                scale = scale + 0 * ctx.x
            return gs[0] * scale if outputs == 1 else gs[0] * scale + gs[1] * 3

    x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    out = Scale.apply(x)
    y = (out if outputs == 1 else out[0] + out[1]).sum()
    y.backward()
    try:
        y.backward()
    except RuntimeError as e:
        assert "second time" in str(e)
        return None
    return np.asarray(x.grad.detach().numpy())


@pytest.mark.parametrize("outputs", [1, 2])
@pytest.mark.parametrize("saves", ["nothing", "attribute", "tensor"])
def test_second_backward_runs_a_function_again_unless_its_ctx_saved_a_tensor(
    saves: str, outputs: int
) -> None:
    # torch frees what save_for_backward kept; a node that kept nothing (attributes on ctx are
    # not freed) runs again, and the two passes sum
    grad = _second_backward(tg, saves, outputs)
    if saves == "tensor":
        assert grad is None
    else:
        assert grad is not None
        np.testing.assert_allclose(grad, [4.0, 4.0] if outputs == 1 else [10.0, 10.0])
    torch = pytest.importorskip("torch")
    theirs = _second_backward(torch, saves, outputs)
    assert (theirs is None) == (grad is None)
    if grad is not None:
        np.testing.assert_allclose(grad, theirs)


def test_saved_values_are_released_after_backward() -> None:
    kept: list[weakref.ref[np.ndarray]] = []

    class KeepsIntermediate(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor) -> tg.Tensor:
            s = x.sin()
            kept.append(weakref.ref(s.data))
            ctx.save_for_backward(s)
            return s * 1.0

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor) -> tg.Tensor:
            (s,) = ctx.saved_tensors
            return g * (1 - s * s) ** 0.5

    gc.disable()
    try:
        x = tg.Tensor(np.linspace(-1, 1, 5), requires_grad=True)
        loss = KeepsIntermediate.apply(x).sum()
        loss.backward()
        assert kept[0]() is None  # freed while the loss is still referenced, without gc
    finally:
        gc.enable()
    assert x.grad is not None and np.allclose(x.grad.data, np.cos(x.data))


def test_no_reference_cycle_through_a_saved_output() -> None:
    x = leaf(1000)
    y = Exp.apply(x)
    ref = weakref.ref(y.data)
    gc.disable()
    try:
        del y
        assert ref() is None
    finally:
        gc.enable()


def test_in_place_change_of_a_saved_tensor_is_refused_others_accepted() -> None:
    x = leaf(3)
    y = Cube.apply(x * 1.0)
    with tg.no_grad():
        x.add_(1.0)  # not saved by Cube (its input was x * 1): accepted, as torch
    y.sum().backward()
    w = leaf(3)
    h = w * 1.0
    y = Cube.apply(h)
    with tg.no_grad():
        h.mul_(2.0)  # h was saved
    with pytest.raises(RuntimeError, match=r"CubeBackward.*modified by an inplace.*saved tensor 0"):
        y.sum().backward()
    z = Exp.apply(w * 1.0)
    with tg.no_grad():
        z.mul_(2.0)  # the output was saved
    with pytest.raises(RuntimeError, match=r"ExpBackward.*modified by an inplace"):
        z.sum().backward()


# ----------------------------------------------------------------------------- once_differentiable


def test_once_differentiable() -> None:
    class NumpyTanh(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor) -> tg.Tensor:
            out = tg.Tensor(np.tanh(x.data))
            ctx.save_for_backward(out)
            return out

        @staticmethod
        @once_differentiable
        def backward(ctx: Any, g: tg.Tensor) -> tg.Tensor:
            (out,) = ctx.saved_tensors
            return tg.Tensor(g.data * (1 - out.data**2))

    x = leaf(4)
    assert tg.gradcheck(NumpyTanh.apply, (x,))
    # The adjoint reaching the backward, 2y, depends on x: gx keeps a graph, which raises.
    (gx,) = tg.autograd.grad((NumpyTanh.apply(x) ** 2).sum(), [x], create_graph=True)
    t = np.tanh(x.data)
    assert gx.requires_grad and np.allclose(gx.data, 2 * t * (1 - t**2))
    with pytest.raises(RuntimeError, match="once_differentiable"):
        gx.sum().backward()


def test_once_differentiable_given_a_constant_adjoint_keeps_no_graph() -> None:
    """y = 2x (once differentiable), z = Second(y²/2, y) = y with ā = None: ȳ = 1 is a
    constant, so x̄ = 2 is one too and its derivative 0 (no graph, no error). Torch passes zeros
    where ā is None; the square's backward 0·y then requires grad, is added to ȳ and ties
    torch's error node to x̄, whose second derivative raises (a divergence kept: the function
    fuzzer's seed 113355)."""

    def run(lib: Any) -> Any:
        class Once(lib.autograd.Function):  # type: ignore[misc, name-defined]
            @staticmethod
            def forward(ctx: Any, x: Any) -> Any:
                return x * 2

            @staticmethod
            @lib.autograd.function.once_differentiable
            def backward(ctx: Any, g: Any) -> Any:
                return g * 2

        class Square(lib.autograd.Function):  # type: ignore[misc, name-defined]
            @staticmethod
            def forward(ctx: Any, x: Any) -> Any:
                ctx.save_for_backward(x)
                return x * x / 2

            @staticmethod
            def backward(ctx: Any, g: Any) -> Any:
                (x,) = ctx.saved_tensors
                return g * x

        class Second(lib.autograd.Function):  # type: ignore[misc, name-defined]
            @staticmethod
            def forward(ctx: Any, a: Any, b: Any) -> Any:
                return b * 1

            @staticmethod
            def backward(ctx: Any, g: Any) -> Any:
                return None, g

        x = lib.tensor([1.0, -2.0], dtype=lib.float64, requires_grad=True)
        y = Once.apply(x)
        (gx,) = lib.autograd.grad(Second.apply(Square.apply(y), y).sum(), [x], create_graph=True)
        return gx

    gx = run(tg)
    assert np.array_equal(gx.data, [2.0, 2.0]) and not gx.requires_grad
    torch = pytest.importorskip("torch")
    theirs = run(torch)
    assert np.array_equal(theirs.detach().numpy(), gx.data) and theirs.requires_grad
    with pytest.raises(RuntimeError, match="once_differentiable"):
        theirs.sum().backward()


# ----------------------------------------------------------------------------- bad use


def test_wrong_number_of_gradients() -> None:
    class TooFew(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor, y: tg.Tensor) -> tg.Tensor:
            return x * y

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor) -> tg.Tensor:
            return g

    with pytest.raises(RuntimeError, match=r"TooFewBackward.*incorrect number.*expected 2, got 1"):
        TooFew.apply(leaf(2), leaf(2)).sum().backward()


def test_gradient_for_a_non_tensor_argument_is_refused() -> None:
    class Scale(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor, s: float) -> tg.Tensor:
            return x * s

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor) -> tuple[tg.Tensor, tg.Tensor]:
            return g, g

    with pytest.raises(RuntimeError, match=r"position 2.*not a Tensor"):
        Scale.apply(leaf(2), 3.0).sum().backward()


def test_non_tensor_gradient_and_bad_shape_are_refused() -> None:
    class ReturnsArray(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor) -> tg.Tensor:
            return x * 2

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor) -> Any:
            return g.data * 2

    with pytest.raises(TypeError, match=r"ReturnsArrayBackward.*ndarray.*Tensor or None"):
        ReturnsArray.apply(leaf(2)).sum().backward()

    class BadShape(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor) -> tg.Tensor:
            return x * 2

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor) -> Any:
            return tg.ones(5)

    with pytest.raises(RuntimeError, match=r"BadShapeBackward.*\(5,\).*\(2,\)"):
        BadShape.apply(leaf(2)).sum().backward()


def test_misuse_of_the_class_and_ctx() -> None:
    with pytest.raises(RuntimeError, match=r"Cube\.apply"):
        Cube()(leaf(2))

    class SavesNumber(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor) -> tg.Tensor:
            ctx.save_for_backward(x, 3.0)
            return x

    with pytest.raises(TypeError, match=r"save_for_backward.*argument 1 is a float"):
        SavesNumber.apply(leaf(2))

    class Dirty(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor) -> tg.Tensor:
            ctx.mark_dirty(x)
            return x

    with pytest.raises(NotImplementedError, match="mark_dirty"):
        Dirty.apply(leaf(2))
    assert isinstance(FunctionCtx("F", ()), FunctionCtx)


def test_draw_backward_shows_the_function_node() -> None:
    x = leaf(3)
    import tinygrad_ed.viz

    graph = tinygrad_ed.viz.draw_backward(Cube.apply(x).sum())
    assert "CubeBackward" in graph.source


# ----------------------------------------------------------------------------- found by the audit
# Each case below was found by the randomized comparison with torch 2.13
# (tests/test_function_fuzz_torch.py); the expected numbers are torch's.


def test_several_outputs_backward_sees_all_adjoints_at_once() -> None:
    """x̄ = sum_to(ā·w + b̄): with b̄ stretched to ā·w's shape, it is counted 3 times, as torch
    does; one call per output gave sum_to(ā·w) + b̄ (b̄ once)."""
    calls: list[int] = []

    class Parts(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor, w: tg.Tensor) -> tuple[tg.Tensor, tg.Tensor]:
            ctx.save_for_backward(w)
            return x * w, x * 2

        @staticmethod
        def backward(ctx: Any, ga: tg.Tensor, gb: tg.Tensor) -> tuple[tg.Tensor, None]:
            calls.append(1)
            (w,) = ctx.saved_tensors
            return ga * w + gb, None

    x = tg.tensor(0.5, dtype=tg.float64, requires_grad=True)
    w = tg.tensor([1.0, 2.0, 4.0], dtype=tg.float64)
    a, b = Parts.apply(x, w)
    (a.sum() + b).backward()
    assert calls == [1] and x.grad is not None and x.grad.item() == 7.0 + 3.0


def test_several_outputs_a_part_alone_need_not_fit_the_input() -> None:
    """ā (a 0-d adjoint) alone does not fit x (1, 3); ā + b̄·w (2, 3) does. Without
    materialized grads each call saw one adjoint and refused the part."""

    class SumAndScale(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor, w: tg.Tensor) -> tuple[tg.Tensor, tg.Tensor]:
            ctx.set_materialize_grads(False)
            ctx.save_for_backward(w)
            return x.sum(), x * w

        @staticmethod
        def backward(ctx: Any, ga: Any, gb: Any) -> tuple[Any, None]:
            (w,) = ctx.saved_tensors
            g = None if ga is None else ga
            if gb is not None:
                g = gb * w if g is None else g + gb * w
            return g, None

    x = tg.Tensor(np.ones((1, 3)), requires_grad=True)
    w = tg.Tensor(np.arange(6.0).reshape(2, 3))
    a, b = SumAndScale.apply(x, w)
    (a + b.sum()).backward()
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad.data, [[2 + 3.0, 2 + 5.0, 2 + 7.0]])


def test_backward_runs_once_when_a_later_input_gets_no_gradient() -> None:
    calls: list[int] = []

    class FirstOnly(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor, y: tg.Tensor) -> tg.Tensor:
            return x * y

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor) -> tuple[tg.Tensor, None]:
            calls.append(1)
            return g, None

    FirstOnly.apply(leaf(3), leaf(3, seed=1)).sum().backward()
    assert calls == [1]  # it ran twice: once for x, again for y


def test_a_saved_non_differentiable_output_changed_in_place_is_refused() -> None:
    """It was read changed, silently: its node-less copy shares its memory."""

    class WithMask(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor) -> tuple[tg.Tensor, tg.Tensor]:
            mask = (x > 0).double()
            ctx.mark_non_differentiable(mask)
            ctx.save_for_backward(mask)
            return x * mask, mask

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor, g_mask: Any) -> tg.Tensor:
            (mask,) = ctx.saved_tensors
            return g * mask

    x = tg.tensor([-1.0, 2.0], dtype=tg.float64, requires_grad=True)
    y, mask = WithMask.apply(x)
    mask.fill_(1.0)
    with pytest.raises(RuntimeError, match=r"WithMaskBackward.*modified by an inplace"):
        y.sum().backward()


def test_a_saved_input_returned_as_it_is_stays_the_input() -> None:
    """torch saves the input, not the view of it that apply returns: the second derivative
    reaches x directly (2), not through output 0's backward, which scales by 3 (6)."""

    class ScaledIdentityAndSquare(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor) -> tuple[tg.Tensor, tg.Tensor]:
            ctx.save_for_backward(x)
            return x, x * x

        @staticmethod
        def backward(ctx: Any, g0: tg.Tensor, g1: tg.Tensor) -> tg.Tensor:
            (x,) = ctx.saved_tensors
            return g0 * 3 + g1 * 2 * x

    x = tg.tensor([1.5], dtype=tg.float64, requires_grad=True)
    _, sq = ScaledIdentityAndSquare.apply(x)
    (gx,) = tg.autograd.grad(sq.sum(), x, create_graph=True)
    (ggx,) = tg.autograd.grad(gx.sum(), x)
    assert gx.item() == 3.0 and ggx.item() == 2.0


def test_saved_tensors_are_checked_when_read() -> None:
    """As torch: a backward that does not read them is not refused for an in-place change."""

    class Double(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor) -> tg.Tensor:
            ctx.save_for_backward(x)
            return x * 2

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor) -> tg.Tensor:
            return g * 2

    x = leaf(3)
    y = Double.apply(x)
    with tg.no_grad():
        x.add_(1.0)
    y.sum().backward()
    assert x.grad is not None and np.allclose(x.grad.data, 2.0)
    y = Cube.apply(x)
    with tg.no_grad():
        x.add_(1.0)
    with pytest.raises(RuntimeError, match=r"CubeBackward.*modified by an inplace"):
        y.sum().backward()


def test_gradient_shape_checked_for_every_input_that_requires_grad() -> None:
    """grad() asks only for x; y's gradient of shape (5,) is refused all the same, as torch."""

    class BadForY(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor, y: tg.Tensor) -> tg.Tensor:
            return x * y

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor) -> tuple[tg.Tensor, tg.Tensor]:
            return g, tg.ones(5, dtype=g.dtype)

    x, y = leaf(2), leaf(2, seed=1)
    with pytest.raises(RuntimeError, match=r"BadForYBackward.*shape \(5,\) for input 1.*\(2,\)"):
        tg.autograd.grad(BadForY.apply(x, y).sum(), x)


def test_keyword_arguments_are_passed_by_position_as_torch() -> None:
    class Affine(Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor, s: float = 2.0, b: Any = None) -> tg.Tensor:
            ctx.s = s
            return x * s if b is None else x * s + b

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor) -> tuple[Any, ...]:
            n = len(ctx.needs_input_grad)
            return (g * ctx.s, None, g)[:n]

    x, b = leaf(2), leaf(2, seed=1)
    Affine.apply(x=x).sum().backward()  # a tensor by keyword is an input, with a gradient
    Affine.apply(x, 3.0, b=b).sum().backward()
    assert x.grad is not None and np.allclose(x.grad.data, 5.0)
    assert b.grad is not None and np.allclose(b.grad.data, 1.0)
    with pytest.raises(TypeError, match=r"Affine\.apply\(\).*'b'.*by position"):
        Affine.apply(x, b=b)  # s would have to be given for b to take its place
    with pytest.raises(TypeError, match=r"Affine\.apply\(\).*unexpected keyword argument 'q'"):
        Affine.apply(x, q=1)
    seen: list[int] = []

    class WithSetup(Function):
        @staticmethod
        def forward(x: tg.Tensor, s: float = 2.0) -> tg.Tensor:
            return x * s

        @staticmethod
        def setup_context(ctx: Any, inputs: tuple[Any, ...], output: Any) -> None:
            seen.append(len(inputs))  # the defaults too, as torch
            ctx.s = inputs[1]

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor) -> tuple[Any, ...]:
            return g * ctx.s, None

    WithSetup.apply(x)
    WithSetup.apply(s=4.0, x=x)
    assert seen == [2, 2]


def test_second_derivative_through_a_saved_output_the_caller_dropped() -> None:
    """The double-backward tutorial's Sinh: forward returns (sinh x, eˣ, e⁻ˣ) and saves the last
    two, the caller keeps only ``[0]``. x̄ = g·(eˣ + e⁻ˣ)/2 reads the saved outputs, so its
    derivative reaches ``backward`` again through them (with adjoints for outputs 1 and 2):
    d²sinh/dx² = sinh x. Their nodes died with the dropped outputs, which made x̄ a constant
    (no grad_fn) and the second derivative an error; gradgradcheck, closed form and torch."""

    def run(lib: Any) -> tuple[Any, Any, Any]:
        class Sinh(lib.autograd.Function):  # type: ignore[misc, name-defined]
            @staticmethod
            def forward(ctx: Any, x: Any) -> Any:
                expx, expnegx = x.exp(), (-x).exp()
                ctx.save_for_backward(expx, expnegx)
                return (expx - expnegx) / 2, expx, expnegx

            @staticmethod
            def backward(ctx: Any, g: Any, g_exp: Any, g_negexp: Any) -> Any:
                expx, expnegx = ctx.saved_tensors
                return g * (expx + expnegx) / 2 + g_exp * expx - g_negexp * expnegx

        def sinh(x: Any) -> Any:
            return Sinh.apply(x)[0]

        x = lib.tensor([-0.7, 0.5, 1.0], dtype=lib.float64, requires_grad=True)
        (gx,) = lib.autograd.grad(sinh(x).sum(), x, create_graph=True)
        (ggx,) = lib.autograd.grad((gx * gx).sum(), x)  # d(cosh²)/dx = 2 cosh·sinh
        return sinh, gx, ggx

    sinh, gx, ggx = run(tg)
    x = np.array([-0.7, 0.5, 1.0])
    assert gx.grad_fn is not None
    np.testing.assert_allclose(gx.data, np.cosh(x), rtol=1e-14)
    np.testing.assert_allclose(ggx.data, 2 * np.cosh(x) * np.sinh(x), rtol=1e-14)
    point = tg.tensor(x, requires_grad=True)
    assert tg.autograd.gradcheck(sinh, point) and tg.autograd.gradgradcheck(sinh, point)
    torch = pytest.importorskip("torch")
    _, theirs_gx, theirs_ggx = run(torch)
    np.testing.assert_allclose(gx.data, theirs_gx.detach().numpy(), rtol=1e-14)
    np.testing.assert_allclose(ggx.data, theirs_ggx.numpy(), rtol=1e-14)


# ----------------------------------------------------------------------------- against torch


def test_same_gradients_and_calls_as_torch() -> None:
    torch = pytest.importorskip("torch")

    class TorchTwoOut(torch.autograd.Function):
        calls: ClassVar[list[tuple[bool, bool]]] = []

        @staticmethod
        def forward(ctx: Any, x: Any, s: float) -> Any:
            ctx.s = s
            a, b = x * s, x.exp()
            ctx.save_for_backward(b)
            return a, b

        @staticmethod
        def backward(ctx: Any, ga: Any, gb: Any) -> Any:
            TorchTwoOut.calls.append((ga is not None, gb is not None))
            (b,) = ctx.saved_tensors
            return ga * ctx.s + gb * b, None

    class TorchLinear(torch.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any, w: Any, b: Any, s: float) -> Any:
            ctx.save_for_backward(x, w)
            ctx.s = s
            return (x @ w.T + b) * s

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            x, w = ctx.saved_tensors
            gx = gw = gb = None
            if ctx.needs_input_grad[0]:
                gx = (g @ w) * ctx.s
            if ctx.needs_input_grad[1]:
                gw = (g.T @ x) * ctx.s
            if ctx.needs_input_grad[2]:
                gb = g.sum(0) * ctx.s
            return gx, gw, gb, None

    rng = np.random.default_rng(7)
    for _ in range(20):
        xs, ws, bs = rng.normal(size=(5, 3)), rng.normal(size=(4, 3)), rng.normal(size=4)
        wanted = rng.random(3) < 0.7
        wanted[0] = True
        ours = [tg.Tensor(a, requires_grad=bool(r)) for a, r in zip((xs, ws, bs), wanted)]
        theirs = [torch.tensor(a, requires_grad=bool(r)) for a, r in zip((xs, ws, bs), wanted)]
        o1, o2 = TwoOut.apply(ScaledLinear.apply(*ours, 0.5), 1.5)
        t1, t2 = TorchTwoOut.apply(TorchLinear.apply(*theirs, 0.5), 1.5)
        assert np.allclose(o1.data, t1.detach().numpy())
        assert np.allclose(o2.data, t2.detach().numpy())
        weights = rng.normal(size=(2, 5, 4))
        ((o1 * weights[0]).sum() + (o2 * weights[1]).sum()).backward()
        ((t1 * torch.tensor(weights[0])).sum() + (t2 * torch.tensor(weights[1])).sum()).backward()
        for a, b in zip(ours, theirs):
            if b.grad is None:
                assert a.grad is None
            else:
                assert a.grad is not None and np.allclose(a.grad.data, b.grad.numpy())
    assert TorchTwoOut.calls == [(True, True)] * 20  # torch calls a two-output backward once

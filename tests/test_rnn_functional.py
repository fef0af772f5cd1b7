"""torch's functional recurrent entry points (``tg.rnn_tanh_cell``, ``rnn_relu_cell``,
``lstm_cell``, ``gru_cell``, ``rnn_tanh``, ``rnn_relu``, ``lstm``, ``gru``, both overloads) and
the sampling kernels (``tg.grid_sampler``, ``grid_sampler_2d``, ``grid_sampler_3d``,
``affine_grid_generator``).

Without torch: each equals the nn module or F function it is the kernel of (same weights, same
values and gradients: one recurrence, one sampler), gradcheck (and gradgradcheck for a cell) in
float64 against finite differences, dropout between layers drawn as the module draws it, and
the refusals that torch does not make. With torch (skipped without it): values to 1e-12 in
float64 and the gradients of every input, state and weight against torch 2.13, for stacked,
bidirectional, bias-free, batch_first, unbatched, projected and packed layers, every grid mode
and padding code, and torch's exception types for bad arguments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed.numgrad import gradcheck

GATES = {"rnn_tanh": 1, "rnn_relu": 1, "gru": 3, "lstm": 4}
CELL_OF = {"rnn_tanh": "rnn_tanh_cell", "rnn_relu": "rnn_relu_cell", "gru": "gru_cell"}
CELL_OF["lstm"] = "lstm_cell"

pytestmark = pytest.mark.filterwarnings("ignore:LSTM with projections is not supported")


def _torch() -> Any:
    return pytest.importorskip("torch")


def _run(
    lib: Any, build: Callable[[Any, list[Any]], Any], arrays: list[np.ndarray]
) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
    """The outputs of ``build(lib, tensors)`` and the gradients of every floating input of a
    loss weighing each output element differently (cos of its flat index, so all reach it)."""
    leaves = [lib.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    outs = build(lib, leaves)
    outs = list(outs) if isinstance(outs, (tuple, list)) else [outs]
    loss = sum(
        (o * lib.tensor(np.cos(np.arange(o.numel())).reshape(tuple(o.shape)))).sum() for o in outs
    )
    loss.backward()
    grads = [None if t.grad is None else t.grad.numpy() for t in leaves]
    return [o.detach().numpy() for o in outs], grads


def _same_as_torch(
    build: Callable[[Any, list[Any]], Any], arrays: list[np.ndarray], tol: float = 1e-12
) -> None:
    torch = _torch()
    (ours, our_grads), (theirs, their_grads) = _run(tg, build, arrays), _run(torch, build, arrays)
    assert len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert a.shape == b.shape and a.dtype == b.dtype, f"output {i}"
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol, err_msg=f"output {i}")
    for i, (a, b) in enumerate(zip(our_grads, their_grads)):
        assert (a is None) == (b is None), f"gradient of input {i}"
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=tol, atol=tol, err_msg=f"gradient of input {i}")


# ----------------------------------------------------------------------------- sampling

INTERPOLATION = {"bilinear": 0, "nearest": 1, "bicubic": 2}
PADDING = {"zeros": 0, "border": 1, "reflection": 2}


def _grid_arrays(dims: int, rng: np.random.Generator) -> list[np.ndarray]:
    """input (2, 3, *S) and a grid reaching past the borders, kept off pixel centres/edges."""
    sizes = (4, 5) if dims == 2 else (3, 4, 5)
    points = (3, 4) if dims == 2 else (2, 3, 4)
    return [rng.standard_normal((2, 3, *sizes)), rng.uniform(-1.3, 1.3, (2, *points, dims))]


# bicubic is 4-D only (refused: test_grid_sampler_refusals)
SAMPLINGS = [(d, m) for d in (2, 3) for m in INTERPOLATION if (d, m) != (3, "bicubic")]


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("padding", list(PADDING))
@pytest.mark.parametrize("dims, mode", SAMPLINGS)
def test_grid_samplers_match_torch_and_grid_sample(
    dims: int, mode: str, padding: str, align_corners: bool
) -> None:
    arrays = _grid_arrays(dims, np.random.default_rng(14))
    codes = (INTERPOLATION[mode], PADDING[padding], align_corners)
    for name in ("grid_sampler", f"grid_sampler_{dims}d"):
        _same_as_torch(lambda m, t, name=name: getattr(m, name)(*t, *codes), arrays)
        ours = getattr(tg, name)(*(tg.tensor(a) for a in arrays), *codes)
        expected = F.grid_sample(*(tg.tensor(a) for a in arrays), mode, padding, align_corners)
        np.testing.assert_array_equal(ours.numpy(), expected.numpy())


def test_grid_sampler_gradcheck() -> None:
    rng = np.random.default_rng(15)
    x = tg.tensor(rng.standard_normal((1, 2, 3, 4)), requires_grad=True)
    grid = tg.tensor(rng.uniform(-0.9, 0.9, (1, 2, 3, 2)), requires_grad=True)
    for mode in (0, 2):
        assert gradcheck(
            lambda x, g, mode=mode: tg.grid_sampler_2d(x, g, mode, 2, False), [x, grid]
        )
    x3 = tg.tensor(rng.standard_normal((1, 2, 2, 3, 3)), requires_grad=True)
    grid3 = tg.tensor(rng.uniform(-0.9, 0.9, (1, 2, 2, 2, 3)), requires_grad=True)
    assert gradcheck(lambda x, g: tg.grid_sampler_3d(x, g, 0, 1, True), [x3, grid3])


def test_grid_sampler_refusals() -> None:
    torch = _torch()
    rng = np.random.default_rng(16)
    x, g = _grid_arrays(2, rng)
    x3, g3 = _grid_arrays(3, rng)
    cases: list[tuple[str, tuple[Any, ...], str]] = [
        ("grid_sampler_2d", (x3, g3, 0, 0, True), "expected 4D input"),
        ("grid_sampler_3d", (x, g, 0, 0, True), "expected 5D input"),
        ("grid_sampler_3d", (x3, g3, 2, 0, True), "bicubic"),
        ("grid_sampler", (x3, g3, 2, 0, True), "bicubic"),
        ("grid_sampler_2d", (x, g, 0, 0, None), "argument 'align_corners'"),
        ("grid_sampler_2d", (x, g, 0, 0, 1), "argument 'align_corners'"),
        ("grid_sampler_2d", (x, g, "bilinear", 0, True), "argument 'interpolation_mode'"),
        ("grid_sampler_2d", (x, g, True, 0, True), "argument 'interpolation_mode'"),
        ("grid_sampler", (x, g[:1], 0, 0, True), "same batch size"),
        ("grid_sampler", (x, g[..., :1], 0, 0, True), "size 2 in the last dimension"),
        ("grid_sampler", (x, g.astype(np.float32), 0, 0, True), "same dtype"),
    ]
    for name, args, message in cases:
        with pytest.raises(Exception) as theirs:
            getattr(torch, name)(
                *(torch.tensor(a) if isinstance(a, np.ndarray) else a for a in args)
            )
        with pytest.raises(theirs.type, match=re.escape(message)) as ours:
            getattr(tg, name)(*(tg.tensor(a) if isinstance(a, np.ndarray) else a for a in args))
        assert name in str(ours.value), (name, message)
    # torch computes something for any code; refused here
    for code in (3, -1):
        with pytest.raises(ValueError, match=r"grid_sampler\(\): interpolation_mode must be"):
            tg.grid_sampler(tg.tensor(x), tg.tensor(g), code, 0, False)
        with pytest.raises(ValueError, match=r"grid_sampler_2d\(\): padding_mode must be"):
            tg.grid_sampler_2d(tg.tensor(x), tg.tensor(g), 0, code, False)


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("size", [(2, 3, 4, 5), (2, 1, 1, 3), (2, 3, 2, 3, 4)], ids=str)
def test_affine_grid_generator_matches_torch(size: tuple[int, ...], align_corners: bool) -> None:
    n = len(size) - 2
    theta = np.random.default_rng(17).standard_normal((2, n, n + 1))
    _same_as_torch(lambda m, t: m.affine_grid_generator(t[0], size, align_corners), [theta])
    ours = tg.affine_grid_generator(tg.tensor(theta), list(size), align_corners)
    expected = F.affine_grid(tg.tensor(theta), size, align_corners)
    np.testing.assert_array_equal(ours.numpy(), expected.numpy())
    theta_t = tg.tensor(theta, requires_grad=True)
    assert gradcheck(lambda t: tg.affine_grid_generator(t, size, align_corners), [theta_t])


def test_affine_grid_generator_of_an_empty_size_and_refusals() -> None:
    torch = _torch()
    theta = np.random.default_rng(18).standard_normal((2, 2, 3))
    ours = tg.affine_grid_generator(tg.tensor(theta, requires_grad=True), [2, 3, 0, 5], False)
    theirs = torch.affine_grid_generator(torch.tensor(theta), [2, 3, 0, 5], False)
    assert ours.shape == tuple(theirs.shape) == (2, 0, 5, 2)
    ours.sum().backward()
    cases: list[tuple[Any, Any, Any, str]] = [
        (theta, [2, 3, 4], False, "needs 4d (spatial) or 5d"),
        (theta, [2, 3, 4, 5, 6, 7], False, "needs 4d (spatial) or 5d"),
        (theta, [2, 3, 4, 5, 6], False, "expected theta of shape (N, 3, 4)"),
        (theta, [3, 3, 4, 5], False, "expected theta of shape"),
        (theta[0], [2, 3, 4, 5], False, "expected theta of shape"),
        (theta, [2, 3, -4, 5], False, "must not be negative"),
        (theta, [2.0, 3, 4, 5], False, "argument 'size'"),
        (theta, [2, 3, 4, 5], None, "argument 'align_corners'"),
    ]
    for t, size, align, message in cases:
        with pytest.raises(Exception) as their_error:
            torch.affine_grid_generator(torch.tensor(t), size, align)
        error = their_error.type if their_error.type is not IndexError else RuntimeError
        with pytest.raises(error, match=re.escape(message)):
            tg.affine_grid_generator(tg.tensor(t), size, align)


def test_exported_as_torch_names() -> None:
    names = ["grid_sampler", "grid_sampler_2d", "grid_sampler_3d", "affine_grid_generator"]
    for name in names:
        assert name in tg.__all__ and callable(getattr(tg, name)), name
    torch = _torch()
    assert all(hasattr(torch, name) for name in names)

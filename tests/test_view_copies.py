"""torch's view-copy functions (``tg.diagonal_copy``, ``tg.t_copy``, …, in
tinygrad_ed/_namespace_more.py): the view's values in memory of their own, with the view's
gradient.

Each against the view it copies (values equal, no memory shared, writable in place where the
view's outputs are not), its gradient by float64 finite differences, values, gradients and
errors against torch; the sparse ones refuse a strided tensor with torch's error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.numgrad import gradcheck

DATA = np.random.default_rng(31).standard_normal((3, 4))

# name: (its arguments after input, the view it copies as a function of a tensor)
CASES: dict[str, tuple[tuple[Any, ...], dict[str, Any], Callable[[Any], Any]]] = {
    "alias_copy": ((), {}, lambda x: x),
    "as_strided_copy": (((2, 2), (1, 2), 1), {}, lambda x: x.as_strided((2, 2), (1, 2), 1)),
    "diagonal_copy": ((1,), {}, lambda x: x.diagonal(1)),
    "diagonal_copy dims": ((-1, 1, 0), {}, lambda x: x.diagonal(-1, 1, 0)),
    "expand_copy": (((2, 3, 4),), {"implicit": True}, lambda x: x.expand(2, 3, 4)),
    "permute_copy": (((1, 0),), {}, lambda x: x.permute(1, 0)),
    "select_copy": ((1, -1), {}, lambda x: x.select(1, -1)),
    "slice_copy": ((1, None, None, 2), {}, lambda x: x[:, ::2]),
    "slice_copy defaults": ((), {}, lambda x: x[:]),
    "slice_copy keywords": ((), {"dim": 1, "start": -3, "end": 10}, lambda x: x[:, -3:]),
    "split_copy": ((3, 1), {}, lambda x: x.split(3, 1)),
    "split_with_sizes_copy": (([1, 3], 1), {}, lambda x: x.split_with_sizes([1, 3], 1)),
    "squeeze_copy": ((), {}, lambda x: x.squeeze()),
    "squeeze_copy dim": ((0,), {}, lambda x: x.squeeze(0)),
    "t_copy": ((), {}, lambda x: x.t()),
    "transpose_copy": ((0, 1), {}, lambda x: x.transpose(0, 1)),
    "unbind_copy": ((1,), {}, lambda x: x.unbind(1)),
    "unfold_copy": ((1, 2, 1), {}, lambda x: x.unfold(1, 2, 1)),
    "unsqueeze_copy": ((0,), {}, lambda x: x.unsqueeze(0)),
    "view_copy": (((4, 3),), {}, lambda x: x.reshape(4, 3)),
    "view_copy size keyword": ((), {"size": (2, 6)}, lambda x: x.reshape(2, 6)),
}


def _call(lib: Any, case: str, x: Any) -> Any:
    args, kwargs, _ = CASES[case]
    return getattr(lib, case.split()[0])(x, *args, **kwargs)


def _parts(out: Any) -> list[Any]:
    return list(out) if isinstance(out, (tuple, list)) else [out]


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_views_values_in_memory_of_their_own(case: str) -> None:
    x = tg.tensor(DATA)
    ours, view = _parts(_call(tg, case, x)), _parts(CASES[case][2](x))
    assert len(ours) == len(view)
    for a, v in zip(ours, view, strict=True):
        np.testing.assert_array_equal(a.numpy(), v.numpy())
        assert a._base is None and not np.shares_memory(a.data, x.data)
        a.add_(1.0)  # writable in place (unbind's and split's outputs refuse that when recorded)
    np.testing.assert_array_equal(x.numpy(), DATA)


@pytest.mark.parametrize("case", sorted(CASES))
def test_gradient_by_finite_differences(case: str) -> None:
    def f(x: tg.Tensor) -> tg.Tensor:
        parts = _parts(_call(tg, case, x))
        return tg.cat([p.reshape(-1) * (i + 1) for i, p in enumerate(parts)])

    assert gradcheck(f, (tg.tensor(DATA, requires_grad=True),))


@pytest.mark.parametrize("case", sorted(CASES))
def test_against_torch(case: str) -> None:
    torch = pytest.importorskip("torch")
    results = []
    for lib in (tg, torch):
        x = lib.tensor(DATA, requires_grad=True)
        parts = _parts(_call(lib, case, x))
        sum(((p * (i + 1)) ** 2).sum() for i, p in enumerate(parts)).backward()
        results.append(([p.detach().numpy() for p in parts], x.grad.numpy()))
    (ours, ours_grad), (theirs, theirs_grad) = results
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    np.testing.assert_allclose(ours_grad, theirs_grad, rtol=1e-12)


def test_split_copies_are_tuples_and_detach_copy_has_no_history() -> None:
    x = tg.tensor(DATA, requires_grad=True)
    assert type(tg.split_copy(x, 2)) is tuple and type(tg.unbind_copy(x)) is tuple
    d = tg.detach_copy(x)
    assert not d.requires_grad and d.grad_fn is None and not np.shares_memory(d.data, x.data)
    np.testing.assert_array_equal(d.numpy(), DATA)


def test_view_copy_of_a_dtype_and_of_a_transposed_tensor() -> None:
    x = tg.tensor(DATA.astype(np.float32))
    np.testing.assert_array_equal(
        tg.view_copy(x, tg.int32).numpy(), DATA.astype(np.float32).view(np.int32)
    )
    np.testing.assert_array_equal(tg.view_copy(x, dtype=tg.int32).numpy(), x.view(tg.int32).numpy())
    np.testing.assert_array_equal(
        tg.view_copy(x.t(), (12,)).numpy(), DATA.T.ravel().astype(np.float32)
    )


SPARSE = [
    "indices_copy",
    "values_copy",
    "crow_indices_copy",
    "col_indices_copy",
    "ccol_indices_copy",
    "row_indices_copy",
]


@pytest.mark.parametrize("name", SPARSE)
def test_sparse_parts_refuse_a_strided_tensor_as_torch(name: str) -> None:
    x = tg.tensor(DATA)
    with pytest.raises(RuntimeError, match="layout but got Strided") as ours:
        getattr(tg, name)(x)
    with pytest.raises(TypeError, match=rf"^{name}\(\): argument 'input' must be Tensor"):
        getattr(tg, name)(DATA)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError) as theirs:
        getattr(torch, name)(torch.tensor(DATA))
    assert str(ours.value) == str(theirs.value)


BAD: dict[str, Callable[[Any, Any], Any]] = {
    "select out of range": lambda m, x: m.select_copy(x, 0, 5),
    "slice step 0": lambda m, x: m.slice_copy(x, 1, 0, 4, 0),
    "slice step negative": lambda m, x: m.slice_copy(x, 1, 0, 4, -1),
    "slice dim out of range": lambda m, x: m.slice_copy(x, 2),
    "view_copy size": lambda m, x: m.view_copy(x, (5,)),
    "diagonal same dims": lambda m, x: m.diagonal_copy(x, 0, 1, 1),
    "permute length": lambda m, x: m.permute_copy(x, (0,)),
    "transpose dim": lambda m, x: m.transpose_copy(x, 0, 2),
    "expand smaller": lambda m, x: m.expand_copy(x, (3, 5)),
    "split sizes sum": lambda m, x: m.split_with_sizes_copy(x, [1, 1], 1),
    "unfold size": lambda m, x: m.unfold_copy(x, 1, 5, 1),
    "unsqueeze dim": lambda m, x: m.unsqueeze_copy(x, 4),
    "unbind dim": lambda m, x: m.unbind_copy(x, 2),
    "as_strided out of bounds": lambda m, x: m.as_strided_copy(x, (4, 4), (4, 1)),
    "not a tensor": lambda m, x: m.t_copy(DATA),
}


def _kind(call: Callable[[Any, Any], Any], lib: Any) -> type[Exception]:
    try:
        call(lib, lib.tensor(DATA))
    except (IndexError, TypeError, RuntimeError) as e:
        return next(k for k in (IndexError, TypeError, RuntimeError) if isinstance(e, k))
    raise AssertionError("not refused")


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_refused_as_torch(name: str) -> None:
    ours = _kind(BAD[name], tg)
    torch = pytest.importorskip("torch")
    assert ours is _kind(BAD[name], torch)

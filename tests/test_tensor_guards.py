"""Tensor-level guards: in-place changes to saved data, checked attributes, int and dtype rules.

Each test pins a case that used to give a silently wrong answer or a raw numpy/Python error; the
expected behaviour is torch's (a clear error naming the op, or torch's result).
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F

# ----------------------------------------------------------------------------- version counter


def test_backward_refuses_a_saved_tensor_changed_in_place() -> None:
    x = tg.ones(2, requires_grad=True)
    y = x * 2
    z = y * y  # saves y
    with tg.no_grad():
        y.add_(1.0)
    with pytest.raises(RuntimeError, match=r"MulBackward.*modified by an inplace operation"):
        z.sum().backward()


def test_backward_refuses_a_parameter_updated_before_backward() -> None:
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w).sum()
    with tg.no_grad():
        w -= 0.1  # an optimizer step taken too early
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


@pytest.mark.parametrize("change", ["detach", "no_grad", "setitem"])
def test_backward_refuses_an_output_changed_in_place(change: str) -> None:
    """sigmoid's rule reads its output: changing it in place would give a wrong gradient."""
    x = tg.tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    y = x.sigmoid()
    if change == "detach":
        p = y.detach()
        p /= p.sum()
    else:
        with tg.no_grad():
            if change == "no_grad":
                y.mul_(2.0)
            else:
                y[0] = 0.0
    with pytest.raises(RuntimeError, match=r"SigmoidBackward.*inplace.*its output, of shape"):
        y.sum().backward()


def test_in_place_updates_after_backward_are_fine() -> None:
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    for _ in range(2):
        w.grad = None
        (w * w).sum().backward()
        with tg.no_grad():
            w -= 0.25 * w.grad  # type: ignore[operator]
    np.testing.assert_allclose(w.data, [0.25, 0.5])


def test_in_place_op_with_a_value_that_requires_grad_is_recorded_as_torch() -> None:
    x, w = tg.zeros(2), tg.ones(2, requires_grad=True)
    x += w  # torch: x becomes a non-leaf with AddBackward0 (tests/test_inplace_nonleaf.py)
    assert x.requires_grad and not x.is_leaf and np.all(x.data == 1)
    (x * 3).sum().backward()
    assert w.grad is not None and w.grad.tolist() == [3.0, 3.0]


def test_setitem_writes_in_place_like_torch() -> None:
    x = tg.zeros(2, 3)
    x[0] = 1.0
    x[:, 1] = tg.tensor([5.0, 6.0])
    x[x > 5] = -1.0  # a bool Tensor mask
    x[[1, 1], [0, 2]] = np.array([7.0, 8.0])
    np.testing.assert_array_equal(x.data, [[1, 5, 1], [7, -1, 8]])
    assert x.dtype == np.float32
    n = tg.tensor([1, 2, 3])
    n[0] = 2.7  # cast to the tensor's dtype, as torch
    assert n.tolist() == [2, 2, 3]


def test_setitem_is_refused_on_autograd_tensors_and_checked() -> None:
    w = tg.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"__setitem__: a leaf Variable that requires grad"):
        w[0] = 2.0
    z = tg.zeros(3)
    z[0] = w[0]  # recorded, as torch's CopySlices (tests/test_inplace_nonleaf.py)
    assert z.requires_grad and not z.is_leaf
    with tg.no_grad():
        w[0] = 2.0
    assert w.tolist() == [2.0, 1.0, 1.0] and w.requires_grad
    x = tg.zeros(2, 3)
    with pytest.raises(IndexError, match=r"__setitem__: .*index 5 of a tensor of shape \(2, 3\)"):
        x[5] = 1.0
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        x[0] = [1.0, 2.0]
    with pytest.raises(TypeError, match="__setitem__"):
        x[0] = "1.5"  # numpy would parse the string
    with pytest.raises(RuntimeError, match=r"__setitem__: .*refers to a single memory location"):
        x.expand(4, 2, 3)[:, 0] = 1.0  # many elements share one memory location (torch's error)
    x.expand(4, 2, 3)[0] = 1.0  # x[0] repeats none: torch writes it, into x's memory
    assert x.tolist() == [[1.0] * 3] * 2
    with pytest.raises(RuntimeError, match=r"add_: .*shape \(4, 2, 3\).*Please clone\(\)"):
        x.expand(4, 2, 3).add_(1.0)


def test_backward_refuses_a_saved_tensor_changed_by_setitem() -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = (y * y).sum()
    with tg.no_grad():
        y[0] = 0.0
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.backward()


# ----------------------------------------------------------------------------- checked attributes


def test_grad_dtype() -> None:
    """torch 2.13's ``grad_dtype``: the leaf's dtype by default; another dtype, to which
    backward casts each gradient (float32 parameter, float64 sums); None, any dtype: a gradient
    keeps its own and sums into the ``.grad`` there is. Leaves only; an existing .grad of
    another dtype refuses a change; ``x.grad = g`` must match it."""
    x = tg.ones(2, requires_grad=True)
    assert x.grad_dtype == tg.float32
    x.grad_dtype = tg.float64
    for _ in range(2):
        (x * 2).sum().backward()
    assert x.grad is not None and x.grad.dtype == tg.float64
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 4.0])
    with pytest.raises(RuntimeError, match="already a gradient with dtype 'double'"):
        x.grad_dtype = tg.int64
    x.grad = None
    x.grad_dtype = None
    x.grad = tg.ones(2, dtype=tg.float64)  # any dtype now
    (x * 2).sum().backward()
    assert x.grad.dtype == tg.float64
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])
    y = tg.ones(2, requires_grad=True)
    y.grad_dtype = None
    (y * 2).sum().backward()
    assert y.grad is not None and y.grad.dtype == tg.float32  # the gradient's own
    z = y * 1
    with pytest.raises(RuntimeError, match="only be accessed on leaf"):
        _ = z.grad_dtype
    with pytest.raises(RuntimeError, match="only be set on leaf"):
        z.grad_dtype = tg.float64
    with pytest.raises(RuntimeError, match=r"must be a torch\.dtype or None, but got str"):
        y.grad_dtype = "float"
    w = tg.ones(2, requires_grad=True)
    w.grad_dtype = tg.float16
    with pytest.raises(
        RuntimeError, match=r"'float' \(float32\) to a tensor with grad_dtype 'Half'"
    ):
        w.grad = tg.ones(2)


def test_grad_dtype_as_torch() -> None:
    torch = pytest.importorskip("torch")
    grads = []
    for lib in (tg, torch):
        x = lib.ones(3, requires_grad=True)
        x.grad_dtype = lib.float64
        (x * lib.tensor([1.0, 1e-8, 3.0])).sum().backward()
        (x * 0.1).sum().backward()
        grads.append((str(x.grad.dtype).removeprefix("torch."), x.grad.tolist()))
    assert grads[0] == grads[1]


def test_grad_assignment_is_checked() -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"assigned grad has shape \(1,\).*shape \(2,\)"):
        x.grad = tg.ones(1)
    with pytest.raises(RuntimeError, match=r"dtype 'double' \(float64\) to a tensor with grad"):
        x.grad = tg.tensor(np.ones(2))
    with pytest.raises(TypeError, match="Tensor or None"):
        x.grad = [1.0, 2.0]  # type: ignore[assignment]
    x.grad = tg.ones(2)
    (x * 2).sum().backward()
    np.testing.assert_allclose(x.grad.data, [3.0, 3.0])  # type: ignore[union-attr]


def test_requires_grad_assignment_is_checked() -> None:
    ints = tg.tensor([1, 2])
    with pytest.raises(TypeError, match="only floating point tensors can require gradients"):
        ints.requires_grad = True
    x = tg.ones(2)
    x.requires_grad = True
    assert x.requires_grad and x.is_leaf
    with pytest.raises(TypeError, match="expected a bool"):
        x.requires_grad_(1)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- integer inputs


@pytest.mark.parametrize(
    ("fn", "expected"),
    [
        (lambda t: t.sigmoid(), 1 / (1 + np.exp(-np.array([1.0, 2.0])))),
        (lambda t: t.tanh(), np.tanh([1.0, 2.0])),
        (lambda t: t.exp(), np.exp([1.0, 2.0])),
        (lambda t: t.log(), np.log([1.0, 2.0])),
        (lambda t: t.sqrt(), np.sqrt([1.0, 2.0])),
        (lambda t: t.logsumexp(0), np.log(np.exp([1.0, 2.0]).sum())),
        (lambda t: t / tg.tensor([2, 2]), [0.5, 1.0]),
        (lambda t: 1 / t, [1.0, 0.5]),
        (lambda t: t.div(4), [0.25, 0.5]),
        (lambda t: t.clamp(0.5, 1.5), [1.0, 1.5]),
    ],
)
def test_real_valued_ops_on_integers_compute_in_the_default_float(fn, expected) -> None:  # type: ignore[no-untyped-def]
    out = fn(tg.tensor([1, 2]))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.data, expected, rtol=1e-6)


@pytest.mark.parametrize("op", ["softmax", "log_softmax", "mean", "var", "std"])
def test_ops_torch_refuses_on_integers_are_refused(op: str) -> None:
    t = tg.tensor([1, 2])
    args = (0,) if "softmax" in op else ()
    with pytest.raises(TypeError, match=rf"{op}\(\): .*int64.*float\(\)"):
        getattr(t, op)(*args)


def test_integer_only_ops_stay_integer() -> None:
    t = tg.tensor([-1, 2])
    assert t.relu().dtype == np.int64 and t.clamp(0, 1).dtype == np.int64
    assert (t * 2).dtype == np.int64 and t.sum().dtype == np.int64


def test_clamp_refuses_non_numbers() -> None:
    with pytest.raises(TypeError, match="clamp\\(\\): min and max must be numbers"):
        tg.ones(2).clamp("a")
    with pytest.raises(TypeError, match="both be numbers or both be tensors"):
        tg.ones(2).clamp(tg.zeros(2), 1.0)  # torch has no such overload either
    with pytest.raises(tg.OpError, match=r"clamp\(\): shapes \(3,\) and \(2,\)"):
        tg.ones(3).clamp(tg.zeros(2), tg.ones(3))


def test_clamp_with_tensor_bounds() -> None:
    """torch's clamp(x, min=Tensor, max=Tensor): min(max(x, lo), hi), hi where lo > hi; its
    gradients x̄ = g·[lo ≤ x ≤ hi], lō = g·[x < lo < hi], hī = g·[x > hi or hi < lo] (torch
    2.13's answers), and a finite-difference check away from the ties."""
    x = tg.tensor([-2.0, 0.5, 3.0, 1.0, 1.0, 0.2], requires_grad=True)
    lo = tg.tensor([0.0, 0.0, 0.0, 1.0, 2.0, 0.5], requires_grad=True)
    hi = tg.tensor([1.0, 1.0, 1.0, 1.0, 0.5, 0.5], requires_grad=True)
    y = tg.clamp(x, lo, hi)
    assert y.tolist() == [0.0, 0.5, 1.0, 1.0, 0.5, 0.5]
    y.backward(tg.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    assert _grads(x, lo, hi) == (
        [0.0, 2.0, 0.0, 4.0, 0.0, 0.0],  # inside, ties with both bounds included
        [1.0, 0.0, 0.0, 0.0, 0.0, 0.0],  # below lo < hi
        [0.0, 0.0, 3.0, 0.0, 5.0, 0.0],  # above hi, or hi < lo; x below lo = hi: nobody
    )
    nan = tg.clamp(tg.tensor([1.0, 5.0]), tg.tensor([float("nan"), 0.0]), tg.tensor([3.0, 4.0]))
    assert np.isnan(nan.tolist()[0]) and nan.tolist()[1] == 4.0
    ints = tg.clamp(tg.tensor([1.0, 5.0]), tg.tensor([2, 0]), tg.tensor([3, 4]))
    assert ints.dtype == np.float32 and ints.tolist() == [2.0, 4.0]  # torch's promotion
    rng = np.random.default_rng(0)
    a, b, c = (tg.tensor(rng.standard_normal(s), requires_grad=True) for s in ((3, 4), (4,), ()))
    assert tg.gradcheck(lambda a, b, c: a.clamp(b - 0.5, c + 1.0), (a, b, c))
    z = tg.ones(3)
    z.clamp_(tg.zeros(3), tg.full((3,), 0.5))
    assert z.tolist() == [0.5, 0.5, 0.5]


def _grads(*ts: tg.Tensor) -> tuple[list[float], ...]:
    return tuple(t.grad.tolist() for t in ts if t.grad is not None)


# ----------------------------------------------------------------------------- dims and sizes


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda t: t.view(6.9), r"reshape\(\): sizes must be ints"),
        (lambda t: t.reshape("6"), r"reshape\(\): sizes must be ints"),
        (lambda t: t.expand(2.5, 3), r"expand\(\): sizes must be ints"),
        (lambda t: t.permute(1.0, 0), r"permute\(\): sizes must be ints"),
        (lambda t: t.transpose(1.5, 0), r"transpose\(\): dim must be an int"),
        (lambda t: t.sum(1.0), r"sum\(\): dim must be an int"),
        (lambda t: t.softmax(None), r"softmax\(\): dim must be an int"),
        (lambda t: t.unsqueeze(1.0), r"unsqueeze\(\): dim must be an int"),
        (lambda t: t.flatten(0.0), r"flatten\(\): dim must be an int"),
        (lambda t: t.argmax(1.0), r"argmax\(\): dim must be an int"),
    ],
)
def test_dims_and_sizes_must_be_ints(call, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError, match=match):
        call(tg.ones(2, 3))


def test_numpy_integers_are_ints() -> None:
    t = tg.ones(2, 3)
    assert t.sum(np.int64(1)).shape == (2,)
    assert t.reshape(np.int64(3), 2).shape == (3, 2)


def test_flatten_refuses_start_after_end() -> None:
    with pytest.raises(ValueError, match="start_dim 1 comes after end_dim 0"):
        tg.ones(2, 3).flatten(1, 0)
    with pytest.raises(IndexError, match="flatten"):
        tg.tensor(1.0).flatten(0, 5)


def test_flatten_with_nothing_to_merge_is_the_tensor_itself() -> None:
    # as torch: a leaf's flatten() is the leaf, so a retain_grad() on it keeps .grad out of
    # autograd.grad() (which had put the gradient in twice, found by the graph fuzzer)
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    assert x.flatten() is x and x.flatten(0, 0) is x and x.flatten().is_leaf
    y = tg.ones(2, 3)
    assert y.flatten(1, 1) is y and y.flatten(0, 1) is not y
    assert tg.tensor(1.0).flatten().shape == (1,)


def test_empty_dim_list_reduces_everything_as_in_torch() -> None:
    t = tg.ones(2, 3)
    assert t.sum(()).item() == 6.0 and t.sum([]).item() == 6.0
    assert t.mean([]).item() == 1.0 and t.amax(()).item() == 1.0
    assert t.squeeze(()).shape == (2, 3)  # squeeze is not a reduction


def test_permute_needs_one_entry_per_dim() -> None:
    with pytest.raises(ValueError, match="not a permutation"):
        tg.tensor(1.0).permute(0)
    with pytest.raises(ValueError, match="not a permutation"):
        tg.ones(2, 3).permute(0)


def test_max_and_min_of_a_0d_tensor_along_dim_0() -> None:
    x = tg.tensor(3.0, requires_grad=True)
    values, indices = x.max(0)
    assert values.item() == 3.0 and indices.item() == 0 and values.shape == ()
    values.backward()
    assert x.grad is not None and x.grad.item() == 1.0
    assert x.min(-1).indices.item() == 0


def test_var_with_no_degrees_of_freedom_warns_and_gives_nan_or_inf() -> None:
    with pytest.warns(RuntimeWarning, match="degrees of freedom"):
        assert np.isnan(tg.ones(1).var().item())
    with pytest.warns(RuntimeWarning, match="degrees of freedom"):
        assert np.isinf(tg.tensor([1.0, 2.0, 3.0]).var(correction=5).item())


def test_empty_list_index_selects_no_rows() -> None:
    assert tg.ones(2, 3)[[]].shape == (0, 3)


# ----------------------------------------------------------------------------- creation


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: tg.zeros(2.5), TypeError, r"zeros\(\): sizes must be ints"),
        (lambda: tg.zeros("3"), TypeError, r"zeros\(\): sizes must be ints"),
        (lambda: tg.ones(True), TypeError, r"ones\(\): sizes must be ints"),
        (lambda: tg.zeros(-1), ValueError, r"zeros\(\): negative dimension"),
        (lambda: tg.randn(2, -3), ValueError, r"randn\(\): negative dimension"),
        (lambda: tg.eye(-1), ValueError, r"eye\(\): negative dimension"),
        (lambda: tg.full((-1,), 1.0), ValueError, r"full\(\): negative dimension"),
        (lambda: tg.full((2,), "a"), TypeError, r"full\(\): fill_value must be a number"),
        (lambda: tg.randn(5, dtype=np.int64), TypeError, r"randn\(\): .*floating or complex dtype"),
        (lambda: tg.rand(5, dtype=bool), TypeError, r"rand\(\): .*floating or complex dtype"),
        (lambda: tg.zeros(2, dtype=str), TypeError, r"zeros\(\): tensors hold numbers"),
        (lambda: tg.arange(3, dtype=object), TypeError, r"arange\(\): tensors hold numbers"),
        (lambda: tg.tensor([1.0], dtype="foo"), TypeError, r"tensor\(\): 'foo' is not a dtype"),
        (lambda: tg.tensor([1.7]).to(object), TypeError, r"to\(\): tensors hold numbers"),
        (lambda: tg.tensor([300, -1], dtype=np.uint8), RuntimeError, "without overflow"),
        (lambda: tg.tensor([float("nan")], dtype=np.int64), RuntimeError, "without overflow"),
        (lambda: tg.arange(0, 10, 0), ValueError, r"arange\(\): step must be nonzero"),
        (lambda: tg.arange(0, 1, 0.1, dtype=np.int64), ValueError, "step must be nonzero"),
        (lambda: tg.arange(5, 0), ValueError, "inconsistent with the step sign"),
        (lambda: tg.zeros_like([1, 2]), TypeError, r"zeros_like\(\): argument 'input'"),
        (lambda: tg.manual_seed(1.5), TypeError, r"manual_seed\(\): seed must be an int"),
    ],
)
def test_creation_refuses_bad_sizes_dtypes_and_values(call, error, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=match):
        call()


def test_creation_dtypes_follow_torch() -> None:
    assert tg.full((2,), 3).dtype == np.int64
    assert tg.full((2,), True).dtype == np.bool_
    assert tg.full((2,), 0.5).dtype == np.float32
    assert tg.full(3, 1.0).shape == (3,)
    assert tg.arange(np.int64(3)).dtype == np.int64
    assert tg.arange(5, 0, -2).tolist() == [5, 3, 1]
    assert tg.tensor([255, 0], dtype=np.uint8).tolist() == [255, 0]
    tg.manual_seed(-1)  # torch takes negative seeds too


# ----------------------------------------------------------------------------- values and operands


def test_fill_takes_only_a_scalar_and_values_must_be_numbers() -> None:
    with pytest.raises(RuntimeError, match=r"fill_: only a 0-dimensional value.*\(3,\)"):
        tg.ones(2, 3).fill_(tg.ones(3))
    with pytest.raises(TypeError, match=r"copy_: cannot use a value of type str"):
        tg.ones(2).copy_("a")
    with pytest.raises(TypeError, match=r"fill_: cannot use a value of type str"):
        tg.ones(2).fill_("a")
    assert tg.ones(2).fill_(tg.tensor(3.0)).tolist() == [3.0, 3.0]


def test_cat_and_stack_need_a_sequence_and_promote_ints_to_the_float_dtype() -> None:
    for join in (tg.cat, tg.stack):
        with pytest.raises(TypeError, match=r"expected a list or tuple of tensors, got Tensor"):
            join(tg.ones(2, 3))  # type: ignore[arg-type]
    assert tg.cat([tg.tensor([1]), tg.ones(1)]).dtype == np.float32
    assert tg.stack([tg.tensor([1]), tg.ones(1)]).dtype == np.float32


def test_cat_refuses_a_0d_tensor_before_checking_the_dim() -> None:
    # torch's order (found by the graph fuzzer: an IndexError for the dim instead)
    with pytest.raises(RuntimeError, match=r"zero-dimensional tensor \(at position 2\)"):
        tg.cat([tg.ones(1), tg.ones(1), tg.tensor(2.0)], dim=-2)


def test_comparisons_name_the_op_and_shapes() -> None:
    with pytest.raises(ValueError, match=r"less\(\): cannot compare shapes \(2, 3\) and \(3, 2\)"):
        tg.ones(2, 3) < tg.ones(3, 2)  # noqa: B015


def test_numpy_errors_keep_their_builtin_class_and_name_the_op() -> None:
    from tinygrad_ed.tensor import OpError, _error

    assert type(_error(np.exceptions.AxisError(3, 1), "m")) is IndexError
    assert type(_error(TypeError("numpy's words"), "m")) is TypeError
    assert type(_error(ValueError("numpy's words"), "m")) is OpError
    # bool − bool was numpy's TypeError, named; it is refused first now, as torch refuses it
    with pytest.raises(RuntimeError, match=r"sub\(\): Subtraction.*bool.*\(2,\) and \(2,\)"):
        tg.ones(2, dtype=bool) - tg.ones(2, dtype=bool)


def test_numpy_scalars_are_weak_like_python_scalars() -> None:
    assert (tg.ones(2) + np.float64(1.0)).dtype == np.float32
    assert (tg.ones(2) * np.int64(3)).dtype == np.float32


def test_one_hot_infers_the_number_of_classes_by_default() -> None:
    assert F.one_hot(tg.tensor([0, 2])).tolist() == [[1, 0, 0], [0, 0, 1]]


def test_empty_tensors_reduce_like_torch() -> None:
    values, indices = tg.zeros(0, 3).max(1)
    assert values.shape == (0,) and indices.shape == (0,)
    assert tg.zeros(2, 0).amax(0).shape == (0,)
    assert tg.zeros(2, 0).softmax(1).shape == (2, 0)
    assert tg.zeros(2, 0).log_softmax(1).shape == (2, 0)
    assert tg.zeros(0).logsumexp(0).item() == -np.inf
    assert tg.zeros(2, 0).logsumexp(1).tolist() == [-np.inf, -np.inf]
    # torch's exception types: IndexError where a dim is named (and for argmax), else RuntimeError
    with pytest.raises(IndexError, match=r"max\(\): cannot reduce over an empty dim"):
        tg.zeros(0, 3).max(0)
    with pytest.raises(IndexError, match=r"amin\(\): cannot reduce over an empty dim"):
        tg.zeros(0, 3).amin((1, 0))
    with pytest.raises(IndexError, match=r"argmax\(\): cannot reduce over an empty dim"):
        tg.zeros(0, 3).argmax()
    with pytest.raises(RuntimeError, match=r"max\(\): cannot reduce over an empty dim"):
        tg.zeros(0, 3).max()
    with pytest.raises(RuntimeError, match=r"amax\(\): cannot reduce over an empty dim"):
        tg.zeros(0, 3).amax()


def test_views_share_their_base_version_count() -> None:
    x = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1.0
    z = y * y  # saves y
    with tg.no_grad():
        y[0].add_(1.0)  # a view of y: y's data changes too
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()
    w = tg.tensor([[1.0, 2.0]], requires_grad=True)
    loss = (w.T * w.T).sum()  # saves the view w.T
    with tg.no_grad():
        w.detach().mul_(2.0)  # detach shares memory, as in torch
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def test_a_copy_made_by_indexing_is_not_a_view() -> None:
    x = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1.0
    z = y * y
    with tg.no_grad():
        y[[0, 1]].add_(1.0)  # advanced indexing copies: y is untouched
    z.sum().backward()
    np.testing.assert_allclose(x.grad.data, [2.0, 4.0, 6.0])  # type: ignore[union-attr]


def test_basic_indexing_gives_views_as_in_torch() -> None:
    y = tg.tensor([1.0, 2.0, 3.0])
    y[0].add_(1.0)  # a 0-d view, not numpy's scalar copy
    m = tg.ones(2, 3)
    m[1].mul_(5.0)
    assert y.tolist() == [2.0, 2.0, 3.0] and m.tolist() == [[1, 1, 1], [5, 5, 5]]


VIEWS = {  # (what makes the tensor, the shape): view() shares memory wherever torch's does
    "transpose, same dims swapped": (lambda x: x.T, (4, 3)),
    "transpose, a size-1 dim added": (lambda x: x.T, (4, 1, 3)),
    "contiguous": (lambda x: x, (2, 6)),
    "column slice, a size-1 dim added": (lambda x: x[:, :2], (3, 2, 1)),
    "one column, flat": (lambda x: x[:, :1], (3,)),
}


@pytest.mark.parametrize("case", list(VIEWS))
def test_view_shares_memory_where_torchs_does(case: str) -> None:
    make, shape = VIEWS[case]
    x = tg.arange(12.0).reshape(3, 4)
    v = make(x).view(*shape)
    v[(0,) * v.ndim] = 100.0  # a write into it reaches x
    assert x[0, 0].item() == 100.0
    torch = pytest.importorskip("torch")
    assert tuple(make(torch.arange(12.0).reshape(3, 4)).view(*shape).shape) == v.shape


def test_view_that_strides_cannot_give_is_a_copy_where_torch_refuses() -> None:
    # documented in Tensor.view: refusing by this library's strides would refuse views torch
    # takes, as some ops here lay out their results otherwise
    x = tg.arange(12.0).reshape(3, 4)
    v = x.T.view(-1)
    assert v.tolist() == x.T.reshape(-1).tolist()
    v[0] = 100.0
    assert x[0, 0].item() == 0.0
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        torch.arange(12.0).reshape(3, 4).T.view(-1)


def test_view_flattens_a_convolutions_output_as_in_torch() -> None:
    # x.view(x.size(0), -1) after a conv: torch's output is contiguous; this library's is
    # channels-last, which the refusal above must not reach (torch documents no layout)
    conv = tg.nn.Conv2d(3, 4, 3)
    x = tg.randn(2, 3, 8, 8, requires_grad=True)
    out = conv(x).relu()
    flat = out.view(out.size(0), -1)
    assert flat.shape == (2, 4 * 6 * 6)
    np.testing.assert_array_equal(flat.data, out.data.reshape(2, -1))
    flat.sum().backward()
    assert x.grad is not None and x.grad.shape == x.shape


def test_in_place_changes_to_unrelated_tensors_do_not_block_backward() -> None:
    x, other = tg.tensor([1.0, 2.0], requires_grad=True), tg.zeros(2)
    loss = (x * x).sum()
    other.add_(1.0)  # moves the clock of in-place updates, touches nothing the graph saved
    loss.backward()
    np.testing.assert_allclose(x.grad.data, [2.0, 4.0])  # type: ignore[union-attr]


def test_a_transpose_outside_the_graph_is_a_view_stamped_on_its_base() -> None:
    w = tg.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    assert w.T.grad_fn is not None and w.mT.grad_fn is not None  # recorded in grad mode
    loss = (w * w).sum()  # saves w
    with tg.no_grad():
        t = w.T  # no graph: the bare view
        assert t.grad_fn is None and not t.requires_grad and t.shape == (3, 1)
        assert np.shares_memory(t.data, w.data)
        t.add_(1.0)  # changes w through the view
    assert w.tolist() == [[2.0, 3.0, 4.0]]
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


# ----------------------------------------------------------------------------- scalar operands


def test_scalar_operands_keep_the_sign_of_zero() -> None:
    x = tg.tensor([1.0, -2.0])
    for _ in range(2):  # scalar operands are cached: the second round reads the cache
        assert np.signbit((x * 0.0).data).tolist() == [False, True]
        assert np.signbit((x * -0.0).data).tolist() == [True, False]


def test_a_cached_scalar_operand_cannot_be_changed() -> None:
    x = tg.tensor([1.0], requires_grad=True)
    node = (x * 3.0).grad_fn
    assert node is not None and node.saved is not None
    three = node.saved[1]  # its array is the one every `* 3.0` on float32 shares
    with pytest.raises(RuntimeError, match=r"add_: the memory .*\(shape \(\)\) is read-only"):
        three.add_(1.0)
    assert (x * 3.0).tolist() == [3.0]

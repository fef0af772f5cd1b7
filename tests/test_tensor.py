"""Tensor construction, dtype policy, PyTorch-like attributes, shape ops and bad input."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.tensor import Tensor


def test_dtype_policy() -> None:
    assert tg.Tensor([1, 2]).dtype == np.float32  # like torch.Tensor
    assert tg.tensor([1, 2]).dtype == np.int64  # like torch.tensor
    assert tg.tensor([1.0, 2]).dtype == np.float32
    assert tg.tensor([True]).dtype == np.bool_
    assert tg.Tensor(np.ones(2)).dtype == np.float64
    assert tg.Tensor(np.ones(2, dtype=np.int32)).dtype == np.int32
    assert tg.zeros(2, 3).dtype == np.float32
    assert tg.arange(3).dtype == np.int64 and tg.arange(0.0, 1.0, 0.5).dtype == np.float32
    x32 = tg.ones(2)
    assert (x32 * 2.0).dtype == np.float32 and (2 + x32).dtype == np.float32
    assert (tg.Tensor(np.ones(2)) * 2.0).dtype == np.float64


def test_default_dtype_can_change() -> None:
    tg.set_default_dtype(np.float64)
    try:
        assert tg.Tensor([1.0]).dtype == np.float64 and tg.randn(2).dtype == np.float64
    finally:
        tg.set_default_dtype(np.float32)
    with pytest.raises(TypeError):
        tg.set_default_dtype(np.int64)


def test_constructor_copies_numpy_input() -> None:
    a = np.ones(3)
    t = tg.Tensor(a)
    t.data[0] = 5.0
    assert a[0] == 1.0


def test_integer_and_bool_tensors_cannot_require_grad() -> None:
    with pytest.raises(TypeError, match=r"int64.*\(2,\)"):
        tg.tensor([1, 2], requires_grad=True)
    with pytest.raises(TypeError):
        tg.tensor([True]).requires_grad_()


def test_bad_data_raises_clearly() -> None:
    with pytest.raises(ValueError, match="rectangular"):
        tg.tensor([[1, 2], [3]])
    with pytest.raises(TypeError, match="dtype"):
        tg.tensor(["a", "b"])


def test_attributes_and_conversions() -> None:
    x = tg.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    assert x.shape == (2, 3) and x.size() == (2, 3) and x.size(1) == 3 and x.size(-1) == 3
    assert x.ndim == x.dim() == 2 and len(x) == 2 and x.numel() == 6
    assert x.T.shape == (3, 2) and x.mT.shape == (3, 2)
    assert x.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert x.sum().item() == 21.0 and float(x[0, 0]) == 1.0
    with pytest.raises(RuntimeError, match="detach"):
        x.numpy()
    assert x.detach().numpy() is x.data
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        x.item()
    with pytest.raises(TypeError):
        len(tg.tensor(1.0))
    assert [row.shape for row in x] == [(3,), (3,)]
    assert repr(x) == "tensor([[1., 2., 3.],\n        [4., 5., 6.]], requires_grad=True)"
    assert repr(tg.tensor([1, 2])) == "tensor([1, 2])"
    assert "dtype=float64" in repr(tg.Tensor(np.ones(1)))


def test_ndarray_on_the_left_defers_to_tensor() -> None:
    x = tg.ones(3, requires_grad=True)
    y = np.arange(3.0) + x
    assert isinstance(y, Tensor) and y.requires_grad
    z = np.ones((2, 3)) @ tg.ones(3)
    assert isinstance(z, Tensor) and z.shape == (2,)


def test_comparisons_return_bool_without_grad() -> None:
    x = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for m in (x < 2, x <= 2, x > 2, x >= 2, x == 2, x != 2):
        assert m.dtype == np.bool_ and not m.requires_grad
    assert (x > 1.5).tolist() == [False, True, True]


def test_creation_functions_and_seed() -> None:
    tg.manual_seed(0)
    a = tg.randn(2, 3)
    tg.manual_seed(0)
    b = tg.randn((2, 3))
    assert np.array_equal(a.data, b.data) and a.shape == (2, 3)
    assert tg.rand(4).data.min() >= 0 and tg.rand(4).data.max() < 1
    assert tg.full((2,), 7.0).tolist() == [7.0, 7.0]
    assert tg.eye(2).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert tg.zeros_like(a).shape == a.shape and tg.ones_like(a).data.sum() == 6
    assert tg.arange(1, 7, 2).tolist() == [1, 3, 5]


def test_shape_ops_forward() -> None:
    x = tg.arange(24).reshape(2, 3, 4)
    assert x.view(6, -1).shape == (6, 4) and x.flatten().shape == (24,)
    assert x.flatten(1).shape == (2, 12) and x.permute(2, 0, 1).shape == (4, 2, 3)
    assert x.transpose(0, 2).shape == (4, 3, 2)
    assert x.unsqueeze(0).shape == (1, 2, 3, 4) and x.unsqueeze(-1).shape == (2, 3, 4, 1)
    assert tg.ones(1, 3, 1).squeeze().shape == (3,) and tg.ones(1, 3, 1).squeeze(0).shape == (3, 1)
    assert tg.ones(3, 1).expand(2, 3, 4).shape == (2, 3, 4)
    assert tg.ones(3, 1).expand(-1, 5).shape == (3, 5)
    assert (
        x[..., 0].shape == (2, 3)
        and x[None, 1].shape == (1, 3, 4)
        and x[:, [0, 0, 2]].shape == (2, 3, 4)
    )
    assert tg.cat([x, x], dim=1).shape == (2, 6, 4) and tg.stack([x, x], dim=-1).shape == (
        2,
        3,
        4,
        2,
    )


def test_repeated_integer_indices_accumulate() -> None:
    x = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[tg.tensor([0, 0, 2, 0])].sum().backward()
    assert x.grad is not None and x.grad.tolist() == [3.0, 0.0, 1.0]


def test_reductions_forward() -> None:
    x = tg.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
    assert x.sum().item() == 21 and x.sum(0).tolist() == [5, 7, 9]
    assert x.sum((0, 1), keepdim=True).shape == (1, 1) and x.mean(1).tolist() == [3.0, 4.0]
    values, indices = x.max(dim=1)
    assert values.tolist() == [5.0, 6.0] and indices.tolist() == [1, 2]
    assert x.min(0).indices.tolist() == [0, 1, 0] and x.max().item() == 6.0
    assert x.argmax().item() == 5 and x.argmin(1, keepdim=True).shape == (2, 1)
    assert x.amax(0).tolist() == [4, 5, 6] and x.amin(-1).tolist() == [1, 2]
    np.testing.assert_allclose(x.var(1).data, np.var(x.data, axis=1, ddof=1), rtol=1e-6)
    np.testing.assert_allclose(x.std().data, np.std(x.data, ddof=1), rtol=1e-6)
    np.testing.assert_allclose(x.logsumexp(1).data, np.log(np.exp(x.data).sum(1)), rtol=1e-6)


@pytest.mark.parametrize(
    ("make", "pattern"),
    [
        (lambda: tg.ones(2, 3) @ tg.ones(4, 5), r"matmul.*\(2, 3\).*\(4, 5\)"),
        (lambda: tg.ones(3) @ tg.ones(4), r"matmul.*\(3,\).*\(4,\)"),
        (
            lambda: tg.ones(2, 3, 4) @ tg.ones(5, 4, 6),
            r"matmul.*batch dimensions \(2,\) and \(5,\)",
        ),
        (lambda: tg.tensor(2.0) @ tg.ones(3), r"matmul.*at least 1-D.*\(\).*\(3,\)"),
        (lambda: tg.ones(2, 3) + tg.ones(4), r"add.*\(2, 3\).*\(4,\)"),
        (lambda: tg.ones(2, 3) * tg.ones(3, 2), r"mul.*\(2, 3\).*\(3, 2\)"),
        (lambda: tg.ones(2, 3).reshape(4), r"reshape.*\(2, 3\).*\(4,\)"),
        (lambda: tg.cat([tg.ones(2, 3), tg.ones(2, 4)]), r"cat.*\(2, 3\).*\(2, 4\)"),
        (lambda: tg.stack([tg.ones(2), tg.ones(3)]), r"stack.*\(2,\).*\(3,\)"),
        (lambda: tg.ones(2, 3).sum(2), r"sum.*dim 2.*\(2, 3\)"),
        (lambda: tg.ones(2, 3).expand(4, 4), r"expand.*\(2, 3\)"),
        (lambda: tg.ones(3)[5], r"getitem.*\(3,\)"),
        (lambda: tg.ones(3).softmax(1), r"softmax.*dim 1.*\(3,\)"),
    ],
)
def test_bad_shapes_name_the_op_and_the_shapes(make: object, pattern: str) -> None:
    with pytest.raises((ValueError, IndexError)) as info:
        make()  # type: ignore[operator]
    assert info.match(pattern)
    assert "numpy" not in str(info.traceback[-1].path), "error must come from tinygrad_ed"


def test_in_place_updates_keep_dtype_and_refuse_silent_truncation() -> None:
    x32 = tg.zeros(3)
    x32 -= 0.5  # a Python scalar is weak, as in torch: the update stays float32
    assert x32.dtype == np.float32
    np.testing.assert_array_equal(x32.data, [-0.5, -0.5, -0.5])
    ints = tg.tensor([1, 2, 3])
    for update in (lambda: ints.sub_(0.5), lambda: ints.div_(2), lambda: ints.add_(x32)):
        with pytest.raises(
            ValueError, match=r"in place to a tensor of shape \(3,\) and dtype int64"
        ):
            update()
    np.testing.assert_array_equal(ints.data, [1, 2, 3])  # untouched, not truncated
    ints.mul_(2)
    ints.fill_(0.7)  # fill_ converts to the tensor's dtype, as torch's does
    np.testing.assert_array_equal(ints.data, [0, 0, 0])

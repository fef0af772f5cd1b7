"""Lazy modules, UninitializedParameter/UninitializedBuffer and nn.Buffer.

A lazy layer reads its input size from the first batch, then is exactly the eager layer built
at that moment (same shapes, same draws from tg.manual_seed's generator, same class). Checked
against the eager layers, against torch's lazy modules (state dict keys, class swaps,
behaviour with optimizers and load_state_dict) and, with weights copied over, a few SGD steps.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import nn

LAZY_CASES: list[tuple[Any, Any, tuple[Any, ...], tuple[int, ...]]] = [
    (nn.LazyLinear, nn.Linear, (3,), (2, 5)),
    (nn.LazyConv1d, nn.Conv1d, (4, 3), (2, 3, 8)),
    (nn.LazyConv2d, nn.Conv2d, (4, 3), (2, 3, 6, 6)),
    (nn.LazyConv3d, nn.Conv3d, (2, 2), (1, 2, 4, 4, 4)),
    (nn.LazyConvTranspose1d, nn.ConvTranspose1d, (4, 3), (2, 3, 8)),
    (nn.LazyConvTranspose2d, nn.ConvTranspose2d, (4, 3), (2, 3, 5, 5)),
    (nn.LazyConvTranspose3d, nn.ConvTranspose3d, (2, 2), (1, 2, 3, 3, 3)),
    (nn.LazyBatchNorm1d, nn.BatchNorm1d, (), (4, 3)),
    (nn.LazyBatchNorm2d, nn.BatchNorm2d, (), (2, 3, 4, 4)),
    (nn.LazyBatchNorm3d, nn.BatchNorm3d, (), (2, 3, 2, 2, 2)),
    (nn.LazyInstanceNorm1d, nn.InstanceNorm1d, (), (2, 3, 5)),
    (nn.LazyInstanceNorm2d, nn.InstanceNorm2d, (), (2, 3, 4, 4)),
    (nn.LazyInstanceNorm3d, nn.InstanceNorm3d, (), (2, 3, 2, 2, 2)),
]


def _eager(eager: Any, args: tuple[Any, ...], shape: tuple[int, ...]) -> Any:
    size = shape[-1] if eager is nn.Linear else shape[1]
    if eager is nn.Linear:
        return eager(size, *args)
    if issubclass(eager, (nn.InstanceNorm1d, nn.InstanceNorm2d, nn.InstanceNorm3d)):
        return eager(size, affine=True, track_running_stats=True)  # the lazy ones' defaults
    return eager(size, *args)


@pytest.mark.parametrize(
    "lazy, eager, args, shape", LAZY_CASES, ids=[c[0].__name__ for c in LAZY_CASES]
)
def test_lazy_module_becomes_the_eager_one_with_the_same_draws(
    lazy: Any, eager: Any, args: tuple[Any, ...], shape: tuple[int, ...]
) -> None:
    tg.manual_seed(7)
    m = lazy(*args)
    assert m.has_uninitialized_params()
    assert type(m) is lazy and type(m.weight).__name__ == "UninitializedParameter"
    x = tg.randn(*shape)
    out = m(x)
    assert type(m) is eager and type(m.weight) is nn.Parameter
    tg.manual_seed(7)
    x2 = tg.randn(*shape)  # the same draws before the layer's initialization
    ref = _eager(eager, args, shape)
    np.testing.assert_array_equal(x.numpy(), x2.numpy())
    ref_out = ref(x)  # (a BatchNorm's running statistics then match too)
    assert repr(m) == repr(ref)
    assert list(m.state_dict()) == list(ref.state_dict())
    for key, value in ref.state_dict().items():
        np.testing.assert_array_equal(m.state_dict()[key].numpy(), value.numpy(), err_msg=key)
    np.testing.assert_array_equal(out.detach().numpy(), ref_out.detach().numpy())


@pytest.mark.parametrize(
    "lazy, eager, args, shape", LAZY_CASES, ids=[c[0].__name__ for c in LAZY_CASES]
)
def test_lazy_state_dict_keys_and_classes_match_torch(
    lazy: Any, eager: Any, args: tuple[Any, ...], shape: tuple[int, ...]
) -> None:
    torch = pytest.importorskip("torch")
    tm = getattr(torch.nn, lazy.__name__)(*args)
    m = lazy(*args)
    assert list(m.state_dict()) == list(tm.state_dict())
    assert repr(m) == repr(tm)
    tm(torch.randn(*shape))
    m(tg.randn(*shape))
    assert type(m).__name__ == type(tm).__name__
    assert list(m.state_dict()) == list(tm.state_dict())
    assert {k: tuple(v.shape) for k, v in m.state_dict().items()} == {
        k: tuple(v.shape) for k, v in tm.state_dict().items()
    }


def test_lazy_network_trains_as_torch_after_copying_the_weights() -> None:
    """A lazy Conv → BatchNorm → Linear network, materialized by one batch, its weights copied
    from torch's (materialized by the same batch): three SGD steps in float64 agree."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 2, 6, 6))
    y = rng.standard_normal((4, 3))

    def build(lib: Any) -> Any:
        return lib.Sequential(
            lib.LazyConv2d(3, 3),
            lib.LazyBatchNorm2d(),
            lib.Flatten(),
            lib.LazyLinear(3),
        ).double()

    tm, m = build(torch.nn), build(nn)
    topt = torch.optim.SGD(tm.parameters(), lr=0.1, momentum=0.9)
    opt = tg.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)  # built before materializing
    tm(torch.tensor(x))
    m(tg.tensor(x))
    m.load_state_dict({k: v.numpy() for k, v in tm.state_dict().items()})
    for _ in range(3):
        tl = ((tm(torch.tensor(x)) - torch.tensor(y)) ** 2).mean()
        loss = ((m(tg.tensor(x)) - tg.tensor(y)) ** 2).mean()
        topt.zero_grad()
        opt.zero_grad()
        tl.backward()
        loss.backward()
        topt.step()
        opt.step()
        np.testing.assert_allclose(loss.item(), tl.item(), rtol=1e-10)
    for key, value in tm.state_dict().items():
        np.testing.assert_allclose(m.state_dict()[key].numpy(), value.numpy(), rtol=1e-9)


def test_optimizer_holds_the_same_object_before_and_after_materializing() -> None:
    m = nn.LazyLinear(2)
    opt = tg.optim.SGD(m.parameters(), lr=0.5)
    opt.step()  # no gradients yet: nothing happens, as torch
    weight = m.weight
    m(tg.ones(1, 3))
    assert m.weight is weight and opt.param_groups[0]["params"][0] is weight
    before = weight.detach().numpy().copy()
    m(tg.ones(1, 3)).sum().backward()
    opt.step()
    np.testing.assert_allclose(weight.detach().numpy(), before - 0.5 * np.ones((2, 3)))


def test_optimizers_given_uninitialized_parameters_behave_as_torch() -> None:
    """torch's optimizers accept them, except those that build state at construction
    (Adagrad's sum), which hit the uninitialized values and raise ValueError."""
    for opt in (tg.optim.SGD, tg.optim.Adam, tg.optim.LBFGS, tg.optim.Rprop):
        o = opt(nn.LazyLinear(2).parameters())
        assert o.state_dict()["state"] == {}
    with pytest.raises(ValueError, match="uninitialized parameter"):
        tg.optim.Adagrad(nn.LazyLinear(2).parameters())
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match="uninitialized parameter"):
        torch.optim.Adagrad(torch.nn.LazyLinear(2).parameters())


def test_load_state_dict_into_a_lazy_module_materializes_it() -> None:
    src = nn.Sequential(nn.Conv1d(3, 4, 2), nn.BatchNorm1d(4), nn.Flatten(), nn.Linear(12, 2))
    dst = nn.Sequential(nn.LazyConv1d(4, 2), nn.LazyBatchNorm1d(), nn.Flatten(), nn.LazyLinear(2))
    dst.load_state_dict(src.state_dict())
    # Still lazy until called (as torch), but with the checkpoint's values and shapes.
    assert type(dst[0]) is nn.LazyConv1d and dst[0].weight.shape == (4, 3, 2)
    x = tg.randn(2, 3, 4)
    src.eval()
    dst.eval()
    np.testing.assert_allclose(dst(x).detach().numpy(), src(x).detach().numpy(), rtol=1e-6)
    # The sizes are read from the loaded tensors (torch leaves in_channels/num_features at 0).
    assert type(dst[0]) is nn.Conv1d and dst[0].in_channels == 3
    assert dst[1].num_features == 4 and dst[3].in_features == 12
    # Lazy into lazy: nothing to load; lazy into eager: refused.
    nn.LazyLinear(2).load_state_dict(nn.LazyLinear(2).state_dict())
    with pytest.raises(RuntimeError, match="uninitialized"):
        nn.Linear(3, 2).load_state_dict(nn.LazyLinear(2).state_dict())


def test_uninitialized_tensors_refuse_use_and_materialize_in_place() -> None:
    p = nn.UninitializedParameter()
    assert repr(p) == "<UninitializedParameter>" and p.requires_grad and p.dtype == np.float32
    with pytest.raises(ValueError, match="uninitialized parameter"):
        p + 1
    with pytest.raises(RuntimeError, match="Can't access the shape"):
        _ = p.shape
    with pytest.raises(TypeError, match="shape"):
        p.materialize(2.5)  # type: ignore[arg-type]
    p.materialize(3)
    assert type(p) is nn.Parameter and p.shape == (3,)
    b = nn.UninitializedBuffer(dtype=np.float64)
    assert repr(b) == "<UninitializedBuffer>" and not b.requires_grad
    b.materialize((2, 2))
    assert type(b) is tg.Tensor and b.dtype == np.float64
    m = nn.LazyLinear(3)
    twin = copy.deepcopy(m)
    assert type(twin) is nn.LazyLinear and twin.weight is not m.weight
    twin(tg.randn(2, 5))
    assert type(twin) is nn.Linear and twin.in_features == 5 and type(m) is nn.LazyLinear
    m.double()  # before materializing: the dtype it will have
    m(tg.randn(2, 4, dtype=tg.float64))
    assert m.weight.dtype == np.float64
    with pytest.raises(ValueError, match="uninitialized parameters"), pytest.warns(FutureWarning):
        nn.utils.weight_norm(nn.LazyLinear(3))


def test_lazy_modules_reject_bad_input_and_stay_lazy() -> None:
    conv = nn.LazyConv2d(4, 3)
    with pytest.raises(RuntimeError, match=r"Expected 3D \(unbatched\) or 4D \(batched\) input"):
        conv(tg.randn(4, 5))
    assert type(conv) is nn.LazyConv2d and conv.has_uninitialized_params()
    bn = nn.LazyBatchNorm2d()
    with pytest.raises(ValueError, match="expected 4D input"):
        bn(tg.randn(4, 5))
    assert type(bn) is nn.LazyBatchNorm2d
    grouped = nn.LazyConv1d(4, 1, groups=2)
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        grouped(tg.randn(1, 3, 5))
    with pytest.raises(ValueError, match="out_channels must be divisible by groups"):
        nn.LazyConv1d(3, 1, groups=2)
    with pytest.raises(ValueError, match="0-d input"):
        nn.LazyLinear(2)(tg.tensor(1.0))
    with pytest.raises(TypeError, match="expected a Tensor"):
        nn.LazyLinear(2)([1.0, 2.0])
    with pytest.raises(ValueError, match="non-negative"):
        nn.LazyLinear(-1)
    # An unbatched input to a lazy instance norm: its channels are dim 0.
    inorm = nn.LazyInstanceNorm1d()
    inorm(tg.randn(3, 5))
    assert inorm.num_features == 3


def test_buffer_assignment_registers_a_buffer() -> None:
    m = nn.Module()
    m.mask = nn.Buffer(tg.ones(2), persistent=False)
    m.stat = nn.Buffer(tg.zeros(3))
    assert list(m.state_dict()) == ["stat"]
    assert [name for name, _ in m.named_buffers()] == ["mask", "stat"]
    assert list(m.parameters()) == []
    t = tg.ones(2)
    b = nn.Buffer(t)
    b.data[0] = 5.0  # shares the array, as torch's
    assert t.data[0] == 5.0
    assert nn.Buffer().shape == (0,)
    with pytest.raises(TypeError, match="persistent"):
        nn.Buffer(t, persistent=1)  # type: ignore[arg-type]
    torch = pytest.importorskip("torch")
    tm = torch.nn.Module()
    tm.mask = torch.nn.Buffer(torch.ones(2), persistent=False)
    tm.stat = torch.nn.Buffer(torch.zeros(3))
    assert list(tm.state_dict()) == list(m.state_dict())

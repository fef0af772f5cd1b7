"""``nn.modules``: torch.nn.modules' package layout, its private base classes and its utils.

Code written for torch imports layers and checks them by their full path
(``isinstance(m, nn.modules.conv._ConvNd)``, ``from torch.nn.modules.loss import _Loss``), most
often in weight-initialization loops. Checked: every name of torch's submodules that exists here
is at the same path and is the class ``nn`` has (no copies); every pair of classes both libraries
have answers ``issubclass`` the same (torch is computed, not transcribed; without torch, a table
of the idioms code relies on); the size helpers of ``nn.modules.utils`` against their definition
and torch's; and an init loop over a small CNN + BatchNorm + LSTM model, whose outputs then match
torch's.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import OrderedDict
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.nn.modules.conv as conv_by_path
from tinygrad_ed import nn
from tinygrad_ed.nn.modules.batchnorm import _BatchNorm, _NormBase
from tinygrad_ed.nn.modules.loss import _Loss, _WeightedLoss
from tinygrad_ed.nn.modules.module import Module
from tinygrad_ed.nn.modules.utils import (
    _list_with_default,
    _ntuple,
    _pair,
    _quadruple,
    _reverse_repeat_tuple,
    _single,
    _triple,
    consume_prefix_in_state_dict_if_present,
)

SUBMODULES = [
    "activation",
    "adaptive",
    "batchnorm",
    "channelshuffle",
    "container",
    "conv",
    "distance",
    "dropout",
    "flatten",
    "fold",
    "instancenorm",
    "lazy",
    "linear",
    "linear_cross_entropy_options",
    "loss",
    "module",
    "normalization",
    "padding",
    "pixelshuffle",
    "pooling",
    "rnn",
    "sparse",
    "transformer",
    "upsampling",
    "utils",
]

# torch 2.13's names that have no counterpart here (not layers this library implements).
MISSING = {
    ("batchnorm", "SyncBatchNorm"),
    ("container", "Container"),
}
UTILS_HELPERS = [
    "_single",
    "_pair",
    "_triple",
    "_quadruple",
    "_ntuple",
    "_reverse_repeat_tuple",
    "_list_with_default",
    "consume_prefix_in_state_dict_if_present",
]


def _ours(sub: str, name: str) -> Any:
    try:
        module = importlib.import_module(f"tinygrad_ed.nn.modules.{sub}")
    except ModuleNotFoundError:
        return None
    return getattr(module, name, None)


# ----------------------------------------------------------------------------- without torch


def test_the_package_and_its_submodules_import_by_path() -> None:
    assert nn.modules.conv is conv_by_path and "modules" in nn.__all__
    for sub in SUBMODULES:
        module = importlib.import_module(f"tinygrad_ed.nn.modules.{sub}")
        assert getattr(nn.modules, sub) is module
        assert f"torch.nn.modules.{sub}" in (module.__doc__ or ""), sub
        for name in module.__all__:
            ours = getattr(module, name)
            # re-exports, not copies: the class nn has (LazyModuleMixin is only here, as in torch)
            assert getattr(nn, name, ours) is ours, (sub, name)
            assert getattr(nn.modules, name, ours) is ours, (sub, name)


# (class, base, whether it is one): the idioms of init loops and type checks, torch's answers
IDIOMS: list[tuple[Any, Any, bool]] = [
    (nn.Conv2d, nn.modules.conv._ConvNd, True),
    (nn.ConvTranspose1d, nn.modules.conv._ConvTransposeNd, True),
    (nn.ConvTranspose3d, nn.modules.conv._ConvNd, True),
    (nn.LazyConv2d, nn.Conv2d, True),
    (nn.LazyConv2d, nn.modules.lazy.LazyModuleMixin, True),
    (nn.Conv2d, nn.modules.conv._ConvTransposeNd, False),
    (nn.BatchNorm1d, _BatchNorm, True),
    (nn.BatchNorm3d, _NormBase, True),
    (nn.InstanceNorm2d, nn.modules.instancenorm._InstanceNorm, True),
    (nn.InstanceNorm2d, _NormBase, True),
    (nn.InstanceNorm2d, _BatchNorm, False),
    (nn.LazyBatchNorm2d, _BatchNorm, True),
    (nn.LazyBatchNorm2d, nn.BatchNorm2d, False),  # becomes one at its first call
    (nn.LazyBatchNorm2d, nn.modules.batchnorm._LazyNormBase, True),
    (nn.LazyInstanceNorm1d, nn.modules.instancenorm._InstanceNorm, True),
    (nn.LazyInstanceNorm1d, nn.InstanceNorm1d, False),
    (nn.LayerNorm, _NormBase, False),
    (nn.GroupNorm, _BatchNorm, False),
    (nn.MaxPool2d, nn.modules.pooling._MaxPoolNd, True),
    (nn.AvgPool1d, nn.modules.pooling._AvgPoolNd, True),
    (nn.AdaptiveAvgPool2d, nn.modules.pooling._AdaptiveAvgPoolNd, True),
    (nn.AdaptiveMaxPool1d, nn.modules.pooling._AdaptiveMaxPoolNd, True),
    (nn.LPPool2d, nn.modules.pooling._LPPoolNd, True),
    (nn.MaxUnpool3d, nn.modules.pooling._MaxUnpoolNd, True),
    (nn.Dropout, nn.modules.dropout._DropoutNd, True),
    (nn.AlphaDropout, nn.modules.dropout._DropoutNd, True),
    (nn.MSELoss, _Loss, True),
    (nn.CrossEntropyLoss, _WeightedLoss, True),
    (nn.NLLLoss2d, _WeightedLoss, True),
    (nn.MultiMarginLoss, _WeightedLoss, True),
    (nn.BCEWithLogitsLoss, _WeightedLoss, False),
    (nn.ZeroPad2d, nn.ConstantPad2d, True),
    (nn.ZeroPad2d, nn.modules.padding._ConstantPadNd, True),
    (nn.ReflectionPad1d, nn.modules.padding._ReflectionPadNd, True),
    (nn.ReplicationPad3d, nn.modules.padding._ReplicationPadNd, True),
    (nn.CircularPad2d, nn.modules.padding._CircularPadNd, True),
    (nn.ReLU6, nn.Hardtanh, True),
    (nn.LSTM, nn.modules.rnn.RNNBase, True),
    (nn.GRUCell, nn.modules.rnn.RNNCellBase, True),
    (nn.LSTMCell, nn.modules.rnn.RNNBase, False),
    (nn.LazyLinear, nn.modules.linear.Linear, True),
    (nn.UpsamplingNearest2d, nn.modules.upsampling.Upsample, True),
    (nn.Sequential, Module, True),
]


@pytest.mark.parametrize("cls, base, expected", IDIOMS, ids=lambda v: getattr(v, "__name__", ""))
def test_the_isinstance_idioms_hold(cls: Any, base: Any, expected: bool) -> None:
    assert issubclass(cls, base) is expected


def test_a_lazy_norm_becomes_its_eager_class_at_the_first_call() -> None:
    m = nn.LazyBatchNorm2d()
    assert isinstance(m, _BatchNorm) and not isinstance(m, nn.BatchNorm2d)
    with pytest.raises(ValueError, match="expected 4D input"):  # its own dims check
        m(tg.zeros(2, 3))
    m(tg.randn(2, 3, 4, 4))
    assert type(m) is nn.BatchNorm2d and m.num_features == 3
    lazy = nn.LazyInstanceNorm1d()
    lazy(tg.randn(3, 5))  # unbatched: the channels are dim 0
    assert type(lazy) is nn.InstanceNorm1d and lazy.num_features == 3


def test_the_rearranged_layers_behave_as_before() -> None:
    x = tg.arange(6.0).reshape(1, 2, 3)
    zero = nn.ZeroPad1d((1, 2))
    assert zero.value == 0.0 and repr(zero) == "ZeroPad1d((1, 2))"
    np.testing.assert_array_equal(zero(x).numpy(), np.pad(x.numpy(), ((0, 0), (0, 0), (1, 2))))
    np.testing.assert_array_equal(
        nn.ReflectionPad1d(2)(x).numpy(), np.pad(x.numpy(), ((0, 0), (0, 0), (2, 2)), "reflect")
    )
    np.testing.assert_array_equal(
        nn.ReplicationPad1d(1)(x).numpy(), np.pad(x.numpy(), ((0, 0), (0, 0), (1, 1)), "edge")
    )
    pool = nn.AvgPool1d(2, padding=1)
    assert (pool.kernel_size, pool.stride, pool.padding) == ((2,), (2,), (1,))
    np.testing.assert_allclose(pool(x).numpy(), [[[0.0, 1.5], [1.5, 4.5]]])  # zeros counted
    weight = tg.tensor([1.0, 2.0, 3.0])
    for loss in (
        nn.CrossEntropyLoss(weight),
        nn.NLLLoss(weight),
        nn.MultiMarginLoss(weight=weight),
    ):
        assert loss.weight is weight and dict(loss.named_buffers()) == {"weight": weight}
    assert nn.CrossEntropyLoss().weight is None


# ----------------------------------------------------------------------------- against torch


def _torch_inventory(torch: Any) -> dict[tuple[str, str], Any]:
    """(submodule, name) -> object for each public name of each torch.nn.modules submodule, the
    classes defined in a submodule that public classes derive from (``_ConvNd``, ``_NormBase``,
    ``RNNBase``, ...) and the helpers of ``nn.modules.utils``."""
    inventory: dict[tuple[str, str], Any] = {}
    modules = torch.nn.modules
    for info in pkgutil.iter_modules(modules.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"torch.nn.modules.{info.name}")
        for name in getattr(module, "__all__", []):
            value = getattr(module, name)
            inventory[info.name, name] = value
            for base in value.__mro__ if inspect.isclass(value) else ():
                home = base.__module__
                if home.startswith("torch.nn.modules.") and base is not object:
                    inventory[home.rsplit(".", 1)[1], base.__name__] = base
    for name in UTILS_HELPERS:
        inventory["utils", name] = getattr(modules.utils, name)
    return inventory


def test_every_name_torch_has_is_at_the_same_path() -> None:
    torch = pytest.importorskip("torch")
    inventory = _torch_inventory(torch)
    assert {("conv", "_ConvNd"), ("batchnorm", "_NormBase"), ("lazy", "LazyModuleMixin")} <= set(
        inventory
    )
    absent = {key for key in inventory if _ours(*key) is None}
    assert absent == MISSING, (sorted(absent - MISSING), sorted(MISSING - absent))
    for (sub, name), theirs in inventory.items():
        ours = _ours(sub, name)
        if ours is None:
            continue
        assert inspect.isclass(ours) == inspect.isclass(theirs), (sub, name)
        if inspect.isclass(ours):
            assert ours.__name__ == name, (sub, name)
        if not name.startswith("_") and sub != "utils":
            # torch's public names are exported the same way: in __all__ and in nn.modules
            module = importlib.import_module(f"tinygrad_ed.nn.modules.{sub}")
            assert name in module.__all__, (sub, name)
            if name in torch.nn.modules.__all__:
                assert getattr(nn.modules, name) is ours, (sub, name)
    ours_all = set(nn.modules.__all__)
    assert ours_all == set(torch.nn.modules.__all__) - {name for _, name in MISSING}


def test_issubclass_answers_as_torchs_for_every_pair() -> None:
    torch = pytest.importorskip("torch")
    pairs = [
        (ours, theirs)
        for key, theirs in _torch_inventory(torch).items()
        if inspect.isclass(theirs) and (ours := _ours(*key)) is not None
    ]
    assert len(pairs) > 170
    differ = [
        f"{a.__name__} < {b.__name__}: torch {issubclass(ta, tb)}"
        for a, ta in pairs
        for b, tb in pairs
        if issubclass(a, b) != issubclass(ta, tb)
    ]
    assert not differ, differ


# ----------------------------------------------------------------------------- utils

SIZES: list[Any] = [3, 0, (1, 2), [4, 5, 6], (7,), (), "ab", range(3), 2.5, None]


@pytest.mark.parametrize("value", SIZES, ids=repr)
def test_ntuple_helpers(value: Any) -> None:
    for n, parse in ((1, _single), (2, _pair), (3, _triple), (4, _quadruple), (5, _ntuple(5))):
        iterable = isinstance(value, (tuple, list, str, range))
        expected = tuple(value) if iterable else (value,) * n
        assert parse(value) == expected
    assert (_single.__name__, _pair.__name__, _triple.__name__) == ("_single", "_pair", "_triple")
    torch = pytest.importorskip("torch")
    U = torch.nn.modules.utils
    for ours, theirs in ((_single, U._single), (_pair, U._pair), (_quadruple, U._quadruple)):
        assert ours(value) == theirs(value)


def test_reverse_repeat_tuple_and_list_with_default() -> None:
    assert _pair(3) == (3, 3) and _triple((1, 2, 3)) == (1, 2, 3)
    assert _reverse_repeat_tuple((1, 2), 2) == (2, 2, 1, 1)
    assert _reverse_repeat_tuple((1, 2, 3), 1) == (3, 2, 1)
    assert _reverse_repeat_tuple((), 3) == ()
    assert _list_with_default(5, [2, 3, 8]) == 5
    assert _list_with_default([None, 4], [2, 3, 7, 8]) == [7, 4]
    with pytest.raises(ValueError, match="at least 3"):
        _list_with_default([None, 4], [7, 8])
    torch = pytest.importorskip("torch")
    U = torch.nn.modules.utils
    assert U._reverse_repeat_tuple((1, 2), 2) == (2, 2, 1, 1)
    assert U._list_with_default([None, 4], [2, 3, 7, 8]) == [7, 4]


def _wrapped(lib: Any) -> Any:
    """A model inside a container whose child is called ``module`` (DataParallel's layout)."""
    inner = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.BatchNorm1d(3))
    return inner, lib.nn.ModuleDict({"module": inner})


def test_consume_prefix_loads_a_wrapped_checkpoint_into_the_bare_model() -> None:
    inner, wrapped = _wrapped(tg)
    state = wrapped.state_dict()
    assert all(k.startswith("module.") for k in state)
    consume_prefix_in_state_dict_if_present(state, "module.")
    assert list(state) == list(inner.state_dict())
    assert list(state._metadata) == ["", "0", "1"]  # type: ignore[attr-defined]
    fresh = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    fresh.load_state_dict(state)
    ours, original = fresh[0].weight.detach().numpy(), inner[0].weight.detach().numpy()
    np.testing.assert_array_equal(ours, original)
    plain = {"a.w": 1, "b": 2}
    consume_prefix_in_state_dict_if_present(plain, "a.")
    assert plain == {"b": 2, "w": 1}  # keys without the prefix are kept, as they are
    torch = pytest.importorskip("torch")
    theirs = _wrapped(torch)[1].state_dict()
    torch.nn.modules.utils.consume_prefix_in_state_dict_if_present(theirs, "module.")
    assert list(theirs) == list(state)
    assert dict(theirs._metadata) == dict(state._metadata)  # type: ignore[attr-defined]
    mixed: OrderedDict[str, int] = OrderedDict([("module.x", 1), ("y", 2)])
    expected: OrderedDict[str, int] = OrderedDict(mixed)
    torch.nn.modules.utils.consume_prefix_in_state_dict_if_present(expected, "module.")
    consume_prefix_in_state_dict_if_present(mixed, "module.")
    assert list(mixed.items()) == list(expected.items())


# ----------------------------------------------------------------------------- an init loop


def _model(lib: Any) -> Any:
    n = lib.nn
    return n.ModuleDict(
        {
            "features": n.Sequential(
                n.Conv2d(3, 4, 3, padding=1),
                n.BatchNorm2d(4),
                n.ReLU(),
                n.ConvTranspose2d(4, 2, 2, stride=2),
                n.InstanceNorm2d(2, affine=True),
                n.AvgPool2d(2),
            ),
            "rnn": n.LSTM(16, 5, batch_first=True),
            "head": n.Sequential(n.Dropout(0.0), n.Linear(5, 3)),
        }
    )


def _init_weights(lib: Any, model: Any) -> list[tuple[str, str]]:
    """The tutorials' loop: the branch each module takes, by torch's full class paths."""
    n, init, seen = lib.nn, lib.nn.init, []
    for m in model.modules():
        if isinstance(m, n.modules.conv._ConvNd):
            init.constant_(
                m.weight, 0.05 if isinstance(m, n.modules.conv._ConvTransposeNd) else 0.1
            )
            init.zeros_(m.bias)
            seen.append((type(m).__name__, "conv"))
        elif isinstance(m, n.modules.batchnorm._BatchNorm):
            init.constant_(m.weight, 2.0)
            init.constant_(m.bias, 0.5)
            m.reset_running_stats()
            seen.append((type(m).__name__, "batchnorm"))
        elif isinstance(m, n.modules.batchnorm._NormBase):
            init.constant_(m.weight, 1.5)
            init.constant_(m.bias, -0.25)
            seen.append((type(m).__name__, "norm"))
        elif isinstance(m, n.modules.rnn.RNNBase):
            for name, p in m.named_parameters():
                if "weight" in name:
                    init.constant_(p, 0.02)
                else:
                    init.zeros_(p)
            seen.append((type(m).__name__, "rnn"))
        elif isinstance(m, n.modules.linear.Linear):
            init.constant_(m.weight, -0.3)
            init.constant_(m.bias, 0.1)
            seen.append((type(m).__name__, "linear"))
        elif isinstance(m, n.modules.dropout._DropoutNd | n.modules.pooling._AvgPoolNd):
            seen.append((type(m).__name__, "no parameters"))
    return seen


def _run(lib: Any, model: Any, x: Any) -> Any:
    h = model["features"](x).flatten(2)  # (N, 2, 16): 2 steps of 16 features
    out, _ = model["rnn"](h)
    return model["head"](out[:, -1])


def test_a_weight_init_loop_by_full_class_paths_works_as_in_torch() -> None:
    model = _model(tg).double()
    seen = _init_weights(tg, model)
    assert seen == [
        ("Conv2d", "conv"),
        ("BatchNorm2d", "batchnorm"),
        ("ConvTranspose2d", "conv"),
        ("InstanceNorm2d", "norm"),
        ("AvgPool2d", "no parameters"),
        ("LSTM", "rnn"),
        ("Dropout", "no parameters"),
        ("Linear", "linear"),
    ]
    features, rnn = model["features"], model["rnn"]
    assert np.all(features[0].weight.detach().numpy() == 0.1)
    assert np.all(features[3].weight.detach().numpy() == 0.05)
    assert np.all(features[1].weight.detach().numpy() == 2.0)
    assert np.all(features[4].bias.detach().numpy() == -0.25)
    assert all(np.all(p.detach().numpy() == 0.02) for k, p in rnn.named_parameters() if "w" in k)
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 4))
    out = _run(tg, model, tg.tensor(x))
    assert out.shape == (2, 3)
    torch = pytest.importorskip("torch")
    theirs = _model(torch).double()
    assert _init_weights(torch, theirs) == seen
    expected = _run(torch, theirs, torch.tensor(x))
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), rtol=1e-10)
    for ours_bn, their_bn in ((features[1], theirs["features"][1]),):
        for name in ("running_mean", "running_var", "num_batches_tracked"):
            np.testing.assert_allclose(
                getattr(ours_bn, name).numpy(), getattr(their_bn, name).numpy(), rtol=1e-10
            )

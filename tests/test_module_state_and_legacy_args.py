"""nn.Module and loss API gaps closed against torch: ``load_state_dict(assign=True)``, the
``get_extra_state``/``set_extra_state`` protocol, BatchNorm's version-2 state dicts without
``num_batches_tracked``, the losses' legacy ``size_average``/``reduce`` arguments and the
softmax family's implicit ``dim``. Each is checked against torch when it is importable.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn

try:
    import torch
except ImportError:
    torch = None


def _warnings(fn: Any) -> tuple[Any, list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = fn()
    return out, list(w)


# ---------------------------------------------------------------- softmax's implicit dim


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
@pytest.mark.parametrize("shape", [(), (4,), (2, 3), (2, 3, 4), (2, 3, 2, 2)])
def test_implicit_softmax_dim_is_torchs(name: str, shape: tuple[int, ...]) -> None:
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).standard_normal(shape)
    ours, w = _warnings(lambda: getattr(F, name)(tg.tensor(x)))
    theirs, tw = _warnings(lambda: getattr(torch.nn.functional, name)(torch.tensor(x)))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, atol=1e-15)
    assert [(m.category, str(m.message)) for m in w] == [(m.category, str(m.message)) for m in tw]
    assert w[0].category is UserWarning and w[0].filename == __file__
    # dim=None spelled out is the same call
    again, w2 = _warnings(lambda: getattr(F, name)(tg.tensor(x), dim=None))
    assert np.array_equal(again.numpy(), ours.numpy()) and len(w2) == 1


@pytest.mark.parametrize("cls", ["Softmax", "LogSoftmax", "Softmin"])
def test_softmax_modules_without_dim_warn_as_torch(cls: str) -> None:
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(1).standard_normal((2, 5))
    m = getattr(nn, cls)()
    ours, w = _warnings(lambda: m(tg.tensor(x)))
    theirs, tw = _warnings(lambda: getattr(torch.nn, cls)(dim=None)(torch.tensor(x)))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
    assert [str(m.message) for m in w] == [str(m.message) for m in tw]
    assert w[0].category is UserWarning and w[0].filename == __file__
    assert repr(m) == f"{cls}(dim=None)"
    # an explicit dim does not warn
    _, quiet = _warnings(lambda: getattr(nn, cls)(dim=0)(tg.tensor(x)))
    assert quiet == []


def test_softmax_positional_stacklevel_and_dtype_as_torch() -> None:
    torch = pytest.importorskip("torch")
    x = np.arange(6.0).reshape(2, 3)
    ours = F.softmax(tg.tensor(x, dtype=tg.float32), 1, 3, tg.float64)
    theirs = torch.nn.functional.softmax(torch.tensor(x, dtype=torch.float32), 1, 3, torch.float64)
    assert ours.dtype == tg.float64
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


def test_implicit_dim_bad_input() -> None:
    with pytest.raises(TypeError, match="softmax"):
        F.softmax([1.0, 2.0])  # type: ignore[arg-type]
    with pytest.raises(IndexError):
        F.softmax(tg.ones(2, 3), 2)


# ---------------------------------------------------------------- load_state_dict(assign=True)


def _linear_pair(seed: int = 0) -> tuple[Any, Any]:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    w, b = rng.standard_normal((3, 2)), rng.standard_normal(3)
    return (
        {"weight": tg.tensor(w), "bias": tg.tensor(b)},
        {
            "weight": torch.tensor(w),
            "bias": torch.tensor(b),
        },
    )


def test_assign_puts_the_loaded_tensors_in_the_module_as_torch() -> None:
    torch = pytest.importorskip("torch")
    ours_sd, theirs_sd = _linear_pair()
    ours, theirs = nn.Linear(2, 3), torch.nn.Linear(2, 3)
    ours.bias.requires_grad_(False)
    theirs.bias.requires_grad_(False)
    # a Parameter value is kept (its requires_grad becomes the module's), a Tensor is wrapped
    ours_sd["weight"] = nn.Parameter(ours_sd["weight"], requires_grad=False)
    theirs_sd["weight"] = torch.nn.Parameter(theirs_sd["weight"], requires_grad=False)
    old = ours.weight
    r = ours.load_state_dict(ours_sd, assign=True)
    t = theirs.load_state_dict(theirs_sd, assign=True)
    assert r.missing_keys == t.missing_keys == [] and r.unexpected_keys == t.unexpected_keys == []
    for name in ("weight", "bias"):
        o, th = getattr(ours, name), getattr(theirs, name)
        assert type(o) is nn.Parameter and type(th) is torch.nn.Parameter
        assert o.requires_grad == th.requires_grad
        assert o.dtype == tg.float64 and th.dtype == torch.float64  # no cast to the old dtype
        np.testing.assert_array_equal(o.detach().numpy(), th.detach().numpy())
    assert ours.weight is ours_sd["weight"] and theirs.weight is theirs_sd["weight"]
    assert ours.weight.requires_grad and theirs.weight.requires_grad
    assert np.shares_memory(ours.bias.data, ours_sd["bias"].data)
    assert ours.weight is not old and old.dtype == tg.float32  # the old one is left alone


def test_assign_buffers_and_metadata_as_torch() -> None:
    torch = pytest.importorskip("torch")
    seen: dict[str, list[Any]] = {"ours": [], "theirs": []}
    ours, theirs = nn.BatchNorm1d(3), torch.nn.BatchNorm1d(3)
    ours._register_load_state_dict_pre_hook(lambda *a: seen["ours"].append(dict(a[2])))
    theirs._register_load_state_dict_pre_hook(lambda *a: seen["theirs"].append(dict(a[2])))
    sd, tsd = ours.state_dict(), theirs.state_dict()
    sd["running_mean"], tsd["running_mean"] = tg.arange(3.0), torch.arange(3.0)
    ours.load_state_dict(sd, assign=True)
    theirs.load_state_dict(tsd, assign=True)
    assert ours.running_mean is sd["running_mean"] and theirs.running_mean is tsd["running_mean"]
    assert (
        type(ours.running_mean) is tg.Tensor
        and ours.num_batches_tracked is sd["num_batches_tracked"]
    )
    assert seen["ours"] == seen["theirs"] == [{"version": 2, "assign_to_params_buffers": True}]


def test_assign_refusals_as_torch() -> None:
    torch = pytest.importorskip("torch")
    ours, theirs = nn.Linear(2, 3), torch.nn.Linear(2, 3)
    weight, bias = ours.weight, ours.bias
    with pytest.raises(RuntimeError, match=r"size mismatch for weight"):
        ours.load_state_dict({"weight": tg.ones(2, 2), "bias": tg.ones(3)}, assign=True)
    with pytest.raises(RuntimeError, match=r"size mismatch for weight"):
        theirs.load_state_dict({"weight": torch.ones(2, 2), "bias": torch.ones(3)}, assign=True)
    assert ours.weight is weight and ours.bias is bias  # a refused load changes nothing
    # an integer value cannot become a trained weight (torch's "While copying ..." error)
    bad = {"weight": tg.ones(3, 2, dtype=tg.int64), "bias": tg.ones(3)}
    with pytest.raises(RuntimeError, match=r'While copying the parameter named "weight"'):
        ours.load_state_dict(bad, assign=True)
    with pytest.raises(RuntimeError, match=r'While copying the parameter named "weight"'):
        theirs.load_state_dict(
            {"weight": torch.ones(3, 2, dtype=torch.long), "bias": torch.ones(3)}, assign=True
        )
    assert ours.weight is weight and ours.bias is bias
    # strict=False reports what is missing, as torch
    r = nn.Linear(2, 3).load_state_dict({"weight": tg.ones(3, 2)}, strict=False, assign=True)
    t = torch.nn.Linear(2, 3).load_state_dict(
        {"weight": torch.ones(3, 2)}, strict=False, assign=True
    )
    assert r.missing_keys == t.missing_keys == ["bias"]


def test_assign_scalar_from_one_element_and_lazy() -> None:
    class S(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.p = nn.Parameter(tg.tensor(1.0))

    s = S()
    s.load_state_dict({"p": tg.tensor([3.0])}, assign=True)
    assert type(s.p) is nn.Parameter and s.p.shape == () and s.p.item() == 3.0
    lazy = nn.LazyLinear(3)
    lazy.load_state_dict({"weight": tg.ones(3, 2), "bias": tg.zeros(3)}, assign=True)
    np.testing.assert_array_equal(lazy(tg.ones(1, 2)).detach().numpy(), [[2.0, 2.0, 2.0]])
    assert type(lazy) is nn.Linear


# ---------------------------------------------------------------- get/set_extra_state


def _extra_state_classes(lib: Any) -> tuple[type, type, type]:
    class Both(lib.Module):  # type: ignore[name-defined, misc]
        def __init__(self) -> None:
            super().__init__()
            self.lin = lib.Linear(2, 2)
            self.k = 3

        def get_extra_state(self) -> Any:
            return {"k": self.k}

        def set_extra_state(self, state: Any) -> None:
            self.k = state["k"]

    class OnlyGet(lib.Module):  # type: ignore[name-defined, misc]
        def __init__(self) -> None:
            super().__init__()
            self.lin = lib.Linear(2, 2)

        def get_extra_state(self) -> Any:
            return 7

    class OnlySet(lib.Module):  # type: ignore[name-defined, misc]
        def __init__(self) -> None:
            super().__init__()
            self.lin = lib.Linear(2, 2)
            self.got = None

        def set_extra_state(self, state: Any) -> None:
            self.got = state

    return Both, OnlyGet, OnlySet


def _load_outcome(module: Any, sd: Any, strict: bool = True) -> Any:
    try:
        r = module.load_state_dict(sd, strict=strict)
    except RuntimeError as e:
        # torch ends each key list with ". "; the keys and their order are what we compare
        return str(e).replace(". ", "").rstrip(".")
    return (r.missing_keys, r.unexpected_keys)


def test_extra_state_protocol_as_torch() -> None:
    torch = pytest.importorskip("torch")
    ours, theirs = _extra_state_classes(nn), _extra_state_classes(torch.nn)
    o_seq, t_seq = nn.Sequential(ours[0](), nn.ReLU()), torch.nn.Sequential(theirs[0]())
    o_sd, t_sd = o_seq.state_dict(), t_seq.state_dict()
    assert list(o_sd) == list(t_sd) == ["0._extra_state", "0.lin.weight", "0.lin.bias"]
    assert o_sd["0._extra_state"] == t_sd["0._extra_state"] == {"k": 3}
    o_sd["0._extra_state"] = t_sd["0._extra_state"] = {"k": 9}
    o2, t2 = nn.Sequential(ours[0]()), torch.nn.Sequential(theirs[0]())
    assert _load_outcome(o2, o_sd) == _load_outcome(t2, t_sd) == ([], [])
    assert o2[0].k == t2[0].k == 9
    del o_sd["0._extra_state"], t_sd["0._extra_state"]
    for strict in (True, False):
        assert _load_outcome(o2, o_sd, strict) == _load_outcome(t2, t_sd, strict)
    # saved by a module that only gets, loaded by one that cannot set: unexpected
    for strict in (True, False):
        got = _load_outcome(ours[1](), ours[1]().state_dict(), strict)
        want = _load_outcome(theirs[1](), theirs[1]().state_dict(), strict)
        assert got == want and "_extra_state" in str(got)
    # a module that only sets: nothing saved, so its own state dict misses the key
    assert "_extra_state" not in ours[2]().state_dict()
    got = _load_outcome(ours[2](), ours[2]().state_dict())
    assert got == _load_outcome(theirs[2](), theirs[2]().state_dict())
    only_set = ours[2]()
    sd = {**only_set.state_dict(), "_extra_state": 5}
    assert _load_outcome(only_set, sd) == ([], []) and only_set.got == 5
    # the base methods are never meant to be called
    with pytest.raises(RuntimeError, match=r"get_extra_state"):
        nn.Linear(2, 2).get_extra_state()
    with pytest.raises(RuntimeError, match=r"set_extra_state"):
        nn.Linear(2, 2).set_extra_state(1)
    # the extra state's unexpected key comes before the others, as torch's
    lin_sd = {"zz": 1, "_extra_state": 3, **nn.Linear(2, 2).state_dict()}
    t_lin_sd = {"zz": 1, "_extra_state": 3, **torch.nn.Linear(2, 2).state_dict()}
    assert _load_outcome(nn.Linear(2, 2), lin_sd) == _load_outcome(torch.nn.Linear(2, 2), t_lin_sd)


# ---------------------------------------------------------------- BatchNorm's version 2


def _trained_bn(lib: Any, x: np.ndarray, **kwargs: Any) -> Any:
    bn = lib.nn.BatchNorm1d(3, **kwargs)
    for _ in range(3):
        bn(lib.tensor(x))
    return bn


def test_batchnorm_loads_an_old_state_dict_without_num_batches_tracked() -> None:
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(2).standard_normal((4, 3)).astype(np.float32)
    ours, theirs = _trained_bn(tg, x), _trained_bn(torch, x)
    assert ours._version == theirs._version == 2
    o_sd, t_sd = ours.state_dict(), theirs.state_dict()
    assert o_sd._metadata == t_sd._metadata  # type: ignore[attr-defined]
    o_old = {k: v for k, v in o_sd.items() if k != "num_batches_tracked"}
    t_old = {k: v for k, v in t_sd.items() if k != "num_batches_tracked"}
    # a plain dict has no version: the trained module keeps its count, a fresh one has 0
    assert _load_outcome(ours, o_old) == _load_outcome(theirs, t_old) == ([], [])
    assert ours.num_batches_tracked.item() == theirs.num_batches_tracked.item() == 3
    fresh, t_fresh = nn.BatchNorm1d(3), torch.nn.BatchNorm1d(3)
    assert _load_outcome(fresh, o_old) == _load_outcome(t_fresh, t_old) == ([], [])
    assert fresh.num_batches_tracked.item() == t_fresh.num_batches_tracked.item() == 0
    np.testing.assert_allclose(fresh.running_mean.numpy(), t_fresh.running_mean.numpy(), 1e-6)
    # strict=False: not reported missing either
    assert _load_outcome(nn.BatchNorm1d(3), {}, False) == _load_outcome(
        torch.nn.BatchNorm1d(3), {}, False
    )
    # version 2 metadata without the key: missing, as torch
    o_meta = OrderedDict(o_old)
    o_meta._metadata = o_sd._metadata  # type: ignore[attr-defined]
    t_meta = OrderedDict(t_old)
    t_meta._metadata = t_sd._metadata  # type: ignore[attr-defined]
    got, want = (
        _load_outcome(nn.BatchNorm1d(3), o_meta),
        _load_outcome(torch.nn.BatchNorm1d(3), t_meta),
    )
    assert got == want and '"num_batches_tracked"' in got
    # version 1 metadata in a nested model: filled again
    o_seq, t_seq = (
        nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3)),
        torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.BatchNorm1d(3)),
    )
    o_s, t_s = o_seq.state_dict(), t_seq.state_dict()
    del o_s["1.num_batches_tracked"], t_s["1.num_batches_tracked"]
    assert _load_outcome(o_seq, o_s) == _load_outcome(t_seq, t_s)
    o_s._metadata["1"]["version"] = t_s._metadata["1"]["version"] = 1  # type: ignore[attr-defined]
    assert _load_outcome(o_seq, o_s) == _load_outcome(t_seq, t_s) == ([], [])


def test_batchnorm_version_2_edge_cases_as_torch() -> None:
    torch = pytest.importorskip("torch")
    old = {"running_mean": np.zeros(3), "running_var": np.ones(3)}
    o_old = {k: tg.tensor(v, dtype=tg.float32) for k, v in old.items()}
    t_old = {k: torch.tensor(v, dtype=torch.float32) for k, v in old.items()}
    for kwargs in ({"affine": False}, {"affine": False, "track_running_stats": False}):
        got = _load_outcome(nn.BatchNorm1d(3, **kwargs), o_old)
        assert got == _load_outcome(torch.nn.BatchNorm1d(3, **kwargs), t_old)
    # a module whose count was removed gets a fresh one, which is then unexpected (torch's)
    o_bn, t_bn = nn.BatchNorm1d(3, affine=False), torch.nn.BatchNorm1d(3, affine=False)
    o_bn.num_batches_tracked = None
    t_bn.num_batches_tracked = None
    assert _load_outcome(o_bn, o_old) == _load_outcome(t_bn, t_old)
    o_in = nn.InstanceNorm1d(3, track_running_stats=True)
    t_in = torch.nn.InstanceNorm1d(3, track_running_stats=True)
    assert o_in._version == t_in._version == 2
    assert _load_outcome(o_in, o_old) == _load_outcome(t_in, t_old) == ([], [])
    o_lazy, t_lazy = nn.LazyBatchNorm1d(affine=False), torch.nn.LazyBatchNorm1d(affine=False)
    assert _load_outcome(o_lazy, o_old) == _load_outcome(t_lazy, t_old) == ([], [])
    assert o_lazy.num_batches_tracked.item() == 0
    # with assign=True the count is the module's own tensor, kept
    bn = nn.BatchNorm1d(3, affine=False)
    count = bn.num_batches_tracked
    bn.load_state_dict(o_old, assign=True)
    assert bn.num_batches_tracked is count


# ---------------------------------------------------------------- legacy size_average / reduce


def _loss_inputs(name: str) -> list[np.ndarray]:
    rng = np.random.default_rng(abs(hash(name)) % 2**32)
    n, c = 4, 3
    x, t = rng.standard_normal((n, c)), rng.standard_normal((n, c))
    labels = rng.integers(0, c, n)
    sign = np.where(rng.random(n) < 0.5, -1.0, 1.0)
    probs = rng.random((n, c)) * 0.8 + 0.1
    log_probs = x - np.log(np.exp(x).sum(1, keepdims=True))
    multilabel = np.array([[0, 2, -1], [1, -1, 0], [2, 1, 0], [-1, 0, 0]])
    return {
        "binary_cross_entropy": [probs, rng.random((n, c))],
        "binary_cross_entropy_with_logits": [x, rng.random((n, c))],
        "cosine_embedding_loss": [x, t, sign],
        "cross_entropy": [x, labels],
        "hinge_embedding_loss": [x, np.where(rng.random((n, c)) < 0.5, -1.0, 1.0)],
        "kl_div": [log_probs, probs / probs.sum(1, keepdims=True)],
        "l1_loss": [x, t],
        "margin_ranking_loss": [x[:, 0], t[:, 0], sign],
        "mse_loss": [x, t],
        "multi_margin_loss": [x, labels],
        "multilabel_margin_loss": [x, multilabel],
        "multilabel_soft_margin_loss": [x, (rng.random((n, c)) < 0.5).astype(np.float64)],
        "nll_loss": [log_probs, labels],
        "poisson_nll_loss": [x, rng.integers(0, 4, (n, c)).astype(np.float64)],
        "smooth_l1_loss": [x, 2 * t],
        "soft_margin_loss": [x, np.where(rng.random((n, c)) < 0.5, -1.0, 1.0)],
        "triplet_margin_loss": [x, t, rng.standard_normal((n, c))],
    }[name]


LEGACY_LOSSES = {
    "binary_cross_entropy": "BCELoss",
    "binary_cross_entropy_with_logits": "BCEWithLogitsLoss",
    "cosine_embedding_loss": "CosineEmbeddingLoss",
    "cross_entropy": "CrossEntropyLoss",
    "hinge_embedding_loss": "HingeEmbeddingLoss",
    "kl_div": "KLDivLoss",
    "l1_loss": "L1Loss",
    "margin_ranking_loss": "MarginRankingLoss",
    "mse_loss": "MSELoss",
    "multi_margin_loss": "MultiMarginLoss",
    "multilabel_margin_loss": "MultiLabelMarginLoss",
    "multilabel_soft_margin_loss": "MultiLabelSoftMarginLoss",
    "nll_loss": "NLLLoss",
    "poisson_nll_loss": "PoissonNLLLoss",
    "smooth_l1_loss": "SmoothL1Loss",
    "soft_margin_loss": "SoftMarginLoss",
    "triplet_margin_loss": "TripletMarginLoss",
}
LEGACY = [
    (s, r) for s in (None, True, False) for r in (None, True, False) if (s, r) != (None, None)
]


def _messages(w: list[warnings.WarningMessage]) -> list[tuple[type, str]]:
    # kl_div's 'mean' warning is its own (checked apart); the legacy one is what is compared
    return [(m.category, str(m.message)) for m in w if "size_average" in str(m.message)]


def test_the_legacy_arguments_are_where_torch_has_them() -> None:
    torch = pytest.importorskip("torch")
    import inspect

    for fname, cls in LEGACY_LOSSES.items():
        for ours, theirs in (
            (getattr(F, fname), getattr(torch.nn.functional, fname)),
            (getattr(nn, cls).__init__, getattr(torch.nn, cls).__init__),
        ):
            o, t = inspect.signature(ours).parameters, inspect.signature(theirs).parameters
            assert list(o) == list(t), fname
            assert list(o).index("size_average") == list(t).index("size_average")
    for name in dir(torch.nn):  # and nowhere else
        theirs = getattr(torch.nn, name)
        if isinstance(theirs, type) and name.endswith("Loss") and hasattr(nn, name):
            has = "size_average" in inspect.signature(theirs.__init__).parameters
            assert has == (
                "size_average" in inspect.signature(getattr(nn, name).__init__).parameters
            )


@pytest.mark.parametrize("fname", sorted(LEGACY_LOSSES))
@pytest.mark.parametrize(("size_average", "reduce"), LEGACY)
def test_legacy_reduction_functional_as_torch(fname: str, size_average: Any, reduce: Any) -> None:
    torch = pytest.importorskip("torch")
    arrays = _loss_inputs(fname)
    kwargs = {"size_average": size_average, "reduce": reduce}
    ours, w = _warnings(lambda: getattr(F, fname)(*map(tg.tensor, arrays), **kwargs))
    theirs, tw = _warnings(
        lambda: getattr(torch.nn.functional, fname)(*map(torch.tensor, arrays), **kwargs)
    )
    np.testing.assert_allclose(ours.detach().numpy(), theirs.numpy(), rtol=1e-10, atol=1e-12)
    assert _messages(w) == _messages(tw) and len(_messages(w)) == 1
    assert _messages(w)[0][0] is UserWarning
    legacy = next(m for m in w if "size_average" in str(m.message))
    assert legacy.filename == __file__  # it points at the call
    # the reduction they stand for gives the same values, without the warning
    want = _messages(w)[0][1].split("'")[1]
    plain, quiet = _warnings(lambda: getattr(F, fname)(*map(tg.tensor, arrays), reduction=want))
    np.testing.assert_array_equal(plain.detach().numpy(), ours.detach().numpy())
    assert _messages(quiet) == []


@pytest.mark.parametrize("fname", sorted(LEGACY_LOSSES))
@pytest.mark.parametrize(("size_average", "reduce"), [(False, None), (None, False), (True, True)])
def test_legacy_reduction_modules_as_torch(fname: str, size_average: Any, reduce: Any) -> None:
    torch = pytest.importorskip("torch")
    cls = LEGACY_LOSSES[fname]
    arrays = _loss_inputs(fname)
    kwargs = {"size_average": size_average, "reduce": reduce}
    ours, w = _warnings(lambda: getattr(nn, cls)(**kwargs))
    theirs, tw = _warnings(lambda: getattr(torch.nn, cls)(**kwargs))
    assert ours.reduction == theirs.reduction
    assert _messages(w) == _messages(tw) and len(w) == 1 and w[0].filename == __file__
    out, _ = _warnings(lambda: ours(*map(tg.tensor, arrays)))
    want, _ = _warnings(lambda: theirs(*map(torch.tensor, arrays)))
    np.testing.assert_allclose(out.detach().numpy(), want.numpy(), rtol=1e-10, atol=1e-12)


def test_legacy_reduction_quirks_as_torch() -> None:
    torch = pytest.importorskip("torch")
    x, t = _loss_inputs("kl_div")
    TF = torch.nn.functional
    # the legacy arguments override any reduction, even one that is not valid
    for kwargs in (
        {"size_average": False, "reduction": "none"},
        {"reduce": False, "reduction": "nonsense"},
        {"size_average": True, "reduce": True, "reduction": "sum"},
    ):
        ours, _ = _warnings(lambda kw=kwargs: F.mse_loss(tg.tensor(x), tg.tensor(t), **kw))
        theirs, _ = _warnings(lambda kw=kwargs: TF.mse_loss(torch.tensor(x), torch.tensor(t), **kw))
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
        m, _ = _warnings(lambda kw=kwargs: nn.MSELoss(**kw))
        tm, _ = _warnings(lambda kw=kwargs: torch.nn.MSELoss(**kw))
        assert m.reduction == tm.reduction
    # kl_div: no 'mean' warning under the legacy arguments, yet 'batchmean' still divides
    for kwargs in (
        {"size_average": True},
        {"size_average": False, "reduction": "batchmean"},
        {"reduce": True, "reduction": "batchmean"},
    ):
        ours, w = _warnings(lambda kw=kwargs: F.kl_div(tg.tensor(x), tg.tensor(t), **kw))
        theirs, tw = _warnings(lambda kw=kwargs: TF.kl_div(torch.tensor(x), torch.tensor(t), **kw))
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
        assert [str(m.message) for m in w] == [str(m.message) for m in tw]
    # torch's positional slots: a string where size_average stands is a truthy legacy value
    ours, w = _warnings(lambda: F.l1_loss(tg.tensor(x), tg.tensor(t), "sum"))  # type: ignore[arg-type]
    theirs, tw = _warnings(lambda: TF.l1_loss(torch.tensor(x), torch.tensor(t), "sum"))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
    assert _messages(w) == _messages(tw)
    # a value without a truth value: torch's RuntimeError, before any warning
    with pytest.raises(RuntimeError, match="ambiguous"):
        F.mse_loss(tg.tensor(x), tg.tensor(t), tg.ones(3))  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="ambiguous"):
        TF.mse_loss(torch.tensor(x), torch.tensor(t), torch.ones(3))
    # the non-legacy losses do not take them, as torch's
    for cls in ("HuberLoss", "GaussianNLLLoss", "CTCLoss", "TripletMarginWithDistanceLoss"):
        with pytest.raises(TypeError):
            getattr(nn, cls)(size_average=False)
        with pytest.raises(TypeError):
            getattr(torch.nn, cls)(size_average=False)


def test_instancenorm_unversioned_running_stats_error_as_torch() -> None:
    """torch's InstanceNorm version-1 check: running statistics in an unversioned state dict
    for a module without them are an error even when not strict; versioned: just unexpected."""
    torch = pytest.importorskip("torch")
    o_sd = {"running_mean": tg.zeros(3), "running_var": tg.ones(3)}
    t_sd = {"running_mean": torch.zeros(3), "running_var": torch.ones(3)}
    for strict in (True, False):
        got = _load_outcome(nn.InstanceNorm1d(3), o_sd, strict)
        assert got == _load_outcome(torch.nn.InstanceNorm1d(3), t_sd, strict)
        assert 'Unexpected running stats buffer(s) "running_mean" and "running_var"' in got
    o_meta, t_meta = OrderedDict(o_sd), OrderedDict(t_sd)
    o_meta._metadata = t_meta._metadata = {"": {"version": 1}}  # type: ignore[attr-defined]
    got = _load_outcome(nn.InstanceNorm1d(3), o_meta)
    assert got == _load_outcome(torch.nn.InstanceNorm1d(3), t_meta)
    assert "Unexpected key(s)" in got
    o_seq, t_seq = (
        nn.Sequential(nn.InstanceNorm2d(3)),
        torch.nn.Sequential(torch.nn.InstanceNorm2d(3)),
    )
    got = _load_outcome(o_seq, {"0.running_var": tg.ones(3)})
    assert got == _load_outcome(t_seq, {"0.running_var": torch.ones(3)})

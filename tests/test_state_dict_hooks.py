"""Module state-dict hooks: ``register_state_dict_pre_hook``/``_post_hook``,
``register_load_state_dict_pre_hook``/``_post_hook`` and the private forms torch's own code uses.

Each scenario runs the same code on tinygrad_ed and (where PyTorch is installed) on torch and
compares what the hooks saw, in what order, and what came out; the torch-free tests check the
same facts against the values torch gives.
"""

from __future__ import annotations

from collections import OrderedDict
from types import ModuleType
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import nn


def _net(lib: ModuleType) -> Any:
    """root → (0: Linear, 1: Sequential → (0: Linear, 1: ReLU)), with a buffer on the root."""
    root = lib.nn.Sequential(
        lib.nn.Linear(2, 3), lib.nn.Sequential(lib.nn.Linear(3, 1), lib.nn.ReLU())
    )
    root.register_buffer("count", lib.zeros(()))
    return root


def _names(root: Any) -> dict[int, str]:
    return {id(m): name or "root" for name, m in root.named_modules()}


def _hook_everything(root: Any, log: list[Any]) -> list[Any]:
    names = _names(root)
    handles = []
    for m in root.modules():

        def sd_pre(mod: Any, prefix: str, keep_vars: bool) -> None:
            log.append(("sd_pre", names[id(mod)], prefix, keep_vars))

        def sd_post(mod: Any, sd: Any, prefix: str, meta: Any) -> None:
            log.append(("sd_post", names[id(mod)], prefix, sorted(sd), dict(meta)))

        def load_pre(mod: Any, sd: Any, prefix: str, meta: Any, strict: bool, *lists: Any) -> None:
            log.append(("load_pre", names[id(mod)], prefix, sorted(sd), meta, strict))

        def load_post(mod: Any, keys: Any) -> None:
            log.append(("load_post", names[id(mod)], list(keys.missing_keys)))

        handles += [
            m.register_state_dict_pre_hook(sd_pre),
            m.register_state_dict_post_hook(sd_post),
            m.register_load_state_dict_pre_hook(load_pre),
            m.register_load_state_dict_post_hook(load_post),
        ]
    return handles


def _order_scenario(lib: ModuleType) -> list[Any]:
    root = _net(lib)
    log: list[Any] = []
    handles = _hook_everything(root, log)
    sd = root.state_dict(prefix="net.")
    log.append(("keys", list(sd), sorted(sd._metadata.items())))
    sd = root.state_dict()
    del sd["1.0.bias"]
    log.append(("result", tuple(root.load_state_dict(sd, strict=False))))
    for h in handles[::2]:  # the pre-hooks go, the post-hooks stay
        h.remove()
    log.append(("after remove", list(root.state_dict())))
    root.load_state_dict(root.state_dict())
    return log


def _value_scenario(lib: ModuleType) -> list[Any]:
    """Hooks that change things: a load pre-hook renaming old keys, a load post-hook clearing
    the missing keys (so strict passes), the private state-dict hook's replacement dict."""
    log: list[Any] = []
    root = _net(lib)
    child = root[1][0]

    def rename(sd: Any, prefix: str, *rest: Any) -> None:  # torch's compat-hook shape
        if prefix + "w" in sd:
            sd[prefix + "weight"] = sd.pop(prefix + "w")

    child._register_load_state_dict_pre_hook(rename)
    sd = root.state_dict()
    sd["1.0.w"] = sd.pop("1.0.weight") * 0 + 5
    del sd["count"]
    root.register_load_state_dict_post_hook(lambda m, keys: keys.missing_keys.clear())
    log.append(tuple(root.load_state_dict(sd)))
    log.append(np.asarray(child.weight.detach()).tolist())
    # The private post-hook's return replaces the root's result, a child's is ignored.
    root._register_state_dict_hook(lambda m, sd, p, meta: {"root": 1})
    child._register_state_dict_hook(lambda m, sd, p, meta: {"child": 2})
    log.append(dict(root.state_dict()))
    log.append(sorted(child.state_dict(prefix="x.")))
    return log


@pytest.mark.parametrize("scenario", [_order_scenario, _value_scenario])
def test_hooks_run_like_torch(scenario: Any) -> None:
    torch = pytest.importorskip("torch")
    assert scenario(tg) == scenario(torch)


def test_nested_order_without_torch() -> None:
    """Pre-hooks parent first; post-hooks children first (torch's order, written out)."""
    log = _order_scenario(tg)
    sd_kinds = [(kind, name) for kind, name, *_ in log[:10]]
    assert sd_kinds == [
        ("sd_pre", "root"),
        ("sd_pre", "0"),
        ("sd_post", "0"),
        ("sd_pre", "1"),
        ("sd_pre", "1.0"),
        ("sd_post", "1.0"),
        ("sd_pre", "1.1"),
        ("sd_post", "1.1"),
        ("sd_post", "1"),
        ("sd_post", "root"),
    ]
    assert log[10] == (
        "keys",
        ["net.count", "net.0.weight", "net.0.bias", "net.1.0.weight", "net.1.0.bias"],
        [(k, {"version": 1}) for k in ("net", "net.0", "net.1", "net.1.0", "net.1.1")],
    )
    loads = [entry for entry in log if entry[0].startswith("load")]
    assert [(kind, name) for kind, name, *_ in loads[:10]] == [
        ("load_pre", "root"),
        ("load_pre", "0"),
        ("load_post", "0"),
        ("load_pre", "1"),
        ("load_pre", "1.0"),
        ("load_post", "1.0"),
        ("load_pre", "1.1"),
        ("load_post", "1.1"),
        ("load_post", "1"),
        ("load_post", "root"),
    ]
    assert loads[4] == ("load_pre", "1.0", "1.0.", ["1.0.weight"], {"version": 1}, True)
    assert loads[5] == ("load_post", "1.0", ["1.0.bias"])


def test_return_values_are_refused_like_torch() -> None:
    lin = nn.Linear(2, 2)
    lin.register_state_dict_post_hook(lambda m, sd, p, meta: {})
    with pytest.raises(RuntimeError, match="state_dict post-hook must return None"):
        lin.state_dict()
    lin = nn.Linear(2, 2)
    lin.register_load_state_dict_post_hook(lambda m, keys: keys)
    with pytest.raises(AssertionError, match="not expected to return new values"):
        lin.load_state_dict(lin.state_dict())

    def hook(m: Any, sd: Any, prefix: str, meta: Any) -> None:
        pass

    nn.Linear(2, 2).register_state_dict_post_hook(hook)
    with pytest.raises(RuntimeError, match="Cannot register the same function"):
        nn.Linear(2, 2)._register_state_dict_hook(hook)
    with pytest.raises(TypeError, match="register_load_state_dict_pre_hook"):
        nn.Linear(2, 2).register_load_state_dict_pre_hook(3)  # type: ignore[arg-type]


def test_private_load_pre_hook_with_and_without_module() -> None:
    lin = nn.Linear(2, 2)
    seen: list[Any] = []
    lin._register_load_state_dict_pre_hook(lambda *a: seen.append(len(a)))
    lin._register_load_state_dict_pre_hook(lambda *a: seen.append(a[0]), with_module=True)
    lin.load_state_dict(lin.state_dict())
    assert seen == [7, lin]


def test_a_refused_value_loads_nothing_but_the_post_hooks_still_run() -> None:
    lin = nn.Linear(2, 2)
    before = lin.bias.data.copy()
    seen: list[Any] = []
    lin.register_load_state_dict_post_hook(lambda m, keys: seen.append(tuple(keys)))
    bad = OrderedDict(weight=tg.zeros(3, 2), bias=tg.ones(2))
    with pytest.raises(RuntimeError, match="size mismatch for weight"):
        lin.load_state_dict(bad)
    np.testing.assert_array_equal(lin.bias.data, before)
    assert seen == [([], [])]


def test_a_pre_hook_error_message_is_reported() -> None:
    lin = nn.Linear(2, 2)
    lin._register_load_state_dict_pre_hook(lambda sd, p, meta, s, mk, uk, errs: errs.append("no"))
    with pytest.raises(RuntimeError, match=r"for Linear:\n\tno"):
        lin.load_state_dict(lin.state_dict())


def test_prefix_is_put_before_the_keys_as_it_is_like_torch() -> None:
    assert list(nn.Linear(1, 1).state_dict(prefix="p")) == ["pweight", "pbias"]
    dest: dict[str, Any] = {}
    assert nn.Linear(1, 1).state_dict(destination=dest, prefix="a.") is dest
    assert list(dest) == ["a.weight", "a.bias"]


# ----------------------------------------------------------------------------- their uses


@pytest.mark.filterwarnings("ignore:.*weight_norm is deprecated")
@pytest.mark.parametrize("dim", [0, 1, None])
def test_parametrized_weight_norm_loads_the_old_weight_g_weight_v_keys(dim: int | None) -> None:
    utils = nn.utils
    old = utils.weight_norm(nn.Conv1d(2, 3, 2), dim=dim)
    old.weight_g.data[...] = np.arange(old.weight_g.data.size).reshape(old.weight_g.shape) + 1
    sd = old.state_dict()
    assert sorted(sd) == ["bias", "weight_g", "weight_v"]
    new = utils.parametrizations.weight_norm(nn.Conv1d(2, 3, 2), dim=dim)
    assert new.load_state_dict(sd) == ([], [])
    x = tg.randn(1, 2, 5)
    np.testing.assert_allclose(new(x).data, old(x).data, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(new.weight.data, old.weight.data, rtol=1e-6)
    assert sorted(new.state_dict()) == [
        "bias",
        "parametrizations.weight.original0",
        "parametrizations.weight.original1",
    ]
    torch = pytest.importorskip("torch")
    theirs = torch.nn.utils.parametrizations.weight_norm(torch.nn.Conv1d(2, 3, 2), dim=dim)
    theirs.load_state_dict({k: torch.tensor(v.data) for k, v in sd.items()})
    np.testing.assert_allclose(new.weight.data, theirs.weight.detach().numpy(), rtol=1e-6)


def _old_spectral_state(lib: ModuleType, shape: tuple[int, int], dtype: Any) -> Any:
    """A spectral-normed Linear after one training call, saved in the format before version 1
    (``weight`` instead of ``weight_v``, no metadata)."""
    m = lib.nn.utils.spectral_norm(lib.nn.Linear(*shape).to(dtype))
    m(lib.ones(2, shape[0], dtype=dtype))
    sd = m.state_dict()
    old = {k: v for k, v in sd.items() if k != "weight_v"}
    old["weight"] = m.weight.detach()
    return m, sd, old


@pytest.mark.parametrize("shape", [(3, 4), (4, 3)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_spectral_norm_converts_a_state_dict_older_than_version_1(
    shape: tuple[int, int], dtype: Any
) -> None:
    """The v solved from u = normalize(W v), uᵀ W v = σ is the v that was saved (W wide or
    tall), so the module computes the same weight."""
    tg.manual_seed(0)
    made, sd, old = _old_spectral_state(tg, shape, dtype)
    assert sd._metadata[""]["spectral_norm"] == {"weight.version": 1}
    m = nn.utils.spectral_norm(nn.Linear(*shape).to(dtype))
    assert m.load_state_dict(old) == ([], [])
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(m.weight_v.data, sd["weight_v"].data, atol=tol)
    m.eval()
    made.eval()
    x = tg.ones(1, shape[0], dtype=dtype)
    np.testing.assert_allclose(m(x).data, made(x).data, atol=tol)
    # The current format, with or without its metadata, loads as it is.
    assert m.load_state_dict(sd) == ([], [])
    assert m.load_state_dict(dict(sd)) == ([], [])
    nn.utils.remove_spectral_norm(m)  # its hooks go with it (torch keeps the load pre-hook)
    assert m.load_state_dict(m.state_dict()) == ([], [])


@pytest.mark.parametrize("shape", [(3, 4), (4, 3)])
def test_spectral_norm_old_state_dict_like_torch(shape: tuple[int, int]) -> None:
    """Where torch's solve is well conditioned (float64) both give the saved v; a missing key of
    the old format is reported as torch reports it."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    _, _, old = _old_spectral_state(torch, shape, torch.float64)
    theirs = torch.nn.utils.spectral_norm(torch.nn.Linear(*shape).double())
    theirs.load_state_dict(old)
    ours = nn.utils.spectral_norm(nn.Linear(*shape).double())
    ours.load_state_dict({k: v.numpy() for k, v in old.items()})
    np.testing.assert_allclose(ours.weight_v.data, theirs.weight_v.numpy(), atol=1e-12)
    del old["weight_u"]
    theirs_keys = theirs.load_state_dict(old, strict=False)
    ours_keys = ours.load_state_dict({k: v.numpy() for k, v in old.items()}, strict=False)
    assert tuple(ours_keys) == tuple(theirs_keys)

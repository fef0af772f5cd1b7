"""Global module hooks (torch.nn.modules.module's register_module_*_hook).

Checked: the hooks run for every module's call, the global ones before the module's own of the
same kind (also before its ``prepend=True`` ones), in the same sequence as torch 2.13's on a
small model, forward and backward; replacement of arguments, outputs and gradients; the
``with_kwargs`` and ``always_call`` options; removal through the handles (and then the plain
call path again); torch's refusal to mix full and deprecated global backward hooks; and the
registration hooks, which see ``(module, name, value)`` for every parameter, buffer and child
registered and may replace it, with the same sequence as torch's.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.nn.module as module_impl
from tinygrad_ed import nn
from tinygrad_ed.hooks import RemovableHandle
from tinygrad_ed.nn.modules import module as M
from tinygrad_ed.tensor import Tensor

HOOK_NAMES = [
    "register_module_forward_pre_hook",
    "register_module_forward_hook",
    "register_module_full_backward_pre_hook",
    "register_module_backward_hook",
    "register_module_full_backward_hook",
    "register_module_buffer_registration_hook",
    "register_module_module_registration_hook",
    "register_module_parameter_registration_hook",
]


class _Registry:
    """Registers global hooks in one library and removes them at the end of the test (they
    would otherwise run in every later test), resetting the kind of the backward ones."""

    def __init__(self, mod: Any) -> None:
        self.mod = mod
        self.handles: list[Any] = []

    def __call__(self, name: str, hook: Callable[..., Any], **kw: Any) -> Any:
        handle = getattr(self.mod, f"register_module_{name}_hook")(hook, **kw)
        self.handles.append(handle)
        return handle

    def close(self) -> None:
        for handle in self.handles:
            handle.remove()
        self.mod._global_is_full_backward_hook = None


@pytest.fixture
def ours() -> Iterator[_Registry]:
    registry = _Registry(module_impl)
    yield registry
    registry.close()
    assert not module_impl._global_call_hooks


@pytest.fixture
def registries() -> Iterator[dict[Any, _Registry]]:
    torch = pytest.importorskip("torch")
    both = {tg: _Registry(module_impl), torch: _Registry(torch.nn.modules.module)}
    yield both
    for registry in both.values():
        registry.close()


def _model(lib: Any) -> Any:
    return lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.Linear(4, 2))


def _copy(ours: Any, theirs: Any, torch: Any) -> None:
    theirs.load_state_dict(
        {k: torch.tensor(v.detach().numpy()) for k, v in ours.state_dict().items()}
    )


def _arr(g: Any) -> Any:
    return None if g is None else np.asarray(g.detach().numpy()).round(10).tolist()


# ----------------------------------------------------------------------------- without torch


def test_the_functions_live_at_torchs_path() -> None:
    for name in HOOK_NAMES:
        assert getattr(M, name) is getattr(module_impl, name) and name in M.__all__


def test_global_hooks_run_for_every_module_before_its_own(ours: _Registry) -> None:
    model = _model(tg)
    names = {id(m): n or "model" for n, m in model.named_modules()}
    calls: list[tuple[str, str]] = []
    ours("forward_pre", lambda m, args: calls.append(("global pre", names[id(m)])))
    ours("forward", lambda m, args, out: calls.append(("global post", names[id(m)])))
    model[0].register_forward_pre_hook(lambda m, args: calls.append(("own pre", "0")), prepend=True)
    model[0].register_forward_hook(
        lambda m, args, out: calls.append(("own post", "0")), prepend=True
    )
    model(tg.randn(2, 3))
    assert calls == [
        ("global pre", "model"),
        ("global pre", "0"),
        ("own pre", "0"),
        ("global post", "0"),
        ("own post", "0"),
        ("global pre", "1"),
        ("global post", "1"),
        ("global pre", "2"),
        ("global post", "2"),
        ("global post", "model"),
    ]


def test_replacing_arguments_and_outputs(ours: _Registry) -> None:
    lin = nn.Linear(2, 2, bias=False)
    with tg.no_grad():
        lin.weight.copy_(tg.eye(2))
    x = tg.tensor([[1.0, 2.0]])
    ours("forward_pre", lambda m, args: args[0] * 10)  # one value: wrapped in a tuple
    np.testing.assert_allclose(lin(x).detach().numpy(), [[10.0, 20.0]])
    ours("forward", lambda m, args, out: out + 1)
    np.testing.assert_allclose(lin(x).detach().numpy(), [[11.0, 21.0]])
    # the module's own hook sees what the global one returned
    seen: list[Any] = []
    lin.register_forward_hook(lambda m, args, out: seen.append(out.detach().numpy().copy()))
    lin(x)
    np.testing.assert_allclose(seen[0], [[11.0, 21.0]])


def test_with_kwargs_and_always_call(ours: _Registry) -> None:
    class Boom(nn.Module):
        def forward(self, x: Tensor, *, fail: bool = False) -> Tensor:
            if fail:
                raise ValueError("boom")
            return x

    m = Boom()
    calls: list[Any] = []
    ours(
        "forward",
        lambda mod, args, kwargs, out: calls.append(("global kw", dict(kwargs), out is None)),
        with_kwargs=True,
        always_call=True,
    )
    m.register_forward_hook(
        lambda mod, args, out: calls.append(("own always", out is None)), always_call=True
    )
    m(tg.ones(1), fail=False)
    assert calls == [("global kw", {"fail": False}, False), ("own always", False)]
    calls.clear()
    with pytest.raises(ValueError, match="boom"):
        m(tg.ones(1), fail=True)
    assert calls == [("global kw", {"fail": True}, True), ("own always", True)]


def test_a_failing_always_call_hook_warns_and_the_error_is_raised(ours: _Registry) -> None:
    class Boom(nn.Module):
        def forward(self, x: Tensor) -> Tensor:
            raise ValueError("boom")

    def bad(mod: Any, args: Any, out: Any) -> None:
        raise KeyError("hook")

    ours("forward", bad, always_call=True)
    warning = "global module forward hook with ``always_call=True``"
    with pytest.warns(UserWarning, match=warning), pytest.raises(ValueError, match="boom"):
        Boom()(tg.ones(1))


def test_handles_remove_and_the_plain_call_comes_back(
    ours: _Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    lin = nn.Linear(2, 2)
    calls: list[str] = []
    pre = ours("forward_pre", lambda m, args: calls.append("pre"))
    with ours("forward", lambda m, args, out: calls.append("post")) as post:
        assert isinstance(post, RemovableHandle)
        back = ours("full_backward", lambda m, gi, go: calls.append("backward"))
        lin(tg.ones(1, 2, requires_grad=True)).sum().backward()
        assert calls == ["pre", "post", "backward"]
    calls.clear()
    lin(tg.ones(1, 2))
    assert calls == ["pre"]
    calls.clear()
    pre.remove()
    back.remove()
    pre.remove()  # twice: nothing
    assert not module_impl._global_call_hooks
    assert module_impl._global_is_full_backward_hook is True  # torch's: set for good

    def hooked(*args: Any) -> Any:
        raise AssertionError("the call took the hooked path with no hook registered")

    monkeypatch.setattr(nn.Module, "_call_with_hooks", hooked)
    lin(tg.ones(1, 2, requires_grad=True)).sum().backward()
    assert calls == []


def test_full_and_deprecated_global_backward_hooks_do_not_mix(ours: _Registry) -> None:
    ours("full_backward", lambda m, gi, go: None)
    with pytest.raises(RuntimeError, match="as a global Module hook"):
        ours("backward", lambda m, gi, go: None)
    ours.close()
    ours("backward", lambda m, gi, go: None)
    with pytest.raises(RuntimeError, match="as a global Module hook"):
        ours("full_backward", lambda m, gi, go: None)


def test_a_global_full_backward_hook_may_replace_grad_input(ours: _Registry) -> None:
    lin = nn.Linear(2, 1, bias=False)
    x = tg.ones(1, 2, requires_grad=True)
    ours("full_backward", lambda m, gi, go: (gi[0] * 0 + 7,))
    lin(x).sum().backward()
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad.numpy(), [[7.0, 7.0]])


def test_registration_hooks_see_and_replace(ours: _Registry) -> None:
    seen: list[tuple[str, str, str]] = []
    replacements: dict[str, Any] = {}

    def param(m: nn.Module, name: str, value: Any) -> Any:
        seen.append((type(m).__name__, name, type(value).__name__))
        if name == "bias":
            replacements[type(m).__name__] = nn.Parameter(tg.zeros(*value.shape))
            return replacements[type(m).__name__]
        return None

    def buffer(m: nn.Module, name: str, value: Any) -> Any:
        seen.append((type(m).__name__, name, type(value).__name__))
        if name == "running_mean":
            replacements[name] = value + 100
            return replacements[name]
        return None

    def child(m: nn.Module, name: str, value: Any) -> Any:
        seen.append((type(m).__name__, name, type(value).__name__))
        return nn.Identity() if isinstance(value, nn.Tanh) else None

    ours("parameter_registration", param)
    ours("buffer_registration", buffer)
    ours("module_registration", child)
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.BatchNorm1d(3))
    assert isinstance(model[1], nn.Identity)
    # the replacements are what is registered (and then initialized in place by the layers)
    assert model[0].bias is replacements["Linear"]
    assert model[2].bias is replacements["BatchNorm1d"]
    assert model[2].running_mean is replacements["running_mean"]
    assert ("Linear", "weight", "Parameter") in seen and ("Sequential", "1", "Tanh") in seen
    seen.clear()
    model[2].running_var = tg.ones(3)  # an existing buffer's name: registered again
    model[2].register_parameter("extra", None)  # a placeholder: no parameter hook
    model.add_module("head", None)
    model[0] = nn.Linear(2, 3)  # replacing a child
    assert seen[:3] == [
        ("BatchNorm1d", "running_var", "Tensor"),
        ("Sequential", "head", "NoneType"),
        ("Linear", "weight", "Parameter"),
    ]
    assert seen[-1] == ("Sequential", "0", "Linear")


# ----------------------------------------------------------------------------- against torch


def _events(lib: Any, model: Any, registry: _Registry, deprecated: bool = False) -> list[Any]:
    names = {id(m): n or "model" for n, m in model.named_modules()}
    log: list[Any] = []

    def rec(kind: str) -> Callable[..., None]:
        def hook(m: Any, *rest: Any) -> None:
            grads = [
                None if not isinstance(r, tuple) else [_arr(g) for g in r]
                for r in rest
                if kind.endswith("backward") or kind.endswith("backward pre")
            ]
            log.append((kind, names[id(m)], grads))

        return hook

    registry("forward_pre", rec("global forward pre"))
    registry("forward", rec("global forward"))
    if deprecated:
        registry("backward", lambda m, gi, go: log.append(("global deprecated", names[id(m)])))
    else:
        registry("full_backward_pre", rec("global backward pre"))
        registry("full_backward", rec("global backward"))
    for name in ("0", "2"):
        sub = model.get_submodule(name)
        sub.register_forward_pre_hook(rec("own forward pre"), prepend=True)
        sub.register_forward_hook(rec("own forward"), prepend=True)
        if not deprecated:
            sub.register_full_backward_pre_hook(rec("own backward pre"), prepend=True)
            sub.register_full_backward_hook(rec("own backward"), prepend=True)
    x = lib.tensor(np.linspace(-1, 1, 6).reshape(2, 3), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # the deprecated hooks' warning
        model(x).sum().backward()
    log.append(("x.grad", _arr(x.grad)))
    return log


@pytest.mark.parametrize("deprecated", [False, True], ids=["full", "deprecated"])
def test_the_order_of_global_and_module_hooks_is_torchs(
    registries: dict[Any, _Registry], deprecated: bool
) -> None:
    torch = next(lib for lib in registries if lib is not tg)
    ours, theirs = _model(tg), _model(torch)
    ours.double()
    theirs.double()
    _copy(ours, theirs, torch)
    got = _events(tg, ours, registries[tg], deprecated)
    want = _events(torch, theirs, registries[torch], deprecated)
    assert got == want
    assert got[0][:2] == ("global forward pre", "model")


def test_registration_hooks_see_what_torchs_see(registries: dict[Any, _Registry]) -> None:
    logs: dict[Any, list[Any]] = {}
    for lib, registry in registries.items():
        log: list[Any] = []
        logs[lib] = log
        for kind in ("parameter", "buffer", "module"):
            registry(
                f"{kind}_registration",
                lambda m, name, value, kind=kind, log=log: log.append(
                    (kind, type(m).__name__, name, type(value).__name__ != "NoneType")
                ),
            )
        model = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.BatchNorm1d(3), lib.nn.ReLU())
        model.add_module("extra", lib.nn.LayerNorm(3))
        model[1].running_mean = lib.zeros(3)
        model.extra = None
        lib.nn.Linear(2, 2, bias=False)
    assert logs[tg] == logs[next(lib for lib in registries if lib is not tg)]


def test_replacing_a_registered_value_matches_torch(registries: dict[Any, _Registry]) -> None:
    results = []
    for lib, registry in registries.items():
        registry(
            "parameter_registration",
            lambda m, name, p, lib=lib: (
                lib.nn.Parameter(lib.ones(p.shape)) if name == "weight" else None
            ),
        )
        registry(
            "module_registration",
            lambda m, name, c, lib=lib: lib.nn.Identity() if isinstance(c, lib.nn.ReLU) else None,
        )
        model = lib.nn.Sequential(lib.nn.Linear(2, 2, bias=False), lib.nn.ReLU())
        # Linear initializes its weight in place after registering it: assign one afterwards
        model[0].weight = lib.nn.Parameter(lib.full((2, 2), 0.5))
        x = lib.tensor([[-1.0, 3.0]])
        results.append((model(x).detach().numpy().tolist(), [type(m).__name__ for m in model]))
    assert results[0] == results[1] == ([[2.0, 2.0]], ["Linear", "Identity"])

"""torch code written against nn.Module, nn layers and torch.optim runs unchanged: the Module
methods and class attributes an audit found missing (get_parameter, get_buffer, set_submodule,
modules(remove_duplicate), share_memory, the deprecated register_backward_hook, to_empty, type,
cuda/xpu/ipu/mtia, bfloat16, compile, state_dict's positional form, call_super_init,
dump_patches, T_destination), Hardtanh's deprecated min_value/max_value, and the optimizers'
foreach/fused/differentiable/capturable flags.

Each is checked for its own property (identity, closed-form gradients, numbers unchanged by a
flag) and, where torch 2.13 is installed, side by side with it (the same calls, the same
errors, the same state-dict keys).
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import nn, optim


def _torch() -> Any:
    return pytest.importorskip("torch")


def _net(lib: Any) -> Any:
    """The same small tree in either library: Linear, BatchNorm1d, and a nested Sequential."""
    return lib.nn.Sequential(
        lib.nn.Linear(3, 2), lib.nn.BatchNorm1d(2), lib.nn.Sequential(lib.nn.Tanh())
    )


def _error(call: Any, *args: Any, **kwargs: Any) -> tuple[type[BaseException], str] | None:
    """The type and words of what ``call(*args, **kwargs)`` raises (None if nothing)."""
    try:
        call(*args, **kwargs)
    except Exception as e:  # the type and words, to compare with torch's
        return type(e), str(e)
    return None


# ----------------------------------------------------------------------------- paths


def test_get_parameter_and_get_buffer_return_the_registered_objects() -> None:
    net = _net(tg)
    assert net.get_parameter("0.weight") is net[0].weight
    assert net.get_parameter("0.bias") is net[0].bias
    assert net.get_buffer("1.running_mean") is net[1].running_mean
    assert net.get_buffer("1.num_batches_tracked") is net[1].num_batches_tracked
    with pytest.raises(AttributeError, match=r"is not an nn\.Parameter"):
        net.get_parameter("1.running_mean")  # a buffer, not a parameter
    with pytest.raises(AttributeError, match="is not a buffer"):
        net.get_buffer("0.weight")
    with pytest.raises(AttributeError, match="Linear has no attribute `nope`"):
        net.get_parameter("0.nope")
    with pytest.raises(AttributeError):
        net.get_buffer("7.running_mean")  # no such submodule


def test_get_parameter_get_buffer_errors_as_torch() -> None:
    torch = _torch()
    ours, theirs = _net(tg), _net(torch)
    for method, target in [
        ("get_parameter", "1.running_mean"),
        ("get_parameter", "0.nope"),
        ("get_parameter", "0.training"),
        ("get_buffer", "0.weight"),
        ("get_buffer", "1.nope"),
    ]:
        a = _error(getattr(ours, method), target)
        b = _error(getattr(theirs, method), target)
        assert a == b, (method, target, a, b)
    assert ours.get_parameter("0.weight").shape == tuple(theirs.get_parameter("0.weight").shape)


def test_set_submodule_replaces_adds_and_refuses() -> None:
    net = _net(tg)
    relu = nn.ReLU()
    net.set_submodule("2.0", relu)  # replace the Tanh inside the nested Sequential
    assert net[2][0] is relu
    extra = nn.Linear(2, 2)
    net.set_submodule("2.extra", extra)  # a new child of an existing module
    assert net.get_submodule("2.extra") is extra
    assert [name for name, _ in net.named_modules()][-1] == "2.extra"
    with pytest.raises(AttributeError, match="has no attribute `other`"):
        net.set_submodule("2.other", nn.ReLU(), strict=True)
    net.set_submodule("2.extra", nn.Tanh(), strict=True)  # strict replaces what exists
    assert isinstance(net[2].extra, nn.Tanh)
    with pytest.raises(ValueError, match="without a target name"):
        net.set_submodule("", nn.ReLU())
    with pytest.raises(ValueError, match=r"is not an nn\.Module"):
        net.set_submodule("0", "relu")  # type: ignore[arg-type]
    with pytest.raises(AttributeError, match=r"`weight` is not an nn\.Module"):
        net.set_submodule("0.weight", nn.ReLU())
    x = tg.randn(4, 3)
    assert net(x).shape == (4, 2)


def test_set_submodule_as_torch() -> None:
    torch = _torch()
    for target, strict in [("2.0", False), ("2.new", False), ("2.new", True), ("", False)]:
        for kind in ("ok", "param"):
            target_ = "0.weight" if kind == "param" else target
            ours, theirs = _net(tg), _net(torch)
            a = _error(ours.set_submodule, target_, tg.nn.ReLU(), strict=strict)
            b = _error(theirs.set_submodule, target_, torch.nn.ReLU(), strict=strict)
            assert a == b, (target_, strict, a, b)
            assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    a = _error(_net(tg).set_submodule, "0", 3)
    b = _error(_net(torch).set_submodule, "0", 3)
    assert a is not None and b is not None and a[0] is b[0] is ValueError


def test_modules_remove_duplicate_as_torch() -> None:
    torch = _torch()
    for lib in (tg, torch):
        lin = lib.nn.Linear(2, 2)
        net = lib.nn.Sequential(lin, lib.nn.Sequential(lin, lib.nn.ReLU()), lin)
        names = [type(m).__name__ for m in net.modules(remove_duplicate=False)]
        assert names == ["Sequential", "Linear", "Sequential", "Linear", "ReLU", "Linear"]
        assert len(list(net.modules())) == 4  # each once by default
    assert "remove_duplicate" in inspect.signature(nn.Module.modules).parameters


# ----------------------------------------------------------------------------- casts, devices


def test_type_casts_every_parameter_and_buffer_as_torch() -> None:
    torch = _torch()
    for dst in ("float64", "torch.DoubleTensor", "torch.FloatTensor", "torch.HalfTensor"):
        ours, theirs = tg.nn.BatchNorm1d(2), torch.nn.BatchNorm1d(2)
        weight = ours.weight
        tg_dst = getattr(tg, dst) if "." not in dst else dst
        torch_dst = getattr(torch, dst) if "." not in dst else dst
        assert ours.type(tg_dst) is ours
        theirs.type(torch_dst)
        got = {k: str(v.dtype) for k, v in ours.state_dict().items()}
        want = {k: str(v.dtype).replace("torch.", "") for k, v in theirs.state_dict().items()}
        assert got == want, dst  # num_batches_tracked (int64) is cast too
        assert ours.weight is weight  # the same Parameter, new values
    lin = tg.nn.Linear(2, 2)
    lin.weight.grad = tg.ones(2, 2)
    before = lin.weight.data.copy()
    lin.type(tg.float64)
    assert lin.weight.grad.dtype == np.float64
    np.testing.assert_array_equal(lin.weight.data, before.astype(np.float64))
    a = _error(lambda: tg.nn.Linear(2, 2).type(tg.long))
    b = _error(lambda: torch.nn.Linear(2, 2).type(torch.long))
    assert a is not None and b is not None and a[0] is b[0] is RuntimeError
    assert "must be floating point or complex dtype" in a[1] and b[1] in a[1]


def test_bfloat16_refused_naming_the_module() -> None:
    with pytest.raises(TypeError, match=r"Linear\.bfloat16\(\): numpy has no bfloat16"):
        nn.Linear(2, 2).bfloat16()


def test_to_empty_keeps_parameters_replaces_buffers() -> None:
    bn = nn.BatchNorm1d(3)
    weight, mean = bn.weight, bn.running_mean
    assert bn.to_empty(device="cpu") is bn
    assert bn.weight is weight and bn.running_mean is not mean  # torch's identities
    assert bn.weight.shape == (3,) and bn.running_mean.shape == (3,)
    assert bn.num_batches_tracked.dtype == np.int64
    assert bn.weight.requires_grad
    net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    inner = net[1].running_mean
    net.to_empty(device=tg.device("cpu"), recurse=False)  # no own tensors: nothing changes
    assert net[1].running_mean is inner
    with pytest.raises(RuntimeError, match="no device 'cuda'"):
        net.to_empty(device="cuda")
    with pytest.raises(TypeError):
        net.to_empty()  # type: ignore[call-arg]  # device is a required keyword, as torch


def test_to_empty_identities_as_torch() -> None:
    torch = _torch()
    for lib in (tg, torch):
        bn = lib.nn.BatchNorm1d(3)
        weight, mean = bn.weight, bn.running_mean
        bn.to_empty(device="cpu")
        assert (bn.weight is weight, bn.running_mean is mean) == (True, False)


@pytest.mark.parametrize("method", ["cuda", "xpu", "ipu", "mtia"])
def test_accelerator_methods_raise_what_torch_raises(method: str) -> None:
    torch = _torch()
    a = _error(lambda: getattr(tg.nn.Linear(2, 2), method)())
    b = _error(lambda: getattr(torch.nn.Linear(2, 2), method)())
    assert a is not None and b is not None
    assert a[0] is b[0], (a, b)  # AssertionError for cuda, xpu, mtia; RuntimeError for ipu
    assert f"Linear.{method}()" in a[1] and f"no device '{method}'" in a[1]
    # Without tensors to move, torch returns the module, as this does.
    relu = tg.nn.ReLU()
    assert getattr(relu, method)() is relu
    assert _error(lambda: getattr(torch.nn.ReLU(), method)()) is None


def test_share_memory_and_compile_change_nothing() -> None:
    lin = nn.Linear(3, 2)
    x = tg.randn(4, 3)
    before = lin(x).data.copy()
    assert lin.share_memory() is lin
    assert lin.compile() is None and lin.compile(mode="max-autotune", fullgraph=True) is None
    np.testing.assert_array_equal(lin(x).data, before)
    assert tg.compile(lin) is lin  # the library's compile is the identity too


# ----------------------------------------------------------------------------- state_dict


def test_state_dict_positional_form_as_torch() -> None:
    torch = _torch()
    for lib in (tg, torch):
        lin = lib.nn.Linear(2, 2)
        dest: dict[str, Any] = {}
        with pytest.warns(FutureWarning, match="Positional args are being deprecated"):
            out = lin.state_dict(dest, "net.", True)
        assert out is dest and list(out) == ["net.weight", "net.bias"]
        assert out["net.weight"] is lin.weight  # keep_vars, the third positional
        with pytest.warns(FutureWarning):  # a keyword given as well wins
            out = lin.state_dict(None, "a.", prefix="b.")
        assert list(out) == ["b.weight", "b.bias"]
    with pytest.raises(TypeError, match="at most 3 positional"):
        tg.nn.Linear(1, 1).state_dict(None, "", False, 4)


def test_state_dict_positional_values_are_the_keyword_forms() -> None:
    lin = nn.Linear(2, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        positional = lin.state_dict(None, "p.")
    keyword = lin.state_dict(prefix="p.")
    assert list(positional) == list(keyword)
    for k in keyword:
        np.testing.assert_array_equal(positional[k].data, keyword[k].data)


# ----------------------------------------------------------------------------- class attributes


def test_class_attributes_as_torch() -> None:
    torch = _torch()
    assert nn.Module.call_super_init is torch.nn.Module.call_super_init is False
    assert nn.Module.dump_patches is torch.nn.Module.dump_patches is False
    assert nn.Module.T_destination.__name__ == torch.nn.Module.T_destination.__name__
    for args, kwargs in [((3,), {}), ((), {"a": 3})]:
        a = _error(tg.nn.Module, *args, **kwargs)
        b = _error(torch.nn.Module, *args, **kwargs)
        assert a == b


def test_call_super_init_passes_arguments_along_the_mro() -> None:
    class Named:
        def __init__(self, name: str = "") -> None:
            self.name = name

    class Cooperative(nn.Module, Named):
        call_super_init = True

    m = Cooperative(name="enc")
    assert m.name == "enc" and m.training and list(m.parameters()) == []
    with pytest.raises(TypeError, match="unexpected keyword argument 'name'"):
        type("Plain", (nn.Module, Named), {})(name="enc")


# ----------------------------------------------------------------------------- old backward hook


def test_register_backward_hook_sees_the_last_operation() -> None:
    """On Tanh, the one operation is tanh: ``grad_input = g·(1 − tanh²x)``, closed form."""
    x = tg.tensor([0.5, -1.0, 2.0], dtype=tg.float64, requires_grad=True)
    g = np.array([1.0, 2.0, -3.0])
    seen: list[Any] = []
    tanh = nn.Tanh()
    tanh.register_backward_hook(lambda m, gi, go: seen.append((m, gi, go)))
    with pytest.warns(FutureWarning, match="non-full backward hook"):
        y = tanh(x)
    y.backward(tg.tensor(g))
    ((m, gi, go),) = seen
    assert m is tanh and len(gi) == 1 and len(go) == 1
    np.testing.assert_allclose(go[0].data, g)
    np.testing.assert_allclose(gi[0].data, g * (1 - np.tanh(x.data) ** 2))
    np.testing.assert_allclose(x.grad.data, gi[0].data)


def test_register_backward_hook_replaces_grad_input_and_is_removable() -> None:
    x = tg.tensor([0.5, 1.0], requires_grad=True)
    tanh = nn.Tanh()
    handle = tanh.register_backward_hook(lambda m, gi, go: (tg.full_like(gi[0], 7.0),))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        tanh(x).sum().backward()
        np.testing.assert_array_equal(x.grad.data, [7.0, 7.0])
        handle.remove()
        x.grad = None
        tanh(x).sum().backward()
    np.testing.assert_allclose(x.grad.data, 1 - np.tanh([0.5, 1.0]) ** 2, rtol=1e-6)


def test_backward_hook_kinds_do_not_mix() -> None:
    for first, second in [
        ("register_backward_hook", "register_full_backward_hook"),
        ("register_full_backward_hook", "register_backward_hook"),
    ]:
        m = nn.Tanh()
        getattr(m, first)(lambda *a: None)
        with pytest.raises(RuntimeError, match="Cannot use both regular backward hooks"):
            getattr(m, second)(lambda *a: None)


def test_register_backward_hook_as_torch() -> None:
    """Sequential(Linear, Tanh): both libraries' last operation is the tanh, so the hook sees
    the same gradients, and warns the same way."""
    torch = _torch()
    rng = np.random.default_rng(0)
    w, b, x = rng.normal(size=(2, 3)), rng.normal(size=2), rng.normal(size=(4, 3))
    results = []
    for lib in (tg, torch):
        net = lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.Tanh()).double()
        with lib.no_grad():
            net[0].weight.copy_(lib.tensor(w))
            net[0].bias.copy_(lib.tensor(b))
        seen: list[Any] = []
        net.register_backward_hook(lambda m, gi, go: seen.append((gi, go)))  # noqa: B023
        xt = lib.tensor(x, requires_grad=True)
        with warnings.catch_warnings(record=True) as log:
            warnings.simplefilter("always")
            out = net(xt)
        out.sum().backward()
        ((gi, go),) = seen
        results.append(
            (
                [np.asarray(t.detach().numpy()) for t in gi],
                [np.asarray(t.detach().numpy()) for t in go],
                [(w_.category, str(w_.message)) for w_ in log],
                np.asarray(xt.grad.detach().numpy()),
            )
        )
    (gi_a, go_a, log_a, grad_a), (gi_b, go_b, log_b, grad_b) = results
    assert len(gi_a) == len(gi_b) == 1 and len(go_a) == len(go_b) == 1
    np.testing.assert_allclose(gi_a[0], gi_b[0], rtol=1e-12)
    np.testing.assert_allclose(go_a[0], go_b[0], rtol=1e-12)
    np.testing.assert_allclose(grad_a, grad_b, rtol=1e-12)
    assert log_a == log_b and log_a and log_a[0][0] is FutureWarning


# ----------------------------------------------------------------------------- Hardtanh


def test_hardtanh_deprecated_bound_names() -> None:
    x = tg.tensor([-3.0, -1.5, 0.0, 2.5, 4.0])
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        old = nn.Hardtanh(min_value=-2.0, max_value=3.0)
    assert [str(w.message) for w in log] == [
        "keyword argument `min_value` is deprecated and renamed to `min_val`",
        "keyword argument `max_value` is deprecated and renamed to `max_val`",
    ]
    assert all(w.category is FutureWarning for w in log)
    assert (old.min_val, old.max_val) == (-2.0, 3.0)
    np.testing.assert_array_equal(old(x).data, np.clip(x.data, -2.0, 3.0))
    with pytest.warns(FutureWarning, match="`max_value`"):
        assert nn.Hardtanh(-0.5, 9.0, False, None, 0.5).max_val == 0.5  # replaces max_val


def test_hardtanh_deprecated_names_as_torch() -> None:
    torch = _torch()
    x = np.linspace(-4, 4, 9)
    outs, logs = [], []
    for lib in (tg, torch):
        with warnings.catch_warnings(record=True) as log:
            warnings.simplefilter("always")
            h = lib.nn.Hardtanh(min_value=-2.0, max_value=3.0)
        logs.append([(w.category, str(w.message)) for w in log])
        outs.append(np.asarray(h(lib.tensor(x)).numpy()))
        assert repr(h) == "Hardtanh(min_val=-2.0, max_val=3.0)"
    assert logs[0] == logs[1] and len(logs[0]) == 2
    np.testing.assert_array_equal(outs[0], outs[1])


def test_hardtanh_layer_refuses_equal_bounds_as_torch() -> None:
    """The layer asserts max_val > min_val (equal bounds too); F.hardtanh takes equal ones."""
    for lo, hi in ((1.0, 1.0), (2.0, 1.0)):
        with pytest.raises(ValueError, match=rf"max_val \({hi}\) must be greater than min_val"):
            nn.Hardtanh(lo, hi)
    assert tg.nn.functional.hardtanh(tg.ones(2), 1.0, 1.0).tolist() == [1.0, 1.0]
    torch = _torch()
    for lo, hi in ((1.0, 1.0), (2.0, 1.0)):
        with pytest.raises(AssertionError):
            torch.nn.Hardtanh(lo, hi)


# ----------------------------------------------------------------------------- optimizer flags

OPTIMIZERS = [
    "ASGD",
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "NAdam",
    "RAdam",
    "RMSprop",
    "Rprop",
    "SGD",
]
FLAGS = ("foreach", "fused", "capturable", "differentiable")


def _flags(name: str) -> list[str]:
    return [f for f in FLAGS if f in inspect.signature(getattr(optim, name)).parameters]


def _run(name: str, steps: int = 4, **kwargs: Any) -> list[np.ndarray]:
    """The parameters after ``steps`` steps of fixed gradients (0-d, 1-d and 2-d, float64)."""
    rng = np.random.default_rng(1)
    params = [
        tg.tensor(rng.normal(size=s), dtype=tg.float64, requires_grad=True)
        for s in [(), (3,), (2, 3)]
    ]
    opt = getattr(optim, name)(params, **kwargs)
    for _ in range(steps):
        for p in params:
            p.grad = tg.tensor(rng.normal(size=p.shape), dtype=tg.float64)
        opt.step()
    return [p.data.copy() for p in params]


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_signature_as_torch(name: str) -> None:
    """Every parameter of torch's constructor, with its kind (positional or keyword-only) and
    default, in torch's order."""
    torch = _torch()

    def sig(cls: Any) -> list[tuple[str, Any, Any]]:
        ps = inspect.signature(cls.__init__).parameters.values()
        return [(p.name, p.kind, p.default) for p in ps]

    assert sig(getattr(optim, name)) == sig(getattr(torch.optim, name))


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_flags_change_nothing_numerically(name: str) -> None:
    base = _run(name)
    variants: list[dict[str, Any]] = [{"foreach": True}, {"foreach": False}]
    if "fused" in _flags(name):
        variants += [{"fused": True}, {"fused": False}]
    if "capturable" in _flags(name):
        variants.append({"capturable": False})
    for kw in variants:
        for a, b in zip(_run(name, **kw), base):
            np.testing.assert_array_equal(a, b, err_msg=f"{name} {kw}")


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_param_group_keys_and_values_as_torch(name: str) -> None:
    """torch's keys in torch's order, for the defaults and for every flag set, and torch's
    values (foreach=None by default: torch picks its implementation at step time)."""
    torch = _torch()
    settings: list[dict[str, Any]] = [{}, {"foreach": True}]
    settings += [{f: True} for f in _flags(name) if f in ("fused", "capturable", "differentiable")]
    for kw in settings:
        ours = getattr(optim, name)([tg.zeros(2, requires_grad=True)], **kw)
        theirs = getattr(torch.optim, name)([torch.zeros(2, requires_grad=True)], **kw)
        a, b = ours.state_dict()["param_groups"][0], theirs.state_dict()["param_groups"][0]
        assert list(a) == list(b), kw
        for key in FLAGS:
            assert a.get(key, "absent") == b.get(key, "absent"), (kw, key)
        assert ours.defaults == theirs.defaults
        assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("name", [n for n in OPTIMIZERS if "fused" in _flags(n)])
def test_fused_refusals_as_torch(name: str) -> None:
    torch = _torch()
    for kw in ({"fused": True, "foreach": True}, {"fused": True, "differentiable": True}):
        a = _error(getattr(optim, name), [tg.zeros(2, requires_grad=True)], **kw)
        b = _error(getattr(torch.optim, name), [torch.zeros(2, requires_grad=True)], **kw)
        assert a is not None and b is not None and a[0] is b[0] is RuntimeError
        assert a[1] == f"{name}(): {b[1]}"


def _step_error(lib: Any, name: str, grad: bool = True, **kwargs: Any) -> Any:
    p = lib.zeros(3, requires_grad=True)
    opt = getattr(lib.optim, name)([p], **kwargs)
    if grad:
        p.grad = lib.ones(3)
    return _error(opt.step)


@pytest.mark.parametrize("name", [n for n in OPTIMIZERS if "capturable" in _flags(n)])
def test_capturable_step_refused_as_torch(name: str) -> None:
    """torch accepts capturable=True at construction and asserts at step() that the state is
    on an accelerator, which a CPU tensor is not; a step where no parameter has a gradient
    does nothing, in both."""
    torch = _torch()
    a, b = _step_error(tg, name, capturable=True), _step_error(torch, name, capturable=True)
    assert a is not None and b is not None and a[0] is b[0] is AssertionError
    assert a[1] == f"{name}.step(): {b[1]}"
    assert _step_error(tg, name, grad=False, capturable=True) is None
    assert _step_error(torch, name, grad=False, capturable=True) is None
    if "fused" in _flags(name):  # torch's fused CPU kernel takes capturable=True
        assert _step_error(torch, name, capturable=True, fused=True) is None
        assert _step_error(tg, name, capturable=True, fused=True) is None


@pytest.mark.parametrize("name", [n for n in OPTIMIZERS if "differentiable" in _flags(n)])
def test_differentiable_step_as_torch(name: str) -> None:
    """torch's differentiable step runs under autograd: the in-place update of a parameter
    that requires grad is refused; one that does not is stepped, to the same numbers."""
    torch = _torch()
    a = _step_error(tg, name, differentiable=True)
    b = _step_error(torch, name, differentiable=True)
    assert a is not None and b is not None and a[0] is b[0] is RuntimeError
    assert a[1].startswith(f"{name}.step(): {b[1]}")
    results = []
    for lib in (tg, torch):
        p = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64)  # requires no grad
        opt = getattr(lib.optim, name)([p], differentiable=True)
        for g in ([0.1, 0.2, -0.3], [-0.4, 0.5, 0.6]):
            p.grad = lib.tensor(g, dtype=lib.float64)
            opt.step()
        results.append(np.asarray(p.detach().numpy()))
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_load_state_dict_with_torch_flags_and_without(name: str) -> None:
    """A state dict with torch's flag values loads them; an older one without the flags gives
    the group torch's defaults for them (torch's ``__setstate__``), as torch does."""
    torch = _torch()
    flags = _flags(name)
    ours = getattr(optim, name)([tg.zeros(2, requires_grad=True)])
    theirs = getattr(torch.optim, name)([torch.zeros(2, requires_grad=True)], foreach=True)
    group = theirs.state_dict()["param_groups"][0]
    ours.load_state_dict({"state": {}, "param_groups": [group]})
    assert ours.param_groups[0]["foreach"] is True
    assert list(ours.state_dict()["param_groups"][0]) == list(group)
    # An older state dict: taken with the flags set, then stripped of them.
    ours = getattr(optim, name)([tg.zeros(2, requires_grad=True)], foreach=True)
    theirs = getattr(torch.optim, name)([torch.zeros(2, requires_grad=True)], foreach=True)
    old = ours.state_dict()
    for g in old["param_groups"]:
        for f in flags:
            del g[f]
    theirs_old = theirs.state_dict()
    for g in theirs_old["param_groups"]:
        for f in flags:
            del g[f]
    ours.load_state_dict(old)
    theirs.load_state_dict(theirs_old)
    for f in flags:
        assert ours.param_groups[0][f] == theirs.param_groups[0][f], f  # foreach: None again
    assert set(ours.param_groups[0]) == set(theirs.param_groups[0])
    p = ours.param_groups[0]["params"][0]
    p.grad = tg.ones(2)
    ours.step()  # the loaded optimizer steps


def test_non_leaf_parameters_stay_refused_with_differentiable() -> None:
    """torch's differentiable=True accepts non-leaf parameters, to differentiate through the
    step; this library's step records no graph, so they are refused as without the flag."""
    w = tg.ones(2, requires_grad=True) * 2
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        optim.SGD([w], differentiable=True)


# ----------------------------------------------------------------------------- DataParallel


def _data_parallel_story(lib: Any) -> list[Any]:
    lib.manual_seed(0)
    inner = lib.nn.Linear(2, 3)
    model = lib.nn.DataParallel(inner)
    x = lib.tensor(np.arange(8.0, dtype=np.float32).reshape(4, 2))
    out = model(x)
    out.sum().backward()
    return [
        model.module is inner,
        model.device_ids,
        sorted(model.state_dict()),
        np.array_equal(out.detach().numpy(), inner(x).detach().numpy()),
        inner.weight.grad.tolist(),
        [type(m).__name__ for m in model.modules()],
        type(lib.nn.NLLLoss2d()).__mro__[1].__name__,
    ]


@pytest.mark.filterwarnings("ignore:`NLLLoss2d` has been deprecated:FutureWarning")  # (torch's)
def test_data_parallel_without_gpus_is_the_module() -> None:
    ours = _data_parallel_story(tg)
    assert ours == [
        True,
        [],
        ["module.bias", "module.weight"],
        True,
        [[12.0, 16.0]] * 3,
        ["DataParallel", "Linear"],
        "NLLLoss",
    ]
    from tinygrad_ed.nn.parallel import DataParallel  # torch's other path

    assert DataParallel is nn.DataParallel
    with pytest.raises(RuntimeError, match="no device 'cuda:0'"):
        nn.DataParallel(nn.Linear(1, 1), device_ids=["cuda:0"])
    torch = _torch()
    assert ours == _data_parallel_story(torch)

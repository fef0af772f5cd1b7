"""``device=`` as torch code writes it: ``tg.device``, the CPU spellings every creation function
takes, the refusal of every other device, ``Tensor.device`` and ``to(device)``, and the torch
tutorial's opening lines running unchanged."""

from __future__ import annotations

import inspect
import math
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import nn

X = tg.tensor([[1.0, 2.0], [3.0, 4.0]])

# Every function and method torch gives a device= to, called with that device.
CREATION: dict[str, Callable[[Any], tg.Tensor]] = {
    "tensor": lambda d: tg.tensor([1.0, 2.0], device=d),
    "as_tensor": lambda d: tg.as_tensor([1.0, 2.0], device=d),
    "asarray": lambda d: tg.asarray([1.0, 2.0], device=d),
    "scalar_tensor": lambda d: tg.scalar_tensor(2.0, device=d),
    "zeros": lambda d: tg.zeros(2, 3, device=d),
    "ones": lambda d: tg.ones((2,), device=d),
    "empty": lambda d: tg.empty(2, device=d),
    "full": lambda d: tg.full((2,), 1.5, device=d),
    "arange": lambda d: tg.arange(3, device=d),
    "eye": lambda d: tg.eye(2, device=d),
    "linspace": lambda d: tg.linspace(0, 1, 3, device=d),
    "logspace": lambda d: tg.logspace(0, 1, 3, device=d),
    "rand": lambda d: tg.rand(2, device=d),
    "randn": lambda d: tg.randn((), device=d),
    "randint": lambda d: tg.randint(0, 5, (2,), device=d),
    "randperm": lambda d: tg.randperm(4, device=d),
    "normal": lambda d: tg.normal(0.0, 1.0, (2,), device=d),
    "zeros_like": lambda d: tg.zeros_like(X, device=d),
    "ones_like": lambda d: tg.ones_like(X, device=d),
    "empty_like": lambda d: tg.empty_like(X, device=d),
    "full_like": lambda d: tg.full_like(X, 2.0, device=d),
    "rand_like": lambda d: tg.rand_like(X, device=d),
    "randn_like": lambda d: tg.randn_like(X, device=d),
    "randint_like": lambda d: tg.randint_like(X, 5, device=d),
    "new_zeros": lambda d: X.new_zeros(2, device=d),
    "new_ones": lambda d: X.new_ones((2,), device=d),
    "new_empty": lambda d: X.new_empty(2, device=d),
    "new_full": lambda d: X.new_full((2,), 3.0, device=d),
    "new_tensor": lambda d: X.new_tensor([1.0], device=d),
    "new_empty_strided": lambda d: X.new_empty_strided((2, 2), (1, 2), device=d),
    "empty_strided": lambda d: tg.empty_strided((2, 3), (1, 2), device=d),
    "empty_permuted": lambda d: tg.empty_permuted((2, 3), (1, 0), device=d),
    "bartlett_window": lambda d: tg.bartlett_window(4, device=d),
    "blackman_window": lambda d: tg.blackman_window(4, device=d),
    "hamming_window": lambda d: tg.hamming_window(4, device=d),
    "hann_window": lambda d: tg.hann_window(4, device=d),
    "kaiser_window": lambda d: tg.kaiser_window(4, device=d),
}


def _cpus() -> list[Any]:
    cpus: list[Any] = [None, "cpu", "cpu:0", tg.device("cpu"), tg.device("cpu", 0)]
    try:
        import torch  # torch's own device object is taken too
    except ImportError:
        return cpus
    return [*cpus, torch.device("cpu"), torch.device("cpu:0")]


def test_the_table_names_every_function_with_a_device_argument() -> None:
    functions = {
        n
        for n in tg.__all__
        if inspect.isfunction(getattr(tg, n))
        and "device" in inspect.signature(getattr(tg, n)).parameters
    } - {"set_default_device"}  # (a setting, not a creation: tests/test_switches.py)
    methods = {n for n in dir(tg.Tensor) if n.startswith("new_")}
    assert functions | methods == set(CREATION)


@pytest.mark.parametrize("name", CREATION)
def test_creation_functions_take_the_cpu_however_it_is_written(name: str) -> None:
    expected = CREATION[name](None)
    for cpu in _cpus():
        out = CREATION[name](cpu)
        assert out.device == tg.device("cpu") and out.shape == expected.shape, cpu
        assert out.dtype == expected.dtype, cpu


@pytest.mark.parametrize("name", CREATION)
def test_creation_functions_refuse_other_devices_naming_themselves(name: str) -> None:
    others: list[Any] = ["cuda", "cuda:1", "mps", tg.device("cuda"), tg.device("cuda", 0), 0]
    for other in others:
        shown = "0" if other == 0 else str(other)
        with pytest.raises(RuntimeError, match=rf"^{name}\(\): .* on the CPU; there is no "):
            CREATION[name](other)
        with pytest.raises(RuntimeError, match=rf"no device '{shown}' \(use 'cpu'"):
            CREATION[name](other)
    with pytest.raises(RuntimeError, match=rf"^{name}\(\): expected one of cpu, cuda, .*: gpu"):
        CREATION[name]("gpu")
    with pytest.raises(RuntimeError, match=rf"^{name}\(\): invalid device string: 'cpu:x'"):
        CREATION[name]("cpu:x")
    with pytest.raises(TypeError, match=rf"^{name}\(\): device must be a device or a string"):
        CREATION[name](1.5)


# ----------------------------------------------------------------------------- tg.device


def test_device_is_torchs_cpu_subset() -> None:
    cpu = tg.device("cpu")
    assert (cpu.type, cpu.index, str(cpu), repr(cpu)) == ("cpu", None, "cpu", "device(type='cpu')")
    zero = tg.device("cpu", 0)
    assert zero == tg.device("cpu:0") == tg.device(type="cpu", index=0) and zero.index == 0
    assert (str(zero), repr(zero)) == ("cpu:0", "device(type='cpu', index=0)")
    cuda = tg.device("cuda", 1)  # named freely, as in torch without a GPU; refused when used
    assert cuda == tg.device("cuda:1") and str(cuda) == "cuda:1" and cuda.type == "cuda"
    assert tg.device(cuda) == cuda and tg.device(cpu) is not cpu
    # torch's equality: same type and index, never a string; hashes agree with it
    assert cpu != zero and cpu != "cpu" and cpu != cuda and len({cpu, tg.device("cpu")}) == 1
    assert {cpu: 1}.get(tg.device("cpu")) == 1 and hash(zero) != hash(cpu)
    assert pickle.loads(pickle.dumps(zero)) == zero
    with pytest.raises(AttributeError):
        cpu.type = "cuda"  # type: ignore[misc]  # immutable, as torch's
    assert tg.tensor([1.0]).device == cpu and tg.zeros(2).device is tg.ones(1).device


def test_malformed_devices_are_refused_as_torch() -> None:
    for args, kind, message in [
        (("gpu",), RuntimeError, r"device\(\): expected one of cpu, cuda, .* string: gpu"),
        (("CPU",), RuntimeError, r"expected one of .*: CPU"),
        (("",), RuntimeError, r"device\(\): device string must not be empty"),
        (("cpu:x",), RuntimeError, r"device\(\): invalid device string: 'cpu:x'"),
        (("cpu:-1",), RuntimeError, r"invalid device string: 'cpu:-1'"),
        ((" cpu",), RuntimeError, r"invalid device string: ' cpu'"),
        (("cpu:0", 0), RuntimeError, r"must not include an index because index was passed"),
        (("cpu", -1), RuntimeError, r"device index must not be negative, got -1"),
        (("cpu", 1.0), TypeError, r"argument 'index' \(position 2\) must be int, not float"),
        (("cpu", True), TypeError, r"must be int, not bool"),
        ((tg.device("cpu"), 0), TypeError, r"expected a device string"),
        ((np.float32,), TypeError, r"expected a device string"),
        ((0,), RuntimeError, r"device\(\): .* there is no device 0 \(an accelerator\)"),
    ]:
        with pytest.raises(kind, match=message):
            tg.device(*args)


def test_devices_agree_with_torch() -> None:
    torch = pytest.importorskip("torch")
    for args in [("cpu",), ("cpu:0",), ("cpu", 0), ("cuda",), ("cuda:3",), ("mps", 1)]:
        ours, theirs = tg.device(*args), torch.device(*args)
        assert (ours.type, ours.index) == (theirs.type, theirs.index)
        assert (str(ours), repr(ours)) == (str(theirs), repr(theirs))
        assert tg.device(theirs) == ours  # torch's device converts
    assert (tg.device("cpu") == "cpu") is (torch.device("cpu") == "cpu") is False
    assert (tg.device("cpu") == tg.device("cpu", 0)) is (
        torch.device("cpu") == torch.device("cpu", 0)
    )
    for bad in ["gpu", "cpu:x", "", "cpu:-1", "cpu:01"]:
        with pytest.raises(RuntimeError):
            torch.device(bad)
        with pytest.raises(RuntimeError):
            tg.device(bad)
    x = tg.ones(2)
    assert (x.device.type, x.is_cuda) == (torch.ones(2).device.type, torch.ones(2).is_cuda)


# ----------------------------------------------------------------------------- to(device)


def test_tensors_and_modules_move_to_the_cpu_only() -> None:
    x = tg.ones(2)
    for cpu in _cpus()[1:]:
        assert x.to(cpu) is x and x.to(device=cpu) is x
        assert x.to(cpu, tg.float64).dtype == np.float64
        assert x.to(cpu, dtype=tg.float64).dtype == np.float64
    assert x.cpu() is x and x.is_cuda is False and x.device == tg.device("cpu")
    layer = nn.Linear(2, 2)
    for cpu in _cpus()[1:]:
        assert layer.to(cpu) is layer
    assert layer.to(tg.device("cpu"), tg.float64).weight.dtype == np.float64
    for cpu in _cpus():  # built on the CPU, as torch's layers take device= before dtype=
        assert nn.Linear(2, 3, True, cpu, tg.float64).weight.dtype == np.float64
    with pytest.raises(RuntimeError, match=r"^Linear\(\): .* no device 'cuda"):
        nn.Linear(2, 3, device="cuda")
    for other in ("cuda", tg.device("cuda", 1)):
        with pytest.raises(RuntimeError, match=r"^to\(\): .* no device 'cuda"):
            x.to(other)
        with pytest.raises(RuntimeError, match=r"^Linear\.to\(\): .* no device 'cuda"):
            layer.to(other)
    with pytest.raises(RuntimeError, match=r"^to\(\): invalid device string: 'cpu:x'"):
        x.to("cpu:x")
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match=r"no device 'cuda:0'"):
        x.to(torch.device("cuda:0"))
    assert layer.to(torch.device("cpu")) is layer


def test_the_torch_tutorials_opening_lines_run_unchanged() -> None:
    """pytorch.org's "Learning PyTorch with Examples" (tensors and autograd): y = sin x fitted
    by a cubic, its device and dtype named as torch code names them."""
    dtype = tg.float32
    device = tg.device("cpu")
    x = tg.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = tg.sin(x)
    a = tg.randn((), device=device, dtype=dtype, requires_grad=True)
    b = tg.randn((), device=device, dtype=dtype, requires_grad=True)
    c = tg.randn((), device=device, dtype=dtype, requires_grad=True)
    d = tg.randn((), device=device, dtype=dtype, requires_grad=True)
    losses = []
    for _ in range(20):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with tg.no_grad():
            for p in (a, b, c, d):
                assert p.grad is not None
                p -= 1e-6 * p.grad
                p.grad = None
    assert x.device == device and a.dtype == np.float32 and a.is_leaf
    assert losses[-1] < losses[0]


def test_the_tutorials_device_choice_picks_the_cpu() -> None:
    """The tutorials' device lines: ``torch.accelerator`` (today's) and ``torch.cuda`` (older
    ones) answer as torch's do without a GPU, so the code picks the CPU and runs on."""
    device = (
        tg.accelerator.current_accelerator().type  # type: ignore[union-attr]
        if tg.accelerator.is_available()
        else "cpu"
    )
    dev = tg.device("cuda") if tg.cuda.is_available() else tg.device("cpu")
    assert device == "cpu" and dev == tg.device("cpu")
    model = nn.Linear(2, 1).to(device)
    assert model(X.to(dev)).shape == (2, 1)
    assert tg.accelerator.current_accelerator(check_available=True) is None
    assert tg.accelerator.device_count() == 0 == tg.cuda.device_count()
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available() or torch.accelerator.is_available():
        pytest.skip("torch has an accelerator here: its answers differ from a CPU's")
    for name in ("is_available", "device_count"):
        assert getattr(tg.cuda, name)() == getattr(torch.cuda, name)()
        assert getattr(tg.accelerator, name)() == getattr(torch.accelerator, name)()
    assert torch.accelerator.current_accelerator() is None

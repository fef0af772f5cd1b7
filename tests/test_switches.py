"""torch's process-wide switches and device queries that torch code sets or asks, which must run
here unchanged: the reproducibility boilerplate (``torch.cuda.manual_seed_all``,
``torch.backends.cudnn.deterministic``, ``torch.use_deterministic_algorithms``), device choice
(``torch.backends.mps.is_available()``), ``torch.set_float32_matmul_precision``.

Each answers as torch does on a CPU machine without CUDA or MPS (checked against torch 2.13 where
it is installed), and setting a switch changes no number the library computes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg


@pytest.fixture(autouse=True)
def _restore() -> Iterator[None]:
    yield
    tg.use_deterministic_algorithms(False)
    tg.set_float32_matmul_precision("highest")
    tg.backends.cudnn.deterministic = False
    tg.backends.cudnn.benchmark = False
    try:
        import torch
    except ImportError:
        return
    torch.use_deterministic_algorithms(False)
    torch.set_float32_matmul_precision("highest")


def _train(seed: int) -> np.ndarray:
    """A few SGD steps of a small net: the numbers the switches must leave alone."""
    tg.manual_seed(seed)
    net = tg.nn.Sequential(tg.nn.Linear(4, 8), tg.nn.ReLU(), tg.nn.Linear(8, 3))
    opt = tg.optim.SGD(net.parameters(), lr=0.1)
    x, y = tg.randn(16, 4), tg.randint(0, 3, (16,))
    for _ in range(3):
        opt.zero_grad()
        tg.nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
    return np.concatenate([p.detach().numpy().ravel() for p in net.parameters()])


def test_reproducibility_boilerplate_runs_and_changes_no_number() -> None:
    before = _train(0)
    tg.cuda.manual_seed(0)
    tg.cuda.manual_seed_all(0)
    tg.cuda.seed()
    tg.cuda.seed_all()
    tg.backends.cudnn.deterministic = True
    tg.backends.cudnn.benchmark = False
    tg.use_deterministic_algorithms(True)
    assert tg.are_deterministic_algorithms_enabled()
    np.testing.assert_array_equal(_train(0), before)  # bit for bit
    assert not np.array_equal(_train(1), before)  # (the seed does matter)


def test_deterministic_flag_and_debug_mode_agree() -> None:
    assert not tg.are_deterministic_algorithms_enabled()
    assert tg.get_deterministic_debug_mode() == 0
    tg.use_deterministic_algorithms(True, warn_only=True)
    assert tg.are_deterministic_algorithms_enabled()
    assert tg.is_deterministic_algorithms_warn_only_enabled()
    assert tg.get_deterministic_debug_mode() == 1
    tg.set_deterministic_debug_mode("error")
    assert (
        tg.get_deterministic_debug_mode() == 2
        and not tg.is_deterministic_algorithms_warn_only_enabled()
    )
    tg.set_deterministic_debug_mode(0)
    assert not tg.are_deterministic_algorithms_enabled()


REFUSALS: dict[str, Callable[[Any], Any]] = {
    "mode not a bool": lambda m: m.use_deterministic_algorithms(1),
    "warn_only not a bool": lambda m: m.use_deterministic_algorithms(True, warn_only=1),
    "debug mode name": lambda m: m.set_deterministic_debug_mode("loud"),
    "debug mode number": lambda m: m.set_deterministic_debug_mode(3),
    "precision not a str": lambda m: m.set_float32_matmul_precision(1),
    "cuda initial_seed": lambda m: m.cuda.initial_seed(),
    "cuda current_device": lambda m: m.cuda.current_device(),
    "cuda synchronize": lambda m: m.cuda.synchronize(),
    "cuda get_device_name": lambda m: m.cuda.get_device_name(),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_refusals_are_torchs(name: str) -> None:
    with pytest.raises((TypeError, RuntimeError, AssertionError)) as ours:
        REFUSALS[name](tg)
    torch = pytest.importorskip("torch")
    if name.startswith("cuda") and torch.cuda.is_available():
        pytest.skip("torch here has CUDA")
    with pytest.raises(type(ours.value)):
        REFUSALS[name](torch)


def test_matmul_precision_is_stored_and_a_bad_name_warns() -> None:
    assert tg.get_float32_matmul_precision() == "highest"
    tg.set_float32_matmul_precision("medium")
    assert tg.get_float32_matmul_precision() == "medium"
    with pytest.warns(UserWarning, match="not one of 'highest', 'high', or 'medium'"):
        tg.set_float32_matmul_precision("HIGH")
    assert tg.get_float32_matmul_precision() == "medium"
    a = tg.randn(5, 7)
    np.testing.assert_array_equal((a @ a.T).numpy(), a.numpy() @ a.numpy().T)


QUERIES = [
    "cuda.is_available()",
    "cuda.device_count()",
    "cuda.is_initialized()",
    "cuda.is_bf16_supported()",
    "cuda.manual_seed(0)",
    "cuda.manual_seed_all(0)",
    "cuda.seed()",
    "cuda.seed_all()",
    "cuda.empty_cache()",
    "cuda.memory_allocated()",
    "cuda.max_memory_allocated()",
    "backends.cudnn.is_available()",
    "backends.cudnn.version()",
    "backends.cudnn.enabled",
    "backends.cudnn.deterministic",
    "backends.cudnn.benchmark",
    "backends.cudnn.allow_tf32",
    "backends.mps.is_available()",
    "backends.mps.is_built()",
    "backends.cuda.is_built()",
    "backends.cuda.matmul.allow_tf32",
    "backends.cuda.matmul.allow_fp16_reduced_precision_reduction",
    "are_deterministic_algorithms_enabled()",
    "is_deterministic_algorithms_warn_only_enabled()",
    "get_deterministic_debug_mode()",
    "get_float32_matmul_precision()",
]


@pytest.mark.parametrize("query", QUERIES)
def test_answers_are_torchs_without_a_gpu(query: str) -> None:
    ours = eval(f"tg.{query}")  # the table's own expressions
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available() or torch.backends.mps.is_available():
        pytest.skip("torch here has a GPU")
    assert ours == eval(f"torch.{query}")


def test_device_choice_of_the_tutorials_picks_the_cpu() -> None:
    device = (
        "cuda" if tg.cuda.is_available() else "mps" if tg.backends.mps.is_available() else "cpu"
    )
    assert device == "cpu"
    assert tg.ones(2, device=device).device == tg.device("cpu")


def test_backends_import_as_torchs_submodules() -> None:
    cudnn = importlib.import_module("tinygrad_ed.backends.cudnn")  # import torch.backends.cudnn
    assert cudnn is tg.backends.cudnn
    cudnn.benchmark = True
    assert tg.backends.cudnn.benchmark is True


def _modes(lib: Any) -> list[tuple[bool, bool]]:
    """(grad mode, inference mode) at the points torch code meets them."""
    seen = []
    with lib.no_grad(), lib.inference_mode(False):  # grad mode on, as torch's InferenceMode(false)
        seen.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
    with lib.inference_mode():
        seen.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
        with lib.inference_mode(False):
            seen.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
        seen.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
    seen.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))

    @lib.inference_mode()
    def inside() -> tuple[bool, bool]:
        return lib.is_grad_enabled(), lib.is_inference_mode_enabled()

    seen.append(inside())
    return seen


def test_inference_mode_flag_and_its_false_form() -> None:
    expected = [(True, False), (False, True), (True, False), (False, True), (True, False)]
    assert _modes(tg) == [*expected, (False, True)]
    with tg.inference_mode():
        w = tg.ones(2, requires_grad=True)
        assert (w * 2).grad_fn is None
        with tg.inference_mode(False):
            assert (w * 2).grad_fn is not None  # recorded again inside mode=False
    torch = pytest.importorskip("torch")
    assert _modes(tg) == _modes(torch)


def test_typename_and_default_device_are_torchs() -> None:
    assert tg.typename(tg.ones(2)) == "torch.FloatTensor"
    assert tg.typename(tg.ones(2, dtype=tg.int64)) == "torch.LongTensor"
    assert tg.typename(3) == "int" and tg.typename(None) == "NoneType"
    assert tg.typename(tg.nn.Linear(1, 1)).endswith(".Linear")
    assert tg.typename(tg.nn.Linear) == tg.typename(tg.nn.Linear(1, 1))
    assert tg.get_default_device() == tg.device("cpu")
    tg.set_default_device("cpu")
    tg.set_default_device(None)
    with pytest.raises(RuntimeError, match=r"set_default_device\(\).*no device 'cuda'"):
        tg.set_default_device("cuda")
    torch = pytest.importorskip("torch")
    for obj in (3, None, [1], len):
        assert tg.typename(obj) == torch.typename(obj)
    assert tg.typename(tg.ones(2, dtype=tg.float64)) == torch.typename(torch.ones(2).double())
    assert str(tg.get_default_device()) == str(torch.get_default_device())


def test_version_counts_writes_without_torch() -> None:
    """``_version`` (torch's values, tests/test_inplace_views.py compares them with torch's)."""
    x = tg.ones(2, 3)
    v = x[0]
    d = x.detach()
    assert x._version == v._version == d._version == 0
    v.add_(1)
    d.mul_(2)
    x[1] = 4.0
    assert x._version == v._version == d._version == 3
    assert (x + 1)._version == 0
    w = tg.nn.Parameter(tg.ones(2))
    opt = tg.optim.SGD([w], lr=0.1)
    for _ in range(4):
        (w * w).sum().backward()
        opt.step()
    assert w._version == 4  # one per step
    y = w * 2
    y.exp_()  # a written non-leaf: the count, and backward's refusal, both see it
    assert y._version == 1


def test_compile_returns_the_model_itself() -> None:
    net = tg.nn.Linear(3, 2)
    assert tg.compile(net) is net
    assert tg.compile(net, mode="max-autotune", fullgraph=True) is net

    @tg.compile
    def f(x: tg.Tensor) -> tg.Tensor:
        return (x * x).sum()

    @tg.compile(dynamic=True)
    def g(x: tg.Tensor) -> tg.Tensor:
        return (x * 3).sum()

    x = tg.tensor([1.0, 2.0], requires_grad=True)
    (f(x) + g(x)).backward()
    assert x.grad is not None and x.grad.tolist() == [5.0, 7.0]  # 2x + 3: eager, as before


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.compile(3),
        lambda m: m.compile(lambda x: x, mode="fast"),
        lambda m: m.compile(lambda x: x, mode="default", options={}),
    ],
)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # torch.compile's own imports
def test_compile_refusals_are_torchs(call: Callable[[Any], Any]) -> None:
    with pytest.raises((AssertionError, RuntimeError)) as ours:
        call(tg)
    torch = pytest.importorskip("torch")
    with pytest.raises(type(ours.value)):
        call(torch)


def _anomaly_story(lib: Any) -> list[Any]:
    seen = [lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
    with lib.autograd.set_detect_anomaly(True, check_nan=False):
        seen += [lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
    seen.append(lib.is_anomaly_enabled())
    lib.autograd.set_detect_anomaly(True)  # as a statement: on until turned off
    seen += [lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
    lib.autograd.set_detect_anomaly(False)
    seen.append(lib.is_anomaly_enabled())
    x = lib.tensor([0.0], requires_grad=True)
    for check_nan in (True, False):  # √'(0)·0 = ∞·0: nan in backward
        with lib.autograd.detect_anomaly(check_nan=check_nan):
            try:
                (x.sqrt() * 0).sum().backward()
                seen.append(("ran", bool(lib.isnan(x.grad).all())))
            except RuntimeError:
                seen.append("refused")
        x.grad = None
    return seen


def test_anomaly_switches_and_check_nan_are_torchs() -> None:
    ours = _anomaly_story(tg)
    assert ours == [False, True, True, False, False, True, True, False, "refused", ("ran", True)]
    torch = pytest.importorskip("torch")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's "Anomaly Detection has been enabled"
        assert ours == _anomaly_story(torch)

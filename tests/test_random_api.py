"""torch's random-number API: ``tg.Generator``, the global ``default_generator`` and
torch.random's functions of it, and every ``generator=`` taking a ``tg.Generator``.

The streams are numpy's (PCG64), not torch's, so no test compares drawn numbers with torch:
they check reproducibility (a seed gives the same draws, a state put back gives them again),
and, with torch installed, the seeds, state types, devices and refusals against torch 2.13.
"""

from __future__ import annotations

import copy
import inspect
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import data, nn


def _torch_or_none() -> Any:
    try:
        import torch
    except ImportError:
        return None
    return torch


# ----------------------------------------------------------------------------- tg.Generator


def test_a_new_generator_starts_at_torchs_fixed_seed() -> None:
    a, b = tg.Generator(), tg.Generator()
    assert a.initial_seed() == b.initial_seed() == 67280421310721
    assert np.array_equal(tg.randn(5, generator=a).numpy(), tg.randn(5, generator=b).numpy())
    torch = pytest.importorskip("torch")
    assert torch.Generator().initial_seed() == a.initial_seed()


def test_manual_seed_returns_the_generator_and_restarts_its_stream() -> None:
    g = tg.Generator()
    assert g.manual_seed(3) is g and g.initial_seed() == 3
    first = tg.rand(6, generator=g).numpy()
    assert not np.array_equal(first, tg.rand(6, generator=g).numpy())  # the stream moves on
    assert np.array_equal(first, tg.rand(6, generator=g.manual_seed(3)).numpy())
    # the stream is numpy's default_rng(seed): documented, and what a numpy Generator gives
    expected = np.random.default_rng(3).standard_normal(4).astype(np.float32)
    assert np.array_equal(tg.randn(4, generator=g.manual_seed(3)).numpy(), expected)


@pytest.mark.parametrize(
    ("seed", "stored"), [(0, 0), (-1, 2**64 - 1), (-(2**63), 2**63), (2**64 - 1, 2**64 - 1)]
)
def test_seeds_are_read_as_torch_reads_them(seed: int, stored: int) -> None:
    g = tg.Generator().manual_seed(seed)
    assert g.initial_seed() == stored
    assert tg.manual_seed(seed).initial_seed() == stored == tg.initial_seed()
    torch = pytest.importorskip("torch")
    assert torch.Generator().manual_seed(seed).initial_seed() == stored


@pytest.mark.parametrize(
    ("seed", "error"),
    [
        (1.5, RuntimeError),
        (True, RuntimeError),
        ("1", RuntimeError),
        (None, RuntimeError),
        (2**64, ValueError),
        (-(2**63) - 1, ValueError),
    ],
)
def test_generator_manual_seed_refuses_what_torch_refuses(seed: Any, error: type) -> None:
    with pytest.raises(error, match=r"^manual_seed\(\): seed must be"):
        tg.Generator().manual_seed(seed)
    torch = pytest.importorskip("torch")
    with pytest.raises(error):
        torch.Generator().manual_seed(seed)


def test_seed_is_fresh_and_nondeterministic() -> None:
    g = tg.Generator()
    seeds = {g.seed() for _ in range(4)}
    assert len(seeds) == 4 and all(isinstance(s, int) and 0 <= s < 2**64 for s in seeds)
    s = g.seed()
    assert g.initial_seed() == s
    a = tg.randn(3, generator=g).numpy()
    assert np.array_equal(a, tg.randn(3, generator=g.manual_seed(s)).numpy())


def test_get_state_and_set_state_round_trip_exactly() -> None:
    g = tg.Generator().manual_seed(11)
    tg.randn(7, generator=g)  # mid-stream, with numpy's 32-bit buffer possibly filled
    tg.randint(0, 10, (3,), generator=g)
    state = g.get_state()
    assert state.dtype == np.uint8 and state.shape == (48,) and not state.requires_grad
    after = [tg.randn(5, generator=g).numpy(), tg.randperm(9, generator=g).numpy()]
    g.manual_seed(99)
    assert g.set_state(state) is g and g.initial_seed() == 11  # the seed is part of the state
    again = [tg.randn(5, generator=g).numpy(), tg.randperm(9, generator=g).numpy()]
    assert all(np.array_equal(x, y) for x, y in zip(after, again))
    assert np.array_equal(g.set_state(state).get_state().numpy(), state.numpy())
    # another generator takes it too, and a state of the same 48 bytes in another shape
    h = tg.Generator().set_state(state.reshape(6, 8))
    assert np.array_equal(tg.randn(5, generator=h).numpy(), after[0])


def test_get_state_is_a_copy() -> None:
    g = tg.Generator().manual_seed(1)
    state = g.get_state()
    state.data[:] = 0
    assert g.get_state().numpy().any()


def test_set_state_refuses_what_is_not_a_state() -> None:
    g = tg.Generator()
    with pytest.raises(TypeError, match=r"set_state\(\): expected a uint8 Tensor .* list"):
        g.set_state([1, 2])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"set_state\(\): expected a uint8 Tensor .* ndarray"):
        g.set_state(g.get_state().numpy())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a uint8 Tensor, got dtype float32"):
        g.set_state(g.get_state().float())
    with pytest.raises(RuntimeError, match=r"of size 48 but found .* to be 3 \(shape \(3,\)\)"):
        g.set_state(tg.zeros(3, dtype=np.uint8))
    with pytest.raises(RuntimeError, match=r"not a state of a tg\.Generator"):
        g.set_state(tg.zeros(48, dtype=np.uint8))  # PCG64's increment is odd
    torch = pytest.importorskip("torch")
    t = torch.Generator()
    with pytest.raises(TypeError):
        t.set_state(t.get_state().float())
    with pytest.raises(RuntimeError, match="found the input RNG state size to be 3"):
        t.set_state(torch.zeros(3, dtype=torch.uint8))


def test_clone_state_deepcopy_and_pickle_keep_the_stream() -> None:
    copies: list[Callable[[tg.Generator], tg.Generator]] = [
        lambda g: g.clone_state(),
        copy.deepcopy,
        lambda g: pickle.loads(pickle.dumps(g)),
    ]
    for make in copies:
        g = tg.Generator().manual_seed(5)
        tg.rand(3, generator=g)
        other = make(g)
        assert other is not g and other.initial_seed() == 5
        assert np.array_equal(tg.rand(4, generator=other).numpy(), tg.rand(4, generator=g).numpy())


def test_generator_device_is_the_cpu() -> None:
    cpus: list[Any] = ["cpu", "cpu:0", tg.device("cpu")]
    torch = _torch_or_none()
    if torch is not None:
        cpus.append(torch.device("cpu"))
    for cpu in cpus:
        assert tg.Generator(cpu).device == tg.device("cpu")
        assert tg.Generator(device=cpu).device == tg.device("cpu")
    assert tg.Generator().device == tg.device("cpu")
    with pytest.raises(RuntimeError, match=r"^Generator\(\): .* there is no device 'cuda'"):
        tg.Generator("cuda")
    with pytest.raises(TypeError):
        tg.Generator("cpu", 1)  # type: ignore[call-arg]
    if torch is not None:
        assert str(torch.Generator("cpu:0").device) == str(tg.Generator("cpu:0").device) == "cpu"


# ----------------------------------------------------------------------------- the global one


def test_the_global_generator_is_default_generator() -> None:
    assert tg.default_generator is tg.random.default_generator
    assert isinstance(tg.default_generator, tg.Generator)
    assert tg.manual_seed(4) is tg.default_generator and tg.initial_seed() == 4
    a = tg.randn(5).numpy()  # no generator: the global one
    assert np.array_equal(a, tg.randn(5, generator=tg.Generator().manual_seed(4)).numpy())


def test_global_state_round_trips_and_covers_every_random_op() -> None:
    tg.manual_seed(8)
    state = tg.get_rng_state()
    assert state.dtype == np.uint8 and state.shape == (48,)

    def draws() -> list[np.ndarray]:
        x = tg.ones(50, 4)
        return [
            tg.rand(3).numpy(),
            nn.functional.dropout(x, 0.5).numpy(),
            tg.empty(4).normal_().numpy(),
            nn.init.kaiming_uniform_(tg.empty(3, 2)).numpy(),
            np.array(list(data.RandomSampler(range(10)))),
        ]

    first = draws()
    tg.seed()
    assert tg.set_rng_state(state) is None and tg.initial_seed() == 8
    assert all(np.array_equal(x, y) for x, y in zip(first, draws()))


def test_seed_reseeds_the_global_generator() -> None:
    s = tg.seed()
    assert tg.initial_seed() == s and 0 <= s < 2**64
    a = tg.rand(3).numpy()
    tg.manual_seed(s)
    assert np.array_equal(a, tg.rand(3).numpy())


def test_module_manual_seed_keeps_its_checks() -> None:
    with pytest.raises(TypeError, match=r"manual_seed\(\): seed must be an int"):
        tg.manual_seed(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seed must be in"):
        tg.random.manual_seed(2**64)


def test_fork_rng_puts_the_global_state_back() -> None:
    tg.manual_seed(2)
    expected = tg.rand(4).numpy()
    tg.manual_seed(2)
    with tg.random.fork_rng():
        tg.randn(10)
        tg.manual_seed(123)
        tg.rand(2)
    assert np.array_equal(tg.rand(4).numpy(), expected) and tg.initial_seed() == 2
    with tg.random.fork_rng(devices=[], enabled=False):
        tg.manual_seed(9)
    assert tg.initial_seed() == 9  # not forked
    with (
        pytest.raises(RuntimeError, match=r"fork_rng\(\): .* no devices \[0\]"),
        tg.random.fork_rng(devices=[0]),
    ):
        pass


def test_torch_random_names_are_here() -> None:
    torch = pytest.importorskip("torch")
    for name in torch.random.__all__:
        assert callable(getattr(tg.random, name)), name
    assert tg.random.thread_safe_generator() is None is torch.random.thread_safe_generator()
    for name in ("Generator", "default_generator", "seed", "initial_seed", "manual_seed"):
        assert name in tg.__all__ and hasattr(torch, name)
    for name in ("get_rng_state", "set_rng_state"):
        assert name in tg.__all__ and getattr(tg, name) is getattr(tg.random, name)
    fork = inspect.signature(tg.random.fork_rng).parameters
    assert list(fork) == list(inspect.signature(torch.random.fork_rng).parameters)


# ----------------------------------------------------------------------------- generator=

X = tg.tensor([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
W = tg.tensor([0.1, 0.5, 0.2, 0.2])
DATASET = data.TensorDataset(tg.arange(10))

# Every function and method that takes generator=, called with one.
GENERATOR_CALLS: dict[str, Callable[[Any], Any]] = {
    "rand": lambda g: tg.rand(2, 3, generator=g),
    "randn": lambda g: tg.randn(4, generator=g),
    "randint": lambda g: tg.randint(0, 100, (5,), generator=g),
    "randperm": lambda g: tg.randperm(10, generator=g),
    "multinomial": lambda g: tg.multinomial(W, 3, generator=g),
    "rand_like": lambda g: tg.rand_like(X, generator=g),
    "randn_like": lambda g: tg.randn_like(X, generator=g),
    "randint_like": lambda g: tg.randint_like(X, 10, generator=g),
    "bernoulli": lambda g: tg.bernoulli(tg.full((20,), 0.5), generator=g),
    "rrelu": lambda g: tg.rrelu(X, training=True, generator=g),
    "rrelu_": lambda g: tg.rrelu_(X.clone(), training=True, generator=g),
    "normal": lambda g: tg.normal(X, X.abs(), generator=g),
    "poisson": lambda g: tg.poisson(X.abs() * 3, g),
    "binomial": lambda g: tg.binomial(tg.full((2, 3), 7.0), X.sigmoid(), g),
    "Tensor.multinomial": lambda g: W.multinomial(3, True, generator=g),
    "Tensor.bernoulli": lambda g: tg.full((20,), 0.5).bernoulli(generator=g),
    "Tensor.bernoulli_": lambda g: tg.empty(20).bernoulli_(0.5, generator=g),
    "Tensor.uniform_": lambda g: tg.empty(5).uniform_(generator=g),
    "Tensor.normal_": lambda g: tg.empty(5).normal_(generator=g),
    "Tensor.log_normal_": lambda g: tg.empty(5).log_normal_(generator=g),
    "Tensor.exponential_": lambda g: tg.empty(5).exponential_(generator=g),
    "Tensor.cauchy_": lambda g: tg.empty(5).cauchy_(generator=g),
    "Tensor.geometric_": lambda g: tg.empty(5).geometric_(0.3, generator=g),
    "Tensor.random_": lambda g: tg.empty(5).random_(0, 100, generator=g),
    "init.uniform_": lambda g: nn.init.uniform_(tg.empty(2, 3), generator=g),
    "init.normal_": lambda g: nn.init.normal_(tg.empty(2, 3), generator=g),
    "init.trunc_normal_": lambda g: nn.init.trunc_normal_(tg.empty(2, 3), generator=g),
    "init.xavier_uniform_": lambda g: nn.init.xavier_uniform_(tg.empty(2, 3), generator=g),
    "init.xavier_normal_": lambda g: nn.init.xavier_normal_(tg.empty(2, 3), generator=g),
    "init.kaiming_uniform_": lambda g: nn.init.kaiming_uniform_(tg.empty(2, 3), generator=g),
    "init.kaiming_normal_": lambda g: nn.init.kaiming_normal_(tg.empty(2, 3), generator=g),
    "init.orthogonal_": lambda g: nn.init.orthogonal_(tg.empty(3, 3), generator=g),
    "init.sparse_": lambda g: nn.init.sparse_(tg.empty(4, 3), 0.5, generator=g),
    "random_split": lambda g: [s.indices for s in data.random_split(DATASET, [4, 6], g)],
    "RandomSampler": lambda g: list(data.RandomSampler(DATASET, generator=g)),
    "WithReplacementSampler": lambda g: list(data.WithReplacementSampler(10, generator=g)),
    "SubsetRandomSampler": lambda g: list(data.SubsetRandomSampler(range(10), generator=g)),
    "WeightedRandomSampler": lambda g: list(data.WeightedRandomSampler(W, 8, generator=g)),
    "DataLoader": lambda g: [b[0] for b in data.DataLoader(DATASET, 3, True, generator=g)],
}


def _flat(value: Any) -> np.ndarray:
    if isinstance(value, tg.Tensor):
        return value.numpy().ravel()
    if isinstance(value, (list, tuple)):
        parts = [_flat(v) for v in value]
        return np.concatenate(parts) if parts else np.zeros(0)
    return np.asarray(value, dtype=np.float64).ravel()


def test_the_table_names_everything_that_takes_a_generator() -> None:
    found = set()
    for prefix, owner, names in (
        ("", tg, tg.__all__),
        ("Tensor.", tg.Tensor, [n for n in dir(tg.Tensor) if not n.startswith("_")]),
        ("init.", nn.init, [n for n in nn.init.__all__ if n.endswith("_")]),
        ("", data, data.__all__),
    ):
        for name in names:
            fn = getattr(owner, name)
            try:
                params = inspect.signature(fn).parameters
            except (TypeError, ValueError):
                continue
            if "generator" in params:
                found.add(prefix + name)
    assert found == set(GENERATOR_CALLS)


@pytest.mark.parametrize("name", sorted(GENERATOR_CALLS))
def test_every_generator_argument_takes_a_tg_generator(name: str) -> None:
    call = GENERATOR_CALLS[name]
    g = tg.Generator().manual_seed(21)
    tg.manual_seed(0)
    first = _flat(call(g))
    assert np.array_equal(first, _flat(call(g.manual_seed(21))))  # the seed, not the global
    tg.manual_seed(0)
    assert np.array_equal(first, _flat(call(tg.Generator().manual_seed(21))))
    # a numpy Generator is still taken: the same PCG64 stream as a tg.Generator of that seed
    assert np.array_equal(first, _flat(call(np.random.default_rng(21))))


def test_a_sampler_holding_a_generator_sees_it_reseeded() -> None:
    g = tg.Generator().manual_seed(1)
    sampler = data.RandomSampler(range(20), generator=g)
    first = list(sampler)
    g.manual_seed(1)  # as with torch: the sampler holds the generator, not a copy of it
    assert list(sampler) == first


def test_a_generator_of_another_kind_is_refused_naming_the_op() -> None:
    with pytest.raises(TypeError, match=r"^randn\(\): generator must be a tg.Generator or a"):
        tg.randn(3, generator=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^rrelu\(\): generator must be"):
        tg.rrelu(X, training=True, generator="a")


# ------------------------------------------------------------------ normal, poisson, binomial


def _t(lib: Any, values: Any, dtype: str | None = None, requires_grad: bool = False) -> Any:
    """A tensor of ``values`` in either library (dtype by numpy's name)."""
    if lib is tg:
        array = np.asarray(values, dtype=dtype) if dtype else values
        return tg.tensor(array, requires_grad=requires_grad)
    d = getattr(lib, dtype) if dtype else None
    return lib.tensor(values, dtype=d, requires_grad=requires_grad)


def _dt(lib: Any, name: str) -> Any:
    return np.dtype(name) if lib is tg else getattr(lib, name)


COL, ROW = [[0.0], [1.0], [2.0]], [1.0, 2.0, 3.0, 4.0]

# Calls that both libraries accept: the result's shape, dtype and requires_grad must agree.
SAMPLING: dict[str, Callable[[Any], Any]] = {
    "normal(T, T) broadcast": lambda L: L.normal(_t(L, COL, "float64"), _t(L, ROW, "float64")),
    "normal(T, T) mean's dtype": lambda L: L.normal(_t(L, [0.0]), _t(L, [1.0], "float64")),
    "normal(T f64, T f32)": lambda L: L.normal(_t(L, [0.0], "float64"), _t(L, [1.0])),
    "normal(T, int T)": lambda L: L.normal(_t(L, [0.0, 1.0]), _t(L, [1, 2])),
    "normal(T)": lambda L: L.normal(_t(L, [[0.0, 1.0]])),
    "normal(mean=T)": lambda L: L.normal(mean=_t(L, [0.0, 1.0], "float16")),
    "normal(T, float)": lambda L: L.normal(_t(L, [0.0, 1.0], "float64"), 2.0),
    "normal(float, T)": lambda L: L.normal(1.0, _t(L, [1.0, 2.0], "float64")),
    "normal(0-d, 0-d)": lambda L: L.normal(_t(L, 0.0), _t(L, 1.0)),
    "normal(0-d, T)": lambda L: L.normal(_t(L, 0.0), _t(L, ROW)),
    "normal(empty)": lambda L: L.normal(_t(L, [[]]), 1.0),
    "normal(T, inf)": lambda L: L.normal(_t(L, [0.0]), float("inf")),
    "normal(T, 0)": lambda L: L.normal(_t(L, [0.0]), 0.0),
    "normal(f, f, size)": lambda L: L.normal(0.0, 1.0, (2, 3)),
    "normal(f, f, list)": lambda L: L.normal(2, 3, size=[1, 4]),
    "normal(f, f, ())": lambda L: L.normal(0.0, 1.0, ()),
    "normal dtype": lambda L: L.normal(0.0, 1.0, (2,), dtype=_dt(L, "float64")),
    "normal requires_grad": lambda L: L.normal(0.0, 1.0, (2,), requires_grad=True),
    "normal rg mean": lambda L: L.normal(_t(L, [0.0, 1.0], requires_grad=True), 1.0),
    "normal rg std": lambda L: L.normal(0.0, _t(L, [1.0, 2.0], requires_grad=True)),
    "poisson": lambda L: L.poisson(_t(L, [[1.0, 2.0], [0.0, 30.0]], "float64")),
    "poisson float16": lambda L: L.poisson(_t(L, [1.0, 2.0], "float16")),
    "poisson 0-d": lambda L: L.poisson(_t(L, 3.0)),
    "poisson empty": lambda L: L.poisson(_t(L, [])),
    "poisson rg": lambda L: L.poisson(_t(L, [1.0, 2.0], requires_grad=True)),
    "binomial": lambda L: L.binomial(_t(L, [10.0, 5.0], "float64"), _t(L, [0.5, 0.2], "float64")),
    "binomial broadcast": lambda L: L.binomial(_t(L, [[5.0], [3.0], [1.0]]), _t(L, ROW) / 4),
    "binomial 0-d": lambda L: L.binomial(_t(L, 5.0), _t(L, 0.5)),
    "binomial rg": lambda L: L.binomial(_t(L, [3.0]), _t(L, [0.5], requires_grad=True)),
}

# Calls both refuse, with the exception class torch raises (OpError is also a RuntimeError, a
# NotImplementedError is one too) and a piece of the message here, which names the op.
REFUSED: dict[str, tuple[Callable[[Any], Any], type, str]] = {
    "normal no size": (lambda L: L.normal(0.0, 1.0), TypeError, "give size"),
    "normal int size": (lambda L: L.normal(0.0, 1.0, 5), TypeError, "give size"),
    "normal T and size": (lambda L: L.normal(_t(L, [0.0]), 1.0, (2,)), TypeError, "number mean"),
    "normal T and dtype": (
        lambda L: L.normal(_t(L, [0.0]), 1.0, dtype=_dt(L, "float64")),
        TypeError,
        "number mean",
    ),
    "normal str mean": (lambda L: L.normal("a", 1.0, (2,)), TypeError, "'mean' must be"),
    "normal std < 0": (lambda L: L.normal(0.0, -1.0, (2,)), RuntimeError, "std >= 0.0"),
    "normal nan std": (lambda L: L.normal(0.0, float("nan"), (2,)), RuntimeError, "std >= 0"),
    "normal T, std < 0": (lambda L: L.normal(_t(L, [0.0]), -1.0), RuntimeError, "found std -1"),
    "normal T std < 0": (
        lambda L: L.normal(_t(L, [0.0, 0.0]), _t(L, [1.0, -1.0])),
        RuntimeError,
        r"all elements of std >= 0\.0, but std \(shape \(2,\)\) holds -1",
    ),
    "normal T nan std": (
        lambda L: L.normal(0.0, _t(L, [1.0, float("nan")])),
        RuntimeError,
        "holds nan",
    ),
    "normal shapes": (
        lambda L: L.normal(_t(L, [0.0, 0.0]), _t(L, [1.0, 1.0, 1.0])),
        RuntimeError,
        r"shapes \(2,\) and \(3,\) do not broadcast",
    ),
    "normal int mean": (
        lambda L: L.normal(_t(L, [0, 0]), _t(L, [1.0, 1.0])),
        NotImplementedError,
        "not implemented for int64",
    ),
    "normal int std": (lambda L: L.normal(0.0, _t(L, [1, 1])), NotImplementedError, "int64"),
    "poisson number": (lambda L: L.poisson(1.0), TypeError, "'input' must be Tensor"),
    "poisson < 0": (lambda L: L.poisson(_t(L, [1.0, -1.0])), RuntimeError, "non-negative"),
    "poisson nan": (lambda L: L.poisson(_t(L, [float("nan")])), RuntimeError, "holds nan"),
    "poisson int": (lambda L: L.poisson(_t(L, [1, 2])), NotImplementedError, "int64"),
    "poisson bool": (lambda L: L.poisson(_t(L, [True])), NotImplementedError, "bool"),
    "binomial int count": (
        lambda L: L.binomial(_t(L, [5]), _t(L, [0.5])),
        ValueError,
        "floating-point dtypes are supported for count, got int64",
    ),
    "binomial int prob": (lambda L: L.binomial(_t(L, [5.0]), _t(L, [1])), ValueError, "prob"),
    "binomial dtypes": (
        lambda L: L.binomial(_t(L, [5.0], "float64"), _t(L, [0.5])),
        RuntimeError,
        "same dtype, got float64 and float32",
    ),
    "binomial float16": (
        lambda L: L.binomial(_t(L, [5.0], "float16"), _t(L, [0.5], "float16")),
        NotImplementedError,
        "float16",
    ),
    "binomial number prob": (
        lambda L: L.binomial(_t(L, [5.0]), 0.5),
        TypeError,
        "'prob' must be Tensor",
    ),
    "binomial shapes": (
        lambda L: L.binomial(_t(L, [5.0, 5.0]), _t(L, [0.5, 0.5, 0.5])),
        RuntimeError,
        r"shapes \(2,\) and \(3,\) do not broadcast",
    ),
}

# Refused here, where torch returns values outside the distribution (or hangs, for a nan
# count): torch's binomial clamps a prob beyond [0, 1] and reads a negative count as 0.
REFUSED_HERE: dict[str, tuple[Callable[[], Any], str]] = {
    "prob > 1": (lambda: tg.binomial(tg.tensor([5.0]), tg.tensor([1.5])), r"prob in \[0, 1\]"),
    "prob < 0": (lambda: tg.binomial(tg.tensor([5.0]), tg.tensor([-0.1])), "holds -0.1"),
    "nan prob": (lambda: tg.binomial(tg.tensor([5.0]), tg.tensor([np.nan])), "holds nan"),
    "count < 0": (lambda: tg.binomial(tg.tensor([-5.0]), tg.tensor([0.5])), "whole numbers"),
    "count 2.5": (lambda: tg.binomial(tg.tensor([2.5]), tg.tensor([0.5])), "holds 2.5"),
    "count inf": (lambda: tg.binomial(tg.tensor([np.inf]), tg.tensor([0.5])), "holds inf"),
    "count nan": (lambda: tg.binomial(tg.tensor([np.nan]), tg.tensor([0.5])), "holds nan"),
    "poisson inf": (lambda: tg.poisson(tg.tensor([1.0, np.inf])), "too large"),
    "poisson 1e19": (lambda: tg.poisson(tg.tensor([1e19])), "must fit an int64"),
}


@pytest.mark.parametrize("name", sorted(SAMPLING))
@pytest.mark.filterwarnings("ignore:An output with one or more elements was resized")  # torch's
def test_sampling_shapes_and_dtypes(name: str) -> None:
    out = SAMPLING[name](tg)
    assert isinstance(out, tg.Tensor) and out.data.dtype.kind == "f"
    torch = pytest.importorskip("torch")
    expected = SAMPLING[name](torch)
    assert out.shape == tuple(expected.shape)
    assert str(out.dtype) == str(expected.dtype).removeprefix("torch.")
    assert out.requires_grad == expected.requires_grad


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_sampling_refusals(name: str) -> None:
    call, error, message = REFUSED[name]
    op = name.split()[0]
    with pytest.raises(error, match=rf"^{op}\(\): .*{message}"):
        call(tg)
    torch = pytest.importorskip("torch")
    with pytest.raises(error):
        call(torch)


@pytest.mark.parametrize("name", sorted(REFUSED_HERE))
def test_binomial_and_poisson_refuse_parameters_outside_the_domain(name: str) -> None:
    call, message = REFUSED_HERE[name]
    with pytest.raises(RuntimeError, match=message):
        call()


def test_normal_takes_only_the_cpu_and_float_dtypes() -> None:
    with pytest.raises(RuntimeError, match=r"^normal\(\): .* no device 'cuda'"):
        tg.normal(0.0, 1.0, (2,), device="cuda")
    with pytest.raises(TypeError, match=r"^normal\(\): random samples need a floating dtype"):
        tg.normal(0.0, 1.0, (2,), dtype=np.int64)
    with pytest.raises(RuntimeError, match=r"^normal\(\): negative dimension"):
        tg.normal(0.0, 1.0, (-1,))


def test_normal_moments_per_element() -> None:
    g = tg.Generator().manual_seed(0)
    mean = tg.tensor(np.array([[-3.0], [0.0], [10.0]]))
    std = tg.tensor(np.array([0.5, 1.0, 4.0]))
    draws = np.stack([tg.normal(mean, std, generator=g).numpy() for _ in range(4000)])
    assert draws.shape == (4000, 3, 3)
    m, s = mean.numpy(), std.numpy()
    se = s / np.sqrt(4000)  # the standard error of each sample mean: 5 of them apart at most
    assert np.all(np.abs(draws.mean(0) - m) < 5 * se)
    assert np.allclose(draws.std(0), np.broadcast_to(s, (3, 3)), rtol=0.06)
    one = tg.normal(2.0, 3.0, (200_000,), generator=g, dtype=np.float64).numpy()
    assert abs(one.mean() - 2.0) < 5 * 3.0 / np.sqrt(len(one))
    assert abs(one.std() - 3.0) < 0.03
    assert np.array_equal(tg.normal(mean, 0.0).numpy(), np.broadcast_to(m, (3, 1)))


def test_poisson_moments_and_edges() -> None:
    g = tg.Generator().manual_seed(1)
    rates = np.array([0.0, 0.3, 4.0, 250.0])
    draws = np.stack([tg.poisson(tg.tensor(rates), g).numpy() for _ in range(5000)])
    assert np.array_equal(draws, np.round(draws)) and draws.min() >= 0
    assert np.all(draws[:, 0] == 0)  # a rate of 0 draws 0 only
    se = np.sqrt(rates[1:] / 5000)
    assert np.all(np.abs(draws[:, 1:].mean(0) - rates[1:]) < 5 * se)
    assert np.allclose(draws[:, 1:].var(0), rates[1:], rtol=0.08)


def test_binomial_moments_and_edges() -> None:
    g = tg.Generator().manual_seed(2)
    n = np.array([[0.0], [1.0], [20.0], [1000.0]])
    p = np.array([0.0, 0.25, 1.0])
    draws = np.stack(
        [tg.binomial(tg.tensor(n), tg.tensor(p), generator=g).numpy() for _ in range(4000)]
    )
    assert draws.shape == (4000, 4, 3) and np.array_equal(draws, np.round(draws))
    assert np.all((draws >= 0) & (draws <= n))
    assert np.all(draws[:, :, 0] == 0)  # p = 0 and p = 1 are certain
    assert np.array_equal(draws[:, :, 2], np.broadcast_to(n[:, 0], (4000, 4)))
    nq = n[1:, 0]
    mean, var = nq * 0.25, nq * 0.25 * 0.75
    assert np.all(np.abs(draws[:, 1:, 1].mean(0) - mean) < 5 * np.sqrt(var / 4000))
    assert np.allclose(draws[:, 1:, 1].var(0), var, rtol=0.08)


def test_sampling_is_reproducible_from_a_seed() -> None:
    rates, prob = tg.tensor([1.0, 5.0, 9.0]), tg.tensor([0.1, 0.5, 0.9])

    def draws() -> list[np.ndarray]:
        return [
            tg.normal(rates, prob).numpy(),
            tg.normal(1.0, rates).numpy(),
            tg.normal(0.0, 2.0, (4,)).numpy(),
            tg.poisson(rates).numpy(),
            tg.binomial(rates.round(), prob).numpy(),
        ]

    tg.manual_seed(5)
    first = draws()
    tg.manual_seed(5)
    assert all(np.array_equal(a, b) for a, b in zip(first, draws()))


def test_normal_and_poisson_gradients_are_zero_as_torchs() -> None:
    """torch's rule is a zero gradient for every parameter (no reparameterisation): summed
    back to each parameter's shape and dtype, and zero again under create_graph."""
    mean = tg.tensor(np.zeros((3, 1)), requires_grad=True)
    std = tg.tensor(np.ones(4, dtype=np.float32), requires_grad=True)
    y = tg.normal(mean, std)
    assert y.dtype == np.float64 and y.shape == (3, 4)
    (y * y).sum().backward()
    assert mean.grad is not None and std.grad is not None
    assert mean.grad.shape == (3, 1) and mean.grad.dtype == np.float64
    assert std.grad.shape == (4,) and std.grad.dtype == np.float32
    assert not mean.grad.numpy().any() and not std.grad.numpy().any()
    m = tg.zeros(2, requires_grad=True)
    (grad,) = tg.autograd.grad(tg.normal(m, 2.0).sum(), m, create_graph=True)
    assert not grad.numpy().any()
    rates = tg.tensor([1.0, 4.0], requires_grad=True)
    (tg.poisson(rates) * rates).sum().backward()  # the product's rule alone: x̄ = the draws
    assert rates.grad is not None
    with tg.no_grad():
        assert not tg.normal(m, 1.0).requires_grad and not tg.poisson(rates).requires_grad
    torch = pytest.importorskip("torch")
    tm = torch.zeros((3, 1), dtype=torch.float64, requires_grad=True)
    ts = torch.ones(4, requires_grad=True)
    (torch.normal(tm, ts) ** 2).sum().backward()
    assert tm.grad is not None and ts.grad is not None
    assert not tm.grad.any() and not ts.grad.any() and ts.grad.dtype == torch.float32
    tr = torch.tensor([1.0, 4.0], requires_grad=True)
    draws = torch.poisson(tr)
    (draws * tr).sum().backward()
    assert tr.grad is not None and torch.equal(tr.grad, draws.detach())


def test_poissons_gradient_is_the_draws_through_a_product() -> None:
    rates = tg.tensor([1.0, 4.0, 9.0], requires_grad=True)
    g = tg.Generator().manual_seed(3)
    draws = tg.poisson(rates, g)
    (draws * rates).sum().backward()
    assert rates.grad is not None
    assert np.array_equal(rates.grad.numpy(), draws.detach().numpy())


@pytest.mark.parametrize("which", ["count", "prob", "both"])
def test_binomial_backward_raises_as_torchs(which: str) -> None:
    def run(lib: Any) -> Any:
        count = _t(lib, [10.0, 5.0], "float64", requires_grad=which in ("count", "both"))
        prob = _t(lib, [0.5, 0.2], "float64", requires_grad=which in ("prob", "both"))
        out = lib.binomial(count, prob)
        assert out.requires_grad
        out.sum().backward()

    with pytest.raises(NotImplementedError, match="the derivative for 'binomial' is not"):
        run(tg)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="derivative for aten::binomial is not implemented"):
        run(torch)


def test_binomial_is_a_constant_beside_a_differentiable_path() -> None:
    prob = tg.tensor([0.5, 0.2], requires_grad=True)
    draws = tg.binomial(tg.tensor([3.0, 7.0]), prob, tg.Generator().manual_seed(4))
    (draws.detach() * prob).sum().backward()
    assert prob.grad is not None and np.array_equal(prob.grad.numpy(), draws.detach().numpy())
    with tg.no_grad():
        assert not tg.binomial(tg.tensor([3.0]), prob[:1]).requires_grad

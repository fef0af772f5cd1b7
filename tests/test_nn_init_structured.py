"""nn.init's structured and truncated fills: eye_, dirac_, orthogonal_, sparse_, trunc_normal_,
and torch's deprecated names without the underscore.

Each fill is checked by the property it exists for (identity, a convolution passing its input
through, QᵀQ = gain²·I, zeros per column, values inside [a, b] distributed as the truncated
normal), by seeded reproducibility, and, where PyTorch is installed, against torch's names,
errors and distributions. Our random streams are numpy's, so distributions are compared (by
Kolmogorov–Smirnov bounds), never values.
"""

from __future__ import annotations

import inspect
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.nn import init

# A Kolmogorov–Smirnov distance above this has probability below 0.1% under the null (Smirnov's
# asymptotic 1.95/√n); the draws are seeded, so a pass is reproducible, not lucky.
KS_ALPHA = 1.95


def _ks_one(x: np.ndarray, cdf: Callable[[np.ndarray], np.ndarray]) -> float:
    """sup |F_n − F| of a sample against a continuous CDF."""
    x = np.sort(x)
    f = cdf(x)
    n = len(x)
    return float(max((np.arange(1, n + 1) / n - f).max(), (f - np.arange(n) / n).max()))


def _ks_two(x: np.ndarray, y: np.ndarray) -> float:
    """sup |F_x − F_y| of two samples."""
    grid = np.concatenate([x, y])
    fx = np.searchsorted(np.sort(x), grid, side="right") / len(x)
    fy = np.searchsorted(np.sort(y), grid, side="right") / len(y)
    return float(np.abs(fx - fy).max())


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


# ----------------------------------------------------------------------------- names


def test_every_public_name_of_torch_nn_init_exists() -> None:
    torch = pytest.importorskip("torch")
    assert set(init.__all__) == set(torch.nn.init.__all__)
    for name in torch.nn.init.__all__:
        assert callable(getattr(init, name)), name


def test_signatures_are_torchs() -> None:
    """Parameter names, order, kinds and defaults (torch's deprecated names take ``*args,
    **kwargs``; ours show the underscore form's signature)."""
    torch = pytest.importorskip("torch")
    for name in torch.nn.init.__all__:
        if name.endswith("_") or name == "calculate_gain":
            ours = inspect.signature(getattr(init, name)).parameters.values()
            theirs = inspect.signature(getattr(torch.nn.init, name)).parameters.values()
            assert [(p.name, p.kind, p.default) for p in ours] == [
                (p.name, p.kind, p.default) for p in theirs
            ], name


DEPRECATED: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("uniform", (), {"generator": True}),
    ("normal", (), {"generator": True}),
    ("constant", (0.5,), {}),
    ("eye", (), {}),
    ("dirac", (), {}),
    ("xavier_uniform", (), {"generator": True}),
    ("xavier_normal", (), {"generator": True}),
    ("kaiming_uniform", (), {"generator": True}),
    ("kaiming_normal", (), {"generator": True}),
    ("orthogonal", (), {"generator": True}),
    ("sparse", (0.5,), {"generator": True}),
]


def _shape_for(name: str) -> tuple[int, ...]:
    return (4, 2, 3) if name == "dirac" else (4, 3)


@pytest.mark.parametrize(("name", "args", "kw"), DEPRECATED)
def test_deprecated_names_warn_and_call_the_underscore_form(
    name: str, args: tuple[Any, ...], kw: dict[str, Any]
) -> None:
    def call(fn: Callable[..., tg.Tensor]) -> tg.Tensor:
        w = tg.zeros(*_shape_for(name), dtype=tg.float64)
        return fn(w, *args, **{k: _rng(3) for k in kw})

    message = f"`nn.init.{name}` is now deprecated in favor of `nn.init.{name}_`."
    with pytest.warns(FutureWarning, match=message.replace(".", r"\.")):
        old = call(getattr(init, name))
    np.testing.assert_array_equal(old.numpy(), call(getattr(init, name + "_")).numpy())
    assert getattr(init, name).__name__ == name


def test_deprecation_messages_are_torchs() -> None:
    torch = pytest.importorskip("torch")
    for name, args, _ in DEPRECATED:
        seen = []
        for lib, w in ((torch, torch.zeros(*_shape_for(name))), (tg, tg.zeros(*_shape_for(name)))):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                getattr(lib.nn.init, name)(w, *args)
            seen.append([(c.category, str(c.message)) for c in caught])
        assert seen[0] == seen[1], name


# ----------------------------------------------------------------------------- eye_ and dirac_


@given(
    rows=st.integers(0, 6),
    cols=st.integers(0, 6),
    dtype=st.sampled_from(["float32", "float64", "int64", "bool"]),
)
def test_eye_is_the_identity_on_the_leading_square(rows: int, cols: int, dtype: str) -> None:
    w = tg.full((rows, cols), 7 if dtype != "bool" else False, dtype=dtype)
    assert init.eye_(w) is w
    assert w.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(w.numpy(), np.eye(rows, cols, dtype=dtype))


def test_eye_makes_a_linear_pass_its_inputs_through() -> None:
    lin = nn.Linear(5, 3, bias=False)
    init.eye_(lin.weight)
    x = tg.randn(4, 5)
    np.testing.assert_array_equal(lin(x).detach().numpy(), x.numpy()[:, :3])


@pytest.mark.parametrize("dims", [1, 2, 3])
@pytest.mark.parametrize(
    ("groups", "out_per_group", "in_per_group"), [(1, 3, 3), (1, 2, 4), (2, 3, 2), (3, 1, 2)]
)
def test_dirac_makes_a_convolution_pass_its_input_through(
    dims: int, groups: int, out_per_group: int, in_per_group: int
) -> None:
    kernel = (3, 1, 5)[:dims]
    w = tg.randn(groups * out_per_group, in_per_group, *kernel)
    assert init.dirac_(w, groups=groups) is w
    x = tg.randn(2, groups * in_per_group, *(4,) * dims)
    conv = (F.conv1d, F.conv2d, F.conv3d)[dims - 1]
    y = conv(x, w, padding=tuple(k // 2 for k in kernel), groups=groups).numpy()
    kept = min(out_per_group, in_per_group)
    for g in range(groups):
        outs = y[:, g * out_per_group : (g + 1) * out_per_group]
        ins = x.numpy()[:, g * in_per_group : (g + 1) * in_per_group]
        np.testing.assert_array_equal(outs[:, :kept], ins[:, :kept])
        np.testing.assert_array_equal(outs[:, kept:], 0.0)
    assert np.count_nonzero(w.numpy()) == groups * kept


def test_dirac_fills_integer_and_bool_weights_as_torch() -> None:
    torch = pytest.importorskip("torch")
    for dtype in ("int64", "bool", "float32"):
        ours = init.dirac_(tg.ones(4, 2, 3, 2, dtype=dtype), groups=2).numpy()
        theirs = torch.nn.init.dirac_(torch.ones(4, 2, 3, 2, dtype=getattr(torch, dtype)), 2)
        np.testing.assert_array_equal(ours, theirs.numpy())
        ours = init.eye_(tg.ones(3, 4, dtype=dtype)).numpy()
        theirs = torch.nn.init.eye_(torch.ones(3, 4, dtype=getattr(torch, dtype)))
        np.testing.assert_array_equal(ours, theirs.numpy())


# ----------------------------------------------------------------------------- orthogonal_


@given(
    shape=st.lists(st.integers(1, 5), min_size=2, max_size=4),
    gain=st.floats(-3, 3, allow_nan=False),
    seed=st.integers(0, 2**32 - 1),
)
def test_orthogonal_rows_or_columns_are_orthonormal_times_gain(
    shape: list[int], gain: float, seed: int
) -> None:
    w = tg.zeros(*shape, dtype=tg.float64)
    assert init.orthogonal_(w, gain=gain, generator=_rng(seed)) is w
    q = w.numpy().reshape(shape[0], -1)
    gram = q.T @ q if q.shape[0] >= q.shape[1] else q @ q.T
    np.testing.assert_allclose(gram, gain**2 * np.eye(len(gram)), atol=1e-12)


def test_orthogonal_is_haar_distributed() -> None:
    """An entry of a Haar-random n×n orthogonal matrix is x₁/|x| for x ~ N(0, Iₙ): uniform on
    [−1, 1] for n = 3 (Archimedes), density ¾(1 − t²) for n = 5. A wide 2×5 weight is two rows
    of such a 5×5 matrix. Without torch's sign fix LAPACK's QR gives Q₀₀ < 0 always."""
    rng, n = _rng(1), 1500
    laws = {
        (3, 3): lambda t: (t + 1) / 2,
        (2, 5): lambda t: 0.5 + 0.75 * t - 0.25 * t**3,
    }
    for shape, cdf in laws.items():
        q = np.stack(
            [init.orthogonal_(tg.zeros(*shape), gain=2.0, generator=rng).numpy() for _ in range(n)]
        )
        for i, j in ((0, 0), (1, 2)):
            d = _ks_one(q[:, i, j] / 2.0, cdf)
            assert d < KS_ALPHA / math.sqrt(n), (shape, i, j, d)


def test_orthogonal_of_a_wide_weight_is_distributed_as_torchs() -> None:
    torch = pytest.importorskip("torch")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # torch's QR of a 5×2 matrix is 100× slower on a thread pool
    try:
        torch.manual_seed(0)
        rng, n = _rng(2), 800
        ours = [
            init.orthogonal_(tg.zeros(2, 5), gain=2.0, generator=rng).numpy()[1, 3]
            for _ in range(n)
        ]
        theirs = [
            torch.nn.init.orthogonal_(torch.zeros(2, 5), gain=2.0)[1, 3].item() for _ in range(n)
        ]
    finally:
        torch.set_num_threads(threads)
    assert _ks_two(np.array(ours), np.array(theirs)) < KS_ALPHA * math.sqrt(2 / n)


def test_orthogonal_keeps_the_dtype_and_an_empty_weight() -> None:
    w = init.orthogonal_(tg.zeros(6, 4))
    assert w.dtype == np.float32
    np.testing.assert_allclose(w.numpy().T @ w.numpy(), np.eye(4), atol=1e-6)
    assert init.orthogonal_(tg.zeros(0, 3)).shape == (0, 3)


# ----------------------------------------------------------------------------- sparse_


@given(
    rows=st.integers(0, 12),
    cols=st.integers(1, 6),
    sparsity=st.floats(0, 1),
    seed=st.integers(0, 2**32 - 1),
)
def test_sparse_zeroes_ceil_sparsity_rows_of_each_column(
    rows: int, cols: int, sparsity: float, seed: int
) -> None:
    w = tg.zeros(rows, cols, dtype=tg.float64)
    assert init.sparse_(w, sparsity, std=1.0, generator=_rng(seed)) is w
    zeros = (w.numpy() == 0).sum(axis=0)  # a normal draw is never exactly 0
    np.testing.assert_array_equal(zeros, math.ceil(sparsity * rows))


def test_sparse_zeroes_rows_uniformly_and_keeps_normal_values() -> None:
    rows, cols, sparsity, std = 10, 4000, 0.3, 0.05
    w = init.sparse_(tg.zeros(rows, cols, dtype=tg.float64), sparsity, std=std, generator=_rng(4))
    frequency = (w.numpy() == 0).mean(axis=1)  # each row zeroed in 30% of the columns
    assert np.abs(frequency - sparsity).max() < 4 * math.sqrt(sparsity * (1 - sparsity) / cols)
    kept = w.numpy()[w.numpy() != 0]
    normal_cdf = np.vectorize(lambda x: (1 + math.erf(x / (std * math.sqrt(2)))) / 2)
    assert _ks_one(kept, normal_cdf) < KS_ALPHA / math.sqrt(kept.size)


# ----------------------------------------------------------------------------- trunc_normal_


def _upper(z: float) -> float:
    """Q(z) = P(N(0, 1) > z), exact in the far tails (1 − Φ(z) rounds to 0 there)."""
    return math.erfc(z / math.sqrt(2)) / 2


def _mass(alpha: float, beta: float) -> float:
    """P(α ≤ N(0, 1) ≤ β), through the tail on the side where the interval lies."""
    return _upper(alpha) - _upper(beta) if alpha >= 0 else _upper(-beta) - _upper(-alpha)


def _truncated_cdf(
    mean: float, std: float, a: float, b: float
) -> Callable[[np.ndarray], np.ndarray]:
    alpha, beta = (a - mean) / std, (b - mean) / std
    mass = np.vectorize(lambda z: _mass(alpha, max(alpha, min(z, beta))))
    return lambda x: mass((x - mean) / std) / _mass(alpha, beta)


def _pdf(z: float) -> float:
    return math.exp(-z * z / 2) / math.sqrt(2 * math.pi) if math.isfinite(z) else 0.0


TRUNCATED = [
    (0.0, 1.0, -2.0, 2.0),  # torch's default: the normal, redrawn outside
    (1.0, 0.5, 0.0, 3.0),
    (0.0, 1.0, 5.0, 6.0),  # far in the tail: uniform candidates, accepted by the density
    (0.0, 1.0, -math.inf, -5.0),
    (0.0, 1.0, 1.0, math.inf),
    (0.0, 2.0, 0.0, 0.1),  # a narrow interval
    (3.0, 1.0, -math.inf, math.inf),
]


@pytest.mark.filterwarnings("ignore:mean is more than 2 std:UserWarning")
@pytest.mark.parametrize(("mean", "std", "a", "b"), TRUNCATED)
def test_trunc_normal_has_the_truncated_normals_law(
    mean: float, std: float, a: float, b: float
) -> None:
    w = tg.zeros(20000, dtype=tg.float64)
    assert init.trunc_normal_(w, mean, std, a, b, generator=_rng(5)) is w
    x = w.numpy()
    assert a <= x.min() and x.max() <= b
    assert _ks_one(x, _truncated_cdf(mean, std, a, b)) < KS_ALPHA / math.sqrt(x.size)
    # the mean, from the formula μ + σ(φ(α) − φ(β))/Z, within 5 standard errors
    alpha, beta = (a - mean) / std, (b - mean) / std
    expected = mean + std * (_pdf(alpha) - _pdf(beta)) / _mass(alpha, beta)
    assert abs(x.mean() - expected) < 5 * x.std() / math.sqrt(x.size)


@pytest.mark.filterwarnings("ignore:mean is more than 2 std:UserWarning")
def test_trunc_normal_is_distributed_as_torchs() -> None:
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    for mean, std, a, b in TRUNCATED[:3]:
        ours = init.trunc_normal_(tg.zeros(5000), mean, std, a, b, generator=_rng(6)).numpy()
        theirs = torch.nn.init.trunc_normal_(torch.zeros(5000), mean, std, a, b).numpy()
        assert _ks_two(ours, theirs) < KS_ALPHA * math.sqrt(2 / 5000), (mean, std, a, b)


@given(
    mean=st.floats(-5, 5),
    std=st.floats(1e-3, 5),
    a=st.floats(-6, 6),
    width=st.floats(0, 4),
    dtype=st.sampled_from(["float16", "float32", "float64"]),
)
def test_trunc_normal_stays_within_its_bounds(
    mean: float, std: float, a: float, width: float, dtype: str
) -> None:
    b = a + width
    w = tg.zeros(50, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # mean more than 2 std from [a, b]
        init.trunc_normal_(w, mean, std, a, b, generator=_rng(7))
    assert w.dtype == np.dtype(dtype)
    # rounding to the dtype is monotone, so the values lie within the rounded bounds
    assert np.all(w.numpy() >= np.dtype(dtype).type(a)) and np.all(
        w.numpy() <= np.dtype(dtype).type(b)
    )


def test_trunc_normal_warns_as_torch_when_the_mean_is_far_outside() -> None:
    with pytest.warns(UserWarning, match=r"mean is more than 2 std from \[a, b\]"):
        init.trunc_normal_(tg.zeros(10), mean=10.0, std=1.0, a=-2.0, b=2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        init.trunc_normal_(tg.zeros(10), mean=3.9, std=1.0, a=-2.0, b=2.0)
    np.testing.assert_array_equal(init.trunc_normal_(tg.zeros(3), a=1.0, b=1.0).numpy(), 1.0)


# ----------------------------------------------------------------------------- all the fills

SEEDED: list[tuple[str, Callable[..., tg.Tensor], tuple[int, ...]]] = [
    ("orthogonal_", lambda w, g: init.orthogonal_(w, gain=1.5, generator=g), (4, 3, 2)),
    ("sparse_", lambda w, g: init.sparse_(w, 0.4, generator=g), (6, 5)),
    ("trunc_normal_", lambda w, g: init.trunc_normal_(w, 0.0, 1.0, 0.5, 3.0, generator=g), (6, 5)),
]


@pytest.mark.parametrize(("name", "fill", "shape"), SEEDED)
def test_seeded_fills_reproduce(
    name: str, fill: Callable[..., tg.Tensor], shape: tuple[int, ...]
) -> None:
    first = fill(tg.zeros(*shape), _rng(8)).numpy()
    np.testing.assert_array_equal(fill(tg.zeros(*shape), _rng(8)).numpy(), first)
    assert not np.array_equal(fill(tg.zeros(*shape), _rng(9)).numpy(), first)
    tg.manual_seed(8)  # without a generator, the global one
    again = fill(tg.zeros(*shape), None).numpy()
    tg.manual_seed(8)
    np.testing.assert_array_equal(fill(tg.zeros(*shape), None).numpy(), again)


FILLS: list[tuple[Callable[[tg.Tensor], tg.Tensor], tuple[int, ...]]] = [
    (init.eye_, (3, 4)),
    (init.dirac_, (4, 2, 3)),
    (init.orthogonal_, (3, 4)),
    (lambda w: init.sparse_(w, 0.5), (3, 4)),
    (init.trunc_normal_, (3, 4)),
]


@pytest.mark.parametrize(("fill", "shape"), FILLS)
def test_fills_work_in_place_on_parameters_without_recording(
    fill: Callable[[tg.Tensor], tg.Tensor], shape: tuple[int, ...]
) -> None:
    p = nn.Parameter(tg.ones(*shape))
    out = (p * p).sum()  # saves p
    assert fill(p) is p
    assert p.requires_grad and p.is_leaf and p.grad_fn is None and p.dtype == np.float32
    assert not np.array_equal(p.detach().numpy(), np.ones(shape))
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.backward()


# ----------------------------------------------------------------------------- bad input

# (a call written for both libraries, the exception type torch raises too, a phrase of torch's
# message that ours repeats, or None where only the type is shared)
AS_TORCH: list[tuple[Callable[[Any], Any], type[Exception], str | None]] = [
    (lambda m: m.eye_(m.zeros(3)), ValueError, "Only tensors with 2 dimensions are supported"),
    (
        lambda m: m.eye_(m.zeros(2, 2, 2)),
        ValueError,
        "Only tensors with 2 dimensions are supported",
    ),
    (
        lambda m: m.dirac_(m.zeros(2, 3)),
        ValueError,
        "Only tensors with 3, 4, or 5 dimensions are supported",
    ),
    (
        lambda m: m.dirac_(m.zeros(1, 1, 1, 1, 1, 1)),
        ValueError,
        "Only tensors with 3, 4, or 5 dimensions",
    ),
    (
        lambda m: m.dirac_(m.zeros(3, 2, 3), groups=2),
        ValueError,
        "dim 0 must be divisible by groups",
    ),
    (lambda m: m.dirac_(m.zeros(4, 2, 3), groups=2.0), TypeError, None),
    (lambda m: m.dirac_(m.zeros(4, 2, 3), groups="a"), TypeError, None),
    (
        lambda m: m.orthogonal_(m.zeros(3)),
        ValueError,
        "Only tensors with 2 or more dimensions are supported",
    ),
    (lambda m: m.orthogonal_(m.zeros(3, 3), gain="a"), TypeError, None),
    (lambda m: m.orthogonal_(m.zeros(3, 3), gain=None), TypeError, None),
    (lambda m: m.orthogonal_(m.zeros(3, 3), generator=1), TypeError, "generator"),
    (
        lambda m: m.sparse_(m.zeros(3), 0.5),
        ValueError,
        "Only tensors with 2 dimensions are supported",
    ),
    (
        lambda m: m.sparse_(m.zeros(3, 3, 3), 0.5),
        ValueError,
        "Only tensors with 2 dimensions are supported",
    ),
    (lambda m: m.sparse_(m.zeros(4, 3), "a"), TypeError, None),
    (lambda m: m.sparse_(m.zeros(4, 3), None), TypeError, None),
    (lambda m: m.sparse_(m.zeros(4, 3), float("nan")), ValueError, None),
    (lambda m: m.trunc_normal_(m.zeros(3), mean="a"), TypeError, None),
    (lambda m: m.trunc_normal_(m.zeros(3), b=None), TypeError, None),
]


class _Lib:
    """``zeros`` and the init functions of one library, for a call written once for both."""

    def __init__(self, zeros: Callable[..., Any], module: Any) -> None:
        self.zeros, self.module = zeros, module

    def __getattr__(self, name: str) -> Any:
        return getattr(self.module, name)


@pytest.mark.parametrize(("call", "kind", "phrase"), AS_TORCH)
def test_bad_input_raises_as_torch(
    call: Callable[[Any], Any], kind: type[Exception], phrase: str | None
) -> None:
    with pytest.raises(kind) as ours:
        call(_Lib(tg.zeros, init))
    if phrase is not None:
        assert phrase in str(ours.value)
    torch = pytest.importorskip("torch")
    with pytest.raises(kind) as theirs:
        call(_Lib(torch.zeros, torch.nn.init))
    if phrase is not None:
        assert phrase in str(theirs.value)


# Refused here where torch divides by zero, fills silently or fails inside another op
# (torch's NotImplementedError for an integer weight is our TypeError, as in normal_).
REFUSED: list[tuple[Callable[[tg.Tensor], Any], tuple[int, ...], str, type[Exception], str]] = [
    (
        lambda w: init.dirac_(w, groups=0),
        (4, 2, 3),
        "float32",
        ValueError,
        r"dirac_\(\): groups must be positive, got 0",
    ),
    (
        lambda w: init.dirac_(w, groups=-2),
        (4, 2, 3),
        "float32",
        ValueError,
        r"groups must be positive, got -2",
    ),
    (
        lambda w: init.orthogonal_(w, gain=math.nan),
        (3, 3),
        "float32",
        ValueError,
        r"orthogonal_\(\): gain must be finite",
    ),
    (
        lambda w: init.sparse_(w, 1.5),
        (4, 3),
        "float32",
        ValueError,
        r"sparse_\(\): sparsity must be in \[0, 1\], got 1.5",
    ),
    (
        lambda w: init.sparse_(w, -0.5),
        (4, 3),
        "float32",
        ValueError,
        r"sparsity must be in \[0, 1\], got -0.5",
    ),
    (
        lambda w: init.sparse_(w, 0.5, std=-1.0),
        (4, 3),
        "float32",
        ValueError,
        r"sparse_\(\): expects a finite std >= 0",
    ),
    (
        lambda w: init.trunc_normal_(w, std=0.0),
        (3,),
        "float32",
        ValueError,
        r"std > 0, got mean=0.0, std=0.0",
    ),
    (
        lambda w: init.trunc_normal_(w, std=-1.0),
        (3,),
        "float32",
        ValueError,
        r"std > 0, got mean=0.0, std=-1.0",
    ),
    (lambda w: init.trunc_normal_(w, mean=math.nan), (3,), "float32", ValueError, r"finite mean"),
    (
        lambda w: init.trunc_normal_(w, a=2.0, b=-2.0),
        (3,),
        "float32",
        ValueError,
        r"a <= b .*got \[2.0, -2.0\]",
    ),
    (
        lambda w: init.trunc_normal_(w, a=math.inf, b=math.inf),
        (3,),
        "float32",
        ValueError,
        r"not both ±inf",
    ),
    (init.orthogonal_, (3, 3), "int64", TypeError, r"orthogonal_\(\): expected a floating tensor"),
    (
        lambda w: init.sparse_(w, 0.5),
        (3, 3),
        "int64",
        TypeError,
        r"sparse_\(\): expected a floating tensor",
    ),
    (
        init.trunc_normal_,
        (3,),
        "int64",
        TypeError,
        r"trunc_normal_\(\): expected a floating tensor",
    ),
]


@pytest.mark.parametrize(("call", "shape", "dtype", "kind", "match"), REFUSED)
def test_bad_values_are_refused_naming_them(
    call: Callable[[tg.Tensor], Any],
    shape: tuple[int, ...],
    dtype: str,
    kind: type[Exception],
    match: str,
) -> None:
    w = tg.zeros(*shape, dtype=dtype)
    with pytest.raises(kind, match=match):
        call(w)
    np.testing.assert_array_equal(w.numpy(), 0)  # untouched


def test_shape_errors_name_the_shape_and_non_tensors_are_refused() -> None:
    with pytest.raises(ValueError, match=r"eye_\(\): .* got shape \(2, 2, 2\)"):
        init.eye_(tg.zeros(2, 2, 2))
    with pytest.raises(ValueError, match=r"4 output channels and groups=3"):
        init.dirac_(tg.zeros(4, 2, 3), groups=3)
    for fill in (init.eye_, init.dirac_, init.orthogonal_, init.trunc_normal_):
        with pytest.raises(TypeError, match="expected a Tensor, got list"):
            fill([[1.0]])

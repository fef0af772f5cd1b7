"""In-place dropout (``inplace=True``), as torch's ``dropout_``: the result is written into the
input and the input itself is returned; recorded on a non-leaf (grad_fn MulBackward, AddBackward
for the alpha forms), the identity in eval mode, refused on a leaf that requires grad.

The masks are random in both libraries and not the same numbers, so the tests compare the
semantics: the mask is read off each library's output, and values and gradients must be the
formula's for that mask, in tinygrad_ed and in torch alike. The same ``tg.manual_seed`` must
give tinygrad_ed the same values and gradients with ``inplace`` as without.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from _grad_fn_names import grad_fn_name as _name

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn

torch = pytest.importorskip("torch")
TF = torch.nn.functional

ALPHA = 1.7580993408473766  # −λα of selu


# (name, feature, alpha, shape, batched): the same name in both libraries
FORMS: list[tuple[str, bool, bool, tuple[int, ...], bool]] = [
    ("dropout", False, False, (4, 5), True),
    ("alpha_dropout", False, True, (4, 5), True),
    ("feature_alpha_dropout", True, True, (2, 3, 4), True),
    ("dropout1d", True, False, (2, 3, 4), True),
    ("dropout1d", True, False, (3, 4), False),
    ("dropout2d", True, False, (2, 3, 2, 3), True),
    ("dropout3d", True, False, (2, 3, 2, 1, 2), True),
    ("dropout3d", True, False, (3, 2, 1, 2), False),
]
IDS = [f"{f[0]}-{len(f[3])}d" for f in FORMS]


def _call(lib: Any, name: str, x: Any, p: float, training: bool, inplace: bool) -> Any:
    fn = getattr(F if lib is tg else TF, name)
    return fn(x, p, training, inplace)


def _keep_of(y: np.ndarray, x: np.ndarray, p: float, alpha: bool) -> np.ndarray:
    """The keep mask a library drew, read off its output ``y`` for the input ``x``."""
    if not alpha:
        return y != 0
    a = 1.0 / np.sqrt((ALPHA**2 * p + 1) * (1 - p))
    return ~np.isclose(y, -ALPHA * a * (1 - p), rtol=0, atol=1e-12)


def _expected(x: np.ndarray, keep: np.ndarray, p: float, alpha: bool) -> tuple[Any, Any]:
    """(value, ∂value/∂x) of dropout with the mask ``keep`` (torch's formulas)."""
    if not alpha:
        factor = keep / (1 - p)
        return x * factor, factor
    a = 1.0 / np.sqrt((ALPHA**2 * p + 1) * (1 - p))
    return x * keep * a + (keep - 1.0) * ALPHA * a + ALPHA * a * p, keep * a


def _data(t: Any) -> np.ndarray:
    return t.data if isinstance(t, tg.Tensor) else t.detach().numpy()


def _grad(t: Any) -> np.ndarray:
    g = t.grad
    assert g is not None
    return _data(g)


X = np.random.default_rng(0).uniform(0.5, 2.0, (2, 3, 2, 3)) * np.sign(
    np.random.default_rng(1).standard_normal((2, 3, 2, 3))
)


def _x(shape: tuple[int, ...]) -> np.ndarray:
    return X.reshape(-1)[: int(np.prod(shape))].reshape(shape).copy()


@pytest.mark.parametrize(("name", "feature", "alpha", "shape", "batched"), FORMS, ids=IDS)
@pytest.mark.parametrize("lib", [tg, torch], ids=["tg", "torch"])
def test_training_writes_into_a_non_leaf_and_returns_it(
    lib: Any, name: str, feature: bool, alpha: bool, shape: tuple[int, ...], batched: bool
) -> None:
    p = 0.4
    x0 = _x(shape)
    a = lib.tensor(x0.copy(), requires_grad=True)
    h = a * 3.0
    y = _call(lib, name, h, p, True, True)
    assert y is h
    keep = _keep_of(_data(y), 3.0 * x0, p, alpha)
    if feature:  # one draw per (sample, channel), or per row of an unbatched input
        lead = 2 if batched else 1
        flat = keep.reshape((*shape[:lead], -1))
        assert (flat == flat[..., :1]).all()
    value, slope = _expected(3.0 * x0, keep, p, alpha)
    np.testing.assert_allclose(_data(y), value, rtol=1e-12, atol=1e-12)
    g = np.linspace(-1.0, 1.0, x0.size).reshape(shape)
    y.backward(lib.tensor(g))
    np.testing.assert_allclose(_grad(a), 3.0 * g * slope, rtol=1e-12, atol=1e-12)
    if batched:
        assert _name(y.grad_fn) == ("AddBackward" if alpha else "MulBackward")
    elif lib is tg:  # torch's is its squeeze_'s (SqueezeBackward); the product's here
        assert _name(y.grad_fn) == "MulBackward"


@pytest.mark.parametrize(("name", "feature", "alpha", "shape", "batched"), FORMS, ids=IDS)
@pytest.mark.parametrize("p", [0.3, 0.0, 1.0])
def test_the_same_seed_gives_the_same_values_and_gradients_in_place(
    name: str, feature: bool, alpha: bool, shape: tuple[int, ...], batched: bool, p: float
) -> None:
    x0 = _x(shape)
    results = []
    for inplace in (False, True):
        a = tg.tensor(x0.copy(), requires_grad=True)
        tg.manual_seed(11)
        y = _call(tg, name, a * 2.0, p, True, inplace)
        after = tg.randn(3)  # the generator is left in the same state
        y.backward(tg.tensor(np.cos(x0)))
        results.append((y.data.copy(), _grad(a).copy(), after.data))
    for got, want in zip(results[1], results[0]):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("p", [1.0, 0.0])
@pytest.mark.parametrize(("name", "alpha"), [("dropout", False), ("alpha_dropout", True)])
def test_p_one_and_p_zero_as_torch(name: str, alpha: bool, p: float) -> None:
    """p = 1: torch's ``mul_`` by 0 (MulBackward, also for alpha); p = 0: the input, untouched."""
    x0 = _x((4, 5))
    for lib in (tg, torch):
        h = lib.tensor(x0.copy(), requires_grad=True) * 1.0
        before = _name(h.grad_fn)
        y = _call(lib, name, h, p, True, True)
        assert y is h
        np.testing.assert_array_equal(_data(y), x0 * (1 - p))
        assert _name(y.grad_fn) == ("MulBackward" if p == 1.0 else before)


@pytest.mark.parametrize(("name", "feature", "alpha", "shape", "batched"), FORMS, ids=IDS)
def test_eval_mode_returns_the_input_itself(
    name: str, feature: bool, alpha: bool, shape: tuple[int, ...], batched: bool
) -> None:
    x0 = _x(shape)
    for lib in (tg, torch):
        h = lib.tensor(x0.copy(), requires_grad=True) * 1.0
        y = _call(lib, name, h, 0.5, False, True)
        assert y is h
        np.testing.assert_array_equal(_data(y), x0)
        plain = lib.tensor(x0.copy())
        assert _call(lib, name, plain, 0.5, False, True) is plain


@pytest.mark.parametrize(("name", "feature", "alpha", "shape", "batched"), FORMS, ids=IDS)
def test_a_leaf_that_requires_grad_is_refused_as_by_torch(
    name: str, feature: bool, alpha: bool, shape: tuple[int, ...], batched: bool
) -> None:
    """Refused while training (p = 1 too); in eval mode and with p = 0 the input comes back,
    except for an unbatched input to dropout1d/3d, which torch unsqueezes in place first."""
    x0 = _x(shape)
    for training, p in ((True, 0.5), (True, 1.0), (False, 0.5), (True, 0.0)):
        refused = []
        for lib in (tg, torch):
            a = lib.tensor(x0.copy(), requires_grad=True)
            try:
                assert _call(lib, name, a, p, training, True) is a
                refused.append(False)
            except RuntimeError as e:
                assert "leaf" in str(e) and "in-place" in str(e)
                refused.append(True)
            np.testing.assert_array_equal(_data(a), x0)  # nothing written
            assert tuple(a.shape) == shape
        assert refused[0] == refused[1], (training, p)
        assert refused[0] == ((training and p > 0) or not batched)


def test_the_refusal_names_the_op_and_shape() -> None:
    a = tg.tensor(_x((4, 5)), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"dropout: a leaf Variable .*\(shape \(4, 5\)\)"):
        F.dropout(a, 0.5, True, True)


@pytest.mark.parametrize("lib", [tg, torch], ids=["tg", "torch"])
def test_a_leaf_under_no_grad_and_a_plain_tensor_are_written(lib: Any) -> None:
    x0 = _x((4, 5))
    a = lib.tensor(x0.copy(), requires_grad=True)
    with lib.no_grad():
        y = _call(lib, "dropout", a, 0.5, True, True)
    assert y is a and a.grad_fn is None
    keep = _keep_of(_data(a), x0, 0.5, False)
    np.testing.assert_allclose(_data(a), _expected(x0, keep, 0.5, False)[0], rtol=1e-12)
    b = lib.tensor(x0.copy())
    assert _call(lib, "feature_alpha_dropout", b, 0.5, True, True) is b
    assert not np.array_equal(_data(b), x0)


@pytest.mark.parametrize("lib", [tg, torch], ids=["tg", "torch"])
def test_a_view_of_a_non_leaf_writes_through_to_its_base(lib: Any) -> None:
    x0 = _x((4, 5))
    a = lib.tensor(x0.copy(), requires_grad=True)
    h = a * 1.0
    row = h[1]
    y = _call(lib, "dropout", row, 0.5, True, True)
    assert y is row
    keep = _keep_of(_data(row), x0[1], 0.5, False)
    value, slope = _expected(x0[1], keep, 0.5, False)
    np.testing.assert_allclose(_data(h)[1], value, rtol=1e-12)
    h.sum().backward()
    want = np.ones_like(x0)
    want[1] = slope
    np.testing.assert_allclose(_grad(a), want, rtol=1e-12)


@pytest.mark.parametrize("lib", [tg, torch], ids=["tg", "torch"])
def test_overwriting_a_saved_output_refuses_the_backward(lib: Any) -> None:
    """exp saved its output; dropout in place changes it, so backward must refuse."""
    h = lib.tensor(_x((4, 5)), requires_grad=True).exp()
    _call(lib, "dropout", h, 0.5, True, True)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        h.sum().backward()


def test_a_refused_call_has_drawn_the_mask_as_torch() -> None:
    """torch draws the noise before its mul_ refuses the leaf (its generator moves on); so
    does tinygrad_ed, except for the unbatched channel dropouts, refused before the draw."""
    a = tg.tensor(_x((4, 5)), requires_grad=True)
    for fn, moved in (
        (lambda: F.dropout(a, 0.5, True, True), True),
        (lambda: F.dropout1d(a, 0.5, True, True), False),
    ):
        tg.manual_seed(5)
        untouched = tg.randn(3).data
        tg.manual_seed(5)
        with pytest.raises(RuntimeError):
            fn()
        assert np.array_equal(tg.randn(3).data, untouched) is not moved
    t = torch.tensor(_x((4, 5)), requires_grad=True)
    for fn, moved in (
        (lambda: TF.dropout(t, 0.5, True, True), True),
        (lambda: TF.dropout1d(t, 0.5, True, True), False),
    ):
        state = torch.get_rng_state()
        with pytest.raises(RuntimeError):
            fn()
        assert torch.equal(torch.get_rng_state(), state) is not moved


MODULES: list[tuple[str, tuple[int, ...], bool]] = [
    ("Dropout", (4, 5), False),
    ("Dropout1d", (2, 3, 4), False),
    ("Dropout2d", (2, 3, 2, 3), False),
    ("Dropout3d", (2, 3, 2, 1, 2), False),
    ("AlphaDropout", (4, 5), True),
    ("FeatureAlphaDropout", (2, 3, 4), True),
]


@pytest.mark.parametrize(("cls", "shape", "alpha"), MODULES, ids=[m[0] for m in MODULES])
def test_modules_with_inplace_as_torch(cls: str, shape: tuple[int, ...], alpha: bool) -> None:
    """Dropout and Dropout1d/2d/3d write into their input; AlphaDropout and FeatureAlphaDropout
    ignore ``inplace`` (torch's forward does not pass it on) and return a new tensor."""
    x0 = _x(shape)
    for lib, mods in ((tg, nn), (torch, torch.nn)):
        m = getattr(mods, cls)(0.4, inplace=True)
        assert repr(m) == f"{cls}(p=0.4, inplace=True)"
        a = lib.tensor(x0.copy(), requires_grad=True)
        h = a * 1.0
        y = m(h)
        assert (y is h) is not alpha
        if alpha:
            np.testing.assert_array_equal(_data(h), x0)
        assert _name(y.grad_fn) == ("AddBackward" if alpha else "MulBackward")
        keep = _keep_of(_data(y), x0, 0.4, alpha)
        value, slope = _expected(x0, keep, 0.4, alpha)
        np.testing.assert_allclose(_data(y), value, rtol=1e-12, atol=1e-12)
        y.sum().backward()
        np.testing.assert_allclose(_grad(a), slope, rtol=1e-12, atol=1e-12)
        m.eval()
        h = a * 1.0
        assert m(h) is h
        np.testing.assert_array_equal(_data(h), x0)
        m.train()
        if alpha:
            assert m(a) is not a
        else:
            with pytest.raises(RuntimeError, match="leaf"):
                m(a)


def test_module_and_functional_draw_the_same_mask_in_place() -> None:
    x0 = _x((2, 3, 2, 3))
    tg.manual_seed(2)
    want = F.dropout2d(tg.tensor(x0.copy()), 0.5)
    tg.manual_seed(2)
    h = tg.tensor(x0.copy())
    got = nn.Dropout2d(0.5, inplace=True)(h)
    assert got is h
    np.testing.assert_array_equal(got.data, want.data)


@pytest.mark.parametrize(
    "name", ["dropout_", "feature_dropout_", "alpha_dropout_", "feature_alpha_dropout_"]
)
def test_top_level_in_place_forms_are_torchs(name: str) -> None:
    """torch.dropout_ and its kin: the input itself comes back, written in training (recorded
    on a non-leaf), untouched in eval mode; a leaf that requires grad is refused."""
    torch = pytest.importorskip("torch")
    for lib in (tg, torch):
        fn = getattr(lib, name)
        x = lib.ones(2, 3, 4) * 1.0
        assert fn(x, 0.0, False) is x and bool((x == 1).all())
        h = lib.ones(2, 3, 4, requires_grad=True) * 1.0
        assert fn(h, 0.5, True) is h and h.grad_fn is not None
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            fn(lib.ones(2, 3, 4, requires_grad=True), 0.5, True)
    with pytest.raises(TypeError, match=name):
        getattr(tg, name)([1.0, 2.0], 0.5, True)

"""nn.utils beyond clipping (clip_grad_norm_ is in tests/test_sampling_and_gather.py): flat
parameter vectors, get_total_norm/clip_grads_with_norm_, skip_init, BatchNorm fusion,
functional_call, weight and spectral normalization (the hook API and the parametrizations) and
nn.utils.parametrize.

Values, gradients and state dict keys are compared with torch (skipped without it), several
SGD steps in float64 with the weights copied over; the parametrizations are gradchecked.
"""

from __future__ import annotations

import copy
import pickle
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
from tinygrad_ed import nn
from tinygrad_ed.nn.utils import parametrize
from tinygrad_ed.numgrad import gradcheck


def _copy(torch_module: Any, module: nn.Module) -> None:
    module.load_state_dict({k: v.detach().numpy() for k, v in torch_module.state_dict().items()})


def _sgd_agree(tm: Any, m: nn.Module, x: np.ndarray, steps: int = 3) -> None:
    """``steps`` SGD steps (momentum) on mean(f(x)²) in float64 agree with torch's: the loss
    at each step and every state dict entry at the end."""
    import torch

    topt = torch.optim.SGD(tm.parameters(), lr=0.05, momentum=0.9)
    opt = tg.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)
    for _ in range(steps):
        tl = (tm(torch.tensor(x)) ** 2).mean()
        loss = (m(tg.tensor(x)) ** 2).mean()
        topt.zero_grad()
        opt.zero_grad()
        tl.backward()
        loss.backward()
        topt.step()
        opt.step()
        np.testing.assert_allclose(loss.item(), tl.item(), rtol=1e-9)
    theirs = tm.state_dict()
    assert list(m.state_dict()) == list(theirs)
    for key, value in m.state_dict().items():
        np.testing.assert_allclose(value.numpy(), theirs[key].numpy(), rtol=1e-8, err_msg=key)


# ----------------------------------------------------------------------------- vectors, norms


def test_parameters_to_vector_and_back() -> None:
    m = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 1)).double()
    vec = nn.utils.parameters_to_vector(m.parameters())
    assert vec.shape == (6 + 2 + 2 + 1,)
    np.testing.assert_array_equal(vec.detach().numpy()[:6], m[0].weight.detach().numpy().ravel())
    # Differentiable: each parameter's adjoint is its slice of the vector's.
    w = tg.arange(11, dtype=tg.float64)
    (nn.utils.parameters_to_vector(m.parameters()) * w).sum().backward()
    np.testing.assert_array_equal(m[0].weight.grad.numpy().ravel(), np.arange(6.0))
    np.testing.assert_array_equal(m[1].bias.grad.numpy(), [10.0])
    a = tg.randn(2, 2, dtype=tg.float64, requires_grad=True)
    b = tg.randn(3, dtype=tg.float64, requires_grad=True)
    assert gradcheck(lambda a, b: nn.utils.parameters_to_vector([a, b]), (a, b))
    nn.utils.vector_to_parameters(tg.arange(11, dtype=tg.float64), m.parameters())
    np.testing.assert_array_equal(m[0].bias.detach().numpy(), [6.0, 7.0])
    assert isinstance(m[0].bias, nn.Parameter) and m[0].bias.requires_grad
    with pytest.raises(TypeError, match="expected a Tensor"):
        nn.utils.vector_to_parameters(np.zeros(11), m.parameters())  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="12 elements but the parameters have 11"):
        nn.utils.vector_to_parameters(tg.zeros(12), m.parameters())
    with pytest.raises(TypeError, match="wrap it in a list"):
        nn.utils.parameters_to_vector(tg.zeros(2))
    with pytest.raises(RuntimeError, match="non-empty"):
        nn.utils.parameters_to_vector([])
    torch = pytest.importorskip("torch")
    tm = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Linear(2, 1)).double()
    _copy(tm, m)
    np.testing.assert_array_equal(
        nn.utils.parameters_to_vector(m.parameters()).detach().numpy(),
        torch.nn.utils.parameters_to_vector(tm.parameters()).detach().numpy(),
    )


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.5, float("inf"), "inf"])
def test_get_total_norm_and_clip_grads_with_norm_match_torch(norm_type: Any) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal(s) for s in [(3, 2), (4,), ()]]
    total = nn.utils.get_total_norm([tg.tensor(a) for a in arrays], norm_type)
    expected = torch.nn.utils.get_total_norm([torch.tensor(a) for a in arrays], norm_type)
    np.testing.assert_allclose(total.item(), expected.item(), rtol=1e-12)
    params = [tg.tensor(a, requires_grad=True) for a in arrays]
    tparams = [torch.tensor(a, requires_grad=True) for a in arrays]
    for p, tp, a in zip(params, tparams, arrays):
        p.grad = tg.tensor(a * 3)
        tp.grad = torch.tensor(a * 3)
    grads_norm = nn.utils.get_total_norm([p.grad for p in params if p.grad is not None])
    nn.utils.clip_grads_with_norm_(params, 1.5, grads_norm)
    torch.nn.utils.clip_grads_with_norm_(
        tparams, 1.5, torch.tensor(grads_norm.item(), dtype=torch.float64)
    )
    for p, tp in zip(params, tparams):
        assert p.grad is not None and tp.grad is not None
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-12)


def test_norm_utilities_reject_bad_input() -> None:
    assert nn.utils.get_total_norm([]).item() == 0.0
    with pytest.raises(RuntimeError, match=r"total norm of order 2\.0"):
        nn.utils.get_total_norm([tg.tensor([np.inf])], error_if_nonfinite=True)
    with pytest.raises(RuntimeError, match="clip_grad_norm_"):
        p = tg.tensor([1.0], requires_grad=True)
        p.grad = tg.tensor([np.nan])
        nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    with pytest.raises(TypeError, match=r"tensors\[1\] must be a Tensor"):
        nn.utils.get_total_norm([tg.ones(1), 2.0])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="max_norm must be a number"):
        nn.utils.clip_grads_with_norm_([], "1", 2.0)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="single number"):
        nn.utils.clip_grads_with_norm_([], 1.0, tg.ones(2))
    # clip_grad_norm_ reads a generator of parameters once, as before.
    m = nn.Linear(2, 2)
    m(tg.ones(1, 2)).sum().mul(100).backward()
    norm = nn.utils.clip_grad_norm_(m.parameters(), 1.0)
    assert norm.item() > 1.0
    total = nn.utils.get_total_norm([p.grad for p in m.parameters() if p.grad is not None])
    np.testing.assert_allclose(total.item(), 1.0, rtol=1e-5)


def test_skip_init_leaves_the_generator_as_it_was() -> None:
    tg.manual_seed(3)
    first = tg.randn(4).numpy()
    tg.manual_seed(3)
    m = nn.utils.skip_init(nn.Linear, 5, 2)
    assert isinstance(m, nn.Linear) and m.weight.shape == (2, 5)
    np.testing.assert_array_equal(tg.randn(4).numpy(), first)
    m = nn.utils.skip_init(nn.Conv2d, in_channels=2, out_channels=3, kernel_size=1, device="cpu")
    assert m.weight.shape == (3, 2, 1, 1)
    with pytest.raises(RuntimeError, match="Expected a Module"):
        nn.utils.skip_init(int)  # type: ignore[type-var]
    with pytest.raises(RuntimeError, match="'device' arg"):
        nn.utils.skip_init(nn.ReLU)


# ----------------------------------------------------------------------------- fusion


@pytest.mark.parametrize(
    "conv, transpose",
    [("Conv1d", False), ("Conv2d", False), ("ConvTranspose2d", True), ("Linear", False)],
)
def test_fuse_bn_eval_matches_torch_and_the_unfused_pair(conv: str, transpose: bool) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    if conv == "Linear":
        args, bn_name, shape = (4, 3), "BatchNorm1d", (5, 4)
    elif conv == "Conv1d":
        args, bn_name, shape = (2, 3, 2), "BatchNorm1d", (2, 2, 6)
    else:
        args, bn_name, shape = (2, 3, 2), "BatchNorm2d", (2, 2, 4, 4)
    tc, tb = getattr(torch.nn, conv)(*args).double(), getattr(torch.nn, bn_name)(3).double()
    with torch.no_grad():
        tb.weight.uniform_(0.5, 2.0)
        tb.bias.uniform_(-1, 1)
    tb(tc(torch.tensor(rng.standard_normal(shape))))  # running statistics away from 0 and 1
    tc.eval()
    tb.eval()
    c, b = getattr(nn, conv)(*args).double(), getattr(nn, bn_name)(3).double()
    _copy(tc, c)
    _copy(tb, b)
    c.eval()
    b.eval()
    if conv == "Linear":
        fused, tfused = (
            nn.utils.fuse_linear_bn_eval(c, b),
            torch.nn.utils.fuse_linear_bn_eval(tc, tb),
        )
    else:
        fused = nn.utils.fuse_conv_bn_eval(c, b, transpose)
        tfused = torch.nn.utils.fuse_conv_bn_eval(tc, tb, transpose)
    assert type(fused) is type(c) and fused is not c
    x = rng.standard_normal(shape)
    out = fused(tg.tensor(x)).detach().numpy()
    np.testing.assert_allclose(out, tfused(torch.tensor(x)).detach().numpy(), rtol=1e-10)
    np.testing.assert_allclose(out, b(c(tg.tensor(x))).detach().numpy(), rtol=1e-10, atol=1e-12)
    assert fused.bias is not None and fused.bias.requires_grad


def test_fusion_rejects_what_torch_rejects() -> None:
    conv, bn = nn.Conv2d(2, 3, 1, bias=False), nn.BatchNorm2d(3)
    with pytest.raises(AssertionError, match="Fusion only for eval"):
        nn.utils.fuse_conv_bn_eval(conv, bn)
    conv.eval()
    bn.eval()
    fused = nn.utils.fuse_conv_bn_eval(conv, bn)
    # A missing conv bias gives a bias that does not require grad (torch's zeros_like).
    assert fused.bias is not None and not fused.bias.requires_grad
    no_stats = nn.BatchNorm2d(3, track_running_stats=False).eval()
    with pytest.raises(AssertionError, match="running_mean"):
        nn.utils.fuse_conv_bn_eval(conv, no_stats)
    with pytest.raises(AssertionError, match="out_features"):
        nn.utils.fuse_linear_bn_eval(nn.Linear(2, 4).eval(), nn.BatchNorm1d(3).eval())
    with pytest.raises(TypeError, match="BatchNorm"):
        nn.utils.fuse_linear_bn_eval(nn.Linear(2, 3).eval(), nn.LayerNorm(3).eval())  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- functional_call


def test_functional_call_matches_torch_and_restores_the_module() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    tm = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4)).double()
    m = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4)).double()
    _copy(tm, m)
    w, x = rng.standard_normal((4, 3)), rng.standard_normal((5, 3))
    tw = torch.tensor(w, requires_grad=True)
    gw = tg.tensor(w, requires_grad=True)
    before = m.state_dict()
    tout = torch.func.functional_call(tm, {"0.weight": tw}, (torch.tensor(x),))
    out = nn.utils.stateless.functional_call(m, {"0.weight": gw}, tg.tensor(x))
    np.testing.assert_allclose(out.detach().numpy(), tout.detach().numpy(), rtol=1e-10)
    tout.pow(3).sum().backward()
    out.pow(3).sum().backward()
    assert gw.grad is not None and tw.grad is not None
    np.testing.assert_allclose(gw.grad.numpy(), tw.grad.numpy(), rtol=1e-9)
    assert m[0].weight.grad is None and type(m[0].weight) is nn.Parameter
    np.testing.assert_array_equal(m[0].weight.detach().numpy(), before["0.weight"].numpy())
    # the buffers given were used (and the module's own were updated as in torch)
    np.testing.assert_allclose(
        m.state_dict()["1.running_mean"].numpy(), tm.state_dict()["1.running_mean"].numpy()
    )
    # kwargs, and restoration after an error inside the call
    out2 = nn.utils.stateless.functional_call(
        m[0], {"bias": tg.zeros(4)}, kwargs={"input": tg.ones(1, 3)}
    )
    np.testing.assert_allclose(out2.detach().numpy(), m[0].weight.detach().numpy().sum(1)[None])
    with pytest.raises(ValueError, match="features"):
        nn.utils.stateless.functional_call(m[0], {"bias": tg.zeros(4)}, tg.ones(1, 2))
    assert type(m[0].bias) is nn.Parameter


def test_functional_call_ties_strictness_and_errors() -> None:
    lin = nn.Linear(2, 2)
    seq = nn.Sequential(lin, lin)
    zeros = tg.zeros(2, 2)
    x = tg.ones(1, 2)
    out = nn.utils.stateless.functional_call(seq, {"0.weight": zeros}, x)
    np.testing.assert_allclose(out.detach().numpy(), lin.bias.detach().numpy()[None])
    with pytest.raises(ValueError, match="which are tied"):
        nn.utils.stateless.functional_call(seq, {"0.weight": zeros, "1.weight": tg.ones(2, 2)}, x)
    with pytest.raises(
        RuntimeError, match=r"Unexpected key\(s\): 'foo'.\n\tMissing key\(s\): 'bias'"
    ):
        nn.utils.stateless.functional_call(lin, {"weight": zeros, "foo": x}, x, strict=True)
    nn.utils.stateless.functional_call(lin, {"weight": zeros, "foo": x}, x)  # set, then removed
    assert not hasattr(lin, "foo")
    with pytest.raises(ValueError, match="appeared in multiple dictionaries"):
        nn.utils.stateless.functional_call(lin, [{"weight": zeros}, {"weight": zeros}], x)
    with pytest.raises(TypeError, match="must be a Tensor"):
        nn.utils.stateless.functional_call(lin, {"weight": np.zeros((2, 2))}, x)  # type: ignore[dict-item]
    with pytest.raises(AttributeError, match="no submodule"):
        nn.utils.stateless.functional_call(lin, {"foo.bar": zeros}, x)
    assert tg.func.functional_call is nn.utils.stateless.functional_call
    # The weights as the variable of a pure function: its Jacobian.
    w0 = tg.randn(2, 2, dtype=tg.float64, requires_grad=True)
    lin64 = nn.Linear(2, 2).double()
    assert gradcheck(
        lambda w: nn.utils.stateless.functional_call(lin64, {"weight": w}, x.double()), (w0,)
    )


# ----------------------------------------------------------------------------- weight_norm


@pytest.mark.parametrize("dim", [0, 1, None])
def test_weight_norm_hook_api_matches_torch(dim: int | None) -> None:
    torch = pytest.importorskip("torch")
    tm = torch.nn.Conv1d(3, 4, 2).double()
    m = nn.Conv1d(3, 4, 2).double()
    _copy(tm, m)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        torch.nn.utils.weight_norm(tm, dim=dim)
    with pytest.warns(FutureWarning, match="deprecated"):
        nn.utils.weight_norm(m, dim=dim)
    assert [n for n, _ in m.named_parameters()] == [n for n, _ in tm.named_parameters()]
    assert m.weight_g.shape == tuple(tm.weight_g.shape)
    x = np.random.default_rng(5).standard_normal((2, 3, 5))
    _sgd_agree(tm, m, x)
    # removing gives back one Parameter with the current value
    torch.nn.utils.remove_weight_norm(tm)
    nn.utils.remove_weight_norm(m)
    assert list(m.state_dict()) == list(tm.state_dict())
    np.testing.assert_allclose(m.weight.detach().numpy(), tm.weight.detach().numpy(), rtol=1e-10)
    assert type(m.weight) is nn.Parameter and not m._forward_pre_hooks


@given(
    st.lists(st.integers(1, 4), min_size=1, max_size=4),
    st.integers(-1, 3) | st.none(),
    st.integers(0, 2**16),
)
def test_weight_norm_keeps_the_weight_and_splits_length_from_direction(
    shape: list[int], dim: int | None, seed: int
) -> None:
    """At registration w = g · v/‖v‖ is the old weight, g holds the norms of the slices along
    ``dim`` (−1 and None: the whole tensor's), and the hook API and the parametrization agree."""
    if dim is not None and dim >= len(shape):
        dim = len(shape) - 1
    w = np.random.default_rng(seed).standard_normal(shape) + 0.1
    holder = nn.Module()
    holder.weight = nn.Parameter(tg.tensor(w))
    nn.utils.parametrizations.weight_norm(holder, dim=dim)
    np.testing.assert_allclose(holder.weight.detach().numpy(), w, rtol=1e-12, atol=1e-12)
    g = holder.parametrizations.weight.original0.detach().numpy()
    if dim in (None, -1) or len(shape) == 1:
        expected = np.linalg.norm(w) if dim in (None, -1) else np.abs(w)
    else:
        others = tuple(i for i in range(len(shape)) if i != dim % len(shape))
        expected = np.sqrt((w**2).sum(others, keepdims=True))
    np.testing.assert_allclose(g, expected, rtol=1e-12)
    old = nn.Module()
    old.weight = nn.Parameter(tg.tensor(w))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        nn.utils.weight_norm(old, dim=dim)
    np.testing.assert_array_equal(old.weight_g.detach().numpy(), g)


@given(st.lists(st.lists(st.integers(1, 3), max_size=3), min_size=1, max_size=4))
def test_vector_round_trip_and_functional_call_with_own_parameters(shapes: list[list[int]]) -> None:
    params = [nn.Parameter(tg.randn(*s, dtype=tg.float64)) for s in shapes]
    values = [p.detach().numpy().copy() for p in params]
    vec = nn.utils.parameters_to_vector(params)
    assert vec.shape == (sum(int(np.prod(s)) for s in shapes),)
    nn.utils.vector_to_parameters(vec.detach() * 0, params)
    assert all(not p.detach().numpy().any() for p in params)
    nn.utils.vector_to_parameters(vec.detach(), params)
    for p, v in zip(params, values):
        np.testing.assert_array_equal(p.detach().numpy(), v)
    m = nn.Sequential(nn.Linear(len(shapes), 2), nn.Tanh()).double()
    x = tg.randn(3, len(shapes), dtype=tg.float64)
    own = dict(m.named_parameters())
    np.testing.assert_array_equal(
        nn.utils.stateless.functional_call(m, own, x).detach().numpy(), m(x).detach().numpy()
    )


def test_weight_norm_gradients_are_checked() -> None:
    v0 = tg.randn(3, 4, dtype=tg.float64, requires_grad=True)
    g0 = (tg.rand(3, 1, dtype=tg.float64) + 0.5).requires_grad_()
    from tinygrad_ed.nn.utils.weight_norm import _weight_norm

    for dim, g in [(0, g0), (-1, g0.detach().sum().requires_grad_())]:
        assert gradcheck(lambda v, g, dim=dim: _weight_norm(v, g, dim), (v0, g))


def test_weight_norm_bad_input() -> None:
    m = nn.Linear(2, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        nn.utils.weight_norm(m)
        with pytest.raises(RuntimeError, match="Cannot register two weight_norm hooks"):
            nn.utils.weight_norm(m)
        with pytest.raises(ValueError, match="no parameter 'kernel'"):
            nn.utils.weight_norm(nn.Linear(2, 3), name="kernel")
        with pytest.raises(IndexError, match="out of range"):
            nn.utils.weight_norm(nn.Linear(2, 3), dim=2)
    with pytest.raises(ValueError, match="weight_norm of 'bias' not found"):
        nn.utils.remove_weight_norm(m, "bias")


# ----------------------------------------------------------------------------- spectral_norm


@pytest.mark.parametrize("layer", ["Linear", "ConvTranspose2d"])
def test_spectral_norm_hook_api_matches_torch(layer: str) -> None:
    """With torch's random u and v copied over, training-mode calls (power iteration in place)
    and evaluation-mode calls (u and v frozen) agree, and so do three SGD steps."""
    torch = pytest.importorskip("torch")
    args = (4, 3) if layer == "Linear" else (3, 2, 2)
    shape = (5, 4) if layer == "Linear" else (2, 3, 3, 3)
    tm, m = getattr(torch.nn, layer)(*args).double(), getattr(nn, layer)(*args).double()
    torch.nn.utils.spectral_norm(tm, n_power_iterations=2)
    nn.utils.spectral_norm(m, n_power_iterations=2)
    assert list(m.state_dict()) == list(tm.state_dict())  # weight_orig, weight_u, weight_v
    assert m.weight_u.shape == tuple(tm.weight_u.shape)  # dim 1 for a transposed convolution
    _copy(tm, m)
    x = np.random.default_rng(6).standard_normal(shape)
    _sgd_agree(tm, m, x)
    tm.eval()
    m.eval()
    u = m.weight_u.numpy().copy()
    out = m(tg.tensor(x)).detach().numpy()
    np.testing.assert_array_equal(m.weight_u.numpy(), u)  # no power iteration in eval mode
    np.testing.assert_allclose(out, tm(torch.tensor(x)).detach().numpy(), rtol=1e-9)
    torch.nn.utils.remove_spectral_norm(tm)
    nn.utils.remove_spectral_norm(m)
    assert list(m.state_dict()) == list(tm.state_dict())
    np.testing.assert_allclose(m.weight.detach().numpy(), tm.weight.detach().numpy(), rtol=1e-9)


def test_spectral_norm_bad_input() -> None:
    m = nn.utils.spectral_norm(nn.Linear(2, 3))
    with pytest.raises(RuntimeError, match="Cannot register two spectral_norm hooks"):
        nn.utils.spectral_norm(m)
    with pytest.raises(ValueError, match="n_power_iterations"):
        nn.utils.spectral_norm(nn.Linear(2, 3), n_power_iterations=0)
    with pytest.raises(ValueError, match="no parameter 'kernel'"):
        nn.utils.spectral_norm(nn.Linear(2, 3), name="kernel")
    with pytest.raises(ValueError, match="spectral_norm of 'weight' not found"):
        nn.utils.remove_spectral_norm(nn.Linear(2, 3))
    with pytest.raises(ValueError, match="uninitialized"):
        nn.utils.spectral_norm(nn.LazyLinear(3))


# ----------------------------------------------------------------------------- parametrize


class Symmetric(nn.Module):
    def forward(self, X: tg.Tensor) -> tg.Tensor:
        return X.triu() + X.triu(1).transpose(-1, -2)

    def right_inverse(self, A: tg.Tensor) -> tg.Tensor:
        return A.triu()


class Scale(nn.Module):
    """Two originals: forward(a, b) = a · b, right_inverse(X) = (2, X / 2)."""

    def forward(self, a: tg.Tensor, b: tg.Tensor) -> tg.Tensor:
        return a * b

    def right_inverse(self, X: tg.Tensor) -> tuple[tg.Tensor, tg.Tensor]:
        return tg.full_like(X, 2.0), X / 2


def test_register_parametrization_basics() -> None:
    lin = nn.Linear(3, 3).double()
    weight = lin.weight
    w0 = weight.detach().numpy().copy()
    parametrize.register_parametrization(lin, "weight", Symmetric())
    assert type(lin).__name__ == "ParametrizedLinear" and isinstance(lin, nn.Linear)
    assert parametrize.type_before_parametrizations(lin) is nn.Linear
    assert parametrize.is_parametrized(lin) and parametrize.is_parametrized(lin, "weight")
    assert not parametrize.is_parametrized(lin, "bias")
    # the original keeps its identity (optimizers built before keep working) and right_inverse
    assert lin.parametrizations.weight.original is weight
    np.testing.assert_array_equal(weight.detach().numpy(), np.triu(w0))
    np.testing.assert_array_equal(lin.weight.detach().numpy(), lin.weight.detach().numpy().T)
    assert list(lin.state_dict()) == ["bias", "parametrizations.weight.original"]
    # assignment goes through right_inverse
    a = tg.tensor(np.arange(9.0).reshape(3, 3))
    lin.weight = a
    np.testing.assert_array_equal(weight.detach().numpy(), np.triu(a.numpy()))
    # a gradient reaches the original through the parametrization
    lin(tg.ones(1, 3, dtype=tg.float64)).sum().backward()
    assert weight.grad is not None
    np.testing.assert_array_equal(
        weight.grad.numpy(), np.triu(np.ones((3, 3))) * (1 + np.triu(np.ones((3, 3)), 1))
    )
    # cached: one evaluation per block
    calls = []
    lin.parametrizations.weight[0].register_forward_hook(lambda *a: calls.append(1))
    with parametrize.cached():
        assert lin.weight is lin.weight
    assert len(calls) == 1
    assert lin.weight is not lin.weight
    # a deep copy is parametrized too, with its own original; pickling is refused (as torch)
    twin = copy.deepcopy(lin)
    assert type(twin) is type(lin) and twin.parametrizations.weight.original is not weight
    np.testing.assert_array_equal(twin.weight.detach().numpy(), lin.weight.detach().numpy())
    with pytest.raises(RuntimeError, match="only supported through state_dict"):
        pickle.dumps(lin)
    # remove: the original Parameter back under its name, with the parametrized value
    sym = lin.weight.detach().numpy()
    parametrize.remove_parametrizations(lin, "weight")
    assert (
        type(lin) is nn.Linear and lin.weight is weight and "parametrizations" not in lin._modules
    )
    np.testing.assert_array_equal(lin.weight.detach().numpy(), sym)
    assert list(lin.state_dict()) == ["bias", "weight"]  # re-registered last, as torch


def test_parametrization_with_several_originals_and_chains() -> None:
    lin = nn.Linear(2, 3).double()
    w0 = lin.weight.detach().numpy().copy()
    parametrize.register_parametrization(lin, "weight", Scale())
    assert list(lin.state_dict()) == [
        "bias",
        "parametrizations.weight.original0",
        "parametrizations.weight.original1",
    ]
    np.testing.assert_allclose(lin.weight.detach().numpy(), w0)
    parametrize.register_parametrization(lin, "weight", nn.Tanh())  # chained after (unsafe: no)
    np.testing.assert_allclose(lin.weight.detach().numpy(), np.tanh(w0))
    with pytest.raises(RuntimeError, match="Tanh does not implement right_inverse"):
        lin.weight = tg.zeros(3, 2, dtype=tg.float64)
    with pytest.raises(ValueError, match="sequence of tensors"):
        parametrize.remove_parametrizations(lin, "weight", leave_parametrized=False)
    parametrize.remove_parametrizations(lin, "weight")
    np.testing.assert_allclose(lin.weight.detach().numpy(), np.tanh(w0))
    assert type(lin.weight) is nn.Parameter
    # a buffer can be parametrized too, and leave_parametrized=False restores the original
    bn = nn.BatchNorm1d(3)
    parametrize.register_parametrization(bn, "running_var", nn.Softplus())
    assert "parametrizations.running_var.original" in bn.state_dict()
    parametrize.remove_parametrizations(bn, "running_var", leave_parametrized=False)
    np.testing.assert_array_equal(bn.running_var.numpy(), np.ones(3))


def test_transfer_parametrizations_and_params_shares_the_originals() -> None:
    src = nn.Linear(3, 3).double()
    parametrize.register_parametrization(src, "weight", Symmetric())
    dst = nn.Linear(3, 3).double()
    parametrize.transfer_parametrizations_and_params(src, dst)
    assert dst.parametrizations.weight.original is src.parametrizations.weight.original
    np.testing.assert_array_equal(dst.weight.detach().numpy(), src.weight.detach().numpy())
    assert list(dst.state_dict()) == list(src.state_dict())
    two = nn.Linear(2, 3).double()
    parametrize.register_parametrization(two, "weight", Scale())
    bare = nn.Module()  # no weight yet: created from the parametrized value first
    parametrize.transfer_parametrizations_and_params(two, bare, "weight")
    assert bare.parametrizations.weight.original1 is two.parametrizations.weight.original1
    with pytest.raises(ValueError, match="no parametrization on 'bias'"):
        parametrize.transfer_parametrizations_and_params(two, nn.Linear(2, 3), "bias")
    torch = pytest.importorskip("torch")
    tsrc, tdst = torch.nn.Linear(3, 3), torch.nn.Linear(3, 3)
    torch.nn.utils.parametrize.register_parametrization(tsrc, "weight", torch.nn.Identity())
    torch.nn.utils.parametrize.transfer_parametrizations_and_params(tsrc, tdst)
    assert list(tdst.state_dict()) == list(dst.state_dict())


def test_parametrize_bad_input() -> None:
    class Flatten(nn.Module):
        def forward(self, x: tg.Tensor) -> tg.Tensor:
            return x.reshape(-1)

    with pytest.raises(ValueError, match="may not change the shape"):
        parametrize.register_parametrization(nn.Linear(2, 2), "weight", Flatten())
    lin = nn.Linear(2, 2)
    parametrize.register_parametrization(lin, "weight", Flatten(), unsafe=True)
    assert lin.weight.shape == (4,)
    with pytest.raises(ValueError, match="does not have a parameter, a buffer, or a parametrized"):
        parametrize.register_parametrization(nn.Linear(2, 2), "kernel", Symmetric())
    with pytest.raises(ValueError, match="does not have a parametrization on bias"):
        parametrize.remove_parametrizations(lin, "bias")
    with pytest.raises(TypeError, match="must be a Module"):
        parametrize.register_parametrization(nn.Linear(2, 2), "weight", lambda x: x)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="dtype"):
        sym = nn.Linear(2, 2)
        parametrize.register_parametrization(sym, "weight", Symmetric())
        sym.weight = tg.zeros(2, 2, dtype=tg.float64)


def test_parametrized_module_trains_as_torch() -> None:
    torch = pytest.importorskip("torch")

    class TSymmetric(torch.nn.Module):
        def forward(self, X: Any) -> Any:
            return X.triu() + X.triu(1).transpose(-1, -2)

        def right_inverse(self, A: Any) -> Any:
            return A.triu()

    tm = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2)).double()
    m = nn.Sequential(nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 2)).double()
    _copy(tm, m)
    torch.nn.utils.parametrize.register_parametrization(tm[0], "weight", TSymmetric())
    parametrize.register_parametrization(m[0], "weight", Symmetric())
    assert repr(m).replace("Symmetric", "X") == repr(tm).replace("TSymmetric", "X")
    _sgd_agree(tm, m, np.random.default_rng(7).standard_normal((4, 3)))


# ----------------------------------------------------------------------------- parametrizations


@pytest.mark.parametrize("dim", [0, 1, None])
def test_parametrizations_weight_norm_matches_torch(dim: int | None) -> None:
    torch = pytest.importorskip("torch")
    tm, m = torch.nn.Linear(3, 4).double(), nn.Linear(3, 4).double()
    _copy(tm, m)
    torch.nn.utils.parametrizations.weight_norm(tm, dim=dim)
    nn.utils.parametrizations.weight_norm(m, dim=dim)
    assert list(m.state_dict()) == list(tm.state_dict())
    np.testing.assert_allclose(m.weight.detach().numpy(), tm.weight.detach().numpy(), rtol=1e-12)
    _sgd_agree(tm, m, np.random.default_rng(8).standard_normal((5, 3)))


@pytest.mark.parametrize("layer", ["Linear", "Conv2d", "ConvTranspose1d"])
def test_parametrizations_spectral_norm_matches_torch(layer: str) -> None:
    torch = pytest.importorskip("torch")
    args, shape = {
        "Linear": ((4, 3), (5, 4)),
        "Conv2d": ((2, 3, 2), (2, 2, 4, 4)),
        "ConvTranspose1d": ((3, 2, 2), (2, 3, 5)),
    }[layer]
    tm, m = getattr(torch.nn, layer)(*args).double(), getattr(nn, layer)(*args).double()
    torch.nn.utils.parametrizations.spectral_norm(tm)
    nn.utils.parametrizations.spectral_norm(m)
    assert list(m.state_dict()) == list(tm.state_dict())
    _copy(tm, m)  # torch's u and v (random) and weights
    x = np.random.default_rng(9).standard_normal(shape)
    _sgd_agree(tm, m, x)
    tm.eval()
    m.eval()
    np.testing.assert_allclose(
        m(tg.tensor(x)).detach().numpy(), tm(torch.tensor(x)).detach().numpy(), rtol=1e-9
    )
    # After the 15 rounds of power iteration at registration, W/σ has spectral norm ≈ 1.
    # (singular values 3, 1, 0.5: the ratio 1/3 makes 15 rounds converge to 1e-14)
    q1, _ = np.linalg.qr(np.random.default_rng(10).standard_normal((3, 3)))
    q2, _ = np.linalg.qr(np.random.default_rng(11).standard_normal((4, 4)))
    fresh = nn.Linear(4, 3).double()
    fresh.weight.data[...] = q1 @ np.diag([3.0, 1.0, 0.5]) @ q2[:3]
    nn.utils.parametrizations.spectral_norm(fresh)
    np.testing.assert_allclose(np.linalg.norm(fresh.weight.detach().numpy(), 2), 1.0, rtol=1e-12)


def test_parametrizations_gradcheck_and_errors() -> None:
    from tinygrad_ed.nn.utils.parametrizations import _SpectralNorm, _WeightNorm

    w0 = tg.randn(3, 4, dtype=tg.float64, requires_grad=True)
    sn = _SpectralNorm(w0, dim=0).eval()  # u, v frozen: a smooth function of W
    assert gradcheck(lambda w: sn(w), (w0,))
    wn = _WeightNorm(0)
    g0, v0 = (t.detach().requires_grad_() for t in wn.right_inverse(w0))
    assert gradcheck(lambda g, v: wn(g, v), (g0, v0))
    np.testing.assert_allclose(wn(g0, v0).detach().numpy(), w0.detach().numpy())
    with pytest.raises(IndexError, match="Dimension out of range"):
        nn.utils.parametrizations.spectral_norm(nn.Linear(2, 3), dim=2)
    with pytest.raises(ValueError, match="n_power_iterations"):
        nn.utils.parametrizations.spectral_norm(nn.Linear(2, 3), n_power_iterations=0)
    with pytest.raises(ValueError, match="no parameter or buffer with name 'kernel'"):
        nn.utils.parametrizations.spectral_norm(nn.Linear(2, 3), name="kernel")
    with pytest.raises(IndexError, match="out of range"):
        nn.utils.parametrizations.weight_norm(nn.Linear(2, 3), dim=3)

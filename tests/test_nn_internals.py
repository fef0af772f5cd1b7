"""Layers written against torch.nn's internals, ``nn.grad`` and ``nn.CrossMapLRN2d``.

Code from papers subclasses torch's layers through their private bases: ``_ConvNd``'s
positional constructor, ``Conv2d._conv_forward``, ``_ConvTransposeNd._output_padding``,
``_ConstantPadNd(value)``, the padding and pooling bases built with Module's constructor.
Each idiom is written once as a function of the namespace (``nn``, ``F``) so that the same
class runs here and, where torch is installed, in torch: values, gradients and state_dict keys
are compared, and each also has a check without torch (a closed form or the public layer).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.numgrad import gradcheck, gradgradcheck

RNG = np.random.default_rng(30)


def _pair(v: Any) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else tuple(v)  # type: ignore[return-value]


def _ws_conv2d(nn_: Any, F_: Any) -> type:
    """The weight-standardized conv of BiT / NFNets: Conv2d's forward with a standardized
    weight, through ``_conv_forward``."""

    class WSConv2d(nn_.Conv2d):  # type: ignore[misc,name-defined]
        def forward(self, x: Any) -> Any:
            w = self.weight
            mean = w.mean(dim=(1, 2, 3), keepdim=True)
            var = ((w - mean) ** 2).mean(dim=(1, 2, 3), keepdim=True)
            return self._conv_forward(x, (w - mean) / (var + 1e-5) ** 0.5, self.bias)

    return WSConv2d


def _direct_conv(nn_: Any, F_: Any) -> type:
    """A conv built on ``_ConvNd`` itself with torch's positional arguments (as in
    ``Conv2dSame``-style layers), its forward written by hand."""

    class MyConv2d(nn_.modules.conv._ConvNd):  # type: ignore[misc,name-defined]
        def __init__(
            self, cin: int, cout: int, k: Any, stride: Any = 1, padding: Any = 0, groups: int = 1
        ) -> None:
            super().__init__(
                cin,
                cout,
                _pair(k),
                _pair(stride),
                _pair(padding),
                _pair(1),
                False,
                _pair(0),
                groups,
                True,
                "zeros",
            )

        def forward(self, x: Any) -> Any:
            return F_.conv2d(
                x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups
            )

    return MyConv2d


def _torch() -> Any:
    return pytest.importorskip("torch")


def _copy_into(ours: Any, theirs: Any) -> None:
    ours.load_state_dict({k: tg.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})


def _beside_torch(make: Callable[[Any, Any], type], *args: Any, x_shape: tuple[int, ...]) -> None:
    torch = _torch()
    theirs = make(torch.nn, torch.nn.functional)(*args).double()
    ours = make(nn, F)(*args).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert {k: v.shape for k, v in ours.state_dict().items()} == {
        k: tuple(v.shape) for k, v in theirs.state_dict().items()
    }
    assert repr(ours) == repr(theirs)
    _copy_into(ours, theirs)
    x = RNG.standard_normal(x_shape)
    xt = torch.tensor(x, requires_grad=True)
    xo = tg.tensor(x, requires_grad=True)
    yt, yo = theirs(xt), ours(xo)
    np.testing.assert_allclose(yo.data, yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    g = RNG.standard_normal(yo.shape)
    yt.backward(torch.tensor(g))
    yo.backward(tg.tensor(g))
    np.testing.assert_allclose(xo.grad.data, xt.grad.numpy(), rtol=1e-9, atol=1e-11)
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(p.grad.data, q.grad.numpy(), rtol=1e-9, atol=1e-11, err_msg=name)


# ----------------------------------------------------------------------------- convolutions


def test_ws_conv2d_beside_torch() -> None:
    _beside_torch(_ws_conv2d, 3, 4, 3, 2, 1, x_shape=(2, 3, 7, 6))


def test_ws_conv2d_is_conv2d_of_the_standardized_weight() -> None:
    m = _ws_conv2d(nn, F)(4, 6, (3, 2), stride=(2, 1), padding=1, groups=2, padding_mode="reflect")
    m = m.double()
    x = tg.tensor(RNG.standard_normal((2, 4, 6, 5)))
    w = m.weight.data
    ws = (w - w.mean(axis=(1, 2, 3), keepdims=True)) / np.sqrt(
        w.var(axis=(1, 2, 3), keepdims=True) + 1e-5
    )
    # padding_mode is _conv_forward's: reflect-pad by torch's F.pad amounts, then a plain conv
    padded = F.pad(x, m._reversed_padding_repeated_twice, mode="reflect")
    want = F.conv2d(padded, tg.tensor(ws), m.bias, (2, 1), 0, 1, 2)
    np.testing.assert_allclose(m(x).data, want.data, rtol=1e-12, atol=1e-12)
    gradcheck(lambda w_: m._conv_forward(x, w_, None), [m.weight.detach().requires_grad_()])


def test_direct_convnd_subclass_beside_torch() -> None:
    _beside_torch(_direct_conv, 4, 6, 3, 2, 1, 2, x_shape=(2, 4, 8, 7))


def test_direct_convnd_subclass_equals_conv2d() -> None:
    tg.manual_seed(0)
    mine = _direct_conv(nn, F)(4, 6, (3, 2), 2, 1, 2)
    tg.manual_seed(0)
    ref = nn.Conv2d(4, 6, (3, 2), 2, 1, groups=2)
    assert mine.weight.shape == (6, 2, 3, 2) and mine.kernel_size == (3, 2)
    np.testing.assert_array_equal(mine.weight.data, ref.weight.data)  # the same init, too
    x = tg.tensor(RNG.standard_normal((2, 4, 8, 7)).astype(np.float32))
    np.testing.assert_allclose(mine(x).data, ref(x).data, rtol=1e-6, atol=1e-6)
    assert mine.transposed is False and mine.output_padding == (0, 0)


@pytest.mark.parametrize("kernel", [(3,), (3, 2), (2, 3, 2)])
def test_convnd_reads_its_dims_from_the_kernel(kernel: tuple[int, ...]) -> None:
    class Bare(nn.modules.conv._ConvNd):
        pass

    n = len(kernel)
    m = Bare(4, 2, kernel, (1,) * n, (0,) * n, (1,) * n, True, (0,) * n, 2, False, "zeros")
    assert m.weight.shape == (4, 1, *kernel)  # transposed: (in, out/groups, k…), as torch's
    assert m.bias is None and m.transposed is True
    with pytest.raises(NotImplementedError):  # Module's forward: none was written
        m(tg.zeros(1, 4, *(5,) * n))
    with pytest.raises(TypeError, match="kernel_size"):
        Bare(4, 2, 3, 1, 0, 1, False, 0, 1, True, "zeros")


def test_super_of_conv2d_reaches_convnd() -> None:
    """``super(nn.Conv2d, self).__init__`` with _ConvNd's arguments, an idiom of older repos."""

    class Skip(nn.Conv2d):
        def __init__(self) -> None:
            super(nn.Conv2d, self).__init__(
                2, 4, (3, 3), (1, 1), (1, 1), (1, 1), False, (0, 0), 1, True, "zeros"
            )

    m = Skip()
    assert m.weight.shape == (4, 2, 3, 3) and m(tg.zeros(1, 2, 5, 5)).shape == (1, 4, 5, 5)


def test_constructor_signatures_are_torchs() -> None:
    torch = _torch()
    for name in ("_ConvNd", "_ConvTransposeNd"):
        ours = inspect.signature(getattr(nn.modules.conv, name).__init__).parameters
        theirs = inspect.signature(getattr(torch.nn.modules.conv, name).__init__).parameters
        assert list(ours) == list(theirs), name
    for name in ("Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d"):
        ours = inspect.signature(getattr(nn, name).__init__).parameters
        theirs = inspect.signature(getattr(torch.nn, name).__init__).parameters
        assert list(ours) == list(theirs), name
    ours = inspect.signature(nn.ConvTranspose2d._output_padding).parameters
    theirs = inspect.signature(torch.nn.ConvTranspose2d._output_padding).parameters
    assert list(ours) == list(theirs)


@pytest.mark.parametrize(
    ("kernel", "padding", "dilation"),
    [(3, 1, 1), ((3, 2), (2, 0), 1), ((4, 2), "same", (1, 2)), (3, "valid", 1), (2, "same", 3)],
)
def test_reversed_padding_repeated_twice_is_torchs(
    kernel: Any, padding: Any, dilation: Any
) -> None:
    torch = _torch()
    ours = nn.Conv2d(2, 2, kernel, padding=padding, dilation=dilation, padding_mode="circular")
    theirs = torch.nn.Conv2d(2, 2, kernel, padding=padding, dilation=dilation)
    assert ours._reversed_padding_repeated_twice == theirs._reversed_padding_repeated_twice


def test_conv_forward_with_a_padding_mode_beside_torch() -> None:
    torch = _torch()
    theirs = torch.nn.Conv1d(3, 2, 3, padding=2, dilation=2, padding_mode="replicate").double()
    ours = nn.Conv1d(3, 2, 3, padding=2, dilation=2, padding_mode="replicate").double()
    x, w = RNG.standard_normal((2, 3, 9)), RNG.standard_normal((2, 3, 3))
    want = theirs._conv_forward(torch.tensor(x), torch.tensor(w), None)
    got = ours._conv_forward(tg.tensor(x), tg.tensor(w), None)
    np.testing.assert_allclose(got.data, want.numpy(), rtol=1e-12, atol=1e-12)


def _ws_conv_transpose(nn_: Any, F_: Any) -> type:
    """A transposed conv with its own forward, through torch's ``_output_padding``."""

    class WSConvTranspose2d(nn_.ConvTranspose2d):  # type: ignore[misc,name-defined]
        def forward(self, x: Any, output_size: Any = None) -> Any:
            op = self._output_padding(
                x, output_size, self.stride, self.padding, self.kernel_size, 2, self.dilation
            )
            w = self.weight - self.weight.mean()
            return F_.conv_transpose2d(
                x, w, self.bias, self.stride, self.padding, op, self.groups, self.dilation
            )

    return WSConvTranspose2d


def test_output_padding_beside_torch() -> None:
    torch = _torch()
    theirs = _ws_conv_transpose(torch.nn, torch.nn.functional)(4, 2, 3, 3, 1, groups=2).double()
    ours = _ws_conv_transpose(nn, F)(4, 2, 3, 3, 1, groups=2).double()
    _copy_into(ours, theirs)
    x = RNG.standard_normal((1, 4, 4, 5))
    for size in (None, [10, 13], [1, 2, 11, 15], (12, 14)):
        t = theirs(torch.tensor(x), size)
        o = ours(tg.tensor(x), size)
        np.testing.assert_allclose(o.data, t.detach().numpy(), rtol=1e-12, atol=1e-12)
        args = (size, (3, 3), (1, 1), (3, 3), 2, (1, 1))
        assert list(ours._output_padding(tg.tensor(x), *args)) == list(
            theirs._output_padding(torch.tensor(x), *args)
        )
    with pytest.raises(ValueError, match="output size"):
        ours(tg.tensor(x), [20, 20])


def test_output_padding_picks_the_requested_size() -> None:
    m = nn.ConvTranspose1d(2, 2, 3, stride=3, padding=1, output_padding=1)
    x = tg.zeros(1, 2, 5)
    assert m._output_padding(x, None, m.stride, m.padding, m.kernel_size, 1) == [1]
    for extra in range(3):  # the smallest output is (5−1)·3 − 2 + 3 = 13
        assert m._output_padding(x, [13 + extra], (3,), (1,), (3,), 1) == [extra]
        assert m(x, [13 + extra]).shape == (1, 2, 13 + extra)


def test_conv_transpose_keeps_its_checks() -> None:
    with pytest.raises(ValueError, match="zeros"):
        nn.ConvTranspose2d(2, 2, 3, padding_mode="reflect")
    with pytest.raises(ValueError, match="zeros"):
        nn.modules.conv._ConvTransposeNd(
            2, 2, (3,), (1,), (0,), (1,), True, (0,), 1, True, "circular"
        )
    with pytest.raises(NotImplementedError):
        nn.ConvTranspose1d(2, 2, 3)._conv_forward(tg.zeros(1, 2, 4), tg.zeros(2, 2, 3), None)


# ----------------------------------------------------------------------------- padding, pooling


def _pads(nn_: Any, F_: Any) -> list[Any]:
    """torch's padding bases as users subclass them: Module's constructor (``_ConstantPadNd``
    takes the value), ``self.padding`` set afterwards, ``_check_input_dim`` overridden."""
    padding = nn_.modules.padding

    class Const(padding._ConstantPadNd):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__(2.5)
            self.padding = (1, 2, 0, 1)

    class Reflect(padding._ReflectionPadNd):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.padding = (2, 1, 1, 0)

    class Replicate(padding._ReplicationPadNd):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.padding = (1, 0, 2, 1)

    class Circular(padding._CircularPadNd):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.padding = (1, 2, 2, 0)

        def _check_input_dim(self, input: Any) -> None:
            if input.dim() != 4:
                raise ValueError("Circular: 4-d only")

    return [Const(), Reflect(), Replicate(), Circular()]


def test_padding_bases_beside_torch() -> None:
    torch = _torch()
    x = RNG.standard_normal((2, 3, 4, 5))
    for ours, theirs in zip(_pads(nn, F), _pads(torch.nn, torch.nn.functional)):
        xt = torch.tensor(x, requires_grad=True)
        xo = tg.tensor(x, requires_grad=True)
        yt, yo = theirs(xt), ours(xo)
        np.testing.assert_array_equal(yo.data, yt.detach().numpy())
        g = RNG.standard_normal(yo.shape)
        yt.backward(torch.tensor(g))
        yo.backward(tg.tensor(g))
        np.testing.assert_allclose(xo.grad.data, xt.grad.numpy(), rtol=1e-12)
        assert repr(ours) == repr(theirs)


def test_padding_bases_without_torch() -> None:
    const, reflect, replicate, circular = _pads(nn, F)
    x = tg.tensor(RNG.standard_normal((2, 3, 4, 5)))
    np.testing.assert_array_equal(const(x).data, nn.ConstantPad2d((1, 2, 0, 1), 2.5)(x).data)
    np.testing.assert_array_equal(reflect(x).data, nn.ReflectionPad2d((2, 1, 1, 0))(x).data)
    np.testing.assert_array_equal(replicate(x).data, nn.ReplicationPad2d((1, 0, 2, 1))(x).data)
    np.testing.assert_array_equal(circular(x).data, nn.CircularPad2d((1, 2, 2, 0))(x).data)
    with pytest.raises(ValueError, match="4-d only"):  # its own check, called by forward
        circular(tg.zeros(3, 4, 5))
    with pytest.raises(ValueError, match="expected 3D or 4D"):  # the public layer's
        nn.CircularPad2d(1)(tg.zeros(4, 5))
    # the public layers keep their constructors and checks
    assert nn.ZeroPad2d(1).value == 0.0 and isinstance(nn.ZeroPad2d(1), nn.ConstantPad2d)
    with pytest.raises(TypeError, match="padding"):
        nn.ReflectionPad2d(None)
    with pytest.raises(TypeError, match="value"):
        nn.ConstantPad1d(1, "a")  # type: ignore[arg-type]


def _pools(nn_: Any, F_: Any) -> list[Any]:
    pooling = nn_.modules.pooling

    class Avg(pooling._AvgPoolNd):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.kernel_size, self.stride, self.padding = 3, 2, 1
            self.ceil_mode, self.count_include_pad = True, False

        def forward(self, x: Any) -> Any:
            return F_.avg_pool2d(
                x, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                self.count_include_pad,
            )  # fmt: skip

    class Unpool(pooling._MaxUnpoolNd):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.kernel_size, self.stride, self.padding = (2, 2), (2, 2), (0, 0)

        def forward(self, x: Any, indices: Any) -> Any:
            return F_.max_unpool2d(x, indices, self.kernel_size, self.stride, self.padding)

    return [Avg(), Unpool()]


def test_pooling_bases_take_modules_constructor() -> None:
    avg, unpool = _pools(nn, F)
    x = tg.tensor(RNG.standard_normal((2, 3, 6, 6)))
    want = nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False)(x)
    np.testing.assert_array_equal(avg(x).data, want.data)
    assert "kernel_size=3, stride=2, padding=1" in repr(avg)
    pooled, idx = F.max_pool2d(x, 2, return_indices=True)
    np.testing.assert_array_equal(unpool(pooled, idx).data, nn.MaxUnpool2d(2)(pooled, idx).data)
    torch = _torch()
    t_avg, t_unpool = _pools(torch.nn, torch.nn.functional)
    np.testing.assert_allclose(avg(x).data, t_avg(torch.tensor(x.data)).numpy(), rtol=1e-12)
    t_pooled, t_idx = torch.nn.functional.max_pool2d(torch.tensor(x.data), 2, return_indices=True)
    np.testing.assert_array_equal(unpool(pooled, idx).data, t_unpool(t_pooled, t_idx).numpy())
    for base in ("_AvgPoolNd", "_MaxUnpoolNd"):  # Module's constructor: no argument
        assert getattr(nn.modules.pooling, base)().training


def test_public_pooling_constructors_unchanged() -> None:
    m = nn.AvgPool2d(3, divisor_override=2)
    assert (m.kernel_size, m.stride, m.divisor_override) == (3, 3, 2)
    assert nn.AvgPool1d(3).kernel_size == (3,) and nn.AvgPool1d(3).divisor_override is None
    u = nn.MaxUnpool3d(2, padding=1)
    assert (u.kernel_size, u.stride, u.padding) == ((2, 2, 2), (2, 2, 2), (1, 1, 1))


# ----------------------------------------------------------------------------- nn.grad

_GRAD_CASES = [
    # n, input shape, weight shape, stride, padding, dilation, groups
    (1, (2, 4, 9), (6, 2, 3), 2, 1, 1, 2),
    (1, (1, 3, 8), (2, 3, 2), 1, 0, 3, 1),
    (2, (2, 4, 7, 6), (6, 2, 3, 2), (2, 1), 1, (1, 2), 2),
    (2, (1, 2, 5, 5), (3, 2, 3, 3), 1, "same", 1, 1),
    (3, (1, 2, 5, 4, 5), (4, 1, 2, 3, 2), (1, 2, 2), (1, 0, 1), 1, 2),
]


def _grad_fns(n: int) -> tuple[Any, Any]:
    return getattr(nn.grad, f"conv{n}d_input"), getattr(nn.grad, f"conv{n}d_weight")


@pytest.mark.parametrize("case", _GRAD_CASES)
def test_nn_grad_is_the_vjp_of_conv(case: tuple[Any, ...]) -> None:
    n, xs, ws, stride, padding, dilation, groups = case
    conv = getattr(F, f"conv{n}d")
    x = tg.tensor(RNG.standard_normal(xs), requires_grad=True)
    w = tg.tensor(RNG.standard_normal(ws), requires_grad=True)
    out = conv(x, w, None, stride, padding, dilation, groups)
    g = tg.tensor(RNG.standard_normal(out.shape))
    out.backward(g)
    grad_input, grad_weight = _grad_fns(n)
    gi = grad_input(xs, w.detach(), g, stride, padding, dilation, groups)
    gw = grad_weight(x.detach(), ws, g, stride, padding, dilation, groups)
    np.testing.assert_allclose(gi.data, x.grad.data, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gw.data, w.grad.data, rtol=1e-12, atol=1e-12)
    assert not gi.requires_grad and not gw.requires_grad
    # the adjoint identity ⟨conv(x, w), g⟩ = ⟨x, x̄⟩ = ⟨w, w̄⟩ (conv is bilinear)
    inner = float((out.data * g.data).sum())
    assert np.isclose(inner, float((x.data * gi.data).sum()), rtol=1e-10)
    assert np.isclose(inner, float((w.data * gw.data).sum()), rtol=1e-10)


@pytest.mark.parametrize("case", _GRAD_CASES)
def test_nn_grad_beside_torch(case: tuple[Any, ...]) -> None:
    torch = _torch()
    n, xs, ws, stride, padding, dilation, groups = case
    if padding == "same":  # torch.nn.grad's padding goes through _single/_pair: ints only
        padding = tuple((d * (k - 1)) // 2 for d, k in zip(_pair(dilation), ws[2:]))
    x, w = RNG.standard_normal(xs), RNG.standard_normal(ws)
    out = getattr(F, f"conv{n}d")(
        tg.tensor(x), tg.tensor(w), None, stride, padding, dilation, groups
    )
    g = RNG.standard_normal(out.shape)
    args = (stride, padding, dilation, groups)
    theirs_i = getattr(torch.nn.grad, f"conv{n}d_input")(
        xs, torch.tensor(w), torch.tensor(g), *args
    )
    theirs_w = getattr(torch.nn.grad, f"conv{n}d_weight")(
        torch.tensor(x), ws, torch.tensor(g), *args
    )
    grad_input, grad_weight = _grad_fns(n)
    ours_i = grad_input(torch.Size(xs), tg.tensor(w), tg.tensor(g), *args)
    ours_w = grad_weight(tg.tensor(x), torch.Size(ws), tg.tensor(g), *args)
    np.testing.assert_allclose(ours_i.data, theirs_i.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours_w.data, theirs_w.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("n", [1, 2])
def test_nn_grad_is_differentiable_again(n: int) -> None:
    _, xs, ws, stride, padding, dilation, groups = _GRAD_CASES[0 if n == 1 else 2]
    out_shape = getattr(F, f"conv{n}d")(
        tg.zeros(*xs), tg.zeros(*ws), None, stride, padding, dilation, groups
    ).shape
    x = tg.tensor(RNG.standard_normal(xs), requires_grad=True)
    w = tg.tensor(RNG.standard_normal(ws), requires_grad=True)
    g = tg.tensor(RNG.standard_normal(out_shape), requires_grad=True)
    grad_input, grad_weight = _grad_fns(n)
    args = (stride, padding, dilation, groups)
    gradcheck(lambda w_, g_: grad_input(xs, w_, g_, *args), [w, g])
    gradcheck(lambda x_, g_: grad_weight(x_, ws, g_, *args), [x, g])
    gradgradcheck(lambda w_, g_: grad_input(xs, w_, g_, *args) ** 2, [w, g])


def test_nn_grad_under_no_grad_and_bad_shapes() -> None:
    w = tg.tensor(RNG.standard_normal((2, 3, 3)), requires_grad=True)
    g = tg.tensor(RNG.standard_normal((1, 2, 4)))
    with tg.no_grad():
        gi = nn.grad.conv1d_input((1, 3, 6), w, g)
    assert gi.shape == (1, 3, 6) and not gi.requires_grad
    assert nn.grad.conv1d_input((1, 3, 6), w, g).requires_grad  # the graph kept otherwise
    with pytest.raises(ValueError, match=r"conv1d_input\(\).*\(1, 2, 4\)"):
        nn.grad.conv1d_input((1, 3, 7), w, g)
    with pytest.raises(TypeError, match="conv2d_weight"):
        nn.grad.conv2d_weight(np.zeros((1, 1, 3, 3)), (1, 1, 2, 2), tg.zeros(1, 1, 2, 2))  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- CrossMapLRN2d


def _cross_map_ref(x: np.ndarray, size: int, alpha: float, beta: float, k: float) -> np.ndarray:
    """torch's running sum written out: channel c sums the squares of the channels within
    (size − 1)//2 of it and, always, channel 0."""
    half, c = (size - 1) // 2, x.shape[1]
    scale = np.empty_like(x)
    for i in range(c):
        window = set(range(max(0, i - half), min(c, i + half + 1))) | {0}
        scale[:, i] = k + alpha / size * sum(x[:, j] ** 2 for j in window)
    return x * scale**-beta


_LRN_CASES = [(s, c) for s in (1, 2, 3, 4, 5, 7) for c in (1, 2, 3, 6, 9)]


@pytest.mark.parametrize(("size", "channels"), _LRN_CASES)
def test_cross_map_lrn2d_forward(size: int, channels: int) -> None:
    x = RNG.standard_normal((2, channels, 3, 4))
    m = nn.CrossMapLRN2d(size, alpha=0.6, beta=0.75, k=1.5)
    want = _cross_map_ref(x, size, 0.6, 0.75, 1.5)
    np.testing.assert_allclose(m(tg.tensor(x)).data, want, rtol=1e-13, atol=1e-14)
    torch = _torch()
    theirs = torch.nn.CrossMapLRN2d(size, alpha=0.6, beta=0.75, k=1.5)(torch.tensor(x))
    np.testing.assert_allclose(m(tg.tensor(x)).data, theirs.numpy(), rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize(("size", "channels"), [(1, 3), (2, 4), (3, 5), (5, 6), (4, 2)])
def test_cross_map_lrn2d_backward(size: int, channels: int) -> None:
    m = nn.CrossMapLRN2d(size, alpha=0.8, beta=0.6, k=1.2)
    x = tg.tensor(RNG.standard_normal((2, channels, 2, 3)), requires_grad=True)
    gradcheck(m, [x])
    gradgradcheck(m, [x])


def test_cross_map_lrn2d_backward_beside_torch() -> None:
    """Our gradient is the derivative of torch's forward (checked by central differences of
    torch's forward). torch's hand-written backward is not, in general (its window is off by
    one); it agrees where every window covers every channel and its own does too (size 6,
    C = 3)."""
    torch = _torch()
    x = RNG.standard_normal((1, 6, 2, 2))
    g = RNG.standard_normal(x.shape)
    theirs = torch.nn.CrossMapLRN2d(5, alpha=0.9, beta=0.75, k=1.0)
    ours = nn.CrossMapLRN2d(5, alpha=0.9, beta=0.75, k=1.0)
    xo = tg.tensor(x, requires_grad=True)
    ours(xo).backward(tg.tensor(g))
    fd = np.zeros_like(x)
    eps = 1e-6
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[i] = eps
        hi = theirs(torch.tensor(x + d)).numpy()
        lo = theirs(torch.tensor(x - d)).numpy()
        fd[i] = ((hi - lo) * g).sum() / (2 * eps)
    np.testing.assert_allclose(xo.grad.data, fd, rtol=1e-6, atol=1e-8)
    theirs, ours = torch.nn.CrossMapLRN2d(6, 0.9), nn.CrossMapLRN2d(6, 0.9)
    x3 = x[:, :3]
    xt = torch.tensor(x3, requires_grad=True)
    theirs(xt).backward(torch.tensor(g[:, :3]))
    xo3 = tg.tensor(x3, requires_grad=True)
    ours(xo3).backward(tg.tensor(g[:, :3]))
    np.testing.assert_allclose(xo3.grad.data, xt.grad.numpy(), rtol=1e-12, atol=1e-13)


def test_cross_map_lrn2d_closed_form_and_api() -> None:
    # one channel: out = x·(k + α/size·x²)^−β whatever the size
    x = RNG.standard_normal((2, 1, 3, 3))
    out = nn.CrossMapLRN2d(3, alpha=2.0, beta=0.5, k=1.0)(tg.tensor(x))
    np.testing.assert_allclose(out.data, x / np.sqrt(1 + 2 / 3 * x**2), rtol=1e-14)
    assert nn.modules.normalization.CrossMapLRN2d is nn.CrossMapLRN2d
    assert repr(nn.CrossMapLRN2d(5)) == "CrossMapLRN2d(5, alpha=0.0001, beta=0.75, k=1)"
    with pytest.raises(ValueError, match="4D"):
        nn.CrossMapLRN2d(3)(tg.zeros(2, 3, 4))
    with pytest.raises(ValueError, match="size"):
        nn.CrossMapLRN2d(0)
    y = nn.CrossMapLRN2d(3)(tg.zeros(1, 2, 2, 2, dtype=tg.float32))
    assert y.dtype == np.float32
    torch = _torch()
    assert repr(nn.CrossMapLRN2d(5, 1e-3)) == repr(torch.nn.CrossMapLRN2d(5, 1e-3))

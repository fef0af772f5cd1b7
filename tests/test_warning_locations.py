"""Where tinygrad_ed's own warnings point: at the user's line (here, a line of this file), through
the public API and through the package's internal paths alike (``x.std()`` and ``tg.std(x)``,
``F.softmax`` and ``nn.Softmax`` inside a Sequential, ``var_mean``, loss modules and their
subclasses), as torch's warnings name the Python caller's line. Each trigger below is a one-line
lambda, so the warning's line is the lambda's first line. Under the "default" action a warning
is then shown once per line of the user's, and the package's filter for numpy's floating-point
warnings (``tg._ignore_float_warnings``) lets every one of them through."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from collections.abc import Callable
from typing import Any

import pytest

import tinygrad_ed as tg
import tinygrad_ed._linalg_solve as linalg_solve
import tinygrad_ed._namespace as namespace
import tinygrad_ed.functional as F
from tinygrad_ed import distributions as D
from tinygrad_ed import nn
from tinygrad_ed.data import DataLoader, TensorDataset, random_split

Trigger = Callable[[], Any]


def _x() -> tg.Tensor:
    return tg.tensor([1.0])


class _MyLoss(nn.MSELoss):
    """A subclass with its own ``__init__``: user code between the caller and the package."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)


class _Inner(nn.Module):
    """User code between the package's frames: its forward's line is where the warning points."""

    def forward(self, x: tg.Tensor) -> tg.Tensor:
        return F.softmax(x)


class _ListOut(nn.Module):
    def forward(self, x: tg.Tensor) -> list[tg.Tensor]:
        return [x * 2]


def _returns_list() -> Trigger:
    m = _ListOut()
    m.register_full_backward_hook(lambda *args: None)
    return lambda: m(tg.ones(1, 2, requires_grad=True))


def _hook_without_inputs() -> Trigger:
    m = nn.Linear(2, 1)
    m.register_full_backward_hook(lambda *args: None)
    x = tg.ones(1, 2)  # no input requires grad: the hook fires at the outputs
    return lambda: m(x).sum().backward()  # the warning passes autograd's numpy errstate wrapper


def _forward_fails(call: Trigger) -> None:
    """``call()``, whose forward raises; the warning names ``call``'s line, not this one's."""
    with pytest.raises(ValueError, match="forward failed"):
        call()


def _old_backward_hook() -> Trigger:
    lin = nn.Linear(2, 1)
    lin.register_backward_hook(lambda module, grad_input, grad_output: None)
    x = tg.ones(1, 2, requires_grad=True)
    return lambda: lin(x)


def _always_call_hook_raises() -> Trigger:
    class Broken(nn.Module):
        def forward(self, x: tg.Tensor) -> tg.Tensor:
            raise ValueError("forward failed")

    def hook(*args: Any) -> None:
        raise RuntimeError("hook failed")

    m = Broken()
    m.register_forward_hook(hook, always_call=True)
    return lambda: _forward_fails(lambda: m(tg.ones(1)))


def _mha() -> Trigger:
    m = nn.MultiheadAttention(4, 1)
    q = tg.ones(2, 1, 4)
    kpm, mask = tg.tensor([[False, True]]), tg.zeros(2, 2)
    return lambda: m(q, q, q, key_padding_mask=kpm, attn_mask=mask)


def _encoder_layer() -> Trigger:
    m = nn.TransformerEncoderLayer(4, 1, dim_feedforward=8, dropout=0.0)
    x = tg.ones(2, 1, 4)
    kpm, mask = tg.tensor([[False, True]]), tg.zeros(2, 2)
    return lambda: m(x, src_mask=mask, src_key_padding_mask=kpm)


def _in_sequential(module: nn.Module, x: tg.Tensor) -> Trigger:
    model = nn.Sequential(nn.Identity(), module)
    return lambda: model(x)


def _no_arg_constraints() -> Trigger:
    class NoArgConstraints(D.Normal):
        arg_constraints = D.Distribution.arg_constraints  # the base's, which raises

    return lambda: NoArgConstraints(0.0, 1.0)


def _no_support() -> Trigger:
    class NoSupport(D.Normal):
        support = D.Distribution.support  # the base's, which raises

    dist = NoSupport(0.0, 1.0)
    return lambda: dist.log_prob(tg.tensor(0.0))


def _singular_wishart() -> Trigger:
    """df barely above p − 1: the last χ² of Bartlett's diagonal underflows, so the draws are
    singular (and stay so through the redraws, which warn once)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the low-df warning at construction
        dist = D.Wishart(tg.tensor(1.000001, dtype=tg.float64), tg.eye(2, dtype=tg.float64))
    tg.manual_seed(0)
    return lambda: dist.rsample((50,))


def _ambiguous_kl() -> Trigger:
    """Two formulas, each more specific on one side (fresh classes at every call, so the lookup
    is not memoised yet)."""

    class P(D.Normal):
        pass

    class Q(D.Normal):
        pass

    D.register_kl(D.Normal, Q)(lambda p, q: tg.tensor(0.0))
    D.register_kl(P, D.Normal)(lambda p, q: tg.tensor(1.0))
    p, q = P(0.0, 1.0), Q(0.0, 1.0)
    return lambda: D.kl_divergence(p, q)


_LCE_OPTIONS = nn.LinearCrossEntropyOptions()  # options that ignored arguments make torch drop


# name: (setup returning a one-line trigger, category, message pattern)
CASES: dict[str, tuple[Callable[[], Trigger], type[Warning], str]] = {
    "var": (lambda: lambda: _x().var(), RuntimeWarning, r"var\(\): degrees of freedom is <= 0"),
    "std": (lambda: lambda: _x().std(), RuntimeWarning, r"std\(\): degrees of freedom is <= 0"),
    "tg.var": (lambda: lambda: tg.var(_x()), RuntimeWarning, r"var\(\): degrees of freedom"),
    "tg.std": (lambda: lambda: tg.std(_x()), RuntimeWarning, r"std\(\): degrees of freedom"),
    "var_mean": (lambda: lambda: tg.var_mean(_x()), RuntimeWarning, "degrees of freedom is <= 0"),
    "std_mean": (lambda: lambda: tg.std_mean(_x()), RuntimeWarning, "degrees of freedom is <= 0"),
    "cov": (lambda: lambda: tg.tensor([[1.0]]).cov(), UserWarning, r"cov\(\): degrees of freedom"),
    "tg.cov": (lambda: lambda: tg.cov(tg.tensor([[1.0]])), UserWarning, r"cov\(\): degrees"),
    ".grad of a non-leaf": (
        lambda: lambda: (_x().requires_grad_() * 2).grad,
        UserWarning,
        "The .grad attribute",
    ),
    "mT of 0-d": (lambda: lambda: tg.tensor(1.0).mT, UserWarning, "Tensor.mT is deprecated"),
    "new_tensor": (lambda: lambda: _x().new_tensor(_x()), UserWarning, r"new_tensor\(\): to copy"),
    "cross without dim": (
        lambda: lambda: tg.ones(3).cross(tg.ones(3)),
        UserWarning,
        r"cross\(\): using cross without specifying the dim",
    ),
    "tg.cross without dim": (
        lambda: lambda: tg.cross(tg.ones(3), tg.ones(3)),
        UserWarning,
        r"cross\(\): using cross without",
    ),
    "list index": (
        lambda: lambda: tg.ones(2, 2)[[[0, 1], [1, 0]]],
        UserWarning,
        "Using a non-tuple sequence for multidimensional indexing",
    ),
    "uint8 index": (
        lambda: lambda: tg.ones(3)[tg.tensor([1, 0, 1], dtype=tg.uint8)],
        UserWarning,
        "indexing with dtype torch.uint8 is now deprecated",
    ),
    "advanced index into an expanded tensor": (
        lambda: lambda: tg.zeros(1, 2).expand(3, 2).__setitem__(tg.tensor([0]), 1.0),
        UserWarning,
        "Use of index_put_ on expanded tensors is deprecated",
    ),
    "meshgrid": (
        lambda: lambda: tg.meshgrid(tg.ones(2), tg.ones(3)),
        UserWarning,
        r"meshgrid\(\): in an upcoming release",
    ),
    "out= resized": (
        lambda: lambda: tg.exp(tg.ones(3), out=tg.zeros(2)),
        UserWarning,
        "An output with one or more elements was resized",
    ),
    "frobenius_norm": (
        lambda: lambda: tg.frobenius_norm(tg.ones(2, 2), (0, 1)),
        UserWarning,
        "at::frobenius_norm is deprecated",
    ),
    "nuclear_norm": (
        lambda: lambda: tg.nuclear_norm(tg.eye(2)),
        UserWarning,
        "at::nuclear_norm is deprecated",
    ),
    "non-inplace resize": (
        lambda: lambda: tg.ones(2, 2).resize(4),
        UserWarning,
        "non-inplace resize is deprecated",
    ),
    "frombuffer of read-only bytes": (
        lambda: lambda: tg.frombuffer(b"abcd", dtype=tg.int8),
        UserWarning,
        "The given buffer is not writable",
    ),
    "chain_matmul": (
        lambda: lambda: tg.chain_matmul(tg.eye(2), tg.eye(2)),
        UserWarning,
        "torch.chain_matmul is deprecated",
    ),
    "triangular_solve": (
        lambda: lambda: tg.triangular_solve(tg.ones(2, 1), tg.eye(2)),
        UserWarning,
        "torch.triangular_solve is deprecated",
    ),
    "Tensor.triangular_solve": (
        lambda: lambda: tg.ones(2, 1).triangular_solve(tg.eye(2)),
        UserWarning,
        "torch.triangular_solve is deprecated",
    ),
    "lu": (
        lambda: lambda: tg.lu(tg.eye(2)),
        UserWarning,
        "torch.lu is deprecated",
    ),
    "Tensor.lu": (
        lambda: lambda: tg.eye(2).lu(),
        UserWarning,
        "torch.lu is deprecated",
    ),
    "lu_solve": (
        lambda: lambda: tg.lu_solve(tg.ones(2, 1), tg.eye(2), tg.tensor([1, 2], dtype=tg.int32)),
        UserWarning,
        "torch.lu_solve is deprecated",
    ),
    "Tensor.lu_solve": (
        lambda: lambda: tg.ones(2, 1).lu_solve(tg.eye(2), tg.tensor([1, 2], dtype=tg.int32)),
        UserWarning,
        "torch.lu_solve is deprecated",
    ),
    "cholesky": (
        lambda: lambda: tg.cholesky(tg.eye(2)),
        UserWarning,
        "torch.cholesky is deprecated",
    ),
    "Tensor.cholesky": (
        lambda: lambda: tg.eye(2).cholesky(),
        UserWarning,
        "torch.cholesky is deprecated",
    ),
    "F.softmax": (
        lambda: lambda: F.softmax(_x()),
        UserWarning,
        "Implicit dimension choice for softmax",
    ),
    "F.softmax _stacklevel": (
        lambda: lambda: F.softmax(_x(), None, 7),
        UserWarning,
        "Implicit dimension choice for softmax",
    ),
    "F.softmin": (
        lambda: lambda: F.softmin(_x()),
        UserWarning,
        "Implicit dimension choice for softmin",
    ),
    "F.log_softmax": (
        lambda: lambda: F.log_softmax(_x()),
        UserWarning,
        "Implicit dimension choice for log_softmax",
    ),
    "nn.Softmax": (
        lambda: lambda: nn.Softmax()(_x()),
        UserWarning,
        "Implicit dimension choice for softmax",
    ),
    "nn.Softmax in a Sequential": (
        lambda: _in_sequential(nn.Softmax(), tg.ones(2, 3)),
        UserWarning,
        "Implicit dimension choice for softmax",
    ),
    "nn.LogSoftmax in a Sequential": (
        lambda: _in_sequential(nn.LogSoftmax(), tg.ones(2, 3)),
        UserWarning,
        "Implicit dimension choice for log_softmax",
    ),
    "nn.Softmin in a Sequential": (
        lambda: _in_sequential(nn.Softmin(), tg.ones(2, 3)),
        UserWarning,
        "Implicit dimension choice for softmin",
    ),
    "gumbel_softmax eps": (
        lambda: lambda: F.gumbel_softmax(tg.ones(2, 3), eps=1e-3),
        UserWarning,
        "`eps` parameter is deprecated",
    ),
    "F.mse_loss size_average": (
        lambda: lambda: F.mse_loss(_x(), _x(), size_average=False),
        UserWarning,
        "size_average and reduce args will be deprecated, please use reduction='sum'",
    ),
    "F.cross_entropy reduce": (
        lambda: lambda: F.cross_entropy(tg.ones(2, 3), tg.tensor([0, 1]), reduce=False),
        UserWarning,
        "size_average and reduce args will be deprecated, please use reduction='none'",
    ),
    "nn.MSELoss size_average": (
        lambda: lambda: nn.MSELoss(size_average=False),
        UserWarning,
        "size_average and reduce args will be deprecated",
    ),
    "nn.CrossEntropyLoss reduce": (
        lambda: lambda: nn.CrossEntropyLoss(reduce=False),
        UserWarning,
        "size_average and reduce args will be deprecated",
    ),
    "F.linear_cross_entropy options ignored": (
        lambda: (
            lambda: F.linear_cross_entropy(
                tg.ones(2, 3), tg.ones(4, 3), tg.zeros(2, dtype=tg.int32), options=_LCE_OPTIONS
            )
        ),
        UserWarning,
        "``options`` ignored",
    ),
    "nn.LinearCrossEntropyLoss options ignored": (
        lambda: (
            lambda: nn.LinearCrossEntropyLoss(3, 4, label_smoothing=0.1, options=_LCE_OPTIONS)(
                tg.ones(2, 3), tg.zeros(2, dtype=tg.int64)
            )
        ),
        UserWarning,
        "``options`` ignored",
    ),
    "F.kl_div mean": (
        lambda: lambda: F.kl_div(_x(), _x()),
        UserWarning,
        "reduction: 'mean' divides the total loss",
    ),
    "nn.KLDivLoss mean": (
        lambda: lambda: nn.KLDivLoss()(_x(), _x()),
        UserWarning,
        "reduction: 'mean' divides the total loss",
    ),
    "F.upsample": (
        lambda: lambda: F.upsample(tg.ones(1, 1, 2), scale_factor=2),
        UserWarning,
        "`nn.functional.upsample` is deprecated",
    ),
    "F.upsample_nearest": (
        lambda: lambda: F.upsample_nearest(tg.ones(1, 1, 2), scale_factor=2),
        UserWarning,
        "`nn.functional.upsample_nearest` is deprecated",
    ),
    "F.upsample_bilinear": (
        lambda: lambda: F.upsample_bilinear(tg.ones(1, 1, 2, 2), scale_factor=2),
        UserWarning,
        "`nn.functional.upsample_bilinear` is deprecated",
    ),
    "nn.init.normal": (
        lambda: lambda: nn.init.normal(tg.zeros(2)),
        FutureWarning,
        "`nn.init.normal` is now deprecated in favor of `nn.init.normal_`",
    ),
    "nn.init.xavier_uniform": (
        lambda: lambda: nn.init.xavier_uniform(tg.zeros(2, 2)),
        FutureWarning,
        "`nn.init.xavier_uniform` is now deprecated",
    ),
    "nn.init.trunc_normal_": (
        lambda: lambda: nn.init.trunc_normal_(tg.zeros(2), mean=10.0),
        UserWarning,
        "mean is more than 2 std from",
    ),
    "nn.init kaiming of an empty tensor": (
        lambda: lambda: nn.Linear(0, 3),
        UserWarning,
        "Initializing zero-element tensors is a no-op",
    ),
    "F.dropout2d of a 2-d input": (
        lambda: lambda: F.dropout2d(tg.ones(1, 4), training=False),
        UserWarning,
        "Received a 2-D input to dropout2d, which is deprecated",
    ),
    "nn.Dropout2d of a 3-d input": (
        lambda: lambda: nn.Dropout2d()(tg.ones(1, 2, 4)),
        UserWarning,
        r"Received a 3D input to dropout2d and assuming that channel-wise 1D",
    ),
    "nn.Dropout3d of a 3-d input": (
        lambda: lambda: nn.Dropout3d()(tg.ones(1, 2, 4)),
        UserWarning,
        "Received a 3-D input to dropout3d, which is deprecated",
    ),
    "nn.LSTM dropout": (
        lambda: lambda: nn.LSTM(2, 3, dropout=0.5),
        UserWarning,
        "dropout option adds dropout after all but last recurrent layer",
    ),
    "nn.GRU dropout": (
        lambda: lambda: nn.GRU(2, 3, dropout=0.5),
        UserWarning,
        "dropout option adds dropout after all but last recurrent layer",
    ),
    "nn.InstanceNorm1d num_features": (
        lambda: lambda: nn.InstanceNorm1d(3)(tg.ones(1, 4, 5)),
        UserWarning,
        "input's size at dim=1 does not match num_features",
    ),
    "weight_norm": (
        lambda: lambda: nn.utils.weight_norm(nn.Linear(2, 2)),
        FutureWarning,
        "torch.nn.utils.weight_norm is deprecated",
    ),
    "Distribution.sample_n": (
        lambda: lambda: D.Normal(0.0, 1.0).sample_n(2),
        FutureWarning,
        r"`sample_n\(n\)` will be deprecated",
    ),
    "Distribution without arg_constraints": (
        _no_arg_constraints,
        UserWarning,
        "does not define `arg_constraints`",
    ),
    "Distribution without support": (_no_support, UserWarning, "does not define `support`"),
    "ambiguous kl_divergence": (_ambiguous_kl, RuntimeWarning, "Ambiguous kl_divergence"),
    "Wishart low df": (
        lambda: lambda: D.Wishart(tg.tensor(1.5), tg.eye(2)),
        UserWarning,
        "Low df values detected",
    ),
    "Wishart singular sample": (_singular_wishart, UserWarning, "Singular sample detected"),
    "random_split": (
        lambda: lambda: random_split(TensorDataset(tg.ones(2)), [0.99, 0.01], seed=0),
        UserWarning,
        "random_split: length of split at index 1 is 0",
    ),
    "scatter reduce": (
        lambda: lambda: _x().scatter(0, tg.tensor([0]), _x(), reduce="add"),
        UserWarning,
        "the reduce argument of scatter with Tensor src is deprecated",
    ),
    "scatter_ reduce": (
        lambda: lambda: _x().scatter_(0, tg.tensor([0]), _x(), reduce="multiply"),
        UserWarning,
        "the reduce argument of scatter with Tensor src is deprecated",
    ),
    "DataLoader pin_memory": (
        lambda: lambda: DataLoader(TensorDataset(tg.ones(2)), pin_memory=True),
        UserWarning,
        "'pin_memory' argument is set as true but no accelerator is found",
    ),
    "autocast of an absent device": (
        lambda: lambda: tg.autocast("cuda"),
        UserWarning,
        "cuda is not available here. Disabling autocast",
    ),
    "GradScaler of an absent device": (
        lambda: lambda: tg.amp.GradScaler(),
        UserWarning,
        "GradScaler is enabled, but cuda is not available here",
    ),
    "cuda.amp.GradScaler": (
        lambda: lambda: tg.cuda.amp.GradScaler(enabled=False),
        FutureWarning,
        r"`torch.cuda.amp.GradScaler\(args...\)` is deprecated",
    ),
    "cuda.amp.autocast": (
        lambda: lambda: tg.cuda.amp.autocast(enabled=False),
        FutureWarning,
        r"`torch.cuda.amp.autocast\(args...\)` is deprecated",
    ),
    "nn.utils.clip_grad_norm": (
        lambda: lambda: tg.nn.utils.clip_grad_norm([tg.ones(1, requires_grad=True)], 1.0),
        FutureWarning,
        "`torch.nn.utils.clip_grad_norm` is now deprecated",
    ),
    "make_tensor low == high": (
        lambda: lambda: tg.testing.make_tensor(2, dtype=tg.float32, device="cpu", low=1, high=1),
        FutureWarning,
        "Passing `low==high` to `torch.testing.make_tensor`",
    ),
    "Variable volatile": (
        lambda: lambda: tg.autograd.Variable(tg.ones(2), volatile=True),
        UserWarning,
        "volatile was removed and now has no effect",
    ),
    "Tensor.volatile": (
        lambda: lambda: tg.ones(2).volatile,
        UserWarning,
        "volatile was removed",
    ),
    "Tensor.volatile set": (
        lambda: lambda: setattr(tg.ones(2), "volatile", True),
        UserWarning,
        "volatile was removed and now has no effect",
    ),
    "set_float32_matmul_precision": (
        lambda: lambda: tg.set_float32_matmul_precision("fastest"),
        UserWarning,
        "fastest is not one of 'highest', 'high', or 'medium'",
    ),
    "backward hook, non-tensor output": (
        _returns_list,
        UserWarning,
        "For backward hooks to be called, module output should be a Tensor",
    ),
    "backward hook without inputs": (
        _hook_without_inputs,
        UserWarning,
        "Full backward hook is firing when gradients are computed with respect to module outputs",
    ),
    "register_backward_hook": (
        _old_backward_hook,
        FutureWarning,
        "Using a non-full backward hook when the forward contains multiple autograd Nodes",
    ),
    "state_dict positional": (
        lambda: lambda: nn.Linear(1, 1).state_dict(None, "net."),
        FutureWarning,
        "Positional args are being deprecated, use kwargs instead",
    ),
    "Hardtanh min_value": (
        lambda: lambda: nn.Hardtanh(min_value=-2.0),
        FutureWarning,
        "keyword argument `min_value` is deprecated and renamed to `min_val`",
    ),
    "forward hook always_call": (
        _always_call_hook_raises,
        UserWarning,
        "module forward hook with ``always_call=True`` raised an exception",
    ),
    "MultiheadAttention masks": (
        _mha,
        UserWarning,
        "Support for mismatched key_padding_mask and attn_mask is deprecated",
    ),
    "TransformerEncoderLayer masks": (
        _encoder_layer,
        UserWarning,
        "Support for mismatched src_key_padding_mask and src_mask is deprecated",
    ),
}


@pytest.fixture(autouse=True)
def _rearmed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The warnings torch gives once per process (cross, meshgrid, the old linalg names) armed
    again for each test, and their flags restored after it."""
    monkeypatch.setattr(tg.Tensor, "_cross_warned", False)
    monkeypatch.setattr(namespace, "_meshgrid_warned", False)
    monkeypatch.setattr(linalg_solve, "_warned", set())


def _rearm() -> None:
    tg.Tensor._cross_warned = False
    namespace._meshgrid_warned = False
    linalg_solve._warned.clear()


def _ours(log: list[warnings.WarningMessage], match: str) -> list[warnings.WarningMessage]:
    return [w for w in log if re.search(match, str(w.message))]


@pytest.mark.parametrize("case", sorted(CASES))
def test_warning_names_the_users_line(case: str) -> None:
    setup, category, match = CASES[case]
    trigger = setup()
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        tg._ignore_float_warnings()  # as importing tinygrad_ed leaves the filters
        trigger()
    ours = _ours(log, match)
    assert len(ours) == 1, [(str(w.message), w.filename) for w in log]
    w = ours[0]
    assert w.category is category
    assert (w.filename, w.lineno) == (__file__, trigger.__code__.co_firstlineno), str(w.message)


def test_every_deliberate_warning_has_a_case() -> None:
    """Each ``warn(`` call in the package is triggered above (a new one needs its case here)."""
    import pathlib

    package = pathlib.Path(tg.__file__).parent
    calls = sum(
        len(re.findall(r"(?<![\w.])warn\(", p.read_text()))
        for p in package.rglob("*.py")
        if p.name != "_warn.py"
    )
    # one case per call site, where the message differs by site; the softmax family shares one
    # site (_implicit_softmax_dim), nn.init's deprecated names another, and so on
    sites = {
        "var", "cov", ".grad of a non-leaf", "mT of 0-d", "new_tensor", "cross without dim",
        "list index", "uint8 index", "meshgrid", "chain_matmul", "triangular_solve", "F.softmax",
        "advanced index into an expanded tensor",
        "gumbel_softmax eps", "F.mse_loss size_average", "F.kl_div mean", "F.upsample",
        "F.linear_cross_entropy options ignored",
        "F.upsample_nearest", "F.upsample_bilinear", "nn.init.normal", "nn.init.trunc_normal_",
        "nn.init kaiming of an empty tensor",
        "nn.LSTM dropout", "nn.InstanceNorm1d num_features", "weight_norm", "random_split",
        "DataLoader pin_memory", "scatter reduce",
        "backward hook, non-tensor output", "backward hook without inputs",
        "forward hook always_call", "MultiheadAttention masks", "set_float32_matmul_precision",
        "Variable volatile", "Tensor.volatile", "make_tensor low == high",
        "autocast of an absent device",
        "GradScaler of an absent device", "cuda.amp.GradScaler", "cuda.amp.autocast",
        "nn.utils.clip_grad_norm",
        "F.dropout2d of a 2-d input", "nn.Dropout2d of a 3-d input", "register_backward_hook",
        "state_dict positional", "Hardtanh min_value",
        "Distribution.sample_n", "Distribution without arg_constraints",
        "Distribution without support", "ambiguous kl_divergence", "out= resized",
        "Wishart low df", "Wishart singular sample", "frobenius_norm", "nuclear_norm",
        "non-inplace resize", "frombuffer of read-only bytes",
    }  # fmt: skip
    assert sites <= set(CASES)
    assert calls == len(sites), calls
    direct = [p.name for p in package.rglob("*.py") if "warnings.warn(" in p.read_text()]
    assert direct == ["_warn.py"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_package_filter_lets_it_through(case: str) -> None:
    """The float-warnings filter's message pattern matches none of the deliberate messages (so
    they reach the user even from a line the filter's module pattern would cover)."""
    setup, _, match = CASES[case]
    trigger = setup()
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        trigger()
        tg._ignore_float_warnings()
        pattern = warnings.filters[0][1]
    assert pattern is not None and pattern.pattern.startswith("(invalid value")
    ours = _ours(log, match)
    assert ours and not [w for w in ours if pattern.match(str(w.message))]


@pytest.mark.parametrize("case", sorted(CASES))
def test_default_action_once_per_user_line(case: str) -> None:
    """The "default" action shows a warning once per line of the user's (the registry is the
    user's module's), so a loop warns once. The once-per-process flags are rearmed at every
    call: the filter is what keeps the repeats quiet."""
    setup, category, match = CASES[case]
    trigger = setup()
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("default")
        tg._ignore_float_warnings()
        for _ in range(3):
            _rearm()
            trigger()
    assert [(w.category, w.lineno) for w in _ours(log, match)] == [
        (category, trigger.__code__.co_firstlineno)
    ]


def test_default_action_another_line_warns_again() -> None:
    x, model = _x(), nn.Sequential(nn.Identity(), nn.Softmax())
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("default")
        tg._ignore_float_warnings()
        for _ in range(2):
            x.var()
            model(x)
            tg.std(x)
            nn.init.normal(tg.zeros(2))
        x.var()
        model(x)
        tg.std(x)
        nn.init.normal(tg.zeros(2))
    first = test_default_action_another_line_warns_again.__code__.co_firstlineno
    assert [(w.lineno - first, w.category) for w in log] == [
        (6, RuntimeWarning),
        (7, UserWarning),
        (8, RuntimeWarning),
        (9, FutureWarning),
        (10, RuntimeWarning),
        (11, UserWarning),
        (12, RuntimeWarning),
        (13, FutureWarning),
    ]
    assert {w.filename for w in log} == {__file__}


def test_loss_subclass_own_init_names_its_super_call() -> None:
    """A user's loss subclass with its own ``__init__``: the first line outside the package is
    its ``super().__init__`` call (torch names its own _reduction.py)."""
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        _MyLoss(size_average=False)
    assert [(w.category, w.filename, w.lineno) for w in log] == [
        (UserWarning, __file__, _MyLoss.__init__.__code__.co_firstlineno + 1)
    ]
    assert "please use reduction='sum'" in str(log[0].message)


def test_user_code_between_the_packages_frames() -> None:
    """A user's module calling F.softmax in its forward: the warning names that line."""
    model = nn.Sequential(_Inner())
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        model(_x())
    assert len(log) == 1
    assert (log[0].filename, log[0].lineno) == (
        __file__,
        _Inner.forward.__code__.co_firstlineno + 1,
    )


SCRIPT = """\
import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
x = tg.tensor([1.0], requires_grad=True)
m = nn.Sequential(nn.Softmax())
for _ in range(3):
    x.var(); tg.std_mean(x); m(x); nn.init.normal(tg.zeros(2)); (x * 2).grad
x.std()
print("done")
"""


def test_fresh_interpreter_default_filters() -> None:
    """A script with Python's default filters: each warning shown once per line, naming the
    script's line (``<string>``), the loop's once."""
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["done"]
    shown = [line for line in proc.stderr.splitlines() if "Warning: " in line]
    assert [line.split(": ", 2)[:2] for line in shown] == [
        ["<string>:7", "RuntimeWarning"],
        ["<string>:7", "RuntimeWarning"],  # std_mean's message differs from var's
        ["<string>:7", "UserWarning"],
        ["<string>:7", "FutureWarning"],
        ["<string>:7", "UserWarning"],
        ["<string>:8", "RuntimeWarning"],
    ], proc.stderr
    assert "var(): degrees of freedom" in shown[0] and "std_mean(): degrees" in shown[1]
    assert "Implicit dimension choice for softmax" in shown[2]
    assert "The .grad attribute" in shown[4] and "std(): degrees" in shown[5]

"""torch's parameter names, order, kinds and defaults for every ``nn`` module's ``forward`` and
every ``functional`` function we share with torch, so that ``model(input=t)``, a forward hook
registered with ``with_kwargs=True`` and ``F.cross_entropy(input=..., target=...)`` see what
they see in torch. Differences we keep are listed below with the reason; an entry that is no
longer needed fails the test, so the lists stay true.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn

try:
    import torch
except ImportError:  # the comparisons are skipped (empty parameter sets); the calls still run
    torch = None

Param = tuple[str, str, Any]  # name, kind, default

# torch's forward of these is Module's unimplemented ``forward(*input)``; ours is Module's
# ``forward(*args, **kwargs)``, which raises the same NotImplementedError. Abstract bases and
# containers: nobody calls them with named inputs.
ABSTRACT = {
    "Module": "abstract: Module.forward is a placeholder raising NotImplementedError",
    "ModuleDict": "container without a forward (Module's placeholder)",
    "ModuleList": "container without a forward (Module's placeholder)",
    "ParameterDict": "container without a forward (Module's placeholder)",
    "ParameterList": "container without a forward (Module's placeholder)",
    "RNNBase": "abstract base of RNN/LSTM/GRU (Module's placeholder)",
    "RNNCellBase": "abstract base of the cells (Module's placeholder)",
}

# (function, parameter): why ours differs from torch's. The parameter is left out of both
# sides before comparing, so the rest of the signature is still checked.
FUNCTIONAL_DIFFERENCES = {
    ("nll_loss", "ignore_index"): "default None (no label ignored) rather than torch's -100",
    ("cross_entropy", "ignore_index"): "default None (no label ignored) rather than torch's -100",
    ("normalize", "out"): "no out= tensors in tinygrad_ed",
}


def _params(f: Callable[..., Any], skip_self: bool = False) -> list[Param]:
    ps = list(inspect.signature(f).parameters.values())[int(skip_self) :]
    return [(p.name, p.kind.name, p.default) for p in ps]


def _doc_params(f: Callable[..., Any]) -> list[Param]:
    """A builtin's signature from the first line of its docstring, e.g.
    ``conv2d(input, weight, bias=None, stride=1, ...) -> Tensor``."""
    doc = (f.__doc__ or "").strip()
    head = doc[: doc.index("->")].strip()
    args = ast.parse(f"def f{head[head.index('(') :]}: pass").body[0].args  # type: ignore[attr-defined]
    out: list[Param] = []
    n_plain = len(args.args)
    defaults = [inspect.Parameter.empty] * (n_plain - len(args.defaults)) + [
        eval(ast.unparse(d), {"__builtins__": {}}) for d in args.defaults
    ]
    out += [(a.arg, "POSITIONAL_OR_KEYWORD", d) for a, d in zip(args.args, defaults)]
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        default = inspect.Parameter.empty if d is None else eval(ast.unparse(d), {})
        out.append((a.arg, "KEYWORD_ONLY", default))
    return out


def _torch_functional(name: str) -> list[Param]:
    TF = torch.nn.functional
    f = getattr(TF, name)
    with_indices = getattr(TF, name + "_with_indices", None)
    if with_indices is not None:  # torch's boolean_dispatch on return_indices: (*args, **kwargs)
        f = with_indices
    try:
        return _params(f)
    except ValueError:  # a builtin without a signature
        return _doc_params(f)


def _modules() -> list[str]:
    if torch is None:
        return []
    names = []
    for name in sorted(dir(nn)):
        ours = getattr(nn, name)
        torchs = getattr(torch.nn, name, None)
        if isinstance(ours, type) and issubclass(ours, nn.Module) and isinstance(torchs, type):
            names.append(name)
    return names


def _functions() -> list[str]:
    if torch is None:
        return []
    return [
        name
        for name in sorted(F.__all__)
        if callable(getattr(F, name)) and not isinstance(getattr(F, name), type)
        if callable(getattr(torch.nn.functional, name, None))
        and not isinstance(getattr(torch.nn.functional, name), type)
    ]


def test_the_lists_cover_what_we_share_with_torch() -> None:
    pytest.importorskip("torch")
    modules, functions = _modules(), _functions()
    assert len(modules) > 100 and {"Linear", "MultiheadAttention", "Transformer"} <= set(modules)
    assert len(functions) > 100 and {"conv2d", "max_pool2d", "cross_entropy"} <= set(functions)
    assert set(ABSTRACT) <= set(modules)
    assert {f for f, _ in FUNCTIONAL_DIFFERENCES} <= set(functions)


@pytest.mark.parametrize("name", _modules())
def test_forward_signature_is_torchs(name: str) -> None:
    if name in ABSTRACT:
        # Still abstract here: calling it must raise as torch's does.
        ours = getattr(nn, name)
        assert ours.forward is nn.Module.forward
        assert getattr(torch.nn, name).forward is torch.nn.Module.forward
        return
    ours = _params(getattr(nn, name).forward, skip_self=True)
    theirs = _params(getattr(torch.nn, name).forward, skip_self=True)
    assert ours == theirs, f"nn.{name}.forward: ours {ours}, torch's {theirs}"


@pytest.mark.parametrize("name", _functions())
def test_functional_signature_is_torchs(name: str) -> None:
    allowed = {p for f, p in FUNCTIONAL_DIFFERENCES if f == name}
    ours = [p for p in _params(getattr(F, name)) if p[0] not in allowed]
    theirs = [p for p in _torch_functional(name) if p[0] not in allowed]
    assert ours == theirs, f"F.{name}: ours {ours}, torch's {theirs}"


@pytest.mark.parametrize(("name", "param"), sorted(FUNCTIONAL_DIFFERENCES))
def test_each_kept_difference_is_real(name: str, param: str) -> None:
    pytest.importorskip("torch")
    ours = {p[0]: p for p in _params(getattr(F, name))}
    theirs = {p[0]: p for p in _torch_functional(name)}
    assert ours.get(param) != theirs.get(param), f"F.{name}({param}) now matches torch's"


def test_modules_called_with_torchs_keywords() -> None:
    """Runs without torch: the names reach forward and a with_kwargs hook as torch's do."""
    seen: list[dict[str, Any]] = []
    relu = nn.ReLU()
    relu.register_forward_hook(lambda m, args, kwargs, out: seen.append(kwargs), with_kwargs=True)
    h = relu(input=nn.Linear(3, 4)(input=tg.ones(2, 3)))
    assert list(seen[0]) == ["input"] and h.shape == (2, 4)
    out = nn.AdaptiveLogSoftmaxWithLoss(4, 5, [2])(input_=h, target_=tg.tensor([0, 4]))
    assert out.output.shape == (2,)
    assert nn.RMSNorm(4)(x=h).shape == (2, 4)
    assert nn.Sequential(nn.Tanh())(input=h).shape == (2, 4)


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
def test_softmax_dtype_casts_the_input_first(name: str) -> None:
    """torch's ``dtype=``: integers become floats before the softmax, floats change precision."""
    f = getattr(F, name)
    x = tg.tensor([[1, 2, 3], [0, 0, 5]])
    out = f(x, 1, dtype=tg.float64)
    want = f(x.to(tg.float64), 1)
    assert out.dtype == tg.float64 and np.array_equal(out.numpy(), want.numpy())
    half = f(tg.tensor([1.0, 2.0], dtype=tg.float64), 0, dtype=tg.float32)
    assert half.dtype == tg.float32
    with pytest.raises(TypeError, match=name):
        f(x, 1, dtype="nope")
    if torch is not None:
        theirs = getattr(torch.nn.functional, name)(torch.tensor(x.numpy()), 1, dtype=torch.float64)
        np.testing.assert_allclose(out.numpy(), theirs.numpy(), rtol=1e-15, atol=0)

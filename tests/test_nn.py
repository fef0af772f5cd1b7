"""nn: Module semantics, layers, activations, losses and init, each gradchecked in float64."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.nn import init
from tinygrad_ed.numgrad import GradcheckError, gradcheck
from tinygrad_ed.tensor import Tensor

f64 = np.float64


def t64(a: Any, requires_grad: bool = False) -> Tensor:
    return tg.tensor(np.asarray(a, dtype=f64), requires_grad=requires_grad)


@contextmanager
def swapped(module: nn.Module, params: dict[str, Tensor]) -> Iterator[None]:
    """Run the module with plain tensors in place of its parameters (torch's functional_call).

    gradcheck calls its function with fresh leaves; putting them where the parameters live lets
    it differentiate the layer's output with respect to its weights.
    """
    saved = {}
    for name, t in params.items():
        owner = module.get_submodule(name.rpartition(".")[0])
        key = name.rpartition(".")[2]
        saved[name] = (owner, key, owner._parameters[key])
        owner._parameters[key] = t  # type: ignore[assignment]
    try:
        yield
    finally:
        for owner, key, p in saved.values():
            owner._parameters[key] = p


def check_module(module: nn.Module, *inputs: np.ndarray, seed: int | None = None) -> None:
    """gradcheck a module with respect to its inputs and all of its parameters."""
    names = [n for n, _ in module.named_parameters()]
    values = [p.data for _, p in module.named_parameters()]
    n_in = len(inputs)

    def fn(*ts: Tensor) -> Tensor:
        if seed is not None:  # the same dropout mask at every evaluation
            tg.manual_seed(seed)
        with swapped(module, dict(zip(names, ts[n_in:]))):
            out: Tensor = module(*ts[:n_in])
            return out

    assert gradcheck(fn, [*inputs, *values])


rng = np.random.default_rng(1234)


# ----------------------------------------------------------------------------- Parameter


def test_parameter_is_a_leaf_tensor_that_requires_grad() -> None:
    p = nn.Parameter(tg.tensor([1.0, 2.0]))
    assert isinstance(p, Tensor) and p.requires_grad and p.is_leaf
    assert nn.Parameter([1.0], requires_grad=False).requires_grad is False
    assert p.dtype == np.float32


def test_parameter_shares_the_tensor_array_like_torch() -> None:
    t = t64([1.0, 2.0])
    p = nn.Parameter(t)
    assert p.data is t.data and p.dtype == f64


def test_parameter_ops_and_detach_give_plain_tensors() -> None:
    p = nn.Parameter(t64([1.0, 2.0]))
    assert type(p * 2) is Tensor
    assert type(p.detach()) is Tensor and not p.detach().requires_grad
    assert type(nn.Parameter(t64([[1.0, 2.0]])).T) is Tensor
    (p * p).sum().backward()
    assert p.grad is not None and type(p.grad) is Tensor
    np.testing.assert_array_equal(p.grad.data, [2.0, 4.0])


def test_parameter_repr() -> None:
    p = nn.Parameter(tg.tensor([1.0, 2.0]))
    assert repr(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"


def test_parameter_of_ints_cannot_require_grad() -> None:
    with pytest.raises(TypeError, match="floating"):
        nn.Parameter(tg.tensor([1, 2]))


def test_parameter_has_no_dict() -> None:
    assert not hasattr(nn.Parameter([1.0]), "__dict__")


# ----------------------------------------------------------------------------- Module


class Block(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(3, 4)
        self.scale = nn.Parameter(tg.ones(4))
        self.act = nn.ReLU()
        self.plain = 5  # not registered

    def forward(self, x: Tensor) -> Tensor:
        out: Tensor = self.act(self.fc(x)) * self.scale
        return out


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.first = Block()
        self.head = nn.Linear(4, 2)

    def forward(self, x: Tensor) -> Tensor:
        out: Tensor = self.head(self.first(x))
        return out


def test_named_parameters_dotted_in_registration_order() -> None:
    net = Net()
    names = [n for n, _ in net.named_parameters()]
    # torch's order: each module's own parameters, then its children's, depth first.
    assert names == ["first.scale", "first.fc.weight", "first.fc.bias", "head.weight", "head.bias"]
    assert [p for p in net.parameters()] == [p for _, p in net.named_parameters()]
    assert [n for n, _ in net.first.named_parameters(prefix="b")][1] == "b.fc.weight"
    assert [n for n, _ in net.first.named_parameters(recurse=False)] == ["scale"]


def test_shared_parameter_is_listed_once() -> None:
    a = nn.Linear(2, 2)
    b = nn.Linear(2, 2)
    b.weight = a.weight
    seq = nn.Sequential(a, b, a)
    assert [n for n, _ in seq.named_parameters()] == ["0.weight", "0.bias", "1.bias"]
    assert len(list(seq.modules())) == 3  # a is reached twice, listed once


def test_children_and_modules() -> None:
    net = Net()
    assert [n for n, _ in net.named_children()] == ["first", "head"]
    assert list(net.children()) == [net.first, net.head]
    names = [n for n, _ in net.named_modules()]
    assert names == ["", "first", "first.fc", "first.act", "head"]
    assert next(iter(net.modules())) is net
    assert net.get_submodule("first.fc") is net.first.fc
    with pytest.raises(AttributeError, match="nope"):
        net.get_submodule("first.nope")


def test_registration_follows_reassignment() -> None:
    blk = Block()
    blk.fc = nn.Linear(3, 4, bias=False)  # a replaced layer keeps its place
    assert [n for n, _ in blk.named_parameters()] == ["scale", "fc.weight"]
    assert [n for n, _ in blk.named_children()] == ["fc", "act"]
    blk.scale = None  # type: ignore[assignment]
    assert blk.scale is None
    assert [n for n, _ in blk.named_parameters()] == ["fc.weight"]
    blk.scale = nn.Parameter(tg.zeros(4))
    assert "scale" in dict(blk.named_parameters())
    del blk.scale
    assert "scale" not in dict(blk.named_parameters())
    with pytest.raises(AttributeError):
        _ = blk.scale


def test_assigning_a_plain_tensor_to_a_parameter_slot_raises() -> None:
    lin = nn.Linear(2, 3)
    with pytest.raises(TypeError, match="'weight'"):
        lin.weight = tg.zeros(3, 2)  # type: ignore[assignment]


def test_plain_attributes_are_not_registered() -> None:
    blk = Block()
    assert blk.plain == 5
    assert "plain" not in dict(blk.named_parameters())
    assert "plain" not in blk.state_dict()
    blk.t = tg.zeros(2)  # a plain tensor is an ordinary attribute, not a parameter
    assert "t" not in dict(blk.named_parameters())


def test_unknown_attribute_raises_attribute_error() -> None:
    net = Net()
    with pytest.raises(AttributeError, match="'Net' object has no attribute 'nope'"):
        _ = net.nope
    assert not hasattr(net, "weight")
    assert getattr(net, "nope", None) is None


def test_assignment_before_super_init_raises() -> None:
    class Bad(nn.Module):
        def __init__(self) -> None:
            self.fc = nn.Linear(1, 1)
            super().__init__()

    with pytest.raises(AttributeError, match=r"before Module.__init__\(\)"):
        Bad()


def test_missing_forward_raises() -> None:
    class NoForward(nn.Module):
        pass

    with pytest.raises(NotImplementedError, match="NoForward"):
        NoForward()(tg.zeros(1))


def test_register_parameter_and_buffer() -> None:
    m = nn.Module()
    m.register_parameter("w", nn.Parameter(tg.ones(2)))
    m.register_buffer("running", tg.zeros(2))
    m.register_buffer("scratch", tg.zeros(2), persistent=False)
    assert [n for n, _ in m.named_parameters()] == ["w"]
    assert [n for n, _ in m.named_buffers()] == ["running", "scratch"]
    assert list(m.state_dict()) == ["w", "running"]
    with pytest.raises(KeyError, match="contain"):
        m.register_parameter("a.b", None)
    with pytest.raises(TypeError, match="Parameter or None"):
        m.register_parameter("x", tg.zeros(1))  # type: ignore[arg-type]


def test_registering_a_name_that_is_already_taken_raises_like_torch() -> None:
    lin = nn.Linear(2, 3)
    with pytest.raises(KeyError, match="attribute 'weight' of Linear already exists"):
        lin.register_buffer("weight", tg.zeros(1))  # already a parameter
    with pytest.raises(KeyError, match="attribute 'train' of Linear already exists"):
        lin.add_module("train", nn.ReLU())  # a method: the child would be unreachable
    with pytest.raises(KeyError, match="attribute 'in_features' of Linear already exists"):
        lin.register_parameter("in_features", None)  # a plain attribute
    with pytest.raises(KeyError, match="attribute 'train' of Linear already exists"):
        lin.train = nn.Parameter(tg.zeros(1))  # type: ignore[assignment, method-assign]
    blk = Block()
    with pytest.raises(KeyError, match="attribute 'fc' of Block already exists"):
        blk.register_parameter("fc", nn.Parameter(tg.zeros(1)))  # already a child module
    assert isinstance(blk.fc, nn.Linear) and type(lin.weight) is nn.Parameter
    # Re-registering in the same store is allowed, as in torch.
    lin.register_parameter("weight", nn.Parameter(tg.zeros(3, 2)))
    blk.add_module("fc", nn.Linear(3, 4))
    assert [n for n, _ in blk.named_children()] == ["fc", "act"]


def test_assigning_a_module_to_a_parameter_slot_raises() -> None:
    lin = nn.Linear(2, 3)
    with pytest.raises(TypeError, match="cannot assign 'ReLU' as parameter 'weight' of Linear"):
        lin.weight = nn.ReLU()  # type: ignore[assignment]
    assert type(lin.weight) is nn.Parameter and "weight" not in lin._modules
    lin.weight = None  # type: ignore[assignment]
    assert lin.weight is None and "weight" in lin._parameters  # None keeps the slot


def test_train_eval_recursive_and_chainable() -> None:
    net = Net()
    assert all(m.training for m in net.modules())
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    net.first.eval()
    assert net.training and not net.first.fc.training


def test_zero_grad_sets_none() -> None:
    net = Net()
    net(tg.randn(5, 3)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    net(tg.randn(5, 3)).sum().backward()
    net.zero_grad(set_to_none=False)
    for p in net.parameters():
        assert p.grad is not None and p.grad.shape == p.shape and not p.grad.data.any()


def test_zero_grad_without_set_to_none_leaves_missing_gradients_none() -> None:
    # torch zeroes existing gradients only, so optimizers still skip frozen parameters.
    lin = nn.Linear(2, 2)
    assert lin.bias is not None
    lin.bias.requires_grad_(False)
    lin(tg.randn(3, 2)).sum().backward()
    lin.zero_grad(set_to_none=False)
    assert lin.weight.grad is not None and not lin.weight.grad.data.any()
    assert lin.bias.grad is None


def test_call_runs_forward_inside_the_module_scope() -> None:
    net = Net()
    out = net(tg.randn(2, 3))
    assert out.grad_fn is not None
    assert out.grad_fn.scope == (net, net.head)


def test_module_to_double() -> None:
    net = Net().double()
    assert all(p.dtype == f64 for p in net.parameters())
    assert net(t64(rng.standard_normal((2, 3)))).dtype == f64


# ----------------------------------------------------------------------------- state dict


def test_state_dict_keys_and_copies() -> None:
    net = Net()
    sd = net.state_dict()
    assert list(sd) == [n for n, _ in net.named_parameters()]
    assert all(type(v) is Tensor and not v.requires_grad for v in sd.values())
    before = sd["head.weight"].data.copy()
    with tg.no_grad():
        net.head.weight.add_(1.0)
    np.testing.assert_array_equal(sd["head.weight"].data, before)  # a copy, not an alias
    sd["head.bias"].data[:] = 42.0
    assert not np.any(dict(net.named_parameters())["head.bias"].data == 42.0)
    kept = net.state_dict(keep_vars=True)
    assert kept["head.weight"] is net.head.weight


def test_load_state_dict_round_trip_keeps_parameter_identity() -> None:
    tg.manual_seed(0)
    a = Net()
    tg.manual_seed(1)
    b = Net()
    x = tg.randn(4, 3)
    w = b.head.weight
    result = b.load_state_dict(a.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert b.head.weight is w  # optimizers holding the parameter keep working
    np.testing.assert_array_equal(a(x).data, b(x).data)
    b.load_state_dict({k: v.data for k, v in a.state_dict().items()})  # arrays work too


def test_load_state_dict_missing_key_raises_naming_it() -> None:
    net = Net()
    sd = net.state_dict()
    del sd["first.scale"]
    with pytest.raises(RuntimeError, match=r'Missing key\(s\) in state_dict: "first.scale"'):
        net.load_state_dict(sd)


def test_load_state_dict_unexpected_key_raises_naming_it() -> None:
    net = Net()
    sd = net.state_dict()
    sd["extra.weight"] = tg.zeros(1)
    with pytest.raises(RuntimeError, match=r'Unexpected key\(s\) in state_dict: "extra.weight"'):
        net.load_state_dict(sd)


def test_load_state_dict_wrong_shape_names_key_and_both_shapes() -> None:
    net = Net()
    sd = net.state_dict()
    sd["head.weight"] = tg.zeros(3, 4)
    before = dict(net.named_parameters())["head.bias"].data.copy()
    sd["head.bias"] = tg.zeros(2) + 7.0
    msg = r"size mismatch for head.weight: .*shape \(3, 4\).*shape in current model is \(2, 4\)"
    with pytest.raises(RuntimeError, match=msg):
        net.load_state_dict(sd)
    np.testing.assert_array_equal(
        dict(net.named_parameters())["head.bias"].data, before
    )  # all or nothing
    with pytest.raises(RuntimeError, match="size mismatch"):
        net.load_state_dict(sd, strict=False)  # shapes are checked even when not strict


def test_load_state_dict_non_strict_reports_keys() -> None:
    net = Net()
    sd = net.state_dict()
    del sd["head.bias"]
    sd["bogus"] = tg.zeros(1)
    missing, unexpected = net.load_state_dict(sd, strict=False)
    assert missing == ["head.bias"] and unexpected == ["bogus"]


def test_load_state_dict_casts_to_the_parameter_dtype() -> None:
    lin = nn.Linear(2, 2)
    lin.load_state_dict({"weight": np.eye(2, dtype=f64), "bias": np.zeros(2, dtype=f64)})
    assert lin.weight.dtype == np.float32
    np.testing.assert_array_equal(lin.weight.data, np.eye(2))


def test_load_state_dict_after_forward_makes_backward_raise_like_torch() -> None:
    # The forward saved the old weight (for x̄ = g W); loading overwrites it in place.
    lin = nn.Linear(3, 2)
    sd = lin.state_dict()
    out = lin(tg.randn(4, 3, requires_grad=True)).sum()
    lin.load_state_dict(sd)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.backward()


def test_module_reached_under_two_names_is_listed_under_both_like_torch() -> None:
    lin = nn.Linear(2, 2)
    seq = nn.Sequential(lin, nn.ReLU(), lin)
    both = ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert list(seq.state_dict()) == both
    assert [n for n, _ in seq.named_parameters()] == ["0.weight", "0.bias"]
    assert [n for n, _ in seq.named_parameters(remove_duplicate=False)] == both
    assert [n for n, _ in seq.named_modules(remove_duplicate=False)] == ["", "0", "1", "2"]
    assert len(list(seq.parameters())) == 2  # the optimizer still sees each weight once
    sd = {k: v + 1.0 for k, v in seq.state_dict().items()}
    assert seq.load_state_dict(sd) == ([], [])  # strict: both names are expected and load
    np.testing.assert_array_equal(lin.weight.data, sd["2.weight"].data)


def test_a_cycle_of_modules_raises_instead_of_walking_forever() -> None:
    outer = nn.Sequential(nn.Linear(2, 2))
    outer.add_module("inner", nn.Sequential(outer))
    assert len(list(outer.modules())) == 3  # the memo cuts the cycle
    with pytest.raises(ValueError, match="own ancestors"):
        outer.state_dict()


# ----------------------------------------------------------------------------- repr


def test_sequential_repr_matches_torch() -> None:
    seq = nn.Sequential(nn.Linear(4, 3), nn.ReLU())
    assert repr(seq) == (
        "Sequential(\n  (0): Linear(in_features=4, out_features=3, bias=True)\n  (1): ReLU()\n)"
    )


def test_nested_repr_indents_like_torch() -> None:
    assert repr(Net()) == (
        "Net(\n"
        "  (first): Block(\n"
        "    (fc): Linear(in_features=3, out_features=4, bias=True)\n"
        "    (act): ReLU()\n"
        "  )\n"
        "  (head): Linear(in_features=4, out_features=2, bias=True)\n"
        ")"
    )


@pytest.mark.parametrize(
    ("module", "text"),
    [
        (nn.Linear(2, 1, bias=False), "Linear(in_features=2, out_features=1, bias=False)"),
        (nn.Dropout(0.25), "Dropout(p=0.25, inplace=False)"),
        (nn.Flatten(), "Flatten(start_dim=1, end_dim=-1)"),
        (nn.Softmax(dim=1), "Softmax(dim=1)"),
        (nn.LogSoftmax(dim=-1), "LogSoftmax(dim=-1)"),
        (nn.Sigmoid(), "Sigmoid()"),
        (nn.Tanh(), "Tanh()"),
        (nn.Identity(), "Identity()"),
        (nn.CrossEntropyLoss(), "CrossEntropyLoss()"),
        (nn.Sequential(), "Sequential()"),
    ],
)
def test_layer_reprs(module: nn.Module, text: str) -> None:
    assert repr(module) == text


# ----------------------------------------------------------------------------- Linear


def test_linear_shapes_and_forward() -> None:
    lin = nn.Linear(4, 3, dtype=f64)
    assert lin.weight.shape == (3, 4) and lin.bias is not None and lin.bias.shape == (3,)
    assert lin.weight.dtype == f64
    x = rng.standard_normal((5, 4))
    expected = x @ lin.weight.data.T + lin.bias.data
    np.testing.assert_allclose(lin(t64(x)).data, expected, rtol=1e-12)
    assert lin(t64(x[0])).shape == (3,)  # a single example
    assert lin(t64(rng.standard_normal((2, 5, 4)))).shape == (2, 5, 3)  # extra batch dims


def test_linear_default_init_is_torchs_uniform() -> None:
    tg.manual_seed(0)
    lin = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    w = lin.weight.data
    assert lin.bias is not None
    assert np.abs(w).max() <= bound and np.abs(lin.bias.data).max() <= bound
    # U(−b, b) has standard deviation b/√3; 120 000 samples pin it to well under 1%.
    assert w.std() == pytest.approx(bound / math.sqrt(3), rel=0.01)
    assert abs(w.mean()) < 0.01 * bound


def test_linear_init_is_seeded() -> None:
    tg.manual_seed(7)
    a = nn.Linear(3, 2)
    tg.manual_seed(7)
    b = nn.Linear(3, 2)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    assert a.bias is not None and b.bias is not None
    np.testing.assert_array_equal(a.bias.data, b.bias.data)


def test_linear_forward_is_one_op() -> None:
    lin = nn.Linear(4, 3)
    out = lin(tg.randn(2, 4))
    assert out.grad_fn is not None and out.grad_fn.name() == "AddmmBackward"
    assert out.grad_fn.parents[1] is lin.weight and out.grad_fn.parents[2] is lin.bias


def test_linear_without_bias() -> None:
    lin = nn.Linear(3, 2, bias=False, dtype=f64)
    assert lin.bias is None
    assert [n for n, _ in lin.named_parameters()] == ["weight"]
    x = rng.standard_normal((4, 3))
    np.testing.assert_allclose(lin(t64(x)).data, x @ lin.weight.data.T)
    check_module(lin, x)


def test_linear_rejects_wrong_feature_count_naming_shapes() -> None:
    lin = nn.Linear(4, 3)
    with pytest.raises(ValueError, match=r"Linear\(in_features=4.*shape \(2, 5\)"):
        lin(tg.zeros(2, 5))
    with pytest.raises(TypeError, match="Tensor"):
        lin(np.zeros((2, 4)))


def test_linear_gradcheck() -> None:
    check_module(nn.Linear(4, 3, dtype=f64), rng.standard_normal((5, 4)))


def test_gradcheck_catches_a_wrong_gradient() -> None:
    # Guards the helper itself: a dependence hidden from backprop (detach) must be caught.
    lin = nn.Linear(2, 2, dtype=f64)
    x, w = rng.standard_normal((3, 2)), rng.standard_normal((2, 2))

    def hidden(x: Tensor, w: Tensor) -> Tensor:
        with swapped(lin, {"weight": w}):
            out: Tensor = lin(x) + (w.detach() * x.sum()).sum()
            return out

    with pytest.raises(GradcheckError):
        gradcheck(hidden, [x, w])


# ----------------------------------------------------------------------------- Sequential


def test_sequential_indexing_len_iter() -> None:
    a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    seq = nn.Sequential(a, b, c)
    assert len(seq) == 3 and list(seq) == [a, b, c]
    assert seq[0] is a and seq[-1] is c
    head = seq[:2]
    assert isinstance(head, nn.Sequential) and list(head) == [a, b]
    assert head[0] is a  # slices share the layers
    assert list(seq[::2]) == [a, c]
    with pytest.raises(IndexError, match="out of range for 3"):
        seq[3]
    x = tg.randn(4, 2)
    np.testing.assert_array_equal(seq(x).data, c(b(a(x))).data)


def test_sequential_ordered_dict_append_set_del() -> None:
    seq = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.Tanh())]))
    assert [n for n, _ in seq.named_children()] == ["fc", "act"]
    assert seq.fc is seq[0]
    seq.append(nn.Sigmoid())
    assert [n for n, _ in seq.named_children()] == ["fc", "act", "2"]
    seq[1] = nn.ReLU()
    assert isinstance(seq[1], nn.ReLU)
    plain = nn.Sequential(nn.ReLU(), nn.Tanh(), nn.Sigmoid())
    del plain[0]
    assert [n for n, _ in plain.named_children()] == ["0", "1"]
    assert isinstance(plain[0], nn.Tanh)


def test_sequential_rejects_non_modules() -> None:
    with pytest.raises(TypeError, match="argument 1"):
        nn.Sequential(nn.ReLU(), F.relu)


def test_sequential_mlp_gradcheck() -> None:
    tg.manual_seed(3)
    mlp = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2), nn.Sigmoid()).double()
    check_module(mlp, rng.standard_normal((4, 3)))


# ----------------------------------------------------------------------------- activations etc.

ACTIVATIONS: list[tuple[nn.Module, Callable[[np.ndarray], np.ndarray]]] = [
    (nn.ReLU(), lambda x: np.maximum(x, 0)),
    (nn.Sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
    (nn.Tanh(), np.tanh),
    (nn.Softmax(dim=1), lambda x: np.exp(x) / np.exp(x).sum(1, keepdims=True)),
    (nn.Softmax(dim=0), lambda x: np.exp(x) / np.exp(x).sum(0, keepdims=True)),
    (nn.LogSoftmax(dim=1), lambda x: x - np.log(np.exp(x).sum(1, keepdims=True))),
    (nn.Identity(), lambda x: x),
    (nn.Flatten(), lambda x: x.reshape(x.shape[0], -1)),
    (nn.Flatten(0), lambda x: x.reshape(-1)),
]


@pytest.mark.parametrize(("module", "ref"), ACTIVATIONS, ids=lambda v: repr(v)[:20])
def test_activation_values_and_gradcheck(
    module: nn.Module, ref: Callable[[np.ndarray], np.ndarray]
) -> None:
    x = rng.standard_normal((3, 4))
    x[np.abs(x) < 0.05] = 0.5  # keep away from relu's kink
    np.testing.assert_allclose(module(t64(x)).data, ref(x), rtol=1e-12, atol=1e-15)
    check_module(module, x)


def test_flatten_keeps_batch_dim() -> None:
    x = tg.zeros(2, 3, 4, 5)
    assert nn.Flatten()(x).shape == (2, 60)
    assert nn.Flatten(1, 2)(x).shape == (2, 12, 5)


def test_softmax_default_dim_is_torchs_legacy_choice() -> None:
    x = tg.randn(2, 3)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        np.testing.assert_allclose(nn.Softmax()(x).data.sum(1), 1.0, rtol=1e-6)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        np.testing.assert_allclose(nn.Softmax()(tg.randn(4)).data.sum(), 1.0, rtol=1e-6)


def test_identity_ignores_arguments_and_returns_input() -> None:
    x = tg.randn(3)
    assert nn.Identity(54, unused="x")(x) is x


# ----------------------------------------------------------------------------- Dropout


def test_dropout_eval_is_identity() -> None:
    drop = nn.Dropout(0.5).eval()
    x = tg.randn(10)
    assert drop(x) is x
    assert nn.Dropout(0.0)(x) is x


def test_dropout_train_scales_kept_units_and_is_unbiased() -> None:
    tg.manual_seed(0)
    drop = nn.Dropout(0.3)
    x = tg.ones(200_000, dtype=f64)
    y = drop(x).data
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / 0.7)
    assert kept.mean() == pytest.approx(0.7, abs=0.005)
    assert y.mean() == pytest.approx(1.0, abs=0.01)


def test_dropout_mask_comes_from_the_global_generator() -> None:
    x = tg.ones(50)
    tg.manual_seed(5)
    a = nn.Dropout()(x).data
    tg.manual_seed(5)
    b = nn.Dropout()(x).data
    c = nn.Dropout()(x).data
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(b, c)


def test_dropout_p_one_zeroes_and_bad_p_raises() -> None:
    assert not nn.Dropout(1.0)(tg.ones(5)).data.any()
    with pytest.raises(ValueError, match=r"between 0 and 1, but got 1\.5"):
        nn.Dropout(1.5)


def test_dropout_gradient_is_the_scaled_mask() -> None:
    tg.manual_seed(1)
    x = t64(np.ones(20), requires_grad=True)
    y = nn.Dropout(0.5)(x)
    y.sum().backward()
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad.data, y.data)  # both are mask / (1 − p)
    check_module(nn.Dropout(0.4), rng.standard_normal((3, 5)), seed=11)


# ----------------------------------------------------------------------------- losses


def _ce_ref(f: np.ndarray, y: np.ndarray) -> np.ndarray:
    m = f.max(1, keepdims=True)
    lse = np.log(np.exp(f - m).sum(1)) + m[:, 0]
    return np.asarray(lse - f[np.arange(len(y)), y])


LOSSES: list[tuple[type[nn.Module], Callable[[], tuple[np.ndarray, Any]], Any]] = [
    (
        nn.CrossEntropyLoss,
        lambda: (rng.standard_normal((5, 4)), rng.integers(0, 4, 5)),
        _ce_ref,
    ),
    (
        nn.NLLLoss,
        lambda: (rng.standard_normal((5, 4)), rng.integers(0, 4, 5)),
        lambda f, y: -f[np.arange(len(y)), y],
    ),
    (
        nn.MSELoss,
        lambda: (rng.standard_normal((3, 2)), rng.standard_normal((3, 2))),
        lambda x, t: (x - t) ** 2,
    ),
    (
        nn.BCEWithLogitsLoss,
        lambda: (rng.standard_normal((6,)) * 3, rng.random(6)),
        lambda z, t: np.log1p(np.exp(z)) - t * z,
    ),
]


@pytest.mark.parametrize(("cls", "make", "ref"), LOSSES, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_loss_values_and_gradcheck(cls: Any, make: Any, ref: Any, reduction: str) -> None:
    x, target = make()
    loss_fn = cls(reduction=reduction)
    per_example = ref(x, target)
    expected = {"mean": per_example.mean(), "sum": per_example.sum(), "none": per_example}
    target_t = tg.tensor(target)
    got = loss_fn(t64(x), target_t)
    np.testing.assert_allclose(got.data, expected[reduction], rtol=1e-10)
    assert gradcheck(lambda z: loss_fn(z, target_t), [x])


def test_losses_take_reduction_keyword_only_and_validate_it() -> None:
    with pytest.raises(ValueError, match=r"MSELoss\(\): reduction must be one of"):
        nn.MSELoss(reduction="avg")
    with pytest.raises(TypeError):
        nn.CrossEntropyLoss("sum")  # type: ignore[call-arg]


def test_cross_entropy_is_log_softmax_then_nll() -> None:
    f, y = t64(rng.standard_normal((4, 3))), tg.tensor([0, 2, 1, 2])
    np.testing.assert_allclose(
        nn.CrossEntropyLoss()(f, y).data, nn.NLLLoss()(nn.LogSoftmax(dim=1)(f), y).data
    )


def test_cross_entropy_gradient_is_p_minus_onehot_over_n() -> None:
    f = t64(rng.standard_normal((4, 3)), requires_grad=True)
    y = np.array([0, 2, 1, 2])
    nn.CrossEntropyLoss()(f, tg.tensor(y)).backward()
    p = np.exp(f.data) / np.exp(f.data).sum(1, keepdims=True)
    assert f.grad is not None
    np.testing.assert_allclose(f.grad.data, (p - np.eye(3)[y]) / 4, rtol=1e-12)


def test_loss_errors_name_the_shapes() -> None:
    with pytest.raises(ValueError, match=r"\(3, 2\).*\(2, 3\)"):
        nn.MSELoss()(tg.zeros(3, 2), tg.zeros(2, 3))


# ----------------------------------------------------------------------------- init


def test_fans_follow_torch() -> None:
    fan = init._calculate_fan_in_and_fan_out
    assert fan(tg.zeros(3, 5)) == (5, 3)  # one argument, as torch's
    assert fan(tg.zeros(8, 4, 3, 3), "t") == (36, 72)
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        fan(tg.zeros(5))
    with pytest.raises(ValueError, match=r"fewer than 2 dimensions \(got shape \(5,\)\)"):
        init.xavier_uniform_(tg.zeros(5))


def test_calculate_gain() -> None:
    assert init.calculate_gain("linear") == 1.0
    assert init.calculate_gain("sigmoid") == 1.0
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01**2)))
    assert init.calculate_gain("leaky_relu", math.sqrt(5)) == pytest.approx(math.sqrt(1 / 3))
    assert init.calculate_gain("selu") == 0.75
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'"):
        init.calculate_gain("swish")


SHAPE = (300, 500)  # fan_in = 500, fan_out = 300


@pytest.mark.parametrize(
    ("fill", "bound", "std"),
    [
        (lambda t: init.uniform_(t, -0.5, 0.5), 0.5, 1 / math.sqrt(12)),
        (lambda t: init.normal_(t, 0.0, 0.02), None, 0.02),
        (init.xavier_uniform_, math.sqrt(6 / 800), math.sqrt(2 / 800)),
        (init.xavier_normal_, None, math.sqrt(2 / 800)),
        (
            lambda t: init.xavier_uniform_(t, gain=2.0),
            2 * math.sqrt(6 / 800),
            2 * math.sqrt(2 / 800),
        ),
        (lambda t: init.kaiming_uniform_(t, nonlinearity="relu"), math.sqrt(6 / 500), None),
        (lambda t: init.kaiming_normal_(t, nonlinearity="relu"), None, math.sqrt(2 / 500)),
        (
            lambda t: init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"),
            None,
            math.sqrt(2 / 300),
        ),
        (lambda t: init.kaiming_uniform_(t, a=math.sqrt(5)), 1 / math.sqrt(500), None),
    ],
)
def test_random_inits_have_torchs_bounds_and_spread(
    fill: Callable[[Tensor], Tensor], bound: float | None, std: float | None
) -> None:
    tg.manual_seed(0)
    t = tg.zeros(*SHAPE, dtype=f64)
    assert fill(t) is t
    if bound is not None:
        assert np.abs(t.data).max() <= bound
        assert np.abs(t.data).max() > 0.99 * bound
        std = std if std is not None else bound / math.sqrt(3)
    assert t.data.std() == pytest.approx(std, rel=0.01)
    assert abs(t.data.mean()) < 0.01 * t.data.std()


def test_inits_are_seeded_and_take_a_generator() -> None:
    a, b = tg.zeros(3, 4), tg.zeros(3, 4)
    tg.manual_seed(3)
    init.kaiming_normal_(a)
    tg.manual_seed(3)
    init.kaiming_normal_(b)
    np.testing.assert_array_equal(a.data, b.data)
    c, d = tg.zeros(3, 4), tg.zeros(3, 4)
    init.uniform_(c, generator=np.random.default_rng(1))
    init.uniform_(d, generator=np.random.default_rng(1))
    np.testing.assert_array_equal(c.data, d.data)


def test_constant_inits_and_parameters_stay_leaves() -> None:
    lin = nn.Linear(3, 2)
    assert init.zeros_(lin.weight) is lin.weight
    assert not lin.weight.data.any() and lin.weight.is_leaf and lin.weight.requires_grad
    assert lin.bias is not None
    init.constant_(lin.bias, 0.25)
    np.testing.assert_array_equal(lin.bias.data, [0.25, 0.25])
    init.ones_(lin.weight)
    assert (lin.weight.data == 1).all()


def test_init_errors() -> None:
    with pytest.raises(TypeError, match="zeros_"):
        init.zeros_(np.zeros(3))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="fan_middle"):
        init.kaiming_uniform_(tg.zeros(2, 2), mode="fan_middle")
    with pytest.raises(TypeError, match="floating"):
        init.normal_(tg.tensor([1, 2]))


def test_kaiming_mode_is_case_insensitive_like_torch() -> None:
    a, b = tg.zeros(3, 5), tg.zeros(3, 5)
    init.kaiming_uniform_(a, mode="FAN_OUT", generator=np.random.default_rng(0))
    init.kaiming_uniform_(b, mode="fan_out", generator=np.random.default_rng(0))
    np.testing.assert_array_equal(a.data, b.data)
    init.kaiming_normal_(a, mode="Fan_In")


def test_constant_inits_fill_integer_and_bool_tensors_like_torch() -> None:
    t = tg.tensor([5, 6, 7])
    assert init.constant_(t, 2.7) is t and t.dtype == np.int64
    np.testing.assert_array_equal(t.data, [2, 2, 2])  # truncated, as torch's fill_
    init.zeros_(t)
    np.testing.assert_array_equal(t.data, [0, 0, 0])
    mask = tg.tensor([False, False])
    init.ones_(mask)
    np.testing.assert_array_equal(mask.data, [True, True])


def test_init_after_forward_makes_backward_raise_like_torch() -> None:
    lin = nn.Linear(3, 2)
    out = lin(tg.randn(4, 3, requires_grad=True)).sum()
    init.constant_(lin.weight, 0.5)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.backward()


def test_zero_init_leaves_hidden_units_identical() -> None:
    # The lecture's warning: with W = 0 every hidden unit gets the same gradient.
    mlp = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    for p in mlp.parameters():
        init.zeros_(p)
    loss = nn.CrossEntropyLoss()(mlp(tg.randn(8, 3)), tg.tensor([0, 1] * 4))
    loss.backward()
    g = mlp[0].weight.grad
    assert g is not None and not g.data.any()


def test_init_bounds_and_arguments_as_torch() -> None:
    from tinygrad_ed.nn import init

    tg.manual_seed(0)
    t = tg.zeros(200_000, dtype=np.float16)
    init.uniform_(t, -1.0, 1.0)
    assert t.numpy().max() < 1.0  # U[a, b): a float16 draw never rounds up to b
    with pytest.raises(ValueError, match="finite"):
        init.uniform_(tg.zeros(2), 0.0, float("inf"))
    with pytest.raises(ValueError, match="std >= 0"):
        init.normal_(tg.zeros(2), std=float("nan"))
    with pytest.raises(TypeError, match="numpy Generator"):
        init.normal_(tg.zeros(2), generator=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="val must be a number"):
        init.constant_(tg.zeros(2), [1.0, 2.0])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="does not fit in uint8"):
        init.constant_(tg.zeros(2, dtype=np.uint8), 300)
    with pytest.raises(ValueError, match="cannot fill"):
        init.constant_(tg.zeros(2, dtype=np.int64), float("nan"))
    assert init.constant_(tg.zeros(2, dtype=np.int64), 2.7).tolist() == [2, 2]


# ----------------------------------------------------------------------------- audit against torch


def test_a_parameter_made_from_a_tensor_shares_its_change_tracking() -> None:
    """Parameter(t) shares t's memory, so an in-place change through either must stop a
    backward that saved the other (it gave a silently wrong gradient)."""
    src = tg.ones(2, 2)
    p = nn.Parameter(src)
    x = tg.ones(1, 2, requires_grad=True)
    y = (x @ p).sum()
    nn.init.constant_(src, 3.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()
    src2 = tg.ones(2, 2)
    p2 = nn.Parameter(src2)
    y2 = (x @ src2).sum()
    nn.init.zeros_(p2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y2.backward()


def test_train_calls_each_child_own_train() -> None:
    class Frozen(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.drop = nn.Dropout()

        def train(self, mode: bool = True) -> Frozen:
            super().train(mode)
            self.drop.train(False)
            return self

    m = nn.Sequential(nn.Linear(2, 2), Frozen())
    m.train()
    assert m.training and m[0].training and m[1].training and not m[1].drop.training
    m.eval()
    assert not any(mod.training for mod in m.modules())


def test_linear_takes_an_integer_input_in_the_weight_dtype() -> None:
    x = tg.tensor(np.ones((2, 3), np.int64))
    for bias in (True, False):
        layer = nn.Linear(3, 2, bias=bias)
        out = layer(x)
        assert out.dtype == np.float32
        np.testing.assert_allclose(out.data, layer(x.float()).data)


def test_sequential_indexing_like_torch() -> None:
    s = nn.Sequential(nn.Linear(1, 1), nn.ReLU(), nn.Tanh())
    with pytest.raises(TypeError, match="integers or slices, not str"):
        s["0"]  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="not float"):
        del s[1.5]  # type: ignore[arg-type]
    assert s[np.int64(-1)] is s[2]
    s[1] = None  # type: ignore[assignment]
    assert s[1] is None and len(s) == 3 and len(list(s)) == 3
    assert s(tg.ones(1, 1)).shape == (1, 1)


def test_module_list_and_dict() -> None:
    layers = nn.ModuleList([nn.Linear(2, 3), nn.Linear(3, 1)])
    layers.append(nn.ReLU())
    layers.insert(1, nn.Tanh())
    assert [type(m).__name__ for m in layers] == ["Linear", "Tanh", "Linear", "ReLU"]
    assert [n for n, _ in layers.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert isinstance(layers.pop(), nn.ReLU) and len(layers) == 3
    del layers[1]
    assert list(layers._modules) == ["0", "1"] and isinstance(layers[1], nn.Linear)
    assert len(layers[:1]) == 1 and len(layers + nn.ModuleList([nn.ReLU()])) == 3
    layers += [nn.Sigmoid()]
    assert isinstance(layers[-1], nn.Sigmoid)
    with pytest.raises(TypeError, match="iterable"):
        layers.extend(nn.ReLU())  # type: ignore[arg-type]

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.blocks = nn.ModuleList(nn.Linear(2, 2) for _ in range(3))
            self.heads = nn.ModuleDict({"a": nn.Linear(2, 1), "b": nn.Linear(2, 4)})

        def forward(self, x: tg.Tensor) -> tg.Tensor:
            for block in self.blocks:
                x = block(x).relu()
            return self.heads["b"](x)

    net = Net()
    assert net(tg.ones(5, 2)).shape == (5, 4)
    assert len(list(net.parameters())) == 10
    assert list(net.heads) == ["a", "b"] and "a" in net.heads
    assert sorted(net.state_dict())[:2] == ["blocks.0.bias", "blocks.0.weight"]
    net.heads.pop("a")
    assert list(net.heads.keys()) == ["b"]
    net.heads.update([("c", nn.Identity())])
    assert [k for k, _ in net.heads.items()] == ["b", "c"]


def test_to_device_is_the_cpu() -> None:
    layer = nn.Linear(2, 2)
    assert layer.to("cpu") is layer and layer.cpu() is layer
    assert layer.to("cpu", np.float64).weight.dtype == np.float64
    assert layer.to(device="cpu", dtype=np.float32).weight.dtype == np.float32
    assert layer.half().weight.dtype == np.float16
    with pytest.raises(RuntimeError, match="no device 'cuda:0'"):
        layer.to("cuda:0")
    x = tg.ones(2)
    assert (
        x.to("cpu") is x and x.cpu() is x and x.to(tg.ones(1, dtype=np.float64)).dtype == np.float64
    )
    for device in ("cuda", "xpu", "ipu", "mtia"):  # torch's device methods: refused alike
        with pytest.raises(RuntimeError, match=rf"^{device}\(\): .* CPU; there is no device"):
            getattr(x, device)()


def test_load_state_dict_reports_like_torch() -> None:
    layer = nn.Linear(2, 2)
    assert repr(layer.load_state_dict(layer.state_dict())) == "<All keys matched successfully>"
    with pytest.raises(RuntimeError, match=r'Missing key\(s\) in state_dict: "bias"\n\tUnexpected'):
        layer.load_state_dict({"weight": layer.weight, "extra": tg.ones(1)})
    assert repr(nn.Dropout(1)) == "Dropout(p=1, inplace=False)"

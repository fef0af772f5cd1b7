"""F.dropout, nn.Unflatten, nn.ParameterList and nn.ParameterDict, with torch 2.13's semantics:
defaults, validation, gradients, container behaviour, parameter names in ``parameters()`` and
``state_dict()``, and reprs (checked against torch where it is installed)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn, optim
from tinygrad_ed.numgrad import gradcheck
from tinygrad_ed.tensor import Tensor

# ----------------------------------------------------------------------------- F.dropout


def test_dropout_trains_by_default_and_is_the_modules_mask() -> None:
    """torch's F.dropout defaults to training=True; it draws the mask nn.Dropout draws."""
    x = tg.ones(1000, dtype=np.float64)
    tg.manual_seed(3)
    y = F.dropout(x, 0.25)
    tg.manual_seed(3)
    z = nn.Dropout(0.25)(x)
    np.testing.assert_array_equal(y.data, z.data)
    assert set(np.unique(y.data)) == {0.0, 1 / 0.75}
    assert 0.2 < (y.data == 0).mean() < 0.3


def test_dropout_identity_cases_return_the_input_itself() -> None:
    x = tg.randn(5)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    ints = tg.tensor([1, 2])
    assert F.dropout(ints, 0.5, training=False) is ints  # as torch: no check when not training
    assert not F.dropout(tg.ones(4), 1.0).data.any()
    assert F.dropout(x, 0.5, True, True) is x  # written in place, as torch's dropout_


def test_dropout_gradient_is_the_scaled_mask() -> None:
    x = tg.tensor(np.ones(50), requires_grad=True)
    tg.manual_seed(0)
    y = F.dropout(x, 0.4)
    y.sum().backward()
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad.data, y.data)

    def fn(t: Tensor) -> Tensor:
        tg.manual_seed(7)  # the same mask at every evaluation
        return F.dropout(t, 0.3)

    assert gradcheck(fn, [np.linspace(-1, 1, 6)])


@pytest.mark.parametrize(
    ("p", "kind", "message"),
    [
        (1.5, ValueError, r"dropout\(\): dropout probability has to be between 0 and 1, but got"),
        (-0.1, ValueError, r"between 0 and 1, but got -0\.1"),
        (True, TypeError, r"dropout\(\): p must be a float, got bool"),
        ("0.5", TypeError, r"p must be a float, got str"),
    ],
)
def test_dropout_probability_is_checked(p: Any, kind: type[Exception], message: str) -> None:
    with pytest.raises(kind, match=message):
        F.dropout(tg.ones(3), p)
    with pytest.raises(kind, match=message.replace("dropout", "Dropout", 1)):
        nn.Dropout(p)


def test_dropout_refuses_integers_while_training() -> None:
    with pytest.raises(TypeError, match=r"dropout\(\): input must have a floating point dtype"):
        F.dropout(tg.tensor([1, 2]), 0.5)
    with pytest.raises(TypeError, match=r"dropout\(\): argument 'input' must be Tensor"):
        F.dropout(np.ones(3), 0.5)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- Unflatten


def test_unflatten_splits_a_dim_and_infers_minus_one() -> None:
    x = tg.tensor(np.arange(24.0).reshape(4, 6), requires_grad=True)
    y = nn.Unflatten(1, (2, -1))(x)
    assert y.shape == (4, 2, 3)
    np.testing.assert_array_equal(y.data, x.data.reshape(4, 2, 3))
    assert nn.Unflatten(-1, [3, 2])(x).shape == (4, 3, 2)
    assert nn.Unflatten(0, (2, 2))(x).shape == (2, 2, 6)
    assert nn.Unflatten(1, (1, 6, 1))(x).shape == (4, 1, 6, 1)
    back = nn.Flatten()(nn.Unflatten(1, (3, 2))(x))
    np.testing.assert_array_equal(back.data, x.data)
    (y * tg.tensor(np.arange(24.0).reshape(4, 2, 3))).sum().backward()
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad.data, np.arange(24.0).reshape(4, 6))


def test_unflatten_repr_and_shapes_match_torch() -> None:
    assert repr(nn.Unflatten(1, (2, 5))) == "Unflatten(dim=1, unflattened_size=(2, 5))"
    assert repr(nn.Unflatten(-1, [2, -1])) == "Unflatten(dim=-1, unflattened_size=[2, -1])"
    torch = pytest.importorskip("torch")
    assert repr(torch.nn.Unflatten(-1, [2, -1])) == repr(nn.Unflatten(-1, [2, -1]))
    for dim, sizes in [(1, (2, -1)), (0, (-1, 1)), (-1, (5, 1, 1)), (2, (5, 1))]:
        a = np.zeros((4, 6, 5))
        ours = nn.Unflatten(dim, sizes)(tg.tensor(a)).shape
        assert ours == tuple(torch.nn.Unflatten(dim, sizes)(torch.tensor(a)).shape)


@pytest.mark.parametrize(
    ("build", "kind", "message"),
    [
        (lambda: nn.Unflatten(1, 6), TypeError, r"must be a tuple of ints, but found type int"),
        (lambda: nn.Unflatten(1, (2.0, 3)), TypeError, r"found element of type float at pos 0"),
        (lambda: nn.Unflatten(1.0, (2, 3)), TypeError, r"Unflatten\(\): dim must be an int"),
        (lambda: nn.Unflatten(1, (2, 2))(tg.zeros(4, 6)), RuntimeError, r"\[2, 2\] don't mul"),
        (lambda: nn.Unflatten(1, (-1, -1))(tg.zeros(4, 6)), RuntimeError, r"at most one size"),
        (lambda: nn.Unflatten(1, (0, -1))(tg.zeros(4, 6)), RuntimeError, r"size of dim 1 \(6\)"),
        (lambda: nn.Unflatten(1, ())(tg.zeros(4, 6)), RuntimeError, r"sizes \[\] don't"),
        (lambda: nn.Unflatten(5, (2, 3))(tg.zeros(4, 6)), IndexError, r"dim 5 is out of range"),
        (lambda: nn.Unflatten(0, (1,))(tg.tensor(3.0)), IndexError, r"0-d tensor"),
    ],
)
def test_unflatten_errors(build: Any, kind: type[Exception], message: str) -> None:
    with pytest.raises(kind, match=message):
        build()


# ----------------------------------------------------------------------------- ParameterList


class Model(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Linear(2, 2)
        self.plist = nn.ParameterList([tg.zeros(3), nn.Parameter(tg.ones(2, 2))])
        self.pdict = nn.ParameterDict({"scale": tg.ones(1), "bias": tg.zeros(2)})


def test_parameters_are_registered_under_torchs_names() -> None:
    model = Model()
    names = [n for n, _ in model.named_parameters()]
    assert names == [
        "lin.weight",
        "lin.bias",
        "plist.0",
        "plist.1",
        "pdict.bias",  # a plain dict's keys are sorted, as torch's update does
        "pdict.scale",
    ]
    assert list(model.state_dict()) == names
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in model.parameters())


def test_state_dict_keys_match_torch() -> None:
    torch = pytest.importorskip("torch")

    class TorchModel(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.lin = torch.nn.Linear(2, 2)
            self.plist = torch.nn.ParameterList(
                [torch.zeros(3), torch.nn.Parameter(torch.ones(2, 2))]
            )
            self.pdict = torch.nn.ParameterDict({"scale": torch.ones(1), "bias": torch.zeros(2)})

    ours, theirs = Model(), TorchModel()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    ours.plist.append(tg.ones(4))
    theirs.plist.append(torch.ones(4))
    ours.pdict.update(OrderedDict([("z", tg.ones(1)), ("a", tg.ones(1))]))
    theirs.pdict.update(OrderedDict([("z", torch.ones(1)), ("a", torch.ones(1))]))
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_parameter_list_behaves_like_torchs() -> None:
    t = tg.zeros(3)
    plist = nn.ParameterList([t])
    assert isinstance(plist[0], nn.Parameter) and plist[0].data is t.data  # shares the array
    plist.append(nn.Parameter(tg.ones(2))).extend([tg.ones(1), "not a tensor"])
    plist += [nn.Linear(1, 1)]
    assert len(plist) == 5 and plist[-1] is plist[4] and plist[3] == "not a tensor"
    assert [n for n, _ in plist.named_parameters()] == ["0", "1", "2", "4.weight", "4.bias"]
    assert list(plist.state_dict()) == ["0", "1", "2", "4.weight", "4.bias"]
    new = tg.full((3,), 2.0)
    plist[0] = new  # a Tensor becomes a Parameter, in place of the old one
    assert isinstance(plist[0], nn.Parameter) and plist[0].data is new.data
    assert next(n for n, _ in plist.named_parameters()) == "0"
    head = plist[:2]
    assert isinstance(head, nn.ParameterList) and len(head) == 2 and head[1] is plist[1]
    assert [p.shape for p in plist[::-2] if isinstance(p, Tensor)] == [(1,), (3,)]
    assert list(iter(plist))[1] is plist[1]
    assert "0" not in dir(plist) and "append" in dir(plist)


def test_parameter_list_errors_follow_torch() -> None:
    plist = nn.ParameterList([tg.zeros(1)])
    with pytest.raises(IndexError, match="index 3 is out of range"):
        plist[3]
    with pytest.raises(TypeError, match="indices must be integers or slices, not str"):
        plist["a"]  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"cannot assign 'int' as parameter '0'"):
        plist[0] = 5
    with pytest.raises(TypeError, match="extend should be called with an iterable, but got Tensor"):
        plist.extend(tg.zeros(2))  # a Tensor is never unpacked into its rows
    with pytest.raises(RuntimeError, match="ParameterList should not be called"):
        plist(tg.zeros(1))
    with pytest.raises(TypeError, match="floating point"):
        plist.append(tg.tensor([1, 2]))  # an integer Parameter cannot require grad
    assert len(plist) == 1  # the refused value left the list as it was


def test_containers_train_load_and_convert_with_their_parameters() -> None:
    model = Model()
    opt = optim.SGD(model.parameters(), lr=0.5)
    loss = model.plist[0].sum() * 2.0 + (model.pdict["scale"] * 3.0).sum()
    loss.backward()
    opt.step()
    assert model.plist[0].tolist() == [-1.0, -1.0, -1.0]
    assert model.pdict["scale"].tolist() == [-0.5]
    state = model.state_dict()
    other = Model()
    other.load_state_dict(state)
    assert other.plist[0].tolist() == [-1.0, -1.0, -1.0] and other.pdict["scale"].item() == -0.5
    other.double()
    assert other.plist[1].dtype == np.float64 and other.pdict["bias"].dtype == np.float64


# ----------------------------------------------------------------------------- ParameterDict


def test_parameter_dict_behaves_like_torchs() -> None:
    pdict = nn.ParameterDict(OrderedDict([("b", tg.zeros(1)), ("a", tg.ones(2))]))
    assert list(pdict) == ["b", "a"] and list(pdict.keys()) == ["b", "a"]  # OrderedDict's order
    assert isinstance(pdict["a"], nn.Parameter) and "a" in pdict and "c" not in pdict
    pdict["c"] = 3  # not a tensor: kept as a plain attribute, not a parameter
    assert pdict["c"] == 3 and [n for n, _ in pdict.named_parameters()] == ["b", "a"]
    pdict.update([("d", tg.ones(3))])
    assert list(reversed(pdict)) == ["d", "c", "a", "b"] and len(pdict) == 4
    assert pdict.get("zz", 7) == 7 and pdict.setdefault("e", tg.zeros(1)) is pdict["e"]
    assert pdict.pop("c") == 3 and "c" not in pdict
    key, value = pdict.popitem()
    assert key == "e" and isinstance(value, nn.Parameter) and "e" not in pdict
    del pdict["b"]
    assert list(pdict) == ["a", "d"] and list(pdict.state_dict()) == ["a", "d"]
    copy = pdict.copy()
    assert next(iter(copy.items()))[1] is pdict["a"]
    merged = pdict | nn.ParameterDict({"x": tg.zeros(1)})
    assert list(merged) == ["a", "d", "x"] and list(pdict) == ["a", "d"]
    pdict |= merged
    assert list(pdict) == ["a", "d", "x"]
    fresh = pdict.fromkeys(["p", "q"], tg.zeros(2))
    assert list(fresh) == ["p", "q"] and isinstance(fresh["q"], nn.Parameter)
    assert [v.shape for v in pdict.values()] == [(2,), (3,), (1,)]
    pdict.clear()
    assert len(pdict) == 0 and list(pdict.parameters()) == []


def test_parameter_dict_errors_follow_torch() -> None:
    pdict = nn.ParameterDict({"w": tg.zeros(1)})
    with pytest.raises(KeyError):
        pdict["missing"]
    with pytest.raises(AttributeError):  # torch's lookup is an attribute lookup
        pdict["missing"]
    with pytest.raises(TypeError, match="cannot be used as a key as it is not a string"):
        pdict[1] = tg.zeros(1)  # type: ignore[index]
    with pytest.raises(KeyError, match="attribute 'train' of ParameterDict already exists"):
        pdict["train"] = tg.zeros(1)
    assert "train" not in pdict and len(pdict) == 1
    with pytest.raises(TypeError, match="cannot assign 'int' as parameter 'w'"):
        pdict["w"] = 5
    with pytest.raises(ValueError, match="element #0 has length 3; 2 is required"):
        pdict.update([("a", 1, 2)])
    with pytest.raises(TypeError, match="should be called with an iterable"):
        pdict.update(5)
    with pytest.raises(RuntimeError, match="ParameterDict should not be called"):
        pdict(tg.zeros(1))
    with pytest.raises(KeyError):
        nn.ParameterDict().popitem()


def test_container_reprs_follow_torchs_layout() -> None:
    plist = nn.ParameterList([tg.zeros(2, 3), tg.zeros(4, dtype=np.float64), "a"])
    assert repr(plist) == (
        "ParameterList(\n"
        "    (0): Parameter containing: [float32 of size 2x3]\n"
        "    (1): Parameter containing: [float64 of size 4]\n"
        "    (2): Object of type: str\n"
        ")"
    )
    # torch's layout puts a single entry on the first line, after two spaces
    assert repr(nn.ParameterList([tg.zeros(2)])) == (
        "ParameterList(  (0): Parameter containing: [float32 of size 2])"
    )
    assert repr(nn.ParameterDict({"w": tg.zeros(3), "n": 1})) == (
        "ParameterDict(\n"
        "    (n): Object of type: int\n"
        "    (w): Parameter containing: [float32 of size 3]\n"
        ")"
    )
    assert repr(nn.ParameterList()) == "ParameterList()"
    torch = pytest.importorskip("torch")
    theirs = repr(torch.nn.ParameterList([torch.zeros(2, 3), torch.zeros(4, dtype=torch.float64)]))
    ours = repr(nn.ParameterList([tg.zeros(2, 3), tg.zeros(4, dtype=np.float64)]))
    assert ours == theirs.replace("torch.float", "float")  # our dtypes have numpy's names

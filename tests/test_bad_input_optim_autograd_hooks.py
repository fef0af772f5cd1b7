"""Regression tests for the findings of tests/_audit_optim_autograd_hooks.py, the bad-input audit of
the optimizers, lr schedulers, autograd.functional, autograd.grad/backward's options, hooks,
save/load and nn.init against torch 2.13: each test is one fix, checked without torch (the
values torch gives are written out where they matter)."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import nn, optim
from tinygrad_ed.optim import lr_scheduler


def _x() -> tg.Tensor:
    return tg.tensor([1.0, -2.0, 0.5], requires_grad=True)


# ----------------------------------------------------------------------------- grad / backward


def test_a_list_of_one_gradient_beside_one_output_is_that_output_s_gradient() -> None:
    """grad_tensors=[g] for a single output was read as the data of one gradient (shape
    (1, 3)) and refused; torch reads it as one gradient per output."""
    x = _x()
    g = tg.tensor([1.0, 2.0, 3.0])
    tg.autograd.backward(x * 2, grad_tensors=[g])
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0, 6.0])  # type: ignore[union-attr]
    (gx,) = tg.autograd.grad(x * 3, x, grad_outputs=(g,))
    np.testing.assert_array_equal(gx.numpy(), [3.0, 6.0, 9.0])


def test_none_in_a_list_of_gradients_is_the_implicit_one_of_a_scalar_output() -> None:
    """grad_outputs=[None] failed in Tensor() with "data of dtype object"; torch takes None as
    an implicit 1 for a scalar output and refuses it for any other."""
    x = _x()
    (gx,) = tg.autograd.grad((x * x).sum(), x, grad_outputs=[None])
    np.testing.assert_array_equal(gx.numpy(), [2.0, -4.0, 1.0])
    with pytest.raises(RuntimeError, match=r"grad\(\): grad can be implicitly created only"):
        tg.autograd.grad(x * 2, x, grad_outputs=[None])
    with pytest.raises(RuntimeError, match=r"backward\(\): grad can be implicitly created"):
        tg.autograd.backward([x * 2], grad_tensors=[None])


def test_too_many_gradients_for_one_output_are_counted() -> None:
    x = _x()
    with pytest.raises(ValueError, match=r"grad_tensors has 2 entries for 1 outputs"):
        tg.autograd.backward((x * x).sum(), grad_tensors=[None, None])
    with pytest.raises(ValueError, match=r"grad_outputs has 2 entries for 1 outputs"):
        tg.autograd.grad((x * x).sum(), x, grad_outputs=[tg.tensor(1.0), tg.tensor(2.0)])


def test_a_list_of_numbers_is_still_one_output_s_gradient() -> None:
    x = _x()
    (gx,) = tg.autograd.grad(x * 2, x, grad_outputs=[1.0, 0.0, -1.0])
    np.testing.assert_array_equal(gx.numpy(), [2.0, 0.0, -2.0])


@pytest.mark.parametrize("returned", [1.0, (None,), [1.0, 2.0, 3.0]])
def test_a_hook_returning_no_tensor_raises_torch_s_type_error(returned: Any) -> None:
    """torch: TypeError "expected Variable, but hook returned 'float'"; ours said RuntimeError."""
    x = _x()
    x.register_hook(lambda g: returned)
    with pytest.raises(TypeError, match=r"hook '<lambda>' returned a .*shape \(3,\)"):
        (x * 2).sum().backward()


def test_a_hook_returning_a_misfit_tensor_still_raises_runtime_error() -> None:
    x = _x()
    x.register_hook(lambda g: g[:2])
    with pytest.raises(RuntimeError, match=r"hook '<lambda>' returned a Tensor of shape \(2,\)"):
        (x * 2).sum().backward()


# ----------------------------------------------------------------------------- optimizers


def test_named_and_unnamed_param_groups_do_not_mix() -> None:
    """torch refuses a group with names added to an optimizer without (and the reverse): the
    state dict names parameters either everywhere or nowhere. Ours took it silently."""
    p, q = _x(), tg.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    with pytest.raises(ValueError, match=r"SGD.add_param_group\(\): .*with names.*without"):
        opt.add_param_group({"params": [("q", q)]})
    named = optim.Adam([("p", p)], lr=0.1)
    with pytest.raises(ValueError, match=r"Adam.add_param_group\(\): .*without names.*with"):
        named.add_param_group({"params": [q]})
    named.add_param_group({"params": [("q", q)]})
    assert named.param_groups[1]["param_names"] == ["q"]
    assert len(opt.param_groups) == 1 and len(named.param_groups) == 2


# ----------------------------------------------------------------------------- schedulers


@pytest.mark.parametrize("milestones", [None, 3, [2.5], ["a"]])
def test_multisteplr_names_milestones_that_are_not_ints(milestones: Any) -> None:
    """None and 3 failed with Python's "'NoneType' object is not iterable"."""
    opt = optim.SGD([_x()], lr=0.1)
    with pytest.raises(TypeError, match=r"MultiStepLR\(\): milestones must be an iterable"):
        lr_scheduler.MultiStepLR(opt, milestones)


def _sgd() -> optim.SGD:
    return optim.SGD([_x()], lr=0.1, momentum=0.9)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        # each failed with Python's words ("can't multiply sequence by non-int of type 'float'",
        # "unsupported operand type(s)", "'>' not supported between instances", ...) at the
        # first step(), or, for ReduceLROnPlateau, at the first plateau
        (lambda o: lr_scheduler.StepLR(o, 3, gamma="a"), r"StepLR\(\): gamma must be a real"),
        (lambda o: lr_scheduler.StepLR(o, 3, gamma=None), r"StepLR\(\): gamma must be a real"),
        (lambda o: lr_scheduler.MultiStepLR(o, [2], gamma="a"), r"MultiStepLR\(\): gamma"),
        (lambda o: lr_scheduler.ExponentialLR(o, None), r"ExponentialLR\(\): gamma"),
        (lambda o: lr_scheduler.CosineAnnealingLR(o, 5, eta_min="a"), r"eta_min must be a real"),
        (lambda o: lr_scheduler.OneCycleLR(o, "a", total_steps=9), r"OneCycleLR\(\): max_lr"),
        (
            lambda o: lr_scheduler.OneCycleLR(o, 0.5, total_steps=9, div_factor="a"),
            r"OneCycleLR\(\): div_factor must be a real",
        ),
        (
            lambda o: lr_scheduler.CyclicLR(o, 0.01, 0.1, mode="exp_range", gamma=None),
            r"CyclicLR\(\): gamma must be a real",
        ),
        (lambda o: lr_scheduler.CyclicLR(o, 0.01, 0.1, scale_fn=1), r"CyclicLR\(\): scale_fn"),
        (lambda o: lr_scheduler.ReduceLROnPlateau(o, patience="a"), r"patience must be a real"),
        (lambda o: lr_scheduler.ReduceLROnPlateau(o, cooldown=None), r"cooldown must be a real"),
        (lambda o: lr_scheduler.ReduceLROnPlateau(o, min_lr="a"), r"min_lr must be a real"),
        (lambda o: lr_scheduler.ReduceLROnPlateau(o, min_lr=[None]), r"min_lr must be a real"),
        # "object of type 'NoneType' has no len()"
        (lambda o: lr_scheduler.SequentialLR(o, None, [3]), r"SequentialLR\(\): schedulers"),
        (
            lambda o: lr_scheduler.SequentialLR(
                o, [lr_scheduler.ConstantLR(o), lr_scheduler.ExponentialLR(o, 0.9)], 4
            ),
            r"SequentialLR\(\): milestones must be a list of epochs, got int 4",
        ),
        (lambda o: lr_scheduler.ChainedScheduler(None), r"ChainedScheduler\(\): schedulers"),
    ],
)
def test_scheduler_arguments_that_are_no_numbers_are_named(make: Any, match: str) -> None:
    with pytest.raises(TypeError, match=match):
        make(_sgd())


@pytest.mark.parametrize(("metric", "kind"), [("a", ValueError), (None, TypeError)])
def test_reduce_lr_on_plateau_names_a_metric_that_is_no_number(
    metric: Any, kind: type[Exception]
) -> None:
    """float()'s "could not convert string to float: 'a'", in torch's kinds."""
    sched = lr_scheduler.ReduceLROnPlateau(_sgd())
    with pytest.raises(kind, match=r"ReduceLROnPlateau.step\(\): metrics must be a number"):
        sched.step(metric)
    sched.step(tg.tensor([0.5]))  # a one-element Tensor is a number
    assert sched.best == 0.5


def test_scheduler_checks_keep_the_schedules() -> None:
    o = _sgd()
    sched = lr_scheduler.ReduceLROnPlateau(o, patience=0, min_lr=[0.02], cooldown=0)
    for _ in range(3):
        sched.step(1.0)
    assert o.param_groups[0]["lr"] == pytest.approx(0.02)
    o = _sgd()
    cyc = lr_scheduler.CyclicLR(o, 0.0, 1.0, step_size_up=2, scale_fn=lambda x: 0.5)
    cyc.step()
    assert cyc.get_last_lr() == [pytest.approx(0.25)]


@pytest.mark.parametrize("params", [None, 3, 2.5])
def test_an_optimizer_names_params_that_are_not_iterable(params: Any) -> None:
    """ "'NoneType' object is not iterable"."""
    with pytest.raises(TypeError, match=r"SGD\(\): params should be an iterable of Tensors"):
        optim.SGD(params, lr=0.1)


# ----------------------------------------------------------------------------- save / load


@pytest.mark.parametrize("f", [None, 1, [], tg.tensor([1.0])])
def test_save_and_load_name_a_file_argument_that_is_no_file(f: Any) -> None:
    """os.fspath's "expected str, bytes or os.PathLike object" surfaced from open()."""
    with pytest.raises(TypeError, match=r"save\(\): f must be a path or a binary file object"):
        tg.save({"a": _x()}, f)
    with pytest.raises(TypeError, match=r"load\(\): f must be a path or a binary file object"):
        tg.load(f)


def test_save_and_load_still_take_paths_and_file_objects(tmp_path: Any) -> None:
    buf = io.BytesIO()
    tg.save({"a": _x()}, buf)
    buf.seek(0)
    np.testing.assert_array_equal(tg.load(buf)["a"].detach().numpy(), [1.0, -2.0, 0.5])
    tg.save([1, "b"], tmp_path / "x.pt")
    assert tg.load(str(tmp_path / "x.pt")) == [1, "b"]


# ----------------------------------------------------------------------------- nn.init


@pytest.mark.parametrize(
    ("fn", "kw", "std"),
    [
        ("xavier_normal_", {"gain": float("nan")}, "nan"),
        ("xavier_normal_", {"gain": -1.0}, "-"),
        ("kaiming_normal_", {"a": float("nan")}, "nan"),  # gain √(2 / (1 + a²)) is nan
    ],
)
def test_normal_inits_refuse_a_nan_or_negative_std(fn: str, kw: dict[str, Any], std: str) -> None:
    """gain=nan filled the weight with nan (torch: "normal expects std >= 0.0"); a negative
    gain failed inside numpy with "scale < 0"."""
    w = tg.zeros(4, 3)
    with pytest.raises(ValueError, match=rf"{fn}\(\): expects a finite std >= 0, got std={std}"):
        getattr(nn.init, fn)(w, **kw)
    np.testing.assert_array_equal(w.numpy(), 0.0)  # untouched


@pytest.mark.parametrize(
    ("call", "kind", "match"),
    [
        # numpy's "high - low < 0", from inside numpy
        (
            lambda w: nn.init.xavier_uniform_(w, gain=-1.0),
            ValueError,
            r"xavier_uniform_\(\): .*a <= b",
        ),
        # Python's "unsupported operand type(s)" and "'>' not supported between instances"
        (lambda w: nn.init.xavier_uniform_(w, gain=None), TypeError, r"gain must be a real"),
        (lambda w: nn.init.xavier_normal_(w, gain="a"), TypeError, r"gain must be a real"),
        (lambda w: nn.init.uniform_(w, a=None), TypeError, r"uniform_\(\): a must be a real"),
        (lambda w: nn.init.uniform_(w, b="a"), TypeError, r"uniform_\(\): b must be a real"),
        # numpy's "ufunc 'isfinite' not supported for the input types"
        (lambda w: nn.init.normal_(w, mean="a"), TypeError, r"normal_\(\): mean must be a real"),
        (lambda w: nn.init.normal_(w, std=None), TypeError, r"normal_\(\): std must be a real"),
    ],
)
def test_init_arguments_that_are_no_numbers_are_named(
    call: Any, kind: type[Exception], match: str
) -> None:
    w = tg.zeros(4, 3)
    with pytest.raises(kind, match=match):
        call(w)
    np.testing.assert_array_equal(w.numpy(), 0.0)


def test_normal_inits_keep_their_statistics() -> None:
    w = tg.zeros(200, 300, dtype=tg.float64)
    nn.init.xavier_normal_(w, gain=2.0)
    assert abs(w.numpy().std() / (2.0 * np.sqrt(2.0 / 500)) - 1) < 0.02
    nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
    assert abs(w.numpy().std() / np.sqrt(2.0 / 200) - 1) < 0.02


def test_constant_takes_a_0d_tensor_as_torch_s_fill() -> None:
    """Refused as "val must be a number"; torch's fill_ takes a 0-d tensor."""
    w = tg.zeros(2, 3)
    assert nn.init.constant_(w, tg.tensor(2.5)) is w
    np.testing.assert_array_equal(w.numpy(), 2.5)
    with pytest.raises(TypeError, match=r"constant_\(\): val must be a number"):
        nn.init.constant_(w, tg.tensor([1.0]))
    with pytest.raises(TypeError, match=r"constant_\(\): val must be a number"):
        nn.init.constant_(w, tg.tensor(True))

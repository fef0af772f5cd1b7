"""Tensor.register_post_accumulate_grad_hook and the Optimizer's step and state-dict hooks.

Call order and values are checked on their own, and against torch 2.13 where it is installed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import nn, optim
from tinygrad_ed.tensor import Tensor
from tinygrad_ed.viz.explorer import record

f64 = np.float64


def t64(a: Any, requires_grad: bool = False) -> Tensor:
    return tg.tensor(np.asarray(a, dtype=f64), requires_grad=requires_grad)


# ----------------------------------------------------------------------------- post-accumulate


def test_post_accumulate_hook_runs_after_grad_is_accumulated() -> None:
    x = t64([1.0, 2.0], requires_grad=True)
    seen: list[np.ndarray] = []

    def hook(t: Tensor) -> None:
        assert t is x and t.grad is not None
        seen.append(t.grad.data.copy())

    handle = x.register_post_accumulate_grad_hook(hook)
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    np.testing.assert_array_equal(seen, [[3.0, 3.0], [6.0, 6.0]])  # after each accumulation
    handle.remove()
    (x * 3).sum().backward()
    assert len(seen) == 2
    with x.register_post_accumulate_grad_hook(hook):
        (x * 1).sum().backward()
    (x * 1).sum().backward()
    assert len(seen) == 3


def test_post_accumulate_hook_is_refused_where_torch_refuses_it() -> None:
    x = t64([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="non-leaf"):
        (x * 2).register_post_accumulate_grad_hook(lambda t: None)
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        t64([1.0]).register_post_accumulate_grad_hook(lambda t: None)
    with pytest.raises(TypeError, match="register_post_accumulate_grad_hook\\(\\): hook must"):
        x.register_post_accumulate_grad_hook(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="register_hook\\(\\): hook must be callable"):
        x.register_hook("not a function")  # type: ignore[arg-type]
    x.register_post_accumulate_grad_hook(lambda t: t.grad)  # type: ignore[arg-type, return-value]
    with pytest.raises(RuntimeError, match="should return None"):
        (x * 2).sum().backward()


def test_post_accumulate_hook_may_return_the_leaf_itself_as_in_torchs_doc_example() -> None:
    """torch's docstring: ``lambda p: p.add_(p.grad, alpha=-lr)`` returns p, which torch
    accepts (any other tensor is refused, checked above)."""
    v = t64([0.0, 0.0, 0.0], requires_grad=True)
    h = v.register_post_accumulate_grad_hook(lambda p: p.add_(p.grad, alpha=-0.01))
    v.backward(t64([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(v.data, [-0.01, -0.02, -0.03], rtol=1e-15)
    (v * 2).sum().backward()  # grad accumulates to [3, 4, 5]: the step uses it whole
    np.testing.assert_allclose(v.data, [-0.04, -0.06, -0.08], rtol=1e-14)
    h.remove()
    x = t64([1.0], requires_grad=True)
    x.register_post_accumulate_grad_hook(lambda t: t * 1)  # type: ignore[arg-type, return-value]
    with pytest.raises(RuntimeError, match="should return None"):
        (x * 2).sum().backward()
    torch = pytest.importorskip("torch")
    tv = torch.tensor([0.0, 0.0, 0.0], dtype=torch.float64, requires_grad=True)
    tv.register_post_accumulate_grad_hook(lambda p: p.add_(p.grad, alpha=-0.01))
    tv.backward(torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64))
    (tv * 2).sum().backward()
    np.testing.assert_allclose(v.data, tv.detach().numpy(), rtol=1e-15)
    tx = torch.tensor([1.0], requires_grad=True)
    tx.register_post_accumulate_grad_hook(lambda t: t * 1)
    with pytest.raises(RuntimeError, match="should return None"):
        (tx * 2).sum().backward()


def test_post_accumulate_hook_as_an_optimizer_in_backward() -> None:
    """torch's recipe: update each parameter as soon as its gradient is ready."""
    rng = np.random.default_rng(0)
    x, y = t64(rng.standard_normal((8, 3))), t64(rng.standard_normal((8, 1)))
    models = [nn.Linear(3, 1, dtype=f64) for _ in range(2)]
    models[1].load_state_dict(models[0].state_dict())
    opt = optim.SGD(models[0].parameters(), lr=0.1)

    def sgd_in_backward(p: Tensor) -> None:
        assert p.grad is not None
        p.data -= 0.1 * p.grad.data
        p.grad = None

    for p in models[1].parameters():
        p.register_post_accumulate_grad_hook(sgd_in_backward)
    for _ in range(3):
        opt.zero_grad()
        ((models[0](x) - y) ** 2).mean().backward()
        opt.step()
        ((models[1](x) - y) ** 2).mean().backward()
    for a, b in zip(models[0].parameters(), models[1].parameters()):
        np.testing.assert_allclose(a.data, b.data, rtol=1e-14)
        assert b.grad is None


def test_post_accumulate_hooks_follow_gradient_hooks_and_skip_grad() -> None:
    x = t64([1.0, 2.0], requires_grad=True)
    z = t64([1.0, 1.0], requires_grad=True)
    log: list[Any] = []
    x.register_post_accumulate_grad_hook(lambda t: log.append("post"))
    x.register_hook(lambda g: log.append("hook"))
    tg.autograd.grad((x * 2).sum(), x)
    assert log == ["hook"]
    (x * z).sum().backward(inputs=[z])
    assert log == ["hook"]
    (x * 2).sum().backward(inputs=[x])
    assert log == ["hook", "hook", "post"]


def test_post_accumulate_hooks_do_not_run_when_the_explorer_replays() -> None:
    x = t64([1.0, 2.0], requires_grad=True)
    calls: list[str] = []
    x.register_post_accumulate_grad_hook(lambda t: calls.append("post"))
    y = (x * x).sum()
    record(y)
    assert calls == [] and x.grad is None
    y.backward()
    assert calls == ["post"]


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_post_accumulate_hook_order_and_values_match_torch() -> None:
    torch = pytest.importorskip("torch")

    def run(lib: Any, grad: Callable[..., Any], clone: Callable[[Any], np.ndarray]) -> list[Any]:
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        log: list[Any] = []

        def hook1(g: Any) -> Any:
            log.append(("hook1", clone(g)))
            return g * 3

        def hook2(g: Any) -> Any:
            log.append(("hook2", clone(g)))
            return g + 1

        x.register_hook(hook1)
        x.register_post_accumulate_grad_hook(lambda t: log.append(("post", clone(t.grad))))
        x.register_hook(hook2)
        (x * 2).sum().backward()
        (x * x).sum().backward()
        log.append("grad()")
        grad((x * 2).sum(), x)
        log.append("inputs=[x]")
        (x * 2).sum().backward(inputs=[x])
        log.append("create_graph")
        x.grad = None
        x.register_post_accumulate_grad_hook(lambda t: log.append(("graph", t.grad.requires_grad)))
        (x * x).sum().backward(create_graph=True)
        return log

    ours = run(tg, tg.autograd.grad, lambda t: t.data.copy())
    theirs = run(torch, torch.autograd.grad, lambda t: t.detach().numpy().copy())
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        if isinstance(a, tuple) and isinstance(a[1], np.ndarray):
            assert a[0] == b[0]
            np.testing.assert_array_equal(a[1], b[1])
        else:
            assert a == b


# ----------------------------------------------------------------------------- optimizer hooks


def _sgd() -> tuple[optim.SGD, Tensor]:
    p = nn.Parameter(t64([1.0, 2.0]))
    p.grad = t64([1.0, 1.0])
    return optim.SGD([p], lr=0.5), p


def test_step_hooks_run_around_step_with_its_arguments() -> None:
    opt, p = _sgd()
    log: list[Any] = []
    pre = opt.register_step_pre_hook(
        lambda o, args, kwargs: log.append(("pre", o, args, dict(kwargs), p.data.copy()))
    )
    opt.register_step_post_hook(
        lambda o, args, kwargs: log.append(("post", o, args, dict(kwargs), p.data.copy()))
    )
    opt.step()
    opt.step(closure=None)
    assert [entry[0] for entry in log] == ["pre", "post", "pre", "post"]
    assert all(entry[1] is opt and entry[2] == (opt,) for entry in log)  # args include self
    assert log[0][3] == {} and log[2][3] == {"closure": None}
    np.testing.assert_array_equal(log[0][4], [1.0, 2.0])
    np.testing.assert_array_equal(log[1][4], [0.5, 1.5])
    pre.remove()
    opt.step()
    assert [entry[0] for entry in log[4:]] == ["post"]


def test_step_pre_hook_may_replace_the_arguments() -> None:
    opt, p = _sgd()
    seen: list[Any] = []
    opt.register_step_pre_hook(lambda o, args, kwargs: (args, {"closure": lambda: 42}))
    opt.register_step_post_hook(lambda o, args, kwargs: seen.append(sorted(kwargs)))
    assert opt.step() == 42
    assert seen == [["closure"]]
    np.testing.assert_array_equal(p.data, [0.5, 1.5])


def test_bad_step_hooks_raise() -> None:
    opt, _ = _sgd()
    with pytest.raises(TypeError, match="register_step_pre_hook\\(\\): hook must be callable"):
        opt.register_step_pre_hook(1)  # type: ignore[arg-type]
    opt.register_step_pre_hook(lambda o, args, kwargs: 3)
    with pytest.raises(RuntimeError, match=r"SGD.step\(\).*new_args, new_kwargs"):
        opt.step()


def test_step_hooks_run_once_for_a_subclass_calling_its_parent_and_for_adamw() -> None:
    class LoggedSGD(optim.SGD):
        def step(self, closure: Callable[[], Any] | None = None) -> Any:
            return super().step(closure)

    p = nn.Parameter(t64([1.0]))
    p.grad = t64([1.0])
    others = [getattr(optim, name)([p]) for name in ("Adam", "AdamW", "RMSprop", "NAdam")]
    for opt in (LoggedSGD([p], lr=0.1), *others):
        calls: list[str] = []
        opt.register_step_pre_hook(lambda o, a, k, calls=calls: calls.append("pre"))
        opt.register_step_post_hook(lambda o, a, k, calls=calls: calls.append("post"))
        opt.step()
        assert calls == ["pre", "post"], type(opt).__name__


def test_state_dict_hooks() -> None:
    opt, _ = _sgd()
    log: list[str] = []
    opt.register_state_dict_pre_hook(lambda o: log.append("pre"))

    def post(o: optim.Optimizer, sd: dict[str, Any]) -> None:
        log.append("post")
        sd["extra"] = 1

    opt.register_state_dict_post_hook(post)
    opt.register_state_dict_post_hook(lambda o, sd: log.append("post0"), prepend=True)
    sd = opt.state_dict()
    assert log == ["pre", "post0", "post"] and sd["extra"] == 1
    handle = opt.register_state_dict_post_hook(lambda o, sd: {"replaced": True})
    assert opt.state_dict() == {"replaced": True}
    handle.remove()
    assert "replaced" not in opt.state_dict()


def test_load_state_dict_hooks() -> None:
    opt, _ = _sgd()
    saved = opt.state_dict()
    saved["param_groups"][0]["lr"] = 0.25
    log: list[Any] = []

    def pre(o: optim.Optimizer, sd: dict[str, Any]) -> dict[str, Any]:
        log.append(("pre", o.param_groups[0]["lr"]))
        sd["seen"] = True  # a shallow copy: the caller's dict is unchanged
        groups = [{**sd["param_groups"][0], "lr": 0.125}]
        return {"state": sd["state"], "param_groups": groups}

    opt.register_load_state_dict_pre_hook(pre)
    opt.register_load_state_dict_post_hook(lambda o: log.append(("post", o.param_groups[0]["lr"])))
    opt.load_state_dict(saved)
    assert log == [("pre", 0.5), ("post", 0.125)]
    assert "seen" not in saved
    opt.register_load_state_dict_pre_hook(lambda o, sd: 3)
    with pytest.raises(TypeError, match="pre-hook returned a int"):
        opt.load_state_dict(saved)
    with pytest.raises(TypeError, match="register_load_state_dict_post_hook\\(\\)"):
        opt.register_load_state_dict_post_hook("x")  # type: ignore[arg-type]


def test_optimizer_hook_order_matches_torch() -> None:
    torch = pytest.importorskip("torch")

    def run(lib: Any, make: Callable[[Any], Any]) -> list[Any]:
        p = make(lib)
        opt = lib.optim.SGD([p], lr=0.5, momentum=0.9)
        log: list[Any] = []
        opt.register_step_pre_hook(lambda o, a, k: log.append(("step_pre", len(a), sorted(k))))
        opt.register_step_post_hook(lambda o, a, k: log.append(("step_post", len(a), sorted(k))))
        opt.register_state_dict_pre_hook(lambda o: log.append("sd_pre"))
        opt.register_state_dict_post_hook(lambda o, sd: log.append(("sd_post", sorted(sd))))
        opt.register_state_dict_pre_hook(lambda o: log.append("sd_pre0"), prepend=True)
        opt.register_load_state_dict_pre_hook(lambda o, sd: log.append(("load_pre", sorted(sd))))
        opt.register_load_state_dict_post_hook(lambda o: log.append("load_post"))
        for _ in range(2):
            p.grad = lib.ones(2, dtype=lib.float64)
            opt.step()
        opt.step(closure=None)
        opt.load_state_dict(opt.state_dict())
        log.append(p.detach().numpy().round(12).tolist())
        return log

    ours = run(tg, lambda lib: nn.Parameter(t64([1.0, 2.0])))
    theirs = run(
        torch, lambda lib: torch.nn.Parameter(torch.tensor([1.0, 2.0], dtype=torch.float64))
    )
    assert ours == theirs

"""Differential test of module, tensor and optimizer hooks against torch 2.13 on random models.

Each case draws a model as plain data (``_draw_case``) and builds it in both libraries with the
same weights: a ``Net`` taking ``(x, y, s=…)`` whose body is a random tree of ``Linear`` (with or
without bias), ``ReLU``, ``Tanh``, ``Identity``, nested ``Sequential``s, ``Scale`` (a non-tensor
argument), ``Twice`` (one submodule called twice), ``Custom`` (a two-output autograd.Function)
and ``Pair`` (a tuple output), then maybe a
``Mix`` (two tensor arguments, a float and a string, three outputs: two tensors and an int);
sometimes ``Net.forward`` raises. Random hooks go on random modules: forward pre-hooks and
hooks (``with_kwargs``, ``prepend``, ``always_call``), full backward pre-hooks and hooks, some
removed at once; each records what it sees and some replace it (arguments, a single argument,
outputs, ``grad_output``, ``grad_input``, scaled or None). Tensor hooks watch the inputs,
post-accumulate hooks the parameters, ``retain_grad`` the outputs. Then one of: ``backward()``,
twice with ``retain_graph``, two calls of the model, ``autograd.grad`` w.r.t. the inputs and
parameters, ``backward(inputs=parameters)``, a forward under ``no_grad``, a gradient penalty
(``grad(create_graph=True)``, then backward); and maybe an optimizer (SGD or Adam) with step
pre/post hooks (one replaces the closure) and state-dict hooks (one adds a key, one removes it
on loading), stepped, saved and loaded into a fresh one.

Both runs give a log: the forward events in order, the backward events of each module in
order (modules in parallel branches may run in either order), outputs, every gradient, the
parameters after the step, the state dict, and which step raised; the logs must agree.
Arrays agree to 1e-9, or 1e-4 in float32, relative to their largest entry where it exceeds 1:
float32's rounding error in an entry scales with the terms summed into it (seed 78908, weights
not yet seeded: -0.11009 vs -0.10997 among gradients of a gradient penalty as large as 214).
``TG_HOOKS_AUDIT_CASES`` sets the number of cases (200 by default); ``python
tests/test_hooks_fuzz_torch.py START STOP`` runs a range and counts the outcomes.

DIVERGENCES kept: where no gradient flows (a backward hook returned None for it), torch still
runs the nodes below with an undefined gradient: a module's backward hooks there fire (with
zeros, which its input gate materializes), a tensor hook gets None, and a leaf may get a zero
``.grad`` (which an optimizer then steps); here nothing below runs. So a hook returns None only
at the top module's full backward hook, where just the leaves' ``.grad`` (None in both) see it.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np
import pytest
from _fuzz import assert_seeds_agree, category, tally

import tinygrad_ed as tg

CASES = int(os.environ.get("TG_HOOKS_AUDIT_CASES", "200"))
F = 3  # features


# ----------------------------------------------------------------------------- drawing


def _draw_block(rng: np.random.Generator, depth: int) -> Any:
    kinds = ["linear", "relu", "tanh", "identity", "scale", "twice", "custom", "seq"]
    p = [0.3, 0.13, 0.13, 0.06, 0.12, 0.1, 0.08, 0.16 if depth < 2 else 0.0]
    p = [v / sum(p) for v in p]
    kind = kinds[rng.choice(len(kinds), p=p)]
    if kind == "seq":
        return ("seq", [_draw_block(rng, depth + 1) for _ in range(int(rng.integers(1, 4)))])
    if kind == "linear":
        return ("linear", bool(rng.random() < 0.8))
    if kind == "scale":
        return ("scale", round(float(rng.uniform(0.5, 2)), 2))
    return (kind, None)


HOOK_KINDS = ["fpre", "fpre_kw", "fwd", "fwd_kw", "fwd_always", "bpre", "bfull"]


def _draw_case(rng: np.random.Generator) -> dict:
    body = [_draw_block(rng, 1) for _ in range(int(rng.integers(1, 4)))]
    case: dict[str, Any] = {
        "body": body,
        "pair": bool(rng.random() < 0.2),  # the body ends in a module with a tuple output
        "mix": bool(rng.random() < 0.5),
        "mode_str": ["relu", "tanh"][rng.integers(2)],
        "dtype": "float32" if rng.random() < 0.2 else "float64",
        "seed": int(rng.integers(1 << 30)),
        "x_grad": bool(rng.random() < 0.8),
        "y_grad": bool(rng.random() < 0.6),
        "y_shape": [(2, F), (F,)][rng.integers(2)],
        "s": round(float(rng.uniform(0.5, 2)), 2),
        "tensor_hooks": bool(rng.random() < 0.3),
        "post_hooks": bool(rng.random() < 0.2),  # post-accumulate-grad hooks on parameters
        "retain": bool(rng.random() < 0.2),  # retain_grad on the outputs
        "boom": bool(rng.random() < 0.05),  # Net.forward raises after its body
    }
    n_modules = _count(body) + 1 + (2 if case["mix"] else 0) + (1 if case["pair"] else 0)
    hooks = []
    for _ in range(int(rng.integers(0, 7))):
        hooks.append(
            {
                "module": int(rng.integers(n_modules)),
                "kind": HOOK_KINDS[rng.integers(len(HOOK_KINDS))],
                # replace what the hook sees: scaled, or (backward hooks) None in one place
                "replace": ["", "", "scale", "none"][rng.integers(4)],
                "prepend": bool(rng.random() < 0.2),
                "remove": bool(rng.random() < 0.1),
            }
        )
    for spec in hooks:  # None only where nothing below sees it (see DIVERGENCES)
        below = spec["kind"] == "bpre" or spec["module"] != 0
        if spec["replace"] == "none" and spec["kind"].startswith("b") and below:
            spec["replace"] = "scale"
    case["hooks"] = hooks
    case["action"] = [
        "backward",
        "retain_twice",
        "two_calls",
        "grad",
        "inputs",
        "no_grad",
        "double",
    ][rng.choice(7, p=[0.3, 0.1, 0.12, 0.13, 0.1, 0.12, 0.13])]
    case["loss_outputs"] = [bool(rng.random() < 0.8) for _ in range(3)]
    case["optimizer"] = (
        None
        if rng.random() < 0.6
        else {
            "kind": ["sgd", "adam"][rng.integers(2)],
            "momentum": [0.0, 0.9][rng.integers(2)],
            "hooks": [
                ["step_pre", "step_pre_replace", "step_post", "sd_pre", "sd_post", "sd_post_new"][
                    rng.integers(6)
                ]
                for _ in range(int(rng.integers(0, 4)))
            ]
            + [["load_pre", "load_pre_new", "load_post"][rng.integers(3)]],
        }
    )
    return case


def _count(blocks: list[Any]) -> int:
    n = 0
    for kind, arg in blocks:
        n += 1 + (_count(arg) if kind == "seq" else 0) + (1 if kind == "twice" else 0)
    return n


# ----------------------------------------------------------------------------- building


def _classes(lib: Any) -> dict[str, Any]:
    """The custom modules, written once over ``lib``'s ``nn``."""
    nn = lib.nn

    class Scale(nn.Module):  # type: ignore[misc, name-defined]
        """y = x · factor (a non-tensor argument)."""

        def __init__(self, factor: float) -> None:
            super().__init__()
            self.factor = factor

        def forward(self, x: Any, factor: float | None = None) -> Any:
            return x * (self.factor if factor is None else factor)

    class Twice(nn.Module):  # type: ignore[misc, name-defined]
        """lin(lin(x)): one submodule called twice, its hooks run twice."""

        def __init__(self, dtype: Any) -> None:
            super().__init__()
            self.lin = nn.Linear(F, F, dtype=dtype)

        def forward(self, x: Any) -> Any:
            return self.lin(self.lin(x).tanh())

    class Two(lib.autograd.Function):  # type: ignore[misc, name-defined]
        """(a, b) = (x·s, eˣ), saving b: x̄ = ā·s + b̄·b (one backward call for both)."""

        @staticmethod
        def forward(ctx: Any, x: Any, s: float) -> Any:
            ctx.s = s
            b = (x * 0.5).exp()
            ctx.save_for_backward(b)
            return x * s, b

        @staticmethod
        def backward(ctx: Any, ga: Any, gb: Any) -> Any:
            (b,) = ctx.saved_tensors
            return ga * ctx.s + gb * b * 0.5, None

    class Custom(nn.Module):  # type: ignore[misc, name-defined]
        """A custom Function with two outputs inside a module."""

        def forward(self, x: Any) -> Any:
            a, b = Two.apply(x, 0.7)
            return a + b.tanh()

    class Pair(nn.Module):  # type: ignore[misc, name-defined]
        """(2x, tanh x): a tuple output."""

        def forward(self, x: Any) -> Any:
            return x * 2, x.tanh()

    class Mix(nn.Module):  # type: ignore[misc, name-defined]
        """Two tensors, a float and a string in; two tensors and an int out."""

        def __init__(self, dtype: Any) -> None:
            super().__init__()
            self.lin = nn.Linear(F, F, dtype=dtype)

        def forward(self, a: Any, b: Any, s: float, mode: str) -> Any:
            h = self.lin(a) * b + s
            return (h.relu() if mode == "relu" else h.tanh()), (a * b).sum(), 7

    class Net(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self, case: dict, dtype: Any) -> None:
            super().__init__()
            self.body = nn.Sequential(*[_block(lib, b, dtype, classes) for b in case["body"]])
            self.pair = Pair() if case["pair"] else None
            self.mix = Mix(dtype) if case["mix"] else None
            self.mode_str = case["mode_str"]
            self.boom = case["boom"]

        def forward(self, x: Any, y: Any, s: float = 1.5) -> Any:
            h = self.body(x)
            if self.boom:
                raise ValueError("boom")
            outs = [h]
            if self.pair is not None:
                h, t = self.pair(h)
                outs = [h, t]
            if self.mix is not None:
                m, total, _n = self.mix(h, y, s, self.mode_str)
                outs = [m, total, *outs[1:]]
            return tuple(outs) if len(outs) > 1 else outs[0]

    classes = {
        "Scale": Scale,
        "Twice": Twice,
        "Custom": Custom,
        "Pair": Pair,
        "Mix": Mix,
        "Net": Net,
    }
    return classes


def _block(lib: Any, block: Any, dtype: Any, classes: dict[str, Any]) -> Any:
    kind, arg = block
    nn = lib.nn
    if kind == "linear":
        return nn.Linear(F, F, bias=arg, dtype=dtype)
    if kind == "relu":
        return nn.ReLU()
    if kind == "tanh":
        return nn.Tanh()
    if kind == "identity":
        return nn.Identity()
    if kind == "scale":
        return classes["Scale"](arg)
    if kind == "twice":
        return classes["Twice"](dtype)
    if kind == "custom":
        return classes["Custom"]()
    return nn.Sequential(*[_block(lib, b, dtype, classes) for b in arg])


def _summary(value: Any, lib: Any) -> Any:
    """What a hook saw, as plain data: arrays, numbers, strings, None, lists of them."""
    if isinstance(value, lib.Tensor):
        return np.array(value.detach().numpy(), copy=True)
    if isinstance(value, (tuple, list)):
        return [_summary(v, lib) for v in value]
    if isinstance(value, dict):
        return {k: _summary(v, lib) for k, v in sorted(value.items())}
    if callable(value):
        return "<function>"
    return value


def _scaled(value: Any, lib: Any, c: float) -> Any:
    """A replacement: tensors scaled by c, everything else kept (None stays None)."""
    if isinstance(value, lib.Tensor):
        return value * c
    if isinstance(value, tuple):
        return tuple(_scaled(v, lib, c) for v in value)
    return value


def _replaced(grads: Any, lib: Any, how: str, c: float) -> Any:
    """A backward hook's replacement: scaled, or its first gradient None (no gradient)."""
    if how == "scale":
        return _scaled(tuple(grads), lib, c)
    if how == "none":
        first = next((i for i, g in enumerate(grads) if g is not None), 0)
        return tuple(None if i == first else g for i, g in enumerate(grads))
    return None


def _hook(lib: Any, spec: dict, h: int, name: str, log: list[Any]) -> Any:
    kind, replace = spec["kind"], spec["replace"]
    if kind.startswith("f") and replace == "none":
        replace = "single"  # a forward pre-hook returns its first argument alone

    def fpre(m: Any, args: Any) -> Any:
        log.append(("fwd", name, h, "pre", _summary(args, lib)))
        if replace == "single" and len(args) == 1:
            return _scaled(args[0], lib, 1.5)  # a single value: wrapped in a tuple
        return _scaled(args, lib, 1.5) if replace else None

    def fpre_kw(m: Any, args: Any, kwargs: Any) -> Any:
        log.append(("fwd", name, h, "pre_kw", _summary(args, lib), _summary(kwargs, lib)))
        return (_scaled(args, lib, 1.5), dict(kwargs)) if replace else None

    def fwd(m: Any, args: Any, out: Any) -> Any:
        log.append(("fwd", name, h, "fwd", _summary(args, lib), _summary(out, lib)))
        return _scaled(out, lib, 0.5) if replace else None

    def fwd_kw(m: Any, args: Any, kwargs: Any, out: Any) -> Any:
        log.append(("fwd", name, h, "fwd_kw", _summary(kwargs, lib), _summary(out, lib)))
        return _scaled(out, lib, 0.5) if replace else None

    def bpre(m: Any, grad_output: Any) -> Any:
        log.append(("bwd", name, h, "pre", _summary(grad_output, lib)))
        return _replaced(grad_output, lib, replace, 2.0)

    def bfull(m: Any, grad_input: Any, grad_output: Any) -> Any:
        log.append(("bwd", name, h, "full", _summary(grad_input, lib), _summary(grad_output, lib)))
        return _replaced(grad_input, lib, replace, 3.0)

    return {
        "fpre": fpre,
        "fpre_kw": fpre_kw,
        "fwd": fwd,
        "fwd_kw": fwd_kw,
        "fwd_always": fwd,
        "bpre": bpre,
        "bfull": bfull,
    }[kind]


def _register(module: Any, spec: dict, hook: Any) -> Any:
    kind, prepend = spec["kind"], spec["prepend"]
    if kind == "fpre":
        return module.register_forward_pre_hook(hook, prepend=prepend)
    if kind == "fpre_kw":
        return module.register_forward_pre_hook(hook, prepend=prepend, with_kwargs=True)
    if kind == "fwd":
        return module.register_forward_hook(hook, prepend=prepend)
    if kind == "fwd_kw":
        return module.register_forward_hook(hook, prepend=prepend, with_kwargs=True)
    if kind == "fwd_always":
        return module.register_forward_hook(hook, prepend=prepend, always_call=True)
    if kind == "bpre":
        return module.register_full_backward_pre_hook(hook, prepend=prepend)
    return module.register_full_backward_hook(hook, prepend=prepend)


ERRORS = [
    ("freed", r"second time|have already been freed"),
    ("no_grad", r"does not require grad|doesn't require grad|requires_grad=False"),
    ("unused", r"not have been used|was not used"),
    ("empty", r"cannot be empty|must not be empty|non-empty inputs|empty parameter list"),
    ("view+inplace", r"view|inplace"),
]


def _category(e: Exception) -> str:
    return category(e, ERRORS)


# ----------------------------------------------------------------------------- running


def _run(lib: Any, case: dict, weights: dict[str, np.ndarray]) -> dict[str, Any]:
    """Build the case's model in ``lib`` with ``weights``, run it, and log what happened."""
    dtype = getattr(lib, case["dtype"])
    classes = _classes(lib)
    net = classes["Net"](case, dtype)
    with lib.no_grad():
        for name, p in net.named_parameters():
            p.copy_(lib.tensor(weights[name], dtype=dtype))
    modules = [m for _, m in net.named_modules()]
    names = [n or "net" for n, _ in net.named_modules()]
    log: list[Any] = []
    for h, spec in enumerate(case["hooks"]):
        i = spec["module"] % len(modules)
        handle = _register(modules[i], spec, _hook(lib, spec, h, names[i], log))
        if spec["remove"]:
            handle.remove()
    rng = np.random.default_rng(case["seed"])
    x = lib.tensor(rng.uniform(-1, 1, (2, F)), dtype=dtype, requires_grad=case["x_grad"])
    y = lib.tensor(rng.uniform(-1, 1, case["y_shape"]), dtype=dtype, requires_grad=case["y_grad"])
    if case["tensor_hooks"]:
        for t, tname in ((x, "x"), (y, "y")):
            if t.requires_grad:

                def tensor_hook(g: Any, tname: str = tname) -> None:
                    if g is not None:  # (torch calls it with None where no gradient flows)
                        log.append(("bwd", tname, -1, "tensor", _summary(g, lib)))

                t.register_hook(tensor_hook)
    result: dict[str, Any] = {}
    params = [p for _, p in net.named_parameters()]
    if case["post_hooks"]:
        for k, p in enumerate(params):
            p.register_post_accumulate_grad_hook(
                lambda p, k=k: log.append(("bwd", f"param {k}", -2, "post", _summary(p.grad, lib)))
            )
    step = "forward"
    try:
        action = case["action"]
        if action == "no_grad":
            with lib.no_grad():
                out = net(x, y, s=case["s"])
        else:
            out = net(x, y, s=case["s"])
        outs = out if isinstance(out, tuple) else (out,)
        result["out"] = [_summary(o, lib) for o in outs]
        result["requires_grad"] = [bool(getattr(o, "requires_grad", False)) for o in outs]
        if action == "no_grad":
            raise _Done
        retained = [o for o in outs if case["retain"] and o.requires_grad]
        for o in retained:
            o.retain_grad()
        step = "loss"
        loss = None
        for o, used in zip(outs, case["loss_outputs"]):
            w = rng.uniform(-1, 1, tuple(o.shape))
            if used or loss is None:
                term = (o * lib.tensor(w, dtype=o.dtype)).sum()
                loss = term if loss is None else loss + term
        step = "backward"
        if action == "backward":
            loss.backward()
        elif action == "retain_twice":
            loss.backward(retain_graph=True)
            loss.backward()
        elif action == "two_calls":
            out2 = net(x * 0.5, y, s=case["s"] + 1)
            first = out2[0] if isinstance(out2, tuple) else out2
            (loss + first.sum()).backward()
        elif action == "grad":
            wanted = [t for t in (x, y, *params) if t.requires_grad]
            gs = lib.autograd.grad(loss, wanted, allow_unused=True)
            result["grad"] = [_summary(g, lib) for g in gs]
        elif action == "double":  # a gradient penalty: hooks in the second-order pass
            wanted = [t for t in (x, y, *params) if t.requires_grad]
            gs = lib.autograd.grad(loss, wanted, create_graph=True, allow_unused=True)
            result["grad"] = [_summary(g, lib) for g in gs]
            penalty = sum(((g * g).sum() for g in gs if g is not None and g.requires_grad), loss)
            penalty.backward()
        else:
            loss.backward(inputs=params or [t for t in (x, y) if t.requires_grad] or params)
        result["retained"] = [_summary(o.grad, lib) for o in retained]
        step = "optimizer"
        if case["optimizer"] is not None and params:
            result["optimizer"] = _optimize(lib, case["optimizer"], net, params, log)
    except _Done:
        pass
    except Exception as e:
        result["raised"] = (step, _category(e))
    result["x.grad"] = _summary(x.grad, lib)
    result["y.grad"] = _summary(y.grad, lib)
    result["param grads"] = [_summary(p.grad, lib) for p in params]
    result["forward events"] = [e for e in log if e[0] == "fwd"]
    by_module: dict[str, list[Any]] = {}
    for e in log:
        if e[0] == "bwd":
            by_module.setdefault(e[1], []).append(e)
    result["backward events"] = sorted(by_module.items())
    return result


class _Done(Exception):
    pass


def _optimize(lib: Any, spec: dict, net: Any, params: list[Any], log: list[Any]) -> Any:
    """Step an optimizer with hooks, save its state and load it into a fresh one."""

    def make() -> Any:
        if spec["kind"] == "sgd":
            return lib.optim.SGD(params, lr=0.1, momentum=spec["momentum"])
        return lib.optim.Adam(params, lr=0.01)

    opt = make()
    seen: list[Any] = []
    for kind in spec["hooks"]:
        if kind == "step_pre":
            opt.register_step_pre_hook(lambda o, a, k: seen.append(("step_pre", len(a), k)))
        elif kind == "step_pre_replace":
            opt.register_step_pre_hook(lambda o, a, k: (a, {"closure": lambda: 1.25}))
        elif kind == "step_post":
            opt.register_step_post_hook(lambda o, a, k: seen.append(("step_post", len(a), k)))
        elif kind == "sd_pre":
            opt.register_state_dict_pre_hook(lambda o: seen.append("sd_pre"))
        elif kind == "sd_post":
            opt.register_state_dict_post_hook(
                lambda o, sd: seen.append(("sd_post", sorted(sd["state"])))
            )
        elif kind == "sd_post_new":
            opt.register_state_dict_post_hook(lambda o, sd: {**sd, "extra": 5})
    ret = opt.step()
    seen.append(("step returned", ret))
    sd = opt.state_dict()
    other = make()
    load = spec["hooks"][-1]
    if load == "load_pre":
        other.register_load_state_dict_pre_hook(lambda o, d: seen.append(("load_pre", sorted(d))))
    elif load == "load_pre_new":
        other.register_load_state_dict_pre_hook(
            lambda o, d: {k: v for k, v in d.items() if k != "extra"}
        )
    else:
        other.register_load_state_dict_post_hook(lambda o: seen.append("load_post"))
    other.load_state_dict(sd)
    groups = [
        {k: v for k, v in g.items() if k in ("lr", "momentum", "betas", "eps")}
        for g in other.param_groups
    ]
    state = {k: sorted(v) for k, v in sd["state"].items()}
    return {
        "seen": [_summary(s, lib) for s in seen],
        "params": [_summary(p, lib) for p in params],
        "keys": sorted(sd),
        "state": state,
        "groups": groups,
    }


# ----------------------------------------------------------------------------- comparing


def _same(a: Any, b: Any, path: str, tol: float) -> str | None:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
            return f"{path}: {a!r:.200} vs {b!r:.200}"
        if a.shape != b.shape or str(a.dtype) != str(b.dtype):
            return f"{path}: {a.shape} {a.dtype} vs {b.shape} {b.dtype}"
        scale = max(1.0, float(np.abs(b).max(initial=0.0)))
        if not np.allclose(a, b, rtol=tol, atol=tol * scale):
            return f"{path}: values\n{a}\nvs\n{b}"
        return None
    if isinstance(a, dict) and isinstance(b, dict):
        if sorted(a) != sorted(b):
            return f"{path}: keys {sorted(a)} vs {sorted(b)}"
        for k in a:
            found = _same(a[k], b[k], f"{path}.{k}", tol)
            if found:
                return found
        return None
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            return f"{path}: length {len(a)} vs {len(b)}:\n  {a!r:.600}\n  {b!r:.600}"
        for i, (x, y) in enumerate(zip(a, b)):
            found = _same(x, y, f"{path}[{i}]", tol)
            if found:
                return found
        return None
    if isinstance(a, float) and isinstance(b, float):
        return None if np.isclose(a, b, rtol=tol) else f"{path}: {a} vs {b}"
    return None if a == b else f"{path}: {a!r:.300} vs {b!r:.300}"


def _case(seed: int, torch: Any) -> tuple[str, str | None]:
    case = _draw_case(np.random.default_rng(seed))
    with tg.random.fork_rng():  # the init's draws, so that a seed's case is the same in any run
        tg.manual_seed(seed)
        weights = {
            name: np.asarray(p.data, dtype=np.float64)
            for name, p in _classes(tg)["Net"](case, np.float64).named_parameters()
        }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = _run(tg, case, weights)
        theirs = _run(torch, case, weights)
    tol = 1e-4 if case["dtype"] == "float32" else 1e-9
    found = _same(ours, theirs, "", tol)
    outcome = f"both raised ({ours['raised'][1]})" if "raised" in ours else "compared"
    return outcome, found


def test_random_hooked_models_match_torch() -> None:
    assert_seeds_agree(_case, pytest.importorskip("torch"), CASES)


if __name__ == "__main__":
    import sys

    tally(_case, sys.argv, width=900)

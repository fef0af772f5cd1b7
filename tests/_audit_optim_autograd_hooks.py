# ruff: noqa: E501
"""Bad-input and edge-case audit of the optimizers SGD, Adam, AdamW, Adagrad, RMSprop, Adadelta,
Adamax, NAdam and RAdam, the lr schedulers (optim/lr_scheduler.py), autograd.functional
(jacobian, hessian, vjp, jvp, hvp, vhp), autograd.grad/backward's options, tensor and module
hooks, tinygrad_ed.save/load and nn.init, against torch 2.13.

Run by hand (not collected by pytest; needs torch):

    python tests/_audit_optim_autograd_hooks.py [-v] [--only SUBSTRING] [--json PATH]

Same machinery as ``tests/_audit_methods_layers.py`` (its ``Lib``, ``run``, ``classify`` and
``calls``, through its ``audit_main``), with float64 values compared to 1e-12 here (``close`` is
wrapped). Helpers in the templates:

* ``OPT(name, steps=3, shape=(3,), nograd=False, **kw)``: a float64 parameter of seeded values
  minimises a weighted quadratic-plus-quartic for ``steps`` steps; returns the parameter (and a
  second one that never gets a gradient). Torch runs under a float64 default dtype, since it
  keeps scalar state (NAdam's μ product, ASGD's η) in 0-d tensors of the default dtype.
* ``RT``, ``GR``, ``SD`` from ``tests/_audit_optim_resampling.py``: state_dict round trip, two
  parameter groups with their own hyperparameters, a state loaded into an optimizer over another
  shape.
* ``ZG(name, set_to_none)``: the gradient after a step and ``zero_grad``.
* ``SDG(name, kind)``: ``load_state_dict`` of a state with other groups (``'groups'``: two
  groups into one; ``'sizes'``: one parameter more; ``'ok'``); ``SDK(name)``: the keys and
  hyperparameters of ``state_dict()``.
* ``APG(name, make)``: ``add_param_group(make(p, q))`` after one step, then two more steps.
* ``SCH(name, steps=30, opt='SGD', metrics='dec', **kw)``: the learning rate (``get_last_lr()``,
  or the group's lr for ReduceLROnPlateau) before and after each of ``steps`` scheduler steps;
  ``schedulers=[(name, kwargs), ...]`` builds SequentialLR/ChainedScheduler's children on the
  same optimizer. ``SCHRT(name, k, **kw)``: k steps, then both state dicts into a fresh
  optimizer and scheduler, then the rest.
* ``SL(obj, mode)``: ``save`` then ``load`` (to a path or a BytesIO) and the loaded object with
  its requires_grad flags; ``BAD(kind)``: ``load`` of a damaged or foreign file.
* ``INIT(fn, shape, *args, **kw)``: an nn.init function on a float64 tensor; deterministic ones
  return the values, random ones ``Approx`` statistics (std and mean of ≥ 20000 draws, equal
  within 4 %), with whether the tensor itself was returned.
* ``SLRT(name, sched)``: an optimizer's (and a scheduler's) state dict through save/load and
  back into fresh ones mid-run; ``GS(name, grad)``: a step with ``.grad`` set by hand;
  ``LSD(name, make)``: ``load_state_dict`` of an edited state dict.

Besides the outcomes of ``tests/_audit_methods_layers.py``, ``both-raise (words)`` marks a
both-raise where ours raised with Python's or numpy's words and no op name ("'>' not supported
between instances", "object of type 'NoneType' has no len()"): a leak that torch's own unchecked
arithmetic hides. Run ``--areas`` for the outcomes per helper.

On 2026-11-27 (main at 531b714): 3407 calls. Before the fixes: equal 1584, both-raise 1350,
both-raise (kind) 216, ours-raises 130, both-raise (words) 69, torch-raises 26, differ 21,
leak 10, odd 1. After: equal 1583, both-raise 1439, both-raise (kind) 216, ours-raises 133,
differ 21, torch-raises 14, odd 1, leak 0, both-raise (words) 0. Every optimizer run (valid
hyperparameters and their random mixes, 0 to 8 steps, 0-d/empty/2-d parameters, two groups,
state-dict round trips in memory and through save/load) equals torch's to 1e-12, as do the lr
sequences of every scheduler over 30 steps and their state-dict round trips, and the values
and float64 gradients of autograd.functional (create_graph included). Fixed (each with a test
in tests/test_bad_input_optim_autograd_hooks.py): grad/backward's grad_outputs=[g] beside one
output; a tensor hook returning no tensor (TypeError now, torch's kind); named and unnamed param
groups mixed; MultiStepLR's milestones, the schedulers' numbers (gamma, eta_min, max_lr, div_factor,
scale_fn, ReduceLROnPlateau's patience/cooldown/threshold/min_lr/eps and step's metric),
SequentialLR/ChainedScheduler's lists, an optimizer's params=None; save/load of a non-file;
nn.init's nan or negative std (xavier/kaiming normal), negative gain (xavier_uniform_) and
non-numbers (uniform_, normal_, gain); constant_ of a 0-d tensor. What remains:

* differ (21): Adagrad's per-group initial_accumulator_value (5, documented in
  optim/adagrad.py: torch uses the constructor's for every group); scheduler state dicts
  without torch's ``_get_lr_called_within_step`` warning flag (8) and optimizer state dicts
  with int steps and no foreach/fused flags (4), both documented; a ``.grad`` made by
  ``backward(create_graph=True)`` that the next backward sums into out of place, where torch
  sums in place into the tensor it handed out (3, documented in autograd._accumulate_leaf);
  a full backward pre-hook returning (None,): the module's inputs get no gradient, torch's
  zeros (1, documented in hooks.BackwardHook: the engine runs no node without a gradient).
* ours-raises (133): a parameter twice in one group (torch only warns; 18), bools as numbers
  (lr=True, gamma=True, constant_(True), ...; 18), torch's foreach/fused/capturable/
  differentiable switches (15), Tensor lr (torch's capturable/fused feature; 9), integer
  parameters (9), sets of parameters (9), normal_ with a nan or infinite mean or std (torch
  fills nan or inf; 8), stricter ranges where torch takes anything (nan lr/momentum/
  weight_decay, negative or fractional step_size/T_max, nan factors, negative CyclicLR step
  sizes), numbers that torch never reads in that mode (CyclicLR's gamma when triangular,
  ConstantLR's total_iters='a', MultiStepLR(milestones=None)), more grad_tensors than outputs
  (torch's zip drops the extra; 3), backward([]) (torch does nothing; 3), state for an
  unknown parameter index in load_state_dict (torch ignores it; 4), is_grads_batched (not
  supported; 2), prepend=1 (2), and save() of bytes, sets, complex, types and tuple keys (the
  format stores JSON-able trees only).
* torch-raises (14): torch's own failures (jacobian/hessian of an empty input, a loaded
  param group without 'lr' that torch takes and fails on at step), grad_outputs=1.0 for a
  scalar output (a number is taken as the gradient here), numpy arrays through save/load
  (torch's weights_only refuses them).
* both-raise (kind) (216): our named TypeError/ValueError where torch fails with Python's
  KeyError/AttributeError/IndexError/AssertionError (a group without 'params', betas=0.9,
  strategy='a', an empty or foreign file, a non-tensor to nn.init), and the order of checks
  when several arguments are bad.
* odd (1): save() into a missing directory raises FileNotFoundError (torch: RuntimeError
  from its zip writer).

Not audited: nn.init's eye_, dirac_, orthogonal_, sparse_ and trunc_normal_ (this library
has none of them); Module hooks through keyword arguments (nn.Linear's forward argument is
not named ``input`` as torch's, outside this audit's scope).
"""

from __future__ import annotations

import io
import math
import os
import re
import sys
import tempfile
from typing import Any

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))

import _audit_methods_layers
import _audit_optim_resampling  # noqa: F401  (adds OPT, RT, GR, SD to Lib.env)
from _audit_methods_layers import NAMED, Lib, Result, audit_main, case, tensors_like

import tinygrad_ed as tg

# ----------------------------------------------------------------------------- comparison

_close = _audit_methods_layers.close


def close12(a: Any, b: Any, tol: float) -> str | None:
    """float64 to 1e-12 (relative and absolute), float32 as before; dicts, lists and tensors
    inside them compared item by item."""
    if isinstance(a, dict) or isinstance(b, dict):
        if not (isinstance(a, dict) and isinstance(b, dict)):
            return f"types {type(a).__name__} / {type(b).__name__}"
        if list(map(repr, a)) != list(map(repr, b)):
            return f"keys {list(a)} / {list(b)}"
        for k in a:
            d = close12(_audit_methods_layers.to_np(a[k]), _audit_methods_layers.to_np(b[k]), tol)
            if d:
                return f"[{k!r}]: {d}"
        return None
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if type(a) is not type(b) or len(a) != len(b):
            return f"{type(a).__name__} of {len(a)} / {type(b).__name__} of {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = close12(_audit_methods_layers.to_np(x), _audit_methods_layers.to_np(y), tol)
            if d:
                return f"[{i}]: {d}"
        return None
    if isinstance(a, np.ndarray) and a.dtype == np.float64:
        tol = 1e-12
    return _close(a, b, tol)


_audit_methods_layers.close = close12


class Approx:
    """A statistic from random draws: equal to another within 4 % (or both nan)."""

    def __init__(self, value: float, scale: float = 1.0) -> None:
        self.value, self.scale = float(value), float(scale)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Approx):
            return False
        if math.isnan(self.value) or math.isnan(other.value):
            return math.isnan(self.value) and math.isnan(other.value)
        return abs(self.value - other.value) <= 0.04 * max(self.scale, other.scale, 1e-300)

    def __repr__(self) -> str:
        return f"Approx({self.value:.4g})"


# ----------------------------------------------------------------------------- helpers


def _float64(lib: Lib) -> Any:
    """A context: torch's default dtype float64 while an optimizer or scheduler runs."""

    class Ctx:
        def __enter__(self) -> None:
            self.old = torch.get_default_dtype()
            if lib.is_torch:
                torch.set_default_dtype(torch.float64)

        def __exit__(self, *a: Any) -> None:
            torch.set_default_dtype(self.old)

    return Ctx()


def _param(lib: Lib, shape: tuple[int, ...]) -> Any:
    p = lib.tensor(lib.rng.standard_normal(shape), False)
    p.requires_grad_(True)
    return p


def _loss(p: Any, target: Any) -> Any:
    return ((p - target) ** 2).sum() + ((p - target) ** 4).sum() * 0.1


def _opt(lib: Lib) -> Any:
    def OPT(
        name: str,
        *args: Any,
        steps: int = 3,
        shape: tuple[int, ...] = (3,),
        nograd: bool = False,
        **kw: Any,
    ) -> Any:
        p, extra = _param(lib, shape), _param(lib, shape)
        target = lib.tensor(lib.rng.standard_normal(shape), False)
        with _float64(lib):
            opt = getattr(lib.T.optim, name)([p, extra] if nograd else [p], *args, **kw)
            for _ in range(steps):
                opt.zero_grad()
                _loss(p, target).backward()
                opt.step()
        return p.detach().clone(), extra.detach().clone()

    return OPT


def _zg(lib: Lib) -> Any:
    def ZG(name: str, set_to_none: Any) -> Any:
        p = _param(lib, (3,))
        with _float64(lib):
            opt = getattr(lib.T.optim, name)([p])
            _loss(p, 0.5).backward()
            opt.step()
            opt.zero_grad(set_to_none=set_to_none)
        return p.grad

    return ZG


def _sdg(lib: Lib) -> Any:
    def SDG(name: str, kind: str, **kw: Any) -> Any:
        ps = [_param(lib, (3,)) for _ in range(3)]
        with _float64(lib):
            if kind == "groups":
                opt = getattr(lib.T.optim, name)([{"params": [ps[0]]}, {"params": [ps[1]]}], **kw)
            elif kind == "sizes":
                opt = getattr(lib.T.optim, name)([ps[0], ps[1]], **kw)
            else:
                opt = getattr(lib.T.optim, name)([ps[0]], **kw)
            for _ in range(2):
                opt.zero_grad()
                sum(_loss(p, 0.3) for p in ps).backward()
                opt.step()
            sd = opt.state_dict()
            q = _param(lib, (3,))
            opt2 = getattr(lib.T.optim, name)([q], **kw)
            opt2.load_state_dict(sd)
            _loss(q, 0.3).backward()
            opt2.step()
        return q.detach().clone()

    return SDG


def _sdk(lib: Lib) -> Any:
    def SDK(name: str, **kw: Any) -> Any:
        p = _param(lib, (3,))
        with _float64(lib):
            opt = getattr(lib.T.optim, name)([p], **kw)
            _loss(p, 0.3).backward()
            opt.step()
            sd = opt.state_dict()
        group = sd["param_groups"][0]
        skip = {"foreach", "differentiable", "capturable", "fused", "params"}
        hyper = sorted((k, repr(v)) for k, v in group.items() if k not in skip)
        state = sorted(sd["state"][0]) if sd["state"] else []
        return hyper, state, sorted(sd)

    return SDK


def _apg(lib: Lib) -> Any:
    def APG(name: str, make: Any, **kw: Any) -> Any:
        p, q = _param(lib, (3,)), _param(lib, (2,))
        with _float64(lib):
            opt = getattr(lib.T.optim, name)([p], **kw)
            _loss(p, 0.3).backward()
            opt.step()
            opt.add_param_group(make(p, q))
            for _ in range(2):
                opt.zero_grad()
                (_loss(p, 0.3) + _loss(q, 0.2)).backward()
                opt.step()
        return p.detach().clone(), q.detach().clone(), len(opt.param_groups)

    return APG


def _gs(lib: Lib) -> Any:
    def GS(name: str, grad: Any, closure: bool = False, **kw: Any) -> Any:
        """A step with ``p.grad`` set by hand (``grad(lib)`` makes it), or through a closure."""
        p = _param(lib, (3,))
        with _float64(lib):
            opt = getattr(lib.T.optim, name)([p], **kw)
            if closure:

                def clo() -> Any:
                    opt.zero_grad()
                    loss = _loss(p, 0.3)
                    loss.backward()
                    return loss

                r = opt.step(clo)
                return p.detach().clone(), r
            p.grad = grad
            opt.step()
        return p.detach().clone()

    return GS


def _lsd(lib: Lib) -> Any:
    def LSD(name: str, make: Any, **kw: Any) -> Any:
        """``load_state_dict(make(sd))`` for the state dict ``sd`` of a stepped optimizer."""
        p = _param(lib, (3,))
        with _float64(lib):
            opt = getattr(lib.T.optim, name)([p], **kw)
            _loss(p, 0.3).backward()
            opt.step()
            sd = opt.state_dict()
            opt2 = getattr(lib.T.optim, name)([p], **kw)
            opt2.load_state_dict(make(sd))
            opt2.step()
        skip = {"foreach", "differentiable", "capturable", "fused"}
        return p.detach().clone(), [sorted(set(g) - skip) for g in opt2.param_groups]

    return LSD


METRICS = {
    "dec": [1.0 / (i + 1) for i in range(40)],
    "flat": [1.0] * 40,
    "wave": [1.0, 0.9, 0.95, 0.9, 0.9, 0.91, 0.8, 0.85, 0.85, 0.85] * 4,
    "nan": [1.0, math.nan] * 20,
    "up": [float(i) for i in range(40)],
}


def _make_sched(lib: Lib, opt: Any, name: str, kw: dict[str, Any]) -> Any:
    S = lib.T.optim.lr_scheduler
    kw = dict(kw)
    if "schedulers" in kw and isinstance(kw["schedulers"], list):
        kw["schedulers"] = [
            _make_sched(lib, opt, n, k) if isinstance(n, str) else n for n, k in kw["schedulers"]
        ]
    if name == "ChainedScheduler":
        return S.ChainedScheduler(**kw)
    return getattr(S, name)(opt, **kw)


def _new_opt(lib: Lib, p: Any, opt: str) -> Any:
    if opt == "SGD":
        return lib.T.optim.SGD([p], lr=0.1, momentum=0.9)
    if opt == "Adam":
        return lib.T.optim.Adam([p], lr=0.1)
    if opt == "two":
        q = _param(lib, (2,))
        return lib.T.optim.SGD([{"params": [p]}, {"params": [q], "lr": 0.05}], lr=0.1, momentum=0.9)
    return getattr(lib.T.optim, opt)([p], lr=0.1)


def _lrs(opt: Any, sched: Any, name: str) -> list[float]:
    if name == "ReduceLROnPlateau":
        return [float(g["lr"]) for g in opt.param_groups]
    return [float(v) for v in sched.get_last_lr()]


def _sch(lib: Lib) -> Any:
    def SCH(name: str, steps: int = 30, opt: str = "SGD", metrics: str = "dec", **kw: Any) -> Any:
        p = _param(lib, (3,))
        with _float64(lib):
            o = _new_opt(lib, p, opt)
            sched = _make_sched(lib, o, name, kw)
            out = [_lrs(o, sched, name)]
            for i in range(steps):
                o.step()
                if name == "ReduceLROnPlateau":
                    sched.step(METRICS[metrics][i])
                else:
                    sched.step()
                out.append(_lrs(o, sched, name))
            mom = [g.get("momentum", g.get("betas", (None,))[0]) for g in o.param_groups]
        return np.array(out, dtype=np.float64), [None if m is None else float(m) for m in mom]

    return SCH


def _schrt(lib: Lib) -> Any:
    def SCHRT(
        name: str, k: int = 10, steps: int = 30, opt: str = "SGD", metrics: str = "wave", **kw: Any
    ) -> Any:
        p = _param(lib, (3,))
        out = []
        with _float64(lib):
            o = _new_opt(lib, p, opt)
            sched = _make_sched(lib, o, name, kw)
            for i in range(steps):
                if i == k:
                    osd, ssd = o.state_dict(), sched.state_dict()
                    o = _new_opt(lib, p, opt)
                    o.load_state_dict(osd)
                    sched = _make_sched(lib, o, name, kw)
                    sched.load_state_dict(ssd)
                o.step()
                if name == "ReduceLROnPlateau":
                    sched.step(METRICS[metrics][i])
                else:
                    sched.step()
                out.append(_lrs(o, sched, name))
        return np.array(out, dtype=np.float64)

    return SCHRT


def _sl(lib: Lib) -> Any:
    def SL(obj: Any, mode: str = "path") -> Any:
        save, load = (torch.save, torch.load) if lib.is_torch else (tg.save, tg.load)
        if mode == "bytes":
            buf = io.BytesIO()
            save(obj, buf)
            buf.seek(0)
            back = load(buf)
        else:
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "x.pt")
                save(obj, path)
                back = load(path)

        def flags(o: Any) -> Any:
            if isinstance(o, dict):
                return {repr(k): flags(v) for k, v in o.items()}
            if isinstance(o, (list, tuple)):
                return [type(o).__name__, *[flags(v) for v in o]]
            if isinstance(o, (torch.Tensor, tg.Tensor)):
                return ("tensor", bool(o.requires_grad), str(o.dtype).replace("torch.", ""))
            return type(o).__name__

        return back, repr(flags(back))

    return SL


def _slrt(lib: Lib) -> Any:
    def SLRT(name: str, sched: str = "", **kw: Any) -> Any:
        """Two steps, the optimizer's (and a scheduler's) state dict through save/load into fresh
        ones, two more steps."""
        save, load = (torch.save, torch.load) if lib.is_torch else (tg.save, tg.load)
        p = _param(lib, (2, 3))
        lrs = []
        with _float64(lib):
            opt = getattr(lib.T.optim, name)([p], **kw)
            s = eval(sched, {"S": lib.T.optim.lr_scheduler, "o": opt}) if sched else None
            for i in range(4):
                if i == 2:
                    buf = io.BytesIO()
                    save({"o": opt.state_dict(), "s": s.state_dict() if s else None}, buf)
                    buf.seek(0)
                    sd = load(buf)
                    opt = getattr(lib.T.optim, name)([p], **kw)
                    opt.load_state_dict(sd["o"])
                    if s is not None:
                        s = eval(sched, {"S": lib.T.optim.lr_scheduler, "o": opt})
                        s.load_state_dict(sd["s"])
                opt.zero_grad()
                _loss(p, 0.3).backward()
                opt.step()
                if s is not None:
                    s.step()
                    lrs.append(float(s.get_last_lr()[0]))
        return p.detach().clone(), lrs

    return SLRT


def _catch(f: Any) -> Any:
    """``f()``, or "raised" (to see what hooks did when a call fails)."""
    try:
        return f()
    except Exception:
        return "raised"


def _bad(lib: Lib) -> Any:
    def BAD(kind: str) -> Any:
        save, load = (torch.save, torch.load) if lib.is_torch else (tg.save, tg.load)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "x.pt")
            if kind == "missing":
                return load(path)
            if kind == "dir":
                return load(d)
            if kind == "savedir":
                return save(lib.t(2), os.path.join(d, "no", "x.pt"))
            if kind == "empty":
                open(path, "wb").close()
            elif kind == "garbage":
                with open(path, "wb") as f:
                    f.write(bytes(range(256)) * 4)
            elif kind == "text":
                with open(path, "w") as f:
                    f.write("hello world\n")
            elif kind == "truncated":
                save({"a": lib.t(50)}, path)
                with open(path, "rb") as f:
                    data = f.read()
                with open(path, "wb") as f:
                    f.write(data[: len(data) // 2])
            elif kind == "zip":
                import zipfile

                with zipfile.ZipFile(path, "w") as z:
                    z.writestr("a.txt", "nothing")
            elif kind == "npz":
                np.savez(path, a=np.ones(3))
            return load(path)

    return BAD


DETERMINISTIC = {"constant_", "zeros_", "ones_", "eye_", "dirac_"}


def _init(lib: Lib) -> Any:
    def INIT(fn: str, shape: Any, *args: Any, dtype: str = "f64", **kw: Any) -> Any:
        f = getattr(lib.T.nn.init, fn)
        x = lib.t(*shape, dtype=dtype) if isinstance(shape, tuple) else shape
        r = f(x, *args, **kw)
        same = r is x
        if fn in DETERMINISTIC:
            return same, x.detach().clone()
        draws = [x.detach().numpy().astype(np.float64).ravel()]
        n = draws[0].size
        while 0 < n < 20000:
            f(x, *args, **kw)
            draws.append(x.detach().numpy().astype(np.float64).ravel())
            n += draws[-1].size
        a = np.concatenate(draws)
        if a.size == 0:
            return same, tuple(x.shape), "empty"
        std = float(a.std())
        return (
            same,
            tuple(x.shape),
            Approx(std, std),
            Approx(float(a.mean()), std),
            bool(np.isfinite(a).all()),
        )

    return INIT


_env = Lib.env


def env(self: Lib) -> dict[str, Any]:
    e = _env(self)
    e["OPT"] = _opt(self)
    sd = e["SD"]

    def SD(*args: Any, **kw: Any) -> Any:  # torch's NAdam keeps μ's product in the default dtype
        with _float64(self):
            return sd(*args, **kw)

    e["SD"] = SD
    e["ZG"] = _zg(self)
    e["GS"] = _gs(self)
    e["LSD"] = _lsd(self)
    e["SDG"] = _sdg(self)
    e["SDK"] = _sdk(self)
    e["APG"] = _apg(self)
    e["SCH"] = _sch(self)
    e["SCHRT"] = _schrt(self)
    e["SL"] = _sl(self)
    e["BAD"] = _bad(self)
    e["SLRT"] = _slrt(self)
    e["CATCH"] = _catch
    e["INIT"] = _init(self)
    e["AF"] = self.T.autograd.functional
    e["AG"] = self.T.autograd
    return e


Lib.env = env  # type: ignore[method-assign]

# ----------------------------------------------------------------------------- the cases

NUM = ["-0.1", "nan", "inf", "'a'", "None", "True", "[0.1]", "0", "1"]
BETAS = [
    "(0.9, 0.999)",
    "(1.0, 0.999)",
    "(-0.1, 0.999)",
    "(0.9, 1.0)",
    "(0.9, 1.5)",
    "(0.9,)",
    "0.9",
    "(0.9, 0.999, 0.5)",
    "None",
    "('a', 0.9)",
    "(nan, 0.999)",
    "[0.9, 0.999]",
    "(0.0, 0.0)",
]
BOOL = ["False", "True", "1", "None", "'a'"]
STEPS = ["3", "0", "6"]
SHAPES = ["(3,)", "()", "(0,)", "(2, 3)"]
OPTS: dict[str, dict[str, list[str]]] = {
    "SGD": dict(
        lr=["0.01", "v(0.01)", *NUM],
        momentum=["0.9", "0", "-0.5", "1.5", "nan", "'a'", "None", "True"],
        dampening=["0", "0.5", "-0.5", "1.5", "'a'", "None"],
        weight_decay=["0", "0.1", "-0.1", "nan", "'a'", "None", "True"],
        nesterov=BOOL,
        maximize=BOOL,
    ),
    "Adam": dict(
        lr=["0.01", "v(0.01)", *NUM],
        betas=BETAS,
        eps=["1e-8", "0", "-1e-8", "nan", "'a'", "None", "1"],
        weight_decay=["0", "0.1", "-0.1", "nan", "'a'", "None"],
        amsgrad=BOOL,
        maximize=BOOL,
    ),
    "AdamW": dict(
        lr=["0.01", "v(0.01)", *NUM],
        betas=BETAS,
        eps=["1e-8", "0", "-1e-8", "nan", "'a'", "None"],
        weight_decay=["1e-2", "0", "0.1", "-0.1", "nan", "'a'", "None"],
        amsgrad=BOOL,
        maximize=BOOL,
    ),
    "Adagrad": dict(
        lr=["0.01", "v(0.01)", *NUM],
        lr_decay=["0", "0.1", "-0.1", "nan", "'a'", "None"],
        weight_decay=["0", "0.1", "-0.1", "'a'", "None"],
        initial_accumulator_value=["0", "0.5", "-0.5", "nan", "'a'", "None"],
        eps=["1e-10", "0", "-1e-10", "'a'", "None"],
        maximize=BOOL,
    ),
    "RMSprop": dict(
        lr=["0.01", "v(0.01)", *NUM],
        alpha=["0.99", "0", "1", "-0.1", "1.5", "nan", "'a'", "None"],
        eps=["1e-8", "0", "-1e-8", "'a'", "None"],
        weight_decay=["0", "0.1", "-0.1", "'a'", "None"],
        momentum=["0", "0.9", "-0.5", "1.5", "'a'", "None"],
        centered=BOOL,
        maximize=BOOL,
    ),
    "Adadelta": dict(
        lr=["1.0", "v(1.0)", *NUM],
        rho=["0.9", "0", "1", "-0.1", "1.5", "nan", "'a'", "None"],
        eps=["1e-6", "0", "-1e-6", "'a'", "None"],
        weight_decay=["0", "0.1", "-0.1", "'a'", "None"],
        maximize=BOOL,
    ),
    "Adamax": dict(
        lr=["0.002", "v(0.002)", *NUM],
        betas=BETAS,
        eps=["1e-8", "0", "-1e-8", "'a'", "None"],
        weight_decay=["0", "0.1", "-0.1", "'a'", "None"],
        maximize=BOOL,
    ),
    "NAdam": dict(
        lr=["0.002", "v(0.002)", *NUM],
        betas=BETAS,
        eps=["1e-8", "0", "-1e-8", "'a'", "None"],
        weight_decay=["0", "0.1", "-0.1", "'a'", "None"],
        momentum_decay=["4e-3", "0", "-1e-3", "nan", "'a'", "None"],
        decoupled_weight_decay=BOOL,
        maximize=BOOL,
    ),
    "RAdam": dict(
        lr=["1e-3", "v(1e-3)", *NUM],
        betas=BETAS,
        eps=["1e-8", "0", "-1e-8", "'a'", "None"],
        weight_decay=["0", "0.1", "-0.1", "'a'", "None"],
        decoupled_weight_decay=BOOL,
        maximize=BOOL,
    ),
}
PARAMS = [
    "[t(3)]",
    "[]",
    "t(3)",
    "[t(3), t(3)]",
    "[1.0]",
    "None",
    "[t(3, grad=False)]",
    "[t(3, dtype='i64')]",
    "[t(3) * 2]",
    "(lambda p: [p, p])(t(3))",
    "(x for x in [t(3), t(2)])",
    "iter([])",
    "{t(3)}",
    "[{'params': [t(3)]}]",
    "[{'params': t(3)}, {'params': [t(2)], 'lr': 0.5}]",
    "(lambda p: [{'params': [p]}, {'params': [p]}])(t(3))",
    "[{'lr': 0.1}]",
    "[{'params': []}]",
    "[{'params': [t(3)]}, t(2)]",
    "[t(3), {'params': [t(2)]}]",
    "[{'params': [t(3)], 'foo': 1}]",
    "[{'params': [t(3)], 'lr': -1.0}]",
    "[('w', t(3)), ('b', t(2))]",
    "[('w', t(3)), t(2)]",
    "[t(3), 'a']",
    "{'params': t(3)}",
    "[t(3, dtype='f32')]",
    "[t()]",
    "[t(0)]",
]
APGS = [
    "lambda p, q: {'params': q}",
    "lambda p, q: {'params': [q], 'lr': 0.5}",
    "lambda p, q: {'params': [p]}",
    "lambda p, q: {'params': [q, q]}",
    "lambda p, q: {'params': []}",
    "lambda p, q: [q]",
    "lambda p, q: q",
    "lambda p, q: {'lr': 0.1}",
    "lambda p, q: {'params': [q], 'lr': -1.0}",
    "lambda p, q: {'params': q * 2}",
    "lambda p, q: {'params': [q], 'foo': 3}",
    "lambda p, q: {'params': {q}}",
    "lambda p, q: {'params': [('q', q)]}",
    "lambda p, q: {'params': [q.detach()]}",
]


def optim_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    for name, slots in OPTS.items():
        keys = list(slots)
        body = ", ".join(f"{k}={{{k}}}" for k in keys)
        C.append(
            case(
                f"OPT('{name}', {body}, steps={{n}}, shape={{sh}})",
                **slots,
                n=STEPS,
                sh=SHAPES,
            )
        )
        C.append(
            case(
                f"OPT('{name}', nograd=True, {{flag}}={{v}})",
                flag=[k for k in keys if slots[k][0] in ("False",)] or ["maximize"],
                v=["True", "False"],
            )
        )
        C.append(
            case(
                f"(lambda o: [len(g['params']) for g in o.param_groups])(T.optim.{name}({{params}}))",
                params=PARAMS,
            )
        )
        C.append(case(f"ZG('{name}', {{s}})", s=["True", "False", "None", "0"]))
        C.append(case(f"SDG('{name}', {{k}})", k=["'ok'", "'groups'", "'sizes'"]))
        C.append(
            case(f"SD('{name}', {{sh}})", sh=["(3,)", "(4,)", "(2, 3)", "()", "(0,)", "(3, 1)"])
        )
        C.append(case(f"APG('{name}', {{m}})", m=APGS))
        C.append(
            case(
                f"OPT('{name}', foreach={{fe}}, differentiable={{df}}, capturable={{cp}}, fused={{fu}})",
                fe=["None", "False", "True"],
                df=["False", "True"],
                cp=["False", "True"],
                fu=["None", "False", "True"],
            )
        )
    for name in ["SGD", "Adam", "RMSprop", "Adagrad", "NAdam"]:
        C.append(
            case(
                f"GS('{name}', {{g}})",
                g=[
                    "t(3)",
                    "t(2)",
                    "t(3, dtype='f32')",
                    "t(3, dtype='i64')",
                    "t()",
                    "t(1, 3)",
                    "v([nan, 1.0, inf])",
                    "None",
                    "t(3).detach()",
                ],
            )
        )
        C.append(case(f"GS('{name}', None, closure=True)", x=["0"]))
        C.append(
            case(
                f"LSD('{name}', {{mk}})",
                mk=[
                    "lambda sd: sd",
                    "lambda sd: {}",
                    "lambda sd: None",
                    "lambda sd: {'state': sd['state']}",
                    "lambda sd: {'param_groups': sd['param_groups'], 'state': {}}",
                    "lambda sd: {**sd, 'param_groups': []}",
                    "lambda sd: {**sd, 'state': {5: sd['state'][0]}}",
                    "lambda sd: {**sd, 'param_groups': [{**sd['param_groups'][0], 'params': [0, 1]}]}",
                    "lambda sd: {**sd, 'param_groups': [{**sd['param_groups'][0], 'lr': 0.5}]}",
                    "lambda sd: {**sd, 'param_groups': [{k: v for k, v in sd['param_groups'][0].items() if k != 'lr'}]}",
                    "lambda sd: {**sd, 'param_groups': [{**sd['param_groups'][0], 'foo': 1}]}",
                    "lambda sd: {**sd, 'extra': 1}",
                ],
            )
        )
    # state dicts, round trips and groups with every flag
    for name, flags in [
        (
            "SGD",
            [
                "{}",
                "{'momentum': 0.9}",
                "{'momentum': 0.9, 'nesterov': True, 'weight_decay': 0.1}",
                "{'momentum': 0.5, 'dampening': 0.3, 'maximize': True}",
            ],
        ),
        (
            "Adam",
            [
                "{}",
                "{'amsgrad': True}",
                "{'weight_decay': 0.1, 'maximize': True}",
                "{'betas': (0.5, 0.6), 'eps': 1e-3}",
            ],
        ),
        ("AdamW", ["{}", "{'amsgrad': True}", "{'weight_decay': 0.3, 'maximize': True}"]),
        (
            "Adagrad",
            [
                "{}",
                "{'lr_decay': 0.1, 'initial_accumulator_value': 0.3}",
                "{'weight_decay': 0.1, 'maximize': True}",
            ],
        ),
        (
            "RMSprop",
            [
                "{}",
                "{'centered': True}",
                "{'momentum': 0.9}",
                "{'centered': True, 'momentum': 0.9, 'weight_decay': 0.1, 'maximize': True}",
            ],
        ),
        ("Adadelta", ["{}", "{'rho': 0.5, 'weight_decay': 0.1}", "{'maximize': True}"]),
        ("Adamax", ["{}", "{'weight_decay': 0.1}", "{'maximize': True}"]),
        (
            "NAdam",
            [
                "{}",
                "{'decoupled_weight_decay': True, 'weight_decay': 0.1}",
                "{'weight_decay': 0.1}",
                "{'momentum_decay': 0.1, 'maximize': True}",
            ],
        ),
        (
            "RAdam",
            [
                "{}",
                "{'decoupled_weight_decay': True, 'weight_decay': 0.1}",
                "{'weight_decay': 0.1}",
                "{'maximize': True}",
            ],
        ),
    ]:
        C.append(
            case(
                f"OPT('{name}', steps={{n}}, shape={{sh}}, **{{kw}})",
                kw=flags,
                n=["8", "1", "3"],
                sh=["(2, 3)", "()"],
            )
        )
        C.append(case(f"RT('{name}', steps={{n}}, **{{kw}})", kw=flags, n=["3", "1", "7"]))
        C.append(case(f"SDK('{name}', **{{kw}})", kw=flags))
        C.append(case(f"GR('{name}', {{g1}}, {{g2}})", g1=flags, g2=flags[::-1]))
    return C


def esc(s: str) -> str:
    return s.replace("{", "{{").replace("}", "}}")


def sched_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    INT = ["'a'", "None", "True", "2.5", "[3]"]
    C.append(
        case(
            "SCH('StepLR', step_size={s}, gamma={g}, last_epoch={le}, opt={o})",
            s=["3", "1", "0", "-1", *INT],
            g=["0.5", "1", "0", "-0.5", "2", "nan", "'a'", "None"],
            le=["-1", "0", "5", "-2", "'a'"],
            o=["'SGD'", "'two'", "'Adam'"],
        )
    )
    C.append(
        case(
            "SCH('MultiStepLR', milestones={m}, gamma={g})",
            m=[
                "[3, 7]",
                "[7, 3]",
                "[3, 3, 7]",
                "[]",
                "3",
                "[-1, 4]",
                "[2.5]",
                "None",
                "(3, 7)",
                "{3, 7}",
                "['a']",
                "[0]",
            ],
            g=["0.5", "0", "2", "'a'"],
        )
    )
    C.append(
        case(
            "SCH('ExponentialLR', gamma={g}, opt={o})",
            g=["0.9", "1", "0", "-0.5", "1.5", "nan", "'a'", "None", "True", "v(0.9)"],
            o=["'SGD'", "'two'"],
        )
    )
    C.append(
        case(
            "SCH('CosineAnnealingLR', T_max={T}, eta_min={e}, opt={o})",
            T=["10", "1", "30", "0", "-1", *INT],
            e=["0", "0.01", "-0.1", "1.0", "nan", "'a'", "None"],
            o=["'SGD'", "'two'"],
        )
    )
    C.append(
        case(
            "SCH('CosineAnnealingWarmRestarts', T_0={T}, T_mult={m}, eta_min={e})",
            T=["5", "1", "0", "-1", *INT],
            m=["1", "2", "3", "0", "-1", "1.5", "'a'", "None"],
            e=["0", "0.01", "-0.1", "'a'", "None"],
        )
    )
    LAM = [
        "lambda e: 0.9 ** e",
        "[lambda e: 0.9 ** e]",
        "[lambda e: 1.0, lambda e: 0.5]",
        "None",
        "0.5",
        "lambda e: 'a'",
        "lambda e: None",
        "lambda e, f: 1",
        "lambda e: -1.0",
        "lambda e: nan",
    ]
    C.append(case("SCH('LambdaLR', lr_lambda={l}, opt={o})", l=LAM, o=["'SGD'", "'two'"]))
    C.append(case("SCH('MultiplicativeLR', lr_lambda={l}, opt={o})", l=LAM, o=["'SGD'", "'two'"]))
    C.append(
        case(
            "SCH('LinearLR', start_factor={s}, end_factor={e}, total_iters={n})",
            s=["1/3", "1.0", "0", "-0.1", "1.5", "nan", "'a'", "None"],
            e=["1.0", "0.5", "0", "1.5", "-0.1", "'a'", "None"],
            n=["5", "30", "40", "0", "-1", *INT],
        )
    )
    C.append(
        case(
            "SCH('ConstantLR', factor={f}, total_iters={n})",
            f=["1/3", "0", "1", "1.5", "-0.5", "nan", "'a'", "None"],
            n=["5", "0", "40", "-1", *INT],
        )
    )
    C.append(
        case(
            "SCH('PolynomialLR', total_iters={n}, power={p})",
            n=["5", "30", "40", "0", "-1", *INT],
            p=["1.0", "2", "0", "-1", "0.5", "nan", "'a'", "None"],
        )
    )
    C.append(
        case(
            "SCH('OneCycleLR', max_lr={m}, total_steps={ts}, epochs={ep}, steps_per_epoch={spe}, pct_start={pc}, anneal_strategy={a}, cycle_momentum={cm}, div_factor={d}, final_div_factor={fd}, three_phase={tp}, opt={o})",
            m=["0.5", "[0.5]", "[0.5, 0.2]", "0", "-1", "'a'", "None"],
            ts=["30", "31", "20", "0", "-1", "2.5", "'a'", "None"],
            ep=["None", "3", "0", "-1", "'a'"],
            spe=["None", "10", "0", "-1", "'a'"],
            pc=["0.3", "0", "1", "0.9", "1.5", "-0.1", "'a'"],
            a=["'cos'", "'linear'", "'a'", "None"],
            cm=["True", "False"],
            d=["25.0", "1", "0", "-1", "'a'"],
            fd=["1e4", "1", "0", "'a'"],
            tp=["False", "True"],
            o=["'SGD'", "'Adam'", "'Adagrad'", "'two'"],
        )
    )
    C.append(
        case(
            "SCH('OneCycleLR', max_lr=0.5, epochs={ep}, steps_per_epoch={spe})",
            ep=["3", "2", "None"],
            spe=["10", "15", "None"],
        )
    )
    C.append(
        case(
            "SCH('CyclicLR', base_lr={b}, max_lr={m}, step_size_up={u}, step_size_down={dn}, mode={md}, gamma={g}, scale_fn={sf}, scale_mode={sm}, cycle_momentum={cm}, base_momentum={bm}, max_momentum={mm}, opt={o})",
            b=["0.01", "[0.01]", "0", "-0.1", "0.9", "'a'", "None"],
            m=["0.5", "[0.5, 0.2]", "0.01", "'a'", "None"],
            u=["5", "1", "0", "-1", "2.5", "'a'", "None"],
            dn=["None", "3", "0", "-1", "2.5"],
            md=["'triangular'", "'triangular2'", "'exp_range'", "'a'", "None"],
            g=["1.0", "0.9", "0", "-1", "'a'"],
            sf=["None", "lambda x: 0.5", "lambda x: 1 / (2.0 ** (x - 1))", "1"],
            sm=["'cycle'", "'iterations'", "'a'"],
            cm=["True", "False"],
            bm=["0.8", "0.95", "[0.8]", "'a'"],
            mm=["0.9", "0.8", "'a'"],
            o=["'SGD'", "'Adam'", "'Adagrad'", "'two'"],
        )
    )
    C.append(
        case(
            "SCH('ReduceLROnPlateau', mode={md}, factor={f}, patience={p}, threshold={th}, threshold_mode={tm}, cooldown={cd}, min_lr={ml}, eps={e}, metrics={mt}, opt={o})",
            md=["'min'", "'max'", "'a'", "None"],
            f=["0.5", "0.1", "1.0", "1.5", "0", "-0.5", "'a'"],
            p=["2", "0", "5", "-1", "2.5", "'a'"],
            th=["1e-4", "0", "0.1", "-0.1", "'a'"],
            tm=["'rel'", "'abs'", "'a'"],
            cd=["0", "2", "-1", "'a'"],
            ml=["0", "0.01", "[0.01]", "[0.01, 0.02]", "-0.1", "'a'"],
            e=["1e-8", "0.05", "0", "-1"],
            mt=["'wave'", "'dec'", "'flat'", "'nan'", "'up'"],
            o=["'SGD'", "'two'"],
        )
    )
    SEQ = [
        "[('ConstantLR', {'factor': 0.5, 'total_iters': 3}), ('ExponentialLR', {'gamma': 0.9})]",
        "[('LinearLR', {'start_factor': 0.1, 'total_iters': 5}), ('CosineAnnealingLR', {'T_max': 10}), ('StepLR', {'step_size': 3})]",
        "[('ExponentialLR', {'gamma': 0.9})]",
        "[]",
        "[('ReduceLROnPlateau', {})]",
        "None",
        "[(1, None)]",
    ]
    C.append(
        case(
            "SCH('SequentialLR', schedulers={s}, milestones={m})",
            s=SEQ,
            m=["[4]", "[4, 8]", "[]", "[0]", "[-1]", "4", "[8, 4]", "[40]", "None"],
        )
    )
    C.append(case("SCH('ChainedScheduler', schedulers={s})", s=SEQ))
    # state dict round trips
    for name, kw in [
        ("StepLR", "step_size=3, gamma=0.5"),
        ("MultiStepLR", "milestones=[3, 12, 15], gamma=0.5"),
        ("ExponentialLR", "gamma=0.9"),
        ("CosineAnnealingLR", "T_max=7, eta_min=0.01"),
        ("CosineAnnealingWarmRestarts", "T_0=4, T_mult=2, eta_min=0.01"),
        ("LambdaLR", "lr_lambda=lambda e: 0.9 ** e"),
        ("MultiplicativeLR", "lr_lambda=lambda e: 0.9"),
        ("LinearLR", "start_factor=0.2, total_iters=15"),
        ("ConstantLR", "factor=0.3, total_iters=12"),
        ("PolynomialLR", "total_iters=20, power=2.0"),
        ("OneCycleLR", "max_lr=0.5, total_steps=30"),
        ("CyclicLR", "base_lr=0.01, max_lr=0.5, step_size_up=4, mode='triangular2'"),
        ("ReduceLROnPlateau", "patience=1, cooldown=1"),
        (
            "SequentialLR",
            "schedulers=[('ConstantLR', {'factor': 0.5, 'total_iters': 3}), ('ExponentialLR', {'gamma': 0.9})], milestones=[12]",
        ),
        (
            "ChainedScheduler",
            "schedulers=[('ConstantLR', {'factor': 0.5, 'total_iters': 13}), ('ExponentialLR', {'gamma': 0.9})]",
        ),
    ]:
        C.append(
            case(
                f"SCHRT('{name}', k={{k}}, opt={{o}}, {esc(kw)})",
                k=["10", "1", "0", "29"],
                o=["'SGD'", "'two'"],
            )
        )
    C.append(
        case(
            "(lambda s: sorted(s.state_dict()))(T.optim.lr_scheduler.{s}(T.optim.SGD([t(3)], lr=0.1, momentum=0.9), **{kw}))",
            s=["StepLR"],
            kw=["{'step_size': 3}"],
        )
    )
    for name, kw in [
        ("ExponentialLR", "{'gamma': 0.9}"),
        ("CosineAnnealingLR", "{'T_max': 5}"),
        ("OneCycleLR", "{'max_lr': 0.5, 'total_steps': 10}"),
        ("CyclicLR", "{'base_lr': 0.01, 'max_lr': 0.1}"),
        ("ReduceLROnPlateau", "{}"),
        ("LambdaLR", "{'lr_lambda': lambda e: 0.5}"),
        ("LinearLR", "{}"),
        ("PolynomialLR", "{}"),
    ]:
        C.append(
            case(
                f"(lambda s: sorted(s.state_dict()))(T.optim.lr_scheduler.{name}(T.optim.SGD([t(3)], lr=0.1, momentum=0.9), **{esc(kw)}))",
                x=["0"],
            )
        )
    C.append(
        case(
            "(lambda s: s.get_last_lr())(T.optim.lr_scheduler.StepLR({o}, 3))",
            o=["T.optim.SGD([t(3)], lr=0.1)", "None", "t(3)", "[t(3)]", "'a'"],
        )
    )
    C.append(
        case(
            "(lambda o: (lambda s: [(o.step(), s.step({e}), s.get_last_lr()[0])[2] for _ in range(4)])(T.optim.lr_scheduler.{s}))(T.optim.SGD([t(3)], lr=0.1))",
            s=[
                "StepLR(o, 2)",
                "ExponentialLR(o, 0.5)",
                "CosineAnnealingLR(o, 5)",
                "MultiStepLR(o, [1, 3])",
                "LinearLR(o)",
                "CosineAnnealingWarmRestarts(o, 3)",
            ],
            e=["None", "5", "0", "2.5", "-1"],
        )
    )
    C.append(
        case(
            "(lambda s: s.get_last_lr())(T.optim.lr_scheduler.ReduceLROnPlateau(T.optim.SGD([t(3)], lr=0.1)))",
            x=["0"],
        )
    )
    C.append(
        case(
            "(lambda s: (s.step({m}), s.get_last_lr())[1])(T.optim.lr_scheduler.ReduceLROnPlateau(T.optim.SGD([t(3)], lr=0.1)))",
            m=["1.0", "None", "'a'", "v(1.0)", "[1.0]", "v([1.0, 2.0])", "True", "nan"],
        )
    )
    C.append(
        case(
            "(lambda o: (T.optim.lr_scheduler.StepLR(o, 3), T.optim.lr_scheduler.StepLR(o, 3).get_last_lr())[1])(T.optim.SGD([t(3)], lr=0.1))",
            x=["0"],
        )
    )
    return C


FUNCS = [
    "lambda x: x ** 3",
    "lambda x: (x ** 3).sum()",
    "lambda x: x.sin() * x",
    "lambda x: (x.sin(), (x ** 2).sum())",
    "lambda x: 1.0",
    "lambda x: x.detach()",
    "lambda x: x.sum() * 0 + 1",
    "lambda x: [x * 2]",
    "lambda x: None",
]


def functional_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    X = tensors_like(
        "t(3)", "(t(3), t(2))", "[t(3)]", "(t(3),)", "()", "t(3, grad=False)", "t(2, 2)"
    )
    C.append(
        case(
            "AF.jacobian({f}, {x}, create_graph={cg}, strict={st}, vectorize={vec}, strategy={s})",
            f=FUNCS,
            x=X,
            cg=["False", "True"],
            st=["False", "True"],
            vec=["False", "True"],
            s=["'reverse-mode'", "'forward-mode'", "'a'", "None"],
        )
    )
    C.append(
        case(
            "AF.jacobian({f}, (t(3), t(2)), create_graph={cg}, strict={st})",
            f=[
                "lambda x, y: x * y.sum()",
                "lambda x, y: (x.sum() * y, x)",
                "lambda x, y: x * 2",
                "lambda x, y: (x * 2, y.detach())",
                "lambda x: x",
            ],
            cg=["False", "True"],
            st=["False", "True"],
        )
    )
    SC = [
        "lambda x: (x ** 3).sum()",
        "lambda x: (x.sin() * x).sum()",
        "lambda x: x ** 3",
        "lambda x: x.sum() * 0 + 1",
        "lambda x: (x * 2).sum()",
        "lambda x: 1.0",
        "lambda x: (x.sum(), x.sum())",
        "lambda x: x.sum().detach()",
    ]
    C.append(
        case(
            "AF.hessian({f}, {x}, create_graph={cg}, strict={st}, vectorize={vec}, outer_jacobian_strategy={s})",
            f=SC,
            x=X,
            cg=["False", "True"],
            st=["False", "True"],
            vec=["False", "True"],
            s=["'reverse-mode'", "'forward-mode'", "'a'"],
        )
    )
    C.append(
        case(
            "AF.hessian({f}, (t(3), t(2)), create_graph={cg})",
            f=[
                "lambda x, y: (x.sin() * y.sum()).sum()",
                "lambda x, y: (x ** 2).sum()",
                "lambda x: x.sum()",
            ],
            cg=["False", "True"],
        )
    )
    V = [
        "t(3)",
        "None",
        "t(2)",
        "t(3, grad=False)",
        "t(3, dtype='f32')",
        "t(3, dtype='i64')",
        "t()",
        "(t(3),)",
        "[t(3)]",
        "1.0",
        "t(1)",
        "(t(3), t(3))",
    ]
    for fn in ["vjp", "jvp"]:
        C.append(
            case(
                f"AF.{fn}({{f}}, {{x}}, {{v}}, create_graph={{cg}}, strict={{st}})",
                f=["lambda x: x.sin() * x", "lambda x: (x ** 2).sum()", *FUNCS[3:]],
                x=[
                    "t(3)",
                    "(t(3),)",
                    "t()",
                    "t(0)",
                    "t(3, grad=False)",
                    "t(3, dtype='i64')",
                    "[t(3)]",
                    "None",
                    "t(3, dtype='f32')",
                ],
                v=V,
                cg=["False", "True"],
                st=["False", "True"],
            )
        )
        C.append(
            case(
                f"AF.{fn}({{f}}, (t(3), t(2)), {{v}}, create_graph={{cg}})",
                f=[
                    "lambda x, y: x * y.sum()",
                    "lambda x, y: (x * y.sum(), y.sin())",
                    "lambda x, y: (x ** 2).sum() * y.sum()",
                ],
                v=["None", "t(3)", "(t(3), t(2))", "(t(3),)", "(t(2), t(3))", "(t(3), t(2), t(1))"],
                cg=["False", "True"],
            )
        )
    for fn in ["hvp", "vhp"]:
        C.append(
            case(
                f"AF.{fn}({{f}}, {{x}}, {{v}}, create_graph={{cg}}, strict={{st}})",
                f=[
                    "lambda x: (x.sin() * x).sum()",
                    "lambda x: (x ** 3).sum()",
                    "lambda x: x ** 2",
                    "lambda x: (x * 2).sum()",
                    "lambda x: x.sum() * 0 + 1",
                    "lambda x: 1.0",
                    "lambda x: (x.sum(), x.sum())",
                ],
                x=[
                    "t(3)",
                    "(t(3),)",
                    "t()",
                    "t(0)",
                    "t(3, grad=False)",
                    "t(3, dtype='i64')",
                    "[t(3)]",
                    "t(3, dtype='f32')",
                ],
                v=V,
                cg=["False", "True"],
                st=["False", "True"],
            )
        )
        C.append(
            case(
                f"AF.{fn}({{f}}, (t(3), t(2)), {{v}}, create_graph={{cg}})",
                f=["lambda x, y: (x.sin() * y.sum()).sum()", "lambda x, y: (x ** 2).sum()"],
                v=["None", "(t(3), t(2))", "t(3)", "(t(3),)", "(t(2), t(3))"],
                cg=["False", "True"],
            )
        )
    return C


def grad_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    C.append(
        case(
            "(lambda x, y: AG.grad({out}, {inp}, grad_outputs={go}, retain_graph={rg}, create_graph={cg}, allow_unused={au}, materialize_grads={mg}, is_grads_batched={gb}))(t(3), t(2))",
            out=[
                "(x * x).sum()",
                "x * 2",
                "[(x * x).sum(), (x * 3).sum()]",
                "(x * 2, x.sum())",
                "x.detach().sum()",
                "[]",
                "(x * x).sum().detach()",
                "x",
                "t(3, grad=False).sum()",
                "None",
                "1.0",
            ],
            inp=[
                "x",
                "[x]",
                "(x, y)",
                "[x, y]",
                "y",
                "[]",
                "(x * 2).sum()",
                "t(3, grad=False)",
                "None",
                "[x, x]",
                "t(3)",
            ],
            go=[
                "None",
                "[None]",
                "v(1.0)",
                "t(3)",
                "t(2)",
                "[t(3)]",
                "1.0",
                "[1.0]",
                "t(3, dtype='f32')",
                "t(3, dtype='i64')",
                "[t(3), t(3)]",
                "t(2, 3)",
            ],
            rg=["None", "True", "False"],
            cg=["False", "True"],
            au=["None", "True", "False"],
            mg=["False", "True"],
            gb=["False", "True"],
        )
    )
    C.append(
        case(
            "(lambda x, y: (AG.grad((x * 2).sum(), x, retain_graph={rg}), AG.grad((x * 2).sum() * 0 + (x ** 2).sum(), [x, y], allow_unused={au}, materialize_grads={mg})))(t(3), t(2))",
            rg=["None", "True"],
            au=["True", "None", "False"],
            mg=["True", "False"],
        )
    )
    C.append(
        case(
            "(lambda x, y: AG.grad({out}, [x, y], grad_outputs={go}, is_grads_batched=True))(t(3), t(2))",
            out=["x * 2", "(x * y.sum())", "(x * x).sum()"],
            go=["t(4, 3)", "t(1, 3)", "t(3)", "t(4)", "t(0, 3)", "t(4, 1)"],
        )
    )
    C.append(
        case(
            "(lambda x, y: (({out}).backward(gradient={g}, retain_graph={rg}, create_graph={cg}, inputs={inp}), x.grad, y.grad)[1:])(t(3), t(2))",
            out=[
                "(x * x).sum() + y.sum()",
                "x * y.sum()",
                "(x * 2).sum()",
                "x.detach().sum()",
                "t(3, grad=False).sum()",
            ],
            g=[
                "None",
                "v(1.0)",
                "t(3)",
                "t(2)",
                "1.0",
                "t(3, dtype='f32')",
                "t(3, dtype='i64')",
                "[t(3)]",
                "t()",
            ],
            rg=["None", "True", "False"],
            cg=["False", "True"],
            inp=[
                "None",
                "x",
                "[x]",
                "[y]",
                "[x, y]",
                "[]",
                "(x * 2)",
                "[t(3)]",
                "'a'",
                "t(3, grad=False)",
            ],
        )
    )
    C.append(
        case(
            "(lambda x, y: (AG.backward({out}, grad_tensors={g}, retain_graph={rg}, create_graph={cg}, inputs={inp}), x.grad, y.grad)[1:])(t(3), t(2))",
            out=[
                "(x * x).sum()",
                "[(x * x).sum(), y.sum()]",
                "(x * 2, y * 3)",
                "x * 2",
                "[]",
                "x.detach().sum()",
                "None",
            ],
            g=[
                "None",
                "[None, None]",
                "[t(3), t(2)]",
                "t(3)",
                "[v(1.0), v(2.0)]",
                "[t(3)]",
                "(t(3), t(2))",
                "[1.0, 2.0]",
                "v(1.0)",
            ],
            rg=["None", "True"],
            cg=["False", "True"],
            inp=["None", "[x]", "[y]", "x", "[]", "[x, y]"],
        )
    )
    C.append(
        case(
            "(lambda x: ((x * x).sum().backward(), (x * x).sum().backward(), x.grad)[2])(t(3))",
            x=["0"],
        )
    )
    C.append(
        case(
            "(lambda x: (lambda l: (l.backward(), l.backward(), x.grad)[2])((x * x).sum()))(t(3))",
            x=["0"],
        )
    )
    C.append(
        case(
            "(lambda x: (lambda l: (l.backward(retain_graph=True), l.backward(), x.grad)[2])((x.exp() * x).sum()))(t(3))",
            x=["0"],
        )
    )
    return C


def hook_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    H = [
        "lambda g: None",
        "lambda g: g * 2",
        "lambda g: g[:2]",
        "lambda g: 1.0",
        "lambda g: g.float()",
        "lambda g: g.sum()",
        "lambda g: g.reshape(3, 1)",
        "None",
        "1",
        "lambda: None",
        "lambda g: (g, g)",
        "lambda g: g.detach()",
        "lambda g: t(3)",
        "lambda g: t(3, dtype='i64')",
    ]
    C.append(
        case(
            "(lambda x: (x.register_hook({h}), ((x * 2) ** 2).sum().backward(), x.grad)[2])({x})",
            h=H,
            x=["t(3)", "t(3, grad=False)", "t(3) * 1"],
        )
    )
    C.append(
        case(
            "(lambda x: (lambda y: (y.register_hook({h}), (y ** 2).sum().backward(create_graph={cg}), x.grad)[2])(x * 2))(t(3))",
            h=H,
            cg=["False", "True"],
        )
    )
    C.append(
        case(
            "(lambda x: (lambda y: (y.register_hook({h}).remove(), (y ** 2).sum().backward(), x.grad)[2])(x * 2))(t(3))",
            h=H[:3],
        )
    )
    C.append(
        case(
            "(lambda x: (lambda y: (y.register_hook({h}), y.register_hook({h2}), (y ** 2).sum().backward(), x.grad)[3])(x * 2))(t(3))",
            h=H[:3],
            h2=["lambda g: g + 1", "lambda g: None", "lambda g: g[:1]"],
        )
    )
    PH = [
        "lambda p: None",
        "lambda p: p.grad * 2",
        "lambda p: setattr(p, 'grad', p.grad * 2)",
        "lambda p: 1 / 0",
        "None",
        "1",
        "lambda: None",
    ]
    C.append(
        case(
            "(lambda x: (x.register_post_accumulate_grad_hook({h}), (x ** 2).sum().backward(), x.grad)[2])({x})",
            h=PH,
            x=["t(3)", "t(3, grad=False)", "t(3) * 1"],
        )
    )
    M = "M(nn.Linear(3, 2))"
    C.append(
        case(
            "(lambda m: (m.register_forward_pre_hook({h}, prepend={pp}, with_kwargs={wk}), m({x}))[1])("
            + M
            + ")",
            h=[
                "lambda m, i: None",
                "lambda m, i: (i[0] * 2,)",
                "lambda m, i: i[0] * 2",
                "lambda m, i: 1.0",
                "lambda m, i, k: None",
                "lambda m, i, k: ((i[0] * 2,), k)",
                "lambda m, i, k: (i[0] * 2,)",
                "lambda m, i, k: i",
                "lambda m: None",
                "None",
                "lambda m, i: (i[0], i[0])",
            ],
            pp=["False", "True", "1"],
            wk=["False", "True", "1"],
            x=["t(4, 3)", "t(3)", "t(4, 2)"],
        )
    )
    C.append(
        case(
            "(lambda m: (m.register_forward_hook({h}, prepend={pp}, with_kwargs={wk}, always_call={ac}), m({x}))[1])("
            + M
            + ")",
            h=[
                "lambda m, i, o: None",
                "lambda m, i, o: o * 2",
                "lambda m, i, o: 1.0",
                "lambda m, i, o: (o, o)",
                "lambda m, i, k, o: o + 1",
                "lambda m, i, k, o: None",
                "lambda m, i: None",
                "None",
                "lambda m, i, o: i[0].sum()",
            ],
            pp=["False", "True"],
            wk=["False", "True"],
            ac=["False", "True"],
            x=["t(4, 3)", "t(4, 2)"],
        )
    )
    C.append(
        case(
            "(lambda m, x: (m.register_full_backward_hook({h}, prepend={pp}), m(x).sum().backward(), x.grad, m.weight.grad)[2:])("
            + M
            + ", {x})",
            h=[
                "lambda m, gi, go: None",
                "lambda m, gi, go: (gi[0] * 2,)",
                "lambda m, gi, go: gi[0] * 2",
                "lambda m, gi, go: (gi[0], gi[0])",
                "lambda m, gi, go: (gi[0][:1],)",
                "lambda m, gi, go: (None,)",
                "lambda m, gi, go: (go[0],)",
                "lambda m, gi: None",
                "None",
                "lambda m, gi, go: (1.0,)",
                "lambda m, gi, go: ()",
            ],
            pp=["False", "True"],
            x=["t(4, 3)", "t(4, 3, grad=False)", "t(3)"],
        )
    )
    C.append(
        case(
            "(lambda m, x: (m.register_full_backward_pre_hook({h}, prepend={pp}), m(x).sum().backward(), x.grad, m.weight.grad)[2:])("
            + M
            + ", {x})",
            h=[
                "lambda m, go: None",
                "lambda m, go: (go[0] * 2,)",
                "lambda m, go: go[0] * 2",
                "lambda m, go: (go[0], go[0])",
                "lambda m, go: (go[0][:1],)",
                "lambda m, go: (None,)",
                "lambda m: None",
                "None",
                "lambda m, go: (1.0,)",
            ],
            pp=["False", "True"],
            x=["t(4, 3)", "t(4, 3, grad=False)"],
        )
    )
    C.append(
        case(
            "(lambda m: (m.register_forward_pre_hook({h}, with_kwargs=True), m.register_forward_hook({h2}, with_kwargs=True), m(t(4, 3)))[2])("
            + M
            + ")",
            h=[
                "lambda m, a, k: None",
                "lambda m, a, k: ((a[0] * 2,), k)",
                "lambda m, a, k: ((), {})",
                "lambda m, a, k: (a, k, 1)",
                "lambda m, a, k: (a, {'bad': 1})",
                "lambda m, a, k: a",
            ],
            h2=[
                "lambda m, a, k, o: o * 3",
                "lambda m, a, k, o: None",
                "lambda m, a, k, o: (len(a), sorted(k)) and None",
            ],
        )
    )
    C.append(
        case(
            "(lambda m: (m.register_forward_hook(lambda m, i, o: 1 / 0, always_call=True), m.register_forward_hook(lambda m, i, o: o * 2, always_call={ac}), m({x}))[2])("
            + M
            + ")",
            ac=["True", "False"],
            x=["t(4, 3)", "t(4, 2)"],
        )
    )
    C.append(
        case(
            "(lambda m, seen: (m.register_forward_hook(lambda m, i, o: seen.append(o is None), always_call={ac}), m.register_forward_pre_hook(lambda m, i: seen.append(2)), CATCH(lambda: m({x})), seen)[2:])("
            + M
            + ", [])",
            ac=["True", "False"],
            x=["t(4, 3)", "t(4, 2)", "None"],
        )
    )
    C.append(
        case(
            "(lambda m, seen: (m.register_forward_hook(lambda m, i, o: seen.append(1), always_call=True), m.register_forward_pre_hook(lambda m, i: 1 / 0), CATCH(lambda: m(t(4, 3))), seen)[2:])("
            + M
            + ", [])",
            x=["0"],
        )
    )
    C.append(
        case(
            "(lambda x: (lambda h: (h.remove(), h.remove(), (x * 2).sum().backward(), x.grad)[3])(x.register_hook(lambda g: g * 5)))(t(3))",
            x=["0"],
        )
    )
    C.append(
        case(
            "(lambda x: (lambda h: ([h.__enter__(), h.__exit__(None, None, None)], (x * 2).sum().backward(), x.grad)[2])(x.register_hook(lambda g: g * 5)))(t(3))",
            x=["0"],
        )
    )
    C.append(
        case(
            "(lambda m, x: (lambda h: (h.remove(), m(x).sum().backward(), x.grad)[2])(m.register_full_backward_hook(lambda m, gi, go: (gi[0] * 3,))))("
            + M
            + ", t(4, 3))",
            x=["0"],
        )
    )
    C.append(
        case(
            "(lambda m, x: (m.register_forward_hook(lambda m, i, o: o * 2), m.register_forward_hook(lambda m, i, o: o + 1, prepend={pp}), m.register_forward_pre_hook(lambda m, i: (i[0] * 3,)), m.register_forward_pre_hook(lambda m, i: (i[0] - 1,), prepend={pp}), m(x))[4])("
            + M
            + ", t(4, 3))",
            pp=["False", "True"],
        )
    )
    G = "M(nn.GRU(3, 2, batch_first=True))"
    C.append(
        case(
            "(lambda m, x: (m.register_full_backward_hook({h}), m.register_full_backward_pre_hook({hp}), (lambda o: (o[0].sum() + (o[1] ** 2).sum()).backward())(m(x)), x.grad, m.weight_hh_l0.grad)[3:])("
            + G
            + ", t(2, 4, 3))",
            h=[
                "lambda m, gi, go: None",
                "lambda m, gi, go: (gi[0] * 2,)",
                "lambda m, gi, go: (gi[0], None)",
            ],
            hp=[
                "lambda m, go: None",
                "lambda m, go: (go[0] * 3, go[1])",
                "lambda m, go: (go[0], None)",
                "lambda m, go: (go[0],)",
            ],
        )
    )
    C.append(
        case(
            "(lambda m, x: (m.register_forward_hook(lambda m, i, o: {o}), m(x))[1])("
            + G
            + ", t(2, 4, 3))",
            o=["None", "(o[0] * 2, o[1])", "o[0]", "(o[0],)"],
        )
    )
    C.append(
        case(
            "(lambda w: (lambda y: (nn.init.{fn}, y.backward(), w.grad)[2])((w * w).sum()))(t(4, 3))",
            fn=[
                "normal_(w)",
                "zeros_(w)",
                "xavier_uniform_(w)",
                "kaiming_normal_(w)",
                "constant_(w, 0.5)",
            ],
        )
    )
    C.append(
        case(
            "(lambda w: (lambda o: (lambda y: (o.step(), y.backward(), w.grad)[2])((w * w).sum()))((lambda o: ((w * w).sum().backward(), o)[1])(T.optim.{o}([w], lr=0.1))))(t(4, 3))",
            o=["SGD", "Adam", "RMSprop"],
        )
    )
    C.append(
        case(
            "(lambda o: (lambda s: (o.add_param_group({{'params': [t(2)]}}), o.step(), s.step(), s.get_last_lr())[3])(T.optim.lr_scheduler.{s}))(T.optim.SGD([t(3)], lr=0.1, momentum=0.9))",
            s=[
                "StepLR(o, 1)",
                "ExponentialLR(o, 0.5)",
                "LambdaLR(o, lambda e: 0.5)",
                "CosineAnnealingLR(o, 5)",
                "OneCycleLR(o, 0.5, total_steps=10)",
                "CyclicLR(o, 0.01, 0.1)",
            ],
        )
    )
    C.append(
        case(
            "(lambda o: (lambda s: (o.add_param_group({{'params': [t(2)]}}), o.step(), s.step(1.0), s.step(2.0), [g['lr'] for g in o.param_groups])[4])(T.optim.lr_scheduler.ReduceLROnPlateau(o, patience=0, min_lr={m})))(T.optim.SGD([t(3)], lr=0.1))",
            m=["0", "[0.01]", "0.05"],
        )
    )
    C.append(
        case(
            "(lambda m, x: (m.register_full_backward_hook(lambda m, gi, go: None), m.register_forward_hook(lambda m, i, o: {o}), m(x).sum().backward(), x.grad)[3])("
            + M
            + ", t(4, 3))",
            o=["None", "o * 2", "o.detach()", "o + 1"],
        )
    )
    return C


def serial_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    OBJ = [
        "t(3)",
        "t(3, grad=False)",
        "t()",
        "t(0)",
        "t(2, 0, 3)",
        "t(2, dtype='i64')",
        "t(2, dtype='i32')",
        "t(2, dtype='bool')",
        "t(2, dtype='f32')",
        "v([nan, inf, -inf, -0.0])",
        "t(3, 4).t()",
        "t(3, 4)[:, 1]",
        "{'a': t(2), 'b': [t(1), (t(), 3)], 'c': {'d': None, 'e': 'x'}}",
        "M(nn.Linear(3, 2)).state_dict()",
        "M(nn.BatchNorm1d(3)).state_dict()",
        "M(nn.Linear(3, 2)).weight",
        "None",
        "[1, 'a', 2.5, None, True, -3]",
        "(1, (2, (3,)))",
        "{1: t(2), 2.5: 'a', None: 3, True: 4}",
        "{(1, 2): t(1)}",
        "(lambda x: [x, x])(t(2))",
        "lambda: 1",
        "np.ones(3)",
        "np.float64(2.5)",
        "{'k': nan, 'i': inf}",
        "2 ** 70",
        "b'abc'",
        "{1, 2}",
        "[[[[[[[[[[1]]]]]]]]]]",
        "(lambda x: (x, x.detach()))(t(2))",
        "T.float64",
        "'x' * 3",
        "complex(1, 2)",
        "range(3)",
        "{'a': []}",
    ]
    C.append(case("SL({obj}, {mode})", obj=OBJ, mode=["'path'", "'bytes'"]))
    C.append(
        case(
            "BAD({k})",
            k=[
                "'missing'",
                "'dir'",
                "'savedir'",
                "'empty'",
                "'garbage'",
                "'text'",
                "'truncated'",
                "'zip'",
                "'npz'",
            ],
        )
    )
    C.append(
        case(
            "(lambda o: SL(o.state_dict()))((lambda p: (lambda o: (o, (p ** 2).sum().backward(), o.step())[0])(T.optim.{name}([p], lr=0.1)))(t(3)))",
            name=["SGD", "Adam", "RMSprop", "Adagrad"],
        )
    )
    C.append(
        case(
            "SLRT({o}, {s})",
            o=[
                "'SGD', momentum=0.9",
                "'Adam', amsgrad=True",
                "'RMSprop', centered=True, momentum=0.5",
                "'Adagrad'",
                "'Adadelta'",
                "'Adamax'",
                "'NAdam'",
                "'RAdam'",
                "'AdamW'",
            ],
            s=[
                "''",
                "'S.StepLR(o, 1, 0.5)'",
                "'S.OneCycleLR(o, 0.5, total_steps=10)'",
                "'S.CyclicLR(o, 0.01, 0.1, step_size_up=2)'",
                "'S.CosineAnnealingWarmRestarts(o, 2, 2)'",
                "'S.LinearLR(o)'",
                "'S.MultiStepLR(o, [1, 3, 3])'",
            ],
        )
    )
    C.append(case("T.save(t(2), {f})", f=["None", "1", "t(2)", "[]"]))
    C.append(case("T.load({f})", f=["None", "1", "t(2)", "[]"]))
    return C


def init_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    SH = ["(40, 50)", "(3,)", "()", "(0, 3)", "(3, 0)", "(8, 4, 3, 3)", "(20, 30, 5)", "(1, 1)"]
    C.append(
        case(
            "INIT('xavier_uniform_', {sh}, gain={g})",
            sh=SH,
            g=["1.0", "2", "0", "-1.0", "nan", "'a'", "None", "True"],
        )
    )
    C.append(
        case(
            "INIT('xavier_normal_', {sh}, gain={g})",
            sh=SH,
            g=["1.0", "2", "0", "-1.0", "nan", "'a'", "None"],
        )
    )
    for fn in ["kaiming_uniform_", "kaiming_normal_"]:
        C.append(
            case(
                f"INIT('{fn}', {{sh}}, a={{a}}, mode={{m}}, nonlinearity={{nl}})",
                sh=SH,
                a=["0", "0.1", "-1", "'a'", "None", "5 ** 0.5"],
                m=["'fan_in'", "'fan_out'", "'a'", "None", "'FAN_IN'"],
                nl=[
                    "'leaky_relu'",
                    "'relu'",
                    "'tanh'",
                    "'linear'",
                    "'sigmoid'",
                    "'selu'",
                    "'conv2d'",
                    "'a'",
                    "None",
                ],
            )
        )
    C.append(
        case(
            "INIT('uniform_', {sh}, a={a}, b={b})",
            sh=SH,
            a=["0.0", "-1", "2", "nan", "-inf", "'a'", "None"],
            b=["1.0", "0.0", "-2", "inf", "'a'", "None"],
        )
    )
    C.append(
        case(
            "INIT('normal_', {sh}, mean={m}, std={s})",
            sh=SH,
            m=["0.0", "2", "nan", "inf", "'a'", "None"],
            s=["1.0", "0", "-1", "nan", "inf", "'a'", "None"],
        )
    )
    C.append(
        case(
            "INIT('constant_', {sh}, {v})",
            sh=SH,
            v=["0.5", "2", "nan", "True", "'a'", "None", "v(2.0)", "[1.0]"],
        )
    )
    C.append(case("INIT('{fn}', {sh})", fn=["zeros_", "ones_"], sh=SH))
    C.append(
        case(
            "INIT('{fn}', {x})",
            fn=["zeros_", "constant_", "xavier_uniform_", "kaiming_normal_", "normal_"],
            x=[
                "t(4, 3, dtype='i64')",
                "t(4, 3, dtype='f32')",
                "t(4, 3, dtype='bool')",
                "arr(4, 3)",
                "[1.0, 2.0]",
                "None",
            ],
        )
    )
    C.append(
        case(
            "T.nn.init.calculate_gain({nl}, {p})",
            nl=[
                "'linear'",
                "'conv1d'",
                "'conv2d'",
                "'conv3d'",
                "'conv_transpose1d'",
                "'conv_transpose2d'",
                "'conv_transpose3d'",
                "'sigmoid'",
                "'tanh'",
                "'relu'",
                "'leaky_relu'",
                "'selu'",
                "'a'",
                "None",
                "'Tanh'",
                "'gelu'",
            ],
            p=["None", "0.2", "0", "-1", "True", "'a'", "nan", "2"],
        )
    )
    C.append(
        case(
            "T.nn.init._calculate_fan_in_and_fan_out({x})",
            x=["t(4, 3)", "t(3)", "t()", "t(2, 3, 4, 5)", "t(0, 3)", "t(2, 3, 0)"],
        )
    )
    return C


def build_cases() -> list[tuple[str, dict[str, list[str]]]]:
    return (
        optim_cases()
        + sched_cases()
        + functional_cases()
        + grad_cases()
        + hook_cases()
        + serial_cases()
        + init_cases()
    )


PYTHON_WORDS = re.compile(
    r"not supported between|unsupported operand|object is not|has no len|has no attribute|"
    r"could not convert|can't multiply|cannot be interpreted|ufunc|numpy|ndarray|high - low"
)


def unnamed(e: BaseException) -> bool:
    """Ours raised with Python's or numpy's words and no op name (hidden by a both-raise)."""
    return not NAMED.match(str(e)) and bool(PYTHON_WORDS.search(str(e)))


def words(ours: Lib, expr: str, seed: int, b: Result, outcome: str, detail: str) -> tuple[str, str]:
    """A both-raise where ours raised with Python's or numpy's words: ``both-raise (words)``."""
    if outcome.startswith("both-raise") and b.error is not None and unnamed(b.error):
        return "both-raise (words)", f"ours {type(b.error).__name__}: {b.error}"
    return outcome, detail


def area(template: str) -> str:
    """A case's helper for ``--areas`` (``OPT('SGD'``, ``SCH('StepLR'``, ...), or its call."""
    name = template.split("(")[0] if not template.startswith("(") else template[:40]
    if name in ("OPT", "SCH", "SL", "INIT", "GS", "LSD", "APG", "SD", "RT", "GR", "ZG", "SDG"):
        name = template.split(",")[0]
    return name


if __name__ == "__main__":
    audit_main(build_cases, extra=15, recheck=words, area=area)

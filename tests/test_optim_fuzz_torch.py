"""Differential test of the optimizers, and of schedules driving them, against torch 2.13 on
random training runs.

Each case draws, as plain data (``_draw_case``): one of the twelve optimizers (LBFGS, whose
step evaluates a closure, is compared in tests/test_optim_rprop_asgd_adafactor_lbfgs.py), its
hyperparameters from a grid (``GRIDS``), 2–4 parameters of assorted shapes (0-d too) in float64
or float32, split
into 1–3 param groups that override some options with their own, and 5–14 steps of gradients
with exact zeros (sparse-ish), all-zero gradients and missing ones (the parameter is skipped;
one parameter may never get a gradient); maybe a schedule stepped after each optimizer step
(``StepLR``, ``ExponentialLR``, ``MultiplicativeLR``, ``CyclicLR`` cycling the momentum or β₁ or
not, ``OneCycleLR``, a ``ChainedScheduler`` of two); and a checkpoint: at a random step both
runs take their optimizer's and schedule's state dicts (ours through ``tg.save``/``tg.load``
half the time), rebuild everything over fresh tensors holding the current values, load the
state dicts and go on.

After every step the parameters must agree, ``|ours − torch| ≤ atol + rtol·|torch|`` with
rtol = 1e-10, atol = 1e-12 in float64 and rtol = atol = 1e-5 in float32; at the end so must the
state dicts: state for the same parameters under the same keys with the same values, and
param groups with torch's values under torch's keys (its implementation flags, ``foreach`` and
the like, too).
``TG_OPTIM_AUDIT_CASES`` sets the number of cases (150 by default); ``python
tests/test_optim_fuzz_torch.py START STOP`` runs a range and counts the outcomes.

DIVERGENCE kept: NAdam's running product of momenta ``mu_product`` and ASGD's ``eta`` and ``mu``
are Python floats here; torch keeps them in 0-d tensors of its default dtype, float32 unless
changed (and casts NAdam's to the parameter's dtype when loading a state dict), which puts its
float64 steps ~1e-8 (relative) off the float64 values. The float64 NAdam and ASGD cases run
torch with ``set_default_dtype(float64)``.
"""

from __future__ import annotations

import io
import itertools
import os
import warnings
from typing import Any

import numpy as np
import pytest
from _fuzz import assert_seeds_agree, tally

import tinygrad_ed as tg

CASES = int(os.environ.get("TG_OPTIM_AUDIT_CASES", "150"))

BETAS = [(0.9, 0.999), (0.8, 0.9), (0.5, 0.99), (0.9, 0.9)]
# Per optimizer: each option's candidate values. Options marked in TOP_ONLY are drawn for the
# constructor only (SGD's Nesterov conditions are checked there; Adagrad's accumulator is
# torch's constructor value for every group).
GRIDS: dict[str, dict[str, list[Any]]] = {
    "SGD": {
        "lr": [0.01, 0.1],
        "momentum": [0, 0.5, 0.9],
        "dampening": [0, 0.3],
        "nesterov": [False, True],
        "weight_decay": [0, 0.01, 0.1],
    },
    "Adam": {
        "lr": [1e-3, 0.01, 0.1],
        "betas": BETAS,
        "eps": [1e-8, 1e-6],
        "weight_decay": [0, 0.01, 0.1],
        "amsgrad": [False, True],
    },
    "AdamW": {
        "lr": [1e-3, 0.01, 0.1],
        "betas": BETAS,
        "eps": [1e-8, 1e-6],
        "weight_decay": [0, 0.01, 0.1],
        "amsgrad": [False, True],
    },
    "RMSprop": {
        "lr": [1e-3, 0.01],
        "alpha": [0.99, 0.9, 0.6],
        "eps": [1e-8, 1e-5],
        "weight_decay": [0, 0.01, 0.1],
        "momentum": [0, 0.5, 0.9],
        "centered": [False, True],
    },
    "Adagrad": {
        "lr": [0.01, 0.1],
        "lr_decay": [0, 0.01, 0.5],
        "weight_decay": [0, 0.01, 0.1],
        "initial_accumulator_value": [0, 0.1, 1.0],
        "eps": [1e-10, 1e-6],
    },
    "Adadelta": {
        "lr": [1.0, 0.5],
        "rho": [0.9, 0.5, 0.99],
        "eps": [1e-6, 1e-3],
        "weight_decay": [0, 0.01, 0.1],
    },
    "Adamax": {
        "lr": [2e-3, 0.05],
        "betas": BETAS,
        "eps": [1e-8, 1e-4],
        "weight_decay": [0, 0.01, 0.1],
    },
    "NAdam": {
        "lr": [2e-3, 0.05],
        "betas": BETAS,
        "eps": [1e-8, 1e-6],
        "weight_decay": [0, 0.01, 0.1],
        "momentum_decay": [4e-3, 0.1, 0],
        "decoupled_weight_decay": [False, True],
    },
    "RAdam": {
        "lr": [1e-3, 0.05],
        "betas": BETAS,
        "eps": [1e-8, 1e-6],
        "weight_decay": [0, 0.01, 0.1],
        "decoupled_weight_decay": [False, True],
    },
    "Rprop": {
        "lr": [0.01, 0.1],
        "etas": [(0.5, 1.2), (0.3, 1.5), (0.9, 1.01)],
        "step_sizes": [(1e-6, 50), (1e-3, 0.05), (0, 1)],
    },
    "ASGD": {
        "lr": [0.01, 0.1],
        "lambd": [1e-4, 0.1],
        "alpha": [0.75, 0.5],
        "t0": [1e6, 3, 0],
        "weight_decay": [0, 0.01, 0.1],
    },
    "Adafactor": {
        "lr": [0.01, 0.1],
        "beta2_decay": [-0.8, -0.5],
        "eps": [(None, 1e-3), (1e-20, 1e-3), (1e-6, 0.1)],
        "d": [1.0, 2.0],
        "weight_decay": [0, 0.01, 0.1],
    },
}
TOP_ONLY = {"nesterov", "dampening", "initial_accumulator_value"}
NAMES = list(GRIDS)
SHAPES = [(3, 2), (4,), (), (2, 3, 2), (1,)]
SCHEDULES = ["step", "exp", "multiplicative", "cyclic", "onecycle", "chained"]


def _pick(r: np.random.Generator, values: list[Any]) -> Any:
    return values[int(r.integers(len(values)))]


def _draw_case(seed: int) -> dict[str, Any]:
    """Everything a run needs, as plain data, so both libraries replay the same case."""
    r = np.random.default_rng(seed)
    name = NAMES[seed % len(NAMES)] if seed < len(NAMES) else _pick(r, NAMES)
    grid = GRIDS[name]
    kw = {k: _pick(r, v) for k, v in grid.items() if r.random() < 0.6}
    if r.random() < 0.3:
        kw["maximize"] = True
    if kw.get("nesterov"):  # torch's condition for Nesterov, checked when built
        kw.update(momentum=0.9, dampening=0)
    dtype = np.float32 if r.random() < 0.25 else np.float64
    n = int(r.integers(2, 5))
    shapes = [_pick(r, SHAPES) for _ in range(n)]
    values = [r.standard_normal(shape).astype(dtype) for shape in shapes]
    cuts = sorted(set(r.integers(1, n, int(r.integers(0, 3))).tolist())) if n > 1 else []
    bounds = [0, *cuts, n]
    groups = []
    for lo, hi in itertools.pairwise(bounds):
        own = {}
        for key in r.permutation([k for k in grid if k not in TOP_ONLY])[: int(r.integers(0, 3))]:
            own[str(key)] = _pick(r, grid[str(key)])
        if r.random() < 0.2:
            own["maximize"] = not kw.get("maximize", False)
        groups.append({"indices": list(range(lo, hi)), "options": own})
    steps = int(r.integers(5, 15))
    never = int(r.integers(n)) if r.random() < 0.3 else None
    grads: list[list[np.ndarray | None]] = []
    for _ in range(steps):
        row: list[np.ndarray | None] = []
        for i, shape in enumerate(shapes):
            u = r.random()
            if i == never or u < 0.1:
                row.append(None)
            elif u < 0.2:
                row.append(np.zeros(shape, dtype))
            else:
                zeros = r.random(shape) < _pick(r, [0.0, 0.3, 0.7])
                row.append(np.where(zeros, 0.0, r.standard_normal(shape)).astype(dtype))
        grads.append(row)
    schedule = _pick(r, SCHEDULES) if r.random() < 0.5 else None
    cyclic = {
        "step_size_up": int(r.integers(1, 5)),
        "step_size_down": None if r.random() < 0.5 else int(r.integers(0, 4)),
        "mode": _pick(r, ["triangular", "triangular2", "exp_range"]),
        "gamma": 0.9,
        "cycle_momentum": bool(r.random() < 0.7),
    }
    return {
        "name": name,
        "kw": kw,
        "dtype": dtype,
        "values": values,
        "groups": groups,
        "grads": grads,
        "schedule": schedule,
        "cyclic": cyclic,
        "checkpoint": int(r.integers(1, steps)) if r.random() < 0.7 else None,
        "via_file": bool(r.random() < 0.5),
    }


def _build(lib: Any, case: dict[str, Any], values: list[np.ndarray]) -> tuple[Any, Any, list[Any]]:
    """The optimizer, its schedule (or None) and the parameters, in ``lib`` (tg or torch)."""
    params = [lib.tensor(v.copy(), requires_grad=True) for v in values]
    groups = [{"params": [params[i] for i in g["indices"]], **g["options"]} for g in case["groups"]]
    opt = getattr(lib.optim, case["name"])(groups, **case["kw"])
    return opt, _schedule(lib.optim, opt, case), params


def _multiplier(epoch: int) -> float:
    return 0.9 + 0.05 * (epoch % 3)


def _schedule(mod: Any, opt: Any, case: dict[str, Any]) -> Any:
    kind, sched = case["schedule"], mod.lr_scheduler
    if kind is None:
        return None
    if kind == "step":
        return sched.StepLR(opt, step_size=2, gamma=0.5)
    if kind == "exp":
        return sched.ExponentialLR(opt, gamma=0.8)
    if kind == "multiplicative":
        return sched.MultiplicativeLR(opt, _multiplier)
    if kind == "onecycle":
        total = len(case["grads"]) + 3
        cycle = "momentum" in opt.defaults or "betas" in opt.defaults
        return sched.OneCycleLR(opt, max_lr=0.05, total_steps=total, cycle_momentum=cycle)
    if kind == "chained":
        parts = [sched.ExponentialLR(opt, gamma=0.9), sched.MultiplicativeLR(opt, _multiplier)]
        return sched.ChainedScheduler(parts, optimizer=opt)
    cfg = dict(case["cyclic"])
    if not ("momentum" in opt.defaults or "betas" in opt.defaults):
        cfg["cycle_momentum"] = False
    tops = [g["lr"] for g in opt.param_groups]
    return sched.CyclicLR(opt, base_lr=[lr / 10 for lr in tops], max_lr=tops, **cfg)


def _tg_roundtrip(obj: Any) -> Any:
    buf = io.BytesIO()
    tg.save(obj, buf)
    buf.seek(0)
    return tg.load(buf)


def _close(a: Any, b: Any, dtype: Any) -> bool:
    if a is None or b is None:  # the flags foreach and fused default to None
        return a is b
    if isinstance(a, list) and None in a:  # Adafactor's eps = (None, ε₂)
        return (
            isinstance(b, list)
            and [x is None for x in a] == [x is None for x in b]
            and all(_close(x, y, dtype) for x, y in zip(a, b) if x is not None)
        )
    rtol, atol = (1e-10, 1e-12) if dtype == np.float64 else (1e-5, 1e-5)
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))


def _numbers(value: Any) -> Any:
    """A state or group value as numbers: a Tensor's array, a tuple as a list."""
    if hasattr(value, "detach"):
        return value.detach().numpy()
    if hasattr(value, "data") and isinstance(getattr(value, "data", None), np.ndarray):
        return value.data
    return list(value) if isinstance(value, tuple) else value


def _compare_state(ours: dict[str, Any], theirs: dict[str, Any], dtype: Any) -> str | None:
    if set(ours["state"]) != set(theirs["state"]):
        return f"state for params {sorted(ours['state'])} vs {sorted(theirs['state'])}"
    for i, buffers in ours["state"].items():
        if set(buffers) != set(theirs["state"][i]):
            return f"param {i}: state keys {sorted(buffers)} vs {sorted(theirs['state'][i])}"
        for key, value in buffers.items():
            if not _close(_numbers(value), _numbers(theirs["state"][i][key]), dtype):
                return f"param {i}: state {key!r} differs"
    for j, (a, b) in enumerate(zip(ours["param_groups"], theirs["param_groups"])):
        if set(a) != set(b):
            return f"group {j}: keys {sorted(a)} vs {sorted(b)}"
        for key, value in a.items():
            if key != "params" and not _close(_numbers(value), _numbers(b[key]), np.float64):
                return f"group {j}: {key} = {value!r} vs {b[key]!r}"
    return None


def _case(seed: int, torch: Any) -> tuple[str, str | None]:
    case = _draw_case(seed)
    outcome = f"{case['name']} {case['schedule'] or '-'}"
    dtype = case["dtype"]
    default = torch.get_default_dtype()
    if case["name"] in ("NAdam", "ASGD") and dtype == np.float64:
        torch.set_default_dtype(torch.float64)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch's about the order of step() calls
            return outcome, _run(case, torch)
    finally:
        torch.set_default_dtype(default)


def _run(case: dict[str, Any], torch: Any) -> str | None:
    dtype = case["dtype"]
    ours, ours_sched, ps = _build(tg, case, case["values"])
    theirs, theirs_sched, qs = _build(torch, case, case["values"])
    for k, row in enumerate(case["grads"]):
        if k == case["checkpoint"]:
            saved = {"opt": ours.state_dict(), "sched": ours_sched and ours_sched.state_dict()}
            if case["via_file"]:
                saved = _tg_roundtrip(saved)
            ours, ours_sched, ps = _build(tg, case, [p.data for p in ps])
            ours.load_state_dict(saved["opt"])
            their_saved = (theirs.state_dict(), theirs_sched and theirs_sched.state_dict())
            values = [q.detach().numpy() for q in qs]
            theirs, theirs_sched, qs = _build(torch, case, values)
            theirs.load_state_dict(their_saved[0])
            if ours_sched is not None:
                ours_sched.load_state_dict(saved["sched"])
                theirs_sched.load_state_dict(their_saved[1])
        for p, q, g in zip(ps, qs, row):
            p.grad = None if g is None else tg.tensor(g.copy())
            q.grad = None if g is None else torch.tensor(g.copy())
        ours.step()
        theirs.step()
        if ours_sched is not None:
            ours_sched.step()
            theirs_sched.step()
        for i, (p, q) in enumerate(zip(ps, qs)):
            if p.dtype != dtype or not _close(p.data, q.detach().numpy(), dtype):
                diff = np.max(np.abs(p.data - q.detach().numpy()), initial=0.0)
                return f"step {k}: param {i} ({p.dtype}) differs by up to {diff:.3g}"
    return _compare_state(ours.state_dict(), theirs.state_dict(), dtype)


def test_random_training_runs_match_torch() -> None:
    assert_seeds_agree(_case, pytest.importorskip("torch"), CASES)


if __name__ == "__main__":
    import sys

    tally(_case, sys.argv)

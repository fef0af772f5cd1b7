"""The schedules beyond StepLR…CosineAnnealingLR: ConstantLR, LinearLR, PolynomialLR,
CosineAnnealingWarmRestarts, OneCycleLR, SequentialLR, ReduceLROnPlateau, MultiplicativeLR,
CyclicLR and ChainedScheduler.

First against their formulas written out here, then (optionally) against torch 2.13 on random
configurations, with step(epoch) jumps and a save/resume half-way.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import optim
from tinygrad_ed.optim import lr_scheduler as ours
from tinygrad_ed.optim.lr_scheduler import (
    ChainedScheduler,
    ConstantLR,
    CosineAnnealingWarmRestarts,
    CyclicLR,
    ExponentialLR,
    LinearLR,
    MultiplicativeLR,
    OneCycleLR,
    PolynomialLR,
    ReduceLROnPlateau,
    SequentialLR,
)

BASES = (0.1, 0.3)  # two param groups with their own lr


def groups(lib: Any = tg, **kw: Any) -> list[dict[str, Any]]:
    return [{"params": [lib.ones(1, requires_grad=True)], "lr": lr, **kw} for lr in BASES]


def sgd(**kw: Any) -> optim.SGD:
    return optim.SGD(groups(), **kw)


def run(sched: Any, epochs: int) -> list[list[float]]:
    """The lrs in force during each epoch: the constructor's, then one per step()."""
    out = [list(sched.get_last_lr())]
    for _ in range(epochs - 1):
        sched.step()
        out.append(list(sched.get_last_lr()))
    return out


def expect(got: list[list[float]], formula: Callable[[float, int], float]) -> None:
    want = [[formula(base, k) for base in BASES] for k in range(len(got))]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


# ----------------------------------------------------------------------------- warm-up factors


@pytest.mark.parametrize(("factor", "total"), [(0.25, 4), (1 / 3, 5), (0.5, 0), (1.0, 3)])
def test_constant_lr(factor: float, total: int) -> None:
    sched = ConstantLR(sgd(), factor=factor, total_iters=total)
    got = run(sched, 9)
    if total == 0:  # as torch: epoch 0 applies the factor, and epoch total_iters = 0 is passed
        expect(got, lambda base, k: base * factor)
    else:
        expect(got, lambda base, k: base * (factor if k < total else 1.0))
    sched.step(2)  # the closed form
    assert sched.get_last_lr() == pytest.approx([b * (factor if total > 2 else 1) for b in BASES])


def test_constant_lr_edges() -> None:
    with pytest.raises(
        ValueError, match=r"ConstantLR\(\): factor must be between 0 and 1, got 1.5"
    ):
        ConstantLR(sgd(), factor=1.5)
    with pytest.raises(ValueError, match=r"got -0\.1"):
        ConstantLR(sgd(), factor=-0.1)
    with pytest.raises(TypeError, match=r"ConstantLR\(\): factor must be a real number"):
        ConstantLR(sgd(), factor="0.5")  # type: ignore[arg-type]
    sched = ConstantLR(sgd(), factor=0.0, total_iters=2)
    assert sched.get_last_lr() == [0.0, 0.0]
    sched.step()
    with pytest.raises(ZeroDivisionError, match="factor=0 cannot be undone at total_iters=2"):
        sched.step()
    sched.step(3)
    assert sched.get_last_lr() == list(BASES)


@pytest.mark.parametrize(("start", "end", "total"), [(1 / 3, 1.0, 5), (0.1, 1.0, 3), (1.0, 0.2, 4)])
def test_linear_lr(start: float, end: float, total: int) -> None:
    sched = LinearLR(sgd(), start_factor=start, end_factor=end, total_iters=total)
    got = run(sched, 9)
    expect(got, lambda base, k: base * (start + (end - start) * min(k, total) / total))
    sched.step(1)
    assert sched.get_last_lr() == pytest.approx(
        [b * (start + (end - start) / total) for b in BASES]
    )


def test_linear_lr_edges_and_resume() -> None:
    with pytest.raises(ValueError, match=r"LinearLR\(\): start_factor must be in \(0, 1\].*got 0"):
        LinearLR(sgd(), start_factor=0)
    with pytest.raises(ValueError, match=r"start_factor.*got nan"):
        LinearLR(sgd(), start_factor=math.nan)
    with pytest.raises(ValueError, match=r"end_factor must be in \[0, 1\], got 1.5"):
        LinearLR(sgd(), end_factor=1.5)
    # total_iters=0: the first epoch scales, then the lr stays, as in torch
    assert run(LinearLR(sgd(), start_factor=0.5, total_iters=0), 3) == [[0.05, 0.15]] * 3
    # resuming keeps the loaded lr, then continues the schedule
    opt = sgd()
    whole = run(LinearLR(opt, start_factor=0.2, total_iters=4), 6)
    resumed = sgd()
    resumed.load_state_dict(opt.state_dict())
    for g, lrs in zip(resumed.param_groups, whole[2]):
        g["lr"] = lrs
    sched = LinearLR(resumed, start_factor=0.2, total_iters=4, last_epoch=1)
    assert sched.get_last_lr() == whole[2]
    sched.step()
    assert sched.get_last_lr() == pytest.approx(whole[3], rel=1e-12)


@pytest.mark.parametrize(("total", "power"), [(5, 1.0), (4, 2.0), (6, 0.5), (3, 0.0)])
def test_polynomial_lr(total: int, power: float) -> None:
    sched = PolynomialLR(sgd(), total_iters=total, power=power)
    got = run(sched, 9)
    expect(got, lambda base, k: base * (1 - min(k, total) / total) ** power)
    sched.step(total - 1)
    assert sched.get_last_lr() == pytest.approx([b * (1 / total) ** power for b in BASES])
    with pytest.raises(TypeError, match=r"PolynomialLR\(\): power must be a real number"):
        PolynomialLR(sgd(), power=None)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- warm restarts


def sgdr(base: float, epoch: float, t0: int, mult: int, eta_min: float) -> float:
    """Restarts found by walking the periods T₀, T₀·m, T₀·m², …"""
    t_i, t_cur = t0, epoch
    while t_cur >= t_i:
        t_cur -= t_i
        t_i *= mult
    return eta_min + (base - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2


@pytest.mark.parametrize(("t0", "mult"), [(3, 1), (2, 2), (1, 3), (4, 2)])
def test_cosine_warm_restarts(t0: int, mult: int) -> None:
    sched = CosineAnnealingWarmRestarts(sgd(), T_0=t0, T_mult=mult, eta_min=0.01)
    got = run(sched, 30)
    expect(got, lambda base, k: sgdr(base, k, t0, mult, 0.01))
    for epoch in (0.5, 7.25, 12.0, 2.0):  # per batch: fractional epochs, jumps back and forth
        sched.step(epoch)
        assert sched.get_last_lr() == pytest.approx(
            [sgdr(b, epoch, t0, mult, 0.01) for b in BASES], rel=1e-12
        )
        assert sched.last_epoch == math.floor(epoch)


def test_cosine_warm_restarts_edges() -> None:
    name = r"CosineAnnealingWarmRestarts\(\)"
    with pytest.raises(ValueError, match=rf"{name}: expected an integer T_0 >= 1, got 0"):
        CosineAnnealingWarmRestarts(sgd(), T_0=0)
    with pytest.raises(ValueError, match=r"T_0 >= 1, got 2.5"):
        CosineAnnealingWarmRestarts(sgd(), T_0=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"T_mult >= 1, got 0"):
        CosineAnnealingWarmRestarts(sgd(), T_0=2, T_mult=0)
    with pytest.raises(ValueError, match=r"float or int eta_min, got str '0'"):
        CosineAnnealingWarmRestarts(sgd(), T_0=2, eta_min="0")  # type: ignore[arg-type]
    sched = CosineAnnealingWarmRestarts(sgd(), T_0=np.int64(2))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-negative epoch, got -1"):
        sched.step(-1)


# ----------------------------------------------------------------------------- one cycle


def anneal(kind: str, start: float, end: float, p: float) -> float:
    if kind == "cos":
        return end + (start - end) * (1 + math.cos(math.pi * p)) / 2
    return start + (end - start) * p


def one_cycle(step: int, total: int, pct: float, kind: str, three: bool, top: float) -> float:
    """lr at ``step`` with torch's defaults div_factor=25, final_div_factor=1e4."""
    lo, bottom = top / 25, top / 25 / 1e4
    up = pct * total - 1
    if step <= up:
        return anneal(kind, lo, top, step / up)
    if three:
        down = 2 * pct * total - 2
        if step <= down:
            return anneal(kind, top, lo, (step - up) / (down - up))
        return anneal(kind, lo, bottom, (step - down) / (total - 1 - down))
    return anneal(kind, top, bottom, (step - up) / (total - 1 - up))


@pytest.mark.parametrize("kind", ["cos", "linear"])
@pytest.mark.parametrize("three", [False, True])
def test_one_cycle(kind: str, three: bool) -> None:
    total, pct = 20, 0.3
    opt = sgd(momentum=0.5)
    sched = OneCycleLR(
        opt, max_lr=[1.0, 2.0], total_steps=total, anneal_strategy=kind, three_phase=three
    )
    lrs, moms = [], []
    for _ in range(total):
        lrs.append(sched.get_last_lr())
        moms.append([g["momentum"] for g in opt.param_groups])
        sched.step()
    want = [
        [one_cycle(k, total, pct, kind, three, top) for top in (1.0, 2.0)] for k in range(total)
    ]
    np.testing.assert_allclose(lrs, want, rtol=1e-12)
    # momentum mirrors the lr: max_momentum at the ends of the rise, base_momentum at the peak
    assert moms[0] == [0.95, 0.95] and moms[5] == pytest.approx([0.85, 0.85])
    lr_frac = [(lr[0] - 0.04) / (1.0 - 0.04) for lr in lrs[:6]]
    np.testing.assert_allclose([m[0] for m in moms[:6]], [0.95 - 0.1 * f for f in lr_frac])
    with pytest.raises(ValueError, match="tried to step 21 times; the cycle has total_steps=20"):
        sched.step()
    sched.step(3)  # no closed form needed: the formula is not chainable anyway
    assert sched.get_last_lr()[0] == pytest.approx(one_cycle(3, total, pct, kind, three, 1.0))


def test_one_cycle_cycles_adam_beta1_and_takes_epochs() -> None:
    opt = optim.Adam(groups(), betas=(0.9, 0.99))
    sched = OneCycleLR(opt, max_lr=0.5, epochs=2, steps_per_epoch=5, base_momentum=[0.8, 0.7])
    assert sched.total_steps == 10
    assert [g["betas"] for g in opt.param_groups] == [(0.95, 0.99)] * 2
    assert [g["initial_lr"] for g in opt.param_groups] == [0.02, 0.02]
    for _ in range(2):
        sched.step()  # the peak, pct_start·10 − 1 = 2
    assert [g["betas"][0] for g in opt.param_groups] == pytest.approx([0.8, 0.7])
    assert sched.get_last_lr() == pytest.approx([0.5, 0.5])
    off = OneCycleLR(optim.SGD(groups()), max_lr=0.5, total_steps=5, cycle_momentum=False)
    assert all(g["momentum"] == 0.0 for g in off.optimizer.param_groups)


def test_one_cycle_validation() -> None:
    name = r"OneCycleLR\(\)"
    with pytest.raises(ValueError, match=rf"{name}: give either total_steps or both epochs"):
        OneCycleLR(sgd(), max_lr=1.0, epochs=3)
    with pytest.raises(ValueError, match=r"integer total_steps >= 1, got 0"):
        OneCycleLR(sgd(), max_lr=1.0, total_steps=0)
    with pytest.raises(ValueError, match=r"integer steps_per_epoch >= 1, got 2.0"):
        OneCycleLR(sgd(), max_lr=1.0, epochs=2, steps_per_epoch=2.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"float pct_start in \[0, 1\], got 1$"):
        OneCycleLR(sgd(), max_lr=1.0, total_steps=10, pct_start=1)  # an int, refused as torch
    with pytest.raises(ValueError, match=r"anneal_strategy must be 'cos' or 'linear', got 'exp'"):
        OneCycleLR(sgd(), max_lr=1.0, total_steps=10, anneal_strategy="exp")
    with pytest.raises(ValueError, match="max_lr must have one value per param group: got 3"):
        OneCycleLR(sgd(), max_lr=[1.0, 2.0, 3.0], total_steps=10)
    with pytest.raises(ValueError, match="max_momentum must have one value per param group"):
        OneCycleLR(sgd(), max_lr=1.0, total_steps=10, max_momentum=(0.9,))
    with pytest.raises(ZeroDivisionError, match="phase 0 of the cycle is empty"):
        OneCycleLR(sgd(), max_lr=1.0, total_steps=10, pct_start=0.1)  # the rise ends at step 0

    class Plain(optim.Optimizer):  # no momentum and no betas
        def __init__(self, params: Any) -> None:
            super().__init__(params, {"lr": 0.1})

    with pytest.raises(ValueError, match="cycle_momentum needs an optimizer with a momentum"):
        OneCycleLR(Plain(groups()), max_lr=1.0, total_steps=10)
    with pytest.raises(TypeError, match=r"OneCycleLR\(\): list is not an Optimizer"):
        OneCycleLR([], max_lr=1.0, total_steps=10)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- sequential


def test_sequential_warmup_then_decay() -> None:
    opt = sgd()
    warm = LinearLR(opt, start_factor=0.1, total_iters=4)
    decay = ExponentialLR(opt, gamma=0.9)
    sched = SequentialLR(opt, [warm, decay], milestones=[4])
    got = run(sched, 12)
    expect(got, lambda base, k: base * (0.1 + 0.9 * k / 4) if k < 4 else base * 0.9 ** (k - 4))
    assert warm.last_epoch == 3 and decay.last_epoch == 7
    with pytest.raises(TypeError, match=r"SequentialLR.step\(\) takes no epoch \(got 3\)"):
        sched.step(3)


def test_sequential_validation() -> None:
    opt, other = sgd(), sgd()
    a, b = ConstantLR(opt), ConstantLR(other)
    with pytest.raises(ValueError, match="at least one scheduler"):
        SequentialLR(opt, [], [])
    with pytest.raises(ValueError, match=r"same optimizer.*ConstantLR at index 1"):
        SequentialLR(opt, [a, b], [2])
    with pytest.raises(ValueError, match="one milestone fewer than schedulers, got 2 schedulers"):
        SequentialLR(opt, [a, ConstantLR(opt)], [])
    with pytest.raises(ValueError, match=r"cannot run ReduceLROnPlateau \(index 1\)"):
        SequentialLR(opt, [a, ReduceLROnPlateau(opt)], [2])
    with pytest.raises(TypeError, match=r"index 0 \(object\) has no optimizer"):
        SequentialLR(opt, [object()], [])  # type: ignore[list-item]


# ----------------------------------------------------------------------------- multiplicative


class Factor:
    """A callable object as lr_lambda or scale_fn: its attributes go into the state dict."""

    def __init__(self, a: float, b: float = 0.0) -> None:
        self.a, self.b = a, b

    def __call__(self, x: float) -> float:
        return self.a + self.b * (x % 3)


def test_multiplicative_lr() -> None:
    """lr_e = lr_{e−1}·λ(e): the product of the factors since epoch 1 (the construction step
    keeps lr₀); one λ per group allowed; step(epoch) multiplies by λ(epoch), as torch."""
    f = Factor(0.9, 0.05)
    sched = MultiplicativeLR(sgd(), [f, lambda e: 0.5])
    got = run(sched, 7)
    want = [[0.1 * math.prod(f(k) for k in range(1, e + 1)), 0.3 * 0.5**e] for e in range(7)]
    np.testing.assert_allclose(got, want, rtol=1e-14)
    sched.step(2)
    np.testing.assert_allclose(sched.get_last_lr(), [want[6][0] * f(2), want[6][1] * 0.5])
    opt = sgd()
    opt.param_groups[0]["lr"] = 1.0  # chainable: it multiplies whatever lr the group has
    MultiplicativeLR(opt, lambda e: 0.5).step()
    assert [g["lr"] for g in opt.param_groups] == [0.5, 0.15]
    with pytest.raises(ValueError, match=r"MultiplicativeLR\(\): expected 2 lr_lambdas, got 1"):
        MultiplicativeLR(sgd(), [f])
    with pytest.raises(TypeError, match=r"MultiplicativeLR\(\): lr_lambda must be callable"):
        MultiplicativeLR(sgd(), 0.9)  # type: ignore[arg-type]


def test_multiplicative_lr_after_a_milestone_multiplies_by_its_factor_at_zero() -> None:
    """Inside SequentialLR a schedule starts at its epoch 0 with its closed form; without one
    (MultiplicativeLR) torch multiplies the current lr by λ(0): here the lr ConstantLR left,
    whose factor is never undone (it is not stepped at its total_iters)."""
    opt = sgd()
    sched = SequentialLR(
        opt, [ConstantLR(opt, 0.5, 2), MultiplicativeLR(opt, lambda e: 0.9 - 0.1 * (e == 0))], [2]
    )
    expect(run(sched, 5), lambda base, k: base * 0.5 * (1 if k < 2 else 0.8 * 0.9 ** (k - 2)))


# ----------------------------------------------------------------------------- cyclic


def cyclic(e: int, up: float, down: float, mode: str, gamma: float = 1.0) -> float:
    """The height h·scale in [0, 1] at step e, written from Smith's paper and torch's doc."""
    cycle = math.floor(1 + e / (up + down))
    x = e - (cycle - 1) * (up + down)  # steps into the cycle
    h = x / up if x <= up else 1 - (x - up) / down
    scale = {"triangular": 1.0, "triangular2": 0.5 ** (cycle - 1), "exp_range": gamma**e}[mode]
    return h * scale


@pytest.mark.parametrize(
    ("up", "down", "mode"),
    [(3, None, "triangular"), (2, 4, "triangular2"), (4, 1, "exp_range"), (2, 0, "triangular")],
)
def test_cyclic_lr(up: int, down: int | None, mode: str) -> None:
    opt = sgd(momentum=0.5)
    sched = CyclicLR(
        opt, [0.01, 0.1], [0.1, 1.0], up, down, mode=mode, gamma=0.9, base_momentum=[0.8, 0.7]
    )
    got, moms = [], []
    for _ in range(20):
        got.append(sched.get_last_lr())
        moms.append([g["momentum"] for g in opt.param_groups])
        sched.step()
    d = up if down is None else down
    heights = [cyclic(e, up, d, mode, 0.9) for e in range(20)]
    np.testing.assert_allclose(got, [[0.01 + 0.09 * h, 0.1 + 0.9 * h] for h in heights])
    np.testing.assert_allclose(moms, [[0.9 - 0.1 * h, 0.9 - 0.2 * h] for h in heights])
    assert [g["max_momentum"] for g in opt.param_groups] == [0.9, 0.9]
    assert [g["base_momentum"] for g in opt.param_groups] == [0.8, 0.7]
    sched.step(5)  # not chainable: any step is computed from base_lr
    assert sched.get_last_lr()[1] == pytest.approx(0.1 + 0.9 * heights[5])


def test_cyclic_lr_custom_scale_adam_and_saving() -> None:
    """A scale_fn of the cycle or of the step; β₁ cycles for Adam; the state dict keeps a
    callable object's attributes and round-trips through tg.save."""
    opt = optim.Adam(groups(), betas=(0.9, 0.99))
    scale = Factor(1.0, -0.25)
    sched = CyclicLR(opt, 0.0, 1.0, 2, scale_fn=scale, scale_mode="iterations")
    assert [g["betas"] for g in opt.param_groups] == [(0.9, 0.99)] * 2  # max_momentum 0.9
    got = run(sched, 6)
    want = [cyclic(e, 2, 2, "triangular") * scale(e) for e in range(6)]
    np.testing.assert_allclose([lr[0] for lr in got], want, atol=1e-15)
    assert opt.param_groups[0]["betas"][0] == pytest.approx(0.9 - 0.1 * want[-1])
    state = io.BytesIO()
    scale.b = -0.5  # saved with the schedule, restored into the other one's scale_fn
    tg.save(sched.state_dict(), state)
    state.seek(0)
    other_scale = Factor(7.0)
    other = CyclicLR(optim.Adam(groups()), 0.0, 1.0, 2, scale_fn=other_scale)
    other.load_state_dict(tg.load(state))
    assert vars(other_scale) == {"a": 1.0, "b": -0.5} and other.last_epoch == 5
    assert other.scale_mode == "iterations"
    by_cycle = CyclicLR(sgd(), 0.0, 1.0, 1, scale_fn=lambda c: 1 / c, cycle_momentum=False)
    assert by_cycle.scale_mode == "cycle" and "lr_lambdas" not in by_cycle.state_dict()
    expect(run(by_cycle, 6), lambda base, k: (k % 2) / (1 + k // 2))
    assert by_cycle.state_dict()["_scale_fn_custom"] is None  # a function is not saved


def test_cyclic_lr_validation_and_modes_fix_the_scale_mode() -> None:
    name = r"CyclicLR\(\)"
    assert CyclicLR(sgd(momentum=0.9), 0.1, 1.0, mode="exp_range").scale_mode == "iterations"
    assert CyclicLR(sgd(momentum=0.9), 0.1, 1.0, scale_mode="iterations").scale_mode == "cycle"
    with pytest.raises(ValueError, match=rf"{name}: mode must be .* got 'square'"):
        CyclicLR(sgd(momentum=0.9), 0.1, 1.0, mode="square")
    with pytest.raises(ValueError, match=r"scale_mode must be 'cycle' or 'iterations', got 'x'"):
        CyclicLR(sgd(momentum=0.9), 0.1, 1.0, scale_fn=abs, scale_mode="x")
    with pytest.raises(ValueError, match=r"step_size_up > 0 and step_size_down >= 0"):
        CyclicLR(sgd(momentum=0.9), 0.1, 1.0, step_size_up=0)
    with pytest.raises(ValueError, match=r"step_size_down=-1"):
        CyclicLR(sgd(momentum=0.9), 0.1, 1.0, step_size_down=-1)
    with pytest.raises(ValueError, match="base_lr must have one value per param group: got 3"):
        CyclicLR(sgd(momentum=0.9), [0.1] * 3, 1.0)
    with pytest.raises(ValueError, match=r"CyclicLR\(\): cycle_momentum needs an optimizer"):
        CyclicLR(optim.Adagrad(groups()), 0.1, 1.0)
    plain = CyclicLR(optim.Adagrad(groups()), 0.1, 1.0, cycle_momentum=False)
    assert plain.get_last_lr() == [0.1, 0.1]
    with pytest.raises(TypeError, match=r"CyclicLR\(\): step_size_up must be a real number"):
        CyclicLR(sgd(momentum=0.9), 0.1, 1.0, step_size_up="3")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- chained


def test_chained_scheduler_multiplies_the_factors() -> None:
    opt = sgd()
    sched = ChainedScheduler([ConstantLR(opt, 0.5, 3), ExponentialLR(opt, gamma=0.9)])
    assert sched.optimizer is opt  # torch 2.13: the first schedule's when not given
    expect(run(sched, 8), lambda base, k: base * (0.5 if k < 3 else 1.0) * 0.9**k)
    with pytest.raises(TypeError, match=r"ChainedScheduler.step\(\) takes no epoch"):
        sched.step(2)
    buf = io.BytesIO()
    tg.save({"opt": opt.state_dict(), "sched": sched.state_dict()}, buf)
    buf.seek(0)
    saved = tg.load(buf)
    opt2 = sgd()
    again = ChainedScheduler([ConstantLR(opt2, 0.5, 3), ExponentialLR(opt2, gamma=0.9)], opt2)
    opt2.load_state_dict(saved["opt"])
    again.load_state_dict(saved["sched"])
    assert again._schedulers[1].last_epoch == 7 and "_schedulers" in saved["sched"]
    for _ in range(3):
        sched.step()
        again.step()
        assert again.get_last_lr() == sched.get_last_lr()


def test_chained_scheduler_validation_and_nesting() -> None:
    opt, other = sgd(), sgd()
    a = ExponentialLR(opt, 0.9)
    with pytest.raises(ValueError, match=r"ChainedScheduler\(\): expects at least one scheduler"):
        ChainedScheduler([])
    with pytest.raises(ValueError, match=r"same optimizer.*ExponentialLR at index 0"):
        ChainedScheduler([a], optimizer=other)
    with pytest.raises(ValueError, match=r"same optimizer.*ConstantLR at index 1"):
        ChainedScheduler([a, ConstantLR(other)])
    with pytest.raises(ValueError, match=r"cannot run ReduceLROnPlateau \(index 1\)"):
        ChainedScheduler([a, ReduceLROnPlateau(opt)])
    # Inside SequentialLR its schedules' construction steps are undone like anyone's, then
    # SequentialLR starts it again: a ChainedScheduler's start steps each of its schedules as an
    # ordinary step, so ExponentialLR multiplies by 0.9 at once (as torch 2.13 does).
    opt = sgd()
    warm = ChainedScheduler([ConstantLR(opt, 0.5, 2), ExponentialLR(opt, 0.9)])
    seq = SequentialLR(opt, [warm, ExponentialLR(opt, 0.5)], [3])
    expect(
        run(seq, 6),
        lambda base, k: (
            base * (0.5 if k < 2 else 1) * 0.9 ** (k + 1) if k < 3 else base * 0.5 ** (k - 3)
        ),
    )


# ----------------------------------------------------------------------------- plateau


def test_reduce_on_plateau_min_rel() -> None:
    opt = sgd()
    sched = ReduceLROnPlateau(opt, factor=0.5, patience=1, cooldown=1, min_lr=[0.02, 0.0])
    # metric:   improves, 2 bad (reduce), cooldown (bad ignored), 2 bad (reduce), 2 bad (reduce)
    metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95]
    got = []
    for m in metrics:
        sched.step(m)
        got.append(sched.get_last_lr())
    a, b = BASES
    want = [[a, b]] * 3 + [[a / 2, b / 2]] * 3 + [[a / 4, b / 4]] * 3 + [[0.02, b / 8]]
    np.testing.assert_allclose(got, want, rtol=1e-15)
    assert sched.best == 0.9 and sched.last_epoch == 10
    # 0.9·(1 − 1e-4) = 0.89991: 0.89995 is not an improvement, 0.8999 is
    sched.step(0.89995)
    assert sched.best == 0.9
    sched.step(0.8999)
    assert sched.best == 0.8999


def test_reduce_on_plateau_max_abs_eps_and_tensors() -> None:
    opt = sgd()
    sched = ReduceLROnPlateau(opt, mode="max", threshold=0.1, threshold_mode="abs", patience=0)
    sched.step(tg.tensor(1.0))  # a 0-d Tensor is a metric, as in torch
    sched.step(1.05)  # not above 1.0 + 0.1: bad, patience 0 → reduce
    assert sched.get_last_lr() == pytest.approx([0.01, 0.03])
    sched.step(1.2)
    assert sched.best == 1.2 and sched.get_last_lr() == pytest.approx([0.01, 0.03])
    tiny = ReduceLROnPlateau(sgd(), patience=0, eps=0.05, min_lr=0.0)
    tiny.step(1.0)
    tiny.step(2.0)  # 0.1 → 0.01 moves by 0.09 > eps; 0.3 → 0.03 too
    tiny.step(3.0)  # 0.01 → 0.001 moves by 0.009 ≤ eps: kept; 0.03 → 0.003 by 0.027: kept
    assert tiny.get_last_lr() == pytest.approx([0.01, 0.03])


def test_reduce_on_plateau_groups_added_later_and_validation() -> None:
    opt = sgd()
    sched = ReduceLROnPlateau(opt, patience=0, min_lr=0.05)
    opt.add_param_group({"params": [tg.ones(1, requires_grad=True)], "lr": 1.0})
    sched.step(1.0)
    sched.step(2.0)
    assert sched.get_last_lr() == pytest.approx([0.05, 0.05, 0.1])  # the scalar min_lr extends
    opt = sgd()
    sched = ReduceLROnPlateau(opt, patience=0, min_lr=[0.0, 0.0])
    opt.add_param_group({"params": [tg.ones(1, requires_grad=True)], "lr": 1.0})
    sched.step(1.0)
    with pytest.raises(RuntimeError, match="3 param groups but min_lrs has 2 values"):
        sched.step(2.0)
    name = r"ReduceLROnPlateau\(\)"
    with pytest.raises(ValueError, match=rf"{name}: factor should be < 1.0, got 1.0"):
        ReduceLROnPlateau(sgd(), factor=1.0)
    with pytest.raises(ValueError, match=r"mode must be 'min' or 'max', got 'mean'"):
        ReduceLROnPlateau(sgd(), mode="mean")
    with pytest.raises(ValueError, match=r"threshold_mode must be 'rel' or 'abs', got 'pct'"):
        ReduceLROnPlateau(sgd(), threshold_mode="pct")
    with pytest.raises(ValueError, match="expected 2 min_lrs, got 1"):
        ReduceLROnPlateau(sgd(), min_lr=[0.0])
    with pytest.raises(TypeError, match="is not an Optimizer"):
        ReduceLROnPlateau(None)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- save and resume


def _seq(opt: Any, lib: Any = ours) -> Any:
    return lib.SequentialLR(
        opt,
        [lib.LinearLR(opt, 0.2, total_iters=3), lib.CosineAnnealingWarmRestarts(opt, 3, 2)],
        [3],
    )


MAKERS: dict[str, Callable[[Any], Any]] = {
    "constant": lambda opt: ConstantLR(opt, 0.5, 4),
    "linear": lambda opt: LinearLR(opt, 0.25, 0.9, 6),
    "poly": lambda opt: PolynomialLR(opt, 8, 2.0),
    "sgdr": lambda opt: CosineAnnealingWarmRestarts(opt, 2, 2, 0.001),
    "onecycle": lambda opt: OneCycleLR(opt, [1.0, 0.5], 16, three_phase=True),
    "sequential": _seq,
    "plateau": lambda opt: ReduceLROnPlateau(opt, "max", 0.5, 1, cooldown=1, min_lr=[0.0, 0.01]),
}


def advance(sched: Any, k: int) -> None:
    if isinstance(sched, ReduceLROnPlateau):
        sched.step(math.sin(k))  # rises and falls
    else:
        sched.step()


@pytest.mark.parametrize("kind", list(MAKERS))
def test_state_dicts_round_trip_through_save(kind: str) -> None:
    make = MAKERS[kind]
    opt = sgd(momentum=0.9)
    sched = make(opt)
    for k in range(5):
        advance(sched, k)
    buf = io.BytesIO()
    tg.save({"opt": opt.state_dict(), "sched": sched.state_dict()}, buf)
    whole = []
    for k in range(5, 14):
        advance(sched, k)
        whole.append((sched.get_last_lr(), [g["momentum"] for g in opt.param_groups]))
    buf.seek(0)
    state = tg.load(buf)
    opt2 = sgd(momentum=0.9)
    sched2 = make(opt2)
    opt2.load_state_dict(state["opt"])
    sched2.load_state_dict(state["sched"])
    for k, (lrs, moms) in zip(range(5, 14), whole):
        advance(sched2, k)
        assert sched2.get_last_lr() == lrs
        assert [g["momentum"] for g in opt2.param_groups] == moms


def test_sequential_load_state_dict_leaves_the_dict_alone() -> None:
    opt = sgd()
    sched = _seq(opt)
    state = sched.state_dict()
    keys = set(state)
    _seq(sgd()).load_state_dict(state)
    assert set(state) == keys and len(state["_schedulers"]) == 2


# ----------------------------------------------------------------------------- torch (optional)


def random_config(kind: str, r: np.random.Generator) -> dict[str, Any]:
    u = lambda lo, hi: float(r.uniform(lo, hi))  # noqa: E731
    i = lambda lo, hi: int(r.integers(lo, hi + 1))  # noqa: E731
    if kind == "constant":
        return {"factor": u(0.05, 1.0) if r.random() < 0.8 else 1.0, "total_iters": i(0, 8)}
    if kind == "linear":
        return {"start_factor": u(0.05, 1.0), "end_factor": u(0.0, 1.0), "total_iters": i(1, 8)}
    if kind == "poly":
        return {"total_iters": i(1, 8), "power": u(0.3, 3.0)}
    if kind == "sgdr":
        return {"T_0": i(1, 6), "T_mult": i(1, 3), "eta_min": u(0.0, 0.01)}
    if kind == "onecycle":
        total = i(6, 30)
        pct = u(0.1, 0.6)
        while abs(pct * total - 1) < 1e-9:  # an empty first phase: both libraries refuse it
            pct = u(0.1, 0.6)
        size = (
            {"total_steps": total} if r.random() < 0.5 else {"epochs": 1, "steps_per_epoch": total}
        )
        return {
            **size,
            "max_lr": u(0.5, 2.0) if r.random() < 0.5 else [u(0.5, 2.0), u(0.1, 1.0)],
            "pct_start": pct,
            "anneal_strategy": "cos" if r.random() < 0.5 else "linear",
            "three_phase": bool(r.random() < 0.5),
            "cycle_momentum": bool(r.random() < 0.8),
            "base_momentum": u(0.7, 0.85) if r.random() < 0.5 else [u(0.7, 0.85), u(0.5, 0.8)],
            "max_momentum": u(0.85, 0.99),
            "div_factor": u(5.0, 30.0),
            "final_div_factor": u(10.0, 1e4),
        }
    if kind == "plateau":
        rel = r.random() < 0.5
        return {
            "mode": "min" if r.random() < 0.5 else "max",
            "factor": u(0.1, 0.9),
            "patience": i(0, 3),
            "threshold": 0.0 if r.random() < 0.3 else u(0.0, 0.1) if rel else u(0.0, 0.5),
            "threshold_mode": "rel" if rel else "abs",
            "cooldown": i(0, 2),
            "min_lr": u(0.0, 0.02) if r.random() < 0.5 else [u(0.0, 0.02), u(0.0, 0.05)],
            "eps": float(r.choice([1e-8, 1e-3, 0.02])),
        }
    if kind == "multiplicative":  # Factor(a, b) objects: their attributes are saved
        ab = [u(0.7, 1.0), u(-0.1, 0.1)]
        return {"factors": [ab, [u(0.7, 1.0), 0.0]] if r.random() < 0.5 else [ab]}
    if kind == "cyclic":
        custom = r.random() < 0.3
        return {
            "base_lr": u(0.01, 0.1) if r.random() < 0.5 else [u(0.01, 0.1), u(0.0, 0.05)],
            "max_lr": u(0.2, 1.0) if r.random() < 0.5 else [u(0.2, 1.0), u(0.1, 0.5)],
            "step_size_up": i(1, 6) if r.random() < 0.8 else u(0.5, 4.0),
            "step_size_down": None if r.random() < 0.5 else i(0, 5),
            "mode": ("triangular", "triangular2", "exp_range")[i(0, 2)],
            "gamma": u(0.8, 1.0),
            "scale": [u(0.5, 1.0), u(-0.1, 0.0)] if custom else None,
            "scale_mode": "cycle" if r.random() < 0.5 else "iterations",
            "cycle_momentum": bool(r.random() < 0.8),
            "base_momentum": u(0.7, 0.85) if r.random() < 0.5 else [u(0.7, 0.85), u(0.5, 0.8)],
            "max_momentum": u(0.85, 0.99),
        }
    # sequential or chained: two or three schedules from this list (milestones in 1…10)
    parts = []
    for _ in range(i(2, 3)):
        part = ("constant", "linear", "poly", "exp", "step", "cos", "multi", "multiplicative")[
            i(0, 7)
        ]
        parts.append((part, random_config(part, r) if part in KINDS else {}))
    if kind == "chained":
        return {"parts": parts, "optimizer_given": bool(r.random() < 0.5)}
    return {"parts": parts, "milestones": sorted(r.choice(10, len(parts) - 1, replace=False) + 1)}


KINDS = (
    "constant",
    "linear",
    "poly",
    "sgdr",
    "onecycle",
    "plateau",
    "sequential",
    "multiplicative",
    "cyclic",
    "chained",
)
NAMES = {
    "constant": "ConstantLR",
    "linear": "LinearLR",
    "poly": "PolynomialLR",
    "sgdr": "CosineAnnealingWarmRestarts",
    "onecycle": "OneCycleLR",
    "plateau": "ReduceLROnPlateau",
    "multiplicative": "MultiplicativeLR",
    "cyclic": "CyclicLR",
}


def build(
    lib: Any, mod: Any, kind: str, cfg: dict[str, Any], adam: bool, resume: Any = None
) -> Any:
    """The same schedule on tinygrad_ed (lib=tg, mod=ours) or torch; ``resume=(optimizer state,
    last_epoch)`` loads the optimizer first and passes last_epoch, torch's other way to resume."""
    params = groups(lib)
    opt = lib.optim.Adam(params, betas=(0.9, 0.99)) if adam else lib.optim.SGD(params, momentum=0.9)
    if resume is not None:
        opt.load_state_dict(resume[0])
        return make(mod, kind, opt, cfg, last_epoch=resume[1])
    return make(mod, kind, opt, cfg)


def make(mod: Any, kind: str, opt: Any, cfg: dict[str, Any], **extra: Any) -> Any:
    """Schedule ``kind`` over ``opt`` from its plain-data config."""
    simple = {
        "exp": lambda: mod.ExponentialLR(opt, gamma=0.8),
        "step": lambda: mod.StepLR(opt, step_size=2, gamma=0.5),
        "cos": lambda: mod.CosineAnnealingLR(opt, T_max=4, eta_min=0.001),
        "multi": lambda: mod.MultiStepLR(opt, [2, 5], gamma=0.3),
    }
    if kind in simple:
        return simple[kind]()
    if kind in ("sequential", "chained"):
        subs = [make(mod, part, opt, sub) for part, sub in cfg["parts"]]
        if kind == "chained":
            return mod.ChainedScheduler(subs, opt if cfg["optimizer_given"] else None)
        return mod.SequentialLR(opt, subs, [int(m) for m in cfg["milestones"]])
    cfg = dict(cfg)
    if kind == "multiplicative":
        factors = [Factor(a, b) for a, b in cfg.pop("factors")]
        cfg["lr_lambda"] = factors if len(factors) > 1 else factors[0]
    if kind == "cyclic":
        scale = cfg.pop("scale")
        cfg["scale_fn"] = None if scale is None else Factor(*scale)
    return getattr(mod, NAMES[kind])(opt, **cfg, **extra)


def state(sched: Any) -> list[float]:
    """The lrs and the momenta (SGD's momentum or Adam's β₁) of every group."""
    g = sched.optimizer.param_groups
    moms = [x["betas"][0] if "betas" in x else x["momentum"] for x in g]
    return [*sched.get_last_lr(), *[float(x["lr"]) for x in g], *moms]


def drive(a: Any, b: Any, kind: str, cfg: dict[str, Any], r: np.random.Generator, n: int) -> None:
    """Step both the same way n times; the lrs and momenta must agree after every step."""
    for _ in range(n):
        jump = r.random() < 0.2
        if kind == "plateau":
            metric = float(r.choice([r.normal(), 0.0, 1.0]))  # ties and plateaus
            epoch = int(r.integers(0, 30)) if jump else None
            a.step(metric, epoch)
            b.step(metric, epoch)
        elif kind in ("sequential", "chained") or not jump:
            if kind == "onecycle" and a.last_epoch >= a.total_steps:
                return
            a.step()
            b.step()
        else:
            if kind == "sgdr":
                epoch: Any = float(r.uniform(0, 25)) if r.random() < 0.5 else int(r.integers(0, 25))
            else:
                top = a.total_steps if kind == "onecycle" else 12
                epoch = int(r.integers(0, top + 1))
            a.step(epoch)
            b.step(epoch)
        np.testing.assert_allclose(state(a), state(b), rtol=1e-12, atol=1e-300)
        assert getattr(a, "last_epoch", None) == getattr(b, "last_epoch", None)  # Chained: none


@pytest.mark.filterwarnings("ignore::UserWarning")  # torch's own: step order, epoch deprecation
@pytest.mark.parametrize("kind", KINDS)
def test_random_schedules_match_torch(kind: str) -> None:
    torch = pytest.importorskip("torch")
    r = np.random.default_rng(KINDS.index(kind))
    for trial in range(40):
        cfg = random_config(kind, r)
        adam = kind in ("onecycle", "cyclic") and trial % 2 == 1
        a = build(tg, ours, kind, cfg, adam)
        b = build(torch, torch.optim.lr_scheduler, kind, cfg, adam)
        np.testing.assert_allclose(state(a), state(b), rtol=1e-12, atol=1e-300)
        split = int(r.integers(0, 12))
        drive(a, b, kind, cfg, r, split)
        if kind not in ("plateau", "sequential", "chained") and trial % 3 == 0:
            # resume with last_epoch: the lrs stay as loaded, and the schedule goes on from there
            resume = (a.optimizer.state_dict(), a.last_epoch)
            a = build(tg, ours, kind, cfg, adam, resume)
            b = build(
                torch,
                torch.optim.lr_scheduler,
                kind,
                cfg,
                adam,
                (b.optimizer.state_dict(), b.last_epoch),
            )
            np.testing.assert_allclose(state(a), state(b), rtol=1e-12, atol=1e-300)
            drive(a, b, kind, cfg, r, 15)
            continue
        # resume: a fresh optimizer and schedule, their state dicts loaded through tg.save
        buf = io.BytesIO()
        tg.save({"opt": a.optimizer.state_dict(), "sched": a.state_dict()}, buf)
        buf.seek(0)
        saved = tg.load(buf)
        a = build(tg, ours, kind, cfg, adam)
        a.optimizer.load_state_dict(saved["opt"])
        a.load_state_dict(saved["sched"])
        drive(a, b, kind, cfg, r, 15)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_one_cycle_past_the_end_and_bad_phases_fail_like_torch() -> None:
    torch = pytest.importorskip("torch")
    for mod, lib in ((ours, tg), (torch.optim.lr_scheduler, torch)):
        sched = mod.OneCycleLR(lib.optim.SGD(groups(lib)), max_lr=1.0, total_steps=4)
        for _ in range(4):
            sched.step()
        with pytest.raises(ValueError, match=r"(?i)tried to step 5 times"):
            sched.step()
        with pytest.raises(ZeroDivisionError):
            mod.OneCycleLR(lib.optim.SGD(groups(lib)), max_lr=1.0, total_steps=10, pct_start=0.1)


def test_exports() -> None:
    """As in torch, the schedules live in optim.lr_scheduler (not in optim itself)."""
    for name in ("ConstantLR", "LinearLR", "PolynomialLR", "SequentialLR", "OneCycleLR"):
        assert name in ours.__all__ and getattr(optim.lr_scheduler, name) is getattr(ours, name)
    for name in ("CosineAnnealingWarmRestarts", "ReduceLROnPlateau", "StepLR", "LRScheduler"):
        assert name in ours.__all__ and not hasattr(optim, name)

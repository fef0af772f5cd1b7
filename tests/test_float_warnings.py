"""The warnings filter importing tinygrad_ed adds (see ``_ignore_float_warnings``): numpy's
floating-point warnings raised inside tinygrad_ed are ignored, as torch is silent about them,
and nothing else changes: the user's numpy still warns, tinygrad_ed's own warnings reach the
user, ``np.seterr`` and the user's filters keep their say. The forward ops themselves are
checked in test_silent_poles_and_node_hooks.py (test_forward_ops_silent_as_torch)."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _pytest.config import parse_warning_filter

import tinygrad_ed as tg
import tinygrad_ed.functional as F

ROOT = Path(tg.__file__).resolve().parent.parent
# The line the README gives pytest users (pytest starts each test without the import's filter)
PYTEST_LINE = (
    r"ignore:(invalid value|divide by zero|overflow|underflow) encountered"
    r":RuntimeWarning:tinygrad_ed(\.|$)"
)


def _shown(f: Callable[[], Any]) -> list[warnings.WarningMessage]:
    """The warnings ``f()`` shows with the filters as importing tinygrad_ed leaves them: every
    warning shown, each time, except what the package's filter ignores."""
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        tg._ignore_float_warnings()
        f()
    return log


def _inf_minus_inf() -> tg.Tensor:
    x = tg.tensor([np.inf])
    return x - x


def _run(*flags: str, code: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter (no pytest filters), from the directory of the package."""
    return subprocess.run(
        [sys.executable, *flags, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )


SCRIPT = """\
import numpy as np
before = np.geterr()
import tinygrad_ed as tg
assert np.geterr() == before, (before, np.geterr())
x = tg.tensor([np.inf])
y = (x - x, x * 0, tg.tensor([3e38]) * 2, x.sum() - x, tg.tensor([[np.inf, -np.inf]]).sum(1))
print("tinygrad_ed silent")
np.array([np.inf]) - np.inf
print("done")
"""


def test_fresh_interpreter_silent_but_user_numpy_warns() -> None:
    """A script: tinygrad_ed's ∞ − ∞, 0·∞ and overflow say nothing; the script's own numpy ∞ − ∞
    warns, naming its line; np.seterr is as before the import."""
    proc = _run("-W", "always", code=SCRIPT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["tinygrad_ed", "silent", "done"]
    warned = [line for line in proc.stderr.splitlines() if "Warning" in line]
    assert warned == ["<string>:8: RuntimeWarning: invalid value encountered in subtract"], (
        proc.stderr
    )


def test_fresh_interpreter_with_W_error() -> None:
    """``python -W error``: the filter, added after the command line's, wins inside tinygrad_ed
    (silent, as torch); the script's own numpy ∞ − ∞ is an error."""
    proc = _run("-W", "error", code=SCRIPT)
    assert proc.stdout.split() == ["tinygrad_ed", "silent"]
    assert proc.returncode == 1
    assert proc.stderr.rstrip().endswith("RuntimeWarning: invalid value encountered in subtract")
    assert 'File "<string>", line 8' in proc.stderr


def test_user_numpy_still_warns() -> None:
    log = _shown(lambda: np.array([np.inf]) - np.inf)
    assert [(str(w.message), w.filename) for w in log] == [
        ("invalid value encountered in subtract", __file__)
    ]


def test_only_tinygrad_ed_modules_are_silenced() -> None:
    """The filter's module pattern: tinygrad_ed and its submodules, not a module whose name only
    starts with it."""
    code = "np.array([np.inf]) - np.inf"
    for module, shown in (("tinygrad_ed_user", 1), ("tinygrad_ed.extra", 0), ("tinygrad_ed", 0)):
        log = _shown(lambda m=module: exec(code, {"np": np, "__name__": m}))
        assert len(log) == shown, module


def test_tinygrad_ed_warns_every_time_without_the_filter() -> None:
    """The check above has teeth: the same op shows numpy's warning when the filter is not
    installed (as in a pytest test that lacks the README's line)."""
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        _inf_minus_inf()
    assert [str(w.message) for w in log] == ["invalid value encountered in subtract"]
    assert _shown(_inf_minus_inf) == []


def _nonleaf_grad() -> None:
    (tg.tensor([1.0], requires_grad=True) * 2).grad  # noqa: B018


# tinygrad_ed's deliberate warnings (``warnings.warn`` in the package), the RuntimeWarning among
# them also through a caller inside the package (whose line the warning then names)
DELIBERATE = {
    "var: degrees of freedom": (
        lambda: tg.tensor([1.0]).var(),
        RuntimeWarning,
        "var\\(\\): degrees of freedom",
    ),
    "std through tg.std": (
        lambda: tg.std(tg.tensor([1.0])),
        RuntimeWarning,
        "std\\(\\): degrees of freedom",
    ),
    "var_mean through tg.var_mean": (
        lambda: tg.var_mean(tg.tensor([1.0])),
        RuntimeWarning,
        "degrees of freedom",
    ),
    "cov: degrees of freedom": (lambda: tg.tensor([[1.0]]).cov(), UserWarning, "cov"),
    "softmax's implicit dim": (
        lambda: F.softmax(tg.tensor([1.0, 2.0])),
        UserWarning,
        "Implicit dimension",
    ),
    "nn.init.normal deprecated": (
        lambda: tg.nn.init.normal(tg.zeros(2)),
        FutureWarning,
        "`nn.init.normal` is now deprecated",
    ),
    ".grad of a non-leaf": (_nonleaf_grad, UserWarning, "The .grad attribute"),
}


@pytest.mark.parametrize("case", sorted(DELIBERATE))
def test_tinygrad_ed_own_warnings_reach_the_user(case: str) -> None:
    f, category, match = DELIBERATE[case]
    log = _shown(f)
    shown = [str(w.message) for w in log if issubclass(w.category, category)]
    assert any(re.search(match, m) for m in shown), [str(w.message) for w in log]


def test_user_filter_added_later_wins() -> None:
    """Filters added after the import come first, as in any warnings filter."""
    with warnings.catch_warnings():
        tg._ignore_float_warnings()
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(RuntimeWarning, match="invalid value encountered in subtract"):
            _inf_minus_inf()
        np.testing.assert_array_equal((tg.tensor([1.0]) - tg.tensor([1.0])).numpy(), [0.0])


def test_numpy_errstate_of_the_user_untouched() -> None:
    """The filter leaves numpy's error handling alone: the import does not call np.seterr (see
    the fresh-interpreter test), and a user's errstate(invalid="raise") raises in tinygrad_ed."""
    before = np.geterr()
    with warnings.catch_warnings():
        tg._ignore_float_warnings()
        assert np.geterr() == before
        with np.errstate(invalid="raise"), pytest.raises(FloatingPointError):
            _inf_minus_inf()
        with np.errstate(all="ignore"):
            assert np.isnan(_inf_minus_inf().item())


def test_pytest_line_in_readme_and_config_silences() -> None:
    """The README's line for pytest users, which pyproject's pytest config uses too, read as
    pytest reads it, does what the import's filter does."""
    assert PYTEST_LINE in (ROOT / "README.md").read_text()
    assert f"'{PYTEST_LINE}'" in (ROOT / "pyproject.toml").read_text()  # a TOML literal string
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        warnings.filterwarnings(*parse_warning_filter(PYTEST_LINE, escape=False))
        _inf_minus_inf()
        np.array([np.inf]) - np.inf
    assert [w.filename for w in log] == [__file__]

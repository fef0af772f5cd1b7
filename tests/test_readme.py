"""The README's op table is the registry's, and its example runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tinygrad_ed.ops import markdown_table

README = Path(__file__).resolve().parents[1] / "README.md"


def test_op_table_matches_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- op-table:start -->\n(.*?)\n<!-- op-table:end -->", text, re.S)
    assert found, "README lacks the op-table markers"
    assert found.group(1) == markdown_table(), "regenerate the README op table (make readme)"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_has_the_fifteen_line_example() -> None:
    text = README.read_text(encoding="utf-8")
    assert re.search(r"## Fifteen lines\n\n```python\n", text)
    assert len(python_blocks()[0].strip().splitlines()) <= 16


@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_readme_code_runs(index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Python block of the README runs; the test functions it defines pass."""
    monkeypatch.chdir(tmp_path)  # blocks may write files (graphs, pages)
    namespace: dict[str, object] = {}
    exec(compile(python_blocks()[index], f"README block {index}", "exec"), namespace)
    for name, value in namespace.items():
        if name.startswith("test_") and callable(value):
            value()

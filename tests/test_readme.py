"""The README's op table is the registry's, and its example runs."""

from __future__ import annotations

import re
from pathlib import Path

from tinygrad_ed.ops import markdown_table

README = Path(__file__).resolve().parents[1] / "README.md"


def test_op_table_matches_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- op-table:start -->\n(.*?)\n<!-- op-table:end -->", text, re.S)
    assert found, "README lacks the op-table markers"
    assert found.group(1) == markdown_table(), "regenerate the README op table (make readme)"


def test_fifteen_line_example_runs() -> None:
    text = README.read_text(encoding="utf-8")
    code = re.search(r"## Fifteen lines\n\n```python\n(.*?)```", text, re.S)
    assert code
    exec(compile(code.group(1), "README", "exec"), {})

# A fresh machine needs only python3 and make: every target builds .venv on first use.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: install test lint format typecheck check demo bench clean readme

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff format --check tinygrad_ed tests examples
	$(BIN)/ruff check tinygrad_ed tests examples

format: $(STAMP)
	$(BIN)/ruff format tinygrad_ed tests examples
	$(BIN)/ruff check --fix tinygrad_ed tests examples

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

demo: $(STAMP)
	$(BIN)/python examples/demo.py

bench: $(STAMP)
	@for f in tests/benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis out
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

readme: $(STAMP)
	$(BIN)/python -c "import re, pathlib; from tinygrad_ed.ops import markdown_table as t; p = pathlib.Path('README.md'); s = p.read_text(); p.write_text(re.sub(r'(<!-- op-table:start -->\n).*?(<!-- op-table:end -->)', lambda m: m.group(1) + t() + '\n' + m.group(2), s, flags=re.S))"

"""Argument types shared by the command lines of ``python -m tinygrad_ed.viz``: a bad value is
argparse's usage message, not a traceback from deep inside."""

from __future__ import annotations

import argparse


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:  # nan fails too
        raise argparse.ArgumentTypeError(f"must be a number ≥ 0, got {value}")
    return value

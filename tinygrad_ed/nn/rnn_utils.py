"""Padding a batch of sequences of different lengths for the recurrent layers, and undoing it.

PyTorch equivalent: ``torch.nn.utils.rnn.pad_sequence`` and ``unpad_sequence``, reached here
as ``nn.utils.rnn.pad_sequence`` too. ``PackedSequence`` and the ``pack_*`` functions are not
provided: the recurrent layers take padded batches only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..tensor import Tensor, cat, full, stack

__all__ = ["pad_sequence", "unpad_sequence"]


def _sequences(sequences: Any) -> list[Tensor]:
    # A Tensor is a batch of sequences along its dim 0, as torch reads it.
    if isinstance(sequences, Tensor):
        seqs = list(sequences.unbind(0))
    elif isinstance(sequences, (list, tuple)):
        seqs = list(sequences)
    else:
        raise RuntimeError(  # torch's kind here
            "pad_sequence(): sequences must be a Tensor or a list or tuple of Tensors, got "
            f"{type(sequences).__name__}"
        )
    if not seqs:
        raise RuntimeError("pad_sequence(): received an empty list of sequences")
    for i, s in enumerate(seqs):
        if not isinstance(s, Tensor):
            raise TypeError(f"pad_sequence(): sequences[{i}] must be a Tensor, got {type(s)}")
        if s.ndim == 0:
            raise RuntimeError(
                f"pad_sequence(): sequences[{i}] is 0-d; each sequence needs a length dim 0"
            )
        if s.shape[1:] != seqs[0].shape[1:]:
            raise RuntimeError(
                f"pad_sequence(): sequences[0] has shape {seqs[0].shape} and sequences[{i}] "
                f"has shape {s.shape}; all must agree beyond dim 0 (the length)"
            )
    return seqs


def pad_sequence(
    sequences: Tensor | Sequence[Tensor],
    batch_first: bool = False,
    padding_value: float = 0.0,
    padding_side: str = "right",
) -> Tensor:
    """Stack sequences of shapes (Lᵢ, *) into one tensor of shape (max Lᵢ, B, *), or
    (B, max Lᵢ, *) with ``batch_first``, filling the missing steps with ``padding_value``
    after each sequence (``padding_side="right"``) or before it (``"left"``).

    The result has the first sequence's dtype (``padding_value`` and the other sequences are
    converted to it, as torch copies them in). A composition of ``cat`` and ``stack``, so each
    sequence's adjoint is its slice of the output's, x̄ᵢ = ȳ[:Lᵢ, i] (for the right side).
    """
    if not isinstance(batch_first, (bool, np.bool_)):
        raise TypeError(
            f"pad_sequence(): argument 'batch_first' must be bool, not {type(batch_first).__name__}"
        )
    if not isinstance(padding_value, (int, float, np.integer, np.floating)):
        # checked even when nothing is padded, as torch's argument parser does
        raise TypeError(
            "pad_sequence(): argument 'padding_value' must be a number, not "
            f"{type(padding_value).__name__}"
        )
    if not isinstance(padding_side, str):
        raise TypeError(
            "pad_sequence(): argument 'padding_side' must be str, not "
            f"{type(padding_side).__name__}"
        )
    if padding_side not in ("left", "right"):
        raise RuntimeError(
            "pad_sequence(): Expected padding_side to be one of left or right, but got "
            f"{padding_side}."
        )
    seqs = _sequences(sequences)
    dtype = seqs[0].dtype
    length = max(s.shape[0] for s in seqs)
    padded = []
    for s in seqs:
        s = s if s.dtype == dtype else s.to(dtype)
        missing = length - s.shape[0]
        if missing:
            fill = full((missing, *s.shape[1:]), padding_value, dtype=dtype)
            s = cat([s, fill] if padding_side == "right" else [fill, s])
        padded.append(s)
    return stack(padded, dim=0 if batch_first else 1)


def unpad_sequence(
    padded_sequences: Tensor, lengths: Tensor | Sequence[int], batch_first: bool = False
) -> list[Tensor]:
    """The inverse of ``pad_sequence`` (right side): sequence i is ``padded[:lengths[i], i]``,
    or ``padded[i, :lengths[i]]`` with ``batch_first``. ``lengths`` may also be a list of ints
    (torch takes a Tensor only)."""
    if not isinstance(padded_sequences, Tensor):
        raise TypeError(
            "unpad_sequence(): padded_sequences must be a Tensor, got "
            f"{type(padded_sequences).__name__}"
        )
    if padded_sequences.ndim < 2:
        raise RuntimeError(
            "unpad_sequence(): padded_sequences needs a length dim and a batch dim, got shape "
            f"{padded_sequences.shape}"
        )
    if isinstance(lengths, Tensor):
        if lengths.ndim != 1:
            raise RuntimeError(
                f"unpad_sequence(): lengths must be 1-d, one per sequence, got shape "
                f"{lengths.shape}"
            )
        sizes = lengths.tolist()
    elif isinstance(lengths, (list, tuple)):
        sizes = list(lengths)
    else:
        raise TypeError(
            "unpad_sequence(): lengths must be a 1-d Tensor or a list of ints, got "
            f"{type(lengths).__name__}"
        )
    batch = padded_sequences if batch_first else padded_sequences.transpose(0, 1)
    if len(sizes) != batch.shape[0]:
        raise RuntimeError(
            f"unpad_sequence(): {len(sizes)} lengths for a batch of {batch.shape[0]} sequences "
            f"(padded_sequences of shape {padded_sequences.shape}, batch_first={batch_first})"
        )
    out = []
    for i, n in enumerate(sizes):
        if isinstance(n, float) and n.is_integer():
            n = int(n)  # a float lengths tensor, which torch slices with too
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(f"unpad_sequence(): lengths[{i}] must be an int, got {n!r}")
        n = int(n)
        if not 0 <= n <= batch.shape[1]:
            raise RuntimeError(
                f"unpad_sequence(): lengths[{i}] = {n} is outside [0, {batch.shape[1]}], the "
                f"padded length (padded_sequences of shape {padded_sequences.shape})"
            )
        out.append(batch[i, :n])
    return out

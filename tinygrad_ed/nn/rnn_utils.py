"""Batches of sequences of different lengths for the recurrent layers: padded or packed.

PyTorch equivalent: ``torch.nn.utils.rnn`` (``pad_sequence``, ``unpad_sequence``,
``PackedSequence``, ``pack_padded_sequence``, ``pad_packed_sequence``, ``pack_sequence``,
``unpack_sequence``), reached here as ``nn.utils.rnn`` too.

A packed sequence stores the steps time-major without padding: with the sequences sorted by
decreasing length, ``data`` holds step 0 of every sequence, then step 1 of the ``batch_sizes[1]``
sequences still running, and so on. Packing and unpacking are each one integer-array index of
a Tensor, so gradients flow through them as scatter-adds (x̄ = ȳ at the copied positions).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from ..tensor import Tensor, cat, full, stack, tensor

__all__ = [
    "PackedSequence",
    "pack_padded_sequence",
    "pack_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpack_sequence",
    "unpad_sequence",
]


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


# ----------------------------------------------------------------------------- packed sequences


class _PackedSequenceFields(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None = None
    unsorted_indices: Tensor | None = None


class PackedSequence(_PackedSequenceFields):
    """A batch of sequences packed time-major, without padding
    (``torch.nn.utils.rnn.PackedSequence``).

    ``data`` (Σ Lᵢ, *) holds the steps of the sequences sorted by decreasing length: the
    ``batch_sizes[0]`` first steps, then the ``batch_sizes[1]`` second steps, …; ``batch_sizes``
    (int64, one per step) counts the sequences still running at each step. ``sorted_indices[j]``
    is the original position of the j-th longest sequence and ``unsorted_indices`` its inverse;
    both are None when the batch came sorted (``enforce_sorted=True``). Build one with
    ``pack_padded_sequence`` or ``pack_sequence``, not by hand. Built by hand with
    ``sorted_indices`` but no ``unsorted_indices``, the latter is its inverse, as torch's.
    """

    __slots__ = ()

    def __new__(
        cls,
        data: Tensor,
        batch_sizes: Tensor,
        sorted_indices: Tensor | None = None,
        unsorted_indices: Tensor | None = None,
    ) -> PackedSequence:
        if unsorted_indices is None and isinstance(sorted_indices, Tensor):
            order = sorted_indices.data.astype(np.int64)
            if order.ndim == 1 and np.array_equal(np.sort(order), np.arange(order.size)):
                unsorted_indices = tensor(np.argsort(order), dtype=np.int64)
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """The same packing with ``data.to(*args, **kwargs)`` (the indices stay int64)."""
        data = self.data.to(*args, **kwargs)
        return self if data is self.data else self._replace(data=data)

    def cpu(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """Itself (every tensor is on the CPU), or ``to(*args, **kwargs)`` given any."""
        return self.to(*args, **kwargs)

    def cuda(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """Refused, as ``Tensor.cuda``: this library computes with numpy on the CPU (torch
        without CUDA refuses too)."""
        return self._replace(data=self.data.cuda(*args, **kwargs))

    def pin_memory(self) -> PackedSequence:
        """Refused, as torch refuses it without an accelerator to pin memory for."""
        raise RuntimeError(
            "PackedSequence.pin_memory(): cannot pin memory: no accelerator device here "
            "(tinygrad_ed runs on the CPU)"
        )

    # The data in another dtype, the indices unchanged, as torch's (itself when it has it).

    def double(self) -> PackedSequence:
        return self.to(np.float64)

    def float(self) -> PackedSequence:
        return self.to(np.float32)

    def half(self) -> PackedSequence:
        return self.to(np.float16)

    def long(self) -> PackedSequence:
        return self.to(np.int64)

    def int(self) -> PackedSequence:
        return self.to(np.int32)

    def short(self) -> PackedSequence:
        return self.to(np.int16)

    def char(self) -> PackedSequence:
        return self.to(np.int8)

    def byte(self) -> PackedSequence:
        return self.to(np.uint8)

    @property
    def is_cuda(self) -> bool:
        """Always False: this library runs on the CPU."""
        return False

    def is_pinned(self) -> bool:
        """Always False, as a CPU tensor that was not pinned."""
        return False


def _lengths(lengths: Any, op: str) -> np.ndarray:
    """``lengths`` as a 1-d int64 array: a 1-d integer Tensor (any integer dtype, as torch's
    ``as_tensor(lengths, dtype=int64)``) or a list of ints. Floats are refused, where torch
    truncates them (3.5 → 3) without a word."""
    if isinstance(lengths, Tensor):
        if lengths.ndim != 1 or lengths.dtype.kind not in "iu":
            raise RuntimeError(
                f"{op}(): 'lengths' argument should be a 1D integer tensor, but got a "
                f"{lengths.ndim}D tensor of dtype {lengths.dtype}"
            )
        return lengths.data.astype(np.int64)
    if isinstance(lengths, (list, tuple)):
        for i, n in enumerate(lengths):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
                raise TypeError(f"{op}(): lengths[{i}] must be an int, got {n!r}")
        return np.asarray(lengths, dtype=np.int64).reshape(-1)
    raise TypeError(
        f"{op}(): lengths must be a 1-d int64 Tensor or a list of ints, got "
        f"{type(lengths).__name__}"
    )


def pack_padded_sequence(
    input: Tensor, lengths: Any, batch_first: bool = False, enforce_sorted: bool = True
) -> PackedSequence:
    """Pack a padded batch (T, B, *), or (B, T, *) with ``batch_first``, whose sequence b has
    ``lengths[b]`` steps (``torch.nn.utils.rnn.pack_padded_sequence``).

    With ``enforce_sorted`` the lengths must be in decreasing order; otherwise the batch is
    sorted first (stably, as torch) and the permutation kept in ``sorted_indices``. ``data[k] =
    input[t, sorted_indices[b]]`` for the k-th (t, b) in step-major order, one index op, so
    x̄[t, b] = data̅[k] at the copied steps and 0 in the padding. A length outside [1, T] is a
    RuntimeError (torch reads past the end for a length above T).
    """
    op = "pack_padded_sequence"
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}(): input must be a Tensor, got {type(input).__name__}")
    if input.ndim < 2:
        raise RuntimeError(
            f"{op}(): input needs a time dim and a batch dim, got shape {input.shape}"
        )
    sizes = _lengths(lengths, op)
    x = input.transpose(0, 1) if batch_first else input
    T, B = x.shape[0], x.shape[1]
    if sizes.size != B:
        raise RuntimeError(
            f"Expected `len(lengths)` to be equal to batch_size, but got {sizes.size} "
            f"(batch_size={B})"
        )
    if (sizes <= 0).any():
        raise RuntimeError(
            "Length of all samples has to be greater than 0, but found an element in 'lengths' "
            f"that is <= 0 (lengths {sizes.tolist()})"
        )
    if (sizes > T).any():
        raise RuntimeError(
            f"{op}(): lengths {sizes.tolist()} exceed the padded length {T} (input of shape "
            f"{input.shape}, batch_first={batch_first})"
        )
    if enforce_sorted:
        if (np.diff(sizes) > 0).any():
            raise RuntimeError(
                "`lengths` array must be sorted in decreasing order when `enforce_sorted` is "
                "True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or "
                f"pack_sequence to sidestep this requirement (lengths {sizes.tolist()})"
            )
        order = np.arange(B)
        sorted_indices = unsorted_indices = None
    else:
        order = np.argsort(-sizes, kind="stable")
        sorted_indices = tensor(order, dtype=np.int64)
        unsorted_indices = tensor(np.argsort(order), dtype=np.int64)
    batch_sizes = _batch_sizes(sizes[order])
    steps, slots = _packed_positions(batch_sizes)
    data = x[steps, order[slots]]
    return PackedSequence(
        data, tensor(batch_sizes, dtype=np.int64), sorted_indices, unsorted_indices
    )


def _check_packed(sequence: Any, op: str) -> PackedSequence:
    if not isinstance(sequence, PackedSequence):
        raise TypeError(f"{op}(): expected a PackedSequence, got {type(sequence).__name__}")
    for name in ("data", "batch_sizes"):
        if not isinstance(getattr(sequence, name), Tensor):
            raise TypeError(
                f"{op}(): the PackedSequence's {name} must be a Tensor, got "
                f"{type(getattr(sequence, name)).__name__}"
            )
    return sequence


def _batch_sizes(lengths: np.ndarray) -> np.ndarray:
    """How many of the sequences (lengths sorted decreasing) are still running at each step."""
    counts: np.ndarray = (lengths[None, :] > np.arange(int(lengths[0]))[:, None]).sum(1)
    return counts


def _packed_lengths(batch_sizes: np.ndarray) -> np.ndarray:
    """Each sequence's length, in sorted order (decreasing): the inverse of ``_batch_sizes``."""
    lengths: np.ndarray = (batch_sizes[None, :] > np.arange(int(batch_sizes[0]))[:, None]).sum(1)
    return lengths


def _packed_positions(batch_sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (step, slot in the sorted batch) of every row of a packed ``data``, in its order."""
    steps = np.repeat(np.arange(batch_sizes.size), batch_sizes)
    slots = np.concatenate([np.arange(n) for n in batch_sizes])
    return steps, slots


def _pad_sorted(data: Tensor, batch_sizes: np.ndarray, T: int, padding_value: float) -> Tensor:
    """The packed rows as a padded (T, B, *) batch in the sorted order: one index op into
    ``data`` with a ``padding_value`` row appended, so data̅[k] = ȳ[t, b] where row k went."""
    if batch_sizes.ndim != 1 or batch_sizes.size == 0 or batch_sizes.sum() != data.shape[0]:
        raise RuntimeError(
            f"PackedSequence: batch_sizes {batch_sizes.tolist()} do not add up to the "
            f"{data.shape[0]} rows of data (shape {data.shape})"
        )
    # sequences sorted by decreasing length leave the batch one by one, never rejoin it
    if batch_sizes.min() < 1 or np.any(np.diff(batch_sizes) > 0):
        raise RuntimeError(
            f"PackedSequence: batch_sizes {batch_sizes.tolist()} must be positive and "
            "non-increasing (sequences sorted by decreasing length)"
        )
    steps, slots = _packed_positions(batch_sizes)
    rows = np.full((T, int(batch_sizes[0])), data.shape[0], dtype=np.int64)  # the padding row
    rows[steps, slots] = np.arange(data.shape[0])
    pad_row = full((1, *data.shape[1:]), padding_value, dtype=data.dtype)
    return cat([data, pad_row])[rows]


def pad_packed_sequence(
    sequence: PackedSequence,
    batch_first: bool = False,
    padding_value: float = 0.0,
    total_length: int | None = None,
) -> tuple[Tensor, Tensor]:
    """The inverse of ``pack_padded_sequence`` (``torch.nn.utils.rnn.pad_packed_sequence``):
    ``(padded, lengths)`` with padded (T, B, *), or (B, T, *) with ``batch_first``, in the
    original batch order, the steps past each length set to ``padding_value``, and T the
    longest length or ``total_length``; ``lengths`` is int64.

    One index op into ``data`` with a padding row appended, so data̅[k] = ȳ[t, b] at the
    position each packed step went to.
    """
    op = "pad_packed_sequence"
    seq = _check_packed(sequence, op)
    if not isinstance(padding_value, (int, float, np.integer, np.floating)) or isinstance(
        padding_value, bool
    ):
        raise TypeError(f"{op}(): padding_value must be a number, got {padding_value!r}")
    batch_sizes = seq.batch_sizes.data.astype(np.int64)
    longest = int(batch_sizes.size)
    if total_length is None:
        T = longest
    else:
        if isinstance(total_length, bool) or not isinstance(total_length, (int, np.integer)):
            raise TypeError(f"{op}(): total_length must be an int or None, got {total_length!r}")
        if total_length < longest:
            raise ValueError(
                "Expected total_length to be at least the length of the longest sequence in "
                f"input, but got total_length={total_length} and max sequence length being "
                f"{longest}"
            )
        T = int(total_length)
    padded = _pad_sorted(seq.data, batch_sizes, T, padding_value)
    lengths = _packed_lengths(batch_sizes)
    if seq.unsorted_indices is not None:
        padded = padded.index_select(1, seq.unsorted_indices)
        lengths = lengths[seq.unsorted_indices.data]
    if batch_first:
        padded = padded.transpose(0, 1)
    return padded, tensor(lengths, dtype=np.int64)


def pack_sequence(sequences: Sequence[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of sequences of shapes (Lᵢ, *) (``torch.nn.utils.rnn.pack_sequence``):
    ``pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=...)``."""
    seqs = _sequences(sequences)
    lengths = [s.shape[0] for s in seqs]
    return pack_padded_sequence(pad_sequence(seqs), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """The list of sequences a packed sequence holds, in the original order
    (``torch.nn.utils.rnn.unpack_sequence``)."""
    seq = _check_packed(packed_sequences, "unpack_sequence")
    padded, lengths = pad_packed_sequence(seq, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)

"""Devices, torch's CPU subset: ``tg.device("cpu")`` and the ``device=`` arguments.

tinygrad_ed computes with numpy on the CPU, so the CPU is the only device there is. torch code
names it anyway (``device = torch.device("cpu")``, ``torch.zeros(3, device=device)``,
``x.to(device)``), and runs here unchanged: every ``device=`` takes None, ``'cpu'``,
``'cpu:0'``, a ``tg.device('cpu')`` or a ``torch.device('cpu')``. As in torch, a device that is
not here may be named (``tg.device("cuda")``), but using it is refused, with one message.
"""

from __future__ import annotations

import re
from typing import Any, Protocol, Union

# torch 2.13's device types, in its order: the words a device string may start with.
# fmt: off
_DEVICE_TYPES = (
    "cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga",
    "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone",
)
# fmt: on

_type_of = type  # inside device(), ``type`` is its first parameter, as in torch's

_NO_DEVICE = (
    "{op}: tinygrad_ed computes with numpy on the CPU; there is no device {device} (use 'cpu', "
    "or leave the device out)"
)


class device:
    """A device: its ``type`` ('cpu', 'cuda', …) and ``index`` (None: the current one)
    (``torch.device``). ``device("cpu")``, ``device("cpu:0")`` and ``device("cpu", 0)`` are the
    CPU; the other types may be named, as in torch without a GPU, but not used.

    As torch's: immutable; ``str`` is ``'cpu'`` or ``'cuda:1'``; equal to another device of the
    same type and index only (``device("cpu") != device("cpu", 0)``, and a device is never equal
    to a string), and hashed to match.
    """

    __slots__ = ("_index", "_type")

    _type: str
    _index: int | None

    def __init__(self, type: str | device | _DeviceObject, index: int | None = None) -> None:
        if index is not None and (isinstance(index, bool) or not isinstance(index, int)):
            raise TypeError(
                f"device(): argument 'index' (position 2) must be int, not "
                f"{_type_of(index).__name__}"
            )
        if index is not None and index < 0:
            raise RuntimeError(f"device(): device index must not be negative, got {index}")
        if isinstance(type, str):
            kind, parsed = _parse(type, "device()")
            if parsed is not None and index is not None:
                raise RuntimeError(
                    f"device(): type (string) must not include an index because index was "
                    f"passed explicitly: {type}"
                )
            self._type, self._index = kind, parsed if index is None else index
        elif _is_device_object(type) and index is None:  # a copy, of ours or torch's
            self._type, self._index = str(type.type), type.index
        elif isinstance(type, int) and not isinstance(type, bool):
            raise RuntimeError(_NO_DEVICE.format(op="device()", device=f"{type} (an accelerator)"))
        else:
            raise TypeError(
                f"device(): expected a device string such as 'cpu' or 'cpu:0' (and an optional "
                f"index), got {type!r}" + ("" if index is None else f" and {index!r}")
            )

    @property
    def type(self) -> str:
        """The device type: 'cpu', 'cuda', …"""
        return self._type

    @property
    def index(self) -> int | None:
        """The device's index among those of its type, or None (the current one)."""
        return self._index

    def __repr__(self) -> str:
        index = "" if self._index is None else f", index={self._index}"
        return f"device(type='{self._type}'{index})"

    def __str__(self) -> str:
        return self._type if self._index is None else f"{self._type}:{self._index}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, device):
            return NotImplemented
        return (self._type, self._index) == (other._type, other._index)

    def __hash__(self) -> int:
        return hash((self._type, self._index))

    def __reduce__(self) -> tuple[Any, ...]:
        return (device, (self._type, self._index))


class _DeviceObject(Protocol):
    """Anything with a device's ``type`` and ``index``: a ``tg.device`` or a ``torch.device``."""

    @property
    def type(self) -> str: ...

    @property
    def index(self) -> int | None: ...


# What ``device=`` takes: a device (ours or torch's), a device string, or None (the CPU).
DeviceLike = Union[device, _DeviceObject, str, None]  # noqa: UP007 - a runtime alias on 3.10


def _parse(text: str, op: str) -> tuple[str, int | None]:
    """A device string's type and index, refused as torch refuses it ('gpu', 'cpu:x', '')."""
    if not text:
        raise RuntimeError(f"{op}: device string must not be empty")
    match = re.fullmatch(r"([A-Za-z_]+)(?::(0|[1-9][0-9]*))?", text)
    if match is None:
        raise RuntimeError(f"{op}: invalid device string: {text!r}")
    kind, index = match.groups()
    if kind not in _DEVICE_TYPES:
        raise RuntimeError(
            f"{op}: expected one of {', '.join(_DEVICE_TYPES)} device type at start of device "
            f"string: {text}"
        )
    return kind, None if index is None else int(index)


def _is_device_object(value: Any) -> bool:
    """A ``tg.device`` or a ``torch.device`` (recognised by name: torch is never imported)."""
    return isinstance(value, device) or (
        _type_of(value).__name__ == "device" and isinstance(getattr(value, "type", None), str)
    )


def _is_device(value: Any) -> bool:
    """A device or a device string ('cpu', 'cuda:0', 'mps'), as opposed to a dtype."""
    if _is_device_object(value):
        return True
    return isinstance(value, str) and value.split(":")[0] in _DEVICE_TYPES


def _check_device(value: Any, op: str) -> None:
    """Refuse any device but the CPU, naming ``op``: None, 'cpu', 'cpu:0', ``tg.device('cpu')``
    and ``torch.device('cpu')`` pass (torch takes any index for its CPU, and so does this)."""
    if value is None:
        return
    if isinstance(value, str):
        kind = _parse(value, op)[0]  # a malformed string is refused as torch refuses it
    elif _is_device_object(value):
        kind = value.type
    elif isinstance(value, int) and not isinstance(value, bool):
        kind = ""  # torch's accelerator number
    else:
        raise TypeError(
            f"{op}: device must be a device or a string such as 'cpu', got {value!r} "
            f"({_type_of(value).__name__})"
        )
    if kind != "cpu":
        raise RuntimeError(_NO_DEVICE.format(op=op, device=repr(str(value))))


CPU = device("cpu")  # every tensor's ``device``


def set_default_device(device: Any) -> None:
    """``torch.set_default_device``: the device of tensors made without ``device=``. Only the
    CPU (or None, torch's way back to it) is taken: any other device is refused here, at once,
    where torch refuses the first tensor made on it."""
    _check_device(device, "set_default_device()")


def get_default_device() -> device:
    """The CPU: the device of every tensor here (``torch.get_default_device``)."""
    return CPU

"""save/load: safe .npz checkpoints that restore identical predictions, and clear errors."""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import nn, optim
from tinygrad_ed.serialization import load, save
from tinygrad_ed.tensor import Tensor


def mlp(seed: int) -> nn.Sequential:
    tg.manual_seed(seed)
    return nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 3))


def test_round_trip_restores_identical_predictions(tmp_path: Path) -> None:
    model = mlp(0)
    path = tmp_path / "model.ckpt"
    save(model.state_dict(), path)
    assert path.exists()  # written at exactly the given path (no .npz appended)
    other = mlp(1)
    x = tg.randn(5, 8)
    assert not np.array_equal(model.eval()(x).data, other.eval()(x).data)
    other.load_state_dict(load(path))
    np.testing.assert_array_equal(model(x).data, other(x).data)


def test_loaded_state_dict_has_same_keys_dtypes_and_values(tmp_path: Path) -> None:
    model = mlp(0).double()
    save(model.state_dict(), str(tmp_path / "m.npz"))
    back = load(str(tmp_path / "m.npz"))
    assert list(back) == list(model.state_dict())
    for key, value in model.state_dict().items():
        assert type(back[key]) is Tensor
        assert back[key].dtype == np.float64
        np.testing.assert_array_equal(back[key].data, value.data)


def test_nested_containers_and_scalars_round_trip(tmp_path: Path) -> None:
    obj: dict[Any, Any] = {
        "tensor": tg.tensor([[1, 2], [3, 4]]),
        "grad": tg.tensor([1.0, 2.0], requires_grad=True),
        "param": nn.Parameter(tg.tensor([0.5])),
        "array": np.arange(6, dtype=np.float32).reshape(2, 3),
        "bools": np.array([True, False]),
        "npscalar": np.float64(2.5),
        "int": 3,
        "float": 0.1,
        "nan": float("nan"),
        "inf": -math.inf,
        "bool": True,
        "none": None,
        "str": "résumé",
        "list": [1, [2.0, "x"], {"k": np.zeros(1)}],
        "tuple": (0.9, 0.999),
        0: "int key",
        1.5: "float key",
        "empty": {},
    }
    save(obj, tmp_path / "obj")
    back = load(tmp_path / "obj")
    assert set(back) == set(obj)
    assert back["tensor"].dtype == np.int64 and back["tensor"].tolist() == [[1, 2], [3, 4]]
    assert back["grad"].requires_grad and not back["tensor"].requires_grad
    assert type(back["param"]) is nn.Parameter and back["param"].requires_grad
    assert back["array"].dtype == np.float32 and isinstance(back["array"], np.ndarray)
    assert back["bools"].dtype == np.bool_
    assert back["npscalar"] == 2.5 and isinstance(back["npscalar"], np.float64)
    assert back["int"] == 3 and type(back["int"]) is int
    assert back["float"] == 0.1 and math.isnan(back["nan"]) and back["inf"] == -math.inf
    assert back["bool"] is True and back["none"] is None and back["str"] == "résumé"
    assert back["list"][:2] == [1, [2.0, "x"]]
    assert back["tuple"] == (0.9, 0.999) and isinstance(back["tuple"], tuple)
    assert back[0] == "int key" and back[1.5] == "float key" and back["empty"] == {}


def test_file_objects_work() -> None:
    buf = io.BytesIO()
    save({"w": tg.ones(2)}, buf)
    buf.seek(0)
    np.testing.assert_array_equal(load(buf)["w"].data, [1.0, 1.0])


def test_saved_file_contains_no_pickles(tmp_path: Path) -> None:
    save(mlp(0).state_dict(), tmp_path / "m")
    with np.load(tmp_path / "m", allow_pickle=False) as archive:
        for name in archive.files:
            assert archive[name].dtype != object


def test_optimizer_and_scheduler_checkpoint_resumes_training(tmp_path: Path) -> None:
    x, y = tg.randn(16, 8), tg.tensor(np.arange(16) % 3)
    loss_fn = nn.CrossEntropyLoss()

    def train(model: nn.Module, opt: optim.Adam, steps: int) -> None:
        for _ in range(steps):
            opt.zero_grad()
            loss_fn(model(x), y).backward()
            opt.step()

    a = mlp(0).eval()  # eval: no dropout, so runs are deterministic
    opt_a = optim.Adam(a.parameters(), lr=0.01)
    train(a, opt_a, 3)
    save({"model": a.state_dict(), "opt": opt_a.state_dict(), "epoch": 3}, tmp_path / "ck")
    train(a, opt_a, 2)

    ck = load(tmp_path / "ck")
    b = mlp(5).eval()
    opt_b = optim.Adam(b.parameters(), lr=0.5)
    b.load_state_dict(ck["model"])
    opt_b.load_state_dict(ck["opt"])
    assert ck["epoch"] == 3 and opt_b.param_groups[0]["lr"] == 0.01
    train(b, opt_b, 2)
    for pa, pb in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(pa.data, pb.data)


def test_missing_key_after_load_is_reported_by_load_state_dict(tmp_path: Path) -> None:
    sd = mlp(0).state_dict()
    del sd["3.bias"]
    save(sd, tmp_path / "partial")
    with pytest.raises(RuntimeError, match=r'Missing key\(s\) in state_dict: "3.bias"'):
        mlp(1).load_state_dict(load(tmp_path / "partial"))


def test_shape_mismatch_after_load_names_key_and_shapes(tmp_path: Path) -> None:
    save(nn.Linear(8, 4).state_dict(), tmp_path / "small")
    with pytest.raises(RuntimeError, match=r"size mismatch for weight.*\(4, 8\).*\(3, 8\)"):
        nn.Linear(8, 3).load_state_dict(load(tmp_path / "small"))


def test_truncated_file_raises_value_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "model.ckpt"
    save(mlp(0).state_dict(), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"model\.ckpt"):
        load(path)


def test_garbage_file_raises_value_error(tmp_path: Path) -> None:
    path = tmp_path / "junk"
    path.write_bytes(b"definitely not a zip archive" * 10)
    with pytest.raises(ValueError, match="junk"):
        load(path)


def test_corrupted_member_raises_value_error(tmp_path: Path) -> None:
    path = tmp_path / "flipped"
    save({"w": tg.ones(1000)}, path)
    raw = bytearray(path.read_bytes())
    start = raw.index(b"\x00\x00\x80?")  # the float32 1.0s of the array member
    raw[start : start + 64] = b"\xff" * 64
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="flipped"):
        load(path)


def test_foreign_npz_and_missing_array_members(tmp_path: Path) -> None:
    plain = tmp_path / "plain.npz"
    np.savez(plain, w=np.zeros(2))
    with pytest.raises(ValueError, match="__structure__"):
        load(plain)
    # An archive whose structure names an array that is not there.
    path = tmp_path / "holes"
    save({"w": tg.ones(2)}, path)
    with zipfile.ZipFile(path) as zin:
        structure = zin.read("__structure__.npy")
    with zipfile.ZipFile(path, "w") as zout:
        zout.writestr("__structure__.npy", structure)
    with pytest.raises(ValueError, match="'a0' is missing"):
        load(path)
    single = tmp_path / "single.npy"
    np.save(single, np.zeros(2))
    with pytest.raises(ValueError, match=r"single \.npy array"):
        load(single)


def test_pickled_content_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.npz"
    np.savez(path, __structure__=np.array(["x", None], dtype=object))
    with pytest.raises(ValueError, match=r"evil\.npz"):
        load(path)


def test_missing_file_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nope.ckpt")


def test_unsupported_objects_are_refused_naming_where(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"obj\['fn'\]"):
        save({"fn": print}, tmp_path / "x")
    with pytest.raises(TypeError, match="dtype object"):
        save({"a": np.array([None])}, tmp_path / "x")
    with pytest.raises(TypeError, match=r"type Linear at obj; .*save its state_dict\(\) instead"):
        save(nn.Linear(2, 2), tmp_path / "x")
    with pytest.raises(TypeError, match="dict keys"):
        save({(1, 2): 3}, tmp_path / "x")


def test_what_save_cannot_load_back_is_refused(tmp_path: Path) -> None:
    from collections import namedtuple

    pair = namedtuple("pair", "x y")
    with pytest.raises(TypeError, match="type pair"):
        tg.save({"opt": pair(1, 2)}, tmp_path / "f.tg")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(ValueError, match="not a zip archive") as info:
        tg.load(text)
    assert "allow_pickle" not in str(info.value)


def test_a_malformed_structure_names_the_file(tmp_path: Path) -> None:
    import json

    path = tmp_path / "bad.tg"
    tg.save({"a": 1}, path)
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    header = {"format": "tinygrad_ed.save/1", "tree": {"kind": "int", "value": "x"}}
    buf = io.BytesIO()
    np.save(buf, np.array(json.dumps(header)))
    members["__structure__.npy"] = buf.getvalue()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    with pytest.raises(ValueError, match=r"load\(\): .*bad.tg.*malformed structure"):
        tg.load(path)


def test_torchs_load_arguments(tmp_path: Path) -> None:
    """``torch.load(PATH, weights_only=True)`` and ``map_location`` (the saving-and-loading
    tutorial's calls) run unchanged: the same state back, the CPU the only place to map to."""
    model = mlp(0).double()
    path = tmp_path / "model.pt"
    save(model.state_dict(), path)
    cpu_names = (None, "cpu", "cpu:0", tg.device("cpu"), {"cuda:0": "cpu"})
    for weights_only in (None, True, False):
        for where in cpu_names:
            back = tg.load(path, map_location=where, weights_only=weights_only)
            assert list(back) == list(model.state_dict())
            for key, value in model.state_dict().items():
                assert np.array_equal(back[key].data, value.data) and back[key].dtype == value.dtype
    with pytest.raises(RuntimeError, match=r"load\(map_location=\.\.\.\).*no device 'cuda'"):
        tg.load(path, map_location="cuda")
    with pytest.raises(RuntimeError, match="no device 'cuda:1'"):
        tg.load(path, map_location={"cpu": "cuda:1"})
    with pytest.raises(TypeError, match="map_location as a function"):
        tg.load(path, map_location=lambda storage, loc: storage)
    torch = pytest.importorskip("torch")
    theirs = tmp_path / "theirs.pt"
    torch.save({k: torch.tensor(v.data) for k, v in model.state_dict().items()}, theirs)
    loaded = torch.load(theirs, map_location=torch.device("cpu"), weights_only=True)
    back = tg.load(path, map_location=torch.device("cpu"), weights_only=True)
    assert list(loaded) == list(back)
    for key, value in loaded.items():
        assert np.array_equal(back[key].data, value.numpy())

"""Runs archives that torchwick saved in real PyTorch: torch.jit.load, forward on the fixture inputs.

Usage: python3 tools/roundtrip/check_in_pytorch.py DIR OUT
DIR holds cases.json, <case>.pt and the input .npy files (tools/roundtrip/save_archives.mjs writes
them). Writes OUT/roundtrip_outputs.tar with <case>.output<K>.npy for every case that ran and
report.json (torch version, per-case status and the max abs difference from the fixture output when
DIR has it), so one call of the device machine brings everything back in one file.
"""
import io
import json
import os
import sys
import tarfile
import traceback

import numpy as np
import torch


def flatten(out):
    if isinstance(out, torch.Tensor):
        return [out]
    if isinstance(out, (list, tuple)):
        return [t for o in out for t in flatten(o)]
    raise TypeError(f"unexpected output type {type(out).__name__}")


def main(src, dst):
    os.makedirs(dst, exist_ok=True)
    with open(os.path.join(src, "cases.json")) as f:
        cases = json.load(f)
    report = {"torch": torch.__version__, "cases": {}}
    with tarfile.open(os.path.join(dst, "roundtrip_outputs.tar"), "w") as tar:
        for case in cases:
            name = case["name"]
            entry = report["cases"].setdefault(name, {})
            try:
                module = torch.jit.load(os.path.join(src, f"{name}.pt"), map_location="cpu")
                module.eval()
                args = [torch.from_numpy(np.load(os.path.join(src, a["npy"]))) if isinstance(a, dict) else a
                        for a in case["inputs"]]
                with torch.no_grad():
                    outs = flatten(module(*args))
                for k, t in enumerate(outs):
                    buf = io.BytesIO()
                    np.save(buf, t.detach().contiguous().numpy())
                    info = tarfile.TarInfo(f"{name}.output{k}.npy")
                    info.size = buf.tell()
                    buf.seek(0)
                    tar.addfile(info, buf)
                    ref = os.path.join(src, f"{case['fixture']}.output{k}.npy")
                    if os.path.exists(ref):
                        expected = torch.from_numpy(np.load(ref))
                        entry[f"max_abs_diff{k}"] = (float((t - expected).abs().max()) if t.shape == expected.shape
                                                     else f"shape {list(t.shape)} != {list(expected.shape)}")
                entry["status"] = "ok"
                entry["outputs"] = len(outs)
            except Exception:  # one broken archive must not hide the others' results
                entry["status"] = "error"
                entry["error"] = traceback.format_exc()
            print(name, json.dumps(entry)[:2000], flush=True)
    with open(os.path.join(dst, "report.json"), "w") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

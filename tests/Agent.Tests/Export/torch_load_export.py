"""Loads a DqnStudy export with PyTorch and nothing of DqnStudy, and prints its Q-values for given inputs.

usage: python3 torch_load_export.py MANIFEST.json INPUTS.json
  MANIFEST.json  the manifest `export` writes beside the .safetensors file
  INPUTS.json    a list of observations (each a flat list of floats)
prints JSON: {"q": [[...], ...], "argmax": [...], "torch": version, "tensors": [names]}

The safetensors file is parsed here by hand (8-byte little-endian header length, JSON header, raw float32 data), so
the test needs only Debian's python3-torch; where the `safetensors` package is installed its loader must agree.
The torch.nn.Sequential is rebuilt from the manifest's layers: only torch.nn classes from a fixed list, with
literal arguments, are accepted (nothing from the file is executed).
"""
import ast
import json
import os
import struct
import sys

import torch

ALLOWED = {"Linear", "Conv2d", "Flatten", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Identity"}


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    header.pop("__metadata__", None)
    body = data[8 + length:]
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError(f"{name}: dtype {info['dtype']}, expected F32")
        begin, end = info["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(body[begin:end]), dtype=torch.float32).reshape(info["shape"])
    return tensors


def module(layer):
    call = ast.parse(layer["torch"], mode="eval").body
    kind = layer["type"]
    if kind not in ALLOWED or not isinstance(call, ast.Call) or ast.unparse(call.func) != "torch.nn." + kind:
        raise ValueError(f"unexpected module {layer['torch']!r}")
    args = [ast.literal_eval(a) for a in call.args]
    kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    return getattr(torch.nn, kind)(*args, **kwargs)


def main():
    manifest_path, inputs_path = sys.argv[1], sys.argv[2]
    with open(manifest_path) as f:
        manifest = json.load(f)
    weights = os.path.join(os.path.dirname(os.path.abspath(manifest_path)), manifest["weights"])
    tensors = load_safetensors(weights)
    try:
        from safetensors.torch import load_file
        for name, tensor in load_file(weights).items():
            assert torch.equal(tensor, tensors[name]), name
    except ImportError:
        pass
    model = torch.nn.Sequential(*[module(layer) for layer in sorted(manifest["layers"], key=lambda l: l["index"])])
    model.load_state_dict(tensors, strict=True)
    with open(inputs_path) as f:
        inputs = torch.tensor(json.load(f), dtype=torch.float32).reshape([-1] + manifest["input_shape"])
    with torch.no_grad():
        q = model(inputs)
    print(json.dumps({"q": q.tolist(), "argmax": q.argmax(dim=1).tolist(), "torch": torch.__version__,
                      "tensors": sorted(tensors)}))


if __name__ == "__main__":
    main()

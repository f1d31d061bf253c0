"""Loads a DqnStudy export with PyTorch and nothing of DqnStudy, and prints its Q-values for given inputs.

usage: python3 torch_load_export.py MANIFEST.json INPUTS.json
  MANIFEST.json  the manifest `export` writes beside the .safetensors file
  INPUTS.json    architecture "sequential": a list of observations (each a flat list of floats);
                 architecture "recurrent": a list of equally long observation sequences (each a list of observations),
                 each read from a zero hidden state
prints JSON: {"q": [[...], ...], "argmax": [...], "torch": version, "tensors": [names]}
  (recurrent: q is (sequences, time, actions) and argmax (sequences, time))

The safetensors file is parsed here by hand (8-byte little-endian header length, JSON header, raw float32 data), so
the test needs only Debian's python3-torch; where the `safetensors` package is installed its loader must agree.
The module is rebuilt from the manifest: a torch.nn.Sequential of its layers, or for a recurrent network a module
with `rnn` (torch.nn.RNN or torch.nn.LSTM) and `head` (that Sequential). Only torch.nn classes from fixed lists,
with literal arguments, are accepted (nothing from the file is executed; the manifest's "python" text is not run).
"""
import ast
import json
import os
import struct
import sys

import torch

ALLOWED = {"Linear", "Conv2d", "Flatten", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Identity"}
ALLOWED_CELLS = {"RNN", "LSTM"}


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


def module(layer, allowed=ALLOWED):
    call = ast.parse(layer["torch"], mode="eval").body
    kind = layer["type"]
    if kind not in allowed or not isinstance(call, ast.Call) or ast.unparse(call.func) != "torch.nn." + kind:
        raise ValueError(f"unexpected module {layer['torch']!r}")
    args = [ast.literal_eval(a) for a in call.args]
    kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    return getattr(torch.nn, kind)(*args, **kwargs)


class RecurrentQ(torch.nn.Module):
    """The module a recurrent export's manifest describes: Q-values of step t are head(h_t)."""

    def __init__(self, rnn, head):
        super().__init__()
        if not rnn.batch_first or rnn.num_layers != 1 or rnn.bidirectional:
            raise ValueError("expected a one-layer, one-direction, batch_first cell")
        self.rnn = rnn
        self.head = head

    def forward(self, x, state=None):
        h, state = self.rnn(x, state)
        return self.head(h), state


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
    head = torch.nn.Sequential(*[module(layer) for layer in sorted(manifest["layers"], key=lambda l: l["index"])])
    architecture = manifest.get("architecture", "sequential")
    if architecture == "sequential":
        model = head
    elif architecture == "recurrent":
        cell = manifest["recurrent"]
        if cell["module"] != "rnn" or manifest["layers_module"] != "head":
            raise ValueError(f"unexpected submodule names {cell['module']!r}, {manifest['layers_module']!r}")
        model = RecurrentQ(module(cell, ALLOWED_CELLS), head)
    else:
        raise ValueError(f"unknown architecture {architecture!r}")
    model.load_state_dict(tensors, strict=True)
    with open(inputs_path) as f:
        inputs = torch.tensor(json.load(f), dtype=torch.float32)
    with torch.no_grad():
        if architecture == "sequential":
            q = model(inputs.reshape([-1] + manifest["input_shape"]))
        else:
            q, _ = model(inputs.reshape([inputs.shape[0], inputs.shape[1]] + manifest["input_shape"]))
    print(json.dumps({"q": q.tolist(), "argmax": q.argmax(dim=-1).tolist(), "torch": torch.__version__,
                      "tensors": sorted(tensors)}))


if __name__ == "__main__":
    main()

"""Counts the multiply-accumulates of one MedSAM encoding and one decoding.

Usage: /usr/bin/python3 models/count_macs.py [--config vit_b]

Runs the project's PyTorch model once on a zero image and one box with
seeded weights: the encoder, the reference decoder (`MedSAM.decode`) and
the factored decoder that decoder.onnx is exported from (`DecoderGraph`).
It adds up one multiply-accumulate per weight or operand use in every
linear layer, convolution, transposed convolution, matrix product and
einsum. Softmax,
normalisation and elementwise ops are left out: they are memory-bound and
do a few operations per value. Dividing the count by a runtime's measured
time gives the rate it sustained, which is how docs/benchmarks.md compares
WebAssembly with native kernels. Prints one JSON object.
"""

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.overrides import TorchFunctionMode  # noqa: E402

from medsam.config import CONFIGS  # noqa: E402
from medsam.decoder_graph import DecoderGraph  # noqa: E402
from medsam.weights import build_model  # noqa: E402


def einsum_macs(equation, operands):
    """Product of the sizes of every index in the equation: one term per combination."""
    inputs = equation.replace(" ", "").split("->")[0].split(",")
    sizes = {}
    for letters, operand in zip(inputs, operands):
        for letter, size in zip(letters, operand.shape):
            sizes[letter] = size
    return math.prod(sizes.values())


class MacCounter(TorchFunctionMode):
    """Adds up, per op, the multiply-accumulates of the torch calls made while it is active."""

    def __init__(self):
        super().__init__()
        self.macs = defaultdict(int)

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        if func is F.linear:
            source, weight = args[0], args[1]
            self.macs["linear"] += source.numel() // source.shape[-1] * weight.numel()
        elif func in (torch.matmul, torch.Tensor.matmul, torch.Tensor.__matmul__):
            self.macs["matmul"] += out.numel() * args[0].shape[-1]
        elif func is F.conv2d:
            weight = args[1]
            self.macs["conv2d"] += out.numel() * math.prod(weight.shape[1:])
        elif func is F.conv_transpose2d:
            source, weight = args[0], args[1]
            self.macs["conv_transpose2d"] += source.numel() * math.prod(weight.shape[1:])
        elif func is torch.einsum:
            equation, *operands = args
            if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
                operands = list(operands[0])
            self.macs["einsum"] += einsum_macs(equation, operands)
        return out


def count(config):
    model = build_model(config, None, 1)
    image = torch.zeros(1, 3, 1024, 1024)
    box = torch.tensor([[100.0, 100.0, 400.0, 400.0]])
    with torch.inference_mode():
        with MacCounter() as encoder:
            embeddings = model.encode(image)
        with MacCounter() as decoder:
            model.decode(embeddings, box)
        with MacCounter() as exported_decoder:
            DecoderGraph(model)(embeddings, box)
    counters = (("encoder", encoder), ("decoder", decoder), ("exportedDecoder", exported_decoder))
    return {
        name: {"totalGMacs": round(sum(counter.macs.values()) / 1e9, 4), "byOpGMacs": {op: round(v / 1e9, 4) for op, v in counter.macs.items()}}
        for name, counter in counters
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", choices=sorted(CONFIGS), default="vit_b", help="encoder size (default vit_b)")
    args = parser.parse_args(argv)
    print(json.dumps({"config": args.config, **count(args.config)}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

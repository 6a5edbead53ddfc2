"""Write the ONNX graphs that `npm run bench:decoder-graph` times.

Usage: /usr/bin/python3 models/write_decoder_bench_graphs.py --out DIR

Writes into DIR:

  decoder-literal.onnx   MedSAM.decode traced as written (SAM's mask decoder)
  decoder-factored.onnx  DecoderGraph, the graph that decoder.onnx contains
  layer-norm.onnx        LayerNormalization over the last axis of [4096, 256]
  instance-norm.onnx     the same normalisation as InstanceNormalization of
                         [1, 4096, 256] with the affine, as DecoderGraph does it
  add.onnx, erf.onnx     an addition over [4096, 256] and erf over [65536, 32],
                         the element-wise kernels the decoder spends time in
  graphs.json            each file's inputs: name and shape

Both decoders come from the tiny configuration with seeded weights (seed 1).
Its decoder is the full-size MedSAM decoder, so the timings are ViT-B's.
"""

import argparse
import json
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from medsam.decoder_graph import DecoderGraph
from medsam.interface import (
    DECODER_BOXES,
    DECODER_EMBEDDINGS,
    DECODER_OUTPUT,
    EMBEDDINGS_SHAPE,
    LOGITS_SHAPE,
)
from medsam.model import MedSAM
from medsam.onnx_export import export_module
from medsam.weights import build_model

IMAGE_TOKENS_SHAPE = [4096, 256]
GELU_SHAPE = [65536, 32]


class LiteralDecoder(nn.Module):
    """`MedSAM.decode` as a module, to trace SAM's decoder as written."""

    def __init__(self, model: MedSAM) -> None:
        super().__init__()
        self.model = model

    def forward(self, image_embeddings: torch.Tensor, boxes: torch.Tensor) -> torch.Tensor:
        return self.model.decode(image_embeddings, boxes)


class LayerNormGraph(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(IMAGE_TOKENS_SHAPE[1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x)


class InstanceNormGraph(LayerNormGraph):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.instance_norm(x[None], eps=self.norm.eps)[0] * self.norm.weight + self.norm.bias


class AddGraph(nn.Module):
    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return x + y


class ErfGraph(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.erf(x)


def write_graphs(out_dir: Path) -> dict:
    """Export every graph into `out_dir` and return {file: [{name, shape}]}."""
    out_dir.mkdir(parents=True, exist_ok=True)
    model = build_model("tiny", None, 1)
    decoder_inputs = {DECODER_EMBEDDINGS: EMBEDDINGS_SHAPE, DECODER_BOXES: [1, 4]}
    graphs = {
        "decoder-literal.onnx": (LiteralDecoder(model), decoder_inputs, {DECODER_OUTPUT: LOGITS_SHAPE}),
        "decoder-factored.onnx": (DecoderGraph(model), decoder_inputs, {DECODER_OUTPUT: LOGITS_SHAPE}),
        "layer-norm.onnx": (LayerNormGraph(), {"x": IMAGE_TOKENS_SHAPE}, {"y": IMAGE_TOKENS_SHAPE}),
        "instance-norm.onnx": (InstanceNormGraph(), {"x": IMAGE_TOKENS_SHAPE}, {"y": IMAGE_TOKENS_SHAPE}),
        "add.onnx": (AddGraph(), {"x": IMAGE_TOKENS_SHAPE, "y": IMAGE_TOKENS_SHAPE}, {"z": IMAGE_TOKENS_SHAPE}),
        "erf.onnx": (ErfGraph(), {"x": GELU_SHAPE}, {"y": GELU_SHAPE}),
    }
    listing = {}
    for name, (module, inputs, outputs) in graphs.items():
        # The boxes input gets a box inside the image, as a real prompt does, and every other input zeros.
        examples = tuple(
            torch.tensor([[100.0, 150.0, 600.0, 700.0]]) if input_name == DECODER_BOXES else torch.zeros(shape)
            for input_name, shape in inputs.items()
        )
        export_module(module, examples, out_dir / name, list(inputs), outputs)
        listing[name] = [{"name": input_name, "shape": shape} for input_name, shape in inputs.items()]
    (out_dir / "graphs.json").write_text(json.dumps(listing, indent=1) + "\n")
    return listing


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    for name in write_graphs(args.out):
        print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write stand-in ONNX models with MedSAM's interface, for end-to-end geometry tests.

Usage: make_standin.py --out DIR

The encoder is a 16x16 average pool followed by a fixed 1x1 convolution to
256 channels. The decoder ignores the image, but adds 0 * mean(embeddings) so
that the input stays in the graph. Pixel (u, v) of its 256x256 output has its
centre at ((u + 0.5) * 4, (v + 0.5) * 4) in 1024 space and gets

    logit = clip(8 * (1 - ((x - cx) / rx)^2 - ((y - cy) / ry)^2), -20, 8)

for the ellipse inscribed in the box (centre cx, cy and semi-axes rx, ry).
The logit is positive exactly inside the ellipse, so sigmoid > 0.5 gives the
inscribed ellipse. Needs numpy and onnx only.
"""

import argparse
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from medsam.config import EMBEDDING_GRID, IMAGE_SIZE, LOW_RES_MASK_SIZE, PATCH_SIZE, PROMPT_DIM
from medsam.interface import (
    BOXES_SHAPE,
    DECODER_BOXES,
    DECODER_EMBEDDINGS,
    DECODER_OUTPUT,
    EMBEDDINGS_SHAPE,
    ENCODER_INPUT,
    ENCODER_INPUT_SHAPE,
    ENCODER_OUTPUT,
    LOGITS_SHAPE,
)
from medsam.manifest import build_manifest, write_manifest

OPSET = 17
NAME = "Stand-in: inscribed-ellipse decoder (not MedSAM)"
VERSION = "ellipse-1"
ARCHITECTURE = (
    "stand-in: 16x16 average pool and fixed 1x1 conv encoder; decoder returns the ellipse "
    "inscribed in the box"
)
LOGIT_SCALE = 8.0
LOGIT_MIN = -20.0
MIN_SEMI_AXIS = 0.5  # pixels in 1024 space, so a zero-size box does not divide by zero
OUTPUT_STRIDE = IMAGE_SIZE // LOW_RES_MASK_SIZE  # 4


def _model(nodes, inputs, outputs, initializers, name: str) -> onnx.ModelProto:
    graph = helper.make_graph(nodes, name, inputs, outputs, initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.producer_name = "medsam make_standin.py"
    onnx.checker.check_model(model, full_check=True)
    return model


def _constant(name: str, value) -> TensorProto:
    return numpy_helper.from_array(np.asarray(value, dtype=np.float32), name)


def build_encoder() -> onnx.ModelProto:
    """Return the encoder: [1, 3, 1024, 1024] -> [1, 256, 64, 64]."""
    # Fixed weights from a seeded generator, so every run writes identical bytes.
    weight = np.random.default_rng(0).normal(0, 1 / np.sqrt(3), (PROMPT_DIM, 3, 1, 1))
    nodes = [
        helper.make_node(
            "AveragePool", [ENCODER_INPUT], ["pooled"], kernel_shape=[PATCH_SIZE] * 2, strides=[PATCH_SIZE] * 2
        ),
        # Every Conv attribute is explicit: onnxruntime-web's WebGPU kernel
        # rejects a Conv whose dilations it has to infer.
        helper.make_node(
            "Conv",
            ["pooled", "projection"],
            [ENCODER_OUTPUT],
            kernel_shape=[1, 1],
            strides=[1, 1],
            pads=[0, 0, 0, 0],
            dilations=[1, 1],
            group=1,
        ),
    ]
    return _model(
        nodes,
        [helper.make_tensor_value_info(ENCODER_INPUT, TensorProto.FLOAT, ENCODER_INPUT_SHAPE)],
        [helper.make_tensor_value_info(ENCODER_OUTPUT, TensorProto.FLOAT, EMBEDDINGS_SHAPE)],
        [_constant("projection", weight)],
        "standin_encoder",
    )


def build_decoder() -> onnx.ModelProto:
    """Return the decoder: embeddings [1, 256, 64, 64] and boxes [1, 4] -> logits [1, 1, 256, 256]."""
    centres = (np.arange(LOW_RES_MASK_SIZE) + 0.5) * OUTPUT_STRIDE
    initializers = [
        _constant("grid_x", centres.reshape(1, 1, 1, -1)),
        _constant("grid_y", centres.reshape(1, 1, -1, 1)),
        _constant("half", 0.5),
        _constant("one", 1.0),
        _constant("zero", 0.0),
        _constant("scale", LOGIT_SCALE),
        _constant("min_semi_axis", MIN_SEMI_AXIS),
        _constant("logit_min", LOGIT_MIN),
        _constant("logit_max", LOGIT_SCALE),
        numpy_helper.from_array(np.array([1, 1, 1, 1], dtype=np.int64), "scalar_shape"),
    ]
    node = helper.make_node
    nodes = [node("Split", [DECODER_BOXES], ["x0", "y0", "x1", "y1"], axis=1)]
    for axis, low, high in (("x", "x0", "x1"), ("y", "y0", "y1")):
        nodes += [
            node("Add", [low, high], [f"{axis}_sum"]),
            node("Mul", [f"{axis}_sum", "half"], [f"c{axis}_flat"]),
            node("Reshape", [f"c{axis}_flat", "scalar_shape"], [f"c{axis}"]),
            node("Sub", [high, low], [f"{axis}_extent"]),
            node("Abs", [f"{axis}_extent"], [f"{axis}_abs_extent"]),
            node("Mul", [f"{axis}_abs_extent", "half"], [f"{axis}_semi"]),
            node("Max", [f"{axis}_semi", "min_semi_axis"], [f"r{axis}_flat"]),
            node("Reshape", [f"r{axis}_flat", "scalar_shape"], [f"r{axis}"]),
            node("Sub", [f"grid_{axis}", f"c{axis}"], [f"d{axis}"]),
            node("Div", [f"d{axis}", f"r{axis}"], [f"n{axis}"]),
            node("Mul", [f"n{axis}", f"n{axis}"], [f"n{axis}_squared"]),
        ]
    nodes += [
        node("Add", ["nx_squared", "ny_squared"], ["radius_squared"]),  # broadcasts to [1, 1, 256, 256]
        node("Sub", ["one", "radius_squared"], ["inside"]),
        node("Mul", ["inside", "scale"], ["ellipse_logits"]),
        node("Clip", ["ellipse_logits", "logit_min", "logit_max"], ["clipped"]),
        node("ReduceMean", [DECODER_EMBEDDINGS], ["embedding_mean"], keepdims=1),
        node("Mul", ["embedding_mean", "zero"], ["embedding_term"]),
        node("Add", ["clipped", "embedding_term"], [DECODER_OUTPUT]),
    ]
    return _model(
        nodes,
        [
            helper.make_tensor_value_info(DECODER_EMBEDDINGS, TensorProto.FLOAT, EMBEDDINGS_SHAPE),
            helper.make_tensor_value_info(DECODER_BOXES, TensorProto.FLOAT, BOXES_SHAPE),
        ],
        [helper.make_tensor_value_info(DECODER_OUTPUT, TensorProto.FLOAT, LOGITS_SHAPE)],
        initializers,
        "standin_ellipse_decoder",
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    encoder_path = args.out / "encoder.onnx"
    decoder_path = args.out / "decoder.onnx"
    onnx.save(build_encoder(), str(encoder_path))
    onnx.save(build_decoder(), str(decoder_path))
    manifest = build_manifest(
        name=NAME,
        version=VERSION,
        stand_in=True,
        architecture=ARCHITECTURE,
        encoders={"fp32": encoder_path},
        decoder=decoder_path,
    )
    print(write_manifest(args.out, manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())

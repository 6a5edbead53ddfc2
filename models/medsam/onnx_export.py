"""Trace the encoder and decoder graphs to ONNX (opset 17) and validate them."""

import warnings
from pathlib import Path

import onnx
import torch

from .interface import (
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
from .decoder_graph import DecoderGraph
from .model import EncoderGraph, MedSAM

OPSET = 17


def _pin_output_shapes(path: Path, shapes: dict) -> None:
    """Declare static output shapes where the exporter left symbolic dimensions.

    Reshapes with -1 (used so that the graph needs no Shape ops) make the
    exporter declare dims such as "Reshape_123_dim_0", although every dim is
    fixed by the static input shape.
    """
    model = onnx.load(str(path))
    for output in model.graph.output:
        dims = output.type.tensor_type.shape.dim
        for dim, size in zip(dims, shapes[output.name]):
            dim.Clear()
            dim.dim_value = size
    onnx.save(model, str(path))


def export_module(
    module: torch.nn.Module, args: tuple, path: Path, inputs: list, outputs: dict
) -> None:
    """Trace `module` on `args` to an opset-17 ONNX file with static output shapes, and check it."""
    module.eval()
    # Shapes are static, so the tracer's warnings about Python conditions on
    # tensor shapes being frozen into the graph are expected.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        # Instance normalisation always uses the input's own statistics, so
        # the exporter's note that it runs in training mode changes nothing.
        warnings.filterwarnings("ignore", message=".*'instance_norm' is set to train=True")
        torch.onnx.export(
            module,
            args,
            str(path),
            input_names=inputs,
            output_names=list(outputs),
            opset_version=OPSET,
            do_constant_folding=True,
        )
    _pin_output_shapes(path, outputs)
    # check_model on a path also handles files over the 2 GB protobuf limit.
    onnx.checker.check_model(str(path), full_check=True)


def export_encoder(model: MedSAM, path: Path) -> None:
    """Write the fp32 encoder graph with static shapes [1, 3, 1024, 1024] -> [1, 256, 64, 64]."""
    example = torch.zeros(ENCODER_INPUT_SHAPE)
    export_module(EncoderGraph(model), (example,), path, [ENCODER_INPUT], {ENCODER_OUTPUT: EMBEDDINGS_SHAPE})


def export_decoder(model: MedSAM, path: Path) -> None:
    """Write the prompt encoder and mask decoder as one graph: embeddings and box -> logits.

    The graph is `DecoderGraph`, the factored form of `MedSAM.decode`.
    """
    embeddings = torch.zeros(EMBEDDINGS_SHAPE)
    boxes = torch.tensor([[100.0, 100.0, 500.0, 500.0]])
    export_module(
        DecoderGraph(model),
        (embeddings, boxes),
        path,
        [DECODER_EMBEDDINGS, DECODER_BOXES],
        {DECODER_OUTPUT: LOGITS_SHAPE},
    )

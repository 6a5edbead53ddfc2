"""Dynamic 8-bit quantisation (the manifest's "int8") of the MatMul weights of an ONNX graph.

onnxruntime's Python quantiser is not a dependency, so this rewrites the graph
with standard ONNX ops that onnxruntime's CPU and WASM backends implement:

    A (float32) -> DynamicQuantizeLinear -> A_q (uint8), a_scale, a_zero_point
    MatMulInteger(A_q, W_q, a_zero_point, w_zero_point) -> int32
    Cast to float32, multiplied by a_scale * w_scale

Only MatMuls whose second input is a 2-D float initializer (the nn.Linear
weights) are rewritten. Weights are quantised asymmetrically to uint8 with
one scale and zero point per output column. Activations get one scale per
tensor, computed at run time from their min and max.

Weights are uint8 rather than int8 because onnxruntime documents reduced
accuracy for signed 8-bit weights on x86 CPUs without VNNI (the reason for the
reduce_range option of its quantize_dynamic). uint8 x uint8 avoids that path.
Convolutions (patch embedding and neck) and the position tables stay fp32.
"""

from typing import Dict, Tuple

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def quantize_columns(weight: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Quantise a [K, N] float weight to uint8 with per-column scale and zero point.

    Returns (quantised [K, N] uint8, scale [N] float32, zero_point [N] uint8).
    Each column's range is widened to include 0 so that 0 is exactly representable.
    """
    low = np.minimum(weight.min(axis=0), 0.0)
    high = np.maximum(weight.max(axis=0), 0.0)
    scale = (high - low) / 255.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    zero_point = np.clip(np.round(-low / scale), 0, 255).astype(np.uint8)
    quantized = np.clip(np.round(weight / scale) + zero_point, 0, 255).astype(np.uint8)
    return quantized, scale, zero_point


def _float_matrices(graph: onnx.GraphProto) -> Dict[str, TensorProto]:
    return {
        init.name: init
        for init in graph.initializer
        if init.data_type == TensorProto.FLOAT and len(init.dims) == 2
    }


def quantize_matmul_weights(model: onnx.ModelProto) -> Tuple[onnx.ModelProto, int]:
    """Return a copy of `model` with its weight MatMuls in int8, and the number rewritten."""
    quantized_model = onnx.ModelProto()
    quantized_model.CopyFrom(model)
    graph = quantized_model.graph
    matrices = _float_matrices(graph)

    new_nodes = []
    new_initializers = []
    replaced_weights = set()
    for node in graph.node:
        if node.op_type != "MatMul" or node.input[1] not in matrices:
            new_nodes.append(node)
            continue

        weight_name = node.input[1]
        weight = numpy_helper.to_array(matrices[weight_name])
        quantized, scale, zero_point = quantize_columns(weight)
        prefix = f"{node.name or weight_name}_int8"
        new_initializers += [
            numpy_helper.from_array(quantized, f"{prefix}_weight"),
            numpy_helper.from_array(scale, f"{prefix}_weight_scale"),
            numpy_helper.from_array(zero_point, f"{prefix}_weight_zero_point"),
        ]
        replaced_weights.add(weight_name)

        activation = node.input[0]
        new_nodes += [
            helper.make_node(
                "DynamicQuantizeLinear",
                [activation],
                [f"{prefix}_a", f"{prefix}_a_scale", f"{prefix}_a_zero_point"],
                name=f"{prefix}_quantize",
            ),
            helper.make_node(
                "MatMulInteger",
                [f"{prefix}_a", f"{prefix}_weight", f"{prefix}_a_zero_point", f"{prefix}_weight_zero_point"],
                [f"{prefix}_int32"],
                name=f"{prefix}_matmul",
            ),
            helper.make_node(
                "Cast", [f"{prefix}_int32"], [f"{prefix}_float"], to=TensorProto.FLOAT,
                name=f"{prefix}_cast",
            ),
            helper.make_node(
                "Mul",
                [f"{prefix}_a_scale", f"{prefix}_weight_scale"],
                [f"{prefix}_scale"],
                name=f"{prefix}_scale",
            ),
            helper.make_node(
                "Mul", [f"{prefix}_float", f"{prefix}_scale"], list(node.output), name=f"{prefix}_rescale"
            ),
        ]

    # A weight shared with a node that was not rewritten must stay.
    still_used = {name for node in new_nodes for name in node.input}
    kept = [init for init in graph.initializer if init.name not in replaced_weights or init.name in still_used]
    del graph.initializer[:]
    graph.initializer.extend(kept + new_initializers)
    del graph.node[:]
    graph.node.extend(new_nodes)
    del graph.value_info[:]
    return onnx.shape_inference.infer_shapes(quantized_model), len(replaced_weights)

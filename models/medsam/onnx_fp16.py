"""Convert an fp32 ONNX graph to fp16 weights and compute with fp32 inputs and outputs.

onnxconverter-common is not a dependency, so the conversion is done here:
every float32 initializer, Constant and ConstantOfShape value becomes
float16, Casts to float32 become Casts to float16, and a Cast at each graph
input and output keeps the float32 interface.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FP16_MAX = float(np.finfo(np.float16).max)


def _to_fp16_tensor(tensor: TensorProto) -> TensorProto:
    values = numpy_helper.to_array(tensor)
    # Clipping avoids inf for the rare weight beyond fp16 range (65504).
    converted = np.clip(values, -FP16_MAX, FP16_MAX).astype(np.float16)
    return numpy_helper.from_array(converted, tensor.name)


def _convert_node_attributes(node: onnx.NodeProto) -> None:
    for attribute in node.attribute:
        if attribute.type == onnx.AttributeProto.TENSOR and attribute.t.data_type == TensorProto.FLOAT:
            attribute.t.CopyFrom(_to_fp16_tensor(attribute.t))
        if node.op_type == "Cast" and attribute.name == "to" and attribute.i == TensorProto.FLOAT:
            attribute.i = TensorProto.FLOAT16


def convert_to_fp16(model: onnx.ModelProto) -> onnx.ModelProto:
    """Return a copy of `model` computing in fp16, with unchanged input and output names and types."""
    converted = onnx.ModelProto()
    converted.CopyFrom(model)
    graph = converted.graph

    for index, initializer in enumerate(graph.initializer):
        if initializer.data_type == TensorProto.FLOAT:
            graph.initializer[index].CopyFrom(_to_fp16_tensor(initializer))
    for node in graph.node:
        _convert_node_attributes(node)

    boundary_nodes = []
    for graph_input in graph.input:
        if graph_input.type.tensor_type.elem_type != TensorProto.FLOAT:
            continue
        internal = f"{graph_input.name}_fp16"
        for node in graph.node:
            node.input[:] = [internal if name == graph_input.name else name for name in node.input]
        boundary_nodes.append(
            helper.make_node("Cast", [graph_input.name], [internal], to=TensorProto.FLOAT16)
        )

    output_casts = []
    for graph_output in graph.output:
        if graph_output.type.tensor_type.elem_type != TensorProto.FLOAT:
            continue
        internal = f"{graph_output.name}_fp16"
        for node in graph.node:
            node.output[:] = [internal if name == graph_output.name else name for name in node.output]
            node.input[:] = [internal if name == graph_output.name else name for name in node.input]
        output_casts.append(
            helper.make_node("Cast", [internal], [graph_output.name], to=TensorProto.FLOAT)
        )

    nodes = boundary_nodes + list(graph.node) + output_casts
    del graph.node[:]
    graph.node.extend(nodes)

    # Intermediate types changed, so the old value_info entries would be wrong.
    del graph.value_info[:]
    return onnx.shape_inference.infer_shapes(converted)

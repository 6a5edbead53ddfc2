"""ONNX export, fp16/int8 rewriting, checkpoint loading and manifests (tiny configuration)."""

import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import TensorProto

from medsam.config import TINY, VIT_B
from medsam.export import export_model, parse_precisions
from medsam.hashing import sha256_of_file
from medsam.interface import EMBEDDINGS_SHAPE, ENCODER_INPUT_SHAPE, LOGITS_SHAPE
from medsam.manifest import build_manifest
from medsam.model import MedSAM
from medsam.onnx_int8 import quantize_columns
from medsam.random_weights import init_random_weights
from medsam.weights import build_model

MODELS_DIR = Path(__file__).resolve().parents[1]


def io_signature(values) -> list:
    return [
        (value.name, value.type.tensor_type.elem_type, [d.dim_value for d in value.type.tensor_type.shape.dim])
        for value in values
    ]


class TinyExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(2)
        cls.tmp = tempfile.TemporaryDirectory()
        model = build_model("tiny", None, 1)
        cls.paths = export_model(model, Path(cls.tmp.name), ["fp32", "fp16", "int8"])
        cls.graphs = {role: onnx.load(str(path)) for role, path in cls.paths.items()}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_encoder_io(self):
        for precision in ("fp32", "fp16", "int8"):
            graph = self.graphs[precision].graph
            with self.subTest(precision=precision):
                self.assertEqual(io_signature(graph.input), [("image", TensorProto.FLOAT, ENCODER_INPUT_SHAPE)])
                self.assertEqual(
                    io_signature(graph.output), [("image_embeddings", TensorProto.FLOAT, EMBEDDINGS_SHAPE)]
                )

    def test_decoder_io(self):
        graph = self.graphs["decoder"].graph
        self.assertEqual(
            io_signature(graph.input),
            [("image_embeddings", TensorProto.FLOAT, EMBEDDINGS_SHAPE), ("boxes", TensorProto.FLOAT, [1, 4])],
        )
        self.assertEqual(io_signature(graph.output), [("low_res_logits", TensorProto.FLOAT, LOGITS_SHAPE)])

    def test_opset_is_17(self):
        for role, model in self.graphs.items():
            with self.subTest(role=role):
                self.assertEqual([o.version for o in model.opset_import if o.domain in ("", "ai.onnx")], [17])

    def test_fp16_has_no_float32_initializers(self):
        types = {init.data_type for init in self.graphs["fp16"].graph.initializer}
        self.assertNotIn(TensorProto.FLOAT, types)
        self.assertIn(TensorProto.FLOAT16, types)

    def test_int8_rewrites_every_linear(self):
        ops = [node.op_type for node in self.graphs["int8"].graph.node]
        # Two blocks, each with qkv, proj, lin1 and lin2.
        self.assertEqual(ops.count("MatMulInteger"), 4 * TINY.depth)
        self.assertEqual(ops.count("DynamicQuantizeLinear"), 4 * TINY.depth)

    def test_int8_keeps_no_float_matmul_weights(self):
        graph = self.graphs["int8"].graph
        initializers = {init.name for init in graph.initializer}
        float_weight_matmuls = [
            node.name for node in graph.node if node.op_type == "MatMul" and node.input[1] in initializers
        ]
        self.assertEqual(float_weight_matmuls, [])


class QuantizeColumnsTest(unittest.TestCase):
    def test_error_within_half_step(self):
        weight = np.random.default_rng(0).normal(size=(64, 16)).astype(np.float32)
        quantized, scale, zero_point = quantize_columns(weight)
        restored = (quantized.astype(np.float32) - zero_point.astype(np.float32)) * scale
        self.assertTrue(np.all(np.abs(restored - weight) <= scale / 2 + 1e-6))

    def test_zero_is_exact(self):
        weight = np.array([[0.0, 1.0], [2.0, -3.0], [0.0, 0.5]], dtype=np.float32)
        quantized, scale, zero_point = quantize_columns(weight)
        restored = (quantized.astype(np.float32) - zero_point.astype(np.float32)) * scale
        self.assertEqual(restored[0, 0], 0.0)
        self.assertEqual(restored[2, 0], 0.0)

    def test_constant_column(self):
        quantized, scale, zero_point = quantize_columns(np.zeros((4, 1), dtype=np.float32))
        self.assertEqual(scale.tolist(), [1.0])
        self.assertEqual(quantized.tolist(), [[zero_point[0]]] * 4)


class CheckpointTest(unittest.TestCase):
    def test_saved_state_dict_round_trip(self):
        source = MedSAM(TINY)
        init_random_weights(source, seed=5)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "tiny.pth"
            torch.save(source.state_dict(), path)
            loaded = build_model("tiny", path, None)
        key = "image_encoder.blocks.1.attn.rel_pos_h"
        self.assertTrue(torch.equal(loaded.state_dict()[key], source.state_dict()[key]))

    def test_training_checkpoint_format(self):
        source = MedSAM(TINY)
        init_random_weights(source, seed=5)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "epoch.pth"
            torch.save({"model": source.state_dict(), "epoch": 3}, path)
            loaded = build_model("tiny", path, None)
        key = "mask_decoder.iou_token.weight"
        self.assertTrue(torch.equal(loaded.state_dict()[key], source.state_dict()[key]))

    def test_wrong_config_rejected(self):
        source = MedSAM(TINY)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "tiny.pth"
            torch.save(source.state_dict(), path)
            with self.assertRaisesRegex(ValueError, "does not match the vit_b architecture"):
                build_model(VIT_B.name, path, None)

    def test_seed_and_checkpoint_exclusive(self):
        with self.assertRaises(ValueError):
            build_model("tiny", Path("x.pth"), 1)


class ManifestTest(unittest.TestCase):
    def test_fields_and_hashes(self):
        with tempfile.TemporaryDirectory() as tmp:
            encoder = Path(tmp) / "encoder.onnx"
            decoder = Path(tmp) / "decoder.onnx"
            encoder.write_bytes(b"encoder bytes")
            decoder.write_bytes(b"decoder")
            manifest = build_manifest(
                name="Stand-in test",
                version="t",
                stand_in=True,
                architecture="test",
                encoders={"fp32": encoder},
                decoder=decoder,
                seed=4,
            )
            expected_sha = sha256_of_file(encoder)
        self.assertEqual(
            sorted(manifest),
            ["decoder", "encoders", "format", "io", "name", "preprocessing", "source", "standIn", "version"],
        )
        self.assertEqual(manifest["format"], "medsam-onnx/1")
        self.assertEqual(manifest["encoders"][0]["sha256"], expected_sha)
        self.assertEqual(manifest["encoders"][0]["bytes"], len(b"encoder bytes"))
        self.assertEqual(manifest["source"]["randomWeightsSeed"], 4)
        self.assertEqual(manifest["io"]["decoder"]["inputs"][1], {"name": "boxes", "shape": [1, 4], "type": "float32"})

    def test_fp32_required(self):
        with self.assertRaises(ValueError):
            build_manifest(
                name="x", version="x", stand_in=True, architecture="x", encoders={}, decoder=Path("d.onnx")
            )

    def test_precision_list_always_has_fp32(self):
        self.assertEqual(parse_precisions("int8"), ["fp32", "int8"])
        with self.assertRaises(ValueError):
            parse_precisions("fp32,bf16")


class ShapeTableTest(unittest.TestCase):
    def test_committed_table_is_current(self):
        committed = (MODELS_DIR / "medsam" / "vit_b_state_dict_shapes.json").read_text()
        with tempfile.TemporaryDirectory() as tmp:
            script = MODELS_DIR / "derive_vit_b_shapes.py"
            completed = subprocess.run(
                [sys.executable, str(script), "--out", str(Path(tmp) / "table.json")],
                capture_output=True,
                text=True,
                check=True,
            )
            regenerated = (Path(tmp) / "table.json").read_text()
        self.assertEqual(json.loads(regenerated), json.loads(committed), completed.stdout)


if __name__ == "__main__":
    unittest.main()

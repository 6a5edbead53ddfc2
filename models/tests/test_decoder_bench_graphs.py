"""The graphs that `npm run bench:decoder-graph` times."""

import json
import tempfile
import unittest
from pathlib import Path

import onnx

from write_decoder_bench_graphs import write_graphs

EXPECTED_FILES = [
    "decoder-literal.onnx",
    "decoder-factored.onnx",
    "layer-norm.onnx",
    "instance-norm.onnx",
    "add.onnx",
    "erf.onnx",
]


class DecoderBenchGraphsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = Path(cls.tmp.name)
        cls.listing = write_graphs(cls.out)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_listing_names_every_graph(self):
        self.assertEqual(list(self.listing), EXPECTED_FILES)
        self.assertEqual(json.loads((self.out / "graphs.json").read_text()), self.listing)

    def test_every_graph_is_valid_onnx(self):
        for name in EXPECTED_FILES:
            with self.subTest(name=name):
                onnx.checker.check_model(str(self.out / name), full_check=True)

    def test_listed_inputs_match_the_graphs(self):
        for name, inputs in self.listing.items():
            with self.subTest(name=name):
                graph = onnx.load(str(self.out / name)).graph
                actual = [(value.name, [dim.dim_value for dim in value.type.tensor_type.shape.dim]) for value in graph.input]
                self.assertEqual(actual, [(entry["name"], entry["shape"]) for entry in inputs])

    def test_decoders_differ(self):
        literal = onnx.load(str(self.out / "decoder-literal.onnx")).graph
        factored = onnx.load(str(self.out / "decoder-factored.onnx")).graph
        self.assertIn("ConvTranspose", {node.op_type for node in literal.node})
        self.assertNotIn("ConvTranspose", {node.op_type for node in factored.node})
        self.assertIn("InstanceNormalization", {node.op_type for node in factored.node})


if __name__ == "__main__":
    unittest.main()

"""The exported decoder graph against the reference MedSAM.decode, on seeded weights."""

import unittest

import torch

from count_macs import MacCounter
from medsam.decoder_graph import DecoderGraph, attend_image_to_tokens, attend_tokens_to_image
from medsam.two_way_transformer import TokenAttention
from medsam.weights import build_model

# Boxes in 1024 space: a typical lesion box, the whole image, a small box
# at the edge, and a degenerate box whose corners coincide.
BOXES = (
    [100.0, 150.0, 600.0, 700.0],
    [0.0, 0.0, 1023.0, 1023.0],
    [990.0, 3.0, 1020.0, 40.0],
    [512.0, 512.0, 512.0, 512.0],
)
# Float32 rounding of the regrouped sums. The logits are of order 1 to 10.
MAX_LOGIT_DIFF = 1e-4


class DecoderGraphTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(2)
        cls.model = build_model("tiny", None, 3)
        cls.graph = DecoderGraph(cls.model).eval()
        generator = torch.Generator().manual_seed(7)
        # Embeddings of the scale the ViT neck's LayerNorm gives, with an offset per channel.
        cls.embeddings = torch.randn(1, 256, 64, 64, generator=generator) + torch.randn(
            1, 256, 1, 1, generator=generator
        )

    def test_logits_match_reference(self):
        for box in BOXES:
            with self.subTest(box=box), torch.inference_mode():
                boxes = torch.tensor([box])
                expected = self.model.decode(self.embeddings, boxes)
                actual = self.graph(self.embeddings, boxes)
                self.assertEqual(actual.shape, expected.shape)
                self.assertLess((actual - expected).abs().max().item(), MAX_LOGIT_DIFF)

    def test_masks_match_reference(self):
        # A logit within rounding of 0 may change sign, so up to 0.01% of
        # the 65536 pixels may differ.
        for box in BOXES:
            with self.subTest(box=box), torch.inference_mode():
                boxes = torch.tensor([box])
                expected = self.model.decode(self.embeddings, boxes) > 0
                actual = self.graph(self.embeddings, boxes) > 0
                self.assertLessEqual((actual != expected).sum().item(), 6)

    def test_rejects_batches(self):
        boxes = torch.tensor([BOXES[0], BOXES[1]])
        with self.assertRaisesRegex(ValueError, "one box and one embedding"):
            self.graph(self.embeddings, boxes)

    def test_runs_half_the_multiply_accumulates(self):
        boxes = torch.tensor([BOXES[0]])
        with torch.inference_mode():
            with MacCounter() as reference:
                self.model.decode(self.embeddings, boxes)
            with MacCounter() as factored:
                self.graph(self.embeddings, boxes)
        self.assertLess(sum(factored.macs.values()), 0.55 * sum(reference.macs.values()))


class FoldedAttentionTest(unittest.TestCase):
    """The two folded attentions against TokenAttention itself, with random weights and inputs."""

    def setUp(self):
        torch.manual_seed(11)
        self.attention = TokenAttention(dim=32, num_heads=4, downsample_rate=2)
        for parameter in self.attention.parameters():
            torch.nn.init.normal_(parameter)
        self.tokens = torch.randn(5, 32)
        self.image_keys = torch.randn(50, 32)
        self.image_values = torch.randn(50, 32)

    def test_tokens_to_image(self):
        with torch.inference_mode():
            expected = self.attention(self.tokens[None], self.image_keys[None], self.image_values[None])[0]
            actual = attend_tokens_to_image(self.attention, self.tokens, self.image_keys, self.image_values)
        torch.testing.assert_close(actual, expected, rtol=1e-4, atol=1e-4)

    def test_image_to_tokens(self):
        token_values = torch.randn(5, 32)
        with torch.inference_mode():
            expected = self.attention(self.image_keys[None], self.tokens[None], token_values[None])[0]
            actual = attend_image_to_tokens(self.attention, self.image_keys, self.tokens, token_values)
        torch.testing.assert_close(actual, expected, rtol=1e-4, atol=1e-4)


if __name__ == "__main__":
    unittest.main()

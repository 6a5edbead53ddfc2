"""The multiply-accumulate counter of count_macs.py on ops with hand-counted values."""

import functools
import unittest

import torch
import torch.nn.functional as F

from count_macs import MacCounter, count
from medsam.config import TINY


@functools.lru_cache(maxsize=None)
def tiny_count():
    """count("tiny"), computed once for the tests that read it."""
    return count("tiny")


class MacCounterTest(unittest.TestCase):
    def counted(self, action):
        with torch.inference_mode(), MacCounter() as counter:
            action()
        return dict(counter.macs)

    def test_linear_counts_every_weight_use_per_row(self):
        layer = torch.nn.Linear(8, 4)
        # 2 x 3 rows of 8 inputs, each times a 4 x 8 weight.
        self.assertEqual(self.counted(lambda: layer(torch.ones(2, 3, 8))), {"linear": 2 * 3 * 8 * 4})

    def test_conv_counts_output_values_times_kernel(self):
        conv = torch.nn.Conv2d(3, 5, 3)
        # 5 x 8 x 8 outputs, each over 3 channels x 3 x 3.
        self.assertEqual(self.counted(lambda: conv(torch.ones(1, 3, 10, 10))), {"conv2d": 5 * 8 * 8 * 3 * 9})

    def test_transposed_conv_counts_input_values_times_kernel(self):
        conv = torch.nn.ConvTranspose2d(4, 2, kernel_size=2, stride=2)
        # 4 x 5 x 5 inputs, each into 2 channels x 2 x 2 outputs.
        self.assertEqual(self.counted(lambda: conv(torch.ones(1, 4, 5, 5))), {"conv_transpose2d": 100 * 8})

    def test_matmul_operator_and_einsum(self):
        a, b = torch.ones(2, 3), torch.ones(3, 4)
        query, table = torch.ones(1, 2, 3, 4), torch.ones(2, 5, 4)
        macs = self.counted(lambda: (a @ b, torch.einsum("bhwc,hkc->bhwk", query, table)))
        self.assertEqual(macs, {"matmul": 2 * 4 * 3, "einsum": 1 * 2 * 3 * 4 * 5})

    def test_decoder_count_of_the_tiny_model(self):
        # The tiny model's decoder is the full-size MedSAM decoder. Each of
        # its two two-way blocks projects the 4096 image tokens 4 times
        # (256 x 128 each, 134.2 M), and the final attention twice more.
        # The transposed convolutions take 4096 x 256 x 64 x 4 and
        # 16384 x 64 x 32 x 4.
        decoder = tiny_count()["decoder"]["byOpGMacs"]
        self.assertAlmostEqual(decoder["conv_transpose2d"], (4096 * 256 * 64 * 4 + 16384 * 64 * 32 * 4) / 1e9, places=4)
        self.assertGreater(decoder["linear"], 10 * 4096 * 256 * 128 / 1e9)

    def test_exported_decoder_count(self):
        # Image-side products of the factored decoder: per two-way block, 4
        # products of the 4096 image tokens with 8 heads x 7 tokens; the
        # final attention 2 with 8 heads x 1 token; the upscaling per pixel
        # (256 -> 4 x 64, then 64 -> 4 x 32) and the 32-channel mask head.
        image_side = (
            2 * 4 * 4096 * 256 * 56
            + 2 * 4096 * 256 * 8
            + 4096 * 256 * 256
            + 16384 * 64 * 128
            + 65536 * 32
        ) / 1e9
        exported = tiny_count()["exportedDecoder"]["totalGMacs"]
        # The rest are the 7 tokens' own projections and MLPs, about 20 M.
        self.assertGreater(exported, image_side)
        self.assertLess(exported - image_side, 0.025)

    def test_encoder_linear_count_of_the_tiny_model(self):
        # The attention projections (q, k, v and output: 4 D x D) run on the
        # tokens padded to whole 14 x 14 windows (70 x 70) in windowed blocks,
        # and on the 64 x 64 tokens in global ones. The MLP (D x 4D twice)
        # runs on the 64 x 64 tokens. For ViT-B the same formula gives the
        # 363.07 G of docs/benchmarks.md.
        dim = TINY.embed_dim
        windowed_tokens = (-(-64 // TINY.window_size) * TINY.window_size) ** 2
        attention = sum(
            (4096 if block in TINY.global_attn_indexes else windowed_tokens) * 4 * dim * dim
            for block in range(TINY.depth)
        )
        mlp = TINY.depth * 4096 * 2 * dim * int(TINY.mlp_ratio * dim)
        encoder = tiny_count()["encoder"]["byOpGMacs"]
        self.assertAlmostEqual(encoder["linear"], (attention + mlp) / 1e9, places=4)


if __name__ == "__main__":
    unittest.main()

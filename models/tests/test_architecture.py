"""State_dict layout, parameter counts and forward shapes of the PyTorch model."""

import io
import json
import unittest
from pathlib import Path

import torch

from medsam.config import TINY, VIT_B
from medsam.model import MedSAM
from medsam.random_weights import init_random_weights
from medsam.image_encoder import RelPosAttention, merge_windows, pad_to_windows
from medsam.layers import LayerNorm2d

TABLE = Path(__file__).resolve().parents[1] / "medsam" / "vit_b_state_dict_shapes.json"


def trainable(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


class VitBStateDictTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.model = MedSAM(VIT_B)
        cls.state = cls.model.state_dict()
        cls.table = json.loads(TABLE.read_text())

    def test_keys_missing_from_model(self):
        self.assertEqual(sorted(set(self.table) - set(self.state)), [])

    def test_keys_not_in_table(self):
        self.assertEqual(sorted(set(self.state) - set(self.table)), [])

    def test_shapes_match_table(self):
        wrong = {
            key: (list(self.state[key].shape), shape)
            for key, shape in self.table.items()
            if key in self.state and list(self.state[key].shape) != shape
        }
        self.assertEqual(wrong, {})

    def test_table_spot_checks(self):
        expected = {
            "image_encoder.pos_embed": [1, 64, 64, 768],
            "image_encoder.blocks.0.attn.rel_pos_h": [27, 64],
            "image_encoder.blocks.2.attn.rel_pos_h": [127, 64],
            "image_encoder.blocks.11.attn.rel_pos_w": [127, 64],
            "image_encoder.neck.2.weight": [256, 256, 3, 3],
            "prompt_encoder.pe_layer.positional_encoding_gaussian_matrix": [2, 128],
            "mask_decoder.iou_prediction_head.layers.2.weight": [4, 256],
            "mask_decoder.transformer.layers.0.cross_attn_token_to_image.q_proj.weight": [128, 256],
            "mask_decoder.output_upscaling.0.weight": [256, 64, 2, 2],
        }
        for key, shape in expected.items():
            with self.subTest(key=key):
                self.assertEqual(self.table[key], shape)

    def test_image_encoder_parameter_count(self):
        self.assertEqual(trainable(self.model.image_encoder), 89_670_912)

    def test_mask_decoder_parameter_count(self):
        self.assertEqual(trainable(self.model.mask_decoder), 4_058_340)

    def test_prompt_encoder_parameter_count(self):
        self.assertEqual(trainable(self.model.prompt_encoder), 6_220)

    def test_strict_load_of_saved_checkpoint(self):
        buffer = io.BytesIO()
        torch.save(self.state, buffer)
        buffer.seek(0)
        other = MedSAM(VIT_B)
        result = other.load_state_dict(torch.load(buffer, map_location="cpu"), strict=True)
        self.assertEqual((result.missing_keys, result.unexpected_keys), ([], []))


class TinyForwardTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(2)
        cls.model = MedSAM(TINY).eval()
        init_random_weights(cls.model, seed=1)
        image = torch.rand(1, 3, 1024, 1024, generator=torch.Generator().manual_seed(0))
        boxes = torch.tensor([[200.0, 300.0, 700.0, 650.0]])
        with torch.no_grad():
            cls.embeddings = cls.model.encode(image)
            cls.logits = cls.model.decode(cls.embeddings, boxes)

    def test_embedding_shape(self):
        self.assertEqual(list(self.embeddings.shape), [1, 256, 64, 64])

    def test_logit_shape(self):
        self.assertEqual(list(self.logits.shape), [1, 1, 256, 256])

    def test_outputs_finite(self):
        self.assertTrue(torch.isfinite(self.embeddings).all())
        self.assertTrue(torch.isfinite(self.logits).all())

    def test_logits_have_both_signs(self):
        positive = (self.logits > 0).float().mean().item()
        self.assertGreater(positive, 0.01)
        self.assertLess(positive, 0.99)


class RandomWeightsTest(unittest.TestCase):
    def test_same_seed_same_weights(self):
        first, second = MedSAM(TINY), MedSAM(TINY)
        init_random_weights(first, seed=7)
        init_random_weights(second, seed=7)
        for key, tensor in first.state_dict().items():
            with self.subTest(key=key):
                self.assertTrue(torch.equal(tensor, second.state_dict()[key]))

    def test_other_seed_other_weights(self):
        first, second = MedSAM(TINY), MedSAM(TINY)
        init_random_weights(first, seed=7)
        init_random_weights(second, seed=8)
        key = "mask_decoder.iou_token.weight"
        self.assertFalse(torch.equal(first.state_dict()[key], second.state_dict()[key]))

    def test_every_entry_overwritten(self):
        model = MedSAM(TINY)
        init_random_weights(model, seed=3)
        # Fresh modules start with zero position tables and unit norm gains,
        # so an entry still at its default would show up as all-0 or all-1.
        for key, tensor in model.state_dict().items():
            with self.subTest(key=key):
                self.assertGreater(len(torch.unique(tensor)), 1)


class WindowingTest(unittest.TestCase):
    def test_partition_round_trip_with_padding(self):
        x = torch.randn(2, 64, 64, 5)
        windows, padded = pad_to_windows(x, 14, (64, 64))
        self.assertEqual(padded, (70, 70))
        self.assertEqual(list(windows.shape), [2 * 25, 14, 14, 5])
        self.assertTrue(torch.equal(merge_windows(windows, 14, padded, (64, 64)), x))

    def test_window_contents_are_contiguous_tiles(self):
        x = torch.arange(28 * 28, dtype=torch.float32).reshape(1, 28, 28, 1)
        windows, _ = pad_to_windows(x, 14, (28, 28))
        # Window 1 is the top-right tile: rows 0-13, columns 14-27.
        self.assertTrue(torch.equal(windows[1, :, :, 0], x[0, :14, 14:, 0]))


class LayerNorm2dTest(unittest.TestCase):
    def test_matches_explicit_channel_statistics(self):
        torch.manual_seed(0)
        norm = LayerNorm2d(8)
        with torch.no_grad():
            norm.weight.normal_()
            norm.bias.normal_()
        x = torch.randn(2, 8, 5, 5) * 30 + 4

        mean = x.mean(dim=1, keepdim=True)
        variance = (x - mean).pow(2).mean(dim=1, keepdim=True)
        expected = (x - mean) / torch.sqrt(variance + 1e-6)
        expected = norm.weight[:, None, None] * expected + norm.bias[:, None, None]
        with torch.no_grad():
            self.assertTrue(torch.allclose(norm(x), expected, atol=1e-5))


class RelativePositionTest(unittest.TestCase):
    def test_bias_matches_explicit_sum(self):
        torch.manual_seed(0)
        grid, dim = 3, 4
        attention = RelPosAttention(dim, num_heads=1, grid_size=grid)
        with torch.no_grad():
            attention.rel_pos_h.normal_()
            attention.rel_pos_w.normal_()
        query = torch.randn(1, grid * grid, dim)
        zeros = torch.zeros(1, grid * grid, grid * grid)
        bias = attention._add_relative_positions(zeros, query, grid, grid)

        expected = torch.zeros_like(bias)
        for h in range(grid):
            for w in range(grid):
                q = query[0, h * grid + w]
                for kh in range(grid):
                    for kw in range(grid):
                        table_h = attention.rel_pos_h[h - kh + grid - 1]
                        table_w = attention.rel_pos_w[w - kw + grid - 1]
                        expected[0, h * grid + w, kh * grid + kw] = q @ table_h + q @ table_w
        self.assertTrue(torch.allclose(bias, expected, atol=1e-5))


if __name__ == "__main__":
    unittest.main()

"""Prompt encoder for box prompts (MedSAM never uses points or mask prompts).

The point and mask modules exist only so that the state_dict matches SAM's.
Boxes use neither `point_embeddings.0/1` (positive and negative point) nor
`not_a_point_embed`. MedSAM passes no mask prompt, so `mask_downscaling` is
unused too and the decoder gets `no_mask_embed` at every position.
"""

import math
from typing import Tuple

import torch
from torch import nn

from .config import EMBEDDING_GRID, IMAGE_SIZE, PROMPT_DIM
from .layers import LayerNorm2d

MASK_IN_CHANNELS = 16
TOP_LEFT_CORNER = 2
BOTTOM_RIGHT_CORNER = 3


class RandomFourierPositions(nn.Module):
    """Positional encoding with random Fourier features.

    A point p in [0, 1]^2 maps to [sin(2 pi (2p - 1) G), cos(2 pi (2p - 1) G)]
    with a fixed Gaussian matrix G of shape [2, dim / 2].
    """

    def __init__(self, num_features: int) -> None:
        super().__init__()
        self.register_buffer("positional_encoding_gaussian_matrix", torch.randn(2, num_features))

    def encode(self, unit_coords: torch.Tensor) -> torch.Tensor:
        """Encode [..., 2] (x, y) coordinates in [0, 1] as [..., 2 * num_features]."""
        projected = (2 * unit_coords - 1) @ self.positional_encoding_gaussian_matrix
        projected = 2 * math.pi * projected
        return torch.cat([torch.sin(projected), torch.cos(projected)], dim=-1)

    def grid(self, size: Tuple[int, int]) -> torch.Tensor:
        """Encode the centres of an HxW grid, returned as [C, H, W]."""
        height, width = size
        device = self.positional_encoding_gaussian_matrix.device
        ys = (torch.arange(height, dtype=torch.float32, device=device) + 0.5) / height
        xs = (torch.arange(width, dtype=torch.float32, device=device) + 0.5) / width
        coords = torch.stack(
            [xs[None, :].expand(height, width), ys[:, None].expand(height, width)], dim=-1
        )
        return self.encode(coords).permute(2, 0, 1)


class PromptEncoder(nn.Module):
    """Embeds boxes as two corner tokens and supplies the dense (no-mask) embedding."""

    def __init__(self) -> None:
        super().__init__()
        self.pe_layer = RandomFourierPositions(PROMPT_DIM // 2)
        self.point_embeddings = nn.ModuleList(nn.Embedding(1, PROMPT_DIM) for _ in range(4))
        self.not_a_point_embed = nn.Embedding(1, PROMPT_DIM)
        self.mask_downscaling = nn.Sequential(
            nn.Conv2d(1, MASK_IN_CHANNELS // 4, kernel_size=2, stride=2),
            LayerNorm2d(MASK_IN_CHANNELS // 4),
            nn.GELU(),
            nn.Conv2d(MASK_IN_CHANNELS // 4, MASK_IN_CHANNELS, kernel_size=2, stride=2),
            LayerNorm2d(MASK_IN_CHANNELS),
            nn.GELU(),
            nn.Conv2d(MASK_IN_CHANNELS, PROMPT_DIM, kernel_size=1),
        )
        self.no_mask_embed = nn.Embedding(1, PROMPT_DIM)

    def dense_positional_encoding(self) -> torch.Tensor:
        """Positional encoding of the 64x64 embedding grid, [1, 256, 64, 64]."""
        return self.pe_layer.grid((EMBEDDING_GRID, EMBEDDING_GRID))[None]

    def embed_boxes(self, boxes: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Embed [B, 4] boxes (x0, y0, x1, y1 in 1024 input pixels).

        Returns the sparse tokens [B, 2, 256] and the dense embedding
        [B, 256, 64, 64].
        """
        # +0.5 moves integer pixel indices to pixel centres.
        corners = (boxes + 0.5).reshape(-1, 2, 2) / IMAGE_SIZE
        corner_tokens = self.pe_layer.encode(corners)
        corner_tokens = corner_tokens + torch.stack(
            [
                self.point_embeddings[TOP_LEFT_CORNER].weight[0],
                self.point_embeddings[BOTTOM_RIGHT_CORNER].weight[0],
            ]
        )

        batch = boxes.shape[0]
        dense = self.no_mask_embed.weight.reshape(1, -1, 1, 1).expand(
            batch, -1, EMBEDDING_GRID, EMBEDDING_GRID
        )
        return corner_tokens, dense

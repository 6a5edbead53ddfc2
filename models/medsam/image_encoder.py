"""ViT image encoder of SAM ViT-B, as fine-tuned by MedSAM.

Input: [B, 3, 1024, 1024] already pre-processed (MedSAM min-max scales to
[0, 1] and applies no mean/std normalisation). Output: [B, 256, 64, 64].
"""

from typing import Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .config import EMBEDDING_GRID, PATCH_SIZE, PROMPT_DIM, EncoderConfig
from .layers import FeedForward, LayerNorm2d


def relative_position_index(size: int) -> torch.Tensor:
    """Return the [size, size] table of row indices into a (2*size - 1)-row embedding.

    Entry (i, j) is i - j + size - 1, so offset 0 maps to the middle row.
    """
    positions = torch.arange(size)
    return positions[:, None] - positions[None, :] + (size - 1)


def pad_to_windows(
    x: torch.Tensor, window_size: int, hw: Tuple[int, int]
) -> Tuple[torch.Tensor, Tuple[int, int]]:
    """Zero-pad [B, H, W, C] to multiples of window_size and cut it into windows.

    `hw` is (H, W) as Python ints, so that a traced graph gets constant shapes.
    Returns [B * windows, window_size, window_size, C] and the padded (H, W).
    """
    height, width = hw
    channels = x.shape[-1]
    pad_h = (-height) % window_size
    pad_w = (-width) % window_size
    if pad_h or pad_w:
        x = F.pad(x, (0, 0, 0, pad_w, 0, pad_h))
    padded_h, padded_w = height + pad_h, width + pad_w

    x = x.reshape(
        -1, padded_h // window_size, window_size, padded_w // window_size, window_size, channels
    )
    windows = x.permute(0, 1, 3, 2, 4, 5).reshape(-1, window_size, window_size, channels)
    return windows, (padded_h, padded_w)


def merge_windows(
    windows: torch.Tensor, window_size: int, padded_hw: Tuple[int, int], hw: Tuple[int, int]
) -> torch.Tensor:
    """Invert `pad_to_windows`: reassemble [B, H, W, C] and drop the padding."""
    padded_h, padded_w = padded_hw
    height, width = hw
    rows, cols = padded_h // window_size, padded_w // window_size
    channels = windows.shape[-1]

    x = windows.reshape(-1, rows, cols, window_size, window_size, channels)
    x = x.permute(0, 1, 3, 2, 4, 5).reshape(-1, padded_h, padded_w, channels)
    return x[:, :height, :width, :]


class RelPosAttention(nn.Module):
    """Multi-head self-attention over a 2-D token grid with decomposed relative positions.

    The attention logit between query (h, w) and key (h', w') gets two extra
    terms, q . Eh[h - h'] and q . Ew[w - w'], where Eh and Ew are the learned
    tables `rel_pos_h` and `rel_pos_w` of 2 * grid_size - 1 rows each,
    as in MViTv2.
    """

    def __init__(self, dim: int, num_heads: int, grid_size: int) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.grid_size = grid_size
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.rel_pos_h = nn.Parameter(torch.zeros(2 * grid_size - 1, self.head_dim))
        self.rel_pos_w = nn.Parameter(torch.zeros(2 * grid_size - 1, self.head_dim))
        self.register_buffer(
            "rel_index", relative_position_index(grid_size), persistent=False
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, height, width, channels = x.shape
        if height != self.grid_size or width != self.grid_size:
            raise ValueError(
                f"Attention was built for a {self.grid_size}x{self.grid_size} grid, "
                f"got {height}x{width}."
            )
        # Shapes below use the constant grid size, so that the traced graph
        # needs no Shape ops.
        size, heads, head_dim = self.grid_size, self.num_heads, self.head_dim
        tokens = size * size

        # [B, N, 3, heads, head_dim] -> 3 x [B * heads, N, head_dim]
        qkv = self.qkv(x).reshape(-1, tokens, 3, heads, head_dim)
        qkv = qkv.permute(2, 0, 3, 1, 4).reshape(3, -1, tokens, head_dim)
        query, key, value = qkv[0], qkv[1], qkv[2]

        logits = (query * head_dim**-0.5) @ key.transpose(-2, -1)
        logits = self._add_relative_positions(logits, query, size, size)
        weights = logits.softmax(dim=-1)

        out = (weights @ value).reshape(-1, heads, size, size, head_dim)
        out = out.permute(0, 2, 3, 1, 4).reshape(-1, size, size, heads * head_dim)
        return self.proj(out)

    def _add_relative_positions(
        self, logits: torch.Tensor, query: torch.Tensor, height: int, width: int
    ) -> torch.Tensor:
        # Tables of shape [H, H', head_dim] and [W, W', head_dim].
        table_h = self.rel_pos_h[self.rel_index]
        table_w = self.rel_pos_w[self.rel_index]

        # The relative terms use the unscaled query.
        grid_query = query.reshape(-1, height, width, self.head_dim)
        bias_h = torch.einsum("bhwc,hkc->bhwk", grid_query, table_h)
        bias_w = torch.einsum("bhwc,wkc->bhwk", grid_query, table_w)

        logits = logits.reshape(-1, height, width, height, width)
        logits = logits + bias_h[:, :, :, :, None] + bias_w[:, :, :, None, :]
        return logits.reshape(-1, height * width, height * width)


class EncoderBlock(nn.Module):
    """Pre-norm transformer block with windowed attention, or global attention if window_size is 0."""

    def __init__(self, dim: int, num_heads: int, mlp_ratio: float, window_size: int) -> None:
        super().__init__()
        self.window_size = window_size
        grid_size = window_size if window_size > 0 else EMBEDDING_GRID
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = RelPosAttention(dim, num_heads, grid_size)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = FeedForward(dim, int(dim * mlp_ratio), nn.GELU)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        residual = x
        x = self.norm1(x)
        if self.window_size > 0:
            hw = (EMBEDDING_GRID, EMBEDDING_GRID)
            # Padding is added after norm1, so the padded tokens are zeros that
            # still take part in attention within their window.
            windows, padded_hw = pad_to_windows(x, self.window_size, hw)
            x = merge_windows(self.attn(windows), self.window_size, padded_hw, hw)
        else:
            x = self.attn(x)
        x = residual + x
        return x + self.mlp(self.norm2(x))


class PatchEmbedding(nn.Module):
    """Non-overlapping 16x16 patches projected to embed_dim, returned channels-last."""

    def __init__(self, embed_dim: int) -> None:
        super().__init__()
        self.proj = nn.Conv2d(3, embed_dim, kernel_size=PATCH_SIZE, stride=PATCH_SIZE)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj(x).permute(0, 2, 3, 1)


class ImageEncoder(nn.Module):
    """ViT backbone plus the convolutional neck that maps to 256 channels."""

    def __init__(self, config: EncoderConfig) -> None:
        super().__init__()
        dim = config.embed_dim
        self.patch_embed = PatchEmbedding(dim)
        self.pos_embed = nn.Parameter(torch.zeros(1, EMBEDDING_GRID, EMBEDDING_GRID, dim))
        self.blocks = nn.ModuleList(
            EncoderBlock(
                dim,
                config.num_heads,
                config.mlp_ratio,
                0 if index in config.global_attn_indexes else config.window_size,
            )
            for index in range(config.depth)
        )
        self.neck = nn.Sequential(
            nn.Conv2d(dim, PROMPT_DIM, kernel_size=1, bias=False),
            LayerNorm2d(PROMPT_DIM),
            nn.Conv2d(PROMPT_DIM, PROMPT_DIM, kernel_size=3, padding=1, bias=False),
            LayerNorm2d(PROMPT_DIM),
        )

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        x = self.patch_embed(image) + self.pos_embed
        for block in self.blocks:
            x = block(x)
        return self.neck(x.permute(0, 3, 1, 2))

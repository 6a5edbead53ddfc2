"""The decoder's two-way transformer: tokens attend to the image and back."""

from typing import Tuple

import torch
from torch import nn

from .layers import FeedForward


class TokenAttention(nn.Module):
    """Multi-head attention whose internal width is dim / downsample_rate."""

    def __init__(self, dim: int, num_heads: int, downsample_rate: int = 1) -> None:
        super().__init__()
        internal_dim = dim // downsample_rate
        if internal_dim % num_heads != 0:
            raise ValueError(f"internal width {internal_dim} is not divisible by {num_heads} heads.")
        self.num_heads = num_heads
        self.q_proj = nn.Linear(dim, internal_dim)
        self.k_proj = nn.Linear(dim, internal_dim)
        self.v_proj = nn.Linear(dim, internal_dim)
        self.out_proj = nn.Linear(internal_dim, dim)

    def _split_heads(self, x: torch.Tensor) -> torch.Tensor:
        batch, tokens, width = x.shape
        return x.reshape(batch, tokens, self.num_heads, width // self.num_heads).transpose(1, 2)

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor) -> torch.Tensor:
        q = self._split_heads(self.q_proj(query))
        k = self._split_heads(self.k_proj(key))
        v = self._split_heads(self.v_proj(value))

        weights = (q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5).softmax(dim=-1)
        out = weights @ v  # [B, heads, tokens, head_dim]
        batch, _, tokens, _ = out.shape
        return self.out_proj(out.transpose(1, 2).reshape(batch, tokens, -1))


class TwoWayBlock(nn.Module):
    """Token self-attention, token-to-image attention, MLP, image-to-token attention.

    Every step is residual and post-normalised. Positional encodings are added
    to queries and keys before each attention but never to values. The first
    block of the stack feeds the raw tokens to self-attention (no positional
    term and no residual), because they already are the prompt embeddings.
    """

    def __init__(self, dim: int, num_heads: int, mlp_dim: int, first_block: bool) -> None:
        super().__init__()
        self.first_block = first_block
        self.self_attn = TokenAttention(dim, num_heads)
        self.norm1 = nn.LayerNorm(dim)
        self.cross_attn_token_to_image = TokenAttention(dim, num_heads, downsample_rate=2)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = FeedForward(dim, mlp_dim, nn.ReLU)
        self.norm3 = nn.LayerNorm(dim)
        self.norm4 = nn.LayerNorm(dim)
        self.cross_attn_image_to_token = TokenAttention(dim, num_heads, downsample_rate=2)

    def forward(
        self,
        tokens: torch.Tensor,
        image: torch.Tensor,
        token_pe: torch.Tensor,
        image_pe: torch.Tensor,
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        if self.first_block:
            tokens = self.self_attn(tokens, tokens, tokens)
        else:
            with_pe = tokens + token_pe
            tokens = tokens + self.self_attn(with_pe, with_pe, tokens)
        tokens = self.norm1(tokens)

        tokens = tokens + self.cross_attn_token_to_image(tokens + token_pe, image + image_pe, image)
        tokens = self.norm2(tokens)

        tokens = self.norm3(tokens + self.mlp(tokens))

        image = image + self.cross_attn_image_to_token(image + image_pe, tokens + token_pe, tokens)
        image = self.norm4(image)
        return tokens, image


class TwoWayTransformer(nn.Module):
    """A stack of TwoWayBlocks and a final token-to-image attention."""

    def __init__(self, depth: int = 2, dim: int = 256, num_heads: int = 8, mlp_dim: int = 2048) -> None:
        super().__init__()
        self.layers = nn.ModuleList(
            TwoWayBlock(dim, num_heads, mlp_dim, first_block=(index == 0)) for index in range(depth)
        )
        self.final_attn_token_to_image = TokenAttention(dim, num_heads, downsample_rate=2)
        self.norm_final_attn = nn.LayerNorm(dim)

    def forward(
        self, image_embedding: torch.Tensor, image_pe: torch.Tensor, prompt_tokens: torch.Tensor
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Run on [B, C, H, W] image features and [B, T, C] tokens.

        Returns the updated tokens [B, T, C] and image features [B, H*W, C].
        """
        image = image_embedding.flatten(2).transpose(1, 2)
        image_pe = image_pe.flatten(2).transpose(1, 2)

        tokens = prompt_tokens
        for layer in self.layers:
            tokens, image = layer(tokens, image, prompt_tokens, image_pe)

        attended = self.final_attn_token_to_image(tokens + prompt_tokens, image + image_pe, image)
        tokens = self.norm_final_attn(tokens + attended)
        return tokens, image

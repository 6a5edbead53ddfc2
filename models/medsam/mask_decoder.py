"""Mask decoder: two-way transformer, 4x upscaling and hypernetwork mask heads."""

from typing import Tuple

import torch
from torch import nn

from .config import PROMPT_DIM
from .layers import HeadMLP, LayerNorm2d
from .two_way_transformer import TwoWayTransformer

# SAM predicts one single-mask output and three multimask outputs. MedSAM
# reads only the single-mask output (multimask_output=False), but all four
# tokens and heads are part of the checkpoint.
NUM_MASK_TOKENS = 4
SINGLE_MASK_INDEX = 0


class MaskDecoder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        dim = PROMPT_DIM
        self.transformer = TwoWayTransformer(depth=2, dim=dim, num_heads=8, mlp_dim=2048)
        self.iou_token = nn.Embedding(1, dim)
        self.mask_tokens = nn.Embedding(NUM_MASK_TOKENS, dim)
        self.output_upscaling = nn.Sequential(
            nn.ConvTranspose2d(dim, dim // 4, kernel_size=2, stride=2),
            LayerNorm2d(dim // 4),
            nn.GELU(),
            nn.ConvTranspose2d(dim // 4, dim // 8, kernel_size=2, stride=2),
            nn.GELU(),
        )
        self.output_hypernetworks_mlps = nn.ModuleList(
            HeadMLP(dim, dim, dim // 8, 3) for _ in range(NUM_MASK_TOKENS)
        )
        self.iou_prediction_head = HeadMLP(dim, 256, NUM_MASK_TOKENS, 3)

    def forward(
        self,
        image_embeddings: torch.Tensor,
        image_pe: torch.Tensor,
        sparse_prompt_embeddings: torch.Tensor,
        dense_prompt_embeddings: torch.Tensor,
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Predict the single mask for each prompt.

        image_embeddings [1 or B, 256, 64, 64], image_pe [1, 256, 64, 64],
        sparse [B, T, 256], dense [B, 256, 64, 64]. Returns low-resolution
        logits [B, 1, 256, 256] and the predicted IoU [B, 1].
        """
        batch = sparse_prompt_embeddings.shape[0]
        output_tokens = torch.cat([self.iou_token.weight, self.mask_tokens.weight], dim=0)
        tokens = torch.cat(
            [output_tokens[None].expand(batch, -1, -1), sparse_prompt_embeddings], dim=1
        )

        if image_embeddings.shape[0] != batch:
            image_embeddings = image_embeddings.expand(batch, -1, -1, -1)
        image = image_embeddings + dense_prompt_embeddings
        image_pe = image_pe.expand(batch, -1, -1, -1)
        _, channels, height, width = image.shape

        tokens, image = self.transformer(image, image_pe, tokens)
        iou_token_out = tokens[:, 0, :]
        mask_tokens_out = tokens[:, 1 : 1 + NUM_MASK_TOKENS, :]

        image = image.transpose(1, 2).reshape(batch, channels, height, width)
        upscaled = self.output_upscaling(image)  # [B, 32, 256, 256]
        _, up_channels, up_height, up_width = upscaled.shape

        # Only the single-mask head is evaluated, which gives the same logits
        # as computing all four and slicing out the first.
        hyper_in = self.output_hypernetworks_mlps[SINGLE_MASK_INDEX](
            mask_tokens_out[:, SINGLE_MASK_INDEX, :]
        )
        masks = hyper_in[:, None, :] @ upscaled.reshape(batch, up_channels, up_height * up_width)
        masks = masks.reshape(batch, 1, up_height, up_width)

        iou_pred = self.iou_prediction_head(iou_token_out)[:, SINGLE_MASK_INDEX : SINGLE_MASK_INDEX + 1]
        return masks, iou_pred

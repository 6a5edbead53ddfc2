"""The assembled MedSAM network and the encoder wrapper that ONNX export traces."""

import torch
from torch import nn

from .config import VIT_B, EncoderConfig
from .image_encoder import ImageEncoder
from .mask_decoder import MaskDecoder
from .prompt_encoder import PromptEncoder


class MedSAM(nn.Module):
    """SAM ViT-B layout: `image_encoder`, `prompt_encoder`, `mask_decoder`.

    The state_dict has exactly the keys of `medsam_vit_b.pth` for the VIT_B
    configuration. SAM's pixel mean/std buffers are not persistent upstream
    and are left out here, because MedSAM scales inputs to [0, 1] itself.
    """

    def __init__(self, config: EncoderConfig = VIT_B) -> None:
        super().__init__()
        self.config = config
        self.image_encoder = ImageEncoder(config)
        self.prompt_encoder = PromptEncoder()
        self.mask_decoder = MaskDecoder()

    def encode(self, image: torch.Tensor) -> torch.Tensor:
        """Map a pre-processed [B, 3, 1024, 1024] image in [0, 1] to [B, 256, 64, 64]."""
        return self.image_encoder(image)

    def decode(self, image_embeddings: torch.Tensor, boxes: torch.Tensor) -> torch.Tensor:
        """Return low-resolution mask logits [B, 1, 256, 256] for [B, 4] boxes in 1024 space."""
        sparse, dense = self.prompt_encoder.embed_boxes(boxes)
        logits, _ = self.mask_decoder(
            image_embeddings, self.prompt_encoder.dense_positional_encoding(), sparse, dense
        )
        return logits

    def forward(self, image: torch.Tensor, boxes: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(image), boxes)


class EncoderGraph(nn.Module):
    """`image` -> `image_embeddings`, the graph written to encoder.onnx."""

    def __init__(self, model: MedSAM) -> None:
        super().__init__()
        self.image_encoder = model.image_encoder

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.image_encoder(image)

"""Size parameters of the MedSAM network.

MedSAM keeps SAM ViT-B unchanged, so `VIT_B` is the configuration whose
state_dict matches `medsam_vit_b.pth`. `TINY` keeps the external interface
(1024x1024 input, 256x64x64 embeddings, the full-size decoder) but shrinks the
image encoder so that tests can export and run it in seconds.
"""

from dataclasses import dataclass, field
from typing import Tuple

IMAGE_SIZE = 1024
PATCH_SIZE = 16
EMBEDDING_GRID = IMAGE_SIZE // PATCH_SIZE  # 64 tokens per side
PROMPT_DIM = 256  # channels of the image embeddings and of every prompt token
LOW_RES_MASK_SIZE = 4 * EMBEDDING_GRID  # 256, after the decoder's 4x upscaling


@dataclass(frozen=True)
class EncoderConfig:
    """Size of the ViT image encoder, the only part of the network that varies."""

    embed_dim: int = 768
    depth: int = 12
    num_heads: int = 12
    mlp_ratio: float = 4.0
    window_size: int = 14
    global_attn_indexes: Tuple[int, ...] = (2, 5, 8, 11)
    name: str = field(default="vit_b", compare=False)

    def __post_init__(self) -> None:
        if self.embed_dim % self.num_heads != 0:
            raise ValueError(
                f"embed_dim {self.embed_dim} is not divisible by num_heads {self.num_heads}."
            )
        for index in self.global_attn_indexes:
            if not 0 <= index < self.depth:
                raise ValueError(
                    f"global_attn_indexes contains {index}, outside the {self.depth} blocks."
                )


VIT_B = EncoderConfig()
TINY = EncoderConfig(embed_dim=64, depth=2, num_heads=2, global_attn_indexes=(1,), name="tiny")

CONFIGS = {config.name: config for config in (VIT_B, TINY)}


def get_config(name: str) -> EncoderConfig:
    """Return the named configuration, or raise ValueError listing the valid names."""
    try:
        return CONFIGS[name]
    except KeyError:
        raise ValueError(
            f"Unknown model configuration {name!r}: expected one of {sorted(CONFIGS)}."
        ) from None

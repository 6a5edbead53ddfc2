"""MedSAM (SAM ViT-B fine-tuned on medical images) in PyTorch, for ONNX export."""

from .config import CONFIGS, TINY, VIT_B, EncoderConfig, get_config
from .model import DecoderGraph, EncoderGraph, MedSAM
from .random_weights import init_random_weights

__all__ = [
    "CONFIGS",
    "DecoderGraph",
    "EncoderConfig",
    "EncoderGraph",
    "MedSAM",
    "TINY",
    "VIT_B",
    "get_config",
    "init_random_weights",
]

"""Deterministic random weights for stand-in models and tests.

Every entry of the state_dict is drawn from one torch.Generator seeded with the
given seed, in state_dict order, so the same seed gives bit-identical weights
on any machine running the same torch version.
"""

import math

import torch
from torch import nn

from .layers import LayerNorm2d
from .model import MedSAM

EMBEDDING_STD = 1.0  # token embeddings and the Fourier matrix, as in torch's defaults
POSITION_STD = 0.02  # pos_embed and relative-position tables
BIAS_STD = 0.02
NORM_JITTER = 0.1  # LayerNorm gains are 1 + N(0, 0.1), offsets N(0, 0.1)


def _fan_in(module: nn.Module, weight: torch.Tensor) -> int:
    if isinstance(module, nn.ConvTranspose2d):
        # With kernel == stride, each output pixel gets one kernel tap per input channel.
        return weight.shape[0]
    return math.prod(weight.shape[1:])


def _sample(shape: torch.Size, std: float, generator: torch.Generator) -> torch.Tensor:
    return torch.randn(shape, generator=generator) * std


def _std_for(module: nn.Module, name: str, tensor: torch.Tensor) -> tuple:
    """Return (mean, std) for one tensor owned by `module`."""
    if isinstance(module, (nn.LayerNorm, LayerNorm2d)):
        return (1.0 if name == "weight" else 0.0), NORM_JITTER
    if isinstance(module, nn.Embedding):
        return 0.0, EMBEDDING_STD
    if isinstance(module, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
        if name == "bias":
            return 0.0, BIAS_STD
        # Unit-variance pre-activations keep 12 residual blocks finite.
        return 0.0, 1.0 / math.sqrt(_fan_in(module, tensor))
    if name in ("pos_embed", "rel_pos_h", "rel_pos_w"):
        return 0.0, POSITION_STD
    if name == "positional_encoding_gaussian_matrix":
        return 0.0, EMBEDDING_STD
    raise TypeError(
        f"No random initialisation rule for {name!r} of {type(module).__name__}; add one."
    )


@torch.no_grad()
def init_random_weights(model: MedSAM, seed: int) -> None:
    """Overwrite every parameter and persistent buffer of `model` from `seed`."""
    generator = torch.Generator().manual_seed(seed)
    modules = dict(model.named_modules())
    state = model.state_dict(keep_vars=True)
    for key, tensor in state.items():
        owner_name, _, local_name = key.rpartition(".")
        mean, std = _std_for(modules[owner_name], local_name, tensor)
        tensor.copy_(mean + _sample(tensor.shape, std, generator))

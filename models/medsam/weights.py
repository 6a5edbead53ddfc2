"""Build a MedSAM model from a PyTorch checkpoint or from seeded random weights."""

from pathlib import Path
from typing import Optional

import torch

from .config import get_config
from .model import MedSAM
from .random_weights import init_random_weights


def load_checkpoint(model: MedSAM, path: Path) -> None:
    """Load a state_dict saved with torch.save into `model`, requiring every key to match.

    Accepts a bare state_dict (the format of medsam_vit_b.pth) or a training
    checkpoint that stores it under "model".
    """
    state = torch.load(path, map_location="cpu")
    if isinstance(state, dict) and isinstance(state.get("model"), dict):
        state = state["model"]
    if not isinstance(state, dict):
        raise ValueError(f"{path} contains a {type(state).__name__}; expected a state_dict.")

    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    wrong_shape = sorted(
        f"{key} {list(state[key].shape)} (expected {list(expected[key].shape)})"
        for key in set(expected) & set(state)
        if tuple(state[key].shape) != tuple(expected[key].shape)
    )
    if missing or unexpected or wrong_shape:
        raise ValueError(
            f"{path} does not match the {model.config.name} architecture: "
            f"{len(missing)} missing keys {missing[:5]}, "
            f"{len(unexpected)} unexpected keys {unexpected[:5]}, "
            f"{len(wrong_shape)} shape mismatches {wrong_shape[:5]}. "
            "Check that it is a SAM ViT-B / MedSAM checkpoint and that --config matches it."
        )
    model.load_state_dict(state, strict=True)


def build_model(config_name: str, checkpoint: Optional[Path], seed: Optional[int]) -> MedSAM:
    """Return an eval-mode model with weights from exactly one of `checkpoint` or `seed`."""
    if (checkpoint is None) == (seed is None):
        raise ValueError("Pass exactly one of a checkpoint path or a random-weights seed.")
    model = MedSAM(get_config(config_name))
    if checkpoint is not None:
        load_checkpoint(model, checkpoint)
    else:
        init_random_weights(model, seed)
    return model.eval()

"""manifest.json in the `medsam-onnx/1` format of src/model/ModelManifest.ts."""

import json
from pathlib import Path
from typing import Dict, Optional

from .interface import (
    BOXES_SHAPE,
    DECODER_BOXES,
    DECODER_EMBEDDINGS,
    DECODER_OUTPUT,
    EMBEDDINGS_SHAPE,
    ENCODER_INPUT,
    ENCODER_INPUT_SHAPE,
    ENCODER_OUTPUT,
    LOGITS_SHAPE,
)
from .hashing import sha256_of_file

FORMAT = "medsam-onnx/1"

# The pre-processing MedSAM was trained with, as named in ModelManifest.ts.
PREPROCESSING = {
    "inputSize": 1024,
    "resize": "skimage-order3-antialias",
    "intensity": "medsam-ct-window-or-percentile",
    "normalization": "min-max-0-1",
}


def tensor_spec(name: str, shape: list) -> dict:
    return {"name": name, "shape": list(shape), "type": "float32"}


MEDSAM_IO = {
    "encoder": {
        "inputs": [tensor_spec(ENCODER_INPUT, ENCODER_INPUT_SHAPE)],
        "outputs": [tensor_spec(ENCODER_OUTPUT, EMBEDDINGS_SHAPE)],
    },
    "decoder": {
        "inputs": [
            tensor_spec(DECODER_EMBEDDINGS, EMBEDDINGS_SHAPE),
            tensor_spec(DECODER_BOXES, BOXES_SHAPE),
        ],
        "outputs": [tensor_spec(DECODER_OUTPUT, LOGITS_SHAPE)],
    },
}


def file_entry(path: Path, precision: str) -> dict:
    """Describe one model file; the path is relative to the manifest's folder."""
    return {
        "path": path.name,
        "sha256": sha256_of_file(path),
        "bytes": path.stat().st_size,
        "precision": precision,
    }


def build_manifest(
    *,
    name: str,
    version: str,
    stand_in: bool,
    architecture: str,
    encoders: Dict[str, Path],
    decoder: Path,
    checkpoint: Optional[Path] = None,
    checkpoint_sha256: Optional[str] = None,
    seed: Optional[int] = None,
) -> dict:
    """Return the manifest as a dict; `encoders` maps precision to file and must include fp32."""
    if "fp32" not in encoders:
        raise ValueError("The manifest format requires an fp32 encoder entry; none was given.")
    return {
        "format": FORMAT,
        "name": name,
        "version": version,
        "standIn": stand_in,
        "source": {
            "architecture": architecture,
            "checkpoint": checkpoint.name if checkpoint else None,
            "checkpointSha256": checkpoint_sha256,
            "randomWeightsSeed": seed,
        },
        "encoders": [file_entry(path, precision) for precision, path in encoders.items()],
        "decoder": file_entry(decoder, "fp32"),
        "io": MEDSAM_IO,
        "preprocessing": PREPROCESSING,
    }


def write_manifest(out_dir: Path, manifest: dict) -> Path:
    path = out_dir / "manifest.json"
    path.write_text(json.dumps(manifest, indent=1) + "\n")
    return path

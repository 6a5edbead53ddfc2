"""PyTorch reference outputs for a fixed pre-processed input, for parity checks.

Files are raw little-endian float32 in C order, so Node reads them with one
`new Float32Array(buffer)`:

  input.f32       [1, 3, 1024, 1024]  pre-processed image
  boxes.f32       [1, 4]              box in 1024 space
  embeddings.f32  [1, 256, 64, 64]    PyTorch image embeddings
  logits.f32      [1, 1, 256, 256]    PyTorch low-resolution logits
  reference.json  shapes, the DICOM file and the box in image pixels
"""

import json
import os
from pathlib import Path
from typing import Dict, Sequence

import numpy as np
import torch

from .model import MedSAM
from .preprocess import preprocess_ct_file

# Bounding box of the liver on slice 01.dcm of the ct-liver-3slice-dcmqi data
# set (x0, y0, x1, y1 in its 512x512 pixels), taken from the liver segment
# of that set's DICOM SEG.
DEFAULT_DICOM = "ct-liver-3slice-dcmqi/image/01.dcm"
DEFAULT_BOX_PIXELS = (81.0, 147.0, 348.0, 364.0)


def default_dicom_path() -> Path:
    """Return the reference CT slice under $MEDSAM_DATA_DIR (default: ../shared/data from the repo root)."""
    repo_root = Path(__file__).resolve().parents[2]
    data_dir = Path(os.environ.get("MEDSAM_DATA_DIR", repo_root.parent / "shared" / "data"))
    path = data_dir / DEFAULT_DICOM
    if not path.is_file():
        raise FileNotFoundError(
            f"Reference CT slice not found at {path}. Set MEDSAM_DATA_DIR to the data folder "
            f"that contains {DEFAULT_DICOM}, or pass another CT file and box explicitly."
        )
    return path


@torch.no_grad()
def compute_reference(model: MedSAM, dicom: Path, box_pixels: Sequence[float]) -> Dict[str, np.ndarray]:
    """Pre-process `dicom`, run the model on it and return input, box, embeddings and logits."""
    image, boxes = preprocess_ct_file(str(dicom), box_pixels)
    embeddings = model.encode(torch.from_numpy(image))
    logits = model.decode(embeddings, torch.from_numpy(boxes))
    return {
        "input": image,
        "boxes": boxes,
        "embeddings": embeddings.numpy(),
        "logits": logits.numpy(),
    }


def write_reference(out_dir: Path, arrays: Dict[str, np.ndarray], dicom: Path, box_pixels: Sequence[float]) -> None:
    """Write the arrays as raw float32 files plus reference.json describing them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, array in arrays.items():
        np.ascontiguousarray(array, dtype="<f4").tofile(out_dir / f"{name}.f32")
    description = {
        "dicom": str(dicom),
        "boxPixels": list(box_pixels),
        "shapes": {name: list(array.shape) for name, array in arrays.items()},
    }
    (out_dir / "reference.json").write_text(json.dumps(description, indent=1) + "\n")

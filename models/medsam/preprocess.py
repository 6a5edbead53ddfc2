"""MedSAM's pre-processing of a CT slice, used to build reference inputs.

The steps follow MedSAM's pre_CT_MR.py and inference code
(github.com/bowang-lab/MedSAM): clip the Hounsfield units to the window, min-max
scale the clipped values to uint8, replicate to 3 channels, resize to
1024x1024 with skimage (order 3, anti-aliasing, range preserved), cast back to
uint8, then min-max scale to [0, 1]. The model itself applies no normalisation.
"""

from typing import Sequence, Tuple

import numpy as np
import pydicom
from skimage import transform

from .config import IMAGE_SIZE

# Defaults of MedSAM's pre_CT_MR.py (a soft-tissue window).
CT_WINDOW_LEVEL_HU = 40.0
CT_WINDOW_WIDTH_HU = 400.0


def read_ct_hounsfield(path: str) -> np.ndarray:
    """Read a single-frame CT DICOM file and return its pixels in HU as float64 [rows, columns]."""
    dataset = pydicom.dcmread(path)
    if dataset.get("Modality") != "CT":
        raise ValueError(f"{path} has Modality {dataset.get('Modality')!r}; expected a CT image.")
    pixels = dataset.pixel_array
    if pixels.ndim != 2:
        raise ValueError(f"{path} has pixel array shape {pixels.shape}; expected one 2-D frame.")
    slope = float(dataset.get("RescaleSlope", 1.0))
    intercept = float(dataset.get("RescaleIntercept", 0.0))
    return pixels.astype(np.float64) * slope + intercept


def window_to_uint8(
    hounsfield: np.ndarray,
    level: float = CT_WINDOW_LEVEL_HU,
    width: float = CT_WINDOW_WIDTH_HU,
) -> np.ndarray:
    """Clip to the window, then min-max scale the clipped slice to 0..255 and truncate to uint8."""
    # NOTE: MedSAM takes the min and max over the whole clipped volume; a single
    # slice gives the same scaling only if it reaches both window limits.
    clipped = np.clip(hounsfield, level - width / 2, level + width / 2)
    span = clipped.max() - clipped.min()
    if span <= 0:
        raise ValueError("The windowed slice is constant; MedSAM's min-max scaling is undefined.")
    return ((clipped - clipped.min()) / span * 255.0).astype(np.uint8)


def to_model_input(gray_uint8: np.ndarray) -> np.ndarray:
    """Resize a uint8 slice to the [1, 3, 1024, 1024] float32 model input in [0, 1]."""
    three_channel = np.repeat(gray_uint8[:, :, None], 3, axis=-1)
    resized = transform.resize(
        three_channel,
        (IMAGE_SIZE, IMAGE_SIZE),
        order=3,
        preserve_range=True,
        mode="constant",
        anti_aliasing=True,
    ).astype(np.uint8)
    span = max(float(resized.max()) - float(resized.min()), 1e-8)
    scaled = (resized.astype(np.float64) - resized.min()) / span
    return scaled.transpose(2, 0, 1)[None].astype(np.float32)


def box_to_model_space(box_xyxy: Sequence[float], image_shape: Tuple[int, int]) -> np.ndarray:
    """Scale a box in image pixels (x0, y0, x1, y1) to the 1024x1024 input space, [1, 4] float32."""
    rows, columns = image_shape
    scale = np.array([columns, rows, columns, rows], dtype=np.float64)
    return (np.asarray(box_xyxy, dtype=np.float64) / scale * IMAGE_SIZE)[None].astype(np.float32)


def preprocess_ct_file(path: str, box_xyxy: Sequence[float]) -> Tuple[np.ndarray, np.ndarray]:
    """Return (model input [1, 3, 1024, 1024], box [1, 4] in 1024 space) for a CT DICOM file."""
    hounsfield = read_ct_hounsfield(path)
    image = to_model_input(window_to_uint8(hounsfield))
    return image, box_to_model_space(box_xyxy, hounsfield.shape)

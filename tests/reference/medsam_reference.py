#!/usr/bin/python3
"""Reference implementation of MedSAM's pre- and post-processing for parity tests.

It follows MedSAM's own scripts in bowang-lab/MedSAM: pre_CT_MR.py for the
intensity mapping, pre_grey_rgb2D.py and MedSAM_Inference.py for the
resize, MedSAM_Inference.py for the tensor, box scaling and mask
post-processing. It calls scikit-image's resize and torch's interpolate
itself, so the TypeScript code is checked against those libraries rather
than against a port of itself.

Usage: medsam_reference.py WORK_DIR

WORK_DIR/request.json lists the cases, and the raw arrays they name sit
beside it as little-endian files. Results are written to WORK_DIR as <case>.<output>.bin
and a summary to WORK_DIR/response.json. Run it with Debian's
/usr/bin/python3 (numpy, scikit-image, pydicom, torch).
"""

import json
import os
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pydicom.pixel_data_handlers.util import apply_color_lut, convert_color_space
from skimage import transform

INPUT_SIZE = 1024


def load_raw(work_dir, spec):
    """Read a raw array written by the test: {file, dtype, shape}."""
    data = np.fromfile(os.path.join(work_dir, spec["file"]), dtype=np.dtype(spec["dtype"]).newbyteorder("<"))
    return data.reshape(spec["shape"])


def rescale_of(dataset, frame):
    """RescaleSlope/RescaleIntercept from the top level or an enhanced object's functional groups."""
    if "RescaleSlope" in dataset and "RescaleIntercept" in dataset:
        return float(dataset.RescaleSlope), float(dataset.RescaleIntercept)
    groups = []
    if "PerFrameFunctionalGroupsSequence" in dataset:
        groups.append(dataset.PerFrameFunctionalGroupsSequence[frame])
    if "SharedFunctionalGroupsSequence" in dataset:
        groups.append(dataset.SharedFunctionalGroupsSequence[0])
    for group in groups:
        if "PixelValueTransformationSequence" in group:
            item = group.PixelValueTransformationSequence[0]
            return float(item.RescaleSlope), float(item.RescaleIntercept)
    return None


def read_dicom_frame(path, frame):
    """Read a file with pydicom and return the dataset and the pixel_array of one frame."""
    dataset = pydicom.dcmread(path)
    pixels = dataset.pixel_array
    frames = int(getattr(dataset, "NumberOfFrames", 1) or 1)
    if frames > 1:
        pixels = pixels[frame]
    return dataset, pixels


def load_dicom_frame(path, frame):
    """Decode one frame with pydicom and return its modality values as float64.

    The rescale is applied in float64 as pydicom's apply_modality_lut does,
    and MONOCHROME1 is inverted over the frame's own range (min + max - v),
    the convention of invertMonochrome1. Colour frames become RGB as MedSAM's
    scripts expect: YBR_FULL and YBR_FULL_422 through convert_color_space
    (pydicom returns them as YCbCr, uncompressed 4:2:2 already expanded),
    PALETTE COLOR through apply_color_lut. YBR_RCT and YBR_ICT are already RGB,
    because the JPEG 2000 decoder applies the inverse colour transform.
    """
    dataset, pixels = read_dicom_frame(path, frame)
    photometric = str(dataset.PhotometricInterpretation)
    if photometric in ("RGB", "YBR_RCT", "YBR_ICT"):
        return pixels.astype(np.float64)
    if photometric in ("YBR_FULL", "YBR_FULL_422"):
        return convert_color_space(pixels, photometric, "RGB").astype(np.float64)
    if photometric == "PALETTE COLOR":
        return apply_color_lut(pixels, dataset).astype(np.float64)
    if photometric not in ("MONOCHROME1", "MONOCHROME2"):
        raise ValueError(f"{path}: photometric interpretation {photometric} is not handled here")
    values = pixels.astype(np.float64)
    rescale = rescale_of(dataset, frame)
    if rescale is not None:
        values = values * rescale[0] + rescale[1]
    if photometric == "MONOCHROME1":
        values = values.min() + values.max() - values
    return values


def load_image(work_dir, source):
    if source["type"] == "raw":
        return load_raw(work_dir, source).astype(np.float64)
    return load_dicom_frame(source["path"], source.get("frame", 0))


def percentiles_of_positive(volume):
    """0.5th and 99.5th percentiles of values > 0, as pre_CT_MR.py computes them."""
    positive = volume[volume > 0]
    return float(np.percentile(positive, 0.5)), float(np.percentile(positive, 99.5))


def intensity_to_uint8(policy, volume):
    """The intensity stage of pre_CT_MR.py (CT window or percentiles) and of RGB input.

    `volume` is the array the min-max runs over: the slice itself, or the
    whole volume when percentiles come from the volume (then the slice is cut
    out of the mapped volume afterwards by the caller).
    """
    kind = policy["kind"]
    if kind == "ct-window":
        lower = policy["windowCenterHU"] - policy["windowWidthHU"] / 2
        upper = policy["windowCenterHU"] + policy["windowWidthHU"] / 2
        clipped = np.clip(volume, lower, upper)
        mapped = (clipped - np.min(clipped)) / (np.max(clipped) - np.min(clipped)) * 255.0
        return np.uint8(mapped), {"low": float(np.min(clipped)), "high": float(np.max(clipped))}
    if kind == "percentile":
        lower, upper = policy["lowValue"], policy["highValue"]
        clipped = np.clip(volume, lower, upper)
        mapped = (clipped - np.min(clipped)) / (np.max(clipped) - np.min(clipped)) * 255.0
        mapped[volume == 0] = 0
        return np.uint8(mapped), {"low": float(np.min(clipped)), "high": float(np.max(clipped))}
    if kind == "rgb":
        if volume.min() >= 0 and volume.max() <= 255:
            return np.uint8(volume), {"low": 0.0, "high": 255.0}
        mapped = (volume - volume.min()) / (volume.max() - volume.min()) * 255.0
        return np.uint8(mapped), {"low": float(volume.min()), "high": float(volume.max())}
    raise ValueError(f"unknown policy kind {kind}")


def model_input(uint8_image):
    """MedSAM_Inference.py's image steps, with mode='constant' as pre_grey_rgb2D.py resizes training images."""
    if uint8_image.ndim == 2:
        img_3c = np.repeat(uint8_image[:, :, None], 3, axis=-1)
    else:
        img_3c = uint8_image
    resized = transform.resize(
        img_3c,
        (INPUT_SIZE, INPUT_SIZE),
        order=3,
        preserve_range=True,
        mode="constant",
        anti_aliasing=True,
    )
    img_1024 = resized.astype(np.uint8)
    normalized = (img_1024 - img_1024.min()) / np.clip(img_1024.max() - img_1024.min(), a_min=1e-8, a_max=None)
    tensor = normalized.astype(np.float32).transpose(2, 0, 1)[None]
    return resized, img_1024, np.ascontiguousarray(tensor)


def resize_unclipped(work_dir, case):
    """skimage resize of one float channel with clip=False, to compare the interpolation itself."""
    image = load_raw(work_dir, case["image"]).astype(np.float64)
    height, width = case["targetShape"]
    out = transform.resize(
        image, (height, width), order=3, preserve_range=True, mode="constant", anti_aliasing=True, clip=False
    )
    return {"resized": out.astype(np.float64)}, {}


def run_image(work_dir, case):
    source = case["source"]
    image = load_image(work_dir, source)
    policy = dict(case["policy"])

    volume = image
    slice_index = None
    if policy["kind"] == "ct-window" and "volumeSources" in case:
        # pre_CT_MR.py clips the whole volume and takes its min and max.
        volume = np.stack([load_image(work_dir, s) for s in case["volumeSources"]])
        slice_index = case["volumeSliceIndex"]
    if policy["kind"] == "percentile":
        if policy["source"] == "volume":
            slices = [load_image(work_dir, s) for s in case["volumeSources"]]
            volume = np.stack(slices)
            slice_index = case["volumeSliceIndex"]
        low, high = percentiles_of_positive(volume)
        policy["lowValue"], policy["highValue"] = low, high

    uint8_volume, mapped_range = intensity_to_uint8(policy, volume)
    uint8_image = uint8_volume if slice_index is None else uint8_volume[slice_index]

    resized, img_1024, tensor = model_input(uint8_image)
    outputs = {
        "modality": image.astype(np.float64),
        "uint8": uint8_image,
        "resized": resized[:, :, 0] if uint8_image.ndim == 2 else resized,
        "uint8_1024": img_1024[:, :, 0] if uint8_image.ndim == 2 else img_1024,
        "tensor": tensor,
    }
    info = {"policy": policy, "mappedRange": mapped_range}
    return outputs, info


def run_decode(work_dir, case):
    """pydicom's decoded modality values of one frame, to check the TypeScript DICOM reader.

    For PALETTE COLOR it also returns the whole expanded table ("lut", entries x 3),
    found by applying the palette to every mapped value.
    """
    source = case["source"]
    outputs = {"modality": load_image(work_dir, source)}
    dataset, pixels = read_dicom_frame(source["path"], source.get("frame", 0))
    outputs["pixelArray"] = pixels
    if str(dataset.PhotometricInterpretation) == "PALETTE COLOR":
        entries, first_mapped, _bits = dataset.RedPaletteColorLookupTableDescriptor
        entries = entries or 2**16
        outputs["lut"] = apply_color_lut(np.arange(first_mapped, first_mapped + entries), dataset)
    return outputs, {}


def run_convert_ybr(work_dir, case):
    """pydicom's convert_color_space from YBR_FULL to RGB on a raw (rows, columns, 3) uint8 array."""
    image = load_raw(work_dir, case["image"])
    return {"rgb": convert_color_space(image, "YBR_FULL", "RGB")}, {}


def run_palette(work_dir, case):
    """pydicom's apply_color_lut on raw stored values with synthetic Palette Color LUTs.

    Each channel gives a descriptor and either "data" or "segmentedData" (raw arrays).
    """
    dataset = Dataset()
    dataset.is_little_endian = True
    dataset.is_implicit_VR = False
    for channel in ("Red", "Green", "Blue"):
        spec = case["lut"][channel.lower()]
        setattr(dataset, f"{channel}PaletteColorLookupTableDescriptor", spec["descriptor"])
        if "data" in spec:
            setattr(dataset, f"{channel}PaletteColorLookupTableData", load_raw(work_dir, spec["data"]).tobytes())
        else:
            table = load_raw(work_dir, spec["segmentedData"]).tobytes()
            setattr(dataset, f"Segmented{channel}PaletteColorLookupTableData", table)
    stored = load_raw(work_dir, case["image"])
    return {"rgb": apply_color_lut(stored, dataset)}, {}


def run_box(work_dir, case):
    width, height = case["imageWidth"], case["imageHeight"]
    boxes = np.array(case["boxes"], dtype=np.float64)
    box_1024 = boxes / np.array([width, height, width, height]) * INPUT_SIZE
    return {"boxes": box_1024.astype(np.float32)}, {}


def run_mask(work_dir, case):
    import torch
    import torch.nn.functional as F

    logits = load_raw(work_dir, case["logits"]).astype(np.float32).reshape(1, 1, 256, 256)
    height, width = case["imageHeight"], case["imageWidth"]
    with torch.no_grad():
        probabilities = torch.sigmoid(torch.from_numpy(logits))
        resized = F.interpolate(probabilities, size=(height, width), mode="bilinear", align_corners=False)
    resized = resized.squeeze().cpu().numpy().reshape(height, width)
    mask = (resized > 0.5).astype(np.uint8)
    return {"mask": mask, "probability": resized.astype(np.float32)}, {}


RUNNERS = {
    "decode": run_decode,
    "image": run_image,
    "box": run_box,
    "mask": run_mask,
    "resize": resize_unclipped,
    "convert-ybr": run_convert_ybr,
    "palette": run_palette,
}


def main():
    work_dir = sys.argv[1]
    with open(os.path.join(work_dir, "request.json")) as handle:
        request = json.load(handle)

    response = {}
    for case in request["cases"]:
        outputs, info = RUNNERS[case["kind"]](work_dir, case)
        files = {}
        for name, array in outputs.items():
            file_name = f"{case['name']}.{name}.bin".replace("/", "_")
            np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tofile(os.path.join(work_dir, file_name))
            files[name] = {"file": file_name, "dtype": array.dtype.name, "shape": list(array.shape)}
        response[case["name"]] = {"files": files, **info}

    with open(os.path.join(work_dir, "response.json"), "w") as handle:
        json.dump(response, handle)


if __name__ == "__main__":
    main()

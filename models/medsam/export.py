"""Write encoder and decoder ONNX files for the requested encoder precisions."""

import logging
from pathlib import Path
from typing import Dict, Sequence

import onnx

from .model import MedSAM
from .onnx_export import export_decoder, export_encoder
from .onnx_fp16 import convert_to_fp16
from .onnx_int8 import quantize_matmul_weights

log = logging.getLogger("medsam.export")

PRECISIONS = ("fp32", "fp16", "int8")
ENCODER_FILES = {"fp32": "encoder.onnx", "fp16": "encoder.fp16.onnx", "int8": "encoder.int8.onnx"}
DECODER_FILE = "decoder.onnx"


def parse_precisions(text: str) -> list:
    """Parse a comma-separated precision list such as "fp32,fp16"; fp32 is always included."""
    requested = [item.strip() for item in text.split(",") if item.strip()]
    unknown = [item for item in requested if item not in PRECISIONS]
    if unknown:
        raise ValueError(f"Unknown precision(s) {unknown}: expected a subset of {list(PRECISIONS)}.")
    return [precision for precision in PRECISIONS if precision == "fp32" or precision in requested]


def export_model(model: MedSAM, out_dir: Path, precisions: Sequence[str]) -> Dict[str, Path]:
    """Export the decoder and one encoder per precision into out_dir.

    Returns {"decoder": path, "fp32": path, ...}. The decoder is always fp32,
    because it is small and its logits feed a 0.5 threshold directly.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"decoder": out_dir / DECODER_FILE, "fp32": out_dir / ENCODER_FILES["fp32"]}

    log.info("Exporting the decoder to %s", paths["decoder"])
    export_decoder(model, paths["decoder"])
    log.info("Exporting the fp32 encoder to %s", paths["fp32"])
    export_encoder(model, paths["fp32"])

    if "fp16" in precisions or "int8" in precisions:
        encoder = onnx.load(str(paths["fp32"]))
    if "fp16" in precisions:
        paths["fp16"] = out_dir / ENCODER_FILES["fp16"]
        log.info("Converting the encoder to fp16: %s", paths["fp16"])
        converted = convert_to_fp16(encoder)
        onnx.checker.check_model(converted, full_check=True)
        onnx.save(converted, str(paths["fp16"]))
    if "int8" in precisions:
        paths["int8"] = out_dir / ENCODER_FILES["int8"]
        quantized, count = quantize_matmul_weights(encoder)
        log.info("Quantised %d MatMul weights to int8: %s", count, paths["int8"])
        onnx.checker.check_model(quantized, full_check=True)
        onnx.save(quantized, str(paths["int8"]))
    return paths

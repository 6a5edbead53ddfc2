"""Parity gate: run the exported ONNX files in onnxruntime-node against PyTorch.

The fp32 export must reproduce PyTorch, or the import fails. An fp16 or int8
encoder is kept only if its mask agrees with the fp32 ONNX mask on the
reference input, because reduced precision that changes the segmentation is
worse than a slower model.
"""

import json
import logging
import os
import shutil
import subprocess
from pathlib import Path
from typing import Dict, Tuple

log = logging.getLogger("medsam.parity")

CHECK_SCRIPT = Path(__file__).resolve().parents[1] / "check_parity.mjs"

FP32_MAX_LOGIT_DIFF = 1e-3
FP32_MIN_DICE = 0.999
REDUCED_MIN_DICE = 0.98  # fp16 and int8, Dice of logits > 0 against the fp32 ONNX mask
TIMEOUT_S = 1800  # ViT-B runs three encoders on the CPU


def run_onnxruntime(model_dir: Path, reference_dir: Path) -> dict:
    """Run check_parity.mjs and return its JSON result."""
    node = os.environ.get("MEDSAM_NODE") or shutil.which("node")
    if node is None:
        raise RuntimeError(
            "node was not found on PATH, so the ONNX files cannot be checked in onnxruntime-node. "
            "Install Node.js and run `npm ci`, set MEDSAM_NODE, or pass --precisions fp32 --no-parity-check."
        )
    command = [node, str(CHECK_SCRIPT), str(model_dir), str(reference_dir)]
    log.info("Running %s", " ".join(command))
    completed = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
    if completed.returncode != 0:
        raise RuntimeError(f"check_parity.mjs failed with exit code {completed.returncode}:\n{completed.stderr}")
    return json.loads(completed.stdout)


def judge(results: dict) -> Tuple[Dict[str, str], list]:
    """Return ({precision: reason} for rejected reduced precisions, [fp32 failures])."""
    fp32 = results["fp32"]
    fp32_failures = []
    if fp32["logitsMaxAbsDiffTorch"] > FP32_MAX_LOGIT_DIFF:
        fp32_failures.append(
            f"max |logit difference| {fp32['logitsMaxAbsDiffTorch']:.3g} > {FP32_MAX_LOGIT_DIFF}"
        )
    if fp32["diceTorch"] < FP32_MIN_DICE:
        fp32_failures.append(f"Dice {fp32['diceTorch']:.5f} < {FP32_MIN_DICE}")

    rejected = {}
    for precision in ("fp16", "int8"):
        entry = results.get(precision)
        if entry is not None and entry["diceFp32"] < REDUCED_MIN_DICE:
            rejected[precision] = (
                f"Dice {entry['diceFp32']:.4f} against the fp32 mask is below {REDUCED_MIN_DICE}"
            )
    return rejected, fp32_failures


THRESHOLDS = {
    "fp32MaxLogitDiffTorch": FP32_MAX_LOGIT_DIFF,
    "fp32MinDiceTorch": FP32_MIN_DICE,
    "reducedPrecisionMinDiceFp32": REDUCED_MIN_DICE,
}

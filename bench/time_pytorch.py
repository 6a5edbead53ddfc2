"""Time the MedSAM image encoder and decoder in PyTorch on the CPU.

Usage:
  time_pytorch.py --random-weights SEED [--config vit_b] --threads N [--runs 3] [--decoder-runs 20]
  time_pytorch.py --checkpoint medsam_vit_b.pth --threads N

The input is the CT slice that the ONNX benchmark uses, pre-processed by
models/medsam/preprocess.py, with the box given by --box (image pixels).
The weights come from models/medsam/weights.py, so a seed gives the same
weights as `model:import --random-weights SEED`. Prints one JSON object:
{"threads", "encoderMs": [...], "decoderMs": [...], "maskFraction"}.
Every run is timed, the first one included, as in bench/runWorkerBench.ts.
"""

import argparse
import json
import sys
import time
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
sys.path.insert(0, str(MODELS_DIR))

import torch  # noqa: E402

from medsam.config import CONFIGS  # noqa: E402
from medsam.preprocess import preprocess_ct_file  # noqa: E402
from medsam.reference import DEFAULT_BOX_PIXELS, default_dicom_path  # noqa: E402
from medsam.weights import build_model  # noqa: E402


def parse_box(text: str):
    values = [float(value) for value in text.split(",")]
    if len(values) != 4:
        raise argparse.ArgumentTypeError(f"Invalid box {text!r}: expected x0,y0,x1,y1.")
    return values


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    weights = parser.add_mutually_exclusive_group(required=True)
    weights.add_argument("--checkpoint", type=Path, help="PyTorch state_dict, e.g. medsam_vit_b.pth")
    weights.add_argument("--random-weights", type=int, metavar="SEED", help="seed of the stand-in weights")
    parser.add_argument("--config", choices=sorted(CONFIGS), default="vit_b", help="encoder size (default vit_b)")
    parser.add_argument("--threads", type=int, required=True, help="torch intra-op CPU threads")
    parser.add_argument("--runs", type=int, default=3, help="timed encoder runs (default 3)")
    parser.add_argument("--decoder-runs", type=int, default=20, help="timed decoder runs (default 20)")
    parser.add_argument("--dicom", type=Path, help="CT DICOM file (default: the liver slice in the data folder)")
    parser.add_argument("--box", type=parse_box, help="x0,y0,x1,y1 in image pixels (default: the liver box)")
    args = parser.parse_args(argv)
    if args.threads < 1 or args.runs < 1 or args.decoder_runs < 1:
        parser.error("--threads, --runs and --decoder-runs must be at least 1")

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    dicom = args.dicom or default_dicom_path()
    box = args.box or list(DEFAULT_BOX_PIXELS)
    model = build_model(args.config, args.checkpoint, args.random_weights)
    image, boxes = preprocess_ct_file(str(dicom), box)
    image_tensor = torch.from_numpy(image)
    boxes_tensor = torch.from_numpy(boxes)

    encoder_ms = []
    decoder_ms = []
    with torch.inference_mode():
        for _ in range(args.runs):
            started = time.perf_counter()
            embeddings = model.encode(image_tensor)
            encoder_ms.append((time.perf_counter() - started) * 1000)
        for _ in range(args.decoder_runs):
            started = time.perf_counter()
            logits = model.decode(embeddings, boxes_tensor)
            decoder_ms.append((time.perf_counter() - started) * 1000)

    result = {
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "encoderMs": encoder_ms,
        "decoderMs": decoder_ms,
        "maskFraction": float((logits > 0).float().mean()),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

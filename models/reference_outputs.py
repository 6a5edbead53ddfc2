"""Dump PyTorch reference outputs for a pre-processed CT slice, for parity tests.

Usage:
  reference_outputs.py --random-weights SEED [--config tiny] --out DIR
  reference_outputs.py --checkpoint medsam_vit_b.pth --out DIR [--dicom FILE --box x0,y0,x1,y1]

Writes input.f32, boxes.f32, embeddings.f32, logits.f32 (raw little-endian
float32) and reference.json into DIR; see medsam/reference.py for the shapes.
The default input is the liver slice under $MEDSAM_DATA_DIR.
"""

import argparse
import sys
from pathlib import Path

import torch

from medsam.config import CONFIGS
from medsam.reference import DEFAULT_BOX_PIXELS, compute_reference, default_dicom_path, write_reference
from medsam.weights import build_model


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    weights = parser.add_mutually_exclusive_group(required=True)
    weights.add_argument("--checkpoint", type=Path, help="PyTorch state_dict, e.g. medsam_vit_b.pth")
    weights.add_argument("--random-weights", type=int, metavar="SEED", help="seed for stand-in weights")
    parser.add_argument("--config", choices=sorted(CONFIGS), default="vit_b", help="encoder size (default vit_b)")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--dicom", type=Path, help="CT DICOM file (default: the liver slice in the data folder)")
    parser.add_argument(
        "--box",
        type=lambda text: [float(value) for value in text.split(",")],
        help="x0,y0,x1,y1 in the DICOM's pixels (default: the liver box of the default slice)",
    )
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads (default 2)")
    args = parser.parse_args(argv)
    if args.box is not None and (len(args.box) != 4 or args.dicom is None):
        parser.error("--box needs 4 numbers x0,y0,x1,y1 and an explicit --dicom")

    torch.set_num_threads(args.threads)
    dicom = args.dicom or default_dicom_path()
    box = args.box or DEFAULT_BOX_PIXELS
    model = build_model(args.config, args.checkpoint, args.random_weights)
    write_reference(args.out, compute_reference(model, dicom, box), dicom, box)
    print(args.out / "reference.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())

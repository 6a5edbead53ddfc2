"""Export MedSAM to ONNX files (no manifest and no parity check).

Usage:
  export_onnx.py --checkpoint medsam_vit_b.pth --out DIR [--precisions fp32,fp16,int8]
  export_onnx.py --random-weights SEED --config tiny --out DIR

import_checkpoint.py runs this export and then checks parity and writes
manifest.json. Use it instead unless only the raw graphs are needed.
"""

import argparse
import logging
import sys
from pathlib import Path

import torch

from medsam.config import CONFIGS
from medsam.export import export_model, parse_precisions
from medsam.weights import build_model


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    weights = parser.add_mutually_exclusive_group(required=True)
    weights.add_argument("--checkpoint", type=Path, help="PyTorch state_dict, e.g. medsam_vit_b.pth")
    weights.add_argument("--random-weights", type=int, metavar="SEED", help="seed for stand-in weights")
    parser.add_argument("--config", choices=sorted(CONFIGS), default="vit_b", help="encoder size (default vit_b)")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument(
        "--precisions", default="fp32,fp16,int8", help="encoder precisions to write (default fp32,fp16,int8)"
    )
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads (default 2)")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    torch.set_num_threads(args.threads)
    model = build_model(args.config, args.checkpoint, args.random_weights)
    for role, path in export_model(model, args.out, parse_precisions(args.precisions)).items():
        print(f"{role}: {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

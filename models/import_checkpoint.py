"""Import MedSAM weights into an ONNX model folder with manifest.json.

Usage:
  import_checkpoint.py /path/to/medsam_vit_b.pth --out DIR
  import_checkpoint.py --random-weights SEED --out DIR [--config tiny|vit_b]

Writes encoder.onnx (fp32), encoder.fp16.onnx, encoder.int8.onnx,
decoder.onnx, manifest.json and parity.json into DIR. The exported files
are run in onnxruntime-node (through check_parity.mjs) on a pre-processed CT
slice: the fp32 export must match PyTorch, and fp16/int8 encoders whose masks
differ from the fp32 mask are deleted and left out of the manifest.
"""

import argparse
import json
import logging
import sys
import tempfile
from pathlib import Path

import torch

from medsam import parity
from medsam.config import CONFIGS
from medsam.export import export_model, parse_precisions
from medsam.manifest import build_manifest, write_manifest
from medsam.reference import DEFAULT_BOX_PIXELS, compute_reference, default_dicom_path, write_reference
from medsam.hashing import sha256_of_file
from medsam.weights import build_model

log = logging.getLogger("medsam.import")

ARCHITECTURES = {
    "vit_b": "SAM ViT-B (image encoder, prompt encoder, mask decoder), single-mask output",
    "tiny": "SAM layout with a tiny ViT image encoder (dim 64, depth 2), single-mask output",
}


def describe(args) -> dict:
    """Return the name, version and stand-in flag for the manifest."""
    if args.random_weights is not None:
        label = "ViT-B" if args.config == "vit_b" else "tiny ViT"
        return {
            "name": f"Stand-in {label}, seeded random weights (not MedSAM)",
            "version": f"{args.config}-seed{args.random_weights}",
            "stand_in": True,
        }
    sha = sha256_of_file(args.checkpoint)
    if args.config != "vit_b" or args.stand_in:
        name = args.name or f"Stand-in {args.config} from {args.checkpoint.name} (not MedSAM)"
        return {"name": name, "version": f"{args.config}-{sha[:12]}", "stand_in": True, "sha": sha}
    # NOTE: nothing checks that a ViT-B checkpoint contains MedSAM's trained
    # weights; an original SAM ViT-B file has the same keys. Pass --stand-in
    # or --name for anything other than medsam_vit_b.pth.
    name = args.name or f"MedSAM ViT-B ({args.checkpoint.name})"
    return {"name": name, "version": f"vit_b-{sha[:12]}", "stand_in": False, "sha": sha}


def check_parity(model, args, precisions) -> dict:
    """Run the parity gate, delete rejected encoders and return the parity record."""
    dicom = args.parity_dicom or default_dicom_path()
    box = args.parity_box or DEFAULT_BOX_PIXELS
    with tempfile.TemporaryDirectory(prefix="medsam-parity-") as reference_dir:
        log.info("Computing PyTorch reference outputs on %s", dicom)
        write_reference(Path(reference_dir), compute_reference(model, dicom, box), dicom, box)
        results = parity.run_onnxruntime(args.out, Path(reference_dir))

    rejected, fp32_failures = parity.judge(results)
    if fp32_failures:
        raise RuntimeError(
            "The fp32 ONNX export does not reproduce PyTorch: " + "; ".join(fp32_failures)
        )
    for precision, reason in rejected.items():
        log.warning("Leaving %s out of the manifest: %s", precision, reason)
        (args.out / f"encoder.{precision}.onnx").unlink()
    return {
        "input": {"dicom": Path(dicom).name, "boxPixels": list(box)},
        "runtime": "onnxruntime-node",
        "thresholds": parity.THRESHOLDS,
        "results": results,
        "rejected": rejected,
        "kept": [precision for precision in precisions if precision not in rejected],
    }


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint", nargs="?", type=Path, help="PyTorch state_dict, e.g. medsam_vit_b.pth")
    parser.add_argument("--random-weights", type=int, metavar="SEED", help="seed for stand-in weights")
    parser.add_argument("--config", choices=sorted(CONFIGS), default="vit_b", help="encoder size (default vit_b)")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--name", help="model name shown to the user (default derived from the source)")
    parser.add_argument("--stand-in", action="store_true", help="mark a checkpoint as not MedSAM's weights")
    parser.add_argument(
        "--precisions", default="fp32,fp16,int8", help="encoder precisions to try (default fp32,fp16,int8)"
    )
    parser.add_argument("--parity-dicom", type=Path, help="CT DICOM file for the parity check")
    parser.add_argument(
        "--parity-box",
        type=lambda text: [float(value) for value in text.split(",")],
        help="x0,y0,x1,y1 in the parity DICOM's pixels",
    )
    parser.add_argument(
        "--no-parity-check",
        action="store_true",
        help="skip onnxruntime; only allowed with --precisions fp32",
    )
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads (default 2)")
    args = parser.parse_args(argv)

    if (args.checkpoint is None) == (args.random_weights is None):
        parser.error("pass either a checkpoint path or --random-weights SEED, not both or neither")
    if args.parity_box is not None and len(args.parity_box) != 4:
        parser.error(f"--parity-box needs 4 numbers x0,y0,x1,y1, got {args.parity_box}")
    if args.parity_box is not None and args.parity_dicom is None:
        parser.error("--parity-box needs --parity-dicom")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    torch.set_num_threads(args.threads)
    precisions = parse_precisions(args.precisions)
    if args.no_parity_check and precisions != ["fp32"]:
        log.error("--no-parity-check is only allowed with --precisions fp32, got %s", precisions)
        return 2

    description = describe(args)
    model = build_model(args.config, args.checkpoint, args.random_weights)
    paths = export_model(model, args.out, precisions)

    if args.no_parity_check:
        log.warning("Parity check skipped: the fp32 export was not compared with PyTorch.")
        record = {"skipped": True}
    else:
        record = check_parity(model, args, precisions)
    kept = [precision for precision in precisions if precision not in record.get("rejected", {})]
    (args.out / "parity.json").write_text(json.dumps(record, indent=1) + "\n")

    manifest = build_manifest(
        name=description["name"],
        version=description["version"],
        stand_in=description["stand_in"],
        architecture=ARCHITECTURES[args.config],
        encoders={precision: paths[precision] for precision in kept},
        decoder=paths["decoder"],
        checkpoint=args.checkpoint,
        checkpoint_sha256=description.get("sha"),
        seed=args.random_weights,
    )
    print(write_manifest(args.out, manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())

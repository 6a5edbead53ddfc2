#!/bin/sh
# Import a MedSAM checkpoint (or seeded stand-in weights) into an ONNX model folder.
# Arguments go to import_checkpoint.py; run it with --help for the options.
# Set MEDSAM_PYTHON to use an interpreter other than /usr/bin/python3 (it needs torch and onnx).
set -eu
exec "${MEDSAM_PYTHON:-/usr/bin/python3}" "$(dirname "$0")/import_checkpoint.py" "$@"

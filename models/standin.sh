#!/bin/sh
# Write the inscribed-ellipse stand-in models: standin.sh --out DIR
# Set MEDSAM_PYTHON to use an interpreter other than /usr/bin/python3 (it needs numpy and onnx).
set -eu
exec "${MEDSAM_PYTHON:-/usr/bin/python3}" "$(dirname "$0")/make_standin.py" "$@"

#!/bin/sh
# Run the Python tests of models/ with Debian's interpreter, which has torch and onnx.
# Set MEDSAM_PYTHON to use another interpreter.
set -eu
cd "$(dirname "$0")"
exec "${MEDSAM_PYTHON:-/usr/bin/python3}" -m unittest discover -s tests -t . "$@"

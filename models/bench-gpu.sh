#!/bin/sh
# Runs the model benchmark (bench/runWorkerBench.ts) on a machine with an
# NVIDIA GPU and a Vulkan driver, with a WebGPU row in headless Chromium
# launched with Vulkan flags and without --disable-gpu. It prints the
# tables and writes build/bench/model.json.
#
#   models/bench-gpu.sh [bench options, e.g. --runs 5 --skip-pytorch]
#
# From a clean checkout it installs what is missing: the Debian packages
# (as root), node_modules (npm ci), the bundles (npm run build), and the
# seeded ViT-B model in build/models/vit-b (about 3 minutes and 5 GB of
# memory). Those steps need network access, and so does the OHIF viewer
# tarball that the viewer server serves. The script does not install the
# NVIDIA driver with its Vulkan ICD. It also needs the data folder with
# ct-liver-3slice-dcmqi/image/01.dcm in MEDSAM_DATA_DIR (default
# ../shared/data beside the checkout).
#
# Environment: MODEL_DIR (default build/models/vit-b), MEDSAM_DATA_DIR,
# MEDSAM_CHROMIUM (default /usr/bin/chromium), MEDSAM_BUNDLE_DIR (serve
# bundles from there and skip npm run build).
#
# NOTE: not yet run on a machine with a GPU. Check the "webgpuAdapter" line
# of the output: "google / swiftshader" means Chromium did not use the GPU.
set -eu

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"
model_dir=${MODEL_DIR:-build/models/vit-b}
data_dir=${MEDSAM_DATA_DIR:-$repo_root/../shared/data}

log() {
  printf '%s bench-gpu: %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

fail() {
  log "error: $*"
  exit 1
}

# 1. Debian packages: Chromium, the Vulkan loader and vulkaninfo, and the
# Python packages of models/ (export and the PyTorch rows).
packages="chromium libvulkan1 vulkan-tools python3-torch python3-onnx python3-pydicom python3-skimage python3-numpy"
missing=""
for package in $packages; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    fail "missing Debian packages:$missing. Install them as root with: apt-get update && apt-get install -y$missing"
  fi
  log "installing Debian packages:$missing"
  apt-get update
  # shellcheck disable=SC2086 # the list is split on purpose
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
fi

# 2. The GPU and its Vulkan driver, which this script does not install.
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2 || log "nvidia-smi failed"
else
  log "warning: nvidia-smi not found; the NVIDIA driver may be missing"
fi
if ! vulkaninfo --summary >/tmp/medsam-vulkaninfo.txt 2>&1; then
  log "warning: vulkaninfo --summary failed, so Chromium will likely offer only SwiftShader:"
  tail -5 /tmp/medsam-vulkaninfo.txt >&2
else
  grep -E "deviceName|driverName|apiVersion" /tmp/medsam-vulkaninfo.txt >&2 || true
fi

# 3. node_modules, without onnxruntime-node's download of GPU binaries.
if [ ! -f node_modules/.package-lock.json ]; then
  log "running npm ci"
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
fi

# 4. The bundles, with the benchmark page dist/medsam/bench.html.
if [ -z "${MEDSAM_BUNDLE_DIR:-}" ]; then
  log "building the bundles with npm run build"
  npm run build
fi

# 5. The seeded ViT-B model.
if [ ! -f "$model_dir/manifest.json" ]; then
  log "exporting the seeded ViT-B model to $model_dir"
  sh models/import.sh --random-weights 1 --config vit_b --out "$model_dir"
fi

# 6. The CT slice.
if [ ! -f "$data_dir/ct-liver-3slice-dcmqi/image/01.dcm" ]; then
  fail "$data_dir/ct-liver-3slice-dcmqi/image/01.dcm not found. Set MEDSAM_DATA_DIR to the data folder that contains it."
fi

# 7. The benchmark: --gpu selects the Vulkan flags and adds the WebGPU row.
log "running the benchmark on $model_dir"
MEDSAM_DATA_DIR=$data_dir exec node scripts/bench-worker.mjs --model-dir "$model_dir" --gpu "$@"

"""MedSAM (SAM ViT-B fine-tuned on medical images) in PyTorch, for ONNX export.

Import the submodules directly (`medsam.model`, `medsam.config`, ...). This
file imports nothing, so that torch-free tools such as make_standin.py can
use `medsam.interface` and `medsam.manifest` without loading torch.
"""

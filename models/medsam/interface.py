"""Tensor names and shapes of the MedSAM ONNX interface (MEDSAM_IO in src/model/ModelManifest.ts)."""

from .config import EMBEDDING_GRID, IMAGE_SIZE, LOW_RES_MASK_SIZE, PROMPT_DIM

ENCODER_INPUT = "image"
ENCODER_OUTPUT = "image_embeddings"
DECODER_EMBEDDINGS = "image_embeddings"
DECODER_BOXES = "boxes"
DECODER_OUTPUT = "low_res_logits"

ENCODER_INPUT_SHAPE = [1, 3, IMAGE_SIZE, IMAGE_SIZE]
EMBEDDINGS_SHAPE = [1, PROMPT_DIM, EMBEDDING_GRID, EMBEDDING_GRID]
BOXES_SHAPE = [1, 4]  # x0, y0, x1, y1 in 1024x1024 input pixels
LOGITS_SHAPE = [1, 1, LOW_RES_MASK_SIZE, LOW_RES_MASK_SIZE]

"""Write medsam/vit_b_state_dict_shapes.json, the reference key/shape table.

The table follows the ViT-B layout of github.com/facebookresearch/segment-anything,
which MedSAM keeps unchanged. It is written out here as naming rules instead of
being read from the PyTorch modules, so the test that compares the two is not
circular. The script needs no torch.
"""

import argparse
import json
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "medsam" / "vit_b_state_dict_shapes.json"

DIM = 768
HEADS = 12
HEAD_DIM = DIM // HEADS
DEPTH = 12
WINDOW = 14
GRID = 64
GLOBAL_BLOCKS = (2, 5, 8, 11)
OUT = 256
MLP = 4 * DIM
DECODER_MLP = 2048
MASK_TOKENS = 4


def linear(prefix, in_features, out_features, shapes):
    shapes[f"{prefix}.weight"] = [out_features, in_features]
    shapes[f"{prefix}.bias"] = [out_features]


def norm(prefix, channels, shapes):
    shapes[f"{prefix}.weight"] = [channels]
    shapes[f"{prefix}.bias"] = [channels]


def image_encoder(shapes):
    p = "image_encoder"
    shapes[f"{p}.pos_embed"] = [1, GRID, GRID, DIM]
    shapes[f"{p}.patch_embed.proj.weight"] = [DIM, 3, 16, 16]
    shapes[f"{p}.patch_embed.proj.bias"] = [DIM]
    for index in range(DEPTH):
        block = f"{p}.blocks.{index}"
        span = GRID if index in GLOBAL_BLOCKS else WINDOW
        norm(f"{block}.norm1", DIM, shapes)
        shapes[f"{block}.attn.rel_pos_h"] = [2 * span - 1, HEAD_DIM]
        shapes[f"{block}.attn.rel_pos_w"] = [2 * span - 1, HEAD_DIM]
        linear(f"{block}.attn.qkv", DIM, 3 * DIM, shapes)
        linear(f"{block}.attn.proj", DIM, DIM, shapes)
        norm(f"{block}.norm2", DIM, shapes)
        linear(f"{block}.mlp.lin1", DIM, MLP, shapes)
        linear(f"{block}.mlp.lin2", MLP, DIM, shapes)
    shapes[f"{p}.neck.0.weight"] = [OUT, DIM, 1, 1]
    norm(f"{p}.neck.1", OUT, shapes)
    shapes[f"{p}.neck.2.weight"] = [OUT, OUT, 3, 3]
    norm(f"{p}.neck.3", OUT, shapes)


def prompt_encoder(shapes):
    p = "prompt_encoder"
    shapes[f"{p}.pe_layer.positional_encoding_gaussian_matrix"] = [2, OUT // 2]
    for index in range(4):
        shapes[f"{p}.point_embeddings.{index}.weight"] = [1, OUT]
    shapes[f"{p}.not_a_point_embed.weight"] = [1, OUT]
    shapes[f"{p}.mask_downscaling.0.weight"] = [4, 1, 2, 2]
    shapes[f"{p}.mask_downscaling.0.bias"] = [4]
    norm(f"{p}.mask_downscaling.1", 4, shapes)
    shapes[f"{p}.mask_downscaling.3.weight"] = [16, 4, 2, 2]
    shapes[f"{p}.mask_downscaling.3.bias"] = [16]
    norm(f"{p}.mask_downscaling.4", 16, shapes)
    shapes[f"{p}.mask_downscaling.6.weight"] = [OUT, 16, 1, 1]
    shapes[f"{p}.mask_downscaling.6.bias"] = [OUT]
    shapes[f"{p}.no_mask_embed.weight"] = [1, OUT]


def attention(prefix, internal, shapes):
    for name in ("q_proj", "k_proj", "v_proj"):
        linear(f"{prefix}.{name}", OUT, internal, shapes)
    linear(f"{prefix}.out_proj", internal, OUT, shapes)


def mask_decoder(shapes):
    p = "mask_decoder"

    for index in range(2):
        layer = f"{p}.transformer.layers.{index}"
        attention(f"{layer}.self_attn", OUT, shapes)
        norm(f"{layer}.norm1", OUT, shapes)
        attention(f"{layer}.cross_attn_token_to_image", OUT // 2, shapes)
        norm(f"{layer}.norm2", OUT, shapes)
        linear(f"{layer}.mlp.lin1", OUT, DECODER_MLP, shapes)
        linear(f"{layer}.mlp.lin2", DECODER_MLP, OUT, shapes)
        norm(f"{layer}.norm3", OUT, shapes)
        norm(f"{layer}.norm4", OUT, shapes)
        attention(f"{layer}.cross_attn_image_to_token", OUT // 2, shapes)
    attention(f"{p}.transformer.final_attn_token_to_image", OUT // 2, shapes)
    norm(f"{p}.transformer.norm_final_attn", OUT, shapes)

    shapes[f"{p}.iou_token.weight"] = [1, OUT]
    shapes[f"{p}.mask_tokens.weight"] = [MASK_TOKENS, OUT]
    # ConvTranspose2d weights are [in, out, kH, kW].
    shapes[f"{p}.output_upscaling.0.weight"] = [OUT, OUT // 4, 2, 2]
    shapes[f"{p}.output_upscaling.0.bias"] = [OUT // 4]
    norm(f"{p}.output_upscaling.1", OUT // 4, shapes)
    shapes[f"{p}.output_upscaling.3.weight"] = [OUT // 4, OUT // 8, 2, 2]
    shapes[f"{p}.output_upscaling.3.bias"] = [OUT // 8]

    for index in range(MASK_TOKENS):
        head = f"{p}.output_hypernetworks_mlps.{index}.layers"
        linear(f"{head}.0", OUT, OUT, shapes)
        linear(f"{head}.1", OUT, OUT, shapes)
        linear(f"{head}.2", OUT, OUT // 8, shapes)
    linear(f"{p}.iou_prediction_head.layers.0", OUT, 256, shapes)
    linear(f"{p}.iou_prediction_head.layers.1", 256, 256, shapes)
    linear(f"{p}.iou_prediction_head.layers.2", 256, MASK_TOKENS, shapes)


def main():
    parser = argparse.ArgumentParser(description="Write the SAM ViT-B state_dict key/shape table.")
    parser.add_argument("--out", type=Path, default=OUTPUT, help=f"output JSON file (default {OUTPUT})")
    args = parser.parse_args()

    shapes = {}
    image_encoder(shapes)
    prompt_encoder(shapes)
    mask_decoder(shapes)
    args.out.write_text(json.dumps(shapes, indent=1) + "\n")
    print(f"Wrote {len(shapes)} entries to {args.out}")


if __name__ == "__main__":
    main()

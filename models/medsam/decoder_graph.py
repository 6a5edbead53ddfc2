"""The mask decoder rearranged for fewer multiply-accumulates, the graph in decoder.onnx.

`DecoderGraph` computes the logits of `MedSAM.decode` from the same
weights, with the products regrouped (matrix products are associative, so
only float rounding differs). The reference `MaskDecoder` stays the
definition; this module is what the export traces, because it runs about half
the arithmetic of the literal graph:

- Attention of the 7 prompt tokens to the 4096 image tokens never projects
  the image tokens. For head h, q_h . (W_k,h x + b_k,h) is (W_k,h^T q_h) . x
  plus a term equal for every key, which softmax ignores. Because each row of
  the attention weights sums to 1, the weighted sum of W_v,h x + b_v,h is
  W_v,h (weighted sum of x) + b_v,h.
- Attention of the 4096 image tokens to the 7 prompt tokens folds the query
  projection into the keys (W_q,h^T k_h) and the output projection into the
  values (v_h W_o,h^T). Each image token then meets 8 x 7 columns twice
  instead of being projected to 128 channels and back to 256.
- The final token attention runs only for the mask token that MedSAM reads.
  The IoU token and the three multimask tokens do not reach the logits.
- Image tokens stay channels-last ([4096, 256]) throughout. Each 2x2
  transposed convolution of the upscaling is a matrix product per pixel,
  because its kernel equals its stride, and the four sub-pixels are put in
  place once, on the single-channel logits.
- The LayerNorms of the image tokens are written as instance normalisation
  (`normalize_rows`), whose onnxruntime-web kernel is faster.

In onnxruntime-web 1.31 (WebAssembly, 2 threads, run in Node) this graph
took 55 ms where the literal one took 99 ms, on the 2-core machine of
docs/benchmarks.md (`npm run bench:decoder-graph`). Batch size 1, as in decoder.onnx ([1, 4] boxes).
"""

import torch
import torch.nn.functional as F
from torch import nn

from .config import EMBEDDING_GRID, PROMPT_DIM
from .mask_decoder import SINGLE_MASK_INDEX
from .model import MedSAM
from .two_way_transformer import TokenAttention

# Row of the single-mask token in the decoder's token sequence: the IoU token
# comes first, then the mask tokens, then the two box corners.
MASK_TOKEN_ROW = 1 + SINGLE_MASK_INDEX


def normalize_rows(x: torch.Tensor, norm: nn.Module) -> torch.Tensor:
    """`norm(x)` for a [R, C] tensor, exported as InstanceNormalization plus the affine.

    Instance normalisation of x viewed as [1, R, C] normalises each row over
    its C values, which is what LayerNorm does. On a [4096, 256] tensor in
    onnxruntime-web 1.31 (WebAssembly, one thread), InstanceNormalization
    with the affine took 3.5 ms and LayerNormalization 7.6 ms
    (`npm run bench:decoder-graph`).
    """
    return F.instance_norm(x[None], eps=norm.eps)[0] * norm.weight + norm.bias


def _head_dim(attention: TokenAttention) -> int:
    return attention.q_proj.out_features // attention.num_heads


def attend_tokens_to_image(
    attention: TokenAttention, queries: torch.Tensor, image_keys: torch.Tensor, image_values: torch.Tensor
) -> torch.Tensor:
    """Attention of a few tokens [T, C] to the image tokens [N, C], without projecting the image.

    Equals attention(queries[None], image_keys[None], image_values[None])[0].
    """
    heads = attention.num_heads
    head_dim = _head_dim(attention)
    tokens = queries.shape[0]

    q = attention.q_proj(queries).reshape(tokens, heads, head_dim).transpose(0, 1)  # [h, T, d]
    w_k = attention.k_proj.weight.reshape(heads, head_dim, -1)  # [h, d, C]
    # Each head's queries mapped back to the input channels, [h*T, C].
    folded_queries = (q @ w_k).reshape(heads * tokens, -1) / head_dim**0.5
    weights = (folded_queries @ image_keys.transpose(0, 1)).softmax(dim=-1)  # [h*T, N]

    pooled = (weights @ image_values).reshape(heads, tokens, -1)  # [h, T, C]
    w_v = attention.v_proj.weight.reshape(heads, head_dim, -1).transpose(1, 2)  # [h, C, d]
    per_head = pooled @ w_v + attention.v_proj.bias.reshape(heads, 1, head_dim)  # [h, T, d]
    return attention.out_proj(per_head.transpose(0, 1).reshape(tokens, heads * head_dim))


def attend_image_to_tokens(
    attention: TokenAttention, image_queries: torch.Tensor, token_keys: torch.Tensor, token_values: torch.Tensor
) -> torch.Tensor:
    """Attention of the image tokens [N, C] to a few tokens [T, C], with both projections folded.

    Equals attention(image_queries[None], token_keys[None], token_values[None])[0].
    """
    heads = attention.num_heads
    head_dim = _head_dim(attention)
    tokens = token_keys.shape[0]
    scale = head_dim**0.5

    # Score of image token x against token t in head h: x . (W_q,h^T k_t,h) + b_q,h . k_t,h
    k = attention.k_proj(token_keys).reshape(tokens, heads, head_dim).transpose(0, 1)  # [h, T, d]
    w_q = attention.q_proj.weight.reshape(heads, head_dim, -1)  # [h, d, C]
    folded_keys = (k @ w_q).reshape(heads * tokens, -1).transpose(0, 1) / scale  # [C, h*T]
    key_bias = (k @ attention.q_proj.bias.reshape(heads, head_dim, 1)).reshape(1, heads * tokens) / scale
    scores = image_queries @ folded_keys + key_bias  # [N, h*T]
    weights = scores.reshape(-1, heads, tokens).softmax(dim=-1).reshape(-1, heads * tokens)

    # Each head's values mapped through its slice of the output projection, [h*T, C].
    v = attention.v_proj(token_values).reshape(tokens, heads, head_dim).transpose(0, 1)  # [h, T, d]
    w_o = attention.out_proj.weight.reshape(-1, heads, head_dim).permute(1, 2, 0)  # [h, d, C]
    folded_values = (v @ w_o).reshape(heads * tokens, -1)
    return weights @ folded_values + attention.out_proj.bias


class DecoderGraph(nn.Module):
    """(`image_embeddings` [1, 256, 64, 64], `boxes` [1, 4]) -> `low_res_logits` [1, 1, 256, 256]."""

    def __init__(self, model: MedSAM) -> None:
        super().__init__()
        self.prompt_encoder = model.prompt_encoder
        self.decoder = model.mask_decoder

    def forward(self, image_embeddings: torch.Tensor, boxes: torch.Tensor) -> torch.Tensor:
        if boxes.shape[0] != 1 or image_embeddings.shape[0] != 1:
            raise ValueError(
                f"DecoderGraph takes one box and one embedding, got boxes {list(boxes.shape)} "
                f"and embeddings {list(image_embeddings.shape)}; use MedSAM.decode for batches."
            )
        decoder = self.decoder
        transformer = decoder.transformer
        corners, _ = self.prompt_encoder.embed_boxes(boxes)
        output_tokens = torch.cat([decoder.iou_token.weight, decoder.mask_tokens.weight], dim=0)
        prompt = torch.cat([output_tokens, corners[0]], dim=0)  # [7, 256]

        # The dense prompt (no mask) and the grid's positional encoding do not
        # depend on the inputs, so the export folds them into constants.
        no_mask = self.prompt_encoder.no_mask_embed.weight  # [1, 256]
        image_pe = self.prompt_encoder.dense_positional_encoding().reshape(PROMPT_DIM, -1).transpose(0, 1)
        image = image_embeddings.reshape(PROMPT_DIM, -1).transpose(0, 1) + no_mask  # [4096, 256]

        tokens = prompt
        for block in transformer.layers:
            tokens, image = self._block(block, tokens, image, prompt, image_pe)

        # Only the single-mask token reaches the logits.
        mask_row = slice(MASK_TOKEN_ROW, MASK_TOKEN_ROW + 1)
        query = tokens[mask_row]
        attended = attend_tokens_to_image(
            transformer.final_attn_token_to_image, query + prompt[mask_row], image + image_pe, image
        )
        mask_token = transformer.norm_final_attn(query + attended)
        hyper = decoder.output_hypernetworks_mlps[SINGLE_MASK_INDEX](mask_token)  # [1, 32]
        return self._upscaled_logits(image, hyper)

    @staticmethod
    def _block(block, tokens, image, prompt, image_pe):
        if block.first_block:
            tokens = block.self_attn(tokens[None], tokens[None], tokens[None])[0]
        else:
            with_pe = (tokens + prompt)[None]
            tokens = tokens + block.self_attn(with_pe, with_pe, tokens[None])[0]
        tokens = block.norm1(tokens)

        # The image tokens change only at the end of the block, so both attentions share one sum.
        image_with_pe = image + image_pe
        tokens = tokens + attend_tokens_to_image(block.cross_attn_token_to_image, tokens + prompt, image_with_pe, image)
        tokens = block.norm2(tokens)
        tokens = block.norm3(tokens + block.mlp(tokens))

        image = image + attend_image_to_tokens(block.cross_attn_image_to_token, image_with_pe, tokens + prompt, tokens)
        return tokens, normalize_rows(image, block.norm4)

    def _upscaled_logits(self, image: torch.Tensor, hyper: torch.Tensor) -> torch.Tensor:
        """Both 2x2 transposed convolutions as per-pixel products, then the mask head, on [4096, 256] tokens."""
        conv1, norm, _, conv2, _ = self.decoder.output_upscaling
        grid = EMBEDDING_GRID
        mid = conv1.out_channels
        out = conv2.out_channels

        # ConvTranspose2d weight [in, out, kh, kw] -> [in, (kh, kw, out)].
        w1 = conv1.weight.permute(0, 2, 3, 1).reshape(PROMPT_DIM, 4 * mid)
        # The bias repeated per sub-pixel, so that the export fuses it into the product.
        x = (image @ w1 + conv1.bias.repeat(4)).reshape(-1, mid)  # [4096*4, 64], rows (y, x, i, j)
        x = F.gelu(normalize_rows(x, norm))

        w2 = conv2.weight.permute(0, 2, 3, 1).reshape(mid, 4 * out)
        x = (x @ w2).reshape(-1, out) + conv2.bias  # [4096*16, 32], rows (y, x, i, j, k, l)
        # A [32, 1] matrix, not a vector: in a one-off measurement with
        # onnxruntime-node 1.31 on one thread, the vector form made the whole
        # decoder take 40 ms instead of 34 ms.
        logits = F.gelu(x) @ hyper.reshape(-1, 1)  # [65536, 1]

        # Output pixel (4y + 2i + k, 4x + 2j + l).
        logits = logits.reshape(grid, grid, 2, 2, 2, 2).permute(0, 2, 4, 1, 3, 5)
        return logits.reshape(1, 1, 4 * grid, 4 * grid)

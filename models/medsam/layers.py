"""Small building blocks shared by the encoder and the decoder."""

import torch
import torch.nn.functional as F
from torch import nn


class LayerNorm2d(nn.Module):
    """LayerNorm over the channel axis of an NCHW tensor, with a per-channel affine."""

    def __init__(self, num_channels: int, eps: float = 1e-6) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_channels))
        self.bias = nn.Parameter(torch.zeros(num_channels))
        self.num_channels = num_channels
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Normalising channels-last with F.layer_norm computes the same biased
        # variance as an explicit mean/variance, but exports as one
        # LayerNormalization op, which onnxruntime accumulates in float32 even
        # in an fp16 graph.
        x = F.layer_norm(x.permute(0, 2, 3, 1), (self.num_channels,), self.weight, self.bias, self.eps)
        return x.permute(0, 3, 1, 2)


class FeedForward(nn.Module):
    """Two linear layers with an activation between them (`lin1`, `lin2` in the state_dict)."""

    def __init__(self, dim: int, hidden_dim: int, activation: type = nn.GELU) -> None:
        super().__init__()
        self.lin1 = nn.Linear(dim, hidden_dim)
        self.lin2 = nn.Linear(hidden_dim, dim)
        self.act = activation()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.lin2(self.act(self.lin1(x)))


class HeadMLP(nn.Module):
    """A stack of linear layers with ReLU between them, stored as `layers.<i>`."""

    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int, num_layers: int) -> None:
        super().__init__()
        widths_in = [input_dim] + [hidden_dim] * (num_layers - 1)
        widths_out = [hidden_dim] * (num_layers - 1) + [output_dim]
        self.layers = nn.ModuleList(
            nn.Linear(width_in, width_out) for width_in, width_out in zip(widths_in, widths_out)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        last = len(self.layers) - 1
        for index, layer in enumerate(self.layers):
            x = layer(x)
            if index < last:
                x = torch.relu(x)
        return x

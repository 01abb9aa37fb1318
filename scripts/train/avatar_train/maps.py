"""Teacher maps <-> the networks' normalised representation.

Teacher maps (docs/model-package.md, "Channel layout") hold per layer 11 channels: offset (3, m),
colour (3, 0..1), alpha (1), log-scale (3) and an in-plane angle (1). The networks see, per layer,
every channel that varies in the data, standardised with the mean and deviation of *visible*
texels (alpha > VISIBLE_ALPHA); alpha itself is carried as 2*alpha - 1 into the encoder and as a
logit out of the decoder. Channels that never vary in the data (today the angle, always 0) are not
predicted: the decoder emits their constant.
"""
import numpy as np
import torch

VISIBLE_ALPHA = 0.5      # teacher alphas are 0 or >= 0.95: any threshold between separates them
CONSTANT_STD = 1e-6      # a channel whose visible deviation is below this is treated as constant
OPACITY = 6              # teacher channel of alpha within a layer (tools/synth/src/bake.h)
COLOUR = (3, 4, 5)       # teacher channels of display RGB within a layer
OFFSET = (0, 1, 2)       # teacher channels of the anchor offset within a layer


class MapCodec:
    """Statistics and channel bookkeeping shared by training, export and evaluation."""

    def __init__(self, layers, channels, mean, std):
        self.layers, self.channels = layers, channels
        self.mean = np.asarray(mean, np.float32).reshape(layers, channels)
        self.std = np.asarray(std, np.float32).reshape(layers, channels)
        # Network channels: (layer, teacher channel) pairs that vary, alpha included.
        self.net_channels = [(l, c) for l in range(layers) for c in range(channels)
                             if c == OPACITY or self.std[l, c] > CONSTANT_STD]
        self.alpha_net = [i for i, (l, c) in enumerate(self.net_channels) if c == OPACITY]

    @staticmethod
    def fit(maps):
        """maps float32[N, layers, M, channels] -> codec with visible-texel statistics."""
        n, layers, m, channels = maps.shape
        mean = np.zeros((layers, channels), np.float32)
        std = np.zeros((layers, channels), np.float32)
        for l in range(layers):
            visible = maps[:, l, :, OPACITY] > VISIBLE_ALPHA
            values = maps[:, l][visible]
            mean[l], std[l] = values.mean(0), values.std(0)
        return MapCodec(layers, channels, mean, std)

    def to_dict(self):
        return {"layers": self.layers, "channels": self.channels, "mean": self.mean.ravel().tolist(),
                "std": self.std.ravel().tolist()}

    @staticmethod
    def from_dict(d):
        return MapCodec(d["layers"], d["channels"], d["mean"], d["std"])

    @property
    def net_channel_count(self):
        return len(self.net_channels)

    def encode_texels(self, maps):
        """maps float32[layers, M, channels] -> (x float32[M, P] network input, alpha float32[layers, M]).

        Hidden texels (alpha <= VISIBLE_ALPHA) carry 0 in every channel but alpha, so the encoder
        never sees the leftovers a hidden layer holds."""
        alpha = maps[:, :, OPACITY]
        x = np.empty((maps.shape[1], self.net_channel_count), np.float32)
        for i, (l, c) in enumerate(self.net_channels):
            if c == OPACITY:
                x[:, i] = 2.0 * alpha[l] - 1.0
            else:
                x[:, i] = np.where(alpha[l] > VISIBLE_ALPHA, (maps[l, :, c] - self.mean[l, c]) / self.std[l, c], 0.0)
        return x, alpha

    def output_affine(self):
        """(source index int64[K], scale float32[K], shift float32[K]) so that teacher channel k of
        the decoder output is net[source[k]] * scale[k] + shift[k]; alpha channels are overwritten
        afterwards with sigmoid(net[source[k]])."""
        source = np.zeros(self.layers * self.channels, np.int64)
        scale = np.zeros(self.layers * self.channels, np.float32)
        shift = np.zeros(self.layers * self.channels, np.float32)
        lookup = {pair: i for i, pair in enumerate(self.net_channels)}
        for l in range(self.layers):
            for c in range(self.channels):
                k = l * self.channels + c
                if (l, c) in lookup:
                    source[k] = lookup[(l, c)]
                    scale[k], shift[k] = (0.0, 0.0) if c == OPACITY else (self.std[l, c], self.mean[l, c])
                else:
                    shift[k] = self.mean[l, c]  # constant channel: its value in the data
        return torch.from_numpy(source), torch.from_numpy(scale), torch.from_numpy(shift)

    def alpha_channels(self):
        """Teacher output channels (in [0, layers*channels)) that hold alpha."""
        return [l * self.channels + OPACITY for l in range(self.layers)]


def scatter(texel_values, template):
    """float32[M, P] on valid texels -> float32[P, R, R] (0 on invalid texels)."""
    r = template.resolution
    grid = np.zeros((r * r, texel_values.shape[1]), np.float32)
    grid[template.texel] = texel_values
    return np.ascontiguousarray(grid.T.reshape(-1, r, r))


def gather(grid, template):
    """float[..., K, R, R] -> float[..., K, M] on valid texels."""
    flat = grid.reshape(*grid.shape[:-2], -1)
    return flat[..., template.texel]


def texel_maps(grid, template, channels=11):
    """Decoder output float[K, R, R] -> teacher layout float[K / channels, M, channels]."""
    return gather(grid, template).reshape(grid.shape[0] // channels, channels, -1).transpose(0, 2, 1)

"""Teacher maps -> training encoder -> the package's decoder -> maps: what the decoder makes of an
avatar it can represent. Used to measure reconstruction and to fit probes on decoder-made maps."""
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
from avatar_train import checkpoints  # noqa: E402
from avatar_train.maps import MapCodec, scatter, texel_maps  # noqa: E402
from avatar_train.networks import MapEncoder  # noqa: E402


class AutoEncoder:
    def __init__(self, work, model):
        cfg = json.load(open(os.path.join(work, "metrics.json")))["config_values"]["autoencoder"]
        self.codec = MapCodec.from_dict(json.load(open(os.path.join(work, "codec.json"))))
        self.encoder = MapEncoder(self.codec.net_channel_count, cfg["latent"], cfg["encoder_width"])
        checkpoints.load(os.path.join(work, "encoder"), self.encoder)
        stats = json.load(open(os.path.join(work, "latent_stats.json")))
        self.mean, self.std = (torch.tensor(stats[k]).view(1, -1, 1, 1) for k in ("mean", "std"))
        manifest = json.load(open(os.path.join(model, "manifest.json")))
        self.decoder = torch.jit.load(os.path.join(model, manifest["modules"]["decoder"]))

    def __call__(self, teacher_maps, template):
        """float32[layers, M, channels] -> the decoder's float32[layers, M, channels]."""
        x, _ = self.codec.encode_texels(teacher_maps)
        with torch.no_grad():
            z = (self.encoder(torch.from_numpy(scatter(x, template))[None]) - self.mean) / self.std
            grid = self.decoder(z)[0].numpy()
        return texel_maps(grid, template, self.codec.channels)

"""Attribute probes on decoded maps: features read from regions and layers of the maps, and a small
softmax classifier per attribute fitted on the teacher's own maps and ground truth.

A probe only sees the feature groups that can carry its attribute (hair colour from the hair
layer on the scalp, garment colour from the garment layer on the upper body, hair length from
where the hair layer reaches, glasses and beards from the hair layer on the face, build from the
shape of the outer surface), so it cannot guess an attribute from a correlated one."""
import numpy as np

SCALP, FACE, UPPER, ARMS, LOWER, FEET = range(6)  # template region ids (docs/template-format.md)
SKIN, GARMENT, EXTRAS = range(3)                  # teacher layers (tools/synth/src/bake.h)
VISIBLE = 0.5       # alpha above which a texel's Gaussian counts as present (teacher alphas are 0 or >= 0.95)
FACE_BANDS = 8      # horizontal bands of the face region: glasses sit high, beards low
BODY_BANDS = 6      # horizontal bands of the torso and of the legs: a width profile tells builds apart
FIT_STEPS = 8000    # gradient steps of the softmax regression: held-out accuracy stops rising by here
FIT_RATE = 0.5      # step size on standardised features
FIT_L2 = 1e-4       # weight decay: keeps weights finite when classes separate perfectly

# attribute -> feature groups its probe may read
PROBE_FEATURES = {
    "hair_colour": ["hair_colour"],
    "top_colour": ["top_colour"],
    "bottom_colour": ["bottom_colour"],
    "hair_length": ["hair_extent"],
    "glasses": ["face_extras"],
    "beard": ["face_extras", "face_skin"],
    "facial_hair": ["face_extras", "face_skin"],
    "hat": ["head_top"],
    "build": ["shape"],
    "gender": ["shape"],
}


class Geometry:
    """Per-template constants the features need."""

    def __init__(self, template):
        self.t = template
        self.region = template.region
        face = np.where(self.region == FACE)[0]
        y = template.position[face, 1]
        edges = np.quantile(y, np.linspace(0, 1, FACE_BANDS + 1))
        self.face_bands = [face[(y >= lo) & (y <= hi)] for lo, hi in zip(edges[:-1], edges[1:])]
        scalp = np.where(self.region == SCALP)[0]
        self.scalp_top = scalp[template.position[scalp, 1] > np.quantile(template.position[scalp, 1], 0.6)]
        self.head_top = float(template.position[scalp, 1].max())
        low = template.position[scalp, 1] < np.quantile(template.position[scalp, 1], 0.4)
        self.scalp_low = scalp[low]  # back and sides of the head, under a hat's brim
        self.brows = self.face_bands[-3]  # the third band from the top holds the eyebrows
        self.body_bands = []
        for r, bands in ((UPPER, BODY_BANDS), (LOWER, BODY_BANDS), (ARMS, 4)):
            texels = np.where(self.region == r)[0]
            y = template.position[texels, 1]
            edges = np.quantile(y, np.linspace(0, 1, bands + 1))
            self.body_bands += [texels[(y >= lo) & (y <= hi)] for lo, hi in zip(edges[:-1], edges[1:])]


def _colour_stats(colour, alpha, idx):
    """Mean and median RGB and the covered share of texels idx (zeros where nothing is visible)."""
    vis = idx[alpha[idx] > VISIBLE]
    if len(vis) == 0:
        return np.zeros(7)
    c = colour[vis]
    return np.concatenate([c.mean(0), np.median(c, 0), [len(vis) / len(idx)]])


def features(maps, geo):
    """maps float32[layers, M, channels] (teacher layout) -> {group: float64[F]}."""
    t = geo.t
    alpha = maps[:, :, 6]
    colour = np.clip(maps[:, :, 3:6], 0, 1)
    pos = (t.position[None] + maps[:, :, 0:1] * t.tangent[None] + maps[:, :, 1:2] * t.bitangent[None]
           + maps[:, :, 2:3] * t.normal[None])
    region = geo.region
    out = {}
    scalp = np.where(region == SCALP)[0]
    out["hair_colour"] = np.concatenate([_colour_stats(colour[EXTRAS], alpha[EXTRAS], idx)
                                         for idx in (scalp, geo.scalp_low, geo.brows, np.where(region == UPPER)[0])])
    out["top_colour"] = _colour_stats(colour[GARMENT], alpha[GARMENT], np.where(region == UPPER)[0])
    out["bottom_colour"] = _colour_stats(colour[GARMENT], alpha[GARMENT], np.where(region == LOWER)[0])
    hair = alpha[EXTRAS] > VISIBLE
    extent = [hair[region == r].mean() for r in range(6)]
    hair_y = pos[EXTRAS, hair & (region != FACE), 1]
    drop = [geo.head_top - np.quantile(hair_y, q) if len(hair_y) else 0.0 for q in (0.02, 0.1, 0.3)]
    out["hair_extent"] = np.array(extent + drop + [len(hair_y) / 1000.0])
    out["face_extras"] = np.array([(alpha[EXTRAS, band] > VISIBLE).mean() for band in geo.face_bands])
    out["face_skin"] = np.array([colour[SKIN, band].mean() for band in geo.face_bands])
    top = alpha[EXTRAS, geo.scalp_top] > VISIBLE
    top_y = pos[EXTRAS, geo.scalp_top[top], 1]
    top_p = pos[EXTRAS, geo.scalp_top[top]]
    spread = list(np.ptp(top_p, axis=0)) if len(top_p) else [0.0, 0.0, 0.0]
    out["head_top"] = np.array([top.mean(), (top_y.max() - geo.head_top) if len(top_y) else 0.0] + spread
                               + list(_colour_stats(colour[EXTRAS], alpha[EXTRAS], geo.scalp_top)))
    # outer surface: the outermost visible layer of each texel
    outer = np.full(alpha.shape[1], SKIN)
    for layer in (GARMENT, EXTRAS):
        outer[alpha[layer] > VISIBLE] = layer
    outer[(alpha[EXTRAS] > VISIBLE) & np.isin(region, [SCALP, FACE, UPPER])] = GARMENT  # hair hides shape
    outer_pos = pos[outer, np.arange(len(outer))]
    shape = []
    for r in range(6):
        p = outer_pos[region == r]
        shape += list(np.quantile(p, 0.05, axis=0)) + list(np.quantile(p, 0.95, axis=0))
        shape.append(float(np.mean(maps[SKIN, region == r, 2])))
    for texels in geo.body_bands:  # width and depth profile of the torso, hips and limbs
        p = outer_pos[texels]
        shape += list(np.quantile(p[:, [0, 2]], 0.95, axis=0) - np.quantile(p[:, [0, 2]], 0.05, axis=0))
    out["shape"] = np.array(shape)
    return out


def stack(feature_list, groups):
    return np.stack([np.concatenate([f[g] for g in groups]) for f in feature_list])


class SoftmaxProbe:
    """Multinomial logistic regression on standardised features."""

    def fit(self, x, y, classes):
        self.classes = list(classes)
        self.mean, self.std = x.mean(0), x.std(0) + 1e-6
        z = (x - self.mean) / self.std
        k = len(self.classes)
        onehot = np.eye(k)[y]
        self.w, self.b = np.zeros((z.shape[1], k)), np.zeros(k)
        for _ in range(FIT_STEPS):
            logits = z @ self.w + self.b
            p = np.exp(logits - logits.max(1, keepdims=True))
            p /= p.sum(1, keepdims=True)
            g = (p - onehot) / len(z)
            self.w -= FIT_RATE * (z.T @ g + FIT_L2 * self.w)
            self.b -= FIT_RATE * g.sum(0)
        return self

    def predict(self, x):
        z = (x - self.mean) / self.std
        return [self.classes[i] for i in np.argmax(z @ self.w + self.b, 1)]

    def to_dict(self):
        return {k: (v.tolist() if isinstance(v, np.ndarray) else v)
                for k, v in self.__dict__.items()}

    @staticmethod
    def from_dict(d):
        probe = SoftmaxProbe()
        for k, v in d.items():
            setattr(probe, k, np.array(v) if k != "classes" else v)
        return probe

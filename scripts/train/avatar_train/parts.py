"""The parts of the structured latent: which token owns which slots, layers and channels.

A teacher avatar is three layers of per-texel Gaussians (docs/teacher.md): layer 0 the skin,
layer 1 garments and shoes, layer 2 hair, hat, facial hair and glasses (and the odd garment
surface no layer-1 slot could take). Every baked Gaussian carries the teacher's label of the part
it shows (channel 11). The latent gives each part one token:

| part    | type (discrete, one-hot in the token) | owns                                                  |
|---------|---------------------------------------|-------------------------------------------------------|
| body    | -                                     | layer 0 offsets, log-scales and angles: the body's shape, which every outer layer's offsets are relative to |
| face    | facial hair style                     | layer 0 colour (skin tone, lips, brows, eyes, stubble) and the facial-hair slots of layer 2 |
| hair    | hair style                            | the hair slots of layer 2                             |
| hat     | hat or none                           | the hat slots of layer 2                              |
| glasses | glasses style                         | the glasses slots of layer 2                          |
| top     | outfit                                | the top-garment slots of layer 1, and whether the skin under them is hidden |
| bottom  | outfit                                | the bottom-garment slots of layers 1 and 2, and the skin under them |
| shoes   | shoes                                 | the shoe slots of layers 1 and 2, and the skin under them |

A part's slots on a layer (its support) are the texels where the teacher put that part's label on
that layer in the fitting set. Where two parts' supports overlap on a layer, the decoder shows the
part whose decoded presence is higher, and nothing when neither reaches 0.5.
"""
from dataclasses import dataclass, field
from typing import Dict, Optional, Tuple

# Teacher map layout (tools/synth/src/bake.h): 12 channels per layer; a model package uses 0-10.
TEACHER_CHANNELS = 12
PACKAGE_CHANNELS = 11
LAYERS = 3
OFFSET, COLOUR, OPACITY, LOG_SCALE, ANGLE, LABEL = (0, 1, 2), (3, 4, 5), 6, (7, 8, 9), 10, 11

# Teacher labels (TeacherPart in tools/synth/src/bake.h).
NONE, SKIN, TOP, BOTTOM, SHOES, HAT, HAIR, FACIAL_HAIR, GLASSES = range(9)

VISIBLE_ALPHA = 0.5  # teacher alphas are 0 or >= 0.95: any threshold between separates them

# Channel groups a part's field can hold: teacher channels, and how many values per slot.
GROUP_CHANNELS = {"offset": OFFSET, "colour": COLOUR, "log_scale": LOG_SCALE, "angle": (ANGLE,),
                  "presence": (OPACITY,), "hide": (OPACITY,)}
OUTER_GROUPS = ("offset", "colour", "presence", "log_scale", "angle")
ABSENT_TYPES = ("none", "no")  # type values that mean the part is not there (the teacher's attribute values)
OUTER_ORDER = ("glasses", "hat", "hair")  # front to back on an outer layer, as the teacher bakes layer 2 (glasses in
#                                          front of everything, else the hat, else hair, else facial hair): where two of
#                                          them show on one texel, the earlier shows; other parts rank below them


@dataclass
class Part:
    name: str
    type_attribute: Optional[str]          # teacher attribute whose value is the part's type
    types: Tuple[str, ...]                 # its values, in one-hot order (empty: no type)
    outer: Tuple[Tuple[int, int], ...]     # (layer, teacher label) slots it owns on layers 1-2
    layer0: Tuple[str, ...]                # groups it owns on layer 0
    components: Dict[Tuple[int, str], int] = field(default_factory=dict)  # (layer, group) -> PCA components

    @property
    def type_count(self):
        return len(self.types)

    @property
    def absent_type(self):
        """Index of the type that says the part is not there ("none", "no": no glasses, bald, no facial hair),
        whose avatars never show the part's outer slots; -1 for parts without one."""
        return next((i for i, t in enumerate(self.types) if t in ABSENT_TYPES), -1)

    @property
    def outer_rank(self):
        """How far in front this part's outer slots lie where parts overlap (OUTER_ORDER): higher in front, 0 behind
        the listed parts."""
        return len(OUTER_ORDER) - OUTER_ORDER.index(self.name) if self.name in OUTER_ORDER else 0


OUTFITS = ("female_casualsuit01", "female_casualsuit02", "female_elegantsuit01", "female_sportsuit01",
           "male_casualsuit01", "male_casualsuit02", "male_casualsuit03", "male_casualsuit04", "male_casualsuit05",
           "male_casualsuit06", "male_elegantsuit01", "male_worksuit01")
HAIR_STYLES = ("none", "afro01", "bob01", "bob02", "braid01", "long01", "ponytail01", "short01", "short02",
               "short03", "short04")
SHOES_STYLES = ("shoes01", "shoes02", "shoes03", "shoes04", "shoes05", "shoes06")


def default_parts():
    """The parts and their PCA components per (layer, group): more where the teacher varies more
    (body shape, garment colour and presence), few where a part is nearly fixed (glasses)."""
    return [
        Part("body", None, (), (), ("offset", "log_scale", "angle"),
             {(0, "offset"): 48, (0, "log_scale"): 16, (0, "angle"): 0}),
        Part("face", "facial_hair", ("none", "stubble", "moustache", "beard"), ((2, FACIAL_HAIR),), ("colour",),
             {(0, "colour"): 24, (2, "offset"): 2, (2, "colour"): 4, (2, "presence"): 4, (2, "log_scale"): 2,
              (2, "angle"): 0}),
        Part("hair", "hair_style", HAIR_STYLES, ((2, HAIR),), (),
             {(2, "offset"): 24, (2, "colour"): 16, (2, "presence"): 24, (2, "log_scale"): 12, (2, "angle"): 4}),
        Part("hat", "hat", ("no", "yes"), ((2, HAT),), (),
             {(2, "offset"): 4, (2, "colour"): 4, (2, "presence"): 8, (2, "log_scale"): 4, (2, "angle"): 0}),
        Part("glasses", "glasses", ("none", "round", "rectangular", "aviator"), ((2, GLASSES),), (),
             {(2, "offset"): 2, (2, "colour"): 4, (2, "presence"): 2, (2, "log_scale"): 0, (2, "angle"): 0}),
        Part("top", "outfit", OUTFITS, ((1, TOP),), ("hide",),
             {(1, "offset"): 24, (1, "colour"): 32, (1, "presence"): 24, (1, "log_scale"): 12, (1, "angle"): 4,
              (0, "hide"): 2}),
        Part("bottom", "outfit", OUTFITS, ((1, BOTTOM), (2, BOTTOM)), ("hide",),
             {(1, "offset"): 16, (1, "colour"): 16, (1, "presence"): 16, (1, "log_scale"): 8, (1, "angle"): 2,
              (2, "offset"): 4, (2, "colour"): 4, (2, "presence"): 8, (2, "log_scale"): 2, (2, "angle"): 0,
              (0, "hide"): 2}),
        Part("shoes", "shoes", SHOES_STYLES, ((1, SHOES), (2, SHOES)), ("hide",),
             {(1, "offset"): 8, (1, "colour"): 8, (1, "presence"): 8, (1, "log_scale"): 8, (1, "angle"): 4,
              (2, "offset"): 2, (2, "colour"): 2, (2, "presence"): 4, (2, "log_scale"): 2, (2, "angle"): 0,
              (0, "hide"): 2}),
    ]


def part_type(part, attributes):
    """Index of the avatar's type for `part` (0 for parts without a type)."""
    if part.type_attribute is None:
        return 0
    value = attributes[part.type_attribute]
    if isinstance(value, bool):
        value = "yes" if value else "no"
    return part.types.index(value)

"""Categorical attribute labels of a teacher avatar (docs/captions.md).

tera-synth writes the derived labels (gender, age group, build, height, hair length and style, skin
tone, shoe kind, the outfit's garment words) into every captions.jsonl record ("labels"), from the
thresholds in tools/synth/src/attributes.cpp; this module only reads them, so training (everyday
rewrites) and evaluation (the attribute reader, validation prompts) use the teacher's own labels. A
dataset written before records carried labels is upgraded with `tera-synth relabel --data DATA`.
build_class is the one threshold kept here, for slider values no record carries (a generated body's
fitted sliders: scripts/eval/build_probe.py).
"""


def labels(record):
    """A captions.jsonl record ({"attributes": ..., "labels": ...}) -> {attribute: class name}."""
    if "labels" not in record:
        raise ValueError(f"caption record {record.get('index', '?')} has no 'labels': the dataset predates them; "
                         "run `tera-synth relabel --data DATA` once")
    a, derived = record["attributes"], record["labels"]
    return {
        **{key: derived[key] for key in ("gender", "age_group", "build", "height", "hair_length", "hair_style",
                                         "skin_tone", "shoes", "top_garment", "bottom_garment")},
        "hair_colour": a["hair_colour"],
        "facial_hair": a["facial_hair"],
        "glasses": a["glasses"],
        "top_colour": a["top_colour"],
        "bottom_colour": a["bottom_colour"],
        "top_pattern": a["top_pattern"],
        "outfit": a["outfit"],
        "hat": "yes" if a["hat"] else "no",
        "eye_colour": a["eye_colour"],
    }


def build_class(weight, muscle):
    """The teacher's build from its weight and muscle sliders (tools/synth/src/attributes.cpp build_class, which
    writes the records' "build" label): for slider values that no record carries."""
    if muscle > 0.7 and weight >= 0.32:
        return "muscular"
    if weight > 0.68:
        return "heavyset"
    if weight < 0.32:
        return "slim"
    return "average"

"""Training configurations. 'tiny' trains end to end on a CPU in a few minutes (a test runs it);
'default' is the shipped package's configuration, sized for the project's budget (the whole
package from an empty folder in about two hours on a 2-core CPU). Every budget is a count of
avatars, captions or steps, never of minutes, so a run does the same work on any machine.
tint_reading: the weight of the PromptReading's losses (networks.py); 0 trains the plain denoiser
(no reading, no prior). read: what the reading reads (diffusion.reading_slots): "tints", or "types"
(the tints and every part's type one-hot). read_mixer: the width of the reading's own transformer
layer over the prompt (networks.PromptMixer), whose keys and values add to the blocks' shared ones;
0 or absent reads the shared ones alone (docs/model-development.md has the trials).
complete: the chance that a caption which leaves a colour out gets it added (everyday.complete);
captions name the colours more often, while some still leave them open.
chooser_rewrites: further everyday rewrites per training avatar whose colours are named in wider words
(wide_colours.py), on which the chooser trains beside the denoiser's captions (train.py's stage "chooser text";
0 or absent: none). chooser_swaps: as many more whose top is named as another garment, where they name its colour
(everyday.swapped_top): the teacher never makes a purple jacket, and a chooser trained on its captions alone reads
"a purple jacket" as brown; 3 in the default configuration, 0 or absent: none. chooser_restated: as many more with the
avatar's glasses, hat and facial hair said again in restated.py's words ("isn't wearing glasses", "has a hat on"): 0
in the default configuration (tried: docs/model-development.md), 1 in the tiny one; 0 or absent: none.
chooser_headwear: as many more per avatar with a hat or a beard, calling it by everyday.HEADWEAR's or BEARD_OTHER's
words ("a flat cap", "a beanie", "a goatee"), where they do: the teacher makes one hat, named "hat", "fedora" or
"trilby" in its captions, and a chooser trained on those alone reads "a cap" as no hat; 4 in the default
configuration, 1 in the tiny one.
chooser_modified: as many more per avatar whose colour words follow a word that leaves the colour as it is
(colour_modifiers.py: "a velvet blue tee", "storm-grey hair"), so that the colour word decides what the chooser reads
and a modifier it has never seen ("cobalt blue") does not turn it; 0 in the default configuration (tried:
docs/model-development.md), 1 in the tiny one; 0 or absent: none.
length_words: the hair's length words of the denoiser's everyday rewrites (everyday.LENGTH_WORDS): "plain" (absent:
the same) or "wide", which adds hairdressers' body landmarks for every length ("elbow-length", "nape-length",
"above-the-ear"; wide_lengths.py); "plain" in the default configuration (tried: docs/model-development.md), "wide" in
the tiny one.
hold: the groups of coordinates read ("tint", "type") whose x0 at sampling is the reading's Gaussian alone,
unguided (networks.PromptReading.hold; their spread s2 is fitted after the denoiser, spread_steps steps of
batch captions: diffusion.fit_spread), where s2 < hold_below (what the prompt names; 0.5: a named top
colour reads 0.1-0.3, an open one about 1), drawn with the spread hold_temperature x s2 (0.05: the
spread also holds the reading's own error, and a sample that wanders by it changes colour), around the
reading pushed from the empty prompt's by hold_guidance (1.5: the reading is pulled to the middle where
it is unsure; docs/model-development.md has the trials); empty or absent leaves every coordinate to the network.
draw: the attributes whose coordinates the exported denoiser draws as one of a few candidates, a Gaussian per value
of the attribute fitted on the training avatars, with the chances a chooser reads from the prompt (networks.Chooser,
a transformer layer of chooser_width and chooser_heads over the prompt and a query per attribute, trained on the
prompt features alone after the spread, chance_steps steps of batch captions; a drawn coordinate is unguided and
overrides hold): where the chances' KL divergence from the values' shares over the training avatars exceeds
draw_named nats (the prompt names the attribute), they are sharpened to p^draw_sharpen, renormalised; elsewhere a
prompt that leaves the attribute open draws it as read. A drawn value spreads by draw_temperature x its candidate's
variance; a value draws.OWN_PREDICTION names (a top's stripes, checks or dots) is the denoiser's own prediction,
drawn only where the prompt names the attribute and pushed from the value's mean as a guidance of draw_own_guidance
would push it (2 in both configurations; networks.PromptReading.draw); "build" draws the body's coordinates that tell
the builds apart (draws.BODY_ATTRIBUTES).
["hair_colour", "top_colour", "hat", "glasses", "facial_hair", "top_pattern", "build"] in the default configuration,
3, 0.6 and 0.1, its chooser 48 wide with 4 heads (docs/model-development.md, "Drawing the hair's colour", "A
chooser for the drawn colours", "Sharpening the named chances", "Types drawn by the chooser", "Plain tops drawn plain",
"The build drawn by the chooser").
chooser_noise: Gaussian noise added to every prompt token feature the chooser trains on, as a share of the features'
root mean square (draws.fit_chooser), so that it reads a word from what the encoder's features say of it, not from
the training captions' few words alone; 0 in the default configuration (tried: docs/model-development.md, "Noise on the
chooser's prompt features"), 0.25 in the tiny one; 0 or absent: none. A list gives one value per chooser
(chooser_members; tried: [0, 0.25], docs/model-development.md, "Two choosers read together").
chooser_noise_words: where chooser_noise goes: "all" (absent: every token of the prompt) or "colours" (only the
tokens of colour words, colour_tokens.py, so that the words binding a colour to its garment keep their features;
docs/model-development.md, "Noise on the colour words alone").
chooser_members: how many choosers the chances stage trains alike, from the seeds seed, seed + 1, ...
(networks.Choosers): the sampler reads the mean of their logits; 2 in both configurations (docs/model-development.md,
"Two choosers read together"); 1 or absent: one chooser.
draw_shown: where the prompt names a drawn group whose values need their part shown (draws.SHOWN_ONLY: a hair
colour needs hair), the part's absent type (bald) has x0 "not that type" at sampling unless the prompt reads it at a
share of draw_shown or more (networks.PromptReading.keep_shown): 0.5 in both configurations, the share at which the
prompt reads bald likelier than not; absent leaves the type to the denoiser (docs/model-development.md, "A named
hair colour keeps the hair")."""

CONFIGS = {
    "tiny": {
        "holdout": 16, "fit_avatars": 112, "components_scale": 0.25, "rewrites": 2, "chooser_rewrites": 1,
        "chooser_restated": 1, "chooser_headwear": 1, "chooser_modified": 1, "length_words": "wide",
        "complete": {"top_colour": 0.8, "bottom_colour": 0.8, "hair_colour": 0.8},
        "diffusion": {"width": 64, "depth": 2, "heads": 4, "steps": 300, "batch": 32, "lr": 1e-3, "ema": 0.99,
                      "caption_weight": 4.0, "tint_reading": 1.0, "read": "types", "read_mixer": 32,
                      "hold": ["tint"], "hold_below": 0.5, "hold_temperature": 0.05, "hold_guidance": 1.5,
                      "spread_steps": 50, "draw": ["hair_colour", "top_pattern", "build"], "draw_sharpen": 3.0,
                      "draw_named": 0.6, "draw_temperature": 0.25, "draw_own_guidance": 2.0, "draw_shown": 0.5,
                      "chance_steps": 50, "chooser_noise": 0.25, "chooser_members": 2,
                      "chooser_width": 32, "chooser_heads": 4},
    },
    "default": {
        "holdout": 256, "fit_avatars": 2048, "components_scale": 1.0, "rewrites": 6, "chooser_rewrites": 0,
        "chooser_swaps": 3, "chooser_restated": 0, "chooser_headwear": 4,
        "chooser_modified": 0, "length_words": "plain",
        "complete": {"top_colour": 0.8, "bottom_colour": 0.8, "hair_colour": 0.8},
        "diffusion": {"width": 256, "depth": 4, "heads": 8, "steps": 2000, "batch": 256, "lr": 5e-4, "ema": 0.998,
                      "caption_weight": 4.0, "tint_reading": 1.0, "read": "types", "read_mixer": 128,
                      "hold": ["tint"], "hold_below": 0.5, "hold_temperature": 0.05, "hold_guidance": 1.5,
                      "spread_steps": 400, "draw": ["hair_colour", "top_colour", "hat", "glasses", "facial_hair",
                                                       "top_pattern", "build"],
                      "draw_sharpen": 3.0, "draw_named": 0.6, "draw_temperature": 0.1, "draw_own_guidance": 2.0,
                      "draw_shown": 0.5, "chance_steps": 2000, "chooser_noise": 0.0, "chooser_members": 2,
                      "chooser_width": 48, "chooser_heads": 4},
    },
}

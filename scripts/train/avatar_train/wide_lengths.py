"""Further hair length words for the denoiser's everyday rewrites (config length_words "wide";
everyday.LENGTH_WORDS): hairdressers' body landmarks, so that a "-length" compound is read by its landmark (every
length has some) rather than as "medium", which most of everyday.LENGTH_WORD's are. Written apart from the
evaluation's prompt writer; none of its words or near copies of them (tests/train/everyday_test.py)."""

LENGTHS = {"short": ["crew-cut", "close-cropped", "above-the-ear", "cut short", "short-ish", "military-short"],
           "medium": ["nape-length", "neck-grazing", "ear-to-chin", "mid-neck-length", "chin-grazing",
                      "not-quite-shoulder-length"],
           "long": ["elbow-length", "chest-length", "armpit-length", "tailbone-length", "shoulder-blade-length",
                    "down-to-the-waist", "long-ish"]}

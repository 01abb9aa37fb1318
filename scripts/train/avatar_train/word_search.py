"""Whole-word search in captions and prompts (lower case): whether a text names one of a table's words, as a word
and not inside another ("rose" is not in "rose-pink")."""
import functools
import re


def whole_word(word):
    """A pattern that finds WORD, lower-cased, as a whole word ("rose" not inside "rose-pink")."""
    return r"(?<![\w-])" + re.escape(word.lower()) + r"(?![\w-])"


def names(text, words):
    """Whether TEXT (lower case) has one of WORDS as a whole word."""
    return bool(words) and _any_of(tuple(words)).search(text) is not None


@functools.lru_cache(maxsize=4096)
def _any_of(words):
    """One pattern that finds any of WORDS (a tuple) as whole_word finds one: a table of modified colours holds
    hundreds of words per colour, too many to search one by one."""
    return re.compile("|".join(whole_word(w) for w in words))


def whole_words(text, words):
    """The WORDS that TEXT (lower case) holds as whole words."""
    return [w for w in words if re.search(whole_word(w), text)]

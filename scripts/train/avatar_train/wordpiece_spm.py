"""A sentencepiece model that tokenises like BERT's uncased WordPiece (all-MiniLM-L6-v2's vocab.txt).

The runtime tokenises through sentencepiece (tera::Tokenizer), the text encoder was trained on
BERT's WordPiece ids. convert() turns vocab.txt into a sentencepiece unigram ModelProto whose ids
are BERT's ids ([PAD] 0, [UNK] 100, [CLS] 101, [SEP] 102, [MASK] 103):

* BERT's basic tokenisation lives in the model's normaliser (its precompiled charsmap), so every
  sentencepiece runtime applies it with no Unicode code of its own. It is a per-character rule
  table derived from Python's unicodedata in the order of the reference (Hugging Face tokenizers'
  BertNormalizer + BertPreTokenizer): delete U+FFFD, control (Cc), format (Cf) and private-use (Co,
  Basic Multilingual Plane only) characters; map tab, newline, CR and the space separators (Zs,
  Zl, Zp) to a space; put spaces around CJK ideographs; NFD and drop non-spacing marks (Mn), i.e.
  strip accents ("café" -> "cafe"); lower-case; put spaces around punctuation (ASCII punctuation
  and every Unicode P* character). Sentencepiece then collapses runs of spaces and marks each word
  start with "▁" (U+2581), which the table maps to U+FFFD where a user types it, so that, as
  in BERT, it is an unknown character inside a word rather than a word break.
* Word-initial tokens "x" become pieces "▁x", continuation tokens "##x" become "x"; [unusedN]
  tokens keep their ids as UNUSED pieces (never produced), special tokens are control pieces
  ([UNK] the unknown piece).
* Segmentation. WordPiece takes the longest vocabulary prefix of a word, then the longest
  continuation of the rest, and so on; a word it cannot cover, or longer than 100 characters, is
  one [UNK]. A unigram model picks the segmentation with the largest sum of piece scores, and no
  position-free score can prefer "longest first": after "cr", the rest of "crocs" splits into
  "oc|s" (WordPiece's) or "o|cs", the same piece lengths in another order, hence the same sum
  whatever the scores. So WordPiece's greedy pass runs after
  sentencepiece (WordPiece.encode here, and the runtime's sentencepiece shim,
  src/text/sentencepiece_shim), over the normalised words that sentencepiece's pieces spell out.
  The model announces this by its normaliser's name, WORDPIECE_NORMALIZER. The scores still make
  sentencepiece's own segmentation as close as a unigram model gets: word-initial pieces score
  WORD_INITIAL_WEIGHT per character (the first piece of a word is WordPiece's), continuation
  pieces -1 - (characters^2)/64 (fewest pieces, then the most even split; docs/text-encoder.md
  has the measured agreement of each choice).

The ModelProto is written with the small protobuf encoder below (the wire format is varints and
length-prefixed fields); the charsmap is compiled by sentencepiece's own trainer from a rule TSV.
"""
import io
import os
import struct
import tempfile
import unicodedata

import sentencepiece as spm

PAD_ID, UNK_ID, CLS_ID, SEP_ID = 0, 100, 101, 102
NORMAL, UNKNOWN, CONTROL, UNUSED = 1, 2, 3, 5  # sentencepiece piece types
SPECIAL = {"[PAD]": CONTROL, "[UNK]": UNKNOWN, "[CLS]": CONTROL, "[SEP]": CONTROL, "[MASK]": CONTROL}
WORD_MARK = "\u2581"  # sentencepiece's word-start marker
WORDPIECE_NORMALIZER = "wordpiece_bert_uncased"  # the normaliser's name: segment with WordPiece's greedy pass
MAX_WORD_CHARS = 100  # WordPiece's max_input_chars_per_word: longer words are one [UNK]

WORD_INITIAL_WEIGHT = 32.0  # score per character of a word-initial piece: the longest first piece wins

# CJK ideograph blocks that BERT surrounds with spaces (each such character is a word).
CJK_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F), (0x2B740, 0x2B81F),
              (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


def is_punctuation(ch):
    """BERT's punctuation: ASCII punctuation (so '$', '+', '^', '`' too) and every Unicode P* character."""
    o = ord(ch)
    return 33 <= o <= 47 or 58 <= o <= 64 or 91 <= o <= 96 or 123 <= o <= 126 or unicodedata.category(ch)[0] == "P"


def is_cjk(code):
    return any(a <= code <= b for a, b in CJK_RANGES)


def bert_basic(ch):
    """What BERT's uncased basic tokenisation makes of one character, with words separated by spaces."""
    code = ord(ch)
    cat = unicodedata.category(ch)
    if code == 0xFFFD:
        return ""
    if ch == WORD_MARK:
        return "\ufffd"
    if ch in "\t\n\r" or cat in ("Zs", "Zl", "Zp"):
        return " "
    if cat in ("Cc", "Cf") or (cat == "Co" and code <= 0xFFFF):
        return ""  # supplementary private-use planes (131k code points) are left out: the table would double
    text = f" {ch} " if is_cjk(code) else ch
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn").lower()
    return "".join(f" {c} " if is_punctuation(c) else c for c in text)


def normalisation_rules():
    """{code point: replacement} for every character that BERT's basic tokenisation changes."""
    rules = {}
    for code in range(1, 0x110000):  # NUL cannot be a key of sentencepiece's trie (C strings)
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        out = bert_basic(ch)
        if out != ch:
            rules[code] = out
    return rules


# --- protobuf wire format (proto2), just what sentencepiece_model.proto needs -------------------

def _varint(value):
    out = bytearray()
    value &= (1 << 64) - 1  # negative int32 values are encoded as 64-bit two's complement
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _key(field, wire_type):
    return _varint(field << 3 | wire_type)


def _bytes_field(field, data):
    data = data.encode("utf-8") if isinstance(data, str) else data
    return _key(field, 2) + _varint(len(data)) + data


def _int_field(field, value):
    return _key(field, 0) + _varint(int(value))


def _float_field(field, value):
    return _key(field, 5) + struct.pack("<f", value)


def read_fields(data):
    """Top-level fields of a protobuf message -> [(field number, wire type, value)] (value: int or bytes)."""
    fields, i = [], 0
    while i < len(data):
        key, i = _read_varint(data, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _read_varint(data, i)
        elif wire == 2:
            length, i = _read_varint(data, i)
            value, i = data[i:i + length], i + length
        elif wire == 5:
            value, i = data[i:i + 4], i + 4
        elif wire == 1:
            value, i = data[i:i + 8], i + 8
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        fields.append((field, wire, value))
    return fields


def _read_varint(data, i):
    value, shift = 0, 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, i
        shift += 7


# --- the model ----------------------------------------------------------------------------------

def compile_charsmap(rules):
    """Compiles {code point: replacement} into sentencepiece's precompiled charsmap (its double-array
    trie), by letting sentencepiece's trainer build a throwaway model with the rules as its TSV."""
    with tempfile.TemporaryDirectory() as tmp:
        tsv = os.path.join(tmp, "rules.tsv")
        with open(tsv, "w", encoding="ascii") as f:
            for code in sorted(rules):
                f.write(f"{code:X}\t{' '.join(f'{ord(c):X}' for c in rules[code])}\n")
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(sentence_iterator=iter(["a b c", "b c d"]), model_writer=model,
                                       vocab_size=8, model_type="char", hard_vocab_limit=False,
                                       normalization_rule_tsv=tsv, num_threads=1, minloglevel=2)
    normalizer = [v for f, _, v in read_fields(model.getvalue()) if f == 3][0]
    return [v for f, _, v in read_fields(normalizer) if f == 2][0]


def piece_score(token):
    """Sentencepiece piece and score for one WordPiece token (see the module docstring)."""
    if token.startswith("##") and len(token) > 2:
        n = len(token) - 2
        return token[2:], -1.0 - n * n / 64.0
    return WORD_MARK + token, WORD_INITIAL_WEIGHT * len(token)


def build_model(vocab, charsmap):
    """vocab.txt's tokens (in id order) + compiled charsmap -> serialized sentencepiece ModelProto."""
    pieces, seen = [], set()
    for token in vocab:
        if token in SPECIAL:
            piece, score, kind = token, 0.0, SPECIAL[token]
        elif token.startswith("[unused") and token.endswith("]"):
            piece, score, kind = token, 0.0, UNUSED
        else:
            (piece, score), kind = piece_score(token), NORMAL
        if piece in seen:
            raise ValueError(f"vocab.txt: token {token!r} maps to the piece {piece!r} twice")
        seen.add(piece)
        pieces.append(_bytes_field(1, _bytes_field(1, piece) + _float_field(2, score) + _int_field(3, kind)))
    trainer = b"".join([
        _int_field(3, 1),  # model_type UNIGRAM
        _int_field(4, len(vocab)),
        _int_field(40, UNK_ID), _int_field(41, CLS_ID), _int_field(42, SEP_ID), _int_field(43, PAD_ID),
        _bytes_field(45, "[UNK]"), _bytes_field(46, "[CLS]"), _bytes_field(47, "[SEP]"), _bytes_field(48, "[PAD]"),
    ])
    normalizer = b"".join([
        _bytes_field(1, WORDPIECE_NORMALIZER), _bytes_field(2, charsmap),
        _int_field(3, 1), _int_field(4, 1), _int_field(5, 1),  # dummy prefix, collapse spaces, escape spaces
    ])
    return b"".join(pieces) + _bytes_field(2, trainer) + _bytes_field(3, normalizer)


def read_vocab(path):
    with open(path, encoding="utf-8") as f:
        vocab = f.read().split("\n")
    if vocab and vocab[-1] == "":
        vocab.pop()
    return vocab


def convert(vocab_path):
    """vocab.txt -> serialized sentencepiece model (bytes) that tokenises like BERT's uncased WordPiece."""
    vocab = read_vocab(vocab_path)
    for token, want in (("[PAD]", PAD_ID), ("[UNK]", UNK_ID), ("[CLS]", CLS_ID), ("[SEP]", SEP_ID)):
        if vocab.index(token) != want:
            raise ValueError(f"{vocab_path}: {token} has id {vocab.index(token)}, expected {want}")
    return build_model(vocab, compile_charsmap(normalisation_rules()))


class WordPiece:
    """Tokenises like BERT's uncased WordPiece with a model from convert(): sentencepiece normalises and
    splits words, then WordPiece's greedy longest-match-first pass segments each word (the same pass
    as the runtime's, src/text/sentencepiece_shim). Words are cached: captions repeat them."""

    def __init__(self, model_bytes):
        self.sp = spm.SentencePieceProcessor(model_proto=model_bytes)
        self.unk_id = self.sp.unk_id()
        self.ids = {self.sp.id_to_piece(i): i for i in range(self.sp.get_piece_size())
                    if not (self.sp.is_unknown(i) or self.sp.is_control(i) or self.sp.is_unused(i))}
        self._words = {}

    @property
    def vocab_size(self):
        return self.sp.get_piece_size()

    def normalise(self, texts):
        """The normalised text sentencepiece sees: words, each starting with WORD_MARK."""
        return ["".join(pieces) for pieces in self.sp.encode(list(texts), out_type=str)]

    def word_ids(self, word):
        """WordPiece ids of one normalised word (without its WORD_MARK)."""
        ids = self._words.get(word)
        if ids is None:
            ids = self._words[word] = self._segment(word)
        return ids

    def _segment(self, word):
        if len(word) > MAX_WORD_CHARS:
            return [self.unk_id]
        ids, start = [], 0
        while start < len(word):
            for end in range(len(word), start, -1):  # the longest piece first
                piece_id = self.ids.get(word[start:end] if start else WORD_MARK + word[:end])
                if piece_id is not None:
                    break
            else:
                return [self.unk_id]  # a word WordPiece cannot cover is one [UNK]
            ids.append(piece_id)
            start = end
        return ids

    @staticmethod
    def words(normalised):
        """One normalise() result -> its words, without their WORD_MARK."""
        return normalised.split(WORD_MARK)[1:]

    def encode(self, texts):
        """Prompts -> lists of BERT ids (no [CLS]/[SEP])."""
        return [[i for word in self.words(text) for i in self.word_ids(word)] for text in self.normalise(texts)]

    def batch(self, texts, max_length, bos_id=CLS_ID, eos_id=SEP_ID, pad_id=PAD_ID):
        """Prompts -> (tokens, mask) int64 numpy [B, max_length] as the runtime builds them:
        BOS, the first max_length - 2 ids, EOS, then padding; mask 1 on BOS..EOS."""
        import numpy as np
        tokens = np.full((len(texts), max_length), pad_id, np.int64)
        mask = np.zeros((len(texts), max_length), np.int64)
        for row, ids in enumerate(self.encode(texts)):
            ids = [bos_id] + ids[:max_length - 2] + [eos_id]
            tokens[row, :len(ids)] = ids
            mask[row, :len(ids)] = 1
        return tokens, mask

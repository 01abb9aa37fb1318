"""Writes a package's TorchScript files without their debug records.

torch.jit.save stores, beside each module's code, a `.debug_pkl` record of the source lines every operation came
from; it only improves error messages, and LibTorch loads an archive without it. The package must stay under
100 MB, and these records are about 31 kB of it, so save_script drops them: the archive is rewritten record by
record, in torch's order, uncompressed data aligned as torch's own writer aligns it.

torch.jit.script also lists a module's constants (nn.Linear's in_features and out_features) in the order of a
Python set of their names, which follows the process's string hashes; fixed_string_hashes restarts an exporting
process with them fixed, so that one work folder always exports to the same bytes.
"""
import os
import struct
import sys
import zipfile

import torch

DEBUG_SUFFIX = ".debug_pkl"  # torch.jit.save's source-range records
ALIGNMENT = 64  # torch's archive writer starts every record's data at a multiple of 64 bytes (for memory mapping)
LOCAL_HEADER = 30  # bytes of a zip local file header before its name and extra field
PADDING_ID = b"FB"  # the extra-field id torch's writer pads with; readers skip extra fields they do not know
HASH_SEED = "0"  # any fixed value: it fixes the order of the constants TorchScript writes (module docstring)


def _padding(offset, name):
    # offset int: where the local header starts, name bytes -> the extra field that starts the data at ALIGNMENT
    start = offset + LOCAL_HEADER + len(name) + 4  # 4: the extra field's id and length
    fill = -start % ALIGNMENT
    return PADDING_ID + struct.pack("<H", fill) + b"Z" * fill


def strip_debug_records(path):
    """Rewrites the TorchScript archive at path without its .debug_pkl records (in place, through a temporary
    file beside it)."""
    temporary = path + ".strip"
    with zipfile.ZipFile(path) as source, open(temporary, "wb") as raw:
        with zipfile.ZipFile(raw, "w") as target:
            for info in source.infolist():
                if info.filename.endswith(DEBUG_SUFFIX):
                    continue
                record = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                record.compress_type = info.compress_type
                if info.compress_type == zipfile.ZIP_STORED:
                    record.extra = _padding(raw.tell(), info.filename.encode())
                target.writestr(record, source.read(info))
    os.replace(temporary, path)


def save_script(module, path):
    """torch.jit.script(module) saved at path without debug records."""
    torch.jit.save(torch.jit.script(module), path)
    strip_debug_records(path)


def fixed_string_hashes():
    """Restarts this Python process, with its arguments, with PYTHONHASHSEED set to HASH_SEED unless it already
    is; call it first thing in a script that saves TorchScript."""
    if os.environ.get("PYTHONHASHSEED") != HASH_SEED:
        os.environ["PYTHONHASHSEED"] = HASH_SEED
        sys.stdout.flush()
        os.execv(sys.executable, [sys.executable] + sys.argv)

"""Turn the bytes of an input file into text, or say clearly why they are not text.

Arabic news files in the wild come as UTF-8 (with or without BOM), UTF-16 (Windows
"Unicode" saves, sometimes without BOM) and cp1256 (Windows Arabic). Anything else, and
anything that looks binary, is refused with an :class:`~marsad.errors.InputError` whose
message names the origin and says what to do.
"""

from __future__ import annotations

import codecs
import re

from marsad.errors import InputError
from marsad.text.arabic import arabic_ratio

# C0 control bytes other than tab, newlines and form feed: they never occur in text files.
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_NON_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# Share of control characters above which content is treated as binary. Real text files
# have none; a stray few (pasted from a terminal, say) must not make a file unreadable.
_MAX_CONTROL_SHARE = 0.01
# UTF-16 code units of Arabic and ASCII text have high byte 0x06 or 0x00.
_UTF16_HIGH_BYTES = frozenset({0x00, 0x06})
_MIN_UTF16_HIGH_SHARE = 0.6
_MAX_UTF16_LOW_NUL_SHARE = 0.1
# Share of undecodable sequences tolerated in otherwise valid UTF-8 (each becomes U+FFFD);
# cp1256 text read as UTF-8 fails on nearly every letter.
_MAX_BAD_UTF8_SHARE = 0.001
# cp1256 decodes almost any byte string; accept it only when the result reads as Arabic.
_MIN_CP1256_ARABIC_RATIO = 0.5

_FIX = "re-save it as UTF-8"


def decode_bytes(data: bytes, *, origin: str, stray_nul: bool = False) -> str:
    """Decode the content of a text file.

    Tries, in order: a UTF-8 or UTF-16 byte-order mark, UTF-16 without BOM, strict UTF-8,
    UTF-8 with at most one bad sequence per thousand characters (each becomes U+FFFD),
    then cp1256 when that yields mostly Arabic letters.

    Args:
        data: The raw bytes.
        origin: Where the bytes came from (a path), used in error messages.
        stray_nul: Let a few NUL bytes through, counted with the other control bytes: in a
            CSV file one bad row must not make its good rows unreadable.

    Returns:
        The decoded text, without byte-order mark.

    Raises:
        InputError: The bytes are binary or fit none of the supported encodings.
    """
    if not data:
        return ""
    if data.startswith(codecs.BOM_UTF8):
        return _checked(_strict(data[len(codecs.BOM_UTF8) :], "utf-8", origin), origin)
    if data.startswith(codecs.BOM_UTF16_LE):
        return _checked(_strict(data[2:], "utf-16-le", origin), origin)
    if data.startswith(codecs.BOM_UTF16_BE):
        return _checked(_strict(data[2:], "utf-16-be", origin), origin)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if (b"\x00" in data and not stray_nul) or _control_share_of_bytes(data) > _MAX_CONTROL_SHARE:
        raise InputError(f"{origin}: binary content, not a text file; give a UTF-8 text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few bad bytes (a file cut mid-character, one corrupt sector) would
    # otherwise pass as cp1256 mojibake: UTF-8 lead bytes D8/D9 are Arabic letters there.
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= _MAX_BAD_UTF8_SHARE * len(lenient):
        return lenient
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    if text and arabic_ratio(text) >= _MIN_CP1256_ARABIC_RATIO:
        return text
    raise InputError(f"{origin}: not valid UTF-8, UTF-16 or cp1256 text; {_FIX}")


def _strict(data: bytes, encoding: str, origin: str) -> str:
    """Decode with ``encoding`` or raise an InputError naming it."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(
            f"{origin}: starts with a {encoding.upper()} byte-order mark but byte {err.start} "
            f"is invalid; {_FIX}"
        ) from None


def _too_many_controls(text: str) -> bool:
    """Whether decoded text holds more control characters than real text would."""
    return len(_CONTROL_CHARS.findall(text)) > _MAX_CONTROL_SHARE * len(text)


def _checked(text: str, origin: str) -> str:
    """Refuse decoded text full of control characters (binary in disguise)."""
    if _too_many_controls(text):
        raise InputError(f"{origin}: binary content, not a text file; give a UTF-8 text file")
    return text


def _control_share_of_bytes(data: bytes) -> float:
    """Share of C0 control bytes, counted in C by deleting all other bytes."""
    return len(data.translate(None, _NON_CONTROL_BYTES)) / len(data)


def _utf16_without_bom(data: bytes) -> str | None:
    """Decode BOM-less UTF-16 when one byte parity looks like high bytes of Arabic/ASCII.

    In UTF-16 Arabic text nearly every high byte is 0x06 (Arabic block) or 0x00 (spaces,
    digits, punctuation) while low bytes are almost never NUL; UTF-8 and cp1256 text never
    show that pattern.
    """
    if len(data) < 2 or len(data) % 2:
        return None
    for encoding, high, low in (
        ("utf-16-le", data[1::2], data[0::2]),
        ("utf-16-be", data[0::2], data[1::2]),
    ):
        high_share = sum(high.count(b) for b in _UTF16_HIGH_BYTES) / len(high)
        low_nul_share = low.count(0) / len(low)
        if high_share >= _MIN_UTF16_HIGH_SHARE and low_nul_share <= _MAX_UTF16_LOW_NUL_SHARE:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not _too_many_controls(text):
                return text
    return None

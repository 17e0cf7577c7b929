"""The compact sRGB profile shipped as `briefs/render/srgb.icc`, made here from its numbers.

PDF/A-1 needs an output intent with an ICC version 2 profile, embedded in every brief. The
profile first shipped (Debian's icc-profiles-free, made by lcms) was 6.9 KB, 2.5 KB
compressed in each PDF: three copies of a 1,024-point tone curve. This one has the same
header, primaries and white point, and one tone curve of 64 points shared by the three
channels (an ICC tag table may point several tags at one element), off the sRGB formula by
at most 0.025 of an 8-bit step (see `curve_error`).

Run `python tests/srgb_profile.py` to write the file again; `tests/test_size.py` checks that
the shipped file is what this makes.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

PROFILE = Path(__file__).resolve().parent.parent / "briefs" / "render" / "srgb.icc"
POINTS = 64

# the lcms header of the first profile (v2.3 monitor RGB profile, PCS XYZ, D50 illuminant);
# its size field (the first 4 bytes) is set when the profile is made
_HEADER = bytes.fromhex(
    "00000000" "6c636d73" "02300000" "6d6e7472" "52474220" "58595a20" "07d40008000d000c00120006"
    "61637370" "4d534654" "00000000" "6c636d73" "00000000" "00000000" "00000000" "00000000"
    "0000f6d6" "00010000" "0000d32d" "6c636d73" + "00" * 44)
assert len(_HEADER) == 128
# XYZ numbers as s15Fixed16 integers, as the first profile has them
_XYZ = {"wtpt": (62269, 65536, 71320), "rXYZ": (28564, 14574, 912),
        "gXYZ": (25253, 46992, 6366), "bXYZ": (9373, 3971, 46782)}


def srgb_to_linear(value: float) -> float:
    """The sRGB tone curve (IEC 61966-2-1) from a coded value to linear light, both 0–1."""
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def _curve() -> bytes:
    samples = [round(srgb_to_linear(i / (POINTS - 1)) * 65535) for i in range(POINTS)]
    return struct.pack(f">4s4xI{POINTS}H", b"curv", POINTS, *samples)


def _desc(text: str) -> bytes:
    """A v2 textDescriptionType: ASCII text, no Unicode, an empty ScriptCode part."""
    ascii_text = text.encode("ascii") + b"\0"
    return (struct.pack(">4s4xI", b"desc", len(ascii_text)) + ascii_text
            + struct.pack(">IIHB", 0, 0, 0, 0) + b"\0" * 67)


def _padded(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 4)


def compact_srgb() -> bytes:
    """The profile's bytes: header, tag table, then each distinct element once."""
    curve = _curve()
    elements: list[tuple[list[str], bytes]] = [
        (["desc"], _desc("sRGB")),
        (["cprt"], b"text\0\0\0\0no copyright, use freely\0"),
        *(([tag], struct.pack(">4s4x3i", b"XYZ ", *xyz)) for tag, xyz in _XYZ.items()),
        (["rTRC", "gTRC", "bTRC"], curve),
    ]
    count = sum(len(tags) for tags, _ in elements)
    offset = 128 + 4 + 12 * count
    table, data = bytearray(struct.pack(">I", count)), bytearray()
    for tags, element in elements:
        for tag in tags:
            table += struct.pack(">4sII", tag.encode("ascii"), offset + len(data), len(element))
        data += _padded(element)
    body = _HEADER[4:] + bytes(table) + bytes(data)
    return struct.pack(">I", 4 + len(body)) + body


def curve_error(profile: bytes) -> float:
    """The largest difference, in linear light 0–1, between the profile's red tone curve
    (interpolated as a colour engine does) and the sRGB formula, over 10,001 inputs."""
    count = struct.unpack_from(">I", profile, 128)[0]
    tags = {struct.unpack_from(">4s", profile, 132 + 12 * i)[0]:
            struct.unpack_from(">II", profile, 136 + 12 * i) for i in range(count)}
    at, _ = tags[b"rTRC"]
    points = struct.unpack_from(">I", profile, at + 8)[0]
    curve = [v / 65535 for v in struct.unpack_from(f">{points}H", profile, at + 12)]
    worst = 0.0
    for step in range(10_001):
        x = step / 10_000 * (points - 1)
        i = min(int(x), points - 2)
        value = curve[i] + (curve[i + 1] - curve[i]) * (x - i)
        worst = max(worst, abs(value - srgb_to_linear(step / 10_000)))
    return worst


if __name__ == "__main__":
    made = compact_srgb()
    PROFILE.write_bytes(made)
    sys.stdout.write(f"wrote {PROFILE} ({len(made)} bytes, curve error "
                     f"{curve_error(made) * 255:.3f}/255)\n")

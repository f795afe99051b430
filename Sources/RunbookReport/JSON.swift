import RunbookLanguage

/// A small JSON writer for line-oriented reports; keys keep the order given.
package indirect enum JSON {
    case string(String)
    case number(Int)
    case bool(Bool)
    case null
    case array([JSON])
    case object([(String, JSON)])
    /// Text that is already JSON.
    case raw(String)

    package var text: String {
        switch self {
        case .string(let s): JSON.quote(s)
        case .number(let n): String(n)
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .array(let items): "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let fields): "{" + fields.map { JSON.quote($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
        case .raw(let s): s
        }
    }

    package static func quote(_ s: String) -> String {
        var out = "\""
        Words.escape(s, into: &out) { scalar in
            switch scalar {
            case "\"": return "\\\""
            case "\\": return "\\\\"
            case "\n": return "\\n"
            case "\r": return "\\r"
            case "\t": return "\\t"
            // Controls must be escaped; DEL, C1, bidirectional controls and line separators
            // are too, so that JSON on a terminal shows them rather than obeys them.
            case _ where Lexer.isForbidden(scalar) || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: return nil
            }
        }
        return out + "\""
    }
}

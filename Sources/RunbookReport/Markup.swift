import RunbookLanguage

/// Text inside XML and XHTML, as JUnit reports and rehearsal reports write it: the one place
/// that makes text safe to put between tags or in an attribute.
package enum Markup {
    /// `text` with `&`, `<`, `>`, `"` and `'` as entities, and the characters XML 1.0 does
    /// not allow (control characters but tab and line ends, U+FFFE and U+FFFF) or that
    /// would reorder what a reader sees (bidirectional controls) written as Swift writes
    /// them: `\u{1B}`, as everything printed does.
    package static func escape(_ content: String, into out: inout String) {
        // Most text needs nothing: appended whole. Lead bytes of what may need escaping:
        // controls, DEL, C1 (C2), U+061C (D8), bidi controls (E2), U+FFFE and U+FFFF (EF).
        if !content.utf8.contains(where: {
            $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0x7F || $0 == 0xC2
                || $0 == 0xD8 || $0 == 0xE2 || $0 == 0xEF
        }) {
            out += content
            return
        }
        Words.escape(content, into: &out) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&#39;"
            case "\t", "\n", "\r": nil
            case _ where Lexer.isForbidden(scalar) || scalar.value == 0xFFFE || scalar.value == 0xFFFF: Words.escaped(scalar)
            default: nil
            }
        }
    }

    /// `escape(_:into:)` as a string.
    package static func escape(_ content: String) -> String {
        var out = ""
        escape(content, into: &out)
        return out
    }
}

/// HTML text as the rehearsal report writes it: well-formed XHTML, so that an XML parser
/// reads it as a browser does. Every piece of text goes through `escape`, the one place
/// that makes text safe to put between tags or in an attribute.
struct HTML {
    private(set) var text = ""

    /// Appends markup written here, never text from a runbook or a file.
    mutating func raw(_ markup: String) {
        text += markup
    }

    /// Appends text, escaped.
    mutating func escaped(_ content: String) {
        HTML.escape(content, into: &text)
    }

    /// `<tag attributes>text</tag>`, the text escaped.
    mutating func element(_ tag: String, _ attributes: String = "", _ content: String) {
        raw("<\(tag)\(attributes.isEmpty ? "" : " " + attributes)>")
        escaped(content)
        raw("</\(tag)>")
    }

    /// Appends other HTML.
    mutating func append(_ other: HTML) {
        text += other.text
    }

    /// `text` with `&`, `<`, `>`, `"` and `'` as entities, and the characters XML does not
    /// allow (control characters but tab and line ends, U+FFFE and U+FFFF) as U+FFFD.
    static func escape(_ content: String, into out: inout String) {
        // Most text needs nothing: appended whole.
        if !content.utf8.contains(where: { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0xEF })
        {
            out += content
            return
        }
        for scalar in content.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
    }

    /// `escape(_:into:)` as a string, for attribute values.
    static func escape(_ content: String) -> String {
        var out = ""
        escape(content, into: &out)
        return out
    }
}

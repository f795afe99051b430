/// HTML text as the rehearsal report writes it: well-formed XHTML, so that an XML parser
/// reads it as a browser does. Every piece of text goes through `Markup.escape`.
struct HTML {
    private(set) var text = ""

    /// Appends markup written here, never text from a runbook or a file.
    mutating func raw(_ markup: String) {
        text += markup
    }

    /// Appends text, escaped.
    mutating func escaped(_ content: String) {
        Markup.escape(content, into: &text)
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
}

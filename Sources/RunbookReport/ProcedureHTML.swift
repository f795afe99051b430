/// The procedure as the rehearsal report prints it: the language's Markdown, read back
/// into XHTML, so that the report, the command line and the REPL write one procedure. It
/// reads the forms `Procedure.markdown` writes and nothing more: headings, paragraphs,
/// lists with real checkboxes, a table, `**bold**`, `*italic*` and backslash escapes. Each
/// numbered section is a block the print stylesheet keeps on one page where it fits.
enum ProcedureHTML {
    static func draw(_ markdown: String, into out: inout HTML) {
        out.raw("<section class=\"procedure\" id=\"procedure\">")
        /// The list open, if any: a checklist or not.
        var list: Bool?
        var table = false
        var part = false
        func close() {
            if list != nil { out.raw("</ul>") }
            list = nil
            if table { out.raw("</tbody></table>") }
            table = false
        }
        /// `text` read inline, between the markup `open` and `close`.
        func inlined(_ open: String, _ text: Substring, _ close: String) {
            out.raw(open)
            inline(text, into: &out)
            out.raw(close)
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# ") {
                close()
                inlined("<h2>", line.dropFirst(2), "</h2>")
            } else if line.hasPrefix("## ") {
                close()
                if part { out.raw("</div>") }
                part = true
                inlined("<div class=\"part\"><h3>", line.dropFirst(3), "</h3>")
            } else if line.hasPrefix("- ") {
                let checklist = line.hasPrefix("- [ ] ")
                if list != checklist {
                    close()
                    list = checklist
                    out.raw(checklist ? "<ul class=\"checklist\">" : "<ul>")
                }
                if checklist {
                    inlined("<li><label><input type=\"checkbox\"/> ", line.dropFirst(6), "</label></li>")
                } else {
                    inlined("<li>", line.dropFirst(2), "</li>")
                }
            } else if line.hasPrefix("|") {
                let cells = Self.cells(line)
                if !table {
                    close()
                    table = true
                    out.raw("<table class=\"change\"><thead><tr>")
                    for cell in cells { inlined("<th scope=\"col\">", cell, "</th>") }
                    out.raw("</tr></thead><tbody>")
                } else if !cells.allSatisfy({ $0.allSatisfy { $0 == "-" } }) {
                    out.raw("<tr>")
                    for (i, cell) in cells.enumerated() {
                        inlined(i == 0 ? "<th scope=\"row\">" : "<td>", cell, i == 0 ? "</th>" : "</td>")
                    }
                    out.raw("</tr>")
                }
            } else if line.isEmpty {
                close()
            } else {
                close()
                inlined("<p>", line, "</p>")
            }
        }
        close()
        if part { out.raw("</div>") }
        out.raw("</section>\n")
    }

    /// The cells of a table row, split at the bars that are not escaped, trimmed.
    private static func cells(_ line: Substring) -> [Substring] {
        var cells: [Substring] = []
        var start = line.index(after: line.startIndex)
        var i = start
        while i < line.endIndex {
            if line[i] == "\\" {
                i = line.index(after: i)
                if i < line.endIndex { i = line.index(after: i) }
                continue
            }
            if line[i] == "|" {
                cells.append(trimmed(line[start..<i]))
                start = line.index(after: i)
            }
            i = line.index(after: i)
        }
        return cells
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }

    /// A line's text: `**bold**`, `*italic*`, and `\X` for a literal X, every piece escaped.
    private static func inline(_ text: Substring, into out: inout HTML) {
        var bold = false
        var italic = false
        var pending = ""
        func flush() {
            out.escaped(pending)
            pending = ""
        }
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i)
            if c == "\\", next < text.endIndex {
                pending.append(text[next])
                i = text.index(after: next)
                continue
            }
            if c == "*" {
                flush()
                if next < text.endIndex && text[next] == "*" {
                    out.raw(bold ? "</b>" : "<b>")
                    bold.toggle()
                    i = text.index(after: next)
                } else {
                    out.raw(italic ? "</i>" : "<i>")
                    italic.toggle()
                    i = next
                }
                continue
            }
            pending.append(c)
            i = next
        }
        flush()
        if italic { out.raw("</i>") }
        if bold { out.raw("</b>") }
    }
}

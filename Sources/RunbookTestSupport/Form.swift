import RunbookLanguage

/// Everything a parse says, laid out for comparing two parses of the same source.
public enum Form {
    /// The first way two parses of one source differ, or `nil` when they are the same:
    /// statements with their kinds, ranges and names, scenarios, comments, diagnostics.
    public static func difference(_ a: ParseResult, _ b: ParseResult) -> String? {
        func statements(_ r: ParseResult) -> [String] {
            r.chunk.statements.indices.map { i in
                let s = r.chunk.statements[i]
                let names = r.chunk.names(of: i).map { "\($0.text)@\($0.range)" }
                return "\(s.kind) \(s.range) \(names)"
            }
        }
        func diagnostics(_ r: ParseResult) -> [String] {
            r.diagnostics.map { "\($0.severity) \($0.range) \($0.message) \($0.hints)" }
        }
        let pairs: [(String, [String], [String])] = [
            ("statements", statements(a), statements(b)),
            ("background", ["\(a.chunk.backgroundCount)"], ["\(b.chunk.backgroundCount)"]),
            ("scenarios", a.chunk.scenarios.map { "\($0)" }, b.chunk.scenarios.map { "\($0)" }),
            ("comments", a.chunk.comments.map { "\($0)" }, b.chunk.comments.map { "\($0)" }),
            ("diagnostics", diagnostics(a), diagnostics(b)),
            ("incomplete", ["\(String(describing: a.incomplete))"], ["\(String(describing: b.incomplete))"]),
            ("runnable", ["\(a.program != nil) \(a.isComplete)"], ["\(b.program != nil) \(b.isComplete)"]),
        ]
        for (what, x, y) in pairs where x != y {
            let at = zip(x, y).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(x.count, y.count)
            return "\(what) differ at \(at): \(at < x.count ? x[at] : "nothing") against \(at < y.count ? y[at] : "nothing")"
        }
        return nil
    }
}

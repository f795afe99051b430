import RunbookLanguage
import Testing

/// What an editor rehearses of a source with errors: the background up to its first
/// error, and the scenarios without one after a background without one.
@Test(arguments: [
    // source, the background's statements that run, each scenario's blocker (offset)
    ("admin a\nas a connect\n", 0..<2, [Rehearsal.Blocker?]()),
    ("admin a\nas a conect\nshow\n", 0..<1, []),
    ("admin a\nexpect violation no-such-rule as a connect\nshow\n", 0..<1, []),
    ("as a conect\n", 0..<0, []),
    ("admin a\nscenario \"s\" {\n  as a conect\n}\nscenario \"t\" {\n  show\n}\n", 0..<1, [.own(at: 30), nil]),
    ("admin a\nas a conect\nscenario \"t\" {\n  show\n}\n", 0..<1, [.background(at: 13)]),
    ("admin a\nscenario t {\n  show\n}\n", 0..<1, [.own(at: 17)]),
    ("admin a\nscenario \"t\" {\n  show\n", 0..<1, [.own(at: 30)]),
])
func whatRuns(source: String, background: Range<Int>, blockers: [Rehearsal.Blocker?]) {
    let rehearsal = Rehearsal(Parser.parse(SourceFile(name: "r", text: source)))
    #expect(rehearsal.background == background)
    #expect(rehearsal.scenarioBlockers == blockers)
    #expect(rehearsal.canRun(background))
    #expect(!rehearsal.canRun(background.lowerBound..<rehearsal.chunk.statements.count) || blockers.allSatisfy { $0 == nil })
}

@Test func pastTheErrorsHeldNothingIsKnownToBeWhole() {
    let broken = String(repeating: "as a conect\n", count: Diagnostic.reportedPerSource + 1)
    let rehearsal = Rehearsal(Parser.parse(SourceFile(name: "r", text: "admin a\nscenario \"t\" {\n" + broken + "}\n")))
    #expect(rehearsal.background == 0..<1)
    #expect(rehearsal.scenarioBlockers == [.own(at: 28)])
    let after = "admin a\n" + broken + "scenario \"t\" {\n  show\n}\n"
    #expect(Rehearsal(Parser.parse(SourceFile(name: "r", text: after))).scenarioBlockers == [.background(at: 13)])
    // The errors of "a" fill what is held: whether "b" has one is not known, so it does not run.
    let two = "admin a\nscenario \"a\" {\n" + broken + "}\nscenario \"b\" {\n  show\n}\n"
    #expect(Rehearsal(Parser.parse(SourceFile(name: "r", text: two))).scenarioBlockers == [.own(at: 28), .own(at: nil)])
}

@Test func aRehearsalRunsWhatItCanThroughTheSession() {
    let rehearsal = Rehearsal(Parser.parse(SourceFile(name: "r", text: "admin a\nas a connect\nas a conect\n")))
    var session = Session()
    #expect(session.rehearse(rehearsal, statements: rehearsal.background) == nil)
    #expect(session.instance.owner != nil)
    #expect(!rehearsal.canRun(0..<3))
}

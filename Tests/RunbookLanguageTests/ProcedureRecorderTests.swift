import ConnectionCore
import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookLanguage

/// Which first statements of a runbook set the instance up as it is today: one row per
/// runbook, with how many.
@Test(arguments: [
    ("admin a, b\nas a connect\nexpect owner a\nas b connect\n", 3),
    ("admin a, b\nas a connect\nexpect owner a\nexpect a connected\nshow\nas b connect\n", 5),
    // No action after the first expectations: the declarations alone.
    ("admin a\nas a connect\nexpect owner a\n", 1),
    ("admin a\nuser b\nas a connect\nas a grant b\n", 2),
    // Not declaring members (a plan, a runbook for a state file): the leading expectations.
    ("expect owner a\nas b connect\n", 1),
    ("as a connect\nexpect owner a\n", 0),
    ("", 0),
])
func theOpeningOfARunbook(text: String, count: Int) throws {
    let program = try #require(Parser.parse(SourceFile(name: "t", text: text)).program)
    #expect(Procedure.openingCount(of: program.chunk) == count)
}

/// What was verified is what gets done: on random runbooks, the procedure's actions are
/// the actions the run performed after the opening, in order, with the same actors and
/// targets, and a section ends where the actor changes.
@Test func theProcedureHasExactlyTheActionsTheRunPerformed() throws {
    var generator = ReferenceGenerator(seed: 23)
    for _ in 0..<300 {
        let text = generator.runbook().text
        guard let program = Parser.parse(SourceFile(name: "r", text: text)).program else { continue }
        let opening = Procedure.openingCount(of: program.chunk)
        var performed: [Procedure.Item] = []
        var actors: [String] = []
        var session = Session()
        var recorder = ProcedureRecorder()
        _ = session.run(program, watching: &recorder) { outcome in
            guard outcome.index < program.chunk.backgroundCount, outcome.index >= opening,
                case .action(let verb, _) = outcome.statement.kind, case .performed = outcome.result
            else { return }
            let names = program.chunk.memberNames(of: outcome.index)
            performed.append(.action(verb, targets: Array(names.dropFirst())))
            actors.append(names[0])
        }
        let procedure = recorder.procedure(endingAt: session.instance)
        let recorded = procedure.sections.flatMap { section in
            section.items.filter { if case .action = $0 { true } else { false } }.map { (section.actor, $0) }
        }
        #expect(recorded.map(\.1) == performed, "\(text)")
        #expect(recorded.map(\.0) == actors, "\(text)")
        #expect(zip(procedure.sections, procedure.sections.dropFirst()).allSatisfy { $0.actor != $1.actor })
    }
}

/// Each section is headed with the actor's role before its first action.
@Test func sectionsAreHeadedWithTheActorsRoleAtThatMoment() throws {
    let text = """
        admin a, b, c
        as a connect
        expect owner a
        as b connect
        as c remove a
        as a disconnect
        as c connect
        as b disconnect
        """
    let program = try #require(Parser.parse(SourceFile(name: "r", text: text)).program)
    var session = Session()
    var recorder = ProcedureRecorder()
    #expect(session.run(program, watching: &recorder).status == .stopped)  // c cannot remove a, still connected
    let fixed = try #require(Parser.parse(SourceFile(name: "r", text: text.replacing("as c remove a\n", with: ""))).program)
    session = Session()
    recorder = ProcedureRecorder()
    #expect(session.run(fixed, watching: &recorder).status == .completed)
    let procedure = recorder.procedure(endingAt: session.instance)
    #expect(
        procedure.sections.map { "\($0.actor) \($0.role)" } == [
            "b newAdmin", "a originallyConnectedAdmin", "c newAdmin", "b anotherConnectedAdmin",
        ])
    #expect(ProcedureWords.change(procedure.change) == "owner c (was a); a loses access")
}

/// The product's words are the page's: every label, section heading and quoted sentence of
/// the click paths is on the product page (when the shared seed is beside the package).
@Test func theClickPathsAreThePagesWords() throws {
    let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let seed = package.deletingLastPathComponent().appendingPathComponent("shared/seed/connect-new-admin-to-marketo.sv.md")
    guard let page = try? String(contentsOf: seed, encoding: .utf8) else {
        print("the product page is not beside the package; skipped")
        return
    }
    #expect(page.contains("# " + ProductPage.title.swedish))
    for path in ProductPage.clickPaths {
        #expect(page.contains(path.section.swedish), "\(path.verb)")
        for sentence in path.seedQuote.split(separator: ". ") { #expect(page.contains(sentence), "\(path.verb): \(sentence)") }
    }
    let p = ProductPage.self
    for label in [p.gearIcon, p.settings, p.marketo, p.userAccess, p.connect, p.disconnect, p.instance] {
        #expect(page.contains(label.swedish), "\(label.english)")
    }
}

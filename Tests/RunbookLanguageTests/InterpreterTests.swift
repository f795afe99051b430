import ConnectionCore
import Testing

@testable import RunbookLanguage

@Test("explain's examples trigger and avoid their rule", arguments: RuleID.allCases)
func catalogueExamples(rule: RuleID) throws {
    let example = try #require(Catalogue.examples[rule])
    var session = Session()
    let triggered = session.evaluate(example.triggers)
    #expect(triggered.status == .stopped)
    #expect(triggered.diagnostics.first?.rule == rule.rawValue)
    var clean = Session()
    #expect(clean.evaluate(example.avoids).status == .completed)
}

/// The README's embedding example, as a host program would write it.
@Test func embeddingAPI() throws {
    var session = Session()
    let setup = session.evaluate("admin adminA, adminB\nuser bob\nas adminA connect\nas adminA grant bob")
    #expect(setup.status == .completed)

    let before = session.instance
    let refused = session.evaluate("as adminA disconnect", name: "step.runbook")
    #expect(refused.status == .stopped)
    let violation = try #require(refused.diagnostics.first)
    #expect(violation.severity == .violation)
    #expect(violation.rule == "disconnect-strands-users")
    #expect(violation.location == "step.runbook:1:1")
    #expect(violation.hints == ["connect another admin first: as adminB connect"])
    #expect(session.instance == before)

    let handoff = session.evaluate("as adminB connect; as adminA disconnect; expect bob connected")
    #expect(handoff.status == .completed)
    #expect(handoff.expectationsHeld == 1)
    guard case .performed(_, let events) = handoff.outcomes[0] else { Issue.record("no events"); return }
    #expect(events == [.connected(admin: "adminB", previousOwner: "adminA")])
    #expect(session.instance.owner == "adminB")
}

@Test func runStopsAtTheFirstFailureAndNothingAfterRuns() {
    var session = Session()
    let result = session.evaluate("admin a\nexpect owner a\nas a connect\n")
    #expect(result.status == .stopped)
    #expect(result.statementsRun == 2)
    #expect(!session.instance.isLive)
}

@Test func syntaxErrorsRunNothing() {
    var session = Session()
    let result = session.evaluate("admin a\nas a conect\n")
    #expect(result.status == .didNotParse)
    #expect(session.instance.memberCount == 0)
}

@Test func expectViolationChangesNothing() {
    var session = Session()
    _ = session.evaluate("admin a, b\nas a connect")
    let before = session.instance
    #expect(session.evaluate("expect violation remove-connected-admin as b remove a").status == .completed)
    #expect(session.instance == before)
    let wrongRule = session.evaluate("expect violation remove-self as b remove a")
    #expect(wrongRule.status == .stopped)
    #expect(wrongRule.diagnostics.first?.message.contains("but it is refused by [remove-connected-admin]") == true)
}

@Test func scenariosRunOnFreshCopiesOfTheBackground() {
    var session = Session()
    let result = session.evaluate(
        """
        admin a, b
        scenario "one" {
          as a connect
          expect owner a
        }
        scenario "two" {
          expect owner none
          as b connect
        }
        """)
    #expect(result.status == .completed)
    #expect(result.scenarios.map(\.passed) == [true, true])
    #expect(!session.instance.isLive)
}

@Test func aHundredThousandStatementsRunInLinearTime() {
    var text = "admin boss\nas boss connect\n"
    for i in 0..<25_000 {
        text += "user u\(i)\nas boss grant u\(i)\nexpect u\(i) connected\nas boss revoke u\(i)\n"
    }
    var session = Session()
    session.describesEvents = false
    var result: Evaluation?
    // A quadratic interpreter would take many minutes here; a linear one well under a second.
    let elapsed = ContinuousClock().measure { result = session.evaluate(SourceFile(name: "big", text: text)) { _ in } }
    #expect(result?.status == .completed)
    #expect(result?.statementsRun == 100_002)
    #expect(elapsed < .seconds(30))
}

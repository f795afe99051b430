import ConnectionCore
import RunbookTestSupport
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
    guard case .performed(let events) = handoff.outcomes[0].result else { Issue.record("no events"); return }
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

/// The interpreter against the reference, written from the specification and sharing no
/// code with it: generated runbooks (every statement form, lists, names never declared,
/// removed members, scenarios) end the same way, with the same rule, on the same line.
@Test func interpreterAgreesWithTheReference() throws {
    var generator = ReferenceGenerator(seed: 20_261_204)
    var statuses: [Int32: Int] = [:]
    var rules = Set<RuleID>()
    var hazards = 0
    for i in 0..<3_000 {
        let (text, program) = generator.runbook()
        let expected = Reference.run(program)
        var session = Session()
        var last = -1
        let source = SourceFile(name: "gen\(i)", text: text)
        let evaluation = session.evaluate(source) { last = $0.index }
        let parsed = Parser.parse(source)
        let stop = evaluation.diagnostics.first
        let actual = Reference.Result(
            refusedBeforeRunning: evaluation.status == .didNotParse, stopped: evaluation.status == .stopped,
            rule: evaluation.status == .stopped ? stop?.rule.flatMap(RuleID.init(rawValue:)) : nil,
            line: evaluation.status == .stopped ? source.location(of: parsed.chunk.statements[last].range.lowerBound).line : nil,
            hazards: Reference.hazardLines(of: evaluation))
        try #require(actual == expected, "runbook \(i): \(actual), the reference says \(expected)\n\(text)")
        statuses[expected.exitStatus, default: 0] += 1
        if let rule = expected.rule { rules.insert(rule) }
        hazards += expected.hazards.count
    }
    #expect(hazards >= 100, "hazards performed anyway: \(hazards)")
    // The comparison reaches every outcome and every rule.
    #expect(statuses.keys.sorted() == [0, 1, 65], "\(statuses)")
    #expect(statuses.values.allSatisfy { $0 >= 100 }, "\(statuses)")
    #expect(rules == Set(RuleID.allCases), "\(Set(RuleID.allCases).subtracting(rules))")
}

/// Every expectation form, of a member, a former member, a name never declared and a
/// name that is a keyword: written once, the semantics of SPEC §2.
@Test(arguments: [
    // form, name, holds
    ("expect owner %", "anna", true), ("expect owner %", "ex", false), ("expect owner %", "zed", false),
    ("expect owner %", "\"user\"", false),
    ("expect % connected", "anna", true), ("expect % connected", "ex", false), ("expect % connected", "zed", false),
    ("expect % connected", "\"user\"", true),
    ("expect % not connected", "ben", true), ("expect % not connected", "ex", false),
    ("expect % not connected", "zed", false), ("expect % not connected", "\"user\"", false),
    ("expect % has access", "\"user\"", true), ("expect % has access", "ex", false),
    ("expect % has access", "zed", false), ("expect % has access", "anna", false),
    ("expect % absent", "ex", true), ("expect % absent", "zed", true), ("expect % absent", "anna", false),
    ("expect % absent", "\"user\"", false),
    ("expect violation as % connect", "ex", true), ("expect violation unknown-member as % connect", "zed", true),
    ("expect violation already-connected as % connect", "anna", true),
    ("expect violation as % connect", "ben", false), ("expect violation connect-requires-admin as % connect", "\"user\"", true),
    ("expect violation already-has-access as anna grant %", "\"user\"", true),
    ("expect violation unknown-member as anna grant %", "ex", true),
    ("expect violation as anna grant %", "ben", false),
])
func expectationForms(form: String, name: String, holds: Bool) {
    var session = Session()
    let setup = """
        admin anna, ben, ex; user "user"
        as anna connect; as anna grant "user"; as anna remove ex
        """
    #expect(session.evaluate(setup).status == .completed)
    let before = session.instance
    let statement = form.replacing("%", with: name)
    let result = session.evaluate(statement)
    #expect(result.status == (holds ? .completed : .stopped), "\(statement)")
    #expect(session.instance == before, "an expectation changed the state: \(statement)")
    if !holds {
        let failure = result.diagnostics.first
        #expect(failure?.severity == .failed && failure?.id == .failedExpectation, "\(statement)")
    }
}

/// A failed expectation says why, about the name that failed.
@Test func failedExpectationsSayWhy() {
    func failure(_ text: String) -> String {
        var session = Session()
        let result = session.evaluate("admin a, b; user u; as a connect; as a remove b\n" + text)
        return result.diagnostics.first.map { "\($0.location.dropFirst("<input>:".count)) \($0.message)" } ?? "held"
    }
    #expect(failure("expect zed not connected") == "2:8 expected zed not to be connected, but zed is not a member")
    #expect(failure("expect a, b connected") == "2:11 expected b to be connected, but b is not a member")
    #expect(failure("expect b has access") == "2:8 expected b to hold access, but b is not a member")
    #expect(failure("expect u connected") == "2:8 expected u to be connected, but u holds no access")
    #expect(failure("expect a absent") == "2:8 expected a to be absent, but a is an admin of the instance")
    #expect(failure("expect owner b") == "2:1 expected owner b, but b is not a member")
    #expect(failure("expect owner none") == "2:1 expected the integration not to be live, but the owner is a")
    #expect(
        failure("expect violation as a grant u")
            == "2:1 expected 'as a grant u' to be refused, but it would succeed")
    #expect(
        failure("expect violation remove-self as a remove u, b")
            == "2:1 expected 'as a remove u, b' to be refused by [remove-self], but it is refused by [unknown-member]: b is not a member of the instance"
    )
}

/// A refusal puts its caret under the name the rule is about.
@Test func refusalsPointAtTheirName() {
    func location(_ text: String) -> String {
        var session = Session()
        let result = session.evaluate("admin anna, ben; user carl, dora; as anna connect; as anna grant carl\n" + text)
        return result.diagnostics.first.map { "\($0.location.dropFirst("<input>:".count)) \($0.rule ?? "")" } ?? "held"
    }
    #expect(location("as anna grant dora, carl") == "2:21 already-has-access")
    #expect(location("as anna grant dora, doar") == "2:21 unknown-member")
    #expect(location("as anne grant dora") == "2:4 unknown-member")
    #expect(location("as anna revoke carl, dora") == "2:22 no-access-to-revoke")
    #expect(location("as anna grant ben, anna") == "2:20 already-connected")
    #expect(location("as ben remove dora, ben") == "2:21 remove-self")
    #expect(location("as ben remove carl, anna") == "2:21 remove-connected-admin")
    #expect(location("user erik, ben") == "2:12 duplicate-member")
    #expect(location("as ben disconnect") == "2:1 disconnect-requires-connection")
    #expect(location("as carl connect") == "2:1 connect-requires-admin")
}

/// Each outcome says which rule refused its action: one that stopped the run, or the one an
/// `expect violation` that held expected.
@Test func outcomesNameTheRuleThatRefused() {
    var session = Session()
    let result = session.evaluate(
        """
        admin a, b; user u
        as a connect
        expect violation as u connect
        expect violation already-connected as a connect
        expect owner a
        as b disconnect
        """)
    #expect(result.outcomes.map(\.rule) == [nil, nil, nil, .connectRequiresAdmin, .alreadyConnected, nil, .disconnectRequiresConnection])
    #expect(Words.status(of: "a", in: session.instance) == "connected, owner")
    #expect(Words.status(of: "u", in: session.instance) == "-")
    #expect(Words.status(of: "zed", in: session.instance) == "absent")
}

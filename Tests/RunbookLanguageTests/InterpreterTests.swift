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

/// One outcome in words, everything a report shows of it included.
private func described(_ outcome: Outcome) -> String {
    switch outcome {
    case .performed(let range, let events): "\(range) performed \(events)"
    case .held(let range): "\(range) held"
    case .shown(let range, let instance): "\(range) shown \(Describe.state(instance))"
    case .stopped(let range, let d): "\(range) stopped \(d.location) \(d.rule ?? "-") \(d.message) \(d.hints)"
    }
}

/// Compiled runs execute actions and expectations on single names without building their
/// trees; whatever the statement and the state, they must do exactly what the tree does.
@Test func compiledRunsAgreeWithTheTree() {
    var rng = SplitMix(state: 8)
    func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }
    let admins = ["a0", "a1", "a2", "\"Anna Berg\""]
    let users = ["u0", "u1", #""say \"hi\"""#, "u3"]
    let everyone = admins + users + ["ghost"]
    func statement() -> String {
        let verb = pick(["connect", "disconnect", "grant", "revoke", "remove", "grant", "revoke"])
        let targets = pick([pick(everyone), pick(everyone), pick(everyone) + ", " + pick(everyone)])
        let action = "as \(pick(admins + ["u0", "ghost"])) \(verb)" + (["connect", "disconnect"].contains(verb) ? "" : " " + targets)
        switch Int.random(in: 0..<9, using: &rng) {
        case 0, 1, 2: return action
        case 3: return "expect owner " + pick(everyone + ["none"])
        case 4: return "expect \(pick(everyone)) \(pick(["connected", "not connected", "has access", "absent"]))"
        case 5: return "expect \(pick(everyone)), \(pick(everyone)) connected"
        case 6, 7: return "expect violation " + pick(["", "", pick(RuleID.allCases).rawValue + " "]) + action
        default: return pick(["show", "admin a9", "user \(pick(users)), u9"])
        }
    }

    var compared = 0
    for round in 0..<300 {
        // A runbook whose statements all succeed but possibly the last, so that the runs go deep.
        var text = "admin a0, a1, a2, \"Anna Berg\"\nuser u0, u1, \"say \\\"hi\\\"\", u3\n"
        var probe = Session()
        _ = probe.evaluate(text)
        for _ in 0..<200 {
            let next = statement()
            var trial = probe
            let stops = trial.evaluate(next).status != .completed
            if stops && Int.random(in: 0..<40, using: &rng) > 0 { continue }
            text += next + (round % 2 == 0 ? "\n" : "; ")
            probe = trial
            if stops { break }
        }
        let source = SourceFile(name: "r\(round)", text: text)
        var compiled = Session()
        let fast = compiled.evaluate(source)
        var tree = Session()
        var treeOutcomes: [String] = []
        let slow = tree.run(Parser.parse(source).program) { treeOutcomes.append(described($0)) }
        #expect(fast.outcomes.map(described) == treeOutcomes, "\(text)")
        #expect(fast.status == slow.status && fast.diagnostics.map(\.message) == slow.diagnostics.map(\.message))
        #expect(compiled.instance == tree.instance, "\(text)")
        compared += fast.outcomes.count
    }
    #expect(compared > 5_000)
}

import ConnectionCore
import RunbookLanguage
import RunbookTestSupport
import Testing

/// Session is the one runner: steps, checkpoints, interruption and tests all go through it.

private func program(_ text: String, name: String = "s.runbook") throws -> Program {
    try #require(Parser.parse(SourceFile(name: name, text: text)).program)
}

@Test func aStepRunsWholeOrNotAtAll() throws {
    var session = Session()
    #expect(session.runStep(try program("admin anna, ben; as anna connect")).status == .completed)
    #expect(session.instance.owner == "anna")
    // The step stops at its third statement: the two before it are taken back too.
    let stopped = session.runStep(try program("user carl; as anna grant carl; as carl connect"))
    #expect(stopped.status == .stopped && stopped.statementsRun == 3)
    #expect(!session.instance.isMember("carl"))
    // A plain run keeps what ran before the stop.
    _ = session.run(try program("user carl; as anna grant carl; as carl connect"))
    #expect(session.instance.isMember("carl"))
}

@Test func undoReturnsToACheckpoint() throws {
    var session = Session()
    _ = session.run(try program("admin anna"))
    let afterAnna = session.checkpoint()
    _ = session.run(try program("admin ben; as ben connect"))
    #expect(session.instance.owner == "ben")
    session.undo(to: afterAnna)
    #expect(session.instance.owner == nil && session.instance.isMember("anna") && !session.instance.isMember("ben"))
}

/// Asks to stop once `after` statements have run.
private struct StopAfter: RunObserver {
    let after: Int
    var ran = 0
    mutating func begin(_ program: Program, scenario: Scenario?, from instance: Instance) {}
    mutating func observe(_ outcome: Outcome, leaving instance: Instance) { ran += 1 }
    var shouldStop: Bool { ran >= after }
}

@Test func anObserverInterruptsBetweenStatements() throws {
    let text = "admin anna, ben\nas anna connect\nas anna grant ben\nscenario \"s\" {\n  as ben connect\n}\n"
    var session = Session()
    var stop = StopAfter(after: 2)
    let interrupted = session.run(try program(text), watching: &stop)
    #expect(interrupted.status == .interrupted && interrupted.statementsRun == 2 && interrupted.scenarios.isEmpty)
    #expect(session.instance.owner == "anna" && !session.instance.hasAccess("ben"))
    // As a step, nothing of it stays.
    var step = Session()
    var again = StopAfter(after: 2)
    #expect(step.runStep(try program(text), watching: &again).status == .interrupted)
    #expect(step.instance == Instance())
    // Stopped in a scenario: it has no verdict.
    var late = Session()
    var inScenario = StopAfter(after: 3)
    let result = late.run(try program(text + "scenario \"t\" {\n  show\n}\n"), watching: &inScenario)
    #expect(result.status == .interrupted && result.scenarios.isEmpty)
}

@Test func testRunsEachScenarioFromTheBackgroundAndLeavesTheSessionAlone() throws {
    let text = "admin anna\nscenario \"one\" {\n  as anna connect\n}\nscenario \"two\" {\n  expect owner anna\n}\n"
    let session = Session()
    var results: [ScenarioResult] = []
    let stoppedEarly = session.test(try program(text), filter: nil, failFast: true) { results.append($0) }
    #expect(stoppedEarly && results.map(\.passed) == [true, false])
    #expect(results.map { Words.verdict($0, at: 2) } == ["PASS s.runbook:2 one", "FAIL s.runbook:2 two"])
    #expect(session.instance == Instance())
    #expect(Session.tests(of: try program(text).chunk, filter: "tw").map(\.title) == ["two"])
}

/// The self-check's observer catches a statement that stopped and changed the state.
@Test func selfCheckSeesAStopThatChangesTheState() throws {
    let stopping = try program("admin anna; as bob connect")
    var session = Session()
    let outcomes = session.evaluate(stopping.source).outcomes
    var unchanged = StopsChangeNothing()
    unchanged.begin(stopping, scenario: nil, from: Instance())
    unchanged.observe(outcomes[0], leaving: session.instance)
    #expect(!unchanged.changed, "a declaration that ran may change the state")
    var changedInstance = session.instance
    _ = try changedInstance.perform(.declare(.user, ["bob"]))
    unchanged.observe(outcomes[1], leaving: changedInstance)
    #expect(unchanged.changed)
    // Every statement of a real run, the scenarios' too, passes it.
    #expect(SelfCheck.brokenProperties(Array("admin anna\nas bob connect\n".utf8)) == [])
}

/// The README's example of the one runner, as written there.
@Test func theReadmesRunnerExample() throws {
    var session = Session()
    let program = Parser.parse(SourceFile(name: "step.runbook", text: "admin a\nas a connect\nexpect owner b")).program!
    let before = session.checkpoint()
    #expect(session.run(program).status == .stopped && session.instance.owner == "a")
    session.undo(to: before)
    #expect(session.instance == Instance())
    #expect(session.runStep(program).status == .stopped && session.instance == Instance())
    var verdicts: [String] = []
    session.test(program, filter: nil, failFast: false) { verdicts.append(Words.verdict($0, at: 1)) }
    #expect(verdicts == ["FAIL step.runbook"])
}

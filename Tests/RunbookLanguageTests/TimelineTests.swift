import ConnectionCore
import RunbookTestSupport
import Testing

@testable import RunbookLanguage

/// The plain model of a timeline: every name's status read whole from the instance after
/// every statement, next to the timeline the run records.
private struct Snapshots: RunObserver {
    struct Section {
        var timeline: Timeline
        /// The statement index of each outcome, in order.
        var indices: [Int] = []
        /// Each name of the chunk with its status: before the first statement, then after each.
        var statuses: [[String: MemberStatus]]
    }
    var sections: [Section] = []

    static func statuses(_ program: Program, _ instance: Instance) -> [String: MemberStatus] {
        var out: [String: MemberStatus] = [:]
        for name in program.chunk.names { out[name] = instance.status(of: name) }
        for member in instance.members { out[member.name] = instance.status(of: member.name) }
        return out
    }

    mutating func begin(_ program: Program, scenario: Scenario?, from instance: Instance) {
        sections.append(
            Section(timeline: Timeline(program, scenario: scenario, from: instance), statuses: [Self.statuses(program, instance)]))
    }

    mutating func observe(_ outcome: Outcome, leaving instance: Instance) {
        sections[sections.count - 1].timeline.record(outcome, leaving: instance)
        sections[sections.count - 1].indices.append(outcome.index)
        sections[sections.count - 1].statuses.append(Self.statuses(sections[sections.count - 1].timeline.program, instance))
    }
}

/// Runs `text` (after `setup`, when given) with a `Snapshots` observer.
private func observed(_ text: String, setup: String? = nil) throws -> [Snapshots.Section] {
    var session = Session()
    if let setup { #expect(session.evaluate(setup).status == .completed) }
    let program = try #require(Parser.parse(SourceFile(name: "t.runbook", text: text)).program)
    var snapshots = Snapshots()
    _ = session.run(program, watching: &snapshots)
    return snapshots.sections
}

/// Checks a recorded timeline against the plain model: a step is recorded exactly where
/// some status changed (or the run stopped), with exactly the new statuses; and every row
/// of its grid, at `maxColumns`, shows every member's statuses in every column.
private func check(_ section: Snapshots.Section, maxColumns: Int = 1_000, _ context: String) {
    let timeline = section.timeline
    var replayed = section.statuses[0]
    var step = 0
    var statusAfterStep: [[String: MemberStatus]] = []
    for (k, index) in section.indices.enumerated() {
        let truth = section.statuses[k + 1]
        let changed = truth.contains { replayed[$0.key, default: .absent] != $0.value }
        let isStop = timeline.stop?.index == index
        let recorded = step < timeline.steps.count && timeline.steps[step].index == index
        #expect(recorded == (changed || isStop), "\(context): statement \(index): recorded \(recorded), changed \(changed)")
        guard recorded else { continue }
        for change in timeline.changes[timeline.changes(ofStep: step)] {
            replayed[timeline.nameAndRole(of: change.member).name] = change.status
        }
        #expect(replayed.filter { $0.value != .absent } == truth.filter { $0.value != .absent }, "\(context): after \(index)")
        statusAfterStep.append(truth)
        step += 1
    }
    #expect(step == timeline.steps.count, "\(context)")

    // The grid: each row, cell by cell, against the plain statuses of its members.
    let grid = timeline.grid(maxColumns: maxColumns, foldAbove: 2, nameLimit: .max)
    let hidden = grid.hiddenSteps
    #expect(hidden == max(0, timeline.steps.count - maxColumns), "\(context)")
    let columns = [hidden == 0 ? section.statuses[0] : statusAfterStep[hidden - 1]] + statusAfterStep[hidden...]
    #expect(grid.columns.map(\.statement) == timeline.steps[hidden...].map(\.index), "\(context)")
    var shown: [String] = []
    for row in grid.rows {
        #expect(row.runs.reduce(0) { $0 + $1.span } == columns.count, "\(context)")
        let cells = row.runs.flatMap { repeatElement($0.status, count: $0.span) }
        #expect(row.count == row.names.count, "\(context)")
        for name in row.names {
            #expect(cells == columns.map { $0[name, default: .absent] }, "\(context): row of \(name)")
            shown.append(name)
        }
    }
    // Every member present in some column has exactly one row.
    let present = Set(columns.flatMap { $0.filter { $0.value != .absent }.map(\.key) })
    #expect(Set(shown) == present && shown.count == present.count, "\(context)")
}

@Test func timelineAgreesWithThePlainModelOnGeneratedRunbooks() throws {
    var checked = 0
    for seed in 0..<150 {
        var generator = ReferenceGenerator(seed: UInt64(seed) &* 7_919)
        let (text, _) = generator.runbook()
        guard Parser.parse(SourceFile(name: "g.runbook", text: text)).program != nil else { continue }
        for section in try observed(text) {
            check(section, "seed \(seed)")
            check(section, maxColumns: 3, "seed \(seed), 3 columns")
            checked += 1
        }
    }
    #expect(checked > 100)
}

@Test func aHandoffOnALargeInstanceFoldsTheUsersWhoseStatusNeverChanges() throws {
    let users = (0..<1_996).map { "u\($0)" }.joined(separator: ", ")
    let setup = "admin adminA, adminB\nuser \(users), bob, carol\nas adminA connect\nas adminA grant adminB, \(users)\n"
    let sections = try observed(
        "as adminA revoke adminB\nas adminB connect\nas adminA disconnect\nas adminB grant bob\n", setup: setup)
    let timeline = try #require(sections.first?.timeline)
    check(sections[0], "handoff")
    let grid = timeline.grid(maxColumns: 200)
    #expect(grid.columns.count == 4)
    #expect(grid.rows.map { $0.names.first! } == ["adminA", "adminB", "bob", "carol", "u0"])
    let folded = grid.rows[4]
    #expect(folded.count == 1_996 && folded.isConstant && folded.names.count == 100)
    #expect(Words.unchanged(folded.count, folded.role, folded.runs[0].status) == "1,996 users: connected through access throughout")
    // carol never changes either, but alone she keeps her name.
    #expect(grid.rows[3].count == 1 && grid.rows[3].isConstant)
    #expect(timeline.strandedMembers == 0)
}

@Test func membersWhoseStatusesChangeAlikeAreFoldedAboveTheLimit() throws {
    let users = (0..<50).map { "u\($0)" }.joined(separator: ", ")
    let sections = try observed("admin a\nuser \(users)\nas a connect\nas a grant \(users)\n")
    let grid = sections[0].timeline.grid(maxColumns: 10, foldAbove: 6)
    #expect(grid.rows.count == 2)
    #expect(grid.rows[1].count == 50 && !grid.rows[1].isConstant)
    #expect(Words.alike(grid.rows[1].count, grid.rows[1].role) == "50 users, all alike")
    #expect(Words.someNames(Array(grid.rows[1].names.prefix(2)), of: 50) == "u0, u1 and 48 more")
}

@Test func theStoppingStepIsTheLastColumnEvenWhenStepsAreHidden() throws {
    let text =
        "admin a, b\nuser " + (0..<30).map { "u\($0)" }.joined(separator: ", ") + "\nas a connect\n"
        + (0..<30).map { "as a grant u\($0)\n" }.joined() + "expect owner a\nas a disconnect\n"
    let sections = try observed(text)
    let timeline = sections[0].timeline
    check(sections[0], maxColumns: 5, "stopped")
    #expect(timeline.stop?.rule == .disconnectStrandsUsers)
    let grid = timeline.grid(maxColumns: 5)
    #expect(grid.columns.count == 5 && grid.columns.last!.stops && !grid.columns.dropLast().contains(where: \.stops))
    #expect(grid.hiddenSteps == timeline.steps.count - 5)
    #expect(grid.startsAfter == grid.columns[0].statement - 1)
    // The stop changed nothing, but every row has a cell of its own in its column.
    for row in grid.rows { #expect(row.runs.last!.span == 1) }
    #expect(
        Words.stepCounts(statements: timeline.statementsRun, changing: timeline.steps.count, stopped: true, hidden: grid.hiddenSteps)
            == "34 statements ran before the one that stopped the run: 33 changed a status; the grid shows the last 4 of them; "
            + "the step that stopped the run is the last column; 1 changed nothing (expectations that held, and show)")
}

@Test func scenariosStartFromTheBackground() throws {
    let sections = try observed(
        "admin anna, ben\nuser carl\nas anna connect\nas anna grant carl\n"
            + "scenario \"handoff\" {\n  as ben connect\n  as anna disconnect\n}\n"
            + "scenario \"refused\" {\n  as anna disconnect\n}\n")
    #expect(sections.map { $0.timeline.scenario?.title } == [nil, "handoff", "refused"])
    for section in sections { check(section, "scenarios") }
    let refused = sections[2].timeline
    #expect(refused.stop != nil && refused.steps.count == 1 && refused.statementsRun == 1)
    #expect(Words.startColumn(afterLine: nil, scenario: true) == "after the background")
}

@Test func coverageCountsTriggersByScenarioAndChecksByAction() throws {
    let program = try #require(
        Parser.parse(
            SourceFile(
                name: "c.runbook",
                text: "admin anna, ben\nuser carl\nas anna connect\nexpect violation as carl connect\n"
                    + "scenario \"one\" {\n  expect violation connect-requires-admin as carl connect\n"
                    + "  expect violation connect-requires-admin as carl connect\n  as anna grant carl\n}\n"
                    + "scenario \"two\" {\n  expect violation as anna remove anna\n  as ben connect\n}\n")
        ).program)
    var coverage = Coverage()
    Session().test(program, filter: nil, failFast: false, watching: &coverage) { #expect($0.passed) }
    // The background and scenario "one" each trigger it; twice in one scenario counts once.
    #expect(coverage.count(of: .connectRequiresAdmin) == Coverage.Count(scenarios: 2, checked: 2))
    #expect(coverage.count(of: .removeSelf) == Coverage.Count(scenarios: 1, checked: 0))
    // Performed: the declarations (2), anna connect, anna grant carl, ben connect.
    #expect(coverage.count(of: .duplicateMember) == Coverage.Count(scenarios: 0, checked: 2))
    #expect(coverage.count(of: .unknownMember) == Coverage.Count(scenarios: 0, checked: 3))
    #expect(coverage.count(of: .alreadyConnected) == Coverage.Count(scenarios: 0, checked: 3))
    #expect(coverage.count(of: .alreadyHasAccess) == Coverage.Count(scenarios: 0, checked: 1))
    #expect(coverage.neverTriggered == RuleID.allCases.filter { $0 != .connectRequiresAdmin && $0 != .removeSelf })
    let table = Catalogue.coverage(coverage)
    #expect(table.hasPrefix("coverage: 2 of 13 rules triggered\n"))
    #expect(table.contains("\nconnect-requires-admin          refusal  2 scenarios   2 actions\n"))
    #expect(table.contains("\nduplicate-member                refusal  -             2 declarations\n"))
}

@Test(arguments: [(0, "0"), (7, "7"), (999, "999"), (1_000, "1,000"), (1_996, "1,996"), (1_000_000, "1,000,000"), (-12_345, "-12,345")])
func numbersHaveThousandsSeparators(number: Int, text: String) {
    #expect(Words.grouped(number) == text)
}

@Test func everyStatusHasItsOwnGlyphAndName() {
    let statuses = MemberStatus.allCases
    #expect(Set(statuses.map(Words.glyph)).count == statuses.count)
    #expect(Set(statuses.map(Words.name)).count == statuses.count)
    #expect(statuses.allSatisfy { Words.glyph(of: $0).count == 1 })
}

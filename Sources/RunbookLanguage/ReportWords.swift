import ConnectionCore

/// The words of the rehearsal report and of rule coverage: statuses and their legend,
/// folded rows, step counts, results, the state file's before and after.
extension Words {
    // MARK: Statuses

    /// The headings of the report's rule coverage table, in column order.
    public static let coverageHeadings = ["rule", "kind", "stops an action when", "triggered in", "checked and let through"]

    /// A status as the grid's legend and cells name it.
    public static func name(of status: MemberStatus) -> String {
        switch status {
        case .owner: "owner"
        case .adminConnection: "admin connection"
        case .connectedThroughAccess: "connected through access"
        case .stranded: "stranded"
        case .noAccess: "no access"
        case .absent: "absent"
        }
    }

    /// The one character a grid cell shows for a status, so that the grid reads without
    /// its colours (in greyscale, for colour-blind readers).
    public static func glyph(of status: MemberStatus) -> String {
        switch status {
        case .owner: "O"
        case .adminConnection: "A"
        case .connectedThroughAccess: "C"
        case .stranded: "!"
        case .noAccess: "\u{2013}"
        case .absent: "\u{00B7}"
        }
    }

    /// What a status means, for the legend.
    public static func meaning(of status: MemberStatus) -> String {
        switch status {
        case .owner: "connected; the integration is tied to this admin"
        case .adminConnection: "connected as an admin; not the owner"
        case .connectedThroughAccess: "holds access granted on User Access while the integration is live"
        case .stranded: "lost Marketo access when the integration stopped under it, and was not granted access again"
        case .noAccess: "a member who is not connected and holds no access"
        case .absent: "not a member of the instance"
        }
    }

    // MARK: Counts

    /// "1,996 users", "1 admin", "3 members" (for members of both roles).
    public static func members(_ n: Int, _ role: Role?) -> String {
        switch role {
        case .admin: counted(n, "admin")
        case .user: counted(n, "user")
        case nil: counted(n, "member")
        }
    }

    /// A folded row of members whose status never changes: "1,996 users: connected
    /// through access throughout".
    public static func unchanged(_ n: Int, _ role: Role?, _ status: MemberStatus) -> String {
        "\(members(n, role)): \(name(of: status)) throughout"
    }

    /// A folded row of members whose statuses change alike: "2,000 users, all alike".
    public static func alike(_ n: Int, _ role: Role?) -> String {
        "\(members(n, role)), all alike"
    }

    /// "bob, carol and 1,994 more", for a folded row's names when only some are listed.
    public static func someNames(_ names: [String], of total: Int) -> String {
        let spelled = names.map(spell)
        return total > names.count ? spelled.joined(separator: ", ") + " and \(grouped(total - names.count)) more" : list(spelled)
    }

    /// The grid's first column: the state before the first step shown, after the steps
    /// before it (`line`), after a scenario's background, or at the start.
    public static func startColumn(afterLine line: Int?, scenario: Bool) -> String {
        if let line { return "after line \(grouped(line))" }
        return scenario ? "after the background" : "before the first step"
    }

    /// A statement as a column of the grid heads it: at most `shown` names, so that a
    /// declaration of a hundred members does not make a header a page tall; the names left
    /// out counted ("and 96 more"). The grid's rows name every member.
    package static func columnHeading(_ index: Int, in chunk: Chunk, spelled: SpelledNames, shown: Int = 4) -> (
        statement: String, more: String?
    ) {
        let names = chunk.memberNames(of: index)
        let kind = chunk.statements[index].kind
        // An action's actor comes before its list of names.
        let listed =
            switch kind {
            case .action, .expectViolation: names.count - 1
            default: names.count
            }
        guard listed > shown + 1 else {
            var out = ByteBuffer()
            write(index, in: chunk, names: spelled, into: &out)
            return (out.string, nil)
        }
        let head = names.prefix(names.count - listed + shown)
        return (statement(kind, names: Array(head)) + ", …", "and \(grouped(listed - shown)) more")
    }

    /// The caption of one band of a wide grid: "steps 9 to 16 of 27".
    public static func band(steps: ClosedRange<Int>, of count: Int) -> String {
        steps.count == 1
            ? "step \(grouped(steps.lowerBound)) of \(grouped(count))"
            : "steps \(grouped(steps.lowerBound)) to \(grouped(steps.upperBound)) of \(grouped(count))"
    }

    /// What the grid shows of the statements run: "14 statements ran: the 8 that changed a
    /// status are the columns; 6 changed nothing". `hidden` steps that changed a status
    /// come before the first column. `statements` and `changing` count the step that
    /// stopped the run, if one did; it did not run: the product refused it, or it did not hold.
    public static func stepCounts(statements: Int, changing: Int, stopped: Bool, hidden: Int) -> String {
        let quiet = statements - changing
        var out = "\(counted(statements - (stopped ? 1 : 0), "statement")) ran" + (stopped ? " before the one that stopped the run" : "")
        let changed = changing - (stopped ? 1 : 0)
        if changed == 0 {
            out += "; none changed a status"
        } else if hidden == 0 {
            out +=
                ": \(changed == 1 ? "the one" : "the \(grouped(changed))") that changed a status \(changed == 1 ? "is a column" : "are the columns")"
        } else {
            out += ": \(grouped(changed)) changed a status; the grid shows the last \(grouped(changed - hidden)) of them"
        }
        if stopped { out += "; the step that stopped the run is the last column" }
        if quiet > 0 { out += "; \(grouped(quiet)) changed nothing (expectations that held, and show)" }
        return out
    }

    /// The heading of the warning of a step performed `anyway`.
    public static func performedAnyway(line: Int) -> String { "line \(line): performed anyway" }

    /// Whether any member was stranded in a stretch of steps: what an approver of a
    /// handoff wants to read first.
    /// `before` and `after` are how many were stranded before the first step and after the
    /// last: a stretch that starts after an incident says so, rather than that all is well.
    public static func stranded(_ count: Int, before: Int = 0, after: Int = 0) -> String {
        if count > 0 { return "\(members(count, nil)) stranded: lost Marketo access when the integration stopped under them" }
        if before == 0 { return "no member was stranded at any step: nobody lost Marketo access" }
        let still = after == 0 ? "and none is after the last" : "and \(grouped(after)) still \(after == 1 ? "is" : "are") after the last"
        return "no step stranded anyone; \(members(before, nil)) had lost Marketo access before the first step, \(still)"
    }

    // MARK: Results

    /// A run that passed: "passed: 14 statements ran, 6 expectations held".
    public static func passed(statements: Int, expectations: Int, scenarios: Int) -> String {
        var out = "passed: \(counted(statements, "statement")) ran, \(counted(expectations, "expectation")) held"
        if scenarios > 0 { out += ", \(counted(scenarios, "scenario")) passed" }
        return out
    }

    /// A run stopped by a diagnostic: "stopped at refused.runbook:13:1 by the rule
    /// disconnect-strands-users", or "... : an expectation failed".
    public static func stopped(by d: Diagnostic) -> String {
        let location = d.location
        if let rule = d.rule { return "stopped at \(location) by the rule \(rule)" }
        if d.severity == .failed { return "stopped at \(location): an expectation failed" }
        return "stopped at \(location): \(d.message)"
    }

    /// A run that did not start because a runbook does not parse.
    public static func didNotParse(errors: Int) -> String {
        "did not run: \(counted(errors, "syntax error")) found before anything ran"
    }

    /// A scenario that did not run because its background stopped.
    public static func notRun(backgroundStop d: Diagnostic) -> String {
        "not run: the background stopped at \(d.location)"
    }

    /// Where a rule comes from, before its sentence and reading.
    public static func ruleSource(_ rule: Rule) -> String {
        rule.addedBySpecification
            ? "added by the specification, not on the product page:" : "from the product page (Swedish), and its reading:"
    }

    /// The last words of a rehearsal report.
    /// Where the report's procedure would be, for a run of more actions than it prints.
    public static func procedureTooLong(maxActions: Int) -> String {
        "The procedure of this run has more than \(grouped(maxActions)) actions, too many to print here: "
            + "runbook procedure, with the files and state file of this run, writes it whole."
    }

    public static let reportFooter =
        "Written by runbook, which rehearses the steps against a model of the product's rules: nothing was changed in the product."

    /// The last line of `runbook test`: "3 passed, 0 failed", and the tests `--fail-fast`
    /// left unrun.
    public static func testSummary(passed: Int, failed: Int, notRun: Int = 0) -> String {
        "\(grouped(passed)) passed, \(grouped(failed)) failed" + (notRun > 0 ? ", " + notRunAfterFailure(notRun) : "")
    }

    /// Tests `--fail-fast` left unrun: "3 not run after the first failure".
    public static func notRunAfterFailure(_ n: Int) -> String {
        "\(grouped(n)) not run after the first failure"
    }

    /// A file without scenarios, as a test: its name.
    public static func test(_ scenario: Scenario, at line: Int, in source: SourceFile) -> String {
        scenario.isWholeFile ? printable(source.name) : "\(printable(source.name)):\(line) \(printable(scenario.title))"
    }

    /// A test's verdict, as `test`, `:run` and a scenario typed in the REPL print it:
    /// `PASS file:3 title`, `FAIL file`. `line` is the line its header begins on.
    public static func verdict(_ result: ScenarioResult, at line: Int) -> String {
        (result.passed ? "PASS " : "FAIL ") + test(result.scenario, at: line, in: result.source)
    }

    /// How a run a host interrupted ended (the REPL's Ctrl-C).
    public static let interrupted = "interrupted"

    // MARK: State files

    /// The state file before the run: its digest, or that it did not exist yet.
    public static func stateBefore(digest: String?) -> String {
        digest.map { "sha256 \($0)" } ?? "no file yet: the run started from an empty instance"
    }

    /// The state file after the run.
    public static func stateAfter(committed digest: String?, commitAsked: Bool, passed: Bool, failure: String? = nil) -> String {
        if let failure { return "unchanged: the commit failed: \(failure)" }
        if let digest { return "committed: sha256 \(digest)" }
        if !commitAsked { return "unchanged: the run was not asked to commit (--commit)" }
        return passed ? "unchanged" : "unchanged: the run did not pass, so nothing was committed"
    }

    // MARK: Coverage

    /// "12 of 13 rules triggered".
    public static func coverageHeadline(_ coverage: Coverage) -> String {
        let triggered = RuleID.allCases.count - coverage.neverTriggered.count
        return "\(triggered) of \(counted(RuleID.allCases.count, "rule")) triggered"
    }

    /// "1 scenario", or "-" for none.
    public static func triggeredIn(_ count: Coverage.Count) -> String {
        count.scenarios == 0 ? "-" : counted(count.scenarios, "scenario")
    }

    /// "45 actions" or "14 declarations": what the rule checked and let through.
    public static func checked(_ count: Coverage.Count, of rule: Rule) -> String {
        counted(count.checked, rule.refusesDeclarations ? "declaration" : "action")
    }

    /// "never triggered: duplicate-member", or that every rule was.
    public static func neverTriggered(_ coverage: Coverage) -> String {
        let never = coverage.neverTriggered
        return never.isEmpty ? "every rule was triggered" : "never triggered: " + never.map(\.rawValue).joined(separator: ", ")
    }
}

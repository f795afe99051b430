import ConnectionCore

/// SplitMix64: a small deterministic generator, so every run writes the same runbooks.
public struct SplitMix: RandomNumberGenerator {
    public var state: UInt64

    public init(state: UInt64) {
        self.state = state
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Writes random runbooks as values and as text, to hold the interpreter against the
/// reference: every statement form, lists of several targets, names never declared,
/// members removed and named again, a name that is a keyword, scenarios. Most statements
/// are steered (by the reference, never by the interpreter) towards ones that succeed, so
/// that runs go deep before they stop.
public struct ReferenceGenerator {
    var rng: SplitMix
    /// Names as values and as the text writes them.
    let admins = ["a0", "a1", "a2", "Anna Berg"]
    let users = ["u0", "u1", "user", "say \"hi\"", "Åsa"]
    let strangers = ["ghost", "nobody"]
    /// How often the runbook being written ends a disconnect with `anyway` (a tenth as
    /// often for other actions): zero in most runbooks, so that stranding every grant
    /// holder does not keep the runs from the rules that need grants.
    var anywayRate = 0.0

    public init(seed: UInt64) {
        rng = SplitMix(state: seed)
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }

    /// A name as the text writes it: bare when it can be, quoted otherwise (and quoted
    /// sometimes even when it could be bare).
    mutating func written(_ name: String) -> String {
        let keywords: Set = ["user", "admin", "as", "expect", "owner", "none", "show", "scenario", "anyway", "stranded"]
        let bare = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } && !keywords.contains(name)
        if bare && !chance(0.1) { return name }
        return "\"" + name.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }

    mutating func names(_ count: Int, from pool: [String]) -> [String] {
        var chosen: [String] = []
        for _ in 0..<count {
            let name = pick(pool)
            if !chosen.contains(name) || chance(0.03) { chosen.append(name) }  // now and then one twice
        }
        return chosen
    }

    /// A statement; its names are drawn, most of the time, from those that could make it
    /// succeed in `state` (connected actors for User Access, grant holders for revoke).
    mutating func statement(_ everyone: [String], in state: Reference.State) -> Reference.Statement {
        let connected = state.connections
        let holders = state.grants.sorted()
        func actor() -> String { !connected.isEmpty && chance(0.6) ? pick(connected) : pick(admins + ["u0", "ghost"]) }
        // In a runbook that rehearses incidents, now and then the hazard itself, on purpose.
        if anywayRate > 0 && connected.count == 1 && !holders.isEmpty && chance(anywayRate / 4) {
            return .action(.disconnect, actor: connected[0], targets: [], anyway: true)
        }
        let verb = pick(Verb.allCases)
        let pool =
            !holders.isEmpty && (verb == .revoke && chance(0.7) || verb == .grant && chance(0.25)) ? holders : everyone
        let targets = verb.takesTargets ? names(pick([1, 1, 1, 2, 3]), from: pool) : []
        switch Int.random(in: 0..<14, using: &rng) {
        case 0: return .declare(pick([.admin, .user]), names(pick([1, 2]), from: everyone))
        case 1, 2, 3, 4, 5:
            // `anyway` mostly where it passes a hazard, now and then where it passes nothing.
            let anyway = anywayRate > 0 && chance(verb == .disconnect ? anywayRate : anywayRate / 10)
            return .action(verb, actor: actor(), targets: targets, anyway: anyway)
        case 6: return .expectOwner(chance(0.3) ? nil : pick(everyone))
        case 7, 8: return .expectMembers(pick(Reference.Check.allCases), names(pick([1, 1, 2]), from: everyone))
        case 9, 10, 11:
            let rule = chance(0.4) ? nil : chance(0.97) ? pick(RuleID.allCases).rawValue : "no-such-rule"
            return .expectViolation(rule: rule, verb, actor: actor(), targets: targets)
        default: return .show
        }
    }

    /// The statement as text.
    mutating func text(_ statement: Reference.Statement) -> String {
        func list(_ names: [String]) -> String {
            var out = ""
            for (i, name) in names.enumerated() {
                if i > 0 { out += pick([", ", ",", " , ", ",\n    "]) }
                out += written(name)
            }
            return out
        }
        func action(_ verb: Verb, _ actor: String, _ targets: [String], anyway: Bool = false) -> String {
            let word = ["connect", "disconnect", "grant", "revoke", "remove"][Int(verb.rawValue)]
            return "as \(written(actor)) \(word)" + (verb.takesTargets ? " " + list(targets) : "") + (anyway ? " anyway" : "")
        }
        switch statement {
        case .declare(let role, let names): return "\(role == .admin ? "admin" : "user") \(list(names))"
        case .action(let verb, let actor, let targets, let anyway): return action(verb, actor, targets, anyway: anyway)
        case .expectOwner(let name): return "expect owner " + (name.map { written($0) } ?? "none")
        case .expectMembers(let check, let names):
            let words = ["connected", "not connected", "has access", "absent", "stranded"]
            return "expect \(list(names)) \(words[Reference.Check.allCases.firstIndex(of: check)!])"
        case .expectViolation(let rule, let verb, let actor, let targets):
            return "expect violation " + (rule.map { $0 + " " } ?? "") + action(verb, actor, targets)
        case .show: return "show"
        }
    }

    /// A runbook: a setup, steered statements, sometimes scenarios; as text and as values.
    public mutating func runbook() -> (text: String, program: Reference.Program) {
        var text = ""
        var line = 1
        var program = Reference.Program()
        let everyone = admins + users + strangers
        anywayRate = chance(0.25) ? 0.4 : 0
        func emit(_ piece: String) {
            text += piece
            line += piece.count { $0 == "\n" }
        }
        func add(_ statement: Reference.Statement, into lines: inout [Reference.Line], indent: String = "") {
            emit(indent)
            lines.append(Reference.Line(statement, line: line))
            emit(self.text(statement))
            emit(chance(0.2) ? "; " : chance(0.1) ? "  # note\n\n" : "\n")
        }
        add(.declare(.admin, admins), into: &program.background)
        add(.declare(.user, users), into: &program.background)
        var state = Reference.State()
        _ = Reference.step(program.background[0], &state)
        _ = Reference.step(program.background[1], &state)
        // A runbook that rehearses incidents starts where one can happen: one admin
        // connected, a user and an admin holding access.
        if anywayRate > 0 {
            for setup: Reference.Statement in [
                .action(.connect, actor: "a0", targets: []), .action(.grant, actor: "a0", targets: ["u0", "a1"]),
            ] {
                add(setup, into: &program.background)
                _ = Reference.step(program.background.last!, &state)
            }
        }
        for _ in 0..<Int.random(in: 0..<40, using: &rng) {
            let next = statement(everyone, in: state)
            var after = state
            let line = Reference.Line(next, line: 0)
            let stops = !Reference.isValid(next) || Reference.step(line, &after) != nil
            if stops && !chance(0.12) { continue }
            add(next, into: &program.background)
            if stops { break }
            state = after
        }
        // Now and then a statement that keeps the whole file from running.
        if chance(0.06) {
            let invalid: Reference.Statement =
                chance(0.5)
                ? .expectViolation(rule: "no-such-rule", .connect, actor: "a0", targets: [])
                : .action(.grant, actor: "a0", targets: ["u0", "u1", "u0"])
            add(invalid, into: &program.background)
        }
        for s in 0..<(chance(0.3) ? Int.random(in: 1...3, using: &rng) : 0) {
            emit("\nscenario \"s\(s)\" {\n")
            var body: [Reference.Line] = []
            for _ in 0..<Int.random(in: 0..<6, using: &rng) { add(statement(everyone, in: state), into: &body, indent: "  ") }
            emit("\n}\n")
            program.scenarios.append(body)
        }
        return (text, program)
    }
}

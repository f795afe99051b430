import ConnectionCore

/// What an editor shows of a runbook, in words: what a statement did and the state after
/// it, a member at a point of the run, the hint after an action, and why a rename or a
/// format is refused. The language server asks here, as the command line asks `Words`.
extension Words {
    // MARK: States

    /// The state in a few lines: the owner and the admin connections, who is connected,
    /// and who would lose access if the only connected admin disconnected.
    public static func summary(_ instance: Instance) -> String {
        let connections = instance.connections
        var lines: [String] = []
        if let owner = instance.owner {
            lines.append("owner: \(spell(owner)) (admin connections: \(few(connections.map(spell))))")
        } else {
            lines.append("owner: none (the integration is not live)")
        }
        let connected = instance.members.map(\.name).filter { instance.isConnected($0) }
        lines.append("connected: " + (connected.isEmpty ? "nobody" : few(connected.map(spell))))
        if connections.count == 1, instance.grantCount > 0 {
            lines.append("would lose access if \(spell(connections[0])) disconnected now: \(few(instance.grantHolders.map(spell)))")
        }
        if instance.strandedCount > 0 { lines.append("stranded: \(few(instance.strandedMembers.map(spell)))") }
        return lines.joined(separator: "\n")
    }

    /// What a statement did, then the state after it: the events of an action, an
    /// expectation that held, or the refusal or failure that stopped the run (which
    /// changed nothing).
    public static func outcome(_ outcome: Outcome, state: Instance) -> String {
        let what: String
        switch outcome.result {
        case .performed(let events): what = events.isEmpty ? "done" : self.events(events)
        case .held: what = outcome.rule.map { "holds: refused by [\($0.rawValue)]" } ?? "holds"
        case .shown: what = "the state at this point"
        case .stopped(let d): what = d.message + (d.rule.map { " [\($0)]" } ?? "") + "\nnothing changed"
        }
        return what + "\n\n" + summary(state)
    }

    /// One member at a point of the run: "bob is a user, connected through access".
    public static func member(_ name: String, in instance: Instance) -> String {
        guard let role = instance.role(of: name) else { return "\(spell(name)) is not a member" }
        let status = status(of: name, in: instance)
        return "\(spell(name)) is \(self.role(role)), " + (status == "-" ? "not connected" : status)
    }

    /// One member before a statement and after it (`nil` when the statement changed
    /// nothing): one line when both read the same.
    public static func member(_ name: String, before: Instance, after: Instance?) -> String {
        let was = member(name, in: before)
        let now = after.map { member(name, in: $0) } ?? was
        return now == was ? was : "before this step: \(was)\nafter it: \(now)"
    }

    /// The hint an editor shows after an action: "owner adminB, 3 connected", and how many
    /// are stranded when any are: "not live, 2 stranded".
    public static func inlayHint(after instance: Instance) -> String {
        let stranded = instance.strandedCount > 0 ? ", \(grouped(instance.strandedCount)) stranded" : ""
        guard let owner = instance.owner else { return "not live" + stranded }
        // Grant holders are never admin connections, and are connected while it is live.
        let connected = instance.connections.count + instance.grantCount
        return "owner \(spell(owner)), \(connected) connected" + stranded
    }

    /// A statement the run did not reach: it stopped at `line`.
    public static func notRun(stoppedAt line: Int) -> String {
        "not run: the run stops earlier, at line \(line)"
    }

    /// A scenario the background did not reach the end of: it stopped at `line`.
    public static func notRun(backgroundStopsAt line: Int) -> String {
        "not run: the background stops at line \(line)"
    }

    /// A statement, or a scenario, after an error in the background, on `line` (`nil` when
    /// it is past the errors shown).
    public static func notRun(backgroundErrorAt line: Int?) -> String {
        line.map { "not run: the background has an error on line \($0)" } ?? notRunPastErrorsShown
    }

    /// A statement of a scenario with an error, on `line` (`nil` when it is past the
    /// errors shown).
    public static func notRun(errorAt line: Int?) -> String {
        line.map { "not run: the scenario has an error on line \($0)" } ?? notRunPastErrorsShown
    }

    /// A statement that an error on `line` leaves outside the background and every scenario.
    public static func notRun(errorOnLine line: Int) -> String {
        "not run: line \(line) has an error"
    }

    /// A part of a runbook past the errors shown: any of the others may lie in it.
    static let notRunPastErrorsShown =
        "not run: the runbook has more errors than the \(Diagnostic.reportedPerSource) shown, and one may be here; fix them to rehearse it"

    /// A statement of a runbook that has errors, so does not run.
    public static let notRunForErrors = "not run: the runbook has errors; fix them to rehearse it"

    /// A runbook that runs against a state file that cannot be loaded.
    public static func notRun(state problem: String) -> String {
        "not run: \(problem)"
    }

    /// "a, b and c", or the first ten and how many more.
    private static func few(_ names: [String]) -> String {
        names.count <= 10 ? list(names) : names.prefix(10).joined(separator: ", ") + " and \(names.count - 10) more"
    }
}

/// Renaming a member in a runbook: every use of the name, spelled as the language writes
/// names; refused for a name that is not valid or is already taken.
public enum Rename {
    /// Why `old` cannot be renamed to `new` in `chunk`, in words; `nil` when it can.
    /// `instance` is the state the runbook runs against: its members' names are taken too.
    public static func refusal(of old: String, to new: String, in chunk: Chunk, against instance: Instance) -> String? {
        if instance.isMember(old) {
            return "\(Words.spell(old)) is a member of the state the runbook runs against; rename it there first"
        }
        // A name is valid when the language reads it back as written.
        let parsed = Parser.parse(SourceFile(name: "", text: "admin " + Words.spell(new)))
        if new.isEmpty {
            return "a name cannot be empty"
        }
        // An invalid name may hold anything: it is shown escaped.
        if let error = parsed.errors.first {
            return Words.printable("\(Words.spell(new)) is not a valid name: \(error.message)")
        }
        guard parsed.chunk.names == [new] else { return Words.printable("\(Words.spell(new)) is not a valid name") }
        if new == old { return nil }
        if chunk.names.contains(new) { return "\(Words.spell(new)) is already a name in this runbook" }
        if instance.isMember(new) { return "\(Words.spell(new)) is already a member of the state the runbook runs against" }
        return nil
    }
}

extension Catalogue {
    /// The languages a link to the product page is given in: Swedish, the seed's, and
    /// English for everyone else.
    public enum PageLanguage: String, Sendable {
        case swedish = "sv"
        case english = "en"

        /// The language for a user interface in `locale` (a BCP 47 tag such as `sv-SE`):
        /// Swedish for Swedish, English for any other or none.
        public init(locale: String?) {
            let tag = locale?.lowercased() ?? ""
            self = tag == "sv" || tag.hasPrefix("sv-") || tag.hasPrefix("sv_") ? .swedish : .english
        }
    }

    /// The product page the rules come from (Swedish), as the seed holds it.
    public static let productPage = productPage(in: .swedish)

    /// The product page in `language`: the same page, the same sections.
    public static func productPage(in language: PageLanguage) -> String {
        "https://experienceleague.adobe.com/\(language.rawValue)/docs/marketo/using/product-docs/marketo-sales-insight/actions/admin/connect-new-admin-to-marketo"
    }

    /// The section of the product page that holds a rule's sentence, in `language`; `nil`
    /// for a rule the specification adds. Only `disconnect-strands-users` is read from the
    /// first section's note; the others, from "Uppdatera din Marketo-anslutning".
    public static func page(of id: RuleID, in language: PageLanguage = .swedish) -> String? {
        guard id.rule.seedQuote != nil else { return nil }
        return productPage(in: language)
            + (id == .disconnectStrandsUsers ? "#connect-new-admin-to-marketo" : "#update-your-marketo-connection")
    }
}

import ConnectionCore

/// Every sentence of a procedure, in English and Swedish side by side: the project's own
/// words. The product's labels inside them come from `ProductPage`; names come in already
/// written for Markdown (`Markdown.name`), lists as `list` joins them.
public enum ProcedureWords {
    // MARK: Lists and counts

    /// "a", "a and b", "a, b and c"; Swedish "a, b och c".
    static func list(_ items: [String], _ l: ProcedureLanguage) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + (l == .en ? " and " : " och ") + items.last!
        }
    }

    /// "is" or "are" after `count` names; Swedish has one form.
    private static func be(_ count: Int, _ l: ProcedureLanguage) -> String {
        l == .sv ? "är" : count == 1 ? "is" : "are"
    }

    static func nobody(_ l: ProcedureLanguage) -> String { l == .en ? "nobody" : "ingen" }
    static func none(_ l: ProcedureLanguage) -> String { l == .en ? "none" : "inga" }

    // MARK: Title and introduction

    static func title(_ files: String, _ l: ProcedureLanguage) -> String {
        l == .en ? "Procedure: \(files)" : "Arbetsgång: \(files)"
    }

    /// What the procedure is and how to follow it; `page` is the product page's title.
    static func introduction(page: String, _ l: ProcedureLanguage) -> String {
        switch l {
        case .en:
            "Rehearsed by runbook against the rules of the product page *\(page)*: these steps, in this order, break "
                + "no rule and strand nobody. Follow the sections in order, each in the session of the admin it names, "
                + "and tick each box when its step is done."
        case .sv:
            "Provkörd med runbook mot reglerna på produktsidan *\(page)*: de här stegen, i den här ordningen, bryter "
                + "inte mot någon regel och lämnar ingen strandsatt. Följ avsnitten i ordning, vart och ett inloggad "
                + "som den administratör som avsnittet nämner, och bocka av varje ruta när steget är gjort."
        }
    }

    // MARK: Before you start

    static func beforeYouStart(_ l: ProcedureLanguage) -> String { l == .en ? "Before you start" : "Innan du börjar" }

    /// The lines that set up today's instance, which the procedure does not repeat.
    static func opening(file: String, lines: ClosedRange<Int>, _ l: ProcedureLanguage) -> String {
        let (first, last) = (lines.lowerBound, lines.upperBound)
        switch (l, lines.count == 1) {
        case (.en, true): return "Line \(first) of \(file) describes the instance as it is today: the steps start after it."
        case (.en, false):
            return "Lines \(first) to \(last) of \(file) describe the instance as it is today: the steps start after them."
        case (.sv, true): return "Rad \(first) i \(file) beskriver instansen som den är i dag: stegen börjar efter den."
        case (.sv, false):
            return "Rad \(first) till \(last) i \(file) beskriver instansen som den är i dag: stegen börjar efter dem."
        }
    }

    static func admins(_ names: [String], _ l: ProcedureLanguage) -> String {
        (l == .en ? "Admins: " : "Administratörer: ") + (names.isEmpty ? none(l) : list(names, l))
    }

    static func users(_ names: [String], _ l: ProcedureLanguage) -> String {
        (l == .en ? "Users: " : "Användare: ") + (names.isEmpty ? none(l) : list(names, l))
    }

    /// Who is connected as an admin on the Marketo page, and the owner.
    static func connections(_ names: [String], owner: String?, marketo: String, _ l: ProcedureLanguage) -> String {
        guard let owner else {
            return l == .en
                ? "Connected as admin on the **\(marketo)** page: nobody; the integration is not live"
                : "Ansluten som administratör på sidan **\(marketo)**: ingen; integreringen är inte aktiv"
        }
        return l == .en
            ? "Connected as admin on the **\(marketo)** page: \(list(names, l)); the integration is tied to \(owner)"
            : "Ansluten som administratör på sidan **\(marketo)**: \(list(names, l)); integreringen är knuten till \(owner)"
    }

    /// Who is listed on User Access.
    static func access(_ names: [String], userAccess: String, live: Bool, _ l: ProcedureLanguage) -> String {
        guard !names.isEmpty else { return l == .en ? "Listed on **\(userAccess)**: nobody" : "Listade under **\(userAccess)**: ingen" }
        let connected =
            live
            ? (l == .en ? " (connected through that access)" : " (anslutna genom den åtkomsten)")
            : (l == .en ? " (not connected: the integration is not live)" : " (inte anslutna: integreringen är inte aktiv)")
        return (l == .en ? "Listed on **\(userAccess)**: " : "Listade under **\(userAccess)**: ") + list(names, l) + connected
    }

    static func noMembers(_ l: ProcedureLanguage) -> String {
        l == .en ? "The instance has no members" : "Instansen har inga medlemmar"
    }

    // MARK: Checks

    /// The word that starts a check line.
    static func check(_ l: ProcedureLanguage) -> String { l == .en ? "Check" : "Kontrollera" }

    /// `expect owner`: the admin the integration is tied to sees Disconnect on the Marketo
    /// page, as the page says of the admin who established the connection.
    static func ownerCheck(_ owner: String?, marketo: String, disconnect: String, _ l: ProcedureLanguage) -> String {
        guard let owner else {
            return l == .en
                ? "nobody is connected as admin on the **\(marketo)** page: the integration is not live."
                : "ingen är ansluten som administratör på sidan **\(marketo)**: integreringen är inte aktiv."
        }
        return l == .en
            ? "the integration is tied to \(owner): on the **\(marketo)** page, \(owner) sees **\(disconnect)**."
            : "integreringen är knuten till \(owner): på sidan **\(marketo)** ser \(owner) **\(disconnect)**."
    }

    static func connectedCheck(admins: [String], throughAccess: [String], marketo: String, userAccess: String, _ l: ProcedureLanguage)
        -> String
    {
        var parts: [String] = []
        if !admins.isEmpty {
            parts.append(
                l == .en
                    ? "\(list(admins, l)) \(be(admins.count, l)) connected as admin on the **\(marketo)** page"
                    : "\(list(admins, l)) är \(admins.count == 1 ? "ansluten" : "anslutna") som administratör på sidan **\(marketo)**")
        }
        if !throughAccess.isEmpty {
            parts.append(
                l == .en
                    ? "\(list(throughAccess, l)) \(be(throughAccess.count, l)) listed on **\(userAccess)**, and so connected"
                    : "\(list(throughAccess, l)) är \(throughAccess.count == 1 ? "listad" : "listade") under **\(userAccess)** och därmed \(throughAccess.count == 1 ? "ansluten" : "anslutna")"
            )
        }
        return parts.joined(separator: "; ") + "."
    }

    static func notConnectedCheck(_ names: [String], marketo: String, userAccess: String, _ l: ProcedureLanguage) -> String {
        let one = names.count == 1
        return l == .en
            ? "\(list(names, l)) \(be(names.count, l)) not connected: not connected as admin on the **\(marketo)** page, and not listed on **\(userAccess)**."
            : "\(list(names, l)) är inte \(one ? "ansluten" : "anslutna"): varken \(one ? "ansluten" : "anslutna") som administratör på sidan **\(marketo)** eller \(one ? "listad" : "listade") under **\(userAccess)**."
    }

    static func hasAccessCheck(_ names: [String], userAccess: String, _ l: ProcedureLanguage) -> String {
        l == .en
            ? "\(list(names, l)) \(be(names.count, l)) listed on **\(userAccess)**."
            : "\(list(names, l)) är \(names.count == 1 ? "listad" : "listade") under **\(userAccess)**."
    }

    static func strandedCheck(_ names: [String], userAccess: String, _ l: ProcedureLanguage) -> String {
        l == .en
            ? "\(list(names, l)) \(be(names.count, l)) not listed on **\(userAccess)**, and \(names.count == 1 ? "has" : "have") had no "
                + "Marketo access since the integration stopped."
            : "\(list(names, l)) är inte \(names.count == 1 ? "listad" : "listade") under **\(userAccess)** och har inte haft någon "
                + "åtkomst till Marketo sedan integreringen stoppades."
    }

    /// Who lost their access when the integration stopped before the steps start.
    static func strandedBefore(_ names: [String], userAccess: String, _ l: ProcedureLanguage) -> String {
        l == .en
            ? "Lost their Marketo access when the integration stopped, and not listed on **\(userAccess)**: \(list(names, l))"
            : "Förlorade sin åtkomst till Marketo när integreringen stoppades, och är inte listade under **\(userAccess)**: "
                + list(names, l)
    }

    static func absentCheck(_ names: [String], instance: String, _ l: ProcedureLanguage) -> String {
        l == .en
            ? "\(list(names, l)) \(be(names.count, l)) not \(names.count == 1 ? "a member" : "members") of \(instance)."
            : "\(list(names, l)) är inte \(names.count == 1 ? "medlem" : "medlemmar") i \(instance)."
    }

    static func membersCheck(_ role: Role, _ names: [String], instance: String, _ l: ProcedureLanguage) -> String {
        let one = names.count == 1
        let what =
            switch (role, l) {
            case (.admin, .en): one ? "an admin" : "admins"
            case (.user, .en): one ? "a user" : "users"
            case (.admin, .sv): one ? "administratör" : "administratörer"
            case (.user, .sv): "användare"
            }
        return l == .en ? "\(list(names, l)) \(be(names.count, l)) \(what) of \(instance)." : "\(list(names, l)) är \(what) i \(instance)."
    }

    /// `expect violation`: a step not to take. A refusal the product refuses; a hazard it
    /// performs, and `losing` lose their access.
    static func refusedCheck(_ statement: String, rule id: RuleID?, losing: [String], _ l: ProcedureLanguage) -> String {
        let rule = id.map { l == .en ? " (rule \($0.rawValue))" : " (regeln \($0.rawValue))" } ?? ""
        guard id?.kind == .hazard else {
            return l == .en
                ? "the product refuses this step here, so do not take it: \(statement)\(rule)."
                : "produkten vägrar det här steget just nu, så utför det inte: \(statement)\(rule)."
        }
        let who = losing.isEmpty ? (l == .en ? "members" : "medlemmar") : list(losing, l)
        return l == .en
            ? "do not take this step here: the product would perform it, and \(who) would lose Marketo access: \(statement)\(rule)."
            : "utför inte det här steget just nu: produkten skulle utföra det, och \(who) skulle förlora åtkomsten till Marketo: "
                + "\(statement)\(rule)."
    }

    // MARK: Sections

    /// A section's heading: `1. adminA, the connected admin`.
    static func section(_ number: Int, _ actor: String, _ role: Procedure.ActorRole, _ l: ProcedureLanguage) -> String {
        let who =
            switch (role, l) {
            case (.connectedAdmin, .en): "the connected admin"
            case (.originallyConnectedAdmin, .en): "the originally connected admin"
            case (.anotherConnectedAdmin, .en): "a connected admin"
            case (.newAdmin, .en): "the new admin"
            case (.unconnectedAdmin, .en): "an admin, not connected"
            case (.connectedAdmin, .sv): "den för närvarande anslutna administratören"
            case (.originallyConnectedAdmin, .sv): "den ursprungligen anslutna administratören"
            case (.anotherConnectedAdmin, .sv): "en ansluten administratör"
            case (.newAdmin, .sv): "den nya administratören"
            case (.unconnectedAdmin, .sv): "en administratör som inte är ansluten"
            }
        return "\(number). \(actor), \(who)"
    }

    /// Who follows a section: the steps are taken logged in as them.
    static func sessionOf(_ actor: String, _ l: ProcedureLanguage) -> String {
        l == .en ? "Logged in as \(actor):" : "Inloggad som \(actor):"
    }

    /// What an action does, before its clicks, citing the page's section.
    static func action(_ verb: Verb, targets: [String], section: String, userAccess: String, _ l: ProcedureLanguage) -> String {
        let what =
            switch (verb, l) {
            case (.connect, .en): "Connect to Marketo"
            case (.disconnect, .en): "Disconnect from Marketo"
            case (.grant, .en): "Give \(list(targets, l)) access"
            case (.revoke, .en): "Remove the access of \(list(targets, l))"
            case (.remove, .en): "Remove \(list(targets, l)) from the instance"
            case (.connect, .sv): "Anslut till Marketo"
            case (.disconnect, .sv): "Koppla från Marketo"
            case (.grant, .sv): "Ge \(list(targets, l)) åtkomst"
            case (.revoke, .sv): "Ta bort åtkomsten för \(list(targets, l))"
            case (.remove, .sv): "Ta bort \(list(targets, l)) från instansen"
            }
        let source =
            switch (verb, l) {
            case (.grant, .en): "the way to **\(userAccess)** from the page's section *\(section)*"
            case (.grant, .sv): "vägen till **\(userAccess)** från sidans avsnitt *\(section)*"
            case (.remove, .en): "named at the end of the page's section *\(section)*"
            case (.remove, .sv): "nämnt i slutet av sidans avsnitt *\(section)*"
            case (_, .en): "the page's section *\(section)*"
            case (_, .sv): "sidans avsnitt *\(section)*"
            }
        return "\(what) (\(source)):"
    }

    /// The page's slip in the new admin's list, where Disconnect is written for Connect.
    static func pageSaysDisconnect(connect: String, disconnect: String, _ l: ProcedureLanguage) -> String {
        l == .en
            ? "The page's list says **\(disconnect)** for this last click by mistake: **\(connect)** is meant."
            : "Sidans lista säger **\(disconnect)** i det sista klicket av misstag: **\(connect)** avses."
    }

    /// Said once, where the page does not describe a step's clicks.
    static func undescribed(_ what: Undescribed, userAccess: String, _ l: ProcedureLanguage) -> String {
        switch (what, l) {
        case (.grantControl, .en):
            "The product page does not describe the control on **\(userAccess)** that gives access: this step says what to do, not what to click."
        case (.grantControl, .sv):
            "Produktsidan beskriver inte kontrollen under **\(userAccess)** som ger åtkomst: steget säger vad du ska göra, inte vad du ska klicka på."
        case (.removeClicks, .en):
            "The product page names this step but not its clicks: this step says what to do, not what to click."
        case (.removeClicks, .sv):
            "Produktsidan nämner det här steget men inte dess klick: steget säger vad du ska göra, inte vad du ska klicka på."
        }
    }

    /// One step of a click path; `member` is the member it is for, if any.
    static func step(_ step: PathStep, member: String, gearIcon: String, _ l: ProcedureLanguage) -> String {
        switch (step, l) {
        case (.gearMenu(let label), .en): "Click the *\(gearIcon)* and choose **\(label.english)**."
        case (.gearMenu(let label), .sv): "Klicka på *\(gearIcon)* och välj **\(label.swedish)**."
        case (.click(let label), .en): "Click **\(label.english)**."
        case (.click(let label), .sv): "Klicka på **\(label.swedish)**."
        case (.search, .en): "Search for \(member)."
        case (.search, .sv): "Sök efter \(member)."
        case (.removeAccess, .en): "Remove the access of \(member)."
        case (.removeAccess, .sv): "Ta bort åtkomsten för \(member)."
        case (.giveAccess, .en): "Give \(member) access."
        case (.giveAccess, .sv): "Ge \(member) åtkomst."
        case (.removeFromInstance, .en): "Remove \(member) from \(ProductPage.instance.english)."
        case (.removeFromInstance, .sv): "Ta bort \(member) från \(ProductPage.instance.swedish)."
        }
    }

    /// When no action is left after the opening.
    static func nothingToDo(_ l: ProcedureLanguage) -> String {
        l == .en
            ? "Nothing to click: the runbooks change nothing after their opening."
            : "Inget att klicka på: runbooken ändrar ingenting efter sin inledning."
    }

    // MARK: After

    static func after(_ l: ProcedureLanguage) -> String { l == .en ? "After" : "Efteråt" }

    /// The header of the before/after table: an empty corner, then the two columns.
    static func beforeAfterHeader(_ l: ProcedureLanguage) -> (before: String, after: String) {
        l == .en ? ("Before", "After") : ("Före", "Efter")
    }

    /// The rows of the before/after table, in order.
    enum Row: CaseIterable {
        case owner, connections, access, connected, stranded, removed
    }

    static func row(_ row: Row, _ l: ProcedureLanguage) -> String {
        switch (row, l) {
        case (.owner, .en): "Owner"
        case (.connections, .en): "Admin connections"
        case (.access, .en): "Holding access"
        case (.connected, .en): "Connected"
        case (.removed, .en): "Removed"
        case (.stranded, .en): "Without access since the integration stopped"
        case (.stranded, .sv): "Utan åtkomst sedan integreringen stoppades"
        case (.owner, .sv): "Ägare"
        case (.connections, .sv): "Administratörsanslutningar"
        case (.access, .sv): "Har åtkomst"
        case (.connected, .sv): "Anslutna"
        case (.removed, .sv): "Borttagna"
        }
    }

    /// The owner's cell: the name, or that the integration is not live.
    static func ownerCell(_ owner: String?, _ l: ProcedureLanguage) -> String {
        owner ?? (l == .en ? "none (not live)" : "ingen (inte aktiv)")
    }

    /// The line that no member loses access at any step: a run that stranded anyone does
    /// not make a procedure.
    static func nobodyLosesAccess(_ l: ProcedureLanguage) -> String {
        l == .en
            ? "No member loses Marketo access at any step, except where a step above takes it away: every step was checked against the product's rules, and none strands anyone."
            : "Ingen medlem förlorar åtkomsten till Marketo vid något steg, utom där ett steg ovan tar bort den: varje steg har kontrollerats mot produktens regler, och inget lämnar någon strandsatt."
    }

    /// The change at a glance: `owner adminB (was adminA); adminA removed; bob, carol keep
    /// access`. The plan's `# after:` comment and the procedure's *After* both read it.
    public static func change(_ change: Change, names: (String) -> String = Words.spell, _ l: ProcedureLanguage = .en) -> String {
        func join(_ items: [String]) -> String { items.map(names).joined(separator: ", ") }
        var parts: [String] = []
        let owner = change.ownerAfter.map(names) ?? (l == .en ? "none" : "ingen")
        if change.ownerAfter == change.ownerBefore {
            parts.append(
                l == .en
                    ? "owner \(owner) (unchanged)" : change.ownerAfter == nil ? "ingen ägare (oförändrat)" : "ägare \(owner) (oförändrad)")
        } else {
            let was = change.ownerBefore.map(names) ?? (l == .en ? "none" : "ingen")
            parts.append(l == .en ? "owner \(owner) (was \(was))" : "ägare \(owner) (var \(was))")
        }
        if !change.removed.isEmpty {
            parts.append(join(change.removed) + (l == .en ? " removed" : change.removed.count == 1 ? " borttagen" : " borttagna"))
        }
        if !change.lose.isEmpty {
            parts.append(join(change.lose) + (l == .en ? (change.lose.count == 1 ? " loses" : " lose") + " access" : " förlorar åtkomst"))
        }
        if !change.gain.isEmpty {
            parts.append(join(change.gain) + (l == .en ? (change.gain.count == 1 ? " gains" : " gain") + " access" : " får åtkomst"))
        }
        if !change.keep.isEmpty {
            parts.append(join(change.keep) + (l == .en ? (change.keep.count == 1 ? " keeps" : " keep") + " access" : " behåller åtkomst"))
        }
        return parts.joined(separator: "; ")
    }

    /// The change at a glance, as a sentence of the procedure.
    static func inShort(_ text: String, _ l: ProcedureLanguage) -> String {
        l == .en ? "In short: \(text)." : "Kort sagt: \(text)."
    }

    // MARK: Refusals

    /// A runbook that cannot become a procedure because a step of it was performed anyway.
    static func hasAnyway(_ file: String, at location: (line: Int, column: Int)?, statement: String) -> String {
        let place = location.map { "\(file):\($0.line):\($0.column)" } ?? file
        return "\(place) performs a step anyway (\(statement)): a procedure never strands anyone, so it is made from runbooks "
            + "whose every step runs clean"
    }

    /// What the REPL's procedure is of, as its title names it.
    public static func thisSession(_ l: ProcedureLanguage) -> String { l == .en ? "this session" : "den här sessionen" }

    /// A runbook that cannot become a procedure because it has scenarios.
    static func hasScenarios(_ file: String) -> String {
        "\(file) has scenarios: a procedure follows one sequence of steps, so it is made from runbooks without scenarios"
    }
}

import ConnectionCore

/// Text written for Markdown: what a name holds prints literally.
public enum Markdown {
    /// A member's name as the runbook spells it (bare, or quoted), with every ASCII
    /// punctuation character Markdown could read as markup backslash-escaped (CommonMark
    /// lets any be), and control characters shown escaped: `**x**` stays two stars, an x
    /// and two stars, and `[a](b)` is no link.
    public static func name(_ name: String) -> String {
        text(Words.spell(name))
    }

    /// Any text a user did not write as Markdown, escaped as `name` escapes names.
    public static func text(_ text: String) -> String {
        var out = ""
        Words.escape(Words.printable(text), into: &out) {
            $0.isASCII && special.contains(UInt8($0.value)) ? "\\" + String($0) : nil
        }
        return out
    }

    /// The characters that start or end markup inside a line or a table cell. Those that
    /// are markup only at the start of a line (`#`, `-`, `+`, `1.`) are left as they are: a
    /// procedure never starts a line with a name or a file name, and a name as the runbook
    /// spells it starts with a letter, `_` or a double quote.
    private static let special = Set("\\`*_[]()<>|~&".utf8)
}

extension Procedure {
    /// The procedure as Markdown, in `language`: *Before you start*, a numbered section per
    /// run of actions by one admin with each action's click path as `- [ ]` lines and each
    /// expectation as a *Check* line, and *After*, the change as a before/after table.
    public func markdown(_ language: ProcedureLanguage) -> String {
        let l = language
        let w = ProcedureWords.self
        let page = ProductPage.self
        var out = ""
        func line(_ text: String = "") { out += text + "\n" }
        func names(_ list: [String]) -> [String] { list.map(Markdown.name) }
        func check(_ check: Check) {
            let marketo = page.marketo.text(l)
            let userAccess = page.userAccess.text(l)
            let text =
                switch check {
                case .owner(let owner): w.ownerCheck(owner.map(Markdown.name), marketo: marketo, disconnect: page.disconnect.text(l), l)
                case .connected(let admins, let access):
                    w.connectedCheck(admins: names(admins), throughAccess: names(access), marketo: marketo, userAccess: userAccess, l)
                case .notConnected(let list): w.notConnectedCheck(names(list), marketo: marketo, userAccess: userAccess, l)
                case .hasAccess(let list): w.hasAccessCheck(names(list), userAccess: userAccess, l)
                case .absent(let list): w.absentCheck(names(list), instance: page.instance.text(l), l)
                case .stranded(let list): w.strandedCheck(names(list), userAccess: userAccess, l)
                case .members(let role, let list): w.membersCheck(role, names(list), instance: page.instance.text(l), l)
                case .refused(let statement, let rule, let losing):
                    w.refusedCheck(Markdown.text(statement), rule: rule, losing: names(losing), l)
                }
            line("- [ ] **\(w.check(l))**: " + text)
        }

        line("# " + w.title(Markdown.text(sources.joined(separator: ", ")), l))
        line()
        line(w.introduction(page: page.title.heading(l), l))
        line()

        // Before you start
        line("## " + w.beforeYouStart(l))
        line()
        if let opening {
            line(w.opening(file: Markdown.text(opening.file), lines: opening.lines, l))
            line()
        }
        let members = start.members
        if members.isEmpty {
            line("- " + w.noMembers(l))
        } else {
            line("- " + w.admins(names(members.filter { $0.role == .admin }.map(\.name)), l))
            line("- " + w.users(names(members.filter { $0.role == .user }.map(\.name)), l))
            line("- " + w.connections(names(start.connections), owner: start.owner.map(Markdown.name), marketo: page.marketo.text(l), l))
            line("- " + w.access(names(start.grantHolders), userAccess: page.userAccess.text(l), live: start.isLive, l))
            if start.strandedCount > 0 {
                line("- " + w.strandedBefore(names(start.strandedMembers), userAccess: page.userAccess.text(l), l))
            }
        }
        if !checksBefore.isEmpty {
            line()
            for c in checksBefore { check(c) }
        }
        line()

        // The sections
        var said: Set<Undescribed> = []
        if sections.isEmpty {
            line(w.nothingToDo(l))
            line()
        }
        for (number, section) in sections.enumerated() {
            let actor = Markdown.name(section.actor)
            line("## " + w.section(number + 1, actor, section.role, l))
            line()
            line(w.sessionOf(actor, l))
            for item in section.items {
                switch item {
                case .check(let c):
                    check(c)
                case .action(let verb, let targets):
                    let path = page.clickPath(of: verb)
                    line()
                    line(w.action(verb, targets: names(targets), section: path.section.heading(l), userAccess: page.userAccess.text(l), l))
                    if let what = path.undescribed, said.insert(what).inserted {
                        line()
                        line(w.undescribed(what, userAccess: page.userAccess.text(l), l))
                    }
                    if path.pageSaysDisconnect {
                        line()
                        line(w.pageSaysDisconnect(connect: page.connect.text(l), disconnect: page.disconnect.text(l), l))
                    }
                    line()
                    let gear = page.gearIcon.text(l)
                    for step in path.path { line("- [ ] " + w.step(step, member: "", gearIcon: gear, l)) }
                    for target in targets {
                        let member = Markdown.name(target)
                        for step in path.perTarget { line("- [ ] " + w.step(step, member: member, gearIcon: gear, l)) }
                    }
                }
            }
            line()
        }

        // After
        line("## " + w.after(l))
        line()
        let header = w.beforeAfterHeader(l)
        line("| | \(header.before) | \(header.after) |")
        line("|---|---|---|")
        func cell(_ list: [String]) -> String { list.isEmpty ? w.none(l) : w.list(names(list), l) }
        let change = self.change
        // Members without access since an earlier incident, where there are any.
        let rows = ProcedureWords.Row.allCases.filter { $0 != .stranded || start.strandedCount + end.strandedCount > 0 }
        for row in rows {
            let (before, after) =
                switch row {
                case .owner: (w.ownerCell(start.owner.map(Markdown.name), l), w.ownerCell(end.owner.map(Markdown.name), l))
                case .connections: (cell(start.connections), cell(end.connections))
                case .access: (cell(start.grantHolders), cell(end.grantHolders))
                case .connected: (cell(connected(start)), cell(connected(end)))
                case .stranded: (cell(start.strandedMembers), cell(end.strandedMembers))
                case .removed: ("", cell(change.removed))
                }
            line("| \(w.row(row, l)) | \(before) | \(after) |")
        }
        line()
        line(w.inShort(ProcedureWords.change(change, names: Markdown.name, l), l))
        line()
        line(w.nobodyLosesAccess(l))
        return out
    }

    /// The connected members of `instance`, sorted by name.
    private func connected(_ instance: Instance) -> [String] {
        instance.members.map(\.name).filter(instance.isConnected)
    }
}

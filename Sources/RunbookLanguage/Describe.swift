import ConnectionCore

/// Plain-language renderings of outcomes and states, shared by every front end.
public enum Describe {
    /// One sentence for the events of one statement, merging events of the same kind:
    /// "anna granted ben, carl and dora access".
    public static func events(_ events: [Event]) -> String {
        var buffer = ByteBuffer()
        self.events(events, into: &buffer)
        return buffer.string
    }

    /// `events(_:)` appended to `out` as UTF-8: a run that reports a million statements
    /// writes them this way, without a string per sentence.
    public static func events(_ events: [Event], into out: inout ByteBuffer) {
        var i = 0
        while i < events.count {
            if i > 0 { out.append(literal: "; ") }
            var j = i + 1
            while j < events.count && merges(events[i], events[j]) { j += 1 }
            switch events[i] {
            case .declared(_, let role):
                subjects(of: events, i..<j, into: &out)
                out.append(literal: " joined the instance as ")
                let plural = j - i > 1
                out.append(literal: role == .admin ? (plural ? "admins" : "an admin") : (plural ? "users" : "a user"))
            case .granted(_, let by):
                name(by, into: &out)
                out.append(literal: " granted ")
                subjects(of: events, i..<j, into: &out)
                out.append(literal: " access")
            case .revoked(_, let by):
                name(by, into: &out)
                out.append(literal: " removed the access of ")
                subjects(of: events, i..<j, into: &out)
            case let other:
                out.append(other.description)
            }
            i = j
        }
    }

    /// Whether two events read as one sentence: the same kind, by the same admin or to the same role.
    private static func merges(_ a: Event, _ b: Event) -> Bool {
        switch (a, b) {
        case (.declared(_, let r), .declared(_, let s)): r == s
        case (.granted(_, let x), .granted(_, let y)), (.revoked(_, let x), .revoked(_, let y)): x == y
        default: false
        }
    }

    /// The subjects of merged events as a list: "a", "a and b", "a, b and c".
    private static func subjects(of events: [Event], _ merged: Range<Int>, into out: inout ByteBuffer) {
        for k in merged {
            if k > merged.lowerBound { out.append(literal: k == merged.upperBound - 1 ? " and " : ", ") }
            switch events[k] {
            case .declared(let n, _), .granted(let n, _), .revoked(let n, _): name(n, into: &out)
            default: break
            }
        }
    }

    /// A name as the formatter writes it: bare when it can be, quoted otherwise.
    private static func name(_ name: String, into out: inout ByteBuffer) {
        var name = name
        let bare = name.withUTF8 { bytes in
            guard Syntax.isBare(bytes) else { return false }
            out.append(bytes)
            return true
        }
        if !bare { out.append(quoted(name)) }
    }

    /// "a", "a and b", "a, b and c".
    public static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }

    /// A readable table of the state: members, roles, connections, owner, grants.
    public static func state(_ instance: Instance) -> String {
        let members = instance.members
        if members.isEmpty { return "no members; the integration is not live\n" }
        let connections = instance.connections
        let owner = instance.owner
        let rows: [(String, String, String)] = members.map { m in
            let status: String
            if m.name == owner {
                status = "connected, owner"
            } else if instance.isAdminConnection(m.name) {
                status = "connected (admin connection \(connections.firstIndex(of: m.name)! + 1) of \(connections.count))"
            } else if instance.hasAccess(m.name) {
                status = instance.isLive ? "connected through access" : "has access, not connected"
            } else {
                status = "-"
            }
            return (quoted(m.name), m.role.rawValue, status)
        }
        let nameWidth = max(6, rows.map(\.0.count).max()!)
        var out = "member".padding(nameWidth) + "  role   status\n"
        for row in rows { out += row.0.padding(nameWidth) + "  " + row.1.padding(5) + "  " + row.2 + "\n" }
        out += owner.map { "owner: \(quoted($0))" } ?? "owner: none (the integration is not live)"
        out += "; \(instance.grantCount) \(instance.grantCount == 1 ? "grant" : "grants")\n"
        return out
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

import ConnectionCore

/// Plain-language renderings of outcomes and states, shared by every front end.
public enum Describe {
    /// One sentence for the events of one statement, merging events of the same kind:
    /// "anna granted ben, carl and dora access".
    public static func events(_ events: [Event]) -> String {
        /// Events that merge into one sentence share a key; `nil` never merges.
        func key(_ e: Event) -> String? {
            switch e {
            case .declared(_, let role): "declared \(role)"
            case .granted(_, let by): "granted \(by)"
            case .revoked(_, let by): "revoked \(by)"
            default: nil
            }
        }
        func subject(_ e: Event) -> String {
            switch e {
            case .declared(let n, _), .granted(let n, _), .revoked(let n, _): quoted(n)
            default: ""
            }
        }
        var parts: [String] = []
        var i = 0
        while i < events.count {
            let first = events[i]
            var j = i + 1
            if let k = key(first) { while j < events.count && key(events[j]) == k { j += 1 } }
            let names = list(events[i..<j].map(subject))
            let plural = j - i > 1
            switch first {
            case .declared(_, let role):
                let noun = role == .admin ? (plural ? "admins" : "an admin") : (plural ? "users" : "a user")
                parts.append("\(names) joined the instance as \(noun)")
            case .granted(_, let by): parts.append("\(quoted(by)) granted \(names) access")
            case .revoked(_, let by): parts.append("\(quoted(by)) removed the access of \(names)")
            default: parts.append(first.description)
            }
            i = j
        }
        return parts.joined(separator: "; ")
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

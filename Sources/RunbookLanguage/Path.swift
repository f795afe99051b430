/// File path arithmetic on plain strings (slash-separated), without Foundation's NSString.
public enum Path {
    /// The folder part of `path`: `.` when it has none, `/` for a file at the root.
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    /// The last component of `path`.
    public static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `relative` taken from `folder`, unless it is absolute.
    public static func join(_ folder: String, _ relative: String) -> String {
        if relative.hasPrefix("/") { return relative }
        return folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
    }
}

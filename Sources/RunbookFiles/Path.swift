#if canImport(Glibc)
    import Glibc
#endif

/// File path arithmetic on plain strings (slash-separated), without Foundation's NSString.
package enum Path {
    /// The folder part of `path`: `.` when it has none, `/` for a file at the root.
    package static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    /// The last component of `path`.
    package static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `relative` taken from `folder`, unless it is absolute.
    package static func join(_ folder: String, _ relative: String) -> String {
        if relative.hasPrefix("/") { return relative }
        return folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
    }

    /// The path a symbolic link points to, followed repeatedly; `path` itself otherwise.
    package static func resolvingLinks(_ path: String) -> String {
        var current = path
        var buffer = [CChar](repeating: 0, count: 4097)
        for _ in 0..<32 {
            let length = readlink(current, &buffer, buffer.count - 1)
            guard length > 0 else { return current }
            let destination = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = join(folder(of: current), destination)
        }
        return current
    }

    // MARK: What is there

    /// What the system knows of the file at `path`, links followed; why nothing is there
    /// when it cannot be reached.
    package static func info(_ path: String) -> Result<stat, SystemError> {
        var info = stat()
        return stat(path, &info) == 0 ? .success(info) : .failure(SystemError(errno: errno))
    }

    /// Whether anything is at `path`, links followed.
    package static func exists(_ path: String) -> Bool {
        (try? info(path).get()) != nil
    }

    /// Whether `path` is a folder, links followed.
    package static func isFolder(_ path: String) -> Bool {
        (try? info(path).get()).map { $0.st_mode & S_IFMT == S_IFDIR } ?? false
    }

    /// Whether `a` and `b` are one file under two names.
    package static func sameFile(_ a: String, _ b: String) -> Bool {
        guard let a = try? info(a).get(), let b = try? info(b).get() else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }
}

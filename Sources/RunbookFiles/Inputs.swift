import RunbookLanguage

#if canImport(Glibc)
    import Glibc
#endif

/// An input that could not be read.
public struct InputError: Error, Sendable, Hashable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

extension SourceFile {
    /// Files at least this large are mapped rather than read.
    static let mappingThreshold = 1 << 20

    /// Reads a runbook file, or standard input for `-`.
    ///
    /// A large regular file is mapped, not copied, and the parser lets the pages it has
    /// read go as it goes: a run of a million statements holds their form, not their text.
    public static func read(_ path: String) throws(InputError) -> SourceFile {
        let name = path == "-" ? "<stdin>" : path
        // A closed standard input is open on /dev/null: reading it as an empty runbook would
        // run nothing and succeed.
        if path == "-" && StandardStreams.wasClosed(0) {
            throw InputError(path: path, reason: Words.FileReason.standardInputClosed.text)
        }
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(path: path, reason: String(cString: strerror(errno))) }
        defer { if path != "-" { close(fd) } }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw InputError(path: path, reason: String(cString: strerror(errno))) }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR { throw InputError(path: path, reason: "is a directory") }
        let size = Int(info.st_size)
        if type == S_IFREG && size > Int(Int32.max) {
            throw InputError(path: path, reason: "is larger than 2 GiB, more than a runbook can be")
        }
        if type == S_IFREG && size >= mappingThreshold, let mapped = map(fd, size: size) {
            return SourceFile(name: name, storage: mapped)
        }
        return SourceFile(name: name, storage: try readAll(fd, path: path, sizeHint: type == S_IFREG ? size : nil))
    }

    /// The file mapped read-only, or `nil` when it cannot be.
    private static func map(_ fd: Int32, size: Int) -> SourceStorage? {
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        madvise(base, size, MADV_SEQUENTIAL)
        let bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        return SourceStorage(
            bytes,
            release: { munmap(UnsafeMutableRawPointer(mutating: $0.baseAddress), $0.count) },
            done: { read in
                // Whole pages already parsed are dropped from memory; reading them again (for
                // a diagnostic's excerpt) brings them back from the file.
                guard let start = read.baseAddress else { return }
                let first = (Int(bitPattern: start) + page - 1) / page * page
                let end = (Int(bitPattern: start) + read.count) / page * page
                if end > first { madvise(UnsafeMutableRawPointer(bitPattern: first), end - first, MADV_DONTNEED) }
            })
    }

    /// Reads to the end of `fd` into an allocation of its own: a regular file in one
    /// buffer of its size (and a byte more, to see the end), anything else in a buffer
    /// that doubles as it fills.
    private static func readAll(_ fd: Int32, path: String, sizeHint: Int?) throws(InputError) -> SourceStorage {
        var capacity = max(sizeHint.map { $0 + 1 } ?? 1 << 16, 16)
        var buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
        var count = 0
        while true {
            if count == capacity {
                let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity * 2)
                _ = bigger.initialize(fromContentsOf: buffer)
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let n = Glibc.read(fd, buffer.baseAddress! + count, capacity - count)
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                let reason = String(cString: strerror(errno))
                buffer.deallocate()
                throw InputError(path: path, reason: reason)
            }
            if n == 0 { break }
            count += n
        }
        // The storage gives back the allocation it was handed, from its start.
        return SourceStorage(UnsafeBufferPointer(rebasing: buffer[..<count])) { $0.deallocate() }
    }
}

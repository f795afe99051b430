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
    /// The runbooks a path names: the `.runbook` files under a folder, found recursively
    /// and sorted, hidden folders and files (`.git`, `.build`) left out; or the path itself
    /// (`-` for standard input). A file in the current folder is named as it would be
    /// typed: `a.runbook`, not `./a.runbook`.
    public static func runbooks(at path: String) -> Result<[String], InputError> {
        guard path != "-" else { return .success([path]) }
        switch Path.info(path) {
        case .failure(let failure): return .failure(InputError(path: path, reason: failure.reason))
        case .success(let info) where info.st_mode & S_IFMT != S_IFDIR: return .success([path])
        case .success: break
        }
        var found: [String] = []
        var folders = [path]
        while let folder = folders.popLast() {
            guard let directory = opendir(folder) else {
                return .failure(
                    InputError(path: folder, reason: Words.FileReason.cannotList(system: String(cString: strerror(errno))).text))
            }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                guard !name.hasPrefix(".") else { continue }
                let child = folder == "." && path == "." ? name : Path.join(folder, name)
                var childInfo = stat()
                // Links are followed to files, not into folders: no cycles.
                guard stat(child, &childInfo) == 0 else { continue }
                if childInfo.st_mode & S_IFMT == S_IFDIR {
                    var linkInfo = stat()
                    if lstat(child, &linkInfo) == 0 && linkInfo.st_mode & S_IFMT == S_IFDIR { folders.append(child) }
                } else if name.hasSuffix(".runbook") {
                    found.append(child)
                }
            }
        }
        return .success(found.sorted())
    }

    /// Files at least this large are mapped rather than read.
    static let mappingThreshold = 1 << 20

    /// The most bytes read from an input that is not a regular file (a pipe, a device,
    /// standard input): past it, the input is refused rather than read without end.
    public static let streamLimit = 256 << 20

    /// The largest regular file read.
    static let fileLimit = 1 << 31 - 1

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
        if type == S_IFDIR { throw InputError(path: path, reason: Words.FileReason.isDirectory.text) }
        let size = Int(info.st_size)
        if type == S_IFREG && size > fileLimit {
            throw InputError(path: path, reason: Words.FileReason.fileTooLarge(limit: fileLimit + 1).text)
        }
        if type == S_IFREG && size >= mappingThreshold, let mapped = map(fd, size: size) {
            return SourceFile(name: name, storage: mapped)
        }
        return SourceFile(
            name: name, storage: try readAll(fd, path: path, sizeHint: type == S_IFREG ? size : nil, limit: streamLimit))
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
    /// that doubles as it fills (`realloc`, which moves large buffers' pages rather than
    /// copying them), up to `limit` bytes.
    private static func readAll(_ fd: Int32, path: String, sizeHint: Int?, limit: Int) throws(InputError) -> SourceStorage {
        var capacity = max(sizeHint.map { $0 + 1 } ?? 1 << 16, 16)
        var base = malloc(capacity)?.assumingMemoryBound(to: UInt8.self)
        var count = 0
        // A regular file may grow while it is read; it too stops at the limit.
        let bound = max(limit, sizeHint ?? 0)
        while let buffer = base {
            if count == capacity {
                guard count <= bound else {
                    free(buffer)
                    throw InputError(path: path, reason: Words.FileReason.streamTooLong(limit: bound).text)
                }
                // One byte past the bound is enough to know the input goes on past it.
                capacity = min(capacity * 2, bound + 1)
                guard let larger = realloc(buffer, capacity) else {
                    free(buffer)
                    base = nil
                    break
                }
                base = larger.assumingMemoryBound(to: UInt8.self)
                continue
            }
            let n = Descriptor(fd).read(into: UnsafeMutableRawBufferPointer(start: buffer + count, count: capacity - count))
            if n < 0 {
                let reason = String(cString: strerror(errno))
                free(buffer)
                throw InputError(path: path, reason: reason)
            }
            if n == 0 { break }
            count += n
        }
        guard let base else { throw InputError(path: path, reason: String(cString: strerror(ENOMEM))) }
        // The storage gives back the allocation it was handed, from its start.
        return SourceStorage(UnsafeBufferPointer(start: base, count: count)) { free(UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
    }
}

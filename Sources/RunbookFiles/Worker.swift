import RunbookLanguage

#if canImport(Glibc)
    import Glibc
#endif

extension Parser {
    /// Sources at least this large are parsed in two halves, on two threads.
    package static let halvesThreshold = 1 << 23

    /// Parses a whole source, as `parse(_:)` does; a large one in two halves at once, the
    /// second on a thread of its own, when the halves meet at a statement boundary of the
    /// background. The result is the same as reading it in one pass.
    public static func parseUsingThreads(_ source: SourceFile) -> ParseResult {
        guard source.bytes.count >= halvesThreshold else { return parse(source) }
        return parse(source, inHalves: { work in Worker(work).map { worker in worker.join } })
    }
}

/// Work done on a thread of its own while the caller goes on: `join` waits for its result.
/// For the parser, which reads the second half of a large source this way.
final class Worker<Result: Sendable>: @unchecked Sendable {
    private var result: Result?
    private let thread: Thread

    /// Starts `work`; `nil` when no thread can be made (the caller does the work itself).
    init?(_ work: @escaping @Sendable () -> Result) {
        result = nil
        thread = Thread()
        guard thread.start({ [unowned self] in result = work() }) else { return nil }
    }

    /// The result, once the work is done.
    func join() -> Result {
        thread.join()
        return result!
    }
}

/// A POSIX thread running one closure.
private final class Thread: @unchecked Sendable {
    private var handle = pthread_t()
    private var body: (() -> Void)?

    /// Runs `body` on the thread; `false` when the thread cannot be made.
    func start(_ body: @escaping () -> Void) -> Bool {
        self.body = body
        let started = pthread_create(
            &handle, nil,
            { context in
                Unmanaged<Thread>.fromOpaque(context!).takeUnretainedValue().body!()
                return nil
            }, Unmanaged.passUnretained(self).toOpaque())
        return started == 0
    }

    func join() { pthread_join(handle, nil) }
}

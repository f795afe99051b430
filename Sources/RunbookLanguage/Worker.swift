#if canImport(Glibc)
    import Glibc
#endif

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

import ConnectionCore

/// Watches a run of the one runner (`Session`) statement by statement: the state each
/// stretch starts from and each statement left, so the state before a statement is the
/// one the last left. How the rehearsal report's timeline, the rule coverage of `test`,
/// the procedure and the self-check are collected as the run goes, and how a host
/// interrupts it.
public protocol RunObserver {
    /// A stretch of statements starts from `instance`: a program's background
    /// (`scenario` is `nil`), or one of its scenarios after the background.
    mutating func begin(_ program: Program, scenario: Scenario?, from instance: Instance)
    /// One statement ran and left `instance`.
    mutating func observe(_ outcome: Outcome, leaving instance: Instance)
    /// Asked before each statement: `true` ends the stretch there, as if it had no more
    /// statements (an interactive host's Ctrl-C). The host, which asked, knows the run
    /// was cut short.
    var shouldStop: Bool { get }
}

extension RunObserver {
    @inline(__always) public var shouldStop: Bool { false }
}

/// The observer of a run that nobody watches: every call is specialised away.
struct Unobserved: RunObserver {
    @inline(__always) mutating func begin(_ program: Program, scenario: Scenario?, from instance: Instance) {}
    @inline(__always) mutating func observe(_ outcome: Outcome, leaving instance: Instance) {}
}

import ConnectionCore

/// Watches a run statement by statement, with the state each statement left: how the
/// rehearsal report's timeline and the rule coverage of `test` are collected, from the
/// one interpreter, as the run goes.
public protocol RunObserver {
    /// A stretch of statements starts from `instance`: a program's background
    /// (`scenario` is `nil`), or one of its scenarios after the background.
    mutating func begin(_ program: Program, scenario: Scenario?, from instance: Instance)
    /// One statement ran and left `instance`.
    mutating func observe(_ outcome: Outcome, leaving instance: Instance)
}

/// The observer of a run that nobody watches: every call is specialised away.
struct Unobserved: RunObserver {
    @inline(__always) mutating func begin(_ program: Program, scenario: Scenario?, from instance: Instance) {}
    @inline(__always) mutating func observe(_ outcome: Outcome, leaving instance: Instance) {}
}

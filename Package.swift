// swift-tools-version: 6.0
import Foundation
import PackageDescription

let package = Package(
    name: "runbook",
    products: [
        .executable(name: "runbook", targets: ["runbook"]),
        .library(name: "RunbookLanguage", targets: ["RunbookLanguage"]),
        .library(name: "RunbookFiles", targets: ["RunbookFiles"]),
        .library(name: "ConnectionCore", targets: ["ConnectionCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // The model of the integration's rules: values only, no I/O, no language syntax.
        .target(name: "ConnectionCore"),
        // Lexer, parser, the one form, interpreter, formatter, diagnostics and every word a
        // user reads: the embeddable language. No I/O.
        .target(name: "RunbookLanguage", dependencies: ["ConnectionCore"]),
        // Everything that touches files: reading runbooks, state files, atomic writes, locks,
        // the two output streams, and the failures a client reports with their exit statuses.
        .target(name: "RunbookFiles", dependencies: ["ConnectionCore", "RunbookLanguage"]),
        // GNU readline, seen only by the REPL's line editor.
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        // The self-contained HTML rehearsal report: an observer of a run, for the command line
        // and the REPL.
        .target(name: "RunbookReport", dependencies: ["RunbookLanguage", "RunbookFiles"]),
        // The REPL: one loop over lines from a terminal (GNU readline) or a pipe.
        .target(name: "RunbookREPL", dependencies: ["RunbookLanguage", "RunbookFiles", "RunbookReport", "CReadline"]),
        // The language server: JSON-RPC over standard input and output.
        .target(name: "RunbookServer", dependencies: ["RunbookLanguage", "RunbookFiles"]),
        // The command line: arguments, commands, and their output formats.
        .target(
            name: "RunbookCommandLine",
            dependencies: [
                "RunbookLanguage", "RunbookFiles", "RunbookReport", "RunbookREPL", "RunbookServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "runbook", dependencies: ["RunbookCommandLine"]),
        // For the tests and the fuzzer only: a reference interpreter written from the
        // specification, runbook generators, the properties every input must keep, and the
        // fixtures the tests share.
        .target(name: "RunbookTestSupport", dependencies: ["ConnectionCore", "RunbookLanguage"]),
        .testTarget(name: "ConnectionCoreTests", dependencies: ["ConnectionCore", "RunbookTestSupport"]),
        .testTarget(name: "RunbookFilesTests", dependencies: ["RunbookFiles", "RunbookTestSupport"]),
        .testTarget(
            name: "RunbookLanguageTests", dependencies: ["RunbookLanguage", "RunbookTestSupport"],
            exclude: ["FuzzRegressions"]),
        .testTarget(
            name: "RunbookCLITests",
            dependencies: [
                "runbook", "RunbookCommandLine", "RunbookREPL", "RunbookServer", "RunbookLanguage", "RunbookFiles", "RunbookTestSupport",
            ],
            exclude: ["golden"]),
    ],
    swiftLanguageModes: [.v6]
)

// The libFuzzer target, only for scripts/fuzz/run.sh (RUNBOOK_FUZZ=1): it has no `main` of
// its own, so an ordinary build cannot link it.
if ProcessInfo.processInfo.environment["RUNBOOK_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(name: "RunbookFuzz", dependencies: ["RunbookTestSupport"], path: "Sources/RunbookFuzz"))
}

// swift-tools-version: 6.0
import Foundation
import PackageDescription

let package = Package(
    name: "runbook",
    products: [
        .executable(name: "runbook", targets: ["runbook"]),
        .library(name: "RunbookLanguage", targets: ["RunbookLanguage"]),
        .library(name: "ConnectionCore", targets: ["ConnectionCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // The model of the integration's rules: values only, no I/O.
        .target(name: "ConnectionCore"),
        // Lexer, parser, AST, interpreter, formatter and diagnostics: the embeddable language.
        .target(name: "RunbookLanguage", dependencies: ["ConnectionCore"]),
        // GNU readline, seen only by the executable's line editor.
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        .executableTarget(
            name: "runbook",
            dependencies: [
                "RunbookLanguage",
                "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ConnectionCoreTests", dependencies: ["ConnectionCore"]),
        .testTarget(name: "RunbookLanguageTests", dependencies: ["RunbookLanguage"], exclude: ["FuzzRegressions"]),
        .testTarget(
            name: "RunbookCLITests", dependencies: ["runbook", "RunbookLanguage"], exclude: ["golden"]),
    ],
    swiftLanguageModes: [.v6]
)

// The libFuzzer target, only for scripts/fuzz.sh (RUNBOOK_FUZZ=1): it has no `main` of its
// own, so an ordinary build cannot link it.
if ProcessInfo.processInfo.environment["RUNBOOK_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(name: "RunbookFuzz", dependencies: ["RunbookLanguage"], path: "Sources/RunbookFuzz"))
}

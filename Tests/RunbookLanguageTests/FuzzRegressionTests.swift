import Foundation
import RunbookTestSupport
import Testing

/// Inputs that once broke a property (found by the fuzzer or in development), kept so
/// they never break one again. Add each new crashing input as a file in FuzzRegressions/.
let regressionFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzRegressions")

@Test("fuzz regression", arguments: (try? FileManager.default.contentsOfDirectory(atPath: regressionFolder.path))?.sorted() ?? [])
func fuzzRegression(file: String) throws {
    let bytes = try [UInt8](Data(contentsOf: regressionFolder.appendingPathComponent(file)))
    #expect(SelfCheck.brokenProperties(bytes) == [])
}

@Test func regressionInputsExist() throws {
    #expect(try FileManager.default.contentsOfDirectory(atPath: regressionFolder.path).count >= 6)
}

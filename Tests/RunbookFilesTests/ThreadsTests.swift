import RunbookLanguage
import RunbookTestSupport
import Testing

@testable import RunbookFiles

/// A source large enough to be parsed in halves on two threads, as a file is: the same
/// form as one pass, and lines numbered on from the first half.
@Test func aLargeSourceParsesOnTwoThreadsAsInOnePass() throws {
    var text = "admin boss\nuser " + (0..<2_000).map { "u\($0)" }.joined(separator: ", ") + "\nas boss connect\n"
    var i = 0
    while text.utf8.count < Parser.halvesThreshold + 1_000 {
        text += "as boss grant u\(i % 2_000) # granted\nexpect u\(i % 2_000) connected\nas boss revoke u\(i % 2_000)\n"
        i += 1
    }
    text += "expect nobody connected\n"
    let source = SourceFile(name: "large", text: text)
    var started = false
    let halves = Parser.parse(source) { work in
        started = true
        return Worker(work).map { worker in worker.join }
    }
    #expect(started)
    #expect(Form.difference(halves, Parser.parse(source)) == nil)
    #expect(Form.difference(Parser.parseUsingThreads(source), Parser.parse(source)) == nil)
    var session = Session()
    session.describesEvents = false
    let result = try session.run(#require(halves.program))
    #expect(result.status == .stopped && result.diagnostics.first?.location.hasPrefix("large:\(3 + 3 * i + 1):") == true)
}

import RunbookTestSupport

/// libFuzzer's entry point: bytes through the lexer, the parser, the formatter and the
/// interpreter (`SelfCheck` states the properties); a broken property traps, and libFuzzer
/// keeps the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let broken = SelfCheck.brokenProperties(Array(UnsafeBufferPointer(start: data, count: size)))
    precondition(broken.isEmpty, broken.joined(separator: "; "))
    return 0
}

import Foundation
import RunbookLanguage
import Testing

@testable import RunbookFiles

/// The text of a source, whole.
private func text(_ source: SourceFile) -> String { source.text(0..<source.bytes.count) }

/// A runbook of about `size` bytes, each line numbered so that a lost or repeated piece shows.
private func runbook(bytes size: Int) -> String {
    var text = ""
    var i = 0
    while text.utf8.count < size {
        text += "as admin\(i) connect\n"
        i += 1
    }
    return text
}

/// A file is read whole, whether it is read into memory or mapped (past a megabyte).
@Test(arguments: [0, 100, SourceFile.mappingThreshold + 100])
func aFileIsReadWhole(size: Int) throws {
    let folder = try Folder()
    let expected = runbook(bytes: size)
    try expected.write(toFile: folder.at("a.runbook"), atomically: false, encoding: .utf8)
    #expect(try text(SourceFile.read(folder.at("a.runbook"))) == expected)
}

/// A pipe is read as its bytes arrive, in pieces, past the first buffer's size.
@Test func aPipeIsReadWholeAsItArrives() throws {
    let pipe = Pipe()
    let expected = runbook(bytes: 300_000)
    let writer = Thread {
        let bytes = Data(expected.utf8)
        var offset = 0
        while offset < bytes.count {
            let piece = bytes[offset..<min(offset + 7_001, bytes.count)]
            pipe.fileHandleForWriting.write(piece)
            offset += piece.count
        }
        try? pipe.fileHandleForWriting.close()
    }
    writer.start()
    let source = try SourceFile.read("/proc/self/fd/\(pipe.fileHandleForReading.fileDescriptor)")
    #expect(text(source) == expected)
}

/// A folder is not a runbook.
@Test func aFolderIsRefused() throws {
    let folder = try Folder()
    #expect(throws: InputError(path: folder.path, reason: Words.FileReason.isDirectory.text)) {
        try SourceFile.read(folder.path)
    }
}

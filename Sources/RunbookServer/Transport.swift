import FoundationEssentials
import RunbookFiles

/// Serves the protocol over a byte stream until `exit` or the end of the input; returns
/// the status to exit with.
///
/// Every message that has arrived is handed to the server in one batch. A body that
/// stalls (no input for a while, or the end of it) and holds the start of another
/// message is given up, so that a `Content-Length` too large costs one message, not the
/// rest of the session.
package func serve(_ server: inout LanguageServer, input: inout some ByteInput, output: inout some ByteOutput) -> Int32 {
    var reader = FrameReader()
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var ended = false

    /// Reads into the reader; `true` when something arrived.
    func pump(waiting milliseconds: Int32) -> Bool {
        let result = chunk.withUnsafeMutableBytes { input.read(into: $0, waiting: milliseconds) }
        switch result {
        case .bytes(let n):
            chunk.withUnsafeBytes { reader.append(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            return true
        case .nothingYet:
            return false
        case .ended:
            ended = true
            return false
        }
    }

    while true {
        // Everything that has arrived, up to a few megabytes, without waiting.
        var taken = 0
        while !ended && taken < 1 << 22 && pump(waiting: 0) { taken += chunk.count }
        var frames: [Frame] = []
        while let frame = reader.next() { frames.append(frame) }
        if frames.isEmpty {
            if !ended && pump(waiting: reader.isInsideBody ? 200 : -1) { continue }
            // Input stalled or ended inside a body: the messages cut into it are still read.
            guard let given = reader.abandonTruncatedBody() else {
                if ended { return server.statusAtEndOfInput }
                continue
            }
            frames.append(given)
        }
        for message in server.receive(frames) where !output.write(framed(message)) {
            return server.statusAtEndOfInput
        }
        if let status = server.exitStatus { return status }
    }
}

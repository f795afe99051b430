import Foundation
import Testing

@testable import RunbookServer

/// A client of the language server for tests: it hands messages to the server in memory,
/// as an editor's would arrive, and reads back what a client sees, as JSON.
struct TestClient {
    var server = LanguageServer()
    /// Every message the server sent, in order.
    var received: [[String: Any]] = []
    private var nextID = 1

    static let uri = "file:///work/test.runbook"

    /// A client that has initialized the server, offering `encodings`.
    static func started(encodings: [String]? = nil, options: Any? = nil, rootUri: String? = nil) -> TestClient {
        var client = TestClient()
        var params: [String: Any] = ["capabilities": encodings.map { ["general": ["positionEncodings": $0]] } ?? [:]]
        if let options { params["initializationOptions"] = options }
        if let rootUri { params["rootUri"] = rootUri }
        _ = client.request("initialize", params)
        client.notify("initialized", [:])
        return client
    }

    /// Sends messages in one batch; returns what the server sent back.
    @discardableResult
    mutating func send(_ messages: [[String: Any]]) -> [[String: Any]] {
        let frames = messages.map { Frame.message(try! JSONSerialization.data(withJSONObject: $0)) }
        return receive(frames)
    }

    /// Hands frames to the server; returns what it sent back.
    @discardableResult
    mutating func receive(_ frames: [Frame]) -> [[String: Any]] {
        let out = server.receive(frames).map { try! JSONSerialization.jsonObject(with: $0) as! [String: Any] }
        received += out
        return out
    }

    /// Sends a request; returns its response.
    mutating func request(_ method: String, _ params: [String: Any]) -> [String: Any] {
        let id = nextID
        nextID += 1
        let out = send([["jsonrpc": "2.0", "id": id, "method": method, "params": params]])
        return out.first { ($0["id"] as? Int) == id } ?? [:]
    }

    /// A request's result (which must not be an error).
    mutating func result(_ method: String, _ params: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) -> Any? {
        let response = request(method, params)
        #expect(response["error"] == nil, "\(method): \(response)", sourceLocation: sourceLocation)
        return response["result"].flatMap { $0 is NSNull ? nil : $0 }
    }

    @discardableResult
    mutating func notify(_ method: String, _ params: [String: Any]) -> [[String: Any]] {
        send([["jsonrpc": "2.0", "method": method, "params": params]])
    }

    // MARK: Documents

    mutating func open(_ text: String, uri: String = TestClient.uri, version: Int = 1) {
        notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "runbook", "version": version, "text": text]])
    }

    /// Replaces the range from `start` to `end` (line, character) with `text`.
    mutating func change(_ start: (Int, Int), _ end: (Int, Int), to text: String, version: Int, uri: String = TestClient.uri) {
        notify(
            "textDocument/didChange",
            [
                "textDocument": ["uri": uri, "version": version],
                "contentChanges": [["range": range(start, end), "text": text]],
            ])
    }

    /// The diagnostics last published for `uri`.
    func diagnostics(_ uri: String = TestClient.uri) -> [[String: Any]] {
        let published = received.last {
            $0["method"] as? String == "textDocument/publishDiagnostics" && ($0["params"] as! [String: Any])["uri"] as? String == uri
        }
        return (published?["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]] ?? []
    }

    /// The version of the diagnostics last published for `uri`.
    func publishedVersion(_ uri: String = TestClient.uri) -> Int? {
        let published = received.last { $0["method"] as? String == "textDocument/publishDiagnostics" }
        return (published?["params"] as? [String: Any])?["version"] as? Int
    }

    // MARK: Parameters

    func position(_ line: Int, _ character: Int) -> [String: Any] {
        ["textDocument": ["uri": TestClient.uri], "position": ["line": line, "character": character]]
    }

    func range(_ start: (Int, Int), _ end: (Int, Int)) -> [String: Any] {
        ["start": ["line": start.0, "character": start.1], "end": ["line": end.0, "character": end.1]]
    }

    var document: [String: Any] { ["textDocument": ["uri": TestClient.uri]] }
}

/// `(line, character)` of a protocol position.
func at(_ position: Any?) -> [Int] {
    let p = position as! [String: Any]
    return [p["line"] as! Int, p["character"] as! Int]
}

/// `[start line, start character, end line, end character]` of a protocol range.
func span(_ range: Any?) -> [Int] {
    let r = range as! [String: Any]
    return at(r["start"]) + at(r["end"])
}

/// Applies protocol text edits (ranges in UTF-16, from the text as it was) to a text, as
/// an editor would.
func applying(_ edits: [[String: Any]], to text: String) -> String {
    let lines = text.components(separatedBy: "\n").map { Array($0.utf16) }
    func offset(_ line: Int, _ character: Int) -> Int {
        lines[..<line].reduce(0) { $0 + $1.count + 1 } + character
    }
    let replacements = edits.map { edit -> (Range<Int>, String) in
        let s = span(edit["range"])
        return (offset(s[0], s[1])..<offset(s[2], s[3]), edit["newText"] as! String)
    }
    var units = Array(text.utf16)
    for (range, newText) in replacements.sorted(by: { $0.0.lowerBound > $1.0.lowerBound }) {
        units.replaceSubrange(range, with: Array(newText.utf16))
    }
    return String(decoding: units, as: UTF16.self)
}

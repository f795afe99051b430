import ConnectionCore
import Foundation
import RunbookFiles
import RunbookLanguage
import RunbookTestSupport
import Testing

@testable import RunbookServer

/// The documented handoff done in two orders, with names and comments that are not ASCII.
let handoff = """
    # the team of Åsa 日本語 😀
    admin adminA, adminB
    user bob, "Åsa 😀"
    as adminA connect
    as adminA grant adminB, bob, "Åsa 😀"

    scenario "wrong order" {
      as adminB connect
    }

    scenario "right order" {
      as adminA revoke adminB
      as adminB connect
      as adminA disconnect
      expect bob, "Åsa 😀" connected
    }

    scenario "names" {
      expect "Åsa 😀", adminA has access
    }

    """

// MARK: - Lifecycle

@Test func requestsBeforeInitializeAndUnknownMethodsGetTheProtocolsErrors() {
    var client = TestClient()
    #expect((client.request("textDocument/hover", [:])["error"] as! [String: Any])["code"] as? Int == -32002)
    // Notifications before `initialize` are dropped, not answered.
    #expect(client.notify("textDocument/didOpen", [:]).isEmpty)
    let initialize = client.request("initialize", ["capabilities": [:]])
    let capabilities = (initialize["result"] as! [String: Any])["capabilities"] as! [String: Any]
    #expect(capabilities["positionEncoding"] as? String == "utf-16")
    #expect((capabilities["textDocumentSync"] as! [String: Any])["change"] as? Int == 2)
    for provider in [
        "hoverProvider", "completionProvider", "definitionProvider", "referencesProvider", "renameProvider",
        "documentSymbolProvider", "foldingRangeProvider", "documentFormattingProvider", "codeActionProvider",
        "inlayHintProvider", "semanticTokensProvider",
    ] {
        #expect(capabilities[provider] != nil, "\(provider)")
    }
    #expect((client.request("initialize", [:])["error"] as! [String: Any])["code"] as? Int == -32600)
    #expect((client.request("workspace/frobnicate", [:])["error"] as! [String: Any])["code"] as? Int == -32601)
    // Unknown notifications are ignored.
    #expect(client.notify("workspace/frobnicated", [:]).isEmpty)
    #expect((client.request("textDocument/hover", ["nonsense": 1])["error"] as! [String: Any])["code"] as? Int == -32602)
    #expect((client.request("textDocument/hover", client.position(0, 0))["error"] as! [String: Any])["code"] as? Int == -32803)
    #expect(client.request("shutdown", [:])["result"] is NSNull)
    #expect((client.request("textDocument/hover", [:])["error"] as! [String: Any])["code"] as? Int == -32600)
    #expect(client.server.exitStatus == nil)
    client.notify("exit", [:])
    #expect(client.server.exitStatus == 0)
}

@Test func exitWithoutShutdownIsStatusOne() {
    var client = TestClient.started()
    #expect(client.server.statusAtEndOfInput == 1)
    client.notify("exit", [:])
    #expect(client.server.exitStatus == 1)
}

@Test func utf8PositionsWhenTheClientOffersThem() {
    let client = TestClient.started(encodings: ["utf-8", "utf-16"])
    #expect(client.server.encoding == .utf8)
    #expect(TestClient.started(encodings: ["utf-32", "utf-16"]).server.encoding == .utf16)
}

@Test func aCancelledRequestIsAnsweredAsCancelled() {
    var client = TestClient.started()
    client.open(handoff)
    let out = client.send([
        ["jsonrpc": "2.0", "id": 41, "method": "textDocument/hover", "params": client.position(3, 3)],
        ["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": 41]],
        ["jsonrpc": "2.0", "id": 42, "method": "textDocument/hover", "params": client.position(3, 3)],
    ])
    let cancelled = out.first { $0["id"] as? Int == 41 }!
    #expect((cancelled["error"] as! [String: Any])["code"] as? Int == -32800)
    #expect(out.first { $0["id"] as? Int == 42 }?["result"] is [String: Any])
}

// MARK: - Malformed input

@Test func malformedMessagesAreAnsweredAndLoggedNeverFatal() {
    var client = TestClient.started()
    var out = client.receive([.message(Data("{\"jsonrpc\": \"2.0\", \"id\": 3, ".utf8))])
    #expect((out[0]["error"] as! [String: Any])["code"] as? Int == -32700)
    #expect(out[0]["id"] is NSNull)
    #expect(out.contains { $0["method"] as? String == "window/logMessage" })
    out = client.receive([.message(Data("[1, 2]".utf8)), .message(Data("{\"jsonrpc\": \"2.0\", \"id\": 4}".utf8))])
    // JSON that is not a message is an invalid request, not a parse error.
    let errors = out.compactMap { $0["error"] as? [String: Any] }
    #expect(errors.map { $0["code"] as? Int } == [-32600, -32600])
    #expect(errors[0]["message"] as? String == "the message is not a JSON-RPC request or notification")
    // An id that is neither a number nor a string makes no request.
    out = client.receive([.message(Data("{\"jsonrpc\": \"2.0\", \"id\": {\"a\": 1}, \"method\": \"shutdown\"}".utf8))])
    #expect((out[0]["error"] as! [String: Any])["code"] as? Int == -32600)
    out = client.receive([.malformed(.badHeader("Content-Length: ten"))])
    #expect((out[0]["error"] as! [String: Any])["code"] as? Int == -32700)
    // Parameters of the wrong shape, positions out of range: answered, nothing breaks.
    client.open("admin anna\n")
    #expect(client.request("textDocument/hover", client.position(-4, 99_999))["result"] != nil)
    #expect(client.request("textDocument/hover", client.position(99_999, 0))["result"] != nil)
    client.change((99, 99), (-1, -7), to: "user ben\n", version: 2)
    #expect(client.diagnostics().isEmpty)
    #expect(client.request("textDocument/completion", ["textDocument": ["uri": 7]])["error"] != nil)
    // The server still works.
    #expect(client.result("textDocument/hover", client.position(0, 7)) != nil)
}

@Test func aDocumentWithBytesThatAreNotUTF8IsReadWithThemReplaced() {
    var client = TestClient.started()
    var body = Data(
        #"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///work/test.runbook","languageId":"runbook","version":1,"text":"admin a\nuser "#
            .utf8)
    body += [0xFF, 0xC3]
    body += Data(#"b\n"}}}"#.utf8)
    let out = client.receive([.message(body)])
    #expect(out.contains { ($0["params"] as? [String: Any])?["message"] as? String == ServerLog.invalidUTF8 })
    let diagnostics = client.diagnostics()
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?["code"] as? String == "unexpected-characters")
    #expect(span(diagnostics.first?["range"]) == [1, 5, 1, 8])
}

/// A document change holding a lone surrogate escape is no text: it is logged to the client
/// as every malformed message is, and the document keeps its text and its diagnostics.
/// JSON nested past the limit is answered as too deeply nested, by id when it can be read.
@Test func loneSurrogatesAndDeepNestingAreLoggedAndChangeNothing() throws {
    var client = TestClient.started()
    client.open("admin a\nas a disconnect\n")
    let before = client.diagnostics()
    #expect(before.count == 1)
    let change =
        #"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///work/test.runbook","#
        + #""version":2},"contentChanges":[{"text":"admin a\nuser \ud800b\n"}]}}"#
    let out = client.receive([.message(Data(change.utf8))])
    let logged = out.filter { $0["method"] as? String == "window/logMessage" }.compactMap {
        ($0["params"] as? [String: Any])?["message"] as? String
    }
    #expect(logged == ["the message holds a lone surrogate escape '\\ud800', which is no character; ignored"])
    #expect(!out.contains { $0["method"] as? String == "textDocument/publishDiagnostics" })
    #expect(client.diagnostics().map { $0["message"] as? String } == before.map { $0["message"] as? String })
    // A pair of surrogates is one character, and a change like any other.
    let pair = change.replacing(#"\ud800b"#, with: #"\ud83d\ude80"#)
    client.receive([.message(Data(pair.utf8))])
    #expect(client.diagnostics().first?["code"] as? String == "unexpected-characters")

    func nested(_ depth: Int, id: Int) -> Frame {
        let params = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        return .message(Data((#"{"jsonrpc":"2.0","id":\#(id),"method":"textDocument/hover","params":"# + params + "}").utf8))
    }
    for (depth, id) in [(300, 7), (2_000, 8)] {
        let answer = try #require(client.receive([nested(depth, id: id)]).first { $0["error"] != nil })
        let error = answer["error"] as? [String: Any]
        #expect(error?["code"] as? Int == -32700)
        #expect((error?["message"] as? String)?.hasPrefix("the message is too deeply nested") == true, "\(answer)")
        // The id is read when the decoder can read it; past its own limit, it cannot.
        #expect(depth < 500 ? answer["id"] as? Int == id : answer["id"] is NSNull)
    }
    #expect(client.result("textDocument/hover", client.position(0, 6)) != nil)
}

/// Links to the product page follow the client's locale: Swedish for Swedish, else English.
@Test(arguments: [("sv-SE", "sv"), ("sv", "sv"), ("en-US", "en"), ("de", "en"), (nil, "en")])
func ruleLinksFollowTheClientsLocale(locale: String?, language: String) {
    var client = TestClient()
    var params: [String: Any] = ["capabilities": [String: Any]()]
    if let locale { params["locale"] = locale }
    _ = client.request("initialize", params)
    client.notify("initialized", [:])
    client.open("admin a\nas a disconnect\n")
    let href = (client.diagnostics().first?["codeDescription"] as? [String: Any])?["href"] as? String
    #expect(href?.hasPrefix("https://experienceleague.adobe.com/\(language)/docs/marketo/") == true, "\(String(describing: href))")
}

// MARK: - Framing and the stream

/// Input a test holds: its chunks arrive one read at a time; an empty chunk is a read
/// that finds nothing yet.
struct ChunkedInput: ByteInput {
    var chunks: [[UInt8]]

    mutating func read(into buffer: UnsafeMutableRawBufferPointer, waiting milliseconds: Int32) -> ReadResult {
        guard !chunks.isEmpty else { return .ended }
        if chunks[0].isEmpty {
            chunks.removeFirst()
            return .nothingYet
        }
        let n = min(buffer.count, chunks[0].count)
        chunks[0].withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[..<n])) }
        chunks[0].removeFirst(n)
        if chunks[0].isEmpty { chunks.removeFirst() }
        return .bytes(n)
    }
}

struct CollectedOutput: ByteOutput {
    var bytes = Data()

    mutating func write(_ data: Data) -> Bool {
        bytes += data
        return true
    }

    /// The messages written, read back through the framing.
    var messages: [[String: Any]] {
        var reader = FrameReader()
        bytes.withUnsafeBytes { reader.append($0) }
        var out: [[String: Any]] = []
        while case .message(let body)? = reader.next() { out.append(try! JSONSerialization.jsonObject(with: body) as! [String: Any]) }
        return out
    }
}

func framedJSON(_ message: [String: Any]) -> [UInt8] {
    Array(framed(try! JSONSerialization.data(withJSONObject: message)))
}

/// Serves `chunks` and returns the exit status and the messages written.
func serveChunks(_ chunks: [[UInt8]]) -> (status: Int32, messages: [[String: Any]]) {
    var server = LanguageServer()
    var input = ChunkedInput(chunks: chunks)
    var output = CollectedOutput()
    let status = serve(&server, input: &input, output: &output)
    return (status, output.messages)
}

let initializeMessage = framedJSON(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": ["capabilities": [:]]])
let shutdownMessage = framedJSON(["jsonrpc": "2.0", "id": 99, "method": "shutdown"])

@Test func messagesSplitAnywhereAreReadWhole() {
    let all = initializeMessage + shutdownMessage + framedJSON(["jsonrpc": "2.0", "method": "exit"])
    // Byte by byte, and all at once: the same answers.
    for chunks in [all.map { [$0] }, [all]] {
        let (status, messages) = serveChunks(chunks)
        #expect(status == 0)
        #expect(messages.map { $0["id"] as? Int } == [1, 99])
    }
}

@Test func theEndOfTheInputEndsTheServer() {
    #expect(serveChunks([initializeMessage]).status == 1)
    #expect(serveChunks([initializeMessage + shutdownMessage]).status == 0)
    // Ending inside a header or a body is the end too.
    #expect(serveChunks([initializeMessage + Array("Content-Length: 50\r\n\r\n{\"jso".utf8)]).status == 1)
}

@Test func badFramingIsAnsweredAndTheNextMessageStillRead() {
    let huge = Array(String(repeating: "X-Junk: 1\r\n", count: 2_000).utf8)
    let cases: [(name: String, bytes: [UInt8])] = [
        ("a header without Content-Length", Array("Content-Type: text\r\n\r\n".utf8)),
        ("a Content-Length that is not a number", Array("Content-Length: -3\r\n\r\n".utf8)),
        ("a header longer than any", Array("Content-Length: 10\r\n".utf8) + huge),
        ("bytes before a header", Array("hello there\r\n".utf8)),
        ("a body larger than the server takes", Array("Content-Length: 999999999999\r\n\r\n{}".utf8)),
    ]
    for c in cases {
        let (_, messages) = serveChunks([initializeMessage, c.bytes, shutdownMessage])
        #expect(messages.contains { $0["id"] as? Int == 99 }, "\(c.name)")
        #expect(messages.contains { ($0["error"] as? [String: Any])?["code"] as? Int == -32700 }, "\(c.name)")
    }
}

@Test func aContentLengthTooLargeCostsOneMessage() {
    // The first body claims 200 bytes; the next message starts after 20. When input stalls,
    // the cut body is given up and the next message is read.
    let short = Array("Content-Length: 200\r\n\r\n{\"jsonrpc\":\"2.0\"}   ".utf8)
    let exit = framedJSON(["jsonrpc": "2.0", "method": "exit"])
    var (status, messages) = serveChunks([initializeMessage, short + shutdownMessage, [], [], exit])
    #expect(status == 0)
    #expect(messages.contains { $0["id"] as? Int == 99 })
    #expect(messages.contains { (($0["params"] as? [String: Any])?["message"] as? String)?.contains("cut short") == true })
    // The same when the input ends there.
    (status, messages) = serveChunks([initializeMessage, short + shutdownMessage])
    #expect(status == 0)
    #expect(messages.contains { $0["id"] as? Int == 99 })
    #expect(messages.contains { (($0["params"] as? [String: Any])?["message"] as? String)?.contains("cut short") == true })
}

@Test func aContentLengthTooSmallIsAnsweredAndTheRestRead() {
    let long = Array("Content-Length: 10\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"shutdown\"}".utf8)
    let (_, messages) = serveChunks([initializeMessage, long, shutdownMessage])
    #expect(messages.contains { ($0["error"] as? [String: Any])?["code"] as? Int == -32700 })
    #expect(messages.contains { $0["id"] as? Int == 99 })
}

// MARK: - Diagnostics

@Test func diagnosticsForEachScenarioWithRuleCodeLinkAndHint() {
    var client = TestClient.started()
    client.open(handoff)
    let diagnostics = client.diagnostics()
    #expect(diagnostics.count == 2)
    let refused = diagnostics[0]
    #expect(span(refused["range"]) == [7, 2, 7, 19])
    #expect(refused["severity"] as? Int == 1)
    #expect(refused["code"] as? String == "access-blocks-connect")
    #expect(refused["message"] as? String == "adminB cannot connect while holding access granted on User Access")
    // A client that names no locale gets the English page.
    #expect((refused["codeDescription"] as? [String: Any])?["href"] as? String == Catalogue.page(of: .accessBlocksConnect, in: .english))
    #expect(
        (refused["codeDescription"] as? [String: Any])?["href"] as? String
            == "https://experienceleague.adobe.com/en/docs/marketo/using/product-docs/marketo-sales-insight/actions/admin/"
            + "connect-new-admin-to-marketo#update-your-marketo-connection")
    let related = refused["relatedInformation"] as! [[String: Any]]
    #expect(related.map { $0["message"] as? String } == ["the connected admin must revoke it first: as adminA revoke adminB"])
    // UTF-16: the emoji counts two.
    let failed = diagnostics[1]
    #expect(failed["code"] as? String == "failed-expectation")
    #expect(span(failed["range"]) == [18, 19, 18, 25])
    #expect(failed["message"] as? String == "expected adminA to hold access, but adminA is connected as an admin")
}

@Test func diagnosticsInUTF8CountBytes() {
    var client = TestClient.started(encodings: ["utf-8"])
    client.open(handoff)
    #expect(span(client.diagnostics()[1]["range"]) == [18, 22, 18, 28])
}

@Test func everySyntaxErrorIsReportedAndWhatTheyLeaveWholeIsRehearsed() {
    var client = TestClient.started()
    client.open("user bob\nas bob connect\nas bob conect\nexpect bob conected\nscenario \"s\" {\n  as bob connect\n")
    let diagnostics = client.diagnostics()
    // The background runs up to its first error: the refusal above the broken line shows.
    #expect(diagnostics.map { $0["code"] as? String } == ["expected", "expected", "expected", "connect-requires-admin", "not-run"])
    #expect(diagnostics.map { span($0["range"])[0] } == [2, 3, 6, 1, 4])
    #expect((diagnostics[0]["relatedInformation"] as! [[String: Any]])[0]["message"] as? String == "did you mean 'connect'?")
    // The scenario does not run after a background with an error, and says so on its title.
    #expect(diagnostics[4]["severity"] as? Int == 3)
    #expect(span(diagnostics[4]["range"]) == [4, 0, 4, 14])
    #expect(diagnostics[4]["message"] as? String == "not run: the background has an error on line 3")
}

@Test func scenariosWithoutErrorsRunBesideOneWithAnError() {
    var client = TestClient.started()
    client.open(
        "admin a\nuser bob\nscenario \"typed\" {\n  as a conect\n}\nscenario \"whole\" {\n  as bob connect\n}\n"
            + "scenario \"held\" {\n  expect owner none\n}\n")
    let diagnostics = client.diagnostics()
    #expect(diagnostics.map { $0["code"] as? String } == ["expected", "connect-requires-admin", "not-run"])
    #expect(diagnostics.map { span($0["range"])[0] } == [3, 6, 2])
    #expect(diagnostics[2]["message"] as? String == "not run: the scenario has an error on line 4")
    let hover = client.result("textDocument/hover", client.position(3, 3)) as! [String: Any]
    #expect((hover["contents"] as! [String: Any])["value"] as? String == "not run: the scenario has an error on line 4")
}

@Test func theBackgroundsStopIsReportedOnceAndEachScenarioSaysItDidNotRun() {
    var client = TestClient.started()
    client.open("user bob\nas bob connect\nscenario \"a\" {\n  show\n}\nscenario \"b\" {\n  show\n}\n")
    let diagnostics = client.diagnostics()
    #expect(diagnostics.map { $0["code"] as? String } == ["connect-requires-admin", "not-run", "not-run"])
    #expect(diagnostics.map { span($0["range"])[0] } == [1, 2, 5])
    #expect(diagnostics[1]["message"] as? String == "not run: the background stops at line 2")
    // A rule the product page does not state has no page to link to.
    client.open("admin anna\nas anna remove anna\n", uri: "file:///work/b.runbook")
    let d = client.diagnostics("file:///work/b.runbook")[0]
    #expect(d["code"] as? String == "remove-self")
    #expect(d["codeDescription"] == nil)
}

@Test func warningsArePublishedAsWarnings() {
    let client = TestClient.started()
    let analysis = Analysis(uri: TestClient.uri, version: 1, text: Array("admin anna\n".utf8), base: .instance(Instance()))
    let warning = Diagnostic(.warning, "anna and аnna look alike", in: analysis.source, at: 6..<10, id: .other)
    let published = client.server.protocolDiagnostic(warning, in: analysis)
    #expect(published.severity == 2)
    #expect(published.code == nil)
    #expect(published.range == LSPRange(start: Position(line: 0, character: 6), end: Position(line: 0, character: 10)))
}

@Test func aChangeThatFixesAnErrorClearsItsDiagnostic() {
    var client = TestClient.started()
    client.open("admin anna\nas anna conect\n")
    #expect(client.diagnostics().count == 1)
    client.change((1, 8), (1, 14), to: "connect", version: 2)
    #expect(client.diagnostics().isEmpty)
    #expect(client.publishedVersion() == 2)
    client.change((1, 8), (1, 9), to: "", version: 3)
    #expect(client.diagnostics().count == 1)
    // Closing a document clears its diagnostics.
    client.notify("textDocument/didClose", client.document)
    #expect(client.diagnostics().isEmpty)
}

@Test func changesInOneBatchPublishOnceFromTheNewestText() {
    var client = TestClient.started()
    client.open("admin anna\nas anna connect\n")
    let out = client.send(
        (2...6).map { version in
            [
                "jsonrpc": "2.0", "method": "textDocument/didChange",
                "params": [
                    "textDocument": ["uri": TestClient.uri, "version": version],
                    "contentChanges": [
                        ["text": "admin anna\nas anna connect\n" + String(repeating: "as anna connect\n", count: version % 2)]
                    ],
                ],
            ]
        })
    let published = out.filter { $0["method"] as? String == "textDocument/publishDiagnostics" }
    #expect(published.count == 1)
    #expect(client.publishedVersion() == 6)
    #expect(client.diagnostics().isEmpty)
}

@Test func aStateFileTheDocumentsRunAgainst() throws {
    let scratch = try Scratch()
    let state = scratch.url.appendingPathComponent("team.json")
    try Data(
        #"{"format":"runbook-state","version":1,"members":[{"name":"adminA","role":"admin"},{"name":"bob","role":"user"}],"connections":["adminA"],"grants":["bob"]}"#
            .utf8
    ).write(to: state)
    var client = TestClient.started(options: ["state": "team.json"], rootUri: scratch.url.absoluteString)
    client.open("as adminA disconnect\n")
    #expect(client.diagnostics().map { $0["code"] as? String } == ["disconnect-strands-users"])
    // A state file that cannot be used runs nothing: results against another would mislead.
    try Data("{".utf8).write(to: state)
    client = TestClient.started(options: ["state": state.path])
    client.open("expect owner none\n")
    let diagnostics = client.diagnostics()
    #expect(diagnostics.count == 1)
    #expect((diagnostics[0]["message"] as? String)?.contains("invalid state file: not valid JSON") == true)
}

@Test func aMissingStateFileIsOneDiagnosticAtTheTop() throws {
    let scratch = try Scratch()
    let missing = scratch.url.appendingPathComponent("teem.json").path
    var client = TestClient.started(options: ["state": missing])
    client.open("as adminA disconnect\nas bob connect\n")
    let diagnostics = client.diagnostics()
    #expect(diagnostics.count == 1)
    #expect(span(diagnostics[0]["range"]) == [0, 0, 0, 0])
    #expect(
        diagnostics[0]["message"] as? String
            == Words.notRun(state: Words.stateFile(missing, .unreadable, Words.FileReason.doesNotExist.text)))
}

@Test(arguments: [
    (#"{"State": "team.json"}"#, "initializationOptions has no key 'State'; the keys it reads: state"),
    (#"{"state": "team.json", "stat": "x"}"#, "initializationOptions has no key 'stat'; the keys it reads: state"),
    (#"{"state": 5}"#, #"initializationOptions.state is not a path: the server reads {"state": "PATH"}"#),
    (#""team.json""#, #"initializationOptions is not an object; the server reads {"state": "PATH"}"#),
    (#"["team.json"]"#, #"initializationOptions is not an object; the server reads {"state": "PATH"}"#),
])
func optionsTheServerDoesNotReadAreOneDiagnosticAtTheTop(options: String, problem: String) throws {
    var client = TestClient.started(options: try JSONSerialization.jsonObject(with: Data(options.utf8), options: .fragmentsAllowed))
    client.open("as adminA disconnect\nscenario \"s\" {\n  show\n}\n")
    let diagnostics = client.diagnostics()
    // Nothing runs against an empty instance in the state's place: no member is unknown.
    #expect(diagnostics.map { $0["message"] as? String } == [Words.notRun(state: problem), Words.notRun(state: problem)])
    #expect(diagnostics.map { span($0["range"]) } == [[0, 0, 0, 0], [1, 0, 1, 14]])
}

@Test func aNullStateIsNoState() {
    var client = TestClient.started(options: ["state": NSNull()])
    client.open("admin a\n")
    #expect(client.diagnostics().isEmpty)
}

// MARK: - Hover

@Test func hoverShowsTheStateAfterAStatement() {
    var client = TestClient.started()
    client.open(handoff)
    let hover = client.result("textDocument/hover", client.position(4, 1)) as! [String: Any]
    #expect(span(hover["range"]) == [4, 0, 4, 37])
    #expect(
        (hover["contents"] as! [String: Any])["value"] as? String == """
            adminA granted adminB, bob and "Åsa 😀" access

            owner: adminA (admin connections: adminA)
            connected: adminA, adminB, bob and "Åsa 😀"
            would lose access if adminA disconnected now: adminB, bob and "Åsa 😀"
            """)
    let refused = client.result("textDocument/hover", client.position(7, 3)) as! [String: Any]
    #expect(((refused["contents"] as! [String: Any])["value"] as! String).hasPrefix("adminB cannot connect while holding access"))
    #expect(((refused["contents"] as! [String: Any])["value"] as! String).contains("nothing changed"))
}

@Test func hoverOnAMemberShowsItsRoleAndStatusAtThatPoint() {
    var client = TestClient.started()
    client.open(handoff)
    // `"Åsa 😀"` in the grant: after the emoji of the line before it, in UTF-16.
    let hover = client.result("textDocument/hover", client.position(4, 32)) as! [String: Any]
    #expect(span(hover["range"]) == [4, 29, 4, 37])
    #expect(
        (hover["contents"] as! [String: Any])["value"] as? String
            == "before this step: \"Åsa 😀\" is a user, not connected\nafter it: \"Åsa 😀\" is a user, connected through access")
    let owner = client.result("textDocument/hover", client.position(12, 5)) as! [String: Any]
    #expect(
        (owner["contents"] as! [String: Any])["value"] as? String
            == "before this step: adminB is an admin, not connected\nafter it: adminB is an admin, connected, owner")
}

@Test func hoverOnARuleIdExplainsIt() {
    var client = TestClient.started()
    client.open("admin a\nexpect violation disconnect-requires-connection as a disconnect\n")
    let hover = client.result("textDocument/hover", client.position(1, 20)) as! [String: Any]
    #expect(span(hover["range"]) == [1, 17, 1, 47])
    let text = (hover["contents"] as! [String: Any])["value"] as! String
    #expect(text == Catalogue.explain(.disconnectRequiresConnection))
    #expect(text.contains(RuleID.disconnectRequiresConnection.rule.seedQuote!))
}

@Test func hoverOnStatementsThatDoNotRunSaysWhy() {
    var client = TestClient.started()
    client.open("admin a\nas a disconnect\nshow\n")
    let hover = client.result("textDocument/hover", client.position(2, 1)) as! [String: Any]
    #expect((hover["contents"] as! [String: Any])["value"] as? String == Words.notRun(stoppedAt: 2))
    client.open("admin a\nas a disconect\nshow\n")
    let above = client.result("textDocument/hover", client.position(0, 1)) as! [String: Any]
    #expect(
        (above["contents"] as! [String: Any])["value"] as? String
            == "a joined the instance as an admin\n\nowner: none (the integration is not live)\nconnected: nobody")
    for line in [1, 2] {
        let below = client.result("textDocument/hover", client.position(line, 1)) as! [String: Any]
        #expect((below["contents"] as! [String: Any])["value"] as? String == "not run: the background has an error on line 2")
    }
}

// MARK: - Completion

func labels(_ completion: Any?) -> [String] {
    ((completion as! [String: Any])["items"] as! [[String: Any]]).map { $0["label"] as! String }
}

func kinds(_ completion: Any?) -> Set<Int> {
    Set(((completion as! [String: Any])["items"] as! [[String: Any]]).map { $0["kind"] as! Int })
}

@Test func completionOffersWhatTheGrammarAcceptsWithKinds() {
    var client = TestClient.started()
    client.open("admin anna, \"Anna Berg\"\nuser bob\nas anna \nas \nexpect violation \nexp\nscenario \"s\" {\n  user carl\n  as \n}\n")
    let verbs = client.result("textDocument/completion", client.position(2, 8))
    #expect(labels(verbs) == ["connect", "disconnect", "grant", "revoke", "remove"])
    #expect(kinds(verbs) == [3])
    let members = client.result("textDocument/completion", client.position(3, 3))
    #expect(labels(members) == ["anna", "\"Anna Berg\"", "bob"])
    #expect(kinds(members) == [6])
    let rules = client.result("textDocument/completion", client.position(4, 17))
    #expect(labels(rules).contains("disconnect-strands-users") && labels(rules).contains("as"))
    #expect(kinds(rules) == [20, 14])
    // A word being typed is replaced whole.
    let keywords = client.result("textDocument/completion", client.position(5, 3))
    #expect(labels(keywords) == ["admin", "user", "as", "expect", "show", "scenario"])
    let item = ((keywords as! [String: Any])["items"] as! [[String: Any]])[3]
    #expect(span((item["textEdit"] as! [String: Any])["range"]) == [5, 0, 5, 3])
    // Inside a scenario, the members it declares before the cursor too.
    #expect(labels(client.result("textDocument/completion", client.position(8, 5))) == ["anna", "\"Anna Berg\"", "bob", "carl"])
    // Nothing inside a comment.
    client.open("# as \n")
    #expect(labels(client.result("textDocument/completion", client.position(0, 5))).isEmpty)
}

// MARK: - Names

@Test func definitionAndReferencesOfAMember() {
    var client = TestClient.started()
    client.open(handoff)
    let definition = client.result("textDocument/definition", client.position(13, 6)) as! [String: Any]
    #expect(definition["uri"] as? String == TestClient.uri)
    #expect(span(definition["range"]) == [1, 6, 1, 12])
    var params = client.position(2, 12)
    params["context"] = ["includeDeclaration": true]
    let uses = (client.result("textDocument/references", params) as! [[String: Any]]).map { span($0["range"]) }
    #expect(uses == [[2, 10, 2, 18], [4, 29, 4, 37], [14, 14, 14, 22], [18, 9, 18, 17]])
    params["context"] = ["includeDeclaration": false]
    #expect((client.result("textDocument/references", params) as! [[String: Any]]).count == 3)
    #expect(client.result("textDocument/definition", client.position(5, 0)) == nil)
}

@Test func renameSpellsEveryUseAndRefusesTakenOrInvalidNames() {
    var client = TestClient.started()
    client.open(handoff)
    let prepared = client.result("textDocument/prepareRename", client.position(2, 6)) as! [String: Any]
    #expect(span(prepared["range"]) == [2, 5, 2, 8])
    #expect(prepared["placeholder"] as? String == "bob")
    var params = client.position(2, 6)
    params["newName"] = "Bob Berg"
    let edit = client.result("textDocument/rename", params) as! [String: Any]
    let edits = (edit["changes"] as! [String: Any])[TestClient.uri] as! [[String: Any]]
    #expect(edits.count == 3)
    #expect(Set(edits.map { $0["newText"] as! String }) == ["\"Bob Berg\""])
    let renamed = applying(edits, to: handoff)
    #expect(renamed.contains("user \"Bob Berg\", \"Åsa 😀\"") && !renamed.contains("bob"))
    for (name, says) in [
        ("adminA", "adminA is already a name in this runbook"),
        ("", "a name cannot be empty"),
        ("a\u{7}b", #""a\u{7}b" is not a valid name"#),
        ("a\u{202E}b", #""a\u{202E}b" is not a valid name"#),
    ] {
        params["newName"] = name
        let error = client.request("textDocument/rename", params)["error"] as? [String: Any]
        #expect(error?["code"] as? Int == -32803, "\(name)")
        #expect((error?["message"] as? String)?.contains(says) == true, "\(name): \(String(describing: error))")
    }
}

@Test func renameWorksWithASyntaxErrorElsewhere() {
    var client = TestClient.started()
    let text = "admin anna, ben\nas anna conect\nas anna grant ben\n"
    client.open(text)
    var params = client.position(2, 15)
    params["newName"] = "bert"
    let edit = client.result("textDocument/rename", params) as! [String: Any]
    let edits = (edit["changes"] as! [String: Any])[TestClient.uri] as! [[String: Any]]
    #expect(applying(edits, to: text) == "admin anna, bert\nas anna conect\nas anna grant bert\n")
    // A name the broken line read before its error is renamed there too.
    params = client.position(2, 4)
    params["newName"] = "ann"
    let actor = client.result("textDocument/rename", params) as! [String: Any]
    let actorEdits = (actor["changes"] as! [String: Any])[TestClient.uri] as! [[String: Any]]
    #expect(applying(actorEdits, to: text) == "admin ann, ben\nas ann conect\nas ann grant ben\n")
}

@Test func hoverWorksAroundABrokenLine() {
    var client = TestClient.started()
    client.open("admin a\nas a conect\nexpect violation disconnect-requires-connection as a disconnect\n")
    let rule = client.result("textDocument/hover", client.position(2, 20)) as! [String: Any]
    #expect(span(rule["range"]) == [2, 17, 2, 47])
    #expect((rule["contents"] as! [String: Any])["value"] as? String == Catalogue.explain(.disconnectRequiresConnection))
    let name = client.result("textDocument/hover", client.position(2, 52)) as! [String: Any]
    #expect(span(name["range"]) == [2, 51, 2, 52])
    let onTheBrokenLine = client.result("textDocument/hover", client.position(1, 3)) as! [String: Any]
    #expect(span(onTheBrokenLine["range"]) == [1, 3, 1, 4])
}

// MARK: - Outline, formatting, fixes

@Test func symbolsAndFoldingRanges() {
    var client = TestClient.started()
    client.open(handoff)
    let symbols = client.result("textDocument/documentSymbol", client.document) as! [[String: Any]]
    #expect(
        symbols.map { $0["name"] as! String } == [
            "adminA", "adminB", "bob", "\"Åsa 😀\"", "\"wrong order\"", "\"right order\"", "\"names\"",
        ])
    #expect(symbols.map { $0["detail"] as! String } == ["admin", "admin", "user", "user", "scenario", "scenario", "scenario"])
    #expect(span(symbols[4]["range"]) == [6, 0, 8, 1])
    let folds = client.result("textDocument/foldingRange", client.document) as! [[String: Any]]
    #expect(folds.map { [$0["startLine"] as! Int, $0["endLine"] as! Int] } == [[6, 7], [10, 14], [17, 18]])
    // A `}` after the last statement, on its line, folds with it.
    var compact = TestClient.started()
    compact.open("admin a\nscenario \"s\" {\n  as a connect\n  expect owner a }\n")
    let compactFolds = compact.result("textDocument/foldingRange", compact.document) as! [[String: Any]]
    #expect(compactFolds.map { [$0["startLine"] as! Int, $0["endLine"] as! Int] } == [[1, 3]])
}

/// An outline lists at most 10,000 symbols, in document order, and says how many more there
/// are; its reply is written one symbol at a time.
@Test func anOutlineOfTooManyMembersIsCutAndSaysSo() throws {
    var client = TestClient.started()
    let lines = (0..<600).map { line in "user " + (0..<20).map { "u\(line)_\($0)" }.joined(separator: ", ") }
    client.open(lines.joined(separator: "\n") + "\nscenario \"s\" {\n  admin boss\n}\n")
    let id = 77
    let out = client.send([["jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol", "params": client.document]])
    let reply = try #require(out.first { $0["id"] as? Int == id })
    let symbols = try #require(reply["result"] as? [[String: Any]])
    #expect(symbols.count == 10_000)
    #expect(symbols.first?["name"] as? String == "u0_0" && symbols.last?["name"] as? String == "u499_19")
    let logged = out.compactMap { ($0["params"] as? [String: Any])?["message"] as? String }
    #expect(logged == ["the outline of \(TestClient.uri) lists its first 10,000 symbols; 2,002 more are left out"])
    // Under the limit, everything, and nothing said.
    client.open("admin a, b\nscenario \"s\" {\n  user c\n}\n")
    let small = client.send([["jsonrpc": "2.0", "id": id + 1, "method": "textDocument/documentSymbol", "params": client.document]])
    #expect(((small.first?["result"] as? [[String: Any]])?.count) == 3)
    #expect(small.count == 1)
}

@Test func formattingGivesTheCanonicalLayoutAndKeepsBrokenLines() {
    var client = TestClient.started()
    let messy = "# keep me\nadmin  anna,ben ;user \"carl\"\nscenario \"s\" {\nas anna connect   # on\n}\n"
    client.open(messy)
    let edits = client.result("textDocument/formatting", client.document) as! [[String: Any]]
    let expected = Formatter.format(Parser.parse(SourceFile(name: "", text: messy)))
    #expect(applying(edits, to: messy) == expected)
    // Only the lines that change are replaced.
    #expect(span(edits[0]["range"])[0] == 1)
    client.open(expected)
    #expect((client.result("textDocument/formatting", client.document) as! [Any]).isEmpty)
    // A line being typed stays as it is; the lines around it are formatted.
    let typing = "admin  anna,ben\nas anna   conect\nscenario \"s\" {\nas anna connect\n}\n"
    client.open(typing)
    let around = client.result("textDocument/formatting", client.document) as! [[String: Any]]
    #expect(
        applying(around, to: typing) == "admin anna, ben\nas anna   conect\n\nscenario \"s\" {\n  as anna connect\n}\n")
}

@Test func quickFixesInsertTheStepAHintNamesOrReplaceATypo() {
    var client = TestClient.started()
    client.open(handoff)
    var params = client.document
    params["range"] = client.range((7, 4), (7, 4))
    params["context"] = ["diagnostics": []]
    let actions = client.result("textDocument/codeAction", params) as! [[String: Any]]
    #expect(actions.map { $0["title"] as! String } == ["insert 'as adminA revoke adminB' above"])
    #expect(actions[0]["kind"] as? String == "quickfix")
    #expect(((actions[0]["diagnostics"] as! [[String: Any]])[0])["code"] as? String == "access-blocks-connect")
    let edits = ((actions[0]["edit"] as! [String: Any])["changes"] as! [String: Any])[TestClient.uri] as! [[String: Any]]
    let fixed = applying(edits, to: handoff)
    #expect(fixed.contains("scenario \"wrong order\" {\n  as adminA revoke adminB\n  as adminB connect\n}"))
    // Applied, the fix clears the refusal.
    client.change((7, 0), (7, 0), to: "  as adminA revoke adminB\n", version: 2)
    #expect(client.diagnostics().map { $0["code"] as? String } == ["failed-expectation"])

    client.open("admin anna\nas anna conect\nexpect violation already-conected as anna connect\n")
    params["range"] = client.range((1, 0), (2, 30))
    let typos = client.result("textDocument/codeAction", params) as! [[String: Any]]
    #expect(
        typos.map { $0["title"] as! String } == ["replace 'conect' with 'connect'", "replace 'already-conected' with 'already-connected'"])
}

@Test func quickFixesForRefusalsMakeTheRunbookPass() {
    // Each refusal whose hint names steps: the first fix, applied, lets the statement run.
    let cases = [
        "admin anna, ben\nuser carl\nas anna connect\nas anna grant carl\nas anna disconnect\n",
        "admin anna, ben\nas anna connect\nas anna grant ben\nas ben connect\n",
        "admin anna, ben\nuser carl\nas anna connect\nas ben grant carl\n",
        "admin anna\nuser carl\nas carl connect\n",
        "admin anna, ben\nas anna connect\nas ben remove anna\n",
        "admin anna, ben\nuser carl\nas anna connect\nas anna grant carl\nas ben remove anna\n",
        "admin anna\nas anna connect\nas anna grant carol\n",
        "admin anna\nuser carl\nas anna connect\nas anna grant carl\nas anna grant ben\n",
    ]
    for text in cases {
        var client = TestClient.started()
        client.open(text)
        #expect(client.diagnostics().count == 1, "\(text)")
        var params = client.document
        params["range"] = client.diagnostics()[0]["range"]
        let actions = client.result("textDocument/codeAction", params) as! [[String: Any]]
        guard let first = actions.first else {
            Issue.record("no fix for \(text)")
            continue
        }
        let edits = ((first["edit"] as! [String: Any])["changes"] as! [String: Any])[TestClient.uri] as! [[String: Any]]
        client.open(applying(edits, to: text), version: 2)
        #expect(client.diagnostics().isEmpty, "\(text) fixed by \(first["title"]!): \(client.diagnostics())")
    }
}

// MARK: - Decorations

@Test func inlayHintsAfterEachActionWithOwnerAndConnectedCount() {
    var client = TestClient.started()
    client.open(handoff)
    var params = client.document
    params["range"] = client.range((0, 0), (14, 0))
    let hints = client.result("textDocument/inlayHint", params) as! [[String: Any]]
    #expect(
        hints.map { at($0["position"]) + [0] } == [[3, 17, 0], [4, 37, 0], [11, 25, 0], [12, 19, 0], [13, 22, 0]])
    #expect(
        hints.map { $0["label"] as! String } == [
            "owner adminA, 1 connected", "owner adminA, 4 connected", "owner adminA, 3 connected",
            "owner adminB, 4 connected", "owner adminB, 3 connected",
        ])
}

@Test func inlayHintsAboveABrokenLineInTheRangeShown() {
    var client = TestClient.started()
    client.open("admin a\nas a connect\nas a conect\nas a disconnect\n")
    var params = client.document
    params["range"] = client.range((0, 0), (4, 0))
    let hints = client.result("textDocument/inlayHint", params) as! [[String: Any]]
    #expect(hints.map { at($0["position"]) } == [[1, 12]])
    #expect(hints.map { $0["label"] as! String } == ["owner a, 1 connected"])
}

@Test func aStatementAnErrorLeavesOutsideEveryScenarioRunsNothingTwice() {
    var client = TestClient.started()
    client.open("admin a\nas a connect\nscenario \"s\" {\n  show\n}\nas a disconnect\nscenario \"t")
    var params = client.document
    params["range"] = client.range((0, 0), (7, 0))
    let hints = client.result("textDocument/inlayHint", params) as! [[String: Any]]
    #expect(hints.map { at($0["position"]) } == [[1, 12]])
    let hover = client.result("textDocument/hover", client.position(5, 3)) as! [String: Any]
    #expect((hover["contents"] as! [String: Any])["value"] as? String == "not run: line 6 has an error")
}

@Test func pastTheErrorsShownAScenarioSaysSo() {
    var client = TestClient.started()
    let broken = String(repeating: "  as a conect\n", count: Diagnostic.reportedPerSource + 10)
    client.open("admin a\nscenario \"s\" {\n" + broken + "}\nscenario \"t\" {\n  show\n}\n")
    let notes = client.diagnostics().filter { $0["code"] as? String == "not-run" }
    #expect(
        notes.map { $0["message"] as? String } == [
            "not run: the scenario has an error on line 3",
            "not run: the runbook has more errors than the 50 shown, and one may be here; fix them to rehearse it",
        ])
}

@Test func semanticTokensCoverKeywordsNamesTitlesRulesAndComments() {
    var client = TestClient.started()
    client.open("# Åsa 😀\nadmin \"Åsa 😀\", b\nexpect violation remove-self as b remove b\nscenario \"t\" {\n}\n")
    let data = (client.result("textDocument/semanticTokens/full", client.document) as! [String: Any])["data"] as! [Int]
    var tokens: [[Int]] = []
    var line = 0
    var character = 0
    for i in stride(from: 0, to: data.count, by: 5) {
        if data[i] > 0 { character = 0 }
        line += data[i]
        character += data[i + 1]
        tokens.append([line, character, data[i + 2], data[i + 3], data[i + 4]])
    }
    let (keyword, variable, string, rule, comment) = (0, 1, 2, 3, 4)
    #expect(
        tokens == [
            [0, 0, 8, comment, 0],
            [1, 0, 5, keyword, 0], [1, 6, 8, variable, 1], [1, 16, 1, variable, 1],
            [2, 0, 6, keyword, 0], [2, 7, 9, keyword, 0], [2, 17, 11, rule, 0], [2, 29, 2, keyword, 0],
            [2, 32, 1, variable, 0], [2, 34, 6, keyword, 0], [2, 41, 1, variable, 0],
            [3, 0, 8, keyword, 0], [3, 9, 3, string, 0],
        ])
}

// MARK: - Incremental edits

/// Random edits (insertions, deletions, replacements with multi-byte text), applied
/// incrementally, give the diagnostics of the final text opened fresh.
@Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
func incrementalEditsAgreeWithOpeningTheResult(seed: UInt64) {
    var random = SplitMix(state: seed)
    let pieces = ["a", "é", "日本", "😀", "\n", "as ", "adminA", " connect", "\"", "#", ";", " ", "}", "scenario \"x\" {\n", "grant bob"]
    for encoding in [["utf-16"], ["utf-8"]] {
        var client = TestClient.started(encodings: encoding)
        var text = handoff
        client.open(text)
        for version in 2..<40 {
            // A random range of the current text, at character boundaries, in the client's units.
            let characters = Array(text)
            let a = Int(random.next() % UInt64(characters.count + 1))
            let b = min(characters.count, a + Int(random.next() % 4))
            let inserted = random.next() % 3 == 0 ? "" : pieces[Int(random.next() % UInt64(pieces.count))]
            let start = position(of: a, in: characters, utf8: encoding == ["utf-8"])
            let end = position(of: b, in: characters, utf8: encoding == ["utf-8"])
            client.change(start, end, to: inserted, version: version)
            text = String(characters[0..<a]) + inserted + String(characters[b..<characters.count])
        }
        var fresh = TestClient.started(encodings: encoding)
        fresh.open(text)
        let incremental = client.diagnostics().map { "\($0["code"] ?? "") \(span($0["range"])) \($0["message"]!)" }
        let whole = fresh.diagnostics().map { "\($0["code"] ?? "") \(span($0["range"])) \($0["message"]!)" }
        #expect(incremental == whole, "seed \(seed), \(encoding)")
    }
}

/// The (line, character) of the character at index `i`, in UTF-16 units or UTF-8 bytes.
func position(of i: Int, in characters: [Character], utf8: Bool) -> (Int, Int) {
    var line = 0
    var column = 0
    for c in characters[..<i] {
        if c == "\n" {
            line += 1
            column = 0
        } else {
            column += utf8 ? c.utf8.count : c.utf16.count
        }
    }
    return (line, column)
}

@Test func definitionPrefersTheScenariosOwnDeclaration() {
    var client = TestClient.started()
    client.open(
        "admin anna\nscenario \"a\" {\n  user carl\n  as anna connect\n  as anna grant carl\n}\nscenario \"b\" {\n  admin carl\n  as carl connect\n}\n"
    )
    let inA = client.result("textDocument/definition", client.position(4, 16)) as! [String: Any]
    #expect(span(inA["range"]) == [2, 7, 2, 11])
    let inB = client.result("textDocument/definition", client.position(8, 6)) as! [String: Any]
    #expect(span(inB["range"]) == [7, 8, 7, 12])
    let background = client.result("textDocument/definition", client.position(8, 20))
    #expect(background == nil)
    let anna = client.result("textDocument/definition", client.position(4, 5)) as! [String: Any]
    #expect(span(anna["range"]) == [0, 6, 0, 10])
}

/// A hazard performed anyway is a warning with its rule, the statements after it run, and
/// hover and inlay hints show who was stranded; no quick fix offers `anyway`.
@Test func aHazardPerformedAnywayIsAWarningAndStrandsItsHolders() {
    var client = TestClient.started()
    let text = "admin anna, ben\nuser dave\nas anna connect\nas anna grant dave\nas anna disconnect anyway\nas ben connect\n"
    client.open(text)
    let diagnostics = client.diagnostics()
    #expect(diagnostics.map { $0["code"] as? String } == ["disconnect-strands-users"])
    #expect(diagnostics.map { $0["severity"] as? Int } == [2])
    #expect((diagnostics[0]["message"] as? String)?.contains("dave lost Marketo access and is stranded") == true)
    let hover = client.result("textDocument/hover", client.position(5, 9)) as! [String: Any]
    #expect(((hover["contents"] as! [String: Any])["value"] as! String).contains("stranded: dave"))
    let dave = client.result("textDocument/hover", client.position(3, 15)) as! [String: Any]
    #expect(
        ((dave["contents"] as! [String: Any])["value"] as! String)
            == "before this step: dave is a user, not connected\nafter it: dave is a user, connected through access")
    var params = client.document
    params["range"] = client.range((0, 0), (6, 0))
    let hints = client.result("textDocument/inlayHint", params) as! [[String: Any]]
    #expect(hints.map { $0["label"] as! String }.contains("not live, 1 stranded"))
    // Without `anyway`, the hazard stops the run, and its fixes never say `anyway`.
    client.open(text.replacing(" anyway", with: ""), version: 2)
    params["range"] = client.diagnostics()[0]["range"]
    let actions = client.result("textDocument/codeAction", params) as! [[String: Any]]
    #expect(!actions.isEmpty)
    for action in actions {
        let edits = ((action["edit"] as! [String: Any])["changes"] as! [String: Any])[TestClient.uri] as! [[String: Any]]
        #expect(!edits.contains { ($0["newText"] as? String)?.contains("anyway") == true })
    }
    // Completion offers `anyway` after an action.
    client.open("admin anna\nas anna disconnect ", version: 3)
    let items = client.result("textDocument/completion", client.position(1, 19)) as! [String: Any]
    #expect((items["items"] as! [[String: Any]]).map { $0["label"] as? String } == ["anyway"])
}

import ConnectionCore
import FoundationEssentials
import RunbookFiles
import RunbookLanguage

/// A document the client has open: its text as the client has it, and the analysis of
/// that text, made when first asked for.
final class OpenDocument {
    let uri: String
    private(set) var version: Int
    private(set) var text: [UInt8]
    private let base: BaseState
    private var analysis: Analysis?

    init(uri: String, version: Int, text: [UInt8], base: BaseState) {
        self.uri = uri
        self.version = version
        self.text = text
        self.base = base
    }

    /// The analysis of the current text.
    var current: Analysis {
        if let analysis { return analysis }
        let made = Analysis(uri: uri, version: version, text: text, base: base)
        analysis = made
        return made
    }

    /// Applies one change: the whole text, or a range replaced. `false` when the range
    /// was out of order (it is then applied at its start).
    @discardableResult
    func apply(_ change: DidChangeParams.Change, version: Int, encoding: PositionEncoding) -> Bool {
        self.version = version
        analysis = nil
        guard let range = change.range else {
            text = Array(change.text.utf8)
            return true
        }
        let lines = LineIndex(text)
        let start = lines.offset(of: range.start, in: encoding)
        let end = lines.offset(of: range.end, in: encoding)
        text.replaceSubrange(start..<max(start, end), with: change.text.utf8)
        return end >= start
    }
}

/// The language server: the protocol's lifecycle, documents and requests, on messages
/// already framed. It reads and writes no stream of its own (`serve` does), so that tests
/// drive it message by message; every answer about a runbook comes from the language.
///
/// Messages come in batches (all that have arrived): a `$/cancelRequest` cancels a
/// request of its batch that is still unanswered, and diagnostics are published once per
/// batch for each document it changed, from the newest text, so that no result is
/// published after a newer one.
package struct LanguageServer {
    private enum Phase { case uninitialized, running, shutDown }

    private var phase = Phase.uninitialized
    /// The status to exit with, once `exit` has been received.
    private(set) var exitStatus: Int32?
    private(set) var encoding = PositionEncoding.utf16
    /// The language of the links to the product page: the client's, if Swedish, else English.
    private var pageLanguage = Catalogue.PageLanguage.english
    private var base: BaseState
    private var documents: [String: OpenDocument] = [:]
    private let encoder = JSONEncoder()
    private let decoder = JSONDecoder()
    /// Where log lines go besides the client (standard error).
    private let log: (String) -> Void
    /// The messages to send, in order.
    private var output: [Data] = []

    /// A server whose documents run against `base` unless `initialize` names a state file.
    package init(base: BaseState = .instance(Instance()), log: @escaping (String) -> Void = { _ in }) {
        self.base = base
        self.log = log
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    }

    /// The status to exit with when the input ends: 0 after `shutdown`, else 1.
    var statusAtEndOfInput: Int32 { phase == .shutDown ? 0 : 1 }

    /// Handles a batch of frames; returns the messages to send, in order.
    mutating func receive(_ frames: [Frame]) -> [Data] {
        var messages: [(head: Head, body: Data)] = []
        for frame in frames {
            switch frame {
            case .malformed(let problem):
                fail(nil, .frame(problem), logged: true)
            case .message(let body):
                if let message = read(body) { messages.append(message) }
            }
        }
        var cancelled = Set<RequestID>()
        for message in messages where message.head.method == "$/cancelRequest" && message.head.id == nil {
            if let params = try? decoder.decode(Params<CancelParams>.self, from: message.body) { cancelled.insert(params.params.id) }
        }
        var changed: [String] = []
        for message in messages {
            // Diagnostics go out before the next request is answered, once for a run of changes.
            if message.head.id != nil && message.head.method != nil { publish(&changed) }
            handle(message.head, message.body, cancelled: cancelled, changed: &changed)
            if exitStatus != nil {
                defer { output.removeAll() }
                return output
            }
        }
        publish(&changed)
        defer { output.removeAll() }
        return output
    }

    /// Publishes the diagnostics of the documents changed, each once, and forgets them.
    private mutating func publish(_ changed: inout [String]) {
        var seen = Set<String>()
        for uri in changed where seen.insert(uri).inserted { publishDiagnostics(uri) }
        changed.removeAll()
    }

    // MARK: Messages

    /// The head of a message, its body repaired if it is not UTF-8; `nil` (answered) when
    /// it is not JSON.
    private mutating func read(_ body: Data) -> (head: Head, body: Data)? {
        var body = body
        if String(validating: body, as: UTF8.self) == nil {
            body = Data(String(decoding: body, as: UTF8.self).utf8)
            say(ServerLog.invalidUTF8, type: 2)
        }
        if let problem = BodyProblem.find(in: body) {
            // Answered when it is a request whose id can be read; logged either way, and
            // a document it would have changed keeps its text and its diagnostics.
            let head = try? decoder.decode(Head.self, from: body)
            if let id = head?.id, head?.method != nil {
                fail(id, .body(problem), logged: true)
            } else if head?.method != nil {
                say(ProtocolProblem.body(problem).message, type: 1)
            } else {
                fail(nil, .body(problem), logged: true)
            }
            return nil
        }
        guard let head = try? decoder.decode(Head.self, from: body) else {
            // JSON that is not an object (`[]`, `3`) is JSON all the same.
            let isJSON = (try? decoder.decode(AnyJSON.self, from: body)) != nil
            fail(nil, isJSON ? .notAMessage : .notJSON, logged: true)
            return nil
        }
        return (head, body)
    }

    private mutating func handle(_ head: Head, _ body: Data, cancelled: Set<RequestID>, changed: inout [String]) {
        guard let method = head.method, !head.hasBadID else {
            // A response to a request this server never makes is nothing to answer.
            if !head.hasResult { fail(head.id, .notAMessage, logged: true) }
            return
        }
        guard let id = head.id else {
            notification(method, body, changed: &changed)
            return
        }
        switch phase {
        case .uninitialized where method != "initialize":
            fail(id, .notInitialized(method: method))
            return
        case .shutDown:
            fail(id, .shutDown(method: method))
            return
        default:
            break
        }
        if cancelled.contains(id) {
            fail(id, .cancelled(method: method))
            return
        }
        request(method, id: id, body)
    }

    private mutating func request(_ method: String, id: RequestID, _ body: Data) {
        switch method {
        case "initialize":
            guard phase == .uninitialized else { return fail(id, .initializedTwice) }
            switch params(InitializeParams.self, method, body) {
            case .success(let params): send(id, Result<InitializeResult, ProtocolProblem>.success(initialize(params)))
            case .failure(let problem): fail(id, problem)
            }
        case "shutdown":
            phase = .shutDown
            send(id, Result<Int?, ProtocolProblem>.success(nil))
        case "textDocument/hover": send(id, answer(method, body, hover))
        case "textDocument/completion": send(id, answer(method, body, completion))
        case "textDocument/definition": send(id, answer(method, body, definition))
        case "textDocument/references": send(id, answer(method, body, references))
        case "textDocument/prepareRename": send(id, answer(method, body, prepareRename))
        case "textDocument/rename": send(id, answer(method, body, rename))
        case "textDocument/documentSymbol": sendOutline(id, answer(method, body, symbols))
        case "textDocument/foldingRange": send(id, answer(method, body, foldingRanges))
        case "textDocument/formatting": send(id, answer(method, body, format))
        case "textDocument/codeAction": send(id, answer(method, body, codeActions))
        case "textDocument/inlayHint": send(id, answer(method, body, inlayHints))
        case "textDocument/semanticTokens/full": send(id, answer(method, body, semanticTokens))
        default: fail(id, .unknownMethod(method))
        }
    }

    private mutating func notification(_ method: String, _ body: Data, changed: inout [String]) {
        if method == "exit" {
            exitStatus = phase == .shutDown ? 0 : 1
            return
        }
        guard phase == .running else { return }
        switch method {
        case "textDocument/didOpen":
            guard let params: DidOpenParams = notificationParams(method, body) else { return }
            let document = params.textDocument
            documents[document.uri] = OpenDocument(
                uri: document.uri, version: document.version, text: Array(document.text.utf8), base: base)
            changed.append(document.uri)
        case "textDocument/didChange":
            guard let params: DidChangeParams = notificationParams(method, body) else { return }
            let uri = params.textDocument.uri
            guard let document = documents[uri] else { return say(ServerLog.notOpen(uri, method: method), type: 2) }
            for change in params.contentChanges where !document.apply(change, version: params.textDocument.version, encoding: encoding) {
                say(ServerLog.badChange(uri), type: 2)
            }
            changed.append(uri)
        case "textDocument/didClose":
            guard let params: DocumentParams = notificationParams(method, body) else { return }
            documents[params.textDocument.uri] = nil
            changed.append(params.textDocument.uri)
        default:
            // `initialized`, `$/cancelRequest` (read with its batch), saves, settings and
            // notifications this server has no use for.
            break
        }
    }

    /// The parameters of a notification, or `nil` (logged) when they are not what its
    /// method takes.
    private mutating func notificationParams<P: Decodable>(_ method: String, _ body: Data) -> P? {
        switch params(P.self, method, body) {
        case .success(let params): return params
        case .failure(let problem):
            say(problem.message, type: 1)
            return nil
        }
    }

    /// A message's parameters, read as what its method takes.
    private func params<P: Decodable>(_ type: P.Type, _ method: String, _ body: Data) -> Result<P, ProtocolProblem> {
        do {
            return .success(try decoder.decode(Params<P>.self, from: body).params)
        } catch {
            return .failure(.invalidParams(method: method, reason: Self.reason(error)))
        }
    }

    /// Reads a request's parameters and answers it with `answer`.
    private func answer<P: Decodable, R>(
        _ method: String, _ body: Data, _ answer: (P) throws(ProtocolProblem) -> R
    ) -> Result<R, ProtocolProblem> {
        params(P.self, method, body).flatMap { params in
            do throws(ProtocolProblem) {
                return .success(try answer(params))
            } catch {
                return .failure(error)
            }
        }
    }

    private static func reason(_ error: any Error) -> String {
        (error as? DecodingError).map(StateStore.describe) ?? "\(error)"
    }

    // MARK: Sending

    private mutating func send<R: Encodable>(_ id: RequestID, _ result: Result<R, ProtocolProblem>) {
        switch result {
        case .success(let value): emit(Response(id: id, result: value))
        case .failure(let problem): fail(id, problem)
        }
    }

    /// Answers `documentSymbol`, saying when the outline was cut short.
    private mutating func sendOutline(_ id: RequestID, _ result: Result<Outline, ProtocolProblem>) {
        switch result {
        case .success(let outline):
            if outline.leftOut > 0 { say(ServerLog.outlineCut(outline.uri, shown: Self.maxSymbols, leftOut: outline.leftOut), type: 2) }
            emit(id, list: outline.symbols)
        case .failure(let problem): fail(id, problem)
        }
    }

    /// A response whose result is a list, encoded one element at a time: a large reply costs
    /// the memory of its bytes, not of the encoder's tree of all of it.
    private mutating func emit(_ id: RequestID, list: [some Encodable]) {
        var data = Data(#"{"id":"#.utf8)
        data += try! encoder.encode(id)
        data += Data(#","jsonrpc":"2.0","result":["#.utf8)
        for (index, element) in list.enumerated() {
            if index > 0 { data.append(UInt8(ascii: ",")) }
            data += try! encoder.encode(element)
        }
        data += Data("]}".utf8)
        output.append(data)
    }

    /// Answers a request with an error; logs it too when the client may not show it.
    private mutating func fail(_ id: RequestID?, _ problem: ProtocolProblem, logged: Bool = false) {
        emit(ErrorResponse(id: id, error: problem.error))
        if logged { say(problem.message, type: 1) }
    }

    /// Logs a line to the client and to standard error.
    private mutating func say(_ message: String, type: Int) {
        // A path or a key a client sent may hold anything: an editor shows the log as text.
        let message = Words.visible(message)
        log(message)
        emit(Notification(method: "window/logMessage", params: LogMessageParams(type: type, message: message)))
    }

    private mutating func emit(_ message: some Encodable) {
        // Every message type encodes: only strings, numbers and lists of them.
        output.append(try! encoder.encode(message))
    }

    private mutating func publishDiagnostics(_ uri: String) {
        guard let document = documents[uri] else {
            emit(Notification(method: "textDocument/publishDiagnostics", params: PublishDiagnosticsParams(uri: uri, diagnostics: [])))
            return
        }
        let analysis = document.current
        let diagnostics = analysis.diagnostics.map { protocolDiagnostic($0, in: analysis) }
        emit(
            Notification(
                method: "textDocument/publishDiagnostics",
                params: PublishDiagnosticsParams(uri: uri, version: analysis.version, diagnostics: diagnostics)))
    }

    // MARK: Lifecycle

    private mutating func initialize(_ params: InitializeParams) -> InitializeResult {
        encoding = PositionEncoding.negotiate(params.positionEncodings)
        pageLanguage = Catalogue.PageLanguage(locale: params.locale)
        if let problem = params.optionsProblem {
            base = .unusable(problem.text)
            say(problem.text, type: 1)
        } else if let state = params.state {
            var path = state
            if !path.hasPrefix("/"), let root = params.rootUri, root.hasPrefix("file:"), let url = URL(string: root) {
                path = url.appending(path: state).path(percentEncoded: false)
            }
            do throws(StateFileError) {
                let (instance, digest) = try StateStore.loadWithDigest(path)
                // A state file that does not exist is a misspelt path as often as not: nothing
                // runs against an empty instance in its place, as for one that cannot be read.
                guard digest != nil else {
                    throw StateFileError(kind: .unreadable, path: path, reason: Words.FileReason.doesNotExist.text)
                }
                base = .instance(instance)
                say(ServerLog.state(path, instance.memberCount), type: 3)
            } catch {
                base = .unusable(error.description)
                say(error.description, type: 1)
            }
        }
        phase = .running
        return InitializeResult(
            capabilities: ServerCapabilities(positionEncoding: encoding.rawValue),
            serverInfo: .init(name: "runbook", version: Words.version))
    }

    // MARK: Documents

    /// The analysis of an open document's current text.
    func document(_ uri: String) throws(ProtocolProblem) -> Analysis {
        guard let document = documents[uri] else { throw .notOpen(uri) }
        return document.current
    }

    /// A language diagnostic as the protocol carries it: the rule id as its code, with a
    /// link to the rule's sentence on the product page, and its hints as related information.
    func protocolDiagnostic(_ d: Diagnostic, in analysis: Analysis) -> LSPDiagnostic {
        let range = analysis.lines.range(of: d.range, in: encoding)
        let severity: Int =
            switch d.severity {
            case .error, .violation, .failed: 1
            case .warning: 2
            case .note: 3
            }
        let page = d.rule.flatMap(RuleID.init(rawValue:)).flatMap { Catalogue.page(of: $0, in: pageLanguage) }
        let related = d.hints.map {
            LSPDiagnostic.RelatedInformation(location: Location(uri: analysis.uri, range: range), message: $0)
        }
        return LSPDiagnostic(
            range: range, severity: severity, code: d.rule ?? (d.id == .other ? nil : d.id.rawValue),
            codeDescription: page.map(LSPDiagnostic.CodeDescription.init), message: d.message,
            relatedInformation: related.isEmpty ? nil : related)
    }
}

/// Any JSON value: decoding it succeeds exactly when the text is JSON.
private struct AnyJSON: Decodable {
    init(from decoder: any Decoder) throws {}
}

import RunbookLanguage

/// Every sentence the language server says of the protocol itself, with its error code:
/// the error responses and the log lines. What it says of runbooks comes from the language.
enum ProtocolProblem: Error, Equatable {
    /// A body that is not JSON.
    case notJSON
    /// JSON that is not a request or a notification.
    case notAMessage
    /// A request before `initialize`.
    case notInitialized(method: String)
    /// `initialize` a second time.
    case initializedTwice
    /// A request after `shutdown`.
    case shutDown(method: String)
    case unknownMethod(String)
    case invalidParams(method: String, reason: String)
    /// A request the client cancelled before it was answered.
    case cancelled(method: String)
    /// A request about a document that is not open.
    case notOpen(String)
    /// What the language refuses to do, in its words (a rename, a format).
    case refused(String)
    /// Framing that is not a message.
    case frame(FrameProblem)
    /// JSON the server will not decode: nested too deeply, or holding a lone surrogate.
    case body(BodyProblem)

    /// The error response a request gets.
    var error: ResponseError {
        ResponseError(code: code, message: message)
    }

    private var code: Int {
        switch self {
        case .notJSON, .frame, .body: ResponseError.parseError
        case .notAMessage, .initializedTwice, .shutDown: ResponseError.invalidRequest
        case .notInitialized: ResponseError.serverNotInitialized
        case .unknownMethod: ResponseError.methodNotFound
        case .invalidParams: ResponseError.invalidParams
        case .cancelled: ResponseError.requestCancelled
        case .notOpen, .refused: ResponseError.requestFailed
        }
    }

    var message: String {
        switch self {
        case .notJSON: "the message is not valid JSON"
        case .notAMessage: "the message is not a JSON-RPC request or notification"
        case .notInitialized(let method): "'\(method)' before 'initialize'"
        case .initializedTwice: "'initialize' was already received"
        case .shutDown(let method): "'\(method)' after 'shutdown'"
        case .unknownMethod(let method): "unknown method '\(method)'"
        case .invalidParams(let method, let reason): "invalid parameters for '\(method)': \(reason)"
        case .cancelled(let method): "'\(method)' was cancelled"
        case .notOpen(let uri): "\(uri) is not open"
        case .refused(let why): why
        case .frame(.badHeader(let header)): "a header without a valid Content-Length: \(header)"
        case .frame(.headerTooLarge): "a header longer than \(FrameReader.maxHeader) bytes; skipped to the next message"
        case .frame(.bodyTooLarge(let length)): "a Content-Length of \(length) bytes, more than \(FrameReader.maxBody); read as garbage"
        case .frame(.garbage(let count)): "\(count) bytes that are not a message; skipped"
        case .frame(.truncated(let count)): "a message cut short after \(count) bytes by the next one; its Content-Length was too large"
        case .body(.tooDeeplyNested):
            "the message is too deeply nested: arrays and objects more than \(BodyProblem.maxDepth) deep; ignored"
        case .body(.loneSurrogate(let escape)):
            "the message holds a lone surrogate escape '\(escape)', which is no character; ignored"
        }
    }
}

/// What the server logs of its own accord, beside its error responses.
enum ServerLog {
    /// A message with bytes that are not UTF-8, read with them replaced.
    static let invalidUTF8 = "a message held bytes that are not UTF-8; they were read as U+FFFD"
    /// A notification about a document that is not open.
    static func notOpen(_ uri: String, method: String) -> String { "'\(method)' for \(uri), which is not open; ignored" }
    /// A change whose range is out of order.
    static func badChange(_ uri: String) -> String { "a change to \(uri) whose range ends before it starts; applied at its start" }
    /// An outline with more symbols than the server lists.
    static func outlineCut(_ uri: String, shown: Int, leftOut: Int) -> String {
        "the outline of \(uri) lists its first \(Words.grouped(shown)) symbols; \(Words.grouped(leftOut)) more are left out"
    }
    /// The state file named at `initialize`.
    static func state(_ path: String, _ members: Int) -> String { "runs against \(path): \(members) members" }
}

/// What is wrong with the `initializationOptions` a client sent, in words.
enum OptionsProblem: Equatable {
    case notAnObject
    case unknownKey(String, known: [String])
    case stateNotAPath

    var text: String {
        switch self {
        case .notAnObject:
            "initializationOptions is not an object; the server reads {\"state\": \"PATH\"}"
        case .unknownKey(let key, let known):
            "initializationOptions has no key '\(key)'; the keys it reads: \(known.joined(separator: ", "))"
        case .stateNotAPath:
            "initializationOptions.state is not a path: the server reads {\"state\": \"PATH\"}"
        }
    }
}

import FoundationEssentials

// The Language Server Protocol 3.17 and JSON-RPC 2.0, as far as `runbook lsp` speaks them:
// every type the server reads or writes, in one place, on Foundation's JSON coding. Field
// names are the protocol's.

// MARK: JSON-RPC

/// A request's id: a number or a string.
enum RequestID: Codable, Hashable, Sendable {
    case number(Int)
    case string(String)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let n): try container.encode(n)
        case .string(let s): try container.encode(s)
        }
    }
}

/// What every message says of itself, read before its parameters.
struct Head: Decodable {
    var jsonrpc: String?
    var id: RequestID?
    var method: String?
    /// Set on a response, which this server never asks for.
    var hasResult: Bool
    /// Set when an `id` is present but is neither a number nor a string.
    var hasBadID: Bool

    enum CodingKeys: String, CodingKey { case jsonrpc, id, method, result, error }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        jsonrpc = try? c.decodeIfPresent(String.self, forKey: .jsonrpc)
        id = try? c.decodeIfPresent(RequestID.self, forKey: .id)
        method = try? c.decodeIfPresent(String.self, forKey: .method)
        hasResult = c.contains(.result) || c.contains(.error)
        hasBadID = c.contains(.id) && id == nil
    }
}

/// A message's parameters, read once its method says what they are.
struct Params<P: Decodable>: Decodable {
    var params: P
}

/// A response that carries a result (`null` included).
struct Response<R: Encodable>: Encodable {
    var id: RequestID?
    var result: R?

    enum CodingKeys: String, CodingKey { case jsonrpc, id, result }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("2.0", forKey: .jsonrpc)
        try c.encode(id, forKey: .id)
        try c.encode(result, forKey: .result)
    }
}

/// A response that carries an error.
struct ErrorResponse: Encodable {
    var id: RequestID?
    var error: ResponseError

    enum CodingKeys: String, CodingKey { case jsonrpc, id, error }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("2.0", forKey: .jsonrpc)
        try c.encode(id, forKey: .id)
        try c.encode(error, forKey: .error)
    }
}

/// A notification from the server.
struct Notification<P: Encodable>: Encodable {
    var jsonrpc = "2.0"
    var method: String
    var params: P
}

/// The error of a request that failed, with the protocol's code.
struct ResponseError: Error, Encodable, Equatable {
    var code: Int
    var message: String

    static let parseError = -32700
    static let invalidRequest = -32600
    static let methodNotFound = -32601
    static let invalidParams = -32602
    static let internalError = -32603
    static let serverNotInitialized = -32002
    static let requestCancelled = -32800
    static let requestFailed = -32803
}

// MARK: Basic structures

/// A place in a document: a line and a character offset in the negotiated encoding, both
/// from 0.
struct Position: Codable, Hashable {
    var line: Int
    var character: Int
}

struct LSPRange: Codable, Hashable {
    var start: Position
    var end: Position
}

struct Location: Codable, Hashable {
    var uri: String
    var range: LSPRange
}

struct TextEdit: Codable, Hashable {
    var range: LSPRange
    var newText: String
}

struct WorkspaceEdit: Encodable {
    var changes: [String: [TextEdit]]
}

struct TextDocumentIdentifier: Decodable {
    var uri: String
}

struct TextDocumentPositionParams: Decodable {
    var textDocument: TextDocumentIdentifier
    var position: Position
}

/// Parameters that name only a document.
struct DocumentParams: Decodable {
    var textDocument: TextDocumentIdentifier
}

/// Parameters that name a document and a range of it.
struct DocumentRangeParams: Decodable {
    var textDocument: TextDocumentIdentifier
    var range: LSPRange
}

// MARK: Lifecycle

struct InitializeParams: Decodable {
    var positionEncodings: [String] = []
    var state: String?
    /// What is wrong with `initializationOptions`: a key the server does not read (a
    /// misspelt `State`), a state that is not a path, options that are not an object.
    /// Nothing runs then, as for a state file that cannot be loaded: a document rehearsed
    /// against an empty instance in its place would say every member is unknown.
    var optionsProblem: OptionsProblem?
    var rootUri: String?
    /// The language of the client's user interface, as a BCP 47 tag: `sv-SE`, `en`.
    var locale: String?

    enum CodingKeys: String, CodingKey { case capabilities, initializationOptions, rootUri, locale }
    enum Capabilities: String, CodingKey { case general }
    enum General: String, CodingKey { case positionEncodings }
    enum Options: String, CodingKey, CaseIterable { case state }

    /// Any key of an object, to see which it has.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Reads what the server uses and nothing else: a client's other capabilities and
    /// options, whatever their shape, are no reason to refuse it.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rootUri = try? c.decodeIfPresent(String.self, forKey: .rootUri)
        locale = try? c.decodeIfPresent(String.self, forKey: .locale)
        let general = try? c.nestedContainer(keyedBy: Capabilities.self, forKey: .capabilities)
            .nestedContainer(keyedBy: General.self, forKey: .general)
        positionEncodings = (try? general?.decodeIfPresent([String].self, forKey: .positionEncodings)) ?? []
        guard c.contains(.initializationOptions), !((try? c.decodeNil(forKey: .initializationOptions)) ?? false) else { return }
        guard let keys = try? c.nestedContainer(keyedBy: AnyKey.self, forKey: .initializationOptions) else {
            optionsProblem = .notAnObject
            return
        }
        let known = Options.allCases.map(\.rawValue)
        if let unknown = keys.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            optionsProblem = .unknownKey(unknown, known: known)
            return
        }
        let options = try? c.nestedContainer(keyedBy: Options.self, forKey: .initializationOptions)
        guard let options, options.contains(.state), !((try? options.decodeNil(forKey: .state)) ?? false) else { return }
        guard let state = try? options.decode(String.self, forKey: .state) else {
            optionsProblem = .stateNotAPath
            return
        }
        self.state = state
    }
}

struct InitializeResult: Encodable {
    var capabilities: ServerCapabilities
    var serverInfo: ServerInfo

    struct ServerInfo: Encodable {
        var name: String
        var version: String
    }
}

/// What the server does, announced at `initialize`: exactly the requests it answers.
struct ServerCapabilities: Encodable {
    var positionEncoding: String
    var textDocumentSync = TextDocumentSync()
    var hoverProvider = true
    var completionProvider = CompletionOptions()
    var definitionProvider = true
    var referencesProvider = true
    var renameProvider = RenameOptions()
    var documentSymbolProvider = true
    var foldingRangeProvider = true
    var documentFormattingProvider = true
    var codeActionProvider = CodeActionOptions()
    var inlayHintProvider = true
    var semanticTokensProvider = SemanticTokensOptions()

    struct TextDocumentSync: Encodable {
        var openClose = true
        /// Incremental.
        var change = 2
    }

    struct CompletionOptions: Encodable {
        var triggerCharacters = [",", " "]
    }

    struct RenameOptions: Encodable {
        var prepareProvider = true
    }

    struct CodeActionOptions: Encodable {
        var codeActionKinds = ["quickfix"]
    }

    struct SemanticTokensOptions: Encodable {
        var legend = SemanticTokenLegend()
        var full = true
    }
}

struct SemanticTokenLegend: Encodable {
    var tokenTypes = SemanticTokenType.allCases.map(\.rawValue)
    var tokenModifiers = ["declaration"]
}

// MARK: Documents

struct DidOpenParams: Decodable {
    var textDocument: Item

    struct Item: Decodable {
        var uri: String
        var version: Int
        var text: String
    }
}

struct DidChangeParams: Decodable {
    var textDocument: VersionedTextDocumentIdentifier
    var contentChanges: [Change]

    struct VersionedTextDocumentIdentifier: Decodable {
        var uri: String
        var version: Int
    }

    /// A change: the whole text when `range` is absent.
    struct Change: Decodable {
        var range: LSPRange?
        var text: String
    }
}

struct CancelParams: Decodable {
    var id: RequestID
}

// MARK: Diagnostics

struct PublishDiagnosticsParams: Encodable {
    var uri: String
    var version: Int?
    var diagnostics: [LSPDiagnostic]
}

struct LSPDiagnostic: Encodable, Hashable {
    var range: LSPRange
    /// 1 error, 2 warning, 3 information, 4 hint.
    var severity: Int
    /// The rule id of a refused action, else the diagnostic's id.
    var code: String?
    var codeDescription: CodeDescription?
    var source = "runbook"
    var message: String
    var relatedInformation: [RelatedInformation]?

    struct CodeDescription: Encodable, Hashable {
        var href: String
    }

    struct RelatedInformation: Encodable, Hashable {
        var location: Location
        var message: String
    }
}

struct LogMessageParams: Encodable {
    /// 1 error, 2 warning, 3 info, 4 log.
    var type: Int
    var message: String
}

// MARK: Language features

struct Hover: Encodable {
    var contents: MarkupContent
    var range: LSPRange
}

struct MarkupContent: Encodable {
    var kind = "plaintext"
    var value: String
}

struct CompletionList: Encodable {
    var isIncomplete = false
    var items: [CompletionItem]
}

struct CompletionItem: Encodable {
    var label: String
    /// 14 keyword, 3 function (a verb), 6 variable (a member), 20 enum member (a rule id).
    var kind: Int
    var detail: String?
    var textEdit: TextEdit
}

struct ReferenceParams: Decodable {
    var textDocument: TextDocumentIdentifier
    var position: Position
    var context: Context?

    struct Context: Decodable {
        var includeDeclaration: Bool
    }
}

struct RenameParams: Decodable {
    var textDocument: TextDocumentIdentifier
    var position: Position
    var newName: String
}

struct PrepareRenameResult: Encodable {
    var range: LSPRange
    var placeholder: String
}

struct DocumentSymbol: Encodable {
    var name: String
    var detail: String?
    /// 3 namespace (a scenario), 13 variable (a member).
    var kind: Int
    var range: LSPRange
    var selectionRange: LSPRange
    var children: [DocumentSymbol]?
}

struct FoldingRange: Encodable {
    var startLine: Int
    var endLine: Int
    var kind = "region"
}

struct CodeAction: Encodable {
    var title: String
    var kind = "quickfix"
    var diagnostics: [LSPDiagnostic]
    var isPreferred: Bool
    var edit: WorkspaceEdit
}

struct InlayHint: Encodable {
    var position: Position
    var label: String
    var paddingLeft = true
}

/// The kinds of semantic token, in the legend's order.
enum SemanticTokenType: String, CaseIterable {
    case keyword, variable, string, enumMember, comment
}

struct SemanticTokens: Encodable {
    var data: [Int]
}

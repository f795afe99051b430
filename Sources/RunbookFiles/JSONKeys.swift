import Foundation

/// Keys that appear twice in one JSON object. JSON leaves them undefined: Foundation's
/// decoder keeps the first, `jq` and Python the last, so a state file that holds one means
/// different things to different readers, and is refused instead.
enum JSONKeys {
    /// The first key that appears twice in one object of `data`, which parses as JSON, and
    /// the path of that object (`members[2]`; empty for the top level).
    static func firstDuplicate(in data: Data) -> (key: String, path: String)? {
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var stack: [Container] = []
            var expectingKey = false
            var i = 0
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "{"):
                    stack.append(Container(keys: []))
                    expectingKey = true
                case UInt8(ascii: "["):
                    stack.append(Container(keys: nil))
                    expectingKey = false
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    stack.removeLast()
                    expectingKey = false
                case UInt8(ascii: ","):
                    if stack.last?.keys != nil { expectingKey = true } else if !stack.isEmpty { stack[stack.count - 1].index += 1 }
                case UInt8(ascii: "\""):
                    let start = i
                    var escaped = false
                    i += 1
                    while i < bytes.count && bytes[i] != UInt8(ascii: "\"") {
                        if bytes[i] == UInt8(ascii: "\\") {
                            escaped = true
                            i += 1
                        }
                        i += 1
                    }
                    guard expectingKey, i < bytes.count else { break }
                    expectingKey = false
                    let key =
                        escaped
                        ? (try? JSONSerialization.jsonObject(
                            with: Data(bytes[start...i]), options: .fragmentsAllowed) as? String) ?? ""
                        : String(decoding: bytes[(start + 1)..<i], as: UTF8.self)
                    if stack[stack.count - 1].keys!.insert(key).inserted {
                        stack[stack.count - 1].key = key
                    } else {
                        return (key, path(stack.dropLast()))
                    }
                default: break
                }
                i += 1
            }
            return nil
        }
    }

    /// An object (with the keys seen so far and the last one) or an array (with the index
    /// of its current element).
    private struct Container {
        var keys: Set<String>?
        var key = ""
        var index = 0
    }

    /// The path into the innermost container through `outer`, its enclosing ones:
    /// `members[2]`.
    private static func path(_ outer: ArraySlice<Container>) -> String {
        var out = ""
        for container in outer {
            if container.keys != nil {
                out += (out.isEmpty ? "" : ".") + container.key
            } else {
                out += "[\(container.index)]"
            }
        }
        return out
    }
}

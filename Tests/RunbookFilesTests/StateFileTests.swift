import ConnectionCore
import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookFiles

@Test func stateRoundTripsThroughJSONInAStableOrder() throws {
    var instance = try handoffStart()
    try instance.perform(.revoke(actor: "adminA", targets: ["adminB"]))
    try instance.perform(.connect(actor: "adminB"))
    let data = StateStore.encode(instance, pretty: false)
    let text = String(decoding: data, as: UTF8.self)
    #expect(
        text
            == #"{"connections":["adminA","adminB"],"format":"runbook-state","grants":["bob","carol"],"members":[{"name":"adminA","role":"admin"},{"name":"adminB","role":"admin"},{"name":"adminC","role":"admin"},{"name":"bob","role":"user"},{"name":"carol","role":"user"}],"version":1}"#
    )
    let back = try StateStore.decode(data, path: "s.json")
    #expect(back == instance)
    #expect(StateStore.encode(back, pretty: false) == data)
}

/// Stranded members are written when there are any, and load back; a key given twice in
/// one object, at any depth, is refused with the key and where it is.
@Test func strandedMembersRoundTripAndDuplicateKeysAreRefused() throws {
    var instance = try handoffStart()
    try instance.perform(.revoke(actor: "adminA", targets: ["adminB"]))
    try instance.perform(.disconnect(actor: "adminA"), acceptingHazards: true)
    let data = StateStore.encode(instance, pretty: false)
    #expect(String(decoding: data, as: UTF8.self).contains(#""grants":[],"#))
    #expect(String(decoding: data, as: UTF8.self).contains(#""stranded":["bob","carol"]"#))
    let back = try StateStore.decode(data, path: "s.json")
    #expect(back == instance && back.strandedMembers == ["bob", "carol"])
    // Two instances that differ only in who is stranded differ.
    var granted = back
    try granted.perform(.connect(actor: "adminB"))
    try granted.perform(.grant(actor: "adminB", targets: ["bob"]))
    try granted.perform(.revoke(actor: "adminB", targets: ["bob"]))
    try granted.perform(.disconnect(actor: "adminB"))
    #expect(granted != back && granted.strandedMembers == ["carol"])

    for (text, reason) in [
        (
            #"{"format":"runbook-state","version":1,"version":1,"members":[],"connections":[],"grants":[]}"#,
            "the key 'version' appears twice in one object"
        ),
        (
            #"{"format":"runbook-state","version":1,"members":[{"name":"a","role":"user","role":"admin"}],"connections":[],"grants":[]}"#,
            "the key 'role' appears twice in one object (at members[0])"
        ),
        (
            #"{"format":"runbook-state","version":1,"members":[{"name":"a","role":"admin"},{"role":"user","name":"b","name":"c"}],"connections":[],"grants":[]}"#,
            "the key 'name' appears twice in one object (at members[1])"
        ),
    ] {
        #expect(throws: StateFileError.self) { try StateStore.decode(Data(text.utf8), path: "s.json") }
        do { _ = try StateStore.decode(Data(text.utf8), path: "s.json") } catch {
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }
}

@Test(arguments: [
    (#"{"format":"runbook-state","version":2,"members":[],"connections":[],"grants":[]}"#, "version 2"),
    (#"{"format":"other","version":1,"members":[],"connections":[],"grants":[]}"#, "format"),
    (
        #"{"format":"runbook-state","version":1,"members":[{"name":"a","role":"admin"},{"name":"a","role":"user"}],"connections":[],"grants":[]}"#,
        "listed twice"
    ),
    (#"{"format":"runbook-state","version":1,"members":[{"name":"u","role":"user"}],"connections":["u"],"grants":[]}"#, "not an admin"),
    (
        #"{"format":"runbook-state","version":1,"members":[{"name":"a","role":"admin"}],"connections":[],"grants":["a"]}"#,
        "no admin is connected"
    ),
    (
        #"{"format":"runbook-state","version":1,"members":[{"name":"a","role":"admin"}],"connections":["a"],"grants":["a"]}"#,
        "admin connection"
    ),
    (#"{"format":"runbook-state","version":1,"members":[],"connections":["x"],"grants":[]}"#, "not a member"),
])
func invalidStatesAreRefused(json: String, reason: String) {
    do throws(StateFileError) {
        _ = try StateStore.decode(Data(json.utf8), path: "s.json")
        Issue.record("accepted an invalid state")
    } catch {
        #expect(error.kind == .invalid && error.path == "s.json")
        #expect(error.reason.contains(reason), "\(error.reason)")
    }
}

/// A write that fails where there was no file says so, without an old file to keep.
@Test func aFailedFirstWriteSaysNothingOfAnOldFile() throws {
    let folder = try Folder()
    let path = folder.at("new.json")
    let state = try someState()
    do throws(StateFileError) {
        try StateStore.save(state, to: path, faults: .init(failWrite: true))
        Issue.record("a failed write was not reported")
    } catch {
        #expect(error.description == "\(path): cannot write state file: cannot write the new state: No space left on device")
    }
    #expect(folder.names().isEmpty)
}

import ConnectionCore
import Foundation
import Testing

@Test func stateRoundTripsThroughJSONInAStableOrder() throws {
    var instance = try handoffStart()
    try instance.perform(.revoke(actor: "adminA", targets: ["adminB"]))
    try instance.perform(.connect(actor: "adminB"))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = try encoder.encode(instance)
    let text = String(decoding: data, as: UTF8.self)
    #expect(
        text
            == #"{"connections":["adminA","adminB"],"format":"runbook-state","grants":["bob","carol"],"members":[{"name":"adminA","role":"admin"},{"name":"adminB","role":"admin"},{"name":"adminC","role":"admin"},{"name":"bob","role":"user"},{"name":"carol","role":"user"}],"version":1}"#
    )
    let back = try JSONDecoder().decode(Instance.self, from: data)
    #expect(back == instance)
    #expect(try encoder.encode(back) == data)
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
    do {
        _ = try JSONDecoder().decode(Instance.self, from: Data(json.utf8))
        Issue.record("accepted an invalid state")
    } catch DecodingError.dataCorrupted(let context) {
        #expect(context.debugDescription.contains(reason))
    } catch {
        Issue.record("unexpected error \(error)")
    }
}

@Test func catalogueCoversEveryRuleInTableOrder() {
    #expect(Rule.catalogue.map(\.id) == RuleID.allCases)
    for rule in Rule.catalogue {
        #expect(!rule.summary.isEmpty && !rule.reading.isEmpty)
        #expect(rule.id.rule == rule)
    }
    #expect(RuleID.disconnectStrandsUsers.rule.seedQuote?.contains("innan användare A kopplas från") == true)
    #expect(RuleID.removeSelf.rule.addedBySpecification)
}

import ConnectionCore
import RunbookTestSupport
import Testing

/// One row per rule: an action it refuses from the handoff's starting point.
let refusals: [(RuleID, Action)] = [
    (.unknownMember, .connect(actor: "mallory")),
    (.unknownMember, .grant(actor: "adminA", targets: ["bob", "mallory"])),
    (.duplicateMember, .declare(.user, ["dave", "bob"])),
    (.duplicateMember, .declare(.user, ["dave", "dave"])),
    (.connectRequiresAdmin, .connect(actor: "bob")),
    (.accessBlocksConnect, .connect(actor: "adminB")),
    (.alreadyConnected, .connect(actor: "adminA")),
    (.alreadyConnected, .grant(actor: "adminA", targets: ["adminA"])),
    (.disconnectRequiresConnection, .disconnect(actor: "adminC")),
    (.disconnectStrandsUsers, .disconnect(actor: "adminA")),
    (.accessRequiresConnection, .grant(actor: "adminC", targets: ["bob"])),
    (.accessRequiresConnection, .revoke(actor: "adminB", targets: ["bob"])),
    (.alreadyHasAccess, .grant(actor: "adminA", targets: ["bob"])),
    (.noAccessToRevoke, .revoke(actor: "adminA", targets: ["bob", "adminC"])),
    (.removeRequiresAdmin, .remove(actor: "bob", targets: ["carol"])),
    (.removeSelf, .remove(actor: "adminC", targets: ["bob", "adminC"])),
    (.removeConnectedAdmin, .remove(actor: "adminC", targets: ["bob", "adminA"])),
]

@Test("every rule refuses an action and leaves the state unchanged", arguments: refusals.indices)
func ruleRefuses(row: Int) throws {
    let (rule, action) = refusals[row]
    var instance = try handoffStart()
    let before = instance
    #expect(throws: RuleViolation.self) { try instance.perform(action) }
    #expect(instance.check(action)?.rule == rule)
    #expect(instance == before)
}

@Test func everyRuleHasARefusalRow() {
    #expect(Set(refusals.map(\.0)) == Set(RuleID.allCases))
}

@Test func refusalCarriesFacts() throws {
    let instance = try handoffStart()
    let violation = try #require(instance.check(.connect(actor: "adminB")))
    #expect(violation.rule == .accessBlocksConnect)
    #expect(violation.actor == "adminB")
    #expect(violation.names == ["adminB"])
    #expect(violation.owner == "adminA")
    #expect(instance.check(.grant(actor: "adminA", targets: ["adminC", "carol"]))?.names == ["carol"])
}

@Test func firstListedRuleWins() throws {
    var instance = try handoffStart()
    // bob is a user and holds access: connect-requires-admin is listed first.
    #expect(instance.check(.connect(actor: "bob"))?.rule == .connectRequiresAdmin)
    // adminC is not connected, and mallory is unknown: unknown-member comes first.
    #expect(instance.check(.grant(actor: "adminC", targets: ["mallory"]))?.rule == .unknownMember)
    // a removed member is no longer known.
    try instance.perform(.revoke(actor: "adminA", targets: ["carol"]))
    try instance.perform(.remove(actor: "adminC", targets: ["carol"]))
    #expect(instance.check(.grant(actor: "adminA", targets: ["carol"]))?.rule == .unknownMember)
}

@Test func seedHandoffSucceedsAndKeepsUsersConnected() throws {
    var instance = try handoffStart()
    #expect(instance.check(.disconnect(actor: "adminA"))?.rule == .disconnectStrandsUsers)
    try instance.perform(.revoke(actor: "adminA", targets: ["adminB"]))
    let events = try instance.perform(.connect(actor: "adminB"))
    #expect(events == [.connected(admin: "adminB", previousOwner: "adminA")])
    try instance.perform(.disconnect(actor: "adminA"))
    #expect(instance.owner == "adminB")
    #expect(instance.isConnected("bob") && instance.isConnected("carol"))
    #expect(!instance.isConnected("adminA"))
    try instance.perform(.remove(actor: "adminB", targets: ["adminA"]))
    #expect(!instance.isMember("adminA"))
    #expect(instance.isConnected("bob") && instance.isConnected("carol"))
}

@Test func ownerIsLatestStillConnected() throws {
    var instance = Instance()
    try instance.perform(.declare(.admin, ["a", "b", "c"]))
    #expect(instance.owner == nil)
    for admin in ["a", "b", "c"] { try instance.perform(.connect(actor: admin)) }
    #expect(instance.owner == "c")
    try instance.perform(.disconnect(actor: "c"))
    #expect(instance.owner == "b")
    try instance.perform(.disconnect(actor: "a"))
    #expect(instance.connections == ["b"])
}

@Test func removingAGrantHolderSaysItLostAccess() throws {
    var instance = try handoffStart()
    let events = try instance.perform(.remove(actor: "adminC", targets: ["bob"]))
    #expect(events == [.removed(member: "bob", hadAccess: true)])
    #expect(instance.grantHolders == ["adminB", "carol"])
}

@Test func catalogueCoversEveryRuleInTableOrder() {
    #expect(Rule.catalogue.map(\.id) == RuleID.allCases)
    for rule in Rule.catalogue {
        #expect(rule.id.rule == rule)
    }
    #expect(RuleID.disconnectStrandsUsers.rule.seedQuote?.contains("innan användare A kopplas från") == true)
    #expect(RuleID.removeSelf.rule.addedBySpecification)
    #expect(RuleID.duplicateMember.rule.refusesDeclarations && RuleID.duplicateMember.rule.verbs.isEmpty)
}

import ConnectionCore

/// "adminA connected; adminB, bob and carol granted": the product page's starting point,
/// shared by the tests of the core and of state files.
public func handoffStart() throws(RuleViolation) -> Instance {
    var instance = Instance()
    try instance.perform(.declare(.admin, ["adminA", "adminB", "adminC"]))
    try instance.perform(.declare(.user, ["bob", "carol"]))
    try instance.perform(.connect(actor: "adminA"))
    try instance.perform(.grant(actor: "adminA", targets: ["adminB", "bob", "carol"]))
    return instance
}

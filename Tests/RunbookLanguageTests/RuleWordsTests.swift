import ConnectionCore
import RunbookLanguage
import Testing

@Test func everyRuleHasASummaryAndAReading() {
    for rule in Rule.catalogue {
        #expect(!rule.summary.isEmpty && !rule.reading.isEmpty)
    }
    #expect(Set(Rule.catalogue.map(\.reading)).count == Rule.catalogue.count)
}

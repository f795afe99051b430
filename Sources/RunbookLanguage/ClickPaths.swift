import ConnectionCore

/// The languages a procedure is written in.
public enum ProcedureLanguage: String, Sendable, Hashable, CaseIterable {
    case en, sv
}

/// A label of the product's user interface, in English and as the Swedish product page
/// names it.
public struct ProductLabel: Sendable, Hashable {
    public let english: String
    public let swedish: String

    public func text(_ language: ProcedureLanguage) -> String { language == .en ? english : swedish }
}

/// A section of the product page: its heading as the page writes it (Swedish), and its
/// English reading.
public struct PageSection: Sendable, Hashable {
    public let swedish: String
    public let english: String

    public func heading(_ language: ProcedureLanguage) -> String { language == .en ? english : swedish }
}

/// One step of a click path.
public enum PathStep: Sendable, Hashable {
    /// Open the gear icon's menu and choose the label.
    case gearMenu(ProductLabel)
    /// Click the label.
    case click(ProductLabel)
    /// Search for the member (on User Access).
    case search
    /// Remove the member's access (the page's "Ta bort åtkomst").
    case removeAccess
    /// Give the member access: the page does not describe this control.
    case giveAccess
    /// Remove the member from the instance: the page names this step, not its clicks.
    case removeFromInstance
}

/// What a page leaves out of a click path, said once in a procedure.
public enum Undescribed: Sendable, Hashable {
    /// The control on User Access that gives a member access.
    case grantControl
    /// How a member is removed from the Sales Connect/Actions instance.
    case removeClicks
}

/// The clicks in the product that carry out one verb, from the product page, citing the
/// section they come from as the rules cite their sentences.
public struct ClickPath: Sendable {
    public let verb: Verb
    /// The steps taken once per action.
    public let path: [PathStep]
    /// The steps taken once for each target, after `path`.
    public let perTarget: [PathStep]
    /// The section of the page the path comes from.
    public let section: PageSection
    /// The page's sentence the path follows (Swedish).
    public let seedQuote: String
    /// What the page does not describe, if anything.
    public let undescribed: Undescribed?
    /// Whether the page's list writes **Disconnect** (Koppla från) where **Connect** is meant.
    public let pageSaysDisconnect: Bool
}

/// The product's words, from the page `seed/connect-new-admin-to-marketo.sv.md`: its labels
/// and the click paths of each verb. Procedures take every label from here; the
/// sentences around them are the project's own (`ProcedureWords`).
public enum ProductPage {
    /// The page's title.
    public static let title = PageSection(
        swedish: "Anslut ny administratör till Marketo", english: "Connect a new admin to Marketo")

    // MARK: Labels

    /// "Klicka på kugghjulsikonen i webbprogrammet och välj **Inställningar**."
    public static let gearIcon = ProductLabel(english: "gear icon", swedish: "kugghjulsikonen")
    public static let settings = ProductLabel(english: "Settings", swedish: "Inställningar")
    /// "Klicka på **Marketo**."
    public static let marketo = ProductLabel(english: "Marketo", swedish: "Marketo")
    /// "Klicka på **Användaråtkomst**."
    public static let userAccess = ProductLabel(english: "User Access", swedish: "Användaråtkomst")
    /// "går till Inställningar > Marketo och klickar på **Anslut**."
    public static let connect = ProductLabel(english: "Connect", swedish: "Anslut")
    /// "Klicka på **Koppla från**."
    public static let disconnect = ProductLabel(english: "Disconnect", swedish: "Koppla från")
    /// "Sales Connect/Actions-instansen": the instance members belong to.
    public static let instance = ProductLabel(
        english: "the Sales Connect/Actions instance", swedish: "Sales Connect/Actions-instansen")

    // MARK: Sections

    /// "Ta bort Marketo Access från Admin B": admin A's steps.
    public static let removeAccessSection = PageSection(
        swedish: "Ta bort Marketo Access från Admin B", english: "Remove Marketo Access from Admin B")
    /// "Skapa ny anslutning för administratör B": admin B's steps.
    public static let newConnectionSection = PageSection(
        swedish: "Skapa ny anslutning för administratör B", english: "Create a new connection for admin B")
    /// "Koppla från Marketo-integrering för admin A": admin A's last steps.
    public static let disconnectSection = PageSection(
        swedish: "Koppla från Marketo-integrering för admin A", english: "Disconnect the Marketo integration for admin A")
    /// "Uppdatera din Marketo-anslutning": the page's second part, whose last sentence
    /// names removing the original admin.
    public static let updateSection = PageSection(
        swedish: "Uppdatera din Marketo-anslutning", english: "Update your Marketo connection")

    // MARK: Click paths

    /// The click path of every verb, in the order of the language's verbs.
    public static let clickPaths: [ClickPath] = [
        ClickPath(
            verb: .connect, path: [.gearMenu(settings), .click(marketo), .click(connect)], perTarget: [],
            section: newConnectionSection,
            seedQuote:
                "Den sekundära administratören loggar in på sitt MSC-konto, går till Inställningar > Marketo och klickar på **Anslut**.",
            undescribed: nil, pageSaysDisconnect: true),
        ClickPath(
            verb: .disconnect, path: [.gearMenu(settings), .click(marketo), .click(disconnect)], perTarget: [],
            section: disconnectSection, seedQuote: "Klicka på **Koppla från**.", undescribed: nil, pageSaysDisconnect: false),
        ClickPath(
            verb: .grant, path: [.gearMenu(settings), .click(marketo), .click(userAccess)], perTarget: [.search, .giveAccess],
            section: removeAccessSection,
            seedQuote:
                "Den primära administratören måste koppla från den andra administratören från Marketo via Inställningar > Marketo > Användaråtkomst.",
            undescribed: .grantControl, pageSaysDisconnect: false),
        ClickPath(
            verb: .revoke, path: [.gearMenu(settings), .click(marketo), .click(userAccess)], perTarget: [.search, .removeAccess],
            section: removeAccessSection,
            seedQuote: "Sök efter den administratör som du vill skapa den nya Marketo-anslutningen för. Ta bort åtkomst.",
            undescribed: nil, pageSaysDisconnect: false),
        ClickPath(
            verb: .remove, path: [], perTarget: [.removeFromInstance], section: updateSection,
            seedQuote:
                "Nu när en ny administratör har upprättat en anslutning till Marketo och den ursprungliga administratören har kopplats från kan den ursprungligen anslutna administratören tas bort från Sales Connect/Actions-instansen.",
            undescribed: .removeClicks, pageSaysDisconnect: false),
    ]

    /// The click path of `verb`.
    public static func clickPath(of verb: Verb) -> ClickPath {
        clickPaths.first { $0.verb == verb }!
    }
}

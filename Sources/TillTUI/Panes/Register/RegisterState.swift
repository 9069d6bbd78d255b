import TillCore

/// A question the Register asks on its input line.
public enum RegisterPrompt: Equatable, Sendable {
    case quantity
    case price
    case lineDiscount
    case orderDiscount
    case customer
    case confirmVoid
    /// A weighed item was scanned or chosen without a weight: its weight in kg, then it is added.
    case weight(sku: String, name: String)

    public var label: String {
        switch self {
        case .quantity: return "Quantity ▸ "
        case .price: return "New unit price ▸ "
        case .lineDiscount: return "Line discount (10% or amount) ▸ "
        case .orderDiscount: return "Order discount (10% or amount) ▸ "
        case .customer: return "Customer (name, email or phone) ▸ "
        case .confirmVoid: return "Void this sale? y/n ▸ "
        case let .weight(_, name): return "Weight of \(name) (kg) ▸ "
        }
    }
}

/// The tender screen (F12).
public struct TenderState: Equatable, Sendable {
    /// An amount being typed (cash handed over, or the card part of a split).
    public var amount = ""
    /// Typing a card number for the simulated reader; `cardAmount` is the part to charge.
    public var readingCard = false
    public var cardAmount: Int64?
    public var cardNumber = ""
    /// Typing a store-credit slip or gift card code; `creditAmount` is the part to take from it.
    public var readingCredit = false
    public var creditAmount: Int64?
    public var creditCode = ""
    /// Esc once with payments taken asks; Esc again cancels them.
    public var confirmingCancel = false
}

public struct RegisterState: Equatable, Sendable {
    /// The sale in progress, as stored (nil: no sale yet).
    public var cart: Cart?
    public var selected = 0
    /// What the scanner or the cashier typed since the last Enter.
    public var input = ""
    /// Search-as-you-type results for letters typed into the input.
    public var suggestions: [CatalogItem] = []
    public var suggestionsFor = ""
    /// The highlighted match (↑/↓ while matches are shown): Enter adds it, e.g. to pick a variant.
    public var suggestionSelected = 0
    public var scans = 0
    public var prompt: RegisterPrompt?
    public var customerMatches: [Customer] = []
    public var tender: TenderState?
    /// The receipt of the sale just completed, shown until the next key.
    public var receipt: String?
    /// Parked sales, shown by F10 when the cart is empty.
    public var parked: [OrderSummary]?
    public var parkedSelected = 0

    public var lines: [OrderLine] { cart?.lines ?? [] }
    public var isSaleInProgress: Bool { !(cart?.lines.isEmpty ?? true) }
}

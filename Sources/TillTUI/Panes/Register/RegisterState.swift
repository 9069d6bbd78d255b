import TillCore

/// The cart line a prompt acts on, as the prompt names it: fixed when the prompt opens, so the answer goes to the
/// line the cashier read, whatever else moves.
public struct PromptLine: Equatable, Sendable {
    /// The line's number as the cart shows it (1 = first).
    public var number: Int
    public var position: Int
    public var sku: String
    public var name: String
    /// The figure the prompt changes, as it stands ("1", "0.450 kg", "€15.09", "none").
    public var current: String

    public init(number: Int, position: Int, sku: String, name: String, current: String) {
        self.number = number
        self.position = position
        self.sku = sku
        self.name = name
        self.current = current
    }
}

/// A question the Register asks on its input line.
public enum RegisterPrompt: Equatable, Sendable {
    case quantity(PromptLine)
    case price(PromptLine)
    case lineDiscount(PromptLine)
    /// `current`: the order discount now ("none", "10%").
    case orderDiscount(current: String)
    case customer
    case confirmVoid
    /// A weighed item was scanned or chosen without a weight: its weight in kg, then it is added.
    case weight(sku: String, name: String)
    /// `*4.50` typed without saying what it is: the description (printed on the receipt, kept as the reason).
    case openPriceDescription(price: Int64, shown: String)
    /// F10 with a sale: what to call it while it waits (Enter alone: nothing).
    case parkLabel

    /// What the prompt's text is, for a message about it ("The quantity looks like a card number; …").
    var fieldName: String {
        switch self {
        case .quantity, .weight: return "The quantity"
        case .price: return "The price"
        case .lineDiscount, .orderDiscount: return "The discount"
        case .customer: return "The customer search"
        case .openPriceDescription: return "The description"
        case .parkLabel: return "The label"
        case .confirmVoid: return "The answer"
        }
    }

    /// The prompt as shown, naming what it acts on; the item's name is shortened (never its SKU or the figure)
    /// when the whole would leave less than `maxWidth` minus 12 columns for typing.
    public func label(maxWidth: Int = .max) -> String {
        func fitted(_ make: (String) -> String, name: String) -> String {
            let full = make(name)
            let room = maxWidth - 12
            guard DisplayWidth.of(full) > room else { return full }
            let without = DisplayWidth.of(make(""))
            return make(name.clipped(toWidth: max(1, room - without)))
        }
        switch self {
        case let .quantity(line):
            return fitted({ "Quantity of line \(line.number) \(line.sku) \($0) (now \(line.current)): " }, name: line.name)
        case let .price(line):
            return fitted({ "Price of line \(line.number) \(line.sku) \($0) (now \(line.current)): " }, name: line.name)
        case let .lineDiscount(line):
            return fitted({ "Discount on line \(line.number) \(line.sku) \($0) (now \(line.current)): " }, name: line.name)
        case let .orderDiscount(current): return "Discount on the whole sale (now \(current)): "
        case .customer: return "Customer (name, email or phone): "
        case .confirmVoid: return "Void this sale? y/n: "
        case let .weight(sku, name): return fitted({ "Weight of \(sku) \($0) in kg: " }, name: name)
        case let .openPriceDescription(_, shown): return "What is the \(shown) item (printed on the receipt)? "
        case .parkLabel: return "Label for the parked sale, e.g. red coat (Enter: none): "
        }
    }

    /// The line the prompt acts on, if it is about one.
    public var line: PromptLine? {
        switch self {
        case let .quantity(line), let .price(line), let .lineDiscount(line): return line
        default: return nil
        }
    }
}

/// The weight prompt reading this register's scale: which weighing it is (answers for an earlier one are
/// dropped), how many looks it has taken, and what the scale last said.
public struct Weighing: Equatable, Sendable {
    public enum Status: Equatable, Sendable {
        /// Asked; no answer yet.
        case reading
        /// The load is moving: asked again.
        case moving
        /// A stable weight, filled in as the prompt's text.
        case weighed(Quantity)
        /// No weight: why, in plain words. Typing the weight still works.
        case refused(String)
    }

    public var sku: String
    public var id: Int
    public var attempt: Int
    public var status: Status

    /// Looks at a moving load before the prompt says it is still moving (about 8 s at the runner's 200 ms pause).
    public static let maxAttempts = 40

    public init(sku: String, id: Int, attempt: Int = 0, status: Status = .reading) {
        self.sku = sku
        self.id = id
        self.attempt = attempt
        self.status = status
    }

    /// What the prompt shows beside the weight.
    public var summary: String {
        switch status {
        case .reading, .moving: return "Weighing… (steady the item)"
        case let .weighed(weight): return "Scale: \(weight.kilograms) kg — Enter adds it"
        case let .refused(reason): return "Scale: \(reason)"
        }
    }
}

/// The tender screen (F12).
public struct TenderState: Equatable, Sendable {
    /// An amount being typed (cash handed over, or the card part of a split).
    public var amount = ""
    /// What the card on its way is for (shown while the reader works).
    public var cardAmount: Int64?
    /// Typing a store-credit slip or gift card code; `creditAmount` is the part to take from it.
    public var readingCredit = false
    public var creditAmount: Int64?
    public var creditCode = ""
    /// Esc once with payments taken asks; Esc again cancels them.
    public var confirmingCancel = false
    /// A cash or store-credit payment is on its way to TillCore: keys typed until it answers are held (see
    /// `RegisterState.heldKeys`).
    public var paying = false
}

/// What the cashier must hand back after a sale: shown large so it is never missed.
public struct ChangeDue: Equatable, Sendable {
    public var number: Int64
    public var change: Int64

    public init(number: Int64, change: Int64) {
        self.number = number
        self.change = change
    }
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
    /// The receipt of the sale just completed. Every key after it goes to the next sale: on a narrow screen it
    /// stays until the next sale has a line, on a wide one beside the new cart until that sale is paid.
    public var receipt: String?
    /// The last receipt the printer could not print (paper out, cover open, not answering): said on the register
    /// until it prints; `printAgain` sends it again.
    public var unprinted: PrintJob?
    /// The change to hand back for the sale just completed, shown large until the next sale has a line.
    public var changeDue: ChangeDue?
    /// Keys typed while a payment was on its way — typically the next customer's first scan — applied in order
    /// once it answers, so they land in the next sale rather than in this one's tender.
    public var heldKeys: [Key] = []
    /// Parked sales, shown by F10 when the cart is empty.
    public var parked: [OrderSummary]?
    public var parkedSelected = 0
    /// The scale being read for the weight prompt (nil: no scale, or the cashier is typing the weight).
    public var weighing: Weighing?
    /// Numbers each weighing, so a late answer for an earlier item is never taken for this one.
    public var weighings = 0

    public var lines: [OrderLine] { cart?.lines ?? [] }
    public var isSaleInProgress: Bool { !(cart?.lines.isEmpty ?? true) }
}

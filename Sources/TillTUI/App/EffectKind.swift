import TillCore

/// How an effect runs off the key loop, which decides what the keys typed meanwhile do.
public enum EffectKind: Equatable, Sendable {
    /// A look-up (a search, a list, a report): runs beside others; keys go on being handled; an answer for a
    /// search the user has typed past is dropped.
    case read
    /// A quick step the next keys depend on — a change to the store (a scan, a cart change, a stock movement)
    /// or opening a screen (an order's detail, a product, a report panel): they run one at a time in the order
    /// asked, and keys typed meanwhile wait for it, so type-ahead (a scanner's next code, `t` right after Enter
    /// on an order) lands on the state the step leaves — in the order typed, none lost.
    case write
    /// A change that can take seconds (a card waiting for the customer, a refund to a card): runs in the same
    /// order as other changes; the screen shows its progress and keys are handled while it runs — Esc asks it to
    /// stop when it can be stopped, other keys are told to wait.
    case long(progress: String, cancellable: Bool)
    /// Work for a device that may be slow or gone (a receipt printer): one at a time on its own queue, beside
    /// everything else; keys are never held for it and the screen shows nothing running — its answer says how
    /// it went.
    case background
}

extension Effect {
    public var kind: EffectKind {
        switch self {
        // Lists and searches as they are typed: the next key never depends on their answer.
        case .loadCatalog, .loadCategories, .loadChainLink, .loadStock, .loadOrders, .loadSuggestions, .findCustomers, .loadReports:
            return .read
        // The serial port is read off the key loop, beside everything else: typing the weight by hand goes on.
        case .readScale:
            return .read
        case .settings(.load):
            return .read
        case .printReceipt:
            return .background
        case .payCard:
            return .long(progress: "Card: present card on the reader — Esc cancels", cancellable: true)
        case let .refundOrder(request):
            return .long(progress: "Refunding on order #\(request.orderNumber)…", cancellable: false)
        case let .voidOrder(number):
            return .long(progress: "Voiding order #\(number): reversing its payments…", cancellable: false)
        case .applyPrices:
            return .long(progress: "Changing prices…", cancellable: false)
        case .applyCount:
            return .long(progress: "Applying the count…", cancellable: false)
        case .cancelPayments:
            return .long(progress: "Cancelling the payments taken…", cancellable: false)
        default:
            return .write
        }
    }
}

/// An effect the screen is waiting on: what it says while it runs, and whether Esc can stop it.
public struct RunningEffect: Equatable, Sendable {
    public var id: Int
    public var progress: String
    public var cancellable: Bool
    public var cancelRequested = false
    /// A card reader is waiting for the customer (the simulated one takes the cashier's 1–5 as the customer).
    public var collectsCard = false

    public init(id: Int, progress: String, cancellable: Bool, collectsCard: Bool = false) {
        self.id = id
        self.progress = progress
        self.cancellable = cancellable
        self.collectsCard = collectsCard
    }
}

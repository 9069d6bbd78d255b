import Foundation

/// Head office as a chain store's till reaches it while it sells: the balances only HQ holds (gift cards and
/// store credit, which any store of the chain may take) and what the other stores have on their shelves.
///
/// Everything else a store tells HQ goes through the outbox, later; these calls are live, so each may fail with
/// `HeadOfficeUnreachable`, and every caller has an answer for that (refuse with a clear message, or an offline
/// allowance). TillCore knows only this protocol; TillHQ implements it over PostgreSQL.
public protocol HeadOffice: Sendable {
    /// A card's balance at HQ; nil when HQ has never heard of the code.
    func creditLookup(code: String) throws -> CreditAtHeadOffice?
    /// Reserves `amount` on the card under `holdID`, chain-wide: granted only if that much is available after
    /// every other hold. Asking again with the same `holdID` gives the same answer (a retry never holds twice).
    func holdCredit(holdID: String, code: String, amount: Int64) throws -> CreditHoldAnswer
    /// Gives back a hold that will not be spent (the sale could not be saved). Unknown or settled holds: no-op.
    func releaseCredit(holdID: String) throws
    /// On-hand of `sku` at every other store, as HQ last heard from each.
    func stockElsewhere(sku: String) throws -> [StockElsewhere]
    /// Asks store `from` to send `items`, under this store's transfer number `id` (asking again is the same request).
    func requestTransfer(id: String, from: String, items: [TransferItem], note: String, by: String?) throws -> ChainTransfer
    /// Transfers this store ships or receives: open ones (something requested not shipped, or in transit), or all.
    func transfers(all: Bool) throws -> [ChainTransfer]
    /// One transfer this store is part of; nil when HQ has none by that number for it.
    func transfer(id: String) throws -> ChainTransfer?
    /// Writes off what is still in transit on one line of a transfer, as lost or damaged.
    func resolveTransfer(id: String, sku: String, outcome: TransferLoss, note: String, by: String?) throws -> ChainTransfer
    /// A customer's loyalty points over every store (following merges HQ made).
    func loyaltyBalance(customer globalID: String) throws -> LoyaltyAtHeadOffice
    /// A customer's purchases at every store, newest first (following merges).
    func purchases(customer globalID: String, limit: Int) throws -> [ChainPurchase]
    /// Another store's sale as a return sees it: per SKU what was sold, paid per unit and already returned; nil
    /// when HQ has no such sale.
    func orderForReturn(chainNumber: String) throws -> ChainSaleForReturn?
    /// Claims `items` of another store's sale for a return here, under `claimID` (asking again gives the same
    /// answer): granted with what the customer paid per unit, or refused with why.
    func claimReturn(claimID: String, chainNumber: String, items: [TransferItem]) throws -> ReturnClaimAnswer
    /// Gives back a claim whose refund was not made. Unknown or captured claims: no-op.
    func releaseReturn(claimID: String) throws
    /// Reserves a customer's `points` under `holdID`, chain-wide (as `holdCredit` does a card's money); unknownCard:
    /// HQ has never heard of the customer.
    func holdPoints(holdID: String, customer globalID: String, points: Int64) throws -> CreditHoldAnswer
    /// Gives back a points hold that will not be spent. Unknown or settled holds: no-op.
    func releasePoints(holdID: String) throws
}

/// A sale of another store, from HQ, for a return (`ChainReturns`).
public struct ChainSaleForReturn: Equatable, Sendable {
    public var store: String
    public var number: Int64
    public var voided: Bool
    public var returnsAnywhere: Bool
    public var lines: [Line]

    public var chainNumber: String { "\(store)-\(number)" }

    public struct Line: Equatable, Sendable {
        public var sku: String
        public var name: String
        public var sold: Quantity
        /// What the customer paid for one unit (one kg), after discounts, in minor units.
        public var unitAmount: Int64
        /// Refunded at the selling store or returned at any other, so far.
        public var returned: Quantity

        public var left: Quantity { Quantity(milli: max(0, sold.milli - returned.milli)) }

        public init(sku: String, name: String, sold: Quantity, unitAmount: Int64, returned: Quantity) {
            self.sku = sku
            self.name = name
            self.sold = sold
            self.unitAmount = unitAmount
            self.returned = returned
        }
    }

    public init(store: String, number: Int64, voided: Bool, returnsAnywhere: Bool, lines: [Line]) {
        self.store = store
        self.number = number
        self.voided = voided
        self.returnsAnywhere = returnsAnywhere
        self.lines = lines
    }
}

public enum ReturnClaimAnswer: Equatable, Sendable {
    /// Per SKU: how many, at what the customer paid per unit.
    case granted([(sku: String, quantity: Quantity, unitAmount: Int64)])
    case refused(String)

    public static func == (a: ReturnClaimAnswer, b: ReturnClaimAnswer) -> Bool {
        switch (a, b) {
        case let (.refused(x), .refused(y)): return x == y
        case let (.granted(x), .granted(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.sku == $1.sku && $0.quantity == $1.quantity && $0.unitAmount == $1.unitAmount }
        default: return false
        }
    }
}

/// HQ could not be asked: no network, HQ down, credentials refused by the transport, or no HQ configured.
public struct HeadOfficeUnreachable: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

public struct CreditAtHeadOffice: Equatable, Sendable {
    public var code: String
    public var currency: String
    /// The sum of the card's ledger at HQ (every store's issues, redemptions and refunds HQ has received).
    public var balance: Int64
    /// Reserved by holds not yet captured or released.
    public var held: Int64
    public var available: Int64 { balance - held }

    public init(code: String, currency: String, balance: Int64, held: Int64) {
        self.code = code
        self.currency = currency
        self.balance = balance
        self.held = held
    }
}

public enum CreditHoldAnswer: Equatable, Sendable {
    case granted(availableAfter: Int64)
    case refused(available: Int64)
    case unknownCard
}

/// One store's stock of a SKU as HQ has it.
public struct StockElsewhere: Equatable, Sendable {
    public var store: String
    public var storeName: String
    public var location: String
    public var onHand: Quantity
    /// When the store recorded the movement HQ's figure is as of.
    public var asOf: Date?

    public init(store: String, storeName: String, location: String, onHand: Quantity, asOf: Date?) {
        self.store = store
        self.storeName = storeName
        self.location = location
        self.onHand = onHand
        self.asOf = asOf
    }
}

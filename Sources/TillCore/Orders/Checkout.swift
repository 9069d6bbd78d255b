import Foundation
import GRDB

public struct SaleLineRequest: Equatable, Sendable {
    public var variantID: Int64
    public var quantity: Quantity
    public var discount: Discount?

    public init(variantID: Int64, quantity: Quantity, discount: Discount? = nil) {
        self.variantID = variantID
        self.quantity = quantity
        self.discount = discount
    }
}

/// One way the customer pays. `amount` nil takes whatever is still due. For cash, `amount` is what was handed
/// over: anything above the balance comes back as change.
public struct Tender: Equatable, Sendable {
    public var method: PaymentMethod
    public var amount: Int64?
    public var card: CardDetails?
    public var status: PaymentStatus
    public var idempotencyKey: String?

    public init(method: PaymentMethod, amount: Int64? = nil, card: CardDetails? = nil,
                status: PaymentStatus = .captured, idempotencyKey: String? = nil) {
        self.method = method
        self.amount = amount
        self.card = card
        self.status = status
        self.idempotencyKey = idempotencyKey
    }
}

public struct SaleRequest: Equatable, Sendable {
    public var lines: [SaleLineRequest]
    public var orderDiscount: Discount?
    public var customerID: Int64?
    public var staffID: Int64?
    public var tenders: [Tender]
    public var note: String

    public init(lines: [SaleLineRequest], orderDiscount: Discount? = nil, customerID: Int64? = nil,
                staffID: Int64? = nil, tenders: [Tender], note: String = "") {
        self.lines = lines
        self.orderDiscount = orderDiscount
        self.customerID = customerID
        self.staffID = staffID
        self.tenders = tenders
        self.note = note
    }
}

public struct CompletedSale: Equatable, Sendable {
    public var order: Order
    public var lines: [OrderLine]
    public var payments: [Payment]
    public var pricing: PricedSale

    public var number: Int64 { order.number ?? 0 }
    public var change: Int64 { payments.compactMap(\.change).reduce(0, +) }
}

/// Completing a sale: order, lines, payments and stock movements in ONE transaction, or nothing at all.
public struct Checkout: Sendable {
    public let store: StoreDatabase

    /// The first order number a new store gives.
    public static let firstOrderNumber: Int64 = 1001

    public init(store: StoreDatabase) { self.store = store }

    public func completeSale(_ request: SaleRequest, at date: Date = Date()) throws -> CompletedSale {
        try store.write { db in try Checkout.completeSale(db, request, at: date) }
    }

    static func completeSale(_ db: Database, _ request: SaleRequest, at date: Date) throws -> CompletedSale {
        guard !request.lines.isEmpty else { throw TillError.invalid("a sale needs at least one item") }
        let settings = try StoreSettings.load(db)
        var pricingLines: [PricingLine] = []
        for line in request.lines {
            guard let item = try CatalogItem.fetchOne(db, sql: CatalogItem.selectSQL + " WHERE v.id = ?",
                                                      arguments: [line.variantID]) else {
                throw TillError.notFound("item #\(line.variantID)")
            }
            guard item.active else { throw TillError.invalid("\(item.sku) (\(item.displayName)) is archived and cannot be sold") }
            guard item.unit == .kg || line.quantity.isWhole else {
                throw TillError.invalidQuantity(line.quantity.description, reason: "\(item.sku) is sold in whole units")
            }
            pricingLines.append(PricingLine(item: item, quantity: line.quantity, discount: line.discount))
        }
        let pricing = try SalePricing.price(pricingLines, orderDiscount: request.orderDiscount,
                                            taxInclusive: settings.taxInclusive, currency: settings.currency)
        let plannedPayments = try Checkout.planPayments(request.tenders, due: pricing.total, currency: settings.currency)

        let number = (try Int64.fetchOne(db, sql: "SELECT MAX(number) FROM orders") ?? (firstOrderNumber - 1)) + 1
        var order = Order(id: nil, number: number, status: .completed, customerID: request.customerID,
                          staffID: request.staffID, currency: settings.currency.code,
                          taxInclusive: settings.taxInclusive, subtotal: pricing.subtotal,
                          discountTotal: pricing.discountTotal, taxTotal: pricing.taxTotal, total: pricing.total,
                          createdAt: date, completedAt: date, note: request.note)
        try order.insert(db)
        guard let orderID = order.id else { throw TillError.storage("order was not saved") }

        let floor = try Location.named(db, code: Location.floorCode)
        var lines: [OrderLine] = []
        for (position, priced) in pricing.lines.enumerated() {
            var line = OrderLine(orderID: orderID, position: position + 1, variantID: priced.line.variantID,
                                 sku: priced.line.sku, name: priced.line.name, quantity: priced.line.quantity,
                                 unitPrice: priced.line.unitPrice, discount: priced.discount,
                                 taxClass: priced.line.taxClassCode, taxRatePPM: priced.line.taxRatePPM,
                                 tax: priced.tax, total: priced.total)
            try line.insert(db)
            lines.append(line)
            try Inventory.record(db, variantID: priced.line.variantID, locationID: floor.id ?? 0,
                                 delta: -priced.line.quantity, reason: .sale, staffID: request.staffID,
                                 reference: "order:\(number)", at: date)
        }
        var payments: [Payment] = []
        for planned in plannedPayments {
            var payment = Payment(id: nil, orderID: orderID, method: planned.tender.method, amount: planned.applied,
                                  tendered: planned.tender.method == .cash ? planned.handed : nil,
                                  change: planned.tender.method == .cash ? planned.handed - planned.applied : nil,
                                  status: planned.tender.status, gatewayToken: planned.tender.card?.token,
                                  cardBrand: planned.tender.card?.brand, cardLast4: planned.tender.card?.last4,
                                  idempotencyKey: planned.tender.idempotencyKey, createdAt: date)
            try payment.insert(db)
            payments.append(payment)
        }
        return CompletedSale(order: order, lines: lines, payments: payments, pricing: pricing)
    }

    struct PlannedPayment {
        var tender: Tender
        var handed: Int64
        var applied: Int64
    }

    /// Checks the tenders cover the amount due exactly (cash may go over: that is change).
    static func planPayments(_ tenders: [Tender], due: Int64, currency: Currency) throws -> [PlannedPayment] {
        var remaining = due
        var planned: [PlannedPayment] = []
        for tender in tenders {
            guard remaining > 0 else {
                throw TillError.invalid("\(tender.method.rawValue) payment given after the sale was fully paid")
            }
            let handed = tender.amount ?? remaining
            guard handed > 0 else { throw TillError.invalid("\(tender.method.rawValue) payment must be above zero") }
            if tender.method == .card && tender.card == nil {
                throw TillError.invalid("a card payment needs the card's token, brand and last four")
            }
            if handed > remaining && tender.method != .cash {
                throw TillError.invalid("\(tender.method.rawValue) payment of \(Money(minorUnits: handed, currency: currency)) is more than the \(Money(minorUnits: remaining, currency: currency)) due")
            }
            let applied = min(handed, remaining)
            planned.append(PlannedPayment(tender: tender, handed: handed, applied: applied))
            remaining -= applied
        }
        guard remaining == 0 else {
            throw TillError.invalid("payments are \(Money(minorUnits: remaining, currency: currency)) short of the \(Money(minorUnits: due, currency: currency)) due")
        }
        return planned
    }
}

import Foundation

/// One tender of a sale rung up in one go: a method and an amount (nil: whatever is still due).
public struct ScriptedTender: Equatable, Sendable {
    public var method: PaymentMethod
    public var amount: Int64?
    public var creditCode: String?

    public init(method: PaymentMethod, amount: Int64? = nil, creditCode: String? = nil) {
        self.method = method
        self.amount = amount
        self.creditCode = creditCode
    }

    /// `cash`, `card:12.50`, `cash:20`, `credit:SC-0123456789[:5]` as `till sell --pay` takes them.
    public static func parse(_ text: String, currency: Currency) throws -> ScriptedTender {
        var parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard let methodName = parts.first, let method = PaymentMethod(rawValue: methodName.lowercased()) else {
            throw TillError.invalid("unknown payment method in \"\(text)\" (use cash, card or credit, e.g. card:12.50)")
        }
        var code: String?
        if method == .credit {
            guard parts.count >= 2, !parts[1].isEmpty else {
                throw TillError.invalid("store credit needs its code: credit:CODE or credit:CODE:AMOUNT")
            }
            code = parts.remove(at: 1)
        } else if parts.count > 2 {
            throw TillError.invalid("expected method:amount, got \"\(text)\"")
        }
        let amount = try parts.count == 2 ? MoneyParser(currency: currency).parse(parts[1]).minorUnits : nil
        if let amount, amount <= 0 { throw TillError.invalidAmount(parts[1], reason: "must be above zero") }
        return ScriptedTender(method: method, amount: amount, creditCode: code)
    }
}

extension Checkout {
    /// Rings up a whole sale from a script (`till sell`): cards are charged at the gateway first, then the sale
    /// is written in one transaction. If a card is declined or the sale cannot be saved, the cards already
    /// charged are voided and no order is written.
    public func sell(lines: [SaleLineRequest], orderDiscount: Discount?, customerID: Int64?, staffID: Int64?,
                     tenders: [ScriptedTender], cardNumber: String, gateway: PaymentGateway,
                     register: String = "script", approvedBy: Int64? = nil, at date: Date = Date()) throws -> CompletedSale {
        guard !tenders.isEmpty else { throw TillError.invalid("a sale needs a payment (--pay cash, --pay card:12.50 …)") }
        // Price first (nothing written), so card amounts are known before any card is charged.
        let preview = try quote(lines: lines, orderDiscount: orderDiscount).total
        let settings = try store.read { db in try StoreSettings.load(db) }
        var remaining = preview
        var resolved: [Tender] = []
        var charged: [String] = []
        do {
            for tender in tenders {
                guard remaining > 0 else { throw TillError.invalid("\(tender.method.rawValue) payment given after the sale was fully paid") }
                switch tender.method {
                case .card:
                    let amount = tender.amount ?? remaining
                    guard amount <= remaining else {
                        throw TillError.invalid("card payment of \(Money(minorUnits: amount, currency: settings.currency)) is more than the \(Money(minorUnits: remaining, currency: settings.currency)) due")
                    }
                    let key = "sell_\(UUID().uuidString.lowercased())"
                    let charge: GatewayCharge
                    do {
                        charge = try gateway.charge(amount: amount, currency: settings.currency, cardNumber: cardNumber,
                                                    idempotencyKey: key)
                    } catch let error as GatewayError {
                        throw TillError.invalid(error.description)
                    }
                    charged.append(charge.token)
                    resolved.append(Tender(method: .card, amount: amount,
                                           card: try CardDetails(token: charge.token, brand: charge.brand, last4: charge.last4),
                                           idempotencyKey: key))
                    remaining -= amount
                case .credit:
                    let code = tender.creditCode ?? ""
                    let balance = try StoreCredit(store: store).statement(code: code).balance
                    let amount = tender.amount ?? min(balance, remaining)
                    guard amount > 0 else { throw TillError.invalid("store credit \(code) has nothing left") }
                    resolved.append(Tender(method: .credit, amount: amount, creditCode: code))
                    remaining -= min(amount, remaining)
                default:
                    resolved.append(Tender(method: tender.method, amount: tender.amount))
                    remaining -= min(tender.amount ?? remaining, remaining)
                }
            }
            let sale = try completeSale(SaleRequest(lines: lines, orderDiscount: orderDiscount, customerID: customerID,
                                                    staffID: staffID, tenders: resolved, approvedBy: approvedBy),
                                        register: register, at: date)
            guard sale.order.total == preview else {
                throw TillError.storage("prices changed while the sale was being paid; order #\(sale.number) needs checking")
            }
            return sale
        } catch {
            for token in charged { _ = try? gateway.void(token: token) }
            throw error
        }
    }
}

extension Checkout {
    /// What a sale of these lines would cost now, by the same rules a cart uses (undiscounted lines of the same
    /// item are one line, unless it is weighed). Writes nothing.
    public func quote(lines: [SaleLineRequest], orderDiscount: Discount?) throws -> PricedSale {
        try store.read { db in
            let settings = try StoreSettings.load(db)
            var pricing: [PricingLine] = []
            var undiscounted: [Int64: Int] = [:]
            for line in lines {
                guard let item = try CatalogItem.fetchOne(db, sql: CatalogItem.selectSQL + " WHERE v.id = ?",
                                                          arguments: [line.variantID]) else {
                    throw TillError.notFound("item #\(line.variantID)")
                }
                guard item.active else { throw TillError.invalid("\(item.sku) (\(item.displayName)) is archived and cannot be sold") }
                guard item.unit == .kg || line.quantity.isWhole else {
                    throw TillError.invalidQuantity(line.quantity.description, reason: "\(item.sku) is sold in whole units")
                }
                if line.discount == nil, item.joinsLine, let index = undiscounted[item.variantID] {
                    pricing[index].quantity = pricing[index].quantity + line.quantity
                } else {
                    if line.discount == nil && item.joinsLine { undiscounted[item.variantID] = pricing.count }
                    pricing.append(PricingLine(item: item, quantity: line.quantity, discount: line.discount))
                }
            }
            return try SalePricing.price(try Promotion.apply(db, to: pricing), orderDiscount: orderDiscount,
                                         taxInclusive: settings.taxInclusive, currency: settings.currency)
        }
    }
}

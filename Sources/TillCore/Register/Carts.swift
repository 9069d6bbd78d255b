import Foundation
import GRDB

/// A sale in progress as the register shows it: the open order, its lines, what has been paid so far.
public struct Cart: Equatable, Sendable {
    public var order: Order
    public var lines: [OrderLine]
    public var payments: [Payment]
    public var customer: Customer?
    /// The cart's items that are sold by weight (variant ids): their lines are kilograms, not pieces.
    public var weighedVariants: Set<Int64> = []
    /// A card payment on it whose answer was lost: it may have paid; the next card try settles it.
    public var hasUnansweredCard = false

    /// What the cart holds, pieces and weight apart ("3 items, 0.450 kg").
    public var items: ItemCount { ItemCount(lines.map { ($0.quantity, isWeighed($0)) }) }
    public func isWeighed(_ line: OrderLine) -> Bool { weighedVariants.contains(line.variantID) }

    public var id: Int64 { order.id ?? 0 }
    public var isEmpty: Bool { lines.isEmpty }
    /// Captured tenders so far (a card part of a split payment, say).
    public var paid: Int64 { payments.filter { $0.status == .captured }.reduce(0) { $0 + $1.amount } }
    public var due: Int64 { order.total - paid }
    public var orderDiscount: Discount? { Discount(storageValue: order.discountSpec) }

    /// Tax per class on the cart as it stands.
    public var taxes: [(code: String, ratePPM: Int64, tax: Int64)] {
        OrderDetail(order: order, lines: lines, payments: payments, customer: customer, staff: nil).taxes
    }
}

/// The cart in progress, kept in the store as it changes: an `open` order whose lines are rewritten on every
/// scan, so a killed process or a power cut loses nothing, and a `parked` one can be recalled later. Stock and
/// order numbers are only touched when the sale completes.
public struct Carts: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// The newest open cart of this till, if any.
    public func current(register: String) throws -> Cart? {
        try store.read { db in
            guard let order = try Carts.newestOpen(db, register: register) else { return nil }
            return try Carts.load(db, order: order)
        }
    }

    public func cart(id: Int64) throws -> Cart {
        try store.read { db in try Carts.load(db, id: id) }
    }

    /// Adds `quantity` of an item to this till's open cart (creating the cart when there is none); nil is one
    /// piece, and refused for an item sold by weight (it is never sold as "1 kg" without being weighed). The
    /// same item again, without its own discount, adds to its line; weighed items never do (see `addLine`).
    public func add(variantID: Int64, quantity: Quantity? = nil, _ ctx: TillContext) throws -> Cart {
        let date = ctx.now
        return try store.write { db in
            let order = try Carts.openOrder(db, register: ctx.register, staffID: ctx.staffID, at: date)
            try Carts.addLine(db, orderID: order.id ?? 0, variantID: variantID, quantity: quantity)
            return try Carts.reprice(db, orderID: order.id ?? 0, at: date)
        }
    }

    /// Sets a line's quantity; zero removes it.
    public func setQuantity(cartID: Int64, position: Int, quantity: Quantity, _ ctx: TillContext) throws -> Cart {
        let date = ctx.now
        return try store.write { db in
            let line = try Carts.line(db, cartID: cartID, position: position)
            if quantity.milli == 0 {
                try Carts.removeLine(db, line)
            } else {
                guard quantity.milli > 0 else { throw TillError.invalidQuantity(quantity.description, reason: "must be above 0") }
                let unit = try String.fetchOne(db, sql: "SELECT p.unit FROM variant v JOIN product p ON p.id = v.product_id WHERE v.id = ?",
                                               arguments: [line.variantID])
                guard unit == SaleUnit.kg.rawValue || quantity.isWhole else {
                    throw TillError.invalidQuantity(quantity.description, reason: "\(line.sku) is sold in whole units")
                }
                try db.execute(sql: "UPDATE order_line SET quantity_milli = ? WHERE id = ?", arguments: [quantity.milli, line.id])
            }
            return try Carts.reprice(db, orderID: cartID, at: date)
        }
    }

    public func removeLine(cartID: Int64, position: Int, _ ctx: TillContext) throws -> Cart {
        try setQuantity(cartID: cartID, position: position, quantity: .zero, ctx)
    }

    /// A discount on one line (nil removes it), with the reason the cashier gave.
    /// Above the store's discount limit it needs `discount_above_limit` — the cashier's own, or an approving
    /// manager's (the context's approver, recorded on the line). No one acting in the context: whoever owns the cart.
    public func setLineDiscount(cartID: Int64, position: Int, discount: Discount?, reason: String = "",
                                _ ctx: TillContext) throws -> Cart {
        try CardNumberGuard.check(reason, field: "the discount reason")
        let date = ctx.now, staffID = ctx.staffID, approvedBy = ctx.approverID
        return try store.write { db in
            let line = try Carts.line(db, cartID: cartID, position: position)
            let base = try scaleRoundingHalfAwayFromZero(line.unitPrice, times: line.quantity.milli, over: Quantity.scale)
            let cart = try Carts.openCart(db, id: cartID)
            let approver = try Carts.authorize(db, discount, of: base, staffID: staffID ?? cart.order.staffID,
                                               approvedBy: approvedBy, cartID: cartID, at: date)
            try db.execute(sql: "UPDATE order_line SET discount_spec = ?, discount_reason = ?, discount_approved_by = ? WHERE id = ?",
                           arguments: [discount?.storageValue, discount == nil ? nil : reason, approver, line.id])
            return try Carts.reprice(db, orderID: cartID, at: date)
        }
    }

    /// A discount on the whole order, shared over its lines (nil removes it).
    public func setOrderDiscount(cartID: Int64, discount: Discount?, reason: String = "", _ ctx: TillContext) throws -> Cart {
        try CardNumberGuard.check(reason, field: "the discount reason")
        let date = ctx.now, staffID = ctx.staffID, approvedBy = ctx.approverID
        return try store.write { db in
            let cart = try Carts.openCart(db, id: cartID)
            let approver = try Carts.authorize(db, discount, of: cart.order.subtotal, staffID: staffID ?? cart.order.staffID,
                                               approvedBy: approvedBy, cartID: cartID, at: date)
            try db.execute(sql: "UPDATE orders SET discount_spec = ?, discount_reason = ?, discount_approved_by = ? WHERE id = ?",
                           arguments: [discount?.storageValue, discount == nil ? nil : reason, approver, cartID])
            return try Carts.reprice(db, orderID: cartID, at: date)
        }
    }

    /// Checks a discount against the store's limit. Returns the approving manager to record, if one was needed.
    static func authorize(_ db: Database, _ discount: Discount?, of base: Int64, staffID: Int64?, approvedBy: Int64?,
                          cartID: Int64, at date: Date) throws -> Int64? {
        guard let discount else { return nil }
        let limit = try StoreSettings.load(db).discountLimitPercent
        let overLimit: Bool
        switch discount {
        case let .percent(basisPoints): overLimit = basisPoints > limit * 100
        case let .amount(amount): overLimit = base > 0 ? amount * 100 > base * limit : amount > 0
        }
        guard overLimit else { return nil }
        guard let staffID, let member = try StaffMember.fetchOne(db, key: staffID), member.active else {
            throw TillError.permissionDenied("a discount above \(limit)% needs a signed-in manager")
        }
        if member.role.allows(.discountAboveLimit) { return nil }
        guard let approvedBy else {
            throw TillError.permissionDenied("\(member.username) (\(member.role.rawValue)) may give up to \(limit)% off; \(discount) needs a manager's approval")
        }
        let approver = try Permissions.require(db, .discountAboveLimit, staffID: staffID, approvedBy: approvedBy)
        try AuditLog.record(db, action: "discount.approved", entity: "order", entityID: cartID, before: nil,
                            after: ["discount": discount.description], staffID: staffID,
                            note: "approved by \(approver.username)", at: date)
        return approver.id
    }

    /// Changes a line's unit price. Only a manager or admin may; `staffID` is who is asking.
    public func overridePrice(cartID: Int64, position: Int, price: Int64, _ ctx: TillContext) throws -> Cart {
        let date = ctx.now, staffID = ctx.staffID, approvedBy = ctx.approverID
        return try store.write { db in
            guard let staffID, let member = try StaffMember.fetchOne(db, key: staffID), member.active else {
                throw TillError.permissionDenied("a price override needs a signed-in manager")
            }
            let authorizer = try Permissions.require(db, .priceOverride, staffID: staffID, approvedBy: approvedBy)
            if authorizer.id != member.id {
                try AuditLog.record(db, action: "price.approved", entity: "order", entityID: cartID, before: nil,
                                    after: ["price": String(price)], staffID: staffID,
                                    note: "approved by \(authorizer.username)", at: date)
            }
            guard price >= 0 else { throw TillError.invalid("a price cannot be negative") }
            let line = try Carts.line(db, cartID: cartID, position: position)
            try db.execute(sql: """
                UPDATE order_line SET unit_price = ?, original_price = COALESCE(original_price, ?), price_override_by = ?
                WHERE id = ?
                """, arguments: [price, line.unitPrice, authorizer.id, line.id])
            return try Carts.reprice(db, orderID: cartID, at: date)
        }
    }

    public func attachCustomer(cartID: Int64, customerID: Int64?, _ ctx: TillContext) throws -> Cart {
        let date = ctx.now
        return try store.write { db in
            _ = try Carts.openCart(db, id: cartID)
            if let customerID, try Customer.fetchOne(db, key: customerID) == nil {
                throw TillError.notFound("customer #\(customerID)")
            }
            try db.execute(sql: "UPDATE orders SET customer_id = ?, updated_at = ? WHERE id = ?",
                           arguments: [customerID, date, cartID])
            return try Carts.load(db, id: cartID)
        }
    }

    /// A customer named before the first item (a regular at the counter): the till's open cart — created when
    /// there is none — is theirs from the start.
    public func startSale(customerID: Int64, _ ctx: TillContext) throws -> Cart {
        let date = ctx.now
        return try store.write { db in
            guard try Customer.fetchOne(db, key: customerID) != nil else { throw TillError.notFound("customer #\(customerID)") }
            let order = try Carts.openOrder(db, register: ctx.register, staffID: ctx.staffID, at: date)
            try db.execute(sql: "UPDATE orders SET customer_id = ?, updated_at = ? WHERE id = ?",
                           arguments: [customerID, date, order.id])
            return try Carts.load(db, id: order.id ?? 0)
        }
    }

    /// The longest label a parked sale takes: enough for "red coat lady, back at 3".
    public static let parkLabelLimit = 40

    /// Puts the cart aside; the till starts a fresh one. Refused once a tender has been taken. `label` is what
    /// the cashier calls it, shown when recalling (blank: none).
    public func park(cartID: Int64, label: String? = nil, _ ctx: TillContext) throws {
        let date = ctx.now
        let trimmed = label?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let label = trimmed.isEmpty ? nil : trimmed
        try CardNumberGuard.check(label, field: "the parked sale's label")
        if let label, label.count > Carts.parkLabelLimit {
            throw TillError.invalid("a parked sale's label takes at most \(Carts.parkLabelLimit) characters (this one has \(label.count))")
        }
        try store.write { db in
            let cart = try Carts.openCart(db, id: cartID)
            guard !cart.isEmpty else { throw TillError.invalid("there is nothing to park") }
            guard cart.paid == 0 else { throw TillError.invalid("a sale with a payment taken cannot be parked; finish or cancel the payment first") }
            try CardAttempt.requireSettled(db, orderID: cartID, doing: "park it")
            try db.execute(sql: "UPDATE orders SET status = 'parked', park_label = ?, updated_at = ? WHERE id = ?",
                           arguments: [label, date, cartID])
        }
    }

    /// Parked sales, newest first.
    public func parked() throws -> [OrderSummary] {
        try Orders(store: store).search(OrderQuery(statuses: [.parked]), limit: 100)
    }

    /// Brings a parked sale back as this till's open cart. Refused while the till has a cart with items.
    public func recall(orderID: Int64, _ ctx: TillContext) throws -> Cart {
        let date = ctx.now, register = ctx.register
        return try store.write { db in
            guard let order = try Order.fetchOne(db, key: orderID), order.status == .parked else {
                throw TillError.notFound("parked sale #\(orderID)")
            }
            if let open = try Carts.newestOpen(db, register: register) {
                let lines = try OrderLine.filter(Column("order_id") == open.id).fetchCount(db)
                guard lines == 0 else { throw TillError.invalid("finish or park the current sale before recalling another") }
                try Carts.discard(db, orderID: open.id ?? 0, at: date)
            }
            try db.execute(sql: "UPDATE orders SET status = 'open', register = ?, updated_at = ? WHERE id = ?",
                           arguments: [register, date, orderID])
            return try Carts.load(db, id: orderID)
        }
    }

    /// Abandons a cart with no payments taken: it is kept as `voided` for the record; nothing else changes.
    public func discard(cartID: Int64, _ ctx: TillContext) throws {
        let date = ctx.now
        try store.write { db in
            let cart = try Carts.load(db, id: cartID)
            guard cart.order.status == .open || cart.order.status == .parked else {
                throw TillError.invalid("only a sale in progress or parked can be discarded")
            }
            guard cart.paid == 0 else { throw TillError.invalid("cancel the payments taken before voiding the sale") }
            try CardAttempt.requireSettled(db, orderID: cartID, doing: "void the sale")
            try Carts.discard(db, orderID: cartID, at: date)
        }
    }

    // MARK: - Shared steps (each runs inside the caller's transaction)

    // The statements below run on every scan and every sale: they are prepared once per connection and kept
    // (GRDB's query interface and `sql:` calls compile anew each time, which costs more than running them).

    static func load(_ db: Database, id: Int64) throws -> Cart {
        guard let order = try Order.fetchOne(db.cachedStatement(sql: "SELECT * FROM orders WHERE id = ?"), arguments: [id]) else {
            throw TillError.notFound("sale #\(id)")
        }
        return try load(db, order: order)
    }

    static func load(_ db: Database, order: Order) throws -> Cart {
        let lines = try OrderLine.fetchAll(db.cachedStatement(sql: "SELECT * FROM order_line WHERE order_id = ? ORDER BY position"),
                                           arguments: [order.id])
        let payments = try Payment.fetchAll(db.cachedStatement(sql: "SELECT * FROM payment WHERE order_id = ? ORDER BY id"),
                                            arguments: [order.id])
        let customer = try order.customerID.flatMap { try Customer.fetchOne(db, key: $0) }
        let weighed = try Int64.fetchAll(db.cachedStatement(sql: """
            SELECT DISTINCT l.variant_id FROM order_line l \(ItemCount.itemUnitJoin) WHERE l.order_id = ? AND p.unit = 'kg'
            """), arguments: [order.id])
        let unanswered = try Int.fetchOne(db.cachedStatement(sql: """
            SELECT COUNT(*) FROM card_attempt WHERE order_id = ? AND state IN ('asking', 'unanswered')
            """), arguments: [order.id]) ?? 0
        return Cart(order: order, lines: lines, payments: payments, customer: customer, weighedVariants: Set(weighed),
                    hasUnansweredCard: unanswered > 0)
    }

    static func newestOpen(_ db: Database, register: String) throws -> Order? {
        // The IN term repeats the partial index's condition word for word: SQLite uses a partial index only
        // then, and without it this scans every order ever made when the till has no cart.
        try Order.fetchOne(db.cachedStatement(sql: """
            SELECT * FROM orders WHERE register = ? AND status IN ('open', 'parked') AND status = 'open' ORDER BY id DESC LIMIT 1
            """), arguments: [register])
    }

    static func openCart(_ db: Database, id: Int64) throws -> Cart {
        let cart = try load(db, id: id)
        guard cart.order.status == .open else { throw TillError.invalid("sale #\(id) is \(cart.order.status.rawValue), not open") }
        return cart
    }

    static func openOrder(_ db: Database, register: String, staffID: Int64?, at date: Date) throws -> Order {
        if let open = try newestOpen(db, register: register) {
            return open
        }
        return try newOrder(db, register: register, staffID: staffID, at: date)
    }

    /// A new open order on `register`, even when the till already has a cart (a scripted sale beside it).
    static func newOrder(_ db: Database, register: String, staffID: Int64?, at date: Date) throws -> Order {
        let settings = try StoreSettings.load(db)
        var order = Order(id: nil, number: nil, status: .open, customerID: nil, staffID: staffID,
                          currency: settings.currency.code, taxInclusive: settings.taxInclusive, subtotal: 0,
                          discountTotal: 0, taxTotal: 0, total: 0, createdAt: date, completedAt: nil, note: "",
                          register: register, updatedAt: date)
        try order.insert(db)
        return order
    }

    /// A discounted line always stands alone; an undiscounted one joins the same item's undiscounted line —
    /// except a weighed item's: each weighing (each scale label) is its own line with its own weight and price.
    /// `quantity` nil is one piece; a weighed item needs its weight given.
    static func addLine(_ db: Database, orderID: Int64, variantID: Int64, quantity given: Quantity?,
                        discount: Discount? = nil) throws {
        guard let item = try CatalogItem.fetchOne(db.cachedStatement(sql: CatalogItem.selectSQL + " WHERE v.id = ?"), arguments: [variantID]) else {
            throw TillError.notFound("item #\(variantID)")
        }
        guard item.active else { throw TillError.invalid("\(item.sku) (\(item.displayName)) is archived and cannot be sold") }
        // The open-price item has no price of its own: it is sold only at a typed one, with what it is.
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM store_setting WHERE key = 'misc_sku' AND value = ? COLLATE NOCASE"),
                             arguments: [item.sku]) == true {
            throw TillError.invalid("\(item.sku) is the open-price item: sell it at a typed price with what it is (*4.50 Gift wrap at the till)")
        }
        let quantity = try item.saleQuantity(given)
        guard quantity.milli > 0 else { throw TillError.invalidQuantity(quantity.description, reason: "must be above 0") }
        guard item.unit == .kg || quantity.isWhole else {
            throw TillError.invalidQuantity(quantity.description, reason: "\(item.sku) is sold in whole units")
        }
        if discount == nil, item.joinsLine, let same = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT id FROM order_line WHERE order_id = ? AND variant_id = ? AND discount_spec IS NULL AND original_price IS NULL LIMIT 1
            """), arguments: [orderID, variantID]) {
            try db.cachedStatement(sql: "UPDATE order_line SET quantity_milli = quantity_milli + ? WHERE id = ?")
                .execute(arguments: [quantity.milli, same])
            return
        }
        let position = (try Int.fetchOne(db.cachedStatement(sql: "SELECT MAX(position) FROM order_line WHERE order_id = ?"),
                                         arguments: [orderID]) ?? 0) + 1
        var line = OrderLine(orderID: orderID, position: position, variantID: item.variantID, sku: item.sku,
                             name: item.displayName, quantity: quantity, unitPrice: item.price, discount: 0,
                             taxClass: item.taxClassCode, taxRatePPM: item.taxRatePPM, tax: 0, total: 0)
        line.discountSpec = discount?.storageValue
        line.categoryID = item.categoryID
        line.unitCost = item.cost
        try line.insert(db)
    }

    static func line(_ db: Database, cartID: Int64, position: Int) throws -> OrderLine {
        _ = try openCart(db, id: cartID)
        guard let line = try OrderLine.filter(Column("order_id") == cartID && Column("position") == position).fetchOne(db) else {
            throw TillError.notFound("line \(position) of the sale")
        }
        return line
    }

    /// Removes a line and closes the gap, so lines stay numbered 1, 2, 3 …
    static func removeLine(_ db: Database, _ line: OrderLine) throws {
        try db.execute(sql: "DELETE FROM order_line WHERE id = ?", arguments: [line.id])
        let rest = try OrderLine.filter(Column("order_id") == line.orderID).order(Column("position")).fetchAll(db)
        // Two passes, so the UNIQUE (order_id, position) never sees two lines on one number.
        for (index, other) in rest.enumerated() {
            try db.execute(sql: "UPDATE order_line SET position = ? WHERE id = ?", arguments: [-(index + 1), other.id])
        }
        try db.execute(sql: "UPDATE order_line SET position = -position WHERE order_id = ?", arguments: [line.orderID])
    }

    static func discard(_ db: Database, orderID: Int64, at date: Date) throws {
        try db.execute(sql: "UPDATE orders SET status = 'voided', updated_at = ? WHERE id = ?", arguments: [date, orderID])
    }

    /// Works the cart's money out again from its lines and discounts (the same pricing the checkout uses) and
    /// stores it, so what the screen shows is what a restart shows.
    @discardableResult
    static func reprice(_ db: Database, orderID: Int64, at date: Date) throws -> Cart {
        var cart = try openCart(db, id: orderID)
        let settings = try StoreSettings.load(db)
        // Each line takes its class's rate in force now: a rate change reaches an open cart when it is priced.
        var ratesInForce: [String: Int64] = [:]
        for line in cart.lines where ratesInForce[line.taxClass] == nil {
            ratesInForce[line.taxClass] = try TaxRates.rate(db, classCode: line.taxClass, at: date) ?? line.taxRatePPM
        }
        let lines = try Promotion.apply(db, to: cart.lines.map { line in
            var pricing = line.pricingLine
            pricing.taxRatePPM = ratesInForce[line.taxClass] ?? line.taxRatePPM
            return pricing
        }, at: date)
        let pricing = try SalePricing.price(lines, orderDiscount: cart.orderDiscount, taxInclusive: cart.order.taxInclusive,
                                            currency: settings.currency)
        for (index, priced) in pricing.lines.enumerated() {
            let before = cart.lines[index]
            guard before.discount != priced.discount || before.tax != priced.tax || before.total != priced.total
                    || before.promotion != priced.line.promotionName || before.promotionDiscount != priced.line.promotionDiscount
                    || before.taxRatePPM != priced.line.taxRatePPM else { continue }
            cart.lines[index].taxRatePPM = priced.line.taxRatePPM
            cart.lines[index].discount = priced.discount
            cart.lines[index].tax = priced.tax
            cart.lines[index].total = priced.total
            cart.lines[index].promotion = priced.line.promotionName
            cart.lines[index].promotionDiscount = priced.line.promotionDiscount
            try db.cachedStatement(sql: """
                UPDATE order_line SET discount = ?, tax = ?, total = ?, promotion = ?, promotion_discount = ?, tax_rate_ppm = ?
                WHERE id = ?
                """).execute(arguments: [priced.discount, priced.tax, priced.total, priced.line.promotionName,
                                         priced.line.promotionDiscount, priced.line.taxRatePPM, cart.lines[index].id])
        }
        cart.order.subtotal = pricing.subtotal
        cart.order.discountTotal = pricing.discountTotal
        cart.order.taxTotal = pricing.taxTotal
        cart.order.total = pricing.total
        cart.order.updatedAt = date
        try db.cachedStatement(sql: """
            UPDATE orders SET subtotal = ?, discount_total = ?, tax_total = ?, total = ?, updated_at = ? WHERE id = ?
            """).execute(arguments: [pricing.subtotal, pricing.discountTotal, pricing.taxTotal, pricing.total, date, orderID])
        guard cart.paid <= cart.order.total else {
            throw TillError.invalid("the sale would come to less than the \(Money(minorUnits: cart.paid, currency: settings.currency)) already paid; cancel the payments first")
        }
        return cart
    }
}

extension OrderLine {
    /// The line as the pricing reads it (its promotion is worked out afresh).
    var pricingLine: PricingLine {
        PricingLine(variantID: variantID, sku: sku, name: name, quantity: quantity, unitPrice: unitPrice,
                    taxClassCode: taxClass, taxRatePPM: taxRatePPM, discount: Discount(storageValue: discountSpec))
    }
}

import Foundation

/// A plain-text till receipt for 80 mm paper: 42 columns (Font A) or 48 (Font B).
public struct Receipt: Sendable {
    public static let widths = [42, 48]

    public let width: Int

    public init(width: Int = 42) {
        self.width = max(32, width)
    }

    public func text(for detail: OrderDetail, storeName: String, timeZone: TimeZone = .current, copy: Bool = false) -> String {
        let order = detail.order
        let currency = (try? Currency.named(order.currency)) ?? .EUR
        func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).formatted() }
        var lines: [String] = []
        let rule = String(repeating: "-", count: width)
        lines.append(center(storeName))
        lines.append("")
        lines.append(pair("Order #\(order.number.map(String.init) ?? "—")", timestamp(order.completedAt ?? order.createdAt, timeZone)))
        if let staff = detail.staff { lines.append("Served by \(staff.name)") }
        if let customer = detail.customer { lines.append("Customer: \(customer.name)".clippedToColumns(width)) }
        if order.status != .completed {
            lines.append(center("*** \(order.status.rawValue.replacingOccurrences(of: "_", with: " ").uppercased()) ***"))
        }
        if copy { lines.append(center("*** COPY ***")) }
        lines.append(rule)
        for line in detail.lines {
            lines.append(line.name.clippedToColumns(width))
            let quantity = line.quantity.isWhole ? "\(line.quantity) x \(money(line.unitPrice))"
                : "\(line.quantity) kg x \(money(line.unitPrice))/kg"
            lines.append(pair("  " + quantity, money(line.total + line.discount)))
            if let original = line.originalPrice {
                lines.append(pair("  Price changed from", money(original)))
            }
            if line.discount > 0 {
                // The stored discount is the line's own plus its share of the order discount: show each.
                let gross = line.total + line.discount
                if line.promotionDiscount > 0 {
                    lines.append(pair("  \(line.promotion ?? "Promotion")", "-" + money(line.promotionDiscount)))
                }
                let own = Discount(storageValue: line.discountSpec)
                let ownAmount = (try? own?.amountOff(gross - line.promotionDiscount)) ?? 0
                if let own, ownAmount > 0 {
                    let label: String
                    if case .percent = own { label = "  Discount \(own)" } else { label = "  Discount" }
                    lines.append(pair(label, "-" + money(ownAmount)))
                }
                let share = line.discount - line.promotionDiscount - ownAmount
                if share > 0 {
                    lines.append(pair("  Order discount share", "-" + money(share)))
                }
            }
        }
        lines.append(rule)
        lines.append(pair("Subtotal", money(order.subtotal)))
        if order.discountTotal > 0 { lines.append(pair("Discounts", "-" + money(order.discountTotal))) }
        if !order.taxInclusive {
            for tax in detail.taxes where tax.tax != 0 {
                lines.append(pair("Tax \(tax.code) \(TaxClass.formatRate(tax.ratePPM))%", money(tax.tax)))
            }
        }
        lines.append(pair("TOTAL", money(order.total)))
        if order.cashRounding != 0 {
            lines.append(pair("Cash rounding", (order.cashRounding > 0 ? "+" : "") + money(order.cashRounding)))
            lines.append(pair("TO PAY", money(order.total + order.cashRounding)))
        }
        if order.taxInclusive {
            for tax in detail.taxes where tax.tax != 0 {
                lines.append(pair("  incl. tax \(tax.code) \(TaxClass.formatRate(tax.ratePPM))%", money(tax.tax)))
            }
        }
        lines.append(rule)
        var change: Int64 = 0
        for payment in detail.payments where payment.status != .voided {
            var label = payment.method == .card
                ? "Card \(payment.cardBrand ?? "") ••\(payment.cardLast4 ?? "")"
                : payment.method == .cash ? "Cash"
                : payment.method == .points ? "Loyalty points"
                : "Store credit " + (payment.creditAccountID.flatMap { detail.creditCodes[$0] } ?? "")
            if payment.status != .captured { label += " (\(payment.status.rawValue))" }
            lines.append(pair(label, money(payment.tendered ?? payment.amount)))
            if payment.method == .card {
                // What a card receipt must carry, from the reader: how it was read, the chip application, the
                // issuer's authorisation code. Never more of the number than the last four.
                let read = [payment.cardEntryMode.flatMap(Receipt.entryModeText), payment.cardApplicationName].compactMap { $0 }
                if !read.isEmpty { lines.append(("  " + read.joined(separator: " · ")).clippedToColumns(width)) }
                let codes = [payment.cardApplicationID.map { "AID \($0)" }, payment.cardAuthorizationCode.map { "Auth \($0)" }].compactMap { $0 }
                if !codes.isEmpty { lines.append(("  " + codes.joined(separator: " · ")).clippedToColumns(width)) }
                if let authorized = payment.authorizedAmount, authorized != payment.amount {
                    lines.append(pair("  authorized", money(authorized)))
                }
            }
            change += payment.change ?? 0
        }
        if change > 0 { lines.append(pair("Change", money(change))) }
        if detail.pointsEarned != 0 {
            lines.append(pair("Points earned", "+\(detail.pointsEarned)"))
            if let balance = detail.pointsBalance { lines.append(pair("Points balance", "\(balance)")) }
        }
        lines.append(rule)
        for refund in detail.refunds where refund.refund.status == .completed {
            let verb = refund.refund.kind == .void ? "VOIDED" : "REFUNDED"
            lines.append(pair("\(verb) \(timestamp(refund.refund.completedAt ?? refund.refund.createdAt, timeZone))",
                              "-" + money(refund.refund.amount)))
            for line in refund.lines {
                lines.append(("  \(line.quantity) x " + line.name).clippedToColumns(width))
            }
            for tender in refund.tenders {
                let label = tender.method == .card ? "  to card ••\(tender.cardLast4 ?? "")"
                    : tender.method == .cash ? "  in cash" : tender.method == .points ? "  back to points"
                    : "  to store credit \(refund.creditCode ?? "")"
                lines.append(pair(label, money(tender.amount)))
            }
            lines.append(rule)
        }
        lines.append(center("Thank you for shopping with us"))
        return lines.joined(separator: "\n") + "\n"
    }

    static func entryModeText(_ raw: String) -> String? {
        switch CardEntryMode(rawValue: raw) {
        case .contactless: return "Contactless"
        case .chip: return "Chip"
        case .swipe: return "Swiped"
        case .manual: return "Keyed"
        default: return nil
        }
    }

    private func pair(_ left: String, _ right: String) -> String {
        let room = width - right.displayColumns - 1
        let clipped = left.clippedToColumns(max(0, room))
        return clipped + String(repeating: " ", count: max(1, width - clipped.displayColumns - right.displayColumns)) + right
    }

    private func center(_ text: String) -> String {
        let clipped = text.clippedToColumns(width)
        return String(repeating: " ", count: max(0, (width - clipped.displayColumns) / 2)) + clipped
    }

    private func timestamp(_ date: Date, _ timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}

extension String {
    /// Columns the text takes, counted as the screen counts them (CJK and emoji two, combining marks none), so
    /// the saved and shown receipt lines up; the printer encoding keeps the same widths (`CodePage858`).
    var displayColumns: Int { DisplayWidth.of(self) }

    func clippedToColumns(_ columns: Int) -> String { clipped(toWidth: columns) }
}

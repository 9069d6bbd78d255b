import Foundation

/// The loss-prevention report as a till prints it (Reports pane, `e`): one line per exception kind per staff
/// member and day, in columns, within the till's width — only what happened, not a grid of zeros.
public enum ExceptionsReport {
    public static func lines(_ rows: [ExceptionRow], title: String, currency: Currency, width: Int = 48) -> [String] {
        func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).formatted() }
        // day 7 · staff 9 · what 19 · count 4 · amount (the rest), figures right-aligned.
        let amountWidth = max(8, width - 39)
        func line(_ day: String, _ staff: String, _ what: String, _ count: String, _ amount: String) -> String {
            day.padded(toWidth: 7) + String(staff.prefix(8)).padded(toWidth: 9) + what.padded(toWidth: 19)
                + count.padded(toWidth: 4, alignRight: true) + amount.padded(toWidth: amountWidth, alignRight: true)
        }
        var lines = [title, String(repeating: "-", count: width), line("day", "staff", "what", "n", "amount")]
        for row in rows {
            let day = String(row.day.suffix(5))
            var items: [(String, Int?, Int64?)] = []
            if row.voids > 0 { items.append(("voids", row.voids, row.voidAmount)) }
            if row.noSales > 0 { items.append(("no-sales", row.noSales, nil)) }
            if row.noReceiptReturns > 0 { items.append(("returns, no receipt", row.noReceiptReturns, row.noReceiptAmount)) }
            if row.approvedDiscounts > 0 { items.append(("approved discounts", row.approvedDiscounts, nil)) }
            if row.priceOverrides > 0 { items.append(("price overrides", row.priceOverrides, nil)) }
            if row.cashVariance != 0 { items.append(("cash variance", nil, row.cashVariance)) }
            for item in items {
                let amount = item.2.map { ($0 > 0 && item.0 == "cash variance" ? "+" : "") + money($0) } ?? ""
                lines.append(line(day, row.staff, item.0, item.1.map(String.init) ?? "", amount))
            }
        }
        if rows.isEmpty { lines.append("no exceptions") }
        return lines
    }
}

import Foundation

/// A shift's drawer figures as printed lines (the shift report), shared by the CLI and the TUI.
public enum ShiftReport {
    public static func lines(_ summary: ShiftSummary, currency: Currency, timeZone: TimeZone = .current) -> [String] {
        func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).formatted() }
        func row(_ label: String, _ value: String, _ tail: String = "") -> String {
            "  " + label.padding(toLength: 16, withPad: " ", startingAt: 0) + String(repeating: " ", count: max(0, 12 - value.count)) + value + tail
        }
        let shift = summary.shift
        var lines = ["SHIFT \(shift.id ?? 0) — register \(shift.register)",
                     "opened \(LocalTime.format(shift.openedAt, timeZone: timeZone)) by \(summary.openedBy ?? "—")"]
        if let closed = shift.closedAt { lines.append("closed \(LocalTime.format(closed, timeZone: timeZone)) by \(summary.closedBy ?? "—")") }
        // Blind close: what the drawer should hold stays hidden until the count is saved.
        guard !summary.expectedHidden else {
            lines += [row("float", money(shift.openingFloat)),
                      row("sales", String(summary.sales)),
                      "  expected cash: shown after the drawer is counted (blind close)"]
            return lines
        }
        lines += [row("float", money(shift.openingFloat)),
                  row("cash sales", money(summary.cashSales), "   (\(summary.sales) sales)"),
                  row("cash refunds", "-" + money(summary.cashRefunds)),
                  row("pay-ins", money(summary.payIns)),
                  row("pay-outs", "-" + money(summary.payOuts)),
                  row("no-sales", String(summary.noSales)),
                  row("expected", money(summary.expectedCash))]
        if let counted = summary.countedCash, let variance = summary.variance {
            lines.append(row("counted", money(counted)))
            if let detail = shift.countDetail { lines.append("    " + detail) }
            lines.append(row("variance", (variance > 0 ? "+" : "") + money(variance),
                             variance == 0 ? "   balanced" : variance > 0 ? "   over" : "   short"))
        }
        return lines
    }
}

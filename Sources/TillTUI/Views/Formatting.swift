import Foundation
import TillCore

/// How dates and quantities read on screen.
enum Formatting {
    static func dateTime(_ date: Date?) -> String {
        guard let date else { return "" }
        let parts = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                      parts.hour ?? 0, parts.minute ?? 0)
    }

    static func quantity(_ quantity: Quantity, unit: SaleUnit) -> String {
        unit == .kg ? "\(quantity) kg" : quantity.description
    }

    static func stockRole(_ onHand: Quantity, reorderPoint: Quantity) -> ThemeRole {
        if onHand.milli < 0 { return .stockNegative }
        if onHand <= reorderPoint { return .stockLow }
        return .text
    }

    static func status(_ status: OrderStatus) -> String {
        switch status {
        case .partiallyRefunded: return "part-refunded"
        default: return status.rawValue
        }
    }
}

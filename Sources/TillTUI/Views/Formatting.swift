import Foundation
import TillCore

/// How dates and quantities read on screen.
enum Formatting {
    /// A stored (UTC) time as the shop reads it: in the store's time zone.
    static func dateTime(_ date: Date?, in timeZone: TimeZone) -> String {
        guard let date else { return "" }
        return LocalTime.format(date, timeZone: timeZone)
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

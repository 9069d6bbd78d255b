import Foundation
import TillCore

/// Other stores' stock of the SKU on screen (Catalog's detail, Inventory's movements), asked of head office
/// when the SKU is opened in a chain store — so a cashier can say "Store S014 has 3".
public struct StockElsewhereState: Equatable, Sendable {
    public var sku: String
    /// nil while head office is being asked.
    public var answer: StockElsewhereAnswer?

    /// One line: each store's on-hand, and how old HQ's figures are.
    func line(unit: SaleUnit, timeZone: TimeZone) -> String {
        switch answer {
        case nil:
            return "asking head office…"
        case .unavailable(let reason):
            return reason
        case .levels(let levels) where levels.isEmpty:
            return "no other store has any recorded"
        case .levels(let levels):
            let stores = levels.map { "\($0.store) \(Formatting.quantity($0.onHand, unit: unit))" }.joined(separator: " · ")
            let oldest = levels.compactMap(\.asOf).min()
            return stores + (oldest.map { "  (HQ, as of \(Formatting.dateTime($0, in: timeZone)))" } ?? "  (HQ)")
        }
    }
}

public enum StockElsewhereAnswer: Equatable, Sendable {
    case levels([StoreStock])
    case unavailable(String)
}

enum StockElsewhereReducer {
    /// Asks HQ about `sku` when this store is in a chain; outside one there is nothing to show.
    static func ask(_ state: inout AppState, sku: String) -> [Effect] {
        guard state.store.chainLink != nil else {
            state.stockElsewhere = nil
            return []
        }
        state.stockElsewhere = StockElsewhereState(sku: sku, answer: nil)
        return [.loadStockElsewhere(sku: sku)]
    }

    static func loaded(_ state: inout AppState, sku: String, _ answer: StockElsewhereAnswer) -> [Effect] {
        // An answer for a SKU no longer on screen is dropped.
        if state.stockElsewhere?.sku == sku { state.stockElsewhere?.answer = answer }
        return []
    }
}

import Foundation
import NIOCore
import TillCore

/// A chain store's live line to HQ (TillCore's `HeadOffice`), over the store's own role: it may call only the
/// functions HQ grants stores, so it can hold credit and read other stores' stock, never write a table.
///
/// One connection, opened on first use and kept; a transport failure closes it and the call is tried once more
/// on a new one (every call is safe to repeat: a hold is keyed by its id). If that fails too, the caller hears
/// `HeadOfficeUnreachable` within a few seconds and sells on without HQ.
public final class HQHeadOffice: HeadOffice, @unchecked Sendable {
    private let url: Result<PostgresURL, HQError>
    private let connectTimeout: TimeAmount
    private let callTimeout: TimeAmount
    private let lock = NSLock()
    private var connection: HQConnection?

    public init(url: PostgresURL, connectTimeout: TimeAmount = .seconds(3), callTimeout: TimeAmount = .seconds(5)) {
        self.url = .success(url)
        self.connectTimeout = connectTimeout
        self.callTimeout = callTimeout
    }

    /// The line for the store file at `storePath`, from its `.hq.toml`; a missing or unreadable file makes every
    /// call unreachable with the file's problem as the reason.
    public init(forStore storePath: String) {
        do {
            url = .success(try ChainConfig.read(forStore: storePath))
        } catch let error as HQError {
            url = .failure(error)
        } catch {
            url = .failure(.invalid(String(describing: error)))
        }
        connectTimeout = .seconds(3)
        callTimeout = .seconds(5)
    }

    deinit { connection?.close() }

    public func creditLookup(code: String) throws -> CreditAtHeadOffice? {
        guard let object = try call("SELECT hq.lookup_credit($1) AS answer", [code]) else { return nil }
        return CreditAtHeadOffice(code: object["code"] as? String ?? code, currency: object["currency"] as? String ?? "",
                                  balance: Self.int(object["balance"]), held: Self.int(object["held"]))
    }

    public func holdCredit(holdID: String, code: String, amount: Int64) throws -> CreditHoldAnswer {
        let object = try call("SELECT hq.hold_credit($1::uuid, $2, $3::bigint) AS answer", [holdID, code, String(amount)]) ?? [:]
        switch object["answer"] as? String {
        case "granted": return .granted(availableAfter: Self.int(object["available"]))
        case "refused": return .refused(available: Self.int(object["available"]))
        case "unknown": return .unknownCard
        default: throw TillError.invalid("head office answered a hold with \(object)")
        }
    }

    public func releaseCredit(holdID: String) throws {
        _ = try call("SELECT hq.release_credit($1::uuid) AS answer", [holdID])
    }

    public func stockElsewhere(sku: String) throws -> [StockElsewhere] {
        let rows = try callArray("SELECT hq.stock_elsewhere($1) AS answer", [sku])
        return rows.map { row in
            StockElsewhere(store: row["store"] as? String ?? "?", storeName: row["name"] as? String ?? "",
                           location: row["location"] as? String ?? "", onHand: Quantity(milli: Self.int(row["on_hand_milli"])),
                           asOf: (row["as_of"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
        }
    }

    public func requestTransfer(id: String, from: String, items: [TransferItem], note: String, by: String?) throws -> ChainTransfer {
        let lines = items.map { ["sku": $0.sku, "quantity_milli": $0.quantity.milli] as [String: Any] }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: lines), as: UTF8.self)
        guard let object = try call("SELECT hq.request_transfer($1, $2, $3::jsonb, $4, $5) AS answer", [id, from, json, note, by]) else {
            throw TillError.invalid("head office did not answer the transfer request")
        }
        return Self.transfer(object)
    }

    public func transfers(all: Bool) throws -> [ChainTransfer] {
        try callArray("SELECT hq.transfers_for_me($1::boolean) AS answer", [all ? "true" : "false"]).map(Self.transfer)
    }

    public func transfer(id: String) throws -> ChainTransfer? {
        try call("SELECT hq.transfer_for_me($1) AS answer", [id]).map(Self.transfer)
    }

    public func resolveTransfer(id: String, sku: String, outcome: TransferLoss, note: String, by: String?) throws -> ChainTransfer {
        guard let object = try call("SELECT hq.resolve_transfer($1, $2, $3, $4, $5) AS answer", [id, sku, outcome.rawValue, note, by]) else {
            throw TillError.invalid("head office did not answer")
        }
        return Self.transfer(object)
    }

    public func loyaltyBalance(customer globalID: String) throws -> LoyaltyAtHeadOffice {
        let object = try call("SELECT hq.loyalty_balance($1::uuid) AS answer", [globalID]) ?? [:]
        return LoyaltyAtHeadOffice(points: Self.int(object["points"]), acknowledged: Self.int(object["acknowledged"]),
                                   held: Self.int(object["held"]))
    }

    public func purchases(customer globalID: String, limit: Int) throws -> [ChainPurchase] {
        try callArray("SELECT hq.customer_purchases($1::uuid, $2::int) AS answer", [globalID, String(limit)]).map { row in
            ChainPurchase(store: row["store"] as? String ?? "", number: Self.int(row["number"]),
                          completedAt: (row["completed_at"] as? String).flatMap { try? Date($0, strategy: .iso8601) },
                          total: Self.int(row["total"]), items: Int(Self.int(row["items"])))
        }
    }

    public func orderForReturn(chainNumber: String) throws -> ChainSaleForReturn? {
        guard let object = try call("SELECT hq.order_for_return($1) AS answer", [chainNumber]) else { return nil }
        let lines = (object["lines"] as? [[String: Any]] ?? []).map { line in
            ChainSaleForReturn.Line(sku: line["sku"] as? String ?? "", name: line["name"] as? String ?? "",
                                    sold: Quantity(milli: Self.int(line["sold_milli"])), unitAmount: Self.int(line["unit_amount"]),
                                    returned: Quantity(milli: Self.int(line["returned_milli"])))
        }
        return ChainSaleForReturn(store: object["store"] as? String ?? "", number: Self.int(object["number"]),
                                  voided: object["voided"] as? Bool ?? false, returnsAnywhere: object["returns_anywhere"] as? Bool ?? false,
                                  lines: lines)
    }

    public func claimReturn(claimID: String, chainNumber: String, items: [TransferItem]) throws -> ReturnClaimAnswer {
        let lines = items.map { ["sku": $0.sku, "quantity_milli": $0.quantity.milli] as [String: Any] }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: lines), as: UTF8.self)
        let object = try call("SELECT hq.claim_return($1::uuid, $2, $3::jsonb) AS answer", [claimID, chainNumber, json]) ?? [:]
        switch object["answer"] as? String {
        case "granted":
            return .granted((object["lines"] as? [[String: Any]] ?? []).map { line in
                (sku: line["sku"] as? String ?? "", quantity: Quantity(milli: Self.int(line["quantity_milli"])),
                 unitAmount: Self.int(line["unit_amount"]))
            })
        case "refused":
            return .refused(object["reason"] as? String ?? "refused")
        default:
            throw TillError.invalid("head office answered a return claim with \(object)")
        }
    }

    public func holdPoints(holdID: String, customer globalID: String, points: Int64) throws -> CreditHoldAnswer {
        let object = try call("SELECT hq.hold_points($1::uuid, $2::uuid, $3::bigint) AS answer", [holdID, globalID, String(points)]) ?? [:]
        switch object["answer"] as? String {
        case "granted": return .granted(availableAfter: Self.int(object["available"]))
        case "refused": return .refused(available: Self.int(object["available"]))
        case "unknown": return .unknownCard
        default: throw TillError.invalid("head office answered a points hold with \(object)")
        }
    }

    public func releasePoints(holdID: String) throws {
        _ = try call("SELECT hq.release_points($1::uuid) AS answer", [holdID])
    }

    public func releaseReturn(claimID: String) throws {
        _ = try call("SELECT hq.release_return($1::uuid) AS answer", [claimID])
    }

    static func transfer(_ object: [String: Any]) -> ChainTransfer {
        let lines = (object["lines"] as? [[String: Any]] ?? []).map { line in
            ChainTransferLine(sku: line["sku"] as? String ?? "", requested: Quantity(milli: int(line["requested_milli"])),
                              shipped: Quantity(milli: int(line["shipped_milli"])), received: Quantity(milli: int(line["received_milli"])),
                              writtenOff: Quantity(milli: int(line["written_off_milli"])),
                              inTransit: Quantity(milli: int(line["in_transit_milli"])))
        }
        return ChainTransfer(id: object["id"] as? String ?? "", from: object["from"] as? String ?? "",
                             fromName: object["from_name"] as? String ?? "", to: object["to"] as? String ?? "",
                             toName: object["to_name"] as? String ?? "", requested: object["requested"] as? Bool ?? false,
                             requestedBy: object["requested_by"] as? String, note: object["note"] as? String ?? "",
                             createdAt: (object["created_at"] as? String).flatMap { try? Date($0, strategy: .iso8601) },
                             lines: lines)
    }

    // MARK: - The connection

    private func call(_ sql: String, _ binds: [String?]) throws -> [String: Any]? {
        guard let text = try answer(sql, binds) else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw TillError.invalid("head office answered with something other than an object: \(text.prefix(200))")
        }
        return object
    }

    private func callArray(_ sql: String, _ binds: [String?]) throws -> [[String: Any]] {
        guard let text = try answer(sql, binds) else { return [] }
        guard let array = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else {
            throw TillError.invalid("head office answered with something other than a list: \(text.prefix(200))")
        }
        return array
    }

    private func answer(_ sql: String, _ binds: [String?]) throws -> String? {
        lock.lock()
        defer { lock.unlock() }
        var lastFailure = "no attempt"
        for _ in 0..<2 {
            do {
                let hq = try open()
                return try hq.query(sql, binds)["answer"]
            } catch let error as HQError where error.isTransport || error.isBadConfig {
                connection?.close()
                connection = nil
                lastFailure = error.description
                if error.isBadConfig { break }
            } catch let error as HQError {
                throw TillError.invalid(error.description)
            }
        }
        throw HeadOfficeUnreachable(lastFailure)
    }

    private func open() throws -> HQConnection {
        if let connection { return connection }
        let hq = try HQConnection.connect(try url.get(), timeout: connectTimeout, callTimeout: callTimeout)
        connection = hq
        return hq
    }

    private static func int(_ value: Any?) -> Int64 {
        switch value {
        case let number as NSNumber: return number.int64Value
        case let text as String: return Int64(text) ?? 0
        default: return 0
        }
    }
}

extension HQError {
    /// The store's HQ settings cannot be used (missing or unreadable config, a bad URL): no retry will help.
    var isBadConfig: Bool {
        switch self {
        case .badURL, .invalid: return true
        default: return false
        }
    }
}

extension Array where Element == HQRow {
    /// The first row's column, for one-value answers.
    subscript(column: String) -> String? { first?[column] }
}

import Foundation
import GRDB

/// A difference between what the card processor did and what Till recorded, named in the words a bookkeeper uses.
public struct ReconciliationIssue: Equatable, Sendable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        /// Till has a card payment the processor does not know (or holds nothing of).
        case inTillNotAtProcessor = "in_till_not_at_processor"
        /// The processor took money that no Till payment accounts for (the till died between charge and save and
        /// nothing settled it since, or someone charged from the dashboard).
        case atProcessorNotInTill = "at_processor_not_in_till"
        /// Both know the payment, but not the same amount taken.
        case amountDiffers = "amount_differs"
        /// Both know the payment, but not the same amount given back (a refund made at the processor only, a
        /// refund Till recorded that never reached the card, a void still captured).
        case refundDiffers = "refund_differs"
        /// The card approved more than was captured.
        case capturedLessThanAuthorized = "captured_less_than_authorized"
    }

    public var kind: Kind
    /// The processor's payment id (`pi_…`).
    public var paymentID: String
    public var orderNumber: Int64?
    /// What each side says, in minor units.
    public var tillAmount: Int64?
    public var processorAmount: Int64?

    enum CodingKeys: String, CodingKey {
        case kind
        case paymentID = "payment_id"
        case orderNumber = "order_number"
        case tillAmount = "till_amount"
        case processorAmount = "processor_amount"
    }
}

/// One business day of the processor's settlement: what was charged, given back, kept as fees, and paid out.
public struct SettlementDay: Equatable, Sendable, Encodable {
    public var day: String
    public var charges: Int
    public var gross: Int64
    public var refunds: Int64
    /// Nil when the source does not say (the processor's payment list carries no fees; the settlement file does).
    public var fees: Int64?
    public var net: Int64?
}

public struct ReconciliationReport: Equatable, Sendable, Encodable {
    /// Where the processor's side came from: `processor` (its API) or the settlement file's name.
    public var source: String
    /// Which processor's payments were compared (`stripe`, `simulated`).
    public var processor: String
    /// Card payments Till took in the period on other processors (a register that changed readers): not compared
    /// here, so the report's figures and the X report's card total can differ by exactly these.
    public var otherProcessors: [String: Int64] = [:]
    public var days: [SettlementDay]
    public var issues: [ReconciliationIssue]
}

/// Stripe's itemized payout reconciliation report (CSV), as the dashboard or the Reporting API gives it: one row
/// per balance transaction, amounts in major units, `reporting_category` charge, refund, fee, payout, …
public struct SettlementFile: Sendable {
    public struct Row: Equatable, Sendable {
        public var balanceTransactionID: String
        public var created: Date
        public var currency: String
        public var gross: Int64
        public var fee: Int64
        public var net: Int64
        public var category: String
        public var sourceID: String
        public var paymentIntentID: String
        public var cardBrand: String
    }

    public let name: String
    public let rows: [Row]

    static let required = ["balance_transaction_id", "created_utc", "currency", "gross", "fee", "net", "reporting_category",
                           "source_id", "payment_intent_id"]

    /// Reads the file; a row that does not parse is named with its line and column, and nothing is kept.
    public static func read(path: String, currency: Currency) throws -> SettlementFile {
        let file = try CSVFile.read(path: path)
        let missing = required.filter { !file.header.contains($0) }
        guard missing.isEmpty else {
            throw TillError.invalid("\(file.name) is not a Stripe itemized payout reconciliation report: no column \(missing.joined(separator: ", "))")
        }
        let parser = MoneyParser(currency: currency)
        var formats: [DateFormatter] = []
        for pattern in ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd HH:mm"] {
            let format = DateFormatter()
            format.locale = Locale(identifier: "en_US_POSIX")
            format.timeZone = TimeZone(identifier: "UTC")
            format.dateFormat = pattern
            formats.append(format)
        }
        var rows: [Row] = []
        for record in file.records {
            func value(_ column: String) -> String { record[column].trimmingCharacters(in: .whitespaces) }
            func money(_ column: String) throws -> Int64 {
                let text = value(column)
                let negative = text.hasPrefix("-")
                do {
                    let units = try parser.parse(negative ? String(text.dropFirst()) : text).minorUnits
                    return negative ? -units : units
                } catch {
                    throw TillError.invalid("\(file.name) line \(record.line), \(column): \"\(text)\" is not an amount in \(currency.code)")
                }
            }
            let rowCurrency = value("currency").uppercased()
            guard rowCurrency == currency.code else {
                throw TillError.invalid("\(file.name) line \(record.line), currency: \(rowCurrency) is not the store's \(currency.code)")
            }
            guard let created = formats.lazy.compactMap({ $0.date(from: value("created_utc")) }).first else {
                throw TillError.invalid("\(file.name) line \(record.line), created_utc: \"\(value("created_utc"))\" is not a time such as 2026-12-01 10:12:00")
            }
            rows.append(Row(balanceTransactionID: value("balance_transaction_id"), created: created, currency: rowCurrency,
                            gross: try money("gross"), fee: try money("fee"), net: try money("net"),
                            category: value("reporting_category"), sourceID: value("source_id"),
                            paymentIntentID: value("payment_intent_id"), cardBrand: file.header.contains("card_brand") ? value("card_brand") : ""))
        }
        return SettlementFile(name: file.name, rows: rows)
    }

    public init(name: String, rows: [Row]) {
        self.name = name
        self.rows = rows
    }
}

/// Matches Till's card payments against the processor's records for a period — from the processor's API, or
/// from its settlement file — and sums the settlement per business day.
public struct Reconciliation: Sendable {
    public let store: StoreDatabase
    /// The processor to ask (nil: only a settlement file is used).
    public let terminal: CardTerminal?

    /// Whose payments a settlement file holds (Stripe's format: Stripe's, unless a test says otherwise).
    public let kind: CardTerminalKind

    public init(store: StoreDatabase, terminal: CardTerminal?, kind: CardTerminalKind? = nil) {
        self.store = store
        self.terminal = terminal
        self.kind = kind ?? terminal?.kind ?? .stripe
    }

    /// What the processor holds of one payment.
    struct ProcessorPayment {
        var id: String
        var created: Date
        var captured: Int64
        var refunded: Int64
        var authorized: Int64?
        var fee: Int64?
    }

    /// A report: `view_reports`. `from`..<`to` are instants (a business day's bounds, or a payout's).
    public func run(from: Date, to: Date, settlement: SettlementFile? = nil, _ ctx: TillContext) throws -> ReconciliationReport {
        let settings = try store.read { db -> StoreSettings in
            try Permissions.require(db, .viewReports, staffID: ctx.staffID)
            return try StoreSettings.load(db)
        }
        var processor: [String: ProcessorPayment] = [:]
        var dayTotals: [String: SettlementDay] = [:]
        func day(_ date: Date) -> String { BusinessDay.byClock(date, settings: settings).key }
        if let settlement {
            for row in settlement.rows {
                let key = day(row.created)
                var total = dayTotals[key] ?? SettlementDay(day: key, charges: 0, gross: 0, refunds: 0, fees: 0, net: 0)
                total.fees = (total.fees ?? 0) + row.fee
                total.net = (total.net ?? 0) + row.net
                switch row.category {
                case "charge":
                    total.charges += 1
                    total.gross += row.gross
                case "refund", "partial_capture_reversal", "charge_failure":
                    total.refunds += -row.gross
                default:
                    break
                }
                dayTotals[key] = total
                guard !row.paymentIntentID.isEmpty else { continue }
                var payment = processor[row.paymentIntentID] ?? ProcessorPayment(id: row.paymentIntentID, created: row.created,
                                                                                 captured: 0, refunded: 0, authorized: nil, fee: 0)
                switch row.category {
                case "charge": payment.captured += row.gross
                case "refund", "partial_capture_reversal", "charge_failure": payment.refunded += -row.gross
                default: break
                }
                payment.fee = (payment.fee ?? 0) + row.fee
                payment.created = min(payment.created, row.created)
                processor[row.paymentIntentID] = payment
            }
        } else {
            guard let terminal else { throw TillError.invalid("reconciling needs the processor (a paired reader) or a settlement file (--settlement FILE)") }
            for payment in try terminal.payments(from: from, to: to) where payment.amountCaptured > 0 || payment.status == .authorized {
                processor[payment.id] = ProcessorPayment(id: payment.id, created: payment.createdAt, captured: payment.amountCaptured,
                                                         refunded: payment.amountRefunded, authorized: payment.amount, fee: nil)
                let key = day(payment.createdAt)
                var total = dayTotals[key] ?? SettlementDay(day: key, charges: 0, gross: 0, refunds: 0, fees: nil, net: nil)
                total.charges += 1
                total.gross += payment.amountCaptured
                total.refunds += payment.amountRefunded
                dayTotals[key] = total
            }
        }
        struct TillPayment {
            var token: String
            var orderNumber: Int64?
            var amount: Int64
            var returned: Int64
        }
        let ids = Array(processor.keys)
        // Only the payments this processor took: a register that moved from the simulated reader to Stripe keeps
        // its morning's simulated payments, which Stripe never had. A settlement file is Stripe's.
        let tillPayments = try store.read { db -> [String: TillPayment] in
            // Voided payments (a cancelled tender, a voided sale) gave everything back; refunds gave back their part.
            let sql = """
                SELECT p.gateway_token, o.number, p.amount, p.status,
                       (SELECT COALESCE(SUM(t.amount), 0) FROM refund_tender t WHERE t.payment_id = p.id AND t.status = 'refunded') AS refunded
                FROM payment p JOIN orders o ON o.id = p.order_id
                WHERE p.method = 'card' AND p.gateway_token IS NOT NULL
                  AND COALESCE(substr(p.card_reader, 1, instr(p.card_reader, ':') - 1), 'simulated') = '\(kind.rawValue)'
                """
            var rows = try Row.fetchAll(db, sql: sql + " AND p.created_at >= ? AND p.created_at < ?", arguments: [from, to])
            for chunk in stride(from: 0, to: ids.count, by: 500) {
                let part = Array(ids[chunk..<min(ids.count, chunk + 500)])
                rows += try Row.fetchAll(db, sql: sql + " AND p.gateway_token IN (\(databaseQuestionMarks(count: part.count)))",
                                         arguments: StatementArguments(part))
            }
            var byToken: [String: TillPayment] = [:]
            for row in rows {
                let token: String = row["gateway_token"]
                let amount: Int64 = row["amount"]
                let voided = (row["status"] as String) == PaymentStatus.voided.rawValue
                byToken[token] = TillPayment(token: token, orderNumber: row["number"], amount: amount,
                                             returned: voided ? amount : row["refunded"])
            }
            return byToken
        }
        let others = try store.read { db -> [String: Int64] in
            var sums: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT COALESCE(substr(card_reader, 1, instr(card_reader, ':') - 1), 'simulated') AS kind, SUM(amount) AS amount
                FROM payment WHERE method = 'card' AND status <> 'voided' AND created_at >= ? AND created_at < ?
                GROUP BY 1
                """, arguments: [from, to]) where (row["kind"] as String) != kind.rawValue {
                sums[row["kind"]] = row["amount"]
            }
            return sums
        }
        var issues: [ReconciliationIssue] = []
        for payment in processor.values.sorted(by: { ($0.created, $0.id) < ($1.created, $1.id) }) {
            guard let till = tillPayments[payment.id] else {
                // Taken and given back in full (a charge Till could not save and returned at once) is settled.
                if payment.captured - payment.refunded > 0 {
                    issues.append(ReconciliationIssue(kind: .atProcessorNotInTill, paymentID: payment.id, orderNumber: nil,
                                                      tillAmount: nil, processorAmount: payment.captured - payment.refunded))
                }
                continue
            }
            if till.amount != payment.captured {
                issues.append(ReconciliationIssue(kind: .amountDiffers, paymentID: payment.id, orderNumber: till.orderNumber,
                                                  tillAmount: till.amount, processorAmount: payment.captured))
            } else if till.returned != payment.refunded {
                issues.append(ReconciliationIssue(kind: .refundDiffers, paymentID: payment.id, orderNumber: till.orderNumber,
                                                  tillAmount: till.returned, processorAmount: payment.refunded))
            }
            if let authorized = payment.authorized, payment.captured > 0, authorized > payment.captured {
                issues.append(ReconciliationIssue(kind: .capturedLessThanAuthorized, paymentID: payment.id, orderNumber: till.orderNumber,
                                                  tillAmount: till.amount, processorAmount: authorized))
            }
        }
        for till in tillPayments.values.sorted(by: { $0.token < $1.token }) where processor[till.token] == nil && till.amount > till.returned {
            // Not in this period's records: made another day, or never at the processor. The API can tell.
            if settlement == nil, let terminal, let found = try? terminal.payment(id: till.token) {
                if found.amountCaptured != till.amount {
                    issues.append(ReconciliationIssue(kind: .amountDiffers, paymentID: till.token, orderNumber: till.orderNumber,
                                                      tillAmount: till.amount, processorAmount: found.amountCaptured))
                }
                continue
            }
            issues.append(ReconciliationIssue(kind: .inTillNotAtProcessor, paymentID: till.token, orderNumber: till.orderNumber,
                                              tillAmount: till.amount, processorAmount: nil))
        }
        return ReconciliationReport(source: settlement?.name ?? "processor", processor: kind.rawValue,
                                    otherProcessors: others, days: dayTotals.values.sorted { $0.day < $1.day }, issues: issues)
    }

    /// One business day (its bounds in the store's calendar), the processor's API.
    public func run(day: Date, _ ctx: TillContext) throws -> [ReconciliationIssue] {
        let settings = try store.read { db in try StoreSettings.load(db) }
        let bounds = BusinessDay.byClock(day, settings: settings).clockInterval(settings: settings)
        return try run(from: bounds.start, to: bounds.end, ctx).issues
    }
}

import Foundation

/// A purchase order as it goes to the supplier: a CSV their system can read (RFC 4180, amounts as plain decimals
/// with a point, quantities in units and in cases) and a plain-text document to print or mail.
public enum PurchaseOrderDocument {
    public static let csvHeader = ["po_number", "supplier", "line", "supplier_item_code", "sku", "barcode", "description",
                                   "case_size", "cases", "quantity", "unit_cost", "line_total", "currency"]

    /// Where a store's purchase-order documents go unless told: beside the store file, named after it
    /// (`shop.sqlite-purchase-orders/`), as its receipts are.
    public static func folder(for store: StoreDatabase) -> URL {
        let file = URL(fileURLWithPath: store.path)
        return file.deletingLastPathComponent().appendingPathComponent(file.lastPathComponent + "-purchase-orders", isDirectory: true)
    }

    /// Writes `PO-N.csv` and `PO-N.txt` into `folder`; returns their paths.
    public static func write(_ detail: PurchaseOrderDetail, storeName: String, timeZone: TimeZone, to folder: URL) throws -> (csv: URL, text: URL) {
        let label = detail.order.label
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let csvFile = folder.appendingPathComponent("\(label).csv"), textFile = folder.appendingPathComponent("\(label).txt")
            try Data(csv(detail).utf8).write(to: csvFile, options: .atomic)
            try Data(text(detail, storeName: storeName, timeZone: timeZone).utf8).write(to: textFile, options: .atomic)
            return (csvFile, textFile)
        } catch {
            throw TillError.storage("\(label) is marked sent, but its documents could not be written to \(folder.path): \(error.localizedDescription); send it again")
        }
    }

    public static func csv(_ detail: PurchaseOrderDetail) -> String {
        var text = CSVText(header: csvHeader)
        for (index, entry) in detail.lines.enumerated() where entry.line.orderedMilli > 0 {
            let line = entry.line
            text.append([detail.order.label, detail.supplier.code, String(index + 1), entry.itemCode, entry.sku, entry.barcode,
                         entry.name, line.caseSize.description, cases(line), line.ordered.description,
                         line.unitCost.map { Money(minorUnits: $0, currency: detail.currency).decimalString } ?? "",
                         line.unitCost.map { _ in Money(minorUnits: value(line), currency: detail.currency).decimalString } ?? "",
                         detail.currency.code])
        }
        return text.text
    }

    /// The printable order: who from, who to, when it is due, the lines in cases and units, the total.
    public static func text(_ detail: PurchaseOrderDetail, storeName: String, timeZone: TimeZone, width: Int = 78) -> String {
        let order = detail.order, supplier = detail.supplier
        func money(_ units: Int64) -> String { Money(minorUnits: units, currency: detail.currency).formatted() }
        var out: [String] = []
        out.append("PURCHASE ORDER \(order.label)")
        out.append("From:  \(storeName)" + (detail.locationName.isEmpty ? "" : " — deliver to: \(detail.locationName)"))
        out.append("To:    \(supplier.name) [\(supplier.code)]")
        let reach = [supplier.contact, supplier.email, supplier.phone].filter { !$0.isEmpty }.joined(separator: " · ")
        if !reach.isEmpty { out.append("       \(reach)") }
        out.append("Date:  \(LocalTime.format(order.sentAt ?? order.createdAt, timeZone: timeZone))"
                   + (order.expectedOn.map { "    Due: \($0)" } ?? "")
                   + (supplier.terms.isEmpty ? "" : "    Terms: \(supplier.terms)"))
        if order.status == .draft { out.append("*** DRAFT — not yet sent ***") }
        if !order.note.isEmpty { out.append("Note:  \(order.note)") }
        out.append(String(repeating: "-", count: width))
        let columns = [("#", 2, true), ("Their code", 14, false), ("SKU", 10, false), ("Description", 0, false),
                       ("Cases", 5, true), ("Units", 6, true), ("Cost", 8, true), ("Total", 9, true)]
        let fixed = columns.reduce(0) { $0 + $1.1 } + columns.count - 1
        let descriptionWidth = max(10, width - fixed)
        func row(_ cells: [String]) -> String {
            zip(columns, cells).map { column, cell in
                let size = column.1 == 0 ? descriptionWidth : column.1
                return cell.clippedToColumns(size).padded(toWidth: size, alignRight: column.2)
            }.joined(separator: " ")
        }
        out.append(row(columns.map(\.0)))
        var number = 0
        for entry in detail.lines where entry.line.orderedMilli > 0 {
            number += 1
            let line = entry.line
            out.append(row([String(number), entry.itemCode, entry.sku, entry.name, cases(line), line.ordered.description,
                            line.unitCost.map(money) ?? "—", line.unitCost.map { _ in money(value(line)) } ?? "—"]))
        }
        out.append(String(repeating: "-", count: width))
        out.append(("Total " + money(detail.orderedValue)).padded(toWidth: width, alignRight: true))
        if detail.lines.contains(where: { $0.line.unitCost == nil && $0.line.orderedMilli > 0 }) {
            out.append("Lines without a cost (—) are at the supplier's current price.")
        }
        return out.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n") + "\n"
    }

    /// Cases as a whole number where the quantity is whole cases, else with a fraction (`2.5`).
    static func cases(_ line: PurchaseOrderLine) -> String {
        let milli = line.orderedMilli * Quantity.scale / max(1, line.caseSizeMilli)
        return Quantity(milli: milli).description
    }

    static func value(_ line: PurchaseOrderLine) -> Int64 {
        divideRoundingHalfAwayFromZero((line.unitCost ?? 0) * line.orderedMilli, by: Quantity.scale)
    }
}

import Foundation

/// Shopify's product CSV export (both the current 48-column set and the older one without `Status`).
/// Rows sharing a `Handle` are one product; the first carries the product fields; image-only rows are skipped;
/// `Default Title` means the product has no options; draft and archived products come in inactive.
public enum ShopifyProductCSV {
    public static let requiredColumns = ["Handle", "Title", "Variant SKU", "Variant Price"]

    public static func rows(from file: CSVFile, currency: Currency, dropBadBarcodes: Bool)
        -> (rows: [ProductRow], issues: [ImportIssue], warnings: [String]) {
        var issues = file.missingColumns(requiredColumns)
        guard issues.isEmpty else { return ([], issues, []) }
        var warnings: [String] = []
        var rows: [ProductRow] = []
        var productRecord: [String: CSVRecord] = [:]
        var variantCount: [String: Int] = [:]
        for record in file.records {
            func issue(_ column: String, _ reason: String) {
                issues.append(ImportIssue(file: file.name, line: record.line, column: column, reason: reason))
            }
            let handle = record["Handle"]
            guard !handle.isEmpty else { issue("Handle", "empty"); continue }
            if productRecord[handle] == nil { productRecord[handle] = record }
            let options = ["Option1 Value", "Option2 Value", "Option3 Value"].map { record[$0] }
            let isVariant = !record["Variant SKU"].isEmpty || !record["Variant Price"].isEmpty
                || options.contains { !$0.isEmpty }
            guard isVariant else { continue }  // an image-only row
            let product = productRecord[handle] ?? record
            let title = product["Title"]
            if title.isEmpty { issue("Title", "the first row of \(handle) has no Title") }

            let position = variantCount[handle, default: 0] + 1
            variantCount[handle] = position
            var sku = record["Variant SKU"]
            if sku.isEmpty {
                sku = "\(handle)-\(position)"
                warnings.append("\(file.name):\(record.line): no Variant SKU, imported as \(sku)")
            }
            var price: Int64 = 0
            do {
                price = try file.money(record["Variant Price"], currency: currency).minorUnits
                if price < 0 { issue("Variant Price", "negative price") }
            } catch { issue("Variant Price", "\(error)") }
            var cost: Int64?
            if !record["Cost per item"].isEmpty {
                do { cost = try file.money(record["Cost per item"], currency: currency).minorUnits } catch {
                    issue("Cost per item", "\(error)")
                }
            }
            var barcodes: [String] = []
            let rawBarcode = record["Variant Barcode"].replacingOccurrences(of: "'", with: "")
            if !Barcode.cleaned(rawBarcode).isEmpty {
                let problem: String?
                if isScientificNotation(rawBarcode) {
                    problem = "\(rawBarcode) is a number a spreadsheet turned into scientific notation; the real barcode digits are lost (re-export without opening the file in a spreadsheet, or use --drop-bad-barcodes)"
                } else {
                    switch Barcode.canonical(rawBarcode) {
                    case let .success(code):
                        problem = nil
                        barcodes = [code]
                    case let .failure(failure):
                        problem = "\(rawBarcode): \(failure)"
                    }
                }
                if let problem {
                    if dropBadBarcodes {
                        warnings.append("\(file.name):\(record.line): dropped barcode \(rawBarcode) of \(sku)")
                    } else {
                        issue("Variant Barcode", problem)
                    }
                }
            }
            var floorStock: Quantity?
            if !record["Variant Inventory Qty"].isEmpty {
                do { floorStock = try Quantity.parse(record["Variant Inventory Qty"]) } catch {
                    issue("Variant Inventory Qty", "\(error)")
                }
            }
            let status = product["Status"].lowercased()
            let active = status.isEmpty || status == "active"
            let optionText = options.filter { !$0.isEmpty && $0 != "Default Title" }.joined(separator: " / ")
            let type = product["Type"]
            let category = type.isEmpty
                ? product["Product Category"].split(separator: ">").last.map { $0.trimmingCharacters(in: .whitespaces) }
                : type
            let taxable = parseFlag(record["Variant Taxable"]) ?? true
            rows.append(ProductRow(line: record.line, handle: handle, name: title.isEmpty ? handle : title, sku: sku,
                                   option: optionText, barcodes: barcodes, price: price, cost: cost,
                                   category: category.flatMap { $0.isEmpty ? nil : $0 },
                                   taxClass: taxable ? "standard" : "zero", unit: .each, reorderPoint: .zero,
                                   active: active, floorStock: floorStock))
        }
        return (rows, issues, warnings)
    }

    /// `3.65275E+11`, `4.6347e11`: what a spreadsheet leaves of a long number.
    static func isScientificNotation(_ text: String) -> Bool {
        text.range(of: #"^[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+$"#, options: .regularExpression) != nil
    }
}

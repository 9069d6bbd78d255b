/// A product draft as text fields (an edit form): read into a `ProductDraft`, every unreadable field reported
/// against its name.
public struct ProductDraftText: Equatable, Sendable {
    public static let fields: [(key: String, label: String)] = [
        ("sku", "SKU"), ("name", "Name"), ("option", "Option"), ("barcodes", "Barcodes"), ("category", "Category"),
        ("price", "Price"), ("cost", "Cost"), ("tax_class", "Tax class"), ("unit", "Unit"),
        ("reorder_point", "Reorder at"), ("handle", "Product key"),
        // Last, so the fields people fill in most keep their places.
        ("case_barcodes", "Case codes"),
    ]

    public var values: [String: String]

    public init(values: [String: String] = [:]) { self.values = values }

    public init(_ draft: ProductDraft, currency: Currency) {
        values = [
            "sku": draft.sku, "name": draft.name, "option": draft.option, "barcodes": draft.barcodes.joined(separator: ", "),
            "case_barcodes": draft.caseBarcodes.map(\.description).joined(separator: ", "),
            "category": draft.category ?? "", "price": Money(minorUnits: draft.price, currency: currency).decimalString,
            "cost": draft.cost.map { Money(minorUnits: $0, currency: currency).decimalString } ?? "",
            "tax_class": draft.taxClass, "unit": draft.unit.rawValue, "reorder_point": draft.reorderPoint.description,
            "handle": draft.handle ?? "",
            // Not a field of the form (yet): carried through, so editing a product there keeps its content.
            "content": draft.content?.storageValue ?? "",
        ]
    }

    public subscript(key: String) -> String {
        get { values[key] ?? "" }
        set { values[key] = newValue }
    }

    /// The draft, or the issues that stop it being read (prices and quantities that do not parse).
    public func draft(currency: Currency, active: Bool = true) -> (draft: ProductDraft?, issues: [FieldIssue]) {
        var issues: [FieldIssue] = []
        let parser = MoneyParser(currency: currency)
        func money(_ key: String, required: Bool) -> Int64? {
            let text = self[key].trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else {
                if required { issues.append(FieldIssue(field: key, message: "required", isWarning: false)) }
                return nil
            }
            do { return try parser.parse(text).minorUnits } catch {
                issues.append(FieldIssue(field: key, message: "\(error)", isWarning: false))
                return nil
            }
        }
        let price = money("price", required: true)
        let cost = money("cost", required: false)
        var unit = SaleUnit.each
        if let parsed = SaleUnit(rawValue: self["unit"].trimmingCharacters(in: .whitespaces).lowercased()) {
            unit = parsed
        } else if !self["unit"].trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(FieldIssue(field: "unit", message: "each or kg", isWarning: false))
        }
        var reorder = Quantity.zero
        if !self["reorder_point"].trimmingCharacters(in: .whitespaces).isEmpty {
            do { reorder = try Quantity.parse(self["reorder_point"]) } catch {
                issues.append(FieldIssue(field: "reorder_point", message: "\(error)", isWarning: false))
            }
        }
        var caseBarcodes: [CaseBarcode] = []
        do { caseBarcodes = try CaseBarcode.parseList(self["case_barcodes"]) } catch {
            issues.append(FieldIssue(field: "case_barcodes", message: "\(error)", isWarning: false))
        }
        var content: ContentSize?
        if !self["content"].trimmingCharacters(in: .whitespaces).isEmpty {
            do { content = try ContentSize.parse(self["content"]) } catch {
                issues.append(FieldIssue(field: "content", message: "\(error)", isWarning: false))
            }
        }
        guard issues.isEmpty, let price else { return (nil, issues) }
        let category = self["category"].trimmingCharacters(in: .whitespaces)
        let handle = self["handle"].trimmingCharacters(in: .whitespaces)
        let draft = ProductDraft(
            sku: self["sku"].trimmingCharacters(in: .whitespaces), name: self["name"].trimmingCharacters(in: .whitespaces),
            option: self["option"].trimmingCharacters(in: .whitespaces),
            // Codes are separated by `,` or `;`: spaces and hyphens inside a code are part of how it is printed.
            barcodes: self["barcodes"].split(whereSeparator: { $0 == ";" || $0 == "," || $0 == "\n" })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !Barcode.cleaned($0).isEmpty },
            category: category.isEmpty ? nil : category, price: price, cost: cost,
            taxClass: self["tax_class"].trimmingCharacters(in: .whitespaces).isEmpty ? "standard" : self["tax_class"].trimmingCharacters(in: .whitespaces),
            unit: unit, reorderPoint: reorder, active: active, handle: handle.isEmpty ? nil : handle,
            caseBarcodes: caseBarcodes, content: content)
        return (draft, [])
    }
}

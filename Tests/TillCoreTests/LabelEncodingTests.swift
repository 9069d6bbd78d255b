import Foundation
import Testing
import TillTestSupport
@testable import TillCore

/// The bytes for the printers, read back by the test-side readers of the ESC/POS and ZPL references
/// (`EscPosDocument`, `ZPLDocument` in TillTestSupport) and, for the drawn bars, by zbarimg.
@Suite struct LabelEncodingTests {
    let euro: Currency

    init() throws { euro = try Currency.named("EUR") }

    func label(_ name: String = "Roggenbrot 750 g", sku: String = "BAK-002", barcode code: String? = "4065898366917",
               price: Int64 = 299, promotionPrice: Int64? = nil, promotion: String? = nil, content: String? = "750g",
               unit: SaleUnit = .each, option: String = "") throws -> ShelfLabel {
        ShelfLabel(variantID: 1, sku: sku, name: name, option: option, currency: euro, unit: unit, price: price,
                   promotionPrice: promotionPrice, promotion: promotion, content: try content.map(ContentSize.parse),
                   barcode: LabelBarcode.choose(code ?? sku))
    }

    @Test func theSymbologyFollowsTheBarcode() {
        #expect(LabelBarcode.choose("4006381333931")?.symbology == .ean13)
        #expect(LabelBarcode.choose("036000291452")?.symbology == .upcA)
        #expect(LabelBarcode.choose("96385074")?.symbology == .ean8)
        #expect(LabelBarcode.choose("4006381333932")?.symbology == .code128, "a wrong check digit is no EAN")
        #expect(LabelBarcode.choose("00036000291452")?.symbology == .code128, "GTIN-14")
        #expect(LabelBarcode.choose("COF-001") == LabelBarcode(symbology: .code128, value: "COF-001"))
        #expect(LabelBarcode.choose("KÄSE-1") == nil, "Code 128 set B has no Ä")
        // The drawn symbols have their standard lengths: 95 modules (EAN-13, UPC-A), 67 (EAN-8), 11 a symbol + 13.
        #expect(LabelBarcode.choose("4006381333931")?.modules.count == 95)
        #expect(LabelBarcode.choose("036000291452")?.modules.count == 95)
        #expect(LabelBarcode.choose("96385074")?.modules.count == 67)
        #expect(LabelBarcode.choose("COF-001")?.modules.count == 11 * (7 + 2) + 13)
        #expect(LabelBarcode.code128Widths.dropLast().allSatisfy { $0.compactMap(\.wholeNumberValue).reduce(0, +) == 11 })
    }

    @Test func anEscPosShelfLabelReadsBackCommandByCommand() throws {
        let bread = try label(promotionPrice: 269, promotion: "Bakery 10% off")
        let bytes = LabelEscPos.encode([bread, try label("Cola 330 ml", sku: "DRK-003", barcode: "036000291452", price: 89, content: "330ml")],
                                       copies: 2)
        let document = try EscPosDocument(parsing: bytes)
        #expect(document.elements.prefix(2) == [.initialize, .codePage(19)])
        #expect(document.cuts == 4, "two labels, two copies, a cut after each")
        let lines = try document.lines()
        for expected in ["Roggenbrot 750 g", "* Bakery 10% off *", "€2.69", "was €2.99", "750 g (1 kg = €3.59)", "BAK-002",
                         "Cola 330 ml", "€0.89", "330 ml (1 l = €2.70)", "DRK-003"] {
            #expect(lines.contains(expected), "\(expected) in \(lines)")
        }
        // The price is double size; the digits print under the bars.
        #expect(document.elements.contains(.characterSize(width: 2, height: 2)))
        #expect(document.elements.contains(.hriPosition(2)))
        let codes = document.barcodes
        #expect(codes.map(\.system) == [67, 67, 65, 65])
        for (system, data) in codes {
            // The check digit the printer is given is the right one: computed here, not by Till.
            #expect(Int(String(data.last!)) == gs1CheckDigit(String(data.dropLast())), "\(data)")
            #expect(data == (system == 67 ? "4065898366917" : "036000291452"))
        }
    }

    @Test func code128CarriesTheSkuInCodeSetBWithItsBracesDoubled() throws {
        let document = try EscPosDocument(parsing: LabelEscPos.encode([try label("Gift wrap", sku: "GW{1}", barcode: nil, content: nil)]))
        #expect(document.barcodes.map(\.system) == [73])
        #expect(document.barcodes.first?.data == "{BGW{{1}")
        let ean8 = try EscPosDocument(parsing: LabelEscPos.encode([try label(barcode: "96385074")]))
        #expect(ean8.barcodes.map(\.system) == [68] && ean8.barcodes.first?.data == "96385074")
    }

    @Test func rasterBarsDecodeToTheGtinWithZbarimg() throws {
        let cases: [(String, String)] = [("4006381333931", "EAN-13:4006381333931"), ("036000291452", "036000291452"),
                                         ("96385074", "EAN-8:96385074"), ("COF-001", "CODE-128:COF-001"),
                                         ("A~b^c>d{e}", "CODE-128:A~b^c>d{e}")]
        for (code, expected) in cases {
            for columns in LabelEscPos.Options.widths {
                let bytes = LabelEscPos.encode([try label(sku: code, barcode: code)], options: LabelEscPos.Options(columns: columns, raster: true))
                let document = try EscPosDocument(parsing: bytes)
                #expect(document.barcodes.isEmpty, "no GS k in raster mode")
                let image = try #require(document.rasters.first)
                #expect(image.bytesPerRow * 8 <= columns * 12, "the image fits the paper")
                let read = try BarcodeImages.decode(BarcodeImages.pgm(bytesPerRow: image.bytesPerRow, rows: image.rows, data: image.data))
                #expect(read.count == 1, "\(read)")
                if expected.contains(":") {
                    #expect(read.first == expected)
                } else {
                    // zbar reads a UPC-A as the EAN-13 it is (a leading 0) unless told otherwise: the same GTIN.
                    let digits = String(read.first?.split(separator: ":").last ?? "")
                    #expect(String(repeating: "0", count: 14 - digits.count) + digits == "00" + expected, "\(read)")
                }
                // The digits under the bars are printed as text.
                #expect(try document.lines().contains(code))
            }
        }
    }

    @Test func zplLabelsReadBackAgainstTheProgrammingGuide() throws {
        let name = "Müller's ^Spezial~ Brot_1 — Œuf"
        let labels = [try label(name, promotionPrice: 269, promotion: "Brot^Woche"),
                      try label("Cola", sku: "DRK-003", barcode: "036000291452", price: 89, content: "330ml"),
                      try label("Kaugummi", sku: "GUM-8", barcode: "96385074", price: 99, content: nil),
                      try label("Geschenk", sku: "A^B>C~D", barcode: nil, content: nil)]
        let text = LabelZPL.encode(labels, kind: .shelf, copies: 3)
        let document = try ZPLDocument(parsing: text)
        #expect(document.labels.count == 4)
        for label in document.labels {
            #expect(label.encoding == 28 && label.quantity == 3)
            #expect(label.width == 463 && label.length == 303, "58 × 38 mm at 203 dpi")
        }
        let first = document.labels[0]
        #expect(first.texts.contains(name), "the name with ^ ~ _ and umlauts prints as itself: \(first.texts)")
        #expect(first.texts.contains("Brot^Woche") && first.texts.contains("was €2.99") && first.texts.contains("€2.69"))
        #expect(first.texts.contains("750 g (1 kg = €3.59)"))
        #expect(!text.contains("Spezial~"), "a tilde in field data would start a control command")
        // The barcodes: the data the printer takes, and the check digit it will add is the GTIN's.
        let bars = document.labels.flatMap(\.barcodes)
        #expect(bars.map(\.kind) == ["BE", "BU", "B8", "BC"])
        #expect(bars[0].data + String(gs1CheckDigit(bars[0].data)) == "4065898366917")
        #expect(bars[1].data + String(gs1CheckDigit(bars[1].data)) == "036000291452")
        #expect(bars[2].data + String(gs1CheckDigit(bars[2].data)) == "96385074")
        #expect(bars[3].data == "A^B>C~D")
        #expect(bars.allSatisfy { $0.module == 2 })
        // Every field sits on the label.
        for label in document.labels {
            for field in label.fields {
                #expect(field.x >= 0 && field.x < 463 && field.y >= 0 && field.y + field.height <= 303, "\(field)")
            }
        }
    }

    @Test func zplSizesFollowTheResolutionAndTheKind() throws {
        let item = try ZPLDocument(parsing: LabelZPL.encode([try label()], kind: .item, options: .init(dpi: 300)))
        #expect(item.labels[0].width == 590 && item.labels[0].length == 354, "50 × 30 mm at 300 dpi")
        #expect(item.labels[0].barcodes.first?.module == 3)
        let custom = try ZPLDocument(parsing: LabelZPL.encode([try label()], options: .init(width: 812, height: 406)))
        #expect(custom.labels[0].width == 812 && custom.labels[0].length == 406)
    }

    @Test func hostileNamesStayText() throws {
        let name = "x\u{1B}@y\u{1D}V\u{0}z\nnext ^XZ^XA ~JA"
        let escpos = try EscPosDocument(parsing: LabelEscPos.encode([try label(name)]))
        #expect(escpos.cuts == 1)
        #expect(try escpos.lines().contains("x @y V z next ^XZ^XA ~JA"))
        let zpl = try ZPLDocument(parsing: LabelZPL.encode([try label(name)]))
        #expect(zpl.labels.count == 1)
        #expect(zpl.labels[0].texts.first == "x @y V z next ^XZ^XA ~JA")
    }

    @Test func longNamesWrapOnTwoLinesAndFitThePaper() throws {
        let long = "Bio Vollkorn Dinkel Roggen Sauerteigbrot mit Sonnenblumenkernen und Leinsamen"
        let bytes = LabelEscPos.encode([try label(long)], options: .init(columns: 32))
        let lines = try EscPosDocument(parsing: bytes).lines()
        #expect(lines[0] == "Bio Vollkorn Dinkel Roggen")
        #expect(lines[1].hasSuffix("...") && lines[1].count == 32)
        #expect(lines.allSatisfy { $0.count <= 32 })
    }
}

/// The barcode a label carries: the item's own GTIN in the symbology its length names (EAN-13, EAN-8, UPC-A, each
/// with a valid check digit), or else Code 128 (the SKU of an item without a barcode, a GTIN-14).
///
/// `modules` draws the bars for printers that cannot (the ESC/POS raster fallback): the patterns are those of
/// ISO/IEC 15420 (EAN/UPC) and ISO/IEC 15417 (Code 128).
public struct LabelBarcode: Equatable, Sendable {
    public enum Symbology: String, Sendable {
        case ean13 = "EAN-13"
        case ean8 = "EAN-8"
        case upcA = "UPC-A"
        case code128 = "Code 128"
    }

    public var symbology: Symbology
    /// Every digit, the check digit included, for EAN/UPC; the text itself for Code 128 (printable ASCII).
    public var value: String

    public init(symbology: Symbology, value: String) {
        self.symbology = symbology
        self.value = value
    }

    /// Code 128's code set B holds printable ASCII (space to tilde); a longer text would not fit one command.
    public static let code128MaximumLength = 80

    /// The symbology for `code` as printed on the pack (`Barcode.display` of a stored GTIN, or a SKU): digits of an
    /// EAN/UPC length whose check digit holds are that symbology; anything else printable in Code 128 set B is
    /// Code 128; nil when neither (a SKU with letters Code 128 cannot carry, or too long).
    public static func choose(_ code: String) -> LabelBarcode? {
        if code.allSatisfy(\.isASCIIDigit), Barcode.isValid(code) {
            switch code.count {
            case 13: return LabelBarcode(symbology: .ean13, value: code)
            case 12: return LabelBarcode(symbology: .upcA, value: code)
            case 8: return LabelBarcode(symbology: .ean8, value: code)
            default: break
            }
        }
        guard !code.isEmpty, code.count <= code128MaximumLength,
              code.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value <= 0x7E }) else { return nil }
        return LabelBarcode(symbology: .code128, value: code)
    }

    /// Light modules the symbology asks for on each side (EAN-13 11 left and 7 right, EAN-8 7 and 7, UPC-A 9 and
    /// 9, Code 128 ten times the module).
    public var quietZone: (left: Int, right: Int) {
        switch symbology {
        case .ean13: return (11, 7)
        case .ean8: return (7, 7)
        case .upcA: return (9, 9)
        case .code128: return (10, 10)
        }
    }

    /// The symbol from its first bar to its last, a module each: true is a bar.
    public var modules: [Bool] {
        let digits = value.compactMap(\.wholeNumberValue)
        switch symbology {
        case .ean13: return LabelBarcode.eanModules(left: Array(digits[1...6]), right: Array(digits[7...12]),
                                                    parity: LabelBarcode.ean13Parity[digits[0]])
        case .upcA: return LabelBarcode.eanModules(left: Array(digits[0...5]), right: Array(digits[6...11]), parity: "LLLLLL")
        case .ean8: return LabelBarcode.eanModules(left: Array(digits[0...3]), right: Array(digits[4...7]), parity: "LLLL")
        case .code128: return LabelBarcode.code128Modules(value)
        }
    }

    // MARK: - EAN/UPC

    /// Set A ("L", odd parity) patterns of the digits 0–9; set B ("G") is set C reversed, set C ("R") is set A inverted.
    static let eanLeft = ["0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011"]
    /// Which of the six left-hand digits of an EAN-13 take set B, by the leading digit the parities encode.
    static let ean13Parity = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]

    private static func bits(_ pattern: String) -> [Bool] { pattern.map { $0 == "1" } }

    static func eanModules(left: [Int], right: [Int], parity: String) -> [Bool] {
        var modules = bits("101")
        for (digit, set) in zip(left, parity) {
            let a = bits(eanLeft[digit])
            modules += set == "L" ? a : Array(a.map { !$0 }.reversed())
        }
        modules += bits("01010")
        for digit in right { modules += bits(eanLeft[digit]).map { !$0 } }
        modules += bits("101")
        return modules
    }

    // MARK: - Code 128

    /// The widths of bar, space, bar, space, bar, space (11 modules; the stop adds a final 2-module bar) of the
    /// symbol values 0–106: 103 Start A, 104 Start B, 105 Start C, 106 Stop.
    static let code128Widths: [String] = [
        "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
        "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
        "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
        "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
        "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
        "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
        "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
        "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
        "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
        "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
        "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
    ]

    /// Start B, each character's value (its ASCII code − 32), the mod-103 check symbol, Stop.
    static func code128Values(_ text: String) -> [Int] {
        let data = text.unicodeScalars.map { Int($0.value) - 32 }
        var check = 104
        for (index, value) in data.enumerated() { check += (index + 1) * value }
        return [104] + data + [check % 103, 106]
    }

    static func code128Modules(_ text: String) -> [Bool] {
        var modules: [Bool] = []
        for value in code128Values(text) {
            for (index, width) in code128Widths[value].enumerated() {
                modules += Array(repeating: index % 2 == 0, count: width.wholeNumberValue ?? 0)
            }
        }
        return modules
    }
}

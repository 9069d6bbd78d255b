import Foundation

/// A QR Code symbol (ISO/IEC 18004, model 2): byte mode, versions 1–40, the four error-correction levels,
/// the mask chosen by the standard's penalty rules.
///
/// Receipts carry URLs and references, which are bytes to a scanner whatever their script, so byte mode is the
/// only mode: numeric and alphanumeric modes would shrink a few payloads by a version at the cost of a segmenter.
public struct QRCode: Sendable, Equatable {
    public enum Correction: Sendable { case low, medium, quartile, high }

    /// The payload is longer than the largest symbol (version 40) holds at the chosen correction level.
    public struct TooLong: Error, Sendable, Equatable, CustomStringConvertible {
        public let byteCount: Int
        public let limit: Int
        public let correction: Correction

        public var description: String {
            "\(byteCount) bytes is too long for a QR code at \(correction) error correction: "
                + "the largest symbol (version 40) holds at most \(limit) bytes"
        }
    }

    public let version: Int
    public let correction: Correction
    public let size: Int                      // modules per side = 17 + 4 * version
    /// The mask pattern (0–7) the symbol was drawn with.
    let mask: Int
    /// Row-major, `true` for dark.
    private let modules: [Bool]

    /// Outside the symbol is its quiet zone, so coordinates beyond the edge read as light: renderers can draw the
    /// margin and the symbol with one loop.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    /// Smallest version that holds `bytes` at `correction`; throws QRCode.TooLong (an Error with a clear message naming the byte count and the limit) beyond version 40.
    public static func encode(_ bytes: [UInt8], correction: Correction = .medium) throws -> QRCode {
        guard let version = (1...40).first(where: { bytes.count <= capacity(version: $0, correction: correction) }) else {
            throw TooLong(byteCount: bytes.count, limit: capacity(version: 40, correction: correction), correction: correction)
        }
        return QRCode(bytes: bytes, version: version, correction: correction)
    }

    /// No ECI designator is written: plain byte mode is what most encoders produce and what readers expect. Readers
    /// guess the character set instead; phone scanners generally take valid UTF-8 as UTF-8 (zbar tries Shift JIS
    /// first, so short non-ASCII text can come out as kanji there).
    public static func encode(_ text: String, correction: Correction = .medium) throws -> QRCode {  // UTF-8
        try encode(Array(text.utf8), correction: correction)
    }

    /// A symbol of exactly `version`, with `mask` forced (for tests that exercise every mask) or, when nil, the
    /// one with the lowest penalty. `bytes` must fit (see `capacity`).
    init(bytes: [UInt8], version: Int, correction: Correction, mask forcedMask: Int? = nil) {
        precondition((1...40).contains(version) && bytes.count <= Self.capacity(version: version, correction: correction),
                     "\(bytes.count) bytes do not fit version \(version) at \(correction)")
        let layout = BlockLayout(version: version, correction: correction)
        var unmasked = Grid(version: version)
        unmasked.placeCodewords(layout.interleave(Self.dataCodewords(bytes, version: version, layout: layout)))
        let mask = forcedMask ?? Self.lowestPenaltyMask(unmasked, correction: correction)
        self.version = version
        self.correction = correction
        self.size = unmasked.size
        self.mask = mask
        self.modules = unmasked.masked(mask, formatBits: Self.formatBits(correction: correction, mask: mask)).dark
    }

    /// Ties go to the lower-numbered mask, so the choice is deterministic.
    private static func lowestPenaltyMask(_ grid: Grid, correction: Correction) -> Int {
        let penalties = (0..<8).map { grid.masked($0, formatBits: formatBits(correction: correction, mask: $0)).penalty() }
        return penalties.firstIndex(of: penalties.min()!)!
    }

    /// The most payload bytes a symbol of `version` holds at `correction`.
    static func capacity(version: Int, correction: Correction) -> Int {
        let dataBits = BlockLayout(version: version, correction: correction).dataCodewords * 8
        return (dataBits - 4 - characterCountBits(version: version)) / 8
    }

    private static func characterCountBits(version: Int) -> Int { version <= 9 ? 8 : 16 }

    /// Mode indicator, character count, the bytes, then a terminator and the standard's alternating pad bytes
    /// (0xEC, 0x11) so that unused capacity does not read as more data.
    private static func dataCodewords(_ bytes: [UInt8], version: Int, layout: BlockLayout) -> [UInt8] {
        var bits: [Bool] = []
        func append(_ value: Int, count: Int) {
            for shift in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
        }
        append(0b0100, count: 4)
        append(bytes.count, count: characterCountBits(version: version))
        for byte in bytes { append(Int(byte), count: 8) }
        let capacityBits = layout.dataCodewords * 8
        append(0, count: min(4, capacityBits - bits.count))
        append(0, count: (8 - bits.count % 8) % 8)
        var codewords = stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
        for pad in 0..<(layout.dataCodewords - codewords.count) { codewords.append(pad % 2 == 0 ? 0xEC : 0x11) }
        return codewords
    }

    /// The 15-bit format information: level and mask, BCH(15,5)-protected, XORed with 0x5412 so that it is
    /// never all light.
    private static func formatBits(correction: Correction, mask: Int) -> Int {
        let levelBits: Int
        switch correction {
        case .low: levelBits = 0b01
        case .medium: levelBits = 0b00
        case .quartile: levelBits = 0b11
        case .high: levelBits = 0b10
        }
        let data = levelBits << 3 | mask
        return (data << 10 | bchRemainder(data, degree: 10, generator: 0x537)) ^ 0x5412
    }

    /// The remainder of `data · x^degree` divided by `generator` over GF(2): the check bits of the format and
    /// version information.
    fileprivate static func bchRemainder(_ data: Int, degree: Int, generator: Int) -> Int {
        var remainder = data
        for _ in 0..<degree { remainder = (remainder << 1) ^ ((remainder >> (degree - 1)) & 1 == 1 ? generator : 0) }
        return remainder & ((1 << degree) - 1)
    }
}

// MARK: - Rendering

extension QRCode {
    /// The symbol as terminal text, two module rows per text row with Unicode half blocks (U+2580 ▀, U+2584 ▄,
    /// U+2588 █, space); `quietZone` modules of light margin on every side. Every line has the same character count.
    ///
    /// Polarity: LIGHT modules and the quiet zone are drawn as block ink and dark modules as spaces, so the text
    /// is meant for a terminal with light ink on a dark background: there the ink shows light and the background
    /// shows dark, as a scanner needs. On a light-background terminal the symbol would appear inverted, which many
    /// scanners refuse. The symbol has an odd number of rows, so the last text row's lower half is background.
    public func halfBlockLines(quietZone: Int = 2) -> [String] {
        let margin = max(0, quietZone)
        let span = size + 2 * margin
        func ink(_ x: Int, _ y: Int) -> Bool { y < span && !isDark(x: x - margin, y: y - margin) }
        return stride(from: 0, to: span, by: 2).map { top in
            String((0..<span).map { x -> Character in
                switch (ink(x, top), ink(x, top + 1)) {
                case (true, true): return "\u{2588}"
                case (true, false): return "\u{2580}"
                case (false, true): return "\u{2584}"
                case (false, false): return " "
                }
            })
        }
    }

    /// A binary PGM (P5) image, `scale` pixels per module, with a quiet zone — for tests and for decoding with zbarimg.
    public func pgm(scale: Int = 4, quietZone: Int = 4) -> [UInt8] {
        let pixelsPerModule = max(1, scale)
        let margin = max(0, quietZone)
        let width = (size + 2 * margin) * pixelsPerModule
        var image = Array("P5\n\(width) \(width)\n255\n".utf8)
        image.reserveCapacity(image.count + width * width)
        for row in 0..<width {
            let y = row / pixelsPerModule - margin
            for column in 0..<width {
                image.append(isDark(x: column / pixelsPerModule - margin, y: y) ? 0 : 255)
            }
        }
        return image
    }
}

// MARK: - Block structure

/// How a version and level split the symbol's codewords into Reed–Solomon blocks (the standard's table 9).
private struct BlockLayout {
    let blockCount: Int
    let eccPerBlock: Int
    /// Every 8-bit codeword position in the symbol, data and error correction together.
    let totalCodewords: Int
    var dataCodewords: Int { totalCodewords - blockCount * eccPerBlock }

    init(version: Int, correction: Correction) {
        let level: Int
        switch correction {
        case .low: level = 0
        case .medium: level = 1
        case .quartile: level = 2
        case .high: level = 3
        }
        blockCount = Self.blocks[level][version - 1]
        eccPerBlock = Self.eccCodewords[level][version - 1]
        totalCodewords = Grid.dataModuleCount(version: version) / 8
    }

    typealias Correction = QRCode.Correction

    /// Splits the data into blocks (the later blocks one codeword longer when the division is uneven), adds each
    /// block's error correction, and interleaves them so that a smudge spreads its damage over many blocks.
    func interleave(_ data: [UInt8]) -> [UInt8] {
        let shortBlockCount = blockCount - totalCodewords % blockCount
        let shortDataLength = totalCodewords / blockCount - eccPerBlock
        let reedSolomon = ReedSolomon(degree: eccPerBlock)
        var dataBlocks: [ArraySlice<UInt8>] = []
        var eccBlocks: [[UInt8]] = []
        var start = 0
        for block in 0..<blockCount {
            let length = shortDataLength + (block < shortBlockCount ? 0 : 1)
            let slice = data[start..<start + length]
            dataBlocks.append(slice)
            eccBlocks.append(reedSolomon.remainder(of: slice))
            start += length
        }
        var result: [UInt8] = []
        result.reserveCapacity(totalCodewords)
        for index in 0...shortDataLength {
            for block in dataBlocks where index < block.count { result.append(block[block.startIndex + index]) }
        }
        for index in 0..<eccPerBlock {
            for block in eccBlocks { result.append(block[index]) }
        }
        return result
    }

    // Indexed [level: L, M, Q, H][version - 1].
    private static let eccCodewords: [[Int]] = [
        [7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
         28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
         26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
         28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
         30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    private static let blocks: [[Int]] = [
        [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
         8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
         17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
         23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
         25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]
}

/// Reed–Solomon error correction over GF(2⁸) with the QR field polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D), the
/// generator's roots being α⁰ … α^(degree−1) with α = 2.
private struct ReedSolomon {
    /// The generator polynomial's coefficients below its leading 1, highest power first.
    private let generator: [UInt8]

    init(degree: Int) {
        // Multiply out (x − α⁰)(x − α¹)…; in GF(2⁸) subtraction is XOR.
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for index in 0..<degree {
                coefficients[index] = Self.multiply(coefficients[index], root)
                if index + 1 < degree { coefficients[index] ^= coefficients[index + 1] }
            }
            root = Self.multiply(root, 2)
        }
        generator = coefficients
    }

    /// The error-correction codewords: the remainder of data · x^degree divided by the generator.
    func remainder(of data: ArraySlice<UInt8>) -> [UInt8] {
        var remainder = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ remainder.removeFirst()
            remainder.append(0)
            for index in 0..<remainder.count { remainder[index] ^= Self.multiply(generator[index], factor) }
        }
        return remainder
    }

    private static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        guard x != 0 && y != 0 else { return 0 }
        return exponentials[(Int(logarithms[Int(x)]) + Int(logarithms[Int(y)])) % 255]
    }

    /// αⁱ for i in 0..<255, and its inverse: multiplication becomes addition of logarithms.
    private static let exponentials: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 255)
        var value = 1
        for power in 0..<255 {
            table[power] = UInt8(value)
            value <<= 1
            if value > 0xFF { value ^= 0x11D }
        }
        return table
    }()

    private static let logarithms: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for power in 0..<255 { table[Int(exponentials[power])] = UInt8(power) }
        return table
    }()
}

// MARK: - Module grid

/// The module matrix while it is drawn: function patterns first (marked reserved, so that data and masks skip
/// them), then the codewords, then a mask and the format bits that name it.
private struct Grid {
    let size: Int
    private(set) var dark: [Bool]
    private var reserved: [Bool]

    init(version: Int) {
        size = 17 + 4 * version
        dark = Array(repeating: false, count: size * size)
        reserved = Array(repeating: false, count: size * size)
        drawFunctionPatterns(version: version)
    }

    private mutating func setFunction(x: Int, y: Int, dark isDark: Bool) {
        dark[y * size + x] = isDark
        reserved[y * size + x] = true
    }

    /// Modules left for codewords once the function patterns, format and version information are taken; not
    /// always a multiple of 8, the leftover being remainder bits.
    static func dataModuleCount(version: Int) -> Int {
        let size = 17 + 4 * version
        let alignmentCount = alignmentCentres(version: version).count
        let alignmentPatterns = alignmentCount == 0 ? 0 : alignmentCount * alignmentCount - 3
        // Each alignment pattern is 25 modules, less the 5 + 5 it shares with the timing rows when it sits on one.
        let timingOverlaps = alignmentCount == 0 ? 0 : 2 * (alignmentCount - 2) * 5
        var functionModules = 3 * 64 + 2 * 15 + 1   // finders with separators, format information, the dark module
        functionModules += 2 * (size - 16)          // timing patterns between the separators
        functionModules += 25 * alignmentPatterns - timingOverlaps
        if version >= 7 { functionModules += 2 * 18 }
        return size * size - functionModules
    }

    /// Centre coordinates (rows and columns alike) of the alignment patterns: the first is 6, the last
    /// size − 7, and those between are evenly spaced with an even step, as the standard's Annex E tabulates.
    static func alignmentCentres(version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let last = 17 + 4 * version - 7
        // Version 32 is the one row of Annex E that this spacing rule does not reproduce.
        let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        return [6] + (0..<count - 1).map { last - $0 * step }.reversed()
    }

    private mutating func drawFunctionPatterns(version: Int) {
        for index in 0..<size {
            setFunction(x: 6, y: index, dark: index % 2 == 0)
            setFunction(x: index, y: 6, dark: index % 2 == 0)
        }
        for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] { drawFinder(centreX: x, centreY: y) }
        let centres = Self.alignmentCentres(version: version)
        for (row, y) in centres.enumerated() {
            for (column, x) in centres.enumerated() {
                let last = centres.count - 1
                let overlapsFinder = (row == 0 && column == 0) || (row == 0 && column == last) || (row == last && column == 0)
                if !overlapsFinder { drawAlignment(centreX: x, centreY: y) }
            }
        }
        drawFormatBits(0)   // reserves the modules; the real bits are drawn once the mask is chosen
        if version >= 7 { drawVersionBits(version) }
    }

    /// A 7×7 finder with its light separator ring, clipped at the symbol's edge.
    private mutating func drawFinder(centreX: Int, centreY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centreX + dx, y = centreY + dy
                guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                let ring = max(abs(dx), abs(dy))
                setFunction(x: x, y: y, dark: ring != 2 && ring != 4)
            }
        }
    }

    private mutating func drawAlignment(centreX: Int, centreY: Int) {
        for dy in -2...2 {
            for dx in -2...2 { setFunction(x: centreX + dx, y: centreY + dy, dark: max(abs(dx), abs(dy)) != 1) }
        }
    }

    /// Both copies of the format information, least significant bit first: down column 8 and then leftward
    /// along row 8 around the top-left finder, and leftward along row 8 from the right edge and then down
    /// column 8 to the bottom edge; plus the dark module that always sits beside the lower copy.
    private mutating func drawFormatBits(_ bits: Int) {
        func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }
        for index in 0..<6 { setFunction(x: 8, y: index, dark: bit(index)) }
        setFunction(x: 8, y: 7, dark: bit(6))
        setFunction(x: 8, y: 8, dark: bit(7))
        setFunction(x: 7, y: 8, dark: bit(8))
        for index in 9..<15 { setFunction(x: 14 - index, y: 8, dark: bit(index)) }
        for index in 0..<8 { setFunction(x: size - 1 - index, y: 8, dark: bit(index)) }
        for index in 8..<15 { setFunction(x: 8, y: size - 15 + index, dark: bit(index)) }
        setFunction(x: 8, y: size - 8, dark: true)
    }

    /// Versions 7 and up carry their number, BCH(18,6)-protected, in two 6×3 blocks beside the top-right and
    /// bottom-left finders, because their size alone is too hard to count reliably.
    private mutating func drawVersionBits(_ version: Int) {
        let bits = version << 12 | QRCode.bchRemainder(version, degree: 12, generator: 0x1F25)
        for index in 0..<18 {
            let isDark = (bits >> index) & 1 == 1
            let across = size - 11 + index % 3, along = index / 3
            setFunction(x: across, y: along, dark: isDark)
            setFunction(x: along, y: across, dark: isDark)
        }
    }

    /// Codeword bits, most significant first, go up and down two-module-wide columns from the bottom-right,
    /// skipping the vertical timing column and every reserved module.
    mutating func placeCodewords(_ codewords: [UInt8]) {
        let bitCount = codewords.count * 8
        var bitIndex = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !reserved[y * size + x] && bitIndex < bitCount {
                    dark[y * size + x] = (codewords[bitIndex >> 3] >> (7 - UInt8(bitIndex & 7))) & 1 == 1
                    bitIndex += 1
                }
            }
            right -= 2
        }
    }

    /// The grid with the data modules inverted where mask pattern `mask` (the standard's table 10, i = row,
    /// j = column) holds, breaking up patterns that could confuse a reader, and with the format bits that name it.
    func masked(_ mask: Int, formatBits: Int) -> Grid {
        var result = self
        for y in 0..<size {
            for x in 0..<size where !reserved[y * size + x] {
                let inverts: Bool
                switch mask {
                case 0: inverts = (x + y) % 2 == 0
                case 1: inverts = y % 2 == 0
                case 2: inverts = x % 3 == 0
                case 3: inverts = (x + y) % 3 == 0
                case 4: inverts = (x / 3 + y / 2) % 2 == 0
                case 5: inverts = x * y % 2 + x * y % 3 == 0
                case 6: inverts = (x * y % 2 + x * y % 3) % 2 == 0
                default: inverts = ((x + y) % 2 + x * y % 3) % 2 == 0
                }
                if inverts { result.dark[y * size + x].toggle() }
            }
        }
        result.drawFormatBits(formatBits)
        return result
    }

    /// The standard's four penalty rules (7.8.3); the encoder keeps the mask that scores lowest.
    func penalty() -> Int {
        var score = 0
        for index in 0..<size {
            score += linePenalty(start: index * size, step: 1)   // row
            score += linePenalty(start: index, step: size)       // column
        }
        // Rule 2: every 2×2 block of one colour (overlapping blocks each count).
        for y in 0..<size - 1 {
            for x in 0..<size - 1 {
                let here = y * size + x
                let colour = dark[here]
                if dark[here + 1] == colour && dark[here + size] == colour && dark[here + size + 1] == colour { score += 3 }
            }
        }
        // Rule 4: 10 points for each whole 5% by which the dark proportion strays from half.
        var darkCount = 0
        for module in dark where module { darkCount += 1 }
        score += 10 * (abs(darkCount * 20 - dark.count * 10) / dark.count)
        return score
    }

    /// Rules 1 and 3 along the row or column of `size` modules that begins at index `start`.
    private func linePenalty(start: Int, step: Int) -> Int {
        var line = [Bool](repeating: false, count: size)
        for position in 0..<size { line[position] = dark[start + position * step] }
        var score = 0
        // Rule 1: a run of five or more modules of one colour scores 3, plus 1 for each module past five.
        var runLength = 0
        for position in 0..<size {
            runLength = position > 0 && line[position - 1] == line[position] ? runLength + 1 : 1
            if runLength == 5 { score += 3 } else if runLength > 5 { score += 1 }
        }
        // Rule 3: dark-light-dark-dark-dark-light-dark (1:1:3:1:1, a finder's signature) with four light modules
        // on either side scores 40. Beyond the edge is the quiet zone, so it counts as light.
        for position in 0...(size - 7) {
            guard line[position] && !line[position + 1] && line[position + 2] && line[position + 3] && line[position + 4]
                && !line[position + 5] && line[position + 6] else { continue }
            var lightBefore = true, lightAfter = true
            for offset in 1...4 {
                if position - offset >= 0 && line[position - offset] { lightBefore = false }
                if position + 6 + offset < size && line[position + 6 + offset] { lightAfter = false }
            }
            if lightBefore || lightAfter { score += 40 }
        }
        return score
    }
}

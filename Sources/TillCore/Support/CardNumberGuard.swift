/// Till never takes a card number (issue 15): the customer taps or inserts the card on the reader, and only the
/// reader's token, brand and last four come back. So any text that looks like a card number (a PAN) is refused
/// wherever a person types it — core use cases, the TUI's text fields, the command line — and a test scans the
/// store's files and all output with the same rule (`TillTestSupport.CardNumberScan`).
///
/// **The rule.** A *digit run* is ASCII digits, possibly grouped by single spaces or single dashes as a card is
/// written (`4242 4242 4242 4242`, `4242-4242-4242-4242`, `3782 822463 10005`); two separators in a row, or any
/// other character, end it. Any stretch of whole groups of a run that holds 13 to 19 digits and passes the Luhn
/// check is PAN-like — whole groups, so a card written next to its expiry or security code
/// (`4242 4242 4242 4242 123`) is still found, and a digit never starts or ends a candidate in the middle of a
/// longer number (an 18-digit reference does not hide a 16-digit "card" inside it).
///
/// **Barcodes are not card numbers.** A candidate of exactly 13 or 14 digits with a valid GS1 check digit is an
/// EAN-13 or GTIN-14 (`Barcode.validate`) and allowed; GTIN-8 and UPC-A (8, 12 digits) are too short to be a
/// PAN at all. The cost: a 13- or 14-digit PAN whose GS1 check digit happens to be valid too passes. Cards of
/// that length are nearly extinct (PANs are almost always 15–16 digits, and 15–19-digit candidates get no
/// exemption).
///
/// **UUIDs are not card numbers.** A candidate inside a whole UUID in its canonical form (`8-4-4-4-12` hex
/// digits with dashes, not glued to other letters or digits) is a chain-wide id (a customer's `global_id`, an
/// event id), not a card: a random UUID's all-digit groups read as a Luhn-valid run now and then. Nobody writes a
/// card number as a UUID, so the exemption costs nothing real.
///
/// **Hashes and signatures are not card numbers.** A candidate inside a token of 40 or more hex or base64
/// characters (`A–Z a–z 0–9 + /`, with at least one letter, bounded by other characters) is a journal entry's
/// SHA-256 or signature, or a key: their digit stretches read as a Luhn-valid run now and then. A card number is
/// never written glued into such a blob.
///
/// The rule works on bytes (a `String`'s UTF-8, or a file's raw bytes), so the guard and the file scan can
/// never disagree: one rule, one place. Only ASCII digits count — a PAN in other digits cannot be keyed into a
/// payment system either.
public enum CardNumberGuard {
    /// The card-number lengths ISO/IEC 7812 allows.
    public static let lengths: ClosedRange<Int> = 13...19

    /// Why text is refused, after the name of what holds it. It never shows the digits: repeating a card number
    /// in a message would put it on screen, in a log or in a terminal's scrollback.
    public static let reason = "looks like a card number; Till never takes card numbers — the customer taps or inserts the card on the reader"

    /// The whole refusal: `the note looks like a card number; …`.
    public static func refusal(field: String) -> String { "\(field) \(reason)" }

    public static func containsCardNumber(_ text: String) -> Bool {
        firstCardNumber(inBytes: Array(text.utf8)) != nil
    }

    /// Throws `TillError.invalid` naming `field` when `text` holds a PAN-like string.
    public static func check(_ text: String, field: String) throws {
        if containsCardNumber(text) { throw TillError.invalid(refusal(field: field)) }
    }

    /// The same for an optional value: nil holds nothing.
    public static func check(_ text: String?, field: String) throws {
        if let text { try check(text, field: field) }
    }

    /// Where each PAN-like string starts and ends (byte offsets, `lowerBound..<upperBound`) in `bytes`, in
    /// order, not overlapping.
    public static func cardNumberRanges<Bytes: RandomAccessCollection>(inBytes bytes: Bytes) -> [Range<Int>]
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var found: [Range<Int>] = []
        scan(bytes) { found.append($0); return true }
        return found
    }

    static func firstCardNumber<Bytes: RandomAccessCollection>(inBytes bytes: Bytes) -> Range<Int>?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var first: Range<Int>?
        scan(bytes) { first = $0; return false }
        return first
    }

    /// One group of a digit run: where its digits are.
    private struct Group {
        var start: Int
        var end: Int
        var count: Int { end - start }
    }

    private static let space = UInt8(ascii: " ")
    private static let dash = UInt8(ascii: "-")

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Walks the bytes once, building digit runs group by group, and hands each PAN-like range to `report`
    /// (which answers whether to go on). Offsets are relative to `bytes.startIndex`.
    private static func scan<Bytes: RandomAccessCollection>(_ bytes: Bytes, report: (Range<Int>) -> Bool)
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let base = bytes.startIndex
        var groups: [Group] = []
        var index = bytes.startIndex
        let end = bytes.endIndex
        while index < end {
            let byte = bytes[index]
            if isDigit(byte) {
                var groupEnd = index + 1
                while groupEnd < end, isDigit(bytes[groupEnd]) { groupEnd += 1 }
                groups.append(Group(start: index, end: groupEnd))
                index = groupEnd
                // A single space or dash followed by a digit carries the run on; anything else ends it.
                if index + 1 < end, bytes[index] == space || bytes[index] == dash, isDigit(bytes[index + 1]) {
                    index += 1
                    continue
                }
                guard candidates(in: groups, of: bytes, base: base, report: report) else { return }
                groups.removeAll(keepingCapacity: true)
            } else {
                index += 1
            }
        }
    }

    /// Every stretch of whole groups with 13–19 digits, shortest first from each group on; a PAN-like one is
    /// reported and the search goes on after it. Answers false when `report` asked to stop.
    private static func candidates<Bytes: RandomAccessCollection>(
        in groups: [Group], of bytes: Bytes, base: Int, report: (Range<Int>) -> Bool
    ) -> Bool where Bytes.Element == UInt8, Bytes.Index == Int {
        var first = 0
        while first < groups.count {
            var digits = 0
            var last = first
            var matched = false
            while last < groups.count {
                digits += groups[last].count
                if digits > lengths.upperBound { break }
                if digits >= lengths.lowerBound, isCardNumber(groups[first...last], of: bytes, digits: digits),
                   !isInsideUUID(groups[first].start, groups[last].end, of: bytes),
                   !isInsideLongToken(groups[first].start, groups[last].end, of: bytes) {
                    guard report((groups[first].start - base)..<(groups[last].end - base)) else { return false }
                    matched = true
                    break
                }
                last += 1
            }
            first = matched ? last + 1 : first + 1
        }
        return true
    }

    /// Luhn-valid, and not a GS1 barcode.
    private static func isCardNumber<Bytes: RandomAccessCollection>(
        _ groups: ArraySlice<Group>, of bytes: Bytes, digits count: Int
    ) -> Bool where Bytes.Element == UInt8, Bytes.Index == Int {
        var digits: [UInt8] = []
        digits.reserveCapacity(count)
        for group in groups {
            for index in group.start..<group.end { digits.append(bytes[index] - 0x30) }
        }
        guard passesLuhn(digits) else { return false }
        if digits.count == 13 || digits.count == 14, isGS1Valid(digits) { return false }
        return true
    }

    /// Whether `start..<end` lies within a canonical UUID bounded by neither letters nor digits.
    private static func isInsideUUID<Bytes: RandomAccessCollection>(_ start: Int, _ end: Int, of bytes: Bytes) -> Bool
    where Bytes.Element == UInt8, Bytes.Index == Int {
        func isHex(_ byte: UInt8) -> Bool {
            isDigit(byte) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)
        }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            isDigit(byte) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
        }
        var low = start
        while low > bytes.startIndex, isHex(bytes[low - 1]) || bytes[low - 1] == dash { low -= 1 }
        var high = end
        while high < bytes.endIndex, isHex(bytes[high]) || bytes[high] == dash { high += 1 }
        // The token may run into a neighbouring dash-joined word; try each UUID-long window that covers the range.
        let length = 36
        guard high - low >= length else { return false }
        var origin = max(low, end - length)
        while origin <= min(start, high - length) {
            let window = origin..<(origin + length)
            var canonical = true
            for index in window {
                let offset = index - origin
                let byte = bytes[index]
                if [8, 13, 18, 23].contains(offset) ? byte != dash : !isHex(byte) { canonical = false; break }
            }
            let before = origin > bytes.startIndex ? bytes[origin - 1] : nil
            let after = window.upperBound < bytes.endIndex ? bytes[window.upperBound] : nil
            if canonical, before.map({ !isAlphanumeric($0) && $0 != dash }) ?? true, after.map({ !isAlphanumeric($0) && $0 != dash }) ?? true {
                return true
            }
            origin += 1
        }
        return false
    }

    /// Whether `start..<end` lies within 40 or more hex/base64 characters holding a letter.
    private static func isInsideLongToken<Bytes: RandomAccessCollection>(_ start: Int, _ end: Int, of bytes: Bytes) -> Bool
    where Bytes.Element == UInt8, Bytes.Index == Int {
        func isTokenByte(_ byte: UInt8) -> Bool {
            isDigit(byte) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x2B || byte == 0x2F
        }
        // A grouped run (spaces or dashes inside) is written as a card is, never part of one token.
        for index in start..<end where !isTokenByte(bytes[index]) { return false }
        var low = start, high = end, letters = false
        while low > bytes.startIndex, isTokenByte(bytes[low - 1]) {
            low -= 1
            letters = letters || !isDigit(bytes[low])
        }
        while high < bytes.endIndex, isTokenByte(bytes[high]) {
            letters = letters || !isDigit(bytes[high])
            high += 1
        }
        return letters && high - low >= 40
    }

    /// The Luhn (mod 10) check every payment card number carries in its last digit.
    static func passesLuhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if offset % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    /// The GS1 check digit, as `Barcode` checks a GTIN.
    private static func isGS1Valid(_ digits: [UInt8]) -> Bool {
        let code = String(digits.map { Character(Unicode.Scalar($0 + 0x30)) })
        return Barcode.isValid(code)
    }
}

/// A receipt printer's state as it reports it in real time: the answers to `DLE EOT n` (0x10 0x04 n), one
/// byte each, decoded into the words a cashier understands.
///
/// Bit meanings from Epson's ESC/POS reference, "DLE EOT n — Transmit real-time status" (as printed in the
/// TM-U220 manual, https://www.easymanua.ls/epson/tm-u220a/manual?p=54; Bixolon's and Samsung's SRP manuals
/// give the same table):
///
/// - n = 1, printer status: bit 2 drawer kick-out connector pin 3, bit 3 offline.
/// - n = 2, offline cause: bit 2 roll paper cover open, bit 3 paper being fed with the FEED button, bit 5
///   printing stopped by paper end, bit 6 an error (auto-cutter, head temperature, mechanism).
/// - n = 4, roll paper sensor: bits 2–3 paper near end, bits 5–6 paper end (out of paper).
///
/// In every answer bit 1 and bit 4 are fixed on and bits 0 and 7 fixed off (0x12 with nothing to report), which
/// is how an answer is told from other bytes on the line.
public struct PrinterStatus: Equatable, Sendable {
    /// False for a device path: a USB `lp` device cannot be asked reliably, so Till only writes to it.
    public var known: Bool
    public var offline = false
    public var coverOpen = false
    public var feedButton = false
    public var paperOut = false
    public var paperLow = false
    public var error = false
    /// The drawer sensor (pin 3) as the printer reads it; which level means "open" depends on the drawer.
    public var drawerPin3High = false

    public static let unknown = PrinterStatus(known: false)

    public init(known: Bool) { self.known = known }

    /// The three answers, or nil when a byte is not a status answer (its fixed bits are wrong).
    public init?(printer: UInt8, offlineCause: UInt8, paper: UInt8) {
        guard [printer, offlineCause, paper].allSatisfy(PrinterStatus.isStatusByte) else { return nil }
        known = true
        drawerPin3High = printer & 0x04 != 0
        offline = printer & 0x08 != 0
        coverOpen = offlineCause & 0x04 != 0
        feedButton = offlineCause & 0x08 != 0
        error = offlineCause & 0x40 != 0
        paperLow = paper & 0x0C != 0
        // The offline cause's paper-end stop and the roll sensor's paper end both mean no paper.
        paperOut = offlineCause & 0x20 != 0 || paper & 0x60 != 0
    }

    /// Bits 1 and 4 on, bits 0 and 7 off: how Epson marks a real-time status byte.
    public static func isStatusByte(_ byte: UInt8) -> Bool { byte & 0x93 == 0x12 }

    /// The printer cannot print now: sending a receipt would lose it or leave it half printed.
    public var refusesPrinting: Bool { known && (paperOut || coverOpen || error || (offline && !feedButton)) }

    /// What is wrong, most important first, in plain words ("paper out", "cover open"); empty when nothing is.
    public var problems: [String] {
        guard known else { return [] }
        var words: [String] = []
        if paperOut { words.append("paper out") }
        if coverOpen { words.append("cover open") }
        if error { words.append("printer error (cutter jammed or head too hot)") }
        if offline && words.isEmpty { words.append(feedButton ? "feeding paper (FEED button held)" : "offline") }
        if paperLow && !paperOut { words.append("paper low") }
        return words
    }

    /// One line: "ready", "ready — paper low", "paper out, cover open", "status unknown".
    public var summary: String {
        guard known else { return "status unknown (a device path cannot be asked)" }
        let words = problems
        if refusesPrinting { return words.joined(separator: ", ") }
        return words.isEmpty ? "ready" : "ready — " + words.joined(separator: ", ")
    }
}

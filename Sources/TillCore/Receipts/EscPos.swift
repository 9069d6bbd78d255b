/// ESC/POS bytes for a receipt printer: initialise, select code page 858 (Latin-1 with €), print, feed, cut,
/// and kick the cash drawer when cash was taken.
public enum EscPos {
    static let escape: UInt8 = 0x1B
    static let groupSeparator: UInt8 = 0x1D

    /// `width` is the paper's in columns (42 or 48): lines that transliteration widened are kept within it.
    /// `code` (a receipt's signed QR code, already in printer commands) is printed centred under the text.
    public static func encode(_ text: String, openDrawer: Bool, width: Int? = nil, code: [UInt8]? = nil) -> [UInt8] {
        var bytes: [UInt8] = [escape, 0x40]          // ESC @: initialise
        bytes += [escape, 0x74, 19]                   // ESC t 19: code page 858
        bytes += CodePage858.encode(text, width: width)
        if let code {
            bytes += [escape, 0x61, 1]                // ESC a 1: centre
            bytes += code
            bytes += [0x0A, escape, 0x61, 0]          // back to the left
        }
        bytes += [escape, 0x64, 4]                    // ESC d 4: feed four lines
        bytes += [groupSeparator, 0x56, 66, 0]        // GS V 66 0: feed and partial cut
        if openDrawer { bytes += [escape, 0x70, 0, 25, 250] }  // ESC p 0: pulse drawer pin 2
        return bytes
    }

    /// The cash drawer's pulse alone (ESC @, then ESC p 0): it opens even when the printer cannot print.
    public static let drawerPulse: [UInt8] = [escape, 0x40, escape, 0x70, 0, 25, 250]
}

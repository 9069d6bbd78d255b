extension EscPos {
    /// The printer's own QR code: GS ( k — model 2 (fn 165/cn 49 65), module size (fn 167), error correction (fn 169), store data (fn 180), print (fn 181).
    ///
    /// `moduleSize` is in dots and is clamped to the 1–16 the command accepts, since a printer ignores an
    /// out-of-range size and prints at its default instead. The printer prints nothing for a payload no symbol
    /// holds, so check long payloads with `QRCode.encode` first.
    public static func qrCode(_ payload: [UInt8], moduleSize: UInt8 = 4, correction: QRCode.Correction = .medium) -> [UInt8] {
        let level: UInt8
        switch correction {
        case .low: level = 48
        case .medium: level = 49
        case .quartile: level = 50
        case .high: level = 51
        }
        var bytes = qrFunction(65, [50, 0])                            // fn 165: model 2
        bytes += qrFunction(67, [min(max(moduleSize, 1), 16)])         // fn 167: module size in dots
        bytes += qrFunction(69, [level])                               // fn 169: error correction level
        bytes += qrFunction(80, [48] + payload)                        // fn 180: store the data
        bytes += qrFunction(81, [48])                                  // fn 181: print the stored symbol
        return bytes
    }

    /// GS ( k pL pH cn fn parameters, cn 49 being the QR code functions; pL pH count cn, fn and the parameters.
    private static func qrFunction(_ function: UInt8, _ parameters: [UInt8]) -> [UInt8] {
        let length = parameters.count + 2
        precondition(length <= 0xFFFF, "GS ( k cannot carry \(parameters.count) bytes")
        return [groupSeparator, 0x28, 0x6B, UInt8(length & 0xFF), UInt8(length >> 8), 49, function] + parameters
    }

    /// For printers without GS ( k: the symbol as a raster bit image, GS v 0 m xL xH yL yH d1...dk, `dotsPerModule` dots per module, with a 4-module quiet zone.
    ///
    /// Rows are `(size + 8) × dotsPerModule` dots wide (a byte per 8 dots, most significant bit leftmost, 1 printing
    /// black), so choose `dotsPerModule` to fit the paper: 576 dots across 80 mm at 203 dpi, 384 across 58 mm.
    /// It is clamped to 1–255, which keeps even a version 40 symbol within the command's 16-bit sizes.
    public static func qrRaster(_ code: QRCode, dotsPerModule: Int = 6) -> [UInt8] {
        let quietZone = 4
        let dots = min(max(dotsPerModule, 1), 255)
        let width = (code.size + 2 * quietZone) * dots
        let bytesPerRow = (width + 7) / 8
        var bytes: [UInt8] = [groupSeparator, 0x76, 0x30, 0,                      // GS v 0, m = 0: normal size
                              UInt8(bytesPerRow & 0xFF), UInt8(bytesPerRow >> 8),
                              UInt8(width & 0xFF), UInt8(width >> 8)]             // square: as many rows as dots across
        bytes.reserveCapacity(bytes.count + bytesPerRow * width)
        for row in 0..<width {
            var line = [UInt8](repeating: 0, count: bytesPerRow)
            let y = row / dots - quietZone
            for column in 0..<width where code.isDark(x: column / dots - quietZone, y: y) {
                line[column >> 3] |= 0x80 >> UInt8(column & 7)
            }
            bytes += line
        }
        return bytes
    }
}

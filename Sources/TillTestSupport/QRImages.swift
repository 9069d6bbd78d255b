import Foundation

/// QR codes as an independent reader sees them: a screen receipt's half-block text or a printer's bytes
/// turned into an image, and that image decoded by zbarimg (Debian's zbar-tools), never by Till's own code.
public enum QRImages {
    /// The half-block form (light modules drawn as ink, dark as spaces) as a PGM, `scale` pixels a module, with
    /// four modules of white around it.
    public static func pgm(halfBlocks lines: [String], scale: Int = 4) -> [UInt8] {
        var modules: [[Bool]] = []  // true = dark
        for line in lines {
            var top: [Bool] = [], bottom: [Bool] = []
            for glyph in line {
                switch glyph {
                case "\u{2588}": top.append(false); bottom.append(false)
                case "\u{2580}": top.append(false); bottom.append(true)
                case "\u{2584}": top.append(true); bottom.append(false)
                default: top.append(true); bottom.append(true)
                }
            }
            modules.append(top)
            modules.append(bottom)
        }
        return image(modules, scale: scale, margin: 4)
    }

    static func image(_ modules: [[Bool]], scale: Int, margin: Int) -> [UInt8] {
        let width = (modules.map(\.count).max() ?? 0) + 2 * margin, height = modules.count + 2 * margin
        var out = Array("P5\n\(width * scale) \(height * scale)\n255\n".utf8)
        for y in 0..<height {
            var row: [UInt8] = []
            for x in 0..<width {
                let my = y - margin, mx = x - margin
                let dark = my >= 0 && my < modules.count && mx >= 0 && mx < modules[my].count && modules[my][mx]
                row += [UInt8](repeating: dark ? 0 : 255, count: scale)
            }
            for _ in 0..<scale { out += row }
        }
        return out
    }

    /// The first `GS v 0` raster image in printer bytes (a row of xL + 256·xH bytes per dot row, MSB leftmost, 1
    /// printing black), as a PGM with a white margin.
    public static func pgm(fromRasterIn bytes: [UInt8]) -> [UInt8]? {
        guard let start = (0..<max(0, bytes.count - 8)).first(where: { bytes[$0] == 0x1D && bytes[$0 + 1] == 0x76 && bytes[$0 + 2] == 0x30 }) else { return nil }
        let bytesPerRow = Int(bytes[start + 4]) + Int(bytes[start + 5]) * 256
        let rows = Int(bytes[start + 6]) + Int(bytes[start + 7]) * 256
        let data = start + 8
        guard bytes.count >= data + bytesPerRow * rows else { return nil }
        var modules: [[Bool]] = []
        for row in 0..<rows {
            modules.append((0..<bytesPerRow * 8).map { column in
                (bytes[data + row * bytesPerRow + column / 8] >> UInt8(7 - column % 8)) & 1 == 1
            })
        }
        return image(modules, scale: 1, margin: 24)
    }

    /// What a printer's `GS ( k` store command (cn 49, fn 80 — function 180) holds: the data it will encode.
    public static func storedQRData(in bytes: [UInt8]) -> [UInt8]? {
        var index = 0
        while index + 8 <= bytes.count {
            if bytes[index] == 0x1D, bytes[index + 1] == 0x28, bytes[index + 2] == 0x6B, bytes[index + 5] == 49, bytes[index + 6] == 80 {
                let length = Int(bytes[index + 3]) + Int(bytes[index + 4]) * 256 - 3
                let data = index + 8
                guard length >= 0, bytes.count >= data + length else { return nil }
                return Array(bytes[data..<(data + length)])
            }
            index += 1
        }
        return nil
    }

    /// zbarimg's reading of one image: the symbol's exact bytes as text. Fails, naming the package, when
    /// zbarimg is not installed — never skips.
    public static func decode(_ pgm: [UInt8]) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        guard let zbarimg = path.split(separator: ":").map({ "\($0)/zbarimg" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TillTestError("zbarimg was not found: apt-get install zbar-tools (the receipt-code tests decode with it and fail without it)")
        }
        let file = TestStores.temporaryDirectory().appendingPathComponent("code.pgm")
        try Data(pgm).write(to: file)
        let result = try TillProcess.runTool(zbarimg, ["--raw", "-q", "-Sbinary", "-Sdisable", "-Sqrcode.enable", file.path])
        guard result.status == 0 else { throw TillTestError("zbarimg read no QR code in \(file.path) (status \(result.status)): \(result.stderr)") }
        return result.stdout
    }
}

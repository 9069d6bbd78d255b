import Foundation

/// The receipt code as a screen shows it: the QR code in half blocks (light ink on a dark terminal, so the
/// code reads dark-on-light to a phone), then what it holds in words.
public enum ReceiptCodeText {
    public static func lines(_ code: ReceiptCode) -> [String] {
        var lines: [String] = []
        if let symbol = try? QRCode.encode(code.payload, correction: .low) {
            lines = symbol.halfBlockLines(quietZone: 2)
        }
        lines.append("Journal entry \(code.seq) · \(code.store) · register \(code.register) · receipt \(code.receipt)")
        lines.append("sha256 \(code.hash)")
        lines.append("Signed by the store's key: check with `till journal key` and openssl.")
        return lines
    }
}

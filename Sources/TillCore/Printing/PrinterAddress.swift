import Foundation

/// Where a receipt printer is: a device or file (`/dev/usb/lp0`, a USB printer through the kernel's `usblp`), or
/// a network printer at `tcp://HOST[:PORT]` — raw ESC/POS over TCP, port 9100 unless said, how most receipt
/// printers on a shop's LAN are reached. The host is an IPv4 address, an IPv6 address (in brackets when a port
/// follows: `tcp://[fd00::5]:9100`) or a host name.
public enum PrinterAddress: Equatable, Hashable, Sendable, CustomStringConvertible {
    case network(host: String, port: UInt16)
    case device(path: String)

    /// The port receipt printers listen on for raw print data ("JetDirect" / AppSocket).
    public static let defaultPort: UInt16 = 9100

    public init(parsing text: String) throws {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else {
            throw TillError.invalid("no printer address: give tcp://HOST:9100 for a network printer or a device path such as /dev/usb/lp0")
        }
        guard let scheme = text.range(of: "://") else {
            guard !text.contains(where: { $0.isNewline || $0 == "\0" }) else {
                throw TillError.invalid("printer path \"\(text)\" has a line break or NUL in it")
            }
            // What looks like a network address typed wrong (`tcp:/10.0.0.5`, `10.0.0.5:9100`) would otherwise be
            // taken as a file of that name, and the "printer" would never print.
            let lower = text.lowercased()
            if lower.hasPrefix("tcp:") || lower.hasPrefix("http:") || lower.hasPrefix("https:")
                || (!text.contains("/") && text.range(of: #"^[A-Za-z0-9.\-]+:[0-9]+$"#, options: .regularExpression) != nil) {
                throw TillError.invalid("\"\(text)\" is neither a network printer nor a device path: write tcp://HOST:PORT (e.g. tcp://192.168.1.50:9100) or a path such as /dev/usb/lp0")
            }
            self = .device(path: text)
            return
        }
        guard text[..<scheme.lowerBound].lowercased() == "tcp" else {
            throw TillError.invalid("\"\(text)\" is not a printer address: a receipt printer takes raw ESC/POS, not \(text[..<scheme.lowerBound]) — use tcp://HOST:9100, or a device path such as /dev/usb/lp0")
        }
        var rest = Substring(text[scheme.upperBound...])
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty else { throw TillError.invalid("\"\(text)\" names no host: write tcp://HOST:9100, e.g. tcp://192.168.1.50:9100") }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw TillError.invalid("\"\(text)\": an IPv6 address in brackets needs its closing ]") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw TillError.invalid("\"\(text)\": after the ] comes :PORT or nothing") }
                portText = after.dropFirst()
            }
            guard PrinterAddress.isIPv6(String(host)) else { throw TillError.invalid("\"\(text)\": [\(host)] is not an IPv6 address") }
        } else if rest.filter({ $0 == ":" }).count > 1 {
            // A bare IPv6 address: no port can follow without brackets.
            host = rest
            guard PrinterAddress.isIPv6(String(host)) else {
                throw TillError.invalid("\"\(text)\": \(host) is not an IPv6 address (with a port, write it in brackets: tcp://[fd00::5]:9100)")
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty else { throw TillError.invalid("\"\(text)\" names no host: write tcp://HOST:9100, e.g. tcp://192.168.1.50:9100") }
        if !PrinterAddress.isIPv6(String(host)) {
            guard host.count <= 253, host.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "." || $0 == "-" }),
                  !host.hasPrefix("-"), !host.hasPrefix(".") else {
                throw TillError.invalid("\"\(text)\": \"\(host)\" is not a host name or IP address")
            }
        }
        var port = PrinterAddress.defaultPort
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let number = Int(portText), (1...65535).contains(number) else {
                throw TillError.invalid("\"\(text)\": bad port \"\(portText)\" — a port is a number from 1 to 65535 (receipt printers listen on 9100)")
            }
            port = UInt16(number)
        }
        self = .network(host: String(host), port: port)
    }

    public var description: String {
        switch self {
        case let .network(host, port): return "tcp://" + (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
        case let .device(path): return path
        }
    }

    public var isNetwork: Bool {
        if case .network = self { return true }
        return false
    }

    static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return text.withCString { inet_pton(AF_INET6, $0, &address) } == 1
    }
}

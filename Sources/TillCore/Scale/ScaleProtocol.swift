/// Mettler Toledo's MT-SICS ("Mettler Toledo Standard Interface Command Set"), level 0/1: the request/answer
/// protocol spoken by MT counter and bench scales and by many other makers' indicators in "SICS" mode.
///
/// What is used here, as the public reference manuals describe it (MT-SICS Interface Commands, Reference Manual —
/// e.g. 11780711 for the New Classic range, 30014405 for Standard and Advanced balances; § "Command formats",
/// § "Response formats", and the commands S, SI, T, TA, TAC, Z, I4):
///
/// - A command is ASCII, upper case, closed by CR LF; its parameters are separated by a space.
/// - An answer with a weight is `ID␣Status␣WeightValue␣Unit` CR LF — the weight value right-aligned in 10
///   characters, a minus sign before a negative figure — e.g. `S S      1.234 kg`.
/// - `S` (send a stable weight): `S S <w> <u>`; `S I` when it cannot (busy, or stability was not reached in
///   the scale's own time limit); `S +` overload; `S -` underload.
/// - `SI` (send the weight now, stable or not): `S S <w> <u>` when stable, `S D <w> <u>` when dynamic (moving).
/// - `T` (tare when stable): `T S <tare> <u>`, or `T I` / `T +` / `T -`. After it, `S` reports the net weight.
/// - `TA` (the tare memory): `TA A <tare> <u>`; `TA <value> <unit>` presets it. `TAC`: `TAC A` clears it.
/// - `Z` (zero when stable): `Z A`, or `Z I` / `Z +` / `Z -`.
/// - `I4` (serial number): `I4 A "<serial>"`.
/// - Whatever the command: `ES` syntax error (not understood), `ET` transmission error, `EL` logical error.
///
/// Pure: no I/O here. Weights are exact integers (milligrams), never floating point.
public enum MTSICS {
    public enum Command: Equatable, Sendable {
        /// `S`: a stable weight.
        case stableWeight
        /// `SI`: the weight now, stable or dynamic.
        case immediateWeight
        /// `T`: tare with what is on the pan (when stable).
        case tare
        /// `TA`: what the tare memory holds.
        case tareQuery
        /// `TA <value> g`: preset the tare (a container's known weight).
        case presetTare(milligrams: Int64)
        /// `TAC`: clear the tare memory.
        case clearTare
        /// `Z`: zero the scale (when stable).
        case zero
        /// `I4`: the scale's serial number.
        case serialNumber

        /// The command as sent, without its CR LF.
        public var text: String {
            switch self {
            case .stableWeight: return "S"
            case .immediateWeight: return "SI"
            case .tare: return "T"
            case .tareQuery: return "TA"
            case let .presetTare(milligrams): return "TA \(MTSICS.decimal(milligrams, unit: .g)) g"
            case .clearTare: return "TAC"
            case .zero: return "Z"
            case .serialNumber: return "I4"
            }
        }

        /// The bytes on the wire: the command and CR LF.
        public var bytes: [UInt8] { Array((text + "\r\n").utf8) }

        /// The identifier its answers start with (`S` for both S and SI).
        public var answerID: String {
            switch self {
            case .stableWeight, .immediateWeight: return "S"
            case .tare: return "T"
            case .tareQuery, .presetTare: return "TA"
            case .clearTare: return "TAC"
            case .zero: return "Z"
            case .serialNumber: return "I4"
            }
        }
    }

    /// The weighing units a till takes. A scale set to pounds or carats is refused rather than misread.
    public enum Unit: String, Equatable, Sendable, CaseIterable {
        case kg, g

        /// Milligrams in one of the unit, and the decimals a milligram needs.
        var milligrams: Int64 { self == .kg ? 1_000_000 : 1_000 }
        var decimals: Int { self == .kg ? 6 : 3 }
    }

    /// One answer, read.
    public enum Response: Equatable, Sendable {
        /// `S S`, `T S` (the tare taken), `TA A` (the tare memory): a stable weight.
        case stable(milligrams: Int64)
        /// `S D`: the weight now, still moving.
        case dynamic(milligrams: Int64)
        /// `x I`: the scale cannot do it now (busy, or no stability within its own time limit).
        case notExecutable
        /// `x +`: over the scale's capacity.
        case overload
        /// `x -`: under its range (below zero, or the pan is off).
        case underload
        /// `Z A`, `TAC A`, a preset `TA A`: done.
        case done
        /// `I4 A "…"`.
        case serialNumber(String)
        /// A weight in a unit other than kg or g (`S S 1.000 lb`).
        case unsupportedUnit(String)
        /// `ES`, `ET`, `EL`, or `x L`: the scale did not understand or refused the command.
        case commandError(String)
    }

    /// Reads `line` (CR LF already taken off) as the answer to `command`; nil when it is not one — noise on the
    /// line, an answer to another command, a half-received frame.
    public static func parse(_ line: String, answering command: Command) -> Response? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let id = fields.first else { return nil }
        switch id {
        case "ES": return fields.count == 1 ? .commandError("the scale did not understand \(command.text) (ES)") : nil
        case "ET": return fields.count == 1 ? .commandError("the scale received \(command.text) garbled (ET)") : nil
        case "EL": return fields.count == 1 ? .commandError("the scale cannot do \(command.text) (EL)") : nil
        default: break
        }
        guard id == command.answerID, fields.count >= 2 else { return nil }
        let status = fields[1]
        let rest = Array(fields.dropFirst(2))
        switch status {
        case "I": return rest.isEmpty ? .notExecutable : nil
        case "+": return rest.isEmpty ? .overload : nil
        case "-": return rest.isEmpty ? .underload : nil
        case "L": return rest.isEmpty ? .commandError("the scale refused \(command.text) (L)") : nil
        default: break
        }
        switch command {
        case .stableWeight, .immediateWeight, .tare:
            guard status == "S" || (status == "D" && command == .immediateWeight) else { return nil }
            return weight(rest, stable: status == "S")
        case .tareQuery, .presetTare:
            guard status == "A" else { return nil }
            if rest.isEmpty { return .done }
            return weight(rest, stable: true)
        case .zero, .clearTare:
            return status == "A" && rest.isEmpty ? .done : nil
        case .serialNumber:
            guard status == "A", !rest.isEmpty else { return nil }
            let text = rest.joined(separator: " ")
            guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return nil }
            return .serialNumber(String(text.dropFirst().dropLast()))
        }
    }

    /// `<value> <unit>` after the status.
    private static func weight(_ fields: [String], stable: Bool) -> Response? {
        guard fields.count == 2 else { return nil }
        guard let unit = Unit(rawValue: fields[1]) else {
            // A figure and a word: a real weight in a unit the till does not sell by.
            return milligrams(fields[0], unit: .g) == nil ? nil : .unsupportedUnit(fields[1])
        }
        guard let value = milligrams(fields[0], unit: unit) else { return nil }
        return stable ? .stable(milligrams: value) : .dynamic(milligrams: value)
    }

    /// `-1.234` in `unit` as exact milligrams. Finer than a milligram is rounded half towards zero (in the
    /// customer's favour); anything but an optional sign, digits and one decimal point is not a weight.
    public static func milligrams(_ text: String, unit: Unit) -> Int64? {
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, whole.count <= 9,
              !whole.isEmpty || parts.count == 2, whole.allSatisfy(\.isASCIIDigit) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.allSatisfy(\.isASCIIDigit), !(whole.isEmpty && fraction.isEmpty), fraction.count <= 9 else { return nil }
        var kept = String(fraction.prefix(unit.decimals))
        let dropped = fraction.dropFirst(unit.decimals)
        kept += String(repeating: "0", count: unit.decimals - kept.count)
        var value = (Int64(whole.isEmpty ? "0" : String(whole)) ?? 0) * unit.milligrams + (Int64(kept) ?? 0)
        // Half towards zero: only more than half a milligram rounds up.
        if let first = dropped.first, let digit = first.wholeNumberValue,
           digit > 5 || (digit == 5 && dropped.dropFirst().contains { $0 != "0" }) {
            value += 1
        }
        return negative ? -value : value
    }

    /// `milligrams` in `unit` as the shortest exact decimal (`1.234`, `450`, `0.5`).
    static func decimal(_ milligrams: Int64, unit: Unit) -> String {
        let sign = milligrams < 0 ? "-" : ""
        let magnitude = milligrams.magnitude
        let whole = magnitude / UInt64(unit.milligrams)
        var fraction = String(magnitude % UInt64(unit.milligrams))
        guard fraction != "0" else { return "\(sign)\(whole)" }
        fraction = String(repeating: "0", count: unit.decimals - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(sign)\(whole).\(fraction)"
    }

    /// An answer with a weight as a scale sends it: `ID Status`, the value right-aligned in 10 characters with
    /// `decimals` places, the unit (`S S      1.234 kg`). For the fake scale and the reference examples.
    public static func weightLine(id: String, status: String, milligrams: Int64, unit: Unit = .kg, decimals: Int = 3) -> String {
        let places = max(0, min(decimals, unit.decimals))
        let step = Int64(pow10(unit.decimals - places))
        let scaled = milligrams / step
        let sign = scaled < 0 ? "-" : ""
        let magnitude = scaled.magnitude
        let divisor = UInt64(pow10(places))
        var figure = "\(sign)\(magnitude / divisor)"
        if places > 0 {
            let fraction = String(magnitude % divisor)
            figure += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        let padded = String(repeating: " ", count: max(0, 10 - figure.count)) + figure
        return "\(id) \(status) \(padded) \(unit.rawValue)"
    }

    private static func pow10(_ exponent: Int) -> Int64 {
        (0..<max(0, exponent)).reduce(Int64(1)) { value, _ in value * 10 }
    }
}

import Foundation
import TillCore

/// Issue 15 on the command line: before any command is parsed or any store opened, every argument is looked
/// at with the core's rule (`CardNumberGuard`) — whole, so `--note=…`, `CODE=…` and a value after its option
/// are covered. A card number is refused by where it was typed (its position, and its option or key), never
/// by its digits, so it does not end up in a shell script's log either.
enum CardNumberArguments {
    /// Exit status for a refused argument: bad input, as for a bad import file.
    static let exitCode: Int32 = 2

    /// The refusal for the first argument (of `arguments`, the program name left out) that holds a card
    /// number, or nil when none does.
    static func refusal(in arguments: [String]) -> String? {
        // A file that exists is a path, whatever digits its name holds (a temporary folder's UUID can pass Luhn).
        for (index, argument) in arguments.enumerated()
        where CardNumberGuard.containsCardNumber(argument) && !FileManager.default.fileExists(atPath: argument) {
            return CardNumberGuard.refusal(field: describe(index, in: arguments))
        }
        return nil
    }

    /// "argument 4 (the value of --note)": the 1-based position, and what it is the value of when that can be
    /// said without repeating the card.
    static func describe(_ index: Int, in arguments: [String]) -> String {
        let position = "argument \(index + 1)"
        let argument = arguments[index]
        if argument.hasPrefix("-"), let equals = argument.firstIndex(of: "=") {
            let option = String(argument[..<equals])
            if !CardNumberGuard.containsCardNumber(option) { return "\(position) (the value of \(option))" }
        } else if let equals = argument.firstIndex(of: "=") {
            let key = String(argument[..<equals])
            if !key.isEmpty, !CardNumberGuard.containsCardNumber(key) { return "\(position) (the value of \(key)=)" }
        } else if index > 0, isOptionName(arguments[index - 1]) {
            return "\(position) (the value of \(arguments[index - 1]))"
        }
        return position
    }

    /// `--note` or `-n`, not a negative number (`-1.50`) nor an option already holding its value.
    private static func isOptionName(_ argument: String) -> Bool {
        guard argument.hasPrefix("-"), argument.count > 1, !argument.contains("=") else { return false }
        return !(argument.dropFirst().first?.isNumber ?? false)
    }
}

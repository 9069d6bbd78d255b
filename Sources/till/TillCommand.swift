import ArgumentParser
import Foundation
import TillCore
import TillHQ

@main
struct Till: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "till",
        abstract: "A terminal point of sale and store admin.",
        discussion: "With no subcommand, opens the full-screen app on the store (creating the demo store on first run).",
        subcommands: [OpenApp.self, InitCommand.self, DoctorCommand.self, ImportCommand.self, ExportCommand.self,
                      SellCommand.self, ProductCommand.self, CategoryCommand.self, StockCommand.self, CountCommand.self,
                      ReorderCommand.self, ReportCommand.self, OrdersCommand.self, RefundCommand.self, ExchangeCommand.self, ReturnCommand.self,
                      VoidCommand.self, CreditCommand.self, ShiftCommand.self, StaffCommand.self, SettingsCommand.self, TaxCommand.self,
                      BackupCommand.self, RestoreCommand.self, BenchCommand.self, FirstFrameCommand.self,
                      TerminalCommand.self, ScaleCommand.self, DisplayCommand.self, PaneTourCommand.self, HQCommand.self, ChainCommand.self, SyncCommand.self,
                      TransferCommand.self, CustomerCommand.self, LoyaltyCommand.self, PricesCommand.self, CreditRaceCommand.self, JournalCommand.self,
                      SupplierCommand.self, PurchaseOrderCommand.self, PrinterCommand.self, LabelsCommand.self, PromotionCommand.self],
        defaultSubcommand: OpenApp.self
    )

    /// Every error a user can cause ends as one line on stderr and a non-zero exit, never a stack trace.
    static func main() {
        // Before anything runs: a card number typed as an argument is refused without being looked at further.
        if let refusal = CardNumberArguments.refusal(in: Array(CommandLine.arguments.dropFirst())) {
            FileHandle.standardError.write(Data("till: \(refusal)\n".utf8))
            Foundation.exit(CardNumberArguments.exitCode)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as TillError {
            FileHandle.standardError.write(Data("till: \(error.description)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch let error as CardTenderFailure {
            FileHandle.standardError.write(Data("till: \(error.description)\n".utf8))
            Foundation.exit(1)
        } catch let error as HQError {
            // A head office that cannot be reached is 4, so a script or a service can tell it from a refusal.
            FileHandle.standardError.write(Data("till: \(error.description)\n".utf8))
            Foundation.exit(error.isTransport ? 4 : 1)
        } catch let error as CardTerminalError {
            FileHandle.standardError.write(Data("till: \(error.description)\n".utf8))
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}

extension TillError {
    /// 1 for a refused or failed action, 2 for bad input in a file, 3 for a store that cannot be used.
    var exitCode: Int32 {
        switch self {
        case .importFailed: return 2
        case .storage, .storeMissing, .storeExists: return 3
        default: return 1
        }
    }
}

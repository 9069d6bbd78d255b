import Foundation
import TillCore

public enum PaneID: Int, CaseIterable, Sendable {
    case register, catalog, inventory, orders, reports

    public var title: String {
        switch self {
        case .register: return "Register"
        case .catalog: return "Catalog"
        case .inventory: return "Inventory"
        case .orders: return "Orders"
        case .reports: return "Reports"
        }
    }

    public var functionKey: Int { rawValue + 1 }
}

/// What the status bar says until the next key.
public struct StatusMessage: Equatable, Sendable {
    public var text: String
    public var isError: Bool

    public static func error(_ text: String) -> StatusMessage { StatusMessage(text: text, isError: true) }
    public static func info(_ text: String) -> StatusMessage { StatusMessage(text: text, isError: false) }
}

/// The shop facts every screen needs, read once at start.
public struct StoreInfo: Equatable, Sendable {
    public var name: String
    public var currency: Currency
    public var taxInclusive: Bool
    public var staff: String?
    public var staffID: Int64?
    /// This till's name; carts belong to a till (`TILL_REGISTER`, default `main`).
    public var register: String
    /// Minutes without a key before the till locks (0: never).
    public var idleLockMinutes: Int64 = 0
    /// The store's time zone: every time on screen is shown in it.
    public var timeZone: TimeZone = .current
    /// This register's card reader as the tender screen names it (`sim-main (simulated)`), nil when none is
    /// paired; and whether the cashier plays the customer at it (the simulated reader in the app).
    public var cardReader: String?
    public var cashierPlaysCardCustomer = false
    /// This register's counter scale as the weight prompt names it (`/dev/ttyUSB0 (MT-SICS 9600 8N1)`); nil when
    /// none is set up and weights are typed.
    public var scale: String?
    /// A chain store's link to head office as the status bar shows it ("HQ ✓ 2 min ago", "offline 3 h, 412 to
    /// send"); nil for a shop on its own.
    public var chainLink: String?

    public init(name: String, currency: Currency, taxInclusive: Bool, staff: String? = nil, staffID: Int64? = nil,
                register: String = "main") {
        self.name = name
        self.currency = currency
        self.taxInclusive = taxInclusive
        self.staff = staff
        self.staffID = staffID
        self.register = register
    }
}

public struct ScreenSize: Equatable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public static let minimum = ScreenSize(width: 80, height: 24)
    public var isTooSmall: Bool { width < ScreenSize.minimum.width || height < ScreenSize.minimum.height }
}

/// The whole app's state. Views read it; only reducers change it.
public struct AppState: Equatable, Sendable {
    public var store: StoreInfo
    public var size: ScreenSize
    /// Other stores' stock of the SKU opened in Catalog or Inventory (chain stores only).
    public var stockElsewhere: StockElsewhereState?
    public var pane: PaneID = .register
    public var register = RegisterState()
    public var catalog = CatalogPaneState()
    public var inventory = InventoryPaneState()
    public var orders = OrdersPaneState()
    public var reports = ReportsPaneState()
    /// The settings overlay (Ctrl-O), over whichever pane is open; nil when closed.
    public var settings: SettingsState?
    public var message: StatusMessage?
    /// A field was just emptied for holding a card number: the rest of that number, still being typed or pasted,
    /// is dropped too (else its last digits would be left in the field, and the refusal wiped by the next key).
    public var droppingCardDigits = false
    public var showingHelp = false
    /// How far the topmost scrollable box (help, a report, a preview) is scrolled; 0 again when another opens.
    public var overlayScroll = 0
    public var confirmingQuit = false
    public var shouldQuit = false
    public var signIn: SignInState?
    public var approval: ApprovalState?
    /// Long effects running now (a card charge), oldest first; the status bar shows the newest one's progress.
    public var running: [RunningEffect] = []

    public init(store: StoreInfo, size: ScreenSize) {
        self.store = store
        self.size = size
    }

    public func money(_ minorUnits: Int64) -> String {
        Money(minorUnits: minorUnits, currency: store.currency).formatted()
    }
}

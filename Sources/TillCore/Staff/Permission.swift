import GRDB

/// Something only some staff may do. The table lives in `StaffRole.allows`, and the core checks it on every
/// restricted action, so the TUI and the CLI cannot differ.
public enum Permission: String, Codable, Sendable, CaseIterable {
    case sell
    case discountAboveLimit = "discount_above_limit"
    case priceOverride = "price_override"
    case voidSale = "void"
    case refund
    case noReceiptReturn = "no_receipt_return"
    case issueCredit = "issue_credit"
    case openDrawer = "open_drawer"
    case closeDay = "close_day"
    case adjustStock = "adjust_stock"
    case editCatalog = "edit_catalog"
    case viewReports = "view_reports"
    case manageStaff = "manage_staff"
    case manageStore = "manage_store"

    public var summary: String {
        switch self {
        case .sell: return "ring up sales"
        case .discountAboveLimit: return "give a discount above the store's limit"
        case .openDrawer: return "open the drawer without a sale, or pay cash in or out"
        case .closeDay: return "close the day (Z report)"
        case .manageStore: return "change store settings"
        case .priceOverride: return "change a price at the till"
        case .voidSale: return "void a completed sale (same day)"
        case .refund: return "refund an order"
        case .noReceiptReturn: return "take a return without a receipt"
        case .issueCredit: return "issue store credit"
        case .adjustStock: return "adjust, receive and count stock"
        case .editCatalog: return "edit products and prices"
        case .viewReports: return "view reports"
        case .manageStaff: return "add and disable staff, reset PINs"
        }
    }
}

extension StaffRole {
    public func allows(_ permission: Permission) -> Bool {
        switch self {
        case .admin: return true
        case .manager: return permission != .manageStaff && permission != .manageStore
        case .support: return [.sell, .refund, .noReceiptReturn, .issueCredit, .viewReports].contains(permission)
        case .cashier: return permission == .sell
        }
    }
}

/// Checks a restricted action in the core, inside the transaction that performs it.
public enum Permissions {
    /// The member doing it, or the approver when the member lacks the right; refused otherwise.
    @discardableResult
    static func require(_ db: Database, _ permission: Permission, staffID: Int64?, approvedBy: Int64? = nil) throws -> StaffMember {
        guard let staffID, let member = try StaffMember.fetchOne(db, key: staffID), member.active else {
            throw TillError.permissionDenied("sign in to \(permission.summary) (--user / TILL_USER with TILL_PIN)")
        }
        if member.role.allows(permission) { return member }
        if let approvedBy, let approver = try StaffMember.fetchOne(db, key: approvedBy), approver.active,
           approver.role.allows(permission) {
            return approver
        }
        // Who can help: a manager approves most things at the till; staff and store settings are an admin's alone.
        let who = StaffRole.manager.allows(permission) ? "a manager must approve" : "only an admin may"
        throw TillError.permissionDenied("\(member.username) (\(member.role.rawValue)) may not \(permission.summary); \(who)")
    }

    /// For catalog, stock and settings work: a signed-in member must have the right; with nobody signed in the
    /// command is the store file's owner at a shell (imports, scripts), who could edit the file directly anyway.
    static func requireIfSignedIn(_ db: Database, _ permission: Permission, staffID: Int64?, approvedBy: Int64? = nil) throws {
        guard staffID != nil else { return }
        try require(db, permission, staffID: staffID, approvedBy: approvedBy)
    }

    /// The same check from outside a transaction.
    public static func check(_ store: StoreDatabase, _ permission: Permission, staffID: Int64?, approvedBy: Int64? = nil) throws {
        try store.read { db in _ = try require(db, permission, staffID: staffID, approvedBy: approvedBy) }
    }
}

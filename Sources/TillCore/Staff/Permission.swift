import GRDB

/// Something only some staff may do. The table lives in `StaffRole.allows`, and the core checks it on every
/// restricted action, so the TUI and the CLI cannot differ.
public enum Permission: String, Codable, Sendable, CaseIterable {
    case sell
    case priceOverride = "price_override"
    case voidSale = "void"
    case refund
    case noReceiptReturn = "no_receipt_return"
    case issueCredit = "issue_credit"
    case adjustStock = "adjust_stock"
    case editCatalog = "edit_catalog"
    case viewReports = "view_reports"
    case manageStaff = "manage_staff"

    public var summary: String {
        switch self {
        case .sell: return "ring up sales"
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
        case .manager: return permission != .manageStaff
        case .support: return [.sell, .refund, .noReceiptReturn, .issueCredit, .viewReports].contains(permission)
        case .cashier: return permission == .sell
        }
    }
}

/// Checks a restricted action in the core, inside the transaction that performs it.
enum Permissions {
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
        throw TillError.permissionDenied("\(member.username) (\(member.role.rawValue)) may not \(permission.summary); a manager must approve")
    }
}

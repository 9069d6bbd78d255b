import TillCore
import TillHQ

/// A chain store's live line to head office, from its `.hq.toml`; nil for a store outside a chain.
enum HeadOfficeWiring {
    static func headOffice(for store: StoreDatabase) throws -> HeadOffice? {
        guard try ChainStore.membership(store) != nil else { return nil }
        return HQHeadOffice(forStore: store.path)
    }
}

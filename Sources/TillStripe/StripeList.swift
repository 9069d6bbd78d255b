/// One page of a Stripe list (`{"object": "list", "data": […], "has_more": …}`).
public struct StripeList<Item: Decodable & Sendable>: Decodable, Sendable {
    public var data: [Item]
    public var hasMore: Bool

    enum CodingKeys: String, CodingKey {
        case data
        case hasMore = "has_more"
    }
}

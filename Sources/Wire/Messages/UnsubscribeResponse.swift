/// Unsubscribe response (wire.md §6.2). Empty body; no event of that subscription follows it.
public struct UnsubscribeResponse: WireEmptyMessage {
    public init() {}
}

import Foundation

/// Scored batches kept in memory for download as CSV, the newest ``capacity`` of them, under
/// random identifiers.
actor BatchStore {
    /// Most batches kept.
    let capacity: Int
    private var entries: [String: [UInt8]] = [:]
    private var order: [String] = []

    /// Creates an empty store.
    init(capacity: Int = 16) { self.capacity = max(1, capacity) }

    /// Keeps `csv` and returns its identifier.
    func put(_ csv: [UInt8]) -> String {
        let id = UUID().uuidString.lowercased()
        entries[id] = csv
        order.append(id)
        if order.count > capacity { entries[order.removeFirst()] = nil }
        return id
    }

    /// The batch under `id`, if still kept.
    func get(_ id: String) -> [UInt8]? { entries[id] }
}

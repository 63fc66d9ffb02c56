/// A JSON object: members in source order, each key at most once (``JSONParser`` rejects a
/// repeated key), looked up by key in constant time.
///
/// Two objects are equal when they have the same keys with equal values, in any order (RFC 8259
/// objects are unordered); ``members`` still gives the source order for readers to whom it
/// matters (safetensors tensors are listed in header order).
public struct JSONObject: Sendable, Equatable {
    /// The members in source order.
    public private(set) var members: [(key: String, value: JSONValue)] = []
    private var positions: [String: Int] = [:]

    /// An empty object.
    public init() {}

    /// The value for `key`, or nil when the object has no such key.
    public subscript(key: String) -> JSONValue? {
        positions[key].map { members[$0].value }
    }

    /// The keys in source order.
    public var keys: [String] { members.map(\.key) }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The members as a dictionary (order dropped).
    public var dictionary: [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        result.reserveCapacity(members.count)
        for (key, value) in members { result[key] = value }
        return result
    }

    /// Adds a member at the end; returns false (and changes nothing) when `key` is already there.
    @discardableResult
    public mutating func append(_ key: String, _ value: JSONValue) -> Bool {
        guard positions[key] == nil else { return false }
        positions[key] = members.count
        members.append((key, value))
        return true
    }

    /// Sets `key` to `value`, replacing an existing member in place or adding one at the end.
    public mutating func set(_ key: String, _ value: JSONValue) {
        if let position = positions[key] {
            members[position].value = value
        } else {
            append(key, value)
        }
    }

    /// Same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        return lhs.members.allSatisfy { key, value in rhs[key] == value }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// An object from a literal (`["rows": .array([])]`); a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        for (key, value) in elements { set(key, value) }
    }
}

extension JSONObject {
    /// An object with the dictionary's members, keys sorted (so that building is deterministic).
    public init(_ dictionary: [String: JSONValue]) {
        for key in dictionary.keys.sorted() {
            if let value = dictionary[key] { append(key, value) }
        }
    }
}

/// What identifies one version of an object's contents without reading it: its ETag and size.
/// Overwriting the object changes the ETag (S3 and compatible stores give every PUT of different
/// bytes a different ETag; the same bytes get the same ETag, which is harmless here since the bytes
/// are equal).
struct S3ObjectStamp: Hashable, Sendable {
    /// The ETag as the store sent it (quotes included).
    var etag: String
    /// Size in bytes.
    var size: Int64
}

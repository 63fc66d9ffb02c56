import NIOCore
import Wire

/// Runs a body through every message decoder, discarding results (fuzzing helper).
enum AnyMessageDecoder {
    static let all: [any WireMessage.Type] = [
        HelloRequest.self, HelloResponse.self, PingRequest.self, PingResponse.self, StatsRequest.self,
        StatsResponse.self, HealthRequest.self, HealthResponse.self, SubscribeRequest.self,
        SubscribeResponse.self, UnsubscribeRequest.self, UnsubscribeResponse.self, EventMessage.self,
        ErrorMessage.self, BlobUploadBeginRequest.self, BlobUploadBeginResponse.self,
        BlobUploadChunkRequest.self, BlobUploadChunkResponse.self, BlobUploadCommitRequest.self,
        BlobUploadCommitResponse.self, BlobDownloadRequest.self, BlobDownloadResponse.self,
    ]

    /// Returns how many decoders accepted the body.
    @discardableResult
    static func decodeAll(_ body: ByteBuffer) -> Int {
        var accepted = 0
        for type in all where (try? type.decode(from: body)) != nil {
            accepted += 1
        }
        return accepted
    }
}

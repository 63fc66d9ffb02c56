import CFuzzerDriver
import Foundation
import NIOCore
import Wire

/// libFuzzer entry point: the input is a byte stream as a server or client would receive it. It is
/// fed to ``WireFrameDecoder`` in two reads split at a point chosen by the first byte (so partial
/// frames are exercised), and every decoded frame's body is decoded as every message type and as a
/// JSON document. Any trap (overflow, out-of-bounds index, force unwrap) is a finding; thrown
/// errors are the expected outcome for bad input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWireFrames(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = size == 0 ? 0 : Int(bytes[0]) % (size + 1)
    var decoder = WireFrameDecoder(maxFrameLength: 1 << 20)
    var buffer = ByteBufferAllocator().buffer(capacity: size)
    buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[0..<split]))
    if !drain(&decoder, &buffer) { return 0 }
    buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[split..<size]))
    _ = drain(&decoder, &buffer)
    return 0
}

/// Decodes frames until more bytes are needed (true) or the stream is broken (false).
private func drain(_ decoder: inout WireFrameDecoder, _ buffer: inout ByteBuffer) -> Bool {
    while true {
        let frame: WireFrame?
        do {
            frame = try decoder.decode(buffer: &buffer)
        } catch {
            return false
        }
        guard let frame else { return true }
        decodeBodies(frame.body)
    }
}

/// Every body decoder of the protocol, requests and responses alike (clients decode responses).
private func decodeBodies(_ body: ByteBuffer) {
    _ = try? HelloRequest.decode(from: body)
    _ = try? HelloResponse.decode(from: body)
    _ = try? PingRequest.decode(from: body)
    _ = try? PingResponse.decode(from: body)
    _ = try? StatsRequest.decode(from: body)
    _ = try? StatsResponse.decode(from: body)
    _ = try? HealthRequest.decode(from: body)
    _ = try? HealthResponse.decode(from: body)
    _ = try? SubscribeRequest.decode(from: body)
    _ = try? SubscribeResponse.decode(from: body)
    _ = try? UnsubscribeRequest.decode(from: body)
    _ = try? UnsubscribeResponse.decode(from: body)
    _ = try? EventMessage.decode(from: body)
    _ = try? ErrorMessage.decode(from: body)
    _ = try? BlobUploadBeginRequest.decode(from: body)
    _ = try? BlobUploadBeginResponse.decode(from: body)
    _ = try? BlobUploadChunkRequest.decode(from: body)
    _ = try? BlobUploadChunkResponse.decode(from: body)
    _ = try? BlobUploadCommitRequest.decode(from: body)
    _ = try? BlobUploadCommitResponse.decode(from: body)
    _ = try? BlobDownloadRequest.decode(from: body)
    _ = try? BlobDownloadResponse.decode(from: body)
    _ = try? PredictRequest.decode(from: body)
    _ = try? PredictResponse.decode(from: body)
    _ = try? ModelInfoRequest.decode(from: body)
    _ = try? ModelInfoResponse.decode(from: body)
    _ = try? PredictorReloadRequest.decode(from: body)
    _ = try? PredictorReloadResponse.decode(from: body)
    _ = try? ModelPublishInlineRequest.decode(from: body)
    if let document = try? JSONDocument.decode(from: body) {
        _ = try? document.decode(JobRecord.self)
        _ = try? document.decode(ModelVersion.self)
        _ = try? document.decode(SubmitJobRequest.self)
    }
}

/// Runs libFuzzer's loop over ``fuzzWireFrames(_:_:)`` with the command-line options (corpus directories,
/// `-max_total_time=…`).
@main
enum FuzzWireFramesMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzWireFrames))
    }
}

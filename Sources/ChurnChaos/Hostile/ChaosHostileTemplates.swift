import ChurnLoad
import Foundation
import NIOCore
import Wire

/// The valid request frames `churn-chaos hostile` mutates, per role: the common opcodes and the
/// role's own (reads with plausible bodies, and writes, which a connection without a token gets
/// refused).
package enum ChaosHostileTemplates {
    /// Whole frames (length prefix included) for `role`; `info` is the predictor's model, if any.
    package static func frames(role: String, info: ModelInfoResponse?) -> [[UInt8]] {
        var bodies: [(Opcode, ByteBuffer)] = [
            (.ping, PingRequest(payload: 42).encodedBody()),
            (.stats, StatsRequest().encodedBody()),
            (.health, HealthRequest().encodedBody()),
            (.subscribe, SubscribeRequest(topics: ["*"], fromSequence: 1).encodedBody()),
            (.unsubscribe, UnsubscribeRequest(subscriptionID: 7).encodedBody()),
            (
                .blobDownload,
                BlobDownloadRequest(digest: BlobDigest(hashing: [1, 2, 3]), offset: 0, maxLength: 4096).encodedBody()
            ),
            (
                .blobUploadBegin,
                BlobUploadBeginRequest(name: "x", size: 3, digest: BlobDigest(hashing: [1, 2, 3])).encodedBody()
            ),
        ]
        func json(_ opcode: Opcode, _ value: some Encodable) {
            if let body = try? JSONDocument(encoding: value).encodedBody() { bodies.append((opcode, body)) }
        }
        switch role {
        case "registry":
            json(.datasetList, DatasetListRequest())
            json(.datasetShow, DatasetShowRequest(reference: "bank"))
            json(.modelShow, ModelShowRequest(reference: "churn@production"))
            json(.modelList, ModelListRequest(name: "churn"))
            json(
                .modelSearch,
                ModelSearchRequest(query: "name = \"churn\" and metrics.roc_auc > 0.5 and tags.step = \"1\""))
            json(.aliasHistory, AliasHistoryRequest(name: "churn", alias: "production"))
            json(.deployments, DeploymentsRequest())
            json(.registryEvents, EventsRequest(after: 0, limit: 5))
            json(.aliasSet, AliasSetRequest(name: "churn", alias: "production", version: 1))
            json(.datasetRegister, DatasetRegisterRequest(name: "x", sha256: String(repeating: "a", count: 64)))
        case "trainer":
            json(.jobStatus, JobStatusRequest(id: 1))
            json(.listJobs, ListJobsRequest(states: [.succeeded, .failed], limit: 3))
            json(.submitJob, SubmitJobRequest(dataset: "bank", modelName: "x", options: ["epochs": .integer(1)]))
            json(.cancelJob, CancelJobRequest(id: 1))
        case "predictor":
            bodies.append((.modelInfo, ModelInfoRequest().encodedBody()))
            bodies.append((.predictorReload, PredictorReloadRequest().encodedBody()))
            bodies.append((.predictorDrift, PredictorDriftRequest().encodedBody()))
            if let info {
                for (rows, explain) in [(1, 0), (3, 0), (2, 3)] {
                    let columns = PredictBenchmarkRows.columns(for: info, rows: rows, seed: rows)
                    bodies.append((.predict, PredictRequest(columns: columns, explain: UInt16(explain)).encodedBody()))
                }
            }
        default:
            break
        }
        return bodies.map { opcode, body in
            var buffer = ByteBufferAllocator().buffer(capacity: body.readableBytes + 12)
            var body = body
            WireFrame.write(FrameHeader(kind: .request, opcode: opcode, correlationID: 1), into: &buffer) {
                $0.writeBuffer(&body)
            }
            return Array(buffer.readableBytesView)
        }
    }
}

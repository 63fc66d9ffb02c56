import CoreMetrics
import NIOConcurrencyHelpers
import NIOCore
import Wire

/// Counters of one server, kept for the Stats opcode and mirrored to swift-metrics
/// (`wire_requests_total{opcode}`, `wire_errors_total{code}`, `wire_connections`, …).
///
/// Metric labels are bounded: opcodes the role does not serve are counted as `unknown`, and error
/// codes outside the defined table as `other`.
final class WireServerStatistics: Sendable {
    private struct Counts {
        var connectionsOpen: UInt32 = 0
        var connectionsTotal: UInt64 = 0
        var requestsTotal: UInt64 = 0
        var errorsTotal: UInt64 = 0
        var bytesIn: UInt64 = 0
        var bytesOut: UInt64 = 0
        var requestsByOpcode: [UInt16: UInt64] = [:]
        var errorsByCode: [UInt16: UInt64] = [:]
        var requestCounters: [UInt16: CoreMetrics.Counter] = [:]
        var errorCounters: [UInt16: CoreMetrics.Counter] = [:]
    }

    private let counts = NIOLockedValueBox(Counts())
    private let started = NIODeadline.now()
    private let role: String
    private let connectionsGauge = Gauge(label: "wire_connections")
    private let connectionsCounter = CoreMetrics.Counter(label: "wire_connections_total")
    private let bytesInCounter = CoreMetrics.Counter(label: "wire_bytes_in_total")
    private let bytesOutCounter = CoreMetrics.Counter(label: "wire_bytes_out_total")

    /// Creates statistics for the named role.
    init(role: String) {
        self.role = role
    }

    /// A connection was accepted.
    func connectionOpened() {
        let open = counts.withLockedValue { counts -> UInt32 in
            counts.connectionsOpen += 1
            counts.connectionsTotal += 1
            return counts.connectionsOpen
        }
        connectionsCounter.increment()
        connectionsGauge.record(Int(open))
    }

    /// A connection closed.
    func connectionClosed() {
        let open = counts.withLockedValue { counts -> UInt32 in
            counts.connectionsOpen -= 1
            return counts.connectionsOpen
        }
        connectionsGauge.record(Int(open))
    }

    /// One request frame with opcode `opcode` (`known` = served by this server).
    func recordRequest(_ opcode: Opcode, known: Bool) {
        let counter = counts.withLockedValue { counts -> CoreMetrics.Counter in
            counts.requestsTotal &+= 1
            counts.requestsByOpcode[opcode.rawValue, default: 0] &+= 1
            let key: UInt16 = known ? opcode.rawValue : 0xFFFF
            if let counter = counts.requestCounters[key] { return counter }
            let counter = CoreMetrics.Counter(
                label: "wire_requests_total", dimensions: [("opcode", known ? opcode.name : "unknown")])
            counts.requestCounters[key] = counter
            return counter
        }
        counter.increment()
    }

    /// Bytes read and written since the last call for one connection.
    func recordBytes(in bytesIn: Int, out bytesOut: Int) {
        counts.withLockedValue { counts in
            counts.bytesIn &+= UInt64(bytesIn)
            counts.bytesOut &+= UInt64(bytesOut)
        }
        if bytesIn > 0 { bytesInCounter.increment(by: bytesIn) }
        if bytesOut > 0 { bytesOutCounter.increment(by: bytesOut) }
    }

    /// One error frame sent.
    func recordError(_ code: WireErrorCode) {
        let counter = counts.withLockedValue { counts -> CoreMetrics.Counter in
            counts.errorsTotal &+= 1
            counts.errorsByCode[code.rawValue, default: 0] &+= 1
            let defined = WireErrorCode.allDefined.contains(code)
            let key: UInt16 = defined ? code.rawValue : 0xFFFF
            if let counter = counts.errorCounters[key] { return counter }
            let counter = CoreMetrics.Counter(
                label: "wire_errors_total", dimensions: [("code", defined ? code.name : "other")])
            counts.errorCounters[key] = counter
            return counter
        }
        counter.increment()
    }

    /// A Stats response with the current counters.
    func snapshot() -> StatsResponse {
        let uptime = UInt64(max(0, (NIODeadline.now() - started).nanoseconds / 1_000_000))
        return counts.withLockedValue { counts in
            StatsResponse(
                role: role, uptimeMillis: uptime, connectionsOpen: counts.connectionsOpen,
                connectionsTotal: counts.connectionsTotal, requestsTotal: counts.requestsTotal,
                errorsTotal: counts.errorsTotal, bytesIn: counts.bytesIn, bytesOut: counts.bytesOut,
                requestsByOpcode: counts.requestsByOpcode.sorted { $0.key < $1.key }
                    .prefix(1024).map { .init(opcode: Opcode(rawValue: $0.key), count: $0.value) },
                errorsByCode: counts.errorsByCode.sorted { $0.key < $1.key }
                    .prefix(1024).map { .init(code: WireErrorCode(rawValue: $0.key), count: $0.value) })
        }
    }
}

import ChurnML
import NIOConcurrencyHelpers
import NIOCore
import Wire

/// The allocation-free Predict path for the common request: model columns only, each once, number
/// columns for numbers, text columns holding known categories, no explanations. It reads the
/// values straight from the request bytes, encodes and scales them with the same arithmetic as
/// `FeaturePipeline.transform`, runs the network through a pooled `NetworkEvaluator` (same chunks
/// as `DenseNetwork.predictProbabilities`) and writes the response into a reused buffer — so it
/// answers bit-identically to the general path. Anything else (unknown or duplicate columns, an
/// unseen category, a number sent as text, any malformed body) returns nil and the request takes
/// the general path, which produces the same answer or the precise error.
final class FastPredictor: Sendable {
    private let plans: [FastColumnPlan]
    private let width: Int
    private let means: [Float]
    private let scales: [Float]
    private let threshold: Double
    private let network: DenseNetwork
    /// `string model`, `string version`, `f64 threshold`: the fixed start of every response.
    private let responseHead: [UInt8]
    private let pool = NIOLockedValueBox<[FastWorkspace]>([])

    /// Precomputes the plan for `bundle`, answering as `name` / `version`.
    init(bundle: ModelBundle, name: String, version: String) {
        var plans: [FastColumnPlan] = []
        var offset = 0
        for encoder in bundle.pipeline.encoders {
            plans.append(FastColumnPlan(encoder: encoder, offset: offset))
            offset += encoder.outputWidth
        }
        self.plans = plans
        width = offset
        means = bundle.pipeline.means
        scales = bundle.pipeline.scales
        threshold = bundle.threshold
        network = bundle.network
        var head = ByteBuffer()
        head.writeWireString(name)
        head.writeWireString(version)
        head.writeWireDouble(bundle.threshold)
        responseHead = Array(head.readableBytesView)
    }

    /// The encoded response and its row count, or nil when the request needs the general path.
    func answer(_ body: ByteBuffer, maxRows: Int, allocator: ByteBufferAllocator) -> (response: ByteBuffer, rows: Int)?
    {
        guard means.count == width, scales.count == width, network.layout.inputWidth == width else { return nil }
        let workspace =
            pool.withLockedValue { $0.popLast() }
            ?? FastWorkspace(network: network, columns: plans.count, width: width, allocator: allocator)
        defer {
            workspace.trim()
            pool.withLockedValue { if $0.count < 64 { $0.append(workspace) } }
        }
        let rows = body.withUnsafeReadableBytes { raw -> Int? in
            guard let rows = scan(raw, maxRows: maxRows, into: workspace) else { return nil }
            // Requests beyond the workspace's fixed buffers get temporary ones.
            let large = rows > FastWorkspace.capacityRows
            let features = large ? UnsafeMutablePointer<Float>.allocate(capacity: rows * width) : workspace.features
            let output = large ? UnsafeMutablePointer<Float>.allocate(capacity: rows) : workspace.output
            defer {
                if large {
                    features.deallocate()
                    output.deallocate()
                }
            }
            features.initialize(repeating: 0, count: rows * width)
            guard encode(raw, rows: rows, features: features, workspace: workspace) else { return nil }
            scale(features, rows: rows)
            do {
                try workspace.evaluator.probabilities(features, rows: rows, into: output)
            } catch {
                return nil
            }
            writeResponse(output, rows: rows, workspace: workspace, allocator: allocator)
            return rows
        }
        guard let rows, let response = workspace.response else { return nil }
        return (response, rows)
    }

    /// Writes the response for `rows` probabilities into the workspace's reused buffer.
    private func writeResponse(
        _ output: UnsafeMutablePointer<Float>, rows: Int, workspace: FastWorkspace, allocator: ByteBufferAllocator
    ) {
        var out = workspace.response.take() ?? allocator.buffer(capacity: 64 + 5 * rows)
        out.clear()
        out.reserveCapacity(responseHead.count + 16 + 5 * rows)
        out.writeBytes(responseHead)
        out.writeInteger(UInt32(truncatingIfNeeded: rows))
        for row in 0..<rows { out.writeInteger(output[row].bitPattern) }
        out.writeInteger(UInt32(truncatingIfNeeded: rows))
        for row in 0..<rows { out.writeInteger(Double(output[row]) >= threshold ? UInt8(1) : UInt8(0)) }
        out.writeMultipleIntegers(UInt32(0), UInt32(0), UInt32(0))  // factorColumns, factors, warnings
        workspace.response = out
    }

    /// Walks the body's structure (wire.md §13.2), recording where each model column's values
    /// start; nil for anything the fast path does not take.
    private func scan(_ raw: UnsafeRawBufferPointer, maxRows: Int, into workspace: FastWorkspace) -> Int? {
        let end = raw.count
        guard end >= 7, raw.u16(0) == 0, raw[2] <= 2 else { return nil }
        let columns = Int(raw.u32(3))
        guard columns >= 1, columns <= PredictRequest.maxColumns else { return nil }
        let columnStart = workspace.columnStart
        columnStart.update(repeating: -1, count: workspace.columns)
        var position = 7
        var rows = -1
        for column in 0..<columns {
            guard end - position >= 4 else { return nil }
            let nameLength = Int(raw.u32(position))
            position += 4
            guard nameLength <= PredictColumn.maxNameLength, end - position >= nameLength + 5 else { return nil }
            let nameStart = position
            position += nameLength
            let type = raw[position]
            let count = Int(raw.u32(position + 1))
            position += 5
            if rows < 0 { rows = count }
            guard type <= PredictColumn.textType, count == rows, rows >= 1, rows <= maxRows else { return nil }
            let valuesStart = position
            if type == PredictColumn.numberType {
                guard (end - position) / 8 >= rows else { return nil }
                position += 8 * rows
            } else {
                for _ in 0..<rows {
                    guard position < end else { return nil }
                    let flag = raw[position]
                    position += 1
                    if flag == 0 { continue }
                    guard flag == 1, end - position >= 4 else { return nil }
                    let length = Int(raw.u32(position))
                    position += 4
                    guard length <= WireProtocol.maxStringLength, end - position >= length else { return nil }
                    position += length
                }
            }
            guard let plan = planIndex(raw, start: nameStart, count: nameLength, hint: column), columnStart[plan] < 0
            else {
                return nil
            }
            columnStart[plan] = valuesStart
            workspace.columnType[plan] = type
        }
        guard position == end else { return nil }
        for index in 0..<workspace.columns where columnStart[index] < 0 { return nil }
        return rows
    }

    /// The plan whose name equals the `count` bytes at `start`, trying plan `hint` first (clients
    /// usually send the columns in the model's order).
    private func planIndex(_ raw: UnsafeRawBufferPointer, start: Int, count: Int, hint: Int) -> Int? {
        if hint < plans.count, plans[hint].matches(raw, start: start, count: count) { return hint }
        for (index, plan) in plans.enumerated() where index != hint && plan.matches(raw, start: start, count: count) {
            return index
        }
        return nil
    }

    /// Writes every model column's features (unscaled); false when a value needs the general path.
    private func encode(
        _ raw: UnsafeRawBufferPointer, rows: Int, features: UnsafeMutablePointer<Float>, workspace: FastWorkspace
    ) -> Bool {
        for (index, plan) in plans.enumerated() {
            var position = workspace.columnStart[index]
            let numbers = workspace.columnType[index] == PredictColumn.numberType
            for row in 0..<rows {
                let base = row * width + plan.offset
                let level: Int?
                if numbers {
                    let value = Double(bitPattern: raw.u64(position))
                    position += 8
                    if case .numeric(let fill) = plan.kind {
                        if value.isNaN {
                            features[base] = Float(fill)
                        } else if value.isFinite {
                            features[base] = Float(value)
                        } else {
                            return false
                        }
                        continue
                    }
                    guard !plan.levelNumbers.isEmpty else { return false }
                    level = value.isNaN ? plan.fillIndex : plan.level(of: value)
                } else {
                    if case .numeric = plan.kind { return false }
                    let flag = raw[position]
                    position += 1
                    if flag == 0 {
                        level = plan.fillIndex
                    } else {
                        let length = Int(raw.u32(position))
                        position += 4
                        level = plan.level(of: raw, at: position, count: length)
                        position += length
                    }
                }
                guard let level else { return false }
                if case .binary = plan.kind {
                    features[base] = Float(level)
                } else {
                    features[base + level] = 1
                }
            }
        }
        return true
    }

    /// `(x − mean) / scale` per feature, as `FeaturePipeline.transform` does.
    private func scale(_ features: UnsafeMutablePointer<Float>, rows: Int) {
        means.withUnsafeBufferPointer { means in
            scales.withUnsafeBufferPointer { scales in
                for row in 0..<rows {
                    for column in 0..<width {
                        let index = row * width + column
                        features[index] = (features[index] - means[column]) / scales[column]
                    }
                }
            }
        }
    }
}

extension UnsafeRawBufferPointer {
    /// Big-endian u16 at `offset` (the caller checked the bounds).
    @inline(__always)
    fileprivate func u16(_ offset: Int) -> UInt16 {
        UInt16(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }
    /// Big-endian u32 at `offset` (the caller checked the bounds).
    @inline(__always)
    fileprivate func u32(_ offset: Int) -> UInt32 {
        UInt32(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    /// Big-endian u64 at `offset` (the caller checked the bounds).
    @inline(__always)
    fileprivate func u64(_ offset: Int) -> UInt64 {
        UInt64(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}

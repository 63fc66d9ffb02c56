import ChurnClient
import ChurnML
import Wire

extension TrainingJob {
    /// The job as the wire reports it (``JobRecord``).
    public var record: JobRecord {
        JobRecord(
            id: id, dataset: dataset, modelName: modelName,
            options: (try? TrainingOptionsCodec.encode(configuration)) ?? [:], target: target, tags: tags, state: state,
            error: error, notes: notes, attempts: attempts, submittedMillis: submittedMillis,
            startedMillis: startedMillis,
            finishedMillis: finishedMillis, progress: progress.map { JobProgress(jobID: id, report: $0) },
            result: result.map(\.outcome))
    }
}

extension JobResult {
    /// The result as the wire reports it (``JobOutcome``).
    public var outcome: JobOutcome {
        JobOutcome(
            datasetSHA256: datasetSHA256, bundleSHA256: bundleSHA256, modelVersion: modelVersion,
            metrics: testMetrics.map(JobResult.indexedMetrics) ?? [:], trainSeconds: trainSeconds, epochsRun: epochsRun,
            fetchMillis: fetchMillis, trainMillis: trainMillis, publishMillis: publishMillis, promotion: promotion)
    }

    /// The metrics by name, as the registry indexes them: `accuracy`, `precision`, `recall`, `f1`,
    /// `roc_auc`, `pr_auc`, `log_loss`, `brier`, leaving out undefined and non-finite ones.
    public static func indexedMetrics(_ metrics: ClassificationMetrics) -> [String: Double] {
        metrics.indexedValues
    }
}

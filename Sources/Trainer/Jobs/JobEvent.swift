import ChurnML

/// Something observers of the trainer should hear about: an epoch finished, or a job changed state.
public enum JobEvent: Sendable {
    /// A job finished an epoch.
    case progress(jobID: Int64, report: EpochReport)
    /// A job was queued, started, succeeded, failed or was cancelled (the job as it is now).
    case stateChanged(TrainingJob)
}

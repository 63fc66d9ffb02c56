/// Trainer opcodes, 0x0200–0x02FF (wire.md §14). Each carries one ``JSONDocument`` each way: the
/// request and response types are the ``TrainerCall`` types of this folder.
extension Opcode {
    /// 0x0200 SubmitJob (write): accepts a training job (stored durably before the answer).
    public static let submitJob = Opcode(rawValue: 0x0200)
    /// 0x0201 JobStatus: one job's record, with its latest progress.
    public static let jobStatus = Opcode(rawValue: 0x0201)
    /// 0x0202 ListJobs: jobs, newest first.
    public static let listJobs = Opcode(rawValue: 0x0202)
    /// 0x0203 CancelJob (write): stops a queued or running job.
    public static let cancelJob = Opcode(rawValue: 0x0203)

    /// The trainer's read-only opcodes.
    public static let trainerReads: [Opcode] = [.jobStatus, .listJobs]
    /// The trainer's state-changing opcodes (they need the token when one is configured).
    public static let trainerWrites: [Opcode] = [.submitJob, .cancelJob]
}

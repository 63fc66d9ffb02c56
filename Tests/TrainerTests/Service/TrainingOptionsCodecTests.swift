import ChurnClient
import ChurnML
import Testing
import Trainer
import Wire

@Suite("Trainer training options on the wire")
struct TrainingOptionsCodecTests {
    /// The error a decode throws, as the wire error it is.
    private func refusal(_ options: [String: JobOptionValue]) -> ErrorMessage? {
        do {
            _ = try TrainingOptionsCodec.decode(options)
            return nil
        } catch {
            return error as? ErrorMessage
        }
    }

    @Test("every option survives the round trip, a 64-bit seed included; absent keys are defaults")
    func roundTrip() throws {
        var configuration = TrainingConfiguration()
        configuration.hiddenLayers = [8, 4, 2]
        configuration.epochs = 7
        configuration.batchSize = 64
        configuration.adam.learningRate = 0.0003
        configuration.seed = UInt64.max
        configuration.testSplit = 0.25
        configuration.validationSplit = 0.1
        configuration.earlyStoppingPatience = 3
        configuration.classWeight = .balanced
        configuration.threads = 2
        configuration.threshold = 0.4
        configuration.thresholdPolicy = .profit
        configuration.economics = RetentionEconomics(offerCost: 40, customerValue: 700, saveRate: 0.25)
        let options = try TrainingOptionsCodec.encode(configuration)
        #expect(options["seed"] == .unsigned(UInt64.max))
        // Through the wire's JSON and back.
        let wire = try JSONDocument(encoding: options).decode([String: JobOptionValue].self)
        #expect(try TrainingOptionsCodec.decode(wire) == configuration)

        var expected = TrainingConfiguration()
        expected.epochs = 5
        expected.adam.learningRate = 0.01
        #expect(
            try TrainingOptionsCodec.decode(["epochs": .integer(5), "adam": .object(["learning_rate": .double(0.01)])])
                == expected)
        #expect(try TrainingOptionsCodec.decode([:]) == TrainingConfiguration())
        #expect(try TrainingOptionsCodec.decode(["early_stopping_patience": .null]).earlyStoppingPatience == nil)
        // A threshold policy, and economics given in part (the rest are the documented defaults).
        let partial = try TrainingOptionsCodec.decode([
            "threshold_policy": .string("f1"), "economics": .object(["offer_cost": .integer(50)]),
        ])
        #expect(partial.thresholdPolicy == .f1)
        #expect(partial.economics == RetentionEconomics(offerCost: 50, customerValue: 1000, saveRate: 1.0 / 3.0))
    }

    @Test("an unknown key, a wrong type or an out-of-range value is refused naming the key")
    func refusals() {
        let cases: [([String: JobOptionValue], String)] = [
            (["epoch": .integer(3)], "options.epoch"),
            (["adam": .object(["lr": .double(0.1)])], "options.adam.lr"),
            (["adam": .double(0.1)], "options.adam"),
            (["epochs": .string("ten")], "options.epochs"),
            (["epochs": .integer(0)], "options.epochs"),
            (["hidden_layers": .array([.integer(6), .integer(-1)])], "options.hidden_layers"),
            (["test_split": .double(1.5)], "options.test_split"),
            (["adam": .object(["learning_rate": .double(-1)])], "options.adam.learning_rate"),
            (["early_stopping_patience": .integer(3)], "options.early_stopping_patience"),
            (["class_weight": .string("heavy")], "options.class_weight"),
            (["seed": .null], "options.seed"),
            (["threshold_policy": .string("best")], "options.threshold_policy"),
            (["economics": .object(["save_rate": .double(2)])], "options.economics.save_rate"),
        ]
        for (options, field) in cases {
            let error = refusal(options)
            #expect(error?.code == .invalidRequest, "\(options)")
            #expect(error?.field == field, "\(options): \(String(describing: error))")
        }
    }
}

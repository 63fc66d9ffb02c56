import Hummingbird
import NIOCore
import Wire

/// One training job (`GET /training/{id}`): its state, options and outcome. While it runs, the loss
/// curve grows epoch by epoch from the job's Server-Sent Events (`/api/v1/jobs/{id}/events`, a few
/// lines of JavaScript); without JavaScript the page refreshes itself every two seconds. Once the job
/// has published a version, the full loss curve comes from that version's bundle.
struct TrainingJobPage: Sendable {
    /// The roles.
    let backends: GatewayBackends
    /// Evaluations read from bundles.
    let evaluations: EvaluationCache

    /// `GET /training/{id}`.
    func show(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try JobsAPI.id(context)
        let title = "Training job #\(id)"
        let job: JobRecord
        do {
            job = try await backends.withTrainer { try await $0.status(id) }
        } catch {
            let failure = GatewayError.from(error, role: "trainer")
            return Reply.html(
                HTML.page(
                    title: title, active: "/training",
                    body: "<h1>\(title)</h1>" + HTML.notice("error", HTML.escape(failure.message))),
                status: failure.status)
        }
        var body = "<h1>\(title) <span id=\"job-state\">\(Self.badge(job.state))</span></h1>"
        body +=
            "<p class=\"muted\">dataset \(HTML.escape(job.dataset)) → model \(HTML.escape(job.modelName)) · submitted \(HTML.escape(String(Timestamp.iso8601(millis: job.submittedMillis).prefix(19)).replacingT())) · options \(HTML.escape(Self.optionsText(job.options)))</p>"
        var script = ""
        switch job.state {
        case .queued, .running:
            body += "<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>"
            body +=
                "<section class=\"card\"><p id=\"live-status\">\(job.progress.map { "epoch \($0.epoch) of \($0.epochs) · loss \(NumberText.fixed($0.loss, 4))" } ?? "waiting for the first epoch…")</p>"
            body += Self.liveChart(job) + "</section>"
            script = Self.liveScript
        case .succeeded:
            body += await outcome(job)
        case .failed:
            body += HTML.notice("error", "Failed: \(HTML.escape(job.error ?? "no reason given"))")
        case .cancelled:
            body += HTML.notice("info", "Cancelled.")
        }
        if !job.notes.isEmpty {
            body +=
                "<section class=\"card\"><h2>Notes</h2><ul>\(job.notes.map { "<li>\(HTML.escape($0))</li>" }.joined())</ul></section>"
        }
        return Reply.html(HTML.page(title: title, active: "/training", body: body, script: script))
    }

    /// Metrics, promotion decision, timings and the loss curve of a finished job.
    private func outcome(_ job: JobRecord) async -> String {
        guard let result = job.result else { return HTML.notice("info", "Succeeded.") }
        var html = "<div class=\"grid\"><section class=\"card\" id=\"outcome\"><h2>Outcome</h2>"
        if let version = result.modelVersion {
            html +=
                "<p>Published <a id=\"version-link\" href=\"/models/\(HTML.pathSegment(job.modelName))/\(version)\">\(HTML.escape(job.modelName)) v\(version)</a>.</p>"
        }
        if let promotion = result.promotion {
            html +=
                "<p>\(promotion.promoted ? "<span class=\"badge alias\">production</span> promoted" : "not promoted"): \(HTML.escape(promotion.reason))</p>"
        }
        let metrics = result.metrics.keys.sorted().map {
            "<tr><th>\(HTML.escape($0))</th><td class=\"num\">\(NumberText.fixed(result.metrics[$0] ?? 0, 4))</td></tr>"
        }.joined()
        html +=
            "<table>\(metrics)</table><p class=\"muted\">\(result.epochsRun) epochs · training \(NumberText.fixed(result.trainSeconds, 2)) s"
        if let fetch = result.fetchMillis, let publish = result.publishMillis {
            html += " · fetch \(NumberText.fixed(fetch, 1)) ms · publish \(NumberText.fixed(publish, 1)) ms"
        }
        html += "</p></section>"
        if let version = result.modelVersion,
            let evaluation = try? await evaluations.evaluation(of: "\(job.modelName)@\(version)", backends: backends).1,
            !evaluation.loss.isEmpty
        {
            html += "<section class=\"card\">" + ModelCharts.lossChart(evaluation) + "</section>"
        }
        return html + "</div>"
    }

    /// The empty chart the script fills: axes for epochs 1…N and loss 0…1 (a binary cross-entropy
    /// above 1 is drawn at the top).
    static func liveChart(_ job: JobRecord) -> String {
        let epochs =
            job.progress?.epochs
            ?? {
                if case .integer(let value) = job.options["epochs"] { return Int(value) }
                return 100
            }()
        let chart = LineChart(
            title: "Loss per epoch (live)", xLabel: "epoch", yLabel: "binary cross-entropy",
            xRange: 1...Double(max(2, epochs)), yRange: 0...1,
            series: [
                .init(name: "training", color: "#2f6fde", points: []),
                .init(name: "validation", color: "#ef6c00", points: []),
            ]
        ).render(id: "live-loss")
        let lines =
            "<polyline id=\"live-line\" points=\"\" fill=\"none\" stroke=\"#2f6fde\" stroke-width=\"2.2\"/>"
            + "<polyline id=\"live-validation\" points=\"\" fill=\"none\" stroke=\"#ef6c00\" stroke-width=\"2.2\"/>"
        return "<div id=\"live\" data-job=\"\(job.id)\" data-epochs=\"\(epochs)\">"
            + chart.replacingOccurrences(of: "</svg>", with: lines + "</svg>") + "</div>"
    }

    /// Follows the job's events: extends the curves per epoch, reloads the page when the job ends.
    /// The geometry matches ``LineChart`` (380×320, margins 52/14/34/46).
    static let liveScript = """
        (function(){var root=document.getElementById('live');if(!root||!window.EventSource)return;
        var id=root.dataset.job,epochs=+root.dataset.epochs,train=[],valid=[],L=52,R=14,T=34,B=46,W=380,H=320,pw=W-L-R,ph=H-T-B;
        function px(e){return (L+(e-1)/Math.max(1,epochs-1)*pw).toFixed(1)}
        function py(v){return (T+ph-Math.min(Math.max(v,0),1)*ph).toFixed(1)}
        var source=new EventSource('/api/v1/jobs/'+id+'/events');
        source.addEventListener('progress',function(m){var p=JSON.parse(m.data);
        train.push(px(p.epoch)+','+py(p.loss));document.getElementById('live-line').setAttribute('points',train.join(' '));
        if(p.validation_loss!=null){valid.push(px(p.epoch)+','+py(p.validation_loss));document.getElementById('live-validation').setAttribute('points',valid.join(' '));}
        document.getElementById('live-status').textContent='epoch '+p.epoch+' of '+p.epochs+' · loss '+p.loss.toFixed(4)+(p.validation_loss!=null?' · validation loss '+p.validation_loss.toFixed(4):'');});
        source.addEventListener('state',function(m){var j=JSON.parse(m.data);document.getElementById('job-state').textContent=j.state;
        if(j.state==='succeeded'||j.state==='failed'||j.state==='cancelled'){source.close();setTimeout(function(){location.reload();},600);}});
        source.onerror=function(){source.close();setTimeout(function(){location.reload();},2000);};})();
        """

    /// A coloured state badge.
    static func badge(_ state: JobState) -> String {
        let color =
            switch state {
            case .queued: "#627d98"
            case .running: "#2f6fde"
            case .succeeded: "#2e7d32"
            case .failed: "#c62828"
            case .cancelled: "#9fb3c8"
            }
        return "<span class=\"badge\" style=\"background:\(color)\">\(state.rawValue)</span>"
    }

    /// `epochs=100, batch_size=32, …` (the options that differ from nothing: all of them, sorted).
    static func optionsText(_ options: [String: JobOptionValue]) -> String {
        options.keys.sorted().map { key in "\(key)=\(text(options[key] ?? .null))" }.joined(separator: ", ")
    }

    private static func text(_ value: JobOptionValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .integer(let value): "\(value)"
        case .unsigned(let value): "\(value)"
        case .double(let value): NumberText.format(value)
        case .string(let value): value
        case .array(let values): "[" + values.map(text).joined(separator: ",") + "]"
        case .object(let values):
            "{" + values.keys.sorted().map { "\($0)=\(text(values[$0] ?? .null))" }.joined(separator: ",") + "}"
        }
    }
}

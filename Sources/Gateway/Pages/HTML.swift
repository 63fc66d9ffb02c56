/// Building HTML as text: escaping, and the shared page frame (navigation, styles).
enum HTML {
    /// `text` with `& < > " '` escaped, safe inside element content and quoted attributes.
    static func escape(_ text: some StringProtocol) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// A path segment percent-encoded (for links built from model or dataset names).
    static func pathSegment(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || "-._~".unicodeScalars.contains(scalar)
            {
                result.unicodeScalars.append(scalar)
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    /// The navigation entries: path and label.
    static let navigation: [(path: String, label: String)] = [
        ("/predict", "Predict"), ("/batch", "Batch"), ("/models", "Models"), ("/datasets", "Datasets"),
        ("/training", "Training"),
    ]

    /// A whole page: `<head>` with the styles, the navigation (with `active` highlighted), `body`.
    static func page(title: String, active: String, body: String, script: String = "") -> String {
        let links = navigation.map { item in
            "<a href=\"\(item.path)\"\(item.path == active ? " class=\"active\"" : "")>\(item.label)</a>"
        }.joined()
        return document(
            title: "\(title) · Churn", header: "<span class=\"brand\">Churn</span><nav>\(links)</nav>", body: body,
            footer:
                "<footer>Churn gateway · <a href=\"/api/v1/model\">JSON API</a> · <a href=\"/healthz\">health</a></footer>",
            script: script)
    }

    /// A standalone HTML document with the shared styles inline: `header` in `<header>`, `body` in
    /// `<main>`, then `footer` and `script`.
    static func document(title: String, header: String, body: String, footer: String = "", script: String = "")
        -> String
    {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>\(styles)</style>
        </head>
        <body>
        <header>\(header)</header>
        <main>
        \(body)
        </main>
        \(footer)
        \(script.isEmpty ? "" : "<script>\(script)</script>")
        </body>
        </html>
        """
    }

    /// A notice box (`kind`: `error`, `ok`, `info`).
    static func notice(_ kind: String, _ html: String) -> String {
        "<div class=\"notice \(kind)\" role=\"\(kind == "error" ? "alert" : "status")\">\(html)</div>"
    }

    /// The page styles.
    static let styles = """
        *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f5f7fa}
        header{display:flex;align-items:center;gap:24px;padding:10px 24px;background:#243b53;color:#fff}
        .brand{font-weight:700;font-size:18px;letter-spacing:.5px}nav a{color:#d9e2ec;text-decoration:none;margin-right:16px;padding:4px 2px}
        nav a.active,nav a:hover{color:#fff;border-bottom:2px solid #fff}main{max-width:1180px;margin:0 auto;padding:20px 24px}
        footer{max-width:1180px;margin:0 auto;padding:12px 24px 32px;color:#829ab1;font-size:13px}footer a{color:#627d98}
        h1{font-size:24px;margin:8px 0 16px}h2{font-size:19px;margin:24px 0 10px}h3{font-size:16px;margin:16px 0 8px}
        .card{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:16px 20px;margin-bottom:18px}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:18px}
        .grid.wide{grid-template-columns:repeat(auto-fit,minmax(min(460px,100%),1fr))}
        .form-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:12px 20px}
        label{display:block;font-weight:600;font-size:14px;margin-bottom:3px}
        input,select,textarea{width:100%;padding:7px 9px;border:1px solid #bcccdc;border-radius:5px;font:inherit;background:#fff}
        input[aria-invalid=true],select[aria-invalid=true]{border-color:#c62828;background:#fff5f5}
        .hint{display:block;color:#627d98;font-size:12px;margin-top:2px}.field-error{display:block;color:#c62828;font-size:13px;font-weight:600;margin-top:2px}
        button,.button{display:inline-block;background:#2f6fde;color:#fff;border:0;border-radius:5px;padding:9px 18px;font:inherit;font-weight:600;cursor:pointer;text-decoration:none}
        button:hover,.button:hover{background:#2458b8}.button.secondary{background:#627d98}
        .notice{padding:10px 14px;border-radius:6px;margin:10px 0}.notice.error{background:#fdecea;color:#8a1c1c}.notice.ok{background:#e8f5e9;color:#1b5e20}.notice.info{background:#e3f2fd;color:#0d47a1}
        table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e4e7eb;vertical-align:top}
        th{background:#f0f4f8;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;margin-right:4px}
        .alias{background:#2f6fde}.live{background:#2e7d32}.muted{color:#829ab1}
        .result{display:flex;flex-wrap:wrap;gap:24px;align-items:center}.big{font-size:40px;font-weight:700}
        .bar{display:inline-block;height:10px;border-radius:5px;vertical-align:middle}
        ul.factors{padding-left:18px;margin:6px 0}ul.factors li{margin:3px 0}.up{color:#c62828}.down{color:#2e7d32}
        svg text{font-family:system-ui,sans-serif}svg.chart{max-width:100%;height:auto}
        nav.tabs{margin:-6px 0 14px;border-bottom:1px solid #d9e2ec}nav.tabs a{display:inline-block;color:#486581;margin-right:18px;padding:6px 2px}
        nav.tabs a.active,nav.tabs a:hover{color:#243b53;border-bottom:2px solid #2f6fde}nav.tabs a.active{font-weight:600}
        tr.drift-warning td{color:#b26a00;font-weight:600}tr.drift-alert td{color:#c62828;font-weight:600}
        """
}

extension String {
    /// The string with leading zeros up to `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

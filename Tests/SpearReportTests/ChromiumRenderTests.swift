import Foundation
import Testing
@testable import SpearReport

/// Renders the HTML page in headless Chromium and checks the screenshot really shows the charts. Runs when
/// a `chromium` (Debian package `chromium`) or `chromium-browser`/`google-chrome` binary is on PATH; CI
/// installs it, so there it must run and pass.
enum Chromium {
    static let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    static let binary: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for name in names {
            for dir in path.split(separator: ":") {
                let candidate = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    /// `/usr/bin/timeout`, which kills Chromium's whole process group (zygote, GPU and renderer processes
    /// included) when the time is up; our own deadline below is only the second line of defence.
    static let timeout: String? = ["/usr/bin/timeout", "/bin/timeout"].first { FileManager.default.isExecutableFile(atPath: $0) }

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Screenshots `html` at 1200×1600 and returns the PNG. Never waits longer than `limit` seconds.
    static func screenshot(html: String, limit: Int = 60) async throws -> Data {
        guard let binary else { throw Failure(description: "no chromium on PATH") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spearreport-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html")
        let png = dir.appendingPathComponent("shot.png")
        let log = dir.appendingPathComponent("chromium.log")
        try Data(html.utf8).write(to: page)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)

        let chromiumArguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
            "--disable-sync", "--disable-component-update", "--hide-scrollbars", "--force-color-profile=srgb",
            "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
            "--crash-dumps-dir=\(dir.path)",
            "--screenshot=\(png.path)", "--window-size=1200,1600", page.absoluteString,
        ]
        let process = Process()
        if let timeout {
            process.executableURL = URL(fileURLWithPath: timeout)
            process.arguments = ["--kill-after=5", String(limit), binary] + chromiumArguments
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = chromiumArguments
        }
        // Output to a file, not a pipe: a pipe nobody drains (or one a leftover child holds open) can hang us.
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = dir.path  // keep Chromium's caches and config out of the real home
        process.environment = environment
        try process.run()

        let deadline = Date().addingTimeInterval(Double(limit + 10))
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                kill(process.processIdentifier, SIGKILL)
                throw Failure(description: "chromium did not finish within \(limit + 10) s")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard let data = FileManager.default.contents(atPath: png.path), !data.isEmpty else {
            throw Failure(description: "no screenshot (exit \(process.terminationStatus)):\n\(output.suffix(2000))")
        }
        return data
    }
}

@Suite("Headless Chromium render", .serialized)  // one browser at a time on a shared CI machine
struct ChromiumRenderTests {
    @Test(.enabled(if: Chromium.binary != nil, "no chromium binary on PATH (apt-get install chromium); skipped"),
          .timeLimit(.minutes(2)))
    func htmlPageDrawsTheCharts() async throws {
        let report = try Fixtures.report(.quarter, .all)
        let data = try await Chromium.screenshot(html: report.html())
        let image = try PNGImage(data: data)
        #expect(image.width == 1200)
        #expect(image.height == 1600)

        let total = image.width * image.height
        #expect(image.nonWhite > total / 100, "the page looks blank: \(image.nonWhite) non-white pixels")

        // The bars: colours that only the chart segments use. Each bar is 22 px high and several hundred px
        // wide, so a drawn segment covers hundreds of pixels; text antialiasing alone never gets near that.
        let expected: [(String, String)] = [
            ("archive", Palette.color(.archive)),      // 6 of 16 files: the widest segment
            ("pdf", Palette.color(.pdf)),
            ("executable", Palette.color(.executable)),
            ("shortcut", Palette.color(.shortcut)),
            ("not_inspected", Palette.notInspected),
        ]
        var drawn: [String] = []
        for (name, color) in expected {
            let n = image.count(color: color)
            if n >= 500 { drawn.append(name) }
        }
        #expect(drawn.contains("archive"), "orange archive segments missing; drawn: \(drawn)")
        #expect(drawn.count >= 4, "too few bar colours drawn: \(drawn)")
        // The empty quarter's grey "no data" bar.
        #expect(image.count(color: SVGChart.emptyFill, tolerance: 2) >= 500)
    }

    /// The check above must be able to fail: the same page without its charts does not pass it.
    @Test(.enabled(if: Chromium.binary != nil, "no chromium binary on PATH (apt-get install chromium); skipped"),
          .timeLimit(.minutes(2)))
    func pageWithoutChartsIsNotMistakenForOne() async throws {
        let html = try Fixtures.report(.quarter, .all).html()
        let stripped = html.replacingOccurrences(of: #"<svg[\s\S]*?</svg>"#, with: "", options: .regularExpression)
        #expect(!stripped.contains("<svg"))
        let image = try PNGImage(data: try await Chromium.screenshot(html: stripped))
        #expect(image.nonWhite > 0)  // the tables are drawn…
        #expect(image.count(color: Palette.color(.archive)) < 500)  // …but no bars
    }

    @Test func pngDecoderReadsAKnownImage() throws {
        // 2×2 RGB, rows filtered None and Sub: red, green / blue, white — deflated by zlib itself.
        let raw: [UInt8] = [0, 255, 0, 0, 0, 255, 0, 1, 0, 0, 255, 255, 255, 0]
        let png = try TinyPNG.encode(width: 2, height: 2, colorType: 2, raw: raw)
        let image = try PNGImage(data: png)
        #expect(image.width == 2 && image.height == 2)
        #expect(Array(image.rgba) == [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255])
        #expect(image.count(color: "#FF0000") == 1)
        #expect(image.nonWhite == 3)
    }
}

import SpearCore
import Foundation
import SpearBatch
import SpearCampaigns
import SpearScan
import SpearStore

/// Builds test messages and spools, and runs batches over them with a real SQLite store.
enum TestMail {
    struct Attachment {
        var name: String
        var type: String
        var bytes: [UInt8]
        var inline = false
    }

    static func fixture(_ name: String) -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/files/\(name)")
        return Array(try! Data(contentsOf: url))
    }

    /// A message with a text body in the given charset and transfer encoding, and base64 attachments.
    static func message(from: String = "sender@outside.example", to: [String], cc: [String] = [],
                        subject: String = "Order confirmation", body: String, charset: String = "utf-8",
                        encoding: String = "8bit", html: Bool = false, attachments: [Attachment] = [],
                        id: String = UUID().uuidString, date: String = "Mon, 04 Mar 2019 10:00:00 +0900") -> [UInt8] {
        var head = "From: \(from)\r\n"
        if !to.isEmpty { head += "To: \(to.joined(separator: ", "))\r\n" }
        if !cc.isEmpty { head += "Cc: \(cc.joined(separator: ", "))\r\n" }
        head += "Subject: \(subject)\r\nDate: \(date)\r\nMessage-ID: <\(id)@test.example>\r\nMIME-Version: 1.0\r\n"
        let textPart = textBody(body, charset: charset, encoding: encoding, html: html)
        if attachments.isEmpty { return Array(head.utf8) + textPart }
        let boundary = "b-\(id)"
        var out = Array((head + "Content-Type: multipart/mixed; boundary=\"\(boundary)\"\r\n\r\n--\(boundary)\r\n").utf8)
        out += textPart
        for a in attachments {
            let disposition = a.inline ? "inline" : "attachment"
            out += Array(("\r\n--\(boundary)\r\nContent-Type: \(a.type); name=\"\(a.name)\"\r\n"
                + "Content-Disposition: \(disposition); filename=\"\(a.name)\"\r\n"
                + (a.inline ? "Content-ID: <\(a.name)@logo>\r\n" : "")
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Data(a.bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
                + "\r\n").utf8)
        }
        out += Array("--\(boundary)--\r\n".utf8)
        return out
    }

    private static func textBody(_ body: String, charset: String, encoding: String, html: Bool) -> [UInt8] {
        let type = html ? "text/html" : "text/plain"
        let encoded: [UInt8]
        switch charset.lowercased() {
        case "iso-2022-jp": encoded = iso2022jp(body)
        case "shift_jis": encoded = Array(body.data(using: .shiftJIS)!)
        default: encoded = Array(body.utf8)
        }
        var content: String
        switch encoding {
        case "base64": content = Data(encoded).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        case "quoted-printable": content = quotedPrintable(encoded)
        default: content = String(decoding: encoded, as: UTF8.self)
        }
        if charset.lowercased() == "iso-2022-jp" || charset.lowercased() == "shift_jis", encoding != "base64", encoding != "quoted-printable" {
            return Array("Content-Type: \(type); charset=\(charset)\r\nContent-Transfer-Encoding: 7bit\r\n\r\n".utf8) + encoded + [13, 10]
        }
        return Array("Content-Type: \(type); charset=\(charset)\r\nContent-Transfer-Encoding: \(encoding)\r\n\r\n\(content)\r\n".utf8)
    }

    /// ISO-2022-JP through iconv (the system's, as mail clients produce it).
    static func iso2022jp(_ text: String) -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        p.arguments = ["-f", "UTF-8", "-t", "ISO-2022-JP"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try! p.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try! input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Array(data)
    }

    static func quotedPrintable(_ bytes: [UInt8]) -> String {
        var out = "", lineLength = 0
        for b in bytes {
            let piece: String
            if b == 10 { out += "\r\n"; lineLength = 0; continue }
            if b == 13 { continue }
            if (b >= 33 && b <= 126 && b != 61) || b == 32 { piece = String(UnicodeScalar(b)) } else {
                piece = String(format: "=%02X", b)
            }
            if lineLength + piece.count > 73 { out += "=\r\n"; lineLength = 0 }
            out += piece
            lineLength += piece.count
        }
        return out
    }

    /// A fresh temporary directory.
    static func directory() -> String {
        let path = NSTemporaryDirectory() + "spearscan-batch-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes messages into a Maildir's `cur/` (names sort in the given order).
    @discardableResult
    static func maildir(_ messages: [[UInt8]], at root: String? = nil) -> String {
        let dir = root ?? directory() + "/Maildir"
        for sub in ["cur", "new", "tmp"] {
            try! FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true)
        }
        for (i, m) in messages.enumerated() {
            _ = FileManager.default.createFile(atPath: String(format: "%@/cur/%06d.test:2,S", dir, i), contents: Data(m))
        }
        return dir
    }

    static func options(jobs: Int = 2) -> BatchOptions {
        var options = BatchOptions()
        options.jobs = jobs
        options.scan.sender = nil
        return options
    }

    /// The store at `db`: a SQLite path or a postgres:// URL (`StoreBackend.location`).
    static func open(_ db: String) throws -> any ScanStore {
        try Stores.open(try StoreLocation(db))
    }

    /// Runs a batch into the store at `db` and returns its summary.
    @discardableResult
    static func batch(_ paths: [String], db: String, options: BatchOptions = options()) throws -> BatchSummary {
        let store = try open(db)
        return try BatchRunner(paths: paths, options: options, store: store).run()
    }

    static func campaigns(_ db: String, rule: BulkRule = BulkRule(), linkSimilar: Bool = false,
                          all: Bool = false) throws -> [Campaign] {
        try open(db).campaigns(rule: rule, linkSimilar: linkSimilar, includeSingletons: all)
    }

    static func people(_ n: Int, domain: (Int) -> String = { _ in "corp.example.co.jp" }, prefix: String = "user") -> [String] {
        (0..<n).map { "\(prefix)\($0)@\(domain($0))" }
    }

    static let lure = """
        いつもお世話になっております。
        ご注文内容の確認をお願いいたします。添付ファイルをご確認のうえ、内容に誤りがないかご確認ください。
        ご不明な点がございましたら担当までご連絡ください。よろしくお願いいたします。
        """
}

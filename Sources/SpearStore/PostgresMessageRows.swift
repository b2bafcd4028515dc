import SpearCore
import SpearMIME

/// The rows of a group of messages, gathered column by column, and the one statement that inserts them all:
/// the messages (numbered by the caller), their recipients, attachment trees (ids drawn from the table's
/// sequence in list order, so a row can name its parent's), findings, defects, indicators and password notices
/// in their order, and their observations. A group of any size is one statement and one parse of its plan.
struct PostgresMessageRows {
    private var messages = MessageColumns()
    private var recipients: (message: [Int64], address: [String], domain: [String]) = ([], [], [])
    private var attachments = AttachmentColumns()
    private var findings: (message: [Int64], id: [String], severity: [String], evidence: [String], kind: [String]) = ([], [], [], [], [])
    private var defects: (message: [Int64], code: [String], severity: [String], location: [String], detail: [String]) = ([], [], [], [], [])
    private var iocs: (message: [Int64], type: [String], value: [String], location: [String], context: [String], obfuscated: [Int64]) =
        ([], [], [], [], [], [])
    private var notices: (message: [Int64], value: [String]) = ([], [])
    private var observations = ObservationColumns()
    private var observationOrgs: (message: [Int64], org: [String]) = ([], [])

    private(set) var count = 0

    private struct MessageColumns {
        var id: [Int64] = [], sha256: [String] = [], source: [String] = [], offset: [Int64?] = [], size: [Int64] = []
        var messageID: [String?] = [], date: [String?] = [], receivedDate: [String?] = [], subject: [String?] = []
        var sender: [String?] = [], senderDomain: [String?] = [], returnPath: [String?] = [], targeted: [Int64] = []
        var status: [String] = [], spoofed: [Int64?] = [], senderScore: [Int64?] = [], text: [String?] = []
        var minhash: [String?] = [], scannedAt: [String] = [], reportJSON: [String?] = [], campaign: [Int64] = []
    }

    private struct AttachmentColumns {
        var message: [Int64] = [], parent: [Int64] = [], depth: [Int64] = [], mimePath: [String] = [], path: [String?] = []
        var filename: [String?] = [], contentType: [String?] = [], size: [Int64] = [], md5: [String] = [], sha1: [String] = []
        var sha256: [String] = [], category: [String?] = [], magic: [String?] = [], encrypted: [Int64] = []
        var complete: [Int64] = [], inline: [Int64] = [], origin: [String] = []
    }

    private struct ObservationColumns {
        var message: [Int64] = [], recipientOrgs: [String] = [], primary: [String?] = [], relayOrg: [String?] = []
        var relayHost: [String?] = [], stamp: [String?] = [], fromOrg: [String?] = [], fromName: [String?] = []
        var authenticated: [Int64] = [], freeMail: [Int64] = [], day: [String?] = [], appliedOperator: [String?] = []
        var appliedMatch: [String?] = []
    }

    /// Adds a message numbered `id`, in `campaign`, stored at `scannedAt`.
    mutating func append(_ stored: StoredMessage, id: Int64, campaign: Int64, scannedAt: String) {
        count += 1
        let report = stored.report, m = stored.campaign
        messages.id.append(id)
        messages.sha256.append(m.sha256)
        messages.source.append(report.source)
        messages.offset.append(stored.offset.map(Int64.init))
        messages.size.append(Int64(report.size))
        messages.messageID.append(m.messageID)
        messages.date.append(report.message.date)
        messages.receivedDate.append(report.message.receivedDate)
        messages.subject.append(m.subject)
        messages.sender.append(m.sender)
        messages.senderDomain.append(m.sender.flatMap(Address.domain(of:)))
        messages.returnPath.append(report.message.returnPath)
        messages.targeted.append(m.targeted ? 1 : 0)
        messages.status.append(report.verdict.status.rawValue)
        messages.spoofed.append(report.sender?.spoofed.map { $0 ? 1 : 0 })
        messages.senderScore.append(report.sender.map { Int64($0.score) })
        messages.text.append(m.fingerprints.text)
        messages.minhash.append(m.fingerprints.minhash)
        messages.scannedAt.append(scannedAt)
        messages.reportJSON.append(stored.reportJSON)
        messages.campaign.append(campaign)

        for address in m.recipients {
            recipients.message.append(id)
            recipients.address.append(address)
            recipients.domain.append(Address.domain(of: address) ?? "")
        }

        // Parents are named by their position in the group's list, counted from 1 (0: none).
        let base = Int64(attachments.message.count)
        for (file, parent, depth) in PostgresStore.flatten(report.attachments) {
            let a = file
            attachments.message.append(id)
            attachments.parent.append(parent.map { base + Int64($0) + 1 } ?? 0)
            attachments.depth.append(Int64(depth))
            attachments.mimePath.append(a.mimePath)
            attachments.path.append(a.path)
            attachments.filename.append(a.filename)
            attachments.contentType.append(a.contentType)
            attachments.size.append(Int64(a.size))
            attachments.md5.append(a.md5)
            attachments.sha1.append(a.sha1)
            attachments.sha256.append(a.sha256)
            attachments.category.append(a.category?.rawValue)
            attachments.magic.append(a.magic?.mimeType)
            attachments.encrypted.append(a.encrypted ? 1 : 0)
            attachments.complete.append(a.complete ? 1 : 0)
            attachments.inline.append(a.inline ? 1 : 0)
            attachments.origin.append(a.origin.rawValue)
        }

        for f in report.findings {
            findings.message.append(id)
            findings.id.append(f.id.rawValue)
            findings.severity.append(f.severity.rawValue)
            findings.evidence.append(f.evidence)
            findings.kind.append(f.kind.rawValue)
        }
        for d in report.defects {
            defects.message.append(id)
            defects.code.append(d.code.rawValue)
            defects.severity.append(d.severity.rawValue)
            defects.location.append(d.where)
            defects.detail.append(d.detail)
        }
        // Files are in `attachments`, the From address in `messages.sender`.
        for ioc in report.iocs where ioc.type != .file && ioc.location != "header From" {
            iocs.message.append(id)
            iocs.type.append(ioc.type.rawValue)
            iocs.value.append(ioc.value)
            iocs.location.append(ioc.location)
            iocs.context.append(ioc.context.rawValue)
            iocs.obfuscated.append(ioc.obfuscated ? 1 : 0)
        }
        for value in stored.passwordNotice {
            notices.message.append(id)
            notices.value.append(value)
        }
        if let o = report.sender?.observation {
            observations.message.append(id)
            observations.recipientOrgs.append(o.recipientOrgs.joined(separator: ","))
            observations.primary.append(o.deliveredOrg)
            observations.relayOrg.append(o.relayOrg)
            observations.relayHost.append(o.relayHost)
            observations.stamp.append(o.stamp)
            observations.fromOrg.append(o.fromOrg)
            observations.fromName.append(o.fromName)
            observations.authenticated.append(o.authenticated ? 1 : 0)
            observations.freeMail.append(o.fromFreeMail ? 1 : 0)
            observations.day.append(o.day)
            observations.appliedOperator.append(o.applied.operatorOrg)
            observations.appliedMatch.append(o.applied.match)
            for org in o.recipientOrgs {
                observationOrgs.message.append(id)
                observationOrgs.org.append(org)
            }
        }
    }

    /// The statement's parameters, in its order.
    var values: [PGValue] {
        let m = messages, a = attachments, o = observations
        return [
            .ints(m.id), .texts(m.sha256), .texts(m.source), .optInts(m.offset), .ints(m.size), .optTexts(m.messageID),
            .optTexts(m.date), .optTexts(m.receivedDate), .optTexts(m.subject), .optTexts(m.sender), .optTexts(m.senderDomain),
            .optTexts(m.returnPath), .ints(m.targeted), .texts(m.status), .optInts(m.spoofed), .optInts(m.senderScore),
            .optTexts(m.text), .optTexts(m.minhash), .texts(m.scannedAt), .optTexts(m.reportJSON), .ints(m.campaign),
            .ints(recipients.message), .texts(recipients.address), .texts(recipients.domain),
            .ints(a.message), .ints(a.parent), .ints(a.depth), .texts(a.mimePath), .optTexts(a.path), .optTexts(a.filename),
            .optTexts(a.contentType), .ints(a.size), .texts(a.md5), .texts(a.sha1), .texts(a.sha256), .optTexts(a.category),
            .optTexts(a.magic), .ints(a.encrypted), .ints(a.complete), .ints(a.inline), .texts(a.origin),
            .ints(findings.message), .texts(findings.id), .texts(findings.severity), .texts(findings.evidence), .texts(findings.kind),
            .ints(defects.message), .texts(defects.code), .texts(defects.severity), .texts(defects.location), .texts(defects.detail),
            .ints(iocs.message), .texts(iocs.type), .texts(iocs.value), .texts(iocs.location), .texts(iocs.context), .ints(iocs.obfuscated),
            .ints(notices.message), .texts(notices.value),
            .ints(o.message), .texts(o.recipientOrgs), .optTexts(o.primary), .optTexts(o.relayOrg), .optTexts(o.relayHost),
            .optTexts(o.stamp), .optTexts(o.fromOrg), .optTexts(o.fromName), .ints(o.authenticated), .ints(o.freeMail),
            .optTexts(o.day), .optTexts(o.appliedOperator), .optTexts(o.appliedMatch),
            .ints(observationOrgs.message), .texts(observationOrgs.org),
        ]
    }

    /// Every table's rows for the group, from the columns above; empty arrays insert nothing. Findings and
    /// indicators keep their order (their `seq`), attachments their depth-first order.
    static let statement = """
        WITH m AS (
            INSERT INTO messages (id, sha256, source, "offset", size, message_id, date, received_date, subject, sender,
                sender_domain, return_path, targeted, status, spoofed, sender_score, text_sha256, minhash, scanned_at,
                report_json, campaign_id)
            SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::int8[], $5::int8[], $6::text[], $7::text[], $8::text[],
                $9::text[], $10::text[], $11::text[], $12::text[], $13::int8[], $14::text[], $15::int8[], $16::int8[], $17::text[],
                $18::text[], $19::text[], $20::text[], $21::int8[])),
        r AS (
            INSERT INTO recipients (message_id, address, domain)
            SELECT * FROM unnest($22::int8[], $23::text[], $24::text[]) ON CONFLICT DO NOTHING),
        ids AS MATERIALIZED (
            SELECT n, nextval(pg_get_serial_sequence('attachments', 'id')) AS id FROM generate_series(1, cardinality($25::int8[])) AS n),
        a AS (
            INSERT INTO attachments (id, message_id, parent_id, depth, mime_path, path, filename, content_type, size, md5, sha1,
                sha256, category, magic_mime, encrypted, complete, inline, origin)
            SELECT i.id, t.mid, p.id, t.d, t.mp, t.pa, t.fn, t.ct, t.sz, t.m5, t.s1, t.s2, t.cat, t.mm, t.e, t.c, t.il, t.o
            FROM unnest($25::int8[], $26::int8[], $27::int8[], $28::text[], $29::text[], $30::text[], $31::text[], $32::int8[],
                $33::text[], $34::text[], $35::text[], $36::text[], $37::text[], $38::int8[], $39::int8[], $40::int8[], $41::text[])
                WITH ORDINALITY AS t(mid, pn, d, mp, pa, fn, ct, sz, m5, s1, s2, cat, mm, e, c, il, o, n)
            JOIN ids i ON i.n = t.n LEFT JOIN ids p ON p.n = t.pn
            ORDER BY t.n),
        f AS (
            INSERT INTO findings (message_id, finding_id, severity, evidence, kind)
            SELECT x.mid, x.f, x.s, x.e, x.k FROM unnest($42::int8[], $43::text[], $44::text[], $45::text[], $46::text[])
                WITH ORDINALITY AS x(mid, f, s, e, k, n) ORDER BY x.n),
        d AS (
            INSERT INTO defects (message_id, code, severity, location, detail)
            SELECT * FROM unnest($47::int8[], $48::text[], $49::text[], $50::text[], $51::text[])),
        i AS (
            INSERT INTO iocs (message_id, type, value, location, context, obfuscated)
            SELECT x.mid, x.t, x.v, x.l, x.c, x.o FROM unnest($52::int8[], $53::text[], $54::text[], $55::text[], $56::text[], $57::int8[])
                WITH ORDINALITY AS x(mid, t, v, l, c, o, n) ORDER BY x.n),
        p AS (
            INSERT INTO password_notices (message_id, value)
            SELECT * FROM unnest($58::int8[], $59::text[]) ON CONFLICT DO NOTHING),
        o AS (
            INSERT INTO observations (message_id, recipient_orgs, primary_org, relay_org, relay_host, stamp, from_org, from_name,
                authenticated, free_mail, day, applied_operator, applied_match)
            SELECT * FROM unnest($60::int8[], $61::text[], $62::text[], $63::text[], $64::text[], $65::text[], $66::text[],
                $67::text[], $68::int8[], $69::int8[], $70::text[], $71::text[], $72::text[]))
        INSERT INTO observation_orgs (recipient_org, message_id)
        SELECT x.r, x.mid FROM unnest($73::int8[], $74::text[]) AS x(mid, r) ON CONFLICT DO NOTHING
        """
}

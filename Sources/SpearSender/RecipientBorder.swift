import SpearMIME

/// Where the recipient's own organisation took the message in from the Internet, found by position alone.
///
/// Why position can be trusted without configuration: every MTA prepends its Received (and its
/// Authentication-Results) to the header block, so the header fields stand in the reverse order of the path. The
/// sender, and every server before the recipient's organisation, can write anything into the message, including
/// Received fields "by mx.<recipient>" and Authentication-Results with the recipient's authserv-id, but all of it
/// stands *below* the Received that the recipient's border MX added when it accepted the message. Nothing can be
/// placed above that field except by the organisation's own servers. So the topmost Received that a host of the
/// organisation wrote for a client outside it is the boundary: Authentication-Results above it, with an
/// authserv-id of the same organisation, were written by that organisation; the same header below it may be a
/// forgery and is only carried.
///
/// The walk is conservative. It starts at the topmost Received, which must be written by a host in one of the
/// recipient organisations (To, Cc, Delivered-To, X-Original-To, the topmost Received's `for`); it stops at the
/// first hop written by a host outside that organisation. A hop is internal (the organisation's server handing the
/// message to another) when the client address is not on the Internet (RFC 1918, loopback, link-local, shared),
/// or its reverse name, as the receiving server recorded it after a forward check (Postfix writes `unknown`
/// otherwise; Sendmail's "may be forged" disqualifies it), is in the same organisation, or when the hop names no
/// client address at all and its HELO is in the organisation (LMTP and local hand-offs). The HELO alone never makes
/// a client internal when an address is recorded: any client can say `HELO mx.<recipient>`.
struct RecipientBorder {
    /// The recipient organisation whose servers wrote the top of the header.
    var organization: String
    /// The position (among all header fields) of the boundary Received: the entry hop, else the lowest hop of the
    /// organisation's own chain. Only Authentication-Results above it (smaller positions) are the organisation's.
    var position: Int
    /// The entry hop (the organisation's server receiving from outside), when there is one.
    var entryHop: ReceivedHeader?
    /// The organisation is an MX operator learned from the spool (a provider in front of the recipients'
    /// organisation), not a recipient organisation itself.
    var learned = false

    /// `received`: the message's Received headers parsed, top to bottom, in the order of `headers.all("received")`.
    static func find(_ headers: HeaderFields, received: [ReceivedHeader], recipientOrganizations: Set<String>,
                     organization org: (String) -> String?) -> RecipientBorder? {
        guard !recipientOrganizations.isEmpty, !received.isEmpty else { return nil }
        var owner: String?
        var lowest: Int?
        var index = 0
        for (position, field) in headers.enumerated() where field.key == "received" {
            guard index < received.count else { break }
            let hop = received[index]
            index += 1
            guard let by = hop.by, let byOrg = org(by) else { break }
            if owner == nil {
                guard recipientOrganizations.contains(byOrg) else { return nil }
                owner = byOrg
            }
            guard byOrg == owner else { break }  // a host of another organisation: the chain is no longer ours
            if isInternal(hop, organization: byOrg, org: org) {
                lowest = position
                continue
            }
            return RecipientBorder(organization: byOrg, position: position, entryHop: hop)
        }
        guard let owner, let lowest else { return nil }
        return RecipientBorder(organization: owner, position: lowest, entryHop: nil)
    }

    /// The hop's client is one of the organisation's own servers (see the type's description).
    static func isInternal(_ hop: ReceivedHeader, organization: String, org: (String) -> String?) -> Bool {
        // Exchange writes the client address in the comment without brackets: "from host (203.0.113.5)".
        let reverseAddress = hop.fromReverse.flatMap { SPFAddress($0) }
        if let text = hop.ip, let address = SPFAddress(text) { return address.isInternal || verifiedReverse(hop, organization, org) }
        if let address = reverseAddress { return address.isInternal }
        if hop.fromReverse != nil { return verifiedReverse(hop, organization, org) }
        guard let helo = hop.from else { return true }  // "Received: by host (Postfix, from userid 1000)": local pickup
        return org(helo.trimmingCharacters(in: "[]")) == organization
    }

    private static func verifiedReverse(_ hop: ReceivedHeader, _ organization: String, _ org: (String) -> String?) -> Bool {
        guard let reverse = hop.fromReverse, !hop.reverseUnverified, reverse.lowercased() != "unknown" else { return false }
        return org(reverse) == organization
    }
}

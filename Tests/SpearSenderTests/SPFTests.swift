import SpearCore
import TestSupport
import SpearDNS
import SpearMIME
@testable import SpearSender
import Testing

/// SPF (RFC 7208) against a real dnsmasq on 127.0.0.1: every mechanism matching and not matching, qualifiers,
/// the lookup and void-lookup limits, macros, and DNS failure.
@Suite("SPF check_host against dnsmasq", .enabled(if: DNSMasqServer.available))
struct SPFTests {
    static let records: [String] = [
        "--local=/spf.test/",  // authoritative NXDOMAIN for names not listed
        "--txt-record=ip4.spf.test,v=spf1 ip4:192.0.2.0/24 -all",
        "--txt-record=ip6.spf.test,v=spf1 ip6:2001:db8::/32 -all",
        "--txt-record=a.spf.test,v=spf1 a -all",
        "--host-record=a.spf.test,192.0.2.10,2001:db8::10",
        "--txt-record=acidr.spf.test,v=spf1 a:host.spf.test/24 ~all",
        "--host-record=host.spf.test,198.51.100.1",
        "--txt-record=mx.spf.test,v=spf1 mx -all",
        "--mx-host=mx.spf.test,mail.spf.test,10",
        "--host-record=mail.spf.test,203.0.113.5",
        "--txt-record=include.spf.test,v=spf1 include:ip4.spf.test ?all",
        "--txt-record=incnone.spf.test,v=spf1 include:nothing.spf.test -all",
        "--txt-record=redirect.spf.test,v=spf1 redirect=ip4.spf.test",
        "--txt-record=redirnone.spf.test,v=spf1 redirect=nothing.spf.test",
        "--txt-record=exists.spf.test,v=spf1 exists:%{i}.allow.spf.test -all",
        "--host-record=192.0.2.77.allow.spf.test,127.0.0.2",
        "--txt-record=macro.spf.test,v=spf1 exists:%{l}.%{o}.user.spf.test exists:%{h}.helo.spf.test -all",
        "--host-record=alice.macro.spf.test.user.spf.test,127.0.0.2",
        "--host-record=relay.partner.test.helo.spf.test,127.0.0.2",
        "--txt-record=dmacro.spf.test,v=spf1 exists:%{d2}.%{ir}.rev.spf.test -all",
        "--host-record=spf.test.9.2.0.192.rev.spf.test,127.0.0.2",
        "--txt-record=ptr.spf.test,v=spf1 ptr -all",
        "--txt-record=soft.spf.test,v=spf1 ~all",
        "--txt-record=neutral.spf.test,v=spf1 ip4:10.0.0.1",
        "--txt-record=ten.spf.test,v=spf1 a a a a a a a a a a -all",
        "--txt-record=eleven.spf.test,v=spf1 a a a a a a a a a a a -all",
        "--host-record=ten.spf.test,198.51.100.99",
        "--host-record=eleven.spf.test,198.51.100.99",
        "--txt-record=void2.spf.test,v=spf1 a:v1.spf.test a:v2.spf.test -all",
        "--txt-record=void3.spf.test,v=spf1 a:v1.spf.test a:v2.spf.test a:v3.spf.test -all",
        "--txt-record=two.spf.test,v=spf1 -all",
        "--txt-record=two.spf.test,v=spf1 +all",
        "--txt-record=badip.spf.test,v=spf1 ip4:300.1.1.1 -all",
        "--txt-record=unknown.spf.test,v=spf1 foo:bar -all",
        "--txt-record=nospf.spf.test,hello world",
        "--txt-record=mxmany.spf.test,v=spf1 mx -all",
        "--txt-record=loop.spf.test,v=spf1 include:loop.spf.test -all",
    ] + (1...11).map { "--mx-host=mxmany.spf.test,m\($0).spf.test,\($0)" }

    let server: DNSMasqServer

    init() throws { server = try DNSMasqServer(records: Self.records) }

    func check(_ domain: String, ip: String, sender: String? = nil, helo: String = "relay.partner.test",
               cache: DNSCache? = nil) throws -> (SPFResult.Code, String, Int) {
        let address = try #require(SPFAddress(ip))
        var evaluator = SPFEvaluator(dns: cache ?? DNSCache(resolver: server.resolver()), ip: address,
                                     sender: sender ?? "alice@\(domain)", helo: helo)
        let (code, why) = evaluator.checkHost(domain)
        return (code, why, evaluator.lookups)
    }

    @Test("ip4 and ip6 with prefixes; the other family never matches")
    func ipMechanisms() throws {
        #expect(try check("ip4.spf.test", ip: "192.0.2.200").0 == .pass)
        #expect(try check("ip4.spf.test", ip: "192.0.3.1").0 == .fail)
        #expect(try check("ip4.spf.test", ip: "2001:db8::1").0 == .fail)
        #expect(try check("ip4.spf.test", ip: "::ffff:192.0.2.5").0 == .pass)  // IPv4-mapped is IPv4
        #expect(try check("ip6.spf.test", ip: "2001:db8:ffff::1").0 == .pass)
        #expect(try check("ip6.spf.test", ip: "2001:db9::1").0 == .fail)
        #expect(try check("ip6.spf.test", ip: "192.0.2.1").0 == .fail)
    }

    @Test("a: the domain's own A/AAAA, and another host with a /24")
    func aMechanism() throws {
        #expect(try check("a.spf.test", ip: "192.0.2.10").0 == .pass)
        #expect(try check("a.spf.test", ip: "192.0.2.11").0 == .fail)
        #expect(try check("a.spf.test", ip: "2001:db8::10").0 == .pass)
        #expect(try check("a.spf.test", ip: "2001:db8::11").0 == .fail)
        #expect(try check("acidr.spf.test", ip: "198.51.100.250").0 == .pass)
        #expect(try check("acidr.spf.test", ip: "198.51.101.1").0 == .softfail)
    }

    @Test("mx: addresses of the exchanges; more than 10 exchanges is a permerror")
    func mxMechanism() throws {
        let (code, why, lookups) = try check("mx.spf.test", ip: "203.0.113.5")
        #expect(code == .pass, "\(why)")
        #expect(lookups == 1)  // the exchange's A lookup does not count
        #expect(try check("mx.spf.test", ip: "203.0.113.6").0 == .fail)
        let many = try check("mxmany.spf.test", ip: "203.0.113.5")
        #expect(many.0 == .permerror)
        #expect(many.1.contains("11 MX records"))
    }

    @Test("include matches on pass only; an include without a record is a permerror")
    func include() throws {
        #expect(try check("include.spf.test", ip: "192.0.2.1").0 == .pass)
        #expect(try check("include.spf.test", ip: "198.51.100.1").0 == .neutral)  // the include's -all is a no-match
        #expect(try check("incnone.spf.test", ip: "192.0.2.1").0 == .permerror)
    }

    @Test("redirect takes the target's result; a target without a record is a permerror")
    func redirect() throws {
        #expect(try check("redirect.spf.test", ip: "192.0.2.1").0 == .pass)
        #expect(try check("redirect.spf.test", ip: "198.51.100.1").0 == .fail)
        #expect(try check("redirnone.spf.test", ip: "192.0.2.1").0 == .permerror)
    }

    @Test("exists with %{i}, %{l}, %{o}, %{h}, %{d2}, %{ir}")
    func existsAndMacros() throws {
        #expect(try check("exists.spf.test", ip: "192.0.2.77").0 == .pass)
        #expect(try check("exists.spf.test", ip: "192.0.2.78").0 == .fail)
        // alice@macro.spf.test → alice.macro.spf.test.user.spf.test exists.
        #expect(try check("macro.spf.test", ip: "198.51.100.1", sender: "alice@macro.spf.test", helo: "x.invalid.test").0 == .pass)
        // bob does not, but the HELO name relay.partner.test does.
        #expect(try check("macro.spf.test", ip: "198.51.100.1", sender: "bob@macro.spf.test", helo: "relay.partner.test").0 == .pass)
        #expect(try check("macro.spf.test", ip: "198.51.100.1", sender: "bob@macro.spf.test", helo: "other.test").0 == .fail)
        // %{d2} of dmacro.spf.test is spf.test; %{ir} of 192.0.2.9 is 9.2.0.192.
        #expect(try check("dmacro.spf.test", ip: "192.0.2.9").0 == .pass)
        #expect(try check("dmacro.spf.test", ip: "192.0.2.8").0 == .fail)
    }

    @Test("ptr is never used: counted, not matched; qualifiers ~ and default neutral")
    func ptrAndQualifiers() throws {
        let ptr = try check("ptr.spf.test", ip: "192.0.2.1")
        #expect(ptr.0 == .fail)
        #expect(ptr.2 == 1)
        #expect(try check("soft.spf.test", ip: "192.0.2.1").0 == .softfail)
        #expect(try check("neutral.spf.test", ip: "192.0.2.1").0 == .neutral)
        #expect(try check("neutral.spf.test", ip: "10.0.0.1").0 == .pass)
    }

    @Test("10 DNS-querying terms are allowed, the 11th is a permerror")
    func lookupLimit() throws {
        let ten = try check("ten.spf.test", ip: "192.0.2.1")
        #expect(ten.0 == .fail)
        #expect(ten.2 == 10)
        let eleven = try check("eleven.spf.test", ip: "192.0.2.1")
        #expect(eleven.0 == .permerror)
        #expect(eleven.1.contains("more than 10"))
    }

    @Test("an include loop ends at the lookup limit")
    func includeLoop() throws {
        let (code, why, lookups) = try check("loop.spf.test", ip: "192.0.2.1")
        #expect(code == .permerror)
        #expect(why.contains("more than 10"))
        #expect(lookups == 11)
    }

    @Test("2 void lookups are allowed, the 3rd is a permerror")
    func voidLimit() throws {
        #expect(try check("void2.spf.test", ip: "192.0.2.1").0 == .fail)
        let three = try check("void3.spf.test", ip: "192.0.2.1")
        #expect(three.0 == .permerror)
        #expect(three.1.contains("void"))
    }

    @Test("no record, two records, syntax errors")
    func records() throws {
        #expect(try check("nospf.spf.test", ip: "192.0.2.1").0 == .none)
        #expect(try check("missing.spf.test", ip: "192.0.2.1").0 == .none)
        #expect(try check("two.spf.test", ip: "192.0.2.1").0 == .permerror)
        #expect(try check("badip.spf.test", ip: "192.0.2.1").0 == .permerror)
        #expect(try check("unknown.spf.test", ip: "192.0.2.1").0 == .permerror)
        #expect(try check("not a domain", ip: "192.0.2.1").0 == .none)
    }

    @Test("answers are cached: a second evaluation asks nothing")
    func cached() throws {
        let cache = DNSCache(resolver: server.resolver())
        #expect(try check("mx.spf.test", ip: "203.0.113.5", cache: cache).0 == .pass)
        let after = cache.lookups
        #expect(after == 3)  // TXT, MX, A
        #expect(try check("mx.spf.test", ip: "203.0.113.5", cache: cache).0 == .pass)
        #expect(cache.lookups == after)
    }
}

@Suite("SPF without a server")
struct SPFOfflineTests {
    @Test("a dead server is a temperror, not a crash")
    func deadServer() throws {
        let port = try #require(DNSMasqServer.freePort())
        let cache = DNSCache(resolver: DNSResolver(servers: ["127.0.0.1:\(port)"], timeout: 0.2, attempts: 1))
        var evaluator = SPFEvaluator(dns: cache, ip: try #require(SPFAddress("192.0.2.1")), sender: "a@example.org", helo: "h.example.org")
        let (code, why) = evaluator.checkHost("example.org")
        #expect(code == .temperror)
        #expect(why.contains("TXT lookup of example.org failed"))
    }

    @Test("macro expansion: RFC 7208 section 7.4 examples")
    func rfcMacroExamples() throws {
        let v4 = SPFMacro.Values(sender: "strong-bad@email.example.com", domain: "email.example.com",
                                 ip: try #require(SPFAddress("192.0.2.3")), helo: "mx.example.org")
        func x(_ s: String, _ values: SPFMacro.Values) throws -> String { try SPFMacro.expand(s, values: values, limit: 4096) }
        #expect(try x("%{s}", v4) == "strong-bad@email.example.com")
        #expect(try x("%{o}", v4) == "email.example.com")
        #expect(try x("%{d}", v4) == "email.example.com")
        #expect(try x("%{d4}", v4) == "email.example.com")
        #expect(try x("%{d3}", v4) == "email.example.com")
        #expect(try x("%{d2}", v4) == "example.com")
        #expect(try x("%{d1}", v4) == "com")
        #expect(try x("%{dr}", v4) == "com.example.email")
        #expect(try x("%{d2r}", v4) == "example.email")
        #expect(try x("%{l}", v4) == "strong-bad")
        #expect(try x("%{l-}", v4) == "strong.bad")
        #expect(try x("%{lr}", v4) == "strong-bad")
        #expect(try x("%{lr-}", v4) == "bad.strong")
        #expect(try x("%{l1r-}", v4) == "strong")
        #expect(try x("%{ir}.%{v}._spf.%{d2}", v4) == "3.2.0.192.in-addr._spf.example.com")
        #expect(try x("%{lr-}.lp._spf.%{d2}", v4) == "bad.strong.lp._spf.example.com")
        #expect(try x("%{d2}.trusted-domains.example.net", v4) == "example.com.trusted-domains.example.net")
        #expect(try x("%{h}%%%_%-", v4) == "mx.example.org% %20")
        #expect(try x("%{L}", SPFMacro.Values(sender: "a b@x.test", domain: "x.test", ip: v4.ip, helo: "h")) == "a%20b")
        let v6 = SPFMacro.Values(sender: "strong-bad@email.example.com", domain: "email.example.com",
                                 ip: try #require(SPFAddress("2001:db8::cb01")), helo: "h")
        #expect(try x("%{ir}.%{v}._spf.%{d2}", v6)
            == "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com")
        for bad in ["%", "%x", "%{", "%{z}", "%{d0}", "%{d2!}", "%{c}", "a b"] {
            #expect(throws: SPFEvaluator.Abort.self, "\(bad)") { try x(bad, v4) }
        }
        #expect(throws: SPFEvaluator.Abort.self) { try SPFMacro.expand(String(repeating: "%{s}", count: 500), values: v4, limit: 4096) }
    }

    @Test("Received: HELO, reverse name, client address (IPv4, IPv6), by, envelope-from, date")
    func receivedHeader() {
        let r = ReceivedHeader.parse("from out.example.com (mail.example.com [192.0.2.25])\r\n\tby mx.example.co.jp (Postfix) with ESMTPS id 1\r\n\t(envelope-from <a@example.com>); Tue, 3 Sep 2019 10:00:05 +0900")
        #expect(r.from == "out.example.com")
        #expect(r.fromReverse == "mail.example.com")
        #expect(r.ip == "192.0.2.25")
        #expect(r.by == "mx.example.co.jp")
        #expect(r.envelopeFrom == "a@example.com")
        #expect(r.date != nil)
        let v6 = ReceivedHeader.parse("FROM h.example (unknown [IPv6:2001:db8::25]) BY mx.example; Tue, 3 Sep 2019 10:00:05 +0900")
        #expect(v6.ip == "IPv6:2001:db8::25")
        #expect(v6.fromReverse == nil)
        #expect(v6.by == "mx.example")
        // An address literal after "by" is the receiving server's, not the client's; junk in brackets is no address.
        #expect(ReceivedHeader.parse("from h.example by mx.example [192.0.2.1]; x").ip == nil)
        #expect(ReceivedHeader.parse("from h.example ([not-an-ip]) by mx.example; x").ip == nil)
        #expect(ReceivedHeader.parse("").from == nil)
        #expect(ReceivedHeader.parse("from").from == nil)
    }

    @Test("internal addresses are never the SPF client")
    func internalAddresses() throws {
        for inside in ["10.1.2.3", "172.16.0.1", "192.168.1.1", "127.0.0.1", "100.64.0.1", "169.254.1.1", "::1", "fd00::1", "fe80::1"] {
            #expect(try #require(SPFAddress(inside)).isInternal, "\(inside)")
        }
        for external in ["192.0.2.1", "172.32.0.1", "8.8.8.8", "2001:db8::1", "100.128.0.1"] {
            #expect(try !#require(SPFAddress(external)).isInternal, "\(external)")
        }
    }

    @Test("record syntax: accepted and rejected terms")
    func syntax() throws {
        let good = "v=spf1 +a -mx:m.test/24//64 ~ip4:192.0.2.0/24 ?ip6:2001:db8::/32 a//64 ptr ptr:x.test exists:%{i}.t.test include:i.test exp=e.test unknown-mod=x redirect=r.test"
        let record = try SPFRecord.parse(good, domain: "d.test")
        #expect(record.directives.count == 9)
        #expect(record.redirect == "r.test")
        #expect(record.directives[1].mechanism == .mx("m.test", 24, 64))
        #expect(record.directives[4].mechanism == .a(nil, 32, 64))
        for bad in ["v=spf1 ip4:192.0.2.0/33", "v=spf1 ip6:192.0.2.1", "v=spf1 a/024", "v=spf1 include:", "v=spf1 all:x",
                    "v=spf1 redirect=a.test redirect=b.test", "v=spf1 exp=a exp=b", "v=spf1 ip4:1.2.3.4/", "v=spf1 a:%{q}.test"] {
            #expect(throws: SPFEvaluator.Abort.self, "\(bad)") { try SPFRecord.parse(bad, domain: "d.test") }
        }
    }

    @Test("hostile records never trap")
    func fuzz() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("v=spf1 :/%{}-+~?.aimxp46lrsdohv0123456789-_=,ipexistsincluderedirect".unicodeScalars)
        for _ in 0..<3000 {
            let text = "v=spf1 " + String(String.UnicodeScalarView((0..<Int.random(in: 0..<60, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
            if let record = try? SPFRecord.parse(text, domain: "d.test") {
                #expect(record.directives.count <= text.count)
            }
        }
    }
}

/// The analyzer asks DNS through the run's cache: a second message from the same domain asks nothing new.
@Suite("Sender analysis DNS cache", .enabled(if: DNSMasqServer.available))
struct SenderDNSCacheTests {
    @Test func cachedPerRun() throws {
        let keys = try SenderFixtures.text("dkim/keys.txt")
        var records = ["--local=/example.com/", "--txt-record=_dmarc.example.com,v=DMARC1; p=reject"]
        for line in keys.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            records.append("--txt-record=\(line[..<space]),\(line[line.index(after: space)...])")
        }
        let server = try DNSMasqServer(records: records)
        let cache = DNSCache(resolver: server.resolver())
        let analyzer = SenderAnalyzer(keys: .dns(cache), dns: cache)
        let message = MIMEParser().parse(try SenderFixtures.bytes("dkim/rsa2048-relaxed.eml"))
        let first = analyzer.analyze(message)
        #expect(first.dkim.map(\.result) == ["pass"])
        #expect(first.authResults.dmarcPolicy == "reject")
        #expect(cache.lookups == 2)  // rsa2048._domainkey.example.com and _dmarc.example.com
        let second = analyzer.analyze(MIMEParser().parse(try SenderFixtures.bytes("dkim/rsa2048-simple.eml")))
        #expect(second.dkim.map(\.result) == ["pass"])
        #expect(cache.lookups == 2)
    }
}

/// A character set resolved from a MIME label.
///
/// Mail labels lie and vary ("x-sjis", "ks_c_5601-1987", "utf8"), so labels are resolved through an alias table to
/// the decoder real mail needs: Shift_JIS becomes CP932 (Windows extensions such as ① are everywhere in Japanese
/// mail), ISO-8859-1 becomes windows-1252 (as browsers do), GB2312 becomes GB18030, EUC-KR becomes CP949.
public struct Charset: Hashable, Sendable, CustomStringConvertible {
    /// The canonical name of the decoder used, e.g. `CP932`.
    public let name: String
    let engine: Engine

    enum Engine: Hashable, Sendable {
        case utf8
        case ascii
        case windows1252
        case iso2022jp
        case iconv(String)
    }

    public var description: String { name }

    public static let utf8 = Charset(name: "UTF-8", engine: .utf8)
    public static let ascii = Charset(name: "US-ASCII", engine: .ascii)
    public static let windows1252 = Charset(name: "windows-1252", engine: .windows1252)
    public static let iso2022jp = Charset(name: "ISO-2022-JP", engine: .iso2022jp)
    public static let cp932 = Charset(name: "CP932", engine: .iconv("CP932"))
    public static let eucJP = Charset(name: "EUC-JP", engine: .iconv("EUC-JP-MS"))

    /// Resolves a MIME charset label (case-insensitive, surrounding quotes and spaces ignored).
    /// Returns nil for a label no decoder here knows.
    public static func resolve(label raw: String) -> Charset? {
        let label = normalise(raw)
        if label.isEmpty { return nil }
        if let known = aliases[label] { return known }
        if let n = numberedISO8859(label) { return Charset(name: "ISO-8859-\(n)", engine: .iconv("ISO-8859-\(n)")) }
        if let n = numberedWindows(label) {
            return n == 1252 ? .windows1252 : Charset(name: "windows-\(n)", engine: .iconv("CP\(n)"))
        }
        // Anything else glibc's iconv knows by the same name, restricted to plain label characters so no odd
        // string ever reaches iconv_open.
        guard label.utf8.count <= 40,
              label.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E || $0 == 0x3A })
        else { return nil }
        let upper = label.uppercased()
        return Iconv.isSupported(upper) ? Charset(name: upper, engine: .iconv(upper)) : nil
    }

    static func normalise(_ raw: String) -> String {
        var s = Substring(raw)
        while let f = s.first, f == " " || f == "\t" || f == "\"" || f == "'" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\"" || l == "'" { s = s.dropLast() }
        return s.lowercased()
    }

    private static func numberedISO8859(_ label: String) -> Int? {
        for prefix in ["iso-8859-", "iso8859-", "iso_8859-", "iso8859_", "iso-8859_"] where label.hasPrefix(prefix) {
            let rest = label.dropFirst(prefix.count).prefix { $0 != ":" }
            if let n = Int(rest), (2...16).contains(n), n != 12 { return n }
        }
        return nil
    }

    private static func numberedWindows(_ label: String) -> Int? {
        for prefix in ["windows-", "cp", "x-cp", "win-", "ms-"] where label.hasPrefix(prefix) {
            if let n = Int(label.dropFirst(prefix.count)), (1250...1258).contains(n) { return n }
        }
        return nil
    }

    private static let aliases: [String: Charset] = {
        var table: [String: Charset] = [:]
        func add(_ charset: Charset, _ labels: String...) { for l in labels { table[l] = charset } }
        add(.utf8, "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8", "unicode-2-0-utf-8")
        add(.ascii, "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "iso-ir-6", "cp367", "ibm367", "csascii", "default", "7bit", "8bit")
        add(.windows1252, "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819",
            "iso-ir-100", "csisolatin1", "iso_8859-1:1987", "windows-1252", "cp1252", "x-cp1252", "iso-8859-1-windows-3.1-latin-1")
        add(.iso2022jp, "iso-2022-jp", "csiso2022jp", "iso-2022-jp-1", "iso-2022-jp-2", "iso-2022-jp-3", "iso-2022-jp-ms", "jis", "x-jis")
        add(.cp932, "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "cp932",
            "x-ms-cp932", "ms932", "shift_jisx0213", "x-shift_jis", "shiftjis", "s-jis", "sjis-open", "sjis-win")
        add(.eucJP, "euc-jp", "x-euc-jp", "eucjp", "cseucpkdfmtjapanese", "x-euc", "euc-jp-ms", "eucjp-ms", "ujis")
        let gb = Charset(name: "GB18030", engine: .iconv("GB18030"))
        add(gb, "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "csgb2312", "chinese",
            "gb_2312-80", "gb_2312", "iso-ir-58", "x-euc-cn", "csiso58gb231280")
        let big5 = Charset(name: "BIG5-HKSCS", engine: .iconv("BIG5-HKSCS"))
        add(big5, "big5", "big5-hkscs", "x-x-big5", "cn-big5", "csbig5", "x-big5", "cp950", "ms950")
        let korean = Charset(name: "CP949", engine: .iconv("CP949"))
        add(korean, "euc-kr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "korean", "cp949", "uhc",
            "x-windows-949", "windows-949", "cseuckr", "iso-ir-149", "csksc56011987")
        add(Charset(name: "KOI8-R", engine: .iconv("KOI8-R")), "koi8-r", "koi8r", "cskoi8r", "koi8", "koi")
        add(Charset(name: "KOI8-U", engine: .iconv("KOI8-U")), "koi8-u", "koi8-ru")
        add(Charset(name: "UTF-16", engine: .iconv("UTF-16")), "utf-16", "utf16", "ucs-2", "unicode", "csunicode", "iso-10646-ucs-2")
        add(Charset(name: "UTF-16LE", engine: .iconv("UTF-16LE")), "utf-16le", "unicodefffe")
        add(Charset(name: "UTF-16BE", engine: .iconv("UTF-16BE")), "utf-16be", "unicodefeff")
        add(Charset(name: "UTF-32", engine: .iconv("UTF-32")), "utf-32", "ucs-4")
        add(Charset(name: "UTF-7", engine: .iconv("UTF-7")), "utf-7", "unicode-1-1-utf-7", "csunicode11utf7")
        add(Charset(name: "CP874", engine: .iconv("CP874")), "windows-874", "tis-620", "tis620", "iso-8859-11", "cp874", "x-cp874")
        add(Charset(name: "ISO-8859-8", engine: .iconv("ISO-8859-8")), "iso-8859-8-i", "iso-8859-8-e", "logical", "visual")
        add(Charset(name: "ISO-8859-6", engine: .iconv("ISO-8859-6")), "iso-8859-6-i", "iso-8859-6-e")
        add(Charset(name: "CP866", engine: .iconv("CP866")), "cp866", "ibm866", "866", "csibm866")
        add(Charset(name: "MACINTOSH", engine: .iconv("MACINTOSH")), "macintosh", "mac", "x-mac-roman", "csmacintosh")
        return table
    }()
}

import SpearCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes attachments into one directory under sanitized names, and never anywhere else.
///
/// A name from a message is attacker-controlled: it may hold `../`, an absolute path, a drive letter, NULs,
/// control or bidi characters, or collide with another. Each file is created with `openat` relative to the
/// directory, `O_CREAT | O_EXCL | O_NOFOLLOW`, under a name that is one plain path component.
public struct AttachmentWriter {
    public let directory: String
    private let dirFD: Int32

    public init(directory: String) throws(ScanError) {
        self.directory = directory
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw ScanError(.extractFailed, file: directory, "cannot create directory: \(String(cString: strerror(errno)))")
        }
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ScanError(.extractFailed, file: directory, "cannot open directory: \(String(cString: strerror(errno)))") }
        dirFD = fd
    }

    public func close() { _ = Glibc.close(dirFD) }

    /// Writes `bytes` under a sanitized form of `name`; returns the file name used (relative to the directory).
    public func write(_ bytes: [UInt8], suggestedName name: String?, fallback: String) throws(ScanError) -> String {
        let base = AttachmentWriter.sanitize(name ?? "", fallback: fallback)
        let (stem, ext) = AttachmentWriter.split(base)
        for attempt in 1...10_000 {
            let candidate = attempt == 1 ? base : "\(stem) (\(attempt))\(ext)"
            let fd = openat(dirFD, candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd < 0 {
                if errno == EEXIST { continue }
                throw ScanError(.extractFailed, file: directory + "/" + candidate, String(cString: strerror(errno)))
            }
            defer { _ = Glibc.close(fd) }
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ScanError(.extractFailed, file: directory + "/" + candidate, String(cString: strerror(errno)))
                }
                offset += n
            }
            return candidate
        }
        throw ScanError(.extractFailed, file: directory, "too many files named \(base)")
    }

    /// One safe path component: the last component of any path, without control, bidi or format characters,
    /// without leading dots or trailing dots and spaces, at most 200 UTF-8 bytes, never empty.
    public static func sanitize(_ name: String, fallback: String) -> String {
        // Work on code points, never on Characters: a "/" followed by a combining mark or a zero-width joiner is
        // one Character that is not "/", and removing the mark afterwards would bring the separator back.
        var scalars = String.UnicodeScalarView()
        for s in name.unicodeScalars {
            let v = s.value
            if s == "/" || s == "\\" { scalars.removeAll(); continue }                 // keep the last component
            if v < 0x20 || (v >= 0x7F && v < 0xA0) { continue }                       // controls, NUL
            if FilenameRules.bidiControls.contains(v) || (v >= 0x200B && v <= 0x200F) || v == 0xFEFF || v == 0x2060 { continue }
            if s == ":" || s == "*" || s == "?" || s == "\"" || s == "<" || s == ">" || s == "|" { scalars.append("_"); continue }
            scalars.append(s)
        }
        // No leading dots or spaces (hidden files, "..") and no trailing ones (Windows drops them), looked at
        // as code points too, and no combining mark left stranded at the start.
        while let f = scalars.first, f == "." || f == " " || f.properties.generalCategory == .nonspacingMark
            || f.properties.generalCategory == .enclosingMark || f.properties.generalCategory == .spacingMark {
            scalars.removeFirst()
        }
        while let l = scalars.last, l == "." || l == " " { scalars.removeLast() }
        var clean = String(scalars)
        if clean.utf8.count > 200 {
            let (stem, ext) = split(clean)
            var s = stem
            while s.utf8.count + ext.utf8.count > 200 { s.removeLast() }
            clean = s + (ext.utf8.count < 200 ? ext : "")
        }
        if clean.isEmpty { return sanitize(fallback, fallback: "attachment") }
        return clean
    }

    static func split(_ name: String) -> (stem: String, ext: String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        let ext = name[dot...]
        return ext.count <= 16 ? (String(name[..<dot]), String(ext)) : (name, "")
    }
}

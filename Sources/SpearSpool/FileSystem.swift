#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat`/`lstat` says about a path, reduced to what the reader decides on.
struct FileInfo {
    enum Kind { case regular, directory, symlink, other }
    var kind: Kind
    var size: Int

    /// `followLinks: false` uses `lstat`, so a symbolic link is reported as one instead of its target.
    static func of(_ path: String, followLinks: Bool) -> FileInfo? {
        var st = stat()
        let rc = followLinks ? stat(path, &st) : lstat(path, &st)
        guard rc == 0 else { return nil }
        let kind: Kind = switch st.st_mode & 0o170000 {
        case 0o100000: .regular
        case 0o040000: .directory
        case 0o120000: .symlink
        default: .other
        }
        return FileInfo(kind: kind, size: Int(st.st_size))
    }
}

/// Directory helpers without Foundation.
enum FileSystem {
    /// Joins without resolving, so reported sources look like what the user typed.
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Entry names other than `.` and `..`, sorted by their bytes (stable across locales and runs).
    /// A name that is not valid UTF-8 is returned in `invalid` so it can be reported, not dropped.
    static func list(_ directory: String) throws -> (names: [String], invalid: Int) {
        guard let dir = opendir(directory) else {
            throw SpoolError.fromErrno(errno, path: directory, action: "cannot list directory")
        }
        defer { closedir(dir) }
        var names: [String] = []
        var invalid = 0
        while let entry = readdir(dir) {
            let name: String? = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(validatingCString: $0) }
            }
            guard let name else {
                invalid += 1
                continue
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return (names, invalid)
    }

    static func isDirectory(_ path: String) -> Bool {
        FileInfo.of(path, followLinks: true)?.kind == .directory
    }
}

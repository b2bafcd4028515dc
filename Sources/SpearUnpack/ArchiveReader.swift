import CArchive
#if canImport(Glibc)
import Glibc
#endif

/// The one file that talks to libarchive: a read session over bytes in memory.
///
/// `archive_read_open_memory` keeps the pointer it is given, so a reader must live entirely inside the
/// `withUnsafeBytes` that produced its buffer. Not thread-safe: one reader per archive, per thread.
final class ArchiveReader {
    private let handle: OpaquePointer
    private var entry: OpaquePointer?

    enum Mode {
        /// Archive formats chosen one by one (never mtree, which claims short scripts), with compression filters.
        case archive
        /// A single compressed file (`invoice.js.gz`): the raw format, accepted only under a real filter.
        case compressedFile
    }

    /// Process-wide: libarchive returns no non-ASCII names in the C locale a Swift program starts in.
    private static let localeReady: Bool = {
        setlocale(LC_CTYPE, "C.UTF-8") != nil
    }()

    /// Opens `buffer` or returns nil when no enabled format recognises it.
    init?(_ buffer: UnsafeRawBufferPointer, mode: Mode, passphrases: [String]) {
        _ = ArchiveReader.localeReady
        guard let a = archive_read_new() else { return nil }
        handle = a
        for filter in [archive_read_support_filter_gzip, archive_read_support_filter_bzip2, archive_read_support_filter_xz,
                       archive_read_support_filter_lzma, archive_read_support_filter_lzip, archive_read_support_filter_zstd,
                       archive_read_support_filter_compress] {
            _ = filter(a)
        }
        switch mode {
        case .archive:
            for format in [archive_read_support_format_zip, archive_read_support_format_7zip, archive_read_support_format_rar,
                           archive_read_support_format_rar5, archive_read_support_format_lha, archive_read_support_format_tar,
                           archive_read_support_format_cab, archive_read_support_format_iso9660,
                           archive_read_support_format_cpio, archive_read_support_format_ar, archive_read_support_format_xar] {
                _ = format(a)
            }
            // Shift_JIS names in LZH fail fatally without this (and LZH from Japan is Shift_JIS).
            _ = archive_read_set_options(a, "lha:hdrcharset=CP932")
        case .compressedFile:
            _ = archive_read_support_format_raw(a)
        }
        for p in passphrases { _ = archive_read_add_passphrase(a, p) }
        guard let base = buffer.baseAddress,
              archive_read_open_memory(a, UnsafeMutableRawPointer(mutating: base), buffer.count) == spearscan_archive_ok else {
            return nil  // deinit frees the handle: every stored property is set by now
        }
        if mode == .compressedFile && archive_filter_code(a, 0) == spearscan_archive_filter_none {
            // With the raw format anything opens; without a compression filter it is not a compressed file.
            return nil
        }
    }

    deinit { archive_read_free(handle) }

    struct Header {
        /// The name bytes as libarchive gives them (UTF-8 when it could convert, else the raw bytes).
        var rawName: [UInt8]
        var size: Int?
        var isRegularFile: Bool
        var isDirectory: Bool
        var isSymlink: Bool
        var encrypted: Bool

        /// A member as the unpacker lists it: not a directory, and not a special file with no content (a device or
        /// FIFO entry); symbolic links are listed (and reported, never followed).
        var isMember: Bool { !isDirectory && (isRegularFile || isSymlink || size != 0) }
    }

    enum Next {
        case entry(Header, warning: String?)
        case end
        case failed(String)
    }

    func next() -> Next {
        var e: OpaquePointer?
        let r = archive_read_next_header(handle, &e)
        if r == spearscan_archive_eof { return .end }
        if r == spearscan_archive_fatal || e == nil { return .failed(errorText ?? "unreadable entry header") }
        let entry = e!
        var name: [UInt8] = []
        if let p = archive_entry_pathname(entry) {
            name = Array(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p)))
        } else if let p = archive_entry_pathname_utf8(entry) {
            name = Array(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p)))
        }
        let type = UInt32(archive_entry_filetype(entry))
        let header = Header(
            rawName: name,
            size: archive_entry_size_is_set(entry) != 0 ? Int(archive_entry_size(entry)) : nil,
            isRegularFile: type == spearscan_ae_ifreg,
            isDirectory: type == spearscan_ae_ifdir,
            isSymlink: type == spearscan_ae_iflnk,
            encrypted: archive_entry_is_encrypted(entry) != 0
        )
        return .entry(header, warning: r == spearscan_archive_warn ? (errorText ?? "warning") : nil)
    }

    enum DataResult {
        case complete
        /// The consumer asked to stop (a limit).
        case stopped
        case failed(String)
    }

    /// Streams the current entry's data to `consume`, which returns false to stop. Uses
    /// `archive_read_data_block`: a block that comes with a warning (bad CRC, wrong size) still carries its bytes,
    /// and the warning is returned rather than lost. Holes of sparse entries are filled with zeros.
    func readData(_ consume: (UnsafeRawBufferPointer) -> Bool) -> (DataResult, warning: String?) {
        var warning: String?
        var position: Int64 = 0
        let zeros = [UInt8](repeating: 0, count: 1 << 16)
        // libarchive's LHA reader can answer a damaged entry with a warning and no data for ever (fuzz-unpack found
        // a 69-byte -lh2- archive that did): blocks that bring nothing, again and again, end the entry as damaged.
        var barren = 0
        while true {
            var block: UnsafeRawPointer?
            var size = 0
            var offset: Int64 = 0
            let r = archive_read_data_block(handle, &block, &size, &offset)
            if r == spearscan_archive_eof { return (.complete, warning) }
            if size == 0 && offset <= position {
                barren += 1
                if barren > 64 { return (.failed((errorText ?? "damaged") + " (the data stopped advancing)"), warning) }
            } else {
                barren = 0
            }
            if r == spearscan_archive_warn {
                warning = warning ?? errorText ?? "warning"
            } else if r != spearscan_archive_ok {
                return (.failed(errorText ?? "data could not be read"), warning)
            }
            // A hole before this block (sparse entries): zeros, through the same limits.
            while position < offset {
                let n = Int(min(Int64(zeros.count), offset - position))
                let keepGoing = zeros.withUnsafeBytes { consume(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                if !keepGoing { return (.stopped, warning) }
                position += Int64(n)
            }
            if let block, size > 0 {
                if !consume(UnsafeRawBufferPointer(start: block, count: size)) { return (.stopped, warning) }
                position = offset + Int64(size)
            }
        }
    }

    var formatName: String { archive_format_name(handle).map { String(cString: $0) } ?? "unknown" }

    var filterName: String? {
        archive_filter_code(handle, 0) == spearscan_archive_filter_none ? nil : archive_filter_name(handle, 0).map { String(cString: $0) }
    }

    var errorText: String? { archive_error_string(handle).map { String(cString: $0) } }
}

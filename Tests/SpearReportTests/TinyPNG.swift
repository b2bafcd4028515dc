import CZlib
import Foundation

/// Builds a PNG from already-filtered scanlines, to test ``PNGImage`` on known pixels (CRCs are written as
/// zero: the decoder does not check them).
enum TinyPNG {
    static func encode(width: Int, height: Int, colorType: UInt8, raw: [UInt8]) throws -> Data {
        var out = [UInt8](repeating: 0, count: Int(compressBound(uLong(raw.count))))
        var outLength = uLongf(out.count)
        let status = out.withUnsafeMutableBufferPointer { o in
            raw.withUnsafeBufferPointer { i in compress(o.baseAddress, &outLength, i.baseAddress, uLong(i.count)) }
        }
        guard status == Z_OK else { throw PNGImage.DecodeError(description: "compress failed") }
        func be(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] { be(body.count) + Array(type.utf8) + body + [0, 0, 0, 0] }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += chunk("IHDR", be(width) + be(height) + [8, colorType, 0, 0, 0])
        png += chunk("IDAT", Array(out[0..<Int(outLength)]))
        png += chunk("IEND", [])
        return Data(png)
    }
}

import CZlib
import Foundation

/// Just enough of a PNG decoder to count the colours of a Chromium screenshot: 8-bit RGB or RGBA,
/// non-interlaced, all five row filters. Foundation has no image decoding on Linux, so the IDAT stream is
/// inflated with zlib (the `CZlib` system-library target).
struct PNGImage {
    let width: Int
    let height: Int
    /// RGBA, row-major, 4 bytes per pixel.
    let rgba: [UInt8]

    struct DecodeError: Error, CustomStringConvertible { var description: String }

    init(data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count > 8, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A][...] else {
            throw DecodeError(description: "not a PNG")
        }
        func u32(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        var offset = 8
        var w = 0, h = 0, colorType = -1
        var idat: [UInt8] = []
        while offset + 8 <= bytes.count {
            let length = u32(offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = offset + 8
            guard body + length <= bytes.count else { throw DecodeError(description: "truncated \(type)") }
            switch type {
            case "IHDR":
                w = u32(body)
                h = u32(body + 4)
                let depth = bytes[body + 8]
                colorType = Int(bytes[body + 9])
                guard depth == 8, colorType == 2 || colorType == 6, bytes[body + 12] == 0 else {
                    throw DecodeError(description: "unsupported PNG: depth \(depth), colour type \(colorType), interlace \(bytes[body + 12])")
                }
            case "IDAT":
                idat += bytes[body..<(body + length)]
            default:
                break
            }
            if type == "IEND" { break }
            offset = body + length + 4  // skip CRC
        }
        guard w > 0, h > 0, !idat.isEmpty else { throw DecodeError(description: "no image data") }
        let channels = colorType == 6 ? 4 : 3
        let stride = w * channels
        var raw = [UInt8](repeating: 0, count: h * (stride + 1))
        var rawLength = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in
            idat.withUnsafeBufferPointer { inp in
                uncompress(out.baseAddress, &rawLength, inp.baseAddress, uLong(inp.count))
            }
        }
        guard status == Z_OK, Int(rawLength) == raw.count else {
            throw DecodeError(description: "inflate failed: \(status), \(rawLength) of \(raw.count) bytes")
        }

        // Undo the per-row filters.
        var pixels = [UInt8](repeating: 0, count: h * stride)
        for y in 0..<h {
            let filter = raw[y * (stride + 1)]
            let src = y * (stride + 1) + 1
            let dst = y * stride
            for x in 0..<stride {
                let a = x >= channels ? Int(pixels[dst + x - channels]) : 0
                let b = y > 0 ? Int(pixels[dst - stride + x]) : 0
                let c = (x >= channels && y > 0) ? Int(pixels[dst - stride + x - channels]) : 0
                let v = Int(raw[src + x])
                let predicted: Int
                switch filter {
                case 0: predicted = 0
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predicted = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: throw DecodeError(description: "bad filter \(filter) on row \(y)")
                }
                pixels[dst + x] = UInt8((v + predicted) & 0xFF)
            }
        }
        if channels == 4 {
            rgba = pixels
        } else {
            var out = [UInt8](repeating: 255, count: w * h * 4)
            for i in 0..<(w * h) {
                out[i * 4] = pixels[i * 3]
                out[i * 4 + 1] = pixels[i * 3 + 1]
                out[i * 4 + 2] = pixels[i * 3 + 2]
            }
            rgba = out
        }
        width = w
        height = h
    }

    /// Pixels within `tolerance` per channel of `hex` ("#RRGGBB").
    func count(color hex: String, tolerance: Int = 6) -> Int {
        let v = Array(hex.utf8.dropFirst())
        func channel(_ i: Int) -> Int { Int(String(decoding: v[i..<(i + 2)], as: UTF8.self), radix: 16) ?? 0 }
        let (r, g, b) = (channel(0), channel(2), channel(4))
        var n = 0
        var i = 0
        while i < rgba.count {
            if abs(Int(rgba[i]) - r) <= tolerance, abs(Int(rgba[i + 1]) - g) <= tolerance, abs(Int(rgba[i + 2]) - b) <= tolerance {
                n += 1
            }
            i += 4
        }
        return n
    }

    /// Pixels that are not (nearly) white.
    var nonWhite: Int {
        var n = 0
        var i = 0
        while i < rgba.count {
            if rgba[i] < 240 || rgba[i + 1] < 240 || rgba[i + 2] < 240 { n += 1 }
            i += 4
        }
        return n
    }
}

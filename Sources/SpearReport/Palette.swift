import Foundation

/// Segment colours. Fifteen categories are more than any colour-blind-safe palette distinguishes, so the
/// eight Okabe–Ito colours go to the categories that matter most in the NPA's figures (Word, Excel, PDF,
/// compressed, executables, scripts, shortcuts…) and Paul Tol's "muted" colours to the rest; the legend and
/// the fixed stacking order carry the rest of the meaning. Colours are fixed per category, so the same type
/// has the same colour in every chart and report.
enum Palette {
    static func color(_ c: AttachmentCategory) -> String {
        switch c {
        case .word: "#0072B2"        // Okabe–Ito blue
        case .excel: "#009E73"       // Okabe–Ito bluish green
        case .powerpoint: "#D55E00"  // Okabe–Ito vermillion
        case .pdf: "#CC79A7"         // Okabe–Ito reddish purple
        case .archive: "#E69F00"     // Okabe–Ito orange
        case .diskImage: "#F0E442"   // Okabe–Ito yellow
        case .executable: "#000000"  // Okabe–Ito black
        case .script: "#882255"      // Tol muted wine
        case .shortcut: "#56B4E9"    // Okabe–Ito sky blue
        case .html: "#44AA99"        // Tol muted teal
        case .email: "#999933"       // Tol muted olive
        case .image: "#DDCC77"       // Tol muted sand
        case .text: "#332288"        // Tol muted indigo
        case .rtf: "#AA4499"         // Tol muted purple
        case .other: "#BBBBBB"       // Tol pale grey
        }
    }

    /// Not-inspected containers: a dark grey, visibly "unknown" rather than a type.
    static let notInspected = "#666666"

    /// Black or white, whichever reads better on `hex` (WCAG relative luminance).
    static func textColor(on hex: String) -> String {
        let v = Array(hex.utf8.dropFirst())
        func channel(_ i: Int) -> Double {
            let s = String(decoding: v[i..<(i + 2)], as: UTF8.self)
            let c = Double(Int(s, radix: 16) ?? 0) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        let l = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
        // Contrast with white (1.05/(l+0.05)) vs with black ((l+0.05)/0.05).
        return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? "#FFFFFF" : "#000000"
    }
}

// Hand-written data: the confusables that matter for domain names, after UTS #39's confusables.txt.
//
// No Debian package ships confusables.txt itself (unicode-data 15.0 has the UCD but not the security files). The
// entries below were chosen by hand from the mappings of confusables.txt as Debian's python3-confusable-homoglyphs
// 3.2.0 carries them (its confusables.json is generated from that file), keeping every Latin, Greek, Cyrillic,
// Armenian, Georgian, Cherokee, IPA, small-capital and symbol source whose target is ASCII, with two changes:
//   * prototypes are lower-case ASCII (the skeleton serves case-insensitive domain names), so "Ο", "О", "O", "0"
//     all become "o" and "I", "Ι", "І", "Ӏ", "1", "|" become "l";
//   * U+04CF CYRILLIC SMALL LETTER PALOCHKA maps to "l" (current confusables.txt) rather than "i" (older ones), so
//     "аррӏе" is the famous look-alike of "apple".
// Characters with a compatibility decomposition to ASCII (full-width Latin, mathematical alphanumerics, letter-like
// symbols, Roman numerals, enclosed and super/subscript letters and digits, ligatures like "ﬁ") are not listed:
// `Confusables.skeleton` maps them through NFKD. The ASCII confusions (0→o, 1→l, I→l, |→l, rn→m, vv→w, cl→d) are
// applied in `Confusables.skeleton` itself.

extension Confusables {
    /// Scalar → prototype (lower-case ASCII).
    static let prototypes: [UInt32: String] = [
        // Latin-1, Latin Extended, IPA, phonetic extensions, Latin Extended-D/E.
        0x00D7: "x", 0x00C6: "ae", 0x00E6: "ae", 0x0131: "i", 0x0132: "lj", 0x0133: "ij", 0x0152: "oe", 0x0153: "oe",
        0x017F: "f", 0x0184: "b", 0x0185: "b", 0x018D: "g", 0x0196: "l", 0x01A6: "r", 0x01A7: "2", 0x01B7: "3",
        0x01BC: "5", 0x01BD: "s", 0x01C0: "l", 0x01C1: "ll", 0x01C7: "lj", 0x01C8: "lj", 0x01C9: "lj",
        0x01CA: "nj", 0x01CB: "nj", 0x01CC: "nj", 0x01F1: "dz", 0x01F2: "dz", 0x01F3: "dz", 0x021C: "3",
        0x0222: "8", 0x0223: "8", 0x0251: "a", 0x0261: "g", 0x0263: "y", 0x0269: "i", 0x026A: "i", 0x026F: "w",
        0x028B: "u", 0x028F: "y", 0x02A3: "dz", 0x02A6: "ts", 0x02AA: "ls", 0x02AB: "lz",
        0x1D04: "c", 0x1D0F: "o", 0x1D11: "o", 0x1D1C: "u", 0x1D20: "v", 0x1D21: "w", 0x1D22: "z", 0x1D26: "r",
        0x1D6B: "ue", 0x1D83: "g", 0x1D8C: "y", 0x1E9D: "f", 0x1EFF: "y",
        0xA728: "t3", 0xA731: "s", 0xA732: "aa", 0xA733: "aa", 0xA734: "ao", 0xA735: "ao", 0xA736: "au",
        0xA737: "au", 0xA738: "av", 0xA739: "av", 0xA73A: "av", 0xA73B: "av", 0xA73C: "ay", 0xA73D: "ay",
        0xA74E: "oo", 0xA74F: "oo", 0xA75A: "2", 0xA76A: "3", 0xA76E: "9", 0xA777: "tf", 0xA798: "f", 0xA799: "f",
        0xA79F: "u", 0xA7AB: "3", 0xA7B2: "j", 0xA7B3: "x", 0xA7B4: "b",
        0xAB32: "e", 0xAB35: "f", 0xAB3D: "o", 0xAB47: "r", 0xAB48: "r", 0xAB4E: "u", 0xAB52: "u", 0xAB5A: "y",
        0xAB63: "uo",

        // Greek and Coptic.
        0x037A: "i", 0x037F: "j", 0x0391: "a", 0x0392: "b", 0x0395: "e", 0x0396: "z", 0x0397: "h", 0x0399: "l",
        0x039A: "k", 0x039C: "m", 0x039D: "n", 0x039F: "o", 0x03A1: "p", 0x03A4: "t", 0x03A5: "y", 0x03A7: "x",
        0x03B1: "a", 0x03B3: "y", 0x03B9: "i", 0x03BD: "v", 0x03BF: "o", 0x03C1: "p", 0x03C3: "o", 0x03C5: "u",
        0x03D2: "y", 0x03DC: "f", 0x03E8: "2", 0x03F1: "p", 0x03F2: "c", 0x03F3: "j", 0x03F9: "c", 0x03FA: "m",
        0x1FBE: "i",

        // Cyrillic (with Cyrillic Extended-B).
        0x0405: "s", 0x0406: "l", 0x0408: "j", 0x0410: "a", 0x0412: "b", 0x0415: "e", 0x0417: "3", 0x041A: "k",
        0x041C: "m", 0x041D: "h", 0x041E: "o", 0x0420: "p", 0x0421: "c", 0x0422: "t", 0x0423: "y", 0x0425: "x",
        0x042B: "bl", 0x042C: "b", 0x042E: "lo", 0x0430: "a", 0x0431: "6", 0x0433: "r", 0x0435: "e", 0x043E: "o",
        0x0440: "p", 0x0441: "c", 0x0443: "y", 0x0445: "x", 0x0455: "s", 0x0456: "i", 0x0458: "j", 0x0461: "w",
        0x0474: "v", 0x0475: "v", 0x04AE: "y", 0x04AF: "y", 0x04BA: "h", 0x04BB: "h", 0x04BD: "e", 0x04C0: "l",
        0x04CF: "l", 0x04D4: "ae", 0x04D5: "ae", 0x04E0: "3", 0x0501: "d", 0x050C: "g", 0x051B: "q", 0x051C: "w",
        0x051D: "w", 0xA644: "2", 0xA647: "i", 0xA698: "oo", 0xA699: "oo",

        // Armenian.
        0x054D: "u", 0x054F: "s", 0x0555: "o", 0x0561: "w", 0x0563: "q", 0x0566: "q", 0x0570: "h", 0x0578: "n",
        0x057C: "n", 0x057D: "u", 0x0581: "g", 0x0584: "f", 0x0585: "o", 0x0589: ":",

        // Georgian and Cherokee.
        0x10E7: "y", 0x10FF: "o",
        0x13A0: "d", 0x13A1: "r", 0x13A2: "t", 0x13A5: "i", 0x13A9: "y", 0x13AA: "a", 0x13AB: "j", 0x13AC: "e",
        0x13B3: "w", 0x13B7: "m", 0x13BB: "h", 0x13BD: "y", 0x13C0: "g", 0x13C2: "h", 0x13C3: "z", 0x13CE: "4",
        0x13CF: "b", 0x13D2: "r", 0x13D4: "w", 0x13D5: "s", 0x13D9: "v", 0x13DA: "s", 0x13DE: "l", 0x13DF: "c",
        0x13E2: "p", 0x13E6: "k", 0x13E7: "d", 0x13EE: "6", 0x13F3: "g", 0x13F4: "b",

        // Symbols: hyphens and minus signs, dots, colons, slashes, bars, operators that look like letters.
        0x02D0: ":", 0x02D7: "-", 0x02F8: ":", 0x2010: "-", 0x2011: "-", 0x2012: "-", 0x2013: "-", 0x2043: "-",
        0x2212: "-", 0xFE58: "-", 0x2016: "ll", 0x2024: ".", 0x2041: "/", 0x2044: "/", 0x2215: "/", 0x29F8: "/",
        0x2223: "l", 0x2225: "ll", 0x2228: "v", 0x22C1: "v", 0x222A: "u", 0x22C3: "u", 0x22A4: "t", 0x22FF: "e",
        0x221E: "oo", 0x2236: ":", 0xA789: ":", 0x212E: "e",
    ]
}

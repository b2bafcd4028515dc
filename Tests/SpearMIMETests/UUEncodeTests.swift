import SpearMIME
import Testing

/// uuencode cases found by DecoderDifferentialTests, pinned without Python.
@Suite("uuencode")
struct UUEncodeTests {
    func body(_ s: String) -> (bytes: [UInt8], truncated: Bool) { UUEncode.decodeBody(Array(s.utf8)[...]) }

    @Test("a declared x-uuencode body starts at any 'begin MODE' line, with or without a name, as Python has it",
          arguments: ["begin 644\n", "begin 6 x\n", "begin 644 \n", "begin 0755 a b.txt\r\n"])
    func lenientBegin(begin: String) {
        let r = body(begin + "#86)C\n`\nend\n")
        #expect(r.bytes == Array("abc".utf8))
        #expect(!r.truncated)
    }

    @Test("in text bodies a 'begin' line still needs a three- or four-digit mode and a name")
    func strictBeginInText() {
        #expect(UUEncode.findBlocks(in: Array("begin 10 minutes late\n#86)C\nend\n".utf8)[...]).isEmpty)
        #expect(UUEncode.findBlocks(in: Array("begin 644\n#86)C\nend\n".utf8)[...]).isEmpty)
    }

    @Test("short last lines are zero-filled; padding and garbage after the data are ignored")
    func shortAndPadded() {
        #expect(body("begin 644 x\n#86)\n`\nend\n").bytes == Array("ab@".utf8))  // the missing fourth character is a zero
        #expect(body("begin 644 x\n#86)C``XY\n`\nend\n").bytes == Array("abc".utf8))
        #expect(body("begin 644 x\n#86)C  \n \nend").bytes == Array("abc".utf8))
    }

    @Test("where Python gives up (no begin line, an empty line before end) ours decodes and reports truncation")
    func keepsWhatPythonDrops() {
        #expect(body("#86)C\n`\nend\n").bytes == Array("abc".utf8))
        let gap = body("begin 644 x\n#86)C\n\n#86)C\n`\nend\n")
        #expect(gap.bytes == Array("abcabc".utf8))
    }
}

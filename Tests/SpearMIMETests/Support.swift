import SpearMIME

/// A message written with `\n` line ends, as CRLF bytes (or LF when asked).
func mail(_ text: String, crlf: Bool = true) -> [UInt8] {
    let bytes = Array(text.utf8)
    guard crlf else { return bytes }
    var out: [UInt8] = []
    for b in bytes {
        if b == 0x0A { out.append(0x0D) }
        out.append(b)
    }
    return out
}

func parse(_ text: String, crlf: Bool = true, options: ParseOptions = .default) -> MIMEMessage {
    MIMEParser(limits: options).parse(mail(text, crlf: crlf))
}

func decodedBody(_ part: MIMEPart) -> String {
    guard case .leaf(let raw) = part.content else { return "<not a leaf>" }
    return String(decoding: TransferDecoder.decode(raw, encoding: part.transferEncoding).bytes, as: UTF8.self)
}

func children(_ part: MIMEPart) -> [MIMEPart] {
    if case .multipart(_, let parts, _) = part.content { return parts }
    return []
}

extension MIMEMessage {
    func has(_ code: Defect.Code) -> Bool { defects.contains { $0.code == code } }
}
